//! End-to-end: the search index `gongkai build` writes, queried by the real
//! `assets/search.js` under node (tests/search/node.mjs) and in Debian's Chromium
//! driven by playwright-core (tests/search/browser.mjs).
//!
//! node is on every machine; without it, or without Chromium and playwright-core
//! (`npm ci --prefix tests/search`), these tests are skipped, except on CI (CI
//! set), where `.ci/run` installs them and a missing tool is a failure.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::Path;

use gongkai::search::normalise::normalise;
use serde_json::{Value, json};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run queries through search.js under node; one answer per request.
fn node_search(out: &Path, requests: &[Value]) -> Vec<Value> {
    match run_node_script("node.mjs", out, &json!(requests)) {
        Value::Array(a) => a,
        other => panic!("not a list: {other}"),
    }
}

/// Everything: no page limit, no cap on the texts fetched.
fn all() -> Value {
    json!({"limit": 100000, "budget": 1e9})
}

fn urls(answer: &Value) -> Vec<String> {
    assert!(answer.get("error").is_none(), "search failed: {answer}");
    answer["results"].as_array().unwrap().iter().map(|r| r["url"].as_str().unwrap().to_owned()).collect()
}

fn notice(title: &str, number: Option<&str>, issuer: &str, genre: &str, date: &str, extra: &str, body: &str) -> String {
    let number = number.map(|n| format!("doc_number: {n}\n")).unwrap_or_default();
    format!(
        "---\ntitle: {title}\n{number}issuer: {issuer}\ngenre: {genre}\nform: 方案\ntopics: [科技、教育\\教育]\npublished: {date}\n{extra}---\n\n{body}\n"
    )
}

/// Four notices written to exercise each rule; `output/` built.
fn search_site() -> Site {
    let site = Site::new();
    site.write(
        "content/notices/a.md",
        &notice(
            "关于印发通榆县推进义务教育优质均衡发展方案的通知",
            Some("通政办发〔2018〕55号"),
            "通榆县人民政府办公室",
            "通知",
            "2018-09-03",
            "validity: 有效\n",
            "各有关部门：\n\n到2020年，学前教育毛入园率达到98%以上，做好控辍保学。\n\n推进 Wi-Fi 校园建设。",
        ),
    );
    site.write(
        "content/notices/b.md",
        &notice(
            "關於學前教育的意見",
            Some("通政办发〔2018〕155号"),
            "甲局",
            "意见",
            "2019-03-01",
            "",
            "推動義務教育均衡發展，ＧＤＰ增長。",
        ),
    );
    site.write(
        "content/notices/c.md",
        &notice(
            "关于做好控辍保学工作的通知",
            Some("甲发〔2017〕3号"),
            "甲局",
            "通知",
            "2017-05-05",
            "validity: 失效\n",
            "义务 教育阶段，“一个都不能少”。",
        ),
    );
    site.write("content/notices/d.md", &notice("年度工作要点", None, "甲局", "通知", "2016-01-04", "", "教育工作。"));
    site.build().ok();
    site
}

const A: &str = "notices/a/index.html";
const B: &str = "notices/b/index.html";
const C: &str = "notices/c/index.html";
const D: &str = "notices/d/index.html";

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn finds_exactly_the_notices_that_contain_the_query() {
    if !node_available() {
        return;
    }
    let site = search_site();
    let cases: &[(&str, &[&str])] = &[
        // Substrings at any position, across word boundaries.
        ("义务教育", &[A, B, C]),
        ("务教", &[A, B, C]),
        ("育均衡发", &[B]),
        ("育", &[A, B, C, D]),
        // Traditional and Simplified find each other.
        ("義務教育", &[A, B, C]),
        ("学前教育", &[A, B]),
        ("關於學前", &[B]),
        // Whitespace and punctuation ignored, width and case folded.
        ("一个都不能少", &[C]),
        ("“一个 都不能少”", &[C]),
        ("wifi", &[A]),
        ("WI-FI", &[A]),
        ("gdp", &[B]),
        ("９８％", &[A]),
        // Document numbers as people type them.
        ("通政办发〔2018〕55号", &[A]),
        ("通政办发[2018]55号", &[A]),
        ("通政办发（2018）55号", &[A]),
        ("〔2018〕55号", &[A]),
        ("2018 55号", &[A, B]),
        ("55号", &[A, B]),
        ("通政办发2018 55", &[A, B]),
        ("甲发〔2017〕3号", &[C]),
        // Every term must occur.
        ("学前 98", &[A]),
        ("控辍保学 一个都不能少", &[C]),
        ("控辍保学 不存在", &[]),
        // Many terms: the long one is looked up by fewer grams, the text still decides.
        ("推动义务教育均衡发展ＧＤＰ增长 关 于 学 前 教 育 的 意 见 甲 局", &[B]),
        ("义 务 教 育 均 衡 发 展 g d p 增", &[B]),
        // Nothing found; a match never joins the title to the body.
        ("不存在的短语", &[]),
        ("通知各有关部门", &[]),
        // The issuer and the index fields are searched too.
        ("甲局", &[B, C, D]),
    ];
    let requests: Vec<Value> = cases.iter().map(|(q, _)| json!({"query": q, "options": all()})).collect();
    let answers = node_search(&site.path("output"), &requests);
    for ((query, expected), answer) in cases.iter().zip(&answers) {
        let got: BTreeSet<String> = urls(answer).into_iter().collect();
        assert_eq!(got, set(expected), "query {query:?}");
        assert_eq!(answer["total"], expected.len(), "query {query:?}: total");
        assert_eq!(answer["exact"], true, "query {query:?}: every candidate checked");
    }
}

#[test]
fn ranks_title_and_number_hits_first_then_newest_and_marks_the_hits() {
    if !node_available() {
        return;
    }
    let site = search_site();
    let answers = node_search(
        &site.path("output"),
        &[
            json!({"query": "控辍保学", "options": all()}),
            json!({"query": "教育", "options": all()}),
            json!({"query": "通政办发2018 55", "options": all()}),
            json!({"query": "义务教育", "options": all()}),
            json!({"query": "教育", "options": {"limit": 2}}),
            json!({"query": "教育", "options": {"offset": 2, "limit": 2}}),
        ],
    );
    // C has it in the title, A (newer) only in the text.
    assert_eq!(urls(&answers[0]), [C, A]);
    // Title hits (A, B) first, newest first; then the rest, newest first.
    assert_eq!(urls(&answers[1]), [B, A, C, D]);
    // The whole number in one piece outranks its parts (B: 通政办发〔2018〕155号).
    assert_eq!(urls(&answers[2]), [A, B]);
    // Pages of a result list join up.
    assert_eq!([urls(&answers[4]), urls(&answers[5])].concat(), urls(&answers[1]));

    let results = answers[3]["results"].as_array().unwrap();
    let of = |url: &str| results.iter().find(|r| r["url"] == url).unwrap();
    assert_eq!(of(A)["title"], "关于印发通榆县推进义务教育优质均衡发展方案的通知");
    assert_eq!(of(A)["doc_number"], "通政办发〔2018〕55号");
    assert_eq!(of(A)["date"], "2018-09-03");
    assert!(of(A)["title_html"].as_str().unwrap().contains("推进<mark>义务教育</mark>优质"));
    // The snippet shows the text as written, the hit marked in its own script and spacing.
    assert_eq!(of(B)["snippet"], "推動<mark>義務教育</mark>均衡發展，ＧＤＰ增長。");
    assert_eq!(of(C)["snippet"], "<mark>义务 教育</mark>阶段，“一个都不能少”。");
}

#[test]
fn filters_narrow_the_results() {
    if !node_available() {
        return;
    }
    let site = search_site();
    let q = |query: &str, filters: Value| json!({"query": query, "filters": filters, "options": all()});
    let cases = [
        (q("教育", json!({"issuer": "甲局"})), vec![B, C, D]),
        (q("教育", json!({"year": "2018"})), vec![A]),
        (q("教育", json!({"year": ["2018", "2019"]})), vec![B, A]),
        (q("教育", json!({"genre": "意见"})), vec![B]),
        (q("教育", json!({"topic": "科技、教育\\教育"})), vec![B, A, C, D]),
        (q("教育", json!({"validity": "失效"})), vec![C]),
        (q("教育", json!({"issuer": "甲局", "validity": "有效"})), vec![]),
        (q("教育", json!({"issuer": "没有这个机关"})), vec![]),
        // Filters alone list every notice that has them, newest first.
        (q("", json!({"issuer": "甲局"})), vec![B, C, D]),
        (q("", json!({})), vec![]),
    ];
    let requests: Vec<Value> = cases.iter().map(|(r, _)| r.clone()).collect();
    let answers = node_search(&site.path("output"), &requests);
    for ((request, expected), answer) in cases.iter().zip(&answers) {
        assert_eq!(urls(answer), *expected, "{request}");
    }
    let bad = node_search(&site.path("output"), &[q("教育", json!({"colour": "red"}))]);
    assert!(bad[0]["error"].as_str().unwrap().contains("colour"), "{}", bad[0]);
}

/// Random substrings of the example notices (three real notices, one in
/// Traditional script) at arbitrary positions and lengths, and the same strings
/// folded to Simplified: the result must be exactly the notices whose text
/// contains them, as the Rust folding decides.
#[test]
fn random_substrings_find_exactly_the_notices_containing_them() {
    random_substrings_are_found_exactly(None);
}

/// The same with the example as of 2024-03-31: an index of two parts (the notices
/// before 2024 settled, the 2024 notice and the pages in the first quarter's part).
#[test]
fn random_substrings_are_found_exactly_in_an_index_of_several_parts() {
    random_substrings_are_found_exactly(Some("2024-03-31"));
}

fn random_substrings_are_found_exactly(as_of: Option<&str>) {
    if !node_available() {
        return;
    }
    let site = Site::example();
    let out = site.path("o");
    let mut args = vec!["build", "--out", out.to_str().unwrap()];
    args.extend(as_of.iter().flat_map(|d| ["--as-of", d]));
    site.run(&args).ok();
    if as_of.is_some() {
        let meta: Value = serde_json::from_str(&site.read("o/search/index.json")).unwrap();
        assert!(meta["parts"].as_array().unwrap().len() >= 2, "{meta}");
    }
    // What each notice and standing page says, from the library: the oracle for
    // what search must find.
    let date = as_of.map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    let (model, _, _) = gongkai::pipeline::site(site.root(), None, date, &gongkai::progress_bar::Stages::hidden())
        .unwrap_or_else(|_| panic!("the site loads"));
    let docs: Vec<Value> = model
        .notices
        .iter()
        .map(|n| {
            json!({
                "url": n.url.href(), "title": n.title, "number": n.doc_number.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
                "index": n.index_number.clone().unwrap_or_default(), "issuers": n.issuers,
                "body": &*n.text_as_of(model.reference_date).0.plain.get(),
            })
        })
        // Standing pages are searched by title and text.
        .chain(model.pages.iter().map(|p| {
            json!({"url": p.url.href(), "title": p.title, "number": "", "index": "", "issuers": [], "body": &*p.text.plain.get()})
        }))
        .collect();
    let segments = |d: &Value| -> Vec<Vec<char>> {
        let s = |k: &str| d[k].as_str().unwrap().to_owned();
        let mut v = vec![s("title"), s("number"), s("number").replace('第', ""), s("index"), s("body")];
        v.extend(d["issuers"].as_array().unwrap().iter().map(|i| i.as_str().unwrap().to_owned()));
        v.iter().map(|t| normalise(t)).collect()
    };
    let contains = |hay: &[char], needle: &[char]| hay.windows(needle.len()).any(|w| w == needle);
    let expected = |query: &str| -> BTreeSet<String> {
        let terms: Vec<Vec<char>> = query.split(char::is_whitespace).map(normalise).filter(|t| !t.is_empty()).collect();
        docs.iter()
            .filter(|d| terms.iter().all(|t| segments(d).iter().any(|s| contains(s, t))))
            .map(|d| d["url"].as_str().unwrap().to_owned())
            .collect()
    };

    // A fixed linear congruential sequence: the same queries on every run.
    let mut state: u64 = 2018;
    let mut next = |n: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut queries = Vec::new();
    while queries.len() < 120 {
        let d = &docs[next(docs.len())];
        let text: Vec<char> = d["body"].as_str().unwrap().chars().collect();
        let start = next(text.len());
        let len = 1 + next(12);
        let q: String = text[start..(start + len).min(text.len())].iter().collect();
        if normalise(&q).is_empty() {
            continue;
        }
        queries.push(q.clone());
        queries.push(normalise(&q).into_iter().collect());
    }
    let requests: Vec<Value> = queries.iter().map(|q| json!({"query": q, "options": all()})).collect();
    let answers = node_search(&out, &requests);
    let mut cross_script = 0;
    for (q, a) in queries.iter().zip(&answers) {
        let want = expected(q);
        assert!(!want.is_empty(), "{q:?} was cut from a notice");
        assert_eq!(urls(a).into_iter().collect::<BTreeSet<_>>(), want, "query {q:?}");
        cross_script += usize::from(normalise(q).iter().collect::<String>() != q.replace(char::is_whitespace, ""));
    }
    assert!(cross_script > 10, "the sample includes Traditional and punctuated queries ({cross_script})");
}

/// search.js and the index fold every character of the Basic Multilingual Plane
/// the same way. (The Traditional → Simplified table an index carries holds the
/// pairs whose Simplified character the site has: here, every one.)
#[test]
fn browser_and_index_fold_every_character_alike() {
    if !node_available() {
        return;
    }
    let site = Site::new();
    let simplified: String = gongkai::search::normalise::t2s_table(|_| true).chars().skip(1).step_by(2).collect();
    site.write("content/notices/a.md", &GOOD.replace("正文。", &format!("正文：{simplified}")));
    site.build().ok();
    // Each character after a space, which search ignores: composition (NFC, the
    // first step of both) then meets one character at a time, and the comparison
    // is of the folding, not of two Unicode versions' ordering of combining marks.
    let all: String = (0x20u32..0x10000).filter_map(char::from_u32).flat_map(|c| [' ', c]).collect();
    let answers = node_search(&site.path("output"), &[json!({"normalise": all})]);
    let js: Vec<char> = answers[0]["normalised"].as_str().unwrap().chars().collect();
    let rust = normalise(&all);
    let first_difference = js.iter().zip(&rust).position(|(a, b)| a != b);
    assert_eq!((js.len(), first_difference), (rust.len(), None), "search.js folds differently from the index");
}

#[test]
fn standing_pages_are_found_but_filters_hold_only_notices() {
    if !node_available() {
        return;
    }
    let site = Site::example();
    site.build().ok();
    let guide = "pages/xxgk-zhinan/index.html";
    let answers = node_search(
        &site.path("output"),
        &[
            json!({"query": "公开指南", "options": all()}),
            json!({"query": "20 个工作日内予以答复", "options": all()}),
            json!({"query": "教育", "options": all()}),
            json!({"query": "公开指南", "filters": {"year": "2018"}, "options": all()}),
        ],
    );
    assert_eq!(urls(&answers[0]), [guide], "title and text");
    assert_eq!(urls(&answers[1]), [guide], "a sentence of the text");
    assert!(!urls(&answers[2]).contains(&guide.to_owned()), "a query it does not contain");
    assert!(urls(&answers[3]).is_empty(), "a filter leaves standing pages out");
}

#[test]
fn index_follows_as_of_and_is_deterministic() {
    if !node_available() {
        return;
    }
    let site = search_site();
    let dated = site.path("o2018");
    site.run(&["build", "--as-of", "2018-12-31", "--out", dated.to_str().unwrap()]).ok();
    let meta: Value = serde_json::from_str(&site.read("o2018/search/index.json")).unwrap();
    assert_eq!(meta["docs"], 3, "B (2019) is not published yet");
    assert_eq!(meta["as_of"], "2018-12-31");
    let answers = node_search(&dated, &[json!({"query": "义务教育", "options": all()})]);
    assert_eq!(urls(&answers[0]), [A, C]);

    let again = site.path("o2018b");
    site.run(&["build", "--as-of", "2018-12-31", "--out", again.to_str().unwrap()]).ok();
    let (one, two) = (snapshot(&dated.join("search")), snapshot(&again.join("search")));
    assert!(one.len() >= 8, "{:?}", one.keys());
    assert!(one == two, "two builds of the same content wrote different search files");
}

#[test]
fn search_page_works_in_chromium() {
    if !node_available() {
        return;
    }
    if !browser_available() {
        return;
    }
    let site = search_site();
    let requests = json!({
        "api": [
            {"query": "義務教育", "options": all()},
            {"query": "〔2018〕55号", "options": all()},
            {"query": "55号", "options": all()},
            {"query": "学前 98", "options": all()},
            {"query": "育均衡发"},
            {"query": "教育", "filters": {"issuer": "甲局"}, "options": all()},
        ],
        "page": ["义务教育", "通政办发[2018]55号", "不存在的短语"],
        "broken": "教育",
        "nojs": true,
    });
    let answer = run_node_script("browser.mjs", &site.path("output"), &requests);
    let api: Vec<Vec<String>> = answer["api"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["urls"].as_array().unwrap().iter().map(|u| u.as_str().unwrap().to_owned()).collect())
        .collect();
    assert_eq!(api, vec![vec![A, B, C], vec![A], vec![B, A], vec![A], vec![B], vec![B, C, D]]);

    let page = &answer["page"];
    assert_eq!(page[0]["urls"], json!([A, B, C]), "{page}");
    assert_eq!(page[0]["status"], "找到文件共 3 件，已显示 3 件。");
    assert!(page[0]["marks"].as_array().unwrap().contains(&json!("義務教育")), "{page}");
    assert!(page[0]["location"].as_str().unwrap().starts_with("?q="), "the query is in the address, to share");
    assert_eq!(page[1]["urls"], json!([A]));
    assert!(page[2]["status"].as_str().unwrap().contains("没有找到"), "{page}");
    assert_eq!(answer["foreign"], json!([]), "no request leaves the site");

    let broken = answer["broken"].as_str().unwrap();
    assert!(broken.contains("HTTP 500") && broken.contains("按分类浏览"), "{broken}");
    assert!(!broken.contains("本地文件"), "served over HTTP, the file:// advice would mislead: {broken}");

    let nojs = &answer["nojs"];
    assert_eq!(nojs["visible"], true);
    assert!(nojs["text"].as_str().unwrap().contains("需要启用 JavaScript"), "{nojs}");
    assert!(nojs["links"].as_array().unwrap().contains(&json!("../years/index.html")), "{nojs}");
}

#[test]
fn search_script_stays_small_and_self_contained() {
    let script = std::fs::read_to_string(repo().join("themes/default/static/search.js")).unwrap();
    // It was 20 KB with one set of index files; reading the index in parts took 2 KB more.
    assert!(script.len() < 23 * 1024, "search.js is {} bytes", script.len());
    for external in ["http://", "https://", "import ", "require("] {
        assert!(!script.contains(external), "search.js contains {external:?}");
    }
}

#[test]
fn past_parts_stay_the_same_and_search_reads_the_text_in_force() {
    if !node_available() {
        return;
    }
    let site = search_site();
    // Published in 2018 and revised in 2019: in a 2019 index its 2018 text is in the
    // settled part, and the text in force in the part of the revision's quarter.
    site.write(
        "content/notices/e/index.md",
        &notice("关于普及率的通知", None, "甲局", "通知", "2018-02-01", "", "原始文本：普及率达到95%。"),
    );
    site.write("content/notices/e/revisions/2019-06-01.md", "修订文本：普及率达到98%。\n");
    let (march, december) = (site.path("o201903"), site.path("o201912"));
    site.run(&["build", "--as-of", "2019-03-31", "--out", march.to_str().unwrap()]).ok();
    site.run(&["build", "--as-of", "2019-12-31", "--out", december.to_str().unwrap()]).ok();

    let meta: Value = serde_json::from_str(&site.read("o201912/search/index.json")).unwrap();
    let parts: Vec<(&str, u64)> = meta["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["docs"].as_u64().unwrap()))
        .collect();
    // Settled: A, C, D, E (as of 2018); the first quarter: B; the second: E, revised
    // on 1 June. The third and fourth quarters changed nothing: no part.
    assert_eq!(parts, [("settled", 4), ("2019q1", 1), ("2019q2", 1)], "{meta}");
    assert_eq!(
        (meta["parts"][2]["from"].as_str(), meta["parts"][2]["to"].as_str()),
        (Some("2019-04-01"), Some("2019-06-30"))
    );

    // What March had is the same file for file in December: the settled part, and
    // the first quarter's, complete on 31 March.
    for part in ["settled", "2019q1"] {
        let (before, after) =
            (snapshot(&march.join("search").join(part)), snapshot(&december.join("search").join(part)));
        assert_eq!(before.len(), 5, "{part}: {:?}", before.keys());
        assert!(before == after, "the {part} part changed between March and December");
    }
    assert!(!march.join("search/2019q2").exists());

    let e = "notices/e/index.html";
    let queries = ["修订文本", "原始文本", "原始", "普及率", "义务教育"];
    let ask: Vec<Value> = queries.iter().map(|q| json!({"query": q, "options": all()})).collect();
    let dec = node_search(&december, &ask);
    assert_eq!(urls(&dec[0]), [e], "the revision in force is found");
    for k in [1, 2] {
        // Only the settled part still has the 2018 text: not found, and not counted.
        assert_eq!(urls(&dec[k]), Vec::<String>::new(), "{}: {}", queries[k], dec[k]);
        assert_eq!((dec[k]["total"].as_u64(), dec[k]["exact"].as_bool()), (Some(0), Some(true)), "{}", dec[k]);
    }
    // A term of up to three characters is counted from the lists alone, before any
    // text is checked: the settled part's 2018 text must not count.
    let unchecked = node_search(&december, &[json!({"query": "原始", "options": {"limit": 10, "budget": 0}})]);
    assert_eq!(
        (unchecked[0]["total"].as_u64(), unchecked[0]["exact"].as_bool()),
        (Some(0), Some(true)),
        "{}",
        unchecked[0]
    );
    assert_eq!(urls(&dec[3]), [e], "found once, from the part that holds it");
    assert_eq!(dec[3]["total"], 1);
    assert_eq!(urls(&dec[4]).into_iter().collect::<BTreeSet<_>>(), set(&[A, B, C]));
    // In March the revision has not taken effect: the 2018 text is the one in force.
    let mar = node_search(&march, &ask);
    assert_eq!(urls(&mar[0]), Vec::<String>::new());
    assert_eq!((urls(&mar[1]), urls(&mar[2])), (vec![e.to_owned()], vec![e.to_owned()]));
}

/// One letter written composed (ō, U+014D) or decomposed (o + U+0304) is one
/// letter, in the text and in the query alike.
#[test]
fn composed_and_decomposed_letters_are_one() {
    if !node_available() {
        return;
    }
    let site = Site::new();
    site.write("content/a.md", &GOOD.replace("正文。", "访日学者Ryo\u{304}kan的报告。"));
    site.write(
        "content/b.md",
        &GOOD.replace("55号", "56号").replace("关于印发某规划的通知", "第二个通知").replace("正文。", "Tōkyō都市圈。"),
    );
    site.build().ok();
    let answers = node_search(
        &site.path("output"),
        &[
            json!({"query": "Ry\u{14d}kan", "options": all()}),
            json!({"query": "Ryo\u{304}kan", "options": all()}),
            json!({"query": "To\u{304}kyo\u{304}", "options": all()}),
            json!({"query": "Tōkyō", "options": all()}),
        ],
    );
    assert_eq!(urls(&answers[0]), vec!["a/index.html"]);
    assert_eq!(urls(&answers[1]), vec!["a/index.html"]);
    assert_eq!(urls(&answers[2]), vec!["b/index.html"]);
    assert_eq!(urls(&answers[3]), vec!["b/index.html"]);
}
