//! Snapshots as BagIt bags (RFC 8493): the example site is built with the real
//! binary, packaged with `gongkai::archive::write_bag`, checked with
//! `gongkai::archive::verify` and with the Library of Congress validator
//! (`bagit.py`, from the `bagit` package on PyPI).

mod common;
use common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use gongkai::archive::{self, BagInfo, BagSummary};
use sha2::{Digest, Sha256, Sha512};

/// The example site, built into `<tmp>/site`.
struct Built {
    site: Site,
    out: PathBuf,
}

impl Built {
    fn new() -> Built {
        let site = Site::example();
        let out = site.path("site");
        site.run(&["build", "--out", out.to_str().unwrap()]).ok();
        assert!(out.join("index.html").is_file());
        Built { site, out }
    }

    /// Write a bag of the site at `<tmp>/<name>`.
    fn bag(&self, name: &str) -> (PathBuf, BagSummary) {
        let dir = self.site.path(name);
        let summary = archive::write_bag(&self.out, &dir, &info("2020-06-30")).expect("write_bag");
        (dir, summary)
    }
}

fn info(as_of: &str) -> BagInfo {
    BagInfo {
        source_organization: "通榆县人民政府办公室".into(),
        external_identifier: format!("https://example.org/gongkai/@{as_of}"),
        as_of: Some(as_of.into()),
        git_commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        bagging_date: "2024-01-02".into(),
        extra: vec![("Contact-Name".into(), "档案室".into())],
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn sha512(bytes: &[u8]) -> String {
    hex(&Sha512::digest(bytes))
}

/// bag-info.txt as (label, value) pairs, in order.
fn bag_info(bag: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(bag.join("bag-info.txt"))
        .unwrap()
        .lines()
        .map(|l| {
            let (a, b) = l.split_once(": ").unwrap_or_else(|| panic!("bad bag-info line {l:?}"));
            (a.to_string(), b.to_string())
        })
        .collect()
}

/// A manifest as path → digest, checking the line format on the way.
fn manifest(bag: &Path, name: &str, hex_len: usize) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(bag.join(name)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort_by_key(|l| l.split_once("  ").unwrap().1);
    assert_eq!(lines, sorted, "{name} is sorted by path");
    assert!(text.ends_with('\n'));
    lines
        .iter()
        .map(|l| {
            let (d, p) = l.split_once("  ").unwrap_or_else(|| panic!("{name}: bad line {l:?}"));
            assert_eq!(d.len(), hex_len, "{name}: {l}");
            assert!(d.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{name}: {l}");
            (p.to_string(), d.to_string())
        })
        .collect()
}

fn flip_one_byte(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn bag_has_the_rfc8493_layout_and_labels() {
    let b = Built::new();
    let (bag, summary) = b.bag("bag");

    let mut top: Vec<String> =
        std::fs::read_dir(&bag).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    top.sort();
    assert_eq!(
        top,
        [
            "bag-info.txt",
            "bagit.txt",
            "data",
            "manifest-sha256.txt",
            "manifest-sha512.txt",
            "tagmanifest-sha256.txt",
            "tagmanifest-sha512.txt"
        ]
    );
    assert_eq!(
        std::fs::read(bag.join("bagit.txt")).unwrap(),
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    );

    // data/ is exactly the site.
    let site = snapshot(&b.out);
    assert_eq!(snapshot(&bag.join("data")), site);
    let bytes: u64 = site.values().map(|v| v.len() as u64).sum();
    assert_eq!(summary, BagSummary { files: site.len(), bytes, oxum: format!("{bytes}.{}", site.len()) });

    // Both payload manifests list every file with its real digest; Chinese names stay UTF-8.
    let m256 = manifest(&bag, "manifest-sha256.txt", 64);
    let m512 = manifest(&bag, "manifest-sha512.txt", 128);
    assert_eq!(m256.len(), site.len());
    for (rel, content) in &site {
        let key = format!("data/{}", rel.to_str().unwrap());
        assert_eq!(m256.get(&key), Some(&sha256(content)), "{key}");
        assert_eq!(m512.get(&key), Some(&sha512(content)), "{key}");
    }
    assert!(m256.keys().any(|p| p.contains("其他")), "Chinese file names are written as UTF-8: {m256:?}");
    assert!(!m256.keys().any(|p| p.contains('%')));

    // bag-info.txt: labels in a fixed order.
    let labels = bag_info(&bag);
    let expect = [
        ("Source-Organization", "通榆县人民政府办公室".to_string()),
        ("External-Identifier", "https://example.org/gongkai/@2020-06-30".to_string()),
        ("Bagging-Date", "2024-01-02".to_string()),
        ("Payload-Oxum", summary.oxum.clone()),
        ("Bag-Software-Agent", format!("gongkai {}", env!("CARGO_PKG_VERSION"))),
        ("Gongkai-As-Of", "2020-06-30".to_string()),
        ("Gongkai-Git-Commit", "0123456789abcdef0123456789abcdef01234567".to_string()),
        ("Contact-Name", "档案室".to_string()),
    ];
    let expect: Vec<(String, String)> = expect.iter().map(|(a, b)| (a.to_string(), b.clone())).collect();
    assert_eq!(labels, expect);

    // The tag manifests cover bagit.txt, bag-info.txt and the payload manifests.
    for (name, len, f) in [
        ("tagmanifest-sha256.txt", 64, sha256 as fn(&[u8]) -> String),
        ("tagmanifest-sha512.txt", 128, sha512 as fn(&[u8]) -> String),
    ] {
        let t = manifest(&bag, name, len);
        assert_eq!(
            t.keys().collect::<Vec<_>>(),
            ["bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt"],
            "{name}"
        );
        for (file, digest) in &t {
            assert_eq!(digest, &f(&std::fs::read(bag.join(file)).unwrap()), "{name}: {file}");
        }
    }

    // Without a commit or as-of date those labels are left out.
    let mut plain = info("2020-06-30");
    plain.as_of = None;
    plain.git_commit = None;
    plain.extra.clear();
    archive::write_bag(&b.out, &b.site.path("plain"), &plain).unwrap();
    let labels: Vec<String> = bag_info(&b.site.path("plain")).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        labels,
        ["Source-Organization", "External-Identifier", "Bagging-Date", "Payload-Oxum", "Bag-Software-Agent"]
    );
}

#[test]
fn the_same_site_gives_byte_identical_bags() {
    let b = Built::new();
    let (one, _) = b.bag("one");
    // The same files somewhere else, bagged into an existing empty folder.
    let copy = b.site.path("elsewhere/copy");
    copy_dir(&b.out, &copy);
    let two = b.site.path("two");
    std::fs::create_dir(&two).unwrap();
    archive::write_bag(&copy, &two, &info("2020-06-30")).unwrap();
    let (a, c) = (snapshot(&one), snapshot(&two));
    assert!(!a.is_empty());
    assert_eq!(a.keys().collect::<Vec<_>>(), c.keys().collect::<Vec<_>>());
    assert!(a == c, "two bags of the same site differ");
}

#[test]
fn write_bag_refuses_and_leaves_nothing_behind() {
    let b = Built::new();
    let parent = b.site.path("bags");
    std::fs::create_dir(&parent).unwrap();
    // A non-empty target is refused and left alone.
    let busy = parent.join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("keep.txt"), "mine").unwrap();
    let e = archive::write_bag(&b.out, &busy, &info("2020-06-30")).unwrap_err().to_string();
    assert!(e.contains("not empty"), "{e}");
    assert_eq!(std::fs::read_to_string(busy.join("keep.txt")).unwrap(), "mine");
    // A bag inside the site it packages is refused.
    let e = archive::write_bag(&b.out, &b.out.join("bag"), &info("2020-06-30")).unwrap_err().to_string();
    assert!(e.contains("inside the site"), "{e}");
    // Bad metadata is refused before anything is written.
    let mut bad = info("2020-06-30");
    bad.bagging_date = "2024-13-01".into();
    assert!(archive::write_bag(&b.out, &parent.join("bad"), &bad).unwrap_err().to_string().contains("Bagging-Date"));
    let mut bad = info("2020-06-30");
    bad.extra.push(("Payload-Oxum".into(), "1.1".into()));
    assert!(archive::write_bag(&b.out, &parent.join("bad"), &bad).is_err());
    // A failure half-way (an unreadable file) leaves no bag and no staging folder.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/hostname", b.out.join("zz-link")).unwrap();
        let e = archive::write_bag(&b.out, &parent.join("half"), &info("2020-06-30")).unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
        std::fs::remove_file(b.out.join("zz-link")).unwrap();
    }
    let e = archive::write_bag(&b.site.path("no-such-site"), &parent.join("x"), &info("2020-06-30"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a folder"), "{e}");
    let mut left: Vec<String> =
        std::fs::read_dir(&parent).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    left.sort();
    assert_eq!(left, ["busy"], "nothing half-written is left");
}

#[test]
fn names_with_percent_and_line_breaks_are_encoded() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("主题")).unwrap();
    std::fs::write(site.join("100%.html"), "a").unwrap();
    std::fs::write(site.join("主题/第一\n二\r.txt"), "b").unwrap();
    let bag = tmp.path().join("bag");
    archive::write_bag(&site, &bag, &info("2020-06-30")).unwrap();
    let text = std::fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap();
    assert!(text.contains("  data/100%25.html\n"), "{text}");
    assert!(text.contains("  data/主题/第一%0A二%0D.txt\n"), "{text}");
    assert_eq!(text.lines().count(), 2);
    let report = archive::verify(&bag);
    assert!(report.is_valid(), "{report}");
}

#[test]
fn verify_accepts_a_fresh_bag() {
    let b = Built::new();
    let (bag, summary) = b.bag("bag");
    let report = archive::verify(&bag);
    assert!(report.is_valid(), "{report}");
    assert_eq!((report.files, report.bytes), (summary.files, summary.bytes));
    assert_eq!(
        report.checked,
        ["manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"]
    );
    assert!(report.notes.is_empty(), "{report}");
    let text = report.to_string();
    assert!(text.starts_with("bag is valid:"), "{text}");
    assert!(text.contains(&format!("{} payload files", summary.files)), "{text}");
}

#[test]
fn verify_names_a_payload_file_with_one_byte_changed() {
    let b = Built::new();
    let (bag, _) = b.bag("bag");
    flip_one_byte(&bag.join("data/topics/其他/index.html"));
    let r = archive::verify(&bag);
    assert!(!r.is_valid());
    assert_eq!(
        r.altered,
        ["data/topics/其他/index.html (manifest-sha256.txt)", "data/topics/其他/index.html (manifest-sha512.txt)"]
    );
    assert!(r.missing.is_empty() && r.extra.is_empty(), "{r}");
    assert!(r.problems.is_empty(), "same size, so Payload-Oxum still matches: {r}");
    let text = r.to_string();
    assert!(text.starts_with("bag is NOT valid: 0 missing, 0 extra, 2 altered"), "{text}");
    assert!(text.contains("altered: data/topics/其他/index.html (manifest-sha256.txt)"), "{text}");
}

#[test]
fn verify_names_a_removed_file() {
    let b = Built::new();
    let (bag, _) = b.bag("bag");
    std::fs::remove_file(bag.join("data/assets/style.css")).unwrap();
    let r = archive::verify(&bag);
    assert!(!r.is_valid());
    assert_eq!(r.missing, ["data/assets/style.css"]);
    assert!(r.extra.is_empty() && r.altered.is_empty(), "{r}");
    assert!(r.problems.iter().any(|p| p.contains("Payload-Oxum")), "{r}");
    assert!(r.to_string().contains("missing: data/assets/style.css"), "{r}");
}

#[test]
fn verify_names_an_added_file() {
    let b = Built::new();
    let (bag, _) = b.bag("bag");
    std::fs::write(bag.join("data/notices/新增.html"), "<p>不在清单中</p>").unwrap();
    let r = archive::verify(&bag);
    assert!(!r.is_valid());
    assert_eq!(r.extra, ["data/notices/新增.html"]);
    assert!(r.missing.is_empty() && r.altered.is_empty(), "{r}");
    assert!(r.problems.iter().any(|p| p.contains("Payload-Oxum")), "{r}");
    assert!(r.to_string().contains("extra:   data/notices/新增.html"), "{r}");
}

#[test]
fn verify_names_an_edited_bag_info() {
    let b = Built::new();
    let (bag, _) = b.bag("bag");
    let text = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    std::fs::write(bag.join("bag-info.txt"), text.replace("Gongkai-As-Of: 2020-06-30", "Gongkai-As-Of: 2021-06-30"))
        .unwrap();
    let r = archive::verify(&bag);
    assert!(!r.is_valid());
    assert_eq!(r.altered, ["bag-info.txt (tagmanifest-sha256.txt)", "bag-info.txt (tagmanifest-sha512.txt)"]);
    assert!(r.missing.is_empty() && r.extra.is_empty() && r.problems.is_empty(), "{r}");

    // A payload manifest edited to hide a change is caught by the tag manifests.
    let (bag, _) = b.bag("bag2");
    let path = bag.join("data/index.html");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"<!-- changed -->");
    std::fs::write(&path, &bytes).unwrap();
    for (name, f) in
        [("manifest-sha256.txt", sha256 as fn(&[u8]) -> String), ("manifest-sha512.txt", sha512 as fn(&[u8]) -> String)]
    {
        let m = std::fs::read_to_string(bag.join(name)).unwrap();
        let fixed: String = m
            .lines()
            .map(|l| {
                if l.ends_with("  data/index.html") {
                    format!("{}  data/index.html\n", f(&bytes))
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(bag.join(name), fixed).unwrap();
    }
    let r = archive::verify(&bag);
    assert!(r.altered.contains(&"manifest-sha256.txt (tagmanifest-sha256.txt)".to_string()), "{r}");
    assert!(r.altered.contains(&"manifest-sha512.txt (tagmanifest-sha512.txt)".to_string()), "{r}");
    assert!(r.problems.iter().any(|p| p.contains("Payload-Oxum")), "{r}");
}

#[test]
fn verify_refuses_paths_that_leave_the_bag() {
    let b = Built::new();
    let (bag, _) = b.bag("bag");
    // A file beside the bag, with its true digest in the manifest: it must not be read.
    let secret = b"outside the bag";
    std::fs::write(b.site.path("secret.txt"), secret).unwrap();
    let mut m = std::fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap();
    m.push_str(&format!("{}  data/../../secret.txt\n", sha256(secret)));
    m.push_str(&format!("{}  /etc/hostname\n", sha256(b"x")));
    std::fs::write(bag.join("manifest-sha256.txt"), m).unwrap();
    let mut t = std::fs::read_to_string(bag.join("tagmanifest-sha256.txt")).unwrap();
    t.push_str(&format!("{}  ../secret.txt\n", sha256(secret)));
    std::fs::write(bag.join("tagmanifest-sha256.txt"), t).unwrap();
    // And a symbolic link in data/ pointing out of the bag.
    #[cfg(unix)]
    std::os::unix::fs::symlink(b.site.path("secret.txt"), bag.join("data/link.txt")).unwrap();

    let r = archive::verify(&bag);
    assert!(!r.is_valid());
    let find = |needle: &str| r.problems.iter().find(|p| p.contains(needle)).cloned();
    let p = find("data/../../secret.txt").unwrap_or_else(|| panic!("no problem names the escape: {r}"));
    assert!(p.starts_with("manifest-sha256.txt line ") && p.contains("not followed"), "{p}");
    assert!(find("/etc/hostname").is_some_and(|p| p.contains("absolute")), "{r}");
    assert!(find("tagmanifest-sha256.txt line 5: path `../secret.txt`").is_some(), "{r}");
    #[cfg(unix)]
    assert!(find("data/link.txt is a symbolic link; not followed").is_some(), "{r}");
    assert!(!r.missing.iter().chain(&r.extra).chain(&r.altered).any(|p| p.contains("secret")), "{r}");
    assert_eq!(
        r.altered,
        ["manifest-sha256.txt (tagmanifest-sha256.txt)", "manifest-sha256.txt (tagmanifest-sha512.txt)"],
        "{r}"
    );
}

#[test]
fn verify_reports_garbage_without_panicking() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();

    let r = archive::verify(&p.join("nothing-here"));
    assert!(!r.is_valid() && r.problems[0].contains("cannot read"), "{r}");
    std::fs::write(p.join("file"), "x").unwrap();
    assert!(archive::verify(&p.join("file")).problems[0].contains("not a folder"));

    let empty = p.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let r = archive::verify(&empty);
    assert!(r.problems.iter().any(|x| x.contains("bagit.txt is missing")), "{r}");
    assert!(r.problems.iter().any(|x| x.contains("no payload manifest")), "{r}");
    assert!(r.problems.iter().any(|x| x.contains("data/ is missing")), "{r}");

    let g = p.join("garbage");
    std::fs::create_dir_all(g.join("data")).unwrap();
    std::fs::write(g.join("data/a.txt"), "a").unwrap();
    std::fs::write(
        g.join("bagit.txt"),
        b"\xEF\xBB\xBFBagIt-Version: one\nTag-File-Character-Encoding: Latin-1\nHello\n",
    )
    .unwrap();
    std::fs::write(
        g.join("manifest-sha256.txt"),
        format!(
            "zz  data/a.txt\njust-one-field\n\u{0}\u{1}\n{}  data/a.txt\n{}  data/a.txt\n",
            sha256(b"a"),
            "0".repeat(64)
        ),
    )
    .unwrap();
    std::fs::write(g.join("manifest-sha512.txt"), b"\xff\xfe not utf-8").unwrap();
    std::fs::write(g.join("manifest-md5.txt"), "0cc175b9c0f1b6a831c399e269772661  data/a.txt\n").unwrap();
    std::fs::write(g.join("bag-info.txt"), "Payload-Oxum: lots\n  \nno colon\n").unwrap();
    std::fs::write(
        g.join("tagmanifest-sha256.txt"),
        format!("{}  data/a.txt\n{}  bag-info.txt\n", "1".repeat(64), "2".repeat(64)),
    )
    .unwrap();
    std::fs::write(g.join("fetch.txt"), "http://example.org/x 1 data/x\n").unwrap();
    let r = archive::verify(&g);
    assert!(!r.is_valid());
    let has = |needle: &str| assert!(r.problems.iter().any(|x| x.contains(needle)), "no problem with {needle:?}: {r}");
    has("bagit.txt starts with a byte-order mark");
    has("BagIt-Version `one` is not M.N");
    has("Tag-File-Character-Encoding is `Latin-1`");
    has("bagit.txt line 3");
    has("manifest-sha256.txt line 1: `zz` is not a sha256 checksum");
    has("manifest-sha256.txt line 2: expected `<checksum> <path>`");
    has("manifest-sha256.txt line 5: `data/a.txt` is listed again (first on line 4)");
    has("manifest-sha512.txt is not UTF-8");
    has("bag-info.txt line 3");
    has("fetch.txt");
    has("tagmanifest-sha256.txt line 1: `data/a.txt` is a payload file");
    assert_eq!(r.altered, ["bag-info.txt (tagmanifest-sha256.txt)"], "{r}");
    assert!(r.notes.iter().any(|n| n.contains("manifest-md5.txt")), "{r}");
    assert!(r.missing.is_empty() && r.extra.is_empty(), "{r}");

    // A bag-info.txt that parses but has a bad Payload-Oxum.
    std::fs::write(g.join("bag-info.txt"), "Payload-Oxum: 1.x\n").unwrap();
    assert!(archive::verify(&g).problems.iter().any(|x| x.contains("Payload-Oxum `1.x` is not <bytes>.<files>")));
}

#[test]
fn git_commit_of_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(archive::git_commit(tmp.path()), None, "not a checkout");
    assert_eq!(archive::git_commit(&tmp.path().join("missing")), None);
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped the positive case: git is not installed");
        return;
    }
    // A minimal repository made by hand: HEAD → refs/heads/main → a commit id.
    let id = "89abcdef0123456789abcdef0123456789abcdef";
    let git = tmp.path().join("repo/.git");
    std::fs::create_dir_all(git.join("objects")).unwrap();
    std::fs::create_dir_all(git.join("refs/heads")).unwrap();
    std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(git.join("refs/heads/main"), format!("{id}\n")).unwrap();
    std::fs::create_dir_all(tmp.path().join("repo/content/notices")).unwrap();
    assert_eq!(archive::git_commit(&tmp.path().join("repo/content/notices")).as_deref(), Some(id));
}

/// The Library of Congress validator must accept the bag, and refuse it after one
/// byte is changed.
#[test]
fn bagit_py_validates_the_bag() {
    let Some(bagit) = bagit_py() else { return };
    let b = Built::new();
    let (bag, _) = b.bag("bag");
    let run = |bag: &Path| Command::new(&bagit).arg("--validate").arg(bag).output().expect("run bagit.py");
    let ok = run(&bag);
    let log = String::from_utf8_lossy(&ok.stderr).into_owned() + &String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "bagit.py --validate refused the bag:\n{log}");
    assert!(log.contains("is valid"), "{log}");
    assert!(!log.contains("WARNING") && !log.contains("ERROR"), "{log}");
    eprintln!("bagit.py said: {}", log.trim().lines().last().unwrap_or(""));

    flip_one_byte(&bag.join("data/index.html"));
    let bad = run(&bag);
    let log = String::from_utf8_lossy(&bad.stderr).into_owned() + &String::from_utf8_lossy(&bad.stdout);
    assert!(!bad.status.success(), "bagit.py accepted a changed bag:\n{log}");
    assert!(log.contains("data/index.html"), "{log}");
    eprintln!("bagit.py on the changed bag said: {}", log.trim().lines().last().unwrap_or(""));

    // A removed and an added file are refused too.
    let (removed, _) = b.bag("removed");
    std::fs::remove_file(removed.join("data/assets/style.css")).unwrap();
    let (added, _) = b.bag("added");
    std::fs::write(added.join("data/extra.html"), "x").unwrap();
    for bag in [removed, added] {
        let out = run(&bag);
        assert!(!out.status.success(), "bagit.py accepted {}", bag.display());
    }
}

/// `bagit.py` (see `tool`).
fn bagit_py() -> Option<PathBuf> {
    tool("bagit.py", "bash tests/run.sh (or: pip install bagit==1.9.0)")
}

/// The commands: `snapshot --as-of` writes the as-of site as a bag; `verify` and
/// bagit.py accept it; `verify` names a changed, a removed and an added file.
#[test]
fn snapshot_and_verify_commands() {
    let site = Site::example();
    let bag = site.path("bag-2019");
    // What a killed snapshot left (a process id no process has) is cleared away.
    let stale = site.path(".bag-2019.gongkai-tmp-4194304");
    std::fs::create_dir_all(stale.join("data")).unwrap();
    let run = site.run(&["snapshot", "--as-of", "2019-12-31", "--out", bag.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    if cfg!(target_os = "linux") {
        assert!(!stale.exists(), "a killed snapshot's staging folder is removed");
    }
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(info.contains("Gongkai-As-Of: 2019-12-31"), "{info}");
    assert!(info.contains("Source-Organization: gongkai 示例站点"), "{info}");
    // The 2022 notice was not yet published on that date.
    let cat = std::fs::read_to_string(bag.join("data/catalogue.json")).unwrap();
    assert!(cat.contains("\"as_of\":\"2019-12-31\"") && !cat.contains("catalogue/2022q2.json"), "{cat}");
    assert!(!bag.join("data/catalogue/2022q2.json").exists() && !bag.join("data/sitemaps/2022.xml").exists());
    let verify = |site: &Site| site.run(&["verify", bag.to_str().unwrap()]);
    assert_eq!(verify(&site).code, 0);
    if let Some(bagit) = bagit_py() {
        let out = Command::new(&bagit).arg("--validate").arg(&bag).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let page = bag.join("data/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[10] ^= 1;
    std::fs::write(&page, &bytes).unwrap();
    std::fs::remove_file(bag.join("data/feed.xml")).unwrap();
    std::fs::write(bag.join("data/added.html"), "x").unwrap();
    let run = verify(&site);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("altered: data/index.html"), "{}", run.stdout);
    assert!(run.stdout.contains("missing: data/feed.xml"), "{}", run.stdout);
    assert!(run.stdout.contains("extra:   data/added.html"), "{}", run.stdout);
    // Snapshots of the same date rebuild byte for byte.
    let again = site.path("bag-2019-again");
    site.run(&["snapshot", "--as-of", "2019-12-31", "--out", again.to_str().unwrap()]).ok();
    let bag2 = site.path("bag-2019-b");
    site.run(&["snapshot", "--as-of", "2019-12-31", "--out", bag2.to_str().unwrap()]).ok();
    assert!(!snapshot(&again).is_empty() && snapshot(&again) == snapshot(&bag2));
}

/// bag-info.txt names the commit the site's files are at, marked `-dirty` (as
/// `git describe --dirty` does) when content/ or themes/ hold changes not yet
/// committed: modified, or new files.
#[test]
fn a_bag_of_a_modified_tree_says_so() {
    let site = Site::example();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=档案室", "-c", "user.email=archive@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(site.root())
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "content", "themes"]);
    git(&["commit", "-q", "-m", "site"]);
    let head = git(&["rev-parse", "HEAD"]);
    let commit_of = |name: &str| {
        let bag = site.path(name);
        site.run(&["snapshot", "--as-of", "2019-12-31", "--out", bag.to_str().unwrap()]).ok();
        bag_info(&bag).into_iter().find(|(k, _)| k == "Gongkai-Git-Commit").map(|(_, v)| v)
    };
    assert_eq!(commit_of("clean"), Some(head.clone()));
    let notice = "content/notices/tongyu-yiwu-jiaoyu-junheng-guihua/index.md";
    site.write(notice, &site.read(notice).replace("各有关部门", "各有关单位"));
    assert_eq!(commit_of("modified"), Some(format!("{head}-dirty")));
    git(&["checkout", "-q", "--", notice]);
    site.write("content/notices/new.md", &GOOD.replace("55号", "99号"));
    assert_eq!(commit_of("untracked"), Some(format!("{head}-dirty")));
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["verify", site.path("untracked").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}
