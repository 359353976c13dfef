//! End-to-end: the site as of a date (`build --as-of`), revisions, validity over
//! time, relations and citations in both directions.

mod common;

use common::*;

/// A plan (55号, 2018), an amendment to it (2019) that cites it, and a notice
/// (2021) that repeals it; the plan has a revised text from 2019-06-01.
fn history_site() -> Site {
    let site = Site::new();
    site.write(
        "content/plan/index.md",
        &GOOD
            .replace("正文。", "原始文本：学前教育普及率达到95%。")
            .replace("关于印发某规划的通知", "关于印发《某规划》的通知"),
    );
    site.write("content/plan/revisions/2019-06-01.md", "修订文本：学前教育普及率达到98%。\n");
    site.write(
        "content/amend.md",
        &GOOD
            .replace("通政办发〔2018〕55号", "通政办发〔2019〕7号")
            .replace("关于印发某规划的通知", "关于修改某规划的通知")
            .replace("written: 2018-09-02", "written: 2019-05-20")
            .replace("published: 2018-09-03", "published: 2019-05-21\namends: 通政办发[2018]55号")
            .replace("正文。", "根据《某规划》（通政办发〔2018〕55号）作如下修改。"),
    );
    site.write(
        "content/repeal.md",
        &GOOD
            .replace("通政办发〔2018〕55号", "通政办发〔2021〕3号")
            .replace("关于印发某规划的通知", "关于废止某规划的通知")
            .replace("written: 2018-09-02", "written: 2021-02-26")
            .replace(
                "published: 2018-09-03",
                "published: 2021-03-01\neffective: 2021-04-01\nrepeals: [通政办发〔2018〕55号]",
            ),
    );
    site
}

fn build_as_of(site: &Site, date: &str, out: &str) -> Run {
    site.run(&["build", "--as-of", date, "--out", site.path(out).to_str().unwrap()])
}

fn entry<'a>(cat: &'a serde_json::Value, slug: &str) -> Option<&'a serde_json::Value> {
    cat["notices"].as_array().unwrap().iter().find(|n| n["path"] == format!("{slug}/"))
}

fn catalogue(site: &Site, out: &str) -> serde_json::Value {
    common::merged_catalogue(&site.path(out))
}

#[test]
fn as_of_includes_only_notices_published_by_then() {
    let site = history_site();
    build_as_of(&site, "2018-12-31", "o2018").ok();
    let cat = catalogue(&site, "o2018");
    assert_eq!(cat["as_of"], "2018-12-31");
    assert_eq!(cat["count"], 1);
    assert!(entry(&cat, "plan").is_some() && entry(&cat, "amend").is_none());
    assert!(!site.path("o2018/amend/index.html").exists());
    assert!(!site.read("o2018/feed.xml").contains("关于修改某规划的通知"));
    // Every page says which date it shows: the note's date comes from one small
    // stylesheet (assets/as-of.css) every page links, so that a page nobody changed
    // is the same file in the next snapshot.
    let note = "显示截至 <span class=\"as-of-date\"></span>";
    for (page, root) in [("o2018/index.html", ""), ("o2018/plan/index.html", "../"), ("o2018/years/index.html", "../")]
    {
        let html = site.read(page);
        assert!(html.contains(note), "{page}");
        assert!(html.contains(&format!("<link rel=\"stylesheet\" href=\"{root}assets/as-of.css\">")), "{page}");
    }
    assert_eq!(site.read("o2018/assets/as-of.css"), ".as-of-date::before{content:\"2018-12-31\"}\n");
    build_as_of(&site, "2019-12-31", "o2019").ok();
    assert_eq!(catalogue(&site, "o2019")["count"], 2);
    assert!(site.read("o2019/assets/as-of.css").contains("2019-12-31"));
    // A site not shown as of a date has neither the note nor the stylesheet.
    site.build().ok();
    assert!(!site.read("output/index.html").contains("as-of") && !site.path("output/assets/as-of.css").exists());
}

#[test]
fn the_text_in_force_follows_the_revisions() {
    let site = history_site();
    build_as_of(&site, "2019-05-31", "before").ok();
    let page = site.read("before/plan/index.html");
    assert!(page.contains("原始文本") && !page.contains("修订文本"));
    build_as_of(&site, "2019-06-01", "after").ok();
    let page = site.read("after/plan/index.html");
    assert!(page.contains("修订文本") && !page.contains("原始文本"));
    assert!(page.contains("正文为自 2019-06-01 起施行的修订文本"));
    // The history lists the original and the revision, each with a page.
    assert!(page.contains("href=\"../plan/revisions/original/index.html\""), "{page}");
    assert!(page.contains("href=\"../plan/revisions/2019-06-01/index.html\""));
    assert!(site.read("after/plan/revisions/original/index.html").contains("原始文本"));
    assert!(site.read("after/plan/revisions/2019-06-01/index.html").contains("此为自 2019-06-01 起施行的修订文本"));
    let cat = catalogue(&site, "after");
    assert_eq!(entry(&cat, "plan").unwrap()["lifecycle"]["revision_in_force"], "2019-06-01");
    // A revision file is not an attachment.
    assert_eq!(entry(&cat, "plan").unwrap()["attachments"], serde_json::json!([]));
}

#[test]
fn a_repealed_notice_before_and_after_its_repeal_takes_effect() {
    let site = history_site();
    // Published 2021-03-01 but effective 2021-04-01.
    build_as_of(&site, "2021-03-15", "mid").ok();
    let cat = catalogue(&site, "mid");
    assert_eq!(entry(&cat, "plan").unwrap()["validity"], serde_json::Value::Null, "not stated, not yet repealed");
    build_as_of(&site, "2021-04-01", "late").ok();
    let cat = catalogue(&site, "late");
    let plan = entry(&cat, "plan").unwrap();
    assert_eq!(plan["validity"], "废止");
    assert_eq!(plan["lifecycle"]["validity_decided_by"]["relation"], "repeals");
    let page = site.read("late/plan/index.html");
    assert!(page.contains("<th scope=\"row\">有效性</th><td>废止</td>"), "metadata table shows the validity then");
    assert!(page.contains("本文件被废止") && page.contains("href=\"../repeal/index.html\""));
}

#[test]
fn validity_changes_and_expiry_over_time() {
    let site = Site::new();
    site.write(
        "content/a.md",
        &GOOD.replace(
            "published: 2018-09-03",
            "published: 2018-09-03\nvalidity: 有效\nexpires: 2020-12-31\nvalidity_changes:\n  - {date: 2019-07-01, validity: 废止}",
        ),
    );
    build_as_of(&site, "2019-06-30", "a").ok();
    assert_eq!(entry(&catalogue(&site, "a"), "a").unwrap()["validity"], "有效");
    build_as_of(&site, "2019-07-01", "b").ok();
    assert_eq!(entry(&catalogue(&site, "b"), "a").unwrap()["validity"], "废止");
    let site = Site::new();
    site.write(
        "content/a.md",
        &GOOD.replace("published: 2018-09-03", "published: 2018-09-03\nvalidity: 有效\nexpires: 2020-12-31"),
    );
    build_as_of(&site, "2020-12-31", "c").ok();
    assert_eq!(entry(&catalogue(&site, "c"), "a").unwrap()["validity"], "有效");
    build_as_of(&site, "2021-01-01", "d").ok();
    assert_eq!(entry(&catalogue(&site, "d"), "a").unwrap()["validity"], "失效");
}

#[test]
fn relations_and_citations_link_both_ways() {
    let site = history_site();
    build_as_of(&site, "2021-12-31", "o").ok();
    let amend = site.read("o/amend/index.html");
    // The citation in the text becomes a link; the relation is listed.
    assert!(
        amend.contains("（<a class=\"citation\" href=\"../plan/index.html\">通政办发〔2018〕55号</a>）"),
        "{amend}"
    );
    assert!(
        amend.contains("《<a class=\"citation\" href=\"../plan/index.html\">某规划</a>》"),
        "title citation linked: {amend}"
    );
    assert!(amend.contains("本文件修改") && amend.contains("href=\"../plan/index.html\""));
    let plan = site.read("o/plan/index.html");
    assert!(plan.contains("本文件被修改") && plan.contains("href=\"../amend/index.html\""), "amended by");
    assert!(plan.contains("被以下文件引用") && plan.contains("关于修改某规划的通知"), "cited by");
    // The plan's title embeds 《某规划》, so the title citation resolves to it too.
    let cat = catalogue(&site, "o");
    let cites = &entry(&cat, "amend").unwrap()["lifecycle"]["cites"];
    assert_eq!(cites.as_array().unwrap().len(), 2, "{cites}");
    // On the page the cited notice is listed once, though cited twice.
    let listed = amend.split("引用文件").nth(1).unwrap_or("").split("</dd>").next().unwrap_or("");
    assert_eq!(listed.matches("href=\"../plan/index.html\"").count(), 1, "{listed}");
    let cat = catalogue(&site, "o");
    let plan = entry(&cat, "plan").unwrap();
    assert_eq!(plan["lifecycle"]["cited_by"], serde_json::json!(["https://gongkai.internal/sub/amend/"]));
    let rel: Vec<&str> =
        plan["lifecycle"]["related_by"].as_array().unwrap().iter().map(|r| r["relation"].as_str().unwrap()).collect();
    // Listed in site order: newest first.
    assert_eq!(rel, vec!["repeals", "amends"]);
    assert_eq!(entry(&cat, "amend").unwrap()["lifecycle"]["relations"][0]["url"], "https://gongkai.internal/sub/plan/");
}

#[test]
fn reported_data_follows_the_as_of_date() {
    let site = Site::new();
    site.write("content/p/index.md", &GOOD.replace("---\n\n", "data: [progress.yaml]\n---\n\n"));
    site.write(
        "content/p/progress.yaml",
        "indicators:\n  - id: r\n    name: 普及率\n    unit: \"%\"\n    baseline: {period: \"2017\", value: 80}\n    targets:\n      - {period: \"2020\", comparator: \"≥\", value: 95}\n    actuals:\n      - {period: \"2018\", value: 85, reported: 2019-01-15}\n      - {period: \"2019\", value: 96, reported: 2020-01-15}\n",
    );
    build_as_of(&site, "2019-06-30", "a").ok();
    let cat = catalogue(&site, "a");
    let ind = &entry(&cat, "p").unwrap()["progress"]["indicators"][0];
    assert_eq!(ind["latest"]["value"], 85.0);
    // The catalogue states the day it assesses by once, in the entry.
    assert_eq!(cat["progress"]["reference_date"], "2019-06-30");
    assert!(ind["targets"][0]["assessment"].get("reference_date").is_none(), "{ind}");
    // The page names the date it assesses by: as of a date, through the date's
    // stylesheet (as the snapshot note does), else written out.
    let dated = "按 <span class=\"as-of-date\"></span> 的已报告数据评估";
    assert!(site.read("a/p/index.html").contains(dated));
    assert!(site.read("a/progress/index.html").contains(dated));
    // 1700000000: 2023-11-14 22:13 UTC, 2023-11-15 in China.
    site.build_at("1700000000").ok();
    assert!(site.read("output/p/index.html").contains("按 2023-11-15 的已报告数据评估"));
    build_as_of(&site, "2020-06-30", "b").ok();
    let cat = catalogue(&site, "b");
    assert_eq!(entry(&cat, "p").unwrap()["progress"]["indicators"][0]["status"], "achieved");
}

#[test]
fn as_of_builds_are_byte_identical() {
    let site = history_site();
    build_as_of(&site, "2019-12-31", "x").ok();
    build_as_of(&site, "2019-12-31", "y").ok();
    let (a, b) = (site.snapshot("x"), site.snapshot("y"));
    assert!(a.len() > 10);
    assert!(a == b, "two builds of the same date differ");
}

/// Citations are found in every bracket form a document number is typed in, and
/// the link covers the number only, not the words before it (又见…).
#[test]
fn citations_in_every_bracket_form_link_the_number_only() {
    let site = history_site();
    site.write(
        "content/see.md",
        &GOOD
            .replace("通政办发〔2018〕55号", "通政办发〔2022〕1号")
            .replace("关于印发某规划的通知", "关于参照执行的通知")
            .replace("written: 2018-09-02", "written: 2022-01-04")
            .replace("published: 2018-09-03", "published: 2022-01-05")
            .replace("正文。", "参照通政办发【2019】7号执行；又见通政办发〔2021〕3号。"),
    );
    site.build().ok();
    let page = site.read("output/see/index.html");
    assert!(
        page.contains("参照<a class=\"citation\" href=\"../amend/index.html\">通政办发【2019】7号</a>执行"),
        "【】 is a bracket of document numbers too:\n{page}"
    );
    assert!(
        page.contains("又见<a class=\"citation\" href=\"../repeal/index.html\">通政办发〔2021〕3号</a>"),
        "the link starts at the cited number's code:\n{page}"
    );
    let cat = catalogue(&site, "output");
    let cites: Vec<&str> = entry(&cat, "see").unwrap()["lifecycle"]["cites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(cites, ["通政办发【2019】7号", "通政办发〔2021〕3号"]);
}

/// A text cites only documents written by the day it took effect: a 2016 notice
/// that names 通政办发〔2019〕7号 names another document than the site's of that
/// number (written in 2019), until a revision of 2020 cites it.
#[test]
fn a_citation_names_only_a_document_written_before_the_text() {
    let site = history_site();
    site.write(
        "content/old/index.md",
        &GOOD
            .replace("通政办发〔2018〕55号", "通政办发〔2016〕9号")
            .replace("关于印发某规划的通知", "关于早年工作的通知")
            .replace("written: 2018-09-02", "written: 2016-03-01")
            .replace("published: 2018-09-03", "published: 2016-03-02")
            .replace("正文。", "依据通政办发〔2019〕7号执行。"),
    );
    site.write("content/old/revisions/2020-02-01.md", "修订：依据通政办发〔2019〕7号执行。\n");
    site.run(&["build", "--as-of", "2019-12-31", "--out", site.path("o2019").to_str().unwrap()]).ok();
    site.run(&["build", "--as-of", "2020-12-31", "--out", site.path("o2020").to_str().unwrap()]).ok();
    let cites = |out: &str| entry(&catalogue(&site, out), "old").unwrap()["lifecycle"]["cites"].clone();
    assert_eq!(cites("o2019"), serde_json::json!([]), "the 2016 text does not cite a 2019 document");
    assert!(!site.read("o2019/old/index.html").contains("class=\"citation\""));
    assert_eq!(cites("o2020")[0]["url"], "https://gongkai.internal/sub/amend/", "the 2020 revision does");
    assert!(
        site.read("o2020/old/index.html")
            .contains("<a class=\"citation\" href=\"../amend/index.html\">通政办发〔2019〕7号</a>")
    ); // `check` says why the 2016 text's citation is not linked, and where.
    let check = site.run(&["check"]);
    let said = format!("{}{}", check.stdout, check.stderr);
    assert!(said.contains("was issued on 2019-05-20, after this one: it is not linked"), "{said}");
    assert!(said.contains("old/index.md"), "{said}");
}

/// A notice with `number`, published on `date`, with `extra` front matter.
fn dated(site: &Site, name: &str, number: &str, date: &str, extra: &str) {
    site.write(
        &format!("content/{name}.md"),
        &GOOD
            .replace("通政办发〔2018〕55号", number)
            .replace("关于印发某规划的通知", &format!("关于{name}的通知"))
            .replace("written: 2018-09-02\n", "")
            .replace("published: 2018-09-03", &format!("published: {date}{extra}")),
    );
}

#[test]
fn relations_that_cannot_be_true_are_errors_naming_both_files() {
    // A replaces B and B replaces A: both would read 失效, nothing in force.
    let site = Site::new();
    dated(&site, "a", "通政办发〔2019〕1号", "2019-01-01", "\nsupersedes: 通政办发〔2019〕2号");
    dated(&site, "b", "通政办发〔2019〕2号", "2019-01-01", "\nsupersedes: 通政办发〔2019〕1号");
    let run = site.build();
    run.has(
        "error",
        "supersedes",
        "content/a.md:9",
        &[
            "relations go round in a circle",
            "content/a.md:9 supersedes content/b.md",
            "content/b.md:9 supersedes content/a.md",
        ],
    );
    assert!(!site.path("output").exists(), "nothing published");

    // A longer circle, through amends and repeals.
    let site = Site::new();
    dated(&site, "a", "通政办发〔2019〕1号", "2019-01-01", "\namends: 通政办发〔2019〕2号");
    dated(&site, "b", "通政办发〔2019〕2号", "2019-01-01", "\nrepeals: 通政办发〔2019〕3号");
    dated(&site, "c", "通政办发〔2019〕3号", "2019-01-01", "\namends: 通政办发〔2019〕1号");
    site.build().has(
        "error",
        "amends",
        "content/a.md:9",
        &["circle", "content/b.md:9 repeals content/c.md", "content/c.md:9 amends content/a.md"],
    );

    // Repealing itself.
    let site = Site::new();
    dated(&site, "a", "通政办发〔2019〕1号", "2019-01-01", "\nrepeals: 通政办发[2019]1号");
    site.build().has("error", "repeals", "content/a.md:9", &["repeals itself", "its own 发文字号"]);

    // An older notice replacing a newer one: an error, unless its `effective` date
    // makes it coherent.
    let site = Site::new();
    dated(&site, "old", "通政办发〔2018〕1号", "2018-01-01", "\nsupersedes: 通政办发〔2019〕9号");
    dated(&site, "new", "通政办发〔2019〕9号", "2019-06-01", "");
    site.build().has(
        "error",
        "supersedes",
        "content/old.md:9",
        &["supersedes one published after it", "content/new.md", "2019-06-01"],
    );
    dated(
        &site,
        "old",
        "通政办发〔2018〕1号",
        "2018-01-01",
        "\neffective: 2019-07-01\nsupersedes: 通政办发〔2019〕9号",
    );
    site.build().ok();
}

/// Revisions whose dates cannot be right: before the notice was written (its
/// original text would never be in force) is an error at the revision file; two
/// files for one date are an error naming both files; one taking effect after the
/// notice was repealed is a warning.
#[test]
fn revision_dates_that_cannot_be_right() {
    let site = history_site();
    site.write("content/plan/revisions/2018-01-01.md", "早于成文日期的修订。\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[E025]: revision takes effect on 2018-01-01, before the notice was issued on 2018-09-02")
            && run.stderr.contains("--> content/plan/revisions/2018-01-01.md"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(site.path("content/plan/revisions/2018-01-01.md")).unwrap();
    site.write("content/plan/revisions/2019-6-1.md", "同日的另一修订。\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("two revisions take effect on 2019-06-01"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/plan/revisions/2019-06-01.md and content/plan/revisions/2019-6-1.md"),
        "both files named:\n{}",
        run.stderr
    );
    std::fs::remove_file(site.path("content/plan/revisions/2019-6-1.md")).unwrap();
    // Repealed from 2021-04-01 by repeal.md: a revision of 2022 is never in force.
    site.write("content/plan/revisions/2022-01-01.md", "废止后的修订。\n");
    let run = site.build();
    run.ok();
    assert!(
        run.stderr.contains("warning[W025]: revision takes effect on 2022-01-01, after the notice was repealed")
            && run.stderr.contains("content/repeal.md repeals it from 2021-04-01"),
        "{}",
        run.stderr
    );
}

/// A 登记号 registers a 行政规范性文件: without the category it would be left out of
/// the annual report without a word; two documents with one 登记号 are an error
/// at the newer one, naming both.
#[test]
fn registration_numbers_need_their_category_and_are_unique() {
    let site = Site::new();
    dated(&site, "a", "通政办发〔2020〕1号", "2020-01-02", "\nregistration: TYDR-2020-001");
    let run = site.build();
    assert_eq!(run.code, 1);
    run.has("error", "registration", "content/a.md", &["a 登记号 without the category", "category: 行政规范性文件"]);
    assert!(run.stderr.contains("error[E033]"), "{}", run.stderr);
    dated(&site, "a", "通政办发〔2020〕1号", "2020-01-02", "\ncategory: 行政规范性文件\nregistration: TYDR-2020-001");
    site.build().ok();
    std::thread::sleep(std::time::Duration::from_millis(20));
    dated(&site, "b", "通政办发〔2020〕2号", "2020-02-02", "\ncategory: 行政规范性文件\nregistration: TYDR-2020-001");
    let run = site.build();
    assert_eq!(run.code, 1);
    run.has("error", "registration", "content/b.md", &["duplicate 登记号 TYDR-2020-001", "content/a.md:"]);
}
