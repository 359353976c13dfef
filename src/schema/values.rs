//! Typed values of the front-matter fields. Each parser returns the value or a
//! `FieldError` saying what was found and what is expected; the caller adds the
//! file, line and field name.

use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use serde::{Serialize, Serializer};

use crate::diagnostics::Code;
use crate::text::{fold_digits, is_han};

/// What was wrong with a field value, before location is attached.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub message: String,
    pub expected: String,
    pub hint: Option<String>,
    /// The kind of problem; a value that does not parse is `FieldValue`.
    pub code: Code,
}

impl FieldError {
    pub fn new(message: impl Into<String>, expected: impl Into<String>) -> Self {
        FieldError { message: message.into(), expected: expected.into(), hint: None, code: Code::FieldValue }
    }

    /// The same error, of another kind (a `Revision`, a `Registration` …).
    pub fn code(mut self, code: Code) -> Self {
        self.code = code;
        self
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
        let t = fold_digits(text.trim());
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

            /// The value in either script (主動公開 is 主动公开).
            pub fn parse(text: &str) -> Result<Self, FieldError> {
                match crate::text::simplified(text.trim()).as_str() {
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
    /// 文件类别: the two kinds of document the annual report counts.
    Category { Rule => "规章", Normative => "行政规范性文件" }
);

impl Category {
    /// `parse`, also accepting the short name 规范性文件.
    pub fn parse_alias(text: &str) -> Result<Category, FieldError> {
        match crate::text::simplified(text.trim()).as_str() {
            "规范性文件" => Ok(Category::Normative),
            other => Category::parse(other),
        }
    }
}

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
        Language::parse(text).map(|l| l.script)
    }

    /// Detect the script: Traditional when a noticeable share of the Han
    /// characters change under Traditional→Simplified conversion. The first
    /// 4,000 Han characters tell as well as a whole long notice would.
    pub fn detect(text: &str) -> Script {
        let (mut han, mut changed) = (0usize, 0usize);
        for c in text.chars().filter(|&c| is_han(c)).take(4000) {
            han += 1;
            if crate::text::simplified_char(c) != c {
                changed += 1;
            }
        }
        if changed >= 3 && changed * 50 >= han { Script::Traditional } else { Script::Simplified }
    }
}

/// A language tag for Chinese (BCP 47, matched without regard to case, as the
/// standard says): the tag in its canonical case, for `<html lang>`, and the script
/// it means. A region implies its script (TW, HK, MO: Traditional; CN, SG, MY:
/// Simplified); a script subtag wins over the region. 简体 and 繁体 are accepted too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub tag: String,
    pub script: Script,
}

const LANGUAGE_EXPECTED: &str =
    "a BCP 47 tag for Chinese: zh-Hans or zh-Hant, or a region's tag such as zh-CN, zh-TW, zh-HK (or 简体, 繁体)";

impl Language {
    pub fn simplified() -> Language {
        Language { tag: "zh-Hans".into(), script: Script::Simplified }
    }

    pub fn parse(text: &str) -> Result<Language, FieldError> {
        let text = text.trim();
        match text {
            "简体" | "簡體" => return Ok(Language::simplified()),
            "繁体" | "繁體" => return Ok(Language { tag: "zh-Hant".into(), script: Script::Traditional }),
            _ => {}
        }
        let refuse =
            |why: &str| Err(FieldError::new(format!("not a language tag gongkai can use: {why}"), LANGUAGE_EXPECTED));
        let mut parts = text.split(['-', '_']);
        if !parts.next().is_some_and(|l| l.eq_ignore_ascii_case("zh")) {
            return refuse("the interface is Chinese, so the tag starts with zh");
        }
        let (mut tag, mut script, mut region_script) = (String::from("zh"), None, None);
        for part in parts {
            let lower = part.to_ascii_lowercase();
            match lower.as_str() {
                "hans" | "hant" if script.is_none() && region_script.is_none() => {
                    script = Some(if lower == "hant" { Script::Traditional } else { Script::Simplified });
                    tag.push_str(if lower == "hant" { "-Hant" } else { "-Hans" });
                }
                "cn" | "sg" | "my" | "tw" | "hk" | "mo" if region_script.is_none() => {
                    region_script = Some(if matches!(lower.as_str(), "tw" | "hk" | "mo") {
                        Script::Traditional
                    } else {
                        Script::Simplified
                    });
                    tag.push('-');
                    tag.push_str(&part.to_ascii_uppercase());
                }
                _ => return refuse(&format!("unknown or misplaced subtag `{part}`")),
            }
        }
        let script = script.or(region_script).unwrap_or(Script::Simplified);
        Ok(Language { tag, script })
    }
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

    /// The browse terms the topic is listed under: itself and, for a sub-topic,
    /// its parent first.
    pub fn prefixes(&self) -> impl Iterator<Item = &[String]> {
        (1..=self.levels.len()).map(|depth| &self.levels[..depth])
    }
}

impl Serialize for Topic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

/// How a notice relates to another document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Amends,
    Supersedes,
    Repeals,
    Interprets,
}

impl Relation {
    pub const ALL: [Relation; 4] = [Relation::Amends, Relation::Supersedes, Relation::Repeals, Relation::Interprets];

    /// The front-matter field that states it.
    pub fn field(self) -> &'static str {
        match self {
            Relation::Amends => "amends",
            Relation::Supersedes => "supersedes",
            Relation::Repeals => "repeals",
            Relation::Interprets => "interprets",
        }
    }

    /// "This notice … that one".
    pub fn label(self) -> &'static str {
        match self {
            Relation::Amends => "修改",
            Relation::Supersedes => "替代",
            Relation::Repeals => "废止",
            Relation::Interprets => "解读",
        }
    }

    /// "That notice was … by this one".
    pub fn inverse_label(self) -> &'static str {
        match self {
            Relation::Amends => "被修改",
            Relation::Supersedes => "被替代",
            Relation::Repeals => "被废止",
            Relation::Interprets => "被解读",
        }
    }
}

/// A name from one of the site's vocabularies, kept as the site writes it.
macro_rules! name {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(name: impl Into<String>) -> Self {
                $name(name.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name!(
    /// 发文机关: an issuing body, by its full name.
    Issuer
);
name!(
    /// 文种: one of the kinds of official document the site allows (`GENRES` by default).
    Genre
);
name!(
    /// 体裁: the form of the document (规划, 方案 …).
    Form
);

#[cfg(test)]
mod tests {
    use super::*;

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
    fn language_tags_are_bcp_47_without_regard_to_case() {
        for (given, tag, script) in [
            ("zh-Hans", "zh-Hans", Script::Simplified),
            ("zh-hant", "zh-Hant", Script::Traditional),
            ("ZH-HANT", "zh-Hant", Script::Traditional),
            ("zh-TW", "zh-TW", Script::Traditional),
            ("zh-hk", "zh-HK", Script::Traditional),
            ("zh_MO", "zh-MO", Script::Traditional),
            ("zh-CN", "zh-CN", Script::Simplified),
            ("zh-SG", "zh-SG", Script::Simplified),
            ("zh", "zh", Script::Simplified),
            ("zh-Hant-CN", "zh-Hant-CN", Script::Traditional),
            ("zh-Hans-HK", "zh-Hans-HK", Script::Simplified),
            ("繁體", "zh-Hant", Script::Traditional),
        ] {
            let l = Language::parse(given).unwrap_or_else(|e| panic!("{given}: {}", e.message));
            assert_eq!((l.tag.as_str(), l.script), (tag, script), "{given}");
        }
        for bad in ["xx", "traditional", "en", "zh-Latn", "zh-US", "zh-TW-HK", "zh-Hant-Hans", "", "zh-"] {
            assert!(Language::parse(bad).is_err(), "{bad} accepted");
        }
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
