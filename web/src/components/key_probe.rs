//! The key probe: type a key, see its hash, its place on the ring, its owner and replicas.

use hashhalo_core::geometry::position_to_angle;
use leptos::prelude::*;

use crate::state::AppState;

/// An input whose key is highlighted on the ring, with its hash, angle, owner and replicas.
/// Takes no props.
#[component]
pub fn KeyProbe() -> impl IntoView {
    let state = expect_context::<AppState>();
    let result = move || {
        let key = state.probe.get();
        if key.is_empty() {
            return None;
        }
        state.shown.with(|c| {
            let router = c.router().ok()?;
            let hash = router.key_hash();
            let h = hash.hash(key.as_bytes());
            let label = |id| {
                c.servers()
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.label.clone())
                    .unwrap_or_default()
            };
            let replicas: Vec<String> = router
                .preference(h, usize::from(c.lab().replicas))
                .into_iter()
                .map(label)
                .collect();
            let note = (c.lab().router.algorithm == hashhalo_core::algorithms::Algorithm::BoundedLoads)
                .then_some("The ring's order for this key; the load cap can send it further round when keys are assigned together.");
            Some((hash.name(), h, position_to_angle(h).to_degrees(), replicas, note))
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
            {move || result().map(|(hash, h, degrees, replicas, note)| view! {
                <dl class="probe-result">
                    <dt>{format!("{hash} hash")}</dt>
                    <dd data-testid="probe-hash"><code>{format!("{h:016x}")}</code></dd>
                    <dt>"Position"</dt>
                    <dd data-testid="probe-angle">{format!("{degrees:.2}° clockwise from 0")}</dd>
                    <dt>"Owner"</dt>
                    <dd data-testid="probe-owner">{replicas.first().cloned().unwrap_or_else(|| "none: every server is down".into())}</dd>
                    <dt>"Replicas"</dt>
                    <dd data-testid="probe-replicas">{replicas.join(", ")}</dd>
                </dl>
                <p class="hint">{note}</p>
            })}
        </section>
    }
}
