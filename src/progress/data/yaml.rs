//! A data file in YAML: one file holds indicators (with baseline, targets and
//! reported values) and milestones.

use serde::Deserialize;
use serde_yaml::Value;

use super::rows::{self, MilestoneFields, PointFields, TargetFields, TargetLocs};
use super::{Direction, FileCtx, Indicator, Loc, Parts, Row};
use crate::content::frontmatter::scalar_text;
use crate::diagnostics::strip_location;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    sample: bool,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
    #[serde(default)]
    milestones: Vec<RawMilestone>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: Value,
    name: String,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    baseline: Option<RawPoint>,
    #[serde(default)]
    targets: Vec<RawTarget>,
    #[serde(default)]
    actuals: Vec<RawPoint>,
    /// Accepted for the editor's benefit; not shown.
    #[serde(default, rename = "note")]
    _note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    period: Value,
    value: Value,
    #[serde(default)]
    reported: Option<Value>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    sample: Option<bool>,
}

impl RawPoint {
    fn fields(self, default_sample: bool) -> PointFields {
        PointFields {
            period: text_of(&self.period),
            value: text_of(&self.value),
            reported: self.reported.as_ref().map(text_of),
            source: self.source,
            sample: self.sample.unwrap_or(default_sample),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    #[serde(default)]
    period: Option<Value>,
    #[serde(default)]
    comparator: Option<Value>,
    value: Value,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    task: String,
    #[serde(default)]
    lead: Option<String>,
    #[serde(default)]
    co: Option<Value>,
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    period: Option<Value>,
    #[serde(default)]
    due: Option<Value>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    completed: Option<Value>,
    #[serde(default)]
    sample: Option<bool>,
}

fn text_of(v: &Value) -> String {
    scalar_text(v).unwrap_or_default()
}

impl FileCtx<'_> {
    /// serde_yaml keeps no positions below the document, so values are found again
    /// in the text: the first line at or after `from` that holds `needle`.
    fn find_line(&self, from: usize, needle: &str) -> usize {
        let from = from.max(1);
        (from..)
            .map_while(|k| self.lines.line(k).map(|l| (k, l)))
            .find(|(_, l)| l.contains(needle))
            .map_or(from, |(k, _)| k)
    }
}

pub(super) fn parse(ctx: &mut FileCtx, rel: &str, parts: &mut Parts) {
    let raw: RawFile = match serde_yaml::from_str(ctx.text) {
        Ok(r) => r,
        Err(e) => {
            let mut loc = Loc::line(e.location().map_or(1, |l| l.line()), "yaml");
            loc.col_no = e.location().map(|l| l.column());
            let msg = strip_location(&e.to_string()).to_owned();
            ctx.error(
                &loc,
                format!("invalid data file: {msg}"),
                "",
                "the format described in docs/clerk.md (indicators:, milestones:)",
            );
            return;
        }
    };
    for ind in raw.indicators {
        indicator(ctx, rel, ind, raw.sample, parts);
    }
    for m in raw.milestones {
        let loc = Loc::line(ctx.find_line(1, &m.task), "milestones");
        let co = match &m.co {
            Some(Value::Sequence(s)) => s.iter().map(text_of).collect(),
            Some(v) => rows::split_list(&text_of(v)),
            None => Vec::new(),
        };
        let fields = MilestoneFields {
            task: m.task,
            lead: m.lead,
            co,
            phase: m.phase,
            period: m.period.as_ref().map(text_of),
            due: m.due.as_ref().map(text_of),
            state: m.state,
            completed: m.completed.as_ref().map(text_of),
            sample: m.sample.unwrap_or(raw.sample),
        };
        if let Some(ms) = rows::milestone(ctx, &loc, fields) {
            parts.milestones.push(ms);
        }
    }
}

fn indicator(ctx: &mut FileCtx, rel: &str, ind: RawIndicator, sample: bool, parts: &mut Parts) {
    let id = text_of(&ind.id);
    let line = ctx.find_line(1, &format!("id: {id}"));
    let unit = ind.unit.clone().unwrap_or_default();
    let direction = match ind.direction.as_deref() {
        None => Direction::Higher,
        Some(d) => Direction::parse(d).unwrap_or_else(|| {
            let loc = Loc::line(ctx.find_line(line, &format!("direction: {d}")), "direction");
            ctx.error(&loc, "unknown direction".into(), d, "higher (越高越好), lower (越低越好) or exact");
            Direction::Higher
        }),
    };
    let baseline = ind.baseline.and_then(|b| {
        let loc = Loc::line(ctx.find_line(line, "baseline"), "baseline");
        rows::point(ctx, &loc, b.fields(sample), &unit)
    });
    let indicator = Indicator {
        id: id.clone(),
        name: ind.name,
        group: ind.group,
        unit: unit.clone(),
        direction,
        baseline,
        targets: Vec::new(),
        actuals: Vec::new(),
        corrected: Vec::new(),
        file: rel.to_owned(),
    };
    let (loc, file) = (Loc::line(line, "id"), ctx.display.clone());
    parts.indicators.push(Row { indicator: id.clone(), item: indicator, loc, file, unit: None, id_loc: None });
    // Values are searched for below their own list's key, in order.
    let mut cursor = ctx.find_line(line, "targets:");
    for t in ind.targets {
        let needle = t.period.as_ref().map(text_of).unwrap_or_else(|| text_of(&t.value));
        cursor = ctx.find_line(cursor, &needle);
        let loc = Loc::line(cursor, "targets");
        cursor += 1;
        let fields = TargetFields {
            period: t.period.as_ref().map(text_of),
            comparator: t.comparator.as_ref().map(text_of),
            value: text_of(&t.value),
            text: t.text,
        };
        if let Some(target) = rows::target(ctx, &TargetLocs::same(&loc), fields, &unit) {
            let file = ctx.display.clone();
            parts.targets.push(Row { indicator: id.clone(), item: target, loc, file, unit: None, id_loc: None });
        }
    }
    let mut cursor = ctx.find_line(line, "actuals:");
    for a in ind.actuals {
        cursor = ctx.find_line(cursor, &text_of(&a.period));
        let loc = Loc::line(cursor, "actuals");
        cursor += 1;
        if let Some(p) = rows::point(ctx, &loc, a.fields(sample), &unit) {
            let file = ctx.display.clone();
            parts.actuals.push(Row { indicator: id.clone(), item: p, loc, file, unit: None, id_loc: None });
        }
    }
}
