//! The scenario player: which scenario is open, at which step, and the moves between steps.
//! The state at step k is the scenario's start with steps 1..k made ([`Scenario::lab_at`]),
//! so Back is an exact rewind and a fresh load of a step's link draws the same as reaching it.

use std::sync::Arc;

use hashhalo_core::link::{Link, ScenarioRef, View};
use hashhalo_core::scenario::Scenario;
use leptos::prelude::*;

use crate::state::{AppState, Computed, KeyOrigin, Shared};

/// A scenario being played.
#[derive(Debug, Clone, PartialEq)]
pub struct Playing {
    /// Where it came from: a built-in's id, or the scenario itself (recorded, or a file).
    pub source: ScenarioRef,
    /// The scenario.
    pub scenario: Shared<Scenario>,
    /// The step shown: 0 is the start, `steps()` the last.
    pub step: usize,
    /// Whether the lab was changed by hand since the step was shown.
    pub changed: bool,
    /// Whether it steps by itself.
    pub autoplay: bool,
}

impl Playing {
    /// The scenario `source` names, at its start; `None` if there is no such scenario.
    pub fn open(source: ScenarioRef) -> Option<Playing> {
        let scenario = source.scenario()?;
        Some(Playing {
            source,
            scenario: Shared(Arc::new(scenario)),
            step: 0,
            changed: false,
            autoplay: false,
        })
    }

    /// How many steps the scenario has.
    pub fn steps(&self) -> usize {
        self.scenario.steps.len()
    }

    /// What the shown step says: the caption, and what to watch for. The start says what the
    /// scenario is about.
    pub fn caption(&self) -> (String, Option<String>) {
        match self
            .step
            .checked_sub(1)
            .and_then(|k| self.scenario.steps.get(k))
        {
            Some(step) => (step.caption.clone(), step.watch.clone()),
            None => (self.scenario.about.clone(), None),
        }
    }

    /// "Step 2 of 5", or "Start" before the first step.
    pub fn position(&self) -> String {
        if self.step == 0 {
            format!("Start · {} steps", self.steps())
        } else {
            format!("Step {} of {}", self.step, self.steps())
        }
    }

    /// The link of the step shown, in `view`.
    pub fn link(&self, view: View) -> Link {
        Link {
            lab: None,
            scenario: Some(self.source.clone()),
            step: self.step,
            view,
        }
    }
}

impl AppState {
    /// Opens `source` at `step` (the last step if there are fewer). Returns whether there was
    /// such a scenario.
    pub fn play_scenario(&self, source: ScenarioRef, step: usize) -> bool {
        let Some(playing) = Playing::open(source) else {
            return false;
        };
        let step = step.min(playing.steps());
        self.stop_recording_for("a scenario was opened");
        self.player.set(Some(playing));
        self.goto_step(step)
    }

    /// Shows step `step` of the open scenario, as one change from the step before it (so the
    /// movement panel and the animation show what that step moved). Returns whether it could.
    pub fn goto_step(&self, step: usize) -> bool {
        let Some(mut playing) = self.player.get_untracked() else {
            return false;
        };
        if step > playing.steps() {
            return false;
        }
        let s = Arc::clone(&playing.scenario.0);
        let Ok(now) = s.lab_at(step) else {
            return false;
        };
        let before = step
            .checked_sub(1)
            .and_then(|k| s.lab_at(k).ok())
            // A step over a big key set has no comparison: making its keys here would stop
            // the page (the worker makes the step's own).
            .filter(|lab| lab.keys.count as usize <= crate::offload::MAIN_THREAD_KEYS)
            .map(|lab| Computed(hashhalo_core::snapshot::Snapshot::generated(lab)));
        playing.step = step;
        playing.changed = false;
        self.player.set(Some(playing));
        self.probe.set(
            step.checked_sub(1)
                .and_then(|k| s.steps[k].probe.clone())
                .unwrap_or_default(),
        );
        self.before.set(before);
        self.show_before.set(false);
        self.key_origin.set(KeyOrigin::Generated);
        self.lab.set(now);
        self.change_count.update(|n| *n += 1);
        self.ask_worker();
        true
    }

    /// The next step; `false` at the last.
    pub fn next_step(&self) -> bool {
        match self.player.get_untracked() {
            Some(p) if p.step < p.steps() => self.goto_step(p.step + 1),
            _ => false,
        }
    }

    /// The step before; `false` at the start.
    pub fn prev_step(&self) -> bool {
        match self.player.get_untracked() {
            Some(p) if p.step > 0 => self.goto_step(p.step - 1),
            _ => false,
        }
    }

    /// Starts or stops stepping by itself.
    pub fn set_autoplay(&self, on: bool) {
        self.player.update(|p| {
            if let Some(p) = p {
                p.autoplay = on;
            }
        });
    }

    /// Leaves the scenario and keeps the lab as it is: the sandbox, from here.
    pub fn explore_here(&self) {
        self.player.set(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_playing_scenario_says_where_it_is() {
        let mut p = Playing::open(ScenarioRef::Builtin("add-server".into())).unwrap();
        assert_eq!(p.position(), "Start · 3 steps");
        assert_eq!(p.caption().0, p.scenario.about);
        p.step = 2;
        assert_eq!(p.position(), "Step 2 of 3");
        assert_eq!(p.caption().0, p.scenario.steps[1].caption);
        let link = p.link(View::default());
        assert_eq!(link.fragment(), "scenario=add-server&step=2");
        assert!(Playing::open(ScenarioRef::Builtin("nope".into())).is_none());
    }
}
