//! Citations in notice texts resolved against the site: document numbers (found
//! by the one grammar in `schema::doc_number`) and titles in 《》.

use std::collections::HashMap;

use crate::notice::Notice;
use crate::notice::citations::embedded_titles;
use crate::schema::doc_number::Cited;

/// Looks up cited numbers and titles among a list of notices: by year and sequence
/// (then code) for numbers, and by a notice's title or the plan its title embeds
/// (关于印发《X》的通知 → X) for titles. Answers are positions in the list.
pub struct CitationIndex<'a> {
    notices: Vec<&'a Notice>,
    by_year_seq: HashMap<(i32, u32), Vec<usize>>,
    by_title: HashMap<String, Vec<usize>>,
}

impl<'a> CitationIndex<'a> {
    pub fn new(notices: impl IntoIterator<Item = &'a Notice>) -> Self {
        let notices: Vec<&Notice> = notices.into_iter().collect();
        let mut by_year_seq: HashMap<(i32, u32), Vec<usize>> = HashMap::new();
        let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in notices.iter().enumerate() {
            if let Some(d) = &n.doc_number {
                by_year_seq.entry((d.year, d.sequence)).or_default().push(i);
            }
            by_title.entry(n.title.clone()).or_default().push(i);
            // A plan's title embedded in a notice's (关于印发《X》的通知, or without
            // the brackets).
            for t in embedded_titles(&n.title) {
                by_title.entry(t).or_default().push(i);
            }
        }
        CitationIndex { notices, by_year_seq, by_title }
    }

    /// The first notice (in the list's order) that a cited number names and that
    /// `accept` takes, and where its code starts in the text.
    pub fn number(&self, cited: &Cited, accept: impl Fn(usize) -> bool) -> Option<(usize, usize)> {
        self.by_year_seq.get(&(cited.year, cited.sequence))?.iter().filter(|&&t| accept(t)).find_map(|&t| {
            let number = self.notices[t].doc_number.as_ref()?;
            cited.code_start(number).map(|start| (t, start))
        })
    }

    /// The first notice (in the list's order) that a cited title names and that
    /// `accept` takes.
    pub fn title(&self, title: &str, accept: impl Fn(usize) -> bool) -> Option<usize> {
        self.by_title.get(title)?.iter().copied().find(|&t| accept(t))
    }
}
