//! One module per subcommand.

pub mod align;
pub mod dedup;
pub mod model;
pub mod pan;
pub mod scan;

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
