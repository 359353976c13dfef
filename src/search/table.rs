//! The gram table: where each gram's lists are in `lists.bin`, found by the browser
//! with one byte-range request. An open-addressing table of slots of `Shape::slot` bytes: a
//! gram is in the first `window` slots from slot `hash % size` (FNV-1a of its
//! code points, `postings::Gram::hash`), never wrapping around; an empty slot (all
//! zero) ends the search early.
//!
//! A slot: the gram's code points, 21 bits each, the first in the high bits, in 8
//! bytes (`Gram::packed`; all zero: an empty slot); the offset of its lists in
//! `lists.bin`; the length of the list of notices that have the gram anywhere, then
//! of those that have it in the title or number — all little-endian, the offset and
//! the lengths as many bytes as this table needs (`Shape`): slots are most of a
//! small part's bytes, and a part of a few dozen notices needs 3 bytes of offset
//! and 1 or 2 of length where a large one needs 4 and 2. The two lists lie one
//! after the other.

use serde::{Deserialize, Serialize};

use super::postings::Encoded;

/// The bytes of a slot's code points.
const CODE: usize = 8;

/// How full the table is. Slots are most of a small part's bytes (a gram in one or
/// two notices has a short list); Robin Hood placement keeps the window short.
const LOAD_PERCENT: usize = 90;

/// What `search.js` needs to look a gram up, in `index.json`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Shape {
    /// The slot to start from is `hash % size`.
    pub size: usize,
    /// How many slots from there may hold the gram.
    pub window: usize,
    /// Bytes a slot: 8 of code points, `offset`, then `length` twice.
    pub slot: usize,
    /// Bytes of the offset of a gram's lists in `lists.bin`.
    pub offset: usize,
    /// Bytes of each list's length.
    pub length: usize,
}

/// How many bytes hold every number up to `max` (at least one).
fn bytes_for(max: usize) -> usize {
    (1..8).find(|&k| max >> (8 * k) == 0).unwrap_or(8)
}

/// The table, its shape, and the lists it points into (each gram's lists freed
/// once copied, so the lists are in memory once).
pub fn build(grams: Vec<Encoded>) -> (Vec<u8>, Shape, Vec<u8>) {
    let size = (grams.len() * 100 / LOAD_PERCENT).max(16);
    // Robin Hood placement, in gram order: a gram farther from its first slot takes
    // the place of one nearer to its own, so that no gram is far from home and the
    // window (read whole by each lookup) stays short even with the table this full.
    // Each place holds (gram, first slot).
    let mut place: Vec<Option<(usize, usize)>> = Vec::new();
    for (g, e) in grams.iter().enumerate() {
        let mut moving = (g, e.gram.hash() as usize % size);
        let mut at = moving.1;
        loop {
            if place.len() <= at {
                place.resize(at + 1, None);
            }
            match place[at] {
                None => {
                    place[at] = Some(moving);
                    break;
                }
                Some(held) if held.1 > moving.1 => {
                    place[at] = Some(moving);
                    moving = held;
                }
                Some(_) => {}
            }
            at += 1;
        }
    }
    let mut positions = vec![0; grams.len()];
    let mut window = 1;
    for (at, held) in place.iter().enumerate() {
        if let Some((g, first)) = *held {
            positions[g] = at;
            window = window.max(at - first + 1);
        }
    }
    let total: usize = grams.iter().map(|e| e.all.len() + e.head.len()).sum();
    let longest = grams.iter().map(|e| e.all.len().max(e.head.len())).max().unwrap_or(0);
    let (offset, length) = (bytes_for(total), bytes_for(longest));
    let shape = Shape { size, window, slot: CODE + offset + 2 * length, offset, length };
    let mut slots = vec![0u8; place.len().max(size) * shape.slot];
    let mut lists = Vec::with_capacity(total);
    for (e, &at) in grams.into_iter().zip(&positions) {
        let slot = &mut slots[at * shape.slot..(at + 1) * shape.slot];
        slot[..CODE].copy_from_slice(&e.gram.packed().to_le_bytes());
        let (all, head) = (CODE + offset, CODE + offset + length);
        slot[CODE..all].copy_from_slice(&(lists.len() as u64).to_le_bytes()[..offset]);
        slot[all..head].copy_from_slice(&(e.all.len() as u64).to_le_bytes()[..length]);
        slot[head..].copy_from_slice(&(e.head.len() as u64).to_le_bytes()[..length]);
        lists.extend_from_slice(&e.all);
        lists.extend_from_slice(&e.head);
    }
    (slots, shape, lists)
}

/// The character of a slot holding a one-character gram.
pub fn single_char(slot: &[u8]) -> Option<u32> {
    let packed = u64::from_le_bytes(slot[..CODE].try_into().ok()?);
    let (first, rest) = ((packed >> 42) as u32, packed & ((1 << 42) - 1));
    (first != 0 && rest == 0).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::postings::Gram;

    #[test]
    fn every_gram_is_within_its_window() {
        let grams: Vec<Encoded> = (0..500u32)
            .map(|i| Encoded { gram: Gram::new(&[0x4E00 + i]), all: vec![i as u8; 3], head: vec![1] })
            .collect();
        let (slots, shape, lists) = build(grams);
        let grams: Vec<Encoded> = (0..500u32)
            .map(|i| Encoded { gram: Gram::new(&[0x4E00 + i]), all: vec![i as u8; 3], head: vec![1] })
            .collect();
        for e in &grams {
            let start = e.gram.hash() as usize % shape.size;
            let found = (start..start + shape.window).find(|&at| {
                let slot = &slots[at * shape.slot..(at + 1) * shape.slot];
                single_char(slot) == e.gram.code_points().next()
            });
            let at = found.expect("gram within its window");
            let slot = &slots[at * shape.slot..(at + 1) * shape.slot];
            let number = |from: usize, bytes: usize| {
                slot[from..from + bytes].iter().rev().fold(0usize, |n, &b| n << 8 | usize::from(b))
            };
            let offset = number(CODE, shape.offset);
            let (all, head) =
                (number(CODE + shape.offset, shape.length), number(CODE + shape.offset + shape.length, 1));
            assert_eq!((all, head), (3, 1));
            assert_eq!(&lists[offset..offset + 3], &e.all[..]);
        }
        // 2,000 bytes of lists, none longer than 3: 2 bytes of offset, 1 of length.
        assert_eq!((shape.offset, shape.length, shape.slot), (2, 1, 12));
    }

    #[test]
    fn a_slot_names_its_character_only_for_a_one_character_gram() {
        let slot = |cps: &[u32]| Gram::new(cps).packed().to_le_bytes();
        assert_eq!(single_char(&slot(&[0x4E2D])), Some(0x4E2D));
        assert_eq!(single_char(&slot(&[0x10FFFF])), Some(0x10FFFF), "the highest code point fits");
        assert_eq!(single_char(&slot(&[0x4E2D, 0x6587])), None);
        assert_eq!(single_char(&slot(&[0x4E2D, 0x6587, 0x20])), None);
        assert_eq!(single_char(&[0; 8]), None, "an empty slot");
    }

    #[test]
    fn numbers_take_the_bytes_they_need() {
        assert_eq!([0, 255, 256, 65_535, 65_536, 1 << 24, usize::MAX].map(bytes_for), [1, 1, 2, 2, 3, 4, 8]);
    }
}
