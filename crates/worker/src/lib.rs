//! What the page asks its web worker to do: the work that needs code the first load does not
//! carry (JSON, through serde) and the work too long for the page's own thread (the compare
//! view, the experiments). A request is an operation and its text; the answer is text or an
//! error in words, and long work reports its progress on the way. The browser wiring is in `main.rs`; everything here runs natively too.
//!
//! ```
//! use hashhalo_worker::{handle, Request};
//!
//! let file = handle(&Request { op: "write-scenario".into(), text: "s1.!".into(), lab: None });
//! assert!(file.is_err());
//! ```

use std::sync::Arc;

use hashhalo_core::KeySet;
use hashhalo_core::algorithms::Router;
use hashhalo_core::compare::compare;
use hashhalo_core::experiment::{self, Table, tool::Run};
use hashhalo_core::import::parse_key_list;
use hashhalo_core::lab::PastedKeys;
use hashhalo_core::lab::{LabState, Limits};
use hashhalo_core::scenario::{Scenario, Step, edit_from_json};
use hashhalo_core::snapshot::Snapshot;

/// A lab from its link form, clamped as every link's lab is (the page sends its own, but
/// nothing a message carries is trusted).
fn read_lab(text: &str) -> Result<LabState, String> {
    let lab = LabState::decode(text).map_err(|e| e.to_string())?;
    Ok(lab.clamped(&Limits::default()).0)
}

/// A request from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `read-scenario` (a JSON file → its compact form), `write-scenario` (the compact form
    /// → a JSON file), `edit` (an edit as JSON, made to `lab` → a one-step scenario),
    /// `compare` (the lab before the last change, or nothing → the compare report of `lab`),
    /// `experiment` (a run's text form, [`Run::encode`] → its report on `lab`) or
    /// `table-json` (a table's CSV → its JSON).
    pub op: String,
    /// The file, the compact form, the edit, the lab before, the run or the CSV.
    pub text: String,
    /// For `edit`, `compare` and `experiment`: the lab, in its link form.
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
    handle_with(request, None, &mut |_| {})
}

/// A clock in milliseconds (`performance.now()` in the worker).
pub type Clock<'a> = &'a dyn Fn() -> f64;

/// Does what `request` asks, timing the compare view's lookups and builds with `clock` when
/// there is one, and telling `progress` the fraction done of long work.
///
/// ```
/// use hashhalo_core::experiment::table::Report;
/// use hashhalo_core::lab::LabState;
/// use hashhalo_worker::{handle_with, Request};
///
/// let mut heard = Vec::new();
/// let request = Request { op: "experiment".into(), text: "a1_30".into(), lab: Some(LabState::default().encode()) };
/// let text = handle_with(&request, None, &mut |p| heard.push(p)).unwrap();
/// assert_eq!(Report::from_text(&text).unwrap().table.rows.len(), 9);
/// assert_eq!(heard.last(), Some(&1.0));
/// ```
pub fn handle_with(
    request: &Request,
    clock: Option<Clock<'_>>,
    progress: &mut dyn FnMut(f64),
) -> Result<String, String> {
    let lab = || match request.lab.as_deref() {
        Some(text) => read_lab(text),
        None => Ok(LabState::default()),
    };
    match request.op.as_str() {
        "compare" => {
            let after = lab()?;
            let before = if request.text.is_empty() {
                None
            } else {
                Some(read_lab(&request.text)?)
            };
            let keys = Arc::new(Snapshot::keys_for(&after));
            let comparison = compare(&after, before.as_ref(), &keys, clock, progress);
            Ok(comparison.report(clock.is_some()).to_text())
        }
        "experiment" => {
            let run = Run::decode(&request.text)?;
            Ok(experiment::report(&run, &lab()?, progress).to_text())
        }
        "table-json" => Table::from_csv(&request.text)
            .map(|t| t.to_json())
            .map_err(|e| e.to_string()),
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

/// Where a key set comes from, for [`make_keys`].
///
/// ```
/// use hashhalo_worker::KeysFrom;
///
/// assert_ne!(KeysFrom::Generated, KeysFrom::Pasted(String::new()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeysFrom {
    /// The lab's key source.
    Generated,
    /// A pasted or uploaded list, read as [`parse_key_list`] reads it.
    Pasted(String),
    /// A key set, to hash again with the lab's hash.
    Set(KeySet),
}

/// The most keys a list may hold, as the page allows.
pub const MAX_KEYS: usize = Limits::APP.keys.1 as usize;

/// A key set for `lab` (in its link form), hashed as its algorithm hashes keys: generated,
/// read from a list, or hashed again; a list also gives its record for the link. Too big for
/// the page's own thread past 100 000 keys, so the page asks its worker.
///
/// ```
/// use hashhalo_core::lab::LabState;
/// use hashhalo_worker::{make_keys, KeysFrom};
///
/// let lab = LabState::default().encode();
/// let (keys, record) = make_keys(&lab, KeysFrom::Pasted("a\nb\na\n".into()), &mut |_| {}).unwrap();
/// assert_eq!((keys.len(), record.unwrap().count), (2, 2));
/// assert!(make_keys(&lab, KeysFrom::Pasted("  ".into()), &mut |_| {}).is_err());
/// ```
pub fn make_keys(
    lab: &str,
    from: KeysFrom,
    progress: &mut dyn FnMut(f64),
) -> Result<(KeySet, Option<PastedKeys>), String> {
    let lab = read_lab(lab)?;
    let hash = lab.router.algorithm.key_hash(lab.router.hash);
    match from {
        KeysFrom::Generated => Ok((
            KeySet::generate_reporting(&lab.keys, hash, &mut *progress),
            None,
        )),
        KeysFrom::Pasted(text) => {
            let list = parse_key_list(&text, MAX_KEYS).map_err(|e| e.to_string())?;
            progress(0.4);
            let keys = KeySet::from_keys(list, hash);
            progress(1.0);
            let record = PastedKeys::of_set(&keys);
            Ok((keys, Some(record)))
        }
        KeysFrom::Set(keys) => {
            if keys.len() > MAX_KEYS {
                return Err(format!("more than {MAX_KEYS} keys"));
            }
            let keys = keys.rehash(hash);
            progress(1.0);
            Ok((keys, None))
        }
    }
}

/// Each key's owner under `lab` (in its link form), from the keys' positions: a server id,
/// or `u32::MAX` where no server can take the key. The positions must be hashed as the
/// lab's algorithm hashes keys (the page sends a key set [`make_keys`] made for it).
///
/// ```
/// use hashhalo_core::lab::LabState;
/// use hashhalo_worker::assign;
///
/// let owners = assign(&LabState::default().encode(), &[1, 2, u64::MAX]).unwrap();
/// assert!(owners.iter().all(|&o| o < 3));
/// ```
pub fn assign(lab: &str, positions: &[u64]) -> Result<Vec<u32>, String> {
    let lab = read_lab(lab)?;
    if positions.len() > MAX_KEYS {
        return Err(format!("more than {MAX_KEYS} keys"));
    }
    let router = Router::build(&lab.servers, &lab.router).map_err(|e| e.to_string())?;
    Ok(router
        .assign_positions(positions)
        .into_iter()
        .map(|o| o.map_or(u32::MAX, |id| id.0))
        .collect())
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
    fn compare_and_experiments_answer_reports_and_refuse_bad_input() {
        use hashhalo_core::compare::Drawn;
        use hashhalo_core::experiment::table::Report;
        let lab = LabState::default();
        let text = ask("compare", "", Some(lab.encode())).unwrap();
        let report = Report::from_text(&text).unwrap();
        assert_eq!(report.table.rows.len(), 12);
        assert_eq!(Drawn::of(&report).strips.len(), 12);
        // With a clock the timings are columns.
        let timed = handle_with(
            &Request {
                op: "compare".into(),
                text: String::new(),
                lab: Some(lab.encode()),
            },
            Some(&|| 1.0),
            &mut |_| {},
        )
        .unwrap();
        assert!(timed.contains("lookup (ns)"));
        let csv = Report::from_text(&ask("experiment", "hashes_5", Some(lab.encode())).unwrap())
            .unwrap()
            .table
            .to_csv();
        assert!(
            ask("table-json", &csv, None)
                .unwrap()
                .starts_with("{\"columns\"")
        );
        assert!(
            ask("experiment", "nope", None)
                .unwrap_err()
                .contains("no experiment")
        );
        assert!(ask("compare", "garbage", Some(lab.encode())).is_err());
        assert!(ask("table-json", "a,b\n1\n", None).is_err());
    }

    #[test]
    fn big_key_sets_are_made_and_assigned_as_the_page_would_on_its_own() {
        use hashhalo_core::algorithms::Algorithm;
        let mut lab = LabState::default();
        lab.keys.count = 150_000;
        lab.router.algorithm = Algorithm::Rendezvous;
        let (keys, record) = make_keys(&lab.encode(), KeysFrom::Generated, &mut |_| {}).unwrap();
        assert!(record.is_none());
        let page = Snapshot::generated(lab.clone());
        assert_eq!(&keys, page.keys().as_ref());
        let owners = assign(&lab.encode(), keys.positions()).unwrap();
        let expected: Vec<u32> = page.owners().iter().map(|o| o.unwrap().0).collect();
        assert_eq!(owners, expected);
        // Hashed again for nginx, from the parts.
        lab.router.algorithm = Algorithm::Nginx;
        let back = KeySet::from_bytes(&keys.to_bytes()).unwrap();
        let (again, _) = make_keys(&lab.encode(), KeysFrom::Set(back), &mut |_| {}).unwrap();
        assert_eq!(again, keys.rehash(hashhalo_core::HashFn::Crc32));
        assert!(assign("garbage", &[1]).is_err());
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
