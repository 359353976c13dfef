//! The "view source" page of a data file: the file highlighted (syntect's
//! class-based HTML; one generated stylesheet for every such page).

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::text::escape;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The stylesheet for highlighted sources, `assets/syntax.css`.
pub fn syntax_css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = &themes.themes["InspiredGitHub"];
    css_for_theme_with_class_style(theme, ClassStyle::SpacedPrefixed { prefix: "hl-" }).unwrap_or_default()
}

/// Highlighted HTML (class-based, no inline colours) of a data file.
pub fn highlight(text: &str, file_name: &str) -> String {
    let ext = file_name.rsplit('.').next().unwrap_or("");
    let syntax = SYNTAXES.find_syntax_by_extension(ext).unwrap_or_else(|| SYNTAXES.find_syntax_plain_text());
    let mut generator =
        ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, ClassStyle::SpacedPrefixed { prefix: "hl-" });
    for line in LinesWithEndings::from(text) {
        if generator.parse_html_for_line_which_includes_newline(line).is_err() {
            return format!("<pre>{}</pre>", escape(text));
        }
    }
    generator.finalize()
}
