//! The clerk's desk (台账 / 新建公文): a form over the notice files, served by
//! `gongkai serve` under `/__desk/`. It writes files, so it is locked: on only on
//! a loopback address unless asked for, a secret token per run in the printed
//! address (then a `SameSite=Strict` cookie), `Host` checked on every request (no
//! DNS rebinding) and `Origin` on every write (no cross-site request), bodies
//! bounded, and every write inside `content/` (`drafts`).

mod api;
mod drafts;
pub mod form;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::live::Live;
use crate::diagnostics::Diagnostic;
use drafts::Drafts;

pub const PREFIX: &str = "/__desk";

/// Bodies larger than this are refused (413) before being read: a form's JSON.
const JSON_LIMIT: u64 = 4 << 20;
/// An uploaded attachment, data file or document to import.
pub const FILE_LIMIT: u64 = 32 << 20;

const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("desk.js");
const STYLE: &str = include_str!("desk.css");

pub struct Desk {
    token: String,
    /// `host:port` forms this server answers to.
    hosts: Vec<String>,
    /// `http://host:port` origins writes may come from.
    origins: Vec<String>,
    /// Bound to a non-loopback address (`--desk-anywhere`): the names people
    /// reach it by are not known, so any `Host` is answered and a write's
    /// `Origin` must be that host's; the token still guards everything.
    any_host: bool,
    root: PathBuf,
    live: Arc<Mutex<Live>>,
    drafts: Drafts,
    /// The diagnostics of the last rebuild, by file, for the list.
    diagnostics: Mutex<Vec<Diagnostic>>,
}

/// A response with a status and a message or JSON body.
pub(crate) type Reply = Response<std::io::Cursor<Vec<u8>>>;

impl Desk {
    /// The desk of a server at `host` (as in its address) and `port`, with its
    /// drafts kept under `stage` (the preview's own temporary folder).
    pub fn new(root: &Path, host: &str, port: u16, stage: PathBuf, live: Arc<Mutex<Live>>) -> Desk {
        let any_host = !is_loopback(host);
        let mut names = vec![host.to_owned()];
        if host == "127.0.0.1" || host == "[::1]" {
            names.push("localhost".to_owned());
        }
        let hosts: Vec<String> = names.iter().map(|h| format!("{h}:{port}")).collect();
        let origins = hosts.iter().map(|h| format!("http://{h}")).collect();
        Desk {
            token: new_token(),
            hosts,
            origins,
            any_host,
            root: root.to_path_buf(),
            live,
            drafts: Drafts::new(stage),
            diagnostics: Mutex::new(Vec::new()),
        }
    }

    /// The address to print: the desk's page with the token.
    pub fn address(&self, base_url: &str) -> String {
        format!("{}{}/?token={}", base_url.trim_end_matches('/'), PREFIX, self.token)
    }

    /// Keep the last rebuild's diagnostics for the list.
    pub fn set_diagnostics(&self, diags: Vec<Diagnostic>) {
        *self.diagnostics.lock().unwrap_or_else(|e| e.into_inner()) = diags;
    }

    /// Answer a request under `/__desk`.
    pub fn handle(&self, mut request: Request) {
        let reply = self.answer(&mut request).unwrap_or_else(|r| r);
        let _ = request.respond(reply.with_header(header("Cache-Control", "no-store")));
    }

    fn answer(&self, request: &mut Request) -> Result<Reply, Reply> {
        let url = request.url().to_owned();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let path = path.strip_prefix(PREFIX).unwrap_or(path);
        // DNS rebinding: a page of another site whose name now points here
        // sends its own name as Host.
        let host = header_value(request, "Host").unwrap_or_default();
        if !self.any_host && !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
            return Err(message(403, &format!("the desk answers only to {}", self.hosts.join(" or "))));
        }
        match (request.method(), path) {
            (Method::Get, "/desk.js") => return Ok(asset(SCRIPT, "text/javascript; charset=utf-8")),
            (Method::Get, "/desk.css") => return Ok(asset(STYLE, "text/css; charset=utf-8")),
            (Method::Get, "" | "/") => {
                // The printed address carries the token; the page sets it as a
                // cookie so that the address bar need not keep it.
                let given = query_value(query, "token");
                let ok = given.as_deref().is_some_and(|t| same(t, &self.token)) || self.cookie_ok(request);
                if !ok {
                    return Err(message(
                        403,
                        "open the desk with the address `gongkai serve` printed (it holds the token)",
                    ));
                }
                let cookie = format!("gongkai_desk={}; Path={PREFIX}; HttpOnly; SameSite=Strict", self.token);
                return Ok(asset(PAGE, "text/html; charset=utf-8").with_header(header("Set-Cookie", &cookie)));
            }
            _ => {}
        }
        if !self.cookie_ok(request) && !header_value(request, "X-Gongkai-Token").is_some_and(|t| same(&t, &self.token))
        {
            return Err(message(403, "no desk token: open the desk with the address `gongkai serve` printed"));
        }
        if *request.method() != Method::Get {
            let origin = header_value(request, "Origin").unwrap_or_default();
            let own = if self.any_host { origin.eq_ignore_ascii_case(&format!("http://{host}")) } else { false };
            if !own && !self.origins.iter().any(|o| o.eq_ignore_ascii_case(&origin)) {
                return Err(message(403, "a write must come from the desk's own page (Origin)"));
            }
            if *request.method() != Method::Post {
                return Err(message(405, "method not allowed"));
            }
        }
        let api = path.strip_prefix("/api/").ok_or_else(|| message(404, "not found"))?;
        api::route(self, request, api, query)
    }

    fn cookie_ok(&self, request: &Request) -> bool {
        header_value(request, "Cookie").is_some_and(|c| {
            c.split(';')
                .filter_map(|p| p.trim().split_once('='))
                .any(|(k, v)| k == "gongkai_desk" && same(v, &self.token))
        })
    }
}

/// The body, at most `limit` bytes (413 beyond; a body of unknown length is read
/// up to the limit and refused past it).
pub(crate) fn body(request: &mut Request, limit: u64) -> Result<Vec<u8>, Reply> {
    if request.body_length().is_some_and(|n| n as u64 > limit) {
        return Err(message(413, &format!("too large: at most {} MB", limit >> 20)));
    }
    let mut bytes = Vec::new();
    request
        .as_reader()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| message(400, &format!("cannot read the request: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(message(413, &format!("too large: at most {} MB", limit >> 20)));
    }
    Ok(bytes)
}

/// The body as JSON of type `T` (400 with serde's words otherwise).
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(request: &mut Request) -> Result<T, Reply> {
    let bytes = body(request, JSON_LIMIT)?;
    serde_json::from_slice(&bytes).map_err(|e| message(400, &format!("malformed request: {e}")))
}

pub(crate) fn json(status: u16, value: &serde_json::Value) -> Reply {
    Response::from_string(value.to_string())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "application/json; charset=utf-8"))
}

/// An error as JSON: `{"error": …}`.
pub(crate) fn message(status: u16, text: &str) -> Reply {
    json(status, &serde_json::json!({ "error": text }))
}

fn asset(text: &str, kind: &str) -> Reply {
    Response::from_string(text)
        .with_header(header("Content-Type", kind))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        ))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

pub(crate) fn header_value(request: &Request, name: &'static str) -> Option<String> {
    request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str().to_owned())
}

/// A query parameter, percent-decoded.
pub(crate) fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| percent_encoding::percent_decode_str(&v.replace('+', " ")).decode_utf8_lossy().into_owned())
}

/// Compare secrets in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 128 random bits, as hex.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random numbers");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether serve's address is a loopback one (only there is the desk on by default).
pub fn is_loopback(bind: &str) -> bool {
    bind.eq_ignore_ascii_case("localhost")
        || bind.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd") && !same("abc", "ab") && !same("", "a"));
        let t = new_token();
        assert_eq!(t.len(), 32);
        assert_ne!(t, new_token());
    }

    #[test]
    fn loopback_addresses() {
        for yes in ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"] {
            assert!(is_loopback(yes), "{yes}");
        }
        for no in ["0.0.0.0", "192.168.1.2", "::", "example.org"] {
            assert!(!is_loopback(no), "{no}");
        }
    }

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(query_value("a=1&name=%E9%99%84%E4%BB%B6.pdf", "name").as_deref(), Some("附件.pdf"));
        assert_eq!(query_value("a=1", "b"), None);
    }
}
