//! The commands: serve, test (each step timed), and the payload measurement.

use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use hashhalo_core::algorithms::{Algorithm, Router};

use crate::setup::{CHROMEDRIVER, Needs, Setup, human, run};

/// The steps of `cargo xtask test`, in the order they run.
pub const STEP_NAMES: [&str; 10] = [
    "fmt",
    "clippy",
    "native",
    "scenarios",
    "fuzz",
    "wasm-check",
    "wasm-test",
    "build",
    "size",
    "e2e",
];

const WASM: &str = "wasm32-unknown-unknown";
/// How long the test command runs each fuzz target, from its seeds.
const FUZZ_SMOKE_SECONDS: u32 = 20;
/// The sub-path the GitHub Pages build is tested under.
const PAGES_PATH: &str = "/hashhalo/";

/// `cargo xtask serve`: set up, then serve the app with trunk on 127.0.0.1.
pub fn serve(port: u16) -> Result<(), String> {
    let setup = Setup::new()?;
    setup.ensure_all(Needs { browser: false })?;
    println!("\n==> serving HashHalo on http://127.0.0.1:{port}/  (Ctrl-C stops it)\n");
    let port = port.to_string();
    run(setup.command("trunk").args([
        "serve",
        "--offline",
        "--address",
        "127.0.0.1",
        "--port",
        &port,
    ]))
}

/// `cargo xtask build`: set up, then make the release build in dist/ for `public_url`.
pub fn build(public_url: &str) -> Result<(), String> {
    let setup = Setup::new()?;
    setup.ensure_all(Needs { browser: false })?;
    run(setup.command("trunk").args([
        "build",
        "--release",
        "--offline",
        "--public-url",
        public_url,
    ]))?;
    print_size()
}

/// `cargo xtask test`: set up, then run the chosen steps (all by default), stopping at the
/// first failure and naming it.
pub fn test(only: Option<&[String]>) -> Result<(), String> {
    let total = Instant::now();
    let chosen: Vec<&str> = STEP_NAMES
        .iter()
        .copied()
        .filter(|s| only.is_none_or(|o| o.iter().any(|x| x == s)))
        .collect();
    let mut timings: Vec<(String, f64)> = Vec::new();

    let setup = Setup::new()?;
    let browser = chosen.iter().any(|s| matches!(*s, "wasm-test" | "e2e"));
    let started = Instant::now();
    setup.ensure_all(Needs { browser })?;
    timings.push(("setup".into(), started.elapsed().as_secs_f64()));

    for (i, &step) in chosen.iter().enumerate() {
        println!(
            "\n==> [{}/{}] {step}: {}",
            i + 1,
            chosen.len(),
            describe(step)
        );
        let _ = std::io::stdout().flush();
        let started = Instant::now();
        let result = run_step(&setup, step);
        timings.push((step.into(), started.elapsed().as_secs_f64()));
        if let Err(e) = result {
            print_timings(&timings, total.elapsed().as_secs_f64());
            return Err(format!("step `{step}` failed: {e}"));
        }
    }
    print_timings(&timings, total.elapsed().as_secs_f64());
    println!("\nall {} steps passed", chosen.len());
    Ok(())
}

fn describe(step: &str) -> &'static str {
    match step {
        "fmt" => "cargo fmt --check (the workspace and fuzz/)",
        "clippy" => "cargo clippy --all-targets -- -D warnings",
        "native" => "native tests and doc tests of every crate, the app's included (cargo test)",
        "scenarios" => "hashhalo scenario check --builtin: every step of every built-in scenario",
        "fuzz" => "a short run of every fuzz target (needs nightly; skipped without)",
        "wasm-check" => "cargo check of the core for wasm32",
        "wasm-test" => "wasm-bindgen-test: core determinism (node), components (Chromium)",
        "build" => "trunk build --release --offline (root, and the Pages sub-path)",
        "size" => "gzip payload of the release build",
        "e2e" => "Playwright end-to-end suite in headless Chromium",
        _ => "",
    }
}

fn run_step(setup: &Setup, step: &str) -> Result<(), String> {
    let cargo = |args: &[&str]| {
        let mut command = setup.command("cargo");
        command.args(args);
        command
    };
    match step {
        "fmt" => {
            run(&mut cargo(&["fmt", "--all", "--", "--check"]))?;
            // The fuzz targets are a workspace of their own.
            run(&mut cargo(&[
                "fmt",
                "--manifest-path",
                "fuzz/Cargo.toml",
                "--",
                "--check",
            ]))
        }
        "clippy" => run(&mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ])),
        // The app's view-model code is tested natively too; its component tests are for wasm
        // only (`web/tests/web.rs`) and run in the wasm-test step.
        "native" => run(&mut cargo(&["test", "--workspace", "--locked"])),
        "scenarios" => run(&mut cargo(&[
            "run",
            "--quiet",
            "--locked",
            "-p",
            "hashhalo",
            "--",
            "scenario",
            "check",
            "--builtin",
        ])),
        "fuzz" => crate::fuzz::run(setup, FUZZ_SMOKE_SECONDS, None, false),
        "wasm-check" => run(&mut cargo(&[
            "check",
            "-p",
            "hashhalo-core",
            "--target",
            WASM,
            "--locked",
        ])),
        "wasm-test" => {
            let wasm_test = |args: &[&str]| {
                let mut command = cargo(args);
                command
                    .env(
                        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                        "wasm-bindgen-test-runner",
                    )
                    .env("CHROMEDRIVER", CHROMEDRIVER)
                    .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
                command
            };
            // The core's placements, compared with the native golden file, inside wasm (node).
            let determinism = [
                "test",
                "-p",
                "hashhalo-core",
                "--target",
                WASM,
                "--locked",
                "--test",
                "determinism",
            ];
            run(&mut wasm_test(&determinism))?;
            // The app's components in headless Chromium.
            run(&mut wasm_test(&[
                "test",
                "-p",
                "hashhalo-web",
                "--target",
                WASM,
                "--locked",
            ]))
        }
        "build" => {
            run(setup
                .command("trunk")
                .args(["build", "--release", "--offline"]))?;
            run(setup.command("trunk").args([
                "build",
                "--release",
                "--offline",
                "--public-url",
                PAGES_PATH,
                "--dist",
                "dist-pages",
            ]))
        }
        "size" => print_size(),
        "e2e" => {
            // The suite checks the app's numbers against the CLI, which computes them natively.
            run(&mut cargo(&["build", "-p", "hashhalo", "--locked"]))?;
            let playwright = |args: &[&str]| {
                let mut command = setup.command("npx");
                command
                    .current_dir(setup.root.join("tests"))
                    .args(["playwright", "test"])
                    .args(args)
                    .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                    .env("HASHHALO_PAGES_PATH", PAGES_PATH)
                    .env("HASHHALO_CLI", setup.root.join("target/debug/hashhalo"));
                command
            };
            // Tests tagged @quiet measure how long the page's own tasks take: they run after
            // the rest, one at a time, so no other test's browser shares the cores with them.
            run(&mut playwright(&["--grep-invert", "@quiet"]))?;
            run(&mut playwright(&["--grep", "@quiet", "--workers", "1"]))
        }
        other => Err(format!("no step named {other}")),
    }
}

fn print_timings(timings: &[(String, f64)], total: f64) {
    println!("\n==> time per step");
    for (name, seconds) in timings {
        println!("    {name:<12} {:>8}", human(*seconds));
    }
    println!("    {:<12} {:>8}", "total", human(total));
}

/// `cargo xtask bench`: the criterion benchmarks natively, then the same figures in wasm
/// (release build, run in node). Figures are printed, never asserted.
pub fn bench() -> Result<(), String> {
    let setup = Setup::new()?;
    setup.ensure_all(Needs { browser: false })?;
    println!("\n==> native (criterion): cargo bench -p hashhalo-core --bench ring");
    run(setup.command("cargo").args([
        "bench",
        "-p",
        "hashhalo-core",
        "--bench",
        "ring",
        "--",
        "--warm-up-time",
        "1",
        "--measurement-time",
        "3",
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| setup.root.join("target"));
    print_native_ratios(&target.join("criterion"))?;
    println!("\n==> native: the slowest link the clamp allows, per algorithm");
    run(setup
        .command("cargo")
        .args(["bench", "-p", "hashhalo-core", "--bench", "worst_links"]))?;
    println!("\n==> native: the slowest input of each kind the page accepts, against its bound");
    // Fails the bench run if any figure is past its bound.
    run(setup.command("cargo").args([
        "bench",
        "-p",
        "hashhalo-core",
        "--features",
        "json",
        "--bench",
        "hostile_inputs",
    ]))?;
    println!("\n==> wasm (node, release build): the same figures");
    run(setup
        .command("cargo")
        .args([
            "test",
            "-p",
            "hashhalo-core",
            "--release",
            "--target",
            WASM,
            "--test",
            "wasm_bench",
        ])
        .args(["--", "--nocapture"])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        ))?;
    println!("\n==> browser (headless Chromium, release build): drag frames");
    setup.ensure_all(Needs { browser: true })?;
    run(setup
        .command("trunk")
        .args(["build", "--release", "--offline"]))?;
    run(setup
        .command("npx")
        .current_dir(setup.root.join("tests"))
        .args([
            "playwright",
            "test",
            "-c",
            "playwright.bench.config.ts",
            "--reporter",
            "list",
        ])
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

/// The ratios the core's speed goals are stated in (issue 11), from the criterion run just
/// made: each pair was measured in the same run, so the machine's own speed cancels out.
fn print_native_ratios(criterion: &Path) -> Result<(), String> {
    let mean_ns = |group: &str, bench: &str| -> Result<f64, String> {
        let path = criterion.join(group).join(bench).join("new/estimates.json");
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{path:?}: {e}"))?;
        json["mean"]["point_estimate"]
            .as_f64()
            .ok_or_else(|| format!("{path:?} has no mean"))
    };
    let reassign = "1M keys after one membership change";
    let merge = mean_ns(
        reassign,
        "assign every key anew (one merge of keys and points)",
    )?;
    let from_before = mean_ns(reassign, "re-assign from the owners before the change")?;
    let per_key = mean_ns(reassign, "per-key lookups instead of the merge")?;
    let lookup = "lookup 100x160, 16-byte key";
    let ring = mean_ns(lookup, "hashhalo ring (xxh3)")?;
    let hash = mean_ns(lookup, "xxh3 of the key alone")?;
    println!("\n==> native ratios (each pair from the run above)");
    println!(
        "    re-assigning 1M keys from the owners before the change ({:.1} ms) is {:.1}x faster \
         than per-key lookups ({:.1} ms); goal: at least 2x (assigning every key anew: {:.1} ms, {:.1}x)",
        from_before / 1e6,
        per_key / from_before,
        per_key / 1e6,
        merge / 1e6,
        per_key / merge
    );
    println!(
        "    a ring lookup with its hash ({ring:.1} ns) takes {:.2}x the hash alone ({hash:.1} ns); \
         goal: at most 2x",
        ring / hash
    );
    println!(
        "\n==> native: every algorithm, 100 servers (160 virtual nodes where it places points)"
    );
    println!("    | algorithm | lookup (ns) | build (µs) | memory (bytes) |");
    println!("    | --- | ---: | ---: | ---: |");
    let group = "every algorithm, 100 servers";
    let backends = workload::servers(100);
    for algorithm in Algorithm::ALL {
        let name = algorithm.name();
        let lookup = mean_ns(group, &format!("lookup {name}"))?;
        let build = mean_ns(group, &format!("build {name}"))?;
        let memory = Router::build(&backends, &workload::algorithm_config(algorithm))
            .map_err(|e| format!("{name}: {e}"))?
            .memory_bytes();
        println!(
            "    | {name} | {lookup:.1} | {:.1} | {memory} |",
            build / 1e3
        );
    }
    Ok(())
}

/// The benchmark's workload, shared with it so the memory column is of the same routers.
#[path = "../../core/benches/common/workload.rs"]
#[allow(dead_code)]
mod workload;

/// Whether a file, by name, belongs to a part of the payload.
type FileTest<'a> = dyn Fn(&str) -> bool + 'a;

/// The most gzip bytes a slide may download before it draws: 250 KB.
const FIRST_LOAD_BUDGET: usize = 250_000;

/// The tools' own stylesheet, which their dialog links when it opens.
const TOOLS_CSS: &str = "tools.css";
/// The side panel's and the Share dialog's styles, fetched with the panel.
const PANEL_CSS: &str = "panel.css";

/// `cargo xtask size`: the gzip size of everything the browser downloads from dist/, by when
/// it is fetched: the first load (the app's main wasm, its js and css), which is all a slide
/// (`embed=1`) needs and must stay within [`FIRST_LOAD_BUDGET`]; the panels beside the ring,
/// fetched once the full lab has drawn its first view; the Share dialog, on its first press;
/// a deck's commands, in a frame after the first view; the worker with its client, when a
/// scenario file is opened or saved or a deck sends an edit; and the compare view and the
/// experiments, when first opened (they start workers of their own). The jobs that make and
/// assign big key sets are in the worker's client's chunk.
pub fn print_size() -> Result<(), String> {
    let setup = Setup::new()?;
    let dist = setup.root.join("dist");
    let mut rows = Vec::new();
    collect_payload(&dist, &mut rows)?;
    if rows.is_empty() {
        return Err(
            "dist/ has no wasm, js or css: run `cargo xtask test --only build` first".into(),
        );
    }
    rows.sort();
    // Which split points each shared chunk serves, from the chunk loader's own comments.
    let loader = rows
        .iter()
        .find(|(name, _, _)| name == "__wasm_split.js")
        .map(|_| find_file(&dist, "__wasm_split.js"))
        .transpose()?
        .flatten()
        .map(|path| std::fs::read_to_string(&path).map_err(|e| format!("{path:?}: {e}")))
        .transpose()?
        .unwrap_or_default();
    let users = chunk_users(&loader);
    // Each part: its title, and whether a file (by name) is part of it.
    // A split point is named by its module: `side_panel_<hash of its place>` for Leptos's
    // `#[lazy]`, or a name of our own (`deck_commands`); its own file is `split_<module>.wasm`.
    let is_point = |module: &str, point: &str| {
        module == point
            || module
                .strip_prefix(point)
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|hash| !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_digit()))
    };
    let split_point = |name: &str, point: &str| {
        name.strip_prefix("split_")
            .and_then(|n| n.strip_suffix(".wasm"))
            .is_some_and(|module| is_point(module, point))
            || users
                .iter()
                .any(|(chunk, who)| chunk == name && who.iter().any(|w| is_point(w, point)))
    };
    let parts: [(&str, &FileTest<'_>); 6] = [
        ("first load (all a slide needs)", &|name| {
            !name.starts_with("split_")
                && !name.starts_with("chunk_")
                && !name.contains("hashhalo-worker")
                && name != TOOLS_CSS
                && name != PANEL_CSS
        }),
        ("the panels, fetched after the lab's first view", &|name| {
            split_point(name, "side_panel") || name == PANEL_CSS
        }),
        ("the Share dialog, on its first press", &|name| {
            split_point(name, "share_dialog")
        }),
        (
            "a deck's commands, in a frame after the first view",
            &|name| split_point(name, "deck_commands"),
        ),
        (
            "the worker, its client and big key sets' jobs, on first use",
            &|name| name.contains("hashhalo-worker") || split_point(name, "worker_client"),
        ),
        ("compare and experiments, when first opened", &|name| {
            split_point(name, "lab_tools") || name == TOOLS_CSS
        }),
    ];
    println!(
        "    {:<52} {:>10} {:>10}",
        "file (dist/; a chunk two parts share is in both)", "bytes", "gzip -9"
    );
    let mut totals = [0usize; 6];
    for (k, (title, has)) in parts.iter().enumerate() {
        let (mut raw_total, mut gz_total) = (0, 0);
        for (name, raw, gz) in rows.iter().filter(|(name, _, _)| has(name)) {
            println!("    {name:<52} {raw:>10} {gz:>10}");
            raw_total += raw;
            gz_total += gz;
        }
        println!("    {title:<52} {raw_total:>10} {gz_total:>10}");
        totals[k] = gz_total;
    }
    let unplaced: Vec<&str> = rows
        .iter()
        .map(|(name, _, _)| name.as_str())
        .filter(|name| !parts.iter().any(|(_, has)| has(name)))
        .collect();
    if !unplaced.is_empty() {
        return Err(format!(
            "files in no part (a new split point?): {}",
            unplaced.join(", ")
        ));
    }
    let kib = |b: usize| b as f64 / 1024.0;
    if totals[0] > FIRST_LOAD_BUDGET {
        return Err(format!(
            "the first load is {} bytes of gzip, over its budget of {FIRST_LOAD_BUDGET} \
             (issue 10: a slide loads at most 250 KB)",
            totals[0]
        ));
    }
    println!(
        "    first-load payload gzip: {:.1} KiB ({} bytes); with the panels (the full lab's \
         first view): {:.1} KiB ({} bytes); the Share dialog: {:.1} KiB; a deck's commands: \
         {:.1} KiB; the worker: {:.1} KiB; compare and experiments: {:.1} KiB",
        kib(totals[0]),
        totals[0],
        kib(totals[0] + totals[1]),
        totals[0] + totals[1],
        kib(totals[2]),
        kib(totals[3]),
        kib(totals[4]),
        kib(totals[5])
    );
    Ok(())
}

/// The split points each shared chunk serves, as `__wasm_split.js` lists them in a comment
/// before the chunk's loader: `/* deck_commands, side_panel_456 */ const __chunk_5 =
/// makeLoad(() => { … "./chunk_5.wasm" …` gives `("chunk_5.wasm", ["deck_commands",
/// "side_panel_456"])` (minified or not: the names of variables may change, the file names
/// do not).
fn chunk_users(loader: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for piece in loader.split("/*").skip(1) {
        let Some((list, rest)) = piece.split_once("*/") else {
            continue;
        };
        let Some((_, after)) = rest.split_once("\"./chunk_") else {
            continue;
        };
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let who = list.split(',').map(|w| w.trim().to_string()).collect();
        out.push((format!("chunk_{digits}.wasm"), who));
    }
    out
}

/// The first file named `name` under `dir`.
fn find_file(dir: &Path, name: &str) -> Result<Option<std::path::PathBuf>, String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("cannot read {dir:?}: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, name)? {
                return Ok(Some(found));
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

fn collect_payload(dir: &Path, rows: &mut Vec<(String, usize, usize)>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {dir:?}: {e}"))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_payload(&path, rows)?;
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "wasm" | "js" | "css") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&bytes).map_err(|e| e.to_string())?;
        let gz = encoder.finish().map_err(|e| e.to_string())?.len();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        rows.push((name, bytes.len(), gz));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::chunk_users;

    #[test]
    fn shared_chunks_are_read_from_the_loader_comments() {
        let loader = r#"import{initSync as n}from"./hashhalo-web.js";
            /* worker_client, side_panel_179 */
            const __chunk_5 = makeLoad(() => { fetch(new URL("./chunk_5.wasm", import.meta.url)) }, []);
            /* share_dialog_1 */const o=c((()=>{fetch(new URL("./chunk_12.wasm",import.meta.url))}),[]);
            export const __wasm_split_load_worker_client=w(c((()=>{fetch(new URL("./split_worker_client.wasm"))}),[a]));"#;
        let pair = |chunk: &str, who: &[&str]| {
            (
                chunk.to_string(),
                who.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            chunk_users(loader),
            vec![
                pair("chunk_5.wasm", &["worker_client", "side_panel_179"]),
                pair("chunk_12.wasm", &["share_dialog_1"]),
            ]
        );
    }
}
