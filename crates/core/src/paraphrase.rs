//! Sentence-level paraphrase alignment: sentences of two texts that say the
//! same thing in other words, as [`Passage`]s of kind
//! [`PassageKind::Paraphrase`].
//!
//! Each sentence is embedded (the caller does it, with a static model); a
//! pair of sentences is a paraphrase when each is the other's best match,
//! their cosine is at least [`ParaphraseConfig::min_cosine`], and they share
//! at least [`ParaphraseConfig::min_shared_words`] content words (names,
//! numbers and the event's own words survive rewording; a generic sentence
//! that merely sounds alike does not share them). Sentences already inside a
//! verbatim or edited passage take no part. Runs of consecutive paraphrase
//! pairs (next sentence on both sides) become one passage.
//!
//! Cost: `sentences(A) × sentences(B)` dot products of `dim` floats.

use crate::passage::{Passage, PassageKind, TextSpan};
use crate::shingle::intersection_size;
use crate::story::dot;

/// Settings of the paraphrase matcher.
#[derive(Clone, Debug, PartialEq)]
pub struct ParaphraseConfig {
    /// Smallest sentence-embedding cosine of a paraphrase pair.
    pub min_cosine: f32,
    /// Content words two paraphrased sentences must share.
    pub min_shared_words: usize,
}

impl Default for ParaphraseConfig {
    fn default() -> ParaphraseConfig {
        ParaphraseConfig { min_cosine: 0.75, min_shared_words: 2 }
    }
}

/// The sentences of one text: spans, unit-length embeddings (`dim` floats
/// each), and content-word hashes (sorted, deduplicated). Prepared once per
/// document and used for every pair it is in.
#[derive(Clone, Debug, Default)]
pub struct SentenceSide {
    pub spans: Vec<TextSpan>,
    pub vectors: Vec<f32>,
    pub dim: usize,
    pub words: Vec<Vec<u64>>,
}

impl SentenceSide {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    fn vector(&self, i: usize) -> &[f32] {
        &self.vectors[i * self.dim..(i + 1) * self.dim]
    }
}

/// Paraphrase pairs as `(sentence of A, sentence of B, cosine)`, in order of
/// A. Sentences marked in `covered_a` / `covered_b` (already inside a
/// verbatim or edited passage) take no part.
pub fn sentence_pairs(
    a: &SentenceSide,
    covered_a: &[bool],
    b: &SentenceSide,
    covered_b: &[bool],
    config: &ParaphraseConfig,
) -> Vec<(usize, usize, f32)> {
    assert_eq!(a.dim, b.dim);
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let mut sims = vec![f32::NEG_INFINITY; n * m];
    for i in (0..n).filter(|&i| !covered_a[i]) {
        for j in (0..m).filter(|&j| !covered_b[j]) {
            // Unit vectors: the dot product is the cosine, up to f32 rounding.
            sims[i * m + j] = dot(a.vector(i), b.vector(j)).clamp(-1.0, 1.0);
        }
    }
    let best_of_b: Vec<usize> = (0..m)
        .map(|j| (0..n).max_by(|&x, &y| sims[x * m + j].total_cmp(&sims[y * m + j]).then(y.cmp(&x))).unwrap_or(0))
        .collect();
    let mut out = Vec::new();
    for i in 0..n {
        let row = &sims[i * m..(i + 1) * m];
        let Some(j) = (0..m).max_by(|&x, &y| row[x].total_cmp(&row[y]).then(y.cmp(&x))) else { continue };
        let cos = row[j];
        if cos >= config.min_cosine
            && best_of_b[j] == i
            && intersection_size(&a.words[i], &b.words[j]) >= config.min_shared_words
        {
            out.push((i, j, cos));
        }
    }
    out
}

/// Paraphrase passages from [`sentence_pairs`]: runs of consecutive pairs
/// joined; the score is the mean cosine of the run.
pub fn paraphrase_passages(a: &SentenceSide, b: &SentenceSide, pairs: &[(usize, usize, f32)]) -> Vec<Passage> {
    let mut out: Vec<Passage> = Vec::new();
    let mut run: Option<(usize, usize, usize, usize, f64, usize)> = None; // a0, a1, b0, b1, sum, count
    let flush = |run: (usize, usize, usize, usize, f64, usize), out: &mut Vec<Passage>| {
        let (a0, a1, b0, b1, sum, count) = run;
        out.push(Passage {
            a: join(&a.spans[a0], &a.spans[a1]),
            b: join(&b.spans[b0], &b.spans[b1]),
            kind: PassageKind::Paraphrase,
            edit_rate: 1.0,
            score: sum / count as f64,
        });
    };
    for &(i, j, cos) in pairs {
        run = match run {
            Some((a0, a1, b0, b1, sum, count)) if i == a1 + 1 && j == b1 + 1 => {
                Some((a0, i, b0, j, sum + cos as f64, count + 1))
            }
            Some(r) => {
                flush(r, &mut out);
                Some((i, i, j, j, cos as f64, 1))
            }
            None => Some((i, i, j, j, cos as f64, 1)),
        };
    }
    if let Some(r) = run {
        flush(r, &mut out);
    }
    out
}

fn join(first: &TextSpan, last: &TextSpan) -> TextSpan {
    TextSpan {
        start: first.start,
        end: last.end,
        byte_start: first.byte_start,
        byte_end: last.byte_end,
        token_start: first.token_start,
        token_end: last.token_end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(vectors: &[[f32; 2]], words: &[&[u64]]) -> SentenceSide {
        let n = vectors.len();
        SentenceSide {
            spans: (0..n)
                .map(|i| TextSpan {
                    start: i * 10,
                    end: i * 10 + 9,
                    byte_start: i * 10,
                    byte_end: i * 10 + 9,
                    token_start: i,
                    token_end: i + 1,
                })
                .collect(),
            vectors: vectors
                .iter()
                .flat_map(|v| {
                    let norm = (v[0] * v[0] + v[1] * v[1]).sqrt();
                    [v[0] / norm, v[1] / norm]
                })
                .collect(),
            dim: 2,
            words: words.iter().map(|w| w.to_vec()).collect(),
        }
    }

    #[test]
    fn mutual_best_with_shared_words() {
        let a = side(&[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], &[&[1, 2, 3], &[4, 5], &[7, 8]]);
        let b = side(&[[1.0, 0.05], [0.05, 1.0], [1.0, 0.9]], &[&[1, 2], &[9], &[7, 8]]);
        let pairs = sentence_pairs(&a, &[false; 3], &b, &[false; 3], &ParaphraseConfig::default());
        // A0–B0: close and 2 shared words. A1–B1: close, 0 shared words.
        // A2–B2: close, shared words.
        let got: Vec<(usize, usize)> = pairs.iter().map(|&(i, j, _)| (i, j)).collect();
        assert_eq!(got, vec![(0, 0), (2, 2)]);
    }

    #[test]
    fn covered_sentences_take_no_part_and_runs_join() {
        let a = side(&[[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], &[&[1, 2], &[3, 4], &[5, 6]]);
        let b = side(&[[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], &[&[1, 2], &[3, 4], &[5, 6]]);
        let config = ParaphraseConfig::default();
        let none = [false; 3];
        let all = paraphrase_passages(&a, &b, &sentence_pairs(&a, &none, &b, &none, &config));
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].a.start, all[0].a.end), (0, 29));
        assert_eq!(all[0].kind, PassageKind::Paraphrase);
        let covered = [false, true, false];
        let split = paraphrase_passages(&a, &b, &sentence_pairs(&a, &covered, &b, &none, &config));
        assert_eq!(split.len(), 2);
        assert_eq!((split[1].a.start, split[1].b.start), (20, 20));
    }
}
