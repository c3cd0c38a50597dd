//! Corpus readers and writers for reprint.
//!
//! This crate is where reprint touches the file system; `reprint-core` does
//! no I/O. It provides:
//!
//! - [`corpus`]: a run's inputs as batches of parsed documents (each a
//!   record with its location, or a [`Problem`]), and [`corpus::SeenIds`]
//!   for repeated ids;
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
//!   `REPRINT_MODEL`, the user cache), checking its manifest, loading it;
//! - [`repeats`]: the same problem in many records of one file, shown a few
//!   times and then summed up.
//!
//! A bad record is never fatal: it becomes a [`Problem`], which the caller
//! reports and counts while the run goes on.

pub mod corpus;
pub mod html;
pub mod input;
pub mod model;
pub mod output;
pub mod pan;
pub mod record;
pub mod repeats;
pub mod scan_output;
pub mod spill;
pub mod streaming_dedup;

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

/// A count with thousands separators: `2,997`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size for messages, in binary units: `900 bytes`, `64 MiB`, `200.5 MiB`,
/// `1.5 GiB` (whole numbers of a unit without decimals).
pub fn bytes_text(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut unit = 0;
    let mut size = 1024u64;
    while unit + 1 < UNITS.len() && n >= size * 1024 {
        unit += 1;
        size *= 1024;
    }
    if n % size == 0 {
        format!("{} {}", n / size, UNITS[unit])
    } else {
        format!("{:.1} {}", n as f64 / size as f64, UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_messages() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(2997), "2,997");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(bytes_text(900), "900 bytes");
        assert_eq!(bytes_text(64 << 20), "64 MiB");
        assert_eq!(bytes_text(200_000_000), "190.7 MiB");
        assert_eq!(bytes_text(3 << 30), "3 GiB");
        assert_eq!(bytes_text(1536), "1.5 KiB");
    }
}
