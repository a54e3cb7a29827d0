//! The legend: each server's colour, key count and share of the ring.

use hashhalo_core::stats::key_counts;
use hashhalo_core::{ServerId, Status};
use leptos::prelude::*;

use crate::AppState;
use crate::palette::colour;

/// Lists every server with its colour, its key count and its exact share of the ring, from
/// [`AppState`]. Takes no props.
#[component]
pub fn Legend() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        let servers = state.servers.get();
        let ids: Vec<ServerId> = servers.iter().map(|s| s.id).collect();
        let counts = state.owners.with(|o| key_counts(o, &ids));
        let shares = state
            .ring
            .with(|r| r.as_ref().map(|r| r.ownership()).unwrap_or_default());
        servers
            .into_iter()
            .enumerate()
            .map(|(i, server)| {
                let share = shares.get(i).copied().unwrap_or(0.0) * 100.0;
                let down = server.status == Status::Down;
                view! {
                    <li class="legend-row" class:down=down data-server=server.label.clone()>
                        <span class="swatch" style=format!("background:{}", colour(server.id))></span>
                        <span class="label">{server.label.clone()}</span>
                        <span class="count" data-testid="count">{counts[i]}</span>
                        <span class="unit">" keys"</span>
                        <span class="share">{format!("{share:.1} %")}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <ul class="legend" aria-label="Servers">
            {rows}
        </ul>
    }
}
