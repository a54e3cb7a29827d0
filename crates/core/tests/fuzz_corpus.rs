//! The fuzz targets' seed corpus (`fuzz/corpus/`), kept honest: a valid link of every
//! algorithm, the reproducers of `tests/hostile.rs`, and key lists of every format. Each file
//! is checked here to be what its name says.
//!
//! After changing the link format or adding a reproducer, rewrite the seeds with
//! `HASHHALO_BLESS=1 cargo test -p hashhalo-core --test fuzz_corpus` and commit them.

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hashhalo_core::algorithms::Algorithm;
use hashhalo_core::import::parse_key_list;
use hashhalo_core::lab::LabState;
use hashhalo_core::{Pin, Server, Status};

mod support;

fn corpus(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

/// The `link` target reads a first byte 0 as "the rest is the payload to base64".
fn link_seed(lab: &LabState) -> Vec<u8> {
    let text = lab.encode();
    let mut seed = vec![0u8];
    seed.extend(
        URL_SAFE_NO_PAD
            .decode(&text[2..])
            .expect("our own encoding"),
    );
    seed
}

fn link_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    for algorithm in Algorithm::ALL {
        let mut lab = LabState::default();
        lab.router.algorithm = algorithm;
        lab.servers[1].weight = 3;
        lab.servers[2].status = Status::Down;
        lab.servers[0].pin(0, 1 << 63);
        lab.replicas = 2;
        seeds.push((format!("algorithm-{}", algorithm.name()), link_seed(&lab)));
    }
    // Finding 1: the bounded-loads freeze.
    let freeze = support::bounded_loads_freeze(207);
    seeds.push(("found-bounded-loads-freeze".into(), link_seed(&freeze)));
    // Finding 3: a control character before a space.
    let mut label = LabState::default();
    label.servers[0].label = "\u{1} B".into();
    seeds.push(("found-label-clamp".into(), link_seed(&label)));
    // Finding 4: Maglev with a table smaller than the servers.
    let maglev = LabState::decode("1.BABkAhXiCUAA6AcBAQMAAUEBAAAAAQFCAQAAAAIBQwEAAAA")
        .expect("the reported link");
    seeds.push(("found-maglev-table-2".into(), link_seed(&maglev)));
    // Finding 5: many servers (2 000 here, to keep the seed small).
    let many = LabState {
        servers: (0..2_000).map(|i| Server::new(i, i.to_string())).collect(),
        ..LabState::default()
    };
    seeds.push(("found-many-servers".into(), link_seed(&many)));
    // Finding 6: unsorted pins.
    let mut unsorted = LabState::default();
    unsorted.servers[0].pins = (0..50)
        .rev()
        .map(|i| Pin {
            index: i,
            position: u64::from(i) << 50,
        })
        .collect();
    seeds.push(("found-unsorted-pins".into(), link_seed(&unsorted)));
    seeds
}

fn key_list_seeds() -> Vec<(String, Vec<u8>)> {
    [
        (
            "json",
            "[\"user:1\", \"user:2\", 3, \"\\u00e9\\ud83d\\ude00\"]",
        ),
        ("csv", "key,size\nalpha,1\n\"be,ta\",2\n\"ga\"\"mma\",3\n"),
        ("lines", "one\ntwo\r\nthree\n\n"),
        ("found-carriage-returns", "alpha\rbeta\rgamma\r"),
        ("bad-json", "[\"a\", 3"),
        ("bad-csv", "\"open,1\n"),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
    .collect()
}

fn check(target: &str, seeds: Vec<(String, Vec<u8>)>) {
    let dir = corpus(target);
    if std::env::var_os("HASHHALO_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    for (name, bytes) in seeds {
        let file = std::fs::read(dir.join(&name))
            .unwrap_or_else(|e| panic!("fuzz/corpus/{target}/{name}: {e}; bless the seeds"));
        assert_eq!(
            file, bytes,
            "fuzz/corpus/{target}/{name} is out of date; bless the seeds"
        );
    }
}

#[test]
fn the_link_seeds_are_valid_links_of_every_algorithm_and_the_reproducers() {
    let seeds = link_seeds();
    for (name, bytes) in &seeds {
        let text = format!("1.{}", URL_SAFE_NO_PAD.encode(&bytes[1..]));
        assert!(LabState::decode(&text).is_ok(), "{name}");
    }
    assert_eq!(
        seeds
            .iter()
            .filter(|(n, _)| n.starts_with("algorithm-"))
            .count(),
        Algorithm::ALL.len()
    );
    check("link", seeds);
}

#[test]
fn the_key_list_seeds_cover_every_format() {
    let seeds = key_list_seeds();
    for (name, bytes) in &seeds {
        let parsed = parse_key_list(std::str::from_utf8(bytes).unwrap(), 100);
        assert_eq!(
            parsed.is_ok(),
            !name.starts_with("bad-"),
            "{name}: {parsed:?}"
        );
    }
    check("key_list", seeds);
}

/// The `page` target reads an even first byte as "a carried scenario's payload, at step
/// byte / 2"; an odd one as the fragment's text.
fn page_seeds() -> Vec<(String, Vec<u8>)> {
    use hashhalo_core::scenario::{BUILTIN_IDS, builtin};

    let mut seeds: Vec<(String, Vec<u8>)> = BUILTIN_IDS
        .iter()
        .map(|id| {
            let text = builtin(id).unwrap().encode();
            let mut seed = vec![2u8];
            seed.extend(
                URL_SAFE_NO_PAD
                    .decode(&text[3..])
                    .expect("our own encoding"),
            );
            (format!("scenario-{id}"), seed)
        })
        .collect();
    let lab = LabState::default().encode();
    let with_lab = format!("lab={lab}&theme=dark&readonly=1&edges=deck&autoplay=1");
    let views = [
        (
            "view-embed",
            "scenario=add-server&step=2&embed=1&chrome=none&theme=projector",
        ),
        ("view-lab", with_lab.as_str()),
        (
            "view-bad",
            "scenario=nope&step=x&chrome=big&&=&step=99999999999999999999",
        ),
    ];
    for (name, text) in views {
        let mut seed = vec![1u8];
        seed.extend(text.as_bytes());
        seeds.push((name.into(), seed));
    }
    seeds
}

#[cfg(feature = "json")]
fn scenario_file_seeds() -> Vec<(String, Vec<u8>)> {
    use hashhalo_core::scenario::{BUILTIN_IDS, builtin};

    let mut seeds: Vec<(String, Vec<u8>)> = BUILTIN_IDS
        .iter()
        .map(|id| {
            (
                id.to_string(),
                builtin(id).unwrap().to_json().unwrap().into_bytes(),
            )
        })
        .collect();
    seeds.push((
        "bad-unknown-edit".into(),
        br#"{"id":"x","title":"t","start":{"servers":[{"label":"A"}]},"steps":[{"caption":"c","edits":[{"edit":"explode"}]}]}"#.to_vec(),
    ));
    seeds
}

#[test]
fn the_page_seeds_are_every_builtin_scenario_and_view_links() {
    use hashhalo_core::link::Link;
    use hashhalo_core::scenario::BUILTIN_IDS;

    let seeds = page_seeds();
    for (name, bytes) in &seeds {
        let text = if bytes[0] % 2 == 0 {
            format!("scenario=s1.{}", URL_SAFE_NO_PAD.encode(&bytes[1..]))
        } else {
            String::from_utf8(bytes[1..].to_vec()).unwrap()
        };
        let (link, notes) = Link::parse(&text);
        assert_eq!(
            notes.is_empty(),
            !name.ends_with("-bad"),
            "{name}: {notes:?}"
        );
        if name.starts_with("scenario-") {
            assert!(link.scenario.is_some(), "{name}");
        }
    }
    assert_eq!(
        seeds
            .iter()
            .filter(|(n, _)| n.starts_with("scenario-"))
            .count(),
        BUILTIN_IDS.len()
    );
    check("page", seeds);
}

#[cfg(feature = "json")]
#[test]
fn the_scenario_file_seeds_are_every_builtin_and_a_broken_file() {
    use hashhalo_core::scenario::Scenario;

    let seeds = scenario_file_seeds();
    for (name, bytes) in &seeds {
        let read = Scenario::from_json(std::str::from_utf8(bytes).unwrap());
        assert_eq!(read.is_ok(), !name.starts_with("bad-"), "{name}: {read:?}");
    }
    check("scenario_file", seeds);
}
