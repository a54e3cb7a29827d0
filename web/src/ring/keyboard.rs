//! The keyboard: what a key does to a focused server handle or to the selected virtual node.

use std::f64::consts::TAU;

use hashhalo_core::ServerId;
use hashhalo_core::edit::Edit;
use hashhalo_core::geometry::angle_to_position;

/// A fine step: half a degree. With Shift: fifteen degrees.
pub const FINE_STEP: f64 = TAU / 720.0;
/// A coarse step, with Shift.
pub const COARSE_STEP: f64 = TAU / 24.0;

/// What a key does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// An edit to make, as one change.
    Edit(Edit),
    /// Select a virtual node (and move focus to its handle).
    Select(ServerId, u32),
    /// Go back from a virtual node to its server's handle.
    Deselect(ServerId),
}

/// `radians` as a signed turn in ring positions, wrapped into a u64 (so adding it turns
/// clockwise for positive angles and anticlockwise for negative ones).
///
/// ```
/// use hashhalo_web::ring::keyboard::signed_positions;
///
/// assert_eq!(signed_positions(std::f64::consts::PI), 1 << 63);
/// assert_eq!(signed_positions(-std::f64::consts::PI / 2.0), (1u64 << 62).wrapping_neg());
/// ```
pub fn signed_positions(radians: f64) -> u64 {
    let magnitude = angle_to_position(radians.abs());
    if radians < 0.0 {
        magnitude.wrapping_neg()
    } else {
        magnitude
    }
}

/// The step of an arrow key: clockwise for Right and Up, with Shift a coarse one.
fn step(key: &str, shift: bool) -> Option<f64> {
    let size = if shift { COARSE_STEP } else { FINE_STEP };
    match key {
        "ArrowRight" | "ArrowUp" => Some(size),
        "ArrowLeft" | "ArrowDown" => Some(-size),
        _ => None,
    }
}

/// A key on the handle of server `id`, whose shift is `shift` now.
///
/// ```
/// use hashhalo_core::ServerId;
/// use hashhalo_core::edit::Edit;
/// use hashhalo_web::ring::keyboard::{on_server, signed_positions, Action, FINE_STEP};
///
/// let a = ServerId(0);
/// assert_eq!(on_server("ArrowRight", false, a, 10),
///     Some(Action::Edit(Edit::TurnServer { server: a, shift: 10 + signed_positions(FINE_STEP) })));
/// assert_eq!(on_server("Enter", false, a, 10), Some(Action::Select(a, 0)));
/// assert_eq!(on_server("x", false, a, 10), None);
/// ```
pub fn on_server(key: &str, shift: bool, id: ServerId, now: u64) -> Option<Action> {
    if key == "Enter" {
        return Some(Action::Select(id, 0));
    }
    let by = step(key, shift)?;
    Some(Action::Edit(Edit::TurnServer {
        server: id,
        shift: now.wrapping_add(signed_positions(by)),
    }))
}

/// A key on the selected virtual node `index` of server `id`, which has `count` virtual nodes
/// and sits at `position` now.
///
/// ```
/// use hashhalo_core::ServerId;
/// use hashhalo_core::edit::Edit;
/// use hashhalo_web::ring::keyboard::{on_token, Action};
///
/// let b = ServerId(1);
/// assert_eq!(on_token("]", false, b, 99, 100, 0), Some(Action::Select(b, 0)));
/// assert_eq!(on_token("[", false, b, 0, 100, 0), Some(Action::Select(b, 99)));
/// assert_eq!(on_token("r", false, b, 3, 100, 0), Some(Action::Edit(Edit::UnpinVnode { server: b, index: 3 })));
/// assert_eq!(on_token("Escape", false, b, 3, 100, 0), Some(Action::Deselect(b)));
/// ```
pub fn on_token(
    key: &str,
    shift: bool,
    id: ServerId,
    index: u32,
    count: u32,
    position: u64,
) -> Option<Action> {
    let count = count.max(1);
    match key {
        "]" => Some(Action::Select(id, (index + 1) % count)),
        "[" => Some(Action::Select(id, (index + count - 1) % count)),
        "Delete" | "Backspace" | "r" | "R" => {
            Some(Action::Edit(Edit::UnpinVnode { server: id, index }))
        }
        "Escape" => Some(Action::Deselect(id)),
        _ => {
            let by = step(key, shift)?;
            Some(Action::Edit(Edit::PinVnode {
                server: id,
                index,
                position: position.wrapping_add(signed_positions(by)),
            }))
        }
    }
}
