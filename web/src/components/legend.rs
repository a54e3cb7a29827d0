//! The legend: each server's colour, key count and share of the ring.

use hashhalo_core::ServerId;
use hashhalo_core::stats::key_counts;
use leptos::prelude::*;

use crate::AppState;
use crate::palette::colour;

/// Lists every server of the shown state with its colour, its key count, its share of the
/// keys and its share of the hash space. Takes no props.
#[component]
pub fn Legend() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        state.shown.with(|c| {
            let servers = c.servers().to_vec();
            let ids: Vec<ServerId> = servers.iter().map(|s| s.id).collect();
            let counts = key_counts(&c.owners, &ids);
            let total = c.keys.len().max(1) as f64;
            let (shares, _) = c.router.as_ref().map(|r| r.ownership()).unwrap_or_default();
            servers
                .into_iter()
                .enumerate()
                .map(|(i, server)| {
                    let share = shares.get(i).copied().unwrap_or(0.0) * 100.0;
                    view! {
                        <li class="legend-row" class:down=!server.is_up() data-server=server.label.clone()>
                            <span class="swatch" style=format!("background:{}", colour(server.id))></span>
                            <span class="label">{server.label.clone()}</span>
                            <span class="count" data-testid="count">{counts[i]}</span>
                            <span class="unit">{format!(" keys · {:.1} %", counts[i] as f64 / total * 100.0)}</span>
                            <span class="share" title="share of the hash space">{format!("{share:.1} %")}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <ul class="legend" aria-label="Servers">
            {rows}
        </ul>
    }
}
