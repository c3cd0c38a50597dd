//! `reprint scan`: the whole pipeline. Near-duplicate clusters, stories,
//! and for every related pair inside a story its passages and relation.
//!
//! Stages (each timed, reported on stderr and in summary.json): read the
//! inputs into memory; per-document features (content words, date, names,
//! embedding) in parallel; near-duplicate clusters; story edges and average
//! linkage; pair analysis (alignment, paraphrases, relation) in parallel;
//! writing the outputs atomically.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use reprint_core::scanner::{ConfigError, ScanConfig, ScanDocument, ScanOutput, Scanner};
use reprint_core::story::StoryConfig;
use reprint_io::model::{find_and_load, Found};
use reprint_io::output::write_json_pretty;
use reprint_io::scan_output::{ReportLayout, ScanWriter};
use reprint_wire::{round6, ModelInfo, ScanSettings, ScanSummary, StageTime};

use super::peak_rss_bytes;
use crate::messages::Messages;
use crate::stages::{Laps, StageObserver};
use crate::Status;

#[derive(Args, Debug)]
#[command(after_help = "Writes, each atomically, into DIR:\n  documents.jsonl  {\"id\",\"title\",\"date\",\
\"date_source\",\"source\",\"url\",\"chars\",\"language\",\"cluster\",\"story\",\"thread\"} one line per document\n  pairs.jsonl      {\"a\",\"b\",\
\"relation\",\"jaccard\",\"containment_a\",\"containment_b\",\"semantic\",\"lexical\",\"paraphrase_share\",\
\"spin_score\",\"shared_names\",\"score\"} one line per related pair inside a story\n  passages.jsonl   {\"a\",\"b\",\
\"a_start\",\"a_end\",\"b_start\",\"b_end\",\"a_byte_start\",\"a_byte_end\",\"b_byte_start\",\"b_byte_end\",\"kind\",\
\"edit_rate\",\"score\"} character offsets into each original text\n  stories.jsonl    {\"story\",\"thread\",\"documents\",\
\"first_seen\",\"label\"} one line per event\n  threads.jsonl    {\"thread\",\"stories\",\"documents\",\"first_seen\",\
\"last_seen\",\"label\"} one line per topic: stories of one subject\n  provenance.jsonl {\"story\",\"source\",\"derived\",\"kind\",\"direction\",\"confidence\",\"evidence\"}\n  \
summary.json     counts, settings, stage times\n  report.html      one self-contained page (no network): stories, timelines, provenance, \
side-by-side comparisons; for a large scan, a page leading to report/index.html (see --report-layout)\n\nThe embedding model is looked up in \
--model, then $REPRINT_MODEL, then the user cache (see `reprint model pull`). Without one, stories use lexical \
signals only, and a notice says so.\n\nExit status: 0 all input used; 1 fatal error, nothing written; 2 finished, \
but some input was skipped.")]
pub struct ScanArgs {
    /// Folders of .txt/.md/.html files, JSON Lines files (.jsonl, .gz, .zst), or - for JSON Lines on stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Directory for the outputs (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Static embedding model directory (model2vec format).
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Do not use an embedding model even if one is found.
    #[arg(long, conflicts_with = "model")]
    no_model: bool,
    /// Stories merge while the mean probability that their pairs report one event is at least this.
    #[arg(long, default_value_t = StoryConfig::default().link_similarity, value_name = "P")]
    link_similarity: f64,
    /// Stories join one thread (a topic) while the mean text-only score of their pairs is at least this.
    #[arg(long, default_value_t = StoryConfig::default().thread_similarity, value_name = "P")]
    thread_similarity: f64,
    /// Word 5-gram Jaccard at which documents are near-duplicates.
    #[arg(long, default_value_t = 0.8, value_name = "T")]
    threshold: f64,
    /// Stories up to this size get every pair analysed; larger ones only their scored pairs.
    #[arg(long, default_value_t = 50, value_name = "N")]
    all_pairs_up_to: usize,
    #[command(flatten)]
    fields: super::FieldArgs,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    threads: usize,
    /// Do not write the report.
    #[arg(long)]
    no_report: bool,
    /// The report: one file (report.html), a folder (report/: index.html and data/bK.js, loaded per story), or
    /// auto: a folder past about 16 MB of story data, so that a large scan's report opens in seconds.
    #[arg(long, default_value = "auto", value_name = "auto|file|folder")]
    report_layout: ReportLayout,
    /// No progress bar, no summary lines (problems are still reported).
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: ScanArgs) -> Result<Status> {
    let started = Instant::now();
    let threads = super::start_threads(args.threads);
    let config = ScanConfig {
        near_duplicate_threshold: args.threshold,
        story: StoryConfig {
            link_similarity: args.link_similarity,
            thread_similarity: args.thread_similarity,
            ..StoryConfig::default()
        },
        all_pairs_up_to: args.all_pairs_up_to,
        ..ScanConfig::default()
    };
    match config.validate() {
        Err(ConfigError::LinkSimilarity(s)) => bail!("--link-similarity must be between 0 and 1, not {s}"),
        Err(ConfigError::ThreadSimilarity(s)) => bail!("--thread-similarity must be between 0 and 1, not {s}"),
        Err(e) => return Err(anyhow::Error::new(e).context("invalid settings")),
        Ok(()) => {}
    }
    let mut messages = Messages::new(args.quiet);
    let files = crate::inputs::find(&args.inputs, &mut messages)?;
    super::create_out_dir(&args.out)?;
    let mut laps = Laps::start();
    let found = (!args.no_model).then(|| find_and_load(args.model.as_deref())).transpose();
    let model = match found.map_err(|e| anyhow::anyhow!(e))? {
        Some(Found::Model(model)) => Some(*model),
        Some(Found::Nothing(e)) => {
            messages.notice(&format!("reprint: notice: {e}. Stories use lexical signals only."));
            None
        }
        None => None,
    };
    laps.lap("load model", 0);
    let fields = args.fields.fields();
    let records = crate::inputs::read_all(args.fields.reader(files), fields, &mut messages);
    let n = records.len();
    laps.lap("read", n);

    let documents: Vec<ScanDocument> = records
        .iter()
        .map(|r| ScanDocument {
            text: &r.text,
            title: r.title.as_deref(),
            date: r.date.as_deref(),
            inject_panic: super::inject_panic(&r.id),
        })
        .collect();
    let scanner = Scanner::new(config, model.as_ref()).context("invalid settings")?;
    let observer = StageObserver::new(&messages, laps);
    let output = scanner.scan(&documents, &observer);
    let mut laps = observer.into_laps();
    drop(documents);
    messages.internal_errors(&output.internal, |d| records.get(d as usize).map(|r| r.id.as_str()));
    let ScanOutput { members, reports, internal, .. } = &output;
    let story_count = members.len();
    let writer = ScanWriter::new(&records, &output);
    let counts = writer.write_jsonl(&args.out)?;
    laps.lap("write", n);
    let mut layout = None;
    if !args.no_report {
        layout = Some(writer.write_report(&args.out, args.report_layout)?);
        laps.lap("report", n);
    }

    let total = started.elapsed().as_secs_f64();
    let cluster_count = output.cluster_count();
    let stages = laps.into_stages();
    let settings = ScanSettings {
        link_similarity: args.link_similarity,
        near_duplicate_threshold: args.threshold,
        all_pairs_up_to: args.all_pairs_up_to,
    };
    let summary = ScanSummary {
        skipped: messages.skipped,
        model: model.as_ref().map(|m| ModelInfo { dim: m.dim(), vocab: m.vocab_size() }),
        stages: stages.iter().map(|s| StageTime::new(s.name, s.seconds, s.items)).collect(),
        seconds: round6(total),
        threads,
        peak_rss_bytes: peak_rss_bytes(),
        ..ScanSummary::of(&output, counts, settings)
    };
    write_json_pretty(&args.out.join("summary.json"), &summary)?;

    if !args.quiet {
        crate::stages::print(&stages, &messages);
        messages.info(&format!(
            "reprint scan: {n} documents, {cluster_count} near-duplicate clusters, {story_count} stories, {} pairs, \
             {} skipped{}, in {total:.2} s; wrote {}",
            reports.len(),
            messages.skipped,
            if internal.is_empty() { String::new() } else { format!(", {} internal errors", internal.len()) },
            display_dir(&args.out, layout)
        ));
    }
    Ok(Status::of(messages.skipped, internal.len()))
}

fn display_dir(p: &Path, report: Option<ReportLayout>) -> String {
    let report = match report {
        Some(ReportLayout::Folder) => ", report.html (a folder report: report/)",
        Some(_) => ", report.html",
        None => "",
    };
    format!("{}/{{documents,pairs,passages,stories,provenance}}.jsonl, summary.json{report}", p.display())
}
