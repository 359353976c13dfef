//! End-to-end, in a real browser: every HTML page of the example site, as a phone
//! (320 and 360 px) and a desktop (1280 px) show it, through tests/search/pages.mjs
//! (Debian's Chromium driven by playwright-core, axe-core for WCAG 2.1 AA).
//! Skipped without node, Chromium and `npm ci --prefix tests/search`, except on CI.

mod common;
use common::*;

use serde_json::{Value, json};

/// Every page a citizen can reach, by its path in the output.
fn html_pages(site: &Site) -> Vec<String> {
    let pages: Vec<String> = site
        .snapshot("output")
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        // 404.html links by the site's path (/gongkai/…), which this test server
        // does not use; tests/site.rs checks those links.
        .filter(|p| p != std::path::Path::new("404.html"))
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(pages.len() > 30, "only {} pages", pages.len());
    pages
}

/// Decode a QR code from the grey pixels pages.mjs hands back.
fn read_qr(shot: &Value) -> Option<String> {
    let (w, h) = (shot["width"].as_u64()? as usize, shot["height"].as_u64()? as usize);
    let grey: Vec<u8> = shot["grey"].as_array()?.iter().map(|v| v.as_u64().unwrap() as u8).collect();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
    let grids = img.detect_grids();
    grids.first()?.decode().ok().map(|(_, text)| text)
}

fn problems(answer: &Value, key: &str) -> Vec<String> {
    answer["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p[key].as_array().unwrap().is_empty())
        .map(|p| format!("{} at {} px: {}", p["page"].as_str().unwrap(), p["width"], p[key]))
        .collect()
}

/// `pages` of the site in `out` at 320, 360 and 1280 px: nothing wider than the
/// screen, no text under 16 px on a phone, no axe violation, no request elsewhere.
fn fit_phones_and_pass_axe(out: &std::path::Path, pages: &[impl serde::Serialize]) {
    check_pages(out, pages, json!({}));
}

/// `fit_phones_and_pass_axe` with more asked of pages.mjs (`extra`: print, tools …);
/// its whole answer, for the checks of those.
fn check_pages(out: &std::path::Path, pages: &[impl serde::Serialize], extra: Value) -> Value {
    let mut request =
        json!({"pages": pages, "widths": [320, 360, 1280], "axe": [360, 1280], "phone": 360, "print": []});
    for (k, v) in extra.as_object().unwrap() {
        request[k] = v.clone();
    }
    let answer = run_node_script("pages.mjs", out, &request);
    assert_eq!(answer["pages"].as_array().unwrap().len(), pages.len() * 3, "every page at every width");
    let sideways = problems(&answer, "overflow");
    assert!(sideways.is_empty(), "pages that scroll sideways:\n{}", sideways.join("\n"));
    let small = problems(&answer, "small");
    assert!(small.is_empty(), "text under 16 px on a phone:\n{}", small.join("\n"));
    let axe = problems(&answer, "axe");
    assert!(axe.is_empty(), "axe (WCAG 2.1 AA) violations:\n{}", axe.join("\n"));
    assert_eq!(answer["foreign"], json!([]), "no page requests another host");
    answer
}

#[test]
fn every_page_fits_a_phone_reads_at_16px_and_passes_axe() {
    if !browser_available() {
        return;
    }
    let site = Site::example();
    site.build().ok();
    let pages = html_pages(&site);
    // The notices' own pages: folders of content/notices/ with a page. A withdrawn
    // notice's page there has no text to print and no QR code: it is checked with
    // every page (phones, axe), not as a notice.
    let notices: Vec<&String> = pages
        .iter()
        .filter(|p| p.starts_with("notices/") && p.matches('/').count() == 2 && p.ends_with("/index.html"))
        .filter(|p| !site.read(&format!("output/{p}")).contains("class=\"notice withdrawn\""))
        .collect();
    // The example's consultation list and withdrawn notice are among the pages.
    for page in ["consultations/index.html", "notices/shili-xiaowai-peixun-tongzhi-chehui/index.html"] {
        assert!(pages.iter().any(|p| p == page) && !notices.iter().any(|p| *p == page), "{page}");
    }
    assert!(notices.len() >= 3, "{notices:?}");
    // The dashboard and its filter pages, which carry less navigation.
    for kind in ["progress/index.html", "progress/status/", "progress/issuers/", "progress/topics/"] {
        assert!(pages.iter().any(|p| p.starts_with(kind)), "no {kind} page");
    }
    // A withdrawn notice's short page prints too: without navigation, with its URL.
    let withdrawn: Vec<&String> = pages
        .iter()
        .filter(|p| {
            p.starts_with("notices/") && site.read(&format!("output/{p}")).contains("class=\"notice withdrawn\"")
        })
        .collect();
    assert!(!withdrawn.is_empty());
    let printed_pages: Vec<&String> = notices.iter().chain(&withdrawn).copied().collect();
    let answer = check_pages(
        &site.path("output"),
        &pages,
        json!({"print": printed_pages, "tools": notices[0], "qr": notices,
            "script": {"simplified": "notices/tongyu-yiwu-jiaoyu-junheng-guihua/index.html",
                       "traditional": "notices/shizhengban-jiaoyu-chuangxin-yijian/index.html"}}),
    );
    for printed in answer["print"].as_array().unwrap() {
        assert_eq!(printed["visible"], json!([]), "printed {printed}: navigation or buttons on paper");
        let from = printed["url"].as_str().unwrap();
        assert!(from.contains("本页网址：https://example.org/gongkai/") && from.contains("打印日期："), "{printed}");
    }
    assert_eq!(answer["print"].as_array().unwrap().len(), notices.len() + withdrawn.len());
    // The printed length against the official one, for notices with a text.
    for printed in answer["print"].as_array().unwrap().iter().filter(|p| !withdrawn.iter().any(|w| p["page"] == **w)) {
        let (pages, official) = (printed["pages"].as_f64().unwrap(), printed["official"].as_f64().unwrap());
        assert!(official > 1.0, "the body was measured: {printed}");
        assert!(pages <= 2.0 * official, "printed text runs past twice its official length: {printed}");
    }
    // Each notice's QR code, read off the screen, is the notice's permanent URL.
    let catalogue = site.catalogue();
    for qr in answer["qr"].as_array().unwrap() {
        let page = qr["page"].as_str().unwrap();
        let path = page.trim_end_matches("index.html");
        let url = catalogue["notices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["url"].as_str().unwrap())
            .find(|u| u.ends_with(path))
            .unwrap_or_else(|| panic!("{page} in the catalogue"));
        assert_eq!(read_qr(qr).as_deref(), Some(url), "{page}");
    }
    assert_eq!(answer["qr"].as_array().unwrap().len(), notices.len());
    let tools = &answer["tools"];
    assert_eq!(tools["buttons"], json!(["大", "中", "小", "打印", "关闭窗口"]), "{tools}");
    let size = |k: &str| tools[k].as_f64().unwrap();
    assert!(
        size("larger") > size("before") && size("remembered") == size("larger"),
        "字号 大 is applied and remembered: {tools}"
    );
    assert!(size("before") >= 16.0);
    // 简体 / 繁體: the Simplified plan reads in Traditional (phrases and characters,
    // interface too), remembered after a reload, and back to the original at once.
    let script = &answer["script"];
    let text = |k: &str| script[k].as_str().unwrap().to_owned();
    assert!(text("before").contains("义务教育均衡发展") && !text("before").contains("發展"));
    for page in [text("hant"), text("remembered")] {
        assert!(page.contains("義務教育均衡發展"), "converted: {}", &page[..page.len().min(400)]);
        assert!(page.contains("當前位置") && page.contains("檢索"), "the interface too");
    }
    assert_eq!(script["lang"], "zh-Hant");
    assert!(text("note").contains("以原文為準"), "{script}");
    assert_eq!(text("original"), text("before"), "原文 restores every word");
    assert!(
        text("hans").contains("市政办") && !text("hans").contains("市政辦"),
        "the Traditional notice in Simplified"
    );
    eprintln!("script switch: {} ms to convert the 通榆 notice page", script["ms"]);
}

/// An archive folder's index page (with its lists of what changed) and a snapshot's
/// pages (with the as-of note, its date from as-of.css) on a phone and a desktop.
#[test]
fn the_archive_index_and_snapshot_pages_fit_a_phone_and_pass_axe() {
    if !browser_available() {
        return;
    }
    let site = Site::example();
    let archive = site.path("archive");
    for date in ["2019-12-31", "2023-06-30"] {
        site.run(&["snapshot", "--as-of", date, "--archive", archive.to_str().unwrap()]).ok();
        let out = site.path(&format!("exports/{date}"));
        site.run(&["archive", "export", archive.to_str().unwrap(), "--as-of", date, "--out", out.to_str().unwrap()])
            .ok();
    }
    let pages = [
        "archive/index.html",
        "exports/2023-06-30/index.html",
        "exports/2023-06-30/notices/shizhengban-jiaoyu-chuangxin-yijian/index.html",
        "exports/2019-12-31/progress/index.html",
        "exports/2019-12-31/progress/status/no_data/index.html",
    ];
    fit_phones_and_pass_axe(site.root(), &pages);
}

/// A list long enough for full pages (counted from the oldest): its landing page
/// and every full page on a phone and a desktop, with their navigation.
#[test]
fn the_pages_of_a_long_list_fit_a_phone_and_pass_axe() {
    if !browser_available() {
        return;
    }
    let site = Site::new();
    site.write("content/site.yaml", &format!("{SITE_YAML}page_size: 3\n"));
    for i in 1..=13 {
        let text = GOOD
            .replace("通政办发〔2018〕55号", &format!("通政办发〔2018〕{i}号"))
            .replace("关于印发某规划的通知", &format!("关于印发第{i}号规划的通知"))
            .replace("published: 2018-09-03", &format!("published: 2018-09-{:02}", 2 + i));
        site.write(&format!("content/n{i:02}.md"), &text);
    }
    site.build().ok();
    // 13 notices, 3 to a page: the landing page (the newest 4) and pages 1 … 3.
    let pages: Vec<String> = ["years/2018/index.html"]
        .into_iter()
        .map(String::from)
        .chain((1..=3).map(|j| format!("years/2018/page/{j}/index.html")))
        .collect();
    assert!(!site.path("output/years/2018/page/4").exists());
    fit_phones_and_pass_axe(&site.path("output"), &pages);
}
