//! Fault isolation, the last line of defence: a panic while analysing one
//! document or pair (injected here with the testing switch
//! `REPRINT_INJECT_PANIC=ID`) is reported once on stderr as
//! `reprint: internal error on …: … (please report it)`, counted in
//! summary.json, and the run writes every other result and exits 3.

mod common;

use common::{read_jsonl, stderr};

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const STORY: [&str; 3] = [
    "The harbor bridge in Millbrook reopened to traffic on Monday morning after two years of repairs. Engineers \
     had closed it when inspectors found corrosion in three of its steel supports. Mayor Dana Whitfield cut a \
     ribbon at the eastern end of the span shortly after seven o'clock.",
    "Local businesses on Quay Street welcomed the news after losing passing trade during the closure. The repairs \
     cost fourteen million dollars, most of it from a state infrastructure grant.",
    "Apple growers from the valley will sell fruit, preserves and seedlings at the autumn festival. Parking is \
     limited, and visitors are asked to take the shuttle bus from the railway station.",
];

fn corpus(dir: &Path) -> std::path::PathBuf {
    let texts = [
        format!("{} {}", STORY[0], STORY[1]),
        format!("Comment: a fine day for the town. {} {}", STORY[0], STORY[1]),
        format!("{} {}", STORY[0], STORY[1]),
        STORY[2].to_string(),
    ];
    let lines: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": format!("doc{i}"), "text": t}).to_string())
        .collect();
    let path = dir.join("in.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn reprint(args: &[&str], inject: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reprint"))
        .env_remove("REPRINT_MODEL")
        .env("REPRINT_INJECT_PANIC", inject)
        .args(args)
        .output()
        .unwrap()
}

fn summary(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

/// The one line that reports the internal error, and that it names `what`.
fn reported_once(o: &Output, what: &str) {
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("internal error on")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("reprint: internal error on "), "{err}");
    assert!(lines[0].contains(what) && lines[0].contains("injected panic"), "{err}");
    assert!(lines[0].ends_with("(please report it)"), "{err}");
    assert!(!err.contains("panicked at"), "no raw panic message: {err}");
}

#[test]
fn scan_goes_on_after_a_document_panics() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let out = dir.path().join("out");
    let args = ["scan", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-model", "-q"];
    let o = reprint(&args, "doc2");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    reported_once(&o, "document \"doc2\"");
    let s = summary(&out);
    assert_eq!(s["internal_errors"], 1);
    assert_eq!(s["documents"], 4);
    // Every document is listed; the others still make their pair.
    let docs = read_jsonl(&out.join("documents.jsonl"));
    assert_eq!(docs.len(), 4);
    let pairs = read_jsonl(&out.join("pairs.jsonl"));
    assert!(pairs.iter().any(|p| p["a"] == "doc0" && p["b"] == "doc1"), "{pairs:?}");
    assert!(out.join("report.html").is_file());

    // Without the switch: no internal error, exit 0.
    let o = reprint(&args, "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary(&out)["internal_errors"], 0);
}

#[test]
fn dedup_keeps_the_document_whose_sketch_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let out = dir.path().join("out");
    let o = reprint(&["dedup", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"], "doc1");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    reported_once(&o, "document \"doc1\"");
    assert_eq!(summary(&out)["internal_errors"], 1);
    // Nothing lost: doc1 is kept alone; doc0 and doc2 (identical) still
    // cluster.
    let kept = read_jsonl(&out.join("kept.jsonl"));
    let ids: Vec<&str> = kept.iter().map(|k| k["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["doc0", "doc1", "doc3"]);
}

#[test]
fn align_reports_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, STORY[0]).unwrap();
    std::fs::write(&b, STORY[0]).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let o = reprint(&["align", "--format", "json", a, b], a);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    reported_once(&o, "pair ");
    assert!(o.stdout.is_empty());
}

#[test]
fn pan_detect_goes_on_after_a_pair_panics() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    for sub in ["susp", "src"] {
        std::fs::create_dir_all(corpus.join(sub)).unwrap();
    }
    let text = format!("{} {}", STORY[0], STORY[1]);
    for name in ["s1.txt", "s2.txt"] {
        std::fs::write(corpus.join("susp").join(name), &text).unwrap();
        std::fs::write(corpus.join("src").join(name.replace('s', "r")), &text).unwrap();
    }
    std::fs::write(corpus.join("pairs"), "s1.txt r1.txt\ns2.txt r2.txt\n").unwrap();
    let out = dir.path().join("det");
    let o = reprint(&["pan", "detect", corpus.to_str().unwrap(), "--out", out.to_str().unwrap()], "s2.txt");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    reported_once(&o, "pair s2.txt / r2.txt");
    let written: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].contains("s1"), "{written:?}");
}
