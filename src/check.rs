//! `gongkai check`: everything the build would say, without writing anything, plus
//! the lints a reviewer would ask for. It runs the build's pipeline to the end,
//! rendering every output into a sink that keeps nothing, so a template that
//! cannot be rendered is found here as in the build.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::citations::CitationIndex;
use crate::notice::Notice;
use crate::pipeline::{self, Failure};
use crate::progress_bar::Stages;
use crate::render::RenderOptions;
use crate::targets::resolved;
use crate::text::LineIndex;
use crate::write::{NullSink, Output};

/// What `check` reports: the diagnostics of the files asked about (every file when
/// none was named) and of the site's own settings and theme, and how many others
/// the site has.
pub struct Checked {
    pub diagnostics: Diagnostics,
    /// Errors, warnings and notes in the files not asked about.
    pub elsewhere: [usize; 3],
}

/// Check the site at `root` as a whole (the cross-checks between notices need
/// every notice) and report on the files under `paths`, or on every file.
pub fn check_paths(root: &Path, paths: &[PathBuf]) -> Result<Checked, Failure> {
    let mut asked = Vec::new();
    let site = resolved(root);
    for p in paths {
        let rel = resolved(p)
            .strip_prefix(&site)
            .map(Path::to_path_buf)
            .map_err(|_| Failure::Usage(format!("{} is not in the site folder {}", p.display(), root.display())))?;
        if !p.exists() {
            return Err(Failure::Usage(format!("{} does not exist", p.display())));
        }
        asked.push(rel);
    }
    let all = check(root)?;
    if asked.is_empty() {
        return Ok(Checked { diagnostics: all, elsewhere: [0; 3] });
    }
    // The site's settings and theme bear on every file: always shown.
    let shown = |d: &Diagnostic| {
        d.file.starts_with("content/site.yaml")
            || d.file.starts_with("themes")
            || d.file.starts_with("<built-in>")
            || asked.iter().any(|a| d.file.starts_with(a))
    };
    let (mut diagnostics, mut elsewhere) = (Diagnostics::default(), [0; 3]);
    for d in all.into_vec() {
        if shown(&d) {
            diagnostics.push(d);
        } else {
            elsewhere[d.severity as usize] += 1;
        }
    }
    Ok(Checked { diagnostics, elsewhere })
}

/// Validate the site at `root`: the whole pipeline, into a `NullSink`. Diagnostics
/// are sorted; errors make the exit code 1.
pub fn check(root: &Path) -> Result<Diagnostics, Failure> {
    let loaded = match pipeline::load(root, None, &Stages::hidden()) {
        Ok(l) => l,
        Err(Failure::Content(d)) => return Ok(d),
        Err(other) => return Err(other),
    };
    let mut lints = unresolved_references(&loaded.notices, &loaded.config.cited_elsewhere);
    lints.extend(relations_outside(&loaded.notices));
    let mut diags = match pipeline::model(loaded, None, &Stages::hidden()) {
        Ok((site, mut diags)) => {
            diags.extend(render_nowhere(root, &site)?);
            diags.extend(crate::model::consultation::lints(&site));
            // The default output folder: where `build` leaves the catalogue.
            diags.extend(crate::disappearing::warnings(
                root,
                &site,
                &crate::disappearing::previous(&root.join("output")),
            ));
            diags
        }
        Err(rejected) => rejected.diagnostics,
    };
    diags.extend(lints);
    diags.sort();
    Ok(diags)
}

/// Stages 4 and 5 as the build runs them, into a sink that keeps nothing: the
/// theme's and the outputs' errors.
fn render_nowhere(root: &Path, site: &crate::model::Site) -> Result<Vec<Diagnostic>, Failure> {
    let rendered = pipeline::theme(root, &site.config).and_then(|theme| {
        let opts = RenderOptions { built: pipeline::source_date_epoch() };
        pipeline::render_all(site, &theme, opts, &Output::new(&NullSink), &Stages::hidden())
    });
    match rendered {
        Ok(_) => Ok(Vec::new()),
        Err(Failure::Content(d)) => Ok(d.into_vec()),
        Err(other) => Err(other),
    }
}

/// Relations (`amends`, `supersedes`, `repeals`, `interprets`) to a document no
/// notice of the site carries: the page says 本站未收录, which may be right — or a
/// typo in the number. A note each, at the field.
pub fn relations_outside(notices: &[Notice]) -> Vec<Diagnostic> {
    let numbers: std::collections::HashSet<&str> =
        notices.iter().filter_map(|n| n.doc_number.as_ref().map(|d| d.text.as_str())).collect();
    let mut out = Vec::new();
    for n in notices {
        for r in n.relations.iter().filter(|r| !numbers.contains(r.number.text.as_str())) {
            let field = r.relation.field();
            let (line, column) = n.field_position(field);
            out.push(
                Diagnostic::new(
                    Code::RelationOutside,
                    n.display(),
                    format!("{field} {}, which is not in this site", r.number.text),
                )
                .at(line, column)
                .field(field)
                .found(r.number.text.clone())
                .hint("check the number; if the document should be published, add it to content/"),
            );
        }
    }
    out
}

/// Document numbers and 《titles》 cited in notice texts that no notice of the site
/// carries and site.yaml does not list as published elsewhere (`cited_elsewhere`):
/// a note each, so a reviewer can check the citation or add the document.
pub fn unresolved_references(notices: &[Notice], elsewhere: &[String]) -> Vec<Diagnostic> {
    let index = CitationIndex::new(notices);
    let numbers_elsewhere: Vec<crate::schema::DocNumber> =
        elsewhere.iter().filter_map(|e| crate::schema::DocNumber::parse(e).ok()).collect();
    let mut out = Vec::new();
    for n in notices {
        let body = &*n.text.markdown.get();
        let lines = LineIndex::new(body);
        let note = |message: String, start: usize, end: usize| {
            let (line, column) = lines.position(start);
            let mut d = Diagnostic::new(Code::Unresolved, n.display(), message)
                .at(n.text.first_line + line - 1, Some(column))
                .field("body")
                .found(body[start..end].to_owned());
            d.source_line = lines.line(line).map(str::to_owned);
            d
        };
        // As the pages link them: only documents issued by the day this text was
        // published (`model::lifecycle`).
        let citable = |t: usize| notices[t].issued_on() <= n.published.0;
        let later = |t: Option<usize>| t.map(|t| notices[t].issued_on());
        for cited in &n.text.cites.numbers {
            if index.number(cited, citable).is_some() || numbers_elsewhere.iter().any(|d| cited.code_start(d).is_some())
            {
                continue;
            }
            let (start, end) = (cited.text_start(), cited.end);
            let d = match later(index.number(cited, |_| true).map(|(t, _)| t)) {
                Some(day) => note(
                    format!("cites {}, but the site's document of that number was issued on {day}, after this one: it is not linked", cited.text()),
                    start,
                    end,
                )
                .hint("check the number; a text can only cite documents issued before it"),
                None => note(format!("cites {}, which is not in this site", cited.text()), start, end)
                    .hint("check the number; if the cited document should be published, add it to content/"),
            };
            out.push(d);
        }
        for (title, start, end) in &n.text.cites.titles {
            if index.title(title, citable).is_some() || elsewhere.contains(title) {
                continue;
            }
            out.push(match later(index.title(title, |_| true)) {
                Some(day) => note(
                    format!("cites 《{title}》, but the site's document of that title was issued on {day}, after this one: it is not linked"),
                    *start,
                    *end,
                ),
                None => note(format!("cites 《{title}》, which is not in this site"), *start, *end),
            });
        }
    }
    out
}
