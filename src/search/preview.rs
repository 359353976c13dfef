//! The preview's index after an edit: the index last written whole (the base),
//! and one small part more, `preview/`, with the documents whose text or record
//! changed since.
//!
//! `search.js` reads each document from the last part that holds it and takes
//! only that part's lists for it, so an edited notice's old text in the large
//! parts is neither matched nor shown, and its new text is found through the
//! small part: at 10,000 notices the index follows an edit in a fraction of a
//! second where writing it whole takes seconds. This holds while the same
//! documents keep the same numbers in the same parts; when a notice is added,
//! removed or moves in the order, `write_preview` says so and `serve` writes the
//! whole index again, which becomes the new base. `build` never does this: its
//! index is always written whole.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::{Part, PartInput, SearchDoc, SearchInput, build_part, write_with};
use crate::routes;
use crate::write::{Output, WriteError};

/// The name of the part of edits; never a period's (`settled`, `2024q1` …).
const PREVIEW: &str = "preview";

/// What the preview keeps of the index it last wrote whole.
pub struct Base {
    total: usize,
    parts: Vec<BasePart>,
    /// The Simplified characters of its `t2s.txt`.
    simplified: HashSet<char>,
}

struct BasePart {
    meta: Part,
    ids: Vec<u32>,
    /// Each document's `SearchDoc::fingerprint`, in the part's order.
    prints: Vec<u128>,
}

fn print(doc: &SearchDoc) -> u128 {
    let mut h = Xxh3::new();
    doc.fingerprint(&mut h);
    h.digest128()
}

impl Base {
    /// The index just written whole from `input` into the output folder `out`,
    /// read back (`index.json`, `t2s.txt`); `None` if it is not there or is not
    /// the index of `input`.
    pub fn read(input: &SearchInput, out: &Path) -> Option<Base> {
        #[derive(serde::Deserialize)]
        struct Written {
            docs: usize,
            parts: Vec<Part>,
        }
        let dir = out.join(routes::SEARCH);
        let written: Written = serde_json::from_slice(&std::fs::read(dir.join("index.json")).ok()?).ok()?;
        let t2s = std::fs::read_to_string(dir.join("t2s.txt")).ok()?;
        let fits = written.docs == input.total
            && written.parts.len() == input.parts.len()
            && written.parts.iter().zip(&input.parts).all(|(w, p)| w.name == p.name && w.docs == p.docs.len());
        if !fits {
            return None;
        }
        let parts = written
            .parts
            .into_iter()
            .zip(&input.parts)
            .map(|(meta, p)| BasePart {
                meta,
                ids: p.ids.clone(),
                prints: p.docs.par_iter().map(|d| print(d)).collect(),
            })
            .collect();
        Some(Base { total: input.total, parts, simplified: t2s.chars().skip(1).step_by(2).collect() })
    }
}

/// Write the index of `input` as `base` and a part of the documents that differ
/// from it. `Ok(None)`: `input` does not keep `base`'s documents and numbers,
/// nothing was written, and the index must be written whole; `Ok(Some(false))`:
/// `cancelled` said stop before anything was written.
pub fn write_preview(
    base: &Base,
    input: &SearchInput,
    out: &Output,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Option<bool>, WriteError> {
    let same_numbers = base.total == input.total
        && base.parts.len() == input.parts.len()
        && base.parts.iter().zip(&input.parts).all(|(b, p)| b.meta.name == p.name && b.ids == p.ids);
    if !same_numbers {
        return Ok(None);
    }
    // Each document as its last part holds it (the one search.js reads), against
    // what that part held in the base.
    let mut last: BTreeMap<u32, (&Arc<SearchDoc>, u128)> = BTreeMap::new();
    for (b, p) in base.parts.iter().zip(&input.parts) {
        for ((id, doc), was) in p.ids.iter().zip(&p.docs).zip(&b.prints) {
            last.insert(*id, (doc, *was));
        }
    }
    let changed: Vec<(u32, Arc<SearchDoc>)> = last
        .into_par_iter()
        .filter(|(_, (doc, was))| print(doc) != *was)
        .map(|(id, (doc, _))| (id, doc.clone()))
        .collect();
    if cancelled() {
        return Ok(Some(false));
    }
    let mut parts: Vec<Part> = base.parts.iter().map(|b| b.meta.clone()).collect();
    let mut files = Vec::new();
    let mut present = HashSet::new();
    if !changed.is_empty() {
        let (ids, docs) = changed.into_iter().unzip();
        let period = input.parts.last().map(|p| p.period).expect("an index with documents has a part");
        let built = build_part(&PartInput { name: PREVIEW.to_owned(), period, docs, ids }, input.total);
        parts.push(built.meta);
        files.extend(built.files);
        present = built.present;
    }
    let present = |c: char| base.simplified.contains(&c) || present.contains(&(c as u32));
    write_with(input, &parts, files, &present, out, cancelled).map(Some)
}
