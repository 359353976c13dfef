//! The 落款 — the issuer's name and the date that close an official document
//! (GB/T 9704) — set to the right, as printed. In a notice's text they are its
//! last paragraphs: a date written out (2019年1月24日, 二〇一八年八月十日) and, just
//! before it, up to three lines naming the issuers (joint documents name several).

use std::sync::LazyLock;

use regex::Regex;

use crate::schema::Issuer;

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日$")
        .expect("date pattern")
});

/// How an organisation's name ends when it is not among the notice's issuers.
const ORGANISATION_ENDS: [&str; 14] =
    ["政府", "办公室", "办公厅", "委员会", "局", "厅", "部", "委", "院", "会", "中心", "办", "政辦", "辦公室"];

/// `html` with the paragraphs of its 落款 given `class="signature"`; returned
/// as it is (no copy: this runs for every notice page) when it does not end with one.
pub fn mark(html: String, issuers: &[Issuer]) -> String {
    let mut paragraphs = trailing_paragraphs(&html);
    let Some(&(start, text)) = paragraphs.first() else { return html };
    if !DATE.is_match(text) {
        return html;
    }
    let mut starts = vec![start];
    paragraphs.remove(0);
    for (start, text) in paragraphs.into_iter().take(3) {
        let names_issuer = issuers.iter().any(|i| i.as_str() == text)
            || (text.chars().count() <= 40 && ORGANISATION_ENDS.iter().any(|e| text.ends_with(e)));
        if !names_issuer {
            break;
        }
        starts.push(start);
    }
    let mut html = html;
    // From the end, so that earlier offsets stay valid.
    for start in starts {
        html.replace_range(start..start + "<p>".len(), "<p class=\"signature\">");
    }
    html
}

/// The plain-text paragraphs at the end of `html`, last first: (offset of `<p>`,
/// text). Stops at anything else (a heading, a list, a paragraph with markup).
fn trailing_paragraphs(html: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut end = html.trim_end().len();
    while html[..end].ends_with("</p>") {
        let close = end - "</p>".len();
        let Some(open) = html[..close].rfind("<p>") else { break };
        let text = &html[open + "<p>".len()..close];
        if text.contains('<') {
            break;
        }
        out.push((open, text.trim()));
        end = html[..open].trim_end().len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_and_the_date_at_the_end_are_the_signature() {
        let html = "<p>各有关部门：</p>\n<p>正文。</p>\n<p>通榆县人民政府办公室</p>\n<p>2018年9月2日</p>\n";
        let out = mark(html.to_owned(), &[Issuer::new("通榆县人民政府办公室")]);
        assert_eq!(
            out,
            "<p>各有关部门：</p>\n<p>正文。</p>\n<p class=\"signature\">通榆县人民政府办公室</p>\n<p class=\"signature\">2018年9月2日</p>\n"
        );
        // A joint document: two issuers; Chinese numerals in the date.
        let html = "<p>正文。</p>\n<p>县教育局</p>\n<p>县财政局</p>\n<p>二〇一八年八月十日</p>";
        assert_eq!(mark(html.to_owned(), &[]).matches("class=\"signature\"").count(), 3);
    }

    #[test]
    fn a_text_without_a_closing_date_is_left_as_it_is() {
        for html in [
            "<p>正文。</p>\n<p>通榆县人民政府办公室</p>",
            "<p>到2020年底实现目标。</p>",
            "<p>正文。</p>\n<p><strong>2018年9月2日</strong></p>",
            "<h2>附件</h2>",
            "",
        ] {
            assert_eq!(mark(html.to_owned(), &[Issuer::new("通榆县人民政府办公室")]), html);
        }
        // Only the date, when the line before it is a sentence.
        let html = "<p>特此通知。</p>\n<p>2018年9月2日</p>";
        assert_eq!(mark(html.to_owned(), &[]), "<p>特此通知。</p>\n<p class=\"signature\">2018年9月2日</p>");
    }
}
