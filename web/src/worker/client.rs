//! The worker itself: started on the first request, with the requests that came before it
//! said it was ready kept in order. A chunk of its own in the split build
//! ([`super::ask`] loads it the first time).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::{Done, Request};

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
pub(super) fn loader_url() -> String {
    let base = document().base_uri().ok().flatten().unwrap_or_default();
    let base = base.split(['#', '?']).next().unwrap_or_default();
    let dir = base.rsplit_once('/').map_or("", |(d, _)| d);
    format!("{dir}/hashhalo-worker_loader.js")
}

/// The answer a worker's message carries: `{ok}` or `{error}`.
pub(super) fn answer_of(data: &JsValue) -> Result<String, String> {
    let get = |k: &str| {
        js_sys::Reflect::get(data, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
    };
    match (get("ok"), get("error")) {
        (Some(ok), _) => Ok(ok),
        (None, Some(e)) => Err(e),
        (None, None) => Err("the worker gave no answer".into()),
    }
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
        // Progress is for jobs (`super::job`); what this client sends answers at once.
        if get("progress").is_some_and(|p| p.as_f64().is_some()) {
            return;
        }
        let answer = answer_of(&data);
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

/// Sends `request` to the worker, starting it first if it is not running.
pub fn send(request: Request) {
    let Request {
        op,
        text,
        lab,
        done,
    } = request;
    let message = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str(k), v);
    };
    set("op", &JsValue::from_str(op));
    set("text", &JsValue::from_str(&text));
    if let Some(lab) = &lab {
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
            c.waiting.insert(id, done);
            let message: JsValue = message.clone().into();
            if c.ready {
                let _ = c.worker.post_message(&message);
            } else {
                c.queue.push(message);
            }
        }
    });
}
