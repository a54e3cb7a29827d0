//! The app's state: the lab configuration in one signal, the memos the core derives from it,
//! and the actions components call. Every change is a core [`Edit`] made through
//! [`AppState::change`] (or a drag's begin/step/end), which keeps the state before it so the
//! movement panel can compare.

use std::sync::Arc;

use hashhalo_core::edit::{Edit, EditError};
use hashhalo_core::explain::{Change, Explanation, explain};
use hashhalo_core::lab::{LabState, Limits, PastedKeys};
use hashhalo_core::link::View;
use hashhalo_core::movement::Movement;
use hashhalo_core::snapshot::Snapshot;
use hashhalo_core::{HashFn, KeySet, Server, ServerId};
use leptos::prelude::*;

use crate::offload::{self, KeyWant, MAIN_THREAD_KEYS, Need, Pasted};
use crate::player::Playing;
use crate::record::Recording;

/// A value shared by pointer, compared by identity: memos of large values notify on every
/// recomputation without comparing their contents.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Shared(Arc::new(T::default()))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// One state of the lab, fully computed: what the ring shows. It is the core's [`Snapshot`],
/// the same computation `hashhalo inspect` runs, compared by identity (two states are the
/// same when they share their parts).
#[derive(Debug, Clone)]
pub struct Computed(pub Snapshot);

impl PartialEq for Computed {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(self.0.lab_shared(), other.0.lab_shared())
            && Arc::ptr_eq(self.0.owners(), other.0.owners())
    }
}

impl std::ops::Deref for Computed {
    type Target = Snapshot;
    fn deref(&self) -> &Snapshot {
        &self.0
    }
}

impl Computed {
    /// The servers of this state.
    pub fn servers(&self) -> &[Server] {
        &self.lab().servers
    }
}

/// Where the keys come from: generated from the lab's key source, or a pasted list.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyOrigin {
    /// Generated from `LabState::keys`.
    Generated,
    /// Pasted or uploaded keys (not kept in the link).
    Custom(Pasted),
}

impl KeyOrigin {
    /// Pasted keys as a list: read, deduplicated and hashed with `hash` here (a list past
    /// [`crate::offload::MAIN_THREAD_KEYS`] keys is read in the worker instead).
    pub fn pasted(keys: Vec<String>, hash: HashFn) -> KeyOrigin {
        let record = PastedKeys::of(&keys);
        KeyOrigin::Custom(Pasted {
            keys: Shared(Arc::new(KeySet::from_keys(keys, hash))),
            record,
        })
    }
}

/// The comparison of the state before the last change with the current one.
#[derive(Debug, Clone, PartialEq)]
pub struct MovementView {
    /// The change in words, as `hashhalo inspect --before` prints it.
    pub explanation: Shared<Explanation>,
    /// Which keys moved and the from→to matrix; `None` when the keys themselves changed, so
    /// nothing moved.
    pub movement: Option<Shared<Movement>>,
    /// Labels of the movement's servers, in order.
    pub labels: Vec<String>,
    /// The keys after the change (`movement.moved` indexes them), hashed as after it.
    pub keys: Shared<KeySet>,
}

/// Everything the components read, shared through context. Copy it freely: it holds only
/// signal handles.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The whole configuration; it is what the link holds.
    pub lab: RwSignal<LabState>,
    /// Where the keys come from.
    pub key_origin: RwSignal<KeyOrigin>,
    /// Messages about the link the app was opened with (values clamped, parts dropped).
    pub notices: RwSignal<Vec<String>>,
    /// The pasted keys the opening link was made with, until the same list is pasted again.
    pub awaited_keys: RwSignal<Option<PastedKeys>>,
    /// The current state, computed.
    pub current: Memo<Computed>,
    /// The state before the last change, if any.
    pub before: RwSignal<Option<Computed>>,
    /// Whether the ring shows the state before the last change instead of the current one.
    pub show_before: RwSignal<bool>,
    /// What the ring shows: `before` when `show_before` is set, else `current`.
    pub shown: Memo<Computed>,
    /// Before against after, when the two key sets can be compared.
    pub movement: Memo<Option<MovementView>>,
    /// The keys the current state cannot serve (every copy on a down server), in words; kept
    /// as it was during a drag, which cannot change which servers are down.
    pub unavailable: Memo<Option<String>>,
    /// Whether a pointer drag is under way.
    pub dragging: RwSignal<bool>,
    /// The selected virtual node, for keyboard moves and "reset to hashed".
    pub selected: RwSignal<Option<(ServerId, u32)>>,
    /// The key typed into the probe.
    pub probe: RwSignal<String>,
    /// Bumped when a change finishes, to start the movement animation.
    pub change_count: RwSignal<u64>,
    /// How the page shows the lab: embedded or not, chrome, theme, read-only.
    pub view: RwSignal<View>,
    /// The scenario being played, if any.
    pub player: RwSignal<Option<Playing>>,
    /// The recording under way, if any.
    pub recording: RwSignal<Option<Recording>>,
    /// The keys in use (empty while the worker makes them).
    key_set: Memo<Shared<KeySet>>,
    /// At the start of a gesture: the comparison before it and the lab, to undo a no-op.
    gesture_start: StoredValue<Option<(Option<Computed>, LabState)>>,
    /// The last edit of the gesture under way, recorded as its step when it ends.
    gesture_edit: StoredValue<Option<Edit>>,
}

/// The bounds the app keeps the lab within.
pub const LIMITS: Limits = Limits::APP;

impl AppState {
    /// The state for `lab`, with `notices` about how it was read.
    pub fn with_lab(lab: LabState, notices: Vec<String>) -> AppState {
        let lab = RwSignal::new(lab);
        let key_origin = RwSignal::new(KeyOrigin::Generated);
        let change_count = RwSignal::new(0u64);
        // The key set depends only on where keys come from and how they are hashed, so a drag
        // never regenerates it. A key set the worker is making is an empty one meanwhile (no
        // lab has none: at least 10 keys are generated, a pasted list has at least one).
        let key_spec = Memo::new(move |_| lab.with(key_spec_of));
        let keys = Memo::new(move |_| {
            let want = key_origin.with(|origin| want_of(origin, key_spec.get()));
            want.here().unwrap_or_else(|| {
                // The worker's answer comes with a change of the count.
                change_count.track();
                offload::made_for(&want).unwrap_or_default()
            })
        });
        // Until the worker has answered, the last state computed stands.
        let current = Memo::new(move |previous: Option<&Computed>| {
            let lab = lab.get();
            let keys = keys.get();
            let here = keys.len() <= MAIN_THREAD_KEYS || lab.router.algorithm.merges();
            if here && !keys.is_empty() {
                return compute(lab, keys, previous);
            }
            if !here {
                change_count.track();
                if let Some(done) = offload::assigned_for(&lab, &keys) {
                    return done;
                }
            }
            match previous {
                Some(previous) => previous.clone(),
                // Opened with a big key set: no keys until the worker's arrive.
                None => compute(lab, keys, None),
            }
        });
        let before = RwSignal::new(None::<Computed>);
        let show_before = RwSignal::new(false);
        let shown = Memo::new(move |_| {
            if show_before.get()
                && let Some(b) = before.get()
            {
                return b;
            }
            current.get()
        });
        // Recomputed when a change finishes, not on every frame of a drag.
        let movement = Memo::new(move |_| {
            change_count.track();
            let b = before.get_untracked()?;
            let a = current.get_untracked();
            movement_between(&b, &a)
        });
        let dragging = RwSignal::new(false);
        let unavailable = Memo::new(move |previous: Option<&Option<String>>| {
            if let Some(previous) = previous
                && dragging.get()
            {
                return previous.clone();
            }
            current.with(|c| hashhalo_core::explain::unavailable(c))
        });
        let state = AppState {
            lab,
            key_origin,
            notices: RwSignal::new(notices),
            awaited_keys: RwSignal::new(None),
            current,
            before,
            show_before,
            shown,
            movement,
            unavailable,
            dragging,
            selected: RwSignal::new(None),
            probe: RwSignal::new(String::new()),
            change_count,
            view: RwSignal::new(View::default()),
            player: RwSignal::new(None),
            recording: RwSignal::new(None),
            key_set: keys,
            gesture_start: StoredValue::new(None),
            gesture_edit: StoredValue::new(None),
        };
        // A lab opened with a big key set asks the worker for it at once.
        state.ask_worker();
        state
    }

    /// The state the original HashHalo simulation starts from.
    pub fn new() -> AppState {
        AppState::with_lab(LabState::default(), Vec::new())
    }

    /// Makes `edit` as one change: the state before it is kept for comparison and the
    /// movement animation starts. An edit the lab refuses changes nothing and says why.
    pub fn change(&self, edit: Edit) -> Result<(), EditError> {
        let next = self.lab.with_untracked(|l| l.apply(&edit, &LIMITS))?;
        self.lab
            .with_untracked(|made_to| self.edited(edit, made_to));
        self.set_lab(next);
        Ok(())
    }

    /// After an edit made by hand, before the lab changes: a scenario being played is marked
    /// changed, and a recording takes the edit as a step.
    fn edited(&self, edit: Edit, made_to: &LabState) {
        self.player.update(|p| {
            if let Some(p) = p {
                p.changed = true;
            }
        });
        self.recording.update(|r| {
            if let Some(r) = r {
                r.push(edit, made_to);
            }
        });
    }

    /// Replaces the whole lab as one change (a link opened in this tab). The new lab's keys
    /// are its generated ones: a link cannot hold pasted keys.
    pub fn replace(&self, lab: LabState) {
        self.stop_recording_for("another lab was opened");
        self.key_origin.set(KeyOrigin::Generated);
        self.set_lab(lab);
    }

    /// Ends a recording the lab is about to leave behind (its steps would no longer replay
    /// from where the next ones are made), and says so.
    pub(crate) fn stop_recording_for(&self, why: &str) {
        if self.recording.with_untracked(Option::is_some) {
            self.recording.set(None);
            self.notices
                .update(|n| n.push(format!("Recording stopped: {why}.")));
        }
    }

    /// Puts `lab` in place as one change, with the keys where they come from now (pasted
    /// keys stay); a recording goes on.
    pub(crate) fn set_lab(&self, lab: LabState) {
        self.before.set(Some(self.current.get_untracked()));
        self.show_before.set(false);
        self.lab.set(lab);
        self.change_count.update(|n| *n += 1);
        self.ask_worker();
    }

    /// Asks the worker for what the lab as it is now needs of it: its keys (past
    /// [`MAIN_THREAD_KEYS`], unless made already), or their owners (for the algorithms that
    /// route key by key), or nothing. Every change of the lab or its keys ends with this.
    pub fn ask_worker(&self) {
        let keys = self.key_set.get_untracked();
        // A small lab, the case of every drag frame, needs nothing and copies nothing.
        let need = if keys.is_empty() {
            Some(Need::Keys)
        } else if keys.len() <= MAIN_THREAD_KEYS {
            None
        } else {
            let lab = self.lab.get_untracked();
            (!lab.router.algorithm.merges() && offload::assigned_for(&lab, &keys).is_none())
                .then(|| Need::Owners(Arc::new(lab), keys))
        };
        offload::ask(*self, need);
    }

    /// Changes where the keys come from, as one change. The lab (and so the link) records
    /// whether pasted keys are in use, and which list; a list too long for the algorithm to
    /// place quickly is refused, and nothing changes.
    pub fn set_key_origin(&self, origin: KeyOrigin) -> Result<(), EditError> {
        self.set_key_origin_with(origin, None)
    }

    /// Changes where the keys come from and makes `edit` (say, a new kind of generated key),
    /// together as one change; nothing changes if either is refused.
    pub fn set_key_origin_with(
        &self,
        origin: KeyOrigin,
        edit: Option<Edit>,
    ) -> Result<(), EditError> {
        let record = match &origin {
            KeyOrigin::Generated => None,
            KeyOrigin::Custom(p) => Some(p.record),
        };
        let mut next = self.lab.get_untracked().with_pasted(record, &LIMITS)?;
        if let Some(edit) = edit {
            let made = next.apply(&edit, &LIMITS)?;
            self.edited(edit, &next);
            next = made;
        }
        // A link opened without its pasted keys said so; pasting them now says it is done.
        if let (Some(pasted), Some(wanted)) = (next.pasted, self.awaited_keys.get_untracked()) {
            self.awaited_keys.set(None);
            self.notices.set(vec![if pasted == wanted {
                "These are the keys the link was made with: the lab is as it was.".into()
            } else {
                format!(
                    "These are not the keys the link was made with ({} keys then, {} now).",
                    hashhalo_core::format::count(u64::from(wanted.count)),
                    hashhalo_core::format::count(u64::from(pasted.count))
                )
            }]);
        }
        self.before.set(Some(self.current.get_untracked()));
        self.show_before.set(false);
        self.key_origin.set(origin);
        self.lab.set(next);
        self.change_count.update(|n| *n += 1);
        self.ask_worker();
        Ok(())
    }

    /// The key set the lab wants now.
    pub fn key_want(&self) -> KeyWant {
        let spec = self.lab.with_untracked(key_spec_of);
        self.key_origin.with_untracked(|o| want_of(o, spec))
    }

    /// Gives up on what the worker is making: the lab goes back to the state the ring shows,
    /// and the keys to that state's (pasted keys are the state's own key set); a lab opened
    /// with a big key set, none shown yet, gets the most keys the page makes itself. What the
    /// shown state was made of stays at hand, so nothing is made again. A recording stops: its
    /// last step was the change given up.
    pub fn cancel_offload(&self) {
        crate::offload_jobs::cancel();
        offload::forget_asked();
        let shown = self.current.get_untracked();
        let mut lab = shown.lab().clone();
        let keys = Arc::clone(shown.keys());
        if keys.is_empty() {
            lab.keys.count = lab.keys.count.min(MAIN_THREAD_KEYS as u32);
            lab.pasted = None;
        }
        let origin = match lab.pasted {
            Some(record) => KeyOrigin::Custom(Pasted {
                keys: Shared(Arc::clone(&keys)),
                record,
            }),
            None => KeyOrigin::Generated,
        };
        if keys.len() > MAIN_THREAD_KEYS {
            let want = want_of(&origin, key_spec_of(&lab));
            let assigned = (!lab.router.algorithm.merges()).then(|| shown.clone());
            offload::keep(Some((want, Shared(keys))), assigned);
        }
        self.stop_recording_for("a change was cancelled");
        if self.key_origin.get_untracked() != origin {
            self.key_origin.set(origin);
        }
        self.lab.set(lab);
        self.before.set(None);
        self.change_count.update(|n| *n += 1);
        self.ask_worker();
    }

    /// Starts a drag (a pointer drag, or a slider held and moved): the state now is the
    /// "before" of the whole gesture.
    pub fn begin_drag(&self) {
        self.gesture_start.set_value(Some((
            self.before.get_untracked(),
            self.lab.get_untracked(),
        )));
        self.before.set(Some(self.current.get_untracked()));
        self.show_before.set(false);
        self.gesture_edit.set_value(None);
        self.dragging.set(true);
    }

    /// One step of a drag: the ring follows live, without starting an animation. A step the
    /// lab refuses is skipped; the drag goes on.
    pub fn drag_step(&self, edit: Edit) {
        if let Ok(next) = self.lab.with_untracked(|l| l.apply(&edit, &LIMITS)) {
            self.gesture_edit.set_value(Some(edit));
            self.lab.set(next);
            self.ask_worker();
        }
    }

    /// One step of a gesture that may not have begun yet (a slider's input events).
    pub fn gesture_step(&self, edit: Edit) {
        if !self.dragging.get_untracked() {
            self.begin_drag();
        }
        self.drag_step(edit);
    }

    /// Ends a drag: the movement since its start is shown and animated. A gesture that
    /// changed nothing (a click on a handle) leaves the previous comparison as it was.
    pub fn end_drag(&self) {
        if !self.dragging.get_untracked() {
            return;
        }
        self.dragging.set(false);
        let start = self.gesture_start.get_value();
        self.gesture_start.set_value(None);
        if let Some((previous, lab)) = &start
            && *lab == self.lab.get_untracked()
        {
            self.before.set(previous.clone());
            return;
        }
        // Every edit of a gesture sets a value (a position, a count), so its last one is the
        // whole gesture: that is what a recording keeps. It was made to the gesture's start.
        if let (Some(edit), Some((_, start_lab))) = (self.gesture_edit.get_value(), start) {
            self.edited(edit, &start_lab);
        }
        self.change_count.update(|n| *n += 1);
    }
}

impl Default for AppState {
    fn default() -> AppState {
        AppState::new()
    }
}

/// The key set a lab's key source (and hash) and where the keys come from ask for.
fn want_of(origin: &KeyOrigin, (source, hash): (hashhalo_core::KeySource, HashFn)) -> KeyWant {
    match origin {
        KeyOrigin::Generated => KeyWant::Generated(source, hash),
        KeyOrigin::Custom(p) => KeyWant::Pasted(p.keys.clone(), hash),
    }
}

fn key_spec_of(l: &LabState) -> (hashhalo_core::KeySource, HashFn) {
    (l.keys, l.router.algorithm.key_hash(l.router.hash))
}

/// The state of `lab` over `keys`, re-assigned from `previous` where the change allows (one
/// frame of a drag moves few keys; see [`Snapshot::compute_after`]).
fn compute(lab: LabState, keys: Shared<KeySet>, previous: Option<&Computed>) -> Computed {
    Computed(Snapshot::compute_after(lab, keys.0, previous.map(|p| &p.0)))
}

/// Compares two states: the change in words, and key by key over the keys they share (see
/// [`Snapshot::movement_from`]).
fn movement_between(b: &Computed, a: &Computed) -> Option<MovementView> {
    let explanation = explain(b, a);
    let movement = explanation
        .movement
        .clone()
        .filter(|_| !matches!(explanation.change, Change::Keys { .. }));
    let all: Vec<&Server> = b.servers().iter().chain(a.servers()).collect();
    let labels = movement
        .as_ref()
        .map(|m| {
            m.servers
                .iter()
                .map(|id| {
                    all.iter()
                        .rev()
                        .find(|s| s.id == *id)
                        .map_or_else(|| "?".into(), |s| s.label.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    Some(MovementView {
        explanation: Shared(Arc::new(explanation)),
        movement: movement.map(|m| Shared(Arc::new(m))),
        labels,
        keys: Shared(Arc::clone(a.keys())),
    })
}
