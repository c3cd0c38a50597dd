//! Candidate pairs from band keys.
//!
//! For every band, documents are sorted by (key, rank) and each run of equal
//! keys becomes pairs. A run of up to [`FULL_PAIRS_LIMIT`] documents gives all
//! its pairs; a longer run (a page template copied thousands of times) gives
//! a star from its highest-ranked document plus a chain through the run in
//! rank order, so the work stays linear while every member stays connected
//! to the run's first document. Pairs are deduplicated across bands and
//! returned sorted, so the result does not depend on the thread count.

use rayon::prelude::*;

/// Runs of at most this many equal keys give all their pairs.
pub const FULL_PAIRS_LIMIT: usize = 64;

/// A pair of document numbers, the smaller first.
pub type Pair = (u32, u32);

#[inline]
fn encode(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    (lo as u64) << 32 | hi as u64
}

/// Candidate pairs among the documents `active` (document numbers), whose
/// band keys are `keys[doc * bands .. doc * bands + bands]`, with `rank[doc]`
/// their priority (lower first).
pub fn candidates(keys: &[u64], bands: usize, active: &[u32], rank: &[u32]) -> Vec<Pair> {
    let mut pairs: Vec<u64> = (0..bands)
        .into_par_iter()
        .map(|band| {
            let mut entries: Vec<(u64, u32, u32)> =
                active.iter().map(|&doc| (keys[doc as usize * bands + band], rank[doc as usize], doc)).collect();
            entries.sort_unstable();
            let mut out = Vec::new();
            for run in entries.chunk_by(|x, y| x.0 == y.0) {
                if run.len() < 2 {
                    continue;
                }
                if run.len() <= FULL_PAIRS_LIMIT {
                    for (i, x) in run.iter().enumerate() {
                        for y in &run[i + 1..] {
                            out.push(encode(x.2, y.2));
                        }
                    }
                } else {
                    for (i, y) in run.iter().enumerate().skip(1) {
                        out.push(encode(run[0].2, y.2));
                        if i > 1 {
                            out.push(encode(run[i - 1].2, y.2));
                        }
                    }
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        })
        .reduce(Vec::new, |mut a, b| {
            a.extend(b);
            a
        });
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs.into_iter().map(|p| ((p >> 32) as u32, p as u32)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_from_equal_keys() {
        // 4 documents, 2 bands: docs 0,1 share band 0; docs 1,2,3 share band 1.
        let keys = vec![10, 20, 10, 30, 99, 30, 98, 30];
        let rank = vec![0, 1, 2, 3];
        let got = candidates(&keys, 2, &[0, 1, 2, 3], &rank);
        assert_eq!(got, vec![(0, 1), (1, 2), (1, 3), (2, 3)]);
        // Inactive documents take no part.
        let got = candidates(&keys, 2, &[0, 2, 3], &rank);
        assert_eq!(got, vec![(2, 3)]);
    }

    #[test]
    fn long_runs_stay_connected_and_linear() {
        let n = 500u32;
        let keys = vec![7u64; n as usize];
        let rank: Vec<u32> = (0..n).rev().collect(); // doc n-1 ranks first
        let active: Vec<u32> = (0..n).collect();
        let got = candidates(&keys, 1, &active, &rank);
        assert!(got.len() < 2 * n as usize, "{} pairs", got.len());
        // Every document is paired with the highest-ranked one.
        for d in 0..n - 1 {
            assert!(got.contains(&(d, n - 1)), "doc {d} not joined to the run's first");
        }
    }
}
