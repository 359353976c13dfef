//! 政府信息公开工作年度报告: the national format (国办公开办函〔2021〕30号,
//! 《中华人民共和国政府信息公开工作年度报告格式》) and the data file of the numbers the
//! catalogue cannot know — applications, 复议 and 诉讼, 许可/处罚/强制 decisions and
//! fees. The numbers the catalogue does know (规章 and 行政规范性文件 issued, repealed
//! and in force) are computed in `model::report`, never typed.
//!
//! The data file is YAML, one documented shape (docs/clerk.md, "Annual report"):
//! every cell named, whole non-negative numbers (fees in 万元 may have decimals),
//! and the format's own arithmetic checked — each 总计 the sum of its parts, and
//! 本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理 in every column.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_yaml::{Mapping, Value};

use crate::content::frontmatter::scalar_text;
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::text::LineIndex;

/// The largest count a cell may hold: far beyond any body's year, and small enough
/// that the format's sums stay exact.
pub const MAX_COUNT: u64 = 999_999_999;

/// Files larger than this are refused: a report's numbers fit in a few KB.
pub const MAX_BYTES: u64 = 256 * 1024;

/// The applicant columns of table 三, in the format's order; the last is 总计.
pub const APPLICANTS: [&str; 7] = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

/// One row of table 三: its key in the data file, its label in the format, and
/// the heading it sits under (the format's merged cells).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RowDef {
    pub key: &'static str,
    pub label: &'static str,
    pub group: &'static str,
}

const fn row(key: &'static str, label: &'static str, group: &'static str) -> RowDef {
    RowDef { key, label, group }
}

/// The rows of table 三 that carry numbers, in the format's order.
pub const APPLICATION_ROWS: &[RowDef] = &[
    row("本年新收", "一、本年新收政府信息公开申请数量", ""),
    row("上年结转", "二、上年结转政府信息公开申请数量", ""),
    row("予以公开", "（一）予以公开", "三、本年度办理结果"),
    row("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "三、本年度办理结果"),
    row("属于国家秘密", "1.属于国家秘密", "（三）不予公开"),
    row("其他法律行政法规禁止公开", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    row("危及三安全一稳定", "3.危及“三安全一稳定”", "（三）不予公开"),
    row("保护第三方合法权益", "4.保护第三方合法权益", "（三）不予公开"),
    row("属于三类内部事务信息", "5.属于三类内部事务信息", "（三）不予公开"),
    row("属于四类过程性信息", "6.属于四类过程性信息", "（三）不予公开"),
    row("属于行政执法案卷", "7.属于行政执法案卷", "（三）不予公开"),
    row("属于行政查询事项", "8.属于行政查询事项", "（三）不予公开"),
    row("本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    row("没有现成信息需要另行制作", "2.没有现成信息需要另行制作", "（四）无法提供"),
    row("补正后申请内容仍不明确", "3.补正后申请内容仍不明确", "（四）无法提供"),
    row("信访举报投诉类申请", "1.信访举报投诉类申请", "（五）不予处理"),
    row("重复申请", "2.重复申请", "（五）不予处理"),
    row("要求提供公开出版物", "3.要求提供公开出版物", "（五）不予处理"),
    row("无正当理由大量反复申请", "4.无正当理由大量反复申请", "（五）不予处理"),
    row("要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    row("申请人逾期不补正", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    row(
        "申请人逾期未缴纳费用",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
    ),
    row("其他处理的其他情形", "3.其他", "（六）其他处理"),
    row("办理结果总计", "（七）总计", "三、本年度办理结果"),
    row("结转下年度继续办理", "四、结转下年度继续办理", ""),
];

const NEW: usize = 0;
const CARRIED_IN: usize = 1;
/// 予以公开 … 其他处理的其他情形: the results that add up to 办理结果总计.
const RESULTS: std::ops::Range<usize> = 2..23;
const RESULTS_TOTAL: usize = 23;
const CARRIED_OUT: usize = 24;

/// The columns of each group of table 四; the last is 总计.
pub const OUTCOMES: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
/// The three groups of table 四.
pub const REVIEW_GROUPS: [(&str, &str); 3] = [
    ("行政复议", "行政复议"),
    ("未经复议直接起诉", "行政诉讼：未经复议直接起诉"),
    ("复议后起诉", "行政诉讼：复议后起诉"),
];

/// The counts of 第二十条第（五）（六）项 and the fees of 第（八）项.
pub const DECISIONS: [(&str, &str); 3] = [("行政许可", "（五）"), ("行政处罚", "（六）"), ("行政强制", "（六）")];

/// An annual report's data file, checked.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// The file, relative to the notice's folder.
    pub file: String,
    /// The path shown in messages.
    #[serde(skip)]
    pub display: PathBuf,
    pub year: i32,
    /// Marked as example data (shown on the page).
    pub sample: bool,
    /// 行政许可, 行政处罚, 行政强制: 本年处理决定数量.
    pub decisions: [u64; 3],
    /// 行政事业性收费, 万元, as written.
    pub fees: String,
    /// Table 三, one row of `APPLICANTS` columns per `APPLICATION_ROWS`.
    pub applications: Vec<[u64; 7]>,
    /// Table 四, one row of `OUTCOMES` per `REVIEW_GROUPS`.
    pub reviews: [[u64; 5]; 3],
}

/// Read and check a data file. `None` with errors.
pub fn load(name: &str, path: &Path, display: &Path) -> (Option<ReportData>, Vec<Diagnostic>) {
    let too_big = std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_BYTES);
    if too_big {
        return (
            None,
            vec![
                Diagnostic::new(Code::AnnualReport, display, "annual report data file is too large")
                    .expected(format!("a file of at most {} KB: the numbers of one report", MAX_BYTES / 1024)),
            ],
        );
    }
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return (None, vec![Diagnostic::new(Code::AnnualReport, display, format!("cannot read: {e}"))]),
    };
    // The format's words (主动公开, 申请, 予以公开 …) in either script: a Traditional
    // site's clerk writes 主動公開. Only numbers follow them, so the whole text is
    // read folded (a character for a character, so lines and columns stay).
    // 覆 is Simplified too, so folding leaves 反覆 (the Traditional of 反复) as it is.
    let text = crate::text::simplified(&text).replace("反覆", "反复");
    let mut reader = Reading { display, lines: LineIndex::new(&text), text: &text, diags: Vec::new() };
    let data = reader.file(name, &text);
    let errors = reader.diags.iter().any(Diagnostic::is_error);
    (data.filter(|_| !errors), reader.diags)
}

struct Reading<'a> {
    display: &'a Path,
    text: &'a str,
    lines: LineIndex<'a>,
    diags: Vec<Diagnostic>,
}

impl Reading<'_> {
    /// The first line that starts with `key:` after line `after` (keys of the
    /// format are unique in the file, so this is the key's own line).
    fn line_of(&self, key: &str, after: usize) -> usize {
        let mut line = after.max(1);
        while let Some(l) = self.lines.line(line) {
            let t = l.trim_start().trim_start_matches("- ");
            if t.starts_with(&format!("{key}:")) || t.starts_with(&format!("\"{key}\":")) {
                return line;
            }
            line += 1;
        }
        after.max(1)
    }

    fn error(&mut self, line: usize, message: String, found: String, expected: String) {
        let d =
            Diagnostic::new(Code::AnnualReport, self.display, message).at(line, None).found(found).expected(expected);
        self.diags.push(d.with_source(self.text));
    }

    fn file(&mut self, name: &str, text: &str) -> Option<ReportData> {
        let root: Value = match serde_yaml::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let line = e.location().map_or(1, |l| l.line());
                self.error(
                    line,
                    "annual report data is not valid YAML".into(),
                    crate::diagnostics::strip_location(&e.to_string()).to_owned(),
                    "the shape in docs/clerk.md (year, 主动公开, 申请, 复议诉讼)".into(),
                );
                return None;
            }
        };
        let Some(map) = root.as_mapping() else {
            self.error(
                1,
                "annual report data is not a mapping".into(),
                describe(&root),
                "`year: 2023` and the tables".into(),
            );
            return None;
        };
        self.unknown_keys(map, &["year", "sample", "主动公开", "申请", "复议诉讼"], 1);
        let year = match map.get("year").and_then(Value::as_i64) {
            Some(y) if (1990..=2200).contains(&y) => Some(y as i32),
            other => {
                let line = self.line_of("year", 1);
                self.error(
                    line,
                    "year of the report missing or impossible".into(),
                    other.map_or("nothing".into(), |y| y.to_string()),
                    "`year: 2023`, the calendar year the report covers".into(),
                );
                None
            }
        };
        let sample = map.get("sample").and_then(Value::as_bool).unwrap_or(false);
        let (decisions, fees) = self.proactive(map.get("主动公开"));
        let applications = self.applications(map.get("申请"));
        let reviews = self.reviews(map.get("复议诉讼"));
        Some(ReportData {
            file: name.to_owned(),
            display: self.display.to_path_buf(),
            year: year?,
            sample,
            decisions,
            fees,
            applications,
            reviews,
        })
    }

    fn unknown_keys(&mut self, map: &Mapping, known: &[&'static str], after: usize) {
        for key in map.keys() {
            let k = scalar_text(key).unwrap_or_default();
            if !known.contains(&k.as_str()) {
                let line = self.line_of(&k, after);
                let mut expected = format!("one of {}", known.join(", "));
                if let Some(m) = did_you_mean(&k, known.iter().copied()) {
                    expected = format!("{expected} (did you mean `{m}`?)");
                }
                self.error(line, format!("unknown entry `{k}` in the annual report data"), k, expected);
            }
        }
    }

    fn section<'v>(&mut self, value: Option<&'v Value>, key: &str) -> Option<&'v Mapping> {
        match value.and_then(Value::as_mapping) {
            Some(m) => Some(m),
            None => {
                let line = self.line_of(key, 1);
                self.error(
                    line,
                    format!("table `{key}` missing from the annual report data"),
                    value.map_or("nothing".into(), describe),
                    format!("`{key}:` with its rows, as in docs/clerk.md"),
                );
                None
            }
        }
    }

    /// A whole non-negative number in a cell, at most `MAX_COUNT`, so that no sum of
    /// the format's cells can overflow (a huge count would wrap round and pass
    /// every check).
    fn count(&mut self, value: Option<&Value>, line: usize, cell: &str) -> u64 {
        match value {
            Some(Value::Number(n)) if n.as_u64().is_some_and(|c| c <= MAX_COUNT) => n.as_u64().unwrap_or(0),
            Some(Value::Number(n)) if n.as_u64().is_some() => {
                self.error(
                    line,
                    format!("{cell}: more than any body handles in a year"),
                    n.to_string(),
                    format!("a count of at most {MAX_COUNT}"),
                );
                0
            }
            other => {
                self.error(
                    line,
                    format!("{cell}: not a whole number of zero or more"),
                    other.map_or("nothing".into(), describe),
                    "a count such as 0 or 12".into(),
                );
                0
            }
        }
    }

    fn proactive(&mut self, value: Option<&Value>) -> ([u64; 3], String) {
        let mut decisions = [0; 3];
        let mut fees = String::from("0");
        let Some(map) = self.section(value, "主动公开") else { return (decisions, fees) };
        let start = self.line_of("主动公开", 1);
        let mut known: Vec<&'static str> = DECISIONS.iter().map(|d| d.0).collect();
        known.push("行政事业性收费");
        self.unknown_keys(map, &known, start);
        for (i, (key, _)) in DECISIONS.iter().enumerate() {
            let line = self.line_of(key, start);
            decisions[i] = self.count(map.get(*key), line, &format!("主动公开 / {key}"));
        }
        let line = self.line_of("行政事业性收费", start);
        match map.get("行政事业性收费") {
            Some(Value::Number(n)) if n.as_f64().is_some_and(|f| (0.0..1e9).contains(&f)) => {
                fees = scalar_text(&Value::Number(n.clone())).unwrap_or_default();
            }
            other => self.error(
                line,
                "主动公开 / 行政事业性收费: not an amount in 万元".into(),
                other.map_or("nothing".into(), describe),
                "an amount of zero or more, in 万元, such as 0 or 12.5".into(),
            ),
        }
        (decisions, fees)
    }

    fn applications(&mut self, value: Option<&Value>) -> Vec<[u64; 7]> {
        let rows = APPLICATION_ROWS;
        let mut out = vec![[0u64; 7]; rows.len()];
        let Some(map) = self.section(value, "申请") else { return out };
        let start = self.line_of("申请", 1);
        let keys: Vec<&'static str> = rows.iter().map(|r| r.key).collect();
        self.unknown_keys(map, &keys, start);
        let mut complete = true;
        for (i, def) in rows.iter().enumerate() {
            let line = self.line_of(def.key, start);
            let cells = self.cells(map.get(def.key), line, &format!("申请 / {}", def.key), &APPLICANTS);
            match cells {
                Some(c) => out[i].copy_from_slice(&c),
                None => complete = false,
            }
        }
        if !complete {
            return out;
        }
        for (i, def) in rows.iter().enumerate() {
            let line = self.line_of(def.key, start);
            let parts: u64 = out[i][..6].iter().sum();
            if parts != out[i][6] {
                self.error(
                    line,
                    format!("申请 / {}: 总计 is not the sum of the applicants' columns", def.key),
                    format!("总计 {} but 自然人 … 其他 add up to {parts}", out[i][6]),
                    "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他".into(),
                );
            }
        }
        let total_line = self.line_of(rows[RESULTS_TOTAL].key, start);
        let out_line = self.line_of(rows[CARRIED_OUT].key, start);
        for (c, column) in APPLICANTS.iter().enumerate() {
            let results: u64 = out[RESULTS].iter().map(|r| r[c]).sum();
            if results != out[RESULTS_TOTAL][c] {
                self.error(
                    total_line,
                    format!("申请 / 办理结果总计, column {column}: not the sum of the results"),
                    format!("{} but 予以公开 … 其他处理 add up to {results}", out[RESULTS_TOTAL][c]),
                    "（七）总计 = （一）+（二）+（三）+（四）+（五）+（六）, every sub-row counted once".into(),
                );
            }
            let received = out[NEW][c] + out[CARRIED_IN][c];
            let handled = out[RESULTS_TOTAL][c] + out[CARRIED_OUT][c];
            if received != handled {
                self.error(
                    out_line,
                    format!("申请, column {column}: 本年新收 + 上年结转 ≠ 办理结果总计 + 结转下年度继续办理"),
                    format!(
                        "{} + {} = {received}, but {} + {} = {handled}",
                        out[NEW][c], out[CARRIED_IN][c], out[RESULTS_TOTAL][c], out[CARRIED_OUT][c]
                    ),
                    "the format's check: 第一项加第二项之和，等于第三项加第四项之和".into(),
                );
            }
        }
        out
    }

    /// A row of `N` named cells: a list in the columns' order, or a mapping by name.
    fn cells<const N: usize>(
        &mut self,
        value: Option<&Value>,
        line: usize,
        row: &str,
        columns: &[&'static str; N],
    ) -> Option<[u64; N]> {
        let mut out = [0u64; N];
        match value {
            Some(Value::Sequence(items)) if items.len() == N => {
                for (c, item) in items.iter().enumerate() {
                    out[c] = self.count(Some(item), line, &format!("{row}, column {}", columns[c]));
                }
            }
            Some(Value::Mapping(m)) => {
                self.unknown_keys(m, columns, line);
                for (c, column) in columns.iter().enumerate() {
                    out[c] = self.count(m.get(*column), line, &format!("{row}, column {column}"));
                }
            }
            other => {
                self.error(
                    line,
                    format!("{row}: not a row of {N} numbers"),
                    other.map_or("nothing".into(), describe),
                    format!("[{}] — {N} counts in this order", columns.join(", ")),
                );
                return None;
            }
        }
        Some(out)
    }

    fn reviews(&mut self, value: Option<&Value>) -> [[u64; 5]; 3] {
        let mut out = [[0u64; 5]; 3];
        let Some(map) = self.section(value, "复议诉讼") else { return out };
        let start = self.line_of("复议诉讼", 1);
        let keys: Vec<&'static str> = REVIEW_GROUPS.iter().map(|g| g.0).collect();
        self.unknown_keys(map, &keys, start);
        for (g, (key, _)) in REVIEW_GROUPS.iter().enumerate() {
            let line = self.line_of(key, start);
            let row = format!("复议诉讼 / {key}");
            if let Some(cells) = self.cells(map.get(*key), line, &row, &OUTCOMES) {
                out[g] = cells;
                let parts: u64 = cells[..4].iter().sum();
                if parts != cells[4] {
                    self.error(
                        line,
                        format!("{row}: 总计 is not the sum of the outcomes"),
                        format!("总计 {} but 结果维持 … 尚未审结 add up to {parts}", cells[4]),
                        "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结".into(),
                    );
                }
            }
        }
        out
    }
}

fn describe(v: &Value) -> String {
    crate::content::frontmatter::describe(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_rows_are_the_ones_between_carried_in_and_the_total() {
        let rows = APPLICATION_ROWS;
        assert_eq!(rows[RESULTS.start].key, "予以公开");
        assert_eq!(rows[RESULTS.end - 1].key, "其他处理的其他情形");
        assert_eq!(rows[RESULTS_TOTAL].label, "（七）总计");
        assert_eq!(rows[CARRIED_OUT].key, "结转下年度继续办理");
        let mut keys: Vec<&str> = rows.iter().map(|r| r.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), rows.len(), "keys are unique, so a key's line is its own");
    }
}
