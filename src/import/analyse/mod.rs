//! Reading one legacy text: which lines are web-page debris, which are the
//! disclosure catalogue, the title, the document number, the recipients, the
//! signature, the notes; what metadata they give; and the body as Markdown.
//!
//! Nothing is guessed: a field the text does not give stays empty, and a damaged
//! value is reported, not repaired.
//!
//! `analyse` reads the text in steps, each in the file of its topic: the page
//! around the document (`page`), the front with the title (`front`), the
//! recipients and what follows the signature (`closing`), the issuers and the
//! title's sound part (`issuers`), the document number, dates and catalogue fields
//! (`fields`), the title's words (`words`), and the outline and the body (`body`).

mod body;
mod closing;
mod fields;
mod front;
mod issuers;
mod labels;
mod page;
mod words;

use crate::schema::Date;

/// What replaces, in the body, an organisation name that was tampered with.
pub const MARKER: &str = "〔此处机关名称在来源中疑似遭篡改〕";
/// What replaces, in the body, other text spliced in by the same tampering.
pub const TEXT_MARKER: &str = "〔此处文字在来源中疑似遭篡改〕";

/// A value damaged in the source: reported, not repaired, not written as metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub field: String,
    /// The text as the source gives it.
    pub raw: String,
    pub why: String,
}

/// A line of the source left out of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// 1-based.
    pub line: usize,
    pub text: String,
    pub why: String,
}

/// Everything read from one text.
#[derive(Debug, Default)]
pub struct Analysis {
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub index_number: Option<String>,
    pub issuers: Vec<String>,
    pub genre: Option<String>,
    pub form: Option<String>,
    pub topics: Vec<String>,
    pub written: Option<Date>,
    pub published: Option<Date>,
    pub recipients: Vec<String>,
    pub cc: Vec<String>,
    pub printed: Option<String>,
    pub period: Option<String>,
    pub validity: Option<String>,
    pub disclosure: Option<String>,
    /// The document's 附注 (此件公开发布).
    pub annotation: Option<String>,
    /// The editor's notes on the source, for `note` (each a sentence ending in 。).
    pub notes: Vec<String>,
    /// (field, raw text, why).
    pub damaged: Vec<Damaged>,
    /// For the clerk's report: discrepancies, where values came from.
    pub remarks: Vec<String>,
    /// Lines left out of the body: (line number, text, why).
    pub dropped: Vec<Dropped>,
    /// The body as Markdown.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Role {
    Blank,
    /// Left out of the body; the reason is recorded in `dropped`.
    Dropped,
    Text,
    Heading(usize),
    /// First line of the embedded plan's title, with the whole title.
    PlanTitle(String),
}

/// The text's lines, what each one is, and what has been read from them so far.
struct Reader {
    lines: Vec<String>,
    roles: Vec<Role>,
    a: Analysis,
}

impl Reader {
    /// The text's lines, normalised; blank or text, until a step says otherwise.
    fn new(text: &str) -> Reader {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let lines: Vec<String> = text.lines().map(words::normalise_line).collect();
        let roles = lines.iter().map(|l| if l.is_empty() { Role::Blank } else { Role::Text }).collect();
        Reader { lines, roles, a: Analysis::default() }
    }

    fn drop_line(&mut self, i: usize, why: &str) {
        self.roles[i] = Role::Dropped;
        self.a.dropped.push(Dropped { line: i + 1, text: self.lines[i].clone(), why: why.to_owned() });
    }

    fn damaged(&mut self, field: &str, raw: &str, why: impl Into<String>) {
        if !self.a.damaged.iter().any(|d| d.field == field && d.raw == raw) {
            self.a.damaged.push(Damaged { field: field.to_owned(), raw: raw.to_owned(), why: why.into() });
        }
    }

    /// What was read, the dropped lines in their order in the text.
    fn finish(mut self) -> Analysis {
        self.a.dropped.sort_by_key(|d| d.line);
        self.a
    }
}

/// Read a legacy text.
pub fn analyse(text: &str) -> Analysis {
    let mut r = Reader::new(text);
    // 1–2. Page furniture, the catalogue, the page's information line, and where
    // the document starts.
    let page = page::furniture(&mut r);
    // 3. The front: column names, the document number, the issuer banner and the title.
    let front = front::front(&mut r, &page);
    // 4. The recipients, signature, date, 附注, 抄送, 印发.
    let closing = closing::closing(&mut r, &page);
    // 5. Issuers, and the names found tampered with.
    let damage = issuers::issuers(&mut r, &page, &front, &closing);
    // 6. The title: the catalogue's, else the text's; only its sound part.
    issuers::title(&mut r, &front, &damage);
    // 7. Document number: the catalogue's, else the line in the text.
    fields::numbers(&mut r, &page, &front);
    // 8. Dates, and the page's credits.
    fields::dates(&mut r, &page, &closing);
    fields::credits(&mut r, &page);
    // 9. Other catalogue fields.
    let header_genre = fields::catalogue_fields(&mut r, &page);
    // 10. Genre, form and period from the title.
    let plan_name = words::title_words(&mut r, &page, header_genre);
    // 11. The embedded plan's title, and outline headings.
    body::outline(&mut r, &page, &closing, plan_name.as_deref());
    // 12. The body, with tampered names replaced.
    body::body(&mut r, &damage);
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_notice() {
        let a = analyse(
            "欢迎访问某某网\n某县教育局关于印发某县教育发展规划（2018—2020年）的通知\n某教发〔2018〕3号\n各学校：\n现印发给你们。\n某县教育局\n2018年3月1日\n（此件公开发布）\n某县教育发展规划（2018—2020年）\n一、总体要求\n（一）目标\n1.规模\n正文。\n抄送：县委办公室，县政府办公室。\n某县教育局 2018年3月2日印发\n打印】 【关闭",
        );
        assert_eq!(a.title.as_deref(), Some("某县教育局关于印发某县教育发展规划（2018—2020年）的通知"));
        assert_eq!(a.doc_number.as_deref(), Some("某教发〔2018〕3号"));
        assert_eq!(a.issuers, vec!["某县教育局"]);
        assert_eq!((a.genre.as_deref(), a.form.as_deref()), (Some("通知"), Some("规划")));
        assert_eq!(a.period.as_deref(), Some("2018–2020"));
        assert_eq!(a.written.unwrap().to_string(), "2018-03-01");
        assert_eq!(a.published, None);
        assert_eq!(a.recipients, vec!["各学校"]);
        assert_eq!(a.cc, vec!["县委办公室", "县政府办公室"]);
        assert_eq!(a.printed.as_deref(), Some("某县教育局 2018年3月2日印发"));
        assert_eq!(a.disclosure.as_deref(), Some("主动公开"));
        assert_eq!(a.annotation.as_deref(), Some("此件公开发布"));
        assert!(
            a.body.contains(
                "\n## 某县教育发展规划（2018—2020年）\n\n### 一、总体要求\n\n#### （一）目标\n\n##### 1.规模\n"
            ),
            "{}",
            a.body
        );
        assert!(!a.body.contains("欢迎") && !a.body.contains("打印"));
    }
}
