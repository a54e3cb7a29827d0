//! The lab in the page's address: read once at start (clamped to safe values, with a message
//! for anything that had to change), written back after every change.

use gloo_timers::callback::Timeout;
use hashhalo_core::lab::LabState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{AppState, LIMITS};

/// The lab the address describes, and sentences about what had to be changed to show it.
/// An address without a lab gives the default lab and no sentences.
pub fn read_from_location() -> (LabState, Vec<String>) {
    let hash = window().location().hash().unwrap_or_default();
    read_fragment(&hash)
}

/// The lab in a fragment such as `#1.AQI…`, as [`read_from_location`] reads it. A link made
/// with pasted keys opens with generated ones and says so; the lab no longer records the paste
/// (see [`awaited_keys`] for the list the link remembers).
pub fn read_fragment(fragment: &str) -> (LabState, Vec<String>) {
    let text = fragment.trim_start_matches('#');
    if text.is_empty() {
        return (LabState::default(), Vec::new());
    }
    match LabState::decode(text) {
        Ok(lab) => {
            let (mut lab, mut notes) = lab.clamped(&LIMITS);
            // The link says pasted keys were in use, but it cannot hold them: the generated
            // keys are what the page shows, and so what its own link says from now on.
            if let Some(note) = lab.pasted_note() {
                notes.push(note);
                lab.pasted = None;
            }
            (lab, notes)
        }
        Err(e) => (
            LabState::default(),
            vec![format!("{e}; showing the default lab instead")],
        ),
    }
}

/// The pasted key list a fragment's lab was made with, if it says so.
pub fn awaited_keys(fragment: &str) -> Option<hashhalo_core::lab::PastedKeys> {
    LabState::decode(fragment.trim_start_matches('#'))
        .ok()?
        .pasted
}

/// Keeps the address in step with the lab: a quarter of a second after the last change (so a
/// drag or a held key does not flood the browser's history), never during a drag.
pub fn sync_to_location(state: AppState) {
    let pending = StoredValue::new_local(None::<Timeout>);
    Effect::new(move |_| {
        let text = state.lab.with(LabState::encode);
        if state.dragging.get() {
            return;
        }
        pending.update_value(|p| {
            *p = Some(Timeout::new(250, move || write_now(&text)));
        });
    });

    // A link pasted into this tab's address bar changes only the fragment: the page is not
    // reloaded, so the new lab is read here, as one change.
    let on_hash = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        let fragment = window().location().hash().unwrap_or_default();
        let text = fragment.trim_start_matches('#');
        if text.is_empty() || state.lab.with_untracked(LabState::encode) == text {
            return;
        }
        let (lab, notes) = read_fragment(&fragment);
        state.notices.set(notes);
        state.awaited_keys.set(awaited_keys(&fragment));
        state.replace(lab);
    });
    let _ =
        window().add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_hash.forget();
}

/// Writes the lab's text into the address now, replacing the current history entry.
pub fn write_now(text: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("#{text}")),
        );
    }
}
