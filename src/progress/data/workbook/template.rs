//! The workbook `gongkai new --data 进展.xlsx` writes for clerks to fill in Excel
//! or WPS: the four sheets under their Chinese names with their headers, one
//! example row each, drop-down lists for 方向, 比较 and 状态, and a 说明 sheet
//! (skipped when the workbook is read). It reads back as the data it shows.

use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Rows the drop-down lists cover, below the header.
const LIST_ROWS: u32 = 1_000;

/// A cell of the example rows.
enum Cell {
    T(&'static str),
    N(f64),
    D(u16, u8, u8),
}

struct Table {
    sheet: &'static str,
    header: &'static [&'static str],
    example: &'static [Cell],
    /// Drop-down lists: column, choices.
    lists: &'static [(u16, &'static [&'static str])],
}

const DIRECTIONS: &[&str] = &["越高越好", "越低越好", "持平"];
const COMPARATORS: &[&str] = &["≥", "≤", "="];
const STATES: &[&str] = &["已完成", "进行中", "未开始", "未报告"];

const TABLES: &[Table] = &[
    Table {
        sheet: "指标",
        header: &["编号", "指标名称", "单位", "方向", "分组", "基期", "基线值", "备注"],
        example: &[
            Cell::T("xueqian-ruyuanlv"),
            Cell::T("学前三年毛入园率（示例）"),
            Cell::T("%"),
            Cell::T("越高越好"),
            Cell::T("学前教育"),
            Cell::N(2023.0),
            Cell::N(88.5),
            Cell::T("示例行：请改为本规划的指标"),
        ],
        lists: &[(3, DIRECTIONS)],
    },
    Table {
        sheet: "目标",
        header: &["指标编号", "年度", "比较", "目标值", "目标表述"],
        example: &[
            Cell::T("xueqian-ruyuanlv"),
            Cell::N(2025.0),
            Cell::T("≥"),
            Cell::N(95.0),
            Cell::T("到2025年学前三年毛入园率达到95%以上"),
        ],
        lists: &[(2, COMPARATORS)],
    },
    Table {
        sheet: "实际",
        header: &["指标编号", "年度", "实际值", "报告日期", "数据来源", "示例"],
        example: &[
            Cell::T("xueqian-ruyuanlv"),
            Cell::N(2024.0),
            Cell::N(91.2),
            Cell::D(2025, 1, 20),
            Cell::T("示例数据，非官方统计"),
            Cell::T("是"),
        ],
        lists: &[(5, &["是", "否"])],
    },
    Table {
        sheet: "任务",
        header: &["工作任务", "牵头单位", "配合单位", "阶段", "年度", "完成时限", "状态", "完成日期"],
        example: &[
            Cell::T("制定实施方案（示例）"),
            Cell::T("县教育局"),
            Cell::T("各学校、各幼儿园"),
            Cell::T("动员部署阶段"),
            Cell::N(2024.0),
            Cell::D(2024, 6, 30),
            Cell::T("已完成"),
            Cell::D(2024, 6, 20),
        ],
        lists: &[(6, STATES)],
    },
];

const NOTES: &[&str] = &[
    "填写说明（本工作表不被读取）",
    "“指标”表每行一个指标：编号用字母、数字和连字符，在本通知内唯一；方向从下拉列表选择。",
    "“目标”表每行一个目标，“实际”表每行一个已报告的实际值，均以“指标编号”对应“指标”表的编号。",
    "年度可写 2020、2020年、2017-2018学年、2020年第三季度、2020年6月等；日期列请用日期格式。",
    "百分比可以写 95 或设为百分比格式（0.95 显示为 95%）；数值不要用公式以外的文字说明。",
    "“任务”表每行一项工作任务，状态从下拉列表选择。",
    "各表第一行是表头，请勿改动；示例行请改写或删除。表格下方以“注：”开头的行视为注释。",
];

fn write_table(ws: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    ws.set_name(t.sheet)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, 16)?;
    }
    for (c, cell) in t.example.iter().enumerate() {
        let c = c as u16;
        match cell {
            Cell::T(text) => {
                ws.write_string(1, c, *text)?;
            }
            Cell::N(n) => {
                ws.write_number(1, c, *n)?;
            }
            Cell::D(y, m, d) => {
                ws.write_datetime_with_format(1, c, &ExcelDateTime::from_ymd(*y, *m, *d)?, &date)?;
            }
        }
    }
    for &(col, choices) in t.lists {
        let list = DataValidation::new().allow_list_strings(choices)?;
        ws.add_data_validation(1, col, LIST_ROWS, col, &list)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The template's bytes.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for t in TABLES {
        write_table(wb.add_worksheet(), t)?;
    }
    let notes = wb.add_worksheet();
    notes.set_name("说明")?;
    notes.set_column_width(0, 100)?;
    for (r, line) in NOTES.iter().enumerate() {
        notes.write_string(r as u32, 0, *line)?;
    }
    wb.save_to_buffer()
}
