//! An archive folder's index page, listing the versions of its OCFL object
//! (`ocfl`) newest first with what changed in each; and the reading of archive
//! folders of bags (`ARCHIVE/<date>/`), the format before, which `verify` checks
//! and `archive migrate` brings into an object.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::changes::{Changes, Files, between, read_catalogue_in};
use super::ocfl::{object_dir, read_inventory};
use super::{ArchiveError, baginfo, io};
use crate::render::theme::Theme;
use crate::text::human_size;
use crate::write::atomic_write;

/// Refuse to add a snapshot to `archive` before anything is built: when it is
/// neither new, empty, nor an OCFL storage root (an archive folder of bags gets
/// the command that migrates it), or its `index.html` is not one gongkai wrote
/// (replaced only with `force`).
pub fn check_archive_target(archive: &Path, force: bool) -> Result<(), ArchiveError> {
    let index = archive.join("index.html");
    if !force && std::fs::symlink_metadata(&index).is_ok() && !written_by_gongkai(&index) {
        return Err(ArchiveError::Refused(format!(
            "{} was not written by gongkai; refusing to replace it with the archive's index (pass --force to replace it)",
            index.display()
        )));
    }
    if super::ocfl::is_storage_root(archive) || super::ocfl::is_fresh(archive)? {
        return Ok(());
    }
    if archive_snapshots(archive).is_some() {
        return Err(ArchiveError::Refused(format!(
            "{} is an archive folder of bags, the format before gongkai kept archives as OCFL objects; bring it into \
             a new archive with `gongkai archive migrate {} --to NEW` (every bag becomes a version, nothing is lost)",
            archive.display(),
            archive.display()
        )));
    }
    Err(ArchiveError::Refused(format!(
        "{} is neither empty nor an OCFL storage root (it has no 0=ocfl_1.1); refusing to write an archive into it",
        archive.display()
    )))
}

/// Whether `index` is an archive index page gongkai wrote: it says so in its
/// `generator` (or, written before that was added, has its title).
fn written_by_gongkai(index: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(index) else { return false };
    if !meta.is_file() || meta.len() > 64 << 20 {
        return false;
    }
    std::fs::read_to_string(index).is_ok_and(|t| {
        t.contains("<meta name=\"generator\" content=\"gongkai archive index\">")
            || t.contains("<title>网站归档快照 · Archived snapshots</title>")
    })
}

/// What the index shows of one snapshot, read from its bag-info.txt.
struct Snapshot {
    dir: String,
    date: String,
    organisation: Option<String>,
    identifier: Option<String>,
    oxum: Option<String>,
    bytes: Option<u64>,
    files: Option<u64>,
    bagging_date: Option<String>,
    commit: Option<String>,
}

fn read_snapshot(archive: &Path, dir: &str) -> Snapshot {
    read_bag_info(&archive.join(dir).join("bag-info.txt"), dir)
}

/// A snapshot as its `bag-info.txt` at `path` describes it; `dir` names it.
fn read_bag_info(path: &Path, dir: &str) -> Snapshot {
    let fields = std::fs::read_to_string(path).map(|t| baginfo::parse(&t).0).unwrap_or_default();
    let get = |label: &str| baginfo::value(&fields, label).map(str::to_string).filter(|v| !v.is_empty());
    let oxum = get("Payload-Oxum");
    let parsed = oxum.as_deref().and_then(baginfo::parse_oxum);
    Snapshot {
        dir: dir.to_string(),
        date: get("Gongkai-As-Of").unwrap_or_else(|| dir.to_string()),
        organisation: get("Source-Organization"),
        identifier: get("External-Identifier"),
        bytes: parsed.map(|(b, _)| b),
        files: parsed.map(|(_, n)| n),
        oxum,
        bagging_date: get("Bagging-Date"),
        commit: get("Gongkai-Git-Commit"),
    }
}

/// The snapshots of an archive: its visible sub-folders holding a `bagit.txt`,
/// newest first (by as-of date, then folder name).
fn snapshots(archive: &Path) -> Result<Vec<Snapshot>, ArchiveError> {
    let rd = std::fs::read_dir(archive).map_err(io(format!("cannot list {}", archive.display())))?;
    let mut out = Vec::new();
    for entry in rd.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if name.starts_with('.') || !is_dir || !entry.path().join("bagit.txt").is_file() {
            continue;
        }
        out.push(read_snapshot(archive, &name));
    }
    out.sort_by(|a, b| (&b.date, &b.dir).cmp(&(&a.date, &a.dir)));
    Ok(out)
}

/// The snapshot folders of an archive folder, newest first; None when `dir` is a
/// bag itself (it has a `bagit.txt`) or holds no snapshot.
pub fn archive_snapshots(dir: &Path) -> Option<Vec<PathBuf>> {
    if dir.join("bagit.txt").exists() {
        return None;
    }
    let found: Vec<PathBuf> = snapshots(dir).ok()?.iter().map(|s| dir.join(&s.dir)).collect();
    (!found.is_empty()).then_some(found)
}

/// One row of the archive's index page (`archive.html`): every value as shown.
#[derive(Serialize)]
struct Row {
    /// What changed since the snapshot before it; None for the first snapshot, or
    /// when either bag has no readable catalogue (or a part of it that differs).
    changes: Option<Changes>,
    /// Notices in its catalogue (None when unreadable).
    notices: Option<usize>,
    /// The OCFL version (`v3`).
    version: String,
    date: String,
    identifier: Option<String>,
    files: String,
    bytes: Option<u64>,
    size: String,
    oxum: String,
    organisation: String,
    bagging_date: String,
    commit: Option<String>,
}

impl Row {
    fn of(s: Snapshot, notices: Option<usize>, changes: Option<Changes>) -> Row {
        let dash = || "—".to_string();
        Row {
            changes,
            notices,
            version: s.dir,
            date: s.date,
            identifier: s.identifier,
            files: s.files.map_or_else(dash, |n| n.to_string()),
            bytes: s.bytes,
            size: s.bytes.map_or_else(dash, human_size),
            oxum: s.oxum.unwrap_or_else(dash),
            organisation: s.organisation.unwrap_or_else(dash),
            bagging_date: s.bagging_date.unwrap_or_else(dash),
            commit: s.commit,
        }
    }
}

/// (Re)write `ARCHIVE/index.html` from the inventory of the archive's object,
/// with the theme's `archive.html`. The page depends only on the object, so the
/// same archive always gives the same bytes.
pub fn write_archive_index(archive: &Path, theme: &Theme) -> Result<(), ArchiveError> {
    let object = object_dir(archive);
    let inv = read_inventory(&object).map_err(ArchiveError::Refused)?;
    // Oldest first, each version compared with the one before it: only the entries
    // of two catalogues are held, and only the parts that differ between them read.
    let mut rows: Vec<Row> = Vec::new();
    let mut before = None;
    for name in inv.version_names().unwrap_or_default() {
        let mut site: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut bag_info = None;
        for (logical, _, content) in inv.files_of(&name) {
            if logical == "bag-info.txt" {
                bag_info = Some(object.join(&content));
            } else if let Some(rel) = logical.strip_prefix("data/") {
                site.insert(rel.to_string(), object.join(&content));
            }
        }
        let s = read_bag_info(&bag_info.unwrap_or_default(), &name);
        let after = read_catalogue_in(Files::Mapped(Arc::new(site)));
        let changes = match (&before, &after) {
            (Some(b), Some(a)) => between(b, a),
            _ => None,
        };
        rows.push(Row::of(s, after.as_ref().map(|c| c.count), changes));
        before = after;
    }
    rows.reverse(); // newest first, as the page lists them
    let mut ctx = tera::Context::new();
    ctx.insert("snapshots", &rows);
    let html = theme.render("archive.html", &ctx)?;
    let index = archive.join("index.html");
    atomic_write(&index, html.as_bytes()).map_err(io(format!("cannot write {}", index.display())))
}
