//! The page's address from raw bytes: the first byte picks how the rest is read.
//!
//! - even: the rest is a carried scenario's payload, as `scenario=s1.` and its base64, at the
//!   step the first byte's upper bits name (so the fuzzer mutates the encoded fields);
//! - odd: the rest is the fragment as typed, any UTF-8 (`lab=…&theme=dark&embed=1…`);
//! - 255: the rest builds a scenario field by field (`hashhalo_fuzz::arbitrary_scenario`:
//!   pins by the thousand, hundreds of steps, a million keys), carried in the link at a step
//!   the next byte names.

#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode == 255 {
        let mut u = arbitrary::Unstructured::new(rest);
        let Ok(step) = u.arbitrary::<u8>() else {
            return;
        };
        if let Ok(s) = hashhalo_fuzz::arbitrary_scenario(&mut u) {
            hashhalo_fuzz::open_page(&format!("scenario={}&step={step}", s.encode()));
        }
    } else if mode % 2 == 0 {
        let step = mode / 2;
        hashhalo_fuzz::open_page(&format!(
            "scenario=s1.{}&step={step}&embed=1",
            URL_SAFE_NO_PAD.encode(rest)
        ));
    } else if let Ok(text) = std::str::from_utf8(rest) {
        hashhalo_fuzz::open_page(text);
    }
});
