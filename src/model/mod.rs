//! Stage 3, model: the site built once from its validated notices. Checks that need
//! every notice at once (`checks`: duplicate numbers, URL clashes), then the public
//! notices in display order with what the site knows of each on the reference date
//! — its life (`lifecycle`: validity, relations and citations both ways, the text
//! in force), where a reader goes next from it (`nearby`) and the status of its
//! targets — and the browse lists.

pub mod checks;
pub mod citations;
pub mod consultation;
pub mod lifecycle;
pub mod nearby;
pub mod relations;
pub mod report;
pub mod withdrawal;

use rayon::prelude::*;
use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::notice::standing::{self, StandingPage};
use crate::notice::{Notice, Withheld};
use crate::progress::{IndicatorReport, evaluate};
use crate::routes::TaxonomyKind;
use crate::schema::{Topic, Validity};

pub use lifecycle::Lifecycle;
pub use nearby::Nearby;

/// A public notice's place in `Site::notices` (0 is the newest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NoticeId(u32);

impl NoticeId {
    pub fn new(index: usize) -> NoticeId {
        NoticeId(u32::try_from(index).expect("fewer than 2^32 notices"))
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A public notice and what the site knows of it on the reference date.
#[derive(Debug)]
pub struct Published {
    pub id: NoticeId,
    pub notice: Notice,
    pub life: Lifecycle,
    /// 上一篇 / 下一篇 and related notices.
    pub nearby: Nearby,
    /// For an annual report (a notice with report data): the numbers the
    /// catalogue knows, computed.
    pub report: Option<report::ComputedReport>,
    /// The status of each indicator of its data files (empty without data).
    pub reports: Vec<IndicatorReport>,
    /// Its consultation chain (`Site::chains`), if it is in one.
    pub chain: Option<u32>,
    /// Its text's citations of withdrawn notices.
    pub withdrawn_cites: Vec<withdrawal::WithdrawnCite>,
}

impl std::ops::Deref for Published {
    type Target = Notice;

    fn deref(&self) -> &Notice {
        &self.notice
    }
}

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    /// Public notices, newest first (then by URL, so the order never depends on
    /// how files were found).
    pub notices: Vec<Published>,
    /// Standing pages (指南, 制度, 联系我们 …), in display order.
    pub pages: Vec<StandingPage>,
    /// Files left out because they are not 主动公开.
    pub withheld: Vec<Withheld>,
    /// Notices withdrawn by the reference date (`withdrawal`), newest first: a
    /// short page each, a catalogue part and feed entries; in no list.
    pub withdrawn: Vec<Notice>,
    /// Consultation drafts with what followed them (`consultation`), newest first.
    pub chains: Vec<consultation::Chain>,
    pub taxonomies: Vec<Taxonomy>,
    /// The date validity and statuses are judged on.
    pub reference_date: NaiveDate,
    /// Set when the site is built as it stood on a past date (`--as-of`).
    pub as_of: Option<NaiveDate>,
}

/// A model that could not be built: the problems between notices, and the
/// notices handed back.
pub type Refused = (Vec<Diagnostic>, Vec<Notice>);

impl Site {
    /// Build the model, with the warnings between notices. Errors are problems
    /// between notices (see `checks`); the notices are handed back with them.
    pub fn build(
        config: SiteConfig,
        notices: Vec<Notice>,
        mut pages: Vec<StandingPage>,
        mut withheld: Vec<Withheld>,
        reference_date: NaiveDate,
        as_of: Option<NaiveDate>,
    ) -> Result<(Site, Vec<Diagnostic>), Refused> {
        let mut diags = checks::between_notices(&notices);
        diags.extend(standing::between_pages(&pages));
        if diags.iter().any(Diagnostic::is_error) {
            return Err((diags, notices));
        }
        // Sorted by position, then moved once: a notice is too large to move about
        // in a sort.
        let mut order: Vec<usize> = (0..notices.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&notices[a], &notices[b]);
            b.published.cmp(&a.published).then_with(|| a.url.cmp(&b.url))
        });
        let mut slots: Vec<Option<Notice>> = notices.into_iter().map(Some).collect();
        let notices: Vec<Notice> = order.into_iter().filter_map(|i| slots[i].take()).collect();
        let (notices, withdrawn) = withdrawal::split(notices, reference_date);
        let withdrawn_cites = withdrawal::cites(&notices, &withdrawn, reference_date);
        withheld.sort_by(|a, b| a.display.cmp(&b.display));
        standing::sort(&mut pages);
        let lives = lifecycle::of_all(&notices, reference_date);
        let nearby = nearby::of_all(&notices);
        let mut notices: Vec<Published> = notices
            .into_par_iter()
            .zip(lives)
            .zip(nearby)
            .zip(withdrawn_cites)
            .enumerate()
            .map(|(i, (((notice, life), nearby), withdrawn_cites))| Published {
                id: NoticeId::new(i),
                reports: notice.progress.as_ref().map(|p| evaluate(p, reference_date)).unwrap_or_default(),
                notice,
                life,
                nearby,
                report: None,
                chain: None,
                withdrawn_cites,
            })
            .collect();
        let reports: Vec<(usize, report::ComputedReport)> = notices
            .iter()
            .filter_map(|n| {
                n.annual_report.as_ref().map(|d| (n.id.index(), report::compute(&notices, &n.issuers, d.year)))
            })
            .collect();
        for (i, r) in reports {
            notices[i].report = Some(r);
        }
        let (chains, chain_of, chain_diags) = consultation::chains(&notices);
        for (n, c) in notices.iter_mut().zip(chain_of) {
            n.chain = c;
        }
        diags.extend(chain_diags);
        let taxonomies = TaxonomyKind::ALL.par_iter().map(|&kind| Taxonomy::of(kind, &notices)).collect();
        let site = Site { config, notices, pages, withheld, withdrawn, chains, taxonomies, reference_date, as_of };
        Ok((site, diags))
    }

    pub fn get(&self, id: NoticeId) -> &Published {
        &self.notices[id.index()]
    }

    /// The consultation chain a notice is in.
    pub fn chain_of(&self, id: NoticeId) -> Option<&consultation::Chain> {
        self.get(id).chain.map(|c| &self.chains[c as usize])
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        self.taxonomies.iter().find(|t| t.kind == kind).expect("every kind has a taxonomy")
    }
}

/// One browse dimension's terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    /// Terms by name (years newest first).
    pub terms: Vec<Term>,
}

/// One value of a dimension (a year, an issuer …) and its notices.
#[derive(Debug, Clone)]
pub struct Term {
    /// Levels of the name: one, or two for a sub-topic.
    pub levels: Vec<String>,
    /// In display order.
    pub notices: Vec<NoticeId>,
}

impl Term {
    pub fn name(&self) -> String {
        self.levels.join("\\")
    }
}

impl Taxonomy {
    fn of(kind: TaxonomyKind, notices: &[Published]) -> Taxonomy {
        let mut terms: BTreeMap<Vec<String>, Vec<NoticeId>> = BTreeMap::new();
        for n in notices {
            for levels in terms_of(kind, n) {
                terms.entry(levels).or_default().push(n.id);
            }
        }
        let mut terms: Vec<Term> = terms.into_iter().map(|(levels, notices)| Term { levels, notices }).collect();
        if kind == TaxonomyKind::Year {
            terms.reverse(); // newest year first
        }
        if kind == TaxonomyKind::Topic {
            terms.sort_by_key(|t| t.levels[0] == UNCLASSIFIED); // stable: the rest keep their order
        }
        Taxonomy { kind, terms }
    }
}

/// A way of narrowing the list of notices: a browse dimension, or validity on the
/// reference date. The search index and the search form both offer these.
pub struct Facet {
    /// Its name in the search index, the form and `gongkai.search(query, filters)`.
    pub key: &'static str,
    pub title: &'static str,
    /// Its values in display order, each with its notices (ascending); values
    /// without notices are left out.
    pub values: Vec<(String, Vec<NoticeId>)>,
}

pub fn facets(site: &Site) -> Vec<Facet> {
    let mut out: Vec<Facet> = site
        .taxonomies
        .iter()
        .map(|tax| Facet {
            key: facet_key(tax.kind),
            title: tax.kind.title(),
            values: tax
                .terms
                .iter()
                .map(|t| {
                    let mut ids = t.notices.clone();
                    ids.sort_unstable();
                    (t.name(), ids)
                })
                .collect(),
        })
        .collect();
    let validity = Validity::ALL
        .iter()
        .map(|name| {
            let ids: Vec<NoticeId> = site
                .notices
                .iter()
                .filter(|n| n.life.validity.is_some_and(|v| v.as_str() == *name))
                .map(|n| n.id)
                .collect();
            (name.to_string(), ids)
        })
        .filter(|(_, ids)| !ids.is_empty())
        .collect::<Vec<_>>();
    // Notices that state no validity can be chosen too, so the filter is offered
    // on every site.
    let unstated: Vec<NoticeId> = site.notices.iter().filter(|n| n.life.validity.is_none()).map(|n| n.id).collect();
    let mut validity = validity;
    if !unstated.is_empty() {
        validity.push((VALIDITY_UNSTATED.to_owned(), unstated));
    }
    out.push(Facet { key: "validity", title: "有效性", values: validity });
    out
}

fn facet_key(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Year => "year",
        TaxonomyKind::Issuer => "issuer",
        TaxonomyKind::Genre => "genre",
        TaxonomyKind::Form => "form",
        TaxonomyKind::Topic => "topic",
    }
}

/// The validity filter's value for the notices that state none.
pub const VALIDITY_UNSTATED: &str = "未注明";

/// The topic term of the notices that name no topic; listed after the others.
pub const UNCLASSIFIED: &str = "未分类";

/// The terms a notice is listed under. A two-level topic lists the notice under
/// its top level too.
pub fn terms_of(kind: TaxonomyKind, n: &Notice) -> Vec<Vec<String>> {
    match kind {
        TaxonomyKind::Year => vec![vec![n.published.year().to_string()]],
        TaxonomyKind::Issuer => n.issuers.iter().map(|i| vec![i.to_string()]).collect(),
        TaxonomyKind::Genre => n.genre.iter().map(|g| vec![g.to_string()]).collect(),
        TaxonomyKind::Form => n.form.iter().map(|f| vec![f.to_string()]).collect(),
        // A notice with no topic is still found by topic, under 未分类.
        TaxonomyKind::Topic if n.topics.is_empty() => vec![vec![UNCLASSIFIED.to_owned()]],
        TaxonomyKind::Topic => {
            let mut out: Vec<Vec<String>> = Vec::new();
            for levels in n.topics.iter().flat_map(Topic::prefixes) {
                if !out.iter().any(|o| o == levels) {
                    out.push(levels.to_vec());
                }
            }
            out
        }
    }
}
