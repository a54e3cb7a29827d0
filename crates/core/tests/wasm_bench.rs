//! The speed figures in WebAssembly (node): the same three as the criterion benchmark.
//! Not a test of speed (nothing is asserted about time); run it with `cargo xtask bench`, which
//! builds it in release mode and prints the figures.

#![cfg(target_arch = "wasm32")]

use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
use hashhalo_core::{HashFn, KeyKind, KeySet, KeySource, Ring, RingConfig, Server};

#[path = "../benches/common/workload.rs"]
mod workload;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};
use workload::{keys16, servers};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// The median of `runs` timings of `f`, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = now();
            f();
            now() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

#[wasm_bindgen_test]
fn wasm_speed_figures() {
    let keys = keys16();
    const LOOKUPS: usize = 2_000_000;
    let mut sink = 0u64;
    let hash_alone = median_ms(5, || {
        for i in 0..LOOKUPS {
            sink = sink.wrapping_add(HashFn::Xxh3.hash(&keys[i & 4095]));
        }
    });
    console_log!(
        "wasm xxh3 of a 16-byte key alone: {:.1} ns (checksum {sink})",
        hash_alone * 1e6 / LOOKUPS as f64
    );
    let mut ring_xxh3 = 0.0;
    for hash in [HashFn::Xxh3, HashFn::Xxh64] {
        let ring = Ring::build(&servers(100), &RingConfig { vnodes: 160, hash }).unwrap();
        let mut sink = 0u32;
        let ms = median_ms(5, || {
            for i in 0..LOOKUPS {
                sink = sink.wrapping_add(ring.lookup(&keys[i & 4095]).map_or(0, |s| s.0));
            }
        });
        console_log!(
            "wasm lookup 100x160, 16-byte key, {}: {:.1} ns (checksum {sink})",
            hash.name(),
            ms * 1e6 / LOOKUPS as f64
        );
        if hash == HashFn::Xxh3 {
            ring_xxh3 = ms;
        }
    }
    console_log!(
        "wasm ratio: a ring lookup with its hash takes {:.2}× the hash alone (goal: at most 2×)",
        ring_xxh3 / hash_alone
    );

    let key_set = KeySet::generate(&KeySource {
        kind: KeyKind::Uniform,
        count: 1_000_000,
        seed: 7,
    });
    let config = RingConfig {
        vnodes: 160,
        hash: HashFn::Xxh3,
    };
    let mut ring = Ring::build(&servers(100), &config).unwrap();
    ring.add_server(Server::new(100, "new")).unwrap();
    let mut moved = 0;
    let ms = median_ms(5, || moved = ring.assign(&key_set).len());
    console_log!("wasm re-assign 1M keys after one membership change: {ms:.1} ms ({moved} keys)");
    let mut found = 0;
    let per_key = median_ms(5, || {
        // Collected as the merge's answer is, one owner a key.
        found = key_set
            .positions()
            .iter()
            .map(|&h| ring.lookup_position(h))
            .collect::<Vec<_>>()
            .len();
    });
    console_log!(
        "wasm per-key lookups of the same 1M keys instead: {per_key:.1} ms ({found} keys)"
    );
    console_log!(
        "wasm ratio: the merge is {:.1}× faster than per-key lookups (goal: at least 5×)",
        per_key / ms
    );

    let backends = servers(1000);
    let maglev = RouterConfig {
        algorithm: Algorithm::Maglev,
        maglev_table_size: 65_537,
        ..RouterConfig::default()
    };
    let ms = median_ms(5, || {
        Router::build(&backends, &maglev).unwrap();
    });
    console_log!("wasm Maglev table build, 1000 backends, M = 65537: {ms:.1} ms");
}
