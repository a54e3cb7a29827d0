//! The page's address: read once at start (a lab, or a scenario and its step, and how to show
//! them; clamped to safe values, with a message for anything that had to change), and written
//! back after every change. The grammar is the core's [`Link`].

use gloo_timers::callback::Timeout;
use hashhalo_core::lab::{LabState, PastedKeys};
use hashhalo_core::link::{Link, ScenarioRef};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::AppState;

/// What an address says, read for the page: the link, the lab to show when it names no
/// scenario, the pasted key list its lab was made with, and sentences about what had to be
/// changed to show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// The link, its lab taken out.
    pub link: Link,
    /// The lab to show (the default lab when the link holds none).
    pub lab: LabState,
    /// The pasted key list the link's lab was made with, if it says so.
    pub awaited: Option<PastedKeys>,
    /// What had to be changed, in sentences.
    pub notes: Vec<String>,
}

/// Reads a fragment such as `#1.AQI…` or `#scenario=add-server&step=2&embed=1`. A link made
/// with pasted keys opens with generated ones and says so: the lab no longer records the
/// paste (`awaited` keeps the list it was made with, to recognise it when pasted again).
pub fn read_fragment(fragment: &str) -> Opened {
    let (mut link, mut notes) = Link::parse(fragment);
    let mut lab = link.lab.take().unwrap_or_default();
    let awaited = lab.pasted;
    // The link says pasted keys were in use, but it cannot hold them: the generated keys
    // are what the page shows, and so what its own link says from now on.
    if let Some(note) = lab.pasted_note() {
        notes.push(note);
        lab.pasted = None;
    }
    Opened {
        link,
        lab,
        awaited,
        notes,
    }
}

/// The page's own address now: [`read_fragment`] of it.
pub fn read_from_location() -> Opened {
    read_fragment(&window().location().hash().unwrap_or_default())
}

/// Shows what `opened` says in `state`: its view, and its scenario at its step or its lab, as
/// one change.
pub fn open(state: AppState, opened: Opened) {
    state.notices.set(opened.notes);
    state.awaited_keys.set(opened.awaited);
    state.view.set(opened.link.view);
    match opened.link.scenario {
        Some(source) => {
            state.play_scenario(source, opened.link.step);
            state.set_autoplay(opened.link.view.autoplay);
        }
        None => {
            state.player.set(None);
            state.replace(opened.lab);
        }
    }
}

/// The fragment (without `#`) that shows what the page shows now: the scenario step while
/// one is played as it is, the lab otherwise, with the view.
pub fn fragment(state: AppState) -> String {
    let view = state.view.get();
    match state.player.get() {
        Some(p) if !p.changed => p.link(view).fragment(),
        _ => Link {
            lab: Some(state.lab.get()),
            view,
            ..Link::default()
        }
        .fragment(),
    }
}

/// The address of what the page shows now, with the view `edit` makes of its own view: for
/// the Share dialog and the "Open in HashHalo" link.
pub fn href_with(state: AppState, edit: impl FnOnce(&mut hashhalo_core::link::View)) -> String {
    let mut view = state.view.get_untracked();
    edit(&mut view);
    let link = match state.player.get_untracked() {
        Some(p) if !p.changed => p.link(view),
        _ => Link {
            lab: Some(state.lab.get_untracked()),
            view,
            ..Link::default()
        },
    };
    let location = window().location();
    let base = location.href().unwrap_or_default();
    let base = base.split('#').next().unwrap_or_default();
    format!("{base}#{}", link.fragment())
}

/// The full lab at what the page shows now, for "Open in HashHalo": only the theme is kept
/// from the view, so a read-only, autoplaying or deck-driven frame opens as a plain lab.
pub fn full_lab_href(state: AppState) -> String {
    href_with(state, |v| {
        *v = hashhalo_core::link::View {
            theme: v.theme,
            ..hashhalo_core::link::View::default()
        }
    })
}

/// Keeps the address in step with the page: a quarter of a second after the last change (so a
/// drag or a held key does not flood the browser's history), never during a drag.
///
/// Writing the address makes the browser lay the page out first (it keeps the scroll position
/// with the history entry), so the write waits for the next frame to have been drawn: then the
/// layout is already done, and the write is short.
pub fn sync_to_location(state: AppState) {
    let pending = StoredValue::new_local(None::<Timeout>);
    // Each change's number: only the latest one's write says the address has caught up.
    let latest = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let text = fragment(state);
        if state.dragging.get() {
            return;
        }
        let number = latest.get_value().wrapping_add(1);
        latest.set_value(number);
        // While a write waits, the page says so (`data-link-pending` on the root element), so
        // anyone reading the address (the end-to-end tests) knows it has not caught up yet.
        crate::theme::set_on_root("data-link-pending", Some(""));
        let finish = move || {
            // A newer change waits to be written, or a drag began (its end writes).
            if latest.try_get_value() != Some(number) || state.dragging.get_untracked() {
                return;
            }
            write_now(&text);
            crate::theme::set_on_root("data-link-pending", None);
        };
        pending.update_value(|p| {
            *p = Some(Timeout::new(250, move || {
                // A hidden page draws no frames (and lays nothing out): it writes at once.
                if document().hidden() {
                    finish();
                    return;
                }
                // After this frame is drawn.
                request_animation_frame(move || {
                    Timeout::new(0, finish).forget();
                });
            }));
        });
    });

    // A link pasted into this tab's address bar changes only the fragment: the page is not
    // reloaded, so the new link is read here, as one change.
    let on_hash = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        let hash = window().location().hash().unwrap_or_default();
        let text = hash.trim_start_matches('#');
        if text.is_empty() || untrack(|| fragment(state)) == text {
            return;
        }
        open(state, read_fragment(&hash));
    });
    let _ =
        window().add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_hash.forget();
}

/// Writes `text` into the address now, replacing the current history entry.
pub fn write_now(text: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("#{text}")),
        );
    }
}

/// Whether `source` is one of the built-ins.
pub fn is_builtin(source: &ScenarioRef) -> bool {
    matches!(source, ScenarioRef::Builtin(_))
}
