//! End-to-end tests of `reprint scan`: the built binary in a temporary
//! directory. The seeds acceptance reads ../shared (corpus and model) beside
//! the repository; the other tests make their own data and model.

mod common;

use common::{read_jsonl, seed_texts, shared, stderr};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use reprint_core::embed::safetensors::{serialize, Dtype};
use serde_json::Value;

fn reprint(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reprint"));
    // Never find a model in the real user cache.
    c.env_remove("REPRINT_MODEL").env("HOME", home).env("XDG_CACHE_HOME", home.join("cache"));
    c
}

/// Two stories told twice each, in other words, plus an unrelated note.
fn small_corpus(dir: &Path) -> PathBuf {
    let docs = [
        ("flood-1", "2024-03-04", "Flood waters rose in Millbrook on Monday as the river Avon burst its banks. Mayor Dana Whitfield ordered the evacuation of 300 homes near the Quay Street bridge. Rescue crews from Hartley used boats to reach stranded residents."),
        ("flood-2", "2024-03-05", "Millbrook mayor Dana Whitfield told 300 households near Quay Street to leave after the Avon flooded overnight. Boats from the Hartley rescue service carried residents from the flooded streets."),
        ("bank-1", "2024-03-04", "The Central Bank of Norland raised its main interest rate by half a point to 5.5 percent on Tuesday. Governor Ilse Brandt said inflation in Norland remained too high. Markets in Kessel fell after the decision."),
        ("bank-2", "2024-03-05", "Norland's central bank lifted rates to 5.5 percent, its governor Ilse Brandt said, warning that inflation was still too high. Shares in Kessel dropped on the news."),
        ("garden", "2023-07-01", "Tomatoes need full sun, rich soil and regular watering; pinch out side shoots and feed them weekly once the first fruits appear."),
    ];
    let path = dir.join("news.jsonl");
    let lines: Vec<String> = docs
        .iter()
        .map(|(id, date, text)| serde_json::json!({"id": id, "date": date, "text": text}).to_string())
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn stories(out: &Path) -> HashMap<String, u64> {
    read_jsonl(&out.join("documents.jsonl"))
        .iter()
        .map(|d| (d["id"].as_str().unwrap().to_string(), d["story"].as_u64().unwrap()))
        .collect()
}

#[test]
fn without_a_model_one_notice_and_lexical_stories() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_corpus(dir.path());
    let out = dir.path().join("out");
    let o =
        reprint(dir.path()).args(["scan", input.to_str().unwrap(), "--out", out.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("no embedding model").count(), 1, "{err}");
    let s = stories(&out);
    assert_eq!(s["flood-1"], s["flood-2"]);
    assert_eq!(s["bank-1"], s["bank-2"]);
    assert_ne!(s["flood-1"], s["bank-1"]);
    assert_ne!(s["garden"], s["flood-1"]);
    assert_ne!(s["garden"], s["bank-1"]);
    // Wire format.
    let docs = read_jsonl(&out.join("documents.jsonl"));
    assert_eq!(docs.len(), 5);
    for key in ["id", "title", "date", "source", "url", "chars", "cluster", "story"] {
        assert!(docs[0].get(key).is_some(), "documents.jsonl lacks {key}");
    }
    assert_eq!(docs[0]["date"], "2024-03-04");
    let pairs = read_jsonl(&out.join("pairs.jsonl"));
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    for key in ["a", "b", "relation", "jaccard", "containment_a", "containment_b", "semantic", "shared_names", "score"]
    {
        assert!(pairs[0].get(key).is_some(), "pairs.jsonl lacks {key}");
    }
    assert!(pairs[0]["semantic"].is_null());
    let names: Vec<&str> = pairs.iter().find(|p| p["a"] == "flood-1").unwrap()["shared_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(names.contains(&"Whitfield") || names.contains(&"Dana Whitfield"), "{names:?}");
    let st = read_jsonl(&out.join("stories.jsonl"));
    assert_eq!(st.len(), 3);
    let flood = st.iter().find(|x| x["documents"].as_array().unwrap().len() == 2 && x["documents"][0] == "flood-1");
    let flood = flood.expect("flood story");
    assert_eq!(flood["first_seen"], "2024-03-04");
    assert!(flood["label"].as_str().unwrap().starts_with("Flood waters rose"));
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["stories"], 3);
    assert!(summary["model"].is_null());
}

/// A model2vec directory the test writes: every word of `small_corpus`,
/// with an 8-dimensional vector: its topic (flood, bank, garden, other) and
/// a word-specific part, so that sentences of one story embed close together.
fn tiny_model(dir: &Path, corpus: &Path) {
    let text = std::fs::read_to_string(corpus).unwrap().to_lowercase();
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    let topic = |w: &str| -> usize {
        let flood = [
            "flood",
            "waters",
            "rose",
            "millbrook",
            "river",
            "avon",
            "burst",
            "banks",
            "mayor",
            "dana",
            "whitfield",
            "evacuation",
            "homes",
            "quay",
            "street",
            "bridge",
            "rescue",
            "crews",
            "hartley",
            "boats",
            "stranded",
            "residents",
            "households",
            "leave",
            "flooded",
            "overnight",
            "service",
            "carried",
            "streets",
        ];
        let bank = [
            "central",
            "bank",
            "norland",
            "raised",
            "interest",
            "rate",
            "percent",
            "governor",
            "ilse",
            "brandt",
            "inflation",
            "markets",
            "kessel",
            "fell",
            "decision",
            "lifted",
            "rates",
            "warning",
            "shares",
            "dropped",
            "news",
            "main",
            "point",
            "half",
            "high",
        ];
        let garden = ["tomatoes", "sun", "soil", "watering", "pinch", "shoots", "feed", "fruits", "weekly"];
        if flood.contains(&w) {
            0
        } else if bank.contains(&w) {
            1
        } else if garden.contains(&w) {
            2
        } else {
            3
        }
    };
    let mut vocab: Vec<String> = vec!["[PAD]".into(), "[UNK]".into()];
    vocab.extend(words);
    let map: serde_json::Map<String, Value> =
        vocab.iter().enumerate().map(|(i, t)| (t.clone(), Value::from(i))).collect();
    let tokenizer = serde_json::json!({
        "added_tokens": [],
        "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                       "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": map},
    });
    // Dimensions 0-3: the topic; 4-7: a word-specific part, so that
    // sentences sharing words are closer than sentences of one topic.
    let values: Vec<u8> = vocab
        .iter()
        .flat_map(|w| {
            let mut v = [0.0f32; 8];
            v[topic(w)] = 1.0;
            let h = w.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
            for (k, x) in v[4..].iter_mut().enumerate() {
                *x = ((h >> (8 * k)) & 0xff) as f32 / 255.0 - 0.5;
            }
            v
        })
        .flat_map(|x| x.to_le_bytes())
        .collect();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).unwrap();
    std::fs::write(dir.join("model.safetensors"), serialize(&[("embeddings", Dtype::F32, &[vocab.len(), 8], &values)]))
        .unwrap();
    std::fs::write(dir.join("config.json"), r#"{"model_type": "model2vec", "normalize": true}"#).unwrap();
}

#[test]
fn with_a_tiny_model_semantic_signals_and_paraphrases() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_corpus(dir.path());
    let model = dir.path().join("tiny-model");
    tiny_model(&model, &input);
    let out = dir.path().join("out");
    // Found through $REPRINT_MODEL.
    let o = reprint(dir.path())
        .env("REPRINT_MODEL", &model)
        .args(["scan", input.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("no embedding model"), "{}", stderr(&o));
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["model"]["dim"], 8);
    let s = stories(&out);
    assert_eq!(s["flood-1"], s["flood-2"]);
    assert_eq!(s["bank-1"], s["bank-2"]);
    assert_ne!(s["flood-1"], s["bank-1"]);
    assert_ne!(s["garden"], s["flood-1"]);
    let pairs = read_jsonl(&out.join("pairs.jsonl"));
    assert_eq!(pairs.len(), 2);
    for p in &pairs {
        let semantic = p["semantic"].as_f64().expect("a semantic score with a model");
        assert!(semantic > 0.8, "{p}");
        assert_eq!(p["relation"], "rewrite", "{p}");
    }
    let passages = read_jsonl(&out.join("passages.jsonl"));
    let flood: Vec<&Value> = passages.iter().filter(|p| p["a"] == "flood-1" && p["kind"] == "paraphrase").collect();
    assert!(!flood.is_empty(), "{passages:?}");
    // Offsets are characters of the original texts, on sentence bounds.
    let text_a = "Flood waters rose in Millbrook on Monday as the river Avon burst its banks.";
    let p = flood[0];
    assert!(p["a_start"].as_u64().unwrap() < p["a_end"].as_u64().unwrap());
    if p["a_start"] == 0 {
        assert_eq!(p["a_end"].as_u64().unwrap() as usize, text_a.chars().count());
    }
}

#[test]
fn bad_records_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_corpus(dir.path());
    let mut contents = std::fs::read_to_string(&input).unwrap();
    contents.push_str("{\"id\": \"cut\", \"text\": \"never clo\n");
    contents.push_str("{\"id\": \"notext\"}\n");
    std::fs::write(&input, contents).unwrap();
    let out = dir.path().join("out");
    let o = reprint(dir.path())
        .args(["scan", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-model"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("news.jsonl:6:"), "{err}");
    assert!(err.contains("news.jsonl:7:"), "{err}");
    assert!(!err.contains("no embedding model"), "--no-model asks for no notice: {err}");
    assert_eq!(read_jsonl(&out.join("documents.jsonl")).len(), 5);
}

#[test]
fn explicit_missing_model_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_corpus(dir.path());
    let out = dir.path().join("out");
    let o = reprint(dir.path())
        .args(["scan", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--model"])
        .arg(dir.path().join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nowhere"), "{}", stderr(&o));
}

/// The example shipped in the repository (the README's main job), without
/// a model: stories and relations from lexical signals.
#[test]
fn example_corpus() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/newsroom");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o =
        reprint(dir.path()).args(["scan", example.to_str().unwrap(), "--out", out.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stories(&out);
    let bridge = s["bridge-reopens.txt"];
    for v in [
        "bridge-reopens-edited.html",
        "bridge-reopens-repost.md",
        "bridge-reopens-rewrite.txt",
        "bridge-short-item.txt",
    ] {
        assert_eq!(s[v], bridge, "{v}");
    }
    assert_eq!(s["library-hours.txt"], s["library-hours-copy.txt"]);
    assert_ne!(s["library-hours.txt"], bridge);
    assert_ne!(s["orchard-festival.txt"], bridge);
    assert_ne!(s["orchard-festival.txt"], s["library-hours.txt"]);
    let pairs = read_jsonl(&out.join("pairs.jsonl"));
    let rel = |x: &str, y: &str| -> String {
        let p = pairs.iter().find(|p| (p["a"] == x && p["b"] == y) || (p["a"] == y && p["b"] == x)).unwrap();
        p["relation"].as_str().unwrap().to_string()
    };
    assert_eq!(rel("library-hours.txt", "library-hours-copy.txt"), "exact_copy");
    assert_eq!(rel("bridge-reopens.txt", "bridge-reopens-repost.md"), "near_copy");
    assert_eq!(rel("bridge-reopens.txt", "bridge-reopens-edited.html"), "near_copy");
    assert_eq!(rel("bridge-reopens.txt", "bridge-short-item.txt"), "excerpt");
    assert_eq!(rel("bridge-reopens.txt", "bridge-reopens-rewrite.txt"), "rewrite");
    assert_eq!(pairs.len(), 11);
}

/// The reference case, with the real model: the seeds README's answer.
#[test]
fn seeds_acceptance() {
    let seeds = shared().join("corpora/seeds");
    let model = shared().join("models/potion-base-8M");
    if !seeds.is_dir() || !model.is_dir() {
        eprintln!("SKIPPED: {} or {} not found; they live beside the repository", seeds.display(), model.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let files = seed_texts(&seeds);
    assert_eq!(files.len(), 5);
    let o = reprint(dir.path())
        .arg("scan")
        .args(&files)
        .args(["--out", out.to_str().unwrap(), "--model", model.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docs = read_jsonl(&out.join("documents.jsonl"));
    let id = |prefix: &str| -> String {
        docs.iter().map(|d| d["id"].as_str().unwrap()).find(|i| i.contains(prefix)).unwrap().to_string()
    };
    let (s0, s1, s2, s3, s4) = (id("000_"), id("001_"), id("002_"), id("003_"), id("004_"));
    // One story with all five.
    let st = stories(&out);
    assert!([&s1, &s2, &s3, &s4].iter().all(|s| st[*s] == st[&s0]), "{st:?}");
    // Dates.
    let date = |i: &str| docs.iter().find(|d| d["id"] == i).unwrap()["date"].clone();
    assert_eq!(date(&s0), "2022-02-07");
    assert_eq!(date(&s3), "2022-02-05");
    // Relations.
    let pairs = read_jsonl(&out.join("pairs.jsonl"));
    assert_eq!(pairs.len(), 10);
    let rel = |x: &str, y: &str| -> String {
        let p = pairs.iter().find(|p| (p["a"] == x && p["b"] == y) || (p["a"] == y && p["b"] == x)).unwrap();
        p["relation"].as_str().unwrap().to_string()
    };
    assert_eq!(rel(&s0, &s1), "near_copy");
    for p in &pairs {
        let (a, b) = (p["a"].as_str().unwrap(), p["b"].as_str().unwrap());
        if (a, b) != (s0.as_str(), s1.as_str()) {
            let r = p["relation"].as_str().unwrap();
            assert!(!["exact_copy", "near_copy", "excerpt"].contains(&r), "{a} {b}: {r}");
        }
    }
    let passages = read_jsonl(&out.join("passages.jsonl"));
    for (x, y) in [(&s2, &s3), (&s2, &s4), (&s3, &s4)] {
        assert_eq!(rel(x, y), "rewrite", "{x} {y}");
        let n = passages
            .iter()
            .filter(|p| {
                p["kind"] == "paraphrase" && ((p["a"] == **x && p["b"] == **y) || (p["a"] == **y && p["b"] == **x))
            })
            .count();
        assert!(n >= 1, "no paraphrase passage between {x} and {y}");
    }
    // 001's "Comment:" paragraphs lie in no passage shared with 000.
    let text1 = std::fs::read_to_string(files.iter().find(|f| f.to_str().unwrap().contains("001_")).unwrap()).unwrap();
    let chars: Vec<char> = text1.chars().collect();
    let comments: Vec<(usize, usize)> = text1
        .match_indices("Comment:")
        .map(|(byte, _)| {
            let start = text1[..byte].chars().count();
            let end = start + text1[byte..].split("\n").next().unwrap().chars().count();
            (start, end)
        })
        .collect();
    assert_eq!(comments.len(), 2);
    for p in passages.iter().filter(|p| p["a"] == s0.as_str() && p["b"] == s1.as_str()) {
        let (b0, b1) = (p["b_start"].as_u64().unwrap() as usize, p["b_end"].as_u64().unwrap() as usize);
        assert!(b1 <= chars.len());
        for &(c0, c1) in &comments {
            assert!(b1 <= c0 || b0 >= c1, "passage {b0}..{b1} overlaps a Comment paragraph {c0}..{c1}");
        }
    }
}

/// The same outputs, byte for byte, whatever the thread count.
#[test]
fn same_output_whatever_the_thread_count() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/newsroom");
    let dir = tempfile::tempdir().unwrap();
    let input = small_corpus(dir.path());
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = dir.path().join(format!("out{threads}"));
        let o = reprint(dir.path())
            .args(["scan", example.to_str().unwrap(), input.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .args(["--threads", threads, "-q"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let files: Vec<String> = ["documents", "pairs", "passages", "stories"]
            .iter()
            .map(|f| std::fs::read_to_string(out.join(format!("{f}.jsonl"))).unwrap())
            .collect();
        outputs.push(files);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    assert!(outputs[0][1].lines().count() >= 10, "pairs were analysed");
}
