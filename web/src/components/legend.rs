//! The legend: each server's colour, key count and share of the ring.

use hashhalo_core::ServerId;
use hashhalo_core::stats::key_counts;
use leptos::prelude::*;

use crate::AppState;
use crate::fan_out::FanOut;
use crate::palette::colour;

/// One legend row's figures.
#[derive(Debug, Clone, Default, PartialEq)]
struct Row {
    label: String,
    up: bool,
    count: u64,
    key_share: f64,
    space_share: f64,
}

/// Lists every server of the shown state with its colour, its key count, its share of the
/// keys and its share of the hash space. Takes no props.
#[component]
pub fn Legend() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = Memo::new(move |_| {
        state.shown.with(|c| {
            let ids: Vec<ServerId> = c.servers().iter().map(|s| s.id).collect();
            let counts = key_counts(c.owners(), &ids);
            let total = c.keys().len().max(1) as f64;
            let (shares, _) = c.router().map(|r| r.ownership()).unwrap_or_default();
            c.servers()
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let row = Row {
                        label: s.label.clone(),
                        up: s.is_up(),
                        count: counts[i],
                        key_share: counts[i] as f64 / total * 100.0,
                        space_share: shares.get(i).copied().unwrap_or(0.0) * 100.0,
                    };
                    (s.id, row)
                })
                .collect::<Vec<_>>()
        })
    });
    // Keyed rows, each fed by its own signal: a drag wakes only the rows that changed.
    let fan = FanOut::<ServerId, Row>::new();
    let ids = move || rows.with(|r| fan.update(r.iter().cloned()));
    let row = move |id: ServerId| {
        let mine = fan.get(id);
        let get = move |f: fn(&Row) -> String| mine.with(f);
        view! {
            <li
                class="legend-row"
                class:down=move || mine.with(|r| !r.up)
                data-server=move || get(|r| r.label.clone())
            >
                <span class="swatch" style=format!("background:{}", colour(id))></span>
                <span class="label">{move || get(|r| r.label.clone())}</span>
                <span class="count" data-testid="count">{move || get(|r| r.count.to_string())}</span>
                <span class="unit">{move || get(|r| format!(" keys · {:.1} %", r.key_share))}</span>
                <span class="share" title="share of the hash space">{move || get(|r| format!("{:.1} %", r.space_share))}</span>
            </li>
        }
    };
    view! {
        <ul class="legend" aria-label="Servers">
            <For each=ids key=|id| *id let:id>
                {row(id)}
            </For>
        </ul>
    }
}
