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
mod state;
mod words;

use state::Reader;
pub use state::{Analysis, Damaged, Dropped, MARKER, TEXT_MARKER};

/// A paragraph of a document that another reader (Word's) read: text for the
/// recogniser, or a block it made (a table, a figure) that is kept in the body as
/// it is and never read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paragraph {
    Text(String),
    Block(String),
}

/// Read a legacy text.
pub fn analyse(text: &str) -> Analysis {
    steps(Reader::new(text))
}

/// Read the paragraphs of a document, the same way as a text: paragraph `i` is
/// line `i + 1` of the report.
pub fn analyse_paragraphs(paragraphs: Vec<Paragraph>) -> Analysis {
    steps(Reader::from_paragraphs(paragraphs))
}

/// Whether a line is one of the document's own frame lines (发文机关标志, 发文字号,
/// 签发人, 抄送, 印发, 落款 or 成文日期): for a reader that finds text laid out in a
/// table, such a table holds the document's frame, not data.
pub fn is_frame_line(line: &str) -> bool {
    closing::is_frame_line(&words::normalise_line(line))
}

/// Whether a line belongs to the 版头 (发文机关标志, 发文字号, 签发人): for a reader
/// that finds lines in a page header, where such a line may sit instead of the text.
pub fn is_masthead_line(line: &str) -> bool {
    closing::is_masthead_line(&words::normalise_line(line))
}

fn steps(mut r: Reader) -> Analysis {
    // 1–2. Page furniture, the catalogue, the page's information line, and where
    // the document starts.
    let page = page::furniture(&mut r);
    // 3. The front: column names, the document number, the issuer banner and the title.
    let front = front::front(&mut r, &page);
    // 4. The recipients, signature, date, 附注, 抄送, 印发; appended documents.
    let closing = closing::closing(&mut r, &page);
    closing::appendices(&mut r, &closing);
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
    let plan_name = fields::title_words(&mut r, &page, header_genre);
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

    #[test]
    fn the_signer_of_an_upward_document() {
        for text in [
            "某县教育局文件\n某教发〔2018〕3号          签发人：张三\n关于某某的请示\n市教育局：\n请批示。\n某县教育局\n2018年3月1日",
            "某县教育局文件\n某教发〔2018〕3号\n签发人：张三 李四\n关于某某的请示\n市教育局：\n请批示。\n某县教育局\n2018年3月1日",
        ] {
            let a = analyse(text);
            assert_eq!(a.title.as_deref(), Some("关于某某的请示"), "{text}");
            assert_eq!(a.doc_number.as_deref(), Some("某教发〔2018〕3号"));
            assert_eq!(a.signers[0], "张三");
            assert!(a.body.starts_with("市教育局：") && !a.body.contains("签发人"), "{}", a.body);
        }
    }
}
