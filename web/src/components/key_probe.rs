//! The key probe: type a key, see its hash, its place on the ring, its owner and its whole
//! preference list; with a server down, which of its replicas took over.

use hashhalo_core::algorithms::{Algorithm, Router};
use hashhalo_core::geometry::position_to_angle;
use hashhalo_core::{ServerId, Status};
use leptos::prelude::*;

use crate::state::AppState;

/// One entry of the probed key's preference list.
#[derive(Debug, Clone, PartialEq)]
struct Replica {
    label: String,
    /// Down: the list skips it, and the next one serves in its place.
    down: bool,
    /// The server that answers for the key now.
    serving: bool,
}

/// An input whose key is highlighted on the ring, with its hash, angle, owner and replicas.
/// Takes no props.
#[component]
pub fn KeyProbe() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let result = move || {
        let key = state.probe.get();
        if key.is_empty() {
            return None;
        }
        state.shown.with(|c| {
            let router = c.router().ok()?;
            let hash = router.key_hash();
            let h = hash.hash(key.as_bytes());
            let lab = c.lab();
            let replicas = usize::from(lab.replicas);
            let label = |id: ServerId| {
                c.servers()
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.label.clone())
                    .unwrap_or_default()
            };
            let live = router.preference(h, replicas);
            // Bounded loads' owners depend on every key; for a key of the set, the one it got.
            let assigned = (lab.router.algorithm == Algorithm::BoundedLoads)
                .then(|| c.keys().keys().iter().position(|k| *k == key))
                .flatten()
                .and_then(|i| c.owners()[i]);
            let owner = assigned.or_else(|| live.first().copied());
            // With servers down, the list the key would have with all of them up shows which
            // ones it skips and who took over.
            let any_down = lab.servers.iter().any(|s| !s.is_up());
            let planned = if any_down && !state.dragging.get() {
                let mut all_up = lab.servers.clone();
                all_up.iter_mut().for_each(|s| s.status = Status::Up);
                Router::build(&all_up, &lab.router)
                    .map(|r| r.preference(h, replicas + lab.servers.iter().filter(|s| !s.is_up()).count()))
                    .unwrap_or_default()
            } else {
                live.clone()
            };
            let mut list: Vec<Replica> = Vec::new();
            let mut up_taken = 0;
            for id in planned {
                let down = lab.servers.iter().any(|s| s.id == id && !s.is_up());
                if !down {
                    if up_taken == replicas {
                        break;
                    }
                    up_taken += 1;
                }
                list.push(Replica {
                    label: label(id),
                    down,
                    serving: Some(id) == owner,
                });
            }
            let note = (lab.router.algorithm == Algorithm::BoundedLoads).then_some(if assigned.is_some() {
                "The owner is the server this key got when the keys were assigned under the load cap; the list is the ring's order."
            } else {
                "This key is not in the lab's key set: the owner is the ring's first choice, which the load cap can pass over."
            });
            Some((hash.name(), h, position_to_angle(h).to_degrees(), owner.map(label), list, note))
        })
    };
    view! {
        <section class="probe-panel" aria-label="Key probe">
            <h2>"Key probe"</h2>
            <label class="row">
                <span>"Key"</span>
                <input
                    type="text"
                    aria-label="Key to probe"
                    placeholder="user:42"
                    prop:value=move || state.probe.get()
                    on:input=move |ev| state.probe.set(event_target_value(&ev))
                />
            </label>
            {move || result().map(|(hash, h, degrees, owner, list, note)| view! {
                <dl class="probe-result">
                    <dt>{format!("{hash} hash")}</dt>
                    <dd data-testid="probe-hash"><code>{format!("{h:016x}")}</code></dd>
                    <dt>"Position"</dt>
                    <dd data-testid="probe-angle">{format!("{}° clockwise from 0", hashhalo_core::format::fixed(degrees, 2))}</dd>
                    <dt>"Owner"</dt>
                    <dd data-testid="probe-owner">{owner.unwrap_or_else(|| "none: every server is down".into())}</dd>
                    <dt>"Preference list"</dt>
                    <dd data-testid="probe-replicas">
                        <ol class="replica-list">
                            {list.into_iter().map(|r| view! {
                                <li class:down=r.down>
                                    {r.label}
                                    {if r.down { " (down)" } else if r.serving { " — serving" } else { "" }}
                                </li>
                            }).collect_view()}
                        </ol>
                    </dd>
                </dl>
                <p class="hint">{note}</p>
            })}
        </section>
    }
}
