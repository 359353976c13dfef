//! `gongkai import`: turn legacy plain-text notices — copied from disclosure
//! platforms, copy sites and word processors — into gongkai notices.
//!
//! One bundle per input, `ROOT/<into>/<slug>/index.md`. The importer extracts
//! every metadata field the text gives and leaves the others empty; it never
//! guesses. A damaged value (a document number missing its 〕 or 号, an
//! organisation name with spam spliced in) is reported, not repaired, and is not
//! written as metadata. A notice the clerk has edited since it was imported is not
//! overwritten without `force`.

pub mod analyse;
mod dates;
mod org;

use std::fmt;
use std::path::{Component, Path, PathBuf};

pub use analyse::{Damaged, Dropped, MARKER, TEXT_MARKER};

use crate::config::SiteConfig;
use crate::content::MAX_NOTICE_BYTES;
use crate::schema;
use crate::targets::{self, Purpose};
use crate::text::encoding;
use crate::write::atomic_write;

/// What to import and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// Text files, or folders whose `*.txt` files are imported (sorted, recursively).
    pub inputs: Vec<PathBuf>,
    /// Where the bundles go, relative to `root`; a path that does not start with
    /// `content/` is taken inside `content/`. Default `content/imported`.
    pub into: PathBuf,
    /// Replace notices that were edited since they were imported.
    pub force: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { root: PathBuf::from("."), inputs: Vec::new(), into: default_into(), force: false }
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
    #[error("{} holds no .txt files", .0.display())]
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
    let site_yaml = opts.root.join("content/site.yaml");
    let config = SiteConfig::load(&site_yaml, Path::new("content/site.yaml")).ok();
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
        reports.push(import_one(&file, &target, opts.force, config.as_ref()));
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
                let is_txt = entry.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("txt"));
                if entry.file_type().is_file() && is_txt {
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
fn import_one(file: &Path, target: &Path, force: bool, config: Option<&SiteConfig>) -> FileReport {
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
    let text = notice_and_report(&mut report, a, decoded.encoding, config);
    write_notice(report, target, &text, force)
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
    encoding: &str,
    config: Option<&SiteConfig>,
) -> String {
    let file_name = report.input.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (text, found) = render(&a, &file_name, encoding);
    report.found = found;
    report.missing = REPORTED
        .iter()
        .copied()
        .filter(|f| *f != "note" && !report.found.iter().any(|(g, _)| g == f))
        .map(str::to_owned)
        .collect();
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

/// The YAML scalar for a value, quoted when needed.
fn scalar(value: &str) -> String {
    serde_yaml::to_string(value).map(|s| s.trim_end().to_owned()).unwrap_or_else(|_| format!("{value:?}"))
}

/// The notice file, and the values written to it.
fn render(a: &analyse::Analysis, file_name: &str, encoding: &str) -> (String, Vec<(String, String)>) {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut fields = String::new();
    let one = |key: &str, value: &Option<String>, fields: &mut String, found: &mut Vec<(String, String)>| {
        if let Some(v) = value {
            fields.push_str(&format!("{key}: {}\n", scalar(v)));
            found.push((key.to_owned(), v.clone()));
        }
    };
    let many = |key: &str, values: &[String], list: bool, fields: &mut String, found: &mut Vec<(String, String)>| {
        match values {
            [] => {}
            [v] if !list => fields.push_str(&format!("{key}: {}\n", scalar(v))),
            vs => {
                fields.push_str(&format!("{key}:\n"));
                for v in vs {
                    fields.push_str(&format!("  - {}\n", scalar(v)));
                }
            }
        }
        for v in values {
            found.push((key.to_owned(), v.clone()));
        }
    };
    one("title", &a.title, &mut fields, &mut found);
    one("doc_number", &a.doc_number, &mut fields, &mut found);
    one("index_number", &a.index_number, &mut fields, &mut found);
    many("issuer", &a.issuers, false, &mut fields, &mut found);
    one("genre", &a.genre, &mut fields, &mut found);
    one("form", &a.form, &mut fields, &mut found);
    many("topics", &a.topics, true, &mut fields, &mut found);
    one("written", &a.written.map(|d| d.to_string()), &mut fields, &mut found);
    one("published", &a.published.map(|d| d.to_string()), &mut fields, &mut found);
    many("recipients", &a.recipients, true, &mut fields, &mut found);
    many("cc", &a.cc, true, &mut fields, &mut found);
    one("printed", &a.printed, &mut fields, &mut found);
    one("period", &a.period, &mut fields, &mut found);
    one("validity", &a.validity, &mut fields, &mut found);
    one("disclosure", &a.disclosure, &mut fields, &mut found);
    one("note", &note_text(a.annotation.as_deref(), &a.notes), &mut fields, &mut found);

    let missing: Vec<(&str, &str)> = REPORTED
        .iter()
        .filter(|f| **f != "note" && !found.iter().any(|(g, _)| g == *f))
        .map(|f| (*f, chinese(f)))
        .collect();
    let mut out = String::from("---\n");
    out.push_str(&format!(
        "# 由 gongkai import 从 {file_name}（{encoding}）导入；导入报告列出了找到、缺少和受损的字段。\n"
    ));
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|(f, c)| format!("{f}（{c}）")).collect();
        out.push_str(&format!("# 来源没有给出、导入时留空的字段：{}。\n", list.join("、")));
    }
    for (f, c) in missing.iter().filter(|(f, _)| required(f)) {
        out.push_str(&format!("# 缺少必填字段 {f}（{c}）：补全后本通知才能生成。\n"));
    }
    out.push_str(&fields);
    out.push_str("---\n\n");
    out.push_str(&a.body);
    (out, found)
}

/// `note`: the document's 附注, then the editor's notes on the source.
fn note_text(annotation: Option<&str>, editor: &[String]) -> Option<String> {
    let mut parts: Vec<String> = annotation.into_iter().map(str::to_owned).collect();
    if !editor.is_empty() {
        parts.push(format!("编者注：{}", editor.concat()));
    }
    if parts.is_empty() { None } else { Some(parts.join(" ")) }
}

/// Write the notice so that it is never seen half-written (a hidden temporary file
/// renamed into place; the build ignores hidden files).
fn write_atomically(target: &Path, text: &str) -> Result<(), ImportError> {
    atomic_write(target, text.as_bytes()).map_err(|source| ImportError::Write { path: target.to_path_buf(), source })
}

impl fmt::Display for FileReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.input.display())?;
        if let Some(enc) = &self.encoding {
            write!(f, " (read as {enc})")?;
        }
        match (self.outcome, &self.output) {
            (Outcome::Written, Some(out)) => writeln!(f, "\n  wrote {}", out.display())?,
            (Outcome::Replaced, Some(out)) => writeln!(f, "\n  replaced {} (--force)", out.display())?,
            (Outcome::Unchanged, Some(out)) => writeln!(f, "\n  unchanged: {} is already this import", out.display())?,
            _ => writeln!(f, "\n  skipped: {}", self.skipped.as_deref().unwrap_or("nothing written"))?,
        }
        if !self.found.is_empty() {
            writeln!(f, "  found:")?;
            let mut i = 0;
            while i < self.found.len() {
                let field = &self.found[i].0;
                let values: Vec<&str> =
                    self.found[i..].iter().take_while(|(g, _)| g == field).map(|(_, v)| v.as_str()).collect();
                i += values.len();
                writeln!(f, "    {field} {}: {}", chinese(field), values.join("；"))?;
            }
        }
        if !self.missing.is_empty() {
            let list: Vec<String> = self.missing.iter().map(|m| format!("{m} {}", chinese(m))).collect();
            writeln!(f, "  missing (left empty, not guessed): {}", list.join(", "))?;
            let required: Vec<&str> = self.missing.iter().map(String::as_str).filter(|m| required(m)).collect();
            if !required.is_empty() && self.skipped.is_none() {
                writeln!(f, "    required: {} — fill it in, or the build refuses this notice", required.join(", "))?;
            }
        }
        if !self.damaged.is_empty() {
            writeln!(f, "  damaged in the source (not repaired, not written as metadata):")?;
            for Damaged { field, raw, why } in &self.damaged {
                writeln!(f, "    {field} {}: `{raw}` — {why}", chinese(field))?;
            }
        }
        if !self.remarks.is_empty() {
            writeln!(f, "  check:")?;
            for r in &self.remarks {
                writeln!(f, "    - {r}")?;
            }
        }
        if !self.dropped.is_empty() {
            writeln!(f, "  left out of the body:")?;
            for Dropped { line, text, why } in &self.dropped {
                let short: String = text.chars().take(36).collect();
                let ellipsis = if text.chars().count() > 36 { "…" } else { "" };
                writeln!(f, "    line {line}: {short}{ellipsis} — {why}")?;
            }
        }
        Ok(())
    }
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

    #[test]
    fn notes_put_the_annotation_first() {
        assert_eq!(note_text(None, &[]), None);
        assert_eq!(
            note_text(Some("此件公开发布"), &["甲。".into(), "乙。".into()]).as_deref(),
            Some("此件公开发布 编者注：甲。乙。")
        );
    }
}
