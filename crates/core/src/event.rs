//! The learned pair scorer of the story tier: do two documents report the
//! same event?
//!
//! A topic (Brexit, a war, an election) runs for months and shares its
//! vocabulary across every event in it; whole-document similarity alone
//! glues the events together. What tells two events of one topic apart is
//! what each event has of its own: rare names and numbers, the headline and
//! the lede, a quote, and the date. The scorer computes, for each candidate
//! pair, the [`FEATURES`] below and combines them with a logistic regression
//! whose weights ([`WEIGHTS`], in `event/weights.rs`) are trained by
//! `bench/train_story_scorer.py` on every labelled file of
//! `../shared/eval/stories/` (leave-one-file-out figures in the README). The
//! result is a probability that the pair is one event; stories are average
//! linkage over it with one cut ([`crate::story::StoryConfig`]).
//!
//! # Candidates
//!
//! Each document proposes its [`CandidateConfig::lexical`] nearest
//! neighbours by tf-idf cosine and its [`CandidateConfig::semantic`] nearest
//! by embedding cosine; a pair is a candidate when either side proposes it.
//! Up to [`CandidateConfig::exact_limit`] documents the neighbours are
//! exact; beyond, lexical neighbours come through the inverted index from a
//! document's heaviest words, and semantic ones from random-hyperplane LSH,
//! each then scored exactly. The work per document is bounded, so the whole
//! is sub-quadratic.
//!
//! # Features
//!
//! Per pair, in [`FEATURES`] order: the tf-idf cosines of the documents,
//! of their headlines (the title, else the first sentence) and of their
//! ledes (the first [`LEDE_BYTES`] bytes of the text); the embedding cosines
//! of the documents and of the headlines; shared names (the idf of the
//! shared names over the smaller side's total, and the rarest shared
//! name's idf); shared numbers (their summed idf, and how many numbers only
//! one side has, up to 10); a quote of at least four words in both; the
//! dates (both known, as the lexical cosine when they are and 0 when not:
//! close dates matter only between texts that share words; log of 1 +
//! days apart; more than 7 days apart); each
//! side's rank of the other among its candidates, by tf-idf and by
//! embedding (log 1 + the better and the worse rank, and the pair's cosine
//! over the best cosine either side has); four products; and the lexical
//! cosine over the log of 1 + the number of documents in the corpus (what
//! a cosine means depends on it: idf over five articles of one event says
//! less than over an archive of thousands; the ratio tends to 0 as corpora
//! grow, so corpora larger than any trained on are no extrapolation).
//!
//! A pair where either side has no embedding (no model, or a language the
//! model does not read: [`crate::embed::MIN_COVERAGE`]) is scored by a
//! second set of weights trained without the embedding features
//! ([`WEIGHTS_NO_MODEL`]): the model never scores a text it cannot read.
//!
//! # Copies
//!
//! A pair that shares verbatim text over at least half of the smaller
//! side (estimated from sampled word 8-grams: [`anchors`],
//! [`Scorer::copied`]) scores 1 whatever its features say: a copy or an
//! excerpt is the story it copies, even when republished months later or
//! written in a script the features know little of.
//!
//! # Threads
//!
//! A thread groups the stories of one topic. Its pair score is the same
//! model with the date features left out ([`Scorer::thread`]): text alone,
//! so that events months apart can meet; threads are average linkage over
//! stories (whole stories are the units) at [`crate::story::StoryConfig::thread_similarity`].

use std::ops::Range;

use rayon::prelude::*;

use crate::hash::{token_hash, IntMap};
use crate::story::{dot, neighbour_lists, Rows, StoryCorpus, Terms};
use crate::token::Tokens;

mod weights;
pub use weights::{WEIGHTS, WEIGHTS_NO_MODEL};

/// The pair features, in the order of a feature vector.
pub const FEATURES: [&str; 24] = [
    "lexical",
    "headline_lexical",
    "lede_lexical",
    "semantic",
    "headline_semantic",
    "name_share",
    "name_rarest",
    "number_weight",
    "numbers_unshared",
    "shared_quote",
    "dated_lexical",
    "log_days",
    "over_week",
    "lexical_rank_best",
    "lexical_rank_worst",
    "lexical_relative",
    "semantic_rank_best",
    "semantic_rank_worst",
    "semantic_relative",
    "lexical_squared",
    "semantic_squared",
    "lexical_semantic",
    "dated_log_days_squared",
    "lexical_over_log_documents",
];

/// Features per pair.
pub const N_FEATURES: usize = FEATURES.len();

/// A pair's feature vector.
pub type FeatureVector = [f32; N_FEATURES];

/// The features that need embeddings (zero when either side has none).
const SEMANTIC: [usize; 7] = [3, 4, 16, 17, 18, 20, 21];
/// The features that need dates (zero for the thread score).
const DATED: [usize; 4] = [10, 11, 12, 22];

/// Bytes of the text (after the title) that make its lede.
pub const LEDE_BYTES: usize = 400;

/// A logistic regression over standardized features:
/// `p = 1 / (1 + exp(−(intercept + Σ coef_k (x_k − mean_k) / scale_k)))`.
#[derive(Clone, Copy, Debug)]
pub struct Weights {
    pub mean: FeatureVector,
    pub scale: FeatureVector,
    pub coef: FeatureVector,
    pub intercept: f32,
}

impl Weights {
    /// The probability that a pair with features `x` is one event.
    pub fn probability(&self, x: &FeatureVector) -> f32 {
        let mut z = self.intercept as f64;
        for (k, &v) in x.iter().enumerate() {
            z += self.coef[k] as f64 * (v as f64 - self.mean[k] as f64) / self.scale[k] as f64;
        }
        (1.0 / (1.0 + (-z).exp())) as f32
    }
}

/// What the scorer needs of one document beyond its tf-idf row and its
/// embedding (both in [`StoryCorpus`]).
#[derive(Clone, Debug, Default)]
pub struct EventSignals {
    /// Content words of the headline (the title, else the first sentence).
    pub headline: Terms,
    /// Content words of the lede.
    pub lede: Terms,
    /// Unit-length embedding of the headline (empty without one).
    pub headline_embedding: Vec<f32>,
    /// Keys of the names (not numbers), sorted, deduplicated.
    pub names: Vec<u64>,
    /// Keys of the numbers, sorted, deduplicated.
    pub numbers: Vec<u64>,
    /// Hashes of quotations of at least [`MIN_QUOTE_WORDS`] words, sorted,
    /// deduplicated.
    pub quotes: Vec<u64>,
    /// A sample of the text's word [`ANCHOR_WORDS`]-grams (see [`anchors`]),
    /// sorted, deduplicated.
    pub anchors: Vec<u64>,
}

/// Words per anchor n-gram.
pub const ANCHOR_WORDS: usize = 8;
/// One n-gram in this many is an anchor (by its hash: the same n-grams in
/// every text).
pub const ANCHOR_SAMPLE: u64 = 8;
/// Share of the smaller side's anchors two texts must share to be copies.
pub const COPY_ANCHOR_SHARE: f64 = 0.5;
/// Fewest shared anchors that make a copy.
pub const COPY_MIN_ANCHORS: usize = 3;

/// A sample of the word `ANCHOR_WORDS`-grams of `tokens`: those whose hash
/// is 0 modulo [`ANCHOR_SAMPLE`]. Two texts that share a passage share its
/// anchors, so the share of one text's anchors found in the other estimates
/// how much of it is copied (its containment), at an eighth of the cost of
/// all n-grams.
pub fn anchors(tokens: &Tokens) -> Vec<u64> {
    let hashes: Vec<u64> = (0..tokens.len()).map(|i| token_hash(tokens.text(i))).collect();
    let mut out: Vec<u64> = hashes
        .windows(ANCHOR_WORDS)
        .map(|w| w.iter().fold(0x51_7cc1_b727_220au64, |h, &x| crate::hash::mix64(h ^ x)))
        .filter(|h| h % ANCHOR_SAMPLE == 0)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Words a quotation needs to count.
pub const MIN_QUOTE_WORDS: usize = 4;
/// Longest quotation, in bytes (a longer "quote" is an unbalanced mark).
const MAX_QUOTE_BYTES: usize = 600;

fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '「' | '」' | '『' | '』')
}

/// Hashes of the quotations in `text` (tokenized as `tokens`): the
/// normalized words between two quotation marks, when there are at least
/// [`MIN_QUOTE_WORDS`]. Marks pair up in order, whatever their shape
/// (`"…"`, `“…”`, `„…“`, `«…»`, `「…」`), so a quote that two texts cut
/// the same way hashes the same.
pub fn quotes(text: &str, tokens: &Tokens) -> Vec<u64> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (at, c) in text.char_indices() {
        if !is_quote_mark(c) {
            continue;
        }
        match open {
            None => open = Some(at + c.len_utf8()),
            Some(start) => {
                open = None;
                if at - start > MAX_QUOTE_BYTES {
                    // Probably unbalanced: start over from this mark.
                    open = Some(at + c.len_utf8());
                    continue;
                }
                let words = token_range(tokens, start..at);
                if words.len() >= MIN_QUOTE_WORDS {
                    let mut h = 0x9e37_79b9_7f4a_7c15u64;
                    for i in words {
                        h = crate::hash::mix64(h ^ token_hash(tokens.text(i)));
                    }
                    out.push(h);
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// How candidates are generated.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateConfig {
    /// Nearest neighbours by tf-idf cosine each document proposes.
    pub lexical: usize,
    /// Nearest neighbours by embedding cosine each document proposes.
    pub semantic: usize,
    /// Up to this many documents, neighbours are exact.
    pub exact_limit: usize,
    /// Beyond `exact_limit`: a document's heaviest words that look up
    /// neighbours in the inverted index.
    pub lookup_terms: usize,
    /// Beyond `exact_limit`: words in more documents than this look up no
    /// one (they still count in the cosine).
    pub lookup_df_limit: usize,
    /// Beyond `exact_limit`: neighbours by partial (looked-up) score scored
    /// exactly, of which the best `lexical` are kept.
    pub lookup_pool: usize,
}

impl Default for CandidateConfig {
    fn default() -> CandidateConfig {
        CandidateConfig {
            lexical: 20,
            semantic: 20,
            exact_limit: 4000,
            lookup_terms: 40,
            lookup_df_limit: 2000,
            lookup_pool: 64,
        }
    }
}

/// A candidate pair (`a < b`) with its cosines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    pub a: u32,
    pub b: u32,
    /// tf-idf cosine.
    pub lexical: f32,
    /// Embedding cosine (0 when either side has no embedding).
    pub semantic: f32,
}

/// The best `k` of `(doc, score)` by score (ties: the lower document).
fn best_k(list: &mut Vec<(u32, f32)>, k: usize) {
    let order = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
    if list.len() > k && k > 0 {
        list.select_nth_unstable_by(k - 1, order);
    }
    list.truncate(k);
}

impl StoryCorpus {
    /// Candidate pairs (see the module documentation), sorted by `(a, b)`.
    pub fn candidates(&self, config: &CandidateConfig) -> Vec<Candidate> {
        let n = self.len();
        let exact = n <= config.exact_limit;
        let lsh = if !exact && self.has_embeddings() { Some(crate::story::EmbeddingLsh::new(self)) } else { None };
        let mut proposed: Vec<(u32, u32)> = (0..n)
            .into_par_iter()
            .with_min_len(256)
            .map_init(
                || (vec![0f32; n], Vec::<u32>::new(), vec![0f32; self.vocabulary()]),
                |(acc, touched, dense), i| {
                    let (ts, ws) = self.rows.row(i);
                    let mut order: Vec<usize> = (0..ts.len()).collect();
                    if !exact && order.len() > config.lookup_terms {
                        order.select_nth_unstable_by(config.lookup_terms, |&x, &y| {
                            ws[y].total_cmp(&ws[x]).then(ts[x].cmp(&ts[y]))
                        });
                        order.truncate(config.lookup_terms);
                    }
                    for k in order {
                        let (t, w) = (ts[k], ws[k]);
                        if !exact && self.df[t as usize] as usize > config.lookup_df_limit {
                            continue;
                        }
                        let (docs, weights) = self.postings.row(t as usize);
                        for (&j, &v) in docs.iter().zip(weights) {
                            if j as usize == i {
                                continue;
                            }
                            if acc[j as usize] == 0.0 {
                                touched.push(j);
                            }
                            acc[j as usize] += w * v;
                        }
                    }
                    let mut lexical: Vec<(u32, f32)> = touched.iter().map(|&j| (j, acc[j as usize])).collect();
                    for &j in touched.iter() {
                        acc[j as usize] = 0.0;
                    }
                    touched.clear();
                    if !exact {
                        // Partial scores pick a pool, scored exactly.
                        best_k(&mut lexical, config.lookup_pool);
                        for (&t, &w) in ts.iter().zip(ws) {
                            dense[t as usize] = w;
                        }
                        for (j, score) in lexical.iter_mut() {
                            let (tj, wj) = self.rows.row(*j as usize);
                            *score = tj.iter().zip(wj).map(|(&t, &v)| dense[t as usize] * v).sum();
                        }
                        for &t in ts {
                            dense[t as usize] = 0.0;
                        }
                    }
                    best_k(&mut lexical, config.lexical);
                    let mut semantic: Vec<(u32, f32)> = Vec::new();
                    if self.has_embedding(i) {
                        match &lsh {
                            None => {
                                semantic.extend(
                                    (0..n as u32)
                                        .filter(|&j| j as usize != i && self.has_embedding(j as usize))
                                        .map(|j| (j, self.semantic(i, j as usize))),
                                );
                            }
                            Some(lsh) => {
                                let mut near = lsh.neighbours(self, i);
                                near.sort_unstable();
                                near.dedup();
                                semantic.extend(
                                    near.into_iter()
                                        .filter(|&j| j as usize != i)
                                        .map(|j| (j, self.semantic(i, j as usize))),
                                );
                            }
                        }
                        best_k(&mut semantic, config.semantic);
                    }
                    let mut out: Vec<(u32, u32)> =
                        lexical.iter().chain(&semantic).map(|&(j, _)| ((i as u32).min(j), (i as u32).max(j))).collect();
                    out.sort_unstable();
                    out.dedup();
                    out
                },
            )
            .flatten()
            .collect();
        proposed.par_sort_unstable();
        proposed.dedup();
        proposed
            .into_par_iter()
            .map(|(a, b)| {
                let semantic = if self.has_embedding(a as usize) && self.has_embedding(b as usize) {
                    self.semantic(a as usize, b as usize)
                } else {
                    0.0
                };
                Candidate { a, b, lexical: self.lexical(a as usize, b as usize).clamp(0.0, 1.0), semantic }
            })
            .collect()
    }
}

/// Scores candidate pairs: the corpus plus each document's
/// [`EventSignals`], reduced to what the features need.
pub struct Scorer<'c> {
    corpus: &'c StoryCorpus,
    headlines: Rows,
    ledes: Rows,
    headline_embeddings: Vec<f32>,
    names: Vec<Vec<u64>>,
    numbers: Vec<Vec<u64>>,
    quotes: Vec<Vec<u64>>,
    anchors: Vec<Vec<u64>>,
    /// idf `ln((1 + N) / (1 + df))` of names and numbers.
    idf: IntMap<u64, f32>,
}

impl<'c> Scorer<'c> {
    /// Takes the signals (one per document of `corpus`).
    pub fn new(corpus: &'c StoryCorpus, signals: Vec<EventSignals>) -> Scorer<'c> {
        assert_eq!(signals.len(), corpus.len(), "one EventSignals per document");
        let n = signals.len();
        let headlines = corpus.rows_of(signals.iter().map(|s| &s.headline));
        let ledes = corpus.rows_of(signals.iter().map(|s| &s.lede));
        let dim = corpus.dim();
        let mut headline_embeddings = Vec::new();
        if corpus.has_embeddings() {
            headline_embeddings.reserve(n * dim);
            for s in &signals {
                if s.headline_embedding.len() == dim {
                    headline_embeddings.extend_from_slice(&s.headline_embedding);
                } else {
                    headline_embeddings.extend(std::iter::repeat_n(0.0, dim));
                }
            }
        }
        let mut df: IntMap<u64, u32> = IntMap::default();
        for s in &signals {
            for &k in s.names.iter().chain(&s.numbers) {
                *df.entry(k).or_insert(0) += 1;
            }
        }
        let idf = df.into_iter().map(|(k, d)| (k, ((1.0 + n as f64) / (1.0 + d as f64)).ln() as f32)).collect();
        let (mut names, mut numbers, mut quotes, mut anchors) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for s in signals {
            names.push(s.names);
            numbers.push(s.numbers);
            quotes.push(s.quotes);
            anchors.push(s.anchors);
        }
        Scorer { corpus, headlines, ledes, headline_embeddings, names, numbers, quotes, anchors, idf }
    }

    fn idf(&self, key: u64) -> f32 {
        self.idf.get(&key).copied().unwrap_or(0.0)
    }

    fn headline_semantic(&self, a: usize, b: usize) -> f32 {
        if self.headline_embeddings.is_empty() {
            return 0.0;
        }
        let dim = self.corpus.dim();
        dot(&self.headline_embeddings[a * dim..(a + 1) * dim], &self.headline_embeddings[b * dim..(b + 1) * dim])
            .clamp(-1.0, 1.0)
    }

    /// Feature vectors of `candidates` (as [`StoryCorpus::candidates`]
    /// gives them), in their order.
    pub fn features(&self, candidates: &[Candidate]) -> Vec<FeatureVector> {
        let n = self.corpus.len();
        // Each document's candidates (CSR), for the rank features.
        let (offsets, lists) = neighbour_lists(n, candidates.iter().enumerate().map(|(k, c)| (c.a, c.b, k as u32)));
        // Per document and candidate: rank by lexical, rank by semantic;
        // per document: best lexical, best semantic.
        type Ranks = (Vec<(u32, u16, u16)>, f32, f32);
        let ranks: Vec<Ranks> = (0..n)
            .into_par_iter()
            .map(|i| {
                let mine = &lists[offsets[i]..offsets[i + 1]];
                let rank_by = |key: &dyn Fn(&Candidate) -> f32| {
                    let mut order: Vec<usize> = (0..mine.len()).collect();
                    order.sort_by(|&x, &y| {
                        let (cx, cy) = (&candidates[mine[x].1 as usize], &candidates[mine[y].1 as usize]);
                        key(cy).total_cmp(&key(cx)).then(mine[x].0.cmp(&mine[y].0))
                    });
                    let mut rank = vec![0u16; mine.len()];
                    for (r, &k) in order.iter().enumerate() {
                        rank[k] = r.min(u16::MAX as usize) as u16;
                    }
                    let best = order.first().map_or(0.0, |&k| key(&candidates[mine[k].1 as usize]));
                    (rank, best)
                };
                let (lex, best_lex) = rank_by(&|c| c.lexical);
                let (sem, best_sem) = rank_by(&|c| c.semantic);
                let entries = mine.iter().enumerate().map(|(k, &(_, pair))| (pair, lex[k], sem[k])).collect();
                (entries, best_lex, best_sem)
            })
            .collect();
        let mut pair_ranks: Vec<[(u16, u16); 2]> = vec![[(0, 0); 2]; candidates.len()];
        for (i, (entries, _, _)) in ranks.iter().enumerate() {
            for &(pair, lex, sem) in entries {
                let side = usize::from(candidates[pair as usize].b as usize == i);
                pair_ranks[pair as usize][side] = (lex, sem);
            }
        }
        candidates
            .par_iter()
            .zip(&pair_ranks)
            .map(|(c, r)| {
                let (a, b) = (c.a as usize, c.b as usize);
                let mut x = [0f32; N_FEATURES];
                let both_embedded = self.corpus.has_embedding(a) && self.corpus.has_embedding(b);
                x[0] = c.lexical;
                x[1] = crate::story::sparse_dot(self.headlines.row(a), self.headlines.row(b)).clamp(0.0, 1.0);
                x[2] = crate::story::sparse_dot(self.ledes.row(a), self.ledes.row(b)).clamp(0.0, 1.0);
                x[3] = c.semantic;
                x[4] = self.headline_semantic(a, b);
                // Names.
                let (total_a, total_b): (f32, f32) = (
                    self.names[a].iter().map(|&k| self.idf(k)).sum(),
                    self.names[b].iter().map(|&k| self.idf(k)).sum(),
                );
                let (mut shared, mut rarest) = (0f32, 0f32);
                for k in intersect(&self.names[a], &self.names[b]) {
                    let w = self.idf(k);
                    shared += w;
                    rarest = rarest.max(w);
                }
                x[5] = if shared > 0.0 { shared / total_a.min(total_b).max(1e-9) } else { 0.0 };
                x[6] = rarest;
                let mut number_weight = 0f32;
                let mut common = 0usize;
                for k in intersect(&self.numbers[a], &self.numbers[b]) {
                    number_weight += self.idf(k);
                    common += 1;
                }
                x[7] = number_weight;
                x[8] = ((self.numbers[a].len() + self.numbers[b].len() - 2 * common).min(10)) as f32;
                x[9] = if intersect(&self.quotes[a], &self.quotes[b]).next().is_some() { 1.0 } else { 0.0 };
                if let Some(days) = self.corpus.days_apart(a, b) {
                    let ld = (days as f32).ln_1p();
                    x[10] = c.lexical;
                    x[11] = ld;
                    x[12] = if days > 7 { 1.0 } else { 0.0 };
                    x[22] = ld * ld;
                }
                let ([ra, rb], (_, best_lex_a, best_sem_a), (_, best_lex_b, best_sem_b)) = (r, &ranks[a], &ranks[b]);
                x[13] = (ra.0.min(rb.0) as f32).ln_1p();
                x[14] = (ra.0.max(rb.0) as f32).ln_1p();
                x[15] = c.lexical / best_lex_a.max(*best_lex_b).max(1e-9);
                x[16] = (ra.1.min(rb.1) as f32).ln_1p();
                x[17] = (ra.1.max(rb.1) as f32).ln_1p();
                x[18] = c.semantic / best_sem_a.max(*best_sem_b).max(1e-9);
                x[19] = c.lexical * c.lexical;
                x[20] = c.semantic * c.semantic;
                x[21] = c.lexical * c.semantic;
                x[23] = c.lexical / (n as f32).ln_1p();
                if !both_embedded {
                    for k in SEMANTIC {
                        x[k] = 0.0;
                    }
                }
                x
            })
            .collect()
    }

    /// Whether one of two documents copies the other: they share at least
    /// [`COPY_MIN_ANCHORS`] anchors, and [`COPY_ANCHOR_SHARE`] of the
    /// smaller side's.
    pub fn copied(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.anchors[a], &self.anchors[b]);
        let shared = intersect(x, y).count();
        shared >= COPY_MIN_ANCHORS && shared as f64 >= COPY_ANCHOR_SHARE * x.len().min(y.len()) as f64
    }

    /// The probability that a pair with features `x` (of documents `a` and
    /// `b`) is one event; 1 for a copy ([`Scorer::copied`]): a copy is the
    /// story it copies, however late it is republished.
    pub fn story(&self, a: usize, b: usize, x: &FeatureVector) -> f32 {
        if self.copied(a, b) {
            return 1.0;
        }
        self.weights(a, b).probability(x)
    }

    /// The thread score of a pair: [`Scorer::story`] with the dates left
    /// out (text alone); 1 for a copy.
    pub fn thread(&self, a: usize, b: usize, x: &FeatureVector) -> f32 {
        if self.copied(a, b) {
            return 1.0;
        }
        let mut undated = *x;
        for k in DATED {
            undated[k] = 0.0;
        }
        self.weights(a, b).probability(&undated)
    }

    fn weights(&self, a: usize, b: usize) -> &'static Weights {
        if self.corpus.has_embedding(a) && self.corpus.has_embedding(b) {
            &WEIGHTS
        } else {
            &WEIGHTS_NO_MODEL
        }
    }
}

/// The common elements of two sorted lists.
fn intersect<'a>(a: &'a [u64], b: &'a [u64]) -> impl Iterator<Item = u64> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    return Some(a[i - 1]);
                }
            }
        }
        None
    })
}

/// The tokens of `tokens` inside `bytes`.
pub fn token_range(tokens: &Tokens, bytes: Range<usize>) -> Range<usize> {
    let first = tokens.tokens.partition_point(|t| t.byte_start < bytes.start);
    let end = tokens.tokens.partition_point(|t| t.byte_end <= bytes.end);
    first..end.max(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::Tokenizer;

    fn quotes_of(text: &str) -> Vec<u64> {
        let mut tokens = Tokens::default();
        Tokenizer::default().tokens(text, &mut tokens);
        quotes(text, &tokens)
    }

    #[test]
    fn quotes_match_whatever_their_marks() {
        let a = quotes_of("He said \"we will not give up the fight\" on Monday.");
        let b = quotes_of("« We will NOT give up the fight », il a dit.");
        assert_eq!(a.len(), 1);
        assert_eq!(a, b);
        // Too short to count, and an unbalanced mark.
        assert!(quotes_of("the \"big one\" hit").is_empty());
        assert!(quotes_of("an opening \" and nothing after it at all").is_empty());
        // Cut differently: another quote.
        assert_ne!(quotes_of("\"we will not give up\""), a);
    }

    fn synthetic_stories() -> Vec<crate::story::Terms> {
        let mut texts = Vec::new();
        let mut rng = crate::hash::SplitMix64(3);
        let vocab: Vec<String> = (0..400).map(|i| format!("w{i}x")).collect();
        for story in 0..30 {
            let core: Vec<&str> = (0..12).map(|_| vocab[(rng.next() % 400) as usize].as_str()).collect();
            for _ in 0..4 {
                let mut words: Vec<&str> = core.clone();
                words.extend((0..8).map(|_| vocab[(rng.next() % 400) as usize].as_str()));
                texts.push(format!("{} story{story}", words.join(" ")));
            }
        }
        let mut x = crate::story::TermExtractor::new();
        texts.iter().map(|t| x.terms(t)).collect()
    }

    #[test]
    fn lookup_path_finds_the_exact_neighbours() {
        // 120 documents, 30 stories of 4: each document's 3 story mates are
        // its nearest. The inverted-index path (forced by a low exact
        // limit) must propose every pair the exact path does among them.
        let terms = synthetic_stories();
        let n = terms.len();
        let corpus =
            StoryCorpus::new(crate::story::StoryConfig::default(), &terms, vec![None; n], Vec::new(), 0).unwrap();
        let exact = corpus.candidates(&CandidateConfig { lexical: 3, ..CandidateConfig::default() });
        let lookup = corpus.candidates(&CandidateConfig {
            lexical: 3,
            exact_limit: 10,
            lookup_terms: 8,
            lookup_df_limit: 20,
            lookup_pool: 8,
            ..CandidateConfig::default()
        });
        let mates = |c: &Candidate| c.a / 4 == c.b / 4;
        assert_eq!(exact.iter().filter(|c| mates(c)).count(), 30 * 6, "exact: every story pair");
        for c in exact.iter().filter(|c| mates(c)) {
            let found = lookup.iter().find(|d| (d.a, d.b) == (c.a, c.b));
            assert!(found.is_some_and(|d| d.lexical == c.lexical), "{c:?} missing from the lookup path");
        }
        assert!(exact.windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)), "sorted, no repeats");
    }

    #[test]
    fn features_of_a_pair() {
        let terms = synthetic_stories();
        let n = terms.len();
        let dates = (0..n).map(|i| Some(if i == 1 { 40 } else { 10 })).collect();
        let corpus = StoryCorpus::new(crate::story::StoryConfig::default(), &terms, dates, Vec::new(), 0).unwrap();
        let candidates = corpus.candidates(&CandidateConfig::default());
        let mut signals = vec![EventSignals::default(); n];
        signals[0].names = vec![7, 9];
        signals[2].names = vec![7, 11];
        signals[0].quotes = vec![5];
        signals[2].quotes = vec![5];
        signals[0].numbers = vec![1, 2];
        signals[2].numbers = vec![2, 3, 4];
        let scorer = Scorer::new(&corpus, signals);
        let x = scorer.features(&candidates);
        let at = |a: u32, b: u32| &x[candidates.iter().position(|c| (c.a, c.b) == (a, b)).unwrap()];
        let x02 = at(0, 2);
        // Name 7 is in 2 of 120 documents: idf ln(121 / 3); doc 0's names
        // weigh ln(121/3) + ln(121/2).
        let idf = |df: f64| (121.0 / (1.0 + df)).ln();
        assert!((x02[5] as f64 - idf(2.0) / (idf(2.0) + idf(1.0))).abs() < 1e-5, "name share {}", x02[5]);
        assert!((x02[6] as f64 - idf(2.0)).abs() < 1e-5);
        assert!((x02[7] as f64 - idf(2.0)).abs() < 1e-5, "one shared number");
        assert_eq!(x02[8], 3.0, "numbers on one side only: 1, 3, 4");
        assert_eq!(x02[9], 1.0, "a shared quote");
        assert_eq!((x02[10], x02[11], x02[12]), (x02[0], 0.0, 0.0), "same day");
        let x01 = at(0, 1);
        assert_eq!((x01[10], x01[12]), (x01[0], 1.0));
        assert!((x01[11] - 30f32.ln_1p()).abs() < 1e-6);
        // No model: every embedding feature is 0.
        assert!(x.iter().all(|x| SEMANTIC.iter().all(|&k| x[k] == 0.0)));
        // The thread score leaves the dates out.
        let mut undated = *x01;
        for k in DATED {
            undated[k] = 0.0;
        }
        assert_eq!(scorer.thread(0, 1, x01), WEIGHTS_NO_MODEL.probability(&undated));
    }

    #[test]
    fn intersection_of_sorted_lists() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[2, 3, 7, 8]).collect::<Vec<_>>(), vec![3, 7]);
        assert_eq!(intersect(&[], &[1]).count(), 0);
    }

    #[test]
    fn probability_is_a_logistic_of_standardized_features() {
        let mut w =
            Weights { mean: [0.0; N_FEATURES], scale: [1.0; N_FEATURES], coef: [0.0; N_FEATURES], intercept: 0.0 };
        assert_eq!(w.probability(&[0.0; N_FEATURES]), 0.5);
        w.coef[0] = 2.0;
        w.mean[0] = 0.5;
        w.scale[0] = 0.25;
        let mut x = [0.0; N_FEATURES];
        x[0] = 0.75; // one scale above the mean: z = 2
        let p = w.probability(&x);
        assert!((p - 1.0 / (1.0 + (-2f32).exp())).abs() < 1e-6, "{p}");
    }

    #[test]
    fn shipped_weights_are_finite_and_scales_positive() {
        for w in [&WEIGHTS, &WEIGHTS_NO_MODEL] {
            assert!(w.intercept.is_finite());
            for k in 0..N_FEATURES {
                assert!(w.coef[k].is_finite() && w.mean[k].is_finite() && w.scale[k] > 0.0, "feature {k}");
            }
        }
        for k in SEMANTIC {
            assert_eq!(WEIGHTS_NO_MODEL.coef[k], 0.0, "no-model weights use no embedding feature ({})", FEATURES[k]);
        }
    }
}
