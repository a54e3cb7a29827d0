//! The Share dialog: the link, and what to paste where (an iframe, a reveal.js slide, a Slidev
//! slide, a Markdown image link), with a live preview at the chosen size and a warning for a
//! link too long to paste safely; and pictures for decks that cannot embed.

use hashhalo_core::link::{Chrome, Edges, Theme};
use leptos::prelude::*;

use crate::animation::Animation;
use crate::share::{self, SIZES, Target};
use crate::state::AppState;
use crate::theme::{chrome_name, theme_name, theme_named};

/// How many times the Share button was pressed: the dialog opens on each.
#[derive(Clone, Copy)]
struct Presses(RwSignal<u32>);

/// The Share button, and its dialog from the first press on. Takes no props.
#[component]
pub fn ShareDialog() -> impl IntoView {
    let presses = RwSignal::new(0u32);
    provide_context(Presses(presses));
    let wanted = Memo::new(move |_| presses.get() > 0);
    view! {
        <button class="share-open" on:click=move |_| presses.update(|n| *n += 1)>"Share"</button>
        {move || wanted.get().then(|| crate::deferred::shown(crate::deferred::share_dialog))}
    }
}

/// The dialog ([`crate::deferred::share_dialog`] loads it), opened by every press of the
/// Share button.
pub fn dialog() -> AnyView {
    let Presses(presses) = crate::provided::<Presses>();
    let state = crate::provided::<AppState>();
    let animation = crate::provided::<Animation>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let size = RwSignal::new(0usize);
    let chrome = RwSignal::new(Chrome::Minimal);
    let theme = RwSignal::new(Theme::Auto);
    let to_deck = RwSignal::new(true);
    let busy = RwSignal::new(None::<String>);
    // Read when the dialog opens and whenever its choices change.
    let opened = RwSignal::new(0u32);
    // The preview is a second copy of the app: it loads only while the dialog is open.
    let showing = RwSignal::new(false);
    let target = move || {
        opened.track();
        let (width, height) = SIZES[size.get()];
        let steps = state
            .player
            .with_untracked(|p| p.as_ref().map(|p| p.steps()));
        let title = state
            .player
            .with_untracked(|p| p.as_ref().map(|p| p.scenario.title.clone()))
            .unwrap_or_else(|| "consistent hashing".into());
        let embed = crate::url::href_with(state, |v| {
            v.embed = true;
            v.chrome = chrome.get();
            v.theme = theme.get();
            v.edges = if to_deck.get() {
                Edges::Deck
            } else {
                Edges::Stay
            };
            v.autoplay = false;
        });
        let full = crate::url::href_with(state, |v| {
            *v = hashhalo_core::link::View {
                theme: theme.get(),
                ..hashhalo_core::link::View::default()
            }
        });
        Target {
            embed,
            full,
            title,
            width,
            height,
            steps,
        }
    };
    // The node is set before the loaded view is put in the document, and only a dialog in the
    // document can open: open it on the next frame.
    Effect::new(move |_| {
        presses.track();
        if let Some(d) = dialog.get() {
            theme.set(state.view.with_untracked(|v| v.theme));
            opened.update(|n| *n += 1);
            showing.set(true);
            request_animation_frame(move || {
                let _ = d.show_modal();
            });
        }
    });
    let snippet = move |label: &'static str, class: &'static str, text: Signal<String>| {
        let copied = RwSignal::new(false);
        view! {
            <div class="snippet">
                <label>
                    <span>{label}</span>
                    <textarea readonly class=class rows="3" prop:value=move || text.get()></textarea>
                </label>
                <button on:click=move |_| {
                    let clipboard = window().navigator().clipboard();
                    let text = text.get_untracked();
                    leptos::task::spawn_local(async move {
                        let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await.is_ok();
                        copied.set(done);
                    });
                }>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
            </div>
        }
    };
    let link = Signal::derive(move || target().full);
    let frame = Signal::derive(move || share::iframe(&target()));
    let reveal = Signal::derive(move || {
        // The slide's fragments decide the step: the frame starts at the scenario's start.
        let mut t = target();
        t.embed = t.embed.replacen(
            &format!(
                "step={}",
                state
                    .player
                    .with_untracked(|p| p.as_ref().map_or(0, |p| p.step))
            ),
            "step=0",
            1,
        );
        share::reveal(&t)
    });
    let slidev = Signal::derive(move || share::slidev(&target()));
    let markdown = Signal::derive(move || share::markdown(&target(), "hashhalo-ring.png"));
    let preview = move || {
        let t = target();
        // Shown at most 480 pixels wide, scaled as a slide would scale it.
        let scale = (480.0 / f64::from(t.width)).min(1.0);
        (t.embed, t.width, t.height, scale)
    };
    let save_svg = move |_| {
        if let Some((svg, _)) = crate::export::ring_svg(&[]) {
            crate::download::text("hashhalo-ring.svg", &svg, "image/svg+xml");
        }
    };
    let save_png = move |_| {
        leptos::task::spawn_local(async move {
            let Some((svg, size)) = crate::export::ring_svg(&[]) else {
                return;
            };
            match crate::export::png(&svg, size, 2.0).await {
                Ok(bytes) => crate::download::bytes("hashhalo-ring.png", &bytes, "image/png"),
                Err(e) => busy.set(Some(e)),
            }
        });
    };
    let save_steps = move |_| {
        busy.set(Some("Drawing every step…".into()));
        leptos::task::spawn_local(async move {
            match crate::export::steps_zip(state, animation).await {
                Ok((name, zip)) => {
                    busy.set(None);
                    crate::download::bytes(&name, &zip, "application/zip");
                }
                Err(e) => busy.set(Some(e)),
            }
        });
    };
    view! {
        <dialog class="share" node_ref=dialog aria-labelledby="share-title" on:close=move |_| showing.set(false)>
            // Its styles are in the panel's file (the browser fetches it once for both).
            <link rel="stylesheet" href="panel.css" />
            <h2 id="share-title">"Share, embed in slides, or save pictures"</h2>
            <div class="share-options">
                <label>"Size "
                    <select aria-label="Frame size" on:change=move |ev| size.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {SIZES.iter().enumerate().map(|(i, (w, h))| view! { <option value=i.to_string()>{format!("{w} × {h}")}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Shows "
                    <select aria-label="How much of the lab the frame shows" prop:value=move || chrome_name(chrome.get()) on:change=move |ev| {
                        chrome.set(match event_target_value(&ev).as_str() { "none" => Chrome::None, "full" => Chrome::Full, _ => Chrome::Minimal });
                    }>
                        <option value="none">"The ring and the movement line"</option>
                        <option value="minimal">"Those and the scenario player"</option>
                        <option value="full">"The whole lab"</option>
                    </select>
                </label>
                <label>"Theme "
                    <select aria-label="Theme of the frame" prop:value=move || theme_name(theme.get()) on:change=move |ev| {
                        if let Some(t) = theme_named(&event_target_value(&ev)) { theme.set(t); }
                    }>
                        <option value="auto">"Auto"</option>
                        <option value="light">"Light"</option>
                        <option value="dark">"Dark"</option>
                        <option value="projector">"Projector"</option>
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=move || to_deck.get() on:change=move |ev| to_deck.set(event_target_checked(&ev)) />
                    " Past the last step, the clicker moves the deck on"
                </label>
            </div>
            <p class="warning" role="status" class:hidden=move || share::length_warning(target().embed.len()).is_none()>
                {move || share::length_warning(target().embed.len())}
            </p>
            {snippet("Link to the lab", "share-link", link)}
            {snippet("An iframe, for any page", "share-iframe", frame)}
            {snippet("A reveal.js slide (with its script, once per deck)", "share-reveal", reveal)}
            {snippet("A Slidev slide", "share-slidev", slidev)}
            {snippet("A Markdown image that links to the lab", "share-markdown", markdown)}
            <figure class="share-preview">
                <figcaption>"Preview"</figcaption>
                // One frame while the dialog is open: a new choice changes its address (only the
                // part after `#`, which the app inside reads as it changes) and its size.
                {move || showing.get().then(|| view! {
                    <div class="preview-box" style=move || {
                        let (_, w, h, scale) = preview();
                        format!("width:{}px;height:{}px", crate::svg::num(f64::from(w) * scale), crate::svg::num(f64::from(h) * scale))
                    }>
                        <iframe title="Preview of the embedded lab"
                            src=move || preview().0
                            width=move || preview().1.to_string()
                            height=move || preview().2.to_string()
                            style=move || format!("transform:scale({});transform-origin:0 0;border:0", hashhalo_core::format::fixed(preview().3, 4))></iframe>
                    </div>
                })}
            </figure>
            <div class="share-images">
                <span>"For decks that cannot embed a page: "</span>
                <button class="save-svg" on:click=save_svg>"Ring as SVG"</button>
                <button class="save-png" on:click=save_png>"Ring as PNG (2×)"</button>
                <button class="save-steps" prop:disabled=move || state.player.with(Option::is_none) on:click=save_steps>"Every step as images (zip)"</button>
                <span class="hint" aria-live="polite">{move || busy.get()}</span>
            </div>
            <form method="dialog"><button class="share-close">"Close"</button></form>
        </dialog>
    }
    .into_any()
}
