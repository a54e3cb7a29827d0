//! Server colours, chosen to stay apart for at least 12 servers.
//!
//! The first seven are Okabe and Ito's palette, distinguishable with the common colour-vision
//! deficiencies. The rest were picked greedily from Paul Tol's and Sasha Trubetskoy's
//! palettes of distinct colours: each next colour the one furthest (CIEDE2000) from those
//! already taken, leaving out any too close to the page's background. Among the first 12 no
//! two are closer than ΔE₀₀ = 21 (a test below checks it; 10 is already plainly different).
//! Past 12 the colours come closer, and past 24 they repeat: the labels on the handles tell
//! servers apart.

use hashhalo_core::ServerId;

const COLOURS: [&str; 24] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    "#332288", "#800000", "#808000", "#882255", "#E6194B", "#666666", "#DCBEFF", "#911EB4",
    "#117733", "#F032E6", "#9A6324", "#3CB44B", "#CC3311", "#4363D8", "#BFEF45", "#CC6677",
];

/// The colour of server `id`, stable for the server's lifetime.
pub fn colour(id: ServerId) -> &'static str {
    COLOURS[id.0 as usize % COLOURS.len()]
}

/// The text colour on top of each of `COLOURS`: black where the colour's CIELAB lightness is
/// over 60, white below. A table, not computed in the page: the cube root and power it takes
/// are 3 KiB of wasm (a test below checks the table against [`lab`]).
const INKS: [&str; COLOURS.len()] = [
    BLACK, BLACK, WHITE, BLACK, WHITE, WHITE, BLACK, WHITE, WHITE, WHITE, WHITE, WHITE, WHITE,
    WHITE, BLACK, WHITE, WHITE, WHITE, WHITE, BLACK, WHITE, WHITE, BLACK, WHITE,
];
const BLACK: &str = "#000000";
const WHITE: &str = "#FFFFFF";

/// The text colour that reads on top of `colour(id)`: black on light colours, white on dark.
///
/// ```
/// use hashhalo_core::ServerId;
/// use hashhalo_web::palette::{colour, ink};
///
/// assert_eq!(colour(ServerId(3)), "#F0E442"); // yellow, with black text
/// assert_eq!(ink(ServerId(3)), "#000000");
/// ```
pub fn ink(id: ServerId) -> &'static str {
    INKS[id.0 as usize % INKS.len()]
}

/// CIELAB (D65) of a `#RRGGBB` colour.
#[cfg(test)]
fn lab(hex: &str) -> (f64, f64, f64) {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (channel(1), channel(3), channel(5));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    (116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz))
}

/// The CIEDE2000 colour difference (Sharma, Wu and Dalal, 2005).
#[cfg(test)]
fn de2000(a: (f64, f64, f64), b: (f64, f64, f64)) -> f64 {
    let ((l1, a1, b1), (l2, a2, b2)) = (a, b);
    let c_bar = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
    let g = 0.5 * (1.0 - (c_bar.powi(7) / (c_bar.powi(7) + 25f64.powi(7))).sqrt());
    let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1p, c2p) = (a1p.hypot(b1), a2p.hypot(b2));
    let hue = |b: f64, a: f64| b.atan2(a).to_degrees().rem_euclid(360.0);
    let (h1p, h2p) = (hue(b1, a1p), hue(b2, a2p));
    let dl = l2 - l1;
    let dc = c2p - c1p;
    let mut dh = h2p - h1p;
    if c1p * c2p == 0.0 {
        dh = 0.0;
    } else if dh > 180.0 {
        dh -= 360.0;
    } else if dh < -180.0 {
        dh += 360.0;
    }
    let d_big_h = 2.0 * (c1p * c2p).sqrt() * (dh / 2.0).to_radians().sin();
    let l_bar = (l1 + l2) / 2.0;
    let cp_bar = (c1p + c2p) / 2.0;
    let h_bar = if c1p * c2p == 0.0 {
        h1p + h2p
    } else if (h1p - h2p).abs() <= 180.0 {
        (h1p + h2p) / 2.0
    } else if h1p + h2p < 360.0 {
        (h1p + h2p + 360.0) / 2.0
    } else {
        (h1p + h2p - 360.0) / 2.0
    };
    let cos = |d: f64| d.to_radians().cos();
    let t =
        1.0 - 0.17 * cos(h_bar - 30.0) + 0.24 * cos(2.0 * h_bar) + 0.32 * cos(3.0 * h_bar + 6.0)
            - 0.20 * cos(4.0 * h_bar - 63.0);
    let d_theta = 30.0 * (-((h_bar - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (cp_bar.powi(7) / (cp_bar.powi(7) + 25f64.powi(7))).sqrt();
    let sl = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
    let sc = 1.0 + 0.045 * cp_bar;
    let sh = 1.0 + 0.015 * cp_bar * t;
    let rt = -(2.0 * d_theta).to_radians().sin() * rc;
    ((dl / sl).powi(2)
        + (dc / sc).powi(2)
        + (d_big_h / sh).powi(2)
        + rt * (dc / sc) * (d_big_h / sh))
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn de2000_matches_sharmas_published_pairs() {
        // Pairs 1 and 7 of Sharma, Wu and Dalal's test data.
        let d1 = de2000((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485));
        assert!((d1 - 2.0425).abs() < 1e-4, "{d1}");
        let d7 = de2000((50.0, 0.0, 0.0), (50.0, -1.0, 2.0));
        assert!((d7 - 2.3669).abs() < 1e-4, "{d7}");
    }

    #[test]
    fn the_first_twelve_colours_stay_apart_and_off_the_background() {
        let background = lab("#fbfaf7");
        for (i, a) in COLOURS.iter().enumerate() {
            assert!(
                de2000(lab(a), background) > 25.0,
                "{a} is too close to the page"
            );
            for b in &COLOURS[..i] {
                if i < 12 {
                    let d = de2000(lab(a), lab(b));
                    assert!(d > 21.0, "{a} and {b} are only ΔE {d:.1} apart");
                }
            }
        }
    }

    #[test]
    fn the_ink_table_is_black_on_light_colours_and_white_on_dark() {
        for (colour, ink) in COLOURS.iter().zip(INKS) {
            let (l, _, _) = lab(colour);
            assert_eq!(
                ink,
                if l > 60.0 { BLACK } else { WHITE },
                "{colour} (L = {l:.1})"
            );
        }
    }

    #[test]
    fn handle_labels_read_on_their_colour() {
        assert_eq!(ink(ServerId(3)), "#000000"); // yellow
        assert_eq!(ink(ServerId(7)), "#FFFFFF"); // black
    }
}
