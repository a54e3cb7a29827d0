//! The jobs of [`crate::offload`]: each starts a worker of its own (see
//! [`crate::worker::job`]), sends it the lab and any arrays, and keeps its answer where the
//! state reads it; and the line that shows their progress, with Cancel. In the split build
//! they are in the chunk of the worker's client ([`crate::worker`]), fetched the first time
//! either is needed.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use hashhalo_core::lab::{LabState, PastedKeys};
use hashhalo_core::snapshot::Snapshot;
use hashhalo_core::{KeySet, ServerId};
use js_sys::{Array, Object, Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::offload::{self, KeyWant, Need, Pasted};
use crate::state::{AppState, Computed, KeyOrigin, Shared};
use crate::worker::job::{self, Arrays, Job};

/// How long a job waits before it starts, in milliseconds: a change made soon after another
/// (the owners for each step of a slider held and moved) replaces its job before any work.
const SETTLE_MS: u32 = 150;

/// What the worker is doing and how far it is (a fraction), while a job runs.
type Status = RwSignal<Option<(String, f64)>>;

thread_local! {
    /// The job running, if any.
    static RUNNING: RefCell<Option<Job>> = const { RefCell::new(None) };
    /// Each job's number, so a replaced job's late answer is dropped.
    static NUMBER: Cell<u32> = const { Cell::new(0) };
    /// Whether the job asked for last reads a pasted list.
    static PASTING: Cell<bool> = const { Cell::new(false) };
    /// What the worker is doing and how far it is: the progress line's signal, made with the
    /// line the first time a job starts.
    static STATUS: Cell<Option<Status>> = const { Cell::new(None) };
}

fn end_running() {
    if let Some(job) = RUNNING.with_borrow_mut(Option::take) {
        job.cancel();
    }
}

/// Ends the job running and starts what the state last asked for (see
/// [`crate::offload::ask`]) once the lab has settled; nothing if nothing was ever asked.
pub(crate) fn start_asked() {
    let Some(state) = offload::asked_anew() else {
        return;
    };
    let status = status(state);
    let next = offload::asked();
    // A pasted list being read is not given up for a change that needs nothing of the worker:
    // it becomes the keys once read (Cancel ends it).
    if next.is_none() && PASTING.get() {
        return;
    }
    // The number moves on before the job is ended, so its "cancelled" answer is not taken
    // for the latest.
    let number = NUMBER.get().wrapping_add(1);
    NUMBER.set(number);
    end_running();
    PASTING.set(matches!(next, Some(Need::Paste(..))));
    let Some(need) = next else {
        status.set(None);
        return;
    };
    status.set(Some((doing(&need, &state.key_want()), 0.0)));
    gloo_timers::callback::Timeout::new(SETTLE_MS, move || {
        if NUMBER.get() == number {
            begin(state, number, need, status);
        }
    })
    .forget();
}

/// Ends the job running or waiting to start, whatever it is (Cancel).
pub(crate) fn cancel() {
    NUMBER.set(NUMBER.get().wrapping_add(1));
    end_running();
    PASTING.set(false);
    if let Some(status) = STATUS.get() {
        status.set(None);
    }
}

/// The progress line's signal; the line is mounted in the place the app keeps for it, the
/// first time.
fn status(state: AppState) -> Status {
    if let Some(status) = STATUS.get() {
        return status;
    }
    let status = RwSignal::new(None::<(String, f64)>);
    STATUS.set(Some(status));
    let slot = document()
        .query_selector(".offload-slot")
        .ok()
        .flatten()
        .map(|e| e.unchecked_into::<web_sys::HtmlElement>());
    if let Some(slot) = slot {
        leptos::mount::mount_to(slot, move || progress_line(state, status)).forget();
    }
    status
}

/// What the worker is making, how far it is, and Cancel; hidden while it is idle.
fn progress_line(state: AppState, status: Status) -> impl IntoView {
    let what = move || status.with(|s| s.as_ref().map(|(what, _)| what.clone()));
    view! {
        <div class="offload" role="status" data-testid="offload" class:hidden=move || status.with(Option::is_none)>
            <span>{what}" in the background; the ring shows the last state meanwhile. "</span>
            <progress max="1" prop:value=move || status.with(|s| s.as_ref().map_or(0.0, |s| s.1))></progress>
            <button on:click=move |_| state.cancel_offload()>"Cancel"</button>
        </div>
    }
}

fn begin(state: AppState, number: u32, need: Need, status: Status) {
    // The lab as it is when the job starts (for keys, its key source and hash).
    let now = state.lab.with_untracked(LabState::encode);
    let want = state.key_want();
    let (op, text, lab, data) = match (&need, &want) {
        (Need::Keys, KeyWant::Pasted(keys, _)) => (
            "keys",
            JsValue::from_str(""),
            now,
            Some(bytes_to_send("keys", &keys.to_bytes())),
        ),
        (Need::Keys, _) => ("keys", JsValue::from_str(""), now, None),
        (Need::Owners(lab, keys), _) => {
            let bytes: Vec<u8> = keys
                .positions()
                .iter()
                .flat_map(|p| p.to_le_bytes())
                .collect();
            let data = bytes_to_send("positions", &bytes);
            ("assign", JsValue::from_str(""), lab.encode(), Some(data))
        }
        (Need::Paste(text, _), _) => ("keys", JsValue::from_str(text), now, None),
    };
    let current = move || NUMBER.get() == number;
    let progress = move |p: f64| {
        if current() {
            status.update(|s| {
                if let Some((_, at)) = s {
                    *at = p;
                }
            });
        }
    };
    let done = move |answer: Result<(String, JsValue), String>| {
        if !current() {
            return;
        }
        RUNNING.with_borrow_mut(|r| *r = None);
        PASTING.set(false);
        status.set(None);
        let paste_error = match &need {
            Need::Paste(_, error) => Some(*error),
            _ => None,
        };
        match answer.and_then(|(text, data)| take(need, want, &text, &data)) {
            Ok(Taken::Keys(want, keys)) => finish(state, Some((want, keys)), None),
            Ok(Taken::Owners(computed)) => finish(state, None, Some(computed)),
            Ok(Taken::Pasted(pasted)) => {
                offload::forget_asked();
                if let (Err(e), Some(error)) =
                    (state.set_key_origin(KeyOrigin::Custom(pasted)), paste_error)
                {
                    error.set(Some(e.to_string()));
                }
            }
            Err(e) => {
                // Asked again by the next change.
                offload::forget_asked();
                match paste_error {
                    Some(error) => error.set(Some(e)),
                    None => state
                        .notices
                        .update(|n| n.push(format!("The keys could not be made: {e}."))),
                }
            }
        }
    };
    match job::start_with(op, &text, Some(&lab), data, progress, done) {
        Ok(job) => RUNNING.with_borrow_mut(|r| *r = Some(job)),
        Err(e) => {
            offload::forget_asked();
            status.set(None);
            state.notices.update(|n| n.push(format!("{e}.")));
        }
    }
}

/// Keeps what the worker made and finishes the change that asked for it: the state's memos
/// read it, its movement shows, and the lab asks for what it needs next (the owners of the
/// keys just made, say).
fn finish(state: AppState, made: Option<(KeyWant, Shared<KeySet>)>, assigned: Option<Computed>) {
    offload::keep(made, assigned);
    // Asked anew: the lab may want other keys by now than those the job began with.
    offload::forget_asked();
    state.change_count.update(|n| *n += 1);
    state.ask_worker();
}

/// What the page says while the worker does it.
///
/// ```
/// use hashhalo_core::{HashFn, KeySource};
/// use hashhalo_web::offload::{KeyWant, Need};
/// use hashhalo_web::offload_jobs::doing;
///
/// let want = KeyWant::Generated(KeySource { count: 1_000_000, ..KeySource::default() }, HashFn::Xxh3);
/// assert_eq!(doing(&Need::Keys, &want), "Making 1,000,000 keys");
/// ```
pub fn doing(need: &Need, want: &KeyWant) -> String {
    let count = |n: usize| hashhalo_core::format::count(n as u64);
    match (need, want) {
        (Need::Keys, KeyWant::Generated(source, _)) => {
            format!("Making {} keys", count(source.count as usize))
        }
        (Need::Keys, KeyWant::Pasted(keys, hash)) => {
            format!("Hashing {} keys with {}", count(keys.len()), hash.name())
        }
        (Need::Owners(lab, keys), _) => format!(
            "Assigning {} keys with {}",
            count(keys.len()),
            lab.router.algorithm.name()
        ),
        (Need::Paste(..), _) => "Reading the pasted keys".into(),
    }
}

/// A job's answer, read.
enum Taken {
    Keys(KeyWant, Shared<KeySet>),
    Owners(Computed),
    Pasted(Pasted),
}

/// Reads the worker's answer to `need`: its `text` and its bytes, in `data`.
fn take(need: Need, want: KeyWant, text: &str, data: &JsValue) -> Result<Taken, String> {
    match need {
        Need::Keys => Ok(Taken::Keys(want, Shared(Arc::new(key_set(data)?)))),
        Need::Paste(..) => {
            let keys = key_set(data)?;
            let mut words = text.split(' ').map(str::parse::<u64>);
            let record = match (words.next(), words.next()) {
                (Some(Ok(count)), Some(Ok(fingerprint))) => PastedKeys {
                    count: u32::try_from(count).unwrap_or(u32::MAX),
                    fingerprint,
                },
                _ => return Err("no record of the list came".into()),
            };
            Ok(Taken::Pasted(Pasted {
                keys: Shared(Arc::new(keys)),
                record,
            }))
        }
        Need::Owners(lab, keys) => {
            let owners: Vec<Option<ServerId>> = bytes(data, "owners")?
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .map(|o| (o != u32::MAX).then_some(ServerId(o)))
                .collect();
            Snapshot::with_owners(lab.as_ref().clone(), Arc::clone(&keys.0), owners)
                .map(|s| Taken::Owners(Computed(s)))
                .ok_or_else(|| "the owners do not fit the keys".into())
        }
    }
}

/// The bytes under `name` in the worker's answer. All the page's arrays are bytes
/// (`Uint8Array`), whose glue the first load has already: other typed arrays would add theirs.
/// The answer comes from the page's own worker, so what is there is taken to be one (no
/// `instanceof` check, whose glue the first load would carry too); only its absence is checked.
fn bytes(data: &JsValue, name: &str) -> Result<Vec<u8>, String> {
    Reflect::get(data, &name.into())
        .ok()
        .filter(JsValue::is_object)
        .map(|array| array.unchecked_into::<Uint8Array>().to_vec())
        .ok_or_else(|| format!("the worker's answer has no {name}"))
}

/// The key set the worker's answer holds, checked (see [`KeySet::from_bytes`]).
fn key_set(data: &JsValue) -> Result<KeySet, String> {
    KeySet::from_bytes(&bytes(data, "keys")?).map_err(|e| e.to_string())
}

/// `bytes` under `name`, to send to the worker, and the buffer that moves with them.
fn bytes_to_send(name: &str, bytes: &[u8]) -> Arrays {
    let out = Object::new();
    let array = Uint8Array::from(bytes);
    let _ = Reflect::set(&out, &name.into(), &array);
    (out.into(), Array::of1(&array.buffer()))
}
