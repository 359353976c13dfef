//! Pages that would vanish without a word: a notice's file deleted from content/
//! (or moved so its address changes) without `withdrawn:`. `build` and `check`
//! compare the site with the catalogue the previous build left in the output
//! folder (`catalogue.json` and its parts list every notice's address and source
//! file, withdrawn ones included); each address of it that the site no longer
//! has, whose file is gone from the site folder, is a warning naming the address.
//!
//! Why the catalogue and not the build cache: the catalogue is what the public
//! saw (the cache can be deleted or switched off with --no-cache, and keeps texts,
//! not addresses); it is written by every build, and a folder copied elsewhere
//! carries it. Without a previous output (a first build, another --out) there is
//! nothing to compare and nothing is said.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Site;
use crate::routes;

/// A page of the previous build: its address and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    /// The page's folder relative to the site root, percent-encoded (`notices/x/`).
    pub path: String,
    pub url: String,
    /// The Markdown file, relative to the site folder.
    pub source: String,
    pub title: String,
}

/// Every notice page listed by the catalogue in `out` (empty when there is none,
/// or it cannot be read: a damaged catalogue is not the content's problem).
pub fn previous(out: &Path) -> Vec<Previous> {
    let Some(entry) = read_json(&out.join(routes::CATALOGUE)) else { return Vec::new() };
    let mut files: Vec<String> =
        entry["parts"].as_array().into_iter().flatten().filter_map(|p| p["href"].as_str().map(str::to_owned)).collect();
    files.extend(entry["withdrawn"]["href"].as_str().map(str::to_owned));
    let mut out_pages = Vec::new();
    for file in files {
        // Only files inside the output folder, as the catalogue names them.
        if file.contains("..") || file.starts_with('/') {
            continue;
        }
        let Some(part) = read_json(&out.join(&file)) else { continue };
        let entries = part["notices"].as_array().or_else(|| part["entries"].as_array());
        for e in entries.into_iter().flatten() {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            if !text("path").is_empty() {
                out_pages.push(Previous {
                    path: text("path"),
                    url: text("url"),
                    source: text("source"),
                    title: text("title"),
                });
            }
        }
    }
    out_pages
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// A warning for each page of `previous` that `site` no longer has and whose
/// source file is gone from `root`.
pub fn warnings(root: &Path, site: &Site, previous: &[Previous]) -> Vec<Diagnostic> {
    let now: HashSet<String> = site
        .notices
        .iter()
        .map(|n| n.url.encoded_dir())
        .chain(site.withdrawn.iter().map(|n| n.url.encoded_dir()))
        .collect();
    previous
        .iter()
        .filter(|p| !now.contains(&p.path))
        .filter(|p| p.source.is_empty() || !root.join(&p.source).exists())
        .map(|p| {
            Diagnostic::new(
                Code::Disappearing,
                Path::new(if p.source.is_empty() { "content" } else { &p.source }),
                format!("{} (/{}) will disappear: its file is no longer in content/", p.title, p.path),
            )
            .found(p.url.clone())
            .expected("the file back in content/ with `withdrawn: {date, reason}`, so the address says what happened")
            .hint("a deleted notice's address answers 404 and every link and citation to it breaks; restore the file and mark it withdrawn, or ignore this if the removal is meant")
        })
        .collect()
}
