//! `gongkai serve`: build, serve the result on loopback, watch content/ and themes/,
//! rebuild what changed and reload open pages.

pub mod http;
pub mod live;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::diagnostics::Diagnostics;
use http::Shared;
use live::{Live, Outcome};

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
}

/// How long a burst of file events may go quiet before it counts as one change:
/// editors write a file several times, or write a temporary file and rename it.
const QUIET: Duration = Duration::from_millis(50);

/// Requests are answered by this many threads (event streams get their own).
const WORKERS: usize = 8;

pub fn run(opts: &ServeOptions) -> Result<(), String> {
    let root = opts.root.canonicalize().map_err(|e| format!("--root {}: {e}", opts.root.display()))?;
    if !root.join("content").is_dir() {
        return Err(format!(
            "no content/ folder in {}; run gongkai in a site folder or pass --root DIR",
            root.display()
        ));
    }
    let server = tiny_http::Server::http((opts.bind.as_str(), opts.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    let host = if opts.bind.contains(':') { format!("[{}]", opts.bind) } else { opts.bind.clone() };
    let base_url = format!("http://{host}:{port}/");
    // The preview is written to its own folder, never over output/.
    let out = std::env::temp_dir().join(format!("gongkai-serve-{}-{port}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;

    // Watch before the first build and before answering requests, so that no
    // change made once the server answers can go unseen.
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
    for dir in [root.join("content"), root.join("themes")] {
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        }
    }
    let shared = Arc::new(Shared::default());
    let announce = shared.clone();
    let mut live = Live::new(&root, &out, &base_url, Box::new(move || announce.publish(None)));
    let start = Instant::now();
    report(live.reload_all(), &shared, start);

    let (http_out, http_shared) = (out.clone(), shared.clone());
    std::thread::spawn(move || http::serve(server, http_out, http_shared, WORKERS));
    eprintln!("Serving {} at {base_url} (Ctrl-C to stop)", root.display());

    loop {
        // Wait for a change, then gather the whole burst.
        let Ok(first) = rx.recv() else { return Ok(()) };
        let mut changed = BTreeSet::new();
        collect(first, &mut changed);
        loop {
            match rx.recv_timeout(QUIET) {
                Ok(event) => collect(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        changed.retain(|p| !is_editor_noise(p));
        if changed.is_empty() {
            continue;
        }
        let start = Instant::now();
        report(live.update(&changed), &shared, start);
    }
}

fn collect(event: notify::Result<notify::Event>, changed: &mut BTreeSet<PathBuf>) {
    if let Ok(event) = event
        && !matches!(event.kind, notify::EventKind::Access(_))
    {
        changed.extend(event.paths);
    }
}

/// Swap, backup and lock files that editors write next to the real file.
fn is_editor_noise(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".tmp", ".part"].iter().any(|ext| name.ends_with(ext))
}

fn report(outcome: Outcome, shared: &Shared, start: Instant) {
    let ms = start.elapsed().as_millis();
    match outcome {
        Outcome::Rendered { pages, warnings, announced } => {
            print_all(&warnings);
            eprintln!("rebuilt {pages} pages in {ms} ms");
            if !announced {
                shared.publish(None);
            }
        }
        Outcome::Failed(diags) => {
            print_all(&diags);
            eprintln!("build failed with {} error(s); showing them in the browser until fixed", diags.error_count());
            let text: String = diags.iter().filter(|d| d.is_error()).map(|d| d.to_string() + "\n").collect();
            shared.publish(Some(text));
        }
    }
}

fn print_all(diags: &Diagnostics) {
    for d in diags.iter() {
        eprintln!("{d}");
    }
}
