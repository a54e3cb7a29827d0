//! The Maglev lookup table fill (Eisenbud et al., "Maglev: A Fast and Reliable Software
//! Network Load Balancer", NSDI 2016), with Envoy's weights.
//!
//! Every entry (a backend) has a preferred order of the table's `M` slots, the permutation
//! `(offset + skip · j) mod M` for `j = 0, 1, 2, …`. Entries take turns claiming their next
//! preferred free slot until the table is full. With a prime `M` and `skip` in `1..M`, each
//! permutation visits every slot, so the table fills and every entry owns about `M / n` slots.
//!
//! Weights follow Envoy's `maglev_lb.cc` (`OriginalMaglevTable::constructImplementationInternals`):
//! in round `r = 1, 2, …` an entry of weight `w` takes its turn only if `r · w ≥ target`, and
//! every turn raises its `target` by the largest weight. An entry of the largest weight so
//! takes a turn every round and one of a third of it every third round. The comparisons are in
//! `f64` exactly as Envoy evaluates them, so passing Envoy's normalised weights reproduces
//! Envoy's table bit for bit.
//!
//! With equal weights the test never skips anyone (for tables up to [`MAX_TABLE_SIZE`] slots
//! the running `f64` sum of `r − 1` equal weights stays below `r` times the weight), so plain,
//! unweighted Maglev — the paper's Listing 1 — is the special case of all weights equal.
//!
//! ```
//! use hashhalo_core::maglev_table::{MaglevEntry, fill};
//!
//! let entries = [
//!     MaglevEntry { offset: 3, skip: 4, weight: 1.0 },
//!     MaglevEntry { offset: 0, skip: 2, weight: 1.0 },
//!     MaglevEntry { offset: 3, skip: 1, weight: 1.0 },
//! ];
//! // The paper's Figure 3 (backends B0, B1, B2; M = 7).
//! assert_eq!(fill(&entries, 7), [1, 0, 1, 0, 2, 2, 0]);
//! ```

/// The largest table [`fill`] builds (2²⁶ slots, 256 MiB); larger sizes give an empty table.
///
/// Envoy's own limit is 5,000,011.
///
/// ```
/// assert_eq!(hashhalo_core::maglev_table::MAX_TABLE_SIZE, 1 << 26);
/// ```
pub const MAX_TABLE_SIZE: u64 = 1 << 26;

/// One backend's place in the fill: where its permutation starts, its stride, and its weight.
///
/// `offset` and `skip` are used modulo the table size; for the table to fill as the paper
/// intends, the table size should be prime and `skip` in `1..M`, as
/// [`MaglevEntry::from_hashes`] makes them.
///
/// `weight` is compared in `f64` as Envoy does (see the [module docs](self)). Only ratios
/// matter up to rounding, but to reproduce Envoy bit for bit pass Envoy's normalised weights
/// (the host's share of the total, per locality when locality weighting is on). Weights that
/// are negative or NaN count as 0; an entry of weight 0 takes one slot in the first round and
/// none after it (unless every weight is 0, which is plain Maglev).
///
/// ```
/// use hashhalo_core::maglev_table::MaglevEntry;
///
/// let e = MaglevEntry { offset: 2, skip: 4, weight: 0.5 };
/// assert_eq!(e.skip, 4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MaglevEntry {
    /// The first slot of the entry's permutation.
    pub offset: u64,
    /// The stride of the entry's permutation.
    pub skip: u64,
    /// The entry's weight.
    pub weight: f64,
}

impl MaglevEntry {
    /// The entry for a backend whose two hashes are `offset_hash` and `skip_hash`, as the
    /// paper and Envoy derive it: `offset = offset_hash mod M` and
    /// `skip = skip_hash mod (M − 1) + 1`. For `M ≤ 1` the entry is `offset 0, skip 1`.
    ///
    /// ```
    /// use hashhalo_core::maglev_table::MaglevEntry;
    /// use xxhash_rust::xxh64::xxh64;
    ///
    /// // SPEC.md §4.1: Envoy's host 127.0.0.1:90 in a table of 7.
    /// let key = b"127.0.0.1:90";
    /// let e = MaglevEntry::from_hashes(xxh64(key, 0), xxh64(key, 1), 7, 1.0);
    /// assert_eq!((e.offset, e.skip), (2, 4));
    /// ```
    pub fn from_hashes(
        offset_hash: u64,
        skip_hash: u64,
        table_size: u64,
        weight: f64,
    ) -> MaglevEntry {
        if table_size <= 1 {
            return MaglevEntry {
                offset: 0,
                skip: 1,
                weight,
            };
        }
        MaglevEntry {
            offset: offset_hash % table_size,
            skip: skip_hash % (table_size - 1) + 1,
            weight,
        }
    }
}

/// Marks a free slot while filling.
const FREE: u32 = u32::MAX;

/// Fills a Maglev table of `table_size` slots and returns, for each slot, the index in
/// `entries` of the entry that owns it.
///
/// Entries take turns in the order given (Envoy sorts its hosts by hash key first); see the
/// [module docs](self) for the weighted rounds.
///
/// Never panics and always terminates. The result is empty when `entries` is empty,
/// `table_size` is 0 or above [`MAX_TABLE_SIZE`], or there are more than `u32::MAX − 1`
/// entries. `table_size` need not be prime: when an entry's permutation does not cover the
/// whole table (its `skip` shares a factor with `table_size`) and every slot it visits is
/// taken, it takes the first free slot after its last probe instead, so the table still fills.
/// That never happens with a prime size and `skip` in `1..table_size`, where the result is
/// Envoy's.
///
/// ```
/// use hashhalo_core::maglev_table::{MaglevEntry, fill};
///
/// let entries = [
///     MaglevEntry { offset: 0, skip: 1, weight: 2.0 },
///     MaglevEntry { offset: 0, skip: 1, weight: 1.0 },
/// ];
/// let table = fill(&entries, 11);
/// assert_eq!(table.len(), 11);
/// assert_eq!(table.iter().filter(|&&e| e == 0).count(), 7); // twice as many turns, 7 to 4
/// assert!(fill(&entries, 0).is_empty());
/// assert!(fill(&[], 11).is_empty());
/// assert_eq!(fill(&entries, 12).len(), 12); // not prime: still filled
/// ```
pub fn fill(entries: &[MaglevEntry], table_size: u64) -> Vec<u32> {
    if entries.is_empty()
        || table_size == 0
        || table_size > MAX_TABLE_SIZE
        || entries.len() >= FREE as usize
    {
        return Vec::new();
    }
    let m = table_size;
    let weights: Vec<f64> = entries
        .iter()
        .map(|e| if e.weight >= 0.0 { e.weight } else { 0.0 })
        .collect();
    let max_weight = weights.iter().copied().fold(0.0f64, f64::max);

    struct Turn {
        offset: u64,
        skip: u64,
        /// The length of the entry's permutation cycle: `m / gcd(skip, m)`.
        period: u64,
        next: u64,
        target: f64,
    }
    let mut turns: Vec<Turn> = entries
        .iter()
        .map(|e| {
            let skip = e.skip % m;
            Turn {
                offset: e.offset % m,
                skip,
                period: m / gcd(skip, m),
                next: 0,
                target: 0.0,
            }
        })
        .collect();
    // Envoy computes `(offset + skip * next) % M` in u64; with the reduced operands below and
    // `M ≤ 2²⁶` nothing overflows, and the values agree with Envoy's whenever Envoy's do not
    // wrap (always, for a prime M, where `next` stays below M).
    let slot = |t: &Turn| ((t.offset + t.skip * (t.next % m)) % m) as usize;

    let mut table = vec![FREE; m as usize];
    let mut filled = 0u64;
    let mut iteration: u32 = 1;
    // Belt and braces: with weights as described a round always places something (the
    // heaviest entry takes every turn); should a round ever place nothing, the weights are
    // ignored from then on so the loop still ends.
    let mut ignore_weights = false;
    while filled < m {
        let mut placed = false;
        for (i, t) in turns.iter_mut().enumerate() {
            if filled >= m {
                break;
            }
            if !ignore_weights && f64::from(iteration) * weights[i] < t.target {
                continue;
            }
            t.target += max_weight;
            let mut c = slot(t);
            let mut probes = 1u64;
            while table[c] != FREE {
                if probes >= t.period {
                    // The permutation has come full circle: take the next free slot instead.
                    // The table is not full, so one exists.
                    let free = (1..m as usize)
                        .map(|d| (c + d) % m as usize)
                        .find(|&s| table[s] == FREE);
                    match free {
                        Some(s) => c = s,
                        None => return table_or_empty(table),
                    }
                    break;
                }
                t.next += 1;
                c = slot(t);
                probes += 1;
            }
            table[c] = i as u32;
            t.next += 1;
            filled += 1;
            placed = true;
        }
        if !placed {
            ignore_weights = true;
        }
        iteration = iteration.saturating_add(1);
    }
    table
}

/// The table, or an empty one if a slot was left free (which the fill never does).
fn table_or_empty(table: Vec<u32>) -> Vec<u32> {
    if table.contains(&FREE) {
        Vec::new()
    } else {
        table
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
