//! `reprint dedup`: near-duplicate clusters and one kept document per
//! cluster.
//!
//! flags → `DedupConfig` → `reprint_io::streaming_dedup::StreamingDedup`
//! (reader thread, parallel parse and sketch, collector, spill, engine) →
//! `clusters.jsonl` and `kept.jsonl`, then `summary.json`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use reprint_core::dedup::{DedupConfig, Deduper, Keep};
use reprint_core::signature::SketchKind;
use reprint_io::output::write_json_pretty;
use reprint_io::streaming_dedup::{Deduplicated, StreamingDedup};
use reprint_wire::{DedupSeconds, DedupSettings, DedupSummary};

use super::{peak_rss_bytes, round6};
use crate::messages::Messages;
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
    super::create_out_dir(&args.out)?;
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
    let Deduplicated { outcome, input_bytes, .. } = &run;

    let write_started = Instant::now();
    messages.set_progress(*input_bytes, "writing");
    run.write(&args.out)?;
    let write_seconds = write_started.elapsed().as_secs_f64();
    messages.finish_progress();

    let (n, cluster_count) = (run.len(), outcome.clusters.count());
    let total_seconds = started.elapsed().as_secs_f64();
    let base = run.summary(&deduper, keep);
    let summary = DedupSummary {
        skipped: messages.skipped,
        internal_errors: messages.internal_errors,
        settings: DedupSettings {
            threads,
            text_field: args.fields.text_field.clone(),
            id_field: args.fields.id_field.clone(),
            ..base.settings
        },
        seconds: DedupSeconds { write: round6(write_seconds), total: round6(total_seconds), ..base.seconds },
        peak_rss_bytes: peak_rss_bytes(),
        ..base
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
