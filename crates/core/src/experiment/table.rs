//! A table of results: named columns with units, rows of numbers and words, written as CSV
//! (what the CLI prints and the page downloads) and read back from it (the page draws its
//! charts from the CSV the worker sends, so the two cannot differ).
//!
//! Numbers are written with at most four decimals and no trailing zeros, so the same figures
//! computed natively and in wasm print the same.

/// A column: its name and the unit of its numbers (empty for words).
///
/// ```
/// use hashhalo_core::experiment::table::Column;
///
/// assert_eq!(Column::number("lookup", "ns").header(), "lookup (ns)");
/// assert_eq!(Column::text("algorithm").header(), "algorithm");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// What the column holds.
    pub name: String,
    /// The unit of its numbers; empty for a column of words.
    pub unit: String,
}

impl Column {
    /// A column of numbers in `unit`.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::experiment::table::Column::number("n", "servers").unit, "servers");
    /// ```
    pub fn number(name: &str, unit: &str) -> Column {
        Column {
            name: name.into(),
            unit: unit.into(),
        }
    }

    /// A column of words.
    ///
    /// ```
    /// assert!(hashhalo_core::experiment::table::Column::text("hash").unit.is_empty());
    /// ```
    pub fn text(name: &str) -> Column {
        Column {
            name: name.into(),
            unit: String::new(),
        }
    }

    /// The CSV header: `name (unit)`, or the name alone.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::Column;
    ///
    /// assert_eq!(Column::number("share", "%").header(), "share (%)");
    /// ```
    pub fn header(&self) -> String {
        if self.unit.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.unit)
        }
    }
}

/// One value of a table.
///
/// ```
/// use hashhalo_core::experiment::table::Cell;
///
/// assert_eq!(Cell::Number(2.0).to_string(), "2");
/// assert_eq!(Cell::Number(1.0 / 3.0).to_string(), "0.3333");
/// assert_eq!(Cell::maybe(None).to_string(), "");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number.
    Number(f64),
    /// Words.
    Text(String),
    /// Nothing to show (the algorithm has no such figure).
    Empty,
}

impl Cell {
    /// Words.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::experiment::table::Cell::text("ring").to_string(), "ring");
    /// ```
    pub fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    /// A number, or an empty cell for `None`.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::Cell;
    ///
    /// assert_eq!(Cell::maybe(Some(1.5)), Cell::Number(1.5));
    /// ```
    pub fn maybe(value: Option<f64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Number)
    }

    /// The number, if the cell holds one.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::Cell;
    ///
    /// assert_eq!(Cell::Number(3.0).number(), Some(3.0));
    /// assert_eq!(Cell::text("x").number(), None);
    /// ```
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(v) => Some(*v),
            _ => None,
        }
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Number(v) => f.write_str(&number(*v)),
            Cell::Text(s) => f.write_str(s),
            Cell::Empty => Ok(()),
        }
    }
}

/// `v` with at most four decimals and no trailing zeros (`inf` and `nan` spelled out).
fn number(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "nan".into()
        } else if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let mut s = format!("{:.4}", v);
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// Why a CSV could not be read as a table.
///
/// ```
/// use hashhalo_core::experiment::table::{CsvError, Table};
///
/// assert_eq!(Table::from_csv("a,b\n1\n").unwrap_err(), CsvError::Width { line: 2, expected: 2, found: 1 });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// There is no header line.
    Empty,
    /// A line has another number of fields than the header.
    Width {
        /// The line, from 1.
        line: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields on the line.
        found: usize,
    },
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CsvError::Empty => f.write_str("the table is empty"),
            CsvError::Width {
                line,
                expected,
                found,
            } => write!(f, "line {line} has {found} fields, not {expected}"),
        }
    }
}

impl std::error::Error for CsvError {}

/// Results: columns and rows of cells, each row as wide as the columns.
///
/// ```
/// use hashhalo_core::experiment::table::{Cell, Column, Table};
///
/// let t = Table {
///     columns: vec![Column::text("server"), Column::number("keys", "keys")],
///     rows: vec![vec![Cell::text("A"), Cell::Number(10.0)]],
/// };
/// assert_eq!(t.to_csv(), "server,keys (keys)\nA,10\n");
/// assert_eq!(Table::from_csv(&t.to_csv()).unwrap(), t);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Splits CSV text into records of fields, honouring quotes (a quoted field may hold commas,
/// doubled quotes and line breaks, as [`Table::to_csv`] writes them), each record with the
/// line it starts on, from 1; a line ends at `\n` or `\r\n`. Hand-written: the page reads
/// only the tables the core writes, and a CSV crate would add to its payload.
fn records(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    let mut fields = vec![String::new()];
    let (mut quoted, mut line, mut start, mut open) = (false, 1, 1, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        open = true;
        let last = fields.last_mut().expect("there is always a field");
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                last.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                out.push((start, std::mem::replace(&mut fields, vec![String::new()])));
                line += 1;
                start = line;
                open = false;
            }
            ('\n', true) => {
                last.push(c);
                line += 1;
            }
            _ => last.push(c),
        }
    }
    if open {
        out.push((start, fields));
    }
    out
}

impl Table {
    /// The index of the column named `name`.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::{Column, Table};
    ///
    /// let t = Table { columns: vec![Column::text("a"), Column::text("b")], rows: vec![] };
    /// assert_eq!(t.column("b"), Some(1));
    /// ```
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The table as CSV: a header line of `name (unit)`, then one line per row, each ending
    /// in a line feed.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::{Cell, Column, Table};
    ///
    /// let t = Table { columns: vec![Column::text("note")], rows: vec![vec![Cell::text("a, b")]] };
    /// assert_eq!(t.to_csv(), "note\n\"a, b\"\n");
    /// ```
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let header: Vec<String> = self.columns.iter().map(|c| field(&c.header())).collect();
        out.push_str(&header.join(","));
        out.push('\n');
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| field(&c.to_string())).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    /// Reads a table [`Table::to_csv`] wrote: a header `name (unit)` makes a column of
    /// numbers in `unit`; in such a column a field that parses as a number is a number and
    /// an empty field is empty.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::{Cell, Table};
    ///
    /// let t = Table::from_csv("n (servers),max (keys)\n2,\n").unwrap();
    /// assert_eq!(t.columns[1].unit, "keys");
    /// assert_eq!(t.rows[0], vec![Cell::Number(2.0), Cell::Empty]);
    /// ```
    pub fn from_csv(text: &str) -> Result<Table, CsvError> {
        let mut records = records(text).into_iter();
        let (_, header) = records.next().ok_or(CsvError::Empty)?;
        let columns: Vec<Column> = header
            .iter()
            .map(
                |h| match h.strip_suffix(')').and_then(|h| h.rsplit_once(" (")) {
                    // An empty unit is no unit: the header is a name that ends in "()".
                    Some((name, unit)) if !unit.is_empty() => Column::number(name, unit),
                    _ => Column::text(h),
                },
            )
            .collect();
        let mut rows = Vec::new();
        for (line, fields) in records {
            if fields.len() != columns.len() {
                return Err(CsvError::Width {
                    line,
                    expected: columns.len(),
                    found: fields.len(),
                });
            }
            let row = fields
                .into_iter()
                .zip(&columns)
                .map(|(f, c)| {
                    if c.unit.is_empty() {
                        Cell::Text(f)
                    } else if f.is_empty() {
                        Cell::Empty
                    } else {
                        match f.as_str() {
                            "inf" => Cell::Number(f64::INFINITY),
                            "-inf" => Cell::Number(f64::NEG_INFINITY),
                            "nan" => Cell::Number(f64::NAN),
                            _ => f.parse().map_or(Cell::Text(f), Cell::Number),
                        }
                    }
                })
                .collect();
            rows.push(row);
        }
        Ok(Table { columns, rows })
    }

    /// The table as JSON: `{"columns": [{"name", "unit"}…], "rows": [[…]…]}`, numbers as
    /// the CSV writes them, empty cells as `null`.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::{Cell, Column, Table};
    ///
    /// let t = Table { columns: vec![Column::number("x", "s")], rows: vec![vec![Cell::Number(0.5)]] };
    /// assert_eq!(t.to_json(), r#"{"columns":[{"name":"x","unit":"s"}],"rows":[[0.5]]}"#);
    /// ```
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> String {
        use serde_json::{Value, json};
        let columns: Vec<Value> = self
            .columns
            .iter()
            .map(|c| json!({"name": c.name, "unit": c.unit}))
            .collect();
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                Value::Array(
                    row.iter()
                        .map(|c| match c {
                            Cell::Number(v) => number(*v)
                                .parse::<serde_json::Number>()
                                .map_or_else(|_| Value::String(number(*v)), Value::Number),
                            Cell::Text(s) => Value::String(s.clone()),
                            Cell::Empty => Value::Null,
                        })
                        .collect(),
                )
            })
            .collect();
        json!({"columns": columns, "rows": rows}).to_string()
    }
}

/// A table with notes ahead of it, as the page's worker answers: each note a line starting
/// `# `, then the table's CSV. The notes carry what a table does not (a sizing's reasons, the
/// compare view's strips).
///
/// ```
/// use hashhalo_core::experiment::table::{Report, Table};
///
/// let r = Report { notes: vec!["modulo 0.75".into()], table: Table::from_csv("a\n1\n").unwrap() };
/// assert_eq!(r.to_text(), "# modulo 0.75\na\n1\n");
/// assert_eq!(Report::from_text(&r.to_text()).unwrap(), r);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// The notes, one line each.
    pub notes: Vec<String>,
    /// The table.
    pub table: Table,
}

impl Report {
    /// The notes as `# ` lines, then the table's CSV.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::Report;
    ///
    /// assert_eq!(Report::default().to_text(), "\n");
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for note in &self.notes {
            out.push_str("# ");
            out.push_str(&note.replace('\n', " "));
            out.push('\n');
        }
        out.push_str(&self.table.to_csv());
        out
    }

    /// The rest of the first note that starts with `key` and a space.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::Report;
    ///
    /// let r = Report { notes: vec!["title A1".into(), "titled no".into()], ..Report::default() };
    /// assert_eq!(r.note("title"), Some("A1"));
    /// assert_eq!(r.note("about"), None);
    /// ```
    pub fn note<'a>(&'a self, key: &str) -> Option<&'a str> {
        self.notes
            .iter()
            .find_map(|n| n.strip_prefix(key).and_then(|rest| rest.strip_prefix(' ')))
    }

    /// The rest of every note that starts with `key` and a space, in order.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::Report;
    ///
    /// let r = Report { notes: vec!["reason a".into(), "reason b".into()], ..Report::default() };
    /// assert_eq!(r.notes_of("reason").collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn notes_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.notes
            .iter()
            .filter_map(move |n| n.strip_prefix(key).and_then(|rest| rest.strip_prefix(' ')))
    }

    /// Reads [`Report::to_text`]'s form.
    ///
    /// ```
    /// use hashhalo_core::experiment::table::Report;
    ///
    /// assert!(Report::from_text("").is_err());
    /// ```
    pub fn from_text(text: &str) -> Result<Report, CsvError> {
        let mut notes = Vec::new();
        let mut rest = text;
        while let Some(line) = rest.strip_prefix("# ") {
            let (note, after) = line.split_once('\n').unwrap_or((line, ""));
            notes.push(note.to_string());
            rest = after;
        }
        Ok(Report {
            notes,
            table: Table::from_csv(rest)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_with_empty_parentheses_is_a_name() {
        // Found by the fuzzer: " () ()" was read as a name " ()" with an empty unit.
        let t = Table::from_csv(" () ()\n").unwrap();
        assert_eq!(t.columns, [Column::text(" () ()")]);
        assert_eq!(t.to_csv(), " () ()\n");
    }

    #[test]
    fn quoted_fields_and_odd_numbers_round_trip() {
        let t = Table {
            columns: vec![Column::text("a \"b\", c"), Column::number("v", "x")],
            rows: vec![
                vec![Cell::text("line\nbreak"), Cell::Number(f64::INFINITY)],
                vec![Cell::text(""), Cell::Empty],
                vec![Cell::text("x"), Cell::Number(-0.00001)],
            ],
        };
        let csv = t.to_csv();
        // A quoted line break spans two lines, and reads back as one field.
        assert!(csv.contains("\"line\nbreak\""));
        let back = Table::from_csv(&csv).unwrap();
        assert_eq!(back.columns, t.columns);
        assert_eq!(back.rows[0], t.rows[0]);
        assert_eq!(back.rows[1], vec![Cell::text(""), Cell::Empty]);
        // Past the record that spans two lines, a short record names its own line.
        let short = format!("{csv}only\n");
        assert_eq!(
            Table::from_csv(&short),
            Err(CsvError::Width {
                line: 6,
                expected: 2,
                found: 1
            })
        );
        let back = Table {
            rows: back.rows[1..].to_vec(),
            ..back
        };
        assert_eq!(back.rows[1], vec![Cell::text("x"), Cell::Number(0.0)]);
    }
}
