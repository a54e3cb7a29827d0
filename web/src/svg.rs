//! SVG geometry for the ring drawing. Angles follow `hashhalo_core::geometry`: radians,
//! clockwise from 12 o'clock; SVG user units with y down.

use std::f64::consts::TAU;

use hashhalo_core::geometry::direction;

/// The drawing's square size in SVG user units (the ring's `viewBox` is `0 0 600 600`).
pub const SIZE: f64 = 600.0;
/// The ring's centre.
pub const CENTRE: f64 = SIZE / 2.0;
/// The radius of the ownership band.
pub const RING_RADIUS: f64 = 230.0;
/// The radius keys are drawn at.
pub const KEY_RADIUS: f64 = 190.0;

/// Appends `v` with one decimal (`-12.3`, `300.0`) without the float formatting machinery:
/// a drawing writes tens of thousands of coordinates a frame, and this is several times faster.
pub fn push_num(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round();
    let tenths = if tenths.is_finite() {
        tenths.clamp(-1e12, 1e12) as i64
    } else {
        0
    };
    // Written right to left into a small buffer, then appended at once.
    let mut buf = [0u8; 24];
    let mut i = buf.len();
    let mut t = tenths.unsigned_abs();
    i -= 1;
    buf[i] = b'0' + (t % 10) as u8;
    i -= 1;
    buf[i] = b'.';
    t /= 10;
    loop {
        i -= 1;
        buf[i] = b'0' + (t % 10) as u8;
        t /= 10;
        if t == 0 {
            break;
        }
    }
    if tenths < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    out.push_str(std::str::from_utf8(&buf[i..]).expect("ASCII digits"));
}

/// `v` with one decimal, for an attribute: a number given to an attribute as `f64` would be
/// written by the standard float formatting, which the app does without (see
/// [`hashhalo_core::format::fixed`]).
pub fn num(v: f64) -> String {
    let mut out = String::new();
    push_num(&mut out, v);
    out
}

/// Appends the command letter `cmd` and the point `(x, y)`.
fn push_point(out: &mut String, cmd: char, (x, y): (f64, f64)) {
    out.push(cmd);
    push_num(out, x);
    out.push(' ');
    push_num(out, y);
}

/// The point at `angle` on the circle of radius `r` around the centre.
pub fn point(r: f64, angle: f64) -> (f64, f64) {
    let (dx, dy) = direction(angle);
    (CENTRE + r * dx, CENTRE + r * dy)
}

/// The path of a clockwise arc of radius `r` starting at `start` and sweeping `sweep`
/// radians. A sweep of a full turn (or more) draws the whole circle as two half arcs, since
/// one SVG arc cannot start and end at the same point.
pub fn arc_path(r: f64, start: f64, sweep: f64) -> String {
    let mut d = String::new();
    push_arc(&mut d, r, start, sweep);
    d
}

fn push_arc(d: &mut String, r: f64, start: f64, sweep: f64) {
    let sweep = sweep.clamp(0.0, TAU);
    let arc_to = |d: &mut String, large: bool, to: (f64, f64)| {
        d.push('A');
        push_num(d, r);
        d.push(' ');
        push_num(d, r);
        d.push_str(if large { " 0 1 1" } else { " 0 0 1" });
        push_point(d, ' ', to);
    };
    push_point(d, 'M', point(r, start));
    if sweep >= TAU - 1e-9 {
        arc_to(d, false, point(r, start + TAU / 2.0));
        arc_to(d, false, point(r, start));
        return;
    }
    arc_to(d, sweep > TAU / 2.0, point(r, start + sweep));
}

/// One path of radial ticks, from radius `r0` to `r1`, at each angle.
pub fn ticks_path(r0: f64, r1: f64, angles: impl Iterator<Item = f64>) -> String {
    let mut d = String::with_capacity(32 * angles.size_hint().0);
    for a in angles {
        push_tick(&mut d, r0, r1, direction(a));
    }
    d
}

/// Appends a radial tick from radius `r0` to `r1` in the direction `(dx, dy)`.
pub fn push_tick(d: &mut String, r0: f64, r1: f64, (dx, dy): (f64, f64)) {
    push_point(d, 'M', (CENTRE + r0 * dx, CENTRE + r0 * dy));
    push_point(d, 'L', (CENTRE + r1 * dx, CENTRE + r1 * dy));
}

/// One path of dots at radius `r`, one per angle: zero-length segments that a round line cap
/// draws as dots, so thousands of keys cost one element.
pub fn dots_path(r: f64, angles: impl Iterator<Item = f64>) -> String {
    let mut d = String::with_capacity(16 * angles.size_hint().0);
    for a in angles {
        push_point(&mut d, 'M', point(r, a));
        d.push_str("h0");
    }
    d
}

/// Every arc in `arcs` (start angle, sweep) as one path, so a server's whole ownership is a
/// single element however many arcs it has.
pub fn arcs_path(r: f64, arcs: impl Iterator<Item = (f64, f64)>) -> String {
    let mut d = String::new();
    for (start, sweep) in arcs {
        push_arc(&mut d, r, start, sweep);
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
