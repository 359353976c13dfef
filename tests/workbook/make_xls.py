"""Writes tests/workbook/wide.xls, the Excel 97-2003 fixture of tests/workbook.rs:
the wide sheet and the milestones of `wide_sheets()` there. Neither calamine nor
rust_xlsxwriter writes .xls, so the fixture is committed; to make it again:

    python3 -m venv /tmp/xlvenv && /tmp/xlvenv/bin/pip install xlwt==1.3.0
    /tmp/xlvenv/bin/python tests/workbook/make_xls.py

calamine cannot see an .xls cell's number format (only whether it is a date), so
the values a format would change are written as the text Excel shows: 31.5%,
1.80, 360人. The formula of the .xlsx is its value here (xlwt saves no result).
"""
import datetime
import os

import xlwt

date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
book = xlwt.Workbook(encoding="utf-8")

wide = book.add_sheet("指标完成情况")
wide.write_merge(0, 0, 0, 19, "义务教育指标完成情况表")
wide.write(1, 0, "填报单位：县教育局")
wide.write(1, 4, "填报日期：2020年1月20日")
for c, name in enumerate(["编号", "指标名称", "单位", "方向", "分组", "基期", "基线值"]):
    wide.write_merge(2, 3, c, c, name)
wide.write_merge(2, 2, 7, 10, "2017-2018学年")
wide.write_merge(2, 2, 11, 15, "2018")
wide.write_merge(2, 2, 16, 17, "2019")
wide.write(2, 18, "2019-2020学年")
wide.write(2, 19, "2020")
for c, name in enumerate(
    ["实际值", "报告日期", "数据来源", "示例", "目标值", "目标表述", "实际值", "报告日期", "数据来源", "实际值", "报告日期", "目标值", "目标值"],
    start=7,
):
    wide.write(3, c, name)
rows = [
    {0: "yiben", 1: "高考一本上线率", 2: "%", 3: "越高越好", 4: "高中阶段", 5: 2017, 6: 26,
     11: 30, 12: "2018年达到30%以上", 13: 29, 14: datetime.date(2019, 1, 15), 15: "统计公报",
     16: "31.5%", 17: datetime.date(2020, 1, 15), 19: 34},
    {0: "dropout", 1: "初中年辍学率", 2: "%", 3: "越低越好", 4: "入学率、巩固率指标", 5: "2016-2017学年", 6: "1.80",
     7: 1.5, 8: datetime.date(2018, 10, 15), 9: "示例", 10: "是", 18: 1},
    {0: "teachers", 1: "补充教师", 2: "人", 3: "越高越好", 4: "师资", 16: "170", 19: "360人"},
]
for r, row in enumerate(rows, start=4):
    for c, v in row.items():
        if isinstance(v, datetime.date):
            wide.write(r, c, v, date)
        else:
            wide.write(r, c, v)
wide.write(7, 0, "注：目标值未写比较的，按指标方向比较（越高越好为“不低于”）。")

tasks = book.add_sheet("工作进度")
for c, name in enumerate(["工作任务", "牵头单位", "配合单位", "年度", "完成时限", "状态", "完成日期"]):
    tasks.write(0, c, name)
for c, v in enumerate(["全县普查", "县教育局", "各学校、各幼儿园", "2018年2月—2018年9月", datetime.date(2018, 9, 30), "已完成", datetime.date(2018, 9, 20)]):
    tasks.write(1, c, v, date if isinstance(v, datetime.date) else xlwt.Style.default_style)

book.save(os.path.join(os.path.dirname(os.path.abspath(__file__)), "wide.xls"))
