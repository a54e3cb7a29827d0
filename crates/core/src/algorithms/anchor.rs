//! AnchorHash (Mendelson, Vargaftik, Barabash, Lorenz, Keslassy and Orda, "AnchorHash: A
//! Scalable Consistent Hash", IEEE/ACM ToN 2021).
//!
//! A fixed anchor of `a` buckets, of which any subset may be removed in any order; a key
//! whose bucket is removed is re-hashed, within the buckets still working when its bucket
//! left, until it lands on a working one. Removing a bucket moves only that bucket's keys,
//! and adding back the last removed bucket restores the exact earlier mapping (the order of
//! removals matters: see [`super`]). Memory is
//! `O(a)` and a lookup is `O(1 + ln(a/w))` expected for `w` working buckets.

use super::mix;

/// AnchorHash's state for an anchor of `capacity` buckets.
///
/// ```
/// use hashhalo_core::algorithms::anchor::Anchor;
///
/// let mut anchor = Anchor::new(8);
/// anchor.remove(5);
/// assert!((0..1000u64).all(|k| anchor.bucket(k) != 5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// 0 for a working bucket; for a removed one, the working-set size right after it left.
    a: Vec<u32>,
    /// The successor of a removed bucket: the bucket that took its place in `w`.
    k: Vec<u32>,
    /// The working buckets in their first `n` places.
    w: Vec<u32>,
    /// Where each bucket sits in `w`.
    l: Vec<u32>,
    /// The removed buckets, most recent last.
    removed: Vec<u32>,
    /// How many buckets work.
    n: u32,
}

impl Anchor {
    /// The bytes its arrays hold: four of 32-bit words per bucket and the removed stack.
    pub(crate) fn memory_bytes(&self) -> usize {
        (self.a.len() + self.k.len() + self.w.len() + self.l.len() + self.removed.len()) * 4
    }

    /// An anchor of `capacity` buckets (at least 1), all working.
    ///
    /// ```
    /// use hashhalo_core::algorithms::anchor::Anchor;
    ///
    /// assert_eq!(Anchor::new(4).working(), 4);
    /// ```
    pub fn new(capacity: u32) -> Anchor {
        let capacity = capacity.max(1);
        let all: Vec<u32> = (0..capacity).collect();
        Anchor {
            a: vec![0; capacity as usize],
            k: all.clone(),
            w: all.clone(),
            l: all,
            removed: Vec::new(),
            n: capacity,
        }
    }

    /// How many buckets work.
    ///
    /// ```
    /// use hashhalo_core::algorithms::anchor::Anchor;
    ///
    /// let mut anchor = Anchor::new(4);
    /// anchor.remove(0);
    /// assert_eq!(anchor.working(), 3);
    /// ```
    pub fn working(&self) -> u32 {
        self.n
    }

    /// Whether bucket `b` works.
    ///
    /// ```
    /// use hashhalo_core::algorithms::anchor::Anchor;
    ///
    /// let mut anchor = Anchor::new(4);
    /// anchor.remove(2);
    /// assert!(!anchor.is_working(2) && anchor.is_working(3));
    /// ```
    pub fn is_working(&self, b: u32) -> bool {
        (b as usize) < self.a.len() && self.a[b as usize] == 0
    }

    /// Removes working bucket `b`; does nothing if `b` is not working or is the last one.
    ///
    /// ```
    /// use hashhalo_core::algorithms::anchor::Anchor;
    ///
    /// let mut anchor = Anchor::new(2);
    /// anchor.remove(0);
    /// anchor.remove(1); // the last working bucket stays
    /// assert_eq!(anchor.working(), 1);
    /// ```
    pub fn remove(&mut self, b: u32) {
        if !self.is_working(b) || self.n == 1 {
            return;
        }
        let bi = b as usize;
        self.removed.push(b);
        self.n -= 1;
        let n = self.n as usize;
        self.a[bi] = self.n;
        let last = self.w[n];
        self.w[self.l[bi] as usize] = last;
        self.l[last as usize] = self.l[bi];
        self.k[bi] = last;
    }

    /// Adds back the most recently removed bucket and returns it.
    ///
    /// ```
    /// use hashhalo_core::algorithms::anchor::Anchor;
    ///
    /// let mut anchor = Anchor::new(6);
    /// let before: Vec<u32> = (0..500u64).map(|k| anchor.bucket(k)).collect();
    /// anchor.remove(3);
    /// assert_eq!(anchor.add(), Some(3));
    /// let after: Vec<u32> = (0..500u64).map(|k| anchor.bucket(k)).collect();
    /// assert_eq!(before, after);
    /// ```
    pub fn add(&mut self) -> Option<u32> {
        let b = self.removed.pop()?;
        let bi = b as usize;
        let n = self.n as usize;
        self.a[bi] = 0;
        self.l[self.w[n] as usize] = self.n;
        self.w[self.l[bi] as usize] = b;
        self.k[bi] = b;
        self.n += 1;
        Some(b)
    }

    /// The working bucket of the key with hash `key`.
    ///
    /// ```
    /// use hashhalo_core::algorithms::anchor::Anchor;
    ///
    /// let anchor = Anchor::new(10);
    /// assert!(anchor.bucket(42) < 10);
    /// ```
    pub fn bucket(&self, key: u64) -> u32 {
        // Mixed first, so hashes with empty low bits still reach every bucket.
        let mut b = (mix(key, u64::MAX) % self.a.len() as u64) as u32;
        while self.a[b as usize] > 0 {
            let ab = self.a[b as usize];
            let mut h = (mix(key, u64::from(b)) % u64::from(ab)) as u32;
            while self.a[h as usize] >= ab {
                h = self.k[h as usize];
            }
            b = h;
        }
        b
    }
}
