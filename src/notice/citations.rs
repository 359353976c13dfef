//! What a notice's text cites — document numbers and 《titles》 — found once, when
//! the text is read (on every core); `model` then only resolves them against the
//! site, so a rebuild does not search every text again.

use std::sync::LazyLock;

use regex::Regex;

use crate::schema::doc_number::{self, Cited};

static CITED_TITLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"《([^《》\n]{2,80})》").expect("pattern"));

/// Titles cited in 《》, with their byte ranges (inside the brackets).
pub fn cited_titles(text: &str) -> Vec<(String, usize, usize)> {
    CITED_TITLE
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| (m.as_str().to_owned(), m.start(), m.end())))
        .collect()
}

/// The numbers and titles a text cites, with their byte ranges in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Citations {
    pub numbers: Vec<Cited>,
    pub titles: Vec<(String, usize, usize)>,
}

impl Citations {
    pub fn of(text: &str) -> Citations {
        Citations { numbers: doc_number::cited(text), titles: cited_titles(text) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_titles_and_numbers() {
        let text = "按照《吉林省事业单位人员公开招聘暂行办法》(吉人联字〔2005〕42号)要求";
        let c = Citations::of(text);
        assert_eq!(c.titles[0].0, "吉林省事业单位人员公开招聘暂行办法");
        assert_eq!(c.numbers[0].written, "吉人联字〔2005〕42号");
        assert_eq!(&text[c.numbers[0].start..c.numbers[0].end], c.numbers[0].written);
    }
}
