//! The worker's entry: answers each message (`{id, op, text, lab, data}`) with `{id, ok}`
//! (and `data` for the binary operations) or `{id, error}`, after posting `"ready"` once it
//! listens; long work posts `{id, progress}` (a fraction) on the way.
//!
//! Two operations carry bytes (`Uint8Array`s, moved rather than copied): `keys` answers
//! `data: {keys}`, a key set as `KeySet::to_bytes` writes it (`text` is a pasted list, or empty
//! to generate; `data: {keys}` in the request, a key set to hash again), and `assign` takes
//! `data: {positions}` (little-endian `u64`s) and answers `data: {owners}` (little-endian
//! `u32`s, `u32::MAX` for none).

#[cfg(target_arch = "wasm32")]
mod binary {
    use hashhalo_core::KeySet;
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    /// The bytes a request's `data` holds under `name`, if it holds a byte array there.
    fn bytes(data: &JsValue, name: &str) -> Option<Vec<u8>> {
        let array = Reflect::get(data, &name.into()).ok()?;
        Some(array.dyn_into::<Uint8Array>().ok()?.to_vec())
    }

    /// The positions an `assign` request carries (little-endian `u64`s).
    pub fn positions(data: &JsValue) -> Option<Vec<u64>> {
        let bytes = bytes(data, "positions")?;
        Some(
            bytes
                .chunks_exact(8)
                .map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
                .collect(),
        )
    }

    /// The key set a `keys` request carries to hash again, if any (see `KeySet::to_bytes`).
    pub fn keys(data: &JsValue) -> Option<Result<KeySet, String>> {
        let bytes = bytes(data, "keys")?;
        Some(KeySet::from_bytes(&bytes).map_err(|e| e.to_string()))
    }

    /// `bytes` under `name` in an answer's `data`, and its buffer to move.
    pub fn answer(name: &str, bytes: &[u8]) -> (JsValue, Array) {
        let out = Object::new();
        let array = Uint8Array::from(bytes);
        let _ = Reflect::set(&out, &name.into(), &array);
        (out.into(), Array::of1(&array.buffer()))
    }
}

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
        let lab = request.lab.clone().unwrap_or_default();
        let input = js_sys::Reflect::get(&data, &"data".into()).unwrap_or(JsValue::UNDEFINED);
        let (handled, binary): (Result<String, String>, Option<(JsValue, js_sys::Array)>) =
            match request.op.as_str() {
                "keys" => {
                    let from = match binary::keys(&input) {
                        Some(Ok(keys)) => Ok(hashhalo_worker::KeysFrom::Set(keys)),
                        Some(Err(e)) => Err(e),
                        None if request.text.is_empty() => Ok(hashhalo_worker::KeysFrom::Generated),
                        None => Ok(hashhalo_worker::KeysFrom::Pasted(request.text.clone())),
                    };
                    match from
                        .and_then(|from| hashhalo_worker::make_keys(&lab, from, &mut progress))
                    {
                        Ok((keys, record)) => {
                            let text = record.map_or(String::new(), |r| {
                                format!("{} {}", r.count, r.fingerprint)
                            });
                            (Ok(text), Some(binary::answer("keys", &keys.to_bytes())))
                        }
                        Err(e) => (Err(e), None),
                    }
                }
                "assign" => match binary::positions(&input)
                    .ok_or_else(|| "assign needs the keys' positions".to_string())
                    .and_then(|p| hashhalo_worker::assign(&lab, &p))
                {
                    Ok(owners) => {
                        let bytes: Vec<u8> = owners.iter().flat_map(|o| o.to_le_bytes()).collect();
                        (Ok(String::new()), Some(binary::answer("owners", &bytes)))
                    }
                    Err(e) => (Err(e), None),
                },
                _ => (
                    hashhalo_worker::handle_with(&request, clock, &mut progress),
                    None,
                ),
            };
        let answer = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&answer, &"id".into(), &id);
        let (key, value) = match handled {
            Ok(text) => ("ok", text),
            Err(e) => ("error", e),
        };
        let _ = js_sys::Reflect::set(&answer, &key.into(), &JsValue::from_str(&value));
        match binary {
            Some((arrays, moved)) => {
                let _ = js_sys::Reflect::set(&answer, &"data".into(), &arrays);
                let _ = reply_to.post_message_with_transfer(&answer, &moved);
            }
            None => {
                let _ = reply_to.post_message(&answer);
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("hashhalo-worker runs in a browser: trunk builds it with the app");
}
