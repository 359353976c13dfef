//! Dates as legacy texts write them: 2017年11月22日, 2018年09月03日, 2018/4/11 15:17:01,
//! 2018-09-03, 二〇一八年九月二日. Checked against the calendar by `Date::parse`.

use std::sync::LazyLock;

use regex::Regex;

use crate::schema::Date;
use crate::text::fold_digits;

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})\s*[年/.\-－]\s*(\d{1,2})\s*[月/.\-－]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?$",
    )
    .expect("pattern")
});

/// A date written in Chinese numerals, as on older signatures: 二〇一八年九月二日.
static ZH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
        .expect("pattern")
});

/// A whole line that is nothing but a date in the form of a signature date.
static SIGNATURE_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$").expect("pattern"));

fn zh_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32).or(match c {
        '○' | '零' => Some(0),
        _ => None,
    })
}

/// 一 … 三十一.
fn zh_small_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', d] => Some(10 + zh_digit(*d)?),
        [t, '十'] => Some(zh_digit(*t)? * 10),
        [t, '十', d] => Some(zh_digit(*t)? * 10 + zh_digit(*d)?),
        [d] => zh_digit(*d),
        _ => None,
    }
}

/// Parse a date, ignoring a time of day after it. `Err` says why the text is not
/// a usable date (an impossible date such as 2018年2月30日 included).
pub fn parse(text: &str) -> Result<Date, String> {
    let t = fold_digits(text.trim());
    let (y, m, d) = if let Some(c) = DATE.captures(&t) {
        (c[1].parse::<i32>().unwrap_or(0), c[2].parse::<u32>().unwrap_or(0), c[3].parse::<u32>().unwrap_or(0))
    } else if let Some(c) = ZH_DATE.captures(&t) {
        let year: String = c[1].chars().filter_map(zh_digit).map(|d| char::from_digit(d, 10).unwrap_or('0')).collect();
        let (Some(m), Some(d)) = (zh_small_number(&c[2]), zh_small_number(&c[3])) else {
            return Err("not a date".into());
        };
        (year.parse().unwrap_or(0), m, d)
    } else {
        return Err("not a date".into());
    };
    Date::parse(&format!("{y:04}-{m:02}-{d:02}")).map_err(|e| match e.hint {
        Some(h) => format!("{} ({h})", e.message),
        None => e.message,
    })
}

/// Whether a whole line is a date of the kind written under a signature.
pub fn is_signature_date(line: &str) -> bool {
    let t = fold_digits(line.trim());
    SIGNATURE_DATE.is_match(&t) || ZH_DATE.is_match(&t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_dates() {
        for (text, want) in [
            ("2017年11月22日", "2017-11-22"),
            ("2018年09月03日", "2018-09-03"),
            ("2018/4/11 15:17:01", "2018-04-11"),
            ("2018-09-03", "2018-09-03"),
            ("2022-05-15 10:50:00", "2022-05-15"),
            ("二〇一八年九月二日", "2018-09-02"),
            ("二〇一七年十一月二十二日", "2017-11-22"),
            ("２０１８年９月２日", "2018-09-02"),
        ] {
            assert_eq!(parse(text).unwrap().to_string(), want, "{text}");
        }
        assert!(parse("2018年2月30日").unwrap_err().contains("impossible"));
        assert!(parse("下周").is_err());
        assert!(is_signature_date("2018年9月2日"));
        assert!(!is_signature_date("2018年9月—2020年"));
    }
}
