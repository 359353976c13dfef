//! Stage 1, load: find the notices (and the standing pages of `content/pages/`)
//! under `content/` with walkdir, read them as UTF-8 and split front matter from
//! body. Nothing here knows what the fields mean.

pub mod frontmatter;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic};
use crate::routes;
use crate::text::encoding::{self, DecodeError};

/// Files larger than this are refused rather than read: a notice is text.
pub const MAX_NOTICE_BYTES: u64 = 16 * 1024 * 1024;

/// Where a notice comes from.
#[derive(Debug, Clone)]
pub struct NoticeSource {
    /// Absolute path of the Markdown file.
    pub file: PathBuf,
    /// The path shown to people: `content/…/x.md`.
    pub display: PathBuf,
    /// Folders between `content/` and the notice (for bundles, above the bundle folder).
    pub folders: Vec<String>,
    /// File stem, or the bundle folder's name.
    pub default_slug: String,
    /// The folder attachments are relative to: the bundle folder, or the file's folder.
    pub base_dir: PathBuf,
    /// For a bundle: every other file in it, relative to the bundle folder, sorted.
    pub bundle_files: Option<Vec<PathBuf>>,
}

/// The result of walking `content/`.
#[derive(Debug, Default)]
pub struct ContentTree {
    pub notices: Vec<NoticeSource>,
    /// Standing pages: the Markdown files under `content/pages/`, found like notices.
    pub pages: Vec<NoticeSource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Names skipped everywhere: hidden files, editor swap and backup files.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// Walk `content_dir` (which `root` contains) and find every notice.
pub fn discover(root: &Path, content_dir: &Path) -> ContentTree {
    let mut tree = ContentTree::default();
    let canonical_content = content_dir.canonicalize().unwrap_or_else(|_| content_dir.to_path_buf());
    let display_of = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();

    // First pass: every file (relative to content/), and which folders are bundles.
    let mut files: Vec<PathBuf> = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(display_of).unwrap_or_else(|| display_of(content_dir));
                tree.diagnostics.push(Diagnostic::new(Code::Unreadable, &path, format!("cannot read: {e}")));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(content_dir).unwrap_or(entry.path()).to_path_buf();
        if entry.path_is_symlink() {
            match check_symlink(entry.path(), &canonical_content) {
                Ok(true) => files.push(rel),
                Ok(false) => tree.diagnostics.push(
                    Diagnostic::new(
                        Code::SymlinkedFolder,
                        &display_of(entry.path()),
                        "symlinked folder is not followed",
                    )
                    .hint("move the folder into content/ instead of linking to it"),
                ),
                Err(d) => tree.diagnostics.push(d.with_file(display_of(entry.path()))),
            }
        } else if entry.file_type().is_file() {
            files.push(rel);
        }
    }
    let bundles: BTreeSet<PathBuf> = files
        .iter()
        .filter(|f| {
            f.file_name().is_some_and(|n| n == "index.md") && f.parent().is_some_and(|p| !p.as_os_str().is_empty())
        })
        .map(|f| f.parent().unwrap_or(Path::new("")).to_path_buf())
        .collect();
    // The outermost bundle folder a file is in, if any.
    let bundle_of = |f: &Path| f.ancestors().skip(1).filter(|a| bundles.contains(*a)).last().map(Path::to_path_buf);

    let mut bundle_members: std::collections::BTreeMap<PathBuf, Vec<PathBuf>> = Default::default();
    for f in &files {
        match bundle_of(f) {
            Some(dir) => {
                if f.parent() != Some(dir.as_path()) || f.file_name().is_none_or(|n| n != "index.md") {
                    let member = f.strip_prefix(&dir).unwrap_or(f).to_path_buf();
                    bundle_members.entry(dir).or_default().push(member);
                }
            }
            None => {
                let is_md = f.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
                let home = f.parent() == Some(Path::new("")) && f.file_name().is_some_and(|n| n == "index.md");
                if is_md && home {
                    // The home page is gongkai's own: say so rather than skip the file.
                    tree.diagnostics.push(
                        Diagnostic::new(Code::NotPublished, &display_of(&content_dir.join(f)), "content/index.md is not published: the home page lists the notices")
                            .expected("notices in folders of content/ (content/notices/2024/x/index.md), standing pages in content/pages/")
                            .hint("to publish this text, move it to content/pages/ as a standing page (公开指南 …) or into a folder as a notice"),
                    );
                } else if is_md {
                    let abs = content_dir.join(f);
                    tree.notices.push(NoticeSource {
                        display: display_of(&abs),
                        folders: folders_of(f.parent()),
                        default_slug: f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
                        base_dir: abs.parent().unwrap_or(content_dir).to_path_buf(),
                        file: abs,
                        bundle_files: None,
                    });
                }
            }
        }
    }
    for dir in &bundles {
        if bundle_of(dir).is_some() {
            continue; // a bundle nested in a bundle is part of the outer one
        }
        let abs_dir = content_dir.join(dir);
        let abs = abs_dir.join("index.md");
        tree.notices.push(NoticeSource {
            display: display_of(&abs),
            folders: folders_of(dir.parent()),
            default_slug: dir.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            base_dir: abs_dir,
            file: abs,
            bundle_files: Some(bundle_members.remove(dir).unwrap_or_default()),
        });
    }
    tree.notices.sort_by(|a, b| a.file.cmp(&b.file));
    let (pages, notices) = std::mem::take(&mut tree.notices)
        .into_iter()
        .partition(|s| s.folders.first().is_some_and(|f| f == routes::PAGES));
    tree.pages = pages;
    tree.notices = notices;
    tree
}

fn folders_of(dir: Option<&Path>) -> Vec<String> {
    dir.map(|d| {
        d.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    })
    .unwrap_or_default()
}

/// The links followed from `path`, by name, until one repeats (then `true`: a
/// loop) or a name is not a link; at most 40 steps, as the kernel allows.
fn link_chain(path: &Path) -> (Vec<String>, bool) {
    let mut chain = vec![path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())];
    let mut seen = vec![path.to_path_buf()];
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        let Ok(next) = std::fs::read_link(&at) else { return (chain, false) };
        let next = at.parent().map_or(next.clone(), |p| p.join(&next));
        chain.push(next.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()));
        if seen.contains(&next) {
            return (chain, true);
        }
        seen.push(next.clone());
        at = next;
    }
    (chain, true)
}

/// Ok(true): a link to a file inside content/, read like any file.
/// Ok(false): a link to a folder inside content/, not followed.
/// Err: a link that points outside content/ or nowhere.
fn check_symlink(path: &Path, canonical_content: &Path) -> Result<bool, Diagnostic> {
    let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
    let resolved = path.canonicalize().map_err(|_| {
        // Links that point at each other: name the chain.
        let (chain, looped) = link_chain(path);
        if looped {
            return Diagnostic::new(Code::Symlink, path, "symlinks form a loop")
                .found(chain.join(" → "))
                .expected("a link to a file inside content/")
                .hint("remove one of the links, or replace it by the file it should point to");
        }
        Diagnostic::new(Code::Symlink, path, "symlink points to nothing")
            .found(format!("a link to `{target}`, which does not exist"))
            .expected("a file inside content/")
    })?;
    if !resolved.starts_with(canonical_content) {
        return Err(Diagnostic::new(Code::Symlink, path, "symlink points outside content/")
            .found(format!("a link to `{target}`"))
            .expected("only files inside content/ are published")
            .hint("copy the file into content/ if it is meant to be published"));
    }
    Ok(resolved.is_file())
}

/// Check that an attachment path stays inside `base_dir` and inside content/,
/// and that the file exists. Returns the absolute path.
pub fn resolve_attachment(base_dir: &Path, content_dir: &Path, rel: &str) -> Result<PathBuf, AttachmentError> {
    let rel_path = Path::new(rel);
    let mut depth: i32 = 0;
    for c in rel_path.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return Err(AttachmentError::LeavesFolder);
                }
            }
            Component::RootDir | Component::Prefix(_) => return Err(AttachmentError::Absolute),
        }
    }
    if rel.contains('\\') {
        return Err(AttachmentError::Backslash);
    }
    let abs = base_dir.join(rel_path);
    let canonical = abs.canonicalize().map_err(|_| AttachmentError::Missing)?;
    let canonical_content = content_dir.canonicalize().unwrap_or_else(|_| content_dir.to_path_buf());
    if !canonical.starts_with(&canonical_content) {
        return Err(AttachmentError::OutsideContent);
    }
    if !canonical.is_file() {
        return Err(AttachmentError::NotAFile);
    }
    Ok(abs)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentError {
    LeavesFolder,
    Absolute,
    Backslash,
    Missing,
    OutsideContent,
    NotAFile,
}

impl AttachmentError {
    pub fn message(&self) -> &'static str {
        match self {
            AttachmentError::LeavesFolder => "attachment path leaves the notice's folder",
            AttachmentError::Absolute => "attachment path is absolute",
            AttachmentError::Backslash => "attachment path contains a backslash",
            AttachmentError::Missing => "attachment file does not exist",
            AttachmentError::OutsideContent => "attachment is a symlink pointing outside content/",
            AttachmentError::NotAFile => "attachment is not a file",
        }
    }
}

/// Read a notice's file as text, refusing huge or non-UTF-8 files.
pub fn read_text(source: &NoticeSource) -> Result<String, Diagnostic> {
    read_file(&source.file, &source.display, MAX_NOTICE_BYTES, "a notice")
}

/// Read a UTF-8 text file of at most `limit` bytes (`what` names it in the error:
/// "a notice", "a data file"); `display` is the path shown to people.
pub fn read_file(path: &Path, display: &Path, limit: u64, what: &str) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::new(Code::Unreadable, display, format!("cannot read file: {e}")))?;
    if meta.len() > limit {
        return Err(Diagnostic::new(Code::Unreadable, display, format!("file is too large for {what}"))
            .found(format!("{} bytes", meta.len()))
            .expected(format!("at most {limit} bytes; put large material in attachments")));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::new(Code::Unreadable, display, format!("cannot read file: {e}")))?;
    encoding::utf8(&bytes).map_err(|e| decode_error(e, display))
}

/// Why a file is not text, as a clerk can act on it: where, what it looks like,
/// and the command that converts it.
pub fn decode_error(err: DecodeError, display: &Path) -> Diagnostic {
    let file = display.display();
    // The temporary copy keeps the file's own extension (a CSV is not a .md).
    let tmp = format!("tmp.{}", display.extension().map_or("txt".into(), |e| e.to_string_lossy()));
    match err {
        DecodeError::NotUtf8 { encoding, line, column, byte } => Diagnostic::new(Code::Unreadable, display, err.to_string())
            .at(line, Some(column))
            .found(format!("byte 0x{byte:02X} that cannot start a UTF-8 character"))
            .expected("a UTF-8 text file")
            .hint(format!(
                "convert it with `iconv -f {encoding} -t UTF-8 '{file}' > {tmp} && mv {tmp} '{file}'`, or re-save it as \"UTF-8\" in your editor"
            )),
        DecodeError::Nul { line, column } => Diagnostic::new(Code::Unreadable, display, err.to_string())
            .at(line, Some(column))
            .expected("plain text; a NUL byte usually means a binary or damaged file")
            .hint("remove the NUL character, or re-save the file as plain UTF-8 text"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_is_named_with_a_fix() {
        let (bytes, _, _) =
            encoding_rs::GB18030.encode("---\ntitle: 通榆县人民政府办公室关于印发规划的通知\n---\n正文");
        let d = decode_error(encoding::utf8(&bytes).unwrap_err(), Path::new("content/a.md"));
        assert!(d.message.contains("GB18030"), "{}", d.message);
        assert_eq!(d.line, Some(2));
        assert!(d.hint.unwrap().contains("iconv -f GB18030 -t UTF-8"));
    }
}
