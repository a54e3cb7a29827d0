//! The key-list importer's JSON reader is written by hand (a JSON parser would cost the app's
//! payload more than the whole reader); here it is checked against `serde_json`, a
//! well-kept parser, on JSON arrays: every text one accepts, the other accepts with the same
//! keys, and every text one refuses, the other refuses.

#![cfg(not(target_arch = "wasm32"))]

use hashhalo_core::import::parse_key_list;
use proptest::prelude::*;
use serde_json::Value;

const LIMIT: usize = 1000;

/// What serde_json makes of `text` as a key list: an array of strings and numbers, as the
/// importer would give it (strings trimmed, empty ones skipped, numbers as written), or `None`
/// when it is not such an array.
fn reference(text: &str) -> Option<Vec<String>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    // JSON's grammar has no range for numbers; serde_json refuses those past f64 while the
    // importer keeps a number as the text it is. Such a number is read as a string here.
    let values: Vec<Value> = match serde_json::from_str(trimmed) {
        Ok(values) => values,
        Err(e) if e.to_string().starts_with("number out of range") => {
            // Past the huge number the text may be no JSON at all (`1e999e5`): then nothing
            // is quoted, and it is refused.
            let quoted = quote_huge_numbers(trimmed);
            return (quoted != trimmed).then(|| reference(&quoted)).flatten();
        }
        Err(_) => return None,
    };
    let mut keys = Vec::new();
    for v in values {
        match v {
            Value::String(s) if s.trim().is_empty() => {}
            Value::String(s) => keys.push(s.trim().to_string()),
            Value::Number(n) => keys.push(n.to_string()),
            _ => return None,
        }
    }
    Some(keys)
}

/// `text` with every number too large for an f64 quoted, so serde_json keeps it as written.
fn quote_huge_numbers(text: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '-' || c.is_ascii_digit() {
            let mut number = c.to_string();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                    number.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            if number.parse::<f64>().is_ok_and(f64::is_infinite) {
                out.push_str(&format!("\"{number}\""));
            } else {
                out.push_str(&number);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Numbers are kept as written by the importer and re-printed by serde_json (whose default
/// float parsing may be a unit in the last place off): compare them as values.
fn same(ours: &[String], theirs: &[String]) -> bool {
    let close = |a: &str, b: &str| match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
        _ => false,
    };
    ours.len() == theirs.len() && ours.iter().zip(theirs).all(|(a, b)| a == b || close(a, b))
}

fn element() -> impl Strategy<Value = Value> {
    prop_oneof![
        ".{0,12}".prop_map(Value::String),
        "[ a-z\\u{0}-\\u{1f}\"\\\\/\\u{e9}\\u{1F600}]{0,8}".prop_map(Value::String),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    /// Arrays serde_json writes (with every escape it uses) read back as the same keys.
    #[test]
    fn arrays_serde_writes_read_the_same(values in proptest::collection::vec(element(), 1..8), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&values).unwrap()
        } else {
            serde_json::to_string(&values).unwrap()
        };
        let theirs = reference(&text).expect("serde reads its own output");
        match parse_key_list(&text, LIMIT) {
            Ok(ours) => prop_assert!(same(&ours, &theirs), "{text}: {ours:?} vs {theirs:?}"),
            Err(e) => prop_assert!(theirs.is_empty(), "{text}: {e}"),
        }
    }

    /// Any text starting with `[` is accepted by both or refused by both, and when accepted
    /// gives the same keys.
    #[test]
    fn mutated_arrays_are_judged_alike(
        values in proptest::collection::vec(element(), 0..5),
        cut in any::<prop::sample::Index>(),
        insert in prop_oneof![Just(""), Just(","), Just("]"), Just("\""), Just("\\"), Just("{}"), Just("-"), Just("01"), Just("1e"), Just("\\u12"), Just(" "), Just("\n"), Just("\u{1}"), Just("true"), Just("null")],
    ) {
        let text = serde_json::to_string(&values).unwrap();
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let mutated = format!("{}{insert}{}", &text[..at], &text[at..]);
        if !mutated.trim_start().starts_with('[') {
            return Ok(());
        }
        let theirs = reference(&mutated);
        let ours = parse_key_list(&mutated, LIMIT);
        match (&ours, &theirs) {
            (Ok(ours), Some(theirs)) => prop_assert!(same(ours, theirs), "{mutated:?}: {ours:?} vs {theirs:?}"),
            // An array with no keys is an error for the importer ("no keys found").
            (Err(_), Some(theirs)) => prop_assert!(theirs.is_empty(), "{mutated:?}: we refused, serde read {theirs:?}"),
            (Ok(ours), None) => prop_assert!(false, "{mutated:?}: we read {ours:?}, serde refused"),
            (Err(_), None) => {}
        }
    }
}
