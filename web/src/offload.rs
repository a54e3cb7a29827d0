//! Work on the lab too big for the page's own thread: key sets over [`MAIN_THREAD_KEYS`] keys
//! are generated, read from a pasted list or hashed again in the page's worker, and assigned
//! there too by the algorithms that route key by key (the ring and its presets assign a
//! million sorted keys by one merge in a few milliseconds, so they stay here, and a drag
//! follows the pointer on the page, if slowly at a million keys). Until the worker answers, the ring shows the last state it computed and says what is
//! being made; Cancel puts the lab back as that state was.
//!
//! The state decides what it needs ([`Need`]) after each change and [`ask`]s for it; one job
//! runs at a time, and its answer is kept where the state's memos read it. Starting jobs,
//! reading their arrays and the line that shows their progress ([`crate::offload_jobs`]) are
//! in the split build's chunk of the worker's client, fetched the first time a big key set is
//! asked for.

use std::cell::RefCell;
use std::sync::Arc;

use hashhalo_core::lab::{LabState, PastedKeys};
use hashhalo_core::{HashFn, KeySet, KeySource};
use leptos::prelude::*;

use crate::state::{AppState, Computed, Shared};

/// The most keys the page makes, hashes or assigns on its own thread; more go to the worker.
pub const MAIN_THREAD_KEYS: usize = 100_000;

/// Pasted keys: the key set as it was last hashed, and the record the link keeps of the list.
#[derive(Debug, Clone)]
pub struct Pasted {
    /// The keys, hashed as the algorithm in use when they were pasted hashes keys.
    pub keys: Shared<KeySet>,
    /// What the link records of them.
    pub record: PastedKeys,
}

impl PartialEq for Pasted {
    fn eq(&self, other: &Self) -> bool {
        self.keys == other.keys
    }
}

/// The key set the lab asks for: generated from a source, or pasted keys, hashed with `hash`.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyWant {
    /// Generated from the lab's key source.
    Generated(KeySource, HashFn),
    /// Pasted keys, hashed again if the hash differs from theirs.
    Pasted(Shared<KeySet>, HashFn),
}

impl KeyWant {
    /// The key set, when it is small enough to make on this thread (`None`: the worker
    /// makes it).
    ///
    /// ```
    /// use hashhalo_core::{HashFn, KeySource};
    /// use hashhalo_web::offload::KeyWant;
    ///
    /// let small = KeyWant::Generated(KeySource::default(), HashFn::Xxh3);
    /// assert_eq!(small.here().unwrap().len(), 1000);
    /// let big = KeyWant::Generated(KeySource { count: 200_000, ..KeySource::default() }, HashFn::Xxh3);
    /// assert!(big.here().is_none());
    /// ```
    pub fn here(&self) -> Option<Shared<KeySet>> {
        match self {
            KeyWant::Generated(source, hash) => (source.count as usize <= MAIN_THREAD_KEYS)
                .then(|| Shared(Arc::new(KeySet::generate_with(source, *hash)))),
            KeyWant::Pasted(keys, hash) if keys.hash() == *hash => Some(keys.clone()),
            KeyWant::Pasted(keys, hash) => {
                (keys.len() <= MAIN_THREAD_KEYS).then(|| Shared(Arc::new(keys.rehash(*hash))))
            }
        }
    }
}

/// What the state needs from the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// The key set the lab wants (see [`crate::state::AppState::key_want`]), as it is when
    /// the job starts.
    Keys,
    /// Each key's owner under the lab.
    Owners(Arc<LabState>, Shared<KeySet>),
    /// A pasted list read and hashed for the lab as it is; what is wrong with it goes to the
    /// signal beside the input.
    Paste(Shared<String>, RwSignal<Option<String>>),
}

thread_local! {
    /// The last key set the worker made, and what it was made for.
    static MADE: RefCell<Option<(KeyWant, Shared<KeySet>)>> = const { RefCell::new(None) };
    /// The last state the worker assigned.
    static ASSIGNED: RefCell<Option<Computed>> = const { RefCell::new(None) };
    /// What the worker was last asked for (`None`: nothing, or it was cancelled).
    static ASKED: RefCell<Option<Need>> = const { RefCell::new(None) };
}

// The worker's answers are kept in thread-locals, not signals, and the state's memos learn of
// them through its change count, which the jobs move on when an answer is in: the first load
// then carries no signal type, effect or view of its own for them (their code is the jobs'
// chunk, with the line that shows their progress).

/// The key set the worker made for `want`, if it has.
pub fn made_for(want: &KeyWant) -> Option<Shared<KeySet>> {
    MADE.with_borrow(|m| {
        m.as_ref()
            .filter(|(w, _)| w == want)
            .map(|(_, keys)| keys.clone())
    })
}

/// The state the worker assigned for `lab` over `keys`, if it has.
pub fn assigned_for(lab: &LabState, keys: &KeySet) -> Option<Computed> {
    ASSIGNED.with_borrow(|a| {
        a.as_ref()
            .filter(|c| std::ptr::eq(c.keys().as_ref(), keys) && c.lab() == lab)
            .cloned()
    })
}

/// Keeps what the worker made (the jobs' chunk calls this before moving the change count on).
pub(crate) fn keep(made: Option<(KeyWant, Shared<KeySet>)>, assigned: Option<Computed>) {
    if made.is_some() {
        MADE.with_borrow_mut(|m| *m = made);
    }
    if assigned.is_some() {
        ASSIGNED.with_borrow_mut(|a| *a = assigned);
    }
}

/// Asks the worker for `need` unless it was the last thing asked (`None` ends the job
/// running): the chunk with the jobs is fetched the first time something is needed.
pub fn ask(state: AppState, need: Option<Need>) {
    let same = ASKED.with_borrow(|asked| *asked == need);
    if same {
        return;
    }
    let idle = need.is_none();
    ASKED.with_borrow_mut(|asked| *asked = need);
    if idle && STATE.get().is_none() {
        return;
    }
    STATE.set(Some(state));
    ASKED_ANEW.set(true);
    crate::worker::wake();
}

/// The jobs' chunk could not be fetched: what was asked is asked again on the next change.
pub(crate) fn not_loaded() {
    ASKED.with_borrow_mut(|asked| *asked = None);
}

/// The state that asked, if something was asked since the jobs' chunk last looked (the
/// worker's client is woken for its own requests too).
pub(crate) fn asked_anew() -> Option<AppState> {
    ASKED_ANEW.replace(false).then(|| STATE.get()).flatten()
}

/// Forgets what was asked, so the same need is asked again (after Cancel, an error, or an
/// answer).
pub(crate) fn forget_asked() {
    ASKED.with_borrow_mut(|asked| *asked = None);
}

/// What was last asked, for the jobs' chunk.
pub(crate) fn asked() -> Option<Need> {
    ASKED.with_borrow(Clone::clone)
}

thread_local! {
    /// The state that asked, once anything was (before that, ending a job fetches nothing).
    static STATE: std::cell::Cell<Option<AppState>> = const { std::cell::Cell::new(None) };
    /// Whether something was asked since the jobs' chunk last looked.
    static ASKED_ANEW: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}
