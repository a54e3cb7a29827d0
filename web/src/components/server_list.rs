//! The server list: add, remove, fail, restore, rename, weigh, and reset dragged positions.

use hashhalo_core::edit::{Edit, EditError};
use hashhalo_core::format::count;
use hashhalo_core::{Server, ServerId, Status};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::fan_out::FanOut;
use crate::palette::colour;
use crate::state::{AppState, LIMITS};

/// The first label of the form A, B, …, Z, A2, B2, … not in `taken`.
pub fn next_label(taken: &[String]) -> String {
    (0u32..)
        .map(|i| {
            let letter = char::from(b'A' + (i % 26) as u8);
            if i < 26 {
                letter.to_string()
            } else {
                format!("{letter}{}", i / 26 + 1)
            }
        })
        .find(|l| !taken.contains(l))
        .expect("labels are endless")
}

/// One row per server with its controls, and the form that adds a server. Takes no props.
#[component]
pub fn ServerList() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let error = RwSignal::new(None::<String>);
    let new_label = RwSignal::new(String::new());
    // Each row reads its own signal, set only when its server changed: a drag of one server
    // leaves the other rows alone.
    let rows = FanOut::<ServerId, RowData>::new();
    let ids = move || {
        state.lab.with(|l| {
            let only_one = l.servers.len() <= 1;
            rows.update(l.servers.iter().map(|s| {
                let data = RowData {
                    server: s.clone(),
                    only_one,
                    vnodes: l.router.vnodes,
                };
                (s.id, data)
            }))
        })
    };
    let count = move || state.lab.with(|l| l.servers.len());

    let add = move || {
        let typed = new_label.get_untracked().trim().to_string();
        let label = if typed.is_empty() {
            state.lab.with_untracked(|l| {
                next_label(
                    &l.servers
                        .iter()
                        .map(|s| s.label.clone())
                        .collect::<Vec<_>>(),
                )
            })
        } else {
            typed
        };
        match state.change(Edit::AddServer { label }) {
            Ok(()) => {
                error.set(None);
                new_label.set(String::new());
            }
            Err(e) => error.set(Some(sentence(&e))),
        }
    };

    view! {
        <fieldset class="servers">
            <legend>"Servers"</legend>
            <ul class="server-list" aria-label="Server controls">
                <For each=ids key=|id| *id let:id>
                    <ServerRow id=id row=rows.get(id) error=error />
                </For>
            </ul>
            <form class="add-server" on:submit=move |ev| { ev.prevent_default(); add(); }>
                <input
                    type="text"
                    aria-label="New server name"
                    placeholder=move || state.lab.with(|l| next_label(&l.servers.iter().map(|s| s.label.clone()).collect::<Vec<_>>()))
                    maxlength=LIMITS.max_label
                    prop:value=move || new_label.get()
                    on:input=move |ev| new_label.set(event_target_value(&ev))
                />
                <button type="submit" prop:disabled=move || { count() >= LIMITS.max_servers }>"Add server"</button>
            </form>
            <p class="error" role="alert" data-testid="server-error">{move || error.get()}</p>
        </fieldset>
    }
}

/// An edit's error as a sentence for the error line.
fn sentence(e: &EditError) -> String {
    let text = e.to_string();
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>() + "."
    })
}

/// What one server's row shows.
#[derive(Debug, Clone, PartialEq)]
struct RowData {
    /// The server.
    server: Server,
    /// Whether it is the only server (which cannot be removed).
    only_one: bool,
    /// Virtual nodes per unit of weight.
    vnodes: u32,
}

impl Default for RowData {
    fn default() -> RowData {
        RowData {
            server: Server::new(0, ""),
            only_one: true,
            vnodes: 1,
        }
    }
}

/// One server's row. `id`: the server; `row`: what the row shows; `error`: where to say
/// what went wrong.
#[component]
fn ServerRow(
    id: ServerId,
    row: ReadSignal<RowData>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = crate::provided::<AppState>();
    let label = move || row.with(|r| r.server.label.clone());
    let down = move || row.with(|r| r.server.status == Status::Down);
    let weight = move || row.with(|r| r.server.weight);
    let moved = move || row.with(|r| r.server.shift != 0 || !r.server.pins.is_empty());
    let only_one = move || row.with(|r| r.only_one);
    let vnodes = move || row.with(|r| r.vnodes);

    // Makes `edit`, or shows why it could not be made.
    let apply = move |edit: Edit| match state.change(edit) {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(sentence(&e))),
    };
    let rename = move |input: web_sys::HtmlInputElement| {
        let text = input.value().trim().to_string();
        if text == label() {
            return;
        }
        if let Err(e) = state.change(Edit::RenameServer {
            server: id,
            label: text,
        }) {
            error.set(Some(sentence(&e)));
            // The field shows the server's real name again.
            input.set_value(&label());
            return;
        }
        error.set(None);
    };

    view! {
        <li class="server-row" class:down=down data-server=label>
            <span class="swatch" style=format!("background:{}", colour(id))></span>
            <input
                class="server-name"
                type="text"
                aria-label=move || format!("Name of server {}", label())
                maxlength=LIMITS.max_label
                prop:value=label
                on:change=move |ev| {
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        rename(input);
                    }
                }
            />
            <label class="weight">
                <span class="weight-word">"weight"</span>
                <input
                    type="number"
                    min="1"
                    max=LIMITS.max_weight
                    aria-label=move || format!("Weight of {}", label())
                    prop:value=move || weight().to_string()
                    on:change=move |ev| {
                        let Ok(w) = event_target_value(&ev).trim().parse::<u32>() else {
                            error.set(Some(format!("A weight is a whole number from 1 to {}.", LIMITS.max_weight)));
                            return;
                        };
                        apply(Edit::WeighServer { server: id, weight: w.clamp(1, LIMITS.max_weight) });
                    }
                />
                <span class="vnode-count">{move || {
                    let n = vnodes() * weight();
                    format!("{} virtual {}", count(u64::from(n)), if n == 1 { "node" } else { "nodes" })
                }}</span>
            </label>
            <button
                class="toggle-status"
                aria-label=move || format!("{} {}", if down() { "Restore" } else { "Fail" }, label())
                on:click=move |_| apply(if down() { Edit::RestoreServer(id) } else { Edit::FailServer(id) })
            >
                {move || if down() { "Restore" } else { "Fail" }}
            </button>
            <button
                class="reset"
                aria-label=move || format!("Reset {} to hashed positions", label())
                prop:disabled=move || !moved()
                on:click=move |_| apply(Edit::ResetServer(id))
            >
                "Reset to hashed"
            </button>
            <button
                class="remove"
                aria-label=move || format!("Remove {}", label())
                prop:disabled=only_one
                on:click=move |_| {
                    state.selected.update(|sel| if sel.is_some_and(|(s, _)| s == id) { *sel = None; });
                    apply(Edit::RemoveServer(id));
                }
            >
                "Remove"
            </button>
        </li>
    }
}
