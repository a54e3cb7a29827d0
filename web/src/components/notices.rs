//! The banner that says what the opening link needed changed, and the "copy link" button.

use leptos::prelude::*;

use crate::state::AppState;

/// Lists [`AppState::notices`] until dismissed. Takes no props.
#[component]
pub fn Notices() -> impl IntoView {
    let state = crate::provided::<AppState>();
    view! {
        <Show when=move || state.notices.with(|n| !n.is_empty())>
            <div class="notices" role="status" data-testid="notices">
                <p>"About the link this page was opened with:"</p>
                <ul>
                    {move || state.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
                <button on:click=move |_| state.notices.set(Vec::new())>"Dismiss"</button>
            </div>
        </Show>
    }
}

/// A button that copies the page's link (which holds the whole lab). Takes no props.
#[component]
pub fn CopyLink() -> impl IntoView {
    let state = crate::provided::<AppState>();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        // The link of the lab as it is now, written to the address at once (the address
        // otherwise follows changes a quarter of a second late).
        crate::url::write_now(&untrack(|| crate::url::fragment(state)));
        let Ok(href) = window().location().href() else {
            return;
        };
        let clipboard = window().navigator().clipboard();
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&href))
                .await
                .is_ok();
            copied.set(done);
        });
    };
    view! {
        <button class="copy-link" on:click=copy>
            {move || if copied.get() { "Link copied" } else { "Copy link" }}
        </button>
    }
}
