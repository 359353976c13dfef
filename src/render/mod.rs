//! Stage 4, outputs: the pages of the site, rendered in parallel from the model
//! through the theme's templates. Each page is a pure function of the model, so
//! the output is byte-identical on every run. Every notice is seen through its
//! `view::NoticeView`, made once per build and shared with the other outputs
//! (`catalogue`, feeds, sitemap, search).

pub mod catalogue;
mod chart;
mod common;
mod compact;
pub mod feed;
mod pages;
pub mod paging;
pub mod progress;
mod qr;
pub mod report;
pub mod script_table;
mod signature;
pub mod sitemap;
mod source;
pub mod stages;
pub mod theme;
mod ui;
pub mod view;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{NoticeId, Site, Term};
use crate::progress_bar::Stages;
use crate::routes::{self, PagePath, TaxonomyKind};
use crate::write::{Output, WriteError};
use common::{PageMeta, common_context, site_path};
use paging::Paging;
use progress::{Dashboard, DashboardPage};
use theme::{TemplateError, Theme};
pub use ui::Ui;
use view::Views;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
}

impl RenderError {
    /// The error as a diagnostic at the file at fault (a template, a file that
    /// cannot be read, two outputs for one path); `None` for the output folder's
    /// own I/O errors, which are not the content's.
    pub fn diagnostic(&self, theme: &Theme) -> Option<Diagnostic> {
        Some(match self {
            RenderError::Template(e) => Diagnostic::new(
                Code::Theme,
                &theme.source_of(&e.template),
                format!("template {} cannot be rendered: {}", e.template, e.message),
            )
            .hint("fix the template, or delete it to use the built-in one"),
            RenderError::Read { path, source } => {
                Diagnostic::new(Code::Unreadable, path, format!("cannot read: {source}"))
            }
            RenderError::Write(WriteError::Conflict { path, first, second }) => Diagnostic::new(
                Code::UrlClash,
                path,
                format!("two outputs are written to {}: {first} and {second}", path.display()),
            ),
            RenderError::Write(WriteError::Io { .. }) => return None,
        })
    }
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
    /// The consultations' list.
    Consultations,
    /// A withdrawn notice's short page (`Site::withdrawn`).
    Withdrawn(usize),
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
                for (file, bytes) in report::csv_files(data, computed, self.ui()) {
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
        // Few and small: rendered whenever anything is.
        jobs.push(Job::Consultations);
        jobs.extend((0..site.withdrawn.len()).map(Job::Withdrawn));
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
            Job::Consultations => self.consultations(&mut ctx),
            Job::Withdrawn(w) => self.withdrawn(&mut ctx, *w),
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
            Job::Consultations => "the list of consultations".into(),
            Job::Withdrawn(w) => format!("the withdrawal notice of {}", self.site.withdrawn[*w].display().display()),
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
}

/// The page tools' words: a template of the theme, written as an asset.
pub const WORDS_JS: &str = "words.js";

/// The file of an as-of site that shows its date in every page's snapshot note.
pub const AS_OF_CSS: &str = "as-of.css";

/// The theme's static files in `assets/`, and for a site as of a date the one small
/// stylesheet that carries the date into the note on every page. Kept out of the
/// pages so that monthly snapshots of a site share every page nobody changed
/// (an archive stores those once). The cost: the date is generated content, so it
/// shows on screen and in print but not in the page's text (copied text, reader
/// modes, text extracted from an archived page); the bag's `Gongkai-As-Of` and the
/// catalogue's `as_of` state it for those.
pub fn assets(theme: &Theme, as_of: Option<chrono::NaiveDate>, out: &Output) -> Result<(), RenderError> {
    let assets = Path::new(routes::ASSETS);
    for (name, bytes) in &theme.static_files {
        out.write(&assets.join(name), bytes, &|| format!("the theme file {name}"))?;
    }
    // The page tools' words, in the site's script.
    let words = theme.render(WORDS_JS, &Context::new())?;
    out.write(&assets.join(WORDS_JS), words.as_bytes(), &|| "the page tools' words".to_string())?;
    if let Some(date) = as_of {
        let css = format!(".as-of-date::before{{content:\"{}\"}}\n", date.format("%Y-%m-%d"));
        out.write(&assets.join(AS_OF_CSS), css.as_bytes(), &|| "the as-of stylesheet".to_string())?;
    }
    Ok(())
}
