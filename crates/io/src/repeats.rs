//! The same problem in many records of one file: a wrong `--text-field`,
//! a file that is not JSON Lines at all. [`Repeats`] lets the first few
//! problems of each kind in each file through, counts the rest, and sums
//! them up in one line per file and kind:
//!
//! ```text
//! in.jsonl: 2,997 more records without field "body"; fields seen: id, text, title
//! in.jsonl: 41 more records skipped for the same reason: not JSON
//! ```
//!
//! Every problem is still counted by the caller (as skipped); only the
//! printing is grouped.

use std::collections::HashMap;

use crate::record::{list_fields, missing_field};
use crate::{thousands, Problem};

/// The kind of a problem: its reason up to the first detail (`: `, ` (`,
/// `; `, ` at column`), so that `not JSON: expected value` and
/// `not JSON: EOF while parsing` are one kind.
pub fn kind(reason: &str) -> &str {
    let end = [": ", " (", "; ", " at column"].iter().filter_map(|sep| reason.find(sep)).min().unwrap_or(reason.len());
    &reason[..end]
}

/// One file's problems of one kind.
struct Group {
    file: String,
    kind: String,
    count: u64,
    /// For records without the text field: its name and the fields those
    /// records had, in the order first seen.
    missing: Option<(String, Vec<String>)>,
}

/// Decides which problems are printed and sums up the rest.
pub struct Repeats {
    shown: u64,
    groups: Vec<Group>,
    index: HashMap<(String, String), usize>,
}

impl Repeats {
    /// Shows the first `shown` problems of each kind in each file.
    pub fn new(shown: u64) -> Repeats {
        Repeats { shown, groups: Vec::new(), index: HashMap::new() }
    }

    /// Counts a problem; true if it is to be printed.
    pub fn admit(&mut self, problem: &Problem) -> bool {
        let kind = kind(&problem.reason);
        let key = (problem.location.file.clone(), kind.to_string());
        let at = *self.index.entry(key).or_insert_with(|| {
            self.groups.push(Group {
                file: problem.location.file.clone(),
                kind: kind.to_string(),
                count: 0,
                missing: None,
            });
            self.groups.len() - 1
        });
        let group = &mut self.groups[at];
        group.count += 1;
        if let Some((field, fields)) = missing_field(&problem.reason) {
            let (_, seen) = group.missing.get_or_insert_with(|| (field.to_string(), Vec::new()));
            for f in fields {
                // Files have a handful of distinct fields; stop collecting
                // names long after the list shown is full.
                if seen.len() < 64 && !seen.iter().any(|s| s == f) {
                    seen.push(f.to_string());
                }
            }
        }
        group.count <= self.shown
    }

    /// One line per file and kind with problems not printed, in the order
    /// the groups were first seen.
    pub fn summary(&self) -> Vec<String> {
        self.groups
            .iter()
            .filter(|g| g.count > self.shown)
            .map(|g| {
                let more = thousands(g.count - self.shown);
                let records = if g.count - self.shown == 1 { "record" } else { "records" };
                match &g.missing {
                    Some((field, seen)) if seen.is_empty() => {
                        format!("{}: {more} more {records} without field \"{field}\"; fields seen: none", g.file)
                    }
                    Some((field, seen)) => format!(
                        "{}: {more} more {records} without field \"{field}\"; fields seen: {}",
                        g.file,
                        list_fields(seen.iter().map(String::as_str))
                    ),
                    None => format!("{}: {more} more {records} skipped for the same reason: {}", g.file, g.kind),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{parse_line, Fields};
    use crate::Location;

    fn problem(file: &str, line: u64, json: &str, fields: &Fields) -> Problem {
        parse_line(json.as_bytes(), fields, &Location { file: file.into(), line: Some(line) }).unwrap_err()
    }

    #[test]
    fn kinds() {
        assert_eq!(kind("not JSON: expected value"), "not JSON");
        assert_eq!(kind("truncated JSON record (ends after 12 bytes while parsing)"), "truncated JSON record");
        assert_eq!(kind("trailing data after the JSON record at column 14"), "trailing data after the JSON record");
        assert_eq!(kind("no \"body\" field; the record has: id, text"), "no \"body\" field");
        assert_eq!(kind("cannot open"), "cannot open");
    }

    #[test]
    fn a_wrong_text_field_is_shown_three_times_then_summed_up() {
        let body = Fields { text: "body".into(), id: "id".into() };
        let mut repeats = Repeats::new(3);
        let mut printed = Vec::new();
        for line in 1..=3000 {
            let json = if line == 2000 {
                r#"{"id": 1, "text": "x", "title": "t", "lang": "en"}"#
            } else {
                r#"{"id": 1, "text": "x", "title": "t"}"#
            };
            let p = problem("in.jsonl", line, json, &body);
            if repeats.admit(&p) {
                printed.push(p.to_string());
            }
        }
        // Another kind in the same file, and the same kind in another file,
        // have their own counts.
        for line in 1..=5 {
            let p = problem("in.jsonl", 3000 + line, "not json", &body);
            if repeats.admit(&p) {
                printed.push(p.to_string());
            }
        }
        let p = problem("other.jsonl", 1, r#"{"text": "x"}"#, &body);
        assert!(repeats.admit(&p));
        assert_eq!(printed.len(), 6, "{printed:#?}");
        assert_eq!(printed[0], "in.jsonl:1: no \"body\" field; the record has: id, text, title");
        assert_eq!(
            repeats.summary(),
            vec![
                "in.jsonl: 2,997 more records without field \"body\"; fields seen: id, text, title, lang".to_string(),
                "in.jsonl: 2 more records skipped for the same reason: not JSON".to_string(),
            ]
        );
    }

    #[test]
    fn few_problems_no_summary() {
        let mut repeats = Repeats::new(3);
        for line in 1..=3 {
            assert!(repeats.admit(&problem("a", line, "[1]", &Fields::default())));
        }
        assert!(repeats.summary().is_empty());
    }
}
