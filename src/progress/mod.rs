//! Progress of plans: indicators, targets and reported values from data files
//! attached to notices, and the status of every target.

pub mod data;
pub mod period;
pub mod status;
