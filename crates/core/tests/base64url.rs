//! The hand-written base64 of links equals the `base64` crate's `URL_SAFE_NO_PAD`: the same
//! text for any bytes, and the same verdict on any text (bytes, or refused).
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hashhalo_core::base64url::{decode, encode};
use proptest::prelude::*;

#[test]
fn equals_the_crate_on_every_length_up_to_three_hundred() {
    let data: Vec<u8> = (0..300u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    for len in 0..=data.len() {
        let text = encode(&data[..len]);
        assert_eq!(text, URL_SAFE_NO_PAD.encode(&data[..len]), "length {len}");
        assert_eq!(decode(&text).as_deref(), Some(&data[..len]), "length {len}");
    }
}

#[test]
fn refuses_what_the_crate_refuses() {
    for text in [
        "A", "AAAAA", "AB==", "AB=", "+/AA", "AA AA", "AB", "AAB", "é", "AAAA\n",
    ] {
        assert_eq!(
            decode(text).is_some(),
            URL_SAFE_NO_PAD.decode(text).is_ok(),
            "{text:?}"
        );
    }
    // Two of them are refused for bits past the last byte, the rest for their characters.
    assert_eq!(decode("AB"), None);
    assert_eq!(decode("AAB"), None);
    assert_eq!(decode("AQ"), Some(vec![1]));
}

proptest! {
    #[test]
    fn encodes_any_bytes_as_the_crate_does(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        prop_assert_eq!(encode(&bytes), URL_SAFE_NO_PAD.encode(&bytes));
    }

    #[test]
    fn decodes_any_text_as_the_crate_does(text in "[A-Za-z0-9_=+/-]{0,40}") {
        prop_assert_eq!(decode(&text), URL_SAFE_NO_PAD.decode(&text).ok());
    }

    #[test]
    fn decodes_any_alphabet_text_as_the_crate_does(text in "[A-Za-z0-9_-]{0,40}") {
        prop_assert_eq!(decode(&text), URL_SAFE_NO_PAD.decode(&text).ok());
    }
}
