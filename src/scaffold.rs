//! `gongkai new`: a new notice with every field of the schema (`schema::FIELDS`),
//! each with a short comment on what it means, filled where the clerk gave a value.

use std::path::{Component, Path, PathBuf};

use crate::schema::{DocNumber, FIELDS, StartsAs};

pub struct NewNotice {
    /// `notices/2024/plan` (a bundle folder) or `notices/2024/plan.md`; relative to
    /// content/ unless it starts with `content/`.
    pub path: PathBuf,
    pub title: Option<String>,
    pub issuers: Vec<String>,
    pub doc_number: Option<String>,
    /// Today, as the publication date.
    pub today: chrono::NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{} must be a path inside content/, such as notices/2024/plan", .0.display())]
    OutsideContent(PathBuf),
    #[error("--doc-number `{text}`: {message}; expected {expected}")]
    DocNumber { text: String, message: String, expected: String },
    #[error("{} already exists; refusing to overwrite it", .0.display())]
    Exists(PathBuf),
    #[error("cannot create {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// Where the notice goes, relative to the site root.
pub fn target(root: &Path, path: &Path) -> PathBuf {
    let rel = if path.starts_with("content") { path.to_path_buf() } else { Path::new("content").join(path) };
    let file = if rel.extension().is_some_and(|e| e == "md") { rel } else { rel.join("index.md") };
    root.join(file)
}

/// Write the notice; an existing file is never overwritten.
pub fn create(root: &Path, spec: &NewNotice) -> Result<PathBuf, NewError> {
    if spec.path.is_absolute() || spec.path.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(NewError::OutsideContent(spec.path.clone()));
    }
    let doc_number = match &spec.doc_number {
        Some(text) => Some(
            DocNumber::parse(text)
                .map_err(|e| NewError::DocNumber { text: text.clone(), message: e.message, expected: e.expected })?
                .text,
        ),
        None => None,
    };
    let file = target(root, &spec.path);
    if file.exists() {
        return Err(NewError::Exists(file));
    }
    let text = render(spec, doc_number.as_deref());
    let io = |path: &Path, source| NewError::Io { path: path.to_path_buf(), source };
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    // create_new: even a file that appeared a moment ago is not overwritten.
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&file).map_err(|e| io(&file, e))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| io(&file, e))?;
    Ok(file)
}

/// A YAML scalar for a value, quoted when needed.
fn scalar(value: &str) -> String {
    serde_yaml::to_string(value).map(|s| s.trim_end().to_owned()).unwrap_or_default()
}

/// The value `new` writes for a field: the clerk's, else the schema's start.
fn value(spec: &NewNotice, name: &str, starts_as: StartsAs, doc_number: Option<&str>) -> String {
    let given = match name {
        "title" => spec.title.as_deref().map(scalar),
        "doc_number" => doc_number.map(scalar),
        "issuer" => match spec.issuers.as_slice() {
            [] => None,
            [one] => Some(scalar(one)),
            many => {
                Some(format!("\n{}", many.iter().map(|i| format!("  - {}", scalar(i))).collect::<Vec<_>>().join("\n")))
            }
        },
        _ => None,
    };
    given.unwrap_or_else(|| match starts_as {
        StartsAs::Empty | StartsAs::Omitted => String::new(),
        StartsAs::List => "[]".into(),
        StartsAs::Value(v) => v.into(),
        StartsAs::Today => spec.today.format("%Y-%m-%d").to_string(),
    })
}

fn render(spec: &NewNotice, doc_number: Option<&str>) -> String {
    let mut out = String::from("---\n");
    for field in FIELDS.iter().filter(|f| f.starts_as != StartsAs::Omitted) {
        out.push_str(&format!("# {}\n", field.comment));
        let value = value(spec, field.name, field.starts_as, doc_number);
        if value.is_empty() {
            out.push_str(&format!("{}:\n", field.name));
        } else if value.starts_with('\n') {
            out.push_str(&format!("{}:{value}\n", field.name));
        } else {
            out.push_str(&format!("{}: {value}\n", field.name));
        }
    }
    out.push_str("---\n\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_is_valid_yaml_with_every_field() {
        let spec = NewNotice {
            path: "x".into(),
            title: Some("关于印发: 某规划的通知".into()),
            issuers: vec!["甲局".into(), "乙局".into()],
            doc_number: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        };
        let text = render(&spec, Some("通政办发〔2018〕55号"));
        let yaml = text.trim_start_matches("---\n").split("\n---\n").next().unwrap();
        let v: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(v["title"], "关于印发: 某规划的通知");
        assert_eq!(v["issuer"][1], "乙局");
        assert_eq!(v["published"], "2026-11-23");
        assert_eq!(v["disclosure"], "主动公开");
        for field in FIELDS.iter().filter(|f| f.starts_as != StartsAs::Omitted) {
            assert!(v.get(field.name).is_some(), "template lacks {}", field.name);
        }
    }
}
