//! `hashhalo inspect`: what a HashHalo share link shows, computed natively, so a link from the
//! browser can be checked (or used) outside it.

use hashhalo_core::lab::{LabState, Limits};
use hashhalo_core::snapshot::Snapshot;

use crate::args::InspectArgs;

/// The lab in a link (`http://…/#1.…`), a fragment (`#1.…`) or bare state text (`1.…`),
/// clamped to the app's limits exactly as the app clamps it.
fn read(link: &str) -> Result<LabState, String> {
    let text = link
        .rsplit_once('#')
        .map_or(link, |(_, fragment)| fragment)
        .trim();
    let lab = LabState::decode(text).map_err(|e| format!("{link:?}: {e}"))?;
    Ok(lab.clamped(&Limits::default()).0)
}

pub fn run(a: &InspectArgs) -> Result<(), String> {
    let after = Snapshot::generated(read(&a.link)?);
    let lab = after.lab();
    let router = after.router().map_err(|e| e.to_string())?;
    let keys = after.keys();
    let counts = after.key_counts();
    let (shares, exact) = router.ownership();
    let movement = match &a.before {
        Some(before) => {
            let before = Snapshot::generated(read(before)?);
            before.router().map_err(|e| e.to_string())?;
            Some(
                after
                    .movement_from(&before)
                    .ok_or("the two links use different keys; nothing to compare")?,
            )
        }
        None => None,
    };
    let servers: Vec<serde_json::Value> = lab
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            serde_json::json!({
                "label": s.label, "weight": s.weight, "up": s.is_up(),
                "keys": counts[i], "share": shares[i],
                "pins": s.pins.len(), "shift": s.shift,
            })
        })
        .collect();
    let report = serde_json::json!({
        "algorithm": lab.router.algorithm.name(),
        "hash": router.key_hash().name(),
        "vnodes": lab.router.vnodes,
        "keys": keys.len(),
        "replicas": lab.replicas,
        "shares_exact": exact,
        "servers": servers,
        "moved": movement.as_ref().map(|m| m.moved.len()),
        "minimum_fraction": movement.as_ref().map(|m| m.minimum),
    });
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    println!(
        "{} keys, algorithm {}, hash {}, {} virtual nodes",
        keys.len(),
        lab.router.algorithm.name(),
        router.key_hash().name(),
        lab.router.vnodes
    );
    for (i, s) in lab.servers.iter().enumerate() {
        let state = if s.is_up() { "" } else { " (down)" };
        println!(
            "{:<12} {:>8} keys  {:>6.2} %{state}",
            s.label,
            counts[i],
            shares[i] * 100.0
        );
    }
    if let Some(m) = movement {
        println!("{}", m.summary("; "));
    }
    Ok(())
}
