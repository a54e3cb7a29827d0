//! A pasted or uploaded key list: any text, read as the app reads it, then hashed into a
//! key set. Whatever the text, a list of at most the limit or a typed error, never a panic.

#![no_main]

use hashhalo_core::import::{KeyListError, parse_key_list};
use hashhalo_core::{HashFn, KeySet};
use libfuzzer_sys::fuzz_target;

/// The app's limit on pasted keys.
const LIMIT: usize = 100_000;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse_key_list(&text, LIMIT) {
        Ok(keys) => {
            assert!(!keys.is_empty() && keys.len() <= LIMIT);
            assert!(keys.iter().all(|k| !k.is_empty() && k.trim() == k));
            let set = KeySet::from_keys(keys, HashFn::Xxh3);
            assert!(!set.is_empty());
        }
        Err(KeyListError::Json { line, column, .. }) => assert!(line >= 1 && column >= 1),
        Err(KeyListError::Csv { line }) => assert!(line >= 1),
        Err(KeyListError::Empty | KeyListError::TooMany { .. }) => {}
    }
});
