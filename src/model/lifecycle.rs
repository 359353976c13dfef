//! A notice's life on a date: the text in force, its validity (from its own fields,
//! and from later notices that repeal or supersede it), its relations and citations
//! both ways.

use rayon::prelude::*;
use std::collections::HashMap;

use chrono::NaiveDate;

use super::NoticeId;
use super::citations::CitationIndex;
use crate::notice::Notice;
use crate::notice::citations::Citations;
use crate::schema::{Date, DocNumber, Relation, Validity};

/// A notice's life as of the reference date.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    pub validity: Option<Validity>,
    /// The notice that decided the validity, when another notice did.
    pub validity_by: Option<Incoming>,
    /// What this notice amends, supersedes, repeals or interprets.
    pub outgoing: Vec<Outgoing>,
    /// Notices that amend, supersede, repeal or interpret this one.
    pub incoming: Vec<Incoming>,
    /// Citations in the text in force that name notices of the site.
    pub cites: Vec<Cite>,
    pub cited_by: Vec<NoticeId>,
    /// The revision of the text in force (None: as first published).
    pub revision: Option<Date>,
}

/// This notice's relation to a document, and the notice if the site has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub relation: Relation,
    pub number: DocNumber,
    pub target: Option<NoticeId>,
}

/// Another notice's relation to this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incoming {
    pub relation: Relation,
    pub from: NoticeId,
}

/// A citation in the text: the words cited (a number as written, or a title) and
/// the notice they name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    pub text: String,
    pub target: NoticeId,
}

/// Relations, validity and citations of every notice on `date`; `notices` in their
/// final order (a notice's id is its position).
pub fn of_all(notices: &[Notice], date: NaiveDate) -> Vec<Lifecycle> {
    let by_number: HashMap<&str, usize> =
        notices.iter().enumerate().filter_map(|(i, n)| n.doc_number.as_ref().map(|d| (d.text.as_str(), i))).collect();
    let index = CitationIndex::new(notices);
    let mut out: Vec<Lifecycle> = notices
        .par_iter()
        .enumerate()
        .map(|(i, n)| {
            let (text, revision) = n.text_as_of(date);
            Lifecycle {
                validity: n.own_validity_as_of(date),
                outgoing: n
                    .relations
                    .iter()
                    .map(|r| Outgoing {
                        relation: r.relation,
                        number: r.number.clone(),
                        target: by_number.get(r.number.text.as_str()).map(|&t| NoticeId::new(t)),
                    })
                    .collect(),
                cites: cites(&index, &text.cites, i, notices, revision.unwrap_or(n.published).0),
                revision,
                ..Lifecycle::default()
            }
        })
        .collect();
    for i in 0..notices.len() {
        let from = NoticeId::new(i);
        for o in out[i].outgoing.clone() {
            let Some(t) = o.target.filter(|&t| t != from) else { continue };
            let incoming = Incoming { relation: o.relation, from };
            let target = &mut out[t.index()];
            target.incoming.push(incoming);
            // A repeal or a replacement takes effect when the later notice does.
            let effective = notices[i].effective.unwrap_or(notices[i].published);
            if effective.0 <= date {
                match o.relation {
                    Relation::Repeals => {
                        target.validity = Some(Validity::Repealed);
                        target.validity_by = Some(incoming);
                    }
                    Relation::Supersedes if target.validity != Some(Validity::Repealed) => {
                        target.validity = Some(Validity::Expired);
                        target.validity_by = Some(incoming);
                    }
                    _ => {}
                }
            }
        }
        for c in out[i].cites.clone() {
            let cited_by = &mut out[c.target.index()].cited_by;
            if !cited_by.contains(&from) {
                cited_by.push(from);
            }
        }
    }
    out
}

/// Citations of a text (of notice `own`, in force from `day`) that name other
/// notices of the site: by number, from the cited notice's code on (又见国发〔2014〕45号
/// cites 国发〔2014〕45号), and by title. A text cites only what was written by the
/// day it took effect: 海卫健发〔2024〕2号 in a text of 2015 is another document than
/// the one of that number the site publishes in 2024, and linking it would be wrong
/// (and would change the 2015 notice's record the day the 2024 one is published).
fn cites(index: &CitationIndex, cited: &Citations, own: usize, notices: &[Notice], day: NaiveDate) -> Vec<Cite> {
    let citable = |t: usize| t != own && notices[t].issued_on() <= day;
    let mut out: Vec<Cite> = Vec::new();
    for c in &cited.numbers {
        if let Some((t, start)) = index.number(c, citable) {
            out.push(Cite { text: c.written[start - c.start..].to_owned(), target: NoticeId::new(t) });
        }
    }
    for (title, _, _) in &cited.titles {
        if let Some(t) = index.title(title, citable) {
            out.push(Cite { text: title.clone(), target: NoticeId::new(t) });
        }
    }
    out.dedup();
    out
}
