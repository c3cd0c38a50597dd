//! Bad and huge input, end to end: each case is processed, or reported as
//! `FILE:LINE: reason` (`FILE: reason` for whole files) and skipped with
//! exit status 2 while the rest goes on; memory stays bounded (checked on
//! `peak_rss_bytes` of summary.json, the child's own VmHWM). The data is
//! generated inside each test; each runs in a few seconds on 2 cores.

mod common;

use common::{read_jsonl, stderr};

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const MIB: u64 = 1 << 20;

fn reprint() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reprint"));
    command.env_remove("REPRINT_MODEL").env("XDG_CACHE_HOME", "/nonexistent-reprint-test-cache");
    command
}

/// Runs `command` (dedup, or scan without a model) on `inputs` into `out`.
fn run(command: &str, inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut c = reprint();
    c.arg(command).args(inputs).arg("--out").arg(out).args(extra);
    if command == "scan" {
        c.args(["--no-model", "--no-report"]);
    }
    c.output().expect("reprint runs")
}

fn summary(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// The ids of the documents of a run, in input order.
fn ids(command: &str, out: &Path) -> Vec<String> {
    let file = if command == "scan" { "documents.jsonl" } else { "clusters.jsonl" };
    read_jsonl(&out.join(file)).iter().map(|v| v["id"].as_str().unwrap().to_string()).collect()
}

fn peak_rss(out: &Path) -> u64 {
    summary(out)["peak_rss_bytes"].as_u64().expect("peak RSS known on Linux")
}

const STORY: &str = "The harbor bridge reopened on Monday after two years of repairs, the mayor said, as cyclists \
                     and a school bus waited to cross the river for the first time since the closure began.";

fn record(id: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "text": text }).to_string()
}

/// A 200 MB single-line record, over the default --max-record-bytes (64
/// MiB): reported with its line and skipped, read through without being
/// held (peak memory far under the record's size), the records around it
/// used.
#[test]
fn a_200_mb_single_line_record_is_skipped_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    let mut file = BufWriter::new(std::fs::File::create(&input).unwrap());
    writeln!(file, "{}", record("before", STORY)).unwrap();
    write!(file, "{{\"id\": \"huge\", \"text\": \"").unwrap();
    let chunk = "word ".repeat(200_000); // 1,000,000 bytes
    for _ in 0..200 {
        file.write_all(chunk.as_bytes()).unwrap();
    }
    writeln!(file, "\"}}").unwrap();
    writeln!(file, "{}", record("after", &STORY.replace("Monday", "Tuesday"))).unwrap();
    file.into_inner().unwrap().sync_all().unwrap();
    for command in ["dedup", "scan"] {
        let out = dir.path().join(command);
        let o = run(command, &[&input], &out, &["-q"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{command}: {err}");
        assert_eq!(
            err.trim_end(),
            format!("{}:2: record longer than --max-record-bytes (190.7 MiB > 64 MiB); skipped", input.display()),
            "{command}"
        );
        assert_eq!(ids(command, &out), vec!["before", "after"], "{command}");
        assert_eq!(summary(&out)["skipped"], 1);
        // The record alone is 200 MB; the reader keeps at most 64 MiB of it.
        let peak = peak_rss(&out);
        assert!(peak < 160 * MIB, "{command}: peak RSS {} MiB", peak / MIB);
    }
    // With a smaller limit, less memory still.
    let out = dir.path().join("small-limit");
    let o = run("dedup", &[&input], &out, &["-q", "--max-record-bytes", "1M"]);
    assert!(stderr(&o).contains(":2: record longer than --max-record-bytes (190.7 MiB > 1 MiB); skipped"));
    assert!(peak_rss(&out) < 64 * MIB, "peak RSS {} MiB", peak_rss(&out) / MIB);
}

/// A 50 MB text file with no line break is one document, read whole (it is
/// under the limit) and kept byte for byte; over a smaller limit it is
/// reported and skipped. `scan` holds every text in memory, so it gets a
/// 5 MB one (its cost is in the story and feature stages, not the reading).
#[test]
fn a_50_mb_text_without_line_breaks_is_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("one-line.txt");
    let words: Vec<String> = (0..10_000).map(|i| format!("w{i}")).collect();
    let mut text = String::with_capacity(50_000_100);
    let mut i = 0usize;
    while text.len() < 50_000_000 {
        text.push_str(&words[(i * 7919) % words.len()]);
        text.push(' ');
        i += 1;
    }
    text.truncate(50_000_000);
    std::fs::write(&big, &text).unwrap();

    let out = dir.path().join("dedup");
    let o = run("dedup", &[&big], &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(ids("dedup", &out), vec![big.display().to_string()]);
    let kept = read_jsonl(&out.join("kept.jsonl"));
    assert_eq!(kept[0]["text"].as_str().map(str::len), Some(50_000_000), "the text kept whole");
    assert!(kept[0]["text"].as_str().unwrap() == text);

    let out = dir.path().join("limited");
    let o = run("dedup", &[&big], &out, &["-q", "--max-record-bytes", "10MiB"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim_end(),
        format!("{}: file larger than --max-record-bytes (47.7 MiB > 10 MiB); skipped", big.display())
    );

    let five = dir.path().join("five.txt");
    std::fs::write(&five, &text[..5_000_000]).unwrap();
    let out = dir.path().join("scan");
    let o = run("scan", &[&five], &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docs = read_jsonl(&out.join("documents.jsonl"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["chars"], 5_000_000);
}

/// A million tiny records (pairs of exact duplicates): all read, clustered
/// and written; dedup's memory per document stays small (measured about
/// 0.7 KB per document here; the bound asserted is 1 GB).
#[test]
fn a_million_tiny_records() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("million.jsonl");
    let mut file = BufWriter::new(std::fs::File::create(&input).unwrap());
    for i in 0..1_000_000u32 {
        writeln!(file, "{{\"id\":{i},\"text\":\"tiny record {}\"}}", i / 2).unwrap();
    }
    file.into_inner().unwrap().sync_all().unwrap();
    let out = dir.path().join("out");
    let o = run("dedup", &[&input], &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&out);
    assert_eq!(s["documents"], 1_000_000);
    assert_eq!(s["clusters"], 500_000);
    assert_eq!(s["exact_duplicates"], 500_000);
    let clusters = std::fs::read_to_string(out.join("clusters.jsonl")).unwrap();
    assert_eq!(clusters.lines().count(), 1_000_000);
    assert_eq!(
        clusters.lines().nth(999_999).unwrap(),
        r#"{"id":"999999","cluster":"999998","representative":false,"similarity":1.0}"#
    );
    let peak = peak_rss(&out);
    assert!(peak < 1024 * MIB, "peak RSS {} MiB for a million documents", peak / MIB);
}

/// Empty and white-space-only texts, in JSON Lines and as files, are
/// documents (listed, nothing skipped), each with a warning; dedup puts the
/// ones with no words in one cluster (their word sequences are equal).
#[test]
fn empty_and_whitespace_only_texts_are_documents_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines = [record("a", STORY), record("empty", ""), record("blank", " \n\t \r\n "), record("dots", "… — !")];
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("empty.txt"), "").unwrap();
    std::fs::write(folder.join("blank.html"), "<html><body> <p>  </p><script>x()</script></body></html>").unwrap();
    for command in ["dedup", "scan"] {
        let out = dir.path().join(command);
        let o = run(command, &[&input, &folder], &out, &["-q"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{command}: {err}");
        assert_eq!(ids(command, &out), vec!["a", "empty", "blank", "dots", "blank.html", "empty.txt"]);
        for at in ["in.jsonl:2", "in.jsonl:3", "in.jsonl:4", "folder/blank.html", "folder/empty.txt"] {
            let line = format!("{}: warning: no words in the text", dir.path().join(at).display());
            assert!(err.lines().any(|l| l == line), "{command}: no {line:?} in:\n{err}");
        }
        assert_eq!(err.lines().count(), 5, "{command}: {err}");
    }
    let clusters: Vec<(String, String)> = read_jsonl(&dir.path().join("dedup/clusters.jsonl"))
        .iter()
        .map(|v| (v["id"].as_str().unwrap().into(), v["cluster"].as_str().unwrap().into()))
        .collect();
    for (id, cluster) in &clusters[1..] {
        assert_eq!(cluster, "empty", "{id}");
    }
}

/// Deep nesting: fields reprint ignores are skipped at any depth; a field it
/// reads (here `title`) nested deeper than serde_json's limit is reported
/// with its line. Never a stack overflow.
#[test]
fn deeply_nested_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("nested.jsonl");
    let nested = format!("{}1{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    let lines = [
        format!(r#"{{"id": "ignored", "text": "{STORY}", "meta": {nested}}}"#),
        format!(r#"{{"id": "title", "text": "{STORY}", "title": {nested}}}"#),
        format!(
            r#"{{"id": "objects", "text": "{STORY}", "meta": {}1{}}}"#,
            r#"{"a":"#.repeat(100_000),
            "}".repeat(100_000)
        ),
    ];
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    for command in ["dedup", "scan"] {
        let out = dir.path().join(command);
        let o = run(command, &[&input], &out, &["-q"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{command}: {err}");
        assert!(
            err.starts_with(&format!("{}:2: JSON nested more than 128 levels deep", input.display())),
            "{command}: {err}"
        );
        assert_eq!(ids(command, &out), vec!["ignored", "objects"]);
    }
}

/// Ids as written: numbers keep their digits (no float rounding: two long
/// numeric ids stay two ids), a very long id is kept whole, a missing one
/// becomes FILE:LINE; kept.jsonl holds the original lines byte for byte.
#[test]
fn numeric_and_very_long_ids() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ids.jsonl");
    let long = "long-id-".repeat(125_000); // 1 MB
                                           // Texts that share no word 5-gram: every document is its own cluster.
    let topics = ["rates", "storm", "election", "harvest", "strike", "museum", "ferry", "library"];
    let texts: Vec<String> =
        topics.iter().map(|t| format!("A story about the {t}, {t} and more {t} in town today.")).collect();
    let lines = [
        format!(r#"{{"id": 17, "text": "{}"}}"#, texts[0]),
        format!(r#"{{"id": 12345678901234567890123, "text": "{}"}}"#, texts[1]),
        format!(r#"{{"id": 12345678901234567890124, "text": "{}"}}"#, texts[2]),
        format!(r#"{{"id": 1e3, "text": "{}"}}"#, texts[3]),
        format!(r#"{{"id":-0.50,"text":"{}"}}"#, texts[4]),
        format!(r#"{{"id": "{long}", "text": "{}"}}"#, texts[5]),
        format!(r#"{{"text": "{}"}}"#, texts[6]),
        format!(r#"{{"id": null,  "text": "{}"}}"#, texts[7]),
    ];
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let at = input.display();
    let expected = vec![
        "17".to_string(),
        "12345678901234567890123".into(),
        "12345678901234567890124".into(),
        "1e3".into(),
        "-0.50".into(),
        long.clone(),
        format!("{at}:7"),
        format!("{at}:8"),
    ];
    for command in ["dedup", "scan"] {
        let out = dir.path().join(command);
        let o = run(command, &[&input], &out, &["-q"]);
        assert_eq!(o.status.code(), Some(0), "{command}: {}", stderr(&o));
        assert_eq!(ids(command, &out), expected, "{command}");
    }
    let kept = std::fs::read_to_string(dir.path().join("dedup/kept.jsonl")).unwrap();
    assert_eq!(kept, lines.join("\n") + "\n", "every record is its own cluster, kept byte for byte");
}

/// A `.gz` that is not gzip is reported on its line 1 and skipped; a
/// zero-byte `.zst` (or `.gz`) is an empty input: a warning, not an error.
#[test]
fn a_gz_that_is_not_gzip_and_a_zero_byte_zst() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake.jsonl.gz");
    std::fs::write(&fake, record("x", STORY) + "\n").unwrap();
    let empty_zst = dir.path().join("empty.jsonl.zst");
    std::fs::write(&empty_zst, b"").unwrap();
    let empty_gz = dir.path().join("empty.jsonl.gz");
    std::fs::write(&empty_gz, b"").unwrap();
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, record("good", STORY) + "\n").unwrap();
    for command in ["dedup", "scan"] {
        let out = dir.path().join(command);
        let o = run(command, &[&fake, &empty_zst, &empty_gz, &good], &out, &["-q"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{command}: {err}");
        assert_eq!(
            err.lines().collect::<Vec<_>>(),
            vec![
                format!("{}:1: not readable as gzip: invalid gzip header", fake.display()),
                format!("reprint: warning: no documents in {}", empty_zst.display()),
                format!("reprint: warning: no documents in {}", empty_gz.display()),
            ],
            "{command}"
        );
        assert_eq!(ids(command, &out), vec!["good"]);
    }
    let out = dir.path().join("only-empty");
    let o = run("dedup", &[&empty_zst], &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary(&out)["documents"], 0);
}

/// A folder with entries that cannot be read, each reported by path and
/// skipped (exit 2) while the good document is used. Tests run as root, for
/// whom `chmod 000` changes nothing, so the unreadable file is a symbolic
/// link to `/proc/self/mem`: a regular file whose read at offset 0 fails
/// with EIO for everyone. Also: a link to the folder itself (a loop), a link
/// to itself, a dangling link, and a named pipe called `.txt` (not opened:
/// it would block).
#[test]
fn a_folder_with_an_unreadable_file_and_a_symlink_loop() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("good.txt"), STORY).unwrap();
    let proc_mem = Path::new("/proc/self/mem").exists();
    if proc_mem {
        std::os::unix::fs::symlink("/proc/self/mem", folder.join("mem.txt")).unwrap();
    }
    std::os::unix::fs::symlink(".", folder.join("loop")).unwrap();
    std::os::unix::fs::symlink("self.txt", folder.join("self.txt")).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", folder.join("dangling.txt")).unwrap();
    assert!(Command::new("mkfifo").arg(folder.join("pipe.txt")).status().unwrap().success());
    let at = |name: &str| folder.join(name).display().to_string();
    let mut expected = vec![
        format!("{}: no such file or directory", at("dangling.txt")),
        format!(
            "{}: symbolic link loop (to {}, a folder that contains it); not followed",
            at("loop"),
            folder.display()
        ),
        format!("{}: not a regular file (a named pipe, socket or device); skipped", at("pipe.txt")),
        format!("{}: too many levels of symbolic links", at("self.txt")),
    ];
    if proc_mem {
        expected.push(format!("{}: cannot read: input/output error", at("mem.txt")));
    }
    for command in ["dedup", "scan"] {
        let out = dir.path().join(command);
        let o = run(command, &[&folder], &out, &["-q"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{command}: {err}");
        let mut lines: Vec<String> = err.lines().map(String::from).collect();
        lines.sort();
        let mut sorted = expected.clone();
        sorted.sort();
        assert_eq!(lines, sorted, "{command}");
        assert_eq!(ids(command, &out), vec!["good.txt"]);
        assert_eq!(summary(&out)["skipped"], expected.len());
    }
}

/// `--max-record-bytes` in scan, dedup and align: a record over it is
/// reported with its line and skipped, the rest is used; a file over it is
/// refused by align; a size that is not one is a usage error.
#[test]
fn max_record_bytes_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let long = format!("{STORY} {}", "more words ".repeat(200));
    let lines = [record("a", STORY), record("long", &long), record("b", &STORY.replace("Monday", "Friday"))];
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let size = reprint_io::bytes_text(lines[1].len() as u64);
    let reason = format!("{}:2: record longer than --max-record-bytes ({size} > 1 KiB); skipped", input.display());
    for command in ["dedup", "scan"] {
        let out = dir.path().join(command);
        let o = run(command, &[&input], &out, &["-q", "--max-record-bytes", "1K"]);
        assert_eq!(o.status.code(), Some(2), "{command}: {}", stderr(&o));
        assert_eq!(stderr(&o).trim_end(), reason, "{command}");
        assert_eq!(ids(command, &out), vec!["a", "b"]);
    }
    let o =
        reprint().args(["align", "a", "b", "--in"]).arg(&input).args(["--max-record-bytes", "1K"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o =
        reprint().args(["align", "a", "long", "--in"]).arg(&input).args(["--max-record-bytes", "1K"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("no record with id \"long\" (1 records could not be read, the first: {reason})")),
        "{}",
        stderr(&o)
    );
    let file = dir.path().join("long.txt");
    std::fs::write(&file, &long).unwrap();
    let o = reprint().args(["align"]).arg(&file).arg(&file).args(["--max-record-bytes", "1K"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!(
            "file larger than --max-record-bytes ({} > 1 KiB)",
            reprint_io::bytes_text(long.len() as u64)
        )),
        "{}",
        stderr(&o)
    );
    for bad in ["0", "lots", "1.5M"] {
        let o = reprint()
            .args(["dedup"])
            .arg(&input)
            .args(["--out", "/nonexistent", "--max-record-bytes", bad])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{bad}");
        assert!(stderr(&o).contains("--max-record-bytes"), "{bad}: {}", stderr(&o));
    }
}
