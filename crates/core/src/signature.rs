//! MinHash signatures of shingle sets.
//!
//! Two sketches, both with `k` slots of 32-bit values whose per-slot collision
//! probability for two sets equals their Jaccard similarity:
//!
//! - [`SketchKind::Fast`] (default): fast similarity sketching (Dahlgaard,
//!   Knudsen, Thorup, FOCS 2017). Hashing proceeds in rounds: in round `i`
//!   every shingle is hashed to one slot with a value in `[i, i+1)`; a slot
//!   keeps its minimum, and the sketch stops after the first round in which
//!   every slot has a value (rounds `k..2k` walk each shingle through all
//!   slots, so it always stops). For a pair, a slot is equal exactly when the
//!   minimum of the union's first non-empty round in that slot lies in the
//!   intersection, so `P(slot equal) = J`, and unlike one-permutation hashing
//!   with densification the slots of short documents stay nearly
//!   independent, which banding needs. Cost: about `max(n, k ln k)` hash
//!   evaluations for `n` shingles instead of `n × k`.
//! - [`SketchKind::Classic`]: `k` independent hash functions
//!   `h_i(x) = (a_i·x + b_i) mod 2^64 >> 32` (multiply-add-shift, Dietzfelbinger
//!   et al. 1997) over the 64-bit shingle hash, as datasketch and rensa do.
//!   O(shingles × k).
//!
//! The slot values, `a_i`, `b_i` and the probe sequence derive only from the
//! seed through [`SplitMix64`](crate::hash::SplitMix64), so signatures are
//! reproducible from seed and text.

use crate::hash::{mix64, SplitMix64};

/// Which MinHash construction to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SketchKind {
    /// Fast similarity sketching (Dahlgaard, Knudsen, Thorup 2017).
    #[default]
    Fast,
    /// `k` independent hash functions.
    Classic,
}

impl SketchKind {
    pub fn name(self) -> &'static str {
        match self {
            SketchKind::Fast => "fast",
            SketchKind::Classic => "minhash",
        }
    }
}

/// Computes signatures of one kind and size; immutable and shareable.
#[derive(Clone, Debug)]
pub struct Signer {
    kind: SketchKind,
    k: usize,
    seed: u64,
    /// Multipliers (odd) and increments of the classic hash functions.
    a: Vec<u64>,
    b: Vec<u64>,
}

impl Signer {
    /// A signer with `k` slots (`k ≥ 1`).
    pub fn new(kind: SketchKind, k: usize, seed: u64) -> Signer {
        assert!(k >= 1, "a signature needs at least one slot");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        if kind == SketchKind::Classic {
            let mut rng = SplitMix64(seed);
            for _ in 0..k {
                a.push(rng.next() | 1);
                b.push(rng.next());
            }
        }
        Signer { kind, k, seed, a, b }
    }

    pub fn kind(&self) -> SketchKind {
        self.kind
    }

    pub fn num_slots(&self) -> usize {
        self.k
    }

    /// Writes the signature of the set of shingle hashes `shingles` into
    /// `out` (resized to `k`), using `scratch` for intermediate values. An
    /// empty set gives all `u32::MAX`.
    pub fn sign_into(&self, shingles: &[u64], out: &mut Vec<u32>, scratch: &mut Vec<u64>) {
        out.clear();
        out.resize(self.k, u32::MAX);
        if shingles.is_empty() {
            return;
        }
        match self.kind {
            SketchKind::Classic => self.sign_classic(shingles, out),
            SketchKind::Fast => self.sign_fast(shingles, out, scratch),
        }
    }

    fn sign_classic(&self, shingles: &[u64], out: &mut [u32]) {
        for &x in shingles {
            for ((slot, &a), &b) in out.iter_mut().zip(&self.a).zip(&self.b) {
                let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                if h < *slot {
                    *slot = h;
                }
            }
        }
    }

    fn sign_fast(&self, shingles: &[u64], out: &mut [u32], best: &mut Vec<u64>) {
        let k = self.k as u64;
        best.clear();
        best.resize(self.k, u64::MAX);
        let mut filled = 0;
        // Keeps the minimum of a slot. The round sits in the high bits of a
        // value, so a later round never beats an earlier one.
        #[inline(always)]
        fn offer(best: &mut [u64], filled: &mut usize, bin: usize, value: u64) {
            let slot = &mut best[bin];
            if value < *slot {
                *filled += (*slot == u64::MAX) as usize;
                *slot = value;
            }
        }
        let round_seed = |round: u64| mix64(self.seed ^ (round + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        // Round 0: shingle hashes are already fully mixed (mix64 output), so
        // the seeded hash itself gives slot (high bits) and value (low bits).
        let seed = round_seed(0);
        for &x in shingles {
            let h = x ^ seed;
            offer(best, &mut filled, (((h >> 32) * k) >> 32) as usize, h & 0xffff_ffff);
        }
        // Round 1 usually has only a slot or two left to fill, so its slot
        // comes from another bit window of the (random) shingle hash, and the
        // value is computed only for a shingle that lands in a slot no
        // earlier round filled.
        let mut round = 1;
        if filled < self.k && round < k {
            let seed = round_seed(round);
            for &x in shingles {
                let bin = (((x.rotate_left(23) >> 32) * k) >> 32) as usize;
                if best[bin] >> 32 >= round {
                    let h = (x ^ seed).wrapping_mul(0xd6e8_feb8_6659_fd93);
                    let h = h ^ (h >> 32);
                    offer(best, &mut filled, bin, round << 32 | (h & 0xffff_ffff));
                }
            }
            round += 1;
        }
        // Later rounds (short documents): a multiply and an xor-shift give
        // each round its own slot and value.
        while filled < self.k && round < k {
            let seed = round_seed(round);
            for &x in shingles {
                let h = (x ^ seed).wrapping_mul(0xd6e8_feb8_6659_fd93);
                let h = h ^ (h >> 32);
                offer(best, &mut filled, (((h >> 32) * k) >> 32) as usize, round << 32 | (h & 0xffff_ffff));
            }
            round += 1;
        }
        // Rounds k..2k: each shingle walks all slots from its own start, so
        // every slot is filled by round 2k.
        let walk_seed = mix64(self.seed ^ 0x7761_6c6b);
        while filled < self.k && round < 2 * k {
            let seed = round_seed(round);
            for &x in shingles {
                let h = (x ^ seed).wrapping_mul(0xd6e8_feb8_6659_fd93);
                let h = h ^ (h >> 32);
                let start = ((mix64(x ^ walk_seed) >> 32) * k) >> 32;
                offer(best, &mut filled, ((start + round - k) % k) as usize, round << 32 | (h & 0xffff_ffff));
            }
            round += 1;
        }
        for (o, &v) in out.iter_mut().zip(best.iter()) {
            // Fold round and value into 32 bits; equal inputs stay equal.
            *o = (mix64(v) >> 32) as u32;
        }
    }
}

/// Share of equal slots: the signatures' estimate of Jaccard similarity.
pub fn estimate_jaccard(a: &[u32], b: &[u32]) -> f64 {
    assert_eq!(a.len(), b.len(), "signatures of different sizes");
    if a.is_empty() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::SplitMix64;

    /// Sets of `n` hashes sharing `shared` of them.
    fn pair(n: usize, shared: usize, seed: u64) -> (Vec<u64>, Vec<u64>) {
        let mut rng = SplitMix64(seed);
        let common: Vec<u64> = (0..shared).map(|_| rng.next()).collect();
        let mut a = common.clone();
        let mut b = common;
        a.extend((shared..n).map(|_| rng.next()));
        b.extend((shared..n).map(|_| rng.next()));
        (a, b)
    }

    fn mean_estimate(kind: SketchKind, n: usize, shared: usize) -> (f64, f64) {
        let signer = Signer::new(kind, 128, 7);
        let (mut sa, mut sb, mut scratch) = (Vec::new(), Vec::new(), Vec::new());
        let trials = 200;
        let mut sum = 0.0;
        for t in 0..trials {
            let (a, b) = pair(n, shared, 1000 + t);
            signer.sign_into(&a, &mut sa, &mut scratch);
            signer.sign_into(&b, &mut sb, &mut scratch);
            sum += estimate_jaccard(&sa, &sb);
        }
        let truth = shared as f64 / (2 * n - shared) as f64;
        (sum / trials as f64, truth)
    }

    #[test]
    fn estimates_are_unbiased() {
        for kind in [SketchKind::Fast, SketchKind::Classic] {
            // Dense sets, sparse sets (fewer shingles than slots: densified).
            for (n, shared) in [(1000, 800), (1000, 300), (40, 36), (20, 10)] {
                let (mean, truth) = mean_estimate(kind, n, shared);
                assert!((mean - truth).abs() < 0.03, "{kind:?} n={n} shared={shared}: mean {mean} vs {truth}");
            }
        }
    }

    #[test]
    fn identical_and_disjoint() {
        for kind in [SketchKind::Fast, SketchKind::Classic] {
            let signer = Signer::new(kind, 64, 1);
            let (a, b) = pair(50, 0, 3);
            let (mut sa, mut sa2, mut sb, mut scratch) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            signer.sign_into(&a, &mut sa, &mut scratch);
            let mut shuffled = a.clone();
            shuffled.reverse();
            signer.sign_into(&shuffled, &mut sa2, &mut scratch);
            signer.sign_into(&b, &mut sb, &mut scratch);
            assert_eq!(sa, sa2, "order of shingles must not matter");
            assert_eq!(estimate_jaccard(&sa, &sa2), 1.0);
            assert!(estimate_jaccard(&sa, &sb) < 0.1);
        }
    }

    #[test]
    fn empty_set_signature() {
        let signer = Signer::new(SketchKind::Fast, 16, 1);
        let mut s = vec![1, 2, 3];
        signer.sign_into(&[], &mut s, &mut Vec::new());
        assert_eq!(s, vec![u32::MAX; 16]);
    }
}
