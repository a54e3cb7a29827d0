//! What the Share dialog writes for each place a link can go: pure text from the links, the
//! title, the size and the scenario's number of steps. Attribute values are escaped; links
//! are URL-safe already (see `hashhalo_core::link`).

/// The longest link that pastes safely into chat apps, slide tools and mail: past it, some
/// cut the link or refuse it.
pub const SAFE_LINK_CHARS: usize = 2_000;

/// Where a shared view goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The embedded view's address (`…#…&embed=1…`).
    pub embed: String,
    /// The full lab at the same state.
    pub full: String,
    /// The title, for the frame's accessible name.
    pub title: String,
    /// The frame's size in CSS pixels.
    pub width: u32,
    /// The frame's height.
    pub height: u32,
    /// The scenario's steps, if a scenario is shown.
    pub steps: Option<usize>,
}

fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// An `<iframe>` for any page.
///
/// ```
/// use hashhalo_web::share::{iframe, Target};
///
/// let t = Target { embed: "https://x/#scenario=add-server&embed=1".into(), full: String::new(),
///     title: "Add \"D\"".into(), width: 960, height: 540, steps: Some(3) };
/// assert_eq!(iframe(&t), "<iframe src=\"https://x/#scenario=add-server&amp;embed=1\" width=\"960\" height=\"540\" style=\"border:0\" title=\"HashHalo: Add &quot;D&quot;\" loading=\"lazy\"></iframe>");
/// ```
pub fn iframe(t: &Target) -> String {
    format!(
        "<iframe src=\"{}\" width=\"{}\" height=\"{}\" style=\"border:0\" title=\"HashHalo: {}\" loading=\"lazy\"></iframe>",
        attribute(&t.embed),
        t.width,
        t.height,
        attribute(&t.title)
    )
}

/// The script a reveal.js deck needs once: every HashHalo frame hears whether its slide is
/// shown (reveal.js itself tells only the slides it enters and leaves), and each fragment marked
/// `data-hashhalo-step` shows that step in its slide's frame, so the clicker walks through the
/// scenario and then on to the next slide; coming back to the slide shows the step its visible
/// fragments reach.
pub const REVEAL_SCRIPT: &str = r#"<script>
// HashHalo: a frame marked data-hashhalo hears when its slide is shown or left (so autoplay
// waits), and fragments marked data-hashhalo-step step it, one fragment a step.
(function () {
  function tell(frame, message) {
    if (frame.contentWindow) frame.contentWindow.postMessage(message, '*');
  }
  function show() {
    var current = Reveal.getCurrentSlide();
    document.querySelectorAll('.reveal iframe[data-hashhalo]').forEach(function (frame) {
      var slide = frame.closest('section');
      if (slide !== current) return tell(frame, 'slide:stop');
      tell(frame, 'slide:start');
      if (slide.querySelector('[data-hashhalo-step]')) {
        var step = slide.querySelectorAll('.fragment.visible[data-hashhalo-step]').length;
        tell(frame, { hashhalo: 1, command: 'goto', step: step });
      }
    });
  }
  ['ready', 'slidechanged', 'fragmentshown', 'fragmenthidden'].forEach(function (name) {
    Reveal.on(name, show);
  });
  // A frame that starts after the deck is ready hears where it is, once it listens.
  addEventListener('message', function (e) {
    if (e.data && e.data.hashhalo === 1 && e.data.event === 'ready') show();
  });
})();
</script>"#;

/// A reveal.js `<section>`: the frame, one empty fragment per step (so PageDown steps the
/// scenario, then leaves the slide), and the deck's script ([`REVEAL_SCRIPT`]) after it.
///
/// ```
/// use hashhalo_web::share::{reveal, Target};
///
/// let t = Target { embed: "https://x/#e".into(), full: String::new(), title: "T".into(),
///     width: 960, height: 540, steps: Some(2) };
/// let s = reveal(&t);
/// assert_eq!(s.matches("data-hashhalo-step=").count(), 2);
/// assert!(s.contains("data-hashhalo"));
/// ```
pub fn reveal(t: &Target) -> String {
    let fragments: String = (1..=t.steps.unwrap_or(0))
        .map(|k| format!("\n  <span class=\"fragment\" data-hashhalo-step=\"{k}\"></span>"))
        .collect();
    format!(
        "<section>\n  <iframe data-hashhalo src=\"{}\" width=\"{}\" height=\"{}\" style=\"border:0\" title=\"HashHalo: {}\"></iframe>{fragments}\n</section>\n\n<!-- Once per deck, after reveal.js and Reveal.initialize(): -->\n{REVEAL_SCRIPT}",
        attribute(&t.embed),
        t.width,
        t.height,
        attribute(&t.title)
    )
}

/// A Slidev slide with the `iframe` layout.
///
/// ```
/// use hashhalo_web::share::{slidev, Target};
///
/// let t = Target { embed: "https://x/#e".into(), full: String::new(), title: "T".into(),
///     width: 960, height: 540, steps: None };
/// assert_eq!(slidev(&t), "---\nlayout: iframe\nurl: https://x/#e\n---\n");
/// ```
pub fn slidev(t: &Target) -> String {
    format!("---\nlayout: iframe\nurl: {}\n---\n", t.embed)
}

/// A Markdown image that links to the lab, for pages that show no frames (the image is the
/// PNG the dialog downloads, `image`).
///
/// ```
/// use hashhalo_web::share::{markdown, Target};
///
/// let t = Target { embed: String::new(), full: "https://x/#1.A".into(), title: "Add [D]".into(),
///     width: 960, height: 540, steps: None };
/// assert_eq!(markdown(&t, "ring.png"), "[![HashHalo: Add \\[D\\]](ring.png)](https://x/#1.A)");
/// ```
pub fn markdown(t: &Target, image: &str) -> String {
    let title = t.title.replace('[', "\\[").replace(']', "\\]");
    format!("[![HashHalo: {title}]({image})]({})", t.full)
}

/// What to say about a link of `chars` characters, if anything.
///
/// ```
/// assert!(hashhalo_web::share::length_warning(100).is_none());
/// assert!(hashhalo_web::share::length_warning(5_000).unwrap().contains("5,000"));
/// ```
pub fn length_warning(chars: usize) -> Option<String> {
    (chars > SAFE_LINK_CHARS).then(|| {
        format!(
            "This link is {} characters long: some chat apps, slide tools and mail cut links \
             past {}. Use a built-in scenario, fewer steps or fewer pinned virtual nodes for a \
             shorter one, or download the images below.",
            hashhalo_core::format::count(chars as u64),
            hashhalo_core::format::count(SAFE_LINK_CHARS as u64)
        )
    })
}

/// The frame sizes offered: 16:9 and 4:3 slides.
pub const SIZES: [(u32, u32); 6] = [
    (960, 540),
    (1280, 720),
    (640, 360),
    (480, 270),
    (800, 600),
    (1024, 768),
];
