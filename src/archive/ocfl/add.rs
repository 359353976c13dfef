//! Adding a snapshot to the archive's object as its next version, and bringing an
//! archive folder of bags (the format before) into a new object.
//!
//! A version is written in this order: its new content files, then the object's
//! root inventory and its sidecar, each renamed into place. The
//! root inventory is the commit: until it names the new version, the version is
//! not part of the object, and a version folder left behind by a killed process is
//! a stray folder that `verify` names and that stops the next snapshot.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{
    Inventory, OBJECT_DECLARATION, ROOT_DECLARATION, SNAPSHOT_JSON, SnapshotRecord, User, VersionRecord, object_dir,
    read_inventory, sha512_hex, sidecar, verify_object, write_file,
};
use crate::archive::{ArchiveError, io};

/// A snapshot to add: a bag folder as `write_bag` wrote it, and what it records.
pub struct Version<'a> {
    pub bag: &'a Path,
    pub record: SnapshotRecord,
    pub as_of: chrono::NaiveDate,
    /// The version's `created` (see `version_created`).
    pub created: String,
    pub user: User,
    /// The object's `id` when it is created: the site's base URL.
    pub id: String,
    /// Add a second version of the head's date (it supersedes the first).
    pub force: bool,
    /// The bag is a staging copy: its files are moved into the object, not copied.
    pub move_files: bool,
}

/// What `add_version` stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedVersion {
    pub name: String,
    /// Files and bytes the version brought (stored in its content folder).
    pub new_files: usize,
    pub new_bytes: u64,
    /// Files and bytes it shares with earlier versions (stored once, before).
    pub shared_files: usize,
    pub shared_bytes: u64,
}

/// The storage root is locked while a version is added: two snapshots at once
/// would both take the same version number. The lock is the kernel's (released
/// when the process ends, even by kill -9), on a file beside the object.
fn lock(root: &Path) -> Result<File, ArchiveError> {
    let path = root.join(".gongkai.lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(format!("cannot open {}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(ArchiveError::Refused(format!(
            "another gongkai is adding a snapshot to {} (it holds {}); try again when it has finished",
            root.display(),
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(io(format!("cannot lock {}", path.display()))(e)),
    }
}

/// Make `root` a storage root if it is new or empty; refuse anything else that is
/// not one (an archive folder of bags is named as such, with the command that
/// brings it in).
fn ensure_root(root: &Path) -> Result<(), ArchiveError> {
    if super::is_storage_root(root) {
        return Ok(());
    }
    if !super::is_fresh(root)? {
        // `check_archive_target` said why, before the build.
        crate::archive::check_archive_target(root, true)?;
    }
    std::fs::create_dir_all(root).map_err(io(format!("cannot create {}", root.display())))?;
    write_file(&root.join(ROOT_DECLARATION.0), ROOT_DECLARATION.1.as_bytes())
}

/// The as-of date of the version `name` of `inv`, from its snapshot.json.
pub(super) fn record_of(object: &Path, inv: &Inventory, name: &str) -> Option<SnapshotRecord> {
    let (_, _, content) = inv.files_of(name).into_iter().find(|(logical, _, _)| logical == SNAPSHOT_JSON)?;
    serde_json::from_slice(&std::fs::read(object.join(content)).ok()?).ok()
}

/// Add `v` to the object of the storage root `root` (both made if new). A damaged
/// object, a snapshot dated before the head version, or one of the head's date
/// without `force`, is refused before anything is written.
pub fn add_version(root: &Path, v: &Version) -> Result<AddedVersion, ArchiveError> {
    ensure_root(root)?;
    let _lock = lock(root)?;
    let object = object_dir(root);
    let mut inv = if object.join(OBJECT_DECLARATION.0).exists() {
        let report = verify_object(&object);
        if !report.problems.is_empty() {
            return Err(ArchiveError::Refused(format!(
                "the archive's object {} is damaged, so no snapshot is added to it:\n  {}\n`gongkai verify {}` lists \
                 every problem",
                object.display(),
                report.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "),
                root.display()
            )));
        }
        let inv = read_inventory(&object).map_err(ArchiveError::Refused)?;
        if let Some(head) = record_of(&object, &inv, &inv.head) {
            let date = v.as_of.format("%Y-%m-%d").to_string();
            if date < head.as_of || (date == head.as_of && !v.force) {
                return Err(ArchiveError::Refused(format!(
                    "the archive's last snapshot ({}) is of {}; a snapshot of {date} would not come after it. \
                     Versions are kept in date order{}",
                    inv.head,
                    head.as_of,
                    if date == head.as_of {
                        "; pass --force to add a new version of the same date that supersedes it"
                    } else {
                        ""
                    }
                )));
            }
        }
        inv
    } else {
        if object.exists() {
            return Err(ArchiveError::Refused(format!(
                "{} exists but is not an OCFL object (no {}); refusing to write into it",
                object.display(),
                OBJECT_DECLARATION.0
            )));
        }
        std::fs::create_dir_all(&object).map_err(io(format!("cannot create {}", object.display())))?;
        write_file(&object.join(OBJECT_DECLARATION.0), OBJECT_DECLARATION.1.as_bytes())?;
        Inventory {
            id: v.id.clone(),
            kind: super::INVENTORY_TYPE.into(),
            digest_algorithm: "sha512".into(),
            head: "v0".into(),
            content_directory: None,
            manifest: BTreeMap::new(),
            versions: BTreeMap::new(),
            fixity: None,
        }
    };
    let name = format!("v{}", inv.versions.len() + 1);
    let version_dir = object.join(&name);
    if version_dir.exists() {
        return Err(ArchiveError::Refused(format!(
            "{} exists but the inventory does not name it (a snapshot was interrupted?); `gongkai verify {}` says more",
            version_dir.display(),
            root.display()
        )));
    }
    let record_bytes = {
        let mut b = serde_json::to_vec_pretty(&v.record).expect("a record serialises");
        b.push(b'\n');
        b
    };
    let files = bag_files(v.bag)?;
    let digests: Vec<(String, PathBuf, String, u64)> = files
        .into_par_iter()
        .map(|(logical, path)| {
            let bytes = std::fs::read(&path).map_err(io(format!("cannot read {}", path.display())))?;
            Ok((logical, path, sha512_hex(&bytes), bytes.len() as u64))
        })
        .collect::<Result<_, ArchiveError>>()?;
    let mut state: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut added = AddedVersion { name: name.clone(), new_files: 0, new_bytes: 0, shared_files: 0, shared_bytes: 0 };
    // A bag file is moved or copied from `from`; snapshot.json (no `from`) is written.
    let store = |from: Option<&Path>, logical: &str| -> Result<String, ArchiveError> {
        let content = format!("{name}/content/{logical}");
        let to = object.join(&content);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(io(format!("cannot create {}", parent.display())))?;
        }
        match from {
            Some(from) if v.move_files => std::fs::rename(from, &to),
            Some(from) => std::fs::copy(from, &to).map(|_| ()),
            None => std::fs::write(&to, &record_bytes),
        }
        .map_err(io(format!("cannot store {}", to.display())))?;
        Ok(content)
    };
    let record_digest = sha512_hex(&record_bytes);
    let mut entries: Vec<(String, Option<PathBuf>, String, u64)> =
        digests.into_iter().map(|(l, p, d, n)| (l, Some(p), d, n)).collect();
    entries.push((SNAPSHOT_JSON.to_string(), None, record_digest, record_bytes.len() as u64));
    for (logical, path, digest, size) in entries {
        if inv.manifest.contains_key(&digest) || state.contains_key(&digest) {
            added.shared_files += 1;
            added.shared_bytes += size;
        } else {
            let content = store(path.as_deref(), &logical)?;
            inv.manifest.insert(digest.clone(), vec![content]);
            added.new_files += 1;
            added.new_bytes += size;
        }
        state.entry(digest).or_default().push(logical);
    }
    for paths in state.values_mut() {
        paths.sort();
    }
    inv.versions.insert(
        name.clone(),
        VersionRecord {
            created: v.created.clone(),
            message: Some(format!("gongkai snapshot of {} as of {}", v.record.base_url, v.record.as_of)),
            state,
            user: Some(v.user.clone()),
        },
    );
    inv.head = name.clone();
    let bytes = inv.to_bytes();
    let side = sidecar(&bytes);
    std::fs::create_dir_all(&version_dir).map_err(io(format!("cannot create {}", version_dir.display())))?;
    // Only the object's root inventory is written: a copy in each version folder
    // (a SHOULD of OCFL 1.1 §3.3) would repeat every earlier version's state, so a
    // year of monthly copies alone came to 0.93 × a whole snapshot, and the copies
    // grow with the square of the number of versions. The sidecar still catches a
    // changed inventory; the root inventory is replaced in one rename, last, so an
    // interrupted snapshot leaves a folder no inventory names, which `verify` reports.
    write_file(&object.join("inventory.json"), &bytes)?;
    write_file(&object.join("inventory.json.sha512"), side.as_bytes())?;
    Ok(added)
}

/// A bag's manifests and tag manifests are not kept: they follow from the payload
/// and bag-info.txt (`write::tag_files`), and `export` writes them again, byte for
/// byte. They list every file, so they change with every snapshot: at 1,000
/// notices 0.4 MB a month that the object would store again each time.
fn is_derived(logical: &str) -> bool {
    !logical.contains('/')
        && (logical.starts_with("manifest-") || logical.starts_with("tagmanifest-"))
        && logical.ends_with(".txt")
}

/// Every file of a bag folder by its path in the bag (`/`-separated); a link or
/// anything but a file or folder is refused.
fn bag_files(bag: &Path) -> Result<Vec<(String, PathBuf)>, ArchiveError> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(bag).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(|e| ArchiveError::Refused(format!("cannot read {}: {e}", bag.display())))?;
        let t = entry.file_type();
        if t.is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(bag).expect("under the bag");
        let logical = rel
            .to_str()
            .ok_or_else(|| ArchiveError::Refused(format!("{} is not a UTF-8 name", entry.path().display())))?
            .replace(std::path::MAIN_SEPARATOR, "/");
        if !t.is_file() {
            return Err(ArchiveError::Refused(format!("{} is not a plain file", entry.path().display())));
        }
        if logical == SNAPSHOT_JSON {
            return Err(ArchiveError::Refused(format!("a bag may not hold {SNAPSHOT_JSON} at its top")));
        }
        if is_derived(&logical) {
            continue;
        }
        out.push((logical, entry.path().to_path_buf()));
    }
    Ok(out)
}

/// Bring the archive folder of bags `old` into a new storage root `new`: each bag,
/// oldest first, checked (`verify`) and added as a version; then every bag's
/// payload digests are looked up in the object. `old` is only read.
pub fn migrate(old: &Path, new: &Path, zone: chrono::FixedOffset) -> Result<Vec<AddedVersion>, ArchiveError> {
    let Some(mut bags) = crate::archive::archive_snapshots(old) else {
        return Err(ArchiveError::Refused(format!("{} holds no snapshot bags to migrate", old.display())));
    };
    if new.exists() && std::fs::read_dir(new).map(|mut r| r.next().is_some()).unwrap_or(true) {
        return Err(ArchiveError::Refused(format!(
            "{} exists and is not empty; migrate into a new folder",
            new.display()
        )));
    }
    bags.reverse(); // oldest first
    let mut out = Vec::new();
    for bag in &bags {
        let report = crate::archive::verify(bag);
        if !report.is_valid() {
            return Err(ArchiveError::Refused(format!(
                "{} does not verify, so it is not migrated (nothing was written for it; `gongkai verify {}` says the \
                 same): {report}",
                bag.display(),
                bag.display()
            )));
        }
        let fields = std::fs::read_to_string(bag.join("bag-info.txt"))
            .map(|t| crate::archive::baginfo::parse(&t).0)
            .unwrap_or_default();
        let get = |l: &str| crate::archive::baginfo::value(&fields, l).unwrap_or("").to_string();
        let as_of_text = get("Gongkai-As-Of");
        let as_of = chrono::NaiveDate::parse_from_str(&as_of_text, "%Y-%m-%d")
            .map_err(|_| ArchiveError::Refused(format!("{}: bag-info.txt has no Gongkai-As-Of date", bag.display())))?;
        let identifier = get("External-Identifier");
        let base_url = identifier.split(" as of ").next().unwrap_or("").to_string();
        let record = SnapshotRecord {
            as_of: as_of_text.clone(),
            title: get("Source-Organization"),
            base_url: base_url.clone(),
            created: format!("{}T00:00:00Z", get("Bagging-Date")),
            gongkai: crate::archive::software_agent(),
        };
        let user = User { name: format!("{} (migrated by {})", record.title, record.gongkai), address: Some(base_url) };
        let added = add_version(
            new,
            &Version {
                bag,
                id: record.base_url.clone(),
                created: super::version_created(as_of, zone),
                record,
                as_of,
                user,
                force: true,
                move_files: false,
            },
        )?;
        out.push(added);
    }
    // Nothing lost: every payload digest of every bag is in the object.
    let inv = read_inventory(&object_dir(new)).map_err(ArchiveError::Refused)?;
    for (bag, version) in bags.iter().zip(&out) {
        let text = std::fs::read_to_string(bag.join("manifest-sha512.txt")).unwrap_or_default();
        let (entries, _) = crate::archive::manifest::parse(&text, crate::archive::digest::Algorithm::Sha512);
        let state = &inv.versions[&version.name].state;
        if let Some(e) = entries.iter().find(|e| !state.get(&e.digest).is_some_and(|p| p.contains(&e.path))) {
            return Err(ArchiveError::Refused(format!(
                "{}: {} is not in {} of the new archive",
                bag.display(),
                e.path,
                version.name
            )));
        }
    }
    Ok(out)
}
