//! The front of the text, before the document starts: web-site column names, the
//! document number, the issuer banner (…文件) and the title.

use std::sync::LazyLock;

use regex::Regex;

use super::page::Page;
use super::state::{Reader, Role};
use super::words::{SENTENCE_END, TITLE_VERBS, loose};
use crate::import::{dates, org};
use crate::schema::doc_number;

/// Column names of web sites, dropped when they stand alone before the document.
const COLUMN_LABELS: &[&str] = &[
    "通知公告",
    "通知通告",
    "公示公告",
    "政府信息公开",
    "政府信息公開",
    "信息公开",
    "政务公开",
    "政策文件",
    "政府文件",
    "文件通知",
    "规划计划",
    "政策法规",
    "工作动态",
    "最新动态",
    "首页",
    "正文",
];

pub(super) static BANNER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.+?)\s*文件$").expect("pattern"));
/// 签发人 (on upward documents), alone or after the document number on its line.
static SIGNER_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?)\s*签\s*发\s*人\s*[:：]\s*(\S.*)$").expect("pattern"));

/// What the front gives.
#[derive(Default)]
pub(super) struct Front {
    /// The document number lines: (line, text).
    pub(super) doc_lines: Vec<(usize, String)>,
    /// The names of the issuer banner (…文件).
    pub(super) banner_issuers: Vec<String>,
    /// The catalogue's title, when it gives one.
    pub(super) header_title: Option<String>,
    /// The text's title, when the catalogue gives none: the issuer lines above it
    /// and the title lines.
    pub(super) text_title: Option<String>,
    /// The names on the issuer lines above the title.
    pub(super) title_issuers: Vec<String>,
    /// The names at the beginning of the title.
    pub(super) title_prefix_issuers: Vec<String>,
    /// An issuer that is only the beginning of the title, not a full name.
    pub(super) title_abbreviated: Option<String>,
}

/// Step 3, the front: column names, the document number, the issuer banner and the title.
pub(super) fn front(r: &mut Reader, page: &Page) -> Front {
    let mut front = front_lines(r, page.body_start);
    let runs = title_runs(r, page.body_start);
    front.header_title = page.header_given("title");
    if let Some(ht) = &front.header_title {
        catalogue_title(r, ht, &runs);
    } else if let Some(run) = runs.last() {
        text_title(r, run, &runs[..runs.len() - 1], &mut front);
    }
    // Lines of the front that are none of the above stay in the body.
    for i in 0..page.body_start {
        if r.roles[i] == Role::Text {
            r.a.remarks.push(format!(
                "line {} before the recipients was not recognised and was kept at the top of the body: `{}`",
                i + 1,
                r.lines[i]
            ));
        }
    }
    front
}

/// Column names, the document number and the issuer banner.
fn front_lines(r: &mut Reader, body_start: usize) -> Front {
    let mut front = Front::default();
    for i in 0..body_start {
        if r.roles[i] != Role::Text {
            continue;
        }
        let line = r.lines[i].clone();
        let signer = SIGNER_LINE.captures(&line).filter(|c| c[1].is_empty() || doc_number::is_number_line(&c[1]));
        if COLUMN_LABELS.contains(&line.as_str()) {
            r.drop_line(i, "web-site column name");
        } else if let Some(c) = signer {
            if !c[1].is_empty() {
                front.doc_lines.push((i + 1, c[1].to_owned()));
            }
            r.a.signers.extend(c[2].split([' ', '、', '，', ',']).filter(|s| !s.is_empty()).map(str::to_owned));
            r.drop_line(i, "签发人 signer (in the report: the schema has no field for it)");
        } else if doc_number::is_number_line(&line) {
            front.doc_lines.push((i + 1, line));
            r.drop_line(i, "document number (went to metadata)");
        } else if let Some(c) = BANNER.captures(&line)
            && let Some(names) = org::org_line(&c[1])
        {
            front.banner_issuers = names;
            r.drop_line(i, "issuer banner 发文机关标志 (went to metadata)");
        }
    }
    front
}

/// Runs of short lines (blank lines between them allowed) are title candidates.
fn title_runs(r: &Reader, body_start: usize) -> Vec<Vec<usize>> {
    let candidate = |l: &str| {
        let too_long_or_sentence = l.chars().count() > 60 || l.contains(SENTENCE_END) || l.ends_with([':', '：']);
        let date = dates::parse(l).is_ok() || dates::is_signature_date(l);
        let parenthesised = l.starts_with(['(', '（']) && l.ends_with([')', '）']);
        !(too_long_or_sentence || date || parenthesised)
    };
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for i in 0..body_start {
        match r.roles[i] {
            Role::Blank => {}
            Role::Text if candidate(&r.lines[i]) => current.push(i),
            _ => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The catalogue's title: the run (or line) of the text that is the title is
/// dropped, and so are its repetitions.
fn catalogue_title(r: &mut Reader, ht: &str, runs: &[Vec<usize>]) {
    let target = loose(ht);
    let mut matched = false;
    for run in runs.iter().rev() {
        let joined: String = run.iter().map(|&i| r.lines[i].as_str()).collect();
        if loose(&joined) == target {
            for &i in run {
                let why = if matched { "repeated title" } else { "title (went to metadata)" };
                r.drop_line(i, why);
            }
            matched = true;
        } else {
            for &i in run {
                if loose(&r.lines[i]) == target {
                    r.drop_line(i, "repeated title");
                    matched = true;
                }
            }
        }
    }
    if !matched {
        r.a.remarks.push(format!(
            "the catalogue's title was not found as a title line in the text; the text's lines before the recipients were kept in the body: check that the title `{ht}` is right"
        ));
    }
}

/// The text's title, the last run of candidates: issuer lines above a title
/// (中共海东市平安区委办公室 海东市…办公室 / 关于印发…的通知), then the title.
/// The same title earlier on the page (the page's own heading) is dropped.
fn text_title(r: &mut Reader, run: &[usize], earlier: &[Vec<usize>], front: &mut Front) {
    let mut lead = 0;
    while lead + 1 < run.len() && org::org_line(&r.lines[run[lead]]).is_some() {
        lead += 1;
    }
    let org_part: Vec<String> = run[..lead].iter().map(|&i| r.lines[i].clone()).collect();
    let rest: String = run[lead..].iter().map(|&i| r.lines[i].as_str()).collect();
    for name in &org_part {
        front.title_issuers.extend(org::org_line(name).unwrap_or_default());
    }
    let full = if org_part.is_empty() { rest.clone() } else { format!("{}{}", org_part.join(" "), rest) };
    for &i in run {
        r.drop_line(i, "title (went to metadata)");
    }
    for other in earlier {
        for &i in other {
            let l = loose(&r.lines[i]);
            if l == loose(&full) || l == loose(&rest) {
                r.drop_line(i, "repeated title");
            }
        }
    }
    if org_part.is_empty() {
        title_prefix(&rest, front);
    }
    front.text_title = Some(full);
}

/// The issuer at the beginning of a title, before its verb (关于, 印发 …); without
/// a verb, an abbreviated name the title starts with.
fn title_prefix(title: &str, front: &mut Front) {
    let verb_at = TITLE_VERBS.iter().filter_map(|v| title.find(v)).min();
    match verb_at {
        Some(p) if p > 0 => {
            if let Some(names) = org::org_line(title[..p].trim()) {
                front.title_prefix_issuers = names;
            }
        }
        Some(_) => {}
        None => {
            if let Some(name) = org::title_prefix_org(title) {
                front.title_abbreviated = Some(name.clone());
                front.title_prefix_issuers = vec![name];
            }
        }
    }
}
