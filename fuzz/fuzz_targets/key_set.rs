//! A key set as the page's worker sends it to the page ([`KeySet::to_bytes`]): any bytes.
//! Whatever they are, a key set whose every key can be read and which writes back to the
//! same bytes, or a typed error, never a panic.

#![no_main]

use hashhalo_core::{HashFn, KeySet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(set) = KeySet::from_bytes(data) {
        let keys = set.keys();
        assert_eq!(keys.iter().count(), set.len());
        assert!(set.sorted_positions().windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(set.to_bytes(), data);
    }
    // The same bytes read as a pasted list make a set that survives the trip.
    let text = String::from_utf8_lossy(data);
    let real = KeySet::from_keys(text.lines().map(str::to_string).collect(), HashFn::Fnv1a);
    assert_eq!(KeySet::from_bytes(&real.to_bytes()).as_ref(), Ok(&real));
});
