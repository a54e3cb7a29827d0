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
    let by_id = crate::order::IdIndex::new(servers);
    for owner in owners.iter().flatten() {
        if let Some(slot) = by_id.get(*owner) {
            counts[slot] += 1;
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

/// How evenly keys are spread, each up server measured against its own fair share (its weight
/// over the up servers' total, or an equal part for algorithms without weights), so a server
/// weighted to take more is not counted as imbalance.
///
/// ```
/// use hashhalo_core::stats::Balance;
///
/// // Fair shares of a quarter and three quarters; 30 and 70 of 100 keys.
/// let b = Balance::of(&[Some(30), Some(70)], &[0.25, 0.75]);
/// assert_eq!(b.busiest, Some((0, 1.2)));
/// assert!((b.quietest.unwrap().1 - 70.0 / 75.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    /// Each server's keys over its fair share of them (1 is exactly fair); `None` for a
    /// server that is down or has no fair share.
    pub ratios: Vec<Option<f64>>,
    /// The slot and ratio of the server furthest above its fair share.
    pub busiest: Option<(usize, f64)>,
    /// The slot and ratio of the server furthest below it.
    pub quietest: Option<(usize, f64)>,
    /// The typical distance from the fair share: the root mean square of `ratio − 1`.
    pub deviation: f64,
}

impl Balance {
    /// The balance of `counts` (keys per server, `None` for a down server) against the
    /// servers' `fair` shares (fractions summing to 1 over the up servers).
    ///
    /// ```
    /// use hashhalo_core::stats::Balance;
    ///
    /// let even = Balance::of(&[Some(50), Some(50), None], &[0.5, 0.5, 0.0]);
    /// assert_eq!(even.deviation, 0.0);
    /// assert_eq!(even.ratios[2], None);
    /// ```
    pub fn of(counts: &[Option<u64>], fair: &[f64]) -> Balance {
        let total: u64 = counts.iter().flatten().sum();
        let ratios: Vec<Option<f64>> = counts
            .iter()
            .zip(fair)
            .map(|(&c, &p)| match c {
                Some(c) if p > 0.0 && total > 0 => Some(c as f64 / (p * total as f64)),
                _ => None,
            })
            .collect();
        let present: Vec<(usize, f64)> = ratios
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (i, r)))
            .collect();
        let busiest = present
            .iter()
            .copied()
            .reduce(|a, b| if b.1 > a.1 { b } else { a });
        let quietest = present
            .iter()
            .copied()
            .reduce(|a, b| if b.1 < a.1 { b } else { a });
        let deviation = if present.is_empty() {
            0.0
        } else {
            (present.iter().map(|(_, r)| (r - 1.0).powi(2)).sum::<f64>() / present.len() as f64)
                .sqrt()
        };
        Balance {
            ratios,
            busiest,
            quietest,
            deviation,
        }
    }
}

/// The typical distance from the fair share that theory expects, and its two sources:
/// where the algorithm puts servers (a ring server of share `p` with `m` of its points varies
/// about `√((1 − p) / m)`: its arcs are `m` of the gaps between uniform points, a Beta
/// distribution; for many servers that is the familiar `1/√m`) and which keys happen to be
/// drawn (a server of share `p` among `K` random keys varies about `√((1 − p) / (p K))`).
/// The total is the root mean square, over the up servers, of the two combined.
///
/// ```
/// use hashhalo_core::stats::expected_deviation;
///
/// // Three servers of 100 points each, 1000 keys: about 8 % from the ring, 4.5 % by chance.
/// let e = expected_deviation(&[1.0 / 3.0; 3], Some(&[100, 100, 100]), 1000);
/// assert!((e.placement - (2.0f64 / 300.0).sqrt()).abs() < 1e-12);
/// assert!((e.sampling - (2.0f64 / 1000.0).sqrt()).abs() < 1e-12);
/// assert!((e.total - (2.0f64 / 300.0 + 0.002).sqrt()).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expected {
    /// The part from placement (0 when the algorithm gives exact shares).
    pub placement: f64,
    /// The part from the keys drawn.
    pub sampling: f64,
    /// Both together.
    pub total: f64,
}

/// The deviation [`Expected`] of servers with `fair` shares (up servers only), `points` ring
/// points each (`None` when placement adds nothing: the shares are exact or the keys are
/// spread independently of any layout), and `keys` keys.
pub fn expected_deviation(fair: &[f64], points: Option<&[u64]>, keys: usize) -> Expected {
    let n = fair.len().max(1) as f64;
    let k = keys.max(1) as f64;
    let sampling_var: f64 = fair
        .iter()
        .map(|&p| if p > 0.0 { (1.0 - p) / (p * k) } else { 0.0 })
        .sum::<f64>()
        / n;
    let placement_var: f64 = points.map_or(0.0, |m| {
        m.iter()
            .zip(fair)
            .map(|(&m, &p)| if m > 0 { (1.0 - p) / m as f64 } else { 0.0 })
            .sum::<f64>()
            / m.len().max(1) as f64
    });
    Expected {
        placement: placement_var.sqrt(),
        sampling: sampling_var.sqrt(),
        total: (placement_var + sampling_var).sqrt(),
    }
}
