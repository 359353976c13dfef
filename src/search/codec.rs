//! The binary pieces of the index, kept small because the browser downloads them.
//!
//! A *list* of document numbers (ascending, each below the number of documents) is
//! one byte of kind, a LEB128 count, then:
//!
//! - kind 0, **gaps**: the gaps between numbers (the first number itself), Rice-coded
//!   with parameter `k` (the kind byte is `k << 2`): each gap as `gap >> k` one-bits,
//!   a zero-bit, then the low `k` bits of the gap, most significant first;
//! - kind 1, **bitmap**: bit `d % 8` of byte `d / 8` set for document `d`;
//! - kind 2, **complement**: the documents *not* in the list, as gaps (kind byte
//!   `k << 2 | 2`) — the form for terms nearly every document has.
//!
//! Whichever is shortest is written. Bits fill bytes from the most significant bit.
//! `search.js` reads all three.

/// Append `v` as LEB128.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
    }
}

/// Bits written most significant first.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn push(&mut self, value: u64, width: u32) {
        debug_assert!(width <= 32);
        self.acc = (self.acc << width) | (value & ((1u64 << width) - 1));
        self.n += width;
        while self.n >= 8 {
            self.n -= 8;
            self.out.push((self.acc >> self.n) as u8);
        }
        self.acc &= (1u64 << self.n) - 1;
    }

    fn ones(&mut self, mut count: u64) {
        while count >= 32 {
            self.push(u64::from(u32::MAX), 32);
            count -= 32;
        }
        self.push((1u64 << count) - 1, count as u32);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push((self.acc << (8 - self.n)) as u8);
        }
        self.out
    }
}

/// The gaps of ascending `docs`, the first from zero.
fn gaps(docs: &[u32]) -> impl Iterator<Item = u64> + '_ {
    docs.iter().scan(0u32, |prev, &d| {
        let gap = d - *prev;
        *prev = d + 1;
        Some(u64::from(gap))
    })
}

/// The Rice parameter that makes the gaps shortest: about log2 of the mean gap.
fn rice_k(docs: &[u32], total: u32) -> u32 {
    if docs.is_empty() {
        return 0;
    }
    let mean = (f64::from(total) / docs.len() as f64).max(1.0);
    (mean * std::f64::consts::LN_2).log2().max(0.0).floor() as u32
}

fn rice(docs: &[u32], k: u32) -> Vec<u8> {
    let mut bits = Bits::default();
    for gap in gaps(docs) {
        bits.ones(gap >> k);
        bits.push(0, 1);
        bits.push(gap, k);
    }
    bits.finish()
}

/// Append `docs` (ascending, each below `total`) as a list in its shortest form.
pub fn put_list(out: &mut Vec<u8>, docs: &[u32], total: u32) {
    let k = rice_k(docs, total).min(31);
    let plain = rice(docs, k);
    let bitmap_len = total.div_ceil(8) as usize;
    // The complement only pays for lists most documents are in.
    let complement = (docs.len() as u32 > total / 2).then(|| {
        let mut present = docs.iter().copied().peekable();
        let absent: Vec<u32> = (0..total).filter(|&d| present.next_if_eq(&d).is_none()).collect();
        let k = rice_k(&absent, total).min(31);
        (absent.len(), k, rice(&absent, k))
    });
    let best_complement = complement.as_ref().map_or(usize::MAX, |(_, _, c)| c.len());
    if plain.len() <= bitmap_len && plain.len() <= best_complement {
        out.push((k << 2) as u8);
        put_varint(out, docs.len() as u64);
        out.extend_from_slice(&plain);
    } else if bitmap_len <= best_complement {
        out.push(1);
        put_varint(out, docs.len() as u64);
        let mut bits = vec![0u8; bitmap_len];
        for &d in docs {
            bits[d as usize / 8] |= 1 << (d % 8);
        }
        out.extend_from_slice(&bits);
    } else if let Some((count, k, bytes)) = complement {
        out.push(((k << 2) | 2) as u8);
        put_varint(out, count as u64);
        out.extend_from_slice(&bytes);
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// The reader `search.js` implements, for checking the writer.
    pub fn get_list(bytes: &[u8], total: u32) -> Vec<u32> {
        let kind = bytes[0];
        let mut pos = 1;
        let count = get_varint(bytes, &mut pos).unwrap() as usize;
        let body = &bytes[pos..];
        if kind & 3 == 1 {
            return (0..total).filter(|&d| body[d as usize / 8] & (1 << (d % 8)) != 0).collect();
        }
        let k = u32::from(kind >> 2);
        let bit = |i: usize| (body[i / 8] >> (7 - i % 8)) & 1;
        let (mut i, mut prev, mut docs) = (0usize, 0u32, Vec::new());
        for _ in 0..count {
            let mut q = 0u32;
            while bit(i) == 1 {
                q += 1;
                i += 1;
            }
            i += 1;
            let mut r = 0u32;
            for _ in 0..k {
                r = (r << 1) | u32::from(bit(i));
                i += 1;
            }
            let d = prev + ((q << k) | r);
            docs.push(d);
            prev = d + 1;
        }
        if kind & 3 == 2 { (0..total).filter(|d| docs.binary_search(d).is_err()).collect() } else { docs }
    }

    #[test]
    fn lists_round_trip_in_the_shortest_form() {
        let every_third: Vec<u32> = (0..3000).step_by(3).collect();
        let most: Vec<u32> = (0..1000).filter(|d| d % 97 != 0).collect();
        for (docs, total, kind) in [
            (vec![], 10, 0),
            (vec![0, 3, 200, 70_000], 100_000, 0),
            ((0..1000).collect::<Vec<u32>>(), 1000, 2),
            (most, 1000, 2),
            (every_third, 3000, 0),
            (vec![5], 6, 0),
            (vec![0, 1, 2, 3, 7, 8, 9, 10, 12, 15], 16, 0),
        ] {
            let mut out = Vec::new();
            put_list(&mut out, &docs, total);
            assert_eq!(out[0] & 3, kind, "{docs:?}");
            assert_eq!(get_list(&out, total), docs);
        }
        // Any shape: never longer than a bitmap (and its header).
        let shapes: Vec<Vec<u32>> = vec![
            (0..4096u32).filter(|d| d.wrapping_mul(2_654_435_761) >> 31 == 1).collect(),
            (0..4096).step_by(8).collect(),
            (0..4096).filter(|d| d % 4 != 0).collect(),
            (0..4096).filter(|d| d % 3 == 0 || d % 5 == 0).collect(),
        ];
        for docs in shapes {
            let mut out = Vec::new();
            put_list(&mut out, &docs, 4096);
            assert!(out.len() <= 1 + 3 + 4096 / 8, "{} bytes", out.len());
            assert_eq!(get_list(&out, 4096), docs);
        }
    }

    #[test]
    fn long_gaps_and_wide_parameters() {
        let docs = vec![0, 1 << 20, (1 << 20) + 1];
        let mut out = Vec::new();
        put_list(&mut out, &docs, 1 << 21);
        assert_eq!(get_list(&out, 1 << 21), docs);
        let mut pos = 0;
        let mut v = Vec::new();
        put_varint(&mut v, 300);
        assert_eq!(get_varint(&v, &mut pos), Some(300));
    }
}
