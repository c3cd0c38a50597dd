//! Messages on stderr: problems with input (`FILE:LINE: reason`), warnings,
//! the closing summary line, and the progress bar (only when stderr is a
//! terminal and `--quiet` is off).

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reprint_io::Problem;

/// Warnings of one kind printed before the rest are only counted.
pub const WARNINGS_SHOWN: u64 = 10;

/// Kinds of warnings, each capped at [`WARNINGS_SHOWN`] lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warning {
    EmptyFile = 0,
    LossyUtf8 = 1,
    DuplicateId = 2,
}

const WARNING_NAMES: [&str; 3] = ["empty-file", "invalid-UTF-8", "duplicate-id"];

/// The progress display of one stage (see [`Messages::stage`]); cleared
/// when dropped.
pub struct StageBar(Option<ProgressBar>);

impl StageBar {
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(n);
        }
    }
}

impl Drop for StageBar {
    fn drop(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish_and_clear();
        }
    }
}

/// Reports and counts what goes wrong with input.
pub struct Messages {
    quiet: bool,
    progress: Option<ProgressBar>,
    /// Records or inputs skipped.
    pub skipped: u64,
    /// Warnings by kind.
    warnings: [u64; 3],
}

impl Messages {
    pub fn new(quiet: bool) -> Messages {
        Messages { quiet, progress: None, skipped: 0, warnings: [0; 3] }
    }

    /// Starts a byte-based progress bar over `total` bytes (unknown when
    /// reading standard input), if stderr is a terminal.
    pub fn start_progress(&mut self, total: Option<u64>) {
        if self.quiet || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        let template = if total.is_some() {
            "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})"
        } else {
            "{spinner} {msg} {bytes} ({bytes_per_sec})"
        };
        bar.set_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "));
        bar.set_message("reading");
        self.progress = Some(bar);
    }

    /// A progress display for one stage of work after reading: a bar over
    /// `total` items, or a spinner when the count is not known; nothing
    /// unless stderr is a terminal and `--quiet` is off. The handle can be
    /// advanced from any thread.
    pub fn stage(&self, name: &'static str, total: Option<u64>) -> StageBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return StageBar(None);
        }
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        let template = if total.is_some() {
            "{spinner} {msg} [{bar:30}] {human_pos}/{human_len} ({eta})"
        } else {
            "{spinner} {msg} ({elapsed})"
        };
        bar.set_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "));
        bar.set_message(name);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        StageBar(Some(bar))
    }

    pub fn set_progress(&self, bytes: u64, message: &'static str) {
        if let Some(bar) = &self.progress {
            bar.set_position(bytes);
            bar.set_message(message);
        }
    }

    pub fn finish_progress(&mut self) {
        if let Some(bar) = self.progress.take() {
            bar.finish_and_clear();
        }
    }

    fn print(&self, line: &str) {
        match &self.progress {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }

    /// A skipped record or input: always printed, even with `--quiet`.
    pub fn skipped(&mut self, problem: &Problem) {
        self.skipped += 1;
        self.print(&problem.to_string());
    }

    /// Something the user should know that skips nothing. Only the first
    /// [`WARNINGS_SHOWN`] of each kind are printed; the summary counts all.
    pub fn warn(&mut self, kind: Warning, line: &str) {
        self.warnings[kind as usize] += 1;
        let count = self.warnings[kind as usize];
        if count <= WARNINGS_SHOWN {
            self.print(line);
        }
        if count == WARNINGS_SHOWN {
            self.print(&format!(
                "reprint: further {} warnings are counted, not shown (see summary.json)",
                WARNING_NAMES[kind as usize]
            ));
        }
    }

    /// A notice that changes what the run can do (for example, no model):
    /// printed even with `--quiet`.
    pub fn notice(&self, line: &str) {
        self.print(line);
    }

    /// An informational line, suppressed by `--quiet`.
    pub fn info(&self, line: &str) {
        if !self.quiet {
            self.print(line);
        }
    }
}

/// A byte progress bar for downloading `file` (of `total` bytes, if known),
/// if stderr is a terminal.
pub fn download_bar(file: &str, total: Option<u64>) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let template = if total.is_some() {
        "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})"
    } else {
        "{msg} {bytes} ({bytes_per_sec})"
    };
    bar.set_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "));
    bar.set_message(file.to_string());
    Some(bar)
}
