//! Messages on stderr: problems with input (`FILE:LINE: reason`), warnings,
//! the closing summary line, and the progress bar (only when stderr is a
//! terminal and `--quiet` is off).
//!
//! Writing to stderr never panics: a closed or broken stderr loses the
//! message, not the run.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reprint_io::repeats::Repeats;
use reprint_io::{thousands, Location, Problem};

/// Warnings of one kind printed before the rest are only counted.
pub const WARNINGS_SHOWN: u64 = 10;

/// Problems of one kind in one file printed before the rest are only
/// counted (and summed up when reading ends).
pub const PROBLEMS_SHOWN: u64 = 3;

/// Kinds of warnings, each capped at [`WARNINGS_SHOWN`] lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warning {
    /// An input that holds no document.
    NoDocuments = 0,
    LossyUtf8 = 1,
    DuplicateId = 2,
    /// A document whose text has no words (empty, white space, punctuation).
    EmptyText = 3,
}

const WARNING_NAMES: [&str; 4] = ["no-documents", "invalid-UTF-8", "duplicate-id", "empty-text"];

/// Characters of a document id shown in a message before it is cut short.
pub const ID_SHOWN_CHARS: usize = 80;

/// A document id as messages show it: quoted and escaped like Rust's
/// `{:?}`, and cut after [`ID_SHOWN_CHARS`] characters with its full length
/// in bytes, so that a 1 MB id does not become a 1 MB line on stderr.
pub fn quoted_id(id: &str) -> String {
    match id.char_indices().nth(ID_SHOWN_CHARS) {
        None => format!("{id:?}"),
        Some((cut, _)) => format!("{:?}… ({} bytes)", &id[..cut], id.len()),
    }
}

/// A line on stderr; lost, not a panic, if stderr is closed.
pub fn eprint_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(line.as_bytes()).and_then(|_| err.write_all(b"\n"));
}

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
    /// Internal errors reported.
    pub internal_errors: u64,
    /// Which skipped problems are printed.
    repeats: Repeats,
    /// Warnings by kind.
    warnings: [u64; 4],
}

impl Messages {
    pub fn new(quiet: bool) -> Messages {
        Messages {
            quiet,
            progress: None,
            skipped: 0,
            internal_errors: 0,
            repeats: Repeats::new(PROBLEMS_SHOWN),
            warnings: [0; 4],
        }
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
            Some(bar) => bar.suspend(|| eprint_line(line)),
            None => eprint_line(line),
        }
    }

    /// Reports the internal errors of a scan, naming documents by their
    /// ids (`id` gives document `d`'s, if any).
    pub fn internal_errors<'r>(
        &mut self,
        errors: &[reprint_core::isolate::InternalError],
        id: impl Fn(u32) -> Option<&'r str>,
    ) {
        use reprint_core::isolate::Subject;
        let name = |d: &u32| id(*d).map_or_else(|| format!("#{d}"), quoted_id);
        for e in errors {
            let subject = match &e.subject {
                Subject::Document(d) => format!("document {}", name(d)),
                Subject::Pair(a, b) => format!("pair {} / {}", name(a), name(b)),
                Subject::Story(s) => format!("story {s}"),
            };
            self.internal_error(&subject, e.stage, &e.message);
        }
    }

    /// An internal error (a bug) on one item: always printed, once, even
    /// with `--quiet`, and counted.
    pub fn internal_error(&mut self, subject: &str, stage: &str, message: &str) {
        self.internal_errors += 1;
        self.print(&format!("reprint: internal error on {subject} ({stage}): {message} (please report it)"));
    }

    /// A skipped record or input: always counted and, even with `--quiet`,
    /// printed, except that of the same problem in the same file only the
    /// first [`PROBLEMS_SHOWN`] are; [`Messages::end_of_input`] sums up the
    /// rest.
    pub fn skipped(&mut self, problem: &Problem) {
        self.skipped += 1;
        if self.repeats.admit(problem) {
            self.print(&problem.to_string());
        }
    }

    /// Something the user should know that skips nothing. Only the first
    /// [`WARNINGS_SHOWN`] of each kind are printed; [`Messages::end_of_input`]
    /// counts the rest.
    pub fn warn(&mut self, kind: Warning, line: &str) {
        self.warnings[kind as usize] += 1;
        if self.warnings[kind as usize] <= WARNINGS_SHOWN {
            self.print(line);
        }
    }

    /// A record whose text has no words (it is kept).
    pub fn warn_empty_text(&mut self, location: &Location) {
        self.warn(Warning::EmptyText, &format!("{location}: warning: no words in the text"));
    }

    /// A record with invalid UTF-8 (decoded with U+FFFD).
    pub fn warn_lossy(&mut self, location: &Location) {
        self.warn(Warning::LossyUtf8, &format!("{location}: warning: invalid UTF-8 replaced with U+FFFD"));
    }

    /// A record whose id an earlier one, at `first`, has (both are kept).
    pub fn warn_duplicate_id(&mut self, location: &Location, id: &str, first: &Location) {
        self.warn(
            Warning::DuplicateId,
            &format!("{location}: warning: duplicate id {} (first at {first}); both are kept", quoted_id(id)),
        );
    }

    /// Once all input is read: one line per file and kind of problem not
    /// printed (`FILE: 2,997 more records without field "body"; fields
    /// seen: id, text, title`), and per kind of warning, how many more there
    /// were.
    pub fn end_of_input(&mut self) {
        for line in self.repeats.summary() {
            self.print(&line);
        }
        self.repeats = Repeats::new(PROBLEMS_SHOWN);
        for (count, name) in self.warnings.iter().zip(WARNING_NAMES) {
            if *count > WARNINGS_SHOWN {
                self.print(&format!("reprint: {} more {name} warnings not shown", thousands(count - WARNINGS_SHOWN)));
            }
        }
        self.warnings = [0; 4];
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

/// The CLI's listener: problems and warnings on stderr, and the progress bar.
impl reprint_io::streaming_dedup::DedupListener for Messages {
    fn skipped(&mut self, problem: &Problem) {
        Messages::skipped(self, problem);
    }

    fn internal_error(&mut self, id: &str, location: &Location, stage: &str, message: &str) {
        Messages::internal_error(self, &format!("document {} ({location})", quoted_id(id)), stage, message);
    }

    fn empty_text(&mut self, location: &Location) {
        self.warn_empty_text(location);
    }

    fn lossy(&mut self, location: &Location) {
        self.warn_lossy(location);
    }

    fn duplicate_id(&mut self, location: &Location, id: &str, first: &Location) {
        self.warn_duplicate_id(location, id, first);
    }

    fn progress(&mut self, bytes: u64, phase: &'static str) {
        self.set_progress(bytes, phase);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_ids_are_cut_on_a_char_boundary() {
        assert_eq!(quoted_id("a\"b"), "\"a\\\"b\"");
        let short = "日".repeat(ID_SHOWN_CHARS);
        assert_eq!(quoted_id(&short), format!("\"{short}\""));
        let long = "日".repeat(400_000);
        let shown = quoted_id(&long);
        assert!(shown.starts_with(&format!("\"{}\"", "日".repeat(ID_SHOWN_CHARS))));
        assert!(shown.ends_with(&format!("… ({} bytes)", long.len())));
        assert!(shown.chars().count() < ID_SHOWN_CHARS + 30);
    }
}
