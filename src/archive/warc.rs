//! WARC 1.1 records (ISO 28500:2017), each compressed as its own gzip member so a
//! replay tool can read one record at the offset the index gives.
//!
//! Written here rather than with the `warc` crate: that crate keeps a record's
//! headers in a `HashMap`, so their order (and the file's bytes) changes from run
//! to run, and an archive must be byte-reproducible. The format is a few lines of
//! `Name: value` and a block; `warcio` (the reference reader) checks what we write.

use std::io::Write;

use chrono::NaiveDate;
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use crate::text::to_hex;

/// `WARC-Profile` of a revisit record whose payload is the same as another record's.
const IDENTICAL_PAYLOAD: &str = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";

/// A `WARC-Date`: the instant a capture is said to have been made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcDate(String);

impl WarcDate {
    /// The last second of `date` in China Standard Time (23:59:59 +08:00, written
    /// in UTC): an as-of site shows everything published that day.
    pub fn end_of_day(date: NaiveDate) -> WarcDate {
        let utc = date.and_hms_opt(23, 59, 59).expect("a valid time") - chrono::Duration::hours(8);
        WarcDate(utc.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }

    /// `2019-12-31T15:59:59Z`, as WARC and pages.jsonl write it.
    pub fn iso(&self) -> &str {
        &self.0
    }

    /// `20191231155959`, as CDXJ indexes write it.
    pub fn timestamp14(&self) -> String {
        self.0.bytes().filter(u8::is_ascii_digit).map(char::from).collect()
    }
}

/// `sha256:<hex>`, the labelled digest WARC headers, CDXJ and WACZ carry.
pub fn sha256_label(bytes: &[u8]) -> String {
    label(Sha256::new_with_prefix(bytes))
}

/// The labelled digest of what `hasher` was fed.
pub fn label(hasher: Sha256) -> String {
    format!("sha256:{}", to_hex(&hasher.finalize()))
}

/// A record id that depends only on `name`: `<urn:uuid:…>` made from its SHA-256,
/// marked as a version 8 (implementation-defined) UUID of RFC 9562. Random ids
/// would make every export different.
pub fn record_id(name: &str) -> String {
    let h = Sha256::digest(name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = to_hex(&b);
    format!("<urn:uuid:{}-{}-{}-{}-{}>", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// The HTTP response head a static server would have sent with `len` bytes.
fn http_head(content_type: &str, len: usize) -> String {
    format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\n\r\n")
}

/// One record: version line, the named fields in the order given, Content-Length,
/// a blank line, the block, and the two CRLFs that end every record.
fn record(fields: &[(&str, &str)], block: &[&[u8]]) -> Vec<u8> {
    let len: usize = block.iter().map(|b| b.len()).sum();
    let mut out = Vec::with_capacity(len + 512);
    out.extend_from_slice(b"WARC/1.1\r\n");
    for (name, value) in fields {
        // Values are URLs, dates, digests and media types gongkai made: no line breaks.
        debug_assert!(!value.contains(['\r', '\n']), "{name}");
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {len}\r\n\r\n").as_bytes());
    for part in block {
        out.extend_from_slice(part);
    }
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// The `warcinfo` record that opens the file: what wrote it and what it holds.
pub fn warcinfo(filename: &str, date: &WarcDate, info: &[(&str, &str)]) -> (String, Vec<u8>) {
    let id = record_id(&format!("warcinfo {filename} {}", date.iso()));
    let body: String = info.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let bytes = record(
        &[
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", &id),
            ("WARC-Date", date.iso()),
            ("WARC-Filename", filename),
            ("Content-Type", "application/warc-fields"),
        ],
        &[body.as_bytes()],
    );
    (id, bytes)
}

/// A `response` record: `payload` as served at `uri`.
pub struct Response {
    pub id: String,
    pub payload_digest: String,
    pub bytes: Vec<u8>,
}

pub fn response(uri: &str, date: &WarcDate, content_type: &str, payload: &[u8], warcinfo_id: &str) -> Response {
    let id = record_id(&format!("response {uri} {}", date.iso()));
    let head = http_head(content_type, payload.len());
    let payload_digest = sha256_label(payload);
    let mut block = Sha256::new();
    block.update(head.as_bytes());
    block.update(payload);
    let block_digest = label(block);
    let bytes = record(
        &[
            ("WARC-Type", "response"),
            ("WARC-Record-ID", &id),
            ("WARC-Date", date.iso()),
            ("WARC-Target-URI", uri),
            ("WARC-Warcinfo-ID", warcinfo_id),
            ("Content-Type", "application/http;msgtype=response"),
            ("WARC-Payload-Digest", &payload_digest),
            ("WARC-Block-Digest", &block_digest),
        ],
        &[head.as_bytes(), payload],
    );
    Response { id, payload_digest, bytes }
}

/// A `revisit` record: `uri` serves the same payload as the response `original`
/// recorded at `original_uri` (a folder's URL and its `index.html`).
pub fn revisit(
    uri: &str,
    date: &WarcDate,
    content_type: &str,
    payload_len: usize,
    original_uri: &str,
    original: &Response,
    warcinfo_id: &str,
) -> Vec<u8> {
    let id = record_id(&format!("revisit {uri} {}", date.iso()));
    let head = http_head(content_type, payload_len);
    let block_digest = sha256_label(head.as_bytes());
    record(
        &[
            ("WARC-Type", "revisit"),
            ("WARC-Record-ID", &id),
            ("WARC-Date", date.iso()),
            ("WARC-Target-URI", uri),
            ("WARC-Warcinfo-ID", warcinfo_id),
            ("WARC-Profile", IDENTICAL_PAYLOAD),
            ("WARC-Refers-To", &original.id),
            ("WARC-Refers-To-Target-URI", original_uri),
            ("WARC-Refers-To-Date", date.iso()),
            ("Content-Type", "application/http;msgtype=response"),
            ("WARC-Payload-Digest", &original.payload_digest),
            ("WARC-Block-Digest", &block_digest),
        ],
        &[head.as_bytes()],
    )
}

/// One record as a gzip member of its own (the `.warc.gz` convention). The gzip
/// header carries no time or name, so the same record gives the same bytes.
pub fn gzip_member(record: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::with_capacity(record.len() / 3 + 64), Compression::default());
    enc.write_all(record)?;
    enc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_uuids() {
        let a = record_id("response https://example.org/ 2019-12-31T00:00:00Z");
        assert_eq!(a, record_id("response https://example.org/ 2019-12-31T00:00:00Z"));
        assert_ne!(a, record_id("response https://example.org/x 2019-12-31T00:00:00Z"));
        let re = regex::Regex::new(r"^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>$")
            .unwrap();
        assert!(re.is_match(&a), "{a}");
    }

    #[test]
    fn a_response_record() {
        let date = WarcDate::end_of_day(NaiveDate::from_ymd_opt(2019, 12, 31).unwrap());
        assert_eq!(date.timestamp14(), "20191231155959");
        assert_eq!(WarcDate::end_of_day(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()).iso(), "2020-01-01T15:59:59Z");
        let r = response("https://example.org/a.txt", &date, "text/plain; charset=utf-8", b"hello", "<urn:x>");
        let text = String::from_utf8(r.bytes.clone()).unwrap();
        let (head, rest) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("WARC/1.1\r\nWARC-Type: response\r\n"), "{head}");
        assert!(head.contains("WARC-Date: 2019-12-31T15:59:59Z\r\n"));
        assert!(head.contains("WARC-Target-URI: https://example.org/a.txt\r\n"));
        // sha256("hello")
        assert!(
            head.contains(
                "WARC-Payload-Digest: sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
            )
        );
        let block = rest.strip_suffix("\r\n\r\n").unwrap();
        let declared: usize = head.split("Content-Length: ").nth(1).unwrap().parse().unwrap();
        assert_eq!(block.len(), declared);
        assert_eq!(
            block,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\nhello"
        );
        assert_eq!(gzip_member(&r.bytes).unwrap(), gzip_member(&r.bytes).unwrap());
    }
}
