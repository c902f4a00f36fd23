//! Hashes. [`FxHasher`], for maps whose keys come from pack data (the risk model's lane
//! tables): the multiply-rotate hash rustc uses (`FxHash`). It does not resist chosen keys, so
//! it is kept for maps that declarations only look up in; filling the lane tables with the
//! standard `SipHash` cost a sixth of a one-file check. [`Fnv1a`], for hashes that must be the
//! same on every platform (the sanctions index checksum, the CITES name keys).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher state.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            if let Some(head) = word.get_mut(..rest.len()) {
                head.copy_from_slice(rest);
            }
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_alike_and_maps_work() {
        let mut map: FxHashMap<String, u32> = FxHashMap::default();
        for (index, word) in ["al", "alpha", "alphabetical", "beta"].into_iter().enumerate() {
            map.insert(word.to_owned(), u32::try_from(index).unwrap_or(0));
        }
        assert_eq!(map.get("alphabetical"), Some(&2));
        assert_eq!(map.get("alphabet"), None);
        assert_eq!(map.len(), 4);
    }
}

/// FNV-1a over bytes: a hash that is the same on every platform (unlike [`FxHasher`], which
/// hashes `usize` words), for values written to pack files or compared across builds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv1a(u64);

impl Fnv1a {
    pub(crate) fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn add(&mut self, byte: u8) {
        self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }

    pub(crate) fn finish(self) -> u64 {
        self.0
    }
}

/// FNV-1a over the lowercase form of `name` (CITES name keys; `core/build.rs` prebuilds them
/// with this same function).
pub(crate) fn lowercase_fnv1a(name: &str) -> u64 {
    lowercase_fnv1a_parts(&[name])
}

/// [`lowercase_fnv1a`] of the concatenation of `parts`, without building it.
pub(crate) fn lowercase_fnv1a_parts(parts: &[&str]) -> u64 {
    let mut hash = Fnv1a::new();
    let mut buffer = [0; 4];
    for ch in parts.iter().flat_map(|part| part.chars()) {
        // Names are Latin: the ASCII case needs no Unicode table.
        if ch.is_ascii() {
            hash.add(ch.to_ascii_lowercase() as u8);
            continue;
        }
        for lower in ch.to_lowercase() {
            lower.encode_utf8(&mut buffer).bytes().for_each(|byte| hash.add(byte));
        }
    }
    hash.finish()
}
