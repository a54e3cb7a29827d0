//! Envoy's `RING_HASH` load balancer (SPEC.md §3), and the weight normalisation it shares with
//! Maglev.

use std::fmt::Write as _;

use xxhash_rust::xxh64::xxh64;

use super::{
    EnvoyLocality, MAX_POINTS, PointRing, PresetError, PresetPoint, PresetServer, RingHit,
};

/// The hash Envoy uses to place hosts on the ring (`hash_function`). Request hashes are
/// xxHash64 either way.
///
/// ```
/// use hashhalo_core::presets::EnvoyHashFunction;
///
/// assert_eq!(EnvoyHashFunction::default(), EnvoyHashFunction::XxHash);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum EnvoyHashFunction {
    /// `XX_HASH`: xxHash64 with seed 0, the default.
    #[default]
    XxHash,
    /// `MURMUR_HASH_2`: libstdc++'s `std::_Hash_bytes` (64-bit MurmurHash2 variant) with seed
    /// `0xc70f6907`, for compatibility with early Envoy rings built with `std::hash`.
    MurmurHash2,
}

impl EnvoyHashFunction {
    /// Hashes a ring entry key `"{host key}_{i}"`.
    ///
    /// ```
    /// use hashhalo_core::presets::EnvoyHashFunction;
    ///
    /// // From Envoy's ring_hash_lb_test.cc, test Basic.
    /// assert_eq!(EnvoyHashFunction::XxHash.hash(b"127.0.0.1:90_0"), 16_117_243_373_044_804_889);
    /// ```
    pub fn hash(self, bytes: &[u8]) -> u64 {
        match self {
            EnvoyHashFunction::XxHash => xxh64(bytes, 0),
            EnvoyHashFunction::MurmurHash2 => murmur2_64(bytes, 0xc70f_6907),
        }
    }
}

/// libstdc++'s `std::_Hash_bytes` for a 64-bit `size_t`, as copied into Envoy's
/// `MurmurHash::murmurHash2` (SPEC.md §3.6).
fn murmur2_64(data: &[u8], seed: u64) -> u64 {
    const MUL: u64 = 0xc6a4_a793_5bd1_e995;
    let shift_mix = |v: u64| v ^ (v >> 47);
    let mut h = seed ^ (data.len() as u64).wrapping_mul(MUL);
    let mut words = data.chunks_exact(8);
    for word in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let v = u64::from_le_bytes(bytes);
        h ^= shift_mix(v.wrapping_mul(MUL)).wrapping_mul(MUL);
        h = h.wrapping_mul(MUL);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let v = rest
            .iter()
            .rev()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        h ^= v;
        h = h.wrapping_mul(MUL);
    }
    h = shift_mix(h).wrapping_mul(MUL);
    shift_mix(h)
}

/// How an Envoy ring is sized and hashed (`RingHash` / `RingHashLbConfig`).
///
/// ```
/// use hashhalo_core::presets::{EnvoyHashFunction, EnvoyRingConfig};
///
/// let config = EnvoyRingConfig::default();
/// assert_eq!(config.min_ring_size, 1024);
/// assert_eq!(config.max_ring_size, 8 * 1024 * 1024);
/// assert_eq!(config.hash_function, EnvoyHashFunction::XxHash);
/// let tiny = EnvoyRingConfig { min_ring_size: 12, ..EnvoyRingConfig::default() };
/// assert_eq!(tiny.max_ring_size, 8_388_608);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EnvoyRingConfig {
    /// `minimum_ring_size`, in `1..=8388608`; default 1024.
    pub min_ring_size: u64,
    /// `maximum_ring_size`, at most 8388608 and at least `min_ring_size`; default 8388608.
    pub max_ring_size: u64,
    /// `hash_function`; default xxHash64.
    pub hash_function: EnvoyHashFunction,
}

impl Default for EnvoyRingConfig {
    /// Envoy's defaults: `DefaultMinRingSize = 1024`, `DefaultMaxRingSize = 8 Mi`, xxHash64.
    fn default() -> EnvoyRingConfig {
        EnvoyRingConfig {
            min_ring_size: EnvoyRing::DEFAULT_MIN_RING_SIZE,
            max_ring_size: EnvoyRing::DEFAULT_MAX_RING_SIZE,
            hash_function: EnvoyHashFunction::XxHash,
        }
    }
}

/// The gauges Envoy's ring hash load balancer reports (`ring_hash_lb.*`).
///
/// ```
/// use hashhalo_core::presets::{EnvoyRing, EnvoyRingConfig, PresetServer};
///
/// let servers = [PresetServer::new("127.0.0.1:80"), PresetServer::new("127.0.0.1:81")];
/// let config = EnvoyRingConfig { min_ring_size: 3, ..EnvoyRingConfig::default() };
/// let stats = EnvoyRing::build(&servers, config).unwrap().stats();
/// // Envoy's UnevenHosts test.
/// assert_eq!((stats.size, stats.min_hashes_per_host, stats.max_hashes_per_host), (4, 2, 2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EnvoyRingStats {
    /// `size`: the ring's nominal size, `ceil(scale)`.
    pub size: u64,
    /// `min_hashes_per_host`: the fewest entries a host in the ring got (0 is possible).
    pub min_hashes_per_host: u64,
    /// `max_hashes_per_host`: the most entries a host in the ring got.
    pub max_hashes_per_host: u64,
}

/// Envoy's normalised host weights (SPEC.md §3.2): the hosts in Envoy's order with their
/// weights, and the smallest and largest weight (starting from 1.0 and 0.0).
pub(super) struct Normalized {
    pub(super) hosts: Vec<(usize, f64)>,
    pub(super) min_weight: f64,
    pub(super) max_weight: f64,
}

/// Normalises the weights of the up servers as `normalizeWeights` in Envoy's
/// `thread_aware_lb_impl.cc` does, with or without localities.
pub(super) fn normalize(
    servers: &[PresetServer],
    localities: Option<&[EnvoyLocality]>,
) -> Result<Normalized, PresetError> {
    let mut out = Normalized {
        hosts: Vec::with_capacity(servers.len()),
        min_weight: 1.0,
        max_weight: 0.0,
    };
    match localities {
        None => add_hosts(servers, 0..servers.len(), 1.0, &mut out)?,
        Some(localities) => {
            check_localities(servers.len(), localities)?;
            let total: u64 = localities.iter().map(|l| u64::from(l.weight)).sum();
            if total > u64::from(u32::MAX) {
                return Err(PresetError::WeightSumOverflow);
            }
            if total == 0 {
                return Ok(out);
            }
            for l in localities.iter().filter(|l| l.weight != 0) {
                let share = f64::from(l.weight) / total as f64;
                add_hosts(servers, l.hosts.iter().copied(), share, &mut out)?;
            }
        }
    }
    Ok(out)
}

/// Appends the up servers among `hosts` with their weights normalised to add up to `share`
/// (`normalizeHostWeights`).
fn add_hosts(
    servers: &[PresetServer],
    hosts: impl Iterator<Item = usize>,
    share: f64,
    out: &mut Normalized,
) -> Result<(), PresetError> {
    let up: Vec<usize> = hosts.filter(|&i| servers[i].up).collect();
    let sum: u64 = up.iter().map(|&i| u64::from(servers[i].weight)).sum();
    if sum > u64::from(u32::MAX) {
        return Err(PresetError::WeightSumOverflow);
    }
    for i in up {
        // Envoy: `host->weight() * normalized_locality_weight / sum`, left to right.
        let w = f64::from(servers[i].weight) * share / sum as f64;
        out.hosts.push((i, w));
        out.min_weight = out.min_weight.min(w);
        out.max_weight = out.max_weight.max(w);
    }
    Ok(())
}

/// Checks that every server is in exactly one locality.
fn check_localities(servers: usize, localities: &[EnvoyLocality]) -> Result<(), PresetError> {
    let mut seen = vec![false; servers];
    for (locality, l) in localities.iter().enumerate() {
        for &host in &l.hosts {
            match seen.get_mut(host) {
                None => return Err(PresetError::LocalityHostOutOfRange { locality, host }),
                Some(true) => return Err(PresetError::LocalityHostRepeated(host)),
                Some(flag) => *flag = true,
            }
        }
    }
    match seen.iter().position(|&s| !s) {
        Some(host) => Err(PresetError::LocalityHostMissing(host)),
        None => Ok(()),
    }
}

/// Envoy's ring hash load balancer (`RING_HASH`).
///
/// Follows `Ring::Ring` and `Ring::chooseHost` of Envoy's `ring_hash_lb.cc` and the weight
/// normalisation of `thread_aware_lb_impl.cc`; checked against the expectations of Envoy's
/// `ring_hash_lb_test.cc`:
///
/// - Weights are normalised to shares of 1 (per locality, when localities are given).
/// - `scale = min(ceil(min_w · min_ring_size) / min_w, max_ring_size)`; walking the hosts in
///   order, a running target grows by `scale · w` and host entries `"{name}_{i}"` are hashed
///   while the running count is below it, so a host gets ⌊·⌋ or ⌈·⌉ entries, possibly 0.
/// - A request hash goes to the first entry at or after it, wrapping; retry attempt `a` takes
///   the `a`-th entry after that one ([`EnvoyRing::lookup_attempt`]).
///
/// Down servers: Envoy builds the ring from the *healthy* hosts only, renormalising the
/// weights, and so does this preset; down servers have no points. (Envoy's panic mode, which
/// by default puts every host back when fewer than half are healthy, is not modelled.) The
/// key hash is `xxh64(key, 0)`, as Envoy hashes a header, cookie or query value.
///
/// ```
/// use hashhalo_core::presets::{EnvoyRing, EnvoyRingConfig, PresetServer};
///
/// let servers: Vec<_> = (90..96).map(|p| PresetServer::new(format!("127.0.0.1:{p}"))).collect();
/// let config = EnvoyRingConfig { min_ring_size: 12, ..EnvoyRingConfig::default() };
/// let ring = EnvoyRing::build(&servers, config).unwrap();
/// assert_eq!(ring.points().len(), 12);
/// // Envoy's Basic test: hash 0 goes to 127.0.0.1:94.
/// assert_eq!(ring.lookup_position(0), Some(4));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvoyRing {
    ring: PointRing,
    stats: EnvoyRingStats,
}

impl EnvoyRing {
    /// Envoy's `DefaultMinRingSize`.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::presets::EnvoyRing::DEFAULT_MIN_RING_SIZE, 1024);
    /// ```
    pub const DEFAULT_MIN_RING_SIZE: u64 = 1024;

    /// Envoy's `DefaultMaxRingSize`, which is also the largest size Envoy accepts for either
    /// bound.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::presets::EnvoyRing::DEFAULT_MAX_RING_SIZE, 8_388_608);
    /// ```
    pub const DEFAULT_MAX_RING_SIZE: u64 = 8 * 1024 * 1024;

    /// Builds the ring of the up `servers`, in Envoy's host-set order, without locality
    /// weighting.
    ///
    /// Fails if `servers` is empty, a weight is 0, two names are equal, the weights add up to
    /// more than `u32::MAX`, or the ring sizes break Envoy's rules (`min_ring_size` in
    /// `1..=8388608`, `max_ring_size ≤ 8388608`, `min ≤ max`). Every server down is not an
    /// error: the ring is empty and lookups return `None`.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyRing, EnvoyRingConfig, PresetError, PresetServer};
    ///
    /// let servers = [PresetServer::new("127.0.0.1:90")];
    /// let ring = EnvoyRing::build(&servers, EnvoyRingConfig::default()).unwrap();
    /// assert_eq!(ring.points().len(), 1024);
    /// let bad = EnvoyRingConfig { min_ring_size: 20, max_ring_size: 10, ..Default::default() };
    /// assert_eq!(
    ///     EnvoyRing::build(&servers, bad).unwrap_err(),
    ///     PresetError::MinRingAboveMax { min: 20, max: 10 }
    /// );
    /// ```
    pub fn build(
        servers: &[PresetServer],
        config: EnvoyRingConfig,
    ) -> Result<EnvoyRing, PresetError> {
        Self::build_inner(servers, None, config)
    }

    /// Builds the ring with locality-weighted load balancing: each locality of non-zero weight
    /// gets `weight / Σ weights` of the ring, shared by its up hosts by their weights. Hosts
    /// are placed locality by locality, in the order given. Every server must be in exactly
    /// one locality.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyLocality, EnvoyRing, EnvoyRingConfig, PresetServer};
    ///
    /// let servers = [PresetServer::new("127.0.0.1:90"), PresetServer::new("127.0.0.1:91")];
    /// let localities = [
    ///     EnvoyLocality { weight: 1, hosts: vec![0] },
    ///     EnvoyLocality { weight: 0, hosts: vec![1] },
    /// ];
    /// let ring =
    ///     EnvoyRing::build_with_localities(&servers, &localities, EnvoyRingConfig::default())
    ///         .unwrap();
    /// assert!(ring.points().iter().all(|p| p.server == 0));
    /// ```
    pub fn build_with_localities(
        servers: &[PresetServer],
        localities: &[EnvoyLocality],
        config: EnvoyRingConfig,
    ) -> Result<EnvoyRing, PresetError> {
        Self::build_inner(servers, Some(localities), config)
    }

    fn build_inner(
        servers: &[PresetServer],
        localities: Option<&[EnvoyLocality]>,
        config: EnvoyRingConfig,
    ) -> Result<EnvoyRing, PresetError> {
        super::validate_servers(servers)?;
        let EnvoyRingConfig {
            min_ring_size: min,
            max_ring_size: max,
            hash_function,
        } = config;
        if !(1..=Self::DEFAULT_MAX_RING_SIZE).contains(&min) {
            return Err(PresetError::RingSizeOutOfRange(min));
        }
        if max > Self::DEFAULT_MAX_RING_SIZE {
            return Err(PresetError::RingSizeOutOfRange(max));
        }
        if min > max {
            return Err(PresetError::MinRingAboveMax { min, max });
        }
        let normalized = normalize(servers, localities)?;
        if normalized.hosts.is_empty() {
            return Ok(EnvoyRing {
                ring: PointRing::default(),
                stats: EnvoyRingStats::default(),
            });
        }

        let min_w = normalized.min_weight;
        let scale = ((min_w * min as f64).ceil() / min_w).min(max as f64);
        let ring_size = scale.ceil() as u64;
        let mut points = Vec::with_capacity(ring_size.min(MAX_POINTS) as usize + 1);
        let mut current = 0.0f64;
        let mut target = 0.0f64;
        let mut min_hashes = ring_size;
        let mut max_hashes = 0u64;
        let mut key = String::new();
        for &(server, w) in &normalized.hosts {
            key.clear();
            key.push_str(&servers[server].name);
            key.push('_');
            let prefix = key.len();
            target += scale * w;
            let mut i: u32 = 0;
            while current < target {
                // The normalised weights add up to at most 1 (give or take rounding), so the
                // ring stays near `scale ≤ 8 Mi` entries; this only guards against surprises.
                if points.len() as u64 >= MAX_POINTS {
                    return Err(PresetError::TooManyPoints(points.len() as u64 + 1));
                }
                key.truncate(prefix);
                write!(key, "{i}").expect("writing to a String cannot fail");
                points.push(PresetPoint {
                    position: hash_function.hash(key.as_bytes()),
                    server,
                    index: i,
                });
                i += 1;
                current += 1.0;
            }
            min_hashes = min_hashes.min(u64::from(i));
            max_hashes = max_hashes.max(u64::from(i));
        }
        // Envoy's std::sort leaves equal hashes in no particular order; 64-bit collisions are
        // ignored, and a stable sort keeps them in host order.
        crate::order::sort_by_key(&mut points, |p| u128::from(p.position));
        Ok(EnvoyRing {
            ring: PointRing::new(points, servers),
            stats: EnvoyRingStats {
                size: ring_size,
                min_hashes_per_host: min_hashes,
                max_hashes_per_host: max_hashes,
            },
        })
    }

    /// The request hash of `key`: `xxh64(key, 0)`, used as the position on the ring as is.
    ///
    /// ```
    /// use hashhalo_core::presets::EnvoyRing;
    ///
    /// assert_eq!(EnvoyRing::key_position(b"key-0"), 1_358_662_563_146_998_643);
    /// ```
    pub fn key_position(key: &[u8]) -> u64 {
        xxh64(key, 0)
    }

    /// Every ring entry, sorted by hash. Only up servers have entries.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyRing, EnvoyRingConfig, PresetServer};
    ///
    /// let servers = [PresetServer::new("a:1"), PresetServer::new("b:1").down()];
    /// let ring = EnvoyRing::build(&servers, EnvoyRingConfig::default()).unwrap();
    /// assert_eq!(ring.points().len(), 1024);
    /// assert!(ring.points().iter().all(|p| p.server == 0));
    /// ```
    pub fn points(&self) -> &[PresetPoint] {
        &self.ring.points
    }

    /// The gauges Envoy would report for this ring.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyRing, EnvoyRingConfig, PresetServer};
    ///
    /// let servers = [PresetServer::new("a:1"), PresetServer::new("b:1").with_weight(3)];
    /// let stats = EnvoyRing::build(&servers, EnvoyRingConfig::default()).unwrap().stats();
    /// // Shares of 1/4 and 3/4 of a ring of min_ring_size = 1024 entries.
    /// assert_eq!((stats.size, stats.min_hashes_per_host, stats.max_hashes_per_host), (1024, 256, 768));
    /// ```
    pub fn stats(&self) -> EnvoyRingStats {
        self.stats
    }

    /// The entry that answers request hash `position` on the first attempt: the first entry
    /// at or after it, wrapping. `skipped` is always 0, as down servers have no entries.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyRing, EnvoyRingConfig, PresetServer};
    ///
    /// let ring = EnvoyRing::build(&[PresetServer::new("a:1")], EnvoyRingConfig::default())
    ///     .unwrap();
    /// let hit = ring.hit(u64::MAX).unwrap(); // above every entry: wraps to the first
    /// assert_eq!(hit.point, 0);
    /// ```
    pub fn hit(&self, position: u64) -> Option<RingHit> {
        self.ring.hit(position)
    }

    /// The server that request hash `position` goes to on the first attempt. `None` when the
    /// ring is empty (every server down, or every locality of weight 0).
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyRing, EnvoyRingConfig, PresetServer};
    ///
    /// let ring = EnvoyRing::build(&[PresetServer::new("a:1").down()], EnvoyRingConfig::default())
    ///     .unwrap();
    /// assert_eq!(ring.lookup_position(7), None);
    /// ```
    pub fn lookup_position(&self, position: u64) -> Option<usize> {
        self.hit(position).map(|h| h.server)
    }

    /// The server of retry attempt `attempt` (0 for the first try) of request hash
    /// `position`: Envoy takes the entry `attempt` places after the first attempt's entry,
    /// wrapping (`chooseHost(hash, attempt)` with a retry host predicate).
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyRing, EnvoyRingConfig, PresetServer};
    ///
    /// let servers: Vec<_> = (90..96).map(|p| PresetServer::new(format!("127.0.0.1:{p}"))).collect();
    /// let config = EnvoyRingConfig { min_ring_size: 12, ..EnvoyRingConfig::default() };
    /// let ring = EnvoyRing::build(&servers, config).unwrap();
    /// // Envoy's BasicWithRetryHostPredicate test.
    /// assert_eq!(ring.lookup_attempt(0, 0), Some(4));
    /// assert_eq!(ring.lookup_attempt(0, 1), Some(2));
    /// assert_eq!(ring.lookup_attempt(0, 2), Some(0));
    /// ```
    pub fn lookup_attempt(&self, position: u64, attempt: u32) -> Option<usize> {
        let first = self.ring.first_index(position)?;
        let n = self.ring.points.len() as u64;
        let i = (first as u64 + u64::from(attempt)) % n;
        Some(self.ring.points[i as usize].server)
    }

    /// The server that `key` goes to on the first attempt.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyRing, EnvoyRingConfig, PresetServer};
    ///
    /// let ring = EnvoyRing::build(&[PresetServer::new("a:1")], EnvoyRingConfig::default())
    ///     .unwrap();
    /// assert_eq!(ring.lookup(b"key-0"), Some(0));
    /// ```
    pub fn lookup(&self, key: &[u8]) -> Option<usize> {
        self.lookup_position(Self::key_position(key))
    }
}
