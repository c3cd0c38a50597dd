//! The near-duplicate engine: configuration, per-thread sketching, and the
//! corpus-wide pass (exact duplicates, LSH candidates, exact verification,
//! clustering).
//!
//! The engine does no I/O. The caller feeds texts to a [`Sketcher`] (one per
//! thread), keeps each [`Sketch`]'s band keys and content hash in a
//! [`Table`], stores each shingle set wherever it likes (memory, a spill
//! file) behind [`SetSource`], and calls [`Deduper::deduplicate`].
//!
//! # Cost
//!
//! Per document the table holds 16 bytes of content hash and `8 × bands`
//! bytes of band keys (16 bands at the default settings: 144 bytes). Shingle
//! sets are read back only for candidate pairs. Sketching is linear in the
//! text; candidate generation sorts `bands × documents` keys.

use std::fmt;

use rayon::prelude::*;

use crate::band::{CurvePoint, Layout};
use crate::candidate::{candidates, Pair};
use crate::cluster::{cluster, Clusters, Edge};
use crate::shingle::{jaccard, Shingler};
use crate::signature::{Signer, SketchKind};
use crate::token::Tokenizer;

/// Settings of a deduplication run. Plain data; [`Deduper::new`] validates.
#[derive(Clone, Debug, PartialEq)]
pub struct DedupConfig {
    /// Jaccard similarity of shingle sets at which two documents are
    /// near-duplicates.
    pub threshold: f64,
    /// Words per shingle.
    pub ngram: usize,
    /// Slots of a MinHash signature ("permutations").
    pub num_perm: usize,
    /// Which MinHash construction.
    pub sketch: SketchKind,
    /// Seed of the signature hash functions.
    pub seed: u64,
    /// Required probability that a pair at the threshold becomes a candidate.
    pub min_probability: f64,
    /// Members must be at least `threshold − margin` similar to each other.
    pub margin: f64,
}

impl Default for DedupConfig {
    fn default() -> DedupConfig {
        DedupConfig {
            threshold: 0.8,
            ngram: 5,
            num_perm: 128,
            sketch: SketchKind::Fast,
            seed: 1,
            min_probability: 0.99,
            margin: 0.1,
        }
    }
}

/// A setting out of range.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A validated, immutable engine.
#[derive(Clone, Debug)]
pub struct Deduper {
    config: DedupConfig,
    layout: Layout,
    signer: Signer,
    shingler: Shingler,
}

/// What one document leaves behind after sketching.
#[derive(Clone, Debug, Default)]
pub struct Sketch {
    /// Sorted, deduplicated shingle hashes.
    pub shingles: Vec<u64>,
    /// The MinHash signature.
    pub signature: Vec<u32>,
    /// One key per band.
    pub band_keys: Vec<u64>,
    /// Hash of the normalized token sequence (exact duplicates).
    pub content: u128,
    /// Number of words.
    pub words: usize,
}

/// Sketches documents; holds per-thread scratch buffers.
#[derive(Debug)]
pub struct Sketcher<'e> {
    engine: &'e Deduper,
    tokenizer: Tokenizer,
    token_hashes: Vec<u64>,
    paragraphs: Vec<u32>,
    scratch: Vec<u64>,
    sort_scratch: Vec<u64>,
}

impl Sketcher<'_> {
    /// Sketches `text` into `out`, reusing its buffers.
    pub fn sketch_into(&mut self, text: &str, out: &mut Sketch) {
        let hashes = &mut self.token_hashes;
        let paragraphs = &mut self.paragraphs;
        self.tokenizer.hashes_into(text, hashes, paragraphs);
        out.words = hashes.len();
        out.content = content_hash(hashes);
        self.engine.shingler.shingles_into_with(hashes, paragraphs, &mut out.shingles, &mut self.sort_scratch);
        self.engine.signer.sign_into(&out.shingles, &mut out.signature, &mut self.scratch);
        if out.shingles.is_empty() {
            out.band_keys.clear();
        } else {
            self.engine.layout.keys_into(&out.signature, &mut out.band_keys);
        }
    }
}

fn content_hash(token_hashes: &[u64]) -> u128 {
    let mut bytes = Vec::with_capacity(token_hashes.len() * 8);
    for h in token_hashes {
        bytes.extend_from_slice(&h.to_le_bytes());
    }
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

/// Per-document keys of a corpus, indexed by document number.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub content: Vec<u128>,
    /// `bands` keys per document; empty documents have none and
    /// `has_keys[doc]` false.
    band_keys: Vec<u64>,
    has_keys: Vec<bool>,
    bands: usize,
}

impl Table {
    pub fn new(bands: usize) -> Table {
        Table { bands, ..Table::default() }
    }

    /// Appends a document; returns its number.
    pub fn push(&mut self, sketch: &Sketch) -> u32 {
        let doc = self.content.len() as u32;
        self.content.push(sketch.content);
        if sketch.band_keys.len() == self.bands {
            self.band_keys.extend_from_slice(&sketch.band_keys);
            self.has_keys.push(true);
        } else {
            self.band_keys.extend(std::iter::repeat_n(0, self.bands));
            self.has_keys.push(false);
        }
        doc
    }

    pub fn len(&self) -> usize {
        self.content.len()
    }

    pub fn is_empty(&self) -> bool {
        self.content.is_empty()
    }
}

/// Where the engine reads shingle sets back for verification.
pub trait SetSource: Sync {
    type Error: Send;
    /// Loads the sorted shingle set of `doc` into `buf` (replacing it).
    fn load(&self, doc: u32, buf: &mut Vec<u64>) -> Result<(), Self::Error>;
}

/// Shingle sets held in memory.
impl SetSource for Vec<Vec<u64>> {
    type Error = std::convert::Infallible;
    fn load(&self, doc: u32, buf: &mut Vec<u64>) -> Result<(), Self::Error> {
        buf.clear();
        buf.extend_from_slice(&self[doc as usize]);
        Ok(())
    }
}

/// The outcome of a run.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub clusters: Clusters,
    /// Verified edges (exact duplicates first, then candidates whose exact
    /// similarity reached the threshold, sorted by pair).
    pub edges: Vec<Edge>,
    pub stats: Stats,
}

/// Counts from the stages of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Documents that are exact duplicates (after normalization) of an
    /// earlier-ranked one.
    pub exact_duplicates: usize,
    /// Candidate pairs from LSH.
    pub candidates: usize,
    /// Candidates whose exact similarity reached the threshold.
    pub verified: usize,
    /// Similarities to representatives computed during clustering.
    pub extra_checks: usize,
}

/// Jaccard similarity between two documents' sets from `sets`.
/// Two loaded sets and which documents they belong to: pairs come sorted,
/// and clustering compares many documents with one representative, so one
/// side is often the set already loaded.
struct Loaded {
    docs: [u32; 2],
    sets: [Vec<u64>; 2],
}

impl Loaded {
    fn new() -> Loaded {
        Loaded { docs: [u32::MAX; 2], sets: [Vec::new(), Vec::new()] }
    }

    /// Exact Jaccard similarity of documents `a` and `b`.
    fn jaccard<S: SetSource>(&mut self, sets: &S, a: u32, b: u32) -> Result<f64, S::Error> {
        // Keep whichever loaded set is reused in its slot.
        let (a, b) = if self.docs[1] == a || self.docs[0] == b { (b, a) } else { (a, b) };
        for (slot, doc) in [(0, a), (1, b)] {
            if self.docs[slot] != doc {
                self.docs[slot] = u32::MAX;
                sets.load(doc, &mut self.sets[slot])?;
                self.docs[slot] = doc;
            }
        }
        Ok(jaccard(&self.sets[0], &self.sets[1]))
    }
}

impl Deduper {
    pub fn new(config: DedupConfig) -> Result<Deduper, ConfigError> {
        let t = config.threshold;
        if !(t > 0.0 && t <= 1.0) {
            return Err(ConfigError(format!("threshold must be in (0, 1], got {t}")));
        }
        if config.ngram == 0 || config.ngram > 64 {
            return Err(ConfigError(format!("ngram must be 1 to 64, got {}", config.ngram)));
        }
        if config.num_perm < 2 || config.num_perm > 4096 {
            return Err(ConfigError(format!("num-perm must be 2 to 4096, got {}", config.num_perm)));
        }
        if !(config.min_probability > 0.0 && config.min_probability < 1.0) {
            return Err(ConfigError(format!("min probability must be in (0, 1), got {}", config.min_probability)));
        }
        if !(0.0..=1.0).contains(&config.margin) {
            return Err(ConfigError(format!("margin must be in [0, 1], got {}", config.margin)));
        }
        let layout = Layout::for_threshold(t, config.num_perm, config.min_probability);
        let signer = Signer::new(config.sketch, config.num_perm, config.seed);
        let shingler = Shingler::new(config.ngram);
        Ok(Deduper { config, layout, signer, shingler })
    }

    pub fn config(&self) -> &DedupConfig {
        &self.config
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The S-curve of the layout around the threshold.
    pub fn curve(&self) -> Vec<CurvePoint> {
        self.layout.curve(self.config.threshold)
    }

    /// The similarity every member keeps to every other member.
    pub fn floor(&self) -> f64 {
        (self.config.threshold - self.config.margin).max(0.0)
    }

    pub fn sketcher(&self) -> Sketcher<'_> {
        Sketcher {
            engine: self,
            tokenizer: Tokenizer::new(),
            token_hashes: Vec::new(),
            paragraphs: Vec::new(),
            scratch: Vec::new(),
            sort_scratch: Vec::new(),
        }
    }

    pub fn table(&self) -> Table {
        Table::new(self.layout.bands)
    }

    /// Clusters the documents of `table`. `order` lists every document once,
    /// by keep priority (the first of a cluster becomes its representative).
    pub fn deduplicate<S: SetSource>(&self, table: &Table, order: &[u32], sets: &S) -> Result<Outcome, S::Error> {
        let n = table.len();
        assert_eq!(order.len(), n, "order must list every document once");
        let mut rank = vec![0u32; n];
        for (r, &d) in order.iter().enumerate() {
            rank[d as usize] = r as u32;
        }
        let mut stats = Stats::default();

        // Exact duplicates: the best-ranked document of each content group
        // stands for the group in LSH; the others get similarity-1 edges.
        let mut by_content: Vec<u32> = (0..n as u32).collect();
        by_content.par_sort_unstable_by_key(|&d| (table.content[d as usize], rank[d as usize]));
        let mut edges = Vec::new();
        let mut active = Vec::new();
        for group in by_content.chunk_by(|&x, &y| table.content[x as usize] == table.content[y as usize]) {
            let leader = group[0];
            if table.has_keys[leader as usize] {
                active.push(leader);
            }
            for &d in &group[1..] {
                edges.push(Edge { a: leader, b: d, similarity: 1.0 });
            }
        }
        stats.exact_duplicates = edges.len();
        active.sort_unstable();

        let pairs: Vec<Pair> = candidates(&table.band_keys, self.layout.bands, &active, &rank);
        stats.candidates = pairs.len();

        let threshold = self.config.threshold;
        let verified: Vec<Result<Option<Edge>, S::Error>> = pairs
            .par_iter()
            .map_init(Loaded::new, |loaded, &(a, b)| {
                let s = loaded.jaccard(sets, a, b)?;
                Ok((s >= threshold).then_some(Edge { a, b, similarity: s }))
            })
            .collect();
        for v in verified {
            if let Some(e) = v? {
                edges.push(e);
            }
        }
        stats.verified = edges.len() - stats.exact_duplicates;

        let mut loaded = Loaded::new();
        let clusters = cluster(n, order, &edges, self.floor(), |a, b| loaded.jaccard(sets, a, b))?;
        stats.extra_checks = clusters.extra_checks;
        Ok(Outcome { clusters, edges, stats })
    }
}

/// Which document of a cluster is kept (becomes its representative).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Keep {
    /// The first in input order.
    #[default]
    First,
    /// The one with the most words (ties: input order).
    Longest,
    /// The one with the earliest date (undated last; ties: input order).
    Earliest,
}

/// The priority order of documents under `keep`: `words[doc]` and
/// `dates[doc]` (sortable date strings such as ISO 8601, `None` when
/// undated) are used by the policies that need them.
pub fn priority_order(keep: Keep, words: &[usize], dates: &[Option<&str>]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..words.len() as u32).collect();
    match keep {
        Keep::First => {}
        Keep::Longest => order.sort_by_key(|&d| std::cmp::Reverse(words[d as usize])),
        Keep::Earliest => order.sort_by(|&x, &y| match (dates[x as usize], dates[y as usize]) {
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }),
    }
    order
}

/// Runs the whole engine on in-memory texts, on the current rayon pool. For
/// tests and small jobs; the CLI streams instead.
pub fn deduplicate_texts(deduper: &Deduper, texts: &[&str], keep: Keep) -> Outcome {
    let sketches: Vec<Sketch> = texts
        .par_iter()
        .map_init(
            || deduper.sketcher(),
            |sketcher, text| {
                let mut s = Sketch::default();
                sketcher.sketch_into(text, &mut s);
                s
            },
        )
        .collect();
    let mut table = deduper.table();
    let mut sets = Vec::with_capacity(texts.len());
    let mut words = Vec::with_capacity(texts.len());
    for s in &sketches {
        table.push(s);
        words.push(s.words);
        sets.push(s.shingles.clone());
    }
    let order = priority_order(keep, &words, &vec![None; texts.len()]);
    match deduper.deduplicate(&table, &order, &sets) {
        Ok(outcome) => outcome,
        Err(never) => match never {},
    }
}
