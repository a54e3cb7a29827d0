//! The ring with virtual nodes (Karger et al., 1997).

use std::fmt::Write as _;

use crate::{HashFn, RingError, Server, ServerId, Status};

/// The most virtual nodes a ring may hold in total (4 Mi points, 64 MiB of ring data).
///
/// ```
/// assert_eq!(hashhalo_core::Ring::MAX_POINTS, 1 << 22);
/// ```
pub const MAX_POINTS: u64 = 1 << 22;

/// How a ring is built.
///
/// ```
/// use hashhalo_core::{HashFn, RingConfig};
///
/// let config = RingConfig { vnodes: 100, ..RingConfig::default() };
/// assert_eq!(config.hash, HashFn::Xxh3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RingConfig {
    /// Virtual nodes for a server of weight 1; a server of weight `w` gets `w * vnodes`.
    pub vnodes: u32,
    /// The hash that places virtual nodes and keys.
    pub hash: HashFn,
}

impl Default for RingConfig {
    /// 100 virtual nodes per unit of weight, hashed with xxh3.
    fn default() -> RingConfig {
        RingConfig {
            vnodes: 100,
            hash: HashFn::Xxh3,
        }
    }
}

/// One virtual node: where it sits and whose it is.
///
/// ```
/// use hashhalo_core::{Ring, RingConfig, Server};
///
/// let ring = Ring::build(&[Server::new(0, "A")], &RingConfig { vnodes: 3, ..Default::default() })
///     .unwrap();
/// let points: Vec<_> = ring.points().collect();
/// assert_eq!(points.len(), 3);
/// assert!(points.windows(2).all(|w| w[0].position <= w[1].position));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VnodePoint {
    /// Ring position.
    pub position: u64,
    /// The server the point belongs to.
    pub server: ServerId,
    /// Which of the server's virtual nodes this is, counting from 0.
    pub index: u32,
}

/// A maximal run of the ring owned by one server: the positions in `(start, end]`, clockwise.
///
/// When a single arc covers the whole ring, `start == end`.
///
/// ```
/// use hashhalo_core::{Ring, RingConfig, Server};
///
/// let ring = Ring::build(&[Server::new(0, "A")], &RingConfig::default()).unwrap();
/// let arcs = ring.arcs();
/// assert_eq!(arcs.len(), 1);
/// assert_eq!(arcs[0].start, arcs[0].end);
/// assert_eq!(arcs[0].len(), 1u128 << 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arc {
    /// The position just before the arc (exclusive).
    pub start: u64,
    /// The last position of the arc (inclusive): the owning virtual node.
    pub end: u64,
    /// The server that keys on this arc go to.
    pub owner: ServerId,
}

impl Arc {
    /// The number of positions on the arc, from 1 to 2⁶⁴.
    ///
    /// ```
    /// use hashhalo_core::{Arc, ServerId};
    ///
    /// let arc = Arc { start: u64::MAX - 1, end: 2, owner: ServerId(0) };
    /// assert_eq!(arc.len(), 4); // u64::MAX, 0, 1, 2
    /// ```
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> u128 {
        match self.end.wrapping_sub(self.start) {
            0 => 1u128 << 64,
            n => u128::from(n),
        }
    }
}

/// A consistent-hash ring: every server's virtual nodes, sorted by position.
///
/// The points are kept as flat arrays, positions apart from owners, so a lookup is a binary
/// search over a dense `u64` slice.
///
/// ```
/// use hashhalo_core::{Ring, RingConfig, Server};
///
/// let servers = [Server::new(0, "A"), Server::new(1, "B")];
/// let ring = Ring::build(&servers, &RingConfig::default()).unwrap();
/// let owner = ring.lookup(b"user:42").unwrap();
/// assert!(owner.0 < 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Ring {
    config: RingConfig,
    servers: Vec<Server>,
    positions: Vec<u64>,
    /// Index into `servers` of each point's server.
    owners: Vec<u32>,
    /// Virtual-node index of each point.
    indices: Vec<u32>,
}

impl Ring {
    /// The most virtual nodes a ring may hold in total.
    pub const MAX_POINTS: u64 = MAX_POINTS;

    /// Places every server's virtual nodes.
    ///
    /// Points that land on the same position are ordered by server id, then by virtual-node
    /// index, so the result never depends on the order of `servers`.
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, RingError, Server};
    ///
    /// let mut b = Server::new(1, "B");
    /// b.weight = 2;
    /// let ring = Ring::build(&[Server::new(0, "A"), b], &RingConfig::default()).unwrap();
    /// assert_eq!(ring.len(), 300);
    ///
    /// let twins = [Server::new(0, "A"), Server::new(1, "A")];
    /// assert_eq!(
    ///     Ring::build(&twins, &RingConfig::default()).unwrap_err(),
    ///     RingError::DuplicateLabel("A".into())
    /// );
    /// ```
    pub fn build(servers: &[Server], config: &RingConfig) -> Result<Ring, RingError> {
        validate(servers, config)?;
        let total: u64 = servers
            .iter()
            .map(|s| u64::from(s.weight) * u64::from(config.vnodes))
            .sum();
        let mut points: Vec<(u64, u32, u32, u32)> = Vec::with_capacity(total as usize);
        let mut name = String::new();
        for (slot, server) in servers.iter().enumerate() {
            let count = server.weight * config.vnodes;
            for i in 0..count {
                name.clear();
                name.push_str(&server.label);
                name.push('#');
                write!(name, "{i}").expect("writing to a String cannot fail");
                let position = config.hash.hash(name.as_bytes());
                points.push((position, server.id.0, i, slot as u32));
            }
        }
        points.sort_unstable();
        Ok(Ring {
            config: *config,
            servers: servers.to_vec(),
            positions: points.iter().map(|p| p.0).collect(),
            owners: points.iter().map(|p| p.3).collect(),
            indices: points.iter().map(|p| p.2).collect(),
        })
    }

    /// The configuration the ring was built with.
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server};
    ///
    /// let config = RingConfig { vnodes: 7, ..Default::default() };
    /// let ring = Ring::build(&[Server::new(0, "A")], &config).unwrap();
    /// assert_eq!(ring.config().vnodes, 7);
    /// ```
    pub fn config(&self) -> &RingConfig {
        &self.config
    }

    /// The servers, in the order given to [`Ring::build`].
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server};
    ///
    /// let ring = Ring::build(&[Server::new(4, "A")], &RingConfig::default()).unwrap();
    /// assert_eq!(ring.servers()[0].label, "A");
    /// ```
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    /// The number of virtual nodes on the ring.
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server};
    ///
    /// let ring = Ring::build(&[Server::new(0, "A")], &RingConfig::default()).unwrap();
    /// assert_eq!(ring.len(), 100);
    /// assert!(!ring.is_empty());
    /// ```
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether the ring has no points. A built ring always has at least one.
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server};
    ///
    /// let ring = Ring::build(&[Server::new(0, "A")], &RingConfig::default()).unwrap();
    /// assert!(!ring.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Every virtual node in clockwise order from position 0.
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server, ServerId};
    ///
    /// let ring = Ring::build(&[Server::new(9, "A")], &RingConfig::default()).unwrap();
    /// assert!(ring.points().all(|p| p.server == ServerId(9)));
    /// ```
    pub fn points(&self) -> impl ExactSizeIterator<Item = VnodePoint> + '_ {
        (0..self.positions.len()).map(move |i| VnodePoint {
            position: self.positions[i],
            server: self.servers[self.owners[i] as usize].id,
            index: self.indices[i],
        })
    }

    /// The index of the first point at or clockwise after `position`.
    fn successor(&self, position: u64) -> usize {
        let i = self.positions.partition_point(|&p| p < position);
        if i == self.positions.len() { 0 } else { i }
    }

    /// The slot in `servers` of the first up server at or clockwise after point `start`.
    fn first_up_from(&self, start: usize) -> Option<u32> {
        let n = self.positions.len();
        (0..n)
            .map(|step| self.owners[(start + step) % n])
            .find(|&slot| self.servers[slot as usize].status == Status::Up)
    }

    /// The server that owns ring position `position`, skipping down servers; `None` when every
    /// server is down.
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server};
    ///
    /// let ring = Ring::build(&[Server::new(0, "A"), Server::new(1, "B")], &RingConfig::default())
    ///     .unwrap();
    /// let first = ring.points().next().unwrap();
    /// // A position exactly on a point belongs to that point.
    /// assert_eq!(ring.lookup_position(first.position), Some(first.server));
    /// ```
    pub fn lookup_position(&self, position: u64) -> Option<ServerId> {
        let slot = self.first_up_from(self.successor(position))?;
        Some(self.servers[slot as usize].id)
    }

    /// The server that owns `key`, hashed with the ring's hash function.
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server};
    ///
    /// let ring = Ring::build(&[Server::new(0, "A")], &RingConfig::default()).unwrap();
    /// assert_eq!(ring.lookup(b"anything").unwrap().0, 0);
    /// ```
    pub fn lookup(&self, key: &[u8]) -> Option<ServerId> {
        self.lookup_position(self.config.hash.hash(key))
    }

    /// The owner of every key of `keys`, in the key set's order.
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource, Ring, RingConfig, Server};
    ///
    /// let ring = Ring::build(&[Server::new(0, "A")], &RingConfig::default()).unwrap();
    /// let keys = KeySet::generate(&KeySource { count: 10, ..Default::default() });
    /// assert!(ring.assign(&keys).iter().all(|o| o.unwrap().0 == 0));
    /// ```
    pub fn assign(&self, keys: &crate::KeySet) -> Vec<Option<ServerId>> {
        keys.positions()
            .iter()
            .map(|&h| self.lookup_position(h))
            .collect()
    }

    /// The ring cut into maximal arcs of one effective owner (down servers' points are given to
    /// the next up server), clockwise from position 0. Empty when every server is down.
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server};
    ///
    /// let servers = [Server::new(0, "A"), Server::new(1, "B")];
    /// let ring = Ring::build(&servers, &RingConfig::default()).unwrap();
    /// let total: u128 = ring.arcs().iter().map(|a| a.len()).sum();
    /// assert_eq!(total, 1u128 << 64);
    /// ```
    pub fn arcs(&self) -> Vec<Arc> {
        let n = self.positions.len();
        let Some(_) = self.first_up_from(0) else {
            return Vec::new();
        };
        // The effective owner of each point, found by one backwards sweep.
        let mut effective = vec![0u32; n];
        let mut next_up = self.first_up_from(0).expect("checked above");
        for i in (0..n).rev() {
            let slot = self.owners[i];
            if self.servers[slot as usize].status == Status::Up {
                next_up = slot;
            }
            effective[i] = next_up;
        }
        // The wrap: points after the last up point belong to the first up point.
        let mut arcs: Vec<Arc> = Vec::new();
        for (i, &slot) in effective.iter().enumerate() {
            let owner = self.servers[slot as usize].id;
            let prev = self.positions[(i + n - 1) % n];
            match arcs.last_mut() {
                Some(last) if last.owner == owner => last.end = self.positions[i],
                _ => arcs.push(Arc {
                    start: prev,
                    end: self.positions[i],
                    owner,
                }),
            }
        }
        // The first and last arc meet at position 0 when they share an owner.
        if arcs.len() > 1 && arcs[0].owner == arcs[arcs.len() - 1].owner {
            let last = arcs.pop().expect("len > 1");
            arcs[0].start = last.start;
        }
        arcs
    }

    /// Each server's exact share of the ring, from 0 to 1, in the order of [`Ring::servers`].
    /// Down servers own nothing.
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server};
    ///
    /// let servers = [Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C")];
    /// let ring = Ring::build(&servers, &RingConfig::default()).unwrap();
    /// let shares = ring.ownership();
    /// assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    /// ```
    pub fn ownership(&self) -> Vec<f64> {
        let mut owned = vec![0u128; self.servers.len()];
        for arc in self.arcs() {
            let slot = self
                .slot_of(arc.owner)
                .expect("arc owners are ring servers");
            owned[slot] += arc.len();
        }
        owned.iter().map(|&o| o as f64 / 2f64.powi(64)).collect()
    }

    /// The position of `id` in [`Ring::servers`].
    ///
    /// ```
    /// use hashhalo_core::{Ring, RingConfig, Server, ServerId};
    ///
    /// let ring = Ring::build(&[Server::new(5, "A")], &RingConfig::default()).unwrap();
    /// assert_eq!(ring.slot_of(ServerId(5)), Some(0));
    /// assert_eq!(ring.slot_of(ServerId(6)), None);
    /// ```
    pub fn slot_of(&self, id: ServerId) -> Option<usize> {
        self.servers.iter().position(|s| s.id == id)
    }
}

fn validate(servers: &[Server], config: &RingConfig) -> Result<(), RingError> {
    if servers.is_empty() {
        return Err(RingError::NoServers);
    }
    if config.vnodes == 0 {
        return Err(RingError::ZeroVnodes);
    }
    let mut ids: Vec<u32> = servers.iter().map(|s| s.id.0).collect();
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(RingError::DuplicateId(w[0]));
    }
    let mut labels: Vec<&str> = servers.iter().map(|s| s.label.as_str()).collect();
    labels.sort_unstable();
    if let Some(w) = labels.windows(2).find(|w| w[0] == w[1]) {
        return Err(RingError::DuplicateLabel(w[0].to_string()));
    }
    if let Some(s) = servers.iter().find(|s| s.weight == 0) {
        return Err(RingError::ZeroWeight(s.label.clone()));
    }
    let total: u64 = servers
        .iter()
        .map(|s| u64::from(s.weight) * u64::from(config.vnodes))
        .sum();
    if total > MAX_POINTS {
        return Err(RingError::TooManyPoints(total));
    }
    Ok(())
}
