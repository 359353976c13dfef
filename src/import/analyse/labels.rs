//! The labels of a disclosure platform's catalogue (索引号: … 发文机关: …) and of a
//! web page's information line (来源: … 点击量: …), and the `label: value` pairs of
//! a line that starts with one.

use std::sync::LazyLock;

use regex::Regex;

use crate::schema;

/// The 主送机关 line, when written with its label.
pub(super) static MAIN_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^主\s*送\s*(?:机关|機關)?\s*[:：]\s*(.+)$").expect("pattern"));

fn label_regex(labels: &[&str]) -> Regex {
    let mut sorted: Vec<&str> = labels.to_vec();
    sorted.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
    let alts: Vec<String> = sorted
        .iter()
        .map(|l| l.chars().map(|c| regex::escape(&c.to_string())).collect::<Vec<_>>().join(r"\s*"))
        .collect();
    Regex::new(&format!(r"(?:^|\s)({})\s*[:：]", alts.join("|"))).expect("label pattern")
}

/// Labels of a disclosure platform's catalogue that name no field of the schema
/// (the schema's `web_labels` name the others).
const OTHER_HEADER_LABELS: &[(&str, &str)] = &[
    ("category", "分类"),
    ("other", "废止日期"),
    ("other", "公开时限"),
    ("other", "公开范围"),
    ("other", "所属机构"),
    ("other", "关键词"),
    ("other", "主题词"),
];

/// Labels of the information line of a web page (copy sites, news systems):
/// (field, label, whether the label alone marks the line as page furniture
/// anywhere in the text — the others only before the document starts).
const META_LABELS: &[(&str, &str, bool)] = &[
    ("source", "文章来源", true),
    ("source", "信息来源", true),
    ("source", "稿件来源", true),
    ("source", "来源", false),
    ("source", "來源", false),
    ("author", "作者", false),
    ("author", "发布者", false),
    ("author", "發布者", false),
    ("editor", "责任编辑", true),
    ("editor", "编辑", false),
    ("editor", "編輯", false),
    ("hits", "点击量", true),
    ("hits", "点击数", true),
    ("hits", "點擊量", true),
    ("hits", "浏览次数", true),
    ("hits", "瀏覽次數", true),
    ("hits", "阅读次数", true),
    ("hits", "閱讀次數", true),
    ("hits", "访问次数", true),
    ("hits", "浏览量", true),
    ("hits", "阅读量", true),
    ("time", "发布时间", true),
    ("time", "發布時間", true),
    ("time", "创建时间", true),
    ("time", "創建時間", true),
    ("time", "更新时间", true),
    ("time", "更新時間", true),
    ("time", "时间", false),
    ("time", "時間", false),
    ("time", "日期", false),
    ("size", "字号", false),
];

pub(super) static HEADER_RE: LazyLock<Regex> = LazyLock::new(|| {
    let labels = schema::FIELDS.iter().flat_map(|f| f.web_labels.iter().copied());
    label_regex(&labels.chain(OTHER_HEADER_LABELS.iter().map(|(_, l)| *l)).collect::<Vec<_>>())
});
pub(super) static META_RE: LazyLock<Regex> =
    LazyLock::new(|| label_regex(&META_LABELS.iter().map(|(_, l, _)| *l).collect::<Vec<_>>()));
pub(super) static WS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+").expect("pattern"));

/// The `label: value` pairs of a line that starts with a label; the labels are
/// returned without their inner spaces.
pub(super) fn labelled(line: &str, re: &Regex) -> Option<Vec<(String, String)>> {
    let caps: Vec<regex::Captures> = re.captures_iter(line).collect();
    let first = caps.first()?;
    if first.get(0)?.start() != 0 {
        return None;
    }
    let mut out = Vec::new();
    for (i, c) in caps.iter().enumerate() {
        let label = WS.replace_all(&c[1], "").into_owned();
        let start = c.get(0).map_or(0, |m| m.end());
        let end = caps.get(i + 1).and_then(|n| n.get(0)).map_or(line.len(), |m| m.start());
        out.push((label, line[start..end].trim().to_owned()));
    }
    Some(out)
}

/// The field a catalogue label gives: a schema field's name, `category` or `other`.
pub(super) fn header_key(label: &str) -> &'static str {
    schema::by_web_label(label)
        .map(|f| f.name)
        .or_else(|| OTHER_HEADER_LABELS.iter().find(|(_, l)| *l == label).map(|(k, _)| *k))
        .unwrap_or("other")
}

pub(super) fn meta_entry(label: &str) -> (&'static str, bool) {
    META_LABELS.iter().find(|(_, l, _)| *l == label).map_or(("other", false), |(k, _, s)| (k, *s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_spaces_and_two_per_line() {
        let pairs = labelled("索  引 号: 11220822013601307Q/2018-14393 分  类: 其他 ; 通知", &HEADER_RE).unwrap();
        assert_eq!(
            pairs,
            vec![
                ("索引号".to_owned(), "11220822013601307Q/2018-14393".to_owned()),
                ("分类".to_owned(), "其他 ; 通知".to_owned())
            ]
        );
        let pairs = labelled("标      题：关于印发某规划的通知", &HEADER_RE).unwrap();
        assert_eq!(pairs[0].0, "标题");
        assert!(labelled("为认真贯彻落实…标题:", &HEADER_RE).is_none());
        let meta = labelled("作者:平安区 来源:本站 点击量: 创建时间:2017-11-23", &META_RE).unwrap();
        assert_eq!(meta.len(), 4);
        assert_eq!(meta[3], ("创建时间".to_owned(), "2017-11-23".to_owned()));
    }
}
