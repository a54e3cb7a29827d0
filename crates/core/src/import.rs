//! Reading a key list someone pasted or uploaded: a JSON array (like the original HashHalo simulation's
//! `keys.json`), the first column of a CSV, or one key per line.
//!
//! The readers are written by hand rather than taken from `serde_json` and `csv`: they need
//! only arrays of strings and numbers and one column, with errors that name the line and
//! column, and streaming a 100,000-key list into `String`s without building a document tree
//! first. `tests/key_list_json.rs` checks the JSON reader against `serde_json` on every
//! array it writes and on mutations of them.

use std::fmt;

/// Why a key list could not be read. Line and column numbers count from 1.
///
/// ```
/// use hashhalo_core::import::{parse_key_list, KeyListError};
///
/// assert_eq!(parse_key_list("[\"a\", 3", 10), Err(KeyListError::Json { line: 1, column: 8,
///     message: "expected , or ] after an element" }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyListError {
    /// The text has no keys.
    Empty,
    /// More keys than the limit.
    TooMany {
        /// The limit.
        limit: usize,
    },
    /// The text starts like a JSON array but is not a valid one.
    Json {
        /// The line of the problem.
        line: usize,
        /// The column of the problem, in characters.
        column: usize,
        /// What was wrong.
        message: &'static str,
    },
    /// A CSV line has an unterminated quote.
    Csv {
        /// The line of the problem.
        line: usize,
    },
}

impl fmt::Display for KeyListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyListError::Empty => write!(
                f,
                "no keys found: paste a JSON array, a CSV, or one key per line"
            ),
            KeyListError::TooMany { limit } => write!(f, "more than {limit} keys; use fewer"),
            KeyListError::Json {
                line,
                column,
                message,
            } => {
                write!(
                    f,
                    "not a valid JSON array at line {line}, column {column}: {message}"
                )
            }
            KeyListError::Csv { line } => write!(f, "line {line} has a quote that is never closed"),
        }
    }
}

impl std::error::Error for KeyListError {}

/// The largest key list read, in bytes: an upload on the page, or a key file of the CLI's.
pub const MAX_LIST_BYTES: u64 = 20_000_000;

/// What a list past [`MAX_LIST_BYTES`] is refused with, on the page and in the CLI.
///
/// ```
/// assert!(hashhalo_core::import::LIST_TOO_LARGE.contains("20 MB"));
/// ```
pub const LIST_TOO_LARGE: &str = "That file is over 20 MB; use a smaller list.";

/// Reads keys from `text`, at most `limit` of them:
///
/// - text starting with `[` is a JSON array of strings or numbers (numbers are kept as
///   written);
/// - text whose first line has a comma is a CSV, and its first column is taken (a first cell
///   reading `key`, `keys` or `id` is a header and skipped; a quoted cell may hold commas and
///   doubled quotes, but not line breaks);
/// - anything else is one key per line.
///
/// Lines may end in `\n`, `\r\n` or a lone `\r`. Surrounding white space is trimmed and
/// empty entries are skipped. Repeats are kept here;
/// [`crate::KeySet::from_keys`] drops them.
///
/// ```
/// use hashhalo_core::import::parse_key_list;
///
/// assert_eq!(parse_key_list("[\"a\", \"b\", 7]", 10).unwrap(), ["a", "b", "7"]);
/// assert_eq!(parse_key_list("key,size\nx,1\n\"y,z\",2\n", 10).unwrap(), ["x", "y,z"]);
/// assert_eq!(parse_key_list("one\n\ntwo\r\n", 10).unwrap(), ["one", "two"]);
/// assert_eq!(parse_key_list("old\rmac\r", 10).unwrap(), ["old", "mac"]);
/// ```
pub fn parse_key_list(text: &str, limit: usize) -> Result<Vec<String>, KeyListError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    let keys = if trimmed.starts_with('[') {
        parse_json_array(trimmed, limit)?
    } else if lines(trimmed).next().is_some_and(|l| l.contains(',')) {
        parse_csv_first_column(trimmed, limit)?
    } else {
        let mut keys = Vec::new();
        for line in lines(trimmed).map(str::trim).filter(|l| !l.is_empty()) {
            push(&mut keys, line.to_string(), limit)?;
        }
        keys
    };
    if keys.is_empty() {
        return Err(KeyListError::Empty);
    }
    Ok(keys)
}

/// The lines of `text`, ended by `\n` (Unix), `\r\n` (Windows) or a lone `\r` (classic Mac
/// OS), without their endings.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

fn push(keys: &mut Vec<String>, key: String, limit: usize) -> Result<(), KeyListError> {
    if key.is_empty() {
        return Ok(());
    }
    if keys.len() == limit {
        return Err(KeyListError::TooMany { limit });
    }
    keys.push(key);
    Ok(())
}

fn parse_csv_first_column(text: &str, limit: usize) -> Result<Vec<String>, KeyListError> {
    let mut keys = Vec::new();
    for (i, line) in lines(text).enumerate() {
        let cell = if let Some(rest) = line.strip_prefix('"') {
            let mut cell = String::new();
            let mut chars = rest.chars().peekable();
            let mut closed = false;
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        cell.push('"');
                    } else {
                        closed = true;
                        break;
                    }
                } else {
                    cell.push(c);
                }
            }
            if !closed {
                return Err(KeyListError::Csv { line: i + 1 });
            }
            cell
        } else {
            line.split(',').next().unwrap_or("").to_string()
        };
        let cell = cell.trim().to_string();
        if i == 0 && matches!(cell.to_ascii_lowercase().as_str(), "key" | "keys" | "id") {
            continue;
        }
        push(&mut keys, cell, limit)?;
    }
    Ok(keys)
}

struct Json<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
}

impl Json<'_> {
    fn error(&mut self, message: &'static str) -> KeyListError {
        let at = self.chars.peek().map_or(self.text.len(), |&(i, _)| i);
        let before = &self.text[..at];
        let line = lines(before).count();
        let column = lines(before).last().map_or(0, |l| l.chars().count()) + 1;
        KeyListError::Json {
            line,
            column,
            message,
        }
    }

    fn skip_space(&mut self) {
        while self.chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            self.chars.next();
        }
    }

    fn string(&mut self) -> Result<String, KeyListError> {
        let mut out = String::new();
        loop {
            let Some((_, c)) = self.chars.next() else {
                return Err(self.error("unterminated string"));
            };
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let Some((_, e)) = self.chars.next() else {
                        return Err(self.error("unterminated string"));
                    };
                    match e {
                        '"' | '\\' | '/' => out.push(e),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.chars.next().map(|p| p.1) != Some('\\')
                                    || self.chars.next().map(|p| p.1) != Some('u')
                                {
                                    return Err(self.error("unpaired surrogate in \\u escape"));
                                }
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.error("unpaired surrogate in \\u escape"));
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.ok_or_else(|| self.error("invalid \\u escape"))?);
                        }
                        _ => return Err(self.error("unknown escape")),
                    }
                }
                c if (c as u32) < 0x20 => return Err(self.error("control character in string")),
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, KeyListError> {
        let mut v = 0;
        for _ in 0..4 {
            let d = self.chars.next().and_then(|(_, c)| c.to_digit(16));
            v = v * 16 + d.ok_or_else(|| self.error("\\u needs four hex digits"))?;
        }
        Ok(v)
    }

    fn number(&mut self) -> String {
        let mut out = String::new();
        while let Some(&(_, c)) = self.chars.peek() {
            if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E') {
                out.push(c);
                self.chars.next();
            } else {
                break;
            }
        }
        out
    }
}

/// Whether `n` is a number in JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(n: &str) -> bool {
    let b = n.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let int = digits(&mut i);
    if int == 0 || (int > 1 && b[int_start] == b'0') {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

fn parse_json_array(text: &str, limit: usize) -> Result<Vec<String>, KeyListError> {
    let mut p = Json {
        chars: text.char_indices().peekable(),
        text,
    };
    p.chars.next(); // the opening bracket
    let mut keys = Vec::new();
    p.skip_space();
    if p.chars.peek().map(|c| c.1) == Some(']') {
        p.chars.next();
    } else {
        loop {
            p.skip_space();
            match p.chars.peek().map(|c| c.1) {
                Some('"') => {
                    p.chars.next();
                    let s = p.string()?;
                    push(&mut keys, s.trim().to_string(), limit)?;
                }
                Some(c) if c == '-' || c.is_ascii_digit() => {
                    let n = p.number();
                    if !is_json_number(&n) {
                        return Err(p.error("not a valid number"));
                    }
                    push(&mut keys, n, limit)?;
                }
                _ => return Err(p.error("expected a string or a number")),
            }
            p.skip_space();
            match p.chars.next().map(|c| c.1) {
                Some(',') => continue,
                Some(']') => break,
                _ => return Err(p.error("expected , or ] after an element")),
            }
        }
    }
    p.skip_space();
    if p.chars.peek().is_some() {
        return Err(p.error("text after the closing ]"));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_and_errors() {
        assert_eq!(
            parse_key_list(r#"["a\"b", "\u00e9\ud83d\ude00", "x\ny"]"#, 9).unwrap(),
            ["a\"b", "é😀", "x\ny"]
        );
        assert!(matches!(
            parse_key_list("[\"a\",]", 9),
            Err(KeyListError::Json { .. })
        ));
        assert!(matches!(
            parse_key_list("[\"a\"] x", 9),
            Err(KeyListError::Json { .. })
        ));
        assert!(matches!(
            parse_key_list("[\"\\ud800\"]", 9),
            Err(KeyListError::Json { .. })
        ));
        assert!(matches!(
            parse_key_list("[{\"a\": 1}]", 9),
            Err(KeyListError::Json {
                line: 1,
                column: 2,
                ..
            })
        ));
        assert_eq!(parse_key_list("[]", 9), Err(KeyListError::Empty));
        assert_eq!(
            parse_key_list("[\" a \", \"a\", \"  \", 1.5e3]", 9).unwrap(),
            ["a", "a", "1.5e3"]
        );
        for bad in ["[-]", "[1-2]", "[01]", "[1.]", "[1e]"] {
            assert!(
                matches!(parse_key_list(bad, 9), Err(KeyListError::Json { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn limits_and_empty_input() {
        assert_eq!(
            parse_key_list("a\nb\nc", 2),
            Err(KeyListError::TooMany { limit: 2 })
        );
        assert_eq!(parse_key_list("  \n \n", 5), Err(KeyListError::Empty));
        assert_eq!(
            parse_key_list("\"open,1", 5),
            Err(KeyListError::Csv { line: 1 })
        );
    }
}
