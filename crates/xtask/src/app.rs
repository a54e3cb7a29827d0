//! `cargo xtask app`: the browser app's wasm, built for trunk (its `post_build` hook in
//! Trunk.toml runs this with trunk's environment).
//!
//! Trunk 0.21 runs cargo, wasm-bindgen and wasm-opt itself, with no step between them, but the
//! release build is split: parts of the app that the first view does not need (the panels
//! beside the ring, the Share dialog) are lazily loaded chunks. `wasm-split-cli` cuts them out
//! of the linked wasm before wasm-bindgen sees it, so this command runs the whole chain:
//!
//! 1. `cargo build` of `hashhalo-web` (release: the `web` profile with the `split` feature,
//!    whose build script asks the linker to keep relocations);
//! 2. release only: `wasm-split-cli` writes the main module, one wasm file per chunk and
//!    `__wasm_split.js`, which fetches a chunk the first time its code is called;
//! 3. `wasm-bindgen --target web` on the main module, into trunk's staging directory;
//! 4. release only: `wasm-opt -Oz` on every wasm file.
//!
//! A debug build (`trunk serve`) skips 2 and 4: the lazily loaded functions are ordinary
//! functions there, which is also how the component tests build.

use std::path::{Path, PathBuf};

use crate::setup::{Setup, run};

/// The name every file of the app's wasm starts with; index.html loads `APP.js`.
pub const APP: &str = "hashhalo-web";
/// The features rustc enables for wasm32 by default, which wasm-opt must also allow.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds the app's wasm and its JavaScript into trunk's staging directory.
pub fn build() -> Result<(), String> {
    let setup = Setup::new()?;
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .ok_or("`cargo xtask app` is trunk's post_build hook: TRUNK_STAGING_DIR is not set")?;
    let release = std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "release");
    let target = setup.root.join("target");
    let mut cargo = setup.command("cargo");
    cargo.args([
        "build",
        "-p",
        APP,
        "--bin",
        APP,
        "--target",
        "wasm32-unknown-unknown",
        "--locked",
        "--offline",
    ]);
    if release {
        cargo.args(["--profile", "web", "--features", "split"]);
    }
    run(&mut cargo)?;
    let linked = target.join(format!(
        "wasm32-unknown-unknown/{}/{APP}.wasm",
        if release { "web" } else { "debug" }
    ));
    if !release {
        return bindgen(&setup, &linked, &staging, false);
    }
    let split = target.join("wasm-split");
    if split.exists() {
        std::fs::remove_dir_all(&split).map_err(|e| format!("cannot clear {split:?}: {e}"))?;
    }
    std::fs::create_dir_all(&split).map_err(|e| format!("cannot create {split:?}: {e}"))?;
    run(setup.command("wasm-split-cli").args([
        linked.as_os_str(),
        split.as_os_str(),
        "--target".as_ref(),
        "web".as_ref(),
        "--out-name".as_ref(),
        APP.as_ref(),
    ]))?;
    bindgen(&setup, &split.join(format!("{APP}.wasm")), &staging, true)?;
    let mut wasm = vec![staging.join(format!("{APP}_bg.wasm"))];
    for entry in std::fs::read_dir(&split).map_err(|e| format!("cannot read {split:?}: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == format!("{APP}.wasm") {
            continue;
        }
        let copy = staging.join(name);
        std::fs::copy(&path, &copy).map_err(|e| format!("cannot copy {path:?}: {e}"))?;
        if name.ends_with(".wasm") {
            wasm.push(copy);
        }
    }
    for file in &wasm {
        run(setup
            .command("wasm-opt")
            .arg("-Oz")
            .args(WASM_FEATURES)
            .arg(file)
            .arg("-o")
            .arg(file))?;
    }
    Ok(())
}

fn bindgen(setup: &Setup, wasm: &Path, staging: &Path, split: bool) -> Result<(), String> {
    let mut command = setup.command("wasm-bindgen");
    command
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            APP,
            "--out-dir",
        ])
        .arg(staging)
        .arg(wasm);
    if split {
        // The chunks call the main module's own functions by their linker names.
        command.args(["--keep-lld-exports", "--no-demangle"]);
    }
    run(&mut command)
}
