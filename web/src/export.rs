//! The ring as a picture, for decks that cannot embed a page: an SVG document drawn exactly as
//! on screen (every element's computed style written onto it, the page's background behind
//! it), a PNG of it at twice the size shown, and a scenario's steps as numbered PNGs in a zip.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::animation::Animation;
use crate::state::AppState;

/// The styles that decide how the drawing looks, copied from the screen onto the picture.
const STYLES: [&str; 13] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-opacity",
    "opacity",
    "font-size",
    "font-weight",
    "font-family",
    "text-anchor",
    "visibility",
];

/// The ring on screen as a standalone SVG document, `lines` of text under it if any (a step's
/// caption and what it moved), and its size in CSS pixels.
pub fn ring_svg(lines: &[String]) -> Option<(String, f64)> {
    let svg = document().query_selector("svg.ring").ok()??;
    let size = svg.get_bounding_client_rect().width().round().max(1.0);
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let (from, to) = (
        svg.query_selector_all("*").ok()?,
        copy.query_selector_all("*").ok()?,
    );
    for i in 0..from.length().min(to.length()) {
        let (Some(a), Some(b)) = (from.item(i), to.item(i)) else {
            continue;
        };
        let (Ok(a), Ok(b)) = (
            a.dyn_into::<web_sys::Element>(),
            b.dyn_into::<web_sys::Element>(),
        ) else {
            continue;
        };
        let Some(computed) = window().get_computed_style(&a).ok().flatten() else {
            continue;
        };
        let style: String = STYLES
            .iter()
            .filter_map(|p| {
                computed
                    .get_property_value(p)
                    .ok()
                    .map(|v| format!("{p}:{v};"))
            })
            .collect();
        let _ = b.set_attribute("style", &style);
        let _ = b.remove_attribute("tabindex");
    }
    // The page's colours are the root element's (see the stylesheet's `:root`).
    let root = document()
        .document_element()
        .and_then(|r| window().get_computed_style(&r).ok().flatten());
    let page = |property: &str, or: &str| {
        root.as_ref()
            .and_then(|s| s.get_property_value(property).ok())
            .unwrap_or_else(|| or.into())
    };
    let (background, ink) = (page("background-color", "white"), page("color", "black"));
    // The text goes in a band under the ring, 26 units a line.
    let band = 26.0 * lines.len() as f64 + if lines.is_empty() { 0.0 } else { 16.0 };
    let height = 600.0 + band;
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.set_attribute("viewBox", &format!("0 0 600 {}", crate::svg::num(height)));
    let _ = copy.set_attribute("width", &crate::svg::num(size));
    let _ = copy.set_attribute("height", &crate::svg::num(size * height / 600.0));
    let _ = copy.remove_attribute("class");
    let ns = Some("http://www.w3.org/2000/svg");
    let rect = document().create_element_ns(ns, "rect").ok()?;
    for (k, v) in [
        ("width", "600"),
        ("height", &crate::svg::num(height)),
        ("fill", &background),
    ] {
        let _ = rect.set_attribute(k, v);
    }
    let _ = copy.insert_before(&rect, copy.first_child().as_ref());
    for (i, line) in lines.iter().enumerate() {
        let text = document().create_element_ns(ns, "text").ok()?;
        let y = 600.0 + 26.0 * (i as f64 + 1.0);
        for (k, v) in [("x", "20"), ("y", &crate::svg::num(y)), ("fill", &ink)] {
            let _ = text.set_attribute(k, v);
        }
        let _ = text.set_attribute("style", "font: 17px system-ui, sans-serif");
        text.set_text_content(Some(line));
        let _ = copy.append_child(&text);
    }
    let text = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()?;
    Some((text, size))
}

/// `text` cut into lines of at most `width` characters, at spaces.
///
/// ```
/// assert_eq!(hashhalo_web::export::wrap("one two three", 8), ["one two", "three"]);
/// ```
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// `svg` drawn at `scale` times `size` pixels square (taller if the picture is), as PNG bytes.
pub async fn png(svg: &str, size: f64, scale: f64) -> Result<Vec<u8>, String> {
    let fail = |what: &str| format!("the picture could not be made ({what})");
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| fail("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("url"))?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| fail("image"))?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(|_| fail("decode"))?;
    let (w, h) = (image.natural_width() as f64, image.natural_height() as f64);
    let (width, height) = (
        (size * scale).round(),
        (size * scale * h / w.max(1.0)).round(),
    );
    let canvas: web_sys::HtmlCanvasElement = document()
        .create_element("canvas")
        .map_err(|_| fail("canvas"))?
        .unchecked_into();
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or_else(|| fail("context"))?
        .unchecked_into();
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width, height)
        .map_err(|_| fail("draw"))?;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = canvas.to_blob(&resolve);
    });
    let png: web_sys::Blob = JsFuture::from(promise)
        .await
        .map_err(|_| fail("png"))?
        .unchecked_into();
    let buffer = JsFuture::from(png.array_buffer())
        .await
        .map_err(|_| fail("bytes"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Waits for the next frame to be drawn.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        request_animation_frame(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
    });
    let _ = JsFuture::from(promise).await;
}

/// Every step of the open scenario as a PNG 1,200 pixels wide (`step-00.png` is the start), its caption
/// and what it moved under the ring, in a zip; then back to exactly what was shown before
/// (the step, any changes made by hand to it, autoplay), whether the pictures could be made
/// or not.
pub async fn steps_zip(state: AppState, animation: Animation) -> Result<(String, Vec<u8>), String> {
    let Some(playing) = state.player.get_untracked() else {
        return Err("open a scenario first".into());
    };
    let shown = (
        playing.clone(),
        state.lab.get_untracked(),
        state.before.get_untracked(),
        state.probe.get_untracked(),
    );
    // Autoplay would step the player between the pictures.
    state.set_autoplay(false);
    let files = draw_steps(state, animation, &playing).await;
    let (player, lab, before, probe) = shown;
    state.player.set(Some(player));
    state.before.set(before);
    state.probe.set(probe);
    state.lab.set(lab);
    state.ask_worker();
    animation.finish(state);
    Ok((
        format!("{}-steps.zip", playing.scenario.id),
        crate::zip::store(&files?),
    ))
}

async fn draw_steps(
    state: AppState,
    animation: Animation,
    playing: &crate::player::Playing,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    for k in 0..=playing.steps() {
        state.goto_step(k);
        animation.finish(state);
        // Effects draw on the next frames.
        next_frame().await;
        next_frame().await;
        let (caption, _) = state
            .player
            .with_untracked(|p| p.as_ref().map(|p| p.caption()))
            .unwrap_or_default();
        let headline = state
            .movement
            .with_untracked(|m| m.as_ref().map(|v| v.explanation.headline.clone()));
        let mut lines = wrap(&format!("{} {caption}", playing_position(k)), 62);
        lines.extend(headline.iter().flat_map(|h| wrap(h, 62)));
        // Every step the same size, whatever the page's layout: 600 units at 2×.
        let (svg, _) = ring_svg(&lines).ok_or("the ring is not on the page")?;
        files.push((format!("step-{k:02}.png"), png(&svg, 600.0, 2.0).await?));
    }
    Ok(files)
}

fn playing_position(k: usize) -> String {
    if k == 0 {
        "Start:".into()
    } else {
        format!("Step {k}:")
    }
}
