//! Word's automatic numbering (numbering.xml): the number each numbered paragraph
//! shows, as Word shows it — 一、 （一） 1. （1） ① 甲 — from the list's levels
//! (format, `lvlText`, start, restart), the instance's overrides, and counters
//! that run across the paragraphs of one list. A paragraph's list comes from its
//! own `numPr` or from its style's.

use std::collections::{HashMap, HashSet};

use roxmltree::{Document, Node};

use super::xml::{attr, child, elements, is, val};

#[derive(Debug, Clone, Default)]
struct Level {
    start: i64,
    format: String,
    text: String,
    /// `None`: restart after any higher level; `Some(0)`: never; `Some(k)`: after level k (1-based).
    restart: Option<usize>,
    /// What follows the number: a tab (left out here), a space, or nothing.
    space_after: bool,
    /// Every number of the label in decimal (isLgl).
    legal: bool,
}

fn level(node: Node) -> Level {
    Level {
        start: val(node, "start").and_then(|v| v.parse().ok()).unwrap_or(0),
        format: val(node, "numFmt").unwrap_or("decimal").to_owned(),
        text: val(node, "lvlText").unwrap_or("").to_owned(),
        restart: val(node, "lvlRestart").and_then(|v| v.parse().ok()),
        space_after: val(node, "suff") == Some("space"),
        legal: child(node, "isLgl").is_some_and(|c| !matches!(attr(c, "val"), Some("0" | "false"))),
    }
}

fn levels(node: Node) -> Vec<(usize, Level)> {
    elements(node)
        .filter(|c| is(*c, "lvl"))
        .filter_map(|l| Some((attr(l, "ilvl")?.parse::<usize>().ok().filter(|i| *i < 9)?, level(l))))
        .collect()
}

/// A style's list: numId and level, each given or left to the style it is based on.
#[derive(Debug)]
struct StyleList {
    num: Option<String>,
    ilvl: Option<usize>,
    based_on: Option<String>,
}

#[derive(Debug, Default)]
struct Instance {
    abstract_id: String,
    /// Level → start override.
    starts: Vec<(usize, i64)>,
    /// Level → a whole level that replaces the list's.
    levels: Vec<(usize, Level)>,
}

/// The lists of a document and where each numbered paragraph stands in its list.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, Vec<(usize, Level)>>,
    /// An abstract list that is a link to a numbering style (numStyleLink).
    style_links: HashMap<String, String>,
    instances: HashMap<String, Instance>,
    /// Paragraph style → its list.
    styles: HashMap<String, StyleList>,
    counters: HashMap<String, [Option<i64>; 9]>,
    /// Start values overridden by an instance, per abstract list and level.
    start_overrides: HashMap<String, [Option<i64>; 9]>,
    started: HashSet<String>,
}

impl Numbering {
    pub(super) fn new(numbering: Option<&Document>, styles: Option<&Document>) -> Numbering {
        let mut n = Numbering::default();
        if let Some(doc) = numbering {
            for node in elements(doc.root_element()) {
                if is(node, "abstractNum") {
                    let Some(id) = attr(node, "abstractNumId") else { continue };
                    n.abstracts.insert(id.to_owned(), levels(node));
                    if let Some(link) = val(node, "numStyleLink") {
                        n.style_links.insert(id.to_owned(), link.to_owned());
                    }
                } else if is(node, "num") {
                    let (Some(id), Some(abs)) = (attr(node, "numId"), val(node, "abstractNumId")) else { continue };
                    let mut inst = Instance { abstract_id: abs.to_owned(), ..Instance::default() };
                    for o in elements(node).filter(|c| is(*c, "lvlOverride")) {
                        let Some(ilvl) = attr(o, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|i| *i < 9)
                        else {
                            continue;
                        };
                        if let Some(s) = val(o, "startOverride").and_then(|v| v.parse().ok()) {
                            inst.starts.push((ilvl, s));
                        }
                        if let Some(l) = child(o, "lvl") {
                            inst.levels.push((ilvl, level(l)));
                        }
                    }
                    n.instances.insert(id.to_owned(), inst);
                }
            }
        }
        if let Some(doc) = styles {
            for s in elements(doc.root_element()).filter(|c| is(*c, "style")) {
                let Some(id) = attr(s, "styleId") else { continue };
                let num_pr = child(s, "pPr").and_then(|p| child(p, "numPr"));
                let num = num_pr.and_then(|p| val(p, "numId")).map(str::to_owned);
                let ilvl = num_pr.and_then(|p| val(p, "ilvl")).and_then(|v| v.parse().ok());
                let based_on = val(s, "basedOn").map(str::to_owned);
                n.styles.insert(id.to_owned(), StyleList { num, ilvl, based_on });
            }
        }
        n
    }

    /// The (numId, level) of a paragraph: its own numPr, else its style's (up the
    /// `basedOn` chain). numId 0 means "not numbered".
    pub(super) fn list_of(&self, ppr: Option<Node>) -> Option<(String, usize)> {
        let own = ppr.and_then(|p| child(p, "numPr"));
        let mut num = own.and_then(|p| val(p, "numId")).map(str::to_owned);
        let mut ilvl: Option<usize> = own.and_then(|p| val(p, "ilvl")).and_then(|v| v.parse().ok());
        let mut style = ppr.and_then(|p| val(p, "pStyle")).map(str::to_owned);
        for _ in 0..16 {
            if num.is_some() && ilvl.is_some() {
                break;
            }
            let Some(s) = style.as_ref().and_then(|s| self.styles.get(s)) else { break };
            num = num.or_else(|| s.num.clone());
            ilvl = ilvl.or(s.ilvl);
            style = s.based_on.clone();
        }
        let num = num.filter(|n| n != "0")?;
        Some((num, ilvl.unwrap_or(0).min(8)))
    }

    /// The abstract list of an instance, following a link to a numbering style.
    fn abstract_of(&self, num: &str) -> Option<String> {
        let mut abs = self.instances.get(num)?.abstract_id.clone();
        for _ in 0..4 {
            let Some(style) = self.style_links.get(&abs) else { break };
            let Some(StyleList { num: Some(linked), .. }) = self.styles.get(style) else { break };
            let next = self.instances.get(linked)?.abstract_id.clone();
            if next == abs {
                break;
            }
            abs = next;
        }
        Some(abs)
    }

    fn level(&self, num: &str, abs: &str, ilvl: usize) -> Option<Level> {
        let inst = self.instances.get(num);
        inst.and_then(|i| i.levels.iter().find(|(l, _)| *l == ilvl).map(|(_, l)| l.clone()))
            .or_else(|| self.abstracts.get(abs)?.iter().find(|(l, _)| *l == ilvl).map(|(_, l)| l.clone()))
    }

    fn start(&self, num: &str, abs: &str, ilvl: usize) -> i64 {
        self.start_overrides
            .get(abs)
            .and_then(|s| s[ilvl])
            .unwrap_or_else(|| self.level(num, abs, ilvl).map_or(1, |l| l.start))
    }

    /// The label of the next paragraph of list `num` at level `ilvl`, with what
    /// follows it; counts it.
    pub(super) fn next(&mut self, num: &str, ilvl: usize) -> Option<String> {
        let abs = self.abstract_of(num)?;
        let lvl = self.level(num, &abs, ilvl)?;
        if self.started.insert(num.to_owned())
            && let Some(inst) = self.instances.get(num)
            && !inst.starts.is_empty()
        {
            let overrides = self.start_overrides.entry(abs.clone()).or_default();
            let counters = self.counters.entry(abs.clone()).or_default();
            for &(l, s) in &inst.starts {
                overrides[l] = Some(s);
                counters[l] = None;
            }
        }
        let start = self.start(num, &abs, ilvl);
        let levels: Vec<Option<Level>> = (0..9).map(|l| self.level(num, &abs, l)).collect();
        let counters = self.counters.entry(abs.clone()).or_default();
        counters[ilvl] = Some(counters[ilvl].map_or(start, |c| c + 1));
        for (deeper, l) in levels.iter().enumerate().skip(ilvl + 1) {
            let restart = l.as_ref().and_then(|l| l.restart);
            if restart.is_none_or(|k| k != 0 && ilvl < k) {
                counters[deeper] = None;
            }
        }
        let values = *counters;
        let mut label = String::new();
        let mut chars = lvl.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=9).contains(d))
            {
                chars.next();
                let l = d as usize - 1;
                let value = values[l].unwrap_or_else(|| self.start(num, &abs, l));
                let format = if lvl.legal && l != ilvl {
                    "decimal"
                } else {
                    levels[l].as_ref().map_or("decimal", |x| x.format.as_str())
                };
                label.push_str(&format_number(value, if lvl.legal { "decimal" } else { format }));
            } else {
                label.push(c);
            }
        }
        if lvl.format == "bullet" {
            label = "•".to_owned();
        }
        if label.is_empty() {
            return None;
        }
        if lvl.space_after || lvl.format == "bullet" {
            label.push(' ');
        }
        Some(label)
    }
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

/// A number in one of Word's formats (ST_NumberFormat); formats not listed here are
/// shown in decimal.
pub(super) fn format_number(n: i64, format: &str) -> String {
    let small = |base: u32, max: i64| (1..=max).contains(&n).then(|| char::from_u32(base + n as u32 - 1));
    let fallback = || n.to_string();
    match format {
        "none" => String::new(),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "decimalFullWidth" | "decimalFullWidth2" => {
            n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c)).collect()
        }
        // ①–⑳, then ㉑–㉟ and ㊱–㊿ (as LibreOffice shows them too).
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => match n {
            1..=20 => small(0x2460, 20).flatten().map_or_else(fallback, String::from),
            21..=35 => char::from_u32(0x3251 + (n - 21) as u32).map_or_else(fallback, String::from),
            36..=50 => char::from_u32(0x32B1 + (n - 36) as u32).map_or_else(fallback, String::from),
            _ => fallback(),
        },
        "decimalEnclosedParen" => small(0x2474, 20).flatten().map_or_else(fallback, String::from),
        "decimalEnclosedFullstop" => small(0x2488, 20).flatten().map_or_else(fallback, String::from),
        "ideographEnclosedCircle" => small(0x3280, 10).flatten().map_or_else(fallback, String::from),
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting" => counting(n, &DIGITS, ['十', '百', '千', '万']).unwrap_or_else(fallback),
        "chineseLegalSimplified" => counting(n, &LEGAL, ['拾', '佰', '仟', '万']).unwrap_or_else(fallback),
        "ideographLegalTraditional" => {
            counting(n, &['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'], ['拾', '佰', '仟', '萬'])
                .unwrap_or_else(fallback)
        }
        "ideographDigital" | "japaneseDigitalTenThousand" | "taiwaneseDigital" if n >= 0 => {
            n.to_string().chars().map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize]).collect()
        }
        // The ten stems and twelve branches; past them, decimal.
        "ideographTraditional" if (1..=10).contains(&n) => {
            "甲乙丙丁戊己庚辛壬癸".chars().nth((n - 1) as usize).map_or_else(fallback, String::from)
        }
        "ideographZodiac" if (1..=12).contains(&n) => {
            "子丑寅卯辰巳午未申酉戌亥".chars().nth((n - 1) as usize).map_or_else(fallback, String::from)
        }
        "upperLetter" | "lowerLetter" if n >= 1 => {
            let base = if format == "upperLetter" { b'A' } else { b'a' };
            let c = (base + ((n - 1) % 26) as u8) as char;
            std::iter::repeat_n(c, ((n - 1) / 26 + 1).min(50) as usize).collect()
        }
        "upperRoman" | "lowerRoman" if (1..4000).contains(&n) => {
            let r = roman(n);
            if format == "lowerRoman" { r.to_lowercase() } else { r }
        }
        _ => fallback(),
    }
}

/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, 1000 → 一千 (up to 99,999).
fn counting(n: i64, digits: &[char; 10], units: [char; 4]) -> Option<String> {
    if !(0..100_000).contains(&n) {
        return None;
    }
    if n == 0 {
        return Some(digits[0].to_string());
    }
    let ds: Vec<usize> = n.to_string().chars().map(|c| c.to_digit(10).unwrap_or(0) as usize).collect();
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in ds.iter().enumerate() {
        let place = ds.len() - 1 - i;
        if d == 0 {
            zero = true;
            continue;
        }
        if zero && !out.is_empty() {
            out.push(if digits == &DIGITS { '零' } else { digits[0] });
        }
        zero = false;
        // 十一, not 一十一, when the number starts at the tens (the common form).
        if !(place == 1 && d == 1 && out.is_empty() && digits == &DIGITS) {
            out.push(digits[d]);
        }
        if place > 0 {
            out.push(units[place - 1]);
        }
    }
    Some(out)
}

fn roman(mut n: i64) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let f = format_number;
        assert_eq!([f(1, "chineseCounting"), f(10, "chineseCounting"), f(11, "chineseCounting")], ["一", "十", "十一"]);
        assert_eq!(
            [f(20, "chineseCounting"), f(101, "chineseCounting"), f(110, "chineseCounting")],
            ["二十", "一百零一", "一百一十"]
        );
        assert_eq!(f(1005, "chineseCounting"), "一千零五");
        assert_eq!(
            [f(3, "decimalEnclosedCircle"), f(21, "decimalEnclosedCircle"), f(50, "decimalEnclosedCircle")],
            ["③", "㉑", "㊿"]
        );
        assert_eq!(f(51, "decimalEnclosedCircle"), "51");
        assert_eq!([f(2, "ideographTraditional"), f(11, "ideographTraditional")], ["乙", "11"]);
        assert_eq!([f(2, "upperLetter"), f(28, "upperLetter"), f(4, "lowerRoman")], ["B", "BB", "iv"]);
        assert_eq!([f(12, "decimalFullWidth"), f(5, "decimalZero"), f(7, "none")], ["１２", "05", ""]);
        assert_eq!(f(12, "chineseLegalSimplified"), "壹拾贰");
    }

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    #[test]
    fn counters_restart_and_override() {
        let numbering = format!(
            "<w:numbering {W}><w:abstractNum w:abstractNumId=\"0\">\
             <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl>\
             <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%2）\"/></w:lvl>\
             <w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%3.\"/><w:lvlRestart w:val=\"0\"/></w:lvl>\
             </w:abstractNum>\
             <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>\
             <w:num w:numId=\"2\"><w:abstractNumId w:val=\"0\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"5\"/></w:lvlOverride></w:num>\
             </w:numbering>"
        );
        let doc = Document::parse(&numbering).unwrap();
        let mut n = Numbering::new(Some(&doc), None);
        let got: Vec<String> =
            [("1", 0), ("1", 1), ("1", 1), ("1", 2), ("1", 0), ("1", 1), ("1", 2), ("2", 0), ("1", 0)]
                .iter()
                .map(|(num, l)| n.next(num, *l).unwrap())
                .collect();
        // Level 3 never restarts (lvlRestart 0); list 2 restarts the shared list at 五.
        assert_eq!(got, ["一、", "（一）", "（二）", "1.", "二、", "（一）", "2.", "五、", "六、"]);
    }

    #[test]
    fn a_paragraph_takes_its_list_from_its_style() {
        let numbering = format!(
            "<w:numbering {W}><w:abstractNum w:abstractNumId=\"7\">\
             <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl>\
             <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.%2\"/><w:isLgl/></w:lvl>\
             </w:abstractNum><w:num w:numId=\"4\"><w:abstractNumId w:val=\"7\"/></w:num></w:numbering>"
        );
        let styles = format!(
            "<w:styles {W}><w:style w:styleId=\"h1\"><w:pPr><w:numPr><w:numId w:val=\"4\"/></w:numPr></w:pPr></w:style>\
             <w:style w:styleId=\"h2\"><w:basedOn w:val=\"h1\"/><w:pPr><w:numPr><w:ilvl w:val=\"1\"/></w:numPr></w:pPr></w:style></w:styles>"
        );
        let (numbering, styles) = (Document::parse(&numbering).unwrap(), Document::parse(&styles).unwrap());
        let mut n = Numbering::new(Some(&numbering), Some(&styles));
        let ppr = |xml: &str| format!("<w:pPr {W}>{xml}</w:pPr>");
        let (h1, h2) = (ppr("<w:pStyle w:val=\"h1\"/>"), ppr("<w:pStyle w:val=\"h2\"/>"));
        let none = ppr("<w:pStyle w:val=\"h1\"/><w:numPr><w:numId w:val=\"0\"/></w:numPr>");
        let mut labels = Vec::new();
        for xml in [&h1, &h2, &h2, &none, &h1] {
            let doc = Document::parse(xml).unwrap();
            labels.push(n.list_of(Some(doc.root_element())).and_then(|(num, l)| n.next(&num, l)));
        }
        // isLgl writes the level above in decimal: 1.1, not 一.1; numId 0 takes the list off.
        let want = [Some("一、"), Some("1.1"), Some("1.2"), None, Some("二、")];
        assert_eq!(labels, want.map(|w| w.map(str::to_owned)));
    }
}
