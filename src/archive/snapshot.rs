//! `gongkai snapshot`: the site as of a date, built and packaged as a BagIt bag,
//! alone or added to an archive folder of snapshots.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::archive::{BagInfo, BagSummary, add_to_archive, git_commit, write_bag};
use crate::build::{BuildOptions, build};
use crate::pipeline::{self, Failure, reference_date};

pub enum Target {
    /// A single bag at this folder (must not exist or be empty).
    Bag(PathBuf),
    /// Add the bag as `<archive>/<as-of date>/` and refresh the archive's index page.
    Archive { dir: PathBuf, force: bool },
}

/// Why no snapshot was written.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The site did not build.
    #[error(transparent)]
    Build(#[from] Failure),
    /// The bag or the archive folder could not be written.
    #[error(transparent)]
    Archive(#[from] crate::archive::ArchiveError),
}

pub struct SnapshotOptions {
    pub root: PathBuf,
    pub as_of: NaiveDate,
    pub base_url: Option<String>,
    pub target: Target,
}

/// Build the as-of site into a temporary folder, then bag it. Returns where the
/// bag is and what it holds.
pub fn snapshot(opts: &SnapshotOptions) -> Result<(PathBuf, BagSummary), SnapshotError> {
    let staging = std::env::temp_dir().join(format!("gongkai-snapshot-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let site_dir = staging.join("site");
    let result = (|| {
        build(
            &BuildOptions {
                root: opts.root.clone(),
                out: Some(site_dir.clone()),
                base_url: opts.base_url.clone(),
                force: false,
                as_of: Some(opts.as_of),
            },
            &crate::progress_bar::Stages::hidden(),
        )?;
        let config = pipeline::config(&opts.root, opts.base_url.as_deref())?;
        let base_url = config.base_url.clone();
        let as_of = opts.as_of.format("%Y-%m-%d").to_string();
        let info = BagInfo {
            source_organization: if config.organisation.is_empty() {
                config.title.clone()
            } else {
                config.organisation.clone()
            },
            external_identifier: format!("{base_url} as of {as_of}"),
            as_of: Some(as_of.clone()),
            git_commit: git_commit(&opts.root.join("content")),
            // The bagging date is the build's day: SOURCE_DATE_EPOCH keeps it reproducible.
            bagging_date: reference_date().format("%Y-%m-%d").to_string(),
            ..BagInfo::default()
        };
        match &opts.target {
            Target::Bag(dir) => {
                write_bag(&site_dir, dir, &info).map(|s| (dir.clone(), s)).map_err(SnapshotError::Archive)
            }
            Target::Archive { dir, force } => {
                let theme = pipeline::theme(&opts.root, &config)?;
                let mut summary = None;
                let path = add_to_archive(
                    dir,
                    &as_of,
                    |bag| {
                        let s = write_bag(&site_dir, bag, &info)?;
                        summary = Some(s.clone());
                        Ok(s)
                    },
                    *force,
                    &theme,
                )
                .map_err(SnapshotError::Archive)?;
                Ok((path, summary.expect("bag written")))
            }
        }
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result
}
