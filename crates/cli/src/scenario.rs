//! `hashhalo scenario`: run scenarios natively and check what each step promises.

use hashhalo_core::scenario::{BUILTIN_IDS, MAX_FILE_BYTES, Scenario, builtin, builtin_spec};

use crate::args::{CheckArgs, ScenarioCommand};

pub fn run(command: &ScenarioCommand) -> Result<(), String> {
    match command {
        ScenarioCommand::Check(a) => check(a),
        ScenarioCommand::Show { id } => {
            find(id)?;
            let spec = builtin_spec(id).expect("every built-in has a spec");
            println!("{}", spec.to_json());
            Ok(())
        }
        ScenarioCommand::List => {
            for id in BUILTIN_IDS {
                let s = find(id)?;
                println!("{id:<16} {} ({} steps)", s.title, s.steps.len());
            }
            Ok(())
        }
    }
}

fn find(id: &str) -> Result<Scenario, String> {
    builtin(id).ok_or_else(|| {
        format!(
            "there is no built-in scenario {id:?}; choose one of {}",
            BUILTIN_IDS.join(", ")
        )
    })
}

/// One line per scenario: `ok  id  n steps, m expectations` or what failed. Any failure is
/// exit status 2, after every scenario has been checked.
fn check(a: &CheckArgs) -> Result<(), String> {
    let scenarios: Vec<Scenario> = match &a.file {
        Some(path) => {
            let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
            if meta.len() > MAX_FILE_BYTES as u64 {
                return Err(format!(
                    "{path:?} is larger than a scenario file may be ({MAX_FILE_BYTES} bytes)"
                ));
            }
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
            vec![Scenario::from_json(&text).map_err(|e| format!("{path}: {e}"))?]
        }
        None => BUILTIN_IDS
            .iter()
            .map(|id| find(id))
            .collect::<Result<_, _>>()?,
    };
    let mut failed = Vec::new();
    for s in &scenarios {
        let expectations: usize = s.steps.iter().map(|step| step.expect.len()).sum();
        match s.check() {
            Ok(report) => {
                let failures: Vec<String> = report
                    .iter()
                    .flat_map(|r| {
                        r.failures
                            .iter()
                            .map(move |f| format!("step {}: {f}", r.step))
                    })
                    .collect();
                if failures.is_empty() {
                    println!(
                        "ok    {:<16} {} steps, {} expectations held",
                        s.id,
                        s.steps.len(),
                        expectations
                    );
                } else {
                    println!("FAIL  {:<16} {}", s.id, failures.join("; "));
                    failed.push(s.id.clone());
                }
            }
            Err(e) => {
                println!("FAIL  {:<16} {e}", s.id);
                failed.push(s.id.clone());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} of {} scenarios failed: {}",
            failed.len(),
            scenarios.len(),
            failed.join(", ")
        ))
    }
}
