//! The archive as an OCFL 1.1 object: `snapshot --archive` adds versions, `verify`
//! checks the object and names the version of each problem, `archive export`
//! gives back a version's bag byte for byte, `archive migrate` brings in an
//! archive folder of bags. The reference validator (`ocfl-validate.py`, from
//! ocfl-py on PyPI) checks the objects, good and tampered.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

fn ocfl_validate() -> Option<PathBuf> {
    tool("ocfl-validate.py", "bash tests/run.sh (or: pip install ocfl-py==2.1.0)")
}

/// Whether the reference validator accepts `object` (None: it is not installed).
fn reference_accepts(object: &Path) -> Option<(bool, String)> {
    let tool = ocfl_validate()?;
    let out = Command::new(tool).arg(object).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Some((out.status.success() && text.contains("is VALID"), text))
}

fn snapshot(site: &Site, date: &str, archive: &Path, more: &[&str]) -> Run {
    site.run(&[&["snapshot", "--as-of", date, "--archive", archive.to_str().unwrap()][..], more].concat())
}

fn inventory(archive: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(archive.join("site/inventory.json")).unwrap()).unwrap()
}

/// Every file under `dir` counted once, with its path.
fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn snapshots_are_versions_of_one_object_in_date_order() {
    let site = Site::example();
    let arch = site.path("archive");
    let first = snapshot(&site, "2019-12-31", &arch, &[]);
    first.ok();
    assert!(first.stderr.contains("added as v1 of the archive"), "{}", first.stderr);
    for f in ["0=ocfl_1.1", "index.html", "site/0=ocfl_object_1.1", "site/inventory.json"] {
        assert!(arch.join(f).is_file(), "{f}");
    }
    // One inventory, at the object's root: no copy in the version's folder.
    assert_eq!(files(&arch.join("site/v1")).iter().filter(|f| !f.starts_with("content/")).count(), 0);
    if let Some((ok, text)) = reference_accepts(&arch.join("site")) {
        assert!(ok, "one version: {text}");
    }
    let second = snapshot(&site, "2023-06-30", &arch, &[]);
    second.ok();
    assert!(second.stderr.contains("added as v2"), "{}", second.stderr);
    // The theme's files did not change: v2 names them, v1 holds them.
    let inv = inventory(&arch);
    assert_eq!(inv["head"], "v2");
    assert_eq!(inv["digestAlgorithm"], "sha512");
    let v2 = files(&arch.join("site/v2/content"));
    assert!(!v2.contains(&"data/assets/style.css".to_string()), "stored once, in v1");
    assert!(v2.contains(&"data/catalogue.json".to_string()), "what changed is in v2");
    let state = inv["versions"]["v2"]["state"].as_object().unwrap();
    assert!(state.values().flat_map(|p| p.as_array().unwrap()).any(|p| p == "data/assets/style.css"));
    assert!(inv["versions"]["v2"]["created"].as_str().unwrap().starts_with("2023-06-30T23:59:59+08:00"));
    // The index page, from the inventories: one notice added in between.
    let index = std::fs::read_to_string(arch.join("index.html")).unwrap();
    assert!(index.contains("新增 1 · 修改 0 · 废止或失效 0"), "{index}");
    assert!(index.contains("最早的快照") && index.contains("<code>v2</code>"), "{index}");

    // Date order: an earlier date is refused; the head's date only with --force.
    let before = common::snapshot(&arch);
    let earlier = snapshot(&site, "2021-06-30", &arch, &[]);
    assert_eq!(earlier.code, 1, "{}", earlier.stderr);
    assert!(earlier.stderr.contains("would not come after it"), "{}", earlier.stderr);
    let same = snapshot(&site, "2023-06-30", &arch, &[]);
    assert_eq!(same.code, 1);
    assert!(same.stderr.contains("--force"), "{}", same.stderr);
    assert!(common::snapshot(&arch) == before, "a refusal changes nothing");
    snapshot(&site, "2023-06-30", &arch, &["--force"]).ok();
    assert_eq!(inventory(&arch)["head"], "v3");

    let verify = site.run(&["verify", arch.to_str().unwrap()]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    assert!(verify.stdout.contains("3 versions") && verify.stdout.contains("intact"), "{}", verify.stdout);
}

/// Twelve month-end snapshots, then the reference validator.
#[test]
fn twelve_monthly_snapshots_validate() {
    let site = Site::example();
    let arch = site.path("archive");
    let ends =
        ["01-31", "02-29", "03-31", "04-30", "05-31", "06-30", "07-31", "08-31", "09-30", "10-31", "11-30", "12-31"];
    for end in ends {
        snapshot(&site, &format!("2024-{end}"), &arch, &[]).ok();
    }
    assert_eq!(inventory(&arch)["head"], "v12");
    let verify = site.run(&["verify", arch.to_str().unwrap()]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    if let Some((ok, text)) = reference_accepts(&arch.join("site")) {
        assert!(ok, "twelve versions: {text}");
    }
}

/// An exported version is what a direct snapshot of its date writes, byte for byte:
/// the bag, the site folder and the WACZ.
#[test]
fn an_exported_version_is_the_direct_snapshot() {
    let site = Site::example();
    let arch = site.path("archive");
    for date in ["2019-12-31", "2023-06-30"] {
        snapshot(&site, date, &arch, &[]).ok();
    }
    let direct = site.path("direct");
    let wacz = site.path("direct.wacz");
    let d = ["--out", direct.to_str().unwrap(), "--wacz", wacz.to_str().unwrap()];
    site.run(&[&["snapshot", "--as-of", "2019-12-31"][..], &d].concat()).ok();
    let export = |args: &[&str]| {
        site.run(&[&["archive", "export", arch.to_str().unwrap(), "--as-of", "2019-12-31"][..], args].concat())
    };
    let bag = site.path("exported");
    let run = export(&["--bag", bag.to_str().unwrap()]);
    run.ok();
    assert!(run.stderr.contains("Exported v1"), "{}", run.stderr);
    assert!(!common::snapshot(&bag).is_empty());
    assert!(common::snapshot(&bag) == common::snapshot(&direct), "the bag, byte for byte");
    let out = site.path("exported-site");
    export(&["--out", out.to_str().unwrap()]).ok();
    assert!(common::snapshot(&out) == common::snapshot(&direct.join("data")), "the site folder");
    let w = site.path("exported.wacz");
    export(&["--wacz", w.to_str().unwrap()]).ok();
    assert_eq!(std::fs::read(&w).unwrap(), std::fs::read(&wacz).unwrap(), "the WACZ");
    if let Some(bagit) = tool("bagit.py", "bash tests/run.sh (or: pip install bagit==1.9.0)") {
        let out = Command::new(bagit).arg("--validate").arg(&bag).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // A date the archive does not hold, and a target that is taken.
    let none = export(&["--bag", site.path("x").to_str().unwrap()]);
    none.ok();
    let missing = site.run(&["archive", "export", arch.to_str().unwrap(), "--as-of", "2020-01-01", "--bag", "y"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("holds no snapshot of 2020-01-01; it holds 2019-12-31, 2023-06-30"),
        "{}",
        missing.stderr
    );
    let taken = export(&["--bag", bag.to_str().unwrap()]);
    assert_eq!(taken.code, 1, "{}", taken.stderr);
}

/// What `verify` says of a damaged object, with the version and the file; the
/// reference validator rejects it too, and no snapshot builds on it.
#[test]
fn damage_is_named_with_its_version() {
    let site = Site::example();
    let arch = site.path("archive");
    for date in ["2019-12-31", "2023-06-30"] {
        snapshot(&site, date, &arch, &[]).ok();
    }
    let object = arch.join("site");
    let pristine = common::snapshot(&arch);
    let restore = || {
        std::fs::remove_dir_all(&arch).unwrap();
        for (p, bytes) in &pristine {
            let to = arch.join(p);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, bytes).unwrap();
        }
    };
    let check = |what: &str, needles: &[&str]| {
        let run = site.run(&["verify", arch.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{what}: {}", run.stdout);
        for n in needles {
            assert!(run.stdout.contains(n), "{what}: `{n}` in {}", run.stdout);
        }
        if let Some((ok, text)) = reference_accepts(&object) {
            assert!(!ok, "{what}: the reference validator accepted it: {text}");
        }
        let next = snapshot(&site, "2024-06-30", &arch, &[]);
        assert_eq!(next.code, 1, "{what}: a snapshot was added to a damaged object");
        assert!(next.stderr.contains("is damaged"), "{what}: {}", next.stderr);
        restore();
    };
    let css = object.join("v1/content/data/assets/style.css");
    let mut bytes = std::fs::read(&css).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&css, bytes).unwrap();
    check("a tampered file", &["v1: v1/content/data/assets/style.css is not the file", "versions v1, v2"]);

    std::fs::remove_file(object.join("v2/content/data/catalogue.json")).unwrap();
    check("a missing file", &["v2: v2/content/data/catalogue.json is missing"]);

    let inv = object.join("inventory.json");
    let text =
        std::fs::read_to_string(&inv).unwrap().replacen("2023-06-30T23:59:59+08:00", "2023-07-01T23:59:59+08:00", 1);
    std::fs::write(&inv, text).unwrap();
    check("an edited inventory", &["does not match", "(the inventory was changed)"]);

    // A version folder added by hand, as a half-written version left by kill -9 is:
    // content but no inventory naming it.
    std::fs::create_dir_all(object.join("v3/content/data")).unwrap();
    std::fs::write(object.join("v3/content/data/index.html"), "<p>手工添加</p>").unwrap();
    check("a version added by hand", &["v3: v3/ is in the object but not in its inventory"]);

    std::fs::write(object.join("notes.txt"), "x").unwrap();
    check("a stray file", &["notes.txt is in the object's folder but is no part of an OCFL object"]);

    let run = site.run(&["verify", arch.to_str().unwrap()]);
    assert_eq!(run.code, 0, "restored: {}", run.stdout);
}

/// An archive folder of bags (the format before) comes in whole; `snapshot
/// --archive` on it says how.
#[test]
fn an_archive_folder_of_bags_is_migrated() {
    let site = Site::example();
    let old = site.path("old");
    for date in ["2019-12-31", "2023-06-30"] {
        site.run(&["snapshot", "--as-of", date, "--out", old.join(date).to_str().unwrap()]).ok();
    }
    let kept = common::snapshot(&old);
    let refused = snapshot(&site, "2024-06-30", &old, &[]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("gongkai archive migrate"), "{}", refused.stderr);
    let new = site.path("new");
    let run = site.run(&["archive", "migrate", old.to_str().unwrap(), "--to", new.to_str().unwrap()]);
    run.ok();
    assert!(run.stderr.contains("Migrated 2 bags"), "{}", run.stderr);
    assert!(common::snapshot(&old) == kept, "the old folder is only read");
    // Each bag comes back out as it was.
    for date in ["2019-12-31", "2023-06-30"] {
        let out = site.path(&format!("back-{date}"));
        site.run(&["archive", "export", new.to_str().unwrap(), "--as-of", date, "--bag", out.to_str().unwrap()]).ok();
        assert!(common::snapshot(&out) == common::snapshot(&old.join(date)), "{date}");
    }
    assert_eq!(site.run(&["verify", new.to_str().unwrap()]).code, 0);
    if let Some((ok, text)) = reference_accepts(&new.join("site")) {
        assert!(ok, "{text}");
    }
    // Then snapshots go on into the new archive.
    snapshot(&site, "2024-06-30", &new, &[]).ok();
}

/// While one snapshot adds a version (it holds the archive's lock), another is
/// refused rather than taking the same version number.
#[test]
fn a_second_snapshot_at_once_is_refused() {
    let site = Site::example();
    let arch = site.path("archive");
    snapshot(&site, "2019-12-31", &arch, &[]).ok();
    let lock = std::fs::File::options().write(true).open(arch.join(".gongkai.lock")).unwrap();
    lock.lock().unwrap();
    let second = snapshot(&site, "2023-06-30", &arch, &[]);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(second.stderr.contains("another gongkai is adding a snapshot"), "{}", second.stderr);
    assert_eq!(inventory(&arch)["head"], "v1");
    drop(lock);
    snapshot(&site, "2023-06-30", &arch, &[]).ok();
    assert_eq!(inventory(&arch)["head"], "v2");
}

/// An object an earlier gongkai wrote, with a copy of the inventory in each version
/// folder, is still read; a copy that does not agree with the root is named.
#[test]
fn inventory_copies_in_version_folders_are_checked() {
    let site = Site::example();
    let arch = site.path("archive");
    snapshot(&site, "2019-12-31", &arch, &[]).ok();
    let object = arch.join("site");
    for f in ["inventory.json", "inventory.json.sha512"] {
        std::fs::copy(object.join(f), object.join("v1").join(f)).unwrap();
    }
    let run = site.run(&["verify", arch.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // The next snapshot builds on it; v1's copy is now an earlier version's and must
    // still agree with the root's record of v1.
    snapshot(&site, "2023-06-30", &arch, &[]).ok();
    assert_eq!(site.run(&["verify", arch.to_str().unwrap()]).code, 0);
    if let Some((ok, text)) = reference_accepts(&object) {
        assert!(ok, "{text}");
    }
    std::fs::remove_file(object.join("v1/inventory.json")).unwrap();
    let run = site.run(&["verify", arch.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("v1/inventory.json is missing but its sidecar is there"), "{}", run.stdout);
}
