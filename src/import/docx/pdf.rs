//! PDF with a text layer, read with lopdf within limits: what streams inflate to
//! (at loading, per page's content, per font's ToUnicode map), the pages and the
//! text operations read. Each text-showing operation is placed by the text and
//! graphics matrices and decoded through its font's encoding (ToUnicode for the
//! CID fonts Word and WPS embed), and `layout` makes paragraphs of the placed
//! text for the same recogniser as a text's lines. A PDF of scanned pages has no
//! text layer: it is refused, with what to do.

use std::collections::HashMap;
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Encoding, Object};

use super::layout::{Segment, ems, lines, paragraphs};
use super::{Document, DocxError, Fault, Limits};
use crate::import::analyse::Paragraph;

/// Read a .pdf file.
pub fn read(file: &Path, limits: &Limits) -> Result<Document, DocxError> {
    let fault = |fault| DocxError { file: file.to_path_buf(), fault };
    let size = std::fs::metadata(file).map_err(|e| fault(Fault::Io(e)))?.len();
    if size > limits.file_bytes {
        return Err(fault(Fault::FileTooLarge(limits.file_bytes)));
    }
    let bytes = std::fs::read(file).map_err(|e| fault(Fault::Io(e)))?;
    read_bytes(bytes, limits).map_err(fault)
}

/// Read a PDF from its bytes.
pub fn read_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<Document, Fault> {
    // The header may follow a little junk (the standard allows 1,024 bytes).
    if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Err(Fault::NotPdf);
    }
    // lopdf returns errors for what it cannot parse; a panic on some input it did
    // not foresee is taken as damage too, never passed on.
    let limits = *limits;
    std::panic::catch_unwind(move || read_pdf(&bytes, &limits))
        .unwrap_or_else(|_| Err(damaged("the PDF's structure could not be read")))
}

fn damaged(why: impl ToString) -> Fault {
    Fault::Damaged { part: "the PDF".into(), why: why.to_string() }
}

fn read_pdf(bytes: &[u8], limits: &Limits) -> Result<Document, Fault> {
    let per_stream = usize::try_from(limits.entry_bytes).unwrap_or(usize::MAX);
    let options = lopdf::LoadOptions { max_decompressed_size: Some(per_stream), ..Default::default() };
    let doc = lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => Fault::Encrypted,
        e => damaged(e),
    })?;
    let pages = doc.get_pages();
    if pages.len() > limits.entries {
        return Err(Fault::TooManyEntries { found: pages.len() as u64, limit: limits.entries });
    }
    let mut total: u64 = 0;
    let mut segments = Vec::new();
    for (number, (_, &page_id)) in pages.iter().enumerate() {
        let content = doc.get_page_content_with_limit(page_id, per_stream).map_err(damaged)?;
        total += content.len() as u64;
        if total > limits.total_bytes {
            return Err(Fault::TooLarge {
                part: "the pages' content".into(),
                what: "inflates to more than",
                size: total,
                limit: limits.total_bytes,
            });
        }
        let fonts: HashMap<Vec<u8>, Font> = doc
            .get_page_fonts(page_id)
            .unwrap_or_default()
            .into_iter()
            .map(|(name, font)| (name, Font::new(&doc, font, per_stream)))
            .collect();
        let operations = Content::decode(&content).map_err(damaged)?.operations;
        segments.extend(page_text(&operations, &fonts, number));
    }
    let (lines, page_numbers) = lines(segments);
    if lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(Fault::NoTextLayer);
    }
    let mut remarks = vec![format!(
        "a PDF of {} page(s): its text is laid out in lines, which were joined into paragraphs where a line reaches the right edge and the next starts unindented; check paragraphs and headings",
        pages.len()
    )];
    if page_numbers > 0 {
        remarks.push(format!("{page_numbers} page number line(s) (— 1 —) left out"));
    }
    let paragraphs = paragraphs(&lines).into_iter().map(Paragraph::Text).collect();
    Ok(Document { paragraphs, remarks, ..Document::default() })
}

/// What a font tells about its text: how to decode it, and how wide each code is.
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    /// Codes of two bytes (a Type0 font), else of one.
    two_byte: bool,
    first: i64,
    /// Simple fonts: the widths from `first` on; Type0: by CID, and a default.
    widths: Vec<f64>,
    by_code: HashMap<u32, f64>,
    default: f64,
}

/// Widths given per code beyond this many are not read.
const MAX_WIDTHS: usize = 65_536;

impl<'a> Font<'a> {
    fn new(doc: &'a lopdf::Document, font: &'a lopdf::Dictionary, limit: usize) -> Font<'a> {
        let deref = |o: &'a Object| doc.dereference(o).ok().map(|(_, o)| o);
        let array = |o: Option<&'a Object>| match o.and_then(deref) {
            Some(Object::Array(a)) => a.as_slice(),
            _ => &[],
        };
        let encoding = font.get_font_encoding_with_limit(doc, limit).ok();
        let is_type0 = matches!(font.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Type0");
        let mut f =
            Font { encoding, two_byte: is_type0, first: 0, widths: Vec::new(), by_code: HashMap::new(), default: 0.0 };
        if is_type0 {
            let descendant = array(font.get(b"DescendantFonts").ok()).first().and_then(deref);
            let Some(Object::Dictionary(d)) = descendant else { return f };
            f.default = d.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
            let w = array(d.get(b"W").ok());
            let mut i = 0;
            while i < w.len() && f.by_code.len() < MAX_WIDTHS {
                let Some(first) = number(&w[i]) else { break };
                match (w.get(i + 1).and_then(deref), w.get(i + 2).and_then(number)) {
                    (Some(Object::Array(list)), _) => {
                        for (k, width) in list.iter().filter_map(number).enumerate().take(MAX_WIDTHS) {
                            f.by_code.insert(first as u32 + k as u32, width);
                        }
                        i += 2;
                    }
                    (Some(last), Some(width)) => {
                        let last = number(last).unwrap_or(first);
                        let count = ((last - first).max(0.0) as usize + 1).min(MAX_WIDTHS);
                        for k in 0..count {
                            f.by_code.insert(first as u32 + k as u32, width);
                        }
                        i += 3;
                    }
                    _ => break,
                }
            }
        } else {
            f.first = font.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as i64;
            f.widths = array(font.get(b"Widths").ok())
                .iter()
                .take(MAX_WIDTHS)
                .map(|o| deref(o).and_then(number).unwrap_or(0.0))
                .collect();
        }
        f
    }

    /// The width of the codes in `bytes`, in em; `None` when the font gives none.
    fn width(&self, bytes: &[u8]) -> Option<f64> {
        let mut total = 0.0;
        if self.two_byte {
            for code in bytes.chunks(2) {
                let code = code.iter().fold(0u32, |v, b| v * 256 + u32::from(*b));
                total += self.by_code.get(&code).copied().unwrap_or(self.default);
            }
        } else {
            for &b in bytes {
                total += usize::try_from(i64::from(b) - self.first).ok().and_then(|k| self.widths.get(k)).copied()?;
            }
        }
        (total > 0.0).then_some(total / 1000.0)
    }

    fn codes(&self, bytes: &[u8]) -> usize {
        if self.two_byte { bytes.len().div_ceil(2) } else { bytes.len() }
    }
}

/// An affine matrix [a b c d e f], as PDF writes them.
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
    .filter(|v| v.is_finite())
}

/// The text a page shows, placed: y grows down the page (the PDF's y negated).
fn page_text(operations: &[lopdf::content::Operation], fonts: &HashMap<Vec<u8>, Font>, page: usize) -> Vec<Segment> {
    let mut out = Vec::new();
    let (mut ctm, mut stack) = (IDENTITY, Vec::new());
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    let (mut size, mut leading) = (12.0_f64, 0.0_f64);
    let mut font: Option<&Font> = None;
    // Character spacing (Tc) and horizontal scaling (Tz), which justified text uses.
    let (mut spacing, mut scaling) = (0.0_f64, 1.0_f64);
    // Marked content nesting, and the ActualText of the span being read (shown once,
    // in place of what its glyphs decode to: a font without the right glyphs maps
    // them all to one character, and ActualText says what they are).
    let (mut depth, mut actual): (usize, Option<(usize, Option<String>)>) = (0, None);
    for op in operations {
        let nums: Vec<f64> = op.operands.iter().filter_map(number).collect();
        match op.operator.as_str() {
            "q" if stack.len() < 64 => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(IDENTITY),
            "cm" if nums.len() == 6 => ctm = multiply(&[nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]], &ctm),
            "BT" => (tm, tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                font = op.operands.first().and_then(|n| n.as_name().ok()).and_then(|n| fonts.get(n));
                size = nums.first().copied().unwrap_or(size);
            }
            "TL" => leading = nums.first().copied().unwrap_or(leading),
            "Tc" => spacing = nums.first().copied().unwrap_or(spacing),
            "Tz" => scaling = nums.first().map_or(scaling, |z| z / 100.0),
            "Td" | "TD" if nums.len() == 2 => {
                if op.operator == "TD" {
                    leading = -nums[1];
                }
                tlm = multiply(&[1.0, 0.0, 0.0, 1.0, nums[0], nums[1]], &tlm);
                tm = tlm;
            }
            "Tm" if nums.len() == 6 => {
                tlm = [nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]];
                tm = tlm;
            }
            "T*" | "'" | "\"" => {
                tlm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &tlm);
                tm = tlm;
                if op.operator != "T*" {
                    let shown = op.operands.last().map(std::slice::from_ref).unwrap_or_default();
                    show(shown, (font, size, spacing, scaling), &mut tm, &ctm, page, &mut actual, &mut out);
                }
            }
            "BMC" => depth += 1,
            "BDC" => {
                depth += 1;
                if actual.is_none()
                    && let Some(Object::Dictionary(d)) = op.operands.get(1)
                    && let Ok(Object::String(bytes, _)) = d.get(b"ActualText")
                {
                    actual = Some((depth, Some(text_string(bytes))));
                }
            }
            "EMC" => {
                if actual.as_ref().is_some_and(|(d, _)| *d == depth) {
                    actual = None;
                }
                depth = depth.saturating_sub(1);
            }
            "Tj" => show(&op.operands, (font, size, spacing, scaling), &mut tm, &ctm, page, &mut actual, &mut out),
            "TJ" => {
                if let Some(Object::Array(items)) = op.operands.first() {
                    show(items, (font, size, spacing, scaling), &mut tm, &ctm, page, &mut actual, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

/// A PDF text string: UTF-16BE after its byte-order mark, else PDFDocEncoding
/// (Latin-1 for what matters here).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => encoding_rs::UTF_16BE.decode_without_bom_handling(utf16).0.into_owned(),
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Strings shown at the text matrix as one segment (numbers between them move
/// it back, in thousandths of the font size; a move of a character or more is a
/// space); the matrix advances past them by their estimated width. Inside a span
/// with ActualText, that text is shown once instead.
fn show(
    items: &[Object],
    (font, size, spacing, scaling): (Option<&Font>, f64, f64, f64),
    tm: &mut Matrix,
    ctm: &Matrix,
    page: usize,
    actual: &mut Option<(usize, Option<String>)>,
    out: &mut Vec<Segment>,
) {
    let start = multiply(tm, ctm);
    let scale = (start[2] * start[2] + start[3] * start[3]).sqrt();
    let (mut text, mut advance) = (String::new(), 0.0);
    for item in items {
        match item {
            Object::String(bytes, _) => {
                let decoded = match font.and_then(|f| f.encoding.as_ref()) {
                    Some(encoding) => lopdf::Document::decode_text(encoding, bytes).unwrap_or_default(),
                    None => String::from_utf8_lossy(bytes).into_owned(),
                };
                let shown = match actual {
                    Some((_, replacement)) => replacement.take().unwrap_or_default(),
                    None => decoded,
                };
                let shown: String = shown.chars().filter(|c| !c.is_control()).collect();
                let width = font.and_then(|f| f.width(bytes)).unwrap_or_else(|| ems(&shown));
                let codes = font.map_or(bytes.len(), |f| f.codes(bytes)) as f64;
                advance += (width * size + spacing * codes) * scaling;
                text.push_str(&shown);
            }
            other => {
                let moved = number(other).map_or(0.0, |n| -n / 1000.0 * size * scaling);
                if moved >= size && !text.is_empty() {
                    text.push(' ');
                }
                advance += moved;
            }
        }
    }
    *tm = multiply(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], tm);
    let shown = size * scale;
    if !text.trim().is_empty() && shown.is_finite() && shown > 0.0 {
        let end = start[4] + advance * scale;
        out.push(Segment { page, x: start[4], y: -start[5], size: shown, end, text });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_place_text() {
        let m = multiply(&[1.0, 0.0, 0.0, 1.0, 10.0, 20.0], &[2.0, 0.0, 0.0, 2.0, 5.0, 5.0]);
        assert_eq!(m, [2.0, 0.0, 0.0, 2.0, 25.0, 45.0]);
    }

    #[test]
    fn what_is_not_a_pdf_is_refused() {
        assert!(matches!(read_bytes(b"PK\x03\x04".to_vec(), &Limits::default()), Err(Fault::NotPdf)));
        assert!(matches!(read_bytes(b"%PDF-1.7\ngarbage".to_vec(), &Limits::default()), Err(Fault::Damaged { .. })));
    }
}
