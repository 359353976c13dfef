//! The fields of a notice's public life before and after it: `consultation` (a
//! 征求意见稿), `feedback_on` (公众意见及采纳情况 of a draft), `consulted` (the
//! draft a final document was consulted on) and `withdrawn` (撤回). Their values
//! are typed in `schema::stages`; each malformed block is an error at its line.

use super::reader::Reader;
use crate::routes::PagePath;
use crate::schema::{Consultation, FieldError, Withdrawal};

/// What a notice says of its consultation and withdrawal.
#[derive(Debug, Clone, Default)]
pub struct Stages {
    pub consultation: Option<Consultation>,
    pub feedback_on: Option<PagePath>,
    pub consulted: Option<PagePath>,
    pub withdrawn: Option<Withdrawal>,
}

pub(super) fn read(r: &mut Reader) -> Stages {
    Stages {
        consultation: block(r, "consultation", Consultation::parse),
        withdrawn: block(r, "withdrawn", Withdrawal::parse),
        feedback_on: r.parsed("feedback_on", address),
        consulted: r.parsed("consulted", address),
    }
}

fn block<T>(r: &mut Reader, name: &str, parse: impl Fn(&serde_yaml::Value) -> Result<T, FieldError>) -> Option<T> {
    let value = r.get(name).map(|f| f.value.clone())?;
    if value.is_null() {
        return None;
    }
    match parse(&value) {
        Ok(v) => Some(v),
        Err(e) => {
            r.error(name, e);
            None
        }
    }
}

/// A draft's address as a clerk writes it: `notices/tongyu-banfa-zhengqiu`, with
/// or without slashes around it, or its whole URL path ending in `index.html`.
pub fn address(text: &str) -> Result<PagePath, FieldError> {
    let t = text.trim().trim_end_matches("index.html");
    let segments: Vec<&str> = t.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() || segments.iter().any(|s| *s == "." || *s == ".." || s.contains(['?', '#', '\\'])) {
        return Err(FieldError::new(
            "not the address of a page of this site",
            "the draft's address as in its URL, e.g. notices/tongyu-banfa-zhengqiu",
        ));
    }
    Ok(PagePath::new(segments))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_with_or_without_slashes() {
        let a = address("notices/x-draft").unwrap();
        assert_eq!(address("/notices/x-draft/").unwrap(), a);
        assert_eq!(address("notices/x-draft/index.html").unwrap(), a);
        assert!(address("/").is_err());
        assert!(address("../x").is_err());
    }
}
