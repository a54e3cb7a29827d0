//! Parts of the app the first view does not need, loaded when they are first shown.
//!
//! In the release build (feature `split`, built by `cargo xtask app`) each function here is a
//! split point: Leptos's `#[lazy]` moves the code only it reaches into its own wasm chunk,
//! which `__wasm_split.js` fetches the first time the function is called. Everywhere else
//! (`trunk serve`, the component tests) they are ordinary functions. Either way they are
//! `async`, and the app shows them with [`shown`].

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

deferred_view! {
    /// The compare view and the experiments, from the first time they are opened.
    lab_tools => crate::components::tools::dialog
}

/// A split point's chunk could not be fetched (the network, or a build replaced on the server
/// since the page loaded). The split points that can say so return it instead of stopping
/// the page; a later call tries again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotLoaded;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> NotLoaded {
        NotLoaded
    }
}

/// Shows `view` once it has loaded, and nothing until then.
///
/// Not `Suspense`: its boundary and the `Suspend` it awaits were 4.2 KiB of gzip in the first
/// load, for a view that arrives once and never suspends again. The view is made under the owner this
/// is called in (its context: the app's state), and shown when it is ready; `shown` is meant
/// to be called once for each place it shows, as `Show` and a memo that turns true once do.
/// The view is handed over once: were the closure below to run again (a signal read while
/// the view is built, outside the view's own closures), the place would empty. The views
/// shown here read their signals inside their own closures.
///
/// ```no_run
/// use leptos::prelude::*;
/// let panel = hashhalo_web::deferred::shown(hashhalo_web::deferred::side_panel);
/// ```
pub fn shown<F>(view: fn() -> F) -> impl IntoView
where
    F: Future<Output = AnyView> + 'static,
{
    let held = StoredValue::new_local(None::<AnyView>);
    let loaded = RwSignal::new(false);
    leptos::task::spawn_local(ScopedFuture::new_untracked(async move {
        let made = view().await;
        // The place may have gone meanwhile (its owner disposed): then nothing is shown.
        if held.try_set_value(Some(made)).is_none() {
            loaded.try_set(true);
        }
    }));
    move || {
        loaded
            .get()
            .then(|| held.try_update_value(Option::take).flatten())
            .flatten()
    }
}
