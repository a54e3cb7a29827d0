//! One job in the worker at a time, as signals: how far it is, and its answer.

use std::rc::Rc;

use hashhalo_core::experiment::table::Report;
use leptos::prelude::*;

use crate::worker::job::{self, Job};

/// The state of a view's job: `progress` is `Some(fraction)` while it runs; `answer` is the
/// last answer (a report, or what went wrong).
#[derive(Clone, Copy)]
pub struct UseJob {
    /// The fraction done while a job runs.
    pub progress: RwSignal<Option<f64>>,
    /// The last job's report or error.
    pub answer: RwSignal<Option<Result<Report, String>>>,
    running: StoredValue<Option<Rc<Job>>, LocalStorage>,
    /// Each start's number, so a cancelled job's late answer is not taken for a new one's.
    started: StoredValue<u32>,
}

/// A job slot for one view.
pub fn use_job() -> UseJob {
    UseJob {
        progress: RwSignal::new(None),
        answer: RwSignal::new(None),
        running: StoredValue::new_local(None),
        started: StoredValue::new(0),
    }
}

impl UseJob {
    /// Starts `op` (cancelling the job running, if any). The worker starts in a task of its
    /// own, after the one that asked (which is drawing the view), so neither is long.
    pub fn start(&self, op: &'static str, text: String, lab: Option<String>) {
        // The job this one replaces ends without a word: its answer would be stale.
        self.stop();
        let this = *self;
        let number = self.started.get_value().wrapping_add(1);
        self.started.set_value(number);
        this.progress.set(Some(0.0));
        // What an earlier run said no longer stands.
        this.answer.set(None);
        let current = move || this.started.try_get_value() == Some(number);
        gloo_timers::callback::Timeout::new(0, move || {
            // Cancelled, or started again, before the worker started.
            if !current() {
                return;
            }
            let started = job::start(
                op,
                &text,
                lab.as_deref(),
                move |p| {
                    if current() {
                        this.progress.try_set(Some(p));
                    }
                },
                move |answer| {
                    if !current() {
                        return;
                    }
                    this.progress.try_set(None);
                    this.running.try_set_value(None);
                    let answer =
                        answer.and_then(|t| Report::from_text(&t).map_err(|e| e.to_string()));
                    this.answer.try_set(Some(answer));
                },
            );
            match started {
                Ok(job) => {
                    this.running.try_set_value(Some(Rc::new(job)));
                }
                Err(e) => {
                    this.progress.try_set(None);
                    this.answer.try_set(Some(Err(e)));
                }
            }
        })
        .forget();
    }

    /// Ends the running job, if any, and says it was cancelled.
    pub fn cancel(&self) {
        if self.stop() {
            self.answer.try_set(Some(Err("cancelled".into())));
        }
    }

    /// Ends the job, if one runs or waits to start (whether there was one); the last answer
    /// stays.
    fn stop(&self) -> bool {
        let waiting = self.progress.try_get_untracked().flatten().is_some();
        let running = self.running.try_update_value(Option::take).flatten();
        if !waiting && running.is_none() {
            return false;
        }
        // Its own answer ("cancelled") is dropped, and a job yet to start never starts: this
        // start's number moves on.
        self.started.try_update_value(|n| *n = n.wrapping_add(1));
        if let Some(job) = running {
            job.cancel();
        }
        self.progress.try_set(None);
        true
    }
}
