//! Scenario files: JSON, read with `serde_json` (errors name the step and the field) and
//! written back. Built only with the `json` feature (the CLI, the worker and the tests); the
//! browser app reads scenarios in their compact link form.

use super::{MAX_EDIT_BYTES, MAX_FILE_BYTES, Scenario, ScenarioError, ScenarioSpec};

#[cfg(feature = "json")]
impl Scenario {
    /// Reads a scenario file (JSON, see `docs/scenarios.md`). Errors name the step and the
    /// field: "step 2, edits[0].server: there is no server called \"Z\"".
    ///
    /// ```
    /// use hashhalo_core::scenario::Scenario;
    ///
    /// let text = r#"{"id": "mine", "title": "Add D",
    ///     "start": {"servers": [{"label": "A"}, {"label": "B"}, {"label": "C"}]},
    ///     "steps": [{"caption": "Add D.", "edits": [{"edit": "add-server", "label": "D"}],
    ///                "expect": [{"expect": "all-moved-to", "server": "D"}]}]}"#;
    /// let s = Scenario::from_json(text).unwrap();
    /// assert_eq!(s.steps[0].edits.len(), 1);
    /// let bad = text.replace("add-server", "add-sever");
    /// assert!(Scenario::from_json(&bad).unwrap_err().to_string()
    ///     .starts_with("step 1, edits[0].edit: unknown variant `add-sever`"));
    /// ```
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(ScenarioError::at(
                0,
                "",
                format!(
                    "a scenario file is at most {} bytes",
                    crate::format::count(MAX_FILE_BYTES as u64)
                ),
            ));
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let spec: ScenarioSpec = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let message = e.inner().to_string();
            // "steps[2].edits[0].server" is step 3, field "edits[0].server".
            match path
                .strip_prefix("steps[")
                .and_then(|rest| rest.split_once(']'))
            {
                Some((n, rest)) if n.parse::<usize>().is_ok() => ScenarioError::at(
                    n.parse::<usize>().unwrap_or(0) + 1,
                    rest.trim_start_matches('.'),
                    message,
                ),
                _ => ScenarioError::at(
                    0,
                    if path == "." || path == "?" {
                        String::new()
                    } else {
                        path
                    },
                    message,
                ),
            }
        })?;
        // One document, and nothing after it but white space.
        de.end().map_err(|e| {
            ScenarioError::at(
                0,
                "",
                format!(
                    "the file goes on after the scenario (line {}): {e}",
                    e.line()
                ),
            )
        })?;
        spec.compile()
    }

    /// The scenario as a JSON file, as [`Scenario::from_json`] reads it.
    ///
    /// ```
    /// use hashhalo_core::scenario::{builtin, Scenario};
    ///
    /// let s = builtin("node-failure").unwrap();
    /// assert_eq!(Scenario::from_json(&s.to_json().unwrap()).unwrap(), s);
    /// ```
    pub fn to_json(&self) -> Result<String, ScenarioError> {
        let spec = self.to_spec()?;
        Ok(spec.to_json())
    }
}

#[cfg(feature = "json")]
impl ScenarioSpec {
    /// The authoring form as a JSON file.
    ///
    /// ```
    /// use hashhalo_core::scenario::{builtin_spec, Scenario};
    ///
    /// let spec = builtin_spec("add-server").unwrap();
    /// assert_eq!(Scenario::from_json(&spec.to_json()).unwrap(), spec.compile().unwrap());
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario's fields are all writable as JSON")
    }
}

/// An edit written as a scenario file writes one (`{"edit": "fail-server", "server": "B"}`),
/// made to `lab`: what a slide deck's `edit` command carries. Errors name the field.
///
/// ```
/// use hashhalo_core::edit::Edit;
/// use hashhalo_core::lab::LabState;
/// use hashhalo_core::scenario::edit_from_json;
/// use hashhalo_core::ServerId;
///
/// let lab = LabState::default();
/// let edit = edit_from_json(r#"{"edit": "fail-server", "server": "B"}"#, &lab).unwrap();
/// assert_eq!(edit, Edit::FailServer(ServerId(1)));
/// assert!(edit_from_json(r#"{"edit": "fail-server", "server": "Q"}"#, &lab).is_err());
/// ```
#[cfg(feature = "json")]
pub fn edit_from_json(
    text: &str,
    lab: &crate::lab::LabState,
) -> Result<crate::edit::Edit, ScenarioError> {
    if text.len() > MAX_EDIT_BYTES {
        return Err(ScenarioError::at(
            0,
            "edit",
            "an edit is at most 64 KiB of JSON",
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let spec: super::EditSpec = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| ScenarioError::at(0, e.path().to_string(), e.inner().to_string()))?;
    de.end().map_err(|_| {
        ScenarioError::at(
            0,
            "edit",
            "a message carries one edit, and nothing after it",
        )
    })?;
    spec.resolve(lab)
        .map_err(|(field, message)| ScenarioError::at(0, field, message))
}
