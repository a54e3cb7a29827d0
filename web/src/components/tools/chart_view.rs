//! An experiment's chart in SVG (axes, units, a legend, a title on every value for hovering),
//! the same numbers as a table for screen readers, and its CSV and JSON.

use hashhalo_core::ServerId;
use hashhalo_core::experiment::{Chart, Table};
use leptos::prelude::*;

use crate::chart::{HEIGHT, WIDTH, area, plot};
use crate::palette::colour;
use crate::svg::num;

/// The chart of `table`, drawn as `chart` says, titled `title`; downloads are named after
/// `name`.
#[component]
pub fn ChartView(table: Table, chart: Chart, title: String, name: String) -> impl IntoView {
    let p = plot(&table, &chart);
    let (left, top, right, bottom) = area();
    let viewbox = format!("0 0 {} {}", num(WIDTH), num(HEIGHT));
    let colour_of = |i: usize| colour(ServerId(i as u32));
    let y_ticks = p
        .y_ticks
        .iter()
        .map(|t| {
            view! {
                <line class="grid" x1=num(left) x2=num(right) y1=num(t.at) y2=num(t.at) />
                <text class="tick" x=num(left - 6.0) y=num(t.at + 4.0) text-anchor="end">{t.label.clone()}</text>
            }
        })
        .collect_view();
    let rotate = p.x_ticks.len() > 6;
    let x_ticks = p
        .x_ticks
        .iter()
        .map(|t| {
            let (x, y) = (t.at, bottom + 16.0);
            let transform = rotate.then(|| format!("rotate(-20 {} {})", num(x), num(y)));
            view! {
                <text class="tick" x=num(x) y=num(y)
                    text-anchor=if rotate { "end" } else { "middle" } transform=transform>
                    {t.label.clone()}
                </text>
            }
        })
        .collect_view();
    let series = p
        .series
        .iter()
        .map(|s| {
            let fill = colour_of(s.colour);
            let marks = s
                .marks
                .iter()
                .map(|m| {
                    if m.width > 0.0 {
                        view! {
                            <rect class="bar" x=num(m.x) y=num(m.y) width=num(m.width) height=num(m.height) fill=fill>
                                <title>{m.title.clone()}</title>
                            </rect>
                        }
                        .into_any()
                    } else {
                        view! {
                            <circle class="dot" cx=num(m.x) cy=num(m.y) r="3.5" fill=fill>
                                <title>{m.title.clone()}</title>
                            </circle>
                        }
                        .into_any()
                    }
                })
                .collect_view();
            view! {
                <g class="series" data-series=s.name.clone()>
                    {(!s.path.is_empty()).then(|| view! { <path class="line" d=s.path.clone() stroke=fill /> })}
                    {marks}
                </g>
            }
        })
        .collect_view();
    let legend = p
        .series
        .iter()
        .map(|s| {
            view! {
                <li><span class="swatch" style=format!("background:{}", colour_of(s.colour))></span>{s.name.clone()}</li>
            }
        })
        .collect_view();
    let head = table
        .columns
        .iter()
        .map(|c| view! { <th scope="col">{c.header()}</th> })
        .collect_view();
    let body = table
        .rows
        .iter()
        .map(|r| {
            let cells = r
                .iter()
                .map(|c| view! { <td>{c.to_string()}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    let csv = table.to_csv();
    let (csv_name, json_name) = (
        format!("hashhalo-{name}.csv"),
        format!("hashhalo-{name}.json"),
    );
    let json_error = RwSignal::new(None::<String>);
    let csv_for_json = csv.clone();
    let download_json = move |_| {
        let json_name = json_name.clone();
        crate::worker::ask(
            "table-json",
            &csv_for_json,
            None,
            move |answer| match answer {
                Ok(json) => {
                    json_error.set(None);
                    crate::download::text(&json_name, &json, "application/json");
                }
                Err(e) => json_error.set(Some(e)),
            },
        );
    };
    view! {
        <figure class="chart">
            <svg viewBox=viewbox role="img" aria-label=title.clone() class="chart-svg">
                {y_ticks}
                <line class="axis" x1=num(left) x2=num(right) y1=num(bottom) y2=num(bottom) />
                <line class="axis" x1=num(left) x2=num(left) y1=num(top) y2=num(bottom) />
                {x_ticks}
                <text class="axis-title" x=num((left + right) / 2.0) y=num(HEIGHT - 4.0) text-anchor="middle">{p.x_title.clone()}</text>
                <text class="axis-title" transform=format!("rotate(-90) translate({} 14)", num(-(top + bottom) / 2.0)) text-anchor="middle">{p.y_title.clone()}</text>
                {series}
            </svg>
            <ul class="legend chart-legend">{legend}</ul>
            <figcaption>
                <button on:click=move |_| crate::download::text(&csv_name, &csv, "text/csv")>"Download CSV"</button>
                <button on:click=download_json>"Download JSON"</button>
                {move || json_error.get().map(|e| view! { <span class="error" role="alert">{e}</span> })}
            </figcaption>
            <details class="chart-table">
                <summary>"The numbers as a table"</summary>
                <table>
                    <caption>{title}</caption>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </details>
        </figure>
    }
}
