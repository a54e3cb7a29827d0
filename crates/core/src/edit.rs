//! Every change a person (or a scenario, or a message from a slide deck) can make to the lab,
//! as data: one closed [`Edit`] set, applied by one pure function, [`LabState::apply`], with a
//! typed error and the previous state left untouched when an edit cannot be made.
//!
//! The app turns events into edits and nothing else; scenario steps are lists of edits; the
//! CLI replays them. So what an edit does is decided here, once.
//!
//! ```
//! use hashhalo_core::edit::{Edit, EditError};
//! use hashhalo_core::lab::{LabState, Limits};
//! use hashhalo_core::ServerId;
//!
//! let lab = LabState::default();
//! let added = lab.apply(&Edit::AddServer { label: "D".into() }, &Limits::APP).unwrap();
//! assert_eq!(added.servers[3].id, ServerId(3));
//! assert_eq!(
//!     added.apply(&Edit::AddServer { label: "D".into() }, &Limits::APP),
//!     Err(EditError::LabelTaken("D".into()))
//! );
//! ```

use std::fmt;

use crate::algorithms::Algorithm;
use crate::lab::{LabState, Limits, PastedKeys};
use crate::{HashFn, KeyKind, Server, ServerId, Status};

/// One change to the lab.
///
/// Servers are named by id, which survives renames; [`Edit::name`] is the edit's name in
/// kebab case.
///
/// ```
/// use hashhalo_core::edit::Edit;
/// use hashhalo_core::ServerId;
///
/// assert_eq!(Edit::FailServer(ServerId(1)).name(), "fail-server");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Adds an up server of weight 1 with the lowest id no server has.
    AddServer {
        /// Its label, which its virtual nodes are hashed from.
        label: String,
    },
    /// Removes a server (never the last one).
    RemoveServer(ServerId),
    /// Takes a server down: it keeps its place and its keys fail over.
    FailServer(ServerId),
    /// Brings a down server back.
    RestoreServer(ServerId),
    /// Renames a server (its virtual nodes move, being hashed from the name).
    RenameServer {
        /// The server.
        server: ServerId,
        /// Its new label.
        label: String,
    },
    /// Sets a server's weight.
    WeighServer {
        /// The server.
        server: ServerId,
        /// Its new weight.
        weight: u32,
    },
    /// Turns a server: every hashed virtual node of it moves clockwise by `shift` positions
    /// from where its hash puts it (dragging its handle).
    TurnServer {
        /// The server.
        server: ServerId,
        /// The turn, in ring positions (0 is no turn).
        shift: u64,
    },
    /// Places one virtual node by hand.
    PinVnode {
        /// The server.
        server: ServerId,
        /// Which of its virtual nodes.
        index: u32,
        /// Where it goes.
        position: u64,
    },
    /// Puts one virtual node back where its hash places it.
    UnpinVnode {
        /// The server.
        server: ServerId,
        /// Which of its virtual nodes.
        index: u32,
    },
    /// Puts every virtual node of a server back where its hash places it (no turn, no pins).
    ResetServer(ServerId),
    /// Virtual nodes per unit of weight.
    SetVnodes(u32),
    /// How many keys are generated.
    SetKeyCount(u32),
    /// The seed the keys are generated from.
    SetKeySeed(u64),
    /// The shape of the generated keys.
    SetKeyKind(KeyKind),
    /// The replication factor.
    SetReplicas(u8),
    /// The algorithm.
    SetAlgorithm(Algorithm),
    /// The hash function (the presets keep their own).
    SetHash(HashFn),
    /// Maglev's table size (a prime).
    SetTableSize(u64),
    /// Multi-probe's number of probes.
    SetProbes(u32),
    /// Bounded loads' capacity factor.
    SetLoadFactor(f64),
    /// AnchorHash's anchor size.
    SetAnchorCapacity(u32),
}

impl Edit {
    /// The edit's name in scenario files and messages.
    ///
    /// ```
    /// use hashhalo_core::edit::Edit;
    ///
    /// assert_eq!(Edit::SetVnodes(10).name(), "set-vnodes");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Edit::AddServer { .. } => "add-server",
            Edit::RemoveServer(_) => "remove-server",
            Edit::FailServer(_) => "fail-server",
            Edit::RestoreServer(_) => "restore-server",
            Edit::RenameServer { .. } => "rename-server",
            Edit::WeighServer { .. } => "weigh-server",
            Edit::TurnServer { .. } => "turn-server",
            Edit::PinVnode { .. } => "pin-vnode",
            Edit::UnpinVnode { .. } => "unpin-vnode",
            Edit::ResetServer(_) => "reset-server",
            Edit::SetVnodes(_) => "set-vnodes",
            Edit::SetKeyCount(_) => "set-key-count",
            Edit::SetKeySeed(_) => "set-key-seed",
            Edit::SetKeyKind(_) => "set-key-kind",
            Edit::SetReplicas(_) => "set-replicas",
            Edit::SetAlgorithm(_) => "set-algorithm",
            Edit::SetHash(_) => "set-hash",
            Edit::SetTableSize(_) => "set-table-size",
            Edit::SetProbes(_) => "set-probes",
            Edit::SetLoadFactor(_) => "set-load-factor",
            Edit::SetAnchorCapacity(_) => "set-anchor-capacity",
        }
    }

    /// The server the edit is about, if it is about one.
    ///
    /// ```
    /// use hashhalo_core::edit::Edit;
    /// use hashhalo_core::ServerId;
    ///
    /// assert_eq!(Edit::RemoveServer(ServerId(2)).server(), Some(ServerId(2)));
    /// assert_eq!(Edit::SetVnodes(10).server(), None);
    /// ```
    pub fn server(&self) -> Option<ServerId> {
        match self {
            Edit::RemoveServer(id)
            | Edit::FailServer(id)
            | Edit::RestoreServer(id)
            | Edit::ResetServer(id)
            | Edit::RenameServer { server: id, .. }
            | Edit::WeighServer { server: id, .. }
            | Edit::TurnServer { server: id, .. }
            | Edit::PinVnode { server: id, .. }
            | Edit::UnpinVnode { server: id, .. } => Some(*id),
            _ => None,
        }
    }
}

impl Edit {
    /// What the edit does, as a step's caption: a short imperative sentence naming servers by
    /// their labels in `lab`, the lab it is made to ("Add server D.", "Fail B.", "Set 100
    /// virtual nodes per server.").
    ///
    /// ```
    /// use hashhalo_core::edit::Edit;
    /// use hashhalo_core::lab::LabState;
    /// use hashhalo_core::ServerId;
    ///
    /// let lab = LabState::default();
    /// assert_eq!(Edit::AddServer { label: "D".into() }.caption(&lab), "Add server D.");
    /// assert_eq!(Edit::FailServer(ServerId(1)).caption(&lab), "Fail B.");
    /// assert_eq!(Edit::SetVnodes(1).caption(&lab), "Give each server 1 virtual node.");
    /// ```
    pub fn caption(&self, lab: &LabState) -> String {
        use crate::format::{count, decimal};

        let label = |id: &ServerId| {
            lab.servers
                .iter()
                .find(|s| s.id == *id)
                .map_or_else(|| format!("server {}", id.0), |s| s.label.clone())
        };
        match self {
            Edit::AddServer { label } => format!("Add server {label}."),
            Edit::RemoveServer(id) => format!("Remove {}.", label(id)),
            Edit::FailServer(id) => format!("Fail {}.", label(id)),
            Edit::RestoreServer(id) => format!("Bring {} back.", label(id)),
            Edit::RenameServer { server, label: to } => {
                format!("Rename {} to {to}.", label(server))
            }
            Edit::WeighServer { server, weight } => {
                format!("Give {} weight {weight}.", label(server))
            }
            Edit::TurnServer { server, .. } => format!("Turn {} on the ring.", label(server)),
            Edit::PinVnode { server, index, .. } => {
                format!("Move {}'s virtual node {index}.", label(server))
            }
            Edit::UnpinVnode { server, index } => {
                format!(
                    "Put {}'s virtual node {index} back where it hashes.",
                    label(server)
                )
            }
            Edit::ResetServer(id) => format!("Put {} back where it hashes.", label(id)),
            Edit::SetVnodes(v) => format!(
                "Give each server {} virtual {}.",
                count(u64::from(*v)),
                if *v == 1 { "node" } else { "nodes" }
            ),
            Edit::SetKeyCount(n) => format!("Use {} keys.", count(u64::from(*n))),
            Edit::SetKeySeed(seed) => format!("Draw new keys (seed {seed})."),
            Edit::SetKeyKind(kind) => format!(
                "Use {} as keys.",
                match kind {
                    KeyKind::UserIds => "user ids",
                    KeyKind::Ips => "client IP addresses",
                    KeyKind::Urls => "request paths",
                    KeyKind::Uniform => "uniform random values",
                }
            ),
            Edit::SetReplicas(r) => format!(
                "Keep {r} {} of each key.",
                if *r == 1 { "copy" } else { "copies" }
            ),
            Edit::SetAlgorithm(a) => format!("Switch to {}.", a.name()),
            Edit::SetHash(h) => format!("Hash keys with {}.", h.name()),
            Edit::SetTableSize(m) => format!("Make Maglev's table {} slots.", count(*m)),
            Edit::SetProbes(k) => format!("Use {k} probes per key."),
            Edit::SetLoadFactor(c) => {
                format!("Cap each server at {} × its fair share.", decimal(*c, 3))
            }
            Edit::SetAnchorCapacity(a) => format!("Make the anchor {a} buckets."),
        }
    }
}

/// Why an edit could not be made. The lab it was applied to is unchanged.
///
/// ```
/// use hashhalo_core::edit::EditError;
///
/// assert_eq!(EditError::LastServer.to_string(), "the last server cannot be removed");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum EditError {
    /// No server has this id.
    UnknownServer(ServerId),
    /// Another server already has this label.
    LabelTaken(String),
    /// A label is empty (after trimming), has control characters or is too long.
    BadLabel(String),
    /// The lab already has the most servers it may.
    TooManyServers(usize),
    /// The last server cannot be removed.
    LastServer,
    /// The server is already in the state the edit asks for.
    AlreadyThere(&'static str),
    /// A number is outside what the lab allows.
    OutOfRange {
        /// What the number is.
        what: &'static str,
        /// The number given.
        value: String,
        /// The smallest allowed.
        min: String,
        /// The largest allowed.
        max: String,
    },
    /// A virtual node the server does not have.
    NoSuchVnode {
        /// The server.
        server: ServerId,
        /// The index asked for.
        index: u32,
    },
    /// The edit would leave the lab unable to build (say, a Maglev table that is not prime).
    Invalid(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::UnknownServer(id) => write!(f, "there is no server with id {}", id.0),
            EditError::LabelTaken(l) => write!(f, "there is already a server named {l}"),
            EditError::BadLabel(why) => write!(f, "{why}"),
            EditError::TooManyServers(n) => write!(f, "the lab holds at most {n} servers"),
            EditError::LastServer => write!(f, "the last server cannot be removed"),
            EditError::AlreadyThere(what) => write!(f, "the server is already {what}"),
            EditError::OutOfRange {
                what,
                value,
                min,
                max,
            } => write!(f, "{what} must be from {min} to {max}, not {value}"),
            EditError::NoSuchVnode { server, index } => {
                write!(f, "server {} has no virtual node {index}", server.0)
            }
            EditError::Invalid(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for EditError {}

/// `value` within `min..=max`, or the error that says so.
fn in_range<T: PartialOrd + fmt::Display + Copy>(
    what: &'static str,
    value: T,
    min: T,
    max: T,
) -> Result<T, EditError> {
    if value < min || value > max {
        return Err(EditError::OutOfRange {
            what,
            value: value.to_string(),
            min: min.to_string(),
            max: max.to_string(),
        });
    }
    Ok(value)
}

/// Why `label` cannot name a server in `lab` (other than `except`), if it cannot.
fn label_problem(
    lab: &LabState,
    label: &str,
    except: Option<ServerId>,
    limits: &Limits,
) -> Option<EditError> {
    if label.trim().is_empty() {
        return Some(EditError::BadLabel("a server needs a name".into()));
    }
    if label.trim() != label || label.chars().any(char::is_control) {
        return Some(EditError::BadLabel(
            "a server's name cannot start or end with a space or hold control characters".into(),
        ));
    }
    if label.chars().count() > limits.max_label {
        return Some(EditError::BadLabel(format!(
            "a server's name has at most {} characters",
            limits.max_label
        )));
    }
    lab.servers
        .iter()
        .any(|s| s.label == label && Some(s.id) != except)
        .then(|| EditError::LabelTaken(label.to_string()))
}

impl LabState {
    /// The lab with its keys a pasted list recorded as `pasted` (or generated again, for
    /// `None`); or why not: a list of more keys than the algorithm places within the work
    /// budget ([`crate::work::max_keys`]) is refused in the words an edit's refusal uses.
    ///
    /// ```
    /// use hashhalo_core::algorithms::Algorithm;
    /// use hashhalo_core::lab::{LabState, Limits, PastedKeys};
    /// use hashhalo_core::Server;
    ///
    /// let mut lab = LabState::default();
    /// let list = PastedKeys { count: 1_000_000, fingerprint: 9 };
    /// assert_eq!(lab.with_pasted(Some(list), &Limits::APP).unwrap().pasted, Some(list));
    /// lab.servers = (0..64).map(|i| Server::new(i, format!("s{i}"))).collect();
    /// lab.router.algorithm = Algorithm::Rendezvous;
    /// let e = lab.with_pasted(Some(list), &Limits::APP).unwrap_err();
    /// assert!(e.to_string().ends_with("keys quickly; paste fewer keys, or use fewer servers"));
    /// ```
    pub fn with_pasted(
        &self,
        pasted: Option<PastedKeys>,
        limits: &Limits,
    ) -> Result<LabState, EditError> {
        let most = crate::work::max_keys_of(self, limits.keys.1);
        if pasted.is_some_and(|p| p.count > most) {
            return Err(EditError::Invalid(crate::work::too_many_keys_of(
                self,
                most,
                "paste fewer keys, or use fewer servers",
            )));
        }
        Ok(LabState {
            pasted,
            ..self.clone()
        })
    }

    /// The lab with `edit` made, within `limits`; or why it cannot be made, leaving `self`
    /// as it was. A successful edit gives a lab that [`LabState::clamped`] leaves unchanged.
    ///
    /// ```
    /// use hashhalo_core::edit::{Edit, EditError};
    /// use hashhalo_core::lab::{LabState, Limits};
    /// use hashhalo_core::{ServerId, Status};
    ///
    /// let lab = LabState::default();
    /// let down = lab.apply(&Edit::FailServer(ServerId(1)), &Limits::APP).unwrap();
    /// assert_eq!(down.servers[1].status, Status::Down);
    /// assert!(matches!(lab.apply(&Edit::SetVnodes(0), &Limits::APP),
    ///     Err(EditError::OutOfRange { .. })));
    /// ```
    pub fn apply(&self, edit: &Edit, limits: &Limits) -> Result<LabState, EditError> {
        let mut lab = self.clone();
        lab.apply_in_place(edit, limits)?;
        Ok(lab)
    }

    /// [`LabState::apply`] without the copy: makes `edit` here, or says why it cannot and
    /// leaves the lab as it was (every check comes before any change). A scenario's steps are
    /// replayed this way, so a long one with a large lab costs its edits, not copies of the lab.
    ///
    /// ```
    /// use hashhalo_core::edit::Edit;
    /// use hashhalo_core::lab::{LabState, Limits};
    ///
    /// let mut lab = LabState::default();
    /// lab.apply_in_place(&Edit::SetVnodes(10), &Limits::APP).unwrap();
    /// assert_eq!(lab.router.vnodes, 10);
    /// assert!(lab.apply_in_place(&Edit::SetVnodes(0), &Limits::APP).is_err());
    /// assert_eq!(lab.router.vnodes, 10);
    /// ```
    pub fn apply_in_place(&mut self, edit: &Edit, limits: &Limits) -> Result<(), EditError> {
        let lab = self;
        keys_within_work(lab, edit, limits)?;
        let slot = |lab: &LabState, id: ServerId| {
            lab.servers
                .iter()
                .position(|s| s.id == id)
                .ok_or(EditError::UnknownServer(id))
        };
        match edit {
            Edit::AddServer { label } => {
                if lab.servers.len() >= limits.max_servers {
                    return Err(EditError::TooManyServers(limits.max_servers));
                }
                if let Some(problem) = label_problem(lab, label, None, limits) {
                    return Err(problem);
                }
                let weight: u64 = lab.servers.iter().map(|s| u64::from(s.weight)).sum();
                if (weight + 1) * u64::from(lab.router.vnodes) > limits.max_points {
                    return Err(EditError::Invalid(format!(
                        "another server would put more than {} points on the ring; use fewer \
                         virtual nodes first",
                        crate::format::count(limits.max_points)
                    )));
                }
                if lab.router.maglev_table_size <= lab.servers.len() as u64 {
                    return Err(EditError::Invalid(format!(
                        "Maglev's table has only {} slots; make it larger first",
                        crate::format::count(lab.router.maglev_table_size)
                    )));
                }
                // The lowest id no server has: ids stay small, so colours stay apart, and
                // AnchorHash gets back the bucket it lost last.
                let id = (0..)
                    .find(|i| lab.servers.iter().all(|s| s.id.0 != *i))
                    .expect("fewer servers than ids");
                lab.servers.push(Server::new(id, label.clone()));
            }
            Edit::RemoveServer(id) => {
                let i = slot(lab, *id)?;
                if lab.servers.len() == 1 {
                    return Err(EditError::LastServer);
                }
                lab.servers.remove(i);
            }
            Edit::FailServer(id) | Edit::RestoreServer(id) => {
                let i = slot(lab, *id)?;
                let (status, already) = match edit {
                    Edit::FailServer(_) => (Status::Down, "down"),
                    _ => (Status::Up, "up"),
                };
                if lab.servers[i].status == status {
                    return Err(EditError::AlreadyThere(already));
                }
                lab.servers[i].status = status;
            }
            Edit::RenameServer { server, label } => {
                let i = slot(lab, *server)?;
                if let Some(problem) = label_problem(lab, label, Some(*server), limits) {
                    return Err(problem);
                }
                lab.servers[i].label = label.clone();
            }
            Edit::WeighServer { server, weight } => {
                let i = slot(lab, *server)?;
                let weight = in_range("a weight", *weight, 1, limits.max_weight)?;
                let others: u64 = lab
                    .servers
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, s)| u64::from(s.weight))
                    .sum();
                if (others + u64::from(weight)) * u64::from(lab.router.vnodes) > limits.max_points {
                    return Err(EditError::Invalid(format!(
                        "weight {weight} would put more than {} points on the ring; use fewer \
                         virtual nodes first",
                        crate::format::count(limits.max_points)
                    )));
                }
                lab.servers[i].weight = weight;
                // Pins past the new count no longer have a virtual node to hold.
                lab.servers[i].drop_pins_from(weight * lab.router.vnodes);
            }
            Edit::TurnServer { server, shift } => {
                let i = slot(lab, *server)?;
                lab.servers[i].shift = *shift;
            }
            Edit::PinVnode {
                server,
                index,
                position,
            } => {
                let i = slot(lab, *server)?;
                if *index >= lab.servers[i].weight * lab.router.vnodes {
                    return Err(EditError::NoSuchVnode {
                        server: *server,
                        index: *index,
                    });
                }
                lab.servers[i].pin(*index, *position);
            }
            Edit::UnpinVnode { server, index } => {
                let i = slot(lab, *server)?;
                lab.servers[i].unpin(*index);
            }
            Edit::ResetServer(id) => {
                let i = slot(lab, *id)?;
                lab.servers[i].shift = 0;
                lab.servers[i].pins.clear();
            }
            Edit::SetVnodes(v) => {
                let weight: u64 = lab.servers.iter().map(|s| u64::from(s.weight)).sum();
                let most = (limits.max_points / weight.max(1)).min(u64::from(limits.max_vnodes));
                lab.router.vnodes = in_range("virtual nodes per server", *v, 1, most as u32)?;
                // Pins past the new count no longer have a virtual node to hold.
                for s in &mut lab.servers {
                    s.drop_pins_from(s.weight * lab.router.vnodes);
                }
            }
            Edit::SetKeyCount(n) => {
                lab.keys.count = in_range("the key count", *n, limits.keys.0, limits.keys.1)?;
            }
            Edit::SetKeySeed(seed) => lab.keys.seed = *seed,
            Edit::SetKeyKind(kind) => lab.keys.kind = *kind,
            Edit::SetReplicas(r) => {
                lab.replicas = in_range("the replication factor", *r, 1, limits.max_replicas)?;
            }
            Edit::SetAlgorithm(a) => lab.router.algorithm = *a,
            Edit::SetHash(h) => lab.router.hash = *h,
            Edit::SetTableSize(m) => {
                let m = in_range(
                    "Maglev's table size",
                    *m,
                    lab.servers.len().max(2) as u64,
                    limits.max_table_size,
                )?;
                if !crate::algorithms::is_prime(m) {
                    return Err(EditError::Invalid(format!(
                        "Maglev's table size must be a prime, and {} is not",
                        crate::format::count(m)
                    )));
                }
                lab.router.maglev_table_size = m;
            }
            Edit::SetProbes(k) => {
                lab.router.probes = in_range("the probe count", *k, 1, limits.max_probes)?;
            }
            Edit::SetLoadFactor(c) => {
                if !c.is_finite() {
                    return Err(EditError::Invalid(
                        "the load factor must be a number".into(),
                    ));
                }
                if !(1.01..=10.0).contains(c) {
                    return Err(EditError::OutOfRange {
                        what: "the load factor",
                        value: crate::format::given(*c, 6),
                        min: "1.01".into(),
                        max: "10".into(),
                    });
                }
                lab.router.load_factor = (*c * 1000.0).round() / 1000.0;
            }
            Edit::SetAnchorCapacity(a) => {
                lab.router.anchor_capacity = in_range("the anchor capacity", *a, 1, 1024)?;
            }
        }
        Ok(())
    }
}

/// That the lab after `edit` holds no more keys than its algorithm can place within the
/// work budget ([`crate::work::max_keys`]); checked before anything changes.
fn keys_within_work(lab: &LabState, edit: &Edit, limits: &Limits) -> Result<(), EditError> {
    let mut after = LabState {
        servers: Vec::new(),
        pasted: None,
        ..*lab
    };
    let mut fleet = crate::work::Fleet::of(lab);
    let was_up = |id: &ServerId| lab.servers.iter().any(|s| s.id == *id && s.is_up());
    match edit {
        Edit::AddServer { .. } => {
            fleet.servers += 1;
            fleet.up += 1;
        }
        // Fewer servers up makes jump draw more often.
        Edit::FailServer(id) => fleet.up -= usize::from(was_up(id)),
        Edit::RemoveServer(id) if lab.servers.len() > 1 => {
            fleet.servers -= usize::from(lab.servers.iter().any(|s| s.id == *id));
            fleet.up -= usize::from(was_up(id));
        }
        Edit::SetKeyCount(n) => after.keys.count = *n,
        Edit::SetKeyKind(k) => after.keys.kind = *k,
        Edit::SetAlgorithm(a) => after.router.algorithm = *a,
        Edit::SetHash(h) => after.router.hash = *h,
        Edit::SetProbes(k) => after.router.probes = *k,
        Edit::SetReplicas(r) => after.replicas = *r,
        _ => return Ok(()),
    }
    let making = crate::work::key_making(
        after.keys.kind,
        after.router.algorithm.key_hash(after.router.hash),
    );
    let (r, most) = (after.router, after.replicas);
    let most = crate::work::max_keys(r.algorithm, fleet, r.probes, most, making, limits.keys.1);
    // A pasted list stays whatever the generated count is set to.
    let count = lab.pasted.map_or(after.keys.count, |p| p.count);
    if count > most {
        return Err(EditError::Invalid(crate::work::too_many_keys(
            r.algorithm,
            fleet,
            most,
            "use fewer keys first",
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits::APP;

    #[test]
    fn server_edits_name_the_server_and_keep_the_lab_on_error() {
        let lab = LabState::default();
        let b = ServerId(1);
        assert_eq!(
            lab.apply(&Edit::RemoveServer(ServerId(9)), &L),
            Err(EditError::UnknownServer(ServerId(9)))
        );
        let renamed = lab
            .apply(
                &Edit::RenameServer {
                    server: b,
                    label: "cache-b".into(),
                },
                &L,
            )
            .unwrap();
        assert_eq!(renamed.servers[1].label, "cache-b");
        assert_eq!(
            lab.apply(
                &Edit::RenameServer {
                    server: b,
                    label: "A".into()
                },
                &L
            ),
            Err(EditError::LabelTaken("A".into()))
        );
        // Renaming a server to its own name is allowed (nothing changes).
        assert_eq!(
            lab.apply(
                &Edit::RenameServer {
                    server: b,
                    label: "B".into()
                },
                &L
            )
            .unwrap(),
            lab
        );
        for bad in ["", "  ", " x", "a\u{1}b", &"x".repeat(33)] {
            assert!(matches!(
                lab.apply(&Edit::AddServer { label: bad.into() }, &L),
                Err(EditError::BadLabel(_))
            ));
        }
        let failed = lab.apply(&Edit::FailServer(b), &L).unwrap();
        assert_eq!(
            failed.apply(&Edit::FailServer(b), &L),
            Err(EditError::AlreadyThere("down"))
        );
        assert_eq!(failed.apply(&Edit::RestoreServer(b), &L).unwrap(), lab);
    }

    #[test]
    fn the_last_server_and_the_server_limit_hold() {
        let mut lab = LabState::default();
        lab.servers.truncate(1);
        assert_eq!(
            lab.apply(&Edit::RemoveServer(ServerId(0)), &L),
            Err(EditError::LastServer)
        );
        let full = LabState {
            servers: (0..64).map(|i| Server::new(i, format!("s{i}"))).collect(),
            ..LabState::default()
        };
        assert_eq!(
            full.apply(&Edit::AddServer { label: "x".into() }, &L),
            Err(EditError::TooManyServers(64))
        );
    }

    #[test]
    fn numbers_outside_the_limits_are_refused_with_the_range() {
        let lab = LabState::default();
        let err = lab.apply(&Edit::SetKeyCount(5), &L).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the key count must be from 10 to 1000000, not 5"
        );
        assert!(lab.apply(&Edit::SetReplicas(6), &L).is_err());
        assert!(lab.apply(&Edit::SetTableSize(65_536), &L).is_err());
        assert!(lab.apply(&Edit::SetTableSize(2), &L).is_err());
        assert_eq!(
            lab.apply(&Edit::SetTableSize(65_521), &L)
                .unwrap()
                .router
                .maglev_table_size,
            65_521
        );
        assert!(lab.apply(&Edit::SetLoadFactor(f64::NAN), &L).is_err());
        assert!(lab.apply(&Edit::SetLoadFactor(1.0), &L).is_err());
        // Weights and virtual nodes stay within the point budget together.
        let heavy = lab
            .apply(
                &Edit::WeighServer {
                    server: ServerId(0),
                    weight: 20,
                },
                &L,
            )
            .unwrap();
        assert!(heavy.apply(&Edit::SetVnodes(1000), &L).is_ok());
        let many = LabState {
            servers: (0..64)
                .map(|i| Server::new(i, format!("s{i}")).with_weight(20))
                .collect(),
            ..LabState::default()
        };
        assert!(many.apply(&Edit::SetVnodes(1000), &L).is_err());
        assert!(many.apply(&Edit::SetVnodes(204), &L).is_ok());
    }

    #[test]
    fn pins_follow_the_virtual_nodes_that_exist() {
        let lab = LabState::default();
        let a = ServerId(0);
        let pinned = lab
            .apply(
                &Edit::PinVnode {
                    server: a,
                    index: 99,
                    position: 5,
                },
                &L,
            )
            .unwrap();
        assert_eq!(pinned.servers[0].pins.len(), 1);
        assert_eq!(
            lab.apply(
                &Edit::PinVnode {
                    server: a,
                    index: 100,
                    position: 5
                },
                &L
            ),
            Err(EditError::NoSuchVnode {
                server: a,
                index: 100
            })
        );
        // Fewer virtual nodes drop the pins past the new count.
        let fewer = pinned.apply(&Edit::SetVnodes(50), &L).unwrap();
        assert!(fewer.servers[0].pins.is_empty());
        let turned = pinned
            .apply(
                &Edit::TurnServer {
                    server: a,
                    shift: 42,
                },
                &L,
            )
            .unwrap();
        assert_eq!(turned.apply(&Edit::ResetServer(a), &L).unwrap(), lab);
    }

    #[test]
    fn an_edited_lab_is_already_clamped() {
        let lab = LabState::default();
        let edits = [
            Edit::AddServer { label: "D".into() },
            Edit::WeighServer {
                server: ServerId(1),
                weight: 7,
            },
            Edit::SetVnodes(3),
            Edit::SetLoadFactor(1.23456),
            Edit::SetTableSize(7),
            Edit::SetAlgorithm(Algorithm::Maglev),
        ];
        let mut now = lab;
        for e in &edits {
            now = now.apply(e, &L).unwrap();
            assert_eq!(now.clamped(&L), (now.clone(), vec![]), "after {e:?}");
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn edit() -> impl Strategy<Value = Edit> {
        let id = (0u32..8).prop_map(ServerId);
        prop_oneof![
            "[A-H]{1,2}".prop_map(|label| Edit::AddServer { label }),
            id.clone().prop_map(Edit::RemoveServer),
            id.clone().prop_map(Edit::FailServer),
            id.clone().prop_map(Edit::RestoreServer),
            (id.clone(), "[A-H]{1,2}")
                .prop_map(|(server, label)| Edit::RenameServer { server, label }),
            (id.clone(), 0u32..25)
                .prop_map(|(server, weight)| Edit::WeighServer { server, weight }),
            (id.clone(), any::<u64>())
                .prop_map(|(server, shift)| Edit::TurnServer { server, shift }),
            (id.clone(), 0u32..400, any::<u64>()).prop_map(|(server, index, position)| {
                Edit::PinVnode {
                    server,
                    index,
                    position,
                }
            }),
            (id.clone(), 0u32..400).prop_map(|(server, index)| Edit::UnpinVnode { server, index }),
            id.prop_map(Edit::ResetServer),
            prop_oneof![1u32..6, 0u32..1200].prop_map(Edit::SetVnodes),
            (0u32..200_000).prop_map(Edit::SetKeyCount),
            (0u8..8).prop_map(Edit::SetReplicas),
            (0usize..12).prop_map(|a| Edit::SetAlgorithm(Algorithm::ALL[a])),
            (0usize..6).prop_map(|h| Edit::SetHash(HashFn::ALL[h])),
            prop_oneof![0u64..20, Just(65_537u64), Just(1_000_003u64)].prop_map(Edit::SetTableSize),
            (0u32..80).prop_map(Edit::SetProbes),
            (0.5f64..12.0).prop_map(Edit::SetLoadFactor),
            (0u32..2000).prop_map(Edit::SetAnchorCapacity),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(800))]

        /// Whatever edits are made, in any order, each one either is refused (and changes
        /// nothing) or gives a lab the clamp leaves alone and a router that builds.
        #[test]
        fn any_sequence_of_edits_keeps_the_lab_valid(edits in proptest::collection::vec(edit(), 1..30)) {
            let mut lab = LabState::default();
            for e in &edits {
                // In place, a refused edit leaves the lab exactly as it was.
                let mut in_place = lab.clone();
                let made = in_place.apply_in_place(e, &Limits::APP);
                if made.is_err() {
                    prop_assert_eq!(&in_place, &lab, "a refused {:?} changed the lab", e);
                }
                if let Ok(next) = lab.apply(e, &Limits::APP) {
                    prop_assert_eq!(&next, &in_place);
                    prop_assert_eq!(next.clamped(&Limits::APP), (next.clone(), vec![]), "after {:?}", e);
                    prop_assert!(
                        crate::algorithms::Router::build(&next.servers, &next.router).is_ok(),
                        "after {:?}: {:?}", e, next.router
                    );
                    lab = next;
                }
            }
        }
    }
}
