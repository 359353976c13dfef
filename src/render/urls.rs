//! Where pages live. Every in-site link is relative (`../../years/2018/index.html`)
//! so the site works under any sub-path and straight from disk (file://); feeds,
//! the sitemap and the catalogue carry absolute URLs built from the base URL.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left as they are in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A page's folder, as unencoded path segments; the page itself is `index.html` in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PagePath(pub Vec<String>);

impl PagePath {
    pub fn new(segments: impl IntoIterator<Item = impl Into<String>>) -> PagePath {
        PagePath(segments.into_iter().map(|s| safe_segment(&s.into())).collect())
    }

    pub fn root() -> PagePath {
        PagePath(Vec::new())
    }

    pub fn join(&self, segment: impl Into<String>) -> PagePath {
        let mut v = self.0.clone();
        v.push(safe_segment(&segment.into()));
        PagePath(v)
    }

    /// Encoded folder path with a trailing slash ("" for the root).
    pub fn encoded_dir(&self) -> String {
        self.0.iter().map(|s| format!("{}/", utf8_percent_encode(s, SEGMENT))).collect()
    }

    /// Link target relative to the site root, e.g. `years/2018/index.html`.
    pub fn href(&self) -> String {
        format!("{}index.html", self.encoded_dir())
    }

    /// Absolute URL for feeds, the sitemap and the catalogue (folder form).
    pub fn url(&self, base_url: &str) -> String {
        format!("{base_url}{}", self.encoded_dir())
    }

    /// The prefix that leads from this page back to the site root.
    pub fn root_prefix(&self) -> String {
        "../".repeat(self.0.len())
    }

    /// The file to write, relative to the output folder.
    pub fn file(&self) -> std::path::PathBuf {
        let mut p: std::path::PathBuf = self.0.iter().collect();
        p.push("index.html");
        p
    }
}

/// Encode one segment of a file name for use in an href (attachments).
pub fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// Encode a relative file path ("data/目标.csv") for an href, segment by segment.
pub fn encode_path(path: &str) -> String {
    path.split('/').map(encode_segment).collect::<Vec<_>>().join("/")
}

/// Make a name safe as one folder name on every file system: no separators,
/// no control characters, no leading dot.
pub fn safe_segment(name: &str) -> String {
    let mut s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.starts_with('.') {
        s.replace_range(0..1, "_");
    }
    if s.is_empty() { "_".to_owned() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_and_encoded() {
        let p = PagePath::new(["issuers", "通榆县人民政府办公室"]);
        assert_eq!(p.root_prefix(), "../../");
        assert!(p.href().starts_with("issuers/%E9%80%9A"), "{}", p.href());
        assert!(p.href().ends_with("/index.html"));
        assert_eq!(PagePath::new(["a b"]).url("https://x.org/sub/"), "https://x.org/sub/a%20b/");
        assert_eq!(PagePath::root().href(), "index.html");
    }

    #[test]
    fn unsafe_names_are_neutralised() {
        assert_eq!(safe_segment("../x"), "_._x");
        assert_eq!(safe_segment(".."), "_.");
        assert_eq!(safe_segment("a/b"), "a_b");
    }
}
