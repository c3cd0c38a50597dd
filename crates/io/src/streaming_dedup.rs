//! Near-duplicate removal over a stream of records that need not fit in
//! memory: the pipeline of `reprint dedup`, for every front door.
//!
//! A reader thread streams raw batches; rayon workers parse and sketch each
//! batch; a collector thread appends, in input order, each document's
//! original record and shingle set to two spill files and its band keys to
//! the table (bounded queues keep a few batches in memory); then the engine
//! finds candidates, verifies them exactly against the spilled sets and
//! clusters. [`Deduplicated::write`] writes `clusters.jsonl` and
//! `kept.jsonl` (the original records, byte for byte).

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::prelude::*;
use reprint_core::dedup::{priority_order, Deduper, Keep, Outcome, Sketch, Table};
use reprint_core::hash::{bytes_hash, HASH_VERSION};
use reprint_core::isolate::{isolate, Subject};
use reprint_wire::{round6, ClusterLine, CurvePoint, DedupSeconds, DedupSettings, DedupSummary, SCHEMA_VERSION};

use crate::corpus::{parse_item, Document};
use crate::input::{Batch, InputFile, Item, Reader};
use crate::output::{cannot_write, write_jsonl, AtomicFile};
use crate::record::{Fields, Record};
use crate::spill::{Extent, ForwardReader, Spill, SpilledSets};
use crate::{Location, Problem};

/// Raw bytes read per batch.
const BATCH_BYTES: usize = 2 << 20;

/// What a run says about its input as it goes (called in input order, from
/// one thread at a time).
pub trait DedupListener {
    /// A record or input that cannot be used, skipped.
    fn skipped(&mut self, problem: &Problem);
    /// Sketching the document `id` hit a bug; it is kept alone.
    fn internal_error(&mut self, id: &str, location: &Location, stage: &str, message: &str);
    /// A record whose text has no words (kept).
    fn empty_text(&mut self, location: &Location);
    /// A record with invalid UTF-8, decoded with U+FFFD.
    fn lossy(&mut self, location: &Location);
    /// A record with the id of an earlier one, at `first` (both kept).
    fn duplicate_id(&mut self, location: &Location, id: &str, first: &Location);
    /// `bytes` of input read so far; `phase`: reading, clustering, writing.
    fn progress(&mut self, bytes: u64, phase: &'static str);
}

fn spill_error(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("cannot use the spill file: {e}"))
}

/// The settings of a streaming run.
pub struct StreamingDedup<'a> {
    pub deduper: &'a Deduper,
    pub fields: Fields,
    pub keep: Keep,
    /// Fault injection for the isolation tests: sketching a record with an
    /// id for which this is true panics.
    pub inject_panic: &'a (dyn Fn(&str) -> bool + Sync),
}

/// A finished run: the clusters, and where every original record is.
pub struct Deduplicated {
    docs: Vec<Doc>,
    records: Spill,
    inputs: Vec<InputFile>,
    /// The reader, for what it says about the inputs at the end.
    pub reader: Reader,
    pub outcome: Outcome,
    /// Records with invalid UTF-8.
    pub lossy: u64,
    pub duplicate_ids: u64,
    /// Bytes of input read (decompressed).
    pub input_bytes: u64,
    pub read_seconds: f64,
    pub cluster_seconds: f64,
}

impl Deduplicated {
    /// The run's `summary.json` as far as the run knows it: counts, the
    /// settings of `deduper` and `keep`, the S-curve, the reading and
    /// clustering times. The caller fills in what only it knows: records
    /// skipped, internal errors, threads, field names, the writing and
    /// total times, peak memory.
    pub fn summary(&self, deduper: &Deduper, keep: Keep) -> DedupSummary {
        let (n, clusters, stats) = (self.len(), self.outcome.clusters.count(), &self.outcome.stats);
        let (config, layout) = (deduper.config(), deduper.layout());
        DedupSummary {
            schema_version: SCHEMA_VERSION,
            command: "dedup".into(),
            reprint_version: env!("CARGO_PKG_VERSION").into(),
            documents: n,
            clusters,
            removed: n - clusters,
            skipped: 0,
            internal_errors: 0,
            lossy_utf8_documents: self.lossy,
            duplicate_ids: self.duplicate_ids,
            exact_duplicates: stats.exact_duplicates,
            candidate_pairs: stats.candidates,
            verified_pairs: stats.verified,
            representative_checks: stats.extra_checks,
            input_bytes: self.input_bytes,
            settings: DedupSettings {
                threshold: config.threshold,
                ngram: config.ngram,
                num_perm: config.num_perm,
                sketch: config.sketch.name().into(),
                seed: config.seed,
                hash_version: HASH_VERSION,
                keep: format!("{keep:?}").to_lowercase(),
                bands: layout.bands,
                rows: layout.rows,
                min_probability_at_threshold: config.min_probability,
                representative_floor: round6(deduper.floor()),
                verification: "exact Jaccard of 64-bit shingle hashes".into(),
                threads: 0,
                text_field: String::new(),
                id_field: String::new(),
            },
            s_curve: deduper
                .curve()
                .iter()
                .map(|p| CurvePoint { similarity: p.similarity, probability: round6(p.probability) })
                .collect(),
            seconds: DedupSeconds {
                read_and_sketch: round6(self.read_seconds),
                candidates_verify_cluster: round6(self.cluster_seconds),
                write: 0.0,
                total: 0.0,
            },
            peak_rss_bytes: None,
        }
    }
}

impl StreamingDedup<'_> {
    /// Reads every record of `reader`, spilling into `spill_dir` (temporary
    /// files, gone when the run ends), and clusters them.
    pub fn run(
        &self,
        reader: Reader,
        spill_dir: &Path,
        listener: &mut (dyn DedupListener + Send),
    ) -> io::Result<Deduplicated> {
        let started = Instant::now();
        let deduper = self.deduper;
        let temporary = || {
            Spill::new_in(spill_dir).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot create a temporary file in {}: {e}", spill_dir.display()))
            })
        };
        let input_files = reader.inputs().to_vec();
        let mut collector = Collector {
            records: temporary()?,
            sets: temporary()?,
            rereadable: input_files.iter().map(|i| i.is_rereadable()).collect(),
            table: deduper.table(),
            docs: Vec::new(),
            seen_ids: HashMap::new(),
            lossy: 0,
            duplicate_ids: 0,
            listener,
        };
        let progress = reader.progress();
        let (fields, inject_panic) = (&self.fields, self.inject_panic);
        let reader = std::thread::scope(|scope| -> io::Result<Reader> {
            let (raw_sender, raw_receiver) = sync_channel::<Batch>(2);
            let (done_sender, done_receiver) = sync_channel::<(Batch, Vec<Parsed>)>(1);
            let mut reader = reader;
            let reading = scope.spawn(move || {
                while let Some(batch) = reader.next_batch(BATCH_BYTES) {
                    if raw_sender.send(batch).is_err() {
                        break;
                    }
                }
                reader
            });
            let progress = &progress;
            let collector = &mut collector;
            let collecting = scope.spawn(move || -> io::Result<()> {
                for (batch, parsed) in done_receiver {
                    collector.collect(&batch, parsed)?;
                    collector.listener.progress(progress.load(std::sync::atomic::Ordering::Relaxed), "reading");
                }
                Ok(())
            });
            for batch in raw_receiver {
                let parsed = parse_and_sketch(deduper, &batch, fields, &input_files, inject_panic);
                if done_sender.send((batch, parsed)).is_err() {
                    break;
                }
            }
            drop(done_sender);
            collecting.join().map_err(|_| io::Error::other("the collector thread panicked"))??;
            reading.join().map_err(|_| io::Error::other("the reader thread panicked"))
        })?;
        let Collector { mut records, mut sets, table, docs, lossy, duplicate_ids, listener, .. } = collector;
        let input_bytes = progress.load(std::sync::atomic::Ordering::Relaxed);
        records.flush().map_err(spill_error)?;
        sets.flush().map_err(spill_error)?;
        let read_seconds = started.elapsed().as_secs_f64();
        listener.progress(input_bytes, "clustering");

        // Candidates, verification, clustering.
        let cluster_started = Instant::now();
        let words: Vec<usize> = docs.iter().map(|d| d.words).collect();
        let dates: Vec<Option<&str>> = docs.iter().map(|d| d.date.as_deref()).collect();
        let order = priority_order(self.keep, &words, &dates);
        let set_extents: Vec<Extent> = docs.iter().map(|d| d.set).collect();
        let spilled_sets = SpilledSets { spill: &sets, extents: &set_extents };
        let outcome = deduper.deduplicate(&table, &order, &spilled_sets).map_err(spill_error)?;
        drop(sets);
        let cluster_seconds = cluster_started.elapsed().as_secs_f64();
        Ok(Deduplicated {
            docs,
            records,
            inputs: input_files,
            reader,
            outcome,
            lossy,
            duplicate_ids,
            input_bytes,
            read_seconds,
            cluster_seconds,
        })
    }
}

impl Deduplicated {
    /// Documents read.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Writes `out/clusters.jsonl` (a line per document) and
    /// `out/kept.jsonl` (each cluster's kept record, as read), each
    /// atomically, at the same time.
    pub fn write(&self, out: &Path) -> io::Result<()> {
        let (docs, clusters) = (&self.docs, &self.outcome.clusters);
        let write_clusters = || -> io::Result<()> {
            let lines = docs.iter().enumerate().map(|(d, doc)| {
                let rep = clusters.representative[d] as usize;
                ClusterLine {
                    id: doc.id.clone(),
                    cluster: docs[rep].id.clone(),
                    representative: rep == d,
                    similarity: round6(clusters.similarity[d]),
                }
            });
            write_jsonl(&out.join("clusters.jsonl"), lines).map(|_| ())
        };
        let write_kept = || -> io::Result<()> {
            let path = out.join("kept.jsonl");
            let mut file = AtomicFile::create(&path).map_err(|e| cannot_write(&path, e))?;
            // Representatives in input order: one sequential pass over the
            // records spill and over each re-readable input.
            let mut spilled = self.records.forward_reader().map_err(spill_error)?;
            let mut sources: HashMap<u32, ForwardReader> = HashMap::new();
            let mut buf = Vec::new();
            for (d, doc) in docs.iter().enumerate() {
                if clusters.representative[d] as usize != d {
                    continue;
                }
                match doc.raw {
                    Raw::Spill(extent) => {
                        spilled.read(extent.offset, extent.len as usize, &mut buf).map_err(spill_error)?
                    }
                    Raw::Input { input, offset, len, hash } => {
                        let file = &self.inputs[input as usize];
                        let reader = match sources.entry(input) {
                            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                            std::collections::hash_map::Entry::Vacant(e) => {
                                let path = file.path.as_ref().expect("re-readable inputs have paths");
                                let f = std::fs::File::open(path).map_err(|e| {
                                    io::Error::new(e.kind(), format!("cannot reopen {}: {e}", file.display))
                                })?;
                                e.insert(ForwardReader::new(f))
                            }
                        };
                        let read = reader.read(offset, len as usize, &mut buf);
                        if read.is_err() || bytes_hash(&buf) != hash {
                            return Err(io::Error::other(format!(
                                "{} changed while reprint was reading it; kept.jsonl was not written",
                                file.display
                            )));
                        }
                    }
                }
                file.write_all(&buf).map_err(|e| cannot_write(&path, e))?;
                file.write_all(b"\n").map_err(|e| cannot_write(&path, e))?;
            }
            file.commit().map_err(|e| cannot_write(&path, e))
        };
        std::thread::scope(|scope| -> io::Result<()> {
            let clusters_done = scope.spawn(write_clusters);
            write_kept()?;
            clusters_done.join().map_err(|_| io::Error::other("the writer thread panicked"))?
        })
    }
}

/// Where a document's original record is, for kept.jsonl.
#[derive(Clone, Copy)]
enum Raw {
    /// Copied into the records spill file.
    Spill(Extent),
    /// A line of a plain JSON Lines input, read again at the end and checked
    /// against the hash of the bytes read first.
    Input { input: u32, offset: u64, len: u32, hash: u64 },
}

/// What the main thread keeps per document.
struct Doc {
    id: String,
    words: usize,
    date: Option<String>,
    raw: Raw,
    set: Extent,
}

/// A parsed and sketched item, still tied to its batch. The text itself is
/// dropped once sketched.
enum Parsed {
    Blank,
    Skip(Problem),
    Doc(Box<ParsedDoc>),
}

struct ParsedDoc {
    record: Record,
    location: Location,
    /// The line's bytes in the batch, its input and offset, and its hash.
    raw: Option<(usize, usize, u32, u64, u64)>,
    sketch: Sketch,
    /// The message of an internal error while sketching.
    internal: Option<String>,
}

/// Parses and sketches the items of a batch in parallel, keeping their order.
fn parse_and_sketch(
    deduper: &Deduper,
    batch: &Batch,
    fields: &Fields,
    inputs: &[InputFile],
    inject_panic: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<Parsed> {
    batch
        .items
        .par_iter()
        .map_init(
            || deduper.sketcher(),
            |sketcher, item| {
                let Document { mut record, location } = match parse_item(item, batch, fields, inputs) {
                    None => return Parsed::Blank,
                    Some(Err(p)) => return Parsed::Skip(p),
                    Some(Ok(document)) => document,
                };
                // A JSON Lines line: where it is in the batch and its input,
                // and its hash, to copy or re-read it for kept.jsonl.
                let raw = match item {
                    Item::Line { input, offset, start, end, .. } => {
                        Some((*start, *end, *input, *offset, bytes_hash(batch.bytes(*start, *end))))
                    }
                    _ => None,
                };
                let injected = inject_panic(&record.id);
                let sketched = isolate("sketch", Subject::Document(0), || {
                    assert!(!injected, "injected panic (fault-isolation test)");
                    let mut sketch = Sketch::default();
                    sketcher.sketch_into(&record.text, &mut sketch);
                    sketch
                });
                // A document whose sketch failed is kept alone (no shingles,
                // no candidates): nothing the user gave is lost.
                let (mut sketch, internal) = match sketched {
                    Ok(sketch) => (sketch, None),
                    Err(e) => {
                        *sketcher = deduper.sketcher();
                        (Sketch::default(), Some(e.message))
                    }
                };
                record.text = String::new();
                sketch.signature = Vec::new();
                Parsed::Doc(Box::new(ParsedDoc { record, location, raw, sketch, internal }))
            },
        )
        .collect()
}

/// Appends sketched documents, in input order, to the spill files and the
/// table, and reports what is wrong with the input.
struct Collector<'m> {
    /// Original records that cannot be read again from their input.
    records: Spill,
    /// Per input: its lines can be read again by offset.
    rereadable: Vec<bool>,
    /// Shingle sets, for exact verification.
    sets: Spill,
    table: Table,
    docs: Vec<Doc>,
    seen_ids: HashMap<u64, (u32, Location)>,
    lossy: u64,
    duplicate_ids: u64,
    listener: &'m mut (dyn DedupListener + Send),
}

impl Collector<'_> {
    fn collect(&mut self, batch: &Batch, parsed: Vec<Parsed>) -> io::Result<()> {
        for p in parsed {
            let (record, location, raw, sketch) = match p {
                Parsed::Blank => continue,
                Parsed::Skip(problem) => {
                    self.listener.skipped(&problem);
                    continue;
                }
                Parsed::Doc(doc) => {
                    let ParsedDoc { record, location, raw, sketch, internal } = *doc;
                    if let Some(message) = internal {
                        self.listener.internal_error(&record.id, &location, "sketch", &message);
                    } else if sketch.words == 0 {
                        // The text itself is gone (dropped once sketched).
                        self.listener.empty_text(&location);
                    }
                    (record, location, raw, sketch)
                }
            };
            let doc = self.docs.len() as u32;
            if record.lossy {
                self.lossy += 1;
                self.listener.lossy(&location);
            }
            let key = reprint_core::hash::token_hash(&record.id);
            match self.seen_ids.get(&key) {
                Some((first, first_at)) if self.docs[*first as usize].id == record.id => {
                    self.duplicate_ids += 1;
                    self.listener.duplicate_id(&location, &record.id, first_at);
                }
                Some(_) => {}
                None => {
                    self.seen_ids.insert(key, (doc, location));
                }
            }
            let raw = match (&record.raw_json, raw) {
                (None, Some((s, e, input, offset, hash))) if self.rereadable[input as usize] => {
                    Raw::Input { input, offset, len: (e - s) as u32, hash }
                }
                (Some(json), _) => Raw::Spill(self.records.append(json).map_err(spill_error)?),
                (None, Some((s, e, _, _, _))) => {
                    Raw::Spill(self.records.append(batch.bytes(s, e)).map_err(spill_error)?)
                }
                (None, None) => Raw::Spill(self.records.append(b"").map_err(spill_error)?),
            };
            let set = self.sets.append_set(&sketch.shingles).map_err(spill_error)?;
            self.table.push(&sketch);
            self.docs.push(Doc { id: record.id, words: sketch.words, date: iso_date(record.date), raw, set });
        }
        Ok(())
    }
}

/// The date as a sortable ISO 8601 string when it starts with `YYYY-MM`
/// (what `--keep earliest` compares); other forms count as undated.
fn iso_date(date: Option<String>) -> Option<String> {
    let d = date?;
    let b = d.as_bytes();
    let iso =
        b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5..7].iter().all(u8::is_ascii_digit);
    iso.then_some(d)
}
