//! One module per subcommand.

pub mod align;
pub mod dedup;
pub mod model;
pub mod pan;
pub mod scan;

/// How records are read, for every command that reads JSON Lines: the JSON
/// fields that hold a record's text and id, and the size limit.
#[derive(clap::Args, Debug)]
pub struct FieldArgs {
    /// JSON field holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
    /// JSON field holding the id (when absent, the id is FILE:LINE).
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,
    /// Longest JSON Lines record, and largest text or HTML file, that is read (bytes, or with K, M, G:
    /// KiB, MiB, GiB); larger ones are reported as FILE:LINE and skipped without being held in memory.
    #[arg(long, default_value = "64MiB", value_name = "SIZE", value_parser = parse_size)]
    pub max_record_bytes: u64,
}

impl FieldArgs {
    pub fn fields(&self) -> reprint_io::record::Fields {
        reprint_io::record::Fields { text: self.text_field.clone(), id: self.id_field.clone() }
    }

    /// A reader of `files` that applies `--max-record-bytes`.
    pub fn reader(&self, files: Vec<reprint_io::input::InputFile>) -> reprint_io::input::Reader {
        reprint_io::input::Reader::new(files).max_record_bytes(self.max_record_bytes)
    }
}

/// A size in bytes: `1000`, `64K`, `64MiB`, `1g` (K, M, G and KiB, MiB, GiB
/// are powers of 1024; KB, MB, GB too, as most people mean them here).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("{text:?} is not a size (examples: 1000, 512K, 64MiB, 1G)")),
    };
    let n: u64 = number.parse().map_err(|_| format!("{text:?} is not a size (examples: 1000, 512K, 64MiB, 1G)"))?;
    let bytes = n.checked_mul(1 << shift).ok_or_else(|| format!("{text:?} is too large"))?;
    if bytes == 0 {
        return Err("the size must be at least 1 byte".into());
    }
    // Record lengths are kept as 32-bit numbers (dedup's kept.jsonl).
    if bytes > u64::from(u32::MAX) {
        return Err(format!("{text:?} is more than the largest record reprint reads, 4 GiB - 1"));
    }
    Ok(bytes)
}

/// Sets up the global thread pool with `requested` threads (0: one per
/// core) and returns how many it has. A second call (tests run commands
/// twice in one process) leaves the first pool as it is.
/// Creates the output directory `out` (and its parents) if missing.
pub fn create_out_dir(out: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create output directory {}", out.display()))?;
    if !out.is_dir() {
        anyhow::bail!("{} is not a directory", out.display());
    }
    Ok(())
}

pub fn start_threads(requested: usize) -> usize {
    let threads = if requested == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { requested };
    let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    threads
}

/// Fault injection for the tests of per-item isolation: the document whose
/// id `$REPRINT_INJECT_PANIC` names panics while it is analysed (a testing
/// switch; never set it otherwise).
pub fn inject_panic(id: &str) -> bool {
    static TARGET: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    TARGET.get_or_init(|| std::env::var("REPRINT_INJECT_PANIC").ok().filter(|v| !v.is_empty())).as_deref() == Some(id)
}

/// Peak resident memory of this process in bytes (Linux: `VmHWM`), if known.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

pub use reprint_wire::round6;

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("1.5M").is_err());
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert_eq!(parse_size("4294967295"), Ok(u64::from(u32::MAX)));
        assert!(parse_size("4G").is_err());
    }
}
