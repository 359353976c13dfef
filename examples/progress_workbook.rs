//! Turns a notice's progress data (any form gongkai reads, e.g. progress.yaml)
//! into a workbook in the wide layout clerks keep: one row per indicator, the
//! periods across under a two-level header (2018 over 目标值, 目标表述, 实际值 …),
//! milestones in a 任务 sheet, the data file's comments in a 说明 sheet. The data
//! is read with gongkai's own reader, so the workbook holds the same figures, and
//! each value keeps the digits it was written with (85.0 under the format `0.0`).
//!
//!     cargo run --example progress_workbook -- IN.yaml OUT.xlsx [TITLE]
//!
//! The example site's 平安区 notice takes its data from a workbook made so:
//!
//!     cargo run --example progress_workbook -- tests/workbook/pingan-progress.yaml \
//!         content/notices/pingan-jiaoxue-zhiliang-gongjian/进展.xlsx \
//!         平安区提升教育教学质量三年攻坚行动方案：目标与完成情况

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Datelike;

use gongkai::progress::data::{self, DataFile, Direction, Indicator, ProgressData};
use gongkai::progress::period::Period;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

/// The columns of a period's group, in order, with the test that one is needed.
const SUBS: &[&str] = &["目标值", "比较", "目标表述", "实际值", "报告日期", "数据来源", "示例"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        eprintln!("usage: progress_workbook IN.yaml OUT.xlsx [TITLE]");
        return ExitCode::from(2);
    };
    let title = args.get(2).map_or("目标与完成情况", String::as_str);
    let input = PathBuf::from(input);
    let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = DataFile { name, path: input.clone(), display: input.clone() };
    let (data, diags) = data::load(&[file]);
    for d in &diags {
        eprintln!("{d}");
    }
    let Some(data) = data else { return ExitCode::from(1) };
    let comments: Vec<String> = std::fs::read_to_string(&input)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix('#').map(|c| c.trim().to_owned()))
        .filter(|c| !c.is_empty())
        .collect();
    match write(&data, &comments, title, Path::new(output)) {
        Ok(()) => {
            eprintln!("Wrote {output}: {} indicators, {} milestones", data.indicators.len(), data.milestones.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Higher => "越高越好",
        Direction::Lower => "越低越好",
        Direction::Exact => "持平",
    }
}

/// The comparator the wide layout assumes from the direction.
fn by_direction(d: Direction) -> &'static str {
    match d {
        Direction::Higher => "≥",
        Direction::Lower => "≤",
        Direction::Exact => "=",
    }
}

/// A number format that shows a value with the digits it was written with.
fn number_format(written: &str) -> Format {
    let decimals = written.split_once('.').map_or(0, |(_, f)| f.chars().take_while(char::is_ascii_digit).count());
    if decimals == 0 { Format::new() } else { Format::new().set_num_format(format!("0.{}", "0".repeat(decimals))) }
}

fn write(data: &ProgressData, comments: &[String], title: &str, out: &Path) -> Result<(), XlsxError> {
    // Every period of a target or a value, in time order; one group each.
    let mut periods: Vec<Period> = Vec::new();
    for ind in &data.indicators {
        let ps =
            ind.targets.iter().filter_map(|t| t.period.clone()).chain(ind.actuals.iter().map(|a| a.period.clone()));
        for p in ps {
            if !periods.iter().any(|q| q.label == p.label) {
                periods.push(p);
            }
        }
    }
    periods.sort();
    let at = |ind: &Indicator, label: &str| -> (Option<usize>, Option<usize>) {
        (
            ind.targets.iter().position(|t| t.period.as_ref().is_some_and(|p| p.label == label)),
            ind.actuals.iter().position(|a| a.period.label == label),
        )
    };
    // Which columns each period needs.
    let needs = |label: &str, sub: &str| {
        data.indicators.iter().any(|ind| {
            let (t, a) = at(ind, label);
            let t = t.map(|k| &ind.targets[k]);
            let a = a.map(|k| &ind.actuals[k]);
            match sub {
                "目标值" => t.is_some(),
                "比较" => t.is_some_and(|t| t.comparator.symbol() != by_direction(ind.direction)),
                "目标表述" => t.is_some_and(|t| t.text.is_some()),
                "实际值" => a.is_some(),
                "报告日期" => a.is_some_and(|a| a.reported.is_some()),
                "数据来源" => a.is_some_and(|a| a.source.is_some()),
                _ => a.is_some_and(|a| a.sample),
            }
        })
    };
    let groups: Vec<(&Period, Vec<&str>)> =
        periods.iter().map(|p| (p, SUBS.iter().copied().filter(|s| needs(&p.label, s)).collect())).collect();
    let left = ["编号", "指标名称", "分组", "单位", "方向", "基期", "基线值", "基线来源", "基线示例"];
    let width = left.len() + groups.iter().map(|(_, s)| s.len()).sum::<usize>();

    let mut wb = Workbook::new();
    // A fixed date in the file's properties: the same data gives the same bytes.
    wb.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2017, 11, 1)?));
    let ws = wb.add_worksheet();
    ws.set_name("指标完成情况")?;
    let head = Format::new().set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    ws.merge_range(0, 0, 0, (width - 1) as u16, title, &head)?;
    let (top, sub) = (1u32, 2u32);
    for (c, name) in left.iter().enumerate() {
        ws.merge_range(top, c as u16, sub, c as u16, name, &head)?;
    }
    let mut col = left.len() as u16;
    let mut group_cols: Vec<BTreeMap<&str, u16>> = Vec::new();
    for (p, subs) in &groups {
        let last = col + subs.len() as u16 - 1;
        if last > col {
            ws.merge_range(top, col, top, last, &p.label, &head)?;
        } else {
            ws.write_string_with_format(top, col, &p.label, &head)?;
        }
        let mut cols = BTreeMap::new();
        for s in subs {
            ws.write_string_with_format(sub, col, *s, &head)?;
            cols.insert(*s, col);
            col += 1;
        }
        group_cols.push(cols);
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut row = sub + 1;
    for ind in &data.indicators {
        ws.write_string(row, 0, &ind.id)?;
        ws.write_string(row, 1, &ind.name)?;
        if let Some(g) = &ind.group {
            ws.write_string(row, 2, g)?;
        }
        ws.write_string(row, 3, &ind.unit)?;
        ws.write_string(row, 4, direction(ind.direction))?;
        if let Some(b) = &ind.baseline {
            write_period(ws, row, 5, &b.period)?;
            ws.write_number_with_format(row, 6, b.value, &number_format(&b.written))?;
            if let Some(s) = &b.source {
                ws.write_string(row, 7, s)?;
            }
            if b.sample {
                ws.write_string(row, 8, "是")?;
            }
        }
        for ((p, _), cols) in groups.iter().zip(&group_cols) {
            let (t, a) = at(ind, &p.label);
            if let Some(t) = t.map(|k| &ind.targets[k]) {
                ws.write_number(row, cols["目标值"], t.value)?;
                if let Some(&c) = cols.get("比较") {
                    ws.write_string(row, c, t.comparator.symbol())?;
                }
                if let (Some(&c), Some(text)) = (cols.get("目标表述"), &t.text) {
                    ws.write_string(row, c, text)?;
                }
            }
            if let Some(a) = a.map(|k| &ind.actuals[k]) {
                ws.write_number_with_format(row, cols["实际值"], a.value, &number_format(&a.written))?;
                if let (Some(&c), Some(d)) = (cols.get("报告日期"), a.reported) {
                    let d = d.0;
                    let day = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(row, c, &day, &date)?;
                }
                if let (Some(&c), Some(s)) = (cols.get("数据来源"), &a.source) {
                    ws.write_string(row, c, s)?;
                }
                if let (Some(&c), true) = (cols.get("示例"), a.sample) {
                    ws.write_string(row, c, "是")?;
                }
            }
        }
        row += 1;
    }
    ws.write_string(
        row + 1,
        0,
        "注：目标值未写比较的，按指标方向比较（越高越好为“不低于”，越低越好为“不高于”，持平为“等于”）。",
    )?;
    ws.set_column_width(1, 28)?;
    ws.set_freeze_panes(sub + 1, 2)?;
    if !data.milestones.is_empty() {
        milestones(wb.add_worksheet(), data)?;
    }
    let notes = wb.add_worksheet();
    notes.set_name("说明")?;
    notes.set_column_width(0, 120)?;
    for (r, line) in comments.iter().enumerate() {
        notes.write_string(r as u32, 0, line)?;
    }
    wb.save(out)
}

/// A period in its own words; a bare year as the number a clerk types.
fn write_period(ws: &mut Worksheet, row: u32, col: u16, p: &Period) -> Result<(), XlsxError> {
    match p.label.parse::<u16>() {
        Ok(year) => ws.write_number(row, col, year)?,
        Err(_) => ws.write_string(row, col, &p.label)?,
    };
    Ok(())
}

fn milestones(ws: &mut Worksheet, data: &ProgressData) -> Result<(), XlsxError> {
    ws.set_name("任务")?;
    let header = ["工作任务", "牵头单位", "配合单位", "阶段", "年度", "完成时限", "状态", "完成日期", "示例"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for (r, m) in data.milestones.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &m.task)?;
        let texts = [m.lead.clone(), Some(m.co.join("、")).filter(|c| !c.is_empty()), m.phase.clone()];
        for (c, t) in texts.iter().enumerate() {
            if let Some(t) = t {
                ws.write_string(r, c as u16 + 1, t)?;
            }
        }
        if let Some(p) = &m.period {
            write_period(ws, r, 4, p)?;
        }
        for (c, d) in [(5, m.due), (7, m.completed)] {
            if let Some(d) = d {
                ws.write_string(r, c, d.0.format("%Y-%m-%d").to_string())?;
            }
        }
        ws.write_string(r, 6, m.state.label())?;
        if m.sample {
            ws.write_string(r, 8, "是")?;
        }
    }
    Ok(())
}
