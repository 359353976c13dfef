//! `gongkai verify` of an archive's object: its declaration, its inventories
//! (each against its sidecar, each version's against the root's), every content
//! file against its sha512, and nothing in the object that the inventory does not
//! name. Each problem names the version and the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use super::{Inventory, OBJECT_DECLARATION, parse_inventory, read_inventory, sha512_hex};

/// One thing wrong with the object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The version it concerns, when one does.
    pub version: Option<String>,
    pub what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.version {
            Some(v) => write!(f, "{v}: {}", self.what),
            None => f.write_str(&self.what),
        }
    }
}

#[derive(Debug, Default)]
pub struct ObjectReport {
    pub problems: Vec<Problem>,
    pub versions: usize,
    /// Content files checked, and their bytes.
    pub files: usize,
    pub bytes: u64,
}

impl ObjectReport {
    fn problem(&mut self, version: Option<&str>, what: String) {
        self.problems.push(Problem { version: version.map(str::to_string), what });
    }
}

/// Check the object at `object` (an archive's `site/`).
pub fn verify_object(object: &Path) -> ObjectReport {
    let mut r = ObjectReport::default();
    match std::fs::read_to_string(object.join(OBJECT_DECLARATION.0)) {
        Ok(t) if t == OBJECT_DECLARATION.1 => {}
        Ok(_) => r.problem(None, format!("{} does not say `{}`", OBJECT_DECLARATION.0, OBJECT_DECLARATION.1.trim())),
        Err(e) => r.problem(None, format!("no {} in {}: {e}", OBJECT_DECLARATION.0, object.display())),
    }
    let inv = match read_inventory(object) {
        Ok(inv) => inv,
        Err(e) => {
            r.problem(None, e);
            return r;
        }
    };
    let names = inv.version_names().unwrap_or_default();
    r.versions = names.len();
    check_root_entries(object, &names, &mut r);
    let root_bytes = std::fs::read(object.join("inventory.json")).unwrap_or_default();
    for name in &names {
        check_version_inventory(object, &inv, name, &root_bytes, &mut r);
    }
    check_content(object, &inv, &names, &mut r);
    r
}

/// Only the declaration, the inventory and its sidecar, the versions, and the
/// folders the spec reserves (`extensions`, `logs`) belong in an object's root.
fn check_root_entries(object: &Path, names: &[String], r: &mut ObjectReport) {
    let Ok(rd) = std::fs::read_dir(object) else { return };
    let mut found: Vec<String> = rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    found.sort();
    for entry in found {
        let known = [OBJECT_DECLARATION.0, "inventory.json", "inventory.json.sha512", "extensions", "logs"];
        if known.contains(&entry.as_str()) || names.contains(&entry) {
            continue;
        }
        let is_version =
            entry.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if is_version {
            r.problem(
                Some(&entry),
                format!(
                    "{entry}/ is in the object but not in its inventory (head {}): a version added by hand, or a \
                     snapshot interrupted before it finished; move it out of the archive",
                    names.last().map_or("none", String::as_str)
                ),
            );
        } else {
            r.problem(None, format!("{entry} is in the object's folder but is no part of an OCFL object"));
        }
    }
}

/// A version's folder: only `content/` (and an inventory copy, if an earlier
/// gongkai wrote one: matching its sidecar, and recording the versions up to it
/// as the root inventory does; the head's is the root's, byte for byte).
fn check_version_inventory(object: &Path, inv: &Inventory, name: &str, root_bytes: &[u8], r: &mut ObjectReport) {
    let dir = object.join(name);
    if !dir.is_dir() {
        r.problem(Some(name), format!("the folder {name}/ is missing"));
        return;
    }
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if !["inventory.json", "inventory.json.sha512", "content"].contains(&n.as_str()) {
                r.problem(Some(name), format!("{name}/{n} is no part of an OCFL version"));
            }
        }
    }
    // gongkai writes none (see `add_version`); archives from before it did are
    // still checked, and a copy in a version folder must agree with the root.
    let Ok(bytes) = std::fs::read(dir.join("inventory.json")) else {
        if dir.join("inventory.json.sha512").exists() {
            r.problem(
                Some(name),
                format!(
                    "{name}/inventory.json is missing but its sidecar is there: restore the file from another copy of \
                 the archive, or remove {name}/inventory.json.sha512 (the object's root inventory records {name})"
                ),
            );
        }
        return;
    };
    let side = std::fs::read_to_string(dir.join("inventory.json.sha512")).unwrap_or_default();
    if side.split_whitespace().next() != Some(sha512_hex(&bytes).as_str()) {
        r.problem(Some(name), format!("{name}/inventory.json does not match its sidecar (the inventory was changed)"));
        return;
    }
    if name == inv.head {
        if bytes != root_bytes {
            r.problem(Some(name), format!("{name}/inventory.json differs from the object's inventory.json"));
        }
        return;
    }
    match parse_inventory(&bytes) {
        Err(e) => r.problem(Some(name), format!("{name}/inventory.json: {e}")),
        Ok(own) => {
            let later = own.versions.iter().any(|(k, v)| inv.versions.get(k) != Some(v));
            if own.head != name || later {
                r.problem(Some(name), format!("{name}/inventory.json does not agree with the object's inventory"));
            }
        }
    }
}

/// Every content file named by the manifest is there with its digest, and
/// nothing else is in a content folder.
fn check_content(object: &Path, inv: &Inventory, names: &[String], r: &mut ObjectReport) {
    // content path → digest, and digest → the versions whose state holds it.
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for (digest, paths) in &inv.manifest {
        for p in paths {
            expected.insert(p.clone(), digest.clone());
        }
    }
    let mut users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for name in names {
        for digest in inv.versions[name].state.keys() {
            users.entry(digest.as_str()).or_default().push(name);
            if !inv.manifest.contains_key(digest) {
                r.problem(Some(name), format!("its state names a digest the manifest does not hold ({digest:.16}…)"));
            }
        }
    }
    let mut on_disk: BTreeSet<String> = BTreeSet::new();
    for name in names {
        let content = object.join(name).join("content");
        for entry in walkdir::WalkDir::new(&content).min_depth(1).into_iter().flatten() {
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = entry.path().strip_prefix(object).expect("under the object");
            let rel = rel.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
            if !expected.contains_key(&rel) {
                r.problem(Some(name), format!("{rel} is not in the inventory's manifest"));
            }
            on_disk.insert(rel);
        }
    }
    let version_of = |path: &str| path.split('/').next().unwrap_or("").to_string();
    let used_by = |digest: &str| users.get(digest).map(|v| v.join(", ")).unwrap_or_default();
    for (path, digest) in &expected {
        if !on_disk.contains(path) {
            r.problem(Some(&version_of(path)), format!("{path} is missing (the file of versions {})", used_by(digest)));
        }
    }
    let checked: Vec<(String, Option<(u64, String)>)> = expected
        .par_iter()
        .filter(|(path, _)| on_disk.contains(*path))
        .map(|(path, _)| {
            let got = std::fs::read(object.join(path)).ok().map(|b| (b.len() as u64, sha512_hex(&b)));
            (path.clone(), got)
        })
        .collect();
    for (path, got) in checked {
        let digest = &expected[&path];
        match got {
            None => r.problem(Some(&version_of(&path)), format!("{path} cannot be read")),
            Some((size, d)) => {
                r.files += 1;
                r.bytes += size;
                if &d != digest {
                    r.problem(
                        Some(&version_of(&path)),
                        format!(
                            "{path} is not the file the inventory records: its sha512 differs (versions {})",
                            used_by(digest)
                        ),
                    );
                }
            }
        }
    }
}
