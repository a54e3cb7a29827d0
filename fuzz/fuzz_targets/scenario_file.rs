//! A scenario file (JSON), read as `hashhalo scenario check` and the lab's Open button read
//! it: any text gives a scenario or an error naming where, never a panic; one that was read
//! writes back to a file that reads as itself.

#![no_main]

use hashhalo_core::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Scenario::from_json(text) {
        Ok(s) => {
            let file = s.to_json().expect("a scenario that was read writes");
            assert_eq!(Scenario::from_json(&file).as_ref(), Ok(&s));
            hashhalo_fuzz::open_scenario(&s);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
