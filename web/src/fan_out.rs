//! One signal per item of a keyed list, set only when that item changes.
//!
//! A memo per item that reads a list which changes on every frame of a drag still wakes every
//! effect below it on every frame, changed or not. [`FanOut`] compares each item itself and
//! sets only the signals whose item changed, so a frame wakes only the views of those items.

use std::collections::HashMap;
use std::hash::Hash;

use leptos::prelude::*;

/// Signals by key, brought up to date with [`FanOut::update`] and read with [`FanOut::get`].
///
/// ```
/// use hashhalo_web::fan_out::FanOut;
/// use leptos::prelude::*;
///
/// let owner = Owner::new();
/// owner.set();
/// let rows = FanOut::<u32, String>::new();
/// assert_eq!(rows.update([(1, "a".to_string()), (2, "b".to_string())]), vec![1, 2]);
/// let one = rows.get(1);
/// rows.update([(1, "z".to_string())]);
/// assert_eq!(one.get_untracked(), "z");
/// ```
pub struct FanOut<K: 'static, V: 'static> {
    signals: StoredValue<HashMap<K, ArcRwSignal<V>>, LocalStorage>,
}

impl<K: 'static, V: 'static> Clone for FanOut<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: 'static, V: 'static> Copy for FanOut<K, V> {}

impl<K, V> FanOut<K, V>
where
    K: Copy + Eq + Hash + 'static,
    V: Clone + Default + PartialEq + Send + Sync + 'static,
{
    /// No items yet.
    pub fn new() -> FanOut<K, V> {
        FanOut {
            signals: StoredValue::new_local(HashMap::new()),
        }
    }

    /// Sets each item's signal whose value differs from `items`, forgets keys no longer
    /// listed, and returns the keys in order: call it from the `each` of a `<For>` that
    /// draws one view per key.
    pub fn update(&self, items: impl IntoIterator<Item = (K, V)>) -> Vec<K> {
        let mut keys = Vec::new();
        self.signals.update_value(|map| {
            for (key, value) in items {
                keys.push(key);
                match map.get(&key) {
                    Some(signal) => {
                        if signal.with_untracked(|old| *old != value) {
                            signal.set(value);
                        }
                    }
                    None => {
                        map.insert(key, ArcRwSignal::new(value));
                    }
                }
            }
            if map.len() > keys.len() {
                map.retain(|k, _| keys.contains(k));
            }
        });
        keys
    }

    /// The signal of `key`'s item (its default value until [`FanOut::update`] lists it),
    /// owned by the caller's reactive owner.
    pub fn get(&self, key: K) -> ReadSignal<V> {
        let signal = self.signals.with_value(|map| map.get(&key).cloned());
        let signal = signal.unwrap_or_else(|| {
            let signal = ArcRwSignal::new(V::default());
            self.signals
                .update_value(|map| _ = map.insert(key, signal.clone()));
            signal
        });
        ReadSignal::from(signal.read_only())
    }
}

impl<K, V> Default for FanOut<K, V>
where
    K: Copy + Eq + Hash + 'static,
    V: Clone + Default + PartialEq + Send + Sync + 'static,
{
    fn default() -> FanOut<K, V> {
        FanOut::new()
    }
}
