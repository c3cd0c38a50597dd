//! Property tests over arbitrary text in every script: each pure text
//! function (tokenizer, sentence splitter, dates, aligner, the scan stages
//! with boilerplate, names, paraphrase pairs and provenance, HTML to text,
//! the JSON Lines record parser, the model loaders) must never panic, and
//! the invariants that the fuzz targets assert must hold (offsets on
//! character boundaries, inside the text, consistent between bytes and
//! characters, ordered where promised).
//!
//! The fuzz targets (`reprint_fuzz_targets`) hold the invariants; these
//! tests feed them strings drawn from a mix of scripts and troublesome
//! characters, which a coverage-guided fuzzer reaches only slowly: CJK,
//! Kana, Thai (with its combining vowels), Arabic, Hebrew, Devanagari,
//! Cyrillic, emoji with ZWJ sequences, combining marks, RTL/LTR marks,
//! control characters, lone CR, CRLF and BOM.

use proptest::prelude::*;
use reprint_fuzz_targets as targets;

/// Pieces of many scripts; a text is a run of them.
const PIECES: &[&str] = &[
    "東京都の知事は",
    "日本語",
    "漢字。",
    "ひらがなカタカナ",
    "กรุงเทพมหานคร",
    "\u{0E01}\u{0E34}\u{0E48}",
    "๑๒๓",
    "ພາສາລາວ",
    "ខ្មែរ",
    "မြန်မာ",
    "한국어 문장입니다.",
    "العربية الفصحى.",
    "؟",
    "עברית",
    "हिन्दी भाषा।",
    "Русский язык.",
    "Ελληνικά",
    "👩\u{200D}💻",
    "👍🏽",
    "🇯🇵",
    "e\u{0301}",
    "字\u{0301}",
    "\u{200F}",
    "\u{200E}",
    "\u{202E}",
    "\u{FEFF}",
    "\u{0000}",
    "\u{0007}",
    "\u{001B}[0m",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    "\u{2028}",
    "\u{00A0}",
    " ",
    "\t",
    "。",
    ". ",
    "! ",
    "? ",
    "\"",
    "“",
    "”",
    "’",
    "'s",
    "&amp;",
    "&#x2019;",
    "&#99999999;",
    "<p>",
    "</p>",
    "<script>x</script>",
    "<br/>",
    "[link](http://x.y/z)",
    "## ",
    "- ",
    "1. ",
    "Dr. ",
    "U.S.",
    "3,197",
    "3.14",
    "2022-02-05",
    "5 February 2022",
    "Date Created 02/07/2022",
    "Leave a Reply",
    "Share this story: Facebook | Email",
    "Fumio Kishida",
    "Kyodo News",
    "Mayor Dana Whitfield said",
    "the bridge reopened on Monday",
    "14 million dollars",
    "100%",
];

fn mixed_text(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![4 => prop::sample::select(PIECES), 1 => Just("x")], 0..max_pieces)
        .prop_flat_map(|pieces| {
            let n = pieces.len();
            // Some random characters of any kind between the pieces.
            (Just(pieces), prop::collection::vec(prop::option::of(any::<char>()), n))
        })
        .prop_map(|(pieces, extra)| {
            let mut s = String::new();
            for (piece, c) in pieces.iter().zip(extra) {
                s.push_str(piece);
                if let Some(c) = c {
                    s.push(c);
                }
            }
            s
        })
}

/// `text` alone, as most targets read it.
fn bytes(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

/// A header byte, then texts separated by `separator`.
fn joined(header: u8, texts: &[String], separator: u8) -> Vec<u8> {
    let mut out = vec![header];
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.extend_from_slice(t.as_bytes());
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn tokenizer(text in mixed_text(40)) {
        targets::tokenizer(&bytes(&text));
    }

    #[test]
    fn sentence_splitter(text in mixed_text(40)) {
        targets::sentence(&bytes(&text));
    }

    #[test]
    fn dates(text in mixed_text(12)) {
        targets::date(&bytes(&text));
    }

    #[test]
    fn html_to_text(text in mixed_text(40)) {
        targets::html_to_text(&bytes(&text));
    }

    #[test]
    fn jsonl_record(text in mixed_text(20), id in mixed_text(3), header in any::<u8>()) {
        let line = serde_json::json!({ "id": id, "text": text, "title": "t" }).to_string();
        let mut data = vec![header];
        data.extend_from_slice(line.as_bytes());
        targets::jsonl_record(&data);
        // And the raw text as a (mostly broken) line.
        targets::jsonl_record(&joined(header, &[text], b'\n'));
    }

    /// Two texts, or one text and a copy derived from it (bits 2-3 of the
    /// header when there is no separator).
    #[test]
    fn aligner(a in mixed_text(60), b in mixed_text(60), header in any::<u8>(), derived in any::<bool>()) {
        if derived {
            targets::align(&joined(header, &[a], 0xFF));
        } else {
            targets::align(&joined(header, &[a, b], 0xFF));
        }
    }

    /// The scan stages over 1 to 6 documents; the header's bits turn on the
    /// tiny embedding model (paraphrase pairs), low link similarity (stories
    /// with pairs, so provenance), recurring boilerplate.
    #[test]
    fn scan_stages(texts in prop::collection::vec(mixed_text(30), 1..6), header in any::<u8>()) {
        targets::scan(&joined(header | 0b1_1000, &texts, 0xFF));
        targets::scan(&joined(header, &texts, 0xFF));
    }

    #[test]
    fn model_files(parts in prop::collection::vec(mixed_text(8), 3), header in any::<u8>()) {
        targets::model_files(&joined(header, &parts, 0xFF));
    }
}
