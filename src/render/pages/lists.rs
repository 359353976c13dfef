//! The home page, the browse index of each dimension, and the pages of a term's list.

use serde::Serialize;
use tera::Context;

use super::super::{Pages, Ui};
use crate::model::{Term, UNCLASSIFIED};
use crate::render::paging::{self, Paging};
use crate::render::view::NoticeView;
use crate::routes::{self, PagePath, TaxonomyKind, encode_segment};
use crate::schema::{Date, Topic};

impl<'v, 'a> Pages<'v, 'a> {
    pub(in crate::render) fn home(&self, ctx: &mut Context) -> (PagePath, &'static str, String) {
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
                    terms: terms.iter().take(SHOWN).map(|term| TermLink::of(t.kind, term, self.ui())).collect(),
                }
            })
            .collect();
        ctx.insert("notices", &latest);
        ctx.insert("total", &site.notices.len());
        ctx.insert("taxonomies", &taxonomies);
        (PagePath::root(), "index.html", site.config.title.clone())
    }

    pub(in crate::render) fn taxonomy(
        &self,
        ctx: &mut Context,
        kind: TaxonomyKind,
    ) -> (PagePath, &'static str, String) {
        let mut terms: Vec<(Vec<String>, TermLink)> = self
            .site
            .taxonomy(kind)
            .terms
            .iter()
            .map(|t| (t.levels.clone(), TermLink::of(kind, t, self.ui())))
            .collect();
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
    pub(in crate::render) fn term(
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
        let name = ui.term(&term.name());
        let title = match &span {
            Some(s) => format!("{}：{name}{}", ui.kind(kind), ui.t(&format!("（{} 至 {}）", s.from, s.to))),
            None => format!("{}：{name}", ui.kind(kind)),
        };
        ctx.insert(
            "taxonomy",
            &TaxonomyInfo { title: ui.kind(kind), key: kind.key(), href: routes::taxonomy(kind).href() },
        );
        ctx.insert(
            "term",
            &TermInfo {
                label: ui.term(term.levels.last().map_or("", String::as_str)),
                name,
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
pub(super) struct TermLink {
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

    /// Shown in the site's script when the term is gongkai's own (未分类).
    pub(super) fn of(kind: TaxonomyKind, term: &Term, ui: Ui) -> TermLink {
        TermLink {
            name: ui.term(&term.name()),
            label: ui.term(term.levels.last().map_or("", String::as_str)),
            depth: term.levels.len(),
            count: term.notices.len(),
            href: routes::term(kind, &term.levels).href(),
        }
    }
}

#[derive(Serialize)]
struct TaxonomyInfo {
    title: &'static str,
    key: &'static str,
    href: String,
}

#[derive(Serialize)]
struct TermInfo {
    name: String,
    label: String,
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
