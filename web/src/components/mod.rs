//! The components, one per file.

pub mod legend;
pub mod ring_view;
