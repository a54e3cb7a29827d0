//! The page's web worker (`crates/worker`), started on first use: it reads and writes scenario
//! files and reads the edits a deck sends, with serde, which the first load does without.
//! Requests wait until it says it is ready; each answer goes to the request's callback.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use hashhalo_core::lab::LabState;
use hashhalo_core::scenario::Scenario;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::state::AppState;

type Done = Box<dyn FnOnce(Result<String, String>)>;

struct Client {
    worker: web_sys::Worker,
    ready: bool,
    queue: Vec<JsValue>,
    waiting: HashMap<u32, Done>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    /// Request ids, never reused, so an answer from a worker that was replaced cannot be
    /// taken for an answer to a new request.
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// The worker's loader, next to the app (trunk writes it unhashed; relative to `<base>`, so it
/// works under the Pages sub-path too).
fn loader_url() -> String {
    let base = document().base_uri().ok().flatten().unwrap_or_default();
    let base = base.split(['#', '?']).next().unwrap_or_default();
    let dir = base.rsplit_once('/').map_or("", |(d, _)| d);
    format!("{dir}/hashhalo-worker_loader.js")
}

fn start() -> Result<Client, String> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&loader_url(), &options)
        .map_err(|_| "the page's worker could not start".to_string())?;
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|ev: web_sys::MessageEvent| {
        let data = ev.data();
        if data.as_string().as_deref() == Some("ready") {
            CLIENT.with_borrow_mut(|c| {
                if let Some(c) = c {
                    c.ready = true;
                    for m in c.queue.drain(..) {
                        let _ = c.worker.post_message(&m);
                    }
                }
            });
            return;
        }
        let get = |k: &str| js_sys::Reflect::get(&data, &JsValue::from_str(k)).ok();
        let id = get("id").and_then(|v| v.as_f64()).unwrap_or(-1.0) as u32;
        let answer = match (
            get("ok").and_then(|v| v.as_string()),
            get("error").and_then(|v| v.as_string()),
        ) {
            (Some(ok), _) => Ok(ok),
            (None, Some(e)) => Err(e),
            (None, None) => Err("the worker gave no answer".into()),
        };
        let done = CLIENT.with_borrow_mut(|c| c.as_mut().and_then(|c| c.waiting.remove(&id)));
        if let Some(done) = done {
            done(answer);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|_| {
        let waiting: Vec<Done> = CLIENT.with_borrow_mut(|c| {
            c.take()
                .map(|c| {
                    c.worker.terminate();
                    c.waiting.into_values().collect()
                })
                .unwrap_or_default()
        });
        for done in waiting {
            done(Err(
                "the page's worker stopped; reload the page and try again".into(),
            ));
        }
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(Client {
        worker,
        ready: false,
        queue: Vec::new(),
        waiting: HashMap::new(),
    })
}

/// Asks the worker to do `op` with `text` (and `lab`); `done` gets its answer.
pub fn ask(
    op: &str,
    text: &str,
    lab: Option<&str>,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    let message = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str(k), v);
    };
    set("op", &JsValue::from_str(op));
    set("text", &JsValue::from_str(text));
    if let Some(lab) = lab {
        set("lab", &JsValue::from_str(lab));
    }
    let started = CLIENT.with_borrow_mut(|c| {
        if c.is_none() {
            *c = Some(start()?);
        }
        Ok::<(), String>(())
    });
    if let Err(e) = started {
        done(Err(e));
        return;
    }
    let id = NEXT_ID.get();
    NEXT_ID.set(id.wrapping_add(1));
    set("id", &JsValue::from_f64(f64::from(id)));
    CLIENT.with_borrow_mut(|c| {
        if let Some(c) = c.as_mut() {
            c.waiting.insert(id, Box::new(done));
            let message: JsValue = message.clone().into();
            if c.ready {
                let _ = c.worker.post_message(&message);
            } else {
                c.queue.push(message);
            }
        }
    });
}

type OnError = Rc<dyn Fn(String)>;

/// A deck edit waiting: its JSON, who hears what went wrong, and how often it was sent.
type WaitingEdit = (String, OnError, u8);

/// The most deck edits waiting their turn; more are refused.
const MAX_WAITING_EDITS: usize = 64;

thread_local! {
    /// Deck edits waiting, and whether one is with the worker: they are made one at a time,
    /// each read against the lab as the ones before it left it.
    static EDITS: RefCell<(bool, VecDeque<WaitingEdit>)> =
        const { RefCell::new((false, VecDeque::new())) };
}

/// Makes the edit a deck sent (JSON, as a scenario file writes it) as one change; `on_error`
/// gets what was wrong with it. Edits are made in the order they came, each after the one
/// before (so "add D" then "fail D" works).
pub fn edit(state: AppState, json: String, on_error: impl Fn(String) + 'static) {
    let on_error: OnError = Rc::new(on_error);
    let refused = EDITS.with_borrow_mut(|(_, waiting)| {
        if waiting.len() >= MAX_WAITING_EDITS {
            return true;
        }
        waiting.push_back((json, Rc::clone(&on_error), 0));
        false
    });
    if refused {
        on_error(format!(
            "too many edits are waiting ({MAX_WAITING_EDITS}); send the next when one is made"
        ));
        return;
    }
    next_edit(state);
}

/// Sends the next waiting edit, unless one is with the worker already.
fn next_edit(state: AppState) {
    let next = EDITS.with_borrow_mut(|(busy, waiting)| {
        if *busy {
            return None;
        }
        let next = waiting.pop_front()?;
        *busy = true;
        Some(next)
    });
    let Some((json, on_error, tries)) = next else {
        return;
    };
    let lab = state.lab.with_untracked(LabState::encode);
    let (text, sent) = (json.clone(), lab.clone());
    ask("edit", &text, Some(&sent), move |answer| {
        EDITS.with_borrow_mut(|(busy, _)| *busy = false);
        // The edit names servers by label: read against another lab, it could change another
        // server. If the lab changed meanwhile (a step, a drag), read it again.
        if state.lab.with_untracked(LabState::encode) != lab {
            if tries < 3 {
                EDITS.with_borrow_mut(|(_, waiting)| {
                    waiting.push_front((json, on_error, tries + 1))
                });
            } else {
                on_error("the lab kept changing while the edit was read; it was not made".into());
            }
            return next_edit(state);
        }
        let scenario = answer.and_then(|text| Scenario::decode(&text).map_err(|e| e.to_string()));
        match scenario {
            Ok(s) => {
                for e in s.steps.into_iter().flat_map(|step| step.edits) {
                    if let Err(e) = state.change(e) {
                        on_error(e.to_string());
                    }
                }
            }
            Err(e) => on_error(e),
        }
        next_edit(state);
    });
}
