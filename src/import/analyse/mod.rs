//! Reading one legacy text: which lines are web-page debris, which are the
//! disclosure catalogue, the title, the document number, the recipients, the
//! signature, the notes; what metadata they give; and the body as Markdown.
//!
//! Nothing is guessed: a field the text does not give stays empty, and a damaged
//! value is reported, not repaired.

mod labels;
mod words;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::dates;
use super::org;
use crate::schema::doc_number::{self, DocNumber};
use crate::schema::{Date, Topic};
use labels::{HEADER_RE, META_RE, WS, header_key, labelled, meta_entry};
use words::{
    EMBEDDED_PLAN, SENTENCE_END, TITLE_VERBS, form_of, genre_of, is_genre, loose, normalise_line, period_of,
    simplified, split_names,
};

/// What replaces, in the body, an organisation name that was tampered with.
pub const MARKER: &str = "〔此处机关名称在来源中疑似遭篡改〕";
/// What replaces, in the body, other text spliced in by the same tampering.
pub const TEXT_MARKER: &str = "〔此处文字在来源中疑似遭篡改〕";

/// Everything read from one text.
#[derive(Debug, Default)]
pub struct Analysis {
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub index_number: Option<String>,
    pub issuers: Vec<String>,
    pub genre: Option<String>,
    pub form: Option<String>,
    pub topics: Vec<String>,
    pub written: Option<Date>,
    pub published: Option<Date>,
    pub recipients: Vec<String>,
    pub cc: Vec<String>,
    pub printed: Option<String>,
    pub period: Option<String>,
    pub validity: Option<String>,
    pub disclosure: Option<String>,
    /// The document's 附注 (此件公开发布).
    pub annotation: Option<String>,
    /// The editor's notes on the source, for `note` (each a sentence ending in 。).
    pub notes: Vec<String>,
    /// (field, raw text, why).
    pub damaged: Vec<(String, String, String)>,
    /// For the clerk's report: discrepancies, where values came from.
    pub remarks: Vec<String>,
    /// Lines left out of the body: (line number, text, why).
    pub dropped: Vec<(usize, String, String)>,
    /// The body as Markdown.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Role {
    Blank,
    /// Left out of the body; the reason is recorded in `dropped`.
    Dropped,
    Text,
    Heading(usize),
    /// First line of the embedded plan's title, with the whole title.
    PlanTitle(String),
}

// ---------------------------------------------------------------- line patterns

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

static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]\s*(此件公开发布|此件公開發布|全文公开|全文公開|此件主动公开|此件主動公開|此件依申请公开|此件不予公开|此件不公开|此件不公開)\s*([）)])?$")
        .expect("pattern")
});
static CC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^抄\s*送\s*(?:机关|機關)?\s*[:：]\s*(.+)$").expect("pattern"));
static MAIN_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^主\s*送\s*(?:机关|機關)?\s*[:：]\s*(.+)$").expect("pattern"));
static PRINTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?)\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(印发|印發)$").expect("pattern")
});
static BANNER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.+?)\s*文件$").expect("pattern"));
static OUTLINE: LazyLock<[Regex; 4]> = LazyLock::new(|| {
    [
        Regex::new(r"^[一二三四五六七八九十百]+[、．]").expect("pattern"),
        Regex::new(r"^[（(][一二三四五六七八九十百]+[）)]").expect("pattern"),
        Regex::new(r"^\d{1,2}[.．、]").expect("pattern"),
        Regex::new(r"^[（(]\d{1,2}[）)]").expect("pattern"),
    ]
});

/// Outline rank of a numbered line: 一、 0, (一) 1, 1. 2, (1) 3.
fn outline_rank(line: &str) -> Option<usize> {
    for (rank, re) in OUTLINE.iter().enumerate() {
        if let Some(m) = re.find(line) {
            let rest = &line[m.end()..];
            // 2.5% is a number, not an outline item; an empty item is not a heading.
            if rank == 2 && rest.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            if rest.trim().is_empty() {
                return None;
            }
            return Some(rank);
        }
    }
    None
}

/// A numbered line short enough, and without a sentence in it, to be a heading.
fn is_heading_line(line: &str) -> bool {
    let n = line.chars().count();
    if n > 50 || line.ends_with(['，', ',', '：', ':', '、']) {
        return false;
    }
    let inner = line.strip_suffix('。').unwrap_or(line);
    if inner.len() != line.len() && n > 30 {
        return false;
    }
    !inner.contains(SENTENCE_END)
}

fn is_paragraph_like(line: &str) -> bool {
    line.contains(SENTENCE_END) || line.chars().count() > 100 || outline_rank(line).is_some()
}

// ---------------------------------------------------------------- analysis

struct Reader {
    lines: Vec<String>,
    roles: Vec<Role>,
    a: Analysis,
}

impl Reader {
    fn drop_line(&mut self, i: usize, why: &str) {
        self.roles[i] = Role::Dropped;
        self.a.dropped.push((i + 1, self.lines[i].clone(), why.to_owned()));
    }

    fn damaged(&mut self, field: &str, raw: &str, why: impl Into<String>) {
        if !self.a.damaged.iter().any(|(f, r, _)| f == field && r == raw) {
            self.a.damaged.push((field.to_owned(), raw.to_owned(), why.into()));
        }
    }
}

/// One source of issuer names, in order of trust.
struct IssuerSource {
    names: Vec<String>,
    from: &'static str,
}

/// Read a legacy text.
pub fn analyse(text: &str) -> Analysis {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = text.lines().map(normalise_line).collect();
    let roles = lines.iter().map(|l| if l.is_empty() { Role::Blank } else { Role::Text }).collect();
    let mut r = Reader { lines, roles, a: Analysis::default() };
    let n = r.lines.len();

    // 1. Page furniture, the catalogue and the page's information line.
    let mut header: Vec<(usize, String, String)> = Vec::new(); // (line, key, value) in order
    let mut meta: Vec<(usize, String, String)> = Vec::new(); // (line, label, value)
    let mut related_at = None;
    let mut tentative: Vec<(usize, bool, bool)> = Vec::new(); // (line, is_header, strong)
    for i in 0..n {
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
            tentative.push((i, true, pairs.len() >= 2));
        } else if let Some(pairs) = labelled(&line, &META_RE) {
            let strong = pairs.len() >= 2
                || pairs.iter().any(|(l, v)| {
                    let (key, strong) = meta_entry(l);
                    strong || (key == "time" && v.contains([':', '：']) && dates::parse(v).is_ok())
                });
            tentative.push((i, false, strong));
        }
    }

    // 2. Where the document starts: the recipients line (ending in a colon, right
    // after the title), else the first line that reads like a paragraph.
    let mut labelled_line = vec![false; n];
    for &(i, _, _) in &tentative {
        labelled_line[i] = true;
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
    let body_start = recipients_at.unwrap_or(first_paragraph);

    for &(i, is_header, strong) in &tentative {
        if i >= body_start && !strong {
            continue; // a line of the text that happens to start with a label
        }
        let pairs = labelled(&r.lines[i], if is_header { &HEADER_RE } else { &META_RE }).unwrap_or_default();
        if is_header {
            for (label, value) in pairs {
                header.push((i + 1, header_key(&label).to_owned(), value));
            }
            r.drop_line(i, "disclosure catalogue (went to metadata)");
        } else {
            for (label, value) in pairs {
                meta.push((i + 1, label, value));
            }
            r.drop_line(i, "page information line (作者/来源/时间/点击量)");
        }
    }
    if let Some(line) = related_at {
        r.a.remarks.push(format!(
            "a 相关新闻 heading was dropped at line {line}; the lines after it were kept, but may be links to other pages: check them"
        ));
    }

    // 3. The front: column names, the document number, the issuer banner and the title.
    let mut doc_lines: Vec<(usize, String)> = Vec::new();
    let mut banner_issuers: Vec<String> = Vec::new();
    for i in 0..body_start {
        if r.roles[i] != Role::Text {
            continue;
        }
        let line = r.lines[i].clone();
        if COLUMN_LABELS.contains(&line.as_str()) {
            r.drop_line(i, "web-site column name");
        } else if doc_number::is_number_line(&line) {
            doc_lines.push((i + 1, line));
            r.drop_line(i, "document number (went to metadata)");
        } else if let Some(c) = BANNER.captures(&line)
            && let Some(names) = org::org_line(&c[1])
        {
            banner_issuers = names;
            r.drop_line(i, "issuer banner 发文机关标志 (went to metadata)");
        }
    }

    // Runs of short lines (blank lines between them allowed) are title candidates.
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

    let header_value = |key: &str| header.iter().find(|(_, k, _)| k == key).map(|(l, _, v)| (*l, v.clone()));
    // Catalogue values repeated with a different value are reported.
    {
        let mut seen: Vec<(String, String)> = Vec::new();
        for (line, key, value) in &header {
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

    let mut title_issuers: Vec<String> = Vec::new();
    let mut title_prefix_issuers: Vec<String> = Vec::new();
    let mut title_abbreviated = None;
    let mut text_title: Option<String> = None;
    let header_title = header_value("title").map(|(_, v)| v).filter(|v| !v.is_empty());
    if let Some(ht) = &header_title {
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
    } else if let Some(run) = runs.last().cloned() {
        // Issuer lines above a title: 中共海东市平安区委办公室 海东市…办公室 / 关于印发…的通知.
        let mut lead = 0;
        while lead + 1 < run.len() && org::org_line(&r.lines[run[lead]]).is_some() {
            lead += 1;
        }
        let org_part: Vec<String> = run[..lead].iter().map(|&i| r.lines[i].clone()).collect();
        let rest: String = run[lead..].iter().map(|&i| r.lines[i].as_str()).collect();
        for name in &org_part {
            title_issuers.extend(org::org_line(name).unwrap_or_default());
        }
        let full = if org_part.is_empty() { rest.clone() } else { format!("{}{}", org_part.join(" "), rest) };
        for &i in &run {
            r.drop_line(i, "title (went to metadata)");
        }
        // The same title earlier on the page (the page's own heading).
        for other in &runs[..runs.len() - 1] {
            for &i in other {
                let l = loose(&r.lines[i]);
                if l == loose(&full) || l == loose(&rest) {
                    r.drop_line(i, "repeated title");
                }
            }
        }
        if org_part.is_empty() {
            let verb_at = TITLE_VERBS.iter().filter_map(|v| rest.find(v)).min();
            match verb_at {
                Some(p) if p > 0 => {
                    if let Some(names) = org::org_line(rest[..p].trim()) {
                        title_prefix_issuers = names;
                    }
                }
                Some(_) => {}
                None => {
                    if let Some(name) = org::title_prefix_org(&rest) {
                        title_abbreviated = Some(name.clone());
                        title_prefix_issuers = vec![name];
                    }
                }
            }
        }
        text_title = Some(full);
    }
    // Lines of the front that are none of the above stay in the body.
    for i in 0..body_start {
        if r.roles[i] == Role::Text {
            r.a.remarks.push(format!(
                "line {} before the recipients was not recognised and was kept at the top of the body: `{}`",
                i + 1,
                r.lines[i]
            ));
        }
    }

    // 4. The body: recipients, signature, date, 附注, 抄送, 印发, the embedded plan.
    if let Some(i) = recipients_at {
        let l = &r.lines[i];
        let list = MAIN_TO.captures(l).map_or_else(|| l.clone(), |c| c[1].to_owned());
        r.a.recipients = split_names(&list);
    }
    let mut signature_date: Option<(usize, String)> = None;
    let mut signature_issuers: Vec<String> = Vec::new();
    for i in body_start..n {
        if r.roles[i] != Role::Text {
            continue;
        }
        let line = r.lines[i].clone();
        if let Some(c) = ANNOTATION.captures(&line) {
            let word = c[1].to_owned();
            let disclosure = if word.contains("依申请") {
                "依申请公开"
            } else if word.contains('不') {
                "不予公开"
            } else {
                "主动公开"
            };
            if r.a.disclosure.is_none() {
                r.a.disclosure = Some(disclosure.to_owned());
            }
            r.a.annotation.get_or_insert(word);
            if c.get(2).is_none() {
                r.a.notes.push(format!("附注在来源中作“{line}”，缺右括号，正文照录。"));
                r.a.remarks.push(format!("the note 附注 on line {} lacks its closing bracket: `{line}`", i + 1));
            }
        } else if let Some(c) = CC.captures(&line) {
            r.a.cc = split_names(&c[1]);
        } else if let Some(c) = PRINTED.captures(&line) {
            r.a.printed = Some(format!("{} {}{}", c[1].trim(), WS.replace_all(&c[2], ""), &c[3]));
        } else if signature_date.is_none() && dates::is_signature_date(&line) {
            signature_date = Some((i, line.clone()));
            if let Some(prev) = (body_start..i).rev().find(|&j| r.roles[j] != Role::Blank)
                && let Some(names) = org::org_line(&r.lines[prev])
            {
                signature_issuers = names;
            }
        }
    }

    // 5. Issuers: the catalogue, the signature, the names above the title, the
    // banner, the title's beginning. Damaged names are reported and left out.
    let header_issuers: Vec<String> = header_value("issuer")
        .map(|(_, v)| {
            v.split(|c: char| c.is_whitespace() || "、，,；;".contains(c))
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let sources = [
        IssuerSource { names: header_issuers, from: "the catalogue (发文机关)" },
        IssuerSource { names: signature_issuers, from: "the signature" },
        IssuerSource { names: title_issuers, from: "the issuer line above the title" },
        IssuerSource { names: banner_issuers, from: "the issuer banner (…文件)" },
        IssuerSource { names: title_prefix_issuers, from: "the beginning of the title" },
    ];
    let mut damaged_names: Vec<String> = Vec::new();
    let mut fragments: BTreeSet<String> = BTreeSet::new();
    // (name, its foreign parts, where it was found)
    let mut tampered: Vec<(String, Vec<String>, Vec<&str>)> = Vec::new();
    for source in &sources {
        for (pos, name) in source.names.iter().enumerate() {
            let parts = org::foreign_parts(name);
            if parts.is_empty() {
                continue;
            }
            match tampered.iter_mut().find(|(n, _, _)| n == name) {
                Some((_, _, froms)) => froms.push(source.from),
                None => {
                    damaged_names.push(name.clone());
                    r.a.notes.push(format!(
                        "来源中第{}个发文机关的名称疑似遭篡改（名称中夹杂了与机关无关的文字），未列为发文机关，正文中以{MARKER}标出。",
                        pos + 1
                    ));
                    fragments.extend(parts.iter().cloned());
                    tampered.push((name.clone(), parts, vec![source.from]));
                }
            }
        }
    }
    for (name, parts, froms) in &tampered {
        r.damaged(
            "issuer",
            name,
            format!(
                "organisation name with foreign text spliced in ({}), found in {}; left out of issuer, and replaced in the body by {MARKER}",
                parts.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                froms.join(" and ")
            ),
        );
    }
    let chosen = sources.iter().find(|s| !s.names.is_empty());
    if let Some(chosen) = chosen {
        r.a.issuers = chosen.names.iter().filter(|n| !damaged_names.contains(n)).cloned().collect();
        if chosen.from != sources[0].from && title_abbreviated.is_none() {
            r.a.remarks.push(format!("issuer taken from {}", chosen.from));
        }
        for other in sources.iter().filter(|s| !s.names.is_empty() && s.from != chosen.from) {
            if other.names.iter().map(|n| loose(n)).collect::<Vec<_>>()
                != chosen.names.iter().map(|n| loose(n)).collect::<Vec<_>>()
            {
                r.a.remarks.push(format!(
                    "issuers differ: {} gives {}, {} gives {}; {} was taken",
                    chosen.from,
                    chosen.names.join(" "),
                    other.from,
                    other.names.join(" "),
                    chosen.from
                ));
            }
        }
    }
    // Recipients, cc and the printing office: a name with Latin letters or digits
    // spliced in is damaged too (spam words alone are not enough here: 各文化娱乐场所
    // is a real recipient).
    let spliced = |name: &str| -> Vec<String> {
        org::foreign_parts(name).into_iter().filter(|p| p.chars().any(|c| c.is_ascii_alphanumeric())).collect()
    };
    for (field, label) in [("recipients", "主送机关"), ("cc", "抄送机关")] {
        let list = std::mem::take(if field == "cc" { &mut r.a.cc } else { &mut r.a.recipients });
        let mut kept = Vec::new();
        for name in list {
            let parts = spliced(&name);
            if parts.is_empty() {
                kept.push(name);
                continue;
            }
            r.damaged(
                field,
                &name,
                format!(
                    "name with foreign text spliced in ({}); left out, and replaced in the body by {MARKER}",
                    parts.join(", ")
                ),
            );
            r.a.notes.push(format!("来源中的一个{label}名称疑似遭篡改，未予填写，正文中以{MARKER}标出。"));
            damaged_names.push(name);
            fragments.extend(parts);
        }
        *(if field == "cc" { &mut r.a.cc } else { &mut r.a.recipients }) = kept;
    }
    if let Some(printed) = r.a.printed.clone()
        && let Some(c) = PRINTED.captures(&printed)
    {
        let office = c[1].trim().to_owned();
        let parts = spliced(&office);
        if !parts.is_empty() {
            r.damaged(
                "printed",
                &printed,
                format!(
                    "the printing office's name has foreign text spliced in ({}); left empty, and replaced in the body by {MARKER}",
                    parts.join(", ")
                ),
            );
            r.a.notes.push(format!("来源中的印发机关名称疑似遭篡改，未予填写，正文中以{MARKER}标出。"));
            r.a.printed = None;
            damaged_names.push(office);
            fragments.extend(parts);
        }
    }
    // Only spliced text that cannot be ordinary text elsewhere (letters, spam
    // words) is replaced outside the damaged names; a bare number is not.
    fragments.retain(|f| f.chars().any(|c| !c.is_ascii_digit()));
    if let Some(abbr) = &title_abbreviated
        && r.a.issuers == [abbr.clone()]
    {
        r.a.notes.push(format!("发文机关“{abbr}”取自标题开头，文中没有写出机关全称。"));
        r.a.remarks
            .push(format!("issuer `{abbr}` is the beginning of the title: the text names no issuer in full; check it"));
    }

    // 6. The title: the catalogue's, else the text's; only its sound part.
    let raw_title = header_title.clone().or(text_title.clone());
    if let (Some(ht), Some(tt)) = (&header_title, &text_title)
        && loose(ht) != loose(tt)
    {
        r.a.remarks.push(format!("the catalogue's title and the text's differ: `{ht}` / `{tt}`"));
    }
    if let Some(t) = raw_title {
        let spam: Vec<String> = org::foreign_parts(&t).into_iter().filter(|p| !p.is_ascii()).collect();
        let hit: Vec<&String> = damaged_names.iter().filter(|d| t.contains(d.as_str())).collect();
        if hit.is_empty() && spam.is_empty() {
            r.a.title = Some(t);
        } else {
            let verb = TITLE_VERBS.iter().filter_map(|v| t.find(v)).min();
            let sound_from = verb.filter(|&p| {
                hit.iter().all(|d| t.match_indices(d.as_str()).all(|(s, _)| s + d.len() <= p))
                    && org::foreign_parts(&t[p..]).iter().all(|part| part.is_ascii())
            });
            match sound_from {
                Some(p) => {
                    let sound = t[p..].to_owned();
                    r.damaged(
                        "title",
                        &t,
                        format!(
                            "the issuer part of the title has a tampered organisation name; only the sound part `{sound}` was kept"
                        ),
                    );
                    r.a.notes.push("标题只取未受损的“关于……”部分。".to_owned());
                    r.a.title = Some(sound);
                }
                None => {
                    r.damaged("title", &t, "the title has foreign text spliced in; title left empty");
                    r.a.notes.push("来源中的标题疑似遭篡改，未予填写。".to_owned());
                }
            }
        }
    }

    // 7. Document number: the catalogue's, else the line in the text.
    let mut numbers: Vec<(String, String)> = Vec::new(); // (from, text)
    if let Some((_, v)) = header_value("doc_number")
        && !v.is_empty()
    {
        numbers.push(("the catalogue (发文字号)".into(), v));
    }
    for (line, text) in &doc_lines {
        numbers.push((format!("line {line}"), text.clone()));
    }
    let mut sound_numbers: Vec<(String, DocNumber)> = Vec::new();
    for (from, text) in &numbers {
        match DocNumber::parse(text) {
            Ok(d) => sound_numbers.push((from.clone(), d)),
            Err(e) => {
                let why = match doc_number::damage(text) {
                    Some(damage) => format!("damaged document number: {damage}"),
                    None => format!("{}: expected {}", e.message, e.expected),
                };
                r.damaged("doc_number", text, format!("{why} (in {from}); left empty"));
                r.a.notes.push(format!("来源中的发文字号“{text}”不完整，未予填写。"));
            }
        }
    }
    if let Some((from, first)) = sound_numbers.first() {
        for (other_from, other) in &sound_numbers[1..] {
            if other.text != first.text {
                r.a.remarks.push(format!(
                    "document numbers differ: {from} gives {}, {other_from} gives {}; the first was taken",
                    first.text, other.text
                ));
            }
        }
        r.a.doc_number = Some(first.text.clone());
    }

    // 8. Dates.
    let date_field = |r: &mut Reader, field: &str, raw: &str| -> Option<Date> {
        match dates::parse(raw) {
            Ok(d) => Some(d),
            Err(why) => {
                r.damaged(field, raw, format!("{why}; left empty"));
                None
            }
        }
    };
    let header_written = header_value("written").filter(|(_, v)| !v.is_empty());
    let header_written_date = header_written.as_ref().and_then(|(_, v)| date_field(&mut r, "written", v));
    let signature_written = signature_date.as_ref().and_then(|(_, v)| dates::parse(v).ok());
    match (header_written_date, signature_written) {
        (Some(h), Some(s)) => {
            r.a.written = Some(h);
            if h != s {
                let (hv, sv) = (header_written.map(|x| x.1).unwrap_or_default(), signature_date.clone().unwrap().1);
                r.a.remarks.push(format!(
                    "written dates differ: the catalogue's 成文日期 is {hv}, the date under the signature is {sv}; the catalogue's value was taken — check which is right"
                ));
                r.a.notes.push(format!(
                    "成文日期：来源目录作{hv}，文件落款作{sv}，两者不一致；此处按目录填写，请核对原件。"
                ));
            }
        }
        (Some(h), None) => r.a.written = Some(h),
        (None, Some(s)) => r.a.written = Some(s),
        (None, None) => {}
    }
    if let Some((_, v)) = header_value("published").filter(|(_, v)| !v.is_empty()) {
        r.a.published = date_field(&mut r, "published", &v);
    } else {
        let rank = |label: &str| match simplified(label).as_str() {
            "发布时间" => Some(0),
            "创建时间" => Some(1),
            "时间" => Some(2),
            "日期" => Some(3),
            _ => None,
        };
        let best = meta.iter().filter(|(_, l, v)| rank(l).is_some() && !v.is_empty()).min_by_key(|(_, l, _)| rank(l));
        if let Some((_, label, value)) = best.cloned()
            && let Some(d) = date_field(&mut r, "published", &value)
        {
            r.a.published = Some(d);
            r.a.remarks.push(format!(
                "published taken from the web page's `{label}: {value}` — the page's date, not necessarily the notice's"
            ));
            r.a.notes.push(format!("发布日期取自来源网页的“{label}”（{value}），不一定是原件的发布日期。"));
        }
    }
    if let (Some(w), Some(p)) = (r.a.written, r.a.published)
        && p < w
    {
        r.a.remarks.push(format!(
            "published {p} is before written {w}: the build will refuse the notice until one of them is corrected"
        ));
    }

    // The page's author and source become a note, not body.
    let credits: Vec<String> = meta
        .iter()
        .filter(|(_, l, v)| matches!(meta_entry(l).0, "source" | "author") && !v.is_empty())
        .map(|(_, l, v)| format!("{l}：{v}"))
        .collect();
    if !credits.is_empty() {
        r.a.notes.push(format!("来源网页署“{}”。", credits.join("；")));
        r.a.remarks.push(format!("source of the web page: {}", credits.join("; ")));
    }

    // 9. Other catalogue fields.
    if let Some((_, v)) = header_value("index_number").filter(|(_, v)| !v.is_empty()) {
        r.a.index_number = Some(v);
    }
    let mut header_genre = header_value("genre").map(|(_, v)| v).filter(|v| is_genre(v));
    for key in ["category", "topics"] {
        if let Some((_, v)) = header_value(key) {
            for part in v.split([';', '；']).map(str::trim).filter(|p| !p.is_empty()) {
                if key == "category" && is_genre(part) {
                    header_genre.get_or_insert_with(|| part.to_owned());
                } else if Topic::parse(part).is_ok() {
                    if !r.a.topics.iter().any(|t| t == part) {
                        r.a.topics.push(part.to_owned());
                    }
                } else {
                    r.damaged("topics", part, "not a topic of one or two levels");
                }
            }
        }
    }
    if let Some((_, v)) = header_value("validity").filter(|(_, v)| !v.is_empty()) {
        if ["有效", "失效", "废止"].contains(&simplified(&v).as_str()) {
            r.a.validity = Some(simplified(&v));
        } else {
            r.damaged("validity", &v, "not one of 有效, 失效, 废止; left empty");
        }
    }
    if let Some((_, v)) = header_value("disclosure").filter(|(_, v)| !v.is_empty()) {
        let s = simplified(&v);
        if ["主动公开", "依申请公开", "不予公开"].contains(&s.as_str()) {
            if let Some(from_text) = &r.a.disclosure
                && *from_text != s
            {
                r.a.remarks.push(format!("disclosure: the catalogue says {s}, the note in the text {from_text}"));
            }
            r.a.disclosure = Some(s);
        } else {
            r.damaged("disclosure", &v, "not one of 主动公开, 依申请公开, 不予公开; left empty");
        }
    }

    // 10. Genre, form and period from the title.
    let plan_name =
        r.a.title.as_deref().and_then(|t| EMBEDDED_PLAN.captures(t)).map(|c| c[1].replace(['《', '》'], ""));
    if let Some(t) = r.a.title.clone() {
        r.a.genre = genre_of(&t);
        r.a.form = match &plan_name {
            Some(p) => form_of(p),
            None if r.a.genre.is_none() => form_of(&t),
            None => None,
        };
        r.a.period = period_of(&t);
    }
    match (&r.a.genre, &header_genre) {
        (Some(g), Some(h)) if simplified(g) != simplified(h) => {
            r.a.remarks.push(format!("genre: the title ends in {g}, the catalogue says {h}; the title's was taken"))
        }
        (None, Some(h)) => r.a.genre = Some(h.clone()),
        _ => {}
    }
    if let Some(f) = header_value("form").map(|(_, v)| v).filter(|v| !v.is_empty()) {
        match &r.a.form {
            Some(mine) if simplified(mine) != simplified(&f) => {
                r.a.remarks.push(format!("form: the title gives {mine}, the catalogue says {f}; the title's was taken"))
            }
            Some(_) => {}
            None => r.a.form = Some(f),
        }
    }

    // 11. The embedded plan's title, and outline headings.
    let after = signature_date.as_ref().map_or(body_start, |(i, _)| *i);
    let mut plan_at = None;
    if let Some(p) = &plan_name {
        let target = loose(p);
        'search: for start in after..n {
            if r.roles[start] != Role::Text {
                continue;
            }
            let mut acc = String::new();
            let mut used = Vec::new();
            for j in start..n.min(start + 12) {
                match r.roles[j] {
                    Role::Blank => continue,
                    Role::Text => {}
                    _ => break,
                }
                acc.push_str(&r.lines[j]);
                used.push(j);
                let l = loose(&acc);
                if l == target {
                    let merged: String = used.iter().map(|&k| r.lines[k].as_str()).collect();
                    r.roles[used[0]] = Role::PlanTitle(merged);
                    for &k in &used[1..] {
                        r.roles[k] = Role::Dropped; // merged into the heading, not lost
                    }
                    plan_at = Some(used[0]);
                    break 'search;
                }
                if !target.starts_with(&l) || used.len() >= 4 {
                    break;
                }
            }
        }
    }
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (rank, level)
    for i in body_start..n {
        if matches!(r.roles[i], Role::PlanTitle(_)) {
            stack.clear();
            continue;
        }
        if r.roles[i] != Role::Text || Some(i) == recipients_at {
            continue;
        }
        let line = &r.lines[i];
        let Some(rank) = outline_rank(line) else { continue };
        if !is_heading_line(line) {
            continue;
        }
        let base = if plan_at.is_some_and(|p| i > p) { 3 } else { 2 };
        while stack.last().is_some_and(|&(top, _)| top >= rank) {
            stack.pop();
        }
        let level = stack.last().map_or(base, |&(_, l)| l + 1).min(6);
        stack.push((rank, level));
        r.roles[i] = Role::Heading(level);
    }

    // 12. The body, with tampered names replaced.
    let mut blocks: Vec<String> = Vec::new();
    let mut body_fragments: Vec<(usize, String)> = Vec::new();
    for i in 0..n {
        let (prefix, text) = match &r.roles[i] {
            Role::Text => (String::new(), r.lines[i].clone()),
            Role::Heading(level) => (format!("{} ", "#".repeat(*level)), r.lines[i].clone()),
            Role::PlanTitle(t) => ("## ".to_owned(), t.clone()),
            Role::Blank | Role::Dropped => continue,
        };
        let mut text = text;
        for name in &damaged_names {
            text = text.replace(name.as_str(), MARKER);
        }
        for frag in &fragments {
            if text.contains(frag.as_str()) {
                body_fragments.push((i + 1, frag.clone()));
                text = text.replace(frag.as_str(), TEXT_MARKER);
            }
        }
        blocks.push(format!("{prefix}{}", escape_markdown(&text, !prefix.is_empty())));
    }
    for (line, frag) in body_fragments {
        r.damaged(
            "body",
            &frag,
            format!("text spliced into an organisation name also appears on line {line}; replaced by {TEXT_MARKER}"),
        );
    }
    r.a.dropped.sort_by_key(|(line, _, _)| *line);
    r.a.body = blocks.join("\n\n");
    if !r.a.body.is_empty() {
        r.a.body.push('\n');
    }
    r.a
}

/// Escape what Markdown would read as markup, so that the text shows as written.
fn escape_markdown(text: &str, heading: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' => true,
            '{' | '}' => heading,
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '#' | '>' | '|' => i == 0 && !heading,
            '-' | '+' | '=' => {
                i == 0 && !heading && (next.is_none_or(|n| n == ' ') || chars.iter().all(|&x| x == c || x == ' '))
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    // An ordered-list marker at the start: "1. " or "1) ".
    if !heading
        && let Some(pos) = out.find(['.', ')'])
        && pos > 0
        && pos <= 9
        && out[..pos].chars().all(|c| c.is_ascii_digit())
        && out[pos + 1..].chars().next().is_none_or(|c| c == ' ')
    {
        out.insert(pos, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn outline() {
        assert_eq!(outline_rank("一、指导思想"), Some(0));
        assert_eq!(outline_rank("（一）总体目标"), Some(1));
        assert_eq!(outline_rank("(二)具体目标"), Some(1));
        assert_eq!(outline_rank("1.入学率、巩固率指标"), Some(2));
        assert_eq!(outline_rank("2.5%的学校"), None);
        assert_eq!(outline_rank("2018年9月—2020年"), None);
        assert!(is_heading_line("四、坚持试点先行、重点突破,积极组织开展教育改革试点工作"));
        assert!(!is_heading_line("(一)坚持以人为本原则。以育人为根本,以学生为主体,以教师为关键。"));
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(escape_markdown("# 不是标题", false), "\\# 不是标题");
        assert_eq!(escape_markdown("1. 不是列表", false), "1\\. 不是列表");
        assert_eq!(escape_markdown("1.入学率", false), "1.入学率");
        assert_eq!(
            escape_markdown("a*b*_c_ <script> 《<吉林>》 [^1]", false),
            "a\\*b\\*\\_c\\_ \\<script> 《<吉林>》 \\[^1\\]"
        );
        assert_eq!(escape_markdown("---", false), "\\---");
        assert_eq!(escape_markdown("一、目标{#x}", true), "一、目标\\{#x\\}");
    }

    #[test]
    fn a_small_notice() {
        let a = analyse(
            "欢迎访问某某网\n某县教育局关于印发某县教育发展规划（2018—2020年）的通知\n某教发〔2018〕3号\n各学校：\n现印发给你们。\n某县教育局\n2018年3月1日\n（此件公开发布）\n某县教育发展规划（2018—2020年）\n一、总体要求\n（一）目标\n1.规模\n正文。\n抄送：县委办公室，县政府办公室。\n某县教育局 2018年3月2日印发\n打印】 【关闭",
        );
        assert_eq!(a.title.as_deref(), Some("某县教育局关于印发某县教育发展规划（2018—2020年）的通知"));
        assert_eq!(a.doc_number.as_deref(), Some("某教发〔2018〕3号"));
        assert_eq!(a.issuers, vec!["某县教育局"]);
        assert_eq!((a.genre.as_deref(), a.form.as_deref()), (Some("通知"), Some("规划")));
        assert_eq!(a.period.as_deref(), Some("2018–2020"));
        assert_eq!(a.written.unwrap().to_string(), "2018-03-01");
        assert_eq!(a.published, None);
        assert_eq!(a.recipients, vec!["各学校"]);
        assert_eq!(a.cc, vec!["县委办公室", "县政府办公室"]);
        assert_eq!(a.printed.as_deref(), Some("某县教育局 2018年3月2日印发"));
        assert_eq!(a.disclosure.as_deref(), Some("主动公开"));
        assert_eq!(a.annotation.as_deref(), Some("此件公开发布"));
        assert!(
            a.body.contains(
                "\n## 某县教育发展规划（2018—2020年）\n\n### 一、总体要求\n\n#### （一）目标\n\n##### 1.规模\n"
            ),
            "{}",
            a.body
        );
        assert!(!a.body.contains("欢迎") && !a.body.contains("打印"));
    }

    #[test]
    fn spliced_names_elsewhere_are_kept_out_too() {
        let a = analyse(
            "某县教育局关于某事的通知\n各学校，各文化娱乐场所：\n正文。\n某县教育局\n2018年3月1日\n抄送：县委办公室，县bet365办公室。\n某县77365办公室 2018年3月2日印发\n",
        );
        assert_eq!(a.recipients, vec!["各学校", "各文化娱乐场所"]);
        assert_eq!(a.cc, vec!["县委办公室"]);
        assert_eq!(a.printed, None);
        let fields: Vec<&str> = a.damaged.iter().map(|(f, _, _)| f.as_str()).collect();
        assert_eq!(fields, vec!["cc", "printed"]);
        assert!(!a.body.contains("bet365") && !a.body.contains("77365"), "{}", a.body);
        assert!(a.body.contains(&format!("抄送：县委办公室，{MARKER}。")), "{}", a.body);
    }

    #[test]
    fn damaged_doc_number_is_reported_not_repaired() {
        let a = analyse("某教发〔2018〕3\n某县教育局关于某事的通知\n各学校：\n正文。\n");
        assert_eq!(a.doc_number, None);
        assert_eq!(a.damaged[0].0, "doc_number");
        assert!(a.damaged[0].2.contains("号"), "{:?}", a.damaged);
        let a = analyse("某教发〔2018 3号\n某县教育局关于某事的通知\n各学校：\n正文。\n");
        assert_eq!(a.doc_number, None);
        assert!(a.damaged[0].2.contains("〕"), "{:?}", a.damaged);
    }
}
