//! The desk's form over a notice file: what the form shows of each field of the
//! field table, a new file written in the table's order, and an edit that
//! rewrites only the lines of the fields the clerk changed — so a file written by
//! hand keeps its comments, order and formatting, and saving an unchanged form
//! changes no byte.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::content::frontmatter;
use crate::schema::{self, FIELDS};

/// A field's value as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Text(String),
    List(Vec<String>),
}

impl FieldValue {
    /// Nothing written: an empty text or list is the same as no field.
    fn is_empty(&self) -> bool {
        match self {
            FieldValue::Text(t) => t.trim().is_empty(),
            FieldValue::List(items) => items.iter().all(|i| i.trim().is_empty()),
        }
    }

    /// Surrounding blanks and empty list items dropped (what a form may add).
    fn tidy(&self) -> FieldValue {
        match self {
            FieldValue::Text(t) => FieldValue::Text(t.trim().to_owned()),
            FieldValue::List(items) => {
                FieldValue::List(items.iter().map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()).collect())
            }
        }
    }
}

/// What the clerk filled in: the fields by canonical name, and the body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Form {
    #[serde(default)]
    pub fields: BTreeMap<String, FieldValue>,
    #[serde(default)]
    pub body: String,
}

/// A notice file as the form shows it: the editable fields, the fields the form
/// cannot show (a structure, such as `validity_changes`), which it never touches.
#[derive(Debug, Serialize)]
pub struct Opened {
    pub form: Form,
    /// Canonical names of fields kept as written (shown read-only).
    pub kept: Vec<String>,
}

/// The form's view of a notice file. `Err` is why the file cannot be shown in a
/// form (no front matter, YAML that does not parse): it is edited in a text editor.
pub fn open(text: &str) -> Result<Opened, String> {
    let split = Split::of(text).ok_or("the file does not start with a front matter block (---)")?;
    let parsed = frontmatter::parse(text, std::path::Path::new("notice")).map_err(|d| d.message)?;
    let mut form = Form { body: split.body.to_owned(), ..Form::default() };
    let mut kept = Vec::new();
    for raw in parsed.fields {
        let name = schema::lookup(&raw.key).map_or(raw.key.clone(), |f| f.name.to_owned());
        match value_of(&raw.value) {
            Some(v) if !v.is_empty() => {
                form.fields.insert(name, v);
            }
            Some(_) => {}
            None => kept.push(name),
        }
    }
    Ok(Opened { form, kept })
}

/// A scalar or a list of scalars; `None` for what a form field cannot hold.
fn value_of(v: &Value) -> Option<FieldValue> {
    match v {
        Value::Null => Some(FieldValue::Text(String::new())),
        Value::Sequence(items) => {
            items.iter().map(frontmatter::scalar_text).collect::<Option<Vec<_>>>().map(FieldValue::List)
        }
        other => frontmatter::scalar_text(other).map(FieldValue::Text),
    }
}

/// A new notice file: the fields in the field table's order, then the body.
pub fn new_file(form: &Form) -> String {
    let mut out = String::from("---\n");
    for field in FIELDS {
        if let Some(v) = form.fields.get(field.name).filter(|v| !v.is_empty()) {
            out.push_str(&emit(field.name, &v.tidy(), "\n"));
        }
    }
    out.push_str("---\n");
    out.push_str(&form.body);
    out
}

/// `original` with the fields that differ from `form` rewritten (at their place,
/// under the key as written), those emptied removed, those added inserted after
/// the field that precedes them in the table; the body replaced if it changed.
/// The fields named in `absent` are not in the form: they stay as written.
pub fn edit(original: &str, form: &Form, absent: &[&str]) -> Result<String, String> {
    let opened = open(original)?;
    let split = Split::of(original).ok_or("no front matter block")?;
    let eol = if split.lines.first().is_some_and(|l| l.ends_with("\r\n")) { "\r\n" } else { "\n" };
    let mut blocks = blocks(&split.front);
    for field in FIELDS {
        let old = opened.form.fields.get(field.name).map(FieldValue::tidy);
        let new = form.fields.get(field.name).filter(|v| !v.is_empty()).map(FieldValue::tidy);
        if old == new || absent.contains(&field.name) || opened.kept.iter().any(|k| k == field.name) {
            continue;
        }
        let at = blocks.iter().position(|b| b.name.as_deref() == Some(field.name));
        match (at, new) {
            (Some(i), None) => blocks[i].lines.clear(),
            (Some(i), Some(v)) => {
                // The field's own comment lines above stay; the value is rewritten.
                let key = blocks[i].key.clone();
                blocks[i].lines = vec![emit(&key, &v, eol)];
            }
            (None, Some(v)) => {
                let before = FIELDS.iter().take_while(|f| f.name != field.name).map(|f| f.name).collect::<Vec<_>>();
                let after = blocks.iter().rposition(|b| b.name.as_deref().is_some_and(|n| before.contains(&n)));
                let block = Block {
                    name: Some(field.name.to_owned()),
                    key: field.name.to_owned(),
                    lines: vec![emit(field.name, &v, eol)],
                };
                blocks.insert(after.map_or(0, |i| i + 1), block);
            }
            (None, None) => {}
        }
    }
    let mut out = String::with_capacity(original.len() + 256);
    out.push_str(split.lines[0]);
    for b in &blocks {
        for l in &b.lines {
            out.push_str(l);
        }
    }
    out.push_str(split.closing);
    out.push_str(if form.body == split.body { split.body } else { &form.body });
    Ok(out)
}

/// A notice file's lines: the opening `---`, the front matter, the closing line,
/// the body after it.
struct Split<'a> {
    lines: Vec<&'a str>,
    front: Vec<&'a str>,
    closing: &'a str,
    body: &'a str,
}

impl<'a> Split<'a> {
    fn of(text: &'a str) -> Option<Split<'a>> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        if lines.first()?.trim_end() != "---" {
            return None;
        }
        let close = lines.iter().skip(1).position(|l| l.trim_end() == "---")? + 1;
        let body_start: usize = lines[..=close].iter().map(|l| l.len()).sum();
        Some(Split { front: lines[1..close].to_vec(), closing: lines[close], body: &text[body_start..], lines })
    }
}

/// One top-level key of the front matter with its value's lines and the comment
/// and blank lines above it (a block without a key holds lines before the first).
struct Block {
    name: Option<String>,
    key: String,
    lines: Vec<String>,
}

fn blocks(front: &[&str]) -> Vec<Block> {
    let mut out: Vec<Block> = vec![Block { name: None, key: String::new(), lines: Vec::new() }];
    // Comment and blank lines wait: they belong to the next key, unless the
    // value goes on after them.
    let mut waiting: Vec<String> = Vec::new();
    for line in front {
        let starts_key = !line.starts_with([' ', '\t', '-', '#', '\r', '\n']) && line.contains(':');
        let is_gap = line.trim().is_empty() || line.starts_with('#');
        if starts_key {
            let key = line[..line.find(':').unwrap_or(0)].trim().trim_matches(['"', '\'']).to_owned();
            let name = schema::lookup(&key).map(|f| f.name.to_owned()).or(Some(key.clone()));
            // Comments above a field stay above it, in a block of their own.
            if !waiting.is_empty() {
                out.push(Block { name: None, key: String::new(), lines: std::mem::take(&mut waiting) });
            }
            out.push(Block { name, key, lines: vec![(*line).to_owned()] });
        } else if is_gap {
            waiting.push((*line).to_owned());
        } else {
            let last = out.last_mut().expect("one block at least");
            last.lines.append(&mut waiting);
            last.lines.push((*line).to_owned());
        }
    }
    if !waiting.is_empty() {
        out.push(Block { name: None, key: String::new(), lines: waiting });
    }
    out
}

/// `key: value` as YAML, lists one item a line as `gongkai new` writes them.
fn emit(key: &str, value: &FieldValue, eol: &str) -> String {
    match value {
        FieldValue::Text(t) => format!("{key}: {}{eol}", scalar(t)),
        FieldValue::List(items) => {
            let mut s = format!("{key}:{eol}");
            for i in items {
                s.push_str(&format!("  - {}{eol}", scalar(i)));
            }
            s
        }
    }
}

/// A text as a YAML scalar: plain when YAML reads it back as the same text, else
/// double-quoted (JSON's escapes are YAML's).
fn scalar(text: &str) -> String {
    let plain = !text.contains(['\n', '\r', '\t'])
        && serde_yaml::from_str::<BTreeMap<String, Value>>(&format!("k: {text}"))
            .ok()
            .and_then(|m| m.get("k").cloned())
            == Some(Value::String(text.to_owned()));
    if plain { text.to_owned() } else { serde_json::to_string(text).unwrap_or_default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAND: &str = "---\n# 手写的说明\ntitle: 关于某事的通知   # 行尾注释\n发文字号: 通政办发〔2018〕55号\nissuer: 通榆县人民政府办公室\n\n# 主题\ntopics:\n    - 其他\npublished: 2018-08-10\nvalidity_changes:\n  - date: 2019-01-01\n    validity: 有效\n---\n正文。\n";

    fn text(s: &str) -> FieldValue {
        FieldValue::Text(s.into())
    }

    #[test]
    fn an_unchanged_form_changes_no_byte() {
        let opened = open(HAND).unwrap();
        assert_eq!(opened.form.fields["doc_number"], text("通政办发〔2018〕55号"));
        assert_eq!(opened.kept, vec!["validity_changes"]);
        assert_eq!(edit(HAND, &opened.form, &[]).unwrap(), HAND);
        let crlf = HAND.replace('\n', "\r\n");
        assert_eq!(edit(&crlf, &open(&crlf).unwrap().form, &[]).unwrap(), crlf);
    }

    #[test]
    fn a_changed_field_rewrites_only_its_lines() {
        let mut form = open(HAND).unwrap().form;
        form.fields.insert("doc_number".into(), text("通政办发〔2018〕56号"));
        form.fields.insert("genre".into(), text("通知"));
        form.fields.insert("topics".into(), FieldValue::List(vec!["其他".into(), "科技、教育\\教育".into()]));
        form.fields.remove("published");
        let out = edit(HAND, &form, &[]).unwrap();
        assert!(out.contains("发文字号: 通政办发〔2018〕56号\n"), "{out}");
        assert!(
            out.contains("issuer: 通榆县人民政府办公室\ngenre: 通知\n"),
            "after issuer, as the table orders: {out}"
        );
        assert!(
            out.contains("title: 关于某事的通知   # 行尾注释\n# 手写")
                || out.contains("# 手写的说明\ntitle: 关于某事的通知   # 行尾注释\n")
        );
        assert!(out.contains("\n# 主题\ntopics:\n  - 其他\n  - 科技、教育\\教育\n"), "{out}");
        assert!(!out.contains("published"));
        assert!(out.contains("validity_changes:\n  - date: 2019-01-01\n    validity: 有效\n---\n正文。\n"));
    }

    #[test]
    fn values_yaml_would_misread_are_quoted() {
        assert_eq!(scalar("通知"), "通知");
        assert_eq!(scalar("2018-08-10"), "2018-08-10");
        assert_eq!(scalar("2018"), "\"2018\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("# x"), "\"# x\"");
        assert_eq!(scalar("yes"), "yes");
        assert_eq!(scalar("true"), "\"true\"");
        let form = Form { fields: [("title".into(), text("a: b\n第二行"))].into(), body: "x\n".into() };
        let file = new_file(&form);
        assert_eq!(open(&file).unwrap().form.fields["title"], text("a: b\n第二行"));
    }
}
