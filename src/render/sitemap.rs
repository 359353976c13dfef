//! sitemap.xml (sitemaps.org 0.9): every notice and browse page.

use std::fmt::Write;

use crate::model::site::Site;
use crate::render::Sink;
use crate::render::feed::esc;
use crate::render::urls::PagePath;
use crate::render::{notice_path, taxonomy_path, term_path};

pub fn write(site: &Site, staging: &dyn Sink) -> Result<(), String> {
    let base = &site.config.base_url;
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut add = |url: String, lastmod: Option<String>| {
        let _ = match lastmod {
            Some(d) => writeln!(x, "  <url><loc>{}</loc><lastmod>{d}</lastmod></url>", esc(&url)),
            None => writeln!(x, "  <url><loc>{}</loc></url>", esc(&url)),
        };
    };
    add(PagePath::root().url(base), site.notices.first().map(|n| n.published.to_string()));
    for n in &site.notices {
        add(notice_path(n).url(base), Some(n.published.to_string()));
    }
    for t in &site.taxonomies {
        add(taxonomy_path(t.kind).url(base), None);
        for term in &t.terms {
            add(
                term_path(t.kind, &term.levels).url(base),
                term.notices.first().map(|&i| site.notices[i].published.to_string()),
            );
        }
    }
    x.push_str("</urlset>\n");
    staging.write(std::path::Path::new("sitemap.xml"), x.as_bytes()).map_err(|e| e.to_string())
}
