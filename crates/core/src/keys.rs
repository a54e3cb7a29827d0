//! Key sets: generated or imported, each key hashed once.

use std::collections::HashSet;

use crate::HashFn;

/// The shape of generated keys.
///
/// ```
/// use hashhalo_core::KeyKind;
///
/// assert_eq!(KeyKind::default(), KeyKind::UserIds);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum KeyKind {
    /// Session-style user ids such as `user:48213907`.
    #[default]
    UserIds,
    /// IPv4 client addresses such as `10.42.7.19`.
    Ips,
    /// Request paths such as `/api/v1/items/7731`.
    Urls,
    /// Random 64-bit values written as 16 hex digits.
    Uniform,
}

/// How to generate a key set: what kind of keys, how many, from which seed.
///
/// ```
/// use hashhalo_core::{KeyKind, KeySource};
///
/// let source = KeySource { kind: KeyKind::Ips, count: 500, seed: 7 };
/// assert_eq!(source.count, 500);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KeySource {
    /// The shape of the keys.
    pub kind: KeyKind,
    /// How many distinct keys.
    pub count: u32,
    /// The seed of the deterministic generator.
    pub seed: u64,
}

impl Default for KeySource {
    /// 1000 user ids from seed 1.
    fn default() -> KeySource {
        KeySource {
            kind: KeyKind::UserIds,
            count: 1000,
            seed: 1,
        }
    }
}

/// An ordered list of distinct keys with their ring positions.
///
/// ```
/// use hashhalo_core::{HashFn, KeySet};
///
/// let keys = KeySet::from_keys(vec!["a".into(), "b".into(), "a".into()], HashFn::Xxh3);
/// assert_eq!(keys.len(), 2); // duplicates are dropped, first occurrence kept
/// assert_eq!(keys.positions()[0], HashFn::Xxh3.hash(b"a"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeySet {
    keys: Vec<String>,
    positions: Vec<u64>,
    /// Key indices sorted by position (ties by index), for merging against a ring.
    sorted: Vec<u32>,
    /// The positions in that order, side by side (a merge reads them in one sweep).
    sorted_positions: Vec<u64>,
    hash: HashFn,
}

impl KeySet {
    /// Generates `source.count` distinct keys (at most half of the kind's distinct values, so
    /// generation always ends), the same ones for the same source on every platform, hashed
    /// with xxh3.
    ///
    /// ```
    /// use hashhalo_core::{KeyKind, KeySet, KeySource};
    ///
    /// let a = KeySet::generate(&KeySource { kind: KeyKind::Urls, count: 50, seed: 3 });
    /// let b = KeySet::generate(&KeySource { kind: KeyKind::Urls, count: 50, seed: 3 });
    /// assert_eq!(a, b);
    /// assert_eq!(a.len(), 50);
    /// assert!(a.keys()[0].starts_with('/'));
    /// ```
    pub fn generate(source: &KeySource) -> KeySet {
        KeySet::generate_with(source, HashFn::default())
    }

    /// Generates keys as [`KeySet::generate`] does, hashed with `hash`.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet, KeySource};
    ///
    /// let keys = KeySet::generate_with(&KeySource::default(), HashFn::Xxh3);
    /// assert_eq!(keys.len(), 1000);
    /// ```
    pub fn generate_with(source: &KeySource, hash: HashFn) -> KeySet {
        // No more keys than the kind has distinct values (URLs: 6 sections × 10⁶ ids).
        let space: u64 = match source.kind {
            KeyKind::UserIds => 100_000_000,
            KeyKind::Ips => 1 << 32,
            KeyKind::Urls => 6_000_000,
            KeyKind::Uniform => u64::MAX,
        };
        let count = u64::from(source.count).min(space / 2) as usize;
        let mut rng = SplitMix64(source.seed);
        let mut seen = HashSet::with_capacity(count);
        let mut keys = Vec::with_capacity(count);
        while keys.len() < count {
            let r = rng.next();
            let key = match source.kind {
                KeyKind::UserIds => format!("user:{}", r % 100_000_000),
                KeyKind::Ips => {
                    let [a, b, c, d] = ((r >> 32) as u32).to_be_bytes();
                    format!("{a}.{b}.{c}.{d}")
                }
                KeyKind::Urls => {
                    const SECTIONS: [&str; 6] =
                        ["items", "users", "orders", "images", "carts", "search"];
                    let section = SECTIONS[(r >> 59) as usize % SECTIONS.len()];
                    format!("/api/v1/{section}/{}", r % 1_000_000)
                }
                KeyKind::Uniform => format!("{r:016x}"),
            };
            if seen.insert(key.clone()) {
                keys.push(key);
            }
        }
        KeySet::from_distinct(keys, hash)
    }

    /// A key set from given keys, dropping repeats (the first occurrence stays) and hashing
    /// each key's UTF-8 bytes with `hash`.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let keys = KeySet::from_keys(vec!["x".into()], HashFn::Xxh3);
    /// assert_eq!(keys.keys(), ["x"]);
    /// ```
    pub fn from_keys(keys: Vec<String>, hash: HashFn) -> KeySet {
        let mut seen = HashSet::with_capacity(keys.len());
        let distinct = keys
            .into_iter()
            .filter(|k| seen.insert(k.clone()))
            .collect();
        KeySet::from_distinct(distinct, hash)
    }

    fn from_distinct(keys: Vec<String>, hash: HashFn) -> KeySet {
        let positions: Vec<u64> = keys.iter().map(|k| hash.hash(k.as_bytes())).collect();
        // By position, then index: packed into one number, which sorts faster than indices
        // compared through the positions, and with the crate's one sort.
        let mut packed: Vec<u128> = positions
            .iter()
            .enumerate()
            .map(|(i, &p)| u128::from(p) << 64 | i as u128)
            .collect();
        crate::order::sort_u128(&mut packed);
        let sorted: Vec<u32> = packed.iter().map(|&p| p as u32).collect();
        let sorted_positions: Vec<u64> = packed.iter().map(|&p| (p >> 64) as u64).collect();
        KeySet {
            keys,
            positions,
            sorted,
            sorted_positions,
            hash,
        }
    }

    /// The same keys hashed with `hash` instead.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet, KeySource};
    ///
    /// let keys = KeySet::generate(&KeySource { count: 10, ..Default::default() });
    /// let md5 = keys.rehash(HashFn::Md5);
    /// assert_eq!(md5.keys(), keys.keys());
    /// assert_eq!(md5.hash(), HashFn::Md5);
    /// ```
    pub fn rehash(&self, hash: HashFn) -> KeySet {
        if hash == self.hash {
            return self.clone();
        }
        KeySet::from_distinct(self.keys.clone(), hash)
    }

    /// The hash function the positions were computed with.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// assert_eq!(KeySet::from_keys(vec![], HashFn::Fnv1a).hash(), HashFn::Fnv1a);
    /// ```
    pub fn hash(&self) -> HashFn {
        self.hash
    }

    /// Key indices in clockwise order of their positions, from position 0.
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource};
    ///
    /// let keys = KeySet::generate(&KeySource { count: 50, ..Default::default() });
    /// let order = keys.sorted_order();
    /// assert!(order.windows(2).all(|w| keys.positions()[w[0] as usize] <= keys.positions()[w[1] as usize]));
    /// ```
    pub fn sorted_order(&self) -> &[u32] {
        &self.sorted
    }

    /// The keys' positions in clockwise order: `positions()[sorted_order()[i]]` for each `i`,
    /// kept side by side so a walk round the ring reads them in one sweep of memory.
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource};
    ///
    /// let keys = KeySet::generate(&KeySource { count: 50, ..Default::default() });
    /// let sorted = keys.sorted_positions();
    /// assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
    /// assert_eq!(sorted[7], keys.positions()[keys.sorted_order()[7] as usize]);
    /// ```
    pub fn sorted_positions(&self) -> &[u64] {
        &self.sorted_positions
    }

    /// The keys, in order.
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource};
    ///
    /// let keys = KeySet::generate(&KeySource { count: 2, ..Default::default() });
    /// assert!(keys.keys().iter().all(|k| k.starts_with("user:")));
    /// ```
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Each key's ring position, in the order of [`KeySet::keys`].
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let keys = KeySet::from_keys(vec!["k".into()], HashFn::Xxh3);
    /// assert_eq!(keys.positions(), [HashFn::Xxh3.hash(b"k")]);
    /// ```
    pub fn positions(&self) -> &[u64] {
        &self.positions
    }

    /// How many keys.
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource};
    ///
    /// assert_eq!(KeySet::generate(&KeySource { count: 3, ..Default::default() }).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no keys.
    ///
    /// ```
    /// use hashhalo_core::KeySet;
    ///
    /// assert!(KeySet::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output is fixed by its
/// published definition, so generated key sets never change between releases.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_published_sequence() {
        // The first outputs for seed 1234567, from the reference implementation.
        let mut rng = SplitMix64(1_234_567);
        assert_eq!(rng.next(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn generated_keys_are_distinct_even_when_the_space_is_small() {
        let keys = KeySet::generate(&KeySource {
            kind: KeyKind::Ips,
            count: 20_000,
            seed: 9,
        });
        let distinct: HashSet<_> = keys.keys().iter().collect();
        assert_eq!(distinct.len(), 20_000);
    }
}
