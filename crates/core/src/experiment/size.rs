//! Size my tier: the fewest servers whose busiest one stays within capacity, at the 99th
//! percentile over seeds rather than on average, for each algorithm; and which to use.
//!
//! The model: requests follow Zipf popularity with skew `s` over the tier's keys. The
//! [`HOT_KEYS`] most popular keys are placed one by one (they decide the peak); the many
//! others, each too light to matter alone, are spread by each server's share of the hash
//! space. With replication `r`, a key's requests are shared evenly by the `r` servers of its
//! preference list (reads from any replica). Each seed draws other keys and other server
//! names.

use std::sync::Arc;

use super::quantile;
use super::table::{Cell, Column, Table};
use crate::algorithms::{Algorithm, Router, RouterConfig};
use crate::order::IdIndex;
use crate::{HashFn, KeyKind, KeySet, KeySource, Server};

/// Keys placed one by one; the rest are spread by share.
///
/// ```
/// assert_eq!(hashhalo_core::experiment::size::HOT_KEYS, 4_000);
/// ```
pub const HOT_KEYS: usize = 4_000;

/// The most server counts tried from the mean's answer up.
const MAX_ROWS: u32 = 48;

/// The most servers the simulation places; a tier the mean alone puts above it is answered
/// from the mean.
///
/// ```
/// use hashhalo_core::experiment::size::{size, SizeInputs, MAX_SERVERS};
///
/// let wide = SizeInputs { rate: 1e9, ..SizeInputs::default() };
/// assert_eq!(size(&wide, 1, &mut |_| {}).servers, None);
/// assert_eq!(MAX_SERVERS, 500);
/// ```
pub const MAX_SERVERS: u32 = 500;

/// The most work the simulation may do in all, in estimated nanoseconds natively (see
/// [`peak_work`]): 4 s, within the 10 s bound on any experiment with room for machines up to
/// twice as slow. A row that would go past it is not started.
const MAX_WORK: u64 = 4_000_000_000;

/// What one simulated router costs, in estimated nanoseconds natively: building its points
/// (hashed and sorted, about 120 ns a point), Maglev's table (15 ns a slot), and placing the
/// hot keys on it (100 ns a key and replica; a preference list walks further). Measured with
/// `hashhalo experiment size` at its most expensive inputs (see `cargo xtask bench`).
fn peak_work(n: u32, config: &RouterConfig, keys: usize, replicas: u32) -> u64 {
    let build = match config.algorithm {
        Algorithm::Maglev => 15 * config.maglev_table_size,
        a if a.uses_vnodes() => 120 * u64::from(n) * u64::from(config.vnodes),
        _ => 0,
    };
    build + 100 * keys as u64 * u64::from(replicas)
}

/// The most ring points one simulated router may hold (a ring of 1000 virtual nodes is tried
/// up to 100 servers).
const MAX_POINTS: u64 = 100_000;

/// The tier to size.
///
/// ```
/// use hashhalo_core::experiment::size::SizeInputs;
///
/// let tier = SizeInputs { headroom: 5.0, ..SizeInputs::default() }.clamped();
/// assert_eq!(tier.headroom, 0.9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeInputs {
    /// Distinct keys.
    pub keys: u64,
    /// Requests per second across the tier.
    pub rate: f64,
    /// Requests per second one server can take.
    pub capacity: f64,
    /// The fraction of capacity kept free (0.2 keeps 20 %).
    pub headroom: f64,
    /// Zipf skew of key popularity (0 is uniform).
    pub skew: f64,
    /// Servers each key is kept on.
    pub replication: u8,
}

impl Default for SizeInputs {
    /// A million keys at 50 000 requests/s, 5 000 a server, 20 % headroom, skew 0.8, no
    /// replication.
    fn default() -> SizeInputs {
        SizeInputs {
            keys: 1_000_000,
            rate: 50_000.0,
            capacity: 5_000.0,
            headroom: 0.2,
            skew: 0.8,
            replication: 1,
        }
    }
}

impl SizeInputs {
    /// The inputs within what the model handles: keys 1..=10⁹, rates and capacities from
    /// 10⁻³ to 10¹², headroom 0..=0.9, skew 0..=3, replication 1..=5 (anything not a number
    /// becomes the default).
    ///
    /// ```
    /// use hashhalo_core::experiment::size::SizeInputs;
    ///
    /// let tier = SizeInputs { rate: f64::NAN, replication: 0, ..SizeInputs::default() }.clamped();
    /// assert_eq!((tier.rate, tier.replication), (50_000.0, 1));
    /// ```
    pub fn clamped(&self) -> SizeInputs {
        let d = SizeInputs::default();
        let clamp = |v: f64, lo: f64, hi: f64, default: f64| {
            if v.is_nan() { default } else { v.clamp(lo, hi) }
        };
        SizeInputs {
            keys: self.keys.clamp(1, 1_000_000_000),
            rate: clamp(self.rate, 1e-3, 1e12, d.rate),
            capacity: clamp(self.capacity, 1e-3, 1e12, d.capacity),
            headroom: clamp(self.headroom, 0.0, 0.9, d.headroom),
            skew: clamp(self.skew, 0.0, 3.0, d.skew),
            replication: self.replication.clamp(1, 5),
        }
    }

    /// Requests per second a server may take once headroom is kept.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::experiment::size::SizeInputs::default().usable(), 4_000.0);
    /// ```
    pub fn usable(&self) -> f64 {
        self.capacity * (1.0 - self.headroom)
    }
}

/// The answer: how many servers, with which algorithm, why, and the table behind it.
///
/// ```
/// use hashhalo_core::experiment::size::{size, SizeInputs};
///
/// let answer = size(&SizeInputs { skew: 0.0, ..SizeInputs::default() }, 5, &mut |_| {});
/// assert!(answer.servers.is_some() && answer.algorithm.is_some());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Sizing {
    /// The fewest servers any algorithm needs, if some count up to the limit is enough.
    pub servers: Option<u32>,
    /// The algorithm and setting that needs the fewest (the first in the table on a tie).
    pub algorithm: Option<&'static str>,
    /// The reasoning, in two sentences.
    pub reasons: [String; 2],
    /// Per server count, the usable capacity, the mean, and each algorithm's busiest server
    /// at the 99th percentile.
    pub table: Table,
}

impl Sizing {
    /// The table with the reasons as `reason …` notes.
    ///
    /// ```
    /// use hashhalo_core::experiment::size::{size, SizeInputs};
    ///
    /// let report = size(&SizeInputs::default(), 3, &mut |_| {}).report();
    /// assert_eq!(report.notes_of("reason").count(), 2);
    /// ```
    pub fn report(&self) -> super::table::Report {
        super::table::Report {
            notes: self.reasons.iter().map(|r| format!("reason {r}")).collect(),
            table: self.table.clone(),
        }
    }
}

struct Candidate {
    name: &'static str,
    config: RouterConfig,
}

fn candidates() -> Vec<Candidate> {
    let with = |name, algorithm, vnodes| Candidate {
        name,
        config: RouterConfig {
            algorithm,
            vnodes,
            ..RouterConfig::default()
        },
    };
    vec![
        with("ring, 100 vnodes", Algorithm::Ring, 100),
        with("ring, 1000 vnodes", Algorithm::Ring, 1000),
        with("maglev, 65537 slots", Algorithm::Maglev, 100),
        with("jump", Algorithm::Jump, 100),
        with("bounded loads, c = 1.25", Algorithm::BoundedLoads, 100),
    ]
}

/// `Σ r^(−s)` for `r` in `from..=to`, summed exactly up to a few thousand terms and by the
/// midpoint integral beyond (its error is far below a request a second).
fn zipf_mass(from: u64, to: u64, s: f64) -> f64 {
    if from > to {
        return 0.0;
    }
    let exact_to = to.min(from + 2_000);
    let mut sum: f64 = (from..=exact_to).map(|r| libm::pow(r as f64, -s)).sum();
    if exact_to < to {
        let (a, b) = (exact_to as f64 + 0.5, to as f64 + 0.5);
        sum += if (s - 1.0).abs() < 1e-12 {
            libm::log(b) - libm::log(a)
        } else {
            (libm::pow(b, 1.0 - s) - libm::pow(a, 1.0 - s)) / (1.0 - s)
        };
    }
    sum
}

/// Runs the sizing: for each server count from the mean's answer up, each candidate's
/// busiest server at the 99th percentile over `seeds`; `progress` hears the fraction of the
/// counts tried.
///
/// ```
/// use hashhalo_core::experiment::size::{size, SizeInputs};
///
/// let tier = SizeInputs { keys: 100_000, rate: 10_000.0, capacity: 1_000.0, skew: 0.5,
///     ..SizeInputs::default() };
/// let answer = size(&tier, 10, &mut |_| {});
/// // The mean says 13 (10 000 over 800 a server); imbalance can only ask for more.
/// assert!(answer.servers.unwrap() >= 13);
/// assert!(answer.reasons[0].contains("99th percentile"));
/// assert_eq!(answer.table.rows[0][0].number(), Some(13.0));
/// ```
pub fn size(inputs: &SizeInputs, seeds: u32, progress: &mut dyn FnMut(f64)) -> Sizing {
    let tier = inputs.clamped();
    let seeds = seeds.clamp(1, 200);
    let usable = tier.usable();
    let r = u32::from(tier.replication);
    let hot = (tier.keys as usize).min(HOT_KEYS);
    let total_mass = zipf_mass(1, tier.keys, tier.skew);
    let weights: Vec<f64> = (1..=hot as u64)
        .map(|rank| libm::pow(rank as f64, -tier.skew) / total_mass)
        .collect();
    let tail = (1.0 - weights.iter().sum::<f64>()).max(0.0);
    let hottest = tier.rate * weights[0] / f64::from(r);
    let by_mean = (tier.rate / usable).ceil().max(f64::from(r)).max(1.0);
    if by_mean > f64::from(MAX_SERVERS) {
        return too_big(by_mean);
    }
    let n_mean = by_mean as u32;
    // Wide tiers step by about 2 % of their size, so the rows still reach twice the mean.
    let stride = (n_mean / 50).max(1);
    let key_sets: Vec<Arc<KeySet>> = (0..seeds)
        .map(|seed| {
            Arc::new(KeySet::generate_with(
                &KeySource {
                    kind: KeyKind::UserIds,
                    count: hot as u32,
                    seed: u64::from(seed) + 1,
                },
                HashFn::Xxh3,
            ))
        })
        .collect();
    let candidates = candidates();
    let mut columns = vec![
        Column::number("servers", "servers"),
        Column::number("usable capacity", "requests/s"),
        Column::number("mean", "requests/s"),
    ];
    columns.extend(
        candidates
            .iter()
            .map(|c| Column::number(&format!("busiest, {}", c.name), "requests/s")),
    );
    let mut rows = Vec::new();
    let mut fits: Vec<Option<(u32, f64)>> = vec![None; candidates.len()];
    // A candidate too large to simulate at this width is settled too (it has no answer).
    let mut skipped = vec![false; candidates.len()];
    let possible = hottest <= usable;
    // The work so far, over every seed and candidate (see `peak_work`): bounded whatever the
    // inputs, since a row that would pass `MAX_WORK` is not started.
    let mut work: u64 = 0;
    let mut last_peaks: Vec<Option<f64>> = vec![None; candidates.len()];
    let mut levelled = false;
    for step in 0..MAX_ROWS {
        let n = n_mean + step * stride;
        if n > MAX_SERVERS {
            break;
        }
        let row_work: u64 = candidates
            .iter()
            .filter(|c| {
                !(c.config.algorithm.uses_vnodes()
                    && u64::from(n) * u64::from(c.config.vnodes) > MAX_POINTS)
            })
            .map(|c| peak_work(n, &c.config, hot, r) * u64::from(seeds))
            .sum();
        if !rows.is_empty() && work + row_work > MAX_WORK {
            break;
        }
        let mut row = vec![
            Cell::Number(f64::from(n)),
            Cell::Number(usable),
            Cell::Number(tier.rate / f64::from(n)),
        ];
        for (j, c) in candidates.iter().enumerate() {
            if c.config.algorithm.uses_vnodes()
                && u64::from(n) * u64::from(c.config.vnodes) > MAX_POINTS
            {
                skipped[j] = true;
                row.push(Cell::Empty);
                continue;
            }
            work += peak_work(n, &c.config, hot, r) * u64::from(seeds);
            let mut peaks: Vec<f64> = key_sets
                .iter()
                .enumerate()
                .filter_map(|(seed, keys)| peak(n, seed, keys, &c.config, &weights, tail, r))
                .map(|share| share * tier.rate)
                .collect();
            let p99 = quantile(&mut peaks, 0.99);
            if fits[j].is_none() && !peaks.is_empty() && p99 <= usable {
                fits[j] = Some((n, p99));
            }
            // A peak no longer falling as servers are added is the hottest keys' own load.
            if let Some(before) = last_peaks[j]
                && fits[j].is_none()
                && p99 > usable
                && p99 > before * 0.998
            {
                levelled = true;
            }
            last_peaks[j] = (!peaks.is_empty()).then_some(p99);
            row.push(if peaks.is_empty() {
                Cell::Empty
            } else {
                Cell::Number(p99)
            });
        }
        rows.push(row);
        progress(f64::from(step + 1) / f64::from(MAX_ROWS));
        let settled = fits
            .iter()
            .zip(&skipped)
            .all(|(f, &skip)| f.is_some() || skip);
        let stalled = levelled && fits.iter().all(Option::is_none);
        if !possible || settled || stalled {
            break;
        }
        levelled = false;
    }
    progress(1.0);
    let best = fits
        .iter()
        .enumerate()
        .filter_map(|(j, f)| f.map(|(n, p)| (n, j, p)))
        .min_by_key(|&(n, j, _)| (n, j));
    let reasons = match best {
        Some((n, j, p99)) => [
            format!(
                "{n} servers with {}: at the 99th percentile over {seeds} seeds the busiest \
                 server takes {} requests/s, within the {} a server may take after {}% headroom.",
                candidates[j].name,
                whole(p99),
                whole(usable),
                whole(tier.headroom * 100.0),
            ),
            if n > n_mean {
                format!(
                    "The mean alone would say {n_mean}; {} uneven placement and hot keys (the \
                     hottest key alone draws {} requests/s{}).",
                    if n - n_mean == 1 {
                        "the one more covers".to_string()
                    } else {
                        format!("the other {} cover", n - n_mean)
                    },
                    whole(hottest),
                    on_each(r),
                )
            } else {
                format!(
                    "That is what the mean says too: at this skew the placement is even enough \
                     (the hottest key draws {} requests/s).",
                    whole(hottest)
                )
            },
        ],
        None if !possible => [
            format!(
                "No number of servers is enough: the hottest key alone draws {} requests/s{}, \
                 more than the {} a server may take.",
                whole(hottest),
                on_each(r),
                whole(usable)
            ),
            "Cache it in front of the tier, replicate it more widely, or split it into \
             several keys."
                .into(),
        ],
        None => [
            format!(
                "Up to {} servers, none keeps its busiest server within {} requests/s at the \
                 99th percentile.",
                rows.last()
                    .and_then(|r| r[0].number())
                    .unwrap_or(f64::from(n_mean)),
                whole(usable)
            ),
            "Lower the skew, raise the capacity or keep less headroom.".into(),
        ],
    };
    Sizing {
        servers: best.map(|(n, _, _)| n),
        algorithm: best.map(|(_, j, _)| candidates[j].name),
        reasons,
        table: Table { columns, rows },
    }
}

/// The answer for a tier too wide to simulate: the mean's count, said as such.
fn too_big(by_mean: f64) -> Sizing {
    let n = whole(by_mean.min(1e15));
    Sizing {
        servers: None,
        algorithm: None,
        reasons: [
            format!(
                "By the mean alone the tier needs {n} servers, more than the {MAX_SERVERS} this \
                 simulation places."
            ),
            "Plan on more than that for uneven placement, or raise the capacity per server \
             and size again."
                .into(),
        ],
        table: Table {
            columns: vec![Column::number("servers", "servers")],
            rows: Vec::new(),
        },
    }
}

/// Where a key's requests land, for sentences: nothing to add for one copy.
fn on_each(replicas: u32) -> String {
    if replicas > 1 {
        format!(" on each of its {replicas} servers")
    } else {
        String::new()
    }
}

/// A number rounded to a whole, for sentences.
fn whole(v: f64) -> String {
    crate::format::count(v.round().max(0.0) as u64)
}

/// The busiest server's fraction of all requests with `n` servers under `config`.
fn peak(
    n: u32,
    seed: usize,
    keys: &Arc<KeySet>,
    config: &RouterConfig,
    weights: &[f64],
    tail: f64,
    replicas: u32,
) -> Option<f64> {
    let servers: Vec<Server> = (0..n)
        .map(|i| Server::new(i, format!("tier-{seed}-{i}")))
        .collect();
    let router = Router::build(&servers, config).ok()?;
    let slot = IdIndex::of_servers(&servers);
    let mut load = vec![0.0; servers.len()];
    let (shares, _) = router.ownership();
    for (l, s) in load.iter_mut().zip(&shares) {
        *l = tail * s;
    }
    if replicas <= 1 {
        for (owner, w) in router.assign(keys).iter().zip(weights) {
            if let Some(i) = owner.and_then(|id| slot.get(id)) {
                load[i] += w;
            }
        }
    } else {
        let lists = router.preferences(keys.positions(), replicas as usize);
        for (list, w) in lists.iter().zip(weights) {
            let part = w / list.len().max(1) as f64;
            for id in list {
                if let Some(i) = slot.get(*id) {
                    load[i] += part;
                }
            }
        }
    }
    Some(load.into_iter().fold(0.0, f64::max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zipf_mass_matches_the_sum_where_both_can_be_computed() {
        for s in [0.0, 0.5, 1.0, 1.5] {
            let exact: f64 = (1..=50_000u64).map(|r| (r as f64).powf(-s)).sum();
            let got = zipf_mass(1, 50_000, s);
            assert!((got / exact - 1.0).abs() < 1e-6, "s={s}: {got} vs {exact}");
        }
    }

    #[test]
    fn a_key_hotter_than_a_server_cannot_be_sized() {
        let tier = SizeInputs {
            keys: 1_000,
            skew: 1.5,
            ..SizeInputs::default()
        };
        let answer = size(&tier, 5, &mut |_| {});
        assert_eq!(answer.servers, None);
        assert!(
            answer.reasons[0].contains("hottest key"),
            "{:?}",
            answer.reasons
        );
        assert_eq!(answer.table.rows.len(), 1);
    }

    #[test]
    fn uniform_light_keys_need_about_what_the_mean_says() {
        let tier = SizeInputs {
            skew: 0.0,
            ..SizeInputs::default()
        };
        let answer = size(&tier, 10, &mut |_| {});
        let n = answer.servers.unwrap();
        // The mean says 13; jump and Maglev balance almost exactly.
        assert!((13..=15).contains(&n), "{n}: {:?}", answer.reasons);
        assert!(answer.reasons[0].starts_with(&format!("{n} servers")));
    }

    #[test]
    fn a_tier_too_wide_is_answered_from_the_mean_at_once() {
        let tier = SizeInputs {
            rate: 1e12,
            capacity: 1e-3,
            ..SizeInputs::default()
        };
        let answer = size(&tier, 200, &mut |_| {});
        assert_eq!(answer.servers, None);
        assert!(
            answer.reasons[0].contains("more than the 500"),
            "{:?}",
            answer.reasons
        );
        // Just under the limit, the rows stop at it and big rings are left out.
        let tier = SizeInputs {
            rate: 490.0 * 4_000.0,
            skew: 0.0,
            ..SizeInputs::default()
        };
        let answer = size(&tier, 2, &mut |_| {});
        let last = answer.table.rows.last().unwrap();
        assert!(last[0].number().unwrap() <= 500.0);
        assert_eq!(
            last[4],
            Cell::Empty,
            "a 1000-vnode ring of 490 servers is not built"
        );
    }

    #[test]
    fn replication_spreads_a_hot_key() {
        let tier = SizeInputs {
            keys: 1_000,
            skew: 1.5,
            replication: 3,
            capacity: 20_000.0,
            ..SizeInputs::default()
        };
        let answer = size(&tier, 5, &mut |_| {});
        assert!(answer.servers.is_some(), "{:?}", answer.reasons);
        // Kept on one server, the same key is hotter than a server can take.
        let alone = size(
            &SizeInputs {
                replication: 1,
                ..tier
            },
            5,
            &mut |_| {},
        );
        assert_eq!(alone.servers, None, "{:?}", alone.reasons);
    }

    #[test]
    fn work_stays_bounded_when_a_key_almost_fits_or_the_tier_is_wide() {
        // The hottest key just under a server's capacity: the peak levels off above it.
        let tier = SizeInputs {
            keys: 1_000_000_000,
            rate: 400_000.0,
            skew: 0.87,
            ..SizeInputs::default()
        };
        let answer = size(&tier, 200, &mut |_| {});
        let rows = answer.table.rows.len();
        let n = |r: usize| answer.table.rows[r][0].number().unwrap() as u32;
        // Each row simulates its candidates for 200 seeds; those too large for the row are
        // left empty.
        let work: u64 = (0..rows)
            .map(|r| {
                candidates()
                    .iter()
                    .zip(&answer.table.rows[r][3..])
                    .filter(|(_, cell)| cell.number().is_some())
                    .map(|(c, _)| peak_work(n(r), &c.config, HOT_KEYS, 1) * 200)
                    .sum::<u64>()
            })
            .sum();
        assert!(work <= MAX_WORK, "{rows} rows, {work}");
        // A wide tier that fits stops once every candidate that can be built fits.
        let wide = SizeInputs {
            rate: 380_000.0,
            skew: 0.0,
            ..SizeInputs::default()
        };
        let answer = size(&wide, 5, &mut |_| {});
        assert!(answer.servers.is_some());
        assert!(
            answer.table.rows.len() < MAX_ROWS as usize,
            "{}",
            answer.table.rows.len()
        );
    }
}
