//! Progress data in a workbook: .xlsx, .xlsm (values only: macros are never run),
//! .xls and .ods, read with calamine after `guard` has checked the bytes. Each
//! sheet is one table named as the CSV files are (指标, 目标, 实际/完成情况,
//! 任务/工作进度, or indicators …) or a wide table (`wide`); a notes sheet (说明) is
//! skipped. Cells are read as the clerk sees them (`cells`), rows one at a time
//! (`rows`), title and notes rows skipped by `sheet`'s rule, and every row goes
//! through the same readers as a CSV file's (`table`).

mod cells;
pub mod guard;
mod ods;
mod rows;
mod sheet;
mod template;
mod wide;

use std::io::Cursor;
use std::path::Path;

use calamine::{Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};

use super::{FileCtx, MAX_DATA_BYTES, Parts};
use crate::diagnostics::{Code, Diagnostic};
use guard::{Format, Refusal};
use rows::{RangeRows, Rows, RowsError, SheetRow, XlsxRows};
use sheet::SheetPlace;

pub(super) use sheet::CellRef;

pub use cells::column_name;
pub use rows::MAX_COLUMNS;
pub use sheet::{MAX_TITLE_ROWS, NOTES_SHEETS};
pub use template::template;

/// The container a file name says it is, if it is a workbook.
pub fn format_of(name: &str) -> Option<Format> {
    let lower = name.to_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "xlsx" | "xlsm" => Some(Format::Xlsx),
        "xls" => Some(Format::Xls),
        "ods" => Some(Format::Ods),
        _ => None,
    }
}

pub fn is_workbook(name: &str) -> bool {
    format_of(name).is_some()
}

/// An open workbook of any of the three containers.
enum Book {
    Xlsx(Box<Xlsx<Cursor<Vec<u8>>>>),
    Xls(Box<Xls<Cursor<Vec<u8>>>>),
    /// With the text its percentage cells show (`ods`).
    Ods(Box<Ods<Cursor<Vec<u8>>>>, ods::Shown),
}

/// Why a workbook could not be opened: a refusal, or the reader's own error.
fn open(bytes: Vec<u8>, format: Format) -> Result<Book, Refusal> {
    guard::check(&bytes, format)?;
    let damaged = |e: String| {
        if e.contains("password") { Refusal::Encrypted } else { Refusal::Damaged(e) }
    };
    let cursor = Cursor::new(bytes);
    Ok(match format {
        Format::Xlsx => Book::Xlsx(Box::new(Xlsx::new(cursor).map_err(|e| damaged(e.to_string()))?)),
        Format::Xls => Book::Xls(Box::new(Xls::new(cursor).map_err(|e| damaged(e.to_string()))?)),
        Format::Ods => {
            let shown = ods::shown(cursor.get_ref()).map_err(Refusal::Damaged)?;
            Book::Ods(Box::new(Ods::new(cursor).map_err(|e| damaged(e.to_string()))?), shown)
        }
    })
}

impl Book {
    /// The sheets a clerk sees: worksheets (no chart or macro sheets), not hidden
    /// (a hidden sheet holds helpers, such as the lists of a drop-down).
    fn sheet_names(&self) -> Vec<String> {
        let sheets = match self {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b, _) => b.sheets_metadata(),
        };
        sheets
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect()
    }

    /// Hand the rows of sheet `name` to `f`.
    fn with_rows<T>(&mut self, name: &str, f: impl FnOnce(&mut dyn Rows) -> T) -> Result<T, RowsError> {
        let damaged = |e: String| RowsError::Damaged(e);
        match self {
            Book::Xlsx(b) => {
                let styles = b.worksheet_style(name).map_err(|e| damaged(e.to_string()))?;
                let reader = b.worksheet_cells_reader(name).map_err(|e| damaged(e.to_string()))?;
                Ok(f(&mut XlsxRows { reader, styles, pending: None, done: false }))
            }
            Book::Xls(b) => {
                let range = b.worksheet_range(name).map_err(|e| damaged(e.to_string()))?;
                Ok(f(&mut RangeRows { range, next: 0, shown: None }))
            }
            Book::Ods(b, shown) => {
                let range = b.worksheet_range(name).map_err(|e| damaged(e.to_string()))?;
                Ok(f(&mut RangeRows { range, next: 0, shown: shown.get(name) }))
            }
        }
    }
}

/// The error for a workbook that is not read.
fn refusal(display: &Path, r: Refusal) -> Diagnostic {
    match r {
        Refusal::Encrypted => Diagnostic::new(Code::ProgressData, display, "encrypted workbook")
            .field("workbook")
            .found("a workbook protected by a password")
            .expected("a workbook without a password")
            .hint("in Excel: 文件 → 信息 → 保护工作簿 → 用密码进行加密, clear the password and save; in WPS: 文件 → 文档加密 → 密码加密"),
        Refusal::Damaged(why) => Diagnostic::new(Code::ProgressData, display, "damaged workbook")
            .field("workbook")
            .found(why)
            .expected("an .xlsx, .xlsm, .xls or .ods file Excel, WPS or LibreOffice saved")
            .hint("open the file in Excel or WPS and save it again"),
        Refusal::TooLarge { found, limit } => Diagnostic::new(Code::ProgressData, display, "workbook refused: it unpacks to too much")
            .field("workbook")
            .found(found)
            .expected(limit)
            .hint("a zip bomb, or a workbook with far more than a plan's figures: keep the progress tables in a workbook of their own"),
    }
}

/// Read the file's bytes, at most `MAX_DATA_BYTES`.
fn read_bytes(path: &Path, display: &Path) -> Result<Vec<u8>, Diagnostic> {
    let too_large = |size: u64| {
        Diagnostic::new(Code::ProgressData, display, "data file too large")
            .field("workbook")
            .found(format!("{size} bytes"))
            .expected(format!("at most {MAX_DATA_BYTES} bytes"))
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::new(Code::ProgressData, display, format!("cannot read the data file: {e}")).field("workbook")
    })?;
    if meta.len() > MAX_DATA_BYTES {
        return Err(too_large(meta.len()));
    }
    std::fs::read(path).map_err(|e| {
        Diagnostic::new(Code::ProgressData, display, format!("cannot read the data file: {e}")).field("workbook")
    })
}

/// Read every sheet of the workbook at `path` into `parts`.
pub(super) fn parse(ctx: &mut FileCtx, rel: &str, path: &Path, parts: &mut Parts) {
    let Some(format) = format_of(rel) else { return };
    let bytes = match read_bytes(path, &ctx.display) {
        Ok(b) => b,
        Err(d) => return ctx.diags.push(d),
    };
    let mut book = match open(bytes, format) {
        Ok(b) => b,
        Err(r) => return ctx.diags.push(refusal(&ctx.display, r)),
    };
    let mut read_any = false;
    for name in book.sheet_names() {
        if NOTES_SHEETS.contains(&crate::text::simplified(name.trim()).to_lowercase().as_str()) {
            continue;
        }
        let place = SheetPlace { name: name.as_str().into() };
        let before = parts.count();
        let result = book.with_rows(&name, |rows| sheet::read(ctx, rel, &place, rows, parts));
        if let Err(e) = result {
            sheet::rows_error(ctx, &place, &e);
        }
        read_any |= parts.count() > before;
    }
    if !read_any && !ctx.diags.iter().any(Diagnostic::is_error) {
        ctx.diags.push(
            Diagnostic::new(Code::ProgressDoubt, &ctx.display, "workbook holds no progress data")
                .field("workbook")
                .expected("sheets named 指标, 目标, 实际, 任务 with a header row, or a wide table"),
        );
    }
}

/// One sheet as people see it, for the data file's page.
pub struct SheetView {
    pub name: String,
    /// Rows from the first with anything in it, each from column A.
    pub rows: Vec<(u32, Vec<String>)>,
    pub columns: usize,
    /// Rows left out after `MAX_VIEW_ROWS`.
    pub more: usize,
}

/// Rows of a sheet shown on its page; the file itself is there to download.
pub const MAX_VIEW_ROWS: usize = 2_000;

/// Every sheet of a workbook, as text, for the data file's page; an error says
/// why the file cannot be shown.
pub fn view(path: &Path, name: &str) -> Result<Vec<SheetView>, String> {
    let format = format_of(name).ok_or_else(|| format!("{name} is not a workbook"))?;
    let bytes = read_bytes(path, Path::new(name)).map_err(|d| d.message)?;
    let mut book = open(bytes, format).map_err(|r| refusal(Path::new(name), r).message)?;
    let mut sheets = Vec::new();
    for sheet_name in book.sheet_names() {
        let collect = |rows: &mut dyn Rows| -> Result<SheetView, RowsError> {
            let mut view = SheetView { name: sheet_name.clone(), rows: Vec::new(), columns: 0, more: 0 };
            while let Some(SheetRow { index, cells }) = rows.next_row()? {
                if view.rows.len() >= MAX_VIEW_ROWS {
                    view.more += 1;
                    continue;
                }
                view.columns = view.columns.max(cells.len());
                view.rows.push((index, cells.iter().map(|c| c.text().to_owned()).collect()));
            }
            Ok(view)
        };
        let view = book.with_rows(&sheet_name, collect).and_then(|r| r).map_err(|e| match e {
            RowsError::TooWide(cell) => format!("sheet {sheet_name} is wider than {MAX_COLUMNS} columns ({cell})"),
            RowsError::Damaged(why) => format!("damaged sheet {sheet_name}: {why}"),
        })?;
        sheets.push(view);
    }
    Ok(sheets)
}
