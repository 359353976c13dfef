//! Tag files made of `Label: value` lines (RFC 8493 §2.2.2): `bagit.txt` and
//! `bag-info.txt`.

use super::ArchiveError;
use super::manifest::shorten;

/// Write metadata elements, one per line. A value with line breaks is continued
/// on indented lines, as the RFC allows; the label must be usable as it is.
pub fn format(fields: &[(String, String)]) -> Result<String, ArchiveError> {
    let mut out = String::new();
    for (label, value) in fields {
        if label.is_empty()
            || label.trim() != label
            || label.contains([':', '\n', '\r'])
            || label.chars().any(char::is_control)
        {
            return Err(ArchiveError::BagInfo(format!(
                "bag-info label `{}` is not usable: it must be non-empty, without a colon, line break or surrounding space",
                shorten(label)
            )));
        }
        out.push_str(label);
        out.push_str(": ");
        let value = value.replace("\r\n", "\n").replace('\r', "\n");
        let mut lines = value.trim().split('\n');
        out.push_str(lines.next().unwrap_or("").trim());
        for line in lines {
            let line = line.trim();
            if !line.is_empty() {
                out.push_str("\n  ");
                out.push_str(line);
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// Read metadata elements in order. Continuation lines (starting with a space or
/// a tab) are joined to the value with one space. A line that is neither is
/// skipped, with a message naming the line.
pub fn parse(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            match fields.last_mut() {
                Some((_, value)) => {
                    if !value.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(line.trim());
                }
                None => problems.push(format!("line {}: a continuation line before any label", i + 1)),
            }
            continue;
        }
        match line.split_once(':') {
            Some((label, value)) if !label.trim().is_empty() => {
                fields.push((label.trim().to_string(), value.trim().to_string()));
            }
            _ => problems.push(format!("line {}: expected `Label: value`, found `{}`", i + 1, shorten(line))),
        }
    }
    (fields, problems)
}

/// Every value of `label` (labels compare without regard to case).
pub fn values<'a>(fields: &'a [(String, String)], label: &str) -> Vec<&'a str> {
    fields.iter().filter(|(l, _)| l.eq_ignore_ascii_case(label)).map(|(_, v)| v.as_str()).collect()
}

/// The one value of `label`, if there is exactly one.
pub fn value<'a>(fields: &'a [(String, String)], label: &str) -> Option<&'a str> {
    match values(fields, label)[..] {
        [v] => Some(v),
        _ => None,
    }
}

/// A Payload-Oxum value: `<octet count>.<stream count>`.
pub fn parse_oxum(s: &str) -> Option<(u64, u64)> {
    let (bytes, files) = s.split_once('.')?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(bytes) || !digits(files) {
        return None;
    }
    Some((bytes.parse().ok()?, files.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn format_and_parse_round_trip() {
        let fields = f(&[("Source-Organization", "某县人民政府办公室"), ("Note", "line one\nline two"), ("Empty", "")]);
        let text = format(&fields).unwrap();
        assert_eq!(text, "Source-Organization: 某县人民政府办公室\nNote: line one\n  line two\nEmpty: \n");
        let (back, problems) = parse(&text);
        assert!(problems.is_empty());
        assert_eq!(
            back,
            f(&[("Source-Organization", "某县人民政府办公室"), ("Note", "line one line two"), ("Empty", "")])
        );
        assert_eq!(value(&back, "source-organization"), Some("某县人民政府办公室"));
    }

    #[test]
    fn bad_labels_and_lines_are_refused() {
        assert!(format(&f(&[("A:B", "x")])).is_err());
        assert!(format(&f(&[("", "x")])).is_err());
        assert!(format(&f(&[("A\nB", "x")])).is_err());
        assert!(parse("  starts indented\n").1[0].contains("line 1"));
        let (fields, problems) = parse("A: 1\nno colon here\nB: 2\n");
        assert!(problems[0].contains("line 2"), "{problems:?}");
        assert_eq!(fields, f(&[("A", "1"), ("B", "2")]));
    }

    #[test]
    fn oxum() {
        assert_eq!(parse_oxum("1234.5"), Some((1234, 5)));
        for bad in ["", "12", "1.2.3", "a.1", "-1.2", "1.", ".1", "1 .2", "99999999999999999999999.1"] {
            assert_eq!(parse_oxum(bad), None, "{bad}");
        }
    }
}
