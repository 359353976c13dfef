//! OFD (GB/T 33190-2016), China's fixed-layout format: a zip of XML, read with the
//! same package limits as a .docx. OFD.xml names the document, the document its
//! pages, each page its text objects placed in millimetres. The text of a page is
//! laid out in lines, not paragraphs: segments on one baseline make a line, and a
//! line that reaches the right edge of the text followed by one that starts at
//! the left edge (not indented, as a 公文's paragraphs are) is one paragraph
//! wrapped. Page numbers (— 1 —) are left out. The paragraphs then go to the same
//! recogniser as a text's lines.

use std::path::Path;
use std::sync::LazyLock;

use roxmltree::Node;

use super::package::{self, Kind, Package};
use super::xml::{self, attr, is};
use super::{Document, DocxError, Fault, Limits};
use crate::import::analyse::Paragraph;

static PAGE_NUMBER: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[—–\-－]\s*\d{1,4}\s*[—–\-－]$").expect("pattern"));

/// A run of text placed on a page: its baseline, where it starts and (estimated)
/// ends, in millimetres.
#[derive(Debug, Clone)]
struct Segment {
    page: usize,
    x: f64,
    y: f64,
    size: f64,
    end: f64,
    text: String,
}

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

/// Width of text in em: CJK and full-width characters one, others a half.
fn ems(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() || ('\u{FF61}'..='\u{FFDC}').contains(&c) { 0.5 } else { 1.0 }).sum()
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

/// Segments on one baseline joined into lines (a space where a gap is wider than a
/// character), in reading order; page numbers counted and left out.
fn lines(mut segments: Vec<Segment>) -> (Vec<Segment>, usize) {
    segments.sort_by(|a, b| a.page.cmp(&b.page).then(a.y.total_cmp(&b.y)));
    // Segments whose baselines are within a third of a character of the line's first.
    let mut groups: Vec<Vec<Segment>> = Vec::new();
    for s in segments {
        match groups.last_mut() {
            Some(g) if g[0].page == s.page && (g[0].y - s.y).abs() <= 0.3 * g[0].size.max(s.size) => g.push(s),
            _ => groups.push(vec![s]),
        }
    }
    let mut out: Vec<Segment> = Vec::with_capacity(groups.len());
    for mut g in groups {
        g.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut parts = g.into_iter();
        let Some(mut line) = parts.next() else { continue };
        for s in parts {
            if s.x - line.end > 0.8 * s.size {
                line.text.push(' ');
            }
            line.text.push_str(&s.text);
            line.end = line.end.max(s.end);
            line.size = line.size.max(s.size);
        }
        out.push(line);
    }
    let before = out.len();
    out.retain(|l| !PAGE_NUMBER.is_match(l.text.trim()));
    let dropped = before - out.len();
    (out, dropped)
}

/// Lines joined into paragraphs: a line that reaches the right edge of the body
/// text continues in the next one when that one starts at the left edge, with the
/// same size, just below (or at the top of the next page).
fn paragraphs(lines: &[Segment]) -> Vec<String> {
    let mut sizes: Vec<f64> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f64::total_cmp);
    let Some(&body) = sizes.get(sizes.len() / 2) else { return Vec::new() };
    let body_lines = || lines.iter().filter(|l| (l.size - body).abs() <= 0.1 * body);
    let left = body_lines().map(|l| l.x).fold(f64::INFINITY, f64::min);
    let right = body_lines().map(|l| l.end).fold(f64::NEG_INFINITY, f64::max);
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<&Segment> = None;
    for line in lines {
        let continues = prev.is_some_and(|p| {
            (p.size - line.size).abs() <= 0.1 * body
                && p.end >= right - 1.2 * p.size
                && line.x <= left + 0.5 * line.size
                && ((p.page == line.page && line.y > p.y && line.y - p.y <= 2.5 * p.size) || line.page == p.page + 1)
        });
        // Spaces at a break belong to the text (a line may wrap just after one).
        match out.last_mut() {
            Some(last) if continues => last.push_str(&line.text),
            _ => out.push(line.text.trim_start().to_owned()),
        }
        prev = Some(line);
    }
    out.iter().map(|p| p.trim_end().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(page: usize, x: f64, y: f64, text: &str) -> Segment {
        Segment { page, x, y, size: 5.0, end: x + ems(text) * 5.0, text: text.to_owned() }
    }

    #[test]
    fn wrapped_lines_become_one_paragraph() {
        // The title is set larger, so it does not count for the body's edges.
        let title =
            Segment { size: 7.0, end: 30.0 + 11.0 * 7.0, ..seg(0, 30.0, 40.0, "关于做好某项工作的通知") };
        let lines = [
            title,
            seg(0, 10.0, 60.0, "各学校："),
            seg(0, 20.0, 70.0, "一二三四五六七八"),
            seg(0, 10.0, 80.0, "九十。"),
            seg(0, 20.0, 90.0, "二段一二三四五六"),
            seg(1, 10.0, 20.0, "续页。"),
            seg(1, 20.0, 30.0, "短。"),
        ];
        assert_eq!(
            paragraphs(&lines),
            ["关于做好某项工作的通知", "各学校：", "一二三四五六七八九十。", "二段一二三四五六续页。", "短。"]
        );
    }

    #[test]
    fn segments_on_a_baseline_make_a_line_and_page_numbers_go() {
        let (lines, dropped) = lines(vec![
            seg(0, 40.0, 50.0, "乙"),
            seg(0, 10.0, 50.2, "甲"),
            seg(0, 50.0, 280.0, "— 1 —"),
            seg(0, 10.0, 60.0, "丙"),
        ]);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!((texts, dropped), (vec!["甲 乙", "丙"], 1));
    }
}
