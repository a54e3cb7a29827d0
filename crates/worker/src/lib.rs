//! What the page asks its web worker to do: the work that needs code the first load does not
//! carry (JSON, through serde). A request is an operation and its text; the answer is text or
//! an error in words. The browser wiring is in `main.rs`; everything here runs natively too.
//!
//! ```
//! use hashhalo_worker::{handle, Request};
//!
//! let file = handle(&Request { op: "write-scenario".into(), text: "s1.!".into(), lab: None });
//! assert!(file.is_err());
//! ```

use hashhalo_core::lab::LabState;
use hashhalo_core::scenario::{Scenario, Step, edit_from_json};

/// A request from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `read-scenario` (a JSON file → its compact form), `write-scenario` (the compact form
    /// → a JSON file) or `edit` (an edit as JSON, made to `lab` → a one-step scenario).
    pub op: String,
    /// The file, the compact form, or the edit.
    pub text: String,
    /// For `edit`: the lab it is made to, in its link form.
    pub lab: Option<String>,
}

/// Does what `request` asks.
///
/// ```
/// use hashhalo_core::scenario::{builtin, Scenario};
/// use hashhalo_worker::{handle, Request};
///
/// let compact = builtin("weights").unwrap().encode();
/// let file = handle(&Request { op: "write-scenario".into(), text: compact.clone(), lab: None }).unwrap();
/// let back = handle(&Request { op: "read-scenario".into(), text: file, lab: None }).unwrap();
/// assert_eq!(Scenario::decode(&back).unwrap(), builtin("weights").unwrap());
/// ```
pub fn handle(request: &Request) -> Result<String, String> {
    match request.op.as_str() {
        "read-scenario" => Scenario::from_json(&request.text)
            .map(|s| s.encode())
            .map_err(|e| e.to_string()),
        "write-scenario" => Scenario::decode(&request.text)
            .and_then(|s| s.to_json())
            .map_err(|e| e.to_string()),
        "edit" => {
            let lab = LabState::decode(request.lab.as_deref().unwrap_or_default())
                .map_err(|e| e.to_string())?;
            let edit = edit_from_json(&request.text, &lab).map_err(|e| e.to_string())?;
            let scenario = Scenario {
                id: "edit".into(),
                title: String::new(),
                about: String::new(),
                start: lab,
                steps: vec![Step {
                    edits: vec![edit],
                    ..Step::default()
                }],
            };
            scenario.lab_at(1).map_err(|e| e.to_string())?;
            Ok(scenario.encode())
        }
        other => Err(format!("the worker does not know {:?}", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hashhalo_core::ServerId;
    use hashhalo_core::edit::Edit;

    fn ask(op: &str, text: &str, lab: Option<String>) -> Result<String, String> {
        handle(&Request {
            op: op.into(),
            text: text.into(),
            lab,
        })
    }

    #[test]
    fn an_edit_comes_back_as_a_one_step_scenario_from_the_lab() {
        let lab = LabState::default();
        let text = ask(
            "edit",
            r#"{"edit":"fail-server","server":"C"}"#,
            Some(lab.encode()),
        )
        .unwrap();
        let s = Scenario::decode(&text).unwrap();
        assert_eq!(s.start, lab);
        assert_eq!(s.steps[0].edits, [Edit::FailServer(ServerId(2))]);
        let bad = ask(
            "edit",
            r#"{"edit":"fail-server","server":"Z"}"#,
            Some(lab.encode()),
        );
        assert!(bad.unwrap_err().contains("\"Z\""));
        // An edit the lab refuses is an error, not a step.
        assert!(
            ask(
                "edit",
                r#"{"edit":"set-vnodes","vnodes":0}"#,
                Some(lab.encode())
            )
            .is_err()
        );
    }

    #[test]
    fn a_broken_file_says_where() {
        let err = ask("read-scenario", r#"{"id":"x","title":"t","start":{"servers":[{"label":"A"}]},"steps":[{"caption":"c","edits":[{"edit":"nope"}]}]}"#, None).unwrap_err();
        assert!(
            err.starts_with("step 1, edits[0].edit: unknown variant `nope`"),
            "{err}"
        );
        assert!(ask("frobnicate", "", None).is_err());
    }
}
