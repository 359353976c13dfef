//! A 政府信息公开工作年度报告 on its notice's page: the format's tables 二, 三 and
//! 四 (`partials/annual_report.html`), each placed after the body's heading of
//! that part (or after the text when the body lacks it), with every computed
//! number linking to the notices it counts; and the tables as CSV files beside
//! the page.

use serde::Serialize;

use super::Ui;
use super::view::{NoticeRef, notice_ref};
use crate::markdown::Heading;
use crate::model::report::{ComputedReport, Counted};
use crate::model::{NoticeId, Published, Site};
use crate::report::{APPLICANTS, APPLICATION_ROWS, DECISIONS, OUTCOMES, REVIEW_GROUPS, ReportData, RowDef};
use crate::routes::encode_path;

/// The parts of the format that are tables, with the words their headings begin with.
pub const PARTS: [(u8, &str, &str); 3] = [
    (2, "二、", "二、主动公开政府信息情况"),
    (3, "三、", "三、收到和处理政府信息公开申请情况"),
    (4, "四、", "四、政府信息公开行政复议、行政诉讼情况"),
];

#[derive(Serialize)]
pub struct ReportView<'a> {
    pub year: i32,
    pub sample: bool,
    pub bodies: Vec<&'a str>,
    /// The data file, from the page's folder.
    pub data_href: String,
    pub data_file: &'a str,
    /// 规章, then 行政规范性文件.
    pub computed: Vec<CountedRow<'a>>,
    pub decisions: Vec<DecisionRow>,
    pub fees: &'a str,
    pub applications: Vec<ApplicationRow>,
    /// Table 三's applicant columns: 自然人, the five 法人或其他组织, 总计.
    pub applicants: Vec<String>,
    pub reviews: Vec<ReviewGroup>,
    /// Table 四's columns of each group: 结果维持 … 总计.
    pub outcomes: Vec<String>,
    /// The CSV files, by part.
    pub csv: Vec<CsvLink>,
}

#[derive(Serialize)]
pub struct CountedRow<'a> {
    pub label: String,
    pub cells: Vec<CountCell<'a>>,
}

/// A computed number, with the notices it counts and the anchor of their list.
#[derive(Serialize)]
pub struct CountCell<'a> {
    pub label: String,
    pub count: usize,
    pub id: String,
    pub notices: Vec<NoticeRef<'a>>,
}

#[derive(Serialize)]
pub struct DecisionRow {
    pub label: String,
    pub item: &'static str,
    pub count: u64,
}

/// A row of table 三: its label cells, as the format merges them, and its numbers.
#[derive(Serialize)]
pub struct ApplicationRow {
    pub key: &'static str,
    pub heads: Vec<HeadCell>,
    pub cells: [u64; 7],
}

/// A label cell of table 三. The format has three label columns: 三、本年度办理结果
/// spans its 22 rows, （三）–（六） span their numbered items, and a row without a
/// group spans the columns it leaves free.
#[derive(Serialize)]
pub struct HeadCell {
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
    /// The cell names the row itself (`scope="row"`), not a group of rows.
    pub row: bool,
}

#[derive(Serialize)]
pub struct ReviewGroup {
    pub label: String,
    pub cells: [u64; 5],
}

#[derive(Serialize)]
pub struct CsvLink {
    pub part: u8,
    pub file: String,
    pub href: String,
}

/// Table 三's first label column: the rows under 三、本年度办理结果.
const RESULTS_HEADING: &str = "三、本年度办理结果";
/// Table 三's top-left cell, the format's note on its arithmetic.
pub const APPLICATIONS_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// The label cells of each row of table 三 (`APPLICATION_ROWS`), in the site's script.
fn application_heads(ui: Ui) -> Vec<Vec<HeadCell>> {
    let rows = APPLICATION_ROWS;
    let span = |pred: &dyn Fn(&RowDef) -> bool, from: usize| rows[from..].iter().take_while(|r| pred(r)).count();
    let under_results = |r: &RowDef| r.group == RESULTS_HEADING || r.group.starts_with('（');
    let cell = |text: &str, rowspan, colspan, row| HeadCell { text: ui.t(text), rowspan, colspan, row };
    rows.iter()
        .enumerate()
        .map(|(i, def)| {
            let mut heads = Vec::new();
            if !under_results(def) {
                heads.push(cell(def.label, 1, 3, true));
                return heads;
            }
            if i == 0 || !under_results(&rows[i - 1]) {
                heads.push(cell(RESULTS_HEADING, span(&under_results, i), 1, false));
            }
            if def.group == RESULTS_HEADING {
                heads.push(cell(def.label, 1, 2, true));
            } else {
                if rows[i - 1].group != def.group {
                    heads.push(cell(def.group, span(&|r: &RowDef| r.group == def.group, i), 1, false));
                }
                heads.push(cell(def.label, 1, 1, true));
            }
            heads
        })
        .collect()
}

impl<'a> ReportView<'a> {
    pub fn of(site: &'a Site, n: &'a Published, ui: Ui) -> Option<ReportView<'a>> {
        let (data, computed) = (n.annual_report.as_ref()?, n.report.as_ref()?);
        let refs = |ids: &[NoticeId]| ids.iter().map(|&id| notice_ref(site, id)).collect::<Vec<_>>();
        let row = |label: &str, key: &str, c: &Counted| CountedRow {
            label: ui.t(label),
            cells: [
                ("本年制发件数", "issued", &c.issued),
                ("本年废止件数", "repealed", &c.repealed),
                ("现行有效件数", "in-force", &c.in_force),
            ]
            .into_iter()
            .map(|(label, what, ids)| CountCell {
                label: ui.t(label),
                count: ids.len(),
                id: format!("count-{key}-{what}"),
                notices: refs(ids),
            })
            .collect(),
        };
        let applications = APPLICATION_ROWS
            .iter()
            .zip(&data.applications)
            .zip(application_heads(ui))
            .map(|((def, cells), heads)| ApplicationRow { key: def.key, heads, cells: *cells })
            .collect();
        Some(ReportView {
            year: data.year,
            sample: data.sample,
            bodies: computed.bodies.iter().map(|b| b.as_str()).collect(),
            data_href: encode_path(&data.file),
            data_file: &data.file,
            computed: vec![
                row("规章", "rules", &computed.rules),
                row("行政规范性文件", "normative", &computed.normative),
            ],
            decisions: DECISIONS
                .iter()
                .zip(data.decisions)
                .map(|(&(label, item), count)| DecisionRow { label: ui.t(label), item, count })
                .collect(),
            fees: &data.fees,
            applications,
            applicants: APPLICANTS.iter().map(|a| ui.t(a)).collect(),
            reviews: REVIEW_GROUPS
                .iter()
                .zip(data.reviews)
                .map(|(&(_, label), cells)| ReviewGroup { label: ui.t(label), cells })
                .collect(),
            outcomes: OUTCOMES.iter().map(|o| ui.t(o)).collect(),
            csv: PARTS
                .iter()
                .map(|&(part, _, _)| {
                    let file = csv_name(data.year, part);
                    CsvLink { part, href: encode_path(&file), file }
                })
                .collect(),
        })
    }
}

/// The CSV file of one table: `年报-2023-表三.csv`.
pub fn csv_name(year: i32, part: u8) -> String {
    let numeral = ["", "", "二", "三", "四"][part as usize];
    format!("年报-{year}-表{numeral}.csv")
}

/// The tables as CSV, each with a byte-order mark so spreadsheet programs read
/// them as UTF-8.
/// Made from the data and the counts alone: no links to build.
pub fn csv_files(data: &ReportData, computed: &ComputedReport, ui: Ui) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let write = |rows: Vec<Vec<String>>| -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(b"\xEF\xBB\xBF".to_vec());
        for r in rows {
            w.write_record(&r).expect("writing CSV to memory");
        }
        w.into_inner().expect("writing CSV to memory")
    };
    let s = |t: &str| ui.t(t);
    // 二
    let mut two = vec![
        vec![s("第二十条第（一）项")],
        vec![s("信息内容"), s("本年制发件数"), s("本年废止件数"), s("现行有效件数")],
    ];
    for (label, c) in [("规章", &computed.rules), ("行政规范性文件", &computed.normative)] {
        let counts = [c.issued.len(), c.repealed.len(), c.in_force.len()];
        two.push(std::iter::once(s(label)).chain(counts.iter().map(usize::to_string)).collect());
    }
    let mut last_item = "";
    for (&(label, item), count) in DECISIONS.iter().zip(data.decisions) {
        // 行政处罚 and 行政强制 share the block of 第（六）项, as in the format.
        if item != last_item {
            two.push(vec![s(&format!("第二十条第{item}项"))]);
            two.push(vec![s("信息内容"), s("本年处理决定数量")]);
            last_item = item;
        }
        two.push(vec![s(label), count.to_string()]);
    }
    two.push(vec![s("第二十条第（八）项")]);
    two.push(vec![s("信息内容"), s("本年收费金额（单位：万元）")]);
    two.push(vec![s("行政事业性收费"), data.fees.clone()]);
    out.push((csv_name(data.year, 2), write(two)));
    // 三
    // The first column is headed as in the format, by its note on the arithmetic.
    let mut head = vec![s(APPLICATIONS_NOTE)];
    head.extend(
        APPLICANTS
            .iter()
            .map(|a| if matches!(*a, "自然人" | "总计") { s(a) } else { s(&format!("法人或其他组织：{a}")) }),
    );
    let mut three = vec![head];
    for (row, cells) in APPLICATION_ROWS.iter().zip(&data.applications) {
        let label = if row.group.is_empty() {
            s(row.label)
        } else if row.group == RESULTS_HEADING {
            s(&format!("{}{}", row.group, row.label))
        } else {
            s(&format!("{RESULTS_HEADING}{}{}", row.group, row.label))
        };
        three.push(std::iter::once(label).chain(cells.iter().map(u64::to_string)).collect());
    }
    out.push((csv_name(data.year, 3), write(three)));
    // 四
    let head = REVIEW_GROUPS.iter().flat_map(|(_, g)| OUTCOMES.iter().map(move |o| s(&format!("{g}：{o}")))).collect();
    let values = data.reviews.iter().flatten().map(u64::to_string).collect();
    out.push((csv_name(data.year, 4), write(vec![head, values])));
    out
}

/// Put each table after the body's heading of its part (`二、…`), found in the
/// headings the Markdown parse already listed; for a part whose heading the
/// body lacks, after the text.
pub fn place(body: String, headings: &[Heading], tables: Vec<(u8, String)>, ui: Ui) -> String {
    let mut body = body;
    let mut appended = String::new();
    for (part, html) in tables {
        let Some(&(_, prefix, heading)) = PARTS.iter().find(|p| p.0 == part) else { continue };
        let end = headings.iter().find(|h| h.text.starts_with(prefix)).and_then(|h| {
            let at = body.find(&format!(" id=\"{}\"", h.id))?;
            let close = format!("</h{}>", h.level);
            body[at..].find(&close).map(|c| at + c + close.len())
        });
        match end {
            Some(at) => body.insert_str(at, &html),
            None => {
                appended.push_str(&format!("<h2>{}</h2>\n", ui.t(heading)));
                appended.push_str(&html);
            }
        }
    }
    body + &appended
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_follow_their_headings_or_the_text() {
        let heading = |level, text: &str, id: &str| Heading { level, text: text.into(), id: id.into() };
        let headings =
            [heading(2, "一、总体情况", "a"), heading(2, "三、收到和处理", "b"), heading(3, "关于二、三", "c")];
        let body = "<h2 id=\"a\">一、总体情况</h2><p>x</p><h3 id=\"c\">关于二、三</h3><h2 id=\"b\">三、收到和处理</h2><p>y</p>".to_owned();
        let placed = place(
            body,
            &headings,
            vec![(2, "[T2]".into()), (3, "[T3]".into())],
            Ui::new(crate::schema::Script::Simplified),
        );
        // A heading that only mentions a part (关于二、三) is not its heading.
        assert_eq!(
            placed,
            "<h2 id=\"a\">一、总体情况</h2><p>x</p><h3 id=\"c\">关于二、三</h3><h2 id=\"b\">三、收到和处理</h2>[T3]<p>y</p><h2>二、主动公开政府信息情况</h2>\n[T2]"
        );
    }
}
