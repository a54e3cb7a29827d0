//! One state of the lab, computed: the router built from a [`LabState`], its keys hashed for
//! it, and every key's owner; and the movement between two such states.
//!
//! The browser app and the `hashhalo` CLI both compute through this type, so "the page shows
//! what `hashhalo inspect` prints" compares one computation with itself run natively.
//!
//! ```
//! use hashhalo_core::lab::LabState;
//! use hashhalo_core::snapshot::Snapshot;
//! use hashhalo_core::Server;
//!
//! let before = Snapshot::generated(LabState::default());
//! let mut lab = LabState::default();
//! lab.servers.push(Server::new(3, "D"));
//! let after = Snapshot::generated(lab);
//! let movement = after.movement_from(&before).unwrap();
//! assert!(movement.moved.len() > 150 && movement.moved.len() < 350);
//! ```

use std::sync::Arc;

use crate::algorithms::{Router, RouterError};
use crate::lab::LabState;
use crate::movement::{Movement, Shares};
use crate::order::IdIndex;
use crate::stats::{Balance, Expected, expected_deviation, key_counts};
use crate::{KeySet, ServerId};

/// One computed state. Cloning is cheap: the parts are shared.
///
/// ```
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::snapshot::Snapshot;
///
/// let s = Snapshot::generated(LabState::default());
/// assert_eq!(s.keys().len(), 1000);
/// assert_eq!(s.owners().len(), 1000);
/// assert_eq!(s.key_counts().iter().sum::<u64>(), 1000);
/// ```
#[derive(Debug, Clone)]
pub struct Snapshot {
    lab: Arc<LabState>,
    router: Result<Arc<Router>, RouterError>,
    keys: Arc<KeySet>,
    owners: Arc<Vec<Option<ServerId>>>,
}

impl Snapshot {
    /// The state of `lab` over `keys`. Keys hashed with another function than the router's
    /// are re-hashed (see [`Snapshot::keys_for`] to hash them once for many states).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let keys = Arc::new(KeySet::from_keys(vec!["a".into(), "b".into()], HashFn::Xxh3));
    /// let s = Snapshot::compute(LabState::default(), keys);
    /// assert!(s.owners().iter().all(Option::is_some));
    /// ```
    pub fn compute(lab: LabState, keys: Arc<KeySet>) -> Snapshot {
        Snapshot::compute_after(lab, keys, None)
    }

    /// [`Snapshot::compute`], re-assigning the keys from `previous`'s owners when it holds the
    /// same key set, hashed alike (see [`Router::reassign`]): after a small change, such as one
    /// frame of a drag or one server added, only the keys that can have moved are looked at.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    /// use hashhalo_core::Server;
    ///
    /// let before = Snapshot::generated(LabState::default());
    /// let mut lab = LabState::default();
    /// lab.servers.push(Server::new(3, "D"));
    /// let after = Snapshot::compute_after(lab.clone(), Arc::clone(before.keys()), Some(&before));
    /// assert_eq!(after.owners(), Snapshot::generated(lab).owners());
    /// ```
    pub fn compute_after(
        lab: LabState,
        keys: Arc<KeySet>,
        previous: Option<&Snapshot>,
    ) -> Snapshot {
        let router = Router::build(&lab.servers, &lab.router);
        let (keys, owners) = match &router {
            Ok(router) => {
                let keys = if keys.hash() == router.key_hash() {
                    keys
                } else {
                    Arc::new(keys.rehash(router.key_hash()))
                };
                let owners = match previous {
                    Some(p)
                        if Arc::ptr_eq(&p.keys, &keys)
                            && let Ok(was) = &p.router =>
                    {
                        router.reassign(was, &keys, &p.owners)
                    }
                    _ => router.assign(&keys),
                };
                (keys, owners)
            }
            Err(_) => {
                let owners = vec![None; keys.len()];
                (keys, owners)
            }
        };
        Snapshot {
            lab: Arc::new(lab),
            router: router.map(Arc::new),
            keys,
            owners: Arc::new(owners),
        }
    }

    /// The state of `lab` over `keys` with each key's owner given: computed elsewhere (the
    /// page's worker assigns big key sets for the algorithms that route key by key, see
    /// [`Router::merges`]). The owners must be one a key, each `None` or a server of `lab`,
    /// and the keys hashed as the router hashes keys; otherwise nothing is made. Nor is
    /// anything made for a ring whose points alone place keys ([`Router::ring_by_points`]):
    /// its keys are counted by those points ([`Snapshot::key_counts`]), so its owners are
    /// always its own.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hashhalo_core::algorithms::Algorithm;
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    /// use hashhalo_core::ServerId;
    ///
    /// let mut lab = LabState::default();
    /// lab.router.algorithm = Algorithm::Rendezvous;
    /// let s = Snapshot::generated(lab);
    /// let again = Snapshot::with_owners(s.lab().clone(), Arc::clone(s.keys()), s.owners().to_vec()).unwrap();
    /// assert_eq!(again.key_counts(), s.key_counts());
    /// let wrong = vec![Some(ServerId(9)); s.keys().len()];
    /// assert!(Snapshot::with_owners(s.lab().clone(), Arc::clone(s.keys()), wrong).is_none());
    /// let ring = Snapshot::generated(LabState::default());
    /// assert!(Snapshot::with_owners(ring.lab().clone(), Arc::clone(ring.keys()), ring.owners().to_vec()).is_none());
    /// ```
    pub fn with_owners(
        lab: LabState,
        keys: Arc<KeySet>,
        owners: Vec<Option<ServerId>>,
    ) -> Option<Snapshot> {
        let router = Router::build(&lab.servers, &lab.router).ok()?;
        let known = |id: &ServerId| lab.servers.iter().any(|s| s.id == *id);
        if keys.hash() != router.key_hash()
            || router.ring_by_points().is_some()
            || owners.len() != keys.len()
            || !owners.iter().flatten().all(known)
        {
            return None;
        }
        Some(Snapshot {
            lab: Arc::new(lab),
            router: Ok(Arc::new(router)),
            keys,
            owners: Arc::new(owners),
        })
    }

    /// The state of `lab` over the keys its key source generates.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let s = Snapshot::generated(LabState::default());
    /// assert!(s.keys().keys()[0].starts_with("user:"));
    /// ```
    pub fn generated(lab: LabState) -> Snapshot {
        let keys = Arc::new(Snapshot::keys_for(&lab));
        Snapshot::compute(lab, keys)
    }

    /// The keys `lab`'s key source generates, hashed as its algorithm hashes keys.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let lab = LabState::default();
    /// assert_eq!(Snapshot::keys_for(&lab).len(), lab.keys.count as usize);
    /// ```
    pub fn keys_for(lab: &LabState) -> KeySet {
        KeySet::generate_with(&lab.keys, lab.router.algorithm.key_hash(lab.router.hash))
    }

    /// The configuration.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// assert_eq!(Snapshot::generated(LabState::default()).lab().servers.len(), 3);
    /// ```
    pub fn lab(&self) -> &LabState {
        &self.lab
    }

    /// The configuration, shared.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let s = Snapshot::generated(LabState::default());
    /// assert!(std::sync::Arc::ptr_eq(s.lab_shared(), s.clone().lab_shared()));
    /// ```
    pub fn lab_shared(&self) -> &Arc<LabState> {
        &self.lab
    }

    /// The router, or why it could not be built.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// assert!(Snapshot::generated(LabState::default()).router().is_ok());
    /// ```
    pub fn router(&self) -> Result<&Router, &RouterError> {
        self.router.as_deref()
    }

    /// The keys, hashed for the router.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// assert_eq!(Snapshot::generated(LabState::default()).keys().len(), 1000);
    /// ```
    pub fn keys(&self) -> &Arc<KeySet> {
        &self.keys
    }

    /// Each key's owner, in key order (`None` for all when the router could not be built).
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let s = Snapshot::generated(LabState::default());
    /// assert_eq!(s.owners().len(), s.keys().len());
    /// ```
    pub fn owners(&self) -> &Arc<Vec<Option<ServerId>>> {
        &self.owners
    }

    /// How many keys each server owns, in the order of the lab's servers.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// assert_eq!(Snapshot::generated(LabState::default()).key_counts().len(), 3);
    /// ```
    pub fn key_counts(&self) -> Vec<u64> {
        // A ring's owners are counted by its points, without visiting a million keys.
        if let Ok(router) = &self.router
            && let Some(ring) = router.ring_by_points()
            && let Some(counts) = ring.binned_counts(&self.keys, 1)
        {
            let slots = IdIndex::of_servers(ring.servers());
            return self
                .lab
                .servers
                .iter()
                .map(|s| slots.get(s.id).map_or(0, |slot| u64::from(counts[slot][0])))
                .collect();
        }
        let ids: Vec<ServerId> = self.lab.servers.iter().map(|s| s.id).collect();
        key_counts(&self.owners, &ids)
    }

    /// Each server's fair share of the keys, in the order of the lab's servers: its weight
    /// over the up servers' total (an equal part for algorithms without weights), 0 when down.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let mut lab = LabState::default();
    /// lab.servers[1].weight = 2;
    /// assert_eq!(Snapshot::generated(lab).fair_shares(), vec![0.25, 0.5, 0.25]);
    /// ```
    pub fn fair_shares(&self) -> Vec<f64> {
        let weight = |s: &crate::Server| match self.lab.router.algorithm.shares() {
            Shares::Weighted => f64::from(s.weight),
            Shares::Equal => 1.0,
        };
        let total: f64 = self
            .lab
            .servers
            .iter()
            .filter(|s| s.is_up())
            .map(weight)
            .sum();
        self.lab
            .servers
            .iter()
            .map(|s| {
                if s.is_up() && total > 0.0 {
                    weight(s) / total
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// How evenly the keys are spread against each server's fair share.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let b = Snapshot::generated(LabState::default()).balance();
    /// assert!(b.busiest.unwrap().1 > 1.0 && b.quietest.unwrap().1 < 1.0);
    /// ```
    pub fn balance(&self) -> Balance {
        let counts: Vec<Option<u64>> = self
            .key_counts()
            .into_iter()
            .zip(&self.lab.servers)
            .map(|(c, s)| s.is_up().then_some(c))
            .collect();
        Balance::of(&counts, &self.fair_shares())
    }

    /// The deviation from the fair shares that theory expects for this state, where it gives
    /// one: rings (the plain ring and the ring presets) from each server's points, Maglev
    /// tables and the algorithms that spread keys independently (modulo, jump, rendezvous,
    /// AnchorHash) from the keys alone. Multi-probe has no simple formula, and bounded loads'
    /// cap moves keys off the ring's owners.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let e = Snapshot::generated(LabState::default()).expected_deviation().unwrap();
    /// assert!((e.placement - (2.0f64 / 300.0).sqrt()).abs() < 1e-9);
    /// ```
    pub fn expected_deviation(&self) -> Option<Expected> {
        let router = self.router().ok()?;
        let algorithm = self.lab.router.algorithm;
        // Multi-probe has no simple formula, and bounded loads' cap moves keys off the ring's
        // owners.
        if matches!(
            algorithm,
            crate::algorithms::Algorithm::MultiProbe | crate::algorithms::Algorithm::BoundedLoads
        ) {
            return None;
        }
        let fair = self.fair_shares();
        let up: Vec<usize> = (0..fair.len()).filter(|&i| fair[i] > 0.0).collect();
        let up_fair: Vec<f64> = up.iter().map(|&i| fair[i]).collect();
        let points = if algorithm.draws_arcs() {
            let ring = router.ring()?;
            let mut per_slot = vec![0u64; self.lab.servers.len()];
            for i in 0..ring.len() {
                per_slot[ring.point_slot(i)] += 1;
            }
            Some(up.iter().map(|&i| per_slot[i]).collect::<Vec<u64>>())
        } else {
            None
        };
        Some(expected_deviation(
            &up_fair,
            points.as_deref(),
            self.keys.len(),
        ))
    }

    /// How many keys each server keeps a copy of at the lab's replication factor, in the
    /// order of the lab's servers (see [`Router::replica_counts`]).
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let mut lab = LabState::default();
    /// lab.replicas = 2;
    /// let copies = Snapshot::generated(lab).replica_counts();
    /// assert_eq!(copies.iter().sum::<u64>(), 2000);
    /// ```
    pub fn replica_counts(&self) -> Vec<u64> {
        let Ok(router) = self.router() else {
            return vec![0; self.lab.servers.len()];
        };
        let up = self.lab.servers.iter().filter(|s| s.is_up()).count();
        let copies = usize::from(self.lab.replicas).min(up);
        // One copy each is the owner's (but for bounded loads, whose lists ignore the cap).
        if copies <= 1 && self.lab.router.algorithm != crate::algorithms::Algorithm::BoundedLoads {
            return self.key_counts();
        }
        router.replica_counts(&self.keys, copies)
    }

    /// How many keys have every copy on a down server: the keys whose first
    /// [`LabState::replicas`] servers, as the placement would list them were every server
    /// up, are all down. Failover hands such a key to another server, but that server never
    /// held it, so a store cannot serve it and a cache misses it until a copy's server is back.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    /// use hashhalo_core::Status;
    ///
    /// let mut lab = LabState::default();
    /// lab.servers[1].status = Status::Down;
    /// let one = Snapshot::generated(lab.clone());
    /// // With one replica, every key of B is lost while B is down.
    /// let mut all_up = lab.clone();
    /// all_up.servers[1].status = Status::Up;
    /// assert_eq!(one.unavailable_keys(), Snapshot::generated(all_up).key_counts()[1]);
    /// lab.replicas = 2;
    /// assert_eq!(Snapshot::generated(lab).unavailable_keys(), 0);
    /// ```
    pub fn unavailable_keys(&self) -> u64 {
        if self.lab.servers.iter().all(|s| s.is_up()) {
            return 0;
        }
        let mut all_up = self.lab.servers.clone();
        all_up.iter_mut().for_each(|s| s.status = crate::Status::Up);
        let Ok(placed) = Router::build(&all_up, &self.lab.router) else {
            return 0;
        };
        let down: Vec<ServerId> = self
            .lab
            .servers
            .iter()
            .filter(|s| !s.is_up())
            .map(|s| s.id)
            .collect();
        let keys = if self.keys.hash() == placed.key_hash() {
            std::borrow::Cow::Borrowed(self.keys.as_ref())
        } else {
            std::borrow::Cow::Owned(self.keys.rehash(placed.key_hash()))
        };
        let replicas = usize::from(self.lab.replicas).max(1);
        placed
            .preferences(keys.positions(), replicas)
            .iter()
            .filter(|list| list.iter().all(|id| down.contains(id)))
            .count() as u64
    }

    /// What changed from `before` to this state, key by key, when the two can be compared:
    /// the same keys, or keys generated from the same kind and seed (then the shorter set is
    /// a prefix of the longer one, and the shared prefix is compared). `None` when the keys
    /// differ, since then nothing "moved".
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    /// use hashhalo_core::KeyKind;
    ///
    /// let before = Snapshot::generated(LabState::default());
    /// let mut other = LabState::default();
    /// other.keys.kind = KeyKind::Ips;
    /// assert!(Snapshot::generated(other).movement_from(&before).is_none());
    /// ```
    pub fn movement_from(&self, before: &Snapshot) -> Option<Movement> {
        let (b, a) = (before, self);
        let n = b.owners.len().min(a.owners.len());
        let same_keys = Arc::ptr_eq(&b.keys, &a.keys)
            || (b.keys.len() == a.keys.len() && b.keys.starts_like(&a.keys, n));
        if !same_keys {
            let same_source =
                b.lab.keys.kind == a.lab.keys.kind && b.lab.keys.seed == a.lab.keys.seed;
            if !same_source || !b.keys.starts_like(&a.keys, n) {
                return None;
            }
        }
        Some(Movement::between(
            &b.owners[..n],
            &a.owners[..n],
            &b.lab.servers,
            &a.lab.servers,
            a.lab.router.algorithm.shares(),
        ))
    }
}
