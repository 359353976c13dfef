//! The clerk's desk of `gongkai serve`, spoken to over real HTTP as a browser
//! would (and as an attacker would): the lock, saving that keeps a hand-written
//! file's bytes, conflicts, and the checks at their fields.

mod common;

use std::path::Path;
use std::time::Duration;

use common::server::*;
use common::*;
use serde_json::{Value, json};

/// A notice written by hand: comments, a field order of its own, an alias key,
/// flow and block lists, a structure the form cannot show.
const HAND: &str = "---\n# 办公室 2018 年第 55 号文件\ntitle: 关于印发某规划的通知   # 标题照原件\n发文字号: 通政办发〔2018〕55号\nissuer: 通榆县人民政府办公室\nslug: shou-xie\ntopics: [科技、教育\\教育]\n\npublished: 2018-09-03\nwritten: 2018-09-02\nvalidity_changes:\n  - date: 2030-01-01\n    validity: 失效\n---\n\n各有关部门：\n\n正文。\n";

struct Desk {
    server: Server,
    token: String,
}

impl Desk {
    fn start(site: &Site) -> Desk {
        let server = start(site);
        let line = server.printed.iter().find(|l| l.contains("/__desk/?token=")).expect("the desk's address printed");
        let token = line.rsplit("token=").next().unwrap().trim().to_owned();
        Desk { server, token }
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.server.port)
    }

    /// A request with the given extra header lines; (status, JSON or text body).
    fn send(&self, method: &str, path: &str, headers: &str, body: &[u8]) -> (u16, String) {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n{headers}\r\n",
            self.server.port,
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        raw(self.server.port, &request)
    }

    /// With the token and the desk's own origin, as its page sends them.
    fn post(&self, path: &str, body: &[u8]) -> (u16, Value) {
        let headers = format!("X-Gongkai-Token: {}\r\nOrigin: {}\r\n", self.token, self.origin());
        let (status, text) = self.send("POST", &format!("/__desk/api/{path}"), &headers, body);
        (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}")))
    }

    fn post_json(&self, path: &str, value: &Value) -> (u16, Value) {
        self.post(path, value.to_string().as_bytes())
    }

    fn open(&self, file: Option<&str>) -> (u64, Value) {
        let (status, draft) = self.post_json("draft", &json!({ "file": file }));
        assert_eq!(status, 200, "{draft}");
        (draft["id"].as_u64().unwrap(), draft)
    }
}

fn errors_at(check: &Value, field: &str) -> Vec<String> {
    check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["field"] == field && d["severity"] == "error")
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_desk_is_locked() {
    let site = Site::new();
    site.write("content/a/index.md", GOOD);
    site.write("secret.md", "outside content");
    let desk = Desk::start(&site);
    let port = desk.server.port;
    // No token, a wrong one: refused. The printed address opens the page and
    // sets a SameSite=Strict cookie.
    assert_eq!(desk.send("GET", "/__desk/api/site", "", b"").0, 403);
    assert_eq!(desk.send("GET", "/__desk/?token=0123", "", b"").0, 403);
    let page = raw(
        port,
        format!("GET /__desk/?token={} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n", desk.token)
            .as_bytes(),
    );
    assert_eq!(page.0, 200);
    assert!(page.1.contains("新建公文"));
    let cookie = format!("Cookie: gongkai_desk={}\r\n", desk.token);
    assert_eq!(desk.send("GET", "/__desk/api/site", &cookie, b"").0, 200);
    // Another name for this address (DNS rebinding): refused even with the token.
    let rebound =
        format!("GET /__desk/api/site HTTP/1.1\r\nHost: evil.example:{port}\r\n{cookie}Connection: close\r\n\r\n");
    assert_eq!(raw(port, rebound.as_bytes()).0, 403);
    // Writes need the desk's own origin.
    let token = format!("X-Gongkai-Token: {}\r\n", desk.token);
    assert_eq!(desk.send("POST", "/__desk/api/draft", &token, b"{}").0, 403);
    let foreign = format!("{token}Origin: http://evil.example\r\n");
    assert_eq!(desk.send("POST", "/__desk/api/draft", &foreign, b"{}").0, 403);
    // Malformed and oversized requests: 4xx with a message, the server still up.
    assert_eq!(desk.post("draft", b"{not json").0, 400);
    let huge = format!(
        "POST /__desk/api/preview HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{token}Origin: {}\r\nContent-Length: 50000000\r\nConnection: close\r\n\r\n{{}}",
        desk.origin()
    );
    assert_eq!(raw(port, huge.as_bytes()).0, 413);
    assert_eq!(desk.post_json("draft/999/check", &json!({})).0, 404);
    // Paths out of content/: refused, nothing written.
    for file in ["secret.md", "content/../secret.md", "/etc/passwd", "content/a"] {
        assert_eq!(desk.post_json("draft", &json!({ "file": file })).0, 400, "{file}");
    }
    let (id, _) = desk.open(None);
    let (status, added) = desk.post(&format!("draft/{id}/file?name=..%2F..%2F..%2Fevil.pdf"), b"%PDF-1.4");
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["name"], "evil.pdf", "the name is sanitised");
    assert_eq!(desk.post(&format!("draft/{id}/file?name=run.exe"), b"MZ").0, 400);
    let form = json!({ "fields": { "title": "关于某事的通知", "issuer": "甲局", "published": "2024-01-02" }, "body": "正文。\n" });
    for folder in ["../../outside", "a/../../x", "/etc", "pages/x"] {
        let (status, saved) = desk.post_json(&format!("draft/{id}/save"), &json!({ "form": form, "folder": folder }));
        assert_eq!(status, 400, "{folder}: {saved}");
    }
    assert!(!site.path("outside").exists() && !site.root().parent().unwrap().join("outside").exists());
    assert!(
        !walkdir::WalkDir::new(site.root()).into_iter().filter_map(Result::ok).any(|e| e.file_name() == "evil.pdf")
    );
    assert_eq!(desk.send("GET", "/", "", b"").0, 200, "the preview still answers");
}

#[test]
fn saving_keeps_a_hand_written_file_and_never_overwrites_a_newer_one() {
    let site = Site::new();
    site.write("content/a/index.md", HAND);
    let desk = Desk::start(&site);
    let (id, draft) = desk.open(Some("content/a/index.md"));
    assert_eq!(draft["kept"], json!(["validity_changes"]));
    let form = draft["form"].clone();
    assert_eq!(form["fields"]["doc_number"], "通政办发〔2018〕55号");
    // An unchanged form changes no byte.
    let (status, saved) = desk.post_json(&format!("draft/{id}/save"), &json!({ "form": form }));
    assert_eq!(status, 200, "{saved}");
    assert_eq!(site.read("content/a/index.md"), HAND);
    // One field changed, one added: every other line stays as it was.
    let mut changed = form.clone();
    changed["fields"]["title"] = json!("关于印发某规划（修订）的通知");
    changed["fields"]["genre"] = json!("通知");
    let (status, saved) = desk.post_json(&format!("draft/{id}/save"), &json!({ "form": changed }));
    assert_eq!(status, 200, "{saved}");
    let now = site.read("content/a/index.md");
    let expected = HAND
        .replace("title: 关于印发某规划的通知   # 标题照原件", "title: 关于印发某规划（修订）的通知")
        .replace("issuer: 通榆县人民政府办公室\n", "issuer: 通榆县人民政府办公室\ngenre: 通知\n");
    assert_eq!(now, expected);
    // The file changes on disk (a colleague, git pull): the desk shows both, writes nothing.
    let theirs = now.replace("正文。", "同事改过的正文。");
    site.write("content/a/index.md", &theirs);
    changed["fields"]["title"] = json!("第三次修改的标题");
    let (status, conflict) = desk.post_json(&format!("draft/{id}/save"), &json!({ "form": changed }));
    assert_eq!(status, 409, "{conflict}");
    assert_eq!(conflict["disk"], theirs.as_str());
    assert!(conflict["mine"].as_str().unwrap().contains("第三次修改的标题"));
    assert_eq!(site.read("content/a/index.md"), theirs, "nothing overwritten");
    // The clerk chose their version.
    let (status, _) = desk.post_json(&format!("draft/{id}/save"), &json!({ "form": changed, "force": true }));
    assert_eq!(status, 200);
    assert!(site.read("content/a/index.md").contains("title: 第三次修改的标题\n"));
}

#[test]
fn a_new_notice_is_checked_at_its_fields_and_published() {
    let site = Site::new();
    site.write("content/a/index.md", GOOD);
    let desk = Desk::start(&site);
    let (id, _) = desk.open(None);
    let mut form = json!({
        "fields": {
            "title": "关于做好2024年某项工作的通知",
            "doc_number": "通政办发〔2018〕55号",
            "issuer": "通榆县人民政府办公室",
            "written": "二〇二四年一月二日",
            "published": "2024-01-03",
            "index_number": "11220822013601307Q/2024-00001",
        },
        "body": "各有关部门：\n\n## 一、总体要求\n\n正文。\n",
    });
    let (status, check) =
        desk.post_json(&format!("draft/{id}/check"), &json!({ "form": form, "folder": "notices/2024/n1" }));
    assert_eq!(status, 200);
    assert!(errors_at(&check, "doc_number").iter().any(|m| m.contains("duplicate")), "{check}");
    assert_eq!(check["form"]["fields"]["written"], "2024-01-02", "a date typed in Chinese becomes ISO");
    // Saving with an error is refused, at the field.
    let (status, refused) =
        desk.post_json(&format!("draft/{id}/save"), &json!({ "form": form, "folder": "notices/2024/n1" }));
    assert_eq!(status, 422, "{refused}");
    assert!(!site.path("content/notices").exists());
    // A data workbook dropped on the form: its sheets as read.
    let workbook = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/notices/pingan-jiaoxue-zhiliang-gongjian/进展.xlsx"),
    )
    .unwrap();
    let (status, added) = desk.post(&format!("draft/{id}/file?name=%E8%BF%9B%E5%B1%95.xlsx"), &workbook);
    assert_eq!(status, 200, "{added}");
    assert!(added["sheets"].as_array().is_some_and(|s| !s.is_empty()), "{added}");
    let (status, _) = desk.post(&format!("draft/{id}/file?name=%E9%99%84%E4%BB%B61.pdf"), b"%PDF-1.4\n");
    assert_eq!(status, 200);
    form["fields"]["doc_number"] = json!("通政办发〔2018〕56号");
    form["fields"]["attachments"] = json!(["附件1.pdf"]);
    let (_, check) =
        desk.post_json(&format!("draft/{id}/check"), &json!({ "form": form, "folder": "notices/2024/n1" }));
    assert!(errors_at(&check, "doc_number").is_empty(), "{check}");
    let (status, saved) =
        desk.post_json(&format!("draft/{id}/save"), &json!({ "form": form, "folder": "notices/2024/n1" }));
    assert_eq!(status, 200, "{saved}");
    let file = site.read("content/notices/2024/n1/index.md");
    assert!(file.starts_with("---\ntitle: 关于做好2024年某项工作的通知\ndoc_number: 通政办发〔2018〕56号\n"), "{file}");
    assert!(file.contains("written: 2024-01-02\n") && file.contains("attachments:\n  - 附件1.pdf\n"), "{file}");
    assert!(site.path("content/notices/2024/n1/附件1.pdf").is_file());
    assert!(site.path("content/notices/2024/n1/进展.xlsx").is_file());
    // The preview publishes it.
    let url = check["url"].as_str().unwrap().to_owned();
    let page = (0..100)
        .find_map(|_| {
            std::thread::sleep(Duration::from_millis(100));
            let (status, page) = desk.send("GET", &format!("/{}", url.trim_start_matches('/')), "", b"");
            (status == 200).then_some(page)
        })
        .expect("the saved notice's page is served");
    assert!(page.contains("关于做好2024年某项工作的通知") && page.contains("通政办发〔2018〕56号"));
    // The same folder again: refused (its address is taken), nothing overwritten.
    let before = site.read("content/notices/2024/n1/index.md");
    let (id2, _) = desk.open(None);
    form["fields"]["doc_number"] = json!("通政办发〔2018〕57号");
    let (status, refused) =
        desk.post_json(&format!("draft/{id2}/save"), &json!({ "form": form, "folder": "notices/2024/n1" }));
    assert!(status == 400 || status == 422, "{status}: {refused}");
    assert_eq!(site.read("content/notices/2024/n1/index.md"), before);
}

/// The whole of it in Chromium, as a clerk: see tests/search/desk.mjs.
#[test]
fn a_clerk_uses_the_desk_in_a_browser() {
    if !browser_available() {
        return;
    }
    let site = Site::example();
    site.write(
        "content/hand/index.md",
        &HAND
            .replace("关于印发某规划的通知", "关于手写通知的通知")
            .replace("通政办发〔2018〕55号", "通政办函〔2019〕3号"),
    );
    site.write("attachment/附件1.pdf", "%PDF-1.4\n");
    let desk = Desk::start(&site);
    let address = desk.server.printed.iter().find_map(|l| l.split("): ").nth(1)).unwrap().trim().to_owned();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let screenshot = std::env::var("GONGKAI_DESK_SCREENSHOT").ok();
    let out = run_node_script(
        "desk.mjs",
        site.root(),
        &json!({
            "desk": address,
            "site": site.root(),
            "hand": "content/hand/index.md",
            "attachment": site.path("attachment/附件1.pdf"),
            "workbook": repo.join("content/notices/pingan-jiaoxue-zhiliang-gongjian/进展.xlsx"),
            "screenshot": screenshot,
        }),
    );
    let steps = &out["steps"];
    assert!(steps["script_error"].is_null(), "{out}");
    assert!(steps["duplicate_error"].as_str().unwrap().contains("通政办发〔2018〕55号"), "{out}");
    assert_eq!(steps["duplicate_invalid"], "true");
    assert_eq!(steps["next_number"], "56", "the next free number for 通政办发 in 2018");
    assert_eq!(steps["written_normalised"], "2024-01-02");
    assert_eq!(steps["preview_heading"], "一、总体要求", "the outline number is kept");
    assert!(steps["sheets"].as_array().unwrap().len() >= 2, "{out}");
    assert!(steps["published_title"].as_str().unwrap().contains("关于做好2024年教育统计工作的通知"), "{out}");
    assert_eq!(steps["published_has_number"], true);
    assert!(
        out["unreached"].as_array().unwrap().is_empty(),
        "controls the keyboard cannot reach: {}",
        out["unreached"]
    );
    assert!(out["foreign"].as_array().unwrap().is_empty(), "requests to other hosts: {}", out["foreign"]);
    for run in out["axe"].as_array().unwrap() {
        assert!(run["violations"].as_array().unwrap().is_empty(), "axe: {run}");
        assert_eq!(run["overflow"], false, "wider than the window: {run}");
    }
    // What the clerk saved: a new notice with its files, beside the example.
    let saved = walkdir::WalkDir::new(site.path("content/notices/2018"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() == "index.md")
        .expect("the new notice saved under notices/2018/");
    let text = std::fs::read_to_string(saved.path()).unwrap();
    assert!(text.contains("doc_number: 通政办发〔2018〕56号\n") && text.contains("data:\n  - 进展.xlsx\n"), "{text}");
    assert!(saved.path().with_file_name("附件1.pdf").is_file());
    // The hand-written notice: its title line changed, every other line as it was,
    // and the colleague's later change kept.
    let hand = site.read("content/hand/index.md");
    let expected = HAND
        .replace("关于印发某规划的通知   # 标题照原件", "关于手写通知的修改标题")
        .replace("通政办发〔2018〕55号", "通政办函〔2019〕3号")
        .replace("正文。", "同事修改的正文。");
    assert_eq!(hand, expected);
    assert!(steps["conflict_mine"].as_str().unwrap().contains("我又改了标题"));
    assert_eq!(steps["after_conflict"], true);
}

/// A Word document dropped on the form fills it through `import`: the fields
/// and body for the clerk to confirm, the report of what was found and missing,
/// and nothing written into content/ until saved. A binary .doc gets the import's
/// refusal.
#[test]
fn a_dropped_document_fills_the_form_and_writes_nothing() {
    let site = Site::new();
    site.write("content/a/index.md", GOOD);
    let desk = Desk::start(&site);
    let (id, _) = desk.open(None);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docx = walkdir::WalkDir::new(repo.join("examples/legacy"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "docx"))
        .expect("the example .docx");
    let before: Vec<_> =
        walkdir::WalkDir::new(site.path("content")).into_iter().filter_map(Result::ok).map(|e| e.into_path()).collect();
    let (status, imported) =
        desk.post(&format!("draft/{id}/import?name=notice.docx"), &std::fs::read(docx.path()).unwrap());
    assert_eq!(status, 200, "{imported}");
    assert!(imported["form"]["fields"]["title"].as_str().is_some_and(|t| !t.is_empty()), "{imported}");
    assert!(imported["form"]["body"].as_str().is_some_and(|b| b.len() > 100));
    assert!(!imported["report"]["found"].as_array().unwrap().is_empty());
    let after: Vec<_> =
        walkdir::WalkDir::new(site.path("content")).into_iter().filter_map(Result::ok).map(|e| e.into_path()).collect();
    assert_eq!(before, after, "importing into the form writes nothing into content/");
    let (status, refused) =
        desk.post(&format!("draft/{id}/import?name=old.doc"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1binary");
    assert_eq!(status, 422, "{refused}");
    assert!(refused["error"].as_str().unwrap().contains(".docx"), "{refused}");
}

/// Beyond loopback the desk is off unless asked for; asked for, it warns, and a
/// write must come from the page of the name it was reached by.
#[test]
fn the_desk_is_off_beyond_loopback_unless_asked() {
    let site = Site::new();
    site.write("content/a/index.md", GOOD);
    let off = start_with(&site, &["--bind", "0.0.0.0"]);
    assert!(off.printed.iter().any(|l| l.contains("is off")), "{:?}", off.printed);
    let (status, _) = raw(
        off.port,
        format!("GET /__desk/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", off.port).as_bytes(),
    );
    assert_eq!(status, 404);
    drop(off);
    let on = start_with(&site, &["--bind", "0.0.0.0", "--desk-anywhere"]);
    assert!(on.printed.iter().any(|l| l.starts_with("warning: the desk")), "{:?}", on.printed);
    let token = on
        .printed
        .iter()
        .find_map(|l| l.rsplit("token=").next().filter(|_| l.contains("token=")))
        .unwrap()
        .trim()
        .to_owned();
    let post = |origin: &str| {
        let request = format!(
            "POST /__desk/api/draft HTTP/1.1\r\nHost: 192.0.2.7:{port}\r\nX-Gongkai-Token: {token}\r\nOrigin: {origin}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}",
            port = on.port
        );
        raw(on.port, request.as_bytes()).0
    };
    assert_eq!(post(&format!("http://192.0.2.7:{}", on.port)), 200);
    assert_eq!(post("http://evil.example"), 403);
}
