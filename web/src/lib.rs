//! HashHalo's browser app.
//!
//! The app only translates events and draws: every number it shows comes from
//! `hashhalo-core`. State lives in signals in one [`AppState`], shared through Leptos context.

pub mod components;
pub mod palette;
pub mod state;
pub mod svg;

use leptos::prelude::*;

pub use state::AppState;

use components::legend::Legend;
use components::ring_view::RingView;

/// The whole app: a header, the ring and its legend.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let summary = move || {
        let servers = state.servers.with(Vec::len);
        let vnodes = state.vnodes.get();
        let keys = state.keys.with(|k| k.len());
        format!("{servers} servers × {vnodes} virtual nodes · {keys} keys · xxh3")
    };
    view! {
        <header class="top">
            <h1>"HashHalo"</h1>
            <p class="tagline">"Consistent hashing you can see."</p>
        </header>
        <main class="lab">
            <section class="stage">
                <RingView />
            </section>
            <aside class="side">
                <p class="summary" data-testid="summary">{summary}</p>
                <Legend />
            </aside>
        </main>
    }
}
