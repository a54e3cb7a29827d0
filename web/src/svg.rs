//! SVG geometry for the ring drawing. Angles follow `hashhalo_core::geometry`: radians,
//! clockwise from 12 o'clock; SVG user units with y down.

use std::f64::consts::TAU;
use std::fmt::Write as _;

use hashhalo_core::geometry::direction;

/// The drawing's square size in SVG user units.
pub const SIZE: f64 = 600.0;
/// The ring's centre.
pub const CENTRE: f64 = SIZE / 2.0;
/// The radius of the ownership band.
pub const RING_RADIUS: f64 = 230.0;
/// The radius keys are drawn at.
pub const KEY_RADIUS: f64 = 190.0;

/// The point at `angle` on the circle of radius `r` around the centre.
pub fn point(r: f64, angle: f64) -> (f64, f64) {
    let (dx, dy) = direction(angle);
    (CENTRE + r * dx, CENTRE + r * dy)
}

/// The path of a clockwise arc of radius `r` starting at `start` and sweeping `sweep`
/// radians. A sweep of a full turn (or more) draws the whole circle as two half arcs, since
/// one SVG arc cannot start and end at the same point.
pub fn arc_path(r: f64, start: f64, sweep: f64) -> String {
    let sweep = sweep.clamp(0.0, TAU);
    let (x0, y0) = point(r, start);
    if sweep >= TAU - 1e-9 {
        let (x1, y1) = point(r, start + TAU / 2.0);
        return format!(
            "M{x0:.2} {y0:.2}A{r} {r} 0 0 1 {x1:.2} {y1:.2}A{r} {r} 0 0 1 {x0:.2} {y0:.2}"
        );
    }
    let (x1, y1) = point(r, start + sweep);
    let large = u8::from(sweep > TAU / 2.0);
    format!("M{x0:.2} {y0:.2}A{r} {r} 0 {large} 1 {x1:.2} {y1:.2}")
}

/// One path of radial ticks, from radius `r0` to `r1`, at each angle.
pub fn ticks_path(r0: f64, r1: f64, angles: impl Iterator<Item = f64>) -> String {
    let mut d = String::new();
    for a in angles {
        let (x0, y0) = point(r0, a);
        let (x1, y1) = point(r1, a);
        let _ = write!(d, "M{x0:.1} {y0:.1}L{x1:.1} {y1:.1}");
    }
    d
}

/// One path of dots at radius `r`, one per angle: zero-length segments that a round line cap
/// draws as dots, so thousands of keys cost one element.
pub fn dots_path(r: f64, angles: impl Iterator<Item = f64>) -> String {
    let mut d = String::new();
    for a in angles {
        let (x, y) = point(r, a);
        let _ = write!(d, "M{x:.1} {y:.1}h0");
    }
    d
}

/// Every arc in `arcs` (start angle, sweep) as one path, so a server's whole ownership is a
/// single element however many arcs it has.
pub fn arcs_path(r: f64, arcs: impl Iterator<Item = (f64, f64)>) -> String {
    let mut d = String::new();
    for (start, sweep) in arcs {
        d.push_str(&arc_path(r, start, sweep));
    }
    d
}

/// The SVG user-space point under the client (CSS pixel) point `(x, y)`, for a square drawing
/// of [`SIZE`] units shown in `rect` with the default `xMidYMid meet` fit.
pub fn client_to_svg(rect: &web_sys::DomRect, x: f64, y: f64) -> (f64, f64) {
    let scale = (rect.width().min(rect.height()) / SIZE).max(f64::MIN_POSITIVE);
    let left = rect.left() + (rect.width() - SIZE * scale) / 2.0;
    let top = rect.top() + (rect.height() - SIZE * scale) / 2.0;
    ((x - left) / scale, (y - top) / scale)
}

/// The point a fraction `t` of the way along the quadratic curve from `a` to `b` that bends
/// through the centre, for keys travelling between servers.
pub fn travel(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    let c = (CENTRE, CENTRE);
    let u = 1.0 - t;
    (
        u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0,
        u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1,
    )
}
