//! Which notices hold each gram: every run of one to three folded characters, in a
//! notice's whole text and in its title and number (`head`, which ranks first).
//!
//! Notices are read in number order, so each gram's list grows in ascending order
//! and a notice is added to a list at most once by remembering the last one added:
//! one linear pass, no sorting. Chunks of notices are read on both cores and their
//! lists joined in order, a few chunks at a time.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rayon::prelude::*;

use super::codec::{get_varint, put_list, put_varint};
use super::normalise::fold;

/// Longest gram indexed: a term of up to this many characters is answered by its
/// own list; a longer one by the lists of its runs of this many, then checked.
pub const MAX_GRAM: usize = 3;

/// Up to three code points, 21 bits each, the first in the high bits; code point 0
/// never occurs (search ignores controls), so a shorter gram is a different key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gram(u64);

impl Gram {
    pub fn new(cps: &[u32]) -> Gram {
        debug_assert!((1..=MAX_GRAM).contains(&cps.len()));
        Gram(cps.iter().fold(0, |acc, &c| (acc << 21) | u64::from(c)) << (21 * (MAX_GRAM - cps.len())))
    }

    /// The code points as one number, as the gram table stores them (8 bytes).
    pub fn packed(self) -> u64 {
        self.0
    }

    pub fn code_points(self) -> impl Iterator<Item = u32> {
        (0..MAX_GRAM).rev().map(move |k| ((self.0 >> (21 * k)) & 0x1F_FFFF) as u32).filter(|&cp| cp != 0)
    }

    /// FNV-1a over the code points; `search.js` computes the same to find a gram.
    pub fn hash(self) -> u32 {
        self.code_points().fold(0x811C_9DC5, |h, cp| (h ^ cp).wrapping_mul(0x0100_0193))
    }
}

/// SplitMix64's finaliser: every bit of a gram (whose low bits are often zero)
/// spread over the whole hash.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Grams hash by `mix`: fast, and no untrusted input can choose grams to collide
/// (the notices are the site's own).
#[derive(Default)]
pub struct GramHasher(u64);

impl std::hash::Hasher for GramHasher {
    fn finish(&self) -> u64 {
        mix(self.0)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type GramMap<V> = HashMap<Gram, V, BuildHasherDefault<GramHasher>>;

/// One notice as the index reads it: the segments of its head (title, number), and
/// of the rest of its text. A match never spans two segments.
pub trait Segments: Sync {
    fn head(&self) -> Vec<std::borrow::Cow<'_, str>>;
    fn rest(&self) -> Vec<std::borrow::Cow<'_, str>>;
}

/// A list being built, kept as LEB128 gaps (a byte or two a notice), the first
/// gap counted from zero.
#[derive(Default)]
struct Growing {
    gaps: Vec<u8>,
    /// One more than the last notice listed (0: none yet).
    next: u32,
}

impl Growing {
    fn push(&mut self, doc: u32) {
        if doc < self.next {
            return; // already listed
        }
        put_varint(&mut self.gaps, u64::from(doc - self.next));
        self.next = doc + 1;
    }

    /// Append a list of later notices.
    fn extend(&mut self, later: Growing) {
        let mut pos = 0;
        let Some(first) = get_varint(&later.gaps, &mut pos) else { return };
        // Its first gap was counted from zero; here it counts from this list's end.
        put_varint(&mut self.gaps, first - u64::from(self.next));
        self.gaps.extend_from_slice(&later.gaps[pos..]);
        self.next = later.next;
    }

    fn docs(&self) -> Vec<u32> {
        let (mut pos, mut next, mut out) = (0, 0u32, Vec::new());
        while let Some(gap) = get_varint(&self.gaps, &mut pos) {
            let d = next + gap as u32;
            out.push(d);
            next = d + 1;
        }
        out
    }
}

/// A gram and its two lists, encoded (`codec::put_list`).
pub struct Encoded {
    pub gram: Gram,
    pub all: Vec<u8>,
    pub head: Vec<u8>,
}

/// Notices read by one thread at a time, their lists then joined in order. Chunks
/// start at multiples of it, so an edited notice changes only its own chunk
/// (which the build cache keeps, `search::cached`).
pub const CHUNK: usize = 256;

/// Each chunk's grams are kept in this many maps by a hash of the gram, so that
/// joining the chunks' lists is split among the cores as well: shard `s` of every
/// chunk is joined by one task.
const SHARDS: usize = 32;

/// The lists of one shard of the grams, by gram.
type Shard = GramMap<[Growing; 2]>;

/// One chunk's grams with their lists, shard by shard: what `collect` joins, and
/// what the build cache keeps of a chunk.
pub struct Chunk(Vec<Vec<(Gram, [Growing; 2])>>);

impl Chunk {
    /// Per shard its number of grams, then each gram (8 bytes) and its two lists
    /// (each: one past its last notice, the length of its gaps, the gaps).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for shard in &self.0 {
            put_varint(&mut out, shard.len() as u64);
            for (gram, lists) in shard {
                out.extend_from_slice(&gram.0.to_le_bytes());
                for l in lists {
                    put_varint(&mut out, u64::from(l.next));
                    put_varint(&mut out, l.gaps.len() as u64);
                    out.extend_from_slice(&l.gaps);
                }
            }
        }
        out
    }

    pub fn decode(bytes: &[u8]) -> Option<Chunk> {
        let mut pos = 0;
        let mut shards = Vec::with_capacity(SHARDS);
        for _ in 0..SHARDS {
            let n = usize::try_from(get_varint(bytes, &mut pos)?).ok()?;
            let mut shard = Vec::with_capacity(n.min(bytes.len()));
            for _ in 0..n {
                let gram = Gram(u64::from_le_bytes(bytes.get(pos..pos + 8)?.try_into().ok()?));
                pos += 8;
                let mut list = || -> Option<Growing> {
                    let next = u32::try_from(get_varint(bytes, &mut pos)?).ok()?;
                    let len = usize::try_from(get_varint(bytes, &mut pos)?).ok()?;
                    let gaps = bytes.get(pos..pos.checked_add(len)?)?.to_vec();
                    pos += len;
                    Some(Growing { gaps, next })
                };
                let (all, head) = (list()?, list()?);
                shard.push((gram, [all, head]));
            }
            shards.push(shard);
        }
        (pos == bytes.len()).then_some(Chunk(shards))
    }
}

/// Every gram of `docs` with its lists, sorted by gram. Chunks of notices are read
/// a few at a time (two per thread) and their lists joined at once onto the lists
/// of the notices before them, kept as gaps, about the size of the finished index:
/// memory holds those and a few chunks' maps, however large the site.
pub fn collect<D: Segments>(docs: &[D]) -> Vec<Encoded> {
    collect_with(docs, &|chunk, first| collect_chunk(chunk, first))
}

/// `collect`, each chunk's lists from `chunk` (given the chunk's notices and the
/// number of its first), which may have kept them from an earlier build.
pub fn collect_with<D: Segments>(docs: &[D], chunk: &(dyn Fn(&[D], u32) -> Chunk + Sync)) -> Vec<Encoded> {
    let total = docs.len() as u32;
    let mut joined: Vec<Shard> = (0..SHARDS).map(|_| Shard::default()).collect();
    let batch = CHUNK * rayon::current_num_threads().max(1) * 2;
    for (b, group) in docs.chunks(batch).enumerate() {
        let first = b * batch;
        // Each chunk of notices on its own thread.
        let chunks: Vec<Chunk> =
            group.par_chunks(CHUNK).enumerate().map(|(c, docs)| chunk(docs, (first + c * CHUNK) as u32)).collect();
        // Then each shard, its chunks joined in notice order, on its own thread.
        let mut by_shard: Vec<Vec<_>> = (0..SHARDS).map(|_| Vec::with_capacity(chunks.len())).collect();
        for chunk in chunks {
            for (s, shard) in chunk.0.into_iter().enumerate() {
                by_shard[s].push(shard);
            }
        }
        joined.par_iter_mut().zip(by_shard).for_each(|(lists, chunks)| {
            for chunk in chunks {
                for (gram, [all, head]) in chunk {
                    let entry = lists.entry(gram).or_default();
                    entry[0].extend(all);
                    entry[1].extend(head);
                }
            }
        });
    }
    let mut out: Vec<Encoded> = joined
        .into_par_iter()
        .flat_map_iter(|lists| {
            lists.into_iter().map(|(gram, [all, head])| {
                let (mut a, mut h) = (Vec::new(), Vec::new());
                put_list(&mut a, &all.docs(), total);
                put_list(&mut h, &head.docs(), total);
                Encoded { gram, all: a, head: h }
            })
        })
        .collect();
    out.par_sort_unstable_by_key(|e| e.gram);
    out
}

/// The lists of the grams found in `docs`, numbered from `first`, by shard.
pub fn collect_chunk<D: Segments>(docs: &[D], first: u32) -> Chunk {
    let mut shards: Vec<Shard> = (0..SHARDS).map(|_| Shard::default()).collect();
    let mut seen = Seen::default();
    for (k, doc) in docs.iter().enumerate() {
        let d = first + k as u32;
        seen.clear();
        // The head first: its grams go in both lists, and the rest's repeats of
        // them are then skipped.
        for (head, segments) in [(true, doc.head()), (false, doc.rest())] {
            for seg in &segments {
                grams(seg, |gram| {
                    if !seen.insert(gram) {
                        return;
                    }
                    let entry = shards[(mix(gram.0) >> 58) as usize % SHARDS].entry(gram).or_default();
                    entry[0].push(d);
                    if head {
                        entry[1].push(d);
                    }
                });
            }
        }
    }
    Chunk(shards.into_iter().map(|shard| shard.into_iter().collect()).collect())
}

/// Every gram of `text` (grams do not span characters search ignores).
fn grams(text: &str, mut each: impl FnMut(Gram)) {
    let mut window = [0u32; MAX_GRAM];
    let mut len = 0;
    for c in text.chars().filter_map(fold) {
        window.rotate_left(1);
        window[MAX_GRAM - 1] = c as u32;
        len = (len + 1).min(MAX_GRAM);
        for n in 1..=len {
            each(Gram::new(&window[MAX_GRAM - n..]));
        }
    }
}

/// The grams met in one notice so far: a small open-addressing set that stays in
/// the processor's cache, so the chunk's large maps see each gram of a notice once
/// (a notice of 3,000 characters has about 9,000 grams, 5,000 of them distinct).
#[derive(Default)]
struct Seen {
    grams: Vec<u64>,
    /// Which notice each slot's gram was met in: slots of earlier notices are
    /// empty, so clearing costs nothing.
    stamps: Vec<u32>,
    stamp: u32,
    len: usize,
}

impl Seen {
    fn clear(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.stamps.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        self.len = 0;
    }

    /// Whether `gram` is new.
    fn insert(&mut self, gram: Gram) -> bool {
        if (self.len + 1) * 2 > self.grams.len() {
            self.grow();
        }
        let mask = self.grams.len() - 1;
        let mut i = mix(gram.0 ^ 0x5555) as usize & mask;
        loop {
            if self.stamps[i] != self.stamp {
                self.grams[i] = gram.0;
                self.stamps[i] = self.stamp;
                self.len += 1;
                return true;
            }
            if self.grams[i] == gram.0 {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.grams.len() * 2).max(1024);
        let live: Vec<u64> =
            self.grams.iter().zip(&self.stamps).filter(|(_, s)| **s == self.stamp).map(|(g, _)| *g).collect();
        self.grams = vec![0; size];
        self.stamps = vec![0; size];
        self.len = 0;
        for g in live {
            self.insert(Gram(g));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::codec::tests::get_list;

    struct Doc(&'static str, &'static str);

    impl Segments for Doc {
        fn head(&self) -> Vec<std::borrow::Cow<'_, str>> {
            vec![self.0.into()]
        }
        fn rest(&self) -> Vec<std::borrow::Cow<'_, str>> {
            vec![self.1.into()]
        }
    }

    #[test]
    fn grams_of_one_to_three_characters_list_their_notices() {
        let docs = [Doc("义务教育", "规划"), Doc("规划", "义务 教育。"), Doc("通知", "无关")];
        let lists = collect(&docs);
        let find = |s: &str| {
            let cps: Vec<u32> = s.chars().map(|c| c as u32).collect();
            let e = lists.iter().find(|e| e.gram == Gram::new(&cps)).unwrap_or_else(|| panic!("no {s}"));
            (get_list(&e.all, 3), get_list(&e.head, 3))
        };
        assert_eq!(find("教育"), (vec![0, 1], vec![0]));
        assert_eq!(find("务教育"), (vec![0, 1], vec![0]), "punctuation and spaces are not text");
        assert_eq!(find("规划"), (vec![0, 1], vec![1]));
        assert_eq!(find("通"), (vec![2], vec![2]));
        assert!(lists.iter().all(|e| e.gram.code_points().count() <= MAX_GRAM));
        assert!(lists.windows(2).all(|w| w[0].gram < w[1].gram), "sorted by gram");
        // Heads and the rest are separate segments: no gram joins 育 and 规.
        assert!(!lists.iter().any(|e| e.gram == Gram::new(&['育' as u32, '规' as u32])));
    }

    #[test]
    fn a_chunk_reads_back_as_it_was_kept() {
        let docs = [Doc("义务教育", "规划"), Doc("规划", "义务 教育。"), Doc("通知", "无关")];
        let chunk = collect_chunk(&docs, 7);
        let bytes = chunk.encode();
        let back = Chunk::decode(&bytes).expect("decodes");
        assert_eq!(back.encode(), bytes);
        assert!(Chunk::decode(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        // Lists joined from kept chunks are the lists made afresh.
        let kept = collect_with(&docs, &|_, _| Chunk::decode(&collect_chunk(&docs, 0).encode()).unwrap());
        let fresh = collect(&docs);
        assert_eq!(kept.len(), fresh.len());
        assert!(kept.iter().zip(&fresh).all(|(a, b)| a.gram == b.gram && a.all == b.all && a.head == b.head));
    }

    #[test]
    fn gram_packing_and_hash() {
        let g = Gram::new(&['务' as u32, '教' as u32]);
        assert_eq!(g.code_points().collect::<Vec<_>>(), vec!['务' as u32, '教' as u32]);
        // The value search.js must reproduce (checked there by the end-to-end tests).
        assert_eq!(Gram::new(&['a' as u32]).hash(), 0xE40C_292C);
        assert_ne!(Gram::new(&['教' as u32, '育' as u32]).hash(), Gram::new(&['育' as u32, '教' as u32]).hash());
    }
}
