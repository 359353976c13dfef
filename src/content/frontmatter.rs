//! Splitting a notice into YAML front matter and Markdown body, keeping line
//! numbers so that every diagnostic can point at the right line.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Code, Diagnostic, strip_location};

/// A notice file split into its parts.
#[derive(Debug)]
pub struct Parsed {
    /// Top-level YAML keys as written, with their values and positions.
    pub fields: Vec<RawField>,
    pub body: String,
    /// Line (1-based) where the body starts.
    pub body_line: usize,
}

#[derive(Debug, Clone)]
pub struct RawField {
    pub key: String,
    pub value: Value,
    pub line: usize,
    /// Column of the value (1-based, in characters).
    pub column: usize,
}

/// Split and parse; on failure the diagnostic points at the offending line.
pub fn parse(text: &str, display: &Path) -> Result<Parsed, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::new(Code::FrontMatter, display, "no front matter")
            .at(1, Some(1))
            .found(first.trim_end().chars().take(40).collect::<String>())
            .expected(
                "the file to start with a line `---`, then the fields (title:, issuer:, published: …), then `---`",
            )
            .with_source(text));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no = 1;
    let mut close = None;
    for line in lines {
        line_no += 1;
        let t = line.trim_end();
        if t == "---" || t == "..." {
            close = Some((offset, offset + line.len(), line_no));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start, close_line)) = close else {
        return Err(Diagnostic::new(Code::FrontMatter, display, "unterminated front matter")
            .at(1, Some(1))
            .expected("a line `---` closing the front matter opened here")
            .hint("add a line with just `---` after the last field, before the text of the notice")
            .with_source(text));
    };
    let yaml = &text[yaml_start..yaml_end];
    if let Some((line, col, why)) = too_deep(yaml) {
        return Err(Diagnostic::new(Code::FrontMatter, display, format!("front matter nested too deeply ({why})"))
            .at(line + 1, Some(col))
            .expected(format!("fields nested at most {MAX_NESTING} levels deep"))
            .hint("front matter holds plain fields and short lists; check for a damaged or generated file")
            .with_source(text));
    }
    let value: Value = if yaml.trim().is_empty() {
        Value::Mapping(Mapping::new())
    } else {
        serde_yaml::from_str(yaml).map_err(|e| {
            let mut d = Diagnostic::new(
                Code::FrontMatter,
                display,
                format!("invalid YAML in front matter: {}", strip_location(&e.to_string())),
            )
            .expected("`field: value` lines; quote values that contain `: ` or start with a special character");
            // A full-width colon (the one a Chinese keyboard types) after a field's
            // name is no separator to YAML, which then complains a line later.
            // An unclosed [ or { is found by the parser only at a later line too;
            // point at the bracket that was never closed instead.
            if let Some((line, col)) = full_width_colon(yaml) {
                d = d
                    .at(line + 1, Some(col))
                    .found("`：` (a full-width colon) after the field's name")
                    .hint("write the field's name, then `:` (the half-width colon), then a space and the value: `published: 2024-01-02`");
            } else if let Some((line, col)) = unclosed_bracket(yaml) {
                d = d.at(line + 1, Some(col)).hint("this bracket is never closed");
            } else if let Some(loc) = e.location() {
                d = d.at(loc.line() + 1, Some(loc.column()));
            } else {
                d = d.at(2, None);
            }
            d.with_source(text)
        })?
    };
    let mapping = match value {
        Value::Mapping(m) => m,
        Value::Null => Mapping::new(),
        other => {
            return Err(Diagnostic::new(Code::FrontMatter, display, "front matter is not a list of fields")
                .at(2, Some(1))
                .found(describe(&other))
                .expected("`field: value` lines such as `title: …`")
                .with_source(text));
        }
    };
    let positions = key_positions(yaml);
    let mut fields = Vec::with_capacity(mapping.len());
    for (k, v) in mapping {
        let key = match k {
            Value::String(s) => s,
            other => scalar_text(&other).unwrap_or_else(|| describe(&other)),
        };
        let (line, column) = positions.get(key.as_str()).map_or((2, 1), |&(l, c)| (l + 1, c));
        fields.push(RawField { key, value: v, line, column });
    }
    fields.sort_by_key(|f| f.line);
    Ok(Parsed { fields, body: text[body_start..].to_owned(), body_line: close_line + 1 })
}

/// Deepest nesting accepted in front matter. libyaml takes time quadratic in the
/// depth before serde_yaml's own recursion limit applies, so absurd nesting is
/// refused by this cheap scan first.
const MAX_NESTING: usize = 64;

/// Line and column (1-based within the YAML) of the outermost `[` or `{` left open.
/// A quote starts a quoted scalar only where a value can start (after `:`, `-`,
/// `[`, `{`, `,` or at the start of a line), so an apostrophe inside text is text.
fn unclosed_bracket(yaml: &str) -> Option<(usize, usize)> {
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut before = String::new();
        for (col, c) in line.chars().enumerate() {
            let at_value_start = before.trim_end().is_empty() || before.trim_end().ends_with([':', '-', '[', '{', ',']);
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '#') if before.is_empty() || before.ends_with(' ') => break,
                (None, '"' | '\'') if at_value_start => quote = Some(c),
                (None, '[' | '{') => stack.push((i + 1, col + 1)),
                (None, ']' | '}') => {
                    stack.pop();
                }
                _ => {}
            }
            before.push(c);
        }
    }
    stack.first().copied()
}

/// Line, column and reason of the first place nested deeper than `MAX_NESTING`
/// (flow brackets, or block indentation).
fn too_deep(yaml: &str) -> Option<(usize, usize, &'static str)> {
    for (i, line) in yaml.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        if indent > MAX_NESTING * 4 {
            return Some((i + 1, indent, "indentation"));
        }
    }
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    for c in yaml.chars() {
        col += 1;
        match (quote, c) {
            (_, '\n') => {
                line += 1;
                col = 0;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((line, col, "brackets"));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Lines (0-based within the YAML, so +1 for the file) and value columns of the
/// top-level keys. serde_yaml keeps no positions, so the keys are found by reading
/// unindented `key:` lines.
fn key_positions(yaml: &str) -> BTreeMap<String, (usize, usize)> {
    let mut out = BTreeMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) || line.is_empty() {
            continue;
        }
        let Some(colon) = line.find(':') else { continue };
        let key = line[..colon].trim().trim_matches(['"', '\'']).to_owned();
        let after = &line[colon + 1..];
        let value_offset = colon + 1 + (after.len() - after.trim_start().len());
        let column = line[..value_offset].chars().count() + 1;
        out.entry(key).or_insert((i + 1, column));
    }
    out
}

pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The first control character in a value or anything it holds (keys too): NUL,
/// escape and the other C0 and C1 controls, which YAML's `\0`, `\e` or `\x1b`
/// write and no page can show. Tabs and line breaks are text.
pub fn control_character(v: &Value) -> Option<char> {
    let bad = |s: &str| s.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    match v {
        Value::String(s) => bad(s),
        Value::Sequence(items) => items.iter().find_map(control_character),
        Value::Mapping(m) => m.iter().find_map(|(k, v)| control_character(k).or_else(|| control_character(v))),
        Value::Tagged(t) => control_character(&t.value),
        _ => None,
    }
}

/// The first top-level line written `name：value` (a field's name then a full-width
/// colon), as (line of the YAML, 1-based column of the colon).
fn full_width_colon(yaml: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let (name, _) = line.split_once('：')?;
        let plain = !name.is_empty()
            && !name.starts_with([' ', '\t', '-', '#', '"', '\''])
            && !name.contains(':')
            && name.trim_end().chars().all(|c| c.is_alphanumeric() || c == '_');
        plain.then(|| (i + 1, name.chars().count() + 1))
    })
}

pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".to_owned(),
        Value::Bool(_) => "a true/false value".to_owned(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("`{s}`"),
        Value::Sequence(_) => "a list".to_owned(),
        Value::Mapping(_) => "a set of `key: value` pairs".to_owned(),
        Value::Tagged(_) => "a tagged value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Parsed, Diagnostic> {
        parse(text, Path::new("a.md"))
    }

    #[test]
    fn splits_and_keeps_lines() {
        let parsed = p("---\ntitle: 标题\nissuer:\n  - 甲\n  - 乙\npublished: 2018-09-03\n---\n正文\n").unwrap();
        let keys: Vec<_> = parsed.fields.iter().map(|f| (f.key.as_str(), f.line, f.column)).collect();
        assert_eq!(keys, vec![("title", 2, 8), ("issuer", 3, 8), ("published", 6, 12)]);
        assert_eq!(parsed.body, "正文\n");
        assert_eq!(parsed.body_line, 8);
    }

    #[test]
    fn unterminated_and_missing_front_matter() {
        let e = p("---\ntitle: x\n正文\n").unwrap_err();
        assert_eq!(e.message, "unterminated front matter");
        let e = p("title: x\n").unwrap_err();
        assert_eq!(e.message, "no front matter");
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let e = p("---\ntitle: x\nissuer: [a, b\npublished: 2018-01-01\n---\n").unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert!(e.line.unwrap() >= 3, "{:?}", e.line);
    }

    #[test]
    fn unclosed_list_is_reported_where_it_opens() {
        let e = p("---\ntitle: x\nissuer: [a, b\ngenre: 通知\n---\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(9)), "{e}");
        assert_eq!(unclosed_bracket("note: it's [fine]\n"), None);
    }

    #[test]
    fn alias_bomb_and_deep_nesting_are_refused_quickly() {
        let mut bomb = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..30 {
            let prev = i - 1;
            bomb.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        bomb.push_str("---\n");
        assert!(p(&bomb).unwrap_err().message.contains("repetition limit"));
        let deep = format!("---\nx: {}{}\n---\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(p(&deep).is_err());
    }
}
