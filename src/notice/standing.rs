//! Standing pages: what a disclosure site has besides notices — 政府信息公开指南,
//! 政府信息公开制度, 依申请公开 (with the form to download), 联系我们. Markdown files
//! under `content/pages/` with a small front matter (`schema::PAGE_FIELDS`), read
//! and checked like notices, shown in the site's layout, the navigation, the site
//! map and the search — never in notice lists, feeds or the catalogue.

use std::collections::HashMap;
use std::path::Path;

use super::reader::Reader;
use super::{Attachment, Text, files};
use crate::content::NoticeSource;
use crate::content::frontmatter::Parsed;
use crate::diagnostics::{Code, Diagnostic};
use crate::routes::PagePath;
use crate::schema::{self, Date, FieldError};
use crate::text::store::TextStore;

/// Pages without an `order` come after those with a smaller one.
pub const DEFAULT_ORDER: i64 = 100;

#[derive(Debug)]
pub struct StandingPage {
    pub source: NoticeSource,
    /// `pages/<slug>/`.
    pub url: PagePath,
    pub title: String,
    pub updated: Date,
    pub order: i64,
    pub nav: NavPlace,
    pub text: Text,
    /// Files to download, copied beside the page.
    pub attachments: Vec<Attachment>,
}

/// Where a standing page is linked besides the site map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NavPlace {
    Header,
    Footer,
    None,
}

impl NavPlace {
    fn parse(text: &str) -> Result<NavPlace, FieldError> {
        match text {
            "页头" | "頁頭" | "header" => Ok(NavPlace::Header),
            "页脚" | "頁腳" | "footer" => Ok(NavPlace::Footer),
            "无" | "無" | "none" => Ok(NavPlace::None),
            _ => Err(FieldError::new("not a place in the navigation", "页头 (header), 页脚 (footer) or 无 (none)")),
        }
    }
}

/// Read and check one standing page. `None` when it has errors (in the diagnostics).
pub fn load(
    source: &NoticeSource,
    file_text: &str,
    parsed: Parsed,
    content_dir: &Path,
    texts: &TextStore,
) -> (Option<StandingPage>, Vec<Diagnostic>) {
    let mut r = Reader::with_schema(schema::PAGE_FIELDS, source, file_text, parsed.fields, texts);
    for field in schema::PAGE_FIELDS.iter().filter(|f| f.required) {
        if !r.has_value(field.name) {
            r.missing(field.name);
        }
    }
    let title = r.text("title");
    let updated = r.parsed("updated", Date::parse);
    let order = r.parsed("order", |t| {
        t.parse::<i64>().map_err(|_| FieldError::new("not a whole number", "a whole number such as 10"))
    });
    let nav = r.parsed("nav", NavPlace::parse).unwrap_or(NavPlace::None);
    let slug = r.text("slug");
    let url = super::url_of(&mut r, source, slug.as_deref());
    let text = files::body(&mut r, parsed.body, parsed.body_line);
    let (attachments, _) = files::attachments_and_data(&mut r, content_dir);
    if r.has_errors() {
        return (None, r.diags);
    }
    let (Some(title), Some(updated), Some(text)) = (title, updated, text) else { return (None, r.diags) };
    let page = StandingPage {
        source: source.clone(),
        url,
        title,
        updated,
        order: order.unwrap_or(DEFAULT_ORDER),
        nav,
        text,
        attachments,
    };
    (Some(page), r.diags)
}

/// Two standing pages at one URL (compared ignoring case, as notices are).
pub fn between_pages(pages: &[StandingPage]) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, &StandingPage> = HashMap::new();
    let mut diags = Vec::new();
    for p in pages {
        let key = p.url.0.join("/").to_lowercase();
        match seen.get(&key) {
            Some(first) => diags.push(
                Diagnostic::new(
                    Code::UrlClash,
                    &p.source.display,
                    format!("two pages at the same URL /{}/", p.url.0.join("/")),
                )
                .field("slug")
                .found(format!("this page and {}", first.source.display.display()))
                .expected("one page per URL (URLs are compared ignoring letter case)")
                .hint("rename one of the files or give it a different `slug:`"),
            ),
            None => {
                seen.insert(key, p);
            }
        }
    }
    diags
}

/// Display order: by `order`, then title.
pub fn sort(pages: &mut [StandingPage]) {
    pages.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.title.cmp(&b.title)).then_with(|| a.url.cmp(&b.url)));
}
