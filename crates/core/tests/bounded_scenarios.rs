//! Bounded work for scenarios, in links and in files: one test a finding of the
//! bounded-work issue, each of which failed before its fix.
//!
//! Where a finding was a freeze, the work runs under a watchdog whose limit is many times what
//! the fixed code needs: it catches a freeze, it is not a speed goal (those are in
//! `cargo xtask bench`'s hostile-inputs table).

#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use hashhalo_core::edit::Edit;
use hashhalo_core::lab::LabState;
use hashhalo_core::link::Link;
use hashhalo_core::scenario::{
    Expect, MAX_CHECK_WORK, MAX_EXPECT, Scenario, Step, builtin, edit_from_json,
};
use hashhalo_core::{ServerId, Status};

mod support;
use support::{pinned_and_edited, within};

/// Finding: a 1.18 MB scenario link took 15 s to read, replaying every edit over every pin.
/// Each `set-vnodes` now cuts the pins past the new count instead of visiting them all.
#[test]
fn a_link_of_many_pins_and_edits_reads_at_once() {
    let s = pinned_and_edited();
    let text = s.encode();
    assert!(text.len() > 1_000_000, "{}", text.len());
    let fragment = format!("scenario={text}&step=200");
    let (link, notes) = within(Duration::from_secs(5), move || Link::parse(&fragment));
    assert!(notes.is_empty(), "{notes:?}");
    let (before, now, notes) = within(Duration::from_secs(5), move || link.labs());
    assert!(notes.is_empty(), "{notes:?}");
    // Virtual node 19,980 and on were unpinned by the first step's 999 and never came back.
    assert!(now.servers.iter().all(|s| s.pins.len() == 19_980));
    assert_eq!(before.unwrap().servers, now.servers);
    assert_eq!(
        s.lab_at(200).unwrap().servers[0].pins,
        now.servers[0].pins,
        "the link's lab is the definition's"
    );
}

/// A scenario of `steps` steps over a million keys, each step making `edits`.
fn million_keys(steps: usize, edits: Vec<Edit>) -> Scenario {
    let mut start = LabState::default();
    start.keys.count = 1_000_000;
    Scenario {
        id: "million".into(),
        title: "A million keys".into(),
        about: String::new(),
        start,
        steps: vec![
            Step {
                caption: "Again.".into(),
                edits,
                ..Step::default()
            };
            steps
        ],
    }
}

/// Finding: `scenario check` of 200 steps that change nothing, over a million keys, took
/// 171 s: every step replayed from the start and placed every key twice. The steps are now
/// walked once, each from the one before, and a step that leaves the lab as it was reuses its
/// state.
#[test]
fn checking_many_steps_that_change_nothing_walks_them_once() {
    let s = million_keys(200, vec![Edit::SetKeySeed(1)]);
    let report = within(Duration::from_secs(60), move || s.check().unwrap());
    assert_eq!(report.len(), 200);
    assert!(report.iter().all(|r| r.failures.is_empty()));
    assert!(
        report[199].headline.contains("no key moved"),
        "{}",
        report[199].headline
    );
}

/// Checking walks the steps once, and what it finds is what computing each step on its own
/// finds (`state_at`, from `lab_at`, stays the definition).
#[test]
fn a_check_walked_once_agrees_with_each_step_computed_alone() {
    for id in hashhalo_core::scenario::BUILTIN_IDS {
        let s = builtin(id).unwrap();
        let report = s.check().unwrap();
        for r in &report {
            let alone = s.state_at(r.step).unwrap();
            assert_eq!(
                r.headline, alone.explanation.headline,
                "{id} step {}",
                r.step
            );
        }
    }
}

/// Finding: steps that really change a million keys' placement cost a check seconds each, and
/// nothing bounded how many there were. A scenario is priced before it is computed and
/// refused past the budget, by the file's reader and the link's alike.
#[test]
fn a_check_past_its_budget_is_refused_before_anything_is_computed() {
    // The seed goes back and forth: every step makes a million keys again.
    let edits = |k: u64| vec![Edit::SetKeySeed(k % 2 + 1)];
    let mut s = million_keys(1, edits(0));
    for k in 1..200 {
        s.steps.push(Step {
            caption: "Another seed.".into(),
            edits: edits(k),
            ..Step::default()
        });
    }
    assert!(s.check_work() > MAX_CHECK_WORK);
    let text = s.encode();
    let e = within(Duration::from_secs(5), move || Scenario::decode(&text)).unwrap_err();
    assert!(e.to_string().contains("would take about"), "{e}");
    let e = Scenario::from_json(&s.to_json().unwrap()).unwrap_err();
    assert!(e.to_string().contains("would take about"), "{e}");
    let e = within(Duration::from_secs(5), move || s.check()).unwrap_err();
    assert!(e.to_string().contains("would take about"), "{e}");
}

/// Finding: each `unavailable` expectation placed every key again. They share one placement
/// a step, so a hundred of them cost what one costs.
#[test]
fn unavailable_expectations_share_one_placement() {
    let mut s = million_keys(1, vec![Edit::FailServer(ServerId(1))]);
    // With a second copy of every key, failing one server leaves none without a copy up.
    s.start.replicas = 2;
    s.steps[0].expect = vec![Expect::Unavailable { min: 0, max: 0 }];
    let one = s.check_work();
    s.steps[0].expect = vec![Expect::Unavailable { min: 0, max: 0 }; MAX_EXPECT];
    assert_eq!(s.check_work(), one);
    let report = within(Duration::from_secs(30), move || s.check().unwrap());
    assert!(report[0].failures.is_empty(), "{:?}", report[0].failures);
}

/// A small scenario both readers accept, changed by `change`, read as a link and as a file:
/// both refuse it, with the same message.
fn both_refuse(change: impl Fn(&mut Scenario)) -> String {
    let mut s = builtin("add-server").unwrap();
    change(&mut s);
    let link = Scenario::decode(&s.encode()).unwrap_err().to_string();
    let file = Scenario::from_json(&s.to_json().unwrap())
        .unwrap_err()
        .to_string();
    assert_eq!(link, file);
    link
}

/// Finding: the two readers disagreed. An uppercase id, a 2,400-character caption and an
/// expectation naming a server that is in neither lab opened as a link and were refused as a
/// file; 101 expectations passed as a file and were refused as a link.
#[test]
fn a_link_and_a_file_are_held_to_the_same_limits_with_the_same_words() {
    assert_eq!(
        both_refuse(|s| s.id = "Add-Server".into()),
        "id: an id is 1 to 64 lowercase letters, digits and hyphens"
    );
    assert_eq!(
        both_refuse(|s| s.steps[0].caption = "x".repeat(2400)),
        "step 1, caption: is longer than 600 characters"
    );
    assert_eq!(
        both_refuse(|s| s.steps[1].expect.push(Expect::AllMovedTo(ServerId(40)))),
        format!(
            "step 2, expect[{}].server: there is no server called \"#40\"",
            builtin("add-server").unwrap().steps[1].expect.len()
        )
    );
    assert_eq!(
        both_refuse(|s| s.steps[0].expect = vec![Expect::Moved { min: 0.0, max: 1.0 }; 101]),
        "step 1, expect: a step has at most 100 expectations"
    );
}

/// Finding: huge values gave sentences like "expected 200.0–0.0 %" and "at least 0 ×". Such
/// expectations are refused where they are read, naming the field.
#[test]
fn expectations_that_cannot_hold_are_refused_by_name() {
    assert_eq!(
        both_refuse(|s| s.steps[0].expect = vec![Expect::Moved { min: 2.0, max: 0.0 }]),
        "step 1, expect[0]: cannot hold: fractions are 0 to 1, ratios 0.001 to 1,000, and a \
         least no more than its most"
    );
    assert_eq!(
        both_refuse(|s| s.steps[0].expect = vec![Expect::BusiestAtLeast(0.0001)]),
        "step 1, expect[0]: cannot hold: fractions are 0 to 1, ratios 0.001 to 1,000, and a \
         least no more than its most"
    );
    assert_eq!(
        both_refuse(|s| s.steps[0].expect = vec![Expect::Keys {
            server: ServerId(0),
            min: 9,
            max: 1
        }]),
        "step 1, expect[0]: cannot hold: fractions are 0 to 1, ratios 0.001 to 1,000, and a \
         least no more than its most"
    );
}

/// Finding: text after the first JSON value of a scenario file was ignored, so trailing
/// garbage and a second document passed; a deck message with a second edit appended dropped
/// it silently.
#[test]
fn trailing_data_and_second_documents_are_errors() {
    let text = builtin("add-server").unwrap().to_json().unwrap();
    assert!(Scenario::from_json(&format!("{text}\n\n")).is_ok());
    for tail in ["garbage", "{}", &text] {
        let e = Scenario::from_json(&format!("{text}\n{tail}")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("the file goes on after the scenario"),
            "{e}"
        );
    }
    let lab = LabState::default();
    let one = r#"{"edit": "fail-server", "server": "B"}"#;
    assert!(edit_from_json(one, &lab).is_ok());
    let two = format!(r#"{one} {{"edit": "fail-server", "server": "C"}}"#);
    assert_eq!(
        edit_from_json(&two, &lab).unwrap_err().to_string(),
        "edit: a message carries one edit, and nothing after it"
    );
}

/// A link's step past the end opens the last step and says so, however large the number.
#[test]
fn a_step_past_the_end_of_any_size_opens_the_last() {
    for step in ["4", "18446744073709551616", &"9".repeat(400)] {
        let (link, notes) = Link::parse(&format!("scenario=weights&step={step}"));
        assert_eq!(link.step, 3, "{step}");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].ends_with("showing the last"), "{notes:?}");
    }
    let (_, notes) = Link::parse("scenario=weights&step=-1");
    assert_eq!(notes, ["step \"-1\" is not a number"]);
}

/// A down server's keys with every copy down: the shared placement still counts them.
#[test]
fn the_shared_placement_counts_unavailable_keys() {
    let mut s = builtin("add-server").unwrap();
    s.start.servers[1].status = Status::Down;
    s.steps[0].expect = vec![Expect::Unavailable { min: 1, max: 1_000 }; 3];
    let report = s.check().unwrap();
    assert!(report[0].failures.is_empty(), "{:?}", report[0].failures);
}

/// Found by the `scenario_file` target's structured inputs: writing a scenario as a file
/// copied the whole lab at every edit, so a scenario of 260,000 pins and 20,000 edits (the
/// page's Save, in its worker) took minutes. It is written in one walk now; a file that large
/// is then refused by the reader for its size, never frozen on.
#[test]
fn a_heavy_scenario_is_written_as_a_file_at_once() {
    let s = pinned_and_edited();
    let file = within(Duration::from_secs(10), move || s.to_json().unwrap());
    assert!(file.len() > hashhalo_core::scenario::MAX_FILE_BYTES);
    let e = Scenario::from_json(&file).unwrap_err();
    assert!(
        e.to_string().starts_with("a scenario file is at most"),
        "{e}"
    );
}

/// Found by the `page` target's structured inputs: 20,000 edits that pin and unpin the first
/// virtual node of a server with 20,000 pins each moved every pin after it, seconds of work
/// to read a link. The shifts are counted as the edits are read, and past
/// [`MAX_PIN_SHIFTS`](hashhalo_core::scenario::MAX_PIN_SHIFTS) the scenario is refused.
#[test]
fn edits_that_shift_many_pins_are_refused_at_once() {
    let mut s = pinned_and_edited();
    for step in &mut s.steps {
        step.edits = (0..100)
            .map(|e| {
                if e % 2 == 0 {
                    Edit::UnpinVnode {
                        server: ServerId(0),
                        index: 0,
                    }
                } else {
                    Edit::PinVnode {
                        server: ServerId(0),
                        index: 0,
                        position: 7,
                    }
                }
            })
            .collect();
    }
    let text = s.encode();
    let e = within(Duration::from_secs(5), move || Scenario::decode(&text)).unwrap_err();
    assert!(
        e.to_string()
            .contains("too many edits of pinned virtual nodes"),
        "{e}"
    );
    // A few such edits are fine.
    s.steps.truncate(2);
    assert!(Scenario::decode(&s.encode()).is_ok());
}
