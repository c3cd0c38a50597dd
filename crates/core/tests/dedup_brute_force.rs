//! The engine against brute force on small random corpora: exact Jaccard of
//! every pair, computed independently of the engine's hashing.

use std::collections::HashSet;

use proptest::prelude::*;
use reprint_core::dedup::{deduplicate_texts, DedupConfig, Deduper, Keep};
use reprint_core::hash::SplitMix64;
use reprint_core::signature::SketchKind;

/// A corpus of base texts and planted variants (word edits at various
/// rates, excerpts, insertions), all from a vocabulary of plain words.
fn corpus(seed: u64, bases: usize) -> Vec<String> {
    let mut rng = SplitMix64(seed);
    let mut pick = move |n: u64| (rng.next() % n) as usize;
    let vocab: Vec<String> = (0..3000).map(|i| format!("w{i}x")).collect();
    let mut docs: Vec<Vec<String>> = Vec::new();
    for _ in 0..bases {
        let len = 20 + pick(80);
        let base: Vec<String> = (0..len).map(|_| vocab[pick(vocab.len() as u64)].clone()).collect();
        let variants = pick(4);
        let mut family = vec![base.clone()];
        for _ in 0..variants {
            let parent = family[pick(family.len() as u64)].clone();
            let mut v = parent.clone();
            match pick(4) {
                0 => {
                    let edits = pick(1 + v.len() as u64 / 8);
                    for _ in 0..edits {
                        let at = pick(v.len() as u64);
                        v[at] = vocab[pick(vocab.len() as u64)].clone();
                    }
                }
                1 => {
                    let cut = pick(1 + v.len() as u64 / 4);
                    v.drain(..cut);
                }
                2 => {
                    let at = pick(v.len() as u64 + 1);
                    let extra: Vec<String> = (0..pick(12)).map(|_| vocab[pick(vocab.len() as u64)].clone()).collect();
                    v.splice(at..at, extra);
                }
                _ => {}
            }
            family.push(v);
        }
        docs.extend(family);
    }
    // Deterministic shuffle.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, pick(i as u64 + 1));
    }
    order.into_iter().map(|i| docs[i].join(" ")).collect()
}

fn shingle_set(text: &str, n: usize) -> HashSet<Vec<&str>> {
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() < n {
        return std::iter::once(words).filter(|w| !w.is_empty()).collect();
    }
    words.windows(n).map(|w| w.to_vec()).collect()
}

fn brute_jaccard(a: &HashSet<Vec<&str>>, b: &HashSet<Vec<&str>>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let shared = a.intersection(b).count();
    shared as f64 / (a.len() + b.len() - shared) as f64
}

struct Tally {
    high_pairs: usize,
    high_found: usize,
}

fn check_corpus(seed: u64, kind: SketchKind, threshold: f64, tally: &mut Tally) {
    let config = DedupConfig { threshold, sketch: kind, ..DedupConfig::default() };
    let deduper = Deduper::new(config).unwrap();
    let texts = corpus(seed, 30);
    let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
    let out = deduplicate_texts(&deduper, &refs, Keep::First);
    let sets: Vec<_> = texts.iter().map(|t| shingle_set(t, 5)).collect();
    let j = |a: usize, b: usize| brute_jaccard(&sets[a], &sets[b]);
    let edges: HashSet<(u32, u32)> = out.edges.iter().map(|e| (e.a.min(e.b), e.a.max(e.b))).collect();
    // Exact duplicates (after normalization) form one group with one
    // leader, the first in input order: an edge to the leader stands for
    // the whole group.
    let mut leader: Vec<u32> = (0..texts.len() as u32).collect();
    for e in out.edges.iter().filter(|e| e.similarity == 1.0 && texts[e.a as usize] == texts[e.b as usize]) {
        leader[e.b.max(e.a) as usize] = e.a.min(e.b);
    }
    let found = |a: usize, b: usize| {
        let (x, y) = (leader[a], leader[b]);
        x == y || edges.contains(&(x.min(y), x.max(y)))
    };

    // No edge below the threshold, and every edge's similarity is exact.
    for e in &out.edges {
        let truth = j(e.a as usize, e.b as usize);
        assert!((truth - e.similarity).abs() < 1e-9, "edge {e:?} vs brute force {truth}");
        assert!(truth >= threshold, "edge below threshold: {e:?}");
    }
    // Every pair well above the threshold is found, at the S-curve's rate.
    for a in 0..texts.len() {
        for b in a + 1..texts.len() {
            if j(a, b) >= threshold + 0.1 {
                tally.high_pairs += 1;
                tally.high_found += found(a, b) as usize;
            }
        }
    }
    // The cluster rule: every two members at least threshold − 0.1 similar
    // (so in particular each member to its representative), and the reported
    // similarity to the representative is exact.
    let c = &out.clusters;
    for x in 0..texts.len() {
        for y in x + 1..texts.len() {
            if c.representative[x] == c.representative[y] {
                assert!(j(x, y) >= threshold - 0.1 - 1e-12, "members {x} and {y} only {} similar", j(x, y));
            }
        }
    }
    for d in 0..texts.len() {
        let rep = c.representative[d] as usize;
        assert!(c.is_representative(rep as u32), "representative {rep} of {d} is not its own representative");
        let truth = j(d, rep);
        assert!((truth - c.similarity[d]).abs() < 1e-9, "doc {d}: similarity {} vs {truth}", c.similarity[d]);
        assert!(truth >= threshold - 0.1 - 1e-12, "doc {d} only {truth} similar to representative {rep}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn engine_agrees_with_brute_force(seed in any::<u64>(), classic in any::<bool>(), threshold in 0.5f64..0.9) {
        let kind = if classic { SketchKind::Classic } else { SketchKind::Fast };
        let mut tally = Tally { high_pairs: 0, high_found: 0 };
        check_corpus(seed, kind, threshold, &mut tally);
    }
}

/// Over many corpora, the share of pairs with J ≥ t + 0.1 that are found is
/// at least what the S-curve promises at t + 0.1 (less three standard
/// errors).
#[test]
fn recall_matches_s_curve() {
    for kind in [SketchKind::Fast, SketchKind::Classic] {
        let threshold = 0.8;
        let mut tally = Tally { high_pairs: 0, high_found: 0 };
        for seed in 0..40 {
            check_corpus(seed, kind, threshold, &mut tally);
        }
        let deduper = Deduper::new(DedupConfig { threshold, sketch: kind, ..DedupConfig::default() }).unwrap();
        let p = deduper.layout().probability(threshold + 0.1);
        let n = tally.high_pairs as f64;
        let rate = tally.high_found as f64 / n;
        let se = (p * (1.0 - p) / n).sqrt().max(1.0 / n);
        assert!(tally.high_pairs > 100, "too few high pairs to judge: {}", tally.high_pairs);
        assert!(rate >= p - 3.0 * se, "{kind:?}: found {rate} of {n} pairs, S-curve promises {p}");
    }
}

#[test]
fn same_result_whatever_the_thread_count() {
    let texts = corpus(99, 60);
    let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
    let deduper = Deduper::new(DedupConfig::default()).unwrap();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| deduplicate_texts(&deduper, &refs, Keep::Longest))
    };
    let one = run(1);
    let four = run(4);
    assert_eq!(one.clusters, four.clusters);
    assert_eq!(one.edges, four.edges);
    assert!(one.clusters.count() < texts.len(), "the corpus has planted duplicates");
}
