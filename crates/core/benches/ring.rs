//! HashHalo's speed goals, measured against `hashring` and `pingora-ketama` in one run:
//!
//! - a ring lookup, hashing a 16-byte key, 100 servers × 160 virtual nodes;
//! - re-assigning 1 000 000 keys after one membership change;
//! - building a Maglev table of M = 65 537 for 1000 backends;
//! - every algorithm's lookup and build, 100 servers (`cargo xtask bench` prints the table).
//!
//! Run with `cargo bench -p hashhalo-core --bench ring`.

use std::hint::black_box;
use std::net::SocketAddr;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
use hashhalo_core::{HashFn, KeyKind, KeySet, KeySource, Ring, RingConfig, Server};

#[path = "common/workload.rs"]
mod workload;
use workload::{algorithm_config, keys16, servers};

const SERVERS: u32 = 100;
const VNODES: u32 = 160;

#[derive(Hash, Clone, PartialEq, Eq, Debug)]
struct VNode {
    server: u32,
    index: u32,
}

fn lookup(c: &mut Criterion) {
    let keys = keys16();
    let mask = keys.len() - 1;
    let mut group = c.benchmark_group("lookup 100x160, 16-byte key");

    let ring = Ring::build(
        &servers(SERVERS),
        &RingConfig {
            vnodes: VNODES,
            hash: HashFn::Xxh3,
        },
    )
    .unwrap();
    let mut i = 0;
    group.bench_function("xxh3 of the key alone", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            black_box(HashFn::Xxh3.hash(black_box(&keys[i])))
        })
    });
    group.bench_function("hashhalo ring (xxh3)", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            black_box(ring.lookup(black_box(&keys[i])))
        })
    });

    let xxh64 = Ring::build(
        &servers(SERVERS),
        &RingConfig {
            vnodes: VNODES,
            hash: HashFn::Xxh64,
        },
    )
    .unwrap();
    group.bench_function("hashhalo ring (xxh64)", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            black_box(xxh64.lookup(black_box(&keys[i])))
        })
    });

    let nginx = Router::build(
        &servers(SERVERS),
        &RouterConfig {
            algorithm: Algorithm::Nginx,
            ..RouterConfig::default()
        },
    )
    .unwrap();
    group.bench_function("hashhalo nginx preset (crc32)", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            black_box(nginx.route(black_box(&keys[i])))
        })
    });

    let mut theirs = hashring::HashRing::new();
    for server in 0..SERVERS {
        for index in 0..VNODES {
            theirs.add(VNode { server, index });
        }
    }
    group.bench_function("hashring 0.3 (siphash)", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            black_box(theirs.get(black_box(&keys[i])).map(|v| v.server))
        })
    });

    let buckets: Vec<pingora_ketama::Bucket> = (0..SERVERS)
        .map(|i| {
            let addr: SocketAddr = format!("10.0.{}.{}:11211", i / 256, i % 256)
                .parse()
                .unwrap();
            pingora_ketama::Bucket::new(addr, 1)
        })
        .collect();
    let continuum = pingora_ketama::Continuum::new(&buckets);
    group.bench_function("pingora-ketama 0.9 (crc32)", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            black_box(continuum.node_idx(black_box(&keys[i])))
        })
    });
    group.finish();
}

fn reassign(c: &mut Criterion) {
    let keys = KeySet::generate(&KeySource {
        kind: KeyKind::Uniform,
        count: 1_000_000,
        seed: 7,
    });
    let config = RingConfig {
        vnodes: VNODES,
        hash: HashFn::Xxh3,
    };
    let mut group = c.benchmark_group("1M keys after one membership change");
    group.sample_size(20);
    let before = Ring::build(&servers(SERVERS), &config).unwrap();
    let mut after = before.clone();
    after.add_server(Server::new(SERVERS, "new")).unwrap();
    group.bench_function(
        "assign every key anew (one merge of keys and points)",
        |b| b.iter(|| black_box(after.assign(black_box(&keys)))),
    );
    // What the app does after a change: from the owners before it, writing only the keys
    // between points whose owner changed (Ring::reassign).
    let owners = before.assign(&keys);
    group.bench_function("re-assign from the owners before the change", |b| {
        b.iter(|| black_box(after.reassign(&before, black_box(&keys), &owners)))
    });
    group.bench_function("add a server incrementally, then re-assign", |b| {
        b.iter_batched(
            || before.clone(),
            |mut ring| {
                ring.add_server(Server::new(SERVERS, "new")).unwrap();
                black_box(ring.assign(&keys))
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("per-key lookups instead of the merge", |b| {
        b.iter(|| {
            black_box(
                keys.positions()
                    .iter()
                    .map(|&h| after.lookup_position(h))
                    .collect::<Vec<_>>(),
            )
        })
    });
    group.finish();
}

fn maglev(c: &mut Criterion) {
    let mut group = c.benchmark_group("Maglev table, 1000 backends, M = 65537");
    group.sample_size(20);
    let backends = servers(1000);
    let config = RouterConfig {
        algorithm: Algorithm::Maglev,
        maglev_table_size: 65_537,
        ..RouterConfig::default()
    };
    group.bench_function("hashhalo maglev build", |b| {
        b.iter(|| black_box(Router::build(black_box(&backends), &config).unwrap()))
    });
    let envoy = RouterConfig {
        algorithm: Algorithm::EnvoyMaglev,
        ..config
    };
    group.bench_function("hashhalo envoy-maglev build", |b| {
        b.iter(|| black_box(Router::build(black_box(&backends), &envoy).unwrap()))
    });
    group.finish();
}

fn every_algorithm(c: &mut Criterion) {
    let keys = keys16();
    let mask = keys.len() - 1;
    let backends = servers(SERVERS);
    let mut group = c.benchmark_group("every algorithm, 100 servers");
    group.warm_up_time(std::time::Duration::from_millis(500));
    group.measurement_time(std::time::Duration::from_secs(1));
    for algorithm in Algorithm::ALL {
        let config = algorithm_config(algorithm);
        let router = Router::build(&backends, &config).unwrap();
        let mut i = 0;
        group.bench_function(format!("lookup {}", algorithm.name()), |b| {
            b.iter(|| {
                i = (i + 1) & mask;
                black_box(router.route(black_box(&keys[i])))
            })
        });
        group.bench_function(format!("build {}", algorithm.name()), |b| {
            b.iter(|| black_box(Router::build(black_box(&backends), &config).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, lookup, reassign, maglev, every_algorithm);
criterion_main!(benches);
