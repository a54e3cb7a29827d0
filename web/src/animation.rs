//! The movement animation: after each change, `progress` runs from 0 to 1 over
//! [`DURATION_MS`] on animation frames, then the loop stops until the next change. Under
//! `prefers-reduced-motion` it jumps straight to 1.

use leptos::prelude::*;

use crate::state::AppState;

/// How long moved keys take to travel, in milliseconds.
pub const DURATION_MS: f64 = 600.0;

/// The animation's clock, shared through context.
#[derive(Clone, Copy)]
pub struct Animation {
    /// From 0 (keys at their old owners) to 1 (arrived; nothing is drawn).
    pub progress: RwSignal<f64>,
    /// The change whose animation was finished early (see [`Animation::finish`]).
    finished: StoredValue<u64>,
}

impl Animation {
    /// Starts an animation after every finished change of `state`.
    pub fn install(state: AppState) -> Animation {
        let progress = RwSignal::new(1.0);
        let finished = StoredValue::new(u64::MAX);
        Effect::new(move |previous: Option<u64>| {
            let generation = state.change_count.get();
            if previous.is_some() && previous != Some(generation) {
                if prefers_reduced_motion() {
                    progress.set(1.0);
                } else {
                    progress.set(0.0);
                    frame(progress, now(), generation, state.change_count, finished);
                }
            }
            generation
        });
        Animation { progress, finished }
    }

    /// Ends the running animation at once, its keys arrived (for an image of the state).
    pub fn finish(&self, state: AppState) {
        self.finished.set_value(state.change_count.get_untracked());
        self.progress.set(1.0);
    }
}

/// One frame: advance, and ask for the next frame only while running and not superseded.
fn frame(
    progress: RwSignal<f64>,
    start: f64,
    generation: u64,
    change_count: RwSignal<u64>,
    finished: StoredValue<u64>,
) {
    request_animation_frame(move || {
        if change_count.get_untracked() != generation || finished.get_value() == generation {
            return;
        }
        let p = ((now() - start) / DURATION_MS).clamp(0.0, 1.0);
        progress.set(p);
        if p < 1.0 {
            frame(progress, start, generation, change_count, finished);
        }
    });
}

fn now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Whether the person asked their system for less motion.
pub fn prefers_reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}
