//! 发文字号, the one grammar: 机关代字, the year in brackets, an optional 第, the
//! sequence, 号 — 通政办发〔2018〕55号. GB/T 9704 writes the year in 〔〕; people and
//! catalogues also type [ ] ［ ］ ( ) （ ） 【 】 and full-width digits. The same
//! rules read the `doc_number` field, find numbers cited in a text, and recognise
//! (and diagnose) a number line on a legacy web page for `import`.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::values::FieldError;
use crate::text::fold_digits;

/// Brackets written around the year, the standard's first.
pub const OPEN: &str = "〔[［(（【";
pub const CLOSE: &str = "〕]］)）】";

/// 机关代字: Han characters or Latin letters, at most this many.
const CODE_MAX: usize = 12;

/// The parts after the code, as a pattern: brackets, year, 第, sequence, 号.
/// `closed`: whether the closing bracket and 号 are required (a sound number) or
/// may be missing (a line that is a damaged number).
fn tail(closed: bool) -> String {
    let open = regex::escape(OPEN);
    let close = regex::escape(CLOSE);
    let opt = if closed { "" } else { "?" };
    format!(
        r"\s*[{open}]\s*(?P<year>[0-9０-９]{{4}})\s*[{close}]{opt}\s*第?\s*(?P<seq>[0-9０-９]{{1,6}})\s*(?P<hao>[号號]){opt}"
    )
}

fn code() -> String {
    format!(r"(?P<code>[\p{{Han}}A-Za-z]{{1,{CODE_MAX}}})")
}

/// A whole field value.
static FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*{}{}\s*$", code(), tail(true))).expect("doc number pattern"));
/// A number anywhere in running text.
static IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{}{}", code(), tail(true))).expect("doc number pattern"));
/// A line that holds a number, perhaps damaged.
static LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*{}{}\s*$", code(), tail(false))).expect("doc number pattern"));

/// A document number, e.g. 通政办发〔2018〕55号.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DocNumber {
    /// Normalised text, always with 〔〕 and without 第.
    pub text: String,
    /// 机关代字, e.g. 通政办发.
    pub issuer_code: String,
    pub year: i32,
    pub sequence: u32,
}

impl DocNumber {
    /// Read a `doc_number` field (or a relation's number).
    pub fn parse(text: &str) -> Result<DocNumber, FieldError> {
        let caps = FIELD.captures(text).ok_or_else(|| {
            let mut e = FieldError::new("not a document number", "机关代字〔年份〕序号号, e.g. 通政办发〔2018〕55号");
            e.hint = Some(match damage(text) {
                Some(why) => why.to_owned(),
                None => format!("the issuer code is Chinese characters or letters, at most {CODE_MAX}"),
            });
            e
        })?;
        let number = DocNumber::from_parts(&caps["code"], &caps["year"], &caps["seq"], &caps["hao"]);
        if number.sequence == 0 {
            return Err(FieldError::new("document number has sequence 0", "a sequence number from 1, e.g. 55号"));
        }
        Ok(number)
    }

    /// `hao` is 号, or 號 in a Traditional-script number, kept as written like the code.
    fn from_parts(code: &str, year: &str, seq: &str, hao: &str) -> DocNumber {
        let year: i32 = fold_digits(year).parse().unwrap_or(0);
        let sequence: u32 = fold_digits(seq).parse().unwrap_or(0);
        DocNumber { text: format!("{code}〔{year}〕{sequence}{hao}"), issuer_code: code.to_owned(), year, sequence }
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What is wrong with text that was meant as a document number, when the damage
/// is one people make: no 号, or no bracket closing the year.
pub fn damage(text: &str) -> Option<&'static str> {
    let t = fold_digits(text.trim());
    if !t.ends_with(['号', '號']) {
        Some("a document number ends with 号")
    } else if !t.contains(|c| OPEN.contains(c)) {
        Some("put the year in brackets: 〔2018〕")
    } else if !t.contains(|c| CLOSE.contains(c)) {
        Some("the bracket 〕 closing the year is missing")
    } else {
        None
    }
}

/// Whether a whole line is a document number, sound or damaged (a line of a
/// legacy page such as 平办发〔2017〕55号 or 平办发〔2017 55号).
pub fn is_number_line(line: &str) -> bool {
    LINE.is_match(line)
}

/// A document number cited in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Cited {
    /// The letters before the bracket: the 机关代字, perhaps with words of the
    /// sentence in front (根据国发〔2014〕45号 gives 根据国发); which of it is the code
    /// is known only when the number resolves to a notice (`code_start`).
    pub lead: String,
    pub year: i32,
    pub sequence: u32,
    /// Byte range in the text, from the first letter of `lead`.
    pub start: usize,
    pub end: usize,
    /// The text from `start` to `end`, as written.
    pub written: String,
}

/// Words that run into a cited number's code in a sentence ("根据国发〔2014〕45号"),
/// left out when a citation that names no notice of the site is reported.
const LEADING_WORDS: &[&str] = &[
    "根据", "按照", "依据", "参照", "执行", "落实", "贯彻", "印发", "关于", "转发", "又见", "详见", "参见", "即", "见",
    "和", "及", "与",
];

impl Cited {
    /// Where the code of `number` starts in the text, if this citation names it:
    /// same year and sequence, and the letters before the bracket end with its code.
    pub fn code_start(&self, number: &DocNumber) -> Option<usize> {
        let matches = self.year == number.year
            && self.sequence == number.sequence
            && self.lead.ends_with(number.issuer_code.as_str());
        matches.then(|| self.start + self.lead.len() - number.issuer_code.len())
    }

    /// The number as best told without knowing the cited document: leading words
    /// of the sentence taken off the code.
    pub fn text(&self) -> String {
        let mut code = self.lead.as_str();
        while let Some(rest) = LEADING_WORDS.iter().find_map(|w| code.strip_prefix(w)).filter(|r| !r.is_empty()) {
            code = rest;
        }
        format!("{code}〔{}〕{}号", self.year, self.sequence)
    }

    /// Byte offset where `text()` starts.
    pub fn text_start(&self) -> usize {
        let code_len = self.text().len() - format!("〔{}〕{}号", self.year, self.sequence).len();
        self.start + self.lead.len() - code_len
    }
}

/// Every document number cited in a text, in order.
pub fn cited(text: &str) -> Vec<Cited> {
    IN_TEXT
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let lead = caps.name("code")?;
            Some(Cited {
                lead: lead.as_str().to_owned(),
                year: fold_digits(&caps["year"]).parse().ok()?,
                sequence: fold_digits(&caps["seq"]).parse().ok()?,
                start: lead.start(),
                end: whole.end(),
                written: text[lead.start()..whole.end()].to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_forms_normalise_to_hexagonal_brackets() {
        for text in [
            "通政办发〔2018〕55号",
            "通政办发[2018]55号",
            "通政办发(2018)55号",
            "通政办发（2018）55号",
            "通政办发［2018］55号",
            "通政办发【2018】55号",
            "通政办发〔2018〕第55号",
            "通政办发 〔２０１８〕 55号",
        ] {
            let n = DocNumber::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(n.text, "通政办发〔2018〕55号", "{text}");
            assert_eq!((n.issuer_code.as_str(), n.year, n.sequence), ("通政办发", 2018, 55));
        }
        // A Traditional-script number keeps its script.
        let n = DocNumber::parse("平辦發[2017]55號").unwrap();
        assert_eq!((n.text.as_str(), n.sequence), ("平辦發〔2017〕55號", 55));
    }

    #[test]
    fn damaged_numbers_are_rejected_with_a_hint() {
        let e = DocNumber::parse("平办发〔2017〕55").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("a document number ends with 号"));
        let e = DocNumber::parse("平办发〔2017 55号").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("the bracket 〕 closing the year is missing"));
        assert!(DocNumber::parse("〔2017〕55号").is_err());
        assert!(DocNumber::parse("通政办发〔2018〕0号").is_err());
        assert!(is_number_line("平办发〔2017〕55") && is_number_line("平办发〔2017 55号"));
        assert!(!is_number_line("根据平办发〔2017〕55号的要求"));
    }

    #[test]
    fn citations_in_text_in_every_bracket_form() {
        let text = "按照《吉林省事业单位人员公开招聘暂行办法》(吉人联字〔2005〕42号)要求，依据国发[2014]45号执行，又见国发【2014】46号。";
        let found = cited(text);
        let texts: Vec<String> = found.iter().map(Cited::text).collect();
        assert_eq!(texts, ["吉人联字〔2005〕42号", "国发〔2014〕45号", "国发〔2014〕46号"]);
        assert_eq!(&text[found[1].text_start()..found[1].end], "国发[2014]45号");
        // Resolved against the document, the citation starts at its code.
        let number = DocNumber::parse("国发〔2014〕46号").unwrap();
        let start = found[2].code_start(&number).unwrap();
        assert_eq!(&text[start..found[2].end], "国发【2014】46号");
        assert_eq!(found[1].code_start(&number), None);
    }
}
