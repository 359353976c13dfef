//! An archive folder: one bag per snapshot date (`ARCHIVE/<date>/`) and an
//! `index.html` listing them, newest first, each linking into its own copy of the site.

use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use super::changes::{Changes, between, read_catalogue};
use super::dedup::{Shared, link_unchanged};
use super::{ArchiveError, BagSummary, baginfo, io};
use crate::render::theme::Theme;
use crate::text::human_size;
use crate::write::{atomic_write, swap_dir};

/// Characters escaped in a path segment of an `href`.
const SEGMENT: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

/// Where `add_to_archive` put the snapshot, and what it shares with earlier ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub path: PathBuf,
    pub shared: Shared,
}

/// Add a bag to an archive folder as `ARCHIVE/<bag_name>/` and rewrite
/// `ARCHIVE/index.html`. `write` writes the bag into the folder it is given (which
/// does not exist yet); its payload files equal to an earlier snapshot's are then
/// stored once (hard links, see `dedup`), and the new snapshot is moved into
/// place only when all this succeeded. An existing snapshot of the same name is
/// replaced only when `force`.
pub fn add_to_archive(
    archive: &Path,
    bag_name: &str,
    write: impl FnOnce(&Path) -> Result<BagSummary, ArchiveError>,
    force: bool,
    theme: &Theme,
) -> Result<Added, ArchiveError> {
    check_snapshot_target(archive, bag_name, force)?;
    std::fs::create_dir_all(archive).map_err(io(format!("cannot create {}", archive.display())))?;
    let target = archive.join(bag_name);
    let fresh = archive.join(format!(".{bag_name}.gongkai-new-{}", std::process::id()));
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(io(format!("cannot remove {}", fresh.display())))?;
    }
    if let Err(e) = write(&fresh) {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(e);
    }
    if !fresh.join("bagit.txt").is_file() {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(ArchiveError::Refused(format!("no bag was written for snapshot {bag_name}")));
    }
    let earlier: Vec<PathBuf> = snapshots(archive)?.iter().map(|s| archive.join(&s.dir)).collect();
    let shared = link_unchanged(&fresh, &earlier);
    if let Err(e) = swap_dir(&fresh, &target) {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(io(format!("cannot move the new snapshot to {}", target.display()))(e));
    }
    write_archive_index(archive, theme)?;
    Ok(Added { path: target, shared })
}

/// A snapshot's folder name: one plain path segment (normally the as-of date).
/// Refuse snapshot `bag_name` of `archive` when the name cannot name a folder, the
/// archive holds that snapshot and `force` is not given (then it is replaced), or
/// something else has its name. `snapshot` asks before building, `add_to_archive`
/// again before writing.
pub fn check_snapshot_target(archive: &Path, bag_name: &str, force: bool) -> Result<(), ArchiveError> {
    check_bag_name(bag_name)?;
    // The index page is rewritten with every snapshot: one gongkai did not write
    // (a folder that is not an archive of gongkai's) is replaced only with --force.
    let index = archive.join("index.html");
    if !force && std::fs::symlink_metadata(&index).is_ok() && !written_by_gongkai(&index) {
        return Err(ArchiveError::Refused(format!(
            "{} was not written by gongkai; refusing to replace it with the archive's index (pass --force to replace it)",
            index.display()
        )));
    }
    let target = archive.join(bag_name);
    let exists = match std::fs::symlink_metadata(&target) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => {
            return Err(ArchiveError::Refused(format!(
                "{} exists and is not a snapshot folder; refusing to replace it",
                target.display()
            )));
        }
        Err(_) => false,
    };
    if exists && !force {
        return Err(ArchiveError::Refused(format!(
            "the archive already holds a snapshot {bag_name} ({}); pass --force to replace it",
            target.display()
        )));
    }
    Ok(())
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

fn check_bag_name(name: &str) -> Result<(), ArchiveError> {
    let ok = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(ArchiveError::Refused(format!(
            "`{}` cannot name a snapshot folder: use letters, digits, `-`, `_` and `.` (such as 2024-06-30)",
            name.escape_debug()
        )))
    }
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
    let fields = std::fs::read_to_string(archive.join(dir).join("bag-info.txt"))
        .map(|t| baginfo::parse(&t).0)
        .unwrap_or_default();
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
    href: String,
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
            href: utf8_percent_encode(&s.dir, SEGMENT).to_string(),
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

/// (Re)write `ARCHIVE/index.html` from the bags in the folder, with the theme's
/// `archive.html`. The page depends only on the bags, so the same archive always
/// gives the same bytes.
pub fn write_archive_index(archive: &Path, theme: &Theme) -> Result<(), ArchiveError> {
    // Oldest first, each snapshot compared with the one before it: only the entries
    // of two catalogues are held, and only the parts that differ between them read
    // (a month's snapshots mostly differ in the newest year's).
    let mut rows: Vec<Row> = Vec::new();
    let mut before = None;
    for s in snapshots(archive)?.into_iter().rev() {
        let after = read_catalogue(&archive.join(&s.dir));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_bag_name("2024-06-30").is_ok());
        for bad in ["", ".", "..", ".hidden", "a/b", "a\\b", "日期", "a b"] {
            assert!(check_bag_name(bad).is_err(), "{bad}");
        }
    }
}
