//! What calamine does not say of an .ods cell: a percentage cell's value is a
//! bare fraction there (0.953), while LibreOffice and WPS show 95.3%.
//! The text they show is in the cell's paragraph, so `content.xml` (already
//! checked by `guard`) is read once for those cells only, counting rows and
//! columns as calamine does, repeats included.

use std::collections::HashMap;
use std::io::{BufReader, Cursor};

use quick_xml::events::{BytesStart, Event};

/// Cells shown as their text: sheet name → (row, column) → the text.
pub type Shown = HashMap<String, HashMap<(u32, u32), String>>;

/// A cell repeated more often than this is not recorded (its fraction is read).
const MAX_REPEATS: u32 = 1_000;

/// An attribute's value as written (the ones read here have no entities).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.into_owned())
}

fn repeats(e: &BytesStart, name: &str) -> u32 {
    attr(e, name).and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

/// The percentage cells of every sheet, with the text shown.
pub fn shown(bytes: &[u8]) -> Result<Shown, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut out = Shown::new();
    let mut sheet = String::new();
    let (mut row, mut col, mut row_repeats) = (0u32, 0u32, 1u32);
    // The cell being read: its repeats and the text so far.
    let mut cell: Option<(u32, String)> = None;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => {
                        sheet = attr(e, "table:name").unwrap_or_default();
                        row = 0;
                    }
                    "table:table-row" => {
                        row_repeats = repeats(e, "table:number-rows-repeated");
                        col = 0;
                        if empty {
                            row = row.saturating_add(row_repeats);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let n = repeats(e, "table:number-columns-repeated");
                        let typed = attr(e, "office:value-type").as_deref() == Some("percentage");
                        if typed && !empty && n.saturating_mul(row_repeats) <= MAX_REPEATS {
                            cell = Some((n, String::new()));
                        } else {
                            col = col.saturating_add(n);
                        }
                    }
                    "text:p" if !empty => {
                        if let Some((_, text)) = cell.as_mut().filter(|(_, t)| !t.is_empty()) {
                            text.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, text)) = cell.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((n, text)) = cell.take() {
                        let cells = out.entry(sheet.clone()).or_default();
                        for r in 0..row_repeats {
                            for c in 0..n {
                                cells.insert((row + r, col + c), text.trim().to_owned());
                            }
                        }
                        col = col.saturating_add(n);
                    }
                }
                "table:table-row" => row = row.saturating_add(row_repeats),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}
