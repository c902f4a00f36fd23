//! The random selection draw: a number in `[0, 1)` computed from the declaration's
//! reference and a seed, with no generator state, so the same declaration and seed always
//! draw the same number, on every platform and in the page.
//!
//! FNV-1a over the seed and the reference, then the `SplitMix64` finaliser to spread nearby
//! references; both are fixed algorithms, unlike the standard library's hasher.

use rust_decimal::Decimal;

/// The draw's resolution: six decimals.
const SCALE: u64 = 1_000_000;

/// A 64-bit hash of `seed` and `key`, stable across platforms and releases.
#[must_use]
pub fn hash(seed: u64, key: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut state = OFFSET;
    for byte in seed.to_le_bytes().into_iter().chain(key.bytes()) {
        state ^= u64::from(byte);
        state = state.wrapping_mul(PRIME);
    }
    state = (state ^ (state >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    state = (state ^ (state >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    state ^ (state >> 31)
}

/// The draw for `key` under `seed`: a decimal in `[0, 1)` with six places.
#[must_use]
pub fn draw(seed: u64, key: &str) -> Decimal {
    Decimal::new(i64::try_from(hash(seed, key) % SCALE).unwrap_or_default(), 6)
}

/// The draw as a float, for ranking (the random baseline of the evaluation).
#[must_use]
pub fn draw_f64(seed: u64, key: &str) -> f64 {
    // The top 53 bits fill a double's mantissa exactly.
    #[allow(clippy::cast_precision_loss)]
    let unit = (hash(seed, key) >> 11) as f64 / (1u64 << 53) as f64;
    unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draw_is_pinned() {
        // A change here changes every random selection: it must be deliberate.
        assert_eq!(draw(2026, "GB-LRN-0001").to_string(), "0.828660");
        assert_eq!(hash(0, ""), 9_313_164_154_874_788_883);
        assert_ne!(draw(1, "A"), draw(2, "A"));
        assert_ne!(draw(1, "A"), draw(1, "B"));
    }

    #[test]
    fn draws_spread_over_the_unit_interval() {
        let below_tenth = (0..10_000)
            .filter(|index| draw(7, &format!("LRN{index}")) < Decimal::new(1, 1))
            .count();
        assert!((900..1100).contains(&below_tenth), "{below_tenth}");
        assert!((0..1000).all(|index| {
            let value = draw_f64(7, &index.to_string());
            (0.0..1.0).contains(&value)
        }));
    }
}
