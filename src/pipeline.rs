//! The pipeline, in one place, shared by `build`, `check`, `serve` and `snapshot`:
//!
//! 1. load (`content`): find the notices, read and decode them, split front matter;
//! 2. validate (`notice`): typed fields, files, the text parsed once — diagnostics;
//! 3. model (`model`): the site built once — checks between notices, order,
//!    lifecycle, citations, progress status, browse lists;
//! 4. outputs (`render` pages, feeds, sitemap, catalogue; `search` index), each
//!    reading the notices through one `NoticeView`;
//! 5. write (`write`): one `Output`, staged and swapped in atomically.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::{SiteConfig, example_domain, normalise_base_url, validate_base_url};
use crate::content::{self, NoticeSource, frontmatter};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::Site;
use crate::notice::standing::{self, StandingPage};
use crate::notice::{self, Notice, Withheld};
use crate::progress_bar::Stages;
use crate::render::Ui;
use crate::render::script_table::ScriptTable;
use crate::render::theme::Theme;
use crate::render::view::Views;
use crate::render::{self, Pages, RenderError, RenderOptions, Selection, catalogue, feed, sitemap};
use crate::search::{self, SearchInput};
use crate::text::store::TextStore;
use crate::write::{Output, WriteError};

/// Why there is no site to render.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The content has errors (exit code 1); nothing was written.
    #[error("the content has {} error(s)", .0.error_count())]
    Content(Diagnostics),
    /// The command was used wrongly (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// Rendering or writing failed (exit code 1); the output was not changed.
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Failure {
        Failure::Render(RenderError::Write(e))
    }
}

impl Failure {
    fn content(d: Diagnostic) -> Failure {
        let mut diags = Diagnostics::default();
        diags.push(d);
        Failure::Content(diags)
    }
}

/// Every notice of the site, read and checked one by one (stages 1 and 2).
pub struct Loaded {
    pub config: SiteConfig,
    pub content_dir: PathBuf,
    pub notices: Vec<Notice>,
    pub pages: Vec<StandingPage>,
    pub withheld: Vec<Withheld>,
    pub diagnostics: Diagnostics,
}

/// Read site.yaml and every notice. Fails only when there is no site to speak of
/// (no content/, unusable site.yaml); problems in notices are diagnostics.
pub fn load(root: &Path, base_url: Option<&str>, stages: &Stages) -> Result<Loaded, Failure> {
    check_source_date_epoch()?;
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Failure::Usage(format!(
            "no content/ folder in {}; run gongkai in a site folder or pass --root DIR",
            root.display()
        )));
    }
    let config = config(root, base_url)?;
    let mut diagnostics = Diagnostics::default();
    if let Some(host) = example_domain(&config.base_url) {
        let display = Path::new("content/site.yaml");
        let mut d = Diagnostic::new(
            Code::ExampleBaseUrl,
            display,
            format!("the site's base URL is on {host}, a domain reserved for examples"),
        )
        .field("base_url")
        .found(config.base_url.clone())
        .expected("the address the site will be published at, e.g. https://www.example.gov.cn/xxgk/")
        .hint("feeds, the sitemap, the catalogue and canonical links use it; set `base_url:` in content/site.yaml or pass --base-url");
        if let (Some(line), None) = (config.base_url_line, base_url) {
            d = d.at(line, None).with_source(&std::fs::read_to_string(root.join(display)).unwrap_or_default());
        }
        diagnostics.push(d);
    }
    let tree = content::discover(root, &content_dir);
    diagnostics.extend(tree.diagnostics);
    let stage = stages.start("load", tree.notices.len() as u64);
    let texts = TextStore::new(texts_held());
    let results: Vec<(notice::Loaded, Vec<Diagnostic>)> = tree
        .notices
        .par_iter()
        .map(|source| {
            let loaded = load_one(source, &config, &content_dir, &texts);
            stage.inc(1);
            loaded
        })
        .collect();
    drop(stage);
    let mut pages = Vec::new();
    for source in &tree.pages {
        let (page, ds) = load_page(source, &content_dir, &texts);
        diagnostics.extend(ds);
        pages.extend(page);
    }
    let mut notices = Vec::new();
    let mut withheld = Vec::new();
    for (loaded, ds) in results {
        diagnostics.extend(ds);
        match loaded {
            notice::Loaded::Notice(n) => notices.push(*n),
            notice::Loaded::Withheld(w) => withheld.push(w),
            notice::Loaded::Failed => {}
        }
    }
    Ok(Loaded { config, content_dir, notices, pages, withheld, diagnostics })
}

/// Stages 1 and 2 for a standing page (a few per site: read one by one).
pub fn load_page(
    source: &NoticeSource,
    content_dir: &Path,
    texts: &TextStore,
) -> (Option<StandingPage>, Vec<Diagnostic>) {
    let text = match content::read_text(source) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    match frontmatter::parse(&text, &source.display) {
        Ok(parsed) => standing::load(source, &text, parsed, content_dir, texts),
        Err(d) => (None, vec![d]),
    }
}

/// The site's settings, with the base URL given on the command line if any.
pub fn config(root: &Path, base_url: Option<&str>) -> Result<SiteConfig, Failure> {
    let display = Path::new("content/site.yaml");
    let mut config = SiteConfig::load(&root.join(display), display).map_err(Failure::content)?;
    if let Some(url) = base_url {
        validate_base_url(url).map_err(|e| Failure::Usage(format!("--base-url: {e}")))?;
        config.base_url = normalise_base_url(url);
    } else if let Err(e) = validate_base_url(&config.base_url) {
        let mut d = Diagnostic::new(Code::BaseUrl, display, "site has no usable base URL");
        if let Some(line) = config.base_url_line {
            let text = std::fs::read_to_string(root.join(display)).unwrap_or_default();
            d = d.at(line, None).with_source(&text);
        }
        return Err(Failure::content(
            d.field("base_url")
                .found(e.to_string())
                .expected(
                    "an absolute http(s) URL where the site will be published, e.g. https://www.example.gov.cn/xxgk/",
                )
                .hint("set `base_url:` in content/site.yaml or pass --base-url"),
        ));
    }
    Ok(config)
}

/// Bytes of notice text (Markdown, HTML, plain text) kept in memory; the rest
/// goes to a temporary file (`TextStore`). A site of 10,000 notices has about
/// 350 MB of them, one of 100,000 ten times that. GONGKAI_TEXT_MEMORY_MB sets
/// another amount (0: every text in the file).
pub fn texts_held() -> usize {
    std::env::var("GONGKAI_TEXT_MEMORY_MB")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map_or(256 << 20, |mb| mb << 20)
}

/// Stages 1 and 2 for one file: read, split, check.
pub fn load_one(
    source: &NoticeSource,
    config: &SiteConfig,
    content_dir: &Path,
    texts: &TextStore,
) -> (notice::Loaded, Vec<Diagnostic>) {
    let text = match content::read_text(source) {
        Ok(t) => t,
        Err(d) => return (notice::Loaded::Failed, vec![d]),
    };
    match frontmatter::parse(&text, &source.display) {
        Ok(parsed) => notice::load(source, &text, parsed, config, content_dir, texts),
        Err(d) => (notice::Loaded::Failed, vec![d]),
    }
}

/// A model that could not be built: every diagnostic, and the notices back.
pub struct Rejected {
    pub diagnostics: Diagnostics,
    pub notices: Vec<Notice>,
}

impl From<Rejected> for Failure {
    fn from(r: Rejected) -> Failure {
        Failure::Content(r.diagnostics)
    }
}

/// Stage 3: the site model, as it stood at the end of `as_of` if given (notices
/// published later left out; validity, revisions and progress judged on that
/// day), else on the reference date. Any error, from loading or between notices,
/// rejects it with every diagnostic, sorted.
pub fn model(loaded: Loaded, as_of: Option<NaiveDate>, stages: &Stages) -> Result<(Site, Diagnostics), Rejected> {
    let _stage = stages.start("model", 0);
    let mut diagnostics = loaded.diagnostics;
    let mut notices = loaded.notices;
    if let Some(date) = as_of {
        notices.retain(|n| n.published.0 <= date);
    }
    if diagnostics.has_errors() {
        // No model to build, but the problems between notices are said too.
        diagnostics.extend(crate::model::checks::between_notices(&notices));
        diagnostics.sort();
        return Err(Rejected { diagnostics, notices });
    }
    let reference = as_of.unwrap_or_else(|| reference_date_in(loaded.config.time_zone));
    match Site::build(loaded.config, notices, loaded.pages, loaded.withheld, reference, as_of) {
        Ok((site, warnings)) => {
            diagnostics.extend(warnings);
            diagnostics.sort();
            Ok((site, diagnostics))
        }
        Err((ds, notices)) => {
            diagnostics.extend(ds);
            diagnostics.sort();
            Err(Rejected { diagnostics, notices })
        }
    }
}

/// Stages 1 to 3, and the theme: everything needed to render.
pub fn site(
    root: &Path,
    base_url: Option<&str>,
    as_of: Option<NaiveDate>,
    stages: &Stages,
) -> Result<(Site, Theme, Diagnostics), Failure> {
    let (site, diags) = model(load(root, base_url, stages)?, as_of, stages)?;
    let theme = theme(root, &site.config)?;
    Ok((site, theme, diags))
}

pub fn theme(root: &Path, config: &SiteConfig) -> Result<Theme, Failure> {
    let dir = root.join("themes").join(&config.theme);
    // `default` is built in; any other name is a folder of themes/ that must be there.
    if config.theme != "default" && !dir.is_dir() {
        let mut there: Vec<String> = std::fs::read_dir(root.join("themes"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        there.retain(|t| t != "default");
        there.sort();
        there.insert(0, "default (built in)".into());
        let display = Path::new("content/site.yaml");
        let text = std::fs::read_to_string(root.join(display)).unwrap_or_default();
        let line = text.lines().position(|l| l.trim_start().starts_with("theme:")).map_or(1, |i| i + 1);
        let mut d = Diagnostic::new(Code::SiteValue, display, format!("no theme `{}` in themes/", config.theme))
            .at(line, None)
            .with_source(&text)
            .field("theme")
            .found(config.theme.clone())
            .expected(format!("one of: {}", there.join(", ")));
        if let Some(m) =
            crate::diagnostics::did_you_mean(&config.theme, there.iter().map(|t| t.trim_end_matches(" (built in)")))
        {
            d = d.hint(format!("did you mean `{m}`?"));
        }
        return Err(Failure::content(d));
    }
    Theme::load_for(&root.join("themes").join(&config.theme), root, Ui::new(config.language.script)).map_err(|ds| {
        let mut d = Diagnostics::default();
        d.extend(ds);
        Failure::Content(d)
    })
}

/// Stages 4 and 5: every output of the site into `out`. `build` writes them to its
/// output folder, `check` into a `NullSink`, so check meets every error the build
/// would. A template or file at fault is an error diagnostic (exit code 1), like
/// any other problem of the content.
pub fn render_all(
    site: &Site,
    theme: &Theme,
    opts: RenderOptions,
    out: &Output,
    stages: &Stages,
) -> Result<usize, Failure> {
    Outputs::new(site, theme, opts).all(out, stages).map(|r| r.pages).map_err(|e| match e.diagnostic(theme) {
        Some(d) => Failure::content(d),
        None => Failure::Render(e),
    })
}

/// What `Outputs::all` made.
pub struct Rendered {
    pub pages: usize,
    pub script_table: ScriptTable,
}

/// Stage 4: every output of a site, from the notices' views, made once.
pub struct Outputs<'a> {
    site: &'a Site,
    theme: &'a Theme,
    views: Views<'a>,
    opts: RenderOptions,
}

impl<'a> Outputs<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme, opts: RenderOptions) -> Outputs<'a> {
        let views = Views::new(site);
        Outputs { site, theme, views, opts }
    }

    /// Everything: pages, assets, feeds, sitemap, catalogue and the search index.
    /// Returns how many pages were rendered, and the script table written (which
    /// the preview extends as notices change).
    pub fn all(&self, out: &Output, stages: &Stages) -> Result<Rendered, RenderError> {
        let pages = self.pages(out, &Selection::All, stages)?;
        render::assets(self.theme, self.site.as_of, out)?;
        let stage = stages.start("script table", 0);
        let script_table = ScriptTable::of(self.site);
        script_table.write(out)?;
        drop(stage);
        let stage = stages.start("lists", 0);
        self.site_files(out)?;
        drop(stage);
        let _stage = stages.start("search", 0);
        search::write(self.site, &self.views, out)?;
        Ok(Rendered { pages, script_table })
    }

    /// The selected pages (and the attachments of the notices among them).
    pub fn pages(&self, out: &Output, selection: &Selection, stages: &Stages) -> Result<usize, RenderError> {
        Pages::new(self.site, &self.views, self.theme, &self.opts).render(out, selection, stages)
    }

    /// The files that list the whole site: feeds, sitemap, catalogue.
    pub fn site_files(&self, out: &Output) -> Result<(), RenderError> {
        feed::write(self.site, &self.views, self.theme, out)?;
        sitemap::write(self.site, self.theme, out)?;
        catalogue::write(self.site, &self.views, out)?;
        Ok(())
    }

    /// What the search index is made from, owned (`serve` writes it on a thread
    /// of its own).
    pub fn search_input(&self) -> SearchInput {
        SearchInput::of(self.site, &self.views)
    }
}

/// The date targets are judged against, and `new`'s 发布日期: the day of
/// SOURCE_DATE_EPOCH when set (so archival rebuilds are reproducible), else today,
/// in China Standard Time (UTC+8) — whatever the machine's clock says the day is.
pub fn reference_date() -> NaiveDate {
    reference_date_in(crate::config::CHINA)
}

/// `reference_date` in a site's time zone (`time_zone:` in site.yaml).
pub fn reference_date_in(zone: chrono::FixedOffset) -> NaiveDate {
    let now = || chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    source_date_epoch_time().unwrap_or_else(now).with_timezone(&zone).date_naive()
}

/// SOURCE_DATE_EPOCH, when set, is a whole number of seconds: the reproducible-builds
/// specification says a tool that cannot read it fails rather than ignore it.
pub fn check_source_date_epoch() -> Result<(), Failure> {
    match std::env::var_os("SOURCE_DATE_EPOCH") {
        None => Ok(()),
        Some(_) if source_date_epoch_time().is_some() => Ok(()),
        Some(v) => Err(Failure::Usage(format!(
            "SOURCE_DATE_EPOCH is `{}`, not a whole number of seconds since 1970-01-01 UTC (such as 1704067200); set it to one or unset it",
            v.to_string_lossy()
        ))),
    }
}

/// The instant SOURCE_DATE_EPOCH gives, when it is set to a number of seconds.
pub fn source_date_epoch_time() -> Option<chrono::DateTime<chrono::Utc>> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    chrono::DateTime::from_timestamp(secs, 0)
}

/// The build time shown in pages, only when SOURCE_DATE_EPOCH asks for one.
pub fn source_date_epoch() -> Option<String> {
    Some(source_date_epoch_time()?.format("%Y-%m-%d %H:%M UTC").to_string())
}
