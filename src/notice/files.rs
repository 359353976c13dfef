//! A notice's text and files: the body (parsed once), dated revisions, attachments
//! and progress data files, each checked to stay inside the notice's folder.

use std::path::Path;

use serde_yaml::Value;

use super::reader::Reader;
use super::{Attachment, Revision, Text};
use crate::content::frontmatter::scalar_text;
use crate::content::{AttachmentError, MAX_NOTICE_BYTES, read_file, resolve_attachment};
use crate::diagnostics::{Code, Diagnostic};
use crate::markdown::{self, MAX_DEPTH};
use crate::progress::data::{self as progress_data, DataFile, ProgressData};
use crate::report::{self, ReportData};
use crate::schema::{Date, FieldError};

/// Parse a version of the text; `None` when it is nested too deeply (an error).
fn parse(r: &mut Reader, display: &Path, markdown: String, first_line: usize) -> Option<Text> {
    match markdown::render_cached(&markdown) {
        Ok(rendered) => Some(Text {
            cites: super::citations::Citations::of(&markdown),
            markdown: r.texts.put(markdown),
            first_line,
            html: r.texts.put(rendered.html),
            plain: r.texts.put(rendered.plain),
            headings: rendered.headings,
        }),
        Err(deep) => {
            let line = first_line + markdown[..deep.offset].matches('\n').count();
            r.diags.push(
                Diagnostic::new(Code::TextTooDeep, display, "text nested too deeply")
                    .at(line, None)
                    .found(format!("quotes, lists or HTML tags nested more than {MAX_DEPTH} levels"))
                    .expected("the text of a notice: headings, paragraphs, lists and tables")
                    .hint("check for a damaged or generated file"),
            );
            None
        }
    }
}

/// The notice's own text, after the front matter.
pub fn body(r: &mut Reader, markdown: String, first_line: usize) -> Option<Text> {
    if markdown.trim().is_empty() {
        r.diags.push(
            Diagnostic::new(Code::EmptyText, &r.source.display, "notice has no text")
                .at(first_line, None)
                .expected("the text of the notice after the closing `---`"),
        );
    }
    let display = r.source.display.clone();
    parse(r, &display, markdown, first_line)
}

/// A path of a bundle's file, `/`-separated.
fn slash_path(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn is_revision(file: &str) -> bool {
    file.starts_with("revisions/") && file.ends_with(".md")
}

/// `revisions/YYYY-MM-DD.md` files of a bundle: each the full text in force from
/// that date.
pub fn revisions(r: &mut Reader) -> Vec<Revision> {
    let source = r.source;
    let mut out = Vec::new();
    for rel in source.bundle_files.iter().flatten() {
        let file = slash_path(rel);
        if !is_revision(&file) {
            continue;
        }
        let display = source.display.parent().unwrap_or(Path::new("")).join(&file);
        let stem = file.trim_start_matches("revisions/").trim_end_matches(".md");
        let date = match Date::parse(stem) {
            Ok(d) => d,
            Err(e) => {
                r.diags.push(
                    Diagnostic::new(Code::Revision, &display, "revision file is not named by its date")
                        .found(stem.to_owned())
                        .expected(format!("revisions/YYYY-MM-DD.md, the date the text takes effect ({})", e.message)),
                );
                continue;
            }
        };
        // An unreadable revision is an error, never an empty text published.
        match read_file(&source.base_dir.join(rel), &display, MAX_NOTICE_BYTES, "a revision") {
            Ok(markdown) => {
                if let Some(text) = parse(r, &display, markdown, 1) {
                    out.push(Revision { date, file, text });
                }
            }
            Err(d) => r.diags.push(d),
        }
    }
    out.sort_by_key(|rev| rev.date);
    // Two files for one date (2019-06-01.md and 2019-6-1.md): which text is in force
    // that day cannot be told.
    for pair in out.windows(2).filter(|p| p[0].date == p[1].date) {
        let display = |rev: &Revision| source.display.parent().unwrap_or(Path::new("")).join(&rev.file);
        r.diags.push(
            Diagnostic::new(
                Code::Revision,
                &display(&pair[1]),
                format!("two revisions take effect on {}", pair[1].date),
            )
            .found(format!("{} and {}", display(&pair[0]).display(), display(&pair[1]).display()))
            .expected("one revision file per date")
            .hint("merge the two texts into one file, or correct the date in one file's name"),
        );
    }
    out
}

/// Revisions dated before the notice was written (or, without a 成文日期,
/// published): the text as first published would never be in force.
pub fn check_revision_dates(r: &mut Reader, revisions: &[Revision], issued: Option<Date>) {
    let Some(issued) = issued else { return };
    for rev in revisions.iter().filter(|rev| rev.date < issued) {
        let display = r.source.display.parent().unwrap_or(Path::new("")).join(&rev.file);
        r.diags.push(
            Diagnostic::new(
                Code::Revision,
                &display,
                format!("revision takes effect on {}, before the notice was issued on {issued}", rev.date),
            )
            .found(rev.date.to_string())
            .expected(format!("a date on or after {issued}, when the text as first published took effect"))
            .hint("the file's name is the date its text takes effect: check it against the notice's 成文日期"),
        );
    }
}

/// Declared attachments (in their order, with titles), then any other file of a
/// bundle (sorted, titled by file name); and the progress data files, published
/// for download with the progress section but not listed among the attachments
/// (the official ones), unless declared as one.
pub fn attachments_and_data(r: &mut Reader, content_dir: &Path) -> (Vec<Attachment>, Option<ProgressData>) {
    let mut attachments = declared(r, content_dir);
    let progress = data_files(r, content_dir);
    let data: Vec<&String> = progress.iter().flat_map(|p| &p.files).collect();
    let source = r.source;
    for rel in source.bundle_files.iter().flatten() {
        let file = slash_path(rel);
        // Revisions are versions of the text, not attachments.
        if attachments.iter().any(|a| a.file == file) || is_revision(&file) || data.contains(&&file) {
            continue;
        }
        attachments.push(attachment(file.clone(), None, source.base_dir.join(rel)));
    }
    for file in data {
        if !attachments.iter().any(|a| a.file == *file) {
            let mut data_file = attachment(file.clone(), None, r.source.base_dir.join(file));
            data_file.data = true;
            attachments.push(data_file);
        }
    }
    (attachments, progress)
}

fn attachment(file: String, title: Option<String>, source: std::path::PathBuf) -> Attachment {
    let bytes = std::fs::metadata(&source).map(|m| m.len()).unwrap_or(0);
    let title = title.unwrap_or_else(|| file.rsplit('/').next().unwrap_or(&file).to_owned());
    Attachment { file, title, source, bytes, data: false }
}

/// `attachments: [{file: 附件1.pdf, title: …}]`, or plain file names.
fn declared(r: &mut Reader, content_dir: &Path) -> Vec<Attachment> {
    let mut out = Vec::new();
    let Some(value) = r.get("attachments").map(|f| f.value.clone()) else { return out };
    let items: Vec<Value> = match value {
        Value::Null => Vec::new(),
        Value::Sequence(s) => s,
        v => vec![v],
    };
    for item in items {
        let (file, title) = match &item {
            Value::Mapping(m) => (
                m.get("file").or_else(|| m.get("文件")).and_then(scalar_text),
                m.get("title").or_else(|| m.get("标题")).and_then(scalar_text),
            ),
            v => (scalar_text(v), None),
        };
        let Some(file) = file else {
            r.error(
                "attachments",
                FieldError::new("attachment without a file", "`- file: name.pdf` with an optional `title: …`"),
            );
            continue;
        };
        match resolve_attachment(&r.source.base_dir, content_dir, &file) {
            Ok(abs) => out.push(attachment(file.trim_start_matches("./").to_owned(), title, abs)),
            Err(err) => r.error_found(
                "attachments",
                FieldError::new(
                    err.message(),
                    "a file inside the notice's own folder, written relative to it (e.g. `data.csv`)",
                ),
                file,
            ),
        }
    }
    out
}

/// The data files named in `data:`, checked like attachments, then read.
fn data_files(r: &mut Reader, content_dir: &Path) -> Option<ProgressData> {
    let names = r.list("data");
    if names.is_empty() {
        return None;
    }
    let mut files = Vec::new();
    for name in names {
        match resolve_attachment(&r.source.base_dir, content_dir, &name) {
            Ok(path) => {
                let display = r.source.display.parent().unwrap_or(Path::new("")).join(&name);
                files.push(DataFile { name: name.trim_start_matches("./").to_owned(), path, display });
            }
            Err(err) => {
                let message = match err {
                    AttachmentError::Missing => "data file named in the front matter does not exist",
                    other => other.message(),
                };
                r.error_found(
                    "data",
                    FieldError::new(
                        message,
                        "a .yaml, .csv or workbook (.xlsx, .xlsm, .xls, .ods) file in the notice's own folder, e.g. `data: [progress.yaml]`",
                    ),
                    name,
                );
            }
        }
    }
    let (data, diags) = progress_data::load(&files);
    r.diags.extend(diags);
    data
}

/// `annual_report: report.yaml`: the data file of a 政府信息公开工作年度报告,
/// checked (`report::load`); like progress data it is copied beside the page and
/// linked from the report's tables, not listed as an attachment.
pub fn annual_report(r: &mut Reader, content_dir: &Path, attachments: &mut Vec<Attachment>) -> Option<ReportData> {
    let name = r.text("annual_report")?;
    let path = match resolve_attachment(&r.source.base_dir, content_dir, &name) {
        Ok(p) => p,
        Err(err) => {
            let message = match err {
                AttachmentError::Missing => "annual report data file named in the front matter does not exist",
                other => other.message(),
            };
            r.error_found(
                "annual_report",
                FieldError::new(message, "a .yaml file in the notice's own folder, e.g. `annual_report: report.yaml`"),
                name,
            );
            return None;
        }
    };
    let file = name.trim_start_matches("./").to_owned();
    let display = r.source.display.parent().unwrap_or(Path::new("")).join(&file);
    let (data, diags) = report::load(&file, &path, &display);
    r.diags.extend(diags);
    match attachments.iter_mut().find(|a| a.file == file) {
        Some(a) => a.data = true,
        None => {
            let mut a = attachment(file, None, path);
            a.data = true;
            attachments.push(a);
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::NoticeSource;

    /// A revision that cannot be read is an error, never an empty text published
    /// as the text in force.
    #[test]
    fn an_unreadable_revision_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let source = NoticeSource {
            file: dir.path().join("index.md"),
            display: "content/plan/index.md".into(),
            folders: Vec::new(),
            default_slug: "plan".into(),
            base_dir: dir.path().to_path_buf(),
            // Listed when the folder was walked, gone (or unreadable) when read.
            bundle_files: Some(vec!["revisions/2019-06-01.md".into()]),
        };
        let texts = crate::text::store::TextStore::new(usize::MAX);
        let mut r = Reader::new(&source, "", Vec::new(), &texts);
        assert!(revisions(&mut r).is_empty(), "no revision made of nothing");
        let d = r.diags.iter().find(|d| d.is_error()).expect("an error");
        assert_eq!(d.file, Path::new("content/plan/revisions/2019-06-01.md"));
        assert!(d.message.contains("cannot read"), "{d}");
    }
}
