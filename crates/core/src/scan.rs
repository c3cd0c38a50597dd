//! The stages of `reprint scan` before the pairs, as pure functions over
//! texts held in memory: boilerplate, per-document features, the story
//! corpus and the pairs to analyse. [`crate::scanner`] runs them in order;
//! [`crate::pair`] analyses the pairs.

use rayon::prelude::*;

use crate::boilerplate::BoilerSpan;
use crate::date::{date_in_text, parse_date, Date, DateSource};
use crate::embed::{StaticModel, TokenIds};
use crate::event::{anchors, quotes, token_range, Candidate, EventSignals, Scorer, LEDE_BYTES};
use crate::isolate::{isolate, or_default, InternalError, Subject};
use crate::names::{NameExtractor, NameKey, NameKind};
use crate::sentence::{Sentence, SentenceSplitter};
use crate::story::{terms_in, Edge, StoryConfig, StoryCorpus, TermExtractor, Terms};
use crate::token::{Tokenizer, Tokens};

/// One input document, as the pipeline needs it.
#[derive(Clone, Copy, Debug)]
pub struct DocIn<'a> {
    /// The text with boilerplate blanked out (see [`blank_out`]).
    pub text: &'a str,
    /// The text as given (dates are read from it: a page's date often
    /// stands among its furniture).
    pub raw: &'a str,
    pub title: Option<&'a str>,
    /// The date from the record's metadata, as given.
    pub date: Option<&'a str>,
    /// Fault injection for the tests of [`crate::isolate`]: analysing this
    /// document panics. Binaries set it only from an explicit testing
    /// switch (`REPRINT_INJECT_PANIC` in the CLI).
    #[doc(hidden)]
    pub inject_panic: bool,
}

/// What the pipeline keeps per document.
#[derive(Clone, Debug)]
pub struct DocFeatures {
    pub terms: Terms,
    /// Unit-length document embedding (empty without a model).
    pub embedding: Vec<f32>,
    pub date: Option<(Date, DateSource)>,
    /// Name keys (not numbers) and how the first occurrence is written,
    /// sorted by key and deduplicated.
    pub names: Vec<(u64, Box<str>)>,
    /// ISO 639-3 code of the title and text without boilerplate
    /// ([`crate::lang::detect`]), or `"und"`.
    pub language: &'static str,
    /// What the story scorer needs besides the terms and the embedding.
    pub signals: EventSignals,
}

/// Nothing known: what a document whose analysis failed gets.
impl Default for DocFeatures {
    fn default() -> DocFeatures {
        DocFeatures {
            terms: Terms::default(),
            embedding: Vec::new(),
            date: None,
            names: Vec::new(),
            language: crate::lang::UNDETERMINED,
            signals: EventSignals::default(),
        }
    }
}

/// How many times a title's words (without a title: the first sentence's)
/// count in a document's terms.
pub const TITLE_WEIGHT: u32 = 3;

/// `a + times × b` for two sorted count lists.
fn merge_counts(a: &[(u64, u32)], b: &[(u64, u32)], times: u32) -> Terms {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push((b[j].0, b[j].1 * times));
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1 * times));
            i += 1;
            j += 1;
        }
    }
    out
}

/// Sentences with at least this many words carry a document's embedding.
pub(crate) const MIN_EMBED_WORDS: usize = 4;

/// Per-thread scratch of [`features`].
#[derive(Default)]
pub struct Scratch {
    tokenizer: Tokenizer,
    tokens: Tokens,
    terms: TermExtractor,
    splitter: SentenceSplitter,
    sentences: Vec<Sentence>,
    ids: TokenIds,
    vector: Vec<f32>,
    names: NameExtractor,
    keys: Vec<NameKey>,
}

/// The features of one document.
pub fn features(doc: &DocIn, model: Option<&StaticModel>, s: &mut Scratch) -> DocFeatures {
    assert!(!doc.inject_panic, "injected panic (fault-isolation test)");
    let full: std::borrow::Cow<str> = match doc.title {
        Some(t) if !t.is_empty() && !doc.text.starts_with(t) => format!("{t}\n\n{}", doc.text).into(),
        _ => doc.text.into(),
    };
    let title = doc.title.filter(|t| !t.trim().is_empty());
    // One tokenization and one sentence split of the text serve the terms,
    // the headline's terms, the names and the embedding. Without a title,
    // `full` is the text (a blank title only adds white space the splitter
    // trims), so its first sentence is the lede.
    s.tokenizer.tokens(&full, &mut s.tokens);
    s.splitter.split(&full, &mut s.sentences);
    let language = crate::lang::detect(&full);
    let mut terms = terms_in(&s.tokens, 0..s.tokens.len(), language);
    // A headline is the densest statement of the event: its words count
    // TITLE_WEIGHT times (once from the text above, the rest here).
    // Without a title, the lede (first sentence) stands in for it. `full`
    // starts with the title; its words are the tokens inside it, unless a
    // token runs on past its end (a text that starts with the title's
    // words), when the title is tokenized on its own.
    let headline = match title {
        Some(title) => Some(0..title.len()),
        None => s.sentences.first().map(|first| first.byte_start..first.byte_end),
    };
    let mut signals = EventSignals::default();
    if let Some(bytes) = headline.clone() {
        let range = token_range(&s.tokens, bytes.clone());
        let straddles = s.tokens.tokens.get(range.end).is_some_and(|t| t.byte_start < bytes.end);
        let extra =
            if straddles { s.terms.terms_in(&full[bytes], language) } else { terms_in(&s.tokens, range, language) };
        terms = merge_counts(&terms, &extra, TITLE_WEIGHT - 1);
        signals.headline = extra;
    }
    // The lede: the start of the text after the title.
    let body = full.len() - doc.text.len();
    let lede_end = (body + LEDE_BYTES).min(full.len());
    signals.lede = terms_in(&s.tokens, token_range(&s.tokens, body..lede_end), language);
    signals.quotes = quotes(&full, &s.tokens);
    signals.anchors = anchors(&s.tokens);
    let date = match doc.date.and_then(parse_date) {
        Some(d) => Some((d, DateSource::Metadata)),
        None => date_in_text(doc.raw).map(|(d, _, _)| (d, DateSource::Text)),
    };
    let mut embedding = Vec::new();
    if let Some(model) = model {
        embedding = vec![0f32; model.dim()];
        s.vector.resize(model.dim(), 0.0);
        model.token_ids(&full, &mut s.ids);
        // A language the model does not read gets no embedding (all zeros:
        // a cosine of 0 with every other document).
        if s.ids.covered() {
            let mut used = 0;
            for sentence in &s.sentences {
                let range = s.ids.range(sentence.byte_start..sentence.byte_end);
                if range.len() < MIN_EMBED_WORDS {
                    continue;
                }
                model.pool(&s.ids.ids[range], &mut s.vector);
                embedding.iter_mut().zip(&s.vector).for_each(|(e, v)| *e += v);
                used += 1;
            }
            if used == 0 {
                model.pool(&s.ids.ids, &mut embedding);
            }
            if let Some(bytes) = headline {
                let range = s.ids.range(bytes);
                if !range.is_empty() {
                    let mut h = vec![0f32; model.dim()];
                    model.pool(&s.ids.ids[range], &mut h);
                    normalize(&mut h);
                    signals.headline_embedding = h;
                }
            }
        }
        normalize(&mut embedding);
    }
    s.names.keys_of(&full, &mut s.tokens, &mut s.sentences, &mut s.keys);
    let mut names: Vec<(u64, Box<str>)> = s
        .keys
        .iter()
        .filter(|k| k.kind != NameKind::Number)
        .map(|k| (k.hash, full[k.byte_start..k.byte_end].into()))
        .collect();
    names.sort_by_key(|&(h, _)| h);
    names.dedup_by_key(|&mut (h, _)| h);
    signals.names = names.iter().map(|&(h, _)| h).collect();
    signals.numbers = s.keys.iter().filter(|k| k.kind == NameKind::Number).map(|k| k.hash).collect();
    signals.numbers.sort_unstable();
    signals.numbers.dedup();
    DocFeatures { terms, embedding, date, names, language, signals }
}

/// The text with every character of `spans` (boilerplate) replaced by white
/// space of the same length in bytes, line breaks kept: byte and character
/// offsets stay those of the original, and the furniture can neither seed
/// a passage nor count as a word.
pub fn blank_out(text: &str, spans: &[crate::boilerplate::BoilerSpan]) -> String {
    if spans.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(&text[at..span.byte_start]);
        for c in text[span.byte_start..span.byte_end].chars() {
            out.push(match c.len_utf8() {
                _ if c == '\n' || c == '\r' => c,
                1 => ' ',
                2 => '\u{A0}',    // no-break space
                3 => '\u{2002}',  // en space
                _ => '\u{E0020}', // tag space: a format character, never a word
            });
        }
        at = span.byte_end;
    }
    out.push_str(&text[at..]);
    out
}

/// Boilerplate of every document: built-in patterns, and lines recurring in
/// at least [`crate::boilerplate::DEFAULT_MIN_GROUPS`] near-duplicate
/// clusters (`clusters[i]` is document `i`'s cluster).
///
/// A document whose analysis panics ([`isolate`]) gets no boilerplate and
/// an [`InternalError`].
pub fn all_boilerplate(texts: &[&str], clusters: &[u32]) -> (Vec<Vec<BoilerSpan>>, Vec<InternalError>) {
    use crate::boilerplate::{line_hashes, BoilerplateIndex, Scratch as BoilerScratch, DEFAULT_MIN_GROUPS};
    // Each text's line hashes in parallel; then counted in cluster order.
    let hashes: Vec<Result<Vec<u64>, InternalError>> = texts
        .par_iter()
        .enumerate()
        .map_init(String::new, |normalized, (i, text)| {
            isolate("boilerplate", Subject::Document(i as u32), || {
                let mut out = Vec::new();
                line_hashes(text, normalized, &mut out);
                out
            })
        })
        .collect();
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&i| (clusters[i], i));
    let mut index = BoilerplateIndex::new(DEFAULT_MIN_GROUPS);
    let mut errors = Vec::new();
    for i in order {
        let added = match &hashes[i] {
            Ok(h) => isolate("boilerplate", Subject::Document(i as u32), || index.add_hashes(h, clusters[i])),
            Err(e) => Err(e.clone()),
        };
        if let Err(e) = added {
            errors.push(e);
        }
    }
    drop(hashes);
    let boilerplate = index.finish();
    let spans: Vec<Result<Vec<BoilerSpan>, InternalError>> = texts
        .par_iter()
        .enumerate()
        .map_init(BoilerScratch::default, |scratch, (i, text)| {
            let found = isolate("boilerplate", Subject::Document(i as u32), || {
                let mut out = Vec::new();
                boilerplate.spans_with(text, scratch, &mut out);
                out
            });
            if found.is_err() {
                *scratch = BoilerScratch::default();
            }
            found
        })
        .collect();
    let spans = or_default(spans, &mut errors);
    (spans, errors)
}

/// [`features`] of every document, in parallel. A document whose analysis
/// panics ([`isolate`]) gets empty features (it joins no story) and an
/// [`InternalError`].
pub fn all_features(docs: &[DocIn], model: Option<&StaticModel>) -> (Vec<DocFeatures>, Vec<InternalError>) {
    let results: Vec<Result<DocFeatures, InternalError>> = docs
        .par_iter()
        .enumerate()
        .map_init(Scratch::default, |s, (i, d)| {
            let result = isolate("features", Subject::Document(i as u32), || features(d, model, s));
            if result.is_err() {
                *s = Scratch::default();
            }
            result
        })
        .collect();
    let mut errors = Vec::new();
    let features = or_default(results, &mut errors);
    (features, errors)
}

fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Builds the story corpus from features (moves the terms out).
pub fn story_corpus(config: StoryConfig, features: &mut [DocFeatures], dim: usize) -> StoryCorpus {
    let terms: Vec<Terms> = features.iter_mut().map(|f| std::mem::take(&mut f.terms)).collect();
    let dates = features.iter().map(|f| f.date.map(|(d, _)| d.days())).collect();
    let mut embeddings = Vec::new();
    if dim > 0 {
        embeddings.reserve(features.len() * dim);
        for f in features.iter_mut() {
            if f.embedding.len() == dim {
                embeddings.extend_from_slice(&f.embedding);
            } else {
                embeddings.extend(std::iter::repeat_n(0.0, dim));
            }
            f.embedding = Vec::new();
        }
    }
    // One date and `dim` floats (or none) per document, by construction.
    StoryCorpus::new(config, &terms, dates, embeddings, dim).expect("one date and embedding per document")
}

/// The story corpus built from `features` (terms and embeddings moved
/// out), the event signals (moved out) and the candidate pairs.
pub fn story_candidates(
    config: &StoryConfig,
    features: &mut [DocFeatures],
    dim: usize,
) -> (StoryCorpus, Vec<EventSignals>, Vec<Candidate>) {
    let signals: Vec<EventSignals> = features.iter_mut().map(|f| std::mem::take(&mut f.signals)).collect();
    let corpus = story_corpus(config.clone(), features, dim);
    let candidates = corpus.candidates(&config.candidates);
    (corpus, signals, candidates)
}

/// The story tier's scored pairs: the story corpus built from `features`
/// (terms, embeddings and signals moved out), its candidate pairs, and
/// each one's story probability and thread score ([`crate::event`]),
/// sorted by `(a, b)`.
pub fn story_edges(config: &StoryConfig, features: &mut [DocFeatures], dim: usize) -> (StoryCorpus, Vec<Edge>) {
    let (corpus, signals, candidates) = story_candidates(config, features, dim);
    let edges = {
        let scorer = Scorer::new(&corpus, signals);
        let x = scorer.features(&candidates);
        candidates
            .par_iter()
            .zip(&x)
            .map(|(c, x)| {
                let (a, b) = (c.a as usize, c.b as usize);
                Edge {
                    a: c.a,
                    b: c.b,
                    lexical: c.lexical,
                    semantic: c.semantic,
                    score: scorer.story(a, b, x),
                    thread: scorer.thread(a, b, x),
                }
            })
            .collect()
    };
    (corpus, edges)
}

/// Pairs inside stories to analyse: all pairs of stories up to
/// `all_pairs_up_to` documents; in larger stories, the scored pairs only.
/// `members` is [`crate::story::members`] of `stories`.
pub fn story_pairs(
    members: &[Vec<u32>],
    stories: &[u32],
    edges: &[crate::story::Edge],
    all_pairs_up_to: usize,
) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for m in members.iter().filter(|m| m.len() >= 2 && m.len() <= all_pairs_up_to) {
        for (i, &a) in m.iter().enumerate() {
            for &b in &m[i + 1..] {
                out.push((a, b));
            }
        }
    }
    for e in edges {
        let s = stories[e.a as usize];
        if s == stories[e.b as usize] && members[s as usize].len() > all_pairs_up_to {
            out.push((e.a, e.b));
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::token_hash;
    use crate::words::stem;

    #[test]
    fn blanking_out_keeps_offsets() {
        let text = "Story text.\nLeave a Reply é€ 😀\nEnd";
        let start = text.find("Leave").unwrap();
        let end = text.find("\nEnd").unwrap();
        let span = crate::boilerplate::BoilerSpan {
            byte_start: start,
            byte_end: end,
            char_start: text[..start].chars().count(),
            char_end: text[..end].chars().count(),
            reason: crate::boilerplate::Reason::Builtin("test"),
        };
        let out = blank_out(text, &[span]);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.chars().count(), text.chars().count());
        assert!(out.starts_with("Story text.\n") && out.ends_with("\nEnd"));
        assert!(crate::token::words(&out).iter().all(|w| w != "leave" && w != "reply"), "{out:?}");
        assert_eq!(crate::token::words(&out), vec!["story", "text", "end"]);
    }

    #[test]
    fn title_words_count_more() {
        assert_eq!(merge_counts(&[(1, 1), (3, 2)], &[(2, 1), (3, 1)], 2), vec![(1, 1), (2, 2), (3, 4)]);
        let mut s = Scratch::default();
        let plain = DocIn {
            text: "Floods hit the valley town. Rescuers came at noon.",
            raw: "",
            title: None,
            date: None,
            inject_panic: false,
        };
        let titled = DocIn { title: Some("Valley floods"), ..plain };
        let count = |f: &DocFeatures, w: &str| {
            let h = token_hash(stem(w));
            f.terms.iter().find(|&&(x, _)| x == h).map_or(0, |&(_, c)| c)
        };
        let (a, b) = (features(&plain, None, &mut s), features(&titled, None, &mut s));
        // Without a title, the lede's words count TITLE_WEIGHT times.
        assert_eq!((count(&a, "town"), count(&a, "rescuers")), (TITLE_WEIGHT, 1));
        // With one, the title's words do (once in the text, once in the
        // title as prepended, the rest extra), and the lede is plain text.
        assert_eq!((count(&b, "valley"), count(&b, "town"), count(&b, "rescuers")), (1 + TITLE_WEIGHT, 1, 1));
    }

    #[test]
    fn story_pairs_small_and_large_stories() {
        // Story 0: docs 0, 1, 2 (all pairs); story 1: docs 3..7 (edges only
        // with all_pairs_up_to = 3); doc 8 alone.
        let stories = [0, 0, 0, 1, 1, 1, 1, 2];
        let e = |a, b| crate::story::Edge { a, b, lexical: 0.5, semantic: 0.0, score: 0.5, thread: 0.5 };
        let edges = [e(0, 1), e(3, 4), e(4, 6), e(2, 7)];
        let members = crate::story::members(&stories);
        assert_eq!(story_pairs(&members, &stories, &edges, 3), vec![(0, 1), (0, 2), (1, 2), (3, 4), (4, 6)]);
    }
}
