//! What every fuzz target checks: the path a share link takes through the app, with the
//! promises the core makes along it.
//!
//! `LabState::decode` → `clamped` → `Snapshot` (router, keys, every key's owner) → ownership,
//! arcs, preference lists → the movement from a changed state. Nothing may panic, and libFuzzer's
//! `-timeout` turns any input that takes seconds into a failure, which is how a freeze shows.

use std::sync::Arc;

use hashhalo_core::Status;
use hashhalo_core::lab::{LabState, Limits};
use hashhalo_core::snapshot::Snapshot;

/// The app's limits, with fewer keys. A fuzzer learns from many inputs a second; the app's
/// 100 000 keys would make each input take a tenth of a second. Every cost that grows with
/// the keys still grows here: a per-key walk over 256 Ki points is seconds at 10 000 keys too.
pub const FUZZ_LIMITS: Limits = Limits {
    keys: (10, 10_000),
    ..Limits::APP
};

/// Opens `text` as the app opens a link, and checks what the core promises of it.
pub fn open_link(text: &str) {
    let Ok(lab) = LabState::decode(text) else {
        return;
    };
    open_lab(&lab);
}

/// Clamps `lab` as the app does and computes everything the page shows from it.
pub fn open_lab(lab: &LabState) {
    let (safe, notes) = lab.clamped(&FUZZ_LIMITS);
    assert!(notes.len() <= 16, "{} notes", notes.len());
    assert!(notes.iter().all(|n| n.chars().count() < 300), "{notes:?}");
    let (again, more) = safe.clamped(&FUZZ_LIMITS);
    assert_eq!(again, safe, "clamping twice changed the state");
    assert!(more.is_empty(), "clamping twice said {more:?}");
    assert_eq!(LabState::decode(&safe.encode()).as_ref(), Ok(&safe));

    let after = Snapshot::generated(safe.clone());
    let router = after.router().expect("a clamped lab always builds");
    assert_eq!(after.owners().len(), after.keys().len());
    for owner in after.owners().iter().flatten() {
        assert!(safe.servers.iter().any(|s| s.id == *owner && s.is_up()));
    }
    let (shares, _) = router.ownership();
    assert!(shares.iter().sum::<f64>() <= 1.0 + 1e-9);
    if let Some(ring) = router.ring() {
        let covered: u128 = ring.arcs().iter().map(|a| a.len()).sum();
        assert!(covered == 0 || covered == 1 << 64);
    }
    // The legend's copies and the balance sentences, as the page shows them.
    let copies = after.replica_counts();
    let up = safe.servers.iter().filter(|s| s.is_up()).count();
    let expected = after.keys().len() * usize::from(safe.replicas).min(up);
    if safe.router.algorithm != hashhalo_core::algorithms::Algorithm::BoundedLoads {
        assert_eq!(copies.iter().sum::<u64>() as usize, expected);
    }
    assert!(!hashhalo_core::explain::balance(&after).is_empty());
    // Preference lists as the page's probe asks for them (one key) and as the replica counts
    // make them (many keys at once, from a table): the same lists, without repeats. A single
    // walk may pass every point of the down servers, so only a few keys walk.
    let replicas = usize::from(safe.replicas);
    let probed: Vec<u64> = after.keys().positions().iter().take(64).copied().collect();
    let lists = router.preferences(&probed, replicas);
    assert_eq!(lists.len(), probed.len());
    for (k, (&h, list)) in probed.iter().zip(&lists).enumerate() {
        if k < 4 {
            assert_eq!(*list, router.preference(h, replicas));
        }
        let mut distinct = list.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), list.len());
    }

    // A change the movement panel compares: the first server fails (or comes back).
    let mut changed = safe;
    if let Some(first) = changed.servers.first_mut() {
        first.status = match first.status {
            Status::Up => Status::Down,
            Status::Down => Status::Up,
        };
    }
    let before = Snapshot::compute(changed, Arc::clone(after.keys()));
    let movement = after.movement_from(&before).expect("the same keys compare");
    assert!(movement.moved.len() <= movement.total);
    assert!((0.0..=1.0 + 1e-9).contains(&movement.minimum));
}

/// Opens `text` as the page's address (`#…`): a lab, or a scenario and its step, and a view.
/// Whatever it says, the page gets a link it can show, and a carried scenario reads back as
/// itself.
pub fn open_page(text: &str) {
    use hashhalo_core::link::{Link, ScenarioRef};

    let (link, notes) = Link::parse(text);
    assert!(notes.len() <= 32, "{} notes", notes.len());
    let (again, _) = Link::parse(&link.fragment());
    assert_eq!(
        again, link,
        "the link's own fragment reads back differently"
    );
    if let Some(ScenarioRef::Carried(s)) = &link.scenario {
        open_scenario(s);
    }
    let (_, now, _) = link.labs();
    open_lab(&now);
}

/// The promises a scenario that was read makes: its compact form reads back as itself, every
/// step can be replayed, and the step the player shows can be computed.
pub fn open_scenario(s: &hashhalo_core::scenario::Scenario) {
    use hashhalo_core::scenario::Scenario;

    assert_eq!(Scenario::decode(&s.encode()).as_ref(), Ok(s));
    for k in 0..=s.steps.len() {
        let lab = s.lab_at(k).expect("a scenario that was read replays");
        assert_eq!(lab.clamped(&Limits::APP).1, Vec::<String>::new());
    }
    if let Ok(last) = s.lab_at(s.steps.len()) {
        open_lab(&last);
    }
}
