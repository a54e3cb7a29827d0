//! `hashhalo route`: one key a line in, its server (and preference list) out, streaming.

use std::io::{BufRead, Write};

use hashhalo_core::ServerId;
use hashhalo_core::algorithms::Router;

use crate::args::RouteArgs;

pub fn run(a: &RouteArgs) -> Result<(), String> {
    let servers = a.server_list();
    let router = Router::build(&servers, &a.placement.config()).map_err(|e| e.to_string())?;
    let replicas = usize::try_from(a.replicas).unwrap_or(usize::MAX);
    let label = |id: ServerId| {
        servers
            .iter()
            .find(|s| s.id == id)
            .map_or("?", |s| s.label.as_str())
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut results = Vec::new();
    let mut lock = std::io::stdin().lock();
    let mut line = String::new();
    loop {
        line.clear();
        let n = lock
            .read_line(&mut line)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        if n == 0 {
            break;
        }
        let key = line.trim_end_matches(['\n', '\r']);
        if key.is_empty() {
            continue;
        }
        let list = router.preference_list(key.as_bytes(), replicas);
        let names: Vec<&str> = list.iter().map(|&id| label(id)).collect();
        if a.json {
            results.push(serde_json::json!({
                "key": key,
                "server": names.first(),
                "replicas": names,
            }));
            continue;
        }
        let server = names.first().copied().unwrap_or("-");
        if replicas > 1 {
            writeln!(out, "{key}\t{server}\t{}", names.join(","))
        } else {
            writeln!(out, "{key}\t{server}")
        }
        .map_err(|e| format!("cannot write: {e}"))?;
    }
    if a.json {
        serde_json::to_writer_pretty(&mut out, &results).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| format!("cannot write: {e}"))
}
