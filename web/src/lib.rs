//! HashHalo's browser app.
//!
//! The app only translates events and draws: every number it shows comes from
//! `hashhalo-core`. State lives in signals in one [`AppState`], shared through Leptos context,
//! and the whole lab is kept in the page's address so a link reopens it exactly.

pub mod animation;
pub mod components;
pub mod drawing;
pub mod fan_out;
pub mod palette;
pub mod ring;
pub mod state;
pub mod svg;
pub mod url;

use leptos::prelude::*;

pub use animation::Animation;
pub use state::AppState;

use components::balance::Balance;
use components::controls::Controls;
use components::key_probe::KeyProbe;
use components::key_source::KeySource;
use components::legend::Legend;
use components::movement_matrix::MovementMatrix;
use components::movement_panel::MovementPanel;
use components::notices::{CopyLink, Notices};
use components::ring_key::RingKey;
use components::ring_view::RingView;
use components::server_list::ServerList;

/// Provides the state (read from the page's address) and the animation clock to `children`'s
/// context, and keeps the address in step.
pub fn provide_app_state() -> AppState {
    let (lab, notices) = url::read_from_location();
    let state = AppState::with_lab(lab, notices);
    state.awaited_keys.set(url::awaited_keys(
        &window().location().hash().unwrap_or_default(),
    ));
    provide_context(state);
    provide_context(Animation::install(state));
    url::sync_to_location(state);
    state
}

/// The whole app. The ring and the result of the last change share the stage and never
/// scroll away; the read-outs and the controls scroll beside them (below them on a phone).
#[component]
pub fn App() -> impl IntoView {
    let state = provide_app_state();
    let summary = move || {
        state.current.with(|c| {
            let l = c.lab();
            let uses_vnodes = l.router.algorithm.uses_vnodes();
            format!(
                "{} servers · {}{} · {} keys · hash {}",
                l.servers.len(),
                l.router.algorithm.name(),
                if uses_vnodes {
                    format!(
                        " · {} virtual nodes",
                        hashhalo_core::format::count(u64::from(l.router.vnodes))
                    )
                } else {
                    String::new()
                },
                hashhalo_core::format::count(c.keys().len() as u64),
                l.router.algorithm.key_hash(l.router.hash).name()
            )
        })
    };
    view! {
        <header class="top">
            <h1>"HashHalo"</h1>
            <p class="tagline">"Consistent hashing you can see."</p>
            <CopyLink />
        </header>
        <Notices />
        <main class="lab">
            <section class="stage" aria-label="The ring and what the last change moved">
                <div class="stage-grid">
                    <div class="ring-area">
                        <RingView />
                    </div>
                    <div class="result">
                        <MovementPanel />
                        <p class="summary" data-testid="summary">{summary}</p>
                        <RingKey />
                    </div>
                </div>
            </section>
            <div class="side">
                <Legend />
                <Balance />
                <MovementMatrix />
                <ServerList />
                <Controls />
                <KeySource />
                <KeyProbe />
                <p class="help">
                    "Drag a server's handle to turn it, or a virtual node tick to move it; with the keyboard, "
                    "focus a handle and use the arrow keys (Shift for big steps, Enter to pick its first virtual node)."
                </p>
            </div>
        </main>
    }
}
