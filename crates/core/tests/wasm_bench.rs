//! The speed figures in WebAssembly (node): the same three as the criterion benchmark, every
//! algorithm's lookup, build and memory, and two JavaScript rings timed in the same process.
//! Not a test of speed (nothing is asserted about time); run it with `cargo xtask bench`, which
//! builds it in release mode and prints the figures.

#![cfg(target_arch = "wasm32")]

use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
use hashhalo_core::{HashFn, KeyKind, KeySet, KeySource, Ring, RingConfig, Server};

#[path = "../benches/common/workload.rs"]
mod workload;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};
use workload::{algorithm_config, keys16, servers};

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

/// Two JavaScript rings, timed in the same node process over the same keys: npm's `hashring`
/// 3.2 (the most used, with its defaults: md5, 40 × 4 = 160 points a server, an LRU cache of
/// 5 000 keys) and a sorted-array ring the way browser visualizers build theirs, tuned fairly:
/// FNV-1a (32-bit, `Math.imul`) of `label#i` for 160 points a server in a `Uint32Array`, a
/// binary search for the first point at or after the key's hash. Each lookup loop runs in
/// JavaScript, so nothing crosses into wasm while it is timed. Returns the nanoseconds a
/// lookup of each, and a checksum.
const JS_PEERS: &str = r#"
const keys = keyText.split('\n');
const labels = serverText.split('\n');
const fnv = (s) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return h >>> 0;
};
const points = [];
labels.forEach((label, owner) => { for (let i = 0; i < 160; i++) points.push([fnv(label + '#' + i), owner]); });
points.sort((a, b) => a[0] - b[0]);
const pos = Uint32Array.from(points, (p) => p[0]);
const own = Uint16Array.from(points, (p) => p[1]);
const lookup = (key) => {
  const h = fnv(key);
  let lo = 0, hi = pos.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (pos[mid] < h) lo = mid + 1; else hi = mid; }
  return own[lo === pos.length ? 0 : lo];
};
const median = (f) => { const t = []; for (let r = 0; r < 5; r++) { const s = performance.now(); f(); t.push(performance.now() - s); } t.sort((a, b) => a - b); return t[2]; };
let sum = 0;
const n = keys.length - 1;
const sorted = median(() => { for (let i = 0; i < lookups; i++) sum += lookup(keys[i & n]); });
const require = process.getBuiltinModule('module').createRequire(testsDir + '/package.json');
const HashRing = require('hashring');
const ring = new HashRing(labels);
const few = lookups / 10;
const npm = median(() => { for (let i = 0; i < few; i++) sum += ring.get(keys[i & n]).length; });
return [sorted * 1e6 / lookups, npm * 1e6 / few, sum].join(' ');
"#;

/// The directory of the end-to-end project, whose `node_modules` holds npm's `hashring`.
fn tests_dir() -> String {
    option_env!("CARGO_MANIFEST_DIR")
        .map_or_else(|| "../../tests".into(), |d| format!("{d}/../../tests"))
}

#[wasm_bindgen_test]
fn wasm_against_javascript_rings() {
    // 65 536 distinct keys of 16 hex digits: more than hashring's cache holds.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let keys: Vec<String> = (0..65_536)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            format!("{x:016x}")
        })
        .collect();
    let backends = servers(100);
    let labels: Vec<&str> = backends.iter().map(|s| s.label.as_str()).collect();
    const LOOKUPS: usize = 2_000_000;
    let ring = Ring::build(
        &backends,
        &RingConfig {
            vnodes: 160,
            hash: HashFn::Xxh3,
        },
    )
    .unwrap();
    let mut sink = 0u32;
    let ours = median_ms(5, || {
        for i in 0..LOOKUPS {
            sink = sink.wrapping_add(ring.lookup(keys[i & 65_535].as_bytes()).map_or(0, |s| s.0));
        }
    }) * 1e6
        / LOOKUPS as f64;
    let peers = js_sys::Function::new_with_args("keyText, serverText, lookups, testsDir", JS_PEERS);
    let answer = peers
        .call4(
            &JsValue::NULL,
            &keys.join("\n").into(),
            &labels.join("\n").into(),
            &JsValue::from_f64(LOOKUPS as f64),
            &tests_dir().into(),
        )
        .expect("the JavaScript rings ran")
        .as_string()
        .unwrap_or_default();
    let figures: Vec<f64> = answer.split(' ').filter_map(|w| w.parse().ok()).collect();
    let (sorted, npm) = (figures[0], figures[1]);
    console_log!(
        "wasm hashhalo ring (xxh3), 100x160, 65 536 distinct 16-character keys: {ours:.1} ns a lookup (checksum {sink})"
    );
    console_log!(
        "js sorted-array ring (FNV-1a, binary search), same keys: {sorted:.1} ns a lookup"
    );
    console_log!("js npm hashring 3.2 (md5, LRU of 5 000), same keys: {npm:.1} ns a lookup");
    console_log!(
        "wasm ratio: the ring lookup is {:.1}× faster than the faster JavaScript ring (goal: at least 3×)",
        sorted.min(npm) / ours
    );
}

#[wasm_bindgen_test]
fn wasm_every_algorithm() {
    let keys = keys16();
    let backends = servers(100);
    const LOOKUPS: usize = 200_000;
    console_log!("wasm every algorithm, 100 servers (160 virtual nodes where it places points):");
    console_log!("| algorithm | lookup (ns) | build (ms) | memory (bytes) |");
    console_log!("| --- | ---: | ---: | ---: |");
    for algorithm in Algorithm::ALL {
        let config = algorithm_config(algorithm);
        let build = median_ms(5, || {
            Router::build(&backends, &config).unwrap();
        });
        let router = Router::build(&backends, &config).unwrap();
        let mut sink = 0u32;
        let ms = median_ms(5, || {
            for i in 0..LOOKUPS {
                sink = sink.wrapping_add(router.route(&keys[i & 4095]).map_or(0, |s| s.0));
            }
        });
        console_log!(
            "| {} | {:.1} | {:.2} | {} |",
            algorithm.name(),
            ms * 1e6 / LOOKUPS as f64,
            build,
            router.memory_bytes()
        );
        std::hint::black_box(sink);
    }
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
    let before = Ring::build(&servers(100), &config).unwrap();
    let mut ring = before.clone();
    ring.add_server(Server::new(100, "new")).unwrap();
    let mut moved = 0;
    let merge = median_ms(5, || moved = ring.assign(&key_set).len());
    console_log!(
        "wasm assign 1M keys anew after one membership change (one merge of keys and points): {merge:.1} ms ({moved} keys)"
    );
    // What the app does after a change: from the owners before it (Ring::reassign).
    let owners = before.assign(&key_set);
    let ms = median_ms(5, || {
        moved = ring.reassign(&before, &key_set, &owners).len()
    });
    console_log!(
        "wasm re-assign 1M keys after one membership change, from the owners before it: {ms:.1} ms ({moved} keys)"
    );
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
        "wasm ratio: re-assigning from the owners before the change is {:.1}× faster than per-key lookups (goal: at least 5×)",
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
