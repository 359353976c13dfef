//! The main document part walked in reading order: paragraphs (with their automatic
//! numbers), runs, tracked changes accepted (insertions kept, deletions and
//! moved-from text dropped), comments and hidden text left out, text boxes read
//! where they are anchored, footnotes and pictures as inline markers.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::numbering::Numbering;
use super::package::{self, Rels};
use super::tables::escape_md;
use super::xml::{attr, child, elements, is, on, rel_attr};
use super::{MAX_MARKERS, SavedFile, marker, safe_file_name};
use crate::import::analyse::Paragraph;

/// What was accepted or left out, for the report.
#[derive(Debug, Default)]
pub(super) struct Stats {
    pub(super) insertions: usize,
    pub(super) deletions: usize,
    pub(super) moves: usize,
    pub(super) comments: usize,
    pub(super) hidden: usize,
    pub(super) merged: usize,
    pub(super) linked: usize,
    pub(super) refused: Vec<String>,
    pub(super) markdown_tables: usize,
    pub(super) html_tables: usize,
    pub(super) layout_tables: usize,
}

/// The text of one paragraph as it is built: lines split at Word's line breaks.
pub(super) struct Buf {
    lines: Vec<String>,
}

impl Buf {
    fn new(start: String) -> Buf {
        Buf { lines: vec![start] }
    }

    fn push(&mut self, s: &str) {
        if let Some(l) = self.lines.last_mut() {
            l.push_str(s);
        }
    }

    fn newline(&mut self) {
        self.lines.push(String::new());
    }
}

pub(super) struct Walker<'a, 'i> {
    main: &'a str,
    rels: &'a Rels,
    numbering: Numbering,
    footnotes: HashMap<&'a str, Node<'a, 'i>>,
    endnotes: HashMap<&'a str, Node<'a, 'i>>,
    /// The paragraphs made so far (a table cell's or a note's, while one is read).
    pub(super) out: Vec<Paragraph>,
    pub(super) inlines: Vec<String>,
    images: Vec<bool>,
    notes: Vec<(String, String)>,
    files: Vec<SavedFile>,
    /// Text of a paragraph whose mark was deleted: it joins the next paragraph.
    carry: String,
    pub(super) in_cell: usize,
    in_note: bool,
    pub(super) stats: Stats,
}

fn notes_by_id<'a, 'i>(doc: Option<&'a Document<'i>>) -> HashMap<&'a str, Node<'a, 'i>> {
    let Some(doc) = doc else { return HashMap::new() };
    elements(doc.root_element())
        .filter(|n| attr(*n, "type").is_none_or(|t| t == "normal"))
        .filter_map(|n| Some((attr(n, "id")?, n)))
        .collect()
}

/// The first branch of `mc:AlternateContent` (Word writes its modern markup there
/// and a VML copy in the fallback; reading both would double the text).
fn alternate<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    child(node, "Choice").or_else(|| child(node, "Fallback"))
}

const PICTURES: &[&str] = &["png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "emf", "wmf", "webp"];
/// Files a browser would run as a page if they were published.
const ACTIVE: &[&str] = &["htm", "html", "xhtml", "svg", "js", "mjs", "xml", "xsl"];

impl<'a, 'i> Walker<'a, 'i> {
    pub(super) fn new(
        main: &'a str,
        rels: &'a Rels,
        numbering: Numbering,
        footnotes: Option<&'a Document<'i>>,
        endnotes: Option<&'a Document<'i>>,
    ) -> Self {
        Walker {
            main,
            rels,
            numbering,
            footnotes: notes_by_id(footnotes),
            endnotes: notes_by_id(endnotes),
            out: Vec::new(),
            inlines: Vec::new(),
            images: Vec::new(),
            notes: Vec::new(),
            files: Vec::new(),
            carry: String::new(),
            in_cell: 0,
            in_note: false,
            stats: Stats::default(),
        }
    }

    pub(super) fn document(&mut self, doc: &Document) {
        if let Some(body) = child(doc.root_element(), "body") {
            self.block_children(body);
        }
    }

    /// Paragraphs, tables and what wraps them.
    pub(super) fn block_children(&mut self, node: Node) {
        for c in elements(node) {
            match c.tag_name().name() {
                "p" => self.paragraph(c),
                "tbl" => self.table(c),
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.block_children(content);
                    }
                }
                "customXml" | "moveTo" => self.block_children(c),
                "ins" => {
                    self.stats.insertions += 1;
                    self.block_children(c);
                }
                "del" => self.stats.deletions += 1,
                "moveFrom" => self.stats.moves += 1,
                "AlternateContent" => {
                    if let Some(branch) = alternate(c) {
                        self.block_children(branch);
                    }
                }
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: Node) {
        let ppr = child(p, "pPr");
        let mut buf = Buf::new(std::mem::take(&mut self.carry));
        self.inline(p, &mut buf);
        let mark = ppr.and_then(|p| child(p, "rPr"));
        if mark.is_some_and(|m| child(m, "del").is_some() || child(m, "moveFrom").is_some()) {
            // A deleted paragraph mark: accepting it joins this paragraph to the next.
            self.stats.merged += 1;
            self.carry = buf.lines.join("");
            return;
        }
        if let Some((num, ilvl)) = self.numbering.list_of(ppr)
            && let Some(label) = self.numbering.next(&num, ilvl)
        {
            buf.lines[0].insert_str(0, &label);
        }
        self.emit(buf);
    }

    fn emit(&mut self, buf: Buf) {
        for line in buf.lines {
            let pictures: Vec<usize> = line.chars().filter_map(super::marker_index).collect();
            let only_pictures = !pictures.is_empty()
                && pictures.iter().all(|&k| self.images.get(k) == Some(&true))
                && line.chars().all(|c| c.is_whitespace() || super::marker_index(c).is_some());
            if only_pictures && self.in_cell == 0 && !self.in_note {
                for k in pictures {
                    self.out.push(Paragraph::Block(self.inlines[k].clone()));
                }
            } else {
                self.out.push(Paragraph::Text(line));
            }
        }
    }

    /// The content of a paragraph (or of what wraps runs in it).
    fn inline(&mut self, node: Node, buf: &mut Buf) {
        for c in elements(node) {
            match c.tag_name().name() {
                "r" => self.run(c, buf),
                "ins" => {
                    self.stats.insertions += 1;
                    self.inline(c, buf);
                }
                "moveTo" | "hyperlink" | "smartTag" | "customXml" | "fldSimple" | "dir" | "bdo" => self.inline(c, buf),
                "del" => self.stats.deletions += 1,
                "moveFrom" => self.stats.moves += 1,
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.inline(content, buf);
                    }
                }
                "AlternateContent" => {
                    if let Some(branch) = alternate(c) {
                        self.inline(branch, buf);
                    }
                }
                "oMath" | "oMathPara" => {
                    let math: String = c.descendants().filter(|n| is(*n, "t")).filter_map(|n| n.text()).collect();
                    buf.push(&math);
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, r: Node, buf: &mut Buf) {
        if child(r, "rPr").is_some_and(|p| on(p, "vanish") || on(p, "specVanish")) {
            if elements(r).any(|c| is(c, "t")) {
                self.stats.hidden += 1;
            }
            return;
        }
        self.run_items(r, buf);
    }

    fn run_items(&mut self, r: Node, buf: &mut Buf) {
        for c in elements(r) {
            match c.tag_name().name() {
                "t" => buf.push(c.text().unwrap_or("")),
                "tab" | "ptab" => buf.push("\t"),
                "br" | "cr" => buf.newline(),
                "noBreakHyphen" => buf.push("-"),
                "footnoteReference" => self.note_ref(c, true, buf),
                "endnoteReference" => self.note_ref(c, false, buf),
                "drawing" | "pict" | "object" => self.graphic(c, buf),
                "AlternateContent" => {
                    if let Some(branch) = alternate(c) {
                        self.run_items(branch, buf);
                    }
                }
                "ruby" => {
                    if let Some(base) = child(c, "rubyBase") {
                        self.inline(base, buf);
                    }
                }
                "commentReference" => self.stats.comments += 1,
                // delText, instrText (field codes), footnoteRef, annotationRef …: not text shown.
                _ => {}
            }
        }
    }

    /// A marker in the text that stands for `markdown`.
    fn put_marker(&mut self, markdown: String, picture: bool, buf: &mut Buf) {
        if self.inlines.len() >= MAX_MARKERS {
            return;
        }
        buf.push(&marker(self.inlines.len()).to_string());
        self.inlines.push(markdown);
        self.images.push(picture);
    }

    fn note_ref(&mut self, c: Node, foot: bool, buf: &mut Buf) {
        if self.in_note {
            return;
        }
        let map = if foot { &self.footnotes } else { &self.endnotes };
        let Some(node) = attr(c, "id").and_then(|id| map.get(id)).copied() else { return };
        let label = (self.notes.len() + 1).to_string();
        let saved = std::mem::take(&mut self.out);
        self.in_note = true;
        self.block_children(node);
        self.in_note = false;
        let lines = std::mem::replace(&mut self.out, saved);
        let text: Vec<String> = lines
            .iter()
            .filter_map(|p| match p {
                Paragraph::Text(t) if !t.trim().is_empty() => Some(self.resolve(&escape_md(t.trim()))),
                _ => None,
            })
            .collect();
        self.notes.push((label.clone(), text.join(" ")));
        self.put_marker(format!("[^{label}]"), false, buf);
    }

    /// Markers replaced by their Markdown (for text that does not reach the recogniser).
    pub(super) fn resolve(&self, text: &str) -> String {
        text.chars()
            .map(|c| match super::marker_index(c).and_then(|k| self.inlines.get(k)) {
                Some(md) => md.clone(),
                None => c.to_string(),
            })
            .collect()
    }

    /// A drawing, VML picture or embedded object: its text boxes are read as
    /// paragraphs before the one that anchors them; its picture or file is saved.
    fn graphic(&mut self, g: Node, buf: &mut Buf) {
        let in_box = |n: &Node| n.ancestors().skip(1).take_while(|a| *a != g).any(|a| is(a, "txbxContent"));
        let boxes: Vec<Node> = g.descendants().filter(|n| is(*n, "txbxContent") && !in_box(n)).collect();
        for b in boxes {
            self.block_children(b);
        }
        if let Some(ole) = g.descendants().find(|n| is(*n, "OLEObject") && !in_box(n)) {
            if let Some(id) = rel_attr(ole, "id") {
                self.embedded(id, buf);
            }
            return; // the picture of an embedded object is only its preview
        }
        let blip = g.descendants().find(|n| (is(*n, "blip") || is(*n, "imagedata")) && !in_box(n));
        let Some(blip) = blip else { return };
        let Some(id) = rel_attr(blip, "embed").or_else(|| rel_attr(blip, "id")) else {
            if rel_attr(blip, "link").is_some() {
                self.stats.linked += 1;
            }
            return;
        };
        let alt = g
            .descendants()
            .find(|n| is(*n, "docPr"))
            .and_then(|n| attr(n, "descr").or_else(|| attr(n, "title")))
            .filter(|s| !s.trim().is_empty());
        self.picture(id, alt, buf);
    }

    /// The part a relationship of the main part points to, if it is inside the package.
    fn target(&mut self, id: &str) -> Option<String> {
        let rel = self.rels.get(id)?;
        if rel.external {
            self.stats.linked += 1;
            return None;
        }
        package::resolve(self.main, &rel.target)
    }

    fn picture(&mut self, id: &str, alt: Option<&str>, buf: &mut Buf) {
        let Some(part) = self.target(id) else { return };
        let Some(name) = self.file_for(&part, false, PICTURES) else { return };
        let n = self.images.iter().filter(|p| **p).count() + 1;
        let alt = alt.map_or_else(|| format!("图{n}"), |a| a.trim().to_owned());
        self.put_marker(format!("![{}]({name})", escape_md(&alt)), true, buf);
    }

    fn embedded(&mut self, id: &str, buf: &mut Buf) {
        let Some(part) = self.target(id) else { return };
        if let Some(name) = self.file_for(&part, true, &[]) {
            self.put_marker(format!("[附件：{}]({name})", escape_md(&name)), false, buf);
        }
    }

    /// The file name a part is saved under (once, however often it is used); `None`
    /// when its kind is not saved. `allowed` empty: any kind but active content.
    fn file_for(&mut self, part: &str, embedded: bool, allowed: &[&str]) -> Option<String> {
        if let Some(f) = self.files.iter().find(|f| f.part == part) {
            return Some(f.name.clone());
        }
        let ext = part.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if ACTIVE.contains(&ext.as_str()) || (!allowed.is_empty() && !allowed.contains(&ext.as_str())) {
            self.stats.refused.push(part.to_owned());
            return None;
        }
        let base = safe_file_name(part, &format!("file{}.{ext}", self.files.len() + 1));
        let mut name = base.clone();
        let mut k = 2;
        while self.files.iter().any(|f| f.name.eq_ignore_ascii_case(&name)) {
            name = format!("{k}-{base}");
            k += 1;
        }
        self.files.push(SavedFile { name: name.clone(), part: part.to_owned(), bytes: Vec::new(), embedded });
        Some(name)
    }

    pub(super) fn finish(mut self, remarks: &mut Vec<String>) -> super::Document {
        if !self.carry.is_empty() {
            let carry = std::mem::take(&mut self.carry);
            self.emit(Buf::new(carry));
        }
        let s = &self.stats;
        let mut say = |n: usize, what: &str| {
            if n > 0 {
                remarks.push(format!("{n} {what}"));
            }
        };
        say(s.insertions, "tracked insertion(s) accepted: their text is kept");
        say(s.deletions, "tracked deletion(s) accepted: their text is left out");
        say(s.moves, "tracked move(s) accepted: the text is kept where it was moved to");
        say(s.merged, "paragraph mark(s) deleted with tracked changes: those paragraphs were joined to the next");
        say(s.comments, "comment(s) left out (批注 are not part of the document)");
        say(s.hidden, "run(s) of hidden text left out");
        say(s.linked, "linked (external) picture(s) or file(s) not fetched: only what the file holds is imported");
        say(s.layout_tables, "table(s) holding the document's frame (版头, 版记) read as its lines, not as a table");
        if !s.refused.is_empty() {
            remarks.push(format!(
                "not saved, as a browser would run them as pages or they are no picture: {}",
                s.refused.join(", ")
            ));
        }
        super::Document {
            paragraphs: self.out,
            inlines: self.inlines,
            notes: self.notes,
            files: self.files,
            remarks: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Limits, read_bytes};
    use crate::import::analyse::Paragraph;

    /// The paragraphs Word shows for a body (raw WordprocessingML).
    fn paragraphs(body: &str) -> Vec<String> {
        use std::io::Write;
        let xml = format!(
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>{body}</w:body></w:document>"
        );
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let doc = read_bytes(bytes, &Limits::default()).unwrap();
        doc.paragraphs
            .into_iter()
            .map(|p| match p {
                Paragraph::Text(t) | Paragraph::Block(t) => t,
            })
            .collect()
    }

    #[test]
    fn tracked_changes_are_accepted() {
        let got = paragraphs(
            "<w:p><w:r><w:t>保留</w:t></w:r><w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>\
             <w:moveFrom><w:r><w:t>移走</w:t></w:r></w:moveFrom></w:p>\
             <w:p><w:moveTo><w:r><w:t>移来</w:t></w:r></w:moveTo></w:p>",
        );
        assert_eq!(got, ["保留新增", "移来"]);
    }

    #[test]
    fn a_deleted_paragraph_mark_joins_the_next_paragraph() {
        let got = paragraphs(
            "<w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr><w:r><w:t>前半</w:t></w:r></w:p><w:p><w:r><w:t>后半</w:t></w:r></w:p>",
        );
        assert_eq!(got, ["前半后半"]);
    }

    #[test]
    fn hidden_text_fields_and_comments_are_not_shown() {
        let got = paragraphs(
            "<w:p><w:commentRangeStart w:id=\"0\"/><w:r><w:t>可见</w:t></w:r><w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r>\
             <w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>显示</w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>",
        );
        assert_eq!(got, ["可见显示1"]);
    }

    #[test]
    fn line_breaks_split_and_text_boxes_come_first() {
        let got = paragraphs(
            "<w:p><w:r><w:t>关于印发</w:t><w:br/><w:t>某方案的通知</w:t></w:r></w:p>\
             <w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p><w:r><w:t>某县教育局文件</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>某县教育局文件</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>",
        );
        assert_eq!(got, ["关于印发", "某方案的通知", "某县教育局文件", "正文"]);
    }
}
