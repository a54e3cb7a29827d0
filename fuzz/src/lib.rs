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
    // At the app's own limits, the lab is within the work budget.
    let (app, _) = lab.clamped(&Limits::APP);
    assert!(
        hashhalo_core::work::step_work(&app) <= hashhalo_core::work::MAX_STEP_WORK,
        "a lab past its budget was accepted"
    );
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
/// step can be replayed, the step the player shows can be computed, and what checking it
/// costs is within the budget, each step's lab too (an input past its budget fails here, not
/// only by freezing past libFuzzer's timeout).
pub fn open_scenario(s: &hashhalo_core::scenario::Scenario) {
    use hashhalo_core::scenario::{MAX_CHECK_WORK, Scenario};
    use hashhalo_core::work::{MAX_STEP_WORK, step_work};

    assert_eq!(Scenario::decode(&s.encode()).as_ref(), Ok(s));
    let work = s.check_work();
    assert!(
        work <= MAX_CHECK_WORK,
        "a scenario priced at {work} was accepted"
    );
    let mut lab = s.start.clone();
    assert!(step_work(&lab) <= MAX_STEP_WORK);
    for step in &s.steps {
        for edit in &step.edits {
            lab.apply_in_place(edit, &Limits::APP)
                .expect("a scenario that was read replays");
        }
        assert!(step_work(&lab) <= MAX_STEP_WORK, "a step past its budget");
    }
    assert_eq!(lab.clamped(&Limits::APP).1, Vec::<String>::new());
    // The walk, one step from the one before, is the definition's replay from the start.
    assert_eq!(s.lab_at(s.steps.len()).as_ref(), Ok(&lab));

    if let Ok(last) = s.lab_at(s.steps.len()) {
        open_lab(&last);
    }
}

/// A scenario built field by field from the fuzzer's bytes, large enough to reach the heavy
/// ones: servers with runs of pins (up to 20,000 each, 64 Ki in all), steps repeated up to 200 and edits up
/// to 100 a step, keys up to a million, every algorithm. Its start is clamped, so every input
/// is a scenario the page could be sent; whether it is accepted is the reader's to say.
pub fn arbitrary_scenario(
    u: &mut arbitrary::Unstructured<'_>,
) -> arbitrary::Result<hashhalo_core::scenario::Scenario> {
    use hashhalo_core::algorithms::Algorithm;
    use hashhalo_core::edit::Edit;
    use hashhalo_core::scenario::{Expect, Scenario, Step};
    use hashhalo_core::{Pin, Server, ServerId};

    let servers: u8 = u.int_in_range(1..=64)?;
    let mut start = LabState {
        servers: Vec::new(),
        ..LabState::default()
    };
    // At most 64 Ki pins in all, a quarter of what the clamp keeps: a link of the most pins
    // (2 MB) takes about 4 s to read, clamp, write and read again under the sanitizer, too
    // near the 5 s that fails as a freeze (natively it reads in under 100 ms, checked by
    // `tests/bounded_scenarios.rs` and the hostile-inputs benchmark). 64 Ki pins are still
    // enough to reach the pin edits' limit (`MAX_PIN_SHIFTS`, 16 Mi shifts).
    let mut pins_left: u32 = 1 << 16;
    for i in 0..servers {
        let weight: u32 = u.int_in_range(1..=20)?;
        let pins: u32 = u.int_in_range(0..=20_000u32)?.min(pins_left);
        pins_left -= pins;
        let spread: u64 = u.arbitrary()?;
        let mut server = Server::new(u32::from(i), format!("s{i}")).with_weight(weight);
        server.pins = (0..pins)
            .map(|index| Pin {
                index,
                position: u64::from(index).wrapping_mul(spread),
            })
            .collect();
        start.servers.push(server);
    }
    start.router.algorithm = Algorithm::ALL[u.choose_index(Algorithm::ALL.len())?];
    start.router.vnodes = u.int_in_range(1..=1000)?;
    start.router.probes = u.int_in_range(1..=64)?;
    start.keys.count = u.int_in_range(10..=1_000_000)?;
    start.replicas = u.int_in_range(1..=5)?;
    let (start, _) = start.clamped(&Limits::APP);
    let ids: Vec<ServerId> = start.servers.iter().map(|s| s.id).collect();
    let edit = |u: &mut arbitrary::Unstructured<'_>| -> arbitrary::Result<Edit> {
        let id = ids[u.choose_index(ids.len())?];
        Ok(match u.int_in_range(0..=9u8)? {
            0 => Edit::SetVnodes(u.int_in_range(1..=1000)?),
            1 => Edit::PinVnode {
                server: id,
                index: u.int_in_range(0..=20_000)?,
                position: u.arbitrary()?,
            },
            2 => Edit::UnpinVnode {
                server: id,
                index: u.int_in_range(0..=20_000)?,
            },
            3 => Edit::SetKeyCount(u.int_in_range(10..=1_000_000)?),
            4 => Edit::SetKeySeed(u.int_in_range(0..=3)?),
            5 => Edit::FailServer(id),
            6 => Edit::RestoreServer(id),
            7 => Edit::SetAlgorithm(Algorithm::ALL[u.choose_index(Algorithm::ALL.len())?]),
            8 => Edit::WeighServer {
                server: id,
                weight: u.int_in_range(1..=20)?,
            },
            _ => Edit::AddServer {
                label: format!("n{}", u.int_in_range(0..=99u8)?),
            },
        })
    };
    let mut steps = Vec::new();
    let kinds: u8 = u.int_in_range(0..=8)?;
    for _ in 0..kinds {
        let mut edits = Vec::new();
        for _ in 0..u.int_in_range(0..=4u8)? {
            let e = edit(u)?;
            let times: u8 = u.int_in_range(1..=50)?;
            edits.extend(std::iter::repeat_n(e, usize::from(times)));
        }
        edits.truncate(100);
        let expect = if u.arbitrary()? {
            vec![
                Expect::Unavailable {
                    min: 0,
                    max: u64::MAX
                };
                usize::from(u.int_in_range(1..=3u8)?)
            ]
        } else {
            Vec::new()
        };
        let step = Step {
            caption: "A step.".into(),
            edits,
            expect,
            ..Step::default()
        };
        let times: u8 = u.int_in_range(1..=200)?;
        steps.extend(std::iter::repeat_n(step, usize::from(times)));
    }
    steps.truncate(200);
    Ok(Scenario {
        id: "fuzzed".into(),
        title: "Fuzzed".into(),
        about: String::new(),
        start,
        steps,
    })
}
