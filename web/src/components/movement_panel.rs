//! The before/after panel: how many keys moved against the minimum possible, the from→to
//! matrix, per-server bars, and the switch between the two states.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::palette::colour;
use crate::state::AppState;

/// Shows the last change's movement from [`AppState::movement`]. Takes no props.
#[component]
pub fn MovementPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let summary = move || {
        let view = state.movement.get()?;
        Some(view.movement.summary(" — "))
    };
    let matrix = move || {
        let view = state.movement.get()?;
        let m = view.movement.clone();
        // Only servers that held or received keys.
        let loads = m.loads();
        let shown: Vec<usize> = (0..m.servers.len())
            .filter(|&i| loads[i].0 > 0 || loads[i].1 > 0)
            .collect();
        let labels = view.labels.clone();
        Some(view! {
            <table class="matrix" aria-label="Keys moved from each server (rows) to each server (columns)">
                <thead>
                    <tr>
                        <th scope="col">"from \\ to"</th>
                        {shown.iter().map(|&j| view! { <th scope="col">{labels[j].clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {shown.iter().map(|&i| view! {
                        <tr>
                            <th scope="row">{labels[i].clone()}</th>
                            {shown.iter().map(|&j| {
                                let n = m.matrix[i][j];
                                view! { <td class:moved=(i != j && n > 0) class:zero=(n == 0)>{n}</td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })
    };
    let bars = move || {
        let view = state.movement.get()?;
        let m = view.movement.clone();
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
                            <span class="bars">
                                <span class="bar before" style=format!("width:{:.1}%;background:{}", b as f64 / most * 100.0, colour(id))></span>
                                <span class="bar after" style=format!("width:{:.1}%;background:{}", a as f64 / most * 100.0, colour(id))></span>
                            </span>
                            <span class="bar-numbers" data-testid="bar-numbers">{format!("{b} → {a}")}</span>
                        </div>
                    }
                })
                .collect_view(),
        )
    };
    let has_before = move || state.before.with(Option::is_some);

    view! {
        <section class="movement" aria-label="Movement">
            <h2>"Before / after"</h2>
            <p class="moved-summary" data-testid="moved-summary">
                {move || summary().unwrap_or_else(|| {
                    if has_before() { "A new key set: nothing to compare.".into() } else { "Make a change to see which keys move.".into() }
                })}
            </p>
            <div
                class="view-switch"
                role="radiogroup"
                aria-label="Show state"
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
            <div class="bar-chart" aria-label="Keys per server, before and after">{bars}</div>
            {matrix}
        </section>
    }
}
