//! The app's state: a few source signals and the memos derived from them by the core.

use hashhalo_core::{KeySet, KeySource, Ring, RingConfig, RingError, Server, ServerId};
use leptos::prelude::*;

/// Everything the components read, shared through context. Copy it freely: it holds only
/// signal handles.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The servers, in display order.
    pub servers: RwSignal<Vec<Server>>,
    /// Virtual nodes per unit of weight.
    pub vnodes: RwSignal<u32>,
    /// Where the keys come from.
    pub key_source: RwSignal<KeySource>,
    /// The ring built from `servers` and `vnodes`.
    pub ring: Memo<Result<Ring, RingError>>,
    /// The generated keys with their positions.
    pub keys: Memo<KeySet>,
    /// Each key's owner, in key order.
    pub owners: Memo<Vec<Option<ServerId>>>,
}

impl AppState {
    /// Seed 000's opening state: servers A, B and C, 100 virtual nodes each, 1000 keys.
    pub fn new() -> AppState {
        let servers = RwSignal::new(vec![
            Server::new(0, "A"),
            Server::new(1, "B"),
            Server::new(2, "C"),
        ]);
        let vnodes = RwSignal::new(100);
        let key_source = RwSignal::new(KeySource::default());
        let ring = Memo::new(move |_| {
            let config = RingConfig {
                vnodes: vnodes.get(),
                ..RingConfig::default()
            };
            servers.with(|s| Ring::build(s, &config))
        });
        let keys = Memo::new(move |_| KeySet::generate(&key_source.get()));
        let owners = Memo::new(move |_| {
            ring.with(|ring| match ring {
                Ok(ring) => keys.with(|keys| ring.assign(keys)),
                Err(_) => Vec::new(),
            })
        });
        AppState {
            servers,
            vnodes,
            key_source,
            ring,
            keys,
            owners,
        }
    }
}

impl Default for AppState {
    fn default() -> AppState {
        AppState::new()
    }
}
