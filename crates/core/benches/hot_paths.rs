//! Throughput of the hot paths on synthetic English-like text, single
//! thread: tokenize+hash, sketch (tokenize, shingle, sign, band), exact
//! Jaccard, and static embeddings (WordPiece token ids, pooling per
//! sentence) with a random model of potion-base-8M's shape, and language
//! detection.
//! `cargo bench -p reprint-core --bench hot_paths`. Prints the median of 7
//! runs; no pass/fail (timing decides nothing in tests).

use std::hint::black_box;
use std::time::Instant;

use reprint_core::dedup::{DedupConfig, Deduper, Sketch};
use reprint_core::embed::safetensors::{serialize, Dtype};
use reprint_core::embed::{StaticModel, TokenIds};
use reprint_core::hash::SplitMix64;
use reprint_core::shingle::jaccard;
use reprint_core::signature::SketchKind;
use reprint_core::token::Tokenizer;

/// About `bytes` of text: words of 2–9 letters, sentences, paragraphs, some
/// punctuation and a few curly quotes (so both tokenizer paths run); and
/// the 20,000 words it is made of.
fn corpus(bytes: usize, seed: u64) -> (Vec<String>, Vec<String>) {
    let mut rng = SplitMix64(seed);
    let vocab: Vec<String> = (0..20_000)
        .map(|_| {
            let len = 2 + (rng.next() % 8) as usize;
            (0..len).map(|_| (b'a' + (rng.next() % 26) as u8) as char).collect()
        })
        .collect();
    let mut docs = Vec::new();
    let mut total = 0;
    while total < bytes {
        let mut doc = String::new();
        for paragraph in 0..8 {
            if paragraph > 0 {
                doc.push_str("\n\n");
            }
            for word in 0..70 {
                let w = &vocab[(rng.next() % vocab.len() as u64) as usize];
                if word % 12 == 0 {
                    doc.push_str(&w[..1].to_uppercase());
                    doc.push_str(&w[1..]);
                } else {
                    doc.push_str(w);
                }
                match rng.next() % 20 {
                    0 => doc.push_str(". "),
                    1 => doc.push_str(", "),
                    2 => doc.push_str("’s "),
                    _ => doc.push(' '),
                }
            }
        }
        total += doc.len();
        docs.push(doc);
    }
    (vocab, docs)
}

/// A random model of potion-base-8M's shape (29,528 × 256, F32) whose
/// vocabulary holds 15,000 of the corpus's 20,000 words whole; the others
/// are cut into `##` pieces of one to three letters.
fn synthetic_model(words: &[String]) -> StaticModel {
    const ROWS: usize = 29_528;
    const DIM: usize = 256;
    let mut vocab: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map(String::from).to_vec();
    vocab.extend((b'!'..=b'~').filter(|b| !b.is_ascii_uppercase()).map(|b| (b as char).to_string()));
    vocab.extend((b'a'..=b'z').map(|b| format!("##{}", b as char)));
    let letters = || (b'a'..=b'z').map(|b| b as char);
    vocab.extend(letters().flat_map(|a| letters().map(move |b| format!("##{a}{b}"))));
    let mut seen: std::collections::HashSet<String> = vocab.iter().cloned().collect();
    for w in words.iter().take(15_000) {
        if seen.insert(w.clone()) {
            vocab.push(w.clone());
        }
    }
    let mut three = letters().flat_map(|a| letters().flat_map(move |b| letters().map(move |c| format!("##{a}{b}{c}"))));
    while vocab.len() < ROWS {
        vocab.push(three.next().expect("enough pieces"));
    }
    let map: serde_json::Map<String, serde_json::Value> =
        vocab.iter().enumerate().map(|(i, t)| (t.clone(), i.into())).collect();
    let tokenizer = serde_json::json!({
        "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                       "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": map},
    });
    let mut rng = SplitMix64(7);
    let data: Vec<u8> =
        (0..ROWS * DIM).flat_map(|_| ((rng.next() >> 40) as f32 / (1u64 << 24) as f32 - 0.5).to_le_bytes()).collect();
    let weights = serialize(&[("embeddings", Dtype::F32, &[ROWS, DIM], &data)]);
    StaticModel::from_bytes(tokenizer.to_string().as_bytes(), &weights, br#"{"normalize": true}"#).unwrap()
}

/// Byte ranges of the sentences of `text`: ends after ". " and blank lines.
fn sentences(text: &str, out: &mut Vec<std::ops::Range<usize>>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut start = 0;
    for i in 0..bytes.len().saturating_sub(1) {
        if (bytes[i] == b'.' && bytes[i + 1] == b' ') || (bytes[i] == b'\n' && bytes[i + 1] == b'\n') {
            out.push(start..i + 1);
            start = i + 2;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
}

fn median_seconds(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..7)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[3]
}

fn main() {
    let (words, docs) = corpus(32 << 20, 1);
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("{} documents, {mb:.1} MB, one thread, median of 7 runs", docs.len());
    if wanted("dedup") {
        dedup_cases(&docs, mb);
    }

    if wanted("embed") {
        embed_real_and_synthetic(&words, &docs);
    }

    if wanted("lang") {
        // Latin letters and no listed function word: the slowest path
        // (every word looked up, none decides early).
        let s = median_seconds(|| {
            for d in &docs {
                black_box(reprint_core::lang::detect(d));
            }
        });
        println!("language detection     {:>8.1} MB/s (reads at most 4,000 characters per text)", mb / s);
    }
}

fn dedup_cases(docs: &[String], mb: f64) {
    let mut tokenizer = Tokenizer::new();
    let (mut hashes, mut paragraphs) = (Vec::new(), Vec::new());
    let s = median_seconds(|| {
        for d in docs {
            tokenizer.hashes_into(d, &mut hashes, &mut paragraphs);
            black_box(&hashes);
        }
    });
    println!("tokenize + hash        {:>8.1} MB/s", mb / s);

    for kind in [SketchKind::Fast, SketchKind::Classic] {
        let deduper = Deduper::new(DedupConfig { sketch: kind, ..DedupConfig::default() }).unwrap();
        let mut sketcher = deduper.sketcher();
        let mut sketch = Sketch::default();
        let s = median_seconds(|| {
            for d in docs {
                sketcher.sketch_into(d, &mut sketch);
                black_box(&sketch.band_keys);
            }
        });
        println!("sketch ({:<7})       {:>8.1} MB/s", kind.name(), mb / s);
    }

    let deduper = Deduper::new(DedupConfig::default()).unwrap();
    let mut sketcher = deduper.sketcher();
    let sets: Vec<Vec<u64>> = docs
        .iter()
        .take(2000)
        .map(|d| {
            let mut sketch = Sketch::default();
            sketcher.sketch_into(d, &mut sketch);
            sketch.shingles
        })
        .collect();
    let pairs = sets.len() - 1;
    let s = median_seconds(|| {
        for w in sets.windows(2) {
            black_box(jaccard(&w[0], &w[1]));
        }
    });
    println!("exact Jaccard          {:>8.0} pairs/s ({} shingles per set)", pairs as f64 / s, sets[0].len());
}

fn embed_real_and_synthetic(words: &[String], docs: &[String]) {
    embed_cases("synthetic", &synthetic_model(words), docs);

    // The real model on real text, when both are beside the repository.
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let (model_dir, text_dir) = (shared.join("models/potion-base-8M"), shared.join("eval/pan13-train/src"));
    let read = |name: &str| std::fs::read(model_dir.join(name));
    let (Ok(tokenizer), Ok(weights), Ok(config)) =
        (read("tokenizer.json"), read("model.safetensors"), read("config.json"))
    else {
        println!("(no potion-base-8M at {}: real-model cases skipped)", model_dir.display());
        return;
    };
    let model = StaticModel::from_bytes(&tokenizer, &weights, &config).unwrap();
    let Ok(entries) = std::fs::read_dir(&text_dir) else {
        println!("(no PAN 2013 sources at {}: real-model cases skipped)", text_dir.display());
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let texts: Vec<String> = paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    embed_cases("potion-base-8M, PAN 2013 sources", &model, &texts);
}

/// Whether to run the cases called `name`: yes unless the bench is given a
/// filter (`cargo bench … -- embed`) that `name` does not contain.
fn wanted(name: &str) -> bool {
    std::env::args().skip(1).filter(|a| !a.starts_with("--")).all(|filter| name.contains(&filter))
}

fn embed_cases(label: &str, model: &StaticModel, docs: &[String]) {
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("embed ({label}): {} documents, {mb:.1} MB", docs.len());
    let mut tokens = TokenIds::default();
    let mut count = 0;
    let s = median_seconds(|| {
        count = 0;
        for d in docs {
            model.token_ids(d, &mut tokens);
            count += tokens.len();
        }
    });
    let word_count: usize = docs.iter().map(|d| d.split_whitespace().count()).sum();
    println!("  token ids            {:>8.1} MB/s ({:.2} tokens per word)", mb / s, count as f64 / word_count as f64);
    let mut vector = vec![0.0; model.dim()];
    let s = median_seconds(|| {
        for d in docs {
            model.encode_with(d, &mut tokens, &mut vector);
            black_box(&vector);
        }
    });
    println!("  embed per document   {:>8.1} MB/s", mb / s);
    let mut ranges = Vec::new();
    let mut sentence_count = 0;
    let s = median_seconds(|| {
        sentence_count = 0;
        for d in docs {
            model.token_ids(d, &mut tokens);
            sentences(d, &mut ranges);
            for r in &ranges {
                model.pool(&tokens.ids[tokens.range(r.clone())], &mut vector);
                black_box(&vector);
            }
            sentence_count += ranges.len();
        }
    });
    println!(
        "  embed per sentence   {:>8.1} MB/s ({:.0} sentences/s, {} dimensions)",
        mb / s,
        sentence_count as f64 / s,
        model.dim()
    );
}
