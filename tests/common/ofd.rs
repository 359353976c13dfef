//! A small OFD writer for tests (and the layout the PDF writer shares): a text laid
//! out on A4 pages as a 公文 is (GB/T
//! 9704: a 156 mm line of 28 characters, 22 lines a page, paragraphs indented two
//! characters, titles centred and larger, a page number under each page), written
//! as GB/T 33190 XML in a zip: OFD.xml, Doc_0/Document.xml, one Content.xml a page.
#![allow(dead_code)]

use super::docx::{esc, zip_of};

const NS: &str = "http://www.ofdspec.org/2016";
const LEFT: f64 = 28.0;
const TOP: f64 = 37.0;
const WIDTH: f64 = 156.0;
const SIZE: f64 = WIDTH / 28.0;
const TITLE: f64 = 7.7;
const LINE: f64 = 225.0 / 22.0;

/// Width of text in em, as the reader estimates it.
fn ems(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

/// `text` cut into lines of at most `width` em, the first `indent` em shorter.
fn wrap(text: &str, width: f64, indent: f64) -> Vec<(f64, String)> {
    let mut out = Vec::new();
    let (mut line, mut room) = (String::new(), width - indent);
    for c in text.chars() {
        if ems(&line) + ems(&c.to_string()) > room {
            out.push((if out.is_empty() { indent } else { 0.0 }, std::mem::take(&mut line)));
            room = width;
        }
        line.push(c);
    }
    out.push((if out.is_empty() { indent } else { 0.0 }, line));
    out
}

/// A text laid out on A4 pages as a 公文 is: one paragraph per non-empty line;
/// per page, (x, baseline, size, text) in millimetres from the top left, the page
/// number last.
pub fn layout(text: &str) -> Vec<Vec<(f64, f64, f64, String)>> {
    let title_like = |l: &str| {
        let sentence = l.contains([':', '：', ',', '，', '。']);
        (l.contains("关于") || l.ends_with("通知") || l.ends_with("意見")) && !sentence && l.chars().count() < 60
    };
    // (x, baseline, size, text) per page.
    let mut pages: Vec<Vec<(f64, f64, f64, String)>> = vec![Vec::new()];
    let mut y = TOP;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (size, pieces) =
            if title_like(line) { (TITLE, wrap(line, WIDTH / TITLE, 0.0)) } else { (SIZE, wrap(line, 28.0, 2.0)) };
        for (indent, piece) in pieces {
            y += if size == TITLE { LINE * 1.3 } else { LINE };
            if y > TOP + 225.0 {
                pages.push(Vec::new());
                y = TOP + LINE;
            }
            let x = if size == TITLE { LEFT + (WIDTH - ems(&piece) * size) / 2.0 } else { LEFT + indent * size };
            pages.last_mut().unwrap().push((x, y, size, piece));
        }
    }
    for (i, lines) in pages.iter_mut().enumerate() {
        let number = format!("— {} —", i + 1);
        lines.push((LEFT + (WIDTH - ems(&number) * SIZE) / 2.0, 282.0, SIZE, number));
    }
    pages
}

/// The OFD of a text, laid out by `layout`.
pub fn ofd_of(text: &str) -> Vec<u8> {
    let pages = layout(text);
    let mut entries: Vec<(String, Vec<u8>)> = vec![(
        "OFD.xml".into(),
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD xmlns:ofd=\"{NS}\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>").into_bytes(),
    )];
    let page_refs: String = (0..pages.len())
        .map(|i| format!("<ofd:Page ID=\"{}\" BaseLoc=\"Pages/Page_{i}/Content.xml\"/>", i + 1))
        .collect();
    entries.push((
        "Doc_0/Document.xml".into(),
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Document xmlns:ofd=\"{NS}\"><ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>").into_bytes(),
    ));
    for (i, lines) in pages.iter().enumerate() {
        let mut objects = String::new();
        for (k, (x, y, size, text)) in lines.iter().enumerate() {
            // Boundary at the line's box; the TextCode's baseline inside it.
            objects.push_str(&format!(
                "<ofd:TextObject ID=\"{}\" Boundary=\"{x:.2} {:.2} {:.2} {:.2}\" Font=\"1\" Size=\"{size:.3}\"><ofd:TextCode X=\"0\" Y=\"{size:.3}\">{}</ofd:TextCode></ofd:TextObject>",
                k + 2,
                y - size,
                ems(text) * size,
                size * 1.2,
                esc(text)
            ));
        }
        entries.push((
            format!("Doc_0/Pages/Page_{i}/Content.xml"),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Page xmlns:ofd=\"{NS}\"><ofd:Content><ofd:Layer ID=\"1\">{objects}</ofd:Layer></ofd:Content></ofd:Page>").into_bytes(),
        ));
    }
    zip_of(&entries)
}
