//! Numbers as people read them, written once for the app and the CLI: counts with thousands
//! separators and percentages with a fixed number of decimals.

/// `n` with a comma between each group of three digits.
///
/// ```
/// use hashhalo_core::format::count;
///
/// assert_eq!(count(0), "0");
/// assert_eq!(count(999), "999");
/// assert_eq!(count(90_032), "90,032");
/// assert_eq!(count(1_000_000), "1,000,000");
/// ```
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A fraction (0.241) as a percentage with `decimals` decimals ("24.1 %"), with a space
/// before the sign as the SI writes it.
///
/// ```
/// use hashhalo_core::format::percent;
///
/// assert_eq!(percent(0.241, 1), "24.1 %");
/// assert_eq!(percent(1.0 / 3.0, 2), "33.33 %");
/// assert_eq!(percent(0.0, 0), "0 %");
/// ```
pub fn percent(fraction: f64, decimals: usize) -> String {
    format!("{:.*} %", decimals, fraction * 100.0)
}

/// `v` with exactly `decimals` decimals, trailing zeros dropped ("1.25", "1.1", "2").
///
/// ```
/// use hashhalo_core::format::decimal;
///
/// assert_eq!(decimal(1.25, 2), "1.25");
/// assert_eq!(decimal(1.10, 2), "1.1");
/// assert_eq!(decimal(2.0, 2), "2");
/// ```
pub fn decimal(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}
