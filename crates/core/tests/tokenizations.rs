//! How many times a scan tokenizes each document, counted by the debug
//! builds' `token::tokenizations()` (this file is its own process, so no
//! other test's tokenizing is counted).
//!
//! A document is tokenized once per text the pipeline reads: the text as
//! given (near-duplicate sketch), the text without boilerplate (terms,
//! headline, names), and, for a member of a story of two or more, once
//! more in the pair stage (the aligner's side, shingles and paraphrase
//! words all come from it). Tokens are not kept between stages: at about
//! 56 bytes a word they would cost more memory than the texts.
#![cfg(debug_assertions)]

use reprint_core::scanner::{NoObserver, ScanConfig, ScanDocument, Scanner};
use reprint_core::token::tokenizations;

const BRIDGE: &str = "The harbor bridge reopened on Monday after two years of repairs, the mayor said, as \
    cyclists and a school bus waited to cross the river at dawn.\n\nEngineers replaced the rusted cables and the \
    steel deck, and the city paid for the work with a bond approved by voters three years ago.\n\nTraffic \
    officials expect about forty thousand vehicles a day to use the bridge once the ramps on the north side are \
    finished in the autumn.";
const LIBRARY: &str = "The county library will stay open until nine o'clock on weekday evenings from next month, \
    its director announced, after readers asked for more time to study.\n\nVolunteers will run a homework club on \
    Tuesdays and Thursdays, and the reading room gets forty new desks paid for by a local charity.";
const OTHER: &str = "A rare orchid flowered in the botanical garden's glasshouse this week for the first time in \
    a decade, drawing queues of visitors and photographers from across the region.";

#[test]
fn each_text_is_tokenized_once_per_pass() {
    let texts = [
        BRIDGE.to_string(),
        format!("{BRIDGE}\n\nComment: about time too."),
        BRIDGE.replace("Monday", "Tuesday"),
        LIBRARY.to_string(),
        format!("Local news.\n\n{LIBRARY}"),
        OTHER.to_string(),
    ];
    let docs: Vec<ScanDocument> = texts.iter().map(|t| ScanDocument { text: t, ..ScanDocument::default() }).collect();
    let scanner = Scanner::new(ScanConfig::default(), None).unwrap();
    let before = tokenizations();
    let out = scanner.scan(&docs, &NoObserver);
    let counted = tokenizations() - before;
    let in_stories = out.members.iter().filter(|m| m.len() > 1).map(Vec::len).sum::<usize>() as u64;
    assert!(in_stories >= 4, "the test needs stories: {:?}", out.members);
    let n = docs.len() as u64;
    assert_eq!(counted, 2 * n + in_stories, "{n} documents, {in_stories} in stories of two or more");
    eprintln!("tokenizations: {counted} for {n} documents ({:.2} per document)", counted as f64 / n as f64);
}
