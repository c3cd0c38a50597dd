//! The inputs of a run and the stream of raw items read from them.
//!
//! An input argument is a folder (read recursively: `.txt`, `.md`,
//! `.markdown`, `.html`, `.htm` files, one document each, id = the path
//! relative to the folder), a single text or HTML file (id = the path as
//! given), a JSON Lines file (`.jsonl`, `.ndjson`, `.json`, or any other
//! name), plain or compressed (`.gz`, `.zst`), or `-` for JSON Lines on
//! standard input.
//!
//! [`Reader`] reads them in order and hands out [`Batch`]es of raw items
//! (JSON Lines lines and text files), each about a fixed number of bytes, so
//! that memory stays bounded and parsing can happen in parallel. Nothing is
//! parsed here.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::{Location, Problem};

/// How the bytes of a JSON Lines input are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// What an input file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    JsonLines(Compression),
    /// One plain-text (or Markdown) document.
    Text,
    /// One HTML document, reduced to its text.
    Html,
}

/// One input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    /// How messages name it.
    pub display: String,
    /// The document id of a text or HTML file.
    pub id: String,
    pub format: Format,
    /// Size on disk, when known.
    pub size: Option<u64>,
}

impl InputFile {
    /// A plain JSON Lines file on disk, whose lines can be read again by
    /// offset (not standard input, not compressed).
    pub fn is_rereadable(&self) -> bool {
        self.path.is_some() && self.format == Format::JsonLines(Compression::None)
    }
}

fn format_of(path: &Path) -> Format {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let (stem, compression) = if let Some(s) = name.strip_suffix(".gz") {
        (s, Compression::Gzip)
    } else if let Some(s) = name.strip_suffix(".zst").or_else(|| name.strip_suffix(".zstd")) {
        (s, Compression::Zstd)
    } else {
        (name.as_str(), Compression::None)
    };
    if compression == Compression::None {
        if stem.ends_with(".txt") || stem.ends_with(".md") || stem.ends_with(".markdown") {
            return Format::Text;
        }
        if stem.ends_with(".html") || stem.ends_with(".htm") {
            return Format::Html;
        }
    }
    Format::JsonLines(compression)
}

/// Whether a file found in a folder is a document.
fn is_document(path: &Path) -> bool {
    matches!(format_of(path), Format::Text | Format::Html)
}

/// Expands input arguments into input files, in order: folders recursively,
/// sorted by path. Missing paths and unreadable folder entries become
/// problems; the rest goes on.
pub fn discover(arguments: &[PathBuf]) -> (Vec<InputFile>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for arg in arguments {
        let display = arg.display().to_string();
        if display == "-" {
            files.push(InputFile {
                path: None,
                display: "<stdin>".into(),
                id: "<stdin>".into(),
                format: Format::JsonLines(Compression::None),
                size: None,
            });
            continue;
        }
        let meta = match std::fs::metadata(arg) {
            Ok(m) => m,
            Err(e) => {
                problems.push(Problem { location: Location { file: display, line: None }, reason: io_reason(&e) });
                continue;
            }
        };
        if meta.is_dir() {
            for entry in walkdir::WalkDir::new(arg).follow_links(true).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        let file = e.path().map(|p| p.display().to_string()).unwrap_or_else(|| display.clone());
                        let reason = e.io_error().map(io_reason).unwrap_or_else(|| e.to_string());
                        problems.push(Problem { location: Location { file, line: None }, reason });
                        continue;
                    }
                };
                if !entry.file_type().is_file() || !is_document(entry.path()) {
                    continue;
                }
                let relative = entry.path().strip_prefix(arg).unwrap_or(entry.path());
                let id = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                files.push(InputFile {
                    path: Some(entry.path().to_path_buf()),
                    display: entry.path().display().to_string(),
                    id,
                    format: format_of(entry.path()),
                    size: entry.metadata().ok().map(|m| m.len()),
                });
            }
        } else {
            files.push(InputFile {
                path: Some(arg.clone()),
                id: display.clone(),
                display,
                format: format_of(arg),
                size: Some(meta.len()),
            });
        }
    }
    (files, problems)
}

/// A readable reason for an I/O error, without Rust's "(os error N)".
pub fn io_reason(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_lowercase(),
        None => text,
    }
}

/// A raw item: where it came from and its bytes in [`Batch::data`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A line of a JSON Lines input (without its line end): `offset` is
    /// where it starts in the input's (decompressed) bytes.
    Line { input: u32, line: u64, offset: u64, start: usize, end: usize },
    /// A whole text or HTML file.
    File { input: u32 },
    /// An input or part of one that could not be read.
    Problem(Problem),
}

/// Raw items read in one go.
#[derive(Debug, Default)]
pub struct Batch {
    pub data: Vec<u8>,
    pub items: Vec<Item>,
}

impl Batch {
    /// The bytes of a line item.
    pub fn bytes(&self, start: usize, end: usize) -> &[u8] {
        &self.data[start..end]
    }
}

/// Counts bytes read from the underlying file (compressed bytes for
/// compressed inputs), for progress.
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads the inputs in order, in batches.
pub struct Reader {
    inputs: Vec<InputFile>,
    next_input: usize,
    /// The input being read: index, reader, lines read, bytes read.
    current: Option<(u32, Box<dyn BufRead + Send>, u64, u64)>,
    bytes_read: Arc<AtomicU64>,
}

impl Reader {
    pub fn new(inputs: Vec<InputFile>) -> Reader {
        Reader { inputs, next_input: 0, current: None, bytes_read: Arc::new(AtomicU64::new(0)) }
    }

    pub fn inputs(&self) -> &[InputFile] {
        &self.inputs
    }

    /// A counter of bytes read so far, shared for progress reporting.
    pub fn progress(&self) -> Arc<AtomicU64> {
        self.bytes_read.clone()
    }

    fn open(&self, input: &InputFile) -> io::Result<Box<dyn BufRead + Send>> {
        let raw: Box<dyn Read + Send> = match &input.path {
            None => Box::new(io::stdin()),
            Some(p) => Box::new(File::open(p)?),
        };
        let counted = Counting { inner: raw, counter: self.bytes_read.clone() };
        Ok(match input.format {
            Format::JsonLines(Compression::Gzip) => {
                Box::new(BufReader::with_capacity(1 << 16, flate2::read::MultiGzDecoder::new(BufReader::new(counted))))
            }
            Format::JsonLines(Compression::Zstd) => {
                Box::new(BufReader::with_capacity(1 << 16, zstd::stream::read::Decoder::new(counted)?))
            }
            _ => Box::new(BufReader::with_capacity(1 << 16, counted)),
        })
    }

    /// Reads the next batch of about `target_bytes` of raw data; `None` when
    /// all inputs are read.
    pub fn next_batch(&mut self, target_bytes: usize) -> Option<Batch> {
        let mut batch = Batch::default();
        while batch.data.len() < target_bytes {
            if self.current.is_none() {
                if self.next_input >= self.inputs.len() {
                    break;
                }
                let index = self.next_input;
                self.next_input += 1;
                let input = &self.inputs[index];
                if !matches!(input.format, Format::JsonLines(_)) {
                    // Whole files are read by the worker that parses them.
                    if let Some(size) = input.size {
                        self.bytes_read.fetch_add(size, Ordering::Relaxed);
                    }
                    batch.items.push(Item::File { input: index as u32 });
                    if batch.items.len() >= 4096 {
                        break;
                    }
                    continue;
                }
                match self.open(input) {
                    Ok(reader) => self.current = Some((index as u32, reader, 0, 0)),
                    Err(e) => {
                        batch.items.push(Item::Problem(Problem {
                            location: Location { file: input.display.clone(), line: None },
                            reason: format!("cannot open: {}", io_reason(&e)),
                        }));
                    }
                }
                continue;
            }
            let (input, reader, line, offset) = self.current.as_mut().expect("checked");
            let start = batch.data.len();
            match reader.read_until(b'\n', &mut batch.data) {
                Ok(0) => self.current = None,
                Ok(n) => {
                    *line += 1;
                    let line_offset = *offset;
                    *offset += n as u64;
                    let mut end = batch.data.len();
                    if batch.data[end - 1] == b'\n' {
                        end -= 1;
                        if end > start && batch.data[end - 1] == b'\r' {
                            end -= 1;
                        }
                    }
                    batch.items.push(Item::Line { input: *input, line: *line, offset: line_offset, start, end });
                }
                Err(e) => {
                    batch.data.truncate(start);
                    let display = self.inputs[*input as usize].display.clone();
                    batch.items.push(Item::Problem(Problem {
                        location: Location { file: display, line: Some(*line + 1) },
                        reason: format!("read error, rest of the file skipped: {}", io_reason(&e)),
                    }));
                    self.current = None;
                }
            }
        }
        if batch.items.is_empty() {
            None
        } else {
            Some(batch)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn formats() {
        assert_eq!(format_of(Path::new("a/b.jsonl")), Format::JsonLines(Compression::None));
        assert_eq!(format_of(Path::new("b.JSONL.gz")), Format::JsonLines(Compression::Gzip));
        assert_eq!(format_of(Path::new("b.ndjson.zst")), Format::JsonLines(Compression::Zstd));
        assert_eq!(format_of(Path::new("story.md")), Format::Text);
        assert_eq!(format_of(Path::new("page.HTM")), Format::Html);
    }

    #[test]
    fn folders_and_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.txt"), "b").unwrap();
        std::fs::write(dir.path().join("a.html"), "<p>a</p>").unwrap();
        std::fs::write(dir.path().join("ignored.png"), "x").unwrap();
        let (files, problems) = discover(&[dir.path().to_path_buf(), dir.path().join("missing.jsonl")]);
        let ids: Vec<&str> = files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, vec!["a.html", "sub/b.txt"]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().ends_with("missing.jsonl: no such file or directory"), "{}", problems[0]);
    }

    fn lines_of(path: &Path) -> (Vec<String>, Vec<String>) {
        let (files, _) = discover(&[path.to_path_buf()]);
        let mut reader = Reader::new(files);
        let (mut lines, mut problems) = (Vec::new(), Vec::new());
        while let Some(batch) = reader.next_batch(10) {
            for item in &batch.items {
                match item {
                    Item::Line { line, start, end, .. } => {
                        lines.push(format!("{line}:{}", String::from_utf8_lossy(batch.bytes(*start, *end))))
                    }
                    Item::Problem(p) => problems.push(p.reason.clone()),
                    Item::File { .. } => unreachable!(),
                }
            }
        }
        (lines, problems)
    }

    #[test]
    fn compressed_lines() {
        let dir = tempfile::tempdir().unwrap();
        let text = "{\"a\":1}\r\n\n{\"b\":2}";
        let gz = dir.path().join("x.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(File::create(&gz).unwrap(), flate2::Compression::fast());
        enc.write_all(text.as_bytes()).unwrap();
        enc.finish().unwrap();
        let zst = dir.path().join("x.jsonl.zst");
        std::fs::write(&zst, zstd::encode_all(text.as_bytes(), 3).unwrap()).unwrap();
        let plain = dir.path().join("x.jsonl");
        std::fs::write(&plain, text).unwrap();
        for p in [gz, zst, plain] {
            let (lines, problems) = lines_of(&p);
            assert_eq!(lines, vec!["1:{\"a\":1}", "2:", "3:{\"b\":2}"], "{}", p.display());
            assert!(problems.is_empty());
        }
    }

    #[test]
    fn truncated_gzip_is_a_problem_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        for i in 0..2000 {
            writeln!(enc, "{{\"id\":{i},\"text\":\"line number {i} of a longer file\"}}").unwrap();
        }
        let bytes = enc.finish().unwrap();
        let gz = dir.path().join("cut.jsonl.gz");
        std::fs::write(&gz, &bytes[..bytes.len() / 2]).unwrap();
        let (lines, problems) = lines_of(&gz);
        assert!(!lines.is_empty() && lines.len() < 2000);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("rest of the file skipped"));
    }
}
