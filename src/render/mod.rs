//! Stage 4, outputs: the pages of the site, rendered in parallel from the model
//! through the theme's templates. Each page is a pure function of the model, so
//! the output is byte-identical on every run. Every notice is seen through its
//! `view::NoticeView`, made once per build and shared with the other outputs
//! (`catalogue`, feeds, sitemap, search).

pub mod catalogue;
mod chart;
mod compact;
pub mod feed;
pub mod paging;
pub mod progress;
mod qr;
pub mod report;
pub mod script_table;
mod signature;
pub mod sitemap;
mod source;
pub mod theme;
pub mod view;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::markdown::link_phrases;
use crate::model::{NoticeId, Site, Term, UNCLASSIFIED, facets};
use crate::notice::standing::NavPlace;
use crate::progress_bar::Stages;
use crate::routes::{self, PagePath, TaxonomyKind, encode_segment};
use crate::schema::{Date, Topic};
use crate::write::{Output, WriteError};
use paging::Paging;
use progress::{Dashboard, DashboardPage, Section};
use theme::{TemplateError, Theme};
use view::{NoticeView, Views};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
}

/// Options that change what the pages say, not what they contain.
pub struct RenderOptions {
    /// Shown in the footer only when SOURCE_DATE_EPOCH is set: output carries no
    /// clock time otherwise, so builds are reproducible.
    pub built: Option<String>,
}

/// Which pages to render: everything, or what a change to some notices touches.
pub enum Selection<'a> {
    All,
    /// Notices (by URL) that were added or changed, and the browse terms whose
    /// lists changed (before and after the change). `moved` says whether any
    /// notice was added, removed, re-dated or re-filed; if not, only the list pages
    /// holding the changed notices are rendered.
    Changed {
        notices: &'a HashSet<PagePath>,
        terms: &'a [(TaxonomyKind, Vec<String>)],
        progress: bool,
        moved: bool,
    },
}

/// A version of a notice's text with a page of its own.
#[derive(Clone, Copy)]
enum Version {
    /// The text as first published.
    Original,
    /// An index into the notice's revisions.
    Revision(usize),
}

/// One page to write.
enum Job<'a> {
    Home,
    Notice(NoticeId),
    Revision(NoticeId, Version),
    /// A data file's source view.
    Source(NoticeId, &'a str),
    TaxonomyIndex(TaxonomyKind),
    /// A page of a term's list: 0 the landing page, j ≥ 1 fixed page j.
    TermPage {
        kind: TaxonomyKind,
        term: &'a Term,
        page: usize,
    },
    Dashboard(usize),
    /// A standing page (`Site::pages`).
    Page(usize),
    Search,
    SiteMap,
    NotFound,
}

/// The pages of one render: the site, its notices' views and the theme.
pub struct Pages<'v, 'a> {
    site: &'a Site,
    views: &'v Views<'a>,
    theme: &'a Theme,
    common: Context,
    dashboards: Vec<DashboardPage>,
}

impl<'v, 'a> Pages<'v, 'a> {
    pub fn new(site: &'a Site, views: &'v Views<'a>, theme: &'a Theme, opts: &RenderOptions) -> Pages<'v, 'a> {
        Pages { site, views, theme, common: common_context(site, opts), dashboards: progress::dashboard_pages(site) }
    }

    fn ui(&self) -> Ui {
        Ui::of(self.site)
    }

    /// Render the selected pages, and copy the attachments of the notices among
    /// them. Returns how many pages were written.
    pub fn render(&self, out: &Output, selection: &Selection, stages: &Stages) -> Result<usize, RenderError> {
        let jobs = self.jobs(selection);
        let stage = stages.start("pages", jobs.len() as u64);
        jobs.par_iter().try_for_each(|job| {
            self.render_job(job, out)?;
            stage.inc(1);
            Ok::<(), RenderError>(())
        })?;
        // Attachments are copied beside their notice's (or standing page's) page.
        jobs.par_iter()
            .filter_map(|j| match j {
                Job::Notice(i) => {
                    let n = self.site.get(*i);
                    Some((&n.url, n.display(), &n.attachments))
                }
                Job::Page(p) => {
                    let page = &self.site.pages[*p];
                    Some((&page.url, page.source.display.as_path(), &page.attachments))
                }
                _ => None,
            })
            .flat_map(|(url, display, attachments)| attachments.par_iter().map(move |a| (url, display, a)))
            .try_for_each(|(url, display, a)| {
                let origin = || format!("attachment {} of {}", a.file, display.display());
                out.copy(&routes::attachment(url, &a.file), &a.source, &origin)
            })?;
        // An annual report's tables, as CSV beside its page.
        jobs.par_iter()
            .filter_map(|j| match j {
                Job::Notice(i) => Some(self.site.get(*i)),
                _ => None,
            })
            .filter_map(|n| Some((n, n.annual_report.as_ref()?, n.report.as_ref()?)))
            .try_for_each(|(n, data, computed)| {
                for (file, bytes) in report::csv_files(data, computed) {
                    let origin = || format!("the table {file} of {}", n.display().display());
                    out.write(&routes::attachment(&n.url, &file), &bytes, &origin)?;
                }
                Ok::<(), RenderError>(())
            })?;
        Ok(jobs.len())
    }

    fn jobs(&self, selection: &Selection) -> Vec<Job<'a>> {
        let site = self.site;
        let page_size = site.config.page_size;
        let changed_notice = |i: NoticeId| match selection {
            Selection::All => true,
            Selection::Changed { notices, .. } => notices.contains(&site.get(i).url),
        };
        let changed_term = |kind: TaxonomyKind, levels: &[String]| match selection {
            Selection::All => true,
            Selection::Changed { terms, .. } => terms.iter().any(|(k, l)| *k == kind && l == levels),
        };
        let moved = !matches!(selection, Selection::Changed { moved: false, .. });
        let mut jobs: Vec<Job> = vec![Job::Home];
        if matches!(selection, Selection::All) {
            jobs.push(Job::NotFound);
            jobs.extend((0..site.pages.len()).map(Job::Page));
        }
        jobs.extend(site.notices.iter().map(|n| n.id).filter(|&i| changed_notice(i)).map(Job::Notice));
        // The search form lists the filter values, and the site map the browse
        // terms, which change only when notices move.
        if moved {
            jobs.push(Job::Search);
            jobs.push(Job::SiteMap);
        }
        for tax in &site.taxonomies {
            // Index pages show counts, which change only when notices move.
            if moved {
                jobs.push(Job::TaxonomyIndex(tax.kind));
            }
            for term in tax.terms.iter().filter(|t| changed_term(tax.kind, &t.levels)) {
                let paging = Paging::new(term.notices.len(), page_size);
                // Nothing moved: only the pages that list a changed notice differ.
                let wanted: Vec<usize> = if moved {
                    paging.pages().collect()
                } else {
                    let mut p: Vec<usize> = term
                        .notices
                        .iter()
                        .enumerate()
                        .filter(|(_, i)| changed_notice(**i))
                        .map(|(pos, _)| paging.page_of(pos))
                        .collect();
                    p.dedup();
                    p
                };
                jobs.extend(wanted.into_iter().map(|page| Job::TermPage { kind: tax.kind, term, page }));
            }
        }
        if matches!(selection, Selection::All | Selection::Changed { progress: true, .. }) {
            jobs.extend((0..self.dashboards.len()).map(Job::Dashboard));
        }
        for n in site.notices.iter().filter(|n| changed_notice(n.id)) {
            if let Some(data) = &n.progress {
                jobs.extend(data.files.iter().map(|f| Job::Source(n.id, f.as_str())));
            }
            if !n.revisions.is_empty() {
                jobs.push(Job::Revision(n.id, Version::Original));
                jobs.extend((0..n.revisions.len()).map(|k| Job::Revision(n.id, Version::Revision(k))));
            }
        }
        jobs
    }

    fn render_job(&self, job: &Job, out: &Output) -> Result<(), RenderError> {
        let site = self.site;
        let mut ctx = self.common.clone();
        let (path, template, title) = match job {
            Job::Home => self.home(&mut ctx),
            Job::NotFound => (PagePath::root(), "404.html", self.ui().t("页面不存在")),
            Job::Search => self.search(&mut ctx),
            Job::SiteMap => self.site_map(&mut ctx),
            Job::Notice(i) => self.notice(&mut ctx, *i, None)?,
            Job::Revision(i, v) => self.notice(&mut ctx, *i, Some(*v))?,
            Job::Dashboard(d) => {
                let page = &self.dashboards[*d];
                let dashboard = Dashboard::of(site, self.views, page, &self.dashboards, self.ui());
                let title = format!("{} - {}", self.ui().t("目标进展"), dashboard.title());
                ctx.insert("dashboard", &dashboard);
                (page.path.clone(), "dashboard.html", title)
            }
            Job::Source(i, file) => self.source(&mut ctx, *i, file)?,
            Job::Page(p) => self.standing(&mut ctx, *p),
            Job::TaxonomyIndex(kind) => self.taxonomy(&mut ctx, *kind),
            Job::TermPage { kind, term, page } => self.term(&mut ctx, *kind, term, *page),
        };
        // 404.html must work from any depth, so it links from the site root.
        let (file, root) = match job {
            // Served for any missing path, so links cannot be relative; the site's
            // own path (not its host) works wherever the site is served.
            Job::NotFound => (PathBuf::from(routes::NOT_FOUND), site_path(&site.config.base_url)),
            Job::Source(i, f) => {
                let deeper = "../".repeat(f.matches('/').count());
                (routes::source_page(&site.get(*i).url, f), format!("{}{deeper}", path.root_prefix()))
            }
            _ => (path.file(), path.root_prefix()),
        };
        let canonical = (!matches!(job, Job::NotFound | Job::Source(..))).then(|| path.url(&site.config.base_url));
        ctx.insert("page", &PageMeta { title, canonical });
        ctx.insert("root", &root);
        let html = compact::compact(&self.theme.render(template, &ctx)?);
        out.write(&file, html.as_bytes(), &|| self.origin(job))?;
        Ok(())
    }

    /// What a page is, for the error when two outputs write one file.
    fn origin(&self, job: &Job) -> String {
        match job {
            Job::Notice(i) => format!("the page of {}", self.site.get(*i).display().display()),
            Job::Revision(i, _) => format!("a revision page of {}", self.site.get(*i).display().display()),
            Job::Source(i, f) => format!("the source view of {f} of {}", self.site.get(*i).display().display()),
            Job::Home => "the home page".into(),
            Job::NotFound => "the 404 page".into(),
            Job::Search => "the search page".into(),
            Job::SiteMap => "the site map".into(),
            Job::Dashboard(d) => format!("the progress dashboard {}", self.dashboards[*d].path.href()),
            Job::Page(p) => format!("the page of {}", self.site.pages[*p].source.display.display()),
            Job::TaxonomyIndex(kind) => format!("the browse page by {}", kind.title()),
            Job::TermPage { kind, term, page: 0 } => format!("the list of {} {}", kind.title(), term.name()),
            Job::TermPage { kind, term, page } => format!("page {page} of {} {}", kind.title(), term.name()),
        }
    }

    fn home(&self, ctx: &mut Context) -> (PagePath, &'static str, String) {
        const SHOWN: usize = 12;
        let site = self.site;
        let latest: Vec<&NoticeView> =
            (0..self.views.len().min(site.config.page_size)).map(|i| self.views.get(i)).collect();
        let taxonomies: Vec<HomeTaxonomy> = site
            .taxonomies
            .iter()
            .map(|t| {
                // Years newest first; other lists by how many notices they hold.
                let mut terms: Vec<&Term> = t.terms.iter().filter(|term| term.levels.len() == 1).collect();
                if t.kind != TaxonomyKind::Year {
                    terms.sort_by(|a, b| b.notices.len().cmp(&a.notices.len()).then_with(|| a.levels.cmp(&b.levels)));
                }
                HomeTaxonomy {
                    title: self.ui().kind(t.kind),
                    href: routes::taxonomy(t.kind).href(),
                    total: terms.len(),
                    more: terms.len() > SHOWN,
                    terms: terms.iter().take(SHOWN).map(|term| TermLink::of(t.kind, term)).collect(),
                }
            })
            .collect();
        ctx.insert("notices", &latest);
        ctx.insert("total", &site.notices.len());
        ctx.insert("taxonomies", &taxonomies);
        (PagePath::root(), "index.html", site.config.title.clone())
    }

    /// A notice's page, or the page of one version of its text (`version`).
    fn notice(
        &self,
        ctx: &mut Context,
        i: NoticeId,
        version: Option<Version>,
    ) -> Result<(PagePath, &'static str, String), RenderError> {
        let n = self.site.get(i);
        let view = self.views.get(i.index());
        let (text, shown_revision) = match version {
            Some(Version::Revision(k)) => (&n.revisions[k].text, Some(n.revisions[k].date)),
            Some(Version::Original) => (&n.text, None),
            None => (n.text_as_of(self.site.reference_date).0, n.life.revision),
        };
        let path = match version {
            Some(Version::Revision(k)) => routes::revision(&n.url, Some(&n.revisions[k].date.to_string())),
            Some(Version::Original) => routes::revision(&n.url, None),
            None => n.url.clone(),
        };
        // Citations that resolve become links to the cited notice.
        let root = path.root_prefix();
        let links: Vec<(String, String)> = n
            .life
            .cites
            .iter()
            .map(|c| (c.text.clone(), format!("{root}{}", self.site.get(c.target).url.href())))
            .collect();
        ctx.insert("notice", view);
        let mut body = signature::mark(link_phrases(&text.html.get(), &links), &n.issuers);
        // An annual report's tables go into the text, each after its part's heading.
        if version.is_none()
            && let Some(report) = report::ReportView::of(self.site, n)
        {
            ctx.insert("report", &report);
            ctx.insert("root", &root);
            let mut tables = Vec::new();
            for (part, _, heading) in report::PARTS {
                ctx.insert("report_part", &part);
                ctx.insert("report_heading", heading);
                tables.push((part, self.theme.render("partials/annual_report.html", ctx)?));
            }
            body = report::place(body, &text.headings, tables);
        }
        ctx.insert("body_html", &body);
        ctx.insert("toc", &table_of_contents(&text.headings));
        // The permanent URL, on every version's page too: the one to keep.
        ctx.insert("qr", &qr::svg(&view.url));
        ctx.insert("version", &VersionInfo { shown_revision, is_revision_page: version.is_some() });
        if version.is_none()
            && let Some(p) = &view.progress
        {
            ctx.insert("progress", &Section::of(p, self.ui()));
        }
        Ok((path, "notice.html", n.title.clone()))
    }

    fn source(
        &self,
        ctx: &mut Context,
        i: NoticeId,
        file: &str,
    ) -> Result<(PagePath, &'static str, String), RenderError> {
        let n = self.site.get(i);
        let path = n
            .attachments
            .iter()
            .find(|a| a.file == file)
            .map_or_else(|| n.source.base_dir.join(file), |a| a.source.clone());
        let bytes = std::fs::read(&path).map_err(|source| RenderError::Read { path: path.clone(), source })?;
        let text = String::from_utf8_lossy(&bytes);
        ctx.insert(
            "source",
            &SourcePage {
                file,
                html: source::highlight(&text, file),
                // The source page sits beside the file it shows.
                download: file.rsplit('/').next().map(encode_segment).unwrap_or_default(),
                notice_title: &n.title,
                notice_href: n.url.href(),
            },
        );
        Ok((n.url.clone(), "source.html", format!("{file} - {}", n.title)))
    }

    /// The search form offers every filter value the index holds.
    fn search(&self, ctx: &mut Context) -> (PagePath, &'static str, String) {
        let filters: Vec<SearchFilter> = facets(self.site)
            .into_iter()
            .map(|f| SearchFilter {
                key: f.key,
                title: f.title,
                values: f.values.into_iter().map(|(n, _)| n).collect(),
            })
            .collect();
        ctx.insert("filters", &filters);
        ctx.insert("browse", &browse_links("浏览"));
        ctx.insert("total", &self.site.notices.len());
        (routes::search(), "search.html", self.ui().t("检索"))
    }

    /// A standing page (指南, 制度 …).
    fn standing(&self, ctx: &mut Context, p: usize) -> (PagePath, &'static str, String) {
        let page = &self.site.pages[p];
        ctx.insert(
            "standing",
            &StandingView {
                title: &page.title,
                updated: page.updated,
                url: page.url.url(&self.site.config.base_url),
                body_html: page.text.html.get().to_string(),
                attachments: page
                    .attachments
                    .iter()
                    .map(|a| AttachmentLink { title: &a.title, bytes: a.bytes, href: routes::encode_path(&a.file) })
                    .collect(),
            },
        );
        ctx.insert("toc", &table_of_contents(&page.text.headings));
        (page.url.clone(), "page.html", page.title.clone())
    }

    /// 网站地图: every section and browse page, for readers.
    fn site_map(&self, ctx: &mut Context) -> (PagePath, &'static str, String) {
        let browse: Vec<SiteMapSection> = self
            .site
            .taxonomies
            .iter()
            .map(|tax| SiteMapSection {
                title: self.ui().t(&format!("按{}浏览", tax.kind.title())),
                href: routes::taxonomy(tax.kind).href(),
                terms: tax.terms.iter().map(|t| TermLink::of(tax.kind, t)).collect(),
            })
            .collect();
        ctx.insert("browse", &browse);
        ctx.insert("pages", &standing_links(self.site, None));
        ctx.insert("search_href", &routes::search().href());
        ctx.insert("dashboard_href", &routes::dashboard().href());
        (routes::site_map(), "map.html", self.ui().t("网站地图"))
    }

    fn taxonomy(&self, ctx: &mut Context, kind: TaxonomyKind) -> (PagePath, &'static str, String) {
        let mut terms: Vec<(Vec<String>, TermLink)> =
            self.site.taxonomy(kind).terms.iter().map(|t| (t.levels.clone(), TermLink::of(kind, t))).collect();
        if kind == TaxonomyKind::Topic {
            // The vocabulary's topics are listed even while no notice has them, in
            // the model's order (未分类 last).
            for topic in self.site.config.topics.iter().filter_map(|t| Topic::parse(t).ok()) {
                for levels in topic.prefixes() {
                    if !terms.iter().any(|(listed, _)| listed == levels) {
                        terms.push((levels.to_vec(), TermLink::unused(levels)));
                    }
                }
            }
            terms.sort_by(|(a, _), (b, _)| (a[0] == UNCLASSIFIED, a).cmp(&(b[0] == UNCLASSIFIED, b)));
        }
        let terms: Vec<TermLink> = terms.into_iter().map(|(_, link)| link).collect();
        ctx.insert(
            "taxonomy",
            &TaxonomyInfo { title: self.ui().kind(kind), key: kind.key(), href: routes::taxonomy(kind).href() },
        );
        ctx.insert("terms", &terms);
        (routes::taxonomy(kind), "taxonomy.html", self.ui().t(&format!("按{}浏览", kind.title())))
    }

    /// A page of a term's list: `page` 0 is the landing page (the newest notices,
    /// with the count and links to the older pages), j ≥ 1 fixed page j, which
    /// shows nothing that depends on the rest of the list (see `paging`).
    fn term(
        &self,
        ctx: &mut Context,
        kind: TaxonomyKind,
        term: &Term,
        page: usize,
    ) -> (PagePath, &'static str, String) {
        let ui = self.ui();
        let paging = Paging::new(term.notices.len(), self.site.config.page_size);
        let fixed = paging.fixed();
        let shown = if page == 0 { paging.landing() } else { paging.page(page) };
        let notices: Vec<&NoticeView> =
            term.notices[shown.clone()].iter().map(|&i| self.views.get(i.index())).collect();
        let href = |p: usize| routes::term_page(kind, &term.levels, p).href();
        // A fixed page is named by the dates of its oldest and newest notice.
        let span = (page > 0).then(|| Span {
            from: self.site.get(term.notices[shown.end - 1]).published,
            to: self.site.get(term.notices[shown.start]).published,
        });
        let title = match &span {
            Some(s) => format!("{}：{}{}", ui.kind(kind), term.name(), ui.t(&format!("（{} 至 {}）", s.from, s.to))),
            None => format!("{}：{}", ui.kind(kind), term.name()),
        };
        ctx.insert(
            "taxonomy",
            &TaxonomyInfo { title: ui.kind(kind), key: kind.key(), href: routes::taxonomy(kind).href() },
        );
        ctx.insert(
            "term",
            &TermInfo {
                name: term.name(),
                label: term.levels.last().map(String::as_str).unwrap_or_default(),
                // Only the landing page shows the count: it changes with every notice.
                count: (page == 0).then_some(term.notices.len()),
                parents: (1..term.levels.len())
                    .map(|d| Link {
                        name: term.levels[..d].join("\\"),
                        href: routes::term(kind, &term.levels[..d]).href(),
                    })
                    .collect(),
            },
        );
        ctx.insert("notices", &notices);
        let feed = (kind == TaxonomyKind::Issuer).then(|| {
            routes::issuer_feed(&term.levels[0])
                .iter()
                .map(|s| encode_segment(&s.to_string_lossy()))
                .collect::<Vec<_>>()
                .join("/")
        });
        ctx.insert("feed_href", &feed);
        let pagination = (fixed > 0).then(|| {
            if page == 0 {
                Pagination {
                    current: 0,
                    span: None,
                    latest: None,
                    newer: None,
                    older: Some(href(fixed)),
                    oldest: None,
                    fixed,
                    pages: paging::landing_window(fixed)
                        .into_iter()
                        .map(|(j, gap)| PageLink { number: j, href: href(j), gap })
                        .collect(),
                }
            } else {
                Pagination {
                    current: page,
                    span,
                    latest: Some(href(0)),
                    // The newest fixed page leads to the landing page.
                    newer: Some(href(if page == fixed { 0 } else { page + 1 })),
                    older: (page > 1).then(|| href(page - 1)),
                    oldest: (page > 2).then(|| href(1)),
                    fixed: 0,
                    pages: Vec::new(),
                }
            }
        });
        ctx.insert("pagination", &pagination);
        (routes::term_page(kind, &term.levels, page), "term.html", title)
    }
}

/// What every page receives: `site`, `nav`, `built`, `as_of`.
fn common_context(site: &Site, opts: &RenderOptions) -> Context {
    let c = &site.config;
    let mut ctx = Context::new();
    ctx.insert(
        "site",
        &SiteInfo {
            title: &c.title,
            description: &c.description,
            organisation: &c.organisation,
            language: &c.language,
            base_url: &c.base_url,
            identity: IdentityInfo {
                given: &c.identity,
                icp_href: c.identity.icp_href(),
                police_href: c.identity.police_href(),
                conac_href: c.identity.conac_href(),
            },
        },
    );
    let ui = Ui::of(site);
    let mut nav = browse_links("");
    for link in &mut nav {
        link.title = ui.t(&link.title);
    }
    nav.push(NavLink { title: ui.t("目标进展"), href: routes::dashboard().href() });
    nav.extend(standing_links(site, Some(NavPlace::Header)));
    ctx.insert("nav", &nav);
    ctx.insert("footer_pages", &standing_links(site, Some(NavPlace::Footer)));
    ctx.insert("built", &opts.built);
    ctx.insert("as_of", &site.as_of.map(|d| d.format("%Y-%m-%d").to_string()));
    ctx
}

/// The script of the interface: a `zh-Hant` site shows its own words (titles,
/// navigation, labels) in Traditional; the documents' words are never changed.
#[derive(Clone, Copy)]
pub struct Ui {
    hant: bool,
}

impl Ui {
    pub fn of(site: &Site) -> Ui {
        Ui { hant: site.config.language == "zh-Hant" }
    }

    /// Interface words in the site's script.
    pub fn t(self, words: &str) -> String {
        if self.hant { crate::text::zhconv::s2t().convert(words) } else { words.to_owned() }
    }

    fn kind(self, kind: TaxonomyKind) -> &'static str {
        if self.hant { kind.title_hant() } else { kind.title() }
    }
}

/// Links to the standing pages (those linked at `place`, or all), in order.
fn standing_links(site: &Site, place: Option<NavPlace>) -> Vec<NavLink> {
    site.pages
        .iter()
        .filter(|p| place.is_none_or(|place| p.nav == place))
        .map(|p| NavLink { title: p.title.clone(), href: p.url.href() })
        .collect()
}

/// 按年份 … 按主题分类, each with `suffix`, linking to the dimension's index page.
fn browse_links(suffix: &str) -> Vec<NavLink> {
    TaxonomyKind::ALL
        .iter()
        .map(|k| NavLink { title: format!("按{}{suffix}", k.title()), href: routes::taxonomy(*k).href() })
        .collect()
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: &'a str,
    organisation: &'a str,
    language: &'a str,
    base_url: &'a str,
    /// `identity:` of site.yaml, with the registries' links.
    identity: IdentityInfo<'a>,
}

#[derive(Serialize)]
struct IdentityInfo<'a> {
    #[serde(flatten)]
    given: &'a crate::config::Identity,
    icp_href: Option<&'static str>,
    police_href: Option<String>,
    conac_href: Option<String>,
}

/// A standing page as its template sees it.
#[derive(Serialize)]
struct StandingView<'a> {
    title: &'a str,
    updated: Date,
    url: String,
    body_html: String,
    attachments: Vec<AttachmentLink<'a>>,
}

#[derive(Serialize)]
struct AttachmentLink<'a> {
    title: &'a str,
    bytes: u64,
    /// From the page's folder.
    href: String,
}

#[derive(Serialize)]
struct NavLink {
    title: String,
    href: String,
}

#[derive(Serialize)]
struct PageMeta {
    title: String,
    canonical: Option<String>,
}

#[derive(Serialize)]
struct VersionInfo {
    /// The revision of the text shown (None: as first published).
    shown_revision: Option<Date>,
    /// A page of one version, not the notice's own page.
    is_revision_page: bool,
}

#[derive(Serialize)]
struct SourcePage<'a> {
    file: &'a str,
    html: String,
    download: String,
    notice_title: &'a str,
    notice_href: String,
}

#[derive(Serialize)]
struct SearchFilter {
    key: &'static str,
    title: &'static str,
    values: Vec<String>,
}

#[derive(Serialize)]
struct HomeTaxonomy {
    title: &'static str,
    href: String,
    total: usize,
    more: bool,
    terms: Vec<TermLink>,
}

/// A browse term with its count.
#[derive(Serialize)]
struct TermLink {
    name: String,
    /// The last level of the name.
    label: String,
    depth: usize,
    count: usize,
    href: String,
}

impl TermLink {
    /// A term of the vocabulary that no notice has yet: listed, not linked.
    fn unused(levels: &[String]) -> TermLink {
        TermLink {
            name: levels.join("\\"),
            label: levels.last().cloned().unwrap_or_default(),
            depth: levels.len(),
            count: 0,
            href: String::new(),
        }
    }

    fn of(kind: TaxonomyKind, term: &Term) -> TermLink {
        TermLink {
            name: term.name(),
            label: term.levels.last().cloned().unwrap_or_default(),
            depth: term.levels.len(),
            count: term.notices.len(),
            href: routes::term(kind, &term.levels).href(),
        }
    }
}

#[derive(Serialize)]
struct SiteMapSection {
    title: String,
    href: String,
    terms: Vec<TermLink>,
}

#[derive(Serialize)]
struct TaxonomyInfo {
    title: &'static str,
    key: &'static str,
    href: String,
}

#[derive(Serialize)]
struct TermInfo<'a> {
    name: String,
    label: &'a str,
    /// On the landing page only.
    count: Option<usize>,
    parents: Vec<Link>,
}

#[derive(Serialize)]
struct Link {
    name: String,
    href: String,
}

/// A list's navigation. On the landing page (`current` 0): `older`, the newest
/// fixed page, and `pages`, a window of the fixed pages (`fixed` of them). On
/// fixed page `current`: its `span`, and links to the `latest` (landing) page, the
/// `newer` and `older` pages and the `oldest` — none depends on the list's length.
#[derive(Serialize)]
struct Pagination {
    current: usize,
    span: Option<Span>,
    latest: Option<String>,
    newer: Option<String>,
    older: Option<String>,
    oldest: Option<String>,
    fixed: usize,
    pages: Vec<PageLink>,
}

/// The publication dates of a fixed page's oldest and newest notice.
#[derive(Serialize)]
struct Span {
    from: Date,
    to: Date,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    href: String,
    /// Pages are left out before this one.
    gap: bool,
}

/// The file of an as-of site that shows its date in every page's snapshot note.
pub const AS_OF_CSS: &str = "as-of.css";

/// The theme's static files in `assets/`, and for a site as of a date the one small
/// stylesheet that carries the date into the note on every page. Kept out of the
/// pages so that monthly snapshots of a site share every page nobody changed
/// (an archive stores those once). The cost: the date is generated content, so it
/// shows on screen and in print but not in the page's text (copied text, reader
/// modes, text extracted from an archived page); the bag's `Gongkai-As-Of` and the
/// catalogue's `as_of` state it for those.
pub fn assets(theme: &Theme, as_of: Option<chrono::NaiveDate>, out: &Output) -> Result<(), WriteError> {
    let assets = Path::new(routes::ASSETS);
    for (name, bytes) in &theme.static_files {
        out.write(&assets.join(name), bytes, &|| format!("the theme file {name}"))?;
    }
    if let Some(date) = as_of {
        let css = format!(".as-of-date::before{{content:\"{}\"}}\n", date.format("%Y-%m-%d"));
        out.write(&assets.join(AS_OF_CSS), css.as_bytes(), &|| "the as-of stylesheet".to_string())?;
    }
    Ok(())
}

/// A long notice's 目录: its headings of the two highest levels it uses, when
/// there are at least `TOC_MIN` of them; else none.
fn table_of_contents(headings: &[crate::markdown::Heading]) -> Vec<&crate::markdown::Heading> {
    const TOC_MIN: usize = 4;
    let mut levels: Vec<u8> = headings.iter().map(|h| h.level).collect();
    levels.sort_unstable();
    levels.dedup();
    let deepest = levels.get(1).or(levels.first()).copied().unwrap_or(0);
    let toc: Vec<_> = headings.iter().filter(|h| h.level <= deepest && !h.text.is_empty()).collect();
    if toc.len() >= TOC_MIN { toc } else { Vec::new() }
}

/// The path part of the site's base URL, from the `/` after the host:
/// `https://www.example.gov.cn/xxgk/` → `/xxgk/`.
fn site_path(base_url: &str) -> String {
    url::Url::parse(base_url).map_or_else(|_| "/".to_owned(), |u| u.path().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_not_found_page_links_by_the_sites_path_not_its_host() {
        assert_eq!(site_path("https://www.example.gov.cn/xxgk/"), "/xxgk/");
        assert_eq!(site_path("https://www.example.gov.cn/"), "/");
        assert_eq!(site_path("http://10.0.0.5:8080/a/b/"), "/a/b/");
    }
}
