//! The bodies of reprint's fuzz targets, on stable Rust.
//!
//! Each target is a `pub fn NAME(data: &[u8])`: it derives its inputs from
//! raw bytes, calls the library and asserts the invariants of what it got
//! back. A violated invariant panics, which is what a fuzzer reports as a
//! crash. The cargo-fuzz workspace in `fuzz/` wraps each function in a
//! `fuzz_target!` (nightly, libFuzzer); `tests/replay.rs` runs every file of
//! `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/` through the same
//! functions under plain `cargo test`, so CI needs no nightly toolchain.
//!
//! Input layouts (text is always decoded lossily, invalid UTF-8 becoming
//! U+FFFD):
//!
//! | target | bytes |
//! | --- | --- |
//! | `jsonl_record` | byte 0: field names (bit 0: `content`/`url` instead of `text`/`id`); the rest: one JSON Lines line |
//! | `html_to_text` | an HTML page |
//! | `tokenizer` | a text |
//! | `sentence` | a text |
//! | `date` | a text (metadata string and page); its first 6 bytes also make a year, month and day |
//! | `align` | byte 0: settings (bits 0–1) and, without a separator, how B derives from A (bits 2–3); the rest: `A 0xFF B` |
//! | `scan` | byte 0: options (see [`scan`]); the rest: 1 to 6 documents separated by `0xFF`, each `text [0xFE title [0xFE date]]` |
//! | `model_files` | byte 0 % 3 selects: 0 = three raw files, 1 = a model built from the bytes, 2 = a safetensors file alone (see [`model_files`]) |

#![forbid(unsafe_code)]

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use reprint_core::boilerplate::{BoilerSpan, Boilerplate, BoilerplateIndex};
use reprint_core::date::{date_in_text, parse_date, Date, MAX_YEAR, MIN_YEAR};
use reprint_core::dedup::{deduplicate_texts, DedupConfig, Deduper, Keep};
use reprint_core::embed::safetensors::{serialize, Dtype, Tensors};
use reprint_core::embed::{StaticModel, TokenIds};
use reprint_core::hash::token_hash;
use reprint_core::names::NameExtractor;
use reprint_core::pair::{analyse_story, PairConfig, PairContext, PairScratch, SHARED_NAMES_KEPT};
use reprint_core::passage::{AlignConfig, Aligner, Alignment, PassageKind, TextSpan};
use reprint_core::provenance::{provenance, Direction, ProvenanceDocument, ProvenancePair};
use reprint_core::scan::{all_boilerplate, all_features, blank_out, story_edges, story_pairs, DocIn};
use reprint_core::scanner::{NoObserver, ScanConfig, ScanDocument, Scanner};
use reprint_core::sentence::{Sentence, SentenceSplitter};
use reprint_core::story::{cluster, members as story_members, threads as story_threads, StoryConfig};
use reprint_core::token::{Tokenizer, Tokens};
use reprint_io::html::html_to_text as page_text;
use reprint_io::record::{parse_line, Fields};
use reprint_io::Location;
use serde_json::{json, Value};

/// A target's body: raw bytes in, invariants asserted.
pub type Target = fn(&[u8]);

/// Every target, by the name of its `fuzz/fuzz_targets/<name>.rs`.
pub const TARGETS: &[(&str, Target)] = &[
    ("jsonl_record", jsonl_record),
    ("html_to_text", html_to_text),
    ("tokenizer", tokenizer),
    ("sentence", sentence),
    ("date", date),
    ("align", align),
    ("scan", scan),
    ("model_files", model_files),
];

/// The byte that separates two texts (never valid UTF-8, so it never
/// stands inside a text written by hand).
pub const SEPARATOR: u8 = 0xFF;
/// The byte that separates the fields of one document in [`scan`].
pub const FIELD_SEPARATOR: u8 = 0xFE;

fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// Character offset of every byte offset that starts a character (and of
/// the end); `usize::MAX` inside a character.
fn char_offsets(text: &str) -> Vec<usize> {
    let mut out = vec![usize::MAX; text.len() + 1];
    let mut n = 0;
    for (byte, _) in text.char_indices() {
        out[byte] = n;
        n += 1;
    }
    out[text.len()] = n;
    out
}

/// Checks a half-open span given in bytes and characters: in range, on
/// character boundaries, the character offsets those of the bytes.
fn check_span(what: &str, text: &str, offsets: &[usize], bytes: (usize, usize), chars: (usize, usize)) {
    let (byte_start, byte_end) = bytes;
    let (char_start, char_end) = chars;
    assert!(byte_start <= byte_end, "{what}: byte_start {byte_start} > byte_end {byte_end}");
    assert!(byte_end <= text.len(), "{what}: byte_end {byte_end} past the text ({} bytes)", text.len());
    assert!(text.is_char_boundary(byte_start), "{what}: byte_start {byte_start} inside a character");
    assert!(text.is_char_boundary(byte_end), "{what}: byte_end {byte_end} inside a character");
    assert_eq!(offsets[byte_start], char_start, "{what}: char_start for byte {byte_start}");
    assert_eq!(offsets[byte_end], char_end, "{what}: char_end for byte {byte_end}");
}

fn check_share(what: &str, x: f64) {
    assert!((0.0..=1.0).contains(&x), "{what} = {x}, not in [0, 1]");
}

/// Within rounding of `[0, 1]` (cosines).
fn check_cosine(what: &str, x: f64) {
    assert!(x.is_finite() && (-1e-9..=1.0 + 1e-9).contains(&x), "{what} = {x}, not in [0, 1]");
}

// ---------------------------------------------------------------------------
// jsonl_record

/// `reprint_io::record::parse_line` on one line: never panics; a blank line
/// is `Ok(None)`; a record agrees with what `serde_json` reads from the line.
pub fn jsonl_record(data: &[u8]) {
    let (flags, line) = data.split_first().map_or((0, data), |(&f, rest)| (f, rest));
    let fields = if flags & 1 == 0 { Fields::default() } else { Fields { text: "content".into(), id: "url".into() } };
    let location = Location { file: "fuzz.jsonl".into(), line: Some(7) };
    let result = parse_line(line, &fields, &location);
    let blank = line.iter().all(u8::is_ascii_whitespace);
    match result {
        Ok(None) => assert!(blank, "Ok(None) for a line that is not blank"),
        Ok(Some(record)) => {
            assert!(!blank, "a record from a blank line");
            let valid = std::str::from_utf8(line).is_ok();
            assert_eq!(record.lossy, !valid, "lossy flag");
            assert!(record.raw_json.is_none());
            // The same line read as a generic JSON value: an object whose
            // text field (the last one, as for a map) is the record's text.
            let text = lossy(line);
            let value: Value = match serde_json::from_str(&text) {
                Ok(value) => value,
                // A lone surrogate escape (`"\ude00"`, or `"\ud83d"` not
                // followed by `\u`) in a field the parser skips: the record
                // is usable, though no Rust string can hold that field.
                // serde_json checks surrogate pairs when it reads a string,
                // not when it skips one (both found by fuzzing).
                Err(e)
                    if has_surrogate_escape(&text) && {
                        let m = e.to_string();
                        m.contains("surrogate") || m.contains("hex escape")
                    } =>
                {
                    return
                }
                // Likewise a number beyond f64 (`1E6666`) in a skipped
                // field: serde_json range-checks numbers it reads, not ones
                // it skips (found by fuzzing).
                Err(e) if e.to_string().contains("number out of range") => return,
                Err(e) => panic!("a record line is JSON: {e}"),
            };
            let object = value.as_object().expect("a record line is a JSON object");
            assert_eq!(object.get(&fields.text).and_then(Value::as_str), Some(record.text.as_str()));
            match object.get(&fields.id) {
                None | Some(Value::Null) => assert_eq!(record.id, location.to_string(), "record id"),
                Some(Value::String(s)) => assert_eq!(&record.id, s, "record id"),
                // A number is kept as written (`1e3`, 23 digits), so it
                // can only be compared as the number it reads as.
                Some(Value::Number(n)) => {
                    let written: Value = serde_json::from_str(&record.id).expect("a numeric id is a JSON number");
                    assert_eq!(written.as_f64(), n.as_f64(), "numeric id {:?}", record.id);
                }
                Some(other) => assert_eq!(record.id, other.to_string(), "record id"),
            }
        }
        Err(problem) => {
            assert!(!blank, "an error for a blank line");
            assert_eq!(problem.location, location);
            assert!(!problem.reason.is_empty());
            let _ = problem.to_string();
        }
    }
}

/// Whether `text` holds a `\uD800`-`\uDFFF` escape (a UTF-16 surrogate).
fn has_surrogate_escape(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0] == b'\\'
            && w[1] == b'u'
            && w[2].eq_ignore_ascii_case(&b'd')
            && matches!(w[3].to_ascii_lowercase(), b'8'..=b'9' | b'a'..=b'f')
    })
}

// ---------------------------------------------------------------------------
// html_to_text

/// `reprint_io::html::html_to_text`: never panics; the text has no leading
/// or trailing white space, no white space but single spaces and line feeds,
/// never three line feeds in a row; a page with no `<` and no `&` comes out
/// as its words joined by single spaces.
pub fn html_to_text(data: &[u8]) {
    let html = lossy(data);
    let text = page_text(&html);
    assert!(!text.starts_with(char::is_whitespace), "leading white space: {text:?}");
    assert!(!text.ends_with(char::is_whitespace), "trailing white space: {text:?}");
    assert!(!text.contains("  "), "two spaces in a row: {text:?}");
    assert!(!text.contains("\n\n\n"), "three line feeds in a row: {text:?}");
    assert!(!text.contains(" \n") && !text.contains("\n "), "space next to a line feed: {text:?}");
    if let Some(c) = text.chars().find(|&c| c.is_whitespace() && c != ' ' && c != '\n') {
        panic!("white space {c:?} left in the text: {text:?}");
    }
    if !html.contains(['<', '&']) {
        let words: Vec<&str> = html.split_whitespace().collect();
        assert_eq!(text, words.join(" "), "plain text");
    }
}

// ---------------------------------------------------------------------------
// tokenizer

/// `Tokenizer::tokens`: offsets in range, on character boundaries, in order,
/// character offsets consistent with byte offsets, normalized forms
/// non-empty and contiguous; `hashes_into` (the fast path) agrees with
/// `tokens`; a reused tokenizer gives what a fresh one gives.
pub fn tokenizer(data: &[u8]) {
    let text = lossy(data);
    check_tokens(&text);
    // Language detection reads the same text: a code of three letters.
    let language = reprint_core::lang::detect(&text);
    assert!(language.len() == 3 && language.bytes().all(|b| b.is_ascii_lowercase()), "{language:?}");
}

fn check_tokens(text: &str) -> Tokens {
    let mut tokenizer = Tokenizer::new();
    let mut tokens = Tokens::default();
    tokenizer.tokens(text, &mut tokens);
    let offsets = char_offsets(text);
    for (i, t) in tokens.tokens.iter().enumerate() {
        let what = format!("token {i} {t:?}");
        assert!(t.byte_start < t.byte_end, "{what}: empty");
        check_span(&what, text, &offsets, (t.byte_start, t.byte_end), (t.char_start, t.char_end));
        assert!(t.norm_start < t.norm_end && t.norm_end <= tokens.normalized.len(), "{what}: normalized range");
        assert!(tokens.normalized.is_char_boundary(t.norm_start) && tokens.normalized.is_char_boundary(t.norm_end));
        match i.checked_sub(1).map(|p| &tokens.tokens[p]) {
            None => {
                assert!(!t.paragraph, "{what}: the first token starts a paragraph");
                assert_eq!(t.norm_start, 0);
            }
            Some(p) => {
                assert!(p.byte_start < t.byte_start, "{what}: starts not increasing after {p:?}");
                assert!(p.byte_end <= t.byte_end, "{what}: ends decreasing after {p:?}");
                assert_eq!(p.norm_end, t.norm_start, "{what}: normalized forms not contiguous");
                if t.paragraph && p.byte_end <= t.byte_start {
                    let gap = &text[p.byte_end..t.byte_start];
                    assert!(gap.matches('\n').count() >= 2, "{what}: paragraph without a blank line: {gap:?}");
                }
            }
        }
    }
    assert_eq!(tokens.tokens.last().map_or(0, |t| t.norm_end), tokens.normalized.len());

    let (mut hashes, mut paragraphs) = (vec![1, 2, 3], vec![9]);
    tokenizer.hashes_into(text, &mut hashes, &mut paragraphs);
    assert_eq!(hashes.len(), tokens.len(), "hashes_into and tokens disagree on the number of words");
    for (i, &h) in hashes.iter().enumerate() {
        assert_eq!(h, token_hash(tokens.text(i)), "hash of word {i} {:?}", tokens.text(i));
    }
    let flagged: Vec<u32> = (0..tokens.len()).filter(|&i| tokens.tokens[i].paragraph).map(|i| i as u32).collect();
    assert_eq!(paragraphs, flagged, "paragraph starts");

    // Scratch state must not leak from one text into the next: a tokenizer
    // that stopped inside a CJK run, a word and a paragraph gives the same.
    tokenizer.tokens("東京大阪 word\n\n", &mut Tokens::default());
    let mut again = Tokens::default();
    tokenizer.tokens(text, &mut again);
    assert_eq!(again.tokens, tokens.tokens, "a reused tokenizer differs");
    assert_eq!(again.normalized, tokens.normalized);
    tokens
}

// ---------------------------------------------------------------------------
// sentence

/// `SentenceSplitter`: sentences non-empty, in order, non-overlapping, in
/// range, on character boundaries, trimmed, with consistent character
/// offsets; `split` into a used buffer gives `sentences`.
pub fn sentence(data: &[u8]) {
    let text = lossy(data);
    check_sentences(&text);
}

fn check_sentences(text: &str) -> Vec<Sentence> {
    let splitter = SentenceSplitter::new();
    let sentences = splitter.sentences(text);
    let offsets = char_offsets(text);
    let mut previous_end = 0;
    for (i, s) in sentences.iter().enumerate() {
        let what = format!("sentence {i} {s:?}");
        assert!(s.byte_start < s.byte_end, "{what}: empty");
        check_span(&what, text, &offsets, (s.byte_start, s.byte_end), (s.char_start, s.char_end));
        assert!(s.byte_start >= previous_end, "{what}: overlaps or precedes the previous one");
        let body = s.text(text);
        assert_eq!(body.trim(), body, "{what}: not trimmed");
        previous_end = s.byte_end;
    }
    let mut out = vec![Sentence { byte_start: 1, byte_end: 2, char_start: 1, char_end: 2 }];
    splitter.split(text, &mut out);
    assert_eq!(out, sentences, "split into a used buffer");
    sentences
}

// ---------------------------------------------------------------------------
// date

/// `parse_date` and `date_in_text`: valid dates within the accepted years
/// that print and parse back; `date_in_text`'s range on character
/// boundaries and holding that very date; `Date::days` and
/// `Date::from_days` inverse of each other.
pub fn date(data: &[u8]) {
    let text = lossy(data);
    if let Some(d) = parse_date(&text) {
        check_parsed_date(d);
    }
    if let Some((d, start, end)) = date_in_text(&text) {
        check_parsed_date(d);
        assert!(start < end && end <= text.len(), "date_in_text range {start}..{end} of {} bytes", text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "date_in_text range {start}..{end}");
        assert_eq!(parse_date(&text[start..end]), Some(d), "date_in_text range {:?}", &text[start..end]);
    }
    if let [y0, y1, y2, y3, month, day, ..] = *data {
        let year = i32::from_le_bytes([y0, y1, y2, y3]);
        let (month, day) = (month % 14, day % 33);
        match Date::new(year, month, day) {
            Some(d) => {
                assert_eq!((d.year, d.month, d.day), (year, month, day));
                assert_eq!(Date::from_days(d.days()), d, "days round trip of {d:?}");
                if year < i32::MAX {
                    let next = Date::from_days(d.days() + 1);
                    assert!(next > d, "the day after {d:?} is {next:?}");
                }
            }
            None => assert!(!(1..=12).contains(&month) || day == 0 || day > 28, "{year}-{month}-{day} refused"),
        }
    }
}

fn check_parsed_date(d: Date) {
    assert!((MIN_YEAR..=MAX_YEAR).contains(&d.year), "year of {d:?}");
    assert_eq!(Date::new(d.year, d.month, d.day), Some(d), "{d:?} is no valid date");
    assert_eq!(Date::from_days(d.days()), d, "days round trip of {d:?}");
    assert_eq!(parse_date(&d.to_string()), Some(d), "{d} does not parse back");
}

// ---------------------------------------------------------------------------
// align

/// `Aligner::align` of two texts: every span in range, on character
/// boundaries, character offsets consistent with bytes, token ranges those
/// of the tokenizer; passages sorted; kinds, edit rates, scores and
/// containments in range; the complements exactly the words outside
/// passages; a second run gives the same alignment.
pub fn align(data: &[u8]) {
    let (flags, rest) = data.split_first().map_or((0, data), |(&f, rest)| (f, rest));
    let (a, b): (String, String) = match rest.iter().position(|&x| x == SEPARATOR) {
        Some(i) => (lossy(&rest[..i]).into_owned(), lossy(&rest[i + 1..]).into_owned()),
        None => {
            let a = lossy(rest).into_owned();
            let b = derive(&a, flags >> 2);
            (a, b)
        }
    };
    let config = align_config(flags);
    let mut aligner = Aligner::new(config);
    let alignment = aligner.align(&a, &b);
    check_alignment(&a, &b, &alignment);
    assert_eq!(aligner.align(&a, &b), alignment, "a second alignment differs");
}

/// Settings from bits 0–1: the defaults, or looser ones that let short
/// fuzz inputs make passages.
fn align_config(flags: u8) -> AlignConfig {
    let base = AlignConfig::default();
    match flags & 3 {
        0 => base,
        1 => AlignConfig { min_chars: 0, ..base },
        2 => AlignConfig { min_chars: 20, max_gap: 1, max_sentence_words: 3, min_sentence_words: 1, ..base },
        _ => AlignConfig {
            min_chars: 10,
            min_sentence_words: 1,
            min_shared_words: 1,
            min_shared_trigrams: 0,
            seed_similarity: 0.05,
            summary_gap: 3,
            summary_ratio: 1.0,
            ..base
        },
    }
}

/// A second text made from the first (bits 0–1 of `how`): the same text,
/// the text between added lines, its second half, or its lines reversed.
fn derive(a: &str, how: u8) -> String {
    match how & 3 {
        0 => a.to_string(),
        1 => format!("An introduction written for the reposted copy.\n\n{a}\n\nA closing line the copier added."),
        2 => {
            let mut mid = a.len() / 2;
            while !a.is_char_boundary(mid) {
                mid += 1;
            }
            a[mid..].to_string()
        }
        _ => a.lines().rev().collect::<Vec<_>>().join("\n"),
    }
}

fn check_alignment(a: &str, b: &str, alignment: &Alignment) {
    let (tokens_a, tokens_b) = (tokens_of(a), tokens_of(b));
    let (offsets_a, offsets_b) = (char_offsets(a), char_offsets(b));
    let mut previous = None;
    for (i, p) in alignment.passages.iter().enumerate() {
        check_text_span(&format!("passage {i} side A"), a, &offsets_a, &tokens_a, &p.a, p.kind);
        check_text_span(&format!("passage {i} side B"), b, &offsets_b, &tokens_b, &p.b, p.kind);
        assert!(p.edit_rate.is_finite(), "passage {i}: edit rate {}", p.edit_rate);
        check_share(&format!("passage {i} edit rate"), p.edit_rate);
        check_cosine(&format!("passage {i} score"), p.score);
        if p.kind == PassageKind::Verbatim {
            assert_eq!(p.edit_rate, 0.0, "passage {i}: verbatim with an edit rate");
        }
        let key = (p.a.token_start, p.b.token_start);
        assert!(previous.is_none_or(|k| k <= key), "passage {i}: not sorted");
        previous = Some(key);
    }
    check_complement("A", a, &offsets_a, &tokens_a, alignment.passages.iter().map(|p| p.a), &alignment.only_a);
    check_complement("B", b, &offsets_b, &tokens_b, alignment.passages.iter().map(|p| p.b), &alignment.only_b);
    for (what, c, tokens, passages) in [
        (
            "containment_a",
            alignment.containment_a,
            &tokens_a,
            alignment.passages.iter().map(|p| p.a).collect::<Vec<_>>(),
        ),
        ("containment_b", alignment.containment_b, &tokens_b, alignment.passages.iter().map(|p| p.b).collect()),
    ] {
        check_share(what, c);
        let n = tokens.len();
        let mut covered = vec![false; n];
        for s in &passages {
            covered[s.token_start..s.token_end].iter_mut().for_each(|x| *x = true);
        }
        let expected = if n == 0 { 0.0 } else { covered.iter().filter(|&&x| x).count() as f64 / n as f64 };
        assert!((c - expected).abs() < 1e-9, "{what} {c}, the passages cover {expected}");
    }
}

fn tokens_of(text: &str) -> Tokens {
    let mut tokens = Tokens::default();
    Tokenizer::new().tokens(text, &mut tokens);
    tokens
}

/// A lexical passage's side: spans words `token_start..token_end`, from the
/// first word's start to at most a few closing characters past the last.
fn check_text_span(what: &str, text: &str, offsets: &[usize], tokens: &Tokens, s: &TextSpan, kind: PassageKind) {
    check_span(what, text, offsets, (s.byte_start, s.byte_end), (s.start, s.end));
    assert!(s.start <= s.end, "{what}: start > end in {s:?}");
    if kind == PassageKind::Paraphrase {
        return;
    }
    let t = &tokens.tokens;
    assert!(s.token_start < s.token_end && s.token_end <= t.len(), "{what}: tokens {s:?} of {}", t.len());
    let (first, last) = (&t[s.token_start], &t[s.token_end - 1]);
    assert_eq!((s.byte_start, s.start), (first.byte_start, first.char_start), "{what}: start is not the first word's");
    assert!(s.end <= last.char_end + 3, "{what}: ends past the last word {last:?}: {s:?}");
}

fn check_complement(
    side: &str,
    text: &str,
    offsets: &[usize],
    tokens: &Tokens,
    passages: impl Iterator<Item = TextSpan>,
    only: &[TextSpan],
) {
    let t = &tokens.tokens;
    let passages: Vec<TextSpan> = passages.collect();
    let mut covered = vec![false; t.len()];
    for s in &passages {
        covered[s.token_start..s.token_end].iter_mut().for_each(|x| *x = true);
    }
    let mut previous_end = 0;
    for (i, s) in only.iter().enumerate() {
        let what = format!("only_{side} {i} {s:?}");
        check_span(&what, text, offsets, (s.byte_start, s.byte_end), (s.start, s.end));
        assert!(s.byte_start < s.byte_end, "{what}: empty");
        assert!(s.token_start < s.token_end && s.token_end <= t.len(), "{what}: token range");
        assert!(s.token_start >= previous_end, "{what}: not in order");
        previous_end = s.token_end;
        // A maximal run of words outside every passage…
        assert!(covered[s.token_start..s.token_end].iter().all(|&c| !c), "{what}: holds a word of a passage");
        assert!(s.token_start == 0 || covered[s.token_start - 1], "{what}: the run goes on before it");
        assert!(s.token_end == t.len() || covered[s.token_end], "{what}: the run goes on after it");
        // …within its words' bytes (less a character shared with a
        // passage's bigram), overlapping no passage.
        let (first, last) = (&t[s.token_start], &t[s.token_end - 1]);
        assert!(s.byte_start >= first.byte_start && s.byte_end <= last.byte_end, "{what}: outside its words");
        for p in &passages {
            let overlap = s.byte_start.max(p.byte_start) < s.byte_end.min(p.byte_end);
            assert!(!overlap, "{what}: overlaps passage {p:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// scan

/// The stages of `reprint scan` (as `crates/cli/src/cmd/scan.rs` calls
/// them) over 2 to 6 documents: near-duplicates, boilerplate (blanked out),
/// features, story corpus and edges, local scaling, stories, story pairs,
/// pair analysis and provenance; plus built-in and recurring boilerplate
/// and name keys checked on their own.
///
/// Byte 0: bit 0: recurring boilerplate also looked for across 2 groups;
/// bit 1: a second document derived from the first even when several are
/// given; bit 3: a tiny built-in embedding model (paraphrase path);
/// bit 4: a low link similarity (0.05), so that stories form;
/// bit 5: stories larger than 1 document get only their scored pairs.
/// With one document, a second (and, with bit 6, a third) is made from it.
pub fn scan(data: &[u8]) {
    let (flags, rest) = data.split_first().map_or((0, data), |(&f, rest)| (f, rest));
    let mut docs: Vec<RawDoc> = rest.split(|&b| b == SEPARATOR).take(6).map(RawDoc::parse).collect();
    if docs.len() < 2 || flags & 2 != 0 {
        let first = docs[0].text.clone();
        docs.truncate(5);
        docs.insert(1, RawDoc { text: derive(&first, 1), title: None, date: None });
        if flags & 64 != 0 && docs.len() < 6 {
            docs.push(RawDoc { text: derive(&first, 2), title: docs[0].title.clone(), date: None });
        }
    }
    let model = (flags & 8 != 0).then(tiny_model);
    let link_similarity = if flags & 16 != 0 { 0.05 } else { StoryConfig::default().link_similarity };
    let all_pairs_up_to = if flags & 32 != 0 { 1 } else { 50 };
    run_scan(&docs, model, link_similarity, all_pairs_up_to, flags & 1 != 0);
}

struct RawDoc {
    text: String,
    title: Option<String>,
    date: Option<String>,
}

impl RawDoc {
    fn parse(bytes: &[u8]) -> RawDoc {
        let mut fields = bytes.splitn(3, |&b| b == FIELD_SEPARATOR).map(|f| lossy(f).into_owned());
        RawDoc { text: fields.next().unwrap_or_default(), title: fields.next(), date: fields.next() }
    }
}

fn run_scan(docs: &[RawDoc], model: Option<&StaticModel>, link_similarity: f64, all_pairs_up_to: usize, recur: bool) {
    let n = docs.len();
    let raw: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();

    // Near-duplicate clusters.
    let deduper = Deduper::new(DedupConfig { threshold: 0.8, ..DedupConfig::default() }).expect("valid settings");
    let dedup = deduplicate_texts(&deduper, &raw, Keep::First);
    let clusters = dedup.clusters.representative;
    assert_eq!(clusters.len(), n);
    for (i, &c) in clusters.iter().enumerate() {
        assert!(c as usize <= i && clusters[c as usize] == c, "document {i} in cluster {c}: {clusters:?}");
    }
    for &s in &dedup.clusters.similarity {
        check_share("cluster similarity", s);
    }

    // Boilerplate, blanked out.
    let (boilerplate, errors) = all_boilerplate(&raw, &clusters);
    no_internal_errors(&errors);
    assert_eq!(boilerplate.len(), n);
    let blanked: Vec<String> = raw
        .iter()
        .zip(&boilerplate)
        .map(|(text, spans)| {
            check_boiler_spans("boilerplate", text, spans);
            let out = blank_out(text, spans);
            assert_eq!(out.len(), text.len(), "blank_out changed the byte length");
            assert_eq!(char_offsets(&out), char_offsets(text), "blank_out moved characters");
            out
        })
        .collect();
    let builtin = Boilerplate::builtin();
    let mut spans = Vec::new();
    for text in &raw {
        builtin.spans(text, &mut spans);
        check_boiler_spans("builtin boilerplate", text, &spans);
    }
    if recur {
        let mut index = BoilerplateIndex::new(2);
        for (i, text) in raw.iter().enumerate() {
            index.add(text, i as u32);
        }
        let recurring = index.finish();
        for text in &raw {
            recurring.spans(text, &mut spans);
            check_boiler_spans("recurring boilerplate", text, &spans);
        }
    }
    let texts: Vec<&str> = blanked.iter().map(String::as_str).collect();

    // Name keys on their own.
    let mut names = NameExtractor::new();
    let mut keys = Vec::new();
    for text in &texts {
        names.keys(text, &mut keys);
        let mut previous = 0;
        for k in &keys {
            assert!(k.byte_start < k.byte_end && k.byte_end <= text.len(), "name key {k:?}");
            assert!(text.is_char_boundary(k.byte_start) && text.is_char_boundary(k.byte_end), "name key {k:?}");
            assert!(k.byte_start >= previous, "name keys out of order at {k:?}");
            previous = k.byte_start;
        }
    }

    // Features and stories.
    let doc_ins: Vec<DocIn> = docs
        .iter()
        .zip(&texts)
        .map(|(d, t)| DocIn {
            text: t,
            raw: &d.text,
            title: d.title.as_deref(),
            date: d.date.as_deref(),
            inject_panic: false,
        })
        .collect();
    let (mut features, errors) = all_features(&doc_ins, model);
    no_internal_errors(&errors);
    let names: Vec<Vec<(u64, Box<str>)>> = features.iter_mut().map(|f| std::mem::take(&mut f.names)).collect();
    let mut name_df: reprint_core::hash::IntMap<u64, u32> = Default::default();
    for doc in &names {
        for (h, _) in doc {
            *name_df.entry(*h).or_insert(0) += 1;
        }
    }
    let doc_dates: Vec<_> = features.iter().map(|f| f.date).collect();
    let chars: Vec<usize> = raw.iter().map(|t| t.chars().count()).collect();
    let dim = model.map_or(0, StaticModel::dim);
    for f in &features {
        assert_eq!(f.embedding.len(), dim, "embedding length");
        assert!(f.embedding.iter().all(|x| x.is_finite()), "embedding not finite");
    }
    let config = StoryConfig { link_similarity, ..StoryConfig::default() };
    let (corpus, edges) = story_edges(&config, &mut features, dim);
    for e in &edges {
        assert!(e.a < e.b && (e.b as usize) < n, "edge {e:?}");
        check_cosine("edge lexical score", e.lexical as f64);
        check_share("edge score", e.score as f64);
        check_share("edge thread score", e.thread as f64);
    }
    let stories = cluster(n, &edges, link_similarity);
    let threads = story_threads(&stories, &edges, config.thread_similarity);
    let story_count = stories.iter().map(|&s| s as usize + 1).max().unwrap_or(0);
    assert_eq!(threads.len(), story_count, "one thread per story");
    assert_eq!(stories.len(), n);
    let mut next_story = 0;
    for &s in &stories {
        assert!(s <= next_story, "stories not numbered by first document: {stories:?}");
        next_story = next_story.max(s + 1);
    }
    let members = story_members(&stories);
    assert_eq!(members.len(), next_story as usize);
    let pairs = story_pairs(&members, &stories, &edges, all_pairs_up_to);
    for &(a, b) in &pairs {
        assert!(a < b && stories[a as usize] == stories[b as usize], "pair ({a}, {b}) across stories");
    }

    // Pair analysis, per story.
    let pair_config = PairConfig::default();
    let ctx =
        PairContext { corpus: &corpus, clusters: &clusters, names: &names, name_df: &name_df, model, edges: &edges };
    let mut scratch = PairScratch::new(&pair_config);
    let offsets: Vec<Vec<usize>> = texts.iter().map(|t| char_offsets(t)).collect();
    let mut all_reports = Vec::new();
    for (s, m) in members.iter().enumerate() {
        let story_pairs: Vec<(u32, u32)> =
            pairs.iter().copied().filter(|&(a, _)| stories[a as usize] as usize == s).collect();
        if story_pairs.is_empty() {
            continue;
        }
        let (reports, errors) = analyse_story(&ctx, &texts, m, &story_pairs, &pair_config, &mut scratch);
        no_internal_errors(&errors);
        assert_eq!(reports.len(), story_pairs.len());
        for r in &reports {
            let (ta, tb) = (texts[r.a as usize], texts[r.b as usize]);
            for (i, p) in r.passages.iter().enumerate() {
                let what = format!("pair ({}, {}) passage {i}", r.a, r.b);
                check_span(&what, ta, &offsets[r.a as usize], (p.a.byte_start, p.a.byte_end), (p.a.start, p.a.end));
                check_span(&what, tb, &offsets[r.b as usize], (p.b.byte_start, p.b.byte_end), (p.b.start, p.b.end));
                check_share(&format!("{what} edit rate"), p.edit_rate);
                check_cosine(&format!("{what} score"), p.score);
            }
            let e = &r.evidence;
            for (what, x) in [
                ("containment_a", e.containment_a),
                ("containment_b", e.containment_b),
                ("jaccard", e.jaccard),
                ("paraphrase_share", e.paraphrase_share),
            ] {
                check_share(what, x);
            }
            if let Some(spin) = r.spin_score {
                check_share("spin score", spin);
            }
            assert!(r.shared_names.len() <= SHARED_NAMES_KEPT);
        }
        // Provenance, as the binary computes it for stories of 2 or more.
        let prov_docs: Vec<ProvenanceDocument> = m
            .iter()
            .map(|&d| ProvenanceDocument { document: d, date: doc_dates[d as usize], chars: chars[d as usize] })
            .collect();
        let prov_pairs: Vec<ProvenancePair> =
            reports.iter().map(|r| ProvenancePair::from_report(r, texts[r.a as usize], texts[r.b as usize])).collect();
        let p = provenance(&prov_docs, &prov_pairs);
        let order: BTreeSet<u32> = p.order.iter().map(|o| o.document).collect();
        assert_eq!(p.order.len(), m.len(), "provenance order");
        assert_eq!(order, m.iter().copied().collect(), "provenance order is not the story's documents");
        for edge in &p.edges {
            assert!(edge.source != edge.derived, "provenance edge to itself: {edge:?}");
            assert!(order.contains(&edge.source) && order.contains(&edge.derived), "edge outside the story");
            check_share("provenance confidence", edge.confidence);
            if edge.direction == Direction::Undetermined {
                assert_eq!(edge.confidence, 0.0, "undetermined edge with a confidence");
            }
            for evidence in &edge.evidence {
                assert!(!evidence.describe().is_empty());
            }
        }
        all_reports.extend(reports);
    }

    // The library's one call runs the same stages: it must find the same.
    let config = ScanConfig {
        story: StoryConfig { link_similarity, ..StoryConfig::default() },
        all_pairs_up_to,
        ..ScanConfig::default()
    };
    let scan_docs: Vec<ScanDocument> = docs
        .iter()
        .map(|d| ScanDocument {
            text: &d.text,
            title: d.title.as_deref(),
            date: d.date.as_deref(),
            inject_panic: false,
        })
        .collect();
    let out = Scanner::new(config, model).expect("valid settings").scan(&scan_docs, &NoObserver);
    no_internal_errors(&out.internal);
    assert_eq!(out.clusters, clusters, "Scanner: clusters");
    assert_eq!(out.texts, blanked, "Scanner: blanked texts");
    assert_eq!(out.stories, stories, "Scanner: stories");
    assert_eq!(out.chars, chars, "Scanner: chars");
    all_reports.sort_unstable_by_key(|r| (r.a, r.b));
    assert_eq!(format!("{:?}", out.reports), format!("{all_reports:?}"), "Scanner: pair reports");
    assert_eq!(out.labels.len(), members.len());
}

fn check_boiler_spans(what: &str, text: &str, spans: &[BoilerSpan]) {
    let offsets = char_offsets(text);
    let mut previous_end = 0;
    for (i, s) in spans.iter().enumerate() {
        let what = format!("{what} span {i} {s:?}");
        check_span(&what, text, &offsets, (s.byte_start, s.byte_end), (s.char_start, s.char_end));
        assert!(s.byte_start >= previous_end, "{what}: overlaps or precedes the previous span");
        previous_end = s.byte_end;
    }
}

/// A tiny model2vec model (8 dimensions, a few dozen English, CJK, Thai and
/// Arabic entries), so that the scan's embedding and paraphrase paths run.
pub fn tiny_model() -> &'static StaticModel {
    static MODEL: OnceLock<StaticModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        const WORDS: &[&str] = &[
            "[UNK]",
            "the",
            "a",
            "storm",
            "rain",
            "harbor",
            "bridge",
            "mayor",
            "city",
            "council",
            "said",
            "reopened",
            "closed",
            "after",
            "years",
            "repairs",
            "river",
            "flood",
            "police",
            "school",
            "bus",
            "monday",
            "vote",
            "budget",
            "##s",
            "##ed",
            "##ing",
            "##er",
            "東",
            "京",
            "大",
            "阪",
            "雨",
            "台",
            "風",
            "橋",
            "市",
            "長",
            "ฝน",
            "ตก",
            "สะพาน",
            "مطر",
            "جسر",
            "مدينة",
        ];
        let tokenizer = tokenizer_json(WORDS, true, None, &[]);
        let dim = 8;
        let values: Vec<f32> = (0..WORDS.len() * dim).map(|i| unit_value(i as u64)).collect();
        let bytes: Vec<u8> = values.iter().flat_map(|x| x.to_le_bytes()).collect();
        let weights = serialize(&[("embeddings", Dtype::F32, &[WORDS.len(), dim], &bytes)]);
        StaticModel::from_bytes(tokenizer.as_bytes(), &weights, br#"{"normalize": true}"#)
            .expect("the tiny model loads")
    })
}

/// A value in `[-1, 1)` from a counter.
fn unit_value(i: u64) -> f32 {
    let h = reprint_core::hash::mix64(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED);
    ((h >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
}

/// A `tokenizer.json` with a BERT normalizer, pre-tokenizer and WordPiece
/// model; `words[i]` has id `i`, `words[0]` is the unknown token.
fn tokenizer_json(words: &[&str], lowercase: bool, strip_accents: Option<bool>, added: &[(&str, usize)]) -> String {
    let vocab: serde_json::Map<String, Value> =
        words.iter().enumerate().map(|(i, w)| (w.to_string(), json!(i))).collect();
    let mut normalizer = json!({"type": "BertNormalizer", "lowercase": lowercase});
    if let Some(strip) = strip_accents {
        normalizer["strip_accents"] = json!(strip);
    }
    let added: Vec<Value> = added
        .iter()
        .map(|(content, id)| json!({"content": content, "id": id, "normalized": false, "special": true}))
        .collect();
    json!({
        "added_tokens": added,
        "normalizer": normalizer,
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "model": {"type": "WordPiece", "unk_token": words[0], "vocab": vocab},
    })
    .to_string()
}

// ---------------------------------------------------------------------------
// model_files

/// Texts every loaded model embeds.
const MODEL_TEXTS: &[&str] = &[
    "",
    "Storms and rain closed the harbor bridge on Monday.",
    "東京と大阪で雨。台風が来た。",
    "ฝนตกหนักที่สะพาน",
    "مطر غزير في المدينة",
    "e\u{301}te\u{301} cafe\u{301} 👩‍👩‍👧 ok",
    "\u{feff}line one\r\nline two\rthree\u{0}\u{7f}",
];

/// The model loaders on arbitrary bytes: `StaticModel::from_bytes` returns
/// an error or a model and never panics; a model tokenizes and embeds
/// texts without panicking, with known ids and ordered starts on character
/// boundaries; the safetensors reader keeps every tensor inside the data.
///
/// Byte 0 % 3 selects the layout of the rest:
/// - 0: `u16 LE` length of `tokenizer.json`, `u16 LE` length of
///   `config.json`, the two files, then `model.safetensors` (lengths cut
///   to what is there);
/// - 1: a model built from the bytes, `FLAGS 0xFF VOCAB 0xFF TEXT`: flag
///   bytes (normalizer options, dtype, mapping, weights, added tokens,
///   dimension), vocabulary entries separated by spaces or line feeds, and
///   a text to embed;
/// - 2: a `model.safetensors` file alone.
pub fn model_files(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 3 {
        0 => model_raw(rest),
        1 => model_built(rest),
        _ => check_tensors(rest),
    }
}

fn model_raw(data: &[u8]) {
    let length = |at: usize| data.get(at..at + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let (tokenizer_len, config_len) = (length(0), length(2));
    let rest = data.get(4..).unwrap_or_default();
    let (tokenizer, rest) = rest.split_at(tokenizer_len.min(rest.len()));
    let (config, safetensors) = rest.split_at(config_len.min(rest.len()));
    check_tensors(safetensors);
    match StaticModel::from_bytes(tokenizer, safetensors, config) {
        Ok(model) => {
            let own = lossy(tokenizer);
            exercise_model(&model, MODEL_TEXTS.iter().copied().chain([own.as_ref()]), false);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

fn model_built(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == SEPARATOR);
    let flags = parts.next().unwrap_or_default();
    let flag = |i: usize| flags.get(i).copied().unwrap_or(0);
    let vocab_text = lossy(parts.next().unwrap_or_default()).into_owned();
    let text = lossy(parts.next().unwrap_or_default()).into_owned();

    let mut words: Vec<&str> = vec!["[UNK]"];
    for w in vocab_text.split([' ', '\n']).filter(|w| !w.is_empty()) {
        if words.len() < 256 && !words.contains(&w) {
            words.push(w);
        }
    }
    let f0 = flag(0);
    let lowercase = f0 & 1 == 0;
    let strip_accents = match (f0 >> 1) & 3 {
        0 => None,
        1 => Some(true),
        _ => Some(false),
    };
    let normalize = f0 & 8 != 0;
    let dtype = [Dtype::F32, Dtype::F16, Dtype::BF16, Dtype::I8][((f0 >> 4) & 3) as usize];
    let use_mapping = f0 & 64 != 0;
    let use_weights = f0 & 128 != 0;
    let f1 = flag(1);
    let dim = (f1 & 7) as usize + 1;
    // Added tokens: up to two vocabulary entries matched on the raw text,
    // with ids past the vocabulary or of an entry.
    let added: Vec<(&str, usize)> = words
        .iter()
        .skip(1)
        .take(((f1 >> 3) & 3) as usize)
        .enumerate()
        .map(|(k, w)| (*w, if f1 & 32 != 0 { words.len() + k } else { k + 1 }))
        .collect();
    let vocab_size = added.iter().map(|&(_, id)| id + 1).max().unwrap_or(0).max(words.len());

    let mut tokenizer: Value = serde_json::from_str(&tokenizer_json(&words, lowercase, strip_accents, &added))
        .expect("our tokenizer.json parses");
    let f2 = flag(2);
    if f2 & 1 != 0 {
        tokenizer["normalizer"]["clean_text"] = json!(false);
    }
    if f2 & 2 != 0 {
        tokenizer["normalizer"]["handle_chinese_chars"] = json!(false);
    }
    if f2 & 4 != 0 {
        tokenizer["model"]["max_input_chars_per_word"] = json!(f2 >> 3);
    }
    let tokenizer = tokenizer.to_string();

    // Rows: one per id, or (with a mapping) fewer, shared.
    let rows = if use_mapping { vocab_size.div_ceil(2) } else { vocab_size };
    let values: Vec<f32> = (0..rows * dim).map(|i| unit_value(i as u64 ^ flag(3) as u64)).collect();
    let embeddings: Vec<u8> = match dtype {
        Dtype::F32 => values.iter().flat_map(|x| x.to_le_bytes()).collect(),
        Dtype::F16 => values.iter().flat_map(|x| f32_to_f16(*x).to_le_bytes()).collect(),
        Dtype::BF16 => values.iter().flat_map(|x| ((x.to_bits() >> 16) as u16).to_le_bytes()).collect(),
        _ => values.iter().map(|x| (x * 100.0) as i8 as u8).collect(),
    };
    let mapping: Vec<u8> = (0..vocab_size).flat_map(|i| ((i % rows) as i64).to_le_bytes()).collect();
    let weights: Vec<u8> = (0..vocab_size).flat_map(|i| (0.5 + (i % 3) as f32 * 0.25).to_le_bytes()).collect();
    let (embedding_shape, vocab_shape) = ([rows, dim], [vocab_size]);
    let mut tensors: Vec<(&str, Dtype, &[usize], &[u8])> = vec![("embeddings", dtype, &embedding_shape, &embeddings)];
    if use_mapping {
        tensors.push(("mapping", Dtype::I64, &vocab_shape, &mapping));
    }
    if use_weights {
        tensors.push(("weights", Dtype::F32, &vocab_shape, &weights));
    }
    let safetensors = serialize(&tensors);
    check_tensors(&safetensors);
    let config = if normalize { br#"{"normalize": true}"#.as_slice() } else { b"{}".as_slice() };
    let model = match StaticModel::from_bytes(tokenizer.as_bytes(), &safetensors, config) {
        Ok(model) => model,
        Err(e) => panic!("a well-formed model is refused: {e}\ntokenizer.json: {tokenizer}"),
    };
    assert_eq!(model.dim(), dim);
    assert_eq!(model.vocab_size(), vocab_size);
    assert_eq!(model.rows(), rows);
    assert_eq!(model.normalize(), normalize);
    exercise_model(&model, [text.as_str(), vocab_text.as_str()].into_iter().chain(MODEL_TEXTS.iter().copied()), true);
}

/// Half precision, rounded toward zero (enough for test vectors in
/// `[-1, 1]`).
fn f32_to_f16(x: f32) -> u16 {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exponent = ((bits >> 23) & 0xff) as i32 - 127 + 15;
    if exponent <= 0 {
        return sign;
    }
    sign | ((exponent.min(30) as u16) << 10) | ((bits >> 13) & 0x3ff) as u16
}

/// Tokenizes and embeds `texts`; with `bounded` vectors (the model was
/// built here), a normalized embedding has length 1 or 0.
fn exercise_model<'t>(model: &StaticModel, texts: impl Iterator<Item = &'t str>, bounded: bool) {
    assert!(model.dim() > 0 && model.rows() > 0);
    let mut reused = TokenIds::default();
    let mut out = vec![0f32; model.dim()];
    for text in texts {
        let mut ids = TokenIds::default();
        model.token_ids(text, &mut ids);
        assert_eq!(ids.ids.len(), ids.starts.len(), "one start per id");
        let mut previous = 0;
        for (&id, &start) in ids.ids.iter().zip(&ids.starts) {
            assert!((id as usize) < model.vocab_size(), "id {id} of {}", model.vocab_size());
            assert_ne!(id, model.unknown_id(), "the unknown id is kept");
            let start = start as usize;
            assert!(start < text.len() && text.is_char_boundary(start), "token start {start} in {text:?}");
            assert!(start >= previous, "token starts decrease");
            previous = start;
        }
        assert_eq!(ids.range(0..text.len()), 0..ids.len());
        let half = text.char_indices().nth(text.chars().count() / 2).map_or(0, |(b, _)| b);
        let (front, back) = (ids.range(0..half), ids.range(half..text.len()));
        assert!(front.end == back.start && back.end == ids.len(), "ranges {front:?} {back:?}");
        model.token_ids(text, &mut reused);
        assert_eq!((&reused.ids, &reused.starts), (&ids.ids, &ids.starts), "reused TokenIds differ");

        model.pool(&ids.ids, &mut out);
        let mut encoded = vec![0f32; model.dim()];
        model.encode(text, &mut encoded);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&out), bits(&encoded), "pool of token_ids differs from encode");
        if bounded {
            assert!(out.iter().all(|x| x.is_finite()), "embedding not finite: {out:?}");
            let norm = out.iter().map(|&x| x as f64 * x as f64).sum::<f64>().sqrt();
            if model.normalize() && norm > 1e-6 {
                assert!((norm - 1.0).abs() < 1e-3, "normalized embedding of length {norm}");
            }
            if ids.is_empty() {
                assert!(out.iter().all(|&x| x == 0.0), "no token, yet {out:?}");
            }
        }
    }
}

/// `Tensors::parse`: every tensor's data is exactly its shape's elements;
/// conversions give one value per element, indices below their bound.
fn check_tensors(bytes: &[u8]) {
    let Ok(tensors) = Tensors::parse(bytes) else { return };
    let names: Vec<String> = tensors.names().map(str::to_string).collect();
    for name in &names {
        let t = tensors.get(name).expect("a listed tensor");
        let elements = t.shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d)).expect("shape checked");
        assert_eq!(t.data.len(), elements * t.dtype.size(), "tensor {name}: data of shape {:?}", t.shape);
        if let Ok(values) = t.to_f32() {
            assert_eq!(values.len(), elements, "tensor {name}: to_f32");
        }
        for bound in [0, 1, 1000, usize::MAX] {
            if let Ok(indices) = t.to_indices(bound) {
                assert_eq!(indices.len(), elements, "tensor {name}: to_indices");
                assert!(indices.iter().all(|&i| (i as usize) < bound), "tensor {name}: index over {bound}");
            }
        }
    }
}

/// The scan stages isolate panics per item ([`reprint_core::isolate`]); for
/// the fuzzer a caught panic is as much a bug as an uncaught one.
fn no_internal_errors(errors: &[reprint_core::isolate::InternalError]) {
    assert!(errors.is_empty(), "internal errors: {errors:?}");
}
