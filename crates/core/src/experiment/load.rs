//! Request load rather than key counts: Zipf popularity, where a few hot keys carry most of
//! the requests.

use std::sync::Arc;

use super::keys_like;
use super::table::{Cell, Column, Table};
use crate::Server;
use crate::algorithms::{Algorithm, RouterConfig};
use crate::lab::LabState;
use crate::order::IdIndex;
use crate::snapshot::Snapshot;

/// Zipf popularity weights of `n` keys with skew `s`: key `i` (from 0) gets `1/(i + 1)^s`,
/// normalised to sum to 1 (three keys at `s = 1` get 6/11, 3/11 and 2/11).
pub(crate) fn zipf(n: usize, s: f64) -> Vec<f64> {
    let mut w: Vec<f64> = (1..=n).map(|r| libm::pow(r as f64, -s)).collect();
    let total: f64 = w.iter().sum();
    if total > 0.0 {
        for x in &mut w {
            *x /= total;
        }
    }
    w
}

/// The requests each server of `snapshot` gets when key `i` draws `weights[i]` of them, in
/// server order.
pub(crate) fn request_loads(snapshot: &Snapshot, weights: &[f64]) -> Vec<f64> {
    let servers = &snapshot.lab().servers;
    let slot = IdIndex::of_servers(servers);
    let mut load = vec![0.0; servers.len()];
    for (owner, w) in snapshot.owners().iter().zip(weights) {
        if let Some(i) = owner.and_then(|id| slot.get(id)) {
            load[i] += w;
        }
    }
    load
}

/// The busiest up server's requests over the mean of the up servers'.
pub(crate) fn request_peak(snapshot: &Snapshot, weights: &[f64]) -> f64 {
    let up: Vec<f64> = request_loads(snapshot, weights)
        .into_iter()
        .zip(&snapshot.lab().servers)
        .filter(|(_, s)| s.is_up())
        .map(|(l, _)| l)
        .collect();
    let total: f64 = up.iter().sum();
    let peak = up.iter().copied().fold(0.0, f64::max);
    if total > 0.0 {
        peak * up.len() as f64 / total
    } else {
        0.0
    }
}

/// Keys, servers and skews of the hot-keys experiment.
const KEYS: u32 = 10_000;
const SERVERS: u32 = 10;
const SKEWS: [f64; 7] = [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5];

pub(super) fn hot_keys(like: &LabState, progress: &mut dyn FnMut(f64)) -> Table {
    let setups = [
        ("ring", RouterConfig::default()),
        (
            "jump",
            RouterConfig {
                algorithm: Algorithm::Jump,
                ..RouterConfig::default()
            },
        ),
        (
            "rendezvous",
            RouterConfig {
                algorithm: Algorithm::Rendezvous,
                ..RouterConfig::default()
            },
        ),
        (
            "maglev",
            RouterConfig {
                algorithm: Algorithm::Maglev,
                ..RouterConfig::default()
            },
        ),
        (
            "bounded, c = 1.25",
            RouterConfig {
                algorithm: Algorithm::BoundedLoads,
                ..RouterConfig::default()
            },
        ),
    ];
    let keys = Arc::new(keys_like(like, KEYS, crate::HashFn::Xxh3));
    let servers: Vec<Server> = (0..SERVERS)
        .map(|i| Server::new(i, format!("node-{}", i + 1)))
        .collect();
    let snapshots: Vec<Snapshot> = setups
        .iter()
        .map(|(_, router)| {
            let lab = LabState {
                servers: servers.clone(),
                router: *router,
                pasted: None,
                replicas: 1,
                ..like.clone()
            };
            Snapshot::compute(lab, Arc::clone(&keys))
        })
        .collect();
    let mut columns = vec![Column::number("skew", "s")];
    columns.extend(
        setups
            .iter()
            .map(|(name, _)| Column::number(&format!("peak/mean, {name}"), "ratio")),
    );
    columns.push(Column::number("hottest key", "% requests"));
    let mut rows = Vec::new();
    for (k, &s) in SKEWS.iter().enumerate() {
        let weights = zipf(KEYS as usize, s);
        let mut row = vec![Cell::Number(s)];
        row.extend(
            snapshots
                .iter()
                .map(|snap| Cell::Number(request_peak(snap, &weights))),
        );
        row.push(Cell::Number(
            100.0 * weights.first().copied().unwrap_or(0.0),
        ));
        rows.push(row);
        progress((k + 1) as f64 / SKEWS.len() as f64);
    }
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_weights_sum_to_one_and_fall_with_rank() {
        let w = zipf(3, 1.0);
        assert!((w[0] - 6.0 / 11.0).abs() < 1e-12);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(zipf(5, 0.0).iter().all(|&x| (x - 0.2).abs() < 1e-12));
    }

    #[test]
    fn skew_makes_the_busiest_server_busier_whatever_the_algorithm() {
        let t = hot_keys(&LabState::default(), &mut |_| {});
        let (flat, skewed) = (&t.rows[0], &t.rows[6]);
        for c in 1..=5 {
            let (a, b) = (flat[c].number().unwrap(), skewed[c].number().unwrap());
            assert!(a < 1.4 && b > a, "{}: {a} then {b}", t.columns[c].name);
        }
        // At s = 1.5 the hottest key alone takes over a third of the requests.
        assert!(skewed[6].number().unwrap() > 30.0);
    }
}
