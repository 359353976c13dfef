//! How the outputs show a policy's life before and after it: a draft's
//! consultation, the chain 征求意见稿 → 意见采纳情况 → 正式文件 → 解读 on the page
//! of each of its notices, the list of consultations, and withdrawn notices
//! (their short page, catalogue part and feed entries). Words put into pages go
//! through `Ui`.

use serde::Serialize;

use super::Ui;
use super::view::{NoticeRef, notice_ref};
use crate::model::{NoticeId, Published, Site};
use crate::notice::Notice;
use crate::schema::{Consultation, ConsultationState, Date, DocNumber, DraftKind, Issuer, Withdrawal};

/// A draft's consultation as of the site's date.
#[derive(Debug, Serialize)]
pub struct ConsultationView<'a> {
    pub opens: Date,
    pub closes: Date,
    pub channel: &'a [String],
    pub category: DraftKind,
    pub enterprises: bool,
    /// `upcoming`, `open` or `closed`.
    pub state: &'static str,
    /// 未开始 / 正在征求意见 / 已截止, in the site's script.
    pub state_label: String,
    /// While open: days left, the closing day counted.
    pub days_left: Option<i64>,
    /// The day the state is judged on (the site's date).
    pub on: String,
}

impl<'a> ConsultationView<'a> {
    pub fn of(c: &'a Consultation, site: &Site) -> ConsultationView<'a> {
        let (state, label, days_left) = match c.state(site.reference_date) {
            ConsultationState::Upcoming => ("upcoming", "未开始", None),
            ConsultationState::Open { days_left } => ("open", "正在征求意见", Some(days_left)),
            ConsultationState::Closed => ("closed", "已截止", None),
        };
        ConsultationView {
            opens: c.opens,
            closes: c.closes,
            channel: &c.channel,
            category: c.category,
            enterprises: c.enterprises,
            state,
            state_label: Ui::of(site).t(label),
            days_left,
            on: site.reference_date.format("%Y-%m-%d").to_string(),
        }
    }
}

/// One step of a consultation chain.
#[derive(Debug, Serialize)]
pub struct ChainStep<'a> {
    /// `draft`, `feedback`, `adopted`, `interpretation`.
    pub key: &'static str,
    pub label: String,
    /// The notices of the step (none yet: the page says so).
    pub notices: Vec<NoticeRef<'a>>,
    /// The page shown is one of them.
    pub current: bool,
}

/// The chain a notice is in, step by step.
#[derive(Debug, Serialize)]
pub struct ChainView<'a> {
    pub steps: Vec<ChainStep<'a>>,
}

impl<'a> ChainView<'a> {
    pub fn of(site: &'a Site, n: &Published) -> Option<ChainView<'a>> {
        let chain = site.chain_of(n.id)?;
        let ui = Ui::of(site);
        let step = |key, label: &str, ids: Vec<NoticeId>| ChainStep {
            key,
            label: ui.t(label),
            current: ids.contains(&n.id),
            notices: ids.into_iter().map(|id| notice_ref(site, id)).collect(),
        };
        Some(ChainView {
            steps: vec![
                step("draft", "征求意见稿", vec![chain.draft]),
                step("feedback", "意见采纳情况", chain.feedback.into_iter().collect()),
                step("adopted", "正式文件", chain.adopted.into_iter().collect()),
                step("interpretation", "解读", chain.interpretations.clone()),
            ],
        })
    }
}

/// A withdrawn notice: what its page, the catalogue and the feed say of it — never its text.
#[derive(Debug, Serialize)]
pub struct WithdrawnView<'a> {
    pub url: String,
    pub path: String,
    pub href: String,
    pub source: String,
    pub title: &'a str,
    pub doc_number: Option<&'a DocNumber>,
    pub index_number: Option<&'a str>,
    pub issuers: &'a [Issuer],
    pub written: Option<Date>,
    pub published: Date,
    pub withdrawn: &'a Withdrawal,
    pub lang: &'static str,
}

impl<'a> WithdrawnView<'a> {
    pub fn of(site: &Site, n: &'a Notice) -> Option<WithdrawnView<'a>> {
        Some(WithdrawnView {
            url: n.url.url(&site.config.base_url),
            path: n.url.encoded_dir(),
            href: n.url.href(),
            source: n.source.display.to_string_lossy().replace('\\', "/"),
            title: &n.title,
            doc_number: n.doc_number.as_ref(),
            index_number: n.index_number.as_deref(),
            issuers: &n.issuers,
            written: n.written,
            published: n.published,
            withdrawn: n.stages.withdrawn.as_ref()?,
            lang: n.script.lang_tag(),
        })
    }
}

/// A withdrawn notice as a citing notice's page links it.
#[derive(Debug, Serialize)]
pub struct WithdrawnRef<'a> {
    pub text: &'a str,
    pub title: &'a str,
    pub href: String,
    pub date: Date,
}

pub fn withdrawn_refs<'a>(site: &'a Site, n: &'a Published) -> Vec<WithdrawnRef<'a>> {
    let mut out: Vec<WithdrawnRef> = Vec::new();
    for c in &n.withdrawn_cites {
        let w = &site.withdrawn[c.target];
        if out.iter().any(|o| o.title == w.title) {
            continue;
        }
        if let Some(withdrawn) = &w.stages.withdrawn {
            out.push(WithdrawnRef { text: &c.text, title: &w.title, href: w.url.href(), date: withdrawn.date });
        }
    }
    out
}

/// The withdrawn notice that carries `number`, as a link.
pub fn withdrawn_by_number<'a>(site: &'a Site, number: &'a DocNumber) -> Option<WithdrawnRef<'a>> {
    let w = site.withdrawn.iter().find(|w| w.doc_number.as_ref().is_some_and(|d| d.text == number.text))?;
    let date = w.stages.withdrawn.as_ref()?.date;
    Some(WithdrawnRef { text: &number.text, title: &w.title, href: w.url.href(), date })
}

/// The consultations page: open now, closed awaiting their 采纳情况, and all.
#[derive(Debug, Serialize)]
pub struct ConsultationList<'a> {
    pub open: Vec<ConsultationItem<'a>>,
    pub awaiting: Vec<ConsultationItem<'a>>,
    pub all: Vec<ConsultationItem<'a>>,
    pub as_of: String,
}

#[derive(Debug, Serialize)]
pub struct ConsultationItem<'a> {
    pub notice: NoticeRef<'a>,
    pub issuers: &'a [Issuer],
    pub consultation: ConsultationView<'a>,
    pub feedback: Option<NoticeRef<'a>>,
    pub adopted: Option<NoticeRef<'a>>,
}

impl<'a> ConsultationList<'a> {
    pub fn of(site: &'a Site) -> ConsultationList<'a> {
        let mut list = ConsultationList {
            open: Vec::new(),
            awaiting: Vec::new(),
            all: Vec::new(),
            as_of: site.reference_date.format("%Y-%m-%d").to_string(),
        };
        let item = |chain: &crate::model::consultation::Chain| {
            let n = site.get(chain.draft);
            let c = n.stages.consultation.as_ref()?;
            Some(ConsultationItem {
                notice: notice_ref(site, chain.draft),
                issuers: &n.issuers,
                consultation: ConsultationView::of(c, site),
                feedback: chain.feedback.map(|id| notice_ref(site, id)),
                adopted: chain.adopted.map(|id| notice_ref(site, id)),
            })
        };
        for chain in &site.chains {
            let Some(it) = item(chain) else { continue };
            match it.consultation.state {
                "open" => list.open.extend(item(chain)),
                "closed" if it.feedback.is_none() => list.awaiting.extend(item(chain)),
                _ => {}
            }
            list.all.push(it);
        }
        // Closing soonest first.
        list.open.sort_by_key(|i| i.consultation.closes);
        list
    }
}
