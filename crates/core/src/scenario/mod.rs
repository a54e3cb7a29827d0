//! Scenarios: a start state and steps, each step a list of [`Edit`]s with a caption, an
//! optional "watch for" note, an optional key to probe, and expectations the core checks.
//!
//! The state at step `k` is the start with the edits of steps 1 to `k` made, in order: a pure
//! function ([`Scenario::lab_at`]), so going back a step is exact, never an undo. A step's
//! movement is the change from step `k − 1` to step `k`.
//!
//! Scenarios are written as [`ScenarioSpec`]s, which name servers by label (a JSON file, or
//! the built-ins in [`builtin`]), and compiled to a [`Scenario`], which names them by id as
//! [`Edit`] does. A scenario travels in a link in a compact form ([`Scenario::encode`]).
//!
//! ```
//! use hashhalo_core::scenario::builtin;
//!
//! let add = builtin("add-server").unwrap();
//! assert_eq!(add.lab_at(0).unwrap().servers.len(), 3);
//! assert_eq!(add.lab_at(2).unwrap().servers.len(), 4);
//! let report = add.check().unwrap();
//! assert!(report.iter().all(|step| step.failures.is_empty()), "{report:?}");
//! ```

mod builtin;
#[cfg(feature = "json")]
mod json;
mod link;
mod spec;

use std::fmt;
use std::sync::Arc;

use crate::ServerId;
use crate::edit::{Edit, EditError};
use crate::explain::{Explanation, explain};
use crate::format::{decimal, fixed};
use crate::lab::{LabState, Limits};
use crate::snapshot::Snapshot;

pub use builtin::{BUILTIN_IDS, builtin, builtin_spec, builtin_text};
#[cfg(feature = "json")]
pub use json::edit_from_json;
pub use spec::{
    EditSpec, ExpectSpec, KeysSpec, ScenarioSpec, ServerSpec, StartSpec, StepSpec, kind_name,
};

/// The largest scenario file read, in bytes.
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// The most steps a scenario may have.
pub const MAX_STEPS: usize = 200;
/// The most edits one step may make.
pub const MAX_EDITS: usize = 100;
/// The longest caption, note, title or key, in characters.
pub const MAX_TEXT: usize = 600;

/// A scenario, compiled: servers named by id.
///
/// ```
/// use hashhalo_core::scenario::builtin;
///
/// let s = builtin("node-failure").unwrap();
/// assert_eq!(s.id, "node-failure");
/// assert!(s.steps.len() >= 4);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// A stable id, used in links and by the CLI (kebab case).
    pub id: String,
    /// A title.
    pub title: String,
    /// What the scenario shows, in a sentence or two.
    pub about: String,
    /// The lab before the first step.
    pub start: LabState,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// One step: what it does, and what to look at.
///
/// ```
/// use hashhalo_core::scenario::Step;
///
/// let step = Step { caption: "Nothing yet.".into(), ..Step::default() };
/// assert!(step.edits.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Step {
    /// What happens, in a sentence a student understands.
    pub caption: String,
    /// What to watch for, if anything.
    pub watch: Option<String>,
    /// A key to highlight on the ring.
    pub probe: Option<String>,
    /// The edits the step makes, in order.
    pub edits: Vec<Edit>,
    /// What must hold after it; checked by [`Scenario::check`].
    pub expect: Vec<Expect>,
}

/// Something a step promises, about its movement (from the step before) or its state.
///
/// ```
/// use hashhalo_core::scenario::Expect;
///
/// let e = Expect::Moved { min: 0.2, max: 0.3 };
/// assert_ne!(e, Expect::Unavailable { min: 0, max: 0 });
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// The fraction of keys that moved, from 0 to 1, is in this range.
    Moved {
        /// The least.
        min: f64,
        /// The most.
        max: f64,
    },
    /// Every key that moved went to this server.
    AllMovedTo(ServerId),
    /// Every key that moved came from this server.
    AllMovedFrom(ServerId),
    /// This server holds between `min` and `max` keys.
    Keys {
        /// The server.
        server: ServerId,
        /// The fewest.
        min: u64,
        /// The most.
        max: u64,
    },
    /// Between `min` and `max` keys have every copy on a down server
    /// ([`Snapshot::unavailable_keys`]).
    Unavailable {
        /// The fewest.
        min: u64,
        /// The most.
        max: u64,
    },
    /// The busiest server holds at most this many times its fair share.
    BusiestAtMost(f64),
    /// The busiest server holds at least this many times its fair share.
    BusiestAtLeast(f64),
}

/// Why a scenario could not be read or run: which step (1 for the first; 0 for the start),
/// which field, and what was wrong.
///
/// ```
/// use hashhalo_core::scenario::ScenarioError;
///
/// let e = ScenarioError::at(3, "edits[1].server", "there is no server called X");
/// assert_eq!(e.to_string(), "step 3, edits[1].server: there is no server called X");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The step (0 for the start or the scenario as a whole).
    pub step: usize,
    /// The field, as a path (`edits[1].server`).
    pub field: String,
    /// What was wrong.
    pub message: String,
}

impl ScenarioError {
    /// An error in `field` of step `step`.
    pub fn at(step: usize, field: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            step,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = if self.step == 0 {
            String::new()
        } else {
            format!("step {}, ", self.step)
        };
        let field = if self.field.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.field)
        };
        write!(f, "{place}{field}{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// One step's state: the lab before and after it, computed, and the change in words.
#[derive(Debug, Clone)]
pub struct StepState {
    /// The state before the step (the step before it, or the start).
    pub before: Snapshot,
    /// The state after it.
    pub after: Snapshot,
    /// The change, as the movement panel says it.
    pub explanation: Explanation,
}

/// What checking one step found.
///
/// ```
/// use hashhalo_core::scenario::builtin;
///
/// let first = &builtin("add-server").unwrap().check().unwrap()[0];
/// assert_eq!(first.step, 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StepCheck {
    /// The step, from 1.
    pub step: usize,
    /// The movement panel's headline for it.
    pub headline: String,
    /// Each expectation that did not hold, in words.
    pub failures: Vec<String>,
}

impl Scenario {
    /// The lab after `step` steps (0: the start). Each edit is made as the app makes it; one
    /// that cannot be made is an error naming its step and edit.
    ///
    /// ```
    /// use hashhalo_core::scenario::builtin;
    ///
    /// let s = builtin("add-server").unwrap();
    /// assert!(s.lab_at(s.steps.len() + 1).is_err());
    /// ```
    pub fn lab_at(&self, step: usize) -> Result<LabState, ScenarioError> {
        if step > self.steps.len() {
            return Err(ScenarioError::at(
                step,
                "",
                format!("the scenario has only {} steps", self.steps.len()),
            ));
        }
        let mut lab = self.start.clone();
        for (k, s) in self.steps[..step].iter().enumerate() {
            for (e, edit) in s.edits.iter().enumerate() {
                lab.apply_in_place(edit, &Limits::APP)
                    .map_err(|err| edit_error(k + 1, e, edit, &err))?;
            }
        }
        Ok(lab)
    }

    /// Step `step` (from 1) computed: the state before it and after it over the same keys,
    /// and its change in words.
    ///
    /// ```
    /// use hashhalo_core::scenario::builtin;
    ///
    /// let s = builtin("add-server").unwrap();
    /// let two = s.state_at(2).unwrap();
    /// assert!(two.explanation.headline.starts_with("Adding D moved "));
    /// ```
    pub fn state_at(&self, step: usize) -> Result<StepState, ScenarioError> {
        let before_lab = self.lab_at(step.saturating_sub(1))?;
        let after_lab = self.lab_at(step)?;
        let before = Snapshot::generated(before_lab);
        let keys = if before.lab().keys == after_lab.keys
            && before
                .lab()
                .router
                .algorithm
                .key_hash(before.lab().router.hash)
                == after_lab.router.algorithm.key_hash(after_lab.router.hash)
        {
            Arc::clone(before.keys())
        } else {
            Arc::new(Snapshot::keys_for(&after_lab))
        };
        let after = Snapshot::compute(after_lab, keys);
        let explanation = explain(&before, &after);
        Ok(StepState {
            before,
            after,
            explanation,
        })
    }

    /// Runs every step and checks its expectations.
    ///
    /// ```
    /// use hashhalo_core::scenario::builtin;
    ///
    /// for id in hashhalo_core::scenario::BUILTIN_IDS {
    ///     let report = builtin(id).unwrap().check().unwrap();
    ///     assert!(report.iter().all(|s| s.failures.is_empty()), "{id}: {report:?}");
    /// }
    /// ```
    pub fn check(&self) -> Result<Vec<StepCheck>, ScenarioError> {
        (1..=self.steps.len())
            .map(|k| {
                let state = self.state_at(k)?;
                let failures = self.steps[k - 1]
                    .expect
                    .iter()
                    .filter_map(|e| self.failure(e, &state))
                    .collect();
                Ok(StepCheck {
                    step: k,
                    headline: state.explanation.headline.clone(),
                    failures,
                })
            })
            .collect()
    }

    /// Why `expect` does not hold for `state`, if it does not.
    fn failure(&self, expect: &Expect, state: &StepState) -> Option<String> {
        let label = |id: ServerId| {
            state
                .after
                .lab()
                .servers
                .iter()
                .chain(&state.before.lab().servers)
                .find(|s| s.id == id)
                .map_or_else(|| format!("server {}", id.0), |s| s.label.clone())
        };
        let m = state.explanation.movement.as_ref();
        let moved_between = |from: Option<ServerId>, to: Option<ServerId>| -> u64 {
            let Some(m) = m else { return 0 };
            let index = |id: ServerId| m.servers.iter().position(|s| *s == id);
            let n = m.matrix.len();
            let mut total = 0;
            for i in 0..n {
                for j in 0..n {
                    let from_ok = from.is_none_or(|f| index(f) == Some(i));
                    let to_ok = to.is_none_or(|t| index(t) == Some(j));
                    if i != j && from_ok && to_ok {
                        total += m.matrix[i][j];
                    }
                }
            }
            total
        };
        match *expect {
            Expect::Moved { min, max } => {
                let f = m.map_or(0.0, |m| m.fraction());
                (!(min..=max).contains(&f)).then(|| {
                    format!(
                        "expected {}–{} % of the keys to move, but {} % did",
                        fixed(min * 100.0, 1),
                        fixed(max * 100.0, 1),
                        fixed(f * 100.0, 1)
                    )
                })
            }
            Expect::AllMovedTo(id) => {
                let all = moved_between(None, None);
                let to = moved_between(None, Some(id));
                (all != to).then(|| {
                    format!(
                        "expected every moved key to go to {}, but {} went elsewhere",
                        label(id),
                        all - to
                    )
                })
            }
            Expect::AllMovedFrom(id) => {
                let all = moved_between(None, None);
                let from = moved_between(Some(id), None);
                (all != from).then(|| {
                    format!(
                        "expected every moved key to come from {}, but {} came from elsewhere",
                        label(id),
                        all - from
                    )
                })
            }
            Expect::Keys { server, min, max } => {
                let slot = state
                    .after
                    .lab()
                    .servers
                    .iter()
                    .position(|s| s.id == server);
                let keys = slot.map_or(0, |i| state.after.key_counts()[i]);
                (!(min..=max).contains(&keys)).then(|| {
                    format!(
                        "expected {} to hold {min}–{max} keys, but it holds {keys}",
                        label(server)
                    )
                })
            }
            Expect::Unavailable { min, max } => {
                let n = state.after.unavailable_keys();
                (!(min..=max).contains(&n)).then(|| {
                    format!("expected {min}–{max} keys with no copy up, but there are {n}")
                })
            }
            Expect::BusiestAtMost(ratio) | Expect::BusiestAtLeast(ratio) => {
                let busiest = state.after.balance().busiest.map_or(0.0, |b| b.1);
                let ok = match expect {
                    Expect::BusiestAtMost(_) => busiest <= ratio,
                    _ => busiest >= ratio,
                };
                (!ok).then(|| {
                    format!(
                        "expected the busiest server at {} {} × its fair share, but it is at {} ×",
                        if matches!(expect, Expect::BusiestAtMost(_)) {
                            "most"
                        } else {
                            "least"
                        },
                        decimal(ratio, 3),
                        fixed(busiest, 3)
                    )
                })
            }
        }
    }
}

pub(crate) fn edit_error(step: usize, index: usize, edit: &Edit, err: &EditError) -> ScenarioError {
    ScenarioError::at(
        step,
        format!("edits[{index}] ({})", edit.name()),
        err.to_string(),
    )
}
