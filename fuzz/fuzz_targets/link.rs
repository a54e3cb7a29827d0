//! A share link from raw bytes: the first byte picks how the rest is read.
//!
//! - even: the rest is the link's payload, as `1.` and its base64 (so the fuzzer mutates the
//!   encoded fields themselves, which is where the coverage is);
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
        hashhalo_fuzz::open_link(&format!("1.{}", URL_SAFE_NO_PAD.encode(rest)));
    } else if let Ok(text) = std::str::from_utf8(rest) {
        hashhalo_fuzz::open_link(text);
    }
});
