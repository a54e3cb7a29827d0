//! Counting a key set by owner without visiting each key: the keys between two points are one
//! range of the keys in clockwise order, found by binary search.

use super::{NONE, Ring};
use crate::KeySet;

impl Ring {
    /// The keys of `keys` counted by owner and by where they lie: `counts[slot][bin]` is how
    /// many keys the server in slot `slot` of [`Ring::servers`] owns in the `bin`-th of `bins`
    /// equal slices of the circle, clockwise from position 0 (a key at position `h` lies in
    /// slice `⌊h · bins / 2⁶⁴⌋`). These are the counts of [`Ring::assign`]'s owners, found in
    /// `O((points + bins) · log keys)` rather than by visiting each key. Keys with no owner
    /// (every server down) are not counted. `None` when the keys are hashed with another
    /// function than the ring's, or `bins` is 0.
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource, Ring, RingConfig, Server};
    ///
    /// let ring = Ring::build(&[Server::new(0, "A"), Server::new(1, "B")], &RingConfig::default())
    ///     .unwrap();
    /// let keys = KeySet::generate(&KeySource { count: 500, ..Default::default() });
    /// let counts = ring.binned_counts(&keys, 4).unwrap();
    /// let owners = ring.assign(&keys);
    /// for (slot, server) in ring.servers().iter().enumerate() {
    ///     let owned = owners.iter().filter(|o| **o == Some(server.id)).count();
    ///     assert_eq!(counts[slot].iter().sum::<u32>() as usize, owned);
    /// }
    /// ```
    pub fn binned_counts(&self, keys: &KeySet, bins: usize) -> Option<Vec<Vec<u32>>> {
        if keys.hash() != self.config.hash || bins == 0 {
            return None;
        }
        let mut counts = vec![vec![0u32; bins]; self.servers.len()];
        let Some(&first) = self.effective.first() else {
            return Some(counts);
        };
        let sorted = keys.sorted_positions();
        // Multiplied, not divided: a 128-bit division would be a kilobyte of wasm.
        let bin_of = |h: u64| ((u128::from(h) * bins as u128) >> 64) as usize;
        let mut add = |from: usize, to: usize, slot: u32| {
            if slot == NONE {
                return;
            }
            let row = &mut counts[slot as usize];
            let mut k = from;
            while k < to {
                let bin = bin_of(sorted[k]);
                let stop = k + sorted[k..to].partition_point(|&h| bin_of(h) == bin);
                row[bin] += (stop - k) as u32;
                k = stop;
            }
        };
        // The keys up to each point, and past the last one, which wrap to the first point.
        let mut from = 0;
        for (&position, &slot) in self.positions.iter().zip(&self.effective) {
            let to = from + sorted[from..].partition_point(|&h| h <= position);
            add(from, to, slot);
            from = to;
        }
        add(from, sorted.len(), first);
        Some(counts)
    }
}
