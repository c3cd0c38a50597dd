//! Shingles: overlapping windows of `n` words, as a set of 64-bit hashes.
//!
//! Shingles do not cross paragraph breaks (blank lines). In reprinted web
//! text the commonest edits are whole paragraphs added or dropped (a
//! caption, a comment, a byline, a newsletter prompt); a shingle spanning
//! the border of such a paragraph would make `n − 1` shingles of the
//! surrounding text differ too, so the similarity of two versions would
//! depend on how many places the additions were made rather than on how
//! much was added. Paragraphs shorter than `n` words give one shingle of all
//! their words.

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
    /// token hashes are `tokens` into `out`. `paragraphs` lists the indices
    /// of tokens that start a paragraph, ascending (the first paragraph's
    /// start, 0, may be omitted). A paragraph with fewer than `n` words has
    /// one shingle made of all its words; a document with no words has none.
    pub fn shingles_into(&self, tokens: &[u64], paragraphs: &[u32], out: &mut Vec<u64>) {
        self.collect(tokens, paragraphs, out);
        sort_dedup(out, &mut Vec::new());
    }

    /// The shingles of each paragraph, unsorted.
    fn collect(&self, tokens: &[u64], paragraphs: &[u32], out: &mut Vec<u64>) {
        out.clear();
        out.reserve(tokens.len());
        let mut start = 0usize;
        for end in paragraphs.iter().map(|&p| p as usize).chain(std::iter::once(tokens.len())) {
            let paragraph = &tokens[start..end.max(start)];
            if paragraph.len() < self.n {
                if !paragraph.is_empty() {
                    out.push(shingle_hash(paragraph));
                }
            } else {
                out.extend(paragraph.windows(self.n).map(shingle_hash));
            }
            start = start.max(end);
        }
    }

    /// [`Shingler::shingles_into`] with a caller-owned scratch buffer for
    /// the sort.
    pub fn shingles_into_with(&self, tokens: &[u64], paragraphs: &[u32], out: &mut Vec<u64>, scratch: &mut Vec<u64>) {
        self.collect(tokens, paragraphs, out);
        sort_dedup(out, scratch);
    }
}

/// Sorts `values` ascending and removes repeats. Sets of shingle hashes are
/// uniformly random 64-bit values, so a radix sort on the top 16 bits (two
/// byte passes, no data-dependent branches) followed by a pass that orders
/// the few runs with equal top bits beats a comparison sort.
pub fn sort_dedup(values: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    if values.len() < 128 {
        values.sort_unstable();
        values.dedup();
        return;
    }
    scratch.clear();
    scratch.resize(values.len(), 0);
    let (mut from, mut to) = (&mut values[..], &mut scratch[..]);
    for shift in [48u32, 56] {
        let mut counts = [0usize; 256];
        for &v in from.iter() {
            counts[((v >> shift) & 0xff) as usize] += 1;
        }
        let mut sum = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = sum;
            sum += n;
        }
        for &v in from.iter() {
            let bucket = &mut counts[((v >> shift) & 0xff) as usize];
            to[*bucket] = v;
            *bucket += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    // Two passes: the sorted data is back in `values`. Order the runs with
    // equal top bits by the rest.
    let mut i = 0;
    while i < values.len() {
        let high = values[i] >> 48;
        let mut j = i + 1;
        while j < values.len() && values[j] >> 48 == high {
            j += 1;
        }
        if j - i > 1 {
            values[i..j].sort_unstable();
        }
        i = j;
    }
    values.dedup();
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

/// Size of the intersection of two sorted, deduplicated sets. The merge is
/// branch-free (both cursors advance by comparisons turned into integers):
/// with random hashes a branching merge mispredicts at almost every step.
pub fn intersection_size(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        shared += (x == y) as usize;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
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
        check(&[1, 2, 3, 10], &[3, 10, 11], 0.4);
        check(&[u64::MAX], &[0, u64::MAX], 0.5);
    }

    #[test]
    fn radix_sort_matches_sort() {
        let mut rng = crate::hash::SplitMix64(3);
        let mut scratch = Vec::new();
        for n in [0, 1, 127, 128, 129, 1000, 5000] {
            // Random values, with repeats and equal high halves mixed in.
            let mut v: Vec<u64> = (0..n).map(|_| rng.next()).collect();
            for i in (0..n).step_by(7) {
                v[i] = v[i / 2];
            }
            for i in (3..n).step_by(11) {
                v[i] = (v[i - 1] & !0xffff_ffff) | (rng.next() & 0xffff_ffff);
            }
            for i in (5..n).step_by(13) {
                v[i] = (v[i - 2] & !0xffff_ffff_ffff) | (rng.next() & 0xffff_ffff_ffff);
            }
            let mut expected = v.clone();
            expected.sort_unstable();
            expected.dedup();
            sort_dedup(&mut v, &mut scratch);
            assert_eq!(v, expected, "n = {n}");
        }
    }

    #[test]
    fn shingles() {
        let s = Shingler::new(3);
        let mut out = Vec::new();
        s.shingles_into(&[1, 2, 3, 4, 1, 2, 3], &[], &mut out);
        assert_eq!(out.len(), 4, "windows 123 234 341 412 123 -> 4 distinct");
        assert!(out.windows(2).all(|w| w[0] < w[1]));
        s.shingles_into(&[1, 2], &[], &mut out);
        assert_eq!(out, vec![shingle_hash(&[1, 2])]);
        s.shingles_into(&[], &[], &mut out);
        assert!(out.is_empty());
        // Paragraphs [1 2 3 4] [5 6]: 123 234 and 56; nothing spans the break.
        s.shingles_into(&[1, 2, 3, 4, 5, 6], &[0, 4], &mut out);
        let mut expected = vec![shingle_hash(&[1, 2, 3]), shingle_hash(&[2, 3, 4]), shingle_hash(&[5, 6])];
        expected.sort_unstable();
        assert_eq!(out, expected);
        // An inserted paragraph adds its own shingles and changes no others.
        let mut with_insert = Vec::new();
        s.shingles_into(&[1, 2, 3, 4, 9, 9, 9, 5, 6], &[4, 7], &mut with_insert);
        assert!(expected.iter().all(|h| with_insert.contains(h)));
        assert_eq!(with_insert.len(), expected.len() + 1);
    }
}
