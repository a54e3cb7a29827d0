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
    let turns = angle / TAU - (angle / TAU).floor();
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
    let (sin, cos) = sin_cos(angle);
    (sin, -cos)
}

/// `x` taken into `[0, 2π]` by whole turns: the same angle as `x.rem_euclid(TAU)` to within an
/// ulp (at a whole turn one may give 0 where the other gives just under 2π; a test checks
/// both), without its `fmod`, a kilobyte of wasm where a floor is one instruction.
fn wrap(x: f64) -> f64 {
    let r = x - TAU * (x / TAU).floor();
    // `x / TAU` can round up to the next whole number just below a turn.
    if r < 0.0 { r + TAU } else { r }
}

/// The sine and cosine of `x` radians, to within 4.5 × 10⁻¹⁶ of std's for `|x|` up to 10⁶
/// (the drawing's angles are within a turn or two); NaN for a non-finite `x`. Past 2²⁰ · π/2
/// the reduction below would lose bits, so the angle is first taken within a turn (as exact
/// as f64 holds it: to 10⁻⁷ at 10⁹; past 2⁵², where one ulp of the angle is a turn, the
/// result means nothing). Whatever `x`, the result is within [-1, 1].
///
/// Written here rather than `f64::sin_cos` for two reasons. In wasm, std's sine and cosine
/// are compiled from libm, with an argument reduction for any angle up to 2¹⁰²⁴ that is 6 KiB
/// of wasm (before gzip) in the page's first load; and natively they are the platform's libm, which may round the
/// last bit differently from wasm's, while the drawing should be the same everywhere. The
/// reduction is Cody and Waite's in two parts and the polynomials are fdlibm's
/// (`__kernel_sin`, `__kernel_cos`, Sun Microsystems, 1993), on `[-π/4, π/4]`.
fn sin_cos(x: f64) -> (f64, f64) {
    // π/2 as a 33-bit head (so that `n * PIO2_HI` is exact for n below 2²⁰) and the rest.
    const PIO2_HI: f64 = 1.5707963267341256;
    const PIO2_LO: f64 = 6.077100506506192e-11;
    const S: [f64; 6] = [
        -0.16666666666666632,
        0.00833333333332249,
        -0.0001984126982985795,
        2.7557313707070068e-06,
        -2.5050760253406863e-08,
        1.58969099521155e-10,
    ];
    const C: [f64; 6] = [
        0.0416666666666666,
        -0.001388888888887411,
        2.480158728947673e-05,
        -2.7557314351390663e-07,
        2.087572321298175e-09,
        -1.1359647557788195e-11,
    ];
    // 2²⁰ · π/2: below it, `n * PIO2_HI` is exact.
    const REDUCIBLE: f64 = 1_647_099.3;
    if !x.is_finite() {
        return (f64::NAN, f64::NAN);
    }
    let x = if x.abs() <= REDUCIBLE {
        x
    } else {
        Some(wrap(x))
            .filter(|w| w.abs() <= REDUCIBLE)
            .unwrap_or(0.0)
    };
    let n = (x * std::f64::consts::FRAC_2_PI + 0.5).floor();
    let r = (x - n * PIO2_HI) - n * PIO2_LO;
    let z = r * r;
    let sin = r + r * z * (S[0] + z * (S[1] + z * (S[2] + z * (S[3] + z * (S[4] + z * S[5])))));
    let tail = z * z * (C[0] + z * (C[1] + z * (C[2] + z * (C[3] + z * (C[4] + z * C[5])))));
    let half = 0.5 * z;
    let w = 1.0 - half;
    let cos = w + (((1.0 - w) - half) + tail);
    // The quadrant: n modulo 4 (n is a whole number well inside i64 here).
    match (n as i64).rem_euclid(4) {
        0 => (sin, cos),
        1 => (cos, -sin),
        2 => (-sin, -cos),
        _ => (-cos, sin),
    }
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
    let turned: Vec<f64> = angles.iter().map(|&a| wrap(a)).collect();
    let order: Vec<usize> = crate::order::order_by(angles.len(), |i| {
        u128::from(crate::order::f64_key(turned[i]))
    })
    .into_iter()
    .map(|i| i as usize)
    .collect();
    let mut lane_of = vec![0u8; angles.len()];
    let close = |a: f64, b: f64| {
        let d = wrap(a - b);
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

/// Angles near `angles` (radians, any order) that are at least `min_gap` apart going round
/// the circle, for handles that must not stack: each moves as little as it can (least squares),
/// and their clockwise order is kept. When `n` angles cannot all be `min_gap` apart the gap
/// shrinks to `2π / n`. The result is in the order of `angles`, each in `[0, 2π)`.
///
/// The circle is cut at the widest empty gap, which makes a line; there, with `y_i = x_i − i·g`,
/// "each at least `g` after the one before" becomes "`y` never decreases", and the closest such
/// `y` to `a_i − i·g` is the isotonic regression that pool-adjacent-violators finds in `O(n)`.
///
/// ```
/// use hashhalo_core::geometry::spread_angles;
///
/// // Two handles a hair apart move apart evenly; a far one stays where it is.
/// let spread = spread_angles(&[1.0, 1.01, 4.0], 0.2);
/// assert!((spread[0] - 0.905).abs() < 1e-9 && (spread[1] - 1.105).abs() < 1e-9);
/// assert!((spread[2] - 4.0).abs() < 1e-12);
/// ```
pub fn spread_angles(angles: &[f64], min_gap: f64) -> Vec<f64> {
    let n = angles.len();
    if n < 2 {
        return angles.iter().map(|&a| wrap(a)).collect();
    }
    let gap = min_gap.min(TAU / n as f64).max(0.0);
    let turned: Vec<f64> = angles.iter().map(|&a| wrap(a)).collect();
    let order: Vec<usize> =
        crate::order::order_by(n, |i| u128::from(crate::order::f64_key(turned[i])))
            .into_iter()
            .map(|i| i as usize)
            .collect();
    // Cut after the widest empty gap, so the line starts where the circle is emptiest.
    let widest = (0..n)
        .max_by(|&i, &j| {
            let g = |k: usize| {
                let next = turned[order[(k + 1) % n]];
                wrap(next - turned[order[k]])
            };
            g(i).total_cmp(&g(j)).then(j.cmp(&i))
        })
        .expect("n >= 2");
    let mut start = (widest + 1) % n;
    // The line's ends may still crowd each other across the cut; then the first block of the
    // line joins its end and the line is solved again (a few times at most, then the angles
    // are simply spaced evenly from their mean, which always fits).
    for _ in 0..8 {
        let line: Vec<usize> = (0..n).map(|k| order[(start + k) % n]).collect();
        let (x, first_block) = spread_line(&line, &turned, gap);
        let across = x[0] + TAU - x[n - 1];
        if across >= gap - 1e-12 {
            let mut out = vec![0.0; n];
            for (k, &i) in line.iter().enumerate() {
                out[i] = wrap(x[k]);
            }
            return out;
        }
        start = (start + first_block) % n;
    }
    let line: Vec<usize> = (0..n).map(|k| order[(start + k) % n]).collect();
    let base = turned[line[0]];
    let unwrapped: Vec<f64> = line
        .iter()
        .map(|&i| wrap(turned[i] - base) + base)
        .collect();
    let even = TAU / n as f64;
    let mean = unwrapped.iter().sum::<f64>() / n as f64 - (n - 1) as f64 * even / 2.0;
    let mut out = vec![0.0; n];
    for (k, &i) in line.iter().enumerate() {
        out[i] = wrap(mean + k as f64 * even);
    }
    out
}

/// The least-squares positions of the angles `line` (indices into `turned`, in clockwise order
/// from the first) at least `gap` apart along a line, unwrapped past 2π; and how many angles
/// the first pooled block holds.
fn spread_line(line: &[usize], turned: &[f64], gap: f64) -> (Vec<f64>, usize) {
    let base = turned[line[0]];
    let targets = line
        .iter()
        .enumerate()
        .map(|(k, &i)| wrap(turned[i] - base) + base - k as f64 * gap);
    // Pool adjacent violators: blocks of (sum, count), each block's mean non-decreasing.
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(line.len());
    for t in targets {
        blocks.push((t, 1));
        while blocks.len() > 1 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s1 / c1 as f64 <= s2 / c2 as f64 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().expect("two blocks") = (s1 + s2, c1 + c2);
        }
    }
    let first_block = blocks.first().map_or(1, |b| b.1);
    let mut x = Vec::with_capacity(line.len());
    for (sum, c) in blocks {
        let mean = sum / c as f64;
        for _ in 0..c {
            x.push(mean + x.len() as f64 * gap);
        }
    }
    (x, first_block)
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
        fn sine_and_cosine_are_std_s_to_within_two_ulps_of_one(x in -1.0e6..1.0e6f64) {
            let (sin, cos) = sin_cos(x);
            prop_assert!((sin - x.sin()).abs() <= 4.5e-16, "sin {x}: {sin} against {}", x.sin());
            prop_assert!((cos - x.cos()).abs() <= 4.5e-16, "cos {x}: {cos} against {}", x.cos());
        }

        #[test]
        fn sine_and_cosine_near_the_quadrant_edges(k in -64i32..64, e in -1.0e-6..1.0e-6f64) {
            let x = f64::from(k) * std::f64::consts::FRAC_PI_4 + e;
            let (sin, cos) = sin_cos(x);
            prop_assert!((sin - x.sin()).abs() <= 4.5e-16 && (cos - x.cos()).abs() <= 4.5e-16, "{x}");
        }

        #[test]
        fn wrap_is_rem_euclid(x in -100.0..100.0f64) {
            let (ours, std) = (wrap(x), x.rem_euclid(TAU));
            prop_assert!((0.0..=TAU).contains(&ours));
            prop_assert!((ours - std).abs() <= 1e-15 * x.abs().max(1.0) || (ours - std).abs() >= TAU - 1e-13, "{x}: {ours} against {std}");
        }
    }

    #[test]
    fn sine_and_cosine_at_the_hours_of_the_clock() {
        assert_eq!(sin_cos(0.0), (0.0, 1.0));
        let (s, c) = sin_cos(std::f64::consts::FRAC_PI_2);
        assert_eq!(s, 1.0);
        assert!(c.abs() < 1e-16);
        let (s, c) = sin_cos(std::f64::consts::PI);
        assert!(s.abs() < 1e-15 && c == -1.0);
        let (s, c) = sin_cos(f64::NAN);
        assert!(s.is_nan() && c.is_nan());
        assert!(sin_cos(f64::INFINITY).0.is_nan());
        // Far out the angle is taken within a turn first, and nothing leaves [-1, 1].
        let (s, c) = sin_cos(1.0e9);
        assert!((s - 1.0e9f64.sin()).abs() < 1e-6 && (c - 1.0e9f64.cos()).abs() < 1e-6);
        for x in [2.0e6, -3.0e12, 1.0e17, 1.0e300, -f64::MAX] {
            let (s, c) = sin_cos(x);
            assert!(s.abs() <= 1.0 && c.abs() <= 1.0, "{x}: {s}, {c}");
        }
        // Each value is the same natively and in wasm: no platform library is called.
        assert_eq!(sin_cos(1.0).0.to_bits(), 0x3FEA_ED54_8F09_0CEE);
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

        /// Spread handles keep their clockwise order, end at least the gap apart in that order
        /// (the gap shrunk to 2π/n when they cannot fit), and stay where they were when already
        /// far enough apart.
        #[test]
        fn spread_angles_keep_order_and_distance(angles in proptest::collection::vec(0.0..TAU, 1..40), gap in 0.01..0.5f64) {
            let out = spread_angles(&angles, gap);
            let g = gap.min(TAU / angles.len() as f64);
            let mut order: Vec<usize> = (0..angles.len()).collect();
            order.sort_by(|&a, &b| out[a].total_cmp(&out[b]));
            for w in 0..order.len() {
                let (a, b) = (out[order[w]], out[order[(w + 1) % order.len()]]);
                let d = (b - a).rem_euclid(TAU);
                if order.len() > 1 {
                    prop_assert!(d >= g - 1e-9 || (order.len() as f64 * g - TAU).abs() < 1e-9 && d >= g - 1e-6, "{d} < {g}");
                }
            }
            // The clockwise order is kept: sorted by where they were and by where they are
            // drawn, the handles come in the same cyclic order.
            let mut was: Vec<usize> = (0..angles.len()).collect();
            was.sort_by(|&a, &b| angles[a].rem_euclid(TAU).total_cmp(&angles[b].rem_euclid(TAU)).then(a.cmp(&b)));
            if let Some(first) = order.iter().position(|&i| i == was[0]) {
                let rotated: Vec<usize> = order[first..].iter().chain(&order[..first]).copied().collect();
                // Equal angles may come out in either order of their indices.
                let same = rotated.iter().zip(&was).all(|(&a, &b)| a == b || (angles[a] - angles[b]).abs() < 1e-12);
                prop_assert!(same, "order {rotated:?} vs {was:?}");
            }
            let far_apart = {
                let mut s: Vec<f64> = angles.clone();
                s.sort_by(f64::total_cmp);
                (0..s.len()).all(|i| (s[(i + 1) % s.len()] - s[i]).rem_euclid(TAU) >= gap || s.len() == 1)
            };
            if far_apart {
                for (a, b) in angles.iter().zip(&out) {
                    prop_assert!((a - b).abs() < 1e-9);
                }
            }
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
