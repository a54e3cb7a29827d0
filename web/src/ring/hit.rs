//! Hit-testing: which handle or virtual node a press at a point of the drawing picks.
//!
//! Points are in SVG user units (see [`crate::svg`]); `tolerance` is how far a press may be
//! from what it picks, in the same units, which the caller derives from the size the drawing
//! has on screen so that a finger's 44-pixel target holds at any size.

use hashhalo_core::ServerId;
use hashhalo_core::geometry::{angle_of_point, angle_to_position, nearest_point};

use crate::svg::{CENTRE, RING_RADIUS};

/// What a press picks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// A server's handle.
    Handle(ServerId),
    /// The virtual node at index `point` of the ring's sorted positions.
    Point(usize),
}

/// How close to the ring band (in user units, radially) a press must be to pick a point.
pub const BAND: f64 = 40.0;

/// The handle nearest to `(x, y)` among `handles` (each a server and its centre), if one is
/// within `tolerance`; else the ring point nearest in angle, if the press is on the ring's
/// band and one lies within `tolerance` along the ring.
///
/// ```
/// use hashhalo_core::ServerId;
/// use hashhalo_web::ring::hit::{pick, Target};
///
/// let handles = [(ServerId(0), (300.0, 32.0)), (ServerId(1), (330.0, 34.0))];
/// // A press between the two handles, a little nearer B's, picks B.
/// assert_eq!(pick((318.0, 33.0), &handles, &[], 30.0), Some(Target::Handle(ServerId(1))));
/// // On the band, far from any handle, it picks the nearest point.
/// assert_eq!(pick((300.0, 70.0), &handles[..0], &[0, 1 << 62], 30.0), Some(Target::Point(0)));
/// assert_eq!(pick((300.0, 300.0), &handles[..0], &[0], 30.0), None);
/// ```
pub fn pick(
    (x, y): (f64, f64),
    handles: &[(ServerId, (f64, f64))],
    points: &[u64],
    tolerance: f64,
) -> Option<Target> {
    let nearest = handles
        .iter()
        .map(|&(id, (hx, hy))| (id, (hx - x).hypot(hy - y)))
        .filter(|&(_, d)| d <= tolerance)
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((id, _)) = nearest {
        return Some(Target::Handle(id));
    }
    let radius = (x - CENTRE).hypot(y - CENTRE);
    if (radius - RING_RADIUS).abs() > BAND || points.is_empty() {
        return None;
    }
    // Along the ring, `tolerance` units at the band's radius are this many radians.
    let angle_tolerance = (tolerance / RING_RADIUS).min(std::f64::consts::PI);
    let position = angle_to_position(angle_of_point(CENTRE, CENTRE, x, y));
    nearest_point(points, position, angle_to_position(angle_tolerance)).map(Target::Point)
}

/// The tolerance in user units for a target of `pixels` across when the drawing's `size`
/// user units are `rendered` pixels wide on screen: half the target, and never less than
/// `least` units.
///
/// ```
/// use hashhalo_web::ring::hit::tolerance;
///
/// // A 600-unit drawing shown 300 pixels wide: a 44-pixel target is 44 units from its centre.
/// assert_eq!(tolerance(44.0, 600.0, 300.0, 14.0), 44.0);
/// assert_eq!(tolerance(44.0, 600.0, 1200.0, 14.0), 14.0);
/// ```
pub fn tolerance(pixels: f64, size: f64, rendered: f64, least: f64) -> f64 {
    if rendered <= 0.0 {
        return least;
    }
    (pixels / 2.0 * size / rendered).max(least)
}
