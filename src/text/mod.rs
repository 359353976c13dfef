//! Small text tools every stage uses: escaping for HTML and XML, line and column of
//! a byte offset, full-width digit folding, and the legacy encodings of `encoding`.
//! Nothing here knows about notices.

pub mod encoding;
pub mod store;
pub mod zhconv;

use std::collections::HashMap;
use std::sync::LazyLock;

/// Lower-case hexadecimal, as checksums are written.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

/// Escape text for HTML and XML content and attribute values. Characters that XML
/// 1.0 forbids (controls other than tab and line breaks) are dropped rather than
/// written, so the result is always well-formed.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Full-width digits (０–９) as ASCII digits: clerks type both.
pub fn fold_digits(s: &str) -> String {
    s.chars().map(fold_digit).collect()
}

/// One full-width digit as its ASCII digit; any other character unchanged.
pub fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        _ => c,
    }
}

/// Line starts of a text, to turn byte offsets into 1-based lines and columns in
/// O(log lines) — a per-row diagnostic must not scan the whole file again.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// Line (1-based) and column (1-based, in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// The text of a line (1-based), without its line break.
    pub fn line(&self, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(self.text.len(), |&e| e - 1);
        self.text.get(start..end).map(|l| l.strip_suffix('\r').unwrap_or(l))
    }
}

/// Line and column (both 1-based, column in characters) of the end of `prefix`,
/// the bytes of a file before some position: for files that are not yet text.
pub fn byte_position(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&prefix[line_start..]).chars().count() + 1;
    (line, column)
}

/// A file size as people read it: 900 B, 1.5 KB, 5.0 MB, 1.2 GB.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Traditional characters as Simplified, for matching vocabulary (意見 → 意见).
pub fn simplified(s: &str) -> String {
    fast2s::convert(s)
}

/// Traditional → Simplified, one character at a time, from fast2s (which converts
/// only characters in the three-byte UTF-8 range), chains (A→B→C) followed so
/// that converting twice changes nothing.
static SIMPLIFIED: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for cp in 0x0800u32..=0xFFFF {
        let Some(c) = char::from_u32(cp) else { continue };
        let converted = fast2s::convert(c.encode_utf8(&mut [0; 4]));
        let mut out = converted.chars();
        if let (Some(s), None) = (out.next(), out.next())
            && s != c
        {
            map.insert(c, s);
        }
    }
    let snapshot = map.clone();
    for target in map.values_mut() {
        let mut seen = 0;
        while let Some(next) = snapshot.get(target) {
            if *next == *target || seen > 8 {
                break;
            }
            *target = *next;
            seen += 1;
        }
    }
    map
});

/// `c` as Simplified, on its own (without fast2s's rules for a few words).
pub fn simplified_char(c: char) -> char {
    *SIMPLIFIED.get(&c).unwrap_or(&c)
}

/// Every (Traditional, Simplified) pair `simplified_char` converts.
pub fn simplified_pairs() -> impl Iterator<Item = (char, char)> {
    SIMPLIFIED.iter().map(|(a, b)| (*a, *b))
}

/// Whether a character is a Han ideograph (CJK unified ideographs and extensions).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(escape("<a href=\"x\">&'\u{1}"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    }

    #[test]
    fn positions_of_offsets() {
        let text = "ab\n义务教育\r\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(3), (2, 1));
        assert_eq!(index.position(3 + "义务".len()), (2, 3));
        assert_eq!(index.position(text.len()), (3, 2));
        assert_eq!(index.line(2), Some("义务教育"));
        assert_eq!(index.line(3), Some("x"));
        assert_eq!(index.line(4), None);
        assert_eq!(byte_position("ab\n义务".as_bytes()), (2, 3));
    }

    #[test]
    fn digits_and_sizes() {
        assert_eq!(fold_digits("〔２０１８〕55号"), "〔2018〕55号");
        assert_eq!(human_size(10), "10 B");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
    }
}
