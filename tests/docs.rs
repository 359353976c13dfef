//! The README and the guides under docs/: every command in a block marked
//! ```` ```sh test ```` runs, in a copy of the example site with `gongkai` on PATH,
//! as a reader would type it; and every link to a file of the repository (or an
//! anchor of a guide) leads somewhere.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn guides() -> Vec<PathBuf> {
    let mut files = vec![repo().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The blocks of `text` fenced as ```` ```sh test ````.
fn test_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim() == "```sh test" => current = Some(String::new()),
            Some(block) if line.trim() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn the_guides_commands_run() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    for dir in ["content", "themes", "examples"] {
        copy_dir(&repo().join(dir), &site.join(dir));
    }
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_gongkai"), bin.join("gongkai")).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut ran = 0;
    for file in guides() {
        let text = std::fs::read_to_string(&file).unwrap();
        for block in test_blocks(&text) {
            let out = Command::new("bash")
                .args(["-euo", "pipefail", "-c", &block])
                .current_dir(&site)
                .env("PATH", &path)
                .env_remove("SOURCE_DATE_EPOCH")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}: this block failed:\n{block}\n{}{}",
                file.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 3, "only {ran} blocks found");
}

/// GitHub's anchor of a heading.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn links_in_the_guides_lead_somewhere() {
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let code = regex::Regex::new(r"`[^`\n]*`").unwrap();
    let mut broken = Vec::new();
    for file in guides() {
        // Links written as code (`[附件](表.xlsx)` showing what import writes) are examples.
        let text = code.replace_all(&std::fs::read_to_string(&file).unwrap(), "").into_owned();
        for c in link.captures_iter(&text) {
            let target = &c[1];
            if target.starts_with("http") || target.starts_with("mailto:") {
                continue;
            }
            let (path, frag) = target.split_once('#').unwrap_or((target, ""));
            let dest = if path.is_empty() { file.clone() } else { file.parent().unwrap().join(path) };
            if !dest.exists() {
                broken.push(format!("{}: {target} (no such file)", file.display()));
            } else if !frag.is_empty() && dest.extension().is_some_and(|e| e == "md") {
                let theirs = anchors(&std::fs::read_to_string(&dest).unwrap());
                if !theirs.iter().any(|a| a == frag) {
                    broken.push(format!("{}: {target} (no such heading)", file.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Every test the guides name — a file under `tests/` in backquotes, a target
/// given to `--test` — is there, so that what the README says is tested is what
/// `bash tests/run.sh` (and CI) runs.
#[test]
fn the_tests_the_guides_name_exist() {
    let file_named = regex::Regex::new(r"`(tests/[^`\s]+)`").unwrap();
    let target_named = regex::Regex::new(r"--test ([a-z_]+)").unwrap();
    let mut missing = Vec::new();
    let mut named = 0;
    for file in guides() {
        let text = std::fs::read_to_string(&file).unwrap();
        for c in file_named.captures_iter(&text) {
            named += 1;
            if !repo().join(&c[1]).exists() {
                missing.push(format!("{}: `{}`", file.display(), &c[1]));
            }
        }
        for c in target_named.captures_iter(&text) {
            named += 1;
            if !repo().join("tests").join(format!("{}.rs", &c[1])).is_file() {
                missing.push(format!("{}: --test {}", file.display(), &c[1]));
            }
        }
    }
    assert!(named >= 10, "the guides name {named} tests: is the pattern still right?");
    assert!(missing.is_empty(), "named in the guides but not in the repository:\n{}", missing.join("\n"));
}
