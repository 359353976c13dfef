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
use super::codec::{get_varint, put_varint};

/// Bytes of text per compressed block: small enough that a notice's text costs
/// little more than itself, large enough to compress well.
const BLOCK: usize = 12 * 1024;

/// The files that hold the records and the texts.
pub struct Packed {
    pub records: Vec<u8>,
    pub index: Vec<u8>,
    pub blocks: Vec<u8>,
    /// Each block's key in the build cache (the hash of its text), so that a build
    /// that reads the part back keeps them for one that changes a notice in it.
    pub keys: Vec<u128>,
}

/// Where a stored line is.
#[derive(Clone, Copy)]
struct Line {
    block: u32,
    start: u32,
    len: u32,
}

/// A text's lines (none for no text).
fn lines_of(body: &str) -> Vec<&str> {
    if body.is_empty() { Vec::new() } else { body.split('\n').collect() }
}

/// A line's identity for counting and sharing: 128 bits of hash, so that two
/// different lines of a site never take each other's place.
fn key(line: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(line.as_bytes())
}

/// A line met in at least this share of the notices (and at least twice) is
/// common: standard wording, headings, issuer names. Common lines are stored once,
/// the most frequent first, so a few blocks hold the lines most notices use and are
/// soon in the reader's cache. Any other line is stored with the rest of its
/// notice's text, so a notice's own text is in one or two blocks: a line in only a
/// few notices costs more to fetch from elsewhere than to store again.
const COMMON_PER_MILLE: usize = 2;

/// The texts are read twice, one notice at a time (they may be out of memory,
/// `TextStore`): once to count lines, once to store them.
pub fn pack(docs: &[std::sync::Arc<SearchDoc>]) -> Packed {
    let least = (docs.len() * COMMON_PER_MILLE / 1000).max(2) as u32;
    // Each line's count and when it was first met; the text of those common enough.
    let mut counts: HashMap<u128, (u32, u32), Keyed> = HashMap::default();
    let mut frequent: HashMap<u128, String, Keyed> = HashMap::default();
    for doc in docs {
        for line in lines_of(&doc.text()) {
            let k = key(line);
            let met = counts.len() as u32;
            let count = &mut counts.entry(k).or_insert((0, met)).0;
            *count += 1;
            if *count == least {
                frequent.insert(k, line.to_owned());
            }
        }
    }
    let mut frequent: Vec<(u128, String)> = frequent.into_iter().collect();
    frequent.sort_unstable_by_key(|(k, _)| counts.get(k).map(|&(n, met)| (std::cmp::Reverse(n), met)));
    drop(counts);
    let mut blocks = Blocks::default();
    let common: HashMap<u128, Line, Keyed> = frequent.iter().map(|(k, text)| (*k, blocks.store(text))).collect();
    drop(frequent);
    blocks.finish_block();
    // The other lines, in the order notices are numbered.
    let mut records = Vec::new();
    let mut index = Vec::with_capacity((docs.len() + 1) * 4);
    for doc in docs {
        let body = doc.text();
        let lines: Vec<(u128, &str)> = lines_of(&body).into_iter().map(|l| (key(l), l)).collect();
        // A notice's own text starts a new block rather than straddle two.
        let own: usize = lines.iter().filter(|(k, _)| !common.contains_key(k)).map(|(_, l)| l.len()).sum();
        if blocks.current.len() + own > BLOCK {
            blocks.finish_block();
        }
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|(k, text)| match common.get(&k) {
                Some(line) => *line,
                None => blocks.store(text),
            })
            .collect();
        index.extend_from_slice(&(records.len() as u32).to_le_bytes());
        record(&mut records, doc, &lines);
    }
    index.extend_from_slice(&(records.len() as u32).to_le_bytes());
    let (blocks, ranges, keys) = blocks.finish();
    // Records name blocks by number; the numbers become offsets and lengths now
    // that every block is compressed.
    let records = resolve_blocks(&records, &index, &ranges);
    let index = offsets_of(&records, docs.len());
    Packed { records, index, blocks, keys }
}

type Keyed = std::hash::BuildHasherDefault<KeyHasher>;

/// The keys are hashes already.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

/// Blocks being filled: compressed a batch at a time on every core, so that only
/// compressed text stays in memory.
#[derive(Default)]
struct Blocks {
    current: Vec<u8>,
    full: Vec<Vec<u8>>,
    /// Compressed blocks, with the hash of each one's text.
    done: Vec<(u128, Vec<u8>)>,
}

/// The build cache's kind for a compressed block.
pub const BLOCK_KIND: &str = "search-block";

/// Full blocks compressed together.
const BATCH: usize = 64;

impl Blocks {
    /// Append a line to the block being filled, starting a new one when full.
    fn store(&mut self, text: &str) -> Line {
        if !self.current.is_empty() && self.current.len() + text.len() > BLOCK {
            self.finish_block();
        }
        let block = (self.done.len() + self.full.len()) as u32;
        let start = self.current.len() as u32;
        self.current.extend_from_slice(text.as_bytes());
        Line { block, start, len: text.len() as u32 }
    }

    /// Close the block being filled (if it holds anything).
    fn finish_block(&mut self) {
        if self.current.is_empty() {
            return;
        }
        self.full.push(std::mem::take(&mut self.current));
        if self.full.len() >= BATCH {
            self.compress();
        }
    }

    fn compress(&mut self) {
        let full = std::mem::take(&mut self.full);
        self.done.par_extend(full.par_iter().map(|b| compress_cached(b)));
    }

    /// `blocks.bin`, each block's offset and length in it, and its key.
    fn finish(mut self) -> (Vec<u8>, Vec<(u64, u32)>, Vec<u128>) {
        self.finish_block();
        self.compress();
        let mut bytes = Vec::with_capacity(self.done.iter().map(|(_, c)| c.len()).sum());
        let mut ranges = Vec::with_capacity(self.done.len());
        let mut keys = Vec::with_capacity(self.done.len());
        for (key, c) in self.done {
            ranges.push((bytes.len() as u64, c.len() as u32));
            bytes.extend_from_slice(&c);
            keys.push(key);
        }
        (bytes, ranges, keys)
    }
}

/// A record, its blocks given by number (`resolve_blocks` puts their offsets and
/// lengths in once every block is compressed).
fn record(out: &mut Vec<u8>, doc: &SearchDoc, lines: &[Line]) {
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
        put_varint(out, u64::from(b));
    }
    put_varint(out, lines.len() as u64);
    for line in lines {
        put_varint(out, used.binary_search(&line.block).unwrap_or(0) as u64);
        put_varint(out, u64::from(line.start));
        put_varint(out, u64::from(line.len));
    }
}

/// The records with each block number replaced by the block's offset and length.
fn resolve_blocks(records: &[u8], index: &[u8], ranges: &[(u64, u32)]) -> Vec<u8> {
    let offsets: Vec<usize> = index.chunks(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize).collect();
    let mut out = Vec::with_capacity(records.len() + records.len() / 4);
    for w in offsets.windows(2) {
        let r = &records[w[0]..w[1]];
        let mut pos = 0;
        skip_head(r, &mut pos);
        out.extend_from_slice(&r[..pos]);
        let used = get_varint(r, &mut pos).unwrap_or(0);
        put_varint(&mut out, used);
        for _ in 0..used {
            let (offset, len) = ranges[get_varint(r, &mut pos).unwrap_or(0) as usize];
            put_varint(&mut out, offset);
            put_varint(&mut out, u64::from(len));
        }
        out.extend_from_slice(&r[pos..]);
    }
    out
}

/// Past a record's five strings and its issuers.
fn skip_head(r: &[u8], pos: &mut usize) {
    for _ in 0..5 {
        skip_str(r, pos);
    }
    for _ in 0..get_varint(r, pos).unwrap_or(0) {
        skip_str(r, pos);
    }
}

fn skip_str(r: &[u8], pos: &mut usize) {
    *pos += get_varint(r, pos).unwrap_or(0) as usize;
}

/// `docs.idx` for `count` records written one after another.
fn offsets_of(records: &[u8], count: usize) -> Vec<u8> {
    let mut index = Vec::with_capacity((count + 1) * 4);
    let mut pos = 0;
    for _ in 0..count {
        index.extend_from_slice(&(pos as u32).to_le_bytes());
        skip_head(records, &mut pos);
        for _ in 0..get_varint(records, &mut pos).unwrap_or(0) * 2 {
            get_varint(records, &mut pos);
        }
        for _ in 0..get_varint(records, &mut pos).unwrap_or(0) * 3 {
            get_varint(records, &mut pos);
        }
    }
    index.extend_from_slice(&(pos as u32).to_le_bytes());
    index
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A block's key and its compressed bytes, through the build cache: compressing
/// at the best level is most of the work, and after one notice changed most
/// blocks are the blocks of the build before.
fn compress_cached(block: &[u8]) -> (u128, Vec<u8>) {
    let key = xxhash_rust::xxh3::xxh3_128(block);
    let bytes = crate::cache::memo(
        BLOCK_KIND,
        &[&key.to_le_bytes()],
        || deflate(block),
        |c| Some(c.clone()),
        |c| Some(c.to_vec()),
    );
    (key, bytes)
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
            body: crate::text::store::Stored::held(body),
            nfc: Default::default(),
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
