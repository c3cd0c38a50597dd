//! The story tier's candidate pairs and their feature vectors, as `scan`
//! computes them (`Scanner::story_features`): what
//! `bench/train_story_scorer.py` trains the pair scorer on.
//!
//!   cargo run --release -p reprint-io --example story_features -- MODEL_DIR|- FILE.jsonl... > OUT.tsv
//!
//! Each FILE is one corpus; its records are read for `text`, `title` and
//! `date`. Output per FILE: a line `#file<TAB>FILE`, a line `#` followed by
//! the feature names, a line `#embedded` followed by one 0/1 per document,
//! then one line per candidate pair: `a<TAB>b<TAB>x0<TAB>x1...` (documents
//! numbered by line of FILE).

use std::io::{BufRead, Write};

use reprint_core::scanner::{ScanConfig, ScanDocument, Scanner};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: story_features MODEL_DIR|- FILE.jsonl...".into());
    }
    let model =
        if args[1] == "-" { None } else { Some(reprint_io::model::load_model(std::path::Path::new(&args[1]))?) };
    let scanner = Scanner::new(ScanConfig::default(), model.as_ref())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for path in &args[2..] {
        let mut records: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
            let record: serde_json::Value = serde_json::from_str(&line?)?;
            let field = |name: &str| record.get(name).and_then(|v| v.as_str()).map(str::to_string);
            records.push((field("text").unwrap_or_default(), field("title"), field("date")));
        }
        let documents: Vec<ScanDocument> = records
            .iter()
            .map(|(text, title, date)| ScanDocument {
                text,
                title: title.as_deref(),
                date: date.as_deref(),
                inject_panic: false,
            })
            .collect();
        let found = scanner.story_features(&documents);
        writeln!(out, "#file\t{path}")?;
        writeln!(out, "#{}", reprint_core::event::FEATURES.join("\t"))?;
        let embedded: Vec<&str> = found.embedded.iter().map(|&e| if e { "1" } else { "0" }).collect();
        writeln!(out, "#embedded\t{}", embedded.join("\t"))?;
        for (c, x) in found.candidates.iter().zip(&found.features) {
            write!(out, "{}\t{}", c.a, c.b)?;
            for v in x {
                write!(out, "\t{v}")?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}
