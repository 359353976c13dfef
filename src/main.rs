//! Command line of gongkai. Parsing only; the work is in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gongkai::build::{BuildOptions, Failure, build};

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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(|| PathBuf::from("."));
    match cli.command {
        Command::Build { out, base_url, force, quiet } => {
            let opts = BuildOptions { root, out, base_url, force };
            match build(&opts) {
                Ok(report) => {
                    for d in report.diagnostics.iter() {
                        eprintln!("{d}");
                    }
                    if !quiet {
                        for (path, disclosure) in &report.withheld {
                            eprintln!(
                                "note: left out {} ({}; only 主动公开 notices are published)",
                                path.display(),
                                disclosure.as_str()
                            );
                        }
                        eprintln!(
                            "Built {} notices ({} pages) into {} in {:.2}s{}",
                            report.notices,
                            report.pages,
                            report.out.display(),
                            report.seconds,
                            match report.diagnostics.warning_count() {
                                0 => String::new(),
                                n => format!(", {n} warning(s)"),
                            }
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => report_failure(failure),
            }
        }
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
        Failure::Io(msg) => {
            eprintln!("error: {msg}; the output folder was not changed");
            ExitCode::from(1)
        }
    }
}
