//! The build cache (`.<output>.gongkai/cache`): a build that reuses it writes
//! exactly what a build without it writes; an entry that is damaged or from
//! another gongkai is never trusted; an edit is never answered from the cache.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// Every file of a folder, by path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn build(site: &Site, out: &str, extra: &[&str]) -> String {
    let out = site.path(out);
    let mut args = vec!["build", "--out", out.to_str().unwrap()];
    args.extend(extra);
    let run = site.run_here(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

fn entries(site: &Site, out: &str) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(site.path(&format!(".{out}.gongkai/cache")))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<String> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).cloned().collect();
    names.dedup();
    names
}

#[test]
fn a_build_from_the_cache_writes_what_a_build_without_it_writes() {
    let site = Site::example();
    let cold = build(&site, "cached", &[]);
    assert!(cold.contains("reused") && !entries(&site, "cached").is_empty(), "{cold}");
    let warm = build(&site, "cached", &[]);
    assert!(warm.contains("cache: ") && !warm.contains("cache: 0 reused"), "the second build reuses: {warm}");
    assert!(warm.contains(" reused, 0 computed"), "nothing to compute again: {warm}");
    build(&site, "plain", &["--no-cache"]);
    assert!(entries(&site, "plain").is_empty(), "--no-cache writes no cache");
    let diff = differing(&files(&site.path("cached")), &files(&site.path("plain")));
    assert!(diff.is_empty(), "cached and uncached builds differ in {diff:?}");
}

#[test]
fn damaged_or_foreign_entries_are_not_trusted() {
    let site = Site::example();
    build(&site, "output", &[]);
    let all = entries(&site, "output");
    assert!(!all.is_empty());
    // Every entry: one a byte changed, one cut short, one from "another gongkai"
    // (its version field changed), in turn.
    for (i, path) in all.iter().enumerate() {
        let mut bytes = std::fs::read(path).unwrap();
        match i % 3 {
            0 => {
                let last = bytes.len() - 1;
                bytes[last] ^= 0x55;
            }
            1 => bytes.truncate(bytes.len() / 2),
            _ => bytes[4] ^= 1,
        }
        std::fs::write(path, bytes).unwrap();
    }
    let said = build(&site, "output", &[]);
    assert!(said.contains(&format!("note: {} entries of the build cache were damaged", all.len())), "{said}");
    build(&site, "plain", &["--no-cache"]);
    let diff = differing(&files(&site.path("output")), &files(&site.path("plain")));
    assert!(diff.is_empty(), "a damaged cache changed the output: {diff:?}");
    // Made anew: the next build trusts them again.
    let again = build(&site, "output", &[]);
    assert!(!again.contains("damaged"), "{again}");
}

#[test]
fn an_edit_is_never_answered_from_the_cache() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    build(&site, "output", &[]);
    site.write("content/b.md", &GOOD.replace("55号", "56号").replace("published: 2018-09-03", "published: 2024-02-03"));
    build(&site, "output", &[]);
    site.write("content/a.md", &GOOD.replace("正文。", "修改以后的正文。"));
    build(&site, "output", &[]);
    assert!(site.read("output/a/index.html").contains("修改以后的正文。"));
    // Every file, the search index's parts among them, as a build without the cache.
    build(&site, "plain", &["--no-cache"]);
    let diff = differing(&files(&site.path("output")), &files(&site.path("plain")));
    assert!(diff.is_empty(), "after an edit the cached build differs in {diff:?}");
    // A new URL, a new QR code: the cached one of another address is not used.
    site.write("content/a.md", &GOOD.replace("published: 2018-09-03", "published: 2018-09-03\nslug: c"));
    build(&site, "output", &[]);
    std::fs::remove_dir_all(site.path("plain")).unwrap();
    build(&site, "plain", &["--no-cache"]);
    assert_eq!(site.read("output/c/index.html"), site.read("plain/c/index.html"));
}

/// The entries of one kind in the cache of `out`, by file name.
fn kind(site: &Site, out: &str, kind: &str) -> std::collections::BTreeSet<String> {
    walkdir::WalkDir::new(site.path(&format!(".{out}.gongkai/cache/{kind}")))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// A search part built again after one of its notices changed takes the other
/// chunks' lists and the unchanged compressed blocks from the cache: one chunk
/// entry is made anew, the others are the same files, and the index is the one
/// a build without the cache writes.
#[test]
fn an_edit_rebuilds_one_chunk_of_a_search_part() {
    let site = Site::new();
    let notice = |i: usize, extra: &str| {
        GOOD.replace("55号", &format!("{}号", 100 + i))
            .replace("关于印发某规划的通知", &format!("关于第{i}项工作的通知"))
            .replace(
                "正文。",
                &format!(
                    "第{i}项工作的正文，编号{}。{extra}\n\n{}",
                    i * 7919 % 1000,
                    format!("落实第{i}项。").repeat(20)
                ),
            )
    };
    // 600 notices of 2018, all in the index's settled part: three chunks of 256.
    for i in 0..600 {
        site.write(&format!("content/n{i:03}.md"), &notice(i, ""));
    }
    build(&site, "output", &[]);
    let (chunks, blocks) = (kind(&site, "output", "search-chunk"), kind(&site, "output", "search-block"));
    assert_eq!(chunks.len(), 3, "{chunks:?}");
    assert!(blocks.len() >= 10, "{}", blocks.len());
    site.write("content/n300.md", &notice(300, "修改后增加的一句。"));
    let said = build(&site, "output", &[]);
    let (chunks2, blocks2) = (kind(&site, "output", "search-chunk"), kind(&site, "output", "search-block"));
    assert_eq!(chunks.intersection(&chunks2).count(), 2, "two chunks kept, one made anew: {said}");
    assert_eq!(chunks2.len(), 3);
    assert!(blocks.intersection(&blocks2).count() + 2 >= blocks2.len(), "most blocks kept: {said}");
    build(&site, "plain", &["--no-cache"]);
    let diff = differing(&files(&site.path("output")), &files(&site.path("plain")));
    assert!(diff.is_empty(), "after an edit the cached build differs in {diff:?}");
    // Nothing changed: the part is read back whole, and its chunks and blocks stay
    // for the next edit.
    build(&site, "output", &[]);
    assert_eq!(kind(&site, "output", "search-chunk"), chunks2);
    assert_eq!(kind(&site, "output", "search-block"), blocks2);
}

/// The as-of date is one of what cached results depend on: a build as of an
/// earlier date, after builds of today from the same cache, writes what a build
/// of that date without the cache writes (the later notice left out of the
/// search index and the catalogue), and so does the next build of today.
#[test]
fn the_as_of_date_is_never_answered_from_the_cache() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("content/b.md", &GOOD.replace("55号", "56号").replace("published: 2018-09-03", "published: 2024-02-03"));
    build(&site, "output", &[]);
    build(&site, "output", &["--as-of", "2020-06-30"]);
    build(&site, "plain", &["--no-cache", "--as-of", "2020-06-30"]);
    let diff = differing(&files(&site.path("output")), &files(&site.path("plain")));
    assert!(diff.is_empty(), "as of 2020 the cached build differs in {diff:?}");
    assert!(!site.read("output/search/index.json").contains("\"docs\": 2"), "one notice as of 2020");
    build(&site, "output", &[]);
    std::fs::remove_dir_all(site.path("plain")).unwrap();
    build(&site, "plain", &["--no-cache"]);
    let diff = differing(&files(&site.path("output")), &files(&site.path("plain")));
    assert!(diff.is_empty(), "back to today the cached build differs in {diff:?}");
}
