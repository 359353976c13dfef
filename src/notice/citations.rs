//! What a notice's text cites — document numbers and 《titles》 — found once, when
//! the text is read (on every core); `model` then only resolves them against the
//! site, so a rebuild does not search every text again.

use std::sync::LazyLock;

use regex::Regex;

use crate::schema::doc_number::{self, Cited};

static CITED_TITLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"《([^《》\n]{2,80})》").expect("pattern"));

/// Titles cited in 《》, with their byte ranges (inside the brackets).
pub fn cited_titles(text: &str) -> Vec<(String, usize, usize)> {
    CITED_TITLE
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| (m.as_str().to_owned(), m.start(), m.end())))
        .collect()
}

/// The title of the document a notice's title embeds, by which a text may cite
/// it: 关于印发《X》的通知, and written without the brackets, 关于印发X的通知 (also
/// 转发, 颁布, 公布), give X.
pub fn embedded_titles(title: &str) -> Vec<String> {
    if title.contains('《') {
        return cited_titles(title).into_iter().map(|(t, _, _)| t).collect();
    }
    ["关于印发", "关于转发", "关于颁布", "关于公布", "印发", "转发"]
        .iter()
        .find_map(|verb| title.split_once(verb).map(|(_, rest)| rest))
        .and_then(|rest| ["的通知", "的通告", "的决定", "的公告"].iter().find_map(|end| rest.strip_suffix(end)))
        .filter(|x| x.chars().count() >= 2)
        .map(|x| vec![x.to_owned()])
        .unwrap_or_default()
}

/// The numbers and titles a text cites, with their byte ranges in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Citations {
    pub numbers: Vec<Cited>,
    pub titles: Vec<(String, usize, usize)>,
}

impl Citations {
    pub fn of(text: &str) -> Citations {
        Citations { numbers: doc_number::cited(text), titles: cited_titles(text) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_embeds_the_document_it_issues() {
        assert_eq!(embedded_titles("某县关于印发《某规划》的通知"), vec!["某规划"]);
        assert_eq!(
            embedded_titles("通榆县人民政府办公室关于印发通榆县推进县域义务教育优质均衡发展规划(2018——2020)的通知"),
            vec!["通榆县推进县域义务教育优质均衡发展规划(2018——2020)"]
        );
        assert!(embedded_titles("关于做好招生工作的通知").is_empty());
    }

    #[test]
    fn finds_titles_and_numbers() {
        let text = "按照《吉林省事业单位人员公开招聘暂行办法》(吉人联字〔2005〕42号)要求";
        let c = Citations::of(text);
        assert_eq!(c.titles[0].0, "吉林省事业单位人员公开招聘暂行办法");
        assert_eq!(c.numbers[0].written, "吉人联字〔2005〕42号");
        assert_eq!(&text[c.numbers[0].start..c.numbers[0].end], c.numbers[0].written);
    }
}
