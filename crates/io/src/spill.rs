//! An append-only temporary file for what must not stay in memory: original
//! records (for `kept.jsonl`) and shingle sets (for exact verification).
//!
//! The file is created unlinked in a directory of the caller's choice (the
//! output directory, so it lives on the user's chosen disk) and disappears
//! when the [`Spill`] is dropped, even on a crash. Reads use positional I/O
//! (`pread`), so any number of threads can read at once, and read pages
//! stay in the page cache rather than in the process's resident memory.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use reprint_core::dedup::SetSource;

/// Position and length in bytes of one entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extent {
    pub offset: u64,
    pub len: u32,
}

/// The spill file.
pub struct Spill {
    writer: BufWriter<File>,
    reader: File,
    end: u64,
    /// Encoding buffer for sets.
    scratch: Vec<u8>,
}

impl Spill {
    /// Creates an unlinked temporary file in `dir`.
    pub fn new_in(dir: &Path) -> io::Result<Spill> {
        let file = tempfile::tempfile_in(dir)?;
        let reader = file.try_clone()?;
        Ok(Spill { writer: BufWriter::with_capacity(1 << 20, file), reader, end: 0, scratch: Vec::new() })
    }

    /// Appends `bytes`; returns where they are.
    pub fn append(&mut self, bytes: &[u8]) -> io::Result<Extent> {
        let len = u32::try_from(bytes.len()).map_err(|_| io::Error::other("spill entry over 4 GiB"))?;
        self.writer.write_all(bytes)?;
        let extent = Extent { offset: self.end, len };
        self.end += bytes.len() as u64;
        Ok(extent)
    }

    /// Appends a set of 64-bit values, little-endian.
    pub fn append_set(&mut self, set: &[u64]) -> io::Result<Extent> {
        let start = self.end;
        self.scratch.clear();
        self.scratch.reserve(set.len() * 8);
        for v in set {
            self.scratch.extend_from_slice(&v.to_le_bytes());
        }
        self.writer.write_all(&self.scratch)?;
        self.end += set.len() as u64 * 8;
        let len = u32::try_from(self.end - start).map_err(|_| io::Error::other("spill entry over 4 GiB"))?;
        Ok(Extent { offset: start, len })
    }

    /// Makes everything appended so far readable.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// Reads an entry (after [`Spill::flush`]).
    pub fn read(&self, extent: Extent, buf: &mut Vec<u8>) -> io::Result<()> {
        buf.clear();
        buf.resize(extent.len as usize, 0);
        self.reader.read_exact_at(buf, extent.offset)
    }

    /// A reader for entries in increasing offset order (after
    /// [`Spill::flush`]).
    pub fn forward_reader(&self) -> io::Result<ForwardReader> {
        Ok(ForwardReader::new(self.reader.try_clone()?))
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.end
    }

    pub fn is_empty(&self) -> bool {
        self.end == 0
    }
}

/// Reads byte ranges of a file that mostly come in increasing order through
/// one large buffer: a sequential pass instead of one system call per range.
pub struct ForwardReader {
    reader: std::io::BufReader<File>,
    position: u64,
}

impl ForwardReader {
    pub fn new(file: File) -> ForwardReader {
        // The position is unknown until the first read, which seeks.
        ForwardReader { reader: std::io::BufReader::with_capacity(1 << 20, file), position: u64::MAX }
    }

    /// Reads `len` bytes at `offset` into `buf` (replacing its contents).
    pub fn read(&mut self, offset: u64, len: usize, buf: &mut Vec<u8>) -> io::Result<()> {
        if self.position <= offset {
            self.reader.seek_relative((offset - self.position) as i64)?;
        } else {
            self.reader.seek(SeekFrom::Start(offset))?;
        }
        buf.clear();
        buf.resize(len, 0);
        self.reader.read_exact(buf)?;
        self.position = offset + len as u64;
        Ok(())
    }
}

/// Shingle sets in a spill file, one [`Extent`] per document.
pub struct SpilledSets<'s> {
    pub spill: &'s Spill,
    pub extents: &'s [Extent],
}

impl SetSource for SpilledSets<'_> {
    type Error = io::Error;

    fn load(&self, doc: u32, buf: &mut Vec<u64>) -> io::Result<()> {
        let mut bytes = Vec::new();
        self.spill.read(self.extents[doc as usize], &mut bytes)?;
        buf.clear();
        buf.extend(bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = Spill::new_in(dir.path()).unwrap();
        let a = spill.append(b"hello").unwrap();
        let s = spill.append_set(&[1, u64::MAX, 3]).unwrap();
        let e = spill.append(b"").unwrap();
        spill.flush().unwrap();
        let mut buf = Vec::new();
        spill.read(a, &mut buf).unwrap();
        assert_eq!(buf, b"hello");
        let last = spill.append(b"world").unwrap();
        spill.flush().unwrap();
        let mut forward = spill.forward_reader().unwrap();
        let mut copied = Vec::new();
        for x in [a, e, last, a] {
            forward.read(x.offset, x.len as usize, &mut buf).unwrap();
            copied.extend_from_slice(&buf);
            copied.push(b'|');
        }
        assert_eq!(copied, b"hello||world|hello|", "forward, and back when asked");
        spill.read(e, &mut buf).unwrap();
        assert!(buf.is_empty());
        let extents = [s];
        let sets = SpilledSets { spill: &spill, extents: &extents };
        let mut set = Vec::new();
        sets.load(0, &mut set).unwrap();
        assert_eq!(set, vec![1, u64::MAX, 3]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the spill file is unlinked");
    }
}
