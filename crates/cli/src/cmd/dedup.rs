//! `reprint dedup`: near-duplicate clusters and one kept document per
//! cluster.
//!
//! Pipeline: a reader thread streams raw items in batches; rayon workers
//! parse and sketch each batch; the main thread appends, in input order,
//! each document's original record and shingle set to two spill files and its
//! band keys to the table; then the engine finds candidates, verifies them
//! exactly against the spilled sets and clusters; last, the three outputs
//! are written atomically.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use reprint_core::dedup::{priority_order, DedupConfig, Deduper, Keep, Sketch, Table};
use reprint_core::hash::bytes_hash;
use reprint_core::hash::HASH_VERSION;
use reprint_core::isolate::{isolate, Subject};
use reprint_core::signature::SketchKind;
use reprint_io::input::{Batch, InputFile, Item, Reader};
use reprint_io::output::AtomicFile;
use reprint_io::record::{parse_line, read_file, Fields, Record};
use reprint_io::spill::{Extent, ForwardReader, Spill, SpilledSets};
use reprint_io::{Location, Problem};
use serde_json::json;

use super::{peak_rss_bytes, round6};
use crate::messages::{quoted_id, Messages};
use crate::Status;

/// Raw bytes read per batch.
const BATCH_BYTES: usize = 2 << 20;

#[derive(Args, Debug)]
#[command(after_help = "Writes DIR/clusters.jsonl (one line per document), DIR/kept.jsonl (one original record per \
cluster) and DIR/summary.json, each atomically. Bad records are reported on stderr as FILE:LINE: reason and \
skipped.\n\nExit status: 0 all input used; 1 fatal error, nothing written; 2 finished, but some input was \
skipped.")]
pub struct DedupArgs {
    /// Folders of .txt/.md/.html files, JSON Lines files (.jsonl, .gz, .zst), or - for JSON Lines on stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Directory for clusters.jsonl, kept.jsonl and summary.json (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Jaccard similarity of word n-gram sets at which documents are near-duplicates.
    #[arg(long, default_value_t = 0.8, value_name = "T")]
    threshold: f64,
    /// Words per shingle.
    #[arg(long, default_value_t = 5, value_name = "N")]
    ngram: usize,
    /// MinHash signature size (permutations).
    #[arg(long, default_value_t = 128, value_name = "K")]
    num_perm: usize,
    /// Which document of a cluster is kept: first in input order, longest, or earliest by date.
    #[arg(long, value_enum, default_value_t = KeepArg::First)]
    keep: KeepArg,
    /// MinHash construction: fast (fast similarity sketching) or classic (K hash functions).
    #[arg(long, value_enum, default_value_t = SketchArg::Fast)]
    sketch: SketchArg,
    /// Seed of the signature hash functions.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    fields: super::FieldArgs,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    threads: usize,
    /// Print the LSH layout and its S-curve on stderr before running.
    #[arg(long)]
    explain: bool,
    /// No progress bar, no summary line (problems are still reported).
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum KeepArg {
    First,
    Longest,
    Earliest,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SketchArg {
    Fast,
    Classic,
}

/// One line of `clusters.jsonl`, fields in wire-format order.
#[derive(serde::Serialize)]
struct ClusterLine<'a> {
    id: &'a str,
    cluster: &'a str,
    representative: bool,
    similarity: f64,
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
    displays: &[String],
    inputs: &[InputFile],
) -> Vec<Parsed> {
    batch
        .items
        .par_iter()
        .map_init(
            || deduper.sketcher(),
            |sketcher, item| {
                let (mut record, location, raw) = match item {
                    Item::Problem(p) => return Parsed::Skip(p.clone()),
                    Item::Line { input, line, offset, start, end } => {
                        let location = Location { file: displays[*input as usize].clone(), line: Some(*line) };
                        match parse_line(batch.bytes(*start, *end), fields, &location) {
                            Ok(Some(r)) => {
                                let hash = bytes_hash(batch.bytes(*start, *end));
                                (r, location, Some((*start, *end, *input, *offset, hash)))
                            }
                            Ok(None) => return Parsed::Blank,
                            Err(p) => return Parsed::Skip(p),
                        }
                    }
                    Item::File { input } => {
                        let input = &inputs[*input as usize];
                        match read_file(input) {
                            Ok(r) => (r, Location { file: input.display.clone(), line: None }, None),
                            Err(p) => return Parsed::Skip(p),
                        }
                    }
                };
                let injected = super::inject_panic(&record.id);
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
    messages: &'m mut Messages,
}

impl Collector<'_> {
    fn collect(&mut self, batch: &Batch, parsed: Vec<Parsed>) -> Result<()> {
        for p in parsed {
            let (record, location, raw, sketch) = match p {
                Parsed::Blank => continue,
                Parsed::Skip(problem) => {
                    self.messages.skipped(&problem);
                    continue;
                }
                Parsed::Doc(doc) => {
                    let ParsedDoc { record, location, raw, sketch, internal } = *doc;
                    if let Some(message) = internal {
                        let subject = format!("document {} ({location})", quoted_id(&record.id));
                        self.messages.internal_error(&subject, "sketch", &message);
                    } else if sketch.words == 0 {
                        // The text itself is gone (dropped once sketched).
                        self.messages.warn_empty_text(&location);
                    }
                    (record, location, raw, sketch)
                }
            };
            let doc = self.docs.len() as u32;
            if record.lossy {
                self.lossy += 1;
                self.messages.warn_lossy(&location);
            }
            let key = reprint_core::hash::token_hash(&record.id);
            match self.seen_ids.get(&key) {
                Some((first, first_at)) if self.docs[*first as usize].id == record.id => {
                    self.duplicate_ids += 1;
                    self.messages.warn_duplicate_id(&location, &record.id, first_at);
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
                (Some(json), _) => Raw::Spill(self.records.append(json).context("cannot write the spill file")?),
                (None, Some((s, e, _, _, _))) => {
                    Raw::Spill(self.records.append(batch.bytes(s, e)).context("cannot write the spill file")?)
                }
                (None, None) => Raw::Spill(self.records.append(b"").context("cannot write the spill file")?),
            };
            let set = self.sets.append_set(&sketch.shingles).context("cannot write the spill file")?;
            self.table.push(&sketch);
            self.docs.push(Doc { id: record.id, words: sketch.words, date: iso_date(record.date), raw, set });
        }
        Ok(())
    }
}

pub fn run(args: DedupArgs) -> Result<Status> {
    let started = Instant::now();
    let keep = match args.keep {
        KeepArg::First => Keep::First,
        KeepArg::Longest => Keep::Longest,
        KeepArg::Earliest => Keep::Earliest,
    };
    let config = DedupConfig {
        threshold: args.threshold,
        ngram: args.ngram,
        num_perm: args.num_perm,
        sketch: match args.sketch {
            SketchArg::Fast => SketchKind::Fast,
            SketchArg::Classic => SketchKind::Classic,
        },
        seed: args.seed,
        ..DedupConfig::default()
    };
    let deduper = Deduper::new(config).context("invalid settings")?;
    let threads = super::start_threads(args.threads);

    let mut messages = Messages::new(args.quiet);
    let layout = deduper.layout();
    if args.explain {
        let mut text = format!(
            "LSH layout for threshold {}: {} bands x {} rows ({} of {} slots used)\n  P(candidate | Jaccard = s):",
            args.threshold,
            layout.bands,
            layout.rows,
            layout.bands * layout.rows,
            args.num_perm
        );
        for p in deduper.curve() {
            text.push_str(&format!("  s={:.2}: {:.4}", p.similarity, p.probability));
        }
        crate::messages::eprint_line(&text);
    }

    let inputs = crate::inputs::find(&args.inputs, &mut messages)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create output directory {}", args.out.display()))?;
    if !args.out.is_dir() {
        bail!("{} is not a directory", args.out.display());
    }
    let total_bytes: Option<u64> = inputs.iter().map(|i| i.size).sum();
    messages.start_progress(total_bytes);

    let fields = args.fields.fields();
    let temporary = || Spill::new_in(&args.out).context("cannot create a temporary file in the output directory");
    let (records, sets) = (temporary()?, temporary()?);
    let mut collector = Collector {
        records,
        sets,
        rereadable: inputs.iter().map(|i| i.is_rereadable()).collect(),
        table: deduper.table(),
        docs: Vec::new(),
        seen_ids: HashMap::new(),
        lossy: 0,
        duplicate_ids: 0,
        messages: &mut messages,
    };

    // Three stages: a reader thread streams raw batches; this thread parses
    // and sketches each batch on the rayon pool; a collector thread appends
    // the results, in input order, to the spill files and the table. Bounded
    // queues keep at most a few batches in memory.
    let reader = args.fields.reader(inputs);
    let displays: Vec<String> = reader.inputs().iter().map(|i| i.display.clone()).collect();
    let progress = reader.progress();
    let input_files = reader.inputs().to_vec();
    let reader = std::thread::scope(|scope| -> Result<Reader> {
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
        let collecting = scope.spawn(move || -> Result<()> {
            for (batch, parsed) in done_receiver {
                collector.collect(&batch, parsed)?;
                collector.messages.set_progress(progress.load(std::sync::atomic::Ordering::Relaxed), "reading");
            }
            Ok(())
        });
        for batch in raw_receiver {
            let parsed = parse_and_sketch(&deduper, &batch, &fields, &displays, &input_files);
            if done_sender.send((batch, parsed)).is_err() {
                break;
            }
        }
        drop(done_sender);
        collecting.join().map_err(|_| anyhow::anyhow!("the collector thread panicked"))??;
        reading.join().map_err(|_| anyhow::anyhow!("the reader thread panicked"))
    })?;
    let Collector { mut records, mut sets, table, docs, lossy, duplicate_ids, .. } = collector;
    crate::inputs::end_of_input(&reader, &mut messages);
    let input_bytes = progress.load(std::sync::atomic::Ordering::Relaxed);
    records.flush().context("cannot write the spill file")?;
    sets.flush().context("cannot write the spill file")?;
    let read_seconds = started.elapsed().as_secs_f64();
    messages.set_progress(input_bytes, "clustering");

    // Candidates, verification, clustering.
    let cluster_started = Instant::now();
    let words: Vec<usize> = docs.iter().map(|d| d.words).collect();
    let dates: Vec<Option<&str>> = docs.iter().map(|d| d.date.as_deref()).collect();
    let order = priority_order(keep, &words, &dates);
    let set_extents: Vec<Extent> = docs.iter().map(|d| d.set).collect();
    let spilled_sets = SpilledSets { spill: &sets, extents: &set_extents };
    let outcome = deduper.deduplicate(&table, &order, &spilled_sets).context("cannot read the spill file")?;
    drop(sets);
    let cluster_seconds = cluster_started.elapsed().as_secs_f64();

    // Outputs.
    let write_started = Instant::now();
    messages.set_progress(input_bytes, "writing");
    let clusters = &outcome.clusters;
    // The two files are independent: write them at the same time.
    let write_clusters = || -> Result<()> {
        let mut out = AtomicFile::create(&args.out.join("clusters.jsonl")).context("cannot create clusters.jsonl")?;
        for (d, doc) in docs.iter().enumerate() {
            let rep = clusters.representative[d] as usize;
            let line = ClusterLine {
                id: &doc.id,
                cluster: &docs[rep].id,
                representative: rep == d,
                similarity: round6(clusters.similarity[d]),
            };
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        out.commit().context("cannot write clusters.jsonl")?;
        Ok(())
    };
    let write_kept = || -> Result<()> {
        let mut out = AtomicFile::create(&args.out.join("kept.jsonl")).context("cannot create kept.jsonl")?;
        // Representatives in input order: one sequential pass over the records
        // spill and over each re-readable input.
        let mut spilled = records.forward_reader().context("cannot read the spill file")?;
        let mut sources: HashMap<u32, ForwardReader> = HashMap::new();
        let mut buf = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            if clusters.representative[d] as usize != d {
                continue;
            }
            match doc.raw {
                Raw::Spill(extent) => {
                    spilled.read(extent.offset, extent.len as usize, &mut buf).context("cannot read the spill file")?
                }
                Raw::Input { input, offset, len, hash } => {
                    let file = &input_files[input as usize];
                    let reader = match sources.entry(input) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            let path = file.path.as_ref().expect("re-readable inputs have paths");
                            let f =
                                std::fs::File::open(path).with_context(|| format!("cannot reopen {}", file.display))?;
                            e.insert(ForwardReader::new(f))
                        }
                    };
                    let read = reader.read(offset, len as usize, &mut buf);
                    if read.is_err() || bytes_hash(&buf) != hash {
                        bail!("{} changed while reprint was reading it; kept.jsonl was not written", file.display);
                    }
                }
            }
            out.write_all(&buf)?;
            out.write_all(b"\n")?;
        }
        out.commit().context("cannot write kept.jsonl")?;
        Ok(())
    };
    std::thread::scope(|scope| -> Result<()> {
        let clusters_done = scope.spawn(write_clusters);
        write_kept()?;
        clusters_done.join().map_err(|_| anyhow::anyhow!("the writer thread panicked"))?
    })?;
    let write_seconds = write_started.elapsed().as_secs_f64();
    messages.finish_progress();

    let n = docs.len();
    let cluster_count = clusters.count();
    let total_seconds = started.elapsed().as_secs_f64();
    let summary = json!({
        "command": "dedup",
        "reprint_version": env!("CARGO_PKG_VERSION"),
        "documents": n,
        "clusters": cluster_count,
        "removed": n - cluster_count,
        "skipped": messages.skipped,
        "internal_errors": messages.internal_errors,
        "lossy_utf8_documents": lossy,
        "duplicate_ids": duplicate_ids,
        "exact_duplicates": outcome.stats.exact_duplicates,
        "candidate_pairs": outcome.stats.candidates,
        "verified_pairs": outcome.stats.verified,
        "representative_checks": outcome.stats.extra_checks,
        "input_bytes": input_bytes,
        "settings": {
            "threshold": args.threshold,
            "ngram": args.ngram,
            "num_perm": args.num_perm,
            "sketch": deduper.config().sketch.name(),
            "seed": args.seed,
            "hash_version": HASH_VERSION,
            "keep": format!("{:?}", args.keep).to_lowercase(),
            "bands": layout.bands,
            "rows": layout.rows,
            "min_probability_at_threshold": deduper.config().min_probability,
            "representative_floor": round6(deduper.floor()),
            "verification": "exact Jaccard of 64-bit shingle hashes",
            "threads": threads,
            "text_field": args.fields.text_field,
            "id_field": args.fields.id_field,
        },
        "s_curve": deduper.curve().iter().map(|p| json!({"similarity": p.similarity, "probability": round6(p.probability)})).collect::<Vec<_>>(),
        "seconds": {
            "read_and_sketch": round6(read_seconds),
            "candidates_verify_cluster": round6(cluster_seconds),
            "write": round6(write_seconds),
            "total": round6(total_seconds),
        },
        "peak_rss_bytes": peak_rss_bytes(),
    });
    let mut out = AtomicFile::create(&args.out.join("summary.json")).context("cannot create summary.json")?;
    serde_json::to_writer_pretty(&mut out, &summary)?;
    out.write_all(b"\n")?;
    out.commit().context("cannot write summary.json")?;

    let internal = messages.internal_errors;
    messages.info(&format!(
        "reprint dedup: {n} documents, {cluster_count} clusters, {} removed, {} skipped{}, in {total_seconds:.2} s; \
         wrote {}",
        n - cluster_count,
        messages.skipped,
        if internal > 0 { format!(", {internal} internal errors") } else { String::new() },
        display_dir(&args.out),
    ));
    Ok(Status::of(messages.skipped, internal as usize))
}

fn display_dir(p: &Path) -> String {
    format!("{}/{{clusters.jsonl,kept.jsonl,summary.json}}", p.display())
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
