//! Jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash
//! Algorithm", 2014).

/// The bucket in `0..buckets` for `key` (`buckets` ≥ 1), exactly as the paper's listing.
///
/// Growing from `n` to `n + 1` buckets moves only `1/(n+1)` of the keys, all to the new
/// bucket; it needs no memory and no ring, but buckets can only be added or removed at the
/// end, and it has no weights.
///
/// ```
/// use hashhalo_core::algorithms::jump::jump;
///
/// assert_eq!(jump(0, 1), 0);
/// // Keys that move when a bucket is added move to the new bucket.
/// for key in 0..1000u64 {
///     let (a, b) = (jump(key, 10), jump(key, 11));
///     assert!(a == b || b == 10);
/// }
/// ```
pub fn jump(mut key: u64, buckets: u32) -> u32 {
    let mut b: i64 = -1;
    let mut j: i64 = 0;
    while j < i64::from(buckets) {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    b.max(0) as u32
}
