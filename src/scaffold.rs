//! `gongkai new`: a new notice with every field of the schema (`schema::FIELDS`),
//! each with a short comment on what it means, filled where the clerk gave a value.

use std::path::{Component, Path, PathBuf};

use crate::schema::{DocNumber, FIELDS, StartsAs};
use crate::targets::{self, Purpose};

pub struct NewNotice {
    /// `notices/2024/plan` (a bundle folder) or `notices/2024/plan.md`; relative to
    /// content/ unless it starts with `content/`.
    pub path: PathBuf,
    pub title: Option<String>,
    pub issuers: Vec<String>,
    pub doc_number: Option<String>,
    /// Today, as the publication date.
    pub today: chrono::NaiveDate,
    /// `--annual-report YEAR`: a 政府信息公开工作年度报告 with its data file.
    pub annual_report: Option<AnnualReport>,
    /// `--data 进展.xlsx`: a workbook for the progress data, beside the notice and
    /// named in its `data:`.
    pub data: Option<String>,
}

/// What `new --annual-report` needs besides the notice.
pub struct AnnualReport {
    pub year: i32,
    /// The catalogue's counts for the year, as comment lines for the clerk to
    /// review (the build fills them into the report itself).
    pub review: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{} must be a path inside content/, such as notices/2024/plan", .0.display())]
    OutsideContent(PathBuf),
    #[error("--doc-number `{text}`: {message}; expected {expected}")]
    DocNumber { text: String, message: String, expected: String },
    #[error("{0}")]
    Refused(String),
    #[error("{} already exists; refusing to overwrite it", .0.display())]
    Exists(PathBuf),
    #[error("an annual report is a folder with its data file: give a folder such as notices/2024/nianbao, not {}", .0.display())]
    ReportNotABundle(PathBuf),
    #[error("--data `{0}`: a workbook's file name ending in .xlsx, such as 进展.xlsx, in the notice's folder")]
    DataName(String),
    #[error("cannot write the workbook {}: {message}", path.display())]
    Workbook { path: PathBuf, message: String },
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
    targets::check(root, &file, Purpose::Notice, "new").map_err(|e| NewError::Refused(e.to_string()))?;
    if spec.annual_report.is_some() && spec.path.extension().is_some_and(|e| e == "md") {
        return Err(NewError::ReportNotABundle(spec.path.clone()));
    }
    if let Some(name) = &spec.data
        && (!name.to_lowercase().ends_with(".xlsx") || name.contains(['/', '\\']) || name.starts_with('.'))
    {
        return Err(NewError::DataName(name.clone()));
    }
    let data_file = file.with_file_name(REPORT_FILE);
    let workbook = spec.data.as_ref().map(|name| file.with_file_name(name));
    let wanted = std::iter::once(&file).chain(spec.annual_report.as_ref().map(|_| &data_file)).chain(workbook.as_ref());
    for f in wanted {
        if f.exists() {
            return Err(NewError::Exists(f.clone()));
        }
    }
    let text = render(spec, doc_number.as_deref());
    let io = |path: &Path, source| NewError::Io { path: path.to_path_buf(), source };
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    // create_new: even a file that appeared a moment ago is not overwritten.
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&file).map_err(|e| io(&file, e))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| io(&file, e))?;
    if let Some(report) = &spec.annual_report {
        let mut f =
            std::fs::OpenOptions::new().write(true).create_new(true).open(&data_file).map_err(|e| io(&data_file, e))?;
        std::io::Write::write_all(&mut f, report_data(report).as_bytes()).map_err(|e| io(&data_file, e))?;
    }
    if let Some(path) = &workbook {
        let bytes = crate::progress::data::workbook::template()
            .map_err(|e| NewError::Workbook { path: path.clone(), message: e.to_string() })?;
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| io(path, e))?;
        std::io::Write::write_all(&mut f, &bytes).map_err(|e| io(path, e))?;
    }
    Ok(file)
}

/// The catalogue's counts of 规章 and 行政规范性文件 for `issuers` in `year`, with
/// the notices counted, for the clerk to review in the new report's data file.
pub fn review(root: &Path, issuers: &[String], year: i32) -> Vec<String> {
    use crate::model::report::{Counted, compute};
    use crate::schema::Issuer;
    let Ok((site, _, _)) = crate::pipeline::site(root, None, None, &crate::progress_bar::Stages::hidden()) else {
        return vec!["（公开目录有错误，未能计算；请运行 gongkai check）".to_owned()];
    };
    let bodies: Vec<Issuer> = issuers.iter().map(Issuer::new).collect();
    let computed = compute(&site.notices, &bodies, year);
    let mut lines = Vec::new();
    for (label, c) in [("规章", &computed.rules), ("行政规范性文件", &computed.normative)] {
        let Counted { issued, repealed, in_force } = c;
        lines.push(format!(
            "{label}：本年制发 {} 件，本年废止 {} 件，现行有效 {} 件",
            issued.len(),
            repealed.len(),
            in_force.len()
        ));
        for (what, ids) in [("本年制发", issued), ("本年废止", repealed), ("现行有效", in_force)] {
            for &id in ids {
                let n = site.get(id);
                let number = n.doc_number.as_ref().map(|d| format!("（{}）", d.text)).unwrap_or_default();
                lines.push(format!("  {what}：{}{number}", n.title));
            }
        }
    }
    lines
}

/// The data file `new --annual-report` writes beside the report.
pub const REPORT_FILE: &str = "report.yaml";

/// The data file: every row of the format at zero (it adds up as it is), with
/// the catalogue's counts above it for review.
fn report_data(report: &AnnualReport) -> String {
    use crate::report::{APPLICATION_ROWS, DECISIONS, REVIEW_GROUPS};
    let mut out = String::from(
        "# 政府信息公开工作年度报告的数据（格式：国办公开办函〔2021〕30号）；说明见 docs/clerk.md。\n# 规章和行政规范性文件的件数不在这里：构建时由公开目录计算。供核对：\n",
    );
    for line in &report.review {
        out.push_str(&format!("#   {line}\n"));
    }
    out.push_str(&format!("year: {}\n\n主动公开:\n", report.year));
    for (key, _) in DECISIONS {
        out.push_str(&format!("  {key}: 0\n"));
    }
    out.push_str("  行政事业性收费: 0   # 万元\n\n# 每行 7 个数：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计\n申请:\n");
    let width = APPLICATION_ROWS.iter().map(|r| r.key.chars().count()).max().unwrap_or(0);
    for row in APPLICATION_ROWS {
        // Keys are Chinese, two columns wide each: pad with ASCII spaces (YAML's).
        let pad = " ".repeat(2 * (width - row.key.chars().count()));
        out.push_str(&format!("  {}:{pad} [0, 0, 0, 0, 0, 0, 0]\n", row.key));
    }
    out.push_str("\n# 每行 5 个数：结果维持、结果纠正、其他结果、尚未审结、总计\n复议诉讼:\n");
    for (key, _) in REVIEW_GROUPS {
        out.push_str(&format!("  {key}: [0, 0, 0, 0, 0]\n"));
    }
    out
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
    let report = spec.annual_report.as_ref();
    let given = given.or_else(|| match (name, report) {
        ("genre", Some(_)) => Some("报告".to_owned()),
        ("form", Some(_)) => Some("年度报告".to_owned()),
        ("annual_report", Some(_)) => Some(REPORT_FILE.to_owned()),
        ("data", _) if spec.data.is_some() => spec.data.as_deref().map(|d| format!("[{}]", scalar(d))),
        ("title", Some(r)) => Some(scalar(&format!(
            "{}{}年政府信息公开工作年度报告",
            spec.issuers.first().map_or("", String::as_str),
            r.year
        ))),
        _ => None,
    });
    given.unwrap_or_else(|| match starts_as {
        StartsAs::Empty | StartsAs::Omitted => String::new(),
        StartsAs::List => "[]".into(),
        StartsAs::Value(v) => v.into(),
        StartsAs::Today => spec.today.format("%Y-%m-%d").to_string(),
    })
}

fn render(spec: &NewNotice, doc_number: Option<&str>) -> String {
    let mut out = String::from("---\n");
    let report = spec.annual_report.is_some();
    for field in FIELDS.iter().filter(|f| f.starts_as != StartsAs::Omitted || (report && f.name == "annual_report")) {
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
    if let Some(r) = &spec.annual_report {
        // The format's six parts; the build puts the tables of 二, 三, 四 after their headings.
        out.push_str(&format!(
            "本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制。报告中所列数据的统计期限自{0}年1月1日起至{0}年12月31日止。\n\n",
            r.year
        ));
        for heading in [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ] {
            out.push_str(&format!("## {heading}\n\n"));
        }
    }
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
            annual_report: None,
            data: Some("进展 2024.xlsx".into()),
        };
        let text = render(&spec, Some("通政办发〔2018〕55号"));
        let yaml = text.trim_start_matches("---\n").split("\n---\n").next().unwrap();
        let v: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(v["title"], "关于印发: 某规划的通知");
        assert_eq!(v["issuer"][1], "乙局");
        assert_eq!(v["published"], "2026-11-23");
        assert_eq!(v["disclosure"], "主动公开");
        assert_eq!(v["data"][0], "进展 2024.xlsx");
        for field in FIELDS.iter().filter(|f| f.starts_as != StartsAs::Omitted) {
            assert!(v.get(field.name).is_some(), "template lacks {}", field.name);
        }
    }
}
