//! The pure core of reprint: everything that decides what counts as a copy,
//! with no I/O.
//!
//! This crate turns texts into normalized words with offsets, words into
//! shingle sets, sets into MinHash signatures and LSH band keys, band keys
//! into candidate pairs, and verified pairs into clusters that cannot chain.
//! It never opens a file or reads the clock; reading corpora, spilling to
//! disk and writing outputs belong to `reprint-io` and the `reprint` binary.
//!
//! Principal types (re-exported here):
//!
//! - [`Scanner`] with [`ScanConfig`]: the whole scan of a corpus in one
//!   call ([`Scanner::scan`] of [`ScanDocument`]s → [`ScanOutput`]), an
//!   [`Observer`] told of each [`Stage`];
//! - [`Aligner`] with [`AlignConfig`]: passages shared by two texts;
//! - [`token::Tokenizer`]: UAX #29 words, NFKC + case folding, CJK bigrams,
//!   Markdown and HTML references neutralized, byte and char offsets;
//! - [`dedup::DedupConfig`] → [`dedup::Deduper`]: the immutable
//!   near-duplicate engine; [`dedup::Sketcher`] (one per thread) sketches
//!   texts; [`dedup::Deduper::deduplicate`] finds candidates, verifies them
//!   exactly through a [`dedup::SetSource`] and clusters;
//! - [`band::Layout`]: bands × rows for a threshold, and its S-curve;
//! - [`cluster::cluster`]: the clustering rule (every two members at least
//!   `threshold − 0.1` similar);
//! - [`embed::StaticModel`]: static sentence embeddings (model2vec) from a
//!   model's bytes, with token ids and offsets for whole documents;
//! - for the story tier: [`sentence::SentenceSplitter`] (sentences with
//!   offsets), [`date::parse_date`] and [`date::date_in_text`] (publication
//!   dates), [`names::NameExtractor`] (name, acronym and number keys),
//!   [`provenance::provenance`] (who copied whom inside a story);
//! - [`boilerplate::Boilerplate`]: page furniture (comment forms, share
//!   bars, cookie prompts) by built-in patterns and, through a
//!   [`boilerplate::BoilerplateIndex`], by recurrence across a corpus.
//!
//! # Example
//!
//! ```
//! use reprint_core::dedup::{deduplicate_texts, DedupConfig, Deduper, Keep};
//!
//! let story = "The harbor bridge reopened on Monday after two years of repairs, \
//!              the mayor said, as cyclists and a school bus waited to cross.";
//! let repost = format!("Reposted from the Gazette\n\n{story}");
//! let other = "The library will stay open until nine o'clock on weekday evenings.";
//!
//! let deduper = Deduper::new(DedupConfig { threshold: 0.8, ..DedupConfig::default() })?;
//! let outcome = deduplicate_texts(&deduper, &[story, &repost, other], Keep::First);
//! let clusters = &outcome.clusters;
//! assert_eq!(clusters.representative, vec![0, 0, 2]);
//! assert!(clusters.similarity[1] >= 0.8);
//! # Ok::<(), reprint_core::dedup::ConfigError>(())
//! ```
//!
//! Words keep their place in the original text:
//!
//! ```
//! use reprint_core::token::{Tokenizer, Tokens};
//!
//! let text = "Don’t PANIC — it’s [only](https://example.com) a test";
//! let mut tokens = Tokens::default();
//! Tokenizer::new().tokens(text, &mut tokens);
//! let words: Vec<&str> = (0..tokens.len()).map(|i| tokens.text(i)).collect();
//! assert_eq!(words, ["don't", "panic", "it's", "only", "a", "test"]);
//! let first = &tokens.tokens[0];
//! assert_eq!(&text[first.byte_start..first.byte_end], "Don’t");
//! assert_eq!((first.char_start, first.char_end), (0, 5));
//! ```

pub mod band;
pub mod boilerplate;
pub(crate) mod candidate;
pub mod cluster;
pub mod date;
pub mod dedup;
pub mod embed;
pub mod entity;
pub mod event;
pub mod hash;
pub mod isolate;
pub mod lang;
pub mod names;
pub mod pair;
pub(crate) mod paraphrase;
pub mod passage;
pub mod provenance;
pub mod scan;
pub mod scanner;
pub mod sentence;
pub mod shingle;
pub mod signature;
pub mod story;
pub mod token;
pub(crate) mod words;

pub use boilerplate::{Boilerplate, BoilerplateIndex};
pub use dedup::{DedupConfig, Deduper, Keep, Sketcher};
pub use embed::StaticModel;
pub use pair::PairReport;
pub use passage::{AlignConfig, Aligner, Alignment, Passage, PassageKind};
pub use provenance::Provenance;
pub use scanner::{ConfigError, NoObserver, Observer, ScanConfig, ScanDocument, ScanOutput, Scanner, Stage};
pub use story::{Relation, StoryConfig};
pub use token::{Tokenizer, Tokens};
