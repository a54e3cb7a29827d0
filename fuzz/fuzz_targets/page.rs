//! The page's address from raw bytes: the first byte picks how the rest is read.
//!
//! - even: the rest is a carried scenario's payload, as `scenario=s1.` and its base64, at the
//!   step the first byte's upper bits name (so the fuzzer mutates the encoded fields);
//! - odd: the rest is the fragment as typed, any UTF-8 (`lab=…&theme=dark&embed=1…`).

#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let step = mode / 2;
        hashhalo_fuzz::open_page(&format!(
            "scenario=s1.{}&step={step}&embed=1",
            URL_SAFE_NO_PAD.encode(rest)
        ));
    } else if let Ok(text) = std::str::from_utf8(rest) {
        hashhalo_fuzz::open_page(text);
    }
});
