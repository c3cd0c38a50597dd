//! `reprint pan detect` and `reprint pan score`: the PAN text-alignment
//! corpus layout, for measuring passage alignment.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use rayon::prelude::*;
use reprint_core::isolate::{isolate, InternalError, Subject};
use reprint_core::passage::{AlignConfig, Aligner};
use reprint_io::pan::{detections_xml, pair_file_name, parse_annotations, read_pairs, score, truth_files, Annotation};

use crate::Status;

#[derive(Args, Debug)]
pub struct PanArgs {
    #[command(subcommand)]
    command: PanCommand,
}

#[derive(Subcommand, Debug)]
enum PanCommand {
    /// Align every listed pair of a PAN corpus and write one detection XML per pair.
    Detect {
        /// Corpus folder with `pairs`, `susp/` and `src/`.
        corpus: PathBuf,
        /// Folder for the detection XML files (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Worker threads (0: one per core).
        #[arg(long, default_value_t = 0, value_name = "N")]
        threads: usize,
    },
    /// Score detections against the truth: precision, recall, granularity, plagdet per folder and overall.
    Score {
        /// Truth folder (XML files, directly or in one sub-folder per obfuscation type).
        truth: PathBuf,
        /// Folder of detection XML files, as written by `pan detect`.
        detections: PathBuf,
    },
}

pub fn run(args: PanArgs) -> Result<Status> {
    match args.command {
        PanCommand::Detect { corpus, out, threads } => detect(&corpus, &out, threads),
        PanCommand::Score { truth, detections } => score_dir(&truth, &detections),
    }
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn detect(corpus: &Path, out: &Path, threads: usize) -> Result<Status> {
    super::start_threads(threads);
    let pairs = read_pairs(corpus).with_context(|| format!("cannot read {}/pairs", corpus.display()))?;
    if pairs.is_empty() {
        crate::messages::eprint_line(&format!("reprint: warning: no pairs in {}/pairs", corpus.display()));
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let started = Instant::now();
    let results: Vec<Result<Result<(), InternalError>>> = pairs
        .par_iter()
        .enumerate()
        .map_init(
            || Aligner::new(AlignConfig::default()),
            |aligner, (i, (susp, src))| {
                let a = read_text(&corpus.join("susp").join(susp))?;
                let b = read_text(&corpus.join("src").join(src))?;
                let injected = super::inject_panic(susp) || super::inject_panic(src);
                let alignment = isolate("pan detect", Subject::Pair(i as u32, i as u32), || {
                    assert!(!injected, "injected panic (fault-isolation test)");
                    aligner.align(&a, &b)
                });
                let alignment = match alignment {
                    Ok(alignment) => alignment,
                    Err(e) => {
                        *aligner = Aligner::new(AlignConfig::default());
                        return Ok(Err(e));
                    }
                };
                let detections: Vec<(usize, usize, usize, usize)> =
                    alignment.passages.iter().map(|p| (p.a.start, p.a.chars(), p.b.start, p.b.chars())).collect();
                let path = out.join(pair_file_name(susp, src));
                std::fs::write(&path, detections_xml(susp, src, &detections))
                    .with_context(|| format!("cannot write {}", path.display()))
                    .map(Ok)
            },
        )
        .collect();
    let (mut failed, mut internal) = (0, 0);
    for (r, (susp, src)) in results.into_iter().zip(&pairs) {
        match r {
            Err(e) => {
                crate::messages::eprint_line(&format!("reprint: {e:#}"));
                failed += 1;
            }
            Ok(Err(e)) => {
                // No detection file: the pair's result is missing, not empty.
                crate::messages::eprint_line(&format!(
                    "reprint: internal error on pair {susp} / {src} ({}): {} (please report it)",
                    e.stage, e.message
                ));
                internal += 1;
            }
            Ok(Ok(())) => {}
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    crate::messages::eprint_line(&format!(
        "reprint pan detect: {} pairs in {seconds:.1} s ({:.0} pairs/s), {failed} failed, {internal} internal errors; \
         wrote {}",
        pairs.len(),
        pairs.len() as f64 / seconds,
        out.display()
    ));
    Ok(Status::of(failed, internal))
}

fn score_dir(truth: &Path, detections_dir: &Path) -> Result<Status> {
    let groups = truth_files(truth).with_context(|| format!("cannot read {}", truth.display()))?;
    if groups.is_empty() {
        bail!("no truth XML files in {}", truth.display());
    }
    if !detections_dir.is_dir() {
        bail!("{} is not a folder of detections (see `reprint pan detect`)", detections_dir.display());
    }
    // Errors writing stdout (a closed pipe) end the command; main says nothing for those.
    let mut out = std::io::stdout().lock();
    let mut all_cases = Vec::new();
    let mut all_detections = Vec::new();
    let mut missing = 0;
    writeln!(
        out,
        "| folder | pairs | cases | detections | pairs with detections | precision | recall | granularity | plagdet |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    let mut rows = Vec::new();
    for (name, files) in &groups {
        let mut cases: Vec<Annotation> = Vec::new();
        let mut detections: Vec<Annotation> = Vec::new();
        let mut with_detections = 0;
        for file in files {
            let xml = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
            cases.extend(parse_annotations(&xml, "plagiarism"));
            let det_path = detections_dir.join(file.file_name().expect("a file"));
            match std::fs::read_to_string(&det_path) {
                Ok(det) => {
                    let found = parse_annotations(&det, "detected-plagiarism");
                    with_detections += usize::from(!found.is_empty());
                    detections.extend(found);
                }
                Err(_) => missing += 1,
            }
        }
        let m = score(&cases, &detections);
        rows.push(format!(
            "| {name} | {} | {} | {} | {} ({:.1} %) | {:.4} | {:.4} | {:.4} | {:.4} |",
            files.len(),
            m.cases,
            m.detections,
            with_detections,
            100.0 * with_detections as f64 / files.len() as f64,
            m.precision,
            m.recall,
            m.granularity,
            m.plagdet
        ));
        all_cases.extend(cases);
        all_detections.extend(detections);
    }
    for r in rows {
        writeln!(out, "{r}")?;
    }
    let m = score(&all_cases, &all_detections);
    writeln!(
        out,
        "| overall | {} | {} | {} | | {:.4} | {:.4} | {:.4} | {:.4} |",
        groups.iter().map(|g| g.1.len()).sum::<usize>(),
        m.cases,
        m.detections,
        m.precision,
        m.recall,
        m.granularity,
        m.plagdet
    )?;
    if missing > 0 {
        crate::messages::eprint_line(&format!(
            "reprint pan score: {missing} truth files have no detection file (counted as no detections)"
        ));
    }
    Ok(Status::Complete)
}
