//! libketama's continuum, and uhashring's variant of it (SPEC.md §2).

use std::fmt::Write as _;

use md5::{Digest, Md5};

use super::{MAX_POINTS, PointRing, PresetError, PresetPoint, PresetServer, RingHit};

/// Which implementation of "ketama" a [`KetamaRing`] reproduces.
///
/// ```
/// use hashhalo_core::presets::KetamaVariant;
///
/// assert_eq!(KetamaVariant::default(), KetamaVariant::Libketama);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum KetamaVariant {
    /// The C library `RJ/ketama` (`libketama/ketama.c`): single-precision point counts, a key
    /// goes to the first point at or after its hash, and of equal points the earlier server's
    /// answers.
    #[default]
    Libketama,
    /// The Python package uhashring 2.5 (`HashRing(hash_fn="ketama")`): exact integer point
    /// counts, a key goes to the first point strictly *after* its hash (`bisect_right`), and
    /// of equal points the later server's answers.
    Uhashring,
}

impl KetamaVariant {
    /// How many MD5 digests (4 points each) a server of weight `weight` gets, when the weights
    /// of all `servers` servers add up to `total`.
    ///
    /// libketama computes `floorf((float)weight / (float)total * 40.0 * (float)servers)` with
    /// the product in double precision and a conversion to `float` before the floor, which
    /// differs from the exact `⌊40 · servers · weight / total⌋` in rare cases, in both
    /// directions; uhashring uses the exact integer formula. A `total` of 0 gives 0.
    ///
    /// ```
    /// use hashhalo_core::presets::KetamaVariant::{Libketama, Uhashring};
    ///
    /// // 61 equal servers: (float)(1/61) · 40 · 61 = 39.99999… → 39 digests, not 40.
    /// assert_eq!(Libketama.hashes_per_server(1, 61, 61), 39);
    /// assert_eq!(Uhashring.hashes_per_server(1, 61, 61), 40);
    /// // 96010 of 211011 with 5 servers: exactly 90.999995, but libketama rounds to 91.
    /// assert_eq!(Libketama.hashes_per_server(96_010, 211_011, 5), 91);
    /// assert_eq!(Uhashring.hashes_per_server(96_010, 211_011, 5), 90);
    /// // 6 of 2640 with 11 servers: exactly 1, but libketama gets 0.99999994 → 0.
    /// assert_eq!(Libketama.hashes_per_server(6, 2640, 11), 0);
    /// ```
    pub fn hashes_per_server(self, weight: u32, total: u64, servers: usize) -> u64 {
        if total == 0 {
            return 0;
        }
        match self {
            KetamaVariant::Libketama => {
                // Rust's `as f32` and f32 division round to nearest, like x86-64 SSE code.
                let pct = weight as f32 / total as f32;
                let product = f64::from(pct) * 40.0 * f64::from(servers as f32);
                // Saturating conversion; nonsensical inputs give huge counts that the builder
                // rejects as too many points.
                (product as f32).floor() as u64
            }
            KetamaVariant::Uhashring => {
                let exact = 40 * servers as u128 * u128::from(weight) / u128::from(total);
                u64::try_from(exact).unwrap_or(u64::MAX)
            }
        }
    }
}

/// A ketama continuum, as libketama (or optionally uhashring) builds it.
///
/// Follows `ketama_create_continuum` and `ketama_get_server` of `RJ/ketama`'s `ketama.c`,
/// checked against the compiled C library (it also reproduces upstream's `test.sh` over a
/// million keys):
///
/// - Server `s` gets `4 ×` [`KetamaVariant::hashes_per_server`] points: for `k` from 0, the
///   digest `md5("{name}-{k}")` gives four points, its bytes `4h..4h+4` read little-endian for
///   `h = 0..4`.
/// - The points are sorted with no deduplication; equal points keep server order (glibc's
///   `qsort` is stable), so the earlier server answers for a shared point.
/// - A key goes to the first point at or after `u32le(md5(key)[0..4])`, wrapping.
///
/// libketama has no notion of a down server: removing one means building the continuum
/// without it (build from the up servers only to reproduce that, which also changes every
/// server's point count). A ring built with down servers keeps their points and a lookup walks
/// forward to the next point of an up server, the ring's natural fail-over.
///
/// libketama stores names in 22 bytes (longer names are undefined behaviour there) and keys
/// are C strings; HashHalo hashes names and keys verbatim.
///
/// ```
/// use hashhalo_core::presets::{KetamaRing, PresetServer};
///
/// let servers = [
///     PresetServer::new("127.0.0.1:11211").with_weight(600),
///     PresetServer::new("127.0.0.1:11212").with_weight(400),
/// ];
/// let ring = KetamaRing::build(&servers).unwrap();
/// // Upstream's python_ketama/tests.py.
/// assert_eq!(ring.points().len(), 320);
/// assert_eq!(KetamaRing::hashi(b"test"), 3_446_378_249);
/// let hit = ring.hit(KetamaRing::key_position(b"test")).unwrap();
/// assert_eq!(hit.server, 0);
/// assert_eq!(ring.continuum_point(&ring.points()[hit.point]), 3_454_255_383);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KetamaRing {
    ring: PointRing,
    variant: KetamaVariant,
}

impl KetamaRing {
    /// Builds libketama's continuum of `servers`, in server-file order.
    ///
    /// Fails if `servers` is empty, a weight is 0, two names are equal or the continuum would
    /// hold more than [`MAX_POINTS`](super::MAX_POINTS) points.
    ///
    /// ```
    /// use hashhalo_core::presets::{KetamaRing, PresetServer};
    ///
    /// let servers: Vec<_> = (1..=61).map(|i| PresetServer::new(format!("10.0.1.{i}:11211"))).collect();
    /// let ring = KetamaRing::build(&servers).unwrap();
    /// assert_eq!(ring.points().len(), 61 * 39 * 4); // not 61 × 160
    /// ```
    pub fn build(servers: &[PresetServer]) -> Result<KetamaRing, PresetError> {
        Self::build_variant(servers, KetamaVariant::Libketama)
    }

    /// Builds the continuum of `servers` as `variant` does.
    ///
    /// uhashring answers with the first point strictly after the key's hash. To keep the
    /// "first point at or after the key's position" rule of [`KetamaRing::points`], its
    /// points sit one position lower: 32-bit point `p` at `(p << 32) − 1`, wrapping (so point
    /// 0 sits at `u64::MAX`, last on the ring, where the wrap-around finds it). Keys sit at
    /// `hashi << 32` in both variants.
    ///
    /// ```
    /// use hashhalo_core::presets::{KetamaRing, KetamaVariant, PresetServer};
    ///
    /// let servers = [PresetServer::new("127.0.0.1:11211").with_weight(600),
    ///                PresetServer::new("127.0.0.1:11212").with_weight(400)];
    /// let c = KetamaRing::build_variant(&servers, KetamaVariant::Libketama).unwrap();
    /// let u = KetamaRing::build_variant(&servers, KetamaVariant::Uhashring).unwrap();
    /// // "127.0.0.1:11211-0" hashes exactly onto that server's first point: libketama takes
    /// // that point, uhashring the next one (captured from both).
    /// assert_eq!(c.lookup(b"127.0.0.1:11211-0"), Some(0));
    /// assert_eq!(u.lookup(b"127.0.0.1:11211-0"), Some(1));
    /// ```
    pub fn build_variant(
        servers: &[PresetServer],
        variant: KetamaVariant,
    ) -> Result<KetamaRing, PresetError> {
        super::validate_servers(servers)?;
        let total: u64 = servers.iter().map(|s| u64::from(s.weight)).sum();
        let n = servers.len();
        let counts: Vec<u64> = servers
            .iter()
            .map(|s| variant.hashes_per_server(s.weight, total, n))
            .collect();
        let points_total = counts
            .iter()
            .fold(0u64, |acc, &ks| acc.saturating_add(ks.saturating_mul(4)));
        if points_total > MAX_POINTS {
            return Err(PresetError::TooManyPoints(points_total));
        }
        let mut points = Vec::with_capacity(points_total as usize);
        let mut scratch = String::new();
        for (server, (s, &ks)) in servers.iter().zip(&counts).enumerate() {
            for k in 0..ks {
                scratch.clear();
                scratch.push_str(&s.name);
                write!(scratch, "-{k}").expect("writing to a String cannot fail");
                let digest = Md5::digest(scratch.as_bytes());
                for (h, word) in digest.chunks_exact(4).enumerate() {
                    let p = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
                    points.push(PresetPoint {
                        position: Self::point_position(variant, p),
                        server,
                        // k < 2²² here, so the ordinal fits.
                        index: (4 * k + h as u64) as u32,
                    });
                }
            }
        }
        match variant {
            // Stable: equal points stay in server order, then k, then h; the first answers.
            KetamaVariant::Libketama => {
                crate::order::sort_by_key(&mut points, |p| u128::from(p.position));
            }
            // uhashring's point → server dict keeps the last writer, so the latest-inserted
            // point of an equal run comes first and answers.
            KetamaVariant::Uhashring => {
                // (position, Reverse(server), Reverse(index)), packed: servers fit in 32 bits.
                crate::order::sort_by_key(&mut points, |p| {
                    u128::from(p.position) << 64
                        | u128::from(!(p.server as u32)) << 32
                        | u128::from(!p.index)
                });
            }
        }
        Ok(KetamaRing {
            ring: PointRing::new(points, servers),
            variant,
        })
    }

    /// Where `variant` puts the 32-bit point `p` on HashHalo's ring.
    fn point_position(variant: KetamaVariant, p: u32) -> u64 {
        match variant {
            KetamaVariant::Libketama => u64::from(p) << 32,
            KetamaVariant::Uhashring => (u64::from(p) << 32).wrapping_sub(1),
        }
    }

    /// libketama's key hash `ketama_hashi`: the first four bytes of `md5(key)`, read
    /// little-endian.
    ///
    /// ```
    /// use hashhalo_core::presets::KetamaRing;
    ///
    /// assert_eq!(KetamaRing::hashi(b"test"), 3_446_378_249);
    /// assert_eq!(KetamaRing::hashi(b"key-0"), 2_123_055_796);
    /// ```
    pub fn hashi(key: &[u8]) -> u32 {
        let d = Md5::digest(key);
        u32::from_le_bytes([d[0], d[1], d[2], d[3]])
    }

    /// The key's position on HashHalo's 64-bit ring: `hashi(key) << 32`, in both variants.
    ///
    /// ```
    /// use hashhalo_core::presets::KetamaRing;
    ///
    /// assert_eq!(KetamaRing::key_position(b"test"), 3_446_378_249 << 32);
    /// ```
    pub fn key_position(key: &[u8]) -> u64 {
        u64::from(Self::hashi(key)) << 32
    }

    /// The variant the ring reproduces.
    ///
    /// ```
    /// use hashhalo_core::presets::{KetamaRing, KetamaVariant, PresetServer};
    ///
    /// let ring = KetamaRing::build(&[PresetServer::new("a")]).unwrap();
    /// assert_eq!(ring.variant(), KetamaVariant::Libketama);
    /// ```
    pub fn variant(&self) -> KetamaVariant {
        self.variant
    }

    /// The 32-bit continuum value of one of this ring's points, as the system prints it.
    ///
    /// ```
    /// use hashhalo_core::presets::{KetamaRing, KetamaVariant, PresetServer};
    ///
    /// let servers = [PresetServer::new("10.0.1.1:11211")];
    /// for variant in [KetamaVariant::Libketama, KetamaVariant::Uhashring] {
    ///     let ring = KetamaRing::build_variant(&servers, variant).unwrap();
    ///     // md5("10.0.1.1:11211-0") = 1387ed90 033bcef5 …: its first point is 0x90ed8713.
    ///     let first = ring.points().iter().find(|p| p.index == 0).unwrap();
    ///     assert_eq!(ring.continuum_point(first), 2_431_485_715);
    /// }
    /// ```
    pub fn continuum_point(&self, point: &PresetPoint) -> u32 {
        let position = match self.variant {
            KetamaVariant::Libketama => point.position,
            KetamaVariant::Uhashring => point.position.wrapping_add(1),
        };
        (position >> 32) as u32
    }

    /// Every point, sorted by position, duplicates kept, ties in the order the lookup meets
    /// them (libketama: earlier server first; uhashring: later server first). Points of down
    /// servers are included.
    ///
    /// ```
    /// use hashhalo_core::presets::{KetamaRing, PresetServer};
    ///
    /// let ring = KetamaRing::build(&[PresetServer::new("a"), PresetServer::new("b")]).unwrap();
    /// assert_eq!(ring.points().len(), 320);
    /// assert!(ring.points().windows(2).all(|w| w[0].position <= w[1].position));
    /// ```
    pub fn points(&self) -> &[PresetPoint] {
        &self.ring.points
    }

    /// The point that answers a lookup at `position`: the first point at or after it
    /// (wrapping) whose server is up, with the number of down servers' points walked over.
    /// `None` when every server is down.
    ///
    /// ```
    /// use hashhalo_core::presets::{KetamaRing, PresetServer};
    ///
    /// let servers = [PresetServer::new("a").down(), PresetServer::new("b")];
    /// let ring = KetamaRing::build(&servers).unwrap();
    /// assert_eq!(ring.hit(0).unwrap().server, 1);
    /// ```
    pub fn hit(&self, position: u64) -> Option<RingHit> {
        self.ring.hit(position)
    }

    /// The server that owns `position`: the ketama lookup, walking forward over points of
    /// down servers. `None` when every server is down.
    ///
    /// ```
    /// use hashhalo_core::presets::{KetamaRing, PresetServer};
    ///
    /// let ring = KetamaRing::build(&[PresetServer::new("a")]).unwrap();
    /// assert_eq!(ring.lookup_position(u64::MAX), Some(0));
    /// ```
    pub fn lookup_position(&self, position: u64) -> Option<usize> {
        self.hit(position).map(|h| h.server)
    }

    /// The server that owns `key`, as an index into the server slice.
    ///
    /// ```
    /// use hashhalo_core::presets::{KetamaRing, PresetServer};
    ///
    /// let servers = [PresetServer::new("127.0.0.1:11211").with_weight(600),
    ///                PresetServer::new("127.0.0.1:11212").with_weight(400)];
    /// let ring = KetamaRing::build(&servers).unwrap();
    /// assert_eq!(ring.lookup(b"test"), Some(0));
    /// ```
    pub fn lookup(&self, key: &[u8]) -> Option<usize> {
        self.lookup_position(Self::key_position(key))
    }
}
