//! The inputs of `scan` and `dedup`, before and after reading: what cannot
//! be read is reported (and is fatal when nothing can be), and inputs that
//! hold no document get a warning.

use std::path::PathBuf;

use anyhow::{bail, Result};
use reprint_io::corpus::{Corpus, Document, SeenIds};
use reprint_io::input::{discover_all, InputFile, Reader};
use reprint_io::record::{Fields, Record};

use crate::messages::{Messages, Warning};

/// Expands the input arguments. Arguments and folder entries that cannot be
/// read are reported as skipped; a folder without documents gets a warning.
/// When none of the inputs can be read at all, that is a fatal error (the
/// caller writes nothing).
pub fn find(arguments: &[PathBuf], messages: &mut Messages) -> Result<Vec<InputFile>> {
    let found = discover_all(arguments);
    for p in &found.problems {
        messages.skipped(p);
    }
    if found.files.is_empty() && !found.problems.is_empty() {
        let inputs = if arguments.len() == 1 { "the input" } else { "any of the inputs" };
        bail!("no document can be read from {inputs} (see above); nothing was written");
    }
    for folder in &found.empty_folders {
        messages.warn(
            Warning::NoDocuments,
            &format!(
                "reprint: warning: no documents in {folder} (a folder's documents are its .txt, .md, .markdown, \
                 .html and .htm files)"
            ),
        );
    }
    Ok(found.files)
}

/// Once `reader` has read everything: a warning for each input that held no
/// record (an empty file, empty standard input, only blank lines), then the
/// summary of repeated problems and warnings.
pub fn end_of_input(reader: &Reader, messages: &mut Messages) {
    for input in reader.empty_inputs() {
        messages.warn(Warning::NoDocuments, &format!("reprint: warning: no documents in {}", input.display));
    }
    messages.end_of_input();
}

/// Reads every record of the inputs into memory, in input order.
pub fn read_all(reader: Reader, fields: Fields, messages: &mut Messages) -> Vec<Record> {
    let mut corpus = Corpus::new(reader, fields);
    messages.start_progress(corpus.inputs().iter().map(|i| i.size).sum());
    let progress = corpus.progress();
    let mut records = Vec::new();
    let mut seen = SeenIds::default();
    while let Some(batch) = corpus.next_batch(4 << 20) {
        for found in batch {
            match found {
                Err(problem) => messages.skipped(&problem),
                Ok(Document { record, location }) => {
                    if !record.text.chars().any(char::is_alphanumeric) {
                        messages.warn_empty_text(&location);
                    }
                    if record.lossy {
                        messages.warn_lossy(&location);
                    }
                    if let Some(first) = seen.first_seen(&record.id, &location) {
                        messages.warn_duplicate_id(&location, &record.id, first);
                    }
                    records.push(record);
                }
            }
        }
        messages.set_progress(progress.load(std::sync::atomic::Ordering::Relaxed), "reading");
    }
    crate::inputs::end_of_input(corpus.reader(), messages);
    messages.finish_progress();
    records
}
