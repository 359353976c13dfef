//! A data file in CSV: one table per file, told by the end of its name
//! (`…indicators.csv`, `…targets.csv`, `…actuals.csv`, `…milestones.csv`, or the
//! Chinese names of `table::Kind`); columns in any order, named in the header row.
//! Rows are read by `table`, as a workbook's sheets are.

use super::table::{self, Kind, Record};
use super::{FileCtx, Loc, Parts};

pub(super) fn parse(ctx: &mut FileCtx, rel: &str, file_name: &str, parts: &mut Parts) {
    let Some(kind) = Kind::of(file_name) else {
        ctx.error(
            &Loc::line(1, "file name"),
            "cannot tell what this CSV file holds".into(),
            file_name,
            "a name ending in indicators.csv, targets.csv, actuals.csv or milestones.csv (or 指标, 目标, 实际, 任务)",
        );
        return;
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(ctx.text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            ctx.error(&Loc::line(1, "header"), format!("unreadable CSV header: {e}"), "", "a header row");
            return;
        }
    };
    let Some(columns) = table::header(ctx, &headers, kind, &|_, col| Loc::line(1, col)) else { return };
    let mut record = csv::StringRecord::new();
    let mut cells = Vec::new();
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
        let source_line = ctx.lines.line(line).unwrap_or("").to_owned();
        cells.clear();
        cells.extend(record.iter().map(str::to_owned));
        let locate = |index: Option<usize>, col: &str| Loc {
            line,
            column: col.to_owned(),
            col_no: index.map(|i| field_column(&source_line, i)),
            cell: None,
        };
        table::row(ctx, rel, kind, &Record { cells: &cells, columns: &columns, locate: &locate }, parts);
    }
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
