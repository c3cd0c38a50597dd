//! The fixed hash functions behind stored sketches.
//!
//! Signatures and band keys must be identical across runs, thread counts and
//! machines, so every hash here is a fixed function of its input and a seed,
//! with no per-process randomness. Changing any of them changes the
//! signatures, so [`HASH_VERSION`] must change with them (it is written into
//! every summary).
//!
//! - token hash: the normalized token's UTF-8 bytes read as little-endian
//!   64-bit words (the last one zero-padded), folded with
//!   `acc = mix64(acc ^ word)` from `TOKEN_SEED ^ len·φ` (φ = 0x9e3779b97f4a7c15);
//!   for tokens of up to 8 bytes this is a bijection per length, so two
//!   different short tokens never collide;
//! - shingle hash: `mix64(SHINGLE_SEED ^ n + Σⱼ rotl(tokenⱼ, 7j))` over the
//!   window's n token hashes (wrapping addition; the rotation makes order
//!   count);
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

/// A [`Hasher`](std::hash::Hasher) for integer keys (document numbers,
/// pairs of them, hashes): each integer written is mixed in with
/// [`mix64`]. Several times faster than the default SipHash, and
/// deterministic; not for keys an adversary chooses to collide.
#[derive(Clone, Copy, Default, Debug)]
pub struct IntHasher(u64);

impl std::hash::Hasher for IntHasher {
    #[inline]
    fn finish(&self) -> u64 {
        mix64(self.0)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = mix64(self.0 ^ n).wrapping_add(PHI);
    }
}

/// A `HashMap` keyed by integers, hashed with [`IntHasher`].
pub type IntMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<IntHasher>>;

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

const PHI: u64 = 0x9e37_79b9_7f4a_7c15;

/// Hash of one normalized token.
#[inline]
pub fn token_hash(token: &str) -> u64 {
    fold_words(token.as_bytes(), |w| w)
}

/// XXH3-64 of any bytes: a fast check that an input line read again is the
/// line read first (not stored, not part of any signature).
pub fn bytes_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Hash of the ASCII lowercase form of `ascii` (which must be ASCII), equal
/// to `token_hash(&ascii.to_ascii_lowercase())` without the copy.
#[inline]
pub fn token_hash_ascii_lowercase(ascii: &[u8]) -> u64 {
    fold_words(ascii, ascii_lowercase_word)
}

#[inline(always)]
fn fold_words(bytes: &[u8], map: impl Fn(u64) -> u64) -> u64 {
    let mut acc = TOKEN_SEED ^ (bytes.len() as u64).wrapping_mul(PHI);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        acc = mix64(acc ^ map(u64::from_le_bytes(chunk.try_into().expect("8 bytes"))));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() || bytes.is_empty() {
        let mut last = 0u64;
        for (i, &b) in rest.iter().enumerate() {
            last |= (b as u64) << (8 * i);
        }
        acc = mix64(acc ^ map(last));
    }
    acc
}

/// [`token_hash_ascii_lowercase`] of `text[start..end]`, reading a whole
/// 8-byte word from `text` when the token is short and followed by enough
/// bytes (the common case), instead of assembling it byte by byte.
#[inline(always)]
pub fn token_hash_ascii_lowercase_at(text: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    if len > 0 && len <= 8 && start + 8 <= text.len() {
        let word = u64::from_le_bytes(text[start..start + 8].try_into().expect("8 bytes"));
        let mask = if len == 8 { u64::MAX } else { (1u64 << (8 * len)) - 1 };
        return mix64(TOKEN_SEED ^ (len as u64).wrapping_mul(PHI) ^ ascii_lowercase_word(word & mask));
    }
    token_hash_ascii_lowercase(&text[start..end])
}

/// Lowercases the ASCII letters among the 8 bytes of `x` (SWAR: a byte in
/// `A..=Z` gets 0x20 added; other bytes are unchanged).
#[inline(always)]
fn ascii_lowercase_word(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = x & (0x7f * ONES);
    let at_least_a = low7.wrapping_add((0x80 - b'A' as u64) * ONES);
    let above_z = low7.wrapping_add((0x80 - b'Z' as u64 - 1) * ONES);
    let upper = at_least_a & !above_z & !x & (0x80 * ONES);
    x | (upper >> 2)
}

/// Hash of a window of token hashes (a shingle).
#[inline]
pub fn shingle_hash(window: &[u64]) -> u64 {
    let mut acc = SHINGLE_SEED ^ window.len() as u64;
    for (j, &t) in window.iter().enumerate() {
        acc = acc.wrapping_add(t.rotate_left(7 * j as u32));
    }
    mix64(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned values, literals computed once with HASH_VERSION 1 (never
    /// recomputed from the formulas, so that a changed seed, constant or
    /// formula fails here). A change here changes every stored signature
    /// and band key: bump HASH_VERSION with the new literals.
    #[test]
    fn hashes_are_pinned() {
        assert_eq!(mix64(0), 0);
        assert_eq!(mix64(1), 0x5692_161d_100b_05e5);
        assert_eq!(mix64(u64::MAX), 0xb4d0_55fc_f2cb_bd7b);
        let mut rng = SplitMix64(0);
        assert_eq!(
            [rng.next(), rng.next(), rng.next()],
            [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f]
        );
        // Empty, 1, 7, 8 (one whole word), 9 (a padded second word) and 24
        // bytes; non-ASCII.
        for (token, pinned) in [
            ("", 0x0035_b6eb_b9a8_688d),
            ("a", 0xd412_97c9_fcc8_3aca),
            ("reprint", 0x5c61_bf94_f157_b086),
            ("shingles", 0xd64d_68f6_4324_ef08),
            ("reprinted", 0xbee6_152b_26be_12f7),
            ("a longer token, 23 bytes", 0xdcf1_51e9_2d2e_77ec),
            ("café", 0x5c2f_7e14_e779_6922),
            ("東京", 0xe819_8483_0d93_82ef),
        ] {
            assert_eq!(token_hash(token), pinned, "token_hash({token:?})");
        }
        assert_eq!(token_hash_ascii_lowercase(b"RePrint"), 0x5c61_bf94_f157_b086);
        assert_eq!(token_hash_ascii_lowercase_at(b"RePrint is long enough", 0, 7), 0x5c61_bf94_f157_b086);
        let w = [token_hash("a"), token_hash("b")];
        assert_eq!(shingle_hash(&w), 0xebb7_4ebe_6847_d303);
        assert_eq!(shingle_hash(&[token_hash("x")]), 0xf8c4_2a1c_c7cc_480f);
        let five: Vec<u64> = ["the", "harbor", "bridge", "reopened", "on"].into_iter().map(token_hash).collect();
        assert_eq!(shingle_hash(&five), 0xb45a_5eaf_011b_fe6b);
        assert_ne!(shingle_hash(&w), shingle_hash(&[w[1], w[0]]));
        assert_ne!(shingle_hash(&[w[0], w[0]]), shingle_hash(&[w[1], w[1]]));
    }

    #[test]
    fn ascii_lowercase_hash_matches() {
        let all: Vec<u8> = (0u8..128).collect();
        for len in 0..all.len() {
            for start in [0, 1, 30, 60] {
                let s = &all[start.min(all.len())..(start + len).min(all.len())];
                let lower = s.to_ascii_lowercase();
                assert_eq!(token_hash_ascii_lowercase(s), token_hash(std::str::from_utf8(&lower).unwrap()), "{s:?}");
            }
        }
    }
}
