//! `gongkai import`: turn legacy plain-text notices — copied from disclosure
//! platforms, copy sites and word processors — and Word documents (`docx`, read
//! in `word`) into gongkai notices. Both go through the same recogniser
//! (`analyse`).
//!
//! One bundle per input, `ROOT/<into>/<slug>/index.md`. The importer extracts
//! every metadata field the text gives and leaves the others empty; it never
//! guesses. A damaged value (a document number missing its 〕 or 号, an
//! organisation name with spam spliced in) is reported, not repaired, and is not
//! written as metadata. A notice the clerk has edited since it was imported is not
//! overwritten without `force`.

pub mod analyse;
pub mod dates;
pub mod docx;
mod known;
mod org;
mod render;
mod report;
mod word;

use std::path::{Component, Path, PathBuf};

pub use analyse::{Damaged, Dropped, MARKER, TEXT_MARKER};

use crate::config::SiteConfig;
use crate::content::MAX_NOTICE_BYTES;
use crate::schema;
use crate::targets::{self, Purpose};
use crate::text::encoding;
use crate::write::atomic_write;
use known::Known;

/// What to import and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// Text files, Word and OFD documents, or folders whose `*.txt`, `*.docx`,
    /// `*.docm`, `*.ofd` (and, to be refused with a reason, `*.doc`, `*.wps`) files
    /// are imported (sorted, recursively).
    pub inputs: Vec<PathBuf>,
    /// Where the bundles go, relative to `root`; a path that does not start with
    /// `content/` is taken inside `content/`. Default `content/imported`.
    pub into: PathBuf,
    /// Replace notices that were edited since they were imported.
    pub force: bool,
    /// Documents appended after the text (附件1 …): kept in the notice, or each
    /// written to a file of its own beside it and listed as an attachment.
    pub appendices: Appendices,
}

/// Where the documents appended after a notice's text (附件1 …) go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Appendices {
    /// In the notice's body, where they are.
    #[default]
    Inline,
    /// Each in a Markdown file beside the notice (附件1.md …), listed in `attachments`.
    Split,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            root: PathBuf::from("."),
            inputs: Vec::new(),
            into: default_into(),
            force: false,
            appendices: Appendices::Inline,
        }
    }
}

/// `content/imported`.
pub fn default_into() -> PathBuf {
    PathBuf::from("content/imported")
}

/// A usage or I/O problem that stops the whole run before anything is written, or
/// a notice that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} is not a folder (the site root)", .0.display())]
    NotARoot(PathBuf),
    #[error("--into {}: expected a folder inside content/, such as content/imported", .0.display())]
    Into(PathBuf),
    #[error("{0}")]
    Refused(String),
    #[error("no input files: name the text files or folders to import")]
    NoInputs,
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot read {}: {source}", path.display())]
    Walk { path: PathBuf, source: walkdir::Error },
    #[error("{} holds no .txt files, no Word files (.docx, .docm, .doc, .wps), no .ofd and no .pdf files", .0.display())]
    NoTextFiles(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
}

/// What became of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new notice was written.
    Written,
    /// An edited notice was replaced (`force`).
    Replaced,
    /// The notice was already there, exactly as this import would write it.
    Unchanged,
    /// Nothing was written; `skipped` says why.
    Skipped,
}

/// The import report of one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub input: PathBuf,
    /// The notice written (or found unchanged).
    pub output: Option<PathBuf>,
    /// (field, value) for every value written to the front matter; lists give one
    /// entry per item.
    pub found: Vec<(String, String)>,
    /// Fields left empty because the text does not give them (or gives them damaged).
    pub missing: Vec<String>,
    /// (field, raw text, why) for values that are damaged in the source.
    pub damaged: Vec<Damaged>,
    /// Why nothing was written, e.g. the notice exists and was edited.
    pub skipped: Option<String>,
    pub outcome: Outcome,
    /// The encoding the file was read as (UTF-8, GB18030 …).
    pub encoding: Option<String>,
    /// Discrepancies between sources, where values came from, what to check.
    pub remarks: Vec<String>,
    /// Lines left out of the body: (line, text, why).
    pub dropped: Vec<Dropped>,
    /// What `dropped` counts: lines of a text, paragraphs of a Word document.
    pub unit: &'static str,
    /// Files written beside the notice (pictures, embedded files, appendices).
    pub files: Vec<PathBuf>,
}

impl FileReport {
    fn new(input: &Path) -> FileReport {
        FileReport {
            input: input.to_path_buf(),
            output: None,
            found: Vec::new(),
            missing: Vec::new(),
            damaged: Vec::new(),
            skipped: None,
            outcome: Outcome::Skipped,
            encoding: None,
            remarks: Vec::new(),
            dropped: Vec::new(),
            unit: "line",
            files: Vec::new(),
        }
    }

    fn skip(mut self, why: impl Into<String>) -> FileReport {
        self.skipped = Some(why.into());
        self.outcome = Outcome::Skipped;
        self.output = None;
        self
    }

    /// Values found for one field.
    pub fn values(&self, field: &str) -> Vec<&str> {
        self.found.iter().filter(|(f, _)| f == field).map(|(_, v)| v.as_str()).collect()
    }
}

/// The fields a legacy text can give, which the report accounts for, in the
/// schema's order.
const REPORTED: &[&str] = &[
    "title",
    "doc_number",
    "index_number",
    "issuer",
    "genre",
    "form",
    "topics",
    "written",
    "published",
    "recipients",
    "cc",
    "printed",
    "period",
    "validity",
    "disclosure",
    "note",
];

/// The Chinese name of a field, from the schema.
fn chinese(field: &str) -> &'static str {
    schema::lookup(field).map_or("", |f| f.label)
}

fn required(field: &str) -> bool {
    schema::lookup(field).is_some_and(|f| f.required)
}

/// Import every input. `Err` is a usage or I/O problem that stops the whole run
/// before anything is written (an input that does not exist, a bad `into`);
/// problems with one file are in its report.
pub fn run(opts: &ImportOptions) -> Result<Vec<FileReport>, ImportError> {
    let into = target_folder(&opts.into)?;
    if !opts.root.is_dir() {
        return Err(ImportError::NotARoot(opts.root.clone()));
    }
    targets::check(&opts.root, &opts.root.join(&into), Purpose::Notice, "--into")
        .map_err(|e| ImportError::Refused(e.to_string()))?;
    let files = collect_inputs(&opts.inputs)?;
    let mut known = Known::of(&opts.root);
    let mut slugs: Vec<(String, PathBuf)> = Vec::new();
    let mut reports = Vec::with_capacity(files.len());
    for file in files {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let mut slug = slug_for(&stem);
        if slugs.iter().any(|(s, f)| *s == slug && *f != file) {
            slug = format!("{slug}-{}", short_hash(&file.to_string_lossy()));
        }
        slugs.push((slug.clone(), file.clone()));
        let target = opts.root.join(&into).join(&slug).join("index.md");
        let report = if has_extension(&file, &["ofd"]) {
            word::import(&file, &target, opts, &known, &word::OFD)
        } else if has_extension(&file, &["pdf"]) {
            word::import(&file, &target, opts, &known, &word::PDF)
        } else if is_word(&file) {
            word::import(&file, &target, opts, &known, &word::WORD)
        } else {
            import_one(&file, &target, opts, &known)
        };
        if let (Some(out), Some(number)) = (&report.output, report.values("doc_number").first()) {
            known.add(number, report.values("title").first().copied().unwrap_or_default(), &opts.root, out);
        }
        reports.push(report);
    }
    Ok(reports)
}

/// `into` made safe: relative, no `..`, inside `content/`.
fn target_folder(into: &Path) -> Result<PathBuf, ImportError> {
    if into.is_absolute() || into.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err(ImportError::Into(into.to_path_buf()));
    }
    let clean: PathBuf = into.components().filter(|c| matches!(c, Component::Normal(_))).collect();
    Ok(if clean.starts_with("content") { clean } else { Path::new("content").join(clean) })
}

fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ImportError> {
    if inputs.is_empty() {
        return Err(ImportError::NoInputs);
    }
    let mut out: Vec<PathBuf> = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|source| ImportError::Read { path: input.clone(), source })?;
        if meta.is_dir() {
            let before = out.len();
            let walker = walkdir::WalkDir::new(input)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
            for entry in walker {
                let entry = entry.map_err(|source| ImportError::Walk { path: input.clone(), source })?;
                let ext = entry.path().extension().map(|x| x.to_string_lossy().to_ascii_lowercase());
                let wanted = ext
                    .is_some_and(|x| x == "txt" || x == "ofd" || x == "pdf" || WORD_EXTENSIONS.contains(&x.as_str()));
                if entry.file_type().is_file() && wanted {
                    out.push(entry.into_path());
                }
            }
            if out.len() == before {
                return Err(ImportError::NoTextFiles(input.clone()));
            }
        } else {
            out.push(input.clone());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
    Ok(out)
}

/// Extensions read by the Word reader (which names the ones it refuses).
const WORD_EXTENSIONS: &[&str] = &["docx", "docm", "doc", "wps"];

fn has_extension(file: &Path, extensions: &[&str]) -> bool {
    let ext = file.extension().map(|x| x.to_string_lossy().to_ascii_lowercase());
    ext.is_some_and(|x| extensions.contains(&x.as_str()))
}

/// A Word file, by its extension, or a "text" file (.txt or no extension) whose
/// first bytes are a zip's or an OLE container's: a renamed document. Files of
/// other kinds (spreadsheets …) are left to their own readers.
fn is_word(file: &Path) -> bool {
    if has_extension(file, WORD_EXTENSIONS) {
        return true;
    }
    if file.extension().is_some() && !has_extension(file, &["txt"]) {
        return false;
    }
    let mut head = [0u8; 8];
    let read = std::fs::File::open(file).and_then(|mut f| std::io::Read::read(&mut f, &mut head));
    read.is_ok_and(|n| docx::looks_like_word(&head[..n]))
}

/// The bundle's folder name from the input's file stem: kept as it is when it is
/// made of a–z, 0–9, `-` and `_` (A–Z lower-cased), else the safe characters and a
/// short stable hash of the stem.
pub fn slug_for(stem: &str) -> String {
    let lower: String =
        stem.chars().map(|c| if c.is_whitespace() || c == '.' { '-' } else { c.to_ascii_lowercase() }).collect();
    let safe = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    let trimmed = lower.trim_matches('-');
    if !trimmed.is_empty() && trimmed.chars().all(safe) {
        return trimmed.to_owned();
    }
    let kept: String = lower.chars().filter(|&c| safe(c)).collect();
    let kept = kept.trim_matches(['-', '_']);
    let hash = short_hash(stem);
    if kept.is_empty() { format!("notice-{hash}") } else { format!("{kept}-{hash}") }
}

/// FNV-1a, 64 bits, as 10 hex digits: stable across runs, machines and versions.
fn short_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")[..10].to_owned()
}

/// Import one file: read and decode it, analyse it, write the notice.
fn import_one(file: &Path, target: &Path, opts: &ImportOptions, known: &Known) -> FileReport {
    let mut report = FileReport::new(file);
    let decoded = match read_text(file) {
        Ok(d) => d,
        Err(why) => return report.skip(why),
    };
    report.encoding = Some(decoded.encoding.to_owned());
    if decoded.had_errors {
        report.remarks.push(format!(
            "some bytes are not valid {}: they were read as �; compare the text with the original",
            decoded.encoding
        ));
    }
    let a = analyse::analyse(&decoded.text);
    if a.body.trim().is_empty() {
        report.dropped = a.dropped;
        return report.skip("no text left after removing the page furniture: nothing to import");
    }
    word::finish(report, a, &docx::Document::default(), decoded.encoding, opts, target, known)
}

/// The file's text, decoded; else why it is not imported.
fn read_text(file: &Path) -> Result<encoding::Decoded, String> {
    match std::fs::metadata(file) {
        Ok(m) if m.len() > MAX_NOTICE_BYTES => {
            return Err(format!("the file is larger than {} MiB: not a notice", MAX_NOTICE_BYTES >> 20));
        }
        Ok(_) => {}
        Err(e) => return Err(format!("cannot read it: {e}")),
    }
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read it: {e}"))?;
    encoding::any(&bytes).map_err(|e| match e {
        encoding::DecodeError::Nul { .. } => "the file contains NUL bytes: it is not a text file".to_owned(),
        e => e.to_string(),
    })
}

/// The notice for what was read from the file; the report says what was found,
/// missing and damaged, and what to check.
fn notice_and_report(
    report: &mut FileReport,
    a: analyse::Analysis,
    source: &str,
    attachments: &[(String, String)],
    config: Option<&SiteConfig>,
) -> String {
    let file_name = report.input.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (text, found) = render::render(&a, &file_name, source, attachments);
    report.found = found;
    report.missing = REPORTED
        .iter()
        .copied()
        .filter(|f| *f != "note" && !report.found.iter().any(|(g, _)| g == f))
        .map(str::to_owned)
        .collect();
    if !a.signers.is_empty() {
        report.remarks.push(format!(
            "签发人 (signer): {} — the schema has no field for it, so it is only in this report",
            a.signers.join("、")
        ));
    }
    report.damaged = a.damaged;
    report.remarks.extend(a.remarks);
    report.dropped = a.dropped;
    let missing_required: Vec<&str> = report.missing.iter().map(String::as_str).filter(|f| required(f)).collect();
    if !missing_required.is_empty() {
        report.remarks.push(format!(
            "the notice will not build until {} is filled in (the front matter says so in a comment)",
            missing_required.join(", ")
        ));
    }
    if report.missing.iter().any(|m| m == "disclosure") {
        report.remarks.push(
            "the text does not say how it is disclosed: the build publishes it as 主动公开 by default; set `disclosure:` if it must not be published".into(),
        );
    }
    if let Some(config) = config {
        site_remarks(report, config);
    }
    text
}

/// Write the notice, unless the same one is there, or one that differs and
/// `force` is not given.
fn write_notice(mut report: FileReport, target: &Path, text: &str, force: bool) -> FileReport {
    let outcome = match std::fs::read(target) {
        Ok(existing) if existing == text.as_bytes() => Outcome::Unchanged,
        Ok(_) if !force => {
            return report.skip(format!(
                "{} exists and differs from this import (edited since it was imported?); use --force to replace it",
                target.display()
            ));
        }
        Ok(_) => Outcome::Replaced,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Outcome::Written,
        Err(e) => return report.skip(format!("cannot read {}: {e}", target.display())),
    };
    if outcome != Outcome::Unchanged
        && let Err(e) = write_atomically(target, text)
    {
        return report.skip(e.to_string());
    }
    report.outcome = outcome;
    report.output = Some(target.to_path_buf());
    report
}

/// What the build will say about the values, given the site's settings.
fn site_remarks(report: &mut FileReport, config: &SiteConfig) {
    if let (Some(rule), Some(index)) = (&config.index_number, report.values("index_number").first())
        && !rule.pattern.is_match(index)
    {
        report.remarks.push(format!(
            "index_number {index} does not match the site's pattern {}: the build will refuse it until the value or site.yaml is corrected",
            rule.pattern.as_str()
        ));
    }
    let mut notes = Vec::new();
    if !config.issuers.is_empty() {
        for issuer in report.values("issuer") {
            if !config.issuers.iter().any(|k| k == issuer) {
                notes.push(format!("issuer {issuer} is not in site.yaml's issuers (the build warns)"));
            }
        }
    }
    if !config.topics.is_empty() {
        for topic in report.values("topics") {
            if !config.topics.iter().any(|k| k == topic || k.starts_with(&format!("{topic}\\"))) {
                notes.push(format!("topic {topic} is not in site.yaml's topics (the build warns)"));
            }
        }
    }
    if !config.forms.is_empty()
        && let Some(form) = report.values("form").first()
        && !config.forms.iter().any(|k| *k == fast2s::convert(form))
    {
        notes.push(format!("form {form} is not in site.yaml's forms (the build warns)"));
    }
    report.remarks.extend(notes);
}

/// Write the notice so that it is never seen half-written (a hidden temporary file
/// renamed into place; the build ignores hidden files).
fn write_atomically(target: &Path, text: &str) -> Result<(), ImportError> {
    atomic_write(target, text.as_bytes()).map_err(|source| ImportError::Write { path: target.to_path_buf(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_safe_and_stable() {
        assert_eq!(slug_for("001_c81df2f48d4ae176"), "001_c81df2f48d4ae176");
        assert_eq!(slug_for("Plan 2018"), "plan-2018");
        let s = slug_for("通榆县规划2018");
        assert!(s.starts_with("2018-") && s.len() == 15, "{s}");
        assert_eq!(s, slug_for("通榆县规划2018"));
        assert_ne!(s, slug_for("通榆县规划2018二"));
        assert!(slug_for("规划").starts_with("notice-"));
    }

    #[test]
    fn into_stays_inside_content() {
        assert_eq!(target_folder(Path::new("content/imported")).unwrap(), Path::new("content/imported"));
        assert_eq!(target_folder(Path::new("old")).unwrap(), Path::new("content/old"));
        assert!(target_folder(Path::new("../x")).is_err());
        assert!(target_folder(Path::new("/tmp/x")).is_err());
    }
}
