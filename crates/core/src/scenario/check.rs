//! Checking a scenario: every step computed once, from the step before, and what it
//! promises compared with what it did.

use std::sync::Arc;

use super::{Expect, Scenario, ScenarioError, StepCheck, StepState, edit_error};
use crate::ServerId;
use crate::explain::explain;
use crate::format::{decimal, fixed};
use crate::lab::{LabState, Limits};
use crate::snapshot::Snapshot;

impl Scenario {
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
        self.validate()?;
        let mut lab = self.start.clone();
        let mut before = Snapshot::generated(lab.clone());
        let mut report = Vec::with_capacity(self.steps.len());
        for (k, step) in self.steps.iter().enumerate() {
            for (e, edit) in step.edits.iter().enumerate() {
                lab.apply_in_place(edit, &Limits::APP)
                    .map_err(|err| edit_error(k + 1, e, edit, &err))?;
            }
            // A step that leaves the lab as it was shares its state.
            let after = if step.edits.is_empty() || lab == *before.lab() {
                before.clone()
            } else {
                next_state(&before, lab.clone())
            };
            let state = StepState {
                explanation: explain(&before, &after),
                before,
                after,
            };
            // Placed once for the step, however many expectations ask.
            let unavailable = step
                .expect
                .iter()
                .any(|e| matches!(e, Expect::Unavailable { .. }))
                .then(|| state.after.unavailable_keys());
            report.push(StepCheck {
                step: k + 1,
                headline: state.explanation.headline.clone(),
                failures: step
                    .expect
                    .iter()
                    .filter_map(|e| failure(e, &state, unavailable.unwrap_or(0)))
                    .collect(),
            });
            before = state.after;
        }
        Ok(report)
    }
}

/// The state of `lab` after `before`: over the same keys when the lab's keys are made the same
/// way (then a ring re-assigns only what changed), over its own keys otherwise.
pub(super) fn next_state(before: &Snapshot, lab: LabState) -> Snapshot {
    let was = before.lab();
    let same_keys = was.keys == lab.keys
        && was.router.algorithm.key_hash(was.router.hash)
            == lab.router.algorithm.key_hash(lab.router.hash);
    let keys = if same_keys {
        Arc::clone(before.keys())
    } else {
        Arc::new(Snapshot::keys_for(&lab))
    };
    Snapshot::compute_after(lab, keys, Some(before))
}

/// Why `expect` does not hold for `state`, if it does not.
fn failure(expect: &Expect, state: &StepState, unavailable: u64) -> Option<String> {
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
            let n = unavailable;
            (!(min..=max).contains(&n))
                .then(|| format!("expected {min}–{max} keys with no copy up, but there are {n}"))
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
