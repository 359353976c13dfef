//! End-to-end: every error and warning of `gongkai build`, one test per mistake a
//! clerk can make. Each test checks the exit code and that the message names the
//! file, the line and the field; for errors, that the previous output is left
//! byte-for-byte as it was and no staging folder is left behind.

mod common;

use std::os::unix::fs::symlink;

use common::*;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// GOOD with the line starting with `prefix` replaced by `line` (same line number).
fn replace(prefix: &str, line: &str) -> String {
    let mut found = false;
    let out: Vec<&str> = GOOD
        .lines()
        .map(|l| {
            if !found && l.starts_with(prefix) {
                found = true;
                line
            } else {
                l
            }
        })
        .collect();
    assert!(found, "GOOD has no line starting with {prefix:?}");
    out.join("\n") + "\n"
}

/// GOOD without the line starting with `prefix`.
fn without(prefix: &str) -> String {
    let out: Vec<&str> = GOOD.lines().filter(|l| !l.starts_with(prefix)).collect();
    assert_eq!(out.len() + 1, GOOD.lines().count(), "GOOD has no line starting with {prefix:?}");
    out.join("\n") + "\n"
}

/// GOOD with `line` added as the last field: it lands on line 10 of the file.
fn with_field(line: &str) -> String {
    add_field(GOOD, line)
}

/// `text` (nine lines of front matter, like GOOD) with `line` added as field 10.
fn add_field(text: &str, line: &str) -> String {
    let (front, body) = text.split_once("\n---\n").expect("a closing ---");
    assert_eq!(front.lines().count(), 9);
    format!("{front}\n{line}\n---\n{body}")
}

/// A good notice of its own (another title and document number), for sites with
/// more than one notice.
fn other_notice(title: &str, sequence: u32) -> String {
    replace("title:", &format!("title: {title}"))
        .replace("通政办发〔2018〕55号", &format!("通政办发〔2018〕{sequence}号"))
}

/// No staging or set-aside folder of a build (`.output.gongkai-tmp-…`,
/// `.output.gongkai-old-…`, or the same for another `--out` name) may remain in
/// the site root.
#[track_caller]
fn assert_no_staging(site: &Site) {
    let stray: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output.gongkai-") || (n.starts_with('.') && n.contains(".gongkai-")))
        .collect();
    assert!(stray.is_empty(), "staging folders left behind: {stray:?}");
}

/// Build a good site, let `fault` break it, build again: the build must fail
/// with exit code 1, leave the previous output byte-identical and leave no
/// staging folder. Returns the site and the failed run for further checks.
#[track_caller]
fn fails_keeping_output(fault: impl FnOnce(&Site)) -> (Site, Run) {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.build().ok();
    let before = site.snapshot("output");
    assert!(before.keys().any(|p| p.ends_with("catalogue.json")), "the good build wrote no catalogue.json");
    fault(&site);
    let run = site.build();
    assert_eq!(run.code, 1, "expected exit code 1 (content error)\nstderr:\n{}", run.stderr);
    assert!(
        run.stderr.contains("the output folder was not changed"),
        "the summary should say the output was kept:\n{}",
        run.stderr
    );
    let after = site.snapshot("output");
    assert!(after == before, "a failed build changed the previous output\nstderr:\n{}", run.stderr);
    assert_no_staging(&site);
    (site, run)
}

/// The same, for a single bad `content/a.md`.
#[track_caller]
fn fails_with(text: &str) -> Run {
    fails_keeping_output(|site| site.write("content/a.md", text)).1
}

/// Build a site holding only `content/a.md` = `text`; it must succeed and write
/// the notice's page.
#[track_caller]
fn builds_with(text: &str) -> (Site, Run) {
    let site = Site::new();
    site.write("content/a.md", text);
    let run = site.build();
    run.ok();
    assert!(site.path("output/a/index.html").is_file(), "no page for the notice\nstderr:\n{}", run.stderr);
    assert_no_staging(&site);
    (site, run)
}

/// Like `Run::has`, for diagnostics that carry no field: a block starting with
/// `severity:` located at `file_line` containing every needle.
#[track_caller]
fn has_plain(run: &Run, severity: &str, file_line: &str, needles: &[&str]) {
    // `warning[W002]: …`: any code, no field.
    let head = format!("{severity}[…]:");
    let found = run.stderr.split("\n\n").any(|b| {
        let first = b.trim_start().lines().next().unwrap_or("");
        first.starts_with(&format!("{severity}["))
            && first.split(": ").next().is_some_and(|h| h.matches('[').count() == 1)
            && (b.contains(&format!("--> {file_line}:")) || b.contains(&format!("--> {file_line}\n")))
            && needles.iter().all(|n| b.contains(n))
    });
    assert!(found, "no {head} at {file_line} containing {needles:?} in:\n{}", run.stderr);
}

/// Usage error: exit code 2 and a message containing every needle.
#[track_caller]
fn usage_error(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, 2, "expected exit code 2 (usage error)\nstderr:\n{}", run.stderr);
    for n in needles {
        assert!(run.stderr.contains(n), "usage error lacks {n:?}:\n{}", run.stderr);
    }
}

// ---------------------------------------------------------------------------
// Errors: exit 1, nothing written
// ---------------------------------------------------------------------------

/// The clerk forgot the `---` that closes the front matter.
#[test]
fn unterminated_front_matter() {
    // Drop the closing `---` (line 10), keep the opening one.
    let text = GOOD.replacen("\n---\n", "\n", 1);
    assert_eq!(text.lines().filter(|l| *l == "---").count(), 1);
    let run = fails_with(&text);
    has_plain(&run, "error", "content/a.md:1", &["unterminated front matter", "---"]);
    assert!(run.stderr.contains("error[E020]: unterminated front matter"), "{}", run.stderr);
    assert!(run.stderr.contains("--> content/a.md:1"), "{}", run.stderr);
}

/// The clerk opened a list with `[` and never closed it. The fault is on the
/// line with the unclosed bracket (line 4), not on the next field's line.
#[test]
fn invalid_yaml_unclosed_list() {
    let run = fails_with(&replace("issuer:", "issuer: [通榆县人民政府办公室, 甲局"));
    has_plain(&run, "error", "content/a.md:4", &["invalid YAML"]);
}

/// The clerk wrote a colon inside a value without quoting it.
#[test]
fn invalid_yaml_colon_in_value() {
    let run = fails_with(&replace("title:", "title: 关于: 通知"));
    has_plain(&run, "error", "content/a.md:2", &["invalid YAML", "quote values"]);
}

/// The clerk left out the title.
#[test]
fn missing_title() {
    let run = fails_with(&without("title:"));
    run.has("error", "title", "content/a.md:1", &["missing required field `title`", "标题"]);
}

/// The clerk left out the issuer.
#[test]
fn missing_issuer() {
    let run = fails_with(&without("issuer:"));
    run.has("error", "issuer", "content/a.md:1", &["missing required field `issuer`", "发文机关"]);
}

/// The clerk left out the publication date.
#[test]
fn missing_published() {
    let run = fails_with(&without("published:"));
    run.has("error", "published", "content/a.md:1", &["missing required field `published`", "发布日期"]);
}

/// The clerk typed 30 February.
#[test]
fn impossible_published_date() {
    let run = fails_with(&replace("published:", "published: 2018-02-30"));
    run.has(
        "error",
        "published",
        "content/a.md:9",
        &["impossible date", "found: 2018-02-30", "2018-02 has 28 days", "9 | published: 2018-02-30"],
    );
    assert!(run.stderr.contains("--> content/a.md:9:12"), "column of the value:\n{}", run.stderr);
}

/// The clerk typed month 13.
#[test]
fn impossible_written_date() {
    let run = fails_with(&replace("written:", "written: 2019-13-01"));
    run.has(
        "error",
        "written",
        "content/a.md:8",
        &["impossible date", "found: 2019-13-01", "months run from 01 to 12"],
    );
}

/// The clerk dated publication before the document was written.
#[test]
fn published_before_written() {
    let run = fails_with(&replace("published:", "published: 2018-09-01"));
    run.has("error", "published", "content/a.md:9", &["published before written", "2018-09-02", "2018-09-01"]);
}

/// The clerk copied a notice and kept its document number.
#[test]
fn duplicate_doc_number() {
    let (_, run) = fails_keeping_output(|site| {
        site.write("content/b.md", &replace("title:", "title: 关于另一事项的通知"));
    });
    run.has(
        "error",
        "doc_number",
        "content/b.md:3",
        &["duplicate document number", "通政办发〔2018〕55号", "content/a.md"],
    );
}

/// The same document number written with square brackets is still the same number.
#[test]
fn duplicate_doc_number_written_differently() {
    let (_, run) = fails_keeping_output(|site| {
        let text = replace("title:", "title: 关于另一事项的通知").replace("通政办发〔2018〕55号", "通政办发[2018]55号");
        site.write("content/b.md", &text);
    });
    run.has("error", "doc_number", "content/b.md:3", &["duplicate document number", "content/a.md"]);
}

/// The clerk made a bundle folder `a/` beside the file `a.md`: both want /a/.
#[test]
fn same_url_file_and_bundle() {
    let (_, run) = fails_keeping_output(|site| {
        site.write("content/a/index.md", &other_notice("关于另一事项的通知", 56));
    });
    run.has("error", "slug", "content/a.md:1", &["same URL", "/a/", "content/a/index.md"]);
}

/// The clerk gave two notices the same `slug:`.
#[test]
fn same_url_by_slug() {
    let (_, run) = fails_keeping_output(|site| {
        site.write("content/a.md", &with_field("slug: plan"));
        site.write("content/b.md", &add_field(&other_notice("关于另一事项的通知", 56), "slug: plan"));
    });
    run.has("error", "slug", "content/b.md:10", &["same URL", "/plan/", "content/a.md"]);
}

/// A notice whose URL is one of the site's own pages (the progress dashboard, the
/// search page, a browse section) would be overwritten by it, or overwrite it: an
/// error naming the file, whatever the letter case.
#[test]
fn notice_at_a_generated_route() {
    for (file, route) in [
        ("content/progress.md", "progress"),
        ("content/search/index.md", "search"),
        ("content/Years/2018.md", "Years"),
        ("content/feed.xml.md", "feed.xml"),
        ("content/catalogue.md", "catalogue"),
        ("content/sitemaps/2018.md", "sitemaps"),
    ] {
        let (_, run) = fails_keeping_output(|site| site.write(file, &other_notice("关于另一事项的通知", 56)));
        run.has("error", "slug", &format!("{file}:1"), &["reserved for the site's own pages", route]);
    }
}

/// Two outputs that would land on one file are an error naming both, never a race
/// that the last writer wins: here a bundle holds a file `index.html`, which would
/// be copied over the notice's own page.
#[test]
fn two_outputs_at_one_path() {
    let (_, run) = fails_keeping_output(|site| {
        site.write("content/b/index.md", &other_notice("关于另一事项的通知", 56));
        site.write("content/b/index.html", "<p>a page saved from the old site</p>");
    });
    for needle in ["two outputs are written to b/index.html", "the page of content/b/index.md", "attachment index.html"]
    {
        assert!(run.stderr.contains(needle), "no `{needle}` in:\n{}", run.stderr);
    }
}

/// The clerk pointed an attachment at a file above the notice's folder.
#[test]
fn attachment_leaves_folder() {
    let (_, run) = fails_keeping_output(|site| {
        site.write("secret.txt", "内部资料");
        site.write("content/a.md", &with_field("attachments: [../secret.txt]"));
    });
    run.has("error", "attachments", "content/a.md:10", &["leaves the notice's folder", "../secret.txt"]);
}

/// The clerk gave an absolute path to an attachment.
#[test]
fn attachment_absolute_path() {
    let run = fails_with(&with_field("attachments: [/etc/passwd]"));
    run.has("error", "attachments", "content/a.md:10", &["absolute", "/etc/passwd"]);
}

/// The clerk listed an attachment but forgot to copy the file.
#[test]
fn attachment_missing_file() {
    let run = fails_with(&with_field("attachments: [实施方案.pdf]"));
    run.has("error", "attachments", "content/a.md:10", &["does not exist", "实施方案.pdf"]);
}

/// The clerk put a symlink to a file outside content/ into a notice bundle.
#[test]
fn symlink_out_of_content_in_bundle() {
    let (site, run) = fails_keeping_output(|site| {
        site.write("secret.txt", "内部资料");
        site.write("content/b/index.md", &other_notice("关于另一事项的通知", 56));
        symlink(site.path("secret.txt"), site.path("content/b/leak.txt")).unwrap();
    });
    has_plain(&run, "error", "content/b/leak.txt", &["symlink points outside content/"]);
    assert!(!site.path("output/b").exists());
}

/// The clerk attached a file through a symlink that points outside content/.
#[test]
fn symlink_out_of_content_as_attachment() {
    let (_, run) = fails_keeping_output(|site| {
        site.write("secret.txt", "内部资料");
        symlink(site.path("secret.txt"), site.path("content/data.csv")).unwrap();
        site.write("content/a.md", &with_field("attachments: [data.csv]"));
    });
    run.has("error", "attachments", "content/a.md:10", &["outside content/", "data.csv"]);
}

/// The clerk saved the notice from an old word processor, in GB18030.
#[test]
fn file_not_utf8() {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(GOOD);
    assert!(!unmappable);
    let (_, run) = fails_keeping_output(|site| site.write_bytes("content/a.md", &bytes));
    has_plain(&run, "error", "content/a.md:2", &["not UTF-8", "GB18030", "iconv -f GB18030 -t UTF-8", "content/a.md"]);
}

/// The clerk put a classified (秘密) document in the public folder.
#[test]
fn classified_document() {
    let run = fails_with(&with_field("classification: 秘密"));
    run.has("error", "classification", "content/a.md:10", &["classified document", "秘密", "never be published"]);
}

/// The same, with the Chinese field name 密级.
#[test]
fn classified_document_chinese_field_name() {
    let run = fails_with(&with_field("密级: 机密"));
    run.has("error", "classification", "content/a.md:10", &["classified document", "机密"]);
}

/// The clerk wrote a genre that is not one of the 15 kinds.
#[test]
fn unknown_genre() {
    let run = fails_with(&replace("genre:", "genre: 通知书"));
    run.has("error", "genre", "content/a.md:5", &["not one of the 15 kinds", "found: 通知书", "did you mean `通知`?"]);
}

/// The clerk typed an index number that does not follow the site's pattern.
#[test]
fn index_number_against_pattern() {
    let run = fails_with(&with_field("index_number: 12345"));
    run.has(
        "error",
        "index_number",
        "content/a.md:10",
        &["does not match", "found: 12345", "11220822013601307Q/2018-14393"],
    );
}

/// The clerk dropped the final 号 of the document number.
#[test]
fn bad_doc_number() {
    let run = fails_with(&replace("doc_number:", "doc_number: 通政办发〔2018〕55"));
    run.has("error", "doc_number", "content/a.md:3", &["not a document number", "ends with 号"]);
}

/// Three different files, three different mistakes: all are reported in one build.
#[test]
fn all_problems_reported_together() {
    let (_, run) = fails_keeping_output(|site| {
        site.write("content/a.md", &replace("published:", "published: 2018-02-30"));
        site.write("content/b.md", &without("title:").replace("55号", "56号"));
        site.write("content/c.md", &replace("genre:", "genre: 通知书").replace("55号", "57号"));
    });
    run.has("error", "published", "content/a.md:9", &["impossible date"]);
    run.has("error", "title", "content/b.md:1", &["missing required field `title`"]);
    run.has("error", "genre", "content/c.md:5", &["通知书"]);
    assert!(run.stderr.contains("build failed with 3 error(s)"), "summary should count 3 errors:\n{}", run.stderr);
}

// ---------------------------------------------------------------------------
// Warnings: exit 0, output written
// ---------------------------------------------------------------------------

/// The clerk misspelt a field name (`tittle:`).
#[test]
fn unknown_field_did_you_mean() {
    let (_, run) = builds_with(&with_field("tittle: 关于印发某规划的通知"));
    run.has("warning", "tittle", "content/a.md:10", &["unknown field `tittle`", "did you mean `title`?"]);
    assert!(run.stderr.contains("1 warning(s)"), "{}", run.stderr);
}

/// The document number's year (2017) is not the year it was written (2018).
#[test]
fn doc_number_year_differs_from_written() {
    let (_, run) = builds_with(&replace("doc_number:", "doc_number: 通政办发〔2017〕55号"));
    run.has("warning", "doc_number", "content/a.md:3", &["2017", "2018", "differs"]);
}

/// The issuer is not in site.yaml's list.
#[test]
fn issuer_not_listed() {
    let (_, run) = builds_with(&replace("issuer:", "issuer: 乙局"));
    run.has("warning", "issuer", "content/a.md:4", &["not in the site's list", "found: 乙局", "site.yaml"]);
}

/// The clerk saved the front matter but not the text of the notice.
#[test]
fn empty_body() {
    let front = GOOD.split_once("\n---\n").unwrap().0;
    let (_, run) = builds_with(&format!("{front}\n---\n\n   \n"));
    has_plain(&run, "warning", "content/a.md:11", &["notice has no text"]);
}

// ---------------------------------------------------------------------------
// Usage errors: exit 2
// ---------------------------------------------------------------------------

/// gongkai was run in a folder that is not a site.
#[test]
fn usage_no_content_folder() {
    let site = Site::new();
    std::fs::remove_dir_all(site.path("content")).unwrap();
    let run = site.build();
    usage_error(&run, &["no content/ folder"]);
    assert!(!site.path("output").exists());
}

/// The base URL on the command line is not a URL.
#[test]
fn usage_bad_base_url() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.build().ok();
    let before = site.snapshot("output");
    let run = site.run(&["build", "--base-url", "not-a-url"]);
    usage_error(&run, &["--base-url", "not-a-url"]);
    assert!(site.snapshot("output") == before, "a refused build changed the output");
    assert_no_staging(&site);
}

/// A base URL with a query or a fragment would end up inside every URL of the
/// feeds and the sitemap (`…/?from=feed/feed.xml`): refused at its line.
#[test]
fn base_url_with_a_query_or_fragment_is_refused_at_its_line() {
    for url in ["https://example.org/gongkai/?from=feed", "https://example.org/gongkai/#top"] {
        let site = Site::new();
        site.write("content/site.yaml", &SITE_YAML.replace("https://gongkai.internal/sub/", url));
        site.write("content/a.md", GOOD);
        let run = site.build();
        run.has("error", "base_url", "content/site.yaml:2", &["no usable base URL", "query or a fragment"]);
        assert!(!site.path("output").exists());
        let cli = site.run(&["build", "--base-url", url]);
        usage_error(&cli, &["--base-url", "query or a fragment"]);
    }
}

/// `--out` names the site folder itself.
#[test]
fn usage_out_is_site_root() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    let before = site.snapshot("content");
    let root = site.root().to_str().unwrap().to_owned();
    let run = site.run(&["build", "--out", &root, "--force"]);
    usage_error(&run, &["would replace"]);
    assert!(site.snapshot("content") == before, "content/ was touched");
    assert_no_staging(&site);
}

/// `--out` names content/, or a folder inside it.
#[test]
fn usage_out_is_content() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    let before = site.snapshot("content");
    for out in [site.path("content"), site.path("content/public")] {
        let run = site.run(&["build", "--out", out.to_str().unwrap(), "--force"]);
        usage_error(&run, &["--out", "content"]);
        assert!(site.snapshot("content") == before, "content/ was touched by --out {}", out.display());
    }
    assert_no_staging(&site);
}

/// `--out` names a folder of the clerk's own files, not a previous build.
#[test]
fn usage_out_is_foreign_folder() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("mine/工作记录.txt", "不要删除");
    let mine = site.path("mine");
    let before = site.snapshot("mine");
    let run = site.run(&["build", "--out", mine.to_str().unwrap()]);
    usage_error(&run, &["no catalogue.json", "--force"]);
    assert!(site.snapshot("mine") == before, "the refused folder's files must survive");
    assert_no_staging(&site);
    // With --force the clerk really means it.
    site.run(&["build", "--out", mine.to_str().unwrap(), "--force"]).ok();
    assert!(site.path("mine/catalogue.json").is_file());
    assert!(!site.path("mine/工作记录.txt").exists());
}

// ---------------------------------------------------------------------------
// Chinese field names
// ---------------------------------------------------------------------------

/// The clerk wrote the field names in Chinese.
#[test]
fn chinese_field_names_build() {
    let text = replace("title:", "标题: 关于印发某规划的通知");
    let text = text.replace("\nissuer:", "\n发文机关:").replace("\npublished:", "\n发布日期:");
    let (site, run) = builds_with(&text);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = site.read("output/a/index.html");
    assert!(page.contains("关于印发某规划的通知") && page.contains("2018-09-03"), "page lacks title or date");
}

/// The clerk gave the title twice, once in English and once in Chinese.
#[test]
fn field_given_in_both_languages() {
    let run = fails_with(&with_field("标题: 关于印发另一规划的通知"));
    run.has("error", "title", "content/a.md:10", &["given twice", "`标题`", "`title` on line 2"]);
}

// ---------------------------------------------------------------------------
// Disclosure
// ---------------------------------------------------------------------------

/// A notice marked 依申请公开 is checked but never published.
#[test]
fn on_request_notice_is_left_out() {
    let site = Site::new();
    site.write("content/a.md", &with_field("disclosure: 依申请公开").replace("某规划", "内部事项"));
    site.write("content/b.md", &other_notice("关于公开事项的通知", 56));
    let run = site.build();
    run.ok();
    assert!(run.stderr.contains("left out content/a.md"), "stderr should name the withheld file:\n{}", run.stderr);
    assert!(!site.path("output/a").exists(), "a page was written for a withheld notice");
    assert!(site.path("output/b/index.html").is_file());
    // The catalogue and the sitemap each with the files their entry lists.
    let with_parts = |entry: &str, parts: &str| {
        let mut text = site.read(entry);
        for e in std::fs::read_dir(site.path(parts)).unwrap() {
            text.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
        }
        text
    };
    for (file, text) in [
        ("the catalogue", with_parts("output/catalogue.json", "output/catalogue")),
        ("output/feed.xml", site.read("output/feed.xml")),
        ("the sitemap", with_parts("output/sitemap.xml", "output/sitemaps")),
    ] {
        assert!(!text.contains("内部事项"), "{file} mentions the withheld notice");
        assert!(!text.contains("/a/"), "{file} links to the withheld notice");
        assert!(text.contains("/b/") || text.contains("关于公开事项的通知"), "{file} lacks the public notice");
    }
    for (path, bytes) in site.snapshot("output") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("内部事项"),
            "{} mentions the withheld notice",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------
// Hostile input: finish quickly, with an error or a correct page; never panic
// ---------------------------------------------------------------------------

/// Build a site whose `content/a.md` is `bytes`; check it did not panic, kept
/// stderr readable, and either failed cleanly (exit 1) or
/// succeeded (exit 0) writing the page.
#[track_caller]
fn survives(bytes: &[u8]) -> (Site, Run) {
    let site = Site::new();
    site.write_bytes("content/a.md", bytes);
    let run = site.build();
    let head: String = run.stderr.chars().take(3000).collect();
    assert!(!run.stderr.contains("panicked"), "gongkai panicked:\n{head}");
    assert!(run.code == 0 || run.code == 1, "exit code {}:\n{head}", run.code);
    let longest = run.stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest <= 1000, "stderr has a line of {longest} characters:\n{head}");
    if run.code == 0 {
        assert!(site.path("output/a/index.html").is_file(), "exit 0 without the page");
    } else {
        assert!(run.stderr.contains("content/a.md"), "the error should name the file:\n{head}");
    }
    assert_no_staging(&site);
    (site, run)
}

/// Front matter with ten levels of ten-fold YAML aliases ("billion laughs").
#[test]
fn hostile_yaml_alias_bomb() {
    let mut bomb = String::from("lol0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("lol{i}: &a{i} [{refs}]\n"));
    }
    survives(with_field(bomb.trim_end()).as_bytes());
}

/// A list nested 100,000 levels deep, written with brackets.
#[test]
fn hostile_yaml_deep_flow_list() {
    let deep = format!("note: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (_, run) = survives(with_field(&deep).as_bytes());
    assert_eq!(run.code, 1);
}

/// A list nested 100,000 levels deep, written as `- - - …`.
#[test]
fn hostile_yaml_deep_block_list() {
    let deep = format!("note:\n  {}x", "- ".repeat(100_000));
    let (_, run) = survives(with_field(&deep).as_bytes());
    assert_eq!(run.code, 1);
}

/// A 5 MB body in one paragraph.
#[test]
fn hostile_huge_paragraph() {
    let body = format!("{}结尾标记", "政".repeat(5 * 1024 * 1024 / 3));
    let (site, run) = survives(format!("{GOOD}\n{body}\n").as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("output/a/index.html").contains("结尾标记"));
}

/// A NUL byte in the body (a damaged file).
#[test]
fn hostile_nul_byte() {
    let (_, run) = survives(format!("{GOOD}\n正文\0结束\n").as_bytes());
    if run.code == 1 {
        has_plain(&run, "error", "content/a.md:16", &["NUL"]);
    }
}

/// Blockquotes nested 20,000 levels deep.
#[test]
fn hostile_deep_blockquote() {
    let (site, run) = survives(format!("{GOOD}\n{} 引用结尾\n", ">".repeat(20_000)).as_bytes());
    if run.code == 0 {
        assert!(site.read("output/a/index.html").contains("引用结尾"), "the quoted text is lost");
    }
}

/// A notice page without the theme's own script (the page tools, `assets/tools.js`):
/// any other script on it came from the notice.
fn without_theme_script(page: &str) -> String {
    let mut page = page.to_owned();
    for script in ["words.js", "tools.js"] {
        let own = format!("<script src=\"../assets/{script}\" defer></script>");
        assert_eq!(page.matches(&own).count(), 1, "the page loads the theme's {script} once");
        page = page.replace(&own, "");
    }
    page
}

/// Raw HTML and links that would run script in a reader's browser. (Markdown
/// links come first: see the next test for what an upper-case `<SCRIPT>` block
/// does to the Markdown after it.)
#[test]
fn hostile_script_in_body() {
    let body = "[链接](JaVaScRiPt:alert(1)) [链接二](javascript:alert(2))\n\n\
                <script>alert(3)</script>\n\n<img src=x onerror=alert(4)>\n\n<IMG SRC=x OnErRoR=alert(5)>\n\n\
                <a href=\"  JaVaScRiPt:alert(6)\">甲</a>\n\n<a href=\"jav&#x09;ascript:alert(7)\">乙</a>\n\n\
                <div onclick=\"alert(8)\">丙</div>\n\n正文保留\n\n<SCRIPT>alert(9)</SCRIPT>\n";
    let (site, run) = survives(format!("{GOOD}\n{body}").as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = without_theme_script(&site.read("output/a/index.html"));
    let lower = page.to_lowercase();
    for bad in ["<script", "onerror", "onclick", "javascript:", "alert("] {
        assert!(!lower.contains(bad), "page contains {bad:?}");
    }
    assert!(page.contains("链接") && page.contains("正文保留"), "the notice's own text is lost");
}

/// An upper-case `<SCRIPT>` block (as old HTML editors write it) is removed, and
/// the Markdown after it is still rendered as Markdown, not swallowed as raw text.
#[test]
fn hostile_uppercase_script_block() {
    let body = "<SCRIPT>alert(1)</SCRIPT>\n\n## 一、总则\n\n[附件说明](JaVaScRiPt:alert(2))\n\n*强调*\n";
    let (site, run) = survives(format!("{GOOD}\n{body}").as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = without_theme_script(&site.read("output/a/index.html"));
    assert!(page.contains("<em>强调</em>"), "Markdown after the <SCRIPT> block was not rendered");
    assert!(page.contains("总则</h2>"), "heading after the <SCRIPT> block was not rendered");
    let lower = page.to_lowercase();
    for bad in ["<script", "javascript:", "alert("] {
        assert!(!lower.contains(bad), "page contains {bad:?}");
    }
}

/// `--out` written with `..` that leads back to the site folder.
#[test]
fn usage_out_dot_dot_is_the_site_root() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    let out = format!("{}/output/..", site.root().display());
    let run = site.run(&["build", "--out", &out, "--force"]);
    usage_error(&run, &["would replace"]);
    assert!(site.path("content/a.md").is_file());
}

/// `jiàoyù-guīhuà.md` composed (NFC) and decomposed (NFD, as macOS writes names)
/// once built as two pages whose URLs look the same; copied to macOS or Windows
/// one overwrote the other.
#[test]
fn unicode_equivalent_file_names_are_one_url_and_refused_twice() {
    let nfc = "ji\u{e0}oy\u{f9}-gu\u{12b}hu\u{e0}";
    let nfd = "jia\u{300}oyu\u{300}-gui\u{304}hua\u{300}";
    assert_ne!(nfc, nfd);
    let site = Site::new();
    site.write(&format!("content/{nfd}.md"), GOOD);
    site.build().ok();
    // The page is written under the composed name.
    assert!(site.path(&format!("output/{nfc}/index.html")).is_file(), "URL in NFC");
    assert!(!site.path(&format!("output/{nfd}/index.html")).exists());
    site.write(&format!("content/{nfc}.md"), &GOOD.replace("55号", "56号"));
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[E030][slug]: two notices at the same URL")
            && run.stderr.contains("Unicode composition"),
        "{}",
        run.stderr
    );
}

/// Links pointing at each other once read "a link to `b.md`, which does not
/// exist": the loop is said, with its chain.
#[cfg(unix)]
#[test]
fn a_symlink_loop_is_named_as_one() {
    let site = Site::new();
    site.write("content/ok.md", GOOD);
    std::os::unix::fs::symlink("b.md", site.path("content/a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", site.path("content/b.md")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("symlinks form a loop") && run.stderr.contains("a.md → b.md → a.md"), "{}", run.stderr);
    assert!(!run.stderr.contains("does not exist"), "{}", run.stderr);
}

/// A control character written with a YAML escape (`\0`, `\e`, `\x1b`), in any
/// field of a notice or of site.yaml, is refused at its line: one rule for every
/// field, and nothing raw reaches a page.
#[test]
fn control_characters_are_refused_at_their_line() {
    for (field, value) in
        [("title", "\"关于\\0印发的通知\""), ("cc", "[县委办公室, \"县\\e政府\"]"), ("note", "\"附注\\x1b[31m\"")]
    {
        let text = if field == "title" {
            GOOD.replace("title: 关于印发某规划的通知", &format!("title: {value}"))
        } else {
            GOOD.replace("published: 2018-09-03\n", &format!("published: 2018-09-03\n{field}: {value}\n"))
        };
        let run = fails_with(&text);
        run.has("error", field, "content/a.md", &["holds the control character U+00"]);
        assert!(run.stderr.contains("error[E027]"), "{}", run.stderr);
    }
    let (_, run) = fails_keeping_output(|site| {
        let yaml = site.read("content/site.yaml");
        site.write("content/site.yaml", &format!("{yaml}description: \"政务\\u0007公开\"\n"));
    });
    assert!(
        run.stderr.contains("error[E027][description]: `description` holds the control character U+0007"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> content/site.yaml:"), "{}", run.stderr);
}

/// site.yaml's `theme` names a folder of themes/: a misspelt one is an error
/// naming the themes there are, a path leading out of themes/ is refused.
#[test]
fn a_theme_that_is_not_there_is_named() {
    let (_, run) = fails_keeping_output(|site| {
        site.write("themes/plain/templates/base.html", "{% block content %}{% endblock content %}");
        let yaml = site.read("content/site.yaml");
        site.write("content/site.yaml", &format!("{yaml}theme: defualt\n"));
    });
    assert!(run.stderr.contains("error[E002][theme]: no theme `defualt` in themes/"), "{}", run.stderr);
    assert!(run.stderr.contains("one of: default (built in), plain"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `default`?"), "{}", run.stderr);
    for outside in ["../../x", "/etc", "a/b"] {
        let (_, run) = fails_keeping_output(|site| {
            let yaml = site.read("content/site.yaml");
            site.write("content/site.yaml", &format!("{yaml}theme: {outside}\n"));
        });
        assert!(run.stderr.contains("theme is not the name of a folder in themes/"), "{outside}: {}", run.stderr);
    }
}

/// SOURCE_DATE_EPOCH that is not a whole number fails the build, as the
/// reproducible-builds specification says.
#[test]
fn a_source_date_epoch_that_is_not_a_number_fails() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    for bad in ["yesterday", "1704067200.5", ""] {
        let run = site.build_at(bad);
        assert_eq!(run.code, 2, "{bad:?}: {}", run.stderr);
        assert!(run.stderr.contains("SOURCE_DATE_EPOCH is"), "{}", run.stderr);
    }
    site.build_at("1704067200").ok();
}

/// content/index.md is not a notice (the home page is gongkai's): the build says
/// so instead of skipping it without a word.
#[test]
fn content_index_md_is_not_skipped_silently() {
    let (_, run) = builds_with(GOOD);
    assert!(!run.stderr.contains("W004"));
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("content/index.md", "---\ntitle: 首页\n---\n\n欢迎。\n");
    let run = site.build();
    run.ok();
    assert!(run.stderr.contains("warning[W004]: content/index.md is not published"), "{}", run.stderr);
}
