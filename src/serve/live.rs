//! The live site of `serve`: the validated notices kept in memory, so that a change
//! to one file reloads that notice (`pipeline::load_one`), builds the model
//! (`pipeline::model`) and renders only the pages it appears on — the pipeline of
//! `build`, run on what changed.

mod desk_view;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::config::SiteConfig;
use crate::content::{self, NoticeSource};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::{Site, terms_of};
use crate::notice::{self, Notice, Withheld};
use crate::pipeline::{self, Failure, Loaded, Outputs};
use crate::progress_bar::Stages;
use crate::render::paging::Paging;
use crate::render::script_table::ScriptTable;
use crate::render::theme::Theme;
use crate::render::{RenderError, RenderOptions, Selection};
use crate::routes::{self, PagePath, TaxonomyKind};
use crate::search::{self, SearchInput};
use crate::text::store::TextStore;
use crate::write::{DirSink, Output};

/// What needs rendering since the last successful render.
#[derive(Default)]
struct Dirty {
    full: bool,
    urls: HashSet<PagePath>,
    terms: BTreeSet<(TaxonomyKind, Vec<String>)>,
    progress: bool,
    /// A notice was added, removed, re-dated or filed under other terms, so list
    /// pages shift (not only the pages that show a changed notice).
    moved: bool,
}

impl Dirty {
    fn mark(&mut self, n: &Notice) {
        self.urls.insert(n.url.clone());
        for kind in TaxonomyKind::ALL {
            for levels in terms_of(kind, n) {
                self.terms.insert((kind, levels));
            }
        }
        self.progress |= n.progress.is_some();
    }
}

/// The result of one (re)build.
pub enum Outcome {
    /// Rendered; how many pages, with the warnings. `announced`: the pages were
    /// already announced to the browser (`on_pages`).
    Rendered { pages: usize, warnings: Diagnostics, announced: bool },
    /// The content has errors; the served pages stay as they were.
    Failed(Diagnostics),
}

pub struct Live {
    root: PathBuf,
    content_dir: PathBuf,
    out: PathBuf,
    base_url: String,
    config: Option<SiteConfig>,
    theme: Option<Theme>,
    /// Valid public notices by source file.
    notices: BTreeMap<PathBuf, Notice>,
    withheld: BTreeMap<PathBuf, Withheld>,
    /// Files whose last load failed, with why; untouched ones keep their diagnostics.
    failed: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Every notice file found by the last walk of content/.
    sources: BTreeMap<PathBuf, NoticeSource>,
    /// The standing pages found by that walk: few, so read again at each change.
    page_sources: Vec<NoticeSource>,
    /// The search index is written on its own thread after each edit (it takes
    /// seconds on a large site); a newer edit's writer cancels an older one, and
    /// the lock keeps two from writing at once.
    search_generation: Arc<AtomicU64>,
    search_writer: Arc<Mutex<()>>,
    /// The index last written whole, which an edit's index builds on
    /// (`search::write_preview`); `None` until one is written.
    search_base: Arc<Mutex<Option<search::Base>>>,
    /// The 简体/繁體 table last written (`assets/zh-convert.js`), which edits extend.
    script_table: Mutex<Option<ScriptTable>>,
    /// Where the texts of reloaded notices are kept.
    texts: TextStore,
    dirty: Dirty,
    /// Called as soon as pages are written, with the pages that changed (and
    /// whether these are the first of a rebuild), so that a browser showing one
    /// reloads without waiting for the rest.
    on_pages: Box<dyn Fn(Vec<String>, bool) + Send>,
}

impl Live {
    pub fn new(root: &Path, out: &Path, base_url: &str, on_pages: Box<dyn Fn(Vec<String>, bool) + Send>) -> Live {
        Live {
            root: root.to_path_buf(),
            content_dir: root.join("content"),
            out: out.to_path_buf(),
            base_url: base_url.to_owned(),
            config: None,
            theme: None,
            notices: BTreeMap::new(),
            withheld: BTreeMap::new(),
            failed: BTreeMap::new(),
            sources: BTreeMap::new(),
            page_sources: Vec::new(),
            search_generation: Arc::new(AtomicU64::new(0)),
            texts: TextStore::new(pipeline::texts_held()),
            search_writer: Arc::new(Mutex::new(())),
            search_base: Arc::new(Mutex::new(None)),
            script_table: Mutex::new(None),
            dirty: Dirty { full: true, ..Dirty::default() },
            on_pages,
        }
    }

    /// Load everything again (start, site.yaml or theme changed).
    pub fn reload_all(&mut self) -> Outcome {
        self.config = None;
        self.notices.clear();
        self.withheld.clear();
        self.failed.clear();
        self.dirty = Dirty { full: true, ..Dirty::default() };
        let tree = content::discover(&self.root, &self.content_dir);
        self.sources = tree.notices.into_iter().map(|s| (s.file.clone(), s)).collect();
        self.page_sources = tree.pages;
        let loaded = match pipeline::load(&self.root, Some(&self.base_url), &Stages::hidden()) {
            Ok(l) => l,
            Err(Failure::Content(d)) => return Outcome::Failed(d),
            Err(other) => return Outcome::Failed(self.general_error(other.to_string())),
        };
        let theme = match pipeline::theme(&self.root, &loaded.config) {
            Ok(t) => t,
            Err(Failure::Content(d)) => return Outcome::Failed(d),
            Err(other) => return Outcome::Failed(self.general_error(other.to_string())),
        };
        self.theme = Some(theme);
        for n in loaded.notices {
            self.notices.insert(n.source.file.clone(), n);
        }
        for w in loaded.withheld {
            self.withheld.insert(self.root.join(&w.display), w);
        }
        // Keep each failed file's diagnostics, so they are shown until it is fixed.
        let mut general = Vec::new();
        for d in loaded.diagnostics.into_vec() {
            if d.is_error() {
                self.failed.entry(self.root.join(&d.file)).or_default().push(d);
            } else {
                general.push(d);
            }
        }
        self.config = Some(loaded.config);
        self.finish(general)
    }

    /// Files under content/ or themes/ changed.
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>) -> Outcome {
        // Whatever index is being written is out of date now: stop it.
        self.search_generation.fetch_add(1, Ordering::SeqCst);
        let needs_full = self.config.is_none()
            || changed
                .iter()
                .any(|p| p.starts_with(self.root.join("themes")) || p == &self.content_dir.join("site.yaml"));
        let Some(config) = self.config.clone().filter(|_| !needs_full) else { return self.reload_all() };
        let mut general: Vec<Diagnostic> = Vec::new();
        // Walking 10,000 files costs more than the rest of a small change, so the
        // tree is walked again only when files may have appeared or gone.
        let known_only = changed.iter().all(|p| p.is_file() && self.sources.values().any(|s| touches(s, p)));
        if !known_only {
            let tree = content::discover(&self.root, &self.content_dir);
            general.extend(tree.diagnostics);
            self.sources = tree.notices.into_iter().map(|s| (s.file.clone(), s)).collect();
            self.page_sources = tree.pages;
            self.forget_vanished();
        }
        // A standing page can be in every page's navigation: render everything.
        if changed.iter().any(|p| p.starts_with(self.content_dir.join(routes::PAGES))) {
            self.dirty.full = true;
        }
        let to_read: Vec<NoticeSource> = self
            .sources
            .values()
            .filter(|source| {
                let loaded = self.notices.contains_key(&source.file)
                    || self.withheld.contains_key(&source.file)
                    || self.failed.contains_key(&source.file);
                // New files and touched ones are read; the rest are kept as loaded.
                !loaded || changed.iter().any(|c| touches(source, c))
            })
            .cloned()
            .collect();
        for source in &to_read {
            self.reload(source, &config, &mut general);
        }
        self.finish(general)
    }

    /// Notices whose files are gone.
    fn forget_vanished(&mut self) {
        let gone: Vec<PathBuf> = self.notices.keys().filter(|f| !self.sources.contains_key(*f)).cloned().collect();
        for file in gone {
            if let Some(n) = self.notices.remove(&file) {
                self.dirty.mark(&n);
                self.dirty.moved = true;
                let _ = std::fs::remove_file(self.out.join(n.url.file()));
            }
        }
        let sources = &self.sources;
        self.withheld.retain(|f, _| sources.contains_key(f));
        self.failed.retain(|f, _| sources.contains_key(f));
    }

    fn reload(&mut self, source: &NoticeSource, config: &SiteConfig, general: &mut Vec<Diagnostic>) {
        let old = self.notices.remove(&source.file);
        if let Some(old) = &old {
            self.dirty.mark(old);
        }
        self.withheld.remove(&source.file);
        self.failed.remove(&source.file);
        let (loaded, diags) = pipeline::load_one(source, config, &self.content_dir, &self.texts);
        let (errors, others): (Vec<_>, Vec<_>) = diags.into_iter().partition(Diagnostic::is_error);
        general.extend(others);
        match loaded {
            notice::Loaded::Notice(n) => {
                self.dirty.mark(&n);
                self.dirty.moved |= old.is_none_or(|o| moved(&o, &n));
                self.notices.insert(source.file.clone(), *n);
            }
            notice::Loaded::Withheld(w) => {
                self.dirty.moved |= old.is_some();
                self.withheld.insert(source.file.clone(), w);
            }
            notice::Loaded::Failed => {
                self.dirty.moved |= old.is_some();
                self.failed.insert(source.file.clone(), errors);
            }
        }
    }

    /// Build the model from what is loaded, then render what is dirty.
    fn finish(&mut self, general: Vec<Diagnostic>) -> Outcome {
        let Some(config) = self.config.clone() else { return Outcome::Failed(Diagnostics::default()) };
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(self.failed.values().flatten().cloned());
        diagnostics.extend(general);
        let mut pages = Vec::new();
        for source in &self.page_sources {
            let (page, ds) = pipeline::load_page(source, &self.content_dir, &self.texts);
            diagnostics.extend(ds);
            pages.extend(page);
        }
        let loaded = Loaded {
            config,
            content_dir: self.content_dir.clone(),
            notices: std::mem::take(&mut self.notices).into_values().collect(),
            pages,
            withheld: self.withheld.values().cloned().collect(),
            diagnostics,
        };
        let (site, warnings) = match pipeline::model(loaded, None, &Stages::hidden()) {
            Ok(done) => done,
            Err(rejected) => {
                self.put_back(rejected.notices);
                return Outcome::Failed(rejected.diagnostics);
            }
        };
        let dirty = std::mem::take(&mut self.dirty);
        let full = dirty.full;
        let result = match &self.theme {
            Some(theme) => self.render(&site, theme, dirty),
            None => Ok(0),
        };
        self.put_back(site.notices.into_iter().map(|p| p.notice).collect());
        match result {
            Ok(pages) => Outcome::Rendered { pages, warnings, announced: !full },
            Err(e) => {
                self.dirty.full = true;
                Outcome::Failed(self.general_error(e.to_string()))
            }
        }
    }

    /// Render the dirty pages, announce them, then the site-wide files; the search
    /// index follows on its own thread.
    fn render(&self, site: &Site, theme: &Theme, mut dirty: Dirty) -> Result<usize, RenderError> {
        let edited = dirty.urls.clone();
        // Pages of related notices show relations and citations of the changed ones.
        let related: Vec<PagePath> = site
            .notices
            .iter()
            .filter(|n| dirty.urls.contains(&n.url))
            .flat_map(|n| {
                let life = &n.life;
                life.outgoing
                    .iter()
                    .filter_map(|o| o.target)
                    .chain(life.incoming.iter().map(|i| i.from))
                    .chain(life.cites.iter().map(|c| c.target))
                    .chain(life.cited_by.iter().copied())
            })
            .map(|t| site.get(t).url.clone())
            .collect();
        dirty.urls.extend(related);
        let terms: Vec<(TaxonomyKind, Vec<String>)> = dirty.terms.iter().cloned().collect();
        if dirty.moved {
            remove_stale_list_pages(&self.out, site, &terms);
        }
        let selection = if dirty.full {
            Selection::All
        } else {
            Selection::Changed { notices: &dirty.urls, terms: &terms, progress: dirty.progress, moved: dirty.moved }
        };
        let sink = DirSink::new(self.out.clone());
        let outputs = Outputs::new(site, theme, RenderOptions { built: None });
        // Any index still being written is older than this render.
        let generation = self.search_generation.fetch_add(1, Ordering::SeqCst) + 1;
        if dirty.full {
            let rendered = outputs.all(&Output::new(&sink), &Stages::hidden())?;
            *lock(&self.script_table) = Some(rendered.script_table);
            *lock(&self.search_base) = search::Base::read(&outputs.search_input(), &self.out);
            return Ok(rendered.pages);
        }
        // The edited notices' own pages first: the clerk previewing one sees it at
        // once. Then the lists and related pages (the notices again among them,
        // unchanged by then, so written once).
        let own = Selection::Changed { notices: &edited, terms: &[], progress: false, moved: false };
        outputs.pages(&Output::new(&sink), &own, &Stages::hidden())?;
        (self.on_pages)(sink.take_changed(), true);
        let out = Output::new(&sink);
        let pages = outputs.pages(&out, &selection, &Stages::hidden())?;
        (self.on_pages)(sink.take_changed(), false);
        outputs.site_files(&out)?;
        // The 简体/繁體 table grows by the phrases an edit brought in.
        if let Some(table) = lock(&self.script_table).as_mut()
            && table.add(site.notices.iter().filter(|n| edited.contains(&n.url)))
        {
            table.write(&out)?;
        }
        self.write_search_later(outputs.search_input(), generation);
        Ok(pages)
    }

    /// The page every HTML request gets while the content has errors, from the
    /// site's theme (the built-in one if the site's does not load).
    pub fn error_page(&self, errors: &str) -> String {
        let mut ctx = tera::Context::new();
        ctx.insert("errors", errors);
        let builtin;
        let theme = match &self.theme {
            Some(t) => t,
            None => match Theme::builtin() {
                Ok(t) => {
                    builtin = t;
                    &builtin
                }
                Err(_) => {
                    return format!("<!DOCTYPE html><title>构建错误</title><pre>{}</pre>", crate::text::escape(errors));
                }
            },
        };
        theme.render("serve_error.html", &ctx).unwrap_or_else(|e| {
            format!(
                "<!DOCTYPE html><title>构建错误</title><pre>{}\n{}</pre>",
                crate::text::escape(errors),
                crate::text::escape(&e.to_string())
            )
        })
    }

    /// Write the index on its own thread once edits pause, unless a newer edit
    /// comes first: as the last index written whole and a small part of the
    /// documents changed since, when the edit kept every document's number
    /// (`search::write_preview`), else whole.
    fn write_search_later(&self, input: SearchInput, generation: u64) {
        let (latest, writer, base, sink) = (
            self.search_generation.clone(),
            self.search_writer.clone(),
            self.search_base.clone(),
            DirSink::new(self.out.clone()),
        );
        let out = self.out.clone();
        std::thread::spawn(move || {
            let cancelled = || latest.load(Ordering::SeqCst) != generation;
            let pause = |steps: usize| {
                (0..steps).all(|_| {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    !cancelled()
                })
            };
            // Edits come in bursts: start only once the clerk has paused.
            if !pause(4) {
                return;
            }
            let _one_at_a_time = lock(&writer);
            let start = std::time::Instant::now();
            // Threads of its own at the lowest priority: every core when the clerk
            // is reading, yet the next edit's pages never wait for it.
            let pool = match rayon::ThreadPoolBuilder::new().start_handler(|_| lower_priority()).build() {
                Ok(pool) => pool,
                Err(e) => return eprintln!("error: writing the search index: {e}"),
            };
            let output = Output::new(&sink);
            let small = pool.install(|| match lock(&base).as_ref() {
                Some(b) => search::write_preview(b, &input, &output, &cancelled),
                None => Ok(None),
            });
            let result = match small {
                Ok(None) => {
                    // Writing it whole takes seconds: wait a little longer for a pause.
                    if !pause(6) {
                        return;
                    }
                    pool.install(|| search::write_index(&input, &output, &cancelled)).inspect(|&done| {
                        if done {
                            *lock(&base) = search::Base::read(&input, &out);
                        }
                    })
                }
                Ok(Some(done)) => Ok(done),
                Err(e) => Err(e),
            };
            match result {
                Ok(true) => eprintln!("search index updated in {} ms", start.elapsed().as_millis()),
                Ok(false) => {}
                Err(e) => eprintln!("error: writing the search index: {e}"),
            }
        });
    }

    fn general_error(&self, message: impl Into<String>) -> Diagnostics {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::new(Code::Theme, &self.root.join("themes"), message));
        d
    }

    fn put_back(&mut self, notices: Vec<Notice>) {
        for n in notices {
            self.notices.insert(n.source.file.clone(), n);
        }
    }
}

/// Give the calling thread the lowest scheduling priority (nice 19), where the
/// system allows it; elsewhere it runs as it is.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // On Linux a thread's priority is set through its own id.
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
    }
}

/// Would the notice sit elsewhere in the browse lists after the change?
fn moved(old: &Notice, new: &Notice) -> bool {
    old.published != new.published
        || old.url != new.url
        || TaxonomyKind::ALL.iter().any(|&k| terms_of(k, old) != terms_of(k, new))
}

/// Does a change to `path` concern this notice (its file, or any file of its bundle)?
fn touches(source: &NoticeSource, path: &Path) -> bool {
    path == source.file || (source.bundle_files.is_some() && path.starts_with(&source.base_dir))
}

/// After notices moved, a browse term may have no notices left, or fewer fixed
/// pages: remove the pages that no longer exist so that they are not served.
fn remove_stale_list_pages(out: &Path, site: &Site, terms: &[(TaxonomyKind, Vec<String>)]) {
    for (kind, levels) in terms {
        let count =
            site.taxonomy(*kind).terms.iter().find(|term| &term.levels == levels).map_or(0, |term| term.notices.len());
        let fixed = Paging::new(count, site.config.page_size).fixed();
        let dir: PathBuf = routes::term(*kind, levels).0.iter().fold(out.to_path_buf(), |p, s| p.join(s));
        if count == 0 {
            let _ = std::fs::remove_file(dir.join(routes::HOME));
            let _ = std::fs::remove_file(dir.join(routes::FEED));
        }
        if let Ok(entries) = std::fs::read_dir(dir.join("page")) {
            for e in entries.flatten() {
                let n: usize = e.file_name().to_string_lossy().parse().unwrap_or(0);
                if n > fixed {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
}

/// A lock, even if a thread panicked while holding it (what it guards is whole
/// between writes).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
