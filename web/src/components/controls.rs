//! The global controls: algorithm, hash, virtual nodes, key count, replication factor.

use hashhalo_core::HashFn;
use hashhalo_core::algorithms::Algorithm;
use hashhalo_core::edit::Edit;
use hashhalo_core::format::count;
use leptos::prelude::*;

use crate::components::parameters::Parameters;
use crate::state::{AppState, KeyOrigin, LIMITS};

/// Key-count slider positions: 0..=500 maps to 10..=1 000 000 keys on a log scale.
const KEY_SLIDER_MAX: u32 = 500;

/// The key count at slider position `v`.
pub fn keys_at(v: u32) -> u32 {
    (10f64 * 10f64.powf(f64::from(v.min(KEY_SLIDER_MAX)) / 100.0)).round() as u32
}

/// The slider position nearest to `count` keys.
pub fn slider_for(count: u32) -> u32 {
    ((f64::from(count.max(1)) / 10.0).log10() * 100.0)
        .round()
        .clamp(0.0, f64::from(KEY_SLIDER_MAX)) as u32
}

/// Algorithm and hash pickers and the global sliders. Every change is one change of
/// [`AppState`], shown as a before/after. Takes no props.
#[component]
pub fn Controls() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let lab = state.lab;
    let pasted = move || state.key_origin.with(|o| matches!(o, KeyOrigin::Custom(_)));
    let algorithm = move || lab.with(|l| l.router.algorithm);
    let preset_hash = move || {
        let a = algorithm();
        a.fixes_hash().then(|| a.key_hash(HashFn::Xxh3))
    };
    let uses_vnodes = move || algorithm().uses_vnodes();
    // The most virtual nodes the point budget allows for these weights.
    let most_vnodes = move || {
        lab.with(|l| {
            let weight: u64 = l.servers.iter().map(|s| u64::from(s.weight)).sum();
            (LIMITS.max_points / weight.max(1)).min(u64::from(LIMITS.max_vnodes))
        })
    };

    view! {
        <fieldset class="controls">
            <legend>"Placement"</legend>
            <label class="row">
                <span>"Algorithm"</span>
                <select
                    aria-label="Algorithm"
                    prop:value=move || algorithm().name()
                    on:change=move |ev| {
                        if let Some(a) = Algorithm::from_name(&event_target_value(&ev)) {
                            let _ = state.change(Edit::SetAlgorithm(a));
                        }
                    }
                >
                    {Algorithm::ALL.into_iter().map(|a| view! { <option value=a.name()>{a.name()}</option> }).collect_view()}
                </select>
            </label>
            <label class="row">
                <span>"Hash"</span>
                <select
                    aria-label="Hash"
                    prop:value=move || preset_hash().unwrap_or_else(|| lab.with(|l| l.router.hash)).name()
                    prop:disabled=move || preset_hash().is_some()
                    on:change=move |ev| {
                        if let Some(h) = HashFn::from_name(&event_target_value(&ev)) {
                            let _ = state.change(Edit::SetHash(h));
                        }
                    }
                >
                    {HashFn::ALL.into_iter().map(|h| view! { <option value=h.name()>{h.name()}</option> }).collect_view()}
                </select>
            </label>
            <Parameters />
            <p class="hint" class:hidden=move || preset_hash().is_none()>
                {move || preset_hash().map(|h| format!("This preset hashes keys with {} as the real system does.", h.name()))}
            </p>
            <label class="row slider">
                <span>"Virtual nodes"</span>
                <input
                    type="range"
                    aria-label="Virtual nodes per server"
                    min="1"
                    max=most_vnodes
                    prop:value=move || lab.with(|l| l.router.vnodes).to_string()
                    prop:disabled=move || !uses_vnodes()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                            state.gesture_step(Edit::SetVnodes(v));
                        }
                    }
                    on:change=move |_| state.end_drag()
                />
                <output data-testid="vnodes-value">{move || count(u64::from(lab.with(|l| l.router.vnodes)))}</output>
            </label>
            <label class="row slider">
                <span>"Keys"</span>
                <input
                    type="range"
                    aria-label="Key count"
                    min="0"
                    max=KEY_SLIDER_MAX
                    prop:value=move || slider_for(lab.with(|l| l.keys.count)).to_string()
                    prop:disabled=pasted
                    title=move || if pasted() { "Pasted keys are in use: the count is theirs" } else { "" }
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                            state.gesture_step(Edit::SetKeyCount(keys_at(v)));
                        }
                    }
                    on:change=move |_| state.end_drag()
                />
                // With pasted keys, the count shown is theirs, not the generator's.
                <output data-testid="keys-value">
                    {move || count(if pasted() { state.current.with(|c| c.keys().len() as u64) } else { lab.with(|l| u64::from(l.keys.count)) })}
                </output>
            </label>
            <label class="row slider">
                <span>"Replication factor"</span>
                <input
                    type="range"
                    aria-label="Replication factor"
                    min="1"
                    max=LIMITS.max_replicas
                    prop:value=move || lab.with(|l| l.replicas).to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u8>() {
                            state.gesture_step(Edit::SetReplicas(v));
                        }
                    }
                    on:change=move |_| state.end_drag()
                />
                <output data-testid="replicas-value">{move || lab.with(|l| l.replicas)}</output>
            </label>
        </fieldset>
    }
}
