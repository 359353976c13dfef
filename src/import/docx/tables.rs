//! Tables. One rule: a table without merged cells becomes a Markdown table (its
//! first row the header); a table with merged cells (gridSpan, vMerge) becomes an
//! HTML table with colspan and rowspan, which the site's sanitiser keeps, its
//! header the rows marked to repeat as header rows, else the first row and the
//! rows its merged cells reach down into. A table whose every cell is one of the
//! document's frame lines (版头, 版记 laid out in a table) is read as those lines.
//! A table inside a table cell is read as text, row by row.

use roxmltree::Node;

use super::body::Walker;
use super::xml::{attr, child, elements, is, val};
use crate::import::analyse::{Paragraph, is_frame_line};

/// Cells wider than this many grid columns are taken as this wide.
const MAX_SPAN: usize = 64;

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Cell {
    /// The cell's paragraphs (text with markers).
    pub(super) lines: Vec<String>,
    pub(super) col: usize,
    pub(super) colspan: usize,
    pub(super) rowspan: usize,
}

#[derive(Debug, Default)]
pub(super) struct Grid {
    pub(super) rows: Vec<Vec<Cell>>,
    /// Rows marked "repeat as header row" at the top.
    pub(super) header_rows: usize,
}

impl Grid {
    fn merged(&self) -> bool {
        self.rows.iter().flatten().any(|c| c.colspan > 1 || c.rowspan > 1)
    }

    fn width(&self) -> usize {
        self.rows.iter().flat_map(|r| r.iter().map(|c| c.col + c.colspan)).max().unwrap_or(0)
    }
}

impl Walker<'_, '_> {
    pub(super) fn table(&mut self, tbl: Node) {
        let grid = self.grid(tbl);
        if grid.rows.iter().flatten().all(|c| c.lines.iter().all(|l| l.trim().is_empty())) {
            return;
        }
        let cells: Vec<&str> = grid.rows.iter().flatten().flat_map(|c| c.lines.iter()).map(|l| l.trim()).collect();
        if self.in_cell > 0 || cells.iter().filter(|l| !l.is_empty()).all(|l| is_frame_line(l)) {
            if self.in_cell == 0 {
                self.stats.layout_tables += 1;
            }
            for row in &grid.rows {
                let text: Vec<&str> = row.iter().flat_map(|c| c.lines.iter()).map(|l| l.trim()).collect();
                let text: Vec<&str> = text.into_iter().filter(|l| !l.is_empty()).collect();
                if self.in_cell > 0 {
                    self.out.push(Paragraph::Text(text.join(" ")));
                } else {
                    self.out.extend(text.into_iter().map(|l| Paragraph::Text(l.to_owned())));
                }
            }
            return;
        }
        let markdown = if grid.merged() {
            self.stats.html_tables += 1;
            html(&grid, |t| self.resolve_html(t))
        } else {
            self.stats.markdown_tables += 1;
            markdown(&grid, |t| self.resolve(&escape_md(t)))
        };
        self.out.push(Paragraph::Block(markdown));
    }

    /// The rows and cells, merged cells counted once with their spans.
    fn grid(&mut self, tbl: Node) -> Grid {
        let mut grid = Grid::default();
        let mut header = true;
        // The last cell that starts at each grid column: (row, index in the row).
        let mut last_at: Vec<Option<(usize, usize)>> = Vec::new();
        for tr in rows(tbl) {
            let trpr = child(tr, "trPr");
            if trpr.is_some_and(|p| child(p, "del").is_some()) {
                self.stats.deletions += 1;
                continue;
            }
            let is_header = trpr.is_some_and(|p| super::xml::on(p, "tblHeader"));
            header &= is_header;
            if header {
                grid.header_rows += 1;
            }
            let mut col = trpr.and_then(|p| val(p, "gridBefore")).and_then(|v| v.parse().ok()).unwrap_or(0usize);
            col = col.min(MAX_SPAN);
            let r = grid.rows.len();
            let mut row: Vec<Cell> = Vec::new();
            for tc in cells(tr) {
                let tcpr = child(tc, "tcPr");
                let span = tcpr.and_then(|p| val(p, "gridSpan")).and_then(|v| v.parse().ok()).unwrap_or(1usize);
                let span = span.clamp(1, MAX_SPAN);
                let vmerge = tcpr.and_then(|p| child(p, "vMerge"));
                let continues = vmerge.is_some_and(|m| attr(m, "val").is_none_or(|v| v == "continue"));
                let hmerge = tcpr.and_then(|p| child(p, "hMerge"));
                if hmerge.is_some_and(|m| attr(m, "val").is_none_or(|v| v == "continue"))
                    && let Some(prev) = row.last_mut()
                {
                    prev.colspan += span;
                    col += span;
                    continue;
                }
                if continues
                    && let Some(Some((above, i))) = last_at.get(col).copied()
                    && let Some(cell) = grid.rows.get_mut(above).and_then(|row| row.get_mut(i))
                    && above + cell.rowspan == r
                {
                    cell.rowspan += 1;
                    col += span;
                    continue;
                }
                let lines = self.cell_lines(tc);
                if last_at.len() <= col {
                    last_at.resize(col + 1, None);
                }
                last_at[col] = Some((r, row.len()));
                row.push(Cell { lines, col, colspan: span, rowspan: 1 });
                col += span;
            }
            grid.rows.push(row);
        }
        grid
    }

    /// A cell's paragraphs, read like the body's.
    fn cell_lines(&mut self, tc: Node) -> Vec<String> {
        let saved = std::mem::take(&mut self.out);
        self.in_cell += 1;
        self.block_children(tc);
        self.in_cell -= 1;
        let lines = std::mem::replace(&mut self.out, saved);
        let mut out: Vec<String> = lines
            .into_iter()
            .map(|p| match p {
                Paragraph::Text(t) | Paragraph::Block(t) => t.split_whitespace().collect::<Vec<_>>().join(" "),
            })
            .collect();
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out
    }

    fn resolve_html(&self, text: &str) -> String {
        let mut out = String::new();
        for c in escape_html(text).chars() {
            match super::marker_index(c).and_then(|k| self.inlines.get(k)) {
                Some(md) if md.starts_with("[^") => out.push_str(&format!("<sup>{}</sup>", escape_html(md))),
                Some(md) if md.starts_with("![") => {
                    let (alt, src) = md[2..].split_once("](").unwrap_or(("", ""));
                    let src = src.trim_end_matches(')');
                    out.push_str(&format!("<img src=\"{}\" alt=\"{}\">", escape_html(src), escape_html(alt)));
                }
                Some(md) => out.push_str(&escape_html(md)),
                None => out.push(c),
            }
        }
        out
    }
}

/// The rows of a table, through what may wrap them.
fn rows<'a, 'i>(tbl: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    let mut out = Vec::new();
    for c in elements(tbl) {
        match c.tag_name().name() {
            "tr" => out.push(c),
            "sdt" => out.extend(child(c, "sdtContent").map(rows).unwrap_or_default()),
            "customXml" | "ins" => out.extend(rows(c)),
            _ => {}
        }
    }
    out
}

fn cells<'a, 'i>(tr: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    let mut out = Vec::new();
    for c in elements(tr) {
        if is(c, "tc") {
            out.push(c);
        } else if is(c, "sdt") {
            out.extend(child(c, "sdtContent").map(cells).unwrap_or_default());
        } else if is(c, "customXml") {
            out.extend(cells(c));
        }
    }
    out
}

fn markdown(grid: &Grid, text: impl Fn(&str) -> String) -> String {
    let width = grid.width().max(1);
    let mut out = String::new();
    for (r, row) in grid.rows.iter().enumerate() {
        let mut cells = vec![String::new(); width];
        for c in row {
            cells[c.col] = c.lines.iter().map(|l| text(l)).collect::<Vec<_>>().join("<br>");
        }
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if r == 0 {
            out.push_str(&format!("|{}\n", " --- |".repeat(width)));
        }
    }
    out.trim_end().to_owned()
}

fn html(grid: &Grid, text: impl Fn(&str) -> String) -> String {
    // Header: the repeated header rows, else the first row and the rows its merged
    // cells reach into.
    let header = if grid.header_rows > 0 {
        grid.header_rows
    } else {
        grid.rows.first().map_or(0, |r| r.iter().map(|c| c.rowspan).max().unwrap_or(1))
    };
    let mut out = String::from("<table>\n");
    for (r, row) in grid.rows.iter().enumerate() {
        if r == 0 && header > 0 {
            out.push_str("<thead>\n");
        }
        if r == header {
            out.push_str("<tbody>\n");
        }
        let tag = if r < header { "th" } else { "td" };
        out.push_str("<tr>");
        for c in row {
            let mut attrs = String::new();
            if c.colspan > 1 {
                attrs.push_str(&format!(" colspan=\"{}\"", c.colspan));
            }
            if c.rowspan > 1 {
                attrs.push_str(&format!(" rowspan=\"{}\"", c.rowspan));
            }
            let body: Vec<String> = c.lines.iter().map(|l| text(l)).collect();
            out.push_str(&format!("<{tag}{attrs}>{}</{tag}>", body.join("<br>")));
        }
        out.push_str("</tr>\n");
        if r + 1 == header {
            out.push_str("</thead>\n");
        }
    }
    if grid.rows.len() > header {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>");
    out
}

/// Text that shows as written in Markdown: ASCII punctuation that could be markup
/// is backslash-escaped (CommonMark allows it before any of them).
pub(super) fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(super) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, col: usize, colspan: usize, rowspan: usize) -> Cell {
        Cell { lines: vec![text.to_owned()], col, colspan, rowspan }
    }

    #[test]
    fn plain_tables_are_markdown() {
        let grid = Grid {
            rows: vec![vec![cell("项目", 0, 1, 1), cell("a|b", 1, 1, 1)], vec![cell("合计", 0, 1, 1)]],
            header_rows: 0,
        };
        assert_eq!(markdown(&grid, escape_md), "| 项目 | a\\|b |\n| --- | --- |\n| 合计 |  |");
    }

    #[test]
    fn merged_headers_are_html() {
        let grid = Grid {
            rows: vec![
                vec![cell("指标", 0, 1, 2), cell("2019年", 1, 2, 1)],
                vec![cell("目标值", 1, 1, 1), cell("实际值", 2, 1, 1)],
                vec![cell("入学率", 0, 1, 1), cell("95%", 1, 1, 1), cell("<96%>", 2, 1, 1)],
            ],
            header_rows: 0,
        };
        let html = html(&grid, escape_html);
        assert_eq!(
            html,
            "<table>\n<thead>\n<tr><th rowspan=\"2\">指标</th><th colspan=\"2\">2019年</th></tr>\n<tr><th>目标值</th><th>实际值</th></tr>\n</thead>\n<tbody>\n<tr><td>入学率</td><td>95%</td><td>&lt;96%&gt;</td></tr>\n</tbody>\n</table>"
        );
        // The site's sanitiser keeps the spans.
        let rendered = crate::markdown::render(&html).unwrap();
        assert!(
            rendered.html.contains("rowspan=\"2\"") && rendered.html.contains("colspan=\"2\""),
            "{}",
            rendered.html
        );
    }
}
