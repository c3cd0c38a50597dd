//! The English word lists, in one place: stop words (the aligner, the
//! story tier, paraphrase), month and weekday names (dates, boilerplate),
//! and a crude stemmer. Lists with one user and one purpose stay beside it
//! (sentence abbreviations in `sentence`, capitalized non-names in `names`,
//! furniture phrases in `boilerplate`).

use crate::hash::IntHasher;

/// English stop words: function words that carry no content. Seeds need
/// content words, so runs of these never create passages.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "new",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "s",
    "said",
    "same",
    "says",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

pub fn is_stop_word(word: &str) -> bool {
    // Called for every word of every text, several times: a hash set
    // (one short hash, one comparison on a hit) instead of a binary search
    // (eight string comparisons).
    static SET: std::sync::LazyLock<std::collections::HashSet<&str, std::hash::BuildHasherDefault<IntHasher>>> =
        std::sync::LazyLock::new(|| STOP_WORDS.iter().copied().collect());
    word.len() <= MAX_STOP_WORD_BYTES && SET.contains(word)
}

/// The longest stop word, in bytes.
const MAX_STOP_WORD_BYTES: usize = 10;

/// A crude, language-blind stemmer: strips a possessive and the commonest
/// English inflections so that "reports", "reported" and "reporting" meet.
pub fn stem(word: &str) -> &str {
    let w = word.strip_suffix("'s").unwrap_or(word);
    for (suffix, min_rest) in [("ing", 4), ("ed", 4), ("es", 4), ("s", 3), ("ly", 4)] {
        if let Some(rest) = w.strip_suffix(suffix) {
            if rest.chars().count() >= min_rest && !rest.ends_with('s') {
                return rest;
            }
        }
    }
    w
}

/// English month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// English weekday names, Monday first.
pub(crate) const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Month and weekday names and their abbreviations, sorted.
const DATE_WORDS: &[&str] = &[
    "apr",
    "april",
    "aug",
    "august",
    "dec",
    "december",
    "feb",
    "february",
    "fri",
    "friday",
    "jan",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "mar",
    "march",
    "may",
    "mon",
    "monday",
    "nov",
    "november",
    "oct",
    "october",
    "sat",
    "saturday",
    "sep",
    "sept",
    "september",
    "sun",
    "sunday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
];

/// A month or weekday name, or one of their usual abbreviations (lower case).
pub(crate) fn is_date_word(word: &str) -> bool {
    word.len() <= 9 && DATE_WORDS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_word_set_is_the_list() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        for w in STOP_WORDS {
            assert!(w.len() <= MAX_STOP_WORD_BYTES && is_stop_word(w), "{w}");
        }
        for w in ["", "harbor", "abouts", "THE", "the ", "yourselvesx"] {
            assert!(!is_stop_word(w), "{w:?}");
        }
    }

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "stop words must stay sorted");
    }

    #[test]
    fn stems() {
        assert_eq!(stem("reports"), "report");
        assert_eq!(stem("reported"), "report");
        assert_eq!(stem("reporting"), "report");
        assert_eq!(stem("japan's"), "japan");
        assert_eq!(stem("gas"), "gas");
        assert!(is_stop_word("the") && !is_stop_word("sanctions"));
    }

    #[test]
    fn date_words_are_sorted_and_hold_every_name() {
        let mut sorted = DATE_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, DATE_WORDS);
        for name in MONTHS.iter().chain(&WEEKDAYS) {
            assert!(is_date_word(name), "{name}");
            assert!(is_date_word(&name[..3]), "{name}");
        }
        assert!(!is_date_word("mayor"));
    }
}
