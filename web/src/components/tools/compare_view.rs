//! Every algorithm on the lab's servers and keys, one row each, computed in a worker: the
//! core's comparison table, with a strip per algorithm showing where the keys went, and
//! modulo's expected movement next to the ring's for the last change.

use hashhalo_core::ServerId;
use hashhalo_core::compare::{Drawn, STRIP};
use hashhalo_core::experiment::table::Report;
use hashhalo_core::experiment::tool::Tool;
use hashhalo_core::format::percent;
use leptos::prelude::*;

use super::experiment_view::Progress;
use super::use_job::use_job;
use crate::palette::colour;
use crate::state::AppState;

/// The compare view, started as soon as it is shown.
#[component]
pub fn CompareView() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let job = use_job();
    let go = move || {
        let lab = state.lab.with_untracked(|l| l.encode());
        let before = state
            .before
            .with_untracked(|b| b.as_ref().map(|c| c.lab().encode()))
            .unwrap_or_default();
        job.start("compare", before, Some(lab));
    };
    go();
    on_cleanup(move || job.cancel());
    let link = move || crate::url::href_with(state, |v| v.tool = Some(Tool::Compare.text()));
    let ids: Vec<ServerId> = state
        .lab
        .with_untracked(|l| l.servers.iter().map(|s| s.id).collect());
    let pasted = move || {
        matches!(state.key_origin.get(), crate::state::KeyOrigin::Custom(_)).then(|| {
            view! { <p class="note">"Pasted keys stay on this page: the comparison uses generated keys of the same kind and count."</p> }
        })
    };
    view! {
        <section class="compare">
            <h3>"Every algorithm on these servers and keys"</h3>
            <p class="about">
                "Balance is each up server's keys over its fair share; moved counts the keys whose server changed "
                "in the last change, against the least any placement could move. Lookups are timed in the worker."
            </p>
            {pasted}
            <Progress job=job on_run=go />
            {move || job.answer.get().map(|answer| match answer {
                Ok(report) => table(&report, &ids).into_any(),
                Err(e) if e == "cancelled" => view! { <p class="note">"Cancelled."</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            })}
            <p><a class="tool-link" href=link>"Link to this comparison"</a></p>
        </section>
    }
}

/// A strip as one path per server (its arcs as rectangles in a 100 × 8 box): a few elements
/// a row rather than one per arc, so the table draws within a frame.
fn strip_paths(strip: &[Option<u32>], ids: &[ServerId]) -> Vec<(ServerId, String)> {
    let width = 100.0 / STRIP as f64;
    let mut paths: Vec<(ServerId, String)> = Vec::new();
    let mut i = 0;
    while i < strip.len() {
        let start = i;
        while i < strip.len() && strip[i] == strip[start] {
            i += 1;
        }
        let Some(id) = strip[start].and_then(|s| ids.get(s as usize)) else {
            continue;
        };
        let d = format!(
            "M{} 0h{}v8h-{}z",
            crate::svg::num(start as f64 * width),
            crate::svg::num((i - start) as f64 * width + 0.05),
            crate::svg::num((i - start) as f64 * width + 0.05)
        );
        match paths.iter_mut().find(|(p, _)| p == id) {
            Some((_, path)) => path.push_str(&d),
            None => paths.push((*id, d)),
        }
    }
    paths
}

/// The report as a table, a strip in each row.
fn table(report: &Report, ids: &[ServerId]) -> impl IntoView + use<> {
    let drawn = Drawn::of(report);
    let t = &report.table;
    let modulo_row = t.rows.iter().find(|r| r[0].to_string() == "modulo");
    let moved_column = t.column("moved");
    let modulo_note = drawn.modulo_expected.map(|expected| {
        let actual = modulo_row
            .zip(moved_column)
            .and_then(|(r, c)| r[c].number())
            .map(|moved| moved.to_string())
            .unwrap_or_default();
        view! {
            <p class="modulo-note">
                {format!(
                    "Modulo hashing was expected to move n/(n+1) = {} of the keys for this change; it moved {actual} keys \
                     (the figure often quoted is 100 %).",
                    percent(expected, 1)
                )}
            </p>
        }
    });
    let head = t
        .columns
        .iter()
        .map(|c| view! { <th scope="col">{c.header()}</th> })
        .collect_view();
    let strip_of = |name: &str| {
        drawn
            .strips
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.clone())
    };
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let name = r[0].to_string();
            let strip = strip_of(&name).unwrap_or_default();
            let rects = strip_paths(&strip, ids)
                .into_iter()
                .map(|(id, d)| view! { <path d=d fill=colour(id) /> })
                .collect_view();
            let cells = r.iter().map(|c| view! { <td>{c.to_string()}</td> }).collect_view();
            view! {
                <tr data-algorithm=name.clone()>
                    <td class="strip">
                        <svg viewBox="0 0 100 8" preserveAspectRatio="none" role="img"
                            aria-label=format!("where {name} put the keys, around the hash space")>{rects}</svg>
                    </td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let csv = t.to_csv();
    view! {
        {modulo_note}
        <div class="compare-scroll">
            <table class="compare-table">
                <thead><tr><th scope="col">"where the keys went"</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p><button on:click=move |_| crate::download::text("hashhalo-compare.csv", &csv, "text/csv")>"Download CSV"</button></p>
    }
}
