//! `cargo xtask fuzz`: every cargo-fuzz target in `fuzz/`, each for a set time, from its
//! committed seed corpus. It needs a nightly toolchain (libFuzzer's sanitizer flags are
//! nightly-only); cargo-fuzz itself is installed from crates.io when missing.

use std::process::Stdio;
use std::time::Instant;

use crate::setup::{Setup, human};

/// The fuzz targets, one per untrusted input format.
pub const TARGETS: [&str; 7] = [
    "link",
    "lab",
    "key_list",
    "key_set",
    "page",
    "scenario_file",
    "tool",
];

/// The cargo-fuzz release installed when none is on PATH.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// An input that takes longer than this many seconds is a failure: a freeze. The targets use a
/// tenth of the app's keys (see `fuzz/src/lib.rs`). The costliest honest input, the largest
/// ring the clamp allows (256 Ki points) built twice, takes about a second under the sanitizer
/// and coverage counters on a fast machine and twice that on a slow one; the bounded-loads
/// freeze (a keys × points walk) took 3 s at this size natively, several times that under the
/// sanitizer. Five seconds tells them apart on either machine.
const TIMEOUT_SECONDS: u32 = 5;

/// Whether rustup has a nightly toolchain.
pub fn has_nightly(setup: &Setup) -> bool {
    let out = setup
        .command("rustup")
        .args(["toolchain", "list"])
        .stderr(Stdio::null())
        .output();
    out.is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l.starts_with("nightly"))
    })
}

/// Runs every target (or those in `only`) for `seconds` each. Without a nightly toolchain
/// it says so and skips, unless `required`.
pub fn run(setup: &Setup, seconds: u32, only: Option<&str>, required: bool) -> Result<(), String> {
    if !has_nightly(setup) {
        let why = "no nightly toolchain (`rustup toolchain list` shows none), so the fuzz \
                   targets cannot be built; `rustup toolchain install nightly` adds one";
        if required {
            return Err(why.into());
        }
        println!("    SKIPPED fuzzing: {why}");
        return Ok(());
    }
    ensure_cargo_fuzz(setup)?;
    let targets: Vec<&str> = TARGETS
        .iter()
        .copied()
        .filter(|t| only.is_none_or(|o| o == *t))
        .collect();
    if targets.is_empty() {
        return Err(format!(
            "no fuzz target named {:?}; the targets are {}",
            only.unwrap_or_default(),
            TARGETS.join(", ")
        ));
    }
    let started = Instant::now();
    crate::setup::run(setup.command("cargo").args([
        "+nightly",
        "fuzz",
        "build",
        "--target-dir",
        "target/fuzz",
    ]))?;
    println!(
        "    built the fuzz targets in {}",
        human(started.elapsed().as_secs_f64())
    );
    let mut report = Vec::new();
    for target in targets {
        report.push((target, run_target(setup, target, seconds)?));
    }
    println!("\n==> fuzzing: nothing found");
    for (target, (runs, secs)) in report {
        println!("    {target:<10} {runs:>10} inputs in {secs} s");
    }
    Ok(())
}

/// One target for `seconds`: new inputs go to `target/fuzz/corpus/`, the committed seeds in
/// `fuzz/corpus/` are only read. Returns the inputs run and the seconds taken.
fn run_target(setup: &Setup, target: &str, seconds: u32) -> Result<(u64, u64), String> {
    let work = setup.root.join("target/fuzz/corpus").join(target);
    let artifacts = setup.root.join("target/fuzz/artifacts").join(target);
    let seeds = setup.root.join("fuzz/corpus").join(target);
    for dir in [&work, &artifacts, &seeds] {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {dir:?}: {e}"))?;
    }
    println!("\n==> fuzz {target}: {seconds} s");
    let mut command = setup.command("cargo");
    command
        .args([
            "+nightly",
            "fuzz",
            "run",
            "--target-dir",
            "target/fuzz",
            target,
        ])
        .arg(&work)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={TIMEOUT_SECONDS}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg("-print_final_stats=1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = command
        .output()
        .map_err(|e| format!("cannot start cargo fuzz: {e}"))?;
    let log = String::from_utf8_lossy(&out.stderr);
    let runs = stat(&log, "stat::number_of_executed_units:");
    if !out.status.success() {
        // The panic and its message first (the sanitizer's stack follows it), then the tail.
        let lines: Vec<&str> = log.lines().collect();
        let panic: Vec<&str> = lines
            .iter()
            .position(|l| l.contains("panicked at") || l.contains("ERROR: libFuzzer"))
            .map(|at| lines[at..(at + 6).min(lines.len())].to_vec())
            .unwrap_or_default();
        let tail: Vec<&str> = lines.iter().rev().take(30).rev().copied().collect();
        let tail = [panic, vec!["..."], tail].concat();
        return Err(format!(
            "fuzz target {target} found a failure (inputs in {}):\n{}",
            artifacts.display(),
            tail.join("\n")
        ));
    }
    let runs = runs.ok_or_else(|| format!("fuzz target {target} printed no statistics:\n{log}"))?;
    let done = log
        .lines()
        .find_map(|l| l.strip_prefix("Done ").and_then(|r| r.split(" in ").nth(1)))
        .and_then(|r| r.split_whitespace().next()?.parse().ok())
        .unwrap_or(u64::from(seconds));
    println!("    {target}: {runs} inputs, nothing found");
    Ok((runs, done))
}

fn stat(log: &str, name: &str) -> Option<u64> {
    log.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().parse().ok())
}

fn ensure_cargo_fuzz(setup: &Setup) -> Result<(), String> {
    let have = setup
        .command("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .output();
    if have.is_ok_and(|o| o.status.success()) {
        println!("    ok  cargo-fuzz");
        return Ok(());
    }
    println!("    ..  cargo-fuzz is missing: installing {CARGO_FUZZ_VERSION} from crates.io");
    let started = Instant::now();
    crate::setup::run(setup.command("cargo").args([
        "install",
        "cargo-fuzz",
        "--version",
        CARGO_FUZZ_VERSION,
        "--locked",
    ]))?;
    println!(
        "    new cargo-fuzz {CARGO_FUZZ_VERSION} installed in {}",
        human(started.elapsed().as_secs_f64())
    );
    Ok(())
}
