//! The `hashhalo` binary, driven as a user would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use hashhalo_core::Server;
use hashhalo_core::algorithms::{Algorithm, Router, RouterConfig};

fn hashhalo(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hashhalo"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // A command that rejects its arguments exits without reading stdin, closing the pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// The JSON a successful command printed.
fn json_of(args: &[&str]) -> serde_json::Value {
    let out = hashhalo(args, "");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_original_flow_moves_about_a_quarter_all_to_d() {
    let report = json_of(&[
        "simulate",
        "--keys",
        "data/keys.json",
        "--servers",
        "A,B,C",
        "--add",
        "D",
        "--json",
    ]);
    assert_eq!(report["keys"], 1000);
    let moved = report["moved_fraction"].as_f64().unwrap();
    assert!((0.18..0.32).contains(&moved), "moved {moved}");
    assert!((report["minimum_fraction"].as_f64().unwrap() - 0.25).abs() < 1e-12);
    assert_eq!(report["only_to_added"], true);
    let moved_to = report["moved_to"].as_object().unwrap();
    assert_eq!(moved_to.keys().collect::<Vec<_>>(), ["D"]);
    assert_eq!(
        moved_to["D"].as_u64().unwrap(),
        report["moved"].as_u64().unwrap()
    );
    assert_eq!(report["servers"]["D"]["before"], 0);

    // The text report says the same in words.
    let text = stdout(&hashhalo(
        &[
            "simulate",
            "--keys",
            "data/keys.json",
            "--servers",
            "A,B,C",
            "--add",
            "D",
        ],
        "",
    ));
    assert!(
        text.contains("Adding D moved 229 of 1,000 keys (22.9 %), all of them to D."),
        "{text}"
    );
    assert!(
        text.contains("D's fair share is 25.0 % of the keys (250)"),
        "{text}"
    );
    assert!(!text.contains("minimum"), "{text}");
}

#[test]
fn modulo_moves_most_keys_for_the_same_change() {
    let out = hashhalo(
        &[
            "simulate",
            "--keys",
            "data/keys.json",
            "--servers",
            "A,B,C",
            "--add",
            "D",
            "--algorithm",
            "modulo",
            "--json",
        ],
        "",
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(report["moved_fraction"].as_f64().unwrap() > 0.6);
    assert_eq!(report["only_to_added"], false);
}

#[test]
fn failing_a_server_moves_only_its_keys_away() {
    let out = hashhalo(
        &[
            "simulate",
            "--keys",
            "data/keys.json",
            "--servers",
            "A,B,C",
            "--fail",
            "B",
            "--json",
        ],
        "",
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["servers"]["B"]["after"], 0);
    let from_b: u64 = report["matrix"]["B"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(to, _)| *to != "B")
        .map(|(_, n)| n.as_u64().unwrap())
        .sum();
    assert_eq!(report["moved"].as_u64().unwrap(), from_b);
}

#[test]
fn route_agrees_with_the_core_for_every_algorithm() {
    let keys: Vec<String> = (0..50).map(|i| format!("user:{i}")).collect();
    let servers = [
        Server::new(0, "A"),
        Server::new(1, "B").with_weight(2),
        Server::new(2, "C"),
    ];
    for algorithm in Algorithm::ALL {
        let out = hashhalo(
            &[
                "route",
                "--algorithm",
                algorithm.name(),
                "--server",
                "A",
                "--server",
                "B=2",
                "--server",
                "C",
            ],
            &keys.join("\n"),
        );
        assert!(
            out.status.success(),
            "{algorithm:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let router = Router::build(
            &servers,
            &RouterConfig {
                algorithm,
                ..RouterConfig::default()
            },
        )
        .unwrap();
        // The whole output, line for line: an empty or short output fails here.
        let want: Vec<String> = keys
            .iter()
            .map(|key| {
                let owner = router.route(key.as_bytes()).unwrap();
                let label = &servers.iter().find(|s| s.id == owner).unwrap().label;
                format!("{key}\t{label}")
            })
            .collect();
        let got: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
        assert_eq!(got, want, "{algorithm:?}");
    }
}

#[test]
fn replicas_list_distinct_servers() {
    let out = hashhalo(
        &[
            "route",
            "--server",
            "A",
            "--server",
            "B",
            "--server",
            "C",
            "--replicas",
            "3",
        ],
        "k1\nk2\n",
    );
    assert!(out.status.success());
    assert_eq!(stdout(&out).lines().count(), 2);
    for line in stdout(&out).lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let mut list: Vec<&str> = cols[2].split(',').collect();
        assert_eq!(list[0], cols[1]);
        list.sort();
        assert_eq!(list, ["A", "B", "C"]);
    }
}

#[test]
fn bad_input_is_one_line_on_stderr_and_exit_2() {
    let cases: [&[&str]; 15] = [
        &["experiment", "nope"],
        &["experiment", "size", "--headroom", "2"],
        &["experiment", "a1", "--csv", "--json"],
        &["compare"],
        &["compare", "#1.garbage!"],
        &["route", "--algorithm", "chord", "--server", "A"],
        &["route"],
        &["route", "--server", "A=0"],
        &[
            "simulate",
            "--keys",
            "no/such/file",
            "--servers",
            "A",
            "--add",
            "B",
        ],
        &[
            "simulate",
            "--keys",
            "data/keys.json",
            "--servers",
            "A",
            "--remove",
            "Z",
        ],
        &["frobnicate"],
        &[],
        &["scenario", "check"],
        &["scenario", "show", "nope"],
        &["inspect", "#scenario=nope"],
    ];
    for args in cases {
        let out = hashhalo(args, "key\n");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("hashhalo: "), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn inspect_reads_a_share_link_as_the_core_computes_it() {
    use hashhalo_core::KeySet;
    use hashhalo_core::lab::LabState;
    use hashhalo_core::stats::key_counts;

    let before = LabState::default();
    let mut after = before.clone();
    after.servers.push(Server::new(3, "D"));
    after.servers[0].pin(5, 1 << 62);
    let link = format!("http://127.0.0.1:8080/#{}", after.encode());
    let out = hashhalo(
        &["inspect", &link, "--before", &before.encode(), "--json"],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();

    let router = Router::build(&after.servers, &after.router).unwrap();
    let keys = KeySet::generate_with(&after.keys, router.key_hash());
    let ids: Vec<_> = after.servers.iter().map(|s| s.id).collect();
    let counts = key_counts(&router.assign(&keys), &ids);
    let reported: Vec<u64> = report["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["keys"].as_u64().unwrap())
        .collect();
    assert_eq!(reported, counts);
    assert_eq!(report["servers"][0]["pins"], 1);
    let moved = report["moved"].as_u64().unwrap();
    assert!(moved > 150 && moved < 350, "moved {moved}");

    let bad = hashhalo(&["inspect", "#garbage"], "");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn scenario_check_runs_every_builtin_one_line_each() {
    let out = hashhalo(&["scenario", "check", "--builtin"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        hashhalo_core::scenario::BUILTIN_IDS.len(),
        "{text}"
    );
    for (line, id) in lines.iter().zip(hashhalo_core::scenario::BUILTIN_IDS) {
        assert!(line.starts_with("ok") && line.contains(id), "{line}");
    }
}

#[test]
fn a_shown_scenario_is_a_file_check_reads_and_a_broken_one_names_step_and_field() {
    let dir = std::env::temp_dir().join(format!("hashhalo-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let shown = hashhalo(&["scenario", "show", "node-failure"], "");
    assert!(shown.status.success());
    let file = dir.join("node-failure.json");
    std::fs::write(&file, &shown.stdout).unwrap();
    let ok = hashhalo(&["scenario", "check", file.to_str().unwrap()], "");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        stdout(&ok).starts_with("ok    node-failure"),
        "{}",
        stdout(&ok)
    );

    // A typo in the third step's first edit.
    let mut spec: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    spec["steps"][2]["edits"][0]["server"] = "Zed".into();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, spec.to_string()).unwrap();
    let bad = hashhalo(&["scenario", "check", broken.to_str().unwrap()], "");
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("step 3, edits[0]") && err.contains("\"Zed\""),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn inspect_on_a_scenario_step_says_what_the_core_says_for_it() {
    use hashhalo_core::scenario::builtin;

    let s = builtin("add-server").unwrap();
    let state = s.state_at(2).unwrap();
    let report = json_of(&[
        "inspect",
        "http://127.0.0.1:8080/#scenario=add-server&step=2&embed=1",
        "--json",
    ]);
    assert_eq!(report["headline"], state.explanation.headline.as_str());
    let keys: Vec<u64> = report["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["keys"].as_u64().unwrap())
        .collect();
    assert_eq!(keys, state.after.key_counts().to_vec());
    assert_eq!(keys.len(), 4);
}

#[test]
fn every_command_has_help_that_exits_0() {
    let commands: [&[&str]; 9] = [
        &[],
        &["route"],
        &["simulate"],
        &["inspect"],
        &["scenario"],
        &["scenario", "check"],
        &["compare"],
        &["experiment"],
        &["scenario", "show"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let out = hashhalo(&args, "");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(stdout(&out).contains("Usage:"), "{args:?}");
    }
}

#[test]
fn experiments_print_the_cores_tables() {
    use hashhalo_core::experiment::{Experiment, Inputs, run};
    for e in Experiment::ALL {
        let out = hashhalo(&["experiment", e.name(), "--csv", "--seeds", "5"], "");
        assert!(
            out.status.success(),
            "{}: {}",
            e.name(),
            String::from_utf8_lossy(&out.stderr)
        );
        let inputs = Inputs {
            seeds: 5,
            ..Inputs::default()
        };
        let expected = if e == Experiment::Size {
            hashhalo_core::experiment::size::size(&inputs.size, 5, &mut |_| {}).table
        } else {
            run(e, &inputs, &mut |_| {})
        };
        assert_eq!(stdout(&out), expected.to_csv(), "{}", e.name());
        let json = json_of(&["experiment", e.name(), "--json", "--seeds", "5"]);
        assert_eq!(json["rows"].as_array().unwrap().len(), expected.rows.len());
    }
}

#[test]
fn compare_shows_modulo_moving_n_over_n_plus_one() {
    use hashhalo_core::edit::Edit;
    use hashhalo_core::lab::{LabState, Limits};
    let mut before = LabState::default();
    before.keys.count = 10_000;
    let after = before
        .apply(&Edit::AddServer { label: "D".into() }, &Limits::default())
        .unwrap();
    let (a, b) = (after.encode(), before.encode());
    let out = hashhalo(&["compare", &a, "--before", &b], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("modulo is expected to move n/(n+1) = 75.0 % of the keys"),
        "{text}"
    );
    let json = json_of(&["compare", &a, "--before", &b, "--json"]);
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    let modulo = &rows[0];
    assert_eq!(modulo[0], "modulo");
    let moved = modulo[4].as_f64().unwrap();
    assert!((moved / 10_000.0 - 0.75).abs() < 0.02, "{moved}");
    let ring = &rows[1];
    assert!(ring[4].as_f64().unwrap() < 4_000.0);
    // With --timings the lookup and build columns are there and measured.
    let timed = json_of(&["compare", &a, "--timings", "--json"]);
    let columns: Vec<&str> = timed["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let lookup = columns.iter().position(|&c| c == "lookup").unwrap();
    assert!(timed["rows"][1][lookup].as_f64().unwrap() > 0.0);
}

#[test]
fn a_reader_that_stops_early_ends_the_printing_quietly() {
    // Like `hashhalo experiment hashes | true`: the pipe is closed before anything is written,
    // so the first write fails (the title, or modulo's expected movement, was once printed
    // apart from the table, with println!, which panics on a closed pipe).
    use hashhalo_core::edit::Edit;
    use hashhalo_core::lab::{LabState, Limits};
    let before = LabState::default();
    let after = before
        .apply(&Edit::AddServer { label: "D".into() }, &Limits::default())
        .unwrap();
    let (a, b) = (after.encode(), before.encode());
    let compare = ["compare", a.as_str(), "--before", b.as_str()];
    for args in [&["experiment", "hashes"][..], &compare[..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hashhalo"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(out.status.code().is_some(), "{args:?}: killed by a signal");
    }
}

/// Finding: the CLI echoed a whole 120 KB link in its one-line error, and read a 38 MB key
/// file the page would refuse. It applies the page's caps now, with the page's words, and
/// echoes at most the start of what it was given.
#[test]
fn the_cli_applies_the_pages_caps_and_echoes_little() {
    let link = format!("#scenario={}", "x".repeat(120_000));
    let out = hashhalo(&["inspect", &link], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.len() < 300, "{} bytes: {}", err.len(), &err[..300]);
    assert!(err.contains("(120,010 characters)"), "{err}");

    let dir = std::env::temp_dir().join(format!("hashhalo-cli-caps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("keys.txt");
    let line = "user:0123456789\n";
    std::fs::write(&big, line.repeat(20_000_001 / line.len() + 1)).unwrap();
    let out = hashhalo(
        &[
            "simulate",
            "--keys",
            big.to_str().unwrap(),
            "--servers",
            "A,B",
            "--add",
            "C",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.trim_end()
            .ends_with(hashhalo_core::import::LIST_TOO_LARGE),
        "{err}"
    );

    // A scenario file that goes on after its document is refused, as the page refuses it.
    let shown = hashhalo(&["scenario", "show", "add-server"], "");
    let file = dir.join("two.json");
    let mut text = shown.stdout.clone();
    text.extend_from_slice(b"\n{}\n");
    std::fs::write(&file, text).unwrap();
    let out = hashhalo(&["scenario", "check", file.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("the file goes on after the scenario"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
