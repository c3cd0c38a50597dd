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

/// What [`discover_all`] found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The input files, in order.
    pub files: Vec<InputFile>,
    /// Arguments and folder entries that cannot be read.
    pub problems: Vec<Problem>,
    /// Folders given as arguments that hold no document (no `.txt`, `.md`,
    /// `.markdown`, `.html` or `.htm` file), as given.
    pub empty_folders: Vec<String>,
}

/// Expands input arguments into input files, in order: folders recursively,
/// sorted by path. Missing paths and unreadable folder entries become
/// problems; the rest goes on.
pub fn discover(arguments: &[PathBuf]) -> (Vec<InputFile>, Vec<Problem>) {
    let found = discover_all(arguments);
    (found.files, found.problems)
}

/// [`discover`], and which folders hold no document. Inside a folder, an
/// entry named like a document that is not a regular file (a named pipe, a
/// socket, a device) is a problem; a symbolic link to a folder that
/// contains it is a problem and is not followed.
pub fn discover_all(arguments: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    let (files, problems) = (&mut found.files, &mut found.problems);
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
            let before = (files.len(), problems.len());
            for entry in walkdir::WalkDir::new(arg).follow_links(true).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        let file = e.path().map(|p| p.display().to_string()).unwrap_or_else(|| display.clone());
                        let reason = match (e.loop_ancestor(), e.io_error()) {
                            (Some(ancestor), _) => format!(
                                "symbolic link loop (to {}, a folder that contains it); not followed",
                                ancestor.display()
                            ),
                            (None, Some(io)) => io_reason(io),
                            (None, None) => e.to_string(),
                        };
                        problems.push(Problem { location: Location { file, line: None }, reason });
                        continue;
                    }
                };
                if !is_document(entry.path()) || entry.file_type().is_dir() {
                    continue;
                }
                if !entry.file_type().is_file() {
                    problems.push(Problem {
                        location: Location { file: entry.path().display().to_string(), line: None },
                        reason: "not a regular file (a named pipe, socket or device); skipped".into(),
                    });
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
            if (files.len(), problems.len()) == before {
                found.empty_folders.push(display);
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
    found
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

/// The default longest JSON Lines record, and largest text or HTML file,
/// that is read (`--max-record-bytes`): 64 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 64 << 20;

/// How one line was read by [`read_line`].
enum LineRead {
    /// End of input: nothing was read.
    End,
    /// A line of `n` bytes (line end included), appended to the buffer.
    Line(u64),
    /// A line of `n` bytes (line end included) whose record (line end
    /// excluded) is `record` bytes, longer than the limit: read through and
    /// dropped, nothing appended.
    TooLong { n: u64, record: u64 },
}

/// Reads one line into `out`, keeping at most `max + 2` of its bytes in
/// memory (the record and a `\r\n`): a longer line is read through to its
/// end and dropped. On an error, `out` may hold part of the line.
fn read_line(reader: &mut dyn BufRead, out: &mut Vec<u8>, max: u64) -> io::Result<LineRead> {
    let start = out.len();
    let keep = max.saturating_add(2);
    let mut total: u64 = 0;
    let mut too_long = false;
    // The line's last two bytes, to tell its record from its line end.
    let mut tail = [0u8; 2];
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        let (n, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !too_long {
            if total + n as u64 > keep {
                too_long = true;
                out.truncate(start);
            } else {
                out.extend_from_slice(&buf[..n]);
            }
        }
        tail = match n {
            1 => [tail[1], buf[0]],
            _ => [buf[n - 2], buf[n - 1]],
        };
        reader.consume(n);
        total += n as u64;
        if done {
            break;
        }
    }
    if total == 0 {
        return Ok(LineRead::End);
    }
    let record = match tail {
        [b'\r', b'\n'] if total >= 2 => total - 2,
        [_, b'\n'] => total - 1,
        _ => total,
    };
    if too_long || record > max {
        out.truncate(start);
        return Ok(LineRead::TooLong { n: total, record });
    }
    Ok(LineRead::Line(total))
}

/// Reads the inputs in order, in batches.
///
/// Memory: a batch holds about `target_bytes` of raw data, or one record
/// when that is larger; a JSON Lines record longer than the limit
/// ([`Reader::max_record_bytes`]) is read through without being kept and
/// becomes a problem, and so does a text or HTML file larger than the limit
/// on disk. So no batch holds more than `target_bytes` + the limit.
pub struct Reader {
    inputs: Vec<InputFile>,
    next_input: usize,
    /// The input being read: index, reader, lines read, bytes read.
    current: Option<(u32, Box<dyn BufRead + Send>, u64, u64)>,
    bytes_read: Arc<AtomicU64>,
    max_record_bytes: u64,
    /// Per input: items other than blank lines (records, files, problems).
    items: Vec<u64>,
}

impl Reader {
    pub fn new(inputs: Vec<InputFile>) -> Reader {
        let items = vec![0; inputs.len()];
        Reader {
            inputs,
            next_input: 0,
            current: None,
            bytes_read: Arc::new(AtomicU64::new(0)),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            items,
        }
    }

    /// Sets the longest JSON Lines record (line end excluded), and the
    /// largest text or HTML file, that is read; longer ones become problems
    /// naming file and line (default [`DEFAULT_MAX_RECORD_BYTES`]).
    pub fn max_record_bytes(mut self, limit: u64) -> Reader {
        self.max_record_bytes = limit;
        self
    }

    pub fn inputs(&self) -> &[InputFile] {
        &self.inputs
    }

    /// A counter of bytes read so far, shared for progress reporting.
    pub fn progress(&self) -> Arc<AtomicU64> {
        self.bytes_read.clone()
    }

    /// The inputs read so far that gave nothing but blank lines: no record,
    /// no problem (an empty file, empty standard input, a compressed file of
    /// nothing). Call it once [`Reader::next_batch`] has returned `None`.
    pub fn empty_inputs(&self) -> impl Iterator<Item = &InputFile> {
        let done = if self.current.is_some() { self.next_input.saturating_sub(1) } else { self.next_input };
        self.inputs[..done].iter().zip(&self.items).filter(|(_, &n)| n == 0).map(|(input, _)| input)
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
                let problem = |reason: String| {
                    Item::Problem(Problem { location: Location { file: input.display.clone(), line: None }, reason })
                };
                if !matches!(input.format, Format::JsonLines(_)) {
                    // Whole files are read by the worker that parses them.
                    if let Some(size) = input.size {
                        self.bytes_read.fetch_add(size, Ordering::Relaxed);
                    }
                    self.items[index] += 1;
                    match input.size {
                        Some(size) if size > self.max_record_bytes => batch.items.push(problem(format!(
                            "file larger than --max-record-bytes ({} > {}); skipped",
                            crate::bytes_text(size),
                            crate::bytes_text(self.max_record_bytes)
                        ))),
                        _ => batch.items.push(Item::File { input: index as u32 }),
                    }
                    if batch.items.len() >= 4096 {
                        break;
                    }
                    continue;
                }
                if input.size == Some(0) {
                    // Nothing to read (not even a compression header): an
                    // empty input, not a broken one.
                    continue;
                }
                match self.open(input) {
                    Ok(reader) => self.current = Some((index as u32, reader, 0, 0)),
                    Err(e) => {
                        batch.items.push(problem(format!("cannot open: {}", io_reason(&e))));
                        self.items[index] += 1;
                    }
                }
                continue;
            }
            let (input, reader, line, offset) = self.current.as_mut().expect("checked");
            let start = batch.data.len();
            let location =
                |line: u64| Location { file: self.inputs[*input as usize].display.clone(), line: Some(line) };
            match read_line(reader.as_mut(), &mut batch.data, self.max_record_bytes) {
                Ok(LineRead::End) => self.current = None,
                Ok(LineRead::Line(n)) => {
                    *line += 1;
                    let line_offset = *offset;
                    *offset += n;
                    let mut end = batch.data.len();
                    if batch.data[end - 1] == b'\n' {
                        end -= 1;
                        if end > start && batch.data[end - 1] == b'\r' {
                            end -= 1;
                        }
                    }
                    if !batch.data[start..end].iter().all(u8::is_ascii_whitespace) {
                        self.items[*input as usize] += 1;
                    }
                    batch.items.push(Item::Line { input: *input, line: *line, offset: line_offset, start, end });
                }
                Ok(LineRead::TooLong { n, record }) => {
                    *line += 1;
                    *offset += n;
                    self.items[*input as usize] += 1;
                    batch.items.push(Item::Problem(Problem {
                        location: location(*line),
                        reason: format!(
                            "record longer than --max-record-bytes ({} > {}); skipped",
                            crate::bytes_text(record),
                            crate::bytes_text(self.max_record_bytes)
                        ),
                    }));
                }
                Err(e) => {
                    batch.data.truncate(start);
                    let compression = match self.inputs[*input as usize].format {
                        Format::JsonLines(Compression::Gzip) => Some("gzip"),
                        Format::JsonLines(Compression::Zstd) => Some("zstd"),
                        _ => None,
                    };
                    let reason = match compression {
                        Some(name) if *offset == 0 => format!("not readable as {name}: {}", io_reason(&e)),
                        _ => format!("read error, rest of the file skipped: {}", io_reason(&e)),
                    };
                    self.items[*input as usize] += 1;
                    batch.items.push(Item::Problem(Problem { location: location(*line + 1), reason }));
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

    /// Lines and problems of `path` read with a record limit of `max` bytes
    /// in batches of `target` bytes; and the inputs that gave nothing.
    fn read_limited(path: &Path, max: u64, target: usize) -> (Vec<String>, Vec<String>, Vec<String>) {
        let (files, _) = discover(&[path.to_path_buf()]);
        let mut reader = Reader::new(files).max_record_bytes(max);
        let (mut lines, mut problems) = (Vec::new(), Vec::new());
        while let Some(batch) = reader.next_batch(target) {
            assert!(batch.data.len() <= target + max as usize + 2, "a batch holds {} bytes", batch.data.len());
            for item in &batch.items {
                match item {
                    Item::Line { line, start, end, .. } => {
                        lines.push(format!("{line}:{}", String::from_utf8_lossy(batch.bytes(*start, *end))))
                    }
                    Item::Problem(p) => problems.push(p.to_string()),
                    Item::File { .. } => lines.push("file".into()),
                }
            }
        }
        let empty = reader.empty_inputs().map(|i| i.display.clone()).collect();
        (lines, problems, empty)
    }

    #[test]
    fn a_record_over_the_limit_is_a_problem_and_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.jsonl");
        let mut data = b"{\"a\":1}\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 300_000));
        data.extend_from_slice(b"\r\n0123456789\r\n");
        data.extend(std::iter::repeat_n(b'y', 11));
        std::fs::write(&path, &data).unwrap();
        let (lines, problems, empty) = read_limited(&path, 10, 64);
        let at = path.display();
        assert_eq!(lines, vec!["1:{\"a\":1}", "3:0123456789"], "exactly 10 bytes is within the limit");
        assert_eq!(
            problems,
            vec![
                format!("{at}:2: record longer than --max-record-bytes (293.0 KiB > 10 bytes); skipped"),
                format!("{at}:4: record longer than --max-record-bytes (11 bytes > 10 bytes); skipped"),
            ]
        );
        assert!(empty.is_empty());
        // The line after a long one starts at the right offset.
        let (files, _) = discover(std::slice::from_ref(&path));
        let mut reader = Reader::new(files).max_record_bytes(10);
        let batch = reader.next_batch(1 << 20).unwrap();
        let offsets: Vec<u64> = batch
            .items
            .iter()
            .filter_map(|i| if let Item::Line { offset, .. } = i { Some(*offset) } else { None })
            .collect();
        assert_eq!(offsets, vec![0, 8 + 300_002]);
    }

    #[test]
    fn text_files_over_the_limit_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("small.txt"), "0123456789").unwrap();
        std::fs::write(dir.path().join("large.txt"), "0123456789a").unwrap();
        let (lines, problems, _) = read_limited(dir.path(), 10, 64);
        assert_eq!(lines, vec!["file"]);
        assert_eq!(
            problems,
            vec![format!(
                "{}: file larger than --max-record-bytes (11 bytes > 10 bytes); skipped",
                dir.path().join("large.txt").display()
            )]
        );
    }

    #[test]
    fn inputs_without_records() {
        let dir = tempfile::tempdir().unwrap();
        let zst = dir.path().join("empty.jsonl.zst");
        std::fs::write(&zst, b"").unwrap();
        let gz = dir.path().join("empty.jsonl.gz");
        std::fs::write(&gz, b"").unwrap();
        let blank = dir.path().join("blank.jsonl");
        std::fs::write(&blank, b"\n  \r\n\n").unwrap();
        let blank_zst = dir.path().join("blank.jsonl.zst");
        std::fs::write(&blank_zst, zstd::encode_all(&b"\n\n"[..], 3).unwrap()).unwrap();
        for p in [&zst, &gz, &blank, &blank_zst] {
            let (_, problems, empty) = read_limited(p, 100, 64);
            assert!(problems.is_empty(), "{problems:?}: a zero-byte compressed file is empty, not broken");
            assert_eq!(empty, vec![p.display().to_string()]);
        }
        let good = dir.path().join("good.jsonl");
        std::fs::write(&good, b"\n{}\n").unwrap();
        assert!(read_limited(&good, 100, 64).2.is_empty());
    }

    #[test]
    fn a_gz_that_is_not_gzip_is_a_problem_on_line_1() {
        let dir = tempfile::tempdir().unwrap();
        let gz = dir.path().join("x.jsonl.gz");
        std::fs::write(&gz, "{\"text\": \"plain\"}\n").unwrap();
        let zst = dir.path().join("x.jsonl.zst");
        std::fs::write(&zst, "{\"text\": \"plain\"}\n").unwrap();
        let (lines, problems, empty) = read_limited(&gz, 100, 64);
        assert!(lines.is_empty() && empty.is_empty());
        assert_eq!(problems, vec![format!("{}:1: not readable as gzip: invalid gzip header", gz.display())]);
        let (_, problems, _) = read_limited(&zst, 100, 64);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with(&format!("{}:1: not readable as zstd: ", zst.display())), "{problems:?}");
    }

    #[test]
    fn folders_with_nothing_to_read_and_odd_entries() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let jsonl_only = dir.path().join("jsonl-only");
        std::fs::create_dir(&jsonl_only).unwrap();
        std::fs::write(jsonl_only.join("a.jsonl"), "{}\n").unwrap();
        let odd = dir.path().join("odd");
        std::fs::create_dir(&odd).unwrap();
        std::fs::write(odd.join("good.txt"), "good").unwrap();
        std::os::unix::fs::symlink(".", odd.join("loop")).unwrap();
        std::os::unix::fs::symlink("self.txt", odd.join("self.txt")).unwrap();
        // A named pipe named like a document: not read (it could block), reported.
        let status = std::process::Command::new("mkfifo").arg(odd.join("pipe.txt")).status().unwrap();
        assert!(status.success());
        let found = discover_all(&[empty.clone(), jsonl_only.clone(), odd.clone()]);
        assert_eq!(found.empty_folders, vec![empty.display().to_string(), jsonl_only.display().to_string()]);
        let ids: Vec<&str> = found.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, vec!["good.txt"]);
        let problems: Vec<String> = found.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            vec![
                format!(
                    "{}: symbolic link loop (to {}, a folder that contains it); not followed",
                    odd.join("loop").display(),
                    odd.display()
                ),
                format!(
                    "{}: not a regular file (a named pipe, socket or device); skipped",
                    odd.join("pipe.txt").display()
                ),
                format!("{}: too many levels of symbolic links", odd.join("self.txt").display()),
            ]
        );
    }
}
