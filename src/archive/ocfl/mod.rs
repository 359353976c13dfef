//! An archive folder as an OCFL 1.1 storage root (<https://ocfl.io/1.1/spec/>)
//! holding one object, the site: each snapshot is a version of it, and a file
//! that an earlier version already holds is not stored again, only named in the
//! new version's state. BagIt stays the format for handing one version to
//! someone else (`export`).
//!
//! ```text
//! ARCHIVE/0=ocfl_1.1                 the storage root's declaration
//! ARCHIVE/index.html                 the archive's index page (outside the object)
//! ARCHIVE/site/0=ocfl_object_1.1     the object's declaration
//! ARCHIVE/site/inventory.json        every version: its state, date, message, user
//! ARCHIVE/site/inventory.json.sha512
//! ARCHIVE/site/v1/content/…          the files v1 brought
//! ARCHIVE/site/v2/content/…          only the files v2 brought
//! ```
//!
//! A version's state is the snapshot's bag as `snapshot --out` writes it
//! (`bagit.txt`, `bag-info.txt`, `data/…`) without its manifests and tag
//! manifests, which `export` makes again from the payload and bag-info.txt, byte
//! for byte; and `snapshot.json`: what an export needs besides (the as-of date,
//! title, base URL, when it was packaged). Content paths are the logical paths
//! under `vN/content/`, so the object can be read by eye as well as by an OCFL tool.
//! Version folders hold no copy of the inventory (see `add_version` for why):
//! `ocfl-validate` warns W010 for each and accepts the object.

mod add;
mod check;
mod export;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use add::{AddedVersion, Version, add_version, migrate};
pub use check::{ObjectReport, Problem, verify_object};
pub use export::{Export, Exported, export};

use super::{ArchiveError, io};

/// `0=ocfl_1.1`: what makes a folder an OCFL 1.1 storage root.
pub const ROOT_DECLARATION: (&str, &str) = ("0=ocfl_1.1", "ocfl_1.1\n");
/// `0=ocfl_object_1.1`: what makes a folder an OCFL 1.1 object.
pub const OBJECT_DECLARATION: (&str, &str) = ("0=ocfl_object_1.1", "ocfl_object_1.1\n");
/// The object's folder in the storage root.
pub const OBJECT: &str = "site";
/// The logical file beside the bag in each version.
pub const SNAPSHOT_JSON: &str = "snapshot.json";
const INVENTORY_TYPE: &str = "https://ocfl.io/1.1/spec/#inventory";

/// An OCFL inventory (§3.5), as gongkai writes it: sha512, content directory
/// `content`, no fixity. Maps are sorted, so the same versions give the same bytes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "digestAlgorithm")]
    pub digest_algorithm: String,
    pub head: String,
    #[serde(rename = "contentDirectory", default, skip_serializing_if = "Option::is_none")]
    pub content_directory: Option<String>,
    /// digest → content paths (`vN/content/…`).
    pub manifest: BTreeMap<String, Vec<String>>,
    /// `v1`, `v2` … (see `version_names`: a BTreeMap sorts v10 before v2).
    pub versions: BTreeMap<String, VersionRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixity: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VersionRecord {
    pub created: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// digest → logical paths.
    pub state: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// What `snapshot.json` records of a version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SnapshotRecord {
    pub as_of: String,
    pub title: String,
    pub base_url: String,
    /// When it was packaged (the WACZ's `created`).
    pub created: String,
    pub gongkai: String,
}

impl Inventory {
    /// `v1` … `vN` in order, or None when the names are not exactly those.
    pub fn version_names(&self) -> Option<Vec<String>> {
        let names: Vec<String> = (1..=self.versions.len()).map(|n| format!("v{n}")).collect();
        (names.iter().all(|n| self.versions.contains_key(n)) && self.head == format!("v{}", self.versions.len()))
            .then_some(names)
    }

    /// digest → the content path that holds it, for every logical path of `version`.
    pub fn files_of(&self, version: &str) -> Vec<(String, String, String)> {
        let Some(v) = self.versions.get(version) else { return Vec::new() };
        let mut out = Vec::new();
        for (digest, paths) in &v.state {
            let Some(content) = self.manifest.get(digest).and_then(|c| c.first()) else { continue };
            for p in paths {
                out.push((p.clone(), digest.clone(), content.clone()));
            }
        }
        out.sort();
        out
    }

    /// The inventory's bytes: compact JSON (every version keeps a copy of the
    /// inventory up to it, so its size counts many times), a newline at the end.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec(self).expect("an inventory serialises");
        b.push(b'\n');
        b
    }
}

/// The sidecar of an inventory: its sha512 and name (§3.6).
pub fn sidecar(inventory: &[u8]) -> String {
    format!("{} inventory.json\n", sha512_hex(inventory))
}

pub fn sha512_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha512::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `dir` is an OCFL storage root gongkai can read (its declaration).
pub fn is_storage_root(dir: &Path) -> bool {
    dir.join(ROOT_DECLARATION.0).is_file()
}

/// Whether an archive can be started at `dir`: it does not exist, or holds
/// nothing but an index page (which `check_archive_target` vets).
pub fn is_fresh(dir: &Path) -> Result<bool, ArchiveError> {
    match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io(format!("cannot read {}", dir.display()))(e)),
        Ok(rd) => Ok(rd.flatten().all(|e| e.file_name() == "index.html")),
    }
}

/// The object folder of the storage root `root`.
pub fn object_dir(root: &Path) -> PathBuf {
    root.join(OBJECT)
}

/// Read an object's root inventory, checked against its sidecar; an error names
/// what is wrong.
pub fn read_inventory(object: &Path) -> Result<Inventory, String> {
    let path = object.join("inventory.json");
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let side = object.join("inventory.json.sha512");
    let side_text = std::fs::read_to_string(&side).map_err(|e| format!("cannot read {}: {e}", side.display()))?;
    if side_text.split_whitespace().next() != Some(sha512_hex(&bytes).as_str()) {
        return Err(format!("{} does not match {} (the inventory was changed)", path.display(), side.display()));
    }
    parse_inventory(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn parse_inventory(bytes: &[u8]) -> Result<Inventory, String> {
    let inv: Inventory = serde_json::from_slice(bytes).map_err(|e| format!("not an OCFL inventory: {e}"))?;
    if inv.kind != INVENTORY_TYPE {
        return Err(format!("type is `{}`, not `{INVENTORY_TYPE}`", inv.kind));
    }
    if inv.digest_algorithm != "sha512" {
        return Err(format!("digestAlgorithm is `{}`; gongkai writes and reads sha512", inv.digest_algorithm));
    }
    if inv.content_directory.as_deref().is_some_and(|c| c != "content") {
        return Err("contentDirectory is not `content`".into());
    }
    if inv.version_names().is_none() {
        return Err(format!("versions are not v1 … {} without a gap", inv.head));
    }
    Ok(inv)
}

/// Write `bytes` to `path` through a temporary file renamed into place.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    crate::write::atomic_write(path, bytes).map_err(io(format!("cannot write {}", path.display())))
}

/// The `created` of a version: the last second of the as-of day in the site's
/// time zone, as RFC 3339.
pub fn version_created(as_of: chrono::NaiveDate, zone: chrono::FixedOffset) -> String {
    let end = as_of.and_hms_opt(23, 59, 59).expect("a valid time");
    end.and_local_timezone(zone).single().expect("a fixed offset has one local time").to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_is_the_last_second_of_the_day_in_the_zone() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        let zone = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        assert_eq!(version_created(d, zone), "2024-01-31T23:59:59+08:00");
    }

    #[test]
    fn version_names_need_every_number_and_the_head() {
        let mut inv = Inventory {
            id: "x".into(),
            kind: INVENTORY_TYPE.into(),
            digest_algorithm: "sha512".into(),
            head: "v2".into(),
            content_directory: None,
            manifest: BTreeMap::new(),
            versions: BTreeMap::new(),
            fixity: None,
        };
        let record = VersionRecord {
            created: "2024-01-31T23:59:59+08:00".into(),
            message: None,
            state: BTreeMap::new(),
            user: None,
        };
        inv.versions.insert("v1".into(), record.clone());
        assert!(inv.version_names().is_none(), "head v2 but one version");
        inv.versions.insert("v2".into(), record.clone());
        assert_eq!(inv.version_names().unwrap(), ["v1", "v2"]);
        inv.versions.insert("v4".into(), record);
        assert!(inv.version_names().is_none());
        let bytes = inv.to_bytes();
        assert!(parse_inventory(&bytes).is_err());
    }
}
