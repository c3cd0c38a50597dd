//! `reprint align A B`: the passages two documents share, and what each has
//! alone.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use reprint_core::isolate::{isolate, Subject};
use reprint_core::passage::{AlignConfig, Aligner, Alignment};
use reprint_io::corpus::{Corpus, Document};
use reprint_io::input::{discover, Format};
use reprint_io::record::{read_file, Record};
use reprint_wire::AlignOutput;

use crate::Status;

#[derive(Args, Debug)]
#[command(
    after_help = "JSON output (one object): {\"a\",\"b\",\"passages\":[{\"a_start\",\"a_end\",\"b_start\",\"b_end\",\
\"a_byte_start\",\"a_byte_end\",\"b_byte_start\",\"b_byte_end\",\"kind\",\"edit_rate\",\"score\"}],\"only_a\":[{\"start\",\
\"end\"}],\"only_b\":[…],\"containment_a\",\"containment_b\"}. Offsets are half-open, in Unicode code points (start, end) \
and bytes (byte_start, byte_end) of each original text."
)]
pub struct AlignArgs {
    /// The first document: a text, Markdown or HTML file, or an id in --in.
    a: String,
    /// The second document.
    b: String,
    /// JSON Lines file in which A and B are ids (plain, .gz or .zst).
    #[arg(long = "in", value_name = "FILE")]
    input: Option<PathBuf>,
    #[command(flatten)]
    fields: super::FieldArgs,
    /// Output: text (both sides with passages marked; coloured on a terminal) or json.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Passages shorter than this many characters on either side are dropped (Latin-equivalent: a Chinese or
    /// Japanese character counts 2.5, a Korean syllable 2, so the limit means as much text in every script).
    #[arg(long, default_value_t = AlignConfig::default().min_chars, value_name = "N")]
    min_chars: usize,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

/// Reads the two documents, from files or from a JSON Lines input.
fn load(args: &AlignArgs) -> Result<(Record, Record)> {
    match &args.input {
        None => {
            let one = |name: &str| -> Result<Record> {
                let (files, problems) = discover(&[PathBuf::from(name)]);
                if let Some(p) = problems.first() {
                    bail!("{p}");
                }
                let file = files.into_iter().next().with_context(|| format!("{name}: no document"))?;
                if matches!(file.format, Format::JsonLines(_)) {
                    bail!("{name}: a JSON Lines file; give --in {name} and two ids");
                }
                let max = args.fields.max_record_bytes;
                if let Some(size) = file.size.filter(|&size| size > max) {
                    bail!(
                        "{name}: file larger than --max-record-bytes ({} > {})",
                        reprint_io::bytes_text(size),
                        reprint_io::bytes_text(max)
                    );
                }
                read_file(&file).map_err(|p| anyhow::anyhow!("{p}"))
            };
            Ok((one(&args.a)?, one(&args.b)?))
        }
        Some(path) => {
            let fields = args.fields.fields();
            let (files, problems) = discover(std::slice::from_ref(path));
            if let Some(p) = problems.first() {
                bail!("{p}");
            }
            let mut corpus = Corpus::new(args.fields.reader(files), fields);
            let (mut a, mut b) = (None, None);
            // Records that could not be read, and the first of them: if an id
            // is not found, it may be among them.
            let (mut unread, mut first_problem) = (0u64, None);
            while let Some(batch) = corpus.next_batch(8 << 20) {
                for found in batch {
                    match found {
                        Ok(Document { record: r, .. }) => {
                            if a.is_none() && r.id == args.a {
                                a = Some(r.clone());
                            }
                            if b.is_none() && r.id == args.b {
                                b = Some(r);
                            }
                        }
                        Err(p) => {
                            unread += 1;
                            first_problem.get_or_insert(p);
                        }
                    }
                }
                if a.is_some() && b.is_some() {
                    break;
                }
            }
            let why = match &first_problem {
                Some(p) => format!(" ({} records could not be read, the first: {p})", reprint_io::thousands(unread)),
                None if corpus.reader().empty_inputs().next().is_some() => " (it holds no records)".to_string(),
                None => String::new(),
            };
            let a = a.with_context(|| format!("{}: no record with id {:?}{why}", path.display(), args.a))?;
            let b = b.with_context(|| format!("{}: no record with id {:?}{why}", path.display(), args.b))?;
            Ok((a, b))
        }
    }
}

pub fn run(args: AlignArgs) -> Result<Status> {
    let (a, b) = load(&args)?;
    let mut aligner = Aligner::new(AlignConfig { min_chars: args.min_chars, ..AlignConfig::default() });
    let injected = super::inject_panic(&a.id) || super::inject_panic(&b.id);
    let alignment = isolate("align", Subject::Pair(0, 1), || {
        assert!(!injected, "injected panic (fault-isolation test)");
        aligner.align(&a.text, &b.text)
    });
    let alignment = match alignment {
        Ok(alignment) => alignment,
        Err(e) => {
            // The one pair is the whole result: nothing to write.
            crate::messages::eprint_line(&format!(
                "reprint: internal error on pair {} / {} ({}): {} (please report it)",
                args.a, args.b, e.stage, e.message
            ));
            return Ok(Status::InternalErrors);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer(&mut out, &AlignOutput::new(&args.a, &args.b, &alignment))?;
            out.write_all(b"\n")?;
        }
        OutputFormat::Text => {
            let colour = std::io::stdout().is_terminal();
            write_text(&mut out, &args.a, &a.text, &args.b, &b.text, &alignment, colour)?;
        }
    }
    out.flush()?;
    Ok(Status::Complete)
}

/// Both texts, each passage in brackets `[1 … ]1` (coloured on a terminal),
/// text that only one side has marked `{+ … +}`.
fn write_text(
    out: &mut impl Write,
    a_name: &str,
    a: &str,
    b_name: &str,
    b: &str,
    alignment: &Alignment,
    colour: bool,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} passages; containment: A {:.1} %, B {:.1} %",
        alignment.passages.len(),
        100.0 * alignment.containment_a,
        100.0 * alignment.containment_b
    )?;
    for (i, p) in alignment.passages.iter().enumerate() {
        writeln!(
            out,
            "  [{}] {} A {}..{} <-> B {}..{} edit rate {:.2} score {:.2}",
            i + 1,
            p.kind.name(),
            p.a.start,
            p.a.end,
            p.b.start,
            p.b.end,
            p.edit_rate,
            p.score
        )?;
    }
    let a_spans: Vec<(usize, usize)> = alignment.passages.iter().map(|p| (p.a.byte_start, p.a.byte_end)).collect();
    let b_spans: Vec<(usize, usize)> = alignment.passages.iter().map(|p| (p.b.byte_start, p.b.byte_end)).collect();
    let a_only: Vec<(usize, usize)> = alignment.only_a.iter().map(|s| (s.byte_start, s.byte_end)).collect();
    let b_only: Vec<(usize, usize)> = alignment.only_b.iter().map(|s| (s.byte_start, s.byte_end)).collect();
    for (name, text, spans, only) in [("A", a_name, &a_spans, &a_only), ("B", b_name, &b_spans, &b_only)] {
        let body = if name == "A" { a } else { b };
        writeln!(out, "\n=== {name}: {text}")?;
        write_marked(out, body, spans, only, colour)?;
        writeln!(out)?;
    }
    Ok(())
}

fn write_marked(
    out: &mut impl Write,
    text: &str,
    passages: &[(usize, usize)],
    only: &[(usize, usize)],
    colour: bool,
) -> std::io::Result<()> {
    // Events: (byte, order, marker); ends before starts at the same byte.
    let mut events: Vec<(usize, u8, String)> = Vec::new();
    for (i, &(s, e)) in passages.iter().enumerate() {
        let (open, close) = if colour {
            (format!("\x1b[1;3{}m[{}", 2 + (i % 5), i + 1), format!("]{}\x1b[0m", i + 1))
        } else {
            (format!("[{}", i + 1), format!("]{}", i + 1))
        };
        events.push((s, 1, open));
        events.push((e, 0, close));
    }
    for &(s, e) in only {
        let (open, close) =
            if colour { ("\x1b[2m{+".to_string(), "+}\x1b[0m".to_string()) } else { ("{+".into(), "+}".into()) };
        events.push((s, 1, open));
        events.push((e, 0, close));
    }
    events.sort_by_key(|e| (e.0, e.1));
    let mut at = 0;
    for (byte, _, marker) in events {
        out.write_all(&text.as_bytes()[at..byte])?;
        out.write_all(marker.as_bytes())?;
        at = byte;
    }
    out.write_all(&text.as_bytes()[at..])
}
