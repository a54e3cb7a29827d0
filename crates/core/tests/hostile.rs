//! What fuzzing found in the share-link path, one reproducer each, kept so none comes back.
//!
//! Links are untrusted: whoever opens one must get a working page within a moment. The app
//! reads a link as `LabState::decode` → `clamped` → `Snapshot` (router, keys, owners), and
//! these tests follow that path. Where a finding was a freeze, the test runs the work under a
//! watchdog whose limit is many times what the fixed code needs: it catches a freeze, it is not
//! a speed goal (those are benchmarks, `cargo xtask bench`).

#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};
use hashhalo_core::import::parse_key_list;
use hashhalo_core::lab::{LabState, Limits};
use hashhalo_core::snapshot::Snapshot;
use hashhalo_core::{HashFn, KeyKind, KeySource, Pin, Server, ServerId, Status};
use proptest::prelude::*;

mod support;
use support::{bounded_loads_freeze, hostile_count_link, within};

/// The lab a link opens as, exactly as the app reads it.
fn open(link: &str) -> (LabState, Vec<String>) {
    LabState::decode(link)
        .expect("the link decodes")
        .clamped(&Limits::APP)
}

/// Finding 1: the bounded-loads link that froze the tab for 30 s computes at once, and every
/// key goes to U, the one up server (its cap, 1.25 × all keys, holds them all).
#[test]
fn the_bounded_loads_link_computes_at_once() {
    for vnodes in [100, 207] {
        let link = bounded_loads_freeze(vnodes).encode();
        let (lab, notes) = open(&link);
        // With 100 virtual nodes, U's pins of 100 to 206 are dropped; nothing else changes.
        assert_eq!(notes.len(), usize::from(vnodes == 100), "{notes:?}");
        assert_eq!(lab.router.vnodes, vnodes);
        let snapshot = within(Duration::from_secs(10), move || Snapshot::generated(lab));
        assert_eq!(snapshot.keys().len(), 100_000);
        assert!(snapshot.owners().iter().all(|o| *o == Some(ServerId(63))));
    }
    // The link of the report: 1 353 characters with 207 virtual nodes.
    assert_eq!(bounded_loads_freeze(207).encode().len(), 1353);
}

/// Finding 2: a link whose server count is only checked against the bytes left reserved 54×
/// its size. A 26.7-million-character link fails cleanly; that it reserves nothing on the way
/// is measured by `tests/decode_memory.rs`, which fails on the old code (a reservation the
/// system commits lazily is quick, so time cannot tell).
#[test]
fn a_huge_server_count_fails_cleanly() {
    let link = hostile_count_link(20_000_000);
    assert!(link.len() > 26_000_000);
    let started = std::time::Instant::now();
    assert!(LabState::decode(&link).is_err());
    // Decoding 20 MB of base64 takes a moment; reserving 1.44 GB would have taken longer.
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// Finding 3: a label cleaned as `"\u{1} x"` → `" x"` was trimmed to `"x"` by the next clamp,
/// which then dropped the server if another was already called `x`.
#[test]
fn clamping_a_control_character_label_is_final() {
    let mut lab = LabState {
        servers: vec![Server::new(0, "\u{1} x"), Server::new(1, "y")],
        ..LabState::default()
    };
    let (once, notes) = lab.clamped(&Limits::APP);
    assert_eq!(once.servers[0].label, "x");
    assert_eq!(notes.len(), 1);
    assert_eq!(once.clamped(&Limits::APP), (once.clone(), vec![]));

    lab.servers = vec![Server::new(0, "x"), Server::new(1, "\u{1} x")];
    let (once, _) = lab.clamped(&Limits::APP);
    assert_eq!(
        once.servers.len(),
        1,
        "the repeat is dropped at the first clamp"
    );
    assert_eq!(once.clamped(&Limits::APP).0, once);
}

/// Finding 4: Maglev with a table of 2 slots and three servers passed the clamp and then failed
/// to build with `MaglevTableSize(2)`.
#[test]
fn a_clamped_maglev_link_builds() {
    let (lab, notes) = open("1.BABkAhXiCUAA6AcBAQMAAUEBAAAAAQFCAQAAAAIBQwEAAAA");
    assert_eq!(lab.router.algorithm, Algorithm::Maglev);
    assert_eq!(lab.servers.len(), 3);
    assert!(lab.router.maglev_table_size >= 3);
    assert!(
        notes.iter().any(|n| n.contains("Maglev table size 2")),
        "{notes:?}"
    );
    assert!(Router::build(&lab.servers, &lab.router).is_ok());
}

/// Finding 5: a link of 10 000 servers gave 10 001 notes; now a handful, with the count.
#[test]
fn notes_about_many_servers_are_summarised() {
    for (count, left_out) in [(10_000u32, "9,936"), (100_000, "99,936")] {
        let lab = LabState {
            servers: (0..count)
                .map(|i| Server {
                    weight: 99,
                    ..Server::new(i, format!(" {i}\u{7}"))
                })
                .collect(),
            ..LabState::default()
        };
        let (safe, notes) = lab.clamped(&Limits::APP);
        assert_eq!(safe.servers.len(), 64);
        assert!(notes.len() <= 6, "{} notes: {notes:?}", notes.len());
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with(&format!("{left_out} more servers were left out"))),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|n| n.starts_with("64 server labels")),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|n| n.starts_with("64 weights were")),
            "{notes:?}"
        );
    }
}

/// Finding 6: with unsorted pins every point searched the pins one by one (4 Mi virtual nodes
/// with 2 000 pins: 14 s). With 20 000 pins that was over two minutes; now it is a plain build.
#[test]
fn unsorted_pins_place_in_linear_time() {
    let points = hashhalo_core::Ring::MAX_POINTS as u32;
    let mut server = Server::new(0, "A");
    server.pins = (0..20_000u32)
        .rev()
        .map(|i| Pin {
            index: i * 200,
            position: u64::from(i),
        })
        .collect();
    // A later pin of the same index wins, as documented on `Server::pins`.
    server.pins.push(Pin {
        index: 0,
        position: 77,
    });
    let config = RouterConfig {
        vnodes: points,
        ..RouterConfig::default()
    };
    let router = within(Duration::from_secs(20), move || {
        Router::build(&[server], &config).unwrap()
    });
    let ring = router.ring().unwrap();
    assert_eq!(ring.len(), points as usize);
    assert_eq!(ring.point_position(ServerId(0), 0), Some(77));
    assert_eq!(ring.point_position(ServerId(0), 200), Some(1));
    assert_eq!(ring.points().filter(|p| p.pinned).count(), 20_000);
}

/// Finding 7: a key list from an old Mac file (lines ended by a lone CR) was one key.
#[test]
fn carriage_return_lines_are_lines() {
    assert_eq!(
        parse_key_list("alpha\rbeta\rgamma\r", 10).unwrap(),
        ["alpha", "beta", "gamma"]
    );
    assert_eq!(
        parse_key_list("key,n\rx,1\r\"y,z\",2", 10).unwrap(),
        ["x", "y,z"]
    );
    assert_eq!(parse_key_list("a\r\nb\n\rc", 10).unwrap(), ["a", "b", "c"]);
}

fn label() -> impl Strategy<Value = String> {
    // Control characters, ASCII and Unicode spaces, and letters, long enough to be cut.
    proptest::collection::vec(
        prop_oneof![
            Just('\u{1}'),
            Just('\u{85}'),
            Just(' '),
            Just('\u{a0}'),
            Just('\u{3000}'),
            Just('\t'),
            Just('x'),
            Just('é'),
            Just('Z'),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// Whatever a link holds, clamping it twice changes nothing more and says nothing more,
    /// and the clamped state builds a router: every algorithm, every hash.
    #[test]
    fn clamping_is_idempotent_and_always_builds(
        servers in proptest::collection::vec(
            (0u32..5000, label(), prop_oneof![1u32..3, any::<u32>()], any::<bool>(), any::<u64>(),
                proptest::collection::vec((0u32..3000, any::<u64>()), 0..4)),
            0..80),
        algorithm in 0usize..12, hash in 0usize..6, vnodes in prop_oneof![1u32..8, any::<u32>()],
        m in prop_oneof![0u64..80, any::<u64>()], probes in any::<u32>(), c in any::<f64>(),
        anchor in any::<u32>(), count in any::<u32>(), replicas in any::<u8>(),
    ) {
        let state = LabState {
            servers: servers.into_iter().map(|(id, label, weight, down, shift, pins)| Server {
                id: ServerId(id), label, weight,
                status: if down { Status::Down } else { Status::Up }, shift,
                pins: pins.into_iter().map(|(index, position)| Pin { index, position }).collect(),
            }).collect(),
            router: RouterConfig { algorithm: Algorithm::ALL[algorithm], hash: HashFn::ALL[hash],
                vnodes, maglev_table_size: m, probes, load_factor: c, anchor_capacity: anchor },
            keys: KeySource { kind: KeyKind::Uniform, count, seed: 1 },
            replicas,
            pasted: None,
        };
        let (once, _) = state.clamped(&Limits::APP);
        prop_assert_eq!(once.clamped(&Limits::APP), (once.clone(), vec![]));
        prop_assert!(Router::build(&once.servers, &once.router).is_ok(), "{:?}", once.router);
        prop_assert_eq!(LabState::decode(&once.encode()).unwrap(), once);
    }
}
