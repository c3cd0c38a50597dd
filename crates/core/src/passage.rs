//! Passage alignment: which spans of two texts say the same thing, and what
//! each side has alone.
//!
//! The method follows the best text-alignment systems of PAN 2013/2014
//! (Sanchez-Perez, Sidorov, Gelbukh 2014), on reprint's own tokens:
//!
//! 1. **Units.** Both texts are split into sentences (ends at `.`, `!`, `?`,
//!    `;` before white space, or at a line break); sentences with fewer than
//!    [`AlignConfig::min_sentence_words`] content words are joined to the
//!    next. Content words are tokens that are not stop words, crudely stemmed
//!    (plural and common suffixes), so that edits and round-trip
//!    translations still share them.
//! 2. **Seeds.** Each sentence is a tf-idf vector (idf over the sentences of
//!    both texts). A sentence pair is a seed when both its cosine and its
//!    Dice coefficient exceed [`AlignConfig::seed_similarity`], or when it
//!    shares [`AlignConfig::min_shared_trigrams`] word 3-grams; a seed must
//!    come near the best match of both its sentences. Stop-word
//!    runs never seed, since stop words are not content words; words present
//!    in most sentences weigh nearly nothing.
//! 3. **Extension.** Seeds sorted by position are chained into fragments
//!    while the next seed lies within [`AlignConfig::max_gap`] sentences on
//!    both sides, so reordered, inserted or deleted sentences inside a copy
//!    stay one passage. A sentence that resembles nothing on the other side
//!    (an inserted comment, a caption) breaks the chain, so additions are
//!    never swallowed by a passage.
//! 4. **Filtering.** Fragments shorter than [`AlignConfig::min_chars`]
//!    (Latin-equivalent characters) on either side are dropped; fragments overlapping on both sides are merged.
//! 5. **Passages.** Each fragment becomes a [`Passage`] with character and
//!    byte offsets into both original texts, a kind (`verbatim` when the
//!    normalized words are identical, else `edited` with an edit rate), and a
//!    score (the cosine of the two sides).
//!
//! The complement is reported too: the spans of words of each text that lie
//! in no passage, and the containment of each text (its share of words inside
//! passages).
//!
//! # Cost
//!
//! Linear in the texts for tokenization and vectors; seeding walks an
//! inverted index of the second text's words, skipping words in more than
//! [`AlignConfig::max_postings`] sentences, so it is at most
//! `sentences × words per sentence × max_postings`. Two 1 MB texts (about
//! 170,000 words and 8,000 sentences each) align in well under a second and
//! a few tens of MB.

use std::collections::HashMap;

use crate::hash::IntMap;
use crate::token::{latin_weight, Tokenizer, Tokens};
use crate::words::{is_stop_word, stem};

/// What kind of reuse a passage is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassageKind {
    /// The same words after normalization.
    Verbatim,
    /// The same passage with words changed, added, removed or moved.
    Edited,
    /// The same meaning in other words (the story tier adds these).
    Paraphrase,
}

impl PassageKind {
    pub fn name(self) -> &'static str {
        match self {
            PassageKind::Verbatim => "verbatim",
            PassageKind::Edited => "edited",
            PassageKind::Paraphrase => "paraphrase",
        }
    }
}

/// A span of one text: half-open character (Unicode scalar value) and byte
/// ranges into the original, and the token range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub token_start: usize,
    pub token_end: usize,
}

impl TextSpan {
    pub fn chars(&self) -> usize {
        self.end - self.start
    }
}

/// An aligned pair of spans.
#[derive(Clone, Debug, PartialEq)]
pub struct Passage {
    pub a: TextSpan,
    pub b: TextSpan,
    pub kind: PassageKind,
    /// Share of words not matched between the two sides (0 for verbatim).
    pub edit_rate: f64,
    /// Cosine similarity of the two sides' tf-idf vectors.
    pub score: f64,
}

/// The alignment of two texts.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Alignment {
    pub passages: Vec<Passage>,
    /// Spans of words of A inside no passage.
    pub only_a: Vec<TextSpan>,
    pub only_b: Vec<TextSpan>,
    /// Share of A's words inside passages.
    pub containment_a: f64,
    pub containment_b: f64,
}

/// Settings of the aligner. Plain data with defaults tuned on PAN 2013
/// training data and checked on the seed corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignConfig {
    /// Cosine and Dice thresholds for a sentence pair to seed.
    pub seed_similarity: f64,
    /// Largest gap, in sentences, between seeds of one passage.
    pub max_gap: usize,
    /// Sentences with fewer content words are joined to the next.
    pub min_sentence_words: usize,
    /// A run of this many content words without a sentence end (lists,
    /// text scraped without punctuation) is cut into a unit of its own;
    /// 0 never cuts.
    pub max_sentence_words: usize,
    /// Passages shorter than this many characters on either side are
    /// dropped. Lengths are Latin-equivalent
    /// ([`crate::token::latin_equivalent_chars`]): a Chinese character counts
    /// 2.5, so the threshold means as much text in every script.
    pub min_chars: usize,
    /// Passages whose two sides' cosine is below this are dropped.
    pub min_passage_similarity: f64,
    /// A sentence skipped on both sides of a gap whose best cosine against
    /// the other side's nearby sentences is below this, with at least
    /// `min_sentence_words` content words, is an addition and breaks a
    /// passage.
    pub alien_similarity: f64,
    /// The same for sentences skipped on one side only (insertions).
    pub insertion_similarity: f64,
    /// Words in more sentences of the second text than this are not used to
    /// find seeds.
    pub max_postings: usize,
    /// A seed needs at least this many shared content words.
    pub min_shared_words: usize,
    /// A seed is kept only if its cosine is at least this share of the best
    /// seed of each of its two sentences.
    pub best_match_ratio: f64,
    /// Sentence pairs sharing at least this many word 3-grams (not all stop
    /// words) seed whatever their cosine; 0 turns this off.
    pub min_shared_trigrams: usize,
    /// Summary mode (used when nothing else aligns): the largest gap, in
    /// sentences, between seeds on B's side.
    pub summary_gap: usize,
    /// Summary mode keeps a passage only if B's side is at least this many
    /// times longer than A's.
    pub summary_ratio: f64,
}

impl Default for AlignConfig {
    fn default() -> AlignConfig {
        AlignConfig {
            seed_similarity: 0.2,
            max_gap: 6,
            min_sentence_words: 4,
            max_sentence_words: MAX_SENTENCE_WORDS,
            min_chars: 150,
            min_passage_similarity: 0.4,
            alien_similarity: 0.05,
            insertion_similarity: 0.12,
            max_postings: 400,
            min_shared_words: 2,
            best_match_ratio: 0.75,
            min_shared_trigrams: 2,
            summary_gap: 25,
            summary_ratio: 2.0,
        }
    }
}

/// Default of [`AlignConfig::max_sentence_words`].
const MAX_SENTENCE_WORDS: usize = 100;

/// One side prepared for alignment: tokens, sentences, vectors.
struct Side<'t> {
    text: &'t str,
    tokens: Tokens,
    /// Token ranges of sentences.
    sentences: Vec<(usize, usize)>,
    /// Content-word ids per sentence with counts. Ids number the text's
    /// distinct content words in order of first appearance (see `keys`).
    bags: Vec<Vec<(u32, u32)>>,
    /// Content-word keys (stem hashes) by id.
    keys: Vec<u64>,
    /// Content-word key -> id.
    ids: IntMap<u64, u32>,
    /// Per token: a stop word.
    stop: Vec<bool>,
    /// Token hash of every token (for word n-grams).
    hashes: Vec<u64>,
    /// Weighted length ([`latin_weight`], in halves) of the text before
    /// each token's start and end.
    weight_start: Vec<u64>,
    weight_end: Vec<u64>,
}

/// The weighted length ([`latin_weight`]) of `text[..b]` for every token
/// start and end `b`. Starts and ends each increase, so two cursors walk the
/// text once.
fn weights(text: &str, tokens: &Tokens) -> (Vec<u64>, Vec<u64>) {
    let mut starts = Vec::with_capacity(tokens.len());
    let mut ends = Vec::with_capacity(tokens.len());
    let (mut at_start, mut w_start) = (0usize, 0u64);
    let (mut at_end, mut w_end) = (0usize, 0u64);
    let weigh = |s: &str| s.chars().map(|c| latin_weight(c) as u64).sum::<u64>();
    for t in &tokens.tokens {
        w_start += weigh(&text[at_start..t.byte_start]);
        at_start = t.byte_start;
        starts.push(w_start);
        w_end += weigh(&text[at_end..t.byte_end]);
        at_end = t.byte_end;
        ends.push(w_end);
    }
    (starts, ends)
}

/// Where a sentence ends: after a token followed by `.`, `!`, `?` or `;`
/// and white space (or the end), by a line break, or by a full stop of a
/// script that writes no space after it (`。`, `！`, `？`, `；`, the Devanagari
/// danda, the Arabic question mark and full stop, the Armenian, Ethiopic,
/// Myanmar, Khmer and Tibetan ones).
fn ends_sentence(gap: &str) -> bool {
    let mut chars = gap.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' => return true,
            '\u{3002}' | '\u{FF01}' | '\u{FF1F}' | '\u{FF1B}' | '\u{FF61}' | '\u{0964}' | '\u{0965}' | '\u{061F}'
            | '\u{06D4}' | '\u{0589}' | '\u{1362}' | '\u{104B}' | '\u{17D4}' | '\u{0F0D}' => return true,
            '.' | '!' | '?' | ';' => match chars.peek() {
                None => return true,
                Some(n) if n.is_whitespace() => return true,
                _ => {}
            },
            _ => {}
        }
    }
    false
}

impl<'t> Side<'t> {
    fn new(text: &'t str, tokenizer: &mut Tokenizer, config: &AlignConfig) -> Self {
        let mut tokens = Tokens::default();
        tokenizer.tokens(text, &mut tokens);
        let n = tokens.len();
        let mut vocabulary: IntMap<u64, u32> = IntMap::default();
        let mut keys = Vec::new();
        let mut stop = Vec::with_capacity(n);
        let mut sentences = Vec::new();
        let mut bags = Vec::new();
        let mut start = 0;
        // Content-word ids of the current sentence, aggregated at its end.
        let mut bag: Vec<u32> = Vec::new();
        for i in 0..n {
            let word = tokens.text(i);
            let is_stop = is_stop_word(word);
            stop.push(is_stop);
            if !is_stop && word.chars().nth(1).is_some() {
                let key = crate::hash::token_hash(stem(word));
                let next_id = vocabulary.len() as u32;
                let id = *vocabulary.entry(key).or_insert(next_id);
                if id == next_id {
                    keys.push(key);
                }
                bag.push(id);
            }
            // Consecutive bigrams overlap: nothing lies between them (see
            // the token model in `token`).
            let gap = &text[tokens.gap_after(i, text.len())];
            let long = config.max_sentence_words > 0 && bag.len() >= config.max_sentence_words;
            if i + 1 == n || (bag.len() >= config.min_sentence_words && ends_sentence(gap)) || long {
                sentences.push((start, i + 1));
                bag.sort_unstable();
                let mut b: Vec<(u32, u32)> = Vec::new();
                for &id in &bag {
                    match b.last_mut() {
                        Some((last, count)) if *last == id => *count += 1,
                        _ => b.push((id, 1)),
                    }
                }
                bag.clear();
                bags.push(b);
                start = i + 1;
            }
        }
        let hashes = (0..n).map(|i| crate::hash::token_hash(tokens.text(i))).collect();
        let (weight_start, weight_end) = weights(text, &tokens);
        Side { text, tokens, sentences, bags, keys, ids: vocabulary, stop, hashes, weight_start, weight_end }
    }

    /// The bags of this side in the ids of a pair whose other side is
    /// `first`: `first`'s ids, then this side's other words in order of
    /// first appearance — the numbering a vocabulary shared by the pair,
    /// filled from `first` then from this side, would give. Returns the
    /// bags and the pair's vocabulary size.
    fn bags_after(&self, first: &Side) -> (Vec<Vec<(u32, u32)>>, usize) {
        let mut next = first.keys.len() as u32;
        let map: Vec<u32> = self
            .keys
            .iter()
            .map(|k| {
                first.ids.get(k).copied().unwrap_or_else(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        let bags = self
            .bags
            .iter()
            .map(|bag| {
                let mut b: Vec<(u32, u32)> = bag.iter().map(|&(id, c)| (map[id as usize], c)).collect();
                b.sort_unstable();
                b
            })
            .collect();
        (bags, next as usize)
    }

    /// Hash of the `n` words starting at token `i`.
    fn gram(&self, i: usize, n: usize) -> u64 {
        self.hashes[i..i + n].iter().fold(0u64, |h, &t| crate::hash::mix64(h ^ t))
    }

    /// Length, in Latin-equivalent characters ([`latin_weight`]), from the
    /// first word of sentence `r.0` to the last word of sentence `r.1 - 1`:
    /// a passage of 150 means as much text in Chinese as in English.
    fn chars(&self, r: (usize, usize)) -> usize {
        let (start, end) = (self.sentences[r.0].0, self.sentences[r.1 - 1].1 - 1);
        ((self.weight_end[end] - self.weight_start[start]) / 2) as usize
    }

    /// The span of tokens `from..to` (sentence-aligned), extended over the
    /// punctuation that closes it (`.`, `"`, `)` …) up to white space.
    fn span(&self, from: usize, to: usize) -> TextSpan {
        let t = &self.tokens.tokens;
        let first = &t[from];
        let last = &t[to - 1];
        let mut byte_end = last.byte_end;
        let mut end = last.char_end;
        for c in self.text[byte_end..].chars() {
            let closing = matches!(
                c,
                '.' | '!'
                    | '?'
                    | '"'
                    | '\''
                    | ')'
                    | '\u{201D}'
                    | '\u{2019}'
                    | '\u{BB}'
                    | '\u{3002}'
                    | '\u{FF01}'
                    | '\u{FF1F}'
                    | '\u{300D}'
                    | '\u{300F}'
                    | '\u{FF09}'
                    | '\u{0964}'
                    | '\u{061F}'
                    | '\u{06D4}'
            );
            if !closing || end - last.char_end >= 3 {
                break;
            }
            byte_end += c.len_utf8();
            end += 1;
        }
        if to < t.len() {
            // Never run into the next token. A next token that overlaps the
            // last one (consecutive bigrams) leaves the last one whole.
            byte_end = byte_end.min(t[to].byte_start.max(last.byte_end));
            end = end.min(t[to].char_start.max(last.char_end));
        }
        TextSpan {
            start: first.char_start,
            end,
            byte_start: first.byte_start,
            byte_end,
            token_start: from,
            token_end: to,
        }
    }
}

/// A side as one pair sees it: its bags in the pair's word ids.
struct SideView<'s, 't> {
    side: &'s Side<'t>,
    bags: &'s [Vec<(u32, u32)>],
}

impl<'t> std::ops::Deref for SideView<'_, 't> {
    type Target = Side<'t>;

    fn deref(&self) -> &Side<'t> {
        self.side
    }
}

/// A text prepared for alignment ([`Aligner::prepare`]).
pub struct AlignText<'t>(Side<'t>);

impl AlignText<'_> {
    /// The text's words.
    pub fn tokens(&self) -> &Tokens {
        &self.0.tokens
    }

    /// [`token_hash`](crate::hash::token_hash) of every word, as
    /// [`Tokenizer::hashes_into`] gives them.
    pub fn hashes(&self) -> &[u64] {
        &self.0.hashes
    }

    /// Whether word `i` is a stop word.
    pub fn is_stop(&self, i: usize) -> bool {
        self.0.stop[i]
    }

    /// The indices of words that start a paragraph, as
    /// [`Tokenizer::hashes_into`] gives them.
    pub fn paragraphs_into(&self, out: &mut Vec<u32>) {
        out.clear();
        out.extend(self.0.tokens.tokens.iter().enumerate().filter(|(_, t)| t.paragraph).map(|(i, _)| i as u32));
    }
}

/// Sparse tf-idf vector: sorted (word, weight), and its norm.
struct Vector {
    weights: Vec<(u32, f64)>,
    norm: f64,
}

fn vector(bag: &[(u32, u32)], idf: &[f64]) -> Vector {
    let weights: Vec<(u32, f64)> = bag.iter().map(|&(w, tf)| (w, tf as f64 * idf[w as usize])).collect();
    let norm = weights.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
    Vector { weights, norm }
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    if a.norm == 0.0 || b.norm == 0.0 {
        return 0.0;
    }
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.weights.len() && j < b.weights.len() {
        match a.weights[i].0.cmp(&b.weights[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a.weights[i].1 * b.weights[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    (dot / (a.norm * b.norm)).min(1.0)
}

/// Sum of the bags of sentences `from..to`.
fn merged(bags: &[Vec<(u32, u32)>], from: usize, to: usize) -> Vec<(u32, u32)> {
    let mut all: Vec<(u32, u32)> = bags[from..to].iter().flatten().copied().collect();
    all.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(all.len());
    for (w, c) in all {
        match out.last_mut() {
            Some(last) if last.0 == w => last.1 += c,
            _ => out.push((w, c)),
        }
    }
    out
}

/// A chain of seeds: sentence ranges on both sides.
#[derive(Clone, Copy, Debug)]
struct Fragment {
    a: (usize, usize),
    b: (usize, usize),
}

/// Aligns two texts. Holds a tokenizer and settings; reuse it across pairs.
#[derive(Debug, Default)]
pub struct Aligner {
    config: AlignConfig,
    tokenizer: Tokenizer,
}

impl Aligner {
    pub fn new(config: AlignConfig) -> Aligner {
        Aligner { config, tokenizer: Tokenizer::new() }
    }

    pub fn config(&self) -> &AlignConfig {
        &self.config
    }

    /// Aligns `a` with `b`.
    pub fn align(&mut self, a: &str, b: &str) -> Alignment {
        let sa = self.prepare(a);
        let sb = self.prepare(b);
        self.align_prepared(&sa, &sb)
    }

    /// Prepares a text for [`Aligner::align_prepared`]: tokens, sentences
    /// and content words, computed once however many texts it is aligned
    /// with.
    pub fn prepare<'t>(&mut self, text: &'t str) -> AlignText<'t> {
        AlignText(Side::new(text, &mut self.tokenizer, &self.config))
    }

    /// Aligns two prepared texts: the same result as [`Aligner::align`] on
    /// their texts.
    pub fn align_prepared(&self, a: &AlignText, b: &AlignText) -> Alignment {
        let config = &self.config;
        let (bags_b, vocabulary) = b.0.bags_after(&a.0);
        let sa = SideView { side: &a.0, bags: &a.0.bags };
        let sb = SideView { side: &b.0, bags: &bags_b };

        // idf over the sentences of both texts.
        let mut df = vec![0u32; vocabulary];
        for bag in sa.bags.iter().chain(sb.bags) {
            for &(w, _) in bag {
                df[w as usize] += 1;
            }
        }
        let n = (sa.bags.len() + sb.bags.len()).max(1) as f64;
        let idf: Vec<f64> = df.iter().map(|&d| (n / d.max(1) as f64).ln().max(0.0) + 0.1).collect();
        let va: Vec<Vector> = sa.bags.iter().map(|b| vector(b, &idf)).collect();
        let vb: Vec<Vector> = sb.bags.iter().map(|b| vector(b, &idf)).collect();

        let seeds = self.seeds(&sa, &sb, &va, &vb);
        let fragments = self.extend(&seeds, &sa, &sb, &va, &vb, config.max_gap, true);
        let mut fragments = self.filter(fragments, &sa, &sb, &idf);
        if fragments.is_empty() && config.summary_gap > config.max_gap {
            // Summary mode: a short passage of A may condense a long one of B,
            // drawing on sentences far apart there. Kept only when B's side
            // is clearly the longer.
            let summary = self.extend(&seeds, &sa, &sb, &va, &vb, config.summary_gap, false);
            fragments = self
                .filter(summary, &sa, &sb, &idf)
                .into_iter()
                .filter(|f| sb.chars(f.b) as f64 >= config.summary_ratio * sa.chars(f.a) as f64)
                .collect();
        }

        let mut passages: Vec<Passage> = fragments
            .iter()
            .map(|f| {
                let (ta, tb) = (sa.sentences[f.a.0].0, sb.sentences[f.b.0].0);
                let (ua, ub) = (sa.sentences[f.a.1 - 1].1, sb.sentences[f.b.1 - 1].1);
                let ((ta, ua), (tb, ub)) = trim(&sa, (ta, ua), &sb, (tb, ub));
                let ((ta, ua), (tb, ub)) = grow(&sa.tokens, (ta, ua), &sb.tokens, (tb, ub));
                let span_a = sa.span(ta, ua);
                let span_b = sb.span(tb, ub);
                let (kind, edit_rate) = compare(&sa.tokens, ta, ua, &sb.tokens, tb, ub);
                let score = cosine(
                    &vector(&merged(sa.bags, f.a.0, f.a.1), &idf),
                    &vector(&merged(sb.bags, f.b.0, f.b.1), &idf),
                );
                Passage { a: span_a, b: span_b, kind, edit_rate, score }
            })
            .collect();
        passages.sort_by_key(|p| (p.a.token_start, p.b.token_start));

        let (only_a, containment_a) = complement(&sa, passages.iter().map(|p| (p.a.token_start, p.a.token_end)));
        let (only_b, containment_b) = complement(&sb, passages.iter().map(|p| (p.b.token_start, p.b.token_end)));
        Alignment { passages, only_a, only_b, containment_a, containment_b }
    }

    /// Sentence pairs whose cosine and Dice both exceed the seed threshold.
    fn seeds(&self, sa: &SideView, sb: &SideView, va: &[Vector], vb: &[Vector]) -> Vec<(usize, usize)> {
        let mut postings: IntMap<u32, Vec<u32>> = IntMap::default();
        for (j, bag) in sb.bags.iter().enumerate() {
            for &(w, _) in bag {
                postings.entry(w).or_default().push(j as u32);
            }
        }
        let threshold = self.config.seed_similarity;
        let mut seeds = Vec::new();
        let mut shared: IntMap<u32, u32> = IntMap::default();
        for (i, bag) in sa.bags.iter().enumerate() {
            shared.clear();
            for &(w, _) in bag {
                if let Some(list) = postings.get(&w) {
                    if list.len() > self.config.max_postings {
                        continue;
                    }
                    for &j in list {
                        *shared.entry(j).or_insert(0) += 1;
                    }
                }
            }
            for (&j, &common) in &shared {
                let j = j as usize;
                if (common as usize) < self.config.min_shared_words {
                    continue;
                }
                let dice = 2.0 * common as f64 / (bag.len() + sb.bags[j].len()) as f64;
                if dice > threshold {
                    let c = cosine(&va[i], &vb[j]);
                    if c > threshold {
                        seeds.push((i, j, c));
                    }
                }
            }
        }
        // Sentence pairs sharing at least two word 3-grams seed too, whatever
        // their cosine: heavily edited copies keep short runs of words.
        let min_grams = self.config.min_shared_trigrams;
        if min_grams > 0 {
            let sentence_of = |side: &SideView| {
                let mut of = vec![0u32; side.tokens.len()];
                for (k, &(s, e)) in side.sentences.iter().enumerate() {
                    of[s..e].iter_mut().for_each(|x| *x = k as u32);
                }
                of
            };
            let (of_a, of_b) = (sentence_of(sa), sentence_of(sb));
            let mut index: IntMap<u64, Vec<u32>> = IntMap::default();
            for (j, &sentence) in of_b.iter().enumerate().take(sb.tokens.len().saturating_sub(2)) {
                if (j..j + 3).all(|k| sb.stop[k]) {
                    continue;
                }
                index.entry(sb.gram(j, 3)).or_default().push(sentence);
            }
            let mut counts: IntMap<(u32, u32), usize> = IntMap::default();
            for (i, &sentence) in of_a.iter().enumerate().take(sa.tokens.len().saturating_sub(2)) {
                if let Some(list) = index.get(&sa.gram(i, 3)) {
                    if list.len() <= 8 {
                        for &sj in list {
                            *counts.entry((sentence, sj)).or_insert(0) += 1;
                        }
                    }
                }
            }
            let known: std::collections::HashSet<(usize, usize)> = seeds.iter().map(|&(i, j, _)| (i, j)).collect();
            for ((i, j), c) in counts {
                let (i, j) = (i as usize, j as usize);
                if c >= min_grams && !known.contains(&(i, j)) {
                    let cos = cosine(&va[i], &vb[j]);
                    seeds.push((i, j, cos.max(threshold)));
                }
            }
        }
        // Keep a seed only if it comes near the best match of both its
        // sentences: a sentence that shares a name run with another one
        // elsewhere must not pull a passage there.
        let mut row_best = vec![0.0f64; sa.bags.len()];
        let mut column_best = vec![0.0f64; sb.bags.len()];
        for &(i, j, c) in &seeds {
            row_best[i] = row_best[i].max(c);
            column_best[j] = column_best[j].max(c);
        }
        let ratio = self.config.best_match_ratio;
        let mut kept: Vec<(usize, usize)> = seeds
            .into_iter()
            .filter(|&(i, j, c)| c >= ratio * row_best[i] && c >= ratio * column_best[j])
            .map(|(i, j, _)| (i, j))
            .collect();
        kept.sort_unstable();
        kept
    }

    /// Whether sentence `s` of `side` resembles nothing in `other_range` of
    /// the other side: an addition that must break a passage.
    fn alien(
        &self,
        side: &SideView,
        vectors: &[Vector],
        s: usize,
        others: &[Vector],
        range: (usize, usize),
        limit: f64,
    ) -> bool {
        let words: u32 = side.bags[s].iter().map(|&(_, c)| c).sum();
        if (words as usize) < self.config.min_sentence_words {
            return false;
        }
        let best = others[range.0..range.1].iter().map(|o| cosine(&vectors[s], o)).fold(0.0, f64::max);
        best < limit
    }

    /// Chains seeds into fragments.
    /// `gap_b` is the largest gap on B's side (the summary mode allows far
    /// more than on A's); `insertions` turns the test for additions on.
    #[allow(clippy::too_many_arguments)]
    fn extend(
        &self,
        seeds: &[(usize, usize)],
        sa: &SideView,
        sb: &SideView,
        va: &[Vector],
        vb: &[Vector],
        gap_b: usize,
        insertions: bool,
    ) -> Vec<Fragment> {
        let gap = self.config.max_gap;
        let mut open: Vec<Fragment> = Vec::new();
        let mut done: Vec<Fragment> = Vec::new();
        for &(i, j) in seeds {
            // Close fragments that can no longer grow.
            let mut k = 0;
            while k < open.len() {
                if i > open[k].a.1 + gap {
                    done.push(open.swap_remove(k));
                } else {
                    k += 1;
                }
            }
            // The nearest open fragment this seed continues.
            let mut best: Option<(usize, usize)> = None;
            for (k, f) in open.iter().enumerate() {
                let near_b = j + gap_b >= f.b.0 && j <= f.b.1 + gap_b;
                if !near_b {
                    continue;
                }
                let distance = i.saturating_sub(f.a.1) + j.abs_diff(f.b.1.saturating_sub(1));
                if best.is_none_or(|(_, d)| distance < d) {
                    best = Some((k, distance));
                }
            }
            if let Some((k, _)) = best {
                let f = open[k];
                // Sentences skipped on either side must not be additions.
                // Sentences skipped on one side only, while the other side
                // goes on without a break, were inserted: they break the
                // passage unless they closely resemble text nearby. Skipped
                // on both sides, they are edited counterparts, and only
                // sentences that resemble nothing break it.
                let (skip_a, skip_b) = (i > f.a.1, j > f.b.1);
                let limit =
                    if skip_a != skip_b { self.config.insertion_similarity } else { self.config.alien_similarity };
                let a_gap =
                    insertions && (f.a.1..i).any(|s| self.alien(sa, va, s, vb, window(f.b, j, gap, vb.len()), limit));
                let b_gap =
                    insertions && (f.b.1..j).any(|s| self.alien(sb, vb, s, va, window(f.a, i, gap, va.len()), limit));
                if !a_gap && !b_gap {
                    let f = &mut open[k];
                    f.a = (f.a.0.min(i), f.a.1.max(i + 1));
                    f.b = (f.b.0.min(j), f.b.1.max(j + 1));
                    continue;
                }
            }
            open.push(Fragment { a: (i, i + 1), b: (j, j + 1) });
        }
        done.extend(open);
        done
    }

    /// Merges fragments overlapping on both sides, drops short and weak ones,
    /// and resolves overlaps on one side in favour of the longer fragment.
    fn filter(&self, mut fragments: Vec<Fragment>, sa: &SideView, sb: &SideView, idf: &[f64]) -> Vec<Fragment> {
        fragments.sort_by_key(|f| (f.a, f.b));
        let mut merged_fragments: Vec<Fragment> = Vec::new();
        for f in fragments {
            if let Some(last) = merged_fragments.iter_mut().rev().find(|g| overlaps(g.a, f.a) && overlaps(g.b, f.b)) {
                last.a = (last.a.0.min(f.a.0), last.a.1.max(f.a.1));
                last.b = (last.b.0.min(f.b.0), last.b.1.max(f.b.1));
            } else {
                merged_fragments.push(f);
            }
        }
        let mut kept: Vec<(Fragment, usize)> = merged_fragments
            .into_iter()
            .filter(|f| sa.chars(f.a) >= self.config.min_chars && sb.chars(f.b) >= self.config.min_chars)
            .filter(|f| {
                let va = vector(&merged(sa.bags, f.a.0, f.a.1), idf);
                let vb = vector(&merged(sb.bags, f.b.0, f.b.1), idf);
                cosine(&va, &vb) >= self.config.min_passage_similarity
            })
            .map(|f| (f, sa.chars(f.a) + sb.chars(f.b)))
            .collect();
        // Longest first; a fragment overlapping a kept one on either side goes.
        kept.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.a.cmp(&y.0.a)));
        let mut out: Vec<Fragment> = Vec::new();
        for (f, _) in kept {
            if out.iter().all(|g| !overlaps(g.a, f.a) && !overlaps(g.b, f.b)) {
                out.push(f);
            }
        }
        out
    }
}

/// Narrows the token ranges of a passage to where its two sides share
/// words: from the first to the last word 3-gram found on the other side
/// (content words when the sides share no 3-gram, as translations do). A
/// heading, a caption or a byline at a passage's edge, which sentence
/// splitting glued to it, falls out this way.
fn trim(sa: &SideView, a: (usize, usize), sb: &SideView, b: (usize, usize)) -> ((usize, usize), (usize, usize)) {
    // Heavily edited or translated passages share few 3-grams; trimming them
    // to 3-grams would cut real reuse, so they are trimmed to content words.
    let dense = shared_trigram_share(sa, a, sb, b) >= 0.5;
    for n in [3, 1] {
        if n == 3 && !dense {
            continue;
        }
        let grams = |side: &SideView, r: (usize, usize)| -> Vec<Option<u64>> {
            (r.0..r.1)
                .map(|i| {
                    if i + n > r.1 || (n == 1 && side.stop[i]) {
                        return None;
                    }
                    Some(side.gram(i, n))
                })
                .collect()
        };
        let (ga, gb) = (grams(sa, a), grams(sb, b));
        let set_a: std::collections::HashSet<u64> = ga.iter().flatten().copied().collect();
        let set_b: std::collections::HashSet<u64> = gb.iter().flatten().copied().collect();
        let shared_in = |g: &[Option<u64>], other: &std::collections::HashSet<u64>| {
            let first = g.iter().position(|x| x.is_some_and(|h| other.contains(&h)))?;
            let last = g.iter().rposition(|x| x.is_some_and(|h| other.contains(&h)))?;
            Some((first, last + n))
        };
        if let (Some(ra), Some(rb)) = (shared_in(&ga, &set_b), shared_in(&gb, &set_a)) {
            return ((a.0 + ra.0, a.0 + ra.1), (b.0 + rb.0, b.0 + rb.1));
        }
    }
    (a, b)
}

/// Extends a passage word by word beyond its ends while the two sides go on
/// agreeing, allowing one substituted, inserted or deleted word at a time:
/// copies rarely start and end where sentences do.
fn grow(ta: &Tokens, a: (usize, usize), tb: &Tokens, b: (usize, usize)) -> ((usize, usize), (usize, usize)) {
    let same = |i: usize, j: usize| ta.text(i) == tb.text(j);
    let (na, nb) = (ta.len(), tb.len());
    // Forward.
    let (mut ea, mut eb) = (a.1, b.1);
    loop {
        if ea < na && eb < nb && same(ea, eb) {
            ea += 1;
            eb += 1;
        } else if ea + 1 < na
            && eb + 1 < nb
            && same(ea + 1, eb + 1)
            && (ea + 2 >= na || eb + 2 >= nb || same(ea + 2, eb + 2))
        {
            ea += 2;
            eb += 2;
        } else if ea + 1 < na && eb < nb && same(ea + 1, eb) && (ea + 2 >= na || eb + 1 >= nb || same(ea + 2, eb + 1)) {
            ea += 2;
            eb += 1;
        } else if ea < na && eb + 1 < nb && same(ea, eb + 1) && (ea + 1 >= na || eb + 2 >= nb || same(ea + 1, eb + 2)) {
            ea += 1;
            eb += 2;
        } else {
            break;
        }
    }
    // Backward.
    let (mut sa, mut sb) = (a.0, b.0);
    loop {
        if sa >= 1 && sb >= 1 && same(sa - 1, sb - 1) {
            sa -= 1;
            sb -= 1;
        } else if sa >= 3 && sb >= 3 && same(sa - 2, sb - 2) && same(sa - 3, sb - 3) {
            sa -= 2;
            sb -= 2;
        } else if sa >= 3 && sb >= 2 && same(sa - 2, sb - 1) && same(sa - 3, sb - 2) {
            sa -= 2;
            sb -= 1;
        } else if sa >= 2 && sb >= 3 && same(sa - 1, sb - 2) && same(sa - 2, sb - 3) {
            sa -= 1;
            sb -= 2;
        } else {
            break;
        }
    }
    ((sa, ea), (sb, eb))
}

/// Share of the words of A's range that lie in a word 3-gram also found in
/// B's range.
fn shared_trigram_share(sa: &SideView, a: (usize, usize), sb: &SideView, b: (usize, usize)) -> f64 {
    if a.1 < a.0 + 3 || b.1 < b.0 + 3 {
        return 0.0;
    }
    let set_b: std::collections::HashSet<u64> = (b.0..b.1 - 2).map(|i| sb.gram(i, 3)).collect();
    let mut covered = vec![false; a.1 - a.0];
    for i in a.0..a.1 - 2 {
        if set_b.contains(&sa.gram(i, 3)) {
            covered[i - a.0..i - a.0 + 3].iter_mut().for_each(|c| *c = true);
        }
    }
    covered.iter().filter(|&&c| c).count() as f64 / covered.len() as f64
}

/// The other side's sentences near a fragment and a new seed.
fn window(range: (usize, usize), seed: usize, gap: usize, len: usize) -> (usize, usize) {
    let start = range.0.min(seed).saturating_sub(gap);
    let end = (range.1.max(seed + 1) + gap).min(len);
    (start, end)
}

fn overlaps(x: (usize, usize), y: (usize, usize)) -> bool {
    x.0 < y.1 && y.0 < x.1
}

/// Kind and edit rate of two token ranges: verbatim when the normalized
/// words are equal, else edited with the share of words without a partner
/// (bag of words, so moved words count as matched).
fn compare(ta: &Tokens, a0: usize, a1: usize, tb: &Tokens, b0: usize, b1: usize) -> (PassageKind, f64) {
    let words_a: Vec<&str> = (a0..a1).map(|i| ta.text(i)).collect();
    let words_b: Vec<&str> = (b0..b1).map(|i| tb.text(i)).collect();
    if words_a == words_b {
        return (PassageKind::Verbatim, 0.0);
    }
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for w in &words_a {
        *counts.entry(w).or_insert(0) += 1;
    }
    let mut matched = 0usize;
    for w in &words_b {
        if let Some(c) = counts.get_mut(w) {
            if *c > 0 {
                *c -= 1;
                matched += 1;
            }
        }
    }
    let total = words_a.len() + words_b.len();
    let rate = if total == 0 { 0.0 } else { 1.0 - 2.0 * matched as f64 / total as f64 };
    (PassageKind::Edited, rate)
}

/// Spans of words outside the given token ranges, and the share of words
/// inside them.
fn complement(side: &SideView, ranges: impl Iterator<Item = (usize, usize)>) -> (Vec<TextSpan>, f64) {
    let n = side.tokens.len();
    let mut covered = vec![false; n];
    for (s, e) in ranges {
        covered[s..e].iter_mut().for_each(|c| *c = true);
    }
    let inside = covered.iter().filter(|&&c| c).count();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < n {
        if covered[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && !covered[i] {
            i += 1;
        }
        // A bigram on either edge shares a character with the covered
        // token beside it; that character belongs to the passage.
        let (byte_start, char_start) = side.tokens.start_after(start);
        let (byte_end, char_end) = side.tokens.end_before(i);
        if byte_start < byte_end {
            spans.push(TextSpan {
                start: char_start,
                end: char_end,
                byte_start,
                byte_end,
                token_start: start,
                token_end: i,
            });
        }
    }
    let containment = if n == 0 { 0.0 } else { inside as f64 / n as f64 };
    (spans, containment)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S1: &str = "The harbor bridge in Millbrook reopened to traffic on Monday morning after two years of repairs.";
    const S2: &str = "Engineers had closed it when inspectors found corrosion in three of its steel supports.";
    const S3: &str = "Mayor Dana Whitfield cut a ribbon at the eastern end of the span shortly after seven o'clock.";
    const S4: &str = "The repairs cost fourteen million dollars, most of it from a state infrastructure grant.";
    const S5: &str = "Local businesses on Quay Street welcomed the news after losing passing trade during the closure.";
    const OTHER1: &str =
        "Apple growers from the valley will sell fruit, preserves and seedlings at the autumn festival.";
    const OTHER2: &str = "Parking is limited, and visitors are asked to take the shuttle bus from the railway station.";
    const COMMENT: &str = "Comment: nobody here believes a single word of the council press office anymore.";

    fn text(parts: &[&str]) -> String {
        parts.join(" ")
    }

    fn align(a: &str, b: &str) -> Alignment {
        Aligner::new(AlignConfig { min_chars: 50, ..AlignConfig::default() }).align(a, b)
    }

    fn sub<'a>(t: &'a str, s: &TextSpan) -> &'a str {
        &t[s.byte_start..s.byte_end]
    }

    #[test]
    fn verbatim_copy_inside_other_text() {
        let a = text(&[OTHER1, S1, S2, S3, S4, OTHER2]);
        let b = text(&[S1, S2, S3, S4]);
        let al = align(&a, &b);
        assert_eq!(al.passages.len(), 1, "{al:?}");
        let p = &al.passages[0];
        assert_eq!(p.kind, PassageKind::Verbatim);
        assert_eq!(sub(&a, &p.a), b.as_str());
        assert_eq!(sub(&b, &p.b), b.as_str());
        assert_eq!(al.containment_b, 1.0);
        assert!(al.containment_a < 0.8);
        let only: Vec<&str> = al.only_a.iter().map(|s| sub(&a, s)).collect();
        assert_eq!(only, vec![&OTHER1[..OTHER1.len() - 1], &OTHER2[..OTHER2.len() - 1]]);
        // Character offsets agree with byte offsets.
        let chars: Vec<char> = a.chars().collect();
        let by_chars: String = chars[p.a.start..p.a.end].iter().collect();
        assert_eq!(by_chars, sub(&a, &p.a));
    }

    #[test]
    fn word_edits_make_an_edited_passage() {
        let a = text(&[S1, S2, S3, S4, S5]);
        let b = a.replace("Monday", "Tuesday").replace("corrosion", "rust").replace("eastern", "western");
        let al = align(&a, &b);
        assert_eq!(al.passages.len(), 1);
        let p = &al.passages[0];
        assert_eq!(p.kind, PassageKind::Edited);
        assert!(p.edit_rate > 0.0 && p.edit_rate < 0.1, "{}", p.edit_rate);
        assert!(al.containment_a > 0.99 && al.containment_b > 0.99);
    }

    #[test]
    fn reordered_sentences_stay_one_passage() {
        let a = text(&[S1, S2, S3, S4, S5]);
        let b = text(&[S2, S1, S3, S5, S4]);
        let al = align(&a, &b);
        assert_eq!(al.passages.len(), 1, "{al:?}");
        assert!(al.containment_a > 0.99);
    }

    #[test]
    fn inserted_comment_is_left_out() {
        let a = text(&[S1, S2, S3, S4, S5]);
        let b = [S1, S2, COMMENT, S3, S4, S5].join("\n\n");
        let al = align(&a, &b);
        assert!(al.passages.len() >= 2, "the comment splits the passage: {al:?}");
        for p in &al.passages {
            assert!(!sub(&b, &p.b).contains("Comment"), "comment inside a passage");
        }
        assert!(al.only_b.iter().any(|s| sub(&b, s).contains("nobody here believes")));
        assert!(al.only_a.is_empty());
    }

    #[test]
    fn unrelated_texts_have_no_passage() {
        let al = align(&text(&[S1, S2, S3]), &text(&[OTHER1, OTHER2, COMMENT]));
        assert!(al.passages.is_empty(), "{al:?}");
        assert_eq!(al.containment_a, 0.0);
        assert_eq!(al.only_a.len(), 1);
    }

    #[test]
    fn stop_word_runs_do_not_align() {
        let a = "It is what it is and it was what it was, and so it will be for all of us in the end of it all.";
        let b = "And it is so: it was what it was, it is what it is, and all of us will be in it to the end.";
        let al = Aligner::new(AlignConfig { min_chars: 10, ..AlignConfig::default() }).align(a, b);
        assert!(al.passages.is_empty(), "{al:?}");
    }

    #[test]
    fn unicode_offsets() {
        let a = format!("Ünïcödé prelude sentence with accents éàü here. {S1} {S2}");
        let b = format!("東京 intro text that shares nothing at all today. {S1} {S2}");
        let al = align(&a, &b);
        assert_eq!(al.passages.len(), 1);
        let p = &al.passages[0];
        let ca: Vec<char> = a.chars().collect();
        let cb: Vec<char> = b.chars().collect();
        assert_eq!(ca[p.a.start..p.a.end].iter().collect::<String>(), sub(&a, &p.a));
        assert_eq!(cb[p.b.start..p.b.end].iter().collect::<String>(), sub(&b, &p.b));
        assert!(sub(&a, &p.a).starts_with("The harbor bridge"));
    }
}
