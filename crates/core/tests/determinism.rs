//! The same inputs give the same placements natively and in WebAssembly: a fixed set of
//! configurations is rendered to text and compared with `golden/assignments.txt`, both by
//! `cargo test` and by `wasm-bindgen-test` (in node) during the README's test command.
//!
//! After a deliberate change of placement, regenerate the file natively with
//! `HASHHALO_BLESS=1 cargo test -p hashhalo-core --test determinism` and review the diff.

use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
use hashhalo_core::{HashFn, KeyKind, KeySet, KeySource, Server, Status};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const GOLDEN: &str = include_str!("golden/assignments.txt");

/// Every algorithm and hash on one fixed configuration, as text: one letter per key.
fn render() -> String {
    let mut out = String::new();
    let mut down = Server::new(3, "D");
    down.status = Status::Down;
    let mut pinned = Server::new(4, "E").with_weight(2);
    pinned.pin(0, 1 << 63);
    pinned.shift = 12_345;
    let servers = [
        Server::new(0, "A"),
        Server::new(1, "B").with_weight(3),
        Server::new(2, "C"),
        down,
        pinned,
    ];
    let keys = KeySet::generate(&KeySource {
        kind: KeyKind::Urls,
        count: 120,
        seed: 42,
    });
    for hash in HashFn::ALL {
        let sample: Vec<String> = keys
            .keys()
            .first(4)
            .iter()
            .map(|k| format!("{:016x}", hash.hash(k.as_bytes())))
            .collect();
        out.push_str(&format!("hash {}: {}\n", hash.name(), sample.join(" ")));
    }
    for algorithm in Algorithm::ALL {
        for hash in [HashFn::Xxh3, HashFn::Md5] {
            let config = RouterConfig {
                algorithm,
                hash,
                vnodes: 40,
                maglev_table_size: 1021,
                ..RouterConfig::default()
            };
            let router =
                Router::build(&servers, &config).expect("the fixed configuration is valid");
            let owners = router.assign(&keys.rehash(router.key_hash()));
            let letters: String = owners
                .iter()
                .map(|o| {
                    o.map_or('-', |id| {
                        servers
                            .iter()
                            .find(|s| s.id == id)
                            .unwrap()
                            .label
                            .chars()
                            .next()
                            .unwrap()
                    })
                })
                .collect();
            // The preference lists of the first keys, four deep (one server is down, so
            // lists stop at four of the five).
            let replicas: Vec<String> = keys
                .keys()
                .first(24)
                .iter()
                .map(|key| {
                    router
                        .preference_list(key.as_bytes(), 5)
                        .iter()
                        .map(|id| servers.iter().find(|s| s.id == *id).unwrap().label.clone())
                        .collect()
                })
                .collect();
            let replicas = replicas.join("/");
            out.push_str(&format!(
                "{} {}: {letters} {replicas}\n",
                algorithm.name(),
                hash.name()
            ));
        }
    }
    out
}

#[test]
fn placements_match_the_golden_file() {
    let now = render();
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("HASHHALO_BLESS").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/assignments.txt");
        std::fs::write(path, &now).expect("the golden file is writable");
        return;
    }
    for (line, (got, want)) in now.lines().zip(GOLDEN.lines()).enumerate() {
        assert_eq!(got, want, "line {} differs from the golden file", line + 1);
    }
    assert_eq!(now.lines().count(), GOLDEN.lines().count());
}
