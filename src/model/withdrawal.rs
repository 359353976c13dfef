//! Withdrawal (撤回): a notice marked `withdrawn: {date, reason}` is, from that
//! date, out of `Site::notices` — so out of every list, the search index, the
//! sitemap and the facets — and kept in `Site::withdrawn`, whose notices get a
//! short page at their address, a catalogue part and a feed entry. Texts that cite
//! a withdrawn notice still link to it, marked as withdrawn.

use chrono::NaiveDate;

use super::citations::CitationIndex;
use crate::notice::Notice;

/// A citation, in a published notice's text, of a withdrawn notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawnCite {
    /// The words cited.
    pub text: String,
    /// The withdrawn notice's place in `Site::withdrawn`.
    pub target: usize,
}

/// The notices (in order) split into those shown and those withdrawn on `date`.
pub fn split(notices: Vec<Notice>, date: NaiveDate) -> (Vec<Notice>, Vec<Notice>) {
    notices.into_iter().partition(|n| !n.withdrawn_on(date))
}

/// For each shown notice, its text's (as in force on `date`) citations of withdrawn notices.
pub fn cites(shown: &[Notice], withdrawn: &[Notice], date: NaiveDate) -> Vec<Vec<WithdrawnCite>> {
    if withdrawn.is_empty() {
        return vec![Vec::new(); shown.len()];
    }
    let index = CitationIndex::new(withdrawn);
    shown
        .iter()
        .map(|n| {
            let (text, revision) = n.text_as_of(date);
            let day = revision.unwrap_or(n.published).0;
            // As for the site's own citations: only what was issued by the text's day.
            let citable = |t: usize| withdrawn[t].issued_on() <= day;
            let mut out = Vec::new();
            for c in &text.cites.numbers {
                if let Some((t, start)) = index.number(c, citable) {
                    out.push(WithdrawnCite { text: c.written[start - c.start..].to_owned(), target: t });
                }
            }
            for (title, _, _) in &text.cites.titles {
                if let Some(t) = index.title(title, citable) {
                    out.push(WithdrawnCite { text: title.clone(), target: t });
                }
            }
            out.dedup();
            out
        })
        .collect()
}
