//! Progress pages: the progress section of a notice (tables, charts, milestones)
//! and the site-wide dashboard with its filter pages. No JavaScript is needed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::chart::chart;
use super::ui::Ui;
use super::view::{IndicatorView, NoticeView, ProgressView, Views};
use crate::model::{NoticeId, Site};
use crate::progress::data::Point;
use crate::progress::status::{Status, as_written, fmt};
use crate::routes::{self, PagePath, encode_path};
use crate::schema::Date;

/// The progress section of a notice page (`progress` in `notice.html`).
#[derive(Serialize)]
pub struct Section<'a> {
    reference_date: &'a str,
    /// Some values are illustrative sample data.
    sample: bool,
    /// One table per indicator group.
    groups: Vec<Group<'a>>,
    milestones: Vec<MilestoneRow<'a>>,
    files: Vec<FileLink<'a>>,
}

#[derive(Serialize)]
struct Group<'a> {
    name: String,
    indicators: Vec<IndicatorSection<'a>>,
}

#[derive(Serialize)]
struct IndicatorSection<'a> {
    id: &'a str,
    name: &'a str,
    unit: &'a str,
    direction: String,
    baseline: Option<String>,
    /// Values reported by the site's date.
    actuals: Vec<ActualRow<'a>>,
    /// One row per target.
    rows: Vec<TargetRow<'a>>,
    status: &'static str,
    status_label: String,
    /// Values a later report for the same period corrected, as text.
    corrected: Vec<String>,
    /// Inline SVG.
    chart: String,
}

#[derive(Serialize)]
struct ActualRow<'a> {
    text: String,
    reported: Option<Date>,
    source: Option<&'a str>,
    sample: bool,
    approximate: bool,
}

#[derive(Serialize)]
struct TargetRow<'a> {
    period: String,
    target: String,
    text: Option<&'a str>,
    latest: Option<String>,
    status: &'static str,
    status_label: String,
    progress: Option<String>,
    explanation: String,
    current: bool,
}

#[derive(Serialize)]
struct MilestoneRow<'a> {
    task: &'a str,
    lead: Option<&'a str>,
    co: &'a [String],
    phase: Option<&'a str>,
    period: Option<&'a str>,
    due: Option<Date>,
    state: String,
    completed: Option<Date>,
    sample: bool,
}

#[derive(Serialize)]
struct FileLink<'a> {
    name: &'a str,
    href: String,
    source_href: String,
}

fn point_text(p: &Point, unit: &str) -> String {
    let sample = if p.sample { "（示例）" } else { "" };
    format!("{}（{}）{sample}", as_written(&p.written, p.value, unit), p.period.label)
}

impl<'a> Section<'a> {
    pub fn of(p: &'a ProgressView<'a>, ui: Ui) -> Section<'a> {
        let mut groups: Vec<Group> = Vec::new();
        for ind in &p.indicators {
            let group = ind.group.map_or_else(|| ui.t("指标"), str::to_owned);
            let entry = indicator(ind, ui);
            match groups.iter_mut().find(|g| g.name == group) {
                Some(g) => g.indicators.push(entry),
                None => groups.push(Group { name: group, indicators: vec![entry] }),
            }
        }
        Section {
            reference_date: &p.reference_date,
            sample: p.contains_sample_data,
            groups,
            milestones: p
                .milestones
                .iter()
                .map(|m| MilestoneRow {
                    task: &m.task,
                    lead: m.lead.as_deref(),
                    co: &m.co,
                    phase: m.phase.as_deref(),
                    period: m.period.as_ref().map(|p| p.label.as_str()),
                    due: m.due,
                    state: ui.t(m.state.label()),
                    completed: m.completed,
                    sample: m.sample,
                })
                .collect(),
            files: p
                .files
                .iter()
                .map(|f| FileLink { name: f, href: encode_path(f), source_href: format!("{}.html", encode_path(f)) })
                .collect(),
        }
    }
}

fn indicator<'a>(ind: &'a IndicatorView<'a>, ui: Ui) -> IndicatorSection<'a> {
    let report = ind.report;
    let status = report.status();
    let rows = ind
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let a = t.assessment;
            TargetRow {
                period: t.period.map_or_else(|| ui.t("未规定"), |p| p.label.clone()),
                target: format!("{}{}{}", t.comparator.symbol(), fmt(t.value), ind.unit),
                text: t.text,
                latest: a
                    .latest
                    .as_ref()
                    .map(|l| format!("{}（{}）", as_written(&l.written, l.value, ind.unit), l.period)),
                status: a.status.key(),
                status_label: ui.t(a.status.label()),
                progress: a.progress.map(|p| format!("{}%", fmt((p.clamp(-9.99, 9.99) * 100.0).round()))),
                explanation: ui.t(&a.explanation),
                current: report.current == Some(k),
            }
        })
        .collect();
    IndicatorSection {
        id: ind.id,
        name: ind.name,
        unit: ind.unit,
        direction: ui.t(ind.direction.label()),
        baseline: ind.baseline.map(|b| point_text(b, ind.unit)),
        actuals: ind
            .known
            .iter()
            .map(|p| ActualRow {
                text: point_text(p, ind.unit),
                reported: p.reported,
                source: p.source.as_deref(),
                sample: p.sample,
                approximate: p.approximate,
            })
            .collect(),
        rows,
        corrected: ind
            .source
            .corrected
            .iter()
            // Shown once the correcting report is known by the site's date.
            .filter(|c| {
                c.reported.is_some_and(|d| {
                    ind.known.iter().any(|k| k.period == c.period && k.reported.is_some_and(|r| r > d))
                })
            })
            .map(|c| {
                format!(
                    "{}（{} {}）",
                    point_text(c, ind.unit),
                    c.reported.map(|d| d.to_string()).unwrap_or_default(),
                    ui.t("报告，已由其后的报告更正")
                )
            })
            .collect(),
        status: status.key(),
        status_label: ui.t(status.label()),
        chart: chart(ind.source, &ind.known, &ui.t(status.label()), ui),
    }
}

/// What a dashboard page lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    All,
    Status(Status),
    Issuer(String),
    Topic(Vec<String>),
}

impl Filter {
    /// The filter's name on the page and in the filter links.
    /// (Names of issuers and topics are the documents' words, never converted.)
    fn label(&self, ui: Ui) -> String {
        match self {
            Filter::All => ui.t("全部"),
            Filter::Status(s) => ui.t(s.label()),
            Filter::Issuer(name) => name.clone(),
            Filter::Topic(levels) => levels.join("\\"),
        }
    }

    fn title(&self, ui: Ui) -> String {
        match self {
            Filter::All => ui.t("全部指标"),
            Filter::Status(s) => ui.t(&format!("状态：{}", s.label())),
            Filter::Issuer(name) => format!("{}{name}", ui.t("发文机关：")),
            Filter::Topic(levels) => format!("{}{}", ui.t("主题："), levels.join("\\")),
        }
    }

    fn path(&self) -> PagePath {
        let base = routes::dashboard();
        match self {
            Filter::All => base,
            Filter::Status(s) => base.join("status").join(s.key()),
            Filter::Issuer(name) => base.join("issuers").join(name.clone()),
            Filter::Topic(levels) => levels.iter().fold(base.join("topics"), |p, l| p.join(l.clone())),
        }
    }
}

/// One indicator of one notice.
type Row = (NoticeId, usize);

/// A dashboard page: its filter and the indicators it lists.
pub struct DashboardPage {
    pub filter: Filter,
    pub path: PagePath,
    pub rows: Vec<Row>,
}

/// The dashboard and its filter pages (by status, issuer and topic).
pub fn dashboard_pages(site: &Site) -> Vec<DashboardPage> {
    let all: Vec<Row> = site.notices.iter().flat_map(|n| (0..n.reports.len()).map(move |k| (n.id, k))).collect();
    let mut pages = vec![(Filter::All, all.clone())];
    for status in Status::ALL {
        let rows = all.iter().copied().filter(|&(i, k)| site.get(i).reports[k].status() == status).collect();
        pages.push((Filter::Status(status), rows));
    }
    let mut by_issuer: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let mut by_topic: BTreeMap<Vec<String>, Vec<Row>> = BTreeMap::new();
    for &(i, k) in &all {
        let n = site.get(i);
        for issuer in &n.issuers {
            by_issuer.entry(issuer.to_string()).or_default().push((i, k));
        }
        for t in &n.topics {
            for depth in 1..=t.levels.len() {
                let entry = by_topic.entry(t.levels[..depth].to_vec()).or_default();
                if !entry.contains(&(i, k)) {
                    entry.push((i, k));
                }
            }
        }
    }
    pages.extend(by_issuer.into_iter().map(|(name, rows)| (Filter::Issuer(name), rows)));
    pages.extend(by_topic.into_iter().map(|(levels, rows)| (Filter::Topic(levels), rows)));
    pages.into_iter().map(|(filter, rows)| DashboardPage { path: filter.path(), filter, rows }).collect()
}

/// A dashboard page's context (`dashboard` in `dashboard.html`).
#[derive(Serialize)]
pub struct Dashboard<'a> {
    title: String,
    count: usize,
    reference_date: String,
    /// The dashboard's own page (`progress/`), not a filter page.
    main: bool,
    #[serde(flatten)]
    navigation: Navigation,
    /// The indicators, by status.
    sections: Vec<DashboardSection<'a>>,
}

/// The filter links of a dashboard page. The dashboard lists every filter with
/// its count; a filter page only the statuses (a fixed list) without counts, so
/// that it depends on nothing but its own indicators and stays the same file
/// when other indicators change.
#[derive(Serialize, Debug, PartialEq)]
struct Navigation {
    all: FilterLink,
    statuses: Vec<FilterLink>,
    issuers: Vec<FilterLink>,
    topics: Vec<FilterLink>,
}

#[derive(Serialize, Debug, PartialEq)]
struct FilterLink {
    label: String,
    href: String,
    /// Shown on the dashboard only.
    count: Option<usize>,
    current: bool,
}

fn navigation(page: &DashboardPage, pages: &[DashboardPage], ui: Ui) -> Navigation {
    let main = page.filter == Filter::All;
    let link = |p: &DashboardPage| FilterLink {
        label: p.filter.label(ui),
        href: p.path.href(),
        count: main.then_some(p.rows.len()),
        current: p.filter == page.filter,
    };
    let kind = |f: fn(&Filter) -> bool| pages.iter().filter(move |p| f(&p.filter)).map(link).collect();
    Navigation {
        all: link(&pages[0]),
        // Every status has its page (`dashboard_pages`), so on a filter page, where
        // the links carry no count, this list is the same whatever the indicators.
        statuses: kind(|f| matches!(f, Filter::Status(_))),
        issuers: if main { kind(|f| matches!(f, Filter::Issuer(_))) } else { Vec::new() },
        topics: if main { kind(|f| matches!(f, Filter::Topic(_))) } else { Vec::new() },
    }
}

#[derive(Serialize)]
struct DashboardSection<'a> {
    status: &'static str,
    label: String,
    rows: Vec<DashboardRow<'a>>,
}

#[derive(Serialize)]
struct DashboardRow<'a> {
    name: &'a str,
    unit: &'a str,
    notice: &'a str,
    notice_href: String,
    issuers: &'a [crate::schema::Issuer],
    target: Option<String>,
    period: Option<String>,
    latest: Option<String>,
    status: &'static str,
    status_label: String,
    sample: bool,
}

fn dashboard_row<'a>(view: &'a NoticeView<'a>, k: usize, ui: Ui) -> Option<(Status, DashboardRow<'a>)> {
    let ind = view.progress.as_ref()?.indicators.get(k)?;
    let status = ind.report.status();
    let current = ind.current_target.and_then(|c| ind.targets.get(c));
    Some((
        status,
        DashboardRow {
            name: ind.name,
            unit: ind.unit,
            notice: view.title,
            notice_href: format!("{}#progress", view.href),
            issuers: view.issuers,
            target: current.map(|t| format!("{}{}{}", t.comparator.symbol(), fmt(t.value), ind.unit)),
            period: current.and_then(|t| t.period.map(|p| p.label.clone())),
            latest: current.and_then(|t| {
                t.assessment
                    .latest
                    .as_ref()
                    .map(|l| format!("{}（{}）", as_written(&l.written, l.value, ind.unit), l.period))
            }),
            status: status.key(),
            status_label: ui.t(status.label()),
            sample: ind.actuals.iter().any(|p| p.sample),
        },
    ))
}

impl<'a> Dashboard<'a> {
    pub fn of(site: &Site, views: &'a Views<'_>, page: &DashboardPage, pages: &[DashboardPage], ui: Ui) -> Self {
        let mut sections: Vec<DashboardSection> = Status::ALL
            .iter()
            .map(|s| DashboardSection { status: s.key(), label: ui.t(s.label()), rows: Vec::new() })
            .collect();
        for &(i, k) in &page.rows {
            if let Some((status, row)) = dashboard_row(views.get(i.index()), k, ui)
                && let Some(section) = sections.iter_mut().find(|s| s.status == status.key())
            {
                section.rows.push(row);
            }
        }
        Dashboard {
            title: page.filter.title(ui),
            count: page.rows.len(),
            reference_date: site.reference_date.format("%Y-%m-%d").to_string(),
            main: page.filter == Filter::All,
            navigation: navigation(page, pages, ui),
            sections: sections.into_iter().filter(|s| !s.rows.is_empty()).collect(),
        }
    }

    pub fn title(&self) -> &str {
        &self.title
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(filter: Filter, rows: &[usize]) -> DashboardPage {
        DashboardPage { path: filter.path(), filter, rows: rows.iter().map(|&i| (NoticeId::new(i), 0)).collect() }
    }

    /// The pages of a site whose indicators are `rows`, plus `more` issuers.
    fn pages(rows: &[usize], more: &[&str]) -> Vec<DashboardPage> {
        let mut pages = vec![page(Filter::All, rows)];
        pages.extend(
            Status::ALL.iter().map(|&s| page(Filter::Status(s), if s == Status::OnTrack { rows } else { &[] })),
        );
        pages.push(page(Filter::Issuer("甲局".into()), &rows[..1]));
        pages.extend(more.iter().map(|&name| page(Filter::Issuer(name.into()), &rows[1..])));
        pages.push(page(Filter::Topic(vec!["教育".into()]), rows));
        pages
    }

    const HANS: Ui = Ui::new(crate::schema::Script::Simplified);

    #[test]
    fn the_dashboard_lists_every_filter_with_its_count() {
        let pages = pages(&[0, 1], &["乙局"]);
        let nav = navigation(&pages[0], &pages, HANS);
        assert_eq!((nav.all.count, nav.all.current), (Some(2), true));
        assert_eq!(nav.statuses.len(), Status::ALL.len());
        assert_eq!(nav.statuses[2].count, Some(2), "{:?}", nav.statuses[2]);
        let issuers: Vec<_> = nav.issuers.iter().map(|f| (f.label.as_str(), f.count)).collect();
        assert_eq!(issuers, vec![("甲局", Some(1)), ("乙局", Some(1))]);
        assert_eq!(nav.topics[0].href, "progress/topics/教育/index.html");
    }

    #[test]
    fn a_filter_page_shows_nothing_of_other_indicators() {
        let (before, after) = (pages(&[0, 1], &["乙局"]), pages(&[0, 1, 2, 3], &["乙局", "丙局"]));
        for k in [1, 3, Status::ALL.len() + 1] {
            let (a, b) = (navigation(&before[k], &before, HANS), navigation(&after[k], &after, HANS));
            assert_eq!(a, b, "{:?}", before[k].filter);
            assert!(a.issuers.is_empty() && a.topics.is_empty());
            assert!(a.all.count.is_none() && a.statuses.iter().all(|f| f.count.is_none()));
            assert_eq!(a.statuses.len(), Status::ALL.len(), "every status, a fixed list");
            assert!(!a.all.current);
        }
        let on_track = navigation(&before[3], &before, HANS);
        let current: Vec<_> = on_track.statuses.iter().filter(|f| f.current).map(|f| f.href.as_str()).collect();
        assert_eq!(current, vec!["progress/status/on_track/index.html"]);
    }

    #[test]
    fn status_names_follow_the_site_script() {
        let pages = pages(&[0], &[]);
        let nav = navigation(&pages[1], &pages, Ui::new(crate::schema::Script::Traditional));
        assert_eq!(nav.statuses[7].label, "數據不足");
    }
}
