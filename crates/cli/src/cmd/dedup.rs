//! `reprint dedup`: near-duplicate clusters and one kept document per
//! cluster.
//!
//! flags → `DedupConfig` → `reprint_io::streaming_dedup::StreamingDedup`
//! (reader thread, parallel parse and sketch, collector, spill, engine) →
//! `clusters.jsonl` and `kept.jsonl`, then `summary.json`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use reprint_core::dedup::{DedupConfig, Deduper, Keep};
use reprint_core::hash::HASH_VERSION;
use reprint_core::signature::SketchKind;
use reprint_io::output::write_json_pretty;
use reprint_io::streaming_dedup::{DedupListener, Deduplicated, StreamingDedup};
use reprint_io::{Location, Problem};
use reprint_wire::{CurvePoint, DedupSeconds, DedupSettings, DedupSummary, SCHEMA_VERSION};

use super::{peak_rss_bytes, round6};
use crate::messages::{quoted_id, Messages};
use crate::Status;

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

/// The CLI's listener: problems and warnings on stderr, and the progress bar.
impl DedupListener for Messages {
    fn skipped(&mut self, problem: &Problem) {
        Messages::skipped(self, problem);
    }

    fn internal_error(&mut self, id: &str, location: &Location, stage: &str, message: &str) {
        Messages::internal_error(self, &format!("document {} ({location})", quoted_id(id)), stage, message);
    }

    fn empty_text(&mut self, location: &Location) {
        self.warn_empty_text(location);
    }

    fn lossy(&mut self, location: &Location) {
        self.warn_lossy(location);
    }

    fn duplicate_id(&mut self, location: &Location, id: &str, first: &Location) {
        self.warn_duplicate_id(location, id, first);
    }

    fn progress(&mut self, bytes: u64, phase: &'static str) {
        self.set_progress(bytes, phase);
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

    let stream = StreamingDedup {
        deduper: &deduper,
        fields: args.fields.fields(),
        keep,
        inject_panic: &|id: &str| super::inject_panic(id),
    };
    let run = stream.run(args.fields.reader(inputs), &args.out, &mut messages)?;
    crate::inputs::end_of_input(&run.reader, &mut messages);
    let Deduplicated { outcome, lossy, duplicate_ids, input_bytes, read_seconds, cluster_seconds, .. } = &run;

    let write_started = Instant::now();
    messages.set_progress(*input_bytes, "writing");
    run.write(&args.out)?;
    let write_seconds = write_started.elapsed().as_secs_f64();
    messages.finish_progress();

    let clusters = &outcome.clusters;
    let n = run.len();
    let cluster_count = clusters.count();
    let total_seconds = started.elapsed().as_secs_f64();
    let summary = DedupSummary {
        schema_version: SCHEMA_VERSION,
        command: "dedup".into(),
        reprint_version: env!("CARGO_PKG_VERSION").into(),
        documents: n,
        clusters: cluster_count,
        removed: n - cluster_count,
        skipped: messages.skipped,
        internal_errors: messages.internal_errors,
        lossy_utf8_documents: *lossy,
        duplicate_ids: *duplicate_ids,
        exact_duplicates: outcome.stats.exact_duplicates,
        candidate_pairs: outcome.stats.candidates,
        verified_pairs: outcome.stats.verified,
        representative_checks: outcome.stats.extra_checks,
        input_bytes: *input_bytes,
        settings: DedupSettings {
            threshold: args.threshold,
            ngram: args.ngram,
            num_perm: args.num_perm,
            sketch: deduper.config().sketch.name().into(),
            seed: args.seed,
            hash_version: HASH_VERSION,
            keep: format!("{:?}", args.keep).to_lowercase(),
            bands: layout.bands,
            rows: layout.rows,
            min_probability_at_threshold: deduper.config().min_probability,
            representative_floor: round6(deduper.floor()),
            verification: "exact Jaccard of 64-bit shingle hashes".into(),
            threads,
            text_field: args.fields.text_field.clone(),
            id_field: args.fields.id_field.clone(),
        },
        s_curve: deduper
            .curve()
            .iter()
            .map(|p| CurvePoint { similarity: p.similarity, probability: round6(p.probability) })
            .collect(),
        seconds: DedupSeconds {
            read_and_sketch: round6(*read_seconds),
            candidates_verify_cluster: round6(*cluster_seconds),
            write: round6(write_seconds),
            total: round6(total_seconds),
        },
        peak_rss_bytes: peak_rss_bytes(),
    };
    write_json_pretty(&args.out.join("summary.json"), &summary)?;

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
