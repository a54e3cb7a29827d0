//! The parameter of the algorithm on show, when it has one: Maglev's table size, multi-probe's
//! number of probes, bounded loads' capacity factor, AnchorHash's anchor size.

use hashhalo_core::algorithms::Algorithm;
use hashhalo_core::edit::Edit;
use hashhalo_core::format::{count, decimal};
use leptos::prelude::*;

use crate::state::{AppState, LIMITS};

/// Prime table sizes offered for Maglev: the paper's example, small ones that show the table's
/// granularity, Envoy's default, and the largest the lab allows.
const TABLE_SIZES: [u64; 8] = [7, 13, 101, 251, 1_021, 4_093, 65_537, 1_000_003];

/// One row for the shown algorithm's parameter; nothing for algorithms without one. Every
/// change is one [`Edit`]. Takes no props.
#[component]
pub fn Parameters() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let lab = state.lab;
    let algorithm = move || lab.with(|l| l.router.algorithm);
    let error = RwSignal::new(None::<String>);
    let apply = move |edit: Edit| match state.change(edit) {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(e.to_string())),
    };
    let servers = move || lab.with(|l| l.servers.len() as u64);
    view! {
        <div class="parameters">
            <label class="row" class:hidden=move || !matches!(algorithm(), Algorithm::Maglev | Algorithm::EnvoyMaglev)>
                <span>"Table size"</span>
                <select
                    aria-label="Maglev table size"
                    prop:value=move || lab.with(|l| l.router.maglev_table_size).to_string()
                    on:change=move |ev| {
                        if let Ok(m) = event_target_value(&ev).parse::<u64>() {
                            apply(Edit::SetTableSize(m));
                        }
                    }
                >
                    {TABLE_SIZES.into_iter().map(|m| view! {
                        <option value=m.to_string() prop:disabled=move || m < servers()>{count(m)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="row slider" class:hidden=move || algorithm() != Algorithm::MultiProbe>
                <span>"Probes"</span>
                <input
                    type="range"
                    aria-label="Probes per key"
                    min="1"
                    max=LIMITS.max_probes
                    prop:value=move || lab.with(|l| l.router.probes).to_string()
                    on:input=move |ev| {
                        if let Ok(k) = event_target_value(&ev).parse::<u32>() {
                            state.gesture_step(Edit::SetProbes(k));
                        }
                    }
                    on:change=move |_| state.end_drag()
                />
                <output data-testid="probes-value">{move || lab.with(|l| l.router.probes)}</output>
            </label>
            <label class="row slider" class:hidden=move || algorithm() != Algorithm::BoundedLoads>
                <span>"Load cap"</span>
                <input
                    type="range"
                    aria-label="Load cap factor"
                    min="101"
                    max="300"
                    prop:value=move || ((lab.with(|l| l.router.load_factor) * 100.0).round() as u32).to_string()
                    on:input=move |ev| {
                        if let Ok(c) = event_target_value(&ev).parse::<u32>() {
                            state.gesture_step(Edit::SetLoadFactor(f64::from(c) / 100.0));
                        }
                    }
                    on:change=move |_| state.end_drag()
                />
                <output data-testid="load-factor-value">{move || format!("{} ×", decimal(lab.with(|l| l.router.load_factor), 2))}</output>
            </label>
            <label class="row slider" class:hidden=move || algorithm() != Algorithm::Anchor>
                <span>"Anchor size"</span>
                <input
                    type="range"
                    aria-label="Anchor size"
                    min="1"
                    max="1024"
                    prop:value=move || lab.with(|l| l.router.anchor_capacity).to_string()
                    on:input=move |ev| {
                        if let Ok(a) = event_target_value(&ev).parse::<u32>() {
                            state.gesture_step(Edit::SetAnchorCapacity(a));
                        }
                    }
                    on:change=move |_| state.end_drag()
                />
                <output data-testid="anchor-value">{move || count(u64::from(lab.with(|l| l.router.anchor_capacity)))}</output>
            </label>
            <p class="error" role="alert" data-testid="parameter-error">{move || error.get()}</p>
        </div>
    }
}
