//! HashHalo's browser app.
//!
//! The app only translates events and draws: every number it shows comes from
//! `hashhalo-core`. State lives in signals in one [`AppState`], shared through Leptos context,
//! and the whole lab is kept in the page's address so a link reopens it exactly.

pub mod animation;
pub mod chart;
pub mod components;
pub mod deck;
pub mod deferred;
pub mod download;
pub mod drawing;
pub mod export;
pub mod fan_out;
pub mod offload;
pub mod offload_jobs;
pub mod palette;
pub mod player;
pub mod record;
pub mod ring;
pub mod share;
pub mod state;
pub mod svg;
pub mod theme;
pub mod url;
pub mod worker;
pub mod zip;

use leptos::prelude::*;

pub use animation::Animation;
pub use state::AppState;

/// The context value of type `T` the app provides, as Leptos's `expect_context`, but with a
/// panic message that does not name the type: formatting the type's name was the only use of
/// a string's `Debug` in the first load (960 bytes of gzip, `cargo xtask size`).
///
/// ```no_run
/// let state: hashhalo_web::state::AppState = hashhalo_web::provided();
/// ```
pub fn provided<T: Clone + 'static>() -> T {
    use_context::<T>().expect("the app provides its contexts before any component reads them")
}

use components::balance::Balance;
use components::controls::Controls;
use components::key_probe::KeyProbe;
use components::key_source::KeySource;
use components::legend::Legend;
use components::movement_matrix::MovementMatrix;
use components::movement_panel::MovementPanel;
use components::notices::{CopyLink, Notices};
use components::player_bar::PlayerBar;
use components::record_panel::RecordPanel;
use components::ring_key::RingKey;
use components::ring_view::RingView;
use components::scenarios::Scenarios;
use components::server_list::ServerList;
use components::share_dialog::ShareDialog;
use components::theme_switch::ThemeSwitch;
use hashhalo_core::link::Chrome;

/// Provides the state (read from the page's address) and the animation clock to `children`'s
/// context, and keeps the address in step.
pub fn provide_app_state() -> AppState {
    let opened = url::read_from_location();
    let state = AppState::with_lab(opened.lab.clone(), Vec::new());
    if opened.link.scenario.is_some() {
        url::open(state, opened);
    } else {
        state.notices.set(opened.notes);
        state.awaited_keys.set(opened.awaited);
        state.view.set(opened.link.view);
    }
    provide_context(state);
    provide_context(Animation::install(state));
    url::sync_to_location(state);
    state
}

/// The whole app. The ring and the result of the last change share the stage and never
/// scroll away; the read-outs and the controls scroll beside them (below them on a phone). In
/// a slide (`embed=1`) the stage fills the frame, with the player or without (`chrome`).
#[component]
pub fn App() -> impl IntoView {
    let state = provide_app_state();
    deck::install(state);
    theme::install(state);
    let full = move || state.view.with(|v| theme::chrome_of(v) == Chrome::Full);
    let embed = move || state.view.with(|v| v.embed);
    let ever_full = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || full());
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
        <header class="top" class:hidden=embed>
            <h1>"HashHalo"</h1>
            <p class="tagline">"Consistent hashing you can see."</p>
            <ThemeSwitch />
            <ShareDialog />
            <CopyLink />
        </header>
        <Notices />
        <main class="lab">
            <section class="stage" aria-label="The ring and what the last change moved">
                <PlayerBar />
                <div class="stage-body">
                    <div class="stage-grid">
                        <div class="ring-area">
                            <RingView />
                        </div>
                        <div class="result">
                            // Where the worker's progress shows, from its jobs' chunk.
                            <div class="offload-slot"></div>
                            <MovementPanel />
                            <p class="summary" data-testid="summary">{summary}</p>
                            <RingKey />
                        </div>
                    </div>
                </div>
                <a
                    class="open-full corner"
                    class:hidden=move || !embed() || state.player.with(Option::is_some) && state.view.with(|v| v.chrome != Chrome::None)
                    target="_blank"
                    rel="noopener"
                    href=move || { state.player.track(); state.lab.track(); url::full_lab_href(state) }
                >
                    "Open in HashHalo"
                </a>
            </section>
            <div class="side" class:hidden=move || !full()>
                // Loaded the first time the full chrome shows, then only hidden: what a person
                // typed in it survives a change of chrome.
                <Show when=move || ever_full.get()>{deferred::shown(deferred::side_panel)}</Show>
            </div>
        </main>
    }
}

/// The read-outs and controls beside the stage, loaded after it in the release build
/// ([`deferred::side_panel`]).
pub fn side_panel() -> AnyView {
    let state = crate::provided::<AppState>();
    let editable = move || !state.view.with(|v| v.readonly);
    view! {
        // The panel's styles are a file of their own (index.html copies it), fetched with the
        // panel rather than in the first load's CSS, which a slide needs alone.
        <link rel="stylesheet" href="panel.css" />
        <Legend />
        <Balance />
        <MovementMatrix />
        <Show when=editable>
            <ServerList />
            <Controls />
            <KeySource />
        </Show>
        <KeyProbe />
        <components::tools::ToolsButton />
        <Scenarios />
        <Show when=editable>
            <RecordPanel />
        </Show>
        <p class="help">
            "Drag a server's handle to turn it, or a virtual node tick to move it; with the keyboard, "
            "focus a handle and use the arrow keys (Shift for big steps, Enter to pick its first virtual node). "
            "In a scenario, PageDown and PageUp (a presenter's clicker) step through it."
        </p>
    }
    .into_any()
}
