//! `gongkai archive export`: one version of the archive's object as a bag, a
//! plain site folder or a WACZ — the same bytes a direct snapshot of that date
//! wrote, each file checked against its sha512 on the way out.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::add::record_of;
use super::{SNAPSHOT_JSON, object_dir, read_inventory, sha512_hex};
use crate::archive::digest::{Algorithm, Digests, hash_bytes};
use crate::archive::write::tag_files;
use crate::archive::{ArchiveError, WaczInfo, check_bag_target, check_wacz_target, io, write_wacz};

/// What to write.
pub enum Export {
    /// The version's bag, at a folder that does not exist or is empty.
    Bag(PathBuf),
    /// The bag's `data/`: the site as it stood, at a folder that does not exist or is empty.
    Site(PathBuf),
    /// A WACZ of the site (replaced only with `force`).
    Wacz(PathBuf),
}

#[derive(Debug)]
pub struct Exported {
    pub version: String,
    pub files: usize,
    pub bytes: u64,
}

/// Export the newest version of `as_of` from the storage root `root`.
pub fn export(root: &Path, as_of: chrono::NaiveDate, to: &Export, force: bool) -> Result<Exported, ArchiveError> {
    let object = object_dir(root);
    let inv = read_inventory(&object).map_err(ArchiveError::Refused)?;
    let date = as_of.format("%Y-%m-%d").to_string();
    let names = inv.version_names().unwrap_or_default();
    let mut dates = Vec::new();
    let mut found = None;
    for name in names.iter().rev() {
        let record = record_of(&object, &inv, name).ok_or_else(|| {
            ArchiveError::Refused(format!("{name} of {} has no readable {SNAPSHOT_JSON}", root.display()))
        })?;
        if record.as_of == date {
            found = Some((name.clone(), record));
            break;
        }
        dates.push(record.as_of);
    }
    let Some((version, record)) = found else {
        dates.reverse();
        return Err(ArchiveError::Refused(format!(
            "{} holds no snapshot of {date}; it holds {}",
            root.display(),
            if dates.is_empty() { "none".to_string() } else { dates.join(", ") }
        )));
    };
    let files = inv.files_of(&version);
    let (out, prefix) = match to {
        Export::Bag(dir) => {
            check_bag_target(dir)?;
            (dir.clone(), "")
        }
        Export::Site(dir) => {
            check_bag_target(dir)?;
            (dir.clone(), "data/")
        }
        Export::Wacz(file) => {
            check_wacz_target(file, force)?;
            (std::env::temp_dir().join(format!("gongkai-export-{}", std::process::id())), "data/")
        }
    };
    // Written beside the target and moved into place, so a failure leaves nothing.
    let staging = match to {
        Export::Wacz(_) => out.clone(),
        _ => {
            let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            out.with_file_name(format!(".{name}.gongkai-export-{}", std::process::id()))
        }
    };
    let _ = std::fs::remove_dir_all(&staging);
    // The payload; a bag's tag files are made from it and bag-info.txt below.
    let chosen: Vec<&(String, String, String)> =
        files.iter().filter(|(logical, _, _)| logical.starts_with("data/")).collect();
    let result = chosen
        .par_iter()
        .map(|(logical, digest, content)| {
            let from = object.join(content);
            let bytes = std::fs::read(&from).map_err(io(format!("cannot read {}", from.display())))?;
            if &sha512_hex(&bytes) != digest {
                return Err(ArchiveError::Refused(format!(
                    "{} ({logical} of {version}) is not the file the inventory records; `gongkai verify {}` says more",
                    from.display(),
                    root.display()
                )));
            }
            let to = staging.join(&logical[prefix.len()..]);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(io(format!("cannot create {}", parent.display())))?;
            }
            std::fs::write(&to, &bytes).map_err(io(format!("cannot write {}", to.display())))?;
            let digests = if prefix.is_empty() { hash_bytes(&bytes, &Algorithm::ALL) } else { Vec::new() };
            Ok((logical.to_string(), bytes.len() as u64, digests))
        })
        .collect::<Result<Vec<(String, u64, Digests)>, ArchiveError>>();
    let finish = result.and_then(|mut payload| {
        payload.sort_by(|a, b| a.0.cmp(&b.0));
        match to {
            Export::Wacz(file) => {
                let info = WaczInfo {
                    base_url: record.base_url.clone(),
                    as_of,
                    title: record.title.clone(),
                    created: record.created.clone(),
                };
                write_wacz(&staging, file, &info, force)?;
            }
            Export::Bag(_) => {
                let (_, _, content) = files
                    .iter()
                    .find(|(logical, _, _)| logical == "bag-info.txt")
                    .ok_or_else(|| ArchiveError::Refused(format!("{version} holds no bag-info.txt")))?;
                let from = object.join(content);
                let bag_info = std::fs::read_to_string(&from).map_err(io(format!("cannot read {}", from.display())))?;
                for (name, text) in tag_files(&payload, bag_info) {
                    let path = staging.join(&name);
                    std::fs::write(&path, text).map_err(io(format!("cannot write {}", path.display())))?;
                }
                move_into_place(&staging, &out)?;
            }
            Export::Site(_) => move_into_place(&staging, &out)?,
        }
        Ok(Exported { version: version.clone(), files: payload.len(), bytes: payload.iter().map(|p| p.1).sum() })
    });
    let _ = std::fs::remove_dir_all(&staging);
    finish
}

/// Move the finished export to `out` (an empty folder there is replaced).
fn move_into_place(staging: &Path, out: &Path) -> Result<(), ArchiveError> {
    if out.exists() {
        std::fs::remove_dir(out).map_err(io(format!("cannot replace the empty {}", out.display())))?;
    }
    std::fs::rename(staging, out).map_err(io(format!("cannot move the export to {}", out.display())))
}
