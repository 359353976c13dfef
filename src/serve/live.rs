//! The live site of `serve`: the loaded notices kept in memory, so that a change to
//! one file reloads that notice and renders only the pages it appears on.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::build::{Failure, load_content, load_source, reference_date};
use crate::config::{SiteConfig, normalise_base_url};
use crate::content::{self, NoticeSource};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::fields::Disclosure;
use crate::model::notice::{Loaded, Notice};
use crate::model::site::{Site, TaxonomyKind, cross_checks};
use crate::render::templates::Theme;
use crate::render::{self, RenderOptions, Selection, Sink, catalogue};
use crate::search::{self, SearchDoc, SearchInput};

/// Writes straight into the served folder; each file is replaced by a rename so a
/// request never reads half a page.
pub struct DirSink(pub PathBuf);

impl Sink for DirSink {
    fn write(&self, rel: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.0.join(rel);
        // Most site-wide files (the search index above all: thousands of files)
        // come out the same after an edit; reading is far cheaper than replacing.
        let same_size = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64);
        if same_size && std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = path.with_file_name(format!(
            ".{}.gongkai-tmp-{:?}",
            path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
            std::thread::current().id()
        ));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)
    }

    fn copy(&self, rel: &Path, source: &Path) -> std::io::Result<()> {
        self.write(rel, &std::fs::read(source)?)
    }
}

/// What needs rendering since the last successful render.
#[derive(Default)]
struct Dirty {
    full: bool,
    urls: BTreeSet<Vec<String>>,
    terms: BTreeSet<(usize, Vec<String>)>,
    progress: bool,
    /// A notice was added, removed, re-dated or filed under other terms, so list
    /// pages shift (not only the pages that show a changed notice).
    moved: bool,
}

impl Dirty {
    fn mark(&mut self, n: &Notice) {
        self.urls.insert(n.url_segments.clone());
        for (k, kind) in TaxonomyKind::ALL.iter().enumerate() {
            for levels in kind.terms_of(n) {
                self.terms.insert((k, levels));
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
    withheld: BTreeMap<PathBuf, (PathBuf, Disclosure)>,
    /// Files whose last load failed, with why; untouched ones keep their diagnostics.
    failed: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Every notice file found by the last walk of content/.
    sources: BTreeMap<PathBuf, NoticeSource>,
    /// Catalogue entries of unchanged notices, by URL, kept between rebuilds.
    catalogue: HashMap<Vec<String>, String>,
    /// What search reads of unchanged notices, by URL, kept between rebuilds.
    search_docs: HashMap<Vec<String>, Arc<SearchDoc>>,
    /// The search index is written on its own thread after each edit (it takes
    /// seconds on a large site); a newer edit's writer cancels an older one, and
    /// the lock keeps two from writing at once.
    search_generation: Arc<AtomicU64>,
    search_writer: Arc<Mutex<()>>,
    dirty: Dirty,
    /// Called as soon as changed pages are written, before the site-wide files, so
    /// that the browser reloads without waiting for them.
    on_pages: Box<dyn Fn() + Send>,
}

impl Live {
    pub fn new(root: &Path, out: &Path, base_url: &str, on_pages: Box<dyn Fn() + Send>) -> Live {
        Live {
            root: root.to_path_buf(),
            content_dir: root.join("content"),
            out: out.to_path_buf(),
            base_url: normalise_base_url(base_url),
            config: None,
            theme: None,
            notices: BTreeMap::new(),
            withheld: BTreeMap::new(),
            failed: BTreeMap::new(),
            sources: BTreeMap::new(),
            catalogue: HashMap::new(),
            search_docs: HashMap::new(),
            search_generation: Arc::new(AtomicU64::new(0)),
            search_writer: Arc::new(Mutex::new(())),
            dirty: Dirty { full: true, ..Dirty::default() },
            on_pages,
        }
    }

    /// Load everything again (start, site.yaml or theme changed).
    pub fn reload_all(&mut self) -> Outcome {
        self.dirty.full = true;
        self.catalogue.clear();
        self.sources =
            content::discover(&self.root, &self.content_dir).notices.into_iter().map(|s| (s.file.clone(), s)).collect();
        self.notices.clear();
        self.withheld.clear();
        self.failed.clear();
        let loaded = match load_content(&self.root, Some(&self.base_url)) {
            Ok(l) => l,
            Err(Failure::Content(d)) => {
                self.config = None;
                return Outcome::Failed(d);
            }
            Err(Failure::Usage(m) | Failure::Io(m)) => {
                let mut d = Diagnostics::default();
                d.push(Diagnostic::error(&self.root, m));
                self.config = None;
                return Outcome::Failed(d);
            }
        };
        let theme = Theme::load(&self.root.join("themes").join(&loaded.config.theme), &self.root);
        self.theme = match theme {
            Ok(t) => Some(t),
            Err(ds) => {
                let mut d = Diagnostics::default();
                d.extend(ds);
                return Outcome::Failed(d);
            }
        };
        for n in loaded.notices {
            self.notices.insert(n.source.file.clone(), n);
        }
        for (display, disclosure) in loaded.withheld {
            self.withheld.insert(self.root.join(&display), (display, disclosure));
        }
        // Keep each failed file's diagnostics, so they are shown until it is fixed.
        let mut general = Vec::new();
        for d in loaded.diagnostics.into_vec() {
            let file = self.root.join(&d.file);
            if d.is_error() {
                self.failed.entry(file).or_default().push(d);
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
        if needs_full {
            return self.reload_all();
        }
        let config = self.config.clone().expect("config loaded");
        let mut general: Vec<Diagnostic> = Vec::new();
        // Walking 10,000 files costs more than the rest of a small change, so the
        // tree is walked again only when files may have appeared or gone.
        let known_only = changed.iter().all(|p| p.is_file() && self.sources.values().any(|s| touches(s, p)));
        if !known_only {
            let tree = content::discover(&self.root, &self.content_dir);
            general.extend(tree.diagnostics);
            self.sources = tree.notices.into_iter().map(|s| (s.file.clone(), s)).collect();
            // Notices whose files are gone.
            let gone: Vec<PathBuf> = self.notices.keys().filter(|f| !self.sources.contains_key(*f)).cloned().collect();
            for file in gone {
                if let Some(n) = self.notices.remove(&file) {
                    self.dirty.mark(&n);
                    self.dirty.moved = true;
                    remove_page(&self.out, &n);
                }
            }
            let sources = &self.sources;
            self.withheld.retain(|f, _| sources.contains_key(f));
            self.failed.retain(|f, _| sources.contains_key(f));
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

    fn reload(&mut self, source: &NoticeSource, config: &SiteConfig, general: &mut Vec<Diagnostic>) {
        let old = self.notices.remove(&source.file);
        if let Some(old) = &old {
            self.dirty.mark(old);
        }
        self.withheld.remove(&source.file);
        self.failed.remove(&source.file);
        let (loaded, diags) = load_source(source, config, &self.content_dir);
        let (errors, others): (Vec<_>, Vec<_>) = diags.into_iter().partition(Diagnostic::is_error);
        general.extend(others);
        match loaded {
            Loaded::Notice(n) => {
                self.dirty.mark(&n);
                self.dirty.moved |= old.is_none_or(|o| moved(&o, &n));
                self.notices.insert(source.file.clone(), *n);
            }
            Loaded::Withheld(display, d) => {
                self.dirty.moved |= old.is_some();
                self.withheld.insert(source.file.clone(), (display, d));
            }
            Loaded::Failed => {
                self.dirty.moved |= old.is_some();
                self.failed.insert(source.file.clone(), errors);
            }
        }
    }

    /// Check across notices, then render what is dirty.
    fn finish(&mut self, general: Vec<Diagnostic>) -> Outcome {
        let mut diags = Diagnostics::default();
        diags.extend(self.failed.values().flatten().cloned());
        let notices: Vec<Notice> = std::mem::take(&mut self.notices).into_values().collect();
        diags.extend(cross_checks(&notices));
        diags.extend(general);
        diags.sort();
        let (Some(config), Some(theme)) = (self.config.clone(), self.theme.as_ref()) else {
            self.put_back(notices);
            return Outcome::Failed(diags);
        };
        if diags.has_errors() {
            self.put_back(notices);
            return Outcome::Failed(diags);
        }
        let withheld = self.withheld.values().cloned().collect();
        let site = match Site::build(config, notices, withheld, reference_date()) {
            Ok(site) => site,
            Err(ds) => {
                // Not reached (cross_checks passed above); start afresh next time if it is.
                self.config = None;
                diags.extend(ds);
                return Outcome::Failed(diags);
            }
        };
        let mut dirty = std::mem::take(&mut self.dirty);
        // Pages of related notices show relations and citations of the changed ones.
        for (i, n) in site.notices.iter().enumerate() {
            if dirty.urls.contains(&n.url_segments) {
                let life = &site.lifecycle[i];
                let related =
                    life.outgoing.iter().filter_map(|(_, _, t)| *t).chain(life.incoming.iter().map(|(_, t)| *t));
                for t in related
                    .chain(life.cites.iter().map(|(_, t)| *t))
                    .chain(life.cited_by.iter().copied())
                    .collect::<Vec<_>>()
                {
                    dirty.urls.insert(site.notices[t].url_segments.clone());
                }
            }
        }
        let urls: Vec<Vec<String>> = dirty.urls.into_iter().collect();
        let terms: Vec<(TaxonomyKind, Vec<String>)> =
            dirty.terms.into_iter().map(|(k, levels)| (TaxonomyKind::ALL[k], levels)).collect();
        let selection = if dirty.full {
            Selection::All
        } else {
            Selection::Changed { notices: &urls, terms: &terms, progress: dirty.progress, moved: dirty.moved }
        };
        // Catalogue entries: made again only for changed notices.
        self.catalogue.retain(|url, _| !dirty.full && !urls.contains(url));
        let missing: Vec<usize> =
            (0..site.notices.len()).filter(|&i| !self.catalogue.contains_key(&site.notices[i].url_segments)).collect();
        let made: Vec<(Vec<String>, String)> = missing
            .par_iter()
            .map(|&i| (site.notices[i].url_segments.clone(), catalogue::entry_text(&site, i)))
            .collect();
        self.catalogue.extend(made);
        let cache = &self.catalogue;
        let entry = |i: usize| cache.get(&site.notices[i].url_segments).cloned().unwrap_or_default();
        if dirty.moved {
            remove_stale_list_pages(&self.out, &site, &terms);
        }
        let sink = DirSink(self.out.clone());
        let options = RenderOptions { built: None };
        self.search_docs.retain(|url, _| !dirty.full && !urls.contains(url));
        // Any index still being written is older than this render.
        let generation = self.search_generation.fetch_add(1, Ordering::SeqCst) + 1;
        let result = render::render_selection(&site, theme, &sink, &options, &selection, Some(&entry))
            .and_then(|pages| {
                if !dirty.full {
                    (self.on_pages)();
                    render::render_site_files(&site, &sink, Some(&entry))?;
                }
                Ok(pages)
            })
            .and_then(|pages| self.refresh_search(&site, generation, dirty.full).map(|()| pages));
        self.put_back(site.notices);
        match result {
            Ok(pages) => Outcome::Rendered { pages, warnings: diags, announced: !dirty.full },
            Err(e) => {
                self.dirty.full = true;
                let mut d = Diagnostics::default();
                d.push(Diagnostic::error(&self.root.join("themes"), e));
                Outcome::Failed(d)
            }
        }
    }

    /// Keep the notices' search texts and write the index: at once after a full
    /// render (the pages link to it), else on its own thread unless a newer edit
    /// comes first.
    fn refresh_search(&mut self, site: &Site, generation: u64, now: bool) -> Result<(), String> {
        let cache = &self.search_docs;
        let input = SearchInput::of(site, &|i| cache.get(&site.notices[i].url_segments).cloned());
        for (n, doc) in site.notices.iter().zip(&input.docs) {
            self.search_docs.entry(n.url_segments.clone()).or_insert_with(|| doc.clone());
        }
        let (latest, writer, sink) =
            (self.search_generation.clone(), self.search_writer.clone(), DirSink(self.out.clone()));
        if now {
            let _one_at_a_time = writer.lock();
            return search::write_index(&input, &sink, &|| false).map(|_| ());
        }
        std::thread::spawn(move || {
            let cancelled = || latest.load(Ordering::SeqCst) != generation;
            // Edits come in bursts: start only once the clerk has paused.
            for _ in 0..10 {
                std::thread::sleep(std::time::Duration::from_millis(50));
                if cancelled() {
                    return;
                }
            }
            let _one_at_a_time = writer.lock();
            // One thread of its own, so the next edit's pages never wait for it.
            let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
            let result = match pool {
                Ok(pool) => pool.install(|| search::write_index(&input, &sink, &cancelled)),
                Err(e) => Err(e.to_string()),
            };
            if let Err(e) = result {
                eprintln!("error: writing the search index: {e}");
            }
        });
        Ok(())
    }

    fn put_back(&mut self, notices: Vec<Notice>) {
        for n in notices {
            self.notices.insert(n.source.file.clone(), n);
        }
    }
}

/// Would the notice sit elsewhere in the browse lists after the change?
fn moved(old: &Notice, new: &Notice) -> bool {
    old.published != new.published
        || old.url_segments != new.url_segments
        || TaxonomyKind::ALL.iter().any(|k| k.terms_of(old) != k.terms_of(new))
}

/// Does a change to `path` concern this notice (its file, or any file of its bundle)?
fn touches(source: &NoticeSource, path: &Path) -> bool {
    path == source.file || (source.bundle_files.is_some() && path.starts_with(&source.base_dir))
}

/// After notices moved, a browse term may have no notices left, or fewer pages:
/// remove the pages that no longer exist so that they are not served.
fn remove_stale_list_pages(out: &Path, site: &Site, terms: &[(TaxonomyKind, Vec<String>)]) {
    for (kind, levels) in terms {
        let count = site
            .taxonomies
            .iter()
            .find(|t| t.kind == *kind)
            .and_then(|t| t.terms.iter().find(|term| &term.levels == levels))
            .map_or(0, |term| term.notices.len());
        let pages = count.div_ceil(site.config.page_size);
        let dir: PathBuf = render::term_path(*kind, levels).0.iter().fold(out.to_path_buf(), |p, s| p.join(s));
        if pages == 0 {
            let _ = std::fs::remove_file(dir.join("index.html"));
            let _ = std::fs::remove_file(dir.join("feed.xml"));
        }
        if let Ok(entries) = std::fs::read_dir(dir.join("page")) {
            for e in entries.flatten() {
                let n: usize = e.file_name().to_string_lossy().parse().unwrap_or(0);
                if n > pages.max(1) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
}

fn remove_page(out: &Path, n: &Notice) {
    let page = render::notice_path(n).file();
    let _ = std::fs::remove_file(out.join(page));
}
