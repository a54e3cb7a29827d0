#![cfg(not(target_arch = "wasm32"))]
//! The compatibility presets against every vector captured from the real systems
//! (`compat/vectors/*.json`, format in `compat/SPEC.md` §6), plus focused checks of the details
//! SPEC.md calls out.

use std::collections::BTreeMap;

use hashhalo_core::maglev_table::{self, MaglevEntry};
use hashhalo_core::presets::{
    EnvoyHashFunction, EnvoyLocality, EnvoyMaglev, EnvoyRing, EnvoyRingConfig, KetamaRing,
    KetamaVariant, NginxRing, PresetError, PresetServer,
};
use md5::{Digest, Md5};
use proptest::prelude::*;
use serde_json::Value;

// ------------------------------------------------------------------------------------------
// Reading the vectors
// ------------------------------------------------------------------------------------------

fn load(file: &str) -> Vec<Value> {
    let path = format!("{}/compat/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    match serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {path}: {e}")) {
        Value::Array(configs) => configs,
        other => vec![other],
    }
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("field {field:?} is not a string in {v}"))
}

fn u64_of(v: &Value, field: &str) -> u64 {
    v[field]
        .as_u64()
        .unwrap_or_else(|| panic!("field {field:?} is not a u64 in {v}"))
}

fn bool_of(v: &Value, field: &str) -> bool {
    v.get(field).and_then(Value::as_bool).unwrap_or(false)
}

fn array_of<'a>(v: &'a Value, field: &str) -> &'a [Value] {
    v.get(field)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The configuration's servers; `down` and `unreachable` (nginx) both mean not up.
fn servers_of(config: &Value) -> Vec<PresetServer> {
    array_of(config, "servers")
        .iter()
        .map(|s| PresetServer {
            name: str_of(s, "name").to_owned(),
            weight: s
                .get("weight")
                .and_then(Value::as_u64)
                .map_or(1, |w| w as u32),
            up: !(bool_of(s, "down") || bool_of(s, "unreachable")),
        })
        .collect()
}

fn localities_of(config: &Value) -> Option<Vec<EnvoyLocality>> {
    let localities = config.get("localities")?.as_array()?;
    Some(
        localities
            .iter()
            .map(|l| EnvoyLocality {
                weight: u64_of(l, "weight") as u32,
                hosts: array_of(l, "hosts")
                    .iter()
                    .map(|h| h.as_u64().expect("host index") as usize)
                    .collect(),
            })
            .collect(),
    )
}

fn name_of(servers: &[PresetServer], index: Option<usize>) -> Option<&str> {
    index.map(|i| servers[i].name.as_str())
}

/// Collects mismatches so that one run reports all of them, then fails once.
#[derive(Default)]
struct Report {
    /// Comparisons made (cases, stats, full rings and tables, counts).
    checked: usize,
    /// Request hashes replayed for distribution counts.
    hashes: usize,
    failures: Vec<String>,
}

impl Report {
    fn check(&mut self, ok: bool, message: impl FnOnce() -> String) {
        self.checked += 1;
        if !ok {
            self.failures.push(message());
        }
    }

    /// Fails with every mismatch, or if fewer comparisons or hashes ran than the vectors hold.
    fn finish(self, preset: &str, expected_checks: usize, expected_hashes: usize) {
        assert!(
            self.failures.is_empty(),
            "{preset}: {} of {} checks failed:\n{}",
            self.failures.len(),
            self.checked,
            self.failures
                .iter()
                .take(40)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert_eq!(
            (self.checked, self.hashes),
            (expected_checks, expected_hashes),
            "{preset}: (checks, distribution hashes) that ran"
        );
        println!(
            "{preset}: {} checks and {} distribution hashes passed",
            self.checked, self.hashes
        );
    }
}

// ------------------------------------------------------------------------------------------
// Vector replays
// ------------------------------------------------------------------------------------------

#[test]
fn hash_known_answers() {
    let mut report = Report::default();
    for config in load("hash-kats.json") {
        for case in array_of(&config, "cases") {
            let key = str_of(case, "key").as_bytes();
            report.check(
                NginxRing::key_position(key) >> 32 == u64_of(case, "crc32"),
                || format!("crc32({key:?})"),
            );
            report.check(
                u64::from(KetamaRing::hashi(key)) == u64_of(case, "ketama_hashi"),
                || format!("ketama_hashi({key:?})"),
            );
            report.check(
                EnvoyRing::key_position(key) == u64_of(case, "xxh64_seed0"),
                || format!("xxh64({key:?}, 0)"),
            );
            report.check(
                EnvoyMaglev::key_position(key) == u64_of(case, "xxh64_seed0"),
                || format!("maglev xxh64({key:?}, 0)"),
            );
            report.check(
                xxhash_rust::xxh64::xxh64(key, 1) == u64_of(case, "xxh64_seed1"),
                || format!("xxh64({key:?}, 1)"),
            );
        }
    }
    report.finish("hash-kats", 16 * 5, 0);
}

#[test]
fn nginx_vectors() {
    let mut report = Report::default();
    let configs = load("nginx.json");
    assert_eq!(
        configs.len(),
        10,
        "nginx.json should hold 10 configurations"
    );
    for (ci, config) in configs.iter().enumerate() {
        let name = str_of(config, "name");
        let servers = servers_of(config);
        let ring = NginxRing::build(&servers)
            .unwrap_or_else(|e| panic!("nginx config {ci} ({name}): build failed: {e}"));
        for case in array_of(config, "cases") {
            let key = str_of(case, "key");
            let expected = str_of(case, "expected");
            let hit = ring.hit(NginxRing::key_position(key.as_bytes()));
            let got = name_of(&servers, hit.map(|h| h.server));
            report.check(got == Some(expected), || {
                format!("nginx config {ci} ({name}) key {key:?}: expected {expected}, got {got:?}")
            });
            // nginx answered from the ring, so it found the server within its 20 extra points.
            let skipped = hit.map_or(usize::MAX, |h| h.skipped);
            report.check(skipped <= NginxRing::MAX_EXTRA_POINTS, || {
                format!("nginx config {ci} ({name}) key {key:?}: {skipped} points skipped")
            });
        }
        // Keys nginx answered by round robin: the first up point is more than 20 points on.
        for key in array_of(config, "rr_fallback_keys") {
            let key = key.as_str().expect("key");
            let hit = ring.hit(NginxRing::key_position(key.as_bytes()));
            let skipped = hit.map_or(usize::MAX, |h| h.skipped);
            report.check(skipped > NginxRing::MAX_EXTRA_POINTS, || {
                format!(
                    "nginx config {ci} ({name}) key {key:?}: nginx fell back to round robin, but \
                     only {skipped} points are skipped"
                )
            });
        }
    }
    // 2,582 answered keys (answer, and within 20 extra points) and 34 round-robin keys.
    report.finish("nginx", 2 * 2582 + 34, 0);
}

#[test]
fn ketama_vectors() {
    let mut report = Report::default();
    let configs = load("libketama.json");
    assert_eq!(
        configs.len(),
        18,
        "libketama.json should hold 18 configurations"
    );
    let mut cases_per_flavour: BTreeMap<&str, usize> = BTreeMap::new();
    for (ci, config) in configs.iter().enumerate() {
        let name = str_of(config, "name");
        let flavour = str_of(config, "flavour");
        let variant = match flavour {
            "libketama" => KetamaVariant::Libketama,
            "uhashring" => KetamaVariant::Uhashring,
            other => panic!("ketama config {ci} ({name}): unknown flavour {other}"),
        };
        let servers = servers_of(config);
        let ring = KetamaRing::build_variant(&servers, variant)
            .unwrap_or_else(|e| panic!("ketama config {ci} ({name}): build failed: {e}"));
        let points = u64_of(config, "points");
        report.check(ring.points().len() as u64 == points, || {
            format!(
                "ketama config {ci} ({name}): {} points, expected {points}",
                ring.points().len()
            )
        });
        for case in array_of(config, "cases") {
            let key = str_of(case, "key");
            let key_hash = u64_of(case, "key_hash");
            report.check(
                u64::from(KetamaRing::hashi(key.as_bytes())) == key_hash,
                || format!("ketama config {ci} ({name}) key {key:?}: hashi differs"),
            );
            let expected = str_of(case, "expected");
            let point = u64_of(case, "point");
            let hit = ring.hit(KetamaRing::key_position(key.as_bytes()));
            let got = name_of(&servers, hit.map(|h| h.server));
            let got_point = hit.map(|h| u64::from(ring.continuum_point(&ring.points()[h.point])));
            report.check(got == Some(expected) && got_point == Some(point), || {
                format!(
                    "ketama config {ci} ({name}) key {key:?}: expected {expected}/{point}, got \
                     {got:?}/{got_point:?}"
                )
            });
            *cases_per_flavour.entry(flavour).or_default() += 1;
        }
        if let Some(upstream) = config.get("upstream_assertions") {
            let hashi = u64::from(KetamaRing::hashi(b"test"));
            report.check(hashi == u64_of(upstream, "hashi(test)"), || {
                format!("ketama config {ci} ({name}): upstream hashi(test)")
            });
            let expected = &upstream["get_server(test)"];
            let hit = ring
                .hit(KetamaRing::key_position(b"test"))
                .expect("a server");
            report.check(
                u64::from(ring.continuum_point(&ring.points()[hit.point])) == expected[0]
                    && servers[hit.server].name == expected[1],
                || format!("ketama config {ci} ({name}): upstream get_server(test)"),
            );
            report.check(
                ring.points().len() as u64 == u64_of(upstream, "len(get_points())"),
                || format!("ketama config {ci} ({name}): upstream len(get_points())"),
            );
        }
        if let Some(md5_test) = config.get("md5_test") {
            let digest = libketama_test_md5(&ring, &servers);
            let expected = str_of(md5_test, "md5");
            report.check(digest == expected, || {
                format!("ketama config {ci} ({name}): test.sh md5 {digest}, expected {expected}")
            });
        }
    }
    assert_eq!(cases_per_flavour["libketama"], 2466);
    assert_eq!(cases_per_flavour["uhashring"], 2466);
    // 4,932 keys (hashi, and answer with its point), 18 continuum sizes, 3 assertions of
    // python_ketama/tests.py and test.sh's md5 over a million keys.
    report.finish("libketama", 2 * 4932 + 18 + 3 + 1, 0);
}

/// Upstream's `libketama/test.sh`: the md5 of `ketama_test ketama.servers`, which prints an
/// empty error line and then `"{hashi} {point} {server}\n"` for the keys "0" to "999999".
fn libketama_test_md5(ring: &KetamaRing, servers: &[PresetServer]) -> String {
    let mut md5 = Md5::new();
    md5.update(b"\n");
    let mut line = String::new();
    for i in 0..1_000_000u32 {
        use std::fmt::Write as _;
        let key = i.to_string();
        let hit = ring
            .hit(KetamaRing::key_position(key.as_bytes()))
            .expect("a server");
        line.clear();
        writeln!(
            line,
            "{} {} {}",
            KetamaRing::hashi(key.as_bytes()),
            ring.continuum_point(&ring.points()[hit.point]),
            servers[hit.server].name
        )
        .expect("writing to a String cannot fail");
        md5.update(line.as_bytes());
    }
    md5.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Replays the cases and distributions an Envoy configuration carries, through `choose`
/// (hash, attempt) → server index.
fn replay_envoy(
    report: &mut Report,
    label: &str,
    config: &Value,
    servers: &[PresetServer],
    choose: impl Fn(u64, u32) -> Option<usize>,
) {
    for case in array_of(config, "cases") {
        let hash = u64_of(case, "hash");
        let attempt = case.get("attempt").and_then(Value::as_u64).unwrap_or(0) as u32;
        let expected = str_of(case, "expected");
        let got = name_of(servers, choose(hash, attempt));
        report.check(got == Some(expected), || {
            format!("{label} hash {hash} attempt {attempt}: expected {expected}, got {got:?}")
        });
    }
    for d in array_of(config, "distributions") {
        let n = u64_of(d, "n");
        let step = u64_of(d, "step");
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        report.hashes += n as usize;
        for i in 0..n {
            if let Some(name) = name_of(servers, choose(i.wrapping_mul(step), 0)) {
                *counts.entry(name).or_default() += 1;
            }
        }
        let expected = d["counts"].as_object().expect("counts");
        for (name, count) in expected {
            let count = count.as_u64().expect("count");
            let got = counts.get(name.as_str()).copied().unwrap_or(0);
            report.check(got == count, || {
                format!("{label} distribution of {n}: {name} expected {count}, got {got}")
            });
        }
        let total: u64 = expected.values().filter_map(Value::as_u64).sum();
        report.check(total == n, || {
            format!("{label} distribution of {n}: the expected counts add up to {total}")
        });
    }
}

#[test]
fn envoy_ring_vectors() {
    let mut report = Report::default();
    let configs = load("envoy-ring.json");
    assert_eq!(
        configs.len(),
        14,
        "envoy-ring.json should hold 14 configurations"
    );
    for (ci, config) in configs.iter().enumerate() {
        let name = str_of(config, "name");
        let label = format!("envoy-ring config {ci} ({name})");
        let servers = servers_of(config);
        let params = &config["params"];
        let defaults = EnvoyRingConfig::default();
        let ring_config = EnvoyRingConfig {
            min_ring_size: params
                .get("minimum_ring_size")
                .and_then(Value::as_u64)
                .unwrap_or(defaults.min_ring_size),
            max_ring_size: params
                .get("maximum_ring_size")
                .and_then(Value::as_u64)
                .unwrap_or(defaults.max_ring_size),
            hash_function: match params.get("hash_function").and_then(Value::as_str) {
                None | Some("XX_HASH") => EnvoyHashFunction::XxHash,
                Some("MURMUR_HASH_2") => EnvoyHashFunction::MurmurHash2,
                Some(other) => panic!("{label}: unknown hash function {other}"),
            },
        };
        let ring = match localities_of(config) {
            None => EnvoyRing::build(&servers, ring_config),
            Some(localities) => {
                EnvoyRing::build_with_localities(&servers, &localities, ring_config)
            }
        }
        .unwrap_or_else(|e| panic!("{label}: build failed: {e}"));

        if let Some(stats) = config.get("stats") {
            let got = ring.stats();
            for (field, value) in [
                ("size", got.size),
                ("min_hashes_per_host", got.min_hashes_per_host),
                ("max_hashes_per_host", got.max_hashes_per_host),
            ] {
                if let Some(expected) = stats.get(field) {
                    report.check(expected.as_u64() == Some(value), || {
                        format!("{label}: stat {field} expected {expected}, got {value}")
                    });
                }
            }
        }
        if let Some(expected) = config.get("ring").and_then(Value::as_array) {
            let got: Vec<(u64, &str)> = ring
                .points()
                .iter()
                .map(|p| (p.position, servers[p.server].name.as_str()))
                .collect();
            let expected: Vec<(u64, &str)> = expected
                .iter()
                .map(|e| (e[0].as_u64().expect("hash"), e[1].as_str().expect("name")))
                .collect();
            report.check(got == expected, || {
                format!("{label}: ring differs:\n  got      {got:?}\n  expected {expected:?}")
            });
        }
        replay_envoy(&mut report, &label, config, &servers, |h, a| {
            ring.lookup_attempt(h, a)
        });
    }
    // 48 cases, 13 stats sets of 3 gauges, 5 full rings, and 4 distributions (13 per-host
    // counts and 4 totals) over 22,023 hashes.
    report.finish("envoy-ring", 48 + 13 * 3 + 5 + 13 + 4, 22_023);
}

#[test]
fn envoy_maglev_vectors() {
    let mut report = Report::default();
    let configs = load("envoy-maglev.json");
    assert_eq!(
        configs.len(),
        7,
        "envoy-maglev.json should hold 7 configurations"
    );
    for (ci, config) in configs.iter().enumerate() {
        let name = str_of(config, "name");
        let label = format!("envoy-maglev config {ci} ({name})");
        let servers = servers_of(config);
        let table_size = config["params"]
            .get("table_size")
            .and_then(Value::as_u64)
            .unwrap_or(EnvoyMaglev::DEFAULT_TABLE_SIZE);
        let maglev = match localities_of(config) {
            None => EnvoyMaglev::build(&servers, table_size),
            Some(localities) => {
                EnvoyMaglev::build_with_localities(&servers, &localities, table_size)
            }
        }
        .unwrap_or_else(|e| panic!("{label}: build failed: {e}"));

        if let Some(stats) = config.get("stats") {
            let got = maglev.stats();
            for (field, value) in [
                ("min_entries_per_host", got.min_entries_per_host),
                ("max_entries_per_host", got.max_entries_per_host),
            ] {
                if let Some(expected) = stats.get(field) {
                    report.check(expected.as_u64() == Some(value), || {
                        format!("{label}: stat {field} expected {expected}, got {value}")
                    });
                }
            }
        }
        if let Some(expected) = config.get("table").and_then(Value::as_array) {
            let got: Vec<&str> = maglev
                .table()
                .iter()
                .map(|&s| servers[s as usize].name.as_str())
                .collect();
            let expected: Vec<&str> = expected.iter().map(|e| e.as_str().expect("name")).collect();
            report.check(got == expected, || {
                format!("{label}: table differs:\n  got      {got:?}\n  expected {expected:?}")
            });
        }
        replay_envoy(&mut report, &label, config, &servers, |h, a| {
            maglev.lookup_attempt(h, a)
        });
    }
    // 215 cases, 6 stats sets of 2 gauges, 2 full tables, and 1 distribution (1,024 per-host
    // counts and its total) over 65,537 hashes.
    report.finish("envoy-maglev", 215 + 6 * 2 + 2 + 1024 + 1, 65_537);
}

// ------------------------------------------------------------------------------------------
// Focused checks
// ------------------------------------------------------------------------------------------

#[test]
fn nginx_worked_example() {
    // SPEC.md §1.2: 127.0.0.1:38081 → 681191807, 2453745328, 4032331811, …
    let ring = NginxRing::build(&[PresetServer::new("127.0.0.1:38081")]).unwrap();
    let mut own: Vec<_> = ring.points().to_vec();
    own.sort_by_key(|p| p.index);
    let first: Vec<u64> = own.iter().take(3).map(|p| p.position >> 32).collect();
    assert_eq!(first, [681_191_807, 2_453_745_328, 4_032_331_811]);
    assert_eq!(own.len(), 160);
    assert_eq!(NginxRing::key_position(b"key-0") >> 32, 2_045_480_940);
}

#[test]
fn nginx_collision_keeps_the_earlier_server() {
    // SPEC.md §1.2 step 5: 127.0.0.1:38128 point #123 == 127.0.0.1:38317 point #78.
    let shared = 3_067_469_492u64 << 32;
    for (order, winner) in [
        (["127.0.0.1:38128", "127.0.0.1:38317"], 0),
        (["127.0.0.1:38317", "127.0.0.1:38128"], 0),
    ] {
        let servers = order.map(PresetServer::new);
        let ring = NginxRing::build(&servers).unwrap();
        assert_eq!(
            ring.points().len(),
            319,
            "one of the 320 points is a duplicate"
        );
        let at: Vec<_> = ring
            .points()
            .iter()
            .filter(|p| p.position == shared)
            .collect();
        assert_eq!(at.len(), 1);
        assert_eq!(at[0].server, winner);
        assert_eq!(ring.lookup_position(shared), Some(winner));
    }
}

#[test]
fn nginx_down_servers_are_walked_over() {
    let servers = [
        PresetServer::new("127.0.0.1:1"),
        PresetServer::new("127.0.0.1:2").down(),
        PresetServer::new("127.0.0.1:3"),
    ];
    let ring = NginxRing::build(&servers).unwrap();
    assert_eq!(ring.points().len(), 480, "down servers keep their points");
    for point in ring.points() {
        let hit = ring.hit(point.position).unwrap();
        assert_ne!(hit.server, 1);
        if point.server != 1 {
            assert_eq!((hit.server, hit.skipped), (point.server, 0));
        }
        // The answer is the first up point at or after the position, wrapping.
        let n = ring.points().len();
        let start = ring
            .points()
            .iter()
            .position(|p| p.position >= point.position)
            .unwrap();
        let expected = (0..n)
            .map(|d| (start + d) % n)
            .find(|&i| servers[ring.points()[i].server].up);
        assert_eq!(Some(hit.point), expected);
    }
    let all_down = [PresetServer::new("a").down(), PresetServer::new("b").down()];
    let ring = NginxRing::build(&all_down).unwrap();
    assert_eq!(ring.lookup(b"anything"), None);
}

#[test]
fn ketama_float_rounding() {
    // 61 equal servers: 39 digests (156 points) each, 9516 in all, as the C library gives.
    let servers: Vec<_> = (1..=61)
        .map(|i| PresetServer::new(format!("10.0.1.{i}:11211")))
        .collect();
    let ring = KetamaRing::build(&servers).unwrap();
    assert_eq!(ring.points().len(), 9516);
    for s in 0..61 {
        assert_eq!(
            ring.points().iter().filter(|p| p.server == s).count(),
            39 * 4
        );
    }
    let exact = KetamaRing::build_variant(&servers, KetamaVariant::Uhashring).unwrap();
    assert_eq!(exact.points().len(), 61 * 160);
    // The other server counts SPEC.md lists as affected.
    for n in [122u64, 237, 244, 474, 488] {
        assert_eq!(
            KetamaVariant::Libketama.hashes_per_server(1, n, n as usize),
            39,
            "n = {n}"
        );
    }
    assert_eq!(KetamaVariant::Libketama.hashes_per_server(1, 3, 3), 40);
}

#[test]
fn ketama_digest_gives_four_points() {
    // SPEC.md §2.2: md5("10.0.1.1:11211-0") → 2431485715, 4123933443, 100894374, 2720740989.
    let ring = KetamaRing::build(&[PresetServer::new("10.0.1.1:11211")]).unwrap();
    let mut first: Vec<_> = ring
        .points()
        .iter()
        .filter(|p| p.index < 4)
        .copied()
        .collect();
    first.sort_by_key(|p| p.index);
    let values: Vec<u32> = first.iter().map(|p| ring.continuum_point(p)).collect();
    assert_eq!(
        values,
        [2_431_485_715, 4_123_933_443, 100_894_374, 2_720_740_989]
    );
    assert_eq!(KetamaRing::hashi(b"key-0"), 2_123_055_796);
}

#[test]
fn ketama_collision_winner_per_variant() {
    // SPEC.md §2.2: h49:11211 and h792:11211 share point 1691054823; libketama's answer is the
    // earlier server, uhashring's the later one.
    let shared = 1_691_054_823u32;
    for order in [["h49:11211", "h792:11211"], ["h792:11211", "h49:11211"]] {
        let servers = order.map(PresetServer::new);
        for (variant, winner) in [(KetamaVariant::Libketama, 0), (KetamaVariant::Uhashring, 1)] {
            let ring = KetamaRing::build_variant(&servers, variant).unwrap();
            let at = ring
                .points()
                .iter()
                .position(|p| ring.continuum_point(p) == shared)
                .unwrap();
            assert_eq!(ring.points()[at].server, winner, "{variant:?} {order:?}");
            assert_eq!(
                ring.continuum_point(&ring.points()[at + 1]),
                shared,
                "kept twice"
            );
        }
    }
}

#[test]
fn envoy_ring_entry_hash() {
    // SPEC.md §3.3: xxh64("127.0.0.1:90_0") = 16117243373044804889.
    let ring = EnvoyRing::build(
        &[PresetServer::new("127.0.0.1:90")],
        EnvoyRingConfig::default(),
    )
    .unwrap();
    let first = ring.points().iter().find(|p| p.index == 0).unwrap();
    assert_eq!(first.position, 16_117_243_373_044_804_889);
    assert_eq!(ring.points().len(), 1024);
    assert_eq!(EnvoyRing::key_position(b"key-0"), 1_358_662_563_146_998_643);
}

#[test]
fn envoy_ring_rebuilds_without_down_servers() {
    let all: Vec<_> = (90..94)
        .map(|p| PresetServer::new(format!("127.0.0.1:{p}")))
        .collect();
    let mut some_down = all.clone();
    some_down[1].up = false;
    let config = EnvoyRingConfig::default();
    let with_down = EnvoyRing::build(&some_down, config).unwrap();
    let without: Vec<_> = some_down.iter().filter(|s| s.up).cloned().collect();
    let rebuilt = EnvoyRing::build(&without, config).unwrap();
    let map = [0usize, 2, 3];
    assert_eq!(with_down.points().len(), rebuilt.points().len());
    for (a, b) in with_down.points().iter().zip(rebuilt.points()) {
        assert_eq!(
            (a.position, a.server, a.index),
            (b.position, map[b.server], b.index)
        );
    }
    let none_up: Vec<_> = all.iter().cloned().map(PresetServer::down).collect();
    let empty = EnvoyRing::build(&none_up, config).unwrap();
    assert!(empty.points().is_empty());
    assert_eq!(empty.lookup(b"k"), None);
    assert_eq!(empty.lookup_attempt(0, 3), None);
}

#[test]
fn maglev_offset_and_skip() {
    // SPEC.md §4.1: key 127.0.0.1:90, M = 7 → offset 2, skip 4.
    let key = b"127.0.0.1:90";
    let e = MaglevEntry::from_hashes(
        xxhash_rust::xxh64::xxh64(key, 0),
        xxhash_rust::xxh64::xxh64(key, 1),
        7,
        1.0,
    );
    assert_eq!((e.offset, e.skip), (2, 4));
}

#[test]
fn maglev_equal_weights_share_evenly() {
    for m in [1u64, 2, 7, 13, 251, 65_537, 64, 100] {
        for n in 1..=9u64 {
            let entries: Vec<MaglevEntry> = (0..n)
                .map(|i| {
                    let key = format!("backend-{i}");
                    MaglevEntry::from_hashes(
                        xxhash_rust::xxh64::xxh64(key.as_bytes(), 0),
                        xxhash_rust::xxh64::xxh64(key.as_bytes(), 1),
                        m,
                        0.1,
                    )
                })
                .collect();
            let table = maglev_table::fill(&entries, m);
            assert_eq!(table.len() as u64, m);
            for i in 0..n {
                let count = table.iter().filter(|&&e| u64::from(e) == i).count() as u64;
                assert!(
                    count == m / n || count == m.div_ceil(n),
                    "M = {m}, n = {n}: entry {i} owns {count} slots"
                );
            }
        }
    }
}

#[test]
fn maglev_degenerate_inputs() {
    assert!(maglev_table::fill(&[], 7).is_empty());
    let one = [MaglevEntry {
        offset: 0,
        skip: 1,
        weight: 1.0,
    }];
    assert!(maglev_table::fill(&one, 0).is_empty());
    assert!(maglev_table::fill(&one, maglev_table::MAX_TABLE_SIZE + 1).is_empty());
    assert_eq!(maglev_table::fill(&one, 1), [0]);
    // Weights that make no sense still fill the table.
    let odd = [
        MaglevEntry {
            offset: 1,
            skip: 2,
            weight: f64::NAN,
        },
        MaglevEntry {
            offset: 5,
            skip: 3,
            weight: -1.0,
        },
        MaglevEntry {
            offset: 0,
            skip: 0,
            weight: f64::INFINITY,
        },
    ];
    for m in [1, 2, 3, 10, 97] {
        assert_eq!(maglev_table::fill(&odd, m).len() as u64, m);
    }
    let negative = [MaglevEntry {
        offset: 0,
        skip: 1,
        weight: -3.0,
    }; 3];
    assert_eq!(maglev_table::fill(&negative, 13).len(), 13);
}

#[test]
fn maglev_down_servers_are_rebuilt_around() {
    let servers: Vec<_> = (90..96)
        .map(|p| PresetServer::new(format!("127.0.0.1:{p}")))
        .collect();
    let mut some_down = servers.clone();
    some_down[2].up = false;
    let maglev = EnvoyMaglev::build(&some_down, 7).unwrap();
    assert!(maglev.table().iter().all(|&s| s != 2));
    let without: Vec<_> = some_down.iter().filter(|s| s.up).cloned().collect();
    let rebuilt = EnvoyMaglev::build(&without, 7).unwrap();
    let map = [0u32, 1, 3, 4, 5];
    let mapped: Vec<u32> = rebuilt.table().iter().map(|&s| map[s as usize]).collect();
    assert_eq!(maglev.table(), mapped);
    let none_up: Vec<_> = servers.iter().cloned().map(PresetServer::down).collect();
    let empty = EnvoyMaglev::build(&none_up, 7).unwrap();
    assert_eq!(empty.lookup_position(3), None);
}

#[test]
fn errors_are_typed() {
    let a = PresetServer::new("a:1");
    assert_eq!(NginxRing::build(&[]).unwrap_err(), PresetError::NoServers);
    assert_eq!(KetamaRing::build(&[]).unwrap_err(), PresetError::NoServers);
    assert_eq!(
        EnvoyRing::build(&[], EnvoyRingConfig::default()).unwrap_err(),
        PresetError::NoServers
    );
    assert_eq!(
        EnvoyMaglev::build(&[], 7).unwrap_err(),
        PresetError::NoServers
    );
    assert_eq!(
        KetamaRing::build(&[a.clone(), a.clone()]).unwrap_err(),
        PresetError::DuplicateName("a:1".into())
    );
    assert_eq!(
        EnvoyMaglev::build(&[a.clone().with_weight(0)], 7).unwrap_err(),
        PresetError::ZeroWeight("a:1".into())
    );
    let servers = [a.clone()];
    assert_eq!(
        EnvoyMaglev::build(&servers, 1).unwrap_err(),
        PresetError::TableSizeNotPrime(1)
    );
    assert_eq!(
        EnvoyMaglev::build(&servers, 5_000_012).unwrap_err(),
        PresetError::TableSizeTooLarge(5_000_012)
    );
    assert!(EnvoyMaglev::build(&servers, 5_000_011).is_ok());
    for (min, max, err) in [
        (0, 10, PresetError::RingSizeOutOfRange(0)),
        (10, 8_388_609, PresetError::RingSizeOutOfRange(8_388_609)),
        (11, 10, PresetError::MinRingAboveMax { min: 11, max: 10 }),
    ] {
        let config = EnvoyRingConfig {
            min_ring_size: min,
            max_ring_size: max,
            ..Default::default()
        };
        assert_eq!(EnvoyRing::build(&servers, config).unwrap_err(), err);
    }
    let two = [a.clone(), PresetServer::new("b:1")];
    let config = EnvoyRingConfig::default();
    let missing = [EnvoyLocality {
        weight: 1,
        hosts: vec![0],
    }];
    assert_eq!(
        EnvoyRing::build_with_localities(&two, &missing, config).unwrap_err(),
        PresetError::LocalityHostMissing(1)
    );
    let repeated = [EnvoyLocality {
        weight: 1,
        hosts: vec![0, 1, 0],
    }];
    assert_eq!(
        EnvoyMaglev::build_with_localities(&two, &repeated, 7).unwrap_err(),
        PresetError::LocalityHostRepeated(0)
    );
    let outside = [EnvoyLocality {
        weight: 1,
        hosts: vec![0, 1, 2],
    }];
    assert_eq!(
        EnvoyRing::build_with_localities(&two, &outside, config).unwrap_err(),
        PresetError::LocalityHostOutOfRange {
            locality: 0,
            host: 2
        }
    );
    let heavy = [a.clone().with_weight(u32::MAX), PresetServer::new("b:1")];
    assert_eq!(
        EnvoyRing::build(&heavy, config).unwrap_err(),
        PresetError::WeightSumOverflow
    );
    assert_eq!(
        NginxRing::build(&[a.with_weight(u32::MAX)]).unwrap_err(),
        PresetError::TooManyPoints(u64::from(u32::MAX) * 160)
    );
}

// ------------------------------------------------------------------------------------------
// Properties
// ------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The fill never panics and always fills the table with valid entry indices.
    #[test]
    fn fill_always_fills(
        m in 1u64..300,
        entries in prop::collection::vec((any::<u64>(), any::<u64>(), -1.0f64..4.0), 1..12),
    ) {
        let entries: Vec<MaglevEntry> = entries
            .into_iter()
            .map(|(offset, skip, weight)| MaglevEntry { offset, skip, weight })
            .collect();
        let table = maglev_table::fill(&entries, m);
        prop_assert_eq!(table.len() as u64, m);
        prop_assert!(table.iter().all(|&e| (e as usize) < entries.len()));
    }

    /// Ring lookups agree with a linear scan for the first up point at or after the position.
    #[test]
    fn ring_lookup_matches_scan(
        ups in prop::collection::vec(any::<bool>(), 1..6),
        positions in prop::collection::vec(any::<u64>(), 1..50),
    ) {
        let servers: Vec<PresetServer> = ups
            .iter()
            .enumerate()
            .map(|(i, &up)| PresetServer { name: format!("10.0.0.{i}:80"), weight: 1, up })
            .collect();
        let ketama = KetamaRing::build(&servers).unwrap();
        let nginx = NginxRing::build(&servers).unwrap();
        for &position in &positions {
            for (points, got) in [
                (ketama.points(), ketama.lookup_position(position)),
                (nginx.points(), nginx.lookup_position(position)),
            ] {
                let n = points.len();
                let start = points.iter().position(|p| p.position >= position).unwrap_or(0);
                let expected = (0..n)
                    .map(|d| points[(start + d) % n].server)
                    .find(|&s| servers[s].up);
                prop_assert_eq!(got, expected);
            }
        }
    }
}
