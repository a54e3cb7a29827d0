//! The hand-written CRC-32 equals the `crc32fast` crate's, whole and in pieces.
#![cfg(not(target_arch = "wasm32"))]

use hashhalo_core::crc32::{Hasher, hash};
use proptest::prelude::*;

#[test]
fn equals_crc32fast_on_every_length_up_to_a_kibibyte() {
    let data: Vec<u8> = (0..1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for len in 0..=data.len() {
        assert_eq!(
            hash(&data[..len]),
            crc32fast::hash(&data[..len]),
            "length {len}"
        );
    }
}

proptest! {
    #[test]
    fn equals_crc32fast_in_pieces(a in proptest::collection::vec(any::<u8>(), 0..200), b in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut mine = Hasher::new();
        mine.update(&a);
        mine.update(&b);
        let mut theirs = crc32fast::Hasher::new();
        theirs.update(&a);
        theirs.update(&b);
        prop_assert_eq!(mine.finalize(), theirs.finalize());
    }
}
