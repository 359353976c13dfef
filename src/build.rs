//! The pipeline, in one place: load → validate → build the site model once →
//! render pages in parallel → write atomically.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{SiteConfig, normalise_base_url, validate_base_url};
use crate::content::{self, NoticeSource, frontmatter};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::fields::Disclosure;
use crate::model::notice::{Loaded, Notice, load_notice};
use crate::model::site::Site;
use crate::output::Staging;
use crate::render::{self, RenderOptions, templates::Theme};

pub struct BuildOptions {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Replace an output folder that does not look like a previous build.
    pub force: bool,
    /// Build the site as it stood at the end of this day.
    pub as_of: Option<chrono::NaiveDate>,
}

/// Why a build did not produce a site.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors (exit code 1); nothing was written.
    Content(Diagnostics),
    /// The command was used wrongly (exit code 2).
    Usage(String),
    /// Writing the output failed.
    Io(String),
}

pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub notices: usize,
    pub pages: usize,
    pub withheld: Vec<(PathBuf, Disclosure)>,
    pub out: PathBuf,
    pub seconds: f64,
}

/// Every notice of the site, read and checked one by one (not yet against each other).
pub struct LoadedContent {
    pub config: SiteConfig,
    pub content_dir: PathBuf,
    pub notices: Vec<Notice>,
    pub withheld: Vec<(PathBuf, Disclosure)>,
    pub diagnostics: Diagnostics,
}

/// Read site.yaml and every notice. Fails only when there is no site to speak of
/// (no content/, unusable site.yaml); problems in notices are diagnostics.
pub fn load_content(root: &Path, base_url: Option<&str>) -> Result<LoadedContent, Failure> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Failure::Usage(format!(
            "no content/ folder in {}; run gongkai in a site folder or pass --root DIR",
            root.display()
        )));
    }
    let mut diags = Diagnostics::default();
    let site_yaml = content_dir.join("site.yaml");
    let mut config = match SiteConfig::load(&site_yaml, Path::new("content/site.yaml")) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return Err(Failure::Content(diags));
        }
    };
    if let Some(url) = base_url {
        validate_base_url(url).map_err(|e| Failure::Usage(format!("--base-url: {e}")))?;
        config.base_url = normalise_base_url(url);
    } else if let Err(e) = validate_base_url(&config.base_url) {
        diags.push(
            Diagnostic::error(Path::new("content/site.yaml"), "site has no usable base URL")
                .field("base_url")
                .found(e)
                .expected(
                    "an absolute http(s) URL where the site will be published, e.g. https://www.example.gov.cn/xxgk/",
                )
                .hint("set `base_url:` in content/site.yaml or pass --base-url"),
        );
        return Err(Failure::Content(diags));
    }

    let tree = content::discover(root, &content_dir);
    diags.extend(tree.diagnostics);
    let results: Vec<(Loaded, Vec<Diagnostic>)> =
        tree.notices.par_iter().map(|source| load_source(source, &config, &content_dir)).collect();
    let mut notices: Vec<Notice> = Vec::new();
    let mut withheld = Vec::new();
    for (loaded, ds) in results {
        diags.extend(ds);
        match loaded {
            Loaded::Notice(n) => notices.push(*n),
            Loaded::Withheld(path, d) => withheld.push((path, d)),
            Loaded::Failed => {}
        }
    }
    Ok(LoadedContent { config, content_dir, notices, withheld, diagnostics: diags })
}

/// Read, split and check one notice file.
pub fn load_source(source: &NoticeSource, config: &SiteConfig, content_dir: &Path) -> (Loaded, Vec<Diagnostic>) {
    let text = match content::read_text(source) {
        Ok(t) => t,
        Err(d) => return (Loaded::Failed, vec![d]),
    };
    match frontmatter::parse(&text, &source.display) {
        Ok(parsed) => load_notice(source, &text, parsed, config, content_dir),
        Err(d) => (Loaded::Failed, vec![d]),
    }
}

/// Load and validate the whole site without writing anything. With `as_of`, the
/// site as it stood at the end of that day: notices published later are left out,
/// and validity, revisions and progress are judged on that day.
pub fn load_site(
    root: &Path,
    base_url: Option<&str>,
    as_of: Option<chrono::NaiveDate>,
) -> Result<(Site, Diagnostics), Failure> {
    let loaded = load_content(root, base_url)?;
    let mut diags = loaded.diagnostics;
    let mut notices = loaded.notices;
    if let Some(date) = as_of {
        notices.retain(|n| n.published.0 <= date);
    }
    let site = match Site::build(loaded.config, notices, loaded.withheld, as_of.unwrap_or_else(reference_date)) {
        Ok(mut site) => {
            site.as_of = as_of;
            site
        }
        Err(ds) => {
            diags.extend(ds);
            diags.sort();
            return Err(Failure::Content(diags));
        }
    };
    diags.sort();
    if diags.has_errors() {
        return Err(Failure::Content(diags));
    }
    Ok((site, diags))
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    let root = &opts.root;
    let out = opts.out.clone().unwrap_or_else(|| root.join("output"));
    check_output_folder(root, &out, opts.force)?;
    let (site, diagnostics) = load_site(root, opts.base_url.as_deref(), opts.as_of)?;
    let theme = Theme::load(&root.join("themes").join(&site.config.theme), root).map_err(|ds| {
        let mut d = Diagnostics::default();
        d.extend(ds);
        Failure::Content(d)
    })?;
    let staging =
        Staging::new(&out).map_err(|e| Failure::Io(format!("cannot create a folder beside {}: {e}", out.display())))?;
    let options = RenderOptions { built: source_date_epoch() };
    let pages = render::render_site(&site, &theme, &staging, &options).map_err(Failure::Io)?;
    staging.commit().map_err(|e| Failure::Io(format!("cannot replace {}: {e}", out.display())))?;
    Ok(BuildReport {
        diagnostics,
        notices: site.notices.len(),
        pages,
        withheld: site.withheld,
        out,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Refuse to replace a folder the clerk wrote (content, themes, the site itself)
/// or one that is not a previous build, unless --force.
fn check_output_folder(root: &Path, out: &Path, force: bool) -> Result<(), Failure> {
    // Lexically, so that `output/..` is seen to be the site folder itself.
    let abs = |p: &Path| {
        let a = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut out = PathBuf::new();
        for c in a.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    };
    let out_abs = abs(out);
    let root_abs = abs(root);
    for protected in [root_abs.clone(), root_abs.join("content"), root_abs.join("themes")] {
        if protected.starts_with(&out_abs) {
            return Err(Failure::Usage(format!(
                "--out {} would replace {}; choose a separate output folder",
                out.display(),
                protected.display()
            )));
        }
    }
    if out_abs.starts_with(root_abs.join("content")) || out_abs.starts_with(root_abs.join("themes")) {
        return Err(Failure::Usage(format!(
            "--out {} is inside content/ or themes/; choose a separate output folder",
            out.display()
        )));
    }
    if out.exists() && !out.is_dir() {
        return Err(Failure::Usage(format!("--out {} is a file, not a folder; refusing to replace it", out.display())));
    }
    if !force && out.is_dir() {
        let empty = std::fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty && !out.join("catalogue.json").is_file() {
            return Err(Failure::Usage(format!(
                "{} exists and does not look like a gongkai build (no catalogue.json); refusing to replace it. Pass --force to replace it anyway",
                out.display()
            )));
        }
    }
    Ok(())
}

/// The date targets are judged against: the day of SOURCE_DATE_EPOCH when set (so
/// archival rebuilds are reproducible), else today, in China Standard Time.
pub fn reference_date() -> chrono::NaiveDate {
    let secs =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
        });
    chrono::DateTime::from_timestamp(secs + 8 * 3600, 0).map_or(chrono::NaiveDate::MIN, |t| t.date_naive())
}

/// The build time shown in pages, only when SOURCE_DATE_EPOCH asks for one.
fn source_date_epoch() -> Option<String> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    let t = chrono::DateTime::from_timestamp(secs, 0)?;
    Some(t.format("%Y-%m-%d %H:%M UTC").to_string())
}
