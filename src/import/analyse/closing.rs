//! The document's own lines around its text: the recipients (主送), the signature
//! and its date, the note 附注, 抄送 and 印发.

use std::sync::LazyLock;

use regex::Regex;

use super::front::BANNER;
use super::labels::{MAIN_TO, WS};
use super::page::Page;
use super::state::{Reader, Role};
use super::words::split_names;
use crate::import::{dates, org};
use crate::schema::doc_number;

static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]\s*(此件公开发布|此件公開發布|全文公开|全文公開|此件主动公开|此件主動公開|此件依申请公开|此件不予公开|此件不公开|此件不公開)\s*([）)])?$")
        .expect("pattern")
});
static CC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^抄\s*送\s*(?:机关|機關)?\s*[:：]\s*(.+)$").expect("pattern"));
pub(super) static PRINTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?)\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(印发|印發)$").expect("pattern")
});

static SIGNER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^签\s*发\s*人\s*[:：]").expect("pattern"));
/// The heading of a document appended after the text: 附件, 附件1, 附件 2：, 附件三.
static APPENDIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]{0,3}\s*[:：]?$").expect("pattern"));

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

/// Documents appended after the signature (附件1 …, each headed by a line of its
/// own): from each heading to the next one, the 版记 (抄送, 印发) or the end.
pub(super) fn appendices(r: &mut Reader, closing: &Closing) {
    let Some((after, _)) = closing.signature_date else { return };
    let n = r.lines.len();
    let starts: Vec<usize> =
        (after + 1..n).filter(|&i| r.roles[i] == Role::Text && APPENDIX.is_match(&r.lines[i])).collect();
    let frame_at = |from: usize| {
        (from + 1..n)
            .find(|&i| r.roles[i] == Role::Text && (CC.is_match(&r.lines[i]) || PRINTED.is_match(&r.lines[i])))
            .unwrap_or(n)
    };
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(n).min(frame_at(start));
        r.a.appendices.push((start, end));
    }
}

/// A line of the 版头: 发文机关标志, 发文字号 or 签发人.
pub(super) fn is_masthead_line(line: &str) -> bool {
    doc_number::is_number_line(line)
        || BANNER.captures(line).is_some_and(|c| org::org_line(&c[1]).is_some())
        || SIGNER.is_match(line)
}

/// One of the document's frame lines: 发文机关标志, 发文字号, 签发人, 主送, 抄送,
/// 印发, 附注, a signature of organisation names, or a date.
pub(super) fn is_frame_line(line: &str) -> bool {
    !line.is_empty()
        && (is_masthead_line(line)
            || MAIN_TO.is_match(line)
            || CC.is_match(line)
            || PRINTED.is_match(line)
            || ANNOTATION.is_match(line)
            || dates::is_signature_date(line)
            || org::org_line(line).is_some())
}

#[cfg(test)]
mod tests {
    use super::super::{Paragraph, analyse_paragraphs};
    use super::*;

    #[test]
    fn frame_lines() {
        for line in [
            "某县教育局文件",
            "某教发〔2018〕3号",
            "签发人：张三",
            "抄送：县委办公室。",
            "某县教育局 2018年3月2日印发",
            "2018年3月1日",
            "某县教育局",
        ] {
            assert!(is_frame_line(line), "{line}");
        }
        for line in ["项目", "合计", "一、总体要求", "学前三年毛入园率达到95%以上。"] {
            assert!(!is_frame_line(line), "{line}");
        }
    }

    #[test]
    fn appendices_run_to_the_next_one_or_the_footer() {
        let text = "关于做好某项工作的通知\n各学校：\n请做好某项工作。\n附件：1.甲表\n某县教育局\n2018年3月1日\n附件1\n甲表\n内容。\n附件2\n乙表\n抄送：县委办公室。";
        let paragraphs = text.split('\n').map(|l| Paragraph::Text(l.to_owned())).collect();
        let a = analyse_paragraphs(paragraphs);
        assert_eq!(a.appendices, [(6, 9), (9, 11)]);
        // 附件：1.甲表 before the signature is the list of attachments, not one.
        assert!(a.body.contains("附件：1.甲表"));
    }
}
