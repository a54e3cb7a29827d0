//! The page's address: what the fragment after `#` holds. A lab on its own (`#1.…`, the
//! share-link form of [`LabState::encode`]), or parameters: a lab or a scenario and its step,
//! and how to show them (embedded in a slide, which theme, how much of the page).
//!
//! ```text
//! #1.AQDk…                                       a lab
//! #lab=1.AQDk…&theme=dark                        a lab, in the dark theme
//! #scenario=add-server&step=2                    a built-in scenario at its second step
//! #scenario=s1.…&step=3&embed=1&chrome=minimal   a recorded scenario, embedded with its player
//! #lab=1.AQDk…&tool=vnodes_30                    a lab with the virtual-node experiment open
//! ```
//!
//! Every parameter is optional; one that cannot be read is left at its default and said in a
//! note, never an error. The grammar is `key=value` pairs joined by `&`; values are URL-safe
//! base64, ids, numbers or words, so nothing needs escaping.
//!
//! ```
//! use hashhalo_core::link::{Link, Chrome, Theme};
//!
//! let (link, notes) = Link::parse("#scenario=add-server&step=2&embed=1&theme=projector&chrome=minimal");
//! assert!(notes.is_empty());
//! assert_eq!(link.step, 2);
//! assert!(link.view.embed);
//! assert_eq!((link.view.theme, link.view.chrome), (Theme::Projector, Chrome::Minimal));
//! assert_eq!(Link::parse(&link.fragment()).0, link);
//! ```

use crate::lab::{LabState, Limits};
use crate::scenario::{Scenario, builtin};

/// How much of the page an embedded view shows.
///
/// ```
/// assert_eq!(hashhalo_core::link::Chrome::default(), hashhalo_core::link::Chrome::Minimal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Chrome {
    /// The ring and the movement line only.
    None,
    /// Those and the scenario player.
    #[default]
    Minimal,
    /// The whole lab.
    Full,
}

/// The colours and weights the page is drawn with.
///
/// ```
/// assert_eq!(hashhalo_core::link::Theme::default(), hashhalo_core::link::Theme::Auto);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Light or dark, as the system prefers.
    #[default]
    Auto,
    /// Dark text on a light page.
    Light,
    /// Light text on a dark page.
    Dark,
    /// For a room: large type, thick strokes, high contrast.
    Projector,
}

/// What the steps' keys at the first and last step do inside a slide deck.
///
/// ```
/// assert_eq!(hashhalo_core::link::Edges::default(), hashhalo_core::link::Edges::Stay);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edges {
    /// Next at the last step, or Back at the first, does nothing.
    #[default]
    Stay,
    /// They go to the deck, so it moves to the next or previous slide.
    Deck,
}

/// The lab's tool a link opens, as its text ([`crate::experiment::tool::Tool::encode`]'s
/// form): only its characters and length are checked here, so reading and writing a link
/// carries none of the tools' code; the tools read it when they open, and say there if it
/// names nothing they know.
///
/// ```
/// use hashhalo_core::link::ToolText;
///
/// assert_eq!(ToolText::new("vnodes_30").unwrap().as_str(), "vnodes_30");
/// assert!(ToolText::new("<script>").is_none());
/// assert!(ToolText::new(&"a".repeat(65)).is_none());
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ToolText {
    len: u8,
    bytes: [u8; ToolText::MAX],
}

impl ToolText {
    /// The longest tool text, in bytes.
    ///
    /// ```
    /// use hashhalo_core::link::ToolText;
    ///
    /// assert!(ToolText::new(&"a".repeat(ToolText::MAX)).is_some());
    /// ```
    pub const MAX: usize = 64;

    /// `text`, if it is 1 to [`ToolText::MAX`] of `a`–`z`, `0`–`9`, `_` and `-`.
    ///
    /// ```
    /// use hashhalo_core::link::ToolText;
    ///
    /// assert!(ToolText::new("hot-keys_30").is_some());
    /// assert!(ToolText::new("").is_none() && ToolText::new("A1").is_none());
    /// ```
    pub fn new(text: &str) -> Option<ToolText> {
        let ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-';
        if text.is_empty() || text.len() > ToolText::MAX || !text.bytes().all(ok) {
            return None;
        }
        let mut bytes = [0u8; ToolText::MAX];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Some(ToolText {
            len: text.len() as u8,
            bytes,
        })
    }

    /// The text.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::link::ToolText::new("a1_30").unwrap().as_str(), "a1_30");
    /// ```
    pub fn as_str(&self) -> &str {
        // Only ASCII was let in.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl std::fmt::Debug for ToolText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the page shows what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct View {
    /// Embedded in another page (a slide): no header, no scrolling, never takes focus.
    pub embed: bool,
    /// How much of the page an embedded view shows.
    pub chrome: Chrome,
    /// The theme.
    pub theme: Theme,
    /// Step through the scenario by itself.
    pub autoplay: bool,
    /// No editing: the ring cannot be dragged and the controls are hidden.
    pub readonly: bool,
    /// What Next at the end and Back at the start do in a deck.
    pub edges: Edges,
    /// The lab's tools, open at the compare view or an experiment.
    pub tool: Option<ToolText>,
}

/// A scenario a link names.
#[derive(Debug, Clone, PartialEq)]
pub enum ScenarioRef {
    /// A built-in, by id.
    Builtin(String),
    /// A scenario carried in the link itself (recorded, or from a file).
    Carried(Box<Scenario>),
}

impl ScenarioRef {
    /// The scenario.
    ///
    /// ```
    /// use hashhalo_core::link::ScenarioRef;
    ///
    /// assert_eq!(ScenarioRef::Builtin("weights".into()).scenario().unwrap().id, "weights");
    /// ```
    pub fn scenario(&self) -> Option<Scenario> {
        match self {
            ScenarioRef::Builtin(id) => builtin(id),
            ScenarioRef::Carried(s) => Some((**s).clone()),
        }
    }
}

/// Everything the fragment says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    /// The lab, when the link holds one (and no scenario).
    pub lab: Option<LabState>,
    /// The scenario, when it names one.
    pub scenario: Option<ScenarioRef>,
    /// The scenario's step (0: its start).
    pub step: usize,
    /// How to show it.
    pub view: View,
}

/// The longest fragment read, in characters; a longer one is refused with a note.
pub const MAX_FRAGMENT: usize = 8 << 20;

impl Link {
    /// Reads a fragment (with or without its `#`). Whatever it holds gives a link and notes
    /// on what could not be read; the lab is clamped as every link's lab is.
    ///
    /// ```
    /// use hashhalo_core::link::Link;
    ///
    /// let (link, notes) = Link::parse("#scenario=nope&step=x&theme=pink");
    /// assert!(link.scenario.is_none());
    /// assert_eq!(notes.len(), 3);
    /// ```
    pub fn parse(fragment: &str) -> (Link, Vec<String>) {
        let text = fragment.trim_start_matches('#').trim();
        let mut link = Link::default();
        let mut notes = Vec::new();
        if text.is_empty() {
            return (link, notes);
        }
        if text.len() > MAX_FRAGMENT {
            notes.push(format!(
                "the link is longer than {} characters and was not read",
                crate::format::count(MAX_FRAGMENT as u64)
            ));
            return (link, notes);
        }
        // A lab on its own, the share-link form.
        if text.starts_with("1.") || text.starts_with("2.") || !text.contains('=') {
            let (lab, mut said) = read_lab(text);
            link.lab = lab;
            notes.append(&mut said);
            return (link, summed_up(notes));
        }
        for pair in text.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let flag = |v: &str| matches!(v, "1" | "true" | "yes" | "");
            match key {
                "lab" => {
                    let (lab, mut said) = read_lab(value);
                    link.lab = lab;
                    notes.append(&mut said);
                }
                "scenario" if value.starts_with("s1.") => match Scenario::decode(value) {
                    Ok(s) => link.scenario = Some(ScenarioRef::Carried(Box::new(s))),
                    Err(e) => notes.push(format!("the link's scenario could not be read: {e}")),
                },
                "scenario" => {
                    if crate::scenario::BUILTIN_IDS.contains(&value) {
                        link.scenario = Some(ScenarioRef::Builtin(value.to_string()));
                    } else {
                        notes.push(format!(
                            "there is no built-in scenario called {}",
                            shown(value)
                        ));
                    }
                }
                // A number too large for the machine is past every scenario's end: the last
                // step, with the note below.
                "step" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                    link.step = value.parse::<usize>().unwrap_or(usize::MAX);
                }
                "step" => notes.push(format!("step {} is not a number", shown(value))),
                "embed" => link.view.embed = flag(value),
                "autoplay" => link.view.autoplay = flag(value),
                "readonly" => link.view.readonly = flag(value),
                "chrome" => match value {
                    "none" => link.view.chrome = Chrome::None,
                    "minimal" => link.view.chrome = Chrome::Minimal,
                    "full" => link.view.chrome = Chrome::Full,
                    _ => notes.push(format!("there is no chrome called {}", shown(value))),
                },
                "theme" => match value {
                    "auto" => link.view.theme = Theme::Auto,
                    "light" => link.view.theme = Theme::Light,
                    "dark" => link.view.theme = Theme::Dark,
                    "projector" => link.view.theme = Theme::Projector,
                    _ => notes.push(format!("there is no theme called {}", shown(value))),
                },
                "edges" => match value {
                    "stay" => link.view.edges = crate::link::Edges::Stay,
                    "deck" => link.view.edges = crate::link::Edges::Deck,
                    _ => notes.push(format!(
                        "edges is \"stay\" or \"deck\", not {}",
                        shown(value)
                    )),
                },
                "tool" => match ToolText::new(value) {
                    Some(tool) => link.view.tool = Some(tool),
                    None => notes.push(format!("there is no tool called {}", shown(value))),
                },
                _ => notes.push(format!("the link has an unknown part {}", shown(key))),
            }
        }
        let mut notes = summed_up(notes);
        if let Some(s) = link.scenario.as_ref().and_then(ScenarioRef::scenario)
            && link.step > s.steps.len()
        {
            let asked = if link.step == usize::MAX {
                "more".to_string()
            } else {
                crate::format::count(link.step as u64)
            };
            notes.push(format!(
                "the scenario has {} steps, not {asked}; showing the last",
                s.steps.len(),
            ));
            link.step = s.steps.len();
        }
        // A scenario decides the lab; without one there is no step.
        if link.scenario.is_some() {
            link.lab = None;
        } else {
            link.step = 0;
        }
        (link, notes)
    }

    /// The fragment (without `#`) that [`Link::parse`] reads back as this link. A plain lab
    /// with the default view is written in its short form (`1.…`).
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::link::Link;
    ///
    /// let lab = Link { lab: Some(LabState::default()), ..Link::default() };
    /// assert!(lab.fragment().starts_with("1."));
    /// ```
    pub fn fragment(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match &self.scenario {
            Some(ScenarioRef::Builtin(id)) => parts.push(format!("scenario={id}")),
            Some(ScenarioRef::Carried(s)) => parts.push(format!("scenario={}", s.encode())),
            None => {
                if let Some(lab) = &self.lab {
                    if self.view == View::default() {
                        return lab.encode();
                    }
                    parts.push(format!("lab={}", lab.encode()));
                }
            }
        }
        if self.scenario.is_some() {
            parts.push(format!("step={}", self.step));
        }
        let v = &self.view;
        if v.embed {
            parts.push("embed=1".into());
        }
        if v.chrome != Chrome::default() {
            parts.push(format!(
                "chrome={}",
                match v.chrome {
                    Chrome::None => "none",
                    Chrome::Minimal => "minimal",
                    Chrome::Full => "full",
                }
            ));
        }
        if v.theme != Theme::default() {
            parts.push(format!(
                "theme={}",
                match v.theme {
                    Theme::Auto => "auto",
                    Theme::Light => "light",
                    Theme::Dark => "dark",
                    Theme::Projector => "projector",
                }
            ));
        }
        if v.autoplay {
            parts.push("autoplay=1".into());
        }
        if v.readonly {
            parts.push("readonly=1".into());
        }
        if v.edges == Edges::Deck {
            parts.push("edges=deck".into());
        }
        if let Some(tool) = v.tool {
            parts.push(format!("tool={}", tool.as_str()));
        }
        parts.join("&")
    }

    /// The lab this link shows, and the one before it (the step before, for a scenario), with
    /// notes. A scenario that fails at a step shows the start, and says why.
    ///
    /// ```
    /// use hashhalo_core::link::Link;
    ///
    /// let (link, _) = Link::parse("scenario=add-server&step=2");
    /// let (before, now, notes) = link.labs();
    /// assert!(notes.is_empty());
    /// assert_eq!((before.unwrap().servers.len(), now.servers.len()), (3, 4));
    /// ```
    pub fn labs(&self) -> (Option<LabState>, LabState, Vec<String>) {
        match self.scenario.as_ref().and_then(ScenarioRef::scenario) {
            Some(s) => {
                let now = s.lab_at(self.step);
                let before = (self.step > 0)
                    .then(|| s.lab_at(self.step - 1).ok())
                    .flatten();
                match now {
                    Ok(now) => (before, now, Vec::new()),
                    Err(e) => (
                        None,
                        s.start.clone(),
                        vec![format!("the scenario failed: {e}")],
                    ),
                }
            }
            None => (None, self.lab.clone().unwrap_or_default(), Vec::new()),
        }
    }
}

/// The most notes a link gives; more are summed up in the last.
const MAX_NOTES: usize = 8;

/// `notes`, at most [`MAX_NOTES`] of them: past that, the last says how many more there were.
fn summed_up(mut notes: Vec<String>) -> Vec<String> {
    if notes.len() > MAX_NOTES {
        let more = notes.len() - (MAX_NOTES - 1);
        notes.truncate(MAX_NOTES - 1);
        notes.push(format!(
            "and {more} more parts of the link could not be read"
        ));
    }
    notes
}

/// At most 40 characters of what a link said, for a note.
fn shown(text: &str) -> String {
    crate::format::quoted(&text.chars().take(40).collect::<String>())
}

/// A lab's share-link text, clamped, with what the clamp and the decoder said.
fn read_lab(text: &str) -> (Option<LabState>, Vec<String>) {
    match LabState::decode(text) {
        Ok(lab) => {
            let (lab, notes) = lab.clamped(&Limits::APP);
            (Some(lab), notes)
        }
        Err(e) => (None, vec![format!("{e}; showing the default lab instead")]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn view() -> impl Strategy<Value = View> {
        let chrome = prop_oneof![
            Just(Chrome::None),
            Just(Chrome::Minimal),
            Just(Chrome::Full)
        ];
        let theme = prop_oneof![
            Just(Theme::Auto),
            Just(Theme::Light),
            Just(Theme::Dark),
            Just(Theme::Projector)
        ];
        let edges = prop_oneof![Just(Edges::Stay), Just(Edges::Deck)];
        (
            any::<bool>(),
            chrome,
            theme,
            any::<bool>(),
            any::<bool>(),
            edges,
            prop::option::of((0..9usize, 1..=200u32)),
        )
            .prop_map(
                |(embed, chrome, theme, autoplay, readonly, edges, tool)| View {
                    embed,
                    chrome,
                    theme,
                    autoplay,
                    readonly,
                    edges,
                    tool: tool.map(|(i, seeds)| {
                        use crate::experiment::{
                            Experiment,
                            tool::{Run, Tool},
                        };
                        match Experiment::ALL.get(i) {
                            Some(&e) => Tool::Experiment(Run {
                                seeds,
                                ..Run::new(e)
                            }),
                            None => Tool::Compare,
                        }
                        .text()
                    }),
                },
            )
    }

    proptest! {
        /// Every link the page writes reads back as itself, with nothing to note.
        #[test]
        fn fragments_read_back(view in view(), which in 0..3usize, step in 0..5usize, vnodes in 1..200u32) {
            let link = match which {
                0 => Link { lab: None, scenario: None, step: 0, view },
                1 => {
                    let mut lab = LabState::default();
                    lab.router.vnodes = vnodes;
                    Link { lab: Some(lab), scenario: None, step: 0, view }
                }
                _ => Link {
                    lab: None,
                    scenario: Some(ScenarioRef::Builtin("add-server".into())),
                    step: step.min(3),
                    view,
                },
            };
            let (read, notes) = Link::parse(&link.fragment());
            prop_assert!(notes.is_empty(), "{:?}", notes);
            prop_assert_eq!(read, link);
        }

        /// Whatever the text, a link with a bounded number of short notes.
        #[test]
        fn any_text_gives_a_link_and_few_short_notes(text in ".{0,400}") {
            let (link, notes) = Link::parse(&text);
            prop_assert!(notes.len() <= MAX_NOTES);
            prop_assert!(notes.iter().all(|n| n.chars().count() < 300), "{:?}", notes);
            prop_assert_eq!(Link::parse(&link.fragment()).0, link);
        }
    }

    #[test]
    fn a_carried_scenario_rides_in_the_link() {
        let s = builtin("node-failure").unwrap();
        let link = Link {
            scenario: Some(ScenarioRef::Carried(Box::new(s.clone()))),
            step: 3,
            ..Link::default()
        };
        let (read, notes) = Link::parse(&format!("#{}", link.fragment()));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(read.scenario.unwrap().scenario().unwrap(), s);
        assert_eq!(read.step, 3);
    }

    #[test]
    fn many_bad_parts_are_summed_up() {
        let text = (0..50)
            .map(|i| format!("x{i}=1"))
            .collect::<Vec<_>>()
            .join("&");
        let (_, notes) = Link::parse(&text);
        assert_eq!(notes.len(), MAX_NOTES);
        assert_eq!(
            notes[MAX_NOTES - 1],
            "and 43 more parts of the link could not be read"
        );
    }

    #[test]
    fn a_lab_with_many_clamp_notes_gives_at_most_max_notes() {
        let mut lab = LabState::default();
        lab.router.vnodes = 0;
        lab.router.probes = 0;
        lab.router.anchor_capacity = 0;
        lab.router.load_factor = 50.0;
        lab.router.maglev_table_size = 4;
        lab.keys.count = 1;
        lab.replicas = 0;
        lab.servers[0].label = " A ".into();
        lab.servers[1].weight = 0;
        lab.servers[2].label = lab.servers[0].label.trim().into();
        let (clamped, said) = lab.clamped(&Limits::APP);
        assert!(said.len() > MAX_NOTES, "{said:?}");
        for fragment in [lab.encode(), format!("lab={}&theme=dark", lab.encode())] {
            let (link, notes) = Link::parse(&fragment);
            assert_eq!(notes.len(), MAX_NOTES, "{notes:?}");
            assert_eq!(notes[..MAX_NOTES - 1], said[..MAX_NOTES - 1]);
            assert_eq!(link.lab.as_ref(), Some(&clamped));
        }
    }

    #[test]
    fn a_step_past_the_end_shows_the_last_and_a_step_without_a_scenario_is_dropped() {
        let (link, notes) = Link::parse("scenario=weights&step=99");
        assert_eq!(link.step, 3);
        assert_eq!(notes.len(), 1);
        let (link, notes) = Link::parse("scenario=weights&step=99999999999999999999999");
        assert_eq!(link.step, 3);
        assert_eq!(
            notes,
            ["the scenario has 3 steps, not more; showing the last"]
        );
        let (link, _) = Link::parse("step=2&theme=dark");
        assert_eq!((link.step, link.view.theme), (0, Theme::Dark));
    }
}
