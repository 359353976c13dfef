//! The one definition of "the same text" for search. The index is built from text
//! folded here, and `assets/search.js` folds the query by the same rules (tests
//! compare the two over every character of the Basic Multilingual Plane):
//!
//! 0. the text is composed (Unicode NFC), so that ō typed as one code point and as
//!    o with a combining macron are one letter (`composed`; `String.normalize`);
//! 1. full-width ASCII forms (Ａ１（) become ASCII, the ideographic space a space;
//! 2. ASCII letters become lower case;
//! 3. Traditional characters become Simplified, one character at a time;
//! 4. whitespace, punctuation and the symbols used as bullets are dropped.
//!
//! Folding one character at a time (not fast2s's context rules for a handful of
//! characters such as 乾隆) keeps the index and the query in step: both sides see
//! the same mapping, written out for the browser as `search/t2s.txt`.

use std::borrow::Cow;
use std::sync::LazyLock;

/// Ranges of characters that search ignores, beyond ASCII punctuation, spaces and
/// controls. `search.js` carries the same list.
const IGNORED: &[(u32, u32)] = &[
    (0x0080, 0x00BF), // Latin-1 controls, no-break space, ·, «», §
    (0x00D7, 0x00D7), // ×
    (0x00F7, 0x00F7), // ÷
    (0x1680, 0x1680), // ogham space
    (0x2000, 0x206F), // general punctuation: spaces, dashes, “”, …, ‧
    (0x2190, 0x21FF), // arrows
    (0x2500, 0x257F), // box drawing
    (0x25A0, 0x25FF), // ■●○△ used as bullets
    (0x3000, 0x3004), // ideographic space, 、。〃
    (0x3008, 0x3020), // 〈〉《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〠
    (0x3030, 0x3030), // 〰
    (0x303D, 0x303D), // 〽
    (0xFE10, 0xFE1F), // vertical forms
    (0xFE30, 0xFE6F), // compatibility and small forms
    (0xFEFF, 0xFEFF), // byte-order mark
    (0xFF5F, 0xFF65), // ｟｠｡｢｣､･
    (0xFFE0, 0xFFEE), // ￠￡￥ and other full-width symbols
];

/// The mapping as the browser reads it: pairs of characters, sorted — those whose
/// Simplified character `wanted` (occurs in the site: a query character that folds
/// to anything else finds nothing either way).
pub fn t2s_table(wanted: impl Fn(char) -> bool) -> String {
    let mut pairs: Vec<(char, char)> = crate::text::simplified_pairs().filter(|(_, s)| wanted(*s)).collect();
    pairs.sort();
    pairs.iter().flat_map(|(a, b)| [*a, *b]).collect()
}

/// `fold` for the Basic Multilingual Plane, worked out once ('\0' = ignored):
/// indexing a site folds every character of every notice.
static FOLDED: LazyLock<Vec<char>> =
    LazyLock::new(|| (0u32..0x10000).map(|cp| char::from_u32(cp).and_then(fold_slowly).unwrap_or('\0')).collect());

/// Fold one character; `None` when search ignores it.
pub fn fold(c: char) -> Option<char> {
    match FOLDED.get(c as usize) {
        Some('\0') => None,
        Some(f) => Some(*f),
        None => fold_slowly(c),
    }
}

fn fold_slowly(c: char) -> Option<char> {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    let c = c.to_ascii_lowercase();
    if ignored(c) {
        return None;
    }
    Some(crate::text::simplified_char(c))
}

fn ignored(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return !c.is_ascii_alphanumeric();
    }
    IGNORED.iter().any(|&(lo, hi)| (lo..=hi).contains(&cp))
}

/// The folded characters of a text, in order.
pub fn normalise(text: &str) -> Vec<char> {
    composed(text).chars().filter_map(fold).collect()
}

/// `text` in Unicode's composed form (NFC). Almost every text is already (Chinese
/// always is): the quick check answers without copying it.
pub fn composed(text: &str) -> Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalise(s).into_iter().collect()
    }

    #[test]
    fn folds_script_width_case_and_punctuation() {
        assert_eq!(norm("義務教育"), "义务教育");
        assert_eq!(norm("义务 教育。"), "义务教育");
        assert_eq!(norm("ＧＤＰ增长１０％"), "gdp增长10");
        assert_eq!(norm("通政办发〔2018〕55号"), "通政办发201855号");
        assert_eq!(norm("通政办发[2018]55号"), "通政办发201855号");
        assert_eq!(norm("“十三五”——规划…"), "十三五规划");
        assert_eq!(norm("〇一二"), "〇一二", "ideographic zero is a number, not punctuation");
        assert_eq!(norm("Ryo\u{304}kan"), norm("Ry\u{14d}kan"), "composed and decomposed ō are one letter");
    }

    #[test]
    fn folding_is_idempotent() {
        let all: String = (0x20u32..0x10000).filter_map(char::from_u32).collect();
        let once = norm(&all);
        assert_eq!(norm(&once), once);
    }

    #[test]
    fn table_round_trips() {
        let table: Vec<char> = t2s_table(|_| true).chars().collect();
        assert!(table.len() > 4000 && table.len().is_multiple_of(2), "{} characters", table.len());
        assert!(table.chunks(2).any(|p| p == ['義', '义']));
    }
}
