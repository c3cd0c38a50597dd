//! Word classes shared by the aligner and the story tier: English stop
//! words and a crude stemmer.

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
}
