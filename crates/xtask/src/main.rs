//! `cargo xtask`: HashHalo's developer commands.
//!
//! - `cargo xtask serve` installs what is missing and serves the app on 127.0.0.1.
//! - `cargo xtask build` installs what is missing and makes the release build in dist/.
//! - `cargo xtask test` installs what is missing and runs every check and test, in order.
//! - `cargo xtask setup` only installs what is missing.
//! - `cargo xtask size` measures the release build's gzip payload.
//! - `cargo xtask bench` prints the speed figures, natively and in wasm.
//! - `cargo xtask fuzz` runs every fuzz target (nightly and cargo-fuzz).
//!
//! Every tool is checked at its exact version and installed only when it is absent or
//! different, so a second run goes straight to building.

mod app;
mod fuzz;
mod setup;
mod steps;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [--port N]        set up, then `trunk serve` on http://127.0.0.1:N/ (default 8080)
  build [--public-url P]  set up, then `trunk build --release` into dist/ (P: e.g. /hashhalo/
                          for a GitHub Pages project site; default /)
  test [--only STEP,...]  set up, then run every check and test (steps: fmt, clippy, native,
                          scenarios, fuzz, wasm-check, wasm-test, build, size, e2e)
  bench                   the speed figures: criterion natively, then the same in wasm (node)
  fuzz [--seconds N] [--target T]
                          run every fuzz target (link, lab, key_list, page, scenario_file)
                          for N seconds each (default 60), from the seeds in fuzz/corpus/;
                          needs a nightly toolchain, and installs cargo-fuzz when it is missing
  setup [--browser]       only install what is missing (--browser: Chromium and Playwright too)
  size                    print the gzip payload of the release build in dist/
  app                     trunk's post_build hook: the app's wasm (split in a release build)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => parse_port(&args[1..]).and_then(steps::serve),
        Some("build") => parse_public_url(&args[1..]).and_then(|url| steps::build(&url)),
        Some("test") => parse_only(&args[1..]).and_then(|only| steps::test(only.as_deref())),
        Some("setup") => {
            let browser = args[1..].iter().any(|a| a == "--browser");
            setup::Setup::new().and_then(|s| s.ensure_all(setup::Needs { browser }))
        }
        Some("size") => steps::print_size(),
        Some("app") => app::build(),
        Some("bench") => steps::bench(),
        Some("fuzz") => parse_fuzz(&args[1..]).and_then(|(seconds, target)| {
            setup::Setup::new().and_then(|s| fuzz::run(&s, seconds, target.as_deref(), true))
        }),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_port(args: &[String]) -> Result<u16, String> {
    match args {
        [] => Ok(8080),
        [flag, port] if flag == "--port" => port
            .parse()
            .map_err(|_| format!("--port takes a number from 1 to 65535, not {port:?}")),
        _ => Err(format!("serve takes only --port N\n\n{USAGE}")),
    }
}

fn parse_public_url(args: &[String]) -> Result<String, String> {
    match args {
        [] => Ok("/".into()),
        [flag, url] if flag == "--public-url" && url.starts_with('/') && url.ends_with('/') => {
            Ok(url.clone())
        }
        _ => Err(format!(
            "build takes only --public-url /PATH/ (starting and ending in /)\n\n{USAGE}"
        )),
    }
}

fn parse_only(args: &[String]) -> Result<Option<Vec<String>>, String> {
    match args {
        [] => Ok(None),
        [flag, list] if flag == "--only" => {
            let steps: Vec<String> = list.split(',').map(str::to_string).collect();
            for step in &steps {
                if !steps::STEP_NAMES.contains(&step.as_str()) {
                    return Err(format!(
                        "unknown step {step:?}; the steps are {}",
                        steps::STEP_NAMES.join(", ")
                    ));
                }
            }
            Ok(Some(steps))
        }
        _ => Err(format!("test takes only --only STEP,...\n\n{USAGE}")),
    }
}

fn parse_fuzz(args: &[String]) -> Result<(u32, Option<String>), String> {
    let mut seconds = 60;
    let mut target = None;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next();
        match (flag.as_str(), value) {
            ("--seconds", Some(v)) => {
                seconds = v
                    .parse()
                    .ok()
                    .filter(|&s| s > 0)
                    .ok_or(format!("--seconds takes a whole number above 0, not {v:?}"))?;
            }
            ("--target", Some(v)) => target = Some(v.clone()),
            _ => {
                return Err(format!(
                    "fuzz takes only --seconds N and --target T\n\n{USAGE}"
                ));
            }
        }
    }
    Ok((seconds, target))
}
