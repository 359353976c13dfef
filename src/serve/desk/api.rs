//! The desk's requests, after `Desk::answer` checked host, token and origin: the
//! site as the form needs it, drafts (open, add a file, import a document, check,
//! save) and the body's preview.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};
use tiny_http::Request;

use super::drafts::{self, Draft, Saved};
use super::form::{self, FieldValue, Form};
use super::{Desk, FILE_LIMIT, Reply, body, json, json_body, message, query_value};
use crate::content::NoticeSource;
use crate::diagnostics::Diagnostic;
use crate::schema::{self, Category, Disclosure, FIELDS, GENRES, Validity};

/// The form's groups after 文件信息, as a disclosure platform's entry form has
/// them; every other field of the table is under 文件信息, in the table's order.
const GROUPS: &[(&str, &[&str])] = &[
    ("附件与数据", &["attachments", "data"]),
    ("关联文件", &["amends", "supersedes", "repeals", "interprets", "feedback_on", "consulted"]),
];

/// Fields the form leaves out: the annual report's data file and the page's
/// language are set in the file by those who need them, and so are the blocks of
/// a consultation and a withdrawal (fields within a field, which the form's
/// one-line inputs cannot hold; the file keeps them as written).
const NOT_IN_FORM: &[&str] = &["annual_report", "lang", "slug", "consultation", "withdrawn"];

/// Fields whose value is a date: a date typed as 二〇一八年八月十日 is taken.
const DATES: &[&str] = &["written", "published", "effective", "expires"];

pub fn route(desk: &Desk, request: &mut Request, api: &str, query: &str) -> Result<Reply, Reply> {
    let mut parts = api.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("site"), None, ..) => Ok(json(200, &site(desk))),
        (Some("draft"), None, ..) => open(desk, request),
        (Some("preview"), None, ..) => preview(request),
        (Some("draft"), Some(id), Some(action), None) => {
            let id: u64 = id.parse().map_err(|_| message(404, "no such draft"))?;
            let draft = desk.drafts.get(id).ok_or_else(|| message(404, "no such draft: open the form again"))?;
            match action {
                "file" => add_file(desk, request, &draft, query),
                "remove" => {
                    let name = query_value(query, "name").unwrap_or_default();
                    desk.drafts.remove_file(&draft, &name).map_err(|e| message(400, &e))?;
                    Ok(json(200, &json!({ "files": files_of(&draft) })))
                }
                "import" => import(desk, request, &draft, query),
                "check" => check(desk, request, &draft),
                "save" => save(desk, request, id, draft),
                _ => Err(message(404, "not found")),
            }
        }
        _ => Err(message(404, "not found")),
    }
}

/// The site as the form needs it: the field table, the vocabularies, the numbers
/// in use, the notices with the last rebuild's diagnostics.
fn site(desk: &Desk) -> Value {
    let live = desk.live.lock().unwrap_or_else(|e| e.into_inner());
    let diagnostics = desk.diagnostics.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut by_file: std::collections::HashMap<&Path, Vec<&Diagnostic>> = std::collections::HashMap::new();
    for d in &diagnostics {
        by_file.entry(d.file.as_path()).or_default().push(d);
    }
    let mut notices = live.desk_notices();
    for n in &mut notices {
        let mine = by_file.get(Path::new(n["file"].as_str().unwrap_or(""))).cloned().unwrap_or_default();
        n["errors"] = json!(mine.iter().filter(|d| d.is_error()).count());
        n["warnings"] = json!(mine.iter().filter(|d| !d.is_error()).count());
        n["diagnostics"] = json!(mine.iter().map(|d| shown(d)).collect::<Vec<_>>());
    }
    let config = live.config();
    let vocab = |list: Option<&Vec<String>>| list.cloned().unwrap_or_default();
    json!({
        "fields": FIELDS.iter().filter(|f| !NOT_IN_FORM.contains(&f.name)).map(|f| json!({
            "name": f.name, "label": f.label, "required": f.required, "example": f.example,
            "help": f.comment, "list": matches!(f.starts_as, schema::StartsAs::List),
        })).collect::<Vec<_>>(),
        "groups": groups(),
        "dates": DATES,
        "vocab": {
            "issuer": vocab(config.map(|c| &c.issuers)),
            "genre": GENRES,
            "form": vocab(config.map(|c| &c.forms)),
            "topics": vocab(config.map(|c| &c.topics)),
            "validity": Validity::ALL,
            "disclosure": Disclosure::ALL,
            "category": Category::ALL,
        },
        "index_number": config.and_then(|c| c.index_number.as_ref()).map(|r| json!({
            "pattern": r.pattern.as_str(), "example": r.example,
        })),
        "numbers": live.numbers_in_use(),
        "notices": notices,
        "limits": { "file_mb": FILE_LIMIT >> 20, "types": drafts::FILE_TYPES },
    })
}

fn groups() -> Vec<Value> {
    let grouped = |name: &str| GROUPS.iter().any(|(_, names)| names.contains(&name));
    let info: Vec<&str> = FIELDS.iter().map(|f| f.name).filter(|n| !grouped(n) && !NOT_IN_FORM.contains(n)).collect();
    std::iter::once(json!({ "title": "文件信息", "fields": info }))
        .chain(GROUPS.iter().map(|(title, names)| json!({ "title": title, "fields": names })))
        .collect()
}

#[derive(Deserialize)]
struct OpenRequest {
    /// The notice file, relative to the site (`content/…/index.md`); none: a new one.
    file: Option<PathBuf>,
}

fn open(desk: &Desk, request: &mut Request) -> Result<Reply, Reply> {
    let asked: OpenRequest = json_body(request)?;
    let (id, draft) = desk.drafts.open(&desk.root, asked.file.as_deref()).map_err(|e| message(400, &e))?;
    let opened = match &draft.original {
        Some(text) => Some(
            form::open(text)
                .map_err(|e| message(422, &format!("the form cannot show this file: {e}; edit it in a text editor")))?,
        ),
        None => None,
    };
    Ok(json(
        200,
        &json!({
            "id": id,
            "file": draft.file,
            "bundle": draft.bundle,
            "form": opened.as_ref().map(|o| &o.form),
            "kept": opened.as_ref().map(|o| &o.kept),
            "files": files_of(&draft),
        }),
    ))
}

fn files_of(draft: &Draft) -> Vec<Value> {
    drafts::list_files(&draft.dir).into_iter().map(|(name, size)| json!({ "name": name, "size": size })).collect()
}

/// A file dropped on the form, kept in the draft; a workbook's sheets as read.
fn add_file(desk: &Desk, request: &mut Request, draft: &Draft, query: &str) -> Result<Reply, Reply> {
    let name = query_value(query, "name").unwrap_or_default();
    let bytes = body(request, FILE_LIMIT)?;
    let name = desk.drafts.add_file(draft, &name, &bytes).map_err(|e| message(400, &e))?;
    let sheets = crate::progress::data::workbook::is_workbook(&name).then(|| {
        match crate::progress::data::workbook::view(&draft.dir.join(&name), &name) {
            Ok(sheets) => json!(sheets.iter().map(|s| json!({
                "name": s.name,
                "rows": s.rows.iter().take(50).map(|(n, cells)| json!({ "row": n, "cells": cells })).collect::<Vec<_>>(),
                "more": s.more + s.rows.len().saturating_sub(50),
            })).collect::<Vec<_>>()),
            Err(e) => json!({ "error": e }),
        }
    });
    Ok(json(200, &json!({ "name": name, "files": files_of(draft), "sheets": sheets })))
}

/// A .docx, .txt, .ofd or .pdf dropped on the form: read by `import` into a
/// scratch site; the fields and body for the clerk to confirm, the files it
/// produced put in the draft. Nothing is written into content/.
fn import(desk: &Desk, request: &mut Request, draft: &Draft, query: &str) -> Result<Reply, Reply> {
    let name = query_value(query, "name").unwrap_or_default();
    let name = drafts::file_name(&name).map_err(|e| message(400, &e))?;
    let bytes = body(request, FILE_LIMIT)?;
    let scratch = draft.content.parent().unwrap_or(&draft.content).join("import");
    let _ = std::fs::remove_dir_all(&scratch);
    let input = scratch.join("in").join(&name);
    let fail = |e: std::io::Error| message(500, &format!("cannot prepare the import: {e}"));
    std::fs::create_dir_all(scratch.join("in")).map_err(fail)?;
    std::fs::create_dir_all(scratch.join("site/content")).map_err(fail)?;
    std::fs::write(&input, &bytes).map_err(fail)?;
    // The site's vocabularies help the recogniser name issuers.
    let _ = std::fs::copy(desk.root.join("content/site.yaml"), scratch.join("site/content/site.yaml"));
    let opts = crate::import::ImportOptions {
        root: scratch.join("site"),
        inputs: vec![input],
        ..crate::import::ImportOptions::default()
    };
    let reports = crate::import::run(&opts).map_err(|e| message(422, &e.to_string()))?;
    let report = reports.into_iter().next().ok_or_else(|| message(422, "nothing imported"))?;
    let Some(out) = report.output.clone() else {
        return Err(message(422, report.skipped.as_deref().unwrap_or("the document could not be read")));
    };
    let out = scratch.join("site").join(out);
    let text = std::fs::read_to_string(&out).map_err(|e| message(500, &e.to_string()))?;
    let opened = form::open(&text).map_err(|e| message(500, &e))?;
    let folder = out.parent().unwrap_or(&scratch);
    for file in &report.files {
        let from = if file.is_absolute() { file.clone() } else { scratch.join("site").join(file) };
        let rel = from
            .strip_prefix(folder)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| from.file_name().map(PathBuf::from).unwrap_or_default());
        if let Ok(b) = std::fs::read(&from) {
            let _ = desk.drafts.add_file(draft, &rel.to_string_lossy(), &b);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(json(
        200,
        &json!({
            "form": opened.form,
            "files": files_of(draft),
            "report": {
                "found": report.found.iter().map(|(f, v)| json!({ "field": f, "label": label(f), "value": v })).collect::<Vec<_>>(),
                "missing": report.missing.iter().map(|f| json!({ "field": f, "label": label(f) })).collect::<Vec<_>>(),
                "damaged": report.damaged.iter().map(|d| json!({ "field": d.field, "label": label(&d.field), "raw": d.raw, "why": d.why })).collect::<Vec<_>>(),
                "dropped": report.dropped.iter().map(|d| json!({ "line": d.line, "text": d.text, "why": d.why })).collect::<Vec<_>>(),
                "remarks": report.remarks,
                "unit": report.unit,
            },
        }),
    ))
}

fn label(field: &str) -> &'static str {
    schema::lookup(field).map_or("", |f| f.label)
}

#[derive(Deserialize)]
struct DraftRequest {
    #[serde(default)]
    form: Form,
    /// Where a new notice goes, under content/.
    #[serde(default)]
    folder: Option<String>,
    /// Write over a file changed on disk (the clerk chose their version).
    #[serde(default)]
    force: bool,
}

/// The draft's file as it would be saved, and the staged source the checks read.
fn stage(desk: &Desk, draft: &Draft, asked: &mut DraftRequest) -> Result<(String, NoticeSource, PathBuf), Reply> {
    normalise(&mut asked.form);
    let text = match &draft.original {
        // The fields the form does not show are kept as the file has them.
        Some(original) => form::edit(original, &asked.form, NOT_IN_FORM).map_err(|e| message(422, &e))?,
        None => form::new_file(&asked.form),
    };
    let staged = draft.dir.join("index.md");
    std::fs::write(&staged, &text).map_err(|e| message(500, &format!("cannot stage the draft: {e}")))?;
    let display = match &draft.file {
        Some(f) => f.clone(),
        None => {
            let folder = asked.folder.as_deref().map(drafts::folder).transpose().map_err(|e| message(400, &e))?;
            PathBuf::from(format!("content/{}/index.md", folder.unwrap_or_else(|| "notices/draft".into())))
        }
    };
    let rel = display.strip_prefix("content").unwrap_or(&display);
    let bundle_dir = rel.parent().unwrap_or(Path::new(""));
    let mut folders: Vec<String> = bundle_dir.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    let (default_slug, base_dir, content_dir, bundle_files) = if draft.bundle {
        let slug = folders.pop().unwrap_or_default();
        let files = drafts::list_files(&draft.dir).into_iter().map(|(n, _)| PathBuf::from(n)).collect();
        (slug, draft.dir.clone(), draft.content.clone(), Some(files))
    } else {
        let slug = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let content = desk.root.join("content");
        (slug, content.join(bundle_dir), content, None)
    };
    let source = NoticeSource { file: staged, display, folders, default_slug, base_dir, bundle_files };
    Ok((text, source, content_dir))
}

/// Dates typed in Chinese become ISO dates; blanks trimmed.
fn normalise(form: &mut Form) {
    for name in DATES {
        if let Some(FieldValue::Text(t)) = form.fields.get_mut(*name)
            && schema::Date::parse(t.trim()).is_err()
            && let Ok(d) = crate::import::dates::parse(t)
        {
            *t = d.to_string();
        }
    }
}

fn check(desk: &Desk, request: &mut Request, draft: &Draft) -> Result<Reply, Reply> {
    let mut asked: DraftRequest = json_body(request)?;
    let (text, source, content_dir) = stage(desk, draft, &mut asked)?;
    let live = desk.live.lock().unwrap_or_else(|e| e.into_inner());
    let replaces = draft.file.as_ref().map(|f| desk.root.join(f));
    let (diags, url) = live.check_draft(&source, &text, &content_dir, replaces.as_deref());
    let year = match asked.form.fields.get("written").or(asked.form.fields.get("published")) {
        Some(FieldValue::Text(t)) => schema::Date::parse(t).ok().map(|d| d.year()),
        _ => None,
    };
    let index_number = year.and_then(|y| live.next_index_number(y));
    Ok(json(
        200,
        &json!({
            "diagnostics": diags.iter().map(shown).collect::<Vec<_>>(),
            "url": url,
            "form": asked.form,
            "file": source.display,
            "proposals": { "index_number": index_number },
        }),
    ))
}

fn save(desk: &Desk, request: &mut Request, id: u64, mut draft: Draft) -> Result<Reply, Reply> {
    let mut asked: DraftRequest = json_body(request)?;
    let (text, source, content_dir) = stage(desk, &draft, &mut asked)?;
    {
        let live = desk.live.lock().unwrap_or_else(|e| e.into_inner());
        let replaces = draft.file.as_ref().map(|f| desk.root.join(f));
        let (diags, _) = live.check_draft(&source, &text, &content_dir, replaces.as_deref());
        if diags.iter().any(Diagnostic::is_error) {
            return Err(json(
                422,
                &json!({ "error": "fix the errors first", "diagnostics": diags.iter().map(shown).collect::<Vec<_>>() }),
            ));
        }
    }
    match drafts::save(&desk.root, &draft, asked.folder.as_deref(), &text, asked.force) {
        Saved::Written(file, version) => {
            draft.file = Some(file.clone());
            draft.version = Some(version);
            draft.original = Some(text);
            desk.drafts.update(id, draft);
            Ok(json(200, &json!({ "file": file, "saved": true })))
        }
        Saved::Conflict(disk) => Err(json(
            409,
            &json!({ "error": "the file changed on disk since the form was opened", "disk": disk, "mine": text }),
        )),
        Saved::Refused(why) => Err(message(400, &why)),
    }
}

#[derive(Deserialize)]
struct PreviewRequest {
    body: String,
}

/// The body through the site's own Markdown renderer and sanitiser.
fn preview(request: &mut Request) -> Result<Reply, Reply> {
    let asked: PreviewRequest = json_body(request)?;
    let html = crate::markdown::render(&asked.body).map(|r| r.html).map_err(|e| message(422, &e.to_string()))?;
    Ok(json(200, &json!({ "html": html })))
}

/// A diagnostic as the form shows it, at its field.
fn shown(d: &Diagnostic) -> Value {
    let field = d.field.as_deref().and_then(schema::lookup).map(|f| f.name).or(d.field.as_deref());
    json!({
        "code": d.code,
        "severity": if d.is_error() { "error" } else { "warning" },
        "field": field,
        "label": field.map(label),
        "line": d.line,
        "message": d.message,
        "found": d.found,
        "expected": d.expected,
        "hint": d.hint,
        "text": d.to_string(),
    })
}
