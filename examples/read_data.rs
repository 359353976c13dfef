//! Reads a notice's progress data files — YAML, CSV or workbooks — with gongkai's
//! reader (`progress::data::load`, as a build does) and prints what they hold, or
//! the diagnostics. For bench/read_sheet.sh, which times it.
//!
//!     cargo run --release --example read_data -- FILE...

use std::path::PathBuf;
use std::process::ExitCode;

use gongkai::progress::data::{self, DataFile};

fn main() -> ExitCode {
    let files: Vec<DataFile> = std::env::args()
        .skip(1)
        .map(|f| {
            let path = PathBuf::from(&f);
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            DataFile { name, path: path.clone(), display: path }
        })
        .collect();
    let (data, diags) = data::load(&files);
    for d in &diags {
        eprintln!("{d}");
    }
    match data {
        Some(p) => {
            let values: usize = p.indicators.iter().map(|i| i.actuals.len()).sum();
            let targets: usize = p.indicators.iter().map(|i| i.targets.len()).sum();
            println!(
                "{} indicators, {targets} targets, {values} reported values, {} milestones",
                p.indicators.len(),
                p.milestones.len()
            );
            ExitCode::SUCCESS
        }
        None => ExitCode::from(1),
    }
}
