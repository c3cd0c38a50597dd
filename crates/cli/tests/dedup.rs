//! End-to-end tests: the built `reprint` binary in a temporary directory.

mod common;

use common::{read_jsonl, seeds_dir, stderr};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn reprint() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reprint"))
}

fn run(args: &[&str]) -> Output {
    reprint().args(args).output().expect("reprint runs")
}

/// id -> cluster id, from clusters.jsonl.
fn clusters(out: &Path) -> Vec<(String, String)> {
    read_jsonl(&out.join("clusters.jsonl"))
        .iter()
        .map(|v| (v["id"].as_str().unwrap().to_string(), v["cluster"].as_str().unwrap().to_string()))
        .collect()
}

fn cluster_of<'a>(c: &'a [(String, String)], id: &str) -> &'a str {
    &c.iter().find(|(i, _)| i == id).unwrap_or_else(|| panic!("{id} missing")).1
}

const ARTICLE: &str = "The harbor bridge reopened on Monday after two years of repairs, the mayor said, \
    as cyclists and a school bus waited to cross the river for the first time since the closure began";

fn good_line(id: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "text": text }).to_string()
}

/// Runs dedup on one JSONL file holding `good` records and `bad` raw lines;
/// returns the output and the output directory.
fn dedup_file(dir: &Path, name: &str, contents: &[u8]) -> (Output, PathBuf) {
    let input = dir.join(name);
    std::fs::write(&input, contents).unwrap();
    let out = dir.join("out");
    let o = run(&["dedup", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    (o, out)
}

fn check_bad_line(bad: &[u8], reason: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut contents = Vec::new();
    writeln!(contents, "{}", good_line("a", ARTICLE)).unwrap();
    contents.extend_from_slice(bad);
    contents.push(b'\n');
    writeln!(contents, "{}", good_line("b", ARTICLE)).unwrap();
    let (o, out) = dedup_file(dir.path(), "in.jsonl", &contents);
    assert_eq!(o.status.code(), Some(2), "exit status 2 when a record is skipped; stderr: {}", stderr(&o));
    let err = stderr(&o);
    let expected = format!("{}:2: {reason}", dir.path().join("in.jsonl").display());
    assert!(err.contains(&expected), "stderr should contain {expected:?}:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    let c = clusters(&out);
    assert_eq!(c.len(), 2, "both good records processed");
    assert_eq!(cluster_of(&c, "b"), "a");
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["skipped"], 1);
    assert_eq!(summary["documents"], 2);
}

#[test]
fn truncated_line_is_reported_and_skipped() {
    check_bad_line(br#"{"id": "c", "text": "the harbor bri"#, "truncated JSON record");
}

#[test]
fn non_json_line_is_reported_and_skipped() {
    check_bad_line(b"<html>not json</html>", "not JSON");
}

#[test]
fn record_without_text_is_reported_and_skipped() {
    check_bad_line(br#"{"id": "c", "body": "no text here"}"#, "no \"text\" field");
}

#[test]
fn invalid_utf8_is_decoded_lossily_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut contents = Vec::new();
    writeln!(contents, "{}", good_line("a", ARTICLE)).unwrap();
    contents.extend_from_slice(b"{\"id\": \"c\", \"text\": \"caf\xe9 \xff\xfe ");
    contents.extend_from_slice(ARTICLE.as_bytes());
    contents.extend_from_slice(b"\"}\n");
    let (o, out) = dedup_file(dir.path(), "in.jsonl", &contents);
    assert_eq!(o.status.code(), Some(0), "lossy decoding skips nothing: {}", stderr(&o));
    assert!(stderr(&o).contains("in.jsonl:2: warning: invalid UTF-8"), "{}", stderr(&o));
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["lossy_utf8_documents"], 1);
    assert_eq!(clusters(&out).len(), 2);
}

#[test]
fn empty_file_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = dedup_file(dir.path(), "empty.jsonl", b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let warning = format!("reprint: warning: no documents in {}", dir.path().join("empty.jsonl").display());
    assert!(stderr(&o).contains(&warning), "{}", stderr(&o));
    assert!(clusters(&out).is_empty());
    assert_eq!(std::fs::read_to_string(out.join("kept.jsonl")).unwrap(), "");
}

#[test]
fn all_bad_cases_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut contents = Vec::new();
    writeln!(contents, "{}", good_line("a", ARTICLE)).unwrap();
    writeln!(contents, "{{\"id\": \"t\", \"text\": \"cut").unwrap();
    writeln!(contents, "not json at all").unwrap();
    writeln!(contents, "{{\"id\": \"n\"}}").unwrap();
    contents.extend_from_slice(b"{\"id\": \"u\", \"text\": \"bad \xc3\x28 bytes\"}\n");
    writeln!(contents, "{}", good_line("b", &ARTICLE.replace("Monday", "Tuesday"))).unwrap();
    let input = dir.path().join("mixed.jsonl");
    std::fs::write(&input, contents).unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let out = dir.path().join("out");
    let o = run(&["dedup", input.to_str().unwrap(), empty.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for (line, reason) in [(2, "truncated JSON record"), (3, "not JSON"), (4, "no \"text\" field")] {
        let expected = format!("{}:{line}: {reason}", input.display());
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.contains("3 skipped"), "summary line counts the skips:\n{err}");
    let ids: Vec<String> = clusters(&out).into_iter().map(|(i, _)| i).collect();
    assert_eq!(ids, vec!["a", "u", "b"]);
}

#[test]
fn missing_input_is_skipped_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, format!("{}\n", good_line("a", ARTICLE))).unwrap();
    let out = dir.path().join("out");
    let o = run(&["dedup", "/nonexistent/x.jsonl", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/x.jsonl: no such file or directory"), "{}", stderr(&o));
    assert_eq!(clusters(&out).len(), 1);
}

#[test]
fn bad_settings_are_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["dedup", ".", "--out", dir.path().to_str().unwrap(), "--threshold", "1.5"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("threshold must be in (0, 1]"), "{}", stderr(&o));
    let o = run(&["dedup", "--bogus"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn kept_records_are_byte_identical_and_outputs_complete() {
    let dir = tempfile::tempdir().unwrap();
    // Odd spacing, key order and an unused field must survive unchanged.
    let first = format!("{{ \"text\" : {:?},\"id\":\"x1\",  \"extra\": [1, 2]}}", ARTICLE);
    let copy = good_line("x2", &ARTICLE.to_uppercase());
    let other = good_line("y", "A completely different story about an apple festival at the orchard this weekend");
    let (o, out) = dedup_file(dir.path(), "in.jsonl", format!("{first}\n{copy}\n{other}\n").as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let kept = std::fs::read_to_string(out.join("kept.jsonl")).unwrap();
    assert_eq!(kept, format!("{first}\n{other}\n"));
    let rows = read_jsonl(&out.join("clusters.jsonl"));
    assert_eq!(rows[1]["cluster"], "x1");
    assert_eq!(rows[1]["representative"], false);
    assert_eq!(rows[1]["similarity"], 1.0, "case differences vanish in normalization");
    assert_eq!(rows[0]["representative"], true);
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    for key in ["documents", "clusters", "removed", "skipped", "settings", "s_curve", "seconds", "peak_rss_bytes"] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["removed"], 1);
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 3, "no temporary files left: {names:?}");
}

#[test]
fn gzip_and_stdin_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("in.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    writeln!(enc, "{}", good_line("g", ARTICLE)).unwrap();
    enc.finish().unwrap();
    let out = dir.path().join("out");
    let mut child = reprint()
        .args(["dedup", gz.to_str().unwrap(), "-", "--out", out.to_str().unwrap(), "-q"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{}", serde_json::json!({"text": ARTICLE})).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = clusters(&out);
    assert_eq!(c, vec![("g".to_string(), "g".to_string()), ("<stdin>:1".to_string(), "g".to_string())]);
}

#[test]
fn same_output_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut contents = String::new();
    for i in 0..300 {
        let family = i % 37;
        let text = format!("{ARTICLE} story number {family} {}", if i % 3 == 0 { "with a short addition" } else { "" });
        contents.push_str(&good_line(&format!("d{i}"), &text));
        contents.push('\n');
    }
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, contents).unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = dir.path().join(format!("out{threads}"));
        let o = run(&["dedup", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--threads", threads, "-q"]);
        assert_eq!(o.status.code(), Some(0));
        outputs.push(std::fs::read(out.join("clusters.jsonl")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn example_corpus() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/newsroom");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(&["dedup", example.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = clusters(&out);
    assert_eq!(c.len(), 8);
    let bridge = cluster_of(&c, "bridge-reopens.txt");
    assert_eq!(cluster_of(&c, "bridge-reopens-repost.md"), bridge, "repost with header/footer");
    assert_eq!(cluster_of(&c, "bridge-reopens-edited.html"), bridge, "HTML version with word edits");
    assert_eq!(
        cluster_of(&c, "bridge-short-item.txt"),
        "bridge-short-item.txt",
        "a short excerpt is not a near-duplicate"
    );
    assert_eq!(cluster_of(&c, "library-hours-copy.txt"), "library-hours-copy.txt", "first in input order is kept");
    assert_eq!(cluster_of(&c, "library-hours.txt"), "library-hours-copy.txt");
    assert_eq!(cluster_of(&c, "orchard-festival.txt"), "orchard-festival.txt");
    assert_eq!(
        cluster_of(&c, "bridge-reopens-rewrite.txt"),
        "bridge-reopens-rewrite.txt",
        "a rewrite is no near-duplicate"
    );
}

/// The reference case. Reads ../shared beside the repository; without it
/// the test fails in CI and says SKIPPED elsewhere (see `common::missing`).
#[test]
fn seeds() {
    let Some(seeds) = seeds_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(&["dedup", seeds.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = clusters(&out);
    let id = |prefix: &str| c.iter().find(|(i, _)| i.starts_with(prefix)).unwrap().0.clone();
    let (s0, s1) = (id("000_"), id("001_"));
    assert_eq!(cluster_of(&c, &s1), s0, "001 is a near-copy of 000");
    for p in ["002_", "003_", "004_"] {
        let d = id(p);
        assert_eq!(cluster_of(&c, &d), d, "{d} stands alone");
        assert!(c.iter().all(|(i, cl)| i == &d || cl != &d), "nothing joins {d}");
    }
}
