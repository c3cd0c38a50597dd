//! Output files written atomically: into a temporary file in the target
//! directory, renamed over the target only when complete. A run that fails
//! or is interrupted leaves earlier results untouched.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tempfile::NamedTempFile;

/// An error writing `path`, saying which file.
pub(crate) fn cannot_write(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
}

/// Writes `lines` to `path` as JSON Lines, atomically; returns how many.
pub fn write_jsonl<T: Serialize>(path: &Path, lines: impl IntoIterator<Item = T>) -> io::Result<usize> {
    let mut file = AtomicFile::create(path).map_err(|e| cannot_write(path, e))?;
    let mut count = 0;
    for line in lines {
        serde_json::to_writer(&mut file, &line).map_err(|e| cannot_write(path, e.into()))?;
        file.write_all(b"\n").map_err(|e| cannot_write(path, e))?;
        count += 1;
    }
    file.commit().map_err(|e| cannot_write(path, e))?;
    Ok(count)
}

/// Writes `value` to `path` as indented JSON and a line feed, atomically
/// (`summary.json`).
pub fn write_json_pretty<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut file = AtomicFile::create(path).map_err(|e| cannot_write(path, e))?;
    serde_json::to_writer_pretty(&mut file, value).map_err(|e| cannot_write(path, e.into()))?;
    file.write_all(b"\n").map_err(|e| cannot_write(path, e))?;
    file.commit().map_err(|e| cannot_write(path, e))
}

/// A file being written; invisible under its name until [`AtomicFile::commit`].
pub struct AtomicFile {
    writer: BufWriter<NamedTempFile>,
    target: PathBuf,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let temp = tempfile::Builder::new().prefix(".reprint-").suffix(".tmp").tempfile_in(dir)?;
        Ok(AtomicFile { writer: BufWriter::with_capacity(1 << 20, temp), target: target.to_path_buf() })
    }

    /// Flushes, syncs and renames the file to its name.
    pub fn commit(self) -> io::Result<()> {
        let temp = self.writer.into_inner().map_err(|e| e.into_error())?;
        // Temporary files are private (0600); an output is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        temp.as_file().sync_all()?;
        temp.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        std::fs::write(&target, "old").unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        let dropped = AtomicFile::create(&target).unwrap();
        drop(dropped);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }
}
