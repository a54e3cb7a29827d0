//! The bounds on untrusted inputs' work, each measured on the slowest input of its kind the
//! page accepts, and checked: a figure past its bound fails the run.
//!
//! - reading a link: a lab link and a scenario link at the limits (the 1.2 MB scenario of 13
//!   servers × 20,000 pins and 200 × 100 `set-vnodes` edits) ≤ 100 ms;
//! - one scenario step at a million keys, for every algorithm at its slowest (64 servers, the
//!   most probes, five replicas), computed as `scenario check` computes a step ≤ 2 s;
//! - `scenario check` of a scenario priced at the budget ([`MAX_CHECK_WORK`]) ≤ 10 s;
//! - every experiment at its most expensive settings ≤ 10 s.
//!
//! With `--calibrate` it prints what one unit of [`state_work`] costs for each algorithm,
//! the figures the pricing is set from.
//!
//! Run with `cargo bench -p hashhalo-core --features json --bench hostile_inputs` (part of
//! `cargo xtask bench`).

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use hashhalo_core::algorithms::Algorithm;
use hashhalo_core::edit::Edit;
use hashhalo_core::experiment::Experiment;
use hashhalo_core::experiment::size::SizeInputs;
use hashhalo_core::experiment::tool::Run;
use hashhalo_core::lab::{LabState, Limits};
use hashhalo_core::link::Link;
use hashhalo_core::scenario::{MAX_CHECK_WORK, Scenario, Step};
use hashhalo_core::snapshot::Snapshot;
use hashhalo_core::{HashFn, KeyKind, KeySource, Server};

#[path = "../tests/support/mod.rs"]
mod support;

/// Times `work` once.
fn time<T>(work: impl FnOnce() -> T) -> Duration {
    let started = Instant::now();
    black_box(work());
    started.elapsed()
}

/// 64 servers of weight 1 under `algorithm`, at its most expensive settings, with five
/// replicas and the most keys the clamp allows it (a million, or fewer for the algorithms
/// whose cost grows with the servers or the probes).
fn heavy_lab(algorithm: Algorithm) -> LabState {
    let mut lab = LabState {
        servers: (0..64)
            .map(|i| Server::new(i, format!("cache-{i:02}")))
            .collect(),
        ..LabState::default()
    };
    lab.router.algorithm = algorithm;
    lab.router.probes = Limits::APP.max_probes;
    lab.router.maglev_table_size = 1_000_003;
    lab.router.anchor_capacity = 1024;
    lab.router.vnodes = 1000;
    lab.router.hash = HashFn::Md5;
    lab.keys = KeySource {
        kind: KeyKind::Urls,
        count: Limits::APP.keys.1,
        seed: 7,
    };
    lab.replicas = Limits::APP.max_replicas;
    lab.clamped(&Limits::APP).0
}

/// One step of a scenario over `lab`: the state before it, then a server failed, as `scenario
/// check` computes a step (its state from the one before, the movement in words, the legend).
fn step_work(lab: &LabState) -> usize {
    let mut s = Scenario {
        id: "step".into(),
        title: "One step".into(),
        about: String::new(),
        start: lab.clone(),
        steps: vec![Step {
            caption: "A server fails.".into(),
            edits: vec![Edit::FailServer(lab.servers[0].id)],
            ..Step::default()
        }],
    };
    s.steps[0].expect = vec![hashhalo_core::scenario::Expect::Unavailable {
        min: 0,
        max: u64::MAX,
    }];
    let report = s.check().expect("a valid scenario");
    report.len()
}

/// The scenario link of the report, at the limits.
fn pinned_link() -> String {
    format!(
        "scenario={}&step=200",
        support::pinned_and_edited().encode()
    )
}

/// A scenario over `lab` whose steps alternate the key seed (every step makes the keys again)
/// until its price reaches the budget.
fn priced_at_budget(lab: &LabState) -> Scenario {
    let mut s = Scenario {
        id: "budget".into(),
        title: "At the budget".into(),
        about: String::new(),
        start: lab.clone(),
        steps: Vec::new(),
    };
    for k in 0..200u64 {
        s.steps.push(Step {
            caption: "Another seed.".into(),
            edits: vec![Edit::SetKeySeed(k % 2 + 100)],
            ..Step::default()
        });
        if s.check_work() > MAX_CHECK_WORK {
            s.steps.pop();
            break;
        }
    }
    s
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let timing = args.iter().any(|a| a == "--bench");
    if args.iter().any(|a| a == "--calibrate") {
        for (algorithm, replicas) in Algorithm::ALL.iter().flat_map(|&a| [(a, 1), (a, 5)]) {
            let mut lab = heavy_lab(algorithm);
            lab.replicas = replicas;
            let keys = std::sync::Arc::new(Snapshot::keys_for(&lab));
            let assign = time(|| Snapshot::compute(lab.clone(), keys.clone()));
            let took = time(|| step_work(&lab));
            let s = Scenario {
                id: "c".into(),
                title: "c".into(),
                about: String::new(),
                start: lab.clone(),
                steps: vec![Step {
                    caption: "x".into(),
                    edits: vec![Edit::FailServer(lab.servers[0].id)],
                    expect: vec![hashhalo_core::scenario::Expect::Unavailable {
                        min: 0,
                        max: u64::MAX,
                    }],
                    ..Step::default()
                }],
            };
            let units = s.check_work();
            println!(
                "{:<14} r{replicas} assign {:>6.0} ms step {:>8.0} ms  {:>12} units  {:>6.2} ns a unit",
                algorithm.name(),
                assign.as_secs_f64() * 1e3,
                took.as_secs_f64() * 1e3,
                units,
                took.as_secs_f64() * 1e9 / units as f64
            );
        }
        let mut lab = LabState::default();
        lab.keys.count = 1_000_000;
        let before = Snapshot::generated(lab);
        let same = before.clone();
        let took = time(|| hashhalo_core::explain::explain(&before, &same));
        println!(
            "explaining a step that changed nothing, 1M keys: {:.1} ms",
            took.as_secs_f64() * 1e3
        );
        for hash in HashFn::ALL {
            for kind in [KeyKind::Urls, KeyKind::UserIds, KeyKind::Uniform] {
                let mut lab = heavy_lab(Algorithm::Ring);
                lab.router.hash = hash;
                lab.keys.kind = kind;
                let keys = time(|| Snapshot::keys_for(&lab));
                println!(
                    "making 1M {kind:?} keys ({}): {:.0} ms",
                    hash.name(),
                    keys.as_secs_f64() * 1e3
                );
            }
        }
        return ExitCode::SUCCESS;
    }
    if !timing {
        return ExitCode::SUCCESS;
    }
    let mut failed = Vec::new();
    let mut row = |what: &str, took: Duration, bound: Duration| {
        let ok = took <= bound;
        println!(
            "| {what} | {:.0} ms | {:.0} ms | {} |",
            took.as_secs_f64() * 1e3,
            bound.as_secs_f64() * 1e3,
            if ok { "within" } else { "OVER" }
        );
        if !ok {
            failed.push(what.to_string());
        }
    };
    println!("The slowest input of each kind the page accepts, and its bound:\n");
    println!("| input | time | bound | |");
    println!("| --- | --- | --- | --- |");
    let link = pinned_link();
    row(
        &format!("a scenario link of {} characters", link.len()),
        time(|| {
            let (link, _) = Link::parse(&link);
            link.labs()
        }),
        Duration::from_millis(100),
    );
    for algorithm in Algorithm::ALL {
        let lab = heavy_lab(algorithm);
        // The median of three: one run on a shared machine varies by a quarter.
        let mut runs: Vec<Duration> = (0..3).map(|_| time(|| step_work(&lab))).collect();
        runs.sort();
        row(
            &format!(
                "a step at {} keys (the most the clamp allows), {}",
                lab.keys.count,
                algorithm.name()
            ),
            runs[1],
            Duration::from_secs(2),
        );
    }
    for algorithm in [Algorithm::Ring, Algorithm::Rendezvous] {
        let mut lab = heavy_lab(algorithm);
        lab.replicas = 1;
        let s = priced_at_budget(&lab);
        row(
            &format!(
                "`scenario check`, {} steps priced at the budget, {}",
                s.steps.len(),
                algorithm.name()
            ),
            time(|| s.check().expect("within the budget")),
            Duration::from_secs(10),
        );
    }
    for e in Experiment::ALL {
        let mut lab = LabState::default();
        lab.keys.count = Limits::APP.keys.1;
        let mut run = Run::new(e);
        run.seeds = 200;
        if e == Experiment::Size {
            // The report's inputs: every field inside its range.
            run.size = SizeInputs {
                keys: 1_000_000_000,
                rate: 60_000.0,
                capacity: 1_000.0,
                headroom: 0.0,
                skew: 0.0,
                replication: 5,
            };
        }
        row(
            &format!("experiment {}, 200 seeds, a million keys", e.name()),
            time(|| hashhalo_core::experiment::report(&run, &lab, &mut |_| {})),
            Duration::from_secs(10),
        );
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("\npast their bounds: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}
