//! Citations in notice texts: document numbers (（吉人联字〔2005〕42号）) and titles in
//! 《》. Found here, resolved against the site by the site model and by `check`.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// A document number cited in a text: 机关代字〔年〕序号号, brackets as people type them.
static CITED_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han}{1,10})\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*第?\s*(\d{1,6})\s*号").expect("pattern")
});

static CITED_TITLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"《([^《》\n]{2,80})》").expect("pattern"));

/// Words that run into a cited number's issuer code in a sentence ("根据国发〔2014〕45号").
const LEADING_WORDS: &[&str] =
    &["根据", "按照", "依据", "参照", "执行", "落实", "贯彻", "印发", "关于", "转发", "即", "见", "和", "及", "与"];

#[derive(Debug, Clone, PartialEq)]
pub struct CitedNumber {
    /// 机关代字 as far as it can be told from the sentence.
    pub code: String,
    pub year: i32,
    pub sequence: u32,
    /// Byte range of the citation (from the code) in the text.
    pub start: usize,
    pub end: usize,
}

impl CitedNumber {
    pub fn text(&self) -> String {
        format!("{}〔{}〕{}号", self.code, self.year, self.sequence)
    }

    /// Does this citation name `number`? The code may carry words of the sentence
    /// in front, so it only has to end with the number's code.
    pub fn names(&self, number: &crate::model::fields::DocNumber) -> bool {
        self.year == number.year && self.sequence == number.sequence && self.code.ends_with(&number.issuer_code)
    }
}

pub fn cited_numbers(text: &str) -> Vec<CitedNumber> {
    CITED_NUMBER
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let raw = caps.get(1)?;
            let mut code = raw.as_str();
            while let Some(rest) = LEADING_WORDS.iter().find_map(|w| code.strip_prefix(w)).filter(|r| !r.is_empty()) {
                code = rest;
            }
            Some(CitedNumber {
                code: code.to_owned(),
                year: caps[2].parse().ok()?,
                sequence: caps[3].parse().ok()?,
                start: raw.end() - code.len(),
                end: whole.end(),
            })
        })
        .collect()
}

/// Titles cited in 《》, with their byte ranges (inside the brackets).
pub fn cited_titles(text: &str) -> Vec<(String, usize, usize)> {
    CITED_TITLE
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| (m.as_str().to_owned(), m.start(), m.end())))
        .collect()
}

/// Looks up cited numbers and titles among a list of notices: by year and sequence
/// (then code) for numbers, and by a notice's title or the plan its title embeds
/// (关于印发《X》的通知 → X) for titles.
pub struct CitationIndex<'a> {
    notices: &'a [crate::model::notice::Notice],
    by_year_seq: HashMap<(i32, u32), Vec<usize>>,
    by_title: HashMap<String, usize>,
}

impl<'a> CitationIndex<'a> {
    pub fn new(notices: &'a [crate::model::notice::Notice]) -> Self {
        let mut by_year_seq: HashMap<(i32, u32), Vec<usize>> = HashMap::new();
        let mut by_title: HashMap<String, usize> = HashMap::new();
        for (i, n) in notices.iter().enumerate() {
            if let Some(d) = &n.doc_number {
                by_year_seq.entry((d.year, d.sequence)).or_default().push(i);
            }
            by_title.entry(n.title.clone()).or_insert(i);
            for (t, _, _) in cited_titles(&n.title) {
                by_title.entry(t).or_insert(i);
            }
        }
        CitationIndex { notices, by_year_seq, by_title }
    }

    /// The notice a cited number names, if it is in the list.
    pub fn number(&self, cited: &CitedNumber) -> Option<usize> {
        self.by_year_seq
            .get(&(cited.year, cited.sequence))?
            .iter()
            .copied()
            .find(|&t| self.notices[t].doc_number.as_ref().is_some_and(|d| cited.names(d)))
    }

    /// The notice a cited title names, if it is in the list.
    pub fn title(&self, title: &str) -> Option<usize> {
        self.by_title.get(title).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_numbers_and_titles() {
        let text = "按照《吉林省事业单位人员公开招聘暂行办法》(吉人联字〔2005〕42号)要求，依据国发[2014]45号执行。";
        let n = cited_numbers(text);
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].text(), "吉人联字〔2005〕42号");
        assert_eq!(n[1].text(), "国发〔2014〕45号");
        assert_eq!(&text[n[1].start..n[1].end], "国发[2014]45号");
        let t = cited_titles(text);
        assert_eq!(t[0].0, "吉林省事业单位人员公开招聘暂行办法");
    }
}
