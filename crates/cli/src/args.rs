//! Command-line parsing: every mistake becomes one sentence naming the fix.

use hashhalo_core::algorithms::{Algorithm, RouterConfig};
use hashhalo_core::{HashFn, Server};

pub const USAGE: &str = "\
hashhalo: consistent hashing from a terminal (the engine of the HashHalo lab)

usage:
  hashhalo route --server LABEL[=WEIGHT]... [options] [--replicas R] [--json] < keys
      Reads keys one per line on stdin and prints `key<TAB>server` for each
      (with --replicas R > 1, a third column lists the R-server preference list).
  hashhalo simulate --keys FILE --servers A,B,C [--add D]... [--remove X]... [--fail X]... [options] [--json]
      Assigns the keys (a JSON array, a CSV column, or one per line) before and after
      the change, and prints per-server counts, the keys that moved, and the minimum
      any placement must move.

  hashhalo inspect LINK [--before LINK] [--json]
      What a HashHalo share link (the page address, or its #fragment) shows: keys and
      share per server; with --before, the keys that moved since an earlier link.

options:
  --algorithm NAME   modulo, ring (default), jump, rendezvous, maglev, multi-probe,
                     bounded-loads, anchor, or a production preset: nginx, libketama,
                     envoy-ring, envoy-maglev
  --vnodes V         virtual nodes per unit of weight (ring, bounded-loads; default 100)
  --hash H           xxh3 (default), xxh64, md5, crc32, fnv1a, toy (presets use their own)
  --table-size M     Maglev table size, a prime (default 65537)
  --probes K         multi-probe probes (default 21)
  --load-factor C    bounded-loads capacity factor above 1 (default 1.25)
";

pub enum Command {
    Help,
    Route(RouteArgs),
    Simulate(SimulateArgs),
    Inspect(InspectArgs),
}

pub struct InspectArgs {
    pub link: String,
    pub before: Option<String>,
    pub json: bool,
}

pub struct RouteArgs {
    pub servers: Vec<Server>,
    pub config: RouterConfig,
    pub replicas: usize,
    pub json: bool,
}

pub struct SimulateArgs {
    pub keys: String,
    pub servers: Vec<Server>,
    pub add: Vec<Server>,
    pub remove: Vec<String>,
    pub fail: Vec<String>,
    pub config: RouterConfig,
    pub json: bool,
}

pub fn parse(argv: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = argv.split_first() else {
        return Err(
            "no command: use `hashhalo route` or `hashhalo simulate` (--help for more)".into(),
        );
    };
    match command.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "route" => parse_route(rest),
        "simulate" => parse_simulate(rest),
        "inspect" => parse_inspect(rest),
        other => Err(format!(
            "unknown command {other:?}: use `route` or `simulate`"
        )),
    }
}

/// The options shared by both commands, read one at a time.
struct Common {
    config: RouterConfig,
    json: bool,
}

impl Common {
    fn new() -> Common {
        Common {
            config: RouterConfig::default(),
            json: false,
        }
    }

    /// Takes `flag` (and its value) if it is a shared option; returns whether it was.
    fn take(
        &mut self,
        flag: &str,
        value: &mut dyn FnMut() -> Result<String, String>,
    ) -> Result<bool, String> {
        match flag {
            "--algorithm" => {
                let name = value()?;
                self.config.algorithm = Algorithm::from_name(&name).ok_or_else(|| {
                    let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
                    format!(
                        "unknown algorithm {name:?}; choose one of {}",
                        names.join(", ")
                    )
                })?;
            }
            "--hash" => {
                let name = value()?;
                self.config.hash = HashFn::from_name(&name).ok_or_else(|| {
                    let names: Vec<&str> = HashFn::ALL.iter().map(|h| h.name()).collect();
                    format!("unknown hash {name:?}; choose one of {}", names.join(", "))
                })?;
            }
            "--vnodes" => self.config.vnodes = number(flag, &value()?, 1)?,
            "--table-size" => self.config.maglev_table_size = number(flag, &value()?, 1)?,
            "--probes" => self.config.probes = number(flag, &value()?, 1)?,
            "--load-factor" => {
                let text = value()?;
                self.config.load_factor = text
                    .parse::<f64>()
                    .ok()
                    .filter(|c| c.is_finite() && *c > 1.0)
                    .ok_or_else(|| format!("--load-factor takes a number above 1, not {text:?}"))?;
            }
            "--json" => self.json = true,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

fn number<T: std::str::FromStr + PartialOrd + From<u8>>(
    flag: &str,
    text: &str,
    min: u8,
) -> Result<T, String> {
    text.parse::<T>()
        .ok()
        .filter(|n| *n >= T::from(min))
        .ok_or_else(|| format!("{flag} takes a whole number from {min}, not {text:?}"))
}

/// Walks `args`, handing each flag and a way to take its value to `handle`.
fn walk(
    args: &[String],
    mut handle: impl FnMut(&str, &mut dyn FnMut() -> Result<String, String>) -> Result<(), String>,
) -> Result<(), String> {
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].clone();
        let mut taken = false;
        let next = args.get(i + 1).cloned();
        let mut value = || -> Result<String, String> {
            taken = true;
            next.clone().ok_or_else(|| format!("{flag} needs a value"))
        };
        handle(&flag, &mut value)?;
        i += if taken { 2 } else { 1 };
    }
    Ok(())
}

/// `LABEL` or `LABEL=WEIGHT`, as server number `id`.
fn server_spec(spec: &str, id: u32) -> Result<Server, String> {
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
    Ok(Server::new(id, label).with_weight(weight))
}

fn parse_route(args: &[String]) -> Result<Command, String> {
    let mut common = Common::new();
    let mut servers = Vec::new();
    let mut replicas = 1usize;
    walk(args, |flag, value| {
        if common.take(flag, value)? {
            return Ok(());
        }
        match flag {
            "--server" => {
                let spec = value()?;
                servers.push(server_spec(&spec, servers.len() as u32)?);
            }
            "--replicas" => replicas = number(flag, &value()?, 1)?,
            "-h" | "--help" => return Err(USAGE.trim_end().into()),
            other => {
                return Err(format!(
                    "unknown option {other:?} for route (--help lists them)"
                ));
            }
        }
        Ok(())
    })?;
    if servers.is_empty() {
        return Err("no servers: give --server LABEL[=WEIGHT] at least once".into());
    }
    Ok(Command::Route(RouteArgs {
        servers,
        config: common.config,
        replicas,
        json: common.json,
    }))
}

fn parse_simulate(args: &[String]) -> Result<Command, String> {
    let mut common = Common::new();
    let mut keys = None;
    let mut specs: Vec<String> = Vec::new();
    let mut add: Vec<String> = Vec::new();
    let (mut remove, mut fail) = (Vec::new(), Vec::new());
    walk(args, |flag, value| {
        if common.take(flag, value)? {
            return Ok(());
        }
        match flag {
            "--keys" => keys = Some(value()?),
            "--servers" => specs.extend(value()?.split(',').map(str::to_string)),
            "--server" => specs.push(value()?),
            "--add" => add.extend(value()?.split(',').map(str::to_string)),
            "--remove" => remove.extend(value()?.split(',').map(|s| s.trim().to_string())),
            "--fail" => fail.extend(value()?.split(',').map(|s| s.trim().to_string())),
            "-h" | "--help" => return Err(USAGE.trim_end().into()),
            other => {
                return Err(format!(
                    "unknown option {other:?} for simulate (--help lists them)"
                ));
            }
        }
        Ok(())
    })?;
    let keys =
        keys.ok_or("no keys: give --keys FILE (a JSON array, a CSV, or one key per line)")?;
    let servers: Vec<Server> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| server_spec(s, i as u32))
        .collect::<Result<_, _>>()?;
    if servers.is_empty() {
        return Err("no servers: give --servers A,B,C".into());
    }
    let add: Vec<Server> = add
        .iter()
        .enumerate()
        .map(|(i, s)| server_spec(s, (servers.len() + i) as u32))
        .collect::<Result<_, _>>()?;
    for label in remove.iter().chain(&fail) {
        if !servers.iter().any(|s| &s.label == label) {
            return Err(format!("no server {label:?} to remove or fail"));
        }
    }
    if add.is_empty() && remove.is_empty() && fail.is_empty() {
        return Err("nothing to simulate: give --add, --remove or --fail".into());
    }
    Ok(Command::Simulate(SimulateArgs {
        keys,
        servers,
        add,
        remove,
        fail,
        config: common.config,
        json: common.json,
    }))
}

fn parse_inspect(args: &[String]) -> Result<Command, String> {
    let mut link = None;
    let mut before = None;
    let mut json = false;
    walk(args, |flag, value| {
        match flag {
            "--before" => before = Some(value()?),
            "--json" => json = true,
            "-h" | "--help" => return Err(USAGE.trim_end().into()),
            other if other.starts_with("--") => {
                return Err(format!(
                    "unknown option {other:?} for inspect (--help lists them)"
                ));
            }
            other if link.is_none() => link = Some(other.to_string()),
            other => return Err(format!("inspect takes one link, not also {other:?}")),
        }
        Ok(())
    })?;
    let link = link.ok_or("no link: give the page address or its #fragment")?;
    Ok(Command::Inspect(InspectArgs { link, before, json }))
}
