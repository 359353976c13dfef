//! The build cache: results that depend only on their inputs — a text's
//! rendering, a page's QR code — kept on disk between builds, so that a second
//! build computes only what changed.
//!
//! It lives in the output's twin folder, `.<output>.gongkai/cache/` (beside the
//! output, git-ignored, under the build's lock, so two builds never write one
//! cache). An entry is a file named by the hash of its kind and inputs; it starts
//! with a magic word, the hash of the gongkai executable that wrote it, and the
//! hash of its payload. An entry from another gongkai, cut short (a build killed
//! half-way), or changed on disk is never trusted: it counts as damaged, is
//! ignored and written anew. Entries are written to a temporary name and renamed,
//! so a reader sees a whole entry or none. After a build, the entries it did not
//! use are removed: the cache holds one build's worth.
//!
//! `gongkai build --no-cache` neither reads nor writes it.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

const MAGIC: &[u8; 4] = b"GKC1";
const HEADER: usize = 4 + 16 + 16;

/// What a build did with its cache, for the note it prints.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub hits: usize,
    /// Results computed (not in the cache, or not trusted there).
    pub computed: usize,
    /// Entries found damaged or from another gongkai, ignored.
    pub damaged: usize,
    /// Entries of earlier builds this one did not use, removed.
    pub removed: usize,
}

pub struct Cache {
    dir: PathBuf,
    /// Which gongkai wrote an entry: the hash of its executable.
    binary: u128,
    used: Mutex<HashSet<PathBuf>>,
    hits: AtomicUsize,
    computed: AtomicUsize,
    damaged: AtomicUsize,
    written: AtomicUsize,
}

static CURRENT: OnceLock<Cache> = OnceLock::new();

/// Use `cache` for the rest of this process (a build). Later calls change nothing.
pub fn install(cache: Cache) {
    let _ = CURRENT.set(cache);
}

/// The cache of this build, if it has one.
pub fn current() -> Option<&'static Cache> {
    CURRENT.get()
}

/// `compute()`'s result for `inputs` of `kind`, from the cache when it holds it.
/// Without a cache, computed. `encode`/`decode` turn the value into bytes and
/// back (`encode` giving `None`: not kept); a value that does not decode counts
/// as damaged.
pub fn memo<T>(
    kind: &str,
    inputs: &[&[u8]],
    compute: impl FnOnce() -> T,
    encode: impl Fn(&T) -> Option<Vec<u8>>,
    decode: impl Fn(&[u8]) -> Option<T>,
) -> T {
    let Some(cache) = current() else { return compute() };
    let key = cache.key(kind, inputs);
    if let Some(bytes) = cache.get(&key) {
        if let Some(value) = decode(&bytes) {
            return value;
        }
        cache.damaged.fetch_add(1, Ordering::Relaxed);
    }
    let value = compute();
    cache.computed.fetch_add(1, Ordering::Relaxed);
    if let Some(bytes) = encode(&value) {
        cache.put(&key, &bytes);
    }
    value
}

impl Cache {
    /// The cache in `dir`, for the running gongkai; `None` when the executable
    /// cannot be read (no way to tell its entries from another version's).
    pub fn open(dir: &Path) -> Option<Cache> {
        let exe = std::env::current_exe().ok()?;
        let binary = xxh3_128(&std::fs::read(exe).ok()?);
        Some(Cache::with_version(dir, binary))
    }

    /// A cache whose entries are marked with `binary` (tests stand in for
    /// another gongkai with another number).
    pub fn with_version(dir: &Path, binary: u128) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            binary,
            used: Mutex::new(HashSet::new()),
            hits: AtomicUsize::new(0),
            computed: AtomicUsize::new(0),
            damaged: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
        }
    }

    /// Where the entry for `inputs` of `kind` is.
    pub fn key(&self, kind: &str, inputs: &[&[u8]]) -> PathBuf {
        let mut h = Xxh3::new();
        h.update(kind.as_bytes());
        for input in inputs {
            // Lengths first: ("ab", "c") and ("a", "bc") are other inputs.
            h.update(&(input.len() as u64).to_le_bytes());
            h.update(input);
        }
        let hex = format!("{:032x}", h.digest128());
        self.dir.join(kind).join(&hex[..2]).join(hex)
    }

    /// The payload of the entry at `key`, if it is whole and this gongkai's.
    pub fn get(&self, key: &Path) -> Option<Vec<u8>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_path_buf());
        let bytes = std::fs::read(key).ok()?;
        let whole = bytes.len() >= HEADER
            && &bytes[..4] == MAGIC
            && bytes[4..20] == self.binary.to_le_bytes()
            && bytes[20..36] == xxh3_128(&bytes[HEADER..]).to_le_bytes();
        if !whole {
            self.damaged.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        // In place: entries (a search part's) can be tens of megabytes.
        let mut payload = bytes;
        payload.drain(..HEADER);
        Some(payload)
    }

    /// Keep the entry at `key`, if there is one, for the next build without reading
    /// it (it is part of a result this build read whole).
    pub fn keep(&self, key: &Path) {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_path_buf());
    }

    /// Keep `payload` at `key`. A cache that cannot be written is only slower.
    pub fn put(&self, key: &Path, payload: &[u8]) {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_path_buf());
        let n = self.written.fetch_add(1, Ordering::Relaxed);
        let Some(dir) = key.parent() else { return };
        let temp = dir.join(format!(".tmp-{}-{n}", std::process::id()));
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(dir)?;
            let mut f = std::fs::File::create(&temp)?;
            f.write_all(MAGIC)?;
            f.write_all(&self.binary.to_le_bytes())?;
            f.write_all(&xxh3_128(payload).to_le_bytes())?;
            f.write_all(payload)?;
            std::fs::rename(&temp, key)
        };
        if write().is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }

    /// Remove what this build did not use (older entries, temporary files of a
    /// build that was killed), and say what the cache did.
    pub fn finish(&self) -> Counts {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut removed = 0;
        for entry in walkdir::WalkDir::new(&self.dir).min_depth(1).into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() && !used.contains(entry.path()) && std::fs::remove_file(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
        Counts {
            hits: self.hits.load(Ordering::Relaxed),
            computed: self.computed.load(Ordering::Relaxed),
            damaged: self.damaged.load(Ordering::Relaxed),
            removed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_trusted_only_whole_and_from_this_gongkai() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::with_version(dir.path(), 1);
        let key = cache.key("qr", &[b"https://x/", b"label"]);
        assert_ne!(key, cache.key("qr", &[b"https://x/l", b"abel"]), "inputs are told apart");
        assert_eq!(cache.get(&key), None);
        cache.put(&key, b"payload");
        assert_eq!(cache.get(&key).as_deref(), Some(&b"payload"[..]));
        // Another gongkai's entry, a changed byte, a cut-short entry: not trusted.
        assert_eq!(Cache::with_version(dir.path(), 2).get(&key), None);
        let mut bytes = std::fs::read(&key).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&key, &bytes).unwrap();
        assert_eq!(cache.get(&key), None);
        std::fs::write(&key, &bytes[..10]).unwrap();
        assert_eq!(cache.get(&key), None);
        assert_eq!(cache.finish().damaged, 2);
    }

    #[test]
    fn a_build_keeps_only_what_it_used() {
        let dir = tempfile::tempdir().unwrap();
        let first = Cache::with_version(dir.path(), 1);
        let (a, b) = (first.key("md", &[b"a"]), first.key("md", &[b"b"]));
        first.put(&a, b"A");
        first.put(&b, b"B");
        std::fs::write(a.with_file_name(".tmp-999-0"), b"half").unwrap();
        assert_eq!(first.finish().removed, 1, "the temporary file of a killed build");
        let second = Cache::with_version(dir.path(), 1);
        assert!(second.get(&a).is_some());
        let counts = second.finish();
        assert_eq!((counts.hits, counts.removed), (1, 1));
        assert!(a.exists() && !b.exists());
    }
}
