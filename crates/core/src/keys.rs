//! Key sets: generated or imported, each key hashed once.

use std::collections::HashSet;
use std::fmt::Write;

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
    /// The keys' UTF-8 text, one after another; key `i` ends at `ends[i]`. Packed, not one
    /// `String` a key: a million keys are two allocations, and cross to the page in two copies.
    text: String,
    ends: Vec<u32>,
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
        KeySet::generate_reporting(source, hash, |_| {})
    }

    /// Generates keys as [`KeySet::generate_with`] does, telling `progress` the fraction done
    /// on the way (the page's worker makes a million keys in about a second).
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet, KeySource};
    ///
    /// let mut heard = Vec::new();
    /// let source = KeySource { count: 100_000, ..Default::default() };
    /// let keys = KeySet::generate_reporting(&source, HashFn::Xxh3, |p| heard.push(p));
    /// assert_eq!(keys, KeySet::generate_with(&source, HashFn::Xxh3));
    /// assert!(heard.windows(2).all(|w| w[0] < w[1]) && heard.last() == Some(&1.0));
    /// ```
    pub fn generate_reporting(
        source: &KeySource,
        hash: HashFn,
        mut progress: impl FnMut(f64),
    ) -> KeySet {
        // No more keys than the kind has distinct values (URLs: 6 sections × 10⁶ ids).
        let space: u64 = match source.kind {
            KeyKind::UserIds => 100_000_000,
            KeyKind::Ips => 1 << 32,
            KeyKind::Urls => 6_000_000,
            KeyKind::Uniform => u64::MAX,
        };
        let count = u64::from(source.count).min(space / 2) as usize;
        let mut rng = SplitMix64(source.seed);
        // A key is told apart by the number it is written from (each kind writes distinct
        // numbers as distinct text), so repeats are found among numbers, by the crate's one
        // sort, and each key is written once, straight into the packed text: a set of a
        // million strings was two thirds of a million keys' generation, most of it allocating
        // and freeing them (and a set of numbers would be another hash table in the page).
        let mut numbers: Vec<u64> = Vec::with_capacity(count + count / 4 + 64);
        while numbers.len() < count {
            // A quarter more than is missing, as some will repeat; the first `count` distinct
            // numbers are kept, whichever round drew them.
            let missing = count - numbers.len();
            for _ in 0..missing + missing / 4 + 64 {
                let r = rng.next();
                numbers.push(match source.kind {
                    KeyKind::UserIds => r % 100_000_000,
                    KeyKind::Ips => r >> 32,
                    // The section in the high bits, the id in the low ones.
                    KeyKind::Urls => (((r >> 59) % 6) << 32) | (r % 1_000_000),
                    KeyKind::Uniform => r,
                });
            }
            numbers = first_occurrences(numbers);
            numbers.truncate(count);
        }
        progress(0.2);
        let mut keys = Names::with_capacity(count);
        for &number in &numbers {
            keys.write(source.kind, number);
        }
        progress(0.5);
        let set = KeySet::from_names_reporting(keys, hash, &mut progress);
        progress(1.0);
        set
    }

    /// A key set from given keys, dropping repeats (the first occurrence stays) and hashing
    /// each key's UTF-8 bytes with `hash`.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let keys = KeySet::from_keys(vec!["x".into()], HashFn::Xxh3);
    /// assert_eq!(keys.keys().to_vec(), ["x"]);
    /// ```
    pub fn from_keys(keys: Vec<String>, hash: HashFn) -> KeySet {
        let mut seen = HashSet::with_capacity(keys.len());
        let mut names = Names::with_capacity(keys.len());
        for k in &keys {
            if seen.insert(k.as_str()) {
                names.push(k);
            }
        }
        KeySet::from_names(names, hash)
    }

    fn from_names(names: Names, hash: HashFn) -> KeySet {
        KeySet::from_names_reporting(names, hash, &mut |_| {})
    }

    fn from_names_reporting(names: Names, hash: HashFn, progress: &mut dyn FnMut(f64)) -> KeySet {
        let Names { text, ends } = names;
        // Each key's bytes, from the end of the one before to its own end.
        let bytes = text.as_bytes();
        let mut start = 0;
        let positions: Vec<u64> = ends
            .iter()
            .map(|&end| {
                let key = &bytes[start..end as usize];
                start = end as usize;
                hash.hash(key)
            })
            .collect();
        progress(0.8);
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
            text,
            ends,
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
        KeySet::from_names(
            Names {
                text: self.text.clone(),
                ends: self.ends.clone(),
            },
            hash,
        )
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
    /// assert_eq!(&keys.keys()[1], keys.keys().get(1).unwrap());
    /// ```
    pub fn keys(&self) -> Keys<'_> {
        Keys {
            text: &self.text,
            ends: &self.ends,
        }
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
        self.ends.len()
    }

    /// Whether there are no keys.
    ///
    /// ```
    /// use hashhalo_core::KeySet;
    ///
    /// assert!(KeySet::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether the first `n` keys of both sets are the same keys in the same order.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let a = KeySet::from_keys(vec!["x".into(), "y".into()], HashFn::Xxh3);
    /// let b = KeySet::from_keys(vec!["x".into(), "z".into()], HashFn::Md5);
    /// assert!(a.starts_like(&b, 1) && !a.starts_like(&b, 2));
    /// ```
    pub fn starts_like(&self, other: &KeySet, n: usize) -> bool {
        let (Some(a), Some(b)) = (self.ends.get(..n), other.ends.get(..n)) else {
            return false;
        };
        let end = a.last().map_or(0, |&e| e as usize);
        a == b && self.text.get(..end) == other.text.get(..end)
    }

    /// Takes the key set apart into plain arrays, to send to another thread (the page's
    /// worker makes big key sets; the page puts them together with [`KeySet::from_parts`]).
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource};
    ///
    /// let keys = KeySet::generate(&KeySource { count: 20, ..Default::default() });
    /// let parts = keys.clone().into_parts();
    /// assert_eq!(parts.ends.len(), 20);
    /// assert_eq!(KeySet::from_parts(parts).unwrap(), keys);
    /// ```
    pub fn into_parts(self) -> KeySetParts {
        KeySetParts {
            text: self.text,
            ends: self.ends,
            positions: self.positions,
            sorted: self.sorted,
            hash: self.hash,
        }
    }

    /// Puts a key set together from the parts [`KeySet::into_parts`] gave, in time linear in
    /// the keys (no hashing or sorting), checking their shape: every offset in order and on a
    /// character boundary, the order a permutation that sorts the positions (ties by index).
    /// Parts of any shape give a key set or an error, never a panic. The positions are
    /// taken as given, not re-hashed: that check would cost as much as making the set.
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource};
    ///
    /// let mut parts = KeySet::generate(&KeySource { count: 5, ..Default::default() }).into_parts();
    /// parts.sorted.swap(0, 1);
    /// assert!(KeySet::from_parts(parts).is_err());
    /// ```
    pub fn from_parts(parts: KeySetParts) -> Result<KeySet, PartsError> {
        let KeySetParts {
            text,
            ends,
            positions,
            sorted,
            hash,
        } = parts;
        let n = ends.len();
        if positions.len() != n || sorted.len() != n || n > u32::MAX as usize {
            return Err(PartsError::Lengths);
        }
        let mut start = 0usize;
        for &end in &ends {
            let end = end as usize;
            if end < start || end > text.len() || !text.is_char_boundary(end) {
                return Err(PartsError::Offsets);
            }
            start = end;
        }
        if start != text.len() {
            return Err(PartsError::Offsets);
        }
        let mut seen = vec![false; n];
        let mut sorted_positions = Vec::with_capacity(n);
        let mut last: Option<(u64, u32)> = None;
        for &i in &sorted {
            let Some(slot) = seen.get_mut(i as usize).filter(|s| !**s) else {
                return Err(PartsError::Order);
            };
            *slot = true;
            let here = (positions[i as usize], i);
            if last.is_some_and(|l| l > here) {
                return Err(PartsError::Order);
            }
            last = Some(here);
            sorted_positions.push(here.0);
        }
        Ok(KeySet {
            text,
            ends,
            positions,
            sorted,
            sorted_positions,
            hash,
        })
    }
}

impl KeySet {
    /// The key set as one buffer, to move to another thread in one piece: the hash's name and
    /// a newline, then little-endian `u32`s for the number of keys and the text's length, the
    /// text, each key's end offset (`u32`), each position (`u64`) and the sorted order
    /// (`u32`). [`KeySet::from_bytes`] reads it back.
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource};
    ///
    /// let keys = KeySet::generate(&KeySource { count: 30, ..Default::default() });
    /// assert_eq!(KeySet::from_bytes(&keys.to_bytes()).unwrap(), keys);
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.len();
        let mut out = Vec::with_capacity(16 + self.text.len() + 16 * n);
        out.extend_from_slice(self.hash.name().as_bytes());
        out.push(b'\n');
        out.extend_from_slice(&(n as u32).to_le_bytes());
        out.extend_from_slice(&(self.text.len() as u32).to_le_bytes());
        out.extend_from_slice(self.text.as_bytes());
        self.ends
            .iter()
            .for_each(|e| out.extend_from_slice(&e.to_le_bytes()));
        self.positions
            .iter()
            .for_each(|p| out.extend_from_slice(&p.to_le_bytes()));
        self.sorted
            .iter()
            .for_each(|i| out.extend_from_slice(&i.to_le_bytes()));
        out
    }

    /// Reads a buffer [`KeySet::to_bytes`] wrote, checked as [`KeySet::from_parts`] checks
    /// parts; any other bytes are an error, never a panic.
    ///
    /// ```
    /// use hashhalo_core::keys::PartsError;
    /// use hashhalo_core::KeySet;
    ///
    /// assert_eq!(KeySet::from_bytes(b"xxh3\n\x01\0\0\0"), Err(PartsError::Lengths));
    /// assert_eq!(KeySet::from_bytes(b"sha1\n"), Err(PartsError::Hash));
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<KeySet, PartsError> {
        let line = bytes
            .iter()
            .position(|&b| b == b'\n')
            .ok_or(PartsError::Hash)?;
        let hash = std::str::from_utf8(&bytes[..line])
            .ok()
            .and_then(HashFn::from_name)
            .ok_or(PartsError::Hash)?;
        let mut rest = &bytes[line + 1..];
        let mut take = |len: usize| -> Result<&[u8], PartsError> {
            let (head, tail) = rest.split_at_checked(len).ok_or(PartsError::Lengths)?;
            rest = tail;
            Ok(head)
        };
        let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let n = word(take(4)?) as usize;
        let text_len = word(take(4)?) as usize;
        let text = String::from_utf8(take(text_len)?.to_vec()).map_err(|_| PartsError::Offsets)?;
        let ends = take(n.checked_mul(4).ok_or(PartsError::Lengths)?)?
            .chunks_exact(4)
            .map(word)
            .collect();
        let positions = take(n.checked_mul(8).ok_or(PartsError::Lengths)?)?
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            .collect();
        let sorted = take(n.checked_mul(4).ok_or(PartsError::Lengths)?)?
            .chunks_exact(4)
            .map(word)
            .collect();
        if !rest.is_empty() {
            return Err(PartsError::Lengths);
        }
        KeySet::from_parts(KeySetParts {
            text,
            ends,
            positions,
            sorted,
            hash,
        })
    }
}

/// A key set as plain arrays (see [`KeySet::into_parts`]).
///
/// ```
/// use hashhalo_core::{HashFn, KeySet};
///
/// let parts = KeySet::from_keys(vec!["ab".into(), "c".into()], HashFn::Xxh3).into_parts();
/// assert_eq!((parts.text.as_str(), parts.ends.as_slice()), ("abc", &[2, 3][..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeySetParts {
    /// The keys' text, one after another.
    pub text: String,
    /// Where each key's text ends, in bytes.
    pub ends: Vec<u32>,
    /// Each key's position.
    pub positions: Vec<u64>,
    /// Key indices by position, then index.
    pub sorted: Vec<u32>,
    /// The hash the positions were computed with.
    pub hash: HashFn,
}

/// Why parts do not make a key set.
///
/// ```
/// use hashhalo_core::keys::{KeySetParts, PartsError};
/// use hashhalo_core::KeySet;
///
/// let parts = KeySetParts { ends: vec![4], ..Default::default() };
/// assert_eq!(KeySet::from_parts(parts), Err(PartsError::Lengths));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartsError {
    /// The arrays are not all as long as the offsets.
    Lengths,
    /// An offset goes backwards, past the text or into a character.
    Offsets,
    /// The order is not a permutation sorting the positions.
    Order,
    /// A buffer does not start with a hash's name and a newline.
    Hash,
}

// Display by hand, as the crate's other errors: the app's first load carries no thiserror.
impl std::fmt::Display for PartsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PartsError::Lengths => "the key set's arrays differ in length",
            PartsError::Offsets => "the key set's offsets do not fit its text",
            PartsError::Order => "the key set's order does not sort its positions",
            PartsError::Hash => "the key set names no hash",
        })
    }
}

impl std::error::Error for PartsError {}

/// Keys being packed one after another.
struct Names {
    text: String,
    ends: Vec<u32>,
}

impl Names {
    fn with_capacity(n: usize) -> Names {
        Names {
            text: String::with_capacity(n * 12),
            ends: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, key: &str) {
        self.text.push_str(key);
        self.end();
    }

    /// Writes the key of `kind` made from `number` (see [`KeySet::generate`]).
    fn write(&mut self, kind: KeyKind, number: u64) {
        // Writing to a String cannot fail.
        let _ = match kind {
            KeyKind::UserIds => write!(self.text, "user:{number}"),
            KeyKind::Ips => {
                let [a, b, c, d] = (number as u32).to_be_bytes();
                write!(self.text, "{a}.{b}.{c}.{d}")
            }
            KeyKind::Urls => {
                const SECTIONS: [&str; 6] =
                    ["items", "users", "orders", "images", "carts", "search"];
                let section = SECTIONS[(number >> 32) as usize];
                write!(self.text, "/api/v1/{section}/{}", number & 0xFFFF_FFFF)
            }
            KeyKind::Uniform => write!(self.text, "{number:016x}"),
        };
        self.end();
    }

    fn end(&mut self) {
        // Key lists are clamped far below 4 GiB of text (20 MB uploads, 10⁶ generated keys).
        self.ends.push(self.text.len() as u32);
    }
}

/// A key set's keys, in order, borrowed (see [`KeySet::keys`]).
///
/// ```
/// use hashhalo_core::{HashFn, KeySet};
///
/// let set = KeySet::from_keys(vec!["x".into(), "yz".into()], HashFn::Xxh3);
/// let keys = set.keys();
/// assert_eq!((keys.len(), &keys[1]), (2, "yz"));
/// assert_eq!(keys.iter().collect::<Vec<_>>(), ["x", "yz"]);
/// assert_eq!(keys.position("yz"), Some(1));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Keys<'a> {
    text: &'a str,
    ends: &'a [u32],
}

impl<'a> Keys<'a> {
    /// How many keys.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// assert_eq!(KeySet::from_keys(vec!["a".into()], HashFn::Xxh3).keys().len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    ///
    /// ```
    /// use hashhalo_core::KeySet;
    ///
    /// assert!(KeySet::default().keys().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Key `i`, if there is one.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let set = KeySet::from_keys(vec!["a".into()], HashFn::Xxh3);
    /// assert_eq!((set.keys().get(0), set.keys().get(1)), (Some("a"), None));
    /// ```
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    /// The keys in order.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let set = KeySet::from_keys(vec!["a".into(), "b".into()], HashFn::Xxh3);
    /// assert_eq!(set.keys().iter().last(), Some("b"));
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let (text, ends) = (self.text, self.ends);
        (0..ends.len()).map(move |i| {
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            &text[start..ends[i] as usize]
        })
    }

    /// The index of `key`, if it is one of them (a linear search).
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let set = KeySet::from_keys(vec!["a".into(), "b".into()], HashFn::Xxh3);
    /// assert_eq!(set.keys().position("c"), None);
    /// ```
    pub fn position(&self, key: &str) -> Option<usize> {
        self.iter().position(|k| k == key)
    }

    /// The first `n` keys (all of them if there are fewer).
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let set = KeySet::from_keys(vec!["a".into(), "b".into()], HashFn::Xxh3);
    /// assert_eq!(set.keys().first(1).iter().collect::<Vec<_>>(), ["a"]);
    /// ```
    pub fn first(&self, n: usize) -> Keys<'a> {
        let n = n.min(self.ends.len());
        let end = if n == 0 { 0 } else { self.ends[n - 1] as usize };
        Keys {
            text: &self.text[..end],
            ends: &self.ends[..n],
        }
    }

    /// The keys as owned strings.
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let set = KeySet::from_keys(vec!["a".into()], HashFn::Xxh3);
    /// assert_eq!(set.keys().to_vec(), vec!["a".to_string()]);
    /// ```
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl std::ops::Index<usize> for Keys<'_> {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(k) => k,
            None => panic!("key {i} of {}", self.len()),
        }
    }
}

impl PartialEq for Keys<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.ends == other.ends && self.text == other.text
    }
}

/// `numbers` without repeats, the first occurrence of each kept, in order.
fn first_occurrences(numbers: Vec<u64>) -> Vec<u64> {
    // By number, then index: the first of each run of equal numbers is its first occurrence.
    let mut packed: Vec<u128> = numbers
        .iter()
        .enumerate()
        .map(|(i, &n)| (u128::from(n) << 64) | i as u128)
        .collect();
    crate::order::sort_u128(&mut packed);
    let mut keep = vec![true; numbers.len()];
    for w in packed.windows(2) {
        if w[0] >> 64 == w[1] >> 64 {
            keep[w[1] as u64 as usize] = false;
        }
    }
    numbers
        .into_iter()
        .zip(keep)
        .filter_map(|(n, k)| k.then_some(n))
        .collect()
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

    /// Generation as it was written before repeats were found among numbers: each key
    /// formatted, then looked up in a set of strings.
    fn generated_through_strings(source: &KeySource) -> Vec<String> {
        let space: u64 = match source.kind {
            KeyKind::UserIds => 100_000_000,
            KeyKind::Ips => 1 << 32,
            KeyKind::Urls => 6_000_000,
            KeyKind::Uniform => u64::MAX,
        };
        let count = u64::from(source.count).min(space / 2) as usize;
        let mut rng = SplitMix64(source.seed);
        let mut seen = HashSet::new();
        let mut keys = Vec::new();
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
        keys
    }

    #[test]
    fn generation_gives_the_keys_it_gave_through_a_set_of_strings() {
        // 200,000 URLs out of 6 million repeat some (about 3,000), so the order of first
        // occurrences is checked as well as the text.
        for kind in [
            KeyKind::UserIds,
            KeyKind::Ips,
            KeyKind::Urls,
            KeyKind::Uniform,
        ] {
            for (count, seed) in [(1, 0), (1000, 7), (200_000, 42)] {
                let source = KeySource { kind, count, seed };
                let made = KeySet::generate(&source);
                assert_eq!(
                    made.keys().to_vec(),
                    generated_through_strings(&source),
                    "{kind:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn parts_round_trip_and_any_disturbance_is_refused_or_readable(
            keys in proptest::collection::vec("[a-zé]{0,4}", 0..40),
            i in 0usize..64, j in 0usize..64, bump in 1u32..3,
        ) {
            let set = KeySet::from_keys(keys, HashFn::Fnv1a);
            let back = KeySet::from_parts(set.clone().into_parts()).unwrap();
            proptest::prop_assert_eq!(&back, &set);
            let bytes = set.to_bytes();
            proptest::prop_assert_eq!(&KeySet::from_bytes(&bytes).unwrap(), &set);
            // Cut short anywhere, the buffer is refused.
            proptest::prop_assert!(KeySet::from_bytes(&bytes[..(i * 7) % bytes.len()]).is_err());
            let n = set.len();
            if n >= 2 && set.positions()[set.sorted[i % n] as usize]
                != set.positions()[set.sorted[j % n] as usize]
            {
                let mut parts = set.clone().into_parts();
                parts.sorted.swap(i % n, j % n);
                proptest::prop_assert_eq!(KeySet::from_parts(parts), Err(PartsError::Order));
            }
            if n >= 1 {
                let mut parts = set.clone().into_parts();
                // Past the text: the last offset must end it.
                parts.ends[n - 1] += bump;
                proptest::prop_assert!(KeySet::from_parts(parts).is_err());
                let mut parts = set.into_parts();
                parts.positions.pop();
                proptest::prop_assert_eq!(KeySet::from_parts(parts), Err(PartsError::Lengths));
            }
        }
    }

    #[test]
    fn generated_keys_are_distinct_even_when_the_space_is_small() {
        let keys = KeySet::generate(&KeySource {
            kind: KeyKind::Ips,
            count: 20_000,
            seed: 9,
        });
        let distinct: HashSet<_> = keys.keys().iter().collect();
        assert_eq!(keys.keys().len(), 20_000);
        assert_eq!(distinct.len(), 20_000);
    }
}
