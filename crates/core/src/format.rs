//! Numbers as people read them, written once for the app and the CLI: counts with thousands
//! separators and percentages with a fixed number of decimals.

/// `text` in double quotes, with quotes, backslashes and control characters escaped as Rust
/// writes them (`{:?}`): for names in messages. Written here because `{:?}` of a string
/// brings the Unicode printability tables into the browser build (16 KiB); this escapes only
/// what could break the line.
///
/// ```
/// use hashhalo_core::format::quoted;
///
/// assert_eq!(quoted("cache-a"), "\"cache-a\"");
/// assert_eq!(quoted("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u{1}\"");
/// assert_eq!(quoted("a\"b"), format!("{:?}", "a\"b"));
/// ```
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number a person typed or a link held, for a message: with up to `decimals` decimals, or
/// "not a number" when it is not finite.
///
/// ```
/// use hashhalo_core::format::given;
///
/// assert_eq!(given(12.5, 3), "12.5");
/// assert_eq!(given(f64::NAN, 3), "not a number");
/// ```
pub fn given(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        decimal(v, decimals)
    } else {
        "not a number".into()
    }
}

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
    format!("{} %", fixed(fraction * 100.0, decimals))
}

/// `v` with exactly `decimals` decimals (at most 9), rounded half away from zero: what
/// `format!("{v:.2}")` writes but for exact ties and negative zero ("0.00", never "-0.00").
/// It is written with integers because the standard float formatting is a sixth of the
/// browser app's code and data (its tables alone are 25 KiB); an infinite or NaN `v` is 0.
///
/// ```
/// use hashhalo_core::format::fixed;
///
/// assert_eq!(fixed(1.0 / 3.0, 2), "0.33");
/// assert_eq!(fixed(-2.25, 1), "-2.3");
/// assert_eq!(fixed(-0.001, 2), "0.00");
/// assert_eq!(fixed(1234.5, 0), "1235");
/// assert_eq!(fixed(f64::NAN, 1), "0.0");
/// ```
pub fn fixed(v: f64, decimals: usize) -> String {
    let decimals = decimals.min(9);
    let scale = 10u64.pow(decimals as u32);
    let scaled = (v * scale as f64).round();
    let scaled = if scaled.is_finite() {
        scaled.clamp(-1e18, 1e18) as i64
    } else {
        0
    };
    let (whole, part) = (scaled.unsigned_abs() / scale, scaled.unsigned_abs() % scale);
    let sign = if scaled < 0 { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{part:0decimals$}")
    }
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
    let text = fixed(v, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}
