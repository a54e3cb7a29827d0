//! The work budget: what computing a lab costs, known before anything is computed.
//!
//! Costs are estimated nanoseconds natively on the project's 2-core machine, measured at a
//! million keys and 64 servers with
//! `cargo bench -p hashhalo-core --features json --bench hostile_inputs -- --calibrate` (on a
//! loaded machine, so they err high). Every input form is priced in them: a lab
//! ([`max_keys`], applied by [`LabState::clamped`] and by every edit), a scenario
//! ([`Scenario::check_work`](crate::scenario::Scenario::check_work)), an experiment.

use crate::algorithms::Algorithm;
use crate::lab::LabState;

/// The most opening a lab may cost ([`step_work`]: its keys made and a state computed): one
/// step of anything the page accepts is computed within the 2 s bound on this project's
/// machine (the hostile-inputs benchmark checks every algorithm at its slowest).
pub const MAX_STEP_WORK: u64 = 2_000_000_000;

/// What making a key costs, in estimated nanoseconds: generating it, hashing it and sorting
/// it by position, priced at 0.7 µs, 0.2 more for a URL and 0.15 more for md5. Measured
/// natively at 0.3 to 0.6 µs since repeats are found among numbers (2026-12-08; it was 1.2
/// to 2.2 µs, priced at 0.9); the rest is room for a slower machine.
///
/// ```
/// use hashhalo_core::work::key_making;
/// use hashhalo_core::{HashFn, KeyKind};
///
/// assert_eq!(key_making(KeyKind::UserIds, HashFn::Xxh3), 700);
/// assert_eq!(key_making(KeyKind::Urls, HashFn::Md5), 1050);
/// ```
pub fn key_making(kind: crate::KeyKind, hash: crate::HashFn) -> u64 {
    700 + if kind == crate::KeyKind::Urls { 200 } else { 0 }
        + if hash == crate::HashFn::Md5 { 150 } else { 0 }
}

/// [`key_making`] for `lab`'s keys, hashed as its algorithm hashes them.
fn key_making_of(lab: &LabState) -> u64 {
    key_making(
        lab.keys.kind,
        lab.router.algorithm.key_hash(lab.router.hash),
    )
}

/// How many servers a lab has, and how many of them are up: what the price of placing a key
/// depends on besides the algorithm's parameters.
///
/// ```
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::work::Fleet;
///
/// assert_eq!(Fleet::of(&LabState::default()), Fleet { servers: 3, up: 3 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fleet {
    /// Every server, up or down.
    pub servers: usize,
    /// The servers up.
    pub up: usize,
}

impl Fleet {
    /// `lab`'s servers.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::work::Fleet;
    /// use hashhalo_core::Status;
    ///
    /// let mut lab = LabState::default();
    /// lab.servers[0].status = Status::Down;
    /// assert_eq!(Fleet::of(&lab), Fleet { servers: 3, up: 2 });
    /// ```
    pub fn of(lab: &LabState) -> Fleet {
        Fleet {
            servers: lab.servers.len(),
            up: lab.servers.iter().filter(|s| s.is_up()).count(),
        }
    }

    /// `n` servers, all up.
    ///
    /// ```
    /// use hashhalo_core::work::Fleet;
    ///
    /// assert_eq!(Fleet::all_up(64).up, 64);
    /// ```
    pub fn all_up(n: usize) -> Fleet {
        Fleet { servers: n, up: n }
    }

    /// How many more times than usual jump hashes a key to find `replicas` up servers: it
    /// draws servers at random (`servers / up` draws for the first, more for the next), at
    /// most 64 times before taking the list's order.
    fn jump_redraws(self, replicas: u64) -> u64 {
        let (n, up) = (self.servers as u64, self.up as u64);
        let want = replicas.min(up);
        let draws: u64 = (0..want).map(|i| n * 1000 / (up - i)).sum::<u64>() / 1000;
        draws.min(64).saturating_sub(want)
    }
}

/// What computing one state of a lab costs a key, in estimated nanoseconds, over keys already
/// made: every key is placed, compared with the state before and counted (100 ns, and 27 more
/// a replica for the preference lists); rendezvous scores every server (40 ns a server),
/// multi-probe hashes every probe (25 ns a probe), jump draws again for every down server it
/// lands on (30 ns a draw: with 63 of 64 servers down, 63 more draws a key), AnchorHash walks
/// its removed buckets for each replica (133 ns a replica), Maglev fills its table (200 ns)
/// and bounded loads keeps its caps (33 ns). Measured with `cargo bench -p hashhalo-core
/// --features json --bench hostile_inputs` at a million keys, 64 servers and five replicas,
/// where a step places the keys three times (before, after, and with every server up for the
/// unavailable ones), and jump's draws with `--bench worst_links`.
///
/// ```
/// use hashhalo_core::algorithms::Algorithm;
/// use hashhalo_core::work::{per_key, Fleet};
///
/// let all = Fleet::all_up(64);
/// assert_eq!(per_key(Algorithm::Ring, all, 64, 1), 127);
/// assert_eq!(per_key(Algorithm::Rendezvous, all, 64, 1), 127 + 40 * 64);
/// assert_eq!(per_key(Algorithm::Jump, all, 64, 1), 127);
/// assert_eq!(per_key(Algorithm::Jump, Fleet { servers: 64, up: 1 }, 64, 1), 127 + 30 * 63);
/// ```
pub fn per_key(algorithm: Algorithm, fleet: Fleet, probes: u32, replicas: u8) -> u64 {
    let replicas = u64::from(replicas.max(1));
    let extra = match algorithm {
        Algorithm::Rendezvous => 40 * fleet.servers as u64,
        Algorithm::MultiProbe => 25 * u64::from(probes),
        Algorithm::Jump => 30 * fleet.jump_redraws(replicas),
        Algorithm::Anchor => 133 * replicas,
        Algorithm::Maglev | Algorithm::EnvoyMaglev => 200,
        Algorithm::BoundedLoads => 33,
        _ => 0,
    };
    100 + 27 * replicas + extra
}

/// What computing one state of `lab` costs over keys already made ([`per_key`] for each key).
///
/// ```
/// use hashhalo_core::algorithms::Algorithm;
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::work::state_work;
///
/// let mut lab = LabState::default();
/// let ring = state_work(&lab);
/// lab.router.algorithm = Algorithm::Rendezvous;
/// assert!(state_work(&lab) > ring);
/// ```
pub fn state_work(lab: &LabState) -> u64 {
    u64::from(key_count(lab))
        * per_key(
            lab.router.algorithm,
            Fleet::of(lab),
            lab.router.probes,
            lab.replicas,
        )
}

/// What making `lab`'s keys costs ([`key_making`] a key).
///
/// ```
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::work::key_work;
///
/// assert_eq!(key_work(&LabState::default()), 1000 * 700);
/// ```
pub fn key_work(lab: &LabState) -> u64 {
    u64::from(key_count(lab)) * key_making_of(lab)
}

/// How many keys `lab` holds: its pasted list's count when it has one (a pasted key costs
/// what a generated one does: it is read, hashed and sorted), else its generated keys'.
///
/// ```
/// use hashhalo_core::lab::{LabState, PastedKeys};
/// use hashhalo_core::work::key_count;
///
/// let mut lab = LabState::default();
/// assert_eq!(key_count(&lab), 1000);
/// lab.pasted = Some(PastedKeys { count: 7, fingerprint: 0 });
/// assert_eq!(key_count(&lab), 7);
/// ```
pub fn key_count(lab: &LabState) -> u32 {
    lab.pasted.map_or(lab.keys.count, |p| p.count)
}

/// What opening a step of `lab` costs: its keys made and three states computed (the step
/// before, this one, and every server up for the keys no server holds).
///
/// ```
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::work::{key_work, state_work, step_work};
///
/// let lab = LabState::default();
/// assert_eq!(step_work(&lab), key_work(&lab) + 3 * state_work(&lab));
/// ```
pub fn step_work(lab: &LabState) -> u64 {
    key_work(lab) + 3 * state_work(lab)
}

/// The most keys a lab of this algorithm, servers, probes and replicas, whose keys cost
/// `making` each to make ([`key_making`]), can hold within [`MAX_STEP_WORK`], no more than
/// `cap`: `cap` itself for all but the algorithms whose cost grows with the servers (or the
/// down ones), the probes or the replicas.
///
/// ```
/// use hashhalo_core::algorithms::Algorithm;
/// use hashhalo_core::work::{max_keys, Fleet};
///
/// let all = Fleet::all_up(64);
/// assert_eq!(max_keys(Algorithm::Ring, all, 64, 5, 1250, 1_000_000), 1_000_000);
/// assert_eq!(max_keys(Algorithm::Rendezvous, all, 1, 1, 700, 1_000_000), 228_000);
/// // Over a few servers, rendezvous keeps a million.
/// assert_eq!(max_keys(Algorithm::Rendezvous, Fleet::all_up(7), 1, 1, 700, 1_000_000), 1_000_000);
/// assert_eq!(max_keys(Algorithm::Jump, all, 1, 1, 900, 1_000_000), 1_000_000);
/// let one_up = Fleet { servers: 64, up: 1 };
/// assert_eq!(max_keys(Algorithm::Jump, one_up, 1, 1, 700, 1_000_000), 296_000);
/// ```
pub fn max_keys(
    algorithm: Algorithm,
    fleet: Fleet,
    probes: u32,
    replicas: u8,
    making: u64,
    cap: u32,
) -> u32 {
    let most = MAX_STEP_WORK / (making + 3 * per_key(algorithm, fleet, probes, replicas));
    // Rounded down to a thousand, so the cap reads as a round number.
    let most = (most / 1000 * 1000).max(1000);
    cap.min(u32::try_from(most).unwrap_or(u32::MAX))
}

/// [`max_keys`] for `lab`.
///
/// ```
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::work::max_keys_of;
///
/// assert_eq!(max_keys_of(&LabState::default(), 1_000_000), 1_000_000);
/// ```
pub fn max_keys_of(lab: &LabState, cap: u32) -> u32 {
    max_keys(
        lab.router.algorithm,
        Fleet::of(lab),
        lab.router.probes,
        lab.replicas,
        key_making_of(lab),
        cap,
    )
}

/// The sentence for a lab with more keys than [`max_keys`] allows it, and what is done about
/// it (`then`): the clamp's note, an edit's refusal and a scenario's say the same. The down
/// servers are named where they count (for jump).
pub(crate) fn too_many_keys(algorithm: Algorithm, fleet: Fleet, most: u32, then: &str) -> String {
    let down = fleet.servers - fleet.up;
    format!(
        "{} over {} servers{} can place at most {} keys quickly; {then}",
        algorithm.name(),
        fleet.servers,
        if algorithm == Algorithm::Jump && down > 0 {
            format!(", {down} of them down,")
        } else {
            String::new()
        },
        crate::format::count(u64::from(most))
    )
}

/// [`too_many_keys`] for `lab`.
pub(crate) fn too_many_keys_of(lab: &LabState, most: u32, then: &str) -> String {
    too_many_keys(lab.router.algorithm, Fleet::of(lab), most, then)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Edit;
    use crate::lab::Limits;
    use crate::{Server, ServerId};

    /// 64 servers under the ring with a million keys.
    fn big_ring() -> LabState {
        let mut lab = LabState {
            servers: (0..64).map(|i| Server::new(i, format!("s{i}"))).collect(),
            ..LabState::default()
        };
        lab.keys.count = 1_000_000;
        lab
    }

    /// Finding: rendezvous over 64 servers at a million keys took 8 s a state. The clamp now
    /// lowers such a lab's keys, and says so once.
    #[test]
    fn the_clamp_lowers_the_keys_of_an_algorithm_that_visits_every_server() {
        let mut lab = big_ring();
        assert_eq!(lab.clamped(&Limits::APP).1, Vec::<String>::new());
        lab.router.algorithm = Algorithm::Rendezvous;
        let (clamped, notes) = lab.clamped(&Limits::APP);
        let most = max_keys_of(&lab, 1_000_000);
        assert_eq!(clamped.keys.count, most);
        assert!(step_work(&clamped) <= MAX_STEP_WORK);
        assert_eq!(
            notes,
            [format!(
                "rendezvous over 64 servers can place at most {} keys quickly; using as many",
                crate::format::count(u64::from(most)),
            )]
        );
        assert_eq!(clamped.clamped(&Limits::APP), (clamped.clone(), Vec::new()));
        assert_eq!(LabState::decode(&clamped.encode()).unwrap(), clamped);
    }

    /// The edits that would take a lab past its key cap are refused, and the lab kept.
    #[test]
    fn edits_past_the_key_cap_are_refused() {
        let lab = big_ring();
        let e = lab
            .apply(&Edit::SetAlgorithm(Algorithm::Rendezvous), &Limits::APP)
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("rendezvous over 64 servers can place at most "),
            "{e}"
        );
        let mut fewer = lab.clone();
        fewer.keys.count = 100_000;
        let rendezvous = fewer
            .apply(&Edit::SetAlgorithm(Algorithm::Rendezvous), &Limits::APP)
            .unwrap();
        assert!(
            rendezvous
                .apply(&Edit::SetKeyCount(1_000_000), &Limits::APP)
                .is_err()
        );
        let mut probes = fewer
            .apply(&Edit::SetAlgorithm(Algorithm::MultiProbe), &Limits::APP)
            .unwrap();
        probes.keys.count = max_keys_of(&probes, 1_000_000);
        assert!(probes.apply(&Edit::SetProbes(64), &Limits::APP).is_err());
        // Removing a server makes room: never refused.
        assert!(
            rendezvous
                .apply(&Edit::RemoveServer(ServerId(3)), &Limits::APP)
                .is_ok()
        );
    }

    /// Finding: a pasted list of a million keys was not priced, so rendezvous over 64
    /// servers placed it for 6 s. Pasting it, an edit that makes it too costly, and a link
    /// recording it are now held to the same budget as generated keys.
    #[test]
    fn a_pasted_list_is_priced_as_generated_keys_are() {
        use crate::lab::PastedKeys;
        let list = PastedKeys {
            count: 1_000_000,
            fingerprint: 1,
        };
        let mut lab = big_ring();
        lab.keys.count = 1000;
        let pasted = lab.with_pasted(Some(list), &Limits::APP).unwrap();
        assert_eq!(key_count(&pasted), 1_000_000);
        assert_eq!(step_work(&pasted), step_work(&big_ring()));
        // The generated count is small, but the pasted list is what would be placed.
        let e = pasted
            .apply(&Edit::SetAlgorithm(Algorithm::Rendezvous), &Limits::APP)
            .unwrap_err();
        assert!(e.to_string().ends_with("use fewer keys first"), "{e}");
        let rendezvous = lab
            .apply(&Edit::SetAlgorithm(Algorithm::Rendezvous), &Limits::APP)
            .unwrap();
        let e = rendezvous
            .with_pasted(Some(list), &Limits::APP)
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("rendezvous over 64 servers can place at most "),
            "{e}"
        );
        let fits = PastedKeys {
            count: max_keys_of(&rendezvous, 1_000_000),
            fingerprint: 2,
        };
        assert!(rendezvous.with_pasted(Some(fits), &Limits::APP).is_ok());
        // A link recording the list opens without it, and says so once.
        let mut linked = rendezvous.clone();
        linked.pasted = Some(list);
        let (clamped, notes) = linked.clamped(&Limits::APP);
        assert_eq!(clamped.pasted, None);
        assert!(step_work(&clamped) <= MAX_STEP_WORK);
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].ends_with("the pasted keys this link was made with are left out"),
            "{notes:?}"
        );
        assert_eq!(clamped.clamped(&Limits::APP).1, Vec::<String>::new());
    }

    /// Finding: jump over 64 servers with 63 down took 5.1 s a step at a million keys (it
    /// draws again for every down server it lands on, up to 64 times a key). The clamp lowers
    /// such a lab's keys, and failing the servers one by one is refused when it would pass
    /// the budget; restoring one is never refused.
    #[test]
    fn jump_is_priced_by_its_down_servers() {
        use crate::Status;
        let mut lab = big_ring();
        lab.router.algorithm = Algorithm::Jump;
        assert_eq!(lab.clamped(&Limits::APP).1, Vec::<String>::new());
        let mut failed = 0;
        let refused = loop {
            let id = lab.servers[failed].id;
            match lab.apply(&Edit::FailServer(id), &Limits::APP) {
                Ok(next) => {
                    assert!(step_work(&next) <= MAX_STEP_WORK);
                    lab = next;
                    failed += 1;
                }
                Err(e) => break e.to_string(),
            }
        };
        assert!(failed > 10 && failed < 63, "{failed}");
        assert!(
            refused.starts_with(&format!(
                "jump over 64 servers, {} of them down, can place at most ",
                failed + 1
            )),
            "{refused}"
        );
        assert!(
            refused.ends_with("keys quickly; use fewer keys first"),
            "{refused}"
        );
        let restored = lab
            .apply(&Edit::RestoreServer(lab.servers[0].id), &Limits::APP)
            .unwrap();
        assert!(step_work(&restored) < step_work(&lab));
        // A link with 63 of 64 down opens with fewer keys, and says why.
        let mut linked = lab.clone();
        for s in &mut linked.servers[..63] {
            s.status = Status::Down;
        }
        let (clamped, notes) = linked.clamped(&Limits::APP);
        assert!(clamped.keys.count < 300_000, "{}", clamped.keys.count);
        assert!(step_work(&clamped) <= MAX_STEP_WORK);
        assert_eq!(
            notes,
            [format!(
                "jump over 64 servers, 63 of them down, can place at most {} keys quickly; \
                 using as many",
                crate::format::count(u64::from(clamped.keys.count))
            )]
        );
    }
}
