//! Property tests of the ring and the algorithms, 10 000 cases each.

#![cfg(not(target_arch = "wasm32"))]

use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
use hashhalo_core::{HashFn, KeySet, Ring, RingConfig, Server, ServerId, Status};
use proptest::prelude::*;

const CASES: u32 = 10_000;

fn servers(n: usize) -> Vec<Server> {
    (0..n)
        .map(|i| Server::new(i as u32, format!("s{i}")))
        .collect()
}

fn keys(count: usize, seed: u64, hash: HashFn) -> KeySet {
    KeySet::from_keys((0..count).map(|i| format!("k{seed}-{i}")).collect(), hash)
}

/// `n` servers of `vnodes` points over `count` keys, those in `down_mask` down, with each
/// `(server, index, key)` of `pins` moving that point onto that key (and so, for several,
/// onto each other).
fn pinned_ring(
    n: usize,
    vnodes: u32,
    count: usize,
    seed: u64,
    down_mask: u8,
    pins: &[(usize, u32, usize)],
) -> (KeySet, Ring) {
    let keys = keys(count, seed, HashFn::Xxh3);
    let mut model = servers(n);
    for (k, s) in model.iter_mut().enumerate() {
        if down_mask & (1 << k) != 0 {
            s.status = Status::Down;
        }
    }
    for &(server, index, key) in pins {
        if let Some(&position) = keys.positions().get(key % count.max(1)) {
            model[server % n].pin(index % vnodes, position);
        }
    }
    let ring = Ring::build(
        &model,
        &RingConfig {
            vnodes,
            hash: HashFn::Xxh3,
        },
    )
    .unwrap();
    (keys, ring)
}

/// A deliberately simple ring: every point in a list, a lookup by scanning all of them.
#[derive(Debug, Clone)]
struct NaiveRing {
    /// (position, server id, virtual-node index, up).
    points: Vec<(u64, u32, u32, bool)>,
}

impl NaiveRing {
    fn of(servers: &[Server], vnodes: u32) -> NaiveRing {
        let mut points = Vec::new();
        for s in servers {
            for i in 0..s.weight * vnodes {
                let pinned = s
                    .pins
                    .iter()
                    .rev()
                    .find(|p| p.index == i)
                    .map(|p| p.position);
                let position = pinned.unwrap_or_else(|| {
                    HashFn::Xxh3
                        .hash(format!("{}#{i}", s.label).as_bytes())
                        .wrapping_add(s.shift)
                });
                points.push((position, s.id.0, i, s.is_up()));
            }
        }
        NaiveRing { points }
    }

    fn lookup(&self, h: u64) -> Option<u32> {
        let up = self.points.iter().filter(|p| p.3);
        let after = up
            .clone()
            .filter(|p| p.0 >= h)
            .min_by_key(|p| (p.0, p.1, p.2));
        after
            .or_else(|| up.min_by_key(|p| (p.0, p.1, p.2)))
            .map(|p| p.1)
    }
}

#[derive(Debug, Clone)]
enum Op {
    Add(u32),
    Remove(usize),
    Fail(usize),
    Restore(usize),
    Drag {
        server: usize,
        index: u32,
        position: u64,
    },
    Shift {
        server: usize,
        by: u64,
    },
    Reset {
        server: usize,
        index: u32,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u32..4).prop_map(Op::Add),
        any::<usize>().prop_map(Op::Remove),
        any::<usize>().prop_map(Op::Fail),
        any::<usize>().prop_map(Op::Restore),
        (any::<usize>(), 0u32..6, any::<u64>()).prop_map(|(server, index, position)| Op::Drag {
            server,
            index,
            position
        }),
        (any::<usize>(), any::<u64>()).prop_map(|(server, by)| Op::Shift { server, by }),
        (any::<usize>(), 0u32..6).prop_map(|(server, index)| Op::Reset { server, index }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Adding a server moves keys only to it, for every algorithm that promises so.
    #[test]
    fn adding_a_server_moves_keys_only_to_it(n in 1usize..8, vnodes in 1u32..24, seed in any::<u64>(), which in 0usize..6) {
        let algorithm = [Algorithm::Ring, Algorithm::Rendezvous, Algorithm::Jump, Algorithm::Anchor,
            Algorithm::MultiProbe, Algorithm::Nginx][which];
        let config = RouterConfig { algorithm, vnodes, probes: 5, ..RouterConfig::default() };
        let r0 = Router::build(&servers(n), &config).unwrap();
        let r1 = Router::build(&servers(n + 1), &config).unwrap();
        let keys = keys(64, seed, r0.key_hash());
        for (b, a) in r0.assign(&keys).into_iter().zip(r1.assign(&keys)) {
            prop_assert!(a == b || a == Some(ServerId(n as u32)), "{algorithm:?}: {b:?} -> {a:?}");
        }
    }

    /// Removing a server moves only its keys. (Not so for Envoy's ring, which rebuilds from
    /// the remaining hosts with rescaled point counts, nor for Maglev's rebuilt table, nor for
    /// modulo, jump and AnchorHash, which renumber or re-order when a middle server goes.)
    #[test]
    fn removing_a_server_moves_only_its_keys(n in 2usize..8, vnodes in 1u32..24, seed in any::<u64>(), gone in any::<usize>(), which in 0usize..5) {
        let algorithm = [Algorithm::Ring, Algorithm::Rendezvous, Algorithm::MultiProbe,
            Algorithm::Libketama, Algorithm::Nginx][which];
        let config = RouterConfig { algorithm, vnodes, probes: 5, ..RouterConfig::default() };
        let before = servers(n);
        let gone = ServerId((gone % n) as u32);
        let after: Vec<Server> = before.iter().filter(|s| s.id != gone).cloned().collect();
        let r0 = Router::build(&before, &config).unwrap();
        let r1 = Router::build(&after, &config).unwrap();
        let keys = keys(64, seed, r0.key_hash());
        for (b, a) in r0.assign(&keys).into_iter().zip(r1.assign(&keys)) {
            prop_assert!(a == b || b == Some(gone), "{algorithm:?}: {b:?} -> {a:?}");
        }
    }

    /// A failed server's keys fail over, no other key moves, and restoring it undoes it all.
    #[test]
    fn failing_and_restoring_moves_only_the_failed_servers_keys(n in 2usize..8, seed in any::<u64>(), down in any::<usize>(), which in 0usize..12) {
        let algorithm = Algorithm::ALL[which];
        let config = RouterConfig { algorithm, vnodes: 8, probes: 5, maglev_table_size: 251, ..RouterConfig::default() };
        let before = servers(n);
        let down = down % n;
        let mut failed = before.clone();
        failed[down].status = Status::Down;
        let r0 = Router::build(&before, &config).unwrap();
        let r1 = Router::build(&failed, &config).unwrap();
        let keys = keys(48, seed, r0.key_hash());
        let (a0, a1) = (r0.assign(&keys), r1.assign(&keys));
        for (b, a) in a0.iter().zip(&a1) {
            prop_assert!(*a != Some(ServerId(down as u32)));
            // Maglev and Envoy rebuild from the healthy servers and bounded loads re-balances:
            // these may move a few other keys too.
            if !matches!(algorithm, Algorithm::Maglev | Algorithm::EnvoyMaglev | Algorithm::EnvoyRing | Algorithm::BoundedLoads) {
                prop_assert!(a == b || *b == Some(ServerId(down as u32)), "{algorithm:?}: {b:?} -> {a:?}");
            }
        }
        // Restoring on the incremental ring (no rebuild) gives every key back.
        if algorithm == Algorithm::Ring {
            let mut ring = Ring::build(&before, &RingConfig { vnodes: 8, hash: HashFn::Xxh3 }).unwrap();
            ring.set_status(ServerId(down as u32), Status::Down).unwrap();
            prop_assert_eq!(ring.assign(&keys), a1.clone());
            ring.set_status(ServerId(down as u32), Status::Up).unwrap();
            prop_assert_eq!(ring.assign(&keys), a0.clone());
        }
    }

    /// Ownership shares add up to the whole ring, even when points collide (the toy hash has
    /// only 512 positions; pins can share one).
    #[test]
    fn ownership_adds_up_even_with_colliding_points(n in 1usize..7, vnodes in 1u32..60, toy in any::<bool>(), pins in proptest::collection::vec((0usize..7, 0u32..4), 0..6), at in any::<u64>()) {
        let hash = if toy { HashFn::Toy } else { HashFn::Xxh3 };
        let mut list = servers(n);
        for (server, index) in pins {
            list[server % n].pin(index % vnodes, at);
        }
        let ring = Ring::build(&list, &RingConfig { vnodes, hash }).unwrap();
        let total: f64 = ring.ownership().iter().sum();
        prop_assert!((total - 1.0).abs() < 1e-9, "shares add up to {total}");
        let arcs: u128 = ring.arcs().iter().map(|a| a.len()).sum();
        prop_assert_eq!(arcs, 1u128 << 64);
    }

    /// The ring without one server's points, computed in place, equals a ring built without
    /// it; and drawn under that server's own arcs it shows every position's true owner (the
    /// two-layer drawing of a server being dragged).
    #[test]
    fn arcs_without_a_server_layer_under_its_own_arcs(n in 1usize..7, vnodes in 1u32..40, toy in any::<bool>(), lifted in any::<usize>(), down_mask in any::<u8>(), pins in proptest::collection::vec((0usize..7, 0u32..4), 0..6), at in any::<u64>(), probes in proptest::collection::vec(any::<u64>(), 16)) {
        let hash = if toy { HashFn::Toy } else { HashFn::Xxh3 };
        let config = RingConfig { vnodes, hash };
        let mut list = servers(n);
        for (server, index) in pins {
            list[server % n].pin(index % vnodes, at);
        }
        for (i, s) in list.iter_mut().enumerate() {
            if down_mask & (1 << i) != 0 {
                s.status = Status::Down;
            }
        }
        let lifted = ServerId((lifted % n) as u32);
        let ring = Ring::build(&list, &config).unwrap();
        let under = ring.arcs_without(lifted);
        let rest: Vec<Server> = list.iter().filter(|s| s.id != lifted).cloned().collect();
        match Ring::build(&rest, &config) {
            Ok(without) => prop_assert_eq!(&under, &without.arcs()),
            Err(_) => prop_assert!(under.is_empty()),
        }
        let over: Vec<_> = ring.arcs().into_iter().filter(|a| a.owner == lifted).collect();
        let mut positions = probes;
        positions.extend(ring.positions().iter().flat_map(|&p| [p, p.wrapping_add(1)]));
        for x in positions {
            let shown = if over.iter().any(|a| a.contains(x)) {
                Some(lifted)
            } else {
                under.iter().find(|a| a.contains(x)).map(|a| a.owner)
            };
            prop_assert_eq!(shown, ring.lookup_position(x), "position {}", x);
        }
    }

    /// The fast ring, changed step by step, always equals the naive model and a ring built
    /// from scratch.
    #[test]
    fn the_fast_ring_equals_a_naive_scan_under_any_changes(ops in proptest::collection::vec(op(), 1..12), probes in proptest::collection::vec(any::<u64>(), 8)) {
        let vnodes = 3;
        let config = RingConfig { vnodes, hash: HashFn::Xxh3 };
        let mut model: Vec<Server> = servers(2);
        let mut ring = Ring::build(&model, &config).unwrap();
        let mut next_id = 2;
        for op in ops {
            let n = model.len();
            match op {
                Op::Add(weight) => {
                    let s = Server::new(next_id, format!("s{next_id}")).with_weight(weight);
                    next_id += 1;
                    ring.add_server(s.clone()).unwrap();
                    model.push(s);
                }
                Op::Remove(i) if n > 1 => {
                    let id = model.remove(i % n).id;
                    ring.remove_server(id).unwrap();
                }
                Op::Remove(_) => {}
                Op::Fail(i) | Op::Restore(i) => {
                    let status = if matches!(op, Op::Fail(_)) { Status::Down } else { Status::Up };
                    model[i % n].status = status;
                    ring.set_status(model[i % n].id, status).unwrap();
                }
                Op::Drag { server, index, position } => {
                    model[server % n].pin(index, position);
                    ring = Ring::build(&model, &config).unwrap();
                }
                Op::Shift { server, by } => {
                    model[server % n].shift = by;
                    ring = Ring::build(&model, &config).unwrap();
                }
                Op::Reset { server, index } => {
                    model[server % n].unpin(index);
                    ring = Ring::build(&model, &config).unwrap();
                }
            }
            prop_assert_eq!(&ring, &Ring::build(&model, &config).unwrap());
            let naive = NaiveRing::of(&model, vnodes);
            let point_positions: Vec<u64> = ring.points().map(|p| p.position).collect();
            for &h in probes.iter().chain(&point_positions) {
                prop_assert_eq!(ring.lookup_position(h).map(|s| s.0), naive.lookup(h));
                let next = h.wrapping_add(1);
                prop_assert_eq!(ring.lookup_position(next).map(|s| s.0), naive.lookup(next));
            }
        }
    }

    /// The merge that assigns a whole key set gives each key the owner a lookup gives it, also
    /// for keys exactly on a point, several points at one position, and down servers.
    #[test]
    fn assigning_a_key_set_equals_looking_up_each_key(n in 1usize..6, vnodes in 1u32..8, count in 0usize..300, seed in any::<u64>(), down_mask in any::<u8>(), pins in proptest::collection::vec((0usize..6, 0u32..8, 0usize..300), 0..6)) {
        let (keys, ring) = pinned_ring(n, vnodes, count, seed, down_mask, &pins);
        let looked_up: Vec<Option<ServerId>> = keys.positions().iter().map(|&h| ring.lookup_position(h)).collect();
        prop_assert_eq!(ring.assign(&keys), looked_up);
    }

    /// Re-assigning from a previous state's owners gives every algorithm what assigning from
    /// scratch gives, for any two labs over one key set: servers added, removed, re-weighted,
    /// failed, points pinned onto keys and onto each other, another vnode count, another
    /// algorithm.
    #[test]
    fn reassigning_from_before_equals_assigning_anew(which in proptest::collection::vec(0usize..24, 2), n in proptest::collection::vec(1usize..7, 2), vnodes in proptest::collection::vec(1u32..10, 2), masks in proptest::collection::vec(any::<u8>(), 2), weights in proptest::collection::vec(1u32..4, 7), count in 0usize..300, seed in any::<u64>(), pins in proptest::collection::vec((any::<bool>(), 0usize..7, 0u32..10, 0usize..300), 0..8)) {
        let key_set = keys(count, seed, HashFn::Xxh3);
        let build = |side: usize| {
            let mut model = servers(n[side]);
            for (k, s) in model.iter_mut().enumerate() {
                s.weight = if side == 1 { weights[k] } else { 1 };
                if masks[side] & (1 << k) != 0 {
                    s.status = Status::Down;
                }
            }
            for &(on_after, server, index, key) in &pins {
                if on_after == (side == 1)
                    && let Some(&position) = key_set.positions().get(key % count.max(1))
                {
                    let s = server % n[side];
                    let points = vnodes[side] * model[s].weight;
                    model[s].pin(index % points, position);
                }
            }
            // Half the cases are rings on both sides, the pair re-assigned from the change.
            let algorithm = Algorithm::ALL.get(which[side]).copied().unwrap_or(Algorithm::Ring);
            // Both sides hash keys alike, so the previous owners are for the same positions.
            let config = RouterConfig { algorithm, vnodes: vnodes[side], hash: HashFn::Xxh3, ..RouterConfig::default() };
            Router::build(&model, &config)
        };
        let (Ok(before), Ok(after)) = (build(0), build(1)) else {
            return Ok(());
        };
        let keys = if after.key_hash() == HashFn::Xxh3 { key_set.clone() } else { key_set.rehash(after.key_hash()) };
        let owners = before.assign(&keys);
        prop_assert_eq!(after.reassign(&before, &keys, &owners), after.assign(&keys));
    }

    /// Counting a ring's keys by its points gives the counts of its owners, slice by slice, for
    /// keys on points, points on one position, down servers and any number of slices.
    #[test]
    fn counting_by_points_equals_counting_the_owners(n in 1usize..6, vnodes in 1u32..8, count in 0usize..300, seed in any::<u64>(), down_mask in any::<u8>(), bins in 1usize..400, pins in proptest::collection::vec((0usize..6, 0u32..8, 0usize..300), 0..6)) {
        let (keys, ring) = pinned_ring(n, vnodes, count, seed, down_mask, &pins);
        let mut expected = vec![vec![0u32; bins]; n];
        for (&h, owner) in keys.positions().iter().zip(ring.assign(&keys)) {
            if let Some(id) = owner {
                let slot = ring.servers().iter().position(|s| s.id == id).unwrap();
                expected[slot][((u128::from(h) * bins as u128) >> 64) as usize] += 1;
            }
        }
        prop_assert_eq!(ring.binned_counts(&keys, bins), Some(expected));
    }

    /// A state's key counts (by points for rings) equal counting its owners, and a state
    /// computed from another one's owners equals one computed anew, for every algorithm, with
    /// any servers down (all of them too).
    #[test]
    fn a_states_counts_and_owners_are_those_computed_anew(which in proptest::collection::vec(0usize..24, 2), n in proptest::collection::vec(1usize..7, 2), count in 10usize..300, seed in any::<u64>(), masks in proptest::collection::vec(any::<u8>(), 2)) {
        use std::sync::Arc;
        use hashhalo_core::lab::LabState;
        use hashhalo_core::snapshot::Snapshot;
        let lab = |side: usize| {
            let mut lab = LabState { servers: servers(n[side]), ..LabState::default() };
            for (k, s) in lab.servers.iter_mut().enumerate() {
                if masks[side] & (1 << k) != 0 {
                    s.status = Status::Down;
                }
            }
            // Half the cases are rings, which count by points and re-assign from the change.
            lab.router.algorithm = Algorithm::ALL.get(which[side]).copied().unwrap_or(Algorithm::Ring);
            lab.keys.count = count as u32;
            lab.keys.seed = seed;
            lab
        };
        let before = Snapshot::generated(lab(0));
        let anew = Snapshot::generated(lab(1));
        let ids: Vec<ServerId> = anew.lab().servers.iter().map(|s| s.id).collect();
        prop_assert_eq!(anew.key_counts(), hashhalo_core::stats::key_counts(anew.owners(), &ids));
        // The same key set only where both hash keys alike, as the page's memo has it.
        if before.keys().hash() == anew.keys().hash() {
            let after = Snapshot::compute_after(lab(1), Arc::clone(before.keys()), Some(&before));
            prop_assert_eq!(after.owners(), anew.owners());
            prop_assert_eq!(after.key_counts(), anew.key_counts());
        }
    }

    /// Assigning from the positions alone (as the page's worker does for big key sets) gives
    /// every algorithm the owners assigning the key set gives, down servers included.
    #[test]
    fn assigning_positions_equals_assigning_the_key_set(which in 0usize..12, n in 1usize..7, count in 0usize..200, seed in any::<u64>(), down_mask in any::<u8>()) {
        let algorithm = Algorithm::ALL[which % Algorithm::ALL.len()];
        let mut model = servers(n);
        for (k, s) in model.iter_mut().enumerate() {
            if down_mask & (1 << k) != 0 && k > 0 {
                s.status = Status::Down;
            }
        }
        let config = RouterConfig { algorithm, vnodes: 8, ..RouterConfig::default() };
        let router = Router::build(&model, &config).unwrap();
        let keys = keys(count, seed, router.key_hash());
        prop_assert_eq!(router.assign_positions(keys.positions()), router.assign(&keys));
    }

    /// Preference lists hold distinct up servers, as many as asked or as are up, owner first.
    #[test]
    fn replicas_are_distinct_and_skip_down_servers(n in 1usize..9, down_mask in any::<u16>(), r in 1usize..6, key in any::<u64>(), which in 0usize..12) {
        let algorithm = Algorithm::ALL[which];
        let config = RouterConfig { algorithm, vnodes: 6, probes: 5, maglev_table_size: 251, ..RouterConfig::default() };
        let mut list = servers(n);
        for (i, s) in list.iter_mut().enumerate() {
            if down_mask & (1 << i) != 0 {
                s.status = Status::Down;
            }
        }
        let up = list.iter().filter(|s| s.is_up()).count();
        let router = Router::build(&list, &config).unwrap();
        let prefs = router.preference(key, r);
        prop_assert_eq!(prefs.len(), r.min(up), "{:?}", algorithm);
        let mut sorted = prefs.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(sorted.len(), prefs.len());
        for id in &prefs {
            prop_assert!(list.iter().any(|s| s.id == *id && s.is_up()));
        }
        prop_assert_eq!(prefs.first().copied(), router.route_position(key));
    }

    /// Bounded loads skips closed points in near-constant time, yet gives every key the server
    /// a plain walk gives: the first up one clockwise whose load is under its cap. Down
    /// servers, weights and piles of pinned points on one position included.
    #[test]
    fn bounded_loads_equal_a_plain_walk(n in 1usize..8, count in 0usize..300, c in 1.01f64..2.5, seed in any::<u64>(), vnodes in 1u32..12, down_mask in any::<u8>(), weights in proptest::collection::vec(1u32..4, 8), piles in proptest::collection::vec((0usize..8, 0u32..6), 0..8)) {
        let mut list = servers(n);
        for (i, s) in list.iter_mut().enumerate() {
            s.weight = weights[i];
            if down_mask & (1 << i) != 0 {
                s.status = Status::Down;
            }
        }
        for (server, index) in piles {
            if let Some(s) = list.get_mut(server) {
                s.pin(index, 1 << 40);
            }
        }
        let config = RouterConfig { algorithm: Algorithm::BoundedLoads, vnodes, load_factor: c, ..RouterConfig::default() };
        let router = Router::build(&list, &config).unwrap();
        let keys = keys(count, seed, HashFn::Xxh3);
        let ring = router.ring().unwrap();
        let up_weight: f64 = list.iter().filter(|s| s.is_up()).map(|s| f64::from(s.weight)).sum();
        let caps: Vec<usize> = ring.servers().iter().map(|s| if s.is_up() {
            (c * count as f64 * f64::from(s.weight) / up_weight).ceil() as usize
        } else { 0 }).collect();
        let mut loads = vec![0usize; list.len()];
        let positions = ring.positions();
        let walked: Vec<Option<ServerId>> = keys.positions().iter().map(|&h| {
            let start = positions.partition_point(|&x| x < h);
            (0..positions.len()).map(|step| ring.point_slot((start + step) % positions.len())).find(|&slot| {
                ring.servers()[slot].is_up() && loads[slot] < caps[slot]
            }).map(|slot| {
                loads[slot] += 1;
                ring.servers()[slot].id
            })
        }).collect();
        prop_assert_eq!(router.assign(&keys), walked);
    }

    /// Replica loads counted in bulk (a ring's per-point table, AnchorHash's undone walks)
    /// equal counting every key's own preference list, for every algorithm.
    #[test]
    fn replica_counts_equal_counting_each_keys_list(n in 1usize..8, r in 1usize..7, which in 0usize..12, down_mask in any::<u8>(), count in 0usize..200, seed in any::<u64>(), piles in proptest::collection::vec((0usize..8, 0u32..4), 0..6), toy in any::<bool>()) {
        let mut list = servers(n);
        for (i, s) in list.iter_mut().enumerate() {
            if down_mask & (1 << i) != 0 {
                s.status = Status::Down;
            }
        }
        for (server, index) in piles {
            if let Some(s) = list.get_mut(server) {
                s.pin(index, 1 << 50);
            }
        }
        let hash = if toy { HashFn::Toy } else { HashFn::Xxh3 };
        let config = RouterConfig { algorithm: Algorithm::ALL[which], hash, vnodes: 5, probes: 4, maglev_table_size: 101, ..RouterConfig::default() };
        let router = Router::build(&list, &config).unwrap();
        let keys = keys(count, seed, router.key_hash());
        let mut expected = vec![0u64; list.len()];
        for &h in keys.positions() {
            for id in router.preference(h, r) {
                expected[list.iter().position(|s| s.id == id).unwrap()] += 1;
            }
        }
        prop_assert_eq!(router.replica_counts(&keys, r), expected);
    }

    /// No server ever holds more than ⌈c · K / n⌉ keys under bounded loads.
    #[test]
    fn bounded_loads_never_exceed_the_cap(n in 1usize..10, count in 0usize..400, c in 1.01f64..3.0, seed in any::<u64>(), vnodes in 1u32..20) {
        let config = RouterConfig { algorithm: Algorithm::BoundedLoads, vnodes, load_factor: c, ..RouterConfig::default() };
        let router = Router::build(&servers(n), &config).unwrap();
        let keys = keys(count, seed, HashFn::Xxh3);
        let owners = router.assign(&keys);
        let cap = (c * count as f64 / n as f64).ceil() as usize;
        for id in 0..n as u32 {
            let load = owners.iter().filter(|o| **o == Some(ServerId(id))).count();
            prop_assert!(load <= cap, "server {id} holds {load} > {cap}");
        }
        prop_assert!(owners.iter().all(Option::is_some));
    }
}

#[test]
fn bad_input_gives_typed_errors_not_panics() {
    use hashhalo_core::RingError;
    let config = RingConfig::default();
    assert_eq!(Ring::build(&[], &config), Err(RingError::NoServers));
    assert_eq!(
        Ring::build(&[Server::new(0, "A").with_weight(0)], &config),
        Err(RingError::ZeroWeight("A".into()))
    );
    assert_eq!(
        Ring::build(&[Server::new(0, "A"), Server::new(0, "B")], &config),
        Err(RingError::DuplicateId(0))
    );
    assert_eq!(
        Ring::build(
            &[Server::new(0, "A")],
            &RingConfig {
                vnodes: 0,
                ..config
            }
        ),
        Err(RingError::ZeroVnodes)
    );
    assert!(matches!(
        Ring::build(
            &[Server::new(0, "A")],
            &RingConfig {
                vnodes: u32::MAX,
                ..config
            }
        ),
        Err(RingError::TooManyPoints(_))
    ));
    for algorithm in Algorithm::ALL {
        let cfg = RouterConfig {
            algorithm,
            ..RouterConfig::default()
        };
        assert!(Router::build(&[], &cfg).is_err(), "{algorithm:?}");
        let router = Router::build(&[Server::new(0, "A")], &cfg).unwrap();
        assert!(router.assign(&KeySet::default()).is_empty());
        let mut down = Server::new(0, "A");
        down.status = Status::Down;
        let router = Router::build(&[down], &cfg).unwrap();
        assert_eq!(router.route(b"k"), None, "{algorithm:?}");
    }
}

/// Every algorithm, with every hash, reaches more than one server: hashes that fill only a
/// position's top bits (md5, crc32, toy) must not collapse the key set onto one server.
#[test]
fn every_algorithm_spreads_keys_with_every_hash() {
    let servers = servers(4);
    let keys: Vec<String> = (0..400).map(|i| format!("user:{i}")).collect();
    for algorithm in Algorithm::ALL {
        for hash in HashFn::ALL {
            let config = RouterConfig {
                algorithm,
                hash,
                vnodes: 50,
                maglev_table_size: 1021,
                ..RouterConfig::default()
            };
            let router = Router::build(&servers, &config).unwrap();
            let owners = router.assign(&KeySet::from_keys(keys.clone(), router.key_hash()));
            let mut used: Vec<_> = owners.iter().flatten().collect();
            used.sort();
            used.dedup();
            assert!(
                used.len() >= 3,
                "{algorithm:?} with {hash:?} used only {used:?}"
            );
        }
    }
}
