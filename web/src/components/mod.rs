//! The components, one per file. Each reads [`crate::AppState`] from context and draws; none
//! computes placement itself.

pub mod balance;
pub mod controls;
pub mod key_probe;
pub mod key_source;
pub mod legend;
pub mod movement_matrix;
pub mod movement_panel;
pub mod notices;
pub mod parameters;
pub mod player_bar;
pub mod record_panel;
pub mod ring_key;
pub mod ring_layers;
pub mod ring_view;
pub mod scenarios;
pub mod server_list;
pub mod share_dialog;
pub mod theme_switch;
pub mod tools;
