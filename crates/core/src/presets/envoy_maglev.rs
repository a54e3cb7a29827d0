//! Envoy's `MAGLEV` load balancer (SPEC.md §4).

use xxhash_rust::xxh64::xxh64;

use super::envoy_ring::normalize;
use super::{EnvoyLocality, PresetError, PresetServer};
use crate::maglev_table::{self, MaglevEntry};

/// The gauges Envoy's Maglev load balancer reports (`maglev_lb.*`).
///
/// ```
/// use hashhalo_core::presets::{EnvoyMaglev, PresetServer};
///
/// let servers = [PresetServer::new("127.0.0.1:90"), PresetServer::new("127.0.0.1:91").with_weight(2)];
/// let stats = EnvoyMaglev::build(&servers, 17).unwrap().stats();
/// // Envoy's Weighted test.
/// assert_eq!((stats.min_entries_per_host, stats.max_entries_per_host), (6, 11));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EnvoyMaglevStats {
    /// `min_entries_per_host`: the fewest slots a host in the table owns.
    pub min_entries_per_host: u64,
    /// `max_entries_per_host`: the most slots a host in the table owns.
    pub max_entries_per_host: u64,
}

/// Envoy's Maglev load balancer (`MAGLEV`).
///
/// Follows `MaglevTable::constructMaglevTableInternal`, `OriginalMaglevTable` (the compact
/// table fills identically) and `chooseHost` of Envoy's `maglev_lb.cc` (Envoy 1.27 and later),
/// checked against the expectations of Envoy's `maglev_lb_test.cc`:
///
/// - Weights are normalised as for [`EnvoyRing`](super::EnvoyRing) (per locality, when
///   localities are given).
/// - Hosts are sorted by name (byte-wise); host `key` gets `offset = xxh64(key, 0) mod M` and
///   `skip = xxh64(key, 1) mod (M − 1) + 1`, and the table is filled by
///   [`maglev_table::fill`] with the normalised weights.
/// - Request hash `h` goes to `table[h mod M]`; retry attempt `a > 0` first flips `h` with
///   `2⁶⁴ − a` ([`EnvoyMaglev::lookup_attempt`]).
///
/// Down servers: Envoy builds the table from the *healthy* hosts only, so a down server owns
/// no slot and the table is rebuilt around it (moving some other keys too, as Maglev's
/// minimal-disruption property is only approximate). Envoy's panic mode, which by default puts
/// every host back when fewer than half are healthy, is not modelled. Before Envoy 1.27 the
/// fill order was the host-set order rather than sorted by name; that is not modelled either.
///
/// ```
/// use hashhalo_core::presets::{EnvoyMaglev, PresetServer};
///
/// let servers: Vec<_> = (90..96).map(|p| PresetServer::new(format!("127.0.0.1:{p}"))).collect();
/// let maglev = EnvoyMaglev::build(&servers, 7).unwrap();
/// // Envoy's Basic test: the table is 92, 94, 90, 91, 95, 90, 93.
/// assert_eq!(maglev.table(), [2, 4, 0, 1, 5, 0, 3]);
/// assert_eq!(maglev.lookup_position(0), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvoyMaglev {
    table: Vec<u32>,
    table_size: u64,
    stats: EnvoyMaglevStats,
}

impl EnvoyMaglev {
    /// Envoy's default table size, `DefaultTableSize`.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::presets::EnvoyMaglev::DEFAULT_TABLE_SIZE, 65_537);
    /// ```
    pub const DEFAULT_TABLE_SIZE: u64 = 65_537;

    /// The largest table size Envoy accepts.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::presets::EnvoyMaglev::MAX_TABLE_SIZE, 5_000_011);
    /// ```
    pub const MAX_TABLE_SIZE: u64 = 5_000_011;

    /// Builds the table of the up `servers` without locality weighting.
    ///
    /// Fails if `servers` is empty, a weight is 0, two names are equal, the weights add up to
    /// more than `u32::MAX`, or `table_size` breaks Envoy's rules: it must be prime and at
    /// most [`EnvoyMaglev::MAX_TABLE_SIZE`]. Envoy does not require the table to be at least
    /// as large as the number of hosts; with fewer slots than hosts some hosts own none.
    /// Every server down is not an error: the table is empty and lookups return `None`.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyMaglev, PresetError, PresetServer};
    ///
    /// let servers = [PresetServer::new("127.0.0.1:90")];
    /// assert_eq!(EnvoyMaglev::build(&servers, 8).unwrap_err(), PresetError::TableSizeNotPrime(8));
    /// let maglev = EnvoyMaglev::build(&servers, EnvoyMaglev::DEFAULT_TABLE_SIZE).unwrap();
    /// assert_eq!(maglev.table().len(), 65_537);
    /// ```
    pub fn build(servers: &[PresetServer], table_size: u64) -> Result<EnvoyMaglev, PresetError> {
        Self::build_inner(servers, None, table_size)
    }

    /// Builds the table with locality-weighted load balancing: each locality of non-zero
    /// weight gets `weight / Σ weights` of the table, shared by its up hosts by their weights.
    /// Every server must be in exactly one locality.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyLocality, EnvoyMaglev, PresetServer};
    ///
    /// let servers = [PresetServer::new("127.0.0.1:90"), PresetServer::new("127.0.0.1:91").with_weight(2)];
    /// let localities = [
    ///     EnvoyLocality { weight: 1, hosts: vec![0] },
    ///     EnvoyLocality { weight: 1, hosts: vec![1] },
    /// ];
    /// let stats = EnvoyMaglev::build_with_localities(&servers, &localities, 17).unwrap().stats();
    /// // Envoy's LocalityWeightedSameLocalityWeights test: 8 and 9 slots.
    /// assert_eq!((stats.min_entries_per_host, stats.max_entries_per_host), (8, 9));
    /// ```
    pub fn build_with_localities(
        servers: &[PresetServer],
        localities: &[EnvoyLocality],
        table_size: u64,
    ) -> Result<EnvoyMaglev, PresetError> {
        Self::build_inner(servers, Some(localities), table_size)
    }

    fn build_inner(
        servers: &[PresetServer],
        localities: Option<&[EnvoyLocality]>,
        table_size: u64,
    ) -> Result<EnvoyMaglev, PresetError> {
        super::validate_servers(servers)?;
        if table_size > Self::MAX_TABLE_SIZE {
            return Err(PresetError::TableSizeTooLarge(table_size));
        }
        if !is_prime(table_size) {
            return Err(PresetError::TableSizeNotPrime(table_size));
        }
        let hosts = normalize(servers, localities)?.hosts;
        // Envoy sorts (key, host pointer, weight) tuples; names are distinct, so the key
        // decides. The fill takes the largest weight itself, as Envoy's `max_normalized_weight`
        // over the same hosts.
        let order = crate::order::order_by_cmp(hosts.len(), &|a, b| {
            servers[hosts[a].0]
                .name
                .as_bytes()
                .cmp(servers[hosts[b].0].name.as_bytes())
        });
        let hosts: Vec<(usize, f64)> = order.iter().map(|&i| hosts[i as usize]).collect();
        let entries: Vec<MaglevEntry> = hosts
            .iter()
            .map(|&(server, weight)| {
                let key = servers[server].name.as_bytes();
                MaglevEntry::from_hashes(xxh64(key, 0), xxh64(key, 1), table_size, weight)
            })
            .collect();
        let filled = maglev_table::fill(&entries, table_size);

        let mut counts = vec![0u64; hosts.len()];
        for &e in &filled {
            counts[e as usize] += 1;
        }
        let stats = EnvoyMaglevStats {
            min_entries_per_host: counts.iter().copied().min().unwrap_or(0),
            max_entries_per_host: counts.iter().copied().max().unwrap_or(0),
        };
        // `validate_servers` has checked that server indices fit a u32.
        let table = filled.iter().map(|&e| hosts[e as usize].0 as u32).collect();
        Ok(EnvoyMaglev {
            table,
            table_size,
            stats,
        })
    }

    /// The table: for each slot, the index (into the server slice) of the server that owns
    /// it. Empty when every server is down or every locality has weight 0.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyMaglev, PresetServer};
    ///
    /// let servers = [PresetServer::new("a:1"), PresetServer::new("b:1").down()];
    /// let maglev = EnvoyMaglev::build(&servers, 13).unwrap();
    /// assert!(maglev.table().iter().all(|&s| s == 0));
    /// ```
    pub fn table(&self) -> &[u32] {
        &self.table
    }

    /// The table size `M` the table was built with (also when the table is empty).
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyMaglev, PresetServer};
    ///
    /// let maglev = EnvoyMaglev::build(&[PresetServer::new("a:1").down()], 13).unwrap();
    /// assert_eq!(maglev.table_size(), 13);
    /// assert!(maglev.table().is_empty());
    /// ```
    pub fn table_size(&self) -> u64 {
        self.table_size
    }

    /// The gauges Envoy would report for this table (0 and 0 for an empty table).
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyMaglev, PresetServer};
    ///
    /// let maglev = EnvoyMaglev::build(&[PresetServer::new("a:1"), PresetServer::new("b:1")], 13)
    ///     .unwrap();
    /// let stats = maglev.stats();
    /// assert_eq!(stats.min_entries_per_host + stats.max_entries_per_host, 13);
    /// ```
    pub fn stats(&self) -> EnvoyMaglevStats {
        self.stats
    }

    /// The request hash of `key`: `xxh64(key, 0)`.
    ///
    /// ```
    /// use hashhalo_core::presets::EnvoyMaglev;
    ///
    /// assert_eq!(EnvoyMaglev::key_position(b"key-0"), 1_358_662_563_146_998_643);
    /// ```
    pub fn key_position(key: &[u8]) -> u64 {
        xxh64(key, 0)
    }

    /// The server that request hash `hash` goes to on the first attempt: `table[hash % M]`.
    /// `None` only when the table is empty (every server down, or every locality of weight 0).
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyMaglev, PresetServer};
    ///
    /// let maglev = EnvoyMaglev::build(&[PresetServer::new("a:1")], 7).unwrap();
    /// assert_eq!(maglev.lookup_position(u64::MAX), Some(0));
    /// ```
    pub fn lookup_position(&self, hash: u64) -> Option<usize> {
        self.lookup_attempt(hash, 0)
    }

    /// The server of retry attempt `attempt` (0 for the first try) of request hash `hash`:
    /// Envoy replaces `hash` by `hash ^ (2⁶⁴ − attempt)` for `attempt > 0`.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyMaglev, PresetServer};
    ///
    /// let servers: Vec<_> = (90..96).map(|p| PresetServer::new(format!("127.0.0.1:{p}"))).collect();
    /// let maglev = EnvoyMaglev::build(&servers, 7).unwrap();
    /// // Envoy's BasicWithRetryHostPredicate test: hash 10 goes to 91, then 90, then 95.
    /// assert_eq!(maglev.lookup_attempt(10, 0), Some(1));
    /// assert_eq!(maglev.lookup_attempt(10, 1), Some(0));
    /// assert_eq!(maglev.lookup_attempt(10, 2), Some(5));
    /// ```
    pub fn lookup_attempt(&self, hash: u64, attempt: u32) -> Option<usize> {
        if self.table.is_empty() {
            return None;
        }
        let hash = if attempt > 0 {
            hash ^ u64::from(attempt).wrapping_neg()
        } else {
            hash
        };
        let slot = (hash % self.table_size) as usize;
        self.table.get(slot).map(|&s| s as usize)
    }

    /// The server that `key` goes to on the first attempt.
    ///
    /// ```
    /// use hashhalo_core::presets::{EnvoyMaglev, PresetServer};
    ///
    /// let maglev = EnvoyMaglev::build(&[PresetServer::new("a:1"), PresetServer::new("b:1")], 7)
    ///     .unwrap();
    /// assert_eq!(maglev.lookup(b"k"), maglev.lookup_position(EnvoyMaglev::key_position(b"k")));
    /// ```
    pub fn lookup(&self, key: &[u8]) -> Option<usize> {
        self.lookup_position(Self::key_position(key))
    }
}

/// Whether `n` is prime, by trial division (fine for `n ≤ 5,000,011`).
fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n.is_multiple_of(2) {
        return n == 2;
    }
    let mut d = 3u64;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 2;
    }
    true
}
