//! Progress of plans: indicators, targets and reported values from data files
//! attached to notices, and the status of every target.

pub mod data;
pub mod period;
pub mod status;

use chrono::NaiveDate;
use serde::Serialize;

use data::{Indicator, ProgressData};
use status::{Assessment, Status, assess, current_target};

/// Every target of one indicator judged, and which target stands for it now.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorReport {
    pub assessments: Vec<Assessment>,
    /// Index into the indicator's targets.
    pub current: Option<usize>,
}

impl IndicatorReport {
    /// The indicator's status: that of its current target.
    pub fn status(&self) -> Status {
        self.current.and_then(|i| self.assessments.get(i)).map_or(Status::NoData, |a| a.status)
    }
}

pub fn evaluate_indicator(ind: &Indicator, reference: NaiveDate) -> IndicatorReport {
    IndicatorReport {
        assessments: ind.targets.iter().map(|t| assess(ind, t, reference)).collect(),
        current: current_target(ind, reference),
    }
}

pub fn evaluate(data: &ProgressData, reference: NaiveDate) -> Vec<IndicatorReport> {
    data.indicators.iter().map(|i| evaluate_indicator(i, reference)).collect()
}
