//! The page's web worker (`crates/worker`), started on first use: it reads and writes scenario
//! files and reads the edits a deck sends, with serde, which the first load does without.
//! Requests wait until it says it is ready; each answer goes to the request's callback. The
//! jobs that make big key sets ([`crate::offload_jobs`]) are in the same chunk as its client.

mod client;
pub mod job;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use hashhalo_core::lab::LabState;
use hashhalo_core::scenario::Scenario;
use leptos::prelude::*;

use crate::deferred::NotLoaded;
use crate::state::AppState;

type Done = Box<dyn FnOnce(Result<String, String>)>;

/// One request to the worker: what to do (`op`), with what text and lab, and who gets the
/// answer.
pub struct Request {
    op: &'static str,
    text: String,
    lab: Option<String>,
    done: Done,
}

thread_local! {
    /// Requests made and not yet handed to the worker's client, in the order they were made.
    static PENDING: RefCell<VecDeque<Request>> = const { RefCell::new(VecDeque::new()) };
}

/// Asks the worker to do `op` with `text` (and `lab`); `done` gets its answer. The worker's
/// client is loaded first if this is the first request (a chunk of its own in the split
/// build); requests reach the worker in the order they were made.
pub fn ask(
    op: &'static str,
    text: &str,
    lab: Option<&str>,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    PENDING.with_borrow_mut(|p| {
        p.push_back(Request {
            op,
            text: text.to_string(),
            lab: lab.map(str::to_string),
            done: Box::new(done),
        })
    });
    wake();
}

/// Loads the worker's client if it is not loaded yet, and hands it what waits: the requests,
/// and the job the lab last asked for (see [`crate::offload::ask`]).
pub(crate) fn wake() {
    leptos::task::spawn_local(async {
        if deliver().await.is_err() {
            // The client never ran: every request waiting gets the reason.
            let why = "the page's worker could not be loaded; reload the page and try again";
            while let Some(request) = PENDING.with_borrow_mut(VecDeque::pop_front) {
                (request.done)(Err(why.into()));
            }
            crate::offload::not_loaded();
        }
    });
}

/// Hands every pending request to the worker's client, oldest first: a split point in the
/// split build (its chunk fetched on the first request; if it cannot be, `NotLoaded`).
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(worker_client, wasm_split_path = ::leptos::wasm_split, fallible)]
fn deliver() -> Result<(), NotLoaded> {
    deliver_now();
    Ok(())
}

/// Hands every pending request to the worker's client, oldest first.
#[cfg(not(feature = "split"))]
async fn deliver() -> Result<(), NotLoaded> {
    deliver_now();
    Ok(())
}

fn deliver_now() {
    while let Some(request) = PENDING.with_borrow_mut(VecDeque::pop_front) {
        client::send(request);
    }
    crate::offload_jobs::start_asked();
}

type OnError = Rc<dyn Fn(String)>;

/// A deck edit waiting: its JSON, who hears what went wrong, and how often it was sent.
type WaitingEdit = (String, OnError, u8);

/// The most deck edits waiting their turn; more are refused.
const MAX_WAITING_EDITS: usize = 64;

thread_local! {
    /// Deck edits waiting, and whether one is with the worker: they are made one at a time,
    /// each read against the lab as the ones before it left it.
    static EDITS: RefCell<(bool, VecDeque<WaitingEdit>)> =
        const { RefCell::new((false, VecDeque::new())) };
}

/// Makes the edit a deck sent (JSON, as a scenario file writes it) as one change; `on_error`
/// gets what was wrong with it. Edits are made in the order they came, each after the one
/// before (so "add D" then "fail D" works).
pub fn edit(state: AppState, json: String, on_error: impl Fn(String) + 'static) {
    let on_error: OnError = Rc::new(on_error);
    let refused = EDITS.with_borrow_mut(|(_, waiting)| {
        if waiting.len() >= MAX_WAITING_EDITS {
            return true;
        }
        waiting.push_back((json, Rc::clone(&on_error), 0));
        false
    });
    if refused {
        on_error(format!(
            "too many edits are waiting ({MAX_WAITING_EDITS}); send the next when one is made"
        ));
        return;
    }
    next_edit(state);
}

/// Sends the next waiting edit, unless one is with the worker already.
fn next_edit(state: AppState) {
    let next = EDITS.with_borrow_mut(|(busy, waiting)| {
        if *busy {
            return None;
        }
        let next = waiting.pop_front()?;
        *busy = true;
        Some(next)
    });
    let Some((json, on_error, tries)) = next else {
        return;
    };
    let lab = state.lab.with_untracked(LabState::encode);
    let (text, sent) = (json.clone(), lab.clone());
    ask("edit", &text, Some(&sent), move |answer| {
        EDITS.with_borrow_mut(|(busy, _)| *busy = false);
        // The edit names servers by label: read against another lab, it could change another
        // server. If the lab changed meanwhile (a step, a drag), read it again.
        if state.lab.with_untracked(LabState::encode) != lab {
            if tries < 3 {
                EDITS.with_borrow_mut(|(_, waiting)| {
                    waiting.push_front((json, on_error, tries + 1))
                });
            } else {
                on_error("the lab kept changing while the edit was read; it was not made".into());
            }
            return next_edit(state);
        }
        let scenario = answer.and_then(|text| Scenario::decode(&text).map_err(|e| e.to_string()));
        match scenario {
            Ok(s) => {
                for e in s.steps.into_iter().flat_map(|step| step.edits) {
                    if let Err(e) = state.change(e) {
                        on_error(e.to_string());
                    }
                }
            }
            Err(e) => on_error(e),
        }
        next_edit(state);
    });
}
