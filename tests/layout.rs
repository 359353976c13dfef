//! `import` of fixed-layout documents: each sample notice laid out on A4 pages as a
//! 公文 is and written as an OFD (tests/common/ofd.rs) and as a PDF
//! (tests/common/pdf.rs) reads as its text does; what is not one, or has no text,
//! is refused with the reason.

mod common;

use std::path::{Path, PathBuf};

use common::docx::zip_of;
use common::*;
use gongkai::import::{Appendices, FileReport, ImportOptions, Outcome};
use serde_yaml::Value;

const SAMPLES: [&str; 3] = ["001_c81df2f48d4ae176", "002_29c8ddca29766f0e", "003_0cf1dc39db94254f"];

fn sample_text(stem: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/legacy/{stem}.txt"))).unwrap()
}

fn import_with(site: &Site, inputs: Vec<PathBuf>, appendices: Appendices) -> Vec<FileReport> {
    let opts = ImportOptions { root: site.root().to_path_buf(), inputs, appendices, ..Default::default() };
    gongkai::import::run(&opts).expect("import runs")
}

fn import_one(site: &Site, input: PathBuf) -> FileReport {
    import_with(site, vec![input], Appendices::Inline).remove(0)
}

fn written(r: &FileReport) -> String {
    let out = r.output.clone().unwrap_or_else(|| panic!("nothing written:\n{r}"));
    std::fs::read_to_string(out).unwrap()
}

/// The front matter, parsed, and the body.
fn split(text: &str) -> (Value, String) {
    let rest = text.strip_prefix("---\n").expect("front matter opens the file");
    let end = rest.find("\n---\n").expect("front matter is closed");
    let yaml: Value = serde_yaml::from_str(&rest[..end]).expect("front matter is YAML");
    (yaml, rest[end + 5..].trim_start_matches('\n').to_owned())
}

#[test]
fn each_sample_reads_from_ofd_as_from_its_text() {
    for stem in SAMPLES {
        // Each into a site of its own: a site that has the notice takes no second copy.
        let (site, other) = (Site::new(), Site::new());
        let text = sample_text(stem);
        site.write(&format!("legacy/{stem}.txt"), &text);
        other.write_bytes(&format!("ofd/{stem}-ofd.ofd"), &common::ofd::ofd_of(&text));
        let from_text = import_one(&site, site.path(&format!("legacy/{stem}.txt")));
        let from_ofd = import_one(&other, other.path(&format!("ofd/{stem}-ofd.ofd")));
        assert_eq!(from_ofd.outcome, Outcome::Written, "{from_ofd}");
        let (fm_text, body_text) = split(&written(&from_text));
        let (fm_ofd, body_ofd) = split(&written(&from_ofd));
        assert_eq!(fm_ofd, fm_text, "{stem}: the front matter differs");
        assert_eq!(body_ofd, body_text, "{stem}: the body differs");
        let report = from_ofd.to_string();
        assert!(report.contains("(read as OFD 版式文档)") && report.contains("page number line(s)"), "{report}");
    }
}

#[test]
fn a_file_that_is_not_an_ofd_is_refused() {
    let site = Site::new();
    site.write("ofd/x.ofd", "不是 OFD");
    site.write_bytes("ofd/y.ofd", &zip_of(&[("a.xml".to_owned(), b"<a/>".to_vec())]));
    let reports = import_with(&site, vec![site.path("ofd")], Appendices::Inline);
    assert!(reports[0].skipped.as_deref().unwrap().contains("x.ofd: not an OFD document"), "{}", reports[0]);
    assert!(reports[1].skipped.as_deref().unwrap().contains("y.ofd: the package has no OFD.xml"), "{}", reports[1]);
}

#[test]
fn each_sample_reads_from_pdf_as_from_its_text() {
    for stem in SAMPLES {
        // Each into a site of its own: a site that has the notice takes no second copy.
        let (site, other) = (Site::new(), Site::new());
        let text = sample_text(stem);
        site.write(&format!("legacy/{stem}.txt"), &text);
        other.write_bytes(&format!("pdf/{stem}-pdf.pdf"), &common::pdf::pdf_of(&text));
        let from_text = import_one(&site, site.path(&format!("legacy/{stem}.txt")));
        let from_pdf = import_one(&other, other.path(&format!("pdf/{stem}-pdf.pdf")));
        assert_eq!(from_pdf.outcome, Outcome::Written, "{from_pdf}");
        let (fm_text, body_text) = split(&written(&from_text));
        let (fm_pdf, body_pdf) = split(&written(&from_pdf));
        assert_eq!(fm_pdf, fm_text, "{stem}: the front matter differs");
        if body_pdf != body_text {
            let at = body_pdf.chars().zip(body_text.chars()).take_while(|(a, b)| a == b).count();
            let near = |s: &str| s.chars().skip(at.saturating_sub(30)).take(80).collect::<String>();
            panic!("{stem}: the body differs at {at}:\n pdf: {}\ntext: {}", near(&body_pdf), near(&body_text));
        }
        assert!(from_pdf.to_string().contains("(read as PDF 文档)"), "{from_pdf}");
    }
}

#[test]
fn a_pdf_without_text_or_not_a_pdf_is_refused() {
    let site = Site::new();
    site.write("pdf/a.pdf", "这不是 PDF");
    site.write_bytes("pdf/b.pdf", &common::pdf::pdf_of(""));
    site.write("pdf/c.pdf", "%PDF-1.7\n1 0 obj\n<< /Type /Catalog");
    let reports = import_with(&site, vec![site.path("pdf")], Appendices::Inline);
    let why = |i: usize| reports[i].skipped.clone().unwrap_or_default();
    assert!(why(0).contains("a.pdf: not a PDF"), "{}", reports[0]);
    assert!(why(1).contains("b.pdf: the PDF has no text layer") && why(1).contains("OCR"), "{}", reports[1]);
    assert!(why(2).contains("c.pdf: the file is damaged"), "{}", reports[2]);
}
