//! A small .docx writer for tests and for `examples/make_docx.rs`: a zip of
//! hand-written WordprocessingML, the parts Word writes (content types, package
//! and document relationships, styles, numbering, footnotes, comments, media). It
//! writes what a test needs, not every feature of Word.
#![allow(dead_code)]

use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The content type of a part this writer makes besides the main one.
fn content_type(part: &str) -> Option<&'static str> {
    let kind = part.strip_prefix("word/")?.strip_suffix(".xml")?.trim_end_matches(char::is_numeric);
    matches!(kind, "styles" | "numbering" | "footnotes" | "comments" | "header").then_some(match kind {
        "styles" => "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        "numbering" => "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        "footnotes" => "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        "comments" => "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
        _ => "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    })
}

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 144, 119, 83,
    222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0, 0, 3, 1, 1, 0, 201, 254, 146, 239, 0, 0, 0, 0,
    73, 69, 78, 68, 174, 66, 96, 130,
];

pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A run of plain text.
pub fn run(text: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text))
}

/// A paragraph of runs (raw XML) with paragraph properties (raw XML).
pub fn para(ppr: &str, runs: &str) -> String {
    if ppr.is_empty() { format!("<w:p>{runs}</w:p>") } else { format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>") }
}

/// A numbered paragraph: list `num`, level `ilvl`.
pub fn numbered(num: u32, ilvl: u32, text: &str) -> String {
    para(&format!("<w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr>"), &run(text))
}

/// One level of an abstract list.
pub fn level(ilvl: u32, format: &str, text: &str, start: u32) -> String {
    format!(
        "<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"{start}\"/><w:numFmt w:val=\"{format}\"/><w:lvlText w:val=\"{}\"/></w:lvl>",
        esc(text)
    )
}

/// A table cell with its properties (raw XML) and text.
pub fn cell(tcpr: &str, text: &str) -> String {
    format!("<w:tc><w:tcPr>{tcpr}</w:tcPr>{}</w:tc>", para("", &run(text)))
}

/// A table of rows, each a string of cells.
pub fn table(grid: usize, rows: &[String]) -> String {
    let cols: String = (0..grid).map(|_| "<w:gridCol w:w=\"2000\"/>").collect();
    let rows: String = rows.iter().map(|r| format!("<w:tr>{r}</w:tr>")).collect();
    format!("<w:tbl><w:tblPr><w:tblBorders/></w:tblPr><w:tblGrid>{cols}</w:tblGrid>{rows}</w:tbl>")
}

/// A table with a two-level merged header, as indicator tables have.
pub fn merged_table() -> String {
    table(
        3,
        &[
            format!("{}{}", cell("<w:vMerge w:val=\"restart\"/>", "指标"), cell("<w:gridSpan w:val=\"2\"/>", "2019年")),
            format!("{}{}{}", cell("<w:vMerge/>", ""), cell("", "目标值"), cell("", "实际值")),
            format!("{}{}{}", cell("", "入学率"), cell("", "95%"), cell("", "96%")),
        ],
    )
}

/// A document being written.
#[derive(Default)]
pub struct Docx {
    pub body: String,
    pub numbering: Option<String>,
    pub footnotes: Vec<String>,
    pub comments: Vec<String>,
    /// (relationship id, type, target, part name, bytes) of media and embeddings.
    pub files: Vec<(String, &'static str, String, Vec<u8>)>,
    /// Extra parts written as they are (a test's hostile part, vbaProject.bin).
    pub extra: Vec<(String, Vec<u8>)>,
    pub macro_enabled: bool,
    /// The page header's paragraphs (raw XML).
    pub header: Option<String>,
}

impl Docx {
    pub fn new() -> Docx {
        Docx::default()
    }

    pub fn push(&mut self, xml: &str) -> &mut Docx {
        self.body.push_str(xml);
        self
    }

    pub fn text(&mut self, text: &str) -> &mut Docx {
        self.push(&para("", &run(text)))
    }

    /// A footnote; returns the run that refers to it.
    pub fn footnote(&mut self, text: &str) -> String {
        let id = self.footnotes.len() + 1;
        self.footnotes.push(format!(
            "<w:footnote w:id=\"{id}\"><w:p><w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r>{}</w:p></w:footnote>",
            run(text)
        ));
        format!("<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:footnoteReference w:id=\"{id}\"/></w:r>")
    }

    /// A comment on `text`; returns the runs (range, text, reference).
    pub fn comment(&mut self, on: &str, says: &str) -> String {
        let id = self.comments.len();
        self.comments.push(format!(
            "<w:comment w:id=\"{id}\" w:author=\"审核人\" w:date=\"2018-09-01T00:00:00Z\">{}</w:comment>",
            para("", &run(says))
        ));
        format!(
            "<w:commentRangeStart w:id=\"{id}\"/>{}<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:commentReference w:id=\"{id}\"/></w:r>",
            run(on)
        )
    }

    /// A picture; returns the run that shows it.
    pub fn image(&mut self, name: &str, bytes: &[u8], descr: &str) -> String {
        let id = format!("rIdImg{}", self.files.len() + 1);
        self.files.push((id.clone(), "image", format!("media/{name}"), bytes.to_vec()));
        format!(
            "<w:r><w:drawing><wp:inline><wp:extent cx=\"952500\" cy=\"952500\"/><wp:docPr id=\"{n}\" name=\"图片 {n}\" descr=\"{descr}\"/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:blipFill><a:blip r:embed=\"{id}\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
            n = self.files.len(),
            descr = esc(descr)
        )
    }

    /// An embedded file (an OLE object); returns the run that shows it.
    pub fn embed(&mut self, name: &str, bytes: &[u8]) -> String {
        let id = format!("rIdEmb{}", self.files.len() + 1);
        self.files.push((id.clone(), "package", format!("embeddings/{name}"), bytes.to_vec()));
        format!("<w:r><w:object><o:OLEObject Type=\"Embed\" ProgID=\"Excel.Sheet.12\" r:id=\"{id}\"/></w:object></w:r>")
    }

    /// The package's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let main_type = if self.macro_enabled {
            "application/vnd.ms-word.document.macroEnabled.main+xml"
        } else {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        };
        let package_rels = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"word/document.xml\"/></Relationships>"
        );
        let mut rels = vec![("rIdStyles".to_owned(), "styles", "styles.xml".to_owned())];
        let mut parts: Vec<(String, Vec<u8>)> = vec![("word/styles.xml".into(), self.styles().into_bytes())];
        if let Some(n) = &self.numbering {
            rels.push(("rIdNumbering".into(), "numbering", "numbering.xml".into()));
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"{W_NS}\">{n}</w:numbering>"
            );
            parts.push(("word/numbering.xml".into(), xml.into_bytes()));
        }
        if !self.footnotes.is_empty() {
            rels.push(("rIdFootnotes".into(), "footnotes", "footnotes.xml".into()));
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:footnotes xmlns:w=\"{W_NS}\"><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>{}</w:footnotes>",
                self.footnotes.concat()
            );
            parts.push(("word/footnotes.xml".into(), xml.into_bytes()));
        }
        if let Some(h) = &self.header {
            rels.push(("rIdHeader".into(), "header", "header1.xml".into()));
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">{h}</w:hdr>"
            );
            parts.push(("word/header1.xml".into(), xml.into_bytes()));
        }
        if !self.comments.is_empty() {
            rels.push(("rIdComments".into(), "comments", "comments.xml".into()));
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"{W_NS}\">{}</w:comments>",
                self.comments.concat()
            );
            parts.push(("word/comments.xml".into(), xml.into_bytes()));
        }
        for (id, kind, target, bytes) in &self.files {
            rels.push((id.clone(), kind, target.clone()));
            parts.push((format!("word/{target}"), bytes.clone()));
        }
        let rels_xml: String = rels
            .iter()
            .map(|(id, t, target)| format!("<Relationship Id=\"{id}\" Type=\"{REL}/{t}\" Target=\"{target}\"/>"))
            .collect();
        let document = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>{}<w:sectPr>{}<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
            self.body,
            if self.header.is_some() { "<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>" } else { "" }
        );
        let overrides: String = parts
            .iter()
            .filter_map(|(name, _)| {
                Some(format!("<Override PartName=\"/{name}\" ContentType=\"{}\"/>", content_type(name)?))
            })
            .collect();
        let types = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Default Extension=\"bin\" ContentType=\"application/vnd.openxmlformats-officedocument.oleObject\"/><Default Extension=\"xlsx\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"/><Override PartName=\"/word/document.xml\" ContentType=\"{main_type}\"/>{overrides}</Types>"
        );
        let mut all: Vec<(String, Vec<u8>)> = vec![
            ("[Content_Types].xml".into(), types.into_bytes()),
            ("_rels/.rels".into(), package_rels.into_bytes()),
            ("word/document.xml".into(), document.into_bytes()),
            (
                "word/_rels/document.xml.rels".into(),
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels_xml}</Relationships>").into_bytes(),
            ),
        ];
        all.extend(parts);
        all.extend(self.extra.iter().cloned());
        zip_of(&all)
    }

    /// Styles as a clerk's template has them: 正文 with manual formatting on top.
    fn styles(&self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"{W_NS}\"><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\"><w:name w:val=\"Normal\"/><w:rPr><w:rFonts w:ascii=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/></w:rPr></w:style></w:styles>"
        )
    }
}

/// A zip of the given entries, deflated.
pub fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// How a sample notice is laid out in Word.
#[derive(Clone, Copy)]
pub struct SampleStyle {
    /// Outline numbers made by Word's automatic numbering instead of typed.
    pub auto_numbering: bool,
    /// Tracked changes, a comment, hidden text, a footnote, a table and a picture
    /// after the first long paragraph of the text.
    pub extras: bool,
    /// The 发文机关标志 (红头) to set in red above the document number or title,
    /// with the red rule (a paragraph border) under the number.
    pub banner: Option<&'static str>,
}

/// How examples/legacy/002_29c8ddca29766f0e.docx is made (examples/make_docx.rs).
pub const SAMPLE_002: SampleStyle =
    SampleStyle { auto_numbering: true, extras: true, banner: Some("通榆县人民政府办公室文件") };

/// Outline forms: (level, pattern of the typed number, numFmt).
fn typed_number(line: &str) -> Option<(u32, String, String)> {
    let t = line.trim_start();
    let digits = "一二三四五六七八九十";
    let cn: String = t.chars().take_while(|c| digits.contains(*c)).collect();
    if !cn.is_empty() && t[cn.len()..].starts_with('、') {
        return Some((0, format!("{cn}、"), "%1、".into()));
    }
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(rest) = t.strip_prefix(open) {
            let cn: String = rest.chars().take_while(|c| digits.contains(*c)).collect();
            if !cn.is_empty() && rest[cn.len()..].starts_with(close) {
                return Some((1, format!("{open}{cn}{close}"), format!("{open}%2{close}")));
            }
        }
    }
    let d: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !d.is_empty()
        && d.len() <= 2
        && t[d.len()..].starts_with('.')
        && !t[d.len() + 1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return Some((2, format!("{d}."), "%3.".into()));
    }
    None
}

/// The labels Word's counters give, for the writer to check its lists against.
fn label(level: u32, n: u32, text: &str) -> String {
    let cn = |n: u32| -> String {
        let d = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        match n {
            1..=9 => d[n as usize].into(),
            10 => "十".into(),
            11..=19 => format!("十{}", d[(n - 10) as usize]),
            _ => n.to_string(),
        }
    };
    let num = if level == 2 { n.to_string() } else { cn(n) };
    text.replace(&format!("%{}", level + 1), &num)
}

/// A sample notice's text as a 文印室 would have it in Word: one paragraph per
/// line (pasted from the web page it was copied from), the title centred in 小标宋,
/// the body in 仿宋 with a first-line indent; with `auto_numbering`, the outline
/// numbers 一、(一) 1. made by Word's numbering where its counters give the same
/// number; with `extras`, what only a Word file holds.
pub fn sample_docx(text: &str, style: SampleStyle) -> Docx {
    let mut doc = Docx::new();
    let lines: Vec<&str> = text.lines().collect();
    // The forms of the numbers, each level as the text first types it.
    let mut forms: [Option<String>; 3] = [None, None, None];
    for l in &lines {
        if let Some((lvl, _, form)) = typed_number(l) {
            forms[lvl as usize].get_or_insert(form);
        }
    }
    if style.auto_numbering {
        let fmt = ["chineseCounting", "chineseCounting", "decimal"];
        let levels: String = (0..3)
            .map(|l| {
                let text = forms[l].clone().unwrap_or_else(|| format!("%{}.", l + 1));
                let lvl = level(l as u32, fmt[l], &text, 1);
                // 一、 keeps Word's default tab after the number; the others none.
                if l == 0 { lvl } else { lvl.replace("</w:lvl>", "<w:suff w:val=\"nothing\"/></w:lvl>") }
            })
            .collect();
        doc.numbering = Some(format!(
            "<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"multilevel\"/>{levels}</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
        ));
    }
    let mut counters = [0u32; 3];
    let mut extras_done = !style.extras;
    let title_like = |l: &str| l.contains("关于") || l.ends_with("通知") || l.ends_with("意見");
    let number_like = |l: &str| l.contains('〔') && l.ends_with('号');
    let mut banner = style.banner;
    for line in lines {
        let t = line.trim();
        if (title_like(t) || number_like(t))
            && !t.contains([':', '：'])
            && let Some(b) = banner.take()
        {
            let red = "<w:rPr><w:rFonts w:eastAsia=\"方正小标宋简体\"/><w:color w:val=\"FF0000\"/><w:sz w:val=\"72\"/></w:rPr>";
            doc.push(&para("<w:jc w:val=\"center\"/>", &format!("<w:r>{red}<w:t>{}</w:t></w:r>", esc(b))));
        }
        let props = if title_like(t) && t.chars().count() < 60 {
            "<w:jc w:val=\"center\"/><w:rPr><w:rFonts w:eastAsia=\"方正小标宋简体\"/><w:sz w:val=\"44\"/></w:rPr>"
        } else if number_like(t) {
            "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:color=\"FF0000\"/></w:pBdr><w:jc w:val=\"center\"/>"
        } else {
            "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>"
        };
        if style.auto_numbering
            && let Some((lvl, typed, form)) = typed_number(line)
            && forms[lvl as usize].as_deref() == Some(form.as_str())
            && label(lvl, counters[lvl as usize] + 1, &form) == typed
        {
            counters[lvl as usize] += 1;
            for deeper in counters.iter_mut().skip(lvl as usize + 1) {
                *deeper = 0;
            }
            let rest = line.trim_start()[typed.len()..].to_owned();
            doc.push(&numbered(1, lvl, &rest).replace("</w:numPr>", &format!("</w:numPr>{props}")));
            continue;
        }
        if !extras_done && t.chars().count() > 80 && t.ends_with('。') {
            extras_done = true;
            let chars: Vec<char> = line.chars().collect();
            let (head, tail) = chars.split_at(chars.len() - 10);
            let (first, middle) = head.split_at(5);
            let first: String = first.iter().collect();
            let middle: String = middle.iter().collect();
            let tail: String = tail.iter().collect();
            let runs = format!(
                "{}{}<w:del w:id=\"901\" w:author=\"起草人\"><w:r><w:delText>（删去的旧文字）</w:delText></w:r></w:del><w:r><w:rPr><w:vanish/></w:rPr><w:t>（隐藏的内部备注）</w:t></w:r><w:ins w:id=\"902\" w:author=\"审核人\">{}</w:ins>{}",
                doc.comment(&first, "此句请核对（批注）"),
                run(&middle),
                run(&tail),
                doc.footnote("本段所称标准，指省定办学标准。")
            );
            doc.push(&para(props, &runs));
            doc.push(&merged_table());
            let img = doc.image("image1.png", PNG, "校园平面图");
            doc.push(&para("<w:jc w:val=\"center\"/>", &img));
            continue;
        }
        doc.push(&para(props, &run(line)));
    }
    doc
}
