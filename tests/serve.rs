//! End-to-end: `gongkai serve` started by the test, spoken to over real HTTP.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::server::*;
use common::*;

fn get(port: u16, path: &str) -> (u16, String) {
    raw(port, format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
}

fn generation(port: u16) -> u64 {
    let (_, body) = get(port, "/__gongkai/status");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["generation"].as_u64().unwrap()
}

/// Wait (bounded) for the next rebuild after `before`.
fn wait_for_rebuild(port: u16, before: u64) {
    for _ in 0..200 {
        if generation(port) > before {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no rebuild after the change");
}

#[test]
fn serves_pages_and_rebuilds_changes() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("content/b.md", &GOOD.replace("55号", "56号").replace("关于印发某规划的通知", "第二个通知"));
    let server = start(&site);
    let (status, home) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(home.contains("关于印发某规划的通知") && home.contains("EventSource"), "live-reload script injected");
    let g = generation(server.port);
    // An editor's save: write a temporary file, then rename it over the notice.
    site.write("content/.a.md.swp", "swap");
    site.write("content/a.md.tmp", &GOOD.replace("正文。", "修改后的正文。"));
    std::fs::rename(site.path("content/a.md.tmp"), site.path("content/a.md")).unwrap();
    wait_for_rebuild(server.port, g);
    let (_, page) = get(server.port, "/a/");
    assert!(page.contains("修改后的正文。"), "{page}");
    // The burst of events gave one rebuild.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(generation(server.port), g + 1);
    // Nothing is written into the site folder.
    assert!(!site.path("output").exists());
}

/// The search index served, copied into `dir` with search.js, as node reads it.
fn copy_index(port: u16, dir: &std::path::Path) -> serde_json::Value {
    let fetch = |path: &str| {
        let request = format!("GET /{path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let (status, body) = raw_bytes(port, request.as_bytes());
        assert_eq!(status, 200, "{path}");
        let to = dir.join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, &body).unwrap();
        body
    };
    let index: serde_json::Value = serde_json::from_slice(&fetch("search/index.json")).unwrap();
    for f in ["assets/search.js", "search/t2s.txt", "search/facets.bin"] {
        fetch(f);
    }
    for part in index["parts"].as_array().unwrap() {
        for f in ["slots.bin", "lists.bin", "docs.idx", "docs.bin", "blocks.bin"] {
            fetch(&format!("search/{}/{f}", part["name"].as_str().unwrap()));
        }
    }
    index
}

/// What search.js finds for `query` in the served index (the URLs).
fn served_search(port: u16, query: &str) -> (serde_json::Value, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let index = copy_index(port, dir.path());
    let answer = run_node_script(
        "node.mjs",
        dir.path(),
        &serde_json::json!([{"query": query, "options": {"limit": 100, "budget": 1e9}}]),
    );
    let urls = answer[0]["results"].as_array().unwrap_or_else(|| panic!("{answer}"));
    (index, urls.iter().map(|r| r["url"].as_str().unwrap().to_owned()).collect())
}

fn part_names(index: &serde_json::Value) -> Vec<String> {
    index["parts"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
}

/// The search index follows edits, on its own thread once edits pause: an edit
/// that keeps every notice's place goes into a small `preview` part that search.js
/// reads the edited notice from (its old text is found no more); a new notice
/// makes the whole index again.
#[test]
fn search_index_follows_edits() {
    if !node_available() {
        return;
    }
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("content/b.md", &GOOD.replace("55号", "56号").replace("关于印发某规划的通知", "第二个通知"));
    let server = start(&site);
    let (index, found) = served_search(server.port, "正文");
    assert_eq!(part_names(&index), ["settled"]);
    assert_eq!(found.len(), 2, "{found:?}");

    site.write("content/a.md", &GOOD.replace("正文。", "新增的义务教育内容。"));
    // Bounded wait for the writer (it starts once edits pause).
    let written = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        get(server.port, "/search/index.json").1.contains("\"preview\"")
    });
    assert!(written, "no preview part after the edit: {}", get(server.port, "/search/index.json").1);
    let (index, found) = served_search(server.port, "义务教育内容");
    assert_eq!(part_names(&index), ["settled", "preview"]);
    assert_eq!(index["parts"][1]["docs"], 1, "only the edited notice: {index}");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains('a'), "{found:?}");
    // The old text, still in the settled part's lists, no longer finds it.
    let (_, found) = served_search(server.port, "正文");
    assert_eq!(found.len(), 1, "only b: {found:?}");
    assert!(found[0].contains('b'), "{found:?}");

    // A new notice changes the numbers: the index is written whole again.
    site.write("content/c.md", &GOOD.replace("55号", "57号").replace("正文。", "第三个通知的正文。"));
    let whole = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        get(server.port, "/search/index.json").1.contains("\"docs\": 3")
    });
    assert!(whole, "{}", get(server.port, "/search/index.json").1);
    let (index, found) = served_search(server.port, "正文");
    assert_eq!(part_names(&index), ["settled"]);
    assert_eq!(found.len(), 2, "b and c: {found:?}");
    let (_, found) = served_search(server.port, "义务教育内容");
    assert_eq!(found.len(), 1, "{found:?}");
}

/// The 简体/繁體 table follows edits: a phrase an edit brings in (头发, which a
/// character-by-character conversion gets wrong) is in the served table after the
/// rebuild, without a restart.
#[test]
fn the_script_table_follows_edits() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    let server = start(&site);
    let (status, table) = get(server.port, "/assets/zh-convert.js");
    assert_eq!(status, 200);
    assert!(!table.contains("\"头发\""), "not in the text yet");
    let g = generation(server.port);
    site.write("content/a.md", &GOOD.replace("正文。", "理发师的头发。"));
    wait_for_rebuild(server.port, g);
    let (_, table) = get(server.port, "/assets/zh-convert.js");
    assert!(table.contains("\"头发\":\"頭髮\""), "the new phrase is in the table");
}

#[test]
fn content_errors_are_shown_until_fixed() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    let server = start(&site);
    let g = generation(server.port);
    site.write("content/a.md", &GOOD.replace("published: 2018-09-03", "published: 2018-02-30"));
    wait_for_rebuild(server.port, g);
    // The last good page stays, with the diagnostics over it.
    let (status, page) = get(server.port, "/a/");
    assert_eq!(status, 200);
    let panel = &page[page.find("id=\"gongkai-errors\"").expect("an overlay")..];
    assert!(panel.contains("content/a.md:9:12") && panel.contains("impossible date"), "{page}");
    assert!(page.contains("<h1>关于印发某规划的通知</h1>"), "the last good page under it");
    let (_, home) = get(server.port, "/");
    assert!(home.contains("id=\"gongkai-errors\""), "every page says the build failed");
    let g = generation(server.port);
    site.write("content/a.md", GOOD);
    wait_for_rebuild(server.port, g);
    let (status, page) = get(server.port, "/a/");
    assert_eq!(status, 200);
    assert!(page.contains("关于印发某规划的通知") && !page.contains("gongkai-errors"));
}

#[test]
fn nothing_outside_the_output_can_be_served() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("secret.txt", "top secret");
    let server = start(&site);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/a/..%2f..%2fsecret.txt",
        "/..\\..\\secret.txt",
        "/a/%5c..%5c..%5csecret.txt",
        "/%00",
        "/%zz",
    ] {
        let (status, body) = get(server.port, path);
        assert!(status == 400 || status == 404, "{path} gave {status}");
        assert!(!body.contains("top secret") && !body.contains("root:"), "{path} leaked");
    }
    // Malformed requests do not bring the server down.
    let _ = raw(server.port, b"\x00\x01garbage\r\n\r\n");
    let _ = raw(server.port, b"GET\r\n\r\n");
    let (status, _) = raw(server.port, b"DELETE /a/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 405);
    assert_eq!(get(server.port, "/a/").0, 200);
}

#[test]
fn many_concurrent_requests() {
    let site = Site::example();
    let server = start(&site);
    let port = server.port;
    let handles: Vec<_> = (0..16)
        .map(|i| {
            std::thread::spawn(move || {
                let paths = [
                    "/",
                    "/notices/tongyu-yiwu-jiaoyu-junheng-guihua/",
                    "/catalogue.json",
                    "/assets/style.css",
                    "/progress/",
                ];
                (0..10).filter(|k| get(port, paths[(i + k) % paths.len()]).0 == 200).count()
            })
        })
        .collect();
    let ok: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(ok, 160);
}

#[test]
fn pages_of_a_vanished_browse_term_are_no_longer_served() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("content/b.md", &GOOD.replace("55号", "56号").replace("form: 规划", "form: 方案"));
    let server = start(&site);
    assert_eq!(get(server.port, "/forms/%E6%96%B9%E6%A1%88/").0, 200, "方案 has a page");
    let g = generation(server.port);
    // b is re-filed as a 规划: the 方案 list is empty and must disappear.
    site.write("content/b.md", &GOOD.replace("55号", "56号"));
    wait_for_rebuild(server.port, g);
    assert_eq!(get(server.port, "/forms/%E6%96%B9%E6%A1%88/").0, 404);
    let (_, list) = get(server.port, "/forms/%E8%A7%84%E5%88%92/");
    assert!(list.contains("href=\"../../b/index.html\""), "{list}");
}

/// After an edit the browser is told which pages changed — the edited notice's
/// first — and the injected script reloads only a page among them.
#[test]
fn reload_events_name_the_changed_pages() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("content/b.md", &GOOD.replace("55号", "56号").replace("关于印发某规划的通知", "第二个通知"));
    let server = start(&site);
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    events.write_all(b"GET /__gongkai/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    events.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut reader = BufReader::new(events);
    let mut next_event = || -> serde_json::Value {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(reader.read_line(&mut line).unwrap() > 0, "event stream closed");
            if let Some(data) = line.strip_prefix("data: ") {
                return serde_json::from_str(data.trim()).unwrap();
            }
        }
    };
    let hello = next_event();
    assert!(hello["g"].is_u64() && hello.get("pages").is_none(), "{hello}");
    site.write("content/a.md", &GOOD.replace("正文。", "改过的正文。"));
    let first = next_event();
    let pages: Vec<&str> = first["pages"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(pages.contains(&"a/index.html"), "{first}");
    assert!(!pages.contains(&"b/index.html"), "an unchanged notice is not reloaded: {first}");
    assert_eq!(first["g"].as_u64(), Some(hello["g"].as_u64().unwrap() + 1));

    // The script in every page, run under node with a stand-in EventSource.
    if !node_available() {
        return;
    }
    let (_, page) = get(server.port, "/a/");
    let start = page.rfind("<script>(function(){var s=new EventSource").expect("reload script injected");
    let script = &page[start + "<script>".len()..page[start..].find("</script>").unwrap() + start];
    let harness = format!(
        "let reloads = 0; const sent = [];
         globalThis.location = {{ pathname: '/a/', reload: () => reloads++ }};
         globalThis.EventSource = function () {{ sent.push(this); }};
         {script}
         const s = sent[0], say = (d) => s.onmessage({{ data: JSON.stringify(d) }});
         say({{ g: 1 }});
         say({{ g: 2, pages: ['b/index.html'] }}); const other = reloads;
         say({{ g: 2, pages: ['a/index.html', 'index.html'] }}); const mine = reloads;
         say({{ g: 3 }}); const all = reloads;
         say({{ g: 3 }});
         console.log(JSON.stringify([other, mine, all, reloads]));"
    );
    let out = Command::new("node").arg("-e").arg(harness).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[0,1,2,2]");
}

/// A `git checkout` of another branch deletes content/ and creates it again: the
/// preview once stayed at error 500 and ignored every later edit.
#[test]
fn the_preview_picks_up_content_deleted_and_put_back() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    let server = start(&site);
    let g = generation(server.port);
    // Deleted and written anew (new folders, new inodes), as git does.
    let aside = site.path("content-away");
    copy_dir(&site.path("content"), &aside);
    std::fs::remove_dir_all(site.path("content")).unwrap();
    wait_for_rebuild(server.port, g);
    let g = generation(server.port);
    copy_dir(&aside, &site.path("content"));
    wait_for_rebuild(server.port, g);
    let (status, page) = get(server.port, "/a/");
    assert_eq!(status, 200, "{page}");
    // And the watch holds: a later edit is seen.
    let g = generation(server.port);
    site.write("content/a.md", &GOOD.replace("正文。", "切换分支后的正文。"));
    wait_for_rebuild(server.port, g);
    assert!(get(server.port, "/a/").1.contains("切换分支后的正文。"));
}

/// 200 clients at once on loopback while edits rebuild the site: no request fails
/// (a bounded pool of workers; connections wait their turn, none is dropped).
#[test]
fn two_hundred_clients_during_rebuilds_get_every_page() {
    let site = Site::example();
    let server = start(&site);
    let port = server.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let editor = {
        let (stop, file) = (stop.clone(), site.path("content/notices/tongyu-yiwu-jiaoyu-junheng-guihua/index.md"));
        let text = std::fs::read_to_string(&file).unwrap();
        std::thread::spawn(move || {
            let mut k = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                k += 1;
                std::fs::write(&file, text.replace("一、指导思想", &format!("一、指导思想（第{k}次修改）"))).unwrap();
                std::thread::sleep(Duration::from_millis(40));
            }
            k
        })
    };
    let paths = ["/", "/notices/tongyu-yiwu-jiaoyu-junheng-guihua/", "/years/", "/assets/style.css", "/map/"];
    let clients: Vec<_> = (0..200)
        .map(|i| {
            std::thread::spawn(move || {
                (0..3)
                    .map(|k| paths[(i + k) % paths.len()])
                    .map(|p| (p, get(port, p)))
                    .filter(|(_, (status, _))| *status != 200)
                    .map(|(p, (status, body))| format!("{p} {status} {}", &body.chars().take(80).collect::<String>()))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let failed: Vec<String> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let edits = editor.join().unwrap();
    assert!(edits > 1, "the site was being rebuilt");
    assert!(failed.is_empty(), "{} of 600 requests failed: {:?}", failed.len(), &failed[..failed.len().min(10)]);
}

/// Ctrl-C (SIGINT) or SIGTERM: the preview's temporary folder goes with it.
#[cfg(unix)]
#[test]
fn stopping_the_preview_removes_its_folder() {
    for signal in ["-INT", "-TERM"] {
        let site = Site::new();
        site.write("content/a.md", GOOD);
        let tmp = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["--root", site.root().to_str().unwrap(), "serve", "--port", "0"])
            .env("TMPDIR", tmp.path())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        while !lines.next().unwrap().unwrap().contains("Serving") {}
        let previews = || {
            std::fs::read_dir(tmp.path())
                .unwrap()
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with("gongkai-serve-"))
                .count()
        };
        assert_eq!(previews(), 1, "the preview is built in the temporary folder");
        Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success());
        assert_eq!(previews(), 0, "{signal}: the preview's folder is removed");
    }
}

/// Range requests are answered as RFC 9110 §14 says, as the servers the README
/// recommends answer them: the last N bytes for `bytes=-N`, and 416 with
/// `Content-Range: bytes */LEN` for a range that starts at or past the end.
#[test]
fn ranges_are_answered_as_http_says() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    let server = start(&site);
    let (_, whole) = get(server.port, "/search/index.json");
    let head = |range: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        let request = format!(
            "GET /search/index.json HTTP/1.1\r\nHost: localhost\r\nRange: {range}\r\nConnection: close\r\n\r\n"
        );
        s.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = s.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let split = text.find("\r\n\r\n").unwrap();
        (text[..split].to_ascii_lowercase(), text[split + 4..].to_owned())
    };
    let len = whole.len();
    let (headers, body) = head("bytes=-10");
    assert!(headers.starts_with("http/1.1 206"), "{headers}");
    assert!(headers.contains(&format!("content-range: bytes {}-{}/{len}", len - 10, len - 1)), "{headers}");
    assert_eq!(body, whole[len - 10..]);
    for past in [format!("bytes={len}-"), format!("bytes={}-{}", len + 5, len + 9)] {
        let (headers, _) = head(&past);
        assert!(headers.starts_with("http/1.1 416"), "{past}: {headers}");
        assert!(headers.contains(&format!("content-range: bytes */{len}")), "{headers}");
    }
}
