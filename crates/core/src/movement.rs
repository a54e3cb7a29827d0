//! Movement accounting: which keys changed owner between two states, and the least any
//! algorithm could have moved.

use crate::order::IdIndex;
use crate::{Server, ServerId};

/// How servers are meant to share the keys, for the minimum possible movement.
///
/// ```
/// use hashhalo_core::movement::Shares;
///
/// assert_eq!(Shares::default(), Shares::Weighted);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shares {
    /// In proportion to weight (algorithms that honour weights).
    #[default]
    Weighted,
    /// Equally (algorithms without weights: modulo, jump, AnchorHash).
    Equal,
}

/// The keys that moved between two assignments of the same key set.
///
/// ```
/// use hashhalo_core::movement::{Movement, Shares};
/// use hashhalo_core::{Server, ServerId};
///
/// let before_servers = [Server::new(0, "A"), Server::new(1, "B")];
/// let after_servers = [Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C")];
/// let a = Some(ServerId(0));
/// let c = Some(ServerId(2));
/// let m = Movement::between(&[a, a, a], &[a, c, a], &before_servers, &after_servers, Shares::Weighted);
/// assert_eq!(m.moved, vec![1]);
/// assert_eq!(m.count(ServerId(0), ServerId(2)), 1);
/// assert!((m.fraction() - 1.0 / 3.0).abs() < 1e-12);
/// assert!((m.minimum - 1.0 / 3.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Movement {
    /// Indices of the keys whose owner changed, in key order.
    pub moved: Vec<u32>,
    /// The servers of both states: the "before" servers in order, then the new ones.
    pub servers: Vec<ServerId>,
    /// `matrix[from][to]`: keys that went from server `servers[from]` to `servers[to]`. The
    /// extra last row and column count keys with no owner (every server down).
    pub matrix: Vec<Vec<u64>>,
    /// How many keys in all.
    pub total: usize,
    /// The fraction of keys that must move for every server to hold exactly its new fair
    /// share, starting from exactly its old one: the total variation distance between the
    /// old and new fair shares (see [`minimum_movement`]). A placement that was not exactly
    /// fair before can move fewer; [`crate::explain`] says what had to move in words.
    pub minimum: f64,
}

impl Movement {
    /// Compares two assignments of one key set (`before[i]` and `after[i]` are key `i`'s
    /// owners), with the server lists that produced them.
    ///
    /// ```
    /// use hashhalo_core::movement::{Movement, Shares};
    /// use hashhalo_core::{Server, ServerId};
    ///
    /// let servers = [Server::new(0, "A")];
    /// let same = [Some(ServerId(0)); 4];
    /// let m = Movement::between(&same, &same, &servers, &servers, Shares::Weighted);
    /// assert!(m.moved.is_empty());
    /// assert_eq!(m.minimum, 0.0);
    /// ```
    pub fn between(
        before: &[Option<ServerId>],
        after: &[Option<ServerId>],
        before_servers: &[Server],
        after_servers: &[Server],
        shares: Shares,
    ) -> Movement {
        let mut servers: Vec<ServerId> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for s in before_servers.iter().chain(after_servers) {
            if seen.insert(s.id) {
                servers.push(s.id);
            }
        }
        let none = servers.len();
        let index = IdIndex::new(&servers);
        let index_of = |owner: Option<ServerId>| owner.and_then(|id| index.get(id)).unwrap_or(none);
        let mut matrix = vec![vec![0u64; none + 1]; none + 1];
        let mut moved = Vec::new();
        for (i, (&b, &a)) in before.iter().zip(after).enumerate() {
            matrix[index_of(b)][index_of(a)] += 1;
            if b != a {
                moved.push(i as u32);
            }
        }
        let minimum = minimum_movement(before_servers, after_servers, shares);
        Movement {
            moved,
            servers,
            matrix,
            total: before.len().min(after.len()),
            minimum,
        }
    }

    /// The fraction of keys that moved, from 0 to 1 (0 for no keys).
    ///
    /// ```
    /// use hashhalo_core::movement::{Movement, Shares};
    ///
    /// let m = Movement::between(&[], &[], &[], &[], Shares::Weighted);
    /// assert_eq!(m.fraction(), 0.0);
    /// ```
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.moved.len() as f64 / self.total as f64
        }
    }

    /// Keys that went from `from` to `to`.
    ///
    /// ```
    /// use hashhalo_core::movement::{Movement, Shares};
    /// use hashhalo_core::{Server, ServerId};
    ///
    /// let s = [Server::new(0, "A")];
    /// let m = Movement::between(&[Some(ServerId(0))], &[Some(ServerId(0))], &s, &s, Shares::Weighted);
    /// assert_eq!(m.count(ServerId(0), ServerId(0)), 1);
    /// assert_eq!(m.count(ServerId(0), ServerId(9)), 0);
    /// ```
    pub fn count(&self, from: ServerId, to: ServerId) -> u64 {
        let (Some(f), Some(t)) = (
            self.servers.iter().position(|&s| s == from),
            self.servers.iter().position(|&s| s == to),
        ) else {
            return 0;
        };
        self.matrix[f][t]
    }

    /// How many keys each server holds before and after, in the order of
    /// [`Movement::servers`].
    ///
    /// ```
    /// use hashhalo_core::movement::{Movement, Shares};
    /// use hashhalo_core::{Server, ServerId};
    ///
    /// let before = [Server::new(0, "A")];
    /// let after = [Server::new(0, "A"), Server::new(1, "B")];
    /// let m = Movement::between(&[Some(ServerId(0)); 2], &[Some(ServerId(0)), Some(ServerId(1))],
    ///     &before, &after, Shares::Weighted);
    /// assert_eq!(m.loads(), vec![(2, 1), (0, 1)]);
    /// ```
    pub fn loads(&self) -> Vec<(u64, u64)> {
        (0..self.servers.len())
            .map(|i| {
                let before = self.matrix[i].iter().sum();
                let after = self.matrix.iter().map(|row| row[i]).sum();
                (before, after)
            })
            .collect()
    }
}

/// The fraction of keys that must move, when the servers change from `before` to `after`,
/// for a placement that gave every server exactly its fair share before to give it exactly its
/// fair share after: the total variation distance between the ideal shares, `Σ max(0, p − p')`
/// over servers, where a server's ideal share is its weight over the up servers' total (or
/// one over their number, for [`Shares::Equal`]) and down or absent servers have none.
///
/// ```
/// use hashhalo_core::movement::{minimum_movement, Shares};
/// use hashhalo_core::Server;
///
/// let abc = [Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C")];
/// let abcd = [Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C"), Server::new(3, "D")];
/// // Adding a fourth equal server: a quarter of the keys must move (to it).
/// assert!((minimum_movement(&abc, &abcd, Shares::Weighted) - 0.25).abs() < 1e-12);
/// ```
pub fn minimum_movement(before: &[Server], after: &[Server], shares: Shares) -> f64 {
    let ideal = |servers: &[Server]| -> Vec<(ServerId, f64)> {
        let weight = |s: &Server| match shares {
            Shares::Weighted => f64::from(s.weight),
            Shares::Equal => 1.0,
        };
        let total: f64 = servers.iter().filter(|s| s.is_up()).map(weight).sum();
        servers
            .iter()
            .filter(|s| s.is_up())
            .map(|s| (s.id, if total > 0.0 { weight(s) / total } else { 0.0 }))
            .collect()
    };
    let (p, q) = (ideal(before), ideal(after));
    match (p.is_empty(), q.is_empty()) {
        (true, true) => return 0.0,
        (true, false) | (false, true) => return 1.0,
        _ => {}
    }
    let q_ids: Vec<ServerId> = q.iter().map(|&(id, _)| id).collect();
    let q_index = IdIndex::new(&q_ids);
    p.iter()
        .map(|&(id, share)| {
            let after = q_index.get(id).map_or(0.0, |k| q[k].1);
            (share - after).max(0.0)
        })
        .sum()
}
