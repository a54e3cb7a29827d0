//! A structured generator: a whole lab built field by field from the fuzzer's bytes (so every
//! input is a well-formed link), sent through the app's path as its link.

#![no_main]

use arbitrary::Arbitrary;
use hashhalo_core::algorithms::{Algorithm, RouterConfig};
use hashhalo_core::lab::{LabState, PastedKeys};
use hashhalo_core::{HashFn, KeyKind, KeySource, Pin, Server, ServerId, Status};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct FuzzServer {
    id: u16,
    label: String,
    weight: u8,
    down: bool,
    shift: u64,
    /// Pins as (index, position); `near` puts the position close to 0, where piles form.
    pins: Vec<(u16, u64, bool)>,
}

#[derive(Arbitrary, Debug)]
struct FuzzLab {
    servers: Vec<FuzzServer>,
    algorithm: u8,
    hash: u8,
    vnodes: u16,
    table: u32,
    probes: u8,
    load_thousandths: u16,
    anchor: u16,
    kind: u8,
    count: u32,
    seed: u64,
    replicas: u8,
    pasted: Option<(u32, u64)>,
}

fuzz_target!(|lab: FuzzLab| {
    let kinds = [
        KeyKind::UserIds,
        KeyKind::Ips,
        KeyKind::Urls,
        KeyKind::Uniform,
    ];
    let state = LabState {
        servers: lab
            .servers
            .into_iter()
            .map(|s| Server {
                id: ServerId(u32::from(s.id)),
                label: s.label,
                weight: u32::from(s.weight),
                status: if s.down { Status::Down } else { Status::Up },
                shift: s.shift,
                pins: s
                    .pins
                    .into_iter()
                    .map(|(index, position, near)| Pin {
                        index: u32::from(index),
                        position: if near { position % 64 } else { position },
                    })
                    .collect(),
            })
            .collect(),
        router: RouterConfig {
            algorithm: Algorithm::ALL[usize::from(lab.algorithm) % Algorithm::ALL.len()],
            hash: HashFn::ALL[usize::from(lab.hash) % HashFn::ALL.len()],
            vnodes: u32::from(lab.vnodes),
            maglev_table_size: u64::from(lab.table),
            probes: u32::from(lab.probes),
            load_factor: f64::from(lab.load_thousandths) / 1000.0,
            anchor_capacity: u32::from(lab.anchor),
        },
        keys: KeySource {
            kind: kinds[usize::from(lab.kind) % kinds.len()],
            count: lab.count,
            seed: lab.seed,
        },
        replicas: lab.replicas,
        pasted: lab
            .pasted
            .map(|(count, fingerprint)| PastedKeys { count, fingerprint }),
    };
    hashhalo_fuzz::open_link(&state.encode());
});
