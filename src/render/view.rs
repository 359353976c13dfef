//! `NoticeView`: a notice as every output sees it — the `notice` of the templates,
//! each entry of `catalogue.json` (through `catalogue::Entry`), each entry of the
//! feeds, each document of the search index. Made once per notice per build, it
//! borrows from the model; its fields are the theme authors' contract (README,
//! "Themes").

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::lifecycle::Cite;
use crate::model::{NoticeId, Published, Site};
use crate::notice::ValidityChange;
use crate::progress::IndicatorReport;
use crate::progress::data::{Comparator, Direction, Indicator, Milestone, Point};
use crate::progress::period::Period;
use crate::progress::status::{Assessment, known_by};
use crate::render::Ui;
use crate::render::stages::{ChainView, ConsultationView, WithdrawnRef, withdrawn_by_number, withdrawn_refs};
use crate::routes::{self, encode_path};
use crate::schema::{Category, Date, Disclosure, DocNumber, Form, Genre, Issuer, Relation, Topic, Validity, YearSpan};

/// The views of a site's notices, each made the first time it is asked for and
/// kept: a full build asks for all of them (`all`, on every core), a live
/// preview after one edit only for the few its changed pages show.
pub struct Views<'a> {
    site: &'a Site,
    cells: Vec<OnceLock<NoticeView<'a>>>,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site) -> Views<'a> {
        Views { site, cells: (0..site.notices.len()).map(|_| OnceLock::new()).collect() }
    }

    /// The view of notice `i` (`NoticeId::index`).
    pub fn get(&self, i: usize) -> &NoticeView<'a> {
        self.cells[i].get_or_init(|| NoticeView::of(self.site, &self.site.notices[i]))
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Every view, in notice order (made on every core first).
    pub fn all<'s>(&'s self) -> impl ExactSizeIterator<Item = &'s NoticeView<'s>> {
        (0..self.len()).into_par_iter().for_each(|i| {
            self.get(i);
        });
        (0..self.len()).map(|i| -> &'s NoticeView<'s> { self.get(i) })
    }
}

/// A notice as templates and the other outputs see it.
#[derive(Debug, Serialize)]
pub struct NoticeView<'a> {
    /// Absolute URL of the page (folder form), from the site's base URL.
    pub url: String,
    /// The page's folder relative to the site root, percent-encoded, with a final `/`.
    pub path: String,
    /// Link to the page from the site root (`path` + `index.html`): in templates,
    /// `{{ root }}{{ notice.href }}`.
    pub href: String,
    /// The Markdown file, relative to the site folder.
    pub source: String,
    pub title: &'a str,
    /// `{text, issuer_code, year, sequence}`.
    pub doc_number: Option<&'a DocNumber>,
    pub index_number: Option<&'a str>,
    pub issuers: &'a [Issuer],
    pub genre: Option<&'a Genre>,
    pub form: Option<&'a Form>,
    /// Topic names, levels joined by `\`.
    pub topics: &'a [Topic],
    pub written: Option<Date>,
    pub published: Date,
    pub recipients: &'a [String],
    pub cc: &'a [String],
    pub printed: Option<&'a str>,
    pub note: Option<&'a str>,
    pub period: Option<YearSpan>,
    /// Validity on the site's date (see `lifecycle` for why).
    pub validity: Option<Validity>,
    pub disclosure: Disclosure,
    /// 规章 or 行政规范性文件 (what annual reports count), and its 登记号.
    pub category: Option<Category>,
    pub registration: Option<&'a str>,
    /// `zh-Hans` or `zh-Hant`.
    pub lang: &'static str,
    pub attachments: Vec<AttachmentView<'a>>,
    pub lifecycle: LifecycleView<'a>,
    /// Targets, reported values and their statuses, when the notice has data files.
    pub progress: Option<ProgressView<'a>>,
    /// 上一篇 / 下一篇 in the same year, and related notices.
    pub nearby: NearbyView<'a>,
    /// A draft's consultation (征求意见稿), as of the site's date.
    pub consultation: Option<ConsultationView<'a>>,
    /// The consultation chain the notice is in: 征求意见稿 → 意见采纳情况 → 正式文件 → 解读.
    pub chain: Option<ChainView<'a>>,
}

/// Where a reader goes next from a notice (`model::nearby`).
#[derive(Debug, Serialize)]
pub struct NearbyView<'a> {
    /// 上一篇: the next newer notice of the same year.
    pub newer: Option<NoticeRef<'a>>,
    /// 下一篇: the next older notice of the same year.
    pub older: Option<NoticeRef<'a>>,
    /// Same issuer and topic, when the notice declares no relations.
    pub related: Vec<NoticeRef<'a>>,
}

/// A file attached to a notice, copied beside its page.
#[derive(Debug, Serialize)]
pub struct AttachmentView<'a> {
    /// Path relative to the notice's folder.
    pub file: &'a str,
    pub title: &'a str,
    pub bytes: u64,
    pub url: String,
    /// Link from the notice's page (percent-encoded `file`).
    pub href: String,
}

/// Another notice, as a link.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeRef<'a> {
    pub title: &'a str,
    pub doc_number: Option<&'a DocNumber>,
    pub published: Date,
    pub url: String,
    /// From the site root, like `NoticeView::href`.
    pub href: String,
}

/// A relation to a document: the relation, its label in Chinese, the document's
/// number, and the notice when the site has it.
#[derive(Debug, Serialize)]
pub struct RelationView<'a> {
    pub relation: Relation,
    /// 修改/替代/废止/解读 (this notice's) or 被修改/… (another notice's to this one).
    pub label: String,
    pub doc_number: Option<&'a DocNumber>,
    pub notice: Option<NoticeRef<'a>>,
    /// The document, when the site has it but it is withdrawn (this notice's relations only).
    pub withdrawn: Option<WithdrawnRef<'a>>,
}

#[derive(Debug, Serialize)]
pub struct CiteView<'a> {
    /// The words cited: a number as written, or a title.
    pub text: &'a str,
    pub notice: NoticeRef<'a>,
}

#[derive(Debug, Serialize)]
pub struct RevisionView {
    pub date: Date,
    /// The page of this version, from the site root.
    pub href: String,
    pub in_force: bool,
}

/// A notice's life on the site's date.
#[derive(Debug, Serialize)]
pub struct LifecycleView<'a> {
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    /// The validity the notice itself states (`validity` is the one on the date).
    pub stated_validity: Option<Validity>,
    pub validity_changes: Vec<ValidityChangeView>,
    /// The later notice that decided the validity, if one did.
    pub validity_decided_by: Option<RelationView<'a>>,
    /// What this notice amends, supersedes, repeals or interprets.
    pub relations: Vec<RelationView<'a>>,
    /// Notices that amend, supersede, repeal or interpret this one.
    pub related_by: Vec<RelationView<'a>>,
    /// Citations in the text that name notices of the site, in order.
    pub cites: Vec<CiteView<'a>>,
    /// The notices cited, each once.
    pub cited_notices: Vec<NoticeRef<'a>>,
    pub cited_by: Vec<NoticeRef<'a>>,
    pub revisions: Vec<RevisionView>,
    /// The revision in force (None: the text as first published).
    pub revision_in_force: Option<Date>,
    /// The page of the text as first published (useful when there are revisions).
    pub original_href: String,
    /// Withdrawn notices the text cites, each once.
    pub cited_withdrawn: Vec<WithdrawnRef<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ValidityChangeView {
    pub date: Date,
    pub validity: Validity,
}

impl From<&ValidityChange> for ValidityChangeView {
    fn from(c: &ValidityChange) -> Self {
        ValidityChangeView { date: c.date, validity: c.validity }
    }
}

/// The progress data of a notice with every input and result.
#[derive(Debug, Serialize)]
pub struct ProgressView<'a> {
    pub reference_date: String,
    /// Data files, relative to the notice's folder.
    pub files: &'a [String],
    pub contains_sample_data: bool,
    pub indicators: Vec<IndicatorView<'a>>,
    pub milestones: &'a [Milestone],
}

#[derive(Debug, Serialize)]
pub struct IndicatorView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub group: Option<&'a str>,
    pub unit: &'a str,
    pub direction: Direction,
    pub baseline: Option<&'a Point>,
    /// Every reported value, including those reported after the site's date.
    pub actuals: &'a [Point],
    /// The last value reported by the site's date.
    pub latest: Option<&'a Point>,
    /// The status of the current target (`status::Status::key`).
    pub status: &'static str,
    /// Index of the current target.
    pub current_target: Option<usize>,
    pub targets: Vec<TargetView<'a>>,
    /// Values reported by the site's date.
    #[serde(skip)]
    pub known: Vec<&'a Point>,
    #[serde(skip)]
    pub source: &'a Indicator,
    #[serde(skip)]
    pub report: &'a IndicatorReport,
}

#[derive(Debug, Serialize)]
pub struct TargetView<'a> {
    pub period: Option<&'a Period>,
    pub comparator: Comparator,
    pub value: f64,
    pub text: Option<&'a str>,
    pub assessment: &'a Assessment,
}

impl<'a> NoticeView<'a> {
    pub fn of(site: &'a Site, n: &'a Published) -> NoticeView<'a> {
        let base = &site.config.base_url;
        let url = n.url.url(base);
        NoticeView {
            path: n.url.encoded_dir(),
            href: n.url.href(),
            source: n.source.display.to_string_lossy().replace('\\', "/"),
            title: &n.title,
            doc_number: n.doc_number.as_ref(),
            index_number: n.index_number.as_deref(),
            issuers: &n.issuers,
            genre: n.genre.as_ref(),
            form: n.form.as_ref(),
            topics: &n.topics,
            written: n.written,
            published: n.published,
            recipients: &n.recipients,
            cc: &n.cc,
            printed: n.printed.as_deref(),
            note: n.note.as_deref(),
            period: n.period,
            validity: n.life.validity,
            disclosure: n.disclosure,
            category: n.category,
            registration: n.registration.as_deref(),
            lang: n.script.lang_tag(),
            attachments: n
                .attachments
                .iter()
                .filter(|a| !a.data)
                .map(|a| AttachmentView {
                    file: &a.file,
                    title: &a.title,
                    bytes: a.bytes,
                    url: format!("{url}{}", encode_path(&a.file)),
                    href: encode_path(&a.file),
                })
                .collect(),
            lifecycle: lifecycle(site, n),
            progress: progress(site, n),
            nearby: NearbyView {
                newer: n.nearby.newer.map(|id| notice_ref(site, id)),
                older: n.nearby.older.map(|id| notice_ref(site, id)),
                related: n.nearby.related.iter().map(|&id| notice_ref(site, id)).collect(),
            },
            consultation: n.stages.consultation.as_ref().map(|c| ConsultationView::of(c, site)),
            chain: ChainView::of(site, n),
            url,
        }
    }
}

/// A link to a notice of the site.
pub fn notice_ref(site: &Site, id: NoticeId) -> NoticeRef<'_> {
    let n = site.get(id);
    NoticeRef {
        title: &n.title,
        doc_number: n.doc_number.as_ref(),
        published: n.published,
        url: n.url.url(&site.config.base_url),
        href: n.url.href(),
    }
}

fn lifecycle<'a>(site: &'a Site, n: &'a Published) -> LifecycleView<'a> {
    let life = &n.life;
    let ui = Ui::of(site);
    let incoming = |relation: Relation, from: NoticeId| RelationView {
        relation,
        label: ui.t(relation.inverse_label()),
        doc_number: site.get(from).doc_number.as_ref(),
        notice: Some(notice_ref(site, from)),
        withdrawn: None,
    };
    let mut cited_ids: Vec<NoticeId> = life.cites.iter().map(|c: &Cite| c.target).collect();
    cited_ids.sort();
    cited_ids.dedup();
    LifecycleView {
        effective: n.effective,
        expires: n.expires,
        stated_validity: n.validity,
        validity_changes: n.validity_changes.iter().map(ValidityChangeView::from).collect(),
        validity_decided_by: life.validity_by.map(|by| RelationView {
            // The deciding notice's own relation, named from its side.
            label: ui.t(by.relation.label()),
            ..incoming(by.relation, by.from)
        }),
        relations: life
            .outgoing
            .iter()
            .map(|o| RelationView {
                relation: o.relation,
                label: ui.t(o.relation.label()),
                doc_number: Some(&o.number),
                notice: o.target.map(|t| notice_ref(site, t)),
                withdrawn: o.target.is_none().then(|| withdrawn_by_number(site, &o.number)).flatten(),
            })
            .collect(),
        related_by: life.incoming.iter().map(|i| incoming(i.relation, i.from)).collect(),
        cites: life.cites.iter().map(|c| CiteView { text: &c.text, notice: notice_ref(site, c.target) }).collect(),
        cited_notices: cited_ids.into_iter().map(|t| notice_ref(site, t)).collect(),
        cited_by: life.cited_by.iter().map(|&t| notice_ref(site, t)).collect(),
        revisions: n
            .revisions
            .iter()
            .map(|r| RevisionView {
                date: r.date,
                href: routes::revision(&n.url, Some(&r.date.to_string())).href(),
                in_force: Some(r.date) == life.revision,
            })
            .collect(),
        revision_in_force: life.revision,
        original_href: routes::revision(&n.url, None).href(),
        cited_withdrawn: withdrawn_refs(site, n),
    }
}

fn progress<'a>(site: &'a Site, n: &'a Published) -> Option<ProgressView<'a>> {
    let data = n.progress.as_ref()?;
    Some(ProgressView {
        reference_date: site.reference_date.format("%Y-%m-%d").to_string(),
        files: &data.files,
        contains_sample_data: data.has_sample_data(),
        indicators: data
            .indicators
            .iter()
            .zip(&n.reports)
            .map(|(ind, report)| {
                let known = known_by(ind, site.reference_date);
                IndicatorView {
                    id: &ind.id,
                    name: &ind.name,
                    group: ind.group.as_deref(),
                    unit: &ind.unit,
                    direction: ind.direction,
                    baseline: ind.baseline.as_ref(),
                    actuals: &ind.actuals,
                    latest: known.last().copied(),
                    status: report.status().key(),
                    current_target: report.current,
                    targets: ind
                        .targets
                        .iter()
                        .zip(&report.assessments)
                        .map(|(t, a)| TargetView {
                            period: t.period.as_ref(),
                            comparator: t.comparator,
                            value: t.value,
                            text: t.text.as_deref(),
                            assessment: a,
                        })
                        .collect(),
                    known,
                    source: ind,
                    report,
                }
            })
            .collect(),
        milestones: &data.milestones,
    })
}
