//! Where everything the build writes lives: the one list of the site's own routes
//! (a notice may not take a URL one of them uses), the browse dimensions, and
//! `PagePath`, a page's folder. Every in-site link is relative
//! (`../../years/2018/index.html`) so the site works under any sub-path and straight
//! from disk (file://); feeds, the sitemap and the catalogue carry absolute URLs built
//! from the base URL.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use unicode_normalization::UnicodeNormalization;

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

    /// Link target relative to the site root, e.g. `years/2018/index.html`, for
    /// pages: Chinese left as it is (browsers encode it when they follow the link),
    /// a third of the bytes of its percent-encoded form.
    pub fn href(&self) -> String {
        let mut out: String = self.0.iter().map(|s| format!("{}/", iri_segment(s))).collect();
        out.push_str(HOME);
        out
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
        self.file_beside(HOME)
    }

    /// A file named `name` in this page's folder.
    pub fn file_beside(&self, name: &str) -> std::path::PathBuf {
        let mut p: std::path::PathBuf = self.0.iter().collect();
        p.push(name);
        p
    }

    /// How many folders deep the page is.
    pub fn depth(&self) -> usize {
        self.0.len()
    }
}

/// The home page.
pub const HOME: &str = "index.html";
/// The page served for a missing URL.
pub const NOT_FOUND: &str = "404.html";
/// The site's Atom feed.
pub const FEED: &str = "feed.xml";
/// The sitemap index: it lists the yearly sitemaps and the one of the other pages.
pub const SITEMAP: &str = "sitemap.xml";
/// The folder of the sitemaps the index lists.
pub const SITEMAPS: &str = "sitemaps";
/// The sitemap of every page that is not a notice's.
pub const SITEMAP_PAGES: &str = "sitemaps/pages.xml";
/// The site map for readers (网站地图), beside the XML one for search engines.
pub const SITE_MAP: &str = "map";
/// The disclosure catalogue (open data): the entry point, which lists its parts.
pub const CATALOGUE: &str = "catalogue.json";
/// The folder of the catalogue's parts.
pub const CATALOGUE_PARTS: &str = "catalogue";
/// The progress data of the catalogue's notices, assessed as of the reference date.
pub const CATALOGUE_PROGRESS: &str = "catalogue/progress.json";
/// Stylesheets, scripts and other theme files.
pub const ASSETS: &str = "assets";
/// The search page and the search index.
pub const SEARCH: &str = "search";
/// The progress dashboard and its filter pages.
pub const PROGRESS: &str = "progress";
/// The consultations (征求意见): open, awaiting their 采纳情况, all.
pub const CONSULTATIONS: &str = "consultations";
/// The catalogue's part of the consultations.
pub const CATALOGUE_CONSULTATIONS: &str = "catalogue/consultations.json";
/// The catalogue's part of the withdrawn notices.
pub const CATALOGUE_WITHDRAWN: &str = "catalogue/withdrawn.json";
/// Standing pages (`content/pages/` → `pages/<slug>/`).
pub const PAGES: &str = "pages";

/// Every first URL segment the site's own outputs use: the names above and the
/// browse dimensions' folders. Add a route here and notices can no longer take it.
pub fn reserved() -> Vec<&'static str> {
    let mut names = vec![
        HOME,
        NOT_FOUND,
        FEED,
        SITEMAP,
        SITEMAPS,
        SITE_MAP,
        CATALOGUE,
        CATALOGUE_PARTS,
        ASSETS,
        SEARCH,
        PROGRESS,
        PAGES,
        CONSULTATIONS,
    ];
    names.extend(TaxonomyKind::ALL.iter().map(|k| k.key()));
    names
}

/// A browse dimension: its pages are `<key>/`, `<key>/<term>/` (a list's landing
/// page, its newest notices) and `<key>/<term>/page/1/` … (its fixed pages,
/// counted from the oldest; see `render::paging`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaxonomyKind {
    Year,
    Issuer,
    Genre,
    Form,
    Topic,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 5] = [Self::Year, Self::Issuer, Self::Genre, Self::Form, Self::Topic];

    /// First URL segment of this dimension's pages.
    pub fn key(self) -> &'static str {
        match self {
            Self::Year => "years",
            Self::Issuer => "issuers",
            Self::Genre => "genres",
            Self::Form => "forms",
            Self::Topic => "topics",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Year => "年份",
            Self::Issuer => "发文机关",
            Self::Genre => "文种",
            Self::Form => "体裁",
            Self::Topic => "主题分类",
        }
    }

    /// `title` in Traditional script, for a site whose language is zh-Hant.
    pub fn title_hant(self) -> &'static str {
        match self {
            Self::Year => "年份",
            Self::Issuer => "發文機關",
            Self::Genre => "文種",
            Self::Form => "體裁",
            Self::Topic => "主題分類",
        }
    }
}

/// The index page of a browse dimension.
pub fn taxonomy(kind: TaxonomyKind) -> PagePath {
    PagePath::new([kind.key()])
}

/// The landing page of a term's list (its newest notices).
pub fn term(kind: TaxonomyKind, levels: &[String]) -> PagePath {
    PagePath::new(std::iter::once(kind.key().to_owned()).chain(levels.iter().cloned()))
}

/// Fixed page `page` of a term's list, counted from the oldest from 1; 0 is the
/// landing page.
pub fn term_page(kind: TaxonomyKind, levels: &[String], page: usize) -> PagePath {
    let base = term(kind, levels);
    if page == 0 { base } else { base.join("page").join(page.to_string()) }
}

/// An issuer's feed, beside the first page of its list.
pub fn issuer_feed(issuer: &str) -> std::path::PathBuf {
    term(TaxonomyKind::Issuer, &[issuer.to_owned()]).file_beside(FEED)
}

/// The catalogue's part of the notices published in `quarter` (1–4) of `year`.
pub fn catalogue_part(year: i32, quarter: u32) -> String {
    format!("{CATALOGUE_PARTS}/{year}q{quarter}.json")
}

/// The sitemap of the notices published in `year`.
pub fn sitemap_year(year: i32) -> String {
    format!("{SITEMAPS}/{year}.xml")
}

pub fn search() -> PagePath {
    PagePath::new([SEARCH])
}

pub fn consultations() -> PagePath {
    PagePath::new([CONSULTATIONS])
}

pub fn site_map() -> PagePath {
    PagePath::new([SITE_MAP])
}

pub fn dashboard() -> PagePath {
    PagePath::new([PROGRESS])
}

/// The page of one version of a notice's text (None: the original).
pub fn revision(notice: &PagePath, date: Option<&str>) -> PagePath {
    notice.join("revisions").join(date.unwrap_or("original"))
}

/// The source view of a data file of a notice: `<notice>/<file>.html`, beside the file.
pub fn source_page(notice: &PagePath, file: &str) -> std::path::PathBuf {
    let mut p: std::path::PathBuf = notice.0.iter().collect();
    p.push(format!("{file}.html"));
    p
}

/// Where a notice's attachment is copied: beside its page.
pub fn attachment(notice: &PagePath, file: &str) -> std::path::PathBuf {
    let mut p: std::path::PathBuf = notice.0.iter().collect();
    p.push(file);
    p
}

/// A path segment as an IRI (RFC 3987) writes it: only ASCII characters with a
/// meaning in URLs (and spaces and controls) percent-encoded, any other character
/// as it is.
fn iri_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let plain = c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
        if (c.is_ascii() && !plain) || c.is_control() || c.is_whitespace() {
            out.extend(utf8_percent_encode(c.encode_utf8(&mut [0; 4]), SEGMENT));
        } else {
            out.push(c);
        }
    }
    out
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
    // NFC: `jiàoyù` typed on one machine and decomposed on another (macOS writes
    // file names so) is one URL and one file, never two that look alike.
    let mut s: String = name
        .trim()
        .nfc()
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

/// The `Content-Type` a file of the built site is served with (the preview server
/// sends it; a web archive records it), text always as UTF-8.
pub fn content_type(path: &std::path::Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "bin" | "idx" => "application/octet-stream",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "yaml" | "yml" | "md" | "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_and_encoded() {
        let p = PagePath::new(["issuers", "通榆县人民政府办公室"]);
        assert_eq!(p.root_prefix(), "../../");
        assert_eq!(p.href(), "issuers/通榆县人民政府办公室/index.html", "Chinese as it is");
        assert_eq!(PagePath::new(["a b#c%e"]).href(), "a%20b%23c%25e/index.html", "URL syntax encoded");
        assert_eq!(
            p.url("https://x.org/"),
            "https://x.org/issuers/%E9%80%9A%E6%A6%86%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C%E5%8A%9E%E5%85%AC%E5%AE%A4/",
            "absolute URLs fully encoded"
        );
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
