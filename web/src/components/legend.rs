//! The legend: each server's colour, its keys, its share of the keys and, where the algorithm
//! has one, its exact share of the ring or table; with replication, the keys it keeps a copy
//! of. Columns that an algorithm has no figure for are not shown.

use hashhalo_core::ServerId;
use hashhalo_core::algorithms::ShareOf;
use hashhalo_core::format::{count, percent};
use leptos::prelude::*;

use crate::AppState;
use crate::fan_out::FanOut;
use crate::palette::colour;

/// One legend row's figures.
#[derive(Debug, Clone, Default, PartialEq)]
struct Row {
    label: String,
    up: bool,
    count: u64,
    key_share: f64,
    space_share: f64,
    copies: u64,
}

/// Which columns the legend shows.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Columns {
    /// What the exact share is of, if there is one.
    space: Option<ShareOf>,
    /// The replication factor, when it is above 1.
    replicas: Option<u8>,
}

/// A table of every server of the shown state. Takes no props.
#[component]
pub fn Legend() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let columns = Memo::new(move |_| {
        state.shown.with(|c| {
            // Each key has as many copies as there are up servers, at most the factor.
            let up = c.servers().iter().filter(|s| s.is_up()).count();
            let copies = usize::from(c.lab().replicas).min(up);
            Columns {
                space: c.lab().router.algorithm.exact_share_of(),
                replicas: (copies > 1).then_some(copies as u8),
            }
        })
    });
    let rows = Memo::new(move |_| {
        state.shown.with(|c| {
            let counts = c.key_counts();
            let total = c.keys().len().max(1) as f64;
            let (shares, _) = c.router().map(|r| r.ownership()).unwrap_or_default();
            // Copies are only counted when there is more than one (a ring counts them through a
            // table of its points, quick enough to follow a drag).
            let copies = if c.lab().replicas > 1 {
                c.replica_counts()
            } else {
                counts.clone()
            };
            c.servers()
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let row = Row {
                        label: s.label.clone(),
                        up: s.is_up(),
                        count: counts[i],
                        key_share: counts[i] as f64 / total,
                        space_share: shares.get(i).copied().unwrap_or(0.0),
                        copies: copies[i],
                    };
                    (s.id, row)
                })
                .collect::<Vec<_>>()
        })
    });
    // Keyed rows, each fed by its own signal: a drag wakes only the rows that changed.
    let fan = FanOut::<ServerId, Row>::new();
    let ids = move || rows.with(|r| fan.update(r.iter().cloned()));
    let space = move || columns.with(|c| c.space);
    let replicas = move || columns.with(|c| c.replicas);
    let row = move |id: ServerId| {
        let mine = fan.get(id);
        let get = move |f: fn(&Row) -> String| mine.with(f);
        view! {
            <tr
                class="legend-row"
                class:down=move || mine.with(|r| !r.up)
                data-server=move || get(|r| r.label.clone())
            >
                <th scope="row" class="label">
                    <span class="swatch" style=format!("background:{}", colour(id))></span>
                    {move || get(|r| r.label.clone())}
                    <span class="state">{move || get(|r| if r.up { String::new() } else { " (down)".into() })}</span>
                </th>
                <td class="count" data-testid="count">{move || get(|r| count(r.count))}</td>
                <td class="share" data-testid="key-share">{move || get(|r| percent(r.key_share, 1))}</td>
                <td class="share" data-testid="space-share" class:hidden=move || space().is_none()>
                    {move || get(|r| percent(r.space_share, 1))}
                </td>
                <td class="count" data-testid="copies" class:hidden=move || replicas().is_none()>
                    {move || get(|r| count(r.copies))}
                </td>
            </tr>
        }
    };
    view! {
        <table class="legend" aria-label="Servers">
            <thead>
                <tr>
                    <th scope="col">"Server"</th>
                    <th scope="col" class="num">"Keys"</th>
                    <th scope="col" class="num">"% of keys"</th>
                    <th scope="col" class="num" class:hidden=move || space().is_none()>
                        {move || match space() {
                            Some(ShareOf::Table) => "% of table",
                            _ => "% of ring",
                        }}
                    </th>
                    <th scope="col" class="num" class:hidden=move || replicas().is_none()
                        title="Keys this server keeps a copy of: it is one of the first servers in their preference lists">
                        {move || format!("Copies ({} each)", replicas().unwrap_or(1))}
                    </th>
                </tr>
            </thead>
            <tbody>
                <For each=ids key=|id| *id let:id>
                    {row(id)}
                </For>
            </tbody>
        </table>
    }
}
