//! Texts kept out of memory on a large site. A notice's Markdown, page HTML and
//! plain text are each needed by one or two stages (lifecycle, pages, search) but
//! would otherwise all stay in memory from loading to the end of the build: three
//! times the corpus. Up to `held` bytes are kept in memory (a site of a few
//! thousand notices never touches the disk); beyond that each text is appended to
//! a temporary file, deleted as soon as it is opened (so nothing is left behind),
//! and read back when a stage asks for it — from the system's file cache, which the
//! system can give back under pressure.

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Where texts go.
pub struct TextStore {
    held: usize,
    used: AtomicUsize,
    /// The temporary file and its length, opened on first use.
    spill: Mutex<Option<(Arc<File>, u64)>>,
}

/// One stored text.
#[derive(Clone)]
pub struct Stored(Repr);

#[derive(Clone)]
enum Repr {
    Held(Arc<str>),
    Spilled { file: Arc<File>, at: u64, len: usize },
}

impl TextStore {
    /// A store that keeps up to `held` bytes in memory.
    pub fn new(held: usize) -> TextStore {
        TextStore { held, used: AtomicUsize::new(0), spill: Mutex::new(None) }
    }

    /// Keep `text`: in memory while there is room, else in the temporary file (in
    /// memory after all if that cannot be written).
    pub fn put(&self, text: String) -> Stored {
        let len = text.len();
        if self.used.fetch_add(len, Ordering::Relaxed) + len <= self.held || len == 0 {
            return Stored::held(text);
        }
        match self.spill(text.as_bytes()) {
            Ok((file, at)) => Stored(Repr::Spilled { file, at, len }),
            Err(_) => Stored::held(text),
        }
    }

    fn spill(&self, bytes: &[u8]) -> io::Result<(Arc<File>, u64)> {
        let mut guard = self.spill.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            *guard = Some((Arc::new(temporary_file()?), 0));
        }
        let Some((file, end)) = guard.as_mut() else { unreachable!("opened above") };
        write_at(file, bytes, *end)?;
        let at = *end;
        *end += bytes.len() as u64;
        Ok((file.clone(), at))
    }
}

impl Stored {
    /// A text kept in memory.
    pub fn held(text: impl Into<Arc<str>>) -> Stored {
        Stored(Repr::Held(text.into()))
    }

    /// The text. A spilled text that cannot be read back (the disk failed under
    /// the build) is a bug-level failure: the build stops rather than publish a
    /// page without its text.
    pub fn get(&self) -> Arc<str> {
        match &self.0 {
            Repr::Held(text) => text.clone(),
            Repr::Spilled { file, at, len } => {
                let mut bytes = vec![0; *len];
                read_at(file, &mut bytes, *at)
                    .and_then(|()| String::from_utf8(bytes).map_err(io::Error::other))
                    .map(Arc::from)
                    .unwrap_or_else(|e| panic!("a text kept in the temporary file cannot be read back: {e}"))
            }
        }
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Held(text) => text.len(),
            Repr::Spilled { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for Stored {
    fn default() -> Stored {
        Stored::held("")
    }
}

impl PartialEq for Stored {
    fn eq(&self, other: &Stored) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Debug for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Repr::Held(text) => write!(f, "{text:?}"),
            Repr::Spilled { at, len, .. } => write!(f, "<{len} bytes at {at} of the temporary file>"),
        }
    }
}

/// A new file in the system's temporary folder, removed at once where the system
/// allows (Unix keeps an open file's data until it is closed).
fn temporary_file() -> io::Result<File> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "gongkai-texts-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let file = File::options().read(true).write(true).create_new(true).open(&path)?;
    if cfg!(unix) {
        std::fs::remove_file(&path)?;
    }
    Ok(file)
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, at)?;
        bytes = &bytes[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, bytes, at)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        bytes = &mut bytes[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_beyond_the_budget_go_to_the_file_and_come_back() {
        let store = TextStore::new(10);
        let a = store.put("义务教育".into()); // 12 bytes: over the budget already
        let b = store.put("abc".into());
        let c = store.put(String::new());
        assert!(matches!(a.0, Repr::Spilled { at: 0, len: 12, .. }), "{a:?}");
        assert!(matches!(b.0, Repr::Spilled { at: 12, len: 3, .. }), "{b:?}");
        assert!(matches!(c.0, Repr::Held(_)));
        assert_eq!((&*a.get(), &*b.get(), &*c.get()), ("义务教育", "abc", ""));
        let roomy = TextStore::new(1 << 20);
        assert!(matches!(roomy.put("x".into()).0, Repr::Held(_)));
    }
}
