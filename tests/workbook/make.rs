//! Workbooks written for the tests: .xlsx with rust_xlsxwriter, .ods by hand (a
//! zip of XML, as LibreOffice writes it), from one description of their cells.

use std::io::{Cursor, Read, Write};

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// A cell.
#[derive(Clone)]
pub enum V {
    Blank,
    S(String),
    N(f64),
    /// A number under a number format (`0.0%`, `0"人"`).
    F(f64, &'static str),
    /// A date cell, shown as yyyy-mm-dd.
    D(u16, u8, u8),
    /// A formula with the value it last computed (Excel's cache).
    Formula(&'static str, &'static str),
}

pub fn s(text: &str) -> V {
    if text.is_empty() { V::Blank } else { V::S(text.to_owned()) }
}

/// A row of text cells.
pub fn texts(cells: &[&str]) -> Vec<V> {
    cells.iter().map(|t| s(t)).collect()
}

pub struct Sheet {
    pub name: &'static str,
    pub rows: Vec<Vec<V>>,
    /// Merged ranges (first row, first column, last row, last column).
    pub merges: Vec<(u32, u16, u32, u16)>,
    /// Hidden in Excel (.xlsx only).
    pub hidden: bool,
}

pub fn sheet(name: &'static str, rows: Vec<Vec<V>>) -> Sheet {
    Sheet { name, rows, merges: Vec::new(), hidden: false }
}

pub fn xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let mut wb = Workbook::new();
    for sh in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sh.name).unwrap();
        ws.set_hidden(sh.hidden);
        let merged =
            |r: u32, c: u16| sh.merges.iter().any(|&(r1, c1, r2, c2)| (r1..=r2).contains(&r) && (c1..=c2).contains(&c));
        for &(r1, c1, r2, c2) in &sh.merges {
            let text = match sh.rows.get(r1 as usize).and_then(|row| row.get(c1 as usize)) {
                Some(V::S(t)) => t.clone(),
                _ => String::new(),
            };
            ws.merge_range(r1, c1, r2, c2, &text, &Format::new()).unwrap();
        }
        for (r, row) in sh.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if merged(r, c) {
                    continue;
                }
                match v {
                    V::Blank => {}
                    V::S(t) => {
                        ws.write_string(r, c, t).unwrap();
                    }
                    V::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    V::F(n, f) => {
                        ws.write_number_with_format(r, c, *n, &Format::new().set_num_format(*f)).unwrap();
                    }
                    V::D(y, m, d) => {
                        let date = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        ws.write_datetime_with_format(r, c, &date, &Format::new().set_num_format("yyyy-mm-dd"))
                            .unwrap();
                    }
                    V::Formula(f, result) => {
                        ws.write_formula(r, c, Formula::new(*f).set_result(*result)).unwrap();
                    }
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An .ods of the same cells: numbers as floats, percentages as percentage cells
/// (0.315 showing 31.5%), other formatted numbers as the text they show, dates as
/// dates, formulas by their value.
pub fn ods(sheets: &[Sheet]) -> Vec<u8> {
    let mut tables = String::new();
    for sh in sheets {
        tables.push_str(&format!("<table:table table:name=\"{}\">", escape(sh.name)));
        for row in &sh.rows {
            tables.push_str("<table:table-row>");
            for v in row {
                let cell = match v {
                    V::Blank => "<table:table-cell/>".to_owned(),
                    V::S(t) => format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        escape(t)
                    ),
                    V::N(n) => format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                    ),
                    V::F(n, f) if f.contains('%') => {
                        let shown = format!("{}%", (n * 1000.0).round() / 10.0);
                        format!(
                            "<table:table-cell office:value-type=\"string\"><text:p>{shown}</text:p></table:table-cell>"
                        )
                    }
                    V::F(n, f) => {
                        let decimals = f.split('.').nth(1).map_or(0, |d| d.chars().filter(|&c| c == '0').count());
                        let suffix: String = f.split('"').nth(1).unwrap_or("").to_owned();
                        let shown = format!("{n:.decimals$}{suffix}");
                        format!(
                            "<table:table-cell office:value-type=\"string\"><text:p>{shown}</text:p></table:table-cell>"
                        )
                    }
                    V::D(y, m, d) => format!(
                        "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{d:02}\"><text:p>{y:04}-{m:02}-{d:02}</text:p></table:table-cell>"
                    ),
                    V::Formula(f, result) => format!(
                        "<table:table-cell table:formula=\"of:{}\" office:value-type=\"float\" office:value=\"{result}\"><text:p>{result}</text:p></table:table-cell>",
                        escape(f)
                    ),
                };
                tables.push_str(&cell);
            }
            tables.push_str("</table:table-row>");
        }
        tables.push_str("</table:table>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    w.start_file("META-INF/manifest.xml", deflated).unwrap();
    w.write_all(manifest.as_bytes()).unwrap();
    w.start_file("content.xml", deflated).unwrap();
    w.write_all(content.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// The zip's entries, to rewrite one.
pub fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.name().unwrap().to_string(), data)
        })
        .collect()
}

pub fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The workbook with `from` replaced by `to` in the XML of one entry.
pub fn patch(bytes: &[u8], entry: &str, from: &str, to: &str) -> Vec<u8> {
    let mut list = entries(bytes);
    for (name, data) in &mut list {
        if name == entry {
            let text = String::from_utf8(data.clone()).unwrap();
            assert!(text.contains(from), "{from} not in {text}");
            *data = text.replace(from, to).into_bytes();
        }
    }
    zip_of(&list)
}

/// The zip with the size its entry `name` declares set to `size`, in the local
/// and the central header (what a zip bomb's headers may claim).
pub fn declare_size(bytes: &[u8], name: &str, size: u32) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let name = name.as_bytes();
    for (signature, size_at, name_len_at, name_at) in [(b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)] {
        let mut i = 0;
        while let Some(k) = out[i..].windows(4).position(|w| w == signature) {
            let at = i + k;
            let len = u16::from_le_bytes([out[at + name_len_at], out[at + name_len_at + 1]]) as usize;
            if out.get(at + name_at..at + name_at + len) == Some(name) {
                out[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
            i = at + 4;
        }
    }
    out
}
