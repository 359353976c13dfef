//! Stage 5, write. Every output of a build goes through one `Output`, which refuses a
//! second write to a path (two outputs claiming one file is a build error naming
//! both, never a race that the last writer wins), into a `Sink`: the `OutputFolder`
//! of a build, whose twin is updated and swapped in only when complete; the
//! `Staging` folder of a bag; or the served folder of `serve`, where each file is
//! replaced atomically.

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

/// A sink that keeps nothing: `check` renders every output through it, so it meets
/// every error a build would and writes no file. A copy still opens its source, as
/// a build's would.
pub struct NullSink;

impl Sink for NullSink {
    fn write(&self, _: &Path, _: &[u8]) -> io::Result<()> {
        Ok(())
    }

    fn copy(&self, _: &Path, source: &Path) -> io::Result<()> {
        std::fs::File::open(source).map(drop)
    }
}

/// One build's writes into a sink, each claimed by the output that makes it.
pub struct Output<'a> {
    sink: &'a dyn Sink,
    /// Bytes written so far.
    bytes: AtomicU64,
    /// Paths written so far (compared ignoring case: on the file systems of most
    /// readers two such files would be one), with who wrote them.
    claimed: Mutex<HashMap<String, String>>,
}

impl<'a> Output<'a> {
    pub fn new(sink: &'a dyn Sink) -> Output<'a> {
        Output { sink, bytes: AtomicU64::new(0), claimed: Mutex::new(HashMap::new()) }
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
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        self.sink.write(rel, bytes).map_err(|source| WriteError::Io { path: rel.to_path_buf(), source })
    }

    pub fn copy(&self, rel: &Path, source: &Path, origin: &dyn Fn() -> String) -> Result<(), WriteError> {
        self.claim(rel, origin)?;
        let len = std::fs::metadata(source).map_or(0, |m| m.len());
        self.bytes.fetch_add(len, Ordering::Relaxed);
        self.sink.copy(rel, source).map_err(|e| WriteError::Io { path: source.to_path_buf(), source: e })
    }

    /// How many files were written.
    pub fn count(&self) -> usize {
        self.claimed.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// How many bytes were written.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
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
        remove_stale(parent, &format!(".{}.gongkai-tmp-", file_name(target)));
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

/// A build's output folder and its twin: the folder the build writes into,
/// `.<output>.gongkai/next`, which `commit` swaps with the output in one atomic
/// rename. The twin is kept for the next build, which updates it in place: a file
/// that is the same as the live output's becomes a hard link to it, a changed file
/// is written anew (never changed in place: it may be shared with the output), and
/// files no longer produced are removed. So a build creates files only for what
/// changed, and a failed build (or one killed half-way) never touches the output.
/// `.<output>.gongkai/manifest` records what each file of the output holds; the
/// lock file keeps two builds from writing at once.
pub struct OutputFolder {
    target: PathBuf,
    home: PathBuf,
    next: PathBuf,
    _lock: std::fs::File,
    /// What the live output holds, by `/`-separated path.
    previous: HashMap<String, Entry>,
    /// What this build wrote.
    written: Mutex<HashMap<String, Entry>>,
    /// Folders of `next` known to exist.
    dirs: Mutex<std::collections::HashSet<PathBuf>>,
}

/// One file of an output: its size and content hash, and the inode and modification
/// time it had when written (a file changed since does not match).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    len: u64,
    hash: u128,
    ino: u64,
    mtime: i128,
}

impl OutputFolder {
    /// Open the twin of `target` and lock it (another build writing the same output
    /// is refused).
    pub fn open(target: &Path) -> io::Result<OutputFolder> {
        let home = parent_of(target).join(format!(".{}.gongkai", file_name(target)));
        std::fs::create_dir_all(&home)?;
        let lock = std::fs::File::create(home.join("lock"))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(io::Error::other(format!("another gongkai build is writing {}", target.display())));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
        let next = home.join("next");
        std::fs::create_dir_all(&next)?;
        let previous = std::fs::read_to_string(home.join("manifest")).map(|t| parse_manifest(&t)).unwrap_or_default();
        Ok(OutputFolder {
            target: target.to_path_buf(),
            home,
            next,
            _lock: lock,
            previous,
            written: Mutex::new(HashMap::new()),
            dirs: Mutex::new(std::collections::HashSet::new()),
        })
    }

    /// The output's twin folder, `.<output>.gongkai/`, where the build cache lives.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The live output's file at `rel`, if it holds exactly `len` bytes hashing to
    /// `hash` and has not been touched since it was written.
    fn unchanged(&self, key: &str, rel: &Path, len: u64, hash: u128) -> Option<Entry> {
        let entry = *self.previous.get(key).filter(|e| e.len == len && e.hash == hash)?;
        let meta = std::fs::symlink_metadata(self.target.join(rel)).ok()?;
        (meta.is_file() && identity(&meta) == Some((entry.len, entry.ino, entry.mtime))).then_some(entry)
    }

    fn put(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let key = slash(rel);
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        let len = bytes.len() as u64;
        let dest = self.next.join(rel);
        self.ensure_dir(dest.parent().unwrap_or(&self.next))?;
        let entry = match self.unchanged(&key, rel, len, hash) {
            // Already the same file as the output's (linked by an earlier build).
            Some(entry)
                if std::fs::symlink_metadata(&dest).ok().and_then(|m| identity(&m)).map(|i| i.1) == Some(entry.ino) =>
            {
                entry
            }
            Some(entry) => {
                remove_any(&dest)?;
                std::fs::hard_link(self.target.join(rel), &dest)?;
                entry
            }
            None => {
                remove_any(&dest)?;
                let mut f = std::fs::File::create_new(&dest)?;
                f.write_all(bytes)?;
                let (len, ino, mtime) = identity(&f.metadata()?).unwrap_or((len, 0, 0));
                Entry { len, hash, ino, mtime }
            }
        };
        self.written.lock().unwrap_or_else(|e| e.into_inner()).insert(key, entry);
        Ok(())
    }

    /// Create `dir` in `next` (once per build), replacing a file in its way.
    fn ensure_dir(&self, dir: &Path) -> io::Result<()> {
        if self.dirs.lock().unwrap_or_else(|e| e.into_inner()).contains(dir) {
            return Ok(());
        }
        if let Err(e) = std::fs::create_dir_all(dir) {
            // A file of an earlier build where a folder must be now.
            let blocker = dir.ancestors().find(|a| std::fs::symlink_metadata(a).is_ok_and(|m| !m.is_dir()));
            match blocker {
                Some(file) if file.starts_with(&self.next) => {
                    std::fs::remove_file(file)?;
                    std::fs::create_dir_all(dir)?;
                }
                _ => return Err(e),
            }
        }
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        for a in dir.ancestors().take_while(|a| a.starts_with(&self.next)) {
            dirs.insert(a.to_path_buf());
        }
        Ok(())
    }

    /// Remove what this build did not write, swap the twin in for the output, and
    /// record what the output now holds.
    pub fn commit(self) -> io::Result<()> {
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let dirs = std::mem::take(&mut *self.dirs.lock().unwrap_or_else(|e| e.into_inner()));
        for entry in walkdir::WalkDir::new(&self.next).min_depth(1).contents_first(true) {
            let entry = entry.map_err(io::Error::other)?;
            let path = entry.path();
            if entry.file_type().is_dir() {
                if !dirs.contains(path) {
                    std::fs::remove_dir_all(path)?;
                }
            } else {
                let rel = path.strip_prefix(&self.next).unwrap_or(path);
                if !written.contains_key(&slash(rel)) {
                    std::fs::remove_file(path)?;
                }
            }
        }
        if self.target.exists() {
            exchange(&self.next, &self.target)?;
        } else {
            std::fs::rename(&self.next, &self.target)?;
        }
        let mut lines: Vec<String> = written
            .iter()
            .map(|(path, e)| format!("{:032x}\t{}\t{}\t{}\t{path}", e.hash, e.len, e.ino, e.mtime))
            .collect();
        lines.sort();
        lines.push(String::new());
        replace_file(&self.home.join("manifest"), lines.join("\n").as_bytes())
    }
}

impl Sink for OutputFolder {
    fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        self.put(rel, bytes)
    }

    fn copy(&self, rel: &Path, source: &Path) -> io::Result<()> {
        self.put(rel, &std::fs::read(source)?)
    }
}

fn parse_manifest(text: &str) -> HashMap<String, Entry> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.splitn(5, '\t');
            let hash = u128::from_str_radix(f.next()?, 16).ok()?;
            let len = f.next()?.parse().ok()?;
            let ino = f.next()?.parse().ok()?;
            let mtime = f.next()?.parse().ok()?;
            Some((f.next()?.to_owned(), Entry { len, hash, ino, mtime }))
        })
        .collect()
}

/// A path as the manifest writes it.
fn slash(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Size, inode and modification time (ns) of a file, where the platform has inodes.
#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64, i128)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.len(), meta.ino(), i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec())))
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> Option<(u64, u64, i128)> {
    None
}

/// Remove a file or folder at `path`, if there is one.
fn remove_any(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Swap two folders: at once where the system can (Linux), else by renames.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = a.with_extension("swap");
    std::fs::rename(b, &aside)?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&aside, b);
        return Err(e);
    }
    std::fs::rename(&aside, a)
}

/// Writes straight into a live folder (`serve`); each file is replaced by a rename
/// so a request never reads half a file, and a file that comes out the same is
/// not touched (after an edit most site-wide files do). It remembers which files
/// it changed, so that only browsers showing one of them reload.
pub struct DirSink {
    dir: PathBuf,
    changed: Mutex<Vec<String>>,
}

impl DirSink {
    pub fn new(dir: PathBuf) -> DirSink {
        DirSink { dir, changed: Mutex::new(Vec::new()) }
    }

    /// The files changed since the last call, as `/`-separated paths.
    pub fn take_changed(&self) -> Vec<String> {
        std::mem::take(&mut *self.changed.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Sink for DirSink {
    fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(rel);
        let same_size = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64);
        if same_size && std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        replace_file(&path, bytes)?;
        self.changed.lock().unwrap_or_else(|e| e.into_inner()).push(slash(rel));
        Ok(())
    }

    fn copy(&self, rel: &Path, source: &Path) -> io::Result<()> {
        self.write(rel, &std::fs::read(source)?)
    }
}

/// Write a file through a hidden temporary file in the same folder and a rename,
/// creating the folder: the file is never seen half-written, and a failure leaves
/// the old file as it was. The data is on disk before the rename (for what a
/// clerk or an archivist keeps: imported notices, archive indexes).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_and_rename(path, bytes, true)
}

/// `atomic_write` without waiting for the disk: for what a build can make again
/// (pages served while editing, the output's manifest). Forcing each to disk
/// would make the system write out every other file waiting too.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_and_rename(path, bytes, false)
}

fn write_and_rename(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    write_then_rename(path, durable, |f| f.write_all(bytes))
}

/// Write a file as `atomic_write` does, with `write` filling it (a file too large
/// to hold in memory first: the WACZ package). Errors of `write` may be of any
/// type that an I/O error converts into; on any error the temporary file is gone.
pub fn atomic_file<T, E: From<io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<T, E>,
) -> Result<T, E> {
    // What a killed run left beside it may be as large as the file itself.
    remove_stale(parent_of(path), &format!(".{}.gongkai-tmp-", file_name(path)));
    write_then_rename(path, true, write)
}

fn write_then_rename<T, E: From<io::Error>>(
    path: &Path,
    durable: bool,
    write: impl FnOnce(&mut std::fs::File) -> Result<T, E>,
) -> Result<T, E> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = parent_of(path);
    std::fs::create_dir_all(dir)?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{}.gongkai-tmp-{}-{n}", file_name(path), std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        let value = write(&mut f)?;
        if durable {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        Ok(value)
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

/// Remove what a killed gongkai left in `parent`: staging folders and temporary
/// files named `{prefix}{pid}…` whose process is gone. Only where the system
/// says which processes run (Linux's /proc); elsewhere they are left, and a
/// clerk may delete them.
fn remove_stale(parent: &Path, prefix: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(prefix) else { continue };
        let pid: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if pid.is_empty() || pid == std::process::id().to_string() || proc.join(&pid).exists() {
            continue;
        }
        let path = entry.path();
        let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
    }
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
        let sink = DirSink::new(tmp.path().to_path_buf());
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
