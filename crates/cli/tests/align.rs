//! End-to-end tests of `reprint align`.

mod common;

use common::seeds_dir;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn align_json(a: &Path, b: &Path) -> Value {
    let o = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["align", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Character range of `needle` in `text`.
fn chars_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text[..at].chars().count() as u64;
    (start, start + needle.chars().count() as u64)
}

fn ranges(v: &Value, key: &str, start: &str, end: &str) -> Vec<(u64, u64)> {
    v[key].as_array().unwrap().iter().map(|p| (p[start].as_u64().unwrap(), p[end].as_u64().unwrap())).collect()
}

fn inside(r: (u64, u64), spans: &[(u64, u64)]) -> bool {
    spans.iter().any(|s| s.0 <= r.0 && r.1 <= s.1)
}

fn disjoint(r: (u64, u64), spans: &[(u64, u64)]) -> bool {
    spans.iter().all(|s| r.1 <= s.0 || s.1 <= r.0)
}

#[test]
fn seeds_000_001() {
    let Some(seeds) = seeds_dir() else { return };
    let find = |prefix: &str| {
        std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap()
    };
    let (a_path, b_path) = (find("000_"), find("001_"));
    let (a, b) = (std::fs::read_to_string(&a_path).unwrap(), std::fs::read_to_string(&b_path).unwrap());
    let v = align_json(&a_path, &b_path);
    let passages_a = ranges(&v, "passages", "a_start", "a_end");
    let passages_b = ranges(&v, "passages", "b_start", "b_end");
    let only_a = ranges(&v, "only_a", "start", "end");
    let only_b = ranges(&v, "only_b", "start", "end");
    assert!(!passages_a.is_empty());

    // 001's additions: the caption line and both "Comment:" paragraphs.
    let caption = b.lines().find(|l| !l.trim().is_empty()).unwrap().trim();
    let mut additions = vec![caption];
    additions.extend(b.lines().filter(|l| l.starts_with("Comment:")).map(|l| l.trim_end_matches('.')));
    assert_eq!(additions.len(), 3, "caption and two comments");
    for text in additions {
        let r = chars_of(&b, text);
        assert!(disjoint(r, &passages_b), "{text:?} lies in a passage");
        assert!(inside(r, &only_b), "{text:?} is not in only_b");
    }
    // 000's page chrome: description heading, byline, category list, date.
    for text in ["Description", "by Al Mayadeen", "Category", "Politics-Geopolitics-Gov", "Date Created", "02/07/2022"]
    {
        let r = chars_of(&a, text);
        assert!(disjoint(r, &passages_a), "{text:?} lies in a passage");
        assert!(inside(r, &only_a), "{text:?} is not in only_a");
    }
    // The shared article text is covered.
    for text in ["reportedly shelved its response to the US request", "unprecedented batch of sanctions"] {
        assert!(inside(chars_of(&a, text), &passages_a), "{text:?} not in a passage of A");
    }
    assert!(v["containment_a"].as_f64().unwrap() > 0.85);
    assert!(v["containment_b"].as_f64().unwrap() > 0.85);
    // Byte offsets match character offsets.
    for p in v["passages"].as_array().unwrap() {
        let (bs, be) = (p["a_byte_start"].as_u64().unwrap() as usize, p["a_byte_end"].as_u64().unwrap() as usize);
        let (cs, ce) = (p["a_start"].as_u64().unwrap() as usize, p["a_end"].as_u64().unwrap() as usize);
        assert_eq!(a[bs..be].chars().count(), ce - cs);
        assert_eq!(a[..bs].chars().count(), cs);
    }
}

#[test]
fn text_view_marks_passages_and_additions() {
    let dir = tempfile::tempdir().unwrap();
    let story = "The harbor bridge in Millbrook reopened to traffic on Monday morning after two years of repairs. \
                 Engineers had closed it when inspectors found corrosion in three of its steel supports. \
                 Mayor Dana Whitfield cut a ribbon at the eastern end of the span shortly after seven o'clock.";
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, story).unwrap();
    std::fs::write(&b, format!("{story}\n\nShare this story with your friends and family on every platform today."))
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["align", a.to_str().unwrap(), b.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.starts_with("1 passages"), "{out}");
    assert!(out.contains("[1The harbor bridge"), "{out}");
    assert!(out.contains("{+Share this story"), "{out}");
    assert!(!out.contains('\x1b'), "no colour when stdout is not a terminal");
}

#[test]
fn ids_in_a_jsonl_input() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The harbor bridge in Millbrook reopened to traffic on Monday morning after two years of repairs, the mayor said.";
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        format!("{}\n{}\n", serde_json::json!({"id": "x", "text": text}), serde_json::json!({"id": "y", "text": text})),
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["align", "x", "y", "--in", input.to_str().unwrap(), "--format", "json", "--min-chars", "50"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["a"], "x");
    assert_eq!(v["passages"][0]["kind"], "verbatim");
    let o = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["align", "x", "nope", "--in", input.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no record with id \"nope\""));
}
