//! The travelling keys after a change: each moved key drawn on its way from its old owner's
//! handle to its new owner's, eased, as one path of dots per destination.

use hashhalo_core::ServerId;

use crate::drawing::{Drawing, HANDLE_RADIUS};
use crate::svg;

/// At most this many moved keys travel; the rest only get their marks.
pub const MOST: usize = 1500;

/// Cubic ease in and out: slow at both ends, `t` and the result from 0 to 1.
///
/// ```
/// use hashhalo_web::ring::movers::ease;
///
/// assert_eq!(ease(0.0), 0.0);
/// assert_eq!(ease(0.5), 0.5);
/// assert_eq!(ease(1.0), 1.0);
/// assert!(ease(0.1) < 0.1);
/// ```
pub fn ease(t: f64) -> f64 {
    if t < 0.5 {
        4.0 * t.powi(3)
    } else {
        1.0 - (-2.0 * t + 2.0).powi(3) / 2.0
    }
}

/// The moved keys at `progress` (0 to 1) of the way, as `(destination, path)`: the keys
/// `moved` (indices into the owner lists) from their handle in `before` to their handle in
/// `after`. Keys without an owner on either side are not drawn.
pub fn paths(
    moved: &[u32],
    before_owners: &[Option<ServerId>],
    after_owners: &[Option<ServerId>],
    before: &Drawing,
    after: &Drawing,
    progress: f64,
) -> Vec<(ServerId, String)> {
    let t = ease(progress.clamp(0.0, 1.0));
    let mut out: Vec<(ServerId, String)> = Vec::new();
    for &i in moved.iter().take(MOST) {
        let (Some(Some(from)), Some(Some(to))) =
            (before_owners.get(i as usize), after_owners.get(i as usize))
        else {
            continue;
        };
        let (Some(a), Some(b)) = (
            before.handle_of(*from).or(after.handle_of(*from)),
            after.handle_of(*to),
        ) else {
            continue;
        };
        // Spread keys a little so a crowd does not collapse to one dot.
        let jitter = (f64::from(i % 17) - 8.0) * 0.004;
        let (x, y) = svg::travel(
            svg::point(HANDLE_RADIUS, a + jitter),
            svg::point(HANDLE_RADIUS, b + jitter),
            t,
        );
        let d = match out.iter().position(|(id, _)| id == to) {
            Some(k) => &mut out[k].1,
            None => {
                out.push((*to, String::new()));
                &mut out.last_mut().expect("just pushed").1
            }
        };
        d.push('M');
        crate::svg::push_num(d, x);
        d.push(' ');
        crate::svg::push_num(d, y);
        d.push_str("h0");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::ServerDrawing;

    fn drawing(handles: &[(u32, f64)]) -> Drawing {
        Drawing {
            servers: handles
                .iter()
                .map(|&(id, angle)| ServerDrawing {
                    id: ServerId(id),
                    handle_angle: angle,
                    display_angle: angle,
                    ..ServerDrawing::default()
                })
                .collect(),
            ..Drawing::default()
        }
    }

    #[test]
    fn keys_travel_from_the_old_owner_to_the_new_one() {
        let (a, d) = (ServerId(0), ServerId(3));
        let before = drawing(&[(0, 0.0)]);
        let after = drawing(&[(0, 0.0), (3, std::f64::consts::PI)]);
        let owners_before = [Some(a), Some(a), None];
        let owners_after = [Some(a), Some(d), Some(d)];
        // Key 1 moved A → D; key 2 had no owner before and is not drawn.
        let start = paths(&[1, 2], &owners_before, &owners_after, &before, &after, 0.0);
        assert_eq!(start.len(), 1);
        assert_eq!(start[0].0, d);
        // Key 1's jitter: (1 mod 17 − 8) × 0.004 radians.
        let jitter = -7.0 * 0.004;
        let (x0, y0) = svg::point(HANDLE_RADIUS, jitter);
        assert_eq!(start[0].1, format!("M{x0:.1} {y0:.1}h0"));
        let end = paths(&[1], &owners_before, &owners_after, &before, &after, 1.0);
        let (x1, y1) = svg::point(HANDLE_RADIUS, std::f64::consts::PI + jitter);
        assert_eq!(end[0].1, format!("M{x1:.1} {y1:.1}h0"));
    }

    #[test]
    fn at_most_the_limit_travel() {
        let (a, b) = (ServerId(0), ServerId(1));
        let both = drawing(&[(0, 0.0), (1, 1.0)]);
        let n = MOST + 100;
        let moved: Vec<u32> = (0..n as u32).collect();
        let path = paths(
            &moved,
            &vec![Some(a); n],
            &vec![Some(b); n],
            &both,
            &both,
            0.5,
        );
        assert_eq!(path[0].1.matches('M').count(), MOST);
    }
}
