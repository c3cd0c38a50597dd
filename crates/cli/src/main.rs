//! The `reprint` command: thin glue over `reprint-core` and `reprint-io`.
//! Parses flags, builds the engine's configuration, runs it, maps the
//! result to an exit code.
//!
//! Exit codes: 0 success; 1 fatal error (bad usage, unwritable output);
//! 2 the run finished but skipped some input (each skip was reported on
//! stderr as `FILE:LINE: reason`).

mod cmd;
mod messages;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "reprint", version, about = "Find every copy, excerpt, rewrite and spin of a text across a corpus.")]
#[command(propagate_version = true, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find stories, copies, excerpts and rewrites: the whole pipeline.
    Scan(cmd::scan::ScanArgs),
    /// Cluster near-duplicate documents and keep one per cluster.
    Dedup(cmd::dedup::DedupArgs),
    /// Show the passages two documents share and what each has alone.
    Align(cmd::align::AlignArgs),
    /// Passage alignment on the PAN text-alignment corpus layout (detect, score).
    Pan(cmd::pan::PanArgs),
    /// Embedding models: download one (pull), show the one in use (info).
    Model(cmd::model::ModelArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Scan(args) => cmd::scan::run(args),
        Command::Dedup(args) => cmd::dedup::run(args),
        Command::Pan(args) => cmd::pan::run(args),
        Command::Align(args) => cmd::align::run(args),
        Command::Model(args) => cmd::model::run(args),
    };
    match result {
        Ok(status) => status.into(),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("reprint: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// How a run ended, for the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Everything was read.
    Complete,
    /// Some input was skipped (and reported).
    Skipped,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        match s {
            Status::Complete => ExitCode::SUCCESS,
            Status::Skipped => ExitCode::from(2),
        }
    }
}
