//! Pages about the site as a whole: search, the site map, the standing pages.

use serde::Serialize;
use tera::Context;

use super::super::Pages;
use super::super::common::{browse_links, standing_links};
use super::lists::TermLink;
use super::notice::table_of_contents;
use crate::model::facets;
use crate::routes::{self, PagePath};
use crate::schema::Date;

impl<'v, 'a> Pages<'v, 'a> {
    /// The search form offers every filter value the index holds.
    pub(in crate::render) fn search(&self, ctx: &mut Context) -> (PagePath, &'static str, String) {
        let ui = self.ui();
        let filters: Vec<SearchFilter> = facets(self.site)
            .into_iter()
            .map(|f| SearchFilter {
                key: f.key,
                title: ui.t(f.title),
                // The index's value, shown in the site's script when it is gongkai's word.
                values: f.values.into_iter().map(|(value, _)| FilterValue { label: ui.term(&value), value }).collect(),
            })
            .collect();
        ctx.insert("filters", &filters);
        ctx.insert("browse", &browse_links("浏览", ui));
        ctx.insert("total", &self.site.notices.len());
        (routes::search(), "search.html", self.ui().t("检索"))
    }

    /// A standing page (指南, 制度 …).
    pub(in crate::render) fn standing(&self, ctx: &mut Context, p: usize) -> (PagePath, &'static str, String) {
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
    pub(in crate::render) fn site_map(&self, ctx: &mut Context) -> (PagePath, &'static str, String) {
        let browse: Vec<SiteMapSection> = self
            .site
            .taxonomies
            .iter()
            .map(|tax| SiteMapSection {
                title: self.ui().t(&format!("按{}浏览", tax.kind.title())),
                href: routes::taxonomy(tax.kind).href(),
                terms: tax.terms.iter().map(|t| TermLink::of(tax.kind, t, self.ui())).collect(),
            })
            .collect();
        ctx.insert("browse", &browse);
        ctx.insert("pages", &standing_links(self.site, None));
        ctx.insert("search_href", &routes::search().href());
        ctx.insert("dashboard_href", &routes::dashboard().href());
        (routes::site_map(), "map.html", self.ui().t("网站地图"))
    }
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
struct SearchFilter {
    key: &'static str,
    title: String,
    values: Vec<FilterValue>,
}

#[derive(Serialize)]
struct FilterValue {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct SiteMapSection {
    title: String,
    href: String,
    terms: Vec<TermLink>,
}
