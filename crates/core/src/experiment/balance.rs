//! How evenly keys and requests spread: the HashFlow load balancer's A1 and A2 tests, the
//! virtual-node sweep and the uniformity of each hash.

use super::table::{Cell, Column, Table};
use super::{chi2, keys_like, quantile};
use crate::algorithms::{Algorithm, Router, RouterConfig};
use crate::keys::SplitMix64;
use crate::lab::LabState;
use crate::stats::{Spread, expected_cv};
use crate::{HashFn, Ring, RingConfig, Server};

/// Requests in A1 and A2, as the HashFlow load balancer's tests send.
const REQUESTS: usize = 10_000;

/// A named router configuration.
struct Setup {
    name: &'static str,
    config: RouterConfig,
}

fn setup(name: &'static str, algorithm: Algorithm, hash: HashFn, vnodes: u32) -> Setup {
    Setup {
        name,
        config: RouterConfig {
            algorithm,
            hash,
            vnodes,
            ..RouterConfig::default()
        },
    }
}

/// The HashFlow load balancer's ring: 512 slots, 9 virtual nodes, its slot hash.
fn hashflow() -> Setup {
    setup(
        "HashFlow (slot hash, 9 vnodes)",
        Algorithm::Ring,
        HashFn::Toy,
        9,
    )
}

fn a1_setups() -> Vec<Setup> {
    vec![
        hashflow(),
        setup("ring (xxh3, 9 vnodes)", Algorithm::Ring, HashFn::Xxh3, 9),
        setup(
            "ring (xxh3, 100 vnodes)",
            Algorithm::Ring,
            HashFn::Xxh3,
            100,
        ),
        setup("jump", Algorithm::Jump, HashFn::Xxh3, 100),
        setup("rendezvous", Algorithm::Rendezvous, HashFn::Xxh3, 100),
        setup("maglev", Algorithm::Maglev, HashFn::Xxh3, 100),
        setup("multi-probe", Algorithm::MultiProbe, HashFn::Xxh3, 100),
        setup("anchor", Algorithm::Anchor, HashFn::Xxh3, 100),
        setup("modulo", Algorithm::Modulo, HashFn::Xxh3, 100),
    ]
}

/// The HashFlow servers `Server 1..=n`, with ids 1..=n as its server hash numbers them.
fn hashflow_servers(n: u32) -> Vec<Server> {
    (1..=n)
        .map(|i| Server::new(i, format!("Server {i}")))
        .collect()
}

/// `REQUESTS` request keys `request:NNNNNN` with random six-digit ids (repeats allowed, as
/// in the HashFlow test).
fn requests(seed: u64) -> Vec<String> {
    let mut rng = SplitMix64(seed);
    (0..REQUESTS)
        .map(|_| format!("request:{}", 100_000 + rng.next() % 900_000))
        .collect()
}

/// Requests per server (in server order) under `config`; `None` if it cannot place them.
fn route_all(servers: &[Server], config: &RouterConfig, requests: &[String]) -> Option<Vec<u64>> {
    let router = Router::build(servers, config).ok()?;
    let slot = crate::order::IdIndex::of_servers(servers);
    let mut counts = vec![0u64; servers.len()];
    for r in requests {
        if let Some(i) = router.route(r.as_bytes()).and_then(|id| slot.get(id)) {
            counts[i] += 1;
        }
    }
    Some(counts)
}

pub(super) fn a1(seed: u64, progress: &mut dyn FnMut(f64)) -> Table {
    let servers = hashflow_servers(3);
    let requests = requests(seed);
    let mut columns = vec![Column::text("setup")];
    columns.extend(servers.iter().map(|s| Column::number(&s.label, "requests")));
    columns.push(Column::number("max/mean", "ratio"));
    let setups = a1_setups();
    let mut rows = Vec::new();
    for (i, s) in setups.iter().enumerate() {
        let mut row = vec![Cell::text(s.name)];
        match route_all(&servers, &s.config, &requests) {
            Some(counts) => {
                let values: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
                row.extend(values.iter().map(|&v| Cell::Number(v)));
                row.push(Cell::Number(Spread::of(&values).max_over_mean));
            }
            // A setup that cannot place the servers leaves its row empty, as wide as the rest.
            None => row.extend(std::iter::repeat_n(Cell::Empty, servers.len() + 1)),
        }
        rows.push(row);
        progress((i + 1) as f64 / setups.len() as f64);
    }
    Table { columns, rows }
}

pub(super) fn a2(seed: u64, progress: &mut dyn FnMut(f64)) -> Table {
    let requests = requests(seed);
    let setups = [
        hashflow(),
        setup("ring", Algorithm::Ring, HashFn::Xxh3, 100),
        setup("jump", Algorithm::Jump, HashFn::Xxh3, 100),
        setup("maglev", Algorithm::Maglev, HashFn::Xxh3, 100),
    ];
    let mut columns = vec![
        Column::number("servers", "servers"),
        Column::number("mean", "requests"),
    ];
    for s in &setups {
        columns.push(Column::number(&format!("busiest, {}", s.name), "requests"));
    }
    let counts: Vec<u32> = (2..=12).collect();
    let mut rows = Vec::new();
    for (k, &n) in counts.iter().enumerate() {
        let servers = hashflow_servers(n);
        let mut row = vec![
            Cell::Number(f64::from(n)),
            Cell::Number(REQUESTS as f64 / f64::from(n)),
        ];
        for s in &setups {
            let busiest = route_all(&servers, &s.config, &requests)
                .and_then(|c| c.into_iter().max())
                .map(|c| c as f64);
            row.push(Cell::maybe(busiest));
        }
        rows.push(row);
        progress((k + 1) as f64 / counts.len() as f64);
    }
    Table { columns, rows }
}

/// The virtual-node counts of the sweep, about evenly spaced on a log axis.
const VNODES: [u32; 13] = [1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000];

/// Servers in the sweep.
const SWEEP_SERVERS: u32 = 10;

pub(super) fn vnodes(seeds: u32, progress: &mut dyn FnMut(f64)) -> Table {
    let columns = vec![
        Column::number("virtual nodes", "vnodes"),
        Column::number("cv, mean over seeds", "ratio"),
        Column::number("cv, 99th percentile", "ratio"),
        Column::number("1/√v", "ratio"),
        Column::number("peak/mean, mean over seeds", "ratio"),
        Column::number("peak/mean, 99th percentile", "ratio"),
        Column::number("seeds", "seeds"),
    ];
    let mut rows = Vec::new();
    for (k, &v) in VNODES.iter().enumerate() {
        let (mut cvs, mut peaks) = (Vec::new(), Vec::new());
        for seed in 0..seeds {
            let servers: Vec<Server> = (0..SWEEP_SERVERS)
                .map(|i| Server::new(i, format!("s{seed}-{i}")))
                .collect();
            let config = RingConfig {
                vnodes: v,
                hash: HashFn::Xxh3,
            };
            let Ok(ring) = Ring::build(&servers, &config) else {
                continue;
            };
            let ratios: Vec<f64> = ring
                .ownership()
                .iter()
                .map(|s| s * f64::from(SWEEP_SERVERS))
                .collect();
            let spread = Spread::of(&ratios);
            cvs.push(spread.cv);
            peaks.push(spread.max_over_mean);
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        rows.push(vec![
            Cell::Number(f64::from(v)),
            Cell::Number(mean(&cvs)),
            Cell::Number(quantile(&mut cvs, 0.99)),
            Cell::Number(expected_cv(v)),
            Cell::Number(mean(&peaks)),
            Cell::Number(quantile(&mut peaks, 0.99)),
            Cell::Number(f64::from(seeds)),
        ]);
        progress((k + 1) as f64 / VNODES.len() as f64);
    }
    Table { columns, rows }
}

/// Ranges of the hash space the uniformity test counts keys in.
const BINS: usize = 64;

pub(super) fn hashes(lab: &LabState, progress: &mut dyn FnMut(f64)) -> Table {
    let columns = vec![
        Column::text("hash"),
        Column::number("chi-square", "χ²"),
        Column::number("degrees of freedom", "dof"),
        Column::number("p-value", "p"),
        Column::number("fullest range over the mean", "ratio"),
        Column::number("keys", "keys"),
    ];
    let mut rows = Vec::new();
    for (k, hash) in HashFn::ALL.into_iter().enumerate() {
        let keys = keys_like(lab, lab.keys.count, hash);
        let mut bins = [0u64; BINS];
        for &p in keys.positions() {
            bins[(p >> (64 - BINS.trailing_zeros())) as usize] += 1;
        }
        let expected = keys.len() as f64 / BINS as f64;
        let chi: f64 = if expected > 0.0 {
            bins.iter()
                .map(|&o| (o as f64 - expected) * (o as f64 - expected) / expected)
                .sum()
        } else {
            0.0
        };
        let dof = (BINS - 1) as f64;
        let fullest = bins.iter().copied().max().unwrap_or(0) as f64;
        rows.push(vec![
            Cell::text(hash.name()),
            Cell::Number(chi),
            Cell::Number(dof),
            Cell::Number(chi2::p_value(chi, dof)),
            Cell::Number(if expected > 0.0 {
                fullest / expected
            } else {
                0.0
            }),
            Cell::Number(keys.len() as f64),
        ]);
        progress((k + 1) as f64 / HashFn::ALL.len() as f64);
    }
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_routes_every_request_and_more_virtual_nodes_even_the_load() {
        let t = a1(1, &mut |_| {});
        for row in &t.rows {
            let total: f64 = row[1..4].iter().filter_map(Cell::number).sum();
            assert_eq!(total, REQUESTS as f64, "{row:?}");
        }
        let peak = |i: usize| t.rows[i][4].number().unwrap();
        // Nine virtual nodes spread unevenly whatever the hash; a hundred do better.
        assert!(peak(2) < peak(1), "{} vs {}", peak(2), peak(1));
        assert!(peak(2) < 1.25, "{}", peak(2));
    }

    #[test]
    fn a2_means_are_the_requests_over_the_servers_and_peaks_exceed_them() {
        let t = a2(3, &mut |_| {});
        assert_eq!(t.rows.len(), 11);
        for row in &t.rows {
            let n = row[0].number().unwrap();
            let mean = row[1].number().unwrap();
            assert_eq!(mean, REQUESTS as f64 / n);
            for c in &row[2..] {
                assert!(c.number().unwrap() >= mean, "{row:?}");
            }
        }
    }

    #[test]
    fn the_sweep_follows_one_over_root_v() {
        let t = vnodes(20, &mut |_| {});
        let at = |v: f64| t.rows.iter().find(|r| r[0].number() == Some(v)).unwrap();
        for v in [10.0, 100.0, 1000.0] {
            let row = at(v);
            let (mean_cv, theory) = (row[1].number().unwrap(), row[3].number().unwrap());
            assert!(
                (mean_cv / theory - 1.0).abs() < 0.3,
                "v={v}: {mean_cv} vs {theory}"
            );
            assert!(row[2].number().unwrap() >= mean_cv);
            assert!(row[5].number().unwrap() >= row[4].number().unwrap());
        }
        assert!(at(1000.0)[4].number().unwrap() < at(10.0)[4].number().unwrap());
    }

    #[test]
    fn good_hashes_pass_the_uniformity_test() {
        let mut lab = LabState::default();
        lab.keys.count = 20_000;
        let t = hashes(&lab, &mut |_| {});
        let p = |name: &str| {
            t.rows.iter().find(|r| r[0] == Cell::text(name)).unwrap()[3]
                .number()
                .unwrap()
        };
        assert!(p("xxh3") > 0.001, "{}", p("xxh3"));
        assert!(p("md5") > 0.001, "{}", p("md5"));
    }
}
