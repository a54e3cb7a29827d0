//! `LabState::decode` holds at most `DECODE_BYTES_PER_CHAR` bytes of memory per character of
//! its text, measured with a counting allocator on the links that cost the most: a hostile
//! server count, and valid links of many empty servers or of many pins.
//!
//! This file is its own test binary with one test, so no other test's allocations are counted.

#![cfg(not(target_arch = "wasm32"))]

use hashhalo_core::lab::{DECODE_BYTES_PER_CHAR, LabState};
use hashhalo_core::{Pin, Server};
use peak_alloc::PeakAlloc;

mod support;
use support::hostile_count_link;

#[global_allocator]
static MEMORY: PeakAlloc = PeakAlloc;

/// The most bytes decoding `link` held at once, beyond what was held before.
fn peak_of(link: &str) -> usize {
    let base = MEMORY.current_usage();
    MEMORY.reset_peak_usage();
    let decoded = LabState::decode(link);
    let peak = MEMORY.peak_usage().saturating_sub(base);
    drop(decoded);
    peak
}

#[test]
fn decoding_holds_a_bounded_multiple_of_the_text() {
    let mut cases: Vec<(&str, String)> = Vec::new();
    cases.push(("a hostile server count", hostile_count_link(2_000_000)));
    let empty_servers = LabState {
        servers: (0..60_000).map(|i| Server::new(i, "")).collect(),
        ..LabState::default()
    };
    cases.push(("60 000 empty servers", empty_servers.encode()));
    let mut pinned = Server::new(0, "P");
    pinned.pins = (0..200_000)
        .map(|i| Pin {
            index: i % 128,
            position: 1,
        })
        .collect();
    let many_pins = LabState {
        servers: vec![pinned],
        ..LabState::default()
    };
    cases.push(("200 000 pins", many_pins.encode()));
    let long_labels = LabState {
        servers: (0..2_000)
            .map(|i| Server::new(i, "é".repeat(500)))
            .collect(),
        ..LabState::default()
    };
    cases.push(("long labels", long_labels.encode()));
    for (what, link) in &cases {
        let peak = peak_of(link);
        let per_char = peak as f64 / link.len() as f64;
        assert!(
            peak <= DECODE_BYTES_PER_CHAR * link.len(),
            "{what}: {peak} bytes for {} characters ({per_char:.1} a character)",
            link.len()
        );
    }
}
