//! `snapshot --wacz`: the example site as of a date as a WACZ 1.1.1 web archive,
//! read back here record by record, and checked with the reference tools from PyPI:
//! `wacz validate` (py-wacz), `warcio check` / `warcio index` and `cdxj-indexer`.

mod common;
use common::*;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const AS_OF: &str = "2019-12-31";
const BASE: &str = "https://example.org/gongkai/";

/// The members of a ZIP, in order, with their bytes; each must be stored.
fn unzip(file: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).expect("a ZIP file");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            assert_eq!(f.compression(), zip::CompressionMethod::Stored, "{:?} is stored", f.name());
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// One WARC record: its fields and its block.
struct Record {
    fields: BTreeMap<String, String>,
    block: Vec<u8>,
}

impl Record {
    fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// The HTTP head and the payload of a response.
    fn http(&self) -> (String, &[u8]) {
        let end = self.block.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP head");
        (String::from_utf8(self.block[..end].to_vec()).unwrap(), &self.block[end + 4..])
    }
}

/// Parse one uncompressed record, checking its framing.
fn parse_record(raw: &[u8]) -> Record {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a record head");
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.split("\r\n");
    assert_eq!(lines.next(), Some("WARC/1.1"));
    let fields: BTreeMap<String, String> = lines
        .map(|l| {
            let (k, v) = l.split_once(": ").unwrap_or_else(|| panic!("bad field {l:?}"));
            (k.to_string(), v.to_string())
        })
        .collect();
    let len: usize = fields["Content-Length"].parse().unwrap();
    let block = raw[end + 4..end + 4 + len].to_vec();
    assert_eq!(&raw[end + 4 + len..], b"\r\n\r\n", "a record ends with two CRLFs after its block");
    Record { fields, block }
}

/// The record at `offset` of a .warc.gz, `length` bytes (one gzip member).
fn record_at(warc: &[u8], offset: usize, length: usize) -> Record {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(&warc[offset..offset + length]).read_to_end(&mut raw).expect("a gzip member");
    parse_record(&raw)
}

/// The URL a file of the site is recorded at: a folder's index.html at the folder.
fn url_of(rel: &str) -> String {
    let rel = rel.strip_suffix("index.html").filter(|d| d.is_empty() || d.ends_with('/')).unwrap_or(rel);
    let enc: Vec<String> = rel
        .split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string())
        .collect();
    // NON_ALPHANUMERIC also encodes - _ . ~, which URLs leave as they are.
    let enc = enc.join("/").replace("%2D", "-").replace("%5F", "_").replace("%2E", ".").replace("%7E", "~");
    format!("{BASE}{enc}")
}

/// A tool from PyPI (see `common::tool`).
fn python_tool(name: &str, package: &str) -> Option<PathBuf> {
    tool(name, &format!("bash tests/run.sh (or: pip install {package})"))
}

fn run_tool(tool: &Path, args: &[&str], dir: &Path) -> (bool, String) {
    let out = Command::new(tool).args(args).current_dir(dir).output().expect("run the tool");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

#[test]
fn wacz_of_the_example_site_holds_every_file_at_its_url() {
    let site = Site::example();
    let file = site.path("site.wacz");
    site.run(&["snapshot", "--as-of", AS_OF, "--wacz", file.to_str().unwrap()]).ok();
    // The same site as a plain build of that date, to compare with.
    let built = site.path("built");
    site.run(&["build", "--as-of", AS_OF, "--out", built.to_str().unwrap()]).ok();
    let files = snapshot(&built);

    let members = unzip(&file);
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "archive/data.warc.gz",
            "indexes/index.cdx",
            "pages/pages.jsonl",
            "datapackage.json",
            "datapackage-digest.json"
        ]
    );
    let member = |name: &str| &members.iter().find(|(n, _)| n == name).unwrap().1;

    // datapackage.json: every other member's size and hash; what the package is.
    let package: serde_json::Value = serde_json::from_slice(member("datapackage.json")).unwrap();
    assert_eq!(package["wacz_version"], "1.1.1");
    assert_eq!(package["mainPageURL"], BASE);
    assert_eq!(package["mainPageDate"], "2019-12-31T15:59:59Z");
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 3);
    for r in resources {
        let bytes = member(r["path"].as_str().unwrap());
        assert_eq!(r["hash"], sha256(bytes), "{}", r["path"]);
        assert_eq!(r["bytes"], bytes.len(), "{}", r["path"]);
    }
    let digest: serde_json::Value = serde_json::from_slice(member("datapackage-digest.json")).unwrap();
    assert_eq!(digest["hash"], sha256(member("datapackage.json")));

    // The index: one line per record, sorted; each offset and length finds a record
    // whose URL, date and payload are the site's file.
    let warc = member("archive/data.warc.gz");
    let index = String::from_utf8(member("indexes/index.cdx").clone()).unwrap();
    let lines: Vec<&str> = index.lines().collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "the index is sorted");
    let mut responses: BTreeMap<String, Record> = BTreeMap::new();
    let mut revisits = 0;
    for line in &lines {
        let mut parts = line.splitn(3, ' ');
        let (_key, ts, json) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        assert_eq!(ts, "20191231155959");
        let j: serde_json::Value = serde_json::from_str(json).unwrap();
        let offset: usize = j["offset"].as_str().unwrap().parse().unwrap();
        let length: usize = j["length"].as_str().unwrap().parse().unwrap();
        let rec = record_at(warc, offset, length);
        assert_eq!(rec.get("WARC-Target-URI"), j["url"].as_str().unwrap());
        assert_eq!(rec.get("WARC-Date"), "2019-12-31T15:59:59Z");
        assert_eq!(rec.get("WARC-Payload-Digest"), j["digest"].as_str().unwrap());
        match rec.get("WARC-Type") {
            "response" => {
                responses.insert(rec.get("WARC-Target-URI").to_string(), rec);
            }
            "revisit" => {
                revisits += 1;
                let target = rec.get("WARC-Refers-To-Target-URI");
                assert_eq!(format!("{target}index.html"), rec.get("WARC-Target-URI"));
            }
            other => panic!("unexpected record type {other}"),
        }
    }
    assert_eq!(responses.len(), files.len(), "one response per file of the site");
    for (rel, bytes) in &files {
        let rel = rel.to_str().unwrap();
        let url = url_of(rel);
        let rec = responses.get(&url).unwrap_or_else(|| panic!("no response for {rel} at {url}"));
        let (head, payload) = rec.http();
        assert!(payload == bytes.as_slice(), "{rel}: the payload is the file");
        assert_eq!(rec.get("WARC-Payload-Digest"), sha256(bytes));
        assert_eq!(rec.get("WARC-Block-Digest"), sha256(&rec.block));
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert!(head.contains(&format!("Content-Length: {}", bytes.len())), "{head}");
        if rel.ends_with(".html") {
            assert!(head.contains("Content-Type: text/html; charset=utf-8"), "{head}");
        }
        if rel.ends_with(".css") {
            assert!(head.contains("Content-Type: text/css; charset=utf-8"), "{head}");
        }
    }
    let pages_html = files.keys().filter(|p| p.extension().is_some_and(|e| e == "html")).count();
    let folder_pages = files.keys().filter(|p| p.file_name().is_some_and(|n| n == "index.html")).count();
    assert_eq!(revisits, folder_pages, "a revisit at …/index.html for every folder's page");

    // pages.jsonl: the header, then every HTML page with its title, home first.
    let pages = String::from_utf8(member("pages/pages.jsonl").clone()).unwrap();
    let mut pl = pages.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap());
    let header = pl.next().unwrap();
    assert_eq!((header["format"].as_str(), header["id"].as_str()), (Some("json-pages-1.0"), Some("pages")));
    let listed: Vec<serde_json::Value> = pl.collect();
    assert_eq!(listed.len(), pages_html);
    assert_eq!(listed[0]["url"], BASE);
    for p in &listed {
        let url = p["url"].as_str().unwrap();
        assert!(responses.contains_key(url), "{url} is recorded");
        assert_eq!(p["ts"], "2019-12-31T15:59:59Z");
        let title = p["title"].as_str().unwrap();
        assert!(!title.is_empty() && !title.contains("&amp;") && !title.contains("&#"), "{url}: {title:?}");
    }
    let notice = url_of("notices/tongyu-yiwu-jiaoyu-junheng-guihua/index.html");
    let entry = listed.iter().find(|p| p["url"] == notice.as_str()).expect("the 2018 notice is listed");
    assert!(entry["title"].as_str().unwrap().contains("义务教育"), "{entry}");
    // Not yet published on that date.
    assert!(!pages.contains("shizhengban-jiaoyu-chuangxin-yijian"));
}

#[test]
fn wacz_is_byte_reproducible_and_never_overwritten_without_force() {
    let site = Site::example();
    let a = site.path("a.wacz");
    let b = site.path("b.wacz");
    site.run(&["snapshot", "--as-of", AS_OF, "--wacz", a.to_str().unwrap()]).ok();
    site.run(&["snapshot", "--as-of", AS_OF, "--wacz", b.to_str().unwrap()]).ok();
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(), "the same date gives the same bytes");

    std::fs::write(&b, "kept").unwrap();
    let refused = site.run(&["snapshot", "--as-of", "2023-06-30", "--wacz", b.to_str().unwrap()]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("exists; pass --force"), "{}", refused.stderr);
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "kept");
    site.run(&["snapshot", "--as-of", "2023-06-30", "--wacz", b.to_str().unwrap(), "--force"]).ok();
    assert!(std::fs::read(&b).unwrap() != std::fs::read(&a).unwrap());
    // Every target is checked before anything is written: a bag folder in the way
    // refuses the snapshot, and the WACZ asked for with it is not written either.
    let (taken, d) = (site.path("taken"), site.path("d.wacz"));
    std::fs::create_dir(&taken).unwrap();
    std::fs::write(taken.join("keep.txt"), "kept").unwrap();
    let refused =
        site.run(&["snapshot", "--as-of", AS_OF, "--out", taken.to_str().unwrap(), "--wacz", d.to_str().unwrap()]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("is not empty"), "{}", refused.stderr);
    assert!(!d.exists(), "the WACZ was written though the bag was refused");

    // A site that does not build writes nothing.
    site.write("content/notices/broken.md", "---\ntitle: [unclosed\n---\n");
    let c = site.path("c.wacz");
    let failed = site.run(&["snapshot", "--as-of", AS_OF, "--wacz", c.to_str().unwrap()]);
    assert_ne!(failed.code, 0);
    assert!(!c.exists());

    // Usage errors: no package asked for; --force where nothing would be replaced.
    let none = site.run(&["snapshot", "--as-of", AS_OF]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("--out <DIR>|--archive <DIR>|--wacz <FILE>"), "{}", none.stderr);
    let bag = site.path("bag");
    assert_eq!(site.run(&["snapshot", "--as-of", AS_OF, "--out", bag.to_str().unwrap(), "--force"]).code, 2);
    assert!(!bag.exists());

    // One build, both packages.
    std::fs::remove_file(site.path("content/notices/broken.md")).unwrap();
    site.run(&["snapshot", "--as-of", AS_OF, "--wacz", c.to_str().unwrap(), "--out", bag.to_str().unwrap()]).ok();
    assert!(std::fs::read(&c).unwrap() == std::fs::read(&a).unwrap());
    assert!(bag.join("bagit.txt").is_file());
    // Packages are written beside their target and renamed: nothing half-written stays.
    let left: Vec<String> = std::fs::read_dir(site.path(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongkai-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A base URL written with Chinese in it is recorded as browsers ask for it: the
/// host in punycode, the path percent-encoded.
#[test]
fn urls_are_recorded_as_browsers_send_them() {
    let site = Site::example();
    let file = site.path("site.wacz");
    let base = "https://教育.例子.中国/信息公开/";
    site.run(&["snapshot", "--as-of", AS_OF, "--base-url", base, "--wacz", file.to_str().unwrap()]).ok();
    let members = unzip(&file);
    let index = String::from_utf8(members[1].1.clone()).unwrap();
    let encoded = "https://xn--wcvs22d.xn--fsqu00a.xn--fiqs8s/%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80/";
    assert!(index.is_ascii(), "{index}");
    assert!(index.contains(&format!("\"url\": \"{encoded}\"")), "{index}");
    let package: serde_json::Value = serde_json::from_slice(&members[3].1).unwrap();
    assert_eq!(package["mainPageURL"], encoded);
}

/// The reference tools accept the package and its WARC, and refuse a changed copy.
#[test]
fn reference_tools_accept_the_wacz() {
    let (Some(wacz), Some(warcio), Some(cdxj)) =
        (python_tool("wacz", "wacz"), python_tool("warcio", "warcio"), python_tool("cdxj-indexer", "cdxj-indexer"))
    else {
        return;
    };
    let site = Site::example();
    let file = site.path("site.wacz");
    site.run(&["snapshot", "--as-of", AS_OF, "--wacz", file.to_str().unwrap()]).ok();
    let dir = site.path("");

    let (ok, log) = run_tool(&wacz, &["validate", "-f", file.to_str().unwrap()], &dir);
    assert!(ok && log.contains("Validation succeeded"), "wacz validate refused the package:\n{log}");
    eprintln!("wacz validate said: {}", log.trim().lines().last().unwrap_or(""));

    let members = unzip(&file);
    let warc = site.path("data.warc.gz");
    std::fs::write(&warc, &members[0].1).unwrap();
    let (ok, log) = run_tool(&warcio, &["check", "-v", "data.warc.gz"], &dir);
    assert!(ok, "warcio check found a bad digest:\n{log}");
    let (ok, listed) =
        run_tool(&warcio, &["index", "-f", "warc-type,warc-target-uri,content-type", "data.warc.gz"], &dir);
    assert!(ok, "{listed}");
    let pages = String::from_utf8(members[2].1.clone()).unwrap();
    for line in pages.lines().skip(1) {
        let url = serde_json::from_str::<serde_json::Value>(line).unwrap()["url"].as_str().unwrap().to_string();
        assert!(listed.contains(&format!("\"warc-target-uri\": \"{url}\"")), "warcio index does not list {url}");
    }
    // Our index is the one the reference indexer makes of the same WARC.
    let (ok, reference) = run_tool(&cdxj, &["--sort", "data.warc.gz"], &dir);
    assert!(ok, "{reference}");
    assert!(reference == String::from_utf8(members[1].1.clone()).unwrap(), "index.cdx differs from cdxj-indexer's");

    // A changed page list, and a changed record, are refused.
    let tampered = site.path("tampered.wacz");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&tampered).unwrap());
        for (name, bytes) in &members {
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            z.start_file(name.as_str(), opts).unwrap();
            let bytes = if name == "pages/pages.jsonl" {
                pages.replacen("2019", "2018", 1).into_bytes()
            } else {
                bytes.clone()
            };
            std::io::Write::write_all(&mut z, &bytes).unwrap();
        }
        z.finish().unwrap();
    }
    let (ok, log) = run_tool(&wacz, &["validate", "-f", tampered.to_str().unwrap()], &dir);
    assert!(!ok && log.contains("invalid"), "wacz validate accepted a changed package:\n{log}");
    let mut raw = Vec::new();
    flate2::read::MultiGzDecoder::new(members[0].1.as_slice()).read_to_end(&mut raw).unwrap();
    let at = raw.windows("义务教育".len()).position(|w| w == "义务教育".as_bytes()).expect("a page's text");
    raw[at + 3] ^= 1;
    std::fs::write(site.path("changed.warc"), &raw).unwrap();
    let (ok, log) = run_tool(&warcio, &["check", "changed.warc"], &dir);
    assert!(!ok && log.contains("digest failed"), "warcio check accepted a changed record:\n{log}");
}

/// A replay tool opens the package: pywb (Webrecorder's Python replay server) loads
/// the WACZ and serves the home page, a notice at both of its URLs (the folder's,
/// and the `index.html` the pages link to) and the stylesheet, as they were.
#[test]
fn pywb_replays_the_wacz() {
    let (Some(manager), Some(wayback)) = (python_tool("wb-manager", "pywb"), python_tool("wayback", "pywb")) else {
        return;
    };
    let site = Site::example();
    let file = site.path("site.wacz");
    site.run(&["snapshot", "--as-of", AS_OF, "--wacz", file.to_str().unwrap()]).ok();
    let dir = site.path("replay");
    std::fs::create_dir_all(&dir).unwrap();
    let (ok, log) = run_tool(&manager, &["init", "gk"], &dir);
    assert!(ok, "{log}");
    let (ok, log) = run_tool(&manager, &["add", "--unpack-wacz", "gk", file.to_str().unwrap()], &dir);
    assert!(ok, "{log}");

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = Command::new(&wayback)
        .args(["-b", "127.0.0.1", "-p", &port.to_string()])
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start wayback");
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _server = Kill(server);
    let get = |url: &str| -> Option<(u16, String)> {
        use std::io::Write;
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        // HTTP/1.0: the answer ends when the connection closes, never chunked.
        write!(s, "GET /gk/20191231155959id_/{url} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let status = text.split(' ').nth(1)?.parse().ok()?;
        Some((status, text))
    };
    let mut home = None;
    for _ in 0..300 {
        home = get(BASE);
        if home.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (status, home) = home.expect("wayback answers");
    assert_eq!(status, 200, "{home}");
    assert!(home.contains("<title>教育规划公开示例站</title>"), "{home}");
    let notice = format!("{BASE}notices/tongyu-yiwu-jiaoyu-junheng-guihua/");
    for url in [notice.clone(), format!("{notice}index.html")] {
        let (status, page) = get(&url).unwrap();
        assert_eq!(status, 200, "{url}: {page}");
        assert!(page.contains("义务教育优质均衡发展规划"), "{url}");
    }
    let (status, css) = get(&format!("{BASE}assets/style.css")).unwrap();
    assert_eq!(status, 200);
    assert!(css.contains("text/css"), "{css}");
    // Not in the archive: the notice published after the as-of date.
    let (status, _) = get(&format!("{BASE}notices/shizhengban-jiaoyu-chuangxin-yijian/")).unwrap();
    assert_eq!(status, 404);
}
