//! Checking a bag: `bagit.txt`, completeness of `data/` against every payload
//! manifest, every checksum, every tag manifest, and Payload-Oxum. Nothing outside
//! the bag folder is ever read: manifest paths are checked before use, and symbolic
//! links are reported, never followed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::digest::{self, Algorithm};
use super::{baginfo, manifest};

/// What `verify` found. The bag is intact when `missing`, `extra`, `altered` and
/// `problems` are all empty; `notes` never make it invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Files a manifest lists that are not in the bag (`data/…` or a tag file).
    pub missing: Vec<String>,
    /// Files in `data/` that no payload manifest lists.
    pub extra: Vec<String>,
    /// Files whose checksum differs, as `path (manifest file)`, one entry per manifest.
    pub altered: Vec<String>,
    /// Anything else that makes the bag unusable or untrustworthy: a bad or missing
    /// `bagit.txt`, malformed manifest lines, unsafe paths, a wrong Payload-Oxum …
    pub problems: Vec<String>,
    /// Information that does not make the bag invalid (an algorithm gongkai does
    /// not check, an older BagIt version).
    pub notes: Vec<String>,
    /// Payload files found in `data/`.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// The manifest files whose checksums were checked, e.g. `manifest-sha256.txt`.
    pub checked: Vec<String>,
}

impl VerifyReport {
    pub fn is_valid(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.altered.is_empty() && self.problems.is_empty()
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_valid() {
            writeln!(
                f,
                "bag is valid: {} payload files, {} bytes; every checksum matches ({})",
                self.files,
                self.bytes,
                self.checked.join(", ")
            )?;
        } else {
            let n = |count: usize, what: &str| format!("{count} {what}");
            writeln!(
                f,
                "bag is NOT valid: {}, {}, {}, {}",
                n(self.missing.len(), "missing"),
                n(self.extra.len(), "extra"),
                n(self.altered.len(), "altered"),
                n(self.problems.len(), if self.problems.len() == 1 { "other problem" } else { "other problems" })
            )?;
            for m in &self.missing {
                writeln!(f, "  missing: {}", manifest::shorten(m))?;
            }
            for e in &self.extra {
                writeln!(f, "  extra:   {} (in data/ but in no manifest)", manifest::shorten(e))?;
            }
            for a in &self.altered {
                writeln!(f, "  altered: {}", manifest::shorten(a))?;
            }
            for p in &self.problems {
                writeln!(f, "  problem: {p}")?;
            }
        }
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        Ok(())
    }
}

/// Largest tag file (bagit.txt, bag-info.txt, a manifest) that is read.
const MAX_TAG_FILE: u64 = 512 * 1024 * 1024;

/// The payload manifests found: per algorithm, the manifest's name and its
/// entries (path → digest).
type PayloadManifests = BTreeMap<Algorithm, (String, BTreeMap<String, String>)>;

/// Check a bag: `bagit.txt`, every payload manifest and tag manifest, completeness
/// of `data/` and Payload-Oxum. Never panics and never reads outside `bag_dir`.
pub fn verify(bag_dir: &Path) -> VerifyReport {
    let mut r = VerifyReport::default();
    match std::fs::metadata(bag_dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            r.problems.push(format!("{} is not a folder", bag_dir.display()));
            return r;
        }
        Err(e) => {
            r.problems.push(format!("cannot read {}: {e}", bag_dir.display()));
            return r;
        }
    }
    check_bagit_txt(bag_dir, &mut r);
    let top = top_files(bag_dir, &mut r);
    let payload = payload_manifests(bag_dir, &top, &mut r);
    // What is really in data/.
    let disk = payload_on_disk(bag_dir, &mut r);
    r.files = disk.len();
    r.bytes = disk.values().map(|(_, size)| size).sum();
    check_complete(&payload, &disk, &mut r);
    check_digests(&payload, &disk, &mut r);
    r.checked.extend(payload.values().map(|(name, _)| name.clone()));
    let (files, bytes) = (r.files, r.bytes);
    check_oxum(bag_dir, &top, files, bytes, &mut r);
    check_tag_manifests(bag_dir, &top, &mut r);
    for v in [&mut r.missing, &mut r.extra, &mut r.altered] {
        v.sort();
        v.dedup();
    }
    r
}

/// The tag files at the top of the bag, sorted; a `fetch.txt` is a problem.
fn top_files(bag_dir: &Path, r: &mut VerifyReport) -> Vec<String> {
    let mut top: Vec<String> = Vec::new();
    match std::fs::read_dir(bag_dir) {
        Ok(rd) => top.extend(rd.flatten().filter_map(|e| e.file_name().to_str().map(str::to_string))),
        Err(e) => r.problems.push(format!("cannot list {}: {e}", bag_dir.display())),
    }
    top.sort();
    if top.iter().any(|n| n == "fetch.txt") {
        r.problems.push(
            "fetch.txt is present: the bag expects files to be fetched, and gongkai verify does not fetch".into(),
        );
    }
    top
}

/// Every `manifest-<algorithm>.txt` gongkai can check, read; the others noted.
fn payload_manifests(bag_dir: &Path, top: &[String], r: &mut VerifyReport) -> PayloadManifests {
    let mut payload = PayloadManifests::new();
    let mut unsupported = Vec::new();
    for name in top {
        let Some(alg_name) = name.strip_prefix("manifest-").and_then(|n| n.strip_suffix(".txt")) else { continue };
        let Some(alg) = Algorithm::from_name(alg_name) else {
            unsupported.push(name.clone());
            continue;
        };
        let Some(text) = read_tag_file(bag_dir, name, r) else { continue };
        let (entries, problems) = manifest::parse(&text, alg);
        r.problems.extend(problems.into_iter().map(|p| format!("{name} {p}")));
        let mut map = BTreeMap::new();
        for e in entries {
            if !e.path.starts_with("data/") {
                r.problems.push(format!(
                    "{name} line {}: `{}` is not in data/: a payload manifest lists only payload files",
                    e.line,
                    manifest::shorten(&e.path)
                ));
                continue;
            }
            map.insert(e.path, e.digest);
        }
        payload.insert(alg, (name.clone(), map));
    }
    for name in &unsupported {
        let msg = format!("{name}: gongkai verify checks sha256 and sha512 only; this manifest was not checked");
        if payload.is_empty() { r.problems.push(msg) } else { r.notes.push(msg) }
    }
    if payload.is_empty() && unsupported.is_empty() {
        r.problems.push("no payload manifest (manifest-sha256.txt or manifest-sha512.txt)".into());
    }
    payload
}

/// Completeness: every manifest lists every file, and nothing else.
fn check_complete(payload: &PayloadManifests, disk: &BTreeMap<String, (PathBuf, u64)>, r: &mut VerifyReport) {
    let listed: BTreeSet<&String> = payload.values().flat_map(|(_, m)| m.keys()).collect();
    r.missing.extend(listed.iter().filter(|p| !disk.contains_key(**p)).map(|p| (*p).clone()));
    r.extra.extend(disk.keys().filter(|p| !listed.contains(p)).cloned());
    for path in &listed {
        for (name, map) in payload.values() {
            if !map.contains_key(*path) {
                r.problems.push(format!(
                    "{name} does not list {}, which another manifest lists: every manifest must list every payload file",
                    manifest::shorten(path)
                ));
            }
        }
    }
}

/// Checksums: each file read once for every algorithm that lists it.
fn check_digests(payload: &PayloadManifests, disk: &BTreeMap<String, (PathBuf, u64)>, r: &mut VerifyReport) {
    let jobs: Vec<(&String, &PathBuf, Vec<Algorithm>)> = disk
        .iter()
        .filter_map(|(path, (full, _))| {
            let algs: Vec<Algorithm> =
                payload.iter().filter(|(_, (_, m))| m.contains_key(path)).map(|(a, _)| *a).collect();
            (!algs.is_empty()).then_some((path, full, algs))
        })
        .collect();
    let results: Vec<(&String, Result<digest::Digests, String>)> = jobs
        .par_iter()
        .map(|(path, full, algs)| (*path, digest::hash_file(full, algs).map(|(_, d)| d).map_err(|e| e.to_string())))
        .collect();
    for (path, result) in results {
        match result {
            Ok(digests) => {
                for (alg, found) in digests {
                    if let Some((name, map)) = payload.get(&alg)
                        && map.get(path) != Some(&found)
                    {
                        r.altered.push(format!("{path} ({name})"));
                    }
                }
            }
            Err(e) => r.problems.push(format!("cannot read {}: {e}", manifest::shorten(path))),
        }
    }
}

/// `bagit.txt` must be exactly the two declarations, in UTF-8, without a BOM.
fn check_bagit_txt(bag: &Path, r: &mut VerifyReport) {
    let Some(text) = read_tag_file(bag, "bagit.txt", r) else {
        return;
    };
    let (fields, problems) = baginfo::parse(&text);
    r.problems.extend(problems.into_iter().map(|p| format!("bagit.txt {p}")));
    match baginfo::value(&fields, "BagIt-Version") {
        Some("1.0") => {}
        Some(v)
            if v.split_once('.').is_some_and(|(a, b)| {
                !a.is_empty() && !b.is_empty() && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
            }) =>
        {
            r.notes.push(format!("bagit.txt declares BagIt-Version {v}; checked by the rules of version 1.0"))
        }
        Some(v) => r.problems.push(format!("bagit.txt: BagIt-Version `{}` is not M.N", manifest::shorten(v))),
        None => r.problems.push("bagit.txt has no (single) BagIt-Version line".into()),
    }
    match baginfo::value(&fields, "Tag-File-Character-Encoding") {
        Some(enc) if enc.eq_ignore_ascii_case("UTF-8") => {}
        Some(enc) => r.problems.push(format!(
            "bagit.txt: Tag-File-Character-Encoding is `{}`; gongkai verify reads UTF-8 only",
            manifest::shorten(enc)
        )),
        None => r.problems.push("bagit.txt has no (single) Tag-File-Character-Encoding line".into()),
    }
    for (label, _) in &fields {
        if !label.eq_ignore_ascii_case("BagIt-Version") && !label.eq_ignore_ascii_case("Tag-File-Character-Encoding") {
            r.problems.push(format!("bagit.txt has an unexpected line `{}`", manifest::shorten(label)));
        }
    }
}

/// Read a tag file named by a path relative to the bag (already known to be safe
/// or a plain name): it must be a plain file reached without symbolic links, UTF-8,
/// without a byte-order mark. Problems go to the report.
fn read_tag_file(bag: &Path, rel: &str, r: &mut VerifyReport) -> Option<String> {
    let full = match inside(bag, rel) {
        Ok(Some(p)) => p,
        Ok(None) => {
            if rel == "bagit.txt" {
                r.problems.push("bagit.txt is missing: this folder is not a bag".into());
            }
            return None;
        }
        Err(e) => {
            r.problems.push(e);
            return None;
        }
    };
    let len = std::fs::metadata(&full).map(|m| m.len()).unwrap_or(0);
    if len > MAX_TAG_FILE {
        r.problems.push(format!("{rel} is {len} bytes long; not read"));
        return None;
    }
    let bytes = match std::fs::read(&full) {
        Ok(b) => b,
        Err(e) => {
            r.problems.push(format!("cannot read {rel}: {e}"));
            return None;
        }
    };
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            r.problems.push(format!("{rel} starts with a byte-order mark, which BagIt forbids"));
            rest.to_vec()
        }
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(e) => {
            r.problems.push(format!("{rel} is not UTF-8 (byte {})", e.utf8_error().valid_up_to()));
            None
        }
    }
}

/// The file `rel` ('/'-separated, already checked by `manifest::unsafe_path`)
/// inside the bag: `Ok(None)` when it does not exist, an error when a part of the
/// way is a symbolic link or it is not a plain file.
fn inside(bag: &Path, rel: &str) -> Result<Option<PathBuf>, String> {
    if let Some(why) = manifest::unsafe_path(rel) {
        return Err(format!("`{}` refused, not followed: {why}", manifest::shorten(rel)));
    }
    let mut path = bag.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Err(_) => return Ok(None),
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!("{} is a symbolic link; not followed", manifest::shorten(rel)));
            }
            Ok(m) if i + 1 == parts.len() && !m.is_file() => {
                return Err(format!("{} is not a plain file", manifest::shorten(rel)));
            }
            Ok(_) => {}
        }
    }
    Ok(Some(path))
}

/// Every plain file under `data/`, by its manifest path (`data/…`), with its full
/// path and size. Symbolic links and special files are problems (and not payload).
fn payload_on_disk(bag: &Path, r: &mut VerifyReport) -> BTreeMap<String, (PathBuf, u64)> {
    let mut out = BTreeMap::new();
    let data = bag.join("data");
    match std::fs::symlink_metadata(&data) {
        Ok(m) if m.is_dir() => {}
        Ok(m) if m.file_type().is_symlink() => {
            r.problems.push("data/ is a symbolic link; not followed".into());
            return out;
        }
        Ok(_) => {
            r.problems.push("data is not a folder".into());
            return out;
        }
        Err(_) => {
            r.problems.push("the payload folder data/ is missing".into());
            return out;
        }
    }
    for entry in walkdir::WalkDir::new(&data).follow_links(false).follow_root_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                r.problems.push(format!("cannot read data/: {e}"));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(bag) else { continue };
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let name = parts.join("/");
        let utf8 = rel.components().all(|c| c.as_os_str().to_str().is_some());
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        if ft.is_symlink() {
            r.problems.push(format!("{} is a symbolic link; not followed", manifest::shorten(&name)));
            continue;
        }
        if !ft.is_file() {
            r.problems.push(format!("{} is not a plain file", manifest::shorten(&name)));
            continue;
        }
        if !utf8 {
            r.problems.push(format!("{} has a file name that is not UTF-8", manifest::shorten(&name)));
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.insert(name, (entry.path().to_path_buf(), size));
    }
    out
}

/// Payload-Oxum in bag-info.txt (when there is one) must match `data/`.
fn check_oxum(bag: &Path, top: &[String], files: usize, bytes: u64, r: &mut VerifyReport) {
    if !top.iter().any(|n| n == "bag-info.txt") {
        return;
    }
    let Some(text) = read_tag_file(bag, "bag-info.txt", r) else { return };
    let (fields, problems) = baginfo::parse(&text);
    r.problems.extend(problems.into_iter().map(|p| format!("bag-info.txt {p}")));
    match baginfo::values(&fields, "Payload-Oxum")[..] {
        [] => {}
        [oxum] => match baginfo::parse_oxum(oxum) {
            Some((b, n)) if b == bytes && n == files as u64 => {}
            Some((b, n)) => r.problems.push(format!(
                "bag-info.txt: Payload-Oxum {oxum} says {b} bytes in {n} files, but data/ has {bytes} bytes in {files} files"
            )),
            None => r.problems.push(format!(
                "bag-info.txt: Payload-Oxum `{}` is not <bytes>.<files>",
                manifest::shorten(oxum)
            )),
        },
        _ => r.problems.push("bag-info.txt has more than one Payload-Oxum".into()),
    }
}

/// Every tag manifest's entries: present, plain, inside the bag, not payload, and
/// with the recorded checksum.
fn check_tag_manifests(bag: &Path, top: &[String], r: &mut VerifyReport) {
    for name in top {
        let Some(alg_name) = name.strip_prefix("tagmanifest-").and_then(|n| n.strip_suffix(".txt")) else { continue };
        let Some(alg) = Algorithm::from_name(alg_name) else {
            r.notes
                .push(format!("{name}: gongkai verify checks sha256 and sha512 only; this manifest was not checked"));
            continue;
        };
        let Some(text) = read_tag_file(bag, name, r) else { continue };
        let (entries, problems) = manifest::parse(&text, alg);
        r.problems.extend(problems.into_iter().map(|p| format!("{name} {p}")));
        for e in entries {
            if e.path.starts_with("data/") {
                r.problems.push(format!(
                    "{name} line {}: `{}` is a payload file; a tag manifest lists only tag files",
                    e.line,
                    manifest::shorten(&e.path)
                ));
                continue;
            }
            match inside(bag, &e.path) {
                Ok(Some(full)) => match digest::hash_file(&full, &[alg]) {
                    Ok((_, d)) => {
                        if d.first().map(|(_, h)| h) != Some(&e.digest) {
                            r.altered.push(format!("{} ({name})", e.path));
                        }
                    }
                    Err(err) => r.problems.push(format!("cannot read {}: {err}", manifest::shorten(&e.path))),
                },
                Ok(None) => r.missing.push(e.path),
                Err(err) => r.problems.push(format!("{name} line {}: {err}", e.line)),
            }
        }
        r.checked.push(name.clone());
    }
}
