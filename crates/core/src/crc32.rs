//! CRC-32 (ISO-HDLC, the one zlib, zip and nginx's `ngx_crc32_long` compute): reflected
//! polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
//!
//! Written by hand for the payload: the `crc32fast` crate carries a 16 KiB slice-by-16 table,
//! which was 14 KiB of the browser's first load after gzip. This is the byte-at-a-time
//! algorithm with one 1 KiB table: the keys and server names the lab hashes are a few dozen
//! bytes, where slice-by-16 gains little, and the zip export checksums a few PNGs.
//! `tests/crc32.rs` checks it against `crc32fast`.

/// The CRC-32 of `bytes`.
///
/// ```
/// // The standard check value of CRC-32/ISO-HDLC.
/// assert_eq!(hashhalo_core::crc32::hash(b"123456789"), 0xCBF4_3926);
/// ```
pub fn hash(bytes: &[u8]) -> u32 {
    let mut h = Hasher::new();
    h.update(bytes);
    h.finalize()
}

/// A CRC-32 computed over several pieces in turn; `Clone` to branch from a common prefix.
///
/// ```
/// use hashhalo_core::crc32::{hash, Hasher};
/// let mut h = Hasher::new();
/// h.update(b"1234");
/// h.update(b"56789");
/// assert_eq!(h.finalize(), hash(b"123456789"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hasher {
    /// The running register, before the final XOR.
    state: u32,
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

impl Hasher {
    /// A hasher that has seen nothing.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::crc32::Hasher::new().finalize(), 0);
    /// ```
    pub const fn new() -> Self {
        Hasher { state: !0 }
    }

    /// Feeds `bytes` after what came before.
    ///
    /// ```
    /// let mut h = hashhalo_core::crc32::Hasher::new();
    /// h.update(b"a");
    /// assert_eq!(h.finalize(), 0xE8B7_BE43);
    /// ```
    pub fn update(&mut self, bytes: &[u8]) {
        self.state = bytes.iter().fold(self.state, |crc, &b| {
            (crc >> 8) ^ TABLE[usize::from((crc as u8) ^ b)]
        });
    }

    /// The CRC of everything fed so far.
    ///
    /// ```
    /// let mut h = hashhalo_core::crc32::Hasher::new();
    /// h.update(b"123456789");
    /// assert_eq!(h.finalize(), 0xCBF4_3926);
    /// ```
    pub fn finalize(self) -> u32 {
        !self.state
    }
}

/// The CRC of every byte value, worked out one bit at a time.
const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};
