//! Sentences with offsets: where the sentences of an article begin and end.
//!
//! A [`SentenceSplitter`] walks the original text of a news or web article,
//! scraped or not, and reports every sentence as a half-open byte range and
//! character (Unicode scalar value) range into that text, trimmed of white
//! space, in order and without overlap. Every character of the text that is
//! not white space lies in exactly one sentence: headings, list items,
//! bylines and captions are sentences of their own, with their Markdown
//! markers (`## `, `- `, `1. `) included.
//!
//! # Where a sentence ends
//!
//! - **Terminal punctuation**: a run of `.`, `!`, `?`, `…` followed by white
//!   space or the end of the text, together with the closing quotes,
//!   brackets and emphasis markers right after it (`."`, `.”`, `?’`, `.)`,
//!   `.**`). CJK `。！？` end a sentence whatever follows.
//! - **Not** when the next word starts with a lower-case letter (`“Why?” he
//!   asked`, `etc. and`, `5 p.m. on`, `wait… then`).
//! - **Not** after a [`Abbreviation::Title`] (`Mr.`, `Dr.`, `Gen.`, `St.`,
//!   `vs.`); after a [`Abbreviation::Common`] abbreviation (`etc.`, `Inc.`,
//!   `No.`, `Feb.`) only before a capital letter (so never before a
//!   digit: `No. 5`, `Feb. 5`); after a [`Abbreviation::NamePart`] (`Jr.`,
//!   `Sr.`), a single capital initial (`John F. Kennedy`) or an initialism
//!   (`U.S.`, `E.U.`, `p.m.`) only before a word that commonly opens a
//!   sentence (`The`, `He`, `But` …): `the U.S. President` is one sentence,
//!   `in the U.S. The next day` two.
//! - Periods inside a word never end anything: decimals (`3.5`), domains
//!   and addresses (`example.com`, `a@b.org`), `Gov.-Events`.
//! - **Lines.** A blank line always ends a sentence. A single line break
//!   ends one when either line is a heading (`#`) or a list item (`-`, `*`,
//!   `+`, `•`, `1.`, `1)`), or when the earlier line ends without terminal
//!   punctuation and the next one does not start in lower case (a title, a
//!   byline, a caption, `Date Created 02/07/2022`) — unless the earlier
//!   line visibly goes on (it ends with `,`, `;`, `:`, a dash, or a word such
//!   as `the`, `of`, `and`) or is part of a hard-wrapped block. A block of
//!   at least three lines whose longest line has 40 to 120 characters is
//!   taken as hard-wrapped, and a line in it at least 60% as long as the
//!   longest one continues on the next line. After terminal punctuation the
//!   rules above decide, as they do within a line.
//!
//! These are heuristics for English news text; they do not know every
//! abbreviation and read a sentence that starts in lower case after a
//! period as the continuation of the previous one.
//!
//! # Cost
//!
//! Linear in the length of the text: every byte is looked at a bounded
//! number of times (each block of lines twice, white space after terminal
//! punctuation once more). Nothing is allocated but the output vector.

use std::collections::HashMap;

/// One sentence: half-open ranges into the original text, trimmed of white
/// space.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Sentence {
    /// Byte offset of the first byte.
    pub byte_start: usize,
    /// Byte offset one past the last byte.
    pub byte_end: usize,
    /// Character offset of the first character.
    pub char_start: usize,
    /// Character offset one past the last character.
    pub char_end: usize,
}

impl Sentence {
    /// The sentence in `text`, the text it was found in.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.byte_start..self.byte_end]
    }
}

/// How an abbreviation followed by a period treats the next word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Abbreviation {
    /// Stands before a name: never ends a sentence (`Mr.`, `Dr.`, `Gen.`).
    Title,
    /// Ends a name: ends a sentence only before a word that commonly opens
    /// one, such as `The` or `He` (`Jr.`, `Sr.`). Initials and initialisms
    /// (`F.`, `U.S.`, `p.m.`) are treated so without being listed.
    NamePart,
    /// Ends a sentence only before a capital letter (`etc.`, `Inc.`, `Feb.`).
    Common,
}

/// Longest abbreviation (without its final period), in bytes.
const MAX_ABBREVIATION: usize = 15;

const TITLES: &[&str] = &[
    "adm", "brig", "capt", "cmdr", "col", "cpl", "dr", "fr", "ft", "gen", "gov", "hon", "lt", "maj", "messrs", "mme",
    "mlle", "mr", "mrs", "ms", "mt", "pres", "prof", "pvt", "rep", "rev", "sen", "sgt", "st", "supt", "v", "vs",
];

const NAME_PARTS: &[&str] = &["jr", "sr"];

const COMMON: &[&str] = &[
    "al", "approx", "apr", "assn", "ave", "bln", "blvd", "bros", "ca", "cf", "co", "corp", "dec", "dept", "e.g", "est",
    "etc", "feb", "fig", "figs", "govt", "i.e", "inc", "intl", "jan", "jul", "jun", "ltd", "mar", "mln", "natl", "no",
    "nos", "nov", "oct", "ph.d", "pp", "rd", "sep", "sept", "univ", "viz", "vol", "vols",
];

/// Words that commonly open a sentence: after an initial or initialism
/// they mark a sentence end (`… in the U.S. The …`).
const OPENERS: &[&str] = &[
    "a",
    "after",
    "also",
    "an",
    "and",
    "as",
    "at",
    "before",
    "but",
    "for",
    "he",
    "her",
    "his",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "many",
    "meanwhile",
    "most",
    "my",
    "no",
    "on",
    "our",
    "she",
    "so",
    "some",
    "still",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "we",
    "what",
    "when",
    "while",
    "who",
    "why",
    "yet",
    "you",
];

/// Lower-case words that leave a line unfinished when they end it.
const CONTINUING: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "her", "his", "in",
    "is", "its", "nor", "of", "on", "or", "said", "that", "the", "their", "to", "was", "were", "which", "who", "with",
];

/// Splits texts into sentences. Immutable once built: one splitter can be
/// shared by every thread.
#[derive(Clone, Debug)]
pub struct SentenceSplitter {
    /// Lower-case ASCII abbreviations without their final period.
    abbreviations: HashMap<Box<str>, Abbreviation>,
}

impl Default for SentenceSplitter {
    fn default() -> SentenceSplitter {
        SentenceSplitter::new()
    }
}

impl SentenceSplitter {
    /// A splitter that knows the common English abbreviations of news text:
    /// titles (`Mr.`, `Gen.`, `Sen.` …), months (`Jan.` … `Sept.`), `Jr.`,
    /// `Sr.`, `etc.`, `e.g.`, `i.e.`, `vs.`, `No.`, `Inc.`, `Corp.`, `Ltd.`,
    /// `Co.` and a few more.
    pub fn new() -> SentenceSplitter {
        let lists =
            [(TITLES, Abbreviation::Title), (NAME_PARTS, Abbreviation::NamePart), (COMMON, Abbreviation::Common)];
        let abbreviations =
            lists.iter().flat_map(|&(words, kind)| words.iter().map(move |&w| (Box::from(w), kind))).collect();
        SentenceSplitter { abbreviations }
    }

    /// Adds (or reclassifies) an abbreviation, given without its final
    /// period (`"Gen"`, `"z.B"`). Case does not matter. Only ASCII words of
    /// up to 15 bytes can be abbreviations; others are ignored.
    pub fn with_abbreviation(mut self, word: &str, kind: Abbreviation) -> SentenceSplitter {
        if word.is_ascii() && !word.is_empty() && word.len() <= MAX_ABBREVIATION {
            self.abbreviations.insert(word.to_ascii_lowercase().into_boxed_str(), kind);
        }
        self
    }

    /// How `word` (without its final period) is treated, if it is a known
    /// abbreviation.
    pub fn abbreviation(&self, word: &str) -> Option<Abbreviation> {
        if word.is_empty() || word.len() > MAX_ABBREVIATION || !word.is_ascii() {
            return None;
        }
        let mut buf = [0u8; MAX_ABBREVIATION];
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        let lower = std::str::from_utf8(lower).ok()?;
        self.abbreviations.get(lower).copied()
    }

    /// The sentences of `text`, for tests and small jobs.
    pub fn sentences(&self, text: &str) -> Vec<Sentence> {
        let mut out = Vec::new();
        self.split(text, &mut out);
        out
    }

    /// Writes the sentences of `text` into `out` (cleared first), in order.
    pub fn split(&self, text: &str, out: &mut Vec<Sentence>) {
        out.clear();
        let mut state = State { text, out, open: None, last_end: 0, mark: (0, 0) };
        let mut pos = 0;
        while pos < text.len() {
            let line = line_at(text, pos);
            if text[line.start..line.end].trim().is_empty() {
                // A blank line (or white space at the very end).
                state.close();
                pos = line.next;
                continue;
            }
            // A block: the lines up to the next blank line. A first pass
            // measures them for the hard-wrap test.
            let mut lines = 0usize;
            let mut longest = 0usize;
            let mut end = pos;
            while end < text.len() {
                let line = line_at(text, end);
                let trimmed = text[line.start..line.end].trim();
                if trimmed.is_empty() {
                    break;
                }
                lines += 1;
                longest = longest.max(char_count(trimmed));
                end = line.next;
            }
            let wrapped = lines >= 3 && (40..=120).contains(&longest);
            let wrap_width = if wrapped { longest * 6 / 10 } else { usize::MAX };
            self.block(&mut state, pos, end, wrap_width);
            pos = end;
        }
        state.close();
    }

    /// The lines of one block (no blank line among them), `start..end`.
    /// Lines at least `wrap_width` characters long are hard-wrapped.
    fn block(&self, state: &mut State, start: usize, end: usize, wrap_width: usize) {
        let text = state.text;
        let mut previous: Option<(LineKind, LineEnd, bool)> = None;
        let mut pos = start;
        while pos < end {
            let line = line_at(text, pos);
            pos = line.next;
            let raw = &text[line.start..line.end];
            let trimmed_start = line.start + (raw.len() - raw.trim_start().len());
            let trimmed_end = line.start + raw.trim_end().len();
            let (kind, marker_end) = line_kind(text, trimmed_start, trimmed_end);
            if let (Some((previous_kind, previous_end, previous_wrapped)), true) = (previous, state.open.is_some()) {
                let close = if previous_kind != LineKind::Plain || kind != LineKind::Plain {
                    true
                } else {
                    previous_end == LineEnd::Open
                        && !previous_wrapped
                        && !first_letter(&text[trimmed_start..trimmed_end]).is_some_and(char::is_lowercase)
                };
                if close {
                    state.close();
                }
            }
            let line_end = self.scan_line(state, trimmed_start, marker_end, trimmed_end);
            let wrapped = char_count(&text[trimmed_start..trimmed_end]) >= wrap_width;
            previous = Some((kind, line_end, wrapped));
        }
    }

    /// Finds the sentence ends within the line `start..end` (trimmed), whose
    /// list or heading marker ends at `marker_end`. Says how the line ends.
    fn scan_line(&self, state: &mut State, start: usize, marker_end: usize, end: usize) -> LineEnd {
        let text = state.text;
        if marker_end > start {
            state.touch(start, marker_end);
        }
        let mut ended = false;
        let mut i = marker_end;
        let mut word_start = i;
        while i < end {
            let c = char_at(text, i);
            let next = i + c.len_utf8();
            if c.is_whitespace() {
                i = next;
                word_start = i;
                continue;
            }
            ended = false;
            match c {
                '。' | '！' | '？' | '｡' => {
                    let close = skip_closers(text, skip_terminators(text, next, end), end);
                    state.touch(i, close);
                    state.close();
                    ended = close == end;
                    i = close;
                    word_start = i;
                }
                '.' | '!' | '?' | '…' => {
                    let run_end = skip_terminators(text, i, end);
                    let close = skip_closers(text, run_end, end);
                    state.touch(i, close);
                    if close == end || char_at(text, close).is_whitespace() {
                        if self.ends(text, word_start, i, run_end, close) {
                            state.close();
                        }
                        ended = close == end;
                    }
                    i = close;
                }
                _ => {
                    state.touch(i, next);
                    i = next;
                }
            }
        }
        if ended {
            LineEnd::Terminal
        } else if goes_on(&text[start..end]) {
            LineEnd::Continues
        } else {
            LineEnd::Open
        }
    }

    /// Whether the terminal punctuation `text[at..run_end]` (closed up to
    /// `close`, where white space or the end follows) ends a sentence; the
    /// word before it starts at `word_start`.
    fn ends(&self, text: &str, word_start: usize, at: usize, run_end: usize, close: usize) -> bool {
        let (first, word) = match next_word(text, close) {
            Next::End | Next::Paragraph => return true,
            Next::Word(first, word) => (first, word),
        };
        if first.is_lowercase() {
            return false;
        }
        if &text[at..run_end] != "." {
            return true;
        }
        let before = text[word_start..at].trim_start_matches(is_opener).trim_end_matches(is_closer);
        if before.is_empty() {
            return true;
        }
        match self.abbreviation(before) {
            Some(Abbreviation::Title) => false,
            Some(Abbreviation::Common) => !first.is_numeric(),
            Some(Abbreviation::NamePart) => opens_sentence(word),
            None if is_initialism(before) => !first.is_numeric() && opens_sentence(word),
            None => true,
        }
    }
}

/// The sentences being collected, and the one that is open.
struct State<'a> {
    text: &'a str,
    out: &'a mut Vec<Sentence>,
    /// Byte start of the open sentence.
    open: Option<usize>,
    /// End of its last character that is not white space.
    last_end: usize,
    /// (byte, char) offsets of the last converted position.
    mark: (usize, usize),
}

impl State<'_> {
    /// Adds `start..end` (not white space) to the open sentence, opening one
    /// if none is.
    #[inline]
    fn touch(&mut self, start: usize, end: usize) {
        if self.open.is_none() {
            self.open = Some(start);
        }
        self.last_end = end;
    }

    fn close(&mut self) {
        if let Some(start) = self.open.take() {
            let char_start = self.char_offset(start);
            let char_end = self.char_offset(self.last_end);
            self.out.push(Sentence { byte_start: start, byte_end: self.last_end, char_start, char_end });
        }
    }

    /// Character offset of byte offset `byte`, which is never before the
    /// last one converted: linear over a whole text.
    fn char_offset(&mut self, byte: usize) -> usize {
        let bytes = &self.text.as_bytes()[self.mark.0..byte];
        self.mark.1 += bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
        self.mark.0 = byte;
        self.mark.1
    }
}

/// One line: `start..end` without its line feed; the next line starts at
/// `next`.
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

fn line_at(text: &str, start: usize) -> Line {
    match text.as_bytes()[start..].iter().position(|&b| b == b'\n') {
        Some(n) => Line { start, end: start + n, next: start + n + 1 },
        None => Line { start, end: text.len(), next: text.len() },
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LineKind {
    Plain,
    /// A Markdown heading: `#` to `######` and a space.
    Heading,
    /// A list item: `-`, `*`, `+`, `•`, or up to three digits and `.` or `)`,
    /// followed by a space.
    ListItem,
}

/// How a line ends, for the decision at the next line break.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LineEnd {
    /// In terminal punctuation: the punctuation rules have decided.
    Terminal,
    /// In `,`, `;`, `:`, a dash or a word like `the`: the sentence goes on.
    Continues,
    /// In anything else.
    Open,
}

/// The kind of the trimmed line `start..end` and where its marker ends.
fn line_kind(text: &str, start: usize, end: usize) -> (LineKind, usize) {
    let line = &text.as_bytes()[start..end];
    let spaced = |n: usize| line.get(n).is_none_or(|&b| b == b' ' || b == b'\t');
    let hashes = line.iter().take_while(|&&b| b == b'#').count();
    if (1..=6).contains(&hashes) && spaced(hashes) {
        return (LineKind::Heading, start + hashes);
    }
    if matches!(line.first(), Some(b'-' | b'*' | b'+')) && spaced(1) && line.len() > 1 {
        return (LineKind::ListItem, start + 1);
    }
    if text[start..end].starts_with('•') && spaced('•'.len_utf8()) {
        return (LineKind::ListItem, start + '•'.len_utf8());
    }
    let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=3).contains(&digits) && matches!(line.get(digits), Some(b'.' | b')')) && spaced(digits + 1) {
        return (LineKind::ListItem, start + digits + 1);
    }
    (LineKind::Plain, start)
}

/// Whether a line (trimmed, not ending in terminal punctuation) visibly
/// goes on: it ends with `,`, `;`, `:`, a dash, an opening bracket, or a
/// lower-case word like `the` or `of`.
fn goes_on(line: &str) -> bool {
    let line = line.trim_end_matches(is_closer);
    match line.chars().next_back() {
        Some(',' | ';' | ':' | '-' | '–' | '—' | '(' | '[' | '&' | '/') => true,
        Some(c) if c.is_alphabetic() => {
            let word_start = line.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |i| i + char_at(line, i).len_utf8());
            CONTINUING.contains(&&line[word_start..])
        }
        _ => false,
    }
}

/// What follows terminal punctuation.
enum Next<'t> {
    /// The end of the text.
    End,
    /// A blank line.
    Paragraph,
    /// A word (after opening quotes and brackets), with its first character,
    /// cut at 32 bytes.
    Word(char, &'t str),
}

fn next_word(text: &str, from: usize) -> Next<'_> {
    let mut line_feeds = 0;
    let mut start = text.len();
    for (i, c) in text[from..].char_indices() {
        if c == '\n' {
            line_feeds += 1;
            if line_feeds >= 2 {
                return Next::Paragraph;
            }
        } else if !c.is_whitespace() && !is_opener(c) {
            start = from + i;
            break;
        }
    }
    let Some(first) = text[start..].chars().next() else { return Next::End };
    let rest = &text[start..];
    let end = rest
        .char_indices()
        .take_while(|&(i, c)| i < 32 && c.is_alphanumeric())
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    Next::Word(first, &rest[..end])
}

fn opens_sentence(word: &str) -> bool {
    OPENERS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Single letters joined by periods (`U.S`, `p.m`, `E.U`, the last period
/// cut off), or one capital letter (an initial).
fn is_initialism(word: &str) -> bool {
    let mut parts = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_alphabetic() => parts += 1,
            _ => return false,
        }
    }
    parts >= 2 || word.chars().next().is_some_and(char::is_uppercase)
}

/// Characters that open a quotation, a bracket or Markdown emphasis.
fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '«' | '‹' | '(' | '[' | '{' | '*' | '_' | '¿' | '¡' | '「' | '『' | '（')
}

/// Characters that close a quotation, a bracket or Markdown emphasis; they
/// belong to the sentence their terminal punctuation ends.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '”'
            | '’'
            | '»'
            | '›'
            | ')'
            | ']'
            | '}'
            | '*'
            | '_'
            | '」'
            | '』'
            | '）'
            | '］'
            | '】'
            | '》'
            | '〉'
    )
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？' | '｡')
}

/// The end of the run of terminal punctuation starting at `from`.
fn skip_terminators(text: &str, from: usize, end: usize) -> usize {
    from + text[from..end].find(|c| !is_terminator(c)).unwrap_or(end - from)
}

/// The end of the run of closing characters starting at `from`.
fn skip_closers(text: &str, from: usize, end: usize) -> usize {
    from + text[from..end].find(|c| !is_closer(c)).unwrap_or(end - from)
}

/// The first letter or digit of a line, after markup and quotes.
fn first_letter(line: &str) -> Option<char> {
    line.chars().find(|c| c.is_alphanumeric())
}

#[inline]
fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        b as char
    } else {
        text[i..].chars().next().expect("a char boundary inside the text")
    }
}

fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentences of `text`, checked for consistent offsets.
    fn split(text: &str) -> Vec<&str> {
        let sentences = SentenceSplitter::new().sentences(text);
        let chars: Vec<char> = text.chars().collect();
        for s in &sentences {
            let by_chars: String = chars[s.char_start..s.char_end].iter().collect();
            assert_eq!(by_chars, s.text(text), "char offsets of {s:?}");
        }
        sentences.iter().map(|s| s.text(text)).collect()
    }

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(split(text), expected, "sentences of {text:?}");
    }

    #[test]
    fn terminal_punctuation() {
        check("One. Two! Three? Four… Five", &["One.", "Two!", "Three?", "Four…", "Five"]);
        check("Really?! Yes... No.", &["Really?!", "Yes...", "No."]);
        check("  Leading and trailing.  \n ", &["Leading and trailing."]);
        check("", &[]);
        check(" \n\n\t ", &[]);
        check("no punctuation at all", &["no punctuation at all"]);
    }

    #[test]
    fn closing_quotes_and_brackets_belong_to_the_sentence() {
        check("He said \"stop.\" Then he left.", &["He said \"stop.\"", "Then he left."]);
        check("She said “go.” They went.", &["She said “go.”", "They went."]);
        check("‘Why?’ Nobody knew.", &["‘Why?’", "Nobody knew."]);
        check("(It rained.) Then it stopped.", &["(It rained.)", "Then it stopped."]);
        check("**Bold claim.** Next one.", &["**Bold claim.**", "Next one."]);
        check("“Why?” he asked.", &["“Why?” he asked."]);
        check("It was an “invasion”. Tokyo balked.", &["It was an “invasion”.", "Tokyo balked."]);
    }

    #[test]
    fn abbreviations() {
        check("Mr. Smith met Dr. Jones. They talked.", &["Mr. Smith met Dr. Jones.", "They talked."]);
        check(
            "Gen. Milley and Sen. Warren spoke with Lt. Col. Vindman.",
            &["Gen. Milley and Sen. Warren spoke with Lt. Col. Vindman."],
        );
        check(
            "It opened on Feb. 5, 2022. It closed in Sept. 2023.",
            &["It opened on Feb. 5, 2022.", "It closed in Sept. 2023."],
        );
        check(
            "Apples, pears, etc. are fruit. Carrots are not.",
            &["Apples, pears, etc. are fruit.", "Carrots are not."],
        );
        check("He ate apples, pears, etc. The end.", &["He ate apples, pears, etc.", "The end."]);
        check("Fruit, e.g. apples, i.e. food. Yes.", &["Fruit, e.g. apples, i.e. food.", "Yes."]);
        check("Brazil vs. Argentina ended 1-1.", &["Brazil vs. Argentina ended 1-1."]);
        check(
            "Acme Inc. said No. 5 sold out. Acme Corp. Ltd. Co. agreed.",
            &["Acme Inc. said No. 5 sold out.", "Acme Corp.", "Ltd.", "Co. agreed."],
        );
        check(
            "Martin Luther King Jr. spoke. Martin Luther King Jr. The crowd cheered.",
            &["Martin Luther King Jr. spoke.", "Martin Luther King Jr.", "The crowd cheered."],
        );
        check("The answer was no. The question stayed.", &["The answer was no.", "The question stayed."]);
    }

    #[test]
    fn initials_and_initialisms() {
        check("John F. Kennedy was shot. He died.", &["John F. Kennedy was shot.", "He died."]);
        check("The U.S. President met U.N. and E.U. envoys.", &["The U.S. President met U.N. and E.U. envoys."]);
        check("He flew to the U.S. The talks began.", &["He flew to the U.S.", "The talks began."]);
        check(
            "It ends at 5 p.m. on Friday. At 6 p.m. Tuesday it reopens.",
            &["It ends at 5 p.m. on Friday.", "At 6 p.m. Tuesday it reopens."],
        );
        check("Ask the U.K. Government.", &["Ask the U.K. Government."]);
    }

    #[test]
    fn periods_inside_words() {
        check("Growth was 3.5 percent. Prices rose.", &["Growth was 3.5 percent.", "Prices rose."]);
        check(
            "See example.com/a.html or mail a.b@example.org. Then wait.",
            &["See example.com/a.html or mail a.b@example.org.", "Then wait."],
        );
        check("Visit https://example.com. It works.", &["Visit https://example.com.", "It works."]);
        check("2. Politics-Geopolitics-Gov.-Events", &["2. Politics-Geopolitics-Gov.-Events"]);
    }

    #[test]
    fn ellipsis_inside_a_sentence() {
        check("He waited… and waited. Then… Nothing.", &["He waited… and waited.", "Then…", "Nothing."]);
        check("So... what now?", &["So... what now?"]);
    }

    #[test]
    fn lower_case_continues() {
        check("The No. one seed won. approx. ten left.", &["The No. one seed won. approx. ten left."]);
        check("It is Yahoo! news today.", &["It is Yahoo! news today."]);
    }

    #[test]
    fn cjk() {
        check("東京は晴れ。大阪は雨！本当？", &["東京は晴れ。", "大阪は雨！", "本当？"]);
        check("他说：“走吧。”然后走了。", &["他说：“走吧。”", "然后走了。"]);
    }

    #[test]
    fn unicode_offsets() {
        let text = "Ünïcode 🎉 works. 東京は晴れ。 Ça va? Oui.";
        check(text, &["Ünïcode 🎉 works.", "東京は晴れ。", "Ça va?", "Oui."]);
        let sentences = SentenceSplitter::new().sentences(text);
        assert_eq!((sentences[0].char_start, sentences[0].char_end), (0, 16));
        assert_eq!((sentences[0].byte_start, sentences[0].byte_end), (0, 21));
        assert_eq!((sentences[1].char_start, sentences[1].char_end), (17, 23));
        assert_eq!((sentences[1].byte_start, sentences[1].byte_end), (22, 40));
        assert_eq!((sentences[2].char_start, sentences[2].char_end), (24, 30));
    }

    #[test]
    fn paragraphs_always_end_sentences() {
        check("A sentence without end\n\nand another one", &["A sentence without end", "and another one"]);
        check("Mr.\n\nSmith", &["Mr.", "Smith"]);
        check("One\r\n\r\nTwo", &["One", "Two"]);
    }

    #[test]
    fn headings_and_list_items() {
        check(
            "## A heading\nThe text starts here. It goes on.",
            &["## A heading", "The text starts here.", "It goes on."],
        );
        check(
            "### Category\n\n1. Main\n2. Politics\n- one item\n* another item\n• a bullet",
            &["### Category", "1. Main", "2. Politics", "- one item", "* another item", "• a bullet"],
        );
        check("Text before a list:\n- first\n- second", &["Text before a list:", "- first", "- second"]);
        check("#hashtag is not a heading\nbut text", &["#hashtag is not a heading\nbut text"]);
        check("*Kyodo* news agency\nreported it.", &["*Kyodo* news agency\nreported it."]);
    }

    #[test]
    fn short_lines_without_punctuation() {
        check(
            "Japan rejects US insistence\nJapanese officials said no. They waited.",
            &["Japan rejects US insistence", "Japanese officials said no.", "They waited."],
        );
        check(
            "by Al Mayadeen\nDate Created 02/07/2022\nA photo caption\nThe story.",
            &["by Al Mayadeen", "Date Created 02/07/2022", "A photo caption", "The story."],
        );
        check("The end.\nAnother line.", &["The end.", "Another line."]);
    }

    #[test]
    fn hard_wrapped_lines() {
        check(
            "The ministry said that the\nissue was speculative. It would\nnot comment.",
            &["The ministry said that the\nissue was speculative.", "It would\nnot comment."],
        );
        check(
            "Sanctions were discussed by the\nJapanese government on Saturday.",
            &["Sanctions were discussed by the\nJapanese government on Saturday."],
        );
        check("Prices rose,\nAnalysts said.", &["Prices rose,\nAnalysts said."]);
        // A block of lines of nearly equal length is hard-wrapped even
        // where a line ends in a name.
        let wrapped = "The talks were held in Tokyo on Saturday with Prime Minister\n\
                       Fumio Kishida and Foreign Minister Yoshimasa Hayashi, who said\n\
                       Japan would act.";
        check(wrapped, &[wrapped]);
        check("Mr.\nSmith arrived.", &["Mr.\nSmith arrived."]);
    }

    #[test]
    fn custom_abbreviations() {
        let splitter = SentenceSplitter::new().with_abbreviation("Approx", Abbreviation::Title);
        let text = "It costs approx. Ten dollars.";
        assert_eq!(splitter.sentences(text).len(), 1);
        assert_eq!(SentenceSplitter::new().sentences(text).len(), 2);
        assert_eq!(splitter.abbreviation("APPROX"), Some(Abbreviation::Title));
        assert_eq!(splitter.abbreviation("Kishida"), None);
    }

    #[test]
    fn buffer_is_reused() {
        let splitter = SentenceSplitter::new();
        let mut out = Vec::new();
        splitter.split("One. Two.", &mut out);
        assert_eq!(out.len(), 2);
        splitter.split("Three", &mut out);
        assert_eq!(out.len(), 1);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            /// Sentences are in order, trimmed, on char boundaries, with
            /// agreeing byte and char offsets, and cover every character
            /// that is not white space.
            #[test]
            fn sentences_cover_the_text(
                text in "(\\PC|[aZ .!?…。\"”’)(*#\n-]|Mr\\. |U\\.S\\. |\n\n|1\\. |東京|🎉){0,80}"
            ) {
                let sentences = SentenceSplitter::new().sentences(&text);
                let chars: Vec<char> = text.chars().collect();
                let mut covered = vec![false; text.len()];
                let mut last_end = 0;
                for s in &sentences {
                    prop_assert!(last_end <= s.byte_start && s.byte_start < s.byte_end && s.byte_end <= text.len());
                    prop_assert!(text.is_char_boundary(s.byte_start) && text.is_char_boundary(s.byte_end));
                    let sentence = s.text(&text);
                    prop_assert_eq!(sentence.trim(), sentence);
                    let by_chars: String = chars[s.char_start..s.char_end].iter().collect();
                    prop_assert_eq!(by_chars.as_str(), sentence);
                    covered[s.byte_start..s.byte_end].iter_mut().for_each(|c| *c = true);
                    last_end = s.byte_end;
                }
                for (i, c) in text.char_indices() {
                    prop_assert!(c.is_whitespace() || covered[i], "{:?} at {} is in no sentence", c, i);
                }
            }
        }
    }
}
