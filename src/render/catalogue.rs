//! catalogue.json: the machine-readable disclosure catalogue (open data). Every
//! public notice with its URL, all its metadata, its life and its progress data.
//! Each entry is written from the notice's `NoticeView`; `Entry` keeps the shape of
//! the published format (version 1), in which related notices appear by URL.

use std::path::Path;

use serde::Serialize;

use super::view::{AttachmentView, NoticeView, ProgressView, RelationView, ValidityChangeView, Views};
use crate::model::Site;
use crate::routes;
use crate::schema::{Category, Date, Disclosure, DocNumber, Form, Genre, Issuer, Relation, Topic, Validity, YearSpan};
use crate::write::{Output, WriteError};

/// Bumped when a field changes meaning or is removed.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Catalogue<'v> {
    format_version: u32,
    as_of: Option<String>,
    site: SiteEntry<'v>,
    count: usize,
    notices: Vec<Entry<'v>>,
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
    progress: Option<&'v ProgressView<'v>>,
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
            progress: v.progress.as_ref(),
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
                        doc_number: r.doc_number,
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

/// Write catalogue.json: compact, one notice a line.
pub fn write(site: &Site, views: &Views, out: &Output) -> Result<(), WriteError> {
    let c = &site.config;
    let catalogue = Catalogue {
        format_version: FORMAT_VERSION,
        as_of: site.as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        site: SiteEntry {
            title: &c.title,
            base_url: &c.base_url,
            language: &c.language,
            organisation: &c.organisation,
        },
        count: views.len(),
        notices: views.all().map(Entry::of).collect(),
    };
    let mut text = Vec::new();
    catalogue
        .serialize(&mut serde_json::Serializer::with_formatter(&mut text, OnePerLine { depth: 0 }))
        .map_err(|e| WriteError::Io { path: routes::CATALOGUE.into(), source: std::io::Error::other(e) })?;
    text.push(b'\n');
    out.write(Path::new(routes::CATALOGUE), &text, &|| "the catalogue".into())
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

    /// The values of the top object's arrays (`notices`) each on a new line.
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.depth == 2 { w.write_all(b"\n") } else { Ok(()) }
    }
}
