//! Component tests in headless Chromium (wasm-bindgen-test): each component mounted with a
//! fresh state, driven through the DOM or the state, and read back from the DOM.

#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use hashhalo_core::edit::Edit;
use hashhalo_core::lab::LabState;
use hashhalo_core::{Server, ServerId};
use hashhalo_web::components::controls::{Controls, keys_at, slider_for};
use hashhalo_web::components::key_probe::KeyProbe;
use hashhalo_web::components::key_source::KeySource;
use hashhalo_web::components::legend::Legend;
use hashhalo_web::components::movement_panel::MovementPanel;
use hashhalo_web::components::ring_view::RingView;
use hashhalo_web::components::server_list::{ServerList, next_label};
use hashhalo_web::{App, AppState, provide_app_state, svg, url};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Adds a server called `label` as one change.
fn add(state: &AppState, label: &str) {
    state
        .change(Edit::AddServer {
            label: label.into(),
        })
        .unwrap();
}

/// A fresh element in the document body to mount into.
fn container() -> web_sys::HtmlElement {
    let document = document();
    let section = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&section).unwrap();
    section.unchecked_into()
}

/// Mounts `view` with a fresh app state in context and hands the state back.
fn mount_with_state<V: IntoView + 'static>(
    parent: &web_sys::HtmlElement,
    view: fn() -> V,
) -> (AppState, impl Drop) {
    // Each test starts from the default lab, whatever an earlier test left in the address.
    let _ = window().history().unwrap().replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some("#"),
    );
    let slot = Rc::new(Cell::new(None));
    let out = slot.clone();
    let handle = mount_to(parent.clone(), move || {
        out.set(Some(provide_app_state()));
        view()
    });
    (slot.get().expect("the view was built"), handle)
}

fn texts(parent: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = parent.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn attrs(parent: &web_sys::HtmlElement, selector: &str, name: &str) -> Vec<String> {
    let list = parent.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute(name)
                .unwrap_or_default()
        })
        .collect()
}

fn element<T: JsCast>(parent: &web_sys::HtmlElement, selector: &str) -> T {
    parent
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

fn counts(parent: &web_sys::HtmlElement) -> Vec<u64> {
    texts(parent, "[data-testid=count]")
        .iter()
        .map(|t| t.replace(',', "").parse().unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn the_app_mounts_a_ring_and_every_panel() {
    let root = container();
    let _ = window().history().unwrap().replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some("#"),
    );
    let _handle = mount_to(root.clone(), App);
    tick().await;
    assert_eq!(texts(&root, "h1"), ["HashHalo"]);
    assert_eq!(root.query_selector_all("svg.ring").unwrap().length(), 1);
    assert_eq!(texts(&root, ".legend-row .label"), ["A", "B", "C"]);
    for panel in [
        "What the last change moved",
        "Key probe",
        "Balance",
        "Key to the drawing",
    ] {
        assert!(
            root.query_selector(&format!("[aria-label='{panel}']"))
                .unwrap()
                .is_some(),
            "{panel}"
        );
    }
}

#[wasm_bindgen_test]
async fn legend_counts_cover_every_key_and_follow_the_servers() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <Legend /> });
    tick().await;
    assert_eq!(counts(&root).iter().sum::<u64>(), 1000);

    add(&state, "D");
    tick().await;
    assert_eq!(texts(&root, ".legend-row .label"), ["A", "B", "C", "D"]);
    let c = counts(&root);
    assert_eq!(c.iter().sum::<u64>(), 1000);
    assert!(c[3] > 0, "D took some keys: {c:?}");

    state.change(Edit::FailServer(ServerId(0))).unwrap();
    tick().await;
    let row: web_sys::Element = element(&root, ".legend-row[data-server=A]");
    assert!(row.class_list().contains("down"));
    assert_eq!(counts(&root)[0], 0);
    assert_eq!(counts(&root).iter().sum::<u64>(), 1000);
}

#[wasm_bindgen_test]
async fn the_ring_draws_one_path_set_per_server_and_says_what_is_wrong() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <RingView /> });
    tick().await;
    let mut colours = attrs(&root, "path.arc", "stroke");
    colours.dedup();
    assert_eq!(colours.len(), 3);
    let keys: u32 = attrs(&root, "path.keys", "data-keys")
        .iter()
        .map(|n| n.parse::<u32>().unwrap())
        .sum();
    assert_eq!(keys, 1000);
    assert_eq!(
        root.query_selector_all(".server-handle").unwrap().length(),
        3
    );

    state.change(Edit::SetVnodes(1)).unwrap();
    tick().await;
    let ticks: usize = attrs(&root, "path.ticks", "d")
        .iter()
        .map(|d| d.matches('M').count())
        .sum();
    assert_eq!(ticks, 3);

    // A bad configuration is said in the ring, not panicked over.
    state.lab.update(|l| l.router.vnodes = 0);
    tick().await;
    assert_eq!(
        texts(&root, "[data-testid=ring-note]"),
        ["a server needs at least one virtual node"]
    );

    // More than 3000 keys are drawn as a density band, and say so.
    state.replace(LabState {
        keys: hashhalo_core::KeySource {
            count: 5000,
            ..Default::default()
        },
        ..LabState::default()
    });
    tick().await;
    assert_eq!(
        texts(&root, "[data-testid=ring-note]"),
        ["5,000 keys, shown as density"]
    );
}

#[wasm_bindgen_test]
async fn the_movement_panel_compares_before_and_after() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <MovementPanel /> });
    tick().await;
    assert_eq!(
        texts(&root, "[data-testid=moved-summary]"),
        ["Make a change (add, fail or drag a server) to see which keys move."]
    );
    add(&state, "D");
    tick().await;
    let summary = texts(&root, "[data-testid=moved-summary]").remove(0);
    let explained = state
        .movement
        .get_untracked()
        .unwrap()
        .explanation
        .headline
        .clone();
    assert_eq!(summary, explained);
    assert!(
        summary.starts_with("Adding D moved ") && summary.ends_with("all of them to D."),
        "{summary}"
    );
    assert!(
        texts(&root, "[data-testid=moved-details] p")[0].starts_with("D's fair share is 25.0 %")
    );
    // One bar row per server that held or got keys.
    assert_eq!(texts(&root, ".bar-label"), ["A", "B", "C", "D"]);

    // A new key set is not compared key by key.
    state.change(Edit::SetKeyCount(5000)).unwrap();
    tick().await;
    assert_eq!(
        texts(&root, "[data-testid=moved-summary]"),
        ["The keys changed from 1,000 to 5,000, so there is nothing to compare."]
    );
    assert!(texts(&root, ".bar-label").is_empty());
    let before_button: web_sys::HtmlElement = element(&root, "[role=radio]");
    before_button.click();
    tick().await;
    assert!(state.show_before.get_untracked());
}

#[wasm_bindgen_test]
async fn controls_change_the_lab() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <Controls /> });
    tick().await;
    let select: web_sys::HtmlSelectElement = element(&root, "select");
    select.set_value("jump");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    assert_eq!(state.lab.get_untracked().router.algorithm.name(), "jump");
    assert_eq!(keys_at(slider_for(1000)), 1000);
    assert_eq!(
        (keys_at(0), keys_at(400), keys_at(500)),
        (10, 100_000, 1_000_000)
    );
}

#[wasm_bindgen_test]
async fn pasted_keys_replace_the_set_and_bad_input_keeps_it() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <KeySource /> });
    tick().await;
    let area: web_sys::HtmlTextAreaElement = element(&root, "textarea");
    let paste = |text: &str| {
        area.set_value(text);
        area.dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
        let buttons = root.query_selector_all("button").unwrap();
        let use_button = (0..buttons.length())
            .map(|i| {
                buttons
                    .item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::HtmlElement>()
            })
            .find(|b| b.text_content().as_deref() == Some("Use pasted keys"))
            .unwrap();
        use_button.click();
    };
    paste("[\"a\", \"b\"");
    tick().await;
    assert!(texts(&root, "[data-testid=keys-error]")[0].starts_with("not a valid JSON array"));
    assert_eq!(state.current.with_untracked(|c| c.keys().len()), 1000);
    paste("[\"alpha\", \"beta\", \"gamma\"]");
    tick().await;
    assert_eq!(texts(&root, "[data-testid=keys-error]"), [""]);
    assert_eq!(
        state.current.with_untracked(|c| c.keys().keys().to_vec()),
        ["alpha", "beta", "gamma"]
    );
}

#[wasm_bindgen_test]
async fn renaming_to_a_taken_name_is_refused() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <ServerList /> });
    tick().await;
    let name: web_sys::HtmlInputElement = element(&root, ".server-row[data-server=B] .server-name");
    name.set_value("A");
    name.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    assert_eq!(
        texts(&root, "[data-testid=server-error]"),
        ["There is already a server named A."]
    );
    assert_eq!(state.lab.get_untracked().servers[1].label, "B");
    assert_eq!(next_label(&["A".into(), "B".into()]), "C");
}

#[wasm_bindgen_test]
async fn the_probe_shows_the_owner_the_core_gives() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <KeyProbe /> });
    state.probe.set("user:42".into());
    tick().await;
    let expected = state.current.with_untracked(|c| {
        let id = c.router().unwrap().route(b"user:42").unwrap();
        c.servers()
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .label
            .clone()
    });
    assert_eq!(texts(&root, "[data-testid=probe-owner]"), [expected]);
}

#[wasm_bindgen_test]
fn hostile_fragments_open_safely_with_a_message() {
    let opened = url::read_fragment("#garbage");
    assert_eq!(opened.lab, LabState::default());
    assert_eq!(opened.notes.len(), 1);
    let mut huge = LabState::default();
    huge.router.vnodes = 1_000_000_000;
    huge.keys.count = 100_000_000;
    let opened = url::read_fragment(&format!("#{}", huge.encode()));
    assert_eq!(
        (opened.lab.router.vnodes, opened.lab.keys.count),
        (1000, 1_000_000)
    );
    assert_eq!(opened.notes.len(), 2);
}

#[wasm_bindgen_test]
fn arc_paths_use_the_large_arc_flag_past_half_a_turn() {
    use std::f64::consts::{PI, TAU};
    let quarter = svg::arc_path(100.0, 0.0, PI / 2.0);
    assert_eq!(quarter, "M300.0 200.0A100.0 100.0 0 0 1 400.0 300.0");
    assert!(svg::arc_path(100.0, 0.0, 1.5 * PI).contains(" 0 1 1 "));
    let full = svg::arc_path(100.0, 0.0, TAU);
    assert_eq!(full.matches('A').count(), 2);
    assert!(full.ends_with("300.0 200.0"));
    let mut s = String::new();
    for v in [0.04, -0.06, 12.345, -7.0, 1e15] {
        svg::push_num(&mut s, v);
        s.push(',');
    }
    assert_eq!(s, "0.0,-0.1,12.3,-7.0,100000000000.0,");
}

/// The computed state of `lab`, as the app holds it.
fn computed(lab: LabState) -> hashhalo_web::state::Computed {
    AppState::with_lab(lab, Vec::new()).current.get_untracked()
}

#[wasm_bindgen_test]
fn a_dragged_server_is_drawn_over_the_ring_without_it() {
    use hashhalo_web::drawing::{Drawing, PathCache};
    let owner = Owner::new();
    owner.set();
    let lab = LabState::default();
    let now = computed(lab.clone());
    let plain = Drawing::of(&now, None, &mut PathCache::default());
    let lifted = Drawing::of(&now, Some(lab.servers[1].id), &mut PathCache::default());
    assert!(plain.lifted.is_none());

    // B's arcs are drawn on top exactly as without lifting, and its own layer is empty.
    let (id, on_top) = lifted.lifted.clone().expect("B is lifted");
    assert_eq!(id, lab.servers[1].id);
    assert!(on_top.len() > 100);
    assert_eq!(on_top, plain.servers[1].arcs);
    assert!(lifted.servers[1].arcs.is_empty());

    // A and C show the arcs they would own without B.
    let mut rest = lab.clone();
    rest.servers.remove(1);
    let without = Drawing::of(&computed(rest), None, &mut PathCache::default());
    assert_eq!(lifted.servers[0].arcs, without.servers[0].arcs);
    assert_eq!(lifted.servers[2].arcs, without.servers[1].arcs);
    assert_ne!(lifted.servers[0].arcs, plain.servers[0].arcs);

    // Keys, ticks and counts are those of the whole ring.
    for (a, b) in lifted.servers.iter().zip(&plain.servers) {
        assert_eq!(
            (&a.keys, &a.ticks, a.key_count),
            (&b.keys, &b.ticks, b.key_count)
        );
    }
}

#[wasm_bindgen_test]
fn moving_one_virtual_node_rebuilds_only_the_paths_it_changes() {
    use hashhalo_web::drawing::{Drawing, PathCache};
    use std::sync::Arc;
    let owner = Owner::new();
    owner.set();
    let mut lab = LabState::default();
    lab.servers
        .extend((3..8).map(|i| Server::new(i, format!("s{i}"))));
    let mut cache = PathCache::default();
    let first = Drawing::of(&computed(lab.clone()), None, &mut cache);
    // Pin one of A's virtual nodes a little further on.
    let index = 7;
    let at = computed(lab.clone())
        .router()
        .unwrap()
        .ring()
        .unwrap()
        .point_position(lab.servers[0].id, index)
        .unwrap();
    lab.servers[0].pin(index, at.wrapping_add(1 << 56));
    let second = Drawing::of(&computed(lab.clone()), None, &mut cache);

    let same = |f: fn(&hashhalo_web::drawing::ServerDrawing) -> &Arc<str>| {
        first
            .servers
            .iter()
            .zip(&second.servers)
            .filter(|(a, b)| Arc::ptr_eq(f(a), f(b)))
            .count()
    };
    // A's ticks changed; every other server's ticks are the very same string.
    assert_eq!(same(|s| &s.ticks), 7);
    assert_ne!(first.servers[0].ticks, second.servers[0].ticks);
    // A's arcs and those of the server or two whose arcs it entered or left changed.
    let arcs_kept = same(|s| &s.arcs);
    assert!(
        (5..=6).contains(&arcs_kept),
        "{arcs_kept} of 8 arc paths kept"
    );
    // And a fresh cache gives the same drawing.
    assert_eq!(
        second,
        Drawing::of(&computed(lab), None, &mut PathCache::default())
    );
}

#[wasm_bindgen_test]
fn a_fan_out_wakes_only_the_items_that_changed() {
    use hashhalo_web::fan_out::FanOut;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    let owner = Owner::new();
    owner.set();
    let fan = FanOut::<u32, String>::new();
    assert_eq!(fan.update([(1, "a".into()), (2, "b".into())]), [1, 2]);
    let (one, two) = (fan.get(1), fan.get(2));
    // How often an effect on each item has run.
    let runs = [Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0))];
    let watch = |signal: ReadSignal<String>, runs: &Arc<AtomicU32>| {
        let runs = Arc::clone(runs);
        ImmediateEffect::new(move || {
            signal.track();
            runs.fetch_add(1, Ordering::Relaxed);
        })
    };
    let _effects = (watch(one, &runs[0]), watch(two, &runs[1]));
    let counts = || runs.each_ref().map(|r| r.load(Ordering::Relaxed));
    assert_eq!(counts(), [1, 1]);
    fan.update([(1, "a".into()), (2, "b2".into())]);
    assert_eq!(counts(), [1, 2]);
    assert_eq!(two.get_untracked(), "b2");
    // A key no longer listed is forgotten; listed again, it starts afresh.
    assert_eq!(fan.update([(2, "b2".into())]), [2]);
    assert_eq!(fan.get(1).get_untracked(), "");
}

#[wasm_bindgen_test]
async fn moved_keys_are_marked_where_they_are_after_a_change_of_hash() {
    use hashhalo_core::HashFn;
    use hashhalo_core::geometry::position_to_angle;
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <RingView /> });
    tick().await;
    state.change(Edit::SetHash(HashFn::Md5)).unwrap();
    tick().await;
    let marks = attrs(&root, "path.moved-keys", "d").remove(0);
    let moved = state
        .movement
        .get_untracked()
        .unwrap()
        .movement
        .unwrap()
        .moved
        .clone();
    assert!(
        moved.len() > 500,
        "a new hash moves most keys: {}",
        moved.len()
    );
    let wanted = state.current.with_untracked(|c| {
        let positions = c.keys().positions();
        svg::ticks_path(
            svg::KEY_RADIUS - 14.0,
            svg::KEY_RADIUS - 9.0,
            moved
                .iter()
                .map(|&i| position_to_angle(positions[i as usize])),
        )
    });
    assert_eq!(marks, wanted);
}

#[wasm_bindgen_test]
async fn the_legend_labels_its_columns_and_shows_only_figures_that_exist() {
    use hashhalo_core::algorithms::Algorithm;
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <Legend /> });
    tick().await;
    let visible = |root: &web_sys::HtmlElement| -> Vec<String> {
        let heads = root.query_selector_all(".legend thead th").unwrap();
        (0..heads.length())
            .map(|i| heads.item(i).unwrap().unchecked_into::<web_sys::Element>())
            .filter(|h| !h.class_list().contains("hidden"))
            .map(|h| h.text_content().unwrap_or_default())
            .collect()
    };
    assert_eq!(visible(&root), ["Server", "Keys", "% of keys", "% of ring"]);
    // With replication, each server's copies; they add up to replicas × keys.
    state.change(Edit::SetReplicas(2)).unwrap();
    tick().await;
    assert_eq!(
        visible(&root),
        [
            "Server",
            "Keys",
            "% of keys",
            "% of ring",
            "Copies (2 each)"
        ]
    );
    let copies: u64 = texts(&root, "[data-testid=copies]")
        .iter()
        .map(|t| t.replace(',', "").parse::<u64>().unwrap())
        .sum();
    assert_eq!(copies, 2000);
    // Jump has no ring, so no share of one; Maglev's exact share is of its table.
    state.change(Edit::SetAlgorithm(Algorithm::Jump)).unwrap();
    tick().await;
    assert_eq!(
        visible(&root),
        ["Server", "Keys", "% of keys", "Copies (2 each)"]
    );
    state.change(Edit::SetAlgorithm(Algorithm::Maglev)).unwrap();
    tick().await;
    assert!(visible(&root).contains(&"% of table".to_string()));
}

#[wasm_bindgen_test]
async fn the_probed_keys_preference_list_is_drawn_on_the_ring() {
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <RingView /> });
    state.change(Edit::SetReplicas(3)).unwrap();
    state.probe.set("user:42".into());
    tick().await;
    let order = attrs(&root, ".replica-line", "data-replica");
    assert_eq!(order, ["1", "2", "3"]);
    // The lines go to the servers of the core's preference list, in its order.
    let want: Vec<String> = state.current.with_untracked(|c| {
        let r = c.router().unwrap();
        r.preference_list(b"user:42", 3)
            .into_iter()
            .map(|id| hashhalo_web::palette::colour(id).to_string())
            .collect()
    });
    assert_eq!(attrs(&root, ".replica-line", "stroke"), want);
}

#[wasm_bindgen_test]
async fn handles_close_together_are_spread_apart_and_tethered() {
    use hashhalo_core::algorithms::Algorithm;
    use hashhalo_web::drawing::{Drawing, HANDLE_GAP, PathCache};
    let owner = Owner::new();
    owner.set();
    // The nginx preset on ten addresses puts every server's first point within a few degrees.
    let lab = LabState {
        servers: (0..10)
            .map(|i| Server::new(i, format!("10.0.0.{}:80", i + 1)))
            .collect(),
        ..LabState::default()
    }
    .apply(
        &Edit::SetAlgorithm(Algorithm::Nginx),
        &hashhalo_core::lab::Limits::APP,
    )
    .unwrap();
    let drawing = Drawing::of(&computed(lab), None, &mut PathCache::default());
    let mut shown: Vec<f64> = drawing.servers.iter().map(|s| s.display_angle).collect();
    shown.sort_by(f64::total_cmp);
    for w in shown.windows(2) {
        assert!(w[1] - w[0] >= HANDLE_GAP - 1e-9, "{shown:?}");
    }
    // Across 0 too: from the last handle round to the first.
    let wrap = shown[0] + std::f64::consts::TAU - shown[shown.len() - 1];
    assert!(wrap >= HANDLE_GAP - 1e-9, "{shown:?}");
    let moved = drawing
        .servers
        .iter()
        .filter(|s| (s.display_angle - s.handle_angle).abs() > 1e-9)
        .count();
    assert!(moved >= 2, "some handles had to move: {moved}");
}

#[wasm_bindgen_test]
async fn the_balance_panel_says_what_the_core_says() {
    use hashhalo_web::components::balance::Balance;
    let root = container();
    let (state, _handle) = mount_with_state(&root, || view! { <Balance /> });
    state
        .change(Edit::WeighServer {
            server: ServerId(1),
            weight: 3,
        })
        .unwrap();
    tick().await;
    let want = state
        .current
        .with_untracked(|c| hashhalo_core::explain::balance(c));
    assert_eq!(texts(&root, "[data-testid=balance] p"), want);
    assert!(
        want.iter()
            .any(|l| l.starts_with("Fair shares follow the weights"))
    );
}

#[wasm_bindgen_test]
async fn an_experiment_chart_draws_every_value_with_a_legend_and_a_table() {
    use hashhalo_core::experiment::{Experiment, Inputs, run};
    use hashhalo_web::components::tools::chart_view::ChartView;
    let table = run(Experiment::A2, &Inputs::default(), &mut |_| {});
    let rows = table.rows.len();
    let parent = container();
    let shown = table.clone();
    let _handle = mount_to(parent.clone(), move || {
        view! {
            <ChartView table=shown chart=Experiment::A2.chart() title="A2".to_string() name="a2".to_string() />
        }
    });
    tick().await;
    let series = Experiment::A2.chart().series(&table).len();
    assert_eq!(series, 5);
    assert_eq!(texts(&parent, "svg.chart-svg path.line").len(), series);
    assert_eq!(
        texts(&parent, "svg.chart-svg circle.dot").len(),
        series * rows
    );
    assert_eq!(texts(&parent, ".chart-legend li").len(), series);
    assert_eq!(texts(&parent, "details.chart-table tbody tr").len(), rows);
    // Hovering a point names its row, its series, its value and its unit.
    let titles = texts(&parent, "svg.chart-svg circle.dot title");
    assert_eq!(titles[0], "2: mean = 5,000 requests");
    assert_eq!(texts(&parent, "details.chart-table caption"), ["A2"]);
    assert!(texts(&parent, "svg.chart-svg text.axis-title")[1].contains("(requests)"));
}
