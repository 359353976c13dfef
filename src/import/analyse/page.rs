//! The page around the document: web-page debris, the disclosure catalogue and
//! the page's information line; and where the document itself starts.

use std::sync::LazyLock;

use regex::Regex;

use super::labels::{HEADER_RE, MAIN_TO, META_RE, header_key, labelled, meta_entry};
use super::state::{Reader, Role};
use super::words::{SENTENCE_END, loose, outline_rank};
use crate::import::{dates, org};

/// Page furniture that is dropped wherever it is: (pattern, why).
static DEBRIS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"^(欢迎访问|歡迎訪問|欢迎光临|歡迎光臨|欢迎来到)", "site banner"),
        (
            r"打印】|【打印|【返回|返回】|【关闭|关闭】|【關閉|關閉】|关闭窗口|關閉窗口|打印本页|打印本頁|打印此页",
            "print/back/close links",
        ),
        (r"扫一扫|掃一掃|分享到|分享本页|分享本頁", "share links"),
        (r"^(上一篇|下一篇|上一條|下一條|上一条|下一条)\s*[:：]", "previous/next links"),
        (r"^(导语|導語|导读|導讀)\s*[:：]", "copy-site lead (导语)"),
        (r"^【?\s*(字号|字體|字体)\s*[:：]?\s*【?\s*大\s*】?\s*【?\s*中\s*】?\s*【?\s*小", "font-size links"),
        (r"^(当前位置|您现在的位置|您的位置|當前位置)\s*[:：]", "breadcrumb"),
        (r"^(首页|首頁|网站首页)\s*(>|＞|»|›|→|/)", "breadcrumb"),
        (r"^(相关新闻|相关阅读|相关链接|相关文章|相關新聞|相關閱讀)\s*[:：]?$", "related-news heading"),
        (r"^(打印|关闭|關閉|返回|返回顶部|收藏|分享)$", "page button"),
    ]
    .into_iter()
    .map(|(p, why)| (Regex::new(p).expect("pattern"), why))
    .collect()
});

/// What the page around the document gives, and where the document starts.
pub(super) struct Page {
    /// The disclosure catalogue: (line, key, value), in order.
    pub(super) header: Vec<(usize, String, String)>,
    /// The page's information line: (line, label, value).
    pub(super) meta: Vec<(usize, String, String)>,
    /// The recipients line, if the text has one.
    pub(super) recipients_at: Option<usize>,
    /// The first line of the document: the recipients line, else the first line
    /// that reads like a paragraph.
    pub(super) body_start: usize,
}

impl Page {
    /// The catalogue's first value for a key.
    pub(super) fn header_value(&self, key: &str) -> Option<String> {
        self.header.iter().find(|(_, k, _)| k == key).map(|(_, _, v)| v.clone())
    }

    /// The catalogue's first value for a key, unless it is empty.
    pub(super) fn header_given(&self, key: &str) -> Option<String> {
        self.header_value(key).filter(|v| !v.is_empty())
    }
}

/// A line that starts with a label: catalogue or information line, unless it
/// turns out to be a line of the text.
struct Tentative {
    at: usize,
    /// A catalogue label (else an information-line label).
    header: bool,
    /// Two labels, or a label that marks page furniture wherever it is.
    strong: bool,
}

/// Steps 1–2: page furniture, the catalogue and the page's information line; where the
/// document starts.
pub(super) fn furniture(r: &mut Reader) -> Page {
    let (tentative, related_at) = debris(r);
    let (recipients_at, body_start) = document_start(r, &tentative);
    let mut page = Page { header: Vec::new(), meta: Vec::new(), recipients_at, body_start };
    catalogue(r, &tentative, &mut page);
    if let Some(line) = related_at {
        r.a.remarks.push(format!(
            "a 相关新闻 heading was dropped at line {line}; the lines after it were kept, but may be links to other pages: check them"
        ));
    }
    repeated_values(r, &page.header);
    page
}

/// Step 1: drop web-page debris; note the lines that start with a label. Returns them
/// and the line of a 相关新闻 heading.
fn debris(r: &mut Reader) -> (Vec<Tentative>, Option<usize>) {
    let mut related_at = None;
    let mut tentative: Vec<Tentative> = Vec::new();
    for i in 0..r.lines.len() {
        if r.roles[i] != Role::Text {
            continue;
        }
        let line = r.lines[i].clone();
        if let Some((_, why)) = DEBRIS.iter().find(|(re, _)| re.is_match(&line)) {
            if why.starts_with("related") {
                related_at = Some(i + 1);
            }
            r.drop_line(i, why);
        } else if let Some(pairs) = labelled(&line, &HEADER_RE) {
            tentative.push(Tentative { at: i, header: true, strong: pairs.len() >= 2 });
        } else if let Some(pairs) = labelled(&line, &META_RE) {
            let strong = pairs.len() >= 2
                || pairs.iter().any(|(l, v)| {
                    let (key, strong) = meta_entry(l);
                    strong || (key == "time" && v.contains([':', '：']) && dates::parse(v).is_ok())
                });
            tentative.push(Tentative { at: i, header: false, strong });
        }
    }
    (tentative, related_at)
}

/// Step 2, where the document starts: the recipients line (ending in a colon, right
/// after the title), else the first line that reads like a paragraph. Returns the
/// recipients line and the start.
fn document_start(r: &Reader, tentative: &[Tentative]) -> (Option<usize>, usize) {
    let n = r.lines.len();
    let mut labelled_line = vec![false; n];
    for t in tentative {
        labelled_line[t.at] = true;
    }
    let is_tentative = |i: usize| labelled_line[i];
    let first_paragraph =
        (0..n).find(|&i| r.roles[i] == Role::Text && !is_tentative(i) && is_paragraph_like(&r.lines[i])).unwrap_or(n);
    let recipients_at = (0..first_paragraph).find(|&i| {
        let l = &r.lines[i];
        r.roles[i] == Role::Text
            && !is_tentative(i)
            && (l.ends_with([':', '：']) || MAIN_TO.is_match(l))
            && l.chars().count() <= 100
            && org::org_line(l).is_none()
    });
    (recipients_at, recipients_at.unwrap_or(first_paragraph))
}

fn is_paragraph_like(line: &str) -> bool {
    line.contains(SENTENCE_END) || line.chars().count() > 100 || outline_rank(line).is_some()
}

/// The catalogue and the page's information line: the labelled lines before the
/// document starts, and the strong ones after it.
fn catalogue(r: &mut Reader, tentative: &[Tentative], page: &mut Page) {
    for t in tentative {
        let i = t.at;
        if i >= page.body_start && !t.strong {
            continue; // a line of the text that happens to start with a label
        }
        let pairs = labelled(&r.lines[i], if t.header { &HEADER_RE } else { &META_RE }).unwrap_or_default();
        if t.header {
            for (label, value) in pairs {
                page.header.push((i + 1, header_key(&label).to_owned(), value));
            }
            r.drop_line(i, "disclosure catalogue (went to metadata)");
        } else {
            for (label, value) in pairs {
                page.meta.push((i + 1, label, value));
            }
            r.drop_line(i, "page information line (作者/来源/时间/点击量)");
        }
    }
}

/// Catalogue values repeated with a different value are reported.
fn repeated_values(r: &mut Reader, header: &[(usize, String, String)]) {
    let mut seen: Vec<(String, String)> = Vec::new();
    for (line, key, value) in header {
        if let Some((_, first)) = seen.iter().find(|(k, _)| k == key) {
            if loose(first) != loose(value) {
                r.a.remarks.push(format!(
                    "the catalogue gives {key} twice, differently: `{first}`, then `{value}` (line {line}); the first was taken"
                ));
            }
        } else {
            seen.push((key.clone(), value.clone()));
        }
    }
}
