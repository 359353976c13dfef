//! `import`: legacy plain-text notices (the samples in examples/legacy/) turned
//! into notices — every extracted field asserted exactly, the body's text kept,
//! damaged values reported and kept out of metadata, re-import, encodings,
//! folders, and the result built by the real binary.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use gongkai::import::{FileReport, ImportOptions, MARKER, Outcome, run};
use serde_yaml::Value;

const S001: &str = "001_c81df2f48d4ae176.txt";
const S002: &str = "002_29c8ddca29766f0e.txt";
const S003: &str = "003_0cf1dc39db94254f.txt";

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/legacy")
}

fn sample(name: &str) -> PathBuf {
    samples().join(name)
}

fn opts(site: &Site, inputs: Vec<PathBuf>, force: bool) -> ImportOptions {
    ImportOptions {
        root: site.root().to_path_buf(),
        inputs,
        into: "content/imported".into(),
        force,
        ..Default::default()
    }
}

fn import(site: &Site, inputs: Vec<PathBuf>) -> Vec<FileReport> {
    run(&opts(site, inputs, false)).expect("import runs")
}

fn import_one(site: &Site, input: PathBuf) -> (FileReport, String) {
    let mut reports = import(site, vec![input]);
    assert_eq!(reports.len(), 1);
    let report = reports.remove(0);
    let out = report.output.clone().unwrap_or_else(|| panic!("nothing written:\n{report}"));
    let text = std::fs::read_to_string(out).unwrap();
    (report, text)
}

/// The front matter, parsed, and the body.
fn split(text: &str) -> (Value, &str) {
    let rest = text.strip_prefix("---\n").expect("front matter opens the file");
    let end = rest.find("\n---\n").expect("front matter is closed");
    let yaml: Value = serde_yaml::from_str(&rest[..end]).expect("front matter is YAML");
    (yaml, rest[end + 5..].trim_start_matches('\n'))
}

fn keys(v: &Value) -> Vec<String> {
    v.as_mapping().unwrap().keys().map(|k| k.as_str().unwrap().to_owned()).collect()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_sequence()
        .unwrap_or_else(|| panic!("not a list: {v:?}"))
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

/// The text without spaces and without Markdown heading marks, to compare a body
/// with its source character by character.
fn stream(text: &str) -> String {
    text.lines().map(|l| l.trim_start_matches('#')).flat_map(|l| l.chars()).filter(|c| !c.is_whitespace()).collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”' | '—')
}

/// The body must hold the source, minus the given (1-based) lines, character for
/// character and in order, with the given replacements.
#[track_caller]
fn assert_body_keeps_source(file: &str, body: &str, dropped: &[usize], replace: &[(&str, &str)]) {
    let source = std::fs::read_to_string(sample(file)).unwrap();
    let mut kept: String = source
        .lines()
        .enumerate()
        .filter(|(i, _)| !dropped.contains(&(i + 1)))
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n");
    for (from, to) in replace {
        kept = kept.replace(from, to);
    }
    let (want, got) = (stream(&kept), stream(body));
    // Every CJK character, in order …
    let cjk = |s: &str| s.chars().filter(|&c| is_cjk(c)).collect::<String>();
    assert_eq!(cjk(&got), cjk(&want), "{file}: the body's CJK characters differ from the source's");
    // … and indeed every character.
    if got != want {
        let at = got.chars().zip(want.chars()).take_while(|(a, b)| a == b).count();
        panic!(
            "{file}: body differs from the source at character {at}:\n got: {}\nwant: {}",
            got.chars().skip(at.saturating_sub(20)).take(60).collect::<String>(),
            want.chars().skip(at.saturating_sub(20)).take(60).collect::<String>()
        );
    }
}

fn dropped_lines(r: &FileReport) -> Vec<usize> {
    r.dropped.iter().map(|d| d.line).collect()
}

#[test]
fn sample_001_copy_site_traditional_opinion() {
    let site = Site::new();
    let (r, text) = import_one(&site, sample(S001));
    assert_eq!(r.outcome, Outcome::Written);
    assert_eq!(r.output.as_deref(), Some(site.path("content/imported/001_c81df2f48d4ae176/index.md").as_path()));
    assert_eq!(r.encoding.as_deref(), Some("UTF-8"));
    let (fm, body) = split(&text);
    assert_eq!(keys(&fm), ["title", "issuer", "genre", "published", "recipients", "note"]);
    assert_eq!(fm["title"], "市政辦教育工作創新意見");
    // The text names its issuer only at the start of the title, and says so.
    assert_eq!(fm["issuer"], "市政辦");
    assert_eq!(fm["genre"], "意見");
    // The copy site's 時間: 2022-05-15 10:50:00.
    assert_eq!(fm["published"], "2022-05-15");
    assert_eq!(strs(&fm["recipients"]), ["各區縣教育(教體)局", "高新區、區地事局", "局屬各單位"]);
    assert_eq!(
        fm["note"],
        "编者注：发文机关“市政辦”取自标题开头，文中没有写出机关全称。发布日期取自来源网页的“時間”（2022-05-15 10:50:00），不一定是原件的发布日期。"
    );
    assert_eq!(
        r.missing,
        [
            "doc_number",
            "index_number",
            "form",
            "topics",
            "written",
            "cc",
            "printed",
            "period",
            "validity",
            "disclosure"
        ]
    );
    assert!(r.damaged.is_empty(), "{:?}", r.damaged);
    assert!(r.remarks.iter().any(|m| m.contains("issuer `市政辦` is the beginning of the title")), "{r}");
    // The page heading (a repeat of the title), 時間, 導語 and the title are left out.
    assert_eq!(dropped_lines(&r), [1, 3, 5, 7]);
    assert_body_keeps_source(S001, body, &[1, 3, 5, 7], &[]);
    // Outline numbering: 一、 is a section; a (一) that starts a long paragraph stays one.
    assert!(body.starts_with("各區縣教育(教體)局,高新區、區地事局,局屬各單位:\n\n為貫徹"), "{body}");
    assert!(body.contains("\n\n## 一、指導思想\n\n堅持黨的教育方針"));
    assert!(body.contains("\n\n## 四、堅持試點先行、重點突破,積極組織開展教育改革試點工作\n\n"));
    assert!(body.contains("\n\n(一)創新教育理念。理念轉變是教育創新的先導。"));
    assert!(!body.contains("導語") && !body.contains("時間:"));
    assert_eq!(body.matches("\n## ").count(), 5);
    assert!(!body.contains("###"));
}

#[test]
fn sample_002_disclosure_platform_plan() {
    let site = Site::new();
    let (r, text) = import_one(&site, sample(S002));
    let (fm, body) = split(&text);
    assert_eq!(
        keys(&fm),
        [
            "title",
            "doc_number",
            "index_number",
            "issuer",
            "genre",
            "form",
            "topics",
            "written",
            "published",
            "recipients",
            "period",
            "disclosure",
            "note"
        ]
    );
    assert_eq!(fm["title"], "通榆县人民政府办公室关于印发通榆县推进县域义务教育优质均衡发展规划(2018——2020)的通知");
    assert_eq!(fm["doc_number"], "通政办发〔2018〕55号");
    assert_eq!(fm["index_number"], "11220822013601307Q/2018-14393");
    assert_eq!(fm["issuer"], "通榆县人民政府办公室");
    assert_eq!(fm["genre"], "通知");
    assert_eq!(fm["form"], "规划");
    // 分类 "其他 ; 通知": a topic, and the genre confirmed.
    assert_eq!(strs(&fm["topics"]), ["其他"]);
    // The catalogue's 成文日期 (2018年09月03日) is taken; the signature's 2018年9月2日
    // differs, and that is reported, not decided.
    assert_eq!(fm["written"], "2018-09-03");
    assert_eq!(fm["published"], "2018-09-03");
    assert_eq!(strs(&fm["recipients"]), ["各有关部门"]);
    assert_eq!(fm["period"], "2018–2020");
    assert_eq!(fm["disclosure"], "主动公开");
    assert_eq!(
        fm["note"],
        "此件公开发布 编者注：附注在来源中作“(此件公开发布”，缺右括号，正文照录。成文日期：来源目录作2018年09月03日，文件落款作2018年9月2日，两者不一致；此处按目录填写，请核对原件。"
    );
    assert_eq!(r.missing, ["cc", "printed", "validity"]);
    assert!(r.damaged.is_empty(), "{:?}", r.damaged);
    assert!(
        r.remarks
            .iter()
            .any(|m| m.contains("written dates differ") && m.contains("2018年09月03日") && m.contains("2018年9月2日")),
        "{r}"
    );
    let found = |f: &str| r.values(f);
    assert_eq!(found("written"), ["2018-09-03"]);
    assert_eq!(found("topics"), ["其他"]);
    // 政府信息公开, the catalogue (twice), the title's three lines, the number.
    let mut dropped: Vec<usize> = (1..=12).collect();
    dropped.extend([14, 16, 18, 20]);
    assert_eq!(dropped_lines(&r), dropped);
    assert_body_keeps_source(S002, body, &dropped, &[]);
    // The covering notice, then the plan under its own heading, its sections one level down.
    assert!(
        body.starts_with(
            "各有关部门:\n\n《通榆县推进县域义务教育优质均衡发展规划(2018——2020)》已经县政府同意,现印发给你们,请认真贯彻执行。\n\n通榆县人民政府办公室\n\n2018年9月2日\n\n(此件公开发布\n\n## 通榆县推进县域义务教育优质均衡发展规划(2018——2020)\n\n为认真贯彻落实"
        ),
        "{body}"
    );
    assert!(body.contains("\n\n### 一、指导思想\n\n以党的十九大"));
    assert!(body.contains("\n\n### 五、时间表和路线图\n\n"));
    assert!(body.contains("\n\n(一)实施义务教育标准化学校建设,推进城乡一体化。严格按照"));
    assert_eq!(body.matches("\n## ").count(), 1);
    assert_eq!(body.matches("\n### ").count(), 5);
    assert!(!body.contains("索 引 号") && !body.contains("发布日期"));
}

#[test]
fn sample_003_tampered_joint_issuer() {
    let site = Site::new();
    let (r, text) = import_one(&site, sample(S003));
    let (fm, body) = split(&text);
    assert_eq!(
        keys(&fm),
        ["title", "doc_number", "issuer", "genre", "form", "written", "published", "recipients", "period", "note"]
    );
    // Only the sound part of the title: its first line named the tampered issuer.
    assert_eq!(fm["title"], "关于印发海东市平安区提升教育教学质量三年(2017-2020年)攻坚行动方案的通知");
    assert_eq!(fm["doc_number"], "平办发〔2017〕55号");
    // The second issuer is damaged: left out, not repaired.
    assert_eq!(fm["issuer"], "中共海东市平安区委办公室");
    assert_eq!(fm["genre"], "通知");
    assert_eq!(fm["form"], "方案");
    assert_eq!(fm["written"], "2017-11-22");
    // The page's 创建时间.
    assert_eq!(fm["published"], "2017-11-23");
    assert_eq!(strs(&fm["recipients"]), ["各乡镇党委、人民政府", "区委各部门、区直各单位"]);
    assert_eq!(fm["period"], "2017–2020");
    assert_eq!(
        fm["note"],
        "编者注：来源中第2个发文机关的名称疑似遭篡改（名称中夹杂了与机关无关的文字），未列为发文机关，正文中以〔此处机关名称在来源中疑似遭篡改〕标出。标题只取未受损的“关于……”部分。发布日期取自来源网页的“创建时间”（2017-11-23），不一定是原件的发布日期。来源网页署“作者：平安区；来源：本站”。"
    );
    assert_eq!(r.missing, ["index_number", "topics", "cc", "printed", "validity", "disclosure"]);
    let damaged: Vec<(&str, &str)> = r.damaged.iter().map(|d| (d.field.as_str(), d.raw.as_str())).collect();
    assert_eq!(
        damaged,
        [
            ("issuer", "海东市77365体育在线办公室"),
            (
                "title",
                "中共海东市平安区委办公室 海东市77365体育在线办公室关于印发海东市平安区提升教育教学质量三年(2017-2020年)攻坚行动方案的通知"
            ),
        ]
    );
    assert!(r.damaged[0].why.contains("`77365体育在线`"), "{:?}", r.damaged[0]);
    assert!(r.damaged[0].why.contains("the signature and the issuer line above the title"), "{:?}", r.damaged[0]);
    // The page's author and source are metadata for the report and the note, not body.
    assert!(r.remarks.iter().any(|m| m.contains("作者：平安区") && m.contains("来源：本站")), "{r}");
    // No spam text anywhere in what will be published.
    assert!(!text.contains("77365") && !text.contains("体育在线"), "{text}");
    // Banner, column name, page information, number, the title's two lines, print links.
    assert_eq!(dropped_lines(&r), [1, 3, 5, 7, 10, 12, 128]);
    assert_body_keeps_source(S003, body, &[1, 3, 5, 7, 10, 12, 128], &[("海东市77365体育在线办公室", MARKER)]);
    assert!(body.contains(&format!("\n\n中共海东市平安区委办公室 {MARKER}\n\n2017年11月22日\n\n")), "{body}");
    assert!(body.contains("\n\n## 海东市平安区提升教育教学质量三年(2017-2020年)攻坚行动方案\n\n为认真贯彻落实"));
    assert!(body.contains("\n\n### 三、工作目标\n\n#### (一)总体目标\n\n力争用三年时间"));
    assert!(body.contains("\n\n#### (二)具体目标\n\n##### 1.入学率、巩固率指标\n\n到2019-2020学年"));
    // A (一) or 1. that starts a long paragraph stays a paragraph.
    assert!(body.contains("\n\n(一)坚持以人为本原则。以育人为根本"));
    assert!(body.contains("\n\n1.集中开展提升教育质量大讨论活动。紧紧围绕"));
    assert!(!body.contains("打印") && !body.contains("欢迎访问") && !body.contains("点击量"));
}

#[test]
fn imported_samples_build() {
    let site = Site::new();
    let reports = import(&site, vec![sample(S001), sample(S002), sample(S003)]);
    assert_eq!(reports.len(), 3);
    assert!(reports.iter().all(|r| r.outcome == Outcome::Written), "{reports:?}");
    let run = site.build();
    run.ok();
    // Warnings only: issuers and a topic the standard site.yaml does not list.
    assert!(run.stderr.contains("warning[W010][issuer]"), "{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let cat = site.catalogue();
    assert_eq!(cat["count"], 3);
    let notices = cat["notices"].as_array().unwrap();
    let by_path = |p: &str| notices.iter().find(|n| n["path"].as_str().unwrap().contains(p)).unwrap();
    let tongyu = by_path("002_29c8ddca29766f0e");
    assert_eq!(tongyu["doc_number"]["text"], "通政办发〔2018〕55号");
    assert_eq!(tongyu["written"], "2018-09-03");
    assert_eq!(tongyu["period"], "2018–2020");
    assert_eq!(tongyu["disclosure"], "主动公开");
    let pingan = by_path("003_0cf1dc39db94254f");
    assert_eq!(pingan["issuers"], serde_json::json!(["中共海东市平安区委办公室"]));
    let shi = by_path("001_c81df2f48d4ae176");
    assert_eq!(shi["lang"], "zh-Hant");
    assert_eq!(shi["genre"], "意见");
    for (path, bytes) in site.snapshot("output") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("77365"), "{} carries the spliced-in gambling-site name", path.display());
    }
}

#[test]
fn reimport_keeps_edits_unless_forced() {
    let site = Site::new();
    let (first, text) = import_one(&site, sample(S002));
    let out = first.output.unwrap();
    // The same import again: nothing to do.
    let again = import(&site, vec![sample(S002)]);
    assert_eq!(again[0].outcome, Outcome::Unchanged);
    assert_eq!(again[0].output.as_deref(), Some(out.as_path()));
    assert!(again[0].to_string().contains("unchanged"), "{}", again[0]);
    // The clerk edits the notice: a re-import does not overwrite it …
    let edited = text.replace("written: 2018-09-03", "written: 2018-09-02");
    std::fs::write(&out, &edited).unwrap();
    let skipped = import(&site, vec![sample(S002)]);
    assert_eq!(skipped[0].outcome, Outcome::Skipped);
    assert_eq!(skipped[0].output, None);
    let why = skipped[0].skipped.as_deref().unwrap();
    assert!(why.contains("--force"), "{why}");
    assert!(skipped[0].to_string().contains("skipped"), "{}", skipped[0]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), edited);
    // … unless forced.
    let forced = run(&opts(&site, vec![sample(S002)], true)).unwrap();
    assert_eq!(forced[0].outcome, Outcome::Replaced);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    // No temporary files are left behind.
    let files: Vec<_> = std::fs::read_dir(out.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files, ["index.md"]);
}

#[test]
fn gb18030_input_is_read_and_named() {
    let site = Site::new();
    let utf8 = std::fs::read_to_string(sample(S002)).unwrap();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&utf8);
    assert!(!unmappable);
    let input = site.path("legacy/002-gb18030.txt");
    site.write_bytes("legacy/002-gb18030.txt", &gb);
    let (r, text) = import_one(&site, input);
    assert_eq!(r.encoding.as_deref(), Some("GB18030"));
    assert!(r.to_string().contains("read as GB18030"), "{r}");
    assert_eq!(r.output.as_deref(), Some(site.path("content/imported/002-gb18030/index.md").as_path()));
    // The same notice as from the UTF-8 file; only the provenance comment differs.
    let other = Site::new();
    let (_, from_utf8) = import_one(&other, sample(S002));
    assert_eq!(split(&text).0, split(&from_utf8).0);
    assert_eq!(split(&text).1, split(&from_utf8).1);
    assert!(text.lines().nth(1).unwrap().contains("GB18030"));
    // The written file is UTF-8 and builds.
    site.build().ok();
}

#[test]
fn a_folder_imports_every_txt_file_in_order() {
    let site = Site::new();
    let dir = site.path("legacy");
    for name in [S003, S001] {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(sample(name), dir.join(name)).unwrap();
    }
    std::fs::create_dir_all(dir.join("more")).unwrap();
    std::fs::copy(sample(S002), dir.join("more/通榆规划.TXT")).unwrap();
    site.write("legacy/readme.md", "not a notice");
    site.write("legacy/.hidden.txt", "not a notice");
    let reports = import(&site, vec![dir]);
    let inputs: Vec<String> =
        reports.iter().map(|r| r.input.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(inputs, [S001, S003, "通榆规划.TXT"]);
    // A file name that is not ASCII gets a short stable hash.
    let slug =
        reports[2].output.as_ref().unwrap().parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
    assert!(slug.starts_with("notice-") && slug.len() == "notice-".len() + 10, "{slug}");
    assert!(slug[7..].chars().all(|c| c.is_ascii_hexdigit()), "{slug}");
    let again = import(&site, vec![site.path("legacy/more")]);
    assert_eq!(again[0].outcome, Outcome::Unchanged, "the slug is deterministic");
    site.build().ok();
}

#[test]
fn legacy_variants_of_the_same_families() {
    let site = Site::new();
    let text = [
        "\u{feff}首页 > 信息公开 > 政策文件",
        "索引号：000014349/2017-00110\u{3000}\u{3000}主题分类：科技、教育\\教育",
        "发文机关：甲县教育局、乙县财政局",
        "成文日期：2018年4月10日\u{3000}\u{3000}发布日期：2018/4/11 15:17:01",
        "标\u{3000}\u{3000}题：甲县教育局 乙县财政局关于印发《甲县学前教育行动计划（2018—2020年）》的通知",
        "发文字号：甲教发〔2018〕12",
        "有效性：有效",
        "",
        "甲县教育局 乙县财政局关于印发《甲县学前教育行动计划（2018—2020年）》的通知",
        "",
        "各乡镇中心校，县直各学校：",
        "\u{3000}\u{3000}现将《甲县学前教育行动计划（2018—2020年）》印发给你们，请遵照执行。",
        "",
        "甲县教育局\u{3000}\u{3000}乙县财政局",
        "2018年4月10日",
        "（全文公开）",
        "甲县学前教育行动计划（2018—2020年）",
        "一、总体目标",
        "\u{3000}\u{3000}到2020年，学前三年毛入园率达到95%以上。",
        "二、主要措施",
        "1、扩大资源",
        "\u{3000}\u{3000}新建幼儿园*10*所。",
        "抄送：县委办公室，县人大常委会办公室。",
        "甲县教育局办公室 2018年4月10日印发",
        "文章来源：甲县教育局\u{3000}\u{3000}浏览次数：1024",
        "【打印本页】【关闭窗口】",
    ]
    .join("\r\n");
    site.write("legacy/jia.txt", &text);
    let (r, out) = import_one(&site, site.path("legacy/jia.txt"));
    let (fm, body) = split(&out);
    assert_eq!(fm["title"], "甲县教育局 乙县财政局关于印发《甲县学前教育行动计划（2018—2020年）》的通知");
    assert_eq!(fm.get("doc_number"), None, "a number without 号 is damaged, not repaired");
    assert_eq!(r.damaged[0].field, "doc_number");
    assert_eq!(r.damaged[0].raw, "甲教发〔2018〕12");
    assert!(r.damaged[0].why.contains("号"), "{:?}", r.damaged);
    assert_eq!(fm["index_number"], "000014349/2017-00110");
    assert_eq!(strs(&fm["issuer"]), ["甲县教育局", "乙县财政局"]);
    assert_eq!(fm["genre"], "通知");
    assert_eq!(fm["form"], "行动计划");
    assert_eq!(strs(&fm["topics"]), ["科技、教育\\教育"]);
    assert_eq!(fm["written"], "2018-04-10");
    assert_eq!(fm["published"], "2018-04-11");
    assert_eq!(strs(&fm["recipients"]), ["各乡镇中心校", "县直各学校"]);
    assert_eq!(strs(&fm["cc"]), ["县委办公室", "县人大常委会办公室"]);
    assert_eq!(fm["printed"], "甲县教育局办公室 2018年4月10日印发");
    assert_eq!(fm["period"], "2018–2020");
    assert_eq!(fm["validity"], "有效");
    assert_eq!(fm["disclosure"], "主动公开");
    assert!(fm["note"].as_str().unwrap().starts_with("全文公开 编者注："), "{:?}", fm["note"]);
    assert!(fm["note"].as_str().unwrap().contains("甲教发〔2018〕12"));
    assert!(r.missing == ["doc_number"], "{:?}", r.missing);
    assert!(r.remarks.iter().any(|m| m.contains("文章来源：甲县教育局")), "{r}");
    assert!(body.starts_with("各乡镇中心校，县直各学校：\n\n现将《甲县"), "{body}");
    assert!(body.contains("\n\n## 甲县学前教育行动计划（2018—2020年）\n\n### 一、总体目标\n\n到2020年"), "{body}");
    assert!(body.contains("\n\n### 二、主要措施\n\n#### 1、扩大资源\n\n新建幼儿园\\*10\\*所。"), "{body}");
    assert!(body.contains("\n\n抄送：县委办公室，县人大常委会办公室。\n\n甲县教育局办公室 2018年4月10日印发\n"));
    for debris in ["首页", "浏览次数", "打印", "文章来源", "索引号"] {
        assert!(!body.contains(debris), "{debris} in {body}");
    }
    // The site's index-number pattern accepts the 9-character organisation code.
    site.build().ok();
}

#[test]
fn a_missing_required_field_is_left_empty_and_said() {
    let site = Site::new();
    site.write("legacy/nodate.txt", "关于做好某项工作的通知\n\n各学校：\n\n请做好某项工作。\n");
    let (r, text) = import_one(&site, site.path("legacy/nodate.txt"));
    let (fm, _) = split(&text);
    assert_eq!(keys(&fm), ["title", "genre", "recipients"]);
    assert!(r.missing.iter().any(|m| m == "issuer") && r.missing.iter().any(|m| m == "published"), "{:?}", r.missing);
    assert!(text.contains("# 缺少必填字段 issuer（发文机关）"), "{text}");
    assert!(text.contains("# 缺少必填字段 published（发布日期）"), "{text}");
    let shown = r.to_string();
    assert!(shown.contains("required: issuer, published"), "{shown}");
    assert!(r.remarks.iter().any(|m| m.contains("will not build until issuer, published")), "{r}");
    // The build names what the clerk has to fill in.
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("missing required field `issuer`"), "{}", run.stderr);
}

#[test]
fn usage_errors_stop_before_anything_is_written() {
    let site = Site::new();
    let err = run(&opts(&site, vec![site.path("nope.txt")], false)).unwrap_err();
    assert!(err.to_string().contains("nope.txt"), "{err}");
    let err = run(&opts(&site, vec![], false)).unwrap_err();
    assert!(err.to_string().contains("no input"), "{err}");
    let mut o = opts(&site, vec![sample(S001)], false);
    o.into = "../outside".into();
    assert!(run(&o).unwrap_err().to_string().contains("inside content/"));
    std::fs::create_dir_all(site.path("empty")).unwrap();
    assert!(run(&opts(&site, vec![site.path("empty")], false)).unwrap_err().to_string().contains("no .txt"));
    assert!(!site.path("content/imported").exists());
    // `into` outside content/ is taken inside it.
    let mut o = opts(&site, vec![sample(S001)], false);
    o.into = "old".into();
    let r = run(&o).unwrap();
    assert_eq!(r[0].output.as_deref(), Some(site.path("content/old/001_c81df2f48d4ae176/index.md").as_path()));
}

#[test]
fn the_report_says_what_was_found_missing_and_damaged() {
    let site = Site::new();
    let (r, _) = import_one(&site, sample(S003));
    let shown = r.to_string();
    for needle in [
        "003_0cf1dc39db94254f.txt (read as UTF-8)",
        "wrote ",
        "content/imported/003_0cf1dc39db94254f/index.md",
        "doc_number 发文字号: 平办发〔2017〕55号",
        "recipients 主送机关: 各乡镇党委、人民政府；区委各部门、区直各单位",
        "missing (left empty, not guessed): index_number 索引号",
        "damaged in the source",
        "issuer 发文机关: `海东市77365体育在线办公室`",
        "line 1: 欢迎访问77365体育在线 — site banner",
    ] {
        assert!(shown.contains(needle), "report lacks {needle:?}:\n{shown}");
    }
}

#[test]
fn files_that_are_not_notices_are_skipped_with_a_reason() {
    let site = Site::new();
    site.write("legacy/a-empty.txt", "");
    site.write("legacy/b-debris.txt", "欢迎访问某某网\n\n打印】 【返回】 【关闭\n");
    site.write_bytes("legacy/c-binary.txt", b"\x00\x01\x02PK\x03\x04");
    let reports = import(&site, vec![site.path("legacy")]);
    assert_eq!(reports.len(), 3);
    for r in &reports {
        assert_eq!(r.outcome, Outcome::Skipped, "{r}");
        assert_eq!(r.output, None);
        assert!(r.to_string().contains("skipped: "), "{r}");
    }
    assert!(reports[0].skipped.as_deref().unwrap().contains("no text"), "{}", reports[0]);
    assert!(reports[1].skipped.as_deref().unwrap().contains("no text"), "{}", reports[1]);
    assert_eq!(reports[1].dropped.len(), 2);
    assert!(reports[2].skipped.as_deref().unwrap().contains("NUL"), "{}", reports[2]);
    assert!(!site.path("content/imported").exists());
}

/// A notice the site has already (same 文号 and title) is not imported a second
/// time; the report says where it is. A document whose 文号 another notice of the
/// site carries is not written either.
#[test]
fn a_notice_already_in_the_site_is_not_added_again() {
    let site = Site::example();
    let reports = import(&site, vec![sample(S002)]);
    let r = &reports[0];
    assert_eq!(r.outcome, Outcome::Skipped, "{r}");
    let why = r.skipped.as_deref().unwrap();
    assert!(
        why.contains("the site has this notice already: content/notices/tongyu-yiwu-jiaoyu-junheng-guihua/index.md"),
        "{why}"
    );
    assert!(!site.path("content/imported").exists());
    site.build().ok();
}
