//! The "view source" page of a data file: the file highlighted with syntect's
//! class-based spans, one `<span class="line">` per line, so that the stylesheet
//! numbers the lines and wraps long ones on phones. Colours live in the theme's
//! one stylesheet (`.hl-*`), chosen to pass WCAG AA contrast.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::text::escape;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// `<pre class="code"><code>` with each line in its own `<span class="line">`,
/// every span that a line opens closed within it (and reopened on the next).
/// A file the highlighter cannot parse is shown plain, still line by line.
pub fn highlight(text: &str, file_name: &str) -> String {
    let ext = file_name.rsplit('.').next().unwrap_or("");
    let syntax = SYNTAXES.find_syntax_by_extension(ext).unwrap_or_else(|| SYNTAXES.find_syntax_plain_text());
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut lines = Vec::new();
    for line in LinesWithEndings::from(text) {
        let reopen: String =
            stack.as_slice().iter().map(|scope| format!("<span class=\"{}\">", classes(scope))).collect();
        let Ok(ops) = state.parse_line(line, &SYNTAXES) else { return plain(text) };
        let Ok((html, _)) = line_tokens_to_classed_spans(line, &ops, STYLE, &mut stack) else { return plain(text) };
        let close = "</span>".repeat(stack.len());
        lines.push(format!("{reopen}{}{close}", html.replacen(['\r', '\n'], "", 2)));
    }
    wrap(lines)
}

/// A scope's classes as syntect writes them: each atom with the prefix.
fn classes(scope: &syntect::parsing::Scope) -> String {
    scope.build_string().split('.').map(|atom| format!("hl-{atom}")).collect::<Vec<_>>().join(" ")
}

fn plain(text: &str) -> String {
    wrap(text.lines().map(escape).collect())
}

fn wrap(lines: Vec<String>) -> String {
    let body: String = lines.iter().map(|l| format!("<span class=\"line\">{l}</span>\n")).collect();
    format!("<pre class=\"code\"><code>{body}</code></pre>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_its_own_balanced_span() {
        let yaml =
            "# 数据\nindicators:\n  - id: a\n    name: \"学前教育<毛入园率>\"\n    note: |\n      多行\n      文本\n";
        let html = highlight(yaml, "progress.yaml");
        assert!(html.starts_with("<pre class=\"code\"><code>"), "{html}");
        let lines: Vec<&str> = html.lines().filter(|l| l.contains("class=\"line\"")).collect();
        assert_eq!(lines.len(), yaml.lines().count(), "{html}");
        for line in lines {
            assert_eq!(line.matches("<span").count(), line.matches("</span>").count(), "{line}");
        }
        assert!(html.contains("hl-comment"), "comments are classed: {html}");
        assert!(html.contains("&lt;毛入园率&gt;") && !html.contains("<毛入园率>"), "text is escaped");
    }

    #[test]
    fn plain_text_files_are_shown_line_by_line() {
        let html = highlight("a<b\nc\n", "data.unknownext");
        assert_eq!(html.matches("<span class=\"line\">").count(), 2, "{html}");
        assert!(html.contains("a&lt;b</span></span>\n") && !html.contains("a<b"), "{html}");
    }
}
