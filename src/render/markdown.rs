//! Markdown to safe HTML: CommonMark with tables and footnotes, an id on every
//! heading so that sections can be linked, and ammonia to strip anything a notice's
//! raw HTML could use to run script.

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

/// Render a notice body. Headings get ids derived from their text (unique within
/// the page); the result is sanitised.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Parser::new_ext(markdown, options).collect();

    // Give every heading without an explicit id one made from its text.
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = anchor(&text);
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 { base } else { format!("{base}-{n}") };
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
            i = j;
        }
        i += 1;
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    SANITIZER.clean(&out).to_string()
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
    fn headings_get_unique_ids() {
        let html = render("## 一、指导思想\n\n## 一、指导思想\n\ntext");
        assert!(html.contains(r#"<h2 id="h-一-指导思想">"#), "{html}");
        assert!(html.contains(r#"<h2 id="h-一-指导思想-2">"#), "{html}");
    }

    #[test]
    fn tables_and_footnotes() {
        let html = render("| 指标 | 目标 |\n|---|---:|\n| 普及率 | 95% |\n\n正文[^1]\n\n[^1]: 注释\n");
        assert!(html.contains("<table>") && html.contains("<td style=\"text-align:right\">95%</td>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn script_is_removed_in_any_letter_case() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) <a href=\"  JAVASCRIPT:x\">c</a> <div onclick=\"x()\">d</div>",
        );
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("onerror") && !lower.contains("onclick"), "{html}");
        assert!(!lower.contains("javascript:"), "{html}");
    }
}
