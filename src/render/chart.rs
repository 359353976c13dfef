//! A small inline SVG line chart per indicator: reported values as a line, targets
//! as marks, with a text alternative (title and description) listing every value.

use std::fmt::Write;

use super::ui::Ui;
use crate::progress::data::{Indicator, Point};
use crate::progress::period::Period;
use crate::progress::status::{as_written, fmt};
use crate::text::escape;

/// Size and margins of the drawing, in SVG units: as wide as a phone's column, so
/// that its 13-unit labels are about 13 px there.
const W: f64 = 320.0;
const H: f64 = 180.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 28.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;

/// Where periods and values go on the drawing.
struct Scale<'a> {
    periods: Vec<&'a Period>,
    lo: f64,
    hi: f64,
    /// The distance between value labels: 1, 2, 2.5 or 5 times a power of ten.
    step: f64,
}

/// A round step that cuts `range` into about four: 0/25/50/75/100, not 0/104.5/209.
fn round_step(range: f64) -> f64 {
    let rough = range / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= rough).unwrap_or(10.0 * power)
}

impl<'a> Scale<'a> {
    /// Periods of every point and target in order; values from the lowest to the
    /// highest with a margin, widened to round steps; a percentage never past 100.
    fn of(ind: &'a Indicator, points: &[&'a Point]) -> Option<Scale<'a>> {
        let mut periods: Vec<&Period> =
            points.iter().map(|p| &p.period).chain(ind.targets.iter().filter_map(|t| t.period.as_ref())).collect();
        periods.sort();
        periods.dedup_by(|a, b| a.start == b.start && a.end == b.end);
        if periods.is_empty() {
            return None;
        }
        let values = points.iter().map(|p| p.value).chain(ind.targets.iter().map(|t| t.value));
        let (mut lo, mut hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        // A percentage whose values are all within 100 % never runs past it.
        let ceiling = if ind.unit == "%" && hi <= 100.0 { 100.0 } else { f64::INFINITY };
        if (hi - lo).abs() < 1e-9 {
            // A single value: show it in the middle of a range from zero.
            let v = hi;
            (lo, hi) = if v > 0.0 {
                (0.0, v * 2.0)
            } else if v < 0.0 {
                (v * 2.0, 0.0)
            } else {
                (0.0, 1.0)
            };
        }
        let pad = (hi - lo) * 0.1;
        let (lo, hi) = (if lo >= 0.0 { (lo - pad).max(0.0) } else { lo - pad }, (hi + pad).min(ceiling));
        let step = round_step(hi - lo);
        Some(Scale { periods, lo: (lo / step).floor() * step, hi: ((hi / step).ceil() * step).min(ceiling), step })
    }

    /// The value labels, lowest first.
    fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=n).map(|k| self.lo + k as f64 * self.step).filter(|v| *v <= self.hi + 1e-9).collect()
    }

    fn x(&self, p: &Period) -> f64 {
        let i = self.periods.iter().position(|q| q.start == p.start && q.end == p.end).unwrap_or(0) as f64;
        let n = (self.periods.len().max(2) - 1) as f64;
        LEFT + (W - LEFT - RIGHT) * if self.periods.len() == 1 { 0.5 } else { i / n }
    }

    fn y(&self, v: f64) -> f64 {
        TOP + (H - TOP - BOTTOM) * (1.0 - (v - self.lo) / (self.hi - self.lo))
    }
}

/// The chart of one indicator; with no reported value, a sentence saying so
/// instead (a chart of targets alone says nothing of progress).
pub fn chart(ind: &Indicator, known: &[&Point], status_label: &str, ui: Ui) -> String {
    let points: Vec<&Point> = ind.baseline.iter().chain(known.iter().copied()).collect();
    if points.is_empty() {
        return format!(
            "<p class=\"no-data\">{}{}</p>",
            ui.t("尚无实际数据，暂无图表。"),
            escape(&description(ind, &points, status_label, ui))
        );
    }
    let Some(scale) = Scale::of(ind, &points) else { return String::new() };
    let id = format!("chart-{}", ind.id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>());
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(&ind.name),
        escape(&description(ind, &points, status_label, ui))
    );
    axes(&mut s, &scale);
    marks(&mut s, &scale, ind, &points);
    let _ = write!(s, "<text class=\"legend\" x=\"{LEFT}\" y=\"{}\">{}</text>", H - 4.0, ui.t("— 实际值　▬ 目标值"));
    s.push_str("</svg>");
    s
}

/// The chart in words: every target and value, and the status.
fn description(ind: &Indicator, points: &[&Point], status_label: &str, ui: Ui) -> String {
    let mut desc = format!("{}（{}）。", ind.name, ui.t(ind.direction.label()));
    let (target, actual, status) = (ui.t("目标："), ui.t("实际："), ui.t("状态："));
    for t in &ind.targets {
        let _ = write!(
            desc,
            "{target}{}{}{}{}；",
            t.period.as_ref().map_or("", |p| p.label.as_str()),
            t.comparator.symbol(),
            fmt(t.value),
            ind.unit
        );
    }
    for p in points {
        let _ = write!(desc, "{actual}{} {}；", p.period.label, as_written(&p.written, p.value, &ind.unit));
    }
    let _ = write!(desc, "{status}{status_label}。");
    desc
}

/// The time axis, value labels and period labels.
fn axes(s: &mut String, scale: &Scale) {
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM
    );
    for v in scale.ticks() {
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 4.0,
            scale.y(v) + 4.0,
            escape(&fmt((v * 100.0).round() / 100.0))
        );
    }
    for p in &scale.periods {
        let label = p.label.replace("学年度", "").replace("学年", "");
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            scale.x(p),
            H - BOTTOM + 17.0,
            escape(&label)
        );
    }
}

/// Targets as short bars at their value; reported values as a line with points.
fn marks(s: &mut String, scale: &Scale, ind: &Indicator, points: &[&Point]) {
    for t in &ind.targets {
        if let Some(p) = &t.period {
            let (x, y) = (scale.x(p), scale.y(t.value));
            let _ = write!(
                s,
                "<line class=\"target\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>",
                x - 9.0,
                x + 9.0
            );
        }
    }
    let pts: Vec<(f64, f64)> = points.iter().map(|p| (scale.x(&p.period), scale.y(p.value))).collect();
    if pts.len() > 1 {
        let path: Vec<String> = pts.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
        let _ = write!(s, "<polyline class=\"actual\" points=\"{}\"/>", path.join(" "));
    }
    for (a, b) in &pts {
        let _ = write!(s, "<circle class=\"actual\" cx=\"{a:.1}\" cy=\"{b:.1}\" r=\"3\"/>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_labels_are_round() {
        assert_eq!(round_step(209.0), 100.0);
        assert_eq!(round_step(100.0), 25.0);
        assert_eq!(round_step(8.0), 2.0);
        assert_eq!(round_step(0.9), 0.25);
        let periods = Vec::new();
        let s = Scale { periods, lo: 0.0, hi: 100.0, step: 25.0 };
        assert_eq!(s.ticks(), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
    }
}
