//! Names and numbers: the rare keys that tie rewrites of one story together.
//!
//! Rewrites, translations and spun paraphrases of one story share almost no
//! word n-grams, but they keep its proper names (Fumio Kishida, Kyodo,
//! Hokkaido, Galuzin), its acronyms (NATO, G7, U.S.) and its numbers (45
//! percent, 2,000 troops, 2014). A [`NameExtractor`] finds those in a text
//! and hands each one out as a [`NameKey`]: a 64-bit hash of its normalized
//! form, its kind and its byte range in the original text.
//!
//! # What is a key
//!
//! - **Names**: capitalized words. Each one is a key, and a run of two or
//!   more (`Fumio Kishida`, `Prime Minister Fumio Kishida`, `Bank of Japan`:
//!   separated by spaces on one line, through an initial's period, `George
//!   W. Bush`, or a particle such as `of`, `de`, `van`, `bin`) is a key too.
//!   A single letter (an initial) is part of a run but no key alone.
//! - **Not names**: capitalized common words — articles, pronouns,
//!   conjunctions, prepositions, auxiliaries, sentence adverbs (`However`),
//!   titles (`Mr`), and months and weekdays, which are dates rather than
//!   names and would tie together every story of the same week — wherever
//!   they stand; and the first word of a sentence when the text also uses it
//!   in lower case (`Tensions around Ukraine …` beside `tensions rose`).
//!   Sentences come from [`SentenceSplitter`].
//! - **Acronyms**: words with two or more capitals and no lower-case letter,
//!   or a capital and digits (`NATO`, `G7`, `U.S.`, `COVID`). Dots do not
//!   count, so `U.S.` and `US` are one key. A possessive `'s` is dropped
//!   (`NATO's` → `nato`). An all-capitals headline makes every word an
//!   acronym; common words among them are still dropped.
//! - **Numbers**: `45`, `2,000`, `3.5`, `2022` (leading zeros dropped:
//!   `02` is `2`). Each is a key, and with the word right after it, when
//!   that is a lower-case word that is not a common one, a second key
//!   (`2,000 troops`, `45 percent`; `45%` is `45 percent`). List markers at
//!   the start of a line (`1. `) are not numbers.
//!
//! Keys are normalized like words for matching ([`Tokenizer`]: NFKC, case
//! folding) with apostrophes and periods removed (and the commas of
//! numbers), words joined by one space, and hashed with [`token_hash`]:
//! `Kishida` in one text and `KISHIDA` in another give the same hash,
//! whatever the key's kind.
//!
//! Keys come out in text order (by start; the longer first where two start
//! together). Scripts without case (Chinese, Japanese, Thai) give numbers
//! only.
//!
//! # Cost
//!
//! Linear in the length of the text: one tokenization, one sentence split
//! and two passes over the words. The extractor keeps its buffers, so one
//! per thread reused across documents allocates only while they grow.

use crate::hash::token_hash;
use crate::sentence::{Sentence, SentenceSplitter};
use crate::token::{Tokenizer, Tokens};
use std::collections::HashSet;

/// What a key stands for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum NameKind {
    /// A capitalized word or run of words.
    Name,
    /// Capitals (and digits) only: `NATO`, `G7`, `U.S.`.
    Acronym,
    /// A number, alone or with the word after it.
    Number,
}

/// One name, acronym or number of a text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct NameKey {
    /// [`token_hash`] of the normalized key.
    pub hash: u64,
    pub kind: NameKind,
    /// Byte range in the original text.
    pub byte_start: usize,
    pub byte_end: usize,
}

/// Capitalized words that are no names, lower-cased and sorted: function
/// words, sentence adverbs, titles, months and weekdays. (`us` is missing
/// on purpose: `US` is an acronym.)
const COMMON: &[&str] = &[
    "a",
    "about",
    "according",
    "across",
    "after",
    "again",
    "against",
    "all",
    "also",
    "although",
    "am",
    "amid",
    "among",
    "an",
    "and",
    "another",
    "any",
    "apr",
    "april",
    "are",
    "around",
    "as",
    "at",
    "aug",
    "august",
    "be",
    "because",
    "been",
    "before",
    "being",
    "besides",
    "between",
    "beyond",
    "both",
    "but",
    "by",
    "can",
    "concerning",
    "could",
    "dec",
    "december",
    "despite",
    "did",
    "do",
    "does",
    "dr",
    "during",
    "each",
    "either",
    "even",
    "every",
    "feb",
    "february",
    "few",
    "following",
    "for",
    "fri",
    "friday",
    "from",
    "further",
    "furthermore",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "including",
    "inside",
    "instead",
    "is",
    "it",
    "its",
    "jan",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "just",
    "last",
    "like",
    "many",
    "mar",
    "march",
    "may",
    "me",
    "meanwhile",
    "might",
    "mon",
    "monday",
    "more",
    "moreover",
    "most",
    "mr",
    "mrs",
    "ms",
    "much",
    "must",
    "my",
    "near",
    "neither",
    "nevertheless",
    "next",
    "no",
    "nor",
    "not",
    "nov",
    "november",
    "now",
    "oct",
    "october",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "outside",
    "over",
    "per",
    "please",
    "prof",
    "rather",
    "regarding",
    "sat",
    "saturday",
    "sep",
    "sept",
    "september",
    "several",
    "shall",
    "she",
    "should",
    "since",
    "sir",
    "so",
    "some",
    "still",
    "such",
    "sun",
    "sunday",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thu",
    "thursday",
    "thus",
    "to",
    "today",
    "tomorrow",
    "too",
    "toward",
    "towards",
    "tue",
    "tuesday",
    "under",
    "unless",
    "unlike",
    "until",
    "up",
    "upon",
    "very",
    "via",
    "was",
    "we",
    "wed",
    "wednesday",
    "were",
    "what",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yes",
    "yesterday",
    "yet",
    "you",
    "your",
];

/// Lower-case particles that may stand inside a name (`Bank of Japan`,
/// `Charles de Gaulle`).
const PARTICLES: &[&str] = &["al", "bin", "da", "de", "del", "der", "di", "du", "la", "le", "of", "van", "von"];

fn is_common(word: &str) -> bool {
    COMMON.binary_search(&word).is_ok()
}

/// What a word of the text is, for the key walk.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Name,
    /// A single capital letter: inside a run only.
    Initial,
    Acronym,
    Number,
    /// A particle that may join two names.
    Particle,
    /// A lower-case word that may be a number's unit.
    Unit,
    Other,
}

/// A word with its class and its range in the original text (a possessive
/// `'s` cut off) and in [`Tokens::normalized`] (possessive, apostrophes and
/// periods removed).
#[derive(Clone, Copy, Debug)]
struct Word {
    class: Class,
    start: usize,
    end: usize,
    norm_start: usize,
    norm_end: usize,
}

/// Extracts name, acronym and number keys. Holds scratch buffers: one per
/// thread, reused across documents.
#[derive(Debug, Default)]
pub struct NameExtractor {
    splitter: SentenceSplitter,
    tokenizer: Tokenizer,
    tokens: Tokens,
    sentences: Vec<Sentence>,
    /// Words of the current text, classified.
    words: Vec<Word>,
    /// Normalized forms of the words.
    normalized: String,
    /// Hashes of the words seen in lower case in the current text.
    lower_case: HashSet<u64>,
    /// The key being built.
    key: String,
}

impl NameExtractor {
    pub fn new() -> NameExtractor {
        NameExtractor::default()
    }

    /// Writes the keys of `text` into `out` (cleared first), in text order.
    pub fn keys(&mut self, text: &str, out: &mut Vec<NameKey>) {
        out.clear();
        self.extract(text, |key, _| out.push(key));
    }

    /// The keys of `text` with their normalized strings, for debugging and
    /// tests.
    pub fn keys_with_text(&mut self, text: &str) -> Vec<(NameKey, String)> {
        let mut out = Vec::new();
        self.extract(text, |key, s| out.push((key, s.to_string())));
        out
    }

    /// [`NameExtractor::keys`] of a text already tokenized
    /// ([`Tokenizer::tokens`]) and split into sentences
    /// ([`SentenceSplitter::split`]): the same keys, without a second pass.
    /// `tokens` and `sentences` are lent and given back as they were.
    pub fn keys_of(&mut self, text: &str, tokens: &mut Tokens, sentences: &mut Vec<Sentence>, out: &mut Vec<NameKey>) {
        std::mem::swap(&mut self.tokens, tokens);
        std::mem::swap(&mut self.sentences, sentences);
        out.clear();
        self.extract_prepared(text, &mut |key, _| out.push(key));
        std::mem::swap(&mut self.tokens, tokens);
        std::mem::swap(&mut self.sentences, sentences);
    }

    fn extract(&mut self, text: &str, mut sink: impl FnMut(NameKey, &str)) {
        self.tokenizer.tokens(text, &mut self.tokens);
        self.splitter.split(text, &mut self.sentences);
        self.extract_prepared(text, &mut sink);
    }

    /// The keys of `text`, whose tokens and sentences are in `self`.
    fn extract_prepared(&mut self, text: &str, sink: &mut impl FnMut(NameKey, &str)) {
        self.classify(text);
        let words = std::mem::take(&mut self.words);
        let mut run_start = None;
        for (i, word) in words.iter().enumerate() {
            match word.class {
                Class::Name | Class::Initial | Class::Particle => {
                    let joins = i > 0 && run_start.is_some() && joined(text, &words[i - 1], word);
                    if !joins {
                        if let Some(start) = run_start.take() {
                            self.run(&words[start..i], &mut *sink);
                        }
                        if word.class != Class::Particle {
                            run_start = Some(i);
                        }
                    }
                }
                _ => {
                    if let Some(start) = run_start.take() {
                        self.run(&words[start..i], &mut *sink);
                    }
                    match word.class {
                        Class::Acronym => {
                            let hash = token_hash(self.norm(word));
                            let key =
                                NameKey { hash, kind: NameKind::Acronym, byte_start: word.start, byte_end: word.end };
                            sink(key, self.norm(word));
                        }
                        Class::Number => self.number(text, word, words.get(i + 1), &mut *sink),
                        _ => {}
                    }
                }
            }
        }
        if let Some(start) = run_start {
            self.run(&words[start..], &mut *sink);
        }
        self.words = words;
    }

    fn norm(&self, word: &Word) -> &str {
        &self.normalized[word.norm_start..word.norm_end]
    }

    /// Classifies the tokens of `text` into `self.words`.
    fn classify(&mut self, text: &str) {
        self.words.clear();
        self.normalized.clear();
        self.lower_case.clear();
        for (i, token) in self.tokens.tokens.iter().enumerate() {
            let original = &text[token.byte_start..token.byte_end];
            let mut norm = self.tokens.text(i);
            let mut end = token.byte_end;
            if let Some(stem) = norm.strip_suffix("'s") {
                if let Some(cut) = ["'s", "'S", "’s", "’S"].iter().find(|s| original.ends_with(*s)) {
                    norm = stem;
                    end -= cut.len();
                }
            }
            let norm_start = self.normalized.len();
            let number = original.starts_with(char::is_numeric);
            // Periods and apostrophes go (`u.s` → `us`), and commas of numbers.
            self.normalized.extend(norm.chars().filter(|&c| c != '\'' && (c != '.' || number) && c != ','));
            if number {
                // `02` and `2` are one number.
                let zeros = self.normalized[norm_start..].bytes().take_while(|&b| b == b'0').count();
                let rest = &self.normalized[norm_start + zeros..];
                let keep_one = !rest.starts_with(|c: char| c.is_ascii_digit());
                self.normalized.drain(norm_start..norm_start + zeros - (keep_one && zeros > 0) as usize);
            }
            let word =
                Word { class: Class::Other, start: token.byte_start, end, norm_start, norm_end: self.normalized.len() };
            if original.starts_with(char::is_lowercase) {
                self.lower_case.insert(token_hash(&self.normalized[norm_start..]));
            }
            self.words.push(word);
        }
        let mut sentence = 0;
        let mut previous_start = 0;
        for k in 0..self.words.len() {
            let word = self.words[k];
            let original = &text[word.start..word.end];
            let norm = &self.normalized[word.norm_start..word.norm_end];
            // The first word of a sentence is the first at or after its start.
            while sentence < self.sentences.len() && self.sentences[sentence].byte_end <= word.start {
                sentence += 1;
            }
            let sentence_start = self.sentences.get(sentence).map_or(usize::MAX, |s| s.byte_start);
            let first_of_sentence = word.start >= sentence_start && (k == 0 || previous_start < sentence_start);
            previous_start = word.start;
            let mut chars = original.chars();
            let first = chars.next().unwrap_or(' ');
            let class = if first.is_numeric() {
                if is_list_marker(text, word.start, word.end) {
                    Class::Other
                } else {
                    Class::Number
                }
            } else if first.is_uppercase() {
                let capitals = original.chars().filter(|c| c.is_uppercase()).count();
                let digits = original.chars().any(|c| c.is_numeric());
                let lower = original.chars().any(char::is_lowercase);
                if is_common(norm) {
                    Class::Other
                } else if !lower && (capitals >= 2 || digits) {
                    Class::Acronym
                } else if chars.next().is_none() {
                    Class::Initial
                } else if first_of_sentence && self.lower_case.contains(&token_hash(norm)) {
                    Class::Other
                } else {
                    Class::Name
                }
            } else if PARTICLES.contains(&original) {
                Class::Particle
            } else if first.is_lowercase() && !is_common(norm) && original.chars().all(char::is_alphabetic) {
                Class::Unit
            } else {
                Class::Other
            };
            self.words[k].class = class;
            if class == Class::Acronym && original.contains('.') && text[word.end..].starts_with('.') {
                // `U.S.`: the last period is part of the acronym.
                self.words[k].end += 1;
            }
        }
    }

    /// Emits the keys of a run of names, initials and particles (which ends
    /// in a name or an initial).
    fn run(&mut self, run: &[Word], sink: &mut impl FnMut(NameKey, &str)) {
        let last = run.iter().rposition(|w| w.class != Class::Particle);
        let Some(last) = last else { return };
        let run = &run[..=last];
        let names = run.iter().filter(|w| w.class != Class::Particle).count();
        if names >= 2 {
            self.key.clear();
            for (k, word) in run.iter().enumerate() {
                if k > 0 {
                    self.key.push(' ');
                }
                self.key.push_str(&self.normalized[word.norm_start..word.norm_end]);
            }
            let key = NameKey {
                hash: token_hash(&self.key),
                kind: NameKind::Name,
                byte_start: run[0].start,
                byte_end: run[last].end,
            };
            sink(key, &self.key);
        }
        for word in run.iter().filter(|w| w.class == Class::Name) {
            let norm = self.norm(word);
            sink(
                NameKey { hash: token_hash(norm), kind: NameKind::Name, byte_start: word.start, byte_end: word.end },
                norm,
            );
        }
    }

    /// Emits a number's keys: with its unit (the next word, or `%`) if it
    /// has one, then alone.
    fn number(&mut self, text: &str, word: &Word, next: Option<&Word>, sink: &mut impl FnMut(NameKey, &str)) {
        let norm = &self.normalized[word.norm_start..word.norm_end];
        let after = &text[word.end..];
        let unit = if after.starts_with('%') {
            Some(("percent", word.end + 1))
        } else {
            next.filter(|n| n.class == Class::Unit && is_space_between(between(text, word.end, n.start)))
                .map(|n| (&self.normalized[n.norm_start..n.norm_end], n.end))
        };
        if let Some((unit, end)) = unit {
            self.key.clear();
            self.key.push_str(norm);
            self.key.push(' ');
            self.key.push_str(unit);
            let key =
                NameKey { hash: token_hash(&self.key), kind: NameKind::Number, byte_start: word.start, byte_end: end };
            sink(key, &self.key);
        }
        sink(
            NameKey { hash: token_hash(norm), kind: NameKind::Number, byte_start: word.start, byte_end: word.end },
            norm,
        );
    }
}

/// The text between a word ending at `end` and the next one starting at
/// `start`: empty when the two overlap (consecutive bigrams, see the token
/// model in `token`).
fn between(text: &str, end: usize, start: usize) -> &str {
    &text[end..start.max(end)]
}

/// Whether `gap` is white space within one line (at least one character).
fn is_space_between(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(|c| c.is_whitespace() && c != '\n')
}

/// Whether two words of a name run are joined: by spaces on one line, or by
/// the period and spaces after an initial.
fn joined(text: &str, a: &Word, b: &Word) -> bool {
    let gap = between(text, a.end, b.start);
    is_space_between(gap) || (a.class == Class::Initial && gap.strip_prefix('.').is_some_and(is_space_between))
}

/// Whether the number `start..end` is a list marker: alone at the start of
/// its line and followed by `.` or `)` and a space.
fn is_list_marker(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let indent = bytes[..start].iter().rev().take_while(|&&b| b == b' ' || b == b'\t').count();
    let line_start = start - indent == 0 || bytes[start - indent - 1] == b'\n';
    line_start && matches!(bytes.get(end..end + 2), Some([b'.' | b')', b' ' | b'\t']))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of `text` as `kind:string` with the original text of each,
    /// e.g. `"name:fumio kishida=Fumio Kishida"`.
    fn keys(text: &str) -> Vec<String> {
        let found = NameExtractor::new().keys_with_text(text);
        found
            .iter()
            .map(|(key, s)| {
                assert_eq!(key.hash, token_hash(s));
                let kind = match key.kind {
                    NameKind::Name => "name",
                    NameKind::Acronym => "acronym",
                    NameKind::Number => "number",
                };
                let original = &text[key.byte_start..key.byte_end];
                if original == s {
                    format!("{kind}:{s}")
                } else {
                    format!("{kind}:{s}={original}")
                }
            })
            .collect()
    }

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(keys(text), expected, "keys of {text:?}");
    }

    #[test]
    fn names_and_runs() {
        check(
            "Prime Minister Fumio Kishida met Kyodo reporters in Hokkaido.",
            &[
                "name:prime minister fumio kishida=Prime Minister Fumio Kishida",
                "name:prime=Prime",
                "name:minister=Minister",
                "name:fumio=Fumio",
                "name:kishida=Kishida",
                "name:kyodo=Kyodo",
                "name:hokkaido=Hokkaido",
            ],
        );
        check(
            "the ambassador Mikhail Galuzin warned",
            &["name:mikhail galuzin=Mikhail Galuzin", "name:mikhail=Mikhail", "name:galuzin=Galuzin"],
        );
        check(
            "a loan from the Bank of Japan of late",
            &["name:bank of japan=Bank of Japan", "name:bank=Bank", "name:japan=Japan"],
        );
        check(
            "with George W. Bush today",
            &["name:george w bush=George W. Bush", "name:george=George", "name:bush=Bush"],
        );
    }

    #[test]
    fn runs_break_at_punctuation_and_lines() {
        check("Tokyo, Moscow\nKiev", &["name:tokyo=Tokyo", "name:moscow=Moscow", "name:kiev=Kiev"]);
        check("Japan-Russia ties", &["name:japan=Japan", "name:russia=Russia"]);
        check(
            "Russia's Foreign Ministry",
            &[
                "name:russia=Russia",
                "name:foreign ministry=Foreign Ministry",
                "name:foreign=Foreign",
                "name:ministry=Ministry",
            ],
        );
    }

    #[test]
    fn common_words_are_no_names() {
        check("The talks began. But Tokyo waited. In January, He said so.", &["name:tokyo=Tokyo"]);
        check("However, on Saturday in May the US and THE EU met.", &["acronym:us=US", "acronym:eu=EU"]);
        check("Mr Kishida spoke.", &["name:kishida=Kishida"]);
    }

    #[test]
    fn sentence_starts_seen_in_lower_case() {
        // `Tensions` opens a sentence and `tensions` occurs: no name.
        check("Tensions rose in Kyiv. The tensions grew.", &["name:kyiv=Kyiv"]);
        // `Kishida` opens a sentence and never occurs in lower case.
        check("Kishida spoke. He said tensions rose.", &["name:kishida=Kishida"]);
        // Mid-sentence a capitalized word stays a name.
        check(
            "the Tensions Festival, where tensions ran high",
            &["name:tensions festival=Tensions Festival", "name:tensions=Tensions", "name:festival=Festival"],
        );
    }

    #[test]
    fn acronyms() {
        check(
            "NATO and the G7 met the U.S. and U.N. envoys.",
            &["acronym:nato=NATO", "acronym:g7=G7", "acronym:us=U.S.", "acronym:un=U.N."],
        );
        check("NATO's military activity", &["acronym:nato=NATO"]);
        check(
            "US President Joe Biden",
            &[
                "acronym:us=US",
                "name:president joe biden=President Joe Biden",
                "name:president=President",
                "name:joe=Joe",
                "name:biden=Biden",
            ],
        );
    }

    #[test]
    fn numbers() {
        check(
            "It rose 45 percent and 45% and 3.5 points.",
            &[
                "number:45 percent",
                "number:45",
                "number:45 percent=45%",
                "number:45",
                "number:3.5 points",
                "number:3.5",
            ],
        );
        check(
            "2,000 troops arrived in 2014, and 2022 the year",
            &["number:2000 troops=2,000 troops", "number:2000=2,000", "number:2014", "number:2022"],
        );
        check(
            "### Category\n\n1. Main\n2) Politics\n3 troops",
            &["name:category=Category", "name:main=Main", "name:politics=Politics", "number:3 troops", "number:3"],
        );
    }

    #[test]
    fn leading_zeros() {
        check(
            "02/07/2022 and 0.5 and 0 and 007",
            &["number:2=02", "number:7=07", "number:2022", "number:0.5", "number:0", "number:7=007"],
        );
    }

    #[test]
    fn common_words_are_sorted() {
        assert!(COMMON.windows(2).all(|w| w[0] < w[1]));
        // Months and weekdays are capitalized but name nothing.
        for word in crate::words::MONTHS.iter().chain(&crate::words::WEEKDAYS) {
            assert!(COMMON.binary_search(word).is_ok(), "{word}");
        }
    }

    #[test]
    fn unicode_and_empty() {
        check("", &[]);
        check("no names here at all", &[]);
        check(
            "Ünïcode Straße in Zürich",
            &[
                "name:ünïcode strasse=Ünïcode Straße",
                "name:ünïcode=Ünïcode",
                "name:strasse=Straße",
                "name:zürich=Zürich",
            ],
        );
        check("東京で2022年に", &["number:2022"]);
        check("ＮＡＴＯ and Ｋｙｏｄｏ", &["acronym:nato=ＮＡＴＯ", "name:kyodo=Ｋｙｏｄｏ"]);
    }

    #[test]
    fn keys_are_in_text_order_and_reused() {
        let text = "Kyodo said Japan, NATO and 2,000 troops. Fumio Kishida agreed.";
        let mut extractor = NameExtractor::new();
        let mut out = Vec::new();
        extractor.keys(text, &mut out);
        assert!(out.windows(2).all(|w| w[0].byte_start <= w[1].byte_start));
        let first = out.clone();
        extractor.keys("Nothing", &mut out);
        assert_eq!(out.len(), 1);
        extractor.keys(text, &mut out);
        assert_eq!(out, first);
        // The same name in two texts has the same hash.
        let mut other = Vec::new();
        extractor.keys("KYODO", &mut other);
        assert_eq!(other[0].hash, first[0].hash);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]
            /// Any text: keys in order, on char boundaries, hashes of their
            /// strings.
            #[test]
            fn keys_are_well_formed(
                text in "(\\PC|[aZ .,'’%\n-]|U\\.S\\. |NATO's |Fumio Kishida |2,000 |1\\. |of |東京|🎉){0,60}"
            ) {
                let keys = NameExtractor::new().keys_with_text(&text);
                let mut last = 0;
                for (key, s) in &keys {
                    prop_assert!(key.byte_start < key.byte_end && key.byte_end <= text.len());
                    prop_assert!(text.is_char_boundary(key.byte_start) && text.is_char_boundary(key.byte_end));
                    prop_assert!(key.byte_start >= last);
                    prop_assert!(!s.is_empty());
                    prop_assert_eq!(key.hash, token_hash(s));
                    last = key.byte_start;
                }
            }
        }
    }
}
