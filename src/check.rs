//! `gongkai check`: everything the build would say, without writing anything, plus
//! the lints a reviewer would ask for.

use std::sync::LazyLock;

use regex::Regex;

use crate::build::{Failure, load_content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::fields::DocNumber;
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

/// A document number cited in a text: 机关代字〔年〕序号号, brackets as people type them.
static CITED_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han}{1,10})\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*第?\s*(\d{1,6})\s*号").expect("pattern")
});

/// Words that run into a cited number's issuer code in a sentence ("根据国发〔2014〕45号").
const LEADING_WORDS: &[&str] =
    &["根据", "按照", "依据", "参照", "执行", "落实", "贯彻", "印发", "关于", "转发", "即", "见", "和", "及", "与"];

/// Document numbers cited in notice texts that no notice of the site carries: a
/// note each, so a reviewer can check the number or add the cited document.
pub fn unresolved_references(notices: &[Notice]) -> Vec<Diagnostic> {
    let known: Vec<&DocNumber> = notices.iter().filter_map(|n| n.doc_number.as_ref()).collect();
    let mut out = Vec::new();
    for n in notices {
        for caps in CITED_NUMBER.captures_iter(&n.body) {
            let mut code = &caps[1];
            while let Some(rest) = LEADING_WORDS.iter().find_map(|w| code.strip_prefix(w)).filter(|r| !r.is_empty()) {
                code = rest;
            }
            let (year, seq): (i32, u32) = (caps[2].parse().unwrap_or(0), caps[3].parse().unwrap_or(0));
            let resolved = known.iter().any(|d| {
                d.year == year && d.sequence == seq && (code.ends_with(&d.issuer_code) || d.issuer_code.ends_with(code))
            });
            if resolved
                || n.doc_number
                    .as_ref()
                    .is_some_and(|own| own.year == year && own.sequence == seq && code.ends_with(&own.issuer_code))
            {
                continue;
            }
            // Point at the code itself, after any leading word.
            let offset = caps.get(1).map_or(0, |m| m.end() - code.len());
            let line = n.body_line + n.body[..offset].matches('\n').count();
            let line_start = n.body[..offset].rfind('\n').map_or(0, |i| i + 1);
            let column = n.body[line_start..offset].chars().count() + 1;
            let mut d =
                Diagnostic::note(n.display(), format!("cites {code}〔{year}〕{seq}号, which is not in this site"))
                    .at(line, Some(column))
                    .field("body")
                    .found(caps[0].to_owned())
                    .hint("check the number; if the cited document should be published, add it to content/");
            d.source_line = n.body.lines().nth(line - n.body_line).map(str::to_owned);
            out.push(d);
        }
    }
    out
}
