//! Problems between notices, found before the model is built: two notices with one
//! document number or one 登记号, two notices at one URL, a notice at a URL the
//! site's own pages use (the names in `routes::reserved`), relations that cannot be
//! true (`relations`), and a revision that takes effect after the notice was
//! repealed.

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::notice::Notice;
use crate::routes;
use crate::schema::{Category, Date, Relation, Validity};

pub fn between_notices(notices: &[Notice]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let reserved = routes::reserved();
    let mut by_number: HashMap<&str, &Notice> = HashMap::new();
    let mut by_registration: HashMap<&str, &Notice> = HashMap::new();
    let mut reports: HashMap<(&str, i32), &Notice> = HashMap::new();
    let mut by_url: HashMap<String, &Notice> = HashMap::new();
    for n in notices {
        if let Some(num) = &n.doc_number {
            match by_number.get(num.text.as_str()) {
                Some(first) => diags.push(duplicate_number(n, first)),
                None => {
                    by_number.insert(&num.text, n);
                }
            }
        }
        if let Some(year) = n.annual_report.as_ref().map(|r| r.year) {
            for issuer in &n.issuers {
                match reports.get(&(issuer.as_str(), year)) {
                    Some(first) => {
                        diags.push(duplicate_report(n, first, issuer.as_str(), year));
                        break;
                    }
                    None => {
                        reports.insert((issuer.as_str(), year), n);
                    }
                }
            }
        }
        if let (Some(registration), Some(Category::Normative)) = (&n.registration, n.category) {
            match by_registration.get(registration.trim()) {
                Some(first) => diags.push(duplicate_registration(n, first)),
                None => {
                    by_registration.insert(registration.trim(), n);
                }
            }
        }
        // Segments joined by a character no segment holds (`safe_segment`).
        let url = n.url.0.join("/").to_lowercase();
        let shown = || n.url.0.join("/");
        match by_url.get(&url) {
            Some(first) => {
                let shown = shown();
                let (line, col) = n.field_position("slug");
                diags.push(
                    Diagnostic::new(Code::UrlClash, n.display(), format!("two notices at the same URL /{shown}/"))
                        .at(line, col)
                        .field("slug")
                        .found(format!("this notice and {} both map to /{shown}/", first.display().display()))
                        .expected(
                            "one notice per URL (URLs are compared ignoring letter case and Unicode composition, NFC)",
                        )
                        .hint("rename one of the files or give it a different `slug:`"),
                );
            }
            None => {
                by_url.insert(url, n);
            }
        }
        if let Some(first) = n.url.0.first()
            && reserved.iter().any(|r| r.eq_ignore_ascii_case(first))
        {
            let (line, col) = n.field_position("slug");
            let shown = shown();
            diags.push(
                Diagnostic::new(
                    Code::UrlClash,
                    n.display(),
                    format!("URL /{shown}/ is reserved for the site's own pages"),
                )
                .at(line, col)
                .field("slug")
                .found(first.clone())
                .expected(format!("a folder or slug other than {}", reserved.join(", ")))
                .hint("move the notice into another folder of content/"),
            );
        }
    }
    diags.extend(super::relations::check(notices));
    diags.extend(revisions_after_repeal(notices, &by_number));
    diags
}

/// Of two notices that clash, the one the clerk most likely just wrote (the file
/// changed last; else the later published), then the other: the error points at
/// the first and names both.
fn newer_first<'a>(a: &'a Notice, b: &'a Notice) -> (&'a Notice, &'a Notice) {
    let changed = |n: &Notice| std::fs::metadata(&n.source.file).and_then(|m| m.modified()).ok();
    let key = |n: &'a Notice| (changed(n), n.published, n.display());
    if key(a) >= key(b) { (a, b) } else { (b, a) }
}

/// Two notices carrying one value of `field`: an error at the newer one, naming both.
fn clash(code: Code, a: &Notice, b: &Notice, field: &str, what: &str, value: &str, hint: &str) -> Diagnostic {
    let (n, other) = newer_first(a, b);
    let at = |n: &Notice| format!("{}:{}", n.display().display(), n.field_position(field).0);
    let (line, col) = n.field_position(field);
    Diagnostic::new(code, n.display(), format!("duplicate {what} {value}"))
        .at(line, col)
        .field(field)
        .found(format!("{value} in {} and in {}", at(n), at(other)))
        .expected(format!("each {what} in one notice only"))
        .hint(hint)
}

fn duplicate_number(n: &Notice, first: &Notice) -> Diagnostic {
    let text = n.doc_number.as_ref().map_or("", |d| d.text.as_str());
    let hint = "two notices cannot share a 发文字号; check for a copied file or a typo in the sequence number";
    clash(Code::DuplicateDocNumber, n, first, "doc_number", "document number", text, hint)
}

fn duplicate_report(n: &Notice, first: &Notice, issuer: &str, year: i32) -> Diagnostic {
    let hint =
        "a body publishes one 政府信息公开工作年度报告 a year; correct the year in one data file, or remove the copy";
    clash(Code::AnnualReport, n, first, "annual_report", "annual report", &format!("of {issuer} for {year}"), hint)
}

fn duplicate_registration(n: &Notice, first: &Notice) -> Diagnostic {
    let text = n.registration.as_deref().unwrap_or("").trim();
    let hint = "each 行政规范性文件 is registered under a number of its own; check for a copied file or a typo";
    clash(Code::Registration, n, first, "registration", "登记号", text, hint)
}

/// A revision of a notice's text that takes effect after the notice was repealed
/// (by its own `validity_changes`, or by a notice repealing it): a warning at the
/// revision, since no reader will see that text in force.
fn revisions_after_repeal(notices: &[Notice], by_number: &HashMap<&str, &Notice>) -> Vec<Diagnostic> {
    let mut repealed: HashMap<*const Notice, (Date, String)> = HashMap::new();
    let mut note = |n: &Notice, date: Date, how: String| {
        let e = repealed.entry(n as *const Notice).or_insert((date, how.clone()));
        if date < e.0 {
            *e = (date, how);
        }
    };
    for n in notices {
        for c in n.validity_changes.iter().filter(|c| c.validity == Validity::Repealed) {
            note(n, c.date, format!("its validity_changes make it 废止 on {}", c.date));
        }
        for r in n.relations.iter().filter(|r| r.relation == Relation::Repeals) {
            if let Some(target) = by_number.get(r.number.text.as_str()) {
                let date = n.effective.unwrap_or(n.published);
                note(target, date, format!("{} repeals it from {date}", n.display().display()));
            }
        }
    }
    let mut out = Vec::new();
    for n in notices {
        let Some((date, how)) = repealed.get(&(n as *const Notice)) else { continue };
        for rev in n.revisions.iter().filter(|r| r.date > *date) {
            let file = n.display().parent().unwrap_or(std::path::Path::new("")).join(&rev.file);
            out.push(
                Diagnostic::new(
                    Code::RevisionDoubt,
                    &file,
                    format!("revision takes effect on {}, after the notice was repealed", rev.date),
                )
                .found(format!("a text in force from {}, but {how}", rev.date))
                .expected("revisions dated while the notice is in force")
                .hint("check the revision's date (its file name), or the repeal"),
            );
        }
    }
    out
}
