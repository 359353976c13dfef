//! Problems between notices, found before the model is built: two notices with one
//! document number, two notices at one URL, a notice at a URL the site's own pages
//! use (the names in `routes::reserved`), and relations that cannot be true
//! (`relations`).

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::notice::Notice;
use crate::routes;

pub fn between_notices(notices: &[Notice]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let reserved = routes::reserved();
    let mut by_number: HashMap<&str, &Notice> = HashMap::new();
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
    diags
}

fn duplicate_number(n: &Notice, first: &Notice) -> Diagnostic {
    let text = n.doc_number.as_ref().map_or("", |d| d.text.as_str());
    let (line, col) = n.field_position("doc_number");
    Diagnostic::new(Code::DuplicateDocNumber, n.display(), format!("duplicate document number {text}"))
        .at(line, col)
        .field("doc_number")
        .found(format!("{text} — also used by {}:{}", first.display().display(), first.field_position("doc_number").0))
        .expected("a document number used by one notice only")
        .hint("two notices cannot share a 发文字号; check for a copied file or a typo in the sequence number")
}
