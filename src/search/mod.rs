//! The static search index: written by every build into `search/`, read by
//! `assets/search.js` in the browser with no server, a few byte ranges a query.
//!
//! Search finds every notice whose text contains the query, as find-in-page
//! would, after folding both sides (see `normalise`). The index says which
//! notices *may* contain it; the browser then checks each candidate it shows
//! against the notice's text and cuts the snippet from it. Three files for the
//! whole site:
//!
//! - `index.json`: format, number of documents, the parts (below) with the size
//!   of each one's gram table and which documents it holds, the filter values
//!   (issuer, year, genre, form, topic, validity) and where each value's list is
//!   in `facets.bin`;
//! - `t2s.txt`: the Traditional → Simplified pairs whose Simplified character
//!   occurs in the site (`normalise::t2s_table`);
//! - `facets.bin`: the notices with each filter value;
//!
//! and five for each part, `settled/` and `recent/` (see `SearchInput`):
//!
//! - `slots.bin`: the gram table, `SLOT` bytes a slot: for every run of one to three
//!   folded characters, where its two lists are in `lists.bin` (`table`);
//! - `lists.bin`: per gram, the part's documents that contain it anywhere and
//!   those that have it in the title or document number (`postings`, `codec`);
//! - `docs.idx`, `docs.bin`, `blocks.bin`: each document's record and its text,
//!   every distinct line stored once (`texts`).
//!
//! Document N of the site is the N-th of `Site::notices`, newest first, so ranking
//! by date is ranking by number; the standing pages follow. Within a part documents
//! are numbered from 0 in the part's own order. Servers must answer HTTP range
//! requests (every static server does); where one does not, `search.js` reads
//! whole files instead.

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
pub const FORMAT_VERSION: u32 = 3;

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

/// One part of the index: documents with their own gram table, lists, records and
/// texts, in `search/<name>/`. A part numbers its documents from 0; `runs` says
/// which document of the whole site each one is (see `Part`).
pub struct PartInput {
    name: &'static str,
    docs: Vec<Arc<SearchDoc>>,
    /// The site-wide numbers of `docs`, in order.
    ids: Vec<u32>,
}

/// Everything the index is made from, owned, so that `serve` can write it on
/// another thread while the next edit is rendered.
///
/// Documents are numbered site-wide as `Site::notices` (newest first, so ranking by
/// date is ranking by number), then the standing pages. The index is written in
/// two parts so that a new notice leaves most of it alone, which keeps a year of
/// monthly snapshots small and caches warm:
/// - `settled`: the notices published before 1 January of the reference date's
///   year, oldest first, each with the text it had on 31 December. It changes when
///   one of them is edited without a revision (or withdrawn, or a notice is
///   backdated into it), and once a year.
/// - `recent`: everything else — the notices published since, the settled notices
///   whose text in force has changed since (a revision has taken effect), and the
///   standing pages. The browser takes a document from the last part that has it.
pub struct SearchInput {
    total: usize,
    parts: Vec<PartInput>,
    facets: Vec<FacetInput>,
    as_of: Option<String>,
    since: Date,
}

impl SearchInput {
    /// Every notice of the site, with the text in force on the reference date,
    /// then the standing pages.
    pub fn of(site: &Site, views: &Views) -> SearchInput {
        let since = since(site.reference_date);
        let before = since.0.pred_opt().unwrap_or(since.0);
        // Notices are newest first: the settled ones are the last.
        let first_settled = site.notices.partition_point(|n| n.published >= since);
        let doc = |i: usize, day: chrono::NaiveDate| {
            Arc::new(SearchDoc::of(views.get(i), site.notices[i].text_as_of(day).0.plain.clone()))
        };
        let settled_ids: Vec<u32> = (first_settled..site.notices.len()).rev().map(|i| i as u32).collect();
        let settled = settled_ids.par_iter().map(|&i| doc(i as usize, before)).collect();
        // A settled notice whose text has changed since is searched in `recent`.
        let revised = |i: &usize| {
            let n = &site.notices[*i];
            n.text_as_of(before).1 != n.text_as_of(site.reference_date).1
        };
        let recent_ids: Vec<u32> = (0..first_settled)
            .chain((first_settled..site.notices.len()).filter(revised))
            .map(|i| i as u32)
            .chain((0..site.pages.len()).map(|p| (site.notices.len() + p) as u32))
            .collect();
        let recent = recent_ids
            .par_iter()
            .map(|&i| match (i as usize).checked_sub(site.notices.len()) {
                // Standing pages (指南 …) are found too; no filter value holds them.
                Some(p) => {
                    let p = &site.pages[p];
                    Arc::new(SearchDoc {
                        url: p.url.href(),
                        date: p.updated,
                        title: p.title.clone(),
                        number: String::new(),
                        issuers: Vec::new(),
                        index_number: String::new(),
                        body: p.text.plain.clone(),
                    })
                }
                None => doc(i as usize, site.reference_date),
            })
            .collect();
        SearchInput {
            total: site.notices.len() + site.pages.len(),
            parts: vec![
                PartInput { name: "settled", docs: settled, ids: settled_ids },
                PartInput { name: "recent", docs: recent, ids: recent_ids },
            ],
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
            since,
        }
    }
}

/// The day the recent part starts: 1 January of the reference date's year.
fn since(reference: chrono::NaiveDate) -> Date {
    Date(chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&reference), 1, 1).unwrap_or(reference))
}

/// A part as `index.json` describes it to `search.js`.
#[derive(Serialize)]
struct Part {
    name: &'static str,
    docs: usize,
    slots: table::Shape,
    /// Which site-wide number each of the part's documents has, as runs
    /// `[first, count, step]` (step 1 or -1): the settled part is one run down from
    /// the oldest notice, the recent part a few runs up.
    runs: Vec<[i64; 3]>,
}

/// `ids` as runs of consecutive numbers, rising or falling.
fn runs(ids: &[u32]) -> Vec<[i64; 3]> {
    let mut out: Vec<[i64; 3]> = Vec::new();
    for &id in ids {
        let id = i64::from(id);
        match out.last_mut() {
            Some(r) if r[1] == 1 && (id - r[0]).abs() == 1 => {
                r[2] = id - r[0];
                r[1] = 2;
            }
            Some(r) if r[1] > 1 && id == r[0] + r[1] * r[2] => r[1] += 1,
            _ => out.push([id, 1, 1]),
        }
    }
    out
}

/// `index.json`.
#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    docs: usize,
    as_of: Option<&'a str>,
    /// The first day of the recent part.
    since: String,
    parts: Vec<Part>,
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
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut parts = Vec::new();
    let mut present = std::collections::HashSet::new();
    // One part after the other: the lists of a large site take most of the memory.
    for part in &input.parts {
        let (lists, packed) = rayon::join(|| postings::collect(&part.docs), || texts::pack(&part.docs));
        if cancelled() {
            return Ok(false);
        }
        let (slots, shape, lists) = table::build(lists);
        present.extend(slots.chunks(table::SLOT).filter_map(table::single_char));
        parts.push(Part { name: part.name, docs: part.docs.len(), slots: shape, runs: runs(&part.ids) });
        let dir = PathBuf::from(routes::SEARCH).join(part.name);
        files.extend([
            (dir.join("slots.bin"), slots),
            (dir.join("lists.bin"), lists),
            (dir.join("docs.idx"), packed.index),
            (dir.join("docs.bin"), packed.records),
            (dir.join("blocks.bin"), packed.blocks),
        ]);
    }
    let (facets, facet_bytes) = facet_lists(&input.facets, input.total as u32);
    let meta = Meta {
        format: FORMAT_VERSION,
        docs: input.total,
        as_of: input.as_of.as_deref(),
        since: input.since.to_string(),
        parts,
        facets,
    };
    let mut index = serde_json::to_vec_pretty(&meta).unwrap_or_default();
    index.push(b'\n');
    let dir = PathBuf::from(routes::SEARCH);
    files.extend([
        (dir.join("index.json"), index),
        (dir.join("t2s.txt"), normalise::t2s_table(|c| present.contains(&(c as u32))).into_bytes()),
        (dir.join("facets.bin"), facet_bytes),
    ]);
    if cancelled() {
        return Ok(false);
    }
    files.par_iter().try_for_each(|(path, bytes)| out.write(path, bytes, &|| "the search index".into()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_join_consecutive_numbers_either_way() {
        assert_eq!(runs(&[]), Vec::<[i64; 3]>::new());
        assert_eq!(runs(&[9, 8, 7, 6]), [[9, 4, -1]]);
        assert_eq!(runs(&[0, 1, 2, 7, 12, 13]), [[0, 3, 1], [7, 1, 1], [12, 2, 1]]);
        assert_eq!(runs(&[5]), [[5, 1, 1]]);
        // What search.js does with them: every number back, in order.
        let ids = [3, 4, 5, 9, 2, 1, 0, 20];
        let back: Vec<i64> = runs(&ids).iter().flat_map(|&[f, n, s]| (0..n).map(move |j| f + j * s)).collect();
        assert_eq!(back, ids.map(i64::from));
    }

    #[test]
    fn the_recent_part_starts_on_the_first_of_january() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(since(d("2024-07-31")).0, d("2024-01-01"));
        assert_eq!(since(d("2024-01-01")).0, d("2024-01-01"));
    }
}
