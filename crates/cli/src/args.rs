//! Command-line parsing with clap: `--help` on every command, and every mistake turned into
//! one line on stderr naming the fix (see `main.rs`).

use clap::{Args, Parser, Subcommand};
use hashhalo_core::algorithms::{Algorithm, RouterConfig};
use hashhalo_core::experiment::Experiment;
use hashhalo_core::experiment::size::SizeInputs;
use hashhalo_core::{HashFn, Server};

/// Consistent hashing from a terminal: the engine of the HashHalo lab.
#[derive(Parser)]
#[command(name = "hashhalo", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Read keys one per line on stdin and print `key<TAB>server` for each (with
    /// --replicas R > 1, a third column lists the R-server preference list).
    Route(RouteArgs),
    /// Assign a key file before and after a change (--add, --remove, --fail) and say what
    /// moved, as the lab's movement panel says it.
    Simulate(SimulateArgs),
    /// What a HashHalo link (the page's address, or its #fragment) shows: keys and shares per
    /// server, balance, and with --before (or for a scenario step) what moved.
    Inspect(InspectArgs),
    /// Check scenarios step by step, or print one as a file.
    #[command(subcommand)]
    Scenario(ScenarioCommand),
    /// Every algorithm on a link's servers and keys, one row each: balance, keys moved by
    /// the change from --before (or the step before) against the minimum, memory, timings
    /// and what each supports.
    Compare(CompareArgs),
    /// Run one of the lab's experiments and print its table: a1, a2, vnodes, churn,
    /// hot-keys, bounded, hashes or size.
    Experiment(ExperimentArgs),
}

/// How a table is printed.
#[derive(Args)]
pub struct TableFormat {
    /// Print CSV, as the page downloads it.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print JSON, as the page downloads it.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct CompareArgs {
    /// The page's address, its #fragment, or a lab's `1.…` text.
    pub link: String,
    /// The lab before the change, to count what moved (a scenario step is compared with the
    /// step before it).
    #[arg(long)]
    pub before: Option<String>,
    /// Measure each algorithm's lookup and build times too (they differ from run to run).
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub format: TableFormat,
}

#[derive(Args)]
pub struct ExperimentArgs {
    /// a1, a2, vnodes, churn, hot-keys, bounded, hashes or size.
    #[arg(value_parser = experiment)]
    pub name: Experiment,
    /// The lab whose keys the experiment uses (its kind, seed and count); the default lab
    /// when not given.
    #[arg(long)]
    pub link: Option<String>,
    /// Seeds for the experiments that repeat over seeds (vnodes, size), 1 to 200.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub seeds: u32,
    #[command(flatten)]
    pub tier: TierArgs,
    #[command(flatten)]
    pub format: TableFormat,
}

/// The tier `size` sizes.
#[derive(Args)]
pub struct TierArgs {
    /// size: distinct keys.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub keys: u64,
    /// size: requests per second across the tier.
    #[arg(long, default_value_t = 50_000.0, value_parser = positive)]
    pub rate: f64,
    /// size: requests per second one server can take.
    #[arg(long, default_value_t = 5_000.0, value_parser = positive)]
    pub capacity: f64,
    /// size: the fraction of capacity kept free, 0 to 0.9.
    #[arg(long, default_value_t = 0.2, value_parser = headroom)]
    pub headroom: f64,
    /// size: Zipf skew of key popularity, 0 (uniform) to 3.
    #[arg(long, default_value_t = 0.8, value_parser = skew)]
    pub skew: f64,
    /// size: servers each key is kept on, 1 to 5.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub replication: u8,
}

impl TierArgs {
    pub fn inputs(&self) -> SizeInputs {
        SizeInputs {
            keys: self.keys,
            rate: self.rate,
            capacity: self.capacity,
            headroom: self.headroom,
            skew: self.skew,
            replication: self.replication,
        }
    }
}

#[derive(Subcommand)]
pub enum ScenarioCommand {
    /// Run every step of a scenario file (or of every built-in) and check its expectations;
    /// one line per scenario.
    Check(CheckArgs),
    /// Print a built-in scenario as a JSON file, to copy and change.
    Show {
        /// The scenario's id (`hashhalo scenario list` names them).
        id: String,
    },
    /// List the built-in scenarios.
    List,
}

#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct CheckArgs {
    /// A scenario file (JSON).
    pub file: Option<String>,
    /// Check every built-in scenario instead.
    #[arg(long)]
    pub builtin: bool,
}

/// How keys are placed: the algorithm and its parameters.
#[derive(Args)]
pub struct Placement {
    /// modulo, ring, jump, rendezvous, maglev, multi-probe, bounded-loads, anchor, or a
    /// production preset: nginx, libketama, envoy-ring, envoy-maglev.
    #[arg(long, default_value = "ring", value_parser = algorithm)]
    pub algorithm: Algorithm,
    /// Virtual nodes per unit of weight (ring, bounded-loads).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub vnodes: u32,
    /// xxh3, xxh64, md5, crc32, fnv1a or toy (the presets use their own).
    #[arg(long, default_value = "xxh3", value_parser = hash)]
    pub hash: HashFn,
    /// Maglev's table size, a prime.
    #[arg(long, default_value_t = 65_537, value_parser = clap::value_parser!(u64).range(1..))]
    pub table_size: u64,
    /// Multi-probe's number of probes.
    #[arg(long, default_value_t = 21, value_parser = clap::value_parser!(u32).range(1..))]
    pub probes: u32,
    /// Bounded loads' capacity factor, above 1.
    #[arg(long, default_value_t = 1.25, value_parser = load_factor)]
    pub load_factor: f64,
}

impl Placement {
    pub fn config(&self) -> RouterConfig {
        RouterConfig {
            algorithm: self.algorithm,
            hash: self.hash,
            vnodes: self.vnodes,
            maglev_table_size: self.table_size,
            probes: self.probes,
            load_factor: self.load_factor,
            ..RouterConfig::default()
        }
    }
}

#[derive(Args)]
pub struct RouteArgs {
    /// A server, `LABEL` or `LABEL=WEIGHT`; give one --server per server.
    #[arg(long = "server", required = true, value_parser = server_spec)]
    pub servers: Vec<(String, u32)>,
    #[command(flatten)]
    pub placement: Placement,
    /// How many servers each key is kept on: prints its preference list.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub replicas: u64,
    /// Print JSON instead of lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct SimulateArgs {
    /// The keys: a JSON array, a CSV's first column, or one per line.
    #[arg(long)]
    pub keys: String,
    /// The servers before the change, comma-separated: `A,B=2,C`.
    #[arg(long, required = true, value_delimiter = ',', value_parser = server_spec)]
    pub servers: Vec<(String, u32)>,
    /// Servers to add (comma-separated, `LABEL[=WEIGHT]`).
    #[arg(long, value_delimiter = ',', value_parser = server_spec)]
    pub add: Vec<(String, u32)>,
    /// Servers to remove, by label.
    #[arg(long, value_delimiter = ',')]
    pub remove: Vec<String>,
    /// Servers to fail (they keep their place), by label.
    #[arg(long, value_delimiter = ',')]
    pub fail: Vec<String>,
    #[command(flatten)]
    pub placement: Placement,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct InspectArgs {
    /// The page's address, its #fragment, or a lab's `1.…` text.
    pub link: String,
    /// An earlier link to compare with (a scenario step is compared with the step before it).
    #[arg(long)]
    pub before: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

impl RouteArgs {
    /// The servers, numbered in order.
    pub fn server_list(&self) -> Vec<Server> {
        numbered(&self.servers, 0)
    }
}

impl SimulateArgs {
    /// The servers before the change and the ones to add, numbered on from them, after
    /// checking that every server to remove or fail is there and that there is a change.
    pub fn server_lists(&self) -> Result<(Vec<Server>, Vec<Server>), String> {
        let servers = numbered(&self.servers, 0);
        let add = numbered(&self.add, servers.len() as u32);
        for label in self.remove.iter().chain(&self.fail) {
            if !servers.iter().any(|s| &s.label == label) {
                return Err(format!("no server {label:?} to remove or fail"));
            }
        }
        if add.is_empty() && self.remove.is_empty() && self.fail.is_empty() {
            return Err("nothing to simulate: give --add, --remove or --fail".into());
        }
        Ok((servers, add))
    }
}

fn numbered(specs: &[(String, u32)], from: u32) -> Vec<Server> {
    specs
        .iter()
        .enumerate()
        .map(|(i, (label, weight))| {
            Server::new(from + i as u32, label.clone()).with_weight(*weight)
        })
        .collect()
}

fn algorithm(name: &str) -> Result<Algorithm, String> {
    Algorithm::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
        format!(
            "unknown algorithm {name:?}; choose one of {}",
            names.join(", ")
        )
    })
}

fn hash(name: &str) -> Result<HashFn, String> {
    HashFn::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = HashFn::ALL.iter().map(|h| h.name()).collect();
        format!("unknown hash {name:?}; choose one of {}", names.join(", "))
    })
}

fn load_factor(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|c| c.is_finite() && *c > 1.0)
        .ok_or_else(|| format!("takes a number above 1, not {text:?}"))
}

/// `LABEL` or `LABEL=WEIGHT`.
fn server_spec(spec: &str) -> Result<(String, u32), String> {
    let (label, weight) = match spec.split_once('=') {
        Some((label, w)) => {
            let weight: u32 = w
                .trim()
                .parse()
                .map_err(|_| format!("server {label:?}: weight {w:?} is not a whole number"))?;
            if weight == 0 {
                return Err(format!("server {label:?} has weight 0; weights start at 1"));
            }
            (label.trim(), weight)
        }
        None => (spec.trim(), 1),
    };
    if label.is_empty() {
        return Err(format!("{spec:?} has no server label"));
    }
    Ok((label.to_string(), weight))
}

fn experiment(name: &str) -> Result<Experiment, String> {
    Experiment::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Experiment::ALL.iter().map(|e| e.name()).collect();
        format!(
            "unknown experiment {name:?}; choose one of {}",
            names.join(", ")
        )
    })
}

fn number_in(text: &str, lo: f64, hi: f64, what: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= lo && *v <= hi)
        .ok_or_else(|| format!("takes {what}, not {text:?}"))
}

fn positive(text: &str) -> Result<f64, String> {
    number_in(text, 1e-3, 1e12, "a number from 0.001 to 10^12")
}

fn headroom(text: &str) -> Result<f64, String> {
    number_in(text, 0.0, 0.9, "a fraction from 0 to 0.9")
}

fn skew(text: &str) -> Result<f64, String> {
    number_in(text, 0.0, 3.0, "a number from 0 to 3")
}
