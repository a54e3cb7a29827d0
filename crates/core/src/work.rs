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
/// it by position, about 0.9 µs, 0.2 more for a URL and 0.15 more for md5.
///
/// ```
/// use hashhalo_core::work::key_making;
/// use hashhalo_core::{HashFn, KeyKind};
///
/// assert_eq!(key_making(KeyKind::UserIds, HashFn::Xxh3), 900);
/// assert_eq!(key_making(KeyKind::Urls, HashFn::Md5), 1250);
/// ```
pub fn key_making(kind: crate::KeyKind, hash: crate::HashFn) -> u64 {
    900 + if kind == crate::KeyKind::Urls { 200 } else { 0 }
        + if hash == crate::HashFn::Md5 { 150 } else { 0 }
}

/// [`key_making`] for `lab`'s keys, hashed as its algorithm hashes them.
fn key_making_of(lab: &LabState) -> u64 {
    key_making(
        lab.keys.kind,
        lab.router.algorithm.key_hash(lab.router.hash),
    )
}

/// What computing one state of a lab costs a key, in estimated nanoseconds, over keys already
/// made: every key is placed, compared with the state before and counted (100 ns, and 27 more
/// a replica for the preference lists); rendezvous scores every server (30 ns a server),
/// multi-probe hashes every probe (21 ns a probe), AnchorHash walks its removed buckets for
/// each replica (133 ns a replica), Maglev fills its table (200 ns) and bounded loads keeps
/// its caps (33 ns). Measured with `cargo bench -p hashhalo-core --features json --bench
/// hostile_inputs` at a million keys, 64 servers and five replicas, where a step places the
/// keys three times (before, after, and with every server up for the unavailable ones).
///
/// ```
/// use hashhalo_core::algorithms::Algorithm;
/// use hashhalo_core::work::per_key;
///
/// assert_eq!(per_key(Algorithm::Ring, 64, 64, 1), 127);
/// assert_eq!(per_key(Algorithm::Rendezvous, 64, 64, 1), 127 + 30 * 64);
/// ```
pub fn per_key(algorithm: Algorithm, servers: usize, probes: u32, replicas: u8) -> u64 {
    let replicas = u64::from(replicas.max(1));
    let extra = match algorithm {
        Algorithm::Rendezvous => 30 * servers as u64,
        Algorithm::MultiProbe => 21 * u64::from(probes),
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
    u64::from(lab.keys.count)
        * per_key(
            lab.router.algorithm,
            lab.servers.len(),
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
/// assert_eq!(key_work(&LabState::default()), 1000 * 900);
/// ```
pub fn key_work(lab: &LabState) -> u64 {
    u64::from(lab.keys.count) * key_making_of(lab)
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
/// `cap`: `cap` itself for all but the algorithms whose cost grows with the servers, the
/// probes or the replicas.
///
/// ```
/// use hashhalo_core::algorithms::Algorithm;
/// use hashhalo_core::work::max_keys;
///
/// assert_eq!(max_keys(Algorithm::Ring, 64, 64, 5, 1250, 1_000_000), 1_000_000);
/// assert_eq!(max_keys(Algorithm::Rendezvous, 64, 1, 1, 900, 1_000_000), 284_000);
/// ```
pub fn max_keys(
    algorithm: Algorithm,
    servers: usize,
    probes: u32,
    replicas: u8,
    making: u64,
    cap: u32,
) -> u32 {
    let most = MAX_STEP_WORK / (making + 3 * per_key(algorithm, servers, probes, replicas));
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
        lab.servers.len(),
        lab.router.probes,
        lab.replicas,
        key_making_of(lab),
        cap,
    )
}

/// The sentence for a lab with more keys than [`max_keys`] allows it, and what is done about
/// it (`then`): the clamp's note, an edit's refusal and a scenario's say the same.
pub(crate) fn too_many_keys(algorithm: Algorithm, servers: usize, most: u32, then: &str) -> String {
    format!(
        "{} over {servers} servers can place at most {} keys quickly; {then}",
        algorithm.name(),
        crate::format::count(u64::from(most))
    )
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
}
