//! The four tables of progress data — indicators, targets, reported values,
//! milestones — as rows of named cells, whichever file they come from: a CSV file
//! (`csv`) or a workbook's sheet (`workbook`). Headers are matched here (English
//! names or their Chinese aliases) and every row goes through the same readers.

use std::collections::BTreeMap;

use super::rows::{self, MilestoneFields, TargetFields, TargetLocs};
use super::{Direction, FileCtx, Indicator, Loc, Parts, Point, Row, ValueRead, read_value};
use crate::diagnostics::did_you_mean;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Indicators,
    Targets,
    Actuals,
    Milestones,
}

/// The names a table goes by: a CSV file's name ends with one, a sheet is named
/// by one (指标.csv, 2020年完成情况 …).
const KIND_NAMES: &[(&str, Kind)] = &[
    ("indicators", Kind::Indicators),
    ("指标", Kind::Indicators),
    ("targets", Kind::Targets),
    ("目标", Kind::Targets),
    ("actuals", Kind::Actuals),
    ("实际", Kind::Actuals),
    ("完成情况", Kind::Actuals),
    ("milestones", Kind::Milestones),
    ("任务", Kind::Milestones),
    ("工作进度", Kind::Milestones),
];

impl Kind {
    /// The kind a file or sheet name ends with (its extension dropped).
    pub fn of(name: &str) -> Option<Kind> {
        // 指標 and 完成情況 as 指标 and 完成情况: a Traditional clerk's names read the same.
        let stem = crate::text::simplified(name.rsplit_once('.').map_or(name, |(s, _)| s).trim()).to_lowercase();
        KIND_NAMES.iter().find(|(suffix, _)| stem.ends_with(suffix)).map(|&(_, k)| k)
    }

    /// Required and optional columns.
    pub fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Kind::Indicators => (
                &["id", "name", "unit", "direction"],
                &["group", "baseline_period", "baseline_value", "baseline_source", "baseline_sample", "note"],
            ),
            Kind::Targets => (&["indicator", "comparator", "value"], &["period", "text", "unit"]),
            Kind::Actuals => (&["indicator", "period", "value"], &["reported", "source", "sample", "unit"]),
            Kind::Milestones => (&["task", "state"], &["lead", "co", "phase", "period", "due", "completed", "sample"]),
        }
    }

    /// Is `header` one of this kind's columns (by name or alias)?
    pub fn knows(self, header: &str) -> bool {
        let (required, optional) = self.columns();
        canonical(header, required.iter().chain(optional)).is_some()
    }
}

/// Every column's Chinese names, as clerks head their spreadsheets (the English
/// name is canonical, as in front matter). A name is looked up only among the
/// columns of its table's kind, so 指标 is the indicator's name in the indicators
/// table and the indicator it belongs to elsewhere.
pub const COLUMN_ALIASES: &[(&str, &[&str])] = &[
    ("id", &["编号", "指标编号", "代码"]),
    ("name", &["指标", "指标名称", "名称"]),
    ("unit", &["单位", "计量单位"]),
    ("direction", &["方向", "指标方向"]),
    ("group", &["分组", "类别", "领域"]),
    ("baseline_period", &["基期", "基线年度", "基准年"]),
    ("baseline_value", &["基线值", "基期值", "基数"]),
    ("baseline_source", &["基线来源", "基期数据来源"]),
    ("baseline_sample", &["基线示例", "基期示例数据"]),
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
pub fn canonical<'c>(header: &str, columns: impl Iterator<Item = &'c &'static str>) -> Option<&'static str> {
    let header = crate::text::simplified(header.trim_start_matches('\u{feff}').trim());
    let header = header.as_str();
    columns
        .copied()
        .find(|&c| c == header || COLUMN_ALIASES.iter().any(|(name, aliases)| *name == c && aliases.contains(&header)))
}

/// Where each column is: canonical name → cell index.
pub type Columns = BTreeMap<String, usize>;

/// The header row: every required column present (else None), unknown ones warned
/// of. `loc` places a column (by its index in the row, None when it is missing).
pub fn header(
    ctx: &mut FileCtx,
    cells: &[String],
    kind: Kind,
    loc: &dyn Fn(Option<usize>, &str) -> Loc,
) -> Option<Columns> {
    let (required, optional) = kind.columns();
    let headers: Vec<String> = cells
        .iter()
        .map(|s| {
            let s = s.trim_start_matches('\u{feff}').trim();
            canonical(s, required.iter().chain(optional)).map_or_else(|| s.to_owned(), str::to_owned)
        })
        .collect();
    let mut missing = false;
    for col in required {
        if !headers.iter().any(|h| h == col) {
            let hint = did_you_mean(col, headers.iter().map(String::as_str))
                .map(|m| format!(" (found `{m}`)"))
                .unwrap_or_default();
            let shown: Vec<&str> = headers.iter().map(String::as_str).filter(|h| !h.is_empty()).collect();
            ctx.error(
                &loc(None, col),
                format!("missing column `{col}`{hint}"),
                &shown.join(","),
                &format!("columns {} (optional: {})", required.join(","), optional.join(",")),
            );
            missing = true;
        }
    }
    for (i, h) in headers.iter().enumerate() {
        // A spreadsheet's blank header cells (a column left empty) are no column.
        if !h.is_empty() && !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            ctx.warning(
                &loc(Some(i), h),
                format!("unknown column `{h}` is ignored"),
                h,
                &format!("columns {} {}", required.join(","), optional.join(",")),
            );
        }
    }
    (!missing).then(|| headers.into_iter().enumerate().map(|(i, h)| (h, i)).collect())
}

/// One row, with where each of its cells is.
pub struct Record<'r> {
    pub cells: &'r [String],
    pub columns: &'r Columns,
    /// Where the cell of a column is (its index, None for a column the row lacks).
    pub locate: &'r dyn Fn(Option<usize>, &str) -> Loc,
}

impl Record<'_> {
    /// A cell's text, trimmed; an empty cell is None.
    pub fn get(&self, col: &str) -> Option<String> {
        self.columns.get(col).and_then(|&i| self.cells.get(i)).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
    }

    pub fn loc(&self, col: &str) -> Loc {
        (self.locate)(self.columns.get(col).copied(), col)
    }
}

/// Read one row of a table of `kind` into `parts`.
pub fn row(ctx: &mut FileCtx, rel: &str, kind: Kind, row: &Record, parts: &mut Parts) {
    match kind {
        Kind::Indicators => indicator(ctx, rel, row, parts),
        Kind::Targets => target(ctx, row, parts),
        Kind::Actuals => actual(ctx, row, parts),
        Kind::Milestones => milestone(ctx, row, parts),
    }
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
                    source: row.get("baseline_source"),
                    sample: row.get("baseline_sample").is_some_and(|s| rows::is_yes(&s)),
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
        id_loc: None,
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
        let (loc, id_loc, unit) = (row.loc("value"), Some(row.loc("indicator")), unit.or(row.get("unit")));
        parts.targets.push(Row { indicator, item, loc, file, unit, id_loc });
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
    let (loc, id_loc, unit) = (row.loc("value"), Some(row.loc("indicator")), unit.or(row.get("unit")));
    parts.actuals.push(Row { indicator, item: point, loc, file, unit, id_loc });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_english_or_chinese_name() {
        assert_eq!(Kind::of("plan-indicators.csv"), Some(Kind::Indicators));
        assert_eq!(Kind::of("指标"), Some(Kind::Indicators));
        assert_eq!(Kind::of("2020年完成情况"), Some(Kind::Actuals));
        assert_eq!(Kind::of(" 工作进度 "), Some(Kind::Milestones));
        assert_eq!(Kind::of("Sheet1"), None);
        assert_eq!(Kind::of("指標"), Some(Kind::Indicators));
        assert!(Kind::Indicators.knows("指標名稱") && Kind::Actuals.knows("實際值"));
        assert!(Kind::Actuals.knows("实际值") && Kind::Indicators.knows("指标") && !Kind::Targets.knows("任务"));
    }
}
