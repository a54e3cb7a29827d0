//! Load metrics: the spread of keys and of ring ownership beside the 1/√v expectation.

use hashhalo_core::algorithms::Algorithm;
use hashhalo_core::stats::{Spread, expected_cv, key_counts};
use leptos::prelude::*;

use crate::state::{AppState, Computed};

/// Max/mean and coefficient of variation of keys per up server and of ownership, with the
/// ≈ 1/√v a ring with v virtual nodes should show. Takes no props.
#[component]
pub fn Metrics() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Live during a drag would cost every frame; the figures follow when the drag ends.
    let settled = Memo::new(move |previous: Option<&Option<Computed>>| {
        if state.dragging.get() {
            return previous.cloned().flatten();
        }
        Some(state.shown.get())
    });
    let figures = move || {
        settled.with(|c| {
            let Some(c) = c else {
                return (Spread::of(&[]), Spread::of(&[]), false, None);
            };
            let up: Vec<_> = c
                .servers()
                .iter()
                .filter(|s| s.is_up())
                .map(|s| s.id)
                .collect();
            let counts: Vec<f64> = key_counts(c.owners(), &up)
                .into_iter()
                .map(|n| n as f64)
                .collect();
            let keys = Spread::of(&counts);
            let (shares, exact) = c.router().map(|r| r.ownership()).unwrap_or_default();
            let up_shares: Vec<f64> = c
                .servers()
                .iter()
                .zip(&shares)
                .filter(|(s, _)| s.is_up())
                .map(|(_, &x)| x)
                .collect();
            let own = Spread::of(&up_shares);
            let expected = matches!(
                c.lab().router.algorithm,
                Algorithm::Ring | Algorithm::BoundedLoads
            )
            .then(|| expected_cv(c.lab().router.vnodes));
            (keys, own, exact, expected)
        })
    };
    view! {
        <section class="metrics" aria-label="Metrics">
            <h2>"Balance"</h2>
            <dl>
                <dt>"Keys: max / mean"</dt>
                <dd data-testid="max-over-mean">{move || format!("{:.3}", figures().0.max_over_mean)}</dd>
                <dt>"Keys: coefficient of variation"</dt>
                <dd data-testid="cv-keys">{move || format!("{:.3}", figures().0.cv)}</dd>
                <dt>{move || if figures().2 { "Ownership (exact): CV" } else { "Ownership (expected): CV" }}</dt>
                <dd data-testid="cv-ownership">{move || format!("{:.3}", figures().1.cv)}</dd>
                <dt>"Expected CV ≈ 1/√v"</dt>
                <dd data-testid="cv-expected">{move || figures().3.map_or_else(|| "—".into(), |e| format!("{e:.3}"))}</dd>
            </dl>
        </section>
    }
}
