//! Record: what a person does becomes a scenario's steps, with captions to change, then a
//! scenario to play, link to and download as a file.

use hashhalo_core::link::ScenarioRef;
use leptos::prelude::*;

use crate::record::Recording;
use crate::state::AppState;

/// Starts and stops recording, and lists the recorded steps. Takes no props.
#[component]
pub fn RecordPanel() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let recording = state.recording;
    let error = RwSignal::new(None::<String>);
    let on = move || recording.with(Option::is_some);
    let start = move |_| {
        state.explore_here();
        error.set(None);
        recording.set(Some(Recording::new(state.lab.get_untracked())));
    };
    let finish = move |_| {
        let Some(r) = recording.get_untracked() else {
            return;
        };
        match r.scenario() {
            Ok(s) if s.steps.is_empty() => {
                error.set(Some("Make a change first: each change is a step.".into()))
            }
            Ok(s) => {
                recording.set(None);
                error.set(None);
                state.play_scenario(ScenarioRef::Carried(Box::new(s)), 0);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let steps = move || {
        recording
            .with(|r| {
                r.as_ref().map(|r| {
                    r.steps
                        .iter()
                        .map(|s| s.caption.clone())
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    };
    view! {
        <section class="record" aria-labelledby="record-title">
            <h2 id="record-title">"Record a scenario"</h2>
            <Show
                when=on
                fallback=move || view! {
                    <p class="hint">"Record what you do next, one step for each change, to play back, link to or put in a slide."</p>
                    <button class="record-start" on:click=start>"Record"</button>
                }
            >
                <label class="row">
                    <span>"Title"</span>
                    <input
                        type="text"
                        aria-label="Scenario title"
                        prop:value=move || recording.with(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default())
                        on:input=move |ev| { let t = event_target_value(&ev); recording.update(|r| if let Some(r) = r { r.title = t; }); }
                    />
                </label>
                <p class="hint recording" aria-live="polite">
                    {move || format!("Recording: {} steps. Each change you make is a step.", steps().len())}
                </p>
                <ol class="recorded-steps">
                    {move || steps().into_iter().enumerate().map(|(k, caption)| view! {
                        <li>
                            <input
                                type="text"
                                class="step-caption"
                                aria-label=format!("Caption of step {}", k + 1)
                                prop:value=caption
                                on:change=move |ev| { let t = event_target_value(&ev); recording.update(|r| if let Some(step) = r.as_mut().and_then(|r| r.steps.get_mut(k)) { step.caption = t; }); }
                            />
                            <button class="remove-step" aria-label=format!("Remove step {} and the steps after it", k + 1) on:click=move |_| {
                                // The lab goes back to where the kept steps end, so the next
                                // change is recorded from there.
                                let mut lab = None;
                                recording.update(|r| if let Some(r) = r { lab = Some(r.cut(k)); });
                                if let Some(lab) = lab { state.set_lab(lab); }
                            }>"✕"</button>
                        </li>
                    }).collect_view()}
                </ol>
                <div class="row">
                    <button class="record-stop" on:click=finish>"Stop and play"</button>
                    <button class="record-discard" on:click=move |_| recording.set(None)>"Discard"</button>
                </div>
            </Show>
            <p class="error" role="alert">{move || error.get()}</p>
        </section>
    }
}
