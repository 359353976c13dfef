//! Stage 5, write. Every output of a build goes through one `Output`, which refuses a
//! second write to a path (two outputs claiming one file is a build error naming
//! both, never a race that the last writer wins), into a `Sink`: the `Staging`
//! folder of a build, swapped in for the old output only when complete, or the
//! served folder of `serve`, where each file is replaced atomically.

use std::collections::HashMap;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where rendered files go. Must be usable from many threads.
pub trait Sink: Sync {
    /// Write a file, `rel` relative to the output folder, creating its folders.
    fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()>;
    /// Copy a file into the output.
    fn copy(&self, rel: &Path, source: &Path) -> io::Result<()>;
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("two outputs are written to {}: {first} and {second}", path.display())]
    Conflict { path: PathBuf, first: String, second: String },
}

/// One build's writes into a sink, each claimed by the output that makes it.
pub struct Output<'a> {
    sink: &'a dyn Sink,
    /// Paths written so far (compared ignoring case: on the file systems of most
    /// readers two such files would be one), with who wrote them.
    claimed: Mutex<HashMap<String, String>>,
}

impl<'a> Output<'a> {
    pub fn new(sink: &'a dyn Sink) -> Output<'a> {
        Output { sink, claimed: Mutex::new(HashMap::new()) }
    }

    /// Claim `rel` for `origin` (what writes it, e.g. "the page of content/a.md").
    fn claim(&self, rel: &Path, origin: &dyn Fn() -> String) -> Result<(), WriteError> {
        let key = rel.to_string_lossy().to_lowercase();
        let mut claimed = self.claimed.lock().unwrap_or_else(|e| e.into_inner());
        match claimed.get(&key) {
            Some(first) => {
                Err(WriteError::Conflict { path: rel.to_path_buf(), first: first.clone(), second: origin() })
            }
            None => {
                claimed.insert(key, origin());
                Ok(())
            }
        }
    }

    pub fn write(&self, rel: &Path, bytes: &[u8], origin: &dyn Fn() -> String) -> Result<(), WriteError> {
        self.claim(rel, origin)?;
        self.sink.write(rel, bytes).map_err(|source| WriteError::Io { path: rel.to_path_buf(), source })
    }

    pub fn copy(&self, rel: &Path, source: &Path, origin: &dyn Fn() -> String) -> Result<(), WriteError> {
        self.claim(rel, origin)?;
        self.sink.copy(rel, source).map_err(|e| WriteError::Io { path: source.to_path_buf(), source: e })
    }

    /// How many files were written.
    pub fn count(&self) -> usize {
        self.claimed.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// A folder beside `target` that a build writes into; `commit` swaps it in for
/// `target`. Dropped without a commit, it is removed and `target` is untouched.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Create an empty staging folder next to `target`.
    pub fn new(target: &Path) -> io::Result<Staging> {
        let parent = parent_of(target);
        std::fs::create_dir_all(parent)?;
        let dir = parent.join(format!(".{}.gongkai-tmp-{}", file_name(target), std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf(), committed: false })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Swap the staging folder in place of the target.
    pub fn commit(mut self) -> io::Result<()> {
        swap_dir(&self.dir, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)
    }

    fn copy(&self, rel: &Path, source: &Path) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(source, path).map(|_| ())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes straight into a live folder (`serve`); each file is replaced by a rename
/// so a request never reads half a file, and a file that comes out the same is
/// not touched (after an edit most site-wide files do).
pub struct DirSink(pub PathBuf);

impl Sink for DirSink {
    fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let path = self.0.join(rel);
        let same_size = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64);
        if same_size && std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        atomic_write(&path, bytes)
    }

    fn copy(&self, rel: &Path, source: &Path) -> io::Result<()> {
        self.write(rel, &std::fs::read(source)?)
    }
}

/// Write a file through a hidden temporary file in the same folder and a rename,
/// creating the folder: the file is never seen half-written, and a failure leaves
/// the old file as it was.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = parent_of(path);
    std::fs::create_dir_all(dir)?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{}.gongkai-tmp-{}-{n}", file_name(path), std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Put the folder `fresh` in place of `target` (which may not exist): the old
/// folder is moved aside first, put back if the swap fails, and removed after.
pub fn swap_dir(fresh: &Path, target: &Path) -> io::Result<()> {
    let old = parent_of(target).join(format!(".{}.gongkai-old-{}", file_name(target), std::process::id()));
    let had_old = target.exists();
    if had_old {
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        std::fs::rename(target, &old)?;
    }
    if let Err(e) = std::fs::rename(fresh, target) {
        if had_old {
            let _ = std::fs::rename(&old, target);
        }
        return Err(e);
    }
    if had_old {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| "output".to_owned(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_staging_leaves_target_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("output");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        {
            let s = Staging::new(&target).unwrap();
            s.write(Path::new("a/new.html"), b"new").unwrap();
        }
        assert_eq!(std::fs::read_to_string(target.join("old.html")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "staging folder removed");
        let s = Staging::new(&target).unwrap();
        s.write(Path::new("a/new.html"), b"new").unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(target.join("a/new.html")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_second_write_to_a_path_names_both_writers() {
        let tmp = tempfile::tempdir().unwrap();
        let sink = DirSink(tmp.path().to_path_buf());
        let out = Output::new(&sink);
        out.write(Path::new("progress/index.html"), b"a", &|| "the dashboard".into()).unwrap();
        let err = out.write(Path::new("Progress/index.html"), b"b", &|| "the page of content/progress.md".into());
        let msg = err.unwrap_err().to_string();
        assert!(msg.contains("the dashboard") && msg.contains("content/progress.md"), "{msg}");
        assert_eq!(std::fs::read_to_string(tmp.path().join("progress/index.html")).unwrap(), "a");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a/b.txt");
        atomic_write(&path, b"one").unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_dir(tmp.path().join("a")).unwrap().count(), 1);
    }
}
