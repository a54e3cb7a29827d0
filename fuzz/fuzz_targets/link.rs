//! A share link from raw bytes: the first byte picks how the rest is read.
//!
//! - 0 modulo 4: the rest is a version-1 link's payload, as `1.` and its base64 (so the fuzzer
//!   mutates the encoded fields themselves, which is where the coverage is);
//! - 2 modulo 4: the same as a version-2 link (one made with pasted keys);
//! - odd: the rest is the link's text as typed, any UTF-8.

#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let version = if mode % 4 == 0 { 1 } else { 2 };
        hashhalo_fuzz::open_link(&format!("{version}.{}", URL_SAFE_NO_PAD.encode(rest)));
    } else if let Ok(text) = std::str::from_utf8(rest) {
        hashhalo_fuzz::open_link(text);
    }
});
