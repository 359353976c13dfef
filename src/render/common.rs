//! What every page receives (`site`, `nav`, `built`, `as_of`) and the links it is made of.

use serde::Serialize;
use tera::Context;

use super::RenderOptions;
use super::ui::Ui;
use crate::model::Site;
use crate::notice::standing::NavPlace;
use crate::routes::{self, TaxonomyKind};

/// What every page receives: `site`, `nav`, `built`, `as_of`.
pub(super) fn common_context(site: &Site, opts: &RenderOptions) -> Context {
    let c = &site.config;
    let mut ctx = Context::new();
    ctx.insert(
        "site",
        &SiteInfo {
            title: &c.title,
            description: &c.description,
            organisation: &c.organisation,
            language: &c.language.tag,
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
    let mut nav = browse_links("", ui);
    nav.push(NavLink { title: ui.t("目标进展"), href: routes::dashboard().href() });
    nav.extend(standing_links(site, Some(NavPlace::Header)));
    ctx.insert("nav", &nav);
    ctx.insert("footer_pages", &standing_links(site, Some(NavPlace::Footer)));
    ctx.insert("built", &opts.built);
    ctx.insert("as_of", &site.as_of.map(|d| d.format("%Y-%m-%d").to_string()));
    ctx
}

/// Links to the standing pages (those linked at `place`, or all), in order.
pub(super) fn standing_links(site: &Site, place: Option<NavPlace>) -> Vec<NavLink> {
    site.pages
        .iter()
        .filter(|p| place.is_none_or(|place| p.nav == place))
        .map(|p| NavLink { title: p.title.clone(), href: p.url.href() })
        .collect()
}

/// 按年份 … 按主题分类, each with `suffix`, linking to the dimension's index page.
pub(super) fn browse_links(suffix: &str, ui: Ui) -> Vec<NavLink> {
    TaxonomyKind::ALL
        .iter()
        .map(|k| NavLink { title: ui.t(&format!("按{}{suffix}", k.title())), href: routes::taxonomy(*k).href() })
        .collect()
}

#[derive(Serialize)]
pub(super) struct SiteInfo<'a> {
    title: &'a str,
    description: &'a str,
    organisation: &'a str,
    language: &'a str,
    base_url: &'a str,
    /// `identity:` of site.yaml, with the registries' links.
    identity: IdentityInfo<'a>,
}

#[derive(Serialize)]
pub(super) struct IdentityInfo<'a> {
    #[serde(flatten)]
    given: &'a crate::config::Identity,
    icp_href: Option<&'static str>,
    police_href: Option<String>,
    conac_href: Option<String>,
}

#[derive(Serialize)]
pub(super) struct NavLink {
    title: String,
    href: String,
}

#[derive(Serialize)]
pub(super) struct PageMeta {
    pub(super) title: String,
    pub(super) canonical: Option<String>,
}

/// The path part of the site's base URL, from the `/` after the host:
/// `https://www.example.gov.cn/xxgk/` → `/xxgk/`.
pub(super) fn site_path(base_url: &str) -> String {
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
