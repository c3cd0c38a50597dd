//! The fixed hash functions behind stored sketches.
//!
//! Signatures and band keys must be identical across runs, thread counts and
//! machines, so every hash here is a fixed function of its input and a seed,
//! with no per-process randomness. Changing any of them changes the
//! signatures, so [`HASH_VERSION`] must change with them (it is written into
//! every summary).
//!
//! - token hash: XXH3-64 of the normalized token's UTF-8 bytes, seed
//!   [`TOKEN_SEED`];
//! - shingle hash: the n token hashes of the window folded left to right with
//!   `acc = mix64(acc ^ token)`, starting from `SHINGLE_SEED ^ n`;
//! - `mix64` is the SplitMix64 finalizer (Steele, Lea, Flood 2014), a
//!   bijection of `u64` with full avalanche;
//! - content hash (exact duplicates): XXH3-128 of the normalized tokens, each
//!   followed by the byte 0x1F.

/// Version of the hash functions and sketch layouts; written to summaries.
pub const HASH_VERSION: u32 = 1;

/// Seed of the token hash.
pub const TOKEN_SEED: u64 = 0x7265_7072_696e_7431; // "reprint1"
/// Seed of the shingle hash.
pub const SHINGLE_SEED: u64 = 0x7368_696e_676c_6531; // "shingle1"

/// SplitMix64 finalizer: a fast bijective mixer with full avalanche.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The SplitMix64 generator: `state += golden; mix64(state)`.
#[derive(Clone, Debug)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    #[inline]
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.0)
    }
}

/// Hash of one normalized token.
#[inline]
pub fn token_hash(token: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(token.as_bytes(), TOKEN_SEED)
}

/// Hash of a window of token hashes (a shingle).
#[inline]
pub fn shingle_hash(window: &[u64]) -> u64 {
    let mut acc = SHINGLE_SEED ^ window.len() as u64;
    for &t in window {
        acc = mix64(acc ^ t);
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned values: if one of these changes, stored signatures change, and
    /// HASH_VERSION must be bumped along with these constants.
    #[test]
    fn hashes_are_pinned() {
        assert_eq!(mix64(0), 0);
        assert_eq!(mix64(1), 0x5692_161d_100b_05e5);
        assert_eq!(token_hash("reprint"), xxhash_rust::xxh3::xxh3_64_with_seed(b"reprint", TOKEN_SEED));
        let w = [token_hash("a"), token_hash("b")];
        assert_eq!(shingle_hash(&w), mix64(mix64(SHINGLE_SEED ^ 2 ^ w[0]) ^ w[1]));
        assert_ne!(shingle_hash(&w), shingle_hash(&[w[1], w[0]]));
    }
}
