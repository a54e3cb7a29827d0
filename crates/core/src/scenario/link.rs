//! The compact form of a scenario, for links: `s1.` and URL-safe base64 of the same
//! varint-and-length-prefixed bytes a lab's link uses.

use super::spec::KINDS;
use super::validate::{check_edits, check_expects, check_steps};
use super::{Expect, MAX_TEXT, Scenario, ScenarioError, Step};
use crate::algorithms::Algorithm;
use crate::edit::Edit;
use crate::lab::{DecodeError, LabState, Reader, put};
use crate::{HashFn, ServerId};

/// The edits in the compact form's order of tags.
const EDIT_TAGS: [&str; 21] = [
    "add-server",
    "remove-server",
    "fail-server",
    "restore-server",
    "rename-server",
    "weigh-server",
    "turn-server",
    "pin-vnode",
    "unpin-vnode",
    "reset-server",
    "set-vnodes",
    "set-key-count",
    "set-key-seed",
    "set-key-kind",
    "set-replicas",
    "set-algorithm",
    "set-hash",
    "set-table-size",
    "set-probes",
    "set-load-factor",
    "set-anchor-capacity",
];

fn put_text(out: &mut Vec<u8>, text: &str) {
    put(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

fn put_option(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        None => put(out, 0),
        Some(t) => {
            put(out, 1);
            put_text(out, t);
        }
    }
}

/// A fraction or ratio in millionths.
fn millionths(v: f64) -> u64 {
    (v * 1e6).round().clamp(0.0, 1e15) as u64
}

impl Scenario {
    /// The compact text form, for a link: `s1.` and URL-safe base64.
    ///
    /// ```
    /// use hashhalo_core::scenario::{builtin, Scenario};
    ///
    /// let s = builtin("add-server").unwrap();
    /// let text = s.encode();
    /// assert!(text.starts_with("s1."));
    /// assert_eq!(Scenario::decode(&text).unwrap(), s);
    /// ```
    pub fn encode(&self) -> String {
        format!("s1.{}", crate::base64url::encode(&self.to_bytes()))
    }

    /// The bytes the compact form is the base64 of.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_text(&mut out, &self.id);
        put_text(&mut out, &self.title);
        put_text(&mut out, &self.about);
        self.start.write(&mut out);
        put(&mut out, self.steps.len() as u64);
        for step in &self.steps {
            put_text(&mut out, &step.caption);
            put_option(&mut out, step.watch.as_deref());
            put_option(&mut out, step.probe.as_deref());
            put(&mut out, step.edits.len() as u64);
            for edit in &step.edits {
                write_edit(&mut out, edit);
            }
            put(&mut out, step.expect.len() as u64);
            for e in &step.expect {
                write_expect(&mut out, e);
            }
        }
        out
    }

    /// Reads the compact form back, and checks it as a file is checked: the start must be a
    /// lab the clamp leaves alone and every edit must be one the lab can make. Any text gives
    /// a scenario or a typed error, never a panic; memory stays a small multiple of the text.
    ///
    /// ```
    /// use hashhalo_core::scenario::Scenario;
    ///
    /// assert!(Scenario::decode("s1.!!!").is_err());
    /// assert!(Scenario::decode("1.AAAA").is_err());
    /// ```
    pub fn decode(text: &str) -> Result<Scenario, ScenarioError> {
        let bad = |e: DecodeError| ScenarioError::at(0, "link", e.to_string());
        let payload = text
            .strip_prefix("s1.")
            .ok_or_else(|| ScenarioError::at(0, "link", "not a HashHalo scenario (s1.…)"))?;
        let bytes = crate::base64url::decode(payload).ok_or_else(|| bad(DecodeError::NotBase64))?;
        Scenario::from_bytes(&bytes)
    }

    /// Reads the bytes of the compact form (what follows `s1.`, base64-decoded), checked as
    /// [`Scenario::decode`] checks them.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Scenario, ScenarioError> {
        let bad = |e: DecodeError| ScenarioError::at(0, "link", e.to_string());
        let mut r = Reader { bytes, at: 0 };
        let text = |r: &mut Reader<'_>| -> Result<String, DecodeError> {
            let len = r.count(1, 0)?;
            if len > MAX_TEXT * 4 {
                return Err(DecodeError::Invalid("text (too long)"));
            }
            std::str::from_utf8(r.take(len)?)
                .map(str::to_string)
                .map_err(|_| DecodeError::Invalid("text"))
        };
        let option = |r: &mut Reader<'_>| -> Result<Option<String>, DecodeError> {
            match r.varint()? {
                0 => Ok(None),
                1 => text(r).map(Some),
                _ => Err(DecodeError::Invalid("flag")),
            }
        };
        let id = text(&mut r).map_err(bad)?;
        let title = text(&mut r).map_err(bad)?;
        let about = text(&mut r).map_err(bad)?;
        let start = LabState::read(&mut r).map_err(bad)?;
        let count = r.count(3, 0).map_err(bad)?;
        check_steps(count)?;
        let mut steps = Vec::with_capacity(count);
        for k in 0..count {
            let at = |e: DecodeError| ScenarioError::at(k + 1, "", e.to_string());
            let caption = text(&mut r).map_err(at)?;
            let watch = option(&mut r).map_err(at)?;
            let probe = option(&mut r).map_err(at)?;
            let n = r.count(1, 0).map_err(at)?;
            check_edits(k + 1, n)?;
            let mut edits = Vec::with_capacity(n);
            for _ in 0..n {
                edits.push(read_edit(&mut r, &text).map_err(at)?);
            }
            let n = r.count(1, 0).map_err(at)?;
            check_expects(k + 1, n)?;
            let mut expect = Vec::with_capacity(n);
            for _ in 0..n {
                expect.push(read_expect(&mut r).map_err(at)?);
            }
            steps.push(Step {
                caption,
                watch,
                probe,
                edits,
                expect,
            });
        }
        if r.at != bytes.len() {
            return Err(bad(DecodeError::TrailingBytes));
        }
        let mut scenario = Scenario {
            id,
            title,
            about,
            start,
            steps,
        };
        scenario.start = scenario.validated_start()?;
        Ok(scenario)
    }
}

fn write_edit(out: &mut Vec<u8>, edit: &Edit) {
    let tag = EDIT_TAGS
        .iter()
        .position(|t| *t == edit.name())
        .expect("every edit has a tag") as u64;
    put(out, tag);
    let id = |out: &mut Vec<u8>, id: ServerId| put(out, u64::from(id.0));
    match edit {
        Edit::AddServer { label } => put_text(out, label),
        Edit::RemoveServer(s)
        | Edit::FailServer(s)
        | Edit::RestoreServer(s)
        | Edit::ResetServer(s) => id(out, *s),
        Edit::RenameServer { server, label } => {
            id(out, *server);
            put_text(out, label);
        }
        Edit::WeighServer { server, weight } => {
            id(out, *server);
            put(out, u64::from(*weight));
        }
        Edit::TurnServer { server, shift } => {
            id(out, *server);
            put(out, *shift);
        }
        Edit::PinVnode {
            server,
            index,
            position,
        } => {
            id(out, *server);
            put(out, u64::from(*index));
            put(out, *position);
        }
        Edit::UnpinVnode { server, index } => {
            id(out, *server);
            put(out, u64::from(*index));
        }
        Edit::SetVnodes(v)
        | Edit::SetKeyCount(v)
        | Edit::SetProbes(v)
        | Edit::SetAnchorCapacity(v) => put(out, u64::from(*v)),
        Edit::SetKeySeed(v) | Edit::SetTableSize(v) => put(out, *v),
        Edit::SetKeyKind(k) => put(
            out,
            KINDS.iter().position(|x| x.1 == *k).unwrap_or(0) as u64,
        ),
        Edit::SetReplicas(r) => put(out, u64::from(*r)),
        Edit::SetAlgorithm(a) => put(
            out,
            Algorithm::ALL.iter().position(|x| x == a).unwrap_or(0) as u64,
        ),
        Edit::SetHash(h) => put(
            out,
            HashFn::ALL.iter().position(|x| x == h).unwrap_or(0) as u64,
        ),
        Edit::SetLoadFactor(c) => put(out, (c * 1000.0).round().clamp(0.0, 1e12) as u64),
    }
}

fn read_edit(
    r: &mut Reader<'_>,
    text: &dyn Fn(&mut Reader<'_>) -> Result<String, DecodeError>,
) -> Result<Edit, DecodeError> {
    let tag = r.small()?;
    let name = *EDIT_TAGS.get(tag).ok_or(DecodeError::Invalid("edit"))?;
    let id = |r: &mut Reader<'_>| r.u32("server id").map(ServerId);
    Ok(match name {
        "add-server" => Edit::AddServer { label: text(r)? },
        "remove-server" => Edit::RemoveServer(id(r)?),
        "fail-server" => Edit::FailServer(id(r)?),
        "restore-server" => Edit::RestoreServer(id(r)?),
        "reset-server" => Edit::ResetServer(id(r)?),
        "rename-server" => Edit::RenameServer {
            server: id(r)?,
            label: text(r)?,
        },
        "weigh-server" => Edit::WeighServer {
            server: id(r)?,
            weight: r.u32("weight")?,
        },
        "turn-server" => Edit::TurnServer {
            server: id(r)?,
            shift: r.varint()?,
        },
        "pin-vnode" => Edit::PinVnode {
            server: id(r)?,
            index: r.u32("index")?,
            position: r.varint()?,
        },
        "unpin-vnode" => Edit::UnpinVnode {
            server: id(r)?,
            index: r.u32("index")?,
        },
        "set-vnodes" => Edit::SetVnodes(r.u32("virtual nodes")?),
        "set-key-count" => Edit::SetKeyCount(r.u32("key count")?),
        "set-key-seed" => Edit::SetKeySeed(r.varint()?),
        "set-key-kind" => Edit::SetKeyKind(
            KINDS
                .get(r.small()?)
                .ok_or(DecodeError::Invalid("key kind"))?
                .1,
        ),
        "set-replicas" => Edit::SetReplicas(
            u8::try_from(r.varint()?).map_err(|_| DecodeError::Invalid("replicas"))?,
        ),
        "set-algorithm" => Edit::SetAlgorithm(
            *Algorithm::ALL
                .get(r.small()?)
                .ok_or(DecodeError::Invalid("algorithm"))?,
        ),
        "set-hash" => Edit::SetHash(
            *HashFn::ALL
                .get(r.small()?)
                .ok_or(DecodeError::Invalid("hash"))?,
        ),
        "set-table-size" => Edit::SetTableSize(r.varint()?),
        "set-probes" => Edit::SetProbes(r.u32("probes")?),
        "set-load-factor" => Edit::SetLoadFactor(r.varint()? as f64 / 1000.0),
        _ => Edit::SetAnchorCapacity(r.u32("anchor capacity")?),
    })
}

fn write_expect(out: &mut Vec<u8>, e: &Expect) {
    match *e {
        Expect::Moved { min, max } => {
            put(out, 0);
            put(out, millionths(min));
            put(out, millionths(max));
        }
        Expect::AllMovedTo(id) => {
            put(out, 1);
            put(out, u64::from(id.0));
        }
        Expect::AllMovedFrom(id) => {
            put(out, 2);
            put(out, u64::from(id.0));
        }
        Expect::Keys { server, min, max } => {
            put(out, 3);
            put(out, u64::from(server.0));
            put(out, min);
            put(out, max);
        }
        Expect::Unavailable { min, max } => {
            put(out, 4);
            put(out, min);
            put(out, max);
        }
        Expect::BusiestAtMost(ratio) => {
            put(out, 5);
            put(out, millionths(ratio));
        }
        Expect::BusiestAtLeast(ratio) => {
            put(out, 6);
            put(out, millionths(ratio));
        }
    }
}

fn read_expect(r: &mut Reader<'_>) -> Result<Expect, DecodeError> {
    let fraction = |r: &mut Reader<'_>| r.varint().map(|v| v as f64 / 1e6);
    let id = |r: &mut Reader<'_>| r.u32("server id").map(ServerId);
    Ok(match r.small()? {
        0 => Expect::Moved {
            min: fraction(r)?,
            max: fraction(r)?,
        },
        1 => Expect::AllMovedTo(id(r)?),
        2 => Expect::AllMovedFrom(id(r)?),
        3 => Expect::Keys {
            server: id(r)?,
            min: r.varint()?,
            max: r.varint()?,
        },
        4 => Expect::Unavailable {
            min: r.varint()?,
            max: r.varint()?,
        },
        5 => Expect::BusiestAtMost(fraction(r)?),
        6 => Expect::BusiestAtLeast(fraction(r)?),
        _ => return Err(DecodeError::Invalid("expectation")),
    })
}
