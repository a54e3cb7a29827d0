use xxhash_rust::xxh3::xxh3_64;

/// A named 64-bit hash function over a byte string.
///
/// The function is part of the ring's identity: the same bytes and the same `HashFn` give the
/// same position on every platform.
///
/// ```
/// use hashhalo_core::HashFn;
///
/// let h = HashFn::Xxh3.hash(b"A#0");
/// assert_eq!(h, HashFn::Xxh3.hash(b"A#0"));
/// assert_ne!(h, HashFn::Xxh3.hash(b"A#1"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum HashFn {
    /// XXH3, 64-bit output, seed 0.
    #[default]
    Xxh3,
}

impl HashFn {
    /// Hashes `bytes` to a ring position.
    ///
    /// ```
    /// use hashhalo_core::HashFn;
    ///
    /// // XXH3-64 of the empty input with seed 0, as published by the xxHash project.
    /// assert_eq!(HashFn::Xxh3.hash(b""), 0x2D06_8005_38D3_94C2);
    /// ```
    #[inline]
    pub fn hash(self, bytes: &[u8]) -> u64 {
        match self {
            HashFn::Xxh3 => xxh3_64(bytes),
        }
    }

    /// The function's name as shown to people, for example `"xxh3"`.
    ///
    /// ```
    /// use hashhalo_core::HashFn;
    ///
    /// assert_eq!(HashFn::Xxh3.name(), "xxh3");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            HashFn::Xxh3 => "xxh3",
        }
    }
}
