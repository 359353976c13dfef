//! How a browse list is split into pages: counted from the oldest notice, so
//! that a page, once full, never changes. A list of `len` notices (newest first)
//! with `size` to a page is one page while it holds fewer than two pages' worth.
//! Longer, with F = len / size, it has F − 1 fixed pages, `page/1/` …
//! `page/<F−1>/`, page j holding the `size` notices ranked (j − 1)·size …
//! j·size − 1 from the oldest; the landing page (the list's own folder) holds the
//! rest, the newest `size + len mod size` (between `size` and 2·`size` − 1).
//! A new notice changes the landing page only, and when it fills a new fixed page
//! also the newest fixed page before it (whose link to newer notices then leads
//! to the new page instead of the landing page).

use std::ops::Range;

/// The pages of one list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    len: usize,
    size: usize,
}

impl Paging {
    pub fn new(len: usize, size: usize) -> Paging {
        Paging { len, size: size.max(1) }
    }

    /// How many fixed pages the list has: `page/1/` … `page/<fixed>/`.
    pub fn fixed(self) -> usize {
        if self.len < 2 * self.size { 0 } else { self.len / self.size - 1 }
    }

    /// Positions in the list (newest first) shown on the landing page.
    pub fn landing(self) -> Range<usize> {
        0..self.len - self.fixed() * self.size
    }

    /// Positions in the list (newest first) shown on fixed page `j`
    /// (1 ..= `fixed()`): those ranked `(j − 1)·size .. j·size` from the oldest.
    pub fn page(self, j: usize) -> Range<usize> {
        debug_assert!((1..=self.fixed()).contains(&j));
        self.len - j * self.size..self.len - (j - 1) * self.size
    }

    /// The page showing position `pos`: 0 for the landing page, else its fixed page.
    pub fn page_of(self, pos: usize) -> usize {
        if self.landing().contains(&pos) { 0 } else { (self.len - 1 - pos) / self.size + 1 }
    }

    /// The pages there are: 0 (the landing page), then the fixed pages, newest first.
    pub fn pages(self) -> impl Iterator<Item = usize> {
        std::iter::once(0).chain((1..=self.fixed()).rev())
    }
}

/// The fixed pages the landing page links to, newest first: the newest three and
/// page 1, each with whether pages are left out before it. Only the landing page
/// shows this, so it may change with every new notice.
pub fn landing_window(fixed: usize) -> Vec<(usize, bool)> {
    let mut shown: Vec<usize> = [fixed, fixed.saturating_sub(1), fixed.saturating_sub(2), 1]
        .into_iter()
        .filter(|j| (1..=fixed).contains(j))
        .collect();
    shown.sort_unstable_by(|a, b| b.cmp(a));
    shown.dedup();
    let mut last = fixed + 1;
    shown
        .into_iter()
        .map(|j| {
            let gap = j + 1 < last;
            last = j;
            (j, gap)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For every list length up to a few pages: every notice on exactly one page,
    /// each fixed page full and holding its ranks from the oldest, the landing
    /// page between one and two pages (or the whole list while it is short).
    #[test]
    fn pages_are_counted_from_the_oldest() {
        for size in [1, 2, 3, 20] {
            for len in 0..=7 * size + 3 {
                let p = Paging::new(len, size);
                let landing = p.landing();
                assert_eq!(landing.start, 0);
                if len < 2 * size {
                    assert_eq!((p.fixed(), landing.end), (0, len), "len {len} size {size}: one page");
                } else {
                    assert_eq!(p.fixed(), len / size - 1);
                    assert!((size..2 * size).contains(&landing.len()), "len {len} size {size}: landing {landing:?}");
                    assert_eq!(landing.len(), size + len % size);
                }
                let mut seen = vec![0; len];
                for pos in landing.clone() {
                    seen[pos] += 1;
                    assert_eq!(p.page_of(pos), 0);
                }
                for j in 1..=p.fixed() {
                    let range = p.page(j);
                    assert_eq!(range.len(), size, "fixed pages are full");
                    for pos in range {
                        seen[pos] += 1;
                        let rank = len - 1 - pos;
                        assert!(((j - 1) * size..j * size).contains(&rank), "rank {rank} on page {j}");
                        assert_eq!(p.page_of(pos), j);
                    }
                }
                assert!(seen.iter().all(|&k| k == 1), "len {len} size {size}: {seen:?}");
                let pages: Vec<usize> = p.pages().collect();
                assert_eq!(pages.len(), p.fixed() + 1);
                assert_eq!(pages[0], 0);
            }
        }
    }

    #[test]
    fn a_new_notice_leaves_the_fixed_pages_as_they_were() {
        let size = 20;
        for len in 40..200 {
            let (before, after) = (Paging::new(len, size), Paging::new(len + 1, size));
            for j in 1..=before.fixed() {
                // Same ranks from the oldest: the new notice is the newest, position 0.
                let rank = |p: Paging| p.page(j).map(|pos| p.len - 1 - pos).collect::<Vec<_>>();
                assert_eq!(rank(before), rank(after));
            }
            assert!(after.fixed() - before.fixed() <= 1);
        }
    }

    #[test]
    fn the_landing_page_links_the_newest_fixed_pages_and_the_first() {
        assert_eq!(landing_window(0), vec![]);
        assert_eq!(landing_window(1), vec![(1, false)]);
        assert_eq!(landing_window(2), vec![(2, false), (1, false)]);
        assert_eq!(landing_window(4), vec![(4, false), (3, false), (2, false), (1, false)]);
        assert_eq!(landing_window(5), vec![(5, false), (4, false), (3, false), (1, true)]);
        assert_eq!(landing_window(49), vec![(49, false), (48, false), (47, false), (1, true)]);
    }
}
