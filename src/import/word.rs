//! Importing a Word or OFD document: the reader's paragraphs go through the same
//! recogniser as a legacy text; then its inline markers become Markdown, its notes
//! are appended, documents appended after the text (附件1 …) stay in the body or go
//! to files of their own (`--attachments`), and its pictures and embedded files are
//! written beside the notice.

use std::path::{Path, PathBuf};

use super::analyse::{self, Analysis};
use super::docx::{self, Document, Limits, safe_file_name};
use super::known::Known;
use super::{Appendices, FileReport, ImportOptions, notice_and_report, write_notice};
use crate::write::atomic_write;

/// A reader of a kind of document, and what the provenance comment and the report
/// say the file was read as.
pub(super) struct Reader {
    pub(super) read: fn(&Path, &Limits) -> Result<Document, docx::DocxError>,
    pub(super) source: &'static str,
}

pub(super) const WORD: Reader = Reader { read: docx::read, source: "Word 文档" };
pub(super) const OFD: Reader = Reader { read: docx::ofd::read, source: "OFD 版式文档" };
pub(super) const PDF: Reader = Reader { read: docx::pdf::read, source: "PDF 文档" };

pub(super) fn import(file: &Path, target: &Path, opts: &ImportOptions, known: &Known, reader: &Reader) -> FileReport {
    let mut report = FileReport::new(file);
    report.unit = "paragraph";
    let doc = match (reader.read)(file, &Limits::default()) {
        Ok(d) => d,
        Err(e) => return report.skip(e.to_string()),
    };
    report.encoding = Some(reader.source.to_owned());
    let mut a = analyse::analyse_paragraphs(doc.paragraphs.clone());
    strip_markers(&mut a);
    if a.body.trim().is_empty() {
        report.dropped = a.dropped;
        return report.skip("no text left after removing the page furniture: nothing to import");
    }
    report.remarks.extend(doc.remarks.iter().cloned());
    for why in a.remarks.iter_mut().chain(a.damaged.iter_mut().map(|d| &mut d.why)) {
        *why = paragraphs_not_lines(why);
    }
    finish(report, a, &doc, reader.source, opts, target, known)
}

/// What a text and a document share once the recogniser has read them: the body
/// (markers resolved, notes defined, appended documents kept or split off), the
/// files written beside the notice, and the notice.
pub(super) fn finish(
    mut report: FileReport,
    mut a: Analysis,
    doc: &Document,
    source: &str,
    opts: &ImportOptions,
    target: &Path,
    known: &Known,
) -> FileReport {
    // A document the site has already is not added again (another file would
    // carry its 文号 twice, and the build would refuse both).
    if let Some(why) = known.clash(a.doc_number.as_deref(), a.title.as_deref(), &opts.root, target) {
        return report.skip(why);
    }
    let (body, appendices) = split(&a, doc, opts.appendices);
    a.body = body;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut attachments: Vec<(String, String)> = Vec::new();
    for f in &doc.files {
        files.push((f.name.clone(), f.bytes.clone()));
        if f.embedded {
            attachments.push((f.name.clone(), f.name.clone()));
        }
    }
    for (label, title, text) in appendices {
        let mut name = safe_file_name(&format!("{label}.md"), "appendix.md");
        while files.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            name = format!("{}-{name}", files.len());
        }
        attachments.push((name.clone(), title));
        files.push((name, text.into_bytes()));
    }
    let text = notice_and_report(&mut report, a, source, &attachments, known.config.as_ref());
    if let Err(why) = write_files(&mut report, target, &text, &files, opts.force) {
        return report.skip(why);
    }
    write_notice(report, target, &text, opts.force)
}

/// The recogniser numbers lines; a Word document's lines are its paragraphs.
fn paragraphs_not_lines(text: &str) -> String {
    static LINE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\bline (\d+)").expect("pattern"));
    LINE.replace_all(text, "paragraph $1").into_owned()
}

/// Every text of the analysis without inline markers: metadata is plain text.
fn strip_markers(a: &mut Analysis) {
    let strip = |s: &mut String| *s = Document::strip(s);
    for v in [
        &mut a.title,
        &mut a.doc_number,
        &mut a.index_number,
        &mut a.genre,
        &mut a.form,
        &mut a.printed,
        &mut a.period,
        &mut a.validity,
        &mut a.disclosure,
        &mut a.annotation,
    ]
    .into_iter()
    .flatten()
    {
        strip(v);
    }
    for list in
        [&mut a.issuers, &mut a.topics, &mut a.recipients, &mut a.cc, &mut a.signers, &mut a.notes, &mut a.remarks]
    {
        list.iter_mut().for_each(strip);
    }
    for d in &mut a.damaged {
        strip(&mut d.raw);
    }
    for d in &mut a.dropped {
        strip(&mut d.text);
    }
}

/// The body, and each appended document split off: (label, title, Markdown).
fn split(a: &Analysis, doc: &Document, mode: Appendices) -> (String, Vec<(String, String, String)>) {
    let mut main: Vec<&str> = Vec::new();
    let mut parts: Vec<Vec<&str>> = vec![Vec::new(); a.appendices.len()];
    for (line, block) in &a.blocks {
        let part = a.appendices.iter().position(|(start, end)| (*start..*end).contains(line));
        match part {
            Some(k) if mode == Appendices::Split => parts[k].push(block),
            _ => main.push(block),
        }
    }
    let appendices = parts
        .into_iter()
        .filter(|blocks| !blocks.is_empty())
        .map(|blocks| {
            let label = Document::strip(blocks[0]).trim_end_matches(['：', ':']).to_owned();
            let title = match blocks.get(1).map(|b| Document::strip(b.trim_start_matches(['#', ' ']))) {
                Some(t) if t.chars().count() <= 60 && !t.starts_with(['|', '<', '!']) => format!("{label} {t}"),
                _ => label.clone(),
            };
            (label, title, markdown(doc, &blocks))
        })
        .collect();
    (markdown(doc, &main), appendices)
}

/// Blocks joined, markers replaced, and the notes they refer to defined at the end.
fn markdown(doc: &Document, blocks: &[&str]) -> String {
    let mut body = blocks.iter().map(|b| doc.resolve(b)).collect::<Vec<_>>().join("\n\n");
    let notes = doc.notes_in(&body);
    if !notes.is_empty() {
        body.push_str("\n\n");
        body.push_str(&notes.join("\n\n"));
    }
    if !body.is_empty() {
        body.push('\n');
    }
    body
}

/// The files beside the notice, written unless the same ones are there; one that
/// differs is replaced only with `force`. Nothing is written if the notice itself
/// was edited and `force` is not given.
fn write_files(
    report: &mut FileReport,
    target: &Path,
    text: &str,
    files: &[(String, Vec<u8>)],
    force: bool,
) -> Result<(), String> {
    if !force && std::fs::read(target).is_ok_and(|existing| existing != text.as_bytes()) {
        return Err(format!(
            "{} exists and differs from this import (edited since it was imported?); use --force to replace it",
            target.display()
        ));
    }
    let Some(dir) = target.parent() else { return Ok(()) };
    let paths: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    for ((_, bytes), path) in files.iter().zip(&paths) {
        match std::fs::read(path) {
            Ok(existing) if existing == *bytes => continue,
            Ok(_) if !force => {
                return Err(format!(
                    "{} exists and differs from this import; use --force to replace it",
                    path.display()
                ));
            }
            _ => {}
        }
    }
    for ((_, bytes), path) in files.iter().zip(paths) {
        if std::fs::read(&path).is_ok_and(|existing| existing == *bytes) {
            report.files.push(path);
            continue;
        }
        atomic_write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        report.files.push(path);
    }
    Ok(())
}
