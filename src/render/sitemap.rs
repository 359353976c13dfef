//! sitemap.xml (sitemaps.org 0.9), from the theme's `sitemap.xml`: the home page,
//! every notice, every standing page and every browse page.

use std::path::Path;

use serde::Serialize;
use tera::Context;

use super::RenderError;
use super::theme::Theme;
use crate::model::Site;
use crate::routes::{self, PagePath};
use crate::schema::Date;
use crate::write::Output;

#[derive(Serialize)]
struct Url {
    loc: String,
    lastmod: Option<Date>,
}

pub fn write(site: &Site, theme: &Theme, out: &Output) -> Result<(), RenderError> {
    let base = &site.config.base_url;
    let newest = |ids: &[crate::model::NoticeId]| ids.first().map(|&i| site.get(i).published);
    let mut urls = vec![Url { loc: PagePath::root().url(base), lastmod: site.notices.first().map(|n| n.published) }];
    urls.extend(site.notices.iter().map(|n| Url { loc: n.url.url(base), lastmod: Some(n.published) }));
    urls.extend(site.pages.iter().map(|p| Url { loc: p.url.url(base), lastmod: Some(p.updated) }));
    for t in &site.taxonomies {
        urls.push(Url { loc: routes::taxonomy(t.kind).url(base), lastmod: None });
        urls.extend(
            t.terms
                .iter()
                .map(|term| Url { loc: routes::term(t.kind, &term.levels).url(base), lastmod: newest(&term.notices) }),
        );
    }
    let mut ctx = Context::new();
    ctx.insert("urls", &urls);
    let xml = super::compact::compact(&theme.render("sitemap.xml", &ctx)?);
    out.write(Path::new(routes::SITEMAP), xml.as_bytes(), &|| "the sitemap".into())?;
    Ok(())
}
