//! Numbers as plans and spreadsheets write them.

#[derive(Debug, PartialEq)]
pub enum ValueRead {
    Number(f64),
    Approximate(f64),
    NoData,
    OtherUnit(String),
    NotANumber,
    /// A number no plan's table means: beyond ±1e12, closer to zero than 1e-6,
    /// more than 15 significant digits, or written with an exponent.
    OutOfRange,
}

/// The largest magnitude a value may have (a county's budget in 元 fits).
pub const MAX_MAGNITUDE: f64 = 1e12;
/// The smallest non-zero magnitude (rates are written in percent).
pub const MIN_MAGNITUDE: f64 = 1e-6;
/// Digits an f64 keeps exactly enough to print back as written.
pub const MAX_DIGITS: usize = 15;

/// "95", "95%", "1,200人", "约95%" (approximate), "待定"/"—"/"" (no data).
pub fn read_value(text: &str, unit: Option<&str>) -> ValueRead {
    let folded: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            '，' | ',' => '\u{0}',
            _ => c,
        })
        .filter(|&c| c != '\u{0}')
        .collect();
    if matches!(folded.as_str(), "" | "待定" | "—" | "——" | "-" | "–" | "暂无" | "无数据" | "N/A" | "n/a")
    {
        return ValueRead::NoData;
    }
    let (approx, rest) = ["大约", "约为", "约", "近"]
        .iter()
        .find_map(|p| folded.strip_prefix(p).map(|r| (true, r)))
        .unwrap_or((false, folded.as_str()));
    let rest = rest.trim();
    let split = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && i == 0)))
        .map_or(rest.len(), |(i, _)| i);
    let (number, suffix) = rest.split_at(split);
    let Ok(v) = number.parse::<f64>() else { return ValueRead::NotANumber };
    let digits = number
        .trim_start_matches(['-', '+'])
        .trim_start_matches(['0', '.'])
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    let exponent = suffix.starts_with(['e', 'E'])
        && suffix[1..].trim_start_matches(['-', '+']).starts_with(|c: char| c.is_ascii_digit());
    if !v.is_finite()
        || exponent
        || digits > MAX_DIGITS
        || v.abs() > MAX_MAGNITUDE
        || (v != 0.0 && v.abs() < MIN_MAGNITUDE)
    {
        return ValueRead::OutOfRange;
    }
    let suffix = suffix.trim();
    let suffix = suffix.strip_suffix("以上").or_else(|| suffix.strip_suffix("以下")).unwrap_or(suffix).trim();
    if !suffix.is_empty() && Some(suffix) != unit {
        return if suffix.chars().any(|c| c.is_ascii_digit()) {
            ValueRead::NotANumber
        } else {
            ValueRead::OtherUnit(suffix.to_owned())
        };
    }
    if approx { ValueRead::Approximate(v) } else { ValueRead::Number(v) }
}
