//! The worker's entry: answers each message (`{id, op, text, lab}`) with `{id, ok}` or
//! `{id, error}`, after posting `"ready"` once it listens; long work posts `{id, progress}`
//! (a fraction) on the way.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let get = |k: &str| {
            js_sys::Reflect::get(&data, &JsValue::from_str(k))
                .ok()
                .and_then(|v| v.as_string())
        };
        let id = js_sys::Reflect::get(&data, &JsValue::from_str("id")).unwrap_or(JsValue::NULL);
        let request = hashhalo_worker::Request {
            op: get("op").unwrap_or_default(),
            text: get("text").unwrap_or_default(),
            lab: get("lab"),
        };
        let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .and_then(|p| p.dyn_into::<web_sys::Performance>().ok());
        let clock = performance.map(|p| move || p.now());
        let clock = clock.as_ref().map(|c| c as &dyn Fn() -> f64);
        let mut last = -1.0;
        let mut progress = |fraction: f64| {
            // Whole percents only: the page needs no more, and each post is a copy.
            let percent = (fraction * 100.0).floor();
            if percent > last {
                last = percent;
                let message = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&message, &"id".into(), &id);
                let _ =
                    js_sys::Reflect::set(&message, &"progress".into(), &(percent / 100.0).into());
                let _ = reply_to.post_message(&message);
            }
        };
        let handled = hashhalo_worker::handle_with(&request, clock, &mut progress);
        let answer = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&answer, &"id".into(), &id);
        let (key, value) = match handled {
            Ok(text) => ("ok", text),
            Err(e) => ("error", e),
        };
        let _ = js_sys::Reflect::set(&answer, &key.into(), &JsValue::from_str(&value));
        let _ = reply_to.post_message(&answer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("hashhalo-worker runs in a browser: trunk builds it with the app");
}
