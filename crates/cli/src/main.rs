//! The `reprint` command: thin glue over `reprint-core` and `reprint-io`.
//! Parses flags, builds the engine's configuration, runs it, maps the
//! result to an exit code.
//!
//! Exit codes: 0 success; 1 fatal error (bad usage, unwritable output, no
//! input that can be read); 2 the run finished but skipped some input (each
//! skip was reported on stderr as `FILE:LINE: reason`); 3 the run finished
//! and wrote its outputs, but some documents or pairs hit an internal error
//! (a bug: each reported once as `reprint: internal error on …: … (please
//! report it)`, counted as `internal_errors` in summary.json, their results
//! missing); 4 an internal error stopped the run. A closed standard output
//! (`reprint model info | head -1`) ends a command quietly, with 0.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cmd;
mod inputs;
mod messages;
mod stages;

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
    std::panic::set_hook(Box::new(panic_hook));
    // A panic the commands did not isolate per item stops the run, with its
    // own exit status rather than Rust's 101.
    let result = std::panic::catch_unwind(|| match cli.command {
        Command::Scan(args) => cmd::scan::run(args),
        Command::Dedup(args) => cmd::dedup::run(args),
        Command::Pan(args) => cmd::pan::run(args),
        Command::Align(args) => cmd::align::run(args),
        Command::Model(args) => cmd::model::run(args),
    });
    let Ok(result) = result else {
        messages::eprint_line("reprint: the run was stopped by an internal error (exit status 4)");
        return ExitCode::from(4);
    };
    match result {
        Ok(status) => status.into(),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            messages::eprint_line(&format!("reprint: error: {e:#}"));
            ExitCode::from(1)
        }
    }
}

/// Panics inside an isolated item (see `reprint_core::isolate`) are noted
/// with their location, and reported once by the command with the item they
/// happened on; any other panic is reported here.
fn panic_hook(info: &std::panic::PanicHookInfo) {
    let message = reprint_core::isolate::payload_message(info.payload());
    let message = match info.location() {
        Some(at) => format!("{message} at {}:{}", at.file(), at.line()),
        None => message,
    };
    if reprint_core::isolate::in_scope() {
        reprint_core::isolate::note_panic(message);
    } else {
        messages::eprint_line(&format!("reprint: internal error: {message} (please report it)"));
    }
}

/// Whether writing failed because the reader of standard output went away
/// (directly, or through `serde_json`, whose errors do not expose the I/O
/// error as their source).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let broken = std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == broken)
            || c.downcast_ref::<serde_json::Error>().is_some_and(|j| j.io_error_kind() == Some(broken))
    })
}

/// How a run ended, for the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Everything was read.
    Complete,
    /// Some input was skipped (and reported).
    Skipped,
    /// Some documents or pairs hit an internal error (reported); the rest
    /// was written.
    InternalErrors,
}

impl Status {
    /// The status of a run that skipped `skipped` inputs and met
    /// `internal_errors` internal errors: the graver one wins.
    pub fn of(skipped: u64, internal_errors: usize) -> Status {
        if internal_errors > 0 {
            Status::InternalErrors
        } else if skipped > 0 {
            Status::Skipped
        } else {
            Status::Complete
        }
    }
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        match s {
            Status::Complete => ExitCode::SUCCESS,
            Status::Skipped => ExitCode::from(2),
            Status::InternalErrors => ExitCode::from(3),
        }
    }
}
