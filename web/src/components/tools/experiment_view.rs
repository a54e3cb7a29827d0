//! One experiment: what it shows, run in a worker with its progress and a Cancel button, its
//! chart and table, and a link that reopens it. Size my tier has its inputs here too.

use hashhalo_core::experiment::size::SizeInputs;
use hashhalo_core::experiment::tool::{Run, Tool};
use hashhalo_core::experiment::{Chart, Experiment};
use leptos::prelude::*;

use super::chart_view::ChartView;
use super::use_job::{UseJob, use_job};
use crate::state::AppState;

/// The experiment `run`, started as soon as it is shown.
#[component]
pub fn ExperimentView(run: Run) -> impl IntoView {
    let state = crate::provided::<AppState>();
    let job = use_job();
    let current = RwSignal::new(run);
    let go = move || {
        let run = current.get_untracked();
        state
            .view
            .update(|v| v.tool = Some(Tool::Experiment(run).text()));
        let lab = state.lab.with_untracked(|l| l.encode());
        job.start("experiment", run.encode(), Some(lab));
    };
    go();
    on_cleanup(move || job.cancel());
    let link = move || {
        let run = current.get();
        crate::url::href_with(state, |v| v.tool = Some(Tool::Experiment(run).text()))
    };
    let e = run.experiment;
    // The words come with the worker's report, so they are not part of the page's own code.
    let note = move |key: &'static str| {
        move || {
            job.answer.with(|a| {
                a.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .and_then(|r| r.note(key).map(str::to_string))
            })
        }
    };
    view! {
        <section class="experiment" data-experiment=e.name()>
            <h3>{note("title")}</h3>
            <p class="about">{note("about")}</p>
            {(e == Experiment::Size).then(|| view! { <TierForm current=current on_size=go /> })}
            <Progress job=job on_run=go />
            <Answer job=job run=current />
            <p><a class="tool-link" href=link>"Link to this experiment"</a></p>
        </section>
    }
}

/// The progress bar and Cancel while the job runs; Run again otherwise. A job reports up to a
/// hundred times: each report changes the bar's value and its words, nothing else.
#[component]
pub fn Progress(job: UseJob, on_run: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let running = Memo::new(move |_| job.progress.with(Option::is_some));
    let fraction = move || job.progress.get().unwrap_or(0.0);
    let words = move || format!("Running in the background… {:.0}%", fraction() * 100.0);
    move || {
        if running.get() {
            view! {
                <div class="job-running" role="status">
                    <progress max="1" prop:value=fraction>{move || format!("{:.0}%", fraction() * 100.0)}</progress>
                    <span>{words}</span>
                    <button class="cancel" on:click=move |_| job.cancel()>"Cancel"</button>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="job-idle">
                    <button class="run" on:click=move |_| on_run()>"Run again"</button>
                </div>
            }
            .into_any()
        }
    }
}

/// The last answer: the chart (and a sizing's reasons), or what went wrong.
#[component]
fn Answer(job: UseJob, run: RwSignal<Run>) -> impl IntoView {
    move || {
        let e = run.with_untracked(|r| r.experiment);
        job.answer.get().map(|answer| match answer {
            Ok(report) => {
                let reasons = report
                    .notes_of("reason")
                    .map(|n| view! { <p class="reason">{n.to_string()}</p> })
                    .collect_view();
                let chart = report.note("chart").and_then(Chart::from_note);
                let title = report.note("title").unwrap_or_default().to_string();
                view! {
                    <div class="answer">
                        {reasons}
                        {chart.map(|chart| view! {
                            <ChartView table=report.table.clone() chart=chart title=title name=e.name().to_string() />
                        })}
                    </div>
                }
                .into_any()
            }
            Err(e) if e == "cancelled" => view! { <p class="note">"Cancelled."</p> }.into_any(),
            Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
        })
    }
}

/// Size my tier's inputs; `on_size` runs it with them.
#[component]
fn TierForm(
    current: RwSignal<Run>,
    on_size: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let field = move |label: &'static str,
                      name: &'static str,
                      step: &'static str,
                      get: fn(&SizeInputs) -> f64,
                      set: fn(&mut SizeInputs, f64)| {
        view! {
            <label class="tier-field">
                <span>{label}</span>
                <input type="number" name=name step=step min="0"
                    prop:value=move || current.with(|r| hashhalo_core::experiment::Cell::Number(get(&r.size)).to_string())
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            current.update(|r| {
                                set(&mut r.size, v);
                                // What the form shows is what runs and what the link
                                // carries: the link's whole numbers, read back.
                                let text = Run { size: r.size.clamped(), ..*r }.encode();
                                if let Ok(read) = Run::decode(&text) {
                                    r.size = read.size;
                                }
                            });
                        }
                    } />
            </label>
        }
    };
    view! {
        <form class="tier" on:submit=move |ev| { ev.prevent_default(); on_size(); }>
            {field("Keys", "keys", "1", |t| t.keys as f64, |t, v| t.keys = v.max(1.0) as u64)}
            {field("Requests per second", "rate", "any", |t| t.rate, |t, v| t.rate = v)}
            {field("Capacity per server (requests/s)", "capacity", "any", |t| t.capacity, |t, v| t.capacity = v)}
            {field("Headroom (%)", "headroom", "1", |t| t.headroom * 100.0, |t, v| t.headroom = v / 100.0)}
            {field("Zipf skew", "skew", "0.1", |t| t.skew, |t, v| t.skew = v)}
            {field("Replication", "replication", "1", |t| f64::from(t.replication), |t, v| t.replication = v.clamp(1.0, 5.0) as u8)}
            <button type="submit" class="size">"Size"</button>
        </form>
    }
}
