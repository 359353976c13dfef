//! Reading one target, reported value or milestone, whichever file format it came
//! from: periods, dates, numbers and words checked, each problem reported at its row.

use super::{Comparator, FileCtx, Loc, Milestone, MilestoneState, Point, Target, ValueRead, read_value};
use crate::progress::period::{PERIOD_FORMS, Period, PeriodError};
use crate::schema::Date;

impl FileCtx<'_> {
    pub(super) fn period(&mut self, loc: &Loc, text: &str) -> Option<Period> {
        match Period::parse(text) {
            Ok(p) => Some(p),
            Err(PeriodError::UnknownForm) => {
                self.error(loc, "unknown period form".into(), text, PERIOD_FORMS);
                None
            }
            Err(PeriodError::Impossible(why)) => {
                self.error(loc, format!("impossible period: {why}"), text, PERIOD_FORMS);
                None
            }
        }
    }

    pub(super) fn date(&mut self, loc: &Loc, text: &str) -> Option<Date> {
        match Date::parse(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(loc, e.message, text, &e.expected);
                None
            }
        }
    }

    /// Read a number as plans and spreadsheets write it. `Ok(None)` is "no data".
    pub(super) fn value(&mut self, loc: &Loc, text: &str, unit: Option<&str>) -> Result<Option<(f64, bool)>, ()> {
        match read_value(text, unit) {
            ValueRead::Number(v) => Ok(Some((v, false))),
            ValueRead::Approximate(v) => {
                self.warning(
                    loc,
                    format!("approximate value read as {v}"),
                    text,
                    "an exact number; 约/大约 is dropped",
                );
                Ok(Some((v, true)))
            }
            ValueRead::NoData => Ok(None),
            ValueRead::OtherUnit(u) => {
                let expected = format!("values in the indicator's unit {}", unit.unwrap_or("(none)"));
                self.error(loc, format!("mixed units: value in {u}"), text, &expected);
                Err(())
            }
            ValueRead::OutOfRange => {
                self.error(
                    loc,
                    "number out of range".into(),
                    text,
                    "a value a plan's table can mean: written out (no exponent), at most 15 significant digits, between 0.000001 and 1,000,000,000,000 in size (or 0)",
                );
                Err(())
            }
            ValueRead::NotANumber => {
                self.error(
                    loc,
                    "not a number".into(),
                    text,
                    "a number such as 95 or 95%; 待定, — or an empty cell for no data",
                );
                Err(())
            }
        }
    }
}

/// A reported value (or a baseline) as written.
pub(super) struct PointFields {
    pub period: String,
    pub value: String,
    pub reported: Option<String>,
    pub source: Option<String>,
    pub sample: bool,
}

pub(super) fn point(ctx: &mut FileCtx, loc: &Loc, p: PointFields, unit: &str) -> Option<Point> {
    let period = ctx.period(loc, &p.period)?;
    let (value, approximate) = ctx.value(loc, &p.value, Some(unit)).ok()??;
    let reported = match &p.reported {
        Some(r) => Some(ctx.date(loc, r)?),
        None => None,
    };
    let written = p.value.trim().to_owned();
    Some(Point { period, value, reported, source: p.source, sample: p.sample, approximate, written })
}

/// A target as written.
pub(super) struct TargetFields {
    pub period: Option<String>,
    pub comparator: Option<String>,
    pub value: String,
    pub text: Option<String>,
}

/// Where each part of a target row is, for diagnostics.
pub(super) struct TargetLocs {
    pub period: Loc,
    pub comparator: Loc,
    pub value: Loc,
}

impl TargetLocs {
    pub fn same(loc: &Loc) -> TargetLocs {
        TargetLocs { period: loc.clone(), comparator: loc.clone(), value: loc.clone() }
    }
}

pub(super) fn target(ctx: &mut FileCtx, locs: &TargetLocs, t: TargetFields, unit: &str) -> Option<Target> {
    let period = match t.period.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => Some(ctx.period(&locs.period, p)?),
        _ => None,
    };
    let comparator = comparator(ctx, &locs.comparator, t.comparator.as_deref())?;
    let loc = &locs.value;
    match ctx.value(loc, &t.value, Some(unit)) {
        Ok(Some((value, _))) => Some(Target { period, comparator, value, text: t.text }),
        Ok(None) => {
            ctx.error(loc, "target has no value".into(), &t.value, "the number the plan sets, e.g. 95");
            None
        }
        Err(()) => None,
    }
}

/// A target whose unit is checked once its indicator is known (CSV rows come
/// before or after the indicator's file); also returns the unit written in the value.
pub(super) fn target_unchecked(
    ctx: &mut FileCtx,
    locs: &TargetLocs,
    t: TargetFields,
) -> Option<(Target, Option<String>)> {
    let unit = match read_value(&t.value, None) {
        ValueRead::OtherUnit(u) => Some(u),
        _ => None,
    };
    target(ctx, locs, t, unit.as_deref().unwrap_or("")).map(|target| (target, unit))
}

fn comparator(ctx: &mut FileCtx, loc: &Loc, text: Option<&str>) -> Option<Comparator> {
    match text {
        None => Some(Comparator::AtLeast),
        Some(c) => Comparator::parse(c).or_else(|| {
            ctx.error(loc, "comparator not understood".into(), c, "≥ (以上, >=), ≤ (以下, <=) or =");
            None
        }),
    }
}

/// A milestone as written.
pub(super) struct MilestoneFields {
    pub task: String,
    pub lead: Option<String>,
    pub co: Vec<String>,
    pub phase: Option<String>,
    pub period: Option<String>,
    pub due: Option<String>,
    pub state: Option<String>,
    pub completed: Option<String>,
    pub sample: bool,
}

pub(super) fn milestone(ctx: &mut FileCtx, loc: &Loc, m: MilestoneFields) -> Option<Milestone> {
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let period = match nonempty(m.period) {
        Some(p) => Some(ctx.period(loc, &p)?),
        None => None,
    };
    let due = match nonempty(m.due) {
        Some(d) => Some(ctx.date(loc, &d)?),
        None => None,
    };
    let completed = match nonempty(m.completed) {
        Some(d) => Some(ctx.date(loc, &d)?),
        None => None,
    };
    let state_text = m.state.unwrap_or_default();
    let Some(state) = MilestoneState::parse(&state_text) else {
        ctx.error(
            loc,
            "unknown milestone state".into(),
            &state_text,
            "done (已完成), in_progress (进行中), not_started (未开始) or unknown",
        );
        return None;
    };
    Some(Milestone {
        task: m.task,
        lead: nonempty(m.lead),
        co: m.co,
        phase: nonempty(m.phase),
        period,
        due,
        state,
        completed,
        sample: m.sample,
    })
}

/// A list written in one cell: 各学校、各幼儿园 or a;b.
pub(super) fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ';', '；', '|']).map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect()
}

/// `sample` as spreadsheets write yes.
pub(super) fn is_yes(s: &str) -> bool {
    matches!(s, "true" | "yes" | "是" | "1" | "示例")
}
