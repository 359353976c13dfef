//! A built site as a web archive: WACZ 1.1.1 (Web Archive Collection Zipped), the
//! package replay tools (ReplayWeb.page, pywb) open and records offices keep.
//!
//! ```text
//! archive/data.warc.gz    WARC 1.1: a warcinfo record, then per file of the site one
//!                         `response` record at its URL under base_url; a folder's
//!                         index.html is recorded at the folder's URL (what the sitemap,
//!                         feeds and QR codes give) with a `revisit` at …/index.html
//!                         (what the pages' own links give)
//! indexes/index.cdx       CDXJ, one line per response and revisit, sorted
//! pages/pages.jsonl       every HTML page with its title, the home page first
//! datapackage.json        the three files' sizes and SHA-256, and what the package is
//! datapackage-digest.json the SHA-256 of datapackage.json
//! ```
//!
//! Every member is stored, not deflated (the spec requires it of the WARC, so a
//! replay tool can read a record straight from the ZIP at its offset); every time
//! in it comes from the as-of date or SOURCE_DATE_EPOCH, so the same site gives the
//! same bytes.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use super::warc::{self, WarcDate};
use super::write::{check_not_inside, payload_files};
use super::{ArchiveError, io, software_agent};
use crate::routes::{content_type, encode_path};
use crate::text::to_hex;
use crate::write::atomic_file;

/// The version of the WACZ specification the packages follow.
pub const WACZ_VERSION: &str = "1.1.1";
const WARC_NAME: &str = "data.warc.gz";
/// The WARC's path in the package.
const WARC_PATH: &str = "archive/data.warc.gz";

/// What the package says about itself besides the site's files.
#[derive(Debug, Clone)]
pub struct WaczInfo {
    /// The site's base URL (ends with `/`): every record's URL is under it.
    pub base_url: String,
    /// The date the site is shown as of: every record's WARC-Date is its last
    /// second (China Standard Time).
    pub as_of: NaiveDate,
    /// `title` of datapackage.json: the site's title.
    pub title: String,
    /// `created` of datapackage.json, `YYYY-MM-DDTHH:MM:SSZ`: when it was packaged
    /// (from SOURCE_DATE_EPOCH for a reproducible package).
    pub created: String,
}

/// What `write_wacz` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaczSummary {
    /// `response` records: one per file of the site.
    pub responses: usize,
    /// HTML pages listed in pages.jsonl.
    pub pages: usize,
    /// Size of the package.
    pub bytes: u64,
}

/// One file of the site as a record in the WARC.
struct Captured {
    /// URL the response is recorded at.
    url: String,
    /// The compressed response record, and a revisit for `…/index.html` after it.
    members: Vec<(String, &'static str, Vec<u8>)>,
    payload_digest: String,
    /// `Some(title)` for an HTML page.
    title: Option<String>,
}

/// Write the built site at `site_dir` as a WACZ file at `target`, which must not
/// exist unless `force`. The file appears whole or not at all.
pub fn write_wacz(site_dir: &Path, target: &Path, info: &WaczInfo, force: bool) -> Result<WaczSummary, ArchiveError> {
    // Records carry the URL as a browser asks for it: host in punycode, path
    // percent-encoded (a base URL may be written with Chinese in it).
    let base_url = match url::Url::parse(&info.base_url) {
        Ok(u) if info.base_url.ends_with('/') => u.to_string(),
        _ => {
            return Err(ArchiveError::Refused(format!(
                "the base URL `{}` is not an absolute URL ending in `/`",
                info.base_url
            )));
        }
    };
    let info = &WaczInfo { base_url, ..info.clone() };
    check_wacz_target(target, force)?;
    check_not_inside(site_dir, target)?;
    let files = payload_files(site_dir)?;
    let date = WarcDate::end_of_day(info.as_of);
    let (warcinfo_id, warcinfo) = warc::warcinfo(
        WARC_NAME,
        &date,
        &[
            ("software", &software_agent()),
            ("format", "WARC File Format 1.1"),
            ("conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"),
            ("isPartOf", &format!("{} as of {}", info.base_url, info.as_of.format("%Y-%m-%d"))),
        ],
    );

    // Written beside the target and renamed over it when complete.
    let records = Records { files: &files, info, date: &date, warcinfo_id: &warcinfo_id, warcinfo: &warcinfo };
    atomic_file(target, |file| package(&records, file, target).map_err(Failed::Archive)).map_err(|e| match e {
        Failed::Archive(e) => e,
        Failed::Io(e) => io(format!("cannot write {}", target.display()))(e),
    })
}

/// Refuse `target` for a WACZ file when it exists and `force` is not given, or is
/// not a file. `snapshot` asks before building, `write_wacz` again before writing.
pub fn check_wacz_target(target: &Path, force: bool) -> Result<(), ArchiveError> {
    match std::fs::symlink_metadata(target) {
        Err(_) => Ok(()),
        Ok(m) if m.is_file() && force => Ok(()),
        Ok(m) if m.is_file() => {
            Err(ArchiveError::Refused(format!("{} exists; pass --force to replace it", target.display())))
        }
        Ok(_) => {
            Err(ArchiveError::Refused(format!("{} exists and is not a file; refusing to replace it", target.display())))
        }
    }
}

/// Why the package file was not written: making it, or the file itself.
enum Failed {
    Archive(ArchiveError),
    Io(std::io::Error),
}

impl From<std::io::Error> for Failed {
    fn from(e: std::io::Error) -> Failed {
        Failed::Io(e)
    }
}

/// What the WARC is made of: the site's files and what every record shares.
#[derive(Clone, Copy)]
struct Records<'a> {
    files: &'a [(String, std::path::PathBuf)],
    info: &'a WaczInfo,
    date: &'a WarcDate,
    warcinfo_id: &'a str,
    warcinfo: &'a [u8],
}

/// Sites are recorded this many files at a time: compressed on every core, then
/// appended to the WARC in file order, so memory holds one batch, not the site.
const BATCH: usize = 256;

/// Write the ZIP into `file`: the WARC streamed batch by batch into its (stored)
/// member while its index lines and digest are collected, then the index, the
/// page list and the data package.
fn package(r: &Records, file: &mut std::fs::File, target: &Path) -> Result<WaczSummary, ArchiveError> {
    let Records { files, info, date, warcinfo_id, warcinfo } = *r;
    // The same error as a failure of the file itself (`write_wacz`).
    let write_error = |e: std::io::Error| io(format!("cannot write {}", target.display()))(e);
    let zip_error = |e: zip::result::ZipError| write_error(std::io::Error::from(e));
    // ZIP64 only when the WARC could pass 4 GiB: the site's bytes, plus room for
    // each file's record heads (gzip never grows a record by more than that).
    let most: u64 = files.iter().map(|(_, p)| std::fs::metadata(p).map_or(0, |m| m.len() + 4096)).sum();
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(&mut *file));
    zip.start_file(WARC_PATH, stored(info.as_of, most >= u32::MAX as u64)).map_err(zip_error)?;
    let mut warc = Counted { inner: &mut zip, hasher: Sha256::new(), len: 0 };
    warc.write_all(&gz(warcinfo)?).map_err(write_error)?;
    let (mut cdx, mut listed, mut responses) = (Vec::new(), Vec::new(), 0);
    let home = info.base_url.as_str();
    let ts14 = date.timestamp14();
    for batch in files.chunks(BATCH) {
        let captured: Vec<Captured> = batch
            .par_iter()
            .map(|(rel, path)| capture(rel, path, info, date, warcinfo_id))
            .collect::<Result<_, _>>()?;
        for c in captured {
            for (url, mime, member) in &c.members {
                let fields = [
                    ("url", url.as_str()),
                    ("mime", *mime),
                    ("status", "200"),
                    ("digest", c.payload_digest.as_str()),
                    ("length", &member.len().to_string()),
                    ("offset", &warc.len.to_string()),
                    ("filename", WARC_NAME),
                ];
                cdx.push(cdxj_line(&surt(url), &ts14, &fields));
                warc.write_all(member).map_err(write_error)?;
            }
            responses += 1;
            if let Some(title) = c.title {
                listed.push((c.url, title));
            }
        }
    }
    let warc_resource = resource(WARC_PATH, warc::label(warc.hasher), warc.len);
    cdx.sort();
    let index: String = cdx.concat();

    let ts = date.iso();
    listed.sort_by_key(|(url, _)| url != home); // the home page first, then file order
    let mut pages = vec![json!({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}).to_string()];
    for (url, title) in &listed {
        let id = &to_hex(&Sha256::digest(url.as_bytes()))[..16];
        pages.push(json!({"id": id, "url": url, "title": title, "ts": ts}).to_string());
    }
    let pages = pages.join("\n") + "\n";

    let rest: [(&str, &[u8]); 2] = [("indexes/index.cdx", index.as_bytes()), ("pages/pages.jsonl", pages.as_bytes())];
    let mut resources = vec![warc_resource];
    resources.extend(rest.iter().map(|(path, bytes)| resource(path, warc::sha256_label(bytes), bytes.len() as u64)));
    let datapackage = serde_json::to_string_pretty(&json!({
        "profile": "data-package",
        "resources": resources,
        "wacz_version": WACZ_VERSION,
        "title": info.title,
        "description": format!("{} as it stood on {}", info.base_url, info.as_of.format("%Y-%m-%d")),
        "mainPageURL": home,
        "mainPageDate": ts,
        "created": info.created,
        "software": software_agent(),
    }))
    .expect("JSON values serialise");
    let digest = serde_json::to_string_pretty(&json!({
        "path": "datapackage.json",
        "hash": warc::sha256_label(datapackage.as_bytes()),
    }))
    .expect("JSON values serialise");
    for (name, bytes) in rest
        .into_iter()
        .chain([("datapackage.json", datapackage.as_bytes()), ("datapackage-digest.json", digest.as_bytes())])
    {
        zip.start_file(name, stored(info.as_of, false)).map_err(zip_error)?;
        zip.write_all(bytes).map_err(write_error)?;
    }
    zip.finish().map_err(zip_error)?.into_inner().map_err(|e| write_error(e.into_error()))?;
    let bytes = file.metadata().map_err(write_error)?.len();
    Ok(WaczSummary { responses, pages: listed.len(), bytes })
}

/// A resource of datapackage.json.
fn resource(path: &str, hash: String, bytes: u64) -> serde_json::Value {
    let name = path.rsplit('/').next().unwrap_or(path);
    json!({"name": name, "path": path, "hash": hash, "bytes": bytes})
}

/// A writer that counts and hashes what passes through it (the WARC member).
struct Counted<W> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Read one file of the site and make its records.
fn capture(
    rel: &str,
    path: &Path,
    info: &WaczInfo,
    date: &WarcDate,
    warcinfo_id: &str,
) -> Result<Captured, ArchiveError> {
    let payload = std::fs::read(path).map_err(io(format!("cannot read {}", path.display())))?;
    let ctype = content_type(Path::new(rel));
    let mime = ctype.split(';').next().unwrap_or(ctype).trim();
    let file_url = format!("{}{}", info.base_url, encode_path(rel));
    // A folder's page is recorded at the folder's URL, its public address.
    let folder_url = match rel.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => Some(format!("{}{}", info.base_url, encode_path(dir))),
        _ => None,
    };
    let url = folder_url.clone().unwrap_or_else(|| file_url.clone());
    let response = warc::response(&url, date, ctype, &payload, warcinfo_id);
    let mut members = vec![(url.clone(), mime, gz(&response.bytes)?)];
    if folder_url.is_some() {
        let revisit = warc::revisit(&file_url, date, ctype, payload.len(), &url, &response, warcinfo_id);
        members.push((file_url, "warc/revisit", gz(&revisit)?));
    }
    let title = (mime == "text/html").then(|| html_title(&String::from_utf8_lossy(&payload)));
    Ok(Captured { url, members, payload_digest: response.payload_digest, title })
}

/// A record as a gzip member of its own.
fn gz(record: &[u8]) -> Result<Vec<u8>, ArchiveError> {
    warc::gzip_member(record).map_err(io("cannot compress a WARC record".into()))
}

/// A CDXJ line as `cdxj-indexer` writes it: key, 14-digit time, then the fields as
/// a JSON object with Python's separators.
fn cdxj_line(key: &str, ts: &str, fields: &[(&str, &str)]) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}: {}", serde_json::Value::from(*k), serde_json::Value::from(*v)))
        .collect();
    format!("{key} {ts} {{{}}}\n", body.join(", "))
}

/// The Sort-friendly URI Reordering Transform replay indexes are keyed on, as the
/// Internet Archive's canonicaliser makes it for the URLs a site has: host labels
/// reversed and joined by commas, a leading `www.` dropped, a port only when not
/// the scheme's own, everything lower case, no trailing `/` after a path.
fn surt(url: &str) -> String {
    let Ok(u) = url::Url::parse(url) else { return url.to_ascii_lowercase() };
    let host = u.host_str().unwrap_or("").to_ascii_lowercase();
    let host = strip_www(&host);
    let mut key: String = host.split('.').rev().collect::<Vec<_>>().join(",");
    if let Some(port) = u.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push(')');
    let mut path = u.path().to_ascii_lowercase();
    if path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    key.push_str(&path);
    if let Some(q) = u.query() {
        let mut args: Vec<&str> = q.split('&').collect();
        args.sort_unstable();
        key.push('?');
        key.push_str(&args.join("&").to_ascii_lowercase());
    }
    key
}

/// `www.`, `www2.` … at the front of a host name, which the canonicaliser drops.
fn strip_www(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix("www")
        && let Some(dot) = rest.find('.')
        && rest[..dot].bytes().all(|b| b.is_ascii_digit())
    {
        return &rest[dot + 1..];
    }
    host
}

/// The text of a page's `<title>`, its character references resolved.
fn html_title(html: &str) -> String {
    let Some(start) = html.find("<title>") else { return String::new() };
    let rest = &html[start + "<title>".len()..];
    let raw = &rest[..rest.find("</title>").unwrap_or(rest.len())];
    unescape(raw.trim())
}

/// Resolve `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric references (the
/// ones the templates' escaping writes); anything else stays as written.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A stored (not deflated) ZIP member, dated `date` (midnight) and readable by all,
/// so the package's bytes depend only on what is in it.
fn stored(date: NaiveDate, large: bool) -> SimpleFileOptions {
    use chrono::Datelike;
    let time = zip::DateTime::from_date_and_time(
        date.year().clamp(1980, 2107) as u16,
        date.month() as u8,
        date.day() as u8,
        0,
        0,
        0,
    )
    .unwrap_or_default();
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(time)
        .unix_permissions(0o644)
        .large_file(large)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn surt_keys_match_the_reference_canonicaliser() {
        // Each expected key as Python's `surt` package (used by pywb and cdxj-indexer) gives it.
        for (url, key) in [
            ("https://example.org/gongkai/", "org,example)/gongkai"),
            ("https://example.org/gongkai/notices/a-b/index.html", "org,example)/gongkai/notices/a-b/index.html"),
            ("https://www.Example.org:8080/A/%E7%94%B3%E8%AF%B7.txt", "org,example:8080)/a/%e7%94%b3%e8%af%b7.txt"),
            ("https://example.org/", "org,example)/"),
            ("https://example.org/a/b/", "org,example)/a/b"),
            ("https://www2.gov.cn/x", "cn,gov)/x"),
            ("https://wwwx.gov.cn/x", "cn,gov,wwwx)/x"),
        ] {
            assert_eq!(surt(url), key, "{url}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            html_title("<head><title>通知 &amp; 公告 &#x2F; &lt;2019&gt; &#39;x&#39;</title>"),
            "通知 & 公告 / <2019> 'x'"
        );
        assert_eq!(html_title("<title> a &bogus; &#xZZ; & b </title>"), "a &bogus; &#xZZ; & b");
        assert_eq!(html_title("<p>none</p>"), "");
    }

    #[test]
    fn cdxj_lines_use_pythons_separators() {
        let line = cdxj_line("org,example)/", "20191231000000", &[("url", "https://example.org/"), ("status", "200")]);
        assert_eq!(line, "org,example)/ 20191231000000 {\"url\": \"https://example.org/\", \"status\": \"200\"}\n");
    }

    #[test]
    fn stored_zip_is_reproducible() {
        let d = NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
        let zip_of = |text: &[u8]| {
            let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
            z.start_file("a/b.txt", stored(d, false)).unwrap();
            z.write_all(text).unwrap();
            z.finish().unwrap().into_inner()
        };
        let a = zip_of(b"hello");
        assert_eq!(a, zip_of(b"hello"));
        let mut z = zip::ZipArchive::new(Cursor::new(a)).unwrap();
        let f = z.by_index(0).unwrap();
        assert_eq!(f.compression(), zip::CompressionMethod::Stored);
        assert_eq!(f.name().unwrap(), "a/b.txt");
    }
}
