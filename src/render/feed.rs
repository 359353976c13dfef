//! Atom feeds (RFC 4287): one for the site, one per issuer. Dates come from the
//! notices, never from the clock, so feeds are reproducible.

use std::fmt::Write;

use crate::model::notice::Notice;
use crate::model::site::{Site, TaxonomyKind};
use crate::render::Sink;
use crate::render::{issuer_feed_file, notice_path, term_path};

/// How many entries a feed carries.
const FEED_ENTRIES: usize = 50;

pub fn write_feeds(site: &Site, staging: &dyn Sink) -> Result<(), String> {
    let all: Vec<&Notice> = site.notices.iter().collect();
    let home = site.config.base_url.clone();
    let xml = atom(site, &site.config.title, &format!("{home}feed.xml"), &home, &all);
    staging.write(std::path::Path::new("feed.xml"), xml.as_bytes()).map_err(|e| e.to_string())?;
    if let Some(issuers) = site.taxonomies.iter().find(|t| t.kind == TaxonomyKind::Issuer) {
        for term in &issuers.terms {
            let notices: Vec<&Notice> = term.notices.iter().map(|&i| &site.notices[i]).collect();
            let file = issuer_feed_file(&term.levels[0]);
            let page = term_path(TaxonomyKind::Issuer, &term.levels).url(&site.config.base_url);
            let self_url = format!("{page}feed.xml");
            let title = format!("{} - {}", term.levels[0], site.config.title);
            staging
                .write(&file, atom(site, &title, &self_url, &page, &notices).as_bytes())
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn atom(site: &Site, title: &str, self_url: &str, alternate: &str, notices: &[&Notice]) -> String {
    let updated = notices
        .first()
        .map(|n| timestamp(&n.published.to_string()))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", esc(&site.config.language));
    let _ = writeln!(x, "  <title>{}</title>", esc(title));
    let _ = writeln!(x, "  <id>{}</id>", esc(self_url));
    let _ = writeln!(x, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>", esc(self_url));
    let _ = writeln!(x, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", esc(alternate));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    let author = if site.config.organisation.is_empty() { &site.config.title } else { &site.config.organisation };
    let _ = writeln!(x, "  <author><name>{}</name></author>", esc(author));
    x.push_str("  <generator uri=\"https://github.com/gongkai\">gongkai</generator>\n");
    for n in notices.iter().take(FEED_ENTRIES) {
        let url = notice_path(n).url(&site.config.base_url);
        let date = timestamp(&n.published.to_string());
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <title>{}</title>", esc(&n.title));
        let _ = writeln!(x, "    <id>{}</id>", esc(&url));
        let _ = writeln!(x, "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", esc(&url));
        let _ = writeln!(x, "    <published>{date}</published>");
        let _ = writeln!(x, "    <updated>{date}</updated>");
        for issuer in &n.issuers {
            let _ = writeln!(x, "    <author><name>{}</name></author>", esc(issuer));
        }
        let mut summary = n.issuers.join("、");
        if let Some(d) = &n.doc_number {
            summary = format!("{} {summary}", d.text);
        }
        let _ = writeln!(x, "    <summary>{}</summary>", esc(&summary));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// Notices carry dates only; they are published in China Standard Time.
fn timestamp(date: &str) -> String {
    format!("{date}T00:00:00+08:00")
}

/// Escape text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than written.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
