//! LSH banding: the layout (bands × rows) and the band keys.
//!
//! A signature of `k` slots is cut into `b` bands of `r` rows (`b·r ≤ k`).
//! Two documents become a candidate pair when all `r` rows of at least one
//! band are equal. If each slot is equal with probability `J` (the Jaccard
//! similarity), a pair becomes a candidate with probability
//! `P(J) = 1 − (1 − J^r)^b`, the S-curve.
//!
//! [`Layout::for_threshold`] picks `b` and `r` so that `P(t) ≥` a required
//! probability at the threshold `t` (0.99 by default), and among those the
//! layout with the smallest sum of the false-positive area `∫₀ᵗ P` and the
//! false-negative area `∫ₜ¹ (1 − P)` (the criterion of datasketch, with the
//! recall floor added). Candidates are verified exactly afterwards, so false
//! positives cost only time; false negatives are lost pairs.

use crate::hash::mix64;

/// A banding layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub bands: usize,
    pub rows: usize,
}

/// A point of the S-curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    pub similarity: f64,
    pub probability: f64,
}

impl Layout {
    /// Probability that a pair of Jaccard similarity `s` becomes a candidate.
    pub fn probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The layout for `threshold` with signatures of `slots` slots, such that
    /// `P(threshold) ≥ min_probability` when any layout allows it (else the
    /// layout with the highest `P(threshold)`).
    pub fn for_threshold(threshold: f64, slots: usize, min_probability: f64) -> Layout {
        let mut best: Option<(f64, Layout)> = None;
        let mut fallback = Layout { bands: slots, rows: 1 };
        for rows in 1..=slots {
            let bands = slots / rows;
            let layout = Layout { bands, rows };
            if layout.probability(threshold) > fallback.probability(threshold) {
                fallback = layout;
            }
            if layout.probability(threshold) < min_probability {
                continue;
            }
            let cost = integrate(|s| layout.probability(s), 0.0, threshold)
                + integrate(|s| 1.0 - layout.probability(s), threshold, 1.0);
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, layout));
            }
        }
        best.map(|(_, l)| l).unwrap_or(fallback)
    }

    /// The S-curve at `t − 0.2`, `t − 0.1`, `t`, `t + 0.1` (clamped to [0, 1]).
    pub fn curve(&self, threshold: f64) -> Vec<CurvePoint> {
        [-0.2, -0.1, 0.0, 0.1]
            .iter()
            .map(|d| {
                let s = (threshold + d).clamp(0.0, 1.0);
                CurvePoint { similarity: (s * 100.0).round() / 100.0, probability: self.probability(s) }
            })
            .collect()
    }

    /// Writes the `bands` keys of `signature` into `out`. Key `j` hashes the
    /// rows of band `j` together with `j`, so equal rows in different bands
    /// never collide.
    pub fn keys_into(&self, signature: &[u32], out: &mut Vec<u64>) {
        out.clear();
        for (j, band) in signature.chunks_exact(self.rows).take(self.bands).enumerate() {
            let mut acc = mix64(0x6261_6e64 ^ j as u64);
            for pair in band.chunks(2) {
                let v = pair[0] as u64 | (pair.get(1).copied().unwrap_or(0) as u64) << 32;
                acc = mix64(acc ^ v);
            }
            out.push(acc);
        }
    }
}

fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let steps = 200;
    let h = (b - a) / steps as f64;
    (0..steps).map(|i| f(a + (i as f64 + 0.5) * h) * h).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_meets_recall_floor() {
        for &t in &[0.5, 0.7, 0.8, 0.9, 0.95] {
            for &k in &[64, 128, 256] {
                let l = Layout::for_threshold(t, k, 0.95);
                assert!(l.bands * l.rows <= k);
                assert!(l.probability(t) >= 0.95, "t={t} k={k} {l:?} P={}", l.probability(t));
            }
        }
        let l = Layout::for_threshold(0.8, 128, 0.95);
        assert!(l.probability(0.5) < 0.35, "{l:?} lets too many pairs at 0.5 through");
    }

    #[test]
    fn probability_matches_simulation() {
        // Independent slots equal with probability s: the closed form must
        // match the frequency of "some band all equal".
        let l = Layout { bands: 4, rows: 3 };
        let mut rng = crate::hash::SplitMix64(5);
        let s = 0.6;
        let trials = 20000;
        let mut hits = 0;
        for _ in 0..trials {
            let hit =
                (0..l.bands).any(|_| (0..l.rows).all(|_| (rng.next() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - s));
            hits += hit as usize;
        }
        let freq = hits as f64 / trials as f64;
        assert!((freq - l.probability(s)).abs() < 0.015, "{freq} vs {}", l.probability(s));
    }

    /// Pinned band keys, literals computed once with HASH_VERSION 1: if one
    /// changes, stored band keys change, and HASH_VERSION must be bumped
    /// with the new literals. Odd rows pad the last pair of a band with 0.
    #[test]
    fn band_keys_are_pinned() {
        let mut keys = Vec::new();
        Layout { bands: 2, rows: 3 }.keys_into(&[1, 2, 3, 4, 5, 6], &mut keys);
        assert_eq!(keys, [0xeb8b_28f8_43ee_d7ea, 0x0d3e_4e40_e6fb_45c8]);
        Layout { bands: 3, rows: 2 }.keys_into(&[1, 2, 1, 2, 0xffff_ffff, 0], &mut keys);
        assert_eq!(keys, [0x1b34_a199_073b_f321, 0x19c0_1f48_451e_7da8, 0x7849_915d_00e2_9316]);
    }

    #[test]
    fn keys_depend_on_band_and_rows() {
        let l = Layout { bands: 2, rows: 2 };
        let mut k1 = Vec::new();
        let mut k2 = Vec::new();
        l.keys_into(&[1, 2, 1, 2], &mut k1);
        assert_ne!(k1[0], k1[1], "same rows in different bands must differ");
        l.keys_into(&[1, 2, 9, 9], &mut k2);
        assert_eq!(k1[0], k2[0]);
        assert_ne!(k1[1], k2[1]);
    }
}
