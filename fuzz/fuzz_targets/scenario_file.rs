//! A scenario file (JSON), read as `hashhalo scenario check` and the lab's Open button read
//! it: any text gives a scenario or an error naming where, never a panic; one that was read
//! writes back to a file that reads as itself. Text that starts with a byte 255 (never
//! UTF-8) builds a scenario field by field instead (`hashhalo_fuzz::arbitrary_scenario`),
//! written as a file and read back: heavy scenarios the JSON mutations would seldom reach.

#![no_main]

use hashhalo_core::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((255, rest)) = data.split_first() {
        let mut u = arbitrary::Unstructured::new(rest);
        if let Ok(s) = hashhalo_fuzz::arbitrary_scenario(&mut u)
            && let Ok(file) = s.to_json()
            && let Ok(read) = Scenario::from_json(&file)
        {
            assert_eq!(read, s, "a structured scenario read back differently");
            hashhalo_fuzz::open_scenario(&read);
        }
        return;
    }
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
