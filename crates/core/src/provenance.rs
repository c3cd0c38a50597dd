//! Provenance: inside one story, who copied whom, with the evidence and how
//! sure we are.
//!
//! [`provenance`] takes a story's documents ([`ProvenanceDocument`]: date and
//! where it came from, length) and the evidence of its analysed pairs
//! ([`ProvenancePair`]: relation, containment, sentences of each side's own)
//! and returns a [`Provenance`]: the documents in date order and the edges
//! that explain the story. Each [`ProvenanceEdge`] says which document is the
//! likely source and which is derived, what kind of reuse it is
//! ([`EdgeKind`]), a confidence in the direction, and the [`Evidence`], each
//! piece of which reads as one English sentence ([`Evidence::describe`]).
//! When the evidence does not tell a direction, or contradicts itself, the
//! edge is [`Direction::Undetermined`] rather than a guess.
//!
//! The function sees numbers, not texts. What it cannot see — whether an
//! addition is a reposter's comment or a page's furniture, whether a date
//! line was copied with the text — it approximates by the rules below and
//! says so in its evidence.
//!
//! # Rules
//!
//! **Order.** Dated documents first, by date; then undated ones. Ties (same
//! day, or both undated) by document number.
//!
//! **Date evidence** (pairs with two dates a day or more apart): the earlier
//! one is the likely source. It weighs `w` = [`DATE_WEIGHT_METADATA`] (0.2)
//! when both dates come from metadata and [`DATE_WEIGHT_TEXT`] (0.1) when
//! either was read from a text (a date line can be page furniture, or copied
//! along with the text); half that when the dates are one day apart, since
//! calendar dates written in different time zones can be a day off. The same
//! date, or a missing one, says nothing about direction.
//!
//! **Text evidence**, by relation ([`crate::story::relation`]):
//!
//! - `near_copy` → [`EdgeKind::Copy`]. The version that holds the other's
//!   text *plus sentences of its own* (a caption, an editor's note,
//!   comments) was likely derived from it. Additions are measured in
//!   characters of sentences outside any shared passage ([`added_chars`]):
//!   headings, bylines, category lists, dates and short lines are page
//!   furniture that every scrape carries, not additions. With `d` and `s` the
//!   added characters of the two sides, the asymmetry is
//!   `x = (d − s) / (d + s + 200)` (the 200 characters keep a few words from
//!   counting as strong evidence); the side with more is derived when
//!   `x ≥ 0.2`. Otherwise, and for `exact_copy`, the text gives no direction.
//!   Limit: a copy that drops a paragraph looks as if the other one added it.
//! - `excerpt` → [`EdgeKind::Excerpt`]. The side most of whose words lie in
//!   passages shared with the other (the higher containment) is an excerpt
//!   *cut from* the longer text: in news, teasers, syndicated leads and
//!   quote round-ups are cut from the full article far more often than a
//!   short item is expanded into a longer one. The asymmetry is the gap of
//!   the containments, `x = c_excerpt − c_full`, and must be at least 0.2;
//!   the excerpt must also be the shorter text in characters.
//!   When an expansion did happen, the dates usually say so, and the
//!   disagreement makes the edge undetermined (below).
//! - `partial_reuse` → [`EdgeKind::Rewrite`]. Each side has much text of its
//!   own; shared passages are as often quoted from a common source (a wire
//!   report) as from each other, so the text gives no direction.
//! - `rewrite` → [`EdgeKind::CommonSource`]. Little shared text: both likely
//!   retell a common source that need not be in the corpus. No text
//!   direction.
//! - `related` (in one story through the clustering only): no edge.
//!
//! **Combination** (`t = 0.6 + 0.2 × clamp((x − 0.2) / 0.8, 0, 1)`, the text
//! evidence's strength, from 0.6 at the threshold to 0.8):
//!
//! | text evidence | dates | direction | confidence |
//! | --- | --- | --- | --- |
//! | directed | agree | text's | `min(t + w, 0.9)` |
//! | directed | same day or missing | text's | `t` |
//! | directed | disagree | undetermined | 0 |
//! | none, copy or excerpt | differ | earlier → later | `0.4 + w` (≤ 0.6) |
//! | none, rewrite or common source | differ | earlier → later | `0.3 + w` (≤ 0.5) |
//! | none | same day or missing | undetermined | 0 |
//!
//! Confidence never reaches 1: nothing here saw the copying happen.
//!
//! **Selection.** Every analysed pair gives at most one candidate edge; the
//! edges kept are those that explain the story:
//!
//! 1. each derived document gets its most likely source: directed
//!    candidates in order of confidence (ties: lower derived, then lower
//!    source number) are kept when the derived document has no source yet
//!    and the edge closes no cycle, so the kept directed edges form a forest
//!    (a DAG in which each document has at most one source);
//! 2. every undetermined [`EdgeKind::Copy`] edge is kept: two copies of one
//!    text whose direction cannot be told are worth saying;
//! 3. a document that no kept edge touches yet (in document order) gets its
//!    strongest remaining candidate: directed before undetermined, then
//!    higher confidence, then kind (copy, excerpt, rewrite, common source),
//!    then the pair's `max(lexical, semantic)` score, then the lower partner
//!    number. It touches nothing else, so no cycle can form.
//!
//! An undetermined edge lists its two documents in [`Provenance::order`]
//! order as `source` and `derived`; the names mean nothing there.
//!
//! # Cost
//!
//! `O(p log p + n × depth)` for `p` pairs and `n` documents; stories are
//! small. No I/O.

use std::collections::HashMap;

use crate::date::Date;
use crate::date::DateSource;
use crate::pair::{is_lexical, PairReport};
use crate::story::Relation;
use crate::token::{is_bigram_script, latin_equivalent_chars};

/// Date weight when both dates come from metadata.
pub const DATE_WEIGHT_METADATA: f64 = 0.2;
/// Date weight when a date was read from a text.
pub const DATE_WEIGHT_TEXT: f64 = 0.1;
/// Smallest text asymmetry that tells a direction.
pub const MIN_ASYMMETRY: f64 = 0.2;
/// Added characters that keep a few words from being strong evidence.
pub const ADDITION_PRIOR_CHARS: f64 = 200.0;
/// Text evidence strength at [`MIN_ASYMMETRY`].
pub const TEXT_BASE: f64 = 0.6;
/// Text evidence strength at full asymmetry.
pub const TEXT_MAX: f64 = 0.8;
/// Highest confidence of any edge.
pub const MAX_CONFIDENCE: f64 = 0.9;
/// Date-only confidence before the date weight, for verbatim reuse (copies,
/// excerpts): a copy is made after its source.
pub const DATES_ONLY_COPY: f64 = 0.4;
/// Date-only confidence before the date weight, for rewrites and partial
/// reuse, which may both come from a common source.
pub const DATES_ONLY_REWRITE: f64 = 0.3;
/// Words a line outside the shared passages needs to count as an addition.
pub const ADDITION_MIN_WORDS: usize = 6;

/// One document of the story, as provenance needs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProvenanceDocument {
    /// The document's number (its place in the input).
    pub document: u32,
    pub date: Option<(Date, DateSource)>,
    /// Length in characters (code points).
    pub chars: usize,
}

/// The evidence of one analysed pair (`a`, `b`: document numbers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProvenancePair {
    pub a: u32,
    pub b: u32,
    pub relation: Relation,
    /// Share of each side's words inside shared verbatim or edited passages.
    pub containment_a: f64,
    pub containment_b: f64,
    /// Characters of sentences of each side's own, outside any shared
    /// verbatim or edited passage (see [`added_chars`]).
    pub added_a: usize,
    pub added_b: usize,
    /// tf-idf cosine.
    pub lexical: f64,
    /// Document-embedding cosine (NaN without a model).
    pub semantic: f64,
}

impl ProvenancePair {
    /// The provenance evidence of an analysed pair; `text_a` and `text_b`
    /// are the texts of `report.a` and `report.b` that its passages point
    /// into.
    pub fn from_report(report: &PairReport, text_a: &str, text_b: &str) -> ProvenancePair {
        let lexical = || report.passages.iter().filter(|p| is_lexical(p));
        let spans_a: Vec<(usize, usize)> = lexical().map(|p| (p.a.start, p.a.end)).collect();
        let spans_b: Vec<(usize, usize)> = lexical().map(|p| (p.b.start, p.b.end)).collect();
        ProvenancePair {
            a: report.a,
            b: report.b,
            relation: report.relation,
            containment_a: report.evidence.containment_a,
            containment_b: report.evidence.containment_b,
            added_a: added_chars(text_a, &spans_a),
            added_b: added_chars(text_b, &spans_b),
            lexical: report.evidence.lexical,
            semantic: report.evidence.semantic,
        }
    }

    /// `max(lexical, semantic)`, ignoring a missing semantic score.
    fn signal(&self) -> f64 {
        let lexical = if self.lexical.is_nan() { 0.0 } else { self.lexical };
        lexical.max(self.semantic)
    }
}

/// Characters (not counting white space) of the sentences of `text` that lie
/// outside every span of `spans` (half-open character ranges, in any order,
/// possibly overlapping).
///
/// The text outside the spans is cut at line breaks and span boundaries;
/// a piece counts when it reads as a sentence: at least
/// [`ADDITION_MIN_WORDS`] words, ending in `.`, `!`, `?` or `…` (before
/// closing quotes or brackets), and not a Markdown heading, list item or
/// table row. Headlines, bylines, category lists, dates, image captions of a
/// few words and navigation are left out: they are page furniture, not text
/// someone added.
pub fn added_chars(text: &str, spans: &[(usize, usize)]) -> usize {
    let mut spans: Vec<(usize, usize)> = spans.iter().copied().filter(|&(s, e)| s < e).collect();
    spans.sort_unstable();
    let mut next_span = 0;
    let mut total = 0;
    let mut piece_start: Option<usize> = None;
    let mut end_byte = text.len();
    for (position, (byte, c)) in text.char_indices().enumerate() {
        while next_span < spans.len() && spans[next_span].1 <= position {
            next_span += 1;
        }
        let covered = next_span < spans.len() && spans[next_span].0 <= position;
        if covered || c == '\n' {
            if let Some(start) = piece_start.take() {
                total += sentence_chars(&text[start..byte]);
            }
        } else if piece_start.is_none() {
            piece_start = Some(byte);
        }
        end_byte = byte + c.len_utf8();
    }
    if let Some(start) = piece_start {
        total += sentence_chars(&text[start..end_byte]);
    }
    total
}

/// The non-space characters of `piece` if it reads as a sentence, else 0.
fn sentence_chars(piece: &str) -> usize {
    let piece = piece.trim();
    // Scripts written without spaces have no whitespace words: a piece of
    // them counts one word per six Latin-equivalent characters.
    let words: usize = piece
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| if w.chars().any(is_bigram_script) { latin_equivalent_chars(w).div_ceil(6) } else { 1 })
        .sum();
    if words < ADDITION_MIN_WORDS || piece.starts_with(['#', '|']) || is_list_item(piece) {
        return 0;
    }
    let end = piece.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_']);
    if !end.ends_with(['.', '!', '?', '…', '。', '！', '？']) {
        return 0;
    }
    piece.chars().filter(|c| !c.is_whitespace()).count()
}

fn is_list_item(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    let marker = if digits > 0 { rest.strip_prefix(['.', ')']) } else { rest.strip_prefix(['-', '*', '+', '•']) };
    marker.is_some_and(|after| after.starts_with(char::is_whitespace))
}

/// The documents in date order, and the edges that explain the story.
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance {
    /// Dated documents by date, then undated ones; ties by document number.
    pub order: Vec<DocOrder>,
    /// Directed edges, then undetermined ones; each group by the place of
    /// `source`, then of `derived`, in `order`.
    pub edges: Vec<ProvenanceEdge>,
}

/// A document's place in [`Provenance::order`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DocOrder {
    pub document: u32,
    /// `None`: undated (placed after every dated document).
    pub date: Option<(Date, DateSource)>,
}

/// What kind of reuse an edge is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// `derived` is a copy of `source` (exact or near), maybe with additions.
    Copy,
    /// `derived` is an excerpt cut from `source`.
    Excerpt,
    /// `derived` reuses passages of `source` and words the rest its own way.
    Rewrite,
    /// Both retell a common source, likely not in the corpus; `source` is the
    /// version published first.
    CommonSource,
}

impl EdgeKind {
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::Copy => "copy",
            EdgeKind::Excerpt => "excerpt",
            EdgeKind::Rewrite => "rewrite",
            EdgeKind::CommonSource => "common_source",
        }
    }
}

/// Whether an edge's direction is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `derived` likely came from `source`.
    Determined,
    /// The evidence tells no direction, or contradicts itself.
    Undetermined,
}

/// One edge of a story's provenance.
#[derive(Clone, Debug, PartialEq)]
pub struct ProvenanceEdge {
    pub source: u32,
    pub derived: u32,
    pub kind: EdgeKind,
    pub direction: Direction,
    /// How likely `derived` came from `source`, 0–1 (0 when undetermined).
    pub confidence: f64,
    /// What the direction rests on, in the order text, dates.
    pub evidence: Vec<Evidence>,
}

impl ProvenanceEdge {
    pub fn is_determined(&self) -> bool {
        self.direction == Direction::Determined
    }
}

/// One piece of evidence about a pair. Documents are named by number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Evidence {
    /// `earlier` is dated `days` days before `later`.
    EarlierDate { earlier: u32, later: u32, days: i64, earlier_source: DateSource, later_source: DateSource },
    /// Both are dated `date`.
    SameDate { date: Date, from_text: bool },
    /// `document` has no date.
    MissingDate { document: u32 },
    /// `derived` holds `contained_share` of `source`'s words plus
    /// `added_chars` characters of sentences of its own; `source` has
    /// `source_added_chars`.
    ContainsOtherPlusAdditions {
        source: u32,
        derived: u32,
        contained_share: f64,
        added_chars: usize,
        source_added_chars: usize,
    },
    /// `share` of the words of `excerpt` lie in passages shared with `full`,
    /// against `full_share` of the words of `full`; their lengths in
    /// characters.
    Excerpt { excerpt: u32, full: u32, share: f64, full_share: f64, excerpt_chars: usize, full_chars: usize },
    /// Near copies with about as many sentences of their own.
    NearCopyNoDirection { a: u32, b: u32, added_a: usize, added_b: usize },
    /// The same words.
    IdenticalText { a: u32, b: u32 },
    /// Shared passages, neither side clearly cut from the other.
    SharedPassages { a: u32, b: u32, share_a: f64, share_b: f64 },
    /// The same story in other words, little shared text.
    RewriteOfCommonSource { a: u32, b: u32 },
    /// The text makes `derived_by_text` the derived version, but it is dated
    /// earlier.
    DateAgainstText { derived_by_text: u32 },
}

impl Evidence {
    /// One English sentence, documents named "document N".
    pub fn describe(&self) -> String {
        let sentence = self.describe_with(|d| format!("document {d}"));
        match sentence.strip_prefix("document") {
            Some(rest) => format!("Document{rest}"),
            None => sentence,
        }
    }

    /// One English sentence, documents named by `name` (used as given, even
    /// at the start of the sentence).
    pub fn describe_with(&self, name: impl Fn(u32) -> String) -> String {
        let percent = |x: f64| format!("{:.0} %", 100.0 * x);
        match *self {
            Evidence::EarlierDate { earlier, later, days, earlier_source, later_source } => {
                let unit = if days == 1 { "day" } else { "days" };
                let origin = match (earlier_source, later_source) {
                    (DateSource::Metadata, DateSource::Metadata) => "dates from metadata".to_string(),
                    (DateSource::Text, DateSource::Text) => "dates read from the texts".to_string(),
                    (DateSource::Text, DateSource::Metadata) => {
                        format!("the date of {} read from its text", name(earlier))
                    }
                    (DateSource::Metadata, DateSource::Text) => {
                        format!("the date of {} read from its text", name(later))
                    }
                };
                format!("{} was published {days} {unit} before {} ({origin}).", name(earlier), name(later))
            }
            Evidence::SameDate { date, from_text } => {
                let note = if from_text { ", read from the texts (a copy keeps the date line it copies)" } else { "" };
                format!("Both are dated {date}{note}: the dates give no direction.")
            }
            Evidence::MissingDate { document } => format!("{} has no date.", name(document)),
            Evidence::ContainsOtherPlusAdditions {
                source,
                derived,
                contained_share,
                added_chars,
                source_added_chars,
            } => {
                format!(
                    "{} holds {} of {}'s words plus {added_chars} characters of sentences of its own \
                     (a caption, a note, comments), against {source_added_chars} in {}.",
                    name(derived),
                    percent(contained_share),
                    name(source),
                    name(source)
                )
            }
            Evidence::Excerpt { excerpt, full, share, full_share, excerpt_chars, full_chars } => format!(
                "{} ({excerpt_chars} characters) reads as an excerpt of {} ({full_chars}): {} of its words lie in \
                 passages shared with it, against {} of {}'s (news excerpts are usually cut from the full text).",
                name(excerpt),
                name(full),
                percent(share),
                percent(full_share),
                name(full)
            ),
            Evidence::NearCopyNoDirection { a, b, added_a, added_b } => format!(
                "{} and {} are near copies with about as much text of their own ({added_a} and {added_b} characters \
                 of sentences): the text gives no direction.",
                name(a),
                name(b)
            ),
            Evidence::IdenticalText { a, b } => {
                format!("{} and {} have the same words: the text gives no direction.", name(a), name(b))
            }
            Evidence::SharedPassages { a, b, share_a, share_b } => format!(
                "{} and {} share passages ({} and {} of their words) and neither is clearly cut from the other: \
                 they may quote a common source, so the text gives no direction.",
                name(a),
                name(b),
                percent(share_a),
                percent(share_b)
            ),
            Evidence::RewriteOfCommonSource { a, b } => format!(
                "{} and {} tell the story in other words with little shared text: both likely retell a common \
                 source that may not be in the corpus.",
                name(a),
                name(b)
            ),
            Evidence::DateAgainstText { derived_by_text } => format!(
                "The text makes {} the derived version, but it is dated earlier: the direction is undetermined.",
                name(derived_by_text)
            ),
        }
    }
}

/// Sort key of [`Provenance::order`]: dated first, by date, then number.
fn order_key(document: &ProvenanceDocument) -> (bool, i64, u32) {
    match document.date {
        Some((date, _)) => (false, date.days(), document.document),
        None => (true, 0, document.document),
    }
}

/// The strength of text evidence of asymmetry `x` (≥ [`MIN_ASYMMETRY`]).
fn text_strength(x: f64) -> f64 {
    TEXT_BASE + (TEXT_MAX - TEXT_BASE) * ((x - MIN_ASYMMETRY) / (1.0 - MIN_ASYMMETRY)).clamp(0.0, 1.0)
}

/// What the dates of a pair say.
enum DateSays {
    /// `earlier` came first, with weight `w`.
    Earlier { earlier: u32, weight: f64, evidence: Evidence },
    /// Nothing about direction.
    Nothing(Vec<Evidence>),
}

fn date_evidence(a: &ProvenanceDocument, b: &ProvenanceDocument) -> DateSays {
    match (a.date, b.date) {
        (Some((date_a, source_a)), Some((date_b, source_b))) => {
            let days = date_b.days() - date_a.days();
            if days == 0 {
                let from_text = source_a == DateSource::Text || source_b == DateSource::Text;
                return DateSays::Nothing(vec![Evidence::SameDate { date: date_a, from_text }]);
            }
            let (earlier, later, earlier_source, later_source) =
                if days > 0 { (a, b, source_a, source_b) } else { (b, a, source_b, source_a) };
            let both_metadata = earlier_source == DateSource::Metadata && later_source == DateSource::Metadata;
            let mut weight = if both_metadata { DATE_WEIGHT_METADATA } else { DATE_WEIGHT_TEXT };
            if days.abs() == 1 {
                weight /= 2.0;
            }
            let evidence = Evidence::EarlierDate {
                earlier: earlier.document,
                later: later.document,
                days: days.abs(),
                earlier_source,
                later_source,
            };
            DateSays::Earlier { earlier: earlier.document, weight, evidence }
        }
        _ => DateSays::Nothing(
            [a, b]
                .iter()
                .filter(|d| d.date.is_none())
                .map(|d| Evidence::MissingDate { document: d.document })
                .collect(),
        ),
    }
}

/// A direction the text tells: `derived` came from `source`, with the text
/// evidence's strength.
#[derive(Clone, Copy)]
struct TextDirection {
    source: u32,
    derived: u32,
    strength: f64,
}

/// What the text of a pair says: the kind, a direction or none, and the
/// evidence.
fn text_evidence(
    pair: &ProvenancePair,
    first: &ProvenanceDocument,
    second: &ProvenanceDocument,
) -> Option<(EdgeKind, Option<TextDirection>, Evidence)> {
    let (a, b) = (pair.a, pair.b);
    let (a_chars, b_chars) = (first.chars, second.chars);
    let share = |c: f64| if c.is_nan() { 0.0 } else { c.clamp(0.0, 1.0) };
    let (ca, cb) = (share(pair.containment_a), share(pair.containment_b));
    match pair.relation {
        Relation::ExactCopy => Some((EdgeKind::Copy, None, Evidence::IdenticalText { a, b })),
        Relation::NearCopy => {
            let (d, s) = (pair.added_a.max(pair.added_b) as f64, pair.added_a.min(pair.added_b) as f64);
            let x = (d - s) / (d + s + ADDITION_PRIOR_CHARS);
            if x < MIN_ASYMMETRY {
                let evidence = Evidence::NearCopyNoDirection { a, b, added_a: pair.added_a, added_b: pair.added_b };
                return Some((EdgeKind::Copy, None, evidence));
            }
            // The side with more sentences of its own is derived.
            let (source, derived, contained_share, added, source_added) = if pair.added_b > pair.added_a {
                (a, b, ca, pair.added_b, pair.added_a)
            } else {
                (b, a, cb, pair.added_a, pair.added_b)
            };
            let evidence = Evidence::ContainsOtherPlusAdditions {
                source,
                derived,
                contained_share,
                added_chars: added,
                source_added_chars: source_added,
            };
            Some((EdgeKind::Copy, Some(TextDirection { source, derived, strength: text_strength(x) }), evidence))
        }
        Relation::Excerpt => {
            // The side with the higher containment is the excerpt; it must
            // be the shorter text too.
            let (excerpt, full, share, full_share) = if ca >= cb { (a, b, ca, cb) } else { (b, a, cb, ca) };
            let (excerpt_chars, full_chars) = if ca >= cb { (a_chars, b_chars) } else { (b_chars, a_chars) };
            let x = share - full_share;
            if x < MIN_ASYMMETRY || excerpt_chars > full_chars {
                let evidence = Evidence::SharedPassages { a, b, share_a: ca, share_b: cb };
                return Some((EdgeKind::Excerpt, None, evidence));
            }
            let evidence = Evidence::Excerpt { excerpt, full, share, full_share, excerpt_chars, full_chars };
            let direction = TextDirection { source: full, derived: excerpt, strength: text_strength(x) };
            Some((EdgeKind::Excerpt, Some(direction), evidence))
        }
        Relation::PartialReuse => {
            Some((EdgeKind::Rewrite, None, Evidence::SharedPassages { a, b, share_a: ca, share_b: cb }))
        }
        Relation::Rewrite => Some((EdgeKind::CommonSource, None, Evidence::RewriteOfCommonSource { a, b })),
        Relation::Related => None,
    }
}

/// The candidate edge of one pair (`a` and `b` are the documents of
/// `pair.a` and `pair.b`), by the [rules](self#rules); `None` for a
/// `related` pair.
pub fn pair_edge(a: &ProvenanceDocument, b: &ProvenanceDocument, pair: &ProvenancePair) -> Option<ProvenanceEdge> {
    debug_assert!(a.document == pair.a && b.document == pair.b);
    let (kind, text_direction, text) = text_evidence(pair, a, b)?;
    let dates = date_evidence(a, b);
    let mut evidence = vec![text];
    let (first, second) =
        if order_key(a) <= order_key(b) { (a.document, b.document) } else { (b.document, a.document) };
    let undetermined = |evidence: Vec<Evidence>| ProvenanceEdge {
        source: first,
        derived: second,
        kind,
        direction: Direction::Undetermined,
        confidence: 0.0,
        evidence,
    };
    let determined = |source: u32, derived: u32, confidence: f64, evidence: Vec<Evidence>| ProvenanceEdge {
        source,
        derived,
        kind,
        direction: Direction::Determined,
        confidence: confidence.min(MAX_CONFIDENCE),
        evidence,
    };
    let other = |d: u32| if d == a.document { b.document } else { a.document };
    Some(match (text_direction, dates) {
        (Some(TextDirection { source, derived, strength }), DateSays::Earlier { earlier, weight, evidence: date }) => {
            evidence.push(date);
            if earlier == source {
                determined(source, derived, strength + weight, evidence)
            } else {
                evidence.push(Evidence::DateAgainstText { derived_by_text: derived });
                undetermined(evidence)
            }
        }
        (Some(TextDirection { source, derived, strength }), DateSays::Nothing(date)) => {
            evidence.extend(date);
            determined(source, derived, strength, evidence)
        }
        (None, DateSays::Earlier { earlier, weight, evidence: date }) => {
            evidence.push(date);
            let base = match kind {
                EdgeKind::Copy | EdgeKind::Excerpt => DATES_ONLY_COPY,
                EdgeKind::Rewrite | EdgeKind::CommonSource => DATES_ONLY_REWRITE,
            };
            determined(earlier, other(earlier), base + weight, evidence)
        }
        (None, DateSays::Nothing(date)) => {
            evidence.extend(date);
            undetermined(evidence)
        }
    })
}

/// The provenance of one story: its documents in date order and the edges
/// that explain it (see the [rules](self#rules)). `documents` holds each
/// document once and `pairs` each pair once; pairs naming a document not in
/// `documents` are ignored. The result does not depend on the order of
/// either slice.
pub fn provenance(documents: &[ProvenanceDocument], pairs: &[ProvenancePair]) -> Provenance {
    let mut sorted: Vec<ProvenanceDocument> = documents.to_vec();
    sorted.sort_by_key(order_key);
    sorted.dedup_by_key(|d| d.document);
    let order: Vec<DocOrder> = sorted.iter().map(|d| DocOrder { document: d.document, date: d.date }).collect();
    let place: HashMap<u32, usize> = order.iter().enumerate().map(|(i, d)| (d.document, i)).collect();

    // Candidates, one per pair, in a fixed order whatever the input order.
    let mut candidates: Vec<(ProvenanceEdge, f64)> = pairs
        .iter()
        .filter_map(|pair| {
            let a = &sorted[*place.get(&pair.a)?];
            let b = &sorted[*place.get(&pair.b)?];
            if a.document == b.document {
                return None;
            }
            pair_edge(a, b, pair).map(|edge| (edge, pair.signal()))
        })
        .collect();
    candidates.sort_by_key(|(x, _)| (x.source, x.derived));
    candidates.dedup_by(|(x, _), (y, _)| (x.source, x.derived) == (y.source, y.derived));

    let n = order.len();
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut touched = vec![false; n];
    let mut kept = vec![false; candidates.len()];

    // 1. Each derived document's most likely source, with no cycle.
    let mut directed: Vec<usize> = (0..candidates.len()).filter(|&i| candidates[i].0.is_determined()).collect();
    directed.sort_by(|&i, &j| {
        let (x, y) = (&candidates[i].0, &candidates[j].0);
        y.confidence.total_cmp(&x.confidence).then((x.derived, x.source).cmp(&(y.derived, y.source)))
    });
    for i in directed {
        let edge = &candidates[i].0;
        let (source, derived) = (place[&edge.source], place[&edge.derived]);
        if parent[derived].is_some() || reaches(&parent, source, derived) {
            continue;
        }
        parent[derived] = Some(source);
        touched[source] = true;
        touched[derived] = true;
        kept[i] = true;
    }

    // 2. Copies whose direction cannot be told.
    for (i, (edge, _)) in candidates.iter().enumerate() {
        if !edge.is_determined() && edge.kind == EdgeKind::Copy {
            touched[place[&edge.source]] = true;
            touched[place[&edge.derived]] = true;
            kept[i] = true;
        }
    }

    // 3. Documents still alone: their strongest candidate.
    let mut by_number: Vec<u32> = order.iter().map(|d| d.document).collect();
    by_number.sort_unstable();
    for document in by_number {
        let at = place[&document];
        if touched[at] {
            continue;
        }
        let partner = |edge: &ProvenanceEdge| if edge.source == document { edge.derived } else { edge.source };
        let best = (0..candidates.len())
            .filter(|&i| !kept[i] && (candidates[i].0.source == document || candidates[i].0.derived == document))
            .min_by(|&i, &j| {
                let ((x, sx), (y, sy)) = (&candidates[i], &candidates[j]);
                (!x.is_determined())
                    .cmp(&!y.is_determined())
                    .then(y.confidence.total_cmp(&x.confidence))
                    .then(x.kind.cmp(&y.kind))
                    .then(sy.total_cmp(sx))
                    .then(partner(x).cmp(&partner(y)))
            });
        if let Some(i) = best {
            let edge = &candidates[i].0;
            touched[place[&edge.source]] = true;
            touched[place[&edge.derived]] = true;
            kept[i] = true;
        }
    }

    let mut edges: Vec<ProvenanceEdge> =
        candidates.into_iter().zip(kept).filter(|(_, k)| *k).map(|((edge, _), _)| edge).collect();
    edges.sort_by(|x, y| {
        (!x.is_determined(), place[&x.source], place[&x.derived]).cmp(&(
            !y.is_determined(),
            place[&y.source],
            place[&y.derived],
        ))
    });
    Provenance { order, edges }
}

/// Whether `to` is `from` or one of its ancestors in the forest `parent`.
fn reaches(parent: &[Option<usize>], from: usize, to: usize) -> bool {
    let mut at = Some(from);
    while let Some(node) = at {
        if node == to {
            return true;
        }
        at = parent[node];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passage::{Passage, PassageKind, TextSpan};
    use crate::story::PairEvidence;

    fn dated(document: u32, date: &str, source: DateSource) -> ProvenanceDocument {
        let date = crate::date::parse_date(date).expect("test date");
        ProvenanceDocument { document, date: Some((date, source)), chars: 2500 }
    }

    fn meta(document: u32, date: &str) -> ProvenanceDocument {
        dated(document, date, DateSource::Metadata)
    }

    fn text(document: u32, date: &str) -> ProvenanceDocument {
        dated(document, date, DateSource::Text)
    }

    fn undated(document: u32) -> ProvenanceDocument {
        ProvenanceDocument { document, date: None, chars: 2500 }
    }

    fn pair(
        a: u32,
        b: u32,
        relation: Relation,
        (ca, cb): (f64, f64),
        (added_a, added_b): (usize, usize),
    ) -> ProvenancePair {
        ProvenancePair {
            a,
            b,
            relation,
            containment_a: ca,
            containment_b: cb,
            added_a,
            added_b,
            lexical: 0.5,
            semantic: f64::NAN,
        }
    }

    /// `"0->1 copy 0.681"` for a directed edge, `"0?1 copy"` for an
    /// undetermined one.
    fn summary(edge: &ProvenanceEdge) -> String {
        match edge.direction {
            Direction::Determined => {
                format!("{}->{} {} {:.3}", edge.source, edge.derived, edge.kind.name(), edge.confidence)
            }
            Direction::Undetermined => format!("{}?{} {}", edge.source, edge.derived, edge.kind.name()),
        }
    }

    fn check(a: ProvenanceDocument, b: ProvenanceDocument, pair: ProvenancePair, expected: &str) {
        let pair = ProvenancePair { a: a.document, b: b.document, ..pair };
        let got = pair_edge(&a, &b, &pair).map_or("none".to_string(), |e| summary(&e));
        assert_eq!(got, expected, "{a:?} {b:?} {pair:?}");
    }

    use Relation::{ExactCopy, Excerpt as Exc, NearCopy, PartialReuse, Related, Rewrite};

    #[test]
    fn dates_only() {
        let symmetric = pair(0, 1, NearCopy, (0.9, 0.9), (0, 0));
        check(meta(0, "2022-02-01"), meta(1, "2022-02-04"), symmetric, "0->1 copy 0.600");
        check(meta(0, "2022-02-04"), meta(1, "2022-02-01"), symmetric, "1->0 copy 0.600");
        check(text(0, "2022-02-01"), meta(1, "2022-02-04"), symmetric, "0->1 copy 0.500");
        check(meta(0, "2022-02-01"), meta(1, "2022-02-02"), symmetric, "0->1 copy 0.500");
        check(text(0, "2022-02-01"), text(1, "2022-02-02"), symmetric, "0->1 copy 0.450");
        check(
            meta(0, "2022-02-01"),
            meta(1, "2022-02-04"),
            pair(0, 1, ExactCopy, (1.0, 1.0), (0, 0)),
            "0->1 copy 0.600",
        );
        // An excerpt with no clear asymmetry takes its direction from dates.
        check(meta(0, "2022-02-04"), meta(1, "2022-02-01"), pair(0, 1, Exc, (0.75, 0.7), (0, 0)), "1->0 excerpt 0.600");
        check(undated(0), undated(1), symmetric, "0?1 copy");
        check(meta(0, "2022-02-01"), undated(1), symmetric, "0?1 copy");
        check(undated(0), meta(1, "2022-02-01"), symmetric, "1?0 copy");
    }

    #[test]
    fn containment_only() {
        // 001 of the seeds: 220 characters of comments, 000 only page furniture.
        check(undated(0), undated(1), pair(0, 1, NearCopy, (0.92, 0.89), (0, 220)), "0->1 copy 0.681");
        check(undated(0), undated(1), pair(0, 1, NearCopy, (0.85, 0.95), (400, 0)), "1->0 copy 0.717");
        // A few words of difference tell nothing.
        check(undated(0), undated(1), pair(0, 1, NearCopy, (0.92, 0.89), (0, 30)), "0?1 copy");
        check(undated(0), undated(1), pair(0, 1, NearCopy, (0.92, 0.89), (300, 400)), "0?1 copy");
        // The excerpt is derived from the full text.
        check(undated(0), undated(1), pair(0, 1, Exc, (0.3, 0.9), (1500, 0)), "0->1 excerpt 0.700");
        check(undated(0), undated(1), pair(0, 1, Exc, (1.0, 0.0), (0, 2000)), "1->0 excerpt 0.800");
        check(undated(0), undated(1), pair(0, 1, Exc, (0.75, 0.7), (0, 0)), "0?1 excerpt");
        // The excerpt must be the shorter text.
        let sized = |document, chars| ProvenanceDocument { chars, ..undated(document) };
        check(sized(0, 3000), sized(1, 900), pair(0, 1, Exc, (0.3, 0.9), (1500, 0)), "0->1 excerpt 0.700");
        check(sized(0, 900), sized(1, 3000), pair(0, 1, Exc, (0.3, 0.9), (1500, 0)), "0?1 excerpt");
        // A missing containment is none.
        check(undated(0), undated(1), pair(0, 1, Exc, (f64::NAN, 0.9), (0, 0)), "0->1 excerpt 0.775");
    }

    #[test]
    fn dates_and_text_agreeing() {
        let comments = pair(0, 1, NearCopy, (0.92, 0.89), (0, 220));
        check(meta(0, "2022-02-01"), meta(1, "2022-02-04"), comments, "0->1 copy 0.881");
        check(text(0, "2022-02-01"), text(1, "2022-02-04"), comments, "0->1 copy 0.781");
        check(meta(0, "2022-02-01"), meta(1, "2022-02-02"), comments, "0->1 copy 0.781");
        // Capped.
        check(
            meta(0, "2022-02-01"),
            meta(1, "2022-02-04"),
            pair(0, 1, NearCopy, (0.95, 0.8), (0, 600)),
            "0->1 copy 0.900",
        );
        check(
            meta(0, "2022-02-01"),
            meta(1, "2022-02-04"),
            pair(0, 1, Exc, (0.3, 0.9), (1500, 0)),
            "0->1 excerpt 0.900",
        );
        // A missing or equal date neither helps nor hurts.
        check(meta(0, "2022-02-01"), meta(1, "2022-02-01"), comments, "0->1 copy 0.681");
        check(meta(0, "2022-02-01"), undated(1), comments, "0->1 copy 0.681");
    }

    #[test]
    fn dates_against_text_are_undetermined() {
        let comments = pair(0, 1, NearCopy, (0.92, 0.89), (0, 220));
        check(meta(0, "2022-02-04"), meta(1, "2022-02-01"), comments, "1?0 copy");
        check(text(0, "2022-02-02"), text(1, "2022-02-01"), comments, "1?0 copy");
        // A short item dated before the longer text that holds it: an
        // expansion, not an excerpt, perhaps; the edge says it does not know.
        let excerpt = pair(0, 1, Exc, (0.3, 0.9), (1500, 0));
        check(meta(0, "2022-02-04"), meta(1, "2022-02-01"), excerpt, "1?0 excerpt");
        let edge = pair_edge(&meta(0, "2022-02-04"), &meta(1, "2022-02-01"), &excerpt).unwrap();
        assert_eq!(edge.evidence.last(), Some(&Evidence::DateAgainstText { derived_by_text: 1 }));
        assert_eq!(edge.confidence, 0.0);
    }

    #[test]
    fn rewrites_point_to_a_common_source() {
        let rewrite = pair(0, 1, Rewrite, (0.0, 0.0), (1500, 1600));
        check(undated(0), undated(1), rewrite, "0?1 common_source");
        check(meta(0, "2022-02-01"), meta(1, "2022-02-04"), rewrite, "0->1 common_source 0.500");
        check(text(0, "2022-02-07"), text(1, "2022-02-05"), rewrite, "1->0 common_source 0.400");
        check(text(0, "2022-02-05"), text(1, "2022-02-06"), rewrite, "0->1 common_source 0.350");
        check(meta(0, "2022-02-05"), meta(1, "2022-02-05"), rewrite, "0?1 common_source");
        // Partial reuse: shared passages, no text direction.
        let partial = pair(0, 1, PartialReuse, (0.38, 0.21), (1300, 1500));
        check(undated(0), text(1, "2022-02-05"), partial, "1?0 rewrite");
        check(meta(0, "2022-02-01"), meta(1, "2022-02-04"), partial, "0->1 rewrite 0.500");
        check(meta(0, "2022-02-01"), meta(1, "2022-02-04"), pair(0, 1, Related, (0.0, 0.0), (0, 0)), "none");
    }

    #[test]
    fn exact_copies_on_one_day_are_undetermined() {
        let copy = pair(0, 1, ExactCopy, (1.0, 1.0), (0, 0));
        check(meta(0, "2022-02-01"), meta(1, "2022-02-01"), copy, "0?1 copy");
        let edge = pair_edge(&meta(0, "2022-02-01"), &meta(1, "2022-02-01"), &copy).unwrap();
        let date = Date::new(2022, 2, 1).unwrap();
        assert_eq!(
            edge.evidence,
            vec![Evidence::IdenticalText { a: 0, b: 1 }, Evidence::SameDate { date, from_text: false }]
        );
    }

    #[test]
    fn order_puts_dated_documents_first() {
        let documents = [undated(4), text(2, "2022-02-07"), undated(1), meta(3, "2022-02-05"), meta(0, "2022-02-07")];
        let p = provenance(&documents, &[]);
        let order: Vec<u32> = p.order.iter().map(|d| d.document).collect();
        assert_eq!(order, vec![3, 0, 2, 1, 4]);
        assert!(p.order[3].date.is_none() && p.edges.is_empty());
    }

    fn summaries(p: &Provenance) -> Vec<String> {
        p.edges.iter().map(summary).collect()
    }

    #[test]
    fn each_derived_document_keeps_its_most_likely_source() {
        // 2 could come from 0 (0.681) or 1 (dates only, 0.6): 0 wins; 1 is
        // left alone and gets its best remaining edge, a second source of 2.
        let documents = [undated(0), meta(1, "2022-02-01"), meta(2, "2022-02-03")];
        let pairs = [
            pair(0, 2, NearCopy, (0.92, 0.89), (0, 220)),
            pair(1, 2, NearCopy, (0.9, 0.9), (100, 100)),
            pair(0, 1, Rewrite, (0.0, 0.0), (1000, 1000)),
        ];
        let p = provenance(&documents, &pairs);
        assert_eq!(summaries(&p), vec!["1->2 copy 0.600", "0->2 copy 0.681"]);
    }

    #[test]
    fn cycles_are_avoided() {
        // Text evidence alone points 0 → 1 → 2 → 0.
        let documents = [undated(0), undated(1), undated(2)];
        let pairs = [
            pair(0, 1, NearCopy, (0.9, 0.9), (0, 600)),
            pair(1, 2, NearCopy, (0.9, 0.9), (0, 400)),
            pair(0, 2, NearCopy, (0.9, 0.9), (300, 0)),
        ];
        let p = provenance(&documents, &pairs);
        assert_eq!(summaries(&p), vec!["0->1 copy 0.738", "1->2 copy 0.717"]);
    }

    #[test]
    fn undetermined_copies_are_kept_and_lone_documents_joined() {
        // 0 and 1: identical, same day, kept undetermined. 2 and 3:
        // undated rewrites of both; 2, alone, takes its strongest pair (with
        // 3), which leaves 3 no longer alone.
        let documents = [meta(0, "2022-02-01"), meta(1, "2022-02-01"), undated(2), undated(3)];
        let mut pairs = vec![pair(0, 1, ExactCopy, (1.0, 1.0), (0, 0))];
        for (a, b, semantic) in [(0, 2, 0.7), (1, 2, 0.8), (0, 3, 0.75), (1, 3, 0.9), (2, 3, 0.85)] {
            pairs.push(ProvenancePair { semantic, ..pair(a, b, Rewrite, (0.0, 0.0), (1000, 1000)) });
        }
        let p = provenance(&documents, &pairs);
        assert_eq!(summaries(&p), vec!["0?1 copy", "2?3 common_source"]);
    }

    #[test]
    fn result_does_not_depend_on_input_order() {
        let mut rng = crate::hash::SplitMix64(11);
        let relations = [ExactCopy, NearCopy, Exc, PartialReuse, Rewrite, Related];
        for _ in 0..300 {
            let n = 2 + (rng.next() % 6) as u32;
            let documents: Vec<ProvenanceDocument> = (0..n)
                .map(|d| match rng.next() % 3 {
                    0 => undated(d),
                    1 => meta(d, &format!("2022-02-0{}", 1 + rng.next() % 4)),
                    _ => text(d, &format!("2022-02-0{}", 1 + rng.next() % 4)),
                })
                .collect();
            let mut pairs = Vec::new();
            for a in 0..n {
                for b in a + 1..n {
                    if rng.next() % 4 == 0 {
                        continue;
                    }
                    let relation = relations[(rng.next() % 6) as usize];
                    let c = |rng: &mut crate::hash::SplitMix64| (rng.next() % 101) as f64 / 100.0;
                    let (ca, cb) = (c(&mut rng), c(&mut rng));
                    let added = ((rng.next() % 800) as usize, (rng.next() % 800) as usize);
                    let semantic = (rng.next() % 5) as f64 / 5.0;
                    pairs.push(ProvenancePair { semantic, ..pair(a, b, relation, (ca, cb), added) });
                }
            }
            let p = provenance(&documents, &pairs);
            // Acyclic: directed edges go from a document to one reachable
            // only forward in a topological order.
            let mut indegree = vec![0; n as usize];
            let directed: Vec<&ProvenanceEdge> = p.edges.iter().filter(|e| e.is_determined()).collect();
            directed.iter().for_each(|e| indegree[e.derived as usize] += 1);
            let mut ready: Vec<u32> = (0..n).filter(|&d| indegree[d as usize] == 0).collect();
            let mut seen = 0;
            while let Some(d) = ready.pop() {
                seen += 1;
                for e in directed.iter().filter(|e| e.source == d) {
                    indegree[e.derived as usize] -= 1;
                    if indegree[e.derived as usize] == 0 {
                        ready.push(e.derived);
                    }
                }
            }
            assert_eq!(seen, n, "cycle in {:?}", summaries(&p));
            assert!(p.edges.iter().all(|e| (0.0..=MAX_CONFIDENCE).contains(&e.confidence)));
            // Shuffled inputs give the same result.
            let (mut documents2, mut pairs2) = (documents.clone(), pairs.clone());
            documents2.reverse();
            pairs2.reverse();
            let k = pairs2.len();
            if k > 1 {
                pairs2.swap(0, (rng.next() % k as u64) as usize);
            }
            assert_eq!(provenance(&documents2, &pairs2), p);
        }
    }

    #[test]
    fn seeds_like_story() {
        // The seed corpus as `reprint scan` measured it with potion-base-8M
        // (containments, lexical and semantic scores from pairs.jsonl;
        // added characters from `ProvenancePair::from_report` on the texts
        // with furniture blanked out): 000 and 003 dated from their texts,
        // the rest undated; 000–001 near copies where 001 adds two
        // "Comment:" paragraphs (220 characters of sentences; its caption
        // lines are no sentences, and 000's heading, byline, category list
        // and date are furniture: 0); 001–003 partial reuse of the wire
        // text; every other pair a rewrite. These figures drift as the
        // analysis changes; the end-to-end test `seeds_provenance`
        // (crates/cli/tests/scan.rs) checks what a real run writes.
        let documents = [
            ProvenanceDocument { chars: 2693, ..text(0, "2022-02-07") },
            ProvenanceDocument { chars: 2713, ..undated(1) },
            ProvenanceDocument { chars: 2318, ..undated(2) },
            ProvenanceDocument { chars: 2671, ..text(3, "2022-02-05") },
            ProvenanceDocument { chars: 2771, ..undated(4) },
        ];
        let p = |a, b, relation, containment, added, lexical, semantic| ProvenancePair {
            lexical,
            semantic,
            ..pair(a, b, relation, containment, added)
        };
        let pairs = [
            p(0, 1, NearCopy, (0.957784, 0.891892), (0, 220), 0.862311, 0.964547),
            p(0, 2, Rewrite, (0.0, 0.0), (1872, 1575), 0.251351, 0.83383),
            p(0, 3, Rewrite, (0.055409, 0.042959), (1743, 1852), 0.371781, 0.889131),
            p(0, 4, Rewrite, (0.0, 0.0), (1872, 2338), 0.297655, 0.868716),
            p(1, 2, Rewrite, (0.0, 0.0), (2213, 1575), 0.258566, 0.855743),
            p(1, 3, PartialReuse, (0.383292, 0.205251), (1299, 1505), 0.372982, 0.907044),
            p(1, 4, Rewrite, (0.110565, 0.063781), (1952, 2172), 0.289688, 0.871591),
            p(2, 3, Rewrite, (0.0, 0.0), (1575, 2183), 0.280925, 0.892806),
            p(2, 4, Rewrite, (0.0, 0.0), (1575, 2338), 0.272951, 0.90113),
            p(3, 4, Rewrite, (0.0, 0.0), (2183, 2338), 0.414643, 0.931191),
        ];
        let got = provenance(&documents, &pairs);
        let order: Vec<u32> = got.order.iter().map(|d| d.document).collect();
        assert_eq!(order, vec![3, 0, 1, 2, 4]);
        // 002, alone after steps 1 and 2, takes its strongest candidate:
        // all undetermined common sources, so the highest signal, 004's.
        assert_eq!(summaries(&got), vec!["3->0 common_source 0.400", "0->1 copy 0.681", "2?4 common_source"]);
        let copy = &got.edges[1];
        assert_eq!(
            copy.evidence,
            vec![
                Evidence::ContainsOtherPlusAdditions {
                    source: 0,
                    derived: 1,
                    contained_share: 0.957784,
                    added_chars: 220,
                    source_added_chars: 0
                },
                Evidence::MissingDate { document: 1 },
            ]
        );
        let earlier = got.edges[0].evidence[1];
        assert_eq!(
            earlier.describe(),
            "Document 3 was published 2 days before document 0 (dates read from the texts)."
        );
        // 001–003 shares wire passages but tells no direction, and is not kept.
        let partial = pair_edge(&documents[1], &documents[3], &pairs[5]).unwrap();
        assert_eq!(summary(&partial), "3?1 rewrite");
        // Were 000's page chrome counted as its own text (300 characters
        // against 600), 001 would still be the derived one, less surely.
        let chrome = ProvenancePair { added_a: 300, added_b: 600, ..pairs[0] };
        check(documents[0], documents[1], chrome, "0->1 copy 0.618");
    }

    #[test]
    fn added_chars_counts_sentences_not_furniture() {
        let text = "## A headline of more than six words here\n\
                    by Al Mayadeen\n\
                    1. Main\n\
                    02/07/2022\n\
                    The shared article text is here and it goes on.\n\
                    Comment: This is what the reposter thinks about it.\n\
                    - a list item that has many words in it.\n\
                    Short line.";
        let shared_start = text.find("The shared").unwrap();
        let shared_end = shared_start + "The shared article text is here and it goes on.".len();
        let comment = "Comment: This is what the reposter thinks about it.";
        let comment_chars = comment.chars().filter(|c| !c.is_whitespace()).count();
        // Spans are in characters; this text is ASCII.
        assert_eq!(added_chars(text, &[(shared_start, shared_end)]), comment_chars);
        assert_eq!(added_chars(text, &[]), comment_chars + 38);
        assert_eq!(added_chars(text, &[(0, text.chars().count())]), 0);
        // A sentence cut by a passage: the part outside counts if it is one.
        let tail = "Shared words of a passage. And then six more words of its own.";
        let cut = tail.find(" And").unwrap();
        assert_eq!(added_chars(tail, &[(0, cut)]), "Andthensixmorewordsofitsown.".len());
        // Character offsets, not bytes; closing quotes after the full stop.
        let quoted = "«Über» ist gut. “He said that it was all very well indeed.”";
        let start = quoted.chars().position(|c| c == '“').unwrap();
        assert_eq!(added_chars(quoted, &[(0, start)]), "“Hesaidthatitwasallverywellindeed.”".chars().count());
    }

    #[test]
    fn from_report_counts_additions_outside_lexical_passages() {
        let a = "One two three four five six seven. Eight nine ten eleven twelve thirteen fourteen.";
        let b = "One two three four five six seven. Someone added this sentence with enough words.";
        let span = |start, end| TextSpan { start, end, ..TextSpan::default() };
        let passage =
            |kind, a_end, b_end| Passage { a: span(0, a_end), b: span(0, b_end), kind, edit_rate: 0.0, score: 1.0 };
        let report = PairReport {
            a: 4,
            b: 7,
            relation: NearCopy,
            evidence: PairEvidence {
                containment_a: 0.5,
                containment_b: 0.5,
                lexical: 0.6,
                semantic: 0.8,
                ..PairEvidence::default()
            },
            spin_score: None,
            // The paraphrase passage covers everything; only the verbatim one counts.
            passages: vec![passage(PassageKind::Verbatim, 34, 34), passage(PassageKind::Paraphrase, a.len(), b.len())],
            shared_names: Vec::new(),
        };
        let p = ProvenancePair::from_report(&report, a, b);
        assert_eq!((p.a, p.b, p.relation), (4, 7, NearCopy));
        assert_eq!((p.added_a, p.added_b), (41, 40));
        assert_eq!((p.lexical, p.semantic), (0.6, 0.8));
    }

    #[test]
    fn describe_sentences() {
        let cases = [
            (
                Evidence::ContainsOtherPlusAdditions {
                    source: 0,
                    derived: 1,
                    contained_share: 0.92,
                    added_chars: 410,
                    source_added_chars: 12,
                },
                "Document 1 holds 92 % of document 0's words plus 410 characters of sentences of its own \
                 (a caption, a note, comments), against 12 in document 0.",
            ),
            (
                Evidence::EarlierDate {
                    earlier: 2,
                    later: 5,
                    days: 1,
                    earlier_source: DateSource::Metadata,
                    later_source: DateSource::Text,
                },
                "Document 2 was published 1 day before document 5 (the date of document 5 read from its text).",
            ),
            (
                Evidence::Excerpt {
                    excerpt: 3,
                    full: 0,
                    share: 0.95,
                    full_share: 0.3,
                    excerpt_chars: 800,
                    full_chars: 3000,
                },
                "Document 3 (800 characters) reads as an excerpt of document 0 (3000): 95 % of its words lie in \
                 passages shared with it, against 30 % of document 0's (news excerpts are usually cut from the full \
                 text).",
            ),
            (Evidence::MissingDate { document: 4 }, "Document 4 has no date."),
            (
                Evidence::SameDate { date: Date::new(2022, 2, 5).unwrap(), from_text: false },
                "Both are dated 2022-02-05: the dates give no direction.",
            ),
        ];
        for (evidence, want) in cases {
            assert_eq!(evidence.describe(), want);
        }
        let named = Evidence::MissingDate { document: 1 }.describe_with(|d| format!("{d:03}.txt"));
        assert_eq!(named, "001.txt has no date.");
    }
}
