//! Writing a bag: the site is copied under `data/` and hashed as it is copied,
//! the manifests, `bag-info.txt` and tag manifests are written, all in a staging
//! folder beside the target that is renamed into place only when complete.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::digest::{self, Algorithm};
use super::{ArchiveError, BAGIT_TXT, BagInfo, BagSummary, baginfo, io, manifest, software_agent};
use crate::write::{Sink, Staging};

/// Labels gongkai writes itself; `BagInfo::extra` may not repeat them.
const RESERVED: [&str; 7] = [
    "Source-Organization",
    "External-Identifier",
    "Bagging-Date",
    "Payload-Oxum",
    "Bag-Software-Agent",
    "Gongkai-As-Of",
    "Gongkai-Git-Commit",
];

/// Refuse `bag_dir` for a new bag when it exists and is not an empty folder.
/// `snapshot` asks before building, `write_bag` again before writing.
pub fn check_bag_target(bag_dir: &Path) -> Result<(), ArchiveError> {
    match std::fs::symlink_metadata(bag_dir) {
        Err(_) => Ok(()),
        Ok(m) if m.is_dir() => {
            let empty = std::fs::read_dir(bag_dir).map(|mut d| d.next().is_none()).unwrap_or(false);
            if empty {
                Ok(())
            } else {
                Err(ArchiveError::Refused(format!(
                    "{} exists and is not empty; refusing to write a bag over it",
                    bag_dir.display()
                )))
            }
        }
        Ok(_) => Err(ArchiveError::Refused(format!(
            "{} exists and is not a folder; refusing to replace it",
            bag_dir.display()
        ))),
    }
}

/// Package an already-built site folder as a BagIt bag (RFC 8493) at `bag_dir`,
/// which must not exist or be an empty folder. The same site and `BagInfo` give a
/// byte-identical bag. On failure nothing is left at `bag_dir` (an empty folder
/// that was there stays as it was).
pub fn write_bag(site_dir: &Path, bag_dir: &Path, info: &BagInfo) -> Result<BagSummary, ArchiveError> {
    bag_info_fields(info, "0.0")?; // refuse a bad BagInfo before copying anything
    if !site_dir.is_dir() {
        return Err(ArchiveError::Refused(format!("{} is not a folder: build the site first", site_dir.display())));
    }
    check_bag_target(bag_dir)?;
    check_not_inside(site_dir, bag_dir)?;

    let files = payload_files(site_dir)?;
    let staging =
        Staging::new(bag_dir).map_err(io(format!("cannot create a staging folder beside {}", bag_dir.display())))?;
    let data = staging.path().join("data");
    std::fs::create_dir(&data).map_err(io(format!("cannot create {}", data.display())))?;

    let copied: Vec<(String, u64, digest::Digests)> = files
        .par_iter()
        .map(|(rel, source)| {
            let dest = data.join(rel);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(io(format!("cannot create {}", parent.display())))?;
            }
            let (size, digests) = digest::copy_and_hash(source, &dest, &Algorithm::ALL)
                .map_err(io(format!("cannot copy {} into the bag", source.display())))?;
            Ok((format!("data/{rel}"), size, digests))
        })
        .collect::<Result<_, ArchiveError>>()?;

    let bytes: u64 = copied.iter().map(|(_, size, _)| size).sum();
    let summary = BagSummary { files: copied.len(), bytes, oxum: format!("{bytes}.{}", copied.len()) };

    let bag_info = baginfo::format(&bag_info_fields(info, &summary.oxum)?)?;
    for (name, text) in tag_files(&copied, bag_info) {
        staging.write(Path::new(&name), text.as_bytes()).map_err(io(format!("cannot write {name} into the bag")))?;
    }

    staging.commit().map_err(io(format!("cannot move the finished bag to {}", bag_dir.display())))?;
    Ok(summary)
}

/// A bag's tag files, in the order they are written, from its payload (each
/// `data/…` path with its size and digests, in order) and its bag-info.txt:
/// bagit.txt, the payload manifests, bag-info.txt, the tag manifests. The same
/// payload and bag-info give the same bytes, so an archive need not keep them
/// (`ocfl::export` makes them again).
pub(super) fn tag_files(payload: &[(String, u64, digest::Digests)], bag_info: String) -> Vec<(String, String)> {
    let mut tag_files: Vec<(String, String)> = vec![("bagit.txt".into(), BAGIT_TXT.into())];
    for alg in Algorithm::ALL {
        let entries: Vec<(String, String)> = payload
            .iter()
            .map(|(path, _, digests)| {
                let d = digests.iter().find(|(a, _)| *a == alg).map(|(_, d)| d.clone()).unwrap_or_default();
                (path.clone(), d)
            })
            .collect();
        tag_files.push((format!("manifest-{alg}.txt"), manifest::render(&entries)));
    }
    tag_files.push(("bag-info.txt".into(), bag_info));
    let mut all = tag_files.clone();
    for alg in Algorithm::ALL {
        let entries: Vec<(String, String)> = tag_files
            .iter()
            .map(|(name, text)| (name.clone(), digest::hash_bytes(text.as_bytes(), &[alg]).remove(0).1))
            .collect();
        all.push((format!("tagmanifest-{alg}.txt"), manifest::render(&entries)));
    }
    all
}

/// bag-info.txt's elements in their fixed order.
fn bag_info_fields(info: &BagInfo, oxum: &str) -> Result<Vec<(String, String)>, ArchiveError> {
    let date = |label: &str, value: &str| {
        chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .ok()
            .filter(|d| d.format("%Y-%m-%d").to_string() == value)
            .map(|_| ())
            .ok_or_else(|| {
                ArchiveError::BagInfo(format!(
                    "{label} `{}` is not a date written YYYY-MM-DD",
                    manifest::shorten(value)
                ))
            })
    };
    date("Bagging-Date", &info.bagging_date)?;
    if let Some(as_of) = &info.as_of {
        date("Gongkai-As-Of", as_of)?;
    }
    if let Some(commit) = &info.git_commit
        && (commit.is_empty() || !commit.trim_end_matches("-dirty").bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(ArchiveError::BagInfo(format!(
            "git commit `{}` is not a hexadecimal commit id",
            manifest::shorten(commit)
        )));
    }
    let mut fields = Vec::new();
    if !info.source_organization.trim().is_empty() {
        fields.push(("Source-Organization".to_string(), info.source_organization.clone()));
    }
    if !info.external_identifier.trim().is_empty() {
        fields.push(("External-Identifier".to_string(), info.external_identifier.clone()));
    }
    fields.push(("Bagging-Date".to_string(), info.bagging_date.clone()));
    fields.push(("Payload-Oxum".to_string(), oxum.to_string()));
    fields.push(("Bag-Software-Agent".to_string(), software_agent()));
    if let Some(as_of) = &info.as_of {
        fields.push(("Gongkai-As-Of".to_string(), as_of.clone()));
    }
    if let Some(commit) = &info.git_commit {
        fields.push(("Gongkai-Git-Commit".to_string(), commit.to_ascii_lowercase()));
    }
    for (label, value) in &info.extra {
        if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(label.trim())) {
            return Err(ArchiveError::BagInfo(format!(
                "bag-info label `{label}` is written by gongkai itself; it cannot be given as extra"
            )));
        }
        fields.push((label.clone(), value.clone()));
    }
    Ok(fields)
}

/// Every regular file of the site, as (`/`-separated relative path, source path),
/// sorted. Symbolic links, special files and names that are not UTF-8 are refused:
/// a bag must hold exactly what a reader of the manifest can name.
pub(super) fn payload_files(site_dir: &Path) -> Result<Vec<(String, PathBuf)>, ArchiveError> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(site_dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| ArchiveError::Refused(format!("cannot read {}: {e}", site_dir.display())))?;
        if entry.depth() == 0 {
            continue;
        }
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        if ft.is_symlink() {
            return Err(ArchiveError::Refused(format!(
                "{} is a symbolic link; a bag holds only plain files",
                entry.path().display()
            )));
        }
        if !ft.is_file() {
            return Err(ArchiveError::Refused(format!("{} is not a plain file", entry.path().display())));
        }
        let rel = entry.path().strip_prefix(site_dir).unwrap_or(entry.path());
        let mut parts = Vec::new();
        for c in rel.components() {
            match c.as_os_str().to_str() {
                Some(s) => parts.push(s),
                None => {
                    return Err(ArchiveError::Refused(format!(
                        "{}: the file name is not UTF-8",
                        entry.path().display()
                    )));
                }
            }
        }
        files.push((parts.join("/"), entry.path().to_path_buf()));
    }
    files.sort();
    Ok(files)
}

/// Refuse a bag inside the site it packages (it would copy itself).
pub(super) fn check_not_inside(site_dir: &Path, bag_dir: &Path) -> Result<(), ArchiveError> {
    let site = std::fs::canonicalize(site_dir).map_err(io(format!("cannot read {}", site_dir.display())))?;
    let abs = std::path::absolute(bag_dir).unwrap_or_else(|_| bag_dir.to_path_buf());
    // Resolve the longest existing ancestor, then add the rest lexically.
    let mut existing = abs.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut bag = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        bag.push(name);
    }
    if bag.starts_with(&site) {
        return Err(ArchiveError::Refused(format!(
            "{} is inside the site folder {}; write the bag somewhere else",
            bag_dir.display(),
            site_dir.display()
        )));
    }
    Ok(())
}
