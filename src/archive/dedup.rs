//! Storing a file once across the snapshots of an archive folder: a payload file
//! of a new bag that is byte for byte a file of an earlier bag becomes a hard link
//! to it. Every bag stays complete (a hard link is a file like any other, so
//! bagit.py and `verify` read each bag alone), and a change to a shared file shows
//! in every bag that holds it, which is what a checksum should catch.
//!
//! A file is linked only when its bytes equal the earlier file's, read now, not
//! only its manifest digest: an earlier bag tampered with since it was written
//! never lends its altered file to a new snapshot.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::digest::Algorithm;
use super::manifest;

/// What `link_unchanged` saved.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Shared {
    /// Payload files that are now links to an earlier snapshot's file.
    pub files: usize,
    /// Their total size: the bytes not stored again.
    pub bytes: u64,
}

/// Link the payload files of the bag at `fresh` that equal a payload file of one
/// of the `earlier` bags (newest first is best: most files are found there).
/// A file that cannot be linked (another file system, a link limit) simply stays
/// a copy, so this never fails the snapshot.
pub fn link_unchanged(fresh: &Path, earlier: &[PathBuf]) -> Shared {
    let fresh_entries = payload_manifest(fresh);
    // digest → where an earlier bag holds a file with it (the first bag listed wins).
    // Earlier bags are read only until every digest of the new one is found: most
    // are in the newest, and an archive of years need not be read whole each month.
    let mut needed: HashSet<&str> = fresh_entries.iter().map(|e| e.digest.as_str()).collect();
    let mut known: HashMap<String, PathBuf> = HashMap::new();
    for bag in earlier {
        if needed.is_empty() {
            break;
        }
        let Ok(bag_real) = std::fs::canonicalize(bag) else { continue };
        for entry in payload_manifest(bag) {
            // Never a file reached through a symlink: a link out of the archive
            // would tie the new bag to a file anyone may change out there.
            let old = bag.join(&entry.path);
            if needed.contains(entry.digest.as_str())
                && std::fs::canonicalize(&old).is_ok_and(|real| real == bag_real.join(&entry.path))
            {
                needed.remove(entry.digest.as_str());
                known.insert(entry.digest, old);
            }
        }
    }
    if known.is_empty() {
        return Shared::default();
    }
    fresh_entries
        .par_iter()
        .filter_map(|entry| {
            let old = known.get(&entry.digest)?;
            let new = fresh.join(&entry.path);
            let size = same_file_contents(old, &new)?;
            link_in_place(old, &new).ok()?;
            Some(Shared { files: 1, bytes: size })
        })
        .reduce(Shared::default, |a, b| Shared { files: a.files + b.files, bytes: a.bytes + b.bytes })
}

/// The payload entries of a bag's SHA-256 manifest (none when it cannot be read).
fn payload_manifest(bag: &Path) -> Vec<manifest::Entry> {
    let text = std::fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap_or_default();
    let (entries, _problems) = manifest::parse(&text, Algorithm::Sha256);
    entries.into_iter().filter(|e| e.path.starts_with("data/")).collect()
}

/// The size of `a` when `a` and `b` are two different files with the same bytes.
fn same_file_contents(a: &Path, b: &Path) -> Option<u64> {
    let (ma, mb) = (std::fs::symlink_metadata(a).ok()?, std::fs::symlink_metadata(b).ok()?);
    if !ma.is_file() || !mb.is_file() || ma.len() != mb.len() || same_inode(&ma, &mb) {
        return None;
    }
    let (mut fa, mut fb) = (std::fs::File::open(a).ok()?, std::fs::File::open(b).ok()?);
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = read_full(&mut fa, &mut ba)?;
        if n != read_full(&mut fb, &mut bb)? || ba[..n] != bb[..n] {
            return None;
        }
        if n == 0 {
            return Some(ma.len());
        }
    }
}

/// Fill `buf` as far as the file allows; the number of bytes read.
fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> Option<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(n)
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Replace `copy` by a hard link to `original`: the link is made beside it and
/// renamed over it, so `copy`'s path always holds the right bytes.
fn link_in_place(original: &Path, copy: &Path) -> std::io::Result<()> {
    let name = copy.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = copy.with_file_name(format!(".{name}.gongkai-link-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    std::fs::hard_link(original, &tmp)?;
    std::fs::rename(&tmp, copy).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bag(dir: &Path, files: &[(&str, &str)]) {
        let mut lines = String::new();
        for (path, text) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
            let d = super::super::digest::hash_bytes(text.as_bytes(), &[Algorithm::Sha256]).remove(0).1;
            lines.push_str(&format!("{d}  {path}\n"));
        }
        std::fs::write(dir.join("manifest-sha256.txt"), lines).unwrap();
    }

    #[cfg(unix)]
    fn ino(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).unwrap().ino()
    }

    #[test]
    #[cfg(unix)]
    fn equal_files_are_linked_and_changed_ones_are_not() {
        let t = tempfile::tempdir().unwrap();
        let (old, new) = (t.path().join("old"), t.path().join("new"));
        bag(&old, &[("data/a.html", "same"), ("data/b.html", "old text"), ("data/moved.css", "body{}")]);
        bag(&new, &[("data/a.html", "same"), ("data/b.html", "new text"), ("data/assets/moved.css", "body{}")]);
        let shared = link_unchanged(&new, std::slice::from_ref(&old));
        assert_eq!(shared, Shared { files: 2, bytes: 10 });
        assert_eq!(ino(&new.join("data/a.html")), ino(&old.join("data/a.html")));
        assert_eq!(ino(&new.join("data/assets/moved.css")), ino(&old.join("data/moved.css")));
        assert_ne!(ino(&new.join("data/b.html")), ino(&old.join("data/b.html")));
        assert_eq!(std::fs::read_to_string(new.join("data/b.html")).unwrap(), "new text");
        // Again: nothing more to link, nothing breaks.
        assert_eq!(link_unchanged(&new, &[old]), Shared::default());
    }

    #[test]
    #[cfg(unix)]
    fn no_file_is_linked_through_a_symlink() {
        let t = tempfile::tempdir().unwrap();
        let (old, new, outside) = (t.path().join("old"), t.path().join("new"), t.path().join("outside"));
        bag(&old, &[("data/a.html", "same"), ("data/b.html", "also")]);
        bag(&new, &[("data/dir/a.html", "same"), ("data/b.html", "also")]);
        // The earlier bag's data/ now leads out of the archive.
        std::fs::rename(old.join("data"), &outside).unwrap();
        std::os::unix::fs::symlink(&outside, old.join("data")).unwrap();
        assert_eq!(link_unchanged(&new, std::slice::from_ref(&old)), Shared::default());
        assert_ne!(ino(&new.join("data/dir/a.html")), ino(&outside.join("a.html")));
    }

    #[test]
    #[cfg(unix)]
    fn a_tampered_earlier_file_is_not_lent() {
        let t = tempfile::tempdir().unwrap();
        let (old, new) = (t.path().join("old"), t.path().join("new"));
        bag(&old, &[("data/a.html", "same")]);
        bag(&new, &[("data/a.html", "same")]);
        std::fs::write(old.join("data/a.html"), "SAME").unwrap(); // manifest still says "same"
        assert_eq!(link_unchanged(&new, std::slice::from_ref(&old)), Shared::default());
        assert_eq!(std::fs::read_to_string(new.join("data/a.html")).unwrap(), "same");
    }
}
