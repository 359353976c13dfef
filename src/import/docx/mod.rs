//! Reading Word documents (.docx, .docm) — and, in `ofd` and `pdf`, OFD documents,
//! which share the package and its limits, and PDFs with a text layer — for
//! `gongkai import`: the package and
//! its XML become paragraphs for the same recogniser that reads legacy text
//! (`analyse::analyse_paragraphs`), plus what only the Word file holds — tables,
//! footnotes, pictures and embedded files.
//!
//! Nothing here decides what a paragraph is: the text does, in `analyse`. This
//! reader only makes the paragraphs Word shows: tracked changes accepted, comments
//! and hidden text left out, automatic numbers written out as Word displays them.
//!
//! Every input is bounded: the file's size, the number of zip entries, what each
//! part and all parts inflate to (counted, not taken from the headers), the
//! compression ratio, the XML's nodes and depth.

mod body;
mod layout;
mod numbering;
pub mod ofd;
mod package;
pub mod pdf;
mod tables;
mod xml;

use std::path::{Path, PathBuf};

use crate::import::analyse::Paragraph;
use package::{Kind, Package, Rels};

/// What a Word file may take. The defaults fit any real notice with room to spare.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The .docx file itself.
    pub file_bytes: u64,
    /// Entries in the zip.
    pub entries: usize,
    /// What one part may inflate to.
    pub entry_bytes: u64,
    /// What all the parts read may inflate to together.
    pub total_bytes: u64,
    /// Inflated ÷ compressed size, checked once a part passes `ratio_from` bytes.
    pub ratio: u64,
    pub ratio_from: u64,
    /// XML elements nested in one another.
    pub depth: usize,
    /// XML nodes in one part.
    pub nodes: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 64 << 20,
            entries: 2_000,
            entry_bytes: 64 << 20,
            total_bytes: 256 << 20,
            ratio: 200,
            ratio_from: 1 << 20,
            depth: 100,
            nodes: 4_000_000,
        }
    }
}

/// Why a Word file is not read.
#[derive(Debug, thiserror::Error)]
pub enum Fault {
    #[error("cannot read it: {0}")]
    Io(std::io::Error),
    #[error("the file is larger than {} MiB: not a notice", .0 >> 20)]
    FileTooLarge(u64),
    #[error(
        "a binary Word (.doc) or WPS (.wps) document, which gongkai does not read: save it as .docx and import that (Word: 文件 → 另存为 → Word 文档(*.docx); WPS: 文件 → 另存为 → 文件类型选择 .docx)"
    )]
    Binary,
    #[error(
        "the document is password-protected (encrypted): open it with its password, remove the password and save it, then import it again (Word: 文件 → 信息 → 保护文档 → 用密码进行加密, empty the password; WPS: 文件 → 文档加密 → 密码加密, empty the password)"
    )]
    Encrypted,
    #[error(
        "not a Word document: it is not a zip package (a .docx is one); if it is a Word file, open it in Word or WPS and save it as .docx"
    )]
    NotZip,
    #[error(
        "the file is damaged ({part}: {why}); open it in the program that made it (Word, WPS, a PDF or OFD reader), which may repair it, and save it again"
    )]
    Damaged { part: String, why: String },
    #[error("the package has no {part}")]
    Missing { part: String },
    #[error("not an OFD document: it is not a zip package (an .ofd is one with OFD.xml inside)")]
    NotOfd,
    #[error("not a PDF: it does not start with %PDF-")]
    NotPdf,
    #[error(
        "the PDF has no text layer (scanned pages are pictures of text): import the document it was made from (.docx, .ofd or text), or run text recognition (OCR) on it first"
    )]
    NoTextLayer,
    #[error("the zip holds {found} entries, more than the limit of {limit}: refused")]
    TooManyEntries { found: u64, limit: usize },
    #[error(
        "{part} {what} {size} bytes, beyond the limit of {limit}: refused (a zip bomb, or a document far larger than a notice)"
    )]
    TooLarge { part: String, what: &'static str, size: u64, limit: u64 },
    #[error("{part} inflates to more than the size its header declares: refused (a zip bomb, or a damaged file)")]
    Lies { part: String },
    #[error("{part} is compressed {ratio}:1, beyond the limit of {limit}:1: refused as a zip bomb")]
    Ratio { part: String, ratio: u64, limit: u64 },
    #[error("{part} is not well-formed XML: {why}")]
    Xml { part: String, why: String },
    #[error("{part} nests its XML more than {limit} levels deep: refused")]
    TooDeep { part: String, limit: usize },
}

/// A Word file that could not be read: the file, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {fault}", file.display())]
pub struct DocxError {
    pub file: PathBuf,
    pub fault: Fault,
}

/// A file of the package saved beside the notice.
#[derive(Debug, Clone)]
pub struct SavedFile {
    /// A safe file name: no folders, no control characters, unique in the notice.
    pub name: String,
    /// Where it was in the package.
    pub part: String,
    pub bytes: Vec<u8>,
    /// An embedded file (word/embeddings), declared as an attachment; else a picture
    /// shown in the body.
    pub embedded: bool,
}

/// A Word document, read.
#[derive(Debug, Default)]
pub struct Document {
    /// The paragraphs in reading order, for the recogniser. Text may hold inline
    /// markers (see `resolve`).
    pub paragraphs: Vec<Paragraph>,
    /// The Markdown each inline marker stands for: a footnote reference, a picture.
    pub inlines: Vec<String>,
    /// Footnote and endnote definitions: (label, Markdown text), in order of reference.
    pub notes: Vec<(String, String)>,
    pub files: Vec<SavedFile>,
    /// What the report should say: tracked changes accepted, comments dropped …
    pub remarks: Vec<String>,
}

/// The first inline marker: one character of Supplementary Private Use Area-A per
/// marker, which no step of the recogniser reads or escapes.
const MARKER_BASE: u32 = 0xF_0000;
const MAX_MARKERS: usize = 0xFFFD;

pub(crate) fn marker(k: usize) -> char {
    char::from_u32(MARKER_BASE + k as u32).unwrap_or('\u{FFFD}')
}

fn marker_index(c: char) -> Option<usize> {
    let v = c as u32;
    (MARKER_BASE..MARKER_BASE + MAX_MARKERS as u32).contains(&v).then(|| (v - MARKER_BASE) as usize)
}

impl Document {
    /// Markdown with every marker replaced by what it stands for.
    pub fn resolve(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match marker_index(c).and_then(|k| self.inlines.get(k)) {
                Some(md) => out.push_str(md),
                None => out.push(c),
            }
        }
        out
    }

    /// Text without markers, for metadata.
    pub fn strip(text: &str) -> String {
        text.chars().filter(|&c| marker_index(c).is_none()).collect::<String>().trim().to_owned()
    }

    /// The note definitions that `markdown` refers to, in one pass over it.
    pub fn notes_in(&self, markdown: &str) -> Vec<String> {
        let mut used = std::collections::HashSet::new();
        for (at, _) in markdown.match_indices("[^") {
            let rest = &markdown[at + 2..];
            if let Some(end) = rest.find(']') {
                used.insert(&rest[..end]);
            }
        }
        self.notes
            .iter()
            .filter(|(label, _)| used.contains(label.as_str()))
            .map(|(label, text)| format!("[^{label}]: {text}"))
            .collect()
    }
}

/// Read a .docx or .docm file.
pub fn read(file: &Path, limits: &Limits) -> Result<Document, DocxError> {
    read_fault(file, limits).map_err(|fault| DocxError { file: file.to_path_buf(), fault })
}

/// What kind of file this is by its first bytes: whether the Word reader should
/// have it (a zip, or an OLE container it will name).
pub fn looks_like_word(bytes: &[u8]) -> bool {
    package::kind(bytes) != Kind::Other
}

fn read_fault(file: &Path, limits: &Limits) -> Result<Document, Fault> {
    let size = std::fs::metadata(file).map_err(Fault::Io)?.len();
    if size > limits.file_bytes {
        return Err(Fault::FileTooLarge(limits.file_bytes));
    }
    let bytes = std::fs::read(file).map_err(Fault::Io)?;
    read_bytes(bytes, limits)
}

/// Read a Word document from its bytes.
pub fn read_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<Document, Fault> {
    match package::kind(&bytes) {
        Kind::Zip => {}
        Kind::Encrypted => return Err(Fault::Encrypted),
        Kind::Binary => return Err(Fault::Binary),
        Kind::Other => return Err(Fault::NotZip),
    }
    let mut pkg = Package::open(bytes, *limits)?;
    let main = main_part(&mut pkg, limits)?;
    let mut remarks = Vec::new();
    if macros(&mut pkg, &main, limits)? {
        remarks.push(
            "the document holds macros (a .docm, word/vbaProject.bin): they were ignored and never run; only the text was read"
                .to_owned(),
        );
    }
    let rels = rels_of(&mut pkg, &main, limits)?;
    let part_of = |kind: &str| {
        rels.values().find(|r| r.kind == kind && !r.external).and_then(|r| package::resolve(&main, &r.target))
    };
    let (styles_part, numbering_part) = (part_of("styles"), part_of("numbering"));
    let (footnotes_part, endnotes_part) = (part_of("footnotes"), part_of("endnotes"));
    let styles_text = pkg.optional_text(styles_part.as_deref())?;
    let numbering_text = pkg.optional_text(numbering_part.as_deref())?;
    let footnotes_text = pkg.optional_text(footnotes_part.as_deref())?;
    let endnotes_text = pkg.optional_text(endnotes_part.as_deref())?;
    let document_text = pkg.text(&main)?;

    let styles = parse_optional(&styles_text, styles_part.as_deref(), limits)?;
    let numbering_doc = parse_optional(&numbering_text, numbering_part.as_deref(), limits)?;
    let footnotes = parse_optional(&footnotes_text, footnotes_part.as_deref(), limits)?;
    let endnotes = parse_optional(&endnotes_text, endnotes_part.as_deref(), limits)?;
    let document = xml::parse(&document_text, &main, limits)?;

    let numbering = numbering::Numbering::new(numbering_doc.as_ref(), styles.as_ref());
    let mut walker = body::Walker::new(&main, &rels, numbering, footnotes.as_ref(), endnotes.as_ref());
    walker.document(&document);
    let mut doc = walker.finish(&mut remarks);
    let masthead = first_page_header(&mut pkg, &main, &rels, &document, limits, &mut remarks);
    if !masthead.is_empty() {
        remarks.push(format!(
            "{} line(s) of the 版头 found in the first page's header were read before the text: {}",
            masthead.len(),
            masthead.join(" / ")
        ));
        doc.paragraphs.splice(0..0, masthead.into_iter().map(Paragraph::Text));
    }
    save_files(&mut pkg, &mut doc, &mut remarks);
    doc.remarks = remarks;
    Ok(doc)
}

fn parse_optional<'a>(
    text: &'a Option<String>,
    part: Option<&str>,
    limits: &Limits,
) -> Result<Option<roxmltree::Document<'a>>, Fault> {
    match (text, part) {
        (Some(t), Some(p)) => xml::parse(t, p, limits).map(Some),
        _ => Ok(None),
    }
}

/// The main document part, from the package's relationships (word/document.xml
/// in every file Word or WPS writes).
fn main_part(pkg: &mut Package, limits: &Limits) -> Result<String, Fault> {
    if pkg.has("_rels/.rels") {
        let text = pkg.text("_rels/.rels")?;
        let rels = xml::rels(&text, "_rels/.rels", limits)?;
        if let Some(part) = rels
            .values()
            .filter(|r| r.kind == "officeDocument" && !r.external)
            .find_map(|r| package::resolve("", &r.target))
            && pkg.has(&part)
        {
            return Ok(part);
        }
    }
    if pkg.has("word/document.xml") {
        return Ok("word/document.xml".into());
    }
    Err(Fault::Missing { part: "word/document.xml (the main document): it is not a Word document".into() })
}

/// The lines of the first page's header that belong to the 版头 (…文件, the
/// document number, 签发人): some templates set the 红头 there. The rest of a
/// header (page numbers, running titles) is not the document's text. A header
/// that cannot be read is reported and passed over.
fn first_page_header(
    pkg: &mut Package,
    main: &str,
    rels: &Rels,
    document: &roxmltree::Document,
    limits: &Limits,
    remarks: &mut Vec<String>,
) -> Vec<String> {
    let Some(sect) = document.descendants().find(|n| xml::is(*n, "sectPr")) else { return Vec::new() };
    let wanted = if xml::on(sect, "titlePg") { "first" } else { "default" };
    let part = xml::elements(sect)
        .filter(|n| xml::is(*n, "headerReference") && xml::attr(*n, "type").unwrap_or("default") == wanted)
        .find_map(|n| xml::rel_attr(n, "id"))
        .and_then(|id| rels.get(id))
        .filter(|r| !r.external)
        .and_then(|r| package::resolve(main, &r.target));
    let Some(part) = part else { return Vec::new() };
    let text = match pkg.optional_text(Some(&part)) {
        Ok(Some(t)) => t,
        Ok(None) => return Vec::new(),
        Err(e) => {
            remarks.push(format!("the page header {part} was not read: {e}"));
            return Vec::new();
        }
    };
    let header = match xml::parse(&text, &part, limits) {
        Ok(h) => h,
        Err(e) => {
            remarks.push(format!("the page header {part} was not read: {e}"));
            return Vec::new();
        }
    };
    let no_rels = Rels::new();
    let mut walker = body::Walker::new(&part, &no_rels, numbering::Numbering::default(), None, None);
    walker.block_children(header.root_element());
    walker
        .out
        .into_iter()
        .filter_map(|p| match p {
            Paragraph::Text(t) if crate::import::analyse::is_masthead_line(&t) => Some(t.trim().to_owned()),
            _ => None,
        })
        .collect()
}

/// Whether the package holds macros: a VBA project, or a main part declared
/// macro-enabled.
fn macros(pkg: &mut Package, main: &str, limits: &Limits) -> Result<bool, Fault> {
    if pkg.names().iter().any(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin")) {
        return Ok(true);
    }
    let Some(types) = pkg.optional_text(Some("[Content_Types].xml"))? else { return Ok(false) };
    let doc = xml::parse(&types, "[Content_Types].xml", limits)?;
    let main_name = format!("/{main}");
    Ok(doc.descendants().any(|n| {
        n.tag_name().name() == "Override"
            && xml::attr(n, "PartName").is_some_and(|p| p.eq_ignore_ascii_case(&main_name))
            && xml::attr(n, "ContentType").is_some_and(|t| t.contains("macroEnabled"))
    }))
}

fn rels_of(pkg: &mut Package, part: &str, limits: &Limits) -> Result<Rels, Fault> {
    let rels_part = package::rels_part(part);
    match pkg.optional_text(Some(&rels_part))? {
        Some(text) => xml::rels(&text, &rels_part, limits),
        None => Ok(Rels::new()),
    }
}

/// The pictures and embedded files the body refers to, read from the package. A
/// part that cannot be read is reported and left out; the text is kept.
fn save_files(pkg: &mut Package, doc: &mut Document, remarks: &mut Vec<String>) {
    let mut kept = Vec::with_capacity(doc.files.len());
    for mut f in std::mem::take(&mut doc.files) {
        match pkg.bytes(&f.part) {
            Ok(bytes) => {
                f.bytes = bytes;
                kept.push(f);
            }
            Err(e) => {
                remarks.push(format!("{} was not saved: {e}", f.part));
                // Nor shown or linked: the body must not point at a file that is not there.
                let link = format!("]({})", f.name);
                for inline in doc.inlines.iter_mut().filter(|m| m.ends_with(&link)) {
                    for p in doc.paragraphs.iter_mut().filter(|p| **p == Paragraph::Block(inline.clone())) {
                        *p = Paragraph::Text(String::new());
                    }
                    inline.clear();
                }
            }
        }
    }
    doc.files = kept;
}

/// A name from inside the zip made safe to write: its last segment only, without
/// control characters or characters Windows forbids, no leading dot, at most 80
/// characters; `fallback` when nothing is left.
pub fn safe_file_name(name: &str, fallback: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | '(' | ')' | '[' | ']'))
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c == '_' || c == '-');
    let short: String = trimmed.chars().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect();
    if short.is_empty() || short == "index.md" { fallback.to_owned() } else { short }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_zip_are_made_safe() {
        assert_eq!(safe_file_name("word/media/image1.png", "x"), "image1.png");
        assert_eq!(safe_file_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(safe_file_name("/abs/..", "x"), "x");
        assert_eq!(safe_file_name("C:\\evil\\a b.xlsx", "x"), "a_b.xlsx");
        assert_eq!(safe_file_name("word/embeddings/\u{7}.hidden\u{0}", "x"), "hidden");
        assert_eq!(safe_file_name("word/media/index.md", "x"), "x");
        assert_eq!(safe_file_name("word/media/附件(1).xlsx", "x"), "附件1.xlsx");
    }

    #[test]
    fn markers_round_trip() {
        let doc = Document { inlines: vec!["[^1]".into()], ..Document::default() };
        let text = format!("正文{}。", marker(0));
        assert_eq!(doc.resolve(&text), "正文[^1]。");
        assert_eq!(Document::strip(&text), "正文。");
        let doc =
            Document { notes: vec![("1".into(), "甲".into()), ("2".into(), "乙".into())], ..Document::default() };
        assert_eq!(doc.notes_in("正文[^2]。"), ["[^2]: 乙"]);
    }
}
