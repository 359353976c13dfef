//! One rule for every command that writes (`targets`): never over the site,
//! content/ or themes/, never inside them except a notice where `new` and `import`
//! put notices, never into a build's output folder; `--force` included.

mod common;
use common::*;

#[test]
fn every_command_that_writes_keeps_to_its_place() {
    let site = Site::example();
    site.build().ok();
    let site_yaml = site.read("content/site.yaml");
    let refused = |args: &[&str], code: i32, needle: &str| {
        let run = site.run_here(args);
        assert_eq!(run.code, code, "{args:?}:\n{}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(needle), "{args:?}: no {needle:?} in\n{}", run.stderr);
    };
    let inside = "inside content/ or themes/";
    refused(&["build", "--out", "content/x"], 2, inside);
    refused(&["build", "--out", "themes/default/x", "--force"], 2, inside);
    refused(&["build", "--out", ".", "--force"], 2, "would replace");
    let snap = ["snapshot", "--as-of", "2019-12-31"];
    let with = |rest: &[&'static str]| [&snap[..], rest].concat();
    refused(&with(&["--out", "content/bag"]), 2, inside);
    refused(&with(&["--out", "themes/x"]), 2, inside);
    refused(&with(&["--archive", "content"]), 2, "would replace");
    refused(&with(&["--archive", "output"]), 2, "inside the build output");
    refused(&with(&["--archive", ".output.gongkai/x"]), 2, "inside the build output");
    refused(&with(&["--wacz", "content/site.yaml", "--force"]), 2, inside);
    refused(&with(&["--wacz", "output/site.wacz"]), 2, "inside the build output");
    assert_eq!(site.read("content/site.yaml"), site_yaml, "nothing replaced");
    refused(&["new", "content"], 1, "the site's own file");
    refused(&["new", "index.md"], 1, "the site's own file");
    refused(&["new", "pages/guide"], 1, "standing pages");
    refused(&["import", "examples", "--into", "content"], 2, "a notice goes into a folder inside content/");
    refused(&["import", "examples", "--into", "content/pages/x"], 2, "standing pages");
    assert!(!site.path("content/index.md").exists() && !site.path("content/pages/guide").exists());
    // Nothing of the refused commands was written, and the site still builds as it did.
    for gone in ["content/x", "content/bag", "themes/x", "output/site.wacz", ".output.gongkai/x"] {
        assert!(!site.path(gone).exists(), "{gone} was written");
    }
    site.build().ok();
}

/// A snapshot records a day that has happened.
#[test]
fn a_snapshot_of_a_day_to_come_is_refused() {
    let site = Site::example();
    let run = site.run_here(&["snapshot", "--as-of", "2999-01-01", "--out", "../bag"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--as-of 2999-01-01 is after today"), "{}", run.stderr);
}

/// An archive folder's index.html that gongkai did not write is replaced only
/// with --force.
#[test]
fn an_archive_index_gongkai_did_not_write_is_kept() {
    let site = Site::example();
    let archive = site.path("archive");
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::write(archive.join("index.html"), "<p>档案室的目录</p>").unwrap();
    let args = ["snapshot", "--as-of", "2019-12-31", "--archive", archive.to_str().unwrap()];
    let run = site.run(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("was not written by gongkai"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(archive.join("index.html")).unwrap(), "<p>档案室的目录</p>");
    assert!(!archive.join("2019-12-31").exists());
    site.run(&[&args[..], &["--force"]].concat()).ok();
    assert!(std::fs::read_to_string(archive.join("index.html")).unwrap().contains("gongkai archive index"));
    // The next snapshot replaces gongkai's own index without a word.
    site.run(&["snapshot", "--as-of", "2020-12-31", "--archive", archive.to_str().unwrap()]).ok();
}
