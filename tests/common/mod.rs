//! Shared helpers for the end-to-end tests: make a site in a temporary folder,
//! run the real `gongkai` binary on it, and read what it wrote.
#![allow(dead_code)]

pub mod docx;
pub mod ofd;
pub mod pdf;
pub mod server;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const SITE_YAML: &str = "title: 测试站\nbase_url: https://gongkai.internal/sub/\nissuers:\n  - 通榆县人民政府办公室\n  - 甲局\ntopics:\n  - 科技、教育\\教育\nforms: [规划, 方案]\nindex_number:\n  pattern: '^[0-9A-Z]{9,18}/\\d{4}-\\d{5}$'\n  example: 11220822013601307Q/2018-14393\n";

/// A valid notice; tests change one thing in it.
pub const GOOD: &str = "---\ntitle: 关于印发某规划的通知\ndoc_number: 通政办发〔2018〕55号\nissuer: 通榆县人民政府办公室\ngenre: 通知\nform: 规划\ntopics: [科技、教育\\教育]\nwritten: 2018-09-02\npublished: 2018-09-03\n---\n\n各有关部门：\n\n正文。\n";

pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// An empty site with the standard site.yaml.
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = Site { dir };
        s.write("content/site.yaml", SITE_YAML);
        s
    }

    /// A copy of the repository's example site (content/ and themes/).
    pub fn example() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &dir.path().join("content"));
        copy_dir(&repo.join("themes"), &dir.path().join("themes"));
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    /// Run `gongkai --root ROOT ARGS…`.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("run gongkai");
        Run::from(out)
    }

    /// Run `gongkai ARGS…` in the site folder, as a clerk does: paths in ARGS are
    /// the site's.
    pub fn run_here(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .current_dir(self.root())
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("run gongkai");
        Run::from(out)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// `build` with SOURCE_DATE_EPOCH set: the reference date is that day (in China).
    pub fn build_at(&self, epoch: &str) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("--root")
            .arg(self.root())
            .arg("build")
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .expect("run gongkai");
        Run::from(out)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// output/catalogue.json with its parts merged back (see `merged_catalogue`).
    pub fn catalogue(&self) -> serde_json::Value {
        merged_catalogue(&self.path("output"))
    }

    /// Every file under `rel` with its bytes.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.path(rel))
    }
}

/// The catalogue of the site built into `out` as one value, as format 1 had it: the
/// entry with `notices`, every part's notices in the order of the parts, each with
/// its `progress` (null when it has none) from the progress file.
pub fn merged_catalogue(out: &Path) -> serde_json::Value {
    let read = |rel: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
    };
    let mut entry = read("catalogue.json");
    let progress = read(entry["progress"]["href"].as_str().expect("the progress file's href"));
    let by_url: BTreeMap<&str, &serde_json::Value> =
        progress["notices"].as_array().unwrap().iter().map(|p| (p["url"].as_str().unwrap(), &p["progress"])).collect();
    let mut notices = Vec::new();
    for part in entry["parts"].as_array().expect("the entry lists its parts") {
        let part = read(part["href"].as_str().unwrap());
        for mut n in part["notices"].as_array().unwrap().iter().cloned() {
            let p = by_url.get(n["url"].as_str().unwrap()).map_or(serde_json::Value::Null, |&p| p.clone());
            n["progress"] = p;
            notices.push(n);
        }
    }
    entry["notices"] = serde_json::Value::Array(notices);
    entry
}

/// The sitemap index of the site built into `out`, checked against sitemaps.org:
/// each sitemap it lists (a file under `base_url`) with the URLs in it.
pub fn sitemaps(out: &Path, base_url: &str) -> Vec<(String, Vec<String>)> {
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let text = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let index = roxmltree::Document::parse(&text).expect("sitemap.xml is XML");
    assert!(index.root_element().has_tag_name((ns, "sitemapindex")), "{text}");
    let locs = |doc: &roxmltree::Document, parent: &str| -> Vec<String> {
        doc.root_element()
            .children()
            .filter(|c| c.is_element())
            .map(|c| {
                assert!(c.has_tag_name((ns, parent)), "<{parent}> expected, found {:?}", c.tag_name());
                c.children().find(|l| l.has_tag_name((ns, "loc"))).and_then(|l| l.text()).unwrap().to_string()
            })
            .collect()
    };
    locs(&index, "sitemap")
        .into_iter()
        .map(|loc| {
            let file =
                loc.strip_prefix(base_url).unwrap_or_else(|| panic!("{loc} is not under {base_url}")).to_string();
            let text = std::fs::read_to_string(out.join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file} is not XML: {e}"));
            assert!(doc.root_element().has_tag_name((ns, "urlset")), "{file}");
            let urls = locs(&doc, "url");
            (file, urls)
        })
        .collect()
}

pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() {
            out.insert(e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap());
        }
    }
    out
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn ok(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success\nstderr:\n{}", self.stderr);
        self
    }

    /// Assert that stderr has a diagnostic of `severity` ("error"/"warning") for
    /// `field`, located at `file:line`, whose text contains every one of `needles`.
    #[track_caller]
    pub fn has(&self, severity: &str, field: &str, file_line: &str, needles: &[&str]) -> &Run {
        let blocks: Vec<&str> = self.stderr.split("\n\n").collect();
        // `error[E023][published]: …`: any code, this field.
        let head = format!("{severity}[…][{field}]");
        let found = blocks.iter().any(|b| {
            let first = b.trim_start().lines().next().unwrap_or("");
            first.starts_with(&format!("{severity}["))
                && first.contains(&format!("][{field}]: "))
                && (b.contains(&format!("--> {file_line}:")) || b.contains(&format!("--> {file_line}\n")))
                && needles.iter().all(|n| b.contains(n))
        });
        assert!(found, "no {head} at {file_line} containing {needles:?} in:\n{}", self.stderr);
        self
    }
}

/// Whether a tool a test needs is here. `bash tests/run.sh`, the README's test
/// command, installs every tool and sets GONGKAI_ALL_TESTS (as CI does), so there
/// a missing tool fails the test. A plain `cargo test` skips it, and says so on
/// the terminal (past the test harness's capture), naming the tool and the
/// command that installs it.
pub fn available(found: bool, what: &str, install: &str) -> bool {
    if !found {
        let all = std::env::var_os("CI").is_some() || std::env::var_os("GONGKAI_ALL_TESTS").is_some();
        assert!(
            !all,
            "{what} is missing: install it with `{install}` (bash tests/run.sh installs every tool the tests need)"
        );
        use std::io::Write;
        let test = std::thread::current().name().unwrap_or("a test").to_owned();
        let _ = writeln!(
            std::io::stderr(),
            "skipped {test}: {what} is missing; install it with `{install}`, or run `bash tests/run.sh`, which installs what the tests need"
        );
    }
    found
}

/// A command-line tool a test runs: on PATH, or in the virtual environments
/// `tests/run.sh` makes under `.tools/` (see `available`).
pub fn tool(name: &str, install: &str) -> Option<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default();
    let found = dirs
        .into_iter()
        .chain([repo.join(".tools/venv/bin"), repo.join(".tools/ocfl/bin"), repo.join(".tools/pywb/bin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    available(found.is_some(), name, install).then_some(found).flatten()
}

fn node_runs() -> bool {
    Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Whether node is here, for the tests that run the site's scripts with it (see
/// `available`).
pub fn node_available() -> bool {
    available(node_runs(), "node", "apt-get install nodejs")
}

/// Whether node, Debian's Chromium (or CHROMIUM) and the npm packages of
/// `tests/search` are here for the browser tests (see `available`).
pub fn browser_available() -> bool {
    let node = node_runs();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/node_modules");
    let found = node
        && Path::new(&chromium).exists()
        && modules.join("playwright-core").is_dir()
        && modules.join("axe-core").is_dir();
    available(
        found,
        "node, Chromium or the npm packages",
        "apt-get install nodejs chromium; npm ci --prefix tests/search",
    )
}

/// Run a node script of `tests/search` on a built site folder, with `input` as
/// JSON on its standard input; its standard output parsed as JSON.
pub fn run_node_script(script: &str, out: &Path, input: &serde_json::Value) -> serde_json::Value {
    use std::io::Write;
    let mut child = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search").join(script))
        .arg(out)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start node");
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{script} failed:\n{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("script prints JSON")
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}
