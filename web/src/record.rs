//! Recording: what a person does in the sandbox, kept as scenario steps (one edit a step, a
//! drag as its final position), with captions they can change, made into a scenario.

use hashhalo_core::edit::Edit;
use hashhalo_core::lab::LabState;
use hashhalo_core::scenario::{Scenario, ScenarioError, Step};

/// One recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedStep {
    /// What the step says; starts as [`Edit::caption`].
    pub caption: String,
    /// The edits it makes.
    pub edits: Vec<Edit>,
}

/// A recording under way.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    /// The scenario's title.
    pub title: String,
    /// The lab when recording began.
    pub start: LabState,
    /// The steps so far.
    pub steps: Vec<RecordedStep>,
}

impl Recording {
    /// A recording starting from `start`.
    pub fn new(start: LabState) -> Recording {
        Recording {
            title: "My scenario".into(),
            start,
            steps: Vec::new(),
        }
    }

    /// Records `edit`, made to `lab`, as a step.
    pub fn push(&mut self, edit: Edit, lab: &LabState) {
        self.steps.push(RecordedStep {
            caption: edit.caption(lab),
            edits: vec![edit],
        });
    }

    /// Keeps the first `k` steps, and returns the lab they end at (the start with them made),
    /// where the next step will be recorded from.
    pub fn cut(&mut self, k: usize) -> LabState {
        self.steps.truncate(k);
        let mut lab = self.start.clone();
        for edit in self.steps.iter().flat_map(|s| &s.edits) {
            match lab.apply(edit, &hashhalo_core::lab::Limits::APP) {
                Ok(next) => lab = next,
                // Every recorded edit was made once, to this very lab; should one not be made
                // again, the steps from it on go too.
                Err(_) => break,
            }
        }
        lab
    }

    /// The scenario: the start, then the steps; checked as a link's scenario is checked (every
    /// edit can be made, in order).
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        let title = if self.title.trim().is_empty() {
            "My scenario".to_string()
        } else {
            self.title
                .trim()
                .chars()
                .take(hashhalo_core::scenario::MAX_TEXT)
                .collect()
        };
        let scenario = Scenario {
            id: "recorded".into(),
            about: format!("{title}: {} recorded steps.", self.steps.len()),
            title,
            start: self.start.clone(),
            steps: self
                .steps
                .iter()
                .map(|s| Step {
                    caption: s
                        .caption
                        .chars()
                        .take(hashhalo_core::scenario::MAX_TEXT)
                        .collect(),
                    edits: s.edits.clone(),
                    ..Step::default()
                })
                .collect(),
        };
        scenario.lab_at(scenario.steps.len())?;
        Ok(scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hashhalo_core::ServerId;
    use hashhalo_core::lab::Limits;

    #[test]
    fn a_recording_replays_to_where_it_ended() {
        let start = LabState::default();
        let mut r = Recording::new(start.clone());
        let mut lab = start;
        for edit in [
            Edit::AddServer { label: "D".into() },
            Edit::FailServer(ServerId(1)),
            Edit::SetVnodes(10),
        ] {
            r.push(edit.clone(), &lab);
            lab = lab.apply(&edit, &Limits::APP).unwrap();
        }
        r.steps[1].caption = "B goes down.".into();
        let s = r.scenario().unwrap();
        assert_eq!(s.lab_at(3).unwrap(), lab);
        assert_eq!(s.steps[0].caption, "Add server D.");
        assert_eq!(s.steps[1].caption, "B goes down.");
        // Its link form reads back as itself.
        assert_eq!(Scenario::decode(&s.encode()).unwrap(), s);
    }

    #[test]
    fn cutting_steps_goes_back_to_where_the_kept_ones_end() {
        let start = LabState::default();
        let mut r = Recording::new(start.clone());
        let add = Edit::AddServer { label: "D".into() };
        let with_d = start.apply(&add, &Limits::APP).unwrap();
        r.push(add, &start);
        r.push(Edit::FailServer(ServerId(3)), &with_d);
        assert_eq!(r.cut(1), with_d);
        assert_eq!(r.steps.len(), 1);
        assert_eq!(r.cut(0), start);
        assert!(r.steps.is_empty());
    }
}
