//! Ring positions as angles and screen directions.
//!
//! Position 0 is at 12 o'clock and positions grow clockwise; a full turn is 2⁶⁴ positions.
//! Angles are radians measured clockwise from 12 o'clock. Screen vectors have x to the right
//! and y down, as in SVG and the DOM.

use std::f64::consts::TAU;

const TURN: f64 = 18_446_744_073_709_551_616.0; // 2⁶⁴

/// The angle of ring position `position`, in `[0, 2π)`.
///
/// ```
/// use hashhalo_core::geometry::position_to_angle;
/// use std::f64::consts::PI;
///
/// assert_eq!(position_to_angle(0), 0.0);
/// assert!((position_to_angle(1 << 63) - PI).abs() < 1e-12);
/// ```
pub fn position_to_angle(position: u64) -> f64 {
    let angle = position as f64 / TURN * TAU;
    // Positions just below 2⁶⁴ round up to a full turn in f64; that is the same place as 0.
    if angle >= TAU { 0.0 } else { angle }
}

/// The ring position at `angle` radians clockwise from 12 o'clock. Any finite angle is
/// accepted and taken modulo a full turn; a non-finite angle gives position 0.
///
/// An f64 angle carries 53 bits, so the round trip position → angle → position is exact to
/// within 2¹¹ positions of 2⁶⁴, a hair's breadth on any screen.
///
/// ```
/// use hashhalo_core::geometry::angle_to_position;
/// use std::f64::consts::{FRAC_PI_2, PI};
///
/// assert_eq!(angle_to_position(PI), 1 << 63);
/// assert_eq!(angle_to_position(-FRAC_PI_2), 3 << 62); // a quarter turn back is 9 o'clock
/// ```
pub fn angle_to_position(angle: f64) -> u64 {
    if !angle.is_finite() {
        return 0;
    }
    let turns = (angle / TAU).rem_euclid(1.0);
    let position = turns * TURN;
    if position >= TURN { 0 } else { position as u64 }
}

/// The unit screen vector pointing at `angle` (x right, y down): 12 o'clock is `(0, -1)`,
/// 3 o'clock is `(1, 0)`.
///
/// ```
/// use hashhalo_core::geometry::direction;
/// use std::f64::consts::FRAC_PI_2;
///
/// let (x, y) = direction(FRAC_PI_2);
/// assert!((x - 1.0).abs() < 1e-12 && y.abs() < 1e-12);
/// ```
pub fn direction(angle: f64) -> (f64, f64) {
    (angle.sin(), -angle.cos())
}

/// The clockwise angle of the screen point `(x, y)` seen from the centre `(cx, cy)`, in
/// `[0, 2π)`; the inverse of [`direction`]. The centre itself gives 0.
///
/// ```
/// use hashhalo_core::geometry::angle_of_point;
/// use std::f64::consts::PI;
///
/// // Straight below the centre is 6 o'clock, half a turn.
/// assert!((angle_of_point(100.0, 100.0, 100.0, 180.0) - PI).abs() < 1e-12);
/// ```
pub fn angle_of_point(cx: f64, cy: f64, x: f64, y: f64) -> f64 {
    let angle = (x - cx).atan2(-(y - cy));
    if angle < 0.0 { angle + TAU } else { angle }
}

/// Radial lanes for labels at `angles` (radians, any order) so that no two labels in the same
/// lane are closer than `min_gap` radians: each label takes the lowest lane free of any
/// closer label, going clockwise. With `lanes` lanes, labels that find none free share the
/// last one. The result is in the order of `angles`.
///
/// ```
/// use hashhalo_core::geometry::label_lanes;
///
/// // Two labels a hair apart go to different lanes; a far one stays in lane 0.
/// assert_eq!(label_lanes(&[0.10, 0.11, 3.0], 0.2, 3), vec![0, 1, 0]);
/// ```
pub fn label_lanes(angles: &[f64], min_gap: f64, lanes: u8) -> Vec<u8> {
    let lanes = lanes.max(1);
    let turned: Vec<f64> = angles.iter().map(|a| a.rem_euclid(TAU)).collect();
    let mut order: Vec<usize> = (0..angles.len()).collect();
    order.sort_by(|&a, &b| turned[a].total_cmp(&turned[b]).then(a.cmp(&b)));
    let mut lane_of = vec![0u8; angles.len()];
    let close = |a: f64, b: f64| {
        let d = (a - b).rem_euclid(TAU);
        d.min(TAU - d) < min_gap
    };
    // Labels are placed in clockwise order, so of the labels already in a lane the last one
    // is the nearest counter-clockwise and the first one the nearest across 0: checking
    // those two is checking them all, and placing n labels costs O(n · lanes).
    let mut ends: Vec<Option<(f64, f64)>> = vec![None; usize::from(lanes)];
    for &i in &order {
        let a = turned[i];
        let lane = (0..lanes)
            .find(|&l| {
                ends[usize::from(l)].is_none_or(|(first, last)| !close(first, a) && !close(last, a))
            })
            .unwrap_or(lanes - 1);
        lane_of[i] = lane;
        let end = &mut ends[usize::from(lane)];
        *end = Some(end.map_or((a, a), |(first, _)| (first, a)));
    }
    lane_of
}

/// The index in `positions` (sorted ascending) of the point nearest to `position` around the
/// ring, if one lies within `tolerance` positions of it either way.
///
/// ```
/// use hashhalo_core::geometry::nearest_point;
///
/// let points = [100, 1000, u64::MAX - 5];
/// assert_eq!(nearest_point(&points, 990, 50), Some(1));
/// assert_eq!(nearest_point(&points, 3, 10), Some(2)); // across position 0
/// assert_eq!(nearest_point(&points, 500, 50), None);
/// ```
pub fn nearest_point(positions: &[u64], position: u64, tolerance: u64) -> Option<usize> {
    if positions.is_empty() {
        return None;
    }
    let n = positions.len();
    let after = positions.partition_point(|&p| p < position) % n;
    let before = (after + n - 1) % n;
    let distance = |i: usize| {
        let d = positions[i].wrapping_sub(position);
        d.min(position.wrapping_sub(positions[i]))
    };
    let best = if distance(before) <= distance(after) {
        before
    } else {
        after
    };
    (distance(best) <= tolerance).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn position_angle_round_trip_is_within_f64_precision(p in any::<u64>()) {
            let back = angle_to_position(position_to_angle(p));
            let error = back.wrapping_sub(p).min(p.wrapping_sub(back));
            prop_assert!(error <= 1 << 12, "{p} came back as {back}");
        }

        #[test]
        fn direction_and_angle_of_point_are_inverse(a in 0.0..TAU) {
            let (x, y) = direction(a);
            let back = angle_of_point(0.0, 0.0, x * 50.0, y * 50.0);
            let diff = (back - a).abs();
            prop_assert!(diff < 1e-9 || (TAU - diff) < 1e-9);
        }
    }

    proptest! {
        #[test]
        fn labels_in_one_lane_keep_their_distance(angles in proptest::collection::vec(0.0..TAU, 0..40)) {
            let gap = 0.15;
            let lanes = label_lanes(&angles, gap, 64);
            for i in 0..angles.len() {
                for j in 0..i {
                    if lanes[i] == lanes[j] {
                        let d = (angles[i] - angles[j]).rem_euclid(TAU);
                        prop_assert!(d.min(TAU - d) >= gap);
                    }
                }
            }
        }

        /// The O(n · lanes) placement equals the plain one that checks every placed label.
        #[test]
        fn label_lanes_equal_checking_every_placed_label(
            angles in proptest::collection::vec(0.0..TAU, 0..60),
            gap in 0.0..4.0f64,
            lanes in 1u8..6,
        ) {
            let mut order: Vec<usize> = (0..angles.len()).collect();
            order.sort_by(|&a, &b| angles[a].total_cmp(&angles[b]).then(a.cmp(&b)));
            let mut expected = vec![0u8; angles.len()];
            let mut placed: Vec<(f64, u8)> = Vec::new();
            let close = |a: f64, b: f64| {
                let d = (a - b).rem_euclid(TAU);
                d.min(TAU - d) < gap
            };
            for &i in &order {
                let lane = (0..lanes)
                    .find(|&l| !placed.iter().any(|&(a, pl)| pl == l && close(a, angles[i])))
                    .unwrap_or(lanes - 1);
                expected[i] = lane;
                placed.push((angles[i], lane));
            }
            prop_assert_eq!(label_lanes(&angles, gap, lanes), expected);
        }

        #[test]
        fn nearest_point_is_the_closest_of_all(points in proptest::collection::vec(any::<u64>(), 1..30), at in any::<u64>()) {
            let mut points = points;
            points.sort_unstable();
            let i = nearest_point(&points, at, u64::MAX).unwrap();
            let d = |p: u64| p.wrapping_sub(at).min(at.wrapping_sub(p));
            prop_assert!(points.iter().all(|&p| d(points[i]) <= d(p)));
        }
    }

    #[test]
    fn quarter_turns_land_on_the_clock_hours() {
        assert_eq!(angle_to_position(TAU / 4.0), 1 << 62);
        assert_eq!(angle_to_position(TAU), 0);
        assert_eq!(angle_to_position(f64::NAN), 0);
        assert_eq!(position_to_angle(u64::MAX), 0.0);
    }
}
