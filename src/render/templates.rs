//! The theme: Tera templates and static files. The default theme is compiled into
//! the binary; a site overrides any single file by placing one with the same name
//! in `themes/<theme>/templates/` or `themes/<theme>/static/`.

use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;

macro_rules! embedded {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),+]
    };
}

const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded!(
    "base.html",
    "index.html",
    "notice.html",
    "taxonomy.html",
    "term.html",
    "404.html",
    "dashboard.html",
    "source.html",
    "search.html",
    "partials/notice_list.html",
    "partials/progress.html"
);

pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("search.js", include_bytes!("../../themes/default/static/search.js")),
    ("style.css", include_bytes!("../../themes/default/static/style.css")),
];

pub struct Theme {
    tera: Tera,
    /// Static files: output name and bytes, sorted by name.
    pub static_files: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// Load the embedded theme, then the site's overrides from `theme_dir` if it exists.
    pub fn load(theme_dir: &Path, root: &Path) -> Result<Theme, Vec<Diagnostic>> {
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
                Err(e) => diags.push(Diagnostic::error(&display, format!("cannot read template: {e}"))),
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str()))) {
            let text = e.to_string();
            let culprit = templates.iter().find(|(n, _, _)| text.contains(n.as_str())).map(|(_, _, p)| p.clone());
            diags.push(
                Diagnostic::error(
                    &culprit.unwrap_or_else(|| theme_dir.to_path_buf()),
                    format!("template error: {text}"),
                )
                .hint("fix the template, or delete it to use the built-in one"),
            );
        }
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
                Err(e) => diags.push(Diagnostic::error(&path, format!("cannot read theme file: {e}"))),
            }
        }
        static_files.sort();
        if diags.is_empty() { Ok(Theme { tera, static_files }) } else { Err(diags) }
    }

    pub fn render(&self, template: &str, context: &serde_json::Value) -> Result<String, String> {
        let ctx = Context::from_serialize(context).map_err(|e| e.to_string())?;
        self.tera.render(template, &ctx).map_err(|e| format!("template {template}: {e}"))
    }
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
