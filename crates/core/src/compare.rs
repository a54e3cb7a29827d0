//! Every algorithm on the lab's servers and keys, side by side: how evenly each spreads the
//! keys, how many the last change moved against the least possible, how much memory it keeps
//! and what it supports. The page's compare view and `hashhalo compare` both print
//! [`Comparison::table`].
//!
//! Timings (a lookup, a build) are the only figures that are not pure: the caller passes a
//! clock in milliseconds (`performance.now()` in the browser, `Instant` natively), and a
//! comparison without a clock leaves them out.

use std::sync::Arc;

use crate::KeySet;
use crate::algorithms::{Algorithm, Router};
use crate::experiment::table::{Cell, Column, Report, Table};
use crate::lab::LabState;
use crate::movement::Shares;
use crate::snapshot::Snapshot;
use crate::stats::Spread;

/// The number of samples of a row's strip: the hash space cut into this many equal arcs,
/// each drawn in the colour of the server that got most of the keys hashed into it.
///
/// ```
/// assert_eq!(hashhalo_core::compare::STRIP, 96);
/// ```
pub const STRIP: usize = 96;

/// The most keys a lookup timing routes (the first ones of the key set).
const TIMED_LOOKUPS: usize = 20_000;

/// What an algorithm can do.
///
/// ```
/// use hashhalo_core::algorithms::Algorithm;
/// use hashhalo_core::compare::Supports;
///
/// let jump = Supports::of(Algorithm::Jump);
/// assert!(!jump.weights && !jump.any_removal);
/// assert!(Supports::of(Algorithm::Ring).positions);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Supports {
    /// Servers can take shares in proportion to a weight.
    pub weights: bool,
    /// Any server can be removed while only its own keys move (jump renumbers the servers
    /// after it; modulo moves almost every key).
    pub any_removal: bool,
    /// A key has a preference list of distinct servers, for replicas and failover.
    pub replication: bool,
    /// Points can be placed by hand (pinned or turned).
    pub positions: bool,
}

impl Supports {
    /// What `algorithm` supports.
    ///
    /// ```
    /// use hashhalo_core::algorithms::Algorithm;
    /// use hashhalo_core::compare::Supports;
    ///
    /// assert!(Supports::of(Algorithm::Anchor).any_removal);
    /// assert!(!Supports::of(Algorithm::Modulo).any_removal);
    /// ```
    pub fn of(algorithm: Algorithm) -> Supports {
        Supports {
            weights: algorithm.shares() == Shares::Weighted,
            any_removal: !matches!(algorithm, Algorithm::Modulo | Algorithm::Jump),
            replication: true,
            positions: algorithm.uses_vnodes(),
        }
    }
}

/// Keys moved by the last change under one algorithm.
///
/// ```
/// use hashhalo_core::compare::Moved;
///
/// let m = Moved { keys: 260, total: 1000, minimum: 250.0 };
/// assert!((m.over_minimum() - 1.04).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moved {
    /// Keys whose server changed.
    pub keys: usize,
    /// Keys compared.
    pub total: usize,
    /// The least number of keys any placement with these shares must move.
    pub minimum: f64,
}

impl Moved {
    /// Keys moved over the minimum (1 is optimal; 0 when nothing had to move and nothing did).
    ///
    /// ```
    /// use hashhalo_core::compare::Moved;
    ///
    /// assert_eq!(Moved { keys: 0, total: 10, minimum: 0.0 }.over_minimum(), 0.0);
    /// ```
    pub fn over_minimum(&self) -> f64 {
        if self.minimum > 0.0 {
            self.keys as f64 / self.minimum
        } else if self.keys == 0 {
            0.0
        } else {
            f64::INFINITY
        }
    }
}

/// One algorithm's figures on the lab's servers and keys.
///
/// ```
/// use std::sync::Arc;
/// use hashhalo_core::compare::compare;
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::snapshot::Snapshot;
///
/// let lab = LabState::default();
/// let row = &compare(&lab, None, &Arc::new(Snapshot::keys_for(&lab)), None, &mut |_| {}).rows[1];
/// assert_eq!(row.counts.iter().sum::<u64>(), 1000);
/// assert!(row.supports.weights);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Why it could not place these servers (a preset refusing a label, say); the figures
    /// below are then empty.
    pub error: Option<String>,
    /// Keys per server, in the lab's server order.
    pub counts: Vec<u64>,
    /// The spread of each up server's keys over its fair share (max/mean and CV); `None`
    /// without keys or up servers.
    pub balance: Option<Spread>,
    /// The spread of each up server's exact share of the hash space over its fair share,
    /// where the algorithm's shares are exact (rings, Maglev tables).
    pub ownership: Option<Spread>,
    /// What the last change moved, when there was one and it can be compared.
    pub moved: Option<Moved>,
    /// Bytes of lookup state ([`Router::memory_bytes`]).
    pub memory_bytes: usize,
    /// Nanoseconds a lookup took, hash included (with a clock).
    pub lookup_ns: Option<f64>,
    /// Microseconds the build took (with a clock).
    pub build_us: Option<f64>,
    /// What it supports.
    pub supports: Supports,
    /// For each of [`STRIP`] arcs of the hash space, the slot of the server that got most of
    /// the keys hashed there (`None` where no key fell).
    pub strip: Vec<Option<u32>>,
}

/// Every algorithm compared, and modulo's expected movement for the change.
///
/// ```
/// use std::sync::Arc;
/// use hashhalo_core::compare::compare;
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::snapshot::Snapshot;
///
/// let lab = LabState::default();
/// let c = compare(&lab, None, &Arc::new(Snapshot::keys_for(&lab)), None, &mut |_| {});
/// assert_eq!((c.rows.len(), c.modulo_expected), (12, None));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// One row per algorithm, in [`Algorithm::ALL`] order.
    pub rows: Vec<Row>,
    /// When the last change added or removed one up server (`n` ↔ `n + 1`): the fraction
    /// of keys modulo is expected to move, `n/(n + 1)`.
    pub modulo_expected: Option<f64>,
}

/// A clock in milliseconds, for the timings.
///
/// ```
/// let start = std::time::Instant::now();
/// let clock = move || start.elapsed().as_secs_f64() * 1000.0;
/// let clock: hashhalo_core::compare::Clock<'_> = &clock;
/// assert!(clock() >= 0.0);
/// ```
pub type Clock<'a> = &'a dyn Fn() -> f64;

/// Compares every algorithm on `after`'s servers and `keys`, with the movement from `before`
/// (the lab before the last change) where given. Each algorithm keeps the lab's other
/// parameters (virtual nodes, hash, table size, probes, load factor). `progress` hears the
/// fraction done after each algorithm.
///
/// ```
/// use std::sync::Arc;
/// use hashhalo_core::compare::compare;
/// use hashhalo_core::edit::Edit;
/// use hashhalo_core::lab::{LabState, Limits};
/// use hashhalo_core::snapshot::Snapshot;
///
/// let before = LabState::default();
/// let edit = Edit::AddServer { label: "D".into() };
/// let after = before.apply(&edit, &Limits::default()).unwrap();
/// let keys = Arc::new(Snapshot::keys_for(&after));
/// let c = compare(&after, Some(&before), &keys, None, &mut |_| {});
/// let modulo = &c.rows[0];
/// // Modulo moves about n/(n+1) = 3/4 of the keys; the minimum is a quarter.
/// assert!(modulo.moved.unwrap().keys > 600);
/// assert_eq!(c.modulo_expected, Some(0.75));
/// ```
pub fn compare(
    after: &LabState,
    before: Option<&LabState>,
    keys: &Arc<KeySet>,
    clock: Option<Clock<'_>>,
    progress: &mut dyn FnMut(f64),
) -> Comparison {
    // Whatever the caller passes, the work is bounded as a link's is.
    let limits = crate::lab::Limits::default();
    let after = &after.clamped(&limits).0;
    let before = before.map(|b| b.clamped(&limits).0);
    let before = before.as_ref();
    let mut rows = Vec::with_capacity(Algorithm::ALL.len());
    for (i, &algorithm) in Algorithm::ALL.iter().enumerate() {
        rows.push(row(algorithm, after, before, keys, clock));
        progress((i + 1) as f64 / Algorithm::ALL.len() as f64);
    }
    let modulo_expected = before.and_then(|b| modulo_expected(b, after));
    Comparison {
        rows,
        modulo_expected,
    }
}

/// Modulo's expected movement when `after` is `before` with one up server added or removed
/// and every other server as it was: `n/(n + 1)` for `n` ↔ `n + 1` servers (modulo divides
/// by every server, down ones included, whose keys fail over).
fn modulo_expected(before: &LabState, after: &LabState) -> Option<f64> {
    let (small, big) = if before.servers.len() < after.servers.len() {
        (before, after)
    } else {
        (after, before)
    };
    if big.servers.len() != small.servers.len() + 1 || small.servers.is_empty() {
        return None;
    }
    // The others keep their order and status; the one added or removed was up.
    let extra: Vec<_> = big
        .servers
        .iter()
        .filter(|s| !small.servers.iter().any(|o| o.id == s.id))
        .collect();
    let kept: Vec<_> = big
        .servers
        .iter()
        .filter(|s| small.servers.iter().any(|o| o.id == s.id))
        .collect();
    let same = kept.len() == small.servers.len()
        && kept
            .iter()
            .zip(&small.servers)
            .all(|(a, b)| a.id == b.id && a.is_up() == b.is_up());
    (same && extra.len() == 1 && extra[0].is_up()).then(|| {
        let n = small.servers.len() as f64;
        n / (n + 1.0)
    })
}

fn with_algorithm(lab: &LabState, algorithm: Algorithm) -> LabState {
    let mut lab = lab.clone();
    lab.router.algorithm = algorithm;
    lab
}

fn row(
    algorithm: Algorithm,
    after: &LabState,
    before: Option<&LabState>,
    keys: &Arc<KeySet>,
    clock: Option<Clock<'_>>,
) -> Row {
    let lab = with_algorithm(after, algorithm);
    // A browser's clock ticks in tens of microseconds: builds are repeated until they have
    // taken a few milliseconds (at most 1000 times).
    let build_us = clock.map(|now| {
        let start = now();
        let mut times = 0u32;
        while times < 1000 && (times == 0 || now() - start < 4.0) {
            std::hint::black_box(Router::build(&lab.servers, &lab.router).is_ok());
            times += 1;
        }
        (now() - start) * 1000.0 / f64::from(times)
    });
    let snapshot = Snapshot::compute(lab, Arc::clone(keys));
    let router = match snapshot.router() {
        Ok(router) => router,
        Err(e) => {
            return Row {
                algorithm,
                error: Some(e.to_string()),
                counts: Vec::new(),
                balance: None,
                ownership: None,
                moved: None,
                memory_bytes: 0,
                lookup_ns: None,
                build_us: None,
                supports: Supports::of(algorithm),
                strip: Vec::new(),
            };
        }
    };
    let counts = snapshot.key_counts();
    let fair = snapshot.fair_shares();
    let total = snapshot.keys().len() as f64;
    let ratios: Vec<f64> = counts
        .iter()
        .zip(&fair)
        .filter(|&(_, &f)| f > 0.0)
        .map(|(&c, &f)| c as f64 / (f * total))
        .collect();
    let balance = (total > 0.0 && !ratios.is_empty()).then(|| Spread::of(&ratios));
    let (shares, exact) = router.ownership();
    let ownership = exact.then(|| {
        let ratios: Vec<f64> = shares
            .iter()
            .zip(&fair)
            .filter(|&(_, &f)| f > 0.0)
            .map(|(&s, &f)| s / f)
            .collect();
        Spread::of(&ratios)
    });
    // Keys from another source were not "moved": the key set itself changed.
    let moved = before
        .filter(|b| b.keys == after.keys && b.pasted == after.pasted)
        .and_then(|b| {
            let before = Snapshot::compute(with_algorithm(b, algorithm), Arc::clone(keys));
            snapshot.movement_from(&before).map(|m| Moved {
                keys: m.moved.len(),
                total: m.total,
                minimum: m.minimum * m.total as f64,
            })
        });
    let lookup_ns = clock.and_then(|now| {
        let keys = snapshot.keys().keys();
        let n = keys.len().min(TIMED_LOOKUPS);
        if n == 0 {
            return None;
        }
        let start = now();
        let mut sink = 0u64;
        for key in keys.first(n).iter() {
            sink = sink.wrapping_add(u64::from(router.route(key.as_bytes()).map_or(0, |s| s.0)));
        }
        let took = now() - start;
        // Keep the loop from being optimised away.
        std::hint::black_box(sink);
        Some(took * 1e6 / n as f64)
    });
    Row {
        algorithm,
        error: None,
        balance,
        ownership,
        moved,
        memory_bytes: router.memory_bytes(),
        lookup_ns,
        build_us,
        supports: Supports::of(algorithm),
        strip: strip(&snapshot),
        counts,
    }
}

/// The server that got most keys in each of [`STRIP`] arcs (ties to the lower slot).
fn strip(snapshot: &Snapshot) -> Vec<Option<u32>> {
    let servers = snapshot.lab().servers.len();
    let mut votes = vec![0u32; STRIP * servers];
    let slot_of = crate::order::IdIndex::of_servers(&snapshot.lab().servers);
    for (&position, owner) in snapshot
        .keys()
        .positions()
        .iter()
        .zip(snapshot.owners().iter())
    {
        let Some(slot) = owner.and_then(|id| slot_of.get(id)) else {
            continue;
        };
        let arc = ((u128::from(position) * STRIP as u128) >> 64) as usize;
        votes[arc * servers + slot] += 1;
    }
    votes
        .chunks(servers.max(1))
        .take(STRIP)
        .map(|arc| {
            let (best, &n) = arc
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))?;
            (n > 0).then_some(best as u32)
        })
        .collect()
}

impl Comparison {
    /// The table ([`Comparison::table`]) with the strips and modulo's expected movement as
    /// notes: what the page's worker answers ([`Drawn::of`] reads the notes back).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hashhalo_core::compare::compare;
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let lab = LabState::default();
    /// let keys = Arc::new(Snapshot::keys_for(&lab));
    /// let report = compare(&lab, None, &keys, None, &mut |_| {}).report(false);
    /// assert!(report.notes[0].starts_with("strip modulo "));
    /// ```
    pub fn report(&self, timings: bool) -> Report {
        let mut notes: Vec<String> = self
            .rows
            .iter()
            .map(|r| {
                let slots: Vec<String> = r
                    .strip
                    .iter()
                    .map(|s| s.map_or("-".to_string(), |s| s.to_string()))
                    .collect();
                format!("strip {} {}", r.algorithm.name(), slots.join(" "))
            })
            .collect();
        if let Some(m) = self.modulo_expected {
            notes.push(format!("modulo {}", Cell::Number(m)));
        }
        Report {
            notes,
            table: self.table(timings),
        }
    }

    /// The comparison as a table, one row per algorithm: what `hashhalo compare` prints and
    /// the page's compare view shows and downloads. With `timings`, the measured lookup and
    /// build times are columns too (they differ from run to run, so a check of the page
    /// against the CLI leaves them out).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hashhalo_core::compare::compare;
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let lab = LabState::default();
    /// let keys = Arc::new(Snapshot::keys_for(&lab));
    /// let table = compare(&lab, None, &keys, None, &mut |_| {}).table(false);
    /// assert_eq!(table.rows.len(), 12);
    /// assert!(table.to_csv().starts_with("algorithm,"));
    /// ```
    pub fn table(&self, timings: bool) -> Table {
        let mut columns = vec![
            Column::text("algorithm"),
            Column::number("max/mean keys", "ratio"),
            Column::number("cv keys", "ratio"),
            Column::number("max/mean share", "ratio"),
            Column::number("moved", "keys"),
            Column::number("minimum", "keys"),
            Column::number("moved/minimum", "ratio"),
            Column::number("memory", "bytes"),
        ];
        if timings {
            columns.push(Column::number("lookup", "ns"));
            columns.push(Column::number("build", "µs"));
        }
        for name in ["weights", "any removal", "replication", "positions"] {
            columns.push(Column::text(name));
        }
        columns.push(Column::text("error"));
        let yes = |b: bool| Cell::text(if b { "yes" } else { "no" });
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let ok = r.error.is_none();
                let mut cells = vec![
                    Cell::text(r.algorithm.name()),
                    Cell::maybe(r.balance.map(|b| b.max_over_mean)),
                    Cell::maybe(r.balance.map(|b| b.cv)),
                    Cell::maybe(r.ownership.map(|s| s.max_over_mean)),
                    Cell::maybe(r.moved.map(|m| m.keys as f64)),
                    Cell::maybe(r.moved.map(|m| m.minimum)),
                    Cell::maybe(r.moved.map(|m| m.over_minimum()).filter(|v| v.is_finite())),
                    Cell::maybe(ok.then_some(r.memory_bytes as f64)),
                ];
                if timings {
                    cells.push(Cell::maybe(r.lookup_ns));
                    cells.push(Cell::maybe(r.build_us));
                }
                let s = r.supports;
                cells.extend([
                    yes(s.weights),
                    yes(s.any_removal),
                    yes(s.replication),
                    yes(s.positions),
                ]);
                cells.push(Cell::text(r.error.as_deref().unwrap_or("")));
                cells
            })
            .collect();
        Table { columns, rows }
    }
}

/// What the compare view draws beside its table, read back from a [`Comparison::report`]:
/// each algorithm's strip, and modulo's expected movement.
///
/// ```
/// use std::sync::Arc;
/// use hashhalo_core::compare::{compare, Drawn, STRIP};
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::snapshot::Snapshot;
///
/// let lab = LabState::default();
/// let keys = Arc::new(Snapshot::keys_for(&lab));
/// let report = compare(&lab, None, &keys, None, &mut |_| {}).report(false);
/// let drawn = Drawn::of(&report);
/// assert_eq!(drawn.strips.len(), 12);
/// assert_eq!(drawn.strips[0].1.len(), STRIP);
/// assert_eq!(drawn.modulo_expected, None);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Drawn {
    /// Each algorithm's name and strip (server slots, `None` where no key fell).
    pub strips: Vec<(String, Vec<Option<u32>>)>,
    /// Modulo's expected fraction moved, when the change added or removed one server.
    pub modulo_expected: Option<f64>,
}

impl Drawn {
    /// Reads the notes of `report` (others are ignored).
    ///
    /// ```
    /// use hashhalo_core::compare::Drawn;
    /// use hashhalo_core::experiment::table::Report;
    ///
    /// let report = Report { notes: vec!["strip ring 0 - 1".into(), "modulo 0.75".into()], ..Report::default() };
    /// let drawn = Drawn::of(&report);
    /// assert_eq!(drawn.strips[0].1, vec![Some(0), None, Some(1)]);
    /// assert_eq!(drawn.modulo_expected, Some(0.75));
    /// ```
    pub fn of(report: &Report) -> Drawn {
        let mut drawn = Drawn::default();
        for note in &report.notes {
            let mut words = note.split(' ');
            match words.next() {
                Some("modulo") => {
                    drawn.modulo_expected = words.next().and_then(|w| w.parse().ok());
                }
                Some("strip") => {
                    let Some(name) = words.next() else { continue };
                    let slots = words.map(|w| w.parse().ok()).collect();
                    drawn.strips.push((name.to_string(), slots));
                }
                _ => {}
            }
        }
        drawn
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ServerId;
    use crate::edit::Edit;
    use crate::lab::Limits;

    fn keys(lab: &LabState) -> Arc<KeySet> {
        Arc::new(Snapshot::keys_for(lab))
    }

    #[test]
    fn adding_a_server_moves_about_the_minimum_except_under_modulo() {
        let mut before = LabState::default();
        before.keys.count = 20_000;
        let after = before
            .apply(&Edit::AddServer { label: "D".into() }, &Limits::default())
            .unwrap();
        let c = compare(&after, Some(&before), &keys(&after), None, &mut |_| {});
        for row in &c.rows {
            assert!(row.error.is_none(), "{:?}: {:?}", row.algorithm, row.error);
            let m = row.moved.unwrap();
            assert_eq!(m.total, 20_000);
            let fraction = m.keys as f64 / m.total as f64;
            match row.algorithm {
                // n/(n+1) = 3/4 of the keys, within sampling noise.
                Algorithm::Modulo => assert!((fraction - 0.75).abs() < 0.02, "{fraction}"),
                Algorithm::Jump | Algorithm::Rendezvous | Algorithm::Anchor => {
                    assert!((m.keys as f64 - m.minimum).abs() < 0.02 * m.total as f64)
                }
                _ => assert!(fraction < 0.45, "{:?} moved {fraction}", row.algorithm),
            }
        }
        assert_eq!(c.modulo_expected, Some(0.75));
    }

    #[test]
    fn removing_a_middle_server_costs_jump_more_than_anchor() {
        let mut before = LabState::default();
        before.keys.count = 10_000;
        for label in ["D", "E"] {
            before = before
                .apply(
                    &Edit::AddServer {
                        label: label.into(),
                    },
                    &Limits::default(),
                )
                .unwrap();
        }
        let after = before
            .apply(&Edit::RemoveServer(ServerId(1)), &Limits::default())
            .unwrap();
        let c = compare(&after, Some(&before), &keys(&after), None, &mut |_| {});
        let moved = |a: Algorithm| {
            c.rows
                .iter()
                .find(|r| r.algorithm == a)
                .unwrap()
                .moved
                .unwrap()
                .over_minimum()
        };
        assert!(moved(Algorithm::Jump) > 2.0, "{}", moved(Algorithm::Jump));
        assert!(
            moved(Algorithm::Anchor) < 1.1,
            "{}",
            moved(Algorithm::Anchor)
        );
        assert_eq!(c.modulo_expected, Some(0.8));
    }

    #[test]
    fn counts_strips_and_memory_describe_each_algorithm() {
        let lab = LabState::default();
        let c = compare(&lab, None, &keys(&lab), Some(&|| 0.0), &mut |_| {});
        for row in &c.rows {
            assert_eq!(row.counts.iter().sum::<u64>(), 1000);
            assert_eq!(row.strip.len(), STRIP);
            assert!(row.strip.iter().any(|s| s.is_some()));
            assert!(row.moved.is_none());
            assert_eq!(row.lookup_ns, Some(0.0));
            assert!(row.balance.unwrap().max_over_mean >= 1.0);
        }
        let ring = &c.rows[1];
        assert_eq!(ring.algorithm, Algorithm::Ring);
        assert!(ring.ownership.is_some() && ring.memory_bytes > 300 * 20);
        assert!(c.rows[2].ownership.is_none(), "jump's shares are not exact");
        assert_eq!(c.rows[2].memory_bytes, 0);
        let table = c.table(true);
        assert_eq!(table.rows.len(), 12);
        assert_eq!(table.columns.len(), table.rows[0].len());
    }

    #[test]
    fn modulo_is_expected_to_move_n_over_n_plus_one_of_every_server_down_ones_too() {
        let limits = Limits::default();
        let lab = LabState::default();
        let add = |l: &LabState, label: &str| {
            l.apply(
                &Edit::AddServer {
                    label: label.into(),
                },
                &limits,
            )
            .unwrap()
        };
        // Three servers, one down, then a fourth: modulo divides by four, not three.
        let down = lab.apply(&Edit::FailServer(ServerId(2)), &limits).unwrap();
        let four = add(&down, "D");
        assert_eq!(modulo_expected(&down, &four), Some(0.75));
        assert_eq!(modulo_expected(&four, &down), Some(0.75));
        // The server added is down, or another server changed status too: no figure.
        let d_down = four.apply(&Edit::FailServer(ServerId(3)), &limits).unwrap();
        assert_eq!(modulo_expected(&down, &d_down), None);
        assert_eq!(modulo_expected(&lab, &four), None);
        assert_eq!(modulo_expected(&lab, &lab), None);
        // Measured: adding a fourth server to three, one of them down, moves about 3/4.
        let mut before = down.clone();
        before.keys.count = 20_000;
        let after = add(&before, "D");
        let c = compare(&after, Some(&before), &keys(&after), None, &mut |_| {});
        let m = c.rows[0].moved.unwrap();
        assert!(
            (m.keys as f64 / m.total as f64 - 0.75).abs() < 0.02,
            "{m:?}"
        );
    }

    #[test]
    fn a_change_of_keys_moves_nothing_and_no_up_server_has_no_balance() {
        let limits = Limits::default();
        let before = LabState::default();
        let mut after = before.clone();
        after.keys.kind = crate::KeyKind::Ips;
        let c = compare(&after, Some(&before), &keys(&after), None, &mut |_| {});
        assert!(c.rows.iter().all(|r| r.moved.is_none()));
        let mut dark = before.clone();
        for id in 0..3 {
            dark = dark
                .apply(&Edit::FailServer(ServerId(id)), &limits)
                .unwrap_or(dark);
        }
        let c = compare(&dark, None, &keys(&dark), None, &mut |_| {});
        assert!(
            c.rows.iter().all(|r| r.balance.is_none()),
            "{:?}",
            c.rows[1].balance
        );
    }

    #[test]
    fn a_lab_no_router_accepts_is_clamped_first_so_every_row_has_figures() {
        let mut lab = LabState::default();
        lab.router.maglev_table_size = 4;
        lab.keys.count = u32::MAX;
        let c = compare(&lab, None, &keys(&LabState::default()), None, &mut |_| {});
        let maglev = c
            .rows
            .iter()
            .find(|r| r.algorithm == Algorithm::Maglev)
            .unwrap();
        assert!(maglev.error.is_none(), "{:?}", maglev.error);
        assert!(c.rows.iter().all(|r| r.counts.iter().sum::<u64>() == 1000));
    }
}
