//! End-to-end: build the repository's example site (and small generated sites)
//! into temporary folders and check the pages, the browse lists, the feeds, the
//! sitemap and catalogue.json.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;

fn built_example() -> Site {
    let site = Site::example();
    site.build().ok();
    site
}

const TONGYU: &str = "output/notices/tongyu-yiwu-jiaoyu-junheng-guihua/index.html";
const PINGAN: &str = "output/notices/pingan-jiaoxue-zhiliang-gongjian/index.html";
const SHIZHENGBAN: &str = "output/notices/shizhengban-jiaoyu-chuangxin-yijian/index.html";

#[test]
fn example_site_has_every_page_kind() {
    let site = built_example();
    for page in [
        "output/index.html",
        "output/404.html",
        TONGYU,
        PINGAN,
        SHIZHENGBAN,
        "output/years/index.html",
        "output/years/2018/index.html",
        "output/issuers/index.html",
        "output/issuers/通榆县人民政府办公室/index.html",
        "output/issuers/通榆县人民政府办公室/feed.xml",
        "output/genres/通知/index.html",
        "output/genres/意见/index.html",
        "output/forms/规划/index.html",
        "output/topics/其他/index.html",
        "output/feed.xml",
        "output/sitemap.xml",
        "output/catalogue.json",
        "output/assets/style.css",
    ] {
        assert!(site.path(page).is_file(), "missing {page}");
    }
}

#[test]
fn notice_page_shows_metadata_in_the_disclosure_platform_order() {
    let site = built_example();
    let html = site.read(TONGYU);
    let order = ["索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "有效性"];
    let positions: Vec<usize> = order
        .iter()
        .map(|label| html.find(&format!("<th scope=\"row\">{label}</th>")).unwrap_or_else(|| panic!("no row {label}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "rows out of order: {positions:?}");
    for value in
        ["11220822013601307Q/2018-14393", "通政办发〔2018〕55号", "2018-09-02", "2018-09-03", "通榆县人民政府办公室"]
    {
        assert!(html.contains(value), "notice page lacks {value}");
    }
    // Headings from the outline, with anchors.
    assert!(html.contains("<h3 id=\"h-一-指导思想\">一、指导思想</h3>"), "outline heading missing");
    // The body keeps the plan's targets.
    assert!(html.contains("接入带宽达到100Mbps以上"));
    // Missing validity is shown as not stated rather than left blank.
    assert!(html.contains("<th scope=\"row\">有效性</th><td>未注明</td>"));
    // Printed, the page says where it came from, with or without JavaScript.
    assert!(html.contains(
        "<p class=\"print-only\" id=\"printed-from\">本页网址：https://example.org/gongkai/notices/tongyu-yiwu-jiaoyu-junheng-guihua/</p>"
    ));
    // On a phone the title comes first, before the metadata table.
    assert!(html.find("<h1>").unwrap() < html.find("<table class=\"meta\">").unwrap(), "title first");
    assert!(html.contains("当前位置：<a"), "the breadcrumb says where the reader is");
    // A long plan gets a 目录 linking its outline, and a way back up.
    let toc = &html[html.find("<nav class=\"toc\"").expect("a 目录")..];
    assert!(toc.contains("<a href=\"#h-一-指导思想\">一、指导思想</a>"), "{}", &toc[..400.min(toc.len())]);
    assert!(html.contains("<a href=\"#main\">返回顶部</a>"));
}

/// Every notice can be found by topic and by validity, even those that state
/// neither; the vocabulary's topics are listed before any notice has them.
#[test]
fn notices_without_topic_or_validity_are_still_browsable() {
    let site = Site::new();
    site.write(
        "content/site.yaml",
        &SITE_YAML.replace("  - 科技、教育\\教育\n", "  - 科技、教育\\教育\n  - 城乡建设\n"),
    );
    site.write("content/a.md", &GOOD.replace("topics: [科技、教育\\教育]\n", ""));
    site.build().ok();
    let unclassified = site.read("output/topics/未分类/index.html");
    assert!(unclassified.contains("关于印发某规划的通知"), "the notice without a topic is under 未分类");
    let topics = site.read("output/topics/index.html");
    assert!(
        topics.contains("城乡建设 <span class=\"count\">（0 件）</span>"),
        "configured topics are listed: {topics}"
    );
    assert!(topics.find("城乡建设").unwrap() < topics.find("未分类").unwrap(), "未分类 comes last");
    let search = site.read("output/search/index.html");
    assert!(search.contains("<select name=\"validity\">") && search.contains("<option value=\"未注明\">"), "{search}");
    assert_eq!(search.matches("role=\"search\"").count(), 1, "one search form on the search page");
    let map = site.read("output/map/index.html");
    assert!(map.contains("按主题分类浏览") && map.contains("未分类"), "the site map lists every browse page");
}

/// The 落款 closing a notice (issuer, date) is set right, as printed.
#[test]
fn the_signature_sits_right_as_in_the_printed_document() {
    let site = Site::new();
    site.write("content/a.md", &format!("{GOOD}\n通榆县人民政府办公室\n\n2018年9月2日\n"));
    site.build().ok();
    let html = site.read("output/a/index.html");
    assert!(
        html.contains("<p class=\"signature\">通榆县人民政府办公室</p>\n<p class=\"signature\">2018年9月2日</p>"),
        "{html}"
    );
    assert!(html.contains("<p>正文。</p>"), "the body itself is untouched");
    assert!(site.read("output/assets/style.css").contains("p.signature { text-align: right"));
}

/// The footer carries the site's identity when site.yaml gives it, and a code of
/// the wrong shape is an error at its line.
#[test]
fn the_footer_carries_the_sites_identity() {
    let site = Site::new();
    let identity = "identity:\n  sponsor: 通榆县人民政府办公室\n  site_code: '2208220001'\n  icp: 吉ICP备05002046号-1\n  police: 吉公网安备22082202000001号\n";
    site.write("content/site.yaml", &format!("{SITE_YAML}{identity}"));
    site.write("content/a.md", GOOD);
    site.build().ok();
    let home = site.read("output/index.html");
    for text in [
        "主办单位：通榆县人民政府办公室",
        "网站标识码：2208220001",
        ">吉ICP备05002046号-1</a>",
        "href=\"https://beian.mps.gov.cn/#/query/webSearch?code=22082202000001\"",
    ] {
        assert!(home.contains(text), "footer lacks {text}");
    }
    assert!(!home.contains("承办单位"), "what is not configured is not shown");
    site.write("content/site.yaml", &format!("{SITE_YAML}identity:\n  site_code: '22082200'\n"));
    let run = site.build();
    assert_eq!(run.code, 1);
    run.has("error", "identity.site_code", "content/site.yaml:13", &["22082200", "ten digits or letters"]);
}

#[test]
fn traditional_script_notice_is_marked_zh_hant() {
    let site = built_example();
    let html = site.read(SHIZHENGBAN);
    assert!(html.contains("<article class=\"notice\" lang=\"zh-Hant\">"));
    assert!(html.contains("市政辦教育工作創新意見"), "text kept in Traditional script");
    let simplified = site.read(TONGYU);
    // Written in the site's own language (html lang="zh-Hans"): nothing to mark.
    assert!(simplified.contains("<html lang=\"zh-Hans\">") && simplified.contains("<article class=\"notice\">"));
    // The Traditional 意見 is listed under the genre 意见.
    assert!(site.read("output/genres/意见/index.html").contains("市政辦教育工作創新意見"));
}

#[test]
fn damaged_source_text_is_not_published() {
    let site = built_example();
    for (path, bytes) in site.snapshot("output") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("77365"), "{} carries the spliced-in gambling-site name", path.display());
    }
}

#[test]
fn browse_pages_list_the_right_notices() {
    let site = built_example();
    let y2018 = site.read("output/years/2018/index.html");
    assert!(y2018.contains("通榆县推进县域义务教育优质均衡发展规划"));
    assert!(!y2018.contains("攻坚行动方案"), "a 2017 notice on the 2018 page");
    let years = site.read("output/years/index.html");
    let (p2022, p2018, p2017) = (years.find("2022").unwrap(), years.find("2018").unwrap(), years.find("2017").unwrap());
    assert!(p2022 < p2018 && p2018 < p2017, "years newest first");
    let issuer = site.read("output/issuers/中共海东市平安区委办公室/index.html");
    assert!(issuer.contains("攻坚行动方案") && !issuer.contains("通政办发"));
    let genre = site.read("output/genres/通知/index.html");
    assert!(genre.contains("平办发〔2017〕55号") && genre.contains("通政办发〔2018〕55号"));
    let home = site.read("output/index.html");
    // Newest first on the home page.
    assert!(home.find("市政辦教育工作創新意見").unwrap() < home.find("通政办发〔2018〕55号").unwrap());
}

#[test]
fn every_relative_link_resolves_to_a_file() {
    let site = built_example();
    let out = site.path("output");
    let href = regex::Regex::new(r#"(?:href|src)="([^"]+)""#).unwrap();
    let mut checked = 0;
    for (rel, bytes) in site.snapshot("output") {
        if rel.extension().is_none_or(|e| e != "html") || rel == Path::new("404.html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = out.join(&rel).parent().unwrap().to_path_buf();
        for cap in href.captures_iter(&html) {
            let link = &cap[1];
            // Inline images (the QR code) are in the page, not a file beside it.
            if link.starts_with("http")
                || link.starts_with('#')
                || link.starts_with("mailto:")
                || link.starts_with("data:")
            {
                continue;
            }
            let path = link.split('#').next().unwrap();
            let decoded = percent_decode(path);
            let target = dir.join(&decoded);
            assert!(target.is_file(), "{}: link {link} → {} does not exist", rel.display(), target.display());
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

/// 404.html is served for any missing path on whatever host serves the site (an
/// intranet name, a test server): its links go by the site's path, never its host.
#[test]
fn the_not_found_page_works_on_any_host() {
    let site = built_example();
    let html = site.read("output/404.html");
    let href = regex::Regex::new(r#"(?:href|src)="([^"]+)""#).unwrap();
    let links: Vec<&str> = href.captures_iter(&html).map(|c| c.get(1).unwrap().as_str()).collect();
    assert!(links.contains(&"/gongkai/assets/style.css"), "{links:?}");
    for link in links {
        assert!(link.starts_with("mailto:") || !link.contains("example.org"), "404.html names the host: {link}");
        if let Some(rel) = link.strip_prefix("/gongkai/") {
            let file = site.path("output").join(percent_decode(rel.split('#').next().unwrap()));
            assert!(file.is_file() || file.join("index.html").is_file(), "404.html links to missing {link}");
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn catalogue_lists_every_notice_with_its_metadata() {
    let site = built_example();
    let cat = site.catalogue();
    // Three plans, an annual report and the four notices of the example consultation
    // (standing pages are not notices, nor is the withdrawn notice: see tests/withdrawal.rs).
    assert_eq!(cat["count"], 8);
    let notices = cat["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 8);
    let tongyu = notices.iter().find(|n| n["index_number"] == "11220822013601307Q/2018-14393").expect("通榆 notice");
    assert_eq!(tongyu["url"], "https://example.org/gongkai/notices/tongyu-yiwu-jiaoyu-junheng-guihua/");
    assert_eq!(tongyu["doc_number"]["text"], "通政办发〔2018〕55号");
    assert_eq!(tongyu["doc_number"]["issuer_code"], "通政办发");
    assert_eq!(tongyu["doc_number"]["year"], 2018);
    assert_eq!(tongyu["doc_number"]["sequence"], 55);
    assert_eq!(tongyu["issuers"], serde_json::json!(["通榆县人民政府办公室"]));
    assert_eq!(tongyu["genre"], "通知");
    assert_eq!(tongyu["form"], "规划");
    assert_eq!(tongyu["written"], "2018-09-02");
    assert_eq!(tongyu["published"], "2018-09-03");
    assert_eq!(tongyu["period"], "2018–2020");
    assert_eq!(tongyu["disclosure"], "主动公开");
    assert_eq!(tongyu["validity"], serde_json::Value::Null, "validity is not stated in the text");
    assert_eq!(tongyu["lang"], "zh-Hans");
    // Ordered newest first.
    let dates: Vec<&str> = notices.iter().map(|n| n["published"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        vec![
            "2024-05-10",
            "2024-05-08",
            "2024-04-15",
            "2024-03-01",
            "2024-01-25",
            "2022-05-15",
            "2018-09-03",
            "2017-11-23"
        ]
    );
}

#[test]
fn feeds_and_sitemap_are_well_formed_and_complete() {
    let site = built_example();
    let feed_text = site.read("output/feed.xml");
    let feed = roxmltree::Document::parse(&feed_text).expect("feed.xml is XML");
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(feed.root_element().tag_name().namespace(), Some(atom));
    let entries: Vec<_> = feed.descendants().filter(|n| n.has_tag_name((atom, "entry"))).collect();
    // Eight notices, and the example's withdrawn notice (已撤回).
    assert_eq!(entries.len(), 9);
    let ids: BTreeSet<String> = entries
        .iter()
        .map(|e| e.children().find(|c| c.has_tag_name((atom, "id"))).unwrap().text().unwrap().to_owned())
        .collect();
    assert!(ids.contains("https://example.org/gongkai/notices/pingan-jiaoxue-zhiliang-gongjian/"));
    assert!(feed_text.contains("<updated>2022-05-15T00:00:00+08:00</updated>"));

    let issuer_feed = site.read("output/issuers/通榆县人民政府办公室/feed.xml");
    let doc = roxmltree::Document::parse(&issuer_feed).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name((atom, "entry"))).count(),
        6,
        "the plan, the report and the four notices of the example consultation"
    );

    let sitemaps = sitemaps(&site.path("output"), "https://example.org/gongkai/");
    let locs: Vec<&str> = sitemaps.iter().flat_map(|(_, urls)| urls).map(String::as_str).collect();
    for n in site.catalogue()["notices"].as_array().unwrap() {
        assert!(locs.contains(&n["url"].as_str().unwrap()), "sitemap lacks {}", n["url"]);
    }
    assert!(locs.iter().all(|l| l.is_ascii()), "sitemap URLs are percent-encoded");
    assert!(locs.contains(&"https://example.org/gongkai/years/2018/"));
}

#[test]
fn building_twice_gives_identical_bytes() {
    let site = Site::example();
    site.run(&["build", "--out", site.path("first").to_str().unwrap()]).ok();
    site.run(&["build", "--out", site.path("second").to_str().unwrap()]).ok();
    let (a, b) = (site.snapshot("first"), site.snapshot("second"));
    assert!(a.len() > 20);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs between builds", path.display());
    }
}

#[test]
fn source_date_epoch_is_the_only_timestamp() {
    let site = Site::example();
    site.build().ok();
    assert!(!site.read("output/index.html").contains("生成时间"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["--root", site.root().to_str().unwrap(), "build"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(site.read("output/index.html").contains("生成时间：2023-11-14 22:13 UTC"));
}

#[test]
fn base_url_sub_path_is_used_for_absolute_urls_only() {
    let site = Site::example();
    site.run(&["build", "--base-url", "https://gov.example.cn/xxgk/2024"]).ok();
    let cat = site.catalogue();
    assert!(cat["notices"][0]["url"].as_str().unwrap().starts_with("https://gov.example.cn/xxgk/2024/notices/"));
    let html = site.read(TONGYU);
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://gov.example.cn/xxgk/2024/notices/tongyu-yiwu-jiaoyu-junheng-guihua/\">"
    ));
    assert!(html.contains("href=\"../../assets/style.css\""), "in-site links stay relative");
    assert!(site.read("output/feed.xml").contains("<id>https://gov.example.cn/xxgk/2024/feed.xml</id>"));
}

#[test]
fn root_is_accepted_after_the_subcommand_too() {
    let site = Site::example();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root", site.root().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.path("output/index.html").is_file());
}

/// Notice `i` of a long list: all of 2018, from one issuer, published on day `i`
/// of the year (Jan 1 … Feb 28, 28-day months here).
fn numbered(i: u32) -> String {
    let (month, day) = (1 + (i - 1) / 28, 1 + (i - 1) % 28);
    GOOD.replace("通政办发〔2018〕55号", &format!("通政办发〔2018〕{i}号"))
        .replace("关于印发某规划的通知", &format!("关于印发第{i}号规划的通知"))
        .replace("written: 2018-09-02", "written: 2018-01-01")
        .replace("published: 2018-09-03", &format!("published: 2018-{month:02}-{day:02}"))
}

#[test]
fn pagination_counts_pages_from_the_oldest() {
    let site = Site::new();
    for i in 1..=45 {
        site.write(&format!("content/n{i:02}.md"), &numbered(i));
    }
    // n45 on n44's day: the same date is ordered by URL, so the order is stable.
    site.write("content/n45.md", &numbered(45).replace("published: 2018-02-17", "published: 2018-02-16"));
    site.build().ok();
    // 45 notices, 20 to a page: page 1 holds the oldest 20 (n01 … n20), the
    // landing page the newest 25; there is no page 2.
    let landing = site.read("output/years/2018/index.html");
    assert!(landing.contains("共 45 件"), "the landing page counts the list");
    assert_eq!(landing.matches("class=\"notice-title\"").count(), 25);
    assert!(landing.contains("<a rel=\"next\" href=\"../../years/2018/page/1/index.html\">"), "older: page 1");
    assert!(landing.find("n44/index.html").unwrap() < landing.find("n45/index.html").unwrap());
    assert!(landing.find("n45/index.html").unwrap() < landing.find("n43/index.html").unwrap(), "newest first");
    assert!(landing.contains("n21/index.html") && !landing.contains("n20/index.html"));
    assert!(!site.path("output/years/2018/page/2").exists(), "{:?}", site.snapshot("output/years/2018").keys());
    let p1 = site.read("output/years/2018/page/1/index.html");
    assert_eq!(p1.matches("class=\"notice-title\"").count(), 20);
    assert!(p1.find("n20/index.html").unwrap() < p1.find("n01/index.html").unwrap(), "newest first");
    assert!(!p1.contains("n21/index.html"));
    // Named by its span, with nothing that depends on the rest of the list.
    assert!(p1.contains("<h1>年份：2018（2018-01-01 至 2018-01-20）</h1>"), "{p1}");
    assert!(p1.contains("<title>年份：2018（2018-01-01 至 2018-01-20） - "), "{p1}");
    assert!(!p1.contains("45") && !p1.contains("共 "), "no count on a fixed page");
    assert!(p1.contains("<a rel=\"prev\" href=\"../../../../years/2018/index.html\">"), "newer: the landing page");
    assert!(!p1.contains("rel=\"next\""), "page 1 is the oldest");
    assert!(p1.contains("<nav class=\"pagination\" aria-label=\"分页\">"));
    // A Traditional site says the same in Traditional.
    site.write("content/site.yaml", &format!("{SITE_YAML}language: zh-Hant\n"));
    site.build().ok();
    let p1 = site.read("output/years/2018/page/1/index.html");
    assert!(p1.contains("（2018-01-01 至 2018-01-20）</h1>") && p1.contains(">較新一頁</a>"), "{p1}");
    assert!(p1.contains("從最早的文件數起") && !p1.contains("从"), "{p1}");
    let landing = site.read("output/years/2018/index.html");
    assert!(landing.contains("共 45 件") && landing.contains(">較早一頁</a>"), "{landing}");
}

/// Archives store a page once while it stays byte-identical: a new notice changes
/// the landing page of each list it joins, never a full page — except, when it
/// fills a new page, the newest full page's link to newer notices.
#[test]
fn a_new_notice_leaves_every_full_page_as_it_was() {
    let site = Site::new();
    site.write("content/site.yaml", &format!("{SITE_YAML}page_size: 5\n"));
    let lists = ["years/2018", "issuers/通榆县人民政府办公室", "forms/规划", "topics/科技、教育"];
    let pages = |site: &Site| {
        site.snapshot("output")
            .into_iter()
            .filter(|(p, _)| lists.iter().any(|l| p.starts_with(l)) && p.extension().is_some_and(|e| e == "html"))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    for i in 1..=11 {
        site.write(&format!("content/n{i:02}.md"), &numbered(i));
    }
    site.build().ok();
    let mut before = pages(&site);
    for l in lists {
        assert!(before.contains_key(Path::new(&format!("{l}/page/1/index.html"))), "{l} has page 1");
    }
    for i in 12..=22 {
        site.write(&format!("content/n{i:02}.md"), &numbered(i));
        site.build().ok();
        let after = pages(&site);
        let full = |p: &Path| p.components().any(|c| c.as_os_str() == "page");
        // At 15 and 20 notices a new page is full, and the one before it links to it.
        let filled = i % 5 == 0;
        for l in lists {
            let landing = PathBuf::from(format!("{l}/index.html"));
            assert_ne!(before[&landing], after[&landing], "{i}: {l}'s landing page shows the new notice");
            let fixed = (i / 5 - 1) as usize;
            assert!(after.contains_key(Path::new(&format!("{l}/page/{fixed}/index.html"))), "{i}: {l}: {fixed} pages");
            assert!(!after.contains_key(Path::new(&format!("{l}/page/{}/index.html", fixed + 1))));
            for (path, bytes) in before.iter().filter(|(p, _)| p.starts_with(l) && full(p)) {
                if filled && path.ends_with(format!("page/{}/index.html", fixed - 1)) {
                    assert_ne!(&after[path], bytes, "{i}: {} now links to the new page", path.display());
                } else {
                    assert_eq!(&after[path], bytes, "{i}: {} changed", path.display());
                }
            }
        }
        before = after;
    }
}

#[test]
fn a_notice_links_its_neighbours_in_the_year_and_related_notices() {
    let site = Site::new();
    // Four notices of 2018 from one issuer on one topic, published on days 3..6,
    // one of 2019, and one of 2018 on another topic that declares a relation.
    let notice = |name: &str, number: u32, date: &str, extra: &str| {
        let text = GOOD
            .replace("通政办发〔2018〕55号", &format!("通政办发〔2018〕{number}号"))
            .replace("关于印发某规划的通知", &format!("关于印发{name}的通知"))
            .replace("published: 2018-09-03", &format!("published: {date}{extra}"));
        site.write(&format!("content/{name}.md"), &text);
    };
    for day in 3..=6 {
        notice(&format!("d{day}"), day, &format!("2018-09-0{day}"), "");
    }
    notice("y2019", 1, "2019-01-02", "");
    notice("other", 2, "2018-09-07", "\namends: 通政办发〔2018〕3号");
    site.write("content/other.md", &site.read("content/other.md").replace("科技、教育\\教育", "其他"));
    site.build().ok();
    let page = |name: &str| site.read(&format!("output/{name}/index.html"));
    // d4 sits between d5 (newer) and d3 (older).
    let d4 = page("d4");
    let pager = &d4[d4.find("class=\"pager\"").expect("pager shown")..];
    assert!(pager.contains("上一篇：<a href=\"../d5/index.html\" rel=\"prev\">关于印发d5的通知</a>"), "{pager}");
    assert!(pager.contains("下一篇：<a href=\"../d3/index.html\" rel=\"next\">关于印发d3的通知</a>"));
    // The newest of 2018 has no 上一篇 from 2019; the oldest no 下一篇.
    let other = page("other");
    assert!(!other.contains("上一篇：") && other.contains("下一篇：<a href=\"../d6/index.html\""));
    assert!(page("d3").contains("上一篇：") && !page("d3").contains("下一篇："));
    assert!(!page("y2019").contains("class=\"pager\""), "alone in its year");
    // Related: the same issuer and topic, nearest in date, newest first; not itself.
    let related = &d4[d4.find("<h2 id=\"related\">相关文件</h2>").expect("related shown")..];
    let related = &related[..related.find("</section>").unwrap()];
    let order: Vec<usize> =
        ["d6", "d5", "d3"].iter().map(|n| related.find(&format!("../{n}/index.html")).expect(n)).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{related}");
    assert!(!related.contains("../d4/") && !related.contains("../other/"));
    assert!(related.contains("../y2019/index.html"), "same issuer and topic in another year");
    // A notice that declares relations shows those, not a related list.
    assert!(!other.contains("相关文件</h2>"));
}

const GUIDE: &str = "output/pages/xxgk-zhinan/index.html";

#[test]
fn standing_pages_are_in_the_navigation_and_site_map_but_not_among_notices() {
    let site = built_example();
    let guide = site.read(GUIDE);
    assert!(guide.contains("<h1>政府信息公开指南</h1>") && guide.contains("更新日期：<time>2024-01-15</time>"));
    assert!(guide.contains("<h2 id=\"h-三-依申请公开\">三、依申请公开</h2>"), "headings with anchors");
    assert!(guide.contains("<h2 id=\"toc-title\">目录</h2>"), "a long page gets a 目录");
    // The form to download is copied beside the page and linked from it.
    assert!(site.path("output/pages/xxgk-zhinan/政府信息公开申请表.txt").is_file());
    let form = "%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E7%94%B3%E8%AF%B7%E8%A1%A8.txt";
    assert!(guide.contains(&format!("<a href=\"{form}\">政府信息公开申请表（文本格式，可打印填写）</a>")), "{guide}");
    // In the header of every page (nav: 页头), the site map and sitemap.xml …
    for page in ["output/index.html", TONGYU, "output/years/2018/index.html"] {
        assert!(site.read(page).contains("xxgk-zhinan/index.html\">政府信息公开指南</a>"), "{page}");
    }
    assert!(
        site.read("output/map/index.html").contains("<a href=\"../pages/xxgk-zhinan/index.html\">政府信息公开指南</a>")
    );
    assert!(site.read("output/sitemaps/pages.xml").contains("https://example.org/gongkai/pages/xxgk-zhinan/"));
    // … but not a notice: not in the catalogue, the feeds or the lists.
    for file in ["output/catalogue/2018q3.json", "output/catalogue/2022q2.json", "output/feed.xml"] {
        assert!(!site.read(file).contains("xxgk-zhinan"), "{file}");
    }
    let list = site.read("output/years/2018/index.html");
    let list = &list[list.find("notice-list").expect("a list")..];
    assert!(!list.contains("xxgk-zhinan"), "{list}");
    assert_eq!(site.catalogue()["count"], 8, "the notices, not the guide");
}

#[test]
fn standing_page_errors_name_the_file_line_and_field() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("content/pages/guide.md", "---\ntitle: 指南\nnav: 侧栏\norder: 第一\n---\n\n正文。\n");
    site.write("content/pages/contact.md", "---\ntitle: 联系我们\nupdated: 2024-02-30\nfooter: yes\n---\n\n正文。\n");
    let run = site.build();
    run.has("error", "updated", "content/pages/guide.md:1", &["missing required field `updated`", "更新日期"]);
    run.has("error", "nav", "content/pages/guide.md:3", &["导航", "页头 (header), 页脚 (footer) or 无 (none)"]);
    run.has("error", "order", "content/pages/guide.md:4", &["排序", "whole number"]);
    run.has("error", "updated", "content/pages/contact.md:3", &["更新日期"]);
    run.has("warning", "footer", "content/pages/contact.md:4", &["unknown field `footer`"]);
    assert!(!site.path("output").exists(), "nothing written");
    // Two pages at one URL.
    site.write("content/pages/guide.md", "---\ntitle: 指南\nupdated: 2024-01-01\n---\n\n正文。\n");
    site.write("content/pages/contact.md", "---\ntitle: 联系我们\nupdated: 2024-01-01\nslug: Guide\n---\n\n正文。\n");
    site.build().has("error", "slug", "content/pages/guide.md", &["two pages at the same URL"]);
    // Fixed: builds, with the footer link.
    site.write("content/pages/contact.md", "---\ntitle: 联系我们\nupdated: 2024-01-01\nnav: 页脚\n---\n\n电话。\n");
    site.build().ok();
    assert!(
        site.read("output/index.html")
            .contains("<a href=\"pages/contact/index.html\">联系我们</a> · <a href=\"map/index.html\">网站地图</a>")
    );
}

#[test]
fn a_traditional_site_shows_a_traditional_interface_and_the_documents_as_written() {
    let site = Site::example();
    let yaml = site.read("content/site.yaml").replace("language: zh-Hans", "language: zh-Hant");
    site.write("content/site.yaml", &yaml);
    site.build().ok();
    let home = site.read("output/index.html");
    assert!(home.starts_with("<!DOCTYPE html>\n<html lang=\"zh-Hant\">"));
    for word in ["首頁", "按發文機關", "按主題分類", "目標進展", "網站地圖", "檢索"] {
        assert!(home.contains(word), "home page lacks {word}");
    }
    for word in ["按发文机关", "目标进展", "网站地图"] {
        assert!(!home.contains(word), "home page still says {word}");
    }
    let notice = site.read(TONGYU);
    for word in
        ["當前位置：", "<th scope=\"row\">發文機關</th>", "<th scope=\"row\">發文字號</th>", "掃一掃在手機打開當前頁"]
    {
        assert!(notice.contains(word), "notice page lacks {word}");
    }
    // The Simplified notice is left as it was written, and marked so.
    assert!(notice.contains("<article class=\"notice\" lang=\"zh-Hans\">"));
    assert!(notice.contains("通榆县推进县域义务教育优质均衡发展规划"), "the document's own words");
    assert!(site.read("output/years/index.html").contains("<title>按年份瀏覽 - "));
    assert!(site.read("output/search/index.html").contains("\"searching\": \"正在檢索…\""), "search.js's words too");
    // The words of the progress tables, charts and dashboard too.
    let pingan = site.read(PINGAN);
    for word in ["數據不足", "已完成（期滿達標）", "實際值"] {
        assert!(pingan.contains(word), "progress words: {word}");
    }
    assert!(!pingan.contains("数据不足"));
    let dashboard = site.read("output/progress/index.html");
    assert!(dashboard.contains("數據不足") && !dashboard.contains("数据不足"), "the dashboard too");
    let filter = site.read("output/progress/status/no_data/index.html");
    assert!(filter.contains("<strong aria-current=\"page\">數據不足</strong>"), "and its filter pages");
    assert!(filter.contains("全部指標與篩選") && !filter.contains("全部指标与筛选"));
}

#[test]
fn a_site_without_themes_builds_and_single_templates_can_be_overridden() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.build().ok();
    assert!(site.read("output/a/index.html").contains("<table class=\"meta\">"), "built-in theme used");
    site.write(
        "themes/default/templates/notice.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ notice.title }}</p>{% endblock content %}",
    );
    site.write("themes/default/static/extra.css", "p{}");
    site.build().ok();
    let html = site.read("output/a/index.html");
    assert!(html.contains("<p class=\"custom\">关于印发某规划的通知</p>"), "{html}");
    assert!(html.contains("assets/style.css"), "other templates still built in");
    assert!(site.path("output/assets/extra.css").is_file());
}

#[test]
fn bundle_attachments_are_copied_and_linked() {
    let site = Site::new();
    let notice = GOOD.replace("---\n\n", "attachments:\n  - file: 目标.csv\n    title: 目标数据\n---\n\n");
    site.write("content/plan/index.md", &notice);
    site.write("content/plan/目标.csv", "id,value\na,1\n");
    site.write("content/plan/docs/scan.pdf", "%PDF-1.4");
    site.build().ok();
    assert_eq!(site.read("output/plan/目标.csv"), "id,value\na,1\n");
    assert!(site.path("output/plan/docs/scan.pdf").is_file());
    let html = site.read("output/plan/index.html");
    assert!(html.contains("<a href=\"%E7%9B%AE%E6%A0%87.csv\">目标数据</a>"), "{html}");
    assert!(html.contains("<a href=\"docs/scan.pdf\">scan.pdf</a>"));
    let cat = site.catalogue();
    assert_eq!(cat["notices"][0]["attachments"][0]["title"], "目标数据");
    assert_eq!(cat["notices"][0]["attachments"][1]["file"], "docs/scan.pdf");
}

#[test]
fn notice_urls_depend_only_on_path_or_slug() {
    let site = Site::new();
    site.write("content/2018/a.md", GOOD);
    site.write("content/b.md", &GOOD.replace("55号", "56号").replace("---\n\n", "slug: plan-b\n---\n\n"));
    site.build().ok();
    assert!(site.path("output/2018/a/index.html").is_file());
    assert!(site.path("output/plan-b/index.html").is_file());
    // Adding a newer notice does not move the existing ones.
    site.write("content/c.md", &GOOD.replace("55号", "57号").replace("2018-09-03", "2019-01-01"));
    site.build().ok();
    assert!(site.path("output/2018/a/index.html").is_file());
    assert!(site.path("output/plan-b/index.html").is_file());
}

#[test]
fn help_lists_the_commands() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai")).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("build") && text.contains("--root"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai")).args(["build", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--out") && text.contains("--base-url"));
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai")).arg("frobnicate").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn metadata_is_escaped_in_every_output() {
    let site = Site::new();
    let hostile = GOOD
        .replace("关于印发某规划的通知", "'\"<script>alert(1)</script>&通知'")
        .replace("---\n\n", "note: <img src=x onerror=alert(1)>\n---\n\n");
    site.write("content/a.md", &hostile);
    site.build().ok();
    let html = site.read("output/a/index.html");
    assert!(!html.contains("<script>alert"), "title not escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;通知"));
    assert!(!html.contains("<img src=x"), "note not escaped");
    let home = site.read("output/index.html");
    assert!(!home.contains("<script>alert"));
    let feed = site.read("output/feed.xml");
    assert!(feed.contains("<title>&quot;&lt;script&gt;alert(1)&lt;/script&gt;&amp;通知</title>"));
    roxmltree::Document::parse(&feed).expect("feed stays well-formed");
    let cat = site.catalogue();
    assert_eq!(cat["notices"][0]["title"], "\"<script>alert(1)</script>&通知");
}

#[test]
fn out_pointing_at_a_file_is_refused() {
    let site = Site::example();
    site.write("notes.txt", "a clerk's file");
    let run = site.run(&["build", "--out", site.path("notes.txt").to_str().unwrap(), "--force"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(site.read("notes.txt"), "a clerk's file");
}

#[test]
fn catalogue_text_is_compact_json_one_notice_a_line() {
    // Compact (a third smaller than pretty-printed), yet two catalogues still
    // compare line by line: each part on a line of the entry, each notice on a line
    // of its part.
    let site = built_example();
    let one_a_line = |rel: &str, key: &str| {
        let text = site.read(rel);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(text.replace('\n', ""), serde_json::to_string(&value).unwrap());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), value[key].as_array().unwrap().len() + 2, "{text}");
        for line in &lines[1..lines.len() - 1] {
            let item: serde_json::Value = serde_json::from_str(line.trim_end_matches(',')).unwrap();
            assert!(item["href"].is_string() || item["url"].is_string(), "{line}");
        }
        value
    };
    let entry = one_a_line("output/catalogue.json", "parts");
    for part in entry["parts"].as_array().unwrap() {
        one_a_line(&format!("output/{}", part["href"].as_str().unwrap()), "notices");
    }
    one_a_line("output/catalogue/progress.json", "notices");
    let empty = Site::new();
    empty.build().ok();
    let text = empty.read("output/catalogue.json");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(text.replace('\n', ""), serde_json::to_string(&value).unwrap());
    assert_eq!((value["count"].as_u64(), value["parts"].as_array().map(Vec::len)), (Some(0), Some(0)));
}

/// Texts kept in a temporary file instead of memory (as on a very large site) give
/// the same site, byte for byte.
#[test]
fn texts_out_of_memory_give_the_same_site() {
    let site = Site::example();
    let build = |out: &str, memory: &str| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["--root", site.root().to_str().unwrap(), "build", "-q", "--out", site.path(out).to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .env("GONGKAI_TEXT_MEMORY_MB", memory)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        site.snapshot(out)
    };
    let held = build("held", "512");
    let spilled = build("spilled", "0");
    assert!(held.len() > 20 && held.keys().any(|p| p.ends_with("search/settled/blocks.bin")));
    assert!(held == spilled, "the same files with the same bytes");
}

/// The entry lists every yearly part, newest first, with its count and the SHA-256
/// of its bytes; the parts hold every notice once, each in the year it was published,
/// and nothing of the date (the progress data is in a file of its own).
#[test]
fn catalogue_parts_hold_every_notice_once() {
    use sha2::{Digest, Sha256};
    let site = built_example();
    let entry: serde_json::Value = serde_json::from_str(&site.read("output/catalogue.json")).unwrap();
    assert_eq!(entry["format_version"], 2);
    assert!(entry.get("notices").is_none(), "the notices are in the parts");
    let parts = entry["parts"].as_array().unwrap();
    let quarters: Vec<(i64, u64)> =
        parts.iter().map(|p| (p["year"].as_i64().unwrap(), p["quarter"].as_u64().unwrap())).collect();
    assert_eq!(quarters, [(2024, 2), (2024, 1), (2022, 2), (2018, 3), (2017, 4)], "newest first");
    let mut urls = Vec::new();
    for p in parts {
        let href = p["href"].as_str().unwrap();
        assert_eq!(href, format!("catalogue/{}q{}.json", p["year"], p["quarter"]));
        let bytes = std::fs::read(site.path(&format!("output/{href}"))).unwrap();
        let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(p["sha256"], hex, "{href}");
        let part: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            (part["format_version"].as_u64(), &part["year"], &part["quarter"]),
            (Some(2), &p["year"], &p["quarter"])
        );
        let notices = part["notices"].as_array().unwrap();
        assert_eq!(part["count"], notices.len());
        assert_eq!(p["count"], notices.len());
        for n in notices {
            let published = n["published"].as_str().unwrap();
            assert_eq!(published[..4], p["year"].to_string(), "{href}");
            let month: u64 = published[5..7].parse().unwrap();
            assert_eq!((month - 1) / 3 + 1, p["quarter"].as_u64().unwrap(), "{href}: {published}");
            assert!(n.get("progress").is_none(), "progress moves with the date: {href}");
            urls.push(n["url"].as_str().unwrap().to_string());
        }
        assert!(!String::from_utf8(bytes).unwrap().contains("reference_date"), "{href}");
    }
    assert_eq!(entry["count"], urls.len());
    let unique: BTreeSet<&String> = urls.iter().collect();
    assert_eq!(unique.len(), urls.len(), "each notice once: {urls:?}");
    for n in ["tongyu-yiwu-jiaoyu-junheng-guihua", "pingan-jiaoxue-zhiliang-gongjian", "tongyu-2023-xxgk-nianbao"] {
        assert!(urls.contains(&format!("https://example.org/gongkai/notices/{n}/")), "{n}");
    }
    // The progress file: its SHA-256 in the entry, the notices that have data, by URL.
    let progress: serde_json::Value = serde_json::from_str(&site.read("output/catalogue/progress.json")).unwrap();
    assert_eq!(entry["progress"]["href"], "catalogue/progress.json");
    assert_eq!(entry["progress"]["count"], progress["notices"].as_array().unwrap().len());
    // The date the data is assessed by is in the entry; the file itself, without
    // it, changes only when an assessment does.
    assert!(entry["progress"]["reference_date"].is_string());
    assert!(!site.read("output/catalogue/progress.json").contains("reference_date"));
    for p in progress["notices"].as_array().unwrap() {
        assert!(urls.contains(&p["url"].as_str().unwrap().to_string()) && p["progress"]["indicators"].is_array());
    }
}

/// The sitemap index lists a sitemap a year and one of the other pages; every
/// page's URL is in exactly one of them, a notice's in its year's.
#[test]
fn sitemap_index_lists_every_sitemap_and_every_page_once() {
    let site = built_example();
    let sitemaps = sitemaps(&site.path("output"), "https://example.org/gongkai/");
    let files: Vec<&str> = sitemaps.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        ["sitemaps/2024.xml", "sitemaps/2022.xml", "sitemaps/2018.xml", "sitemaps/2017.xml", "sitemaps/pages.xml"]
    );
    let mut seen = BTreeSet::new();
    for (_, urls) in &sitemaps {
        for u in urls {
            assert!(seen.insert(u.clone()), "{u} is in two sitemaps");
        }
    }
    let cat = site.catalogue();
    for n in cat["notices"].as_array().unwrap() {
        let year = &n["published"].as_str().unwrap()[..4];
        let (_, urls) = sitemaps.iter().find(|(f, _)| *f == format!("sitemaps/{year}.xml")).unwrap();
        assert!(urls.contains(&n["url"].as_str().unwrap().to_string()), "{}", n["url"]);
    }
    let (_, pages) = sitemaps.last().unwrap();
    for u in ["", "pages/xxgk-zhinan/", "years/", "years/2018/", "issuers/"] {
        assert!(pages.contains(&format!("https://example.org/gongkai/{u}")), "pages.xml lacks /{u}");
    }
    assert_eq!(seen.len(), cat["notices"].as_array().unwrap().len() + pages.len());
}

/// What a new notice or a later date rewrites: its quarter's catalogue part, its
/// year's sitemap, the entry, the index and the progress file; every other part and
/// sitemap stays byte for byte (an archive of monthly snapshots stores them once).
#[test]
fn a_new_notice_or_a_later_date_leaves_the_other_years_alone() {
    let site = Site::new();
    let notice = |path: &str, number: &str, published: &str| {
        let text = GOOD
            .replace("通政办发〔2018〕55号", number)
            .replace("published: 2018-09-03", &format!("published: {published}"));
        site.write(path, &text);
    };
    notice("content/a.md", "通政办发〔2018〕55号", "2018-09-03");
    notice("content/b.md", "通政办发〔2019〕1号", "2019-03-01");
    notice("content/c.md", "通政办发〔2020〕2号", "2020-06-01");
    // A 2019 notice with progress data: what it says moves with the date, its part does not.
    notice("content/p/index.md", "通政办发〔2019〕9号", "2019-05-01");
    let p = site.read("content/p/index.md").replace("---\n\n", "data: [progress.yaml]\n---\n\n");
    site.write("content/p/index.md", &p);
    site.write(
        "content/p/progress.yaml",
        "indicators:\n  - id: r\n    name: 普及率\n    unit: \"%\"\n    baseline: {period: \"2017\", value: 80}\n    targets:\n      - {period: \"2022\", comparator: \"≥\", value: 95}\n    actuals:\n      - {period: \"2018\", value: 85, reported: 2019-01-15}\n      - {period: \"2020\", value: 90, reported: 2021-01-15}\n",
    );
    let build = |date: &str, out: &str| {
        site.run(&["build", "--as-of", date, "--out", site.path(out).to_str().unwrap()]).ok();
        site.snapshot(out)
    };
    let first = build("2020-12-31", "o1");
    let later = build("2021-06-30", "o2");
    notice("content/d.md", "通政办发〔2020〕5号", "2020-11-02");
    let added = build("2021-06-30", "o3");
    let file = |snap: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>, rel: &str| {
        snap.get(Path::new(rel)).unwrap_or_else(|| panic!("no {rel}")).clone()
    };
    let unchanged = [
        "catalogue/2018q3.json",
        "catalogue/2019q1.json",
        "catalogue/2019q2.json",
        "sitemaps/2018.xml",
        "sitemaps/2019.xml",
    ];
    for rel in unchanged.into_iter().chain(["catalogue/2020q2.json"]) {
        assert!(file(&first, rel) == file(&later, rel), "{rel} changed with the date");
        assert!(file(&first, rel) == file(&added, rel), "{rel} changed with a notice of 2020's fourth quarter");
    }
    assert!(file(&first, "sitemaps/2020.xml") == file(&later, "sitemaps/2020.xml"), "changed with the date");
    assert!(file(&first, "sitemaps/2020.xml") != file(&added, "sitemaps/2020.xml"), "lacks the new notice");
    assert!(
        !first.contains_key(Path::new("catalogue/2020q4.json"))
            && added.contains_key(Path::new("catalogue/2020q4.json"))
    );
    assert!(file(&first, "catalogue.json") != file(&later, "catalogue.json"), "the entry names the date");
    // The 2020 value, reported on 2021-01-15, changes the assessment.
    assert!(file(&first, "catalogue/progress.json") != file(&later, "catalogue/progress.json"));
    assert!(file(&later, "sitemap.xml") != file(&added, "sitemap.xml"), "the index's lastmod of 2020");
    // The lists carry no date in the sitemap: a notice joining them leaves it alone.
    assert!(file(&first, "sitemaps/pages.xml") == file(&later, "sitemaps/pages.xml"));
    assert!(file(&later, "sitemaps/pages.xml") == file(&added, "sitemaps/pages.xml"));
    // Nor the site map for readers, which names every list but counts none (each
    // browse index counts its own).
    assert!(file(&later, "map/index.html") == file(&added, "map/index.html"));
    let entry: serde_json::Value = serde_json::from_slice(&file(&added, "catalogue.json")).unwrap();
    let counts: Vec<(i64, u64, u64)> = entry["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["year"].as_i64().unwrap(), p["quarter"].as_u64().unwrap(), p["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [(2020, 4, 1), (2020, 2, 1), (2019, 2, 1), (2019, 1, 1), (2018, 3, 1)]);
}
