//! `gongkai snapshot`: the site as of a date, built once and packaged as a BagIt
//! bag (alone or added to an archive folder of snapshots), as a WACZ web archive,
//! or both.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::archive::ocfl::{self, AddedVersion, SnapshotRecord, User};
use crate::archive::{
    BagInfo, BagSummary, WaczInfo, WaczSummary, check_archive_target, check_bag_target, check_wacz_target, site_commit,
    software_agent, write_archive_index, write_bag, write_wacz,
};
use crate::build::{BuildOptions, build};
use crate::pipeline::{self, Failure, reference_date_in};
use crate::targets::{self, Purpose};

pub enum Target {
    /// A single bag at this folder (must not exist or be empty).
    Bag(PathBuf),
    /// Add the bag as the next version of the archive's OCFL object and refresh
    /// the archive's index page (see `ocfl`; a second version of the head's date
    /// only with `force`).
    Archive(PathBuf),
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
    /// Where the bag goes, if one is asked for.
    pub bag: Option<Target>,
    /// Write a WACZ web archive to this file too (replaced only with `force`).
    pub wacz: Option<PathBuf>,
    pub force: bool,
}

/// What a snapshot wrote, and where.
#[derive(Debug, Default)]
pub struct Written {
    pub bag: Option<(PathBuf, BagSummary)>,
    /// For a bag added to an archive: its version, and what it shares with earlier ones.
    pub version: Option<AddedVersion>,
    pub wacz: Option<(PathBuf, WaczSummary)>,
}

/// Build the as-of site into a temporary folder, then package it as asked. Every
/// target is checked first, so a refusal comes before the build and before any
/// of them is written.
pub fn snapshot(opts: &SnapshotOptions) -> Result<Written, SnapshotError> {
    // A snapshot records a day that has happened: a later one would be a bag and a
    // web archive of a site nobody saw.
    let config = pipeline::config(&opts.root, opts.base_url.as_deref())?;
    let today = reference_date_in(config.time_zone);
    if opts.as_of > today {
        return Err(SnapshotError::Build(Failure::Usage(format!(
            "--as-of {} is after today ({today}): a snapshot records the site as it stood on a day that has passed",
            opts.as_of
        ))));
    }
    let asked = [
        opts.wacz.as_ref().map(|f| (f, "--wacz")),
        match &opts.bag {
            Some(Target::Bag(dir)) => Some((dir, "--out")),
            Some(Target::Archive(dir)) => Some((dir, "--archive")),
            None => None,
        },
    ];
    for (path, what) in asked.into_iter().flatten() {
        targets::check(&opts.root, path, Purpose::Archive, what)
            .map_err(|e| SnapshotError::Build(Failure::Usage(e.to_string())))?;
    }
    if let Some(file) = &opts.wacz {
        check_wacz_target(file, opts.force)?;
    }
    match &opts.bag {
        None => {}
        Some(Target::Bag(dir)) => check_bag_target(dir)?,
        Some(Target::Archive(dir)) => check_archive_target(dir, opts.force)?,
    }
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
                // A fresh staging folder each time: a cache there would be empty.
                no_cache: true,
            },
            &crate::progress_bar::Stages::hidden(),
        )?;
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
            git_commit: site_commit(&opts.root),
            // The bagging date is the build's day: SOURCE_DATE_EPOCH keeps it reproducible.
            bagging_date: today.format("%Y-%m-%d").to_string(),
            ..BagInfo::default()
        };
        let mut written = Written::default();
        if let Some(file) = &opts.wacz {
            let wacz = WaczInfo {
                base_url: base_url.clone(),
                as_of: opts.as_of,
                title: config.title.clone(),
                created: created(today),
            };
            written.wacz = Some((file.clone(), write_wacz(&site_dir, file, &wacz, opts.force)?));
        }
        written.bag = match &opts.bag {
            None => None,
            Some(Target::Bag(dir)) => Some((dir.clone(), write_bag(&site_dir, dir, &info)?)),
            Some(Target::Archive(dir)) => {
                let theme = pipeline::theme(&opts.root, &config)?;
                let bag = staging.join("bag");
                let summary = write_bag(&site_dir, &bag, &info)?;
                let record = SnapshotRecord {
                    as_of: as_of.clone(),
                    title: config.title.clone(),
                    base_url: base_url.clone(),
                    created: created(today),
                    gongkai: software_agent(),
                };
                let added = ocfl::add_version(
                    dir,
                    &ocfl::Version {
                        bag: &bag,
                        id: base_url.clone(),
                        created: ocfl::version_created(opts.as_of, config.time_zone),
                        user: User {
                            name: format!("{} ({})", config.title, software_agent()),
                            address: Some(base_url.clone()),
                        },
                        record,
                        as_of: opts.as_of,
                        force: opts.force,
                        move_files: true,
                    },
                )?;
                write_archive_index(dir, &theme)?;
                let path = ocfl::object_dir(dir).join(&added.name);
                written.version = Some(added);
                Some((path, summary))
            }
        };
        Ok(written)
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result
}

/// When the package was made: SOURCE_DATE_EPOCH's instant when set (reproducible),
/// else the start of `today`, the same day a bag's Bagging-Date gives.
fn created(today: chrono::NaiveDate) -> String {
    match pipeline::source_date_epoch_time() {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => today.format("%Y-%m-%dT00:00:00Z").to_string(),
    }
}
