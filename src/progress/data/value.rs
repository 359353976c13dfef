//! Numbers as plans and spreadsheets write them.

#[derive(Debug, PartialEq)]
pub enum ValueRead {
    Number(f64),
    Approximate(f64),
    NoData,
    OtherUnit(String),
    NotANumber,
}

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
    if !v.is_finite() {
        return ValueRead::NotANumber;
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
