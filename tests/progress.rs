//! End-to-end: progress data files (YAML and CSV) become tables, charts, the
//! dashboard and catalogue entries; bad data gets an error naming file, row or
//! line, column and value, and leaves the previous output untouched.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;

/// Statuses are judged on 2020-01-01 (UTC+8) in these tests.
const EPOCH_2020: &str = "1577808000";

fn notice(data: &str) -> String {
    GOOD.replace("---\n\n", &format!("data: [{data}]\n---\n\n"))
}

const YAML: &str = r#"sample: true
indicators:
  - id: yiben
    name: 高考一本上线率
    group: 高中阶段
    unit: "%"
    direction: higher
    baseline: {period: "2017", value: 26}
    targets:
      - {period: "2018", comparator: "≥", value: 30, text: "2018年达到30%以上"}
      - {period: "2019", comparator: 以上, value: 32}
      - {period: "2020", comparator: ">=", value: 34}
    actuals:
      - {period: "2018", value: 29, reported: 2018-08-01}
      - {period: "2019", value: "31%", reported: 2019-08-01}
  - id: dropout
    name: 初中年辍学率
    group: 入学率、巩固率指标
    unit: "%"
    direction: lower
    baseline: {period: "2016-2017学年", value: 1.8}
    targets:
      - {period: "2019-2020学年", comparator: "≤", value: 1}
    actuals:
      - {period: "2017-2018学年", value: 1.5, reported: 2018-10-01}
milestones:
  - {task: 开展提升教育质量大讨论, lead: 区教育局, co: [各学校], phase: 动员部署阶段, period: 2017年6-7月, state: done, completed: 2017-07-20}
"#;

fn yaml_site() -> Site {
    let site = Site::new();
    site.write("content/plan/index.md", &notice("progress.yaml"));
    site.write("content/plan/progress.yaml", YAML);
    site
}

fn indicator<'a>(cat: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    cat["notices"][0]["progress"]["indicators"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()
}

#[test]
fn yaml_data_gives_statuses_tables_charts_and_catalogue() {
    let site = yaml_site();
    site.build_at(EPOCH_2020).ok();
    let cat = site.catalogue();
    let p = &cat["notices"][0]["progress"];
    assert_eq!(cat["progress"]["reference_date"], "2020-01-01");
    assert_eq!(p["contains_sample_data"], true);
    let yiben = indicator(&cat, "yiben");
    let statuses: Vec<&str> =
        yiben["targets"].as_array().unwrap().iter().map(|t| t["assessment"]["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["missed", "missed", "on_track"]);
    let a = &yiben["targets"][2]["assessment"];
    assert_eq!(a["method"], "pace");
    assert_eq!(a["rate_kind"], "compound");
    assert!((a["ratio"].as_f64().unwrap() - 0.9837).abs() < 1e-3, "{a}");
    assert_eq!(a["baseline"]["value"], 26.0);
    assert_eq!(a["latest"]["period"], "2019");
    assert_eq!(yiben["status"], "on_track");
    assert_eq!(yiben["latest"]["value"], 31.0);
    let dropout = indicator(&cat, "dropout");
    assert_eq!(dropout["direction"], "lower");
    assert_eq!(dropout["status"], "needs_acceleration");
    assert_eq!(p["milestones"][0]["state"], "done");

    let html = site.read("output/plan/index.html");
    assert!(html.contains("<caption>高中阶段</caption>"));
    assert!(html.contains("<th scope=\"col\">目标值</th>"));
    assert!(html.contains("高考一本上线率（%）"), "unit in the row header");
    assert!(html.contains("进度正常") && html.contains("未完成（期满未达标）"), "status in words");
    assert!(
        html.contains("<svg class=\"chart\"") && html.contains("<desc id=\"chart-yiben-d\">"),
        "chart with text alternative"
    );
    assert!(html.contains("<details><summary>查看</summary>"), "calculation on request");
    assert!(html.contains("示例数据"), "sample data is said visibly");
    assert!(html.contains("<caption>工作任务与时间安排</caption>") && html.contains("动员部署阶段"));
    assert!(html.contains("<a href=\"progress.yaml\">progress.yaml</a>"));
    assert_eq!(site.read("output/plan/progress.yaml"), YAML, "data file copied for download");
    let source = site.read("output/plan/progress.yaml.html");
    assert!(source.contains("class=\"hl-"), "highlighted with classes");
    assert!(!source.contains("style=\""), "no inline colours");
    assert!(source.contains("<pre class=\"code\"><code><span class=\"line\">"), "a real code view, line by line");
    assert_eq!(source.matches("<span class=\"line\">").count(), YAML.lines().count(), "one numbered line per line");
    assert!(!source.contains("syntax.css"), "its colours are in the one stylesheet");
    assert!(site.read("output/assets/style.css").contains(".hl-comment"));
    // The data file is the progress section's, not an official attachment.
    assert!(!html.contains("id=\"attachments\""), "progress.yaml is not listed as 附件");
}

#[test]
fn csv_data_is_first_class() {
    let site = Site::new();
    site.write("content/plan/index.md", &notice("indicators.csv, targets.csv, actuals.csv, milestones.csv"));
    site.write("content/plan/indicators.csv", "id,name,unit,direction,group,baseline_period,baseline_value\nbw,接入带宽,Mbps,higher,信息化,2017,10\nteachers,补充教师,人,higher,师资,,\n");
    site.write("content/plan/targets.csv", "indicator,period,comparator,value,text\nbw,2020,以上,100,接入带宽达到100Mbps以上\nteachers,2020,≥,360人,共补充教师360人\n");
    site.write("content/plan/actuals.csv", "indicator,period,value,reported,source,sample\nbw,2018,20Mbps,2019-01-10,示例,true\nbw,2019,—,2019-12-10,,true\nteachers,2019,待定,,,\n");
    site.write(
        "content/plan/milestones.csv",
        "task,lead,co,period,state\n全县普查,县教育局,各有关部门、各学校,2018年2月—2018年9月,unknown\n",
    );
    site.build_at(EPOCH_2020).ok();
    let cat = site.catalogue();
    let bw = indicator(&cat, "bw");
    assert_eq!(bw["unit"], "Mbps");
    assert_eq!(bw["targets"][0]["value"], 100.0);
    assert_eq!(bw["actuals"].as_array().unwrap().len(), 1, "— means no data");
    // 10 → 20 Mbps in one year against the 10 → 100 Mbps needed in three: R ≈ 0.85.
    assert_eq!(bw["status"], "needs_acceleration");
    assert_eq!(indicator(&cat, "teachers")["status"], "no_data");
    assert_eq!(cat["notices"][0]["progress"]["milestones"][0]["co"], serde_json::json!(["各有关部门", "各学校"]));
    assert!(site.path("output/plan/actuals.csv.html").is_file());
}

#[test]
fn dashboard_lists_every_indicator_with_filters() {
    let site = yaml_site();
    site.build_at(EPOCH_2020).ok();
    let all = site.read("output/progress/index.html");
    assert!(all.contains("高考一本上线率") && all.contains("初中年辍学率"));
    assert!(all.contains("href=\"../progress/status/on_track/index.html\""), "status filter link");
    assert!(all.contains("href=\"../progress/issuers/通榆县人民政府办公室/index.html\""));
    assert!(
        all.contains(">进度正常（1）</a>") && all.contains(">通榆县人民政府办公室（2）</a>"),
        "counts on the dashboard"
    );
    let on_track = site.read("output/progress/status/on_track/index.html");
    assert!(on_track.contains("高考一本上线率") && !on_track.contains("初中年辍学率"));
    // A filter page: every status (a fixed list) without counts, and the way back.
    assert!(on_track.contains("<strong aria-current=\"page\">进度正常</strong>"));
    assert!(on_track.contains("href=\"../../../progress/status/needs_acceleration/index.html\">有进展，需加快</a>"));
    assert!(on_track.contains("href=\"../../../progress/index.html\">全部指标与筛选</a>"));
    assert!(!on_track.contains("progress/issuers/") && !on_track.contains("progress/topics/"), "{on_track}");
    assert!(site.read("output/progress/topics/科技、教育/教育/index.html").contains("初中年辍学率"));
    assert!(site.read("output/index.html").contains("progress/index.html"), "dashboard in the navigation");
}

#[test]
fn statuses_follow_the_reference_date() {
    let site = yaml_site();
    // 2021-01-01: every period has ended; 2020 has no value, so no data.
    site.build_at("1609430400").ok();
    let cat = site.catalogue();
    assert_eq!(indicator(&cat, "yiben")["targets"][2]["assessment"]["status"], "no_data");
    assert_eq!(indicator(&cat, "yiben")["targets"][2]["assessment"]["method"], "final");
    // 2018-09-01: the 2019 value is not reported yet.
    site.build_at("1535731200").ok();
    let cat = site.catalogue();
    assert_eq!(indicator(&cat, "yiben")["latest"]["period"], "2018");
}

/// Build a good site, break one data file, and check the error and that the
/// previous output survived.
fn fails_cleanly(files: &[(&str, &str)], data: &str) -> (Site, Run) {
    let site = yaml_site();
    site.build_at(EPOCH_2020).ok();
    let before = site.snapshot("output");
    site.write("content/plan/index.md", &notice(data));
    for (name, text) in files {
        site.write(&format!("content/plan/{name}"), text);
    }
    let run = site.build_at(EPOCH_2020);
    assert_eq!(run.code, 1, "expected content errors:\n{}", run.stderr);
    assert!(site.snapshot("output") == before, "previous output changed");
    (site, run)
}

#[test]
fn non_numeric_value_is_an_error_naming_row_column_and_value() {
    let (_, run) =
        fails_cleanly(&[("actuals.csv", "indicator,period,value\nyiben,2018,很多\n")], "progress.yaml, actuals.csv");
    run.has("error", "value", "content/plan/actuals.csv:2", &["not a number", "很多"]);
}

/// 1e307, 1.7e308 or a 400-digit value once passed and printed as `inf` or as 17
/// digits of noise: now each is an error naming file, row and column.
#[test]
fn values_no_table_can_mean_are_out_of_range() {
    let long = "9".repeat(400);
    let csv = format!(
        "indicator,period,value\nyiben,2018,1e307\nyiben,2019,1.7e308\nyiben,2020,{long}\ndropout,2018-2019学年,0.0000000001\n"
    );
    let (_, run) = fails_cleanly(&[("actuals.csv", &csv)], "progress.yaml, actuals.csv");
    for (line, value) in [(2, "1e307"), (3, "1.7e308"), (4, long.as_str()), (5, "0.0000000001")] {
        run.has("error", "value", &format!("content/plan/actuals.csv:{line}"), &["number out of range", value]);
    }
}

/// Two values for one period: an error naming both rows, unless each says when it
/// was reported — then the later corrects the earlier (from its date on), and
/// the page says so.
#[test]
fn a_period_reported_twice_is_an_error_unless_dated_then_the_later_wins() {
    let (_, run) = fails_cleanly(
        &[("actuals.csv", "indicator,period,value\nyiben,2020,32\nyiben,2020,33\n")],
        "progress.yaml, actuals.csv",
    );
    run.has(
        "error",
        "value",
        "content/plan/actuals.csv:3",
        &["two values for `yiben` in 2020", "content/plan/actuals.csv:2"],
    );
    // Across files: the YAML has yiben 2018 (29, reported 2018-08-01).
    let (_, run) =
        fails_cleanly(&[("actuals.csv", "indicator,period,value\nyiben,2018,30\n")], "progress.yaml, actuals.csv");
    run.has(
        "error",
        "value",
        "content/plan/actuals.csv:2",
        &["two values for `yiben` in 2018", "content/plan/progress.yaml:"],
    );

    let site = yaml_site();
    site.write("content/plan/index.md", &notice("progress.yaml, actuals.csv"));
    site.write("content/plan/actuals.csv", "indicator,period,value,reported\nyiben,2018,30.5,2019-03-01\n");
    site.build_at(EPOCH_2020).ok();
    let cat = site.catalogue();
    let yiben = indicator(&cat, "yiben");
    let v2018: Vec<f64> = yiben["actuals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["period"] == "2018")
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert_eq!(v2018, [30.5], "one value per period: the correction");
    let page = site.read("output/plan/index.html");
    let corrected: Vec<&str> = page.split("更正前：").skip(1).map(|s| &s[..s.find('<').unwrap()]).collect();
    assert_eq!(
        corrected,
        ["29%（2018）（示例）（2018-08-01 报告，已由其后的报告更正）"],
        "the earlier value is shown as corrected"
    );
    // Built as of 2019-01-01, before the correction was reported: the first value stands.
    site.build_at("1546272000").ok();
    let cat = site.catalogue();
    assert_eq!(indicator(&cat, "yiben")["latest"]["value"], 29.0);
    assert!(!site.read("output/plan/index.html").contains("更正前："));
}

/// Spreadsheets headed in Chinese (指标, 年度, 实际值 …) once gave 7 errors and 6
/// warnings: the Chinese names are the columns' aliases.
#[test]
fn csv_headers_in_chinese_are_the_columns_aliases() {
    let site = yaml_site();
    site.write("content/plan/index.md", &notice("progress.yaml, actuals.csv, milestones.csv"));
    site.write("content/plan/actuals.csv", "指标,年度,实际值,报告日期,数据来源\nyiben,2020,33%,2019-12-20,统计公报\n");
    site.write(
        "content/plan/milestones.csv",
        "工作任务,状态,牵头单位,完成时限\n建设信息平台,进行中,县教育局,2020-12-31\n",
    );
    let run = site.build_at(EPOCH_2020);
    run.ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let cat = site.catalogue();
    assert_eq!(indicator(&cat, "yiben")["latest"]["value"], 33.0);
    let milestones = cat["notices"][0]["progress"]["milestones"].as_array().unwrap();
    assert!(milestones.iter().any(|m| m["task"] == "建设信息平台" && m["lead"] == "县教育局"), "{milestones:?}");
}

/// Values are printed as the data file wrote them, never as a float's digits.
#[test]
fn values_are_printed_as_written() {
    let site = yaml_site();
    site.write("content/plan/index.md", &notice("progress.yaml, actuals.csv"));
    site.write("content/plan/actuals.csv", "indicator,period,value,reported\nyiben,2020,33.10%,2019-12-20\n");
    site.build_at(EPOCH_2020).ok();
    let page = site.read("output/plan/index.html");
    assert!(page.contains("33.10%（2020）"), "as written, trailing zero kept");
    assert!(!page.contains("33.1%（2020）"));
}

#[test]
fn approximate_values_warn_and_placeholders_mean_no_data() {
    let site = yaml_site();
    site.write("content/plan/index.md", &notice("progress.yaml, actuals.csv"));
    site.write("content/plan/actuals.csv", "indicator,period,value\ndropout,2018-2019学年,约1.2%\nyiben,2020,待定\n");
    let run = site.build_at(EPOCH_2020);
    run.ok().has("warning", "value", "content/plan/actuals.csv:2", &["approximate", "约1.2%"]);
    let cat = site.catalogue();
    assert_eq!(indicator(&cat, "dropout")["latest"]["value"], 1.2);
    assert_eq!(indicator(&cat, "yiben")["actuals"].as_array().unwrap().len(), 2, "待定 adds no value");
}

#[test]
fn unknown_period_form() {
    let (_, run) = fails_cleanly(
        &[("targets.csv", "indicator,period,comparator,value\nyiben,明年,≥,40\n")],
        "progress.yaml, targets.csv",
    );
    run.has("error", "period", "content/plan/targets.csv:2", &["unknown period form", "明年", "学年"]);
    let bad = YAML.replace("period: \"2018\", comparator: \"≥\"", "period: \"十八年\", comparator: \"≥\"");
    let (_, run) = fails_cleanly(&[("progress.yaml", &bad)], "progress.yaml");
    run.has("error", "targets", "content/plan/progress.yaml:10", &["unknown period form", "十八年"]);
}

#[test]
fn comparator_not_understood() {
    let (_, run) = fails_cleanly(
        &[("targets.csv", "indicator,period,comparator,value\nyiben,2021,大约,40\n")],
        "progress.yaml, targets.csv",
    );
    run.has("error", "comparator", "content/plan/targets.csv:2:12", &["comparator not understood", "大约", "以上"]);
}

#[test]
fn duplicate_indicator_id() {
    let (_, run) = fails_cleanly(
        &[("indicators.csv", "id,name,unit,direction\nyiben,重复,%,higher\n")],
        "progress.yaml, indicators.csv",
    );
    run.has("error", "id", "content/plan/indicators.csv:2", &["duplicate indicator id `yiben`", "progress.yaml:3"]);
}

#[test]
fn mixed_units_within_an_indicator() {
    let (_, run) =
        fails_cleanly(&[("actuals.csv", "indicator,period,value\nyiben,2019,31人\n")], "progress.yaml, actuals.csv");
    run.has("error", "value", "content/plan/actuals.csv:2", &["mixed units", "人", "%"]);
    let bad = YAML.replace("value: \"31%\"", "value: \"31Mbps\"");
    let (_, run) = fails_cleanly(&[("progress.yaml", &bad)], "progress.yaml");
    run.has("error", "actuals", "content/plan/progress.yaml:15", &["mixed units", "Mbps"]);
}

#[test]
fn data_file_named_in_front_matter_must_exist() {
    let (_, run) = fails_cleanly(&[], "progress.yaml, missing.csv");
    run.has("error", "data", "content/plan/index.md:10", &["does not exist", "missing.csv"]);
}

#[test]
fn csv_missing_column_and_ragged_row() {
    let (_, run) = fails_cleanly(&[("actuals.csv", "indicator,period\nyiben,2019\n")], "progress.yaml, actuals.csv");
    run.has("error", "value", "content/plan/actuals.csv:1", &["missing column `value`"]);
    let (_, run) = fails_cleanly(
        &[("actuals.csv", "indicator,period,value\nyiben,2019,31,extra\n")],
        "progress.yaml, actuals.csv",
    );
    run.has("error", "row", "content/plan/actuals.csv:2", &["ragged row", "4 fields", "3 fields"]);
}

#[test]
fn gb18030_data_file() {
    let site = yaml_site();
    site.build_at(EPOCH_2020).ok();
    let before = site.snapshot("output");
    let (bytes, _, _) = encoding_rs::GB18030.encode("indicator,period,value,source\nyiben,2019,31,区教育局统计\n");
    site.write("content/plan/index.md", &notice("progress.yaml, actuals.csv"));
    site.write_bytes("content/plan/actuals.csv", &bytes);
    let run = site.build_at(EPOCH_2020);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/plan/actuals.csv:2")
            && run.stderr.contains("GB18030")
            && run.stderr.contains("iconv"),
        "{}",
        run.stderr
    );
    assert!(site.snapshot("output") == before);
}

#[test]
fn unknown_indicator_direction_and_csv_name() {
    let (_, run) =
        fails_cleanly(&[("actuals.csv", "indicator,period,value\nyibne,2019,31\n")], "progress.yaml, actuals.csv");
    run.has("error", "indicator", "content/plan/actuals.csv:2", &["unknown indicator `yibne`", "did you mean `yiben`"]);
    let (_, run) = fails_cleanly(&[("numbers.csv", "a,b\n1,2\n")], "progress.yaml, numbers.csv");
    run.has("error", "file name", "content/plan/numbers.csv:1", &["cannot tell what this CSV file holds"]);
}

#[test]
fn data_files_of_a_single_file_notice_are_published_too() {
    let site = Site::new();
    site.write("content/plan.md", &notice("plan-progress.yaml"));
    site.write("content/plan-progress.yaml", YAML);
    site.build_at(EPOCH_2020).ok();
    assert_eq!(site.read("output/plan/plan-progress.yaml"), YAML);
    assert!(site.read("output/plan/plan-progress.yaml.html").contains("高考一本上线率"));
}

/// The example site's data carries the real targets of the sample texts.
#[test]
fn example_site_progress_pages_and_catalogue() {
    let site = Site::example();
    // 2020-06-01, inside the plans' periods.
    site.build_at("1590969600").ok();
    let cat = site.catalogue();
    let notice = |slug: &str| {
        cat["notices"].as_array().unwrap().iter().find(|n| n["path"].as_str().unwrap().contains(slug)).unwrap().clone()
    };
    let pingan = notice("pingan");
    let inds = pingan["progress"]["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 23);
    assert_eq!(inds.iter().map(|i| i["targets"].as_array().unwrap().len()).sum::<usize>(), 54);
    let find = |list: &[serde_json::Value], id: &str| list.iter().find(|i| i["id"] == id).unwrap().clone();
    let yiben = find(inds, "gaokao-yiben-shangxianlv");
    let steps: Vec<(String, f64)> = yiben["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["period"].as_str().unwrap().to_owned(), t["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(steps, vec![("2018".into(), 30.0), ("2019".into(), 32.0), ("2020".into(), 34.0)]);
    assert_eq!(yiben["status"], "on_track");
    let dropout = find(inds, "chuzhong-nian-chuoxuelv");
    assert_eq!(dropout["direction"], "lower");
    assert_eq!(dropout["targets"][0]["comparator"], "≤");
    assert_eq!(dropout["targets"][0]["period"], "2019-2020学年");
    assert_eq!(dropout["targets"][0]["value"], 1.0);
    let tongyu = notice("tongyu-yiwu");
    let inds = tongyu["progress"]["indicators"].as_array().unwrap();
    let bandwidth = find(inds, "zhongxiaoxue-jieru-daikuan");
    assert_eq!((bandwidth["unit"].as_str(), bandwidth["targets"][0]["value"].as_f64()), (Some("Mbps"), Some(100.0)));
    assert_eq!(bandwidth["status"], "achieved");
    let teachers = find(inds, "buchong-jiaoshi-renshu");
    assert_eq!((teachers["unit"].as_str(), teachers["targets"][0]["value"].as_f64()), (Some("人"), Some(360.0)));
    assert!(tongyu["progress"]["milestones"].as_array().unwrap().len() >= 5);
    assert_eq!(tongyu["progress"]["contains_sample_data"], true);

    let html = site.read("output/notices/pingan-jiaoxue-zhiliang-gongjian/index.html");
    assert!(html.contains("id=\"progress\""));
    assert!(html.contains("示例数据"), "illustrative values are said to be sample data");
    // A chart per indicator with reported values; the others say so in words.
    let (charts, no_data) =
        (html.matches("<svg class=\"chart\"").count(), html.matches("<p class=\"no-data\">").count());
    assert!(charts >= 5 && no_data >= 5 && charts + no_data >= 23, "{charts} charts, {no_data} without data");
    assert!(html.contains("尚无实际数据，暂无图表。"));
    for group in ["入学率、巩固率指标", "义务教育阶段教学质量评价指标", "初中、高中毕业质量指标"]
    {
        assert!(html.contains(&format!("<caption>{group}</caption>")), "table for {group}");
    }
    let dashboard = site.read("output/progress/index.html");
    assert!(dashboard.contains("共 42 项指标"), "every indicator of every notice");
    assert!(site.path("output/notices/tongyu-yiwu-jiaoyu-junheng-guihua/progress.yaml.html").is_file());
}

#[test]
fn pages_show_only_values_reported_by_the_reference_date() {
    let site = yaml_site();
    // 2018-09-01: the 2019 value (reported 2019-08-01) is not known yet.
    site.build_at("1535731200").ok();
    let html = site.read("output/plan/index.html");
    assert!(html.contains("29%（2018）"));
    assert!(!html.contains("31%（2019）"), "a value reported later must not be shown");
}

/// A data file that cannot be read when its source page is made is an error
/// naming it, never an empty page.
#[test]
fn an_unreadable_data_file_stops_its_source_page() {
    use gongkai::pipeline::{self, Outputs};
    use gongkai::render::{RenderError, RenderOptions};
    use gongkai::write::{DirSink, Output};
    let site = yaml_site();
    let (model, theme, _) = pipeline::site(site.root(), None, None, &gongkai::progress_bar::Stages::hidden())
        .unwrap_or_else(|_| panic!("the site loads"));
    std::fs::remove_file(site.path("content/plan/progress.yaml")).unwrap();
    let sink = DirSink::new(site.path("out"));
    let err = Outputs::new(&model, &theme, RenderOptions { built: None })
        .all(&Output::new(&sink), &gongkai::progress_bar::Stages::hidden())
        .map(|r| r.pages)
        .unwrap_err();
    assert!(matches!(&err, RenderError::Read { path, .. } if path.ends_with("plan/progress.yaml")), "{err}");
    assert!(err.to_string().starts_with("cannot read"), "{err}");
}

/// A notice with progress data for a new issuer and a new topic changes the
/// dashboard and the filter pages that list its indicators, and no other filter
/// page: each depends only on its own indicators, so an archive of monthly
/// snapshots stores the others once.
#[test]
fn a_new_notice_leaves_the_filter_pages_of_other_indicators_byte_identical() {
    let site = Site::new();
    let plans = [("通榆县人民政府办公室", "科技、教育\\教育"), ("甲局", "科技、教育\\教育"), ("丙局", "综合政务")];
    for (k, (issuer, topic)) in plans.iter().enumerate() {
        let text = notice("progress.yaml")
            .replace("通政办发〔2018〕55号", &format!("通政办发〔2018〕{}号", k + 1))
            .replace("关于印发某规划的通知", &format!("关于印发第{}号规划的通知", k + 1))
            .replace("issuer: 通榆县人民政府办公室", &format!("issuer: {issuer}"))
            .replace("topics: [科技、教育\\教育]", &format!("topics: [{topic}]"));
        site.write(&format!("content/plan{k}/index.md"), &text);
        site.write(&format!("content/plan{k}/progress.yaml"), YAML);
    }
    let build = |out: &str| {
        site.run(&["build", "--as-of", "2020-01-01", "--out", site.path(out).to_str().unwrap()]).ok();
        site.snapshot(&format!("{out}/progress"))
    };
    let before = build("a");
    let title = "关于印发林业规划的通知";
    let forest = notice("forest.yaml")
        .replace("通政办发〔2018〕55号", "通政办发〔2019〕7号")
        .replace("关于印发某规划的通知", title)
        .replace("issuer: 通榆县人民政府办公室", "issuer: 丁局")
        .replace("topics: [科技、教育\\教育]", "topics: [农业、林业、水利\\林业]")
        .replace("published: 2018-09-03", "published: 2019-03-01");
    site.write("content/forest/index.md", &forest);
    site.write(
        "content/forest/forest.yaml",
        "indicators:\n  - id: forest\n    name: 森林覆盖率\n    unit: \"%\"\n    baseline: {period: \"2017\", value: 40}\n    targets:\n      - {period: \"2020\", comparator: \"≥\", value: 45}\n    actuals:\n      - {period: \"2018\", value: 42, reported: 2019-02-01}\n",
    );
    let after = build("b");
    let page =
        |files: &BTreeMap<PathBuf, Vec<u8>>, path: &str| String::from_utf8(files[Path::new(path)].clone()).unwrap();
    assert!(page(&after, "index.html").contains(title) && !page(&before, "index.html").contains(title));
    // The new issuer's and topic's pages are new; the dashboard links them.
    let new: Vec<&str> = after.keys().filter(|p| !before.contains_key(*p)).map(|p| p.to_str().unwrap()).collect();
    assert_eq!(
        new,
        vec![
            "issuers/丁局/index.html",
            "topics/农业、林业、水利/index.html",
            "topics/农业、林业、水利/林业/index.html"
        ]
    );
    let dashboard = page(&after, "index.html");
    assert!(dashboard.contains("href=\"../progress/issuers/丁局/index.html\">丁局（1）</a>"), "{dashboard}");
    assert!(dashboard.contains("href=\"../progress/topics/农业、林业、水利/林业/index.html\""));
    // Every other filter page is the same file unless it lists the new indicator.
    let mut changed: Vec<&str> = Vec::new();
    for (path, bytes) in &before {
        let name = path.to_str().unwrap();
        if bytes != &after[path] {
            changed.push(name);
        }
        if name != "index.html" && !page(&after, name).contains(title) {
            assert!(bytes == &after[path], "{name} changed, yet does not list the new indicator");
        }
    }
    assert!(dashboard.contains("status/on_track/index.html\">进度正常（4）"), "the new indicator is on track");
    assert_eq!(
        changed,
        vec!["index.html", "status/on_track/index.html"],
        "the dashboard and the new indicator's status"
    );
    // A filter page names itself and its own count, and leads back to every filter.
    let issuer = page(&after, "issuers/丁局/index.html");
    assert!(issuer.contains("<h1>目标进展：发文机关：丁局</h1>") && issuer.contains("共 1 项指标"), "{issuer}");
    assert!(issuer.contains("<a href=\"../../../progress/index.html\">全部指标与筛选</a>"), "{issuer}");
    assert!(!issuer.contains("甲局") && !issuer.contains("（0）"), "no other issuer, no counts: {issuer}");
    assert!(issuer.contains("<span class=\"as-of-date\"></span>"), "the date from as-of.css");
}
