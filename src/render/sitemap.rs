//! The sitemap (sitemaps.org 0.9): `sitemap.xml` is a sitemap index listing one
//! sitemap a year of the notices published in it (`sitemaps/YYYY.xml`) and one of
//! every other page (`sitemaps/pages.xml`: the home page, the standing pages and
//! the browse pages), each from the theme's `sitemap.xml`. A year's sitemap holds
//! nothing of the date, the build or the other years, so a new notice rewrites one
//! of them and the archive's snapshots store the others once.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tera::Context;

use super::RenderError;
use super::theme::Theme;
use crate::model::Site;
use crate::routes::{self, PagePath};
use crate::schema::Date;
use crate::text::escape;
use crate::write::Output;

#[derive(Serialize)]
struct Url {
    loc: String,
    lastmod: Option<Date>,
}

pub fn write(site: &Site, theme: &Theme, out: &Output) -> Result<(), RenderError> {
    let base = &site.config.base_url;
    // The site's order within each year; years newest first, as the catalogue's parts.
    let mut years: BTreeMap<i32, Vec<Url>> = BTreeMap::new();
    for n in &site.notices {
        years.entry(n.published.year()).or_default().push(Url { loc: n.url.url(base), lastmod: Some(n.published) });
    }
    let mut index = Vec::with_capacity(years.len() + 1);
    for (year, urls) in years.into_iter().rev() {
        let file = routes::sitemap_year(year);
        let lastmod = urls.iter().filter_map(|u| u.lastmod).max();
        urlset(theme, out, &file, &urls, &format!("the sitemap of {year}"))?;
        index.push(Url { loc: format!("{base}{file}"), lastmod });
    }
    // The home page and the lists carry no date: the notices they list are in the
    // yearly sitemaps with theirs, and a list's date (its newest notice's) would
    // change this file with every notice.
    let mut urls = vec![Url { loc: PagePath::root().url(base), lastmod: None }];
    urls.extend(site.pages.iter().map(|p| Url { loc: p.url.url(base), lastmod: Some(p.updated) }));
    urls.push(Url { loc: routes::consultations().url(base), lastmod: None });
    for t in &site.taxonomies {
        urls.push(Url { loc: routes::taxonomy(t.kind).url(base), lastmod: None });
        urls.extend(
            t.terms.iter().map(|term| Url { loc: routes::term(t.kind, &term.levels).url(base), lastmod: None }),
        );
    }
    urlset(theme, out, routes::SITEMAP_PAGES, &urls, "the sitemap of the pages")?;
    index.push(Url { loc: format!("{base}{}", routes::SITEMAP_PAGES), lastmod: None });
    out.write(Path::new(routes::SITEMAP), sitemap_index(&index).as_bytes(), &|| "the sitemap index".into())?;
    Ok(())
}

/// One sitemap (`<urlset>`), from the theme's `sitemap.xml`.
fn urlset(theme: &Theme, out: &Output, file: &str, urls: &[Url], origin: &str) -> Result<(), RenderError> {
    let mut ctx = Context::new();
    ctx.insert("urls", urls);
    let xml = super::compact::compact(&theme.render("sitemap.xml", &ctx)?);
    out.write(Path::new(file), xml.as_bytes(), &|| origin.into())?;
    Ok(())
}

/// The sitemap index (`<sitemapindex>`): written here rather than from a template,
/// so that a theme made for the single sitemap still builds.
fn sitemap_index(sitemaps: &[Url]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for s in sitemaps {
        xml.push_str("<sitemap><loc>");
        xml.push_str(&escape(&s.loc));
        xml.push_str("</loc>");
        if let Some(d) = s.lastmod {
            xml.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        xml.push_str("</sitemap>\n");
    }
    xml.push_str("</sitemapindex>\n");
    xml
}
