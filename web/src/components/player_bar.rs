//! The scenario player: where the scenario is, what the step says, and Back / Next / Play /
//! Reset. Stepping is [`AppState::goto_step`]: an exact state, never an undo.

use leptos::prelude::*;

use crate::state::AppState;

/// How long autoplay shows each step, in milliseconds.
pub const AUTOPLAY_MS: u32 = 4_000;

/// The player for [`AppState::player`]; nothing when no scenario is open. Takes no props.
#[component]
pub fn PlayerBar() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let player = state.player;
    let at = move || player.with(|p| p.as_ref().map(|p| (p.step, p.steps())));
    let first = move || at().is_some_and(|(k, _)| k == 0);
    let last = move || at().is_some_and(|(k, n)| k == n);
    let caption = move || player.with(|p| p.as_ref().map(|p| p.caption()));
    let playing = move || player.with(|p| p.as_ref().is_some_and(|p| p.autoplay));
    let embed = move || state.view.with(|v| v.embed);
    let error = RwSignal::new(None::<String>);
    autoplay(state);

    view! {
        <Show when=move || player.with(Option::is_some)>
            <section class="player" aria-label="Scenario" data-testid="player">
                <div class="player-head">
                    <h2 class="player-title">{move || player.with(|p| p.as_ref().map(|p| p.scenario.title.clone()))}</h2>
                    <span class="player-step" data-testid="player-step" aria-live="polite">
                        {move || player.with(|p| p.as_ref().map(|p| p.position()))}
                    </span>
                    <span class="player-changed" class:hidden=move || !player.with(|p| p.as_ref().is_some_and(|p| p.changed))>
                        "· changed by hand"
                    </span>
                </div>
                <p class="player-caption" data-testid="player-caption">{move || caption().map(|c| c.0)}</p>
                <p class="player-watch" class:hidden=move || caption().is_none_or(|c| c.1.is_none())>
                    <span class="watch-word">"Watch: "</span>
                    {move || caption().and_then(|c| c.1)}
                </p>
                <div class="player-controls">
                    <button class="player-back" prop:disabled=first on:click=move |_| { state.set_autoplay(false); state.prev_step(); }>"Back"</button>
                    <button class="player-next" prop:disabled=last on:click=move |_| { state.set_autoplay(false); state.next_step(); }>"Next"</button>
                    <button
                        class="player-play"
                        aria-pressed=move || playing().to_string()
                        on:click=move |_| {
                            let on = !playing();
                            if on && last() {
                                state.goto_step(0);
                            }
                            state.set_autoplay(on);
                        }
                    >
                        {move || if playing() { "Pause" } else { "Play" }}
                    </button>
                    <button class="player-reset" prop:disabled=move || first() && !player.with(|p| p.as_ref().is_some_and(|p| p.changed)) on:click=move |_| { state.set_autoplay(false); state.goto_step(0); }>"Reset"</button>
                    <button class="player-explore" class:hidden=embed on:click=move |_| state.explore_here()>
                        "Explore from here"
                    </button>
                    <button class="player-download" class:hidden=embed on:click=move |_| download(state, error)>
                        "Download file"
                    </button>
                    <a
                        class="open-full"
                        class:hidden=move || !embed()
                        target="_blank"
                        rel="noopener"
                        href=move || { state.player.track(); state.lab.track(); crate::url::full_lab_href(state) }
                    >
                        "Open in HashHalo"
                    </a>
                </div>
                <p class="error" role="alert" class:hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            </section>
        </Show>
    }
}

/// Saves the open scenario as a JSON file (written by the page's worker).
fn download(state: AppState, error: RwSignal<Option<String>>) {
    let Some((id, text)) = state.player.with_untracked(|p| {
        p.as_ref()
            .map(|p| (p.scenario.id.clone(), p.scenario.encode()))
    }) else {
        return;
    };
    crate::worker::ask("write-scenario", &text, None, move |answer| match answer {
        Ok(json) => {
            error.set(None);
            crate::download::text(&format!("{id}.json"), &json, "application/json");
        }
        Err(e) => error.set(Some(e)),
    });
}

/// Steps by itself every [`AUTOPLAY_MS`] while autoplay is on and the slide is shown, and
/// stops at the last step.
fn autoplay(state: AppState) {
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
    Effect::new(move |_| {
        let on = state
            .player
            .with(|p| p.as_ref().is_some_and(|p| p.autoplay))
            && crate::deck::slide_shown().get();
        timer.update_value(|t| {
            *t = on.then(|| {
                gloo_timers::callback::Interval::new(AUTOPLAY_MS, move || {
                    if !state.next_step() {
                        state.set_autoplay(false);
                    }
                })
            });
        });
    });
}
