//! The named hash functions that place keys and virtual nodes.

use md5::{Digest, Md5};
use xxhash_rust::xxh3::xxh3_64;
use xxhash_rust::xxh64::xxh64;

/// The number of slots of the toy hash's ring (the HashFlow load balancer's).
///
/// ```
/// use hashhalo_core::{HashFn, TOY_SLOTS};
///
/// assert!(HashFn::Toy.hash(b"user:123") >> 55 < TOY_SLOTS);
/// ```
pub const TOY_SLOTS: u64 = 512;

/// A named hash function from a byte string to a ring position.
///
/// The function is part of the ring's identity: the same bytes and the same `HashFn` give the
/// same position on every platform. Functions with fewer than 64 output bits put their output
/// in the top bits of the position, so their order on the ring is their numeric order.
///
/// ```
/// use hashhalo_core::HashFn;
///
/// for f in HashFn::ALL {
///     assert_eq!(f.hash(b"A#0"), f.hash(b"A#0"));
/// }
/// assert_ne!(HashFn::Xxh3.hash(b"A#0"), HashFn::Xxh3.hash(b"A#1"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum HashFn {
    /// XXH3, 64-bit output, seed 0. The default: fast and well mixed.
    #[default]
    Xxh3,
    /// XXH64, seed 0 (Envoy's hash). Faster than XXH3 in wasm for keys longer than 8 bytes.
    Xxh64,
    /// MD5, the first 4 digest bytes read little-endian as libketama does, in the top 32 bits.
    Md5,
    /// CRC-32 (ISO-HDLC, zlib's), as nginx hashes keys, in the top 32 bits.
    Crc32,
    /// FNV-1a, 64-bit.
    Fnv1a,
    /// The HashFlow load balancer's slot hash: the key's number `i` (the value of its decimal digits, or 0
    /// when it has none) goes to slot `h(i) = (i + 2i + 17) mod 512`, and slot `s` sits at
    /// position `s · 2⁵⁵`. It is deliberately weak, to show why a poor hash ruins balance.
    Toy,
}

impl HashFn {
    /// Every hash function, in menu order.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::HashFn::ALL.len(), 6);
    /// ```
    pub const ALL: [HashFn; 6] = [
        HashFn::Xxh3,
        HashFn::Xxh64,
        HashFn::Md5,
        HashFn::Crc32,
        HashFn::Fnv1a,
        HashFn::Toy,
    ];

    /// Hashes `bytes` to a ring position.
    ///
    /// ```
    /// use hashhalo_core::HashFn;
    ///
    /// // Published check values: XXH3-64 of the empty input, CRC-32 of "123456789".
    /// assert_eq!(HashFn::Xxh3.hash(b""), 0x2D06_8005_38D3_94C2);
    /// assert_eq!(HashFn::Crc32.hash(b"123456789"), 0xCBF4_3926 << 32);
    /// // FNV-1a of the empty input is the offset basis.
    /// assert_eq!(HashFn::Fnv1a.hash(b""), 0xCBF2_9CE4_8422_2325);
    /// // The toy hash: "user:5" is number 5, slot 3·5 + 17 = 32.
    /// assert_eq!(HashFn::Toy.hash(b"user:5"), 32 << 55);
    /// ```
    #[inline]
    pub fn hash(self, bytes: &[u8]) -> u64 {
        match self {
            HashFn::Xxh3 => xxh3_64(bytes),
            HashFn::Xxh64 => xxh64(bytes, 0),
            HashFn::Md5 => {
                let digest = Md5::digest(bytes);
                u64::from(u32::from_le_bytes([
                    digest[0], digest[1], digest[2], digest[3],
                ])) << 32
            }
            HashFn::Crc32 => u64::from(crate::crc32::hash(bytes)) << 32,
            HashFn::Fnv1a => fnv1a(bytes),
            HashFn::Toy => toy_slot_position(toy_key_slot(number_in(bytes))),
        }
    }

    /// Where virtual node `index` of the server `label` (with id `id`) sits: the hash of
    /// `"{label}#{index}"`, except for [`HashFn::Toy`], which follows the HashFlow load balancer's server hash
    /// `φ(i, j) = (i + j + 2j + 25) mod 512` with `i` the server id and `j` the index.
    ///
    /// `scratch` is a reusable buffer, so placing many nodes allocates once.
    ///
    /// ```
    /// use hashhalo_core::HashFn;
    ///
    /// let mut scratch = String::new();
    /// assert_eq!(HashFn::Xxh3.vnode_position("A", 0, 3, &mut scratch), HashFn::Xxh3.hash(b"A#3"));
    /// assert_eq!(HashFn::Toy.vnode_position("A", 1, 2, &mut scratch), (1 + 6 + 25) << 55);
    /// ```
    pub fn vnode_position(self, label: &str, id: u32, index: u32, scratch: &mut String) -> u64 {
        use std::fmt::Write as _;
        if self == HashFn::Toy {
            let slot = (u64::from(id) + 3 * u64::from(index) + 25) % TOY_SLOTS;
            return toy_slot_position(slot);
        }
        scratch.clear();
        scratch.push_str(label);
        scratch.push('#');
        write!(scratch, "{index}").expect("writing to a String cannot fail");
        self.hash(scratch.as_bytes())
    }

    /// The function's name as shown to people and written in links, for example `"xxh3"`.
    ///
    /// ```
    /// use hashhalo_core::HashFn;
    ///
    /// assert_eq!(HashFn::Xxh64.name(), "xxh64");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            HashFn::Xxh3 => "xxh3",
            HashFn::Xxh64 => "xxh64",
            HashFn::Md5 => "md5",
            HashFn::Crc32 => "crc32",
            HashFn::Fnv1a => "fnv1a",
            HashFn::Toy => "toy",
        }
    }

    /// The function named `name` (as [`HashFn::name`] writes it), if any.
    ///
    /// ```
    /// use hashhalo_core::HashFn;
    ///
    /// assert_eq!(HashFn::from_name("md5"), Some(HashFn::Md5));
    /// assert_eq!(HashFn::from_name("sha1"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<HashFn> {
        HashFn::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// 64-bit FNV-1a (Fowler, Noll and Vo).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// The number a toy-hash key stands for: its decimal digits read in order, modulo 2⁶⁴.
fn number_in(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .filter(|b| b.is_ascii_digit())
        .fold(0u64, |n, b| {
            n.wrapping_mul(10).wrapping_add(u64::from(b - b'0'))
        })
}

/// The HashFlow load balancer's request hash: `h(i) = (i + 2i + 17) mod 512`, computed without overflow.
fn toy_key_slot(i: u64) -> u64 {
    (3 * (i % TOY_SLOTS) + 17) % TOY_SLOTS
}

fn toy_slot_position(slot: u64) -> u64 {
    slot << 55
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_check_values() {
        // RFC 1321's test suite: MD5("abc") = 900150983cd24fb0…, whose first four bytes read
        // little-endian are 0x98500190.
        assert_eq!(HashFn::Md5.hash(b"abc") >> 32, 0x9850_0190);
        // FNV-1a 64 of "a" from the FNV reference tables.
        assert_eq!(HashFn::Fnv1a.hash(b"a"), 0xAF63_DC4C_8601_EC8C);
        // XXH64 of the empty input with seed 0.
        assert_eq!(HashFn::Xxh64.hash(b""), 0xEF46_DB37_51D8_E999);
    }

    #[test]
    fn toy_hash_has_only_512_positions() {
        let mut positions: Vec<u64> = (0..5000)
            .map(|i| HashFn::Toy.hash(format!("user:{i}").as_bytes()))
            .collect();
        positions.sort_unstable();
        positions.dedup();
        assert_eq!(positions.len(), 512);
        assert!(positions.iter().all(|p| p % (1 << 55) == 0));
    }

    #[test]
    fn names_round_trip() {
        for f in HashFn::ALL {
            assert_eq!(HashFn::from_name(f.name()), Some(f));
        }
    }
}
