//! A site in Traditional script (`language: zh-Hant`) shows every word gongkai
//! writes itself in Traditional: the templates' words, and the words the code puts
//! into pages, feeds and tables.

mod common;

use std::path::Path;

use common::*;
use gongkai::text::zhconv::s2t;

/// Every run of Han characters in `text` holding a character only Simplified
/// script uses: one that Traditional→Simplified leaves as it is and
/// Simplified→Traditional changes. (A Traditional variant that OpenCC would
/// normalise again, 爲 to 為, is not Simplified.)
fn simplified_runs(text: &str) -> Vec<String> {
    let is_han = |c: char| matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}');
    let simplified_only = |c: char| {
        let mut buf = [0; 4];
        gongkai::text::simplified_char(c) == c && s2t().convert(c.encode_utf8(&mut buf)) != c.to_string()
    };
    let mut out = Vec::new();
    for run in text.split(|c: char| !is_han(c)).filter(|r| !r.is_empty()) {
        if run.chars().any(simplified_only) && s2t().convert(run) != run {
            out.push(run.to_owned());
        }
    }
    out
}

/// What a reader sees of a file: for HTML and XML the text and attribute values
/// but not the addresses nor a filter's value (a URL and the search index name a
/// browse term as the site's data does; its label is shown); for scripts their
/// code without comments.
fn words_of(path: &Path, text: &str) -> String {
    let strip = |text: &str, re: &str| regex::Regex::new(re).unwrap().replace_all(text, " ").into_owned();
    match ext(path) {
        "js" => strip(&strip(text, r"(?s)/\*.*?\*/"), r"(?m)^\s*//.*$"),
        _ => strip(&strip(text, r#"(href|src|action|value)="[^"]*""#), r"https?://\S+"),
    }
}

/// Words each script writes in itself whatever the site's script: the names of
/// the scripts on the 简体/繁體 switch and the note shown over a converted page.
const OWN_SCRIPT: &[&str] = &["简体", "本页文字由机器从原文转换为简体", "仅供阅读", "以原文为准"];

/// The example site with every document turned into Traditional script as well
/// (its Markdown, site.yaml's vocabularies, its data files), built as zh-Hant: a
/// Simplified word left on any page, feed or table is one gongkai wrote.
#[test]
fn a_zh_hant_site_shows_no_simplified_interface_word() {
    let site = Site::example();
    for entry in walkdir::WalkDir::new(site.path("content")).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if !entry.file_type().is_file() || !matches!(ext(path), "md" | "yaml" | "csv" | "txt") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, s2t().convert(&text)).unwrap();
    }
    // Workbooks: their XML parts hold the cells' words (markup is ASCII).
    for entry in walkdir::WalkDir::new(site.path("content")).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() && ext(entry.path()) == "xlsx" {
            convert_workbook(entry.path());
        }
    }
    // Attachments under their names in Traditional, as the converted texts name them.
    for entry in walkdir::WalkDir::new(site.path("content")).into_iter().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_file() && s2t().convert(&name) != name {
            std::fs::rename(entry.path(), entry.path().with_file_name(s2t().convert(&name))).unwrap();
        }
    }
    let yaml = site.read("content/site.yaml");
    assert!(yaml.contains("language: zh-Hans"));
    site.write("content/site.yaml", &yaml.replace("language: zh-Hans", "language: zh-Hant"));
    site.build().ok();
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(site.path("output")).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        // The script table holds both scripts by design; the search index and the
        // catalogue are data, not words for readers; the stylesheet has font names.
        if !entry.file_type().is_file()
            || !matches!(ext(path), "html" | "xml" | "csv" | "js")
            || path.ends_with("zh-convert.js")
        {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for run in simplified_runs(&words_of(path, &text)).into_iter().filter(|r| !OWN_SCRIPT.contains(&r.as_str())) {
            found.push(format!("{}: {run}", path.strip_prefix(site.path("output")).unwrap().display()));
        }
    }
    found.sort();
    found.dedup();
    assert!(found.is_empty(), "{} Simplified words on a zh-Hant site:\n{}", found.len(), found.join("\n"));
}

/// Rewrites a workbook with every XML part turned into Traditional script.
fn convert_workbook(path: &Path) {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        if name.ends_with(".xml") {
            bytes = s2t().convert(std::str::from_utf8(&bytes).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

fn ext(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or("")
}
