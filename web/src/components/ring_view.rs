//! The ring: drawn from [`Drawing`], dragged with a pointer, moved with the keyboard.

use std::f64::consts::TAU;
use std::sync::Arc;

use hashhalo_core::ServerId;
use hashhalo_core::geometry::{
    angle_of_point, angle_to_position, nearest_point, position_to_angle,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::animation::Animation;
use crate::drawing::{Drawing, HANDLE_RADIUS, PathCache, PathData, ServerDrawing};
use crate::fan_out::FanOut;
use crate::palette::colour;
use crate::state::{AppState, Shared};
use crate::svg::{self, CENTRE, KEY_RADIUS, RING_RADIUS, SIZE};

/// A fine keyboard step: half a degree. With Shift: fifteen degrees.
const FINE_STEP: f64 = TAU / 720.0;
const COARSE_STEP: f64 = TAU / 24.0;
/// How close (in radians) a press must be to a virtual node to pick it up.
const GRAB_TOLERANCE: f64 = 0.035;

/// What a pointer is dragging.
#[derive(Debug, Clone, Copy)]
enum Drag {
    /// A whole server, turned by its shift.
    Server {
        id: ServerId,
        grab: u64,
        start_shift: u64,
    },
    /// One virtual node, pinned where it is dropped.
    Token { id: ServerId, index: u32 },
}

/// Draws the ring from [`AppState`] and turns pointer and keyboard input into changes.
/// Takes no props: servers' handles and the selected virtual node's handle are the
/// interactive parts; everything else is drawn.
#[component]
pub fn RingView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let animation = expect_context::<Animation>();
    let cache = StoredValue::new_local(PathCache::default());
    // The server whose handle is being dragged: drawn over the others (see `Drawing::of`).
    let lifted = RwSignal::new(None::<ServerId>);
    let drawing = Memo::new(move |_| {
        let shown = state.shown.get();
        let lifted = lifted.get();
        let mut drawing = Drawing::default();
        cache.update_value(|c| drawing = Drawing::of(&shown, lifted, c));
        Shared(Arc::new(drawing))
    });
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let drag = StoredValue::new(None::<Drag>);

    // The drawing's place on screen, measured when a drag starts: it does not move during the
    // drag, and measuring on every move would force a layout each time.
    let rect = StoredValue::new_local(None::<web_sys::DomRect>);

    let pointer_position = move |ev: &web_sys::PointerEvent| -> Option<(u64, f64)> {
        let bounds = match rect.get_value() {
            Some(r) => r,
            None => svg_ref
                .get_untracked()?
                .unchecked_into::<web_sys::Element>()
                .get_bounding_client_rect(),
        };
        let (x, y) =
            svg::client_to_svg(&bounds, f64::from(ev.client_x()), f64::from(ev.client_y()));
        let radius = ((x - CENTRE).powi(2) + (y - CENTRE).powi(2)).sqrt();
        Some((
            angle_to_position(angle_of_point(CENTRE, CENTRE, x, y)),
            radius,
        ))
    };

    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        if !drawing.with_untracked(|d| d.draggable) || state.show_before.get_untracked() {
            return;
        }
        let Some((position, radius)) = pointer_position(&ev) else {
            return;
        };
        let target: Option<web_sys::Element> = ev.target().and_then(|t| t.dyn_into().ok());
        let handle_id = target
            .as_ref()
            .and_then(|t| t.get_attribute("data-handle"))
            .and_then(|s| s.parse().ok());
        let grabbed = if let Some(id) = handle_id {
            let id = ServerId(id);
            state
                .lab
                .with_untracked(|l| l.servers.iter().find(|s| s.id == id).map(|s| s.shift))
                .map(|start_shift| Drag::Server {
                    id,
                    grab: position,
                    start_shift,
                })
        } else if (radius - RING_RADIUS).abs() < 40.0 {
            state.current.with_untracked(|c| {
                let ring = c.router().ok()?.ring()?;
                let tolerance = angle_to_position(GRAB_TOLERANCE);
                let i = nearest_point(ring.positions(), position, tolerance)?;
                let point = ring.points().nth(i)?;
                Some(Drag::Token {
                    id: point.server,
                    index: point.index,
                })
            })
        } else {
            None
        };
        let Some(grabbed) = grabbed else { return };
        ev.prevent_default();
        if let Some(el) = svg_ref.get_untracked() {
            let el: web_sys::Element = el.unchecked_into();
            // Synthetic pointers (as in tests) cannot be captured; the drag works without.
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        match grabbed {
            Drag::Token { id, index } => state.selected.set(Some((id, index))),
            Drag::Server { id, .. } => lifted.set(Some(id)),
        }
        if let Some(el) = svg_ref.get_untracked() {
            rect.set_value(Some(
                el.unchecked_into::<web_sys::Element>()
                    .get_bounding_client_rect(),
            ));
        }
        drag.set_value(Some(grabbed));
        state.begin_drag();
    };

    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        let Some(grabbed) = drag.get_value() else {
            return;
        };
        let Some((position, _)) = pointer_position(&ev) else {
            return;
        };
        ev.prevent_default();
        state.drag_step(|lab| match grabbed {
            Drag::Server {
                id,
                grab,
                start_shift,
            } => {
                if let Some(s) = lab.servers.iter_mut().find(|s| s.id == id) {
                    s.shift = start_shift.wrapping_add(position.wrapping_sub(grab));
                }
            }
            Drag::Token { id, index } => {
                if let Some(s) = lab.servers.iter_mut().find(|s| s.id == id) {
                    s.pin(index, position);
                }
            }
        });
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
    let turn_server = move |id: ServerId, by: f64| {
        state.change(|lab| {
            if let Some(s) = lab.servers.iter_mut().find(|s| s.id == id) {
                s.shift = s.shift.wrapping_add(signed_positions(by));
            }
        });
    };
    let move_token = move |by: f64| {
        let Some((id, index)) = state.selected.get_untracked() else {
            return;
        };
        let now = token_position(&state, id, index);
        state.change(|lab| {
            if let (Some(s), Some(now)) = (lab.servers.iter_mut().find(|s| s.id == id), now) {
                s.pin(index, now.wrapping_add(signed_positions(by)));
            }
        });
    };

    // Each part of each server's drawing in its own signal, set only when it changes: a
    // frame wakes only the elements whose part changed.
    // The arcs layer lists the servers by bringing every part up to date, once a frame; the
    // layer above only lists them (a group made first starts from defaults and is set then).
    let parts = Parts::default();
    let update_parts = move || drawing.with(|d| parts.update(d));
    let server_ids = move || drawing.with(|d| d.servers.iter().map(|s| s.id).collect::<Vec<_>>());
    let server_arcs = move |id: ServerId| {
        let arcs = parts.arcs.get(id);
        let label = parts.label.get(id);
        view! { <path class="arc" d=arcs stroke=colour(id) data-server=label /> }
    };
    let server_group = move |id: ServerId| {
        let ticks = parts.ticks.get(id);
        let pinned = parts.pinned.get(id);
        let keys = parts.keys.get(id);
        let key_count = parts.key_count.get(id);
        let label = parts.label.get(id);
        let down = parts.down.get(id);
        let place = parts.place.get(id);
        let angle = move || place.get().0;
        let at = move || {
            let (angle, lane) = place.get();
            svg::point(HANDLE_RADIUS + 22.0 * f64::from(lane), angle)
        };
        let on_key = move |ev: web_sys::KeyboardEvent| {
            if !drawing.with_untracked(|d| d.draggable) {
                return;
            }
            let step = if ev.shift_key() {
                COARSE_STEP
            } else {
                FINE_STEP
            };
            match ev.key().as_str() {
                "ArrowRight" | "ArrowUp" => turn_server(id, step),
                "ArrowLeft" | "ArrowDown" => turn_server(id, -step),
                "Enter" => {
                    state.selected.set(Some((id, 0)));
                    focus_token_handle();
                }
                _ => return,
            }
            ev.prevent_default();
        };
        view! {
            <g class="server-layer">
            <path class="ticks" d=ticks stroke=colour(id) data-server=label />
            <path class="pinned" d=pinned stroke=colour(id) data-server=label />
            <path class="keys" d=keys stroke=colour(id) data-server=label data-keys=key_count />
            <g class="handle" class:down=down>
                <line
                    class="tether"
                    x1=move || svg::point(RING_RADIUS + 28.0, angle()).0
                    y1=move || svg::point(RING_RADIUS + 28.0, angle()).1
                    x2=move || at().0
                    y2=move || at().1
                    stroke=colour(id)
                />
                <circle
                    class="server-handle"
                    data-handle=id.0
                    data-server=label
                    tabindex="0"
                    role="slider"
                    aria-label=move || label.with(|l| format!("Server {l}: drag or use arrow keys to turn it"))
                    aria-valuemin="0"
                    aria-valuemax="360"
                    aria-valuenow=move || format!("{:.1}", angle().to_degrees())
                    cx=move || at().0
                    cy=move || at().1
                    r="14"
                    fill=colour(id)
                    on:keydown=on_key
                />
                <text class="handle-label" x=move || at().0 y=move || at().1 + 5.0>
                    {move || label.with(|l| l.chars().take(3).collect::<String>())}
                </text>
            </g>
            </g>
        }
    };

    // One search a frame, shared by the token handle's attributes.
    let token_memo = Memo::new(move |_| {
        let (id, index) = state.selected.get()?;
        drawing.with(|d| d.draggable).then_some(())?;
        let position = state
            .shown
            .with(|c| c.router().ok()?.ring()?.point_position(id, index))?;
        Some((
            id,
            index,
            svg::point(RING_RADIUS, position_to_angle(position)),
        ))
    });
    let token_at = move || token_memo.get();
    let on_token_key = move |ev: web_sys::KeyboardEvent| {
        let step = if ev.shift_key() {
            COARSE_STEP
        } else {
            FINE_STEP
        };
        let selected = state.selected.get_untracked();
        match ev.key().as_str() {
            "ArrowRight" | "ArrowUp" => move_token(step),
            "ArrowLeft" | "ArrowDown" => move_token(-step),
            "]" | "[" => {
                if let Some((id, index)) = selected {
                    let count = state.lab.with_untracked(|l| {
                        l.servers
                            .iter()
                            .find(|s| s.id == id)
                            .map_or(1, |s| s.weight * l.router.vnodes)
                    });
                    let next = if ev.key() == "]" {
                        (index + 1) % count
                    } else {
                        (index + count - 1) % count
                    };
                    state.selected.set(Some((id, next)));
                }
            }
            "Delete" | "Backspace" | "r" | "R" => {
                if let Some((id, index)) = selected {
                    state.change(|lab| {
                        if let Some(s) = lab.servers.iter_mut().find(|s| s.id == id) {
                            s.unpin(index);
                        }
                    });
                }
            }
            "Escape" => {
                state.selected.set(None);
                if let Some((id, _)) = selected {
                    focus_selector(&format!("[data-handle=\"{}\"]", id.0));
                }
            }
            _ => return,
        }
        ev.prevent_default();
    };

    let probe_angle = move || {
        let key = state.probe.get();
        if key.is_empty() {
            return None;
        }
        state.shown.with(|c| {
            c.router()
                .ok()
                .map(|r| position_to_angle(r.key_hash().hash(key.as_bytes())))
        })
    };

    // The "before" state's drawing, for where moved keys start: computed once a change.
    let before_drawing = Memo::new(move |_| {
        state.before.with(|b| {
            b.as_ref()
                .map(|b| Shared(Arc::new(Drawing::of(b, None, &mut PathCache::default()))))
        })
    });
    let movers = move || {
        let progress = animation.progress.get();
        if progress >= 1.0 {
            return Vec::new();
        }
        let Some(view) = state.movement.get() else {
            return Vec::new();
        };
        let Some(before) = before_drawing.get() else {
            return Vec::new();
        };
        let after = drawing.get();
        let owners_before = state
            .before
            .with(|b| b.as_ref().map(|b| b.owners().clone()));
        let Some(owners_before) = owners_before else {
            return Vec::new();
        };
        let owners_after = state.current.with(|c| c.owners().clone());
        mover_paths(
            &view.movement.moved,
            &owners_before,
            &owners_after,
            &before,
            &after,
            progress,
        )
        .into_iter()
        .map(|(id, d)| view! { <path class="movers" d=d stroke=colour(id) /> })
        .collect_view()
    };
    // Marks where the keys that moved sit, at their positions after the change (the movement
    // keeps those keys, so a drag does not recompute the marks).
    let moved_marks = move || {
        let Some(view) = state.movement.get() else {
            return String::new();
        };
        if state.show_before.get() {
            return String::new();
        }
        let positions = view.keys.positions();
        let angles = view
            .movement
            .moved
            .iter()
            .take(3000)
            .filter_map(|&i| positions.get(i as usize))
            .map(|&p| position_to_angle(p));
        svg::ticks_path(KEY_RADIUS - 14.0, KEY_RADIUS - 9.0, angles)
    };

    view! {
        <svg
            class="ring"
            node_ref=svg_ref
            viewBox=format!("0 0 {SIZE} {SIZE}")
            role="group"
            aria-label="Hash ring: each server's arcs in its colour, virtual nodes as ticks, keys as dots"
            class:dragging=move || state.dragging.get()
            on:pointerdown=on_pointer_down
            on:pointermove=on_pointer_move
            on:pointerup=on_pointer_up
            on:pointercancel=on_pointer_up
        >
            <circle class="track" cx=CENTRE cy=CENTRE r=RING_RADIUS />
            // Every server's arcs, then a dragged server's arcs over them (see `Drawing::lifted`),
            // then the rest of each server's drawing, so no arc hides a tick.
            <g class="arcs">
                <For each=update_parts key=|id| *id let:id>
                    {server_arcs(id)}
                </For>
            </g>
            <path
                class="arc-lifted"
                d=move || drawing.with(|d| d.lifted.as_ref().map(|l| Arc::clone(&l.1))).unwrap_or_else(|| PathData::from(""))
                stroke=move || drawing.with(|d| d.lifted.as_ref().map_or("none", |l| colour(l.0)))
            />
            <g class="servers" class:density=move || drawing.with(|d| d.density)>
                <For each=server_ids key=|id| *id let:id>
                    {server_group(id)}
                </For>
            </g>
            <path class="moved-keys" d=moved_marks />
            <g class="probe">
                {move || probe_angle().map(|a| {
                    let (x0, y0) = svg::point(KEY_RADIUS - 50.0, a);
                    let (x1, y1) = svg::point(RING_RADIUS + 30.0, a);
                    view! { <line class="probe-line" x1=x0 y1=y0 x2=x1 y2=y1 /><circle class="probe-dot" cx=x0 cy=y0 r="6" /> }
                })}
            </g>
            <circle
                class="token-handle"
                data-token=move || token_at().map(|(id, index, _)| format!("{}:{index}", id.0)).unwrap_or_default()
                tabindex=move || if token_at().is_some() { "0" } else { "-1" }
                role="slider"
                aria-label=move || token_at().map(|(id, index, _)| {
                    let label = state.lab.with(|l| l.servers.iter().find(|s| s.id == id).map(|s| s.label.clone()).unwrap_or_default());
                    format!("Virtual node {index} of {label}: arrow keys move it, [ and ] pick another, R resets it")
                }).unwrap_or_default()
                aria-valuemin="0"
                aria-valuemax="360"
                aria-valuenow=move || token_at().map(|(_, _, (x, y))| format!("{:.1}", angle_of_point(CENTRE, CENTRE, x, y).to_degrees())).unwrap_or_default()
                cx=move || token_at().map_or(-100.0, |t| t.2.0)
                cy=move || token_at().map_or(-100.0, |t| t.2.1)
                r="9"
                visibility=move || if token_at().is_some() { "visible" } else { "hidden" }
                on:keydown=on_token_key
            />
            <g class="movers-layer">{movers}</g>
            <text class="centre-title" x=CENTRE y=CENTRE - 10.0>
                {move || state.shown.with(|c| c.lab().router.algorithm.name().to_string())}
                {move || if state.show_before.get() { " (before)" } else { "" }}
            </text>
            <text class="centre-note" x=CENTRE y=CENTRE + 14.0 data-testid="ring-note">
                {move || drawing.with(|d| centre_note(d))}
            </text>
            <text class="origin" x=CENTRE y=CENTRE - RING_RADIUS - 70.0>"0"</text>
        </svg>
    }
}

/// The parts of every server's drawing, each fanned out to one signal per server.
#[derive(Clone, Copy, Default)]
struct Parts {
    arcs: FanOut<ServerId, PathData>,
    ticks: FanOut<ServerId, PathData>,
    pinned: FanOut<ServerId, PathData>,
    keys: FanOut<ServerId, PathData>,
    key_count: FanOut<ServerId, usize>,
    label: FanOut<ServerId, String>,
    down: FanOut<ServerId, bool>,
    place: FanOut<ServerId, (f64, u8)>,
}

impl Parts {
    /// Brings every part up to date with `d`; the servers' ids, in order.
    fn update(&self, d: &Drawing) -> Vec<ServerId> {
        let each = |f: fn(&ServerDrawing) -> PathData| d.servers.iter().map(move |s| (s.id, f(s)));
        self.arcs.update(each(|s| Arc::clone(&s.arcs)));
        self.ticks.update(each(|s| Arc::clone(&s.ticks)));
        self.pinned.update(each(|s| Arc::clone(&s.pinned)));
        self.keys.update(each(|s| Arc::clone(&s.keys)));
        self.key_count
            .update(d.servers.iter().map(|s| (s.id, s.key_count)));
        self.label
            .update(d.servers.iter().map(|s| (s.id, s.label.clone())));
        self.down.update(d.servers.iter().map(|s| (s.id, s.down)));
        self.place
            .update(d.servers.iter().map(|s| (s.id, (s.handle_angle, s.lane))))
    }
}

fn centre_note(d: &Drawing) -> String {
    if let Some(e) = &d.error {
        return e.clone();
    }
    let keys = if d.density {
        format!("{} keys, shown as density", d.key_count)
    } else {
        format!("{} keys", d.key_count)
    };
    if d.is_ring {
        keys
    } else {
        format!("{keys} · no ring: servers have no positions")
    }
}

/// `radians` as a signed number of ring positions, wrapped into a u64.
fn signed_positions(radians: f64) -> u64 {
    let magnitude = angle_to_position(radians.abs());
    if radians < 0.0 {
        magnitude.wrapping_neg()
    } else {
        magnitude
    }
}

/// Where virtual node `index` of server `id` sits now.
fn token_position(state: &AppState, id: ServerId, index: u32) -> Option<u64> {
    state
        .current
        .with_untracked(|c| c.router().ok()?.ring()?.point_position(id, index))
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

/// The travelling keys, as one path of dots per destination server: each moved key at
/// `progress` of the way from its old owner's handle to its new owner's handle. At most 1500
/// are drawn.
fn mover_paths(
    moved: &[u32],
    before_owners: &[Option<ServerId>],
    after_owners: &[Option<ServerId>],
    before: &Drawing,
    after: &Drawing,
    progress: f64,
) -> Vec<(ServerId, String)> {
    use std::fmt::Write as _;
    let ease = if progress < 0.5 {
        4.0 * progress.powi(3)
    } else {
        1.0 - (-2.0 * progress + 2.0).powi(3) / 2.0
    };
    let mut out: Vec<(ServerId, String)> = Vec::new();
    for &i in moved.iter().take(1500) {
        let (Some(Some(from)), Some(Some(to))) =
            (before_owners.get(i as usize), after_owners.get(i as usize))
        else {
            continue;
        };
        let (Some(a), Some(b)) = (
            before.handle_of(*from).or(after.handle_of(*from)),
            after.handle_of(*to),
        ) else {
            continue;
        };
        // Spread keys a little so a crowd does not collapse to one dot.
        let jitter = (f64::from(i % 17) - 8.0) * 0.004;
        let (x, y) = svg::travel(
            svg::point(HANDLE_RADIUS, a + jitter),
            svg::point(HANDLE_RADIUS, b + jitter),
            ease,
        );
        let d = match out.iter_mut().find(|(id, _)| id == to) {
            Some((_, d)) => d,
            None => {
                out.push((*to, String::new()));
                &mut out.last_mut().expect("just pushed").1
            }
        };
        let _ = write!(d, "M{x:.1} {y:.1}h0");
    }
    out
}
