//! The authoring form of a scenario: servers named by label, positions in degrees or exact
//! ring positions. A JSON scenario file is this form; the built-ins are written in it too.

use super::validate::{check_edits, check_expects, check_id, check_start, check_steps};
use super::{Expect, Scenario, ScenarioError, Step, edit_error};
use crate::algorithms::Algorithm;
use crate::edit::Edit;
use crate::geometry::angle_to_position;
use crate::lab::{LabState, Limits};
use crate::{HashFn, KeyKind, KeySource, Server, ServerId};

/// A scenario as written: servers named by label, positions in degrees or ring positions.
/// A JSON scenario file is this structure (see `docs/scenarios.md`).
///
/// ```
/// use hashhalo_core::scenario::{ScenarioSpec, StartSpec, StepSpec, EditSpec, ExpectSpec};
///
/// let spec = ScenarioSpec {
///     id: "mine".into(),
///     title: "Add D".into(),
///     start: StartSpec::with_servers(&["A", "B", "C"]),
///     steps: vec![StepSpec {
///         caption: "Add D.".into(),
///         edits: vec![EditSpec::AddServer { label: "D".into() }],
///         expect: vec![ExpectSpec::AllMovedTo { server: "D".into() }],
///         ..StepSpec::default()
///     }],
///     ..ScenarioSpec::default()
/// };
/// let s = spec.compile().unwrap();
/// assert!(s.check().unwrap()[0].failures.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ScenarioSpec {
    /// A stable id (kebab case).
    pub id: String,
    /// A title.
    pub title: String,
    /// What the scenario shows.
    #[cfg_attr(feature = "serde", serde(default))]
    pub about: String,
    /// The lab before the first step.
    pub start: StartSpec,
    /// The steps.
    pub steps: Vec<StepSpec>,
}

/// The start of a scenario. Everything but the servers has the lab's default.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StartSpec {
    /// The servers, in order.
    pub servers: Vec<ServerSpec>,
    /// The algorithm's name (`ring`, `jump`, `nginx`, …).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub algorithm: Option<String>,
    /// The hash's name (`xxh3`, `md5`, …).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub hash: Option<String>,
    /// Virtual nodes per unit of weight.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub vnodes: Option<u32>,
    /// The generated keys.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub keys: Option<KeysSpec>,
    /// The replication factor.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub replicas: Option<u8>,
    /// Maglev's table size.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub table_size: Option<u64>,
    /// Multi-probe's probes.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub probes: Option<u32>,
    /// Bounded loads' capacity factor.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub load_factor: Option<f64>,
    /// AnchorHash's anchor size.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub anchor_capacity: Option<u32>,
}

impl StartSpec {
    /// A start with up servers of weight 1 labelled `labels`, and defaults for the rest.
    ///
    /// ```
    /// use hashhalo_core::scenario::StartSpec;
    ///
    /// assert_eq!(StartSpec::with_servers(&["A", "B"]).servers.len(), 2);
    /// ```
    pub fn with_servers(labels: &[&str]) -> StartSpec {
        StartSpec {
            servers: labels.iter().map(|l| ServerSpec::named(l)).collect(),
            ..StartSpec::default()
        }
    }
}

/// A server at the start.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ServerSpec {
    /// Its label.
    pub label: String,
    /// Its id (default: its place in the list, from 0). Ids decide colours and AnchorHash's
    /// buckets; a recorded scenario keeps the ones the lab had.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub id: Option<u32>,
    /// Its weight (default 1).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub weight: Option<u32>,
    /// Whether it starts down.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub down: bool,
    /// Where its virtual nodes go, in degrees clockwise from 0, from virtual node 0 on (the
    /// rest stay hashed): the seed-003 demo's fixed places.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub at_degrees: Vec<f64>,
    /// Pins as `[index, ring position]`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub pins: Vec<(u32, u64)>,
    /// A turn of every hashed virtual node, in ring positions.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_zero"))]
    pub shift: u64,
}

#[cfg(feature = "serde")]
fn is_zero(v: &u64) -> bool {
    *v == 0
}

impl ServerSpec {
    /// An up server of weight 1.
    pub fn named(label: &str) -> ServerSpec {
        ServerSpec {
            label: label.into(),
            ..ServerSpec::default()
        }
    }
}

/// Where the keys come from.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct KeysSpec {
    /// `userids`, `ips`, `urls` or `uniform`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub kind: Option<String>,
    /// How many.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub count: Option<u32>,
    /// The generator's seed.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub seed: Option<u64>,
}

/// A step as written.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StepSpec {
    /// What happens.
    pub caption: String,
    /// What to watch for.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub watch: Option<String>,
    /// A key to highlight.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub probe: Option<String>,
    /// The edits, in order.
    #[cfg_attr(feature = "serde", serde(default))]
    pub edits: Vec<EditSpec>,
    /// What must hold after the step.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub expect: Vec<ExpectSpec>,
}

/// An edit as written: the [`Edit`]s with servers named by label, positions in degrees or
/// in ring positions. In JSON: `{"edit": "fail-server", "server": "B"}`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "edit", rename_all = "kebab-case", deny_unknown_fields)
)]
#[allow(missing_docs)]
pub enum EditSpec {
    AddServer {
        label: String,
    },
    RemoveServer {
        server: String,
    },
    FailServer {
        server: String,
    },
    RestoreServer {
        server: String,
    },
    RenameServer {
        server: String,
        label: String,
    },
    WeighServer {
        server: String,
        weight: u32,
    },
    /// Turn by `degrees`, or to an exact `shift` in ring positions.
    TurnServer {
        server: String,
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        degrees: Option<f64>,
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        shift: Option<u64>,
    },
    /// Put a virtual node at `degrees`, or at an exact ring `position`.
    PinVnode {
        server: String,
        index: u32,
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        degrees: Option<f64>,
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        position: Option<u64>,
    },
    UnpinVnode {
        server: String,
        index: u32,
    },
    ResetServer {
        server: String,
    },
    SetVnodes {
        vnodes: u32,
    },
    SetKeyCount {
        count: u32,
    },
    SetKeySeed {
        seed: u64,
    },
    SetKeyKind {
        kind: String,
    },
    SetReplicas {
        replicas: u8,
    },
    SetAlgorithm {
        algorithm: String,
    },
    SetHash {
        hash: String,
    },
    SetTableSize {
        size: u64,
    },
    SetProbes {
        probes: u32,
    },
    SetLoadFactor {
        factor: f64,
    },
    SetAnchorCapacity {
        capacity: u32,
    },
}

/// An expectation as written. In JSON: `{"expect": "all-moved-to", "server": "D"}`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "expect", rename_all = "kebab-case", deny_unknown_fields)
)]
#[allow(missing_docs)]
pub enum ExpectSpec {
    Moved { min: f64, max: f64 },
    AllMovedTo { server: String },
    AllMovedFrom { server: String },
    Keys { server: String, min: u64, max: u64 },
    Unavailable { min: u64, max: u64 },
    BusiestAtMost { ratio: f64 },
    BusiestAtLeast { ratio: f64 },
}

/// The key kinds by name, as scenario files write them.
pub(crate) const KINDS: [(&str, KeyKind); 4] = [
    ("userids", KeyKind::UserIds),
    ("ips", KeyKind::Ips),
    ("urls", KeyKind::Urls),
    ("uniform", KeyKind::Uniform),
];

fn kind_named(name: &str) -> Option<KeyKind> {
    KINDS.iter().find(|k| k.0 == name).map(|k| k.1)
}

/// The name a scenario file uses for `kind`.
pub fn kind_name(kind: KeyKind) -> &'static str {
    KINDS
        .iter()
        .find(|k| k.1 == kind)
        .map_or("userids", |k| k.0)
}

fn degrees(d: f64) -> u64 {
    angle_to_position(d.to_radians().rem_euclid(std::f64::consts::TAU))
}

impl ScenarioSpec {
    /// The scenario with servers resolved to ids, checked field by field: every edit is made
    /// on the lab of its step, so an edit naming a server that is not there is an error that
    /// names the step and the field.
    ///
    /// ```
    /// use hashhalo_core::scenario::{EditSpec, ScenarioSpec, StartSpec, StepSpec};
    ///
    /// let mut spec = ScenarioSpec {
    ///     id: "x".into(), title: "x".into(),
    ///     start: StartSpec::with_servers(&["A"]), ..ScenarioSpec::default()
    /// };
    /// spec.steps.push(StepSpec {
    ///     caption: "Fail Z.".into(),
    ///     edits: vec![EditSpec::FailServer { server: "Z".into() }],
    ///     ..StepSpec::default()
    /// });
    /// assert_eq!(spec.compile().unwrap_err().to_string(),
    ///     "step 1, edits[0].server: there is no server called \"Z\"");
    /// ```
    pub fn compile(&self) -> Result<Scenario, ScenarioError> {
        // The cheap limits first, so a huge file is refused before its steps are walked.
        check_id(&self.id)?;
        check_steps(self.steps.len())?;
        let start = self.start.lab()?;
        let mut lab = start.clone();
        let mut steps = Vec::with_capacity(self.steps.len());
        for (k, spec) in self.steps.iter().enumerate() {
            let n = k + 1;
            check_edits(n, spec.edits.len())?;
            check_expects(n, spec.expect.len())?;
            // Only the servers of the lab before are kept for the expectations: a copy of the
            // whole lab would cost its pins at every step.
            let before = LabState {
                servers: lab.servers.iter().map(Server::without_pins).collect(),
                ..LabState::default()
            };
            let mut edits = Vec::with_capacity(spec.edits.len());
            for (e, edit) in spec.edits.iter().enumerate() {
                let edit = edit.resolve(&lab).map_err(|(field, message)| {
                    ScenarioError::at(n, format!("edits[{e}].{field}"), message)
                })?;
                lab.apply_in_place(&edit, &Limits::APP)
                    .map_err(|err| edit_error(n, e, &edit, &err))?;
                edits.push(edit);
            }
            let mut expect = Vec::with_capacity(spec.expect.len());
            for (x, e) in spec.expect.iter().enumerate() {
                expect.push(e.resolve(&before, &lab).map_err(|(field, message)| {
                    ScenarioError::at(n, format!("expect[{x}].{field}"), message)
                })?);
            }
            steps.push(Step {
                caption: spec.caption.clone(),
                watch: spec.watch.clone(),
                probe: spec.probe.clone(),
                edits,
                expect,
            });
        }
        let scenario = Scenario {
            id: self.id.clone(),
            title: self.title.clone(),
            about: self.about.clone(),
            start,
            steps,
        };
        scenario.validate()?;
        Ok(scenario)
    }
}

impl StartSpec {
    /// The lab this start describes.
    fn lab(&self) -> Result<LabState, ScenarioError> {
        let field = |f: &str| format!("start.{f}");
        let mut lab = LabState {
            servers: Vec::new(),
            ..LabState::default()
        };
        if let Some(a) = &self.algorithm {
            lab.router.algorithm = Algorithm::from_name(a)
                .ok_or_else(|| ScenarioError::at(0, field("algorithm"), unknown("algorithm", a)))?;
        }
        if let Some(h) = &self.hash {
            lab.router.hash = HashFn::from_name(h)
                .ok_or_else(|| ScenarioError::at(0, field("hash"), unknown("hash", h)))?;
        }
        if let Some(v) = self.vnodes {
            lab.router.vnodes = v;
        }
        if let Some(k) = &self.keys {
            let kind = match &k.kind {
                Some(name) => kind_named(name).ok_or_else(|| {
                    ScenarioError::at(0, field("keys.kind"), unknown("key kind", name))
                })?,
                None => KeyKind::UserIds,
            };
            lab.keys = KeySource {
                kind,
                count: k.count.unwrap_or(1000),
                seed: k.seed.unwrap_or(1),
            };
        }
        if let Some(r) = self.replicas {
            lab.replicas = r;
        }
        if let Some(m) = self.table_size {
            lab.router.maglev_table_size = m;
        }
        if let Some(p) = self.probes {
            lab.router.probes = p;
        }
        if let Some(c) = self.load_factor {
            lab.router.load_factor = c;
        }
        if let Some(a) = self.anchor_capacity {
            lab.router.anchor_capacity = a;
        }
        if self.servers.is_empty() {
            return Err(ScenarioError::at(
                0,
                field("servers"),
                "a lab needs a server",
            ));
        }
        for (i, s) in self.servers.iter().enumerate() {
            let mut server = Server::new(s.id.unwrap_or(i as u32), s.label.clone());
            server.weight = s.weight.unwrap_or(1);
            if s.down {
                server.status = crate::Status::Down;
            }
            server.shift = s.shift;
            for (index, d) in s.at_degrees.iter().enumerate() {
                server.pin(index as u32, degrees(*d));
            }
            for &(index, position) in &s.pins {
                server.pin(index, position);
            }
            lab.servers.push(server);
        }
        check_start(&lab)
    }
}

fn unknown(what: &str, name: &str) -> String {
    format!("there is no {what} called {}", crate::format::quoted(name))
}

/// The id of the server labelled `label` in `lab`, or the error for field `server`.
fn server_named(lab: &LabState, label: &str) -> Result<ServerId, (String, String)> {
    lab.servers
        .iter()
        .find(|s| s.label == label)
        .map(|s| s.id)
        .ok_or_else(|| {
            (
                "server".into(),
                format!("there is no server called {}", crate::format::quoted(label)),
            )
        })
}

impl EditSpec {
    /// The edit, with its server found in `lab`; or the field and what was wrong.
    pub(crate) fn resolve(&self, lab: &LabState) -> Result<Edit, (String, String)> {
        let s = |label: &str| server_named(lab, label);
        let named = |what: &str, field: &str, name: &str| (field.to_string(), unknown(what, name));
        Ok(match self {
            EditSpec::AddServer { label } => Edit::AddServer {
                label: label.clone(),
            },
            EditSpec::RemoveServer { server } => Edit::RemoveServer(s(server)?),
            EditSpec::FailServer { server } => Edit::FailServer(s(server)?),
            EditSpec::RestoreServer { server } => Edit::RestoreServer(s(server)?),
            EditSpec::RenameServer { server, label } => Edit::RenameServer {
                server: s(server)?,
                label: label.clone(),
            },
            EditSpec::WeighServer { server, weight } => Edit::WeighServer {
                server: s(server)?,
                weight: *weight,
            },
            EditSpec::TurnServer {
                server,
                degrees: d,
                shift,
            } => Edit::TurnServer {
                server: s(server)?,
                shift: match (d, shift) {
                    (_, Some(shift)) => *shift,
                    (Some(d), None) => degrees(*d),
                    (None, None) => {
                        return Err(("degrees".into(), "give degrees or a shift".into()));
                    }
                },
            },
            EditSpec::PinVnode {
                server,
                index,
                degrees: d,
                position,
            } => Edit::PinVnode {
                server: s(server)?,
                index: *index,
                position: match (d, position) {
                    (_, Some(p)) => *p,
                    (Some(d), None) => degrees(*d),
                    (None, None) => {
                        return Err(("degrees".into(), "give degrees or a position".into()));
                    }
                },
            },
            EditSpec::UnpinVnode { server, index } => Edit::UnpinVnode {
                server: s(server)?,
                index: *index,
            },
            EditSpec::ResetServer { server } => Edit::ResetServer(s(server)?),
            EditSpec::SetVnodes { vnodes } => Edit::SetVnodes(*vnodes),
            EditSpec::SetKeyCount { count } => Edit::SetKeyCount(*count),
            EditSpec::SetKeySeed { seed } => Edit::SetKeySeed(*seed),
            EditSpec::SetKeyKind { kind } => {
                Edit::SetKeyKind(kind_named(kind).ok_or_else(|| named("key kind", "kind", kind))?)
            }
            EditSpec::SetReplicas { replicas } => Edit::SetReplicas(*replicas),
            EditSpec::SetAlgorithm { algorithm } => Edit::SetAlgorithm(
                Algorithm::from_name(algorithm)
                    .ok_or_else(|| named("algorithm", "algorithm", algorithm))?,
            ),
            EditSpec::SetHash { hash } => {
                Edit::SetHash(HashFn::from_name(hash).ok_or_else(|| named("hash", "hash", hash))?)
            }
            EditSpec::SetTableSize { size } => Edit::SetTableSize(*size),
            EditSpec::SetProbes { probes } => Edit::SetProbes(*probes),
            EditSpec::SetLoadFactor { factor } => Edit::SetLoadFactor(*factor),
            EditSpec::SetAnchorCapacity { capacity } => Edit::SetAnchorCapacity(*capacity),
        })
    }

    /// The edit as written, with servers named as in `lab` (the lab it is made on).
    fn of(edit: &Edit, lab: &LabState) -> EditSpec {
        let name = |id: ServerId| {
            lab.servers
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| format!("#{}", id.0), |s| s.label.clone())
        };
        match edit {
            Edit::AddServer { label } => EditSpec::AddServer {
                label: label.clone(),
            },
            Edit::RemoveServer(id) => EditSpec::RemoveServer { server: name(*id) },
            Edit::FailServer(id) => EditSpec::FailServer { server: name(*id) },
            Edit::RestoreServer(id) => EditSpec::RestoreServer { server: name(*id) },
            Edit::RenameServer { server, label } => EditSpec::RenameServer {
                server: name(*server),
                label: label.clone(),
            },
            Edit::WeighServer { server, weight } => EditSpec::WeighServer {
                server: name(*server),
                weight: *weight,
            },
            Edit::TurnServer { server, shift } => EditSpec::TurnServer {
                server: name(*server),
                degrees: None,
                shift: Some(*shift),
            },
            Edit::PinVnode {
                server,
                index,
                position,
            } => EditSpec::PinVnode {
                server: name(*server),
                index: *index,
                degrees: None,
                position: Some(*position),
            },
            Edit::UnpinVnode { server, index } => EditSpec::UnpinVnode {
                server: name(*server),
                index: *index,
            },
            Edit::ResetServer(id) => EditSpec::ResetServer { server: name(*id) },
            Edit::SetVnodes(v) => EditSpec::SetVnodes { vnodes: *v },
            Edit::SetKeyCount(n) => EditSpec::SetKeyCount { count: *n },
            Edit::SetKeySeed(seed) => EditSpec::SetKeySeed { seed: *seed },
            Edit::SetKeyKind(kind) => EditSpec::SetKeyKind {
                kind: kind_name(*kind).into(),
            },
            Edit::SetReplicas(r) => EditSpec::SetReplicas { replicas: *r },
            Edit::SetAlgorithm(a) => EditSpec::SetAlgorithm {
                algorithm: a.name().into(),
            },
            Edit::SetHash(h) => EditSpec::SetHash {
                hash: h.name().into(),
            },
            Edit::SetTableSize(m) => EditSpec::SetTableSize { size: *m },
            Edit::SetProbes(k) => EditSpec::SetProbes { probes: *k },
            Edit::SetLoadFactor(c) => EditSpec::SetLoadFactor { factor: *c },
            Edit::SetAnchorCapacity(a) => EditSpec::SetAnchorCapacity { capacity: *a },
        }
    }
}

impl ExpectSpec {
    /// The expectation with servers found in the lab after the step, or, for one the step
    /// removed (keys moved from it), in the lab before it.
    fn resolve(&self, before: &LabState, after: &LabState) -> Result<Expect, (String, String)> {
        let s = |label: &str| {
            server_named(after, label).or_else(|e| server_named(before, label).map_err(|_| e))
        };
        Ok(match self {
            ExpectSpec::Moved { min, max } => Expect::Moved {
                min: *min,
                max: *max,
            },
            ExpectSpec::AllMovedTo { server } => Expect::AllMovedTo(s(server)?),
            ExpectSpec::AllMovedFrom { server } => Expect::AllMovedFrom(s(server)?),
            ExpectSpec::Keys { server, min, max } => Expect::Keys {
                server: s(server)?,
                min: *min,
                max: *max,
            },
            ExpectSpec::Unavailable { min, max } => Expect::Unavailable {
                min: *min,
                max: *max,
            },
            ExpectSpec::BusiestAtMost { ratio } => Expect::BusiestAtMost(*ratio),
            ExpectSpec::BusiestAtLeast { ratio } => Expect::BusiestAtLeast(*ratio),
        })
    }

    /// The expectation as written, with servers named as in the labs before and after it.
    fn of(expect: &Expect, before: &LabState, after: &LabState) -> ExpectSpec {
        let name = |id: ServerId| {
            after
                .servers
                .iter()
                .chain(&before.servers)
                .find(|s| s.id == id)
                .map_or_else(|| format!("#{}", id.0), |s| s.label.clone())
        };
        match *expect {
            Expect::Moved { min, max } => ExpectSpec::Moved { min, max },
            Expect::AllMovedTo(id) => ExpectSpec::AllMovedTo { server: name(id) },
            Expect::AllMovedFrom(id) => ExpectSpec::AllMovedFrom { server: name(id) },
            Expect::Keys { server, min, max } => ExpectSpec::Keys {
                server: name(server),
                min,
                max,
            },
            Expect::Unavailable { min, max } => ExpectSpec::Unavailable { min, max },
            Expect::BusiestAtMost(ratio) => ExpectSpec::BusiestAtMost { ratio },
            Expect::BusiestAtLeast(ratio) => ExpectSpec::BusiestAtLeast { ratio },
        }
    }
}

impl Scenario {
    /// The scenario as written: servers by label, exact positions. Compiling it gives this
    /// scenario back.
    ///
    /// ```
    /// use hashhalo_core::scenario::builtin;
    ///
    /// let s = builtin("weights").unwrap();
    /// assert_eq!(s.to_spec().unwrap().compile().unwrap(), s);
    /// ```
    pub fn to_spec(&self) -> Result<ScenarioSpec, ScenarioError> {
        let mut lab = self.start.clone();
        let mut steps = Vec::with_capacity(self.steps.len());
        for (k, step) in self.steps.iter().enumerate() {
            // Edits are made in place, and only the servers of the lab before are kept for
            // the expectations: a copy of the whole lab at each edit cost its pins every time
            // (a scenario of 260,000 pins and 20,000 edits took minutes to write).
            let before = LabState {
                servers: lab.servers.iter().map(Server::without_pins).collect(),
                ..LabState::default()
            };
            let mut edits = Vec::with_capacity(step.edits.len());
            for (e, edit) in step.edits.iter().enumerate() {
                edits.push(EditSpec::of(edit, &lab));
                lab.apply_in_place(edit, &Limits::APP)
                    .map_err(|err| edit_error(k + 1, e, edit, &err))?;
            }
            steps.push(StepSpec {
                caption: step.caption.clone(),
                watch: step.watch.clone(),
                probe: step.probe.clone(),
                edits,
                expect: step
                    .expect
                    .iter()
                    .map(|x| ExpectSpec::of(x, &before, &lab))
                    .collect(),
            });
        }
        Ok(ScenarioSpec {
            id: self.id.clone(),
            title: self.title.clone(),
            about: self.about.clone(),
            start: StartSpec::of(&self.start),
            steps,
        })
    }
}

impl StartSpec {
    /// The start that describes `lab` (its servers keep their order; their ids become their
    /// places in it).
    fn of(lab: &LabState) -> StartSpec {
        let d = LabState::default();
        let r = &lab.router;
        StartSpec {
            servers: lab
                .servers
                .iter()
                .enumerate()
                .map(|(i, s)| ServerSpec {
                    label: s.label.clone(),
                    id: (s.id.0 != i as u32).then_some(s.id.0),
                    weight: (s.weight != 1).then_some(s.weight),
                    down: !s.is_up(),
                    at_degrees: Vec::new(),
                    pins: s.pins.iter().map(|p| (p.index, p.position)).collect(),
                    shift: s.shift,
                })
                .collect(),
            algorithm: Some(r.algorithm.name().into()),
            hash: Some(r.hash.name().into()),
            vnodes: Some(r.vnodes),
            keys: Some(KeysSpec {
                kind: Some(kind_name(lab.keys.kind).into()),
                count: Some(lab.keys.count),
                seed: Some(lab.keys.seed),
            }),
            replicas: Some(lab.replicas),
            table_size: (r.maglev_table_size != d.router.maglev_table_size)
                .then_some(r.maglev_table_size),
            probes: (r.probes != d.router.probes).then_some(r.probes),
            load_factor: (r.load_factor != d.router.load_factor).then_some(r.load_factor),
            anchor_capacity: (r.anchor_capacity != d.router.anchor_capacity)
                .then_some(r.anchor_capacity),
        }
    }
}
