//! The theme: Tera templates and static files. The default theme is compiled into
//! the binary; a site overrides any single file by placing one with the same name
//! in `themes/<theme>/templates/` or `themes/<theme>/static/`. Pages (`.html`) are
//! escaped as HTML; feeds and the sitemap (`.xml`) as XML, in a Tera of their own.

use std::path::{Path, PathBuf};

use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::diagnostics::{Code, Diagnostic};
use crate::render::Ui;
use crate::routes::{self, TaxonomyKind};
use crate::schema::Script;

macro_rules! embedded {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),+]
    };
}

const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded!(
    "base.html",
    "index.html",
    "notice.html",
    "page.html",
    "taxonomy.html",
    "term.html",
    "404.html",
    "dashboard.html",
    "source.html",
    "search.html",
    "map.html",
    "consultations.html",
    "withdrawn.html",
    "partials/chain.html",
    "archive.html",
    "serve_error.html",
    "partials/notice_list.html",
    "partials/progress.html",
    "partials/annual_report.html",
    "partials/toc.html",
    "feed.xml",
    "sitemap.xml",
    "words.js",
);

/// A template with `convert` applied to its own words: everything outside
/// `{{ … }}`, `{% … %}` and `{# … #}`.
pub fn interface_in(template: &str, convert: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    let tag = |t: &str| {
        t.match_indices('{').map(|(i, _)| i).find(|&i| matches!(t.as_bytes().get(i + 1), Some(b'{' | b'%' | b'#')))
    };
    while let Some(open) = tag(rest) {
        let close = match rest.as_bytes()[open + 1] {
            b'{' => "}}",
            b'%' => "%}",
            _ => "#}",
        };
        out.push_str(&convert(&rest[..open]));
        let end = rest[open..].find(close).map_or(rest.len(), |e| open + e + 2);
        out.push_str(&rest[open..end]);
        rest = &rest[end..];
    }
    out.push_str(&convert(rest));
    out
}

/// The default theme's templates, whose words are the interface (for the script
/// conversion table).
pub fn interface_text() -> String {
    DEFAULT_TEMPLATES.iter().map(|(_, t)| *t).collect::<Vec<_>>().join("\n")
}

pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("search.js", include_bytes!("../../themes/default/static/search.js")),
    ("style.css", include_bytes!("../../themes/default/static/style.css")),
    ("tools.js", include_bytes!("../../themes/default/static/tools.js")),
];

/// A template could not be rendered.
#[derive(Debug, thiserror::Error)]
#[error("template {template}: {message}")]
pub struct TemplateError {
    pub template: String,
    pub message: String,
}

pub struct Theme {
    html: Tera,
    xml: Tera,
    /// Each template's file as the clerk knows it (`themes/x/templates/notice.html`,
    /// or `<built-in>/notice.html`), for messages about it.
    sources: Vec<(String, PathBuf)>,
    /// Static files: output name and bytes, sorted by name.
    pub static_files: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The built-in theme alone.
    pub fn builtin() -> Result<Theme, Vec<Diagnostic>> {
        Theme::load(Path::new("/nonexistent-gongkai-theme"), Path::new("."))
    }

    /// Load the embedded theme, then the site's overrides from `theme_dir` if it exists.
    pub fn load(theme_dir: &Path, root: &Path) -> Result<Theme, Vec<Diagnostic>> {
        Theme::load_for(theme_dir, root, Ui::new(Script::Simplified))
    }

    /// `load`, for a site whose interface is `ui`: a `zh-Hant` site gets the words
    /// the templates write themselves in Traditional script; what they insert (the
    /// documents' own words) is left as written.
    pub fn load_for(theme_dir: &Path, root: &Path, ui: Ui) -> Result<Theme, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut templates: Vec<(String, String, PathBuf)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string(), PathBuf::from(format!("<built-in>/{n}"))))
            .collect();
        let tpl_dir = theme_dir.join("templates");
        for path in files_under(&tpl_dir) {
            let name = rel_name(&tpl_dir, &path);
            let display = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            match std::fs::read_to_string(&path) {
                Ok(text) => match templates.iter_mut().find(|(n, _, _)| *n == name) {
                    Some(slot) => *slot = (name, text, display),
                    None => templates.push((name, text, display)),
                },
                Err(e) => diags.push(Diagnostic::new(Code::Theme, &display, format!("cannot read template: {e}"))),
            }
        }
        for (_, text, _) in &mut templates {
            *text = interface_in(text, |words| ui.t(words));
        }
        let (xml, html): (Vec<_>, Vec<_>) = templates.iter().partition(|(n, _, _)| n.ends_with(".xml"));
        let html = tera(&html, theme_dir, &mut diags, false, ui);
        let xml = tera(&xml, theme_dir, &mut diags, true, ui);
        let mut static_files: Vec<(String, Vec<u8>)> =
            DEFAULT_STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
        let static_dir = theme_dir.join("static");
        for path in files_under(&static_dir) {
            let name = rel_name(&static_dir, &path);
            match std::fs::read(&path) {
                Ok(bytes) => match static_files.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = bytes,
                    None => static_files.push((name, bytes)),
                },
                Err(e) => diags.push(Diagnostic::new(Code::Theme, &path, format!("cannot read theme file: {e}"))),
            }
        }
        static_files.sort();
        match (html, xml) {
            (Some(html), Some(xml)) if diags.is_empty() => {
                let sources = templates.into_iter().map(|(name, _, path)| (name, path)).collect();
                Ok(Theme { html, xml, sources, static_files })
            }
            _ => Err(diags),
        }
    }

    /// The file template `name` was read from.
    pub fn source_of(&self, name: &str) -> PathBuf {
        self.sources
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| PathBuf::from(format!("<built-in>/{name}")), |(_, p)| p.clone())
    }

    pub fn render(&self, template: &str, context: &Context) -> Result<String, TemplateError> {
        let tera = if template.ends_with(".xml") { &self.xml } else { &self.html };
        tera.render(template, context).map_err(|e| TemplateError { template: template.to_owned(), message: chain(&e) })
    }
}

/// One Tera for a set of templates, with gongkai's filters; diagnostics name the
/// template file at fault.
fn tera(
    templates: &[&(String, String, PathBuf)],
    theme_dir: &Path,
    diags: &mut Vec<Diagnostic>,
    xml: bool,
    ui: Ui,
) -> Option<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on([".html", ".xml"]);
    if xml {
        tera.set_escape_fn(escape_xml);
    }
    tera.register_filter("term_href", term_href);
    tera.register_filter("filesize", filesize);
    // `{{ notice.validity | ui }}`: a word of gongkai's own vocabularies (有效性,
    // 公开属性, 文件类别 …) in the site's script.
    tera.register_filter("ui", move |value: tera::Value, _: Kwargs, _: &State| {
        if value.is_none() {
            String::new()
        } else {
            ui.t(&value.as_str().map_or_else(|| value.to_string(), str::to_owned))
        }
    });
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str()))) {
        let text = chain(&e);
        // Tera points at the fault (`--> term.html:1:58`); failing that, the first
        // template the message names.
        let culprit = templates
            .iter()
            .find(|(n, _, _)| text.contains(&format!("--> {n}:")))
            .or_else(|| templates.iter().find(|(n, _, _)| text.contains(n.as_str())))
            .map(|(_, _, p)| p.clone());
        diags.push(
            Diagnostic::new(
                Code::Theme,
                &culprit.unwrap_or_else(|| theme_dir.to_path_buf()),
                format!("template error: {text}"),
            )
            .hint("fix the template, or delete it to use the built-in one"),
        );
        return None;
    }
    Some(tera)
}

/// Tera's error with its causes, which hold the useful part.
fn chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// XML escaping for feeds and the sitemap: as `text::escape`, which also drops
/// the control characters XML forbids.
fn escape_xml(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(crate::text::escape(input).as_bytes())
}

/// `{{ issuer | term_href(kind="issuers") }}`: the link, from the site root, to the
/// first page of a browse term (two-level topics written `科技、教育\教育`).
fn term_href(value: tera::Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let kind: &str = kwargs.must_get("kind")?;
    let kind = TaxonomyKind::ALL.into_iter().find(|k| k.key() == kind).ok_or_else(|| {
        tera::Error::message(format!("term_href: kind is one of years, issuers, genres, forms, topics, not `{kind}`"))
    })?;
    let name = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
    let levels: Vec<String> = name.split('\\').map(str::to_owned).collect();
    Ok(routes::term(kind, &levels).href())
}

/// `{{ attachment.bytes | filesize }}`: 900 B, 1.5 KB, 5.0 MB.
fn filesize(bytes: u64, _: Kwargs, _: &State) -> String {
    crate::text::human_size(bytes)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn rel_name(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_templates_own_words_are_converted() {
        let t = "<p>当前位置：{{ notice.title }}{% if x %}未注明{% endif %}{# 注释 #}{ 发 }</p>";
        let out = interface_in(t, |w| crate::text::zhconv::s2t().convert(w));
        assert_eq!(out, "<p>當前位置：{{ notice.title }}{% if x %}未註明{% endif %}{# 注释 #}{ 發 }</p>");
    }
}
