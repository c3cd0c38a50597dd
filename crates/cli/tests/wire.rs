//! The outputs on the wire are what `reprint-wire` says: every line of every
//! output of `scan` (on `examples/newsroom`), of `align --format json` and
//! of `dedup` (`clusters.jsonl`)
//! validates against its JSON Schema (generated from the structs), and reads
//! into its typed struct and writes back to the same bytes, so that no field
//! is missing, extra, renamed or out of order.

mod common;

use std::path::Path;
use std::process::Command;

use common::stderr;
use reprint_wire::{
    AlignOutput, ClusterLine, DedupSummary, DocumentLine, PairLine, PassageLine, ProvenanceLine, ScanSummary,
    StoryLine, ThreadLine,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn reprint(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reprint"));
    c.env_remove("REPRINT_MODEL").env("HOME", home).env("XDG_CACHE_HOME", home.join("cache"));
    c
}

fn schema(name: &str) -> Value {
    reprint_wire::schemas().into_iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no schema {name}")).1
}

/// Checks one JSON text against the schema of `name` and the type `T`;
/// returns the value.
fn check<T: Serialize + DeserializeOwned>(name: &str, text: &str) -> Value {
    let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {text}"));
    let validator = jsonschema::validator_for(&schema(name)).expect("a valid schema");
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{name}: {errors:?} in {text}");
    let typed: T =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: does not read as its type ({e}): {text}"));
    let back = serde_json::to_string(&typed).unwrap();
    let compact = serde_json::to_string(&value).unwrap();
    assert_eq!(back, compact, "{name}: the typed struct writes another line");
    value
}

fn check_jsonl<T: Serialize + DeserializeOwned>(dir: &Path, name: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for line in &lines {
        check::<T>(name, line);
    }
    lines.len()
}

#[test]
fn scan_and_align_outputs_match_the_wire_types_and_schemas() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/newsroom");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = reprint(dir.path())
        .args(["scan", example.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-model", "-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let documents = check_jsonl::<DocumentLine<String>>(&out, "documents.jsonl");
    let pairs = check_jsonl::<PairLine<String>>(&out, "pairs.jsonl");
    let passages = check_jsonl::<PassageLine>(&out, "passages.jsonl");
    let stories = check_jsonl::<StoryLine>(&out, "stories.jsonl");
    let threads = check_jsonl::<ThreadLine>(&out, "threads.jsonl");
    assert!(threads > 0 && threads <= stories, "{threads} threads of {stories} stories");
    let edges = check_jsonl::<ProvenanceLine<String>>(&out, "provenance.jsonl");
    // Every kind of line is there to check, and the summary counts them.
    assert!(documents > 0 && pairs > 0 && passages > 0 && stories > 0 && edges > 0);
    let summary = check::<ScanSummary>("summary.json", &std::fs::read_to_string(out.join("summary.json")).unwrap());
    let summary: ScanSummary = serde_json::from_value(summary).unwrap();
    assert_eq!(summary.schema_version, reprint_wire::SCHEMA_VERSION);
    assert_eq!(
        (summary.documents, summary.pairs, summary.passages, summary.stories, summary.provenance_edges),
        (documents, pairs, passages, stories, edges)
    );

    let o = reprint(dir.path())
        .args(["align", "--format", "json"])
        .arg(example.join("bridge-reopens.txt"))
        .arg(example.join("bridge-short-item.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let align = check::<AlignOutput>("align.json", String::from_utf8(o.stdout).unwrap().trim_end());
    assert!(!align["passages"].as_array().unwrap().is_empty());
    assert!(align["passages"][0]["a_byte_start"].is_u64(), "align passages carry byte offsets");

    let dedup = dir.path().join("dedup");
    let o = reprint(dir.path())
        .args(["dedup", example.to_str().unwrap(), "--out", dedup.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(check_jsonl::<ClusterLine>(&dedup, "clusters.jsonl"), documents);
    let summary =
        check::<DedupSummary>("dedup-summary.json", &std::fs::read_to_string(dedup.join("summary.json")).unwrap());
    assert_eq!(summary["documents"], documents);
    assert_eq!(summary["schema_version"], reprint_wire::SCHEMA_VERSION);
}

#[test]
fn a_line_with_a_missing_or_mistyped_field_fails_the_schema() {
    let line = r#"{"story":0,"thread":0,"documents":["a.txt"],"first_seen":null,"label":"x"}"#;
    check::<StoryLine>("stories.jsonl", line);
    let validator = jsonschema::validator_for(&schema("stories.jsonl")).unwrap();
    let missing: Value =
        serde_json::from_str(r#"{"story":0,"thread":0,"documents":["a.txt"],"first_seen":null}"#).unwrap();
    assert!(!validator.is_valid(&missing), "label is required");
    let mistyped: Value =
        serde_json::from_str(r#"{"story":"0","documents":[],"first_seen":null,"label":"x"}"#).unwrap();
    assert!(!validator.is_valid(&mistyped), "story is a number");
}
