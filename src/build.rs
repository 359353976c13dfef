//! `gongkai build`: the pipeline into a staging folder beside the output, swapped
//! in when complete, so a failed build leaves the previous output as it was.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::Diagnostics;
use crate::notice::Withheld;
use crate::pipeline::{self, Failure};
use crate::progress_bar::Stages;
use crate::render::RenderOptions;
use crate::targets::{self, Purpose};
use crate::write::{Output, OutputFolder};

pub struct BuildOptions {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Replace an output folder that does not look like a previous build.
    pub force: bool,
    /// Build the site as it stood at the end of this day.
    pub as_of: Option<chrono::NaiveDate>,
    /// Neither read nor write the build cache (`cache`).
    pub no_cache: bool,
}

pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub notices: usize,
    pub pages: usize,
    /// Files and bytes the output holds.
    pub files: usize,
    pub bytes: u64,
    pub withheld: Vec<Withheld>,
    pub out: PathBuf,
    pub seconds: f64,
    /// What the build cache did, if the build used it.
    pub cache: Option<crate::cache::Counts>,
}

pub fn build(opts: &BuildOptions, stages: &Stages) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    let root = &opts.root;
    let out = opts.out.clone().unwrap_or_else(|| root.join("output"));
    check_output_folder(root, &out, opts.force)?;
    // The output's folder first: its lock keeps a second build off this output
    // and off the cache beside it.
    let folder = OutputFolder::open(&out).map_err(|source| Failure::Io {
        what: format!("cannot prepare the folder beside {}", out.display()),
        source,
    })?;
    if !opts.no_cache
        && let Some(cache) = crate::cache::Cache::open(&folder.home().join("cache"))
    {
        crate::cache::install(cache);
    }
    // Read before the new output replaces it: what the public saw last.
    let previous = crate::disappearing::previous(&out);
    let (site, theme, mut diagnostics) = pipeline::site(root, opts.base_url.as_deref(), opts.as_of, stages)?;
    diagnostics.extend(crate::disappearing::warnings(root, &site, &previous));
    diagnostics.sort();
    let output = Output::new(&folder);
    let opts = RenderOptions { built: pipeline::source_date_epoch() };
    let pages = pipeline::render_all(&site, &theme, opts, &output, stages)?;
    let (files, bytes) = (output.count(), output.bytes());
    drop(output);
    let stage = stages.start("write", 0);
    folder.commit().map_err(|source| Failure::Io { what: format!("cannot replace {}", out.display()), source })?;
    let cache = crate::cache::current().map(crate::cache::Cache::finish);
    drop(stage);
    Ok(BuildReport {
        diagnostics,
        notices: site.notices.len(),
        pages,
        files,
        bytes,
        withheld: site.withheld,
        out,
        seconds: start.elapsed().as_secs_f64(),
        cache,
    })
}

/// Refuse to replace a folder the clerk wrote (content, themes, the site itself:
/// `targets`) or one that is not a previous build, unless --force.
fn check_output_folder(root: &Path, out: &Path, force: bool) -> Result<(), Failure> {
    targets::check(root, out, Purpose::Output, "--out").map_err(|e| Failure::Usage(e.to_string()))?;
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
