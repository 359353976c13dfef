//! Manifest files (RFC 8493 §2.1.3, §2.2.1): one `<digest> <path>` line per file,
//! paths relative to the bag with `/` separators, and `%`, CR and LF in names
//! percent-encoded (and only those: other characters, Chinese included, stay UTF-8).

use std::collections::BTreeMap;

use super::digest::Algorithm;

/// Percent-encode the three characters RFC 8493 §2.1.3 asks for.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            c => out.push(c),
        }
    }
    out
}

/// Undo `encode_path` (hex digits in either case). Any other `%` sequence is left
/// as it is, so manifests written by tools that do not encode `%` still read.
pub fn decode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let code = after.get(..2).map(str::to_ascii_uppercase);
        match code.as_deref() {
            Some("25") => out.push('%'),
            Some("0A") => out.push('\n'),
            Some("0D") => out.push('\r'),
            _ => {
                out.push('%');
                rest = after;
                continue;
            }
        }
        rest = &after[2..];
    }
    out.push_str(rest);
    out
}

/// Why a (decoded) manifest path may not be used: it must be relative, use `/`,
/// and have no empty, `.` or `..` segment, so joining it to the bag folder can
/// never lead outside the bag.
pub fn unsafe_path(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("the path is empty");
    }
    if path.contains('\0') {
        return Some("the path contains a NUL character");
    }
    if path.starts_with('/') {
        return Some("the path is absolute");
    }
    for segment in path.split('/') {
        match segment {
            ".." => return Some("the path has a `..` segment that would leave the bag"),
            "." => return Some("the path has a `.` segment"),
            "" => return Some("the path has an empty segment (`//` or a trailing `/`)"),
            _ => {}
        }
    }
    None
}

/// One line of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line number in the manifest file.
    pub line: usize,
    /// Lower-case hexadecimal digest.
    pub digest: String,
    /// The decoded path, relative to the bag (`data/…` for payload files).
    pub path: String,
}

/// Read a manifest: every well-formed line, and a message for every bad one
/// (`line N: …`). A path that is unsafe is a problem and is left out.
pub fn parse(text: &str, algorithm: Algorithm) -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let Some((digest, rest)) = line.split_once([' ', '\t']) else {
            problems.push(format!("line {line_no}: expected `<checksum> <path>`, found `{}`", shorten(line)));
            continue;
        };
        let raw_path = rest.trim_start_matches([' ', '\t']);
        if raw_path.is_empty() {
            problems.push(format!("line {line_no}: no path after the checksum"));
            continue;
        }
        if digest.len() != algorithm.hex_len() || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            problems.push(format!(
                "line {line_no}: `{}` is not a {algorithm} checksum ({} hexadecimal digits)",
                shorten(digest),
                algorithm.hex_len()
            ));
            continue;
        }
        let path = decode_path(raw_path);
        if let Some(why) = unsafe_path(&path) {
            problems.push(format!("line {line_no}: path `{}` refused, not followed: {why}", shorten(raw_path)));
            continue;
        }
        if let Some(first) = seen.insert(path.clone(), line_no) {
            problems.push(format!("line {line_no}: `{}` is listed again (first on line {first})", shorten(raw_path)));
            continue;
        }
        entries.push(Entry { line: line_no, digest: digest.to_ascii_lowercase(), path });
    }
    (entries, problems)
}

/// A manifest's text: `<digest>  <encoded path>` lines sorted by path, so the same
/// files always give the same bytes.
pub fn render(entries: &[(String, String)]) -> String {
    let mut lines: Vec<(String, &str)> =
        entries.iter().map(|(path, digest)| (encode_path(path), digest.as_str())).collect();
    lines.sort();
    let mut out = String::new();
    for (path, digest) in lines {
        out.push_str(digest);
        out.push_str("  ");
        out.push_str(&path);
        out.push('\n');
    }
    out
}

/// A piece of untrusted text short enough to quote in a message.
pub fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(120).flat_map(char::escape_debug).collect();
    if s.chars().count() > 120 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_and_leaves_chinese_alone() {
        for name in ["data/主题/其他/index.html", "data/100%.html", "data/a\nb\r.txt", "data/%0A literal", "data/%"]
        {
            let enc = encode_path(name);
            assert!(!enc.contains('\n') && !enc.contains('\r'));
            assert_eq!(decode_path(&enc), name, "{enc}");
        }
        assert_eq!(encode_path("data/主题/a%b\n"), "data/主题/a%25b%0A");
        assert_eq!(decode_path("data/x%0ay%0dz%2e"), "data/x\ny\rz%2e");
        assert_eq!(decode_path("data/%E4"), "data/%E4");
    }

    #[test]
    fn unsafe_paths_are_named() {
        assert!(unsafe_path("data/a/b.html").is_none());
        for p in ["", "/etc/passwd", "data/../../x", "..", "data//x", "data/./x", "data/x/", "data/\0"] {
            assert!(unsafe_path(p).is_some(), "{p:?}");
        }
    }

    #[test]
    fn parse_reports_bad_lines_and_keeps_good_ones() {
        let d = "a".repeat(64);
        let text = format!(
            "{d}  data/ok.html\r\n\nnonsense\n{}  data/short\n{d}  data/../../etc/passwd\n{d}\tdata/tab%25.html\n{d}  data/ok.html\n{D}  data/upper\n",
            "ab",
            D = "A".repeat(64)
        );
        let (entries, problems) = parse(&text, Algorithm::Sha256);
        let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["data/ok.html", "data/tab%.html", "data/upper"]);
        assert_eq!(entries[2].digest, d, "digests are compared in lower case");
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("line 3:"));
        assert!(problems[1].contains("not a sha256 checksum"));
        assert!(problems[2].contains("data/../../etc/passwd") && problems[2].contains("not followed"));
        assert!(problems[3].contains("listed again (first on line 1)"));
    }

    #[test]
    fn render_sorts_and_encodes() {
        let text = render(&[("data/b".into(), "02".into()), ("data/a\n".into(), "01".into())]);
        assert_eq!(text, "01  data/a%0A\n02  data/b\n");
    }
}
