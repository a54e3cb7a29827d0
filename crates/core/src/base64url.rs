//! Unpadded URL-safe base64 (RFC 4648 §5, no `=`), the text of a link's state.
//!
//! Written by hand for the payload: the `base64` crate's general engine was 6 KiB of wasm
//! (2.8 KiB of gzip) in the browser's first load, for two functions of a dozen lines. Decoding is strict in the same
//! ways as that crate's `URL_SAFE_NO_PAD`: no padding, no characters outside the alphabet,
//! no length of one more than a multiple of four, and no bits set past the last byte (so each
//! byte string has exactly one text). `tests/base64url.rs` checks both directions against the
//! crate.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` as unpadded URL-safe base64.
///
/// ```
/// use hashhalo_core::base64url::encode;
/// assert_eq!(encode(b"\xfb\xff"), "-_8");
/// assert_eq!(encode(b""), "");
/// ```
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // A chunk of k bytes is k + 1 characters.
        for k in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
        }
    }
    out
}

/// The bytes of unpadded URL-safe base64 `text`, or `None` if it is not that.
///
/// ```
/// use hashhalo_core::base64url::decode;
/// assert_eq!(decode("-_8"), Some(b"\xfb\xff".to_vec()));
/// assert_eq!(decode("-_8="), None); // padding
/// assert_eq!(decode("-_9"), None); // a bit set past the last byte
/// assert_eq!(decode("A"), None); // six bits are no byte
/// ```
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.chunks(4) {
        let mut n = 0u32;
        for (k, &c) in chunk.iter().enumerate() {
            n |= u32::from(value(c)?) << (18 - 6 * k);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // k characters carry k - 1 whole bytes; what is left over must be zero.
        let whole = chunk.len() - 1;
        if bytes[whole..].iter().any(|&b| b != 0) {
            return None;
        }
        out.extend_from_slice(&bytes[..whole]);
    }
    Some(out)
}

/// The six bits character `c` stands for.
fn value(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    })
}
