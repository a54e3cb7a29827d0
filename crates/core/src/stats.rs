//! Load statistics over an assignment of keys to servers.

use crate::ServerId;

/// How many keys each server got, in the order of `servers`. Keys with no owner (every
/// server down) are not counted.
///
/// ```
/// use hashhalo_core::{stats::key_counts, ServerId};
///
/// let owners = [Some(ServerId(1)), Some(ServerId(0)), Some(ServerId(1)), None];
/// assert_eq!(key_counts(&owners, &[ServerId(0), ServerId(1)]), vec![1, 2]);
/// ```
pub fn key_counts(owners: &[Option<ServerId>], servers: &[ServerId]) -> Vec<u64> {
    let mut counts = vec![0u64; servers.len()];
    let mut by_id: Vec<(ServerId, usize)> = servers
        .iter()
        .enumerate()
        .map(|(slot, &id)| (id, slot))
        .collect();
    by_id.sort_unstable();
    for owner in owners.iter().flatten() {
        if let Ok(i) = by_id.binary_search_by_key(owner, |&(id, _)| id) {
            counts[by_id[i].1] += 1;
        }
    }
    counts
}

/// The spread of a load vector.
///
/// ```
/// use hashhalo_core::stats::Spread;
///
/// let s = Spread::of(&[10.0, 20.0, 30.0]);
/// assert_eq!(s.mean, 20.0);
/// assert_eq!(s.max, 30.0);
/// assert!((s.max_over_mean - 1.5).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Arithmetic mean.
    pub mean: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Population standard deviation.
    pub std_dev: f64,
    /// Coefficient of variation: standard deviation over mean (0 when the mean is 0).
    pub cv: f64,
    /// Largest value over the mean (0 when the mean is 0).
    pub max_over_mean: f64,
}

impl Spread {
    /// The spread of `values`; all zeros for an empty slice.
    ///
    /// ```
    /// use hashhalo_core::stats::Spread;
    ///
    /// assert_eq!(Spread::of(&[]).mean, 0.0);
    /// assert_eq!(Spread::of(&[5.0, 5.0]).cv, 0.0);
    /// ```
    pub fn of(values: &[f64]) -> Spread {
        if values.is_empty() {
            return Spread {
                mean: 0.0,
                min: 0.0,
                max: 0.0,
                std_dev: 0.0,
                cv: 0.0,
                max_over_mean: 0.0,
            };
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        let std_dev = var.sqrt();
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (cv, max_over_mean) = if mean > 0.0 {
            (std_dev / mean, max / mean)
        } else {
            (0.0, 0.0)
        };
        Spread {
            mean,
            min,
            max,
            std_dev,
            cv,
            max_over_mean,
        }
    }
}

/// The coefficient of variation of ring ownership to expect with `vnodes` virtual nodes per
/// server: about `1/√v` (each server's share is a sum of `v` arcs).
///
/// ```
/// use hashhalo_core::stats::expected_cv;
///
/// assert!((expected_cv(100) - 0.1).abs() < 1e-12);
/// ```
pub fn expected_cv(vnodes: u32) -> f64 {
    if vnodes == 0 {
        f64::INFINITY
    } else {
        1.0 / f64::from(vnodes).sqrt()
    }
}
