//! A small PDF writer for tests: a text laid out as tests/common/ofd.rs lays it out
//! (A4, 28 characters a line, titles centred, page numbers), shown in a Type0 font
//! with Identity-H codes (each character's UTF-16 code) and a ToUnicode map, as
//! Word and WPS write Chinese text. No font program is embedded: the text layer is
//! what a reader extracts.
#![allow(dead_code)]

use std::fmt::Write as _;

use super::ofd::layout;

const PT: f64 = 72.0 / 25.4;
const HEIGHT: f64 = 841.89;

/// The content stream of a page: one text object per line.
fn content(lines: &[(f64, f64, f64, String)]) -> String {
    let mut out = String::new();
    for (x, y, size, text) in lines {
        let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
        let _ =
            writeln!(out, "BT /F1 {:.2} Tf 1 0 0 1 {:.2} {:.2} Tm <{hex}> Tj ET", size * PT, x * PT, HEIGHT - y * PT);
    }
    out
}

/// The ToUnicode map: every two-byte code to itself (surrogates left out).
fn to_unicode() -> String {
    let ranges: Vec<String> = (0..=0xFFu32)
        .filter(|hi| !(0xD8..=0xDF).contains(hi))
        .map(|hi| format!("<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>"))
        .collect();
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in ranges.chunks(100) {
        let _ = write!(out, "{} beginbfrange\n{}\nendbfrange\n", chunk.len(), chunk.join("\n"));
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// The PDF of a text.
pub fn pdf_of(text: &str) -> Vec<u8> {
    let pages = layout(text);
    let n = pages.len();
    // Objects 1–6: catalog, page tree, fonts, ToUnicode, descriptor; then a page and
    // its content for each page.
    let kids: String = (0..n).map(|i| format!("{} 0 R ", 7 + 2 * i)).collect();
    let ascii_widths = vec!["500"; 95].join(" ");
    let cmap = to_unicode();
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!("<< /Type /Pages /Kids [{kids}] /Count {n} >>"),
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>".into(),
        format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 /W [32 [{ascii_widths}]] /CIDToGIDMap /Identity >>"
        ),
        format!("<< /Length {} >>\nstream\n{cmap}endstream", cmap.len()),
        "<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>".into(),
    ];
    for (i, lines) in pages.iter().enumerate() {
        let stream = content(lines);
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 {HEIGHT}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            8 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()));
    }
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", k + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(table, "{o:010} 00000 n ");
    }
    let _ = write!(table, "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    out.extend_from_slice(table.as_bytes());
    out
}
