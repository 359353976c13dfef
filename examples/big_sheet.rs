//! A site of one notice whose progress data is a workbook with a sheet of ROWS
//! reported values (default 200,000), for bench/read_sheet.sh: ROWS/10 indicators
//! with ten yearly values each, every value a percent-formatted fraction with a
//! reported date, as clerks' sheets have them. The same figures as CSV files go
//! to OUT_DIR/csv/, to compare.
//!
//!     cargo run --release --example big_sheet -- OUT_DIR [ROWS]

use std::path::PathBuf;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

const SITE: &str = "title: 测试站\nbase_url: https://example.org/\nissuers:\n  - 通榆县人民政府办公室\ntopics:\n  - 科技、教育\\教育\nforms: [规划]\n";
const NOTICE: &str = "---\ntitle: 关于印发某规划的通知\ndoc_number: 通政办发〔2018〕55号\nissuer: 通榆县人民政府办公室\ngenre: 通知\nform: 规划\ntopics: [科技、教育\\教育]\nwritten: 2018-09-02\npublished: 2018-09-03\ndata: [big.xlsx]\n---\n\n各有关部门：\n\n正文。\n";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: big_sheet OUT_DIR [ROWS]")?);
    let rows: u32 = args.next().map_or(Ok(200_000), |r| r.parse())?;
    let notice = out.join("content/plan");
    std::fs::create_dir_all(&notice)?;
    std::fs::write(out.join("content/site.yaml"), SITE)?;
    std::fs::write(notice.join("index.md"), NOTICE)?;
    std::fs::write(notice.join("big.xlsx"), workbook(rows)?)?;
    csv(&out.join("csv"), rows)?;
    Ok(())
}

/// The value of row `r` (a fraction) and its indicator and year.
fn row(r: u32) -> (u32, u32, f64) {
    let (k, year) = (r / 10, 2011 + r % 10);
    (k, year, 0.5 + f64::from(r % 10) * 0.04 + f64::from(k % 7) * 0.001)
}

fn csv(dir: &std::path::Path, rows: u32) -> std::io::Result<()> {
    use std::fmt::Write as _;
    std::fs::create_dir_all(dir)?;
    let (mut ind, mut tar, mut act) = (
        String::from("id,name,unit,direction\n"),
        String::from("indicator,period,comparator,value\n"),
        String::from("indicator,period,value,reported\n"),
    );
    for k in 0..rows.div_ceil(10) {
        let _ = writeln!(ind, "ind-{k},指标{k},%,越高越好");
        let _ = writeln!(tar, "ind-{k},2020,≥,90");
    }
    for r in 0..rows {
        let (k, year, v) = row(r);
        let _ = writeln!(act, "ind-{k},{year},{:.1}%,{}-01-20", v * 100.0, year + 1);
    }
    std::fs::write(dir.join("indicators.csv"), ind)?;
    std::fs::write(dir.join("targets.csv"), tar)?;
    std::fs::write(dir.join("actuals.csv"), act)
}

fn workbook(rows: u32) -> Result<Vec<u8>, XlsxError> {
    let indicators = rows.div_ceil(10);
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2020, 1, 1)?));
    let ws = wb.add_worksheet();
    ws.set_name("指标")?;
    for (c, h) in ["编号", "指标名称", "单位", "方向"].iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for k in 0..indicators {
        ws.write_string(k + 1, 0, format!("ind-{k}"))?;
        ws.write_string(k + 1, 1, format!("指标{k}"))?;
        ws.write_string(k + 1, 2, "%")?;
        ws.write_string(k + 1, 3, "越高越好")?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("目标")?;
    for (c, h) in ["指标编号", "年度", "比较", "目标值"].iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for k in 0..indicators {
        ws.write_string(k + 1, 0, format!("ind-{k}"))?;
        ws.write_number(k + 1, 1, 2020)?;
        ws.write_string(k + 1, 2, "≥")?;
        ws.write_number(k + 1, 3, 90)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("实际")?;
    for (c, h) in ["指标编号", "年度", "实际值", "报告日期"].iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    let percent = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for r in 0..rows {
        let (k, year, v) = row(r);
        ws.write_string(r + 1, 0, format!("ind-{k}"))?;
        ws.write_number(r + 1, 1, year)?;
        ws.write_number_with_format(r + 1, 2, v, &percent)?;
        ws.write_datetime_with_format(r + 1, 3, &ExcelDateTime::from_ymd(year as u16 + 1, 1, 20)?, &date)?;
    }
    wb.save_to_buffer()
}
