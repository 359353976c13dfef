//! The static search index: written by every build into `search/`, read by
//! `assets/search.js` in the browser with no server, a few byte ranges a query.
//!
//! Search finds every notice whose text contains the query, as find-in-page
//! would, after folding both sides (see `normalise`). The index says which
//! notices *may* contain it; the browser then checks each candidate it shows
//! against the notice's text and cuts the snippet from it. Eight files:
//!
//! - `index.json`: format, number of notices, the size of the gram table, the
//!   filter values (issuer, year, genre, form, topic, validity) and where each
//!   value's list is in `facets.bin`;
//! - `t2s.txt`: the Traditional → Simplified pairs whose Simplified character
//!   occurs in the site (`normalise::t2s_table`);
//! - `slots.bin`: the gram table, `SLOT` bytes a slot: for every run of one to three
//!   folded characters, where its two lists are in `lists.bin` (`table`);
//! - `lists.bin`: per gram, the notices that contain it anywhere and those that
//!   have it in the title or document number (`postings`, `codec`);
//! - `docs.idx`, `docs.bin`, `blocks.bin`: each notice's record and its text,
//!   every distinct line stored once (`texts`);
//! - `facets.bin`: the notices with each filter value.
//!
//! Notice N is the N-th of `Site::notices`, newest first, so ranking by date is
//! ranking by number. Servers must answer HTTP range requests (every static server
//! does); where one does not, `search.js` reads whole files instead.

pub mod codec;
pub mod normalise;
pub mod postings;
mod table;
mod texts;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Site, facets};
use crate::render::view::{NoticeView, Views};
use crate::routes;
use crate::schema::Date;
use crate::text::store::Stored;
use crate::write::{Output, WriteError};
use postings::Segments;

/// Bumped when a file of the index changes shape; `search.js` checks it.
pub const FORMAT_VERSION: u32 = 2;

/// What search reads of one notice. A match never spans two segments.
pub struct SearchDoc {
    pub url: String,
    pub date: Date,
    pub title: String,
    pub number: String,
    pub issuers: Vec<String>,
    pub index_number: String,
    /// The notice's own (perhaps out of memory): read when needed.
    pub body: Stored,
}

impl SearchDoc {
    /// What search reads of a notice: its view, and the plain text in force.
    pub fn of(view: &NoticeView, plain: Stored) -> SearchDoc {
        SearchDoc {
            url: view.href.clone(),
            date: view.published,
            title: view.title.to_owned(),
            number: view.doc_number.map(|d| d.text.clone()).unwrap_or_default(),
            issuers: view.issuers.iter().map(|i| i.to_string()).collect(),
            index_number: view.index_number.unwrap_or_default().to_owned(),
            body: plain,
        }
    }
}

impl Segments for Arc<SearchDoc> {
    /// Title and document number rank first. The number is also indexed without
    /// 第, so that 国务院令588号 finds 国务院令第588号 (brackets are punctuation).
    fn head(&self) -> Vec<Cow<'_, str>> {
        let mut head = vec![Cow::from(&self.title), Cow::from(&self.number)];
        if self.number.contains('第') {
            head.push(Cow::from(self.number.replace('第', "")));
        }
        head
    }

    fn rest(&self) -> Vec<Cow<'_, str>> {
        self.issuers
            .iter()
            .map(Cow::from)
            .chain([Cow::from(&self.index_number), Cow::from(self.body.get().to_string())])
            .collect()
    }
}

/// A filter's values, each with its notices, as the index writes them.
struct FacetInput {
    key: &'static str,
    values: Vec<(String, Vec<u32>)>,
}

/// Everything the index is made from, owned, so that `serve` can write it on
/// another thread while the next edit is rendered.
pub struct SearchInput {
    pub docs: Vec<Arc<SearchDoc>>,
    facets: Vec<FacetInput>,
    as_of: Option<String>,
}

impl SearchInput {
    /// Every notice of the site, with the text in force on the reference date,
    /// then the standing pages.
    pub fn of(site: &Site, views: &Views) -> SearchInput {
        SearchInput {
            docs: site
                .notices
                .par_iter()
                .enumerate()
                .map(|(i, n)| Arc::new(SearchDoc::of(views.get(i), n.text_as_of(site.reference_date).0.plain.clone())))
                // Standing pages (指南 …) are found too; no filter value holds them.
                .chain(site.pages.par_iter().map(|p| {
                    Arc::new(SearchDoc {
                        url: p.url.href(),
                        date: p.updated,
                        title: p.title.clone(),
                        number: String::new(),
                        issuers: Vec::new(),
                        index_number: String::new(),
                        body: p.text.plain.clone(),
                    })
                }))
                .collect(),
            facets: facets(site)
                .into_iter()
                .map(|f| FacetInput {
                    key: f.key,
                    values: f
                        .values
                        .into_iter()
                        .map(|(name, ids)| (name, ids.iter().map(|i| i.index() as u32).collect()))
                        .collect(),
                })
                .collect(),
            as_of: site.as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        }
    }
}

/// `index.json`.
#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    docs: usize,
    as_of: Option<&'a str>,
    slots: table::Shape,
    /// Per filter, its values with the offset and length of their lists in `facets.bin`.
    facets: serde_json::Map<String, serde_json::Value>,
}

/// Write the whole index of `site`.
pub fn write(site: &Site, views: &Views, out: &Output) -> Result<(), WriteError> {
    write_index(&SearchInput::of(site, views), out, &|| false).map(|_| ())
}

/// Write the index; `Ok(false)` if `cancelled` said stop (checked between steps,
/// before anything is written).
pub fn write_index(
    input: &SearchInput,
    out: &Output,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<bool, WriteError> {
    let total = input.docs.len() as u32;
    let (lists, packed) = rayon::join(|| postings::collect(&input.docs), || texts::pack(&input.docs));
    if cancelled() {
        return Ok(false);
    }
    let (slots, shape, lists) = table::build(lists);
    let (facets, facet_bytes) = facet_lists(&input.facets, total);
    let meta =
        Meta { format: FORMAT_VERSION, docs: input.docs.len(), as_of: input.as_of.as_deref(), slots: shape, facets };
    let mut index = serde_json::to_vec_pretty(&meta).unwrap_or_default();
    index.push(b'\n');
    let present: std::collections::HashSet<u32> = slots.chunks(table::SLOT).filter_map(table::single_char).collect();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("index.json", index),
        ("t2s.txt", normalise::t2s_table(|c| present.contains(&(c as u32))).into_bytes()),
        ("slots.bin", slots),
        ("lists.bin", lists),
        ("docs.idx", packed.index),
        ("docs.bin", packed.records),
        ("blocks.bin", packed.blocks),
        ("facets.bin", facet_bytes),
    ];
    if cancelled() {
        return Ok(false);
    }
    files.par_iter().try_for_each(|(name, bytes)| {
        out.write(&PathBuf::from(routes::SEARCH).join(name), bytes, &|| "the search index".into())
    })?;
    Ok(true)
}

/// The filter values for `index.json`, and their lists one after another.
fn facet_lists(input: &[FacetInput], total: u32) -> (serde_json::Map<String, serde_json::Value>, Vec<u8>) {
    let mut values = serde_json::Map::new();
    let mut bytes = Vec::new();
    for f in input {
        let entries: Vec<serde_json::Value> = f
            .values
            .iter()
            .map(|(name, docs)| {
                let start = bytes.len();
                codec::put_list(&mut bytes, docs, total);
                serde_json::json!([name, start, bytes.len() - start])
            })
            .collect();
        values.insert(f.key.to_owned(), serde_json::Value::Array(entries));
    }
    (values, bytes)
}
