//! The static search index: written by every build into `search/`, read by
//! `assets/search.js` in the browser with no server.
//!
//! Search finds every notice whose text contains the query, as find-in-page
//! would, after folding both sides (see `normalise`). The index says which
//! notices *may* contain it; the browser then checks each candidate it shows
//! against the notice's text and cuts the snippet from it:
//!
//! - `search/index.json`: format, number of notices, number of shards, the filter
//!   values (issuer, year, genre, form, topic, validity);
//! - `search/t2s.txt`: the Traditional → Simplified mapping (`normalise::t2s_table`);
//! - `search/shards/N.bin`: for every run of one to four characters,
//!   the notices that contain it anywhere and those that have it in the title or
//!   document number (`postings`); a query fetches only the shards of its grams;
//! - `search/docs/N.json`: one notice's URL, date, title, number, issuers, index
//!   number and plain text, fetched for the candidates a page of results shows;
//! - `search/facets/KIND/N.bin`: the notices with one filter value.
//!
//! Notice N is the N-th of `Site::notices`, newest first, so ranking by date is
//! ranking by number.

pub mod normalise;
pub mod postings;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::json;

use crate::model::{Site, facets};
use crate::render::view::NoticeView;
use crate::routes;
use crate::schema::Date;
use crate::write::{Output, WriteError};
use postings::{Gram, GramMap, ListBuilder, grams, put_list, put_varint};

/// Bumped when a file of the index changes shape; `search.js` checks it.
pub const FORMAT_VERSION: u32 = 1;

/// Shards are sized so that one holds about this many bytes: small enough that a
/// query of a few terms stays far under 300 KB at 10,000 notices, large enough
/// that a small site is a handful of files.
const SHARD_TARGET: usize = 12 * 1024;

/// What search reads of one notice. A match never spans two segments.
pub struct SearchDoc {
    pub url: String,
    pub date: Date,
    pub title: String,
    pub number: String,
    pub issuers: Vec<String>,
    pub index_number: String,
    pub body: String,
}

impl SearchDoc {
    /// What search reads of a notice: its view, and the plain text in force.
    pub fn of(view: &NoticeView, plain: &str) -> SearchDoc {
        SearchDoc {
            url: view.href.clone(),
            date: view.published,
            title: view.title.to_owned(),
            number: view.doc_number.map(|d| d.text.clone()).unwrap_or_default(),
            issuers: view.issuers.iter().map(|i| i.to_string()).collect(),
            index_number: view.index_number.unwrap_or_default().to_owned(),
            body: plain.to_owned(),
        }
    }

    /// Title and document number rank first. The number is also indexed without
    /// 第, so that 国务院令588号 finds 国务院令第588号 (brackets are punctuation).
    fn head(&self) -> [Cow<'_, str>; 3] {
        [Cow::from(&self.title), Cow::from(&self.number), Cow::from(self.number.replace('第', ""))]
    }

    /// Searched too, ranked after the head.
    fn rest(&self) -> Vec<&str> {
        self.issuers.iter().map(String::as_str).chain([self.index_number.as_str(), self.body.as_str()]).collect()
    }

    fn json(&self) -> String {
        json!({
            "url": self.url, "date": self.date, "title": self.title, "number": self.number,
            "issuers": self.issuers, "index": self.index_number, "body": self.body,
        })
        .to_string()
    }

    /// The distinct grams of the head, and of the whole text.
    fn grams(&self) -> Grams {
        let mut head = Vec::new();
        for seg in self.head() {
            grams(&normalise::normalise(&seg), &mut head);
        }
        let mut all = head.clone();
        for seg in self.rest() {
            grams(&normalise::normalise(seg), &mut all);
        }
        (by_part(head), by_part(all))
    }
}

/// Notices are indexed this many at a time, so that their grams (thousands a
/// notice) never all sit in memory at once.
const CHUNK: usize = 256;

/// Grams are collected into this many maps in parallel, split by hash.
const PARTS: usize = 16;

fn part(g: Gram) -> usize {
    g.hash() as usize % PARTS
}

/// Distinct grams, sorted by the part that collects them so that each part
/// reads one run.
fn by_part(grams: Vec<Gram>) -> Vec<(usize, Gram)> {
    let mut keyed: Vec<(usize, Gram)> = grams.into_iter().map(|g| (part(g), g)).collect();
    keyed.sort_unstable();
    keyed.dedup();
    keyed
}

/// A notice's distinct grams: of its title and number, of its whole text.
type Grams = (Vec<(usize, Gram)>, Vec<(usize, Gram)>);

/// Everything the index is made from, owned, so that `serve` can write it on
/// another thread while the next edit is rendered.
pub struct SearchInput {
    pub docs: Vec<Arc<SearchDoc>>,
    /// Filter values (for `index.json`) and their lists.
    facets: (serde_json::Value, Vec<(PathBuf, Vec<u8>)>),
    as_of: Option<String>,
}

impl SearchInput {
    /// Every notice of the site, with the text in force on the reference date.
    pub fn of(site: &Site, views: &[NoticeView]) -> SearchInput {
        SearchInput {
            docs: site
                .notices
                .par_iter()
                .zip(views)
                .map(|(n, view)| Arc::new(SearchDoc::of(view, &n.text_as_of(site.reference_date).0.rendered.plain)))
                .collect(),
            facets: facet_files(site),
            as_of: site.as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        }
    }
}

/// Write the whole index of `site`.
pub fn write(site: &Site, views: &[NoticeView], out: &Output) -> Result<(), WriteError> {
    write_index(&SearchInput::of(site, views), out, &|| false).map(|_| ())
}

/// Write the index; `Ok(false)` if `cancelled` said stop (checked between
/// chunks of notices, before anything is written).
pub fn write_index(
    input: &SearchInput,
    out: &Output,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<bool, WriteError> {
    let total = input.docs.len();
    let mut texts: Vec<String> = Vec::with_capacity(total);
    let mut parts: Vec<GramMap<[ListBuilder; 2]>> = (0..PARTS).map(|_| GramMap::default()).collect();
    for start in (0..total).step_by(CHUNK) {
        if cancelled() {
            return Ok(false);
        }
        let chunk: Vec<(String, Grams)> =
            input.docs[start..(start + CHUNK).min(total)].par_iter().map(|doc| (doc.json(), doc.grams())).collect();
        // Lists grow in document order, so they stay ascending.
        parts.par_iter_mut().enumerate().for_each(|(p, map)| {
            for (k, (_, (head, all))) in chunk.iter().enumerate() {
                let doc = (start + k) as u32;
                for (which, grams) in [(0, all), (1, head)] {
                    let from = grams.partition_point(|(q, _)| *q < p);
                    for (_, g) in grams[from..].iter().take_while(|(q, _)| *q == p) {
                        map.entry(*g).or_default()[which].push(doc);
                    }
                }
            }
        });
        texts.extend(chunk.into_iter().map(|(text, _)| text));
    }
    let mut entries: Vec<(Gram, Vec<u8>)> = parts
        .into_par_iter()
        .flat_map_iter(|map| map.into_iter())
        .map(|(gram, [all, head])| {
            let mut e = Vec::new();
            let cps: Vec<u32> = gram.code_points().collect();
            put_varint(&mut e, cps.len() as u64);
            for cp in cps {
                put_varint(&mut e, u64::from(cp));
            }
            all.finish(&mut e, total);
            head.finish(&mut e, total);
            (gram, e)
        })
        .collect();
    entries.par_sort_unstable_by_key(|(g, _)| *g);
    let bytes: usize = entries.iter().map(|(_, e)| e.len()).sum();
    let shards = bytes.div_ceil(SHARD_TARGET).max(1).next_power_of_two();
    let mut shard_bytes: Vec<Vec<u8>> = vec![Vec::new(); shards];
    for (gram, e) in &entries {
        shard_bytes[gram.hash() as usize & (shards - 1)].extend_from_slice(e);
    }

    if cancelled() {
        return Ok(false);
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = input.facets.1.clone();
    let meta = json!({
        "format": FORMAT_VERSION,
        "docs": total,
        "shards": shards,
        "as_of": input.as_of,
        "facets": input.facets.0,
    });
    files.push(("index.json".into(), format!("{meta:#}\n").into_bytes()));
    files.push(("t2s.txt".into(), normalise::t2s_table().into_bytes()));
    files.extend(shard_bytes.into_iter().enumerate().map(|(k, b)| (format!("shards/{k}.bin").into(), b)));
    files.extend(texts.into_iter().enumerate().map(|(i, text)| (format!("docs/{i}.json").into(), text.into_bytes())));

    files.par_iter().try_for_each(|(rel, b)| {
        out.write(&PathBuf::from(routes::SEARCH).join(rel), b, &|| "the search index".into())
    })?;
    Ok(true)
}

/// The filter values for `index.json`, and one list of notices per value.
fn facet_files(site: &Site) -> (serde_json::Value, Vec<(PathBuf, Vec<u8>)>) {
    let total = site.notices.len();
    let mut values = serde_json::Map::new();
    let mut files = Vec::new();
    for filter in facets(site) {
        for (k, (_, ids)) in filter.values.iter().enumerate() {
            let docs: Vec<u32> = ids.iter().map(|i| i.index() as u32).collect();
            let mut b = Vec::new();
            put_list(&mut b, &docs, total);
            files.push((PathBuf::from(format!("facets/{}/{k}.bin", filter.key)), b));
        }
        let names: Vec<String> = filter.values.into_iter().map(|(n, _)| n).collect();
        values.insert(filter.key.to_owned(), json!(names));
    }
    (serde_json::Value::Object(values), files)
}
