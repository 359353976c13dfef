//! End-to-end: 政府信息公开工作年度报告 — the numbers the catalogue knows computed
//! and checked against notices counted by hand, the data file's arithmetic, the
//! tables on the page and as CSV, and `new --annual-report`.

mod common;
use common::*;

const OFFICE: &str = "通榆县人民政府办公室";

fn notice(site: &Site, name: &str, number: &str, issuer: &str, written: &str, published: &str, extra: &str) {
    site.write(
        &format!("content/notices/{name}.md"),
        &format!(
            "---\ntitle: 关于{name}的通知\ndoc_number: {number}\nissuer: {issuer}\ngenre: 通知\nwritten: {written}\npublished: {published}\n{extra}---\n\n正文。\n"
        ),
    );
}

/// The data file of the example site's report, which adds up.
fn good_data() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/notices/tongyu-2023-xxgk-nianbao/report.yaml"
    ))
    .unwrap()
}

fn report(site: &Site, data: &str) {
    site.write(
        "content/notices/nianbao/index.md",
        &format!(
            "---\ntitle: {OFFICE}2023年政府信息公开工作年度报告\nissuer: {OFFICE}\ngenre: 报告\nwritten: 2024-01-20\npublished: 2024-01-25\nannual_report: report.yaml\n---\n\n## 一、总体情况\n\n概述。\n\n## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n## 五、存在的主要问题及改进情况\n\n问题。\n"
        ),
    );
    site.write("content/notices/nianbao/report.yaml", data);
}

/// Notices whose counts for 2023 are known by hand (see each line).
fn counted_site() -> Site {
    let site = Site::new();
    // Each 行政规范性文件 registered under a number of its own.
    let reg = |n: u32| format!("registration: TYSG-2023-00{n}\n");
    // 规章
    notice(&site, "r1", "通政发〔2023〕1号", OFFICE, "2023-03-01", "2023-03-05", "category: 规章\n"); // issued, in force
    notice(&site, "r2", "通政发〔2021〕2号", OFFICE, "2021-05-01", "2021-05-03", "category: 规章\n"); // repealed by n5 in 2023
    notice(
        &site,
        "r3",
        "通政发〔2020〕3号",
        OFFICE,
        "2020-01-01",
        "2020-01-02",
        "category: 规章\nvalidity_changes:\n  - {date: 2022-04-01, validity: 废止}\n",
    ); // gone before 2023: counted nowhere
    // 行政规范性文件
    notice(
        &site,
        "g1",
        "通政办发〔2023〕9号",
        OFFICE,
        "2023-12-28",
        "2024-01-05",
        &format!("category: 行政规范性文件\n{}", reg(1)),
    ); // issued (written in 2023), in force
    notice(
        &site,
        "g2",
        "通政办发〔2022〕4号",
        OFFICE,
        "2022-02-01",
        "2022-02-03",
        &format!("category: 规范性文件\nexpires: 2023-09-30\n{}", reg(2)),
    ); // 失效 in 2023
    notice(&site, "g3", "通政办发〔2022〕7号", OFFICE, "2022-07-01", "2022-07-02", "category: 行政规范性文件\n"); // in force; no 登记号: a warning
    notice(
        &site,
        "g4",
        "甲发〔2023〕1号",
        "甲局",
        "2023-05-01",
        "2023-05-02",
        &format!("category: 行政规范性文件\n{}", reg(3)),
    ); // another body
    notice(
        &site,
        "g5",
        "通政办发〔2024〕1号",
        OFFICE,
        "2024-02-01",
        "2024-02-02",
        &format!("category: 行政规范性文件\n{}", reg(4)),
    ); // after the year
    notice(&site, "n5", "通政发〔2023〕5号", OFFICE, "2023-06-01", "2023-06-01", "repeals: 通政发〔2021〕2号\n"); // not counted itself
    report(&site, &good_data());
    site
}

/// The notice pages listed under a computed number's anchor.
fn counted(page: &str, id: &str) -> Vec<String> {
    let at = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no list {id}"));
    let list = &page[at..at + page[at..].find("</details>").unwrap()];
    let mut names: Vec<String> =
        list.split("href=\"../../notices/").skip(1).map(|s| s.split('/').next().unwrap().to_owned()).collect();
    names.sort();
    names
}

#[test]
fn the_catalogue_part_is_computed_and_each_number_lists_its_notices() {
    let site = counted_site();
    let run = site.build();
    run.ok().has("warning", "category", "content/notices/g3.md:8", &["登记号"]);
    let page = site.read("output/notices/nianbao/index.html");
    let expect = [
        ("count-rules-issued", vec!["r1"]),
        ("count-rules-repealed", vec!["r2"]),
        ("count-rules-in-force", vec!["r1"]),
        ("count-normative-issued", vec!["g1"]),
        ("count-normative-repealed", vec!["g2"]),
        ("count-normative-in-force", vec!["g1", "g3"]),
    ];
    for (id, names) in expect {
        assert_eq!(counted(&page, id), names, "{id}");
        assert!(page.contains(&format!("<a href=\"#{id}\" title=\"列出所计的文件\">{}</a>", names.len())), "{id}");
    }
    // The table sits after its heading; a heading the body lacks (四) is added.
    let two = page.find(">二、主动公开政府信息情况</h2>").unwrap();
    assert!(page[two..].find("第二十条第（一）项").unwrap() < page[two..].find("三、收到和处理").unwrap());
    assert!(page.contains("<h2>四、政府信息公开行政复议、行政诉讼情况</h2>"));
    // The CSV of table 二 carries the computed numbers.
    let csv = site.read("output/notices/nianbao/年报-2023-表二.csv");
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
    assert!(csv.contains("规章,1,1,1\n") && csv.contains("行政规范性文件,1,1,2\n"), "{csv}");
    assert!(csv.contains("第二十条第（六）项\n信息内容,本年处理决定数量\n行政处罚,14\n行政强制,0\n"), "{csv}");
    let three = site.read("output/notices/nianbao/年报-2023-表三.csv");
    assert!(three.contains("一、本年新收政府信息公开申请数量,8,2,0,0,1,0,11\n"), "{three}");
    // The data file is the report's, not an attachment.
    assert!(!page.contains("<h2 id=\"attachments\">"));
    assert!(site.path("output/notices/nianbao/report.yaml").is_file());
}

#[test]
fn arithmetic_and_bad_cells_are_errors_naming_the_file_line_and_column() {
    let site = counted_site();
    let data = good_data();
    let line_of = |key: &str| data.lines().position(|l| l.trim_start().starts_with(&format!("{key}:"))).unwrap() + 1;
    let file = "content/notices/nianbao/report.yaml";
    let cases: Vec<(String, usize, Vec<&str>)> = vec![
        // A row's 总计 is not the sum of its applicants.
        (
            data.replace("[5, 1, 0, 0, 1, 0, 7]", "[5, 1, 0, 0, 1, 0, 8]"),
            line_of("予以公开"),
            vec!["申请 / 予以公开: 总计 is not the sum", "总计 8 but 自然人 … 其他 add up to 7"],
        ),
        // 办理结果总计 not the sum of the results, in one column.
        (
            data.replace("[1, 1, 0, 0, 0, 0, 2]", "[2, 1, 0, 0, 0, 0, 3]"),
            line_of("办理结果总计"),
            vec!["办理结果总计, column 自然人: not the sum of the results", "8 but 予以公开 … 其他处理 add up to 9"],
        ),
        // 新收 + 结转 ≠ 办结 + 结转下年度.
        (
            data.replace(
                "结转下年度继续办理:                   [1, 0, 0, 0, 0, 0, 1]",
                "结转下年度继续办理:                   [0, 0, 0, 0, 0, 0, 0]",
            ),
            line_of("结转下年度继续办理"),
            vec!["column 自然人: 本年新收 + 上年结转 ≠ 办理结果总计 + 结转下年度继续办理", "8 + 1 = 9, but 8 + 0 = 8"],
        ),
        // 复议: 总计 not the sum of the outcomes.
        (
            data.replace("[1, 0, 0, 0, 1]", "[1, 0, 0, 0, 2]"),
            line_of("行政复议"),
            vec!["复议诉讼 / 行政复议: 总计 is not the sum"],
        ),
        // A negative count, a fraction, a short row, an unknown row, a missing row.
        (
            data.replace("行政处罚: 14", "行政处罚: -14"),
            line_of("行政处罚"),
            vec!["主动公开 / 行政处罚: not a whole number", "-14"],
        ),
        (
            data.replace("[0, 0, 0, 0, 0, 0, 0]\n  其他法律", "[0, 0.5, 0, 0, 0, 0, 0]\n  其他法律"),
            line_of("属于国家秘密"),
            vec!["申请 / 属于国家秘密, column 商业企业: not a whole number", "0.5"],
        ),
        (
            data.replace("[0, 0, 0, 0, 0]\n  复议后起诉", "[0, 0, 0, 0]\n  复议后起诉"),
            line_of("未经复议直接起诉"),
            vec!["not a row of 5 numbers"],
        ),
        (
            data.replace("  重复申请:", "  重复申清:"),
            line_of("重复申请"),
            vec!["unknown entry `重复申清`", "did you mean `重复申请`"],
        ),
        (data.replace("year: 2023", "year: 3023"), line_of("year"), vec!["year of the report missing or impossible"]),
    ];
    for (text, line, needles) in cases {
        site.write(file, &text);
        let run = site.build();
        let at = format!("{file}:{line}");
        assert!(
            run.stderr.contains(&format!("--> {at}")) && needles.iter().all(|n| run.stderr.contains(n)),
            "expected {needles:?} at {at}:\n{}",
            run.stderr
        );
        assert_eq!(run.code, 1, "{needles:?}");
    }
    site.write(file, &data.replace("  行政强制: 0\n", ""));
    let run = site.build();
    assert!(
        run.stderr.contains("主动公开 / 行政强制: not a whole number") && run.stderr.contains("nothing"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_example_sites_report_shows_every_table_marked_as_example_data() {
    let site = Site::example();
    site.build().ok();
    let page = site.read("output/notices/tongyu-2023-xxgk-nianbao/index.html");
    assert_eq!(page.matches("以下数字为示例数据，不是真实统计。").count(), 1);
    for caption in
        ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    {
        assert!(page.contains(&format!("<caption class=\"visually-hidden\">{caption}</caption>")), "{caption}");
    }
    for row in APPLICATION_LABELS {
        assert!(page.contains(&format!(">{row}</th>")), "row {row}");
    }
    for part in ["二", "三", "四"] {
        assert!(site.path(&format!("output/notices/tongyu-2023-xxgk-nianbao/年报-2023-表{part}.csv")).is_file());
    }
}

/// The merged cells of tables 三 and 四 as the national format draws them: three
/// label columns in 三, with 三、本年度办理结果 spanning its 22 rows and （三）–（六）
/// their items; in 四, 行政复议 one row high over five headings that span rows 2–3.
/// The CSV of 三 heads its label column with the format's note, as the table does.
#[test]
fn the_reports_tables_merge_cells_as_the_format_does() {
    let site = Site::example();
    site.build().ok();
    let page = site.read("output/notices/tongyu-2023-xxgk-nianbao/index.html");
    let note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
    assert!(page.contains(&format!("<th scope=\"col\" colspan=\"3\" rowspan=\"3\">{note}</th>")));
    assert!(page.contains("<th scope=\"row\" colspan=\"3\">一、本年新收政府信息公开申请数量</th>"));
    assert!(page.contains("<th scope=\"rowgroup\" rowspan=\"22\" class=\"group\">三、本年度办理结果</th><th scope=\"row\" colspan=\"2\">（一）予以公开</th>"));
    for (group, rows) in [("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5), ("（六）其他处理", 3)]
    {
        let cell = format!("<th scope=\"rowgroup\" rowspan=\"{rows}\" class=\"group\">{group}</th>");
        assert_eq!(page.matches(&cell).count(), 1, "{cell}");
    }
    assert!(page.contains("<th scope=\"row\">1.属于国家秘密</th><td>"));
    assert!(page.contains("<th scope=\"row\" colspan=\"2\">（七）总计</th>"));
    assert!(page.contains("<th scope=\"row\" colspan=\"3\">四、结转下年度继续办理</th>"));
    assert!(page.contains(
        "<tr><th scope=\"colgroup\" colspan=\"5\">行政复议</th><th scope=\"colgroup\" colspan=\"10\">行政诉讼</th></tr>"
    ));
    assert!(page.contains("<tr><th scope=\"col\" rowspan=\"2\">结果维持</th>"));
    let csv = site.read("output/notices/tongyu-2023-xxgk-nianbao/年报-2023-表三.csv");
    assert!(csv.trim_start_matches('\u{feff}').starts_with(note), "{csv}");
}

/// Rows of table 三 as the format prints them.
const APPLICATION_LABELS: [&str; 6] = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "3.危及“三安全一稳定”",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "（七）总计",
];

#[test]
fn new_annual_report_scaffolds_the_parts_and_the_data_with_the_counts_for_review() {
    let site = counted_site();
    let args = ["new", "notices/2023-nb", "--annual-report", "2023", "--issuer", OFFICE];
    let run = site.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = site.read("content/notices/2023-nb/index.md");
    assert!(index.contains(&format!("title: {OFFICE}2023年政府信息公开工作年度报告")), "{index}");
    assert!(index.contains("genre: 报告") && index.contains("annual_report: report.yaml"));
    for part in ["## 一、总体情况", "## 四、政府信息公开行政复议、行政诉讼情况", "## 六、其他需要报告的事项"]
    {
        assert!(index.contains(part), "{part}");
    }
    let data = site.read("content/notices/2023-nb/report.yaml");
    assert!(data.contains("#   规章：本年制发 1 件，本年废止 1 件，现行有效 1 件"), "{data}");
    assert!(data.contains("#   行政规范性文件：本年制发 1 件，本年废止 1 件，现行有效 2 件"), "{data}");
    assert!(data.contains("#     本年废止：关于g2的通知（通政办发〔2022〕4号）"), "{data}");
    // It builds as written (zeros add up; the site's other report of 2023 taken out,
    // one body reporting once a year), and running it again overwrites nothing.
    std::fs::remove_dir_all(site.path("content/notices/nianbao")).unwrap();
    site.build().ok();
    let again = site.run(&args);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(site.read("content/notices/2023-nb/report.yaml"), data);
}

/// A count beyond any body's year is refused (it would wrap round in the sums and
/// pass every check); two reports of one body for one year, and a report on a year
/// not yet over when it was published, are errors.
#[test]
fn impossible_reports_are_refused() {
    let site = counted_site();
    let huge = good_data().replace(
        "本年新收:                             [8, 2, 0, 0, 1, 0, 11]",
        "本年新收:                             [18446744073709551615, 2, 0, 0, 1, 0, 11]",
    );
    assert_ne!(huge, good_data());
    report(&site, &huge);
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("more than any body handles in a year") && run.stderr.contains("18446744073709551615"),
        "{}",
        run.stderr
    );
    report(&site, &good_data());
    site.build().ok();
    // A second report of the same office for 2023.
    let text = site.read("content/notices/nianbao/index.md");
    site.write("content/notices/nianbao2/index.md", &text);
    site.write("content/notices/nianbao2/report.yaml", &good_data());
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&format!("duplicate annual report of {OFFICE} for 2023")), "{}", run.stderr);
    std::fs::remove_dir_all(site.path("content/notices/nianbao2")).unwrap();
    // Published in 2023, on 2023.
    site.write(
        "content/notices/nianbao/index.md",
        &text
            .replace("published: 2024-01-25", "published: 2023-12-25")
            .replace("written: 2024-01-20", "written: 2023-12-20"),
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    run.has(
        "error",
        "annual_report",
        "content/notices/nianbao/index.md",
        &["a report on 2023 published on 2023-12-25, before that year was over"],
    );
}
