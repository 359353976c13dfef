//! What the steps of `analyse` share: what they find (`Analysis`), the role of
//! each line, and the reader that carries both through the steps.

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
    /// 签发人, on upward documents (请示, 报告): reported, not written (the schema
    /// has no field for them).
    pub signers: Vec<String>,
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
    /// The body's blocks with the (0-based) line each comes from: `body` is them
    /// joined by blank lines.
    pub blocks: Vec<(usize, String)>,
    /// Documents appended after the text (附件1 …): the line of each one's heading
    /// and the line where it ends (exclusive: the next one, the 版记, or the end).
    pub appendices: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Role {
    Blank,
    /// Left out of the body; the reason is recorded in `dropped`.
    Dropped,
    Text,
    Heading(usize),
    /// First line of the embedded plan's title, with the whole title.
    PlanTitle(String),
    /// A block another reader made (a table, a figure), kept in the body as it is.
    Block(String),
}

/// The text's lines, what each one is, and what has been read from them so far.
pub(super) struct Reader {
    pub lines: Vec<String>,
    pub roles: Vec<Role>,
    pub a: Analysis,
}

impl Reader {
    /// The text's lines, normalised; blank or text, until a step says otherwise.
    pub fn new(text: &str) -> Reader {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let lines: Vec<String> = text.lines().map(super::words::normalise_line).collect();
        let roles = lines.iter().map(|l| if l.is_empty() { Role::Blank } else { Role::Text }).collect();
        Reader { lines, roles, a: Analysis::default() }
    }

    /// The paragraphs of a document another reader read: text to recognise, and
    /// blocks that are kept as they are.
    pub fn from_paragraphs(paragraphs: Vec<super::Paragraph>) -> Reader {
        let mut lines = Vec::with_capacity(paragraphs.len());
        let mut roles = Vec::with_capacity(paragraphs.len());
        for p in paragraphs {
            match p {
                super::Paragraph::Text(t) => {
                    let line = super::words::normalise_line(&t.replace(['\n', '\r'], " "));
                    roles.push(if line.is_empty() { Role::Blank } else { Role::Text });
                    lines.push(line);
                }
                super::Paragraph::Block(markdown) => {
                    roles.push(Role::Block(markdown));
                    lines.push(String::new());
                }
            }
        }
        Reader { lines, roles, a: Analysis::default() }
    }

    pub fn drop_line(&mut self, i: usize, why: &str) {
        self.roles[i] = Role::Dropped;
        self.a.dropped.push(Dropped { line: i + 1, text: self.lines[i].clone(), why: why.to_owned() });
    }

    pub fn damaged(&mut self, field: &str, raw: &str, why: impl Into<String>) {
        if !self.a.damaged.iter().any(|d| d.field == field && d.raw == raw) {
            self.a.damaged.push(Damaged { field: field.to_owned(), raw: raw.to_owned(), why: why.into() });
        }
    }

    /// What was read, the dropped lines in their order in the text.
    pub fn finish(mut self) -> Analysis {
        self.a.dropped.sort_by_key(|d| d.line);
        self.a
    }
}
