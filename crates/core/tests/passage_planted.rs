//! A verbatim passage of 50 or more words planted in two unrelated texts is
//! always found, with its exact offsets on both sides.

use proptest::prelude::*;
use reprint_core::passage::{AlignConfig, Aligner, PassageKind};

/// Sentences of 8–14 words drawn from a vocabulary with its own prefix, so
/// that filler and planted text never share a word.
fn sentences(prefix: &str, seeds: &[u32], words: usize) -> String {
    let mut out = Vec::new();
    let mut sentence = Vec::new();
    let mut k = 0usize;
    for i in 0..words {
        let s = seeds[i % seeds.len()].wrapping_mul(2_654_435_761).wrapping_add(i as u32 * 40_503);
        let word = format!("{prefix}{}", s % 997);
        sentence.push(if sentence.is_empty() { capitalize(&word) } else { word });
        k += 1;
        if k >= 8 + (s % 7) as usize || i + 1 == words {
            out.push(format!("{}.", sentence.join(" ")));
            sentence.clear();
            k = 0;
        }
    }
    out.join(" ")
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn planted_verbatim_passage_is_found_exactly(
        seeds in prop::collection::vec(any::<u32>(), 4..12),
        planted_words in 50usize..200,
        before_a in 0usize..300,
        after_a in 0usize..300,
        before_b in 0usize..300,
        after_b in 0usize..300,
    ) {
        let planted = sentences("pw", &seeds, planted_words);
        let filler = |prefix: &str, n: usize, salt: u32| {
            let s: Vec<u32> = seeds.iter().map(|x| x ^ salt).collect();
            sentences(prefix, &s, n)
        };
        let join = |before: String, after: String| {
            [before, planted.clone(), after].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
        };
        let a = join(filler("fa", before_a, 1), filler("ga", after_a, 2));
        let b = join(filler("fb", before_b, 3), filler("gb", after_b, 4));
        let alignment = Aligner::new(AlignConfig::default()).align(&a, &b);
        prop_assert_eq!(alignment.passages.len(), 1, "{:?}", alignment);
        let p = &alignment.passages[0];
        prop_assert_eq!(&a[p.a.byte_start..p.a.byte_end], planted.as_str());
        prop_assert_eq!(&b[p.b.byte_start..p.b.byte_end], planted.as_str());
        let a_start = a[..p.a.byte_start].chars().count();
        prop_assert_eq!((p.a.start, p.a.end), (a_start, a_start + planted.chars().count()));
        prop_assert_eq!(p.kind, PassageKind::Verbatim);
    }
}
