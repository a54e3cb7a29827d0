//! Sorting, in one place. Every sort in the crate goes through the two functions here (one of
//! 128-bit keys, one of keys with a place), so the browser build holds two sorts rather than
//! one per element type and comparator: each instantiation of the standard library's sorts is
//! 1 to 4 KiB of wasm, and there were 53 of them, 91 KiB, a ninth of the app.
//!
//! Keys are unsigned integers compared as numbers: a position, or several fields packed with
//! the most significant first ([`f64_key`] turns a float into one). Sorting by key is stable:
//! equal keys keep their order.

use std::cmp::Ordering;

use crate::ServerId;

/// Sorts `keys` ascending.
///
/// ```
/// let mut v = vec![3u128, 1, 2];
/// hashhalo_core::order::sort_u128(&mut v);
/// assert_eq!(v, [1, 2, 3]);
/// ```
#[inline(never)]
pub fn sort_u128(keys: &mut [u128]) {
    // Through the one sort of keys with a place, rather than a second instantiation of the
    // standard library's unstable sort: that was about 4 KiB of wasm in the page's first load,
    // for a copy of the keys (a million keys' generation sorts 32 MB instead of 16).
    let mut placed: Vec<(u128, u32)> = keys.iter().map(|&k| (k, 0)).collect();
    sort_placed(&mut placed);
    for (k, (p, _)) in keys.iter_mut().zip(placed) {
        *k = p;
    }
}

#[inline(never)]
fn sort_placed(keys: &mut [(u128, u32)]) {
    keys.sort_unstable();
}

/// The indices `0..n` in the order of `key(i)`, ties by index (so the order is stable).
///
/// ```
/// let scores = [30u64, 10, 30, 20];
/// assert_eq!(hashhalo_core::order::order_by(4, |i| u128::from(scores[i])), [1, 3, 0, 2]);
/// ```
pub fn order_by(n: usize, key: impl Fn(usize) -> u128) -> Vec<u32> {
    let mut keyed: Vec<(u128, u32)> = (0..n).map(|i| (key(i), i as u32)).collect();
    sort_placed(&mut keyed);
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Sorts `items` by `key`, stably.
///
/// ```
/// let mut v = [(2, 'a'), (1, 'b'), (2, 'c')];
/// hashhalo_core::order::sort_by_key(&mut v, |p| p.0 as u128);
/// assert_eq!(v, [(1, 'b'), (2, 'a'), (2, 'c')]);
/// ```
pub fn sort_by_key<T: Copy>(items: &mut [T], key: impl Fn(&T) -> u128) {
    let order = order_by(items.len(), |i| key(&items[i]));
    let sorted: Vec<T> = order.iter().map(|&i| items[i as usize]).collect();
    items.copy_from_slice(&sorted);
}

/// The indices `0..n` in the order `cmp` gives, ties by index: for what has no numeric key
/// (names compared byte by byte). One instantiation for every caller, as `cmp` is a trait
/// object.
///
/// ```
/// let names = ["b", "a", "c"];
/// assert_eq!(hashhalo_core::order::order_by_cmp(3, &|a, b| names[a].cmp(names[b])), [1, 0, 2]);
/// ```
pub fn order_by_cmp(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    // A merge sort written here, bottom up, rather than the standard library's stable sort:
    // that is 4 KiB of wasm, which the first load carried for this alone (every other sort in
    // the crate is of numeric keys).
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut merged = order.clone();
    let mut width = 1;
    while width < n {
        let (from, to): (&[u32], &mut [u32]) = (&order, &mut merged);
        for start in (0..n).step_by(2 * width) {
            let (mid, end) = ((start + width).min(n), (start + 2 * width).min(n));
            let (mut i, mut j) = (start, mid);
            for slot in &mut to[start..end] {
                // Ties are taken from the left run first, so equal items keep their order.
                let left = j == end
                    || (i < mid && cmp(from[i] as usize, from[j] as usize) != Ordering::Greater);
                if left {
                    *slot = from[i];
                    i += 1;
                } else {
                    *slot = from[j];
                    j += 1;
                }
            }
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

/// A key that orders floats as [`f64::total_cmp`] does.
///
/// ```
/// use hashhalo_core::order::f64_key;
///
/// assert!(f64_key(-1.0) < f64_key(-0.0));
/// assert!(f64_key(-0.0) < f64_key(0.0));
/// assert!(f64_key(0.5) < f64_key(2.0));
/// assert!(f64_key(2.0) < f64_key(f64::INFINITY));
/// ```
pub fn f64_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// Places in a list of servers by id: read from a table indexed by id when the ids are small
/// (as a lab's are, numbered from 0), found by binary search otherwise. Per-key loops over a
/// million keys look their owners up here.
///
/// ```
/// use hashhalo_core::ServerId;
/// use hashhalo_core::order::IdIndex;
///
/// let index = IdIndex::new(&[ServerId(7), ServerId(2)]);
/// assert_eq!(index.get(ServerId(2)), Some(1));
/// assert_eq!(index.get(ServerId(3)), None);
/// let sparse = IdIndex::new(&[ServerId(4_000_000_000), ServerId(2)]);
/// assert_eq!(sparse.get(ServerId(4_000_000_000)), Some(0));
/// assert_eq!(sparse.get(ServerId(3)), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdIndex {
    /// Each id's place, by id (`u32::MAX`: not listed), when every id is below
    /// [`DENSE_IDS`]; empty otherwise.
    dense: Vec<u32>,
    /// Otherwise: the id in the high 64 bits, the place in the low.
    sorted: Vec<u128>,
}

/// The ids an [`IdIndex`] keeps a table for: 16 KiB at most.
const DENSE_IDS: u32 = 4096;

impl IdIndex {
    /// The index of `ids`.
    pub fn new(ids: &[ServerId]) -> IdIndex {
        let top = ids.iter().map(|id| id.0).max().unwrap_or(0);
        if top < DENSE_IDS {
            let mut dense = vec![u32::MAX; top as usize + 1];
            // In reverse, so that an id listed twice keeps its first place.
            for (i, id) in ids.iter().enumerate().rev() {
                dense[id.0 as usize] = i as u32;
            }
            return IdIndex {
                dense,
                sorted: Vec::new(),
            };
        }
        let mut sorted: Vec<u128> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| u128::from(id.0) << 64 | i as u128)
            .collect();
        sort_u128(&mut sorted);
        IdIndex {
            dense: Vec::new(),
            sorted,
        }
    }

    /// The index of the servers' ids: a server's place in `servers` by its id.
    ///
    /// ```
    /// use hashhalo_core::order::IdIndex;
    /// use hashhalo_core::{Server, ServerId};
    ///
    /// let index = IdIndex::of_servers(&[Server::new(4, "A"), Server::new(1, "B")]);
    /// assert_eq!(index.get(ServerId(1)), Some(1));
    /// ```
    pub fn of_servers(servers: &[crate::Server]) -> IdIndex {
        IdIndex::new(&servers.iter().map(|s| s.id).collect::<Vec<_>>())
    }

    /// The place of `id` (the first, if it is listed twice).
    #[inline]
    pub fn get(&self, id: ServerId) -> Option<usize> {
        if self.sorted.is_empty() {
            // Indexed as a slice, which the size-tuned build does inline, unlike `get`.
            let (dense, at): (&[u32], usize) = (&self.dense, id.0 as usize);
            return (at < dense.len() && dense[at] != u32::MAX).then(|| dense[at] as usize);
        }
        let id = u128::from(id.0);
        let k = self.sorted.partition_point(|&p| p >> 64 < id);
        self.sorted
            .get(k)
            .filter(|&&p| p >> 64 == id)
            .map(|&p| p as u64 as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sort_by_key_is_the_standard_stable_sort(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by_key(&mut ours, |p| u128::from(p.0));
            let mut std = v;
            std.sort_by_key(|p| p.0);
            prop_assert_eq!(ours, std);
        }

        #[test]
        fn id_index_finds_each_ids_first_place(ids in proptest::collection::vec(prop_oneof![0u32..50, 4090u32..4100, any::<u32>()], 0..40), probe in any::<u32>()) {
            let ids: Vec<ServerId> = ids.into_iter().map(ServerId).collect();
            let index = IdIndex::new(&ids);
            for id in ids.iter().copied().chain([ServerId(probe), ServerId(probe % 64)]) {
                prop_assert_eq!(index.get(id), ids.iter().position(|&i| i == id));
            }
        }

        #[test]
        fn order_by_cmp_is_the_standard_stable_sort(v in proptest::collection::vec(0u8..6, 0..300)) {
            let ours = order_by_cmp(v.len(), &|a, b| v[a].cmp(&v[b]));
            let mut std: Vec<u32> = (0..v.len() as u32).collect();
            std.sort_by_key(|&i| v[i as usize]);
            prop_assert_eq!(ours, std);
        }

        #[test]
        fn f64_key_orders_as_total_cmp(a in any::<f64>(), b in any::<f64>()) {
            prop_assert_eq!(f64_key(a).cmp(&f64_key(b)), a.total_cmp(&b));
        }

        #[test]
        fn id_index_finds_every_id(ids in proptest::collection::vec(0u32..50, 0..40), probe in 0u32..60) {
            let ids: Vec<ServerId> = ids.into_iter().map(ServerId).collect();
            let index = IdIndex::new(&ids);
            prop_assert_eq!(index.get(ServerId(probe)), ids.iter().position(|&i| i == ServerId(probe)));
        }
    }
}
