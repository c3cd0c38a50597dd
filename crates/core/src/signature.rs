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

    /// Pinned signatures, literals computed once with HASH_VERSION 1 (not
    /// recomputed by the code under test): if one changes, stored signatures
    /// and band keys change, and HASH_VERSION must be bumped with the new
    /// literals. Sparse sets (fewer shingles than slots) reach the later and
    /// the walking rounds of the fast sketch; the dense set mostly rounds 0
    /// and 1.
    #[test]
    fn signatures_are_pinned() {
        use crate::hash::{shingle_hash, token_hash};
        let words: Vec<u64> =
            "the harbor bridge reopened on monday after two years of repairs".split(' ').map(token_hash).collect();
        let mut shingles: Vec<u64> = words.windows(5).map(shingle_hash).collect();
        shingles.sort_unstable();
        assert_eq!(shingles.len(), 7);
        let mut rng = SplitMix64(42);
        let dense: Vec<u64> = (0..200).map(|_| rng.next()).collect();
        let sign = |kind, k, seed, set: &[u64]| {
            let (mut out, mut scratch) = (Vec::new(), Vec::new());
            Signer::new(kind, k, seed).sign_into(set, &mut out, &mut scratch);
            out
        };
        use SketchKind::{Classic, Fast};
        assert_eq!(
            sign(Fast, 8, 1, &shingles),
            [0x10a74d89, 0x3953a9e1, 0x615ef5fa, 0x6184b341, 0x08b2d18e, 0xd61e7a66, 0x21a921ce, 0x57d92eda]
        );
        assert_eq!(
            sign(Fast, 8, 1, &shingles[..3]),
            [0x8508b758, 0x3712f584, 0x5e461c61, 0x6184b341, 0x08b2d18e, 0xbfa5b7a9, 0x21a921ce, 0x57d92eda]
        );
        assert_eq!(
            sign(Fast, 128, 1, &shingles)[..8],
            [0xd40be9c1, 0x8508b758, 0x277b2984, 0x2e7a563e, 0xbe5c7c56, 0x09f3cc31, 0xe03babbc, 0x1a985045]
        );
        assert_eq!(
            sign(Fast, 16, 7, &dense),
            [
                0x305a2ad5, 0xf681bb0f, 0xaba9ef07, 0xe12d1daa, 0x2b6e71df, 0x9813f664, 0xb870c1d8, 0x4a1d5c2c,
                0xd0aa5ab9, 0x59d84ee6, 0xd053283c, 0x3d4cb582, 0x6b104f17, 0x9d9e26d5, 0xb7523cd5, 0x17eaf1be
            ]
        );
        assert_eq!(
            sign(Classic, 8, 1, &shingles),
            [0x12bf2afa, 0x24a9915e, 0x2a50997c, 0x14b97736, 0x1ba4a6d5, 0x2650790b, 0x02ed88c5, 0x0a2bbc59]
        );
        assert_eq!(
            sign(Classic, 8, 1, &shingles[..3]),
            [0x48383932, 0x24a9915e, 0xc95b24c8, 0x66f9bf71, 0x202d63fe, 0x39fb35ad, 0x589849d7, 0x31d37a82]
        );
        assert_eq!(
            sign(Classic, 16, 7, &dense),
            [
                0x01a773d3, 0x005945e5, 0x009f14fb, 0x00a288d1, 0x01dd3165, 0x00726dde, 0x00a21c87, 0x00509f68,
                0x001b2b9d, 0x00681633, 0x00a91482, 0x02718a0e, 0x0057bfc9, 0x03b6af6f, 0x0084c807, 0x02d70f2f
            ]
        );
    }

    #[test]
    fn empty_set_signature() {
        let signer = Signer::new(SketchKind::Fast, 16, 1);
        let mut s = vec![1, 2, 3];
        signer.sign_into(&[], &mut s, &mut Vec::new());
        assert_eq!(s, vec![u32::MAX; 16]);
    }
}
