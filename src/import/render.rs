//! The notice file an import writes: front matter with the values found (and
//! comments naming what is missing), then the body.

use super::{REPORTED, analyse, chinese, required};

/// The YAML scalar for a value, quoted when needed.
pub(super) fn scalar(value: &str) -> String {
    serde_yaml::to_string(value).map(|s| s.trim_end().to_owned()).unwrap_or_else(|_| format!("{value:?}"))
}

/// The notice file, and the values written to it.
/// `source` names what the file was read as (UTF-8, GB18030, Word 文档);
/// `attachments` are (file, title) of the files written beside the notice.
pub(super) fn render(
    a: &analyse::Analysis,
    file_name: &str,
    source: &str,
    attachments: &[(String, String)],
) -> (String, Vec<(String, String)>) {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut fields = String::new();
    let one = |key: &str, value: &Option<String>, fields: &mut String, found: &mut Vec<(String, String)>| {
        if let Some(v) = value {
            fields.push_str(&format!("{key}: {}\n", scalar(v)));
            found.push((key.to_owned(), v.clone()));
        }
    };
    let many = |key: &str, values: &[String], list: bool, fields: &mut String, found: &mut Vec<(String, String)>| {
        match values {
            [] => {}
            [v] if !list => fields.push_str(&format!("{key}: {}\n", scalar(v))),
            vs => {
                fields.push_str(&format!("{key}:\n"));
                for v in vs {
                    fields.push_str(&format!("  - {}\n", scalar(v)));
                }
            }
        }
        for v in values {
            found.push((key.to_owned(), v.clone()));
        }
    };
    one("title", &a.title, &mut fields, &mut found);
    one("doc_number", &a.doc_number, &mut fields, &mut found);
    one("index_number", &a.index_number, &mut fields, &mut found);
    many("issuer", &a.issuers, false, &mut fields, &mut found);
    one("genre", &a.genre, &mut fields, &mut found);
    one("form", &a.form, &mut fields, &mut found);
    many("topics", &a.topics, true, &mut fields, &mut found);
    one("written", &a.written.map(|d| d.to_string()), &mut fields, &mut found);
    one("published", &a.published.map(|d| d.to_string()), &mut fields, &mut found);
    many("recipients", &a.recipients, true, &mut fields, &mut found);
    many("cc", &a.cc, true, &mut fields, &mut found);
    one("printed", &a.printed, &mut fields, &mut found);
    one("period", &a.period, &mut fields, &mut found);
    one("validity", &a.validity, &mut fields, &mut found);
    one("disclosure", &a.disclosure, &mut fields, &mut found);
    one("note", &note_text(a.annotation.as_deref(), &a.notes), &mut fields, &mut found);

    let missing: Vec<(&str, &str)> = REPORTED
        .iter()
        .filter(|f| **f != "note" && !found.iter().any(|(g, _)| g == *f))
        .map(|f| (*f, chinese(f)))
        .collect();
    let mut out = String::from("---\n");
    out.push_str(&format!(
        "# 由 gongkai import 从 {file_name}（{source}）导入；导入报告列出了找到、缺少和受损的字段。\n"
    ));
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|(f, c)| format!("{f}（{c}）")).collect();
        out.push_str(&format!("# 来源没有给出、导入时留空的字段：{}。\n", list.join("、")));
    }
    for (f, c) in missing.iter().filter(|(f, _)| required(f)) {
        out.push_str(&format!("# 缺少必填字段 {f}（{c}）：补全后本通知才能生成。\n"));
    }
    out.push_str(&fields);
    if !attachments.is_empty() {
        out.push_str("attachments:\n");
        for (file, title) in attachments {
            out.push_str(&format!("  - file: {}\n    title: {}\n", scalar(file), scalar(title)));
        }
    }
    out.push_str("---\n\n");
    out.push_str(&a.body);
    (out, found)
}

/// `note`: the document's 附注, then the editor's notes on the source.
pub(super) fn note_text(annotation: Option<&str>, editor: &[String]) -> Option<String> {
    let mut parts: Vec<String> = annotation.into_iter().map(str::to_owned).collect();
    if !editor.is_empty() {
        parts.push(format!("编者注：{}", editor.concat()));
    }
    if parts.is_empty() { None } else { Some(parts.join(" ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_put_the_annotation_first() {
        assert_eq!(note_text(None, &[]), None);
        assert_eq!(
            note_text(Some("此件公开发布"), &["甲。".into(), "乙。".into()]).as_deref(),
            Some("此件公开发布 编者注：甲。乙。")
        );
    }
}
