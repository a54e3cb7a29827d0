//! How the page is shown, on the document itself: the theme (`data-theme` on `<html>`: absent
//! for auto, so the stylesheet follows `prefers-color-scheme`), and for an embedded view the
//! `embed` class and which chrome (`data-chrome`), which the stylesheet lays out.

use hashhalo_core::link::{Chrome, Theme, View};
use leptos::prelude::*;

use crate::state::AppState;

/// The name a theme has in links and in the stylesheet.
pub fn theme_name(theme: Theme) -> &'static str {
    match theme {
        Theme::Auto => "auto",
        Theme::Light => "light",
        Theme::Dark => "dark",
        Theme::Projector => "projector",
    }
}

/// The theme named `name`.
pub fn theme_named(name: &str) -> Option<Theme> {
    [Theme::Auto, Theme::Light, Theme::Dark, Theme::Projector]
        .into_iter()
        .find(|t| theme_name(*t) == name)
}

/// The name a chrome has in links and in the stylesheet.
pub fn chrome_name(chrome: Chrome) -> &'static str {
    match chrome {
        Chrome::None => "none",
        Chrome::Minimal => "minimal",
        Chrome::Full => "full",
    }
}

/// How much of the page shows: the whole lab unless embedded.
pub fn chrome_of(view: &View) -> Chrome {
    if view.embed {
        view.chrome
    } else {
        Chrome::Full
    }
}

/// Keeps `<html>`'s attributes in step with [`AppState::view`].
pub fn install(state: AppState) {
    Effect::new(move |_| {
        let view = state.view.get();
        let Some(root) = document().document_element() else {
            return;
        };
        set_on_root(
            "data-theme",
            (view.theme != Theme::Auto).then(|| theme_name(view.theme)),
        );
        set_on_root("data-chrome", Some(chrome_name(chrome_of(&view))));
        let _ = root.class_list().toggle_with_force("embed", view.embed);
    });
}

/// Sets attribute `name` of `<html>` to `value` (`None` removes it), only when that changes
/// it: the view changes with every tab of the tools, and an attribute written on the root
/// element, even to its old value, can make the browser restyle the whole page.
pub fn set_on_root(name: &str, value: Option<&str>) {
    let Some(root) = document().document_element() else {
        return;
    };
    if root.get_attribute(name).as_deref() != value {
        let _ = match value {
            Some(v) => root.set_attribute(name, v),
            None => root.remove_attribute(name),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_and_only_an_embedded_view_hides_chrome() {
        for t in [Theme::Auto, Theme::Light, Theme::Dark, Theme::Projector] {
            assert_eq!(theme_named(theme_name(t)), Some(t));
        }
        let mut v = View {
            chrome: Chrome::None,
            ..View::default()
        };
        assert_eq!(chrome_of(&v), Chrome::Full);
        v.embed = true;
        assert_eq!(chrome_of(&v), Chrome::None);
    }
}
