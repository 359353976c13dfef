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
//! and five for each part, `settled/` and one a quarter of this year, `2024q1/` … (see `SearchInput`):
//!
//! - `slots.bin`: the gram table, 12 to 18 bytes a slot: for every run of one to three
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

mod cached;
pub mod codec;
pub mod normalise;
pub mod postings;
mod preview;
mod table;
mod texts;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use crate::model::{Site, facets};
use crate::notice::standing::StandingPage;
use crate::render::view::{NoticeView, Views};
use crate::routes;
use crate::schema::Date;
use crate::text::store::Stored;
use crate::write::{Output, WriteError};
use chrono::{Datelike, NaiveDate};
use normalise::composed;
use postings::Segments;
pub use preview::{Base, write_preview};

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
    /// Whether `body` is composed (NFC) already, as almost every text is: found
    /// once, not each of the three times the index reads the text.
    pub nfc: std::sync::OnceLock<bool>,
}

impl SearchDoc {
    /// What search reads of a notice: its view, and the plain text in force.
    pub fn of(view: &NoticeView, plain: Stored) -> SearchDoc {
        SearchDoc {
            url: view.href.clone(),
            date: view.published,
            title: composed(view.title).into_owned(),
            number: view.doc_number.map(|d| composed(&d.text).into_owned()).unwrap_or_default(),
            issuers: view.issuers.iter().map(|i| composed(i.as_str()).into_owned()).collect(),
            index_number: composed(view.index_number.unwrap_or_default()).into_owned(),
            body: plain,
            nfc: std::sync::OnceLock::new(),
        }
    }

    /// The text, composed (NFC) as search compares texts (`normalise`).
    pub fn text(&self) -> std::sync::Arc<str> {
        let body = self.body.get();
        if *self.nfc.get_or_init(|| matches!(composed(&body), Cow::Borrowed(_))) {
            return body;
        }
        composed(&body).into_owned().into()
    }

    /// Everything the index holds of this document, into `h` (the build cache's key).
    pub fn fingerprint(&self, h: &mut xxhash_rust::xxh3::Xxh3) {
        let body = self.body.get();
        let date = self.date.to_string();
        let fields = [self.url.as_str(), &date, &self.title, &self.number, &self.index_number, &body];
        for text in fields.into_iter().chain(self.issuers.iter().map(String::as_str)) {
            h.update(&(text.len() as u64).to_le_bytes());
            h.update(text.as_bytes());
        }
        h.update(&(self.issuers.len() as u64).to_le_bytes());
    }

    /// What search reads of a standing page (指南 …): its title and text; no
    /// filter value holds it.
    pub fn page(page: &StandingPage) -> SearchDoc {
        SearchDoc {
            url: page.url.href(),
            date: page.updated,
            title: composed(&page.title).into_owned(),
            number: String::new(),
            issuers: Vec::new(),
            index_number: String::new(),
            body: page.text.plain.clone(),
            nfc: std::sync::OnceLock::new(),
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
            .chain([Cow::from(&self.index_number), Cow::from(self.text().to_string())])
            .collect()
    }
}

/// A filter's values, each with its notices, as the index writes them.
struct FacetInput {
    key: &'static str,
    values: Vec<(String, Vec<u32>)>,
}

/// One part of the index: documents with their own gram table, lists, records and
/// texts, in `search/<name>/`. A part numbers its documents from 0; `ids` says
/// which document of the whole site each one is.
struct PartInput {
    name: String,
    period: Period,
    docs: Vec<Arc<SearchDoc>>,
    /// The site-wide numbers of `docs`, in order.
    ids: Vec<u32>,
}

/// The days whose changes one part of the index holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Period {
    /// None: from the beginning.
    from: Option<NaiveDate>,
    /// The last day: a document's text in the part is its text in force that day.
    to: NaiveDate,
    /// The period the reference date is in, which also takes anything dated later.
    current: bool,
}

impl Period {
    /// The index's periods for a reference date: everything before 1 January of
    /// its year, then each quarter of that year up to the reference date.
    fn all(reference: NaiveDate) -> Vec<(String, Period)> {
        let year = reference.year();
        let day = |month: u32| NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(reference);
        let mut out = vec![(
            "settled".to_owned(),
            Period { from: None, to: day(1).pred_opt().unwrap_or(reference), current: false },
        )];
        for q in 0..4 {
            let from = day(3 * q + 1);
            if from > reference {
                break;
            }
            let end = if q == 3 { NaiveDate::from_ymd_opt(year, 12, 31) } else { day(3 * q + 4).pred_opt() };
            let to = end.unwrap_or(reference).min(reference);
            out.push((format!("{year}q{}", q + 1), Period { from: Some(from), to, current: to == reference }));
        }
        out
    }

    /// Whether the part holds a document last changed on `changed` (published,
    /// a revision taking effect, a standing page updated).
    fn holds(self, changed: NaiveDate) -> bool {
        self.from.is_none_or(|from| changed >= from) && (self.current || changed <= self.to)
    }
}

/// When the text of `notice` in force at the end of `day` was published or took
/// effect.
fn changed(notice: &crate::notice::Notice, day: NaiveDate) -> NaiveDate {
    notice.text_as_of(day).1.map_or(notice.published, |r| r.max(notice.published)).0
}

/// Everything the index is made from, owned, so that `serve` can write it on
/// another thread while the next edit is rendered.
///
/// Documents are numbered site-wide as `Site::notices` (newest first, so ranking by
/// date is ranking by number), then the standing pages. The index is written in
/// parts, by period, so that a new notice leaves most of it alone, which keeps a
/// year of monthly snapshots small and caches warm (`Period::all`):
/// - `settled`: the notices published before 1 January of the reference date's
///   year, each with the text it had on 31 December. It changes when one of them
///   is edited without a revision (or withdrawn, or a notice is backdated into
///   it), and once a year.
/// - one part a quarter of that year (`2024q1` …): the notices published in the
///   quarter, and the older ones whose text in force changed in it (a revision took
///   effect), each with its text at the quarter's end. A past quarter's part never
///   changes; only the current quarter's does.
///
/// Standing pages go by the day they were updated, as notices by the day they were
/// published.
///
/// A document may be in several parts (a notice revised this year); the browser
/// takes it from the last, the one with its text in force.
pub struct SearchInput {
    total: usize,
    parts: Vec<PartInput>,
    facets: Vec<FacetInput>,
    as_of: Option<String>,
}

impl SearchInput {
    /// Every notice of the site, with the text in force on the reference date,
    /// then the standing pages.
    pub fn of(site: &Site, views: &Views) -> SearchInput {
        let notices = site.notices.len();
        let parts = Period::all(site.reference_date)
            .into_iter()
            .map(|(name, period)| {
                let ids: Vec<u32> = (0..notices)
                    .filter(|&i| period.holds(changed(&site.notices[i], period.to)))
                    .chain(
                        (0..site.pages.len()).filter(|&p| period.holds(site.pages[p].updated.0)).map(|p| notices + p),
                    )
                    .map(|i| i as u32)
                    .collect();
                let docs = ids
                    .par_iter()
                    .map(|&i| match (i as usize).checked_sub(notices) {
                        Some(p) => Arc::new(SearchDoc::page(&site.pages[p])),
                        None => {
                            let text = site.notices[i as usize].text_as_of(period.to).0;
                            Arc::new(SearchDoc::of(views.get(i as usize), text.plain.clone()))
                        }
                    })
                    .collect();
                PartInput { name, period, docs, ids }
            })
            .filter(|p| !p.ids.is_empty())
            .collect();
        SearchInput {
            total: notices + site.pages.len(),
            parts,
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

/// A part as `index.json` describes it to `search.js`.
#[derive(Clone, Serialize, Deserialize)]
struct Part {
    name: String,
    /// The period whose changes it holds (`from` absent: from the beginning).
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    to: String,
    docs: usize,
    slots: table::Shape,
    /// Which site-wide number each of the part's documents has, as runs
    /// `[first, count, step]` (step 1 or -1).
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
    parts: &'a [Part],
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
    let mut present = HashSet::new();
    // One part after the other: the lists of a large site take most of the memory.
    for part in &input.parts {
        let built = build_part(part, input.total);
        if cancelled() {
            return Ok(false);
        }
        parts.push(built.meta);
        files.extend(built.files);
        present.extend(built.present);
    }
    write_with(input, &parts, files, &|c| present.contains(&(c as u32)), out, cancelled)
}

/// A part built: how `index.json` describes it, its five files, and the single
/// characters its gram table has (for `t2s.txt`).
struct BuiltPart {
    meta: Part,
    files: [(PathBuf, Vec<u8>); 5],
    present: HashSet<u32>,
}

fn build_part(part: &PartInput, total: usize) -> BuiltPart {
    let cached::Built { slots, shape, lists, packed } = cached::part(&part.docs, total);
    let present = slots.chunks(shape.slot).filter_map(table::single_char).collect();
    let meta = Part {
        name: part.name.clone(),
        from: part.period.from.map(|d| d.to_string()),
        to: part.period.to.to_string(),
        docs: part.docs.len(),
        slots: shape,
        runs: runs(&part.ids),
    };
    let dir = PathBuf::from(routes::SEARCH).join(&part.name);
    let files = [
        (dir.join("slots.bin"), slots),
        (dir.join("lists.bin"), lists),
        (dir.join("docs.idx"), packed.index),
        (dir.join("docs.bin"), packed.records),
        (dir.join("blocks.bin"), packed.blocks),
    ];
    BuiltPart { meta, files, present }
}

/// Write `files` (the parts' own) with the files of the whole index that describe
/// `parts`: `index.json`, `t2s.txt` (for the characters `present` says occur) and
/// `facets.bin`.
fn write_with(
    input: &SearchInput,
    parts: &[Part],
    mut files: Vec<(PathBuf, Vec<u8>)>,
    present: &(dyn Fn(char) -> bool + Sync),
    out: &Output,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<bool, WriteError> {
    let (facets, facet_bytes) = facet_lists(&input.facets, input.total as u32);
    let meta = Meta { format: FORMAT_VERSION, docs: input.total, as_of: input.as_of.as_deref(), parts, facets };
    let mut index = serde_json::to_vec_pretty(&meta).unwrap_or_default();
    index.push(b'\n');
    let dir = PathBuf::from(routes::SEARCH);
    files.extend([
        (dir.join("index.json"), index),
        (dir.join("t2s.txt"), normalise::t2s_table(present).into_bytes()),
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
    fn periods_are_the_years_before_then_each_quarter_up_to_the_reference_date() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let p = |from: Option<&str>, to: &str, current| Period { from: from.map(d), to: d(to), current };
        let names = |all: &[(String, Period)]| all.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        let all = Period::all(d("2024-08-31"));
        assert_eq!(names(&all), ["settled", "2024q1", "2024q2", "2024q3"]);
        assert_eq!(all[0].1, p(None, "2023-12-31", false));
        assert_eq!(all[2].1, p(Some("2024-04-01"), "2024-06-30", false));
        assert_eq!(all[3].1, p(Some("2024-07-01"), "2024-08-31", true));
        // On a quarter's last day it is complete: the same part as in later months.
        let end = Period::all(d("2024-06-30"));
        assert_eq!(end[2].1, p(Some("2024-04-01"), "2024-06-30", true));
        assert_eq!(names(&Period::all(d("2024-01-01"))), ["settled", "2024q1"]);
        assert_eq!(Period::all(d("2024-12-31"))[4].1, p(Some("2024-10-01"), "2024-12-31", true));
    }
}
