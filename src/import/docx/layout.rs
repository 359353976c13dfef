//! Text placed on pages (OFD, PDF) made into the paragraphs the recogniser reads.
//! A page holds lines, not paragraphs: segments on one baseline make a line (a
//! space where two are more than a character apart), and a line that reaches the
//! right edge of the body text, followed by one of the same size that starts at the
//! left edge — not indented two characters, as a 公文's paragraphs are — just below
//! it or at the top of the next page, is one paragraph wrapped. Page numbers
//! (— 1 —) are left out. Positions are in any unit, y growing down the page.

use std::sync::LazyLock;

static PAGE_NUMBER: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[—–\-－]\s*\d{1,4}\s*[—–\-－]$").expect("pattern"));

/// A run of text placed on a page: its baseline, where it starts and (estimated)
/// ends (OFD: millimetres; PDF: points).
#[derive(Debug, Clone)]
pub(super) struct Segment {
    pub(super) page: usize,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) size: f64,
    pub(super) end: f64,
    pub(super) text: String,
}

/// Width of text in em: CJK and full-width characters one, others a half.
pub(super) fn ems(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() || ('\u{FF61}'..='\u{FFDC}').contains(&c) { 0.5 } else { 1.0 }).sum()
}

/// Segments on one baseline joined into lines (a space where a gap is wider than a
/// character), in reading order; page numbers counted and left out.
pub(super) fn lines(mut segments: Vec<Segment>) -> (Vec<Segment>, usize) {
    segments.sort_by(|a, b| a.page.cmp(&b.page).then(a.y.total_cmp(&b.y)));
    // Segments whose baselines are within a third of a character of the line's first.
    let mut groups: Vec<Vec<Segment>> = Vec::new();
    for s in segments {
        match groups.last_mut() {
            Some(g) if g[0].page == s.page && (g[0].y - s.y).abs() <= 0.3 * g[0].size.max(s.size) => g.push(s),
            _ => groups.push(vec![s]),
        }
    }
    let mut out: Vec<Segment> = Vec::with_capacity(groups.len());
    for mut g in groups {
        g.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut parts = g.into_iter();
        let Some(mut line) = parts.next() else { continue };
        for s in parts {
            if s.x - line.end > s.size {
                line.text.push(' ');
            }
            line.text.push_str(&s.text);
            line.end = line.end.max(s.end);
            line.size = line.size.max(s.size);
        }
        out.push(line);
    }
    let before = out.len();
    out.retain(|l| !PAGE_NUMBER.is_match(l.text.trim()));
    let dropped = before - out.len();
    (out, dropped)
}

/// Lines joined into paragraphs: a line that reaches the right edge of the body
/// text continues in the next one when that one starts at the left edge, with the
/// same size, just below (or at the top of the next page).
pub(super) fn paragraphs(lines: &[Segment]) -> Vec<String> {
    let mut sizes: Vec<f64> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f64::total_cmp);
    let Some(&body) = sizes.get(sizes.len() / 2) else { return Vec::new() };
    let body_lines = || lines.iter().filter(|l| (l.size - body).abs() <= 0.1 * body);
    let left = body_lines().map(|l| l.x).fold(f64::INFINITY, f64::min);
    let right = body_lines().map(|l| l.end).fold(f64::NEG_INFINITY, f64::max);
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<&Segment> = None;
    for line in lines {
        let continues = prev.is_some_and(|p| {
            (p.size - line.size).abs() <= 0.1 * body
                && p.end >= right - 1.2 * p.size
                && line.x <= left + 0.5 * line.size
                && ((p.page == line.page && line.y > p.y && line.y - p.y <= 2.5 * p.size) || line.page == p.page + 1)
        });
        // Spaces at a break belong to the text (a line may wrap just after one).
        match out.last_mut() {
            Some(last) if continues => last.push_str(&line.text),
            _ => out.push(line.text.trim_start().to_owned()),
        }
        prev = Some(line);
    }
    out.iter().map(|p| p.trim_end().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(page: usize, x: f64, y: f64, text: &str) -> Segment {
        Segment { page, x, y, size: 5.0, end: x + ems(text) * 5.0, text: text.to_owned() }
    }

    #[test]
    fn wrapped_lines_become_one_paragraph() {
        // The title is set larger, so it does not count for the body's edges.
        let title =
            Segment { size: 7.0, end: 30.0 + 11.0 * 7.0, ..seg(0, 30.0, 40.0, "关于做好某项工作的通知") };
        let lines = [
            title,
            seg(0, 10.0, 60.0, "各学校："),
            seg(0, 20.0, 70.0, "一二三四五六七八"),
            seg(0, 10.0, 80.0, "九十。"),
            seg(0, 20.0, 90.0, "二段一二三四五六"),
            seg(1, 10.0, 20.0, "续页。"),
            seg(1, 20.0, 30.0, "短。"),
        ];
        assert_eq!(
            paragraphs(&lines),
            ["关于做好某项工作的通知", "各学校：", "一二三四五六七八九十。", "二段一二三四五六续页。", "短。"]
        );
    }

    #[test]
    fn segments_on_a_baseline_make_a_line_and_page_numbers_go() {
        let (lines, dropped) = lines(vec![
            seg(0, 40.0, 50.0, "乙"),
            seg(0, 10.0, 50.2, "甲"),
            seg(0, 50.0, 280.0, "— 1 —"),
            seg(0, 10.0, 60.0, "丙"),
        ]);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!((texts, dropped), (vec!["甲 乙", "丙"], 1));
    }
}
