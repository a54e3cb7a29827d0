//! nginx's `hash $key consistent;` (SPEC.md §1).

use super::{MAX_POINTS, PointRing, PresetError, PresetPoint, PresetServer, RingHit};

/// nginx's consistent-hash ring: `upstream { hash $key consistent; }`.
///
/// Follows `ngx_http_upstream_init_chash` and `ngx_http_upstream_get_chash_peer` of
/// `ngx_http_upstream_hash_module.c` (the stream module is the same), verified against
/// nginx 1.22.1 on glibc:
///
/// - A server's name (the `server` directive's address text, not the resolved address) is
///   split into host and port ([`NginxRing::host_port`]); its `160 × weight` points are the
///   CRC-32 chain `point_j = crc32(host ‖ 0x00 ‖ port ‖ u32le(point_{j−1}))`, starting from 0.
/// - The points of all servers, down ones included, are sorted; of equal points only the
///   first is kept, which is the earliest server in configuration order (glibc's `qsort` is a
///   stable merge sort).
/// - A key goes to the first point at or after `crc32(key)`, wrapping; points of down servers
///   are walked over one by one.
///
/// What is not modelled: nginx answers by plain round robin when the key is empty or the
/// upstream has a single peer, and it gives up and falls back to round robin when the first
/// usable point is more than [`NginxRing::MAX_EXTRA_POINTS`] points past the key's point.
/// HashHalo keeps walking in all these cases; [`NginxRing::hit`] reports how many points were
/// skipped so a caller can tell when real nginx would have fallen back.
///
/// ```
/// use hashhalo_core::presets::{NginxRing, PresetServer};
///
/// let servers = [
///     PresetServer::new("127.0.0.1:38081"),
///     PresetServer::new("127.0.0.1:38082"),
///     PresetServer::new("127.0.0.1:38083"),
/// ];
/// let ring = NginxRing::build(&servers).unwrap();
/// assert_eq!(ring.points().len(), 480);
/// // Captured from nginx 1.22.1: GET /?key=key-0 went to 127.0.0.1:38082.
/// assert_eq!(ring.lookup(b"key-0"), Some(1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NginxRing {
    ring: PointRing,
}

impl NginxRing {
    /// Points per unit of weight.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::presets::NginxRing::POINTS_PER_WEIGHT, 160);
    /// ```
    pub const POINTS_PER_WEIGHT: u32 = 160;

    /// How many points nginx walks past the key's point before it gives up on the ring and
    /// answers by round robin (it examines at most 21 points).
    ///
    /// ```
    /// assert_eq!(hashhalo_core::presets::NginxRing::MAX_EXTRA_POINTS, 20);
    /// ```
    pub const MAX_EXTRA_POINTS: usize = 20;

    /// Builds the ring of `servers`, in configuration order.
    ///
    /// Fails if `servers` is empty, a weight is 0, two names are equal or the ring would hold
    /// more than [`MAX_POINTS`](super::MAX_POINTS) points (a total weight above 104,857).
    ///
    /// ```
    /// use hashhalo_core::presets::{NginxRing, PresetError, PresetServer};
    ///
    /// let ring = NginxRing::build(&[PresetServer::new("a:80").with_weight(2)]).unwrap();
    /// assert_eq!(ring.points().len(), 320);
    /// assert_eq!(
    ///     NginxRing::build(&[PresetServer::new("a:80").with_weight(1_000_000)]).unwrap_err(),
    ///     PresetError::TooManyPoints(160_000_000)
    /// );
    /// ```
    pub fn build(servers: &[PresetServer]) -> Result<NginxRing, PresetError> {
        super::validate_servers(servers)?;
        let total: u64 = servers
            .iter()
            .map(|s| u64::from(s.weight) * u64::from(Self::POINTS_PER_WEIGHT))
            .sum();
        if total > MAX_POINTS {
            return Err(PresetError::TooManyPoints(total));
        }
        let mut points = Vec::with_capacity(total as usize);
        for (server, s) in servers.iter().enumerate() {
            let (host, port) = Self::host_port(&s.name);
            let mut base = crate::crc32::Hasher::new();
            base.update(host.as_bytes());
            base.update(&[0]);
            base.update(port.as_bytes());
            let mut prev: u32 = 0;
            for index in 0..s.weight * Self::POINTS_PER_WEIGHT {
                let mut h = base;
                h.update(&prev.to_le_bytes());
                prev = h.finalize();
                points.push(PresetPoint {
                    position: u64::from(prev) << 32,
                    server,
                    index,
                });
            }
        }
        // A stable sort keeps equal points in configuration order, so deduplication keeps the
        // earliest server's point, as nginx does on glibc.
        crate::order::sort_by_key(&mut points, |p| u128::from(p.position));
        points.dedup_by_key(|p| p.position);
        Ok(NginxRing {
            ring: PointRing::new(points, servers),
        })
    }

    /// How nginx splits a server name into the host and port it hashes: a name starting with
    /// `unix:` (any case) is all host after those 5 bytes; otherwise trailing ASCII digits
    /// preceded by `:` are the port and what comes before the `:` is the host; otherwise the
    /// whole name is the host and the port is empty.
    ///
    /// ```
    /// use hashhalo_core::presets::NginxRing;
    ///
    /// assert_eq!(NginxRing::host_port("127.0.0.1:8081"), ("127.0.0.1", "8081"));
    /// assert_eq!(NginxRing::host_port("[::1]:8081"), ("[::1]", "8081"));
    /// assert_eq!(NginxRing::host_port("[::1]"), ("[::1]", ""));
    /// assert_eq!(NginxRing::host_port("host:"), ("host", ""));
    /// assert_eq!(NginxRing::host_port("example.com"), ("example.com", ""));
    /// assert_eq!(NginxRing::host_port("UNIX:/run/a.sock"), ("/run/a.sock", ""));
    /// ```
    pub fn host_port(name: &str) -> (&str, &str) {
        let bytes = name.as_bytes();
        if bytes.len() >= 5 && bytes[..5].eq_ignore_ascii_case(b"unix:") {
            // The first five bytes are ASCII, so byte 5 is a character boundary.
            return (&name[5..], "");
        }
        let digits = bytes
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let colon = bytes.len() - digits;
        if colon > 0 && bytes[colon - 1] == b':' {
            // `:` and the digits are ASCII, so both cuts are character boundaries.
            (&name[..colon - 1], &name[colon..])
        } else {
            (name, "")
        }
    }

    /// The key's position on HashHalo's 64-bit ring: `crc32(key) << 32`.
    ///
    /// ```
    /// use hashhalo_core::presets::NginxRing;
    ///
    /// assert_eq!(NginxRing::key_position(b"key-0"), 2_045_480_940 << 32);
    /// assert_eq!(NginxRing::key_position(b"123456789"), 0xCBF4_3926 << 32);
    /// ```
    pub fn key_position(key: &[u8]) -> u64 {
        u64::from(crate::crc32::hash(key)) << 32
    }

    /// Every point, sorted by position, duplicates removed (the earliest server keeps a shared
    /// point). Points of down servers are included: nginx keeps them on the ring.
    ///
    /// ```
    /// use hashhalo_core::presets::{NginxRing, PresetServer};
    ///
    /// let ring = NginxRing::build(&[PresetServer::new("a:1"), PresetServer::new("b:1")]).unwrap();
    /// assert!(ring.points().windows(2).all(|w| w[0].position < w[1].position));
    /// ```
    pub fn points(&self) -> &[PresetPoint] {
        &self.ring.points
    }

    /// The point that answers a lookup at `position`: the first point at or after it
    /// (wrapping) whose server is up, with the number of down servers' points walked over.
    /// `None` when every server is down.
    ///
    /// Real nginx answers by round robin instead when `skipped` is above
    /// [`NginxRing::MAX_EXTRA_POINTS`].
    ///
    /// ```
    /// use hashhalo_core::presets::{NginxRing, PresetServer};
    ///
    /// let servers = [PresetServer::new("a:1"), PresetServer::new("b:1").down()];
    /// let ring = NginxRing::build(&servers).unwrap();
    /// for key in [&b"x"[..], b"y", b"z"] {
    ///     let hit = ring.hit(NginxRing::key_position(key)).unwrap();
    ///     assert_eq!(hit.server, 0);
    ///     assert!(hit.skipped < 160);
    /// }
    /// ```
    pub fn hit(&self, position: u64) -> Option<RingHit> {
        self.ring.hit(position)
    }

    /// The server that owns `position`: nginx's lookup, walking forward over points of down
    /// servers (without nginx's round-robin fall-back, see [`NginxRing`]). `None` when every
    /// server is down.
    ///
    /// ```
    /// use hashhalo_core::presets::{NginxRing, PresetServer};
    ///
    /// let ring = NginxRing::build(&[PresetServer::new("a:1").down()]).unwrap();
    /// assert_eq!(ring.lookup_position(0), None);
    /// ```
    pub fn lookup_position(&self, position: u64) -> Option<usize> {
        self.hit(position).map(|h| h.server)
    }

    /// The server that owns `key`, as an index into the server slice.
    ///
    /// ```
    /// use hashhalo_core::presets::{NginxRing, PresetServer};
    ///
    /// let ring = NginxRing::build(&[PresetServer::new("a:1"), PresetServer::new("b:1")]).unwrap();
    /// assert_eq!(ring.lookup(b"k"), ring.lookup_position(NginxRing::key_position(b"k")));
    /// ```
    pub fn lookup(&self, key: &[u8]) -> Option<usize> {
        self.lookup_position(Self::key_position(key))
    }
}
