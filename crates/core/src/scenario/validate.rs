//! The one validator every form of a scenario passes: a link's compact form
//! ([`Scenario::decode`]), a file ([`Scenario::from_json`], through
//! [`ScenarioSpec::compile`](super::ScenarioSpec::compile)) and the built-ins. The same limits
//! and the same messages, naming the step and the field, whichever form a scenario came in.
//!
//! Validating walks the steps once, making each edit on the lab of the step before, so its
//! work is linear in the scenario's length; and it prices what checking the scenario will cost
//! ([`Scenario::check_work`]) before anything is computed, refusing a scenario whose check
//! would run past [`MAX_CHECK_WORK`].

use super::{
    Expect, MAX_EDITS, MAX_EXPECT, MAX_STEPS, MAX_TEXT, Scenario, ScenarioError, edit_error,
};
use crate::ServerId;
use crate::edit::Edit;
use crate::lab::{LabState, Limits};
use crate::work::{MAX_STEP_WORK, key_work, state_work, step_work};

/// The most an id may be long, in characters.
pub const MAX_ID: usize = 64;

/// The most work a scenario's check may ask for, in estimated nanoseconds natively on the
/// project's 2-core machine (see [`Scenario::check_work`]): 5 s, half the 10 s bound, for
/// the machines of our kind that are up to twice as slow.
pub const MAX_CHECK_WORK: u64 = 5_000_000_000;

/// The most pins a scenario's edits may shift, summed over its `pin-vnode` and `unpin-vnode`
/// edits (each inserts or removes a pin in its server's sorted list, moving the pins after it):
/// reading any scenario stays within a few tens of milliseconds natively.
pub const MAX_PIN_SHIFTS: u64 = 1 << 24;

/// `id` if it is 1 to [`MAX_ID`] lowercase letters, digits and hyphens.
pub(crate) fn check_id(id: &str) -> Result<(), ScenarioError> {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if id.is_empty() || id.len() > MAX_ID || !id.chars().all(ok) {
        return Err(ScenarioError::at(
            0,
            "id",
            "an id is 1 to 64 lowercase letters, digits and hyphens",
        ));
    }
    Ok(())
}

/// `start` as the clamp leaves it (pins sorted, the load factor in thousandths), if the clamp
/// has nothing to say of it: a scenario's start is never changed in any other way.
pub(crate) fn check_start(start: &LabState) -> Result<LabState, ScenarioError> {
    let (clamped, notes) = start.clamped(&Limits::APP);
    match notes.first() {
        Some(note) => Err(ScenarioError::at(0, "start", note.clone())),
        None => Ok(clamped),
    }
}

/// `value` if it is at most [`MAX_TEXT`] characters.
pub(crate) fn check_text(step: usize, field: &str, value: &str) -> Result<(), ScenarioError> {
    if value.chars().count() > MAX_TEXT {
        return Err(ScenarioError::at(
            step,
            field,
            format!("is longer than {MAX_TEXT} characters"),
        ));
    }
    Ok(())
}

/// That a scenario has at most [`MAX_STEPS`] steps.
pub(crate) fn check_steps(steps: usize) -> Result<(), ScenarioError> {
    if steps > MAX_STEPS {
        return Err(ScenarioError::at(
            0,
            "steps",
            format!("a scenario has at most {MAX_STEPS} steps"),
        ));
    }
    Ok(())
}

/// That step `step` makes at most [`MAX_EDITS`] edits.
pub(crate) fn check_edits(step: usize, edits: usize) -> Result<(), ScenarioError> {
    if edits > MAX_EDITS {
        return Err(ScenarioError::at(
            step,
            "edits",
            format!("a step makes at most {MAX_EDITS} edits"),
        ));
    }
    Ok(())
}

/// That step `step` promises at most [`MAX_EXPECT`] things.
pub(crate) fn check_expects(step: usize, expects: usize) -> Result<(), ScenarioError> {
    if expects > MAX_EXPECT {
        return Err(ScenarioError::at(
            step,
            "expect",
            format!("a step has at most {MAX_EXPECT} expectations"),
        ));
    }
    Ok(())
}

/// Whether an expectation's values can hold: fractions from 0 to 1, ratios from 0.001 to
/// 1,000, and the least no more than the most. The servers are checked by the caller.
fn values_can_hold(expect: &Expect) -> bool {
    let fraction = |v: f64| (0.0..=1.0).contains(&v);
    match *expect {
        Expect::Moved { min, max } => fraction(min) && fraction(max) && min <= max,
        Expect::Keys { min, max, .. } | Expect::Unavailable { min, max } => min <= max,
        Expect::BusiestAtMost(r) | Expect::BusiestAtLeast(r) => (0.001..=1000.0).contains(&r),
        Expect::AllMovedTo(_) | Expect::AllMovedFrom(_) => true,
    }
}

/// Why the lab of step `step` (0: the start) is too much to compute, and how many keys would
/// not be.
fn step_too_heavy(step: usize, lab: &LabState) -> ScenarioError {
    let most = crate::work::max_keys_of(lab, u32::MAX);
    let said = crate::work::too_many_keys_of(lab, most, "use fewer keys");
    ScenarioError::at(step, "keys", said)
}

/// The server an expectation names, if it names one.
fn server_of(expect: &Expect) -> Option<ServerId> {
    match *expect {
        Expect::AllMovedTo(id) | Expect::AllMovedFrom(id) => Some(id),
        Expect::Keys { server, .. } => Some(server),
        _ => None,
    }
}

impl Scenario {
    /// Checks everything every form of a scenario is held to, walking the steps once: the id,
    /// every text's length, the number of steps, edits and expectations, a start the clamp
    /// leaves alone, every edit made on the lab of its step, every step's lab within the work
    /// budget ([`MAX_STEP_WORK`]), every expectation's values and servers (in the lab before
    /// or after its step), and what checking it would cost ([`Scenario::check_work`]).
    ///
    /// ```
    /// use hashhalo_core::scenario::{builtin, Expect};
    ///
    /// let mut s = builtin("add-server").unwrap();
    /// assert!(s.validate().is_ok());
    /// s.steps[0].expect.push(Expect::Moved { min: 2.0, max: 0.0 });
    /// assert_eq!(s.validate().unwrap_err().to_string(),
    ///     "step 1, expect[0]: cannot hold: fractions are 0 to 1, ratios 0.001 to 1,000, and a \
    ///      least no more than its most");
    /// ```
    pub fn validate(&self) -> Result<(), ScenarioError> {
        self.validated_start().map(drop)
    }

    /// [`Scenario::validate`], giving the start as the clamp leaves it (pins sorted): what a
    /// reader keeps, so the start is clamped once.
    pub(crate) fn validated_start(&self) -> Result<LabState, ScenarioError> {
        let (work, valid) = self.walk();
        let start = valid?;
        if work > MAX_CHECK_WORK {
            return Err(ScenarioError::at(
                0,
                "steps",
                format!(
                    "checking it would take about {} s, past 5 s; use fewer keys or steps",
                    crate::format::fixed(work as f64 / 1e9, 1),
                ),
            ));
        }
        Ok(start)
    }

    /// What checking every step costs ([`Scenario::check`]), priced before anything is
    /// computed, in estimated nanoseconds natively: the start's keys and state, then for each
    /// step that changes the lab its state ([`state_work`]) and its keys where their kind,
    /// count, seed or hash changed ([`key_work`]). A step that changes no server and leaves the
    /// keys, the algorithm's settings and the replicas as they were shares its state and costs
    /// one pass over the keys (10 ns a key: 8.8 ms measured for a million). An expectation
    /// about unavailable keys places the keys once more, with every server up, however many
    /// such expectations the step has. A scenario [`Scenario::validate`] refuses is priced up
    /// to what it refuses.
    ///
    /// ```
    /// use hashhalo_core::edit::Edit;
    /// use hashhalo_core::scenario::{builtin, Step};
    ///
    /// let mut s = builtin("add-server").unwrap();
    /// let before = s.check_work();
    /// s.steps.push(Step { caption: "Nothing.".into(), ..Step::default() });
    /// s.steps.push(Step { edits: vec![Edit::SetKeySeed(9)], ..Step::default() });
    /// assert!(s.check_work() > before);
    /// ```
    pub fn check_work(&self) -> u64 {
        self.walk().0
    }

    /// The one walk over the steps: what checking costs, and whether the scenario is valid
    /// (the first thing wrong; the price then stops there).
    fn walk(&self) -> (u64, Result<LabState, ScenarioError>) {
        let mut work = 0u64;
        let valid = self.walk_pricing(&mut work);
        (work, valid)
    }

    fn walk_pricing(&self, work: &mut u64) -> Result<LabState, ScenarioError> {
        check_id(&self.id)?;
        check_text(0, "title", &self.title)?;
        check_text(0, "about", &self.about)?;
        check_steps(self.steps.len())?;
        let mut lab = check_start(&self.start)?;
        let start = lab.clone();
        let heavy = |n: usize, lab: &LabState| {
            if step_work(lab) > MAX_STEP_WORK {
                return Err(step_too_heavy(n, lab));
            }
            Ok(state_work(lab))
        };
        *work = heavy(0, &lab)? + key_work(&lab);
        let mut shifts = 0u64;
        for (k, step) in self.steps.iter().enumerate() {
            let n = k + 1;
            check_text(n, "caption", &step.caption)?;
            if let Some(w) = &step.watch {
                check_text(n, "watch", w)?;
            }
            if let Some(p) = &step.probe {
                check_text(n, "probe", p)?;
            }
            check_edits(n, step.edits.len())?;
            check_expects(n, step.expect.len())?;
            let before: Vec<ServerId> = lab.servers.iter().map(|s| s.id).collect();
            let was = (lab.keys, lab.router, lab.replicas);
            let key_hash = |r: crate::algorithms::RouterConfig| r.algorithm.key_hash(r.hash);
            let mut servers_edited = false;
            for (e, edit) in step.edits.iter().enumerate() {
                if let Edit::PinVnode { server, .. } | Edit::UnpinVnode { server, .. } = edit {
                    let pins = lab.servers.iter().find(|s| s.id == *server);
                    shifts += pins.map_or(0, |s| s.pins.len() as u64);
                    if shifts > MAX_PIN_SHIFTS {
                        return Err(ScenarioError::at(
                            n,
                            format!("edits[{e}]"),
                            "too many edits of pinned virtual nodes to read at once",
                        ));
                    }
                }
                lab.apply_in_place(edit, &Limits::APP)
                    .map_err(|err| edit_error(n, e, edit, &err))?;
                // An edit of a server, or of every server's points, changes the servers; the
                // others are compared by value below.
                servers_edited |= edit.server().is_some()
                    || matches!(edit, Edit::AddServer { .. } | Edit::SetVnodes(_));
            }
            let state = heavy(n, &lab)?;
            let keys = u64::from(lab.keys.count);
            let same = !servers_edited && was == (lab.keys, lab.router, lab.replicas);
            *work = work.saturating_add(if same { keys * 10 } else { state });
            if lab.keys != was.0 || key_hash(lab.router) != key_hash(was.1) {
                *work = work.saturating_add(key_work(&lab));
            }
            for (x, expect) in step.expect.iter().enumerate() {
                if !values_can_hold(expect) {
                    return Err(ScenarioError::at(
                        n,
                        format!("expect[{x}]"),
                        "cannot hold: fractions are 0 to 1, ratios 0.001 to 1,000, and a least \
                         no more than its most",
                    ));
                }
                if let Some(id) = server_of(expect)
                    && !before.contains(&id)
                    && lab.servers.iter().all(|s| s.id != id)
                {
                    return Err(ScenarioError::at(
                        n,
                        format!("expect[{x}].server"),
                        // As a file names a server no lab has (`to_spec`), so both forms
                        // of one scenario say the same.
                        format!(
                            "there is no server called {}",
                            crate::format::quoted(&format!("#{}", id.0))
                        ),
                    ));
                }
            }
            if step
                .expect
                .iter()
                .any(|e| matches!(e, Expect::Unavailable { .. }))
            {
                *work = work.saturating_add(state);
            }
        }
        Ok(start)
    }
}
