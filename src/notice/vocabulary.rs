//! Checks against the site's settings: genres, forms, issuers and topics from its
//! vocabularies, the shape of its index numbers, and the dates and numbers that
//! must agree with each other.

use super::Fields;
use super::reader::Reader;
use crate::config::SiteConfig;
use crate::diagnostics::did_you_mean;
use crate::schema::{FieldError, Form, Genre};
use crate::text::simplified;

/// The genre as the site names it (意見 is 意见), or an error.
pub fn genre(r: &mut Reader, config: &SiteConfig, written: &str) -> Option<Genre> {
    let folded = simplified(written);
    if let Some(known) = config.genres.iter().find(|k| **k == written || simplified(k) == folded) {
        return Some(Genre::new(known.clone()));
    }
    let mut e = FieldError::new(
        "not one of the 15 kinds of official document (文种)",
        format!("one of {}", config.genres.join(" ")),
    );
    if let Some(m) = did_you_mean(&folded, config.genres.iter().map(String::as_str)) {
        e.hint = Some(format!("did you mean `{m}`?"));
    } else if config.forms.contains(&folded) {
        e.hint = Some(format!(
            "`{written}` is a form (体裁): write it as `form: {written}` and give the genre, usually 通知"
        ));
    }
    r.error("genre", e);
    None
}

/// The form as the site names it; one not in the site's list is kept, with a warning.
pub fn form(r: &mut Reader, config: &SiteConfig, written: &str) -> Form {
    let folded = simplified(written);
    match config.forms.iter().find(|k| **k == written || simplified(k) == folded) {
        Some(known) => Form::new(known.clone()),
        None => {
            if !config.forms.is_empty() {
                r.warn(
                    "form",
                    "form (体裁) is not in the site's list".into(),
                    written.to_owned(),
                    format!("one of {}", config.forms.join(" ")),
                    None,
                );
            }
            Form::new(written)
        }
    }
}

pub fn check(r: &mut Reader, config: &SiteConfig, f: &Fields) {
    if !config.issuers.is_empty() {
        for issuer in &f.issuers {
            if !config.issuers.iter().any(|k| k == issuer.as_str()) {
                let hint = did_you_mean(issuer.as_str(), config.issuers.iter().map(String::as_str))
                    .map(|m| format!("did you mean `{m}`?"));
                r.warn(
                    "issuer",
                    "issuer is not in the site's list of issuers".into(),
                    issuer.to_string(),
                    "a name listed under `issuers:` in content/site.yaml".into(),
                    hint.or_else(|| Some("add it to site.yaml if it is a new issuer".into())),
                );
            }
        }
    }
    if !config.topics.is_empty() {
        for topic in &f.topics {
            let name = topic.name();
            if !config.topics.contains(&name) && !config.topics.iter().any(|t| t.starts_with(&format!("{name}\\"))) {
                r.warn(
                    "topics",
                    "topic is not in the site's vocabulary".into(),
                    name,
                    format!("one of {}", config.topics.join(", ")),
                    None,
                );
            }
        }
    }
    if let (Some(index), Some(rule)) = (&f.index_number, &config.index_number)
        && !rule.pattern.is_match(index)
    {
        let expected = match &rule.example {
            Some(ex) => format!("the site's index-number shape, e.g. {ex} (pattern {})", rule.pattern.as_str()),
            None => format!("a value matching {}", rule.pattern.as_str()),
        };
        r.error("index_number", FieldError::new("index number does not match the site's pattern", expected));
    }
    if let (Some(w), Some(p)) = (f.written, f.published)
        && p < w
    {
        let mut e = FieldError::new(
            format!("published before written ({w})"),
            format!("a date on or after the written date {w}"),
        );
        e.hint = Some("check both dates: a notice is published after it is signed".into());
        r.error("published", e);
    }
    if let (Some(n), Some(w)) = (&f.doc_number, f.written)
        && n.year != w.year()
    {
        r.warn(
            "doc_number",
            format!("document number year {} differs from the written date's year {}", n.year, w.year()),
            n.text.clone(),
            format!("a number from {} (written {w})", w.year()),
            Some("numbers are usually taken in the year the document is signed; check both fields".into()),
        );
    }
}
