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

    #[test]
    fn quarter_turns_land_on_the_clock_hours() {
        assert_eq!(angle_to_position(TAU / 4.0), 1 << 62);
        assert_eq!(angle_to_position(TAU), 0);
        assert_eq!(angle_to_position(f64::NAN), 0);
        assert_eq!(position_to_angle(u64::MAX), 0.0);
    }
}
