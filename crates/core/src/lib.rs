//! Consistent hashing, deterministic and exact: the engine behind HashHalo.
//!
//! The crate knows nothing of a user interface. It places servers on a ring, assigns keys to
//! them and measures the result; every function is pure and gives the same answer natively and
//! in WebAssembly.
//!
//! # Conventions
//!
//! These are stated once here and hold everywhere in the crate.
//!
//! - **Hash space.** A ring position is a [`u64`]; the ring is the whole range `0..=u64::MAX`,
//!   and position `u64::MAX` is followed by position `0`.
//! - **Hashing.** Keys and virtual-node names are hashed as their UTF-8 bytes, with no length
//!   prefix and no terminator, by the function a [`HashFn`] names (xxh3-64 with seed 0 unless
//!   said otherwise). `std::hash::Hash` is never used to place anything: its output is not
//!   stable across Rust releases.
//! - **Virtual nodes.** Virtual node `i` (counting from 0) of a server labelled `label` sits at
//!   the hash of the string `"{label}#{i}"`, for example `"A#0"`, `"A#1"`, turned clockwise by
//!   the server's `shift`; a [`Pin`] puts one at an explicit position instead. A server of
//!   weight `w` has `w × vnodes` of them. Points on the same position are ordered by server
//!   id, then index, and the first of them owns the keys.
//! - **Ownership.** A key at position `h` belongs to the first virtual node at a position `p`
//!   with `p >= h`, going clockwise and wrapping past `u64::MAX` to the lowest point. So a
//!   point owns the half-open arc `(previous point, point]`.
//! - **Geometry.** Position 0 is drawn at 12 o'clock and positions grow clockwise; a full turn
//!   is 2⁶⁴ positions. Angles are in radians, measured clockwise from 12 o'clock, in `[0, 2π)`.
//!   Screen vectors have x to the right and y *down*, as in SVG.
//!
//! # Where things are
//!
//! - [`Ring`]: the ring with virtual nodes, its fast lookup, arcs and exact ownership.
//! - [`algorithms`]: every algorithm behind one [`algorithms::Router`], with replication.
//! - [`presets`]: nginx, libketama and Envoy, point for point (vectors in `compat/`).
//! - [`movement`]: which keys moved, the from→to matrix, the minimum possible movement.
//! - [`stats`]: load spread and the `1/√v` expectation. [`geometry`]: angles and positions.
//! - [`lab`]: the whole configuration and its share-link encoding. [`import`]: key lists.
//! - [`snapshot`]: one state of the lab computed, and the movement between two states.
//! - [`edit`]: every change to the lab as data, applied by one function.
//! - [`explain`]: what a change did, in the words the app and the CLI both print.
//! - [`link`]: what the page's address holds: a lab or a scenario step, and the view.
//! - [`scenario`]: scenarios of steps, their checks, the built-ins and their link form.
//! - [`format`]: numbers as the app and the CLI write them.
//!
//! # Example
//!
//! ```
//! use hashhalo_core::{KeySet, KeySource, Ring, RingConfig, Server};
//!
//! let servers = vec![Server::new(0, "A"), Server::new(1, "B"), Server::new(2, "C")];
//! let ring = Ring::build(&servers, &RingConfig::default()).unwrap();
//! let keys = KeySet::generate(&KeySource::default());
//! let owners = ring.assign(&keys);
//! assert_eq!(owners.len(), keys.len());
//! ```

#![warn(missing_docs)]

pub mod algorithms;
pub mod base64url;
pub mod compare;
pub mod crc32;
pub mod edit;
mod error;
pub mod experiment;
pub mod explain;
pub mod format;
pub mod geometry;
mod hash;
pub mod import;
pub mod keys;
pub mod lab;
pub mod link;
pub mod maglev_table;
pub mod movement;
pub mod order;
pub mod presets;
mod ring;
pub mod scenario;
mod server;
pub mod snapshot;
pub mod stats;
pub mod work;

pub use error::RingError;
pub use hash::{HashFn, TOY_SLOTS};
pub use keys::{KeyKind, KeySet, KeySource};
pub use ring::{Arc, PreferenceTable, Ring, RingConfig, VnodePoint};
pub use server::{Pin, Server, ServerId, Status};
