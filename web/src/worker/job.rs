//! Long work in a worker of its own: the compare view and the experiments. Each job starts a
//! fresh copy of the page's worker (the same wasm, cached after the first), hears its
//! progress, and ends it when the answer comes, so Cancel is simply ending it: nothing else
//! waits on that worker.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Who hears a job's answer, once: emptied when it has.
type Answer = Rc<RefCell<Option<Box<dyn FnOnce(Result<(String, JsValue), String>)>>>>;

/// A running job; [`Job::cancel`] ends it.
pub struct Job {
    worker: web_sys::Worker,
    done: Answer,
}

impl Job {
    /// Ends the job: its worker stops at once, and its answer is the error "cancelled".
    pub fn cancel(&self) {
        self.worker.terminate();
        if let Some(done) = self.done.borrow_mut().take() {
            done(Err("cancelled".into()));
        }
    }
}

/// Starts `op` with `text` and `lab` (see `hashhalo_worker::Request`) in a worker of its
/// own; `progress` hears the fraction done, `done` the answer, once.
pub fn start(
    op: &str,
    text: &str,
    lab: Option<&str>,
    progress: impl Fn(f64) + 'static,
    done: impl FnOnce(Result<String, String>) + 'static,
) -> Result<Job, String> {
    let text = JsValue::from_str(text);
    start_with(op, &text, lab, None, progress, |answer| {
        done(answer.map(|(text, _)| text))
    })
}

/// Arrays a job sends or answers: an object of typed arrays, and their buffers, which move to
/// the other side instead of being copied.
pub type Arrays = (JsValue, js_sys::Array);

/// Starts `op` as [`start`] does, with `text` a JavaScript string and `data` arrays to move to
/// the worker (their buffers are transferred, not copied); `done` hears
/// the answer's text and its `data` (`undefined` when it has none).
pub fn start_with(
    op: &str,
    text: &JsValue,
    lab: Option<&str>,
    data: Option<Arrays>,
    progress: impl Fn(f64) + 'static,
    done: impl FnOnce(Result<(String, JsValue), String>) + 'static,
) -> Result<Job, String> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&super::client::loader_url(), &options)
        .map_err(|_| "the page's worker could not start".to_string())?;
    let done: Answer = Rc::new(RefCell::new(Some(Box::new(done))));
    let message = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str(k), v);
    };
    set("id", &JsValue::from_f64(0.0));
    set("op", &JsValue::from_str(op));
    set("text", text);
    if let Some(lab) = lab {
        set("lab", &JsValue::from_str(lab));
    }
    let moved = data.map(|(arrays, buffers)| {
        set("data", &arrays);
        buffers
    });
    let (me, finished) = (worker.clone(), Rc::clone(&done));
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            if data.as_string().as_deref() == Some("ready") {
                let _ = match &moved {
                    Some(buffers) => me.post_message_with_transfer(&message, buffers),
                    None => me.post_message(&message),
                };
                return;
            }
            let get = |k: &str| js_sys::Reflect::get(&data, &JsValue::from_str(k)).ok();
            if let Some(p) = get("progress").and_then(|v| v.as_f64()) {
                progress(p);
                return;
            }
            let arrays = get("data").unwrap_or(JsValue::UNDEFINED);
            let answer = super::client::answer_of(&data).map(|text| (text, arrays));
            me.terminate();
            if let Some(done) = finished.borrow_mut().take() {
                done(answer);
            }
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The closures live as long as the worker may call them; a job is started by a person's
    // press, so the few that are kept stay few.
    on_message.forget();
    let (me, failed) = (worker.clone(), Rc::clone(&done));
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
        me.terminate();
        if let Some(done) = failed.borrow_mut().take() {
            done(Err("the worker stopped; try again".into()));
        }
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(Job { worker, done })
}
