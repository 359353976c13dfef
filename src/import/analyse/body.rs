//! The body: the embedded plan's title, the outline headings, and the text as
//! Markdown with the tampered names replaced.

use super::closing::Closing;
use super::issuers::Damage;
use super::page::Page;
use super::state::{MARKER, Reader, Role, TEXT_MARKER};
use super::words::{SENTENCE_END, loose, outline_rank};

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

/// Step 11: the embedded plan's title, and outline headings.
pub(super) fn outline(r: &mut Reader, page: &Page, closing: &Closing, plan_name: Option<&str>) {
    let after = closing.signature_date.as_ref().map_or(page.body_start, |(i, _)| *i);
    let plan_at = plan_name.and_then(|p| plan_title(r, after, p));
    headings(r, page, plan_at);
}

/// The embedded plan's title after line `after`: up to four lines of text that
/// together are the plan's name become one heading. Returns its line.
fn plan_title(r: &mut Reader, after: usize, plan_name: &str) -> Option<usize> {
    let n = r.lines.len();
    let target = loose(plan_name);
    for start in after..n {
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
                return Some(used[0]);
            }
            if !target.starts_with(&l) || used.len() >= 4 {
                break;
            }
        }
    }
    None
}

/// Numbered lines that read as headings, at levels by their outline rank: from
/// `##` (`###` under the embedded plan's title).
fn headings(r: &mut Reader, page: &Page, plan_at: Option<usize>) {
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (rank, level)
    for i in page.body_start..r.lines.len() {
        if matches!(r.roles[i], Role::PlanTitle(_)) {
            stack.clear();
            continue;
        }
        if r.roles[i] != Role::Text || Some(i) == page.recipients_at {
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
}

/// Step 12: the body, with tampered names replaced.
pub(super) fn body(r: &mut Reader, damage: &Damage) {
    let mut blocks: Vec<(usize, String)> = Vec::new();
    let mut body_fragments: Vec<(usize, String)> = Vec::new();
    for i in 0..r.lines.len() {
        let (prefix, text) = match &r.roles[i] {
            Role::Text => (String::new(), r.lines[i].clone()),
            Role::Heading(level) => (format!("{} ", "#".repeat(*level)), r.lines[i].clone()),
            Role::PlanTitle(t) => ("## ".to_owned(), t.clone()),
            Role::Block(markdown) => {
                blocks.push((i, markdown.clone()));
                continue;
            }
            Role::Blank | Role::Dropped => continue,
        };
        let mut text = text;
        for name in &damage.names {
            text = text.replace(name.as_str(), MARKER);
        }
        for frag in &damage.fragments {
            if text.contains(frag.as_str()) {
                body_fragments.push((i + 1, frag.clone()));
                text = text.replace(frag.as_str(), TEXT_MARKER);
            }
        }
        blocks.push((i, format!("{prefix}{}", escape_markdown(&text, !prefix.is_empty()))));
    }
    for (line, frag) in body_fragments {
        r.damaged(
            "body",
            &frag,
            format!("text spliced into an organisation name also appears on line {line}; replaced by {TEXT_MARKER}"),
        );
    }
    r.a.body = blocks.iter().map(|(_, b)| b.as_str()).collect::<Vec<_>>().join("\n\n");
    if !r.a.body.is_empty() {
        r.a.body.push('\n');
    }
    r.a.blocks = blocks;
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
}
