//! OFD (GB/T 33190-2016), China's fixed-layout format: a zip of XML, read with the
//! same package limits as a .docx. OFD.xml names the document, the document its
//! pages, each page its text objects placed in millimetres, which `layout` makes
//! into paragraphs for the same recogniser as a text's lines.

use std::path::Path;

use roxmltree::Node;

use super::layout::{Segment, ems, lines, paragraphs};
use super::package::{self, Kind, Package};
use super::xml::{self, attr, is};
use super::{Document, DocxError, Fault, Limits};
use crate::import::analyse::Paragraph;

/// Read an .ofd file.
pub fn read(file: &Path, limits: &Limits) -> Result<Document, DocxError> {
    let fault = |fault| DocxError { file: file.to_path_buf(), fault };
    let size = std::fs::metadata(file).map_err(|e| fault(Fault::Io(e)))?.len();
    if size > limits.file_bytes {
        return Err(fault(Fault::FileTooLarge(limits.file_bytes)));
    }
    let bytes = std::fs::read(file).map_err(|e| fault(Fault::Io(e)))?;
    read_bytes(bytes, limits).map_err(fault)
}

/// Read an OFD document from its bytes.
pub fn read_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<Document, Fault> {
    if package::kind(&bytes) != Kind::Zip {
        return Err(Fault::NotOfd);
    }
    let mut pkg = Package::open(bytes, *limits)?;
    if !pkg.has("OFD.xml") {
        return Err(Fault::Missing { part: "OFD.xml (the OFD entry file)".into() });
    }
    let entry = pkg.text("OFD.xml")?;
    let entry = xml::parse(&entry, "OFD.xml", limits)?;
    let root = entry.descendants().find(|n| is(*n, "DocRoot")).and_then(|n| n.text()).map(str::trim);
    let doc_part = root
        .and_then(|r| package::resolve("", r))
        .ok_or_else(|| Fault::Missing { part: "the DocRoot of OFD.xml".into() })?;
    let document = pkg.text(&doc_part)?;
    let document = xml::parse(&document, &doc_part, limits)?;
    let pages: Vec<String> = document
        .descendants()
        .filter(|n| is(*n, "Page") && n.parent().is_some_and(|p| is(p, "Pages")))
        .filter_map(|n| attr(n, "BaseLoc"))
        .filter_map(|loc| package::resolve(&doc_part, loc.trim()))
        .collect();
    let mut segments = Vec::new();
    for (number, part) in pages.iter().enumerate() {
        let text = pkg.text(part)?;
        let page = xml::parse(&text, part, limits)?;
        segments.extend(page_segments(page.root_element(), number));
    }
    let (lines, page_numbers) = lines(segments);
    let mut remarks = vec![format!(
        "an OFD document of {} page(s): its text is laid out in lines, which were joined into paragraphs where a line reaches the right edge and the next starts unindented; check paragraphs and headings",
        pages.len()
    )];
    if page_numbers > 0 {
        remarks.push(format!("{page_numbers} page number line(s) (— 1 —) left out"));
    }
    let paragraphs = paragraphs(&lines).into_iter().map(Paragraph::Text).collect();
    Ok(Document { paragraphs, remarks, ..Document::default() })
}

fn numbers(text: &str) -> Vec<f64> {
    text.split_whitespace().filter_map(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite()).collect()
}

/// The text objects of a page (through layers and page blocks), placed.
fn page_segments(page: Node, number: usize) -> Vec<Segment> {
    let mut out = Vec::new();
    for object in page.descendants().filter(|n| is(*n, "TextObject")) {
        let boundary = numbers(attr(object, "Boundary").unwrap_or(""));
        let (bx, by) = (boundary.first().copied().unwrap_or(0.0), boundary.get(1).copied().unwrap_or(0.0));
        let size =
            attr(object, "Size").and_then(|s| s.trim().parse::<f64>().ok()).filter(|s| *s > 0.0 && s.is_finite());
        let size = size.unwrap_or(3.5);
        let (mut x, mut y) = (0.0, 0.0);
        for code in object.children().filter(|n| is(*n, "TextCode")) {
            // A TextCode without X or Y goes on where the previous one was.
            x = attr(code, "X").and_then(|v| v.trim().parse().ok()).filter(|v: &f64| v.is_finite()).unwrap_or(x);
            y = attr(code, "Y").and_then(|v| v.trim().parse().ok()).filter(|v: &f64| v.is_finite()).unwrap_or(y);
            let text: String = code.text().unwrap_or("").chars().filter(|c| !c.is_control()).collect();
            if text.is_empty() {
                continue;
            }
            let start = bx + x;
            let end = start + ems(&text) * size;
            out.push(Segment { page: number, x: start, y: by + y, size, end, text });
        }
    }
    out
}
