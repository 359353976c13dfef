//! One sheet: where its table starts and ends, and its rows handed to the row
//! readers. The rule, for clerks' sheets as they come:
//! - rows above the header are a title (a merged title, 填报单位, 填报日期 lines) and
//!   are skipped; the header is the first row that names two columns of the
//!   sheet's table (or, for the wide layout, a row naming a period over one naming
//!   目标值 or 实际值, whatever the sheet's name), within
//!   the first `MAX_TITLE_ROWS` rows that hold anything;
//! - empty rows are skipped;
//! - the table ends at its first notes row, one whose first filled cell starts
//!   with 注：, 注1, 说明：, 备注：, 填表说明, 资料来源：, 填表人 or 制表: that row and
//!   every row under it are notes.

use std::fmt;
use std::sync::Arc;

use super::cells::{self, Cell, Problem};
use super::rows::{Rows, RowsError, SheetRow};
use super::wide;
use crate::progress::data::table::{self, Columns, Kind, Record};
use crate::progress::data::{FileCtx, Loc, Parts};

/// Rows holding anything that may stand above a table's header.
pub const MAX_TITLE_ROWS: usize = 10;

/// Sheet names that hold notes for people, never data.
pub const NOTES_SHEETS: &[&str] = &["说明", "注", "填表说明", "备注", "notes", "readme"];

/// A place in a sheet, as diagnostics name it (`工作表「实际」, C7`); made for
/// every value read, so it is written out only when a diagnostic shows it.
#[derive(Debug, Clone)]
pub struct CellRef {
    sheet: Arc<str>,
    span: Span,
}

#[derive(Debug, Clone, Copy)]
enum Span {
    Cell(u32, u32),
    Row(u32, u32),
    Sheet,
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "工作表「{}」", self.sheet)?;
        match self.span {
            Span::Cell(row, col) => write!(f, ", {}", cells::a1(row, col)),
            Span::Row(row, last) => write!(f, ", {}:{}", cells::a1(row, 0), cells::a1(row, last)),
            Span::Sheet => Ok(()),
        }
    }
}

/// Where things are in one sheet, for diagnostics.
pub struct SheetPlace {
    pub name: Arc<str>,
}

impl SheetPlace {
    fn at(&self, span: Span) -> Option<CellRef> {
        Some(CellRef { sheet: self.name.clone(), span })
    }

    /// A cell (0-based row and column), for a value of `column`.
    pub fn cell(&self, row: u32, col: u32, column: &str) -> Loc {
        Loc {
            line: row as usize + 1,
            column: column.to_owned(),
            col_no: Some(col as usize + 1),
            cell: self.at(Span::Cell(row, col)),
        }
    }

    /// A whole row (the header, when a column is missing from it).
    pub fn row(&self, row: &SheetRow, column: &str) -> Loc {
        let last = row.cells.len().saturating_sub(1) as u32;
        Loc {
            line: row.index as usize + 1,
            column: column.to_owned(),
            col_no: None,
            cell: self.at(Span::Row(row.index, last)),
        }
    }

    /// The sheet itself.
    pub fn sheet(&self, column: &str) -> Loc {
        Loc { line: 1, column: column.to_owned(), col_no: None, cell: self.at(Span::Sheet) }
    }
}

/// Is this row a note under the table?
pub fn is_notes_row(row: &SheetRow) -> bool {
    let Some(first) = row.cells.iter().find(|c| !c.is_empty()) else { return false };
    let t = first.text().trim();
    // Most rows are data: only a row starting as a note is looked at twice.
    if !t.starts_with(['注', '註', '说', '說', '备', '備', '填', '资', '資', '制', '製']) {
        return false;
    }
    let t = crate::text::simplified(t);
    let t = t.as_str();
    let after = |p: &str| t.strip_prefix(p);
    after("注").is_some_and(|r| r.starts_with(['：', ':', '1', '１', '①', '一', '（', '(']))
        || ["说明：", "说明:", "备注：", "备注:", "填表说明", "资料来源：", "资料来源:", "填表人", "制表"]
            .iter()
            .any(|p| t.starts_with(p))
}

/// What the header of a sheet turned out to be.
enum Header {
    Long(Kind, SheetRow),
    Wide(SheetRow, SheetRow),
}

/// Read one sheet into `parts`.
pub fn read(ctx: &mut FileCtx, rel: &str, place: &SheetPlace, rows: &mut dyn Rows, parts: &mut Parts) {
    let kind = Kind::of(&place.name);
    let header = match find_header(rows, kind) {
        Ok(Some(h)) => h,
        Ok(None) => {
            // An empty sheet (Sheet2 of a new workbook) holds nothing to read.
            return;
        }
        Err(Found::NoHeader(first)) => {
            missing_header(ctx, place, kind, &first);
            return;
        }
        Err(Found::Rows(e)) => {
            rows_error(ctx, place, &e);
            return;
        }
    };
    let result = match header {
        Header::Long(kind, row) => long(ctx, rel, place, kind, &row, rows, parts),
        Header::Wide(top, sub) => wide::read(ctx, rel, place, &top, &sub, rows, parts),
    };
    if let Err(e) = result {
        rows_error(ctx, place, &e);
    }
}

enum Found {
    /// No header among the first rows: the first row that held anything.
    NoHeader(SheetRow),
    Rows(RowsError),
}

fn find_header(rows: &mut dyn Rows, kind: Option<Kind>) -> Result<Option<Header>, Found> {
    let mut seen: Vec<SheetRow> = Vec::new();
    let mut previous: Option<SheetRow> = None;
    while seen.len() <= MAX_TITLE_ROWS {
        let Some(row) = rows.next_row().map_err(Found::Rows)? else { break };
        if row.is_empty() {
            continue;
        }
        let texts = row.texts();
        if let Some(top) = previous.take()
            && wide::is_sub_header(&texts)
        {
            return Ok(Some(Header::Wide(top, row)));
        }
        // A row with periods in it may be the top of a wide header: the next row
        // tells. A long header names no period.
        if wide::is_top_header(&texts) {
            previous = Some(row.clone());
        } else if let Some(k) = kind.filter(|k| texts.iter().filter(|t| k.knows(t)).count() >= 2) {
            return Ok(Some(Header::Long(k, row)));
        }
        seen.push(row);
    }
    match seen.into_iter().next() {
        None => Ok(None),
        Some(first) => Err(Found::NoHeader(first)),
    }
}

fn missing_header(ctx: &mut FileCtx, place: &SheetPlace, kind: Option<Kind>, first: &SheetRow) {
    let found = first.texts().into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" | ");
    match kind {
        Some(k) => {
            let (required, _) = k.columns();
            ctx.error(
                &place.row(first, "header"),
                format!("no header row in the first {MAX_TITLE_ROWS} rows"),
                &found,
                &format!("a header row naming the columns {} (or their Chinese names)", required.join(",")),
            );
        }
        None => ctx.error(
            &place.sheet("sheet"),
            format!("cannot tell what sheet 「{}」 holds", place.name),
            &found,
            "a sheet named 指标, 目标, 实际 (完成情况) or 任务 (工作进度) — or indicators, targets, actuals, milestones — or a wide table with periods (2019年) over 目标值 / 实际值; notes go in a sheet named 说明",
        ),
    }
}

pub fn rows_error(ctx: &mut FileCtx, place: &SheetPlace, e: &RowsError) {
    match e {
        RowsError::TooWide(cell) => ctx.error(
            &place.sheet("sheet"),
            format!("sheet 「{}」 is too wide", place.name),
            cell,
            &format!(
                "at most {} columns (A to {})",
                super::rows::MAX_COLUMNS,
                cells::column_name(super::rows::MAX_COLUMNS - 1)
            ),
        ),
        RowsError::Damaged(why) => ctx.error(
            &place.sheet("sheet"),
            format!("damaged sheet 「{}」: {why}", place.name),
            "",
            "a sheet Excel or WPS can open; open and save the file again",
        ),
    }
}

/// Report the cells of a row that cannot be read; true when there were some.
pub fn problems(ctx: &mut FileCtx, place: &SheetPlace, row: &SheetRow, columns: &[(usize, &str)]) -> bool {
    let mut any = false;
    for &(i, column) in columns {
        let Some(Cell::Problem(p)) = row.cells.get(i) else { continue };
        any = true;
        let loc = place.cell(row.index, i as u32, column);
        match p {
            Problem::ErrorValue(e) => ctx.error(
                &loc,
                format!("error value {e} in a cell"),
                e,
                "a number or text; correct the formula or the cells it uses",
            ),
            Problem::NoCachedValue => ctx.error(
                &loc,
                "formula without a saved value".into(),
                "a formula never computed",
                "a value: open the file in Excel or WPS and save it, which computes and saves every formula",
            ),
            Problem::NoSuchDate(d) => {
                ctx.error(&loc, "no such date".into(), d, "a real day (Excel counts a 1900-02-29 that never was)")
            }
        }
    }
    any
}

/// The long layout: the header names the columns, each row below is one record.
fn long(
    ctx: &mut FileCtx,
    rel: &str,
    place: &SheetPlace,
    kind: Kind,
    header: &SheetRow,
    rows: &mut dyn Rows,
    parts: &mut Parts,
) -> Result<(), RowsError> {
    let hrow = header.index;
    let columns: Option<Columns> = table::header(ctx, &header.texts(), kind, &|i, col| match i {
        Some(i) => place.cell(hrow, i as u32, col),
        None => place.row(header, col),
    });
    let Some(columns) = columns else { return Ok(()) };
    let used: Vec<(usize, &str)> = columns.iter().map(|(name, &i)| (i, name.as_str())).collect();
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
        let index = row.index;
        let locate = |i: Option<usize>, col: &str| match i {
            Some(i) => place.cell(index, i as u32, col),
            None => place.cell(index, 0, col),
        };
        table::row(ctx, rel, kind, &Record { cells: &texts, columns: &columns, locate: &locate }, parts);
    }
    Ok(())
}
