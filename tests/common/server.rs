//! `gongkai serve` started by a test and spoken to over real HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::Site;

/// A running server, stopped when dropped; its temporary folder is its own, so
/// that each test sees the server leave nothing behind.
pub struct Server {
    child: Child,
    pub port: u16,
    /// What the server printed before its address: the desk's address among it.
    pub printed: Vec<String>,
    tmp: tempfile::TempDir,
}

impl Drop for Server {
    /// Stop the server as a user does (Ctrl-C, or SIGTERM from a service manager),
    /// so that it removes its preview folder; SIGKILL only if it does not stop.
    fn drop(&mut self) {
        let pid = rustix::process::Pid::from_child(&self.child);
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let stopped = (0..200).any(|_| {
            std::thread::sleep(Duration::from_millis(25));
            matches!(self.child.try_wait(), Ok(Some(_)))
        });
        if !stopped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if !std::thread::panicking() {
            let left: Vec<_> =
                std::fs::read_dir(self.tmp.path()).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
            assert!(stopped && left.is_empty(), "the stopped server left {left:?} in its temporary folder");
        }
    }
}

pub fn start(site: &Site) -> Server {
    start_with(site, &[])
}

/// `start` with more arguments for `serve`.
pub fn start_with(site: &Site, args: &[&str]) -> Server {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["--root", site.root().to_str().unwrap(), "serve", "--port", "0"])
        .args(args)
        .env("TMPDIR", tmp.path())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gongkai serve");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let mut printed = Vec::new();
    let port = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        printed.push(line.clone());
        if let Some(rest) = line
            .strip_prefix("Serving ")
            .and_then(|l| l.split(" at http://").nth(1))
            .and_then(|a| a.rsplit_once(':').map(|(_, p)| p))
        {
            break rest.trim_end_matches(|c: char| !c.is_ascii_digit()).split('/').next().unwrap().parse().unwrap();
        }
    };
    // The desk's address (or why it is off, or a warning and then it) comes next.
    for line in lines.by_ref().take(2).map_while(Result::ok) {
        let last = line.starts_with("Desk") || line.contains("desk") && line.contains("is off");
        printed.push(line);
        if last {
            break;
        }
    }
    // Keep reading stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port, printed, tmp }
}

/// Send raw request bytes; return the status code and the (de-chunked) body.
pub fn raw(port: u16, request: &[u8]) -> (u16, String) {
    let (status, body) = raw_bytes(port, request);
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// `raw`, the body as bytes.
pub fn raw_bytes(port: u16, request: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(request).unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").map_or(bytes.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = &bytes[split..];
    let body = if head.contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_vec() };
    (status, body)
}

pub fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&body[..eol]).trim(), 16).unwrap_or(0);
        let rest = &body[eol + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        body = rest[n..].strip_prefix(b"\r\n").unwrap_or(&rest[n..]);
    }
    out
}
