//! The analysis of one related pair inside a story: passages (verbatim,
//! edited, paraphrase), evidence, relation, spin score and shared names.
//! Each story's members are prepared once ([`PairScratch::prepare`]), then
//! [`analyse_story`] analyses its pairs with one reused scratch per thread.

use crate::embed::{StaticModel, TokenIds};
use crate::hash::{token_hash, IntMap};
use crate::isolate::{isolate, InternalError, Subject};
use crate::paraphrase::{paraphrase_passages, sentence_pairs, ParaphraseConfig, SentenceSide};
use crate::passage::{AlignConfig, AlignText, Aligner, Passage, PassageKind, TextSpan};
use crate::scan::MIN_EMBED_WORDS;
use crate::sentence::{Sentence, SentenceSplitter};
use crate::shingle::{jaccard, sort_dedup, Shingler};
use crate::story::{relation, PairEvidence, Relation, StoryCorpus};
use crate::token::latin_equivalent_chars;
use crate::words::stem;

/// Settings of the pair analysis.
#[derive(Clone, Debug, Default)]
pub struct PairConfig {
    pub align: AlignConfig,
    pub paraphrase: ParaphraseConfig,
}

/// Everything said about one pair.
#[derive(Clone, Debug)]
pub struct PairReport {
    pub a: u32,
    pub b: u32,
    pub relation: Relation,
    pub evidence: PairEvidence,
    /// For rewrites, with a model: how much the pair looks like synonym
    /// substitution of one text, 0–1: the share of sentences with a
    /// paraphrase partner × the share of those pairs in the same order on
    /// both sides × (1 − the mean content-word Jaccard of the pairs).
    pub spin_score: Option<f64>,
    /// Verbatim, edited and paraphrase passages, in order of A.
    pub passages: Vec<Passage>,
    /// Names shared, rarest first (at most [`SHARED_NAMES_KEPT`]).
    pub shared_names: Vec<Box<str>>,
}

/// Shared names kept per pair (the rarest).
pub const SHARED_NAMES_KEPT: usize = 12;

/// Per-thread scratch of [`analyse_pair`].
pub struct PairScratch {
    aligner: Aligner,
    splitter: SentenceSplitter,
    sentences: Vec<Sentence>,
    ids: TokenIds,
    paragraphs: Vec<u32>,
    shingler: Shingler,
    scratch: Vec<u64>,
}

impl PairScratch {
    pub fn new(config: &PairConfig) -> PairScratch {
        PairScratch {
            aligner: Aligner::new(config.align.clone()),
            splitter: SentenceSplitter::new(),
            sentences: Vec::new(),
            ids: TokenIds::default(),
            paragraphs: Vec::new(),
            shingler: Shingler::new(5),
            scratch: Vec::new(),
        }
    }

    /// Prepares one document for all the pairs it is in: its words, its
    /// word 5-gram set and, with a model, its sentences.
    pub fn prepare<'t>(&mut self, text: &'t str, model: Option<&StaticModel>) -> PreparedDoc<'t> {
        // The text is tokenized once, here: the aligner's side, the words,
        // the shingles and the paraphrase tier's sentence words all come
        // from these tokens.
        let align = self.aligner.prepare(text);
        align.paragraphs_into(&mut self.paragraphs);
        let mut shingles = Vec::new();
        self.shingler.shingles_into(align.hashes(), &self.paragraphs, &mut shingles);
        sort_dedup(&mut shingles, &mut self.scratch);
        let sentences = model.map(|m| self.side(text, &align, m));
        PreparedDoc { align, shingles, sentences }
    }

    /// Sentences of a text with embeddings and content words.
    fn side(&mut self, text: &str, align: &AlignText, model: &StaticModel) -> SentenceSide {
        model.token_ids(text, &mut self.ids);
        let dim = model.dim();
        let mut side = SentenceSide { dim, ..SentenceSide::default() };
        if !self.ids.covered() {
            // A language the model does not read: no sentences to match.
            return side;
        }
        self.splitter.split(text, &mut self.sentences);
        let mut vector = vec![0f32; dim];
        for s in &self.sentences {
            let range = self.ids.range(s.byte_start..s.byte_end);
            if range.len() < MIN_EMBED_WORDS {
                continue;
            }
            model.pool(&self.ids.ids[range], &mut vector);
            side.vectors.extend_from_slice(&vector);
            // The sentence's words: the text's tokens inside it.
            let tokens = align.tokens();
            let mut words: Vec<u64> = crate::event::token_range(tokens, s.byte_start..s.byte_end)
                .filter(|&i| !align.is_stop(i))
                .map(|i| tokens.text(i))
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .map(|w| token_hash(stem(w)))
                .collect();
            words.sort_unstable();
            words.dedup();
            side.words.push(words);
            side.spans.push(TextSpan {
                start: s.char_start,
                end: s.char_end,
                byte_start: s.byte_start,
                byte_end: s.byte_end,
                token_start: 0,
                token_end: 0,
            });
        }
        side
    }
}

/// One document prepared for pair analysis.
pub struct PreparedDoc<'t> {
    /// Tokens, sentences and content words for the aligner (an empty text's
    /// when preparing failed).
    align: AlignText<'t>,
    /// Word 5-gram set, sorted.
    shingles: Vec<u64>,
    /// Sentences with embeddings (with a model).
    sentences: Option<SentenceSide>,
}

/// Which sentences lie at least half inside one of `spans`.
fn covered(side: &SentenceSide, spans: &[TextSpan]) -> Vec<bool> {
    side.spans
        .iter()
        .map(|s| {
            let inside: usize = spans.iter().map(|p| p.end.min(s.end).saturating_sub(p.start.max(s.start))).sum();
            2 * inside >= s.end - s.start
        })
        .collect()
}

/// Everything the pair analysis needs about the corpus.
pub struct PairContext<'a> {
    pub corpus: &'a StoryCorpus,
    /// Near-duplicate cluster of each document (its representative).
    pub clusters: &'a [u32],
    pub names: &'a [Vec<(u64, Box<str>)>],
    /// Documents holding each name key (for rarity).
    pub name_df: &'a IntMap<u64, u32>,
    pub model: Option<&'a StaticModel>,
    /// The scored pairs as clustered (locally scaled), sorted by `(a, b)`
    /// with `a < b` (as [`crate::story::StoryCorpus::edges`] gives them); a
    /// pair missing here scored under the edge floor.
    pub edges: &'a [crate::story::Edge],
}

/// Aligns two documents and decides their relation.
pub fn analyse_pair(
    ctx: &PairContext,
    (a, b): (u32, u32),
    (ta, pa): (&str, &PreparedDoc),
    (tb, pb): (&str, &PreparedDoc),
    config: &PairConfig,
    s: &mut PairScratch,
) -> PairReport {
    let (ia, ib) = (a as usize, b as usize);
    let alignment = s.aligner.align_prepared(&pa.align, &pb.align);
    // Latin-equivalent lengths, so `REUSE_MIN_CHARS` means as much text in
    // Chinese as in English.
    let reused = |text: &str, span: &TextSpan| latin_equivalent_chars(&text[span.byte_start..span.byte_end]);
    let reused_a: usize = alignment.passages.iter().map(|p| reused(ta, &p.a)).sum();
    let reused_b: usize = alignment.passages.iter().map(|p| reused(tb, &p.b)).sum();
    let mut passages = alignment.passages.clone();
    let mut paraphrase_share = 0.0;
    let mut paraphrase_pairs = 0;
    let mut spin = None;
    if let (Some(side_a), Some(side_b)) = (&pa.sentences, &pb.sentences) {
        let spans_a: Vec<TextSpan> = alignment.passages.iter().map(|p| p.a).collect();
        let spans_b: Vec<TextSpan> = alignment.passages.iter().map(|p| p.b).collect();
        let (covered_a, covered_b) = (covered(side_a, &spans_a), covered(side_b, &spans_b));
        let pairs = sentence_pairs(side_a, &covered_a, side_b, &covered_b, &config.paraphrase);
        let shorter = side_a.len().min(side_b.len()).max(1) as f64;
        paraphrase_share = (pairs.len() as f64 / shorter).min(1.0);
        paraphrase_pairs = pairs.len();
        // Synonym substitution of one text: sentence for sentence (pairs in
        // the same order on both sides) and few words kept in each pair.
        if !pairs.is_empty() {
            let in_order = longest_increasing(&pairs.iter().map(|&(_, j, _)| j).collect::<Vec<_>>());
            let kept: f64 = pairs.iter().map(|&(i, j, _)| jaccard(&side_a.words[i], &side_b.words[j])).sum::<f64>()
                / pairs.len() as f64;
            spin = Some(paraphrase_share * (in_order as f64 / pairs.len() as f64) * (1.0 - kept));
        }
        passages.extend(paraphrase_passages(side_a, side_b, &pairs));
        passages.sort_by_key(|p| (p.a.start, p.b.start));
    }
    let lexical = ctx.corpus.lexical(ia, ib) as f64;
    let semantic = ctx.corpus.semantic(ia, ib) as f64;
    let evidence = PairEvidence {
        identical: pa.align.hashes() == pb.align.hashes(),
        jaccard: jaccard(&pa.shingles, &pb.shingles),
        same_cluster: ctx.clusters[ia] == ctx.clusters[ib],
        containment_a: alignment.containment_a,
        containment_b: alignment.containment_b,
        reused_chars: reused_a.min(reused_b),
        paraphrase_share,
        paraphrase_pairs,
        score: ctx.edges.binary_search_by_key(&(a.min(b), a.max(b)), |e| (e.a, e.b)).map_or(0.0, |k| ctx.edges[k].score)
            as f64,
        semantic,
        lexical,
    };
    let relation = relation(&evidence, ctx.corpus.config().link_similarity);
    let mut shared: Vec<(u32, u64, &str)> = intersect(&ctx.names[ia], &ctx.names[ib])
        .into_iter()
        .map(|(h, text)| (ctx.name_df.get(&h).copied().unwrap_or(0), h, text))
        .collect();
    shared.sort_unstable();
    let shared_names = shared.into_iter().take(SHARED_NAMES_KEPT).map(|(_, _, t)| t.into()).collect();
    PairReport {
        a,
        b,
        relation,
        spin_score: if relation == Relation::Rewrite { spin } else { None },
        evidence,
        passages,
        shared_names,
    }
}

/// Analyses the pairs of one story: each member is prepared once, then every
/// pair of `pairs` (all inside the story) is analysed.
pub fn analyse_story(
    ctx: &PairContext,
    texts: &[&str],
    members: &[u32],
    pairs: &[(u32, u32)],
    config: &PairConfig,
    s: &mut PairScratch,
) -> (Vec<PairReport>, Vec<InternalError>) {
    let mut errors = Vec::new();
    let prepared: Vec<PreparedDoc> = members
        .iter()
        .map(|&d| {
            isolate("pairs", Subject::Document(d), || s.prepare(texts[d as usize], ctx.model)).unwrap_or_else(|e| {
                *s = PairScratch::new(config);
                errors.push(e);
                PreparedDoc { align: s.aligner.prepare(""), shingles: Vec::new(), sentences: None }
            })
        })
        .collect();
    let at = |d: u32| members.binary_search(&d).expect("pair inside the story");
    let mut reports = Vec::with_capacity(pairs.len());
    for &(a, b) in pairs {
        let (pa, pb) = (&prepared[at(a)], &prepared[at(b)]);
        let report = isolate("pairs", Subject::Pair(a, b), || {
            analyse_pair(ctx, (a, b), (texts[a as usize], pa), (texts[b as usize], pb), config, s)
        });
        match report {
            Ok(r) => reports.push(r),
            Err(e) => {
                *s = PairScratch::new(config);
                errors.push(e);
            }
        }
    }
    (reports, errors)
}

fn intersect<'a>(a: &'a [(u64, Box<str>)], b: &[(u64, Box<str>)]) -> Vec<(u64, &'a str)> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, &*a[i].1));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Length of the longest strictly increasing subsequence.
fn longest_increasing(xs: &[usize]) -> usize {
    let mut tails: Vec<usize> = Vec::new();
    for &x in xs {
        let at = tails.partition_point(|&t| t < x);
        if at == tails.len() {
            tails.push(x);
        } else {
            tails[at] = x;
        }
    }
    tails.len()
}

/// Whether a passage is lexical reuse (verbatim or edited).
pub fn is_lexical(p: &Passage) -> bool {
    p.kind != PassageKind::Paraphrase
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_increasing_run() {
        assert_eq!(longest_increasing(&[0, 1, 2, 3]), 4);
        assert_eq!(longest_increasing(&[3, 2, 1]), 1);
        assert_eq!(longest_increasing(&[0, 5, 1, 2, 9, 3]), 4);
        assert_eq!(longest_increasing(&[]), 0);
    }
}
