//! End-to-end: withdrawal (撤回) — the short page at the same address, the text in
//! no output file, out of lists, search and the sitemap, in the catalogue and the
//! feed as withdrawn, citing notices marking it, as-of builds before the date
//! showing it as it was; and a file deleted without the mark, warned about.

mod common;

use common::*;

/// Words only the withdrawn notice's text has.
const SECRET: &str = "此段文字只在撤回之前公开";

const WITHDRAWN: &str = "---\ntitle: 关于收费的通知\ndoc_number: 通政办发〔2024〕3号\nissuer: 通榆县人民政府办公室\ngenre: 通知\ntopics: [科技、教育\\教育]\nwritten: 2024-01-20\npublished: 2024-01-22\nwithdrawn:\n  date: 2024-05-08\n  reason: 内容已纳入新办法\n---\n\n各有关部门：\n\n此段文字只在撤回之前公开。\n";
const CITING: &str = "---\ntitle: 关于印发新办法的通知\ndoc_number: 通政办发〔2024〕12号\nissuer: 通榆县人民政府办公室\ngenre: 通知\ntopics: [科技、教育\\教育]\npublished: 2024-05-08\n---\n\n原通知（通政办发〔2024〕3号）已经撤回。\n";

fn withdrawal_site() -> Site {
    let site = Site::new();
    site.write("content/notices/fee/index.md", WITHDRAWN);
    site.write("content/notices/new/index.md", CITING);
    site
}

fn as_of(site: &Site, date: &str, out: &str) -> Run {
    site.run(&["build", "--as-of", date, "--out", site.path(out).to_str().unwrap()])
}

/// Every output file whose bytes contain `needle`.
fn files_containing(site: &Site, out: &str, needle: &str) -> Vec<String> {
    site.snapshot(out)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_withdrawn_page_is_a_short_notice_at_the_same_address() {
    let site = withdrawal_site();
    site.build().ok();
    let html = site.read("output/notices/fee/index.html");
    for want in [
        "关于收费的通知",
        "通政办发〔2024〕3号",
        "通榆县人民政府办公室",
        "2024-01-20",
        "2024-01-22",
        "已撤回",
        "2024-05-08",
        "内容已纳入新办法",
    ] {
        assert!(html.contains(want), "the withdrawn page lacks {want}");
    }
    assert!(!html.contains(SECRET) && !html.contains("各有关部门"), "the text is still on the page");
    assert!(!html.contains("class=\"qr\""), "a withdrawn page has no QR code");
}

#[test]
fn the_text_of_a_withdrawn_notice_is_in_no_output_file() {
    let site = withdrawal_site();
    // Before the date the text is out there (so the search below can fail) …
    as_of(&site, "2024-05-07", "before").ok();
    assert!(!files_containing(&site, "before", SECRET).is_empty());
    assert!(site.read("before/notices/fee/index.html").contains(SECRET));
    // … after it, in no file at all: page, search index, catalogue, feeds.
    site.build().ok();
    assert_eq!(files_containing(&site, "output", SECRET), Vec::<String>::new());
    // The search index holds documents' titles as they are: the withdrawn one is not among them.
    assert!(files_containing(&site, "before", "关于收费的通知").iter().any(|f| f.starts_with("search")));
    assert!(!files_containing(&site, "output", "关于收费的通知").iter().any(|f| f.starts_with("search")));
}

#[test]
fn a_withdrawn_notice_leaves_lists_and_sitemap_but_stays_in_the_catalogue_and_feed() {
    let site = withdrawal_site();
    site.build().ok();
    let link = "notices/fee/index.html";
    for page in ["output/index.html", "output/years/2024/index.html", "output/topics/科技、教育/教育/index.html"]
    {
        let html = site.read(page);
        assert!(html.contains("notices/new/index.html"), "{page} lists the other notice");
        // The citing notice is listed; the withdrawn one is not.
        assert!(!html.contains(link), "{page} still lists the withdrawn notice");
    }
    let sitemaps = sitemaps(&site.path("output"), "https://gongkai.internal/sub/");
    let all: Vec<&String> = sitemaps.iter().flat_map(|(_, urls)| urls).collect();
    assert!(all.iter().any(|u| u.ends_with("notices/new/")), "{all:?}");
    assert!(!all.iter().any(|u| u.ends_with("notices/fee/")), "{all:?}");
    // The catalogue: not among the notices, in the part of the withdrawn.
    let cat = site.catalogue();
    assert!(!cat["notices"].as_array().unwrap().iter().any(|n| n["path"] == "notices/fee/"));
    let entry: serde_json::Value = serde_json::from_str(&site.read("output/catalogue.json")).unwrap();
    assert_eq!(entry["withdrawn"]["href"], "catalogue/withdrawn.json");
    assert_eq!(entry["withdrawn"]["count"], 1);
    let part: serde_json::Value = serde_json::from_str(&site.read("output/catalogue/withdrawn.json")).unwrap();
    let w = &part["entries"][0];
    assert_eq!(w["path"], "notices/fee/");
    assert_eq!(w["doc_number"]["text"], "通政办发〔2024〕3号");
    assert_eq!(w["withdrawn"], serde_json::json!({"date": "2024-05-08", "reason": "内容已纳入新办法"}));
    // The feed: an entry saying so, updated on the day.
    let feed = site.read("output/feed.xml");
    assert!(feed.contains("<title>已撤回：关于收费的通知</title>"), "{feed}");
    assert!(feed.contains("<updated>2024-05-08T00:00:00+08:00</updated>"));
    assert!(feed.contains("内容已纳入新办法"));
}

#[test]
fn notices_citing_a_withdrawn_one_show_it_as_withdrawn() {
    let site = withdrawal_site();
    site.build().ok();
    let html = site.read("output/notices/new/index.html");
    assert!(
        html.contains("href=\"../../notices/fee/index.html\">通政办发〔2024〕3号</a>"),
        "the citation is not linked"
    );
    assert!(html.contains("引用的已撤回文件"));
    assert!(html.contains("关于收费的通知</a>（已于 2024-05-08 撤回）"));
}

#[test]
fn as_of_builds_before_the_date_show_it_as_it_was() {
    let site = withdrawal_site();
    as_of(&site, "2024-05-07", "o").ok();
    let html = site.read("o/notices/fee/index.html");
    assert!(html.contains(SECRET) && !html.contains("已撤回"));
    assert!(site.read("o/years/2024/index.html").contains("notices/fee/index.html"));
    let entry: serde_json::Value = serde_json::from_str(&site.read("o/catalogue.json")).unwrap();
    assert_eq!(entry["withdrawn"]["count"], 0);
    // On the day itself it is withdrawn.
    as_of(&site, "2024-05-08", "o2").ok();
    assert!(site.read("o2/notices/fee/index.html").contains("已撤回"));
}

#[test]
fn a_malformed_withdrawal_is_an_error_at_its_line() {
    for (block, needle) in [
        ("withdrawn: 2024-05-01", "block of fields"),
        ("withdrawn: {date: 2024-05-01}", "reason"),
        ("withdrawn: {reason: 错误}", "date"),
        ("withdrawn: {date: 2024-13-01, reason: 错误}", "date"),
    ] {
        let site = Site::new();
        site.write("content/a.md", &GOOD.replace("published: 2018-09-03", &format!("published: 2018-09-03\n{block}")));
        let run = site.build();
        assert_eq!(run.code, 1, "{block}: {}", run.stderr);
        run.has("error", "withdrawn", "content/a.md:10", &[needle]);
    }
}

#[test]
fn a_deleted_file_is_said_before_its_page_disappears() {
    let site = withdrawal_site();
    site.write("content/notices/gone/index.md", &GOOD.replace("关于印发某规划的通知", "将被删除的通知"));
    site.build().ok();
    site.remove("content/notices/gone/index.md");
    // `check` lists it, comparing with the output the last build left …
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "a warning, not an error: {}", run.stdout);
    assert!(run.stdout.contains("warning[W090]"), "{}", run.stdout);
    assert!(run.stdout.contains("将被删除的通知 (/notices/gone/) will disappear"), "{}", run.stdout);
    assert!(run.stdout.contains("https://gongkai.internal/sub/notices/gone/"), "{}", run.stdout);
    // … and so does the next build, once: after it the address is gone.
    let run = site.build();
    run.ok();
    assert!(run.stderr.contains("warning[W090]") && run.stderr.contains("/notices/gone/"), "{}", run.stderr);
    assert!(!site.path("output/notices/gone/index.html").exists());
    let run = site.build();
    assert!(!run.stderr.contains("W090"), "said once: {}", run.stderr);
}

#[test]
fn a_withdrawn_or_moved_back_file_is_not_warned_about() {
    let site = withdrawal_site();
    site.build().ok();
    // Marked withdrawn instead of deleted: the address stays, nothing to say.
    site.write(
        "content/notices/new/index.md",
        &CITING.replace("---\n\n", "withdrawn: {date: 2024-06-01, reason: 测试}\n---\n\n"),
    );
    let run = site.build();
    run.ok();
    assert!(!run.stderr.contains("W090"), "{}", run.stderr);
    assert!(site.read("output/notices/new/index.html").contains("已撤回"));
    // A file moved to another folder takes another address: the old one is said.
    std::fs::create_dir_all(site.path("content/moved")).unwrap();
    std::fs::rename(site.path("content/notices/fee/index.md"), site.path("content/moved/fee.md")).unwrap();
    let run = site.run(&["check"]);
    assert!(run.stdout.contains("W090") && run.stdout.contains("/notices/fee/"), "{}", run.stdout);
}

#[test]
fn a_relation_to_a_withdrawn_notice_says_so() {
    let site = withdrawal_site();
    site.write(
        "content/notices/new/index.md",
        &CITING.replace("published: 2024-05-08\n", "published: 2024-05-08\nrepeals: 通政办发〔2024〕3号\n"),
    );
    site.build().ok();
    let html = site.read("output/notices/new/index.html");
    assert!(
        html.contains(
            "<a href=\"../../notices/fee/index.html\">关于收费的通知</a>（通政办发〔2024〕3号，已于 2024-05-08 撤回）"
        ),
        "{html}"
    );
    assert!(!html.contains("本站未收录"));
}
