//! The whole `scan` pipeline as one call: [`Scanner::scan`].
//!
//! Stages, in order (each reported to an [`Observer`]): near-duplicate
//! clusters; boilerplate found per document and across the corpus, then
//! blanked out (offsets kept); per-document features (content words, date,
//! names, embedding); story edges, local scaling and average linkage; pair
//! analysis inside each story (alignment, paraphrases, relation) and
//! provenance per story. Every front door (the CLI, a server, Python) calls
//! this and only writes what it returns.
//!
//! A panic while analysing one document, pair or story is caught
//! ([`crate::isolate`]): that item's result is missing, the error is in
//! [`ScanOutput::internal`], and the rest of the run is unaffected.

use std::fmt;

use rayon::prelude::*;

use crate::boilerplate::BoilerSpan;
use crate::date::{Date, DateSource};
use crate::dedup::{deduplicate_texts, DedupConfig, Deduper, Keep};
use crate::embed::StaticModel;
use crate::event::{Candidate, FeatureVector, Scorer};
use crate::hash::IntMap;
use crate::isolate::{isolate, or_default, InternalError, Subject};
use crate::pair::{analyse_story, PairConfig, PairContext, PairReport, PairScratch};
use crate::provenance::{provenance, Provenance, ProvenanceDocument, ProvenancePair};
use crate::scan::DocFeatures;
use crate::scan::{all_boilerplate, all_features, blank_out, story_candidates, story_edges, story_pairs, DocIn};
use crate::story::{cluster, members as story_members, threads, StoryConfig};

/// Settings of a scan: plain data, checked by [`ScanConfig::validate`].
#[derive(Clone, Debug)]
pub struct ScanConfig {
    /// Word 5-gram Jaccard at which two documents are near-duplicates.
    pub near_duplicate_threshold: f64,
    /// Story linkage: link similarity, local scaling, time decay.
    pub story: StoryConfig,
    /// Stories up to this size get every pair analysed; larger ones only
    /// the pairs their story edges scored.
    pub all_pairs_up_to: usize,
    /// Alignment and paraphrase settings of the pair analysis.
    pub pair: PairConfig,
}

impl Default for ScanConfig {
    fn default() -> ScanConfig {
        ScanConfig {
            near_duplicate_threshold: 0.8,
            story: StoryConfig::default(),
            all_pairs_up_to: 50,
            pair: PairConfig::default(),
        }
    }
}

/// Why a [`ScanConfig`] cannot be used.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    /// `story.link_similarity` outside `[0, 1]`.
    LinkSimilarity(f64),
    /// `story.thread_similarity` outside `[0, 1]`.
    ThreadSimilarity(f64),
    /// The near-duplicate settings (threshold outside `(0, 1]`, ...).
    NearDuplicates(crate::dedup::ConfigError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::LinkSimilarity(s) => write!(f, "the link similarity must be between 0 and 1, not {s}"),
            ConfigError::ThreadSimilarity(s) => write!(f, "the thread similarity must be between 0 and 1, not {s}"),
            ConfigError::NearDuplicates(e) => write!(f, "near-duplicate settings: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ScanConfig {
    /// Checks every setting; [`Scanner::new`] calls it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.deduper().map(|_| ())
    }

    fn deduper(&self) -> Result<Deduper, ConfigError> {
        let s = self.story.link_similarity;
        if !(0.0..=1.0).contains(&s) {
            return Err(ConfigError::LinkSimilarity(s));
        }
        let t = self.story.thread_similarity;
        if !(0.0..=1.0).contains(&t) {
            return Err(ConfigError::ThreadSimilarity(t));
        }
        Deduper::new(DedupConfig { threshold: self.near_duplicate_threshold, ..DedupConfig::default() })
            .map_err(ConfigError::NearDuplicates)
    }
}

/// One document given to [`Scanner::scan`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ScanDocument<'a> {
    /// The text as given (boilerplate included: the scanner finds it).
    pub text: &'a str,
    pub title: Option<&'a str>,
    /// The date from the record's metadata, as given (any format
    /// [`crate::date::parse_date`] reads).
    pub date: Option<&'a str>,
    /// Fault injection for the isolation tests: analysing this document
    /// panics. Binaries set it only from an explicit testing switch.
    #[doc(hidden)]
    pub inject_panic: bool,
}

/// A stage of the pipeline, as an [`Observer`] sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    NearDuplicates,
    Boilerplate,
    Features,
    Stories,
    Pairs,
}

impl Stage {
    /// The stage's name in `summary.json` and on stderr.
    pub fn name(self) -> &'static str {
        match self {
            Stage::NearDuplicates => "near-duplicates",
            Stage::Boilerplate => "boilerplate",
            Stage::Features => "features",
            Stage::Stories => "stories",
            Stage::Pairs => "pairs",
        }
    }
}

/// Receives a scan's progress: a progress bar, a job status, a callback.
/// Called from worker threads (hence `Sync`); every method does nothing by
/// default.
pub trait Observer: Sync {
    /// `stage` begins; `total` is its number of steps when known (pairs).
    fn stage_started(&self, _stage: Stage, _total: Option<u64>) {}
    /// `done` more steps of the current stage are finished.
    fn progress(&self, _stage: Stage, _done: u64) {}
    /// `stage` ended after handling `items` documents (pairs for
    /// [`Stage::Pairs`]).
    fn stage_finished(&self, _stage: Stage, _items: usize) {}
}

/// An observer that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoObserver;

impl Observer for NoObserver {}

/// What [`Scanner::prepare`] hands to the story tier.
struct Prepared {
    clusters: Vec<u32>,
    boilerplate: Vec<Vec<BoilerSpan>>,
    texts: Vec<String>,
    features: Vec<DocFeatures>,
    internal: Vec<InternalError>,
}

/// The story tier's candidate pairs with their features
/// ([`Scanner::story_features`]).
#[derive(Debug, Default)]
pub struct StoryFeatures {
    pub candidates: Vec<Candidate>,
    /// One per candidate, in [`crate::event::FEATURES`] order.
    pub features: Vec<FeatureVector>,
    /// Whether each document has an embedding.
    pub embedded: Vec<bool>,
}

/// A story's first date and its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryLabel {
    /// The earliest date among its members (`YYYY-MM-DD`), if any is dated.
    pub first_seen: Option<String>,
    /// The headline of its earliest member that has one, at most 80
    /// characters (see [`story_label`]).
    pub label: String,
}

/// Everything a scan found. Documents are numbered in input order.
#[derive(Debug, Default)]
pub struct ScanOutput {
    /// Each document's near-duplicate cluster, named by its representative
    /// (the first member).
    pub clusters: Vec<u32>,
    /// Each document's boilerplate spans (in its text as given).
    pub boilerplate: Vec<Vec<BoilerSpan>>,
    /// Each text with its boilerplate blanked out (same length and offsets
    /// as the text given); the passages' offsets point into both.
    pub texts: Vec<String>,
    /// Each document's date and where it came from.
    pub dates: Vec<Option<(Date, DateSource)>>,
    /// Each document's length in characters (code points).
    pub chars: Vec<usize>,
    /// Each document's language: an ISO 639-3 code, or `"und"`
    /// ([`crate::lang::detect`] of its title and text without boilerplate).
    pub languages: Vec<&'static str>,
    /// Each document's story.
    pub stories: Vec<u32>,
    /// Each story's thread (stories of one topic), numbered by first story.
    pub threads: Vec<u32>,
    /// Each story's members, in document order.
    pub members: Vec<Vec<u32>>,
    /// Each story's first date and label.
    pub labels: Vec<StoryLabel>,
    /// Every analysed pair, ordered by `(a, b)`.
    pub reports: Vec<PairReport>,
    /// Each story's provenance (`None` for single documents, or when its
    /// analysis hit an internal error).
    pub provenances: Vec<Option<Provenance>>,
    /// Internal errors (bugs), one per document, pair or story hit, ordered
    /// by subject.
    pub internal: Vec<InternalError>,
}

impl ScanOutput {
    /// The pairs of each story, in `(a, b)` order.
    pub fn story_reports(&self) -> Vec<Vec<&PairReport>> {
        reports_by_story(&self.reports, &self.stories, self.members.len())
    }

    /// The stories of each thread, in story order.
    pub fn thread_members(&self) -> Vec<Vec<u32>> {
        story_members(&self.threads)
    }

    /// The number of near-duplicate clusters.
    pub fn cluster_count(&self) -> usize {
        cluster_count(&self.clusters)
    }
}

/// `reports` grouped by the story of their documents (`stories`: each
/// document's story), keeping their order.
fn reports_by_story<'r>(reports: &'r [PairReport], stories: &[u32], story_count: usize) -> Vec<Vec<&'r PairReport>> {
    let mut out: Vec<Vec<&PairReport>> = vec![Vec::new(); story_count];
    for r in reports {
        out[stories[r.a as usize] as usize].push(r);
    }
    out
}

/// The number of clusters in a representative-per-document list (a
/// cluster is counted at its representative).
pub fn cluster_count(clusters: &[u32]) -> usize {
    clusters.iter().enumerate().filter(|&(i, &r)| r as usize == i).count()
}

/// Runs scans with one configuration and model.
pub struct Scanner<'m> {
    config: ScanConfig,
    deduper: Deduper,
    model: Option<&'m StaticModel>,
}

impl<'m> Scanner<'m> {
    /// A scanner; `model` adds semantic signals and paraphrase passages.
    pub fn new(config: ScanConfig, model: Option<&'m StaticModel>) -> Result<Scanner<'m>, ConfigError> {
        let deduper = config.deduper()?;
        Ok(Scanner { config, deduper, model })
    }

    pub fn config(&self) -> &ScanConfig {
        &self.config
    }

    /// Scans `documents` on the current rayon pool.
    /// The stages before the stories: near-duplicate clusters, boilerplate
    /// (found and blanked out) and per-document features.
    fn prepare(&self, documents: &[ScanDocument], observer: &dyn Observer) -> Prepared {
        let n = documents.len();
        let raw: Vec<&str> = documents.iter().map(|d| d.text).collect();

        observer.stage_started(Stage::NearDuplicates, None);
        let clusters = deduplicate_texts(&self.deduper, &raw, Keep::First).clusters.representative;
        observer.stage_finished(Stage::NearDuplicates, n);

        // Site furniture: found per document and corpus-wide, then blanked
        // out (offsets kept) so that it never makes two documents similar.
        observer.stage_started(Stage::Boilerplate, None);
        let (mut boilerplate, mut internal) = all_boilerplate(&raw, &clusters);
        let blanked: Vec<Result<String, InternalError>> = raw
            .par_iter()
            .zip(&boilerplate)
            .enumerate()
            .map(|(i, (t, b))| isolate("boilerplate", Subject::Document(i as u32), || blank_out(t, b)))
            .collect();
        let texts: Vec<String> = blanked
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                b.unwrap_or_else(|e| {
                    internal.push(e);
                    boilerplate[i].clear();
                    raw[i].to_string()
                })
            })
            .collect();
        observer.stage_finished(Stage::Boilerplate, n);

        observer.stage_started(Stage::Features, None);
        let docs: Vec<DocIn> = documents
            .iter()
            .zip(&texts)
            .map(|(d, t)| DocIn { text: t, raw: d.text, title: d.title, date: d.date, inject_panic: d.inject_panic })
            .collect();
        let (features, errors) = all_features(&docs, self.model);
        internal.extend(errors);
        observer.stage_finished(Stage::Features, n);
        Prepared { clusters, boilerplate, texts, features, internal }
    }

    /// The story tier's candidate pairs and their feature vectors
    /// ([`crate::event`]), as a scan computes them: what
    /// `bench/train_story_scorer.py` trains the scorer on.
    pub fn story_features(&self, documents: &[ScanDocument]) -> StoryFeatures {
        let mut prepared = self.prepare(documents, &NoObserver);
        let dim = self.model.map_or(0, |m| m.dim());
        let (corpus, signals, candidates) = story_candidates(&self.config.story, &mut prepared.features, dim);
        let scorer = Scorer::new(&corpus, signals);
        let features = scorer.features(&candidates);
        let embedded = (0..corpus.len()).map(|i| corpus.has_embedding(i)).collect();
        StoryFeatures { candidates, features, embedded }
    }

    /// Runs every stage over `documents`, reporting to `observer`.
    pub fn scan(&self, documents: &[ScanDocument], observer: &dyn Observer) -> ScanOutput {
        let n = documents.len();
        let Prepared { clusters, boilerplate, texts, mut features, mut internal } = self.prepare(documents, observer);
        let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();

        let names: Vec<Vec<(u64, Box<str>)>> = features.iter_mut().map(|f| std::mem::take(&mut f.names)).collect();
        let mut name_df: IntMap<u64, u32> = IntMap::default();
        for doc in &names {
            for (h, _) in doc {
                *name_df.entry(*h).or_insert(0) += 1;
            }
        }
        let dates: Vec<Option<(Date, DateSource)>> = features.iter().map(|f| f.date).collect();
        let languages: Vec<&'static str> = features.iter().map(|f| f.language).collect();
        let chars: Vec<usize> = documents.iter().map(|d| d.text.chars().count()).collect();

        observer.stage_started(Stage::Stories, None);
        let dim = self.model.map_or(0, |m| m.dim());
        let (corpus, edges) = story_edges(&self.config.story, &mut features, dim);
        drop(features);
        let stories = cluster(n, &edges, self.config.story.link_similarity);
        let threads = threads(&stories, &edges, self.config.story.thread_similarity);
        observer.stage_finished(Stage::Stories, n);

        let members = story_members(&stories);
        let story_count = members.len();
        let pairs = story_pairs(&members, &stories, &edges, self.config.all_pairs_up_to);
        let pair_config = &self.config.pair;
        let ctx = PairContext {
            corpus: &corpus,
            clusters: &clusters,
            names: &names,
            name_df: &name_df,
            model: self.model,
            edges: &edges,
        };
        // Stories in parallel, largest first (the longest tasks start
        // early); each member prepared once per story.
        let mut by_story: Vec<Vec<(u32, u32)>> = vec![Vec::new(); story_count];
        for &(a, b) in &pairs {
            by_story[stories[a as usize] as usize].push((a, b));
        }
        let mut order: Vec<usize> = (0..story_count).filter(|&s| !by_story[s].is_empty()).collect();
        order.sort_by_key(|&s| (std::cmp::Reverse(by_story[s].len()), s));
        observer.stage_started(Stage::Pairs, Some(pairs.len() as u64));
        let analysed: Vec<(Vec<PairReport>, Vec<InternalError>)> = order
            .par_iter()
            .with_max_len(1)
            .map_init(
                || PairScratch::new(pair_config),
                |scratch, &s| {
                    let done = analyse_story(&ctx, &text_refs, &members[s], &by_story[s], pair_config, scratch);
                    observer.progress(Stage::Pairs, by_story[s].len() as u64);
                    done
                },
            )
            .collect();
        let mut reports: Vec<PairReport> = Vec::with_capacity(pairs.len());
        for (done, errors) in analysed {
            reports.extend(done);
            internal.extend(errors);
        }
        reports.sort_unstable_by_key(|r| (r.a, r.b));

        // Provenance per story of two or more documents.
        let story_reports = reports_by_story(&reports, &stories, story_count);
        let provenances: Vec<Result<Option<Provenance>, InternalError>> = members
            .par_iter()
            .zip(&story_reports)
            .enumerate()
            .map(|(s, (m, rs))| {
                isolate("provenance", Subject::Story(s as u32), || {
                    (m.len() > 1).then(|| {
                        let docs: Vec<ProvenanceDocument> = m
                            .iter()
                            .map(|&d| ProvenanceDocument {
                                document: d,
                                date: dates[d as usize],
                                chars: chars[d as usize],
                            })
                            .collect();
                        let pairs: Vec<ProvenancePair> = rs
                            .iter()
                            .map(|r| ProvenancePair::from_report(r, &texts[r.a as usize], &texts[r.b as usize]))
                            .collect();
                        provenance(&docs, &pairs)
                    })
                })
            })
            .collect();
        drop(story_reports);
        let provenances: Vec<Option<Provenance>> = or_default(provenances, &mut internal);
        internal.sort_by(|x, y| x.subject.cmp(&y.subject));
        observer.stage_finished(Stage::Pairs, pairs.len());

        let date_strings: Vec<Option<String>> = dates.iter().map(|d| d.map(|(d, _)| d.to_string())).collect();
        let labels: Vec<StoryLabel> = members.iter().map(|m| story_label(documents, &date_strings, m)).collect();
        drop(corpus);
        ScanOutput {
            clusters,
            boilerplate,
            texts,
            dates,
            chars,
            languages,
            stories,
            threads,
            members,
            labels,
            reports,
            provenances,
            internal,
        }
    }
}

/// The first date and label of the story whose members are `m`: members
/// are taken in order of date (undated last, then by number).
pub fn story_label(documents: &[ScanDocument], dates: &[Option<String>], m: &[u32]) -> StoryLabel {
    let first_seen = m.iter().filter_map(|&d| dates[d as usize].clone()).min();
    let mut ordered: Vec<u32> = m.to_vec();
    ordered.sort_by_key(|&d| (dates[d as usize].clone().unwrap_or_else(|| "~".into()), d));
    let ordered: Vec<&ScanDocument> = ordered.iter().map(|&d| &documents[d as usize]).collect();
    StoryLabel { first_seen, label: label(&ordered) }
}

/// A headline for a document, if it has one: its title, else a Markdown
/// heading, else a short first line without a full stop.
fn headline(doc: &ScanDocument) -> Option<String> {
    if let Some(t) = doc.title.map(str::trim).filter(|t| !t.is_empty()) {
        return Some(t.to_string());
    }
    let lines = || doc.text.lines().map(str::trim).filter(|l| !l.is_empty());
    let heading = lines().find(|l| l.starts_with('#')).map(|l| l.trim_start_matches('#').trim().to_string());
    heading.filter(|h| h.chars().filter(|c| c.is_alphabetic()).count() >= 3).or_else(|| {
        let first = lines().next()?;
        let words = first.split_whitespace().count();
        (words >= 4 && first.chars().count() <= 120 && !first.ends_with('.')).then(|| first.to_string())
    })
}

/// A short label for a story: the headline of its earliest member that has
/// one (dated members first, by date), else the earliest member's first
/// line; at most 80 characters.
fn label(members: &[&ScanDocument]) -> String {
    let from = members.iter().find_map(|d| headline(d)).unwrap_or_else(|| {
        members
            .first()
            .and_then(|d| d.text.lines().map(str::trim).find(|l| l.chars().filter(|c| c.is_alphabetic()).count() >= 3))
            .unwrap_or("")
            .to_string()
    });
    let mut out: String = from.chars().take(80).collect();
    if from.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::story::Relation;

    const ARTICLE: &str = "The harbor bridge reopened on Monday after two years of repairs, the mayor said, as \
        cyclists and a school bus waited to cross the river at dawn.\n\nEngineers replaced the rusted cables and \
        the steel deck, and the city paid for the work with a bond approved by voters three years ago.\n\nTraffic \
        officials expect about forty thousand vehicles a day to use the bridge once the ramps on the north side \
        are finished in the autumn, easing the queues on the old ferry road.";
    const OTHER: &str = "The county library will stay open until nine o'clock on weekday evenings from next month, \
        its director announced, after readers asked for more time to study.\n\nVolunteers will run a homework club \
        on Tuesdays and Thursdays, and the reading room gets forty new desks paid for by a local charity.";

    fn doc(text: &str) -> ScanDocument<'_> {
        ScanDocument { text, ..ScanDocument::default() }
    }

    #[derive(Default)]
    struct Recorder {
        events: Mutex<Vec<(Stage, &'static str, u64)>>,
    }

    impl Observer for Recorder {
        fn stage_started(&self, stage: Stage, total: Option<u64>) {
            self.events.lock().unwrap().push((stage, "start", total.unwrap_or(0)));
        }
        fn progress(&self, stage: Stage, done: u64) {
            self.events.lock().unwrap().push((stage, "progress", done));
        }
        fn stage_finished(&self, stage: Stage, items: usize) {
            self.events.lock().unwrap().push((stage, "end", items as u64));
        }
    }

    #[test]
    fn settings_are_checked() {
        assert_eq!(ScanConfig::default().validate(), Ok(()));
        let mut c = ScanConfig::default();
        c.story.link_similarity = 1.5;
        assert_eq!(c.validate(), Err(ConfigError::LinkSimilarity(1.5)));
        assert!(Scanner::new(c, None).is_err());
        let c = ScanConfig { near_duplicate_threshold: 0.0, ..ScanConfig::default() };
        assert!(matches!(c.validate(), Err(ConfigError::NearDuplicates(_))), "{:?}", c.validate());
        assert!(c.validate().unwrap_err().to_string().starts_with("near-duplicate settings: "));
    }

    #[test]
    fn copies_and_an_excerpt_in_one_story() {
        let repost = format!("Reposted from the Harbor Gazette\n\n{ARTICLE}");
        // Two of the article's three paragraphs, verbatim.
        let excerpt = ARTICLE.split("\n\n").skip(1).collect::<Vec<_>>().join("\n\n");
        let titled = ScanDocument {
            text: ARTICLE,
            title: Some("  Harbor bridge reopens  "),
            date: Some("2024-03-04"),
            ..ScanDocument::default()
        };
        let docs = [titled, doc(&repost), doc(&excerpt), doc(OTHER)];
        let recorder = Recorder::default();
        let out = Scanner::new(ScanConfig::default(), None).unwrap().scan(&docs, &recorder);

        assert!(out.internal.is_empty(), "{:?}", out.internal);
        assert_eq!(out.clusters, [0, 0, 2, 3], "the repost is a near-duplicate of the article");
        assert_eq!(out.cluster_count(), 3);
        assert_eq!(out.stories[0], out.stories[1]);
        assert_eq!(out.stories[0], out.stories[2]);
        assert_ne!(out.stories[0], out.stories[3]);
        assert_eq!(out.members.len(), 2);
        assert_eq!(out.labels[out.stories[0] as usize].label, "Harbor bridge reopens");
        assert_eq!(out.labels[out.stories[0] as usize].first_seen.as_deref(), Some("2024-03-04"));
        assert_eq!(out.dates[0].map(|(d, s)| (d.to_string(), s)), Some(("2024-03-04".into(), DateSource::Metadata)));
        assert_eq!(out.chars, docs.map(|d| d.text.chars().count()));
        assert!(out.texts.iter().zip(&docs).all(|(t, d)| t.len() == d.text.len()), "blanking keeps offsets");

        let relation = |a: u32, b: u32| out.reports.iter().find(|r| (r.a, r.b) == (a, b)).map(|r| r.relation);
        assert_eq!(relation(0, 1), Some(Relation::NearCopy));
        assert_eq!(relation(0, 2), Some(Relation::Excerpt));
        // The excerpt's passage in the article runs from its second paragraph to its end.
        let r = out.reports.iter().find(|r| (r.a, r.b) == (0, 2)).unwrap();
        let second = ARTICLE.find("Engineers").unwrap();
        assert!(
            r.passages.iter().any(|p| p.a.byte_start <= second + 10 && p.a.byte_end >= ARTICLE.len() - 10),
            "{:?}",
            r.passages
        );
        let story_reports = out.story_reports();
        assert_eq!(story_reports.iter().map(Vec::len).sum::<usize>(), out.reports.len());
        assert!(out.provenances[out.stories[0] as usize].is_some());
        assert!(out.provenances[out.stories[3] as usize].is_none(), "a single document has no provenance");

        let events = recorder.events.into_inner().unwrap();
        let ends: Vec<Stage> = events.iter().filter(|e| e.1 == "end").map(|e| e.0).collect();
        assert_eq!(ends, [Stage::NearDuplicates, Stage::Boilerplate, Stage::Features, Stage::Stories, Stage::Pairs]);
        let pairs_total = events.iter().find(|e| e == &&(Stage::Pairs, "start", e.2)).unwrap().2;
        let progressed: u64 = events.iter().filter(|e| e.1 == "progress").map(|e| e.2).sum();
        assert_eq!(progressed, pairs_total);
        assert_eq!(pairs_total as usize, out.reports.len());
    }

    #[test]
    fn nothing_in_nothing_out() {
        let out = Scanner::new(ScanConfig::default(), None).unwrap().scan(&[], &NoObserver);
        assert!(out.clusters.is_empty() && out.members.is_empty() && out.reports.is_empty() && out.internal.is_empty());
        let docs = [doc(""), doc("   \n "), doc("东京 大阪 名古屋")];
        let out = Scanner::new(ScanConfig::default(), None).unwrap().scan(&docs, &NoObserver);
        assert!(out.internal.is_empty(), "{:?}", out.internal);
        assert_eq!(out.stories.len(), 3);
    }

    #[test]
    fn a_document_that_panics_costs_only_itself() {
        let repost = format!("Reposted from the Harbor Gazette\n\n{ARTICLE}");
        let bad = ScanDocument { text: OTHER, inject_panic: true, ..ScanDocument::default() };
        let docs = [doc(ARTICLE), bad, doc(&repost)];
        let out = Scanner::new(ScanConfig::default(), None).unwrap().scan(&docs, &NoObserver);
        assert_eq!(out.internal.len(), 1, "{:?}", out.internal);
        assert_eq!(out.internal[0].subject, Subject::Document(1));
        assert!(out.reports.iter().any(|r| (r.a, r.b) == (0, 2) && r.relation == Relation::NearCopy));
    }
}
