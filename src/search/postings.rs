//! The binary pieces of the index, kept tiny because the browser downloads them.
//!
//! A *list* of document numbers (ascending) is written as a LEB128 header
//! `byte_length << 1 | kind`, then either (kind 0) the numbers as LEB128 gaps, the
//! first one absolute, or (kind 1) a bitmap with bit `d % 8` of byte `d / 8` set
//! for document `d`. Whichever is shorter is written, so a list never costs more
//! than one bit per document of the site.
//!
//! A *shard* is a run of entries `n cp… all head`: the gram's length and its code
//! points (LEB128), then two lists: the documents whose text contains the gram
//! anywhere, and those whose title or document number does. Entries are sorted
//! by gram; the shard of a gram is `fnv1a(code points) & (shards - 1)`.

/// Longest gram indexed: a query of up to this many characters is answered by
/// its gram alone (most Chinese words and numbers are no longer).
pub const MAX_GRAM: usize = 4;

/// A unit of the index: one to four adjacent characters, packed 21 bits each
/// (code point 0 never occurs: search ignores controls).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gram(u128);

/// Indexing a site makes tens of millions of map lookups by gram; a gram is
/// already well spread, so a multiply-and-fold is hash enough (no untrusted
/// input can choose grams to collide: the notices are the site's own).
impl std::hash::Hash for Gram {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(((self.0 >> 64) as u64 ^ self.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    }
}

/// Passes the value `Gram::hash` wrote straight through.
#[derive(Default)]
pub struct GramHasher(u64);

impl std::hash::Hasher for GramHasher {
    fn finish(&self) -> u64 {
        self.0
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

pub type GramMap<V> = std::collections::HashMap<Gram, V, std::hash::BuildHasherDefault<GramHasher>>;

impl Gram {
    pub fn new(chars: &[char]) -> Gram {
        debug_assert!((1..=MAX_GRAM).contains(&chars.len()));
        Gram(chars.iter().fold(0, |acc, &c| acc << 21 | u128::from(c as u32)) << (21 * (MAX_GRAM - chars.len())))
    }

    pub fn code_points(self) -> impl Iterator<Item = u32> {
        (0..MAX_GRAM).rev().map(move |k| ((self.0 >> (21 * k)) & 0x1F_FFFF) as u32).filter(|&cp| cp != 0)
    }

    /// FNV-1a over the code points; `search.js` computes the same.
    pub fn hash(self) -> u32 {
        self.code_points().fold(0x811C_9DC5, |h, cp| (h ^ cp).wrapping_mul(0x0100_0193))
    }
}

/// Every gram of a folded segment: each run of one to `MAX_GRAM` characters. A
/// longer query is looked up by the longest grams it contains, then checked
/// against the text.
pub fn grams(chars: &[char], out: &mut Vec<Gram>) {
    for n in 1..=MAX_GRAM {
        out.extend(chars.windows(n).map(Gram::new));
    }
}

pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A list being built, document by document in ascending order, kept as the
/// gaps it will most likely be written as (one or two bytes a document).
#[derive(Default)]
pub struct ListBuilder {
    gaps: Vec<u8>,
    last: Option<u32>,
}

impl ListBuilder {
    pub fn push(&mut self, doc: u32) {
        let gap = match self.last {
            Some(last) if doc > last => doc - last,
            Some(_) => return, // already listed
            None => doc,
        };
        put_varint(&mut self.gaps, u64::from(gap));
        self.last = Some(doc);
    }

    /// Append the list to `out`, as a bitmap when that is shorter (see above).
    pub fn finish(&self, out: &mut Vec<u8>, total: usize) {
        let bitmap_len = total.div_ceil(8);
        if self.gaps.len() <= bitmap_len {
            put_varint(out, (self.gaps.len() as u64) << 1);
            out.extend_from_slice(&self.gaps);
            return;
        }
        let mut bits = vec![0u8; bitmap_len];
        let (mut pos, mut doc) = (0, 0u64);
        while pos < self.gaps.len() {
            doc += get_varint(&self.gaps, &mut pos);
            bits[doc as usize / 8] |= 1 << (doc % 8);
        }
        put_varint(out, ((bitmap_len as u64) << 1) | 1);
        out.extend_from_slice(&bits);
    }
}

/// Append `docs` (ascending, each below `total`) as a list.
pub fn put_list(out: &mut Vec<u8>, docs: &[u32], total: usize) {
    let mut list = ListBuilder::default();
    docs.iter().for_each(|&d| list.push(d));
    list.finish(out, total);
}

fn get_varint(bytes: &[u8], pos: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let b = bytes[*pos];
        *pos += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// The reader `search.js` implements, for checking the writer.
    pub fn get_list(bytes: &[u8], pos: &mut usize) -> Vec<u32> {
        let header = get_varint(bytes, pos);
        let (len, kind) = ((header >> 1) as usize, header & 1);
        let end = *pos + len;
        let mut docs = Vec::new();
        if kind == 1 {
            for (i, b) in bytes[*pos..end].iter().enumerate() {
                docs.extend((0..8).filter(|k| b & (1 << k) != 0).map(|k| (i * 8 + k) as u32));
            }
            *pos = end;
        } else {
            let mut prev = 0u64;
            while *pos < end {
                prev += get_varint(bytes, pos);
                docs.push(prev as u32);
            }
        }
        docs
    }

    #[test]
    fn lists_round_trip_in_the_shorter_form() {
        for (docs, total, bitmap) in [
            (vec![], 10, false),
            (vec![0, 3, 200, 70_000], 100_000, false),
            ((0..1000).collect::<Vec<u32>>(), 1000, true),
            (vec![5], 6, false),
        ] {
            let mut out = Vec::new();
            put_list(&mut out, &docs, total);
            assert_eq!(out[0] & 1 == 1, bitmap, "{docs:?}");
            let mut pos = 0;
            assert_eq!(get_list(&out, &mut pos), docs);
            assert_eq!(pos, out.len());
        }
    }

    #[test]
    fn hash_is_fnv1a_over_code_points() {
        // Values search.js must reproduce (checked there by the end-to-end tests).
        assert_eq!(Gram::new(&['a']).hash(), 0xE40C_292C);
        assert_ne!(Gram::new(&['教', '育']).hash(), Gram::new(&['育', '教']).hash());
    }

    #[test]
    fn grams_are_runs_of_one_to_four_characters() {
        let mut out = Vec::new();
        grams(&['义', '务', '教', '育', '均'], &mut out);
        assert_eq!(out.len(), 5 + 4 + 3 + 2);
        assert!(out.contains(&Gram::new(&['务', '教', '育', '均'])));
        assert!(out.contains(&Gram::new(&['务', '教'])));
        assert_eq!(Gram::new(&['务', '教']).code_points().collect::<Vec<_>>(), vec!['务' as u32, '教' as u32]);
    }
}
