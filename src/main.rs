//! Command line of gongkai. Parsing only; the work is in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gongkai::archive::snapshot::SnapshotError;
use gongkai::build::{BuildOptions, build};
use gongkai::pipeline::Failure;
use gongkai::progress_bar::Stages;
use gongkai::scaffold::{self, AnnualReport, NewNotice};

/// A build allocates and frees millions of small strings on every core; mimalloc
/// does that faster than the system allocator and gives memory back sooner.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build a government information-disclosure website from Markdown notices.
#[derive(Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    /// Site folder holding content/ and themes/ [default: current directory]
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    ///
    /// Exit codes: 0 built (warnings allowed), 1 content errors (nothing written),
    /// 2 usage errors.
    Build {
        /// Output folder [default: ROOT/output]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Absolute URL the site is published under (overrides site.yaml)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Replace an existing output folder even if it is not a previous build
        #[arg(long)]
        force: bool,
        /// Print only errors and warnings
        #[arg(long, short)]
        quiet: bool,
        /// Build the site as it stood at the end of this day (YYYY-MM-DD): notices
        /// published by then, texts, validity and progress data as they were then
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
        /// Neither read nor write the build cache (.<output>.gongkai/cache)
        #[arg(long)]
        no_cache: bool,
    },
    /// Check the whole site without writing anything: every error and warning of
    /// the build, plus reviewer lints (cited document numbers not in the site).
    ///
    /// Exit codes: 0 no errors (warnings and notes allowed), 1 errors, 2 usage errors.
    Check {
        /// Report on these files or folders only (the whole site is still checked,
        /// for what is between notices)
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Build the site, serve it on loopback, and rebuild and reload pages as files change.
    Serve {
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; keep the loopback default unless you know why
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Turn the clerk's desk (which writes into content/) on although --bind
        /// is not a loopback address
        #[arg(long)]
        desk_anywhere: bool,
    },
    /// Turn legacy plain-text notices (copied from old websites), Word documents
    /// (.docx, .docm) and OFD documents into notices.
    ///
    /// Prints, per file, what it found, what is missing and what is damaged.
    /// Exit codes: 0 all imported, 1 some files skipped, 2 usage errors.
    Import {
        /// Text files, Word documents (.docx, .docm) and OFD documents, or folders of them
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where the notices go, inside content/
        #[arg(long, value_name = "DIR", default_value = "content/imported")]
        into: PathBuf,
        /// Replace notices that were edited since they were imported
        #[arg(long)]
        force: bool,
        /// Documents appended after the text (附件1 …): kept in the notice (inline),
        /// or each written to a file beside it and listed as an attachment (split)
        #[arg(long, value_enum, default_value = "inline")]
        attachments: AppendixMode,
    },
    /// Package the site as it stood on a date: a BagIt bag (RFC 8493), alone or in an
    /// archive folder of snapshots with an index page, and/or a WACZ web archive.
    #[command(group(clap::ArgGroup::new("target").args(["out", "archive", "wacz"]).required(true).multiple(true)))]
    #[command(group(clap::ArgGroup::new("replaceable").args(["archive", "wacz"]).multiple(true)))]
    Snapshot {
        /// The date the site shows (YYYY-MM-DD)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: chrono::NaiveDate,
        /// Write the bag to this folder (must not exist or be empty)
        #[arg(long, value_name = "DIR", conflicts_with = "archive")]
        out: Option<PathBuf>,
        /// Add the snapshot to this archive, an OCFL 1.1 storage root, as the next
        /// version of its object (files an earlier version holds are not stored
        /// again), and refresh DIR/index.html
        #[arg(long, value_name = "DIR")]
        archive: Option<PathBuf>,
        /// Write the site as a WACZ web archive (WARC 1.1 inside) to this file, for
        /// replay tools such as ReplayWeb.page
        #[arg(long, value_name = "FILE")]
        wacz: Option<PathBuf>,
        /// Add a second version of the archive's last date, or replace an existing WACZ file
        #[arg(long, requires = "replaceable")]
        force: bool,
        /// Absolute URL the site is published under (overrides site.yaml)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Check a bag (completeness and every checksum), an archive (its OCFL object:
    /// inventories, every content file, nothing stray), or an archive folder of
    /// bags of the format before. Exit code 1 when one is not intact.
    Verify {
        /// The bag folder, the archive folder, or an archive folder of bags
        dir: PathBuf,
    },
    /// Work with an archive written by `snapshot --archive`.
    #[command(subcommand)]
    Archive(ArchiveCommand),
    /// Write a new notice with every field of the schema and a comment on each.
    New {
        /// Where, inside content/: `notices/2024/plan` (a bundle folder) or `notices/2024/plan.md`
        path: PathBuf,
        /// 标题
        #[arg(long)]
        title: Option<String>,
        /// 发文机关 (repeat for joint issuance, lead issuer first)
        #[arg(long)]
        issuer: Vec<String>,
        /// 发文字号, e.g. 通政办发〔2018〕55号 (loose forms such as [2018] are normalised)
        #[arg(long)]
        doc_number: Option<String>,
        /// Write a 政府信息公开工作年度报告 for YEAR: the notice with the format's six
        /// parts and its data file, with the catalogue's counts for review
        #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1990..=2200))]
        annual_report: Option<i32>,
        /// Also write a workbook for the progress data (e.g. 进展.xlsx) beside the notice,
        /// named in its `data:`: sheets 指标, 目标, 实际, 任务 with an example row each
        #[arg(long, value_name = "FILE.xlsx")]
        data: Option<String>,
    },
}

/// `gongkai archive …`
#[derive(Subcommand)]
enum ArchiveCommand {
    /// Write one snapshot of an archive as a BagIt bag, a WACZ or a plain site
    /// folder: the same bytes a direct snapshot of that date wrote.
    #[command(group(clap::ArgGroup::new("to").args(["bag", "wacz", "out"]).required(true)))]
    Export {
        /// The archive folder (written by `snapshot --archive`)
        dir: PathBuf,
        /// The snapshot's date (the newest version of that date)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: chrono::NaiveDate,
        /// Write the snapshot's bag to this folder (must not exist or be empty)
        #[arg(long, value_name = "OUT")]
        bag: Option<PathBuf>,
        /// Write the snapshot as a WACZ web archive to this file
        #[arg(long, value_name = "FILE")]
        wacz: Option<PathBuf>,
        /// Write the site as it stood to this folder (must not exist or be empty)
        #[arg(long, value_name = "SITE")]
        out: Option<PathBuf>,
        /// Replace an existing WACZ file
        #[arg(long)]
        force: bool,
    },
    /// Bring an archive folder of bags (the format before OCFL) into a new archive:
    /// every bag, checked, becomes a version; the old folder is only read.
    Migrate {
        /// The archive folder of bags
        old: PathBuf,
        /// The new archive folder (must not exist or be empty)
        #[arg(long, value_name = "NEW")]
        to: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(failure) = gongkai::pipeline::check_source_date_epoch() {
        return report_failure(failure);
    }
    let root = cli.root.unwrap_or_else(|| PathBuf::from("."));
    match cli.command {
        Command::Build { out, base_url, force, quiet, as_of, no_cache } => {
            run_build(&BuildOptions { root, out, base_url, force, as_of, no_cache }, quiet)
        }
        Command::Check { paths, format } => check(&root, &paths, format),
        Command::Snapshot { as_of, out, archive, wacz, force, base_url } => {
            use gongkai::archive::snapshot::{SnapshotOptions, Target};
            let bag = archive.map(Target::Archive).or(out.map(Target::Bag));
            run_snapshot(&SnapshotOptions { root, as_of, base_url, bag, wacz, force })
        }
        Command::Verify { dir } if gongkai::archive::ocfl::is_storage_root(&dir) => verify_archive(&dir),
        Command::Archive(command) => run_archive(&root, command),
        Command::Verify { dir } => match gongkai::archive::archive_snapshots(&dir) {
            // An archive folder: every snapshot in it, each checked as the bag it is.
            Some(bags) => {
                let mut bad = 0;
                for bag in &bags {
                    let report = gongkai::archive::verify(bag);
                    bad += usize::from(!report.is_valid());
                    print_out(&format!("{}: {report}", bag.display()));
                }
                print_out(&format!("{} snapshots, {bad} not intact", bags.len()));
                if bad == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) }
            }
            None => {
                let report = gongkai::archive::verify(&dir);
                print_out(&report.to_string());
                if report.is_valid() { ExitCode::SUCCESS } else { ExitCode::from(1) }
            }
        },
        Command::Import { inputs, into, force, attachments } => {
            let appendices = match attachments {
                AppendixMode::Inline => gongkai::import::Appendices::Inline,
                AppendixMode::Split => gongkai::import::Appendices::Split,
            };
            run_import(&gongkai::import::ImportOptions { root, inputs, into, force, appendices })
        }
        Command::Serve { port, bind, desk_anywhere } => {
            match gongkai::serve::run(&gongkai::serve::ServeOptions { root, bind, port, desk_anywhere }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::New { path, title, issuer, doc_number, annual_report, data } => {
            let annual_report =
                annual_report.map(|year| AnnualReport { year, review: scaffold::review(&root, &issuer, year) });
            run_new(
                &root,
                &NewNotice { path, title, issuers: issuer, doc_number, today: site_today(&root), annual_report, data },
            )
        }
    }
}

fn run_build(opts: &BuildOptions, quiet: bool) -> ExitCode {
    let stages = Stages::new(!quiet);
    let report = match build(opts, &stages) {
        Ok(report) => report,
        Err(failure) => return report_failure(failure),
    };
    for d in report.diagnostics.iter() {
        eprintln!("{d}");
    }
    if let Some(c) = report.cache.filter(|c| c.damaged > 0) {
        eprintln!(
            "note: {} entries of the build cache were damaged or written by another gongkai; they were ignored and made anew",
            c.damaged
        );
    }
    if !quiet {
        for w in &report.withheld {
            eprintln!(
                "note: left out {} ({}; only 主动公开 notices are published)",
                w.display.display(),
                w.disclosure.as_str()
            );
        }
        eprintln!(
            "Built {} notices ({} pages; {} files, {}) into {} in {:.2}s{}",
            report.notices,
            report.pages,
            report.files,
            gongkai::text::human_size(report.bytes),
            report.out.display(),
            report.seconds,
            match report.diagnostics.warning_count() {
                0 => String::new(),
                n => format!(", {n} warning(s)"),
            }
        );
        let times: Vec<String> =
            stages.times().iter().map(|(name, t)| format!("{name} {:.2}s", t.as_secs_f64())).collect();
        eprintln!("  {}", times.join(" · "));
        if let Some(c) = report.cache {
            eprintln!("  cache: {} reused, {} computed, {} old entries removed", c.hits, c.computed, c.removed);
        }
    }
    ExitCode::SUCCESS
}

fn run_snapshot(opts: &gongkai::archive::snapshot::SnapshotOptions) -> ExitCode {
    match gongkai::archive::snapshot::snapshot(opts) {
        Ok(written) => {
            if let Some((path, summary)) = written.wacz {
                eprintln!(
                    "Wrote web archive {} (WACZ {}, {} files recorded, {} pages, {} bytes)",
                    path.display(),
                    gongkai::archive::WACZ_VERSION,
                    summary.responses,
                    summary.pages,
                    summary.bytes
                );
            }
            if let Some((path, summary)) = written.bag {
                eprintln!(
                    "Wrote bag {} ({} files, {} bytes, Payload-Oxum {})",
                    path.display(),
                    summary.files,
                    summary.bytes,
                    summary.oxum
                );
            }
            if let Some(v) = written.version {
                eprintln!(
                    "  added as {} of the archive: {} new files ({} bytes) stored, {} files ({} bytes) the same as in an earlier version and not stored again",
                    v.name, v.new_files, v.new_bytes, v.shared_files, v.shared_bytes
                );
            }
            ExitCode::SUCCESS
        }
        Err(SnapshotError::Build(failure)) => report_failure(failure),
        Err(SnapshotError::Archive(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `verify` of an archive: its OCFL object, each problem with its version.
fn verify_archive(dir: &std::path::Path) -> ExitCode {
    let object = gongkai::archive::ocfl::object_dir(dir);
    let report = gongkai::archive::ocfl::verify_object(&object);
    for p in &report.problems {
        print_out(&format!("{}: {p}", object.display()));
    }
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    print_out(&format!(
        "{}: OCFL 1.1 object, {}, {} ({} bytes) checked: {}",
        object.display(),
        count(report.versions, "version"),
        count(report.files, "content file"),
        report.bytes,
        if report.problems.is_empty() { "intact".to_string() } else { count(report.problems.len(), "problem") }
    ));
    if report.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn run_archive(root: &std::path::Path, command: ArchiveCommand) -> ExitCode {
    use gongkai::archive::ocfl;
    let result = match command {
        ArchiveCommand::Export { dir, as_of, bag, wacz, out, force } => {
            let to = match (bag, wacz, out) {
                (Some(b), _, _) => ocfl::Export::Bag(b),
                (_, Some(w), _) => ocfl::Export::Wacz(w),
                (_, _, Some(o)) => ocfl::Export::Site(o),
                _ => unreachable!("clap requires one"),
            };
            ocfl::export(&dir, as_of, &to, force).map(|e| {
                eprintln!("Exported {} of {} ({} files, {} bytes)", e.version, dir.display(), e.files, e.bytes);
            })
        }
        ArchiveCommand::Migrate { old, to } => {
            let config = match gongkai::pipeline::config(root, None) {
                Ok(c) => c,
                Err(f) => return report_failure(f),
            };
            let theme = match gongkai::pipeline::theme(root, &config) {
                Ok(t) => t,
                Err(f) => return report_failure(f),
            };
            ocfl::migrate(&old, &to, config.time_zone).and_then(|versions| {
                gongkai::archive::write_archive_index(&to, &theme)?;
                for v in &versions {
                    eprintln!(
                        "  {}: {} files stored, {} shared with earlier versions",
                        v.name, v.new_files, v.shared_files
                    );
                }
                eprintln!("Migrated {} bags of {} into {}", versions.len(), old.display(), to.display());
                Ok(())
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Exit code 1 when some files were skipped, 2 for usage errors.
/// `--attachments`: where the documents appended after a notice's text go.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum AppendixMode {
    Inline,
    Split,
}

fn run_import(opts: &gongkai::import::ImportOptions) -> ExitCode {
    match gongkai::import::run(opts) {
        Ok(reports) => {
            for r in &reports {
                print_out(&r.to_string());
            }
            let skipped = reports.iter().filter(|r| r.skipped.is_some()).count();
            print_out(&format!("{} file(s) imported, {skipped} skipped", reports.len() - skipped));
            if skipped > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_new(root: &std::path::Path, spec: &NewNotice) -> ExitCode {
    match scaffold::create(root, spec) {
        Ok(file) => {
            println!("Wrote {}", file.display());
            if let Some(data) = &spec.data {
                println!(
                    "Wrote {} (sheets 指标, 目标, 实际, 任务 to fill in Excel or WPS)",
                    file.with_file_name(data).display()
                );
            }
            println!("Fill in the fields, write the text below the closing ---, then run `gongkai check`.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Today in the site's time zone (China's when site.yaml cannot be read).
fn site_today(root: &std::path::Path) -> chrono::NaiveDate {
    let zone = gongkai::pipeline::config(root, None).map_or(gongkai::config::CHINA, |c| c.time_zone);
    gongkai::pipeline::reference_date_in(zone)
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    gongkai::schema::Date::parse(text).map(|d| d.0).map_err(|e| format!("{}; expected {}", e.message, e.expected))
}

fn check(root: &std::path::Path, paths: &[PathBuf], format: Format) -> ExitCode {
    let (diags, [errors, warnings, notes]) = match gongkai::check::check_paths(root, paths) {
        Ok(c) => (c.diagnostics, c.elsewhere),
        Err(failure) => return report_failure(failure),
    };
    match format {
        Format::Json => {
            let doc = serde_json::json!({
                "errors": diags.error_count(),
                "warnings": diags.warning_count(),
                "notes": diags.note_count(),
                "diagnostics": diags.iter().collect::<Vec<_>>(),
                "elsewhere": {"errors": errors, "warnings": warnings, "notes": notes},
            });
            print_out(&serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        Format::Human => {
            for d in diags.iter() {
                print_out(&d.to_string());
            }
            print_out(&format!(
                "{} error(s), {} warning(s), {} note(s)",
                diags.error_count(),
                diags.warning_count(),
                diags.note_count()
            ));
            if errors + warnings + notes > 0 {
                print_out(&format!(
                    "(elsewhere in the site: {errors} error(s), {warnings} warning(s), {notes} note(s); `gongkai check` shows them)"
                ));
            }
        }
    }
    if diags.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Print a line to standard output; a closed pipe (`gongkai check | head`) ends the
/// program quietly instead of panicking.
fn print_out(text: &str) {
    use std::io::Write;
    if writeln!(std::io::stdout().lock(), "{text}").is_err() {
        std::process::exit(0);
    }
}

fn report_failure(failure: Failure) -> ExitCode {
    match failure {
        Failure::Content(diags) => {
            for d in diags.iter() {
                eprintln!("{d}");
            }
            eprintln!(
                "error: build failed with {} error(s) and {} warning(s); the output folder was not changed",
                diags.error_count(),
                diags.warning_count()
            );
            ExitCode::from(1)
        }
        Failure::Usage(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Failure::Render(e) => {
            eprintln!("error: {e}; the output folder was not changed");
            ExitCode::from(1)
        }
        Failure::Io { what, source } => {
            eprintln!("error: {what}: {source}; the output folder was not changed");
            ExitCode::from(1)
        }
    }
}
