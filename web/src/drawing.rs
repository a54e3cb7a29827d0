//! What the ring view draws, computed from one [`Computed`] state: pure data, no DOM.

use std::f64::consts::TAU;

use hashhalo_core::algorithms::Algorithm;
use hashhalo_core::geometry::{label_lanes, position_to_angle};
use hashhalo_core::{Server, ServerId};

use crate::palette::colour;
use crate::state::Computed;
use crate::svg::{self, KEY_RADIUS, RING_RADIUS};

/// Above this many keys, keys are drawn as a density band instead of dots.
pub const DOT_LIMIT: usize = 3000;
/// Angular bins of the density band.
const BINS: usize = 360;
/// How far out from the ring the server handles sit.
pub const HANDLE_RADIUS: f64 = RING_RADIUS + 44.0;
const TURN: f64 = 18_446_744_073_709_551_616.0;

/// One server's part of the drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerDrawing {
    /// The server.
    pub id: ServerId,
    /// Its label.
    pub label: String,
    /// Its colour.
    pub colour: &'static str,
    /// Whether it is down.
    pub down: bool,
    /// Its ownership arcs as one path.
    pub arcs: String,
    /// Its hashed virtual nodes as one path of ticks.
    pub ticks: String,
    /// Its dragged (pinned) virtual nodes as one path of ticks, drawn distinctly.
    pub pinned: String,
    /// Its keys: dots, or density bars.
    pub keys: String,
    /// How many keys it owns.
    pub key_count: usize,
    /// Where its handle sits, in radians.
    pub handle_angle: f64,
    /// Which radial lane its label takes, so labels do not collide.
    pub lane: u8,
}

/// The whole drawing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Drawing {
    /// One entry per server, in display order.
    pub servers: Vec<ServerDrawing>,
    /// Whether the algorithm places points on the ring (else no arcs or ticks).
    pub is_ring: bool,
    /// Whether virtual nodes can be dragged (the plain ring and bounded loads).
    pub draggable: bool,
    /// Whether keys are drawn as a density band.
    pub density: bool,
    /// How many keys.
    pub key_count: usize,
    /// Why nothing can be drawn, if so.
    pub error: Option<String>,
}

impl Drawing {
    /// The drawing of `state`.
    pub fn of(state: &Computed) -> Drawing {
        let lab = &state.lab;
        let algorithm = lab.router.algorithm;
        let key_count = state.keys.len();
        let mut drawing = Drawing {
            is_ring: algorithm.is_ring(),
            draggable: matches!(algorithm, Algorithm::Ring | Algorithm::BoundedLoads),
            density: key_count > DOT_LIMIT,
            key_count,
            ..Drawing::default()
        };
        let router = match &state.router {
            Ok(r) => r,
            Err(e) => {
                drawing.error = Some(e.clone());
                return drawing;
            }
        };
        let servers = &lab.servers;
        let ring = router.ring();
        let angles: Vec<f64> = servers
            .iter()
            .enumerate()
            .map(|(slot, s)| handle_angle(state, s, slot))
            .collect();
        let lanes = label_lanes(&angles, 0.16, 3);

        // Arcs and ticks, grouped by server.
        let mut arcs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); servers.len()];
        let mut ticks: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
        let mut pinned: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
        if let Some(ring) = ring {
            for arc in ring.arcs() {
                if let Some(slot) = servers.iter().position(|s| s.id == arc.owner) {
                    let sweep = arc.len() as f64 / TURN * TAU;
                    arcs[slot].push((position_to_angle(arc.start), sweep));
                }
            }
            for p in ring.points() {
                if let Some(slot) = servers.iter().position(|s| s.id == p.server) {
                    let list = if p.pinned {
                        &mut pinned[slot]
                    } else {
                        &mut ticks[slot]
                    };
                    list.push(position_to_angle(p.position));
                }
            }
        }

        // Keys: dots per owner, or density bars per owner.
        let slot_of = |id: ServerId| servers.iter().position(|s| s.id == id);
        let mut key_angles: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
        let mut bins: Vec<Vec<u32>> = vec![vec![0; BINS]; servers.len()];
        for (&h, owner) in state.keys.positions().iter().zip(state.owners.iter()) {
            let Some(slot) = owner.and_then(slot_of) else {
                continue;
            };
            let angle = position_to_angle(h);
            if drawing.density {
                let bin = ((angle / TAU) * BINS as f64) as usize % BINS;
                bins[slot][bin] += 1;
            } else {
                key_angles[slot].push(angle);
            }
        }
        let key_paths: Vec<String> = if drawing.density {
            density_paths(&bins)
        } else {
            key_angles
                .iter()
                .map(|a| svg::dots_path(KEY_RADIUS, a.iter().copied()))
                .collect()
        };

        drawing.servers = servers
            .iter()
            .enumerate()
            .map(|(slot, s)| ServerDrawing {
                id: s.id,
                label: s.label.clone(),
                colour: colour(s.id),
                down: !s.is_up(),
                arcs: svg::arcs_path(RING_RADIUS, arcs[slot].iter().copied()),
                ticks: svg::ticks_path(
                    RING_RADIUS + 16.0,
                    RING_RADIUS + 26.0,
                    ticks[slot].iter().copied(),
                ),
                pinned: svg::ticks_path(
                    RING_RADIUS - 18.0,
                    RING_RADIUS + 32.0,
                    pinned[slot].iter().copied(),
                ),
                keys: key_paths[slot].clone(),
                key_count: state.owners.iter().filter(|o| **o == Some(s.id)).count(),
                handle_angle: angles[slot],
                lane: lanes[slot],
            })
            .collect();
        drawing
    }

    /// The handle angle of server `id`, if it is drawn.
    pub fn handle_of(&self, id: ServerId) -> Option<f64> {
        self.servers
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.handle_angle)
    }
}

/// Where a server's handle sits: at its virtual node 0 on a ring (the hashed position turned
/// by its shift, so dragging the handle turns the server), else evenly around the circle.
pub fn handle_angle(state: &Computed, server: &Server, slot: usize) -> f64 {
    let lab = &state.lab;
    match lab.router.algorithm {
        Algorithm::Ring | Algorithm::BoundedLoads => {
            let hashed =
                lab.router
                    .hash
                    .vnode_position(&server.label, server.id.0, 0, &mut String::new());
            position_to_angle(hashed.wrapping_add(server.shift))
        }
        a if a.is_ring() => state
            .router
            .as_ref()
            .ok()
            .and_then(|r| r.ring())
            .and_then(|ring| ring.points().find(|p| p.server == server.id))
            .map_or(0.0, |p| position_to_angle(p.position)),
        _ => slot as f64 / lab.servers.len().max(1) as f64 * TAU,
    }
}

/// Density bars: for each bin, each server's keys as a radial bar inward from the key radius,
/// stacked, scaled so the fullest bin is 40 units deep.
fn density_paths(bins: &[Vec<u32>]) -> Vec<String> {
    use std::fmt::Write as _;
    let most = (0..BINS)
        .map(|b| bins.iter().map(|s| s[b]).sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = 40.0 / f64::from(most);
    let mut depth = vec![0.0; BINS];
    bins.iter()
        .map(|server_bins| {
            let mut d = String::new();
            for (b, &count) in server_bins.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                let angle = (b as f64 + 0.5) / BINS as f64 * TAU;
                let r0 = KEY_RADIUS - depth[b];
                let r1 = r0 - f64::from(count) * scale;
                depth[b] += f64::from(count) * scale;
                let (x0, y0) = svg::point(r0, angle);
                let (x1, y1) = svg::point(r1, angle);
                let _ = write!(d, "M{x0:.1} {y0:.1}L{x1:.1} {y1:.1}");
            }
            d
        })
        .collect()
}
