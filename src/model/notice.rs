//! A notice as the site knows it: typed fields read from the front matter, with
//! a diagnostic for every field that is missing, misspelt or malformed.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::config::SiteConfig;
use crate::content::frontmatter::{Parsed, RawField, describe, scalar_text};
use crate::content::{NoticeSource, resolve_attachment};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::fields::{Date, Disclosure, DocNumber, FieldError, Script, Topic, Validity, YearSpan};
use crate::progress::data::{self as progress_data, ProgressData};

/// Front-matter fields: canonical English name, Chinese aliases, and the label
/// shown in messages. Clerks write Chinese, so the aliases are first-class.
pub const FIELDS: &[(&str, &[&str], &str)] = &[
    ("title", &["标题"], "标题"),
    ("doc_number", &["发文字号"], "发文字号"),
    ("index_number", &["索引号"], "索引号"),
    ("issuer", &["发文机关"], "发文机关"),
    ("genre", &["文种"], "文种"),
    ("form", &["体裁"], "体裁"),
    ("topics", &["主题分类", "topic"], "主题分类"),
    ("written", &["成文日期"], "成文日期"),
    ("published", &["发布日期"], "发布日期"),
    ("recipients", &["主送机关"], "主送机关"),
    ("cc", &["抄送机关"], "抄送机关"),
    ("printed", &["印发机关和印发日期"], "印发机关和印发日期"),
    ("note", &["附注"], "附注"),
    ("period", &["实施期限"], "实施期限"),
    ("validity", &["有效性"], "有效性"),
    ("disclosure", &["公开属性"], "公开属性"),
    ("classification", &["密级"], "密级"),
    ("attachments", &["附件"], "附件"),
    ("data", &["数据文件"], "数据文件"),
    ("effective", &["生效日期"], "生效日期"),
    ("expires", &["失效日期"], "失效日期"),
    ("validity_changes", &["有效性变更"], "有效性变更"),
    ("amends", &["修改"], "修改"),
    ("supersedes", &["替代"], "替代"),
    ("repeals", &["废止文件"], "废止文件"),
    ("interprets", &["解读"], "解读"),
    ("slug", &[], "slug"),
    ("lang", &["语言"], "语言"),
];

/// Document genres and forms may be written in Traditional script; they are
/// matched against the site's (Simplified) vocabulary after folding.
fn fold_script(s: &str) -> String {
    fast2s::convert(s)
}

#[derive(Debug, Clone)]
pub struct Attachment {
    /// Path relative to the notice's folder, with `/` separators.
    pub file: String,
    pub title: String,
    /// Absolute path of the source file.
    pub source: PathBuf,
    pub bytes: u64,
}

/// One notice, validated.
#[derive(Debug, Clone)]
pub struct Notice {
    pub source: NoticeSource,
    /// URL path segments (unencoded), e.g. ["notices", "tongyu-plan"].
    pub url_segments: Vec<String>,
    pub title: String,
    pub doc_number: Option<DocNumber>,
    pub index_number: Option<String>,
    pub issuers: Vec<String>,
    pub genre: Option<String>,
    pub form: Option<String>,
    pub topics: Vec<Topic>,
    pub written: Option<Date>,
    pub published: Date,
    pub recipients: Vec<String>,
    pub cc: Vec<String>,
    pub printed: Option<String>,
    pub note: Option<String>,
    pub period: Option<YearSpan>,
    pub validity: Option<Validity>,
    pub disclosure: Disclosure,
    pub script: Script,
    pub attachments: Vec<Attachment>,
    /// Targets, reported values and milestones from the notice's data files.
    pub progress: Option<ProgressData>,
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    /// Validity from a date on (有效 → 废止 on 2021-01-01), sorted by date.
    pub validity_changes: Vec<(Date, Validity)>,
    /// Relations to other documents, by their document numbers.
    pub relations: Vec<(Relation, DocNumber)>,
    /// Dated revisions of the text (`revisions/YYYY-MM-DD.md` in a bundle), sorted.
    pub revisions: Vec<Revision>,
    pub body: String,
    pub body_line: usize,
    /// Lines of fields, for cross-notice diagnostics (duplicate doc numbers …).
    pub field_lines: Vec<(&'static str, usize, usize)>,
}

impl Notice {
    pub fn display(&self) -> &Path {
        &self.source.display
    }

    pub fn field_position(&self, field: &str) -> (usize, Option<usize>) {
        self.field_lines.iter().find(|(f, _, _)| *f == field).map_or((1, None), |&(_, l, c)| (l, Some(c)))
    }
}

/// How a notice relates to another document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Amends,
    Supersedes,
    Repeals,
    Interprets,
}

impl Relation {
    pub const ALL: [Relation; 4] = [Relation::Amends, Relation::Supersedes, Relation::Repeals, Relation::Interprets];

    pub fn field(self) -> &'static str {
        match self {
            Relation::Amends => "amends",
            Relation::Supersedes => "supersedes",
            Relation::Repeals => "repeals",
            Relation::Interprets => "interprets",
        }
    }

    /// "This notice … that one".
    pub fn label(self) -> &'static str {
        match self {
            Relation::Amends => "修改",
            Relation::Supersedes => "替代",
            Relation::Repeals => "废止",
            Relation::Interprets => "解读",
        }
    }

    /// "That notice was … by this one".
    pub fn inverse_label(self) -> &'static str {
        match self {
            Relation::Amends => "被修改",
            Relation::Supersedes => "被替代",
            Relation::Repeals => "被废止",
            Relation::Interprets => "被解读",
        }
    }
}

/// A dated version of a notice's text, in force from its date.
#[derive(Debug, Clone)]
pub struct Revision {
    pub date: Date,
    /// Path relative to the bundle, e.g. `revisions/2019-06-01.md`.
    pub file: String,
    pub body: String,
}

impl Notice {
    /// The text in force at the end of `date`, and the revision date it comes from
    /// (None: the text as first published).
    pub fn body_as_of(&self, date: chrono::NaiveDate) -> (&str, Option<Date>) {
        match self.revisions.iter().rev().find(|r| r.date.0 <= date) {
            Some(r) => (&r.body, Some(r.date)),
            None => (&self.body, None),
        }
    }

    /// Validity at the end of `date` from this notice's own fields: the stated
    /// validity, then dated changes, then expiry.
    pub fn own_validity_as_of(&self, date: chrono::NaiveDate) -> Option<Validity> {
        let mut v = self.validity;
        if let Some((_, changed)) = self.validity_changes.iter().rev().find(|(d, _)| d.0 <= date) {
            v = Some(*changed);
        }
        if self.expires.is_some_and(|e| e.0 < date) && !matches!(v, Some(Validity::Repealed)) {
            v = Some(Validity::Expired);
        }
        v
    }
}

/// What became of one file.
pub enum Loaded {
    Notice(Box<Notice>),
    /// Not 主动公开: left out of every page (path, the disclosure value).
    Withheld(PathBuf, Disclosure),
    /// Errors were reported.
    Failed,
}

struct Reader<'a> {
    source: &'a NoticeSource,
    text: &'a str,
    fields: Vec<(&'static str, RawField)>,
    diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn error_at(&self, field: &RawField, canonical: &str, err: FieldError) -> Diagnostic {
        let mut d = Diagnostic::error(&self.source.display, format!("{}: {}", label(canonical), err.message))
            .at(field.line, Some(field.column))
            .field(canonical)
            .found(found_text(&field.value))
            .expected(err.expected)
            .with_source(self.text);
        if let Some(h) = err.hint {
            d = d.hint(h);
        }
        d
    }

    fn get(&self, name: &str) -> Option<&RawField> {
        self.fields.iter().find(|(c, _)| *c == name).map(|(_, f)| f)
    }

    /// A text field; numbers are taken as text, empty values as absent.
    fn text(&mut self, name: &'static str) -> Option<String> {
        let field = self.get(name)?.clone();
        match &field.value {
            Value::Null => None,
            v => match scalar_text(v) {
                Some(s) if s.trim().is_empty() => None,
                Some(s) => Some(s.trim().to_owned()),
                None => {
                    let e = FieldError {
                        message: "expected text".into(),
                        expected: "a single line of text".into(),
                        hint: None,
                    };
                    let d = self.error_at(&field, name, e);
                    self.diags.push(d);
                    None
                }
            },
        }
    }

    /// A field that may be one value or a list of values.
    fn list(&mut self, name: &'static str) -> Vec<String> {
        let Some(field) = self.get(name).cloned() else { return Vec::new() };
        let items: Vec<&Value> = match &field.value {
            Value::Null => return Vec::new(),
            Value::Sequence(seq) => seq.iter().collect(),
            v => vec![v],
        };
        let mut out = Vec::new();
        for item in items {
            match scalar_text(item) {
                Some(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
                Some(_) => {}
                None => {
                    let e = FieldError {
                        message: "list item is not text".into(),
                        expected: "text, or a list of texts (`- …` lines)".into(),
                        hint: None,
                    };
                    let d = self.error_at(&field, name, e);
                    self.diags.push(d);
                }
            }
        }
        out
    }

    fn parsed<T>(&mut self, name: &'static str, parse: impl Fn(&str) -> Result<T, FieldError>) -> Option<T> {
        let text = self.text(name)?;
        let field = self.get(name)?.clone();
        match parse(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                let d = self.error_at(&field, name, e);
                self.diags.push(d);
                None
            }
        }
    }

    fn missing(&mut self, name: &'static str, example: &str) {
        self.diags.push(
            Diagnostic::error(&self.source.display, format!("missing required field `{name}` ({})", label(name)))
                .at(1, Some(1))
                .field(name)
                .expected(format!("a line `{name}: {example}` in the front matter"))
                .with_source(self.text),
        );
    }

    fn warn(&mut self, name: &'static str, message: String, found: String, expected: String, hint: Option<String>) {
        let Some(field) = self.get(name).cloned() else { return };
        let mut d = Diagnostic::warning(&self.source.display, message)
            .at(field.line, Some(field.column))
            .field(name)
            .found(found)
            .expected(expected)
            .with_source(self.text);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.diags.push(d);
    }
}

fn label(canonical: &str) -> &'static str {
    FIELDS.iter().find(|(c, _, _)| *c == canonical).map_or("", |(_, _, l)| l)
}

fn found_text(v: &Value) -> String {
    scalar_text(v).unwrap_or_else(|| describe(v))
}

/// Read and check one notice. Diagnostics are returned whatever the outcome.
pub fn load_notice(
    source: &NoticeSource,
    text: &str,
    parsed: Parsed,
    config: &SiteConfig,
    content_dir: &Path,
) -> (Loaded, Vec<Diagnostic>) {
    let mut r = Reader { source, text, fields: Vec::new(), diags: Vec::new() };

    // Map every key to its canonical name; unknown keys get a did-you-mean.
    for field in parsed.fields {
        let canonical = FIELDS.iter().find(|(c, aliases, _)| *c == field.key || aliases.contains(&field.key.as_str()));
        match canonical {
            Some((c, _, _)) => {
                if let Some((_, first)) = r.fields.iter().find(|(x, _)| x == c) {
                    r.diags.push(
                        Diagnostic::error(&source.display, format!("field `{c}` is given twice"))
                            .at(field.line, Some(1))
                            .field(*c)
                            .found(format!("`{}` here and `{}` on line {}", field.key, first.key, first.line))
                            .expected("each field once (the Chinese name is an alias of the English one)")
                            .with_source(text),
                    );
                } else {
                    r.fields.push((c, field));
                }
            }
            None => {
                let names = FIELDS.iter().flat_map(|(c, a, _)| std::iter::once(*c).chain(a.iter().copied()));
                let mut d = Diagnostic::warning(&source.display, format!("unknown field `{}` is ignored", field.key))
                    .at(field.line, Some(1))
                    .field(field.key.clone())
                    .expected("one of the fields listed in the README (title, doc_number, issuer, published …)")
                    .with_source(text);
                if let Some(m) = did_you_mean(&field.key, names) {
                    d = d.hint(format!("did you mean `{m}`?"));
                }
                r.diags.push(d);
            }
        }
    }

    // A classified document in the public folder is an incident: stop the build.
    if let Some(class) = r.text("classification")
        && class != "非涉密"
    {
        let field = r.get("classification").cloned();
        let mut d =
            Diagnostic::error(&source.display, format!("classified document ({class}) in the public content folder"))
                .field("classification")
                .found(class)
                .expected("no classification, or 非涉密; classified documents must never be published")
                .hint("remove this file from content/ at once and report it under your security rules");
        if let Some(f) = field {
            d = d.at(f.line, Some(f.column)).with_source(text);
        }
        r.diags.push(d);
        return (Loaded::Failed, r.diags);
    }

    let disclosure = r.parsed("disclosure", Disclosure::parse).unwrap_or(Disclosure::Proactive);
    let title = r.text("title");
    if title.is_none() {
        r.missing("title", "关于……的通知");
    }
    let issuers = r.list("issuer");
    if issuers.is_empty() {
        r.missing("issuer", "通榆县人民政府办公室");
    }
    let published = r.parsed("published", Date::parse);
    if r.get("published").is_none_or(|f| scalar_text(&f.value).is_none_or(|s| s.trim().is_empty())) {
        r.missing("published", "2018-09-03");
    }
    let written = r.parsed("written", Date::parse);
    let doc_number = r.parsed("doc_number", DocNumber::parse);
    let index_number = r.text("index_number");
    let period = r.parsed("period", YearSpan::parse);
    let validity = r.parsed("validity", Validity::parse);
    let effective = r.parsed("effective", Date::parse);
    let expires = r.parsed("expires", Date::parse);
    let validity_changes = read_validity_changes(&mut r);
    let mut relations = Vec::new();
    for relation in Relation::ALL {
        for text in r.list(relation.field()) {
            match DocNumber::parse(&text) {
                Ok(n) => relations.push((relation, n)),
                Err(e) => {
                    if let Some(f) = r.get(relation.field()).cloned() {
                        let mut d = r.error_at(&f, relation.field(), e);
                        d.found = Some(text);
                        r.diags.push(d);
                    }
                }
            }
        }
    }
    let topics: Vec<Topic> = {
        let raw = r.list("topics");
        let mut out = Vec::new();
        for t in raw {
            match Topic::parse(&t) {
                Ok(topic) => out.push(topic),
                Err(e) => {
                    if let Some(f) = r.get("topics").cloned() {
                        let d = r.error_at(&f, "topics", e);
                        r.diags.push(d);
                    }
                }
            }
        }
        out
    };
    let genre = r.text("genre");
    let form = r.text("form");
    let recipients = r.list("recipients");
    let cc = r.list("cc");
    let printed = r.text("printed");
    let note = r.text("note");
    let slug = r.text("slug");
    let lang = r.parsed("lang", Script::parse);

    // Checks against the site's vocabulary.
    let genre = genre.and_then(|g| {
        let folded = fold_script(&g);
        if let Some(known) = config.genres.iter().find(|k| **k == g || **k == folded) {
            return Some(known.clone());
        }
        let field = r.get("genre").cloned()?;
        let mut e = FieldError {
            message: "not one of the 15 kinds of official document (文种)".into(),
            expected: format!("one of {}", config.genres.join(" ")),
            hint: None,
        };
        if let Some(m) = did_you_mean(&folded, config.genres.iter().map(String::as_str)) {
            e.hint = Some(format!("did you mean `{m}`?"));
        } else if config.forms.contains(&folded) {
            e.hint = Some(format!("`{g}` is a form (体裁): write it as `form: {g}` and give the genre, usually 通知"));
        }
        let d = r.error_at(&field, "genre", e);
        r.diags.push(d);
        None
    });
    let form = form.map(|f| {
        let folded = fold_script(&f);
        match config.forms.iter().find(|k| **k == f || **k == folded) {
            Some(known) => known.clone(),
            None => {
                if !config.forms.is_empty() {
                    r.warn(
                        "form",
                        "form (体裁) is not in the site's list".into(),
                        f.clone(),
                        format!("one of {}", config.forms.join(" ")),
                        None,
                    );
                }
                f
            }
        }
    });
    if !config.issuers.is_empty() {
        for issuer in &issuers {
            if !config.issuers.contains(issuer) {
                let hint = did_you_mean(issuer, config.issuers.iter().map(String::as_str))
                    .map(|m| format!("did you mean `{m}`?"));
                r.warn(
                    "issuer",
                    "issuer is not in the site's list of issuers".into(),
                    issuer.clone(),
                    "a name listed under `issuers:` in content/site.yaml".into(),
                    hint.or_else(|| Some("add it to site.yaml if it is a new issuer".into())),
                );
            }
        }
    }
    if !config.topics.is_empty() {
        for topic in &topics {
            let name = topic.name();
            if !config.topics.contains(&name) && !config.topics.iter().any(|t| t.starts_with(&format!("{name}\\"))) {
                r.warn(
                    "topics",
                    "topic is not in the site's vocabulary".into(),
                    name,
                    format!("one of {}", config.topics.join(", ")),
                    None,
                );
            }
        }
    }
    if let (Some(index), Some(rule)) = (&index_number, &config.index_number)
        && !rule.pattern.is_match(index)
        && let Some(field) = r.get("index_number").cloned()
    {
        let expected = match &rule.example {
            Some(ex) => format!("the site's index-number shape, e.g. {ex} (pattern {})", rule.pattern.as_str()),
            None => format!("a value matching {}", rule.pattern.as_str()),
        };
        let e = FieldError { message: "index number does not match the site's pattern".into(), expected, hint: None };
        let d = r.error_at(&field, "index_number", e);
        r.diags.push(d);
    }
    if let (Some(w), Some(p)) = (written, published)
        && p < w
        && let Some(field) = r.get("published").cloned()
    {
        let e = FieldError {
            message: format!("published before written ({w})"),
            expected: format!("a date on or after the written date {w}"),
            hint: Some("check both dates: a notice is published after it is signed".into()),
        };
        let d = r.error_at(&field, "published", e);
        r.diags.push(d);
    }
    if let (Some(n), Some(w)) = (&doc_number, written)
        && n.year != w.year()
    {
        r.warn(
            "doc_number",
            format!("document number year {} differs from the written date's year {}", n.year, w.year()),
            n.text.clone(),
            format!("a number from {} (written {w})", w.year()),
            Some("numbers are usually taken in the year the document is signed; check both fields".into()),
        );
    }
    if let Some(offset) = crate::render::markdown::too_deep(&parsed.body) {
        let line = parsed.body_line + parsed.body[..offset].matches('\n').count();
        r.diags.push(
            Diagnostic::error(&source.display, "text nested too deeply")
                .at(line, None)
                .found(format!(
                    "quotes, lists or HTML tags nested more than {} levels",
                    crate::render::markdown::MAX_DEPTH
                ))
                .expected("the text of a notice: headings, paragraphs, lists and tables")
                .hint("check for a damaged or generated file"),
        );
    }
    if parsed.body.trim().is_empty() {
        r.diags.push(
            Diagnostic::warning(&source.display, "notice has no text")
                .at(parsed.body_line, None)
                .expected("the text of the notice after the closing `---`"),
        );
    }

    let url_segments = {
        let mut segs = source.folders.clone();
        let slug_value = slug.clone().unwrap_or_else(|| source.default_slug.clone());
        if let Some(s) = &slug
            && (s.contains(['/', '\\', '?', '#']) || s == "." || s == ".." || s.chars().any(char::is_control))
            && let Some(field) = r.get("slug").cloned()
        {
            let e = FieldError {
                message: "slug cannot be used in a URL".into(),
                expected: "a single URL segment: letters, digits, `-`; no `/`, `?`, `#`".into(),
                hint: None,
            };
            let d = r.error_at(&field, "slug", e);
            r.diags.push(d);
        }
        segs.push(slug_value);
        segs
    };

    let revisions = read_revisions(&mut r, source);
    let mut attachments = read_attachments(&mut r, source, content_dir);
    let progress = read_data_files(&mut r, source, content_dir);
    // Data files are published for download whether or not they are listed as attachments.
    for file in progress.iter().flat_map(|p| &p.files) {
        if !attachments.iter().any(|a| a.file == *file) {
            let abs = source.base_dir.join(file);
            let bytes = std::fs::metadata(&abs).map(|m| m.len()).unwrap_or(0);
            attachments.push(Attachment { title: file_name(file), file: file.clone(), source: abs, bytes });
        }
    }

    if r.diags.iter().any(Diagnostic::is_error) {
        return (Loaded::Failed, r.diags);
    }
    if disclosure != Disclosure::Proactive {
        return (Loaded::Withheld(source.display.clone(), disclosure), r.diags);
    }
    let (Some(title), Some(published)) = (title, published) else {
        return (Loaded::Failed, r.diags);
    };
    let script = lang.unwrap_or_else(|| Script::detect(&format!("{title}\n{}", parsed.body)));
    let field_lines = r.fields.iter().map(|(c, f)| (*c, f.line, f.column)).collect();
    let notice = Notice {
        source: source.clone(),
        url_segments,
        title,
        doc_number,
        index_number,
        issuers,
        genre,
        form,
        topics,
        written,
        published,
        recipients,
        cc,
        printed,
        note,
        period,
        validity,
        disclosure,
        script,
        attachments,
        progress,
        effective,
        expires,
        validity_changes,
        relations,
        revisions,
        body: parsed.body,
        body_line: parsed.body_line,
        field_lines,
    };
    (Loaded::Notice(Box::new(notice)), r.diags)
}

/// Declared attachments (in their order, with titles), then any other file of a
/// bundle (sorted, titled by file name).
fn read_attachments(r: &mut Reader, source: &NoticeSource, content_dir: &Path) -> Vec<Attachment> {
    let mut out: Vec<Attachment> = Vec::new();
    if let Some(field) = r.get("attachments").cloned() {
        let items: Vec<Value> = match &field.value {
            Value::Null => Vec::new(),
            Value::Sequence(s) => s.clone(),
            v => vec![v.clone()],
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
                let e = FieldError {
                    message: "attachment without a file".into(),
                    expected: "`- file: name.pdf` with an optional `title: …`".into(),
                    hint: None,
                };
                let d = r.error_at(&field, "attachments", e);
                r.diags.push(d);
                continue;
            };
            match resolve_attachment(&source.base_dir, content_dir, &file) {
                Ok(abs) => {
                    let bytes = std::fs::metadata(&abs).map(|m| m.len()).unwrap_or(0);
                    let file = file.trim_start_matches("./").to_owned();
                    out.push(Attachment { title: title.unwrap_or_else(|| file_name(&file)), file, source: abs, bytes });
                }
                Err(err) => {
                    let e = FieldError {
                        message: err.message().into(),
                        expected: "a file inside the notice's own folder, written relative to it (e.g. `data.csv`)"
                            .into(),
                        hint: None,
                    };
                    let mut d = r.error_at(&field, "attachments", e);
                    d.found = Some(file.clone());
                    r.diags.push(d);
                }
            }
        }
    }
    if let Some(files) = &source.bundle_files {
        for rel in files {
            let file = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            // Revisions are versions of the text, not attachments.
            if out.iter().any(|a| a.file == file) || is_revision(&file) {
                continue;
            }
            let abs = source.base_dir.join(rel);
            let bytes = std::fs::metadata(&abs).map(|m| m.len()).unwrap_or(0);
            out.push(Attachment { title: file_name(&file), file, source: abs, bytes });
        }
    }
    out
}

/// The data files named in `data:`, checked like attachments, then read.
fn read_data_files(r: &mut Reader, source: &NoticeSource, content_dir: &Path) -> Option<ProgressData> {
    let names = r.list("data");
    if names.is_empty() {
        return None;
    }
    let field = r.get("data").cloned()?;
    let mut files = Vec::new();
    for name in names {
        match resolve_attachment(&source.base_dir, content_dir, &name) {
            Ok(abs) => {
                let display = source.display.parent().unwrap_or(Path::new("")).join(&name);
                files.push((name.trim_start_matches("./").to_owned(), abs, display));
            }
            Err(err) => {
                let message = match err {
                    crate::content::AttachmentError::Missing => "data file named in the front matter does not exist",
                    other => other.message(),
                };
                let e = FieldError {
                    message: message.into(),
                    expected: "a .yaml or .csv file in the notice's own folder, e.g. `data: [progress.yaml]`".into(),
                    hint: None,
                };
                let mut d = r.error_at(&field, "data", e);
                d.found = Some(name);
                r.diags.push(d);
            }
        }
    }
    let (data, diags) = progress_data::load(&files);
    r.diags.extend(diags);
    data
}

fn is_revision(file: &str) -> bool {
    file.starts_with("revisions/") && file.ends_with(".md")
}

/// `revisions/YYYY-MM-DD.md` files of a bundle: each the full text in force from
/// that date.
fn read_revisions(r: &mut Reader, source: &NoticeSource) -> Vec<Revision> {
    let mut out = Vec::new();
    for rel in source.bundle_files.iter().flatten() {
        let file = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if !is_revision(&file) {
            continue;
        }
        let display = source.display.parent().unwrap_or(Path::new("")).join(&file);
        let stem = file.trim_start_matches("revisions/").trim_end_matches(".md");
        let date = match Date::parse(stem) {
            Ok(d) => d,
            Err(e) => {
                r.diags.push(
                    Diagnostic::error(&display, "revision file is not named by its date")
                        .found(stem.to_owned())
                        .expected(format!("revisions/YYYY-MM-DD.md, the date the text takes effect ({})", e.message)),
                );
                continue;
            }
        };
        let bytes = std::fs::read(source.base_dir.join(rel)).unwrap_or_default();
        match crate::content::encoding::decode(&bytes, &display) {
            Ok(body) => out.push(Revision { date, file, body }),
            Err(d) => r.diags.push(d),
        }
    }
    out.sort_by_key(|rev| rev.date);
    out
}

/// `validity_changes: [{date: 2021-01-01, validity: 废止}]`.
fn read_validity_changes(r: &mut Reader) -> Vec<(Date, Validity)> {
    let Some(field) = r.get("validity_changes").cloned() else { return Vec::new() };
    let items = match &field.value {
        Value::Sequence(s) => s.clone(),
        Value::Null => return Vec::new(),
        other => vec![other.clone()],
    };
    let mut out = Vec::new();
    for item in items {
        let date = item.get("date").or_else(|| item.get("日期")).and_then(scalar_text);
        let validity = item.get("validity").or_else(|| item.get("有效性")).and_then(scalar_text);
        match (date.as_deref().map(Date::parse), validity.as_deref().map(Validity::parse)) {
            (Some(Ok(d)), Some(Ok(v))) => out.push((d, v)),
            (Some(Err(e)), _) | (_, Some(Err(e))) => {
                let d = r.error_at(&field, "validity_changes", e);
                r.diags.push(d);
            }
            _ => {
                let e = FieldError {
                    message: "validity change without a date or a validity".into(),
                    expected: "`- {date: 2021-01-01, validity: 废止}`".into(),
                    hint: None,
                };
                let d = r.error_at(&field, "validity_changes", e);
                r.diags.push(d);
            }
        }
    }
    out.sort_by_key(|(d, _)| *d);
    out
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}
