//! A notice's text, parsed once: CommonMark with tables and footnotes to safe HTML
//! (an id on every heading so that sections can be linked, and ammonia to strip
//! anything raw HTML could use to run script), the plain text search reads, and a
//! guard against absurdly deep nesting. Also: linking cited phrases in the HTML.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("div", ["class"])
        .add_tag_attributes("section", ["class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tags(["section"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .link_rel(Some("noopener noreferrer"));
    b
});

/// Deepest nesting of Markdown blocks and inline elements accepted in a body. The
/// HTML sanitiser's time grows with the square of the depth, and no real notice
/// comes near this.
pub const MAX_DEPTH: usize = 48;

/// pulldown-cmark ends raw `<script>`, `<pre>`, `<style>` and `<textarea>` blocks
/// only at a lower-case end tag (CommonMark says any case); lower-case the tag
/// names so that an upper-case block cannot swallow the rest of the body.
static RAW_BLOCK_TAGS: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"(?i)<(/?)(script|pre|style|textarea)\b").expect("pattern"));

fn normalise_raw_tags(markdown: &str) -> std::borrow::Cow<'_, str> {
    RAW_BLOCK_TAGS.replace_all(markdown, |c: &regex::Captures| format!("<{}{}", &c[1], c[2].to_ascii_lowercase()))
}

static HTML_TAG: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>").expect("pattern"));

/// Elements that never have an end tag, so they do not nest.
const VOID_ELEMENTS: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A body rendered: its HTML (sanitised) and the text a reader sees.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    pub html: String,
    /// Every heading, in order: a long notice's 目录.
    pub headings: Vec<Heading>,
    /// One line per block, soft line breaks as spaces, raw HTML left out (it is
    /// web-page debris far more often than text): what search indexes.
    pub plain: String,
}

/// A heading of the text and the id its element has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
}

/// A body nested deeper than `MAX_DEPTH`; `offset` is the byte where it passes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("text nested more than {MAX_DEPTH} levels deep")]
pub struct TooDeep {
    pub offset: usize,
}

/// Parse a body once and make everything later stages need of it. Headings get
/// ids derived from their text (unique within the page); the HTML is sanitised.
pub fn render(markdown: &str) -> Result<Rendered, TooDeep> {
    // Only ASCII letters change case, so offsets in `text` are offsets in `markdown`.
    let text = normalise_raw_tags(markdown);
    let parsed: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(&text, options()).into_offset_iter().collect();
    if let Some(offset) = too_deep(&parsed) {
        return Err(TooDeep { offset: offset.min(markdown.len()) });
    }
    let plain = plain_text(parsed.iter().map(|(e, _)| e));
    let mut events: Vec<Event> = parsed.into_iter().map(|(e, _)| e).collect();
    let headings = name_headings(&mut events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Ok(Rendered { html: SANITIZER.clean(&html).to_string(), headings, plain })
}

/// `render` through the build cache: a body renders the same every time, and
/// the sanitiser is most of the cost of loading a notice.
pub fn render_cached(markdown: &str) -> Result<Rendered, TooDeep> {
    crate::cache::memo(
        "markdown",
        &[markdown.as_bytes()],
        || render(markdown),
        |result| match result {
            // Deflated: the texts of 10,000 notices are 180 MB as they are.
            Ok(r) => {
                use std::io::Write;
                let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
                serde_json::to_writer(&mut z, r).ok()?;
                z.flush().ok()?;
                z.finish().ok()
            }
            // An error is not kept: a damaged file is rare and fixed soon.
            Err(_) => None,
        },
        |bytes| {
            use std::io::Read;
            let mut json = Vec::with_capacity(bytes.len() * 4);
            flate2::read::DeflateDecoder::new(bytes).read_to_end(&mut json).ok()?;
            serde_json::from_slice(&json).ok().map(Ok)
        },
    )
}

/// The offset where the nesting of Markdown elements, or of the tags of raw HTML,
/// passes `MAX_DEPTH`.
fn too_deep(events: &[(Event, std::ops::Range<usize>)]) -> Option<usize> {
    let mut depth: usize = 0;
    let mut html_depth: usize = 0;
    for (event, range) in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                for tag in HTML_TAG.captures_iter(h) {
                    let name = tag[2].to_ascii_lowercase();
                    if &tag[1] == "/" {
                        html_depth = html_depth.saturating_sub(1);
                    } else if &tag[3] != "/" && !VOID_ELEMENTS.contains(&name.as_str()) {
                        html_depth += 1;
                    }
                    if html_depth > MAX_DEPTH {
                        return Some(range.start);
                    }
                }
            }
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Some(range.start);
        }
    }
    None
}

fn plain_text<'e>(events: impl Iterator<Item = &'e Event<'e>>) -> String {
    let mut out = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item)
                if !out.ends_with('\n') && !out.is_empty() =>
            {
                out.push('\n')
            }
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Give every heading without an explicit id one made from its text; returns
/// every heading with its id.
fn name_headings(events: &mut [Event]) -> Vec<Heading> {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let (level, given) = (*level as u8, id.as_ref().map(|id| id.to_string()));
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let id = given.unwrap_or_else(|| {
                let base = anchor(&text);
                let n = used.entry(base.clone()).or_insert(0);
                *n += 1;
                let id = if *n == 1 { base } else { format!("{base}-{n}") };
                if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                    *slot = Some(CowStr::from(id.clone()));
                }
                id
            });
            headings.push(Heading { level, text: text.trim().to_owned(), id });
            i = j;
        }
        i += 1;
    }
    headings
}

/// An anchor from heading text: letters and digits (any script) kept, runs of
/// anything else become one `-`.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() { "section".to_owned() } else { format!("h-{trimmed}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_what_a_reader_sees() {
        let md = "## 一、指导思想\n\n第一行\n第二行 **加粗** `代码`\n\n<div onclick=x>网页残留</div>\n\n| 指标 | 目标 |\n|---|---|\n| 普及率 | 95% |\n";
        assert_eq!(render(md).unwrap().plain, "一、指导思想\n第一行 第二行 加粗 代码\n指标\n目标\n普及率\n95%");
    }

    #[test]
    fn headings_get_unique_ids() {
        let html = render("## 一、指导思想\n\n## 一、指导思想\n\ntext").unwrap().html;
        assert!(html.contains(r#"<h2 id="h-一-指导思想">"#), "{html}");
        assert!(html.contains(r#"<h2 id="h-一-指导思想-2">"#), "{html}");
    }

    #[test]
    fn tables_and_footnotes() {
        let html = render("| 指标 | 目标 |\n|---|---:|\n| 普及率 | 95% |\n\n正文[^1]\n\n[^1]: 注释\n").unwrap().html;
        assert!(html.contains("<table>") && html.contains("<td style=\"text-align:right\">95%</td>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn upper_case_raw_blocks_end_properly() {
        let html = render("<SCRIPT>alert(1)</SCRIPT>\n\n## 一、标题\n\n[x](JaVaScRiPt:alert(1))\n").unwrap().html;
        assert!(html.contains("<h2 id=\"h-一-标题\">"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
    }

    #[test]
    fn deep_nesting_is_detected() {
        assert!(render(&format!("{} x", ">".repeat(200))).is_err());
        assert!(render(&format!("{}x{}", "<div>".repeat(200), "</div>".repeat(200))).is_err());
        assert!(render("> quote\n>> nested\n\n- a\n  - b\n").is_ok());
        assert!(render(&"<p>para</p>\n\n".repeat(500)).is_ok());
        assert!(render(&"a<br>b<img src=x>".repeat(500)).is_ok(), "void elements do not nest");
    }

    #[test]
    fn script_is_removed_in_any_letter_case() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) <a href=\"  JAVASCRIPT:x\">c</a> <div onclick=\"x()\">d</div>",
        )
        .unwrap()
        .html;
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("onerror") && !lower.contains("onclick"), "{html}");
        assert!(!lower.contains("javascript:"), "{html}");
    }
}

/// Turn the first mention of each phrase in the text of `html` into a link,
/// outside tags and outside existing links. Phrases are plain text (citations).
pub fn link_phrases(html: &str, links: &[(String, String)]) -> String {
    let mut pending: Vec<&(String, String)> = links.iter().filter(|(p, _)| !p.is_empty()).collect();
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut in_link = 0usize;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[..end];
            if tag.starts_with("<a ") || tag == "<a>" {
                in_link += 1;
            } else if tag.starts_with("</a") {
                in_link = in_link.saturating_sub(1);
            }
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let mut text = &rest[..end];
        rest = &rest[end..];
        if in_link > 0 || pending.is_empty() {
            out.push_str(text);
            continue;
        }
        // Link the earliest pending phrase in this run of text, then look again.
        while let Some((pos, k)) =
            pending.iter().enumerate().filter_map(|(k, (p, _))| text.find(p.as_str()).map(|pos| (pos, k))).min()
        {
            let (phrase, href) = pending.remove(k);
            out.push_str(&text[..pos]);
            out.push_str(&format!("<a class=\"citation\" href=\"{}\">{}</a>", crate::text::escape(href), phrase));
            text = &text[pos + phrase.len()..];
        }
        out.push_str(text);
    }
    out
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn links_phrases_outside_tags_and_links() {
        let html = "<p>按照《甲办法》(吉人联字〔2005〕42号)要求，见<a href=\"x\">甲办法</a>。</p>";
        let out = link_phrases(
            html,
            &[("吉人联字〔2005〕42号".into(), "../a/index.html".into()), ("甲办法".into(), "../b/index.html".into())],
        );
        assert!(out.contains("(<a class=\"citation\" href=\"../a/index.html\">吉人联字〔2005〕42号</a>)"), "{out}");
        assert!(out.contains("《<a class=\"citation\" href=\"../b/index.html\">甲办法</a>》"), "{out}");
        assert!(out.contains("<a href=\"x\">甲办法</a>"), "{out}");
    }
}
