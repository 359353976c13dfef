//! The gram table: where each gram's lists are in `lists.bin`, found by the browser
//! with one byte-range request. An open-addressing table of `SLOT`-byte slots: a
//! gram is in the first `window` slots from slot `hash % size` (FNV-1a of its
//! code points, `postings::Gram::hash`), never wrapping around; an empty slot (all
//! zero) ends the search early.
//!
//! A slot: three code points, 3 bytes each (0 for none); the offset of its lists in
//! `lists.bin` (5 bytes); the length of the list of notices that have the gram
//! anywhere, then of those that have it in the title or number (3 bytes each) — all
//! little-endian. The two lists lie one after the other.

use serde::Serialize;

use super::postings::Encoded;

pub const SLOT: usize = 20;

/// How full the table is. Slots are most of a small part's bytes (a gram in one or
/// two notices has a short list); Robin Hood placement keeps the window short.
const LOAD_PERCENT: usize = 90;

/// What `search.js` needs to look a gram up, in `index.json`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Shape {
    /// The slot to start from is `hash % size`.
    pub size: usize,
    /// How many slots from there may hold the gram.
    pub window: usize,
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
    let mut slots = vec![0u8; place.len().max(size) * SLOT];
    let mut lists = Vec::with_capacity(grams.iter().map(|e| e.all.len() + e.head.len()).sum());
    for (e, &at) in grams.into_iter().zip(&positions) {
        let slot = &mut slots[at * SLOT..(at + 1) * SLOT];
        for (k, cp) in e.gram.code_points().enumerate() {
            slot[k * 3..k * 3 + 3].copy_from_slice(&cp.to_le_bytes()[..3]);
        }
        slot[9..14].copy_from_slice(&(lists.len() as u64).to_le_bytes()[..5]);
        slot[14..17].copy_from_slice(&(e.all.len() as u32).to_le_bytes()[..3]);
        slot[17..20].copy_from_slice(&(e.head.len() as u32).to_le_bytes()[..3]);
        lists.extend_from_slice(&e.all);
        lists.extend_from_slice(&e.head);
    }
    (slots, Shape { size, window }, lists)
}

/// The character of a slot holding a one-character gram.
pub fn single_char(slot: &[u8]) -> Option<u32> {
    let cp = |k: usize| u32::from_le_bytes([slot[k * 3], slot[k * 3 + 1], slot[k * 3 + 2], 0]);
    (cp(0) != 0 && cp(1) == 0).then(|| cp(0))
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
                let slot = &slots[at * SLOT..(at + 1) * SLOT];
                single_char(slot) == e.gram.code_points().next()
            });
            let at = found.expect("gram within its window");
            let slot = &slots[at * SLOT..(at + 1) * SLOT];
            let offset = u64::from_le_bytes([slot[9], slot[10], slot[11], slot[12], slot[13], 0, 0, 0]) as usize;
            assert_eq!(&lists[offset..offset + 3], &e.all[..]);
        }
    }
}
