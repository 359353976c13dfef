//! What search shows and checks of each notice: a record with its URL, date, title,
//! number, issuers and index number, and its text — stored once and compressed.
//!
//! The text is a notice's plain text, one line per block of the page. A line that
//! recurs (standard wording, headings, issuer names) is stored once, among the
//! common lines; the rest of a notice's text is stored in one piece. Both go in
//! `blocks.bin`, in the order they are met, cut into blocks of about `BLOCK`
//! bytes, each compressed on its own with raw deflate (the browser's
//! `DecompressionStream('deflate-raw')` opens it). A record lists its lines as
//! (block, start, length) within the block's text, so a notice's text is rebuilt
//! from the few blocks it uses — fetched by byte range, each only once per page.
//!
//! `docs.bin` holds the records one after another; `docs.idx` the offset of each,
//! as little-endian u32 (one more than there are notices, the last the end).
//! A record: LEB128-prefixed UTF-8 strings url, date, title, number, index number;
//! the number of issuers and each issuer; the number of blocks the text uses and
//! each one's offset and length in `blocks.bin`; the number of lines and each
//! line's block (among those), start and length in the block's text — all LEB128.

use std::collections::HashMap;
use std::io::Write;

use rayon::prelude::*;

use super::SearchDoc;
use super::codec::put_varint;

/// Bytes of text per compressed block: small enough that a notice's text costs
/// little more than itself, large enough to compress well.
const BLOCK: usize = 12 * 1024;

/// The files that hold the records and the texts.
pub struct Packed {
    pub records: Vec<u8>,
    pub index: Vec<u8>,
    pub blocks: Vec<u8>,
}

/// Where a stored line is.
#[derive(Clone, Copy)]
struct Line {
    block: u32,
    start: u32,
    len: u32,
}

fn lines_of(doc: &SearchDoc) -> Vec<&str> {
    if doc.body.is_empty() { Vec::new() } else { doc.body.split('\n').collect() }
}

/// A line met in at least this share of the notices (and at least twice) is
/// common: standard wording, headings, issuer names. Common lines are stored once,
/// the most frequent first, so a few blocks hold the lines most notices use and are
/// soon in the reader's cache. Any other line is stored with the rest of its
/// notice's text, so a notice's own text is in one or two blocks: a line in only a
/// few notices costs more to fetch from elsewhere than to store again.
const COMMON_PER_MILLE: usize = 2;

pub fn pack(docs: &[std::sync::Arc<SearchDoc>]) -> Packed {
    let mut counts: HashMap<&str, (u32, u32), xxhash_rust::xxh3::Xxh3Builder> = HashMap::default();
    for doc in docs {
        for line in lines_of(doc) {
            let met = counts.len() as u32;
            counts.entry(line).or_insert((0, met)).0 += 1;
        }
    }
    let least = (docs.len() * COMMON_PER_MILLE / 1000).max(2) as u32;
    let mut frequent: Vec<(&str, (u32, u32))> = counts.into_iter().filter(|(_, (n, _))| *n >= least).collect();
    frequent.sort_unstable_by_key(|(_, (n, met))| (std::cmp::Reverse(*n), *met));
    let mut common_blocks: Vec<Vec<u8>> = vec![Vec::new()];
    let common: HashMap<&str, Line, xxhash_rust::xxh3::Xxh3Builder> =
        frequent.into_iter().map(|(text, _)| (text, store(&mut common_blocks, text))).collect();
    // The other lines into blocks, in the order notices are numbered.
    let mut own_blocks: Vec<Vec<u8>> = vec![Vec::new()];
    let texts: Vec<Vec<(bool, Line)>> = docs
        .iter()
        .map(|doc| {
            let lines = lines_of(doc);
            // A notice's own text starts a new block rather than straddle two.
            let own: usize = lines.iter().filter(|l| !common.contains_key(*l)).map(|l| l.len()).sum();
            if own_blocks.last().is_some_and(|b| !b.is_empty() && b.len() + own > BLOCK) {
                own_blocks.push(Vec::new());
            }
            lines
                .into_iter()
                .map(|text| match common.get(text) {
                    Some(line) => (true, *line),
                    None => (false, store(&mut own_blocks, text)),
                })
                .collect()
        })
        .collect();
    // Common blocks first (none if there is no common line), then the notices' own.
    common_blocks.retain(|b| !b.is_empty());
    let first_own = common_blocks.len() as u32;
    let texts: Vec<Vec<Line>> = texts
        .into_iter()
        .map(|lines| {
            lines
                .into_iter()
                .map(|(is_common, l)| if is_common { l } else { Line { block: l.block + first_own, ..l } })
                .collect()
        })
        .collect();
    common_blocks.append(&mut own_blocks);
    let compressed: Vec<Vec<u8>> = common_blocks.par_iter().map(|b| deflate(b)).collect();
    let mut blocks = Vec::new();
    let mut block_ranges = Vec::new();
    for c in compressed {
        block_ranges.push((blocks.len() as u64, c.len() as u32));
        blocks.extend_from_slice(&c);
    }
    let mut records = Vec::new();
    let mut index = Vec::with_capacity((docs.len() + 1) * 4);
    for (doc, lines) in docs.iter().zip(&texts) {
        index.extend_from_slice(&(records.len() as u32).to_le_bytes());
        record(&mut records, doc, lines, &block_ranges);
    }
    index.extend_from_slice(&(records.len() as u32).to_le_bytes());
    Packed { records, index, blocks }
}

fn record(out: &mut Vec<u8>, doc: &SearchDoc, lines: &[Line], block_ranges: &[(u64, u32)]) {
    for s in [doc.url.as_str(), &doc.date.to_string(), &doc.title, &doc.number, &doc.index_number] {
        put_str(out, s);
    }
    put_varint(out, doc.issuers.len() as u64);
    for issuer in &doc.issuers {
        put_str(out, issuer);
    }
    let mut used: Vec<u32> = lines.iter().map(|l| l.block).collect();
    used.sort_unstable();
    used.dedup();
    put_varint(out, used.len() as u64);
    for &b in &used {
        let (offset, len) = block_ranges[b as usize];
        put_varint(out, offset);
        put_varint(out, u64::from(len));
    }
    put_varint(out, lines.len() as u64);
    for line in lines {
        put_varint(out, used.binary_search(&line.block).unwrap_or(0) as u64);
        put_varint(out, u64::from(line.start));
        put_varint(out, u64::from(line.len));
    }
}

/// Append a new line to the last block, or to a new one when it is full.
fn store(blocks: &mut Vec<Vec<u8>>, text: &str) -> Line {
    if blocks.last().is_some_and(|b| !b.is_empty() && b.len() + text.len() > BLOCK) {
        blocks.push(Vec::new());
    }
    let block = blocks.len() - 1;
    let b = &mut blocks[block];
    let start = b.len() as u32;
    b.extend_from_slice(text.as_bytes());
    Line { block: block as u32, start, len: text.len() as u32 }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Date;
    use std::io::Read;
    use std::sync::Arc;

    fn doc(url: &str, body: &str) -> Arc<SearchDoc> {
        Arc::new(SearchDoc {
            url: url.into(),
            date: Date::parse("2018-09-03").unwrap(),
            title: "标题".into(),
            number: "通政办发〔2018〕55号".into(),
            issuers: vec!["通榆县人民政府办公室".into()],
            index_number: String::new(),
            body: body.into(),
        })
    }

    fn inflate(b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(b).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn a_line_shared_by_notices_is_stored_once() {
        let shared = "各有关单位：现将有关事项通知如下。";
        let docs = [doc("a/index.html", &format!("{shared}\n甲")), doc("b/index.html", &format!("乙\n{shared}"))];
        let p = pack(&docs);
        // The common line in a block of its own, the notices' own text after it.
        let mut blocks = flate2::read::DeflateDecoder::new(&p.blocks[..]);
        let mut common = Vec::new();
        blocks.read_to_end(&mut common).unwrap();
        let rest = &p.blocks[blocks.total_in() as usize..];
        assert_eq!(String::from_utf8(common).unwrap(), shared);
        assert_eq!(String::from_utf8(inflate(rest)).unwrap(), "甲乙");
        let offsets: Vec<u32> = p.index.chunks(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect();
        assert_eq!(offsets.len(), 3);
        assert_eq!(*offsets.last().unwrap() as usize, p.records.len());
    }
}
