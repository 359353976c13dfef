//! `import` of Word documents: each sample notice written as a .docx (by
//! tests/common/docx.rs) reads as its text does, plus what only Word holds —
//! tables, footnotes, pictures; automatic numbering; tracked changes, comments and
//! hidden text; appendices kept or split; and every file refused with its reason.

mod common;

use std::path::{Path, PathBuf};

use common::docx::*;
use common::*;
use gongkai::import::{Appendices, FileReport, ImportOptions, Outcome};
use serde_yaml::Value;

const SAMPLES: [(&str, SampleStyle); 3] = [
    ("001_c81df2f48d4ae176", SampleStyle { auto_numbering: true, extras: true, banner: None }),
    (
        "002_29c8ddca29766f0e",
        SampleStyle { auto_numbering: false, extras: true, banner: Some("通榆县人民政府办公室文件") },
    ),
    (
        "003_0cf1dc39db94254f",
        SampleStyle { auto_numbering: true, extras: true, banner: Some("中共海东市平安区委办公室文件") },
    ),
];

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
fn each_sample_reads_from_word_as_from_its_text() {
    for (stem, style) in SAMPLES {
        // Each into a site of its own: a site that has the notice takes no second copy.
        let (site, word_site) = (Site::new(), Site::new());
        let text = sample_text(stem);
        site.write(&format!("legacy/{stem}.txt"), &text);
        word_site.write_bytes(&format!("word/{stem}-word.docx"), &sample_docx(&text, style).bytes());
        let from_text = import_one(&site, site.path(&format!("legacy/{stem}.txt")));
        let from_word = import_one(&word_site, word_site.path(&format!("word/{stem}-word.docx")));
        assert_eq!(from_word.outcome, Outcome::Written, "{from_word}");
        let (fm_text, body_text) = split(&written(&from_text));
        let (fm_word, body_word) = split(&written(&from_word));
        assert_eq!(fm_word, fm_text, "{stem}: the front matter differs");
        assert_eq!(from_word.missing, from_text.missing, "{stem}");
        assert_eq!(from_word.damaged, from_text.damaged, "{stem}");

        // Plus the table, the picture and the footnote; nothing else differs.
        let table_at = body_word.find("<table>").unwrap_or_else(|| panic!("{stem}: no table in\n{body_word}"));
        let table_end = body_word[table_at..].find("</table>").unwrap() + table_at + "</table>".len();
        let table = &body_word[table_at..table_end];
        assert!(table.contains("<th rowspan=\"2\">指标</th><th colspan=\"2\">2019年</th>"), "{table}");
        assert!(table.contains("<td>入学率</td><td>95%</td><td>96%</td>"), "{table}");
        let picture = "![校园平面图](image1.png)";
        assert!(body_word.contains(&format!("</table>\n\n{picture}\n\n")), "{stem}: {body_word}");
        let note = "[^1]: 本段所称标准，指省定办学标准。";
        assert!(body_word.ends_with(&format!("\n\n{note}\n")), "{stem}: {body_word}");
        let stripped = body_word
            .replace(&format!("{table}\n\n"), "")
            .replace(&format!("{picture}\n\n"), "")
            .replace(&format!("\n\n{note}"), "")
            .replace("[^1]", "");
        assert_eq!(stripped, body_text, "{stem}: the body differs from the text's");
        assert!(body_word.contains("。[^1]\n\n<table>"), "{stem}: the reference ends its paragraph");

        // Tracked changes accepted, comments and hidden text left out, and said so.
        for gone in ["删去的旧文字", "隐藏的内部备注", "此句请核对"] {
            assert!(!body_word.contains(gone), "{stem}: {gone} in the body");
        }
        let report = from_word.to_string();
        for said in [
            "tracked insertion(s) accepted",
            "tracked deletion(s) accepted",
            "comment(s) left out",
            "hidden text left out",
        ] {
            assert!(report.contains(said), "{stem}: the report does not say {said:?}:\n{report}");
        }
        assert!(report.contains("(read as Word 文档)") && report.contains("paragraph "), "{report}");
        if stem.starts_with("002") {
            assert!(report.contains("附注 on paragraph "), "{report}");
        }
        // The 红头 is recognised as the issuer banner, as a text's would be.
        if let Some(banner) = style.banner {
            assert!(
                from_word.dropped.iter().any(|d| d.text == banner && d.why.contains("issuer banner")),
                "{stem}: {:?}",
                from_word.dropped
            );
        }
        // The picture is written beside the notice, byte for byte.
        let folder = from_word.output.as_ref().unwrap().parent().unwrap().to_path_buf();
        assert_eq!(std::fs::read(folder.join("image1.png")).unwrap(), PNG);
    }
}

#[test]
fn word_numbering_comes_out_as_numbered_headings() {
    let site = Site::new();
    let stem = "003_0cf1dc39db94254f";
    let docx = sample_docx(&sample_text(stem), SampleStyle { auto_numbering: true, extras: false, banner: None });
    // The numbers are not in the document's text: Word makes them.
    assert!(!docx.body.contains("三、工作目标") && docx.body.contains(">工作目标<"));
    site.write_bytes("word/plan.docx", &docx.bytes());
    let (_, body) = split(&written(&import_one(&site, site.path("word/plan.docx"))));
    assert!(body.contains("\n\n### 三、工作目标\n\n#### (一)总体目标\n\n力争用三年时间"), "{body}");
    assert!(body.contains("\n\n#### (二)具体目标\n\n##### 1.入学率、巩固率指标\n\n到2019-2020学年"), "{body}");
    assert!(body.contains("\n\n(一)坚持以人为本原则。以育人为根本"), "{body}");
}

#[test]
fn numbering_formats_restarts_and_overrides() {
    let mut d = Docx::new();
    d.numbering = Some(format!(
        "<w:abstractNum w:abstractNumId=\"0\">{}{}{}{}</w:abstractNum>\
         <w:abstractNum w:abstractNumId=\"1\">{}</w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>\
         <w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>\
         <w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>",
        level(0, "chineseCounting", "%1、", 1),
        level(1, "chineseCounting", "（%2）", 1),
        level(2, "decimal", "%3.", 1),
        level(3, "decimalEnclosedCircle", "%4", 1),
        level(0, "ideographTraditional", "%1、", 1),
    ));
    d.text("关于做好某项工作的通知").text("各学校：").text("现就有关事项通知如下。");
    for (num, lvl, text) in [
        (1, 0, "总体要求"),
        (1, 1, "工作目标"),
        (1, 2, "规模"),
        (1, 3, "新建幼儿园"),
        (1, 3, "改建幼儿园"),
        (1, 2, "质量"),
        (1, 0, "主要措施"),
        (1, 1, "扩大资源"),
        (2, 0, "甲项"),
        (2, 0, "乙项"),
        (3, 0, "另列甲项"),
    ] {
        d.push(&numbered(num, lvl, text));
    }
    d.text("某县教育局").text("2018年3月1日");
    let site = Site::new();
    site.write_bytes("word/n.docx", &d.bytes());
    let (_, body) = split(&written(&import_one(&site, site.path("word/n.docx"))));
    for want in [
        "## 一、总体要求\n\n### （一）工作目标\n\n#### 1.规模\n\n①新建幼儿园\n\n②改建幼儿园\n\n#### 2.质量\n\n## 二、主要措施\n\n### （一）扩大资源",
        "甲、甲项\n\n乙、乙项\n\n甲、另列甲项",
    ] {
        assert!(body.contains(want), "{want:?} not in\n{body}");
    }
}

#[test]
fn tables_without_merged_cells_are_markdown_and_frame_tables_are_lines() {
    let mut d = Docx::new();
    d.text("关于做好某项工作的通知").text("各学校：").text("现将有关数据列表如下。");
    d.push(&table(
        2,
        &[format!("{}{}", cell("", "项目"), cell("", "数量")), format!("{}{}", cell("", "幼儿园"), cell("", "10|12"))],
    ));
    d.text("某县教育局").text("2018年3月1日");
    // The 版记 laid out in a borderless table, as templates have it.
    d.push(&table(1, &[cell("", "抄送：县委办公室，县政府办公室。"), cell("", "某县教育局 2018年3月2日印发")]));
    let site = Site::new();
    site.write_bytes("word/t.docx", &d.bytes());
    let r = import_one(&site, site.path("word/t.docx"));
    let (fm, body) = split(&written(&r));
    assert!(
        body.contains("现将有关数据列表如下。\n\n| 项目 | 数量 |\n| --- | --- |\n| 幼儿园 | 10\\|12 |\n\n某县教育局"),
        "{body}"
    );
    assert_eq!(fm["printed"], "某县教育局 2018年3月2日印发");
    assert_eq!(fm["cc"][1], "县政府办公室");
    assert!(r.to_string().contains("frame"), "{r}");
}

/// A notice with two appended documents, a footnote in the second.
fn with_appendices() -> Vec<u8> {
    let mut d = Docx::new();
    d.text("发布日期：2018年3月2日").text("某县教育局关于报送统计表的通知").text("各学校：").text("请按附件填报。");
    d.text("附件：1.学校统计表").text("2.教师统计表");
    d.text("某县教育局").text("2018年3月1日").text("（此件公开发布）");
    d.text("附件1").text("学校统计表").text("学校名称、地址。");
    let note = d.footnote("按学年统计。");
    d.text("附件2").text("教师统计表").push(&para("", &format!("{}{note}", run("教师人数。"))));
    d.text("抄送：县委办公室。").text("某县教育局 2018年3月2日印发");
    d.bytes()
}

#[test]
fn appendices_stay_inline_or_are_split_into_attachments() {
    let site = Site::new();
    site.write_bytes("word/a.docx", &with_appendices());
    let inline = import_one(&site, site.path("word/a.docx"));
    let (fm, body) = split(&written(&inline));
    assert!(fm.get("attachments").is_none());
    assert!(
        body.contains("附件1\n\n学校统计表\n\n学校名称、地址。\n\n附件2\n\n教师统计表\n\n教师人数。[^1]\n\n抄送"),
        "{body}"
    );

    let site = Site::new();
    site.write_bytes("word/a.docx", &with_appendices());
    let split_report = import_with(&site, vec![site.path("word/a.docx")], Appendices::Split).remove(0);
    let (fm, body) = split(&written(&split_report));
    assert!(!body.contains("学校名称") && !body.contains("教师人数"), "{body}");
    assert!(body.contains("（此件公开发布）\n\n抄送：县委办公室。"), "{body}");
    assert!(!body.contains("[^1]"), "the note goes with its appendix: {body}");
    assert_eq!(fm["attachments"][0]["file"], "附件1.md");
    assert_eq!(fm["attachments"][0]["title"], "附件1 学校统计表");
    assert_eq!(fm["attachments"][1]["file"], "附件2.md");
    let folder = split_report.output.as_ref().unwrap().parent().unwrap().to_path_buf();
    assert_eq!(std::fs::read_to_string(folder.join("附件1.md")).unwrap(), "附件1\n\n学校统计表\n\n学校名称、地址。\n");
    assert_eq!(
        std::fs::read_to_string(folder.join("附件2.md")).unwrap(),
        "附件2\n\n教师统计表\n\n教师人数。[^1]\n\n[^1]: 按学年统计。\n"
    );
    // The split notice builds, its attachments listed.
    site.build().ok();
}

#[test]
fn embedded_files_are_attachments_and_names_from_the_zip_are_made_safe() {
    let mut d = Docx::new();
    d.text("关于报送数据的通知").text("各学校：").text("数据见所附表格。");
    let obj = d.embed("evil name:?.xlsx", b"PK-not-really");
    d.push(&para("", &obj));
    let img = d.image("../../../../outside.png", PNG, "");
    d.push(&para("", &img));
    d.text("某县教育局").text("2018年3月1日");
    let site = Site::new();
    site.write_bytes("word/e.docx", &d.bytes());
    let r = import_one(&site, site.path("word/e.docx"));
    let (fm, body) = split(&written(&r));
    assert_eq!(fm["attachments"][0]["file"], "evil_name.xlsx");
    assert!(body.contains("[附件：evil\\_name.xlsx](evil_name.xlsx)"), "{body}");
    // The picture's target climbs out of the package: not saved, not shown.
    assert!(!body.contains("outside"), "{body}");
    let folder = r.output.as_ref().unwrap().parent().unwrap().to_path_buf();
    let mut names: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["evil_name.xlsx", "index.md"]);
    // Nothing anywhere else in the site but the inputs and the notice's folder.
    for entry in walkdir::WalkDir::new(site.root()).into_iter().map(|e| e.unwrap()) {
        let p = entry.path();
        assert!(
            p.starts_with(&folder)
                || p.starts_with(site.path("word"))
                || p.starts_with(site.path("content/site.yaml"))
                || folder.starts_with(p),
            "{} was written",
            p.display()
        );
    }
}

#[test]
fn a_folder_mixes_text_and_word_files() {
    let site = Site::new();
    let text = sample_text("002_29c8ddca29766f0e");
    let style = SampleStyle { auto_numbering: false, extras: false, banner: None };
    site.write("legacy/a.txt", &text);
    site.write_bytes("legacy/b.docx", &sample_docx(&sample_text("003_0cf1dc39db94254f"), style).bytes());
    // The same notice as a.txt, as Word: read, and not added a second time.
    site.write_bytes("legacy/c.docx", &sample_docx(&text, style).bytes());
    site.write_bytes("legacy/d.doc", &ole(&["WordDocument"]));
    let reports = import_with(&site, vec![site.path("legacy")], Appendices::Inline);
    let names: Vec<String> =
        reports.iter().map(|r| r.input.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["a.txt", "b.docx", "c.docx", "d.doc"]);
    let outcomes: Vec<Outcome> = reports.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, [Outcome::Written, Outcome::Written, Outcome::Skipped, Outcome::Skipped]);
    assert!(reports[2].skipped.as_deref().unwrap().contains("the site has this notice already"), "{}", reports[2]);
    let (fm, _) = split(&written(&reports[1]));
    assert_eq!(fm["doc_number"].as_str(), Some("平办发〔2017〕55号"), "{fm:?}");
}

/// An OLE compound file holding streams of these names.
fn ole(streams: &[&str]) -> Vec<u8> {
    let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    b.resize(512 + 128 * (streams.len() + 1), 0);
    for (i, name) in streams.iter().enumerate() {
        let at = 512 + 128 * (i + 1);
        let units: Vec<u8> = name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
        b[at..at + units.len()].copy_from_slice(&units);
        b[at + 64..at + 66].copy_from_slice(&(units.len() as u16).to_le_bytes());
        b[at + 66] = 2;
    }
    b
}

/// A small valid document's package entries.
fn minimal() -> Docx {
    let mut d = Docx::new();
    d.text("关于做好某项工作的通知").text("各学校：").text("请做好某项工作。").text("某县教育局").text("2018年3月1日");
    d
}

/// Set the uncompressed size an entry declares, in its local and central headers.
fn lie_about_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    for i in 0..zip.len().saturating_sub(46) {
        let (local, central) = (&zip[i..i + 4] == b"PK\x03\x04", &zip[i..i + 4] == b"PK\x01\x02");
        let (size_at, name_at) = if local {
            (22, 30)
        } else if central {
            (24, 46)
        } else {
            continue;
        };
        if zip.get(i + name_at..i + name_at + name.len()) == Some(name) {
            zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
        }
    }
}

#[test]
fn every_bad_file_is_refused_with_its_reason_and_nothing_is_written() {
    let site = Site::new();
    let good = minimal().bytes();
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 2);
    let document = |xml: Vec<u8>| {
        let mut entries = vec![("[Content_Types].xml".to_owned(), b"<Types/>".to_vec())];
        entries.push(("word/document.xml".to_owned(), xml));
        zip_of(&entries)
    };
    let honest_bomb = document(vec![b' '; 16 << 20]);
    let mut lying_bomb = document(vec![b' '; 16 << 20]);
    lie_about_size(&mut lying_bomb, "word/document.xml", 1000);
    let many: Vec<(String, Vec<u8>)> = (0..2001).map(|i| (format!("x/{i}"), Vec::new())).collect();
    let deep = document(
        format!(
            "<w:document xmlns:w=\"{W_NS}\"><w:body>{}{}</w:body></w:document>",
            "<w:sdt>".repeat(200),
            "</w:sdt>".repeat(200)
        )
        .into_bytes(),
    );
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "old.doc",
            ole(&["WordDocument", "1Table"]),
            &["old.doc", "binary Word (.doc) or WPS (.wps)", "另存为", "Word 文档(*.docx)", "WPS"],
        ),
        ("old.wps", ole(&["WordDocument"]), &["old.wps", "save it as .docx"]),
        (
            "locked.docx",
            ole(&["EncryptionInfo", "EncryptedPackage"]),
            &["locked.docx", "password-protected", "remove the password"],
        ),
        ("text.docx", "这不是 Word 文件".as_bytes().to_vec(), &["text.docx", "not a zip package"]),
        ("cut.docx", truncated, &["cut.docx", "damaged"]),
        ("bomb.docx", honest_bomb, &["bomb.docx", "word/document.xml", "zip bomb"]),
        ("liar.docx", lying_bomb, &["liar.docx", "word/document.xml", "more than the size its header declares"]),
        ("many.docx", zip_of(&many), &["many.docx", "2001 entries", "limit of 2000"]),
        ("deep.docx", deep, &["deep.docx", "word/document.xml", "more than 100 levels deep"]),
        ("empty.docx", zip_of(&[("a.txt".to_owned(), b"x".to_vec())]), &["empty.docx", "word/document.xml"]),
    ];
    for (name, bytes, says) in &cases {
        site.write_bytes(&format!("bad/{name}"), bytes);
        let r = import_one(&site, site.path(&format!("bad/{name}")));
        assert_eq!(r.outcome, Outcome::Skipped, "{name}: {r}");
        let why = r.skipped.clone().unwrap();
        for s in *says {
            assert!(why.contains(s), "{name}: {s:?} not in {why:?}");
        }
    }
    assert!(!site.path("content/imported").exists(), "a refused file wrote something");
}

#[test]
fn a_lying_header_is_caught_by_counting() {
    let mut zip = zip_of(&[("word/document.xml".to_owned(), vec![b' '; 3 << 20])]);
    lie_about_size(&mut zip, "word/document.xml", 100);
    let limits = gongkai::import::docx::Limits::default();
    let err = gongkai::import::docx::read_bytes(zip, &limits).unwrap_err().to_string();
    assert!(err.contains("word/document.xml"), "{err}");
    assert!(err.contains("more than the size its header declares"), "{err}");
}

#[test]
fn macros_in_a_docm_are_ignored_and_said_to_be() {
    let mut d = minimal();
    d.macro_enabled = true;
    d.extra.push(("word/vbaProject.bin".into(), ole(&["VBA"])));
    let site = Site::new();
    site.write_bytes("word/m.docm", &d.bytes());
    let r = import_one(&site, site.path("word/m.docm"));
    assert_eq!(r.outcome, Outcome::Written, "{r}");
    assert!(r.to_string().contains("macros") && r.to_string().contains("never run"), "{r}");
    let folder = r.output.as_ref().unwrap().parent().unwrap().to_path_buf();
    assert_eq!(std::fs::read_dir(folder).unwrap().count(), 1, "vbaProject.bin is not saved");
}

#[test]
fn the_command_line_takes_the_attachments_flag() {
    let site = Site::new();
    site.write_bytes("word/a.docx", &with_appendices());
    let out = site.run(&["import", "--attachments", "split", site.path("word/a.docx").to_str().unwrap()]);
    out.ok();
    assert!(out.stdout.contains("附件1.md"), "{}", out.stdout);
    assert!(site.path("content/imported/a/附件2.md").exists());
    let bad = site.run(&["import", "--attachments", "sideways", "x.docx"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn the_committed_word_sample_is_the_writers_and_reads_as_its_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/legacy");
    let stem = "002_29c8ddca29766f0e";
    // Compared part by part, uncompressed: the deflate backend the build links (a
    // feature another crate may switch on) changes the zip's bytes, not the document.
    let parts = |bytes: &[u8]| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut data).unwrap();
                (f.name().unwrap().to_string(), data)
            })
            .collect::<Vec<_>>()
    };
    let committed = parts(&std::fs::read(dir.join(format!("{stem}.docx"))).unwrap());
    let made = parts(&sample_docx(&sample_text(stem), SAMPLE_002).bytes());
    assert!(
        committed == made,
        "examples/legacy/{stem}.docx is not what the writer makes: cargo run --example make_docx -- sample examples/legacy/{stem}.txt examples/legacy/{stem}.docx 通榆县人民政府办公室文件"
    );
    let (text_site, word_site) = (Site::new(), Site::new());
    let from_text = split(&written(&import_one(&text_site, dir.join(format!("{stem}.txt")))));
    let from_word = import_one(&word_site, dir.join(format!("{stem}.docx")));
    let (fm, body) = split(&written(&from_word));
    assert_eq!(fm, from_text.0);
    // Word's numbering gave the plan's sections their numbers, as typed in the text.
    assert!(body.contains("\n\n### 一、指导思想\n\n以党的十九大"), "{body}");
    assert!(body.contains("<th colspan=\"2\">2019年</th>") && body.contains("![校园平面图](image1.png)"));
    word_site.build().ok();
}

#[test]
fn a_masthead_set_in_the_page_header_is_found() {
    let mut d = Docx::new();
    d.header = Some(format!(
        "{}{}{}",
        para("", &run("某县教育局文件")),
        para("", &run("某教发〔2018〕3号")),
        para("", &run("— 1 —"))
    ));
    d.text("关于做好某项工作的通知").text("各学校：").text("请做好某项工作。").text("某县教育局").text("2018年3月1日");
    let site = Site::new();
    site.write_bytes("word/h.docx", &d.bytes());
    let r = import_one(&site, site.path("word/h.docx"));
    let (fm, body) = split(&written(&r));
    assert_eq!(fm["doc_number"], "某教发〔2018〕3号");
    assert_eq!(fm["title"], "关于做好某项工作的通知");
    assert!(body.starts_with("各学校：") && !body.contains("— 1 —"), "{body}");
    assert!(r.to_string().contains("first page's header"), "{r}");
}

#[test]
fn appendices_of_a_text_file_are_split_too() {
    let site = Site::new();
    let text = "发布日期：2018年3月2日\n某县教育局关于报送统计表的通知\n各学校：\n请按附件填报。\n附件：学校统计表\n某县教育局\n2018年3月1日\n附件\n学校统计表\n学校名称、地址。\n抄送：县委办公室。\n";
    site.write("legacy/a.txt", text);
    let r = import_with(&site, vec![site.path("legacy/a.txt")], Appendices::Split).remove(0);
    let (fm, body) = split(&written(&r));
    assert_eq!(fm["attachments"][0]["file"], "附件.md");
    assert!(!body.contains("学校名称") && body.contains("附件：学校统计表"), "{body}");
    let folder = r.output.as_ref().unwrap().parent().unwrap().to_path_buf();
    assert_eq!(std::fs::read_to_string(folder.join("附件.md")).unwrap(), "附件\n\n学校统计表\n\n学校名称、地址。\n");
    // Inline, the same text gives the notice it always did.
    let site = Site::new();
    site.write("legacy/a.txt", text);
    let (_, body) = split(&written(&import_one(&site, site.path("legacy/a.txt"))));
    assert!(body.contains("附件\n\n学校统计表\n\n学校名称、地址。\n\n抄送"), "{body}");
}

#[test]
fn a_word_document_named_txt_is_read_as_word() {
    let site = Site::new();
    site.write_bytes("legacy/renamed.txt", &minimal().bytes());
    let r = import_one(&site, site.path("legacy/renamed.txt"));
    assert_eq!(r.encoding.as_deref(), Some("Word 文档"), "{r}");
    assert_eq!(split(&written(&r)).0["title"], "关于做好某项工作的通知");
}
