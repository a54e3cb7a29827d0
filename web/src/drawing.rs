//! What the ring view draws, computed from one [`Computed`] state: pure data, no DOM.

use std::f64::consts::TAU;
use std::sync::Arc;

use hashhalo_core::geometry::{direction, label_lanes, position_to_angle, spread_angles};
use hashhalo_core::{Server, ServerId};

use crate::palette::colour;
use crate::state::Computed;
use crate::svg::{self, KEY_RADIUS, RING_RADIUS};

/// Above this many keys, keys are drawn as a density band instead of dots.
pub const DOT_LIMIT: usize = 3000;
/// Angular bins of the density band.
const BINS: usize = 360;
/// How far out from the ring the server handles sit.
pub const HANDLE_RADIUS: f64 = RING_RADIUS + 38.0;
/// How much further out the second lane of handles sits.
pub const LANE_STEP: f64 = 18.0;
/// The least angle between two handles' centres: a handle is 28 units across at 268 units out.
pub const HANDLE_GAP: f64 = 0.12;
/// A handle's radius in SVG units where the drawing is shown at full size or larger.
pub const HANDLE_SIZE: f64 = 14.0;
const TURN: f64 = 18_446_744_073_709_551_616.0;

/// SVG path data, shared: an unchanged path is the same allocation from frame to frame, so
/// copying it is free and comparing it is a pointer check.
pub type PathData = Arc<str>;

/// One server's part of the drawing.
#[derive(Debug, Clone, PartialEq, Default)]
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
    pub arcs: PathData,
    /// Its hashed virtual nodes as one path of ticks.
    pub ticks: PathData,
    /// Its dragged (pinned) virtual nodes as one path of ticks, drawn distinctly.
    pub pinned: PathData,
    /// Its keys: dots, or density bars.
    pub keys: PathData,
    /// How many keys it owns.
    pub key_count: usize,
    /// Where the server is on the ring, in radians: its virtual node 0 for a ring, else its
    /// place in an even spread.
    pub handle_angle: f64,
    /// Where its handle is drawn: `handle_angle` moved just enough that no two handles stack
    /// (see [`hashhalo_core::geometry::spread_angles`]), tethered to `handle_angle`.
    pub display_angle: f64,
    /// Which radial lane its handle takes when even spread handles would touch.
    pub lane: u8,
}

/// Path strings from earlier frames, by server and layer, with the exact inputs that made
/// them: a drag changes one or two servers, and the others' strings are reused as they are
/// (so the DOM is not touched for them either).
#[derive(Debug, Default)]
pub struct PathCache {
    entries: std::collections::HashMap<(ServerId, Layer), (Vec<u64>, PathData)>,
    /// The inputs of the path being looked up, kept to save an allocation per lookup.
    scratch: Vec<u64>,
}

/// The layers of a server's drawing that are cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Layer {
    Arcs,
    Lifted,
    Ticks,
    Pinned,
    Dots,
    Density,
}

impl PathCache {
    /// The string for `key`, rebuilt with `make` only when `inputs` (every number the string
    /// depends on) differ from those of the cached one. The inputs are compared bit for bit,
    /// not by a hash, so a stale path can never be taken for a fresh one.
    fn get(
        &mut self,
        key: (ServerId, Layer),
        inputs: impl IntoIterator<Item = f64>,
        make: impl FnOnce() -> String,
    ) -> PathData {
        self.scratch.clear();
        self.scratch.extend(inputs.into_iter().map(f64::to_bits));
        if let Some((old, path)) = self.entries.get(&key)
            && *old == self.scratch
        {
            return Arc::clone(path);
        }
        let path: PathData = make().into();
        let inputs = std::mem::take(&mut self.scratch);
        if let Some((old, _)) = self.entries.insert(key, (inputs, Arc::clone(&path))) {
            self.scratch = old;
        }
        path
    }
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
    /// The arcs of the server being dragged, drawn over every other server's arcs.
    pub lifted: Option<(ServerId, PathData)>,
    /// The radius handles are drawn with, in SVG units.
    pub handle_radius: f64,
}

impl Drawing {
    /// The drawing of `state`, reusing the paths in `cache` that are still right.
    ///
    /// With `lifted`, that server (being dragged) is drawn as [`Drawing::lifted`] over the
    /// others' arcs as they would be without it (see [`hashhalo_core::Ring::arcs_without`]).
    pub fn of(state: &Computed, lifted: Option<ServerId>, cache: &mut PathCache) -> Drawing {
        Drawing::sized(state, lifted, HANDLE_SIZE, cache)
    }

    /// [`Drawing::of`] with handles of `handle_radius` units, spread far enough apart for it
    /// (a drawing shown small gets larger handles, so a finger and an eye can find them).
    pub fn sized(
        state: &Computed,
        lifted: Option<ServerId>,
        handle_radius: f64,
        cache: &mut PathCache,
    ) -> Drawing {
        let lab = state.lab();
        let algorithm = lab.router.algorithm;
        let key_count = state.keys().len();
        let mut drawing = Drawing {
            is_ring: algorithm.is_ring(),
            draggable: algorithm.uses_vnodes(),
            density: key_count > DOT_LIMIT,
            key_count,
            handle_radius,
            ..Drawing::default()
        };
        let router = match state.router() {
            Ok(r) => r,
            Err(e) => {
                drawing.error = Some(e.to_string());
                return drawing;
            }
        };
        let servers = &lab.servers;
        let ring = router.ring();
        let angles = handle_angles(state);
        let gap = HANDLE_GAP.max(2.1 * handle_radius / HANDLE_RADIUS);
        let display = spread_angles(&angles, gap);
        let lanes = label_lanes(&display, gap * 0.999, 2);

        let slots = hashhalo_core::order::IdIndex::of_servers(servers);
        // Arcs and ticks, grouped by server.
        let mut arcs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); servers.len()];
        let mut ticks: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
        let mut pinned: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
        // Multi-probe's owners come from the nearest of several probes, not from arcs of its
        // points, so it draws its points but no arcs.
        let draw_arcs = algorithm.draws_arcs();
        let lifted = lifted.filter(|id| draw_arcs && slots.get(*id).is_some());
        let mut lifted_arcs: Vec<(f64, f64)> = Vec::new();
        let angles_of = |arc: &hashhalo_core::Arc| {
            (position_to_angle(arc.start), arc.len() as f64 / TURN * TAU)
        };
        if let Some(ring) = ring {
            // A lifted server's arcs go on top of the others' arcs without it, so while it
            // alone moves, only its own path changes.
            let under = match lifted {
                Some(id) => {
                    lifted_arcs.extend(ring.arcs().iter().filter(|a| a.owner == id).map(angles_of));
                    ring.arcs_without(id)
                }
                None if draw_arcs => ring.arcs(),
                None => Vec::new(),
            };
            for arc in &under {
                if let Some(slot) = slots.get(arc.owner) {
                    arcs[slot].push(angles_of(arc));
                }
            }
            for p in ring.points() {
                if let Some(slot) = slots.get(p.server) {
                    let list = if p.pinned {
                        &mut pinned[slot]
                    } else {
                        &mut ticks[slot]
                    };
                    list.push(position_to_angle(p.position));
                }
            }
        }

        // Keys: dots per owner, or density bars per owner, counted in the same pass. A ring's
        // bars are counted by its points (a million keys are not visited one by one).
        let mut key_counts = vec![0usize; servers.len()];
        let mut key_angles: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
        let mut bins: Vec<Vec<u32>> = vec![vec![0; BINS]; servers.len()];
        let by_points = router
            .ring_by_points()
            .filter(|_| drawing.density)
            .and_then(|ring| Some((ring, ring.binned_counts(state.keys(), BINS)?)));
        if let Some((ring, counted)) = &by_points {
            for (server, row) in ring.servers().iter().zip(counted) {
                if let Some(slot) = slots.get(server.id) {
                    key_counts[slot] = row.iter().map(|&c| c as usize).sum();
                    bins[slot].clone_from(row);
                }
            }
        }
        let visited = if by_points.is_some() {
            0
        } else {
            state.keys().len()
        };
        let positions = &state.keys().positions()[..visited];
        for (&h, owner) in positions.iter().zip(state.owners().iter()) {
            let Some(slot) = owner.and_then(|id| slots.get(id)) else {
                continue;
            };
            key_counts[slot] += 1;
            let angle = position_to_angle(h);
            if drawing.density {
                let bin = ((angle / TAU) * BINS as f64) as usize % BINS;
                bins[slot][bin] += 1;
            } else {
                key_angles[slot].push(angle);
            }
        }
        let key_paths: Vec<PathData> = if drawing.density {
            density_paths(&bins, servers, cache)
        } else {
            key_angles
                .iter()
                .enumerate()
                .map(|(slot, a)| {
                    cache.get((servers[slot].id, Layer::Dots), a.iter().copied(), || {
                        svg::dots_path(KEY_RADIUS, a.iter().copied())
                    })
                })
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
                arcs: cache.get(
                    (s.id, Layer::Arcs),
                    arcs[slot].iter().flat_map(|&(a, b)| [a, b]),
                    || svg::arcs_path(RING_RADIUS, arcs[slot].iter().copied()),
                ),
                ticks: cache.get((s.id, Layer::Ticks), ticks[slot].iter().copied(), || {
                    svg::ticks_path(
                        RING_RADIUS + 16.0,
                        RING_RADIUS + 26.0,
                        ticks[slot].iter().copied(),
                    )
                }),
                pinned: cache.get((s.id, Layer::Pinned), pinned[slot].iter().copied(), || {
                    svg::ticks_path(
                        RING_RADIUS - 18.0,
                        RING_RADIUS + 32.0,
                        pinned[slot].iter().copied(),
                    )
                }),
                keys: Arc::clone(&key_paths[slot]),
                key_count: key_counts[slot],
                handle_angle: angles[slot],
                display_angle: display[slot],
                lane: lanes[slot],
            })
            .collect();
        drawing.lifted = lifted.map(|id| {
            let path = cache.get(
                (id, Layer::Lifted),
                lifted_arcs.iter().flat_map(|&(a, b)| [a, b]),
                || svg::arcs_path(RING_RADIUS, lifted_arcs.iter().copied()),
            );
            (id, path)
        });
        // Forget removed servers' paths.
        cache
            .entries
            .retain(|(id, _), _| servers.iter().any(|s| s.id == *id));
        drawing
    }

    /// The angle server `id`'s handle is drawn at, if it is drawn.
    pub fn handle_of(&self, id: ServerId) -> Option<f64> {
        self.servers
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.display_angle)
    }
}

/// Where each server is, in the order of the servers: at its virtual node 0 on a ring with
/// hashed virtual nodes (the hashed position turned by its shift, so dragging the handle turns
/// the server), at its first point on a preset's ring, else evenly around the circle.
pub fn handle_angles(state: &Computed) -> Vec<f64> {
    let lab = state.lab();
    let servers = &lab.servers;
    let even = |slot: usize| slot as f64 / servers.len().max(1) as f64 * TAU;
    if lab.router.algorithm.uses_vnodes() {
        let mut scratch = String::new();
        return servers
            .iter()
            .map(|s| {
                let hashed = lab
                    .router
                    .hash
                    .vnode_position(&s.label, s.id.0, 0, &mut scratch);
                position_to_angle(hashed.wrapping_add(s.shift))
            })
            .collect();
    }
    match state.router().ok().and_then(|r| r.ring()) {
        Some(ring) if lab.router.algorithm.is_ring() => {
            // Each server's first point, in one pass over the ring.
            let mut first: Vec<Option<u64>> = vec![None; servers.len()];
            for i in 0..ring.len() {
                let slot = ring.point_slot(i);
                if let Some(f) = first.get_mut(slot)
                    && f.is_none()
                {
                    *f = Some(ring.positions()[i]);
                }
            }
            (0..servers.len())
                .map(|slot| first[slot].map_or(even(slot), position_to_angle))
                .collect()
        }
        _ => (0..servers.len()).map(even).collect(),
    }
}

/// Density bars: for each bin, each server's keys as a radial bar inward from the key radius,
/// stacked, scaled so the fullest bin is 40 units deep.
fn density_paths(bins: &[Vec<u32>], servers: &[Server], cache: &mut PathCache) -> Vec<PathData> {
    let most = (0..BINS)
        .map(|b| bins.iter().map(|s| s[b]).sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = 40.0 / f64::from(most);
    let mut depth = vec![0.0; BINS];
    let directions: Vec<(f64, f64)> = (0..BINS)
        .map(|b| direction((b as f64 + 0.5) / BINS as f64 * TAU))
        .collect();
    bins.iter()
        .zip(servers)
        .map(|(server_bins, server)| {
            let below = depth.clone();
            for (b, &count) in server_bins.iter().enumerate() {
                depth[b] += f64::from(count) * scale;
            }
            // A server's bars depend on its bins, the scale, and how deep the bars below go.
            let inputs = server_bins
                .iter()
                .zip(&below)
                .flat_map(|(&c, &d)| [f64::from(c), d])
                .chain([scale]);
            cache.get((server.id, Layer::Density), inputs, || {
                let mut d = String::new();
                for (b, &count) in server_bins.iter().enumerate() {
                    if count == 0 {
                        continue;
                    }
                    let r0 = KEY_RADIUS - below[b];
                    let r1 = r0 - f64::from(count) * scale;
                    svg::push_tick(&mut d, r0, r1, directions[b]);
                }
                d
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_path_cache_compares_inputs_exactly() {
        let mut cache = PathCache::default();
        let key = (ServerId(0), Layer::Density);
        let first = cache.get(key, [0.0, 2.0], || "first".into());
        // The same inputs give the very same string, without rebuilding it.
        let again = cache.get(key, [0.0, 2.0], || unreachable!("rebuilt"));
        assert!(Arc::ptr_eq(&first, &again));
        // These inputs had the same FNV-1a fingerprint (they differ only in bit 62), which
        // once kept a stale density path on screen.
        let swapped = cache.get(key, [2.0, 0.0], || "swapped".into());
        assert_eq!(&*swapped, "swapped");
        // Another layer or server has its own entry.
        let other = cache.get((ServerId(1), Layer::Density), [2.0, 0.0], || "other".into());
        assert_eq!(&*other, "other");
    }
}
