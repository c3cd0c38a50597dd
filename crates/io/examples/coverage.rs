//! How much of each text a model reads (`TokenIds::coverage`), and the
//! language `lang::detect` finds, per record.
//!
//!   cargo run --release -p reprint-io --example coverage -- MODEL_DIR FILE.jsonl
//!
//! Prints `lang<TAB>detected<TAB>coverage<TAB>words` per line of FILE
//! (`lang` is the record's `lang` field, or `-`); the README's figures per
//! language come from `../shared/corpora/multilingual/ntrex-sample.jsonl`.

use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        return Err("usage: coverage MODEL_DIR FILE.jsonl".into());
    }
    let model = reprint_io::model::load_model(std::path::Path::new(&args[1]))?;
    let mut ids = reprint_core::embed::TokenIds::default();
    for line in std::io::BufReader::new(std::fs::File::open(&args[2])?).lines() {
        let record: serde_json::Value = serde_json::from_str(&line?)?;
        let text = record["text"].as_str().unwrap_or("");
        model.token_ids(text, &mut ids);
        let lang = record.get("lang").and_then(|l| l.as_str()).unwrap_or("-");
        let detected = reprint_core::lang::detect(text);
        println!("{lang}\t{detected}\t{:.3}\t{}", ids.coverage(), ids.words);
    }
    Ok(())
}
