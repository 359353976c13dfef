//! The preview server: static files from the output folder, never anything
//! outside it, with a small script injected into HTML pages that reloads them when
//! the site is rebuilt (server-sent events; no browser extension).

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::desk::{self, Desk};

/// What the HTTP side knows of the site: the build generation, the current errors
/// (shown instead of pages until fixed), and the pages waiting for reloads.
#[derive(Default)]
pub struct Shared {
    state: Mutex<(u64, Option<BuildErrors>)>,
    listeners: Mutex<Vec<Sender<Event>>>,
    /// Rebuilds finished, every page of them written (what the status path
    /// reports: the edited page is announced before the rest are written).
    finished: std::sync::atomic::AtomicU64,
}

/// What browsers are told: the build generation, and which pages changed (none
/// listed: every page reloads).
#[derive(Clone)]
struct Event {
    generation: u64,
    pages: Option<Arc<Vec<String>>>,
}

impl Event {
    fn data(&self) -> String {
        match &self.pages {
            None => serde_json::json!({ "g": self.generation }).to_string(),
            Some(pages) => serde_json::json!({ "g": self.generation, "pages": **pages }).to_string(),
        }
    }
}

impl Shared {
    /// A rebuild finished: `errors` says why, if it failed. Every page reloads.
    pub fn publish(&self, errors: Option<BuildErrors>) {
        let generation = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.0 += 1;
            state.1 = errors;
            state.0
        };
        self.send(Event { generation, pages: None });
    }

    /// Pages of a rebuild were written: browsers showing one of `pages` reload.
    /// The first announcement of a rebuild (`first`) counts a new generation; after
    /// a failed build every page reloads, as every page showed the errors.
    pub fn publish_pages(&self, pages: Vec<String>, first: bool) {
        let (generation, had_errors) = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if first {
                state.0 += 1;
            }
            (state.0, state.1.take().is_some())
        };
        self.send(Event { generation, pages: (!had_errors).then(|| Arc::new(pages)) });
    }

    /// A rebuild is over: every page it writes is written.
    pub fn finish(&self) {
        self.finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn send(&self, event: Event) {
        self.listeners.lock().unwrap_or_else(|e| e.into_inner()).retain(|tx| tx.send(event.clone()).is_ok());
    }

    fn snapshot(&self) -> (u64, Option<BuildErrors>) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn listen(&self) -> Receiver<Event> {
        let (tx, rx) = channel();
        self.listeners.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
        rx
    }
}

/// Why the last rebuild failed: the diagnostics, and the page shown instead of
/// every HTML page until it is fixed.
#[derive(Clone)]
pub struct BuildErrors {
    pub text: String,
    pub page: String,
}

pub const EVENTS_PATH: &str = "/__gongkai/events";
pub const STATUS_PATH: &str = "/__gongkai/status";

/// Reloads the page when a rebuild changed it (or changed everything).
const RELOAD_SCRIPT: &str = "<script>(function(){var s=new EventSource('/__gongkai/events'),g=null,\
p=decodeURIComponent(location.pathname).replace(/^\\//,'');if(p===''||/\\/$/.test(p))p+='index.html';\
s.onmessage=function(e){var d=JSON.parse(e.data);if(g!==null&&(d.pages?d.pages.indexOf(p)>=0:d.g!==g))\
location.reload();g=d.g;};})();</script>";

/// Serve `out` until the process ends. `workers` threads answer requests; event
/// streams get a thread each.
pub fn serve(server: Server, out: PathBuf, shared: Arc<Shared>, desk: Option<Arc<Desk>>, workers: usize) {
    let server = Arc::new(server);
    let out = out.canonicalize().unwrap_or(out);
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (server, out, shared, desk) = (server.clone(), out.clone(), shared.clone(), desk.clone());
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    let url = request.url();
                    let is_desk = url == desk::PREFIX || url.starts_with(&format!("{}/", desk::PREFIX));
                    match (&desk, is_desk) {
                        (Some(desk), true) => desk.handle(request),
                        (None, true) => {
                            let _ = request.respond(text(404, "the desk is off (serve is not on a loopback address)"));
                        }
                        _ => handle(request, &out, &shared),
                    }
                }
            })
        })
        .collect();
    for h in handles {
        let _ = h.join();
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn handle(request: Request, out: &Path, shared: &Arc<Shared>) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "method not allowed"));
        return;
    }
    let url = request.url().split(['?', '#']).next().unwrap_or("/").to_owned();
    if url == EVENTS_PATH {
        let rx = shared.listen();
        let (generation, _) = shared.snapshot();
        // The stream is written by hand on the raw connection: tiny_http's chunked
        // encoder would hold events back in its buffer.
        std::thread::spawn(move || {
            let mut w = request.into_writer();
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
            let mut send = |text: String| w.write_all(text.as_bytes()).and_then(|_| w.flush()).is_ok();
            let hello = Event { generation, pages: None }.data();
            if !send(format!("{head}retry: 500\ndata: {hello}\n\n")) {
                return;
            }
            loop {
                let message = match rx.recv_timeout(Duration::from_secs(5)) {
                    Ok(event) => format!("data: {}\n\n", event.data()),
                    // A comment now and then notices a closed connection.
                    Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_owned(),
                    Err(RecvTimeoutError::Disconnected) => return,
                };
                if !send(message) {
                    return;
                }
            }
        });
        return;
    }
    if url == STATUS_PATH {
        let (_, errors) = shared.snapshot();
        let generation = shared.finished.load(std::sync::atomic::Ordering::SeqCst);
        let body = serde_json::json!({"generation": generation, "errors": errors.map(|e| e.text)}).to_string();
        let _ = request.respond(Response::from_string(body).with_header(header("Content-Type", "application/json")));
        return;
    }
    let path = match resolve(out, &url) {
        Ok(p) => p,
        Err(status) => {
            let _ = request.respond(text(status, if status == 400 { "bad request" } else { "not found" }));
            return;
        }
    };
    let is_html = path.extension().is_some_and(|e| e == "html");
    let (_, errors) = shared.snapshot();
    let last_good = std::fs::read(&path);
    // A broken file: the last good page stays readable, with the diagnostics
    // over it; a page never built yet shows the diagnostics alone.
    if let (true, Some(errors), Err(_)) = (is_html, &errors, &last_good) {
        let response = Response::from_data(inject(errors.page.clone().into_bytes()))
            .with_status_code(StatusCode(500))
            .with_header(header("Content-Type", "text/html; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    let Ok(mut bytes) = last_good else {
        let _ = request.respond(text(404, "not found"));
        return;
    };
    if is_html {
        bytes = inject(bytes);
        if let Some(errors) = &errors {
            bytes = overlay(bytes, &errors.text);
        }
    }
    let len = bytes.len();
    let asked = request.headers().iter().find(|h| h.field.equiv("Range")).map(|h| byte_range(h.value.as_str(), len));
    let response = match asked {
        // The search index is read by range requests.
        Some(Asked::Part(start, end)) => Response::from_data(bytes[start..end].to_vec())
            .with_status_code(StatusCode(206))
            .with_header(header("Content-Range", &format!("bytes {start}-{}/{len}", end - 1))),
        Some(Asked::Unsatisfiable) => Response::from_data(Vec::new())
            .with_status_code(StatusCode(416))
            .with_header(header("Content-Range", &format!("bytes */{len}"))),
        Some(Asked::Whole) | None => Response::from_data(bytes),
    };
    let response = response
        .with_header(header("Content-Type", crate::routes::content_type(&path)))
        .with_header(header("Accept-Ranges", "bytes"))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

/// What a `Range` header asks of a file of `len` bytes (RFC 9110 §14).
#[derive(Debug, PartialEq, Eq)]
enum Asked {
    /// Bytes `[start, end)`.
    Part(usize, usize),
    /// A range that starts at or past the end (or the last 0 bytes): 416.
    Unsatisfiable,
    /// A header the server may ignore (another unit, several ranges, a malformed
    /// one): the whole file, 200.
    Whole,
}

fn byte_range(value: &str, len: usize) -> Asked {
    let Some((a, b)) = value.trim().strip_prefix("bytes=").and_then(|r| r.split_once('-')) else {
        return Asked::Whole;
    };
    if b.contains(',') {
        return Asked::Whole;
    }
    let number = |s: &str| s.trim().parse::<usize>().ok();
    match (a.trim(), b.trim()) {
        // `bytes=-100`: the last 100 bytes.
        ("", b) => match number(b) {
            Some(n) if n > 0 && len > 0 => Asked::Part(len - n.min(len), len),
            Some(_) => Asked::Unsatisfiable,
            None => Asked::Whole,
        },
        (a, b) => match (number(a), if b.is_empty() { Some(usize::MAX) } else { number(b) }) {
            (Some(start), Some(last)) if start <= last => {
                if start >= len {
                    Asked::Unsatisfiable
                } else {
                    Asked::Part(start, last.saturating_add(1).min(len))
                }
            }
            _ => Asked::Whole,
        },
    }
}

/// Put the diagnostics of a failed rebuild over the last good page.
fn overlay(bytes: Vec<u8>, diagnostics: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(&bytes);
    let escaped = diagnostics.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let panel = format!(
        "<div id=\"gongkai-errors\" role=\"alert\" style=\"position:fixed;top:0;left:0;right:0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff5f5;color:#1a1a1a;border-bottom:4px solid #b0141a;padding:1rem;font:14px/1.5 monospace;white-space:pre-wrap\"><strong>构建失败：本页是上次成功构建的内容。修正下列错误后自动刷新。</strong>\n{escaped}</div>"
    );
    match text.rfind("</body>") {
        Some(i) => format!("{}{panel}{}", &text[..i], &text[i..]).into_bytes(),
        None => bytes,
    }
}

/// Put the reload script before `</body>`.
fn inject(bytes: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&bytes);
    match text.rfind("</body>") {
        Some(i) => format!("{}{RELOAD_SCRIPT}{}", &text[..i], &text[i..]).into_bytes(),
        None => bytes,
    }
}

/// Map a request path to a file inside `out`. 400 for malformed paths, 404 for
/// anything missing or outside the folder (`..`, encoded or not, backslashes,
/// symlinks leading out).
pub fn resolve(out: &Path, url: &str) -> Result<PathBuf, u16> {
    if !url.starts_with('/') {
        return Err(400);
    }
    let decoded = percent_decode(url).ok_or(400u16)?;
    if decoded.contains(['\0', '\\']) {
        return Err(400);
    }
    let mut path = out.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        let c = Path::new(segment).components().next();
        if segment == "." || segment == ".." || !matches!(c, Some(Component::Normal(_))) {
            return Err(404);
        }
        path.push(segment);
    }
    if decoded.ends_with('/') || path.is_dir() {
        path.push("index.html");
    }
    let real = path.canonicalize().map_err(|_| 404u16)?;
    if !real.starts_with(out) || !real.is_file() {
        return Err(404);
    }
    Ok(real)
}

/// Strict percent-decoding: a malformed escape or invalid UTF-8 is a bad request
/// (percent_encoding's decoder passes malformed escapes through unchanged).
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let out = out.canonicalize().unwrap();
        assert!(resolve(&out, "/a/").is_ok());
        assert!(resolve(&out, "/a").is_ok());
        for bad in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/a/..%5c..%5csecret.txt",
        ] {
            assert!(resolve(&out, bad).is_err(), "{bad}");
        }
        assert_eq!(resolve(&out, "/%zz"), Err(400));
        assert_eq!(resolve(&out, "/%ff%fe"), Err(400));
        assert_eq!(resolve(&out, "nope"), Err(400));
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt")).unwrap();
        assert_eq!(resolve(&out, "/link.txt"), Err(404));
    }

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=2-5", 10), Asked::Part(2, 6));
        assert_eq!(byte_range("bytes=8-20", 10), Asked::Part(8, 10));
        assert_eq!(byte_range("bytes=3-", 10), Asked::Part(3, 10));
        assert_eq!(byte_range("bytes=-4", 10), Asked::Part(6, 10), "the last 4 bytes");
        assert_eq!(byte_range("bytes=-100", 10), Asked::Part(0, 10));
        assert_eq!(byte_range("bytes=10-12", 10), Asked::Unsatisfiable);
        assert_eq!(byte_range("bytes=10-", 10), Asked::Unsatisfiable);
        assert_eq!(byte_range("bytes=-0", 10), Asked::Unsatisfiable);
        assert_eq!(byte_range("bytes=0-", 0), Asked::Unsatisfiable);
        assert_eq!(byte_range("bytes=5-2", 10), Asked::Whole);
        assert_eq!(byte_range("bytes=0-1,4-5", 10), Asked::Whole);
        assert_eq!(byte_range("items=0-1", 10), Asked::Whole);
    }
}
