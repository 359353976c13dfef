//! Organisation names (发文机关, 主送机关 …): recognising a name, and noticing a
//! name that has foreign text spliced into it — the mark of a hacked web page
//! (sample 003: 海东市77365体育在线办公室).

/// Endings of organisation names. A name is recognised by its last word.
const SUFFIXES: &[&str] = &[
    "办公室",
    "辦公室",
    "政府",
    "委员会",
    "委員會",
    "领导小组",
    "領導小組",
    "局",
    "厅",
    "廳",
    "委",
    "办",
    "辦",
    "部",
    "院",
    "署",
    "中心",
    "处",
    "處",
    "科",
    "所",
    "站",
    "队",
    "隊",
    "校",
    "党组",
    "黨組",
    "公司",
    "集团",
    "集團",
    "会",
    "會",
    "馆",
    "館",
    "社",
];

/// Endings that mark a government body strongly enough to cut a title that has no
/// 关于 after it: 市政辦教育工作創新意見 → 市政辦.
const STRONG_SUFFIXES: &[&str] = &["办公室", "辦公室", "政府", "委员会", "委員會", "局", "厅", "廳", "委", "办", "辦"];

/// Words of gambling and spam sites that have no place in the name of a public body.
const SPAM_WORDS: &[&str] = &[
    "体育在线",
    "體育在線",
    "娱乐",
    "娛樂",
    "彩票",
    "博彩",
    "棋牌",
    "官网",
    "官網",
    "赌场",
    "賭場",
    "赌博",
    "賭博",
    "百家乐",
    "百家樂",
    "时时彩",
    "時時彩",
    "六合彩",
    "威尼斯人",
    "葡京",
    "投注",
    "下注",
    "彩金",
    "注册送",
    "註冊送",
    "开户送",
    "電子遊藝",
    "电子游艺",
    "老虎机",
];

/// 福利彩票 and 体育彩票 are real public bodies' business, not spam.
const SPAM_EXCEPTIONS: &[&str] = &["福利彩票", "体育彩票", "體育彩票"];

fn is_foreign_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// The foreign runs spliced into a name: Latin letters or digits, and spam words,
/// adjacent ones merged (`77365体育在线`). Empty when the name looks sound.
pub fn foreign_parts(name: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    // Latin letters and digits.
    let mut i = 0;
    while i < chars.len() {
        if is_foreign_char(chars[i].1) {
            let start = chars[i].0;
            while i < chars.len() && is_foreign_char(chars[i].1) {
                i += 1;
            }
            let end = chars.get(i).map_or(name.len(), |c| c.0);
            spans.push((start, end));
        } else {
            i += 1;
        }
    }
    // Spam words.
    for word in SPAM_WORDS {
        for (pos, _) in name.match_indices(word) {
            let excepted = SPAM_EXCEPTIONS
                .iter()
                .any(|ex| name.match_indices(ex).any(|(p, _)| p <= pos && pos + word.len() <= p + ex.len()));
            if !excepted {
                spans.push((pos, pos + word.len()));
            }
        }
    }
    spans.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged.into_iter().map(|(s, e)| name[s..e].to_owned()).collect()
}

/// The name with its foreign runs taken out, to judge what kind of name it is.
fn cleaned(name: &str) -> String {
    let mut out = name.to_owned();
    for part in foreign_parts(name) {
        out = out.replace(&part, "");
    }
    out
}

/// Whether one token (no spaces) reads as the name of an organisation.
pub fn is_org_name(token: &str) -> bool {
    let n = token.chars().count();
    if !(3..=40).contains(&n) || token.contains("关于") || token.contains("關於") {
        return false;
    }
    if token.chars().any(|c| "。；;，,：:！？!?“”\"《》".contains(c)) {
        return false;
    }
    let clean = cleaned(token);
    clean.chars().count() >= 2
        && clean.chars().all(|c| crate::text::is_han(c) || "()（）·".contains(c))
        && SUFFIXES.iter().any(|s| clean.ends_with(s))
}

/// The organisation names of a line that holds nothing else (a signature, or the
/// issuers above a title), split at spaces. `None` when the line has other text.
pub fn org_line(line: &str) -> Option<Vec<String>> {
    let tokens: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    if !tokens.is_empty() && tokens.iter().all(|t| is_org_name(t)) { Some(tokens) } else { None }
}

/// The leading organisation name of a title that has no 关于, if it ends in a strong
/// government suffix: the longest such prefix that leaves some title behind.
pub fn title_prefix_org(title: &str) -> Option<String> {
    let chars: Vec<char> = title.chars().collect();
    let max = chars.len().saturating_sub(2).min(25);
    let mut best = None;
    for end in 2..=max {
        let prefix: String = chars[..end].iter().collect();
        if STRONG_SUFFIXES.iter().any(|s| prefix.ends_with(s)) && prefix.chars().all(crate::text::is_han) {
            best = Some(prefix);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spliced_names_are_noticed() {
        assert_eq!(foreign_parts("海东市77365体育在线办公室"), vec!["77365体育在线"]);
        assert!(foreign_parts("中共海东市平安区委办公室").is_empty());
        assert!(foreign_parts("通榆县福利彩票发行中心").is_empty());
        assert_eq!(foreign_parts("某县bet365教育局"), vec!["bet365"]);
    }

    #[test]
    fn names_and_lines() {
        assert!(is_org_name("通榆县人民政府办公室"));
        assert!(is_org_name("海东市77365体育在线办公室"));
        assert!(!is_org_name("2017年11月22日"));
        assert_eq!(
            org_line("中共海东市平安区委办公室 海东市77365体育在线办公室").unwrap(),
            vec!["中共海东市平安区委办公室", "海东市77365体育在线办公室"]
        );
        assert!(org_line("各有关部门:").is_none());
        assert_eq!(title_prefix_org("市政辦教育工作創新意見").as_deref(), Some("市政辦"));
        assert_eq!(title_prefix_org("通榆县人民政府办公室教育工作要点").as_deref(), Some("通榆县人民政府办公室"));
    }
}
