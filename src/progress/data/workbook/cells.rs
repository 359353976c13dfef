//! A cell as the clerk sees it in Excel or WPS, as text for the row readers: a
//! number as its format shows it (0.953 under `0.0%` is 95.3%), a date as a date,
//! a formula by the value it last computed. Values are never rounded to the digits
//! a format shows: a format only adds a percent sign, zeros and separators.

use calamine::{CellErrorType, Data, DataRef, ExcelDateTime};
use chrono::NaiveDate;

/// One cell, ready to be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Problem(Problem),
}

impl Cell {
    /// The text people see; a problem shows as Excel shows it.
    pub fn text(&self) -> &str {
        match self {
            Cell::Empty => "",
            Cell::Text(t) => t,
            Cell::Problem(Problem::ErrorValue(e)) => e,
            Cell::Problem(Problem::NoCachedValue) => "",
            Cell::Problem(Problem::NoSuchDate(d)) => d,
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            Cell::Problem(_) => false,
        }
    }
}

/// A cell whose value cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// #DIV/0!, #N/A, #REF! …
    ErrorValue(String),
    /// A formula whose value was never computed and saved (a file written by a
    /// program rather than by Excel or WPS).
    NoCachedValue,
    /// A date serial that names no day: Excel's 1900-02-29.
    NoSuchDate(String),
}

/// Excel's name of a column (0-based): A … Z, AA …
pub fn column_name(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut name = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        name.push(b'A' + r);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// A1 notation of a cell (0-based row and column).
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row as u64 + 1)
}

/// A cell's value, with the number format of its style (xlsx; None elsewhere).
pub fn of_data_ref(value: &DataRef, format: Option<&str>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::Int(i) => number(*i as f64, format),
        DataRef::Float(f) => number(*f, format),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(d) => date_time(d, format),
        DataRef::DateTimeIso(s) => Cell::Text(iso_date(s)),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => error(e),
    }
}

/// The same for a value read whole (.xls, .ods).
pub fn of_data(value: &Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => number(*i as f64, None),
        Data::Float(f) => number(*f, None),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(d) => date_time(d, None),
        Data::DateTimeIso(s) => Cell::Text(iso_date(s)),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => error(e),
    }
}

fn error(e: &CellErrorType) -> Cell {
    Cell::Problem(Problem::ErrorValue(e.to_string()))
}

/// `2019-01-20T00:00:00` (an .ods date) is the day.
fn iso_date(s: &str) -> String {
    match s.split_once('T') {
        Some((day, time)) if time.trim_start_matches(['0', ':', '.']).is_empty() => day.to_owned(),
        _ => s.to_owned(),
    }
}

/// A date cell: the day it shows (the serial's 1900 or 1904 epoch and Excel's
/// 1900 leap-year bug are calamine's), as a month or a year when its format
/// shows no day (`yyyy年m月` is a month, as the clerk reads it).
fn date_time(d: &ExcelDateTime, format: Option<&str>) -> Cell {
    if d.is_duration() {
        return Cell::Text(general(d.as_f64()));
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    let Some(date) = NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day)) else {
        // Serial 60 is 1900-02-29, a day Excel counts and the calendar has not.
        return Cell::Problem(Problem::NoSuchDate(format!("{y:04}-{m:02}-{day:02}")));
    };
    let code = format.map(|f| strip_brackets(first_section(f)).to_lowercase()).unwrap_or_default();
    let shows = |c: char| code.contains(c);
    let text = if !code.is_empty() && !shows('d') && shows('y') && shows('m') {
        date.format("%Y-%m").to_string()
    } else if !code.is_empty() && !shows('d') && !shows('m') && shows('y') {
        date.format("%Y").to_string()
    } else {
        date.format("%Y-%m-%d").to_string()
    };
    Cell::Text(text)
}

/// A number as General shows it: up to 15 significant digits, no exponent.
pub fn general(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let magnitude = if v == 0.0 { 0 } else { v.abs().log10().floor() as i32 };
    let decimals = (14 - magnitude).clamp(0, 30) as usize;
    trim_zeros(&format!("{v:.decimals$}"))
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_owned() } else { s.to_owned() }
}

/// A number under its format code.
fn number(v: f64, format: Option<&str>) -> Cell {
    Cell::Text(match format {
        Some(code) => formatted(v, code),
        None => general(v),
    })
}

/// The part of a format code for positive numbers.
fn first_section(code: &str) -> &str {
    let mut quoted = false;
    for (i, c) in code.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return &code[..i],
            _ => {}
        }
    }
    code
}

/// A format without its `[Red]`, `[$-804]` and `[>100]` parts.
fn strip_brackets(code: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in code.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A number under a format code: the number at full precision, with the
/// format's percent (×100), its least decimals, its thousands separator and its
/// literal text (`0"人"`). Scientific and fraction formats show General.
pub fn formatted(v: f64, code: &str) -> String {
    let section = strip_brackets(first_section(code));
    if section.trim().is_empty() || section.eq_ignore_ascii_case("general") || section.trim() == "@" {
        return general(v);
    }
    let (mut prefix, mut suffix, mut pattern) = (String::new(), String::new(), String::new());
    let mut chars = section.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        let literal = |prefix: &mut String, suffix: &mut String, pattern: &String, c: char| {
            if pattern.is_empty() { prefix.push(c) } else { suffix.push(c) }
        };
        match c {
            '"' => quoted = !quoted,
            _ if quoted => literal(&mut prefix, &mut suffix, &pattern, c),
            '\\' => {
                if let Some(n) = chars.next() {
                    literal(&mut prefix, &mut suffix, &pattern, n)
                }
            }
            // `_x` leaves the width of x, `*x` fills with x: neither is text.
            '_' | '*' => {
                chars.next();
            }
            '0' | '#' | '?' | '.' | ',' if suffix.is_empty() => pattern.push(c),
            'e' | 'E' | '/' => return general(v),
            _ => literal(&mut prefix, &mut suffix, &pattern, c),
        }
    }
    if !pattern.contains(['0', '#', '?']) {
        return general(v);
    }
    let percents = prefix.matches('%').count() + suffix.matches('%').count();
    let scaled = v * 100f64.powi(percents as i32);
    let (int_part, frac_part) = pattern.split_once('.').unwrap_or((&pattern, ""));
    let least_decimals = frac_part.chars().filter(|&c| c == '0').count();
    // General digits of the scaled value: 0.953 × 100 is 95.3, not 95.30000000000001.
    let mut text = general(scaled.abs());
    let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
    if decimals < least_decimals {
        if decimals == 0 {
            text.push('.');
        }
        text.push_str(&"0".repeat(least_decimals - decimals));
    }
    if int_part.contains(',') {
        text = group_thousands(&text);
    }
    let sign = if scaled < 0.0 && prefix.is_empty() { "-" } else { "" };
    format!("{prefix}{sign}{text}{suffix}")
}

fn group_thousands(text: &str) -> String {
    let (int, frac) = text.split_once('.').map_or((text, None), |(i, f)| (i, Some(f)));
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_as_their_format_shows_them() {
        assert_eq!(formatted(0.953, "0.0%"), "95.3%");
        assert_eq!(formatted(0.953, "0%"), "95.3%", "never rounded to the digits shown");
        assert_eq!(formatted(0.95, "0.00%"), "95.00%");
        assert_eq!(formatted(85.0, "0.0"), "85.0");
        assert_eq!(formatted(1200.0, "#,##0"), "1,200");
        assert_eq!(formatted(360.0, "0\"人\""), "360人");
        assert_eq!(formatted(-3.5, "0.00;[Red]-0.00"), "-3.50");
        assert_eq!(formatted(12.5, "General"), "12.5");
        assert_eq!(formatted(12345.0, "0.00E+00"), "12345");
        assert_eq!(general(0.1 + 0.2), "0.3");
        assert_eq!(general(2019.0), "2019");
        assert_eq!(general(1.0 / 3.0), "0.333333333333333");
    }

    fn day(serial: f64, is_1904: bool, format: Option<&str>) -> Cell {
        date_time(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904), format)
    }

    #[test]
    fn date_serials_with_the_1900_bug_and_the_1904_system() {
        assert_eq!(day(43466.0, false, None), Cell::Text("2019-01-01".into()));
        assert_eq!(day(59.0, false, None), Cell::Text("1900-02-28".into()));
        assert_eq!(day(60.0, false, None), Cell::Problem(Problem::NoSuchDate("1900-02-29".into())));
        assert_eq!(day(61.0, false, None), Cell::Text("1900-03-01".into()));
        // The 1904 system counts from 1904-01-01: 1,462 days fewer.
        assert_eq!(day(43466.0 - 1462.0, true, None), Cell::Text("2019-01-01".into()));
        assert_eq!(day(43466.75, false, Some("yyyy-mm-dd hh:mm")), Cell::Text("2019-01-01".into()));
        assert_eq!(day(43983.0, false, Some("yyyy\"年\"m\"月\"")), Cell::Text("2020-06".into()));
        assert_eq!(day(43831.0, false, Some("yyyy\"年\"")), Cell::Text("2020".into()));
        assert_eq!(of_data(&Data::DateTimeIso("2019-01-20T00:00:00".into())), Cell::Text("2019-01-20".into()));
    }

    #[test]
    fn cell_names() {
        assert_eq!(a1(6, 2), "C7");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
        assert_eq!(of_data(&Data::Error(CellErrorType::Div0)), Cell::Problem(Problem::ErrorValue("#DIV/0!".into())));
    }
}
