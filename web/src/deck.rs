//! Living inside a slide deck. The keys the page does not use go to the deck (reveal.js reads
//! `{"method":"triggerKey","args":[keyCode]}`, a JSON string, from any frame), so a presenter's
//! clicker keeps driving it while the page has focus; the step keys at the first and last step
//! go too when the link says `edges=deck`. Commands arrive by `postMessage`, namespaced and
//! checked to come from the parent, and the page reports what it shows (see `docs/embed.md`).
//! The decisions are pure functions ([`key_action`], [`Command::read`]); the rest is wiring.

use std::cell::RefCell;
use std::collections::VecDeque;

use hashhalo_core::link::Edges;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::deferred::NotLoaded;
use crate::state::AppState;

/// What a key pressed on the page does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    /// The scenario's next step.
    Next,
    /// The step before.
    Prev,
    /// Nothing here: the deck gets it.
    Forward,
    /// Nothing at all (a control used it, or it is not a deck's key).
    Ignore,
}

/// Where a key was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyContext {
    /// The page is inside another page's frame.
    pub framed: bool,
    /// The scenario's step and its number of steps, when one is played.
    pub playing: Option<(usize, usize)>,
    /// What the step keys do at the first and last step.
    pub edges: Edges,
    /// A control of the page handled the key already (the ring's arrows, a button's Space).
    pub handled: bool,
    /// The key was pressed in a text field, a button or another control.
    pub in_control: bool,
    /// Ctrl, Alt or Meta was held.
    pub modified: bool,
    /// The deck steps the scenario itself (it sent `goto`, as the reveal.js script does for
    /// its fragments), so the step keys go to the deck, which then says which step to show:
    /// stepping here too would put the frame and the deck's fragments out of step.
    pub deck_steps: bool,
}

/// The step keys: a clicker's PageDown and PageUp, and the arrows and Space a deck uses.
fn step_key(key: &str) -> Option<bool> {
    match key {
        "PageDown" | "ArrowRight" | "ArrowDown" | " " => Some(true),
        "PageUp" | "ArrowLeft" | "ArrowUp" => Some(false),
        _ => None,
    }
}

/// What `key` does in `ctx`. A clicker's keys (PageDown, PageUp) always step or go to the
/// deck, even with a button focused; other keys only when no control has the focus. Tab is
/// never taken: it moves the focus through the page.
///
/// ```
/// use hashhalo_core::link::Edges;
/// use hashhalo_web::deck::{key_action, KeyAction, KeyContext};
///
/// let ctx = KeyContext { framed: true, playing: Some((1, 3)), edges: Edges::Deck,
///     handled: false, in_control: false, modified: false, deck_steps: false };
/// assert_eq!(key_action("PageDown", &ctx), KeyAction::Next);
/// assert_eq!(key_action("f", &ctx), KeyAction::Forward);
/// let last = KeyContext { playing: Some((3, 3)), ..ctx };
/// assert_eq!(key_action("PageDown", &last), KeyAction::Forward);
/// ```
pub fn key_action(key: &str, ctx: &KeyContext) -> KeyAction {
    let clicker = matches!(key, "PageDown" | "PageUp");
    if key == "Tab" || ctx.handled || ctx.modified || (ctx.in_control && !clicker) {
        return KeyAction::Ignore;
    }
    let forward = if ctx.framed {
        KeyAction::Forward
    } else {
        KeyAction::Ignore
    };
    let (Some(next), Some((step, steps))) = (step_key(key), ctx.playing) else {
        return forward;
    };
    if ctx.deck_steps && ctx.framed {
        return forward;
    }
    let at_edge = if next { step >= steps } else { step == 0 };
    match (at_edge, ctx.edges) {
        (false, _) if next => KeyAction::Next,
        (false, _) => KeyAction::Prev,
        (true, Edges::Deck) => forward,
        (true, Edges::Stay) => KeyAction::Ignore,
    }
}

/// A command from the parent page.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// The next step.
    Next,
    /// The step before.
    Prev,
    /// Step `n` (0: the start).
    Goto(usize),
    /// An edit, as a scenario file writes one (JSON text).
    Edit(String),
    /// Report the state now.
    GetState,
}

impl Command {
    /// The command in a message's fields: `hashhalo` must be 1; anything else is not for us
    /// and is ignored (`None`).
    ///
    /// ```
    /// use hashhalo_web::deck::Command;
    ///
    /// assert_eq!(Command::read(Some(1.0), Some("goto"), Some(2.0), None), Some(Command::Goto(2)));
    /// assert_eq!(Command::read(None, Some("next"), None, None), None);
    /// assert_eq!(Command::read(Some(1.0), Some("goto"), Some(-1.0), None), None);
    /// ```
    pub fn read(
        hashhalo: Option<f64>,
        command: Option<&str>,
        step: Option<f64>,
        edit: Option<String>,
    ) -> Option<Command> {
        if hashhalo != Some(1.0) {
            return None;
        }
        Some(match command? {
            "next" => Command::Next,
            "prev" => Command::Prev,
            "goto" => {
                let n = step.filter(|n| n.is_finite() && *n >= 0.0 && n.fract() == 0.0)?;
                Command::Goto(n.min(1e6) as usize)
            }
            "edit" => Command::Edit(edit?),
            "get-state" => Command::GetState,
            _ => return None,
        })
    }
}

/// Whether the page is seen: what reveal.js said last (`slide:start` or `slide:stop`;
/// `index.html` keeps what it said before the app started, in `window.__hashhaloSlide`), and
/// whether the page is on screen at all (a frame in a slide not shown, or scrolled away, is
/// not). Shared through context.
#[derive(Clone, Copy)]
pub struct Seen {
    /// The deck shows the slide (or never said otherwise).
    pub deck: RwSignal<bool>,
    /// Some of the page is on screen.
    pub on_screen: RwSignal<bool>,
}

impl Seen {
    /// The page's, made on first use.
    pub fn get() -> Seen {
        if let Some(s) = use_context::<Seen>() {
            return s;
        }
        let early = js_sys::Reflect::get(&window(), &JsValue::from_str("__hashhaloSlide"))
            .ok()
            .and_then(|v| v.as_string());
        let seen = Seen {
            deck: RwSignal::new(early.as_deref() != Some("slide:stop")),
            on_screen: RwSignal::new(true),
        };
        watch_on_screen(seen.on_screen);
        provide_context(seen);
        seen
    }
}

/// Whether autoplay may step: the page is seen (see [`Seen`]).
pub fn slide_shown() -> Signal<bool> {
    let seen = Seen::get();
    Signal::derive(move || seen.deck.get() && seen.on_screen.get())
}

/// Sets `on_screen` whenever the page's body enters or leaves the screen (an intersection
/// observer measures against the top page's viewport, through any frames).
fn watch_on_screen(on_screen: RwSignal<bool>) {
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(entry) = entries
            .iter()
            .last()
            .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
        {
            on_screen.set(entry.is_intersecting());
        }
    });
    if let (Ok(observer), Some(body)) = (
        web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()),
        document().body(),
    ) {
        observer.observe(&body);
    }
    callback.forget();
}

fn framed() -> bool {
    window()
        .parent()
        .ok()
        .flatten()
        .is_some_and(|p| p != window())
}

/// Posts `message` to the parent page as reveal.js reads messages: a JSON string.
fn to_parent(message: &str) {
    if let Some(parent) = window().parent().ok().flatten()
        && framed()
    {
        let _ = parent.post_message(&JsValue::from_str(message), "*");
    }
}

/// The longest message, or edit in it, the page reads: 64 KiB (an edit is a few dozen bytes).
const MAX_MESSAGE_CHARS: usize = 64 * 1024;

/// Posts an event to the parent page: an object with `hashhalo: 1` and `event`.
fn event(name: &str, fields: &[(&str, JsValue)]) {
    if !framed() {
        return;
    }
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"hashhalo".into(), &JsValue::from_f64(1.0));
    let _ = js_sys::Reflect::set(&o, &"event".into(), &JsValue::from_str(name));
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    if let Some(parent) = window().parent().ok().flatten() {
        let _ = parent.post_message(&o, "*");
    }
}

fn is_control(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(
        el.tag_name().to_ascii_lowercase().as_str(),
        "input" | "textarea" | "select" | "button" | "a" | "summary"
    ) || el
        .get_attribute("role")
        .is_some_and(|r| r == "slider" || r == "radio")
}

/// Installs the key forwarding, the command listener and the events.
pub fn install(state: AppState) {
    let shown = Seen::get().deck;
    let deck_steps = StoredValue::new(false);
    // Keys, after the page's own controls had their turn (they call preventDefault).
    let on_key =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
            let ctx = KeyContext {
                framed: framed(),
                playing: state
                    .player
                    .with_untracked(|p| p.as_ref().map(|p| (p.step, p.steps()))),
                edges: state.view.with_untracked(|v| v.edges),
                handled: ev.default_prevented(),
                in_control: is_control(ev.target()),
                modified: ev.ctrl_key() || ev.alt_key() || ev.meta_key(),
                deck_steps: deck_steps.get_value(),
            };
            match key_action(&ev.key(), &ctx) {
                KeyAction::Next => {
                    ev.prevent_default();
                    state.set_autoplay(false);
                    state.next_step();
                }
                KeyAction::Prev => {
                    ev.prevent_default();
                    state.set_autoplay(false);
                    state.prev_step();
                }
                KeyAction::Forward => {
                    ev.prevent_default();
                    to_parent(&format!(
                        "{{\"method\":\"triggerKey\",\"args\":[{}]}}",
                        ev.key_code()
                    ));
                }
                KeyAction::Ignore => {}
            }
        });
    let _ = window().add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    on_key.forget();

    // Messages: reveal.js's slide:start / slide:stop, and our commands, from the parent only.
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let from_parent = match (ev.source(), window().parent().ok().flatten()) {
                (Some(source), Some(parent)) => {
                    let parent: JsValue = parent.into();
                    JsValue::from(source) == parent
                }
                _ => false,
            };
            if !from_parent || !framed() {
                return;
            }
            let data = ev.data();
            // Nothing we read is long: a huge string is not copied into the page's memory.
            if data
                .dyn_ref::<js_sys::JsString>()
                .is_some_and(|t| t.length() as usize > MAX_MESSAGE_CHARS)
            {
                return;
            }
            match data.as_string().as_deref() {
                Some("slide:start") => return shown.set(true),
                Some("slide:stop") => return shown.set(false),
                // A command is an object, or the same as a JSON string; anything else is not
                // for us (and does not wait in line).
                Some(text) if !text.starts_with('{') => return,
                None if !data.is_object() => return,
                _ => {}
            }
            let queued = COMMANDS.with_borrow_mut(|c| {
                if c.len() >= MAX_WAITING_COMMANDS {
                    return false;
                }
                c.push_back(data);
                true
            });
            if !queued {
                event(
                    "error",
                    &[(
                        "message",
                        JsValue::from_str(
                            "too many commands are waiting; send the next when the page reports",
                        ),
                    )],
                );
                return;
            }
            leptos::task::spawn_local(async move {
                if run_commands(state, deck_steps).await.is_err() {
                    COMMANDS.with_borrow_mut(VecDeque::clear);
                    event("error", &[("message", JsValue::from_str(NOT_LOADED))]);
                }
            });
        });
    let _ =
        window().add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();

    // Events: ready once, the step when it changes, the state after every change.
    event("ready", &[]);
    // In a frame, the code for commands is fetched now, after the first view, so a deck
    // that goes offline later can still drive the slide.
    if framed() {
        leptos::task::spawn_local(async {
            let _ = preload_commands().await;
        });
    }
    let at = Memo::new(move |_| {
        state
            .player
            .with(|p| p.as_ref().map(|p| (p.step, p.steps(), p.caption().0)))
    });
    Effect::new(move |_| {
        if let Some((step, steps, caption)) = at.get() {
            event(
                "step",
                &[
                    ("step", JsValue::from_f64(step as f64)),
                    ("steps", JsValue::from_f64(steps as f64)),
                    ("caption", JsValue::from_str(&caption)),
                ],
            );
        }
    });
    Effect::new(move |_| {
        state.movement.track();
        report_state(state);
    });
    let height = move || {
        let width = window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(960.0);
        event(
            "height",
            &[("height", JsValue::from_f64((width * 9.0 / 16.0).ceil()))],
        );
    };
    height();
    let on_resize = Closure::<dyn Fn()>::new(height);
    let _ = window().add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    on_resize.forget();
}

/// The most commands waiting for the code that makes them (see [`run_commands`]); more are
/// refused with an `error` event.
const MAX_WAITING_COMMANDS: usize = 64;

thread_local! {
    /// Commands from the parent not yet made, in the order they came.
    static COMMANDS: RefCell<VecDeque<JsValue>> = const { RefCell::new(VecDeque::new()) };
}

/// What the parent hears when the code for commands cannot be fetched.
const NOT_LOADED: &str =
    "the page's code for commands could not be loaded; the commands waiting were dropped";

/// Makes every waiting command, oldest first: a split point in the split build, fetched after
/// the first view in a frame and on the first command otherwise (a page outside a frame
/// never fetches it); if it cannot be, `NotLoaded`.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(
    deck_commands,
    wasm_split_path = ::leptos::wasm_split,
    fallible,
    preload(preload_commands)
)]
fn run_commands(state: AppState, deck_steps: StoredValue<bool>) -> Result<(), NotLoaded> {
    run_commands_now(state, deck_steps);
    Ok(())
}

/// Makes every waiting command, oldest first.
#[cfg(not(feature = "split"))]
async fn run_commands(state: AppState, deck_steps: StoredValue<bool>) -> Result<(), NotLoaded> {
    run_commands_now(state, deck_steps);
    Ok(())
}

/// Fetches the code for commands (nothing to fetch when the build is not split).
#[cfg(not(feature = "split"))]
async fn preload_commands() -> Result<(), NotLoaded> {
    Ok(())
}

fn run_commands_now(state: AppState, deck_steps: StoredValue<bool>) {
    while let Some(data) = COMMANDS.with_borrow_mut(VecDeque::pop_front) {
        run_command(state, deck_steps, data);
    }
}

/// Makes one command from the parent (`data`: an object, or the same as a JSON string).
fn run_command(state: AppState, deck_steps: StoredValue<bool>, data: JsValue) {
    let data = match data.as_string() {
        Some(text) if text.starts_with('{') => js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL),
        _ => data,
    };
    if !data.is_object() {
        return;
    }
    let get = |k: &str| js_sys::Reflect::get(&data, &JsValue::from_str(k)).ok();
    let edit = get("edit")
        .filter(|e| e.is_object())
        .and_then(|e| js_sys::JSON::stringify(&e).ok())
        .and_then(|s| s.as_string());
    let command = Command::read(
        get("hashhalo").and_then(|v| v.as_f64()),
        get("command").and_then(|v| v.as_string()).as_deref(),
        get("step").and_then(|v| v.as_f64()),
        edit,
    );
    match command {
        Some(Command::Next) => {
            state.next_step();
        }
        Some(Command::Prev) => {
            state.prev_step();
        }
        Some(Command::Goto(k)) => {
            deck_steps.set_value(true);
            state.goto_step(k);
        }
        Some(Command::Edit(_)) if state.view.with_untracked(|v| v.readonly) => {
            event(
                "error",
                &[(
                    "message",
                    JsValue::from_str("this lab is read-only (readonly=1): it takes no edits"),
                )],
            );
        }
        Some(Command::Edit(json)) if json.len() > hashhalo_core::scenario::MAX_EDIT_BYTES => {
            event(
                "error",
                &[(
                    "message",
                    JsValue::from_str("an edit is at most 64 KiB of JSON"),
                )],
            );
        }
        Some(Command::Edit(json)) => crate::worker::edit(state, json, |e| {
            event("error", &[("message", JsValue::from_str(&e))]);
        }),
        Some(Command::GetState) => report_state(state),
        None => {}
    }
}

/// Reports the state: the movement line, the keys moved, the step, and the page's link.
fn report_state(state: AppState) {
    let (headline, moved) = state.movement.with_untracked(|m| match m {
        Some(v) => (
            v.explanation.headline.clone(),
            v.movement.as_ref().map(|m| m.moved.len() as f64),
        ),
        None => (String::new(), None),
    });
    let step = state
        .player
        .with_untracked(|p| p.as_ref().map(|p| p.step as f64));
    let keys = state.current.with_untracked(|c| c.keys().len() as f64);
    let opt = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from_f64);
    event(
        "state",
        &[
            ("headline", JsValue::from_str(&headline)),
            ("moved", opt(moved)),
            ("keys", JsValue::from_f64(keys)),
            ("step", opt(step)),
            (
                "link",
                JsValue::from_str(&crate::url::href_with(state, |_| {})),
            ),
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> KeyContext {
        KeyContext {
            framed: true,
            playing: Some((0, 3)),
            edges: Edges::Stay,
            handled: false,
            in_control: false,
            modified: false,
            deck_steps: false,
        }
    }

    #[test]
    fn step_keys_step_and_stop_or_pass_at_the_edges() {
        assert_eq!(key_action("PageDown", &ctx()), KeyAction::Next);
        assert_eq!(key_action("ArrowRight", &ctx()), KeyAction::Next);
        assert_eq!(key_action("PageUp", &ctx()), KeyAction::Ignore);
        let deck = KeyContext {
            edges: Edges::Deck,
            ..ctx()
        };
        assert_eq!(key_action("PageUp", &deck), KeyAction::Forward);
        let end = KeyContext {
            playing: Some((3, 3)),
            ..ctx()
        };
        assert_eq!(key_action("ArrowRight", &end), KeyAction::Ignore);
        assert_eq!(key_action("ArrowLeft", &end), KeyAction::Prev);
    }

    #[test]
    fn keys_the_page_does_not_use_go_to_the_deck_only_when_framed() {
        assert_eq!(key_action("f", &ctx()), KeyAction::Forward);
        let sandbox = KeyContext {
            playing: None,
            ..ctx()
        };
        assert_eq!(key_action("PageDown", &sandbox), KeyAction::Forward);
        let alone = KeyContext {
            framed: false,
            ..sandbox
        };
        assert_eq!(key_action("PageDown", &alone), KeyAction::Ignore);
    }

    #[test]
    fn controls_keep_their_keys_but_not_the_clicker() {
        let handled = KeyContext {
            handled: true,
            ..ctx()
        };
        assert_eq!(key_action("ArrowRight", &handled), KeyAction::Ignore);
        let button = KeyContext {
            in_control: true,
            ..ctx()
        };
        assert_eq!(key_action(" ", &button), KeyAction::Ignore);
        assert_eq!(key_action("PageDown", &button), KeyAction::Next);
        let ctrl = KeyContext {
            modified: true,
            ..ctx()
        };
        assert_eq!(key_action("PageDown", &ctrl), KeyAction::Ignore);
        assert_eq!(key_action("Tab", &ctx()), KeyAction::Ignore);
    }

    #[test]
    fn a_deck_that_steps_the_scenario_gets_the_step_keys() {
        let driven = KeyContext {
            deck_steps: true,
            ..ctx()
        };
        assert_eq!(key_action("PageDown", &driven), KeyAction::Forward);
        assert_eq!(key_action("ArrowLeft", &driven), KeyAction::Forward);
        let alone = KeyContext {
            framed: false,
            ..driven
        };
        assert_eq!(key_action("PageDown", &alone), KeyAction::Next);
    }

    #[test]
    fn commands_are_namespaced_and_checked() {
        assert_eq!(
            Command::read(Some(1.0), Some("next"), None, None),
            Some(Command::Next)
        );
        assert_eq!(Command::read(Some(2.0), Some("next"), None, None), None);
        assert_eq!(Command::read(Some(1.0), Some("explode"), None, None), None);
        assert_eq!(
            Command::read(Some(1.0), Some("goto"), Some(1.5), None),
            None
        );
        assert_eq!(Command::read(Some(1.0), Some("goto"), None, None), None);
        assert_eq!(Command::read(Some(1.0), Some("edit"), None, None), None);
        assert_eq!(
            Command::read(Some(1.0), Some("edit"), None, Some("{}".into())),
            Some(Command::Edit("{}".into()))
        );
        assert_eq!(
            Command::read(Some(1.0), Some("get-state"), None, None),
            Some(Command::GetState)
        );
    }
}
