//! The "view source" page of a data file: a text file highlighted with syntect's
//! class-based spans, one `<span class="line">` per line, so that the stylesheet
//! numbers the lines and wraps long ones on phones; colours live in the theme's
//! one stylesheet (`.hl-*`), chosen to pass WCAG AA contrast. A workbook is shown
//! sheet by sheet as tables, with Excel's column letters and row numbers so that
//! a cell an error names (C7) can be found, each in a box of its own that scrolls
//! on a phone.

use std::path::Path;
use std::sync::LazyLock;

use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::RenderError;
use super::ui::Ui;
use crate::progress::data::workbook::{self, SheetView};
use crate::text::escape;

/// The HTML of a data file's page: its text highlighted, or its sheets as tables.
pub fn html(path: &Path, file_name: &str, ui: Ui) -> Result<String, RenderError> {
    let read_error = |source| RenderError::Read { path: path.to_path_buf(), source };
    if workbook::is_workbook(file_name) {
        // A file gone since it was read is an error, as for a text file.
        std::fs::metadata(path).map_err(read_error)?;
        return Ok(match workbook::view(path, file_name) {
            Ok(sheets) => sheets_html(&sheets, ui),
            Err(why) => format!(
                "<p class=\"note\">{}{}{}</p>",
                ui.t("无法显示此工作簿："),
                escape(&why),
                ui.t("。请下载原文件查看。")
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    Ok(highlight(&String::from_utf8_lossy(&bytes), file_name))
}

/// Every sheet: a heading, then its rows in a scrolling, focusable region.
fn sheets_html(sheets: &[SheetView], ui: Ui) -> String {
    let mut out = String::new();
    for (k, sheet) in sheets.iter().enumerate() {
        let id = format!("sheet-{}", k + 1);
        let name = escape(&sheet.name);
        let (sheet_word, empty) = (ui.t("工作表"), ui.t("（空工作表）"));
        out.push_str(&format!("<section class=\"sheet\"><h2 id=\"{id}\">{sheet_word}「{name}」</h2>"));
        if sheet.rows.is_empty() {
            out.push_str(&format!("<p class=\"note\">{empty}</p></section>"));
            continue;
        }
        out.push_str(&format!(
            "<div class=\"sheet-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}\"><table class=\"sheet-table\"><thead><tr><th scope=\"col\"><span class=\"visually-hidden\">{}</span></th>",
            ui.t("行号")
        ));
        for c in 0..sheet.columns {
            out.push_str(&format!("<th scope=\"col\">{}</th>", workbook::column_name(c as u32)));
        }
        out.push_str("</tr></thead><tbody>");
        for (index, cells) in &sheet.rows {
            out.push_str(&format!("<tr><th scope=\"row\">{}</th>", index + 1));
            for c in 0..sheet.columns {
                out.push_str(&format!("<td>{}</td>", escape(cells.get(c).map_or("", String::as_str))));
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>");
        if sheet.more > 0 {
            out.push_str(&format!(
                "<p class=\"note\">{}</p>",
                ui.t(&format!(
                    "此工作表另有 {} 行未显示（只显示前 {} 行），请下载原文件查看。",
                    sheet.more,
                    workbook::MAX_VIEW_ROWS
                ))
            ));
        }
        out.push_str("</section>");
    }
    out
}

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
