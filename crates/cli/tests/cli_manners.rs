//! What a new user meets first, in every command: a closed standard output
//! (`reprint … | head -1`), inputs that are all missing, a wrong
//! `--text-field`, an empty folder or empty standard input.

mod common;

use common::{closed_pipe, read_jsonl, stderr, stdout};

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn reprint() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reprint"));
    command.env_remove("REPRINT_MODEL").env("XDG_CACHE_HOME", "/nonexistent-reprint-test-cache");
    command
}

fn run(args: &[&str]) -> Output {
    reprint().args(args).output().expect("reprint runs")
}

fn summary(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

const STORY: &str = "The harbor bridge reopened on Monday after two years of repairs, the mayor said, as cyclists \
                     and a school bus waited to cross the river for the first time since the closure began.";

/// A tiny PAN corpus (one pair, no cases) and its truth, for `pan`.
fn pan_corpus(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("pan");
    std::fs::create_dir_all(corpus.join("susp")).unwrap();
    std::fs::create_dir_all(corpus.join("src")).unwrap();
    std::fs::write(corpus.join("pairs"), "suspicious-document00001.txt source-document00001.txt\n").unwrap();
    std::fs::write(corpus.join("susp/suspicious-document00001.txt"), STORY).unwrap();
    std::fs::write(corpus.join("src/source-document00001.txt"), STORY).unwrap();
    std::fs::write(
        corpus.join("suspicious-document00001-source-document00001.xml"),
        "<document reference=\"suspicious-document00001.txt\">\n</document>\n",
    )
    .unwrap();
    corpus
}

/// Every command that writes to standard output ends quietly (exit 0,
/// nothing on stderr, no panic) when it is closed, as in `… | head -1`;
/// the commands that write files do not care. (`model info` and the hidden
/// `model embed` are in tests/model.rs, which has a model.) A closed pipe
/// on stderr loses messages, not the run.
#[test]
fn closed_stdout_ends_every_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Long documents: the text view of `align` is far longer than a pipe's buffer.
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, format!("{STORY}\n\n").repeat(2000)).unwrap();
    std::fs::write(&b, format!("{STORY} And then it rained.\n\n").repeat(2000)).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let corpus = pan_corpus(dir.path());
    let detections = dir.path().join("detections");
    let o = run(&["pan", "detect", corpus.to_str().unwrap(), "--out", detections.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["align", a, b],
        vec!["align", a, b, "--format", "json"],
        vec!["pan", "score", corpus.to_str().unwrap(), detections.to_str().unwrap()],
        vec!["--help"],
        vec!["dedup", "--help"],
        vec!["--version"],
        vec!["dedup", a, b, "--out", out, "-q"],
        vec!["scan", a, b, "--out", out, "-q", "--no-model"],
    ];
    for args in cases {
        let o = reprint().args(&args).stdout(closed_pipe()).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
    // The same with output: pan score prints its table.
    let o = run(&["pan", "score", corpus.to_str().unwrap(), detections.to_str().unwrap()]);
    assert!(stdout(&o).starts_with("| folder | pairs |"), "{}", stdout(&o));

    // A broken stderr: problems cannot be reported, but the run ends as it
    // would have (2: a record was skipped), not with a panic.
    let input = dir.path().join("bad.jsonl");
    std::fs::write(&input, format!("{{\"id\": \"a\", \"text\": \"{STORY}\"}}\nnot json\n")).unwrap();
    let o = reprint()
        .args(["dedup", input.to_str().unwrap(), "--out", out])
        .stdout(Stdio::null())
        .stderr(closed_pipe())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(read_jsonl(&Path::new(out).join("clusters.jsonl")).len(), 1);
}

/// When every input is missing, scan and dedup stop with exit 1 and write
/// nothing, not even the output folder; align and pan likewise.
#[test]
fn all_inputs_missing_is_fatal_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let missing_a = dir.path().join("missing-a.jsonl");
    let missing_b = dir.path().join("missing-b");
    for command in ["dedup", "scan"] {
        let mut args = vec![command, missing_a.to_str().unwrap(), missing_b.to_str().unwrap()];
        args.extend(["--out", out.to_str().unwrap()]);
        if command == "scan" {
            args.push("--no-model");
        }
        let o = run(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{command}: {err}");
        assert!(err.contains(&format!("{}: no such file or directory", missing_a.display())), "{err}");
        assert!(err.contains(&format!("{}: no such file or directory", missing_b.display())), "{err}");
        assert!(
            err.contains(
                "reprint: error: no document can be read from any of the inputs (see above); nothing was written"
            ),
            "{err}"
        );
        assert!(!out.exists(), "{command} wrote {}", out.display());
    }
    // One missing among readable inputs is a skip (exit 2), not fatal.
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, format!("{{\"id\": \"a\", \"text\": \"{STORY}\"}}\n")).unwrap();
    let o = run(&["dedup", missing_a.to_str().unwrap(), good.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(summary(&out)["documents"], 1);

    let o = run(&["align", missing_a.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no such file or directory"), "{}", stderr(&o));

    let pan_out = dir.path().join("pan-out");
    let o = run(&["pan", "detect", missing_b.to_str().unwrap(), "--out", pan_out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!pan_out.exists());
    let corpus = pan_corpus(dir.path());
    let o = run(&["pan", "score", corpus.to_str().unwrap(), missing_b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not a folder of detections"), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "no table of zeros");
}

/// A wrong `--text-field` on 3,000 records: three reports, then one line
/// that says how many more and names the fields the records do have.
#[test]
fn wrong_text_field_is_summed_up_with_the_fields_seen() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines: String =
        (0..3000).map(|i| format!("{{\"id\": {i}, \"text\": \"{STORY} {i}\", \"title\": \"t\"}}\n")).collect();
    std::fs::write(&input, lines).unwrap();
    let at = input.display().to_string();
    for command in ["dedup", "scan"] {
        let out = dir.path().join(command);
        let mut args = vec![command, &at, "--out", out.to_str().unwrap(), "--text-field", "body"];
        if command == "scan" {
            args.push("--no-model");
        }
        let o = run(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        let problem_lines: Vec<&str> = err.lines().filter(|l| l.starts_with(&at)).collect();
        assert_eq!(
            problem_lines,
            vec![
                format!("{at}:1: no \"body\" field; the record has: id, text, title"),
                format!("{at}:2: no \"body\" field; the record has: id, text, title"),
                format!("{at}:3: no \"body\" field; the record has: id, text, title"),
                format!("{at}: 2,997 more records without field \"body\"; fields seen: id, text, title"),
            ],
            "{command}"
        );
        assert!(err.lines().count() <= 12, "{command}: a short stderr:\n{err}");
        assert_eq!(summary(&out)["skipped"], 3000, "{command}: every skip is counted");
    }
    // align --in says why an id is not found.
    let o = run(&["align", "1", "2", "--in", &at, "--text-field", "body"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!(
            "no record with id \"1\" (3,000 records could not be read, the first: {at}:1: no \"body\" field; the \
             record has: id, text, title)"
        )),
        "{}",
        stderr(&o)
    );
}

/// An empty folder, a folder without documents, empty standard input and a
/// file of blank lines each get a warning naming them; the run is not an
/// error (exit 0) and writes its (empty) outputs.
#[test]
fn no_documents_in_an_input_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let jsonl_only = dir.path().join("jsonl-only");
    std::fs::create_dir(&jsonl_only).unwrap();
    std::fs::write(jsonl_only.join("a.jsonl"), "{}\n").unwrap();
    let blank = dir.path().join("blank.jsonl");
    std::fs::write(&blank, "\n   \n\n").unwrap();
    for command in ["dedup", "scan"] {
        let out = dir.path().join(command);
        let mut args =
            vec![command, empty.to_str().unwrap(), jsonl_only.to_str().unwrap(), blank.to_str().unwrap(), "-"];
        args.extend(["--out", out.to_str().unwrap()]);
        if command == "scan" {
            args.push("--no-model");
        }
        let o = reprint().args(&args).stdin(Stdio::null()).output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{command}: {err}");
        let folder_note = "(a folder's documents are its .txt, .md, .markdown, .html and .htm files)";
        for line in [
            format!("reprint: warning: no documents in {} {folder_note}", empty.display()),
            format!("reprint: warning: no documents in {} {folder_note}", jsonl_only.display()),
            format!("reprint: warning: no documents in {}", blank.display()),
            "reprint: warning: no documents in <stdin>".to_string(),
        ] {
            assert!(err.lines().any(|l| l == line), "{command}: missing {line:?} in:\n{err}");
        }
        assert_eq!(summary(&out)["documents"], 0);
    }
    let o = run(&["align", "a", "b", "--in", blank.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("{}: no record with id \"a\" (it holds no records)", blank.display())),
        "{}",
        stderr(&o)
    );
}
