//! `hashhalo experiment NAME`: the lab's experiments from a terminal, printing the same CSV
//! and JSON the page downloads.

use hashhalo_core::experiment::size::size;
use hashhalo_core::experiment::{Cell, Experiment, Inputs, Table, run as run_experiment};
use hashhalo_core::lab::LabState;

use crate::args::{ExperimentArgs, TableFormat};

pub fn run(a: &ExperimentArgs) -> Result<(), String> {
    let lab = match &a.link {
        Some(link) => crate::inspect::read(link)?.1,
        None => LabState::default(),
    };
    let inputs = Inputs {
        lab,
        seeds: a.seeds,
        size: a.tier.inputs(),
    };
    if a.name == Experiment::Size {
        let answer = size(&inputs.size, inputs.seeds, &mut |_| {});
        let reasons = format!("{}\n{}\n\n", answer.reasons[0], answer.reasons[1]);
        print_table(&answer.table, &a.format, &reasons);
        return Ok(());
    }
    let title = format!("{}\n{}\n\n", a.name.title(), a.name.about());
    print_table(
        &run_experiment(a.name, &inputs, &mut |_| {}),
        &a.format,
        &title,
    );
    Ok(())
}

/// Prints `table` as CSV, JSON, or aligned columns for a person, the columns after
/// `preamble` (words for a person, left out of CSV and JSON). One write: a reader that stops
/// early (`| head`) ends the printing quietly.
pub fn print_table(table: &Table, format: &TableFormat, preamble: &str) {
    use std::io::Write as _;
    let text = if format.csv {
        table.to_csv()
    } else if format.json {
        format!("{}\n", table.to_json())
    } else {
        format!("{preamble}{}", columns(table))
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The table as aligned columns, a header line first.
fn columns(table: &Table) -> String {
    let header: Vec<String> = table.columns.iter().map(|c| c.header()).collect();
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.iter().map(Cell::to_string).collect())
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |fields: &[String]| {
        let padded: Vec<String> = fields
            .iter()
            .zip(&widths)
            .map(|(f, &w)| format!("{f:<w$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(&header);
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}
