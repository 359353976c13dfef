//! End-to-end: progress data in workbooks (.xlsx, .ods, .xls) — one sheet per
//! table or the wide layout — gives the same catalogue entries as the same data in
//! CSV; cells are read as Excel shows them; every error names the file, the sheet
//! and the cell; encrypted, damaged and oversized workbooks are refused.

mod common;
#[path = "workbook/make.rs"]
mod make;

use common::*;
use make::*;

/// Statuses are judged on 2020-06-01 (UTC+8).
const EPOCH: &str = "1590940800";

fn notice(data: &str) -> String {
    GOOD.replace("---\n\n", &format!("data: [{data}]\n---\n\n"))
}

const INDICATORS: &str = "id,name,unit,direction,group,baseline_period,baseline_value\nyiben,高考一本上线率,%,higher,高中阶段,2017,26\ndropout,初中年辍学率,%,lower,入学率、巩固率指标,2016-2017学年,1.80\nteachers,补充教师,人,higher,师资,,\n";
const TARGETS: &str = "indicator,period,comparator,value,text\nyiben,2018,≥,30,2018年达到30%以上\nyiben,2020,≥,34,\ndropout,2019-2020学年,≤,1,\nteachers,2020,≥,360人,\n";
const ACTUALS: &str = "indicator,period,value,reported,source,sample\nyiben,2018,29,2019-01-15,统计公报,\nyiben,2019,31.5%,2020-01-15,,\ndropout,2017-2018学年,1.5,2018-10-15,示例,是\nteachers,2019,170,,,\n";
const MILESTONES: &str = "task,lead,co,period,due,state,completed\n全县普查,县教育局,各学校、各幼儿园,2018年2月—2018年9月,2018-09-30,已完成,2018-09-20\n";

/// The same figures, one sheet per table, headed in Chinese, with a title above
/// and notes under, in cells as clerks fill them.
pub fn long_sheets() -> Vec<Sheet> {
    let title = |t: &str| vec![texts(&[t]), texts(&["填报单位：县教育局", "", "填报日期：2020年1月20日"]), vec![]];
    let mut indicators = title("教育发展指标");
    indicators.extend([
        texts(&["编号", "指标名称", "单位", "方向", "分组", "基期", "基线值"]),
        vec![s("yiben"), s("高考一本上线率"), s("%"), s("越高越好"), s("高中阶段"), V::N(2017.0), V::N(26.0)],
        vec![
            s("dropout"),
            s("初中年辍学率"),
            s("%"),
            s("越低越好"),
            s("入学率、巩固率指标"),
            s("2016-2017学年"),
            V::F(1.8, "0.00"),
        ],
        texts(&["teachers", "补充教师", "人", "越高越好", "师资"]),
        vec![],
        texts(&["注：1. 基线值为2017年统计数。"]),
        texts(&["2. 本行在注之后，不是数据。"]),
    ]);
    let mut indicators = sheet("指标", indicators);
    indicators.merges.push((0, 0, 0, 6));
    let targets = sheet(
        "目标",
        vec![
            texts(&["指标编号", "年度", "比较", "目标值", "目标表述"]),
            vec![s("yiben"), V::N(2018.0), s("以上"), V::N(30.0), s("2018年达到30%以上")],
            vec![s("yiben"), s("2020"), s("≥"), s("34")],
            vec![s("dropout"), s("2019-2020学年"), s("≤"), V::N(1.0)],
            vec![s("teachers"), V::N(2020.0), s("≥"), V::F(360.0, "0\"人\"")],
        ],
    );
    let actuals = sheet(
        "完成情况",
        vec![
            texts(&["指标", "年度", "实际值", "报告日期", "数据来源", "示例"]),
            vec![s("yiben"), V::N(2018.0), V::Formula("=25+4", "29"), V::D(2019, 1, 15), s("统计公报")],
            vec![s("yiben"), V::N(2019.0), V::F(0.315, "0.0%"), V::D(2020, 1, 15)],
            vec![s("dropout"), s("2017-2018学年"), V::N(1.5), V::D(2018, 10, 15), s("示例"), s("是")],
            vec![s("teachers"), V::N(2019.0), s("170")],
            texts(&["说明：实际值为当年统计数。"]),
        ],
    );
    vec![
        sheet("说明", vec![texts(&["本表各工作表的填法见 docs/spreadsheets.md。"])]),
        indicators,
        targets,
        actuals,
        milestones_sheet(),
        sheet("Sheet5", vec![]),
    ]
}

fn milestones_sheet() -> Sheet {
    sheet(
        "工作进度",
        vec![
            texts(&["工作任务", "牵头单位", "配合单位", "年度", "完成时限", "状态", "完成日期"]),
            vec![
                s("全县普查"),
                s("县教育局"),
                s("各学校、各幼儿园"),
                s("2018年2月—2018年9月"),
                V::D(2018, 9, 30),
                s("已完成"),
                V::D(2018, 9, 20),
            ],
        ],
    )
}

/// The same figures in the wide layout: one row per indicator, the periods across
/// under a two-level merged header; the milestones in a sheet of their own.
pub fn wide_sheets() -> Vec<Sheet> {
    let top = texts(&[
        "编号",
        "指标名称",
        "单位",
        "方向",
        "分组",
        "基期",
        "基线值",
        "2017-2018学年",
        "",
        "",
        "",
        "2018",
        "",
        "",
        "",
        "",
        "2019",
        "",
        "2019-2020学年",
        "2020",
    ]);
    let sub = texts(&[
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "实际值",
        "报告日期",
        "数据来源",
        "示例",
        "目标值",
        "目标表述",
        "实际值",
        "报告日期",
        "数据来源",
        "实际值",
        "报告日期",
        "目标值",
        "目标值",
    ]);
    let b = V::Blank;
    let rows = vec![
        texts(&["义务教育指标完成情况表"]),
        texts(&["填报单位：县教育局", "", "", "", "填报日期：2020年1月20日"]),
        top,
        sub,
        vec![
            s("yiben"),
            s("高考一本上线率"),
            s("%"),
            s("越高越好"),
            s("高中阶段"),
            V::N(2017.0),
            V::N(26.0),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            V::N(30.0),
            s("2018年达到30%以上"),
            V::Formula("=25+4", "29"),
            V::D(2019, 1, 15),
            s("统计公报"),
            V::F(0.315, "0.0%"),
            V::D(2020, 1, 15),
            b.clone(),
            V::N(34.0),
        ],
        vec![
            s("dropout"),
            s("初中年辍学率"),
            s("%"),
            s("越低越好"),
            s("入学率、巩固率指标"),
            s("2016-2017学年"),
            V::F(1.8, "0.00"),
            V::N(1.5),
            V::D(2018, 10, 15),
            s("示例"),
            s("是"),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            V::N(1.0),
            b.clone(),
        ],
        vec![
            s("teachers"),
            s("补充教师"),
            s("人"),
            s("越高越好"),
            s("师资"),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            b.clone(),
            s("170"),
            b.clone(),
            b.clone(),
            V::F(360.0, "0\"人\""),
        ],
        texts(&["注：目标值未写比较的，按指标方向比较（越高越好为“不低于”）。"]),
    ];
    let mut wide = sheet("指标完成情况", rows);
    wide.merges = vec![(0, 0, 0, 19), (2, 7, 2, 10), (2, 11, 2, 15), (2, 16, 2, 17)];
    wide.merges.extend((0..7).map(|c| (2, c, 3, c)));
    vec![wide, milestones_sheet()]
}

/// A notice's progress as the catalogue has it, without the names of its files.
fn progress(site: &Site) -> serde_json::Value {
    let mut p = site.catalogue()["notices"][0]["progress"].clone();
    assert!(p.is_object(), "no progress data");
    p.as_object_mut().unwrap().remove("files");
    p
}

fn site_with(files: &[(&str, Vec<u8>)]) -> Site {
    let site = Site::new();
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    site.write("content/plan/index.md", &notice(&names.join(", ")));
    for (name, bytes) in files {
        site.write_bytes(&format!("content/plan/{name}"), bytes);
    }
    site
}

fn built(files: &[(&str, Vec<u8>)]) -> (Site, Run) {
    let site = site_with(files);
    let run = site.build_at(EPOCH);
    (site, run)
}

#[test]
fn csv_and_workbooks_give_the_same_progress() {
    let (csv, run) = built(&[
        ("indicators.csv", INDICATORS.into()),
        ("targets.csv", TARGETS.into()),
        ("actuals.csv", ACTUALS.into()),
        ("milestones.csv", MILESTONES.into()),
    ]);
    run.ok();
    let expected = progress(&csv);
    assert_eq!(expected["indicators"].as_array().unwrap().len(), 3);
    let mut cases = vec![
        ("进展.xlsx", xlsx(&long_sheets())),
        ("宽表.xlsx", xlsx(&wide_sheets())),
        ("进展.xlsm", xlsx(&long_sheets())),
        ("进展.ods", ods(&long_sheets())),
        ("宽表.ods", ods(&wide_sheets())),
    ];
    let xls = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workbook/wide.xls");
    cases.push(("宽表.xls", std::fs::read(&xls).expect("tests/workbook/wide.xls (see make_xls.py)")));
    for (name, bytes) in cases {
        let (site, run) = built(&[(name, bytes)]);
        run.ok();
        assert!(!run.stderr.contains("warning"), "{name}: {}", run.stderr);
        assert_eq!(progress(&site), expected, "{name} reads as the CSV files do");
    }
}

/// The printed values are the cells as Excel shows them.
#[test]
fn cells_are_read_as_excel_shows_them() {
    // A hidden sheet (helpers, old figures) is not read.
    let mut sheets = long_sheets();
    let mut old = sheet("实际（旧）", vec![texts(&["指标", "年度", "实际值"]), texts(&["yiben", "2018", "很多"])]);
    old.hidden = true;
    sheets.push(old);
    let (site, run) = built(&[("进展.xlsx", xlsx(&sheets))]);
    run.ok();
    let p = progress(&site);
    let ind = |id: &str| p["indicators"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
    let yiben = ind("yiben");
    let written: Vec<&str> =
        yiben["actuals"].as_array().unwrap().iter().map(|a| a["written"].as_str().unwrap()).collect();
    assert_eq!(written, ["29", "31.5%"], "a cached formula's value; a percent cell as its format shows it");
    assert_eq!(yiben["actuals"][1]["value"], 31.5);
    assert_eq!(yiben["actuals"][0]["reported"], "2019-01-15", "a date cell is a date");
    assert_eq!(ind("dropout")["baseline"]["written"], "1.80", "a format's zeros are kept");
    assert_eq!(ind("teachers")["targets"][0]["value"], 360.0, "0\"人\" is 360人");
    assert_eq!(ind("teachers")["actuals"][0]["value"], 170.0, "a number stored as text");
}

/// The long workbook with one cell changed (0-based row and column of a sheet).
fn long_with(sheet: &str, row: usize, col: usize, v: V) -> Vec<u8> {
    let mut sheets = long_sheets();
    let rows = &mut sheets.iter_mut().find(|s| s.name == sheet).unwrap().rows[row];
    if rows.len() <= col {
        rows.resize(col + 1, V::Blank);
    }
    rows[col] = v;
    xlsx(&sheets)
}

/// A build that fails on the workbook: its output names the file, sheet and cell.
fn fails(bytes: Vec<u8>) -> Run {
    let (_, run) = built(&[("进展.xlsx", bytes)]);
    assert_eq!(run.code, 1, "expected errors:\n{}", run.stderr);
    run
}

const FILE: &str = "content/plan/进展.xlsx";

#[test]
fn an_error_value_names_sheet_and_cell() {
    let run = fails(long_with("完成情况", 2, 2, V::Formula("=1/0", "#DIV/0!")));
    run.has("error", "value", &format!("{FILE}:3"), &["error value #DIV/0!", "工作表「完成情况」, C3"]);
}

#[test]
fn a_value_that_is_not_a_number_names_sheet_and_cell() {
    let run = fails(long_with("完成情况", 2, 2, s("很多")));
    run.has("error", "value", &format!("{FILE}:3"), &["not a number", "很多", "工作表「完成情况」, C3"]);
}

#[test]
fn an_unknown_indicator_names_the_cell_of_its_id() {
    let run = fails(long_with("完成情况", 2, 0, s("yibne")));
    run.has(
        "error",
        "indicator",
        &format!("{FILE}:3"),
        &["unknown indicator `yibne`", "工作表「完成情况」, A3", "did you mean `yiben`"],
    );
}

/// In the wide layout a period's value is the cell under it in the indicator's row.
#[test]
fn a_wide_tables_errors_name_the_cell_under_the_period() {
    let mut sheets = wide_sheets();
    sheets[0].rows[4][19] = s("很多");
    let run = fails(xlsx(&sheets));
    run.has("error", "value", &format!("{FILE}:5"), &["not a number", "很多", "工作表「指标完成情况」, T5"]);
    let mut sheets = wide_sheets();
    // A period people write but no one can place is no period: its column is named
    // by its second row, and ignored with a warning.
    sheets[0].rows[2][19] = s("明年");
    let (_, run) = built(&[("进展.xlsx", xlsx(&sheets))]);
    run.ok().has("warning", "目标值", &format!("{FILE}:4"), &["unknown column `目标值`", "工作表「指标完成情况」, T4"]);
}

#[test]
fn a_missing_column_names_the_header_row() {
    let run = fails(long_with("完成情况", 0, 2, s("数量")));
    run.has("error", "value", &format!("{FILE}:1"), &["missing column `value`", "工作表「完成情况」, A1:F1"]);
    run.has("warning", "数量", &format!("{FILE}:1"), &["unknown column `数量`", "工作表「完成情况」, C1"]);
    // No header at all: the sheet is named, and its first row.
    let mut sheets = long_sheets();
    sheets[3].rows.remove(0);
    let run = fails(xlsx(&sheets));
    run.has("error", "header", &format!("{FILE}:1"), &["no header row", "工作表「完成情况」, A1:"]);
    // A sheet of no known name and no wide header.
    let run = fails(xlsx(&[sheet("Sheet1", vec![texts(&["a", "b"]), texts(&["1", "2"])])]));
    run.has("error", "sheet", &format!("{FILE}:1"), &["cannot tell what sheet 「Sheet1」 holds", "说明"]);
}

#[test]
fn a_formula_without_a_saved_value_says_to_save_the_file_in_excel() {
    // rust_xlsxwriter saves a result (0 unless told); a file some programs write has none.
    let bytes = long_with("完成情况", 2, 2, V::Formula("=A1", "0"));
    let bytes = patch(&bytes, "xl/worksheets/sheet4.xml", "<f>A1</f><v>0</v>", "<f>A1</f>");
    let run = fails(bytes);
    run.has(
        "error",
        "value",
        &format!("{FILE}:3"),
        &["formula without a saved value", "C3", "open the file in Excel or WPS"],
    );
}

/// Serial 60 is the 1900-02-29 Excel counts (Lotus 1-2-3's bug) and no calendar has.
#[test]
fn excels_1900_leap_day_is_no_date() {
    let run = fails(long_with("完成情况", 1, 3, V::F(60.0, "yyyy-mm-dd")));
    run.has("error", "reported", &format!("{FILE}:2"), &["no such date", "1900-02-29", "工作表「完成情况」, D2"]);
}

#[test]
fn encrypted_damaged_and_oversized_workbooks_are_refused() {
    // An encrypted .xlsx is an OLE compound file with EncryptionInfo in it.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend([0u8; 504]);
    ole.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    ole.extend([0u8; 512]);
    fails(ole).has("error", "workbook", FILE, &["encrypted workbook", "用密码进行加密"]);
    let good = xlsx(&long_sheets());
    fails(good[..good.len() / 2].to_vec()).has("error", "workbook", FILE, &["damaged workbook", "unreadable zip"]);
    // Too many entries.
    let many: Vec<(String, Vec<u8>)> = (0..10_001).map(|i| (format!("x/{i}.xml"), Vec::new())).collect();
    fails(zip_of(&many)).has(
        "error",
        "workbook",
        FILE,
        &["unpacks to too much", "10001 entries", "at most 10000 entries"],
    );
    // An entry that claims 4 GiB from a few bytes: refused before it is unpacked.
    let mut list = entries(&good);
    list.push(("xl/media/big.bin".into(), vec![0u8; 1000]));
    let bomb = declare_size(&zip_of(&list), "xl/media/big.bin", 0xFFFF_0000);
    fails(bomb).has("error", "workbook", FILE, &["unpacks to too much", "xl/media/big.bin expands"]);
    // Entries whose sizes add up past the limit.
    let mut list = entries(&good);
    for i in 0..5 {
        list.push((format!("xl/media/{i}.bin"), vec![7u8; 100]));
    }
    let mut bytes = zip_of(&list);
    for i in 0..5 {
        bytes = declare_size(&bytes, &format!("xl/media/{i}.bin"), 60 * 1024 * 1024);
    }
    fails(bytes).has(
        "error",
        "workbook",
        FILE,
        &["unpacks to too much", "bytes unpacked (declared)", "at most 268435456 bytes"],
    );
}

/// A workbook's page shows each sheet as a table (Excel's letters and row
/// numbers, in a box that scrolls on a phone) and offers the file itself.
#[test]
fn a_workbooks_page_shows_its_sheets_as_tables_and_offers_the_file() {
    let bytes = xlsx(&long_sheets());
    let (site, run) = built(&[("进展.xlsx", bytes.clone())]);
    run.ok();
    assert!(std::fs::read(site.path("output/plan/进展.xlsx")).unwrap() == bytes, "the original file, to download");
    let page = site.read("output/plan/进展.xlsx.html");
    let link = page.split("下载原文件").next().unwrap().rsplit("<a href=\"").next().unwrap();
    assert!(link.starts_with("%E8%BF%9B%E5%B1%95.xlsx\"") || link.starts_with("进展.xlsx\""), "{link}");
    for name in ["说明", "指标", "目标", "完成情况", "工作进度", "Sheet5"] {
        assert!(page.contains(&format!("工作表「{name}」</h2>")), "{name}");
    }
    assert_eq!(
        page.matches("<div class=\"sheet-scroll\" role=\"region\" tabindex=\"0\"").count(),
        5,
        "the empty sheet says so"
    );
    assert!(page.contains("<th scope=\"col\">C</th>") && page.contains("<th scope=\"row\">3</th>"));
    assert!(page.contains("<td>31.5%</td>") && page.contains("<td>2019-01-15</td>"), "cells as Excel shows them");
    assert!(page.contains("（空工作表）"));
    assert!(!page.contains("PK\u{3}\u{4}") && !page.contains("[Content_Types]"), "no zip bytes");
    assert!(site.read("output/assets/style.css").contains(".sheet-scroll { overflow: auto;"));
}

/// `new --data` writes a workbook clerks fill in: four sheets with their headers,
/// an example row each and drop-down lists; the notice names it; it builds as it
/// is; nothing is ever overwritten.
#[test]
fn new_writes_a_workbook_to_fill_in_and_never_overwrites() {
    let site = Site::new();
    let run = site.run(&[
        "new",
        "notices/2024/plan",
        "--title",
        "关于印发某规划的通知",
        "--issuer",
        "甲局",
        "--data",
        "进展.xlsx",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("content/notices/2024/plan/index.md").contains("\ndata: [进展.xlsx]\n"));
    let bytes = std::fs::read(site.path("content/notices/2024/plan/进展.xlsx")).unwrap();
    let parts = entries(&bytes);
    let text = |name: &str| String::from_utf8(parts.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap();
    let book = text("xl/workbook.xml");
    for sheet in ["指标", "目标", "实际", "任务", "说明"] {
        assert!(book.contains(&format!("name=\"{sheet}\"")), "{sheet} in {book}");
    }
    assert!(
        text("xl/worksheets/sheet1.xml").contains("<formula1>\"越高越好,越低越好,持平\"</formula1>"),
        "方向 as a list"
    );
    assert!(text("xl/worksheets/sheet2.xml").contains("<formula1>\"≥,≤,=\"</formula1>"), "比较 as a list");
    assert!(
        text("xl/worksheets/sheet4.xml").contains("<formula1>\"已完成,进行中,未开始,未报告\"</formula1>"),
        "状态 as a list"
    );
    // It reads back as the data it shows.
    site.build_at(EPOCH).ok();
    let cat = site.catalogue();
    let p = &cat["notices"][0]["progress"];
    assert_eq!(p["files"], serde_json::json!(["进展.xlsx"]));
    assert_eq!(p["indicators"][0]["id"], "xueqian-ruyuanlv");
    assert_eq!(p["indicators"][0]["targets"][0]["value"], 95.0);
    assert_eq!(p["indicators"][0]["actuals"][0]["reported"], "2025-01-20");
    assert_eq!(p["milestones"][0]["state"], "done");
    assert_eq!(p["contains_sample_data"], true);
    // The workbook is never overwritten, even where the notice is new.
    std::fs::write(site.path("content/notices/2024/plan/进展.xlsx"), b"filled in").unwrap();
    site.remove("content/notices/2024/plan/index.md");
    let again = site.run(&["new", "notices/2024/plan", "--data", "进展.xlsx"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("进展.xlsx already exists"), "{}", again.stderr);
    assert!(!site.path("content/notices/2024/plan/index.md").exists(), "nothing written when one file exists");
    assert_eq!(std::fs::read(site.path("content/notices/2024/plan/进展.xlsx")).unwrap(), b"filled in");
    let bad = site.run(&["new", "notices/2024/third", "--data", "进展.csv"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("--data `进展.csv`"), "{}", bad.stderr);
}

/// The example site's 平安区 notice takes its data from a workbook in the wide
/// layout (made from tests/workbook/pingan-progress.yaml by
/// examples/progress_workbook.rs): the site shows exactly the YAML's figures.
#[test]
fn the_example_notices_workbook_holds_the_yamls_figures() {
    let dir = "content/notices/pingan-jiaoxue-zhiliang-gongjian";
    let of = |site: &Site| {
        let cat = site.catalogue();
        let n = cat["notices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["path"].as_str().unwrap().contains("pingan"))
            .unwrap()
            .clone();
        let mut p = n["progress"].clone();
        let files = p.as_object_mut().unwrap().remove("files").unwrap();
        (files, p)
    };
    let site = Site::example();
    // 2020-06-01, inside the plan's periods, and 2021-06-01, after them.
    for epoch in ["1590969600", "1622505600"] {
        site.build_at(epoch).ok();
        let (files, from_workbook) = of(&site);
        assert_eq!(files, serde_json::json!(["进展.xlsx"]));
        let yaml = Site::example();
        yaml.remove(&format!("{dir}/进展.xlsx"));
        yaml.write(&format!("{dir}/progress.yaml"), include_str!("workbook/pingan-progress.yaml"));
        let index = yaml.read(&format!("{dir}/index.md")).replace("data: [进展.xlsx]", "data: [progress.yaml]");
        yaml.write(&format!("{dir}/index.md"), &index);
        yaml.build_at(epoch).ok();
        let (_, from_yaml) = of(&yaml);
        assert_eq!(from_workbook["indicators"].as_array().unwrap().len(), 23);
        assert_eq!(from_workbook, from_yaml, "as of {epoch}");
    }
    assert!(
        site.read("output/notices/pingan-jiaoxue-zhiliang-gongjian/进展.xlsx.html").contains("工作表「指标完成情况」")
    );
}
