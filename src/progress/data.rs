//! Data files attached to a notice: indicators with targets and reported values,
//! and milestones. YAML (one file holds everything) and CSV (one file per table:
//! `…indicators.csv`, `…targets.csv`, `…actuals.csv`, `…milestones.csv`) are read
//! into the same model. Every problem names the file, the row or line, the column
//! and the value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::config::strip_location;
use crate::content::encoding;
use crate::content::frontmatter::scalar_text;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::fields::Date;
use crate::progress::period::{PERIOD_FORMS, Period, PeriodError};

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
    fn parse(s: &str) -> Option<Direction> {
        match s.trim() {
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
        match s.trim() {
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
    /// Reported values, ordered by period.
    pub actuals: Vec<Point>,
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
    fn parse(s: &str) -> Option<MilestoneState> {
        match s.trim() {
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
    line: usize,
    /// CSV column name, or YAML key.
    column: String,
    col_no: Option<usize>,
}

/// Collects diagnostics for one data file.
struct FileCtx<'a> {
    display: PathBuf,
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl FileCtx<'_> {
    fn error(&mut self, loc: &Loc, message: String, found: &str, expected: &str) {
        let mut d = Diagnostic::error(&self.display, message)
            .at(loc.line, loc.col_no)
            .field(loc.column.clone())
            .found(found.to_owned())
            .expected(expected.to_owned());
        d = d.with_source(self.text);
        self.diags.push(d);
    }

    fn warning(&mut self, loc: &Loc, message: String, found: &str, expected: &str) {
        let d = Diagnostic::warning(&self.display, message)
            .at(loc.line, loc.col_no)
            .field(loc.column.clone())
            .found(found.to_owned())
            .expected(expected.to_owned())
            .with_source(self.text);
        self.diags.push(d);
    }

    fn period(&mut self, loc: &Loc, text: &str) -> Option<Period> {
        match Period::parse(text) {
            Ok(p) => Some(p),
            Err(PeriodError::UnknownForm) => {
                self.error(loc, "unknown period form".into(), text, PERIOD_FORMS);
                None
            }
            Err(PeriodError::Impossible(why)) => {
                self.error(loc, format!("impossible period: {why}"), text, PERIOD_FORMS);
                None
            }
        }
    }

    fn date(&mut self, loc: &Loc, text: &str) -> Option<Date> {
        match Date::parse(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(loc, e.message, text, &e.expected);
                None
            }
        }
    }

    /// Read a number as plans and spreadsheets write it. `Ok(None)` is "no data".
    fn value(&mut self, loc: &Loc, text: &str, unit: Option<&str>) -> Result<Option<(f64, bool)>, ()> {
        match read_value(text, unit) {
            ValueRead::Number(v) => Ok(Some((v, false))),
            ValueRead::Approximate(v) => {
                self.warning(
                    loc,
                    format!("approximate value read as {v}"),
                    text,
                    "an exact number; 约/大约 is dropped",
                );
                Ok(Some((v, true)))
            }
            ValueRead::NoData => Ok(None),
            ValueRead::OtherUnit(u) => {
                let expected = format!("values in the indicator's unit {}", unit.unwrap_or("(none)"));
                self.error(loc, format!("mixed units: value in {u}"), text, &expected);
                Err(())
            }
            ValueRead::NotANumber => {
                self.error(
                    loc,
                    "not a number".into(),
                    text,
                    "a number such as 95 or 95%; 待定, — or an empty cell for no data",
                );
                Err(())
            }
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum ValueRead {
    Number(f64),
    Approximate(f64),
    NoData,
    OtherUnit(String),
    NotANumber,
}

/// "95", "95%", "1,200人", "约95%" (approximate), "待定"/"—"/"" (no data).
pub fn read_value(text: &str, unit: Option<&str>) -> ValueRead {
    let folded: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            '，' | ',' => '\u{0}',
            _ => c,
        })
        .filter(|&c| c != '\u{0}')
        .collect();
    if matches!(folded.as_str(), "" | "待定" | "—" | "——" | "-" | "–" | "暂无" | "无数据" | "N/A" | "n/a")
    {
        return ValueRead::NoData;
    }
    let (approx, rest) = ["大约", "约为", "约", "近"]
        .iter()
        .find_map(|p| folded.strip_prefix(p).map(|r| (true, r)))
        .unwrap_or((false, folded.as_str()));
    let rest = rest.trim();
    let split = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && i == 0)))
        .map_or(rest.len(), |(i, _)| i);
    let (number, suffix) = rest.split_at(split);
    let Ok(v) = number.parse::<f64>() else { return ValueRead::NotANumber };
    if !v.is_finite() {
        return ValueRead::NotANumber;
    }
    let suffix = suffix.trim();
    let suffix = suffix.strip_suffix("以上").or_else(|| suffix.strip_suffix("以下")).unwrap_or(suffix).trim();
    if !suffix.is_empty() && Some(suffix) != unit {
        return if suffix.chars().any(|c| c.is_ascii_digit()) {
            ValueRead::NotANumber
        } else {
            ValueRead::OtherUnit(suffix.to_owned())
        };
    }
    if approx { ValueRead::Approximate(v) } else { ValueRead::Number(v) }
}

// ---------- YAML ----------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    sample: bool,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
    #[serde(default)]
    milestones: Vec<RawMilestone>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: Value,
    name: String,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    baseline: Option<RawPoint>,
    #[serde(default)]
    targets: Vec<RawTarget>,
    #[serde(default)]
    actuals: Vec<RawPoint>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    period: Value,
    value: Value,
    #[serde(default)]
    reported: Option<Value>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    sample: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    #[serde(default)]
    period: Option<Value>,
    #[serde(default)]
    comparator: Option<Value>,
    value: Value,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    task: String,
    #[serde(default)]
    lead: Option<String>,
    #[serde(default)]
    co: Option<Value>,
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    period: Option<Value>,
    #[serde(default)]
    due: Option<Value>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    completed: Option<Value>,
    #[serde(default)]
    sample: Option<bool>,
}

/// serde_yaml keeps no positions below the document, so values are found again
/// in the text: the first line at or after `from` that holds `needle`.
fn find_line(text: &str, from: usize, needle: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.contains(needle))
        .map_or(from.max(1), |(i, _)| i + 1)
}

fn text_of(v: &Value) -> String {
    scalar_text(v).unwrap_or_default()
}

/// Parts of a notice's data, before indicators and rows of different files are joined.
#[derive(Default)]
struct Parts {
    indicators: Vec<(Indicator, Loc, PathBuf)>,
    targets: Vec<(String, Target, Loc, PathBuf, Option<String>)>,
    actuals: Vec<(String, Point, Loc, PathBuf, Option<String>)>,
    milestones: Vec<Milestone>,
}

fn parse_yaml(ctx: &mut FileCtx, rel: &str, parts: &mut Parts) {
    let raw: RawFile = match serde_yaml::from_str(ctx.text) {
        Ok(r) => r,
        Err(e) => {
            let loc = e.location().map_or(Loc { line: 1, column: "yaml".into(), col_no: None }, |l| Loc {
                line: l.line(),
                column: "yaml".into(),
                col_no: Some(l.column()),
            });
            let msg = strip_location(&e.to_string()).to_owned();
            ctx.error(
                &loc,
                format!("invalid data file: {msg}"),
                "",
                "the format described in the README (indicators:, milestones:)",
            );
            return;
        }
    };
    for ind in raw.indicators {
        let id = text_of(&ind.id);
        let line = find_line(ctx.text, 1, &format!("id: {id}"));
        let at = |ctx: &FileCtx, key: &str, needle: &str| Loc {
            line: find_line(ctx.text, line, needle),
            column: key.to_owned(),
            col_no: None,
        };
        let unit = ind.unit.clone().unwrap_or_default();
        let direction = match ind.direction.as_deref() {
            None => Direction::Higher,
            Some(d) => Direction::parse(d).unwrap_or_else(|| {
                let loc = at(ctx, "direction", &format!("direction: {d}"));
                ctx.error(&loc, "unknown direction".into(), d, "higher (越高越好), lower (越低越好) or exact");
                Direction::Higher
            }),
        };
        let _ = ind.note;
        let baseline =
            ind.baseline.and_then(|b| read_point(ctx, &at(ctx, "baseline", "baseline"), b, &unit, raw.sample));
        let indicator = Indicator {
            id: id.clone(),
            name: ind.name,
            group: ind.group,
            unit: unit.clone(),
            direction,
            baseline,
            targets: Vec::new(),
            actuals: Vec::new(),
            file: rel.to_owned(),
        };
        parts.indicators.push((indicator, Loc { line, column: "id".into(), col_no: None }, ctx.display.clone()));
        // Values are searched for below their own list's key, in order.
        let mut cursor = find_line(ctx.text, line, "targets:");
        for t in ind.targets {
            let needle = t.period.as_ref().map(text_of).unwrap_or_else(|| text_of(&t.value));
            cursor = find_line(ctx.text, cursor, &needle);
            let loc = Loc { line: cursor, column: "targets".into(), col_no: None };
            cursor += 1;
            if let Some(target) = read_target(ctx, &TargetLocs::same(&loc), t, &unit) {
                parts.targets.push((id.clone(), target, loc, ctx.display.clone(), None));
            }
        }
        let mut cursor = find_line(ctx.text, line, "actuals:");
        for a in ind.actuals {
            cursor = find_line(ctx.text, cursor, &text_of(&a.period));
            let loc = Loc { line: cursor, column: "actuals".into(), col_no: None };
            cursor += 1;
            if let Some(p) = read_point(ctx, &loc, a, &unit, raw.sample) {
                parts.actuals.push((id.clone(), p, loc, ctx.display.clone(), None));
            }
        }
    }
    for m in raw.milestones {
        let line = find_line(ctx.text, 1, &m.task);
        let loc = Loc { line, column: "milestones".into(), col_no: None };
        let co = match &m.co {
            Some(Value::Sequence(s)) => s.iter().map(text_of).collect(),
            Some(v) => split_list(&text_of(v)),
            None => Vec::new(),
        };
        let fields = MilestoneFields {
            task: m.task,
            lead: m.lead,
            co,
            phase: m.phase,
            period: m.period.as_ref().map(text_of),
            due: m.due.as_ref().map(text_of),
            state: m.state,
            completed: m.completed.as_ref().map(text_of),
            sample: m.sample.unwrap_or(raw.sample),
        };
        if let Some(ms) = read_milestone(ctx, &loc, fields) {
            parts.milestones.push(ms);
        }
    }
}

fn read_point(ctx: &mut FileCtx, loc: &Loc, p: RawPoint, unit: &str, default_sample: bool) -> Option<Point> {
    let period = ctx.period(loc, &text_of(&p.period))?;
    let (value, approximate) = ctx.value(loc, &text_of(&p.value), Some(unit)).ok()??;
    let reported = match &p.reported {
        Some(r) => Some(ctx.date(loc, &text_of(r))?),
        None => None,
    };
    Some(Point { period, value, reported, source: p.source, sample: p.sample.unwrap_or(default_sample), approximate })
}

/// Where each part of a target row is, for diagnostics.
struct TargetLocs {
    period: Loc,
    comparator: Loc,
    value: Loc,
}

impl TargetLocs {
    fn same(loc: &Loc) -> TargetLocs {
        TargetLocs { period: loc.clone(), comparator: loc.clone(), value: loc.clone() }
    }
}

fn read_target(ctx: &mut FileCtx, locs: &TargetLocs, t: RawTarget, unit: &str) -> Option<Target> {
    let period = match &t.period {
        Some(p) if !text_of(p).trim().is_empty() => Some(ctx.period(&locs.period, &text_of(p))?),
        _ => None,
    };
    let comparator = read_comparator(ctx, &locs.comparator, t.comparator.as_ref().map(text_of).as_deref())?;
    let value_text = text_of(&t.value);
    let loc = &locs.value;
    match ctx.value(loc, &value_text, Some(unit)) {
        Ok(Some((value, _))) => Some(Target { period, comparator, value, text: t.text }),
        Ok(None) => {
            ctx.error(loc, "target has no value".into(), &value_text, "the number the plan sets, e.g. 95");
            None
        }
        Err(()) => None,
    }
}

fn read_comparator(ctx: &mut FileCtx, loc: &Loc, text: Option<&str>) -> Option<Comparator> {
    match text {
        None => Some(Comparator::AtLeast),
        Some(c) => Comparator::parse(c).or_else(|| {
            ctx.error(loc, "comparator not understood".into(), c, "≥ (以上, >=), ≤ (以下, <=) or =");
            None
        }),
    }
}

struct MilestoneFields {
    task: String,
    lead: Option<String>,
    co: Vec<String>,
    phase: Option<String>,
    period: Option<String>,
    due: Option<String>,
    state: Option<String>,
    completed: Option<String>,
    sample: bool,
}

fn read_milestone(ctx: &mut FileCtx, loc: &Loc, m: MilestoneFields) -> Option<Milestone> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let period = match nonempty(m.period) {
        Some(p) => Some(ctx.period(loc, &p)?),
        None => None,
    };
    let due = match nonempty(m.due) {
        Some(d) => Some(ctx.date(loc, &d)?),
        None => None,
    };
    let completed = match nonempty(m.completed) {
        Some(d) => Some(ctx.date(loc, &d)?),
        None => None,
    };
    let state_text = m.state.unwrap_or_default();
    let state = match MilestoneState::parse(&state_text) {
        Some(s) => s,
        None => {
            ctx.error(
                loc,
                "unknown milestone state".into(),
                &state_text,
                "done (已完成), in_progress (进行中), not_started (未开始) or unknown",
            );
            return None;
        }
    };
    Some(Milestone {
        task: m.task,
        lead: nonempty(m.lead),
        co: m.co,
        phase: nonempty(m.phase),
        period,
        due,
        state,
        completed,
        sample: m.sample,
    })
}

fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ';', '；', '|']).map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect()
}

// ---------- CSV ----------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CsvKind {
    Indicators,
    Targets,
    Actuals,
    Milestones,
}

impl CsvKind {
    fn of(file_name: &str) -> Option<CsvKind> {
        let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s).to_lowercase();
        [
            ("indicators", CsvKind::Indicators),
            ("targets", CsvKind::Targets),
            ("actuals", CsvKind::Actuals),
            ("milestones", CsvKind::Milestones),
        ]
        .into_iter()
        .find(|(suffix, _)| stem.ends_with(suffix))
        .map(|(_, k)| k)
    }

    fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            CsvKind::Indicators => {
                (&["id", "name", "unit", "direction"], &["group", "baseline_period", "baseline_value", "note"])
            }
            CsvKind::Targets => (&["indicator", "comparator", "value"], &["period", "text", "unit"]),
            CsvKind::Actuals => (&["indicator", "period", "value"], &["reported", "source", "sample", "unit"]),
            CsvKind::Milestones => {
                (&["task", "state"], &["lead", "co", "phase", "period", "due", "completed", "sample"])
            }
        }
    }
}

fn parse_csv(ctx: &mut FileCtx, rel: &str, file_name: &str, parts: &mut Parts) {
    let Some(kind) = CsvKind::of(file_name) else {
        let loc = Loc { line: 1, column: "file name".into(), col_no: None };
        ctx.error(
            &loc,
            "cannot tell what this CSV file holds".into(),
            file_name,
            "a name ending in indicators.csv, targets.csv, actuals.csv or milestones.csv",
        );
        return;
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(ctx.text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim_start_matches('\u{feff}').to_owned()).collect(),
        Err(e) => {
            ctx.error(
                &Loc { line: 1, column: "header".into(), col_no: None },
                format!("unreadable CSV header: {e}"),
                "",
                "a header row",
            );
            return;
        }
    };
    let (required, optional) = kind.columns();
    let mut missing = false;
    for col in required {
        if !headers.iter().any(|h| h == col) {
            let hint = did_you_mean(col, headers.iter().map(String::as_str))
                .map(|m| format!(" (found `{m}`)"))
                .unwrap_or_default();
            ctx.error(
                &Loc { line: 1, column: (*col).to_owned(), col_no: None },
                format!("missing column `{col}`{hint}"),
                &headers.join(","),
                &format!("columns {} (optional: {})", required.join(","), optional.join(",")),
            );
            missing = true;
        }
    }
    for h in &headers {
        if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            let loc = Loc { line: 1, column: h.clone(), col_no: None };
            ctx.warning(
                &loc,
                format!("unknown column `{h}` is ignored"),
                h,
                &format!("columns {} {}", required.join(","), optional.join(",")),
            );
        }
    }
    if missing {
        return;
    }
    let text = ctx.text;
    let idx: BTreeMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                let (found, expected) = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        (format!("{len} fields"), format!("{expected_len} fields, as in the header row"))
                    }
                    _ => (e.to_string(), "a well-formed CSV row".to_owned()),
                };
                ctx.error(&Loc { line, column: "row".into(), col_no: None }, "ragged row".into(), &found, &expected);
                continue;
            }
        };
        let line = record.position().map_or(1, |p| p.line() as usize);
        let get = |col: &str| idx.get(col).and_then(|&i| record.get(i)).map(str::to_owned).filter(|s| !s.is_empty());
        let source_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
        let loc = |col: &str| Loc {
            line,
            column: col.to_owned(),
            col_no: idx.get(col).map(|&i| field_column(source_line, i)),
        };
        match kind {
            CsvKind::Indicators => {
                let id = get("id").unwrap_or_default();
                let unit = get("unit").unwrap_or_default();
                let direction_text = get("direction").unwrap_or_default();
                let direction = Direction::parse(&direction_text).unwrap_or_else(|| {
                    ctx.error(&loc("direction"), "unknown direction".into(), &direction_text, "higher, lower or exact");
                    Direction::Higher
                });
                let baseline = match (get("baseline_period"), get("baseline_value")) {
                    (Some(p), Some(v)) => {
                        let period = ctx.period(&loc("baseline_period"), &p);
                        let value = ctx.value(&loc("baseline_value"), &v, Some(&unit)).ok().flatten();
                        match (period, value) {
                            (Some(period), Some((value, approximate))) => {
                                Some(Point { period, value, reported: None, source: None, sample: false, approximate })
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                };
                let indicator = Indicator {
                    id,
                    name: get("name").unwrap_or_default(),
                    group: get("group"),
                    unit,
                    direction,
                    baseline,
                    targets: Vec::new(),
                    actuals: Vec::new(),
                    file: rel.to_owned(),
                };
                parts.indicators.push((indicator, loc("id"), ctx.display.clone()));
            }
            CsvKind::Targets => {
                let id = get("indicator").unwrap_or_default();
                let raw = RawTarget {
                    period: get("period").map(Value::String),
                    comparator: get("comparator").map(Value::String),
                    value: Value::String(get("value").unwrap_or_default()),
                    text: get("text"),
                };
                let locs = TargetLocs { period: loc("period"), comparator: loc("comparator"), value: loc("value") };
                // Units are checked once the indicator is known.
                if let Some(t) = read_target_unchecked(ctx, &locs, raw) {
                    parts.targets.push((id, t.0, loc("value"), ctx.display.clone(), t.1.or(get("unit"))));
                }
            }
            CsvKind::Actuals => {
                let id = get("indicator").unwrap_or_default();
                let Some(period) = ctx.period(&loc("period"), &get("period").unwrap_or_default()) else { continue };
                let value_text = get("value").unwrap_or_default();
                let (value, approximate, suffix) = match read_value(&value_text, None) {
                    ValueRead::OtherUnit(u) => match read_value(&value_text, Some(&u)) {
                        ValueRead::Number(v) => (v, false, Some(u)),
                        ValueRead::Approximate(v) => (v, true, Some(u)),
                        _ => continue,
                    },
                    _ => match ctx.value(&loc("value"), &value_text, None) {
                        Ok(Some((v, a))) => (v, a, None),
                        _ => continue,
                    },
                };
                if approximate && suffix.is_some() {
                    ctx.warning(
                        &loc("value"),
                        format!("approximate value read as {value}"),
                        &value_text,
                        "an exact number",
                    );
                }
                let reported = match get("reported") {
                    Some(r) => match ctx.date(&loc("reported"), &r) {
                        Some(d) => Some(d),
                        None => continue,
                    },
                    None => None,
                };
                let sample = get("sample").is_some_and(|s| matches!(s.as_str(), "true" | "yes" | "是" | "1" | "示例"));
                let point = Point { period, value, reported, source: get("source"), sample, approximate };
                parts.actuals.push((id, point, loc("value"), ctx.display.clone(), suffix.or(get("unit"))));
            }
            CsvKind::Milestones => {
                let fields = MilestoneFields {
                    task: get("task").unwrap_or_default(),
                    lead: get("lead"),
                    co: get("co").map(|s| split_list(&s)).unwrap_or_default(),
                    phase: get("phase"),
                    period: get("period"),
                    due: get("due"),
                    state: get("state"),
                    completed: get("completed"),
                    sample: get("sample").is_some_and(|s| matches!(s.as_str(), "true" | "yes" | "是" | "1" | "示例")),
                };
                if let Some(m) = read_milestone(ctx, &loc("state"), fields) {
                    parts.milestones.push(m);
                }
            }
        }
    }
}

/// Character column (1-based) where field `index` of a CSV line starts.
fn field_column(line: &str, index: usize) -> usize {
    let mut in_quotes = false;
    let mut field = 0;
    for (col, c) in line.chars().enumerate() {
        if field == index {
            return col + 1;
        }
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => field += 1,
            _ => {}
        }
    }
    line.chars().count() + 1
}

/// A target row whose unit is checked later; returns the unit written in the value.
fn read_target_unchecked(ctx: &mut FileCtx, locs: &TargetLocs, t: RawTarget) -> Option<(Target, Option<String>)> {
    let value_text = text_of(&t.value);
    let unit = match read_value(&value_text, None) {
        ValueRead::OtherUnit(u) => Some(u),
        _ => None,
    };
    read_target(ctx, locs, t, unit.as_deref().unwrap_or("")).map(|target| (target, unit))
}

/// Read the data files of one notice. `files` are relative to `base_dir`; each
/// has been checked to exist inside the notice's folder.
pub fn load(files: &[(String, PathBuf, PathBuf)]) -> (Option<ProgressData>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut parts = Parts::default();
    for (rel, abs, display) in files {
        let bytes = match std::fs::read(abs) {
            Ok(b) => b,
            Err(e) => {
                diags.push(Diagnostic::error(display, format!("cannot read data file: {e}")));
                continue;
            }
        };
        let text = match encoding::decode(&bytes, display) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let mut ctx = FileCtx { display: display.clone(), text: &text, diags: &mut diags };
        let lower = rel.to_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            parse_yaml(&mut ctx, rel, &mut parts);
        } else if lower.ends_with(".csv") {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            parse_csv(&mut ctx, rel, name, &mut parts);
        } else {
            diags.push(
                Diagnostic::error(display, "data file is neither YAML nor CSV")
                    .found(rel.clone())
                    .expected("a .yaml, .yml or .csv file"),
            );
        }
    }
    let data = assemble(parts, files, &mut diags);
    (data, diags)
}

fn assemble(parts: Parts, files: &[(String, PathBuf, PathBuf)], diags: &mut Vec<Diagnostic>) -> Option<ProgressData> {
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut first_at: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
    for (ind, loc, display) in parts.indicators {
        if ind.id.trim().is_empty() {
            diags.push(
                Diagnostic::error(&display, "indicator without an id")
                    .at(loc.line, loc.col_no)
                    .field("id")
                    .expected("a short unique id such as gaokao-rate"),
            );
            continue;
        }
        if let Some((file, line)) = first_at.get(&ind.id) {
            diags.push(
                Diagnostic::error(&display, format!("duplicate indicator id `{}`", ind.id))
                    .at(loc.line, loc.col_no)
                    .field("id")
                    .found(format!("{} — first defined at {}:{line}", ind.id, file.display()))
                    .expected("each indicator id once per notice"),
            );
            continue;
        }
        first_at.insert(ind.id.clone(), (display.clone(), loc.line));
        indicators.push(ind);
    }
    let ids: Vec<String> = indicators.iter().map(|i| i.id.clone()).collect();
    let unknown = |id: &str, loc: &Loc, display: &Path| {
        let mut d = Diagnostic::error(display, format!("unknown indicator `{id}`"))
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
        Diagnostic::error(display, format!("mixed units within indicator `{}`", ind.id))
            .at(loc.line, loc.col_no)
            .field(loc.column.clone())
            .found(unit_written.to_owned())
            .expected(format!("the indicator's unit {}", ind.unit))
    };
    for (id, target, loc, display, unit) in parts.targets {
        match indicators.iter_mut().find(|i| i.id == id) {
            None => diags.push(unknown(&id, &loc, &display)),
            Some(ind) => match unit {
                Some(u) if u != ind.unit => diags.push(mixed(&u, ind, &loc, &display)),
                _ => ind.targets.push(target),
            },
        }
    }
    for (id, point, loc, display, unit) in parts.actuals {
        match indicators.iter_mut().find(|i| i.id == id) {
            None => diags.push(unknown(&id, &loc, &display)),
            Some(ind) => match unit {
                Some(u) if u != ind.unit => diags.push(mixed(&u, ind, &loc, &display)),
                _ => ind.actuals.push(point),
            },
        }
    }
    for ind in &mut indicators {
        ind.actuals.sort_by(|a, b| a.period.cmp(&b.period));
        ind.targets.sort_by(|a, b| a.period.cmp(&b.period));
    }
    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(ProgressData {
        files: files.iter().map(|(r, _, _)| r.clone()).collect(),
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
