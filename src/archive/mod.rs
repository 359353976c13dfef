//! Archival snapshots: a built site packaged as a BagIt bag (RFC 8493), checked by
//! `verify`, and collected in an archive folder with an index page.
//!
//! A bag written by `write_bag`:
//!
//! ```text
//! bagit.txt               BagIt-Version: 1.0 / Tag-File-Character-Encoding: UTF-8
//! data/…                  a copy of the site folder
//! manifest-sha256.txt     `<digest>  data/<path>` per payload file, sorted
//! manifest-sha512.txt
//! bag-info.txt            Source-Organization, External-Identifier, Bagging-Date,
//!                         Payload-Oxum, Bag-Software-Agent, Gongkai-As-Of,
//!                         Gongkai-Git-Commit, then any extra labels
//! tagmanifest-sha256.txt  bag-info.txt, bagit.txt and the two payload manifests
//! tagmanifest-sha512.txt
//! ```
//!
//! Nothing in a bag depends on the time or the machine it was written on, only on
//! the site's files and the `BagInfo`, so the same input gives the same bytes.

mod baginfo;
mod changes;
pub(crate) mod digest;
mod index;
mod manifest;
pub mod ocfl;
pub mod snapshot;
mod verify;
mod wacz;
mod warc;
mod write;

use std::path::Path;
use std::process::{Command, Stdio};

pub use index::{archive_snapshots, check_archive_target, write_archive_index};
pub use verify::{VerifyReport, verify};
pub use wacz::{WACZ_VERSION, WaczInfo, WaczSummary, check_wacz_target, write_wacz};
pub use write::{check_bag_target, write_bag};

/// Why a bag or an archive folder was not written. Nothing half-written is left.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Refused before anything was written: the target is taken, the bag would be
    /// inside the site it packages, the site holds a file a bag cannot name …
    #[error("{0}")]
    Refused(String),
    /// A bag-info value gongkai will not write.
    #[error("{0}")]
    BagInfo(String),
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error(transparent)]
    Template(#[from] crate::render::theme::TemplateError),
}

/// An I/O error, with what was being done.
fn io(what: String) -> impl FnOnce(std::io::Error) -> ArchiveError {
    move |source| ArchiveError::Io { what, source }
}

/// `bagit.txt` of every bag gongkai writes.
pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// What goes into `bag-info.txt` besides Payload-Oxum and Bag-Software-Agent, which
/// gongkai works out itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BagInfo {
    /// `Source-Organization` (left out when empty): the organisation of `site.yaml`.
    pub source_organization: String,
    /// `External-Identifier` (left out when empty), e.g. the site's base URL.
    pub external_identifier: String,
    /// `Gongkai-As-Of`: the date the site shows, `YYYY-MM-DD`.
    pub as_of: Option<String>,
    /// `Gongkai-Git-Commit`: the content's commit, when known (see `git_commit`).
    pub git_commit: Option<String>,
    /// `Bagging-Date`, `YYYY-MM-DD`. Given by the caller, so a bag can be rebuilt
    /// byte for byte (derive it from SOURCE_DATE_EPOCH when set).
    pub bagging_date: String,
    /// More `Label: value` elements, written after the others in this order. They
    /// may not repeat a label gongkai writes itself.
    pub extra: Vec<(String, String)>,
}

/// What `write_bag` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagSummary {
    /// Payload files (under `data/`).
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// `<bytes>.<files>`, as written in bag-info.txt.
    pub oxum: String,
}

/// `Bag-Software-Agent` of the bags gongkai writes.
pub fn software_agent() -> String {
    format!("gongkai {}", env!("CARGO_PKG_VERSION"))
}

/// `git -C dir ARGS`, with the repository taken from `dir` alone (not from the
/// caller's GIT_* variables); None when git cannot be run.
fn git(dir: &Path, args: &[&str]) -> Option<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
}

/// The commit checked out in the git work tree that holds `dir`, or None when
/// `dir` is not in one, git is not installed, or HEAD has no commit yet. Never fails.
pub fn git_commit(dir: &Path) -> Option<String> {
    let out = git(dir, &["rev-parse", "--verify", "--quiet", "HEAD"])?;
    if !out.status.success() {
        return None;
    }
    let id = String::from_utf8(out.stdout).ok()?.trim().to_ascii_lowercase();
    ((id.len() == 40 || id.len() == 64) && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some(id)
}

/// The commit the site's files are at (`git_commit` of `root`), marked `-dirty`
/// as `git describe --dirty` does when content/ or themes/ hold changes not
/// committed (modified, added or untracked files): the bag then claims no commit
/// it does not match.
pub fn site_commit(root: &Path) -> Option<String> {
    let commit = git_commit(root)?;
    let status = git(root, &["status", "--porcelain", "--untracked-files=all", "--", "content", "themes"])?;
    // A status that cannot be had is not taken for a clean tree.
    let clean = status.status.success() && status.stdout.is_empty();
    Some(if clean { commit } else { format!("{commit}-dirty") })
}
