//! The experiments people quote about consistent hashing, each a pure function from its
//! inputs to a [`Table`] with a chart to draw it: the HashFlow load balancer's request
//! distribution (A1) and scalability (A2) tests, a virtual-node sweep against `1/√v`, churn
//! by adds and removals in every order, hot keys under Zipf popularity, the cost of bounded
//! loads, the uniformity of each hash function, and sizing a tier
//! ([`size::size`]).
//!
//! The page runs them in its worker and the CLI runs them in a terminal; both print the same
//! CSV ([`Table::to_csv`]). Randomness is SplitMix64 from a stated seed, and logarithms and
//! powers come from `libm`, so the figures are the same natively and in wasm.

mod balance;
mod change;
pub mod chi2;
mod load;
pub mod size;
pub mod table;
pub mod tool;

use crate::KeySet;
use crate::lab::LabState;

pub use table::{Cell, Column, Table};

/// One experiment.
///
/// ```
/// use hashhalo_core::experiment::Experiment;
///
/// assert_eq!(Experiment::from_name("a1"), Some(Experiment::A1));
/// for e in Experiment::ALL {
///     assert_eq!(Experiment::from_name(e.name()), Some(e));
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Experiment {
    /// 10 000 requests over 3 servers, per algorithm, the HashFlow load balancer's setup
    /// (512 slots, 9 virtual nodes, its slot hash) next to xxh3.
    A1,
    /// Servers N = 2..12: mean and largest load per server.
    A2,
    /// Virtual nodes v = 1..1000: peak/mean and coefficient of variation over many seeds.
    Vnodes,
    /// Adds, random removals and last-in-first-out removals: keys moved per change.
    Churn,
    /// Zipf popularity, skew 0..1.5: request peak/mean per algorithm.
    HotKeys,
    /// Bounded loads at c = 1.1, 1.25, 1.5, 2: balance bought, movement paid.
    Bounded,
    /// The uniformity of each hash function on the lab's keys (chi-square).
    Hashes,
    /// How many servers a tier needs ([`size::SizeInputs`]).
    Size,
}

/// How an experiment's table is drawn.
///
/// ```
/// use hashhalo_core::experiment::{ChartKind, Experiment};
///
/// assert_eq!(Experiment::A1.chart().kind, ChartKind::Bars);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One group of bars per row, one bar per series.
    Bars,
    /// One line per series over a numeric x column.
    Lines,
}

/// What an experiment's chart shows: the rows along `x`, and as series every column of
/// numbers in `y_unit`.
///
/// ```
/// use hashhalo_core::experiment::{Chart, ChartKind, Experiment};
///
/// let chart = Experiment::Vnodes.chart();
/// assert_eq!(chart.kind, ChartKind::Lines);
/// assert!(chart.log_x);
/// assert_eq!(Chart::from_note(&chart.to_note()), Some(chart));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Bars or lines.
    pub kind: ChartKind,
    /// The column along the horizontal axis.
    pub x: String,
    /// The unit of the series drawn (each column of numbers in it is one series).
    pub y_unit: String,
    /// What the vertical axis measures, in words.
    pub y_label: String,
    /// Whether the horizontal axis is logarithmic.
    pub log_x: bool,
}

impl Chart {
    /// The columns drawn as series: every column of numbers in the chart's unit except `x`.
    ///
    /// ```
    /// use hashhalo_core::experiment::{Column, Experiment, Table};
    ///
    /// let table = Table {
    ///     columns: vec![Column::number("servers", "servers"), Column::number("mean", "requests")],
    ///     rows: vec![],
    /// };
    /// assert_eq!(Experiment::A2.chart().series(&table), vec![1]);
    /// ```
    pub fn series(&self, table: &Table) -> Vec<usize> {
        (0..table.columns.len())
            .filter(|&i| table.columns[i].unit == self.y_unit && table.columns[i].name != self.x)
            .collect()
    }

    /// The chart as a report's note: `chart lines log x|unit|label`. The page reads its
    /// chart from the worker's report, so the words stay out of the page's own code.
    ///
    /// ```
    /// use hashhalo_core::experiment::Experiment;
    ///
    /// assert_eq!(Experiment::A1.chart().to_note(), "chart bars linear setup|requests|requests per server");
    /// ```
    pub fn to_note(&self) -> String {
        format!(
            "chart {} {} {}|{}|{}",
            match self.kind {
                ChartKind::Bars => "bars",
                ChartKind::Lines => "lines",
            },
            if self.log_x { "log" } else { "linear" },
            self.x,
            self.y_unit,
            self.y_label
        )
    }

    /// Reads [`Chart::to_note`]'s form, with or without its leading `chart ` (as
    /// [`table::Report::note`] gives it).
    ///
    /// ```
    /// use hashhalo_core::experiment::Chart;
    ///
    /// assert_eq!(Chart::from_note("chart pie linear a|b|c"), None);
    /// assert!(Chart::from_note("lines log a|b|c").unwrap().log_x);
    /// ```
    pub fn from_note(note: &str) -> Option<Chart> {
        let note = note.strip_prefix("chart ").unwrap_or(note);
        let mut words = note.splitn(3, ' ');
        let kind = match words.next()? {
            "bars" => ChartKind::Bars,
            "lines" => ChartKind::Lines,
            _ => return None,
        };
        let log_x = match words.next()? {
            "log" => true,
            "linear" => false,
            _ => return None,
        };
        let mut parts = words.next()?.splitn(3, '|');
        Some(Chart {
            kind,
            x: parts.next()?.to_string(),
            y_unit: parts.next()?.to_string(),
            y_label: parts.next()?.to_string(),
            log_x,
        })
    }
}

/// What an experiment runs on.
///
/// ```
/// use hashhalo_core::experiment::Inputs;
///
/// assert_eq!(Inputs::default().seeds, 30);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// The lab: the hash experiment uses its keys, the others its key kind and seed.
    pub lab: LabState,
    /// How many seeds the experiments that repeat over seeds use (clamped to 1..=200).
    pub seeds: u32,
    /// The tier to size, for [`Experiment::Size`].
    pub size: size::SizeInputs,
}

impl Default for Inputs {
    fn default() -> Inputs {
        Inputs {
            lab: LabState::default(),
            seeds: 30,
            size: size::SizeInputs::default(),
        }
    }
}

impl Experiment {
    /// Every experiment, in menu order.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::experiment::Experiment::ALL.len(), 8);
    /// ```
    pub const ALL: [Experiment; 8] = [
        Experiment::A1,
        Experiment::A2,
        Experiment::Vnodes,
        Experiment::Churn,
        Experiment::HotKeys,
        Experiment::Bounded,
        Experiment::Hashes,
        Experiment::Size,
    ];

    /// The name on the command line and in links.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::experiment::Experiment::HotKeys.name(), "hot-keys");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Experiment::A1 => "a1",
            Experiment::A2 => "a2",
            Experiment::Vnodes => "vnodes",
            Experiment::Churn => "churn",
            Experiment::HotKeys => "hot-keys",
            Experiment::Bounded => "bounded",
            Experiment::Hashes => "hashes",
            Experiment::Size => "size",
        }
    }

    /// The experiment called `name`.
    ///
    /// ```
    /// assert_eq!(hashhalo_core::experiment::Experiment::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Experiment> {
        Experiment::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Its title, as the page heads its chart.
    ///
    /// ```
    /// assert!(hashhalo_core::experiment::Experiment::A1.title().contains("10 000"));
    /// ```
    pub fn title(self) -> &'static str {
        match self {
            Experiment::A1 => "A1: 10 000 requests over 3 servers",
            Experiment::A2 => "A2: load per server as servers go from 2 to 12",
            Experiment::Vnodes => "Virtual nodes: balance against 1/√v",
            Experiment::Churn => "Churn: keys moved per change",
            Experiment::HotKeys => "Hot keys: request peak under Zipf popularity",
            Experiment::Bounded => "Bounded loads: balance bought, movement paid",
            Experiment::Hashes => "Hash functions: uniformity on the lab's keys",
            Experiment::Size => "Size my tier: servers needed",
        }
    }

    /// What it shows, in one sentence.
    ///
    /// ```
    /// assert!(hashhalo_core::experiment::Experiment::Churn.about().contains("jump"));
    /// ```
    pub fn about(self) -> &'static str {
        match self {
            Experiment::A1 => {
                "The HashFlow load balancer's test: 10 000 requests with random ids over 3 servers, \
                 with its own ring (512 slots, 9 virtual nodes, its slot hash) next to xxh3 and \
                 every other algorithm."
            }
            Experiment::A2 => {
                "The HashFlow load balancer's scalability test, extended: 10 000 requests over \
                 N = 2..12 servers, the mean load per server against the busiest server's."
            }
            Experiment::Vnodes => {
                "Exact ring ownership of 10 servers over many seeds: the coefficient of \
                 variation falls as 1/√v, and the 99th percentile of the peak shows the bad \
                 luck to plan for."
            }
            Experiment::Churn => {
                "Eight servers, then adds, random removals and last-in-first-out removals: jump \
                 moves the minimum only when the last server goes, AnchorHash (keeping its \
                 history) and rendezvous at any removal, modulo almost everything every time."
            }
            Experiment::HotKeys => {
                "Requests follow Zipf popularity over 10 000 keys on 10 servers: as the skew \
                 grows the hottest keys, not the placement, decide the busiest server."
            }
            Experiment::Bounded => {
                "Bounded loads caps each server at c times its fair share of keys: a smaller c \
                 evens the load and moves more keys when a server joins."
            }
            Experiment::Hashes => {
                "Each hash function places the lab's keys into 64 equal ranges; a chi-square \
                 far above its 63 degrees of freedom (a p-value near 0) means the hash is not \
                 uniform on these keys."
            }
            Experiment::Size => {
                "The fewest servers whose busiest one, at the 99th percentile over seeds, stays \
                 within capacity after headroom, for each algorithm."
            }
        }
    }

    /// How its table is drawn.
    ///
    /// ```
    /// use hashhalo_core::experiment::Experiment;
    ///
    /// assert_eq!(Experiment::A1.chart().y_unit, "requests");
    /// ```
    pub fn chart(self) -> Chart {
        let (kind, x, y_unit, y_label, log_x) = match self {
            Experiment::A1 => (
                ChartKind::Bars,
                "setup",
                "requests",
                "requests per server",
                false,
            ),
            Experiment::A2 => (
                ChartKind::Lines,
                "servers",
                "requests",
                "requests per server",
                false,
            ),
            Experiment::Vnodes => (
                ChartKind::Lines,
                "virtual nodes",
                "ratio",
                "spread of ownership",
                true,
            ),
            Experiment::Churn => (ChartKind::Lines, "step", "% keys", "keys moved", false),
            Experiment::HotKeys => (
                ChartKind::Lines,
                "skew",
                "ratio",
                "busiest server's requests over the mean",
                false,
            ),
            Experiment::Bounded => (
                ChartKind::Bars,
                "setup",
                "% keys",
                "keys moved when an 11th server joins",
                false,
            ),
            Experiment::Hashes => (
                ChartKind::Bars,
                "hash",
                "χ²",
                "chi-square over 64 ranges (63 expected)",
                false,
            ),
            Experiment::Size => (
                ChartKind::Lines,
                "servers",
                "requests/s",
                "busiest server, 99th percentile",
                false,
            ),
        };
        Chart {
            kind,
            x: x.into(),
            y_unit: y_unit.into(),
            y_label: y_label.into(),
            log_x,
        }
    }
}

/// Runs `experiment` on `inputs`; `progress` hears the fraction done from time to time.
///
/// ```
/// use hashhalo_core::experiment::{run, Experiment, Inputs};
///
/// let table = run(Experiment::A1, &Inputs::default(), &mut |_| {});
/// let total: f64 = table.rows[0][1..4].iter().filter_map(|c| c.number()).sum();
/// assert_eq!(total, 10_000.0);
/// ```
pub fn run(experiment: Experiment, inputs: &Inputs, progress: &mut dyn FnMut(f64)) -> Table {
    let seeds = inputs.seeds.clamp(1, 200);
    // Whatever the caller passes, the lab is bounded as a link's is.
    let clamped = Inputs {
        lab: inputs.lab.clamped(&crate::lab::Limits::default()).0,
        ..inputs.clone()
    };
    let inputs = &clamped;
    match experiment {
        Experiment::A1 => balance::a1(inputs.lab.keys.seed, progress),
        Experiment::A2 => balance::a2(inputs.lab.keys.seed, progress),
        Experiment::Vnodes => balance::vnodes(seeds, progress),
        Experiment::Hashes => balance::hashes(&inputs.lab, progress),
        Experiment::Churn => change::churn(&inputs.lab, progress),
        Experiment::Bounded => change::bounded(&inputs.lab, progress),
        Experiment::HotKeys => load::hot_keys(&inputs.lab, progress),
        Experiment::Size => size::size(&inputs.size, seeds, progress).table,
    }
}

/// Runs `run` on `lab` as the page's worker does: the table, with notes the page shows
/// around its chart: `title …`, `about …`, the chart ([`Chart::to_note`]) and a sizing's
/// reasons (`reason …`).
///
/// ```
/// use hashhalo_core::experiment::{report, tool::Run, Experiment};
/// use hashhalo_core::lab::LabState;
///
/// let r = report(&Run::new(Experiment::Hashes), &LabState::default(), &mut |_| {});
/// assert_eq!(r.note("title"), Some(Experiment::Hashes.title()));
/// assert!(r.note("chart").is_some());
/// assert_eq!(r.table.rows.len(), 6);
/// ```
pub fn report(run: &tool::Run, lab: &LabState, progress: &mut dyn FnMut(f64)) -> table::Report {
    let e = run.experiment;
    let mut notes = vec![
        format!("title {}", e.title()),
        format!("about {}", e.about()),
        e.chart().to_note(),
    ];
    let table = if e == Experiment::Size {
        let answer = size::size(&run.size, run.seeds, progress);
        notes.extend(answer.reasons.iter().map(|r| format!("reason {r}")));
        answer.table
    } else {
        let inputs = Inputs {
            lab: lab.clone(),
            seeds: run.seeds,
            size: run.size,
        };
        self::run(e, &inputs, progress)
    };
    table::Report { notes, table }
}

/// The `p`-th quantile (0..=1) of `values` by nearest rank; 0 for none.
pub(crate) fn quantile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    crate::order::sort_by_key(values, |v| u128::from(crate::order::f64_key(*v)));
    let rank = (p * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// Keys of the lab's kind and seed, `count` of them, hashed with `hash`.
pub(crate) fn keys_like(lab: &LabState, count: u32, hash: crate::HashFn) -> KeySet {
    let source = crate::KeySource { count, ..lab.keys };
    KeySet::generate_with(&source, hash)
}
