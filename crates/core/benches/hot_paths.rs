//! Throughput of the hot paths on synthetic English-like text, single
//! thread: tokenize+hash, sketch (tokenize, shingle, sign, band), exact
//! Jaccard. `cargo bench -p reprint-core --bench hot_paths`. Prints the
//! median of 7 runs; no pass/fail (timing decides nothing in tests).

use std::hint::black_box;
use std::time::Instant;

use reprint_core::dedup::{DedupConfig, Deduper, Sketch};
use reprint_core::hash::SplitMix64;
use reprint_core::shingle::jaccard;
use reprint_core::signature::SketchKind;
use reprint_core::token::Tokenizer;

/// About `bytes` of text: words of 2–9 letters, sentences, paragraphs, some
/// punctuation and a few curly quotes (so both tokenizer paths run).
fn corpus(bytes: usize, seed: u64) -> Vec<String> {
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
    docs
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
    let docs = corpus(32 << 20, 1);
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("{} documents, {mb:.1} MB, one thread, median of 7 runs", docs.len());

    let mut tokenizer = Tokenizer::new();
    let (mut hashes, mut paragraphs) = (Vec::new(), Vec::new());
    let s = median_seconds(|| {
        for d in &docs {
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
            for d in &docs {
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
