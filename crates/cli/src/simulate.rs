//! `hashhalo simulate`: the add-a-server flow (a key file, servers before and after), for any
//! algorithm and change.

use std::sync::Arc;

use hashhalo_core::explain::explain;
use hashhalo_core::import::{LIST_TOO_LARGE, MAX_LIST_BYTES, parse_key_list};
use hashhalo_core::lab::{LabState, Limits};
use hashhalo_core::snapshot::Snapshot;
use hashhalo_core::{KeySet, Server, ServerId, Status};

use crate::args::SimulateArgs;

/// The most keys a file may hold: as many as the page takes.
const MAX_KEYS: usize = Limits::APP.keys.1 as usize;

pub fn run(a: &SimulateArgs) -> Result<(), String> {
    let (before_servers, add) = a.server_lists()?;
    let config = a.placement.config();
    let size = std::fs::metadata(&a.keys)
        .map_err(|e| format!("cannot read keys file {:?}: {e}", a.keys))?
        .len();
    // The page's cap, with its words, checked before anything is read.
    if size > MAX_LIST_BYTES {
        return Err(format!("{}: {LIST_TOO_LARGE}", a.keys));
    }
    let text = std::fs::read_to_string(&a.keys)
        .map_err(|e| format!("cannot read keys file {:?}: {e}", a.keys))?;
    let keys = parse_key_list(&text, MAX_KEYS).map_err(|e| format!("{}: {e}", a.keys))?;

    let mut after_servers: Vec<Server> = before_servers
        .iter()
        .filter(|s| !a.remove.contains(&s.label))
        .cloned()
        .collect();
    for s in &mut after_servers {
        if a.fail.contains(&s.label) {
            s.status = Status::Down;
        }
    }
    after_servers.extend(add.iter().cloned());

    let lab = |servers: Vec<Server>| LabState {
        servers,
        router: config,
        ..LabState::default()
    };
    let key_hash = config.algorithm.key_hash(config.hash);
    let keys = Arc::new(KeySet::from_keys(keys, key_hash));
    let before = Snapshot::compute(lab(before_servers.clone()), Arc::clone(&keys));
    let after = Snapshot::compute(lab(after_servers.clone()), keys);
    before
        .router()
        .map_err(|e| format!("before the change: {e}"))?;
    after
        .router()
        .map_err(|e| format!("after the change: {e}"))?;
    let explanation = explain(&before, &after);
    let m = explanation
        .movement
        .clone()
        .expect("both states have the same keys");

    let all: Vec<&Server> = before_servers.iter().chain(&add).collect();
    let label = |id: ServerId| {
        all.iter()
            .find(|s| s.id == id)
            .map_or("?", |s| s.label.as_str())
    };
    let loads = m.loads();
    // Where moved keys went, by destination.
    let mut moved_to: Vec<(ServerId, u64)> = Vec::new();
    for (to, &id) in m.servers.iter().enumerate() {
        let arrived: u64 = (0..m.servers.len())
            .filter(|&from| from != to)
            .map(|from| m.matrix[from][to])
            .sum();
        if arrived > 0 {
            moved_to.push((id, arrived));
        }
    }
    let added: Vec<ServerId> = add.iter().map(|s| s.id).collect();
    let only_to_added = !added.is_empty() && moved_to.iter().all(|(id, _)| added.contains(id));

    if a.json {
        let mut servers = serde_json::Map::new();
        for (i, &id) in m.servers.iter().enumerate() {
            servers.insert(
                label(id).into(),
                serde_json::json!({ "before": loads[i].0, "after": loads[i].1 }),
            );
        }
        let mut matrix = serde_json::Map::new();
        for (f, &from) in m.servers.iter().enumerate() {
            let mut row = serde_json::Map::new();
            for (t, &to) in m.servers.iter().enumerate() {
                if m.matrix[f][t] > 0 {
                    row.insert(label(to).into(), m.matrix[f][t].into());
                }
            }
            matrix.insert(label(from).into(), row.into());
        }
        let out = serde_json::json!({
            "algorithm": config.algorithm.name(),
            "hash": key_hash.name(),
            "keys": m.total,
            "servers": servers,
            "moved": m.moved.len(),
            "moved_fraction": m.fraction(),
            "minimum_fraction": m.minimum,
            "moved_to": moved_to.iter().map(|&(id, n)| (label(id).to_string(), serde_json::Value::from(n))).collect::<serde_json::Map<_, _>>(),
            "only_to_added": only_to_added,
            "matrix": matrix,
            "sentence": explanation.text(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
        return Ok(());
    }

    let names = |servers: &[Server]| {
        servers
            .iter()
            .map(|s| {
                if s.is_up() {
                    s.label.clone()
                } else {
                    format!("{} (down)", s.label)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "{} keys, algorithm {}, hash {}{}",
        m.total,
        config.algorithm.name(),
        key_hash.name(),
        if config.algorithm.uses_vnodes() {
            format!(", {} virtual nodes", config.vnodes)
        } else {
            String::new()
        }
    );
    println!("before: {}", names(&before_servers));
    println!("after:  {}", names(&after_servers));
    println!();
    println!(
        "{:<12} {:>8} {:>8} {:>8}",
        "server", "before", "after", "change"
    );
    for (i, &id) in m.servers.iter().enumerate() {
        let (b, f) = loads[i];
        println!(
            "{:<12} {b:>8} {f:>8} {:>+8}",
            label(id),
            f as i64 - b as i64
        );
    }
    println!();
    println!("{}", explanation.headline);
    for line in &explanation.details {
        println!("{line}");
    }
    println!();
    println!(
        "from \\ to    {}",
        m.servers
            .iter()
            .map(|&id| format!("{:>8}", label(id)))
            .collect::<String>()
    );
    for (f, &from) in m.servers.iter().enumerate() {
        let row: String = (0..m.servers.len())
            .map(|t| format!("{:>8}", m.matrix[f][t]))
            .collect();
        println!("{:<12} {row}", label(from));
    }
    Ok(())
}
