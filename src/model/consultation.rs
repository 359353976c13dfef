//! Consultations (征求意见): each draft (a notice with `consultation:`) with what
//! followed it — the notice reporting its comments and how they were handled
//! (`feedback_on:`), the final document (`consulted:`) and the interpretations of
//! that (`interprets:` its 文号). The chain 征求意见稿 → 意见采纳情况 → 正式文件 →
//! 解读 is shown on the page of each of them. `lints` are `check`'s warnings.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{NoticeId, Published, Site};
use crate::diagnostics::{Code, Diagnostic};
use crate::notice::Notice;
use crate::routes::PagePath;
use crate::schema::stages::Minimum;
use crate::schema::{Category, ConsultationState, Relation};

/// One draft and what followed it on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub draft: NoticeId,
    /// The notice publishing the comments received and how they were handled.
    pub feedback: Option<NoticeId>,
    /// The final document.
    pub adopted: Option<NoticeId>,
    /// Interpretations (解读) of the final document.
    pub interpretations: Vec<NoticeId>,
}

impl Chain {
    /// Every notice of the chain.
    pub fn members(&self) -> impl Iterator<Item = NoticeId> + '_ {
        [Some(self.draft), self.feedback, self.adopted]
            .into_iter()
            .flatten()
            .chain(self.interpretations.iter().copied())
    }
}

/// The chains of a site's drafts (in notice order), the chain of each notice
/// (`None` outside any), and a warning for each `feedback_on`/`consulted` that
/// names no draft.
pub fn chains(notices: &[Published]) -> (Vec<Chain>, Vec<Option<u32>>, Vec<Diagnostic>) {
    let mut chains: Vec<Chain> = Vec::new();
    let mut index: HashMap<&PagePath, usize> = HashMap::new();
    for n in notices.iter().filter(|n| n.is_draft()) {
        index.insert(&n.url, chains.len());
        chains.push(Chain { draft: n.id, feedback: None, adopted: None, interpretations: Vec::new() });
    }
    let mut diags = Vec::new();
    // Oldest first, so the first report or final document of a draft is the one kept.
    for n in notices.iter().rev() {
        for (field, target) in [("feedback_on", &n.stages.feedback_on), ("consulted", &n.stages.consulted)] {
            let Some(target) = target else { continue };
            match index.get(target) {
                Some(&c) => {
                    let slot = if field == "feedback_on" { &mut chains[c].feedback } else { &mut chains[c].adopted };
                    slot.get_or_insert(n.id);
                }
                None => diags.push(link_warning(n, field, target, notices)),
            }
        }
    }
    for chain in &mut chains {
        if let Some(adopted) = chain.adopted {
            chain.interpretations = notices[adopted.index()]
                .life
                .incoming
                .iter()
                .filter(|i| i.relation == Relation::Interprets)
                .map(|i| i.from)
                .collect();
        }
    }
    let mut of = vec![None; notices.len()];
    for (c, chain) in chains.iter().enumerate() {
        for id in chain.members() {
            of[id.index()].get_or_insert(c as u32);
        }
    }
    (chains, of, diags)
}

fn link_warning(n: &Notice, field: &str, target: &PagePath, notices: &[Published]) -> Diagnostic {
    let (line, column) = n.field_position(field);
    let shown = target.0.join("/");
    let what = if notices.iter().any(|o| &o.url == target) {
        format!("{field} names {shown}, a page of this site that is not a consultation draft")
    } else {
        format!("{field} names {shown}, which is not a page of this site")
    };
    Diagnostic::new(Code::ConsultationLink, n.display(), what)
        .at(line, column)
        .field(field)
        .found(shown)
        .expected("the address of a notice with `consultation:` (as in its URL, e.g. notices/xxx-zhengqiu)")
}

/// `check`'s warnings about consultations on the site's date: periods shorter than
/// the minimum, closed consultations without their 采纳情况 after `feedback_days`,
/// and final 规章/行政规范性文件 that name no consultation.
pub fn lints(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let today = site.reference_date;
    for n in &site.notices {
        if let Some(c) = &n.stages.consultation {
            let (line, column) = n.field_position("consultation");
            if let Some(minimum) = c.too_short() {
                let ran = match minimum {
                    Minimum::Days(_) => format!("{} days", c.days()),
                    Minimum::WorkingDays(_) => format!("{} working days", c.working_days()),
                };
                out.push(
                    Diagnostic::new(
                        Code::ConsultationPeriod,
                        n.display(),
                        format!(
                            "the consultation runs {ran} ({} to {}), less than the {minimum} a {} draft is open for comment",
                            c.opens,
                            c.closes,
                            c.category.as_str()
                        ),
                    )
                    .at(line, column)
                    .field("consultation")
                    .found(ran)
                    .expected(format!("at least {minimum}"))
                    .hint("《重大行政决策程序暂行条例》 and 国办发〔2018〕37号 set the minimum; extend `closes:`, or correct `category:`"),
                );
            }
            let chain = site.chain_of(n.id);
            if c.state(today) == ConsultationState::Closed
                && chain.is_none_or(|ch| ch.feedback.is_none())
                && overdue(c.closes.0, today, site.config.feedback_days)
            {
                out.push(
                    Diagnostic::new(
                        Code::FeedbackMissing,
                        n.display(),
                        format!(
                            "the consultation closed on {} and, {} days later, no 采纳情况 names it",
                            c.closes,
                            (today - c.closes.0).num_days()
                        ),
                    )
                    .at(line, column)
                    .field("consultation")
                    .expected(format!(
                        "a notice with `feedback_on: {}` within {} days of closing",
                        n.url.0.join("/"),
                        site.config.feedback_days
                    ))
                    .hint("publish the comments received and how they were handled (公众意见及采纳情况)"),
                );
            }
        } else if matches!(n.category, Some(Category::Rule | Category::Normative)) && n.stages.consulted.is_none() {
            let (line, column) = n.field_position("category");
            let category = n.category.map(|c| c.as_str()).unwrap_or_default();
            out.push(
                Diagnostic::new(Code::NotConsulted, n.display(), format!("a {category} that names no consultation draft"))
                    .at(line, column)
                    .field("consulted")
                    .expected("`consulted: notices/…`, the address of the draft published for comment")
                    .hint("a 规章 or 行政规范性文件 is published for comment before it is adopted; link the draft so the chain shows"),
            );
        }
    }
    out
}

fn overdue(closed: NaiveDate, today: NaiveDate, days: i64) -> bool {
    (today - closed).num_days() > days
}
