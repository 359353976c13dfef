//! `gongkai serve`: build, serve the result on loopback, watch content/ and themes/,
//! rebuild what changed and reload open pages.

pub mod desk;
pub mod http;
pub mod live;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::diagnostics::Diagnostics;
use http::Shared;
use live::{Live, Outcome};

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    /// Turn the desk on although `bind` is not a loopback address.
    pub desk_anywhere: bool,
}

/// How long a file's events must go quiet before they count as one change:
/// editors write a file several times, or write a temporary file and rename it,
/// within a few milliseconds. Every millisecond here is one the preview waits.
const QUIET: Duration = Duration::from_millis(10);

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("--root {}: {source}", root.display())]
    Root { root: PathBuf, source: std::io::Error },
    #[error("no content/ folder in {}; run gongkai in a site folder or pass --root DIR", .0.display())]
    NoContent(PathBuf),
    #[error("cannot listen on {address}: {message}")]
    Listen { address: String, message: String },
    #[error("cannot create {}: {source}", path.display())]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("cannot watch {what}: {source}")]
    Watch { what: String, source: notify::Error },
}

/// Requests are answered by this many threads (event streams get their own).
const WORKERS: usize = 8;

pub fn run(opts: &ServeOptions) -> Result<(), ServeError> {
    let root = opts.root.canonicalize().map_err(|source| ServeError::Root { root: opts.root.clone(), source })?;
    if !root.join("content").is_dir() {
        return Err(ServeError::NoContent(root));
    }
    let server = tiny_http::Server::http((opts.bind.as_str(), opts.port))
        .map_err(|e| ServeError::Listen { address: format!("{}:{}", opts.bind, opts.port), message: e.to_string() })?;
    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    let host = if opts.bind.contains(':') { format!("[{}]", opts.bind) } else { opts.bind.clone() };
    let base_url = format!("http://{host}:{port}/");
    // The preview is written to its own folder, never over output/.
    // Its drafts beside it, never among the files served. Only this user reads them.
    let folder = std::env::temp_dir().join(format!("gongkai-serve-{}-{port}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    let out = folder.join("site");
    std::fs::create_dir_all(&out).map_err(|source| ServeError::Folder { path: out.clone(), source })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700));
    }

    // Watch before the first build and before answering requests, so that no
    // change made once the server answers can go unseen.
    let (tx, rx) = channel::<DebounceEventResult>();
    let mut watcher =
        new_debouncer(QUIET, None, tx).map_err(|source| ServeError::Watch { what: "files".into(), source })?;
    let watched = [root.join("content"), root.join("themes")];
    for dir in &watched {
        if dir.is_dir() {
            watcher
                .watch(dir, RecursiveMode::Recursive)
                .map_err(|source| ServeError::Watch { what: dir.display().to_string(), source })?;
        }
    }
    // The site folder itself, not its subfolders: a `git checkout` deletes and
    // recreates content/, and a watch on the old folder sees nothing of the new.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|source| ServeError::Watch { what: root.display().to_string(), source })?;
    let shared = Arc::new(Shared::default());
    let announce = shared.clone();
    let live = Arc::new(Mutex::new(Live::new(
        &root,
        &out,
        &base_url,
        Box::new(move |pages, first| announce.publish_pages(pages, first)),
    )));
    // Ctrl-C (or a polite kill) removes the preview's folder: a day of previews
    // would otherwise leave a copy of the site in the temporary folder each time.
    // A rebuild still writing would put folders back: wait for it (the lock), and
    // remove again while the search index's writer may still add a file.
    let (leaving, stopping) = (folder.clone(), live.clone());
    let _ = ctrlc::set_handler(move || {
        let _rebuilds_done = stopping.lock().unwrap_or_else(|e| e.into_inner());
        for _ in 0..40 {
            let _ = std::fs::remove_dir_all(&leaving);
            if !leaving.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        std::process::exit(130);
    });
    // The desk writes files: on by default only where no one else can reach it.
    let desk = (desk::is_loopback(&opts.bind) || opts.desk_anywhere)
        .then(|| Arc::new(desk::Desk::new(&root, &host, port, folder.join("desk"), live.clone())));
    let start = Instant::now();
    let outcome = lock(&live).reload_all();
    report(outcome, &lock(&live), &shared, desk.as_deref(), start);

    let (http_out, http_shared, http_desk) = (out.clone(), shared.clone(), desk.clone());
    std::thread::spawn(move || http::serve(server, http_out, http_shared, http_desk, WORKERS));
    eprintln!("Serving {} at {base_url} (Ctrl-C to stop)", root.display());
    match &desk {
        Some(desk) => {
            if !desk::is_loopback(&opts.bind) {
                eprintln!(
                    "warning: the desk can write into content/ and is on at {base_url}: anyone who can reach this address and has the token can change the site"
                );
            }
            eprintln!("Desk (台账 / 新建公文): {}", desk.address(&base_url));
        }
        None => eprintln!(
            "The desk (台账 / 新建公文) is off: serve is not on a loopback address (--desk-anywhere turns it on)"
        ),
    }

    // The debouncer hands over each burst of changes once it has gone quiet;
    // batches already waiting are taken together.
    while let Ok(first) = rx.recv() {
        let mut changed = BTreeSet::new();
        collect(first, &mut changed);
        while let Ok(more) = rx.try_recv() {
            collect(more, &mut changed);
        }
        changed.retain(|p| !is_editor_noise(p));
        // In the site folder itself only content/ and themes/ matter: when one
        // (re)appears, watch it anew and load everything again.
        let reappeared: Vec<&PathBuf> = watched.iter().filter(|d| changed.contains(*d) && d.is_dir()).collect();
        for dir in &reappeared {
            let _ = watcher.watch(dir, RecursiveMode::Recursive);
        }
        changed.retain(|p| p.parent() != Some(root.as_path()) || watched.contains(p));
        if changed.is_empty() {
            continue;
        }
        let start = Instant::now();
        let mut live = lock(&live);
        let outcome = if reappeared.is_empty() { live.update(&changed) } else { live.reload_all() };
        report(outcome, &live, &shared, desk.as_deref(), start);
    }
    Ok(())
}

fn collect(batch: DebounceEventResult, changed: &mut BTreeSet<PathBuf>) {
    for event in batch.into_iter().flatten() {
        if !matches!(event.kind, notify::EventKind::Access(_)) {
            changed.extend(event.event.paths);
        }
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

fn lock(live: &Mutex<Live>) -> std::sync::MutexGuard<'_, Live> {
    live.lock().unwrap_or_else(|e| e.into_inner())
}

fn report(outcome: Outcome, live: &Live, shared: &Shared, desk: Option<&desk::Desk>, start: Instant) {
    let ms = start.elapsed().as_millis();
    if let Some(desk) = desk {
        let diags = match &outcome {
            Outcome::Rendered { warnings, .. } => warnings,
            Outcome::Failed(diags) => diags,
        };
        desk.set_diagnostics(diags.iter().cloned().collect());
    }
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
            let page = live.error_page(&text);
            shared.publish(Some(http::BuildErrors { text, page }));
        }
    }
    shared.finish();
}

fn print_all(diags: &Diagnostics) {
    for d in diags.iter() {
        eprintln!("{d}");
    }
}
