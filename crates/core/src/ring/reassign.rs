//! Re-assigning keys after a change from what changed: the keys whose owner cannot have
//! changed are copied, and only the others are looked at.

use super::Ring;
use crate::{KeySet, ServerId};

impl Ring {
    /// Each key's owner on this ring, given `owners`, each key's owner on `before`: the same
    /// answer as [`Ring::assign`], computed from the change between the two rings.
    ///
    /// The points of both rings cut the circle into spans that hold no point of either. All
    /// keys of a span have one owner on each ring (the owner of the first point at or after
    /// the span's end), so a span whose two owners agree keeps its keys' owners, and only the
    /// keys of the other spans are written, found by binary search among the keys in clockwise
    /// order ([`KeySet::sorted_positions`]). The cost is a copy of `owners`, one sweep of both
    /// rings' points, and the keys that move: after one server is added to a ring of `n`, about
    /// one key in `n + 1`.
    ///
    /// Falls back to [`Ring::assign`] when `owners` is not one owner a key, when either ring
    /// has no points, or when the keys or `before` are hashed with another function.
    ///
    /// ```
    /// use hashhalo_core::{KeySet, KeySource, Ring, RingConfig, Server};
    ///
    /// let config = RingConfig::default();
    /// let before = Ring::build(&[Server::new(0, "A"), Server::new(1, "B")], &config).unwrap();
    /// let mut after = before.clone();
    /// after.add_server(Server::new(2, "C")).unwrap();
    /// let keys = KeySet::generate(&KeySource { count: 500, ..Default::default() });
    /// let owners = before.assign(&keys);
    /// assert_eq!(after.reassign(&before, &keys, &owners), after.assign(&keys));
    /// ```
    pub fn reassign(
        &self,
        before: &Ring,
        keys: &KeySet,
        owners: &[Option<ServerId>],
    ) -> Vec<Option<ServerId>> {
        if before.config.hash != self.config.hash
            || keys.hash() != self.config.hash
            || owners.len() != keys.len()
            || before.positions.is_empty()
            || self.positions.is_empty()
        {
            return self.assign(keys);
        }
        self.assign_from(before, owners, keys)
    }

    /// Each key's owner, by spans (see [`Ring::reassign`]): only the spans whose owner changed
    /// are written over a copy of `owners`. The keys and `before` are hashed with the ring's
    /// function, and both rings have points.
    fn assign_from(
        &self,
        before: &Ring,
        owners: &[Option<ServerId>],
        keys: &KeySet,
    ) -> Vec<Option<ServerId>> {
        let (a, b) = (&before.positions, &self.positions);
        let mut out = owners.to_vec();
        let sorted = keys.sorted_positions();
        let order = keys.sorted_order();
        // The keys at positions up to `p`, counted: the first index past them in clockwise order.
        let upto = |p: u64| sorted.partition_point(|&h| h <= p);
        let mut write = |from: usize, to: usize, owner: Option<ServerId>| {
            for &k in &order[from..to] {
                out[k as usize] = owner;
            }
        };
        // Each ring's owner of the span ending at the cut its index has reached: the first point
        // at or after the cut, or past the last one, the first point.
        let owner = |ids: &[Option<ServerId>], i: usize| ids.get(i).or(ids.first()).copied();
        let (mut i, mut j) = (0, 0);
        // The first cut, and the owners of the span that wraps past zero to it.
        let mut first = None;
        let mut previous = 0;
        loop {
            let cut = match (a.get(i), b.get(j)) {
                (Some(&p), Some(&q)) => p.min(q),
                (Some(&p), None) | (None, Some(&p)) => p,
                (None, None) => break,
            };
            let (was, now) = (
                owner(&before.effective_ids, i),
                owner(&self.effective_ids, j),
            );
            match first {
                None => first = Some((cut, was, now)),
                Some(_) if was != now => write(upto(previous), upto(cut), now.flatten()),
                Some(_) => {}
            }
            while a.get(i) == Some(&cut) {
                i += 1;
            }
            while b.get(j) == Some(&cut) {
                j += 1;
            }
            previous = cut;
        }
        // The first span runs from past the last cut, through zero, to the first cut.
        if let Some((cut, was, now)) = first
            && was != now
        {
            write(0, upto(cut), now.flatten());
            write(upto(previous), sorted.len(), now.flatten());
        }
        out
    }
}
