//! The ring: drawn from [`Drawing`], dragged with a pointer, moved with the keyboard. What a
//! press picks, what a drag or a key does, and where travelling keys go are the pure
//! functions of [`crate::ring`]; this component reads events, calls them and draws.

use std::sync::Arc;

use hashhalo_core::ServerId;
use hashhalo_core::geometry::{angle_of_point, angle_to_position};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::animation::Animation;
use crate::components::ring_layers::{
    CentreText, Overlays, Parts, ProbeMarks, ZeroMark, handle_point, server_arcs, server_group,
};
use crate::drawing::{Drawing, PathCache, PathData};
use crate::palette::colour;
use crate::ring::drag::Drag;
use crate::ring::hit::{self, Target};
use crate::ring::keyboard::{self, Action};
use crate::state::{AppState, Shared};
use crate::svg::{self, CENTRE, SIZE};

/// A finger's target, in CSS pixels: a press this close to a handle or a virtual node picks it.
const TOUCH_TARGET: f64 = 44.0;
/// The least pick distance in SVG units (a handle's radius).
const LEAST_PICK: f64 = 14.0;
/// A handle's radius in CSS pixels on a drawing shown small.
const HANDLE_PIXELS: f64 = 10.0;

/// Draws the ring from [`AppState`] and turns pointer and keyboard input into edits. Takes no
/// props: servers' handles and the selected virtual node's handle are the interactive parts;
/// everything else is drawn.
#[component]
pub fn RingView() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let animation = crate::provided::<Animation>();
    let cache = StoredValue::new_local(PathCache::default());
    // The server whose handle is being dragged: drawn over the others (see `Drawing::of`).
    let lifted = RwSignal::new(None::<ServerId>);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    // How many pixels a unit of the drawing is on screen, measured after each render of the
    // page's size: a drawing shown small gets larger handles.
    let pixels_per_unit = RwSignal::new(1.0f64);
    let remeasure = move || {
        if let Some(el) = svg_ref.get_untracked() {
            let r = el
                .unchecked_into::<web_sys::Element>()
                .get_bounding_client_rect();
            let rendered = r.width().min(r.height());
            if rendered > 0.0 {
                pixels_per_unit.set(rendered / SIZE);
            }
        }
    };
    Effect::new(move |_| {
        if svg_ref.get().is_some() {
            request_animation_frame(remeasure);
        }
    });
    let on_resize = wasm_bindgen::closure::Closure::<dyn Fn()>::new(remeasure);
    let _ = window().add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_resize.forget();
    let handle_radius =
        Memo::new(move |_| (HANDLE_PIXELS / pixels_per_unit.get()).clamp(LEAST_PICK, 20.0));
    let drawing = Memo::new(move |_| {
        let shown = state.shown.get();
        let lifted = lifted.get();
        let radius = handle_radius.get();
        let mut drawing = Drawing::default();
        cache.update_value(|c| drawing = Drawing::sized(&shown, lifted, radius, c));
        Shared(Arc::new(drawing))
    });
    let drag = StoredValue::new(None::<Drag>);
    // The drawing's place on screen, measured when a drag starts: it does not move during the
    // drag, and measuring on every move would force a layout each time.
    let rect = StoredValue::new_local(None::<web_sys::DomRect>);
    let measure = move || -> Option<web_sys::DomRect> {
        rect.get_value().or_else(|| {
            Some(
                svg_ref
                    .get_untracked()?
                    .unchecked_into::<web_sys::Element>()
                    .get_bounding_client_rect(),
            )
        })
    };
    let to_svg = move |ev: &web_sys::PointerEvent| -> Option<(f64, f64)> {
        let bounds = measure()?;
        Some(svg::client_to_svg(
            &bounds,
            f64::from(ev.client_x()),
            f64::from(ev.client_y()),
        ))
    };
    let position_at = |(x, y): (f64, f64)| angle_to_position(angle_of_point(CENTRE, CENTRE, x, y));

    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        if !drawing.with_untracked(|d| d.draggable)
            || state.show_before.get_untracked()
            || state.view.with_untracked(|v| v.readonly)
        {
            return;
        }
        let (Some(at), Some(bounds)) = (to_svg(&ev), measure()) else {
            return;
        };
        let rendered = bounds.width().min(bounds.height());
        let least = drawing.with_untracked(|d| d.handle_radius);
        let tolerance = hit::tolerance(TOUCH_TARGET, SIZE, rendered, least);
        let handles: Vec<(ServerId, (f64, f64))> =
            drawing.with_untracked(|d| d.servers.iter().map(|s| (s.id, handle_point(s))).collect());
        let grabbed = state.current.with_untracked(|c| {
            let ring = c.router().ok()?.ring()?;
            match hit::pick(at, &handles, ring.positions(), tolerance)? {
                Target::Handle(id) => {
                    let shift = c.servers().iter().find(|s| s.id == id)?.shift;
                    Some(Drag::Server {
                        id,
                        grab: position_at(at),
                        start_shift: shift,
                    })
                }
                Target::Point(i) => {
                    let point = ring.points().nth(i)?;
                    Some(Drag::Token {
                        id: point.server,
                        index: point.index,
                    })
                }
            }
        });
        let Some(grabbed) = grabbed else { return };
        ev.prevent_default();
        if let Some(el) = svg_ref.get_untracked() {
            let el: web_sys::Element = el.unchecked_into();
            // Synthetic pointers (as in tests) cannot be captured; the drag works without.
            let _ = el.set_pointer_capture(ev.pointer_id());
            rect.set_value(Some(el.get_bounding_client_rect()));
        }
        match grabbed {
            Drag::Token { id, index } => state.selected.set(Some((id, index))),
            Drag::Server { id, .. } => lifted.set(Some(id)),
        }
        drag.set_value(Some(grabbed));
        state.begin_drag();
    };

    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        let Some(grabbed) = drag.get_value() else {
            return;
        };
        let Some(at) = to_svg(&ev) else { return };
        ev.prevent_default();
        state.drag_step(grabbed.step(position_at(at)));
    };

    let on_pointer_up = move |_ev: web_sys::PointerEvent| {
        if drag.get_value().is_some() {
            drag.set_value(None);
            rect.set_value(None);
            lifted.set(None);
            state.end_drag();
        }
    };

    // Keyboard: a focused server handle turns its server; the token handle moves its token.
    let act = move |action: Action| match action {
        Action::Edit(edit) => {
            let _ = state.change(edit);
        }
        Action::Select(id, index) => {
            state.selected.set(Some((id, index)));
            focus_token_handle();
        }
        Action::Deselect(id) => {
            state.selected.set(None);
            focus_selector(&format!("[data-handle=\"{}\"]", id.0));
        }
    };
    let on_server_key = move |id: ServerId, ev: web_sys::KeyboardEvent| {
        if !drawing.with_untracked(|d| d.draggable) || state.view.with_untracked(|v| v.readonly) {
            return;
        }
        let shift = state
            .lab
            .with_untracked(|l| l.servers.iter().find(|s| s.id == id).map(|s| s.shift));
        let Some(now) = shift else { return };
        if let Some(action) = keyboard::on_server(&ev.key(), ev.shift_key(), id, now) {
            ev.prevent_default();
            act(action);
        }
    };

    // One search a frame, shared by the token handle's attributes.
    let token_memo = Memo::new(move |_| {
        let (id, index) = state.selected.get()?;
        drawing.with(|d| d.draggable).then_some(())?;
        let position = state
            .shown
            .with(|c| c.router().ok()?.ring()?.point_position(id, index))?;
        Some((id, index, position))
    });
    let on_token_key = move |ev: web_sys::KeyboardEvent| {
        let Some((id, index, position)) = token_memo.get_untracked() else {
            return;
        };
        let count = state.lab.with_untracked(|l| {
            l.servers
                .iter()
                .find(|s| s.id == id)
                .map_or(1, |s| s.weight * l.router.vnodes)
        });
        let key = ev.key();
        if let Some(action) = keyboard::on_token(&key, ev.shift_key(), id, index, count, position) {
            ev.prevent_default();
            act(action);
        }
    };

    // Each part of each server's drawing in its own signal, set only when it changes: a
    // frame wakes only the elements whose part changed. The arcs layer lists the servers by
    // bringing every part up to date, once a frame; the layer above only lists them.
    let parts = Parts::default();
    let update_parts = move || drawing.with(|d| parts.update(d));
    let server_ids = move || drawing.with(|d| d.servers.iter().map(|s| s.id).collect::<Vec<_>>());

    view! {
        <svg
            class="ring"
            node_ref=svg_ref
            viewBox="0 0 600 600"
            role="group"
            aria-label="Hash ring: each server's arcs in its colour, virtual nodes as ticks, keys as dots; 0 is at the top and positions grow clockwise"
            class:dragging=move || state.dragging.get()
            on:pointerdown=on_pointer_down
            on:pointermove=on_pointer_move
            on:pointerup=on_pointer_up
            on:pointercancel=on_pointer_up
        >
            <circle class="track" cx=svg::num(CENTRE) cy=svg::num(CENTRE) r=svg::num(svg::RING_RADIUS) />
            // Every server's arcs, then a dragged server's arcs over them (see `Drawing::lifted`),
            // then the rest of each server's drawing, so no arc hides a tick.
            <g class="arcs">
                <For each=update_parts key=|id| *id let:id>
                    {server_arcs(parts, id)}
                </For>
            </g>
            <path
                class="arc-lifted"
                d=move || drawing.with(|d| d.lifted.as_ref().map(|l| Arc::clone(&l.1))).unwrap_or_else(|| PathData::from(""))
                stroke=move || drawing.with(|d| d.lifted.as_ref().map_or("none", |l| colour(l.0)))
            />
            <ZeroMark />
            <g class="servers" class:density=move || drawing.with(|d| d.density)>
                <For each=server_ids key=|id| *id let:id>
                    {server_group(parts, id, handle_radius, on_server_key)}
                </For>
            </g>
            <ProbeMarks drawing=drawing />
            <Overlays drawing=drawing animation=animation token=token_memo on_token_key=on_token_key />
            <CentreText drawing=drawing />
        </svg>
    }
}

fn focus_selector(selector: &str) {
    if let Some(el) = document().query_selector(selector).ok().flatten() {
        let _ = el.unchecked_into::<web_sys::SvgElement>().focus();
    }
}

fn focus_token_handle() {
    // The handle appears on the next render.
    request_animation_frame(|| focus_selector(".token-handle"));
}
