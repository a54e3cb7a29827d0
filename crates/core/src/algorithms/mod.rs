//! Every placement algorithm behind one interface, [`Router`], so a user can switch between
//! them and compare.
//!
//! | algorithm | paper | adding a server moves | weights | state |
//! | --- | --- | --- | --- | --- |
//! | [`Algorithm::Modulo`] | (the baseline) `hash mod n` | almost every key | no | none |
//! | [`Algorithm::Ring`] | Karger et al., STOC 1997 | about `1/(n+1)`, only to the new server | virtual nodes | `O(n·v)` |
//! | [`Algorithm::Jump`] | Lamping and Veach, 2014 | exactly the minimum, only at the end of the list | no | none |
//! | [`Algorithm::Rendezvous`] | Thaler and Ravishankar, 1998; weighted by Schindelhauer and Schomaker, 2005 | the minimum | yes | none; `O(n)` a lookup |
//! | [`Algorithm::Maglev`] | Eisenbud et al., NSDI 2016 | a little over the minimum | yes | a table of `M` slots |
//! | [`Algorithm::MultiProbe`] | Appleton and O'Reilly, 2015 | about the minimum | points per weight | `O(n)`; `k` probes a lookup |
//! | [`Algorithm::BoundedLoads`] | Mirrokni, Thorup and Zadimoghaddam, SODA 2018 | a few more than the ring, to respect the cap | virtual nodes | a ring and a load count |
//! | [`Algorithm::Anchor`] | Mendelson et al., ToN 2021 | the minimum when the changed server has the lowest id among the removed (see below) | no | `O(a)` for an anchor of `a` |
//!
//! The production presets ([`Algorithm::Nginx`], [`Algorithm::Libketama`],
//! [`Algorithm::EnvoyRing`], [`Algorithm::EnvoyMaglev`]) place points and hash keys exactly as
//! those systems do; see [`crate::presets`].
//!
//! AnchorHash keeps no history here: each router removes the buckets without an up server in
//! descending id order. Failing or restoring a server whose id is below every removed one is
//! then exactly AnchorHash's own remove or add (the minimum); other orders, or an anchor that
//! grows past 64 servers, may move more keys, which movement accounting reports as it is.
//! Modulo mixes the key hash before `mod n`, so hashes that fill only their top bits (md5,
//! crc32, toy) still reach every server.
//!
//! A down server is never removed: it keeps its place, and its keys fail over to the next
//! choice of its algorithm, coming back when it is restored. Each algorithm's preference list
//! (for replication) is that same sequence of choices.

pub mod anchor;
pub mod jump;

use std::fmt;

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::maglev_table::{self, MaglevEntry};
use crate::presets::{
    self, EnvoyMaglev, EnvoyRing, EnvoyRingConfig, KetamaRing, NginxRing, PresetServer,
};
use crate::{HashFn, KeySet, Ring, RingConfig, RingError, Server, ServerId};

/// A placement algorithm.
///
/// ```
/// use hashhalo_core::algorithms::Algorithm;
///
/// assert_eq!(Algorithm::from_name("jump"), Some(Algorithm::Jump));
/// assert_eq!(Algorithm::Jump.name(), "jump");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Algorithm {
    /// `hash mod n`: the baseline that moves almost everything.
    Modulo,
    /// The ring with virtual nodes.
    #[default]
    Ring,
    /// Jump consistent hash.
    Jump,
    /// Weighted rendezvous (highest random weight) hashing.
    Rendezvous,
    /// Maglev's lookup table.
    Maglev,
    /// Multi-probe consistent hashing.
    MultiProbe,
    /// Consistent hashing with bounded loads, over a key set.
    BoundedLoads,
    /// AnchorHash.
    Anchor,
    /// nginx's `hash $key consistent`.
    Nginx,
    /// libketama, as memcached clients use it.
    Libketama,
    /// Envoy's `ring_hash` load balancer.
    EnvoyRing,
    /// Envoy's `maglev` load balancer.
    EnvoyMaglev,
}

impl Algorithm {
    /// Every algorithm, in menu order.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::algorithms::Algorithm::ALL.len(), 12);
    /// ```
    pub const ALL: [Algorithm; 12] = [
        Algorithm::Modulo,
        Algorithm::Ring,
        Algorithm::Jump,
        Algorithm::Rendezvous,
        Algorithm::Maglev,
        Algorithm::MultiProbe,
        Algorithm::BoundedLoads,
        Algorithm::Anchor,
        Algorithm::Nginx,
        Algorithm::Libketama,
        Algorithm::EnvoyRing,
        Algorithm::EnvoyMaglev,
    ];

    /// The name used on the command line and in links.
    ///
    /// ```
    /// use hashhalo_core::algorithms::Algorithm;
    ///
    /// assert_eq!(Algorithm::EnvoyMaglev.name(), "envoy-maglev");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Modulo => "modulo",
            Algorithm::Ring => "ring",
            Algorithm::Jump => "jump",
            Algorithm::Rendezvous => "rendezvous",
            Algorithm::Maglev => "maglev",
            Algorithm::MultiProbe => "multi-probe",
            Algorithm::BoundedLoads => "bounded-loads",
            Algorithm::Anchor => "anchor",
            Algorithm::Nginx => "nginx",
            Algorithm::Libketama => "libketama",
            Algorithm::EnvoyRing => "envoy-ring",
            Algorithm::EnvoyMaglev => "envoy-maglev",
        }
    }

    /// The algorithm named `name`, if any.
    ///
    /// ```
    /// use hashhalo_core::algorithms::Algorithm;
    ///
    /// assert_eq!(Algorithm::from_name("nginx"), Some(Algorithm::Nginx));
    /// assert_eq!(Algorithm::from_name("chord"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether the algorithm places points on a ring (so it can be drawn as arcs).
    ///
    /// ```
    /// use hashhalo_core::algorithms::Algorithm;
    ///
    /// assert!(Algorithm::Nginx.is_ring());
    /// assert!(!Algorithm::Jump.is_ring());
    /// ```
    pub fn is_ring(self) -> bool {
        matches!(
            self,
            Algorithm::Ring
                | Algorithm::BoundedLoads
                | Algorithm::MultiProbe
                | Algorithm::Nginx
                | Algorithm::Libketama
                | Algorithm::EnvoyRing
        )
    }

    /// Whether the algorithm places `weight × vnodes` hashed virtual nodes per server, so the
    /// virtual-node count matters and points can be dragged or pinned (the plain ring and
    /// bounded loads; the presets place their own points).
    ///
    /// ```
    /// use hashhalo_core::algorithms::Algorithm;
    ///
    /// assert!(Algorithm::BoundedLoads.uses_vnodes());
    /// assert!(!Algorithm::Nginx.uses_vnodes() && !Algorithm::Maglev.uses_vnodes());
    /// ```
    pub fn uses_vnodes(self) -> bool {
        matches!(self, Algorithm::Ring | Algorithm::BoundedLoads)
    }

    /// Whether the ring can be drawn as arcs of its points' owners: every ring algorithm but
    /// multi-probe, whose owner is the nearest of several probes. For bounded loads the arcs
    /// are the owners before the load cap, which sends some keys further round.
    ///
    /// ```
    /// use hashhalo_core::algorithms::Algorithm;
    ///
    /// assert!(Algorithm::EnvoyRing.draws_arcs());
    /// assert!(!Algorithm::MultiProbe.draws_arcs() && !Algorithm::Jump.draws_arcs());
    /// ```
    pub fn draws_arcs(self) -> bool {
        self.is_ring() && self != Algorithm::MultiProbe
    }

    /// Whether the algorithm hashes keys with its own system's function, whatever the lab's
    /// hash is (the production presets).
    ///
    /// ```
    /// use hashhalo_core::algorithms::Algorithm;
    ///
    /// assert!(Algorithm::Libketama.fixes_hash());
    /// assert!(!Algorithm::Ring.fixes_hash());
    /// ```
    pub fn fixes_hash(self) -> bool {
        matches!(
            self,
            Algorithm::Nginx | Algorithm::Libketama | Algorithm::EnvoyRing | Algorithm::EnvoyMaglev
        )
    }

    /// What an exact share of each server is a share of, where one exists: the ring's arcs,
    /// or Maglev's table slots. The others give shares only in expectation.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, ShareOf};
    ///
    /// assert_eq!(Algorithm::Ring.exact_share_of(), Some(ShareOf::Ring));
    /// assert_eq!(Algorithm::EnvoyMaglev.exact_share_of(), Some(ShareOf::Table));
    /// assert_eq!(Algorithm::Jump.exact_share_of(), None);
    /// ```
    pub fn exact_share_of(self) -> Option<ShareOf> {
        match self {
            Algorithm::Maglev | Algorithm::EnvoyMaglev => Some(ShareOf::Table),
            a if a.draws_arcs() => Some(ShareOf::Ring),
            _ => None,
        }
    }

    /// How the algorithm means servers to share keys, for the minimum possible movement:
    /// equally for those without weights (modulo, jump, AnchorHash), else by weight.
    ///
    /// ```
    /// use hashhalo_core::{algorithms::Algorithm, movement::Shares};
    ///
    /// assert_eq!(Algorithm::Jump.shares(), Shares::Equal);
    /// assert_eq!(Algorithm::Ring.shares(), Shares::Weighted);
    /// ```
    pub fn shares(self) -> crate::movement::Shares {
        match self {
            Algorithm::Modulo | Algorithm::Jump | Algorithm::Anchor => {
                crate::movement::Shares::Equal
            }
            _ => crate::movement::Shares::Weighted,
        }
    }

    /// Whether [`Router::assign`] walks the sorted keys and the ring's points together in one
    /// merge (the ring and the ring presets): a million keys in a few milliseconds, where the
    /// other algorithms route each key on its own (bounded loads also keeps a cap a server).
    ///
    /// ```
    /// use hashhalo_core::algorithms::Algorithm;
    ///
    /// assert!(Algorithm::Ring.merges() && Algorithm::Nginx.merges());
    /// assert!(!Algorithm::Rendezvous.merges() && !Algorithm::BoundedLoads.merges());
    /// ```
    pub fn merges(self) -> bool {
        matches!(
            self,
            Algorithm::Ring | Algorithm::Nginx | Algorithm::Libketama | Algorithm::EnvoyRing
        )
    }

    /// The hash function keys are placed with: the configured one, except for the presets,
    /// which use their system's (nginx: crc32, libketama: md5, Envoy: xxh64).
    ///
    /// ```
    /// use hashhalo_core::{algorithms::Algorithm, HashFn};
    ///
    /// assert_eq!(Algorithm::Nginx.key_hash(HashFn::Xxh3), HashFn::Crc32);
    /// assert_eq!(Algorithm::Ring.key_hash(HashFn::Fnv1a), HashFn::Fnv1a);
    /// ```
    pub fn key_hash(self, configured: HashFn) -> HashFn {
        match self {
            Algorithm::Nginx => HashFn::Crc32,
            Algorithm::Libketama => HashFn::Md5,
            Algorithm::EnvoyRing | Algorithm::EnvoyMaglev => HashFn::Xxh64,
            _ => configured,
        }
    }
}

/// What a server's exact share is a share of.
///
/// ```
/// use hashhalo_core::algorithms::ShareOf;
///
/// assert_ne!(ShareOf::Ring, ShareOf::Table);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareOf {
    /// The ring: the arcs a server owns.
    Ring,
    /// A lookup table: the slots a server owns.
    Table,
}

/// How a [`Router`] is built: the algorithm and its parameters.
///
/// ```
/// use hashhalo_core::algorithms::{Algorithm, RouterConfig};
///
/// let config = RouterConfig { algorithm: Algorithm::Maglev, ..RouterConfig::default() };
/// assert_eq!(config.maglev_table_size, 65_537);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RouterConfig {
    /// Which algorithm.
    pub algorithm: Algorithm,
    /// The hash for keys and points (the presets use their own; see [`Algorithm::key_hash`]).
    pub hash: HashFn,
    /// Virtual nodes per unit of weight, for the ring and bounded loads.
    pub vnodes: u32,
    /// Maglev's table size `M`: a prime at least the number of servers.
    pub maglev_table_size: u64,
    /// Multi-probe's number of probes `k` (21 gives a peak-to-mean near 1.05).
    pub probes: u32,
    /// Bounded loads' capacity factor `c` > 1: no server takes more than `⌈c · K / n⌉` of
    /// `K` keys (scaled by weight).
    pub load_factor: f64,
    /// AnchorHash's anchor size `a`: the most servers it can hold (raised to the largest
    /// server id + 1 when that is more).
    pub anchor_capacity: u32,
}

impl Default for RouterConfig {
    fn default() -> RouterConfig {
        RouterConfig {
            algorithm: Algorithm::Ring,
            hash: HashFn::Xxh3,
            vnodes: 100,
            maglev_table_size: 65_537,
            probes: 21,
            load_factor: 1.25,
            anchor_capacity: 64,
        }
    }
}

/// Why a router could not be built.
///
/// ```
/// use hashhalo_core::algorithms::{Router, RouterConfig, RouterError};
///
/// assert!(matches!(Router::build(&[], &RouterConfig::default()), Err(RouterError::Ring(_))));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum RouterError {
    /// The servers or ring parameters are invalid.
    Ring(RingError),
    /// A preset rejected the servers.
    Preset(presets::PresetError),
    /// Maglev's table size is not a prime at least the number of servers and at most
    /// [`maglev_table::MAX_TABLE_SIZE`].
    MaglevTableSize(u64),
    /// Multi-probe needs at least one probe.
    ZeroProbes,
    /// Bounded loads needs a capacity factor above 1.
    LoadFactor(f64),
    /// AnchorHash's anchor (at least the largest server id + 1) would be too large.
    AnchorCapacity(u32),
}

impl fmt::Display for RouterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouterError::Ring(e) => e.fmt(f),
            RouterError::Preset(e) => e.fmt(f),
            RouterError::MaglevTableSize(m) => write!(
                f,
                "Maglev's table size must be a prime from the number of servers up to {}, not {m}",
                maglev_table::MAX_TABLE_SIZE
            ),
            RouterError::ZeroProbes => write!(f, "multi-probe needs at least one probe"),
            RouterError::AnchorCapacity(a) => write!(
                f,
                "AnchorHash's anchor of {a} buckets is more than the limit of {MAX_ANCHOR}; \
                 use smaller server ids or capacity"
            ),
            RouterError::LoadFactor(c) => {
                write!(
                    f,
                    "the load factor must be a number above 1, not {}",
                    crate::format::given(*c, 6)
                )
            }
        }
    }
}

impl std::error::Error for RouterError {}

impl From<RingError> for RouterError {
    fn from(e: RingError) -> RouterError {
        RouterError::Ring(e)
    }
}

impl From<presets::PresetError> for RouterError {
    fn from(e: presets::PresetError) -> RouterError {
        RouterError::Preset(e)
    }
}

#[derive(Debug, Clone)]
enum Engine {
    /// Every server is down and the algorithm keeps no place for down servers.
    Empty,
    Modulo,
    Ring(Ring),
    Jump,
    Rendezvous(Vec<u64>),
    Maglev(Vec<u32>),
    MultiProbe(Option<Ring>),
    /// The anchor, and the slot of the server of each bucket (`u32::MAX` for none).
    Anchor(anchor::Anchor, Vec<u32>),
    EnvoyMaglev(EnvoyMaglev),
}

/// Routes keys to servers with one algorithm.
///
/// ```
/// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
/// use hashhalo_core::Server;
///
/// let servers = [Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C")];
/// for algorithm in Algorithm::ALL {
///     let config = RouterConfig { algorithm, ..RouterConfig::default() };
///     let router = Router::build(&servers, &config).unwrap();
///     let owner = router.route(b"user:42").unwrap();
///     assert_eq!(router.preference_list(b"user:42", 3)[0], owner);
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Router {
    config: RouterConfig,
    servers: Vec<Server>,
    engine: Engine,
    /// The slots of the up servers, in list order.
    up_slots: Vec<u32>,
    /// For each slot, the first up slot at or after it in list order, wrapping (`u32::MAX`
    /// when every server is down).
    next_up: Vec<u32>,
    /// Every server's id and slot, sorted by id.
    ids: crate::order::IdIndex,
}

impl Router {
    /// Builds the router for `servers`.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig, RouterError};
    /// use hashhalo_core::Server;
    ///
    /// let config = RouterConfig { algorithm: Algorithm::Maglev, maglev_table_size: 100,
    ///     ..RouterConfig::default() };
    /// assert_eq!(Router::build(&[Server::new(0, "A")], &config).unwrap_err(),
    ///     RouterError::MaglevTableSize(100));
    /// ```
    pub fn build(servers: &[Server], config: &RouterConfig) -> Result<Router, RouterError> {
        // Every algorithm validates servers as a ring does: ids, labels, weights.
        let ring_config = RingConfig {
            vnodes: config.vnodes,
            hash: config.hash,
        };
        let probe = RingConfig {
            vnodes: 1,
            hash: config.hash,
        };
        crate::ring::validate(
            servers,
            if config.algorithm.is_ring() {
                &ring_config
            } else {
                &probe
            },
        )?;
        let engine = match config.algorithm {
            Algorithm::Modulo => Engine::Modulo,
            Algorithm::Jump => Engine::Jump,
            Algorithm::Ring | Algorithm::BoundedLoads => {
                if config.algorithm == Algorithm::BoundedLoads
                    && !(config.load_factor.is_finite() && config.load_factor > 1.0)
                {
                    return Err(RouterError::LoadFactor(config.load_factor));
                }
                Engine::Ring(Ring::build(servers, &ring_config)?)
            }
            Algorithm::Rendezvous => Engine::Rendezvous(
                servers
                    .iter()
                    .map(|s| xxh3_64_with_seed(s.label.as_bytes(), RENDEZVOUS_SEED))
                    .collect(),
            ),
            Algorithm::Maglev => {
                let m = config.maglev_table_size;
                if m > maglev_table::MAX_TABLE_SIZE || m < servers.len() as u64 || !is_prime(m) {
                    return Err(RouterError::MaglevTableSize(m));
                }
                Engine::Maglev(maglev(servers, m))
            }
            Algorithm::MultiProbe => {
                if config.probes == 0 {
                    return Err(RouterError::ZeroProbes);
                }
                Engine::MultiProbe(up_ring(servers, &probe)?)
            }
            Algorithm::Anchor => {
                let needed = servers
                    .iter()
                    .map(|s| s.id.0)
                    .max()
                    .unwrap_or(0)
                    .saturating_add(1);
                let capacity = config.anchor_capacity.max(needed);
                if capacity > MAX_ANCHOR {
                    return Err(RouterError::AnchorCapacity(capacity));
                }
                let mut bucket_slot = vec![u32::MAX; capacity as usize];
                for (slot, s) in servers.iter().enumerate() {
                    bucket_slot[s.id.0 as usize] = slot as u32;
                }
                Engine::Anchor(anchor_for(servers, capacity), bucket_slot)
            }
            Algorithm::Nginx | Algorithm::Libketama | Algorithm::EnvoyRing => {
                let named: Vec<PresetServer> = servers.iter().map(preset_server).collect();
                let points: Vec<(u64, usize, u32)> = match config.algorithm {
                    Algorithm::Nginx => preset_points(NginxRing::build(&named)?.points()),
                    Algorithm::Libketama => preset_points(KetamaRing::build(&named)?.points()),
                    _ => preset_points(
                        EnvoyRing::build(&named, EnvoyRingConfig::default())?.points(),
                    ),
                };
                let key_hash = config.algorithm.key_hash(config.hash);
                let vnodes = (points.len() / servers.len()).max(1) as u32;
                if points.is_empty() {
                    // Envoy's ring holds only healthy hosts: with all down it is empty.
                    Engine::Empty
                } else {
                    Engine::Ring(Ring::from_points(
                        servers,
                        &RingConfig {
                            vnodes,
                            hash: key_hash,
                        },
                        &points,
                    )?)
                }
            }
            Algorithm::EnvoyMaglev => {
                let named: Vec<PresetServer> = servers.iter().map(preset_server).collect();
                Engine::EnvoyMaglev(EnvoyMaglev::build(&named, config.maglev_table_size)?)
            }
        };
        let up_slots: Vec<u32> = (0..servers.len() as u32)
            .filter(|&i| servers[i as usize].is_up())
            .collect();
        let mut next_up = vec![u32::MAX; servers.len()];
        let mut next = up_slots.first().copied().unwrap_or(u32::MAX);
        for i in (0..servers.len()).rev() {
            if servers[i].is_up() {
                next = i as u32;
            }
            next_up[i] = next;
        }
        let ids = crate::order::IdIndex::of_servers(servers);
        Ok(Router {
            config: *config,
            servers: servers.to_vec(),
            engine,
            up_slots,
            next_up,
            ids,
        })
    }

    /// The bytes the algorithm's lookup state holds on the heap, beyond the server list every
    /// algorithm keeps: a ring's points, a Maglev table, an anchor's arrays; nothing for
    /// modulo and jump.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let servers = [Server::new(0, "A"), Server::new(1, "B")];
    /// let jump = RouterConfig { algorithm: Algorithm::Jump, ..RouterConfig::default() };
    /// assert_eq!(Router::build(&servers, &jump).unwrap().memory_bytes(), 0);
    /// let maglev = RouterConfig { algorithm: Algorithm::Maglev, ..RouterConfig::default() };
    /// assert_eq!(Router::build(&servers, &maglev).unwrap().memory_bytes(), 65_537 * 4);
    /// ```
    pub fn memory_bytes(&self) -> usize {
        match &self.engine {
            Engine::Empty | Engine::Modulo | Engine::Jump => 0,
            Engine::Ring(ring) => ring.memory_bytes(),
            Engine::MultiProbe(ring) => ring.as_ref().map_or(0, Ring::memory_bytes),
            Engine::Rendezvous(hashes) => hashes.len() * 8,
            Engine::Maglev(table) => table.len() * 4,
            Engine::Anchor(anchor, slots) => anchor.memory_bytes() + slots.len() * 4,
            Engine::EnvoyMaglev(m) => m.table().len() * 4,
        }
    }

    /// The configuration the router was built with.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let router = Router::build(&[Server::new(0, "A")], &RouterConfig::default()).unwrap();
    /// assert_eq!(router.config().vnodes, 100);
    /// ```
    pub fn config(&self) -> &RouterConfig {
        &self.config
    }

    /// The servers, in the order given.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let router = Router::build(&[Server::new(0, "A")], &RouterConfig::default()).unwrap();
    /// assert_eq!(router.servers().len(), 1);
    /// ```
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    /// The ring, for algorithms that place points on one (see [`Algorithm::is_ring`]).
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let jump = RouterConfig { algorithm: Algorithm::Jump, ..RouterConfig::default() };
    /// assert!(Router::build(&[Server::new(0, "A")], &jump).unwrap().ring().is_none());
    /// ```
    pub fn ring(&self) -> Option<&Ring> {
        match &self.engine {
            Engine::Ring(ring) => Some(ring),
            Engine::MultiProbe(ring) => ring.as_ref(),
            _ => None,
        }
    }

    /// The hash function keys are placed with.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::{HashFn, Server};
    ///
    /// let config = RouterConfig { algorithm: Algorithm::Libketama, ..RouterConfig::default() };
    /// let router = Router::build(&[Server::new(0, "A")], &config).unwrap();
    /// assert_eq!(router.key_hash(), HashFn::Md5);
    /// ```
    pub fn key_hash(&self) -> HashFn {
        self.config.algorithm.key_hash(self.config.hash)
    }

    /// The server for `key`, or `None` when every server is down.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let config = RouterConfig { algorithm: Algorithm::Modulo, ..RouterConfig::default() };
    /// let router = Router::build(&[Server::new(0, "A"), Server::new(1, "B")], &config).unwrap();
    /// assert!(router.route(b"k").is_some());
    /// ```
    pub fn route(&self, key: &[u8]) -> Option<ServerId> {
        self.route_position(self.key_hash().hash(key))
    }

    /// The server for a key already hashed to `position` with [`Router::key_hash`].
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let config = RouterConfig { algorithm: Algorithm::Jump, ..RouterConfig::default() };
    /// let router = Router::build(&[Server::new(0, "A"), Server::new(1, "B")], &config).unwrap();
    /// let h = router.key_hash().hash(b"k");
    /// assert_eq!(router.route_position(h), router.route(b"k"));
    /// ```
    pub fn route_position(&self, position: u64) -> Option<ServerId> {
        match &self.engine {
            Engine::Ring(ring) => ring.lookup_position(position),
            Engine::EnvoyMaglev(m) => m
                .lookup_position(position)
                .map(|slot| self.servers[slot].id),
            _ => self.preference(position, 1).first().copied(),
        }
    }

    /// The preference list of `key`: up to `replicas` distinct up servers, the owner first.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::{Server, ServerId, Status};
    ///
    /// let mut servers = vec![Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C")];
    /// servers[1].status = Status::Down;
    /// for algorithm in Algorithm::ALL {
    ///     let config = RouterConfig { algorithm, ..RouterConfig::default() };
    ///     let list = Router::build(&servers, &config).unwrap().preference_list(b"key", 3);
    ///     assert_eq!(list.len(), 2, "{algorithm:?}");
    ///     assert!(!list.contains(&ServerId(1)));
    /// }
    /// ```
    pub fn preference_list(&self, key: &[u8], replicas: usize) -> Vec<ServerId> {
        self.preference(self.key_hash().hash(key), replicas)
    }

    /// The preference list of the key hashed to `position`.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let router = Router::build(&[Server::new(0, "A"), Server::new(1, "B")],
    ///     &RouterConfig::default()).unwrap();
    /// assert_eq!(router.preference(7, 5).len(), 2);
    /// ```
    pub fn preference(&self, position: u64, replicas: usize) -> Vec<ServerId> {
        let want = replicas.min(self.up_slots.len());
        if want == 0 {
            return Vec::new();
        }
        let h = position;
        let n = self.servers.len();
        let mut picks = Picks::new(want, n);
        match &self.engine {
            Engine::Empty => return Vec::new(),
            Engine::Ring(ring) => return ring.preference_list(position, want),
            Engine::Modulo => {
                // The hash is mixed first: md5, crc32 and the toy hash fill only a position's
                // top bits, and a plain `h mod n` of them would be 0 for any power-of-two n.
                // Then the up servers in list order from there, each once.
                let first = self.next_up[(mix(h, 0) % n as u64) as usize] as usize;
                let at = self.up_slots.partition_point(|&s| (s as usize) < first);
                for k in 0..self.up_slots.len() {
                    let slot = self.up_slots[(at + k) % self.up_slots.len()] as usize;
                    if picks.offer(slot, &self.servers) {
                        break;
                    }
                }
            }
            Engine::Jump => {
                // Each attempt re-hashes the key; after a bounded number, the list order.
                for attempt in 0..64u64 {
                    let key = if attempt == 0 { h } else { mix(h, attempt) };
                    if picks.offer(jump::jump(key, n as u32) as usize, &self.servers) {
                        break;
                    }
                }
                self.offer_in_order(&mut picks);
            }
            Engine::Rendezvous(seeds) => {
                // The `want` highest scores, kept sorted in a short list: O(n · want).
                let mut best: Vec<(f64, usize)> = Vec::with_capacity(want + 1);
                for &slot in &self.up_slots {
                    let i = slot as usize;
                    let score = rendezvous_score(h, seeds[i], self.servers[i].weight);
                    if best.len() == want && !beats((score, i), best[want - 1]) {
                        continue;
                    }
                    let at = best.partition_point(|&b| !beats((score, i), b));
                    best.insert(at, (score, i));
                    best.truncate(want);
                }
                for (_, slot) in best {
                    picks.offer(slot, &self.servers);
                }
            }
            Engine::Maglev(table) => {
                if table.is_empty() {
                    return Vec::new();
                }
                let m = table.len();
                let start = (h % m as u64) as usize;
                for step in 0..m {
                    if picks.offer(table[(start + step) % m] as usize, &self.servers) {
                        break;
                    }
                }
            }
            Engine::MultiProbe(ring) => {
                let Some(ring) = ring else { return Vec::new() };
                return multi_probe(ring, h, self.config.probes, want);
            }
            Engine::Anchor(anchor, bucket_slot) => {
                let bucket = anchor.bucket(h);
                let full = match bucket_slot[bucket as usize] {
                    u32::MAX => picks.is_full(),
                    slot => picks.offer(slot as usize, &self.servers),
                };
                if !full {
                    anchor_walk(
                        &mut anchor.clone(),
                        bucket_slot,
                        h,
                        &mut picks,
                        &self.servers,
                    );
                }
            }
            Engine::EnvoyMaglev(m) => {
                // Envoy retries by re-hashing with the attempt number.
                for attempt in 0..64u64 {
                    let hash = if attempt == 0 {
                        h
                    } else {
                        h ^ attempt.wrapping_neg()
                    };
                    if let Some(slot) = m.lookup_position(hash)
                        && picks.offer(slot, &self.servers)
                    {
                        break;
                    }
                }
                self.offer_in_order(&mut picks);
            }
        }
        picks.list
    }

    /// How many keys of `keys` each server holds a copy of with `replicas` replicas: the keys
    /// whose preference list (as [`Router::preference`] gives it) names the server, in the
    /// order of [`Router::servers`]. With one replica these are the owners' counts (but for
    /// bounded loads, whose lists follow the ring and ignore the cap).
    ///
    /// Rings count through a table of each point's preference list, so the cost is one merge
    /// of the keys plus `replicas` per point; the others ask per key.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::{KeySet, KeySource, Server};
    ///
    /// let servers = [Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C")];
    /// let keys = KeySet::generate(&KeySource::default());
    /// for algorithm in Algorithm::ALL {
    ///     let config = RouterConfig { algorithm, ..RouterConfig::default() };
    ///     let router = Router::build(&servers, &config).unwrap();
    ///     let loads = router.replica_counts(&keys, 2);
    ///     assert_eq!(loads.iter().sum::<u64>(), 2000, "{algorithm:?}");
    /// }
    /// ```
    pub fn replica_counts(&self, keys: &KeySet, replicas: usize) -> Vec<u64> {
        let keys = self.hashed(keys);
        let keys = keys.as_ref();
        let want = replicas.min(self.up_slots.len());
        let mut counts = vec![0u64; self.servers.len()];
        if want == 0 {
            return counts;
        }
        match &self.engine {
            Engine::Ring(ring) if want <= MAX_TABLE_REPLICAS => {
                return ring.replica_counts(keys, want);
            }
            Engine::Anchor(anchor, bucket_slot) => {
                // One working copy for all keys: each walk puts back what it removed.
                let mut scratch = anchor.clone();
                for &h in keys.positions() {
                    let mut picks = Picks::new(want, self.servers.len());
                    let bucket = scratch.bucket(h);
                    if let Some(&slot) = bucket_slot.get(bucket as usize)
                        && slot != u32::MAX
                        && !picks.offer(slot as usize, &self.servers)
                    {
                        anchor_walk(&mut scratch, bucket_slot, h, &mut picks, &self.servers);
                    }
                    self.count_picks(&picks.list, &mut counts);
                }
                return counts;
            }
            _ => {}
        }
        for &h in keys.positions() {
            let list = self.preference(h, want);
            self.count_picks(&list, &mut counts);
        }
        counts
    }

    /// The preference lists of keys hashed to `positions`, `replicas` long, as
    /// [`Router::preference`] gives them one by one; a ring makes its per-point table once, so
    /// many keys cost `O(points · replicas)` in all rather than a walk each.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let servers = [Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C")];
    /// for algorithm in Algorithm::ALL {
    ///     let config = RouterConfig { algorithm, ..RouterConfig::default() };
    ///     let router = Router::build(&servers, &config).unwrap();
    ///     let positions = [7, 1 << 40, u64::MAX];
    ///     let lists = router.preferences(&positions, 2);
    ///     for (p, list) in positions.iter().zip(&lists) {
    ///         assert_eq!(*list, router.preference(*p, 2), "{algorithm:?}");
    ///     }
    /// }
    /// ```
    pub fn preferences(&self, positions: &[u64], replicas: usize) -> Vec<Vec<ServerId>> {
        let want = replicas.min(self.up_slots.len());
        match &self.engine {
            // One walk of a ring can pass every point of a pile or of down servers; the table
            // passes each point once for all keys.
            Engine::Ring(ring) if positions.len() > 8 => {
                let table = ring.preference_table(want);
                positions.iter().map(|&p| table.list(ring, p)).collect()
            }
            _ => positions
                .iter()
                .map(|&p| self.preference(p, want))
                .collect(),
        }
    }

    fn count_picks(&self, list: &[ServerId], counts: &mut [u64]) {
        for id in list {
            if let Some(slot) = self.slot_by_id(*id) {
                counts[slot] += 1;
            }
        }
    }

    /// The slot of server `id`.
    fn slot_by_id(&self, id: ServerId) -> Option<usize> {
        self.ids.get(id)
    }

    /// `keys` hashed as this router hashes keys: as they are, or re-hashed.
    fn hashed<'a>(&self, keys: &'a KeySet) -> std::borrow::Cow<'a, KeySet> {
        if keys.hash() == self.key_hash() {
            std::borrow::Cow::Borrowed(keys)
        } else {
            std::borrow::Cow::Owned(keys.rehash(self.key_hash()))
        }
    }

    /// Offers the up servers in list order until `picks` is full.
    fn offer_in_order(&self, picks: &mut Picks) {
        for &slot in &self.up_slots {
            if picks.is_full() || picks.offer(slot as usize, &self.servers) {
                return;
            }
        }
    }

    /// The owner of every key of `keys`, in the key set's order. Bounded loads assigns the keys
    /// in that order, each to the first server clockwise from it with room under its cap.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::{KeySet, KeySource, Server};
    ///
    /// let servers = [Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C")];
    /// let config = RouterConfig { algorithm: Algorithm::BoundedLoads, ..RouterConfig::default() };
    /// let router = Router::build(&servers, &config).unwrap();
    /// let keys = KeySet::generate(&KeySource { count: 300, ..Default::default() });
    /// let owners = router.assign(&keys);
    /// let cap = (1.25f64 * 300.0 / 3.0).ceil() as usize;
    /// for id in 0..3 {
    ///     assert!(owners.iter().filter(|o| o.map(|s| s.0) == Some(id)).count() <= cap);
    /// }
    /// ```
    // Not inlined: it is called from two places (directly, and as the fallback of
    // `Router::reassign`), and one copy keeps the page's first load smaller.
    #[inline(never)]
    pub fn assign(&self, keys: &KeySet) -> Vec<Option<ServerId>> {
        let keys = self.hashed(keys);
        let keys = keys.as_ref();
        match (&self.engine, self.config.algorithm) {
            (Engine::Ring(ring), Algorithm::BoundedLoads) => {
                bounded_loads(ring, keys.positions(), self.config.load_factor)
            }
            (Engine::Ring(ring), _) => ring.assign(keys),
            _ => keys
                .positions()
                .iter()
                .map(|&h| self.route_position(h))
                .collect(),
        }
    }

    /// The owner of every key of `keys`, given `owners`, their owners on `before`: what
    /// [`Router::assign`] gives, computed from the change when both place keys on a ring by
    /// its points alone (see [`Ring::reassign`]), and by [`Router::assign`] otherwise.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Router, RouterConfig};
    /// use hashhalo_core::{KeySet, KeySource, Server};
    ///
    /// let config = RouterConfig::default();
    /// let mut servers = vec![Server::new(0, "A"), Server::new(1, "B")];
    /// let before = Router::build(&servers, &config).unwrap();
    /// servers.push(Server::new(2, "C"));
    /// let after = Router::build(&servers, &config).unwrap();
    /// let keys = KeySet::generate(&KeySource::default());
    /// let owners = before.assign(&keys);
    /// assert_eq!(after.reassign(&before, &keys, &owners), after.assign(&keys));
    /// ```
    pub fn reassign(
        &self,
        before: &Router,
        keys: &KeySet,
        owners: &[Option<ServerId>],
    ) -> Vec<Option<ServerId>> {
        match (self.ring_by_points(), before.ring_by_points()) {
            (Some(ring), Some(was)) => ring.reassign(was, keys, owners),
            _ => self.assign(keys),
        }
    }

    /// The ring, when keys go to the first point at or after them and nothing else decides
    /// (not bounded loads, which caps each server, nor multi-probe, which probes): then
    /// [`Router::assign`]'s owners are the ring's ([`Ring::assign`]), and counting them can go
    /// by the ring's points ([`Ring::binned_counts`]).
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let servers = [Server::new(0, "A")];
    /// let bounded = RouterConfig { algorithm: Algorithm::BoundedLoads, ..RouterConfig::default() };
    /// assert!(Router::build(&servers, &RouterConfig::default()).unwrap().ring_by_points().is_some());
    /// assert!(Router::build(&servers, &bounded).unwrap().ring_by_points().is_none());
    /// ```
    pub fn ring_by_points(&self) -> Option<&Ring> {
        match &self.engine {
            Engine::Ring(ring) if self.config.algorithm != Algorithm::BoundedLoads => Some(ring),
            _ => None,
        }
    }

    /// The owner of a key at each of `positions` (already hashed as [`Router::key_hash`]
    /// says), in order: what [`Router::assign`] gives for a key set with these positions,
    /// without the keys themselves. The page's worker assigns big key sets from their
    /// positions alone.
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::{KeySet, KeySource, Server};
    ///
    /// let servers = [Server::new(0, "A"), Server::new(1, "B")];
    /// let config = RouterConfig { algorithm: Algorithm::Jump, ..RouterConfig::default() };
    /// let router = Router::build(&servers, &config).unwrap();
    /// let keys = KeySet::generate(&KeySource::default());
    /// assert_eq!(router.assign_positions(keys.positions()), router.assign(&keys));
    /// ```
    pub fn assign_positions(&self, positions: &[u64]) -> Vec<Option<ServerId>> {
        match (&self.engine, self.config.algorithm) {
            (Engine::Ring(ring), Algorithm::BoundedLoads) => {
                bounded_loads(ring, positions, self.config.load_factor)
            }
            _ => positions.iter().map(|&h| self.route_position(h)).collect(),
        }
    }

    /// Each server's share of the hash space, in the order of [`Router::servers`], and
    /// whether it is exact: exact arc fractions for rings and exact slot fractions for Maglev
    /// tables; for the others, the share the algorithm gives in expectation. Down servers get
    /// nothing. Bounded loads reports its ring's shares (the cap acts on keys, not space).
    ///
    /// ```
    /// use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
    /// use hashhalo_core::Server;
    ///
    /// let servers = [Server::new(0, "A"), Server::new(1, "B").with_weight(3)];
    /// let config = RouterConfig { algorithm: Algorithm::Rendezvous, ..RouterConfig::default() };
    /// let (shares, exact) = Router::build(&servers, &config).unwrap().ownership();
    /// assert_eq!(shares, vec![0.25, 0.75]);
    /// assert!(!exact);
    /// ```
    pub fn ownership(&self) -> (Vec<f64>, bool) {
        let n = self.servers.len();
        let table_shares = |slots: &mut dyn Iterator<Item = usize>, len: usize| {
            let mut counts = vec![0usize; n];
            for slot in slots {
                counts[slot] += 1;
            }
            counts
                .iter()
                .map(|&c| c as f64 / len.max(1) as f64)
                .collect::<Vec<f64>>()
        };
        match &self.engine {
            Engine::Ring(ring) => (ring.ownership(), true),
            Engine::Maglev(table) => (
                table_shares(&mut table.iter().map(|&s| s as usize), table.len()),
                true,
            ),
            Engine::EnvoyMaglev(m) => {
                let table = m.table();
                (
                    table_shares(&mut table.iter().map(|&s| s as usize), table.len()),
                    true,
                )
            }
            Engine::Modulo => {
                // Slot i's residues go to the first up server from i onwards.
                let mut shares = vec![0.0; n];
                for &j in &self.next_up {
                    if j != u32::MAX {
                        shares[j as usize] += 1.0 / n as f64;
                    }
                }
                (shares, false)
            }
            Engine::Rendezvous(_) => {
                let total: f64 = self
                    .servers
                    .iter()
                    .filter(|s| s.is_up())
                    .map(|s| f64::from(s.weight))
                    .sum();
                let shares = self
                    .servers
                    .iter()
                    .map(|s| {
                        if s.is_up() {
                            f64::from(s.weight) / total
                        } else {
                            0.0
                        }
                    })
                    .collect();
                (shares, false)
            }
            Engine::Empty => (vec![0.0; n], true),
            Engine::MultiProbe(_) | Engine::Jump | Engine::Anchor(..) => {
                let up = self.servers.iter().filter(|s| s.is_up()).count().max(1) as f64;
                (
                    self.servers
                        .iter()
                        .map(|s| if s.is_up() { 1.0 / up } else { 0.0 })
                        .collect(),
                    false,
                )
            }
        }
    }
}

/// Replication factors up to this are counted through a ring's per-point table.
const MAX_TABLE_REPLICAS: usize = 8;

/// AnchorHash's next choices for the key hashed to `h` after its first: the key's bucket with
/// the earlier choices removed, until `picks` is full. `anchor` is left as it was found (each
/// removal is undone, newest first, which AnchorHash restores exactly).
fn anchor_walk(
    anchor: &mut anchor::Anchor,
    bucket_slot: &[u32],
    h: u64,
    picks: &mut Picks,
    servers: &[Server],
) {
    let mut removed = 0;
    while !picks.is_full() && anchor.working() > 1 {
        anchor.remove(anchor.bucket(h));
        removed += 1;
        if let Some(&slot) = bucket_slot.get(anchor.bucket(h) as usize)
            && slot != u32::MAX
        {
            picks.offer(slot as usize, servers);
        }
    }
    for _ in 0..removed {
        anchor.add();
    }
}

/// A preference list being built: distinct up servers, up to `want`, with a membership test
/// that stays O(1) however long the list grows.
struct Picks {
    list: Vec<ServerId>,
    want: usize,
    /// Which slots are in the list, once it is long enough for a scan to cost.
    taken: Option<Vec<bool>>,
}

impl Picks {
    fn new(want: usize, servers: usize) -> Picks {
        Picks {
            list: Vec::with_capacity(want),
            want,
            taken: (want > 16).then(|| vec![false; servers]),
        }
    }

    fn is_full(&self) -> bool {
        self.list.len() >= self.want
    }

    /// Adds the server in `slot` if it is up and not yet listed; returns whether the list is
    /// now full.
    fn offer(&mut self, slot: usize, servers: &[Server]) -> bool {
        let s = &servers[slot];
        if !self.is_full() && s.is_up() {
            let fresh = match &mut self.taken {
                Some(taken) => !std::mem::replace(&mut taken[slot], true),
                None => !self.list.contains(&s.id),
            };
            if fresh {
                self.list.push(s.id);
            }
        }
        self.is_full()
    }
}

/// Whether rendezvous score `a` ranks before `b`: higher scores first, ties to the lower slot.
fn beats(a: (f64, usize), b: (f64, usize)) -> bool {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).is_lt()
}

/// The largest anchor AnchorHash may use (4 MiB per array of it).
const MAX_ANCHOR: u32 = 1 << 20;

/// The seed that makes rendezvous scores independent of the hash that places keys.
const RENDEZVOUS_SEED: u64 = 0x4852_5721; // "HRW!"

/// A 64-bit mix of `h` with `salt` (the SplitMix64 finaliser), for re-hashing a key.
pub(crate) fn mix(h: u64, salt: u64) -> u64 {
    let mut z = h ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Weighted rendezvous score: `-w / ln(u)` with `u` uniform in (0, 1) from the key and the
/// server, so server `s` wins with probability `w_s / Σw`.
fn rendezvous_score(h: u64, seed: u64, weight: u32) -> f64 {
    let bits = mix(h, seed) >> 11; // 53 bits
    let u = (bits as f64 + 0.5) / (1u64 << 53) as f64;
    // libm's log is the same code natively and in wasm, so rankings never differ by platform.
    -f64::from(weight) / libm::log(u)
}

/// Whether `m` is prime (trial division; table sizes are small).
pub(crate) fn is_prime(m: u64) -> bool {
    if m < 2 {
        return false;
    }
    let mut d = 2u64;
    while d.saturating_mul(d) <= m {
        if m.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

/// Maglev's table over the up servers, as slots into `servers`: offset and skip are xxh3 of
/// the label with seeds 0 and 1.
fn maglev(servers: &[Server], m: u64) -> Vec<u32> {
    let up: Vec<usize> = (0..servers.len()).filter(|&i| servers[i].is_up()).collect();
    let entries: Vec<MaglevEntry> = up
        .iter()
        .map(|&i| {
            let label = servers[i].label.as_bytes();
            MaglevEntry {
                offset: xxh3_64_with_seed(label, 0) % m,
                skip: xxh3_64_with_seed(label, 1) % (m - 1).max(1) + 1,
                weight: f64::from(servers[i].weight),
            }
        })
        .collect();
    maglev_table::fill(&entries, m)
        .into_iter()
        .map(|e| up[e as usize] as u32)
        .collect()
}

/// A ring of the up servers only (`None` when all are down), for multi-probe.
fn up_ring(servers: &[Server], config: &RingConfig) -> Result<Option<Ring>, RingError> {
    let up: Vec<Server> = servers.iter().filter(|s| s.is_up()).cloned().collect();
    if up.is_empty() {
        return Ok(None);
    }
    Ring::build(&up, config).map(Some)
}

/// A multi-probe cursor: the probe's position, the first point at or after it, the steps taken
/// past listed servers, and the candidate there (distance, server).
type Cursor = (u64, usize, usize, Option<(u64, ServerId)>);

/// Multi-probe's preference list for the key hashed to `h`: up to `want` distinct servers,
/// each the one whose point follows one of the key's `k` probes most closely, among the
/// servers not yet listed (ties to the lower id).
///
/// Each probe is placed once (a prefix-table lookup), and keeps a cursor on the first point
/// clockwise from it whose server is not yet listed: the list only grows, so a cursor only
/// moves on, and the whole list costs `k` lookups plus the points passed.
fn multi_probe(ring: &Ring, h: u64, probes: u32, want: usize) -> Vec<ServerId> {
    let positions = ring.positions();
    let n = positions.len();
    let mut list: Vec<ServerId> = Vec::with_capacity(want);
    if n == 0 {
        return list;
    }
    if want == 1 {
        // The owner alone: the nearest point after any probe, no cursors needed.
        let mut best: Option<(u64, ServerId)> = None;
        for probe in 0..probes {
            let p = if probe == 0 {
                h
            } else {
                mix(h, u64::from(probe))
            };
            let i = ring.successor_index(p);
            let (distance, server) = (positions[i].wrapping_sub(p), ring.point_server(i));
            if best.is_none_or(|(d, id)| (distance, server.0) < (d, id.0)) {
                best = Some((distance, server));
            }
        }
        list.extend(best.map(|(_, id)| id));
        return list;
    }
    // For each probe: its position, the first point at or after it, the steps taken, and the
    // candidate there (distance, server). A candidate only changes when its server is picked.
    let mut cursors: Vec<Cursor> = (0..probes)
        .map(|probe| {
            let p = if probe == 0 {
                h
            } else {
                mix(h, u64::from(probe))
            };
            let start = ring.successor_index(p);
            let candidate = (positions[start].wrapping_sub(p), ring.point_server(start));
            (p, start, 0, Some(candidate))
        })
        .collect();
    while list.len() < want {
        let mut best: Option<(u64, ServerId)> = None;
        for &(_, _, _, candidate) in &cursors {
            if let Some((d, id)) = candidate
                && best.is_none_or(|(bd, bid)| (d, id.0) < (bd, bid.0))
            {
                best = Some((d, id));
            }
        }
        let Some((_, picked)) = best else { break };
        list.push(picked);
        // Cursors whose candidate was just picked move on past listed servers.
        for (p, start, step, candidate) in &mut cursors {
            if candidate.is_none_or(|(_, id)| id != picked) {
                continue;
            }
            while *step < n && list.contains(&ring.point_server((*start + *step) % n)) {
                *step += 1;
            }
            *candidate = (*step < n).then(|| {
                let i = (*start + *step) % n;
                (positions[i].wrapping_sub(*p), ring.point_server(i))
            });
        }
    }
    list
}

/// Bounded loads: keys in order, each to the first up server clockwise from it whose load is
/// under its cap `⌈c · K · w / W⌉`.
///
/// The walk past points that cannot take the key (a down server's, or a full one's) is what
/// costs: done point by point it is `O(K · P)`, half a minute for a link of many down servers.
/// Instead the points still open are kept in a "next open point" forest (union–find with path
/// halving): a point is closed once, when its server is down or fills, and every key finds the
/// first open point at or after its own in amortised near-constant time. The result is the
/// same key by key as the plain walk, in `O((K + P) · α(P))`.
fn bounded_loads(ring: &Ring, keys: &[u64], c: f64) -> Vec<Option<ServerId>> {
    let servers = ring.servers();
    let total_weight: f64 = servers
        .iter()
        .filter(|s| s.is_up())
        .map(|s| f64::from(s.weight))
        .sum();
    if total_weight == 0.0 {
        return vec![None; keys.len()];
    }
    let k = keys.len() as f64;
    let caps: Vec<usize> = servers
        .iter()
        .map(|s| {
            if s.is_up() {
                (c * k * f64::from(s.weight) / total_weight).ceil() as usize
            } else {
                0
            }
        })
        .collect();
    let mut loads = vec![0usize; servers.len()];
    let positions = ring.positions();
    let mut open = OpenPoints::new(positions.len());
    // Each server's points, to close them together when it fills.
    let mut points_of: Vec<Vec<u32>> = vec![Vec::new(); servers.len()];
    for i in 0..positions.len() {
        points_of[ring.point_slot(i)].push(i as u32);
    }
    for (slot, points) in points_of.iter().enumerate() {
        if caps[slot] == 0 {
            points.iter().for_each(|&i| open.close(i as usize));
        }
    }
    keys.iter()
        .map(|&h| {
            let start = positions.partition_point(|&x| x < h);
            let point = open.first_from(start)?;
            let slot = ring.point_slot(point);
            loads[slot] += 1;
            if loads[slot] == caps[slot] {
                points_of[slot].iter().for_each(|&i| open.close(i as usize));
            }
            Some(servers[slot].id)
        })
        .collect()
}

/// The points of a ring still open, as a forest in which every closed point leads to a later
/// one: `next[i] == i` for an open point, and index `n` is an always-open sentinel past the end.
struct OpenPoints {
    next: Vec<u32>,
}

impl OpenPoints {
    fn new(n: usize) -> OpenPoints {
        OpenPoints {
            next: (0..=n as u32).collect(),
        }
    }

    /// Closes point `i` (which must be open).
    fn close(&mut self, i: usize) {
        self.next[i] = i as u32 + 1;
    }

    /// The first open point at or after `i`, without wrapping (`n` when none), shortening
    /// the paths it walks.
    fn root(&mut self, mut i: usize) -> usize {
        while self.next[i] as usize != i {
            let parent = self.next[i] as usize;
            self.next[i] = self.next[parent];
            i = parent;
        }
        i
    }

    /// The first open point at or clockwise after `i`, wrapping past the last point.
    fn first_from(&mut self, i: usize) -> Option<usize> {
        let n = self.next.len() - 1;
        let found = self.root(i.min(n));
        let found = if found == n { self.root(0) } else { found };
        (found < n).then_some(found)
    }
}

/// AnchorHash with bucket `b` for the server with id `b`. Buckets with no up server are
/// removed in descending order, so failing the lowest-numbered working server, or adding the
/// next id, is exactly AnchorHash's own remove or add.
fn anchor_for(servers: &[Server], capacity: u32) -> anchor::Anchor {
    let mut anchor = anchor::Anchor::new(capacity);
    let mut up = vec![false; capacity as usize];
    for s in servers.iter().filter(|s| s.is_up()) {
        up[s.id.0 as usize] = true;
    }
    for b in (0..capacity).rev() {
        if !up[b as usize] {
            anchor.remove(b);
        }
    }
    anchor
}

fn preset_server(s: &Server) -> PresetServer {
    PresetServer {
        name: s.label.clone(),
        weight: s.weight,
        up: s.is_up(),
    }
}

fn preset_points(points: &[presets::PresetPoint]) -> Vec<(u64, usize, u32)> {
    points
        .iter()
        .map(|p| (p.position, p.server, p.index))
        .collect()
}
