//! `hashhalo`: HashHalo's core from a terminal.
//!
//! ```text
//! hashhalo route --algorithm ring --server A --server B=2 [--vnodes V] [--hash H] [--replicas R] [--json] < keys.txt
//! hashhalo simulate --keys data/keys.json --servers A,B,C --add D [--remove X] [--fail X] [--json]
//! hashhalo inspect 'http://127.0.0.1:8080/#1.AQA…' [--before LINK] [--json]
//! hashhalo scenario check FILE | --builtin
//! hashhalo scenario show add-server > mine.json
//! hashhalo compare LINK [--before LINK] [--timings] [--csv|--json]
//! hashhalo experiment a1|a2|vnodes|churn|hot-keys|bounded|hashes|size [--link LINK] [--csv|--json]
//! ```
//!
//! Bad input gets one line on stderr and exit status 2.

mod args;
mod compare;
mod experiment;
mod inspect;
mod route;
mod scenario;
mod simulate;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            print!("{e}");
            return ExitCode::SUCCESS;
        }
        // clap writes a usage block; the contract is one line naming the fix.
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return fail(
                "no command: give one of route, simulate, inspect, scenario, compare, experiment (--help for more)",
            );
        }
        Err(e) => return fail(&first_line(&e.to_string())),
    };
    let result = match &cli.command {
        Command::Route(a) => route::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Inspect(a) => inspect::run(a),
        Command::Scenario(a) => scenario::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Experiment(a) => experiment::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("hashhalo: {message}");
    ExitCode::from(2)
}

/// The sentence of a clap error on one line: without its `error: ` prefix, the usage block
/// and the `--help` tip, with what it lists (missing arguments) folded in.
fn first_line(text: &str) -> String {
    let body: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:"))
        .filter(|l| !l.is_empty() && !l.starts_with("tip:"))
        .collect();
    let line = body.join(" ");
    let line = line.strip_prefix("error: ").unwrap_or(&line);
    format!("{} (--help lists the options)", line.trim_end_matches(':'))
}
