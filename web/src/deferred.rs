//! Parts of the app the first view does not need, loaded when they are first shown.
//!
//! In the release build (feature `split`, built by `cargo xtask app`) each function here is a
//! split point: Leptos's `#[lazy]` moves the code only it reaches into its own wasm chunk,
//! which `__wasm_split.js` fetches the first time the function is called. Everywhere else
//! (`trunk serve`, the component tests) they are ordinary functions. Either way they are
//! `async`, and the app shows them through `Suspense`.

use leptos::prelude::*;

/// Declares `pub async fn $name() -> AnyView` returning `$view()`, a split point in the
/// split build.
macro_rules! deferred_view {
    ($(#[$doc:meta])* $name:ident => $view:path) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::lazy]
        pub fn $name() -> AnyView {
            $view()
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> AnyView {
            $view()
        }
    };
}

deferred_view! {
    /// The read-outs and controls beside the stage (only with the full chrome).
    side_panel => crate::side_panel
}

deferred_view! {
    /// The Share dialog's content, from the first time the Share button is pressed.
    share_dialog => crate::components::share_dialog::dialog
}

/// Shows `view` once it has loaded, and nothing until then.
///
/// ```no_run
/// use leptos::prelude::*;
/// let panel = hashhalo_web::deferred::shown(hashhalo_web::deferred::side_panel);
/// ```
pub fn shown<F>(view: fn() -> F) -> impl IntoView
where
    F: Future<Output = AnyView> + Send + 'static,
{
    view! { <Suspense fallback=|| ()>{Suspend::new(view())}</Suspense> }
}
