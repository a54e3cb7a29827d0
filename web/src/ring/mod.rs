//! The ring's interaction, as pure functions tested natively: what a press lands on
//! ([`hit`]), how a drag turns into edits ([`drag`]), what a key does ([`keyboard`]), and
//! where travelling keys are drawn ([`movers`]). The component in
//! `components/ring_view.rs` only reads events, calls these and draws.

pub mod drag;
pub mod hit;
pub mod keyboard;
pub mod movers;
