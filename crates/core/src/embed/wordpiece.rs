//! The BERT tokenizer of HuggingFace `tokenizers`, reimplemented for the
//! configurations model2vec models use: `BertNormalizer`, `BertPreTokenizer`
//! and a `WordPiece` model, plus added tokens matched on the raw text.
//!
//! What each stage does, in the order `tokenizers` applies it:
//!
//! 1. Added tokens (`[CLS]`, `[UNK]`, …, all with `normalized: false`) are
//!    cut out of the raw text first, leftmost-longest, case-sensitively.
//! 2. `BertNormalizer`: `clean_text` drops U+0000, U+FFFD and characters of
//!    category Cc, Cf or Co (except tab, line feed and carriage return) and
//!    turns white space into a space; `handle_chinese_chars` puts spaces
//!    around CJK ideographs; `strip_accents` (when unset: the value of
//!    `lowercase`) decomposes to NFD and drops nonspacing marks (Mn);
//!    `lowercase` maps each character with `char::to_lowercase`.
//! 3. `BertPreTokenizer`: splits at white space (dropped) and around every
//!    punctuation character (ASCII punctuation or Unicode category P*),
//!    which becomes a word of its own.
//! 4. `WordPiece`: a word longer than `max_input_chars_per_word` characters
//!    is unknown; otherwise it is cut greedily into the longest vocabulary
//!    entry at its start, then the longest `##`-continuation, and so on; a
//!    word with a remainder no entry covers is unknown as a whole.
//!
//! Character categories come from the `unicode_categories` crate, the one
//! `tokenizers` uses, so the same (older) Unicode tables decide.
//!
//! The walk is one pass over the text with no allocation per word: ASCII
//! bytes go through a 128-entry table built from the same rules at load time;
//! other characters take the general path. Vocabulary lookups never build
//! strings: continuation entries live in their own table without the
//! prefix, entries of up to 16 bytes are compared as packed integers, and
//! no lookup is longer than the longest entry.

use std::collections::HashMap;

use serde_json::Value;
use unicode_categories::UnicodeCategories;
use unicode_normalization::char::decompose_canonical;

use super::{ModelError, TokenIds};

const FILE: &str = "tokenizer.json";

/// Entries longer than this many bytes live in a `HashMap`; shorter ones
/// (almost all) are packed into a `u128` and found with one multiply and
/// a compare or two.
const PACKED: usize = 16;

/// Vocabulary entries → ids: an open-addressing table of packed short
/// entries, and a map for the rest.
///
/// Most lookups miss (WordPiece tries the longest candidate first), so a
/// probe first reads a 16-bit tag from a small array that stays in cache
/// (128 KB for potion-base-8M's vocabulary) and touches the 24-byte slot
/// only when the tag matches.
#[derive(Clone, Debug, Default)]
struct Vocabulary {
    /// Per slot: 0 if empty, else 0x8000 | 15 bits of the key's hash.
    tags: Vec<u16>,
    slots: Vec<Slot>,
    /// log2 of the number of slots.
    bits: u32,
    long: HashMap<Box<str>, u32>,
    /// Length in bytes of the longest entry.
    longest: usize,
}

/// A packed entry.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: [u64; 2],
    id: u32,
    len: u8,
}

/// The first 16 bytes of `bytes` as a little-endian `u128`, zero-padded.
/// Byte by byte: the bytes were just written one at a time, and a wide load
/// of them would wait for the stores to drain.
#[inline]
fn pack(bytes: &[u8]) -> u128 {
    bytes.iter().take(PACKED).enumerate().fold(0, |key, (i, &b)| key | (b as u128) << (8 * i))
}

#[inline]
fn halves(key: u128) -> [u64; 2] {
    [key as u64, (key >> 64) as u64]
}

/// The first `len` bytes of a packed key.
#[inline]
fn prefix(key: u128, len: usize) -> u128 {
    if len >= PACKED {
        key
    } else {
        key & ((1u128 << (8 * len)) - 1)
    }
}

impl Vocabulary {
    fn new(entries: &[(&str, u32)]) -> Vocabulary {
        let short = entries.iter().filter(|(k, _)| !k.is_empty() && k.len() <= PACKED).count();
        let bits = (short * 2).max(16).next_power_of_two().trailing_zeros();
        let mut vocabulary = Vocabulary {
            tags: vec![0; 1 << bits],
            slots: vec![Slot::default(); 1 << bits],
            bits,
            ..Vocabulary::default()
        };
        for &(key, id) in entries {
            vocabulary.longest = vocabulary.longest.max(key.len());
            if key.is_empty() {
                // Never looked up: a lookup is at least one character.
            } else if key.len() > PACKED {
                vocabulary.long.insert(key.into(), id);
            } else {
                let (packed, len) = (pack(key.as_bytes()), key.len() as u8);
                let (mut i, tag) = vocabulary.hash(packed, len);
                loop {
                    let slot = &mut vocabulary.slots[i];
                    if vocabulary.tags[i] == 0 || (slot.key == halves(packed) && slot.len == len) {
                        *slot = Slot { key: halves(packed), len, id };
                        vocabulary.tags[i] = tag;
                        break;
                    }
                    i = (i + 1) & (vocabulary.slots.len() - 1);
                }
            }
        }
        vocabulary
    }

    /// The first slot to probe and the tag.
    #[inline]
    fn hash(&self, key: u128, len: u8) -> (usize, u16) {
        let (low, high) = (key as u64, (key >> 64) as u64);
        let h = low.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (high ^ len as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        let h = (h ^ (h >> 29)).wrapping_mul(0x1656_67B1_9E37_79F9);
        ((h >> (64 - self.bits)) as usize, 0x8000 | (h as u16 & 0x7fff))
    }

    /// The id of the packed entry `key` of `len` bytes (1 to 16).
    #[inline]
    fn get_packed(&self, key: u128, len: usize) -> Option<u32> {
        let len = len as u8;
        let (mut i, tag) = self.hash(key, len);
        loop {
            let t = self.tags[i];
            if t == tag {
                let slot = &self.slots[i];
                if slot.len == len && slot.key == halves(key) {
                    return Some(slot.id);
                }
            } else if t == 0 {
                return None;
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }

    fn get(&self, key: &str) -> Option<u32> {
        match key.len() {
            0 => None,
            len if len <= PACKED => self.get_packed(pack(key.as_bytes()), len),
            _ => self.long.get(key).copied(),
        }
    }
}

/// What an ASCII character does after normalization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ascii {
    /// Removed by `clean_text`.
    Skip,
    /// White space: ends the current word.
    Space,
    /// Punctuation: a word of its own.
    Punctuation,
    /// Part of a word, as this (possibly lowercased) byte.
    Word(u8),
}

/// A BERT WordPiece tokenizer read from `tokenizer.json`.
#[derive(Clone, Debug)]
pub(crate) struct WordPiece {
    clean_text: bool,
    chinese: bool,
    strip_accents: bool,
    lowercase: bool,
    ascii: [Ascii; 128],
    /// Entries that can start a word.
    words: Vocabulary,
    /// Continuation entries, without the prefix.
    pieces: Vocabulary,
    max_chars: usize,
    unknown: u32,
    /// Added tokens, longest first.
    added: Vec<(Box<str>, u32)>,
    /// Bytes that can start an added token.
    added_first: [bool; 256],
    /// One more than the largest id.
    vocab_size: usize,
}

/// Per-walk scratch: the current word, normalized, and the original byte
/// offset of each of its bytes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Word {
    text: String,
    /// The first 16 bytes of `text`, packed as they are pushed.
    head: u128,
    origins: Vec<u32>,
    chars: usize,
    /// Characters past this many are counted, not stored: the word is
    /// unknown anyway.
    limit: usize,
    normalized: Vec<char>,
}

fn field<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key)).filter(|v| !v.is_null())
}

fn unsupported(field: &str, found: &Value, supported: &'static str) -> ModelError {
    ModelError::Unsupported { file: FILE, field: field.to_string(), found: found.to_string(), supported }
}

fn bad_field(field: &str, reason: impl Into<String>) -> ModelError {
    ModelError::Field { file: FILE, field: field.to_string(), reason: reason.into() }
}

fn flag(config: &Value, path: &str, default: bool) -> Result<bool, ModelError> {
    match field(config, path) {
        None => Ok(default),
        Some(v) => v.as_bool().ok_or_else(|| bad_field(path, format!("expected true or false, found {v}"))),
    }
}

impl WordPiece {
    pub(crate) fn from_json(json: &Value) -> Result<WordPiece, ModelError> {
        let model_type = field(json, "model.type").unwrap_or(&Value::Null);
        if model_type.as_str() != Some("WordPiece") {
            return Err(unsupported("model.type", model_type, "WordPiece"));
        }
        let normalizer = field(json, "normalizer");
        let (clean_text, chinese, strip_accents, lowercase) = match normalizer {
            None => (false, false, false, false),
            Some(n) => {
                let kind = n.get("type").unwrap_or(&Value::Null);
                if kind.as_str() != Some("BertNormalizer") {
                    return Err(unsupported("normalizer.type", kind, "BertNormalizer (or no normalizer)"));
                }
                let lowercase = flag(json, "normalizer.lowercase", true)?;
                (
                    flag(json, "normalizer.clean_text", true)?,
                    flag(json, "normalizer.handle_chinese_chars", true)?,
                    flag(json, "normalizer.strip_accents", lowercase)?,
                    lowercase,
                )
            }
        };
        let pre_tokenizer = field(json, "pre_tokenizer.type").unwrap_or(&Value::Null);
        if pre_tokenizer.as_str() != Some("BertPreTokenizer") {
            return Err(unsupported("pre_tokenizer.type", pre_tokenizer, "BertPreTokenizer"));
        }

        let prefix = match field(json, "model.continuing_subword_prefix") {
            None => "##",
            Some(v) => v.as_str().ok_or_else(|| bad_field("model.continuing_subword_prefix", "not a string"))?,
        };
        let max_chars = match field(json, "model.max_input_chars_per_word") {
            None => 100,
            Some(v) => v
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| bad_field("model.max_input_chars_per_word", "not a non-negative integer"))?,
        };
        let vocab = field(json, "model.vocab")
            .and_then(Value::as_object)
            .ok_or_else(|| bad_field("model.vocab", "missing or not an object of token → id"))?;
        let mut words = Vec::with_capacity(vocab.len());
        let mut pieces = Vec::new();
        let mut vocab_size = 0usize;
        for (token, id) in vocab {
            let id = id
                .as_u64()
                .and_then(|id| u32::try_from(id).ok())
                .filter(|&id| id < u32::MAX)
                .ok_or_else(|| bad_field("model.vocab", format!("the id of {token:?} is {id}, not a 32-bit id")))?;
            vocab_size = vocab_size.max(id as usize + 1);
            match token.strip_prefix(prefix) {
                Some(rest) if !prefix.is_empty() => {
                    pieces.push((rest, id));
                }
                _ => {}
            }
            words.push((token.as_str(), id));
        }
        let unknown_token = field(json, "model.unk_token")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_field("model.unk_token", "missing or not a string"))?;
        let (words, pieces) = (Vocabulary::new(&words), Vocabulary::new(&pieces));
        let unknown = words
            .get(unknown_token)
            .ok_or_else(|| bad_field("model.unk_token", format!("{unknown_token:?} is not in model.vocab")))?;

        let mut added = Vec::new();
        if let Some(list) = field(json, "added_tokens") {
            let list = list.as_array().ok_or_else(|| bad_field("added_tokens", "not an array"))?;
            for (i, token) in list.iter().enumerate() {
                let name = format!("added_tokens[{i}]");
                let content = token
                    .get("content")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad_field(&name, "no \"content\" string"))?;
                let id = token
                    .get("id")
                    .and_then(Value::as_u64)
                    .and_then(|id| u32::try_from(id).ok())
                    .filter(|&id| id < u32::MAX)
                    .ok_or_else(|| bad_field(&name, "no 32-bit \"id\""))?;
                if flag(token, "normalized", true)? {
                    return Err(unsupported(
                        &format!("{name}.normalized"),
                        &Value::Bool(true),
                        "added tokens matched on the raw text (normalized: false)",
                    ));
                }
                if flag(token, "single_word", false)? {
                    return Err(unsupported(&format!("{name}.single_word"), &Value::Bool(true), "single_word: false"));
                }
                // lstrip and rstrip only move white space into the token's
                // span; the pre-tokenizer drops that white space anyway.
                vocab_size = vocab_size.max(id as usize + 1);
                if !content.is_empty() {
                    added.push((Box::<str>::from(content), id));
                }
            }
        }
        added.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let mut added_first = [false; 256];
        for (content, _) in &added {
            added_first[content.as_bytes()[0] as usize] = true;
        }

        let mut tokenizer = WordPiece {
            clean_text,
            chinese,
            strip_accents,
            lowercase,
            ascii: [Ascii::Skip; 128],
            words,
            pieces,
            max_chars,
            unknown,
            added,
            added_first,
            vocab_size,
        };
        tokenizer.ascii = std::array::from_fn(|b| tokenizer.classify_ascii(b as u8));
        Ok(tokenizer)
    }

    pub(crate) fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    pub(crate) fn unknown(&self) -> u32 {
        self.unknown
    }

    /// Runs the general path on one ASCII character to fill the fast table.
    fn classify_ascii(&self, b: u8) -> Ascii {
        let c = b as char;
        if self.clean_text {
            if is_control(c) || c == '\0' {
                return Ascii::Skip;
            }
            if is_bert_whitespace(c) {
                return Ascii::Space;
            }
        }
        // NFD leaves ASCII alone and no ASCII character is a mark.
        let n = if self.lowercase { c.to_ascii_lowercase() } else { c };
        if n.is_whitespace() {
            Ascii::Space
        } else if is_bert_punctuation(n) {
            Ascii::Punctuation
        } else {
            Ascii::Word(n as u8)
        }
    }

    /// Token ids of `text` with the byte offset in `text` where each token
    /// starts. Unknown tokens are left out.
    pub(crate) fn tokenize(&self, text: &str, out: &mut TokenIds) {
        out.ids.clear();
        out.starts.clear();
        let mut text = text;
        if text.len() > u32::MAX as usize {
            let mut end = u32::MAX as usize;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text = &text[..end];
        }
        let TokenIds { ids, starts, words, whole_words, word } = out;
        *words = 0;
        *whole_words = 0;
        let mut sink = Sink { ids, starts, unknown: self.unknown, words, whole_words };
        word.clear();
        word.limit = self.max_chars;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if self.added_first[b as usize] {
                if let Some((content, id)) = self.added.iter().find(|(c, _)| bytes[i..].starts_with(c.as_bytes())) {
                    self.finish(word, &mut sink);
                    sink.push(*id, i);
                    i += content.len();
                    continue;
                }
            }
            if b < 0x80 {
                match self.ascii[b as usize] {
                    Ascii::Word(n) => word.push_ascii(n, i),
                    Ascii::Space => self.finish(word, &mut sink),
                    Ascii::Punctuation => {
                        self.finish(word, &mut sink);
                        word.push_ascii(b, i);
                        self.finish(word, &mut sink);
                    }
                    Ascii::Skip => {}
                }
                i += 1;
            } else {
                let Some(c) = text[i..].chars().next() else { break };
                self.general(c, i, word, &mut sink);
                i += c.len_utf8();
            }
        }
        self.finish(word, &mut sink);
    }

    /// The general path for one character at byte `origin`.
    fn general(&self, c: char, origin: usize, word: &mut Word, sink: &mut Sink<'_>) {
        if self.clean_text {
            if c == '\0' || c == '\u{fffd}' || is_control(c) {
                return;
            }
            if is_bert_whitespace(c) {
                self.finish(word, sink);
                return;
            }
        }
        let chinese = self.chinese && is_chinese_char(c);
        if chinese {
            self.finish(word, sink);
            // A CJK character is a word of its own, never one the coverage
            // counts as known whole: a WordPiece vocabulary that spells
            // Chinese character by character does not cover it.
            *sink.words += 1;
        }
        let mut normalized = std::mem::take(&mut word.normalized);
        normalized.clear();
        let mut lower = |d: char| {
            if self.lowercase {
                normalized.extend(d.to_lowercase());
            } else {
                normalized.push(d);
            }
        };
        if self.strip_accents {
            decompose_canonical(c, |d| {
                if !d.is_mark_nonspacing() {
                    lower(d);
                }
            });
        } else {
            lower(c);
        }
        for &n in &normalized {
            if n.is_whitespace() {
                self.finish(word, sink);
            } else if is_bert_punctuation(n) {
                self.finish(word, sink);
                word.push(n, origin);
                self.finish(word, sink);
            } else {
                word.push(n, origin);
            }
        }
        word.normalized = normalized;
        if chinese {
            self.finish(word, sink);
        }
    }

    /// WordPiece on the current word, which is then cleared.
    fn finish(&self, word: &mut Word, sink: &mut Sink<'_>) {
        if word.chars == 0 {
            return;
        }
        // Coverage counts words of two characters or more (not punctuation
        // or single letters; CJK characters are counted in `general`).
        let counted = word.chars >= 2;
        *sink.words += u32::from(counted);
        if word.chars <= self.max_chars {
            let mark = sink.ids.len();
            let text = word.text.as_str();
            let bytes = text.as_bytes();
            let mut start = 0;
            while start < text.len() {
                let vocab = if start == 0 { &self.words } else { &self.pieces };
                let mut end = text.len().min(start + vocab.longest);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                // Candidates of up to 16 bytes are prefixes of one packed window.
                let window = if start == 0 { word.head } else { pack(&bytes[start..]) };
                let id = loop {
                    if end <= start {
                        break None;
                    }
                    let len = end - start;
                    let found = if len <= PACKED {
                        vocab.get_packed(prefix(window, len), len)
                    } else {
                        vocab.long.get(&text[start..end]).copied()
                    };
                    if found.is_some() {
                        break found;
                    }
                    end -= 1;
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                };
                match id {
                    Some(id) => {
                        if counted && start == 0 && end == text.len() && id != sink.unknown {
                            *sink.whole_words += 1;
                        }
                        sink.push(id, word.origins[start] as usize);
                        start = end;
                    }
                    None => {
                        // One uncovered remainder makes the whole word unknown.
                        sink.ids.truncate(mark);
                        sink.starts.truncate(mark);
                        break;
                    }
                }
            }
        }
        word.clear();
    }
}

struct Sink<'a> {
    ids: &'a mut Vec<u32>,
    starts: &'a mut Vec<u32>,
    unknown: u32,
    words: &'a mut u32,
    whole_words: &'a mut u32,
}

impl Sink<'_> {
    #[inline]
    fn push(&mut self, id: u32, origin: usize) {
        if id != self.unknown {
            self.ids.push(id);
            self.starts.push(origin as u32);
        }
    }
}

impl Word {
    #[inline]
    fn push(&mut self, c: char, origin: usize) {
        if c.is_ascii() {
            return self.push_ascii(c as u8, origin);
        }
        self.chars += 1;
        if self.chars <= self.limit {
            let at = self.text.len();
            let mut buffer = [0u8; 4];
            for (i, &b) in c.encode_utf8(&mut buffer).as_bytes().iter().enumerate() {
                if at + i < PACKED {
                    self.head |= (b as u128) << (8 * (at + i));
                }
                self.origins.push(origin as u32);
            }
            self.text.push(c);
        }
    }

    #[inline]
    fn push_ascii(&mut self, b: u8, origin: usize) {
        self.chars += 1;
        if self.chars <= self.limit {
            let at = self.text.len();
            if at < PACKED {
                self.head |= (b as u128) << (8 * at);
            }
            self.text.push(b as char);
            self.origins.push(origin as u32);
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.head = 0;
        self.origins.clear();
        self.chars = 0;
    }
}

/// `tokenizers`' white space: tab, line feed, carriage return and Unicode
/// White_Space.
fn is_bert_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// `tokenizers`' control characters: categories Cc, Cf and Co, except tab,
/// line feed and carriage return (white space).
fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.is_other()
}

fn is_bert_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || c.is_punctuation()
}

/// The CJK Unified Ideographs blocks BERT isolates (not Hiragana, Katakana
/// or Hangul, which are written with spaces or handled by WordPiece).
fn is_chinese_char(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F
        | 0x2B920..=0x2CEAF
        | 0xF900..=0xFAFF
        | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    const VOCAB: &[&str] = &[
        "[UNK]", "[CLS]", "a", "ab", "abc", "b", "##a", "##b", "##bc", "##c", "e", "##e", "é", "σ", "##σ", "ς", "中",
        "!", "'", ",", ".", "«", "-", "1", "##1", "ö", "o", "##o", "ss", "ß", "i", "##i", "ǆ", "k", "å", "a\u{300}",
    ];

    fn tokenizer() -> WordPiece {
        let vocab: serde_json::Map<String, Value> =
            VOCAB.iter().enumerate().map(|(i, t)| (t.to_string(), Value::from(i))).collect();
        let json = serde_json::json!({
            "added_tokens": [{"id": 1, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false,
                              "normalized": false, "special": true}],
            "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                           "strip_accents": null, "lowercase": true},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                      "max_input_chars_per_word": 6, "vocab": vocab},
        });
        WordPiece::from_json(&json).unwrap()
    }

    /// `tokenizers`, step by step over whole strings, as its documentation
    /// describes it: the oracle for the one-pass walk.
    fn oracle(text: &str) -> Vec<u32> {
        let vocab: HashMap<&str, u32> = VOCAB.iter().enumerate().map(|(i, t)| (*t, i as u32)).collect();
        let mut ids = Vec::new();
        for (i, segment) in text.split("[CLS]").enumerate() {
            if i > 0 {
                ids.push(1);
            }
            let mut cleaned = String::new();
            for c in segment.chars() {
                if c == '\0' || c == '\u{fffd}' || is_control(c) {
                    continue;
                }
                if is_bert_whitespace(c) {
                    cleaned.push(' ');
                } else if is_chinese_char(c) {
                    cleaned.extend([' ', c, ' ']);
                } else {
                    cleaned.push(c);
                }
            }
            let stripped: String = cleaned.nfd().filter(|c| !c.is_mark_nonspacing()).collect();
            let lowered: String = stripped.chars().flat_map(char::to_lowercase).collect();
            let mut words = Vec::new();
            for chunk in lowered.split(char::is_whitespace) {
                let mut word = String::new();
                for c in chunk.chars() {
                    if is_bert_punctuation(c) {
                        words.extend([std::mem::take(&mut word), c.to_string()]);
                    } else {
                        word.push(c);
                    }
                }
                words.push(word);
            }
            for word in words.iter().filter(|w| !w.is_empty()) {
                if word.chars().count() > 6 {
                    continue;
                }
                let mut pieces = Vec::new();
                let mut start = 0;
                while start < word.len() {
                    let mut end = word.len();
                    let found = loop {
                        if end == start {
                            break None;
                        }
                        let candidate =
                            if start > 0 { format!("##{}", &word[start..end]) } else { word[start..end].to_string() };
                        if let Some(&id) = vocab.get(candidate.as_str()) {
                            break Some(id);
                        }
                        end -= word[..end].chars().next_back().map_or(1, char::len_utf8);
                    };
                    match found {
                        Some(id) => pieces.push(id),
                        None => {
                            pieces.clear();
                            break;
                        }
                    }
                    start = end;
                }
                ids.extend(pieces);
            }
        }
        ids.retain(|&id| id != 0);
        ids
    }

    fn walk(text: &str) -> Vec<u32> {
        let mut t = TokenIds::default();
        tokenizer().tokenize(text, &mut t);
        t.ids
    }

    #[test]
    fn oracle_cases() {
        for text in ["abcabc abc!", "AB\u{0}C ÉÖ", "ΣΣς", "a\u{300}", "İ K Å ß", "1a1 中中", "ǅ", "[CLS]ab[CLS]", "«a»"]
        {
            assert_eq!(walk(text), oracle(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn the_walk_matches_the_oracle(chars in proptest::collection::vec(proptest::sample::select(vec![
            'a', 'b', 'c', 'A', 'B', 'C', 'e', 'E', 'é', 'É', 'ö', 'Ö', 'o', 'i', 'I', 'İ', 'ı', 'k', 'K', 'K', 'Å',
            'Σ', 'σ', 'ς', 'ß', 'ẞ', 'Ǆ', 'ǅ', 'ǆ', '中', '豈', '1', '!', '\'', ',', '.', '«', '-', '—', '[', ']',
            ' ', '\t', '\n', '\r', '\u{a0}', '\u{3000}', '\u{b}', '\u{85}', '\u{0}', '\u{7}', '\u{ad}',
            '\u{200b}', '\u{fffd}', '\u{300}', '\u{301}', '\u{e000}', '😀',
        ]), 0..40), cls in proptest::bool::ANY) {
            let mut text: String = chars.into_iter().collect();
            if cls {
                let middle = text.char_indices().nth(text.chars().count() / 2).map_or(text.len(), |(i, _)| i);
                text.insert_str(middle, "[CLS]");
            }
            prop_assert_eq!(walk(&text), oracle(&text), "{:?}", text);
        }
    }
}
