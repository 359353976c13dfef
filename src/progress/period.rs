//! Periods as plans write them — 2020, 2017-2018学年, 2018–2020, 2020年第三季度,
//! 2020年6月, 2020-06-30, 2017年6-7月 — with when each starts and ends, so that
//! periods of different kinds can be ordered and compared with a reference date.

use std::cmp::Ordering;
use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use serde::{Serialize, Serializer};

/// A span of time a target or a measurement refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub start: NaiveDate,
    /// Last day of the period (inclusive).
    pub end: NaiveDate,
    /// As written in the data file, for display.
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Year,
    /// September to August: 2017-2018学年 runs 2017-09-01 … 2018-08-31.
    SchoolYear,
    YearRange,
    Quarter,
    Month,
    MonthRange,
    Day,
}

/// Expected forms, for error messages.
pub const PERIOD_FORMS: &str = "a year (2020, 2020年, 2020年底), a school year (2017-2018学年), a year range (2018–2020), \
a quarter (2020Q3, 2020年第三季度), a month (2020-06, 2020年6月), months (2017年6-7月, 2017年8月至10月) or a date (2020-06-30)";

fn re(p: &str) -> Regex {
    Regex::new(p).expect("period pattern")
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})\s*(?:年|年度|年底|年末)?$"));
static SCHOOL_YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})\s*[-–—~～至]+\s*(\d{4})\s*学年度?$"));
static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})\s*年?\s*[-–—~～至到]+\s*(\d{4})\s*年?$"));
static QUARTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{4})\s*(?:-?\s*[Qq]([1-4])|年\s*第?\s*([1-4一二三四])\s*季度)$"));
static MONTH: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})\s*(?:[-/.](\d{1,2})|年\s*(\d{1,2})\s*月(?:底|末)?)$"));
static MONTH_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(\d{4})\s*年\s*(\d{1,2})\s*月?\s*[-–—~～至到]+\s*(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月)?(?:底|末)?$")
});
static DAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{4})\s*(?:[-/.](\d{1,2})[-/.](\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)$"));

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    UnknownForm,
    Impossible(&'static str),
}

impl Period {
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let label = text.trim().to_owned();
        // 學年 and 季度 as 学年: a Traditional clerk's periods read the same.
        let t = fold(&crate::text::simplified(&label));
        let num = |s: Option<regex::Match>| s.and_then(|m| m.as_str().parse::<u32>().ok());
        let p = |kind, start: Option<NaiveDate>, end: Option<NaiveDate>| match (start, end) {
            (Some(s), Some(e)) if s <= e => Ok(Period { kind, start: s, end: e, label: label.clone() }),
            (Some(_), Some(_)) => Err(PeriodError::Impossible("the period ends before it starts")),
            _ => Err(PeriodError::Impossible("no such date")),
        };
        if let Some(c) = DAY.captures(&t) {
            let y = num(c.get(1)).unwrap_or(0) as i32;
            let m = num(c.get(2)).or(num(c.get(4))).unwrap_or(0);
            let d = num(c.get(3)).or(num(c.get(5))).unwrap_or(0);
            let date = NaiveDate::from_ymd_opt(y, m, d);
            return p(PeriodKind::Day, date, date);
        }
        if let Some(c) = SCHOOL_YEAR.captures(&t) {
            let (a, b) = (num(c.get(1)).unwrap_or(0) as i32, num(c.get(2)).unwrap_or(0) as i32);
            if b != a + 1 {
                return Err(PeriodError::Impossible("a school year spans two consecutive years, e.g. 2017-2018学年"));
            }
            return p(PeriodKind::SchoolYear, NaiveDate::from_ymd_opt(a, 9, 1), NaiveDate::from_ymd_opt(b, 8, 31));
        }
        if let Some(c) = MONTH_RANGE.captures(&t) {
            let y1 = num(c.get(1)).unwrap_or(0) as i32;
            let y2 = num(c.get(3)).map_or(y1, |y| y as i32);
            if c.get(3).is_none() && c.get(4).is_none() {
                return Err(PeriodError::UnknownForm);
            }
            // "2018年9月—2020年" runs to the end of 2020.
            let (m1, m2) = (num(c.get(2)).unwrap_or(0), num(c.get(4)).unwrap_or(12));
            return p(PeriodKind::MonthRange, NaiveDate::from_ymd_opt(y1, m1, 1), month_end(y2, m2));
        }
        if let Some(c) = YEAR_RANGE.captures(&t) {
            let (a, b) = (num(c.get(1)).unwrap_or(0) as i32, num(c.get(2)).unwrap_or(0) as i32);
            return p(PeriodKind::YearRange, NaiveDate::from_ymd_opt(a, 1, 1), NaiveDate::from_ymd_opt(b, 12, 31));
        }
        if let Some(c) = QUARTER.captures(&t) {
            let y = num(c.get(1)).unwrap_or(0) as i32;
            let q = num(c.get(2)).or_else(|| c.get(3).map(|m| chinese_digit(m.as_str()))).unwrap_or(0);
            return p(PeriodKind::Quarter, NaiveDate::from_ymd_opt(y, q * 3 - 2, 1), month_end(y, q * 3));
        }
        if let Some(c) = MONTH.captures(&t) {
            let y = num(c.get(1)).unwrap_or(0) as i32;
            let m = num(c.get(2)).or(num(c.get(3))).unwrap_or(0);
            return p(PeriodKind::Month, NaiveDate::from_ymd_opt(y, m, 1), month_end(y, m));
        }
        if let Some(c) = YEAR.captures(&t) {
            let y = num(c.get(1)).unwrap_or(0) as i32;
            return p(PeriodKind::Year, NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31));
        }
        Err(PeriodError::UnknownForm)
    }

    /// Has the period ended by the end of `date`?
    pub fn ended_by(&self, date: NaiveDate) -> bool {
        self.end <= date
    }

    /// Years from the end of `self` to the end of `later` (may be negative).
    pub fn years_until(&self, later: &Period) -> f64 {
        (later.end - self.end).num_days() as f64 / 365.2425
    }
}

/// Periods are ordered by when they end, then when they start.
impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.end, self.start, &self.label).cmp(&(other.end, other.start, &other.label))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let first_next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
    first_next.and_then(|d| d.pred_opt()).filter(|d| d.month() == m)
}

fn chinese_digit(s: &str) -> u32 {
    match s {
        "一" | "1" => 1,
        "二" | "2" => 2,
        "三" | "3" => 3,
        "四" | "4" => 4,
        _ => 0,
    }
}

/// Full-width digits and letters to ASCII; `——` and `—` are kept (they are dashes).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '－' => '-',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn span(t: &str) -> (PeriodKind, NaiveDate, NaiveDate) {
        let p = Period::parse(t).unwrap_or_else(|e| panic!("{t}: {e:?}"));
        (p.kind, p.start, p.end)
    }

    #[test]
    fn forms_people_write() {
        use PeriodKind::*;
        assert_eq!(span("2020"), (Year, d("2020-01-01"), d("2020-12-31")));
        assert_eq!(span("2020年底"), (Year, d("2020-01-01"), d("2020-12-31")));
        assert_eq!(span("2017-2018学年"), (SchoolYear, d("2017-09-01"), d("2018-08-31")));
        assert_eq!(span("2019-2020学年度"), (SchoolYear, d("2019-09-01"), d("2020-08-31")));
        assert_eq!(span("2018–2020"), (YearRange, d("2018-01-01"), d("2020-12-31")));
        assert_eq!(span("2018——2020"), (YearRange, d("2018-01-01"), d("2020-12-31")));
        assert_eq!(span("2020Q3"), (Quarter, d("2020-07-01"), d("2020-09-30")));
        assert_eq!(span("2020年第一季度"), (Quarter, d("2020-01-01"), d("2020-03-31")));
        assert_eq!(span("2020-02"), (Month, d("2020-02-01"), d("2020-02-29")));
        assert_eq!(span("2020年6月"), (Month, d("2020-06-01"), d("2020-06-30")));
        assert_eq!(span("2017年6-7月"), (MonthRange, d("2017-06-01"), d("2017-07-31")));
        assert_eq!(span("2017年8月至10月"), (MonthRange, d("2017-08-01"), d("2017-10-31")));
        assert_eq!(span("2018年2月—2018年9月"), (MonthRange, d("2018-02-01"), d("2018-09-30")));
        assert_eq!(span("2018年9月—2020年"), (MonthRange, d("2018-09-01"), d("2020-12-31")));
        assert_eq!(span("2020-06-30"), (Day, d("2020-06-30"), d("2020-06-30")));
        assert_eq!(span("２０２０年６月３０日"), (Day, d("2020-06-30"), d("2020-06-30")));
    }

    #[test]
    fn bad_periods() {
        assert_eq!(Period::parse("明年"), Err(PeriodError::UnknownForm));
        assert_eq!(Period::parse("2020-13"), Err(PeriodError::Impossible("no such date")));
        assert!(matches!(Period::parse("2017-2019学年"), Err(PeriodError::Impossible(_))));
        assert!(matches!(Period::parse("2020-2018"), Err(PeriodError::Impossible(_))));
    }

    #[test]
    fn order_is_by_end_date() {
        let mut ps: Vec<Period> = ["2020", "2019-2020学年", "2018-2019学年", "2020Q1", "2019"]
            .iter()
            .map(|t| Period::parse(t).unwrap())
            .collect();
        ps.sort();
        let labels: Vec<&str> = ps.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, vec!["2018-2019学年", "2019", "2020Q1", "2019-2020学年", "2020"]);
        let a = Period::parse("2017").unwrap();
        let b = Period::parse("2020").unwrap();
        assert!((a.years_until(&b) - 3.0).abs() < 0.01);
        assert!(Period::parse("2017-2018学年").unwrap().ended_by(d("2018-08-31")));
        assert!(!Period::parse("2017-2018学年").unwrap().ended_by(d("2018-08-30")));
    }
}
