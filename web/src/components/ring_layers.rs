//! The layers of the ring drawing: each server's arcs, ticks, keys and handle; the zero mark
//! and the direction; the probed key with its preference list; the keys that moved and the
//! ones travelling; and the text in the centre.

use std::sync::Arc;

use hashhalo_core::ServerId;
use hashhalo_core::geometry::{angle_of_point, position_to_angle};
use leptos::prelude::*;

use crate::animation::Animation;
use crate::drawing::{Drawing, HANDLE_RADIUS, LANE_STEP, PathCache, PathData, ServerDrawing};
use crate::fan_out::FanOut;
use crate::palette::{colour, ink};
use crate::ring::movers;
use crate::state::{AppState, Shared};
use crate::svg::{self, CENTRE, KEY_RADIUS, RING_RADIUS, num};

/// Where a server's handle is drawn.
pub fn handle_point(s: &ServerDrawing) -> (f64, f64) {
    svg::point(
        HANDLE_RADIUS + LANE_STEP * f64::from(s.lane),
        s.display_angle,
    )
}

/// The parts of every server's drawing, each fanned out to one signal per server.
#[derive(Clone, Copy, Default)]
pub struct Parts {
    arcs: FanOut<ServerId, PathData>,
    ticks: FanOut<ServerId, PathData>,
    pinned: FanOut<ServerId, PathData>,
    keys: FanOut<ServerId, PathData>,
    key_count: FanOut<ServerId, usize>,
    label: FanOut<ServerId, String>,
    down: FanOut<ServerId, bool>,
    /// The true angle, the drawn angle and the lane of the handle.
    place: FanOut<ServerId, (f64, f64, u8)>,
}

impl Parts {
    /// Brings every part up to date with `d`; the servers' ids, in order.
    pub fn update(&self, d: &Drawing) -> Vec<ServerId> {
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
        self.place.update(
            d.servers
                .iter()
                .map(|s| (s.id, (s.handle_angle, s.display_angle, s.lane))),
        )
    }
}

/// Server `id`'s arcs.
pub fn server_arcs(parts: Parts, id: ServerId) -> impl IntoView {
    let arcs = parts.arcs.get(id);
    let label = parts.label.get(id);
    view! { <path class="arc" d=arcs stroke=colour(id) data-server=label /> }
}

/// Server `id`'s ticks, keys and handle; `on_key` handles keys pressed on the handle.
pub fn server_group(
    parts: Parts,
    id: ServerId,
    radius: Memo<f64>,
    on_key: impl Fn(ServerId, web_sys::KeyboardEvent) + Copy + 'static,
) -> impl IntoView {
    let label = parts.label.get(id);
    let place = parts.place.get(id);
    let angle = move || place.get().0;
    let at = move || {
        let (_, shown, lane) = place.get();
        svg::point(HANDLE_RADIUS + LANE_STEP * f64::from(lane), shown)
    };
    let from = move || svg::point(RING_RADIUS + 28.0, angle());
    view! {
        <g class="server-layer">
            <path class="ticks" d=parts.ticks.get(id) stroke=colour(id) data-server=label />
            <path class="pinned" d=parts.pinned.get(id) stroke=colour(id) data-server=label />
            <path class="keys" d=parts.keys.get(id) stroke=colour(id) data-server=label data-keys=parts.key_count.get(id) />
            <g class="handle" class:down=parts.down.get(id)>
                <line class="tether" x1=move || num(from().0) y1=move || num(from().1) x2=move || num(at().0) y2=move || num(at().1) stroke=colour(id) />
                <circle
                    class="server-handle"
                    data-handle=id.0
                    data-server=label
                    tabindex="0"
                    role="slider"
                    aria-label=move || label.with(|l| format!("Server {l}: drag or use arrow keys to turn it"))
                    aria-valuemin="0"
                    aria-valuemax="360"
                    aria-valuenow=move || num(angle().to_degrees())
                    cx=move || num(at().0)
                    cy=move || num(at().1)
                    r=move || num(radius.get())
                    fill=colour(id)
                    on:keydown=move |ev| on_key(id, ev)
                />
                <text
                    class="handle-label"
                    x=move || num(at().0)
                    y=move || num(at().1 + radius.get() * 0.32)
                    font-size=move || num(radius.get() * 0.86)
                    fill=ink(id)
                >
                    {move || label.with(|l| l.chars().take(3).collect::<String>())}
                </text>
            </g>
        </g>
    }
}

/// Position 0, at 12 o'clock, and an arrow saying which way positions grow.
#[component]
pub fn ZeroMark() -> impl IntoView {
    let (x0, y0) = svg::point(RING_RADIUS - 22.0, 0.0);
    let (x1, y1) = svg::point(RING_RADIUS + 14.0, 0.0);
    let arrow_radius = 140.0;
    let (sx, sy) = svg::point(arrow_radius, 0.06);
    let (ex, ey) = svg::point(arrow_radius, 0.42);
    let arrow = format!(
        "M{} {}A{r} {r} 0 0 1 {} {}",
        num(sx),
        num(sy),
        num(ex),
        num(ey),
        r = num(arrow_radius)
    );
    view! {
        <g class="zero" aria-hidden="true">
            <line class="zero-line" x1=num(x0) y1=num(y0) x2=num(x1) y2=num(y1) />
            <text class="origin" x=num(CENTRE) y=num(CENTRE - arrow_radius + 5.0)>"0"</text>
            <path class="direction" d=arrow marker-end="url(#arrowhead)" />
            <text class="direction-label" x=num(ex + 6.0) y=num(ey + 4.0)>"clockwise"</text>
            <defs>
                <marker id="arrowhead" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0 0L10 5L0 10z" class="arrowhead" />
                </marker>
            </defs>
        </g>
    }
}

/// The probed key on the ring, with a line to each server of its preference list, numbered in
/// order (the first is its owner). `drawing`: where the handles are.
#[component]
pub fn ProbeMarks(drawing: Memo<Shared<Drawing>>) -> impl IntoView {
    let state = crate::provided::<AppState>();
    let probe = move || {
        let key = state.probe.get();
        if key.is_empty() {
            return None;
        }
        state.shown.with(|c| {
            let router = c.router().ok()?;
            let h = router.key_hash().hash(key.as_bytes());
            let list = router.preference(h, usize::from(c.lab().replicas));
            Some((position_to_angle(h), list))
        })
    };
    view! {
        <g class="probe">
            {move || probe().map(|(angle, list)| {
                let dot = svg::point(KEY_RADIUS - 50.0, angle);
                let (x1, y1) = svg::point(RING_RADIUS + 30.0, angle);
                let replicas = drawing.with(|d| {
                    list.iter().enumerate().filter_map(|(k, id)| {
                        let s = d.servers.iter().find(|s| s.id == *id)?;
                        let (hx, hy) = handle_point(s);
                        let badge = (dot.0 + (hx - dot.0) * 0.82, dot.1 + (hy - dot.1) * 0.82);
                        Some(view! {
                            <line class="replica-line" class:primary=(k == 0) x1=num(dot.0) y1=num(dot.1) x2=num(hx) y2=num(hy) stroke=colour(*id) data-replica=k + 1 />
                            <circle class="replica-badge" cx=num(badge.0) cy=num(badge.1) r="8" fill=colour(*id) />
                            <text class="replica-number" x=num(badge.0) y=num(badge.1 + 3.5) fill=ink(*id)>{k + 1}</text>
                        })
                    }).collect_view()
                });
                view! {
                    <line class="probe-line" x1=num(dot.0) y1=num(dot.1) x2=num(x1) y2=num(y1) />
                    {replicas}
                    <circle class="probe-dot" cx=num(dot.0) cy=num(dot.1) r="6" />
                }
            })}
        </g>
    }
}

/// The marks of the keys the last change moved, the keys travelling to their new servers, and
/// the handle of the selected virtual node. `token`: the selected node and where it is.
#[component]
pub fn Overlays(
    drawing: Memo<Shared<Drawing>>,
    animation: Animation,
    token: Memo<Option<(ServerId, u32, u64)>>,
    on_token_key: impl Fn(web_sys::KeyboardEvent) + Copy + Send + 'static,
) -> impl IntoView {
    let state = crate::provided::<AppState>();
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
        let (Some(view), Some(before)) = (state.movement.get(), before_drawing.get()) else {
            return Vec::new();
        };
        let Some(movement) = view.movement else {
            return Vec::new();
        };
        let Some(owners_before) = state
            .before
            .with(|b| b.as_ref().map(|b| b.owners().clone()))
        else {
            return Vec::new();
        };
        let owners_after = state.current.with(|c| c.owners().clone());
        let after = drawing.get();
        movers::paths(
            &movement.moved,
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
    // Where the keys that moved sit, at their positions after the change (the movement keeps
    // those keys, so a drag does not recompute the marks).
    let moved_marks = move || {
        let Some(view) = state.movement.get() else {
            return String::new();
        };
        let Some(movement) = view.movement else {
            return String::new();
        };
        if state.show_before.get() {
            return String::new();
        }
        let positions = view.keys.positions();
        let angles = movement
            .moved
            .iter()
            .take(3000)
            .filter_map(|&i| positions.get(i as usize))
            .map(|&p| position_to_angle(p));
        svg::ticks_path(KEY_RADIUS - 14.0, KEY_RADIUS - 9.0, angles)
    };
    let token_at = move || {
        token
            .get()
            .map(|(id, index, p)| (id, index, svg::point(RING_RADIUS, position_to_angle(p))))
    };
    view! {
        <path class="moved-keys" d=moved_marks />
        <circle
            class="token-handle"
            data-token=move || token_at().map(|(id, index, _)| format!("{}:{index}", id.0)).unwrap_or_default()
            tabindex=move || if token_at().is_some() { "0" } else { "-1" }
            role="slider"
            aria-label=move || token_at().map(|(id, index, _)| {
                let label = state.lab.with(|l| l.servers.iter().find(|s| s.id == id).map(|s| s.label.clone()).unwrap_or_default());
                format!("Virtual node {index} of {label}: arrow keys move it, [ and ] pick another, R resets it")
            }).unwrap_or_else(|| "No virtual node selected".into())
            aria-valuemin="0"
            aria-valuemax="360"
            aria-valuenow=move || token_at().map(|(_, _, (x, y))| num(angle_of_point(CENTRE, CENTRE, x, y).to_degrees())).unwrap_or_else(|| "0".into())
            cx=move || num(token_at().map_or(-100.0, |t| t.2.0))
            cy=move || num(token_at().map_or(-100.0, |t| t.2.1))
            r="9"
            visibility=move || if token_at().is_some() { "visible" } else { "hidden" }
            on:keydown=on_token_key
        />
        <g class="movers-layer">{movers}</g>
    }
}

/// The algorithm's name and what is drawn, in the centre.
#[component]
pub fn CentreText(drawing: Memo<Shared<Drawing>>) -> impl IntoView {
    let state = crate::provided::<AppState>();
    view! {
        <text class="centre-title" x=num(CENTRE) y=num(CENTRE - 10.0)>
            {move || state.shown.with(|c| c.lab().router.algorithm.name().to_string())}
            {move || if state.show_before.get() { " (before)" } else { "" }}
        </text>
        <text class="centre-note" x=num(CENTRE) y=num(CENTRE + 14.0) data-testid="ring-note">
            {move || drawing.with(|d| centre_note(d))}
        </text>
    }
}

fn centre_note(d: &Drawing) -> String {
    if let Some(e) = &d.error {
        return e.clone();
    }
    let count = hashhalo_core::format::count(d.key_count as u64);
    let keys = if d.density {
        format!("{count} keys, shown as density")
    } else {
        format!("{count} keys")
    };
    if d.is_ring {
        keys
    } else {
        format!("{keys} · no ring: servers have no positions")
    }
}
