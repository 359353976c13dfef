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
    let (site, run) = built(&[("进展.xlsx", xlsx(&long_sheets()))]);
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
