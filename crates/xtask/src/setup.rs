//! Installs what the build and the tests need, each at its exact version, skipping what is
//! already there.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The trunk release that builds with this toolchain (0.22 needs a newer rustc).
pub const TRUNK_VERSION: &str = "0.21.14";
/// The binaryen release whose wasm-opt understands this rustc's output (from npm's `binaryen`).
pub const WASM_OPT_VERSION: &str = "132";
/// The `wasm-split-cli` that splits the app's release build into lazily loaded chunks.
pub const WASM_SPLIT_VERSION: &str = "0.2.4";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What to install beyond the build tools.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// Chromium and chromedriver from Debian, for the browser tests.
    pub browser: bool,
}

/// The repository root and the environment the tools run in.
pub struct Setup {
    pub root: PathBuf,
    path: OsString,
    /// Cargo's bin folder, where `cargo install` puts tools.
    cargo_bin: PathBuf,
}

impl Setup {
    pub fn new() -> Result<Setup, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .nth(2)
            .ok_or("xtask is not inside the repository")?
            .to_path_buf();
        // Tools installed by this setup live in cargo's bin folder and in the npm packages of
        // tests/; both go first on PATH for every command run from here.
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .ok_or("neither CARGO_HOME nor HOME is set")?;
        let mut dirs = vec![root.join("tests/node_modules/.bin"), cargo_home.join("bin")];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        let path = std::env::join_paths(dirs).map_err(|e| format!("bad PATH: {e}"))?;
        Ok(Setup {
            root,
            path,
            cargo_bin: cargo_home.join("bin"),
        })
    }

    /// A command run from the repository root with the tools on PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        command
    }

    /// Installs everything `needs` asks for. The browser and npm packages download while the
    /// Rust tools compile, since the one waits on the network and the other on the CPU.
    pub fn ensure_all(&self, needs: Needs) -> Result<(), String> {
        let started = Instant::now();
        println!("==> setup: checking tools (installing only what is missing)");
        std::thread::scope(|scope| {
            let downloads = scope.spawn(|| -> Result<Vec<String>, String> {
                let mut done = Vec::new();
                if needs.browser {
                    done.push(self.ensure_chromium()?);
                }
                done.push(self.ensure_npm_packages()?);
                Ok(done)
            });
            let compiled = (|| -> Result<(), String> {
                self.ensure_wasm_target()?;
                self.ensure_trunk()?;
                self.ensure_wasm_bindgen()?;
                self.ensure_wasm_split()
            })();
            let downloaded = downloads
                .join()
                .map_err(|_| "the download thread panicked")?;
            compiled?;
            for line in downloaded? {
                println!("{line}");
            }
            self.check_wasm_opt()?;
            self.cargo_fetch()
        })?;
        println!(
            "==> setup: done in {}",
            human(started.elapsed().as_secs_f64())
        );
        Ok(())
    }

    fn ensure_wasm_target(&self) -> Result<(), String> {
        let installed = output(
            self.command("rustup")
                .args(["target", "list", "--installed"]),
        )
        .map_err(|e| format!("rustup is needed to add the wasm32 target: {e}"))?;
        if installed
            .lines()
            .any(|l| l.trim() == "wasm32-unknown-unknown")
        {
            println!("    ok  wasm32-unknown-unknown target");
            return Ok(());
        }
        self.install("wasm32-unknown-unknown target", || {
            run(self
                .command("rustup")
                .args(["target", "add", "wasm32-unknown-unknown"]))
        })
    }

    fn ensure_trunk(&self) -> Result<(), String> {
        let want = format!("trunk {TRUNK_VERSION}");
        if output(self.command("trunk").arg("--version")).is_ok_and(|v| v.trim() == want) {
            println!("    ok  {want}");
            return Ok(());
        }
        println!("    ..  {want} is missing: compiling it (about 15-18 minutes on 2 cores, once)");
        self.install(&want, || {
            run(self.command("cargo").args([
                "install",
                "trunk",
                "--version",
                TRUNK_VERSION,
                "--locked",
                "--force",
            ]))
        })
    }

    /// The wasm-bindgen-cli must equal the `wasm-bindgen` crate in Cargo.lock exactly.
    fn ensure_wasm_bindgen(&self) -> Result<(), String> {
        let version = self.locked_version("wasm-bindgen")?;
        // Trunk looks for the version Trunk.toml names; it must be the locked one.
        let trunk_toml = std::fs::read_to_string(self.root.join("Trunk.toml"))
            .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
        let pinned = format!("wasm_bindgen = \"{version}\"");
        if !trunk_toml.lines().any(|l| l.trim() == pinned) {
            return Err(format!(
                "Trunk.toml's [tools] must say `{pinned}` to match Cargo.lock's wasm-bindgen"
            ));
        }
        let want = format!("wasm-bindgen {version}");
        let have = output(self.command("wasm-bindgen").arg("--version"));
        let runner = output(self.command("wasm-bindgen-test-runner").arg("--version"));
        if have.is_ok_and(|v| v.trim() == want) && runner.is_ok() {
            println!("    ok  {want} (wasm-bindgen-cli, matches Cargo.lock)");
            return Ok(());
        }
        println!("    ..  {want} is missing: compiling wasm-bindgen-cli (about 5 minutes, once)");
        // Not --locked: the CLI's own lock file names a crate version the registry lacks.
        self.install(&format!("wasm-bindgen-cli {version}"), || {
            run(self.command("cargo").args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &version,
                "--force",
            ]))
        })
    }

    /// `wasm-split-cli`, which has no `--version`: a stamp beside it in cargo's bin folder
    /// says which version was installed (CI caches that folder, not cargo's install list).
    /// It reads the format version that Leptos's `wasm_split_helpers` writes into the wasm,
    /// and stops with an error if it does not know it.
    fn ensure_wasm_split(&self) -> Result<(), String> {
        let stamp = self
            .cargo_bin
            .join(format!(".hashhalo-wasm-split-cli-{WASM_SPLIT_VERSION}"));
        if stamp.exists() && output(self.command("wasm-split-cli").arg("--help")).is_ok() {
            println!("    ok  wasm-split-cli {WASM_SPLIT_VERSION}");
            return Ok(());
        }
        println!(
            "    ..  wasm-split-cli {WASM_SPLIT_VERSION} is missing: compiling it (about 2 minutes, once)"
        );
        self.install(&format!("wasm-split-cli {WASM_SPLIT_VERSION}"), || {
            run(self.command("cargo").args([
                "install",
                "wasm_split_cli_support",
                "--version",
                WASM_SPLIT_VERSION,
                "--features",
                "build-binary",
                "--locked",
                "--force",
            ]))?;
            std::fs::write(&stamp, "").map_err(|e| format!("cannot write {stamp:?}: {e}"))
        })
    }

    /// The version of `name` that Cargo.lock pins.
    fn locked_version(&self, name: &str) -> Result<String, String> {
        let lock = std::fs::read_to_string(self.root.join("Cargo.lock"))
            .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
        let needle = format!("name = \"{name}\"\nversion = \"");
        let start = lock
            .find(&needle)
            .ok_or(format!("Cargo.lock has no {name}"))?
            + needle.len();
        let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")? + start;
        Ok(lock[start..end].to_string())
    }

    /// `npm ci` in tests/ when its lock file changed since the last install: Playwright's test
    /// runner (no browser download: Debian's Chromium is used), binaryen's wasm-opt and
    /// terser, which minifies the app's JavaScript.
    fn ensure_npm_packages(&self) -> Result<String, String> {
        let tests = self.root.join("tests");
        let lock = std::fs::read(tests.join("package-lock.json"))
            .map_err(|e| format!("cannot read tests/package-lock.json: {e}"))?;
        let stamp = tests.join("node_modules/.hashhalo-installed-lock.json");
        if std::fs::read(&stamp).is_ok_and(|s| s == lock) {
            return Ok("    ok  npm packages in tests/ (match package-lock.json)".into());
        }
        let started = Instant::now();
        let mut npm = self.command("npm");
        npm.current_dir(&tests)
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        run_quiet(&mut npm, "npm ci in tests/")?;
        std::fs::write(&stamp, &lock).map_err(|e| format!("cannot write {stamp:?}: {e}"))?;
        Ok(format!(
            "    new npm packages in tests/ installed in {}",
            human(started.elapsed().as_secs_f64())
        ))
    }

    fn check_wasm_opt(&self) -> Result<(), String> {
        let version = output(self.command("wasm-opt").arg("--version"))
            .map_err(|e| format!("wasm-opt from tests/node_modules did not run: {e}"))?;
        if !version.contains(&format!("version {WASM_OPT_VERSION}")) {
            return Err(format!(
                "wasm-opt on PATH is {:?}, expected version {WASM_OPT_VERSION} from npm's \
                 binaryen (tests/package.json)",
                version.trim()
            ));
        }
        println!("    ok  wasm-opt version {WASM_OPT_VERSION} (npm binaryen)");
        Ok(())
    }

    /// Chromium and chromedriver from Debian's packages (never a browser download).
    fn ensure_chromium(&self) -> Result<String, String> {
        if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
            return Ok("    ok  chromium and chromedriver (Debian)".into());
        }
        let started = Instant::now();
        let root = output(Command::new("id").arg("-u")).is_ok_and(|u| u.trim() == "0");
        let apt = |args: &[&str]| {
            let mut command = if root {
                Command::new("apt-get")
            } else {
                let mut sudo = Command::new("sudo");
                sudo.args(["-n", "apt-get"]);
                sudo
            };
            command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            command
        };
        run_quiet(&mut apt(&["update", "-q"]), "apt-get update")?;
        run_quiet(
            &mut apt(&["install", "-y", "-q", "chromium", "chromium-driver"]),
            "apt-get install chromium chromium-driver (needs root or passwordless sudo)",
        )?;
        Ok(format!(
            "    new chromium and chromedriver installed in {}",
            human(started.elapsed().as_secs_f64())
        ))
    }

    /// Downloads every crate once, so trunk can build with `--offline` and fail loudly rather
    /// than reach for the network.
    fn cargo_fetch(&self) -> Result<(), String> {
        run_quiet(
            self.command("cargo").args(["fetch", "--quiet"]),
            "cargo fetch",
        )
    }

    fn install(
        &self,
        what: &str,
        action: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        let started = Instant::now();
        action().map_err(|e| format!("installing {what} failed: {e}"))?;
        println!(
            "    new {what} installed in {}",
            human(started.elapsed().as_secs_f64())
        );
        Ok(())
    }
}

/// Runs `command`, its output going straight to the terminal.
pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} exited with {status}"))
    }
}

/// Runs `command` with its output captured, printing it only if it fails.
fn run_quiet(command: &mut Command, what: &str) -> Result<(), String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} exited with {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// The standard output of `command`, or why it could not be had.
fn output(command: &mut Command) -> Result<String, String> {
    let out = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("exited with {}", out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Seconds as `1m 05s` or `4.2s`.
pub fn human(seconds: f64) -> String {
    if seconds >= 60.0 {
        format!(
            "{}m {:02}s",
            (seconds / 60.0) as u64,
            (seconds % 60.0) as u64
        )
    } else {
        format!("{seconds:.1}s")
    }
}
