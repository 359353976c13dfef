//! Where a reader can go from a notice: the notices published just before and
//! just after it in the same year (上一篇 / 下一篇), and — when the notice declares
//! no relations of its own — a few others from the same issuer on the same topic.

use std::collections::HashMap;

use rayon::prelude::*;

use super::NoticeId;
use crate::notice::Notice;
use crate::schema::{Issuer, Topic};

/// At most this many related notices are shown: enough to lead on, few enough
/// that 10,000 pages do not each carry a list.
pub const RELATED: usize = 4;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Nearby {
    /// The next newer notice of the same year (上一篇: the one above in the list).
    pub newer: Option<NoticeId>,
    /// The next older notice of the same year (下一篇).
    pub older: Option<NoticeId>,
    /// Same issuer and same topic, the nearest in date first kept, shown newest
    /// first; empty when the notice declares relations (those are shown instead).
    pub related: Vec<NoticeId>,
}

/// `notices` in their final order (newest first; a notice's id is its position).
pub fn of_all(notices: &[Notice]) -> Vec<Nearby> {
    // Each (issuer, topic) pair's notices, in display order. Built once, so each
    // notice then looks only at its neighbours in the few groups it belongs to.
    let mut groups: HashMap<(&Issuer, &Topic), Vec<usize>> = HashMap::new();
    for (i, n) in notices.iter().enumerate() {
        for key in pairs(n) {
            groups.entry(key).or_default().push(i);
        }
    }
    let year = |i: usize| notices[i].published.year();
    (0..notices.len())
        .into_par_iter()
        .map(|i| {
            let n = &notices[i];
            let newer = i.checked_sub(1).filter(|&j| year(j) == year(i)).map(NoticeId::new);
            let older = Some(i + 1).filter(|&j| j < notices.len() && year(j) == year(i)).map(NoticeId::new);
            let related = if n.relations.is_empty() {
                nearest(i, pairs(n).filter_map(|key| groups.get(&key).map(Vec::as_slice)))
            } else {
                Vec::new()
            };
            Nearby { newer, older, related }
        })
        .collect()
}

fn pairs(n: &Notice) -> impl Iterator<Item = (&Issuer, &Topic)> {
    n.issuers.iter().flat_map(|issuer| n.topics.iter().map(move |topic| (issuer, topic)))
}

/// The `RELATED` notices nearest to `i` in date order among `groups` (each in
/// ascending order and holding `i`), newest first.
fn nearest<'g>(i: usize, groups: impl Iterator<Item = &'g [usize]>) -> Vec<NoticeId> {
    // Only the RELATED nearest on either side within a group can be among the
    // nearest overall.
    let mut near: Vec<(usize, usize)> = Vec::new();
    for group in groups {
        let at = group.binary_search(&i).unwrap_or_else(|p| p);
        let from = at.saturating_sub(RELATED);
        let to = (at + RELATED + 1).min(group.len());
        near.extend(group[from..to].iter().filter(|&&j| j != i).map(|&j| (i.abs_diff(j), j)));
    }
    near.sort_unstable();
    let mut ids: Vec<usize> = Vec::with_capacity(RELATED);
    for (_, j) in near {
        if !ids.contains(&j) {
            ids.push(j);
            if ids.len() == RELATED {
                break;
            }
        }
    }
    ids.sort_unstable();
    ids.into_iter().map(NoticeId::new).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[usize]) -> Vec<NoticeId> {
        v.iter().map(|&i| NoticeId::new(i)).collect()
    }

    #[test]
    fn the_nearest_in_date_are_kept_and_shown_newest_first() {
        let group: Vec<usize> = (0..20).collect();
        assert_eq!(nearest(10, [group.as_slice()].into_iter()), ids(&[8, 9, 11, 12]));
        assert_eq!(nearest(0, [group.as_slice()].into_iter()), ids(&[1, 2, 3, 4]));
    }

    #[test]
    fn a_notice_in_two_groups_is_offered_once() {
        let a = [1, 5, 6, 30];
        let b = [5, 6, 7, 31];
        assert_eq!(nearest(6, [&a[..], &b[..]].into_iter()), ids(&[1, 5, 7, 30]));
    }

    #[test]
    fn alone_in_its_groups_it_has_no_related_notices() {
        assert!(nearest(3, [&[3][..]].into_iter()).is_empty());
        assert!(nearest(3, std::iter::empty()).is_empty());
    }
}
