//! Stage 4, render: every page of the site from the model, in parallel. Each page
//! is a pure function of the model, so the output is byte-identical on every run.

pub mod catalogue;
pub mod feed;
pub mod markdown;
pub mod progress;
pub mod sitemap;
pub mod templates;
pub mod urls;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::model::notice::Notice;
use crate::model::site::{Site, TaxonomyKind, Term};
use std::path::Path;

use crate::output::Staging;
use templates::Theme;
use urls::{PagePath, encode_path, encode_segment};

/// Options that change what the pages say, not what they contain.
pub struct RenderOptions {
    /// Shown in the footer only when SOURCE_DATE_EPOCH is set: output carries no
    /// clock time otherwise, so builds are reproducible.
    pub built: Option<String>,
}

/// One page to write.
enum Job<'a> {
    Home,
    Notice(usize),
    TaxonomyIndex(TaxonomyKind),
    TermPage {
        kind: TaxonomyKind,
        term: &'a Term,
        page: usize,
        pages: usize,
    },
    Dashboard(usize),
    /// One version of a notice's text: notice index, version.
    Revision(usize, Version),
    /// A data file's source view: notice index, file name.
    Source(usize, &'a str),
    Search,
    NotFound,
}

pub fn notice_path(n: &Notice) -> PagePath {
    PagePath::new(n.url_segments.iter().cloned())
}

pub fn taxonomy_path(kind: TaxonomyKind) -> PagePath {
    PagePath::new([kind.key()])
}

pub fn term_path(kind: TaxonomyKind, levels: &[String]) -> PagePath {
    PagePath::new(std::iter::once(kind.key().to_owned()).chain(levels.iter().cloned()))
}

/// Page `page` (1-based) of a term's list.
fn term_page_path(kind: TaxonomyKind, levels: &[String], page: usize) -> PagePath {
    let base = term_path(kind, levels);
    if page <= 1 { base } else { base.join("page").join(page.to_string()) }
}

/// Issuer feeds sit beside the issuer's first page.
pub fn issuer_feed_file(issuer: &str) -> std::path::PathBuf {
    let p = term_path(TaxonomyKind::Issuer, &[issuer.to_owned()]);
    let mut f: std::path::PathBuf = p.0.iter().collect();
    f.push("feed.xml");
    f
}

/// Where rendered files go: the staging folder of a build, or the live folder of
/// `serve`. Must be usable from many threads.
pub trait Sink: Sync {
    fn write(&self, rel: &Path, bytes: &[u8]) -> std::io::Result<()>;
    fn copy(&self, rel: &Path, source: &Path) -> std::io::Result<()>;
}

impl Sink for Staging {
    fn write(&self, rel: &Path, bytes: &[u8]) -> std::io::Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn copy(&self, rel: &Path, source: &Path) -> std::io::Result<()> {
        Staging::copy(self, rel, source)
    }
}

/// Which pages to render: everything, or what a change to some notices touches.
pub enum Selection<'a> {
    All,
    /// Notices (by URL) that were added or changed, and the browse terms whose
    /// lists changed (before and after the change).
    /// `moved` says whether any notice was added, removed, re-dated or re-filed;
    /// if not, only the list pages holding the changed notices are rendered.
    Changed {
        notices: &'a [Vec<String>],
        terms: &'a [(TaxonomyKind, Vec<String>)],
        progress: bool,
        moved: bool,
    },
}

/// The dashboard pages are listed once per render, by the caller, and passed in.
fn select_jobs<'a>(site: &'a Site, selection: &Selection, dashboards: usize) -> Vec<Job<'a>> {
    let page_size = site.config.page_size;
    let changed_notice = |i: usize| match selection {
        Selection::All => true,
        Selection::Changed { notices, .. } => notices.contains(&site.notices[i].url_segments),
    };
    let changed_term = |kind: TaxonomyKind, levels: &[String]| match selection {
        Selection::All => true,
        Selection::Changed { terms, .. } => terms.iter().any(|(k, l)| *k == kind && l == levels),
    };
    let moved = !matches!(selection, Selection::Changed { moved: false, .. });
    let mut jobs: Vec<Job> = vec![Job::Home];
    if matches!(selection, Selection::All) {
        jobs.push(Job::NotFound);
    }
    jobs.extend((0..site.notices.len()).filter(|&i| changed_notice(i)).map(Job::Notice));
    // The search form lists the filter values, which change only when notices move.
    if moved {
        jobs.push(Job::Search);
    }
    for tax in &site.taxonomies {
        // Index pages show counts, which change only when notices move.
        if moved {
            jobs.push(Job::TaxonomyIndex(tax.kind));
        }
        for term in tax.terms.iter().filter(|t| changed_term(tax.kind, &t.levels)) {
            let pages = term.notices.len().div_ceil(page_size).max(1);
            // Nothing moved: only the pages that list a changed notice differ.
            let wanted: Vec<usize> = if moved {
                (1..=pages).collect()
            } else {
                let mut p: Vec<usize> = term
                    .notices
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| changed_notice(**i))
                    .map(|(pos, _)| pos / page_size + 1)
                    .collect();
                p.dedup();
                p
            };
            jobs.extend(wanted.into_iter().map(|page| Job::TermPage { kind: tax.kind, term, page, pages }));
        }
    }
    jobs.extend((0..dashboards).map(Job::Dashboard));
    for (i, n) in site.notices.iter().enumerate().filter(|(i, _)| changed_notice(*i)) {
        if let Some(data) = &n.progress {
            jobs.extend(data.files.iter().map(|f| Job::Source(i, f.as_str())));
        }
        if !n.revisions.is_empty() {
            jobs.push(Job::Revision(i, Version::Original));
            jobs.extend((0..n.revisions.len()).map(|k| Job::Revision(i, Version::Revision(k))));
        }
    }
    jobs
}

/// Render every page and the search index into `sink`. Errors are template or
/// write errors.
pub fn render_site(site: &Site, theme: &Theme, sink: &dyn Sink, opts: &RenderOptions) -> Result<usize, String> {
    let pages = render_selection(site, theme, sink, opts, &Selection::All, None)?;
    crate::search::write(site, sink)?;
    Ok(pages)
}

/// Gives a notice's catalogue entry text by index (`serve` keeps them between rebuilds).
pub type CatalogueEntries<'a> = &'a (dyn Fn(usize) -> String + Sync);

/// Render the selected pages and their notices' attachments; with `Selection::All`
/// also the assets and the site-wide files (see `render_site_files`).
pub fn render_selection(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    opts: &RenderOptions,
    selection: &Selection,
    catalogue_entries: Option<CatalogueEntries>,
) -> Result<usize, String> {
    let wants_dashboards = matches!(selection, Selection::All | Selection::Changed { progress: true, .. });
    let dashboards = if wants_dashboards { progress::dashboard_pages(site) } else { Vec::new() };
    let jobs = select_jobs(site, selection, dashboards.len());
    let common = common_context(site, opts);
    jobs.par_iter()
        .map(|job| {
            let (path, template, mut ctx) = match job {
                Job::Home => (PagePath::root(), "index.html", home_context(site)),
                Job::NotFound => (PagePath::root(), "404.html", json!({"page": {"title": "页面不存在"}})),
                Job::Search => (search_path(), "search.html", search_context(site)),
                Job::Notice(i) => {
                    let n = &site.notices[*i];
                    (notice_path(n), "notice.html", notice_context(site, *i, None))
                }
                Job::Dashboard(d) => {
                    let page = &dashboards[*d];
                    (page.path.clone(), "dashboard.html", progress::dashboard_context(site, page, &dashboards))
                }
                Job::Source(i, file) => (notice_path(&site.notices[*i]), "source.html", source_context(site, *i, file)),
                Job::Revision(i, v) => {
                    let n = &site.notices[*i];
                    let date = match v {
                        Version::Revision(k) => Some(n.revisions[*k].date),
                        Version::Original => None,
                    };
                    (revision_path(n, date), "notice.html", notice_context(site, *i, Some(*v)))
                }
                Job::TaxonomyIndex(kind) => (taxonomy_path(*kind), "taxonomy.html", taxonomy_context(site, *kind)),
                Job::TermPage { kind, term, page, pages } => (
                    term_page_path(*kind, &term.levels, *page),
                    "term.html",
                    term_context(site, *kind, term, *page, *pages),
                ),
            };
            merge(&mut ctx, &common);
            // 404.html must work from any depth, so it links from the site root.
            let (file, root) = match job {
                Job::NotFound => (std::path::PathBuf::from("404.html"), site.config.base_url.clone()),
                Job::Source(i, f) => {
                    let deeper = "../".repeat(f.matches('/').count());
                    (progress::source_page(&site.notices[*i], f).0, format!("{}{deeper}", path.root_prefix()))
                }
                _ => (path.file(), path.root_prefix()),
            };
            ctx["root"] = Value::String(root);
            if !matches!(job, Job::NotFound | Job::Source(..)) {
                ctx["page"]["canonical"] = Value::String(path.url(&site.config.base_url));
            }
            let html = theme.render(template, &ctx)?;
            sink.write(&file, html.as_bytes()).map_err(|e| format!("writing {}: {e}", file.display()))
        })
        .collect::<Result<Vec<()>, String>>()?;

    // Attachments are copied beside their notice's page.
    let notices: Vec<&Notice> = jobs
        .iter()
        .filter_map(|j| match j {
            Job::Notice(i) => Some(&site.notices[*i]),
            _ => None,
        })
        .collect();
    notices
        .par_iter()
        .flat_map(|n| n.attachments.par_iter().map(move |a| (n, a)))
        .map(|(n, a)| {
            let dest = notice_path(n).file().with_file_name("").join(&a.file);
            sink.copy(&dest, &a.source).map_err(|e| format!("copying {}: {e}", a.source.display()))
        })
        .collect::<Result<Vec<()>, String>>()?;
    if matches!(selection, Selection::All) {
        sink.write(Path::new("assets/syntax.css"), progress::syntax_css().as_bytes()).map_err(|e| e.to_string())?;
        for (name, bytes) in &theme.static_files {
            sink.write(&Path::new("assets").join(name), bytes).map_err(|e| e.to_string())?;
        }
    }
    if matches!(selection, Selection::All) {
        render_site_files(site, sink, catalogue_entries)?;
    }
    Ok(jobs.len())
}

/// The files that list the whole site: feeds, sitemap, catalogue. Written with
/// every full render; `serve` writes them after announcing the changed pages.
/// The search index is written by the callers (`render_site`, `serve`).
pub fn render_site_files(
    site: &Site,
    sink: &dyn Sink,
    catalogue_entries: Option<CatalogueEntries>,
) -> Result<(), String> {
    feed::write_feeds(site, sink)?;
    sitemap::write(site, sink)?;
    match catalogue_entries {
        Some(entries) => catalogue::write_with(site, sink, entries),
        None => catalogue::write(site, sink),
    }
}

fn merge(ctx: &mut Value, common: &Value) {
    if let (Value::Object(target), Value::Object(src)) = (ctx, common) {
        for (k, v) in src {
            target.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

fn common_context(site: &Site, opts: &RenderOptions) -> Value {
    let c = &site.config;
    json!({
        "site": {
            "title": c.title, "description": c.description, "organisation": c.organisation,
            "language": c.language, "base_url": c.base_url,
        },
        "nav": TaxonomyKind::ALL
            .iter()
            .map(|k| json!({"title": format!("按{}", k.title()), "href": taxonomy_path(*k).href()}))
            .chain(std::iter::once(json!({"title": "目标进展", "href": PagePath::new(["progress"]).href()})))
            .collect::<Vec<_>>(),
        "built": opts.built,
        "as_of": site.as_of.map(|d| d.format("%Y-%m-%d").to_string()),
    })
}

/// What a list shows of a notice.
fn summary(n: &Notice) -> Value {
    json!({
        "title": n.title,
        "href": notice_path(n).href(),
        "doc_number": n.doc_number.as_ref().map(|d| d.text.clone()),
        "issuers": n.issuers,
        "published": n.published,
        "lang": n.script.lang_tag(),
    })
}

fn home_context(site: &Site) -> Value {
    let latest: Vec<Value> = site.notices.iter().take(site.config.page_size).map(summary).collect();
    const SHOWN: usize = 12;
    let taxonomies: Vec<Value> = site
        .taxonomies
        .iter()
        .map(|t| {
            // Years newest first; other lists by how many notices they hold.
            let mut terms: Vec<&Term> = t.terms.iter().filter(|term| term.levels.len() == 1).collect();
            if t.kind != TaxonomyKind::Year {
                terms.sort_by(|a, b| b.notices.len().cmp(&a.notices.len()).then_with(|| a.levels.cmp(&b.levels)));
            }
            let total = terms.len();
            json!({
                "title": t.kind.title(),
                "href": taxonomy_path(t.kind).href(),
                "total": total,
                "more": total > SHOWN,
                "terms": terms.iter().take(SHOWN).map(|term| json!({
                    "name": term.name(), "count": term.notices.len(), "href": term_path(t.kind, &term.levels).href(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "page": {"title": site.config.title},
        "notices": latest,
        "total": site.notices.len(),
        "taxonomies": taxonomies,
    })
}

fn source_context(site: &Site, i: usize, file: &str) -> Value {
    let n = &site.notices[i];
    let text = n
        .attachments
        .iter()
        .find(|a| a.file == file)
        .and_then(|a| std::fs::read(&a.source).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    json!({
        "page": {"title": format!("{file} - {}", n.title)},
        "source": {
            "file": file,
            "html": progress::highlight(&text, file),
            // The source page sits beside the file it shows.
            "download": file.rsplit('/').next().map(encode_segment).unwrap_or_default(),
            "notice_title": n.title,
            "notice_href": notice_path(n).href(),
        },
    })
}

/// A version of a notice's text with a page of its own.
#[derive(Clone, Copy)]
enum Version {
    /// The text as first published.
    Original,
    /// An index into the notice's revisions.
    Revision(usize),
}

/// The notice page, showing the text in force on the reference date, or the page
/// of one version of the text.
fn notice_context(site: &Site, i: usize, version: Option<Version>) -> Value {
    let n = &site.notices[i];
    let life = &site.lifecycle[i];
    let link = |kind: TaxonomyKind, levels: Vec<String>| json!({"name": levels.join("\\"), "href": term_path(kind, &levels).href()});
    let year = n.published.year().to_string();
    let (body, shown_revision) = match version {
        Some(Version::Revision(k)) => (n.revisions[k].body.as_str(), Some(n.revisions[k].date)),
        Some(Version::Original) => (n.body.as_str(), None),
        None => (n.body_as_of(site.reference_date).0, life.revision),
    };
    // Citations that resolve become links to the cited notice.
    let root = notice_path(n).root_prefix();
    // Version pages sit two folders below the notice page.
    let root = if version.is_some() { format!("{root}../../") } else { root };
    let citation_links: Vec<(String, String)> = life
        .cites
        .iter()
        .map(|(text, t)| (text.clone(), format!("{root}{}", notice_path(&site.notices[*t]).href())))
        .collect();
    let body_html = markdown::link_phrases(&markdown::render(body), &citation_links);
    let notice_ref = |t: usize| {
        let m = &site.notices[t];
        json!({"title": m.title, "doc_number": m.doc_number.as_ref().map(|d| d.text.clone()), "href": notice_path(m).href()})
    };
    let mut ctx = json!({
        "page": {"title": n.title},
        "notice": {
            "title": n.title,
            "doc_number": n.doc_number.as_ref().map(|d| d.text.clone()),
            "index_number": n.index_number,
            "issuers": n.issuers.iter().map(|i| link(TaxonomyKind::Issuer, vec![i.clone()])).collect::<Vec<_>>(),
            "genre": n.genre.as_ref().map(|g| link(TaxonomyKind::Genre, vec![g.clone()])),
            "form": n.form.as_ref().map(|f| link(TaxonomyKind::Form, vec![f.clone()])),
            "topics": n.topics.iter().map(|t| link(TaxonomyKind::Topic, t.levels.clone())).collect::<Vec<_>>(),
            "year": year,
            "year_href": term_path(TaxonomyKind::Year, std::slice::from_ref(&year)).href(),
            "attachments": n.attachments.iter().map(|a| json!({
                "title": a.title,
                "href": encode_path(&a.file),
                "size": human_size(a.bytes),
            })).collect::<Vec<_>>(),
            "body_html": body_html,
        },
        "lifecycle": {
            "effective": n.effective,
            "expires": n.expires,
            "validity_by": life.validity_by.map(|(r, t)| json!({"label": r.label(), "notice": notice_ref(t)})),
            "changes": n.validity_changes.iter().map(|(d, v)| json!({"date": d, "validity": v})).collect::<Vec<_>>(),
            "outgoing": life.outgoing.iter().map(|(r, d, t)| json!({
                "label": r.label(), "doc_number": d.text, "notice": t.map(notice_ref),
            })).collect::<Vec<_>>(),
            "incoming": life.incoming.iter().map(|(r, t)| json!({"label": r.inverse_label(), "notice": notice_ref(*t)})).collect::<Vec<_>>(),
            // A notice cited by number and by title is listed once.
            "cites": life.cites.iter().map(|(_, t)| *t).collect::<std::collections::BTreeSet<_>>().into_iter().map(notice_ref).collect::<Vec<_>>(),
            "cited_by": life.cited_by.iter().map(|t| notice_ref(*t)).collect::<Vec<_>>(),
            "shown_revision": shown_revision,
            "is_revision_page": version.is_some(),
            "original_href": revision_path(n, None).href(),
            "revisions": n.revisions.iter().map(|r| json!({
                "date": r.date,
                "href": revision_path(n, Some(r.date)).href(),
                "in_force": Some(r.date) == life.revision,
            })).collect::<Vec<_>>(),
        },
        "progress": if version.is_some() { Value::Null } else { progress::notice_section(site, i) },
        "notice_href": notice_path(n).href(),
    });
    if let Value::Object(notice) = &mut ctx["notice"] {
        notice.extend(catalogue::plain_fields(n));
        // The validity shown is the one on the reference date.
        notice.insert("validity".into(), json!(life.validity));
    }
    ctx
}

/// Where the page of one version of a notice's text lives (None: the original).
pub fn revision_path(n: &Notice, date: Option<crate::model::fields::Date>) -> PagePath {
    notice_path(n).join("revisions").join(date.map_or_else(|| "original".to_owned(), |d| d.to_string()))
}

fn search_path() -> PagePath {
    PagePath::new(["search"])
}

/// The search form offers every filter value the index holds.
fn search_context(site: &Site) -> Value {
    let filters: Vec<Value> = crate::search::filters(site)
        .into_iter()
        .map(|f| {
            let values: Vec<String> = f.values.into_iter().map(|(name, _)| name).collect();
            json!({"key": f.key, "title": f.title, "values": values})
        })
        .collect();
    json!({
        "page": {"title": "检索"},
        "filters": filters,
        "browse": TaxonomyKind::ALL
            .iter()
            .map(|k| json!({"title": format!("按{}浏览", k.title()), "href": taxonomy_path(*k).href()}))
            .collect::<Vec<_>>(),
        "total": site.notices.len(),
    })
}

fn taxonomy_context(site: &Site, kind: TaxonomyKind) -> Value {
    let tax = site.taxonomies.iter().find(|t| t.kind == kind);
    let terms: Vec<Value> = tax
        .map(|t| {
            t.terms
                .iter()
                .map(|term| {
                    json!({
                        "name": term.name(),
                        "label": term.levels.last().cloned().unwrap_or_default(),
                        "depth": term.levels.len(),
                        "count": term.notices.len(),
                        "href": term_path(kind, &term.levels).href(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "page": {"title": format!("按{}浏览", kind.title())},
        "taxonomy": {"title": kind.title(), "key": kind.key()},
        "terms": terms,
    })
}

fn term_context(site: &Site, kind: TaxonomyKind, term: &Term, page: usize, pages: usize) -> Value {
    let size = site.config.page_size;
    let notices: Vec<Value> =
        term.notices.iter().skip((page - 1) * size).take(size).map(|&i| summary(&site.notices[i])).collect();
    let href = |p: usize| term_page_path(kind, &term.levels, p).href();
    let parents: Vec<Value> = (1..term.levels.len())
        .map(|d| json!({"name": term.levels[..d].join("\\"), "href": term_path(kind, &term.levels[..d]).href()}))
        .collect();
    let feed_href = (kind == TaxonomyKind::Issuer).then(|| {
        let f = issuer_feed_file(&term.levels[0]);
        f.iter().map(|s| encode_segment(&s.to_string_lossy())).collect::<Vec<_>>().join("/")
    });
    let title = if pages > 1 {
        format!("{}：{}（第{page}页）", kind.title(), term.name())
    } else {
        format!("{}：{}", kind.title(), term.name())
    };
    json!({
        "page": {"title": title},
        "taxonomy": {"title": kind.title(), "key": kind.key(), "href": taxonomy_path(kind).href()},
        "term": {"name": term.name(), "label": term.levels.last(), "count": term.notices.len(), "parents": parents},
        "notices": notices,
        "feed_href": feed_href,
        "pagination": {
            "current": page,
            "total": pages,
            "prev": (page > 1).then(|| href(page - 1)),
            "next": (page < pages).then(|| href(page + 1)),
            "pages": (1..=pages).map(|p| json!({"number": p, "href": href(p), "current": p == page})).collect::<Vec<_>>(),
        },
    })
}

/// A file size as people read it: 900 B, 1.5 KB, 5.0 MB, 1.2 GB.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}
