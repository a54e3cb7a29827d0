//! `hashhalo inspect`: what a HashHalo share link shows, computed natively, so a link from the
//! browser can be checked (or used) outside it.

use hashhalo_core::explain::{balance, explain, unavailable};
use hashhalo_core::format::{count, percent};
use hashhalo_core::lab::LabState;
use hashhalo_core::link::Link;
use hashhalo_core::snapshot::Snapshot;

use crate::args::InspectArgs;

/// What a link (`http://…/#…`), a fragment (`#…`) or bare state text (`1.…`) shows: the lab,
/// the one before it for a scenario step, and what reading it said. The lab is clamped to the
/// app's limits exactly as the app clamps it.
pub(crate) fn read(link: &str) -> Result<(Option<LabState>, LabState, Vec<String>), String> {
    let text = link
        .rsplit_once('#')
        .map_or(link, |(_, fragment)| fragment)
        .trim();
    let (parsed, mut notes) = Link::parse(text);
    if parsed.lab.is_none() && parsed.scenario.is_none() {
        let why = notes
            .first()
            .cloned()
            .unwrap_or_else(|| "it holds no lab and no scenario".into());
        let why = why.trim_end_matches("; showing the default lab instead");
        return Err(format!("{}: {why}", shown(link)));
    }
    let (before, now, mut said) = parsed.labs();
    notes.append(&mut said);
    Ok((before, now, notes))
}

/// A link as an error echoes it: whole if it is short, else its first 60 characters and its
/// length, so a hostile link of megabytes gives one readable line.
pub(crate) fn shown(link: &str) -> String {
    const SHOWN: usize = 60;
    let chars = link.chars().count();
    if chars <= SHOWN {
        format!("{link:?}")
    } else {
        let head: String = link.chars().take(SHOWN).collect();
        format!("{head:?}… ({} characters)", count(chars as u64))
    }
}

pub fn run(a: &InspectArgs) -> Result<(), String> {
    let (step_before, lab, mut notes) = read(&a.link)?;
    if let Some(note) = lab.pasted_note() {
        notes.push(note);
    }
    let after = Snapshot::generated(lab);
    let lab = after.lab();
    let router = after.router().map_err(|e| e.to_string())?;
    let keys = after.keys();
    let counts = after.key_counts();
    let copies = after.replica_counts();
    let (shares, exact) = router.ownership();
    // An explicit --before wins over the step before a scenario step.
    let before = match &a.before {
        Some(link) => Some(read(link)?.1),
        None => step_before,
    };
    let explanation = match before {
        Some(before) => {
            let before = Snapshot::generated(before);
            before.router().map_err(|e| e.to_string())?;
            Some(explain(&before, &after))
        }
        None => None,
    };
    let movement = explanation.as_ref().and_then(|e| e.movement.as_ref());
    let balance = balance(&after);
    let unavailable = unavailable(&after);
    let servers: Vec<serde_json::Value> = lab
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            serde_json::json!({
                "label": s.label, "weight": s.weight, "up": s.is_up(),
                "keys": counts[i], "share": shares[i], "copies": copies[i],
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
        "notes": notes,
        "moved": movement.map(|m| m.moved.len()),
        "minimum_fraction": movement.map(|m| m.minimum),
        "headline": explanation.as_ref().map(|e| e.headline.clone()),
        "details": explanation.as_ref().map(|e| e.details.clone()),
        "balance": balance,
        "unavailable": unavailable,
    });
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    for note in &notes {
        println!("note: {note}");
    }
    println!(
        "{} keys, algorithm {}, hash {}, {} virtual nodes, {} {}",
        count(keys.len() as u64),
        lab.router.algorithm.name(),
        router.key_hash().name(),
        count(u64::from(lab.router.vnodes)),
        lab.replicas,
        if lab.replicas == 1 {
            "replica"
        } else {
            "replicas"
        }
    );
    for (i, s) in lab.servers.iter().enumerate() {
        let state = if s.is_up() { "" } else { " (down)" };
        println!(
            "{:<12} {:>9} keys  {:>8}{state}",
            s.label,
            count(counts[i]),
            percent(shares[i], 2)
        );
    }
    for line in &balance {
        println!("{line}");
    }
    if let Some(line) = &unavailable {
        println!("{line}");
    }
    if let Some(e) = explanation {
        println!("{}", e.text());
    }
    Ok(())
}
