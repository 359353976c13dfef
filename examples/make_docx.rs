//! Writes Word documents with the project's own test writer (tests/common/docx.rs):
//!
//!     cargo run --example make_docx -- sample TEXT OUT.docx [BANNER]
//!         A sample notice's text as a 文印室 would have it in Word: the 红头 BANNER
//!         in red, Word's automatic numbering for 一、(一) 1., tracked changes, a
//!         comment, hidden text, a footnote, a table with merged header cells and a
//!         picture. examples/legacy/002_29c8ddca29766f0e.docx is made by
//!
//!             cargo run --example make_docx -- sample examples/legacy/002_29c8ddca29766f0e.txt \
//!                 examples/legacy/002_29c8ddca29766f0e.docx 通榆县人民政府办公室文件
//!
//!         which makes it again, byte for byte.
//!
//!     cargo run --example make_docx -- bench OUT.docx [PARAGRAPHS]
//!         A long notice for bench/import_docx.sh: the three samples' paragraphs
//!         over and over, a numbered heading every ten paragraphs, a table with
//!         merged cells every fifty (about 1 MB with the default 3,500).

#[path = "../tests/common/docx.rs"]
mod docx;

use docx::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bytes = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["sample", text, _out, banner @ ..] if banner.len() <= 1 => {
            let text = std::fs::read_to_string(text).unwrap_or_else(|e| fail(&format!("cannot read {text}: {e}")));
            let banner: Option<&'static str> = banner.first().map(|b| &*b.to_string().leak());
            sample_docx(&text, SampleStyle { banner, ..SAMPLE_002 }).bytes()
        }
        ["bench", _out, rest @ ..] => {
            let paragraphs = rest.first().map_or(3_500, |n| n.parse().unwrap_or_else(|_| fail("PARAGRAPHS: a number")));
            bench_docx(paragraphs).bytes()
        }
        _ => fail("usage: make_docx sample TEXT OUT.docx [BANNER] | make_docx bench OUT.docx [PARAGRAPHS]"),
    };
    let out = &args[if args[0] == "sample" { 2 } else { 1 }];
    std::fs::write(out, &bytes).unwrap_or_else(|e| fail(&format!("cannot write {out}: {e}")));
    println!("{out}: {} bytes", bytes.len());
}

fn fail(why: &str) -> ! {
    eprintln!("{why}");
    std::process::exit(2)
}

fn bench_docx(paragraphs: usize) -> Docx {
    let legacy = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/legacy");
    let mut lines: Vec<String> = Vec::new();
    for name in ["001_c81df2f48d4ae176.txt", "002_29c8ddca29766f0e.txt", "003_0cf1dc39db94254f.txt"] {
        let text = std::fs::read_to_string(format!("{legacy}/{name}")).unwrap_or_else(|e| fail(&e.to_string()));
        lines.extend(text.lines().map(str::trim).filter(|l| l.chars().count() > 40).map(str::to_owned));
    }
    let mut d = Docx::new();
    d.numbering = Some(format!(
        "<w:abstractNum w:abstractNumId=\"0\">{}{}{}</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>",
        level(0, "chineseCounting", "%1、", 1),
        level(1, "chineseCounting", "（%2）", 1),
        level(2, "decimal", "%3.", 1)
    ));
    d.text("某县教育局文件").text("某教发〔2024〕1号");
    d.text("某县教育局关于印发某县教育发展规划（2024—2026年）的通知").text("各学校：");
    for i in 0..paragraphs {
        if i % 10 == 0 {
            d.push(&numbered(1, ((i / 10) % 3) as u32, &format!("第{i}段的要点")));
        }
        if i % 50 == 25 {
            d.push(&merged_table());
        }
        d.text(&lines[i % lines.len()]);
    }
    d.text("某县教育局").text("2024年3月1日").text("（此件公开发布）");
    d.text("抄送：县委办公室，县政府办公室。").text("某县教育局 2024年3月2日印发");
    d
}
