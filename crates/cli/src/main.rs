//! `hashhalo`: HashHalo's core from a terminal.
//!
//! ```text
//! hashhalo route --algorithm ring --server A --server B=2 [--vnodes V] [--hash H] [--replicas R] [--json] < keys.txt
//! hashhalo simulate --keys data/keys.json --servers A,B,C --add D [--remove X] [--fail X] [--json]
//! hashhalo inspect 'http://127.0.0.1:8080/#1.AQA…' [--before LINK] [--json]
//! ```
//!
//! Bad input gets one line on stderr and exit status 2.

mod args;
mod inspect;
mod simulate;

use std::io::{BufRead, Write};
use std::process::ExitCode;

use args::{Command, RouteArgs};
use hashhalo_core::algorithms::Router;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let result = match args::parse(&argv) {
        Ok(Command::Help) => {
            print!("{}", args::USAGE);
            Ok(())
        }
        Ok(Command::Route(route_args)) => route(&route_args),
        Ok(Command::Simulate(sim)) => simulate::run(&sim),
        Ok(Command::Inspect(i)) => inspect::run(&i),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hashhalo: {message}");
            ExitCode::from(2)
        }
    }
}

/// `hashhalo route`: one line in, one line out, streaming.
fn route(a: &RouteArgs) -> Result<(), String> {
    let router = Router::build(&a.servers, &a.config).map_err(|e| e.to_string())?;
    let label = |id: hashhalo_core::ServerId| {
        a.servers
            .iter()
            .find(|s| s.id == id)
            .map_or("?", |s| s.label.as_str())
    };
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut results = Vec::new();
    let mut emit = |key: &str| -> Result<(), String> {
        let list = router.preference_list(key.as_bytes(), a.replicas.max(1));
        if a.json {
            results.push(serde_json::json!({
                "key": key,
                "server": list.first().map(|&id| label(id)),
                "replicas": list.iter().map(|&id| label(id)).collect::<Vec<_>>(),
            }));
            return Ok(());
        }
        let server = list.first().map_or("-", |&id| label(id));
        let line = if a.replicas > 1 {
            let rest: Vec<&str> = list.iter().map(|&id| label(id)).collect();
            format!("{key}\t{server}\t{}", rest.join(","))
        } else {
            format!("{key}\t{server}")
        };
        writeln!(out, "{line}").map_err(|e| format!("cannot write: {e}"))
    };
    let mut lock = stdin.lock();
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
        if !key.is_empty() {
            emit(key)?;
        }
    }
    if a.json {
        serde_json::to_writer_pretty(&mut out, &results).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| format!("cannot write: {e}"))?;
    Ok(())
}
