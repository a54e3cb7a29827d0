//! Server colours: the Okabe–Ito palette, distinguishable with the common colour-vision
//! deficiencies, followed by Paul Tol's muted scheme.

use hashhalo_core::ServerId;

const COLOURS: [&str; 16] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
];

/// The colour of server `id`, stable for the server's lifetime.
pub fn colour(id: ServerId) -> &'static str {
    COLOURS[id.0 as usize % COLOURS.len()]
}
