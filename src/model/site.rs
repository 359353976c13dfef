//! The site model, built once: public notices in their display order, and the
//! browse lists (年份, 发文机关, 文种, 体裁, 主题分类). Checks that need every notice
//! at once (duplicate document numbers, two notices at one URL) live here.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::model::citations::{CitationIndex, cited_numbers, cited_titles};
use crate::model::fields::{Date, Disclosure, DocNumber, Validity};
use crate::model::notice::{Notice, Relation};
use crate::progress::{IndicatorReport, evaluate};

/// First URL segments used by generated pages; a notice may not live there.
pub const RESERVED: &[&str] = &[
    "years",
    "issuers",
    "genres",
    "forms",
    "topics",
    "assets",
    "index.html",
    "feed.xml",
    "sitemap.xml",
    "catalogue.json",
    "404.html",
];

/// A browse dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyKind {
    Year,
    Issuer,
    Genre,
    Form,
    Topic,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 5] = [Self::Year, Self::Issuer, Self::Genre, Self::Form, Self::Topic];

    /// First URL segment of this dimension's pages.
    pub fn key(self) -> &'static str {
        match self {
            Self::Year => "years",
            Self::Issuer => "issuers",
            Self::Genre => "genres",
            Self::Form => "forms",
            Self::Topic => "topics",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Year => "年份",
            Self::Issuer => "发文机关",
            Self::Genre => "文种",
            Self::Form => "体裁",
            Self::Topic => "主题分类",
        }
    }

    /// The terms a notice is listed under. A two-level topic lists the notice
    /// under its top level too.
    pub fn terms_of(self, n: &Notice) -> Vec<Vec<String>> {
        match self {
            Self::Year => vec![vec![n.published.year().to_string()]],
            Self::Issuer => n.issuers.iter().map(|i| vec![i.clone()]).collect(),
            Self::Genre => n.genre.iter().map(|g| vec![g.clone()]).collect(),
            Self::Form => n.form.iter().map(|f| vec![f.clone()]).collect(),
            Self::Topic => {
                let mut out: Vec<Vec<String>> = Vec::new();
                for t in &n.topics {
                    for depth in 1..=t.levels.len() {
                        let levels = t.levels[..depth].to_vec();
                        if !out.contains(&levels) {
                            out.push(levels);
                        }
                    }
                }
                out
            }
        }
    }
}

/// One value of a dimension (a year, an issuer …) and its notices.
#[derive(Debug, Clone)]
pub struct Term {
    /// Levels of the name: one, or two for a sub-topic.
    pub levels: Vec<String>,
    /// Indexes into `Site::notices`, in display order.
    pub notices: Vec<usize>,
}

impl Term {
    pub fn name(&self) -> String {
        self.levels.join("\\")
    }
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    pub terms: Vec<Term>,
}

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    /// Public notices, newest first (then by URL, so the order never depends on
    /// how files were found).
    pub notices: Vec<Notice>,
    /// Files left out because they are not 主动公开.
    pub withheld: Vec<(PathBuf, Disclosure)>,
    pub taxonomies: Vec<Taxonomy>,
    /// The date statuses are computed for.
    pub reference_date: NaiveDate,
    /// Progress of each notice's indicators, aligned with `notices` (empty when a
    /// notice has no data files). Computed once here, used by every page.
    pub reports: Vec<Vec<IndicatorReport>>,
    /// Validity, relations, citations and revision in force of each notice on the
    /// reference date, aligned with `notices`.
    pub lifecycle: Vec<Lifecycle>,
    /// Set when the site is built as it stood on a past date (`--as-of`).
    pub as_of: Option<NaiveDate>,
}

/// A notice's life as of the reference date.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    pub validity: Option<Validity>,
    /// Why the validity is what it is, when another notice decided it.
    pub validity_by: Option<(Relation, usize)>,
    /// This notice amends/supersedes/repeals/interprets: the number, and the notice if in the site.
    pub outgoing: Vec<(Relation, DocNumber, Option<usize>)>,
    /// Notices that amend/supersede/repeal/interpret this one.
    pub incoming: Vec<(Relation, usize)>,
    /// Citations in the text in force that resolve to notices of the site: the
    /// text as cited, and the notice.
    pub cites: Vec<(String, usize)>,
    pub cited_by: Vec<usize>,
    /// The revision of the text in force (None: as first published).
    pub revision: Option<Date>,
}

impl Site {
    /// Build the model; errors here are problems between notices.
    pub fn build(
        config: SiteConfig,
        mut notices: Vec<Notice>,
        mut withheld: Vec<(PathBuf, Disclosure)>,
        reference_date: NaiveDate,
    ) -> Result<Site, Vec<Diagnostic>> {
        let diags = cross_checks(&notices);
        if !diags.is_empty() {
            return Err(diags);
        }
        notices.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.url_segments.cmp(&b.url_segments)));
        withheld.sort_by(|a, b| a.0.cmp(&b.0));
        let taxonomies = TaxonomyKind::ALL
            .iter()
            .map(|&kind| {
                let mut terms: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
                for (i, n) in notices.iter().enumerate() {
                    for levels in kind.terms_of(n) {
                        terms.entry(levels).or_default().push(i);
                    }
                }
                let mut terms: Vec<Term> =
                    terms.into_iter().map(|(levels, notices)| Term { levels, notices }).collect();
                if kind == TaxonomyKind::Year {
                    terms.reverse(); // newest year first
                }
                Taxonomy { kind, terms }
            })
            .collect();
        let reports = notices
            .iter()
            .map(|n| n.progress.as_ref().map(|p| evaluate(p, reference_date)).unwrap_or_default())
            .collect();
        let lifecycle = lifecycle(&notices, reference_date);
        Ok(Site { config, notices, withheld, taxonomies, reference_date, reports, lifecycle, as_of: None })
    }
}

/// Relations, validity and citations of every notice on `date`.
fn lifecycle(notices: &[Notice], date: NaiveDate) -> Vec<Lifecycle> {
    let by_number: HashMap<&str, usize> =
        notices.iter().enumerate().filter_map(|(i, n)| n.doc_number.as_ref().map(|d| (d.text.as_str(), i))).collect();
    let index = CitationIndex::new(notices);
    let mut out: Vec<Lifecycle> = notices
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (body, revision) = n.body_as_of(date);
            let mut cites: Vec<(String, usize)> = Vec::new();
            for c in cited_numbers(body) {
                if let Some(t) = index.number(&c).filter(|&t| t != i) {
                    cites.push((body[c.start..c.end].to_owned(), t));
                }
            }
            for (title, _, _) in cited_titles(body) {
                if let Some(t) = index.title(&title).filter(|&t| t != i) {
                    cites.push((title, t));
                }
            }
            cites.dedup();
            Lifecycle {
                validity: n.own_validity_as_of(date),
                outgoing: n
                    .relations
                    .iter()
                    .map(|(r, d)| (*r, d.clone(), by_number.get(d.text.as_str()).copied()))
                    .collect(),
                cites,
                revision,
                ..Lifecycle::default()
            }
        })
        .collect();
    for i in 0..notices.len() {
        for (relation, _, target) in out[i].outgoing.clone() {
            let Some(t) = target.filter(|&t| t != i) else { continue };
            out[t].incoming.push((relation, i));
            // A repeal or a replacement takes effect when the later notice does.
            let from = notices[i].effective.unwrap_or(notices[i].published);
            if from.0 <= date {
                match relation {
                    Relation::Repeals => {
                        out[t].validity = Some(Validity::Repealed);
                        out[t].validity_by = Some((relation, i));
                    }
                    Relation::Supersedes if out[t].validity != Some(Validity::Repealed) => {
                        out[t].validity = Some(Validity::Expired);
                        out[t].validity_by = Some((relation, i));
                    }
                    _ => {}
                }
            }
        }
        for (_, t) in out[i].cites.clone() {
            if !out[t].cited_by.contains(&i) {
                out[t].cited_by.push(i);
            }
        }
    }
    out
}

/// Problems between notices: duplicate document numbers, two notices at one URL,
/// a URL the site's own pages use.
pub fn cross_checks(notices: &[Notice]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut by_number: HashMap<&str, &Notice> = HashMap::new();
    let mut by_url: HashMap<Vec<String>, &Notice> = HashMap::new();
    for n in notices {
        if let Some(num) = &n.doc_number {
            if let Some(first) = by_number.get(num.text.as_str()) {
                let (line, col) = n.field_position("doc_number");
                diags.push(
                    Diagnostic::error(n.display(), format!("duplicate document number {}", num.text))
                        .at(line, col)
                        .field("doc_number")
                        .found(format!("{} — also used by {}:{}", num.text, first.display().display(), first.field_position("doc_number").0))
                        .expected("a document number used by one notice only")
                        .hint("two notices cannot share a 发文字号; check for a copied file or a typo in the sequence number"),
                );
            } else {
                by_number.insert(&num.text, n);
            }
        }
        let url: Vec<String> = n.url_segments.iter().map(|s| s.to_lowercase()).collect();
        if let Some(first) = by_url.get(&url) {
            let (line, col) = n.field_position("slug");
            diags.push(
                Diagnostic::error(n.display(), format!("two notices at the same URL /{}/", n.url_segments.join("/")))
                    .at(line, col)
                    .field("slug")
                    .found(format!(
                        "this notice and {} both map to /{}/",
                        first.display().display(),
                        n.url_segments.join("/")
                    ))
                    .expected("one notice per URL (URLs are compared ignoring letter case)")
                    .hint("rename one of the files or give it a different `slug:`"),
            );
        } else {
            by_url.insert(url, n);
        }
        if let Some(first) = n.url_segments.first()
            && RESERVED.contains(&first.as_str())
        {
            let (line, col) = n.field_position("slug");
            diags.push(
                Diagnostic::error(
                    n.display(),
                    format!("URL /{}/ is reserved for the site's own pages", n.url_segments.join("/")),
                )
                .at(line, col)
                .field("slug")
                .found(first.clone())
                .expected(format!("a folder or slug other than {}", RESERVED.join(", ")))
                .hint("move the notice into another folder of content/"),
            );
        }
    }
    diags
}
