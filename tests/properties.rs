//! Property tests of every parser that reads what a clerk types (and `import`'s
//! reading of legacy web text): whatever the
//! input, no panic; what is accepted reads back the same. A bounded number of
//! cases each (PROPTEST_CASES raises it), so `.ci/run` runs them in seconds.

mod common;

use std::path::Path;

use proptest::prelude::*;

use gongkai::content::frontmatter;
use gongkai::progress::data::{DataFile, ValueRead, read_value};
use gongkai::progress::period::Period;
use gongkai::schema::{Date, DocNumber, Topic};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A package holding only a main document part.
fn docx_package(document: &str) -> Vec<u8> {
    zip_package(&[("word/document.xml", document.to_owned())])
}

fn zip_package(parts: &[(&str, String)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    }
}

/// Text like a clerk's: Chinese, digits, brackets of every kind, and anything.
fn clerkish() -> impl Strategy<Value = String> {
    prop_oneof!["[〔〕\\[\\]（）()【】第号年月日至学年度季度Q0-9０-９ 通政办发教—\\-–.%约]{0,24}", any::<String>(),]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn document_numbers_never_panic_and_read_back(text in clerkish()) {
        if let Ok(n) = DocNumber::parse(&text) {
            let again = DocNumber::parse(&n.text).expect("a normalised number parses");
            prop_assert_eq!(again.text, n.text.clone());
            prop_assert_eq!((again.year, again.sequence), (n.year, n.sequence));
        }
    }

    #[test]
    fn well_formed_document_numbers_are_accepted(code in "[通政办发教]{1,6}", year in 1949u32..2100, seq in 1u32..100_000) {
        let text = format!("{code}〔{year}〕{seq}号");
        let n = DocNumber::parse(&text).expect("accepted");
        prop_assert_eq!(n.text, text);
        for loose in [format!("{code}[{year}]{seq}号"), format!("{code}（{year}）第{seq}号")] {
            prop_assert_eq!(DocNumber::parse(&loose).expect("a loose form").year, n.year);
        }
    }

    #[test]
    fn dates_never_panic_and_read_back(text in clerkish()) {
        if let Ok(d) = Date::parse(&text) {
            prop_assert_eq!(Date::parse(&d.to_string()).expect("a written date parses"), d);
        }
    }

    #[test]
    fn periods_never_panic_and_hold_together(text in clerkish()) {
        if let Ok(p) = Period::parse(&text) {
            prop_assert!(p.start <= p.end, "{p:?}");
            let again = Period::parse(&p.label).expect("its own label parses");
            prop_assert_eq!((again.start, again.end), (p.start, p.end));
        }
    }

    #[test]
    fn values_never_panic_and_stay_in_range(text in clerkish(), unit in prop_oneof![Just("%"), Just("人"), Just("")]) {
        if let ValueRead::Number(v) | ValueRead::Approximate(v) = read_value(&text, Some(unit)) {
            prop_assert!(v.is_finite() && v.abs() <= 1e12, "{text:?} read as {v}");
        }
    }

    #[test]
    fn topics_never_panic(text in clerkish()) {
        if let Ok(t) = Topic::parse(&text) {
            prop_assert_eq!(Topic::parse(&t.name()).expect("a topic's name parses"), t);
        }
    }

    #[test]
    fn progress_csv_and_yaml_never_panic(
        rows in prop::collection::vec(prop::collection::vec(clerkish(), 0..8), 0..12),
        kind in prop_oneof![Just("indicators"), Just("targets"), Just("actuals"), Just("milestones")],
        header in prop_oneof![Just("id,name,unit,direction"), Just("indicator,period,value,reported"), Just("指标,年度,实际值"), Just("task,state")],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let csv: String = std::iter::once(header.to_owned())
            .chain(rows.iter().map(|r| r.iter().map(|c| c.replace(['"', '\n', '\r'], "")).collect::<Vec<_>>().join(",")))
            .collect::<Vec<_>>()
            .join("\n");
        let yaml = format!("indicators:\n  - id: a\n    name: {:?}\n    unit: \"%\"\n    actuals:\n{}", rows.len(),
            rows.iter().filter_map(|r| r.first()).map(|v| format!("      - {{period: {v:?}, value: {v:?}}}\n")).collect::<String>());
        for (name, text) in [(format!("p-{kind}.csv"), csv), ("progress.yaml".to_owned(), yaml)] {
            let path = dir.path().join(&name);
            std::fs::write(&path, text).unwrap();
            let file = DataFile { name: name.clone(), display: Path::new("content/p").join(&name), path };
            let _ = gongkai::progress::data::load(&[file]);
        }
    }

    #[test]
    fn legacy_text_import_never_panics(text in any::<String>(), lines in prop::collection::vec(clerkish(), 0..20)) {
        let _ = gongkai::import::analyse::analyse(&text);
        let _ = gongkai::import::analyse::analyse(&lines.join("\n"));
    }

    #[test]
    fn word_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..16), xml in any::<String>()) {
        let limits = gongkai::import::docx::Limits::default();
        // Any bytes; any bytes behind a zip's or an OLE file's magic.
        let _ = gongkai::import::docx::read_bytes(bytes.clone(), &limits);
        for magic in [&b"PK\x03\x04"[..], &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]] {
            let _ = gongkai::import::docx::read_bytes([magic, &bytes].concat(), &limits);
        }
        // A real document with bytes changed, and any text as its main part.
        let mut doc = docx_package(&format!("<w:document xmlns:w=\"{W}\"><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p>{xml}</w:body></w:document>"));
        let _ = gongkai::import::docx::read_bytes(doc.clone(), &limits);
        for (at, byte) in flips {
            let len = doc.len();
            doc[at % len] = byte;
        }
        let _ = gongkai::import::docx::read_bytes(doc, &limits);
        let _ = gongkai::import::docx::read_bytes(docx_package(&xml), &limits);
    }

    #[test]
    fn pdf_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..1024), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let limits = gongkai::import::docx::Limits::default();
        let _ = gongkai::import::docx::pdf::read_bytes(bytes.clone(), &limits);
        let _ = gongkai::import::docx::pdf::read_bytes([&b"%PDF-1.7\n"[..], &bytes].concat(), &limits);
        // A real PDF with bytes changed.
        let mut pdf = common::pdf::pdf_of("关于做好某项工作的通知\n各学校：\n请做好某项工作。");
        for (at, byte) in flips {
            let len = pdf.len();
            pdf[at % len] = byte;
        }
        let _ = gongkai::import::docx::pdf::read_bytes(pdf, &limits);
    }

    #[test]
    fn ofd_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..1024), xml in any::<String>(), numbers in prop::collection::vec(any::<f64>(), 0..6)) {
        let limits = gongkai::import::docx::Limits::default();
        let _ = gongkai::import::docx::ofd::read_bytes(bytes.clone(), &limits);
        let _ = gongkai::import::docx::ofd::read_bytes([&b"PK\x03\x04"[..], &bytes].concat(), &limits);
        // A well-formed package with any page content, and any numbers for positions.
        let nums: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
        let page = format!(
            "<Page><TextObject Boundary=\"{}\" Size=\"{}\"><TextCode X=\"{}\" Y=\"{}\">正文</TextCode></TextObject>{xml}</Page>",
            nums.join(" "), nums.first().cloned().unwrap_or_default(), nums.get(1).cloned().unwrap_or_default(), nums.get(2).cloned().unwrap_or_default()
        );
        let ofd = zip_package(&[
            ("OFD.xml", "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>".to_owned()),
            ("Doc_0/Document.xml", "<Document><Pages><Page BaseLoc=\"Pages/Page_0/Content.xml\"/></Pages></Document>".to_owned()),
            ("Doc_0/Pages/Page_0/Content.xml", page),
        ]);
        let _ = gongkai::import::docx::ofd::read_bytes(ofd, &limits);
    }

    #[test]
    fn front_matter_never_panics(body in any::<String>(), fields in prop::collection::vec(("[a-z_]{1,10}", clerkish()), 0..6)) {
        let yaml: String = fields.iter().map(|(k, v)| format!("{k}: {v:?}\n")).collect();
        let text = format!("---\n{yaml}---\n{body}");
        if let Ok(parsed) = frontmatter::parse(&text, Path::new("content/x.md")) {
            prop_assert!(parsed.body_line >= 2);
        }
        let _ = frontmatter::parse(&body, Path::new("content/x.md"));
    }
}
