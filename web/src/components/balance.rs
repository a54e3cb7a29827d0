//! Balance in plain words: the busiest and the quietest server against their own fair
//! shares, and what theory expects (the core's [`hashhalo_core::explain::balance`], as
//! `hashhalo inspect` prints it).

use hashhalo_core::explain::balance;
use leptos::prelude::*;

use crate::state::{AppState, Computed};

/// The shown state's balance, in sentences. Takes no props.
#[component]
pub fn Balance() -> impl IntoView {
    let state = crate::provided::<AppState>();
    // Live during a drag would cost every frame; the sentences follow when the drag ends.
    let settled = Memo::new(move |previous: Option<&Option<Computed>>| {
        if state.dragging.get() {
            return previous.cloned().flatten();
        }
        Some(state.shown.get())
    });
    let lines = move || settled.with(|c| c.as_ref().map(|c| balance(c)).unwrap_or_default());
    view! {
        <section class="balance" aria-label="Balance">
            <h2>"Balance"</h2>
            <div data-testid="balance">
                {move || lines().into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
            </div>
        </section>
    }
}
