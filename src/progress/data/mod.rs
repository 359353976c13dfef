//! Data files attached to a notice: indicators with targets and reported values,
//! and milestones. YAML (`yaml`: one file holds everything), CSV (`csv`: one
//! file per table, `…indicators.csv`, `…targets.csv`, `…actuals.csv`,
//! `…milestones.csv`) and workbooks (`workbook`: .xlsx, .xlsm, .xls, .ods, one
//! sheet per table or a wide table) are read into the same model through the same
//! row readers (`table`, `rows`). Every problem names the file, the row or line
//! (for a workbook the sheet and cell), the column and the value.

mod csv;
mod rows;
mod table;
mod value;
pub mod workbook;
mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::progress::period::Period;
use crate::schema::Date;
use crate::text::LineIndex;

pub use value::{ValueRead, read_value};

/// Data files larger than this are refused: a plan's figures fit in far less.
pub const MAX_DATA_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (普及率).
    Higher,
    /// Less is better (辍学率).
    Lower,
    /// The target value itself is wanted.
    Exact,
}

impl Direction {
    pub(super) fn parse(s: &str) -> Option<Direction> {
        match crate::text::simplified(s.trim()).as_str() {
            "higher" | "越高越好" | "↑" | "up" => Some(Direction::Higher),
            "lower" | "越低越好" | "↓" | "down" => Some(Direction::Lower),
            "exact" | "持平" | "=" => Some(Direction::Exact),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Higher => "越高越好",
            Direction::Lower => "越低越好",
            Direction::Exact => "以等于目标为好",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparator {
    #[serde(rename = "≥")]
    AtLeast,
    #[serde(rename = "≤")]
    AtMost,
    #[serde(rename = "=")]
    Exactly,
}

impl Comparator {
    pub fn parse(s: &str) -> Option<Comparator> {
        match crate::text::simplified(s.trim()).as_str() {
            "≥" | ">=" | "以上" | "不低于" | "不少于" | "达到" | "至少" | "≧" => {
                Some(Comparator::AtLeast)
            }
            "≤" | "<=" | "以下" | "不高于" | "不超过" | "控制在以下" | "以内" | "≦" => {
                Some(Comparator::AtMost)
            }
            "=" | "==" | "等于" | "为" => Some(Comparator::Exactly),
            _ => None,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::AtMost => "≤",
            Comparator::Exactly => "=",
        }
    }

    /// Does `value` satisfy "comparator target"? Equality allows for rounding.
    pub fn holds(self, value: f64, target: f64) -> bool {
        let eps = 1e-9 * target.abs().max(1.0);
        match self {
            Comparator::AtLeast => value >= target - eps,
            Comparator::AtMost => value <= target + eps,
            Comparator::Exactly => (value - target).abs() <= eps.max(0.005 * target.abs()),
        }
    }
}

/// A measured value for a period.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub period: Period,
    pub value: f64,
    pub reported: Option<Date>,
    pub source: Option<String>,
    /// Illustrative sample data, not an official figure.
    pub sample: bool,
    /// Read from a value written as approximate (约95%).
    pub approximate: bool,
    /// The value as the data file wrote it (`95%`, `１，２００人`): pages print
    /// this, never a float's digits.
    pub written: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// None when the plan gives no deadline.
    pub period: Option<Period>,
    pub comparator: Comparator,
    pub value: f64,
    /// The wording of the plan.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub unit: String,
    pub direction: Direction,
    pub baseline: Option<Point>,
    pub targets: Vec<Target>,
    /// Reported values, ordered by period: one per period.
    pub actuals: Vec<Point>,
    /// Values a later report for the same period corrected (by `reported` date).
    pub corrected: Vec<Point>,
    /// Data file it was defined in (relative to the notice).
    pub file: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneState {
    Done,
    InProgress,
    NotStarted,
    Unknown,
}

impl MilestoneState {
    pub(super) fn parse(s: &str) -> Option<MilestoneState> {
        match crate::text::simplified(s.trim()).as_str() {
            "done" | "已完成" | "完成" => Some(MilestoneState::Done),
            "in_progress" | "进行中" | "推进中" => Some(MilestoneState::InProgress),
            "not_started" | "未开始" | "未启动" => Some(MilestoneState::NotStarted),
            "unknown" | "未报告" | "" => Some(MilestoneState::Unknown),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MilestoneState::Done => "已完成",
            MilestoneState::InProgress => "进行中",
            MilestoneState::NotStarted => "未开始",
            MilestoneState::Unknown => "未报告",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub task: String,
    pub lead: Option<String>,
    pub co: Vec<String>,
    pub phase: Option<String>,
    pub period: Option<Period>,
    pub due: Option<Date>,
    pub state: MilestoneState,
    pub completed: Option<Date>,
    pub sample: bool,
}

/// Everything the data files of one notice say.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProgressData {
    /// Data files, relative to the notice's folder.
    pub files: Vec<String>,
    pub indicators: Vec<Indicator>,
    pub milestones: Vec<Milestone>,
}

impl ProgressData {
    pub fn has_sample_data(&self) -> bool {
        self.indicators.iter().any(|i| i.actuals.iter().chain(i.baseline.iter()).any(|p| p.sample))
            || self.milestones.iter().any(|m| m.sample)
    }
}

/// Where in a data file a value came from.
#[derive(Debug, Clone)]
struct Loc {
    /// The line; in a workbook, the row of the sheet.
    line: usize,
    /// Column name, or YAML key.
    column: String,
    col_no: Option<usize>,
    /// In a workbook, the sheet and cell people look for: 工作表「实际」, C7.
    cell: Option<workbook::CellRef>,
}

impl Loc {
    fn line(line: usize, column: &str) -> Loc {
        Loc { line, column: column.to_owned(), col_no: None, cell: None }
    }

    /// A message with the sheet and cell after it, when there is one.
    fn message(&self, message: impl Into<String>) -> String {
        let message = message.into();
        match &self.cell {
            Some(cell) => format!("{message} ({cell})"),
            None => message,
        }
    }

    /// Where, for another diagnostic's text: `file:line`, or `file, 工作表「…」, C7`.
    fn place(&self, file: &Path) -> String {
        match &self.cell {
            Some(cell) => format!("{}, {cell}", file.display()),
            None => format!("{}:{}", file.display(), self.line),
        }
    }
}

/// Collects diagnostics for one data file.
struct FileCtx<'a> {
    display: PathBuf,
    text: &'a str,
    lines: LineIndex<'a>,
    diags: &'a mut Vec<Diagnostic>,
}

impl FileCtx<'_> {
    fn error(&mut self, loc: &Loc, message: String, found: &str, expected: &str) {
        let d = Diagnostic::new(Code::ProgressData, &self.display, message);
        self.push(d, loc, found, expected);
    }

    fn warning(&mut self, loc: &Loc, message: String, found: &str, expected: &str) {
        let d = Diagnostic::new(Code::ProgressDoubt, &self.display, message);
        self.push(d, loc, found, expected);
    }

    fn push(&mut self, mut d: Diagnostic, loc: &Loc, found: &str, expected: &str) {
        d.message = loc.message(d.message);
        let mut d = d.at(loc.line, loc.col_no).field(loc.column.clone()).found(found.to_owned()).expected(expected);
        // A workbook has no lines of text to show.
        if loc.cell.is_none() {
            d.source_line = self.lines.line(loc.line).map(str::to_owned);
        }
        self.diags.push(d);
    }
}

/// Parts of a notice's data, before indicators and rows of different files are joined.
#[derive(Default)]
struct Parts {
    indicators: Vec<Row<Indicator>>,
    targets: Vec<Row<Target>>,
    actuals: Vec<Row<Point>>,
    milestones: Vec<Milestone>,
}

impl Parts {
    /// Rows read so far, of every table.
    fn count(&self) -> usize {
        self.indicators.len() + self.targets.len() + self.actuals.len() + self.milestones.len()
    }
}

/// An indicator, a target or a reported value, where it was defined; targets and
/// values are joined to their indicator by its id once every file is read.
struct Row<T> {
    /// The indicator's id.
    indicator: String,
    item: T,
    loc: Loc,
    file: PathBuf,
    /// A unit written in the value (CSV), checked against the indicator's.
    unit: Option<String>,
    /// Where the indicator's id was written, when not at `loc` (a table's cell).
    id_loc: Option<Loc>,
}

/// One data file named in the front matter: as the notice names it, where it
/// is, and the path shown to people.
pub struct DataFile {
    pub name: String,
    pub path: PathBuf,
    pub display: PathBuf,
}

/// Read the data files of one notice; each has been checked to exist inside the
/// notice's folder.
pub fn load(files: &[DataFile]) -> (Option<ProgressData>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut parts = Parts::default();
    for file in files {
        let lower = file.name.to_lowercase();
        if workbook::is_workbook(&lower) {
            let mut ctx =
                FileCtx { display: file.display.clone(), text: "", lines: LineIndex::new(""), diags: &mut diags };
            workbook::parse(&mut ctx, &file.name, &file.path, &mut parts);
            continue;
        }
        let text = match crate::content::read_file(&file.path, &file.display, MAX_DATA_BYTES, "a data file") {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let mut ctx =
            FileCtx { display: file.display.clone(), text: &text, lines: LineIndex::new(&text), diags: &mut diags };
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            yaml::parse(&mut ctx, &file.name, &mut parts);
        } else if lower.ends_with(".csv") {
            let base = file.name.rsplit('/').next().unwrap_or(&file.name);
            csv::parse(&mut ctx, &file.name, base, &mut parts);
        } else {
            diags.push(
                Diagnostic::new(Code::ProgressData, &file.display, "data file is neither YAML, CSV nor a workbook")
                    .found(file.name.clone())
                    .expected("a .yaml, .yml, .csv, .xlsx, .xlsm, .xls or .ods file"),
            );
        }
    }
    let data = assemble(parts, files, &mut diags);
    (data, diags)
}

fn assemble(parts: Parts, files: &[DataFile], diags: &mut Vec<Diagnostic>) -> Option<ProgressData> {
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut first_at: BTreeMap<String, String> = BTreeMap::new();
    for Row { item: ind, loc, file: display, .. } in parts.indicators {
        if ind.id.trim().is_empty() {
            diags.push(
                Diagnostic::new(Code::ProgressData, &display, loc.message("indicator without an id"))
                    .at(loc.line, loc.col_no)
                    .field("id")
                    .expected("a short unique id such as gaokao-rate"),
            );
            continue;
        }
        if let Some(first) = first_at.get(&ind.id) {
            diags.push(
                Diagnostic::new(
                    Code::ProgressData,
                    &display,
                    loc.message(format!("duplicate indicator id `{}`", ind.id)),
                )
                .at(loc.line, loc.col_no)
                .field("id")
                .found(format!("{} — first defined at {first}", ind.id))
                .expected("each indicator id once per notice"),
            );
            continue;
        }
        first_at.insert(ind.id.clone(), loc.place(&display));
        indicators.push(ind);
    }
    let ids: Vec<String> = indicators.iter().map(|i| i.id.clone()).collect();
    let unknown = |id: &str, loc: &Loc, display: &Path| {
        let mut d = Diagnostic::new(Code::ProgressData, display, loc.message(format!("unknown indicator `{id}`")))
            .at(loc.line, loc.col_no)
            .field("indicator")
            .found(id.to_owned())
            .expected("the id of an indicator defined in this notice's data files");
        if let Some(m) = did_you_mean(id, ids.iter().map(String::as_str)) {
            d = d.hint(format!("did you mean `{m}`?"));
        }
        d
    };
    let mixed = |unit_written: &str, ind: &Indicator, loc: &Loc, display: &Path| {
        Diagnostic::new(Code::ProgressData, display, loc.message(format!("mixed units within indicator `{}`", ind.id)))
            .at(loc.line, loc.col_no)
            .field(loc.column.clone())
            .found(unit_written.to_owned())
            .expected(format!("the indicator's unit {}", ind.unit))
    };
    // Rows find their indicator by id in one lookup each, not a scan.
    let by_id: BTreeMap<String, usize> = indicators.iter().enumerate().map(|(k, i)| (i.id.clone(), k)).collect();
    for row in parts.targets {
        match by_id.get(&row.indicator).map(|&k| &mut indicators[k]) {
            None => diags.push(unknown(&row.indicator, row.id_loc.as_ref().unwrap_or(&row.loc), &row.file)),
            Some(ind) => match row.unit {
                Some(u) if u != ind.unit => diags.push(mixed(&u, ind, &row.loc, &row.file)),
                _ => ind.targets.push(row.item),
            },
        }
    }
    // One value per indicator and period; a second one is a correction only when
    // both say when they were reported, else the "latest" would be an accident
    // of the order of rows.
    let mut seen: BTreeMap<(usize, Period), (Loc, PathBuf)> = BTreeMap::new();
    for row in parts.actuals {
        let Some(k) = by_id.get(&row.indicator).copied() else {
            diags.push(unknown(&row.indicator, row.id_loc.as_ref().unwrap_or(&row.loc), &row.file));
            continue;
        };
        let ind = &mut indicators[k];
        if let Some(u) = row.unit.as_ref().filter(|u| **u != ind.unit) {
            diags.push(mixed(u, ind, &row.loc, &row.file));
            continue;
        }
        let key = (k, row.item.period.clone());
        let Some((first_loc, first_file)) = seen.get(&key) else {
            seen.insert(key, (row.loc.clone(), row.file.clone()));
            ind.actuals.push(row.item);
            continue;
        };
        let at = ind.actuals.iter().position(|p| p.period == row.item.period).unwrap_or(0);
        match (ind.actuals[at].reported, row.item.reported) {
            (Some(a), Some(b)) if a != b => {
                let (later, earlier) =
                    if b > a { (row.item, ind.actuals[at].clone()) } else { (ind.actuals[at].clone(), row.item) };
                ind.actuals[at] = later;
                ind.corrected.push(earlier);
            }
            _ => diags.push(
                Diagnostic::new(
                    Code::ProgressData,
                    &row.file,
                    row.loc.message(format!("two values for `{}` in {}", ind.id, row.item.period.label)),
                )
                .at(row.loc.line, row.loc.col_no)
                .field(row.loc.column.clone())
                .found(format!("this row and {} give the same period", first_loc.place(first_file)))
                .expected(
                    "one value per period; or a different `reported` date on each, the later correcting the earlier",
                )
                .hint("delete the value that is wrong, or add the dates the two were reported"),
            ),
        }
    }
    for ind in &mut indicators {
        ind.actuals.sort_by(|a, b| a.period.cmp(&b.period));
        ind.corrected.sort_by(|a, b| a.period.cmp(&b.period).then(a.reported.cmp(&b.reported)));
        ind.targets.sort_by(|a, b| a.period.cmp(&b.period));
    }
    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(ProgressData {
        files: files.iter().map(|f| f.name.clone()).collect(),
        indicators,
        milestones: parts.milestones,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_people_write_them() {
        assert_eq!(read_value("95", Some("%")), ValueRead::Number(95.0));
        assert_eq!(read_value("95%", Some("%")), ValueRead::Number(95.0));
        assert_eq!(read_value("95%以上", Some("%")), ValueRead::Number(95.0));
        assert_eq!(read_value("１，２００人", Some("人")), ValueRead::Number(1200.0));
        assert_eq!(read_value("约95%", Some("%")), ValueRead::Approximate(95.0));
        assert_eq!(read_value("待定", Some("%")), ValueRead::NoData);
        assert_eq!(read_value("—", Some("%")), ValueRead::NoData);
        assert_eq!(read_value("", Some("%")), ValueRead::NoData);
        assert_eq!(read_value("100Mbps", Some("%")), ValueRead::OtherUnit("Mbps".into()));
        assert_eq!(read_value("很多", Some("%")), ValueRead::NotANumber);
        // What no plan's table means is refused as out of range, not printed as noise.
        for text in ["1e307", "1.7e308", "1E-300", "1000000000000000000", "0.0000000001", &"9".repeat(400)] {
            assert_eq!(read_value(text, Some("%")), ValueRead::OutOfRange, "{text}");
        }
        for (text, v) in [("0", 0.0), ("0.5", 0.5), ("999999999999", 999_999_999_999.0), ("-3.25", -3.25)] {
            assert_eq!(read_value(text, Some("%")), ValueRead::Number(v), "{text}");
        }
        assert_eq!(read_value("9五", Some("%")), ValueRead::OtherUnit("五".into()));
    }

    #[test]
    fn comparators() {
        assert_eq!(Comparator::parse("以上"), Some(Comparator::AtLeast));
        assert_eq!(Comparator::parse("<="), Some(Comparator::AtMost));
        assert_eq!(Comparator::parse("约"), None);
        assert!(Comparator::AtMost.holds(0.9, 1.0));
        assert!(!Comparator::AtLeast.holds(94.9, 95.0));
    }
}
