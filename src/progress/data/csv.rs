//! A data file in CSV: one table per file, told by the end of its name
//! (`…indicators.csv`, `…targets.csv`, `…actuals.csv`, `…milestones.csv`); columns
//! in any order, named in the header row.

use std::collections::BTreeMap;

use super::rows::{self, MilestoneFields, TargetFields, TargetLocs};
use super::{Direction, FileCtx, Indicator, Loc, Parts, Point, Row, ValueRead, read_value};
use crate::diagnostics::did_you_mean;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Indicators,
    Targets,
    Actuals,
    Milestones,
}

impl Kind {
    fn of(file_name: &str) -> Option<Kind> {
        let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s).to_lowercase();
        [
            ("indicators", Kind::Indicators),
            ("targets", Kind::Targets),
            ("actuals", Kind::Actuals),
            ("milestones", Kind::Milestones),
        ]
        .into_iter()
        .find(|(suffix, _)| stem.ends_with(suffix))
        .map(|(_, k)| k)
    }

    /// Required and optional columns.
    fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Kind::Indicators => {
                (&["id", "name", "unit", "direction"], &["group", "baseline_period", "baseline_value", "note"])
            }
            Kind::Targets => (&["indicator", "comparator", "value"], &["period", "text", "unit"]),
            Kind::Actuals => (&["indicator", "period", "value"], &["reported", "source", "sample", "unit"]),
            Kind::Milestones => (&["task", "state"], &["lead", "co", "phase", "period", "due", "completed", "sample"]),
        }
    }
}

/// One row, with where each of its cells is.
struct Record<'r> {
    record: &'r csv::StringRecord,
    columns: &'r BTreeMap<String, usize>,
    line: usize,
    source_line: &'r str,
}

impl Record<'_> {
    /// A cell's text; an empty cell is None.
    fn get(&self, col: &str) -> Option<String> {
        self.columns.get(col).and_then(|&i| self.record.get(i)).map(str::to_owned).filter(|s| !s.is_empty())
    }

    fn loc(&self, col: &str) -> Loc {
        Loc {
            line: self.line,
            column: col.to_owned(),
            col_no: self.columns.get(col).map(|&i| field_column(self.source_line, i)),
        }
    }
}

pub(super) fn parse(ctx: &mut FileCtx, rel: &str, file_name: &str, parts: &mut Parts) {
    let Some(kind) = Kind::of(file_name) else {
        ctx.error(
            &Loc::line(1, "file name"),
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
    let Some(columns) = header(ctx, &mut reader, kind) else { return };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                ragged(ctx, &e);
                continue;
            }
        }
        let line = record.position().map_or(1, |p| p.line() as usize);
        let source_line = ctx.lines.line(line).unwrap_or("");
        let row = Record { record: &record, columns: &columns, line, source_line };
        match kind {
            Kind::Indicators => indicator(ctx, rel, &row, parts),
            Kind::Targets => target(ctx, &row, parts),
            Kind::Actuals => actual(ctx, &row, parts),
            Kind::Milestones => milestone(ctx, &row, parts),
        }
    }
}

/// Every column's Chinese names, as clerks head their spreadsheets (the English
/// name is canonical, as in front matter). A name is looked up only among the
/// columns of its file's kind, so 指标 is the indicator's name in
/// `…indicators.csv` and the indicator it belongs to elsewhere.
pub const COLUMN_ALIASES: &[(&str, &[&str])] = &[
    ("id", &["编号", "指标编号", "代码"]),
    ("name", &["指标", "指标名称", "名称"]),
    ("unit", &["单位", "计量单位"]),
    ("direction", &["方向", "指标方向"]),
    ("group", &["分组", "类别", "领域"]),
    ("baseline_period", &["基期", "基线年度", "基准年"]),
    ("baseline_value", &["基线值", "基期值", "基数"]),
    ("note", &["备注", "说明"]),
    ("indicator", &["指标", "指标编号"]),
    ("comparator", &["比较", "比较符"]),
    ("value", &["值", "数值", "目标值", "实际值"]),
    ("period", &["年度", "年份", "期间", "时期", "学年"]),
    ("text", &["原文", "表述", "目标表述"]),
    ("reported", &["报告日期", "填报日期"]),
    ("source", &["来源", "数据来源"]),
    ("sample", &["示例", "示例数据"]),
    ("task", &["任务", "工作任务"]),
    ("state", &["状态", "进展"]),
    ("lead", &["牵头单位", "责任单位"]),
    ("co", &["配合单位", "协办单位"]),
    ("phase", &["阶段"]),
    ("due", &["完成时限", "截止日期"]),
    ("completed", &["完成日期"]),
];

/// The canonical name of a header among `columns`: itself, or the column it is
/// a Chinese name of.
fn canonical<'c>(header: &str, columns: impl Iterator<Item = &'c &'static str>) -> Option<&'static str> {
    columns
        .copied()
        .find(|&c| c == header || COLUMN_ALIASES.iter().any(|(name, aliases)| *name == c && aliases.contains(&header)))
}

/// The header row: every required column present (else None), unknown ones warned of.
fn header(ctx: &mut FileCtx, reader: &mut csv::Reader<&[u8]>, kind: Kind) -> Option<BTreeMap<String, usize>> {
    let (required, optional) = kind.columns();
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|s| {
                let s = s.trim_start_matches('\u{feff}').trim();
                canonical(s, required.iter().chain(optional)).map_or_else(|| s.to_owned(), str::to_owned)
            })
            .collect(),
        Err(e) => {
            ctx.error(&Loc::line(1, "header"), format!("unreadable CSV header: {e}"), "", "a header row");
            return None;
        }
    };
    let mut missing = false;
    for col in required {
        if !headers.iter().any(|h| h == col) {
            let hint = did_you_mean(col, headers.iter().map(String::as_str))
                .map(|m| format!(" (found `{m}`)"))
                .unwrap_or_default();
            ctx.error(
                &Loc::line(1, col),
                format!("missing column `{col}`{hint}"),
                &headers.join(","),
                &format!("columns {} (optional: {})", required.join(","), optional.join(",")),
            );
            missing = true;
        }
    }
    for h in &headers {
        if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            ctx.warning(
                &Loc::line(1, h),
                format!("unknown column `{h}` is ignored"),
                h,
                &format!("columns {} {}", required.join(","), optional.join(",")),
            );
        }
    }
    (!missing).then(|| headers.into_iter().enumerate().map(|(i, h)| (h, i)).collect())
}

fn ragged(ctx: &mut FileCtx, e: &csv::Error) {
    let line = e.position().map_or(1, |p| p.line() as usize);
    let (found, expected) = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            (format!("{len} fields"), format!("{expected_len} fields, as in the header row"))
        }
        _ => (e.to_string(), "a well-formed CSV row".to_owned()),
    };
    ctx.error(&Loc::line(line, "row"), "ragged row".into(), &found, &expected);
}

fn indicator(ctx: &mut FileCtx, rel: &str, row: &Record, parts: &mut Parts) {
    let unit = row.get("unit").unwrap_or_default();
    let direction_text = row.get("direction").unwrap_or_default();
    let direction = Direction::parse(&direction_text).unwrap_or_else(|| {
        ctx.error(&row.loc("direction"), "unknown direction".into(), &direction_text, "higher, lower or exact");
        Direction::Higher
    });
    let baseline = match (row.get("baseline_period"), row.get("baseline_value")) {
        (Some(p), Some(v)) => {
            let period = ctx.period(&row.loc("baseline_period"), &p);
            let value = ctx.value(&row.loc("baseline_value"), &v, Some(&unit)).ok().flatten();
            match (period, value) {
                (Some(period), Some((value, approximate))) => Some(Point {
                    period,
                    value,
                    reported: None,
                    source: None,
                    sample: false,
                    approximate,
                    written: v.trim().to_owned(),
                }),
                _ => None,
            }
        }
        _ => None,
    };
    let indicator = Indicator {
        id: row.get("id").unwrap_or_default(),
        name: row.get("name").unwrap_or_default(),
        group: row.get("group"),
        unit,
        direction,
        baseline,
        targets: Vec::new(),
        actuals: Vec::new(),
        corrected: Vec::new(),
        file: rel.to_owned(),
    };
    let file = ctx.display.clone();
    parts.indicators.push(Row {
        indicator: indicator.id.clone(),
        item: indicator,
        loc: row.loc("id"),
        file,
        unit: None,
    });
}

fn target(ctx: &mut FileCtx, row: &Record, parts: &mut Parts) {
    let fields = TargetFields {
        period: row.get("period"),
        comparator: row.get("comparator"),
        value: row.get("value").unwrap_or_default(),
        text: row.get("text"),
    };
    let locs = TargetLocs { period: row.loc("period"), comparator: row.loc("comparator"), value: row.loc("value") };
    if let Some((item, unit)) = rows::target_unchecked(ctx, &locs, fields) {
        let indicator = row.get("indicator").unwrap_or_default();
        let file = ctx.display.clone();
        parts.targets.push(Row { indicator, item, loc: row.loc("value"), file, unit: unit.or(row.get("unit")) });
    }
}

fn actual(ctx: &mut FileCtx, row: &Record, parts: &mut Parts) {
    let Some(period) = ctx.period(&row.loc("period"), &row.get("period").unwrap_or_default()) else { return };
    let value_text = row.get("value").unwrap_or_default();
    // The unit may be written in the value (20Mbps); it is checked against the
    // indicator's once that is known.
    let (value, approximate, unit) = match read_value(&value_text, None) {
        ValueRead::OtherUnit(u) => match read_value(&value_text, Some(&u)) {
            ValueRead::Number(v) => (v, false, Some(u)),
            ValueRead::Approximate(v) => (v, true, Some(u)),
            _ => return,
        },
        _ => match ctx.value(&row.loc("value"), &value_text, None) {
            Ok(Some((v, a))) => (v, a, None),
            _ => return,
        },
    };
    if approximate && unit.is_some() {
        ctx.warning(&row.loc("value"), format!("approximate value read as {value}"), &value_text, "an exact number");
    }
    let reported = match row.get("reported") {
        Some(r) => match ctx.date(&row.loc("reported"), &r) {
            Some(d) => Some(d),
            None => return,
        },
        None => None,
    };
    let sample = row.get("sample").is_some_and(|s| rows::is_yes(&s));
    let written = value_text.trim().to_owned();
    let point = Point { period, value, reported, source: row.get("source"), sample, approximate, written };
    let indicator = row.get("indicator").unwrap_or_default();
    let file = ctx.display.clone();
    parts.actuals.push(Row { indicator, item: point, loc: row.loc("value"), file, unit: unit.or(row.get("unit")) });
}

fn milestone(ctx: &mut FileCtx, row: &Record, parts: &mut Parts) {
    let fields = MilestoneFields {
        task: row.get("task").unwrap_or_default(),
        lead: row.get("lead"),
        co: row.get("co").map(|s| rows::split_list(&s)).unwrap_or_default(),
        phase: row.get("phase"),
        period: row.get("period"),
        due: row.get("due"),
        state: row.get("state"),
        completed: row.get("completed"),
        sample: row.get("sample").is_some_and(|s| rows::is_yes(&s)),
    };
    if let Some(m) = rows::milestone(ctx, &row.loc("state"), fields) {
        parts.milestones.push(m);
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
