//! The split release build (feature `split`) needs the linker's relocations in the wasm:
//! wasm-split reads them to move the lazily loaded functions into their own chunks.

fn main() {
    println!("cargo::rerun-if-env-changed=CARGO_FEATURE_SPLIT");
    if std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
}
