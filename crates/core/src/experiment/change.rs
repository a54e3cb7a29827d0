//! What changes cost: keys moved by a sequence of adds and removals per algorithm, and the
//! movement bounded loads pays for its balance.

use std::sync::Arc;

use super::keys_like;
use super::load::{request_peak, zipf};
use super::table::{Cell, Column, Table};
use crate::algorithms::{Algorithm, RouterConfig};
use crate::edit::Edit;
use crate::keys::SplitMix64;
use crate::lab::{LabState, Limits};
use crate::snapshot::Snapshot;
use crate::stats::Spread;
use crate::{KeySet, Server};

/// Keys in the churn and bounded-loads experiments.
const KEYS: u32 = 20_000;

/// The algorithms of the churn experiment.
const CHURNED: [Algorithm; 8] = [
    Algorithm::Ring,
    Algorithm::Jump,
    Algorithm::Rendezvous,
    Algorithm::Maglev,
    Algorithm::MultiProbe,
    Algorithm::Anchor,
    Algorithm::BoundedLoads,
    Algorithm::Modulo,
];

/// A lab of `n` servers `node-1..=n` (ids 0..n) over `KEYS` keys of `like`'s kind and seed.
fn start(like: &LabState, n: u32, router: RouterConfig) -> LabState {
    let mut lab = LabState {
        servers: (0..n)
            .map(|i| Server::new(i, format!("node-{}", i + 1)))
            .collect(),
        router,
        replicas: 1,
        pasted: None,
        ..like.clone()
    };
    lab.keys.count = KEYS;
    lab
}

/// One step of the churn sequence.
#[derive(Clone, Copy)]
enum Change {
    Add,
    RemoveRandom,
    RemoveLast,
}

const SEQUENCE: [Change; 8] = [
    Change::Add,
    Change::Add,
    Change::RemoveRandom,
    Change::RemoveRandom,
    Change::RemoveLast,
    Change::RemoveLast,
    Change::Add,
    Change::RemoveRandom,
];

/// The labs of the churn sequence from `first` (algorithm aside: the same servers for all),
/// and each change in words.
fn sequence(first: &LabState, seed: u64) -> Vec<(String, LabState)> {
    let mut rng = SplitMix64(seed);
    let mut labs = Vec::new();
    let mut lab = first.clone();
    let mut next_label = lab.servers.len() + 1;
    for change in SEQUENCE {
        let n = lab.servers.len();
        let (words, edit) = match change {
            Change::Add => {
                let label = format!("node-{next_label}");
                next_label += 1;
                (format!("add {label}"), Edit::AddServer { label })
            }
            Change::RemoveRandom => {
                // Any server but the last, so the removal is not last-in-first-out.
                let i = (rng.next() % (n as u64 - 1)) as usize;
                let s = &lab.servers[i];
                (
                    format!("remove {} (random)", s.label),
                    Edit::RemoveServer(s.id),
                )
            }
            Change::RemoveLast => {
                let s = &lab.servers[n - 1];
                (
                    format!("remove {} (last in)", s.label),
                    Edit::RemoveServer(s.id),
                )
            }
        };
        lab = lab
            .apply(&edit, &Limits::default())
            .expect("the churn sequence keeps at least six servers");
        labs.push((words, lab.clone()));
    }
    labs
}

fn percent(keys: usize, total: usize) -> f64 {
    100.0 * keys as f64 / total.max(1) as f64
}

pub(super) fn churn(like: &LabState, progress: &mut dyn FnMut(f64)) -> Table {
    let first = start(like, 8, RouterConfig::default());
    let labs = sequence(&first, like.keys.seed);
    let keys: Arc<KeySet> = Arc::new(Snapshot::keys_for(&first));
    let mut columns = vec![
        Column::number("step", "step"),
        Column::text("change"),
        Column::number("minimum", "% keys"),
    ];
    columns.extend(CHURNED.iter().map(|&a| {
        let name = if a == Algorithm::Anchor {
            "anchor, rebuilt"
        } else {
            a.name()
        };
        Column::number(name, "% keys")
    }));
    columns.push(Column::number("anchor, with history", "% keys"));
    let mut moved = vec![vec![Cell::Empty; CHURNED.len()]; labs.len()];
    let mut minimum = vec![Cell::Empty; labs.len()];
    for (j, &algorithm) in CHURNED.iter().enumerate() {
        let with = |lab: &LabState| {
            let mut lab = lab.clone();
            lab.router.algorithm = algorithm;
            Snapshot::compute(lab, Arc::clone(&keys))
        };
        let mut before = with(&first);
        for (k, (_, lab)) in labs.iter().enumerate() {
            let after = with(lab);
            if let Some(m) = after.movement_from(&before) {
                moved[k][j] = Cell::Number(percent(m.moved.len(), m.total));
                if j == 0 {
                    minimum[k] = Cell::Number(100.0 * m.minimum);
                }
            }
            before = after;
        }
        progress((j + 1) as f64 / CHURNED.len() as f64);
    }
    let historic = anchor_with_history(&first, &labs, &keys);
    let rows = labs
        .iter()
        .enumerate()
        .map(|(k, (words, _))| {
            let mut row = vec![
                Cell::Number((k + 1) as f64),
                Cell::text(words),
                minimum[k].clone(),
            ];
            row.extend(moved[k].iter().cloned());
            row.push(Cell::Number(historic[k]));
            row
        })
        .collect();
    Table { columns, rows }
}

/// AnchorHash as the paper runs it, keeping its history across the sequence: each removed
/// server's bucket is removed, and an added server takes the bucket removed last. (The
/// router rebuilds its anchor from the up servers alone, so it removes buckets in id order
/// and moves more when removals came in another order; this column shows what the
/// algorithm itself does.) The percentage of keys whose server changed at each step.
fn anchor_with_history(first: &LabState, labs: &[(String, LabState)], keys: &KeySet) -> Vec<f64> {
    use std::collections::BTreeMap;
    const CAPACITY: u32 = 64;
    let mut anchor = crate::algorithms::anchor::Anchor::new(CAPACITY);
    for b in (first.servers.len() as u32..CAPACITY).rev() {
        anchor.remove(b);
    }
    let mut server_of: BTreeMap<u32, String> = first
        .servers
        .iter()
        .enumerate()
        .map(|(b, s)| (b as u32, s.label.clone()))
        .collect();
    let owners = |anchor: &crate::algorithms::anchor::Anchor, server_of: &BTreeMap<u32, String>| {
        keys.positions()
            .iter()
            .map(|&p| server_of.get(&anchor.bucket(p)).cloned())
            .collect::<Vec<_>>()
    };
    let mut before = owners(&anchor, &server_of);
    let mut out = Vec::new();
    for (_, lab) in labs {
        let gone: Vec<u32> = server_of
            .iter()
            .filter(|(_, label)| !lab.servers.iter().any(|s| &s.label == *label))
            .map(|(&b, _)| b)
            .collect();
        for b in gone {
            anchor.remove(b);
            server_of.remove(&b);
        }
        for s in &lab.servers {
            if !server_of.values().any(|l| l == &s.label)
                && let Some(b) = anchor.add()
            {
                server_of.insert(b, s.label.clone());
            }
        }
        let after = owners(&anchor, &server_of);
        let changed = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        out.push(percent(changed, keys.len()));
        before = after;
    }
    out
}

/// The capacity factors compared with the unbounded ring.
const FACTORS: [f64; 4] = [2.0, 1.5, 1.25, 1.1];

pub(super) fn bounded(like: &LabState, progress: &mut dyn FnMut(f64)) -> Table {
    let columns = vec![
        Column::text("setup"),
        Column::number("peak/mean keys", "ratio"),
        Column::number("peak/mean requests, Zipf s = 1", "ratio"),
        Column::number("moved", "% keys"),
        Column::number("extra over the ring", "% keys"),
        Column::number("minimum", "% keys"),
    ];
    let keys = Arc::new(keys_like(like, KEYS, crate::HashFn::Xxh3));
    let weights = zipf(KEYS as usize, 1.0);
    let setups: Vec<(String, RouterConfig)> =
        std::iter::once(("ring (no bound)".to_string(), RouterConfig::default()))
            .chain(FACTORS.iter().map(|&c| {
                (
                    format!("bounded, c = {c}"),
                    RouterConfig {
                        algorithm: Algorithm::BoundedLoads,
                        load_factor: c,
                        ..RouterConfig::default()
                    },
                )
            }))
            .collect();
    let mut rows = Vec::new();
    let mut ring_moved = 0.0;
    for (i, (name, router)) in setups.iter().enumerate() {
        let before_lab = start(like, 10, *router);
        let after_lab = before_lab
            .apply(
                &Edit::AddServer {
                    label: "node-11".into(),
                },
                &Limits::default(),
            )
            .expect("an eleventh server fits");
        let before = Snapshot::compute(before_lab, Arc::clone(&keys));
        let after = Snapshot::compute(after_lab, Arc::clone(&keys));
        let counts: Vec<f64> = before.key_counts().iter().map(|&c| c as f64).collect();
        let m = after.movement_from(&before).expect("the same keys");
        let moved = percent(m.moved.len(), m.total);
        if i == 0 {
            ring_moved = moved;
        }
        rows.push(vec![
            Cell::text(name),
            Cell::Number(Spread::of(&counts).max_over_mean),
            Cell::Number(request_peak(&before, &weights)),
            Cell::Number(moved),
            Cell::Number(moved - ring_moved),
            Cell::Number(100.0 * m.minimum),
        ]);
        progress((i + 1) as f64 / setups.len() as f64);
    }
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jump_pays_for_random_removals_and_not_for_last_in_first_out() {
        let t = churn(&LabState::default(), &mut |_| {});
        assert_eq!(t.rows.len(), SEQUENCE.len());
        let col = |name: &str| t.column(name).unwrap();
        let (min, jump, modulo, rendezvous) = (
            col("minimum"),
            col("jump"),
            col("modulo"),
            col("rendezvous"),
        );
        for row in &t.rows {
            let change = row[1].to_string();
            let at = |c: usize| row[c].number().unwrap();
            // Rendezvous moves the minimum on every change, within sampling noise.
            assert!((at(rendezvous) - at(min)).abs() < 2.0, "{change}: {row:?}");
            assert!(at(modulo) > 50.0, "{change}: {row:?}");
            // AnchorHash with its history moves the minimum whatever the order.
            let historic = at(col("anchor, with history"));
            assert!((historic - at(min)).abs() < 2.0, "{change}: {row:?}");
            if change.contains("random") {
                assert!(at(jump) > 1.5 * at(min), "{change}: {row:?}");
            } else {
                assert!((at(jump) - at(min)).abs() < 2.0, "{change}: {row:?}");
            }
        }
    }

    #[test]
    fn a_tighter_bound_evens_the_keys_and_moves_more() {
        let t = bounded(&LabState::default(), &mut |_| {});
        let peak = |i: usize| t.rows[i][1].number().unwrap();
        let moved = |i: usize| t.rows[i][3].number().unwrap();
        // c = 1.1 caps the busiest server at 1.1 × the mean (rounded up to a key).
        assert!(peak(4) <= 1.1 + 1e-3, "{}", peak(4));
        assert!(peak(4) < peak(0));
        assert!(moved(4) > moved(0), "{} vs {}", moved(4), moved(0));
        assert_eq!(t.rows[0][4].number(), Some(0.0));
    }
}
