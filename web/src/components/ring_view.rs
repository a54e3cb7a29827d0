//! The ring drawing.

use hashhalo_core::ServerId;
use hashhalo_core::geometry::position_to_angle;
use leptos::prelude::*;

use crate::AppState;
use crate::palette::colour;
use crate::svg::{self, CENTRE, KEY_RADIUS, RING_RADIUS, SIZE};

const TURN: f64 = 18_446_744_073_709_551_616.0; // 2⁶⁴ positions

/// Draws the ring from [`AppState`]: one band arc per ownership run in its server's colour,
/// a tick per virtual node, and a dot per key in its owner's colour. Takes no props.
#[component]
pub fn RingView() -> impl IntoView {
    let state = expect_context::<AppState>();

    let arcs = move || {
        state.ring.with(|ring| {
            let Ok(ring) = ring else { return Vec::new() };
            let servers = ring.servers();
            ring.arcs()
                .into_iter()
                .map(|arc| {
                    let sweep = arc.len() as f64 / TURN * std::f64::consts::TAU;
                    let label = servers
                        .iter()
                        .find(|s| s.id == arc.owner)
                        .map(|s| s.label.clone());
                    view! {
                        <path
                            class="arc"
                            d=svg::arc_path(RING_RADIUS, position_to_angle(arc.start), sweep)
                            stroke=colour(arc.owner)
                            data-server=label.unwrap_or_default()
                        />
                    }
                })
                .collect_view()
        })
    };

    let ticks = move || {
        state.ring.with(|ring| {
            let Ok(ring) = ring else { return Vec::new() };
            ring.servers()
                .iter()
                .map(|server| {
                    let angles = ring
                        .points()
                        .filter(|p| p.server == server.id)
                        .map(|p| position_to_angle(p.position));
                    let d = svg::ticks_path(RING_RADIUS + 16.0, RING_RADIUS + 26.0, angles);
                    view! {
                        <path class="ticks" d=d stroke=colour(server.id) data-server=server.label.clone() />
                    }
                })
                .collect_view()
        })
    };

    let keys = move || {
        let ring_servers: Vec<ServerId> = state.ring.with(|r| {
            r.as_ref()
                .map(|r| r.servers().iter().map(|s| s.id).collect())
                .unwrap_or_default()
        });
        state.owners.with(|owners| {
            state.keys.with(|keys| {
                ring_servers
                    .iter()
                    .map(|&id| {
                        let angles = keys
                            .positions()
                            .iter()
                            .zip(owners)
                            .filter(|(_, o)| **o == Some(id))
                            .map(|(&p, _)| position_to_angle(p));
                        let count = owners.iter().filter(|o| **o == Some(id)).count();
                        view! {
                            <path
                                class="keys"
                                d=svg::dots_path(KEY_RADIUS, angles)
                                stroke=colour(id)
                                data-keys=count
                            />
                        }
                    })
                    .collect_view()
            })
        })
    };

    let error = move || {
        state
            .ring
            .with(|r| r.as_ref().err().map(ToString::to_string))
    };

    view! {
        <svg
            class="ring"
            viewBox=format!("0 0 {SIZE} {SIZE}")
            role="img"
            aria-label="Hash ring: each server's arcs in its colour, virtual nodes as ticks, keys as dots"
        >
            <circle class="track" cx=CENTRE cy=CENTRE r=RING_RADIUS />
            <g class="arcs">{arcs}</g>
            <g class="vnodes">{ticks}</g>
            <g class="key-dots">{keys}</g>
            <text class="origin" x=CENTRE y=CENTRE - RING_RADIUS - 36.0>"0"</text>
            <Show when=move || error().is_some()>
                <text class="ring-error" x=CENTRE y=CENTRE>{error}</text>
            </Show>
        </svg>
    }
}
