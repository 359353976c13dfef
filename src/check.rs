//! `gongkai check`: everything the build would say, without writing anything, plus
//! the lints a reviewer would ask for.

use crate::build::{Failure, load_content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::citations::{CitationIndex, cited_numbers, cited_titles};
use crate::model::notice::Notice;
use crate::model::site::cross_checks;

/// Validate the site at `root`. Diagnostics are sorted; errors make the exit code 1.
pub fn check(root: &std::path::Path) -> Result<Diagnostics, Failure> {
    let loaded = match load_content(root, None) {
        Ok(l) => l,
        Err(Failure::Content(d)) => return Ok(d),
        Err(other) => return Err(other),
    };
    let mut diags = loaded.diagnostics;
    diags.extend(cross_checks(&loaded.notices));
    diags.extend(unresolved_references(&loaded.notices));
    diags.sort();
    Ok(diags)
}

/// Document numbers and 《titles》 cited in notice texts that no notice of the site
/// carries: a note each, so a reviewer can check the citation or add the document.
pub fn unresolved_references(notices: &[Notice]) -> Vec<Diagnostic> {
    let index = CitationIndex::new(notices);
    let mut out = Vec::new();
    for n in notices {
        for cited in cited_numbers(&n.body) {
            if index.number(&cited).is_some() {
                continue;
            }
            let line = n.body_line + n.body[..cited.start].matches('\n').count();
            let line_start = n.body[..cited.start].rfind('\n').map_or(0, |i| i + 1);
            let column = n.body[line_start..cited.start].chars().count() + 1;
            let mut d = Diagnostic::note(n.display(), format!("cites {}, which is not in this site", cited.text()))
                .at(line, Some(column))
                .field("body")
                .found(n.body[cited.start..cited.end].to_owned())
                .hint("check the number; if the cited document should be published, add it to content/");
            d.source_line = n.body.lines().nth(line - n.body_line).map(str::to_owned);
            out.push(d);
        }
        for (title, start, end) in cited_titles(&n.body) {
            if index.title(&title).is_some() {
                continue;
            }
            let line = n.body_line + n.body[..start].matches('\n').count();
            let line_start = n.body[..start].rfind('\n').map_or(0, |i| i + 1);
            let column = n.body[line_start..start].chars().count() + 1;
            let mut d = Diagnostic::note(n.display(), format!("cites 《{title}》, which is not in this site"))
                .at(line, Some(column))
                .field("body")
                .found(n.body[start..end].to_owned());
            d.source_line = n.body.lines().nth(line - n.body_line).map(str::to_owned);
            out.push(d);
        }
    }
    out
}
