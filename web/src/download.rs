//! Saving a file the page made: a blob, an object URL and a click on a hidden link.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Offers `bytes` as a download named `name`, of type `mime`.
pub fn bytes(name: &str, bytes: &[u8], mime: &str) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    blob_as(name, &blob);
}

/// Offers `text` as a download named `name`, of type `mime`.
pub fn text(name: &str, text: &str, mime: &str) {
    bytes(name, text.as_bytes(), mime);
}

/// Offers `blob` as a download named `name`.
pub fn blob_as(name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // The download has its own reference to the blob by now.
    let _ = web_sys::Url::revoke_object_url(&url);
}
