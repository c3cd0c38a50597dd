//! Shingles: overlapping windows of `n` words, as a set of 64-bit hashes.

use crate::hash::shingle_hash;

/// Makes shingle sets from token hashes.
#[derive(Clone, Copy, Debug)]
pub struct Shingler {
    n: usize,
}

impl Shingler {
    /// Windows of `n ≥ 1` words.
    pub fn new(n: usize) -> Shingler {
        assert!(n >= 1, "shingles need at least one word");
        Shingler { n }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    /// Writes the sorted, deduplicated shingle hashes of a document whose
    /// token hashes are `tokens` into `out`. A document with fewer than `n`
    /// words has one shingle made of all its words; one with no words has
    /// none.
    pub fn shingles_into(&self, tokens: &[u64], out: &mut Vec<u64>) {
        out.clear();
        if tokens.is_empty() {
            return;
        }
        if tokens.len() < self.n {
            out.push(shingle_hash(tokens));
            return;
        }
        out.extend(tokens.windows(self.n).map(shingle_hash));
        out.sort_unstable();
        out.dedup();
    }
}

/// Exact Jaccard similarity of two sorted, deduplicated sets. Two empty sets
/// are identical (1.0).
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let shared = intersection_size(a, b);
    shared as f64 / (a.len() + b.len() - shared) as f64
}

/// Size of the intersection of two sorted, deduplicated sets.
pub fn intersection_size(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(a: &[u64], b: &[u64], expected: f64) {
        assert!((jaccard(a, b) - expected).abs() < 1e-12, "{a:?} {b:?}");
        assert!((jaccard(b, a) - expected).abs() < 1e-12, "symmetric");
    }

    #[test]
    fn jaccard_cases() {
        check(&[], &[], 1.0);
        check(&[1], &[], 0.0);
        check(&[1, 2, 3], &[1, 2, 3], 1.0);
        check(&[1, 2, 3], &[2, 3, 4], 0.5);
        check(&[1, 5, 9], &[2, 6], 0.0);
    }

    #[test]
    fn shingles() {
        let s = Shingler::new(3);
        let mut out = Vec::new();
        s.shingles_into(&[1, 2, 3, 4, 1, 2, 3], &mut out);
        assert_eq!(out.len(), 4, "windows 123 234 341 412 123 -> 4 distinct");
        assert!(out.windows(2).all(|w| w[0] < w[1]));
        s.shingles_into(&[1, 2], &mut out);
        assert_eq!(out.len(), 1);
        s.shingles_into(&[], &mut out);
        assert!(out.is_empty());
    }
}
