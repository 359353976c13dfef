//! How each target stands, relative to a reference date.
//!
//! A target whose period has ended is **met** or **missed** by its comparator.
//! A running target is judged by pace (Statistics Canada; Open SDG): the observed
//! compound annual growth rate since the baseline against the rate needed to reach
//! the target by the end of its period, R = observed / required. Both rates carry
//! their sign, so a lower-is-better indicator that falls as planned has R > 0.
//! Where a value is zero or negative, compound growth is undefined and the rates
//! are linear (change per year) instead. Every input and the result are kept in
//! `Assessment` so that anyone can redo the sum.

use chrono::NaiveDate;
use serde::Serialize;

use crate::progress::data::{Direction, Indicator, Point, Target};
use crate::progress::period::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Achieved,
    OnTrack,
    NeedsAcceleration,
    LimitedProgress,
    MovingAway,
    Missed,
    NoData,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Met,
        Status::Achieved,
        Status::OnTrack,
        Status::NeedsAcceleration,
        Status::LimitedProgress,
        Status::MovingAway,
        Status::Missed,
        Status::NoData,
    ];

    /// Stable key used in URLs and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Achieved => "achieved",
            Status::OnTrack => "on_track",
            Status::NeedsAcceleration => "needs_acceleration",
            Status::LimitedProgress => "limited_progress",
            Status::MovingAway => "moving_away",
            Status::Missed => "missed",
            Status::NoData => "no_data",
        }
    }

    /// Status in words, so that it never depends on colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "已完成（期满达标）",
            Status::Achieved => "已提前达到",
            Status::OnTrack => "进度正常",
            Status::NeedsAcceleration => "有进展，需加快",
            Status::LimitedProgress => "进展有限",
            Status::MovingAway => "偏离目标",
            Status::Missed => "未完成（期满未达标）",
            Status::NoData => "数据不足",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The period has ended: the value for it is compared with the target.
    Final,
    /// The period is running: growth rates are compared.
    Pace,
    /// Nothing could be computed.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateKind {
    /// Compound annual growth rate: (latest / baseline)^(1/years) − 1.
    Compound,
    /// Change per year: (latest − baseline) / years.
    Linear,
}

/// A value and the period it measures, as used in a calculation.
#[derive(Debug, Clone, Serialize)]
pub struct Used {
    pub period: String,
    pub value: f64,
    /// As the data file wrote it.
    #[serde(skip)]
    pub written: String,
}

impl From<&Point> for Used {
    fn from(p: &Point) -> Used {
        Used { period: p.period.label.clone(), value: p.value, written: p.written.clone() }
    }
}

/// The result of judging one target, with its inputs.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub status: Status,
    pub method: Method,
    pub target_value: f64,
    pub target_period: Option<String>,
    pub baseline: Option<Used>,
    pub latest: Option<Used>,
    pub years_elapsed: Option<f64>,
    pub years_to_target: Option<f64>,
    pub rate_kind: Option<RateKind>,
    pub observed_rate: Option<f64>,
    pub required_rate: Option<f64>,
    /// R = observed / required.
    pub ratio: Option<f64>,
    /// Share of the way from baseline to target, (latest − baseline) / (target − baseline).
    pub progress: Option<f64>,
    /// The calculation in words (Chinese), shown on request on the page.
    pub explanation: String,
}

/// Values known by the end of `reference`: reported by then, or (with no report
/// date) measuring a period that had ended by then.
pub fn known_by(ind: &Indicator, reference: NaiveDate) -> Vec<&Point> {
    let known = |p: &&Point| match p.reported {
        Some(d) => d.0 <= reference,
        None => p.period.end <= reference,
    };
    ind.actuals
        .iter()
        .filter_map(|p| {
            if known(&p) {
                return Some(p);
            }
            // Corrected later than the date: the value known then is the latest
            // earlier report for the period.
            ind.corrected.iter().filter(|c| c.period == p.period).filter(known).max_by_key(|c| c.reported)
        })
        .collect()
}

pub fn assess(ind: &Indicator, target: &Target, reference: NaiveDate) -> Assessment {
    let known = known_by(ind, reference);
    let mut a = Assessment {
        status: Status::NoData,
        method: Method::None,
        target_value: target.value,
        target_period: target.period.as_ref().map(|p| p.label.clone()),
        baseline: None,
        latest: None,
        years_elapsed: None,
        years_to_target: None,
        rate_kind: None,
        observed_rate: None,
        required_rate: None,
        ratio: None,
        progress: None,
        explanation: String::new(),
    };
    let goal = format!("{}{}{}", target.comparator.symbol(), fmt(target.value), ind.unit);
    if let Some(period) = target.period.as_ref().filter(|p| p.ended_by(reference)) {
        ended(&mut a, ind, target, period, &known, &goal);
        return a;
    }
    let Some(latest) = known.last().copied() else {
        a.explanation = "尚无实际值。".into();
        return a;
    };
    a.latest = Some(latest.into());
    if target.comparator.holds(latest.value, target.value) {
        a.status = Status::Achieved;
        a.method = Method::Pace;
        a.progress = Some(1.0);
        a.explanation =
            format!("最新实际值（{}）{}{}已达到目标{}。", latest.period.label, fmt(latest.value), ind.unit, goal);
        return a;
    }
    let Some(period) = &target.period else {
        a.explanation = "目标未规定期限，无法按进度评估；尚未达到目标。".into();
        return a;
    };
    // The baseline: the stated one if it is earlier than the latest value, else the
    // earliest value known.
    let baseline: Option<&Point> = ind
        .baseline
        .as_ref()
        .filter(|b| b.period < latest.period)
        .or_else(|| known.first().copied().filter(|f| f.period < latest.period));
    match baseline {
        Some(base) => pace(&mut a, ind, target, period, base, latest, &goal),
        None => a.explanation = "只有一个数据点，至少需要基线和一个后续实际值才能评估进度。".into(),
    }
    a
}

/// A target whose period has ended: met or missed by the value for its period,
/// else the last one measured within it.
fn ended(a: &mut Assessment, ind: &Indicator, target: &Target, period: &Period, known: &[&Point], goal: &str) {
    a.method = Method::Final;
    let value = known
        .iter()
        .rev()
        .find(|p| p.period.start == period.start && p.period.end == period.end)
        .or_else(|| known.iter().rev().find(|p| p.period.end <= period.end && p.period.end >= period.start));
    let Some(p) = value else {
        a.explanation = format!("期限{}已过，但没有该期的实际值。", period.label);
        return;
    };
    a.latest = Some((*p).into());
    let ok = target.comparator.holds(p.value, target.value);
    a.status = if ok { Status::Met } else { Status::Missed };
    a.explanation = format!(
        "期限{}已过：{}的实际值{}{}，目标{}，{}。",
        period.label,
        p.period.label,
        fmt(p.value),
        ind.unit,
        goal,
        if ok { "达标" } else { "未达标" }
    );
}

/// A running target judged by pace: observed against required growth since `base`.
fn pace(
    a: &mut Assessment,
    ind: &Indicator,
    target: &Target,
    period: &Period,
    base: &Point,
    latest: &Point,
    goal: &str,
) {
    a.baseline = Some(base.into());
    a.method = Method::Pace;
    let elapsed = base.period.years_until(&latest.period);
    let needed = base.period.years_until(period);
    a.years_elapsed = Some(round(elapsed));
    a.years_to_target = Some(round(needed));
    if elapsed <= 0.0 || needed <= 0.0 {
        a.method = Method::None;
        a.explanation = "基线期不早于目标期限，无法计算增长率。".into();
        return;
    }
    let compound = base.value > 0.0 && latest.value > 0.0 && target.value > 0.0;
    let (observed, required) = if compound {
        ((latest.value / base.value).powf(1.0 / elapsed) - 1.0, (target.value / base.value).powf(1.0 / needed) - 1.0)
    } else {
        ((latest.value - base.value) / elapsed, (target.value - base.value) / needed)
    };
    a.rate_kind = Some(if compound { RateKind::Compound } else { RateKind::Linear });
    a.observed_rate = Some(round(observed));
    a.required_rate = Some(round(required));
    if target.value != base.value {
        a.progress = Some(round((latest.value - base.value) / (target.value - base.value)));
    }
    let ratio = if required.abs() < 1e-12 {
        // The target equals the baseline: only the direction of travel counts.
        if better_or_equal(ind.direction, latest.value, base.value) { 1.0 } else { -1.0 }
    } else {
        observed / required
    };
    a.ratio = Some(round(ratio));
    a.status = match ratio {
        r if r >= 0.95 => Status::OnTrack,
        r if r >= 0.60 => Status::NeedsAcceleration,
        r if r >= 0.0 => Status::LimitedProgress,
        _ => Status::MovingAway,
    };
    let rate_name = if compound { "年均复合增长率" } else { "年均变化量" };
    a.explanation = format!(
        "基线{} {}{}，最新{} {}{}，经过{:.2}年；目标{}（{}），距基线{:.2}年。实际{} {}，所需{} {}，R = {:.3}。",
        base.period.label,
        fmt(base.value),
        ind.unit,
        latest.period.label,
        fmt(latest.value),
        ind.unit,
        elapsed,
        goal,
        period.label,
        needed,
        rate_name,
        fmt_rate(observed, compound),
        rate_name,
        fmt_rate(required, compound),
        ratio
    );
}

fn better_or_equal(direction: Direction, latest: f64, base: f64) -> bool {
    match direction {
        Direction::Higher => latest >= base,
        Direction::Lower => latest <= base,
        Direction::Exact => (latest - base).abs() < 1e-9,
    }
}

/// The target that stands for the indicator now: the first whose period has not
/// ended (or has none), else the last one.
pub fn current_target(ind: &Indicator, reference: NaiveDate) -> Option<usize> {
    ind.targets
        .iter()
        .position(|t| t.period.as_ref().is_none_or(|p: &Period| !p.ended_by(reference)))
        .or_else(|| ind.targets.len().checked_sub(1))
}

fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A number as people write it: no trailing zeros.
pub fn fmt(x: f64) -> String {
    let s = format!("{:.4}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

/// A reported value as its data file wrote it, with the unit when the text lacks
/// it; a value without its text (made in code) is formatted.
pub fn as_written(written: &str, value: f64, unit: &str) -> String {
    match written {
        "" => format!("{}{unit}", fmt(value)),
        w if unit.is_empty() || w.contains(unit) => w.to_owned(),
        w => format!("{w}{unit}"),
    }
}

fn fmt_rate(x: f64, compound: bool) -> String {
    if compound { format!("{}%", fmt(x * 100.0)) } else { fmt(x) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::data::{Comparator, Direction, Indicator, Point, Target};

    fn point(period: &str, value: f64) -> Point {
        Point {
            period: Period::parse(period).unwrap(),
            value,
            reported: None,
            source: None,
            sample: false,
            approximate: false,
            written: value.to_string(),
        }
    }

    fn target(period: &str, c: Comparator, value: f64) -> Target {
        Target { period: Some(Period::parse(period).unwrap()), comparator: c, value, text: None }
    }

    fn indicator(
        direction: Direction,
        baseline: Option<Point>,
        actuals: Vec<Point>,
        targets: Vec<Target>,
    ) -> Indicator {
        Indicator {
            id: "x".into(),
            name: "x".into(),
            group: None,
            unit: "%".into(),
            direction,
            baseline,
            targets,
            actuals,
            corrected: Vec::new(),
            file: "progress.yaml".into(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// docs/clerk.md worked example 1: 高考一本上线率 30%/32%/34% in 2018/2019/2020,
    /// baseline 26% in 2017, actuals 29% (2018) and 31% (2019), judged on 2020-06-30.
    #[test]
    fn yearly_steps_each_judged_on_their_own() {
        let ind = indicator(
            Direction::Higher,
            Some(point("2017", 26.0)),
            vec![point("2018", 29.0), point("2019", 31.0)],
            vec![
                target("2018", Comparator::AtLeast, 30.0),
                target("2019", Comparator::AtLeast, 32.0),
                target("2020", Comparator::AtLeast, 34.0),
            ],
        );
        let r = day("2020-06-30");
        assert_eq!(assess(&ind, &ind.targets[0], r).status, Status::Missed);
        assert_eq!(assess(&ind, &ind.targets[1], r).status, Status::Missed);
        let a = assess(&ind, &ind.targets[2], r);
        // observed (31/26)^(1/2) − 1 = 9.19 %; required (34/26)^(1/3) − 1 = 9.35 %; R = 0.982
        assert_eq!(a.method, Method::Pace);
        assert_eq!(a.rate_kind, Some(RateKind::Compound));
        assert!((a.observed_rate.unwrap() - 0.091924).abs() < 1e-4, "{a:?}");
        assert!((a.required_rate.unwrap() - 0.093514).abs() < 1e-4, "{a:?}");
        assert!((a.ratio.unwrap() - 0.983).abs() < 2e-3, "{a:?}");
        assert_eq!(a.status, Status::OnTrack);
        assert_eq!(current_target(&ind, r), Some(2));
    }

    /// Worked example 2, lower is better: 初中年辍学率 ≤1% by the 2019-2020 school
    /// year; baseline 1.8% (2016-2017学年), 1.5% in 2017-2018学年, judged 2019-01-01.
    #[test]
    fn lower_is_better_with_school_years() {
        let ind = indicator(
            Direction::Lower,
            Some(point("2016-2017学年", 1.8)),
            vec![point("2017-2018学年", 1.5)],
            vec![target("2019-2020学年", Comparator::AtMost, 1.0)],
        );
        let a = assess(&ind, &ind.targets[0], day("2019-01-01"));
        // observed (1.5/1.8)^(1/1) − 1 = −16.67 %; required (1.0/1.8)^(1/3) − 1 = −17.78 %; R = 0.937
        assert!((a.ratio.unwrap() - 0.9375).abs() < 2e-3, "{a:?}");
        assert_eq!(a.status, Status::NeedsAcceleration);
        // Rising drop-out rates move away from the target.
        let worse = indicator(
            Direction::Lower,
            Some(point("2016-2017学年", 1.8)),
            vec![point("2017-2018学年", 2.0)],
            ind.targets.clone(),
        );
        assert_eq!(assess(&worse, &worse.targets[0], day("2019-01-01")).status, Status::MovingAway);
        // After the school year ends, the value for it decides.
        let done = indicator(Direction::Lower, None, vec![point("2019-2020学年", 0.9)], ind.targets.clone());
        assert_eq!(assess(&done, &done.targets[0], day("2020-09-01")).status, Status::Met);
    }

    #[test]
    fn achieved_no_data_and_limited_progress() {
        let t = vec![target("2020", Comparator::AtLeast, 100.0)];
        let ind = indicator(Direction::Higher, None, vec![point("2018", 50.0), point("2019", 100.0)], t.clone());
        assert_eq!(assess(&ind, &ind.targets[0], day("2020-03-01")).status, Status::Achieved);
        let one = indicator(Direction::Higher, None, vec![point("2018", 50.0)], t.clone());
        assert_eq!(assess(&one, &one.targets[0], day("2020-03-01")).status, Status::NoData);
        let none = indicator(Direction::Higher, None, vec![], t.clone());
        assert_eq!(assess(&none, &none.targets[0], day("2020-03-01")).status, Status::NoData);
        let slow = indicator(Direction::Higher, Some(point("2017", 50.0)), vec![point("2019", 55.0)], t.clone());
        let a = assess(&slow, &slow.targets[0], day("2020-03-01"));
        assert_eq!(a.status, Status::LimitedProgress, "{a:?}");
        // A value reported after the reference date is not yet known.
        let mut late = indicator(Direction::Higher, Some(point("2017", 50.0)), vec![point("2019", 100.0)], t);
        late.actuals[0].reported = Some(crate::schema::Date(day("2020-05-01")));
        assert_eq!(assess(&late, &late.targets[0], day("2020-03-01")).status, Status::NoData);
        assert_eq!(assess(&late, &late.targets[0], day("2020-06-01")).status, Status::Achieved);
    }

    #[test]
    fn zero_baseline_uses_linear_rates() {
        let ind = indicator(
            Direction::Higher,
            Some(point("2018", 0.0)),
            vec![point("2019", 100.0)],
            vec![target("2020", Comparator::AtLeast, 360.0)],
        );
        let a = assess(&ind, &ind.targets[0], day("2020-01-15"));
        assert_eq!(a.rate_kind, Some(RateKind::Linear));
        // observed 100/yr, required 180/yr, R = 0.556
        assert!((a.ratio.unwrap() - 0.5556).abs() < 2e-3, "{a:?}");
        assert_eq!(a.status, Status::LimitedProgress);
    }
}
