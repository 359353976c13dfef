//! The wide layout Chinese statistical tables have: one row per indicator, its
//! columns on the left (编号, 指标名称, 单位, 方向 …, as in the indicators table),
//! then one group of columns per period under a two-level header — the period
//! (2019年, 2017-2018学年) merged over 目标值 and 实际值, and optionally 比较,
//! 目标表述, 报告日期, 数据来源, 示例. A filled 目标值 is a target of that period, a
//! filled 实际值 a reported value; both go through the same row readers as the
//! long tables'. A target's comparator is its 比较 cell, else the indicator's
//! direction says it (越高越好 ≥, 越低越好 ≤, 持平 =).

use super::rows::{Rows, RowsError, SheetRow};
use super::sheet::{SheetPlace, is_notes_row, problems};
use crate::progress::data::table::{self, Columns, Kind, Record};
use crate::progress::data::{Direction, FileCtx, Loc, Parts};
use crate::progress::period::Period;

/// The columns of one period's group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    Target,
    Actual,
    Comparator,
    Text,
    Reported,
    Source,
    Sample,
}

const SUB_NAMES: &[(Sub, &[&str])] = &[
    (Sub::Target, &["目标值", "目标", "target"]),
    (Sub::Actual, &["实际值", "实际", "完成值", "实际完成", "actual"]),
    (Sub::Comparator, &["比较", "比较符", "comparator"]),
    (Sub::Text, &["目标表述", "表述", "原文", "text"]),
    (Sub::Reported, &["报告日期", "填报日期", "reported"]),
    (Sub::Source, &["数据来源", "来源", "source"]),
    (Sub::Sample, &["示例", "示例数据", "sample"]),
];

impl Sub {
    fn of(text: &str) -> Option<Sub> {
        let t = crate::text::simplified(text.trim());
        let t = t.as_str();
        SUB_NAMES.iter().find(|(_, names)| names.contains(&t)).map(|&(s, _)| s)
    }
}

/// Does this row name a period in some cell (the top of a wide header)?
pub fn is_top_header(texts: &[String]) -> bool {
    texts.iter().any(|t| !t.is_empty() && Period::parse(t).is_ok())
}

/// Does this row name 目标值 or 实际值 (the second level of a wide header)?
pub fn is_sub_header(texts: &[String]) -> bool {
    texts.iter().any(|t| matches!(Sub::of(t), Some(Sub::Target | Sub::Actual)))
}

/// One period's columns.
#[derive(Debug)]
struct Group {
    period: String,
    col: usize,
    subs: Vec<(Sub, usize)>,
}

impl Group {
    fn col(&self, sub: Sub) -> Option<usize> {
        self.subs.iter().find(|(s, _)| *s == sub).map(|&(_, c)| c)
    }
}

pub fn read(
    ctx: &mut FileCtx,
    rel: &str,
    place: &SheetPlace,
    top: &SheetRow,
    sub: &SheetRow,
    rows: &mut dyn Rows,
    parts: &mut Parts,
) -> Result<(), RowsError> {
    let (top_t, sub_t) = (top.texts(), sub.texts());
    let width = top_t.len().max(sub_t.len());
    let at = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
    let mut left = vec![String::new(); width];
    let mut groups: Vec<Group> = Vec::new();
    // Whether the columns since the last filled top cell belong to a period.
    let mut in_group = false;
    for (i, name) in left.iter_mut().enumerate() {
        let (t, s) = (at(&top_t, i), at(&sub_t, i));
        if !t.is_empty() {
            in_group = Period::parse(&t).is_ok();
            if in_group {
                groups.push(Group { period: t, col: i, subs: Vec::new() });
            } else {
                // A column merged down both rows, or a group of plain columns.
                *name = if s.is_empty() { t } else { s };
                continue;
            }
        }
        match groups.last_mut().filter(|_| in_group) {
            Some(g) if !s.is_empty() => match Sub::of(&s) {
                Some(k) => g.subs.push((k, i)),
                None => ctx.warning(
                    &place.cell(sub.index, i as u32, &s),
                    format!("unknown column `{s}` under {} is ignored", g.period),
                    &s,
                    "目标值, 实际值, 比较, 目标表述, 报告日期, 数据来源 or 示例",
                ),
            },
            Some(_) => {}
            None => *name = s,
        }
    }
    for g in &groups {
        if g.col(Sub::Target).is_none() && g.col(Sub::Actual).is_none() {
            ctx.error(
                &place.cell(top.index, g.col as u32, "period"),
                format!("period {} has neither 目标值 nor 实际值 under it", g.period),
                &g.period,
                "目标值 and/or 实际值 in the header row under each period",
            );
        }
    }
    let hrow = sub.index;
    let Some(columns) = table::header(ctx, &left, Kind::Indicators, &|i, col| match i {
        Some(i) => place.cell(hrow, i as u32, col),
        None => place.row(top, col),
    }) else {
        return Ok(());
    };
    let mut used: Vec<(usize, &str)> = columns.iter().map(|(n, &i)| (i, n.as_str())).collect();
    for g in &groups {
        used.extend(g.subs.iter().map(|&(_, c)| (c, "value")));
    }
    let target_cols = names(&["indicator", "period", "comparator", "value", "text"]);
    let actual_cols = names(&["indicator", "period", "value", "reported", "source", "sample"]);
    while let Some(row) = rows.next_row()? {
        if row.is_empty() {
            continue;
        }
        if is_notes_row(&row) {
            break;
        }
        if problems(ctx, place, &row, &used) {
            continue;
        }
        let texts = row.texts();
        let r = row.index;
        let cell_of = |i: Option<usize>, col: &str| place.cell(r, i.unwrap_or(0) as u32, col);
        table::row(ctx, rel, Kind::Indicators, &Record { cells: &texts, columns: &columns, locate: &cell_of }, parts);
        let get = |i: Option<usize>| i.map(|i| at(&texts, i)).filter(|t| !t.is_empty());
        let id_col = columns.get("id").copied();
        let id = get(id_col).unwrap_or_default();
        let direction_col = columns.get("direction").copied();
        let by_direction = get(direction_col).and_then(|d| Direction::parse(&d)).map(|d| match d {
            Direction::Higher => "≥",
            Direction::Lower => "≤",
            Direction::Exact => "=",
        });
        for g in &groups {
            let period_loc = place.cell(top.index, g.col as u32, "period");
            // Each field of the row made from this group, and the cell it is in.
            let locate_in = |fields: &[(&str, Option<usize>)]| {
                let fields: Vec<(String, Option<usize>)> = fields.iter().map(|&(n, c)| (n.to_owned(), c)).collect();
                let period_loc = period_loc.clone();
                move |_: Option<usize>, col: &str| -> Loc {
                    match fields.iter().find(|(n, _)| n == col).and_then(|(_, c)| *c) {
                        _ if col == "period" => period_loc.clone(),
                        Some(c) => place.cell(r, c as u32, col),
                        None => place.cell(r, id_col.unwrap_or(0) as u32, col),
                    }
                }
            };
            if let Some(value) = get(g.col(Sub::Target)) {
                let comparator_col = g.col(Sub::Comparator);
                let comparator = get(comparator_col).or(by_direction.map(str::to_owned)).unwrap_or_default();
                let cells =
                    vec![id.clone(), g.period.clone(), comparator, value, get(g.col(Sub::Text)).unwrap_or_default()];
                let locate = locate_in(&[
                    ("indicator", id_col),
                    ("comparator", comparator_col.or(direction_col)),
                    ("value", g.col(Sub::Target)),
                    ("text", g.col(Sub::Text)),
                ]);
                table::row(
                    ctx,
                    rel,
                    Kind::Targets,
                    &Record { cells: &cells, columns: &target_cols, locate: &locate },
                    parts,
                );
            }
            if let Some(value) = get(g.col(Sub::Actual)) {
                let field = |s: Sub| get(g.col(s)).unwrap_or_default();
                let cells = vec![
                    id.clone(),
                    g.period.clone(),
                    value,
                    field(Sub::Reported),
                    field(Sub::Source),
                    field(Sub::Sample),
                ];
                let locate = locate_in(&[
                    ("indicator", id_col),
                    ("value", g.col(Sub::Actual)),
                    ("reported", g.col(Sub::Reported)),
                    ("source", g.col(Sub::Source)),
                    ("sample", g.col(Sub::Sample)),
                ]);
                table::row(
                    ctx,
                    rel,
                    Kind::Actuals,
                    &Record { cells: &cells, columns: &actual_cols, locate: &locate },
                    parts,
                );
            }
        }
    }
    Ok(())
}

fn names(list: &[&str]) -> Columns {
    list.iter().enumerate().map(|(i, n)| ((*n).to_owned(), i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let t = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(is_top_header(&t(&["编号", "指标名称", "2019年", "", "2017-2018学年"])));
        assert!(!is_top_header(&t(&["平安区教育指标完成情况表", ""])));
        assert!(is_sub_header(&t(&["", "", "目标值", "实际值"])));
        assert!(!is_sub_header(&t(&["编号", "指标名称"])));
    }
}
