//! End-to-end tests of `reprint model`: `info` on a tiny model directory the
//! test writes, `pull` failing cleanly without a reachable server, and the
//! hidden `embed` used by the parity check.

mod common;

use common::{closed_pipe, stderr, stdout};

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use reprint_core::embed::safetensors::{serialize, Dtype};
use serde_json::Value;

fn reprint() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reprint"));
    // The user's own model settings must not leak into the tests.
    command.env_remove("REPRINT_MODEL").env("XDG_CACHE_HOME", "/nonexistent-reprint-test-cache");
    command
}

const VOCAB: &[&str] = &["[PAD]", "[UNK]", "the", "harbor", "bridge", "re", "##open", "##ed", "."];
const DIM: usize = 3;

/// A model2vec directory with a six-word vocabulary and a manifest.
fn tiny_model(dir: &Path) {
    let vocab: serde_json::Map<String, Value> =
        VOCAB.iter().enumerate().map(|(i, t)| (t.to_string(), Value::from(i))).collect();
    let tokenizer = serde_json::json!({
        "added_tokens": [],
        "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                       "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    });
    let values: Vec<u8> =
        (0..VOCAB.len()).flat_map(|i| [i as f32, 1.0, 0.0]).flat_map(|v: f32| v.to_le_bytes()).collect();
    std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).unwrap();
    std::fs::write(
        dir.join("model.safetensors"),
        serialize(&[("embeddings", Dtype::F32, &[VOCAB.len(), DIM], &values)]),
    )
    .unwrap();
    std::fs::write(dir.join("config.json"), r#"{"model_type": "model2vec", "normalize": false}"#).unwrap();
    let sums: serde_json::Map<String, Value> = ["tokenizer.json", "model.safetensors", "config.json"]
        .iter()
        .map(|f| {
            (f.to_string(), Value::from(format!("sha256:{}", reprint_io::model::sha256_file(&dir.join(f)).unwrap())))
        })
        .collect();
    std::fs::write(dir.join("MODEL-MANIFEST.json"), serde_json::json!({"name": "tiny", "files": sums}).to_string())
        .unwrap();
}

#[test]
fn info_on_a_tiny_model() {
    let dir = tempfile::tempdir().unwrap();
    tiny_model(dir.path());
    let o = reprint().args(["model", "info", "--model"]).arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("model       {} (from --model)", dir.path().display())), "{out}");
    assert!(out.contains("dimension   3"), "{out}");
    assert!(out.contains("vocabulary  9 token ids"), "{out}");
    assert!(out.contains("manifest    3 files, sha256 ok"), "{out}");

    // Found through the environment too.
    let o = reprint().args(["model", "info"]).env("REPRINT_MODEL", dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("(from $REPRINT_MODEL)"));

    // A changed file fails the check (exit 1) and is named.
    std::fs::write(dir.path().join("config.json"), r#"{"normalize": true}"#).unwrap();
    let o = reprint().args(["model", "info", "--model"]).arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("manifest    1 of 3 files do not match MODEL-MANIFEST.json"), "{}", stdout(&o));
    assert!(stdout(&o).contains("config.json: sha256 "));
    assert!(stderr(&o).contains("files do not match MODEL-MANIFEST.json"), "{}", stderr(&o));

    // Without a manifest nothing is checked, and that is said.
    std::fs::remove_file(dir.path().join("MODEL-MANIFEST.json")).unwrap();
    let o = reprint().args(["model", "info", "--model"]).arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("manifest    none"), "{}", stdout(&o));
}

#[test]
fn info_without_a_model_says_where_it_looked() {
    let o = reprint().args(["model", "info"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.starts_with("reprint: error: no embedding model found (looked at --model (not given); $REPRINT_MODEL (not set); /nonexistent-reprint-test-cache/reprint/models/potion-base-8M (does not exist))"), "{e}");

    let dir = tempfile::tempdir().unwrap();
    let o = reprint().args(["model", "info", "--model"]).arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not a model directory: lacks tokenizer.json, model.safetensors, config.json"));

    // A broken model file is named with what is wrong in it.
    tiny_model(dir.path());
    std::fs::write(dir.path().join("model.safetensors"), b"\x10\0\0\0\0\0\0\0{}").unwrap();
    let o = reprint().args(["model", "info", "--model"]).arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("model.safetensors: header length 16 is larger than the 2 bytes after it"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pull_fails_cleanly_without_network() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("models").join("potion-base-8M");
    let o = reprint()
        .args(["model", "pull", "--quiet", "--base-url", "http://127.0.0.1:9/", "--dir"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.starts_with(
            "reprint: error: cannot download potion-base-8M from http://127.0.0.1:9/potion-base-8M/resolve/main/config.json: "
        ),
        "{e}"
    );
    assert!(e.trim_end().ends_with("Copy a model directory by hand and pass --model DIR or set REPRINT_MODEL."), "{e}");
    assert!(!target.exists(), "no empty directory left behind");
    assert!(stdout(&o).is_empty());

    let o = reprint()
        .args(["model", "pull", "../etc", "--base-url", "http://127.0.0.1:9/", "--dir"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not a model name"), "{}", stderr(&o));
}

/// Serves the files of `root` over HTTP/1.1 on a free local port (404 for
/// anything else) until the test ends; returns the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
            let response = match std::fs::read(root.join(&path)) {
                Ok(body) => {
                    let mut r =
                        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())
                            .into_bytes();
                    r.extend_from_slice(&body);
                    r
                }
                Err(_) => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    url
}

#[test]
fn pull_from_a_server() {
    // A hub with a tiny model under tiny-test/resolve/main/ (no README.md or
    // modules.json: those are optional).
    let hub = tempfile::tempdir().unwrap();
    let files = hub.path().join("tiny-test/resolve/main");
    std::fs::create_dir_all(&files).unwrap();
    tiny_model(&files);
    let url = serve(hub.path().to_path_buf());

    let cache = tempfile::tempdir().unwrap();
    let o = reprint()
        .args(["model", "pull", "tiny-test", "--quiet", "--base-url", &url])
        .env("XDG_CACHE_HOME", cache.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = cache.path().join("reprint/models/tiny-test");
    assert!(stdout(&o).starts_with(&format!("tiny-test: {} (dimension 3, 9 token ids; sha256 recorded", dir.display())));
    for f in ["tokenizer.json", "model.safetensors", "config.json"] {
        assert_eq!(std::fs::read(dir.join(f)).unwrap(), std::fs::read(files.join(f)).unwrap(), "{f}");
    }
    let manifest: Value = serde_json::from_slice(&std::fs::read(dir.join("MODEL-MANIFEST.json")).unwrap()).unwrap();
    assert_eq!(manifest["name"], "tiny-test");
    assert_eq!(manifest["dimension"], 3);
    assert_eq!(manifest["files"].as_object().unwrap().len(), 3);
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 4, "no temporary files left: {leftovers:?}");

    // `info` finds it in the cache and the sums check.
    let o = reprint().args(["model", "info"]).env("XDG_CACHE_HOME", cache.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "the default model is not there");
    let o = reprint().args(["model", "info", "--model"]).arg(&dir).output().unwrap();
    assert!(stdout(&o).contains("manifest    3 files, sha256 ok"), "{}", stdout(&o));

    // A pinned model whose bytes differ from reprint's table is refused.
    let pinned = hub.path().join("potion-base-8M/resolve/main");
    std::fs::create_dir_all(&pinned).unwrap();
    tiny_model(&pinned);
    let target = cache.path().join("pinned");
    let o = reprint().args(["model", "pull", "--quiet", "--base-url", &url, "--dir"]).arg(&target).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("potion-base-8M/resolve/main/config.json: sha256 is "), "{e}");
    assert!(
        e.contains(
            ", expected 58df0de760ffa5c117efc1fbe5d523b6365fe7ed799f4d981aff5f575e80d4b2; the file was not saved"
        ),
        "{e}"
    );
    assert!(!target.exists());
}

#[test]
fn embed_lines() {
    let dir = tempfile::tempdir().unwrap();
    tiny_model(dir.path());
    let mut child = reprint()
        .args(["model", "embed", "--model"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("\"The harbor bridge reopened.\"\n\"nothing known\"\n".as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Vec<f64>> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // the harbor bridge re ##open ##ed . → ids 2 3 4 5 6 7 8, mean of i = 5.
    assert_eq!(lines, [vec![5.0, 1.0, 0.0], vec![0.0, 0.0, 0.0]]);
}

/// `reprint model info | head -1`: a closed standard output ends the command
/// quietly (exit 0, nothing on stderr, no panic), and loses the text, not
/// the verdict (a manifest mismatch is still exit 1). The same for the
/// hidden `embed`, whose output is far longer than a pipe's buffer.
#[test]
fn closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    tiny_model(dir.path());
    let o = reprint().args(["model", "info", "--model"]).arg(dir.path()).stdout(closed_pipe()).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");

    let lines = dir.path().join("lines.txt");
    std::fs::write(&lines, "\"The harbor bridge reopened.\"\n".repeat(20_000)).unwrap();
    let o = reprint()
        .args(["model", "embed", "--model"])
        .arg(dir.path())
        .stdin(std::fs::File::open(&lines).unwrap())
        .stdout(closed_pipe())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");

    std::fs::write(dir.path().join("config.json"), r#"{"normalize": true}"#).unwrap();
    let o = reprint().args(["model", "info", "--model"]).arg(dir.path()).stdout(closed_pipe()).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("files do not match MODEL-MANIFEST.json"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}
