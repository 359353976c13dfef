//! Atom feeds (RFC 4287), from the theme's `feed.xml`: one for the site, one per
//! issuer. Dates come from the notices, never from the clock, so feeds are
//! reproducible.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::RenderError;
use super::stages::WithdrawnView;
use super::theme::Theme;
use super::view::{NoticeView, Views};
use crate::model::Site;
use crate::routes::{self, TaxonomyKind};
use crate::write::Output;

/// How many entries a feed carries.
const FEED_ENTRIES: usize = 50;

#[derive(Serialize)]
struct FeedSite<'a> {
    title: &'a str,
    language: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct Feed<'a> {
    title: String,
    self_url: String,
    /// The page the feed follows.
    alternate: String,
    updated: String,
    author: &'a str,
}

pub fn write(site: &Site, views: &Views, theme: &Theme, out: &Output) -> Result<(), RenderError> {
    let home = &site.config.base_url;
    let all: Vec<&NoticeView> = views.all().collect();
    // A withdrawal is news too: the site's feed carries it (the entry of the
    // notice, updated on the day it was withdrawn).
    let withdrawn: Vec<WithdrawnView> = site.withdrawn.iter().filter_map(|n| WithdrawnView::of(site, n)).collect();
    let (title, self_url) = (site.config.title.clone(), format!("{home}{}", routes::FEED));
    let xml = atom(site, theme, title, self_url, home.clone(), &all, &withdrawn)?;
    out.write(Path::new(routes::FEED), xml.as_bytes(), &|| "the site's feed".into())?;
    site.taxonomy(TaxonomyKind::Issuer).terms.par_iter().try_for_each(|term| {
        let notices: Vec<&NoticeView> = term.notices.iter().map(|&i| views.get(i.index())).collect();
        let page = routes::term(TaxonomyKind::Issuer, &term.levels).url(home);
        let title = format!("{} - {}", term.levels[0], site.config.title);
        let xml = atom(site, theme, title, format!("{page}{}", routes::FEED), page, &notices, &[])?;
        let origin = || format!("the feed of {}", term.levels[0]);
        out.write(&routes::issuer_feed(&term.levels[0]), xml.as_bytes(), &origin)?;
        Ok(())
    })
}

fn atom(
    site: &Site,
    theme: &Theme,
    title: String,
    self_url: String,
    alternate: String,
    notices: &[&NoticeView],
    withdrawn: &[WithdrawnView],
) -> Result<String, RenderError> {
    let c = &site.config;
    let withdrawn = &withdrawn[..withdrawn.len().min(FEED_ENTRIES)];
    let latest =
        notices.first().map(|n| n.published).into_iter().chain(withdrawn.iter().map(|w| w.withdrawn.date)).max();
    let updated = latest.map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |d| format!("{d}T00:00:00+08:00"));
    let author = if c.organisation.is_empty() { &c.title } else { &c.organisation };
    let mut ctx = Context::new();
    ctx.insert("site", &FeedSite { title: &c.title, language: &c.language.tag, base_url: &c.base_url });
    ctx.insert("feed", &Feed { title, self_url, alternate, updated, author });
    ctx.insert("notices", &notices[..notices.len().min(FEED_ENTRIES)]);
    ctx.insert("withdrawn", withdrawn);
    // Without the template's indentation, as pages are (whitespace between
    // elements means nothing in Atom).
    Ok(super::compact::compact(&theme.render("feed.xml", &ctx)?))
}
