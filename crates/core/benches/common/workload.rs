//! The workload both speed measurements use (the criterion benchmark natively, and
//! `tests/wasm_bench.rs` in WebAssembly), kept in one place so their figures compare.

use hashhalo_core::Server;
use hashhalo_core::algorithms::{Algorithm, RouterConfig};

/// `n` servers labelled like memcached addresses.
pub fn servers(n: u32) -> Vec<Server> {
    (0..n)
        .map(|i| Server::new(i, format!("10.0.{}.{}:11211", i / 256, i % 256)))
        .collect()
}

/// 4096 deterministic 16-byte keys, cycled through so no single key stays hot in the cache.
pub fn keys16() -> Vec<[u8; 16]> {
    let mut x: u64 = 0x1234_5678_9ABC_DEF0;
    (0..4096)
        .map(|_| {
            let mut k = [0u8; 16];
            for chunk in k.chunks_mut(8) {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                chunk.copy_from_slice(&x.to_le_bytes());
            }
            k
        })
        .collect()
}

/// How every algorithm is set up for the table of all of them: 160 virtual nodes where it
/// places points, the default Maglev table (65 537), an anchor of 128 buckets.
#[allow(dead_code)]
pub fn algorithm_config(algorithm: Algorithm) -> RouterConfig {
    RouterConfig {
        algorithm,
        vnodes: 160,
        anchor_capacity: 128,
        ..RouterConfig::default()
    }
}
