//! One module per subcommand.

pub mod align;
pub mod dedup;
pub mod model;
pub mod pan;
pub mod scan;

/// The JSON fields that hold a record's text and id, for every command that
/// reads JSON Lines.
#[derive(clap::Args, Debug)]
pub struct FieldArgs {
    /// JSON field holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
    /// JSON field holding the id (when absent, the id is FILE:LINE).
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,
}

impl FieldArgs {
    pub fn fields(&self) -> reprint_io::record::Fields {
        reprint_io::record::Fields { text: self.text_field.clone(), id: self.id_field.clone() }
    }
}

/// Sets up the global thread pool with `requested` threads (0: one per
/// core) and returns how many it has. A second call (tests run commands
/// twice in one process) leaves the first pool as it is.
pub fn start_threads(requested: usize) -> usize {
    let threads = if requested == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { requested };
    let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    threads
}

/// Peak resident memory of this process in bytes (Linux: `VmHWM`), if known.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Rounds a similarity for output (6 decimals: far below the sketch's and
/// the threshold's resolution).
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
