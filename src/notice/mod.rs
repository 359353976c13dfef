//! Stage 2, validate: a notice as the site knows it. The front matter's fields are
//! read into typed values (`reader`), checked against the site's vocabularies
//! (`vocabulary`), its files found (`files`: attachments, data files, revisions),
//! and its text parsed once (`Text`) — with a diagnostic for every field that is
//! missing, misspelt or malformed.

pub mod citations;
mod files;
mod reader;
pub mod stages;
pub mod standing;
mod vocabulary;

use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::NoticeSource;
use crate::content::frontmatter::Parsed;
use crate::diagnostics::{Code, Diagnostic};
use crate::progress::data::ProgressData;
use crate::report::ReportData;
use crate::routes::PagePath;
use crate::schema::{
    Category, Date, Disclosure, DocNumber, FieldError, Form, Genre, Issuer, Relation, Script, Topic, Validity, YearSpan,
};
use crate::text::store::{Stored, TextStore};
use citations::Citations;

pub use reader::FieldPosition;

/// One notice, validated.
#[derive(Debug, Clone)]
pub struct Notice {
    pub source: NoticeSource,
    /// Where its page is: the folders under content/ and the file name or `slug`.
    pub url: PagePath,
    pub title: String,
    pub doc_number: Option<DocNumber>,
    pub index_number: Option<String>,
    pub issuers: Vec<Issuer>,
    pub genre: Option<Genre>,
    pub form: Option<Form>,
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
    /// 规章 or 行政规范性文件, counted by annual reports.
    pub category: Option<Category>,
    /// The 登记号 of a 行政规范性文件.
    pub registration: Option<String>,
    /// The numbers of a 政府信息公开工作年度报告 that the catalogue cannot know.
    pub annual_report: Option<ReportData>,
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    /// Validity from a date on (有效 → 废止 on 2021-01-01), sorted by date.
    pub validity_changes: Vec<ValidityChange>,
    /// Relations to other documents, by their document numbers.
    pub relations: Vec<RelationTo>,
    /// The text as first published.
    pub text: Text,
    /// Dated revisions of the text (`revisions/YYYY-MM-DD.md` in a bundle), sorted.
    pub revisions: Vec<Revision>,
    /// Where each field was written, for diagnostics that compare notices.
    pub positions: Vec<FieldPosition>,
    /// Consultation (a draft's, or the draft a document reports on or came from)
    /// and withdrawal.
    pub stages: stages::Stages,
}

/// One version of a notice's text: the Markdown as written, parsed once into
/// the HTML of the page and the plain text search reads (each kept in a
/// `TextStore`, out of memory on a large site).
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub markdown: Stored,
    /// Line of the file the Markdown starts on.
    pub first_line: usize,
    pub html: Stored,
    pub plain: Stored,
    /// Its headings (small: kept in memory).
    pub headings: Vec<crate::markdown::Heading>,
    /// What the text cites.
    pub cites: Citations,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    /// Path relative to the notice's folder, with `/` separators.
    pub file: String,
    pub title: String,
    /// Absolute path of the source file.
    pub source: PathBuf,
    pub bytes: u64,
    /// A progress data file not declared as an attachment: copied beside the
    /// page, linked from the progress section, not listed as 附件.
    pub data: bool,
}

/// A dated version of a notice's text, in force from its date.
#[derive(Debug, Clone)]
pub struct Revision {
    pub date: Date,
    /// Path relative to the bundle, e.g. `revisions/2019-06-01.md`.
    pub file: String,
    pub text: Text,
}

/// `validity_changes`: the validity from a date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidityChange {
    pub date: Date,
    pub validity: Validity,
}

/// This notice amends, supersedes, repeals or interprets the document `number`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationTo {
    pub relation: Relation,
    pub number: DocNumber,
}

impl Notice {
    pub fn display(&self) -> &Path {
        &self.source.display
    }

    /// Line and column of a field, for diagnostics (line 1 when not given).
    pub fn field_position(&self, field: &str) -> (usize, Option<usize>) {
        self.positions.iter().find(|p| p.field == field).map_or((1, None), |p| (p.line, Some(p.column)))
    }

    /// A draft for comment (征求意见稿).
    pub fn is_draft(&self) -> bool {
        self.stages.consultation.is_some()
    }

    /// Whether the notice is withdrawn at the end of `date`.
    pub fn withdrawn_on(&self, date: chrono::NaiveDate) -> bool {
        self.stages.withdrawn.as_ref().is_some_and(|w| w.holds_on(date))
    }

    /// The day the document was issued: its 成文日期, or when it has none, the day
    /// it was published.
    pub fn issued_on(&self) -> chrono::NaiveDate {
        self.written.unwrap_or(self.published).0
    }

    /// The text in force at the end of `date`, and the revision date it comes from
    /// (None: the text as first published).
    pub fn text_as_of(&self, date: chrono::NaiveDate) -> (&Text, Option<Date>) {
        match self.revisions.iter().rev().find(|r| r.date.0 <= date) {
            Some(r) => (&r.text, Some(r.date)),
            None => (&self.text, None),
        }
    }

    /// Validity at the end of `date` from this notice's own fields: the stated
    /// validity, then dated changes, then expiry.
    pub fn own_validity_as_of(&self, date: chrono::NaiveDate) -> Option<Validity> {
        let mut v = self.validity;
        if let Some(change) = self.validity_changes.iter().rev().find(|c| c.date.0 <= date) {
            v = Some(change.validity);
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
    /// Not 主动公开: left out of every page.
    Withheld(Withheld),
    /// Errors were reported.
    Failed,
}

/// A file left out of the site because it is not 主动公开.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withheld {
    pub display: PathBuf,
    pub disclosure: Disclosure,
}

/// Read and check one notice. Diagnostics are returned whatever the outcome.
pub fn load(
    source: &NoticeSource,
    file_text: &str,
    parsed: Parsed,
    config: &SiteConfig,
    content_dir: &Path,
    texts: &TextStore,
) -> (Loaded, Vec<Diagnostic>) {
    let mut r = reader::Reader::new(source, file_text, parsed.fields, texts);
    // A classified document in the public folder is an incident: stop at once.
    if classified(&mut r) {
        return (Loaded::Failed, r.diags);
    }
    let disclosure = r.parsed("disclosure", Disclosure::parse).unwrap_or(Disclosure::Proactive);
    let fields = read_fields(&mut r, config);
    let stages = stages::read(&mut r);
    let url = url_of(&mut r, source, fields.slug.as_deref());
    let text = files::body(&mut r, parsed.body, parsed.body_line);
    let revisions = files::revisions(&mut r);
    files::check_revision_dates(&mut r, &revisions, fields.written.or(fields.published));
    let (mut attachments, progress) = files::attachments_and_data(&mut r, content_dir);
    let annual_report = files::annual_report(&mut r, content_dir, &mut attachments);
    if let (Some(report), Some(published)) = (&annual_report, fields.published)
        && report.year >= published.year()
    {
        // A year is reported on once it is over (by 31 January or 31 March after).
        r.error(
            "annual_report",
            FieldError::new(
                format!("a report on {} published on {published}, before that year was over", report.year),
                format!("a report on a year before {}, or a later 发布日期", published.year()),
            )
            .code(Code::AnnualReport),
        );
    }

    if r.has_errors() {
        return (Loaded::Failed, r.diags);
    }
    if disclosure != Disclosure::Proactive {
        return (Loaded::Withheld(Withheld { display: source.display.clone(), disclosure }), r.diags);
    }
    let (Some(title), Some(published), Some(text)) = (fields.title, fields.published, text) else {
        return (Loaded::Failed, r.diags);
    };
    let script = fields.lang.unwrap_or_else(|| Script::detect(&format!("{title}\n{}", text.markdown.get())));
    let notice = Notice {
        source: source.clone(),
        url,
        title,
        doc_number: fields.doc_number,
        index_number: fields.index_number,
        issuers: fields.issuers,
        genre: fields.genre,
        form: fields.form,
        topics: fields.topics,
        written: fields.written,
        published,
        recipients: fields.recipients,
        cc: fields.cc,
        printed: fields.printed,
        note: fields.note,
        period: fields.period,
        validity: fields.validity,
        disclosure,
        script,
        attachments,
        progress,
        category: fields.category,
        registration: fields.registration,
        annual_report,
        effective: fields.effective,
        expires: fields.expires,
        validity_changes: fields.validity_changes,
        relations: fields.relations,
        text,
        revisions,
        positions: r.positions(),
        stages,
    };
    (Loaded::Notice(Box::new(notice)), r.diags)
}

/// Whether the notice is marked classified (an error is reported).
fn classified(r: &mut reader::Reader) -> bool {
    let Some(class) = r.text("classification").filter(|c| c != "非涉密") else { return false };
    let (line, column) = r.get("classification").map_or((1, 1), |f| (f.line, f.column));
    let d = Diagnostic::new(
        Code::Classified,
        &r.source.display,
        format!("classified document ({class}) in the public content folder"),
    )
    .field("classification")
    .found(class)
    .expected("no classification, or 非涉密; classified documents must never be published")
    .hint("remove this file from content/ at once and report it under your security rules");
    r.push_at(d, line, Some(column));
    true
}

/// The front matter's values, typed; `None` where missing or malformed (and said).
struct Fields {
    title: Option<String>,
    doc_number: Option<DocNumber>,
    index_number: Option<String>,
    issuers: Vec<Issuer>,
    genre: Option<Genre>,
    form: Option<Form>,
    topics: Vec<Topic>,
    written: Option<Date>,
    published: Option<Date>,
    recipients: Vec<String>,
    cc: Vec<String>,
    printed: Option<String>,
    note: Option<String>,
    period: Option<YearSpan>,
    validity: Option<Validity>,
    effective: Option<Date>,
    expires: Option<Date>,
    validity_changes: Vec<ValidityChange>,
    relations: Vec<RelationTo>,
    slug: Option<String>,
    lang: Option<Script>,
    category: Option<Category>,
    registration: Option<String>,
}

fn read_fields(r: &mut reader::Reader, config: &SiteConfig) -> Fields {
    let title = r.text("title");
    if title.is_none() {
        r.missing("title");
    }
    let issuers = r.list("issuer");
    if issuers.is_empty() {
        r.missing("issuer");
    }
    let published = r.parsed("published", Date::parse);
    if !r.has_value("published") {
        r.missing("published");
    }
    let written = r.parsed("written", Date::parse);
    let doc_number = r.parsed("doc_number", DocNumber::parse);
    let index_number = r.text("index_number");
    let period = r.parsed("period", YearSpan::parse);
    let validity = r.parsed("validity", Validity::parse);
    let effective = r.parsed("effective", Date::parse);
    let expires = r.parsed("expires", Date::parse);
    let validity_changes = validity_changes(r);
    let mut relations = Vec::new();
    for relation in Relation::ALL {
        let numbers = r.parsed_list(relation.field(), DocNumber::parse);
        relations.extend(numbers.into_iter().map(|number| RelationTo { relation, number }));
    }
    let topics = r.parsed_list("topics", Topic::parse);
    let category = r.parsed("category", Category::parse_alias);
    let registration = r.text("registration");
    if registration.is_some() && !r.has_value("category") {
        // The annual report counts a document by its category: a 登记号 alone
        // would leave it out without a word.
        r.error(
            "registration",
            FieldError::new(
                "a 登记号 without the category of the document it registers",
                "`category: 行政规范性文件` beside `registration:`",
            )
            .code(Code::Registration),
        );
    }
    if category == Some(Category::Normative) && registration.is_none() {
        r.warn(
            "category",
            "a 行政规范性文件 without its 登记号".into(),
            "文件类别: 行政规范性文件, no `registration:`".into(),
            "`registration: …` (登记号), the number the document was registered under".into(),
            Some(
                "行政规范性文件 are registered and numbered uniformly; the number is part of what is disclosed".into(),
            ),
        );
    }
    let fields = Fields {
        category,
        registration,
        genre: r.text("genre").and_then(|g| vocabulary::genre(r, config, &g)),
        form: r.text("form").map(|f| vocabulary::form(r, config, &f)),
        title,
        doc_number,
        index_number,
        issuers: issuers.into_iter().map(Issuer::new).collect(),
        topics,
        written,
        published,
        recipients: r.list("recipients"),
        cc: r.list("cc"),
        printed: r.text("printed"),
        note: r.text("note"),
        period,
        validity,
        effective,
        expires,
        validity_changes,
        relations,
        slug: r.text("slug"),
        lang: r.parsed("lang", Script::parse),
    };
    vocabulary::check(r, config, &fields);
    fields
}

/// `validity_changes: [{date: 2021-01-01, validity: 废止}]`.
fn validity_changes(r: &mut reader::Reader) -> Vec<ValidityChange> {
    use crate::content::frontmatter::scalar_text;
    let Some(value) = r.get("validity_changes").map(|f| f.value.clone()) else { return Vec::new() };
    let items = match value {
        serde_yaml::Value::Sequence(s) => s,
        serde_yaml::Value::Null => return Vec::new(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for item in items {
        let date = item.get("date").or_else(|| item.get("日期")).and_then(scalar_text);
        let validity = item.get("validity").or_else(|| item.get("有效性")).and_then(scalar_text);
        match (date.as_deref().map(Date::parse), validity.as_deref().map(Validity::parse)) {
            (Some(Ok(date)), Some(Ok(validity))) => out.push(ValidityChange { date, validity }),
            (Some(Err(e)), _) | (_, Some(Err(e))) => r.error("validity_changes", e),
            _ => r.error(
                "validity_changes",
                FieldError::new(
                    "validity change without a date or a validity",
                    "`- {date: 2021-01-01, validity: 废止}`",
                ),
            ),
        }
    }
    out.sort_by_key(|c| c.date);
    out
}

/// The page's URL: the folders under content/, then the slug (or the file name).
fn url_of(r: &mut reader::Reader, source: &NoticeSource, slug: Option<&str>) -> PagePath {
    if let Some(s) = slug
        && (s.contains(['/', '\\', '?', '#']) || s == "." || s == ".." || s.chars().any(char::is_control))
    {
        r.error(
            "slug",
            FieldError::new(
                "slug cannot be used in a URL",
                "a single URL segment: letters, digits, `-`; no `/`, `?`, `#`",
            ),
        );
    }
    let last = slug.map_or_else(|| source.default_slug.clone(), str::to_owned);
    PagePath::new(source.folders.iter().cloned().chain([last]))
}
