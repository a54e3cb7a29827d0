//! Component tests in headless Chromium (wasm-bindgen-test).

use std::cell::Cell;
use std::rc::Rc;

use hashhalo_core::{Server, Status};
use hashhalo_web::components::legend::Legend;
use hashhalo_web::components::ring_view::RingView;
use hashhalo_web::{App, AppState, svg};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the document body to mount into.
fn container() -> web_sys::HtmlElement {
    let document = document();
    let section = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&section).unwrap();
    section.unchecked_into()
}

/// Mounts `view` with a fresh [`AppState`] in context and hands the state back.
fn mount_with_state<V: IntoView + 'static>(
    parent: &web_sys::HtmlElement,
    view: fn() -> V,
) -> (AppState, impl Drop) {
    let slot = Rc::new(Cell::new(None));
    let out = slot.clone();
    let handle = mount_to(parent.clone(), move || {
        let state = AppState::new();
        out.set(Some(state));
        provide_context(state);
        view()
    });
    (slot.get().expect("the view was built"), handle)
}

fn texts(parent: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = parent.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn attrs(parent: &web_sys::HtmlElement, selector: &str, name: &str) -> Vec<String> {
    let list = parent.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute(name)
                .unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_app_mounts_a_ring_and_a_legend() {
    let root = container();
    let _handle = mount_to(root.clone(), App);
    tick().await;
    assert_eq!(texts(&root, "h1"), ["HashHalo"]);
    assert_eq!(root.query_selector_all("svg.ring").unwrap().length(), 1);
    assert_eq!(texts(&root, ".legend-row .label"), ["A", "B", "C"]);
}

#[wasm_bindgen_test]
async fn legend_counts_cover_every_key_and_follow_the_servers() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <Legend /> });
    tick().await;

    let counts: Vec<u64> = texts(&root, "[data-testid=count]")
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    assert_eq!(counts.len(), 3);
    assert_eq!(counts.iter().sum::<u64>(), 1000);

    // Adding D: a fourth row, and the keys are still all counted.
    state.servers.update(|s| s.push(Server::new(3, "D")));
    tick().await;
    let counts: Vec<u64> = texts(&root, "[data-testid=count]")
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    assert_eq!(texts(&root, ".legend-row .label"), ["A", "B", "C", "D"]);
    assert_eq!(counts.iter().sum::<u64>(), 1000);
    assert!(counts[3] > 0, "D took some keys: {counts:?}");

    // A down server keeps its row, greyed, with no keys.
    state.servers.update(|s| s[0].status = Status::Down);
    tick().await;
    let row = root
        .query_selector(".legend-row[data-server=A]")
        .unwrap()
        .unwrap();
    assert!(row.class_list().contains("down"));
    assert_eq!(texts(&root, "[data-testid=count]")[0], "0");
}

#[wasm_bindgen_test]
async fn the_ring_draws_one_colour_per_server_and_every_key() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <RingView /> });
    tick().await;

    let mut colours = attrs(&root, "path.arc", "stroke");
    colours.sort();
    colours.dedup();
    assert_eq!(colours.len(), 3);
    let keys: u32 = attrs(&root, "path.keys", "data-keys")
        .iter()
        .map(|n| n.parse::<u32>().unwrap())
        .sum();
    assert_eq!(keys, 1000);

    // One virtual node each: exactly three arcs unless two points happen to be adjacent.
    state.vnodes.set(1);
    tick().await;
    assert_eq!(attrs(&root, "path.arc", "d").len(), 3);
    let ticks: usize = attrs(&root, "path.ticks", "d")
        .iter()
        .map(|d| d.matches('M').count())
        .sum();
    assert_eq!(ticks, 3);

    // A bad configuration is said on the ring, not panicked over.
    state.vnodes.set(0);
    tick().await;
    assert_eq!(
        texts(&root, ".ring-error"),
        ["a server needs at least one virtual node"]
    );
    assert_eq!(root.query_selector_all("path.arc").unwrap().length(), 0);
}

#[wasm_bindgen_test]
fn arc_paths_use_the_large_arc_flag_past_half_a_turn() {
    use std::f64::consts::{PI, TAU};
    // A quarter turn from 12 o'clock ends at 3 o'clock: (centre + r, centre).
    let quarter = svg::arc_path(100.0, 0.0, PI / 2.0);
    assert_eq!(quarter, "M300.00 200.00A100 100 0 0 1 400.00 300.00");
    assert!(svg::arc_path(100.0, 0.0, 1.5 * PI).contains(" 0 1 1 "));
    // A full turn is two half arcs back to the start.
    let full = svg::arc_path(100.0, 0.0, TAU);
    assert_eq!(full.matches('A').count(), 2);
    assert!(full.ends_with("300.00 200.00"));
}
