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
//! 3. `wasm-bindgen --target web` on the main module, into `target/app-out/` with the chunks;
//! 4. release only: `wasm-opt -Oz` on every wasm file, and terser (npm, tests/package.json)
//!    on the JavaScript: wasm-bindgen's glue is a quarter smaller minified;
//! 5. the files go into `app-<checksum>/` in trunk's staging directory, and the staged
//!    `index.html` is pointed at them: a new build is a new folder, so a browser never mixes
//!    a cached main module with chunks or glue of another build (trunk gave its own outputs
//!    hashed names; the chunks' names come from source positions, not their content).
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
    // Cargo's own override, as trunk would honour it; a `build.target-dir` in a cargo config
    // is not read here.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| setup.root.join("target"));
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
    let out = target.join("app-out");
    fresh_dir(&out)?;
    if !release {
        bindgen(&setup, &linked, &out, false)?;
        return publish(&out, &staging);
    }
    let split = target.join("wasm-split");
    fresh_dir(&split)?;
    run(setup.command("wasm-split-cli").args([
        linked.as_os_str(),
        split.as_os_str(),
        "--target".as_ref(),
        "web".as_ref(),
        "--out-name".as_ref(),
        APP.as_ref(),
    ]))?;
    bindgen(&setup, &split.join(format!("{APP}.wasm")), &out, true)?;
    for path in files_in(&split)? {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name != format!("{APP}.wasm") {
            std::fs::copy(&path, out.join(name))
                .map_err(|e| format!("cannot copy {path:?}: {e}"))?;
        }
    }
    let keep_names = std::env::var_os("HASHHALO_WASM_NAMES").is_some();
    for file in files_in(&out)? {
        if file.extension().is_some_and(|e| e == "wasm") {
            run(setup
                .command("wasm-opt")
                .arg("-Oz")
                // Lets wasm-opt fold constant offsets into loads and stores, assuming no address
                // below 1 KiB is used: rustc's wasm32 layout puts the 1 MiB stack first, growing
                // down from 1 MiB to 0, with the static data above it, so such an address would
                // be a stack 1023 KiB deep, an overflow anyway. 1.4 KB less gzip in the first
                // load (`cargo xtask size`).
                .arg("--low-memory-unused")
                // Runs the passes again while they still shrink the module: about 150 bytes of
                // gzip in the first load, for a few seconds of build.
                .arg("--converge")
                // For a profile with the functions' names: `HASHHALO_WASM_NAMES=1 trunk build
                // --release` keeps wasm's name section (a larger payload; never shipped).
                .args(keep_names.then_some("-g"))
                .args(WASM_FEATURES)
                .arg(&file)
                .arg("-o")
                .arg(&file))?;
        }
        if file.extension().is_some_and(|e| e == "js") {
            let mut terser = setup.command("terser");
            terser.args(["--module", "--mangle"]);
            if file.ends_with("__wasm_split.js") {
                // The comment above each shared chunk's loader names the split points it
                // serves (`/* deck_commands, side_panel_179… */`), which `cargo xtask size`
                // reads: those comments (a list of names) are kept, each before its own
                // declaration.
                terser.args([
                    "--compress",
                    "join_vars=false,sequences=false",
                    "--comments",
                    "/^ *[a-z0-9_]+( *, *[a-z0-9_]+)* *$/",
                ]);
            } else {
                terser.arg("--compress");
            }
            run(terser.arg("--output").arg(&file).arg(&file))?;
        }
    }
    publish(&out, &staging)
}

/// Copies the files of `out` into `app-<checksum>/` in `staging` and points the staged
/// index.html at that folder.
fn publish(out: &Path, staging: &Path) -> Result<(), String> {
    let files = files_in(out)?;
    let mut crc = flate2::Crc::new();
    for file in &files {
        crc.update(
            file.file_name()
                .map(|n| n.as_encoded_bytes())
                .unwrap_or(b""),
        );
        crc.update(&std::fs::read(file).map_err(|e| format!("cannot read {file:?}: {e}"))?);
    }
    let folder = format!("app-{:08x}", crc.sum());
    let dest = staging.join(&folder);
    fresh_dir(&dest)?;
    for file in &files {
        let name = file.file_name().ok_or("a file without a name")?;
        std::fs::copy(file, dest.join(name)).map_err(|e| format!("cannot copy {file:?}: {e}"))?;
    }
    let html = staging.join("index.html");
    let text = std::fs::read_to_string(&html)
        .map_err(|e| format!("cannot read the staged {html:?}: {e}"))?;
    let pointed = text
        .replace(&format!("{APP}.js"), &format!("{folder}/{APP}.js"))
        .replace(
            &format!("{APP}_bg.wasm"),
            &format!("{folder}/{APP}_bg.wasm"),
        );
    if !pointed.contains(&format!("{folder}/{APP}.js")) {
        return Err(format!("index.html does not load {APP}.js"));
    }
    std::fs::write(&html, pointed).map_err(|e| format!("cannot write {html:?}: {e}"))
}

/// The files directly in `dir`, sorted by name.
fn files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("cannot read {dir:?}: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Makes `dir` an empty directory.
fn fresh_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {dir:?}: {e}"))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {dir:?}: {e}"))
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
