//! A link's `tool=` text, and the reports the page's worker answers with: any UTF-8. The text
//! is read as the link reads it (`ToolText`) and as the tools read it (`Tool::decode`); a
//! tool that reads writes itself in a form that reads back the same, within the link's
//! bounds. The same bytes are read as a worker's report, whose table reads back as written,
//! and split at tabs into the cells of a table of text (line breaks, quotes and commas
//! included), which reads back as the same table.

#![no_main]

use hashhalo_core::experiment::table::{Cell, Column, Report, Table};
use hashhalo_core::experiment::tool::Tool;
use hashhalo_core::link::ToolText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(t) = ToolText::new(text) {
        assert_eq!(t.as_str(), text);
    }
    if let Ok(tool) = Tool::decode(text) {
        let written = tool.encode();
        let again = Tool::decode(&written).expect("a written tool reads back");
        assert_eq!(again.encode(), written, "{text:?}");
        // What a link carries: short and URL-safe.
        assert!(ToolText::new(&written).is_some(), "{written:?}");
    }
    let cells = Table {
        columns: vec![Column::text("cell"), Column::text("next")],
        rows: text
            .split('\t')
            .map(|f| vec![Cell::text(f), Cell::text(f.trim())])
            .collect(),
    };
    assert_eq!(
        Table::from_csv(&cells.to_csv()).as_ref(),
        Ok(&cells),
        "{text:?}"
    );
    if let Ok(report) = Report::from_text(text) {
        let table: &Table = &report.table;
        assert!(table.rows.iter().all(|r| r.len() == table.columns.len()));
        // Written again, the table reads back with the same shape, and writes the same.
        let csv = table.to_csv();
        let back = Table::from_csv(&csv).expect("a table the core wrote reads back");
        assert_eq!(back.columns.len(), table.columns.len());
        assert_eq!(back.to_csv(), csv, "{text:?}");
    }
});
