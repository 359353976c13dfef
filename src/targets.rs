//! Where a command may write: one rule for every command that writes (`build`,
//! `snapshot`, `new`, `import`), `--force` included. No command writes over the
//! site folder, `content/` or `themes/`; none writes inside `content/` or
//! `themes/` except a notice where `new` and `import` put notices; none but
//! `build` writes into a build's output folder (the next build would replace it).
//! Paths are compared after resolving the symlinks of the part that exists, so a
//! link does not lead round the rule.

use std::path::{Component, Path, PathBuf};

/// What a command writes at the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `build --out`: the site, a folder replaced as a whole.
    Output,
    /// `snapshot --out`, `--archive`, `--wacz`: a bag, an archive folder, a file.
    Archive,
    /// `new`, `import --into`: a notice (or a folder of notices) inside `content/`.
    Notice,
}

/// Why a target was refused: a sentence naming the target and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// Check `target` (as the user gave it, `what` naming the option) for `purpose`.
pub fn check(root: &Path, target: &Path, purpose: Purpose, what: &str) -> Result<(), Refused> {
    let t = resolved(target);
    let root = resolved(root);
    let (content, themes) = (root.join("content"), root.join("themes"));
    let shown = target.display();
    let refuse = |why: String| Err(Refused(format!("{what} {shown}: {why}")));
    if purpose == Purpose::Notice && t == content {
        return refuse("a notice goes into a folder inside content/, such as content/notices/2024/plan".into());
    }
    if let Some(p) = [&root, &content, &themes].into_iter().find(|p| p.starts_with(&t)) {
        return refuse(format!("it would replace {}; choose a folder of its own", p.display()));
    }
    let inside = |dir: &Path| t.starts_with(dir);
    match purpose {
        Purpose::Output | Purpose::Archive if inside(&content) || inside(&themes) => {
            refuse("that is inside content/ or themes/, which hold what the clerk writes; choose a folder outside them".into())
        }
        Purpose::Archive if let Some(out) = build_output_around(&t, &root) => refuse(format!(
            "that is inside the build output {}, which the next build replaces; choose a folder outside it",
            out.display()
        )),
        Purpose::Notice if !inside(&content) || t == content => {
            refuse("a notice goes into a folder inside content/, such as content/notices/2024/plan".into())
        }
        Purpose::Notice if [content.join("index.md"), content.join("site.yaml")].contains(&t) => {
            refuse("that is the site's own file, not a notice; give a folder such as notices/2024/plan".into())
        }
        Purpose::Notice if inside(&content.join("pages")) => {
            refuse("content/pages/ holds the standing pages, not notices; give a notice a folder such as content/notices/2024/plan".into())
        }
        _ => Ok(()),
    }
}

/// The build output folder `path` is in, if any: the site's `output/` and its
/// twin `.output.gongkai/`, or any folder a build wrote (it holds catalogue.json
/// and search/index.json).
fn build_output_around(path: &Path, root: &Path) -> Option<PathBuf> {
    for fixed in [root.join("output"), root.join(".output.gongkai")] {
        if path.starts_with(&fixed) {
            return Some(fixed);
        }
    }
    path.ancestors()
        .find(|dir| dir.join("catalogue.json").is_file() && dir.join("search").join("index.json").is_file())
        .map(Path::to_path_buf)
}

/// `path` made absolute, its existing part with symlinks resolved, the rest
/// lexically (`..` taken back).
pub fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    out.extend(rest.iter().rev());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content/notices", "content/pages", "themes/x", "output/search"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("output/catalogue.json"), "{}").unwrap();
        std::fs::write(dir.path().join("output/search/index.json"), "{}").unwrap();
        dir
    }

    #[test]
    fn each_purpose_writes_only_where_it_is_for() {
        let dir = site();
        let root = dir.path();
        let ok = |t: &str, p| check(root, &root.join(t), p, "--x").is_ok();
        // Never over the site, content/ or themes/.
        for p in [Purpose::Output, Purpose::Archive, Purpose::Notice] {
            assert!(!ok(".", p) && !ok("content", p) && !ok("themes", p) && !ok("output/..", p), "{p:?}");
        }
        assert!(ok("output", Purpose::Output) && ok("../elsewhere", Purpose::Output));
        assert!(!ok("content/bag", Purpose::Output) && !ok("themes/x/out", Purpose::Output));
        for t in ["content/bag", "themes/x", "output", "output/bag", ".output.gongkai/next", "content/site.yaml"] {
            assert!(!ok(t, Purpose::Archive), "{t}");
        }
        assert!(ok("bags", Purpose::Archive) && ok("../archive", Purpose::Archive));
        assert!(ok("content/notices/2024/a/index.md", Purpose::Notice) && ok("content/imported", Purpose::Notice));
        for t in ["content/index.md", "content/site.yaml", "output/a.md", "themes/a.md", "a.md", "content/pages"] {
            assert!(!ok(t, Purpose::Notice), "{t}");
        }
    }

    #[test]
    fn a_symlink_does_not_lead_round_the_rule() {
        let dir = site();
        let root = dir.path();
        std::os::unix::fs::symlink(root.join("content"), root.join("innocent")).unwrap();
        assert!(check(root, &root.join("innocent/bag"), Purpose::Archive, "--out").is_err());
    }
}
