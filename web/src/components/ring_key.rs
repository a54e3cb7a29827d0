//! The key to the drawing: what arcs, ticks, dots, marks and handles are, where 0 is and which
//! way is clockwise, for the algorithm on show.

use leptos::prelude::*;

use crate::drawing::DOT_LIMIT;
use crate::state::AppState;

/// One line of small glyphs with their meanings, below the ring. Takes no props.
#[component]
pub fn RingKey() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let is_ring = move || state.shown.with(|c| c.lab().router.algorithm.is_ring());
    let arcs = move || state.shown.with(|c| c.lab().router.algorithm.draws_arcs());
    let density = move || state.shown.with(|c| c.keys().len() > DOT_LIMIT);
    view! {
        <ul class="ring-key" aria-label="Key to the drawing">
            <li class:hidden=move || !arcs()>
                <svg class="glyph" viewBox="0 0 24 12" aria-hidden="true"><path d="M2 6H22" class="glyph-arc" /></svg>
                "arc: keys there go to that server"
            </li>
            <li class:hidden=move || !is_ring()>
                <svg class="glyph" viewBox="0 0 12 12" aria-hidden="true"><path d="M6 1V11" class="glyph-tick" /></svg>
                "tick: a virtual node (dashed: placed by hand)"
            </li>
            <li>
                <svg class="glyph" viewBox="0 0 12 12" aria-hidden="true"><circle cx="6" cy="6" r="3" class="glyph-dot" /></svg>
                {move || if density() { "band: how many keys lie there, by server" } else { "dot: a key, in its server's colour" }}
            </li>
            <li>
                <svg class="glyph" viewBox="0 0 12 12" aria-hidden="true"><path d="M6 2V10" class="glyph-moved" /></svg>
                "dark mark: a key the last change moved"
            </li>
            <li>
                <svg class="glyph" viewBox="0 0 12 12" aria-hidden="true"><circle cx="6" cy="6" r="5" class="glyph-handle" /></svg>
                {move || if is_ring() { "handle: a server, at its first virtual node; drag it to turn the server" } else { "handle: a server" }}
            </li>
            <li>"0 is at the top; positions grow clockwise ↻"</li>
        </ul>
    }
}
