//! Publishing as the operator's guide says: the site built, put in place with
//! docs/operator/publish.sh (upload beside, then swap), and served by nginx with
//! the guide's two configurations — at a host's root, and under a sub-path —
//! checked with `nginx -t` and fetched through: types, UTF-8, cache headers, the
//! site's own 404 page, byte ranges for the search index.

mod common;
use common::*;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn nginx() -> Option<PathBuf> {
    let found = ["/usr/sbin/nginx", "/usr/bin/nginx"].iter().map(PathBuf::from).find(|p| p.is_file());
    available(found.is_some(), "nginx", "bash tests/run.sh (or: apt-get install nginx)").then_some(found).flatten()
}

fn rsync() -> bool {
    let found = Command::new("rsync").arg("--version").output().is_ok_and(|o| o.status.success());
    available(found, "rsync", "bash tests/run.sh (or: apt-get install rsync)")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// nginx running the guide's server block, with its `listen` and folders made this test's.
struct Nginx {
    child: Child,
    port: u16,
}

impl Drop for Nginx {
    /// SIGTERM to the master, which stops its workers (SIGKILL would leave them).
    fn drop(&mut self) {
        let pid = rustix::process::Pid::from_child(&self.child);
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let _ = self.child.wait();
    }
}

impl Nginx {
    fn start(nginx: &Path, conf: &str, served: &Path, prefix: &Path) -> Nginx {
        let port = free_port();
        let block = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/operator").join(conf))
            .unwrap()
            .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
            .replace("/srv/gongkai", served.to_str().unwrap());
        // Only what a test needs around the guide's block: workers able to read the
        // test's folders, logs and temporary files in the test's own folder.
        let user = if rustix::process::geteuid().is_root() { "user root;" } else { "" };
        let wrapper = format!(
            "{user}\nworker_processes 1;\npid {p}/nginx.pid;\nerror_log {p}/error.log;\nevents {{}}\nhttp {{\n  access_log off;\n  client_body_temp_path {p}/tmp;\n  proxy_temp_path {p}/tmp;\n  fastcgi_temp_path {p}/tmp;\n  uwsgi_temp_path {p}/tmp;\n  scgi_temp_path {p}/tmp;\n{block}\n}}\n",
            p = prefix.display()
        );
        std::fs::create_dir_all(prefix.join("tmp")).unwrap();
        let file = prefix.join("nginx.conf");
        std::fs::write(&file, wrapper).unwrap();
        let t = Command::new(nginx).args(["-t", "-q", "-p"]).arg(prefix).arg("-c").arg(&file).output().unwrap();
        assert!(t.status.success(), "nginx -t on {conf}:\n{}", String::from_utf8_lossy(&t.stderr));
        let child = Command::new(nginx)
            .args(["-p"])
            .arg(prefix)
            .arg("-c")
            .arg(&file)
            .args(["-g", "daemon off;"])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let up = (0..200).any(|_| {
            std::thread::sleep(Duration::from_millis(25));
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        assert!(up, "nginx did not start");
        Nginx { child, port }
    }

    /// GET `path` (with extra header lines): status, headers (lower case), body.
    fn get(&self, path: &str, extra: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{extra}Connection: close\r\n\r\n");
        s.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = s.read_to_end(&mut bytes);
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, head, bytes[split..].to_vec())
    }
}

/// Build the example at `base`, publish it into `served` with publish.sh.
fn build_and_publish(site: &Site, base: &str, served: &Path) {
    let out = site.path("output");
    site.run(&["build", "--base-url", base, "--out", out.to_str().unwrap()]).ok();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/operator/publish.sh");
    let run = Command::new("bash").arg(script).arg(&out).arg(served).output().unwrap();
    assert!(run.status.success(), "publish.sh: {}", String::from_utf8_lossy(&run.stderr));
}

fn check_site(server: &Nginx, prefix: &str) {
    let notice = format!("{prefix}notices/tongyu-yiwu-jiaoyu-junheng-guihua/");
    for (path, kind, cache) in [
        (prefix.to_owned(), "text/html; charset=utf-8", "max-age=300"),
        (notice.clone(), "text/html; charset=utf-8", "max-age=300"),
        (format!("{prefix}sitemap.xml"), "application/xml; charset=utf-8", "max-age=300"),
        (format!("{prefix}sitemaps/pages.xml"), "application/xml; charset=utf-8", "max-age=300"),
        (format!("{prefix}feed.xml"), "application/atom+xml; charset=utf-8", "max-age=300"),
        (format!("{prefix}catalogue.json"), "application/json; charset=utf-8", "max-age=300"),
        (format!("{prefix}search/index.json"), "application/json; charset=utf-8", "max-age=300"),
        (format!("{prefix}assets/style.css"), "text/css; charset=utf-8", "max-age=86400"),
        (format!("{prefix}assets/tools.js"), "application/javascript; charset=utf-8", "max-age=86400"),
    ] {
        let (status, head, _) = server.get(&path, "");
        assert_eq!(status, 200, "{path}:\n{head}");
        assert!(head.contains(&format!("content-type: {kind}")), "{path}:\n{head}");
        assert!(head.contains(&format!("cache-control: public, {cache}")), "{path}:\n{head}");
    }
    let (status, head, body) = server.get(&format!("{prefix}no/such/page"), "");
    assert_eq!(status, 404, "{head}");
    assert!(String::from_utf8_lossy(&body).contains("页面不存在"), "the site's own 404 page");
    // The search index is read by byte ranges.
    let (status, head, body) = server.get(&format!("{prefix}search/index.json"), "Range: bytes=0-9\r\n");
    assert_eq!((status, body.len()), (206, 10), "{head}");
}

#[test]
fn served_at_a_hosts_root() {
    let (Some(nginx), true) = (nginx(), rsync()) else { return };
    let site = Site::example();
    let served = site.path("srv");
    let port_placeholder = "http://127.0.0.1/";
    build_and_publish(&site, port_placeholder, &served);
    let server = Nginx::start(&nginx, "nginx-root.conf", &served, &site.path("nginx"));
    check_site(&server, "/");
}

/// Under a sub-path, published twice: the second release replaces the first in one
/// step, shares its unchanged files, and the first is kept.
#[test]
fn served_under_a_sub_path_and_published_again() {
    let (Some(nginx), true) = (nginx(), rsync()) else { return };
    let site = Site::example();
    let served = site.path("srv");
    build_and_publish(&site, "http://127.0.0.1/xxgk/", &served);
    let server = Nginx::start(&nginx, "nginx-subpath.conf", &served, &site.path("nginx"));
    check_site(&server, "/xxgk/");
    let notice = "content/notices/tongyu-yiwu-jiaoyu-junheng-guihua/index.md";
    site.write(notice, &site.read(notice).replace("各有关部门", "各有关单位"));
    build_and_publish(&site, "http://127.0.0.1/xxgk/", &served);
    let (_, _, page) = server.get("/xxgk/notices/tongyu-yiwu-jiaoyu-junheng-guihua/", "");
    assert!(String::from_utf8_lossy(&page).contains("各有关单位"));
    let releases: Vec<PathBuf> =
        std::fs::read_dir(served.join("releases")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(releases.len(), 2, "{releases:?}");
    use std::os::unix::fs::MetadataExt;
    let ino = |r: &Path| std::fs::metadata(r.join("assets/style.css")).unwrap().ino();
    assert_eq!(ino(&releases[0]), ino(&releases[1]), "an unchanged file is stored once");
}
