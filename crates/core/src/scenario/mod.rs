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
mod check;
#[cfg(feature = "json")]
mod json;
mod link;
mod spec;
mod validate;

use crate::ServerId;
use crate::edit::{Edit, EditError};
use crate::explain::{Explanation, explain};
use crate::lab::{LabState, Limits};
use crate::snapshot::Snapshot;
use std::fmt;

pub use builtin::{BUILTIN_IDS, builtin, builtin_spec, builtin_text};
#[cfg(feature = "json")]
pub use json::edit_from_json;
pub use spec::{
    EditSpec, ExpectSpec, KeysSpec, ScenarioSpec, ServerSpec, StartSpec, StepSpec, kind_name,
};
pub use validate::{MAX_CHECK_WORK, MAX_ID, MAX_PIN_SHIFTS};

/// The largest scenario file read, in bytes.
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// The longest edit a slide deck's message may carry, in bytes of JSON: the page and the
/// worker refuse a longer one with the same sentence.
pub const MAX_EDIT_BYTES: usize = 64 << 10;
/// The most steps a scenario may have.
pub const MAX_STEPS: usize = 200;
/// The most edits one step may make.
pub const MAX_EDITS: usize = 100;
/// The most expectations one step may have.
pub const MAX_EXPECT: usize = 100;
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
        let after = check::next_state(&before, after_lab);
        let explanation = explain(&before, &after);
        Ok(StepState {
            before,
            after,
            explanation,
        })
    }
}

pub(crate) fn edit_error(step: usize, index: usize, edit: &Edit, err: &EditError) -> ScenarioError {
    ScenarioError::at(
        step,
        format!("edits[{index}] ({})", edit.name()),
        err.to_string(),
    )
}
