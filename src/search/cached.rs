//! A part of the search index through the build cache. A part's files depend only
//! on its documents in order, the site's count of documents and the index's
//! format, so a part none of whose documents changed (last year's notices, when a
//! notice is added this quarter) is read back instead of built. Within a part
//! that must be built again, each chunk of `postings::CHUNK` documents keeps its
//! grams' lists too: an edited notice is read again with the others of its chunk,
//! and the rest are joined from the cache.

use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::{FORMAT_VERSION, SearchDoc, postings, table, texts};

/// A part's files: the gram table and its shape, the lists, the stored texts.
pub struct Built {
    pub slots: Vec<u8>,
    pub shape: table::Shape,
    pub lists: Vec<u8>,
    pub packed: texts::Packed,
}

/// The build cache's kind for a chunk's lists.
const CHUNK_KIND: &str = "search-chunk";

/// The part of `docs` in an index of `total` documents.
pub fn part(docs: &[Arc<SearchDoc>], total: usize) -> Built {
    let Some(cache) = crate::cache::current() else { return build(docs, None) };
    // Each chunk's digest (its documents, and the number of its first), and the
    // part's from them.
    let chunks: Vec<[u8; 16]> = docs
        .par_chunks(postings::CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut h = Xxh3::new();
            h.update(&FORMAT_VERSION.to_le_bytes());
            h.update(&((c * postings::CHUNK) as u64).to_le_bytes());
            for doc in chunk {
                doc.fingerprint(&mut h);
            }
            h.digest128().to_le_bytes()
        })
        .collect();
    let mut h = Xxh3::new();
    h.update(&FORMAT_VERSION.to_le_bytes());
    h.update(&(total as u64).to_le_bytes());
    for c in &chunks {
        h.update(c);
    }
    let digest = h.digest128().to_le_bytes();
    // A part read back whole keeps its chunks for the build that changes one of them.
    for c in &chunks {
        cache.keep(&cache.key(CHUNK_KIND, &[c]));
    }
    let built = crate::cache::memo("search", &[&digest], || build(docs, Some(&chunks)), |b| Some(encode(b)), decode);
    for k in &built.packed.keys {
        cache.keep(&cache.key(texts::BLOCK_KIND, &[&k.to_le_bytes()]));
    }
    built
}

/// The part's files; with `chunks` (each chunk's digest), each chunk's lists
/// through the build cache.
fn build(docs: &[Arc<SearchDoc>], chunks: Option<&[[u8; 16]]>) -> Built {
    let collect = || match chunks {
        None => postings::collect(docs),
        Some(digests) => postings::collect_with(docs, &|chunk, first| {
            crate::cache::memo(
                CHUNK_KIND,
                &[&digests[first as usize / postings::CHUNK]],
                || postings::collect_chunk(chunk, first),
                |c| Some(c.encode()),
                postings::Chunk::decode,
            )
        }),
    };
    let (lists, packed) = rayon::join(collect, || texts::pack(docs));
    let (slots, shape, lists) = table::build(lists);
    Built { slots, shape, lists, packed }
}

/// The shape's five numbers, then each file with its length before it.
fn encode(b: &Built) -> Vec<u8> {
    let s = &b.shape;
    let files = [&b.slots, &b.lists, &b.packed.records, &b.packed.index, &b.packed.blocks];
    let mut out = Vec::with_capacity(40 + files.iter().map(|f| f.len() + 8).sum::<usize>());
    for n in [s.size, s.window, s.slot, s.offset, s.length] {
        out.extend_from_slice(&(n as u64).to_le_bytes());
    }
    for f in files {
        out.extend_from_slice(&(f.len() as u64).to_le_bytes());
        out.extend_from_slice(f);
    }
    for k in &b.packed.keys {
        out.extend_from_slice(&k.to_le_bytes());
    }
    out
}

fn decode(bytes: &[u8]) -> Option<Built> {
    let mut at = 0;
    let mut number = || -> Option<usize> {
        let n = u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?);
        at += 8;
        usize::try_from(n).ok()
    };
    let shape =
        table::Shape { size: number()?, window: number()?, slot: number()?, offset: number()?, length: number()? };
    let mut file = || -> Option<Vec<u8>> {
        let len = usize::try_from(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?)).ok()?;
        let f = bytes.get(at + 8..at.checked_add(8)?.checked_add(len)?)?.to_vec();
        at += 8 + len;
        Some(f)
    };
    let (slots, lists, records, index, blocks) = (file()?, file()?, file()?, file()?, file()?);
    let rest = bytes.get(at..)?;
    if rest.len() % 16 != 0 {
        return None;
    }
    let keys = rest.chunks(16).map(|k| u128::from_le_bytes(k.try_into().unwrap_or_default())).collect();
    Some(Built { slots, shape, lists, packed: texts::Packed { records, index, blocks, keys } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_reads_back_as_it_was_written() {
        let b = Built {
            slots: vec![1, 2, 3],
            shape: table::Shape { size: 16, window: 3, slot: 12, offset: 2, length: 1 },
            lists: vec![],
            packed: texts::Packed { records: vec![9; 20], index: vec![4], blocks: vec![7, 7], keys: vec![3, 5] },
        };
        let back = decode(&encode(&b)).unwrap();
        assert_eq!(encode(&back), encode(&b));
        let bytes = encode(&b);
        assert!(decode(&bytes[..bytes.len() - 1]).is_none(), "cut short");
    }
}
