//! Where the keys come from: generated (user ids, IPs, URLs, uniform, with a seed), or a
//! pasted or uploaded list. Bad input is explained beside the input and changes nothing.

use std::sync::Arc;

use hashhalo_core::KeyKind;
use hashhalo_core::edit::Edit;
use hashhalo_core::format::count;
use hashhalo_core::import::{KeyListError, parse_key_list};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::offload::{self, MAIN_THREAD_KEYS, Need};
use crate::state::{AppState, KeyOrigin, Shared};

/// Lists longer than this, in bytes, are read in the worker (100 000 keys of about 20 bytes).
const MAIN_THREAD_BYTES: usize = 2_000_000;

const KINDS: [(KeyKind, &str, &str); 4] = [
    (KeyKind::UserIds, "userids", "User ids"),
    (KeyKind::Ips, "ips", "IP addresses"),
    (KeyKind::Urls, "urls", "URLs"),
    (KeyKind::Uniform, "uniform", "Uniform random"),
];

/// The key generator's settings and the paste/upload box. Takes no props.
#[component]
pub fn KeySource() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let pasted = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let custom = move || state.key_origin.with(|o| matches!(o, KeyOrigin::Custom(_)));

    // A list read in the worker becomes the keys there; what went wrong shows below the box.
    let read_in_worker = move |text: String| {
        error.set(None);
        offload::ask(state, Some(Need::Paste(Shared(Arc::new(text)), error)));
    };
    // Lists past what this thread reads quickly go to the worker (by their size in bytes,
    // or when reading here finds more keys than it takes).
    let use_text = move |text: String| {
        if text.len() > MAIN_THREAD_BYTES {
            return read_in_worker(text);
        }
        match parse_key_list(&text, MAIN_THREAD_KEYS) {
            Ok(keys) => {
                error.set(None);
                let hash = state
                    .lab
                    .with_untracked(|l| l.router.algorithm.key_hash(l.router.hash));
                if let Err(e) = state.set_key_origin(KeyOrigin::pasted(keys, hash)) {
                    error.set(Some(e.to_string()));
                }
            }
            Err(KeyListError::TooMany { .. }) => read_in_worker(text),
            Err(e) => error.set(Some(e.to_string())),
        }
    };
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
        if file.size() > hashhalo_core::import::MAX_LIST_BYTES as f64 {
            error.set(Some(hashhalo_core::import::LIST_TOO_LARGE.into()));
            return;
        }
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => use_text(text.as_string().unwrap_or_default()),
                Err(_) => error.set(Some("That file could not be read.".into())),
            }
        });
    };

    view! {
        <fieldset class="keys">
            <legend>"Keys"</legend>
            <label class="row">
                <span>"Generate"</span>
                <select
                    aria-label="Key kind"
                    prop:value=move || state.lab.with(|l| KINDS.iter().find(|k| k.0 == l.keys.kind).map_or("userids", |k| k.1))
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some(kind) = KINDS.iter().find(|k| k.1 == value) {
                            let _ = state.set_key_origin_with(KeyOrigin::Generated, Some(Edit::SetKeyKind(kind.0)));
                        }
                    }
                >
                    {KINDS.iter().map(|k| view! { <option value=k.1>{k.2}</option> }).collect_view()}
                </select>
            </label>
            <label class="row">
                <span>"Seed"</span>
                <input
                    type="number"
                    min="0"
                    aria-label="Seed"
                    prop:value=move || state.lab.with(|l| l.keys.seed).to_string()
                    on:change=move |ev| {
                        match event_target_value(&ev).trim().parse::<u64>() {
                            Ok(seed) => {
                                error.set(None);
                                let _ = state.change(Edit::SetKeySeed(seed));
                            }
                            Err(_) => error.set(Some("The seed is a whole number from 0.".into())),
                        }
                    }
                />
                <button on:click=move |_| {
                    let seed = state.lab.with_untracked(|l| l.keys.seed.wrapping_add(1));
                    let _ = state.change(Edit::SetKeySeed(seed));
                }>"New seed"</button>
            </label>
            <p class="hint" class:hidden=move || !custom()>
                {move || format!("Using {} pasted keys; a link records that they were used, but cannot hold them. ", count(state.current.with(|c| c.keys().len() as u64)))}
                <button on:click=move |_| {
                    // Generated keys are never refused: the lab's count is within its budget.
                    let _ = state.set_key_origin(KeyOrigin::Generated);
                }>"Back to generated keys"</button>
            </p>
            <label class="paste">
                <span>"Paste keys: a JSON array, a CSV (first column), or one per line"</span>
                <textarea
                    aria-label="Paste keys"
                    rows="4"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                ></textarea>
            </label>
            <div class="row">
                <button on:click=move |_| use_text(pasted.get_untracked())>"Use pasted keys"</button>
            </div>
            <label class="upload">
                "or upload a file: "
                <input type="file" aria-label="Upload keys" accept=".json,.csv,.txt,text/plain,application/json" on:change=on_file />
            </label>
            <p class="error" role="alert" data-testid="keys-error">{move || error.get()}</p>
        </fieldset>
    }
}
