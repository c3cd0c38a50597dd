//! Corpus readers and writers for reprint.
//!
//! This crate is where reprint touches the file system; `reprint-core` does
//! no I/O. It provides:
//!
//! - [`input`]: the inputs of a run (folders, JSON Lines files, plain or
//!   compressed, standard input), read as a stream of [`input::Batch`]es of
//!   raw items that workers turn into [`record::Record`]s in parallel;
//! - [`record`]: parsing one raw item into a record, or a [`Problem`] naming
//!   file and line;
//! - [`html`]: the text of an HTML page;
//! - [`spill`]: an append-only temporary file for data that must not stay
//!   in memory (original records, shingle sets);
//! - [`output`]: files written atomically (temporary file, then rename);
//! - [`model`]: embedding model directories: finding one (`--model`,
//!   `REPRINT_MODEL`, the user cache), checking its manifest, loading it.
//!
//! A bad record is never fatal: it becomes a [`Problem`], which the caller
//! reports and counts while the run goes on.

pub mod html;
pub mod input;
pub mod model;
pub mod output;
pub mod pan;
pub mod record;
pub mod report;
pub mod spill;

use std::fmt;

/// Where something came from: a file (or `-` for standard input) and, for
/// JSON Lines, a 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: Option<u64>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.file, line),
            None => f.write_str(&self.file),
        }
    }
}

/// A record or input that could not be used, and why. Displays as
/// `FILE:LINE: reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

impl std::error::Error for Problem {}
