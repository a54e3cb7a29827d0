//! The result of the last change, beside the ring: the sentence that says what moved and why
//! (the core's [`hashhalo_core::explain`], as `hashhalo inspect --before` prints it), the
//! switch between the two states, and each server's keys before and after.

use hashhalo_core::format::{count, fixed};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::palette::colour;
use crate::state::AppState;

/// Shows the last change from [`AppState::movement`]. Takes no props.
#[component]
pub fn MovementPanel() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let headline = move || {
        state.movement.with(|m| {
            m.as_ref().map_or_else(
                || "Make a change (add, fail or drag a server) to see which keys move.".into(),
                |view| view.explanation.headline.clone(),
            )
        })
    };
    let details = move || {
        state
            .movement
            .with(|m| m.as_ref().map(|view| view.explanation.details.clone()))
            .unwrap_or_default()
    };
    let bars = move || {
        let view = state.movement.get()?;
        let m = view.movement.clone()?;
        let loads = m.loads();
        let most = loads
            .iter()
            .map(|&(b, a)| b.max(a))
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        Some(
            m.servers
                .iter()
                .enumerate()
                .filter(|&(i, _)| loads[i].0 > 0 || loads[i].1 > 0)
                .map(|(i, &id)| {
                    let (b, a) = loads[i];
                    view! {
                        <div class="bar-row" data-server=view.labels[i].clone()>
                            <span class="bar-label">{view.labels[i].clone()}</span>
                            <span class="bars" aria-hidden="true">
                                <span class="bar before" style=format!("width:{}%;background:{}", fixed(b as f64 / most * 100.0, 1), colour(id))></span>
                                <span class="bar after" style=format!("width:{}%;background:{}", fixed(a as f64 / most * 100.0, 1), colour(id))></span>
                            </span>
                            <span class="bar-numbers" data-testid="bar-numbers">{format!("{} → {}", count(b), count(a))}</span>
                        </div>
                    }
                })
                .collect_view(),
        )
    };
    let has_before = move || state.before.with(Option::is_some);

    view! {
        <section class="movement" aria-label="What the last change moved">
            <p class="moved-summary" data-testid="moved-summary" aria-live="polite">{headline}</p>
            <p class="unavailable" data-testid="unavailable" class:hidden=move || state.unavailable.with(Option::is_none)>
                {move || state.unavailable.get()}
            </p>
            <div class="moved-details" data-testid="moved-details">
                {move || details().into_iter().map(|d| view! { <p>{d}</p> }).collect_view()}
            </div>
            <div
                class="view-switch"
                role="radiogroup"
                aria-label="Show the ring"
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    // Arrow keys move between the two states, as in any radio group.
                    let before = match ev.key().as_str() {
                        "ArrowLeft" | "ArrowUp" => true,
                        "ArrowRight" | "ArrowDown" => false,
                        _ => return,
                    };
                    if before && !has_before() {
                        return;
                    }
                    ev.prevent_default();
                    state.show_before.set(before);
                    let selector = if before { ".view-switch [role=radio]:first-child" } else { ".view-switch [role=radio]:nth-child(2)" };
                    if let Some(el) = document().query_selector(selector).ok().flatten() {
                        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                    }
                }
            >
                <button
                    role="radio"
                    tabindex=move || if state.show_before.get() { "0" } else { "-1" }
                    aria-checked=move || state.show_before.get().to_string()
                    prop:disabled=move || !has_before()
                    on:click=move |_| state.show_before.set(true)
                >
                    "Before"
                </button>
                <button
                    role="radio"
                    tabindex=move || if state.show_before.get() { "-1" } else { "0" }
                    aria-checked=move || (!state.show_before.get()).to_string()
                    on:click=move |_| state.show_before.set(false)
                >
                    "After"
                </button>
                <button
                    class="replay"
                    prop:disabled=move || !has_before()
                    on:click=move |_| {
                        state.show_before.set(false);
                        state.change_count.update(|n| *n += 1);
                    }
                >
                    "Replay"
                </button>
            </div>
            <div class="bar-chart" role="group" aria-label="Keys per server, before and after">{bars}</div>
        </section>
    }
}
