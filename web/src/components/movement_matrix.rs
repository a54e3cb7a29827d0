//! The from→to table of the last change: how many keys went from each server to each other,
//! folded away until asked for.

use hashhalo_core::format::count;
use leptos::prelude::*;

use crate::state::AppState;

/// The matrix of [`AppState::movement`], over the servers that held or received keys. Takes
/// no props.
#[component]
pub fn MovementMatrix() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let table = move || {
        let view = state.movement.get()?;
        let m = view.movement.clone()?;
        let loads = m.loads();
        let shown: Vec<usize> = (0..m.servers.len())
            .filter(|&i| loads[i].0 > 0 || loads[i].1 > 0)
            .collect();
        let labels = view.labels.clone();
        Some(view! {
            <table class="matrix" aria-label="Keys moved from each server (rows) to each server (columns)">
                <thead>
                    <tr>
                        <th scope="col">"from \\ to"</th>
                        {shown.iter().map(|&j| view! { <th scope="col">{labels[j].clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {shown.iter().map(|&i| view! {
                        <tr>
                            <th scope="row">{labels[i].clone()}</th>
                            {shown.iter().map(|&j| {
                                let n = m.matrix[i][j];
                                view! { <td class:moved=(i != j && n > 0) class:zero=(n == 0)>{count(n)}</td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })
    };
    view! {
        <details class="matrix-panel">
            <summary>"From → to, server by server"</summary>
            <p class="hint">"Each cell counts the keys that were on the row's server before the change and on the column's after it; the diagonal stayed put."</p>
            {move || match table() {
                Some(t) => t.into_any(),
                None => view! { <p class="hint">"Nothing to compare yet."</p> }.into_any(),
            }}
        </details>
    }
}
