//! The theme switch in the header: auto (as the system prefers), light, dark, projector.

use hashhalo_core::link::Theme;
use leptos::prelude::*;

use crate::state::AppState;
use crate::theme::{theme_name, theme_named};

/// A select bound to the view's theme, which the link keeps. Takes no props.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let options = [
        (Theme::Auto, "Auto theme"),
        (Theme::Light, "Light"),
        (Theme::Dark, "Dark"),
        (Theme::Projector, "Projector"),
    ];
    view! {
        <select
            class="theme-switch"
            aria-label="Theme"
            prop:value=move || theme_name(state.view.with(|v| v.theme))
            on:change=move |ev| {
                if let Some(t) = theme_named(&event_target_value(&ev)) {
                    state.view.update(|v| v.theme = t);
                }
            }
        >
            {options.into_iter().map(|(t, label)| view! { <option value=theme_name(t)>{label}</option> }).collect_view()}
        </select>
    }
}
