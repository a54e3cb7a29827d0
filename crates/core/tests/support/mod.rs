//! Links shared by the tests of hostile input.

// Each test file uses some of these.
#![allow(dead_code)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hashhalo_core::algorithms::Algorithm;
use hashhalo_core::lab::LabState;
use hashhalo_core::{KeyKind, KeySource, Pin, Server, Status};

/// A link of the default lab's fields and then a server count of `n`, followed by `n` zero
/// bytes: the count fits the bytes left, but no server can be read from a single byte.
pub fn hostile_count_link(n: u64) -> String {
    let valid = LabState {
        servers: Vec::new(),
        ..LabState::default()
    }
    .encode();
    let mut bytes = URL_SAFE_NO_PAD
        .decode(&valid[2..])
        .expect("our own encoding");
    bytes.pop(); // the server count 0
    let mut v = n;
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            bytes.push(byte);
            break;
        }
        bytes.push(byte | 0x80);
    }
    bytes.resize(bytes.len() + n as usize, 0);
    format!("1.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// 63 down servers of weight 20 and one up server "U" whose virtual nodes are all pinned at
/// position 0: every key walked past every down server's points to reach U.
pub fn bounded_loads_freeze(vnodes: u32) -> LabState {
    let mut s = LabState::default();
    s.router.algorithm = Algorithm::BoundedLoads;
    s.router.vnodes = vnodes;
    s.keys = KeySource {
        kind: KeyKind::Uniform,
        count: 100_000,
        seed: 1,
    };
    s.servers = (0..63)
        .map(|i| Server {
            weight: 20,
            status: Status::Down,
            ..Server::new(i, i.to_string())
        })
        .collect();
    s.servers.push(Server {
        pins: (0..207)
            .map(|i| Pin {
                index: i,
                position: 0,
            })
            .collect(),
        ..Server::new(63, "U")
    });
    s
}

/// Runs `work`, failing the test if it has not finished after `limit`: a freeze detector.
pub fn within<T: Send + 'static>(
    limit: std::time::Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(work());
    });
    result
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("still running after {limit:?}: the page would freeze"))
}

/// The scenario of the bounded-work report: a start of 13 servers of weight 20 with every one
/// of their 260,000 virtual nodes pinned, and 200 steps of 100 `set-vnodes` edits each, over
/// 10 keys (a link of 2.2 million characters).
pub fn pinned_and_edited() -> hashhalo_core::scenario::Scenario {
    use hashhalo_core::edit::Edit;
    use hashhalo_core::scenario::{Scenario, Step};

    let servers = (0..13)
        .map(|i| Server {
            pins: (0..20_000)
                .map(|index| Pin {
                    index,
                    position: u64::from(index) * 7919 + i,
                })
                .collect(),
            ..Server::new(i as u32, format!("s{i}")).with_weight(20)
        })
        .collect();
    let mut start = LabState {
        servers,
        keys: KeySource {
            count: 10,
            ..KeySource::default()
        },
        ..LabState::default()
    };
    start.router.vnodes = 1000;
    let step = Step {
        caption: "Fewer, then as many.".into(),
        edits: (0..100)
            .map(|e| Edit::SetVnodes(if e % 2 == 0 { 999 } else { 1000 }))
            .collect(),
        ..Step::default()
    };
    Scenario {
        id: "pinned".into(),
        title: "Pinned".into(),
        about: String::new(),
        start,
        steps: vec![step; 200],
    }
}
