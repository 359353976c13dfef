//! Words of the text: comparison that ignores spaces and script, lists of names,
//! and what the words of a title say (genre, form, period).

use std::sync::LazyLock;

use regex::Regex;

use super::labels::WS;
use crate::schema::{GENRES, YearSpan};
use crate::text::fold_digits;

/// Verbs that follow the issuer at the start of a title.
pub(super) const TITLE_VERBS: &[&str] =
    &["关于", "關於", "转发", "轉發", "印发", "印發", "批转", "批轉", "下发", "下發", "颁布", "頒布"];

/// Forms (体裁), longest first; each with the word written in the metadata.
const FORMS: &[(&str, &str)] = &[
    ("行动计划", "行动计划"),
    ("实施方案", "方案"),
    ("工作方案", "方案"),
    ("实施意见", "意见"),
    ("实施细则", "细则"),
    ("工作要点", "要点"),
    ("规划", "规划"),
    ("方案", "方案"),
    ("计划", "计划"),
    ("办法", "办法"),
    ("细则", "细则"),
    ("要点", "要点"),
    ("意见", "意见"),
    ("纲要", "纲要"),
    ("规定", "规定"),
    ("规则", "规则"),
    ("标准", "标准"),
    ("指南", "指南"),
    ("条例", "条例"),
    ("章程", "章程"),
    ("措施", "措施"),
];

pub(super) const SENTENCE_END: &[char] = &['。', '；', ';', '！', '？', '!', '?'];

pub(super) static EMBEDDED_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:印发|印發|转发|轉發|下发|下發|颁发|頒發|发布|發布|公布)(.+?)的(?:通知|决定|決定|通告|公告|意见|意見)$",
    )
    .expect("pattern")
});
static PERIOD_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(]\s*(\d{4})\s*年?\s*(?:[-–—~～至到－]+)\s*(\d{4})\s*年?\s*(?:度\s*)?[）)]").expect("pattern")
});
static PERIOD_BARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})\s*年?\s*(?:[-–—~～至到－]+)\s*(\d{4})\s*年(.?)").expect("pattern"));
static TRAILING_PAREN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[（(][^（()）]*[）)]$").expect("pattern"));

pub(super) fn simplified(s: &str) -> String {
    fast2s::convert(s)
}

/// The last `n` characters of `s`.
fn last_chars(s: &str, n: usize) -> String {
    let count = s.chars().count();
    s.chars().skip(count.saturating_sub(n)).collect()
}

/// A word at the end of `text` among `words` (Simplified), matched after folding
/// Traditional script; returned as the text writes it (意見 stays 意見).
fn ending_word(text: &str, words: &[&str]) -> Option<String> {
    let folded = simplified(text);
    let mut sorted: Vec<&str> = words.to_vec();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let word = sorted.into_iter().find(|w| folded.ends_with(w))?;
    if folded.chars().count() == text.chars().count() {
        Some(last_chars(text, word.chars().count()))
    } else {
        Some(word.to_owned())
    }
}

pub(super) fn genre_of(title: &str) -> Option<String> {
    ending_word(title.trim_end_matches(SENTENCE_END), GENRES)
}

pub(super) fn is_genre(word: &str) -> bool {
    GENRES.contains(&simplified(word.trim()).as_str())
}

/// The form of a plan's name: 通榆县…发展规划(2018——2020) → 规划.
pub(super) fn form_of(name: &str) -> Option<String> {
    let mut n = name.trim().to_owned();
    while let Some(m) = TRAILING_PAREN.find(&n) {
        n.truncate(m.start());
        n = n.trim_end().to_owned();
    }
    let folded = simplified(&n);
    let (_, canonical) = FORMS.iter().find(|(ending, _)| folded.ends_with(ending))?;
    if folded.chars().count() == n.chars().count() {
        Some(last_chars(&n, canonical.chars().count()))
    } else {
        Some((*canonical).to_owned())
    }
}

/// 实施期限 from a title: (2018——2020) → 2018–2020, 三年(2017-2020年) → 2017–2020.
pub(super) fn period_of(title: &str) -> Option<String> {
    let t = fold_digits(title);
    let (a, b) = if let Some(c) = PERIOD_PAREN.captures(&t) {
        (c[1].to_owned(), c[2].to_owned())
    } else {
        let c = PERIOD_BARE.captures_iter(&t).find(|c| !matches!(&c[3], "度"))?;
        (c[1].to_owned(), c[2].to_owned())
    };
    YearSpan::parse(&format!("{a}-{b}")).ok().map(|s| s.to_string())
}

/// Split a list of names: at commas and semicolons; 、 joins parts of one entry
/// (各乡镇党委、人民政府).
pub(super) fn split_names(text: &str) -> Vec<String> {
    text.trim()
        .trim_end_matches(['。', '：', ':'])
        .split(['，', ',', '；', ';'])
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Same text, ignoring spaces, 《》 and the width of brackets.
pub(super) fn loose(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》'))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect()
}

/// Trim every kind of space (full-width, no-break, zero-width, BOM) and collapse
/// runs of spaces inside the line.
pub(super) fn normalise_line(raw: &str) -> String {
    let t =
        raw.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}'));
    let t: String = t.chars().filter(|c| !matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}')).collect();
    WS.replace_all(&t, " ").into_owned()
}

static OUTLINE: LazyLock<[Regex; 4]> = LazyLock::new(|| {
    [
        Regex::new(r"^[一二三四五六七八九十百]+[、．]").expect("pattern"),
        Regex::new(r"^[（(][一二三四五六七八九十百]+[）)]").expect("pattern"),
        Regex::new(r"^\d{1,2}[.．、]").expect("pattern"),
        Regex::new(r"^[（(]\d{1,2}[）)]").expect("pattern"),
    ]
});

/// Outline rank of a numbered line: 一、 0, (一) 1, 1. 2, (1) 3.
pub(super) fn outline_rank(line: &str) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_words() {
        assert_eq!(genre_of("市政辦教育工作創新意見").as_deref(), Some("意見"));
        assert_eq!(genre_of("关于印发某方案的通知").as_deref(), Some("通知"));
        assert_eq!(form_of("通榆县推进县域义务教育优质均衡发展规划(2018——2020)").as_deref(), Some("规划"));
        assert_eq!(form_of("海东市平安区提升教育教学质量三年(2017-2020年)攻坚行动方案").as_deref(), Some("方案"));
        assert_eq!(period_of("…发展规划(2018——2020)的通知").as_deref(), Some("2018–2020"));
        assert_eq!(period_of("…三年(2017-2020年)攻坚行动方案的通知").as_deref(), Some("2017–2020"));
        assert_eq!(period_of("某县2018—2020年教育发展规划").as_deref(), Some("2018–2020"));
        assert_eq!(period_of("关于2017-2018学年工作的通知"), None);
    }
}
