//! A corpus as a stream of documents: the inputs of a run read in batches,
//! each batch's records parsed in parallel, every result in input order
//! with its location, and a bad record a [`Problem`] beside the good ones.
//! Front doors that hold a whole corpus (`scan`, the server, Python) and
//! those that look for two records (`align --in`) read through it.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use rayon::prelude::*;

use crate::input::{Batch, InputFile, Item, Reader};
use crate::record::{parse_line, read_file, Fields, Record};
use crate::{Location, Problem};

/// A record and where it was read.
#[derive(Clone, Debug)]
pub struct Document {
    pub record: Record,
    pub location: Location,
}

/// The records of a run's inputs, batch by batch.
pub struct Corpus {
    reader: Reader,
    fields: Fields,
    files: Vec<InputFile>,
}

impl Corpus {
    pub fn new(reader: Reader, fields: Fields) -> Corpus {
        let files = reader.inputs().to_vec();
        Corpus { reader, fields, files }
    }

    /// The inputs, as found.
    pub fn inputs(&self) -> &[InputFile] {
        &self.files
    }

    /// The reader underneath (for what it says at the end of the input).
    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    /// Bytes read so far (for a progress display).
    pub fn progress(&self) -> Arc<AtomicU64> {
        self.reader.progress()
    }

    /// The documents of the next batch of about `target_bytes` bytes of
    /// input, parsed on the current rayon pool, in input order; blank lines
    /// are left out. `None` at the end of the input.
    pub fn next_batch(&mut self, target_bytes: usize) -> Option<Vec<Result<Document, Problem>>> {
        let batch = self.reader.next_batch(target_bytes)?;
        let (files, fields) = (&self.files, &self.fields);
        let parsed: Vec<Option<Result<Document, Problem>>> =
            batch.items.par_iter().map(|item| parse_item(item, &batch, fields, files)).collect();
        Some(parsed.into_iter().flatten().collect())
    }
}

/// One raw item of `batch` as a document, or why not; `None` for a blank
/// line. `files` are the reader's inputs.
pub(crate) fn parse_item(
    item: &Item,
    batch: &Batch,
    fields: &Fields,
    files: &[InputFile],
) -> Option<Result<Document, Problem>> {
    match item {
        Item::Problem(p) => Some(Err(p.clone())),
        Item::Line { input, line, start, end, .. } => {
            let location = Location { file: files[*input as usize].display.clone(), line: Some(*line) };
            match parse_line(batch.bytes(*start, *end), fields, &location) {
                Ok(Some(record)) => Some(Ok(Document { record, location })),
                Ok(None) => None,
                Err(p) => Some(Err(p)),
            }
        }
        Item::File { input } => {
            let input = &files[*input as usize];
            let location = Location { file: input.display.clone(), line: None };
            Some(read_file(input).map(|record| Document { record, location }))
        }
    }
}

/// Where each id was first seen, to tell a repeated id.
#[derive(Debug, Default)]
pub struct SeenIds(HashMap<String, Location>);

impl SeenIds {
    /// Records `id` at `location`; if the id was seen before, returns where.
    pub fn first_seen(&mut self, id: &str, location: &Location) -> Option<&Location> {
        if self.0.contains_key(id) {
            return self.0.get(id);
        }
        self.0.insert(id.to_string(), location.clone());
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::discover;

    #[test]
    fn records_problems_and_files_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("a.jsonl");
        std::fs::write(
            &jsonl,
            "{\"id\":\"x\",\"text\":\"one\"}\n\n{\"id\":\"y\"}\nnot json\n{\"id\":\"z\",\"text\":\"三\"}\n",
        )
        .unwrap();
        let (files, problems) = discover(&[jsonl]);
        assert!(problems.is_empty());
        let mut corpus = Corpus::new(Reader::new(files), Fields::default());
        let mut out = Vec::new();
        while let Some(batch) = corpus.next_batch(4) {
            out.extend(batch);
        }
        let summary: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(d) => format!("{} {} {}", d.location.line.unwrap(), d.record.id, d.record.text),
                Err(p) => format!("{} problem", p.location.line.unwrap()),
            })
            .collect();
        assert_eq!(summary, ["1 x one", "3 problem", "4 problem", "5 z 三"]);
    }

    #[test]
    fn a_repeated_id_names_its_first_place() {
        let mut seen = SeenIds::default();
        let at = |line| Location { file: "f".into(), line: Some(line) };
        assert_eq!(seen.first_seen("a", &at(1)), None);
        assert_eq!(seen.first_seen("b", &at(2)), None);
        assert_eq!(seen.first_seen("a", &at(3)), Some(&at(1)));
        assert_eq!(seen.first_seen("a", &at(4)), Some(&at(1)));
    }
}
