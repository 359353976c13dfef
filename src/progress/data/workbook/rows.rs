//! A sheet's rows, one at a time, each cell as the clerk sees it (`cells`). An
//! .xlsx or .xlsm sheet is streamed from its XML, so a sheet of 200,000 rows is
//! never held whole; .xls and .ods sheets come from calamine's whole-sheet range.

use std::collections::HashMap;
use std::io::{Read, Seek};

use calamine::{Data, Range, StyleRange, XlsxCellReader, XlsxError};

use super::cells::{self, Cell, Problem};

/// Columns a sheet may use: a wide table of twelve periods fits in a hundred.
pub const MAX_COLUMNS: u32 = 256;

/// One row: its index (0-based) and its cells from column A on.
#[derive(Debug, Clone)]
pub struct SheetRow {
    pub index: u32,
    pub cells: Vec<Cell>,
}

impl SheetRow {
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }

    pub fn texts(&self) -> Vec<String> {
        self.cells.iter().map(|c| c.text().trim().to_owned()).collect()
    }
}

/// Why a sheet stopped being read.
#[derive(Debug, Clone)]
pub enum RowsError {
    /// A cell right of the last column allowed (its A1 name).
    TooWide(String),
    Damaged(String),
}

pub trait Rows {
    fn next_row(&mut self) -> Result<Option<SheetRow>, RowsError>;
}

/// Put a cell into its row, at its column.
fn place(cells: &mut Vec<Cell>, row: u32, col: u32, cell: Cell) -> Result<(), RowsError> {
    if col >= MAX_COLUMNS {
        if cell.is_empty() {
            return Ok(());
        }
        return Err(RowsError::TooWide(cells::a1(row, col)));
    }
    let col = col as usize;
    if cells.len() <= col {
        cells.resize(col + 1, Cell::Empty);
    }
    cells[col] = cell;
    Ok(())
}

/// An .xlsx sheet, streamed: values and formulas in one pass, the number formats
/// from the styles read before (`StyleRange` keeps runs, not a style per cell).
pub struct XlsxRows<'a, RS: Read + Seek> {
    pub reader: XlsxCellReader<'a, RS>,
    pub styles: StyleRange,
    /// A cell of the next row, read while looking for the end of this one.
    pub pending: Option<(u32, u32, Cell)>,
    pub done: bool,
}

impl<RS: Read + Seek> XlsxRows<'_, RS> {
    fn next_cell(&mut self) -> Result<Option<(u32, u32, Cell)>, RowsError> {
        let damaged = |e: XlsxError| RowsError::Damaged(e.to_string());
        let Some(record) = self.reader.next_cell_with_formula().map_err(damaged)? else { return Ok(None) };
        let (row, col) = record.pos;
        let format = self.styles.get(record.pos).and_then(|s| s.number_format.as_ref()).map(|f| f.format_code.as_str());
        let mut cell = cells::of_data_ref(&record.value, format);
        if cell == Cell::Empty && record.formula.is_some_and(|f| !f.is_empty()) {
            cell = Cell::Problem(Problem::NoCachedValue);
        }
        Ok(Some((row, col, cell)))
    }
}

impl<RS: Read + Seek> Rows for XlsxRows<'_, RS> {
    fn next_row(&mut self) -> Result<Option<SheetRow>, RowsError> {
        if self.done {
            return Ok(None);
        }
        let Some((index, col, cell)) = (match self.pending.take() {
            Some(c) => Some(c),
            None => self.next_cell()?,
        }) else {
            self.done = true;
            return Ok(None);
        };
        let mut cells = Vec::new();
        place(&mut cells, index, col, cell)?;
        loop {
            match self.next_cell()? {
                None => {
                    self.done = true;
                    break;
                }
                Some((r, c, cell)) if r == index => place(&mut cells, r, c, cell)?,
                Some(next) => {
                    self.pending = Some(next);
                    break;
                }
            }
        }
        Ok(Some(SheetRow { index, cells }))
    }
}

/// An .xls or .ods sheet, from its range.
pub struct RangeRows<'s> {
    pub range: Range<Data>,
    pub next: usize,
    /// Cells to read as the text they show (an .ods sheet's percentages).
    pub shown: Option<&'s HashMap<(u32, u32), String>>,
}

impl Rows for RangeRows<'_> {
    fn next_row(&mut self) -> Result<Option<SheetRow>, RowsError> {
        let Some((top, left)) = self.range.start() else { return Ok(None) };
        let (height, width) = self.range.get_size();
        if self.next >= height {
            return Ok(None);
        }
        let index = top + self.next as u32;
        let mut cells = Vec::new();
        for c in 0..width {
            let col = left + c as u32;
            let cell = match (self.range.get((self.next, c)), self.shown.and_then(|s| s.get(&(index, col)))) {
                (Some(Data::Float(_) | Data::Int(_)), Some(text)) => Cell::Text(text.clone()),
                (value, _) => value.map_or(Cell::Empty, cells::of_data),
            };
            place(&mut cells, index, col, cell)?;
        }
        self.next += 1;
        Ok(Some(SheetRow { index, cells }))
    }
}
