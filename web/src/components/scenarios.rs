//! The guided scenarios: the built-ins, one button each, and a scenario file to open (read by
//! the page's worker; errors name the step and the field).

use hashhalo_core::link::ScenarioRef;
use hashhalo_core::scenario::{BUILTIN_IDS, MAX_FILE_BYTES, Scenario, builtin};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::AppState;

/// The scenario list and the file opener. Takes no props.
#[component]
pub fn Scenarios() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let error = RwSignal::new(None::<String>);
    let builtins: Vec<(&'static str, String)> = BUILTIN_IDS
        .iter()
        .filter_map(|id| Some((*id, builtin(id)?.title)))
        .collect();
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        if file.size() > MAX_FILE_BYTES as f64 {
            error.set(Some(
                "That file is over 1 MiB: a scenario file is smaller.".into(),
            ));
            return;
        }
        leptos::task::spawn_local(async move {
            let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await else {
                error.set(Some("That file could not be read.".into()));
                return;
            };
            let text = text.as_string().unwrap_or_default();
            crate::worker::ask("read-scenario", &text, None, move |answer| {
                match answer.and_then(|c| Scenario::decode(&c).map_err(|e| e.to_string())) {
                    Ok(s) => {
                        error.set(None);
                        state.play_scenario(ScenarioRef::Carried(Box::new(s)), 0);
                    }
                    Err(e) => error.set(Some(format!("That file is not a scenario: {e}"))),
                }
            });
        });
    };
    view! {
        <section class="scenarios" aria-labelledby="scenarios-title">
            <h2 id="scenarios-title">"Guided scenarios"</h2>
            <ul class="scenario-list">
                {builtins.into_iter().map(|(id, title)| view! {
                    <li>
                        <button class="play-scenario" data-scenario=id on:click=move |_| {
                            state.play_scenario(ScenarioRef::Builtin(id.into()), 0);
                        }>{title}</button>
                    </li>
                }).collect_view()}
            </ul>
            <label class="upload">
                "Open a scenario file: "
                <input type="file" accept=".json,application/json" aria-label="Open a scenario file" on:change=on_file />
            </label>
            <p class="error" role="alert" data-testid="scenario-error">{move || error.get()}</p>
        </section>
    }
}
