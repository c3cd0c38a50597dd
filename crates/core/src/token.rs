//! Words with offsets: tokenization and normalization for matching.
//!
//! A [`Tokenizer`] walks an original text once and hands every word to a sink
//! as the word's byte range in the original text plus its normalized form.
//! Normalization never rewrites the original: offsets always point into the
//! text the user gave, so later stages can report passages in it.
//!
//! # What counts as a word
//!
//! Words follow the Unicode word-boundary rules of UAX #29 (exactly so for
//! ASCII text, which a test checks against the `unicode-segmentation` crate):
//! runs of letters and digits, joined across `'`/`’` and `.` between letters
//! (`don't`, `e.g`), across `.`, `,`, `;` and `'` between digits (`3,197`,
//! `3.14`) and across `_`. Letters and digits of other scripts are classified
//! by their Unicode properties; combining marks stay with their base letter.
//!
//! Chinese, Japanese and Thai (and Lao, Khmer, Myanmar) write words without
//! spaces. For runs of those scripts the tokenizer emits overlapping
//! character bigrams (a one-character run is one token), as Lucene's
//! `CJKBigramFilter` does. Bigrams need no dictionary, work the same for
//! every language in those scripts, and give shingles that still match when
//! the text is copied; dictionary segmentation would add tens of megabytes of
//! data per language for little gain in duplicate detection.
//!
//! # The token model: order and overlap
//!
//! Every consumer of offsets relies on exactly these promises, which the
//! property tests at the bottom of this file check on arbitrary text:
//!
//! - A token's `byte_start..byte_end` (and `char_start..char_end`) is a
//!   non-empty range of the original text on character boundaries; the
//!   char range counts the same characters as the byte range.
//! - Tokens come in text order: both `byte_start` and `byte_end` strictly
//!   increase from one token to the next.
//! - **Consecutive tokens may overlap**, and only bigrams do: inside a run
//!   of a bigram script, token `i + 1` starts on the second unit (a character
//!   with its combining marks) of token `i`, so `tokens[i + 1].byte_start <
//!   tokens[i].byte_end`. Tokens two apart never overlap, and no token
//!   contains another.
//!
//! What follows for consumers, each a helper on [`Tokens`]:
//! - the text of tokens `i..j` is `tokens[i].start..tokens[j - 1].end`:
//!   never the `start` of one token and the `end` of a token before it;
//! - the text *between* two consecutive tokens is empty when they overlap
//!   ([`Tokens::gap_after`]), so "text between words" (punctuation, line
//!   breaks) must be taken from there, never by slicing
//!   `tokens[i].byte_end..tokens[i + 1].byte_start`;
//! - two adjacent token ranges `i..j` and `j..k` can share one character;
//!   a span that must not overlap the range before it starts at
//!   [`Tokens::start_after`].
//!
//! # What is neutralized for matching
//!
//! - Unicode NFKC and full case folding (`Straße` matches `STRASSE`);
//! - curly apostrophes become `'`; quotes, dashes, ellipses and other
//!   punctuation are separators, so their variants cannot matter;
//! - Markdown syntax (`## `, `**`, list bullets) is punctuation and never
//!   forms words; the target of a Markdown link or image, `[text](url)`, is
//!   skipped so only the link text counts;
//! - HTML character references (`&amp;`, `&rsquo;`, `&#8217;`, `&#x2019;`)
//!   are decoded before classification, so `don&rsquo;t` is the word `don't`;
//! - whitespace of any kind separates words; a blank line also ends a
//!   paragraph, which the tokenizer reports with the next word
//!   ([`Span::paragraph`]).

use crate::entity::decode_entity;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Longest Markdown link target that is skipped; longer ones are kept as
/// text, so a stray `](` cannot swallow a document.
const MAX_LINK_TARGET: usize = 2048;

/// The UAX #29 classes the tokenizer distinguishes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// Letters (ALetter, Hebrew_Letter, Katakana outside bigram runs).
    Letter,
    /// Digits (Numeric).
    Digit,
    /// `_` and other connector punctuation (ExtendNumLet).
    Connector,
    /// `:` (MidLetter): joins letters only.
    MidLetter,
    /// `.`, `’` (MidNumLet): joins letters or digits.
    MidNumLet,
    /// `'` (Single_Quote): joins letters or digits.
    Quote,
    /// `,` `;` (MidNum): joins digits only.
    MidNum,
    /// Combining marks, ZWJ/ZWNJ, format characters (Extend/Format): they
    /// continue whatever precedes them.
    Extend,
    /// Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar: bigram runs.
    Ideograph,
    /// Everything else separates words.
    Other,
}

#[inline]
fn ascii_class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Connector,
        b':' => Class::MidLetter,
        b'.' => Class::MidNumLet,
        b'\'' => Class::Quote,
        b',' | b';' => Class::MidNum,
        _ => Class::Other,
    }
}

const FAST_OTHER: u8 = 0;
const FAST_LETTER: u8 = 1;
const FAST_DIGIT: u8 = 2;
const FAST_SPACE: u8 = 3;
const FAST_LINE_FEED: u8 = 4;
const FAST_PUNCTUATION: u8 = 5;
/// `'.:,;`: punctuation between words, joiners inside them.
const FAST_JOINER: u8 = 6;

/// Byte classes of the walk's fast path. `FAST_OTHER`: anything the general
/// path must see (non-ASCII bytes, `&`, `]`, `_`, and controls other than
/// white space). A joiner after a word is handed to the general path unless
/// what follows shows it cannot join.
/// Texts walked by any [`Tokenizer`] in this process (debug builds only):
/// how tests show how often a pipeline tokenizes each document.
#[cfg(debug_assertions)]
static TOKENIZATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many texts [`Tokenizer`]s have walked in this process so far (debug
/// builds only).
#[cfg(debug_assertions)]
pub fn tokenizations() -> u64 {
    TOKENIZATIONS.load(std::sync::atomic::Ordering::Relaxed)
}

static FAST: [u8; 256] = {
    let mut table = [FAST_OTHER; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => FAST_LETTER,
            b'0'..=b'9' => FAST_DIGIT,
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => FAST_SPACE,
            b'\n' => FAST_LINE_FEED,
            b'\'' | b'.' | b':' | b',' | b';' => FAST_JOINER,
            b'&' | b']' | b'_' => FAST_OTHER,
            0x21..=0x7e => FAST_PUNCTUATION,
            _ => FAST_OTHER,
        };
        b += 1;
    }
    table
};

/// The end of the run of ASCII letters and digits that goes on at `from`
/// (the first byte not in the run, or the length of `bytes`). Eight bytes
/// at a time: one well-predicted branch per word instead of one per byte.
#[inline(always)]
fn alnum_run_end(bytes: &[u8], mut from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    while from + 8 <= bytes.len() {
        let x = u64::from_le_bytes(bytes[from..from + 8].try_into().expect("8 bytes"));
        // Per byte, high bit set when the byte is an ASCII letter or digit.
        // Working on the low 7 bits keeps additions from carrying across
        // bytes; `& !x` drops bytes with the high bit set (non-ASCII).
        let low7 = x & (0x7f * ONES);
        let lower = low7 | (0x20 * ONES);
        let letter =
            lower.wrapping_add((0x80 - b'a' as u64) * ONES) & !lower.wrapping_add((0x80 - b'z' as u64 - 1) * ONES);
        let digit =
            low7.wrapping_add((0x80 - b'0' as u64) * ONES) & !low7.wrapping_add((0x80 - b'9' as u64 - 1) * ONES);
        let stop = !((letter | digit) & !x) & (0x80 * ONES);
        if stop != 0 {
            return from + (stop.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < bytes.len() && matches!(FAST[bytes[from] as usize], FAST_LETTER | FAST_DIGIT) {
        from += 1;
    }
    from
}

/// How the walk's fast loop hands over to the general path.
enum FastExit {
    /// End of text.
    End,
    /// A byte only the general path handles, at the cursor.
    Other,
    /// A plain ASCII word `start..end` that may continue (a non-ASCII
    /// letter, `_`, an entity or a joiner follows).
    Word { start: usize, end: usize, letter: bool },
}

/// Whether `c` belongs to a script written without spaces between words
/// (Han, Kana, Thai, Lao, Khmer, Myanmar), which the tokenizer splits into
/// overlapping bigrams.
pub fn is_bigram_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // halfwidth Katakana
        | 0x20000..=0x3FFFF) // CJK extensions B and later
}

fn class_of(c: char) -> Class {
    if c.is_ascii() {
        return ascii_class(c as u8);
    }
    match c {
        '\u{2019}' | '\u{FF0E}' | '\u{2024}' | '\u{FE52}' => return Class::MidNumLet,
        '\u{00B7}' | '\u{0387}' | '\u{05F4}' | '\u{2027}' | '\u{FE13}' | '\u{FE55}' | '\u{FF1A}' => {
            return Class::MidLetter
        }
        '\u{200C}' | '\u{200D}' | '\u{00AD}' | '\u{FE0F}' | '\u{FE0E}' => return Class::Extend,
        '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}' | '\u{FE4D}'..='\u{FE4F}' | '\u{FF3F}' => {
            return Class::Connector
        }
        _ => {}
    }
    if is_bigram_script(c) {
        if is_combining_mark(c) {
            return Class::Extend;
        }
        if c.is_alphanumeric() {
            return Class::Ideograph;
        }
        return Class::Other;
    }
    if is_combining_mark(c) {
        Class::Extend
    } else if c.is_alphabetic() {
        Class::Letter
    } else if c.is_numeric() {
        Class::Digit
    } else {
        Class::Other
    }
}

/// One character of the text as the tokenizer sees it: its byte range in the
/// original text, the character it stands for (after entity decoding) and
/// its class.
#[derive(Clone, Copy, Debug)]
struct Cooked {
    start: usize,
    end: usize,
    c: char,
    class: Class,
    /// The character differs from the bytes of the original (an entity).
    decoded: bool,
}

/// A cursor over the cooked characters of a text.
struct Cursor<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Cursor<'t> {
    #[inline]
    fn next(&mut self) -> Option<Cooked> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let b = *bytes.get(start)?;
        if b < 0x80 {
            self.pos += 1;
            match b {
                b'&' => {
                    if let Some((c, len)) = decode_entity(bytes, start) {
                        self.pos = start + len;
                        return Some(Cooked { start, end: self.pos, c, class: class_of(c), decoded: true });
                    }
                }
                b']' if bytes.get(start + 1) == Some(&b'(') => {
                    if let Some(skip) = link_target_len(&bytes[start + 1..]) {
                        // The link text ends here; the target is skipped.
                        self.pos = start + 1 + skip;
                        return Some(Cooked { start, end: start + 1, c: ']', class: Class::Other, decoded: false });
                    }
                }
                _ => {}
            }
            return Some(Cooked { start, end: self.pos, c: b as char, class: ascii_class(b), decoded: false });
        }
        // `start` is a char boundary: the cursor only ever advances by whole
        // characters (or past ASCII bytes).
        let c = self.text[start..].chars().next()?;
        self.pos += c.len_utf8();
        Some(Cooked { start, end: self.pos, c, class: class_of(c), decoded: false })
    }

    #[inline]
    fn peek(&self) -> Option<Cooked> {
        let mut copy = Cursor { text: self.text, pos: self.pos };
        copy.next()
    }
}

/// Length of a Markdown link target `(url)` at the start of `bytes`, if it
/// is one: no whitespace inside, closed within [`MAX_LINK_TARGET`] bytes.
/// Nested parentheses (as in Wikipedia URLs) are balanced.
fn link_target_len(bytes: &[u8]) -> Option<usize> {
    debug_assert_eq!(bytes.first(), Some(&b'('));
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate().take(MAX_LINK_TARGET) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b' ' | b'\t' | b'\n' | b'\r' => return None,
            _ => {}
        }
    }
    None
}

/// A word's place in the original text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The word is the first of a paragraph: a blank line (two line feeds
    /// with only white space between them) stands between it and the
    /// previous word. The first word of a text is not marked.
    pub paragraph: bool,
}

/// A word with its offsets, as collected by [`Tokenizer::tokens`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Token {
    /// Byte range in the original text.
    pub byte_start: usize,
    pub byte_end: usize,
    /// Character (Unicode scalar value) range in the original text.
    pub char_start: usize,
    pub char_end: usize,
    /// Range of the normalized form in [`Tokens::normalized`].
    pub norm_start: usize,
    pub norm_end: usize,
    /// The token starts a paragraph (see [`Span::paragraph`]).
    pub paragraph: bool,
}

/// The words of one text, with a buffer holding their normalized forms.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    pub tokens: Vec<Token>,
    /// Normalized forms of all tokens, concatenated.
    pub normalized: String,
}

impl Tokens {
    /// The normalized form of token `i`.
    pub fn text(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.normalized[t.norm_start..t.norm_end]
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Byte range of the text between token `i` and the next one (or the
    /// end of a text of `text_len` bytes after the last token). Empty when
    /// the two tokens overlap (consecutive bigrams): no text lies between
    /// them.
    pub fn gap_after(&self, i: usize, text_len: usize) -> std::ops::Range<usize> {
        let start = self.tokens[i].byte_end;
        let end = self.tokens.get(i + 1).map_or(text_len, |next| next.byte_start);
        start..end.max(start)
    }

    /// Where a span that begins with token `i` starts when it must not
    /// overlap tokens `..i`: `(byte, char)` offsets, past the end of token
    /// `i - 1` when the two overlap. The result can lie past token `i`'s
    /// start, never past its end.
    pub fn start_after(&self, i: usize) -> (usize, usize) {
        let t = &self.tokens[i];
        match i.checked_sub(1).map(|p| &self.tokens[p]) {
            Some(previous) if previous.byte_end > t.byte_start => (previous.byte_end, previous.char_end),
            _ => (t.byte_start, t.char_start),
        }
    }

    /// Where a span that ends with token `j - 1` ends when it must not
    /// overlap tokens `j..`: `(byte, char)` offsets, before the start of
    /// token `j` when the two overlap.
    pub fn end_before(&self, j: usize) -> (usize, usize) {
        let t = &self.tokens[j - 1];
        match self.tokens.get(j) {
            Some(next) if next.byte_start < t.byte_end => (next.byte_start, next.char_start),
            _ => (t.byte_end, t.char_end),
        }
    }
}

/// Receives words from [`Tokenizer::walk`].
trait WordSink {
    /// A plain ASCII word, not yet lowercased: `text[span.start..span.end]`.
    fn ascii(&mut self, span: Span, text: &[u8]);
    /// Any other word, normalized.
    fn normalized(&mut self, span: Span, word: &str);
}

/// Splits texts into normalized words. Holds scratch buffers, so one
/// tokenizer per thread, reused across documents, allocates only while its
/// buffers grow.
#[derive(Debug, Default)]
pub struct Tokenizer {
    /// The current word as cooked characters (entities decoded).
    word: String,
    /// The normalized form handed to the sink.
    normalized: String,
    /// Scratch for NFKC and case folding.
    scratch: String,
    /// The current bigram run: (start, end) of each unit in `run_text`.
    run_units: Vec<(usize, usize, usize, usize)>,
    run_text: String,
    /// A blank line was seen since the last word handed out.
    paragraph: bool,
    /// Some word has been handed out for the current text.
    emitted: bool,
    /// Lowercasing buffer of [`Tokenizer::for_each`].
    scratch_ascii: String,
}

impl Tokenizer {
    pub fn new() -> Tokenizer {
        Tokenizer::default()
    }

    /// Calls `sink(span, normalized)` for every word of `text`, in order.
    pub fn for_each<F: FnMut(Span, &str)>(&mut self, text: &str, sink: F) {
        struct Lowercase<F> {
            sink: F,
            buf: String,
        }
        impl<F: FnMut(Span, &str)> WordSink for Lowercase<F> {
            #[inline]
            fn ascii(&mut self, span: Span, text: &[u8]) {
                let word = &text[span.start..span.end];
                self.buf.clear();
                // Safe as str: `word` is ASCII.
                self.buf.extend(word.iter().map(|b| b.to_ascii_lowercase() as char));
                (self.sink)(span, &self.buf);
            }
            #[inline]
            fn normalized(&mut self, span: Span, word: &str) {
                (self.sink)(span, word)
            }
        }
        let mut lower = Lowercase { sink, buf: std::mem::take(&mut self.scratch_ascii) };
        self.walk(text, &mut lower);
        self.scratch_ascii = lower.buf;
    }

    /// Writes the hash ([`token_hash`](crate::hash::token_hash)) of every
    /// word of `text` into `hashes`, and the indices of words that start a
    /// paragraph into `paragraphs` (both cleared first). The fast path of
    /// sketching: plain ASCII words are hashed straight from the text.
    pub fn hashes_into(&mut self, text: &str, hashes: &mut Vec<u64>, paragraphs: &mut Vec<u32>) {
        struct Hashes<'a> {
            hashes: &'a mut Vec<u64>,
            paragraphs: &'a mut Vec<u32>,
        }
        impl WordSink for Hashes<'_> {
            #[inline(always)]
            fn ascii(&mut self, span: Span, text: &[u8]) {
                if span.paragraph {
                    self.paragraphs.push(self.hashes.len() as u32);
                }
                self.hashes.push(crate::hash::token_hash_ascii_lowercase_at(text, span.start, span.end));
            }
            #[inline]
            fn normalized(&mut self, span: Span, word: &str) {
                if span.paragraph {
                    self.paragraphs.push(self.hashes.len() as u32);
                }
                self.hashes.push(crate::hash::token_hash(word));
            }
        }
        hashes.clear();
        paragraphs.clear();
        self.walk(text, &mut Hashes { hashes, paragraphs });
    }

    fn walk<S: WordSink>(&mut self, text: &str, sink: &mut S) {
        #[cfg(debug_assertions)]
        TOKENIZATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut cursor = Cursor { text, pos: 0 };
        // The current word: its start, end, class of its last base char, and
        // whether it needs the full (non-ASCII) normalization.
        let mut word_start = 0usize;
        let mut word_end = 0usize;
        let mut in_word = false;
        let mut last = Class::Other;
        let mut complex = false;
        let mut has_alnum = false;
        // Line feeds seen since the last word or non-space character, and
        // whether a blank line has been seen since the last word.
        let mut line_feeds = 0u32;
        self.paragraph = false;
        self.emitted = false;
        self.word.clear();
        self.run_units.clear();
        self.run_text.clear();

        let bytes = text.as_bytes();
        loop {
            // Fast path for plain ASCII between words: spaces, line feeds,
            // punctuation and whole words of ASCII letters and digits are
            // handled here byte by byte. Anything else (non-ASCII, `&`, `]`,
            // `_`, a joiner followed by non-ASCII) goes to the general path
            // below, which picks up the state left here.
            if !in_word && self.run_units.is_empty() {
                // The paragraph marks live in locals while in the fast loop.
                let mut pos = cursor.pos;
                let mut paragraph = self.paragraph;
                let mut emitted = self.emitted;
                let exit = loop {
                    let Some(&b) = bytes.get(pos) else { break FastExit::End };
                    match FAST[b as usize] {
                        FAST_SPACE => pos += 1,
                        FAST_LINE_FEED => {
                            pos += 1;
                            line_feeds += 1;
                            paragraph |= line_feeds >= 2 && emitted;
                        }
                        FAST_PUNCTUATION | FAST_JOINER => {
                            pos += 1;
                            line_feeds = 0;
                        }
                        FAST_LETTER | FAST_DIGIT => {
                            line_feeds = 0;
                            let start = pos;
                            let mut p = start;
                            let mut last_kind;
                            loop {
                                p = alnum_run_end(bytes, p + 1);
                                last_kind = FAST[bytes[p - 1] as usize];
                                // A joiner between two ASCII letters or
                                // digits continues the word.
                                let (Some(&mid), Some(&after)) = (bytes.get(p), bytes.get(p + 1)) else { break };
                                let after_kind = FAST[after as usize];
                                if after_kind != last_kind || (after_kind != FAST_LETTER && after_kind != FAST_DIGIT) {
                                    break;
                                }
                                let last = if last_kind == FAST_LETTER { Class::Letter } else { Class::Digit };
                                if !joins(last, ascii_class(mid), last) {
                                    break;
                                }
                                p += 1;
                            }
                            let next = bytes.get(p).map_or(FAST_SPACE, |&c| FAST[c as usize]);
                            // A joiner followed by ASCII that is no letter,
                            // digit or entity cannot join: the word ends.
                            let joiner_ends = matches!(bytes.get(p), Some(b'\'' | b'.' | b':' | b',' | b';'))
                                && bytes.get(p + 1).is_none_or(|&c| {
                                    c < 0x80
                                        && c != b'&'
                                        && FAST[c as usize] != FAST_LETTER
                                        && FAST[c as usize] != FAST_DIGIT
                                });
                            if (next == FAST_OTHER || next == FAST_JOINER) && !joiner_ends {
                                // The word may go on (non-ASCII letter, `_`,
                                // entity): the general path finishes it.
                                break FastExit::Word { start, end: p, letter: last_kind == FAST_LETTER };
                            }
                            sink.ascii(Span { start, end: p, paragraph }, bytes);
                            paragraph = false;
                            emitted = true;
                            pos = p;
                        }
                        _ => break FastExit::Other,
                    }
                };
                self.paragraph = paragraph;
                self.emitted = emitted;
                match exit {
                    FastExit::End => break,
                    FastExit::Other => cursor.pos = pos,
                    FastExit::Word { start, end, letter } => {
                        in_word = true;
                        word_start = start;
                        word_end = end;
                        complex = false;
                        has_alnum = true;
                        last = if letter { Class::Letter } else { Class::Digit };
                        cursor.pos = end;
                        continue;
                    }
                }
            }
            let Some(ch) = cursor.next() else { break };
            match ch.class {
                Class::Letter | Class::Digit | Class::Connector => {
                    line_feeds = 0;
                    if !self.run_units.is_empty() {
                        self.flush_run(sink);
                    }
                    if !in_word {
                        in_word = true;
                        word_start = ch.start;
                        word_end = ch.start;
                        complex = false;
                        has_alnum = false;
                    }
                    self.push_char(text, word_start, word_end, ch, &mut complex);
                    has_alnum |= ch.class != Class::Connector;
                    last = ch.class;
                    // Fast path: the rest of a run of ASCII letters and digits.
                    let bytes = text.as_bytes();
                    let mut p = ch.end;
                    while let Some(&b) = bytes.get(p) {
                        let class = FAST[b as usize];
                        if class != FAST_LETTER && class != FAST_DIGIT {
                            break;
                        }
                        last = if class == FAST_LETTER { Class::Letter } else { Class::Digit };
                        has_alnum = true;
                        if complex {
                            self.word.push(b as char);
                        }
                        p += 1;
                    }
                    cursor.pos = p;
                    word_end = p;
                }
                Class::Extend => {
                    if in_word {
                        self.push_char(text, word_start, word_end, ch, &mut complex);
                        word_end = ch.end;
                    } else if let Some(unit) = self.run_units.last_mut() {
                        unit.1 = ch.end;
                        self.run_text.push(ch.c);
                        unit.3 = self.run_text.len();
                    }
                }
                Class::MidLetter | Class::MidNumLet | Class::Quote | Class::MidNum if in_word => {
                    let next = cursor.peek();
                    let joins = match next {
                        Some(n) => joins(last, ch.class, n.class),
                        None => false,
                    };
                    if joins {
                        let n = cursor.next().expect("peeked");
                        self.push_char(text, word_start, word_end, ch, &mut complex);
                        word_end = ch.end;
                        self.push_char(text, word_start, word_end, n, &mut complex);
                        has_alnum = true;
                        word_end = n.end;
                        last = n.class;
                    } else {
                        self.end_word(text, word_start, word_end, complex, has_alnum, sink);
                        in_word = false;
                    }
                }
                Class::Ideograph => {
                    line_feeds = 0;
                    if in_word {
                        self.end_word(text, word_start, word_end, complex, has_alnum, sink);
                        in_word = false;
                    }
                    let at = self.run_text.len();
                    self.run_text.push(ch.c);
                    self.run_units.push((ch.start, ch.end, at, self.run_text.len()));
                }
                _ => {
                    if in_word {
                        self.end_word(text, word_start, word_end, complex, has_alnum, sink);
                        in_word = false;
                    }
                    if !self.run_units.is_empty() {
                        self.flush_run(sink);
                    }
                    if ch.c == '\n' {
                        line_feeds += 1;
                        if line_feeds >= 2 && self.emitted {
                            self.paragraph = true;
                        }
                    } else if !ch.c.is_whitespace() {
                        line_feeds = 0;
                    }
                }
            }
        }
        if in_word {
            self.end_word(text, word_start, word_end, complex, has_alnum, sink);
        }
        if !self.run_units.is_empty() {
            self.flush_run(sink);
        }
    }

    /// Collects the words of `text` with byte and character offsets into
    /// `out` (cleared first).
    pub fn tokens(&mut self, text: &str, out: &mut Tokens) {
        out.tokens.clear();
        out.normalized.clear();
        // A moving mark (byte, char) converts byte offsets to char offsets in
        // amortized linear time; bigrams step back by at most one unit.
        let mut mark = (0usize, 0usize);
        let bytes = text.as_bytes();
        let mut char_at = |byte: usize| -> usize {
            let starts = |r: &[u8]| r.iter().filter(|&&b| (b as i8) >= -0x40).count();
            if byte >= mark.0 {
                mark.1 += starts(&bytes[mark.0..byte]);
            } else {
                mark.1 -= starts(&bytes[byte..mark.0]);
            }
            mark.0 = byte;
            mark.1
        };
        self.for_each(text, |span, norm| {
            let char_start = char_at(span.start);
            let char_end = char_at(span.end);
            let norm_start = out.normalized.len();
            out.normalized.push_str(norm);
            out.tokens.push(Token {
                byte_start: span.start,
                byte_end: span.end,
                char_start,
                char_end,
                norm_start,
                norm_end: out.normalized.len(),
                paragraph: span.paragraph,
            });
        });
    }

    /// Adds a character to the current word, `text[start..upto]` so far.
    /// A simple word (plain ASCII, no decoded entity) stays a slice of the
    /// text; only a complex one is copied into `self.word`.
    #[inline]
    fn push_char(&mut self, text: &str, start: usize, upto: usize, ch: Cooked, complex: &mut bool) {
        if !*complex {
            if !ch.decoded && ch.c.is_ascii() {
                return;
            }
            *complex = true;
            self.word.clear();
            self.word.push_str(&text[start..upto]);
        }
        self.word.push(ch.c);
    }

    fn end_word<S: WordSink>(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        complex: bool,
        has_alnum: bool,
        sink: &mut S,
    ) {
        if !has_alnum {
            return;
        }
        let span = self.span(start, end);
        if complex {
            self.normalized.clear();
            normalize_into(&self.word, &mut self.scratch, &mut self.normalized);
            sink.normalized(span, &self.normalized);
        } else {
            sink.ascii(span, text.as_bytes());
        }
    }

    /// The span of a word about to be handed out; clears the pending
    /// paragraph mark.
    fn span(&mut self, start: usize, end: usize) -> Span {
        let paragraph = std::mem::take(&mut self.paragraph);
        self.emitted = true;
        Span { start, end, paragraph }
    }

    fn flush_run<S: WordSink>(&mut self, sink: &mut S) {
        let units = std::mem::take(&mut self.run_units);
        if units.len() == 1 {
            let (s, e, ts, te) = units[0];
            self.normalized.clear();
            normalize_into(&self.run_text[ts..te], &mut self.scratch, &mut self.normalized);
            let span = self.span(s, e);
            sink.normalized(span, &self.normalized);
        } else {
            for pair in units.windows(2) {
                let (s, _, ts, _) = pair[0];
                let (_, e, _, te) = pair[1];
                self.normalized.clear();
                normalize_into(&self.run_text[ts..te], &mut self.scratch, &mut self.normalized);
                let span = self.span(s, e);
                sink.normalized(span, &self.normalized);
            }
        }
        self.run_units = units;
        self.run_units.clear();
        self.run_text.clear();
    }
}

/// Whether `mid` joins a word ending in `before` to a character of `after`
/// (UAX #29 rules WB6/WB7 and WB11/WB12).
#[inline]
fn joins(before: Class, mid: Class, after: Class) -> bool {
    match mid {
        Class::MidLetter => before == Class::Letter && after == Class::Letter,
        Class::MidNum => before == Class::Digit && after == Class::Digit,
        Class::MidNumLet | Class::Quote => {
            (before == Class::Letter && after == Class::Letter) || (before == Class::Digit && after == Class::Digit)
        }
        _ => false,
    }
}

/// NFKC, full case folding, NFKC again (folding can denormalize), with the
/// curly apostrophe unified to `'`.
fn normalize_into(word: &str, scratch: &mut String, out: &mut String) {
    // Common in news text: ASCII but for a curly apostrophe (`it’s`), or an
    // entity that decoded to ASCII. NFKC is the identity on ASCII and case
    // folding is ASCII lowercasing there.
    if word.chars().all(|c| c.is_ascii() || c == '\u{2019}') {
        out.extend(word.chars().map(|c| if c == '\u{2019}' { '\'' } else { c.to_ascii_lowercase() }));
        return;
    }
    scratch.clear();
    scratch.extend(word.chars().map(|c| if c == '\u{2019}' { '\'' } else { c }).nfkc());
    let folded = caseless::default_case_fold_str(scratch);
    if folded.is_ascii() {
        out.push_str(&folded);
    } else {
        out.extend(folded.nfkc());
    }
}

/// How much text one character stands for, in half Latin characters:
/// 5 for Han and Kana (a translation into Chinese or Japanese is 2.3 to 3.3
/// times shorter than its English original, measured on the NTREX sample),
/// 4 for Hangul (2 times), 2 for every other character. Lengths that decide
/// whether a passage is long enough ([`latin_equivalent_chars`]) use it, so
/// one threshold means the same amount of text in every script.
#[inline]
pub fn latin_weight(c: char) -> u32 {
    match c as u32 {
        0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x3FFFF => 5,
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => 4,
        _ => 2,
    }
}

/// The length of `text` in Latin-equivalent characters (see
/// [`latin_weight`]): its character count for alphabetic scripts, about
/// 2.5 times that for Chinese and Japanese.
pub fn latin_equivalent_chars(text: &str) -> usize {
    (text.chars().map(latin_weight).sum::<u32>() as usize) / 2
}

/// The normalized words of `text`, for tests and small jobs.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    Tokenizer::new().for_each(text, |_, w| out.push(w.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(words(text), expected, "words of {text:?}");
    }

    fn spans(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        Tokenizer::new().for_each(text, |s, _| out.push(&text[s.start..s.end]));
        out
    }

    #[test]
    fn ascii_words() {
        check("Hello, World!", &["hello", "world"]);
        check("don't stop", &["don't", "stop"]);
        check("3,197 cases; 3.14 e.g. end.", &["3,197", "cases", "3.14", "e.g", "end"]);
        check("foo_bar __x__ _", &["foo_bar", "__x__"]);
        check("a..b a. b", &["a", "b", "a", "b"]);
        check("", &[]);
        check("  \n\t ", &[]);
    }

    #[test]
    fn case_folding_and_nfkc() {
        check("Straße STRASSE", &["strasse", "strasse"]);
        check("ﬁne Ｔｏｋｙｏ", &["fine", "tokyo"]);
        check("e\u{301}te\u{301} été", &["été", "été"]);
        check("ΣΊΣΥΦΟΣ", &["σίσυφοσ"]);
    }

    #[test]
    fn quotes_and_dashes_unified() {
        check("don’t — “quoted” … end–to–end", &["don't", "quoted", "end", "to", "end"]);
        check("don&rsquo;t &amp; &#8220;x&#x201D;", &["don't", "x"]);
        check("caf&eacute; &unknown;", &["café", "unknown"]);
    }

    #[test]
    fn markdown_neutralized() {
        check(
            "## Title\n**bold** [the text](https://example.com/a_(b)) ![img](x.png) - item",
            &["title", "bold", "the", "text", "img", "item"],
        );
        // A `](` with whitespace in the target is not a link: nothing is lost.
        check("[a](b c)", &["a", "b", "c"]);
    }

    #[test]
    fn cjk_bigrams() {
        check("東京タワーへ行く", &["東京", "京タ", "タワ", "ワー", "ーへ", "へ行", "行く"]);
        check("中 文", &["中", "文"]);
        check("2022年2月", &["2022", "年", "2", "月"]);
        check("ภาษาไทย", &["ภา", "าษ", "ษา", "าไ", "ไท", "ทย"]);
        assert_eq!(spans("東京都"), vec!["東京", "京都"]);
    }

    #[test]
    fn alnum_runs() {
        for b in 0..=255u8 {
            for at in 0..9 {
                let mut bytes = vec![b'a'; 20];
                bytes[at + 1] = b;
                let expected = if matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9') { 20 } else { at + 1 };
                assert_eq!(alnum_run_end(&bytes, 1), expected, "byte {b:#x} at {}", at + 1);
            }
        }
        assert_eq!(alnum_run_end(b"abc", 3), 3);
        assert_eq!(alnum_run_end(b"ab1Z9 x", 0), 5);
    }

    #[test]
    fn paragraphs() {
        let marks = |text: &str| {
            let mut out = Vec::new();
            Tokenizer::new().for_each(text, |s, w| out.push(format!("{}{w}", if s.paragraph { "|" } else { "" })));
            out.join(" ")
        };
        assert_eq!(marks("\n\none two\nthree\n \t\nfour\n\n\n## five"), "one two three |four |five");
        assert_eq!(marks("a\n-\nb\r\n\r\nc 東京\n\n都"), "a b |c 東京 |都");
    }

    #[test]
    fn offsets_point_into_original() {
        let text = "Ünïcode “quotes” and 東京 &amp; don&rsquo;t";
        let mut tokens = Tokens::default();
        Tokenizer::new().tokens(text, &mut tokens);
        let chars: Vec<char> = text.chars().collect();
        for (i, t) in tokens.tokens.iter().enumerate() {
            let by_bytes = &text[t.byte_start..t.byte_end];
            let by_chars: String = chars[t.char_start..t.char_end].iter().collect();
            assert_eq!(by_bytes, by_chars, "token {i}");
        }
        let originals: Vec<&str> = tokens.tokens.iter().map(|t| &text[t.byte_start..t.byte_end]).collect();
        assert_eq!(originals, vec!["Ünïcode", "quotes", "and", "東京", "don&rsquo;t"]);
        assert_eq!(tokens.text(4), "don't");
    }

    mod uax29 {
        use super::*;
        use proptest::prelude::*;
        use unicode_segmentation::UnicodeSegmentation;

        /// Pieces of many scripts, marks and controls (bigram runs with
        /// combining marks, digits of bigram scripts, ZWJ emoji, RTL marks,
        /// lone CR, CRLF, BOM), so that the overlap rules meet every class.
        const MIXED: &str = "(東京都|日本語の|漢字|ひらがな|カタカナ|กรุงเทพ|ภาษาไทย|๑๒๓|ສະບາຍ|ខ្មែរ|မြန်မာ|\u{0E01}\u{0E34}\u{0E48}|字\u{0301}|한국어|العربية|עברית|हिन्दी|Русский|👩\u{200D}💻|\u{200F}|\u{200E}|\u{FEFF}|\r|\r\n|\n\n|。|、| |[a-zA-Z0-9.,'’&;]{1,6}|\\PC){0,40}";

        /// The promises of the module docs' token model.
        fn check_token_model(text: &str, tokens: &Tokens) -> Result<(), TestCaseError> {
            let t = &tokens.tokens;
            for (i, token) in t.iter().enumerate() {
                prop_assert!(token.byte_start < token.byte_end && token.byte_end <= text.len());
                prop_assert!(text.is_char_boundary(token.byte_start) && text.is_char_boundary(token.byte_end));
                prop_assert_eq!(token.char_start, text[..token.byte_start].chars().count());
                prop_assert_eq!(token.char_end, text[..token.byte_end].chars().count());
                if i == 0 {
                    continue;
                }
                let previous = &t[i - 1];
                prop_assert!(previous.byte_start < token.byte_start, "starts increase: {:?}", (previous, token));
                prop_assert!(previous.byte_end < token.byte_end, "ends increase: {:?}", (previous, token));
                if token.byte_start < previous.byte_end {
                    // Overlap: two bigrams of one run sharing one unit.
                    let shared = &text[token.byte_start..previous.byte_end];
                    prop_assert!(
                        shared.chars().next().is_some_and(is_bigram_script),
                        "only bigrams overlap: {:?}",
                        shared
                    );
                    prop_assert_eq!(
                        &text[previous.byte_start..previous.byte_end]
                            [previous.byte_end - previous.byte_start - shared.len()..],
                        shared
                    );
                }
                if i >= 2 {
                    prop_assert!(t[i - 2].byte_end <= token.byte_start, "tokens two apart never overlap");
                }
                let gap = tokens.gap_after(i - 1, text.len());
                prop_assert!(
                    gap.start <= gap.end && text.is_char_boundary(gap.start) && text.is_char_boundary(gap.end)
                );
                let (byte, char) = tokens.start_after(i);
                prop_assert!(
                    byte >= previous.byte_end && byte < token.byte_end,
                    "start_after clears the previous token"
                );
                prop_assert_eq!(char, text[..byte].chars().count());
                let (byte, char) = tokens.end_before(i);
                prop_assert!(
                    byte > previous.byte_start && byte <= token.byte_start,
                    "end_before stops before the next token"
                );
                prop_assert_eq!(char, text[..byte].chars().count());
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            /// On ASCII text (without `&` and `](`, which are neutralized on
            /// purpose) the words are exactly UAX #29's.
            #[test]
            fn ascii_matches_unicode_segmentation(text in "[aZ9_ .,;:'\n!-]{0,40}") {
                let ours = spans(&text);
                let theirs: Vec<&str> = text.unicode_words().collect();
                prop_assert_eq!(ours, theirs);
            }

            /// The hashing fast path agrees with normalizing then hashing.
            #[test]
            fn hashes_match_normalized_words(text in "(\\PC|[aZ \n.&;'’]|&amp;|&rsquo;|東京){0,60}") {
                let mut expected = Vec::new();
                let mut expected_paragraphs = Vec::new();
                Tokenizer::new().for_each(&text, |s, w| {
                    if s.paragraph {
                        expected_paragraphs.push(expected.len() as u32);
                    }
                    expected.push(crate::hash::token_hash(w));
                });
                let (mut hashes, mut paragraphs) = (Vec::new(), Vec::new());
                Tokenizer::new().hashes_into(&text, &mut hashes, &mut paragraphs);
                prop_assert_eq!(hashes, expected);
                prop_assert_eq!(paragraphs, expected_paragraphs);
            }

            #[test]
            fn offsets_are_char_boundaries(text in "\\PC{0,60}") {
                let mut tokens = Tokens::default();
                Tokenizer::new().tokens(&text, &mut tokens);
                check_token_model(&text, &tokens)?;
            }

            #[test]
            fn token_model_holds_on_mixed_scripts(text in MIXED) {
                let mut tokens = Tokens::default();
                Tokenizer::new().tokens(&text, &mut tokens);
                check_token_model(&text, &tokens)?;
            }
        }
    }
}
