//! What a change did, in words: the sentences the movement panel shows and `hashhalo inspect
//! --before` prints, written once here so the two always say the same.
//!
//! A change between two states is first named ([`Change`]): a server added, removed, failed,
//! restored or re-weighted, a re-placement (virtual nodes, hash, algorithm, a drag, a rename),
//! the replication factor, the keys themselves, or several of these at once. Each kind gets a
//! true sentence: how many keys moved and where, and how that compares with what *had* to move
//! (a removed server's keys must move; a new server must take its fair share for the load to be
//! even; a re-placement forces nothing). None of them calls anything a minimum that the actual
//! figure can undercut.
//!
//! ```
//! use hashhalo_core::explain::{explain, Change};
//! use hashhalo_core::lab::LabState;
//! use hashhalo_core::snapshot::Snapshot;
//! use hashhalo_core::{Server, ServerId};
//!
//! let before = Snapshot::generated(LabState::default());
//! let mut lab = LabState::default();
//! lab.servers.push(Server::new(3, "D"));
//! let after = Snapshot::generated(lab);
//! let e = explain(&before, &after);
//! assert_eq!(e.change, Change::Added(ServerId(3)));
//! assert!(e.headline.starts_with("Adding D moved "));
//! assert!(e.headline.ends_with("all of them to D."));
//! ```

use crate::algorithms::Algorithm;
use crate::format::{count, percent};
use crate::lab::LabState;
use crate::movement::{Movement, Shares};
use crate::snapshot::Snapshot;
use crate::stats::Expected;
use crate::{Server, ServerId};

/// The kind of change between two states.
///
/// ```
/// use hashhalo_core::explain::{Change, Replacement};
///
/// let c = Change::Replaced(Replacement::VirtualNodes { from: 100, to: 200 });
/// assert_ne!(c, Change::Nothing);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Nothing that places keys or counts replicas changed.
    Nothing,
    /// A server joined.
    Added(ServerId),
    /// A server left.
    Removed(ServerId),
    /// A server went down (it keeps its place).
    Failed(ServerId),
    /// A down server came back.
    Restored(ServerId),
    /// A server's weight changed.
    Reweighted {
        /// The server.
        server: ServerId,
        /// Its weight before.
        from: u32,
        /// Its weight after.
        to: u32,
    },
    /// The servers and weights stayed; where keys go was re-drawn.
    Replaced(Replacement),
    /// Only the replication factor changed.
    Replicas {
        /// The factor before.
        from: u8,
        /// The factor after.
        to: u8,
    },
    /// The keys themselves changed (another count, kind, seed or list).
    Keys {
        /// How many keys before.
        before: usize,
        /// How many after.
        after: usize,
    },
    /// More than one of the above at once.
    Several(usize),
}

/// What a re-placement changed.
///
/// ```
/// use hashhalo_core::explain::Replacement;
/// use hashhalo_core::ServerId;
///
/// assert_ne!(Replacement::Turned(ServerId(0)), Replacement::Pinned(ServerId(0)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Replacement {
    /// Virtual nodes per unit of weight.
    VirtualNodes {
        /// Before.
        from: u32,
        /// After.
        to: u32,
    },
    /// The hash function.
    Hash,
    /// The algorithm.
    Algorithm {
        /// Before.
        from: Algorithm,
        /// After.
        to: Algorithm,
    },
    /// An algorithm's parameter (Maglev's table, multi-probe's probes, the load factor, the
    /// anchor).
    Parameter,
    /// A server was turned round the ring (its handle dragged).
    Turned(ServerId),
    /// A server's virtual nodes were placed by hand, or put back.
    Pinned(ServerId),
    /// A server was renamed: its virtual nodes are hashed from its name.
    Renamed(ServerId),
}

/// A change in words.
///
/// ```
/// use hashhalo_core::explain::explain;
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::snapshot::Snapshot;
///
/// let s = Snapshot::generated(LabState::default());
/// let e = explain(&s, &s);
/// assert_eq!(e.headline, "Nothing that places keys changed: no key moved.");
/// assert!(e.details.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// What kind of change it was.
    pub change: Change,
    /// The movement over the keys both states share (`None` when they share none).
    pub movement: Option<Movement>,
    /// The one sentence that says what moved.
    pub headline: String,
    /// Sentences that say why, and where the keys went.
    pub details: Vec<String>,
}

impl Explanation {
    /// The headline and the details as one paragraph.
    ///
    /// ```
    /// use hashhalo_core::explain::explain;
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::snapshot::Snapshot;
    ///
    /// let s = Snapshot::generated(LabState::default());
    /// assert_eq!(explain(&s, &s).text(), "Nothing that places keys changed: no key moved.");
    /// ```
    pub fn text(&self) -> String {
        std::iter::once(self.headline.as_str())
            .chain(self.details.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Names the change from `before` to `after`, by comparing their configurations server by
/// server (by id) and field by field.
///
/// ```
/// use hashhalo_core::explain::{classify, Change};
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::{ServerId, Status};
///
/// let before = LabState::default();
/// let mut after = before.clone();
/// after.servers[2].status = Status::Down;
/// assert_eq!(classify(&before, &after, true), Change::Failed(ServerId(2)));
/// assert_eq!(classify(&before, &before, false), Change::Keys { before: 1000, after: 1000 });
/// ```
pub fn classify(before: &LabState, after: &LabState, same_keys: bool) -> Change {
    if !same_keys {
        return Change::Keys {
            before: before.keys.count as usize,
            after: after.keys.count as usize,
        };
    }
    let mut changes: Vec<Change> = Vec::new();
    let find = |list: &[Server], id: ServerId| list.iter().find(|s| s.id == id).cloned();
    for s in &after.servers {
        match find(&before.servers, s.id) {
            None => changes.push(Change::Added(s.id)),
            Some(old) => {
                if old.status != s.status {
                    changes.push(if s.is_up() {
                        Change::Restored(s.id)
                    } else {
                        Change::Failed(s.id)
                    });
                }
                if old.weight != s.weight {
                    changes.push(Change::Reweighted {
                        server: s.id,
                        from: old.weight,
                        to: s.weight,
                    });
                }
                if old.label != s.label {
                    changes.push(Change::Replaced(Replacement::Renamed(s.id)));
                }
                if old.shift != s.shift {
                    changes.push(Change::Replaced(Replacement::Turned(s.id)));
                }
                if old.pins != s.pins {
                    changes.push(Change::Replaced(Replacement::Pinned(s.id)));
                }
            }
        }
    }
    for s in &before.servers {
        if find(&after.servers, s.id).is_none() {
            changes.push(Change::Removed(s.id));
        }
    }
    let (b, a) = (&before.router, &after.router);
    if b.algorithm != a.algorithm {
        changes.push(Change::Replaced(Replacement::Algorithm {
            from: b.algorithm,
            to: a.algorithm,
        }));
    }
    if b.algorithm.key_hash(b.hash) != a.algorithm.key_hash(a.hash) && b.algorithm == a.algorithm {
        changes.push(Change::Replaced(Replacement::Hash));
    }
    if b.vnodes != a.vnodes && a.algorithm.uses_vnodes() {
        changes.push(Change::Replaced(Replacement::VirtualNodes {
            from: b.vnodes,
            to: a.vnodes,
        }));
    }
    let parameter = match a.algorithm {
        Algorithm::Maglev | Algorithm::EnvoyMaglev => b.maglev_table_size != a.maglev_table_size,
        Algorithm::MultiProbe => b.probes != a.probes,
        Algorithm::BoundedLoads => b.load_factor != a.load_factor,
        Algorithm::Anchor => b.anchor_capacity != a.anchor_capacity,
        _ => false,
    };
    if parameter && b.algorithm == a.algorithm {
        changes.push(Change::Replaced(Replacement::Parameter));
    }
    if before.replicas != after.replicas {
        changes.push(Change::Replicas {
            from: before.replicas,
            to: after.replicas,
        });
    }
    match changes.len() {
        0 => Change::Nothing,
        1 => changes.pop().expect("one change"),
        n => Change::Several(n),
    }
}

/// The change from `before` to `after`, in words.
///
/// ```
/// use hashhalo_core::explain::explain;
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::snapshot::Snapshot;
///
/// let before = Snapshot::generated(LabState::default());
/// let mut lab = LabState::default();
/// lab.servers.remove(2);
/// let e = explain(&before, &Snapshot::generated(lab));
/// assert!(e.headline.starts_with("Removing C moved its "));
/// assert!(e.headline.ends_with(" and no others."));
/// ```
pub fn explain(before: &Snapshot, after: &Snapshot) -> Explanation {
    let movement = after.movement_from(before);
    let same_keys = movement
        .as_ref()
        .is_some_and(|m| m.total == before.keys().len() && m.total == after.keys().len());
    let change = match classify(before.lab(), after.lab(), same_keys) {
        // The key sets themselves say how many keys there were (a pasted list has its own
        // count, not the generator's).
        Change::Keys { .. } => Change::Keys {
            before: before.keys().len(),
            after: after.keys().len(),
        },
        other => other,
    };
    let words = Words {
        before,
        after,
        m: movement.as_ref(),
    };
    let (headline, details) = words.sentences(&change);
    Explanation {
        change,
        movement,
        headline,
        details,
    }
}

/// The pieces the sentences are made of.
struct Words<'a> {
    before: &'a Snapshot,
    after: &'a Snapshot,
    m: Option<&'a Movement>,
}

impl Words<'_> {
    fn label(&self, id: ServerId) -> String {
        self.after
            .lab()
            .servers
            .iter()
            .chain(&self.before.lab().servers)
            .find(|s| s.id == id)
            .map_or_else(|| format!("server {}", id.0), |s| s.label.clone())
    }

    fn moved(&self) -> usize {
        self.m.map_or(0, |m| m.moved.len())
    }

    fn total(&self) -> usize {
        self.m.map_or(0, |m| m.total)
    }

    /// `n` keys as a fraction of all compared, 0 when none were.
    fn fraction(&self, n: usize) -> f64 {
        match self.total() {
            0 => 0.0,
            total => n as f64 / total as f64,
        }
    }

    /// "241 of 1,000 keys (24.1 %)".
    fn of_total(&self, n: usize) -> String {
        let total = self.total();
        format!(
            "{} of {} {} ({})",
            count(n as u64),
            count(total as u64),
            if total == 1 { "key" } else { "keys" },
            percent(self.fraction(n), 1)
        )
    }

    /// "336 keys (33.6 % of all 1,000)": a server's own keys.
    fn own(&self, n: usize) -> String {
        format!(
            "{} {} ({} of all {})",
            count(n as u64),
            if n == 1 { "key" } else { "keys" },
            percent(self.fraction(n), 1),
            count(self.total() as u64)
        )
    }

    /// Moved keys that went *to* `id`, and those that left it.
    fn to_and_from(&self, id: ServerId) -> (u64, u64) {
        let Some(m) = self.m else { return (0, 0) };
        let Some(k) = m.servers.iter().position(|&s| s == id) else {
            return (0, 0);
        };
        let n = m.matrix.len();
        let into: u64 = (0..n).filter(|&i| i != k).map(|i| m.matrix[i][k]).sum();
        let out: u64 = (0..n).filter(|&j| j != k).map(|j| m.matrix[k][j]).sum();
        (into, out)
    }

    /// "{lead} moved N of T keys (P %){all}" when every moved key went to `id`, else
    /// "{lead} moved N of T keys (P %): M {some}" with the rest counted into `some`'s `{}`.
    fn arrivals(&self, id: ServerId, lead: &str, all: &str, some: &str) -> String {
        let (into, _) = self.to_and_from(id);
        let moved = self.moved() as u64;
        let total = self.of_total(moved as usize);
        if moved == 0 {
            format!("{lead} moved no keys.")
        } else if into == moved {
            format!("{lead} moved {total}{all}")
        } else {
            let rest = some.replacen("{}", &count(moved - into), 1);
            format!("{lead} moved {total}: {} {rest}", count(into))
        }
    }

    /// Where the keys that left `id` went: "A (170) and B (160)".
    fn destinations(&self, id: ServerId) -> String {
        let Some(m) = self.m else {
            return String::new();
        };
        let Some(k) = m.servers.iter().position(|&s| s == id) else {
            return String::new();
        };
        let mut to: Vec<usize> = (0..m.servers.len())
            .filter(|&j| j != k && m.matrix[k][j] > 0)
            .collect();
        let nowhere = m.matrix[k][m.servers.len()];
        // The most first; equal counts in the servers' order.
        let order = crate::order::order_by(to.len(), |i| u128::from(u64::MAX - m.matrix[k][to[i]]));
        to = order.iter().map(|&i| to[i as usize]).collect();
        let to: Vec<(u64, String)> = to
            .iter()
            .map(|&j| (m.matrix[k][j], self.label(m.servers[j])))
            .collect();
        let mut parts: Vec<String> = to
            .iter()
            .map(|(n, label)| format!("{label} ({})", count(*n)))
            .collect();
        if nowhere > 0 {
            parts.push(format!("nowhere ({}: no server is up)", count(nowhere)));
        }
        join(&parts)
    }

    /// The fair share of `id` in `state` (see [`Snapshot::fair_shares`]).
    fn fair_share(state: &Snapshot, id: ServerId) -> f64 {
        let slot = state.lab().servers.iter().position(|s| s.id == id);
        slot.map_or(0.0, |i| state.fair_shares()[i])
    }

    /// "moved X of N keys (Y %)" for any change, and what matching the fair shares takes.
    fn generic(&self, what: &str) -> (String, Vec<String>) {
        let headline = format!("{what} moved {}.", self.of_total(self.moved()));
        let minimum = self.m.map_or(0.0, |m| m.minimum);
        let details = if minimum > 0.0 {
            vec![format!(
                "Matching the new fair shares exactly would move {} of the keys.",
                percent(minimum, 1)
            )]
        } else {
            vec!["No key had to move: every up server's fair share is the same as before.".into()]
        };
        (headline, details)
    }

    fn sentences(&self, change: &Change) -> (String, Vec<String>) {
        let after = self.after.lab();
        let algorithm = after.router.algorithm;
        match change {
            Change::Nothing => (
                "Nothing that places keys changed: no key moved.".into(),
                vec![],
            ),
            Change::Replicas { from, to } => (
                format!("The replication factor went from {from} to {to}: no key's owner changed."),
                vec![format!(
                    "Each key is now kept on {to} {}: its owner and the next ones in its \
                     preference list.",
                    if *to == 1 { "server" } else { "servers" }
                )],
            ),
            Change::Keys { before, after: now } => {
                let headline = if before == now {
                    format!(
                        "The keys changed ({} others), so there is nothing to compare.",
                        count(*now as u64)
                    )
                } else {
                    format!(
                        "The keys changed from {} to {}, so there is nothing to compare.",
                        count(*before as u64),
                        count(*now as u64)
                    )
                };
                let details = match self.m {
                    Some(m) if m.total > 0 => vec![format!(
                        "Of the {} keys in both sets, {} moved.",
                        count(m.total as u64),
                        if m.moved.is_empty() {
                            "none".to_string()
                        } else {
                            count(m.moved.len() as u64)
                        }
                    )],
                    _ => vec![],
                };
                (headline, details)
            }
            Change::Added(id) => {
                let label = self.label(*id);
                let down = after.servers.iter().any(|s| s.id == *id && !s.is_up());
                if down {
                    return (
                        format!(
                            "Adding {label}, which is down, moved {}: a down server takes no keys.",
                            if self.moved() == 0 {
                                "no keys".to_string()
                            } else {
                                self.of_total(self.moved())
                            }
                        ),
                        Vec::new(),
                    );
                }
                let headline = self.arrivals(
                    *id,
                    &format!("Adding {label}"),
                    &format!(", all of them to {label}."),
                    &format!("to {label} and {{}} between the other servers."),
                );
                let share = Self::fair_share(self.after, *id);
                let mut details = vec![format!(
                    "{label}'s fair share is {} of the keys ({}): for an even load a new server \
                     takes that much, and no other key has to move.",
                    percent(share, 1),
                    count((share * self.total() as f64).round() as u64)
                )];
                details.push(why_add(algorithm, after, &label));
                (headline, details)
            }
            Change::Removed(id) | Change::Failed(id) => {
                let label = self.label(*id);
                let (_, out) = self.to_and_from(*id);
                let moved = self.moved() as u64;
                let removed = matches!(change, Change::Removed(_));
                let verb = if removed { "Removing" } else { "Failing" };
                let was_down = self
                    .before
                    .lab()
                    .servers
                    .iter()
                    .any(|s| s.id == *id && !s.is_up());
                if out == 0 {
                    // It held no keys: it was down already, or owned nothing.
                    let why = if was_down {
                        "it was down, so its keys had already moved"
                    } else {
                        "it held none"
                    };
                    let headline = if moved == 0 {
                        format!("{verb} {label} moved no keys: {why}.")
                    } else {
                        format!(
                            "{verb} {label} moved {}, though {why}.",
                            self.of_total(moved as usize)
                        )
                    };
                    let details = if moved == 0 {
                        Vec::new()
                    } else {
                        vec![why_extra(algorithm)]
                    };
                    return (headline, details);
                }
                let headline = if out == moved {
                    format!(
                        "{verb} {label} moved its {} and no others.",
                        self.own(out as usize)
                    )
                } else {
                    format!(
                        "{verb} {label} moved {}: its own {}, and {} others.",
                        self.of_total(moved as usize),
                        count(out),
                        count(moved - out)
                    )
                };
                let mut details = vec![if removed {
                    format!(
                        "Its keys had to move, since {label} is gone; they went to {}.",
                        self.destinations(*id)
                    )
                } else {
                    format!(
                        "Its keys had to move, since {label} is down; they went to {}. \
                         {label} keeps its place, and they come back when it is restored.",
                        self.destinations(*id)
                    )
                }];
                if let Some(line) = self.replicas_took_over(*id) {
                    details.push(line);
                } else if !removed && self.before.lab().replicas == 1 {
                    details.push(format!(
                        "With 1 replica no other server held a copy, so until {label} is back \
                         a store cannot serve those keys and a cache misses them."
                    ));
                }
                if out != moved {
                    details.push(why_extra(algorithm));
                }
                (headline, details)
            }
            Change::Restored(id) => {
                let label = self.label(*id);
                let headline = self.arrivals(
                    *id,
                    &format!("Restoring {label}"),
                    " back to it, and no others.",
                    "back to it and {} between the others.",
                );
                let share = Self::fair_share(self.after, *id);
                (
                    headline,
                    vec![format!(
                        "{label}'s fair share is {} of the keys: the keys it owned before it \
                         failed return to it.",
                        percent(share, 1)
                    )],
                )
            }
            Change::Reweighted { server, from, to } => {
                let label = self.label(*server);
                let before_share = Self::fair_share(self.before, *server);
                let after_share = Self::fair_share(self.after, *server);
                let (into, out) = self.to_and_from(*server);
                let moved = self.moved() as u64;
                let toward = match (to > from, into == moved, out == moved) {
                    (true, true, _) => format!("all of them to {label}"),
                    (true, false, _) => format!("{} of them to {label}", count(into)),
                    (false, _, true) => format!("all of them away from {label}"),
                    (false, _, false) => format!("{} of them away from {label}", count(out)),
                };
                let headline = if moved == 0 {
                    format!("{label}'s weight went from {from} to {to}: no key moved.")
                } else {
                    format!(
                        "{label}'s weight went from {from} to {to}: {} moved, {toward}.",
                        self.of_total(self.moved())
                    )
                };
                let minimum = self.m.map_or(0.0, |m| m.minimum);
                let mut details = vec![format!(
                    "Its fair share went from {} to {}; matching the new fair shares exactly \
                     would move {} of the keys.",
                    percent(before_share, 1),
                    percent(after_share, 1),
                    percent(minimum, 1)
                )];
                if algorithm.shares() == Shares::Equal {
                    details.push(format!(
                        "{} ignores weights, so every server's fair share stays equal.",
                        algorithm.name()
                    ));
                }
                (headline, details)
            }
            Change::Replaced(what) => {
                let (what, why) = match what {
                    Replacement::VirtualNodes { from, to } => (
                        format!("Changing the virtual nodes from {from} to {to}"),
                        "only where their points fall changed".to_string(),
                    ),
                    Replacement::Hash => (
                        "Changing the hash function".to_string(),
                        "only where the hash puts keys and points changed".to_string(),
                    ),
                    Replacement::Algorithm { from, to } => (
                        format!("Switching from {} to {}", from.name(), to.name()),
                        "only the rule that places keys changed".to_string(),
                    ),
                    Replacement::Parameter => (
                        format!(
                            "Changing {}",
                            match algorithm {
                                Algorithm::Maglev | Algorithm::EnvoyMaglev => "Maglev's table size",
                                Algorithm::MultiProbe => "the number of probes",
                                Algorithm::BoundedLoads => "the load cap",
                                _ => "the anchor size",
                            }
                        ),
                        "only how the algorithm spreads keys changed".to_string(),
                    ),
                    Replacement::Turned(id) => (
                        format!("Turning {}", self.label(*id)),
                        "only where its virtual nodes sit changed".to_string(),
                    ),
                    Replacement::Pinned(id) => (
                        format!("Moving a virtual node of {}", self.label(*id)),
                        "only where that point sits changed".to_string(),
                    ),
                    Replacement::Renamed(id) => {
                        let old = self
                            .before
                            .lab()
                            .servers
                            .iter()
                            .find(|s| s.id == *id)
                            .map_or_else(String::new, |s| s.label.clone());
                        (
                            format!("Renaming {old} to {}", self.label(*id)),
                            format!(
                                "but a server's virtual nodes are hashed from its name, so {}'s \
                                 are in new places",
                                self.label(*id)
                            ),
                        )
                    }
                };
                let headline = if self.moved() == 0 {
                    format!("{what} moved no keys.")
                } else {
                    format!("{what} moved {}.", self.of_total(self.moved()))
                };
                let joint = if why.starts_with("but") {
                    "; "
                } else {
                    ", and "
                };
                let details = vec![format!(
                    "No key had to move: the servers and their weights are the same{joint}{why}."
                )];
                (headline, details)
            }
            Change::Several(n) => self.generic(&format!("{n} changes at once")),
        }
    }

    /// With replicas, the keys of a failed or removed server were already on their next
    /// replica: say how many went exactly there.
    fn replicas_took_over(&self, id: ServerId) -> Option<String> {
        let replicas = usize::from(self.before.lab().replicas);
        let (m, router) = (self.m?, self.before.router().ok()?);
        if replicas < 2 {
            return None;
        }
        let positions = self.before.keys().positions();
        let before_owners = self.before.owners();
        let after_owners = self.after.owners();
        // The moved keys that were `id`'s, and each one's list before the change, in one
        // batch (a ring answers them all from one table).
        let failed: Vec<usize> = m
            .moved
            .iter()
            .map(|&k| k as usize)
            .filter(|&k| before_owners[k] == Some(id))
            .collect();
        if failed.is_empty() {
            return None;
        }
        let lists = router.preferences(
            &failed.iter().map(|&k| positions[k]).collect::<Vec<u64>>(),
            replicas,
        );
        // How many went to their 2nd, 3rd, … replica, and how many to a server without a copy.
        let mut by_rank = vec![0u64; replicas + 1];
        for (&k, list) in failed.iter().zip(&lists) {
            let rank = list
                .iter()
                .position(|s| Some(*s) == after_owners[k])
                .unwrap_or(replicas);
            by_rank[rank] += 1;
        }
        let total = failed.len() as u64;
        let without = by_rank[replicas];
        let ordinal = |r: usize| match r {
            1 => "second".to_string(),
            2 => "third".to_string(),
            3 => "fourth".to_string(),
            4 => "fifth".to_string(),
            r => format!("number {}", r + 1),
        };
        let ranks: Vec<String> = (1..replicas)
            .filter(|&r| by_rank[r] > 0)
            .map(|r| format!("{} by their {} replica", count(by_rank[r]), ordinal(r)))
            .collect();
        Some(if without == 0 && ranks.len() == 1 && by_rank[1] == total {
            format!(
                "With {replicas} replicas each of them already had a copy on its second \
                 replica, which took over: no data had to be copied."
            )
        } else if without == 0 {
            format!(
                "With {replicas} replicas each of them was taken over by a replica that \
                 already had a copy: {}.",
                join(&ranks)
            )
        } else {
            format!(
                "With {replicas} replicas, {} of them were taken over by a replica with a copy \
                 ({}), and {} by a server without one.",
                count(total - without),
                join(&ranks),
                count(without)
            )
        })
    }
}

/// The keys `state` cannot serve, in words: those whose every copy was on a server that is
/// down (see [`Snapshot::unavailable_keys`]); `None` when there are none.
///
/// ```
/// use hashhalo_core::explain::unavailable;
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::snapshot::Snapshot;
/// use hashhalo_core::Status;
///
/// let mut lab = LabState::default();
/// assert_eq!(unavailable(&Snapshot::generated(lab.clone())), None);
/// lab.servers[1].status = Status::Down;
/// let line = unavailable(&Snapshot::generated(lab)).unwrap();
/// assert!(line.ends_with("had every copy on B, which is down: until it is back, a store cannot serve them and a cache misses them."), "{line}");
/// ```
pub fn unavailable(state: &Snapshot) -> Option<String> {
    let n = state.unavailable_keys();
    if n == 0 {
        return None;
    }
    let down: Vec<String> = state
        .lab()
        .servers
        .iter()
        .filter(|s| !s.is_up())
        .map(|s| s.label.clone())
        .collect();
    let total = state.keys().len() as u64;
    let (on, it) = if down.len() == 1 {
        (format!("{}, which is down", down[0]), "it is")
    } else {
        (
            format!("servers that are down ({})", join(&down)),
            "they are",
        )
    };
    Some(format!(
        "{} {} ({}) had every copy on {on}: until {it} back, a store cannot serve them and a \
         cache misses them.",
        count(n),
        if n == 1 { "key" } else { "keys" },
        percent(n as f64 / total.max(1) as f64, 1),
    ))
}

/// How evenly the keys of `state` are spread, in plain words: the busiest and the quietest
/// server against their own fair shares, how far servers typically are from theirs, and what
/// theory expects of this algorithm, where it gives a figure.
///
/// ```
/// use hashhalo_core::explain::balance;
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::snapshot::Snapshot;
///
/// let lines = balance(&Snapshot::generated(LabState::default()));
/// assert!(lines[0].starts_with("The busiest server, "));
/// assert!(lines[1].contains("theory expects about 9.3 %"), "{}", lines[1]);
/// ```
pub fn balance(state: &Snapshot) -> Vec<String> {
    let b = state.balance();
    let lab = state.lab();
    let label = |slot: usize| lab.servers[slot].label.clone();
    let (Some(busiest), Some(quietest)) = (b.busiest, b.quietest) else {
        return vec!["No server is up, so no key has a server.".into()];
    };
    let up = b.ratios.iter().flatten().count();
    let mut lines = Vec::new();
    if up == 1 {
        lines.push(format!(
            "{} is the only server up and holds every key.",
            label(busiest.0)
        ));
        return lines;
    }
    lines.push(format!(
        "The busiest server, {}, has {} × its fair share of the keys; the quietest, {}, {} ×.",
        label(busiest.0),
        crate::format::fixed(busiest.1, 2),
        label(quietest.0),
        crate::format::fixed(quietest.1, 2)
    ));
    let algorithm = lab.router.algorithm;
    let typical = format!(
        "Servers are typically {} away from their fair share",
        percent(b.deviation, 1)
    );
    let expected = match algorithm {
        // A down server's residues all go to the next one up: no figure fits.
        Algorithm::Modulo if lab.servers.iter().any(|s| !s.is_up()) => None,
        _ => state.expected_deviation(),
    };
    lines.push(match expected {
        Some(e) => format!(
            "{typical}; theory expects about {}: {}.",
            percent(e.total, 1),
            why_expected(state, &e)
        ),
        None => format!(
            "{typical}; theory gives no simple figure for {}.",
            algorithm.name()
        ),
    });
    if algorithm == Algorithm::BoundedLoads {
        lines.push(format!(
            "The load cap holds every server to {} × its fair share, rounded up to a whole key.",
            crate::format::decimal(lab.router.load_factor, 2)
        ));
    }
    let weights_differ = lab
        .servers
        .iter()
        .filter(|s| s.is_up())
        .any(|s| s.weight != lab.servers[busiest.0].weight);
    if weights_differ {
        lines.push(match algorithm.shares() {
            Shares::Weighted => "Fair shares follow the weights: a server of weight 2 should hold \
                                 twice the keys of one of weight 1."
                .into(),
            Shares::Equal => format!(
                "{} ignores weights, so every up server's fair share is equal.",
                algorithm.name()
            ),
        });
    }
    lines
}

/// Where the expected deviation comes from, for [`balance`].
fn why_expected(state: &Snapshot, e: &Expected) -> String {
    let keys = count(state.keys().len() as u64);
    let chance = format!(
        "{} from which {keys} keys happen to be drawn",
        percent(e.sampling, 1)
    );
    let algorithm = state.lab().router.algorithm;
    if e.placement > 0.0 {
        let what = if algorithm.uses_vnodes() {
            let v = state.lab().router.vnodes;
            if v == 1 {
                "one virtual node per server falls".to_string()
            } else {
                format!("{} virtual nodes per server fall", count(u64::from(v)))
            }
        } else {
            format!("the points {} places fall", algorithm.name())
        };
        format!(
            "{} from where {what}, and {chance}",
            percent(e.placement, 1)
        )
    } else {
        let exact = match algorithm {
            Algorithm::Maglev | Algorithm::EnvoyMaglev => {
                "Maglev's table gives each server an almost exact share"
            }
            _ => "the algorithm spreads keys evenly on average",
        };
        format!("{exact}, so all of it is chance, {chance}")
    }
}

/// Why an added server takes about what it takes, per algorithm.
fn why_add(algorithm: Algorithm, lab: &LabState, label: &str) -> String {
    match algorithm {
        Algorithm::Modulo => "Modulo sends a key to hash mod n, so changing n moves almost every \
                              key: the reason consistent hashing exists."
            .into(),
        Algorithm::Ring | Algorithm::BoundedLoads => {
            let vnodes = lab.router.vnodes.max(1);
            format!(
                "On a ring {label} takes the arcs its {} virtual {} split off, so it gets about \
                 its fair share, give or take {} by chance (1/√{}).",
                count(u64::from(vnodes)),
                if vnodes == 1 { "node" } else { "nodes" },
                percent(1.0 / f64::from(vnodes).sqrt(), 0),
                vnodes
            )
        }
        Algorithm::Nginx | Algorithm::Libketama | Algorithm::EnvoyRing => format!(
            "{} puts {label}'s own points on its ring, and {label} takes the arcs they split \
             off: about its fair share, more or less by chance.",
            algorithm.name()
        ),
        Algorithm::MultiProbe => format!(
            "Multi-probe hashing looks at several probes per key, so {label} takes close to its \
             fair share."
        ),
        Algorithm::Jump => format!(
            "Jump hash moves exactly the keys {label} must take, when it is added at the end of \
             the list."
        ),
        Algorithm::Rendezvous => format!(
            "Rendezvous hashing moves only the keys whose highest score is now {label}'s: about \
             its fair share."
        ),
        Algorithm::Maglev | Algorithm::EnvoyMaglev => format!(
            "Maglev refills its lookup table, giving {label} an almost exact share and moving a \
             few keys between the others."
        ),
        Algorithm::Anchor => {
            format!("AnchorHash moves only the keys of the bucket {label} takes back.")
        }
    }
}

/// Why keys that did not have to move moved, per algorithm.
fn why_extra(algorithm: Algorithm) -> String {
    match algorithm {
        Algorithm::Modulo => {
            "The others moved because modulo depends on the number of servers.".into()
        }
        Algorithm::Maglev | Algorithm::EnvoyMaglev => {
            "The others moved because Maglev's table is refilled.".into()
        }
        Algorithm::BoundedLoads => {
            "The others moved because the load cap sends keys further round.".into()
        }
        _ => format!(
            "The others moved because of how {} chooses servers.",
            algorithm.name()
        ),
    }
}

/// "A", "A and B", "A, B and C".
fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KeyKind, Status};

    fn snap(f: impl FnOnce(&mut LabState)) -> Snapshot {
        let mut lab = LabState::default();
        f(&mut lab);
        Snapshot::generated(lab)
    }

    fn base() -> Snapshot {
        snap(|_| {})
    }

    /// Every moved key is counted, and a key's owner before and after agree with the sentence.
    fn moved(e: &Explanation) -> usize {
        e.movement.as_ref().map_or(0, |m| m.moved.len())
    }

    #[test]
    fn adding_a_server_says_what_it_took_against_its_fair_share() {
        let after = snap(|l| l.servers.push(Server::new(3, "D")));
        let e = explain(&base(), &after);
        assert_eq!(e.change, Change::Added(ServerId(3)));
        let n = moved(&e);
        assert_eq!(
            e.headline,
            format!(
                "Adding D moved {n} of 1,000 keys ({}), all of them to D.",
                percent(n as f64 / 1000.0, 1)
            )
        );
        assert!(e.details[0].starts_with("D's fair share is 25.0 % of the keys (250)"));
        assert_eq!(
            e.details[1],
            "On a ring D takes the arcs its 100 virtual nodes split off, so it gets about its \
             fair share, give or take 10 % by chance (1/√100)."
        );
        assert!(!e.text().contains("minimum"));
    }

    #[test]
    fn adding_under_modulo_says_most_keys_moved_between_others() {
        let modulo = |l: &mut LabState| l.router.algorithm = Algorithm::Modulo;
        let before = snap(modulo);
        let after = snap(|l| {
            modulo(l);
            l.servers.push(Server::new(3, "D"));
        });
        let e = explain(&before, &after);
        assert!(e.headline.contains(" to D and "), "{}", e.headline);
        assert!(e.headline.ends_with(" between the other servers."));
        assert!(moved(&e) > 600);
        assert!(e.details[1].starts_with("Modulo sends a key to hash mod n"));
    }

    #[test]
    fn removing_a_server_moves_exactly_its_keys_and_says_where() {
        let before = base();
        let c_keys = before.key_counts()[2];
        let e = explain(&before, &snap(|l| drop(l.servers.remove(2))));
        assert_eq!(e.change, Change::Removed(ServerId(2)));
        assert_eq!(moved(&e) as u64, c_keys);
        assert!(
            e.headline
                .starts_with(&format!("Removing C moved its {c_keys} keys ("))
        );
        assert!(e.headline.contains(" % of all 1,000) "));
        assert!(e.headline.ends_with(" and no others."));
        assert!(e.details[0].starts_with("Its keys had to move, since C is gone; they went to "));
        let d = &e.details[0];
        assert!(
            d.contains("A (") && d.contains("B (") && d.contains(") and "),
            "{d}"
        );
    }

    #[test]
    fn failing_a_server_with_replicas_names_the_replicas_that_took_over() {
        let two = |l: &mut LabState| l.replicas = 2;
        let before = snap(two);
        let after = snap(|l| {
            two(l);
            l.servers[1].status = Status::Down;
        });
        let e = explain(&before, &after);
        assert_eq!(e.change, Change::Failed(ServerId(1)));
        assert!(
            e.headline.starts_with("Failing B moved its "),
            "{}",
            e.headline
        );
        assert!(e.details[0].contains("B keeps its place"));
        assert_eq!(
            e.details[1],
            "With 2 replicas each of them already had a copy on its second replica, which \
             took over: no data had to be copied."
        );
    }

    #[test]
    fn restoring_a_server_brings_its_keys_back() {
        let down = |l: &mut LabState| l.servers[1].status = Status::Down;
        let e = explain(&snap(down), &base());
        assert_eq!(e.change, Change::Restored(ServerId(1)));
        assert!(e.headline.starts_with("Restoring B moved "));
        assert!(e.headline.ends_with(" back to it, and no others."));
        assert!(e.details[0].starts_with("B's fair share is 33.3 % of the keys"));
    }

    #[test]
    fn reweighting_states_both_fair_shares() {
        let e = explain(&base(), &snap(|l| l.servers[1].weight = 3));
        assert_eq!(
            e.change,
            Change::Reweighted {
                server: ServerId(1),
                from: 1,
                to: 3
            }
        );
        assert!(e.headline.starts_with("B's weight went from 1 to 3: "));
        assert!(e.headline.contains(" to B."), "{}", e.headline);
        assert!(
            e.details[0].starts_with("Its fair share went from 33.3 % to 60.0 %"),
            "{}",
            e.details[0]
        );
        assert!(e.details[0].ends_with("would move 26.7 % of the keys."));
    }

    #[test]
    fn a_replacement_says_no_key_had_to_move() {
        type Edit = Box<dyn Fn(&mut LabState)>;
        let cases: Vec<(Edit, &str)> = vec![
            (
                Box::new(|l| l.router.vnodes = 200),
                "Changing the virtual nodes from 100 to 200 moved ",
            ),
            (
                Box::new(|l| l.router.hash = crate::HashFn::Md5),
                "Changing the hash function moved ",
            ),
            (
                Box::new(|l| l.router.algorithm = Algorithm::Jump),
                "Switching from ring to jump moved ",
            ),
            (
                Box::new(|l| l.servers[0].shift = 1 << 60),
                "Turning A moved ",
            ),
            (
                Box::new(|l| l.servers[0].pin(3, 1 << 62)),
                "Moving a virtual node of A moved ",
            ),
            (
                Box::new(|l| l.servers[0].label = "Z".into()),
                "Renaming A to Z moved ",
            ),
        ];
        for (change, start) in cases {
            let e = explain(&base(), &snap(change));
            assert!(matches!(e.change, Change::Replaced(_)), "{:?}", e.change);
            assert!(e.headline.starts_with(start), "{}", e.headline);
            assert!(
                e.details[0]
                    .starts_with("No key had to move: the servers and their weights are the same")
            );
            assert!(moved(&e) > 0, "{}", e.headline);
        }
    }

    #[test]
    fn a_rename_says_what_it_was_and_why_keys_moved() {
        let e = explain(&base(), &snap(|l| l.servers[0].label = "Z".into()));
        assert_eq!(
            e.details,
            [
                "No key had to move: the servers and their weights are the same; but a server's \
              virtual nodes are hashed from its name, so Z's are in new places."
            ]
        );
    }

    #[test]
    fn servers_that_held_nothing_and_zero_moves_are_said_plainly() {
        let down = |l: &mut LabState| l.servers[2].status = Status::Down;
        let e = explain(&snap(down), &snap(|l| drop(l.servers.remove(2))));
        assert_eq!(
            e.headline,
            "Removing C moved no keys: it was down, so its keys had already moved."
        );
        // Jump ignores weights: re-weighting moves nothing, and says so.
        let jump = |l: &mut LabState| l.router.algorithm = Algorithm::Jump;
        let e = explain(
            &snap(jump),
            &snap(|l| {
                jump(l);
                l.servers[1].weight = 3;
            }),
        );
        assert_eq!(e.headline, "B's weight went from 1 to 3: no key moved.");
        // A down server added takes nothing.
        let e = explain(
            &base(),
            &snap(|l| {
                l.servers.push(Server {
                    status: Status::Down,
                    ..Server::new(3, "D")
                })
            }),
        );
        assert_eq!(
            e.headline,
            "Adding D, which is down, moved no keys: a down server takes no keys."
        );
    }

    #[test]
    fn with_three_replicas_each_takeover_is_counted_by_rank() {
        let three = |l: &mut LabState| {
            l.replicas = 3;
            l.servers.push(Server::new(3, "D"));
        };
        let before = snap(three);
        let after = snap(|l| {
            three(l);
            l.servers[1].status = Status::Down;
        });
        let e = explain(&before, &after);
        // On a ring the next replica clockwise takes over: always the second.
        assert_eq!(
            e.details[1],
            "With 3 replicas each of them already had a copy on its second replica, which took \
             over: no data had to be copied."
        );
    }

    #[test]
    fn the_replication_factor_moves_nothing() {
        let e = explain(&base(), &snap(|l| l.replicas = 3));
        assert_eq!(e.change, Change::Replicas { from: 1, to: 3 });
        assert_eq!(moved(&e), 0);
        assert_eq!(
            e.headline,
            "The replication factor went from 1 to 3: no key's owner changed."
        );
    }

    #[test]
    fn new_keys_are_not_compared_as_if_they_moved() {
        let e = explain(&base(), &snap(|l| l.keys.count = 100_000));
        assert_eq!(
            e.change,
            Change::Keys {
                before: 1000,
                after: 100_000
            }
        );
        assert_eq!(
            e.headline,
            "The keys changed from 1,000 to 100,000, so there is nothing to compare."
        );
        assert_eq!(e.details, ["Of the 1,000 keys in both sets, none moved."]);
        let other = explain(&base(), &snap(|l| l.keys.kind = KeyKind::Ips));
        assert_eq!(
            other.headline,
            "The keys changed (1,000 others), so there is nothing to compare."
        );
        assert!(other.details.is_empty());
    }

    #[test]
    fn several_changes_compare_with_the_fair_shares() {
        let after = snap(|l| {
            l.servers.push(Server::new(3, "D"));
            l.router.vnodes = 50;
        });
        let e = explain(&base(), &after);
        assert_eq!(e.change, Change::Several(2));
        assert!(e.headline.starts_with("2 changes at once moved "));
        assert_eq!(
            e.details,
            ["Matching the new fair shares exactly would move 25.0 % of the keys."]
        );
    }
}
