//! catalogue.json: the machine-readable disclosure catalogue (open data). Every
//! public notice with its URL, all its metadata, its life and its progress data.
//! Each entry is written from the notice's `NoticeView`; `Entry` keeps the shape of
//! the published format, in which related notices appear by URL.
//!
//! Format 2: `catalogue.json` lists the parts; the notices are in one part a
//! quarter (`catalogue/YYYYqN.json`, by date published), and the progress data,
//! assessed as of the reference date, in `catalogue/progress.json`. A part holds
//! nothing of the date, the build or the site's other quarters, so a new notice
//! rewrites one part and the archive's monthly snapshots store the others once.
//! Quarters rather than years: a notice's record changes when it is amended or
//! cited, and a quarter's part is a quarter of the bytes to store again.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::stages::{ConsultationView, WithdrawnView};
use super::view::{AttachmentView, IndicatorView, NoticeView, ProgressView, RelationView, ValidityChangeView, Views};
use crate::model::Site;
use crate::progress::data::Milestone;
use crate::routes;
use crate::schema::{
    Category, Consultation, Date, Disclosure, DocNumber, Form, Genre, Issuer, Relation, Topic, Validity, YearSpan,
};
use crate::write::{Output, WriteError};

/// Bumped when a field changes meaning or is removed (2: the notices in quarterly
/// parts, the progress data in a file of its own).
pub const FORMAT_VERSION: u32 = 2;

/// catalogue.json, the entry point.
#[derive(Serialize)]
struct Catalogue<'v> {
    format_version: u32,
    as_of: Option<String>,
    site: SiteEntry<'v>,
    count: usize,
    /// Newest quarter first.
    parts: Vec<PartRef>,
    progress: FileRef,
    /// The consultations (drafts with their period, 采纳情况 and final document).
    consultations: StageRef,
    /// Notices withdrawn (撤回): what they were and why, without their text.
    withdrawn: StageRef,
}

/// `catalogue/consultations.json` or `catalogue/withdrawn.json` as the entry lists it.
#[derive(Serialize)]
struct StageRef {
    href: &'static str,
    count: usize,
    sha256: String,
}

/// `catalogue/consultations.json` and `catalogue/withdrawn.json`.
#[derive(Serialize)]
struct StagePart<T> {
    format_version: u32,
    count: usize,
    entries: Vec<T>,
}

/// One consultation: its draft and what followed it, by URL.
#[derive(Serialize)]
struct ConsultationEntry<'v> {
    url: String,
    title: &'v str,
    issuers: &'v [Issuer],
    published: Date,
    consultation: &'v Consultation,
    /// On the catalogue's reference date: upcoming, open or closed.
    state: &'static str,
    feedback: Option<String>,
    adopted: Option<String>,
    interpretations: Vec<String>,
}

/// A quarter's part as the entry lists it.
#[derive(Serialize)]
struct PartRef {
    year: i32,
    quarter: u32,
    href: String,
    count: usize,
    sha256: String,
}

/// The progress file as the entry lists it, with the day its data is assessed on.
#[derive(Serialize)]
struct FileRef {
    href: &'static str,
    count: usize,
    sha256: String,
    reference_date: String,
}

/// `catalogue/YYYYqN.json`: the notices published in a quarter, in the order of
/// the site.
#[derive(Serialize)]
struct Part<'v> {
    format_version: u32,
    year: i32,
    quarter: u32,
    count: usize,
    notices: Vec<Entry<'v>>,
}

/// `catalogue/progress.json`: the progress data of every notice that has some,
/// assessed as of the reference date, which the entry states: the file itself
/// changes only when an assessment does, not every day.
#[derive(Serialize)]
struct Progress<'v> {
    format_version: u32,
    count: usize,
    notices: Vec<ProgressEntry<'v>>,
}

/// A notice's progress data: its `ProgressView` but for the reference date, which
/// the entry states once for all of them.
#[derive(Serialize)]
struct ProgressEntry<'v> {
    url: &'v str,
    progress: ProgressData<'v>,
}

#[derive(Serialize)]
struct ProgressData<'v> {
    files: &'v [String],
    contains_sample_data: bool,
    indicators: &'v [IndicatorView<'v>],
    milestones: &'v [Milestone],
}

impl<'v> ProgressData<'v> {
    fn of(p: &'v ProgressView<'v>) -> ProgressData<'v> {
        ProgressData {
            files: p.files,
            contains_sample_data: p.contains_sample_data,
            indicators: &p.indicators,
            milestones: p.milestones,
        }
    }
}

#[derive(Serialize)]
struct SiteEntry<'v> {
    title: &'v str,
    base_url: &'v str,
    language: &'v str,
    organisation: &'v str,
}

/// One notice in the catalogue.
#[derive(Serialize)]
struct Entry<'v> {
    url: &'v str,
    path: &'v str,
    source: &'v str,
    title: &'v str,
    doc_number: Option<&'v DocNumber>,
    index_number: Option<&'v str>,
    issuers: &'v [Issuer],
    genre: Option<&'v Genre>,
    form: Option<&'v Form>,
    topics: &'v [Topic],
    lifecycle: LifecycleEntry<'v>,
    attachments: Vec<AttachmentEntry<'v>>,
    written: Option<Date>,
    published: Date,
    recipients: &'v [String],
    cc: &'v [String],
    printed: Option<&'v str>,
    note: Option<&'v str>,
    period: Option<YearSpan>,
    validity: Option<Validity>,
    disclosure: Disclosure,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration: Option<&'v str>,
    lang: &'v str,
}

#[derive(Serialize)]
struct AttachmentEntry<'v> {
    file: &'v str,
    title: &'v str,
    bytes: u64,
    url: &'v str,
}

#[derive(Serialize)]
struct LifecycleEntry<'v> {
    effective: Option<Date>,
    expires: Option<Date>,
    stated_validity: Option<Validity>,
    validity_changes: &'v [ValidityChangeView],
    validity_decided_by: Option<RelatedEntry<'v>>,
    relations: Vec<RelationEntry<'v>>,
    related_by: Vec<RelatedEntry<'v>>,
    cites: Vec<CiteEntry<'v>>,
    cited_by: Vec<&'v str>,
    revisions: Vec<Date>,
    revision_in_force: Option<Date>,
}

/// This notice's relation to a document, with the notice's URL when the site has it.
#[derive(Serialize)]
struct RelationEntry<'v> {
    relation: Relation,
    doc_number: Option<&'v str>,
    url: Option<&'v str>,
}

/// Another notice's relation to this one.
#[derive(Serialize)]
struct RelatedEntry<'v> {
    relation: Relation,
    url: Option<&'v str>,
}

#[derive(Serialize)]
struct CiteEntry<'v> {
    text: &'v str,
    url: &'v str,
}

impl<'v> From<&'v RelationView<'v>> for RelatedEntry<'v> {
    fn from(r: &'v RelationView<'v>) -> Self {
        RelatedEntry { relation: r.relation, url: r.notice.as_ref().map(|n| n.url.as_str()) }
    }
}

impl<'v> From<&'v AttachmentView<'v>> for AttachmentEntry<'v> {
    fn from(a: &'v AttachmentView<'v>) -> Self {
        AttachmentEntry { file: a.file, title: a.title, bytes: a.bytes, url: &a.url }
    }
}

impl<'v> Entry<'v> {
    fn of(v: &'v NoticeView<'v>) -> Entry<'v> {
        let life = &v.lifecycle;
        Entry {
            url: &v.url,
            path: &v.path,
            source: &v.source,
            title: v.title,
            doc_number: v.doc_number,
            index_number: v.index_number,
            issuers: v.issuers,
            genre: v.genre,
            form: v.form,
            topics: v.topics,
            lifecycle: LifecycleEntry {
                effective: life.effective,
                expires: life.expires,
                stated_validity: life.stated_validity,
                validity_changes: &life.validity_changes,
                validity_decided_by: life.validity_decided_by.as_ref().map(RelatedEntry::from),
                relations: life
                    .relations
                    .iter()
                    .map(|r| RelationEntry {
                        relation: r.relation,
                        doc_number: r.doc_number.map(|d| d.text.as_str()),
                        url: r.notice.as_ref().map(|n| n.url.as_str()),
                    })
                    .collect(),
                related_by: life.related_by.iter().map(RelatedEntry::from).collect(),
                cites: life.cites.iter().map(|c| CiteEntry { text: c.text, url: &c.notice.url }).collect(),
                cited_by: life.cited_by.iter().map(|n| n.url.as_str()).collect(),
                revisions: life.revisions.iter().map(|r| r.date).collect(),
                revision_in_force: life.revision_in_force,
            },
            attachments: v.attachments.iter().map(AttachmentEntry::from).collect(),
            written: v.written,
            published: v.published,
            recipients: v.recipients,
            cc: v.cc,
            printed: v.printed,
            note: v.note,
            period: v.period,
            validity: v.validity,
            disclosure: v.disclosure,
            category: v.category,
            registration: v.registration,
            lang: v.lang,
        }
    }
}

/// Write catalogue.json, its quarterly parts and the progress file: compact, one
/// notice (or part) a line.
pub fn write(site: &Site, views: &Views, out: &Output) -> Result<(), WriteError> {
    let c = &site.config;
    // The site's order is newest first, so a quarter's notices are consecutive;
    // grouped by quarter without assuming it, each part keeps the site's order.
    let mut quarters: BTreeMap<(i32, u32), Vec<Entry>> = BTreeMap::new();
    let mut progress = Vec::new();
    for v in views.all() {
        let quarter = (v.published.year(), chrono::Datelike::month0(&v.published.0) / 3 + 1);
        quarters.entry(quarter).or_default().push(Entry::of(v));
        if let Some(p) = &v.progress {
            progress.push(ProgressEntry { url: &v.url, progress: ProgressData::of(p) });
        }
    }
    let mut parts = Vec::with_capacity(quarters.len());
    for ((year, quarter), notices) in quarters.into_iter().rev() {
        let href = routes::catalogue_part(year, quarter);
        let count = notices.len();
        let text = to_json(&Part { format_version: FORMAT_VERSION, year, quarter, count, notices }, &href)?;
        out.write(Path::new(&href), &text, &|| format!("the catalogue of {year} Q{quarter}"))?;
        parts.push(PartRef { year, quarter, href, count, sha256: sha256(&text) });
    }
    let progress = Progress { format_version: FORMAT_VERSION, count: progress.len(), notices: progress };
    let text = to_json(&progress, routes::CATALOGUE_PROGRESS)?;
    out.write(Path::new(routes::CATALOGUE_PROGRESS), &text, &|| "the catalogue's progress data".into())?;
    let progress = FileRef {
        href: routes::CATALOGUE_PROGRESS,
        count: progress.count,
        sha256: sha256(&text),
        reference_date: site.reference_date.format("%Y-%m-%d").to_string(),
    };
    let consultations = stage_part(out, routes::CATALOGUE_CONSULTATIONS, consultation_entries(site))?;
    let withdrawn: Vec<WithdrawnView> = site.withdrawn.iter().filter_map(|n| WithdrawnView::of(site, n)).collect();
    let withdrawn = stage_part(out, routes::CATALOGUE_WITHDRAWN, withdrawn)?;
    let catalogue = Catalogue {
        format_version: FORMAT_VERSION,
        as_of: site.as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        site: SiteEntry {
            title: &c.title,
            base_url: &c.base_url,
            language: &c.language.tag,
            organisation: &c.organisation,
        },
        count: views.len(),
        parts,
        progress,
        consultations,
        withdrawn,
    };
    let text = to_json(&catalogue, routes::CATALOGUE)?;
    out.write(Path::new(routes::CATALOGUE), &text, &|| "the catalogue".into())
}

fn stage_part<T: Serialize>(out: &Output, href: &'static str, entries: Vec<T>) -> Result<StageRef, WriteError> {
    let count = entries.len();
    let text = to_json(&StagePart { format_version: FORMAT_VERSION, count, entries }, href)?;
    out.write(Path::new(href), &text, &|| format!("the catalogue's part {href}"))?;
    Ok(StageRef { href, count, sha256: sha256(&text) })
}

fn consultation_entries(site: &Site) -> Vec<ConsultationEntry<'_>> {
    let base = &site.config.base_url;
    let url = |id: crate::model::NoticeId| site.get(id).url.url(base);
    site.chains
        .iter()
        .filter_map(|chain| {
            let n = site.get(chain.draft);
            let c = n.stages.consultation.as_ref()?;
            Some(ConsultationEntry {
                url: n.url.url(base),
                title: &n.title,
                issuers: &n.issuers,
                published: n.published,
                consultation: c,
                state: ConsultationView::of(c, site).state,
                feedback: chain.feedback.map(url),
                adopted: chain.adopted.map(url),
                interpretations: chain.interpretations.iter().map(|&i| url(i)).collect(),
            })
        })
        .collect()
}

/// `value` as compact JSON, one value of the top object's arrays a line.
fn to_json(value: &impl Serialize, path: &str) -> Result<Vec<u8>, WriteError> {
    let mut text = Vec::new();
    value
        .serialize(&mut serde_json::Serializer::with_formatter(&mut text, OnePerLine { depth: 0 }))
        .map_err(|e| WriteError::Io { path: path.into(), source: std::io::Error::other(e) })?;
    text.push(b'\n');
    Ok(text)
}

/// The SHA-256 of a file, in hex: the entry names each part's, so a reader who
/// has a part already knows whether it changed without fetching or parsing it.
fn sha256(bytes: &[u8]) -> String {
    crate::text::to_hex(&Sha256::digest(bytes))
}

/// Compact JSON with each notice on a line of its own: two catalogues compare line
/// by line, and the file is a third smaller than pretty-printed.
struct OnePerLine {
    depth: usize,
}

impl serde_json::ser::Formatter for OnePerLine {
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.depth -= 1;
        w.write_all(b"}")
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.depth -= 1;
        w.write_all(if self.depth == 1 { b"\n]" } else { b"]" })
    }

    /// The values of the top object's arrays (`notices`, `parts`) each on a new line.
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.depth == 2 { w.write_all(b"\n") } else { Ok(()) }
    }
}
