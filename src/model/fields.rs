//! Typed values of the front-matter fields. Each parser returns the value or a
//! `FieldError` saying what was found and what is expected; the caller adds the
//! file, line and field name.

use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use serde::{Serialize, Serializer};

/// What was wrong with a field value, before location is attached.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub message: String,
    pub expected: String,
    pub hint: Option<String>,
}

impl FieldError {
    fn new(message: impl Into<String>, expected: impl Into<String>) -> Self {
        FieldError { message: message.into(), expected: expected.into(), hint: None }
    }
}

/// A calendar date (成文日期, 发布日期). Written `2018-09-03` or `2018年9月3日`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

static DATE_ISO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$").unwrap());
static DATE_ZH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$").unwrap());

impl Date {
    pub fn parse(text: &str) -> Result<Date, FieldError> {
        let t = text.trim();
        let caps = DATE_ISO.captures(t).or_else(|| DATE_ZH.captures(t)).ok_or_else(|| {
            FieldError::new("not a date", "a date written YYYY-MM-DD, e.g. 2018-09-03 (or 2018年9月3日)")
        })?;
        let (y, m, d): (i32, u32, u32) =
            (caps[1].parse().unwrap_or(0), caps[2].parse().unwrap_or(0), caps[3].parse().unwrap_or(0));
        match NaiveDate::from_ymd_opt(y, m, d) {
            Some(date) => Ok(Date(date)),
            None => {
                let mut err = FieldError::new("impossible date", "a real calendar date, written YYYY-MM-DD");
                err.hint = Some(match days_in_month(y, m) {
                    Some(n) => format!("{y}-{m:02} has {n} days"),
                    None => "months run from 01 to 12".to_owned(),
                });
                Err(err)
            }
        }
    }

    pub fn year(&self) -> i32 {
        self.0.year()
    }
}

fn days_in_month(y: i32, m: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(y, m + 1, 1)? };
    Some((next - first).num_days() as u32)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// 发文字号: 机关代字 + 〔年份〕 + 序号 + 号, e.g. 通政办发〔2018〕55号.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DocNumber {
    /// Normalised text, always with 〔〕.
    pub text: String,
    /// 机关代字, e.g. 通政办发.
    pub issuer_code: String,
    pub year: i32,
    pub sequence: u32,
}

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<code>\S.*?)\s*[〔\[［(（【]\s*(?P<year>\d{4})\s*[〕\]］)）】]\s*第?\s*(?P<seq>\d{1,6})\s*号$")
        .unwrap()
});

impl DocNumber {
    pub fn parse(text: &str) -> Result<DocNumber, FieldError> {
        let folded = fold_fullwidth_digits(text.trim());
        let caps = DOC_NUMBER.captures(&folded).ok_or_else(|| {
            let mut e = FieldError::new("not a document number", "机关代字〔年份〕序号号, e.g. 通政办发〔2018〕55号");
            if !folded.ends_with('号') {
                e.hint = Some("a document number ends with 号".to_owned());
            } else if !folded.contains(['〔', '[', '［', '(', '（', '【']) {
                e.hint = Some("put the year in brackets: 〔2018〕".to_owned());
            }
            e
        })?;
        let issuer_code = caps["code"].trim().to_owned();
        let year: i32 = caps["year"].parse().unwrap_or(0);
        let sequence: u32 = caps["seq"].parse().unwrap_or(0);
        if sequence == 0 {
            return Err(FieldError::new("document number has sequence 0", "a sequence number from 1, e.g. 55号"));
        }
        Ok(DocNumber { text: format!("{issuer_code}〔{year}〕{sequence}号"), issuer_code, year, sequence })
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn fold_fullwidth_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// 实施期限 as a span of years, e.g. 2018–2020 (also typed 2018-2020, 2018——2020, 2018至2020).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearSpan {
    pub start: i32,
    pub end: i32,
}

static YEAR_SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})\s*年?\s*(?:[-–—~～至到]+|－+)\s*(\d{4})\s*年?$").unwrap());
static SINGLE_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})\s*年?$").unwrap());

impl YearSpan {
    pub fn parse(text: &str) -> Result<YearSpan, FieldError> {
        let t = fold_fullwidth_digits(text.trim());
        let expected = "a span of years such as 2018–2020 (or a single year, 2020)";
        let (start, end) = if let Some(c) = YEAR_SPAN.captures(&t) {
            (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0))
        } else if let Some(c) = SINGLE_YEAR.captures(&t) {
            let y = c[1].parse().unwrap_or(0);
            (y, y)
        } else {
            return Err(FieldError::new("not an implementation period", expected));
        };
        if end < start {
            return Err(FieldError::new("implementation period ends before it starts", expected));
        }
        Ok(YearSpan { start, end })
    }
}

impl fmt::Display for YearSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end { write!(f, "{}", self.start) } else { write!(f, "{}–{}", self.start, self.end) }
    }
}

impl Serialize for YearSpan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A closed set of values written in Chinese (有效性, 公开属性).
macro_rules! chinese_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [&'static str] = &[$($text),+];

            pub fn parse(text: &str) -> Result<Self, FieldError> {
                match text.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(FieldError::new(
                        concat!("not a known ", stringify!($name), " value"),
                        format!("one of {}", Self::ALL.join(", ")),
                    )),
                }
            }

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

chinese_enum!(
    /// 有效性.
    Validity { Valid => "有效", Expired => "失效", Repealed => "废止" }
);
chinese_enum!(
    /// 公开属性. Only 主动公开 notices are published.
    Disclosure { Proactive => "主动公开", OnRequest => "依申请公开", NotDisclosed => "不予公开" }
);

/// The 15 kinds of official document (文种), 《党政机关公文处理工作条例》 art. 8.
/// 命令 is also written 令.
pub const GENRES: &[&str] = &[
    "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函",
    "纪要",
];

/// Script of the notice text: a Traditional-script notice gets `lang="zh-Hant"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Simplified,
    Traditional,
}

impl Script {
    pub fn lang_tag(&self) -> &'static str {
        match self {
            Script::Simplified => "zh-Hans",
            Script::Traditional => "zh-Hant",
        }
    }

    pub fn parse(text: &str) -> Result<Script, FieldError> {
        match text.trim() {
            "zh-Hans" | "zh-CN" | "简体" => Ok(Script::Simplified),
            "zh-Hant" | "zh-TW" | "zh-HK" | "繁体" | "繁體" => Ok(Script::Traditional),
            _ => Err(FieldError::new("not a known language tag", "zh-Hans or zh-Hant")),
        }
    }

    /// Detect the script: Traditional when a noticeable share of the Han
    /// characters change under Traditional→Simplified conversion.
    pub fn detect(text: &str) -> Script {
        let converted = fast2s::convert(text);
        let (mut han, mut changed) = (0usize, 0usize);
        for (a, b) in text.chars().zip(converted.chars()) {
            if is_han(a) {
                han += 1;
                if a != b {
                    changed += 1;
                }
            }
        }
        if changed >= 3 && changed * 50 >= han { Script::Traditional } else { Script::Simplified }
    }
}

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// 主题分类: one or two levels joined by a backslash, e.g. 科技、教育\教育.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Topic {
    pub levels: Vec<String>,
}

impl Topic {
    pub fn parse(text: &str) -> Result<Topic, FieldError> {
        let levels: Vec<String> = text.split(['\\', '＼', '/']).map(|s| s.trim().to_owned()).collect();
        if levels.is_empty() || levels.len() > 2 || levels.iter().any(String::is_empty) {
            return Err(FieldError::new(
                "not a topic",
                "one or two levels joined by a backslash, e.g. 科技、教育\\教育",
            ));
        }
        Ok(Topic { levels })
    }

    pub fn name(&self) -> String {
        self.levels.join("\\")
    }
}

impl Serialize for Topic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_number_loose_forms_normalise_to_hexagonal_brackets() {
        for text in [
            "通政办发〔2018〕55号",
            "通政办发[2018]55号",
            "通政办发(2018)55号",
            "通政办发（2018）55号",
            "通政办发［2018］55号",
            "通政办发〔2018〕第55号",
            "通政办发 〔２０１８〕 55号",
        ] {
            let n = DocNumber::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(n.text, "通政办发〔2018〕55号", "{text}");
            assert_eq!((n.issuer_code.as_str(), n.year, n.sequence), ("通政办发", 2018, 55));
        }
    }

    #[test]
    fn damaged_doc_numbers_are_rejected_with_a_hint() {
        let e = DocNumber::parse("平办发〔2017〕55").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("a document number ends with 号"));
        assert!(DocNumber::parse("平办发〔2017 55号").is_err());
        assert!(DocNumber::parse("〔2017〕55号").is_err());
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(Date::parse("2018-09-03").unwrap().to_string(), "2018-09-03");
        assert_eq!(Date::parse("2018年9月2日").unwrap().to_string(), "2018-09-02");
        let e = Date::parse("2018-02-30").unwrap_err();
        assert_eq!(e.message, "impossible date");
        assert_eq!(e.hint.as_deref(), Some("2018-02 has 28 days"));
        assert!(Date::parse("2020-02-29").is_ok());
        assert!(Date::parse("2018-13-01").is_err());
        assert!(Date::parse("next week").is_err());
    }

    #[test]
    fn year_spans() {
        for t in ["2018–2020", "2018-2020", "2018——2020", "2018至2020", "2018年-2020年"] {
            assert_eq!(YearSpan::parse(t).unwrap(), YearSpan { start: 2018, end: 2020 }, "{t}");
        }
        assert!(YearSpan::parse("2020-2018").is_err());
        assert_eq!(YearSpan::parse("2020").unwrap().to_string(), "2020");
    }

    #[test]
    fn closed_sets() {
        assert_eq!(Validity::parse("废止").unwrap(), Validity::Repealed);
        assert!(Validity::parse("valid").unwrap_err().expected.contains("有效"));
        assert_eq!(Disclosure::parse("依申请公开").unwrap(), Disclosure::OnRequest);
    }

    #[test]
    fn script_detection() {
        assert_eq!(Script::detect("市政辦教育工作創新意見，為貫徹全國、省、市教育工作會議精神"), Script::Traditional);
        assert_eq!(
            Script::detect("通榆县人民政府办公室关于印发通榆县推进县域义务教育优质均衡发展规划的通知"),
            Script::Simplified
        );
    }

    #[test]
    fn topics() {
        assert_eq!(Topic::parse("科技、教育\\教育").unwrap().levels, vec!["科技、教育", "教育"]);
        assert!(Topic::parse("a\\b\\c").is_err());
    }
}
