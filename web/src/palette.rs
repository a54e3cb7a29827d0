//! Server colours: the Okabe–Ito palette, distinguishable with the common colour-vision
//! deficiencies, then Paul Tol's muted, bright and light schemes: 32 distinct colours before
//! any repeats (labels on the handles tell servers apart beyond that).

use hashhalo_core::ServerId;

const COLOURS: [&str; 32] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
    "#4477AA", "#66CCEE", "#228833", "#CCBB44", "#EE6677", "#AA3377", "#BBBBBB", "#000000",
    "#77AADD", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#EEDD88", "#EE8866", "#FFAABB",
];

/// The colour of server `id`, stable for the server's lifetime.
pub fn colour(id: ServerId) -> &'static str {
    COLOURS[id.0 as usize % COLOURS.len()]
}
