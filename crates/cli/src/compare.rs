//! `hashhalo compare`: every algorithm on a link's servers and keys, as the page's compare
//! view shows them.

use std::sync::Arc;
use std::time::Instant;

use hashhalo_core::compare::compare;
use hashhalo_core::snapshot::Snapshot;

use crate::args::CompareArgs;
use crate::experiment::print_table;

pub fn run(a: &CompareArgs) -> Result<(), String> {
    let (step_before, lab, _) = crate::inspect::read(&a.link)?;
    let before = match &a.before {
        Some(link) => Some(crate::inspect::read(link)?.1),
        None => step_before,
    };
    let keys = Arc::new(Snapshot::keys_for(&lab));
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64() * 1000.0;
    let comparison = compare(
        &lab,
        before.as_ref(),
        &keys,
        a.timings.then_some(&clock as &dyn Fn() -> f64),
        &mut |_| {},
    );
    let preamble = comparison
        .modulo_expected
        .map(|expected| {
            format!(
                "modulo is expected to move n/(n+1) = {} of the keys for this change\n",
                hashhalo_core::format::percent(expected, 1)
            )
        })
        .unwrap_or_default();
    print_table(&comparison.table(a.timings), &a.format, &preamble);
    Ok(())
}
