//! The lab's tools: every algorithm compared on the lab, and the experiments with their
//! charts, in one dialog. The dialog is a chunk of its own in the release build (loaded on the
//! first press, or when the page opens on a link to a tool), and its work runs in workers.

pub mod chart_view;
pub mod compare_view;
pub mod experiment_view;
pub mod use_job;

use hashhalo_core::experiment::Experiment;
use hashhalo_core::experiment::tool::{Run, Tool};
use hashhalo_core::link::ToolText;
use leptos::prelude::*;

use crate::state::AppState;
use compare_view::CompareView;
use experiment_view::ExperimentView;

/// The button that opens the tools, and the dialog from then on. Takes no props.
#[component]
pub fn ToolsButton() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let wanted = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || state.view.with(|v| v.tool.is_some())
    });
    let open = move |_| {
        if state.view.with_untracked(|v| v.tool.is_none()) {
            state.view.update(|v| v.tool = Some(Tool::Compare.text()));
        }
    };
    view! {
        <button class="tools-open" on:click=open>"Compare algorithms and run experiments"</button>
        {move || wanted.get().then(|| crate::deferred::shown(crate::deferred::lab_tools))}
    }
}

/// Which tab a tool is: the compare view, or an experiment by name.
fn tab_of(tool: Option<Tool>) -> Option<&'static str> {
    tool.map(|t| match t {
        Tool::Compare => "compare",
        Tool::Experiment(run) => run.experiment.name(),
    })
}

/// The tool the view names, read from its text (`Err` says why it names none).
fn tool_of(text: Option<ToolText>) -> Option<Result<Tool, String>> {
    text.map(|t| Tool::decode(t.as_str()))
}

/// The tab's label.
fn tab_label(tab: &str) -> &'static str {
    match tab {
        "compare" => "Compare",
        "a1" => "A1 requests",
        "a2" => "A2 servers",
        "vnodes" => "Virtual nodes",
        "churn" => "Churn",
        "hot-keys" => "Hot keys",
        "bounded" => "Bounded loads",
        "hashes" => "Hashes",
        "size" => "Size my tier",
        _ => "",
    }
}

/// The dialog ([`crate::deferred::lab_tools`] loads it): open while the view names a tool.
pub fn dialog() -> AnyView {
    let state = crate::provided::<AppState>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let tool = Memo::new(move |_| state.view.with(|v| tool_of(v.tool)));
    let tab = Memo::new(move |_| match tool.get() {
        Some(Ok(t)) => tab_of(Some(t)),
        Some(Err(_)) => Some("error"),
        None => None,
    });
    Effect::new(move |_| {
        let open = tab.get().is_some();
        if let Some(d) = dialog.get() {
            if open && !d.open() {
                request_animation_frame(move || {
                    if !d.open() {
                        let _ = d.show_modal();
                    }
                });
            } else if !open && d.open() {
                d.close();
            }
        }
    });
    let tabs = std::iter::once("compare")
        .chain(Experiment::ALL.iter().map(|e| e.name()))
        .map(|name| {
            let choose = move |_| {
                let tool = match Experiment::from_name(name) {
                    Some(e) => Tool::Experiment(Run::new(e)),
                    None => Tool::Compare,
                };
                state.view.update(|v| v.tool = Some(tool.text()));
            };
            view! {
                <button role="tab" class="tab" data-tab=name
                    aria-selected=move || (tab.get() == Some(name)).to_string()
                    on:click=choose>{tab_label(name)}</button>
            }
        })
        .collect_view();
    let body = move || {
        tab.get()?;
        Some(match tool.get_untracked() {
            Some(Ok(Tool::Experiment(run))) => view! { <ExperimentView run=run /> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{format!("The link's tool could not be opened: {e}.")}</p> }.into_any(),
            _ => view! { <CompareView /> }.into_any(),
        })
    };
    view! {
        <dialog class="tools" node_ref=dialog aria-label="Compare and experiments"
            on:close=move |_| {
                if state.view.with_untracked(|v| v.tool.is_some()) {
                    state.view.update(|v| v.tool = None);
                }
            }>
            // The tools' styles are a file of their own (index.html copies it), fetched with
            // the dialog rather than in the first load's CSS.
            <link rel="stylesheet" href="tools.css" />
            <div class="tools-head">
                <h2>"Compare and experiment"</h2>
                <button class="close" on:click=move |_| state.view.update(|v| v.tool = None)>"Close"</button>
            </div>
            <nav role="tablist" class="tabs">{tabs}</nav>
            <div role="tabpanel" class="tab-body">{body}</div>
        </dialog>
    }
    .into_any()
}
