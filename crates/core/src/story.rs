//! The story tier: which documents tell the same story, in whatever words.
//!
//! Near-duplicate detection ([`crate::dedup`]) links texts that share most
//! of their word 5-grams. Rewrites of one event share almost none; what they
//! share is vocabulary (names, places, the event's own words), meaning, and
//! time. This module scores document pairs on those signals and groups the
//! documents into stories.
//!
//! # Signals
//!
//! - **Lexical**: the cosine of tf-idf vectors over content words (stop words
//!   dropped, crudely stemmed; sublinear term frequency `1 + ln tf`, smoothed
//!   idf `ln((1 + N) / (1 + df)) + 1` over the corpus).
//! - **Semantic**: the cosine of document embeddings (from a static
//!   embedding model, when one is loaded). It is strong evidence only near
//!   the top of its range: it enters as
//!   `semantic_weight × clamp((cos − semantic_floor) / (1 − semantic_floor))`.
//!   It needs no corpus statistics, so it carries small corpora (five
//!   versions of one story, where idf says little).
//! - **Time**: documents far apart in time rarely report the same event.
//!   When both dates are known the score is multiplied by
//!   `date_floor + (1 − date_floor) × exp(−days / date_scale_days)`; an
//!   unknown date never separates.
//!
//! The pair score is `max(lexical, semantic) × time`.
//!
//! # Candidates
//!
//! Up to [`StoryConfig::all_pairs_limit`] documents, every pair is scored
//! (an inverted index makes the lexical part proportional to the pairs that
//! share a word). Beyond, each document's lexical neighbours are found
//! through the inverted index, from its [`StoryConfig::candidate_terms`]
//! heaviest words that are in at most
//! [`StoryConfig::candidate_df_limit`] documents; the best
//! [`StoryConfig::neighbours`] are scored exactly, and the semantic signal is
//! added for those pairs and for the nearest neighbours by embedding found by
//! random-hyperplane LSH. Pairs scoring under [`StoryConfig::edge_floor`]
//! are dropped.
//!
//! # Clustering
//!
//! Average linkage over the scored pairs (a missing pair counts as 0):
//! the two stories with the highest mean pair score merge while that mean is
//! at least [`StoryConfig::link_similarity`]. Unlike single linkage, one
//! strong pair cannot chain two stories together: every member must be close
//! to the rest on average. Ties break on the smallest document numbers, so
//! the result is deterministic.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use rayon::prelude::*;

use crate::event::CandidateConfig;
use crate::hash::{token_hash, IntMap};
use crate::token::{Tokenizer, Tokens};
use crate::words::{is_stop_word, stem};

/// Settings of the story tier.
#[derive(Clone, Debug, PartialEq)]
pub struct StoryConfig {
    /// Stories merge while the mean probability of their pairs being one
    /// event ([`crate::event::Scorer::story`]; a pair that is no candidate
    /// counts as 0) is at least this.
    pub link_similarity: f64,
    /// Stories join one thread while the mean thread score of their pairs
    /// ([`crate::event::Scorer::thread`]) is at least this.
    pub thread_similarity: f64,
    /// How candidate pairs are found.
    pub candidates: CandidateConfig,
}

impl Default for StoryConfig {
    fn default() -> StoryConfig {
        StoryConfig { link_similarity: 0.5, thread_similarity: 0.1, candidates: CandidateConfig::default() }
    }
}

/// Content-word counts of one text: `(hash of the stemmed word, count)`,
/// sorted by hash.
pub type Terms = Vec<(u64, u32)>;

/// Turns texts into [`Terms`]. One per thread.
#[derive(Debug, Default)]
pub struct TermExtractor {
    tokenizer: Tokenizer,
    tokens: Tokens,
}

impl TermExtractor {
    pub fn new() -> TermExtractor {
        TermExtractor::default()
    }

    /// The content words of `text` with their counts.
    pub fn terms(&mut self, text: &str) -> Terms {
        self.terms_in(text, "eng")
    }

    /// [`TermExtractor::terms`] of a text in `language` (an ISO 639-3 code,
    /// see [`terms_in`]).
    pub fn terms_in(&mut self, text: &str, language: &str) -> Terms {
        self.tokenizer.tokens(text, &mut self.tokens);
        terms_in(&self.tokens, 0..self.tokens.len(), language)
    }
}

/// The content words of tokens `range` of `tokens` with their counts
/// ([`TermExtractor::terms`] of text already tokenized).
pub fn terms_of(tokens: &Tokens, range: std::ops::Range<usize>) -> Terms {
    terms_in(tokens, range, "eng")
}

/// [`terms_of`] for a text in `language`: besides the English stop words,
/// that language's commonest function words ([`crate::lang::is_function_word`])
/// are dropped, so that texts do not look alike for being in one language.
pub fn terms_in(tokens: &Tokens, range: std::ops::Range<usize>, language: &str) -> Terms {
    // English stop words apply to every text; English needs no other list.
    let foreign = if language == "eng" { None } else { Some(crate::lang::function_words(language)) };
    let mut hashes: Vec<u64> = Vec::with_capacity(range.len());
    for i in range {
        let word = tokens.text(i);
        if is_stop_word(word) || !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        if foreign.is_some_and(|f| f.contains(word)) {
            continue;
        }
        let word = stem(word);
        if word.chars().count() < 2 {
            continue;
        }
        hashes.push(token_hash(word));
    }
    hashes.sort_unstable();
    let mut out: Terms = Vec::new();
    for h in hashes {
        match out.last_mut() {
            Some((last, count)) if *last == h => *count += 1,
            _ => out.push((h, 1)),
        }
    }
    out
}

/// A scored pair of documents (`a < b`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    /// tf-idf cosine.
    pub lexical: f32,
    /// Document-embedding cosine (0 when a side has no embedding).
    pub semantic: f32,
    /// The probability that the pair is one event.
    pub score: f32,
    /// The thread score: the same without the dates.
    pub thread: f32,
}

/// Sparse rows: per document, term ids ascending and their weights.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    offsets: Vec<usize>,
    terms: Vec<u32>,
    weights: Vec<f32>,
}

impl Rows {
    pub(crate) fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (s, e) = (self.offsets[i], self.offsets[i + 1]);
        (&self.terms[s..e], &self.weights[s..e])
    }
}

pub(crate) fn sparse_dot(a: (&[u32], &[f32]), b: (&[u32], &[f32])) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0f32);
    while i < a.0.len() && j < b.0.len() {
        match a.0[i].cmp(&b.0[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                sum += a.1[i] * b.1[j];
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Dot product of two equal-length vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Eight independent sums let the compiler vectorize.
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut sum: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        sum += x * y;
    }
    sum
}

/// The corpus as the story tier sees it: tf-idf rows, dates and embeddings.
/// Inputs of [`StoryCorpus::new`] whose shapes disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// One date (or `None`) per document is needed.
    Dates { documents: usize, dates: usize },
    /// Embeddings are `dim` floats per document, or none at all.
    Embeddings { documents: usize, dim: usize, floats: usize },
}

impl std::fmt::Display for ShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            ShapeError::Dates { documents, dates } => write!(f, "{dates} dates for {documents} documents"),
            ShapeError::Embeddings { documents, dim, floats } => {
                write!(f, "{floats} embedding floats for {documents} documents of dimension {dim}")
            }
        }
    }
}

impl std::error::Error for ShapeError {}

#[derive(Debug)]
pub struct StoryCorpus {
    config: StoryConfig,
    pub(crate) rows: Rows,
    /// Term id of each word hash, and each term's idf.
    ids: IntMap<u64, u32>,
    idf: Vec<f32>,
    /// Per term: documents containing it.
    pub(crate) df: Vec<u32>,
    /// Inverted index: per term, `(document, weight)`.
    pub(crate) postings: Rows,
    /// Whether each document has an embedding (not all zeros).
    embedded: Vec<bool>,
    dates: Vec<Option<i64>>,
    /// Unit-length embeddings, `dim` floats per document (all zero when a
    /// document has none).
    embeddings: Vec<f32>,
    dim: usize,
}

impl StoryCorpus {
    /// Builds the corpus. `dates` are in days (any fixed origin);
    /// `embeddings` holds `dim` floats per document, or is empty without a
    /// model.
    pub fn new(
        config: StoryConfig,
        terms: &[Terms],
        dates: Vec<Option<i64>>,
        embeddings: Vec<f32>,
        dim: usize,
    ) -> Result<StoryCorpus, ShapeError> {
        let n = terms.len();
        if dates.len() != n {
            return Err(ShapeError::Dates { documents: n, dates: dates.len() });
        }
        if !embeddings.is_empty() && Some(embeddings.len()) != n.checked_mul(dim) {
            return Err(ShapeError::Embeddings { documents: n, dim, floats: embeddings.len() });
        }
        // Term ids in order of first appearance: deterministic.
        let mut ids: IntMap<u64, u32> = IntMap::default();
        let mut df: Vec<u32> = Vec::new();
        for doc in terms {
            for &(h, _) in doc {
                let next = ids.len() as u32;
                let id = *ids.entry(h).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                df[id as usize] += 1;
            }
        }
        let idf: Vec<f32> = df.iter().map(|&d| ((1.0 + n as f64) / (1.0 + d as f64)).ln() as f32 + 1.0).collect();
        let rows = tf_idf_rows(&ids, &idf, terms.iter());
        // Inverted index (CSR by term).
        let mut postings = Rows { offsets: vec![0; df.len() + 1], ..Rows::default() };
        for (t, &d) in df.iter().enumerate() {
            postings.offsets[t + 1] = postings.offsets[t] + d as usize;
        }
        postings.terms = vec![0; rows.terms.len()];
        postings.weights = vec![0.0; rows.terms.len()];
        let mut fill = postings.offsets.clone();
        for doc in 0..n {
            let (ts, ws) = rows.row(doc);
            for (&t, &w) in ts.iter().zip(ws) {
                let at = &mut fill[t as usize];
                postings.terms[*at] = doc as u32;
                postings.weights[*at] = w;
                *at += 1;
            }
        }
        let embedded = if embeddings.is_empty() {
            vec![false; n]
        } else {
            embeddings.chunks_exact(dim.max(1)).map(|v| v.iter().any(|&x| x != 0.0)).collect()
        };
        Ok(StoryCorpus { config, rows, ids, idf, df, postings, embedded, dates, embeddings, dim })
    }

    /// Unit-length tf-idf rows of other texts (a headline, a lede) in this
    /// corpus's vocabulary and idf; words the corpus lacks are left out.
    pub(crate) fn rows_of<'t>(&self, terms: impl Iterator<Item = &'t Terms>) -> Rows {
        tf_idf_rows(&self.ids, &self.idf, terms)
    }

    /// Words in the corpus.
    pub(crate) fn vocabulary(&self) -> usize {
        self.df.len()
    }

    /// Floats per embedding (0 without a model).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Whether document `i` has an embedding (a model that reads its
    /// language).
    pub fn has_embedding(&self, i: usize) -> bool {
        self.embedded[i]
    }

    /// Days between the dates of two documents, when both are known.
    pub fn days_apart(&self, a: usize, b: usize) -> Option<u64> {
        match (self.dates[a], self.dates[b]) {
            (Some(x), Some(y)) => Some((x - y).unsigned_abs()),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.dates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    pub fn config(&self) -> &StoryConfig {
        &self.config
    }

    /// Whether documents have embeddings.
    pub fn has_embeddings(&self) -> bool {
        !self.embeddings.is_empty()
    }

    fn embedding(&self, i: usize) -> &[f32] {
        &self.embeddings[i * self.dim..(i + 1) * self.dim]
    }

    /// tf-idf cosine of two documents.
    pub fn lexical(&self, a: usize, b: usize) -> f32 {
        sparse_dot(self.rows.row(a), self.rows.row(b))
    }

    /// Embedding cosine of two documents (NaN without embeddings).
    pub fn semantic(&self, a: usize, b: usize) -> f32 {
        if self.embeddings.is_empty() {
            return f32::NAN;
        }
        // Unit vectors: the cosine, up to f32 rounding.
        dot(self.embedding(a), self.embedding(b)).clamp(-1.0, 1.0)
    }
}

/// Sparse unit-length rows `(1 + ln tf) × idf` of `terms`.
fn tf_idf_rows<'t>(ids: &IntMap<u64, u32>, idf: &[f32], terms: impl Iterator<Item = &'t Terms>) -> Rows {
    let mut rows = Rows { offsets: vec![0], ..Rows::default() };
    let mut row: Vec<(u32, f32)> = Vec::new();
    for doc in terms {
        row.clear();
        row.extend(doc.iter().filter_map(|&(h, tf)| {
            let id = *ids.get(&h)?;
            Some((id, (1.0 + (tf as f32).ln()) * idf[id as usize]))
        }));
        row.sort_unstable_by_key(|&(id, _)| id);
        let norm = row.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
        for &(id, w) in &row {
            rows.terms.push(id);
            rows.weights.push(w / norm);
        }
        rows.offsets.push(rows.terms.len());
    }
    rows
}

/// Random-hyperplane LSH over document embeddings, for corpora too large to
/// compare all pairs: documents agreeing on all bits of a band are
/// candidates.
pub(crate) struct EmbeddingLsh {
    /// Per band: bucket key → documents.
    buckets: Vec<IntMap<u32, Vec<u32>>>,
    planes: Vec<f32>,
}

const LSH_BANDS: usize = 12;
const LSH_BITS: usize = 14;
/// Buckets larger than this propose no candidates (a crowded region).
const LSH_MAX_BUCKET: usize = 256;

impl EmbeddingLsh {
    pub(crate) fn new(corpus: &StoryCorpus) -> EmbeddingLsh {
        let dim = corpus.dim;
        let mut rng = crate::hash::SplitMix64(0x05ee_d570_e1e5);
        let planes: Vec<f32> = (0..LSH_BANDS * LSH_BITS * dim)
            .map(|_| ((rng.next() >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0)
            .collect();
        let mut lsh = EmbeddingLsh { buckets: vec![IntMap::default(); LSH_BANDS], planes };
        let keys: Vec<Vec<u32>> = (0..corpus.len()).into_par_iter().map(|i| lsh.keys(corpus.embedding(i))).collect();
        for (doc, keys) in keys.iter().enumerate() {
            // A document without an embedding (all zeros) is no one's
            // neighbour.
            if corpus.embedding(doc).iter().all(|&x| x == 0.0) {
                continue;
            }
            for (band, &key) in keys.iter().enumerate() {
                lsh.buckets[band].entry(key).or_default().push(doc as u32);
            }
        }
        lsh
    }

    fn keys(&self, embedding: &[f32]) -> Vec<u32> {
        let dim = embedding.len();
        (0..LSH_BANDS)
            .map(|band| {
                let mut key = 0u32;
                for bit in 0..LSH_BITS {
                    let at = (band * LSH_BITS + bit) * dim;
                    if dot(&self.planes[at..at + dim], embedding) > 0.0 {
                        key |= 1 << bit;
                    }
                }
                key
            })
            .collect()
    }

    pub(crate) fn neighbours(&self, corpus: &StoryCorpus, i: usize) -> Vec<u32> {
        let mut out = Vec::new();
        if corpus.embedding(i).iter().all(|&x| x == 0.0) {
            return out;
        }
        for (band, key) in self.keys(corpus.embedding(i)).into_iter().enumerate() {
            if let Some(docs) = self.buckets[band].get(&key) {
                if docs.len() <= LSH_MAX_BUCKET {
                    out.extend_from_slice(docs);
                }
            }
        }
        out
    }
}

/// Entry of the merge queue: a pair of current stories and their mean score.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Merge {
    mean: f64,
    a: u32,
    b: u32,
}

impl Eq for Merge {}

impl Ord for Merge {
    fn cmp(&self, other: &Merge) -> Ordering {
        // Highest mean first; ties: smallest (a, b) first.
        self.mean.total_cmp(&other.mean).then_with(|| (other.a, other.b).cmp(&(self.a, self.b)))
    }
}

impl PartialOrd for Merge {
    fn partial_cmp(&self, other: &Merge) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Average-linkage clustering of `n` documents over scored pairs. Returns a
/// story number per document: stories are numbered by their first document.
pub fn cluster(n: usize, edges: &[Edge], threshold: f64) -> Vec<u32> {
    cluster_sized(&vec![1; n], edges, threshold)
}

/// Average linkage of groups of documents: `sizes[i]` documents in group
/// `i`, and `edges` between groups carrying the sum of their documents'
/// pair scores (repeated pairs add up). Two groups' mean is that sum over
/// the product of their sizes.
pub fn cluster_sized(sizes: &[u64], edges: &[Edge], threshold: f64) -> Vec<u32> {
    let n = sizes.len();
    // Each story is named by its smallest document.
    let mut size = sizes.to_vec();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    // Average linkage never merges a document whose every pair scores under
    // the threshold: a story's mean score to another is a weighted mean of
    // its parts' means, so it stays under the threshold too. Such
    // documents stay alone, and their pairs are left out of the maps. (For
    // groups, a sum under the threshold means a mean under it.)
    // (Repeated pairs add up: the test runs over each pair's sum, which
    // needs the edges sorted; unsorted, every document counts as active.)
    let sorted = edges.windows(2).all(|w| (w[0].a, w[0].b) <= (w[1].a, w[1].b));
    let mut active = vec![!sorted; n];
    let mut from = if sorted { 0 } else { edges.len() };
    while from < edges.len() {
        let (a, b) = (edges[from].a, edges[from].b);
        let mut to = from;
        let mut sum = 0.0;
        while to < edges.len() && (edges[to].a, edges[to].b) == (a, b) {
            sum += edges[to].score as f64;
            to += 1;
        }
        if a != b && sum >= threshold {
            active[a as usize] = true;
            active[b as usize] = true;
        }
        from = to;
    }
    let live = |e: &&Edge| e.a != e.b && active[e.a as usize] && active[e.b as usize];
    // Each document's pairs in edge order (CSR, by a counting sort), then
    // its map, built in parallel.
    let (offsets, pairs) = neighbour_lists(n, edges.iter().filter(live).map(|e| (e.a, e.b, e.score)));
    let mut adjacency: Vec<IntMap<u32, f64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mine = &pairs[offsets[i]..offsets[i + 1]];
            let mut map = IntMap::with_capacity_and_hasher(mine.len(), Default::default());
            for &(j, score) in mine {
                *map.entry(j).or_insert(0.0) += score as f64;
            }
            map
        })
        .collect();
    drop(pairs);
    let mut heap = BinaryHeap::new();
    for (a, adj) in adjacency.iter().enumerate() {
        for (&b, &sum) in adj {
            let mean = sum / (size[a] * size[b as usize]) as f64;
            if (a as u32) < b && mean >= threshold {
                heap.push(Merge { mean, a: a as u32, b });
            }
        }
    }
    let mut alive = vec![true; n];
    while let Some(m) = heap.pop() {
        if m.mean < threshold {
            break;
        }
        let (a, b) = (m.a as usize, m.b as usize);
        if !alive[a] || !alive[b] {
            continue;
        }
        let current = adjacency[a].get(&m.b).copied().unwrap_or(0.0) / (size[a] * size[b]) as f64;
        if current != m.mean {
            // Stale. A story's mean to a neighbour it did not share a merge
            // with only falls (its size grew, the sum stayed), and such
            // entries are not renewed at the merge: an over-estimate is put
            // back at its current mean when it comes up. Merges happen in
            // the order of current means all the same.
            if current < m.mean && current >= threshold {
                heap.push(Merge { mean: current, ..m });
            }
            continue;
        }
        // Merge b into a (a < b keeps the smallest document as the name).
        alive[b] = false;
        parent[b] = a as u32;
        let from_b = std::mem::take(&mut adjacency[b]);
        adjacency[a].remove(&m.b);
        // Entries naming a merged story stay in its neighbours' maps (removing
        // them costs more than skipping them): every reader skips the dead.
        let mut changed: Vec<(u32, f64)> = Vec::with_capacity(from_b.len());
        for (c, sum) in from_b {
            if c as usize == a || !alive[c as usize] {
                continue;
            }
            let total = adjacency[a].entry(c).or_insert(0.0);
            *total += sum;
            changed.push((c, *total));
            *adjacency[c as usize].entry(a as u32).or_insert(0.0) += sum;
        }
        size[a] += size[b];
        // New entries for the neighbours whose sum grew (the others' means
        // fell: see above). The heap orders merges totally, so the order of
        // pushes is free.
        for (c, sum) in changed {
            let mean = sum / (size[a] * size[c as usize]) as f64;
            if mean >= threshold {
                let (x, y) = (a.min(c as usize) as u32, a.max(c as usize) as u32);
                heap.push(Merge { mean, a: x, b: y });
            }
        }
    }
    // Story of each document: follow parents to the root; number roots by
    // first appearance.
    let root: Vec<u32> = (0..n)
        .map(|i| {
            let mut r = i;
            while parent[r] as usize != r {
                r = parent[r] as usize;
            }
            r as u32
        })
        .collect();
    let mut number = vec![u32::MAX; n];
    let mut next = 0;
    root.iter()
        .map(|&r| {
            if number[r as usize] == u32::MAX {
                number[r as usize] = next;
                next += 1;
            }
            number[r as usize]
        })
        .collect()
}

/// Each node's neighbours in CSR form (a counting sort): for every
/// `(a, b, value)` of `pairs`, `(b, value)` in a's list and `(a, value)` in
/// b's, in the order of `pairs`. Returns the offsets (`n + 1`) and the
/// lists.
pub(crate) fn neighbour_lists<V: Copy + Default>(
    n: usize,
    pairs: impl Iterator<Item = (u32, u32, V)> + Clone,
) -> (Vec<usize>, Vec<(u32, V)>) {
    let mut offsets = vec![0usize; n + 1];
    for (a, b, _) in pairs.clone() {
        offsets[a as usize + 1] += 1;
        offsets[b as usize + 1] += 1;
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut lists: Vec<(u32, V)> = vec![(0, V::default()); offsets[n]];
    for (a, b, value) in pairs {
        lists[fill[a as usize]] = (b, value);
        fill[a as usize] += 1;
        lists[fill[b as usize]] = (a, value);
        fill[b as usize] += 1;
    }
    (offsets, lists)
}

/// Threads: average linkage over whole stories (`stories[i]` is document
/// `i`'s, numbered from 0 without gaps) by the edges' thread scores, at
/// `threshold`. Returns a thread number per story, numbered by first story.
pub fn threads(stories: &[u32], edges: &[Edge], threshold: f64) -> Vec<u32> {
    let count = stories.iter().map(|&s| s as usize + 1).max().unwrap_or(0);
    let mut sizes = vec![0u64; count];
    for &s in stories {
        sizes[s as usize] += 1;
    }
    let mut between: Vec<Edge> = edges
        .iter()
        .filter_map(|e| {
            let (x, y) = (stories[e.a as usize], stories[e.b as usize]);
            (x != y).then(|| Edge { a: x.min(y), b: x.max(y), score: e.thread, thread: e.thread, ..*e })
        })
        .collect();
    between.sort_unstable_by_key(|e| (e.a, e.b));
    cluster_sized(&sizes, &between, threshold)
}

/// The documents of each story, in document order, from a story number per
/// document (as [`cluster`] returns them: numbered from 0 without gaps).
pub fn members(stories: &[u32]) -> Vec<Vec<u32>> {
    let count = stories.iter().map(|&s| s as usize + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (doc, &s) in stories.iter().enumerate() {
        members[s as usize].push(doc as u32);
    }
    members
}

/// What two documents of one story are to each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// The same words after normalization.
    ExactCopy,
    /// Nearly the same text: a near-duplicate, or most of each inside
    /// passages shared with the other.
    NearCopy,
    /// One contains most of the other; the other has much of its own.
    Excerpt,
    /// Shared passages, each side with substantial text of its own.
    PartialReuse,
    /// The same story in other words: little verbatim text, close in meaning.
    Rewrite,
    /// In one story through the clustering only.
    Related,
}

impl Relation {
    pub fn name(self) -> &'static str {
        match self {
            Relation::ExactCopy => "exact_copy",
            Relation::NearCopy => "near_copy",
            Relation::Excerpt => "excerpt",
            Relation::PartialReuse => "partial_reuse",
            Relation::Rewrite => "rewrite",
            Relation::Related => "related",
        }
    }
}

/// The evidence about one pair that decides its relation.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PairEvidence {
    /// The normalized word sequences are identical.
    pub identical: bool,
    /// Word 5-gram Jaccard similarity.
    pub jaccard: f64,
    /// In one near-duplicate cluster.
    pub same_cluster: bool,
    /// Share of each side's words inside verbatim or edited passages.
    pub containment_a: f64,
    pub containment_b: f64,
    /// Characters of the shorter side inside verbatim or edited passages.
    pub reused_chars: usize,
    /// Share of the sentences of the side with fewer sentences that have a
    /// paraphrase partner.
    pub paraphrase_share: f64,
    /// Paraphrase sentence pairs.
    pub paraphrase_pairs: usize,
    /// The pair score (see [`StoryCorpus::edge`]).
    pub score: f64,
    /// Document-embedding cosine (NaN without a model).
    pub semantic: f64,
    /// tf-idf cosine.
    pub lexical: f64,
}

/// Containment at which a pair is a copy (both sides).
pub const COPY_CONTAINMENT: f64 = 0.8;
/// Containment at which one side is an excerpt of the other (most of it is
/// inside passages shared with the other).
pub const EXCERPT_CONTAINMENT: f64 = 0.6;
/// Containment a shared passage must give some side for `partial_reuse`.
pub const REUSE_MIN_CONTAINMENT: f64 = 0.2;
/// Shortest shared text for `partial_reuse`, in Latin-equivalent characters
/// ([`crate::token::latin_equivalent_chars`]).
pub const REUSE_MIN_CHARS: usize = 150;
/// Paraphrase sentence pairs that make a `rewrite` on their own.
pub const REWRITE_MIN_PARAPHRASES: usize = 2;

/// The relation of a pair inside one story. The rules, in order:
///
/// 1. `exact_copy`: identical normalized words;
/// 2. `near_copy`: one near-duplicate cluster, or both containments ≥ 0.8;
/// 3. `excerpt`: one containment ≥ 0.6 (most of one side lies in passages
///    shared with the other, which has much of its own);
/// 4. `partial_reuse`: shared verbatim or edited passages of at least 150
///    characters, making up ≥ 20 % of some side;
/// 5. `rewrite`: the pair itself is evidence of one story told in other
///    words: its own score reaches the story link threshold, or it has at
///    least two paraphrase sentence pairs;
/// 6. `related`: in one story through the clustering only.
pub fn relation(e: &PairEvidence, link_similarity: f64) -> Relation {
    let (lo, hi) = if e.containment_a < e.containment_b {
        (e.containment_a, e.containment_b)
    } else {
        (e.containment_b, e.containment_a)
    };
    if e.identical {
        Relation::ExactCopy
    } else if e.same_cluster || lo >= COPY_CONTAINMENT {
        Relation::NearCopy
    } else if hi >= EXCERPT_CONTAINMENT {
        Relation::Excerpt
    } else if e.reused_chars >= REUSE_MIN_CHARS && hi >= REUSE_MIN_CONTAINMENT {
        Relation::PartialReuse
    } else if e.score >= link_similarity || e.paraphrase_pairs >= REWRITE_MIN_PARAPHRASES {
        Relation::Rewrite
    } else {
        Relation::Related
    }
}

/// Adjusted Rand index of two labelings of the same items (Hubert and Arabie
/// 1985): 1 for identical partitions, about 0 for chance agreement; `None`
/// when the labelings differ in length.
pub fn adjusted_rand_index<A: Eq + std::hash::Hash, B: Eq + std::hash::Hash>(x: &[A], y: &[B]) -> Option<f64> {
    if x.len() != y.len() {
        return None;
    }
    let n = x.len() as f64;
    let pairs = |c: f64| c * (c - 1.0) / 2.0;
    let mut table: HashMap<(&A, &B), f64> = HashMap::new();
    let mut rows: HashMap<&A, f64> = HashMap::new();
    let mut cols: HashMap<&B, f64> = HashMap::new();
    for (a, b) in x.iter().zip(y) {
        *table.entry((a, b)).or_insert(0.0) += 1.0;
        *rows.entry(a).or_insert(0.0) += 1.0;
        *cols.entry(b).or_insert(0.0) += 1.0;
    }
    let index: f64 = table.values().map(|&c| pairs(c)).sum();
    let sum_a: f64 = rows.values().map(|&c| pairs(c)).sum();
    let sum_b: f64 = cols.values().map(|&c| pairs(c)).sum();
    let expected = sum_a * sum_b / pairs(n).max(1.0);
    let max = (sum_a + sum_b) / 2.0;
    if max == expected {
        return Some(1.0);
    }
    Some((index - expected) / (max - expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Average linkage the slow way: every step scans all pairs of
    /// current stories for the best mean (ties: smallest pair), merging
    /// the larger-numbered story into the smaller one.
    fn naive_cluster(n: usize, edges: &[Edge], threshold: f64) -> Vec<u32> {
        let mut sum = vec![vec![0f64; n]; n];
        for e in edges.iter().filter(|e| e.a != e.b) {
            sum[e.a as usize][e.b as usize] += e.score as f64;
            sum[e.b as usize][e.a as usize] += e.score as f64;
        }
        let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
        loop {
            let mut best: Option<(f64, usize, usize)> = None;
            for a in 0..n {
                for b in a + 1..n {
                    if members[a].is_empty() || members[b].is_empty() {
                        continue;
                    }
                    let total: f64 = members[a]
                        .iter()
                        .flat_map(|&x| members[b].iter().map(move |&y| (x, y)))
                        .fold(0.0, |acc, (x, y)| acc + sum[x][y]);
                    let mean = total / (members[a].len() * members[b].len()) as f64;
                    if mean >= threshold && best.is_none_or(|(m, _, _)| mean > m) {
                        best = Some((mean, a, b));
                    }
                }
            }
            let Some((_, a, b)) = best else { break };
            let moved = std::mem::take(&mut members[b]);
            members[a].extend(moved);
        }
        let mut story = vec![0u32; n];
        for (next, m) in members.iter().filter(|m| !m.is_empty()).enumerate() {
            for &d in m {
                story[d] = next as u32;
            }
        }
        story
    }

    #[test]
    fn clustering_is_average_linkage() {
        // Random sparse graphs, including documents with only weak pairs
        // (left out of the maps) and stale heap entries (means that fall
        // as stories grow): the fast clustering must match the slow one.
        let mut rng = crate::hash::SplitMix64(42);
        for round in 0..200 {
            let n = 2 + (rng.next() % 14) as usize;
            let mut edges = Vec::new();
            for a in 0..n as u32 {
                for b in a + 1..n as u32 {
                    if rng.next() % 3 == 0 {
                        // Scores in 1/64 steps: sums and means are exact,
                        // so ties are real ties in both implementations.
                        edges.push(edge(a, b, (rng.next() % 64) as f32 / 64.0));
                    }
                }
            }
            let threshold = [0.2, 0.35, 0.5][round % 3];
            let fast = cluster(n, &edges, threshold);
            let slow = naive_cluster(n, &edges, threshold);
            // Both number stories by first document: compare as partitions.
            assert_eq!(fast, slow, "round {round}, n {n}, edges {edges:?}");
        }
    }

    fn edge(a: u32, b: u32, score: f32) -> Edge {
        Edge { a, b, lexical: score, semantic: 0.0, score, thread: score }
    }

    #[test]
    fn terms_drop_stop_words_and_stem() {
        let mut x = TermExtractor::new();
        let t = x.terms("The sanctions and the Sanction, reported; reports of sanctions.");
        // sanction ×3 (stemmed, case-folded), report ×2.
        let mut counts: Vec<u32> = t.iter().map(|&(_, c)| c).collect();
        counts.sort_unstable();
        assert_eq!(counts, vec![2, 3]);
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn average_linkage_resists_chaining() {
        // 0-1-2 strongly linked; 3 linked to 2 only; single linkage would
        // chain 3 in, average linkage must not at threshold 0.3.
        let edges = [edge(0, 1, 0.9), edge(0, 2, 0.8), edge(1, 2, 0.85), edge(2, 3, 0.7)];
        let labels = cluster(4, &edges, 0.3);
        assert_eq!(labels, vec![0, 0, 0, 1]);
        // At a lower threshold the mean (0.7 / 3 ≈ 0.23) is enough.
        assert_eq!(cluster(4, &edges, 0.2), vec![0, 0, 0, 0]);
    }

    #[test]
    #[allow(clippy::needless_range_loop)] // a symmetric matrix, filled by index
    fn clustering_matches_brute_force_average_linkage() {
        // Random small graphs: compare with a naive O(n³) average linkage.
        let mut rng = crate::hash::SplitMix64(7);
        for _ in 0..200 {
            let n = 2 + (rng.next() % 9) as usize;
            let mut m = vec![vec![0f64; n]; n];
            let mut edges = Vec::new();
            for a in 0..n {
                for b in a + 1..n {
                    if rng.next() % 3 != 0 {
                        // Distinct scores avoid ties.
                        let s = (rng.next() % 1_000_000) as f32 / 1_000_000.0;
                        m[a][b] = s as f64;
                        m[b][a] = s as f64;
                        edges.push(edge(a as u32, b as u32, s));
                    }
                }
            }
            let t = 0.3;
            let mut groups: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
            loop {
                let mut best: Option<(f64, usize, usize)> = None;
                for x in 0..groups.len() {
                    for y in x + 1..groups.len() {
                        let sum: f64 = groups[x]
                            .iter()
                            .flat_map(|&i| groups[y].iter().map(move |&j| (i, j)))
                            .map(|(i, j)| m[i][j])
                            .sum();
                        let mean = sum / (groups[x].len() * groups[y].len()) as f64;
                        if best.is_none_or(|(bm, _, _)| mean > bm) {
                            best = Some((mean, x, y));
                        }
                    }
                }
                match best {
                    Some((mean, x, y)) if mean >= t => {
                        let g = groups.remove(y);
                        groups[x].extend(g);
                    }
                    _ => break,
                }
            }
            let mut want = vec![0usize; n];
            for (k, g) in groups.iter().enumerate() {
                for &i in g {
                    want[i] = k;
                }
            }
            let got = cluster(n, &edges, t);
            assert!((adjusted_rand_index(&want, &got).unwrap() - 1.0).abs() < 1e-12, "n={n} want {want:?} got {got:?}");
        }
    }

    #[test]
    fn groups_link_by_their_mean() {
        // Groups of 2 and 3 documents with pair scores summing to 3.0: a
        // mean of 0.5, which merges at 0.5 and not above.
        let sums = [edge(0, 1, 1.0), edge(0, 1, 2.0)];
        assert_eq!(cluster_sized(&[2, 3], &sums, 0.5), vec![0, 0]);
        assert_eq!(cluster_sized(&[2, 3], &sums, 0.51), vec![0, 1]);
        // Unit sizes: plain average linkage.
        let edges = [edge(0, 1, 0.9), edge(1, 2, 0.2)];
        assert_eq!(cluster_sized(&[1, 1, 1], &edges, 0.5), cluster(3, &edges, 0.5));
    }

    #[test]
    fn threads_join_whole_stories() {
        // Stories {0, 1} and {2, 3}: their thread scores across average
        // (0.6 + 0.4 + 0 + 0.2) / 4 = 0.3.
        let stories = [0, 0, 1, 1, 2];
        let thread = |a, b, t| Edge { a, b, lexical: 0.0, semantic: 0.0, score: 0.0, thread: t };
        let edges = [thread(0, 2, 0.6), thread(1, 2, 0.4), thread(1, 3, 0.2), thread(3, 4, 0.1)];
        assert_eq!(threads(&stories, &edges, 0.3), vec![0, 0, 1]);
        assert_eq!(threads(&stories, &edges, 0.31), vec![0, 1, 2]);
        // The edges inside a story do not count.
        assert_eq!(threads(&[0, 0], &[thread(0, 1, 0.9)], 0.5), vec![0]);
    }

    #[test]
    fn ari_known_values() {
        assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 7, 7]), Some(1.0));
        assert_eq!(adjusted_rand_index(&[0, 0, 1], &[0, 0]), None);
        // sklearn: adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715
        let v = adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]).unwrap();
        assert!((v - 0.5714285714285715).abs() < 1e-12, "{v}");
        // sklearn: adjusted_rand_score([0,0,0,1,1,1],[0,1,2,0,1,2]) = -0.36363636363636365
        let v = adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 1, 2, 0, 1, 2]).unwrap();
        assert!((v + 0.36363636363636365).abs() < 1e-12, "{v}");
    }

    fn corpus(texts: &[&str], dates: Vec<Option<i64>>) -> StoryCorpus {
        let mut x = TermExtractor::new();
        let terms: Vec<Terms> = texts.iter().map(|t| x.terms(t)).collect();
        StoryCorpus::new(StoryConfig::default(), &terms, dates, Vec::new(), 0).unwrap()
    }

    #[test]
    fn function_words_of_the_language_are_no_terms() {
        // Two unrelated Spanish sentences share only function words.
        let a = "El alcalde de la ciudad anunció que los puentes del río serán reparados por la empresa.";
        let b = "La selección de fútbol ganó el partido y los aficionados celebraron en las calles del centro.";
        let mut x = TermExtractor::new();
        let shared = |ta: &Terms, tb: &Terms| ta.iter().filter(|(h, _)| tb.iter().any(|(g, _)| g == h)).count();
        assert!(shared(&x.terms(a), &x.terms(b)) >= 4, "English stop words leave Spanish function words");
        assert_eq!(shared(&x.terms_in(a, "spa"), &x.terms_in(b, "spa")), 0);
        // English and undetermined texts keep the English rule.
        assert_eq!(x.terms_in(a, "eng"), x.terms(a));
        assert_eq!(x.terms_in(a, "und"), x.terms(a));
    }

    #[test]
    fn corpus_shapes_must_agree() {
        let terms: Vec<Terms> = vec![Terms::default(); 2];
        let new = |dates: usize, floats: usize, dim: usize| {
            StoryCorpus::new(StoryConfig::default(), &terms, vec![None; dates], vec![0.0; floats], dim).err()
        };
        assert_eq!(new(1, 0, 0), Some(ShapeError::Dates { documents: 2, dates: 1 }));
        assert_eq!(new(2, 3, 2), Some(ShapeError::Embeddings { documents: 2, dim: 2, floats: 3 }));
        assert_eq!(new(2, 4, 2), None);
        assert_eq!(new(2, 0, 2), None);
    }

    const A: &str =
        "Flood waters rose in Millbrook as the river Avon burst its banks; Mayor Dana Whitfield ordered evacuations.";
    const B: &str = "Mayor Whitfield of Millbrook ordered residents to leave as the Avon flooded the town centre.";
    const C: &str = "The central bank raised interest rates by half a point to fight inflation, its governor said.";

    #[test]
    fn lexical_scores() {
        let c = corpus(&[A, B, C], vec![None; 3]);
        let ab = c.lexical(0, 1);
        let ac = c.lexical(0, 2);
        assert!(ab > 0.2 && ac < 0.1, "{ab} {ac}");
        assert_eq!(c.days_apart(0, 1), None);
        assert_eq!(members(&[0, 0, 1]), vec![vec![0, 1], vec![2]]);
        let dated = corpus(&[A, B], vec![Some(100), Some(97)]);
        assert_eq!(dated.days_apart(0, 1), Some(3));
    }
}
