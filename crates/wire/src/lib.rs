//! The wire format of reprint: one typed struct per line of every JSON Lines
//! output and per summary, so that every front door (the CLI, the server,
//! Python) writes, and every reader parses, the same shape.
//!
//! Field order is the order on the wire. Scores are rounded to six decimals
//! ([`round6`]); offsets are in characters (Unicode code points) of the
//! original text, with byte offsets beside them where a line says so.
//! Documents are named by id in the JSON Lines files and by number (input
//! order) inside `report.html`; the types are generic over that name.
//!
//! `summary.json` carries [`SCHEMA_VERSION`]; it changes when a field is
//! removed or changes meaning (new fields may appear without a change).

pub mod report;

use std::collections::BTreeMap;

use reprint_core::pair::PairReport;
use reprint_core::passage::{Alignment, Passage as CorePassage, TextSpan};
use reprint_core::provenance::{Direction, ProvenanceEdge};
use reprint_core::scanner::ScanOutput;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the shapes below, in `summary.json`.
pub const SCHEMA_VERSION: u32 = 2;

/// Rounds a score for output (6 decimals: far below the resolution of any
/// sketch or threshold).
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A line of `documents.jsonl` (`C` = `String`: the cluster named by its
/// representative's id) or a document of the report (`C` = `u32`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentLine<C> {
    pub id: String,
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `metadata` or `text`.
    pub date_source: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Length in characters.
    pub chars: usize,
    /// The language found in the title and text: an ISO 639-3 code
    /// (`eng`, `rus`, `zho` …) or `und` when too little text says.
    pub language: String,
    pub cluster: C,
    pub story: u32,
    /// The thread of its story (see `threads.jsonl`).
    pub thread: u32,
}

/// A line of `clusters.jsonl` (`reprint dedup`): every document, its
/// cluster named by the kept document's id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClusterLine {
    pub id: String,
    pub cluster: String,
    /// This document is the one kept (`kept.jsonl`).
    pub representative: bool,
    /// Jaccard similarity of its shingle set to the kept document's
    /// (exact, verified; 1 for the kept document).
    pub similarity: f64,
}

/// A line of `pairs.jsonl` (`D` = `String`, document ids) or a pair of the
/// report (`D` = `u32`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PairLine<D> {
    pub a: D,
    pub b: D,
    /// `exact_copy`, `near_copy`, `excerpt`, `partial_reuse`, `rewrite`,
    /// `related`.
    pub relation: String,
    pub jaccard: f64,
    pub containment_a: f64,
    pub containment_b: f64,
    /// Embedding similarity; `null` without a model.
    pub semantic: Option<f64>,
    pub lexical: f64,
    pub paraphrase_share: f64,
    pub spin_score: Option<f64>,
    pub shared_names: Vec<String>,
    pub score: f64,
}

impl<D> PairLine<D> {
    pub fn new(p: &PairReport, a: D, b: D) -> PairLine<D> {
        let e = &p.evidence;
        PairLine {
            a,
            b,
            relation: p.relation.name().to_string(),
            jaccard: round6(e.jaccard),
            containment_a: round6(e.containment_a),
            containment_b: round6(e.containment_b),
            semantic: (!e.semantic.is_nan()).then(|| round6(e.semantic)),
            lexical: round6(e.lexical),
            paraphrase_share: round6(e.paraphrase_share),
            spin_score: p.spin_score.map(round6),
            shared_names: p.shared_names.iter().map(|s| s.to_string()).collect(),
            score: round6(e.score),
        }
    }
}

/// Byte offsets of a passage in each text (UTF-8, half-open).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ByteOffsets {
    pub a_byte_start: usize,
    pub a_byte_end: usize,
    pub b_byte_start: usize,
    pub b_byte_end: usize,
}

/// A passage: character offsets in each text (half-open), byte offsets
/// where the output carries them, kind, edit rate, score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Passage {
    pub a_start: usize,
    pub a_end: usize,
    pub b_start: usize,
    pub b_end: usize,
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<ByteOffsets>,
    /// `verbatim`, `edited` or `paraphrase`.
    pub kind: String,
    pub edit_rate: f64,
    pub score: f64,
}

impl Passage {
    /// `p` on the wire, with byte offsets when `bytes`.
    pub fn new(p: &CorePassage, bytes: bool) -> Passage {
        Passage {
            a_start: p.a.start,
            a_end: p.a.end,
            b_start: p.b.start,
            b_end: p.b.end,
            bytes: bytes.then_some(ByteOffsets {
                a_byte_start: p.a.byte_start,
                a_byte_end: p.a.byte_end,
                b_byte_start: p.b.byte_start,
                b_byte_end: p.b.byte_end,
            }),
            kind: p.kind.name().to_string(),
            edit_rate: round6(p.edit_rate),
            score: round6(p.score),
        }
    }
}

/// A line of `passages.jsonl`: the pair's ids, then the passage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PassageLine {
    pub a: String,
    pub b: String,
    #[serde(flatten)]
    pub passage: Passage,
}

/// A line of `stories.jsonl`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StoryLine {
    pub story: u32,
    /// The thread (topic) it belongs to.
    pub thread: u32,
    /// Member ids, in input order.
    pub documents: Vec<String>,
    pub first_seen: Option<String>,
    pub label: String,
}

/// A line of `threads.jsonl`: the stories of one topic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ThreadLine {
    pub thread: u32,
    /// Its stories, in story order.
    pub stories: Vec<u32>,
    /// Documents in its stories.
    pub documents: usize,
    /// The earliest and latest dates among its documents (`YYYY-MM-DD`).
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// The label of its largest story (ties: the first).
    pub label: String,
}

/// A line of `provenance.jsonl` (`story` set, `D` = `String`) or an edge of
/// the report (no `story`, `D` = `u32`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProvenanceLine<D> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<u32>,
    pub source: D,
    pub derived: D,
    /// `copy`, `excerpt`, `rewrite`, ... (see `EdgeKind`).
    pub kind: String,
    /// `determined` or `undetermined`.
    pub direction: String,
    pub confidence: f64,
    /// Sentences that say why, naming documents by id.
    pub evidence: Vec<String>,
}

impl<D> ProvenanceLine<D> {
    /// `e` on the wire; `name` names its two documents, `id` names the
    /// documents in the evidence sentences.
    pub fn new(story: Option<u32>, e: &ProvenanceEdge, name: impl Fn(u32) -> D, id: impl Fn(u32) -> String) -> Self {
        ProvenanceLine {
            story,
            source: name(e.source),
            derived: name(e.derived),
            kind: e.kind.name().to_string(),
            direction: if e.direction == Direction::Undetermined { "undetermined" } else { "determined" }.to_string(),
            confidence: round6(e.confidence),
            evidence: e.evidence.iter().map(|x| x.describe_with(&id)).collect(),
        }
    }
}

/// A span of one text in characters (`only_a`, `only_b` of `align`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The output of `reprint align --format json` (one line).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AlignOutput {
    pub a: String,
    pub b: String,
    /// With byte offsets.
    pub passages: Vec<Passage>,
    /// Words of A (B) inside no passage.
    pub only_a: Vec<Span>,
    pub only_b: Vec<Span>,
    pub containment_a: f64,
    pub containment_b: f64,
}

impl AlignOutput {
    pub fn new(a: &str, b: &str, alignment: &Alignment) -> AlignOutput {
        let span = |s: &TextSpan| Span { start: s.start, end: s.end };
        AlignOutput {
            a: a.to_string(),
            b: b.to_string(),
            passages: alignment.passages.iter().map(|p| Passage::new(p, true)).collect(),
            only_a: alignment.only_a.iter().map(span).collect(),
            only_b: alignment.only_b.iter().map(span).collect(),
            containment_a: round6(alignment.containment_a),
            containment_b: round6(alignment.containment_b),
        }
    }
}

/// `model` in a scan's summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ModelInfo {
    pub dim: usize,
    pub vocab: usize,
}

/// `settings` in a scan's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScanSettings {
    pub link_similarity: f64,
    pub near_duplicate_threshold: f64,
    pub all_pairs_up_to: usize,
}

/// A stage's time in a scan's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StageTime {
    pub stage: String,
    pub seconds: f64,
    /// Documents (pairs for `pairs`) handled.
    pub items: usize,
    pub per_second: f64,
}

impl StageTime {
    pub fn new(stage: &str, seconds: f64, items: usize) -> StageTime {
        StageTime {
            stage: stage.to_string(),
            seconds: round6(seconds),
            items,
            per_second: if seconds > 0.0 { round6(items as f64 / seconds) } else { 0.0 },
        }
    }
}

/// `summary.json` of `reprint scan`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScanSummary {
    pub schema_version: u32,
    pub documents: usize,
    /// Records or inputs skipped (each reported on stderr).
    pub skipped: u64,
    /// Documents, pairs or stories whose analysis hit a bug.
    pub internal_errors: usize,
    pub near_duplicate_clusters: usize,
    pub stories: usize,
    pub pairs: usize,
    pub passages: usize,
    pub documents_with_boilerplate: usize,
    pub provenance_edges: usize,
    /// Pairs per relation.
    pub relations: BTreeMap<String, usize>,
    pub model: Option<ModelInfo>,
    pub settings: ScanSettings,
    pub stages: Vec<StageTime>,
    pub seconds: f64,
    pub threads: usize,
    pub peak_rss_bytes: Option<u64>,
}

/// `summary.json` of `reprint dedup`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DedupSummary {
    pub schema_version: u32,
    /// Always `dedup`.
    pub command: String,
    pub reprint_version: String,
    pub documents: usize,
    pub clusters: usize,
    /// Documents not kept (`documents − clusters`).
    pub removed: usize,
    pub skipped: u64,
    pub internal_errors: u64,
    pub lossy_utf8_documents: u64,
    pub duplicate_ids: u64,
    pub exact_duplicates: usize,
    pub candidate_pairs: usize,
    pub verified_pairs: usize,
    pub representative_checks: usize,
    pub input_bytes: u64,
    pub settings: DedupSettings,
    /// P(candidate | Jaccard = s) of the LSH layout.
    pub s_curve: Vec<CurvePoint>,
    pub seconds: DedupSeconds,
    pub peak_rss_bytes: Option<u64>,
}

/// `settings` of a dedup summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DedupSettings {
    pub threshold: f64,
    pub ngram: usize,
    pub num_perm: usize,
    /// `fast` or `classic`.
    pub sketch: String,
    pub seed: u64,
    pub hash_version: u32,
    /// `first`, `longest` or `earliest`.
    pub keep: String,
    pub bands: usize,
    pub rows: usize,
    pub min_probability_at_threshold: f64,
    pub representative_floor: f64,
    pub verification: String,
    pub threads: usize,
    pub text_field: String,
    pub id_field: String,
}

/// A point of the LSH S-curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CurvePoint {
    pub similarity: f64,
    pub probability: f64,
}

/// `seconds` of a dedup summary.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DedupSeconds {
    pub read_and_sketch: f64,
    pub candidates_verify_cluster: f64,
    pub write: f64,
    pub total: f64,
}

impl ScanSummary {
    /// What `output` counts (`passages`: as written); the facts of the run
    /// (skipped input, model, stages, seconds, threads, memory) are left
    /// empty for the caller.
    pub fn of(output: &ScanOutput, passages: usize, settings: ScanSettings) -> ScanSummary {
        ScanSummary {
            schema_version: SCHEMA_VERSION,
            documents: output.clusters.len(),
            skipped: 0,
            internal_errors: output.internal.len(),
            near_duplicate_clusters: output.cluster_count(),
            stories: output.members.len(),
            pairs: output.reports.len(),
            passages,
            documents_with_boilerplate: output.boilerplate.iter().filter(|b| !b.is_empty()).count(),
            provenance_edges: output.provenances.iter().flatten().map(|p| p.edges.len()).sum(),
            relations: relations_count(&output.reports),
            model: None,
            settings,
            stages: Vec::new(),
            seconds: 0.0,
            threads: 0,
            peak_rss_bytes: None,
        }
    }
}

/// Pairs per relation name.
pub fn relations_count(reports: &[PairReport]) -> BTreeMap<String, usize> {
    let mut relations = BTreeMap::new();
    for r in reports {
        *relations.entry(r.relation.name().to_string()).or_insert(0) += 1;
    }
    relations
}

/// The JSON Schema of each output, by file name (`schema/NAME.schema.json`
/// in this crate holds the same, for readers in other languages).
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn schema<T: JsonSchema>() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(T)).expect("a schema is JSON")
    }
    vec![
        ("documents.jsonl", schema::<DocumentLine<String>>()),
        ("pairs.jsonl", schema::<PairLine<String>>()),
        ("passages.jsonl", schema::<PassageLine>()),
        ("stories.jsonl", schema::<StoryLine>()),
        ("threads.jsonl", schema::<ThreadLine>()),
        ("provenance.jsonl", schema::<ProvenanceLine<String>>()),
        ("summary.json", schema::<ScanSummary>()),
        ("align.json", schema::<AlignOutput>()),
        ("clusters.jsonl", schema::<ClusterLine>()),
        ("dedup-summary.json", schema::<DedupSummary>()),
    ]
}
