//! `gongkai new`: a new notice with every field of the schema, each with a short
//! comment on what it means, filled where the clerk gave a value.

use std::path::{Path, PathBuf};

use crate::model::fields::DocNumber;

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

/// Where the notice goes, relative to the site root.
pub fn target(root: &Path, path: &Path) -> PathBuf {
    let rel = if path.starts_with("content") { path.to_path_buf() } else { Path::new("content").join(path) };
    let file = if rel.extension().is_some_and(|e| e == "md") { rel } else { rel.join("index.md") };
    root.join(file)
}

/// Write the notice. Errors are messages for the clerk; an existing file is never
/// overwritten.
pub fn create(root: &Path, spec: &NewNotice) -> Result<PathBuf, String> {
    if spec.path.is_absolute() || spec.path.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
        return Err(format!("{} must be a path inside content/, such as notices/2024/plan", spec.path.display()));
    }
    let doc_number = match &spec.doc_number {
        Some(text) => Some(
            DocNumber::parse(text)
                .map_err(|e| format!("--doc-number `{text}`: {}; expected {}", e.message, e.expected))?
                .text,
        ),
        None => None,
    };
    let file = target(root, &spec.path);
    if file.exists() {
        return Err(format!("{} already exists; refusing to overwrite it", file.display()));
    }
    let text = render(spec, doc_number.as_deref());
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // create_new: even a file that appeared a moment ago is not overwritten.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .map_err(|e| format!("cannot create {}: {e}", file.display()))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(file)
}

/// A YAML scalar for a value, quoted when needed.
fn scalar(value: &str) -> String {
    serde_yaml::to_string(value).map(|s| s.trim_end().to_owned()).unwrap_or_default()
}

fn render(spec: &NewNotice, doc_number: Option<&str>) -> String {
    let opt = |v: Option<&str>| v.map(scalar).unwrap_or_default();
    let issuer = match spec.issuers.as_slice() {
        [] => String::new(),
        [one] => scalar(one),
        many => format!("\n{}", many.iter().map(|i| format!("  - {}", scalar(i))).collect::<Vec<_>>().join("\n")),
    };
    let fields: Vec<(&str, String, &str)> = vec![
        ("title", opt(spec.title.as_deref()), "标题（必填）：发文机关 + 关于 + 事由 + 的 + 文种"),
        ("doc_number", opt(doc_number), "发文字号：机关代字〔年份〕序号号，如 通政办发〔2018〕55号"),
        ("index_number", String::new(), "索引号：按本站 site.yaml 规定的格式"),
        ("issuer", issuer, "发文机关（必填）：全称；联合发文写成列表，主办机关在前"),
        ("genre", String::new(), "文种：决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要"),
        ("form", String::new(), "体裁：规划、方案、行动计划、办法、细则、要点……"),
        ("topics", "[]".into(), "主题分类：一级或两级，两级用 \\ 分隔，如 科技、教育\\教育"),
        ("written", String::new(), "成文日期：落款下的日期，YYYY-MM-DD"),
        ("published", spec.today.format("%Y-%m-%d").to_string(), "发布日期（必填），YYYY-MM-DD"),
        ("recipients", "[]".into(), "主送机关：标题后以冒号结尾的那一行"),
        ("cc", "[]".into(), "抄送机关"),
        ("printed", String::new(), "印发机关和印发日期，如 某某县人民政府办公室 2018年9月3日印发"),
        ("note", String::new(), "附注，如 此件公开发布；也可写编辑说明"),
        ("period", String::new(), "实施期限，如 2018–2020"),
        ("validity", String::new(), "有效性：有效 / 失效 / 废止"),
        ("effective", String::new(), "生效日期，YYYY-MM-DD"),
        ("expires", String::new(), "失效日期，YYYY-MM-DD（到期后自动显示为失效）"),
        ("validity_changes", "[]".into(), "有效性变更：如 - {date: 2021-01-01, validity: 废止}"),
        ("amends", "[]".into(), "本文件修改的文件（发文字号）"),
        ("supersedes", "[]".into(), "本文件替代的文件（发文字号）"),
        ("repeals", "[]".into(), "本文件废止的文件（发文字号）"),
        ("interprets", "[]".into(), "本文件解读的政策文件（发文字号），用于政策解读"),
        ("disclosure", "主动公开".into(), "公开属性：主动公开 / 依申请公开 / 不予公开（只有主动公开的文件会发布）"),
        ("classification", "非涉密".into(), "密级：公开网站只能放非涉密文件，涉密文件不得放入 content/"),
        ("attachments", "[]".into(), "附件：每项写 file（本文件夹内的文件名）和 title"),
        ("data", "[]".into(), "数据文件（目标进展）：如 [progress.yaml]，格式见 README"),
    ];
    let mut out = String::from("---\n");
    for (key, value, comment) in fields {
        out.push_str(&format!("# {comment}\n"));
        if value.is_empty() {
            out.push_str(&format!("{key}:\n"));
        } else if value.starts_with('\n') {
            out.push_str(&format!("{key}:{value}\n"));
        } else {
            out.push_str(&format!("{key}: {value}\n"));
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
        for (field, _, _) in crate::model::notice::FIELDS.iter().filter(|(f, _, _)| !matches!(*f, "slug" | "lang")) {
            assert!(v.get(*field).is_some(), "template lacks {field}");
        }
    }
}
