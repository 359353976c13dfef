//! Drafts of the desk: each open form has a folder in the preview's temporary
//! folder holding the notice's files as they will be (its attachments, the files
//! dropped on the form), so that a check reads the draft exactly as the build will
//! read the saved notice. Saving copies the draft into `content/`, atomically,
//! and never over a file that changed on disk since the form was opened.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// Open drafts kept at once; the oldest goes first.
const MAX_DRAFTS: usize = 64;
/// Files a draft may hold, and their total size.
const MAX_FILES: usize = 200;
const MAX_DRAFT_BYTES: u64 = 256 << 20;

/// The kinds of file a notice may carry (by extension): documents, data,
/// pictures. Anything else is refused with this list.
pub const FILE_TYPES: &[&str] = &[
    "pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "xlsm", "ods", "et", "csv", "yaml", "yml", "txt", "md", "jpg",
    "jpeg", "png", "gif", "webp", "zip", "rar", "7z",
];

pub struct Drafts {
    stage: PathBuf,
    open: Mutex<BTreeMap<u64, Draft>>,
    next: std::sync::atomic::AtomicU64,
}

#[derive(Clone)]
pub struct Draft {
    /// The notice file in content/, relative to the site (`content/…/index.md`);
    /// `None` until a new notice is saved.
    pub file: Option<PathBuf>,
    /// The file's text when the form was opened (or last saved).
    pub original: Option<String>,
    /// Its digest, which saving compares with the file on disk.
    pub version: Option<String>,
    /// The draft's bundle folder in the stage.
    pub dir: PathBuf,
    /// The stage's stand-in for content/.
    pub content: PathBuf,
    /// A notice of its own folder (a bundle) can take files; a notice file among
    /// others (`content/a.md`) cannot.
    pub bundle: bool,
}

pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl Drafts {
    pub fn new(stage: PathBuf) -> Drafts {
        Drafts { stage, open: Mutex::new(BTreeMap::new()), next: 1.into() }
    }

    /// A draft of the notice at `file` (relative to `root`), or of a new one.
    pub fn open(&self, root: &Path, file: Option<&Path>) -> Result<(u64, Draft), String> {
        let id = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let content = self.stage.join(id.to_string()).join("content");
        let dir = content.join("draft");
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create the draft folder: {e}"))?;
        let mut draft = Draft { file: None, original: None, version: None, dir, content, bundle: true };
        if let Some(rel) = file {
            let abs = inside_content(root, rel)?;
            let bytes = std::fs::read(&abs).map_err(|e| format!("cannot read {}: {e}", rel.display()))?;
            draft.bundle = abs.file_name().is_some_and(|n| n == "index.md");
            if draft.bundle {
                copy_bundle(abs.parent().unwrap_or(root), &draft.dir)?;
            }
            draft.version = Some(digest(&bytes));
            draft.original =
                Some(String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", rel.display()))?);
            draft.file = Some(rel.to_path_buf());
        }
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        while open.len() >= MAX_DRAFTS {
            let Some((&oldest, _)) = open.iter().next() else { break };
            self.forget(&mut open, oldest);
        }
        open.insert(id, draft.clone());
        Ok((id, draft))
    }

    pub fn get(&self, id: u64) -> Option<Draft> {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).get(&id).cloned()
    }

    pub fn update(&self, id: u64, draft: Draft) {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).insert(id, draft);
    }

    fn forget(&self, open: &mut BTreeMap<u64, Draft>, id: u64) {
        open.remove(&id);
        let _ = std::fs::remove_dir_all(self.stage.join(id.to_string()));
    }

    /// Put a dropped file into the draft under its sanitised name.
    pub fn add_file(&self, draft: &Draft, name: &str, bytes: &[u8]) -> Result<String, String> {
        if !draft.bundle {
            return Err(
                "this notice is a single file among others; move it into a folder of its own (x/index.md) to add files"
                    .into(),
            );
        }
        let name = file_name(name)?;
        let files = list_files(&draft.dir);
        let total: u64 = files.iter().map(|(_, size)| size).sum::<u64>() + bytes.len() as u64;
        if files.len() >= MAX_FILES || total > MAX_DRAFT_BYTES {
            return Err(format!("a notice holds at most {MAX_FILES} files, {} MB in all", MAX_DRAFT_BYTES >> 20));
        }
        crate::write::atomic_write(&draft.dir.join(&name), bytes).map_err(|e| format!("cannot keep {name}: {e}"))?;
        Ok(name)
    }

    /// Take a file out of the draft (not out of content/: saving never deletes).
    pub fn remove_file(&self, draft: &Draft, name: &str) -> Result<(), String> {
        let name = file_name(name)?;
        std::fs::remove_file(draft.dir.join(&name)).map_err(|e| format!("cannot remove {name}: {e}"))
    }
}

/// The files of a draft's folder: (name, size), sorted.
pub fn list_files(dir: &Path) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != "index.md")
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            (rel, e.metadata().map_or(0, |m| m.len()))
        })
        .collect();
    out.sort();
    out
}

/// A file name a clerk's file can be kept under: its last path segment, without
/// control characters or a leading dot, of a kind in `FILE_TYPES`.
pub fn file_name(name: &str) -> Result<String, String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim_start_matches('.').trim().to_owned();
    if clean.is_empty() || clean.len() > 200 || clean.contains([':', '*', '?', '"', '<', '>', '|']) {
        return Err(format!(
            "`{name}` cannot be a file name: rename it (at most 200 bytes, without : * ? \" < > |) and add it again"
        ));
    }
    let ext = clean.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !FILE_TYPES.contains(&ext.as_str()) {
        return Err(format!("{clean}: files of this kind are not published; allowed: {}", FILE_TYPES.join(", ")));
    }
    Ok(clean)
}

/// A notice's folder under content/ as the clerk may choose it: segments of
/// letters, digits, `-`, `_` and Chinese, no `.`/`..`, not under `pages/`.
pub fn folder(text: &str) -> Result<String, String> {
    // Relative to content/: a leading / is a mistake worth saying, not trimming.
    let segments: Vec<&str> = text.trim().trim_end_matches('/').split('/').collect();
    let ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && !s.starts_with(['.', '-'])
            && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && s != ".."
    };
    if segments.is_empty() || segments.len() > 6 || !segments.iter().all(|s| ok(s)) {
        return Err(format!(
            "`{text}` cannot be a folder: use folders of letters, digits, - and _, such as notices/2024/tongzhengbanfa-55"
        ));
    }
    if segments[0] == crate::routes::PAGES {
        return Err("pages/ holds the standing pages, not notices".into());
    }
    Ok(segments.join("/"))
}

/// `rel` (relative to the site) as a path inside content/, no link followed out.
pub fn inside_content(root: &Path, rel: &Path) -> Result<PathBuf, String> {
    let bad = || format!("{} is not a notice file in content/", rel.display());
    let mut parts = rel.components();
    if parts.next() != Some(Component::Normal("content".as_ref())) {
        return Err(bad());
    }
    if !parts.clone().all(|c| matches!(c, Component::Normal(_))) || rel.extension().is_none_or(|e| e != "md") {
        return Err(bad());
    }
    let content = root.join("content").canonicalize().map_err(|_| bad())?;
    let abs = root.join(rel).canonicalize().map_err(|_| bad())?;
    if !abs.starts_with(&content) {
        return Err(bad());
    }
    Ok(abs)
}

/// Copy a bundle's files (not its index.md) into the draft, bounded.
fn copy_bundle(from: &Path, to: &Path) -> Result<(), String> {
    let mut total = 0u64;
    for (name, size) in list_files(from) {
        total += size;
        if total > MAX_DRAFT_BYTES {
            return Err(format!("the notice's files exceed {} MB; edit it in a text editor", MAX_DRAFT_BYTES >> 20));
        }
        let dest = to.join(&name);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        // Links are not followed: the build does not publish what they point to.
        if std::fs::symlink_metadata(from.join(&name)).is_ok_and(|m| m.is_file()) {
            std::fs::copy(from.join(&name), &dest).map_err(|e| format!("cannot copy {name}: {e}"))?;
        }
    }
    Ok(())
}

/// What saving found.
pub enum Saved {
    /// Written: the file, relative to the site, and its new digest.
    Written(PathBuf, String),
    /// The file changed on disk since the form was opened: its text now.
    Conflict(String),
    Refused(String),
}

/// Write the draft's `text` and its files into content/. `folder` places a new
/// notice; `force` writes over a file changed on disk (the clerk chose to).
pub fn save(root: &Path, draft: &Draft, folder_text: Option<&str>, text: &str, force: bool) -> Saved {
    let content = match root.join("content").canonicalize() {
        Ok(c) => c,
        Err(e) => return Saved::Refused(format!("content/: {e}")),
    };
    let (file, rel) = match &draft.file {
        Some(rel) => match inside_content(root, rel) {
            Ok(abs) => (abs, rel.clone()),
            Err(e) => return Saved::Refused(e),
        },
        None => {
            let folder = match folder(folder_text.unwrap_or("")) {
                Ok(f) => f,
                Err(e) => return Saved::Refused(e),
            };
            let dir = content.join(&folder);
            // No link on the way: the desk writes inside content/ only.
            let mut at = content.clone();
            for s in folder.split('/') {
                at.push(s);
                if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
                    return Saved::Refused(format!("content/{folder}: {} is not a folder", at.display()));
                }
            }
            if dir.join("index.md").exists() {
                return Saved::Refused(format!("content/{folder}/index.md exists already: choose another folder"));
            }
            if let Err(e) = std::fs::create_dir_all(&dir) {
                return Saved::Refused(format!("cannot create content/{folder}: {e}"));
            }
            if !dir.canonicalize().is_ok_and(|d| d.starts_with(&content)) {
                return Saved::Refused(format!("content/{folder} is not inside content/"));
            }
            (dir.join("index.md"), PathBuf::from(format!("content/{folder}/index.md")))
        }
    };
    if draft.file.is_some() && !force {
        let now = std::fs::read(&file).unwrap_or_default();
        if draft.version.as_deref() != Some(digest(&now).as_str()) {
            return Saved::Conflict(String::from_utf8_lossy(&now).into_owned());
        }
    }
    if draft.bundle {
        let dir = file.parent().unwrap_or(&content).to_path_buf();
        for (name, _) in list_files(&draft.dir) {
            let bytes = match std::fs::read(draft.dir.join(&name)) {
                Ok(b) => b,
                Err(e) => return Saved::Refused(format!("cannot read the draft's {name}: {e}")),
            };
            let dest = dir.join(&name);
            if std::fs::symlink_metadata(&dest).is_ok_and(|m| m.file_type().is_symlink()) {
                return Saved::Refused(format!("{name} in the notice's folder is a link; not written over"));
            }
            if std::fs::read(&dest).ok().as_deref() == Some(bytes.as_slice()) {
                continue;
            }
            if let Some(parent) = dest.parent()
                && let Err(e) = std::fs::create_dir_all(parent)
            {
                return Saved::Refused(format!("cannot create {}: {e}", parent.display()));
            }
            if let Err(e) = crate::write::atomic_write(&dest, &bytes) {
                return Saved::Refused(format!("cannot write {name}: {e}"));
            }
        }
    }
    if std::fs::read(&file).ok().as_deref() != Some(text.as_bytes())
        && let Err(e) = crate::write::atomic_write(&file, text.as_bytes())
    {
        return Saved::Refused(format!("cannot write {}: {e}", rel.display()));
    }
    Saved::Written(rel, digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_folders_are_sanitised() {
        assert_eq!(file_name("../../etc/附件1.PDF").unwrap(), "附件1.PDF");
        assert_eq!(file_name("C:\\x\\.进展.xlsx").unwrap(), "进展.xlsx");
        assert!(file_name("a.exe").is_err() && file_name("..").is_err() && file_name("").is_err());
        assert_eq!(folder("notices/2024/x/").unwrap(), "notices/2024/x");
        for bad in ["/etc", "../x", "notices/../../x", "a/./b", "pages/x", "", "a\\b", ".git/x", "a/b c"] {
            assert!(folder(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_notice_files_in_content_open() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/a")).unwrap();
        std::fs::write(dir.path().join("content/a/index.md"), "---\n---\n").unwrap();
        std::fs::write(dir.path().join("secret.md"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.md"), dir.path().join("content/link.md")).unwrap();
        assert!(inside_content(dir.path(), Path::new("content/a/index.md")).is_ok());
        for bad in ["secret.md", "content/../secret.md", "content/link.md", "content/a", "/etc/passwd"] {
            assert!(inside_content(dir.path(), Path::new(bad)).is_err(), "{bad}");
        }
    }
}
