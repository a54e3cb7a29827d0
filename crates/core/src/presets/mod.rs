//! Compatibility presets: four production consistent-hashing schemes, reproduced bit for bit.
//!
//! Each preset builds the ring (or table) exactly as the production system does and answers a
//! lookup with the same server, so HashHalo can show what nginx, a memcached client or Envoy
//! would really do with a given server list. The algorithms, their sources and the captured
//! test vectors are in `crates/core/compat/SPEC.md` and `crates/core/compat/vectors/`.
//!
//! # The presets
//!
//! - **[`NginxRing`]**: nginx's `upstream { hash $key consistent; }` (the Ketama-compatible
//!   mode of `ngx_http_upstream_hash_module.c`, verified against nginx 1.22.1). Every server
//!   gets 160 points per unit of weight from a CRC-32 chain over its address *string*, and keys
//!   are hashed with CRC-32. A 32-bit hash and 160 points make it cheap and well spread, but
//!   the ring has only 2³² positions, points of different servers can collide (the earlier
//!   server wins), and a long run of points of down servers makes nginx give up and fall back
//!   to round robin.
//! - **[`KetamaRing`]**: the original libketama C library (`RJ/ketama`, `ketama.c`) that
//!   memcached clients copied, with uhashring 2.5's variant as an option ([`KetamaVariant`]).
//!   Every server gets about 160 points per share of the total weight, four per MD5 digest of
//!   `"name-k"`, and keys use the first four bytes of their MD5. It is the de-facto standard
//!   for cache clients, but the point count per server is computed in single-precision floats,
//!   so some servers get 4 points fewer (or more) than the exact share, and two
//!   implementations of "ketama" rarely agree bit for bit.
//! - **[`EnvoyRing`]**: Envoy's `RING_HASH` load balancer (`ring_hash_lb.cc`), xxHash64 by
//!   default. Weights are normalised and the whole ring is scaled so that the lightest host
//!   gets at least `min_ring_size × its share` points, which gives precise weights at the
//!   cost of large rings (up to 8 Mi entries); hashes are 64-bit, so collisions are
//!   negligible. Retries walk to the following ring entries.
//! - **[`EnvoyMaglev`]**: Envoy's `MAGLEV` load balancer (`maglev_lb.cc`, after Eisenbud et
//!   al., NSDI 2016). A lookup is a single table read, `table[hash % M]` with a prime `M`
//!   (65537 by default), and each host owns almost exactly its share of the table; the price
//!   is a table rebuild whenever the host set changes, which moves a few more keys than a
//!   ring would. The fill loop itself is [`crate::maglev_table::fill`].
//!
//! # Positions
//!
//! Every preset reports positions on HashHalo's 64-bit ring. A 32-bit hash `h` (nginx's
//! CRC-32, ketama's MD5 prefix) sits at `(h as u64) << 32`, for points and keys alike, which
//! keeps both the order and the "first point at or after the key" rule exact. Envoy's hashes
//! are 64-bit and are used as they are.
//!
//! # Example
//!
//! ```
//! use hashhalo_core::presets::{KetamaRing, NginxRing, PresetServer};
//!
//! let servers = [PresetServer::new("10.0.0.1:11211"), PresetServer::new("10.0.0.2:11211")];
//! let nginx = NginxRing::build(&servers).unwrap();
//! let ketama = KetamaRing::build(&servers).unwrap();
//! assert_eq!(nginx.points().len(), 2 * 160);
//! assert_eq!(ketama.points().len(), 2 * 160);
//! assert!(nginx.lookup(b"user:42").unwrap() < 2);
//! assert!(ketama.lookup(b"user:42").unwrap() < 2);
//! ```

use std::collections::HashSet;
use std::fmt;

mod envoy_maglev;
mod envoy_ring;
mod ketama;
mod nginx;

pub use envoy_maglev::{EnvoyMaglev, EnvoyMaglevStats};
pub use envoy_ring::{EnvoyHashFunction, EnvoyRing, EnvoyRingConfig, EnvoyRingStats};
pub use ketama::{KetamaRing, KetamaVariant};
pub use nginx::NginxRing;

/// The most points a ring-shaped preset may hold (16 Mi points, about 600 MiB of ring data).
///
/// Envoy's largest legal ring (8 Mi entries) fits; nginx reaches the limit at a total weight
/// of 104,858.
///
/// ```
/// assert_eq!(hashhalo_core::presets::MAX_POINTS, 1 << 24);
/// ```
pub const MAX_POINTS: u64 = 1 << 24;

/// A server as a production system names it.
///
/// `name` is the exact string the system hashes: nginx's `server` address text, libketama's
/// address column, or Envoy's host key (the address such as `127.0.0.1:80`, the hostname, or
/// the `hash_key` metadata).
///
/// ```
/// use hashhalo_core::presets::PresetServer;
///
/// let s = PresetServer::new("127.0.0.1:8081");
/// assert_eq!(s.name, "127.0.0.1:8081");
/// assert_eq!(s.weight, 1);
/// assert!(s.up);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PresetServer {
    /// The string the system hashes to place the server.
    pub name: String,
    /// The system's weight, at least 1.
    pub weight: u32,
    /// Whether the server takes keys.
    pub up: bool,
}

impl PresetServer {
    /// An up server of weight 1.
    ///
    /// ```
    /// use hashhalo_core::presets::PresetServer;
    ///
    /// assert_eq!(PresetServer::new("a").weight, 1);
    /// ```
    pub fn new(name: impl Into<String>) -> PresetServer {
        PresetServer {
            name: name.into(),
            weight: 1,
            up: true,
        }
    }

    /// The same server with weight `weight`.
    ///
    /// ```
    /// use hashhalo_core::presets::PresetServer;
    ///
    /// assert_eq!(PresetServer::new("a").with_weight(3).weight, 3);
    /// ```
    pub fn with_weight(mut self, weight: u32) -> PresetServer {
        self.weight = weight;
        self
    }

    /// The same server, marked down.
    ///
    /// ```
    /// use hashhalo_core::presets::PresetServer;
    ///
    /// assert!(!PresetServer::new("a").down().up);
    /// ```
    pub fn down(mut self) -> PresetServer {
        self.up = false;
        self
    }
}

/// One ring point of a ring-shaped preset, already on HashHalo's 64-bit ring.
///
/// ```
/// use hashhalo_core::presets::{NginxRing, PresetServer};
///
/// let ring = NginxRing::build(&[PresetServer::new("127.0.0.1:38081")]).unwrap();
/// let first = ring.points().iter().find(|p| p.index == 0).unwrap();
/// assert_eq!(first.position, 681_191_807 << 32); // SPEC.md §1.2's worked example
/// assert_eq!(first.server, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PresetPoint {
    /// The point's position on the 64-bit ring.
    pub position: u64,
    /// The index of the point's server in the slice the ring was built from.
    pub server: usize,
    /// The point's ordinal for that server, counting from 0 in the order the system
    /// generates them.
    pub index: u32,
}

/// The point that answers a lookup, and how far the lookup had to walk to reach it.
///
/// ```
/// use hashhalo_core::presets::{NginxRing, PresetServer};
///
/// let servers = [PresetServer::new("a:1"), PresetServer::new("b:1").down()];
/// let ring = NginxRing::build(&servers).unwrap();
/// let hit = ring.hit(NginxRing::key_position(b"key-0")).unwrap();
/// assert_eq!(hit.server, 0);
/// assert_eq!(ring.points()[hit.point].server, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RingHit {
    /// The index of the answering point in the ring's `points()`.
    pub point: usize,
    /// The index of the answering server in the slice the ring was built from.
    pub server: usize,
    /// How many points of down servers were passed over before the answering point.
    pub skipped: usize,
}

/// An Envoy locality: its weight and the servers in it, for locality-weighted load balancing
/// (`locality_weighted_lb_config`).
///
/// ```
/// use hashhalo_core::presets::EnvoyLocality;
///
/// let zone_a = EnvoyLocality { weight: 2, hosts: vec![0, 1] };
/// assert_eq!(zone_a.hosts.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EnvoyLocality {
    /// The locality's weight; 0 takes the locality out of the ring or table.
    pub weight: u32,
    /// Indices into the server slice, in Envoy's host order within the locality.
    pub hosts: Vec<usize>,
}

/// Why a preset could not be built.
///
/// ```
/// use hashhalo_core::presets::{NginxRing, PresetError, PresetServer};
///
/// assert_eq!(NginxRing::build(&[]).unwrap_err(), PresetError::NoServers);
/// let err = NginxRing::build(&[PresetServer::new("a").with_weight(0)]).unwrap_err();
/// assert_eq!(err, PresetError::ZeroWeight("a".into()));
/// assert_eq!(err.to_string(), "server \"a\" has weight 0; weights start at 1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PresetError {
    /// The server list is empty.
    NoServers,
    /// A server has weight zero, which none of the systems accepts.
    ZeroWeight(String),
    /// Two servers share one name, so they would hash to the same points.
    DuplicateName(String),
    /// The ring would hold more than [`MAX_POINTS`] points.
    TooManyPoints(u64),
    /// There are more servers than a `u32` can count.
    TooManyServers(usize),
    /// Envoy: the weights of the hosts of one locality (or the locality weights) add up to more
    /// than `u32::MAX`, which Envoy rejects.
    WeightSumOverflow,
    /// Envoy: a ring size bound is outside `1..=8388608` (the maximum may be below 1 only if
    /// it is also below the minimum, which reports [`PresetError::MinRingAboveMax`]).
    RingSizeOutOfRange(u64),
    /// Envoy: `minimum_ring_size` is above `maximum_ring_size`.
    MinRingAboveMax {
        /// The configured minimum.
        min: u64,
        /// The configured maximum.
        max: u64,
    },
    /// Envoy: the Maglev table size is not a prime number.
    TableSizeNotPrime(u64),
    /// Envoy: the Maglev table size is above 5,000,011, Envoy's limit.
    TableSizeTooLarge(u64),
    /// Envoy: a locality lists a host index that is not in the server slice.
    LocalityHostOutOfRange {
        /// The locality's position in the list.
        locality: usize,
        /// The host index it lists.
        host: usize,
    },
    /// Envoy: a host is listed in more than one locality, or twice in one.
    LocalityHostRepeated(usize),
    /// Envoy: a host is in no locality.
    LocalityHostMissing(usize),
}

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PresetError::NoServers => write!(f, "the preset has no servers"),
            PresetError::ZeroWeight(name) => {
                write!(
                    f,
                    "server {} has weight 0; weights start at 1",
                    crate::format::quoted(name)
                )
            }
            PresetError::DuplicateName(name) => write!(
                f,
                "two servers share the name {}",
                crate::format::quoted(name)
            ),
            PresetError::TooManyPoints(n) => write!(
                f,
                "{n} ring points in total is more than the limit of {MAX_POINTS}"
            ),
            PresetError::TooManyServers(n) => write!(f, "{n} servers are more than a u32 counts"),
            PresetError::WeightSumOverflow => {
                write!(
                    f,
                    "the weights add up to more than {}, which Envoy rejects",
                    u32::MAX
                )
            }
            PresetError::RingSizeOutOfRange(n) => {
                write!(f, "ring size {n} is outside Envoy's range 1..=8388608")
            }
            PresetError::MinRingAboveMax { min, max } => write!(
                f,
                "ring hash: minimum_ring_size ({min}) > maximum_ring_size ({max})"
            ),
            PresetError::TableSizeNotPrime(m) => {
                write!(f, "the Maglev table size {m} is not a prime number")
            }
            PresetError::TableSizeTooLarge(m) => {
                write!(
                    f,
                    "the Maglev table size {m} is above Envoy's limit of 5000011"
                )
            }
            PresetError::LocalityHostOutOfRange { locality, host } => write!(
                f,
                "locality {locality} lists host {host}, which is not in the server list"
            ),
            PresetError::LocalityHostRepeated(host) => {
                write!(f, "host {host} is listed in more than one locality")
            }
            PresetError::LocalityHostMissing(host) => write!(f, "host {host} is in no locality"),
        }
    }
}

impl std::error::Error for PresetError {}

/// Checks what every preset requires of its server list: at least one server, weights of at
/// least 1, distinct names and a count that fits a `u32`.
fn validate_servers(servers: &[PresetServer]) -> Result<(), PresetError> {
    if servers.is_empty() {
        return Err(PresetError::NoServers);
    }
    if u32::try_from(servers.len()).is_err() {
        return Err(PresetError::TooManyServers(servers.len()));
    }
    let mut names = HashSet::with_capacity(servers.len());
    for s in servers {
        if s.weight == 0 {
            return Err(PresetError::ZeroWeight(s.name.clone()));
        }
        if !names.insert(s.name.as_str()) {
            return Err(PresetError::DuplicateName(s.name.clone()));
        }
    }
    Ok(())
}

/// Marks a missing "next up point".
const NONE: u32 = u32::MAX;

/// The machinery the three ring-shaped presets share: points in lookup order, their positions
/// in a flat array for the binary search, and for each point the first point at or after it
/// whose server is up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct PointRing {
    points: Vec<PresetPoint>,
    positions: Vec<u64>,
    /// For each point, the index of the first point at or clockwise after it whose server is
    /// up, or [`NONE`] when every server is down. Empty when every point's server is up.
    next_up: Vec<u32>,
}

impl PointRing {
    /// Wraps `points`, which must already be sorted in lookup order and hold at most
    /// [`MAX_POINTS`] points; `servers` says which servers are up.
    fn new(points: Vec<PresetPoint>, servers: &[PresetServer]) -> PointRing {
        let positions: Vec<u64> = points.iter().map(|p| p.position).collect();
        let is_up = |p: &PresetPoint| servers.get(p.server).is_some_and(|s| s.up);
        let next_up = if points.iter().all(is_up) {
            Vec::new()
        } else {
            // Two backward sweeps: the first carries the wrap-around, the second writes the
            // final answer for every point.
            let n = points.len();
            let mut next_up = vec![NONE; n];
            let mut next = NONE;
            for k in (0..2 * n).rev() {
                let i = k % n;
                if is_up(&points[i]) {
                    next = i as u32;
                }
                next_up[i] = next;
            }
            next_up
        };
        PointRing {
            points,
            positions,
            next_up,
        }
    }

    /// The index of the first point at or after `position`, wrapping to 0.
    fn first_index(&self, position: u64) -> Option<usize> {
        if self.points.is_empty() {
            return None;
        }
        let i = self.positions.partition_point(|&p| p < position);
        Some(if i == self.points.len() { 0 } else { i })
    }

    /// The first point at or after point `start` whose server is up.
    fn hit_from(&self, start: usize) -> Option<RingHit> {
        let n = self.points.len();
        let point = match self.next_up.get(start) {
            None => start,
            Some(&NONE) => return None,
            Some(&next) => next as usize,
        };
        let skipped = if point >= start {
            point - start
        } else {
            point + n - start
        };
        Some(RingHit {
            point,
            server: self.points[point].server,
            skipped,
        })
    }

    fn hit(&self, position: u64) -> Option<RingHit> {
        self.hit_from(self.first_index(position)?)
    }
}
