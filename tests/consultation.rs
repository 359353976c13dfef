//! End-to-end: consultation drafts (征求意见) — the chain 征求意见稿 → 意见采纳情况 →
//! 正式文件 → 解读 on every page of it, the consultations list as of a date, the
//! catalogue's part, the feed, `check`'s warnings and errors in the block.

mod common;

use common::*;

const DRAFT: &str = "---\ntitle: 某办法（征求意见稿）\nissuer: 通榆县人民政府办公室\ngenre: 通知\npublished: 2024-03-01\nconsultation:\n  opens: 2024-03-01\n  closes: 2024-03-31\n  category: 规章\n  channel: [电子邮箱 a@example.org, 电话 0436-0000000]\n---\n\n草案正文。\n";
const FEEDBACK: &str = "---\ntitle: 某办法公众意见及采纳情况\nissuer: 通榆县人民政府办公室\ngenre: 通知\npublished: 2024-04-15\nfeedback_on: notices/draft\n---\n\n收到意见12条，采纳8条，未采纳4条。\n";
const FINAL: &str = "---\ntitle: 关于印发某办法的通知\ndoc_number: 通政办发〔2024〕9号\nissuer: 通榆县人民政府办公室\ngenre: 通知\ncategory: 规章\npublished: 2024-05-08\nconsulted: notices/draft\n---\n\n正式文件正文。\n";
const READING: &str = "---\ntitle: 某办法政策解读\nissuer: 通榆县人民政府办公室\ngenre: 通知\npublished: 2024-05-10\ninterprets: 通政办发〔2024〕9号\n---\n\n解读正文。\n";

/// A draft with its 采纳情况, final document and 解读, and a second draft closed
/// early in February that nobody reported on.
fn chain_site() -> Site {
    let site = Site::new();
    site.write("content/notices/draft/index.md", DRAFT);
    site.write("content/notices/feedback/index.md", FEEDBACK);
    site.write("content/notices/final/index.md", FINAL);
    site.write("content/notices/reading/index.md", READING);
    site.write(
        "content/notices/early/index.md",
        &DRAFT
            .replace("某办法（征求意见稿）", "另一办法（征求意见稿）")
            .replace("published: 2024-03-01", "published: 2024-01-10")
            .replace("opens: 2024-03-01", "opens: 2024-01-10")
            .replace("closes: 2024-03-31", "closes: 2024-02-20"),
    );
    site
}

const PAGES: [&str; 4] = ["draft", "feedback", "final", "reading"];

/// The chain section of a page, from its heading to its end.
fn chain_of(html: &str) -> &str {
    let start = html.find("<section class=\"chain\"").expect("a chain section");
    &html[start..start + html[start..].find("</section>").unwrap()]
}

#[test]
fn the_chain_shows_on_every_page_of_it() {
    let site = chain_site();
    site.build().ok();
    for page in PAGES {
        let html = site.read(&format!("output/notices/{page}/index.html"));
        let chain = chain_of(&html);
        for (label, other) in
            [("征求意见稿", "draft"), ("意见采纳情况", "feedback"), ("正式文件", "final"), ("解读", "reading")]
        {
            assert!(chain.contains(label), "{page}: no {label} in {chain}");
            if other == page {
                assert!(chain.contains("aria-current=\"page\""), "{page} does not mark itself: {chain}");
            } else {
                assert!(
                    chain.contains(&format!("../../notices/{other}/index.html")),
                    "{page} does not link {other}: {chain}"
                );
            }
        }
        // The steps come in their order.
        let at = |w: &str| chain.find(&format!("chain-label\">{w}<")).unwrap();
        assert!(
            at("征求意见稿") < at("意见采纳情况") && at("意见采纳情况") < at("正式文件") && at("正式文件") < at("解读")
        );
    }
    // The other draft has a chain with nothing after it yet.
    let early = site.read("output/notices/early/index.html");
    assert_eq!(chain_of(&early).matches("尚未发布").count(), 3, "{}", chain_of(&early));
    // A notice outside any chain has none.
    site.write("content/notices/plain/index.md", GOOD);
    site.build().ok();
    assert!(!site.read("output/notices/plain/index.html").contains("class=\"chain\""));
}

#[test]
fn the_draft_page_shows_the_period_channel_and_days_left_as_of_the_date() {
    let site = chain_site();
    let out = site.path("o");
    site.run(&["build", "--as-of", "2024-03-20", "--out", out.to_str().unwrap()]).ok();
    let html = site.read("o/notices/draft/index.html");
    for want in [
        "征求意见稿（正在征求意见）",
        "2024-03-01",
        "2024-03-31",
        "剩余 12 天",
        "电子邮箱 a@example.org",
        "电话 0436-0000000",
    ] {
        assert!(html.contains(want), "no {want}");
    }
    // As of that date the 采纳情况 and the final document are not published yet.
    let chain = chain_of(&html).to_owned();
    assert_eq!(chain.matches("尚未发布").count(), 3, "{chain}");
    // Today it is closed, and says so without days left.
    site.build().ok();
    let html = site.read("output/notices/draft/index.html");
    assert!(html.contains("征求意见稿（已截止）") && !html.contains("剩余"));
}

/// The consultations page's section `id`, to its end.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html.find(&format!("<h2 id=\"{id}\">")).unwrap_or_else(|| panic!("no section {id}"));
    &html[start..start + html[start..].find("</section>").unwrap()]
}

#[test]
fn open_and_awaiting_lists_follow_the_as_of_date() {
    let site = chain_site();
    let build_as_of = |date: &str, out: &str| {
        site.run(&["build", "--as-of", date, "--out", site.path(out).to_str().unwrap()]).ok();
        site.read(&format!("{out}/consultations/index.html"))
    };
    // 2024-03-20: the draft is open (12 days left, the closing day counted); the
    // early one closed a month ago without its 采纳情况.
    let html = build_as_of("2024-03-20", "o1");
    let open = section(&html, "open");
    assert!(open.contains("某办法（征求意见稿）") && open.contains("剩余 12 天"), "{open}");
    assert!(!open.contains("另一办法"), "{open}");
    let awaiting = section(&html, "awaiting");
    assert!(awaiting.contains("另一办法（征求意见稿）") && !awaiting.contains("某办法（征求意见稿）"), "{awaiting}");
    assert!(html.contains("截至 <time>2024-03-20</time>"));
    // 2024-04-10: closed, and its 采纳情况 (2024-04-15) not yet published.
    let html = build_as_of("2024-04-10", "o2");
    assert!(section(&html, "open").contains("目前没有正在征求意见的草案"));
    assert!(section(&html, "awaiting").contains("某办法（征求意见稿）"));
    // 2024-06-01: reported on, so no longer awaiting; both in the list of all.
    let html = build_as_of("2024-06-01", "o3");
    let awaiting = section(&html, "awaiting");
    assert!(!awaiting.contains("某办法（征求意见稿）") && awaiting.contains("另一办法"), "{awaiting}");
    let all = section(&html, "all");
    assert!(all.contains("某办法（征求意见稿）") && all.contains("另一办法（征求意见稿）"), "{all}");
    // Before a draft opens it is not listed (it is not published yet).
    let html = build_as_of("2024-01-05", "o4");
    assert!(section(&html, "all").contains("本站尚未发布征求意见稿"));
    // The page is in the sitemap and the site map.
    assert!(site.read("o3/sitemaps/pages.xml").contains("https://gongkai.internal/sub/consultations/"));
    assert!(site.read("o3/map/index.html").contains("consultations/index.html"));
}

#[test]
fn the_catalogue_and_feed_carry_consultations() {
    let site = chain_site();
    site.build().ok();
    let entry: serde_json::Value = serde_json::from_str(&site.read("output/catalogue.json")).unwrap();
    assert_eq!(entry["consultations"]["href"], "catalogue/consultations.json");
    assert_eq!(entry["consultations"]["count"], 2);
    let part: serde_json::Value = serde_json::from_str(&site.read("output/catalogue/consultations.json")).unwrap();
    let base = "https://gongkai.internal/sub/notices";
    let draft = part["entries"].as_array().unwrap().iter().find(|e| e["url"] == format!("{base}/draft/")).unwrap();
    assert_eq!(draft["consultation"]["opens"], "2024-03-01");
    assert_eq!(draft["consultation"]["closes"], "2024-03-31");
    assert_eq!(draft["consultation"]["category"], "规章");
    assert_eq!(draft["state"], "closed");
    assert_eq!(draft["feedback"], format!("{base}/feedback/"));
    assert_eq!(draft["adopted"], format!("{base}/final/"));
    assert_eq!(draft["interpretations"], serde_json::json!([format!("{base}/reading/")]));
    // A draft is a notice of its own: a feed entry, and no 文件类别 of its own (the
    // annual report counts documents adopted, not drafts).
    assert!(site.read("output/feed.xml").contains("<title>某办法（征求意见稿）</title>"));
    let cat = site.catalogue();
    let d = cat["notices"].as_array().unwrap().iter().find(|n| n["path"] == "notices/draft/").unwrap();
    assert!(d.get("category").is_none(), "{d}");
}

/// `check`, its report (on standard output) where `Run::has` reads.
fn check(site: &Site) -> Run {
    let mut run = site.run(&["check"]);
    run.stderr = std::mem::take(&mut run.stdout);
    run
}

#[test]
fn check_warns_about_short_periods_missing_feedback_and_finals_without_consultation() {
    let site = Site::new();
    // A 规章 open for 20 days.
    site.write(
        "content/short.md",
        &DRAFT.replace("closes: 2024-03-31", "closes: 2024-03-20").replace("某办法", "短办法"),
    );
    // A 行政规范性文件 open Monday 2024-03-04 to Monday 2024-03-11: 6 working days.
    site.write(
        "content/normative.md",
        &DRAFT
            .replace("opens: 2024-03-01", "opens: 2024-03-04")
            .replace("closes: 2024-03-31", "closes: 2024-03-11")
            .replace("category: 规章", "category: 行政规范性文件")
            .replace("某办法", "规范办法"),
    );
    // A final 行政规范性文件 that names no draft.
    site.write(
        "content/final.md",
        &GOOD.replace("published: 2018-09-03", "published: 2018-09-03\ncategory: 行政规范性文件\nregistration: X-1"),
    );
    let run = check(&site);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    run.has("warning", "consultation", "content/short.md:6", &["W080", "20 days", "30 days", "规章"]);
    run.has("warning", "consultation", "content/normative.md:6", &["W080", "6 working days", "7 working days"]);
    run.has("warning", "consultation", "content/short.md:6", &["W081", "no 采纳情况"]);
    run.has("warning", "consulted", "content/final.md:10", &["W082", "行政规范性文件", "names no consultation"]);

    // The whole chain: periods long enough, reported on, the final names its draft.
    let good = chain_site();
    let run = check(&good);
    run.ok();
    for code in ["W080", "W082", "W083"] {
        assert!(!run.stderr.contains(code), "{code} in:\n{}", run.stderr);
    }
    // Only the early draft, closed 2024-02-20 with nothing after it, lacks its 采纳情况.
    assert_eq!(run.stderr.matches("W081").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("--> content/notices/early/index.md:6"), "{}", run.stderr);
}

#[test]
fn feedback_days_is_the_sites_to_set() {
    let site = chain_site();
    // Closed 2024-02-20; at 10 000 days nothing is overdue yet.
    site.write("content/site.yaml", &format!("{SITE_YAML}feedback_days: 10000\n"));
    let run = check(&site);
    assert!(!run.stderr.contains("W081"), "{}", run.stderr);
}

#[test]
fn links_to_what_is_not_a_draft_are_warned_about() {
    let site = chain_site();
    site.write(
        "content/notices/final/index.md",
        &FINAL.replace("consulted: notices/draft", "consulted: notices/feedback"),
    );
    site.write("content/notices/feedback/index.md", &FEEDBACK.replace("notices/draft", "notices/nowhere"));
    let run = site.build();
    run.ok();
    run.has("warning", "consulted", "content/notices/final/index.md:8", &["W083", "not a consultation draft"]);
    run.has("warning", "feedback_on", "content/notices/feedback/index.md:6", &["W083", "not a page of this site"]);
}

#[test]
fn a_malformed_consultation_is_an_error_at_its_line() {
    for (block, needle) in [
        ("consultation: 2024-03-01", "block of fields"),
        ("consultation: {opens: 2024-03-01, closes: 2024-02-01, channel: x, category: 规章}", "before it opens"),
        ("consultation: {opens: 2024-03-01, closes: 2024-03-31, category: 规章}", "channel"),
        ("consultation: {opens: 2024-03-01, closes: 2024-03-31, channel: x, category: 通知}", "kind of draft"),
        ("consultation: {opens: 2024-03-01, closes: 2024-02-30, channel: x, category: 规章}", "closes"),
    ] {
        let site = Site::new();
        site.write("content/a.md", &GOOD.replace("published: 2018-09-03", &format!("published: 2018-09-03\n{block}")));
        let run = site.build();
        assert_eq!(run.code, 1, "{block}: {}", run.stderr);
        run.has("error", "consultation", "content/a.md:10", &[needle]);
    }
}

#[test]
fn drafts_leave_the_annual_reports_numbers_as_they_were() {
    let site = Site::new();
    let data = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/notices/tongyu-2023-xxgk-nianbao/report.yaml"
    ))
    .unwrap();
    site.write(
        "content/notices/nianbao/index.md",
        "---\ntitle: 通榆县人民政府办公室2023年政府信息公开工作年度报告\nissuer: 通榆县人民政府办公室\ngenre: 报告\nwritten: 2024-01-20\npublished: 2024-01-25\nannual_report: report.yaml\n---\n\n## 一、总体情况\n\n概述。\n\n## 二、主动公开政府信息情况\n",
    );
    site.write("content/notices/nianbao/report.yaml", &data);
    // A 规章 adopted in 2023: counted.
    site.write(
        "content/notices/final/index.md",
        &FINAL
            .replace("〔2024〕", "〔2023〕")
            .replace("2024-05-08", "2023-06-08")
            .replace("consulted: notices/draft\n", ""),
    );
    site.build().ok();
    let before = site.read("output/notices/nianbao/年报-2023-表二.csv");
    assert!(before.contains("规章,1,0,1\n"), "{before}");
    // Its draft and the 采纳情况, in 2023 too: the numbers do not move.
    site.write("content/notices/draft/index.md", &DRAFT.replace("2024-03", "2023-03"));
    site.write("content/notices/feedback/index.md", &FEEDBACK.replace("2024-04-15", "2023-04-15"));
    site.write(
        "content/notices/final/index.md",
        &FINAL.replace("〔2024〕", "〔2023〕").replace("2024-05-08", "2023-06-08"),
    );
    site.build().ok();
    assert_eq!(site.read("output/notices/nianbao/年报-2023-表二.csv"), before);
    assert!(site.read("output/notices/final/index.html").contains("class=\"chain\""));
}
