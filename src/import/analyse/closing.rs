//! The document's own lines around its text: the recipients (主送), the signature
//! and its date, the note 附注, 抄送 and 印发.

use std::sync::LazyLock;

use regex::Regex;

use super::labels::{MAIN_TO, WS};
use super::page::Page;
use super::state::{Reader, Role};
use super::words::split_names;
use crate::import::{dates, org};

static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]\s*(此件公开发布|此件公開發布|全文公开|全文公開|此件主动公开|此件主動公開|此件依申请公开|此件不予公开|此件不公开|此件不公開)\s*([）)])?$")
        .expect("pattern")
});
static CC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^抄\s*送\s*(?:机关|機關)?\s*[:：]\s*(.+)$").expect("pattern"));
pub(super) static PRINTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?)\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(印发|印發)$").expect("pattern")
});

/// What the closing lines give to later steps.
pub(super) struct Closing {
    /// The date under the signature: (line index, text).
    pub(super) signature_date: Option<(usize, String)>,
    /// The names on the line above that date.
    pub(super) signature_issuers: Vec<String>,
}

/// Step 4: the recipients, signature, date, 附注, 抄送, 印发.
pub(super) fn closing(r: &mut Reader, page: &Page) -> Closing {
    if let Some(i) = page.recipients_at {
        let l = &r.lines[i];
        let list = MAIN_TO.captures(l).map_or_else(|| l.clone(), |c| c[1].to_owned());
        r.a.recipients = split_names(&list);
    }
    let mut closing = Closing { signature_date: None, signature_issuers: Vec::new() };
    for i in page.body_start..r.lines.len() {
        if r.roles[i] != Role::Text {
            continue;
        }
        let line = r.lines[i].clone();
        if let Some(c) = ANNOTATION.captures(&line) {
            annotation(r, i, &c);
        } else if let Some(c) = CC.captures(&line) {
            r.a.cc = split_names(&c[1]);
        } else if let Some(c) = PRINTED.captures(&line) {
            r.a.printed = Some(format!("{} {}{}", c[1].trim(), WS.replace_all(&c[2], ""), &c[3]));
        } else if closing.signature_date.is_none() && dates::is_signature_date(&line) {
            closing.signature_date = Some((i, line.clone()));
            if let Some(prev) = (page.body_start..i).rev().find(|&j| r.roles[j] != Role::Blank)
                && let Some(names) = org::org_line(&r.lines[prev])
            {
                closing.signature_issuers = names;
            }
        }
    }
    closing
}

/// The note 附注 on line `i` (此件公开发布): the disclosure it states, unless one
/// was found before.
fn annotation(r: &mut Reader, i: usize, c: &regex::Captures) {
    let line = &c[0];
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
}
