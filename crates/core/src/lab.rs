//! A whole lab configuration (servers, algorithm, keys, replication) and its compact,
//! versioned encoding for share links.
//!
//! The encoding is `1.` followed by unpadded URL-safe base64 of a byte string of
//! little-endian base-128 varints (LEB128) and length-prefixed UTF-8, in this order:
//! algorithm, hash, vnodes, Maglev table size, probes, load factor × 1000, anchor capacity,
//! key kind, key count, key seed, replicas, then the servers (count, then for each: id, label,
//! weight, status, shift, pins (count, then index and position each)). Version `2.` is the
//! same, followed by the count and fingerprint of a pasted key list ([`PastedKeys`]): a link
//! cannot hold the keys themselves, but it can say that the lab had them. The version prefix
//! lets a later layout be added without breaking old links; a lab without pasted keys is
//! still written as version 1.

use std::fmt;

use crate::algorithms::{Algorithm, RouterConfig};
use crate::base64url;
use crate::{HashFn, KeyKind, KeySource, Pin, Server, ServerId, Status};

/// Everything that defines what the lab shows.
///
/// ```
/// use hashhalo_core::lab::LabState;
///
/// let state = LabState::default();
/// assert_eq!(LabState::decode(&state.encode()).unwrap(), state);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LabState {
    /// The servers, in display order.
    pub servers: Vec<Server>,
    /// The algorithm and its parameters.
    pub router: RouterConfig,
    /// Where the keys come from.
    pub keys: KeySource,
    /// How many replicas each key has (the replication factor).
    pub replicas: u8,
    /// Set when the lab's keys are a pasted list rather than [`LabState::keys`]'s generated
    /// ones. The list itself is not kept (it does not fit in a link); this says that it was
    /// there and which one it was.
    #[cfg_attr(feature = "serde", serde(default))]
    pub pasted: Option<PastedKeys>,
}

/// A pasted key list, as a link remembers it: how many keys, and a fingerprint to recognise
/// the same list when it is pasted again.
///
/// ```
/// use hashhalo_core::lab::PastedKeys;
///
/// let keys = vec!["a".to_string(), "b".to_string()];
/// let p = PastedKeys::of(&keys);
/// assert_eq!(p.count, 2);
/// assert_eq!(p, PastedKeys::of(&keys));
/// // Repeats count once, as the lab keeps them.
/// assert_eq!(p, PastedKeys::of(&["a".into(), "b".into(), "a".into()]));
/// assert_ne!(p, PastedKeys::of(&["b".to_string(), "a".to_string()]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PastedKeys {
    /// How many distinct keys the list had.
    pub count: u32,
    /// xxh3-64 of the keys in order, each followed by a newline (`"a\nb\n"`).
    pub fingerprint: u64,
}

impl PastedKeys {
    /// The record of the list `keys` (in the order given).
    ///
    /// ```
    /// use hashhalo_core::lab::PastedKeys;
    ///
    /// assert_eq!(PastedKeys::of(&[]).count, 0);
    /// ```
    pub fn of(keys: &[String]) -> PastedKeys {
        // The distinct keys, first occurrences in order, as `KeySet::from_keys` keeps them.
        let mut seen = std::collections::HashSet::new();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut count = 0u32;
        for key in keys {
            if seen.insert(key.as_str()) {
                hasher.update(key.as_bytes());
                hasher.update(b"\n");
                count = count.saturating_add(1);
            }
        }
        PastedKeys {
            count,
            fingerprint: hasher.digest(),
        }
    }
}

impl PastedKeys {
    /// The record of a key set's keys, which are distinct and in first-occurrence order
    /// already: the same record [`PastedKeys::of`] gives for the list it was made from.
    ///
    /// ```
    /// use hashhalo_core::lab::PastedKeys;
    /// use hashhalo_core::{HashFn, KeySet};
    ///
    /// let list = vec!["a".to_string(), "b".into(), "a".into()];
    /// let set = KeySet::from_keys(list.clone(), HashFn::Md5);
    /// assert_eq!(PastedKeys::of_set(&set), PastedKeys::of(&list));
    /// ```
    pub fn of_set(keys: &crate::KeySet) -> PastedKeys {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for key in keys.keys().iter() {
            hasher.update(key.as_bytes());
            hasher.update(b"\n");
        }
        PastedKeys {
            count: u32::try_from(keys.len()).unwrap_or(u32::MAX),
            fingerprint: hasher.digest(),
        }
    }
}

impl Default for LabState {
    /// The original HashHalo simulation's example: servers A, B and C on a ring, 1000 user-id keys, one replica.
    fn default() -> LabState {
        LabState {
            servers: vec![
                Server::new(0, "A"),
                Server::new(1, "B"),
                Server::new(2, "C"),
            ],
            router: RouterConfig::default(),
            keys: KeySource::default(),
            replicas: 1,
            pasted: None,
        }
    }
}

/// Why a link could not be decoded.
///
/// ```
/// use hashhalo_core::lab::{DecodeError, LabState};
///
/// assert_eq!(LabState::decode("9.AAAA"), Err(DecodeError::UnknownVersion("9".into())));
/// assert_eq!(LabState::decode("1.!!"), Err(DecodeError::NotBase64));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The text has no `version.` prefix.
    NoVersion,
    /// The version is not one this build reads.
    UnknownVersion(String),
    /// The payload is not URL-safe base64.
    NotBase64,
    /// The payload ends in the middle of a field.
    Truncated,
    /// A field holds a value that cannot be: the field's name.
    Invalid(&'static str),
    /// Bytes are left over after the last field.
    TrailingBytes,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::NoVersion => write!(f, "the link's state has no version"),
            DecodeError::UnknownVersion(v) => write!(
                f,
                "the link's state is version {}, which this HashHalo cannot read",
                crate::format::quoted(v)
            ),
            DecodeError::NotBase64 => write!(f, "the link's state is not valid base64"),
            DecodeError::Truncated => write!(f, "the link's state is cut short"),
            DecodeError::Invalid(field) => write!(f, "the link's state has an impossible {field}"),
            DecodeError::TrailingBytes => write!(f, "the link's state has extra bytes at the end"),
        }
    }
}

impl std::error::Error for DecodeError {}

impl LabState {
    /// The compact text form, for a URL.
    ///
    /// ```
    /// use hashhalo_core::lab::LabState;
    ///
    /// let text = LabState::default().encode();
    /// assert!(text.starts_with("1."));
    /// assert!(text.len() < 60);
    /// ```
    pub fn encode(&self) -> String {
        let mut out = Vec::new();
        self.write(&mut out);
        match self.pasted {
            None => format!("1.{}", base64url::encode(&out)),
            Some(p) => {
                put(&mut out, u64::from(p.count));
                put(&mut out, p.fingerprint);
                format!("2.{}", base64url::encode(&out))
            }
        }
    }

    /// Reads the text form back. Any text gives either a state or a typed error, never a
    /// panic. Memory is bounded by the text: a count is believed only if the bytes left could
    /// hold that many entries (a server takes at least 6 bytes, a pin 2), so decoding never
    /// holds more than [`DECODE_BYTES_PER_CHAR`] bytes for each character of `text`, whether
    /// it succeeds or fails. The values themselves are not limited here (a caller with
    /// limits, such as the browser app, clamps them).
    ///
    /// ```
    /// use hashhalo_core::lab::{DecodeError, LabState};
    ///
    /// assert_eq!(LabState::decode("garbage"), Err(DecodeError::NoVersion));
    /// assert_eq!(LabState::decode("1."), Err(DecodeError::Truncated));
    /// ```
    pub fn decode(text: &str) -> Result<LabState, DecodeError> {
        let (version, payload) = text.split_once('.').ok_or(DecodeError::NoVersion)?;
        if version != "1" && version != "2" {
            return Err(DecodeError::UnknownVersion(
                version.chars().take(16).collect(),
            ));
        }
        let bytes = base64url::decode(payload).ok_or(DecodeError::NotBase64)?;
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        let lab = LabState::read(&mut r)?;
        let pasted = if version == "2" {
            Some(PastedKeys {
                count: r.u32("pasted key count")?,
                fingerprint: r.varint()?,
            })
        } else {
            None
        };
        if r.at != bytes.len() {
            return Err(DecodeError::TrailingBytes);
        }
        Ok(LabState { pasted, ..lab })
    }

    /// Appends the version-1 fields (everything but [`LabState::pasted`]) to `out`.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let r = &self.router;
        put(out, index_of(&Algorithm::ALL, r.algorithm));
        put(out, index_of(&HashFn::ALL, r.hash));
        put(out, u64::from(r.vnodes));
        put(out, r.maglev_table_size);
        put(out, u64::from(r.probes));
        put(
            out,
            (r.load_factor * 1000.0).round().clamp(0.0, 1e12) as u64,
        );
        put(out, u64::from(r.anchor_capacity));
        put(out, index_of(&KEY_KINDS, self.keys.kind));
        put(out, u64::from(self.keys.count));
        put(out, self.keys.seed);
        put(out, u64::from(self.replicas));
        put(out, self.servers.len() as u64);
        for s in &self.servers {
            put(out, u64::from(s.id.0));
            put(out, s.label.len() as u64);
            out.extend_from_slice(s.label.as_bytes());
            put(out, u64::from(s.weight));
            put(out, u64::from(s.status == Status::Down));
            put(out, s.shift);
            put(out, s.pins.len() as u64);
            for p in &s.pins {
                put(out, u64::from(p.index));
                put(out, p.position);
            }
        }
    }

    /// Reads the version-1 fields back (see [`LabState::decode`] for the bounds it keeps).
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<LabState, DecodeError> {
        let algorithm = *Algorithm::ALL
            .get(r.small()?)
            .ok_or(DecodeError::Invalid("algorithm"))?;
        let hash = *HashFn::ALL
            .get(r.small()?)
            .ok_or(DecodeError::Invalid("hash function"))?;
        let router = RouterConfig {
            algorithm,
            hash,
            vnodes: r.u32("virtual node count")?,
            maglev_table_size: r.varint()?,
            probes: r.u32("probe count")?,
            load_factor: r.varint()? as f64 / 1000.0,
            anchor_capacity: r.u32("anchor capacity")?,
        };
        let kind = *KEY_KINDS
            .get(r.small()?)
            .ok_or(DecodeError::Invalid("key kind"))?;
        let keys = KeySource {
            kind,
            count: r.u32("key count")?,
            seed: r.varint()?,
        };
        let replicas =
            u8::try_from(r.varint()?).map_err(|_| DecodeError::Invalid("replica count"))?;
        let count = r.count(MIN_SERVER_BYTES, 0)?;
        let mut servers = Vec::with_capacity(count);
        for k in 0..count {
            // The bytes the servers still to come need are not this server's to spend.
            let later = (count - k - 1) as u64 * MIN_SERVER_BYTES;
            let id = ServerId(r.u32("server id")?);
            let len = r.count(1, later)?;
            let label = std::str::from_utf8(r.take(len)?)
                .map_err(|_| DecodeError::Invalid("server label"))?
                .to_string();
            let weight = r.u32("weight")?;
            let status = match r.varint()? {
                0 => Status::Up,
                1 => Status::Down,
                _ => return Err(DecodeError::Invalid("server status")),
            };
            let shift = r.varint()?;
            let pin_count = r.count(MIN_PIN_BYTES, later)?;
            let mut pins = Vec::with_capacity(pin_count);
            for _ in 0..pin_count {
                pins.push(Pin {
                    index: r.u32("pin index")?,
                    position: r.varint()?,
                });
            }
            servers.push(Server {
                id,
                label,
                weight,
                status,
                shift,
                pins,
            });
        }
        Ok(LabState {
            servers,
            router,
            keys,
            replicas,
            pasted: None,
        })
    }
}

/// The fewest bytes a server takes in the encoding: one each for its id, label length,
/// weight, status, shift and pin count.
const MIN_SERVER_BYTES: u64 = 6;
/// The fewest bytes a pin takes: one for its index and one for its position.
const MIN_PIN_BYTES: u64 = 2;

/// The most memory [`LabState::decode`] holds per character of its text, in bytes.
///
/// Six bytes of a link (eight characters of base64) can be one 72-byte server, so a link of
/// many empty servers costs 9 bytes a character; a byte of pins costs at most 6, of a label
/// 0.75, and the decoded bytes themselves 0.75 more. No byte of the text pays for two
/// reservations, so the peak is under 10; a test measures it on the worst links.
///
/// ```
/// assert_eq!(hashhalo_core::lab::DECODE_BYTES_PER_CHAR, 12);
/// ```
pub const DECODE_BYTES_PER_CHAR: usize = 12;

impl LabState {
    /// What to say when a lab made with pasted keys is opened from its link, which cannot
    /// hold them: the generated keys are shown instead.
    ///
    /// ```
    /// use hashhalo_core::lab::{LabState, PastedKeys};
    ///
    /// let mut lab = LabState::default();
    /// assert_eq!(lab.pasted_note(), None);
    /// lab.pasted = Some(PastedKeys { count: 2345, fingerprint: 7 });
    /// assert_eq!(lab.pasted_note().unwrap(),
    ///     "This link was made with 2,345 pasted keys, which a link cannot hold: showing 1,000 \
    ///      generated keys instead. Paste the same list to see the lab as it was.");
    /// ```
    pub fn pasted_note(&self) -> Option<String> {
        self.pasted.map(|p| {
            format!(
                "This link was made with {} pasted keys, which a link cannot hold: showing {} \
                 generated keys instead. Paste the same list to see the lab as it was.",
                crate::format::count(u64::from(p.count)),
                crate::format::count(u64::from(self.keys.count))
            )
        })
    }
}

/// Server ids a clamped lab keeps as they are; larger ones are renumbered.
const MAX_ID: u32 = 4096;

/// How many servers had one problem, and the first of them, for a single note.
#[derive(Default)]
struct Tally {
    count: usize,
    example: Option<String>,
}

impl Tally {
    fn add(&mut self, example: impl FnOnce() -> String) {
        self.count += 1;
        if self.example.is_none() {
            self.example = Some(example());
        }
    }
}

/// "1 server" or "3 servers", with thousands separators.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        crate::format::count(n as u64),
        if n == 1 { one } else { many }
    )
}

/// A label as the lab keeps it: control characters removed, then white space trimmed from
/// both ends, then at most `max` characters (trimmed again, since the cut may end in a
/// space). Cleaning a clean label changes nothing.
fn clean_label(label: &str, max: usize) -> String {
    let visible: String = label.chars().filter(|c| !c.is_control()).collect();
    let short: String = visible.trim().chars().take(max).collect();
    short.trim_end().to_string()
}

const KEY_KINDS: [KeyKind; 4] = [
    KeyKind::UserIds,
    KeyKind::Ips,
    KeyKind::Urls,
    KeyKind::Uniform,
];

fn index_of<T: PartialEq>(all: &[T], x: T) -> u64 {
    all.iter().position(|a| *a == x).unwrap_or(0) as u64
}

/// Appends `v` as an LEB128 varint.
pub(crate) fn put(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) at: usize,
}

impl Reader<'_> {
    pub(crate) fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or(DecodeError::Truncated)?;
            self.at += 1;
            let bits = u64::from(byte & 0x7F);
            if shift == 63 && bits > 1 {
                return Err(DecodeError::Invalid("number (too large)"));
            }
            v |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(DecodeError::Invalid("number (too long)"))
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        u32::try_from(self.varint()?).map_err(|_| DecodeError::Invalid(field))
    }

    pub(crate) fn small(&mut self) -> Result<usize, DecodeError> {
        Ok(self.varint()?.min(usize::MAX as u64) as usize)
    }

    /// A count of entries that take at least `min_bytes` each: never more than the bytes left,
    /// less `reserved` of them, could hold. So a hostile count cannot make the decoder reserve
    /// memory the text does not pay for, and no byte pays for two reservations.
    pub(crate) fn count(&mut self, min_bytes: u64, reserved: u64) -> Result<usize, DecodeError> {
        let n = self.varint()?;
        let left = ((self.bytes.len() - self.at) as u64).saturating_sub(reserved);
        if n.saturating_mul(min_bytes) > left {
            return Err(DecodeError::Truncated);
        }
        Ok(n as usize)
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&[u8], DecodeError> {
        let end = self.at.checked_add(n).ok_or(DecodeError::Truncated)?;
        let slice = self.bytes.get(self.at..end).ok_or(DecodeError::Truncated)?;
        self.at = end;
        Ok(slice)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn server() -> impl Strategy<Value = Server> {
        (
            any::<u32>(),
            "[A-Za-z0-9 é-]{0,12}",
            1u32..100,
            any::<bool>(),
            any::<u64>(),
            proptest::collection::vec((any::<u32>(), any::<u64>()), 0..4),
        )
            .prop_map(|(id, label, weight, down, shift, pins)| Server {
                id: ServerId(id),
                label,
                weight,
                status: if down { Status::Down } else { Status::Up },
                shift,
                pins: pins
                    .into_iter()
                    .map(|(index, position)| Pin { index, position })
                    .collect(),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn every_state_round_trips(
            servers in proptest::collection::vec(server(), 0..6),
            algorithm in 0usize..12, hash in 0usize..6, vnodes in any::<u32>(),
            m in any::<u64>(), probes in any::<u32>(), c in 0u32..100_000, anchor in any::<u32>(),
            kind in 0usize..4, count in any::<u32>(), seed in any::<u64>(), replicas in any::<u8>(),
            pasted in proptest::option::of((any::<u32>(), any::<u64>())),
        ) {
            let state = LabState {
                servers,
                router: RouterConfig {
                    algorithm: Algorithm::ALL[algorithm], hash: HashFn::ALL[hash], vnodes,
                    maglev_table_size: m, probes, load_factor: f64::from(c) / 1000.0,
                    anchor_capacity: anchor,
                },
                keys: KeySource { kind: KEY_KINDS[kind], count, seed },
                replicas,
                pasted: pasted.map(|(count, fingerprint)| PastedKeys { count, fingerprint }),
            };
            prop_assert_eq!(LabState::decode(&state.encode()).unwrap(), state);
        }

        #[test]
        fn any_text_decodes_or_errs_without_panicking(text in ".{0,200}") {
            let _ = LabState::decode(&text);
            let _ = LabState::decode(&format!("1.{text}"));
        }

        #[test]
        fn any_bytes_decode_or_err_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = LabState::decode(&format!("1.{}", crate::base64url::encode(&bytes)));
        }
    }
}

/// The bounds a user interface keeps a lab within, so no link can freeze it.
///
/// ```
/// use hashhalo_core::lab::Limits;
///
/// assert_eq!(Limits::default().max_servers, 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// The most servers.
    pub max_servers: usize,
    /// The most virtual nodes per unit of weight.
    pub max_vnodes: u32,
    /// The largest weight.
    pub max_weight: u32,
    /// The most points on a ring in total.
    pub max_points: u64,
    /// The fewest and the most keys.
    pub keys: (u32, u32),
    /// The most replicas.
    pub max_replicas: u8,
    /// The longest server label, in characters.
    pub max_label: usize,
    /// The largest Maglev table.
    pub max_table_size: u64,
    /// The most multi-probe probes.
    pub max_probes: u32,
}

impl Limits {
    /// The browser app's bounds: 64 servers, 1–1000 virtual nodes, weights up to 20, at most
    /// 256 Ki points, 10–1 000 000 keys, up to 5 replicas.
    ///
    /// ```
    /// use hashhalo_core::lab::Limits;
    ///
    /// assert_eq!(Limits::APP.keys, (10, 1_000_000));
    /// ```
    pub const APP: Limits = Limits {
        max_servers: 64,
        max_vnodes: 1000,
        max_weight: 20,
        max_points: 1 << 18,
        keys: (10, 1_000_000),
        max_replicas: 5,
        max_label: 32,
        max_table_size: 1_000_003,
        max_probes: 64,
    };
}

impl Default for Limits {
    /// [`Limits::APP`].
    fn default() -> Limits {
        Limits::APP
    }
}

impl LabState {
    /// The state brought within `limits`, with a sentence for each kind of thing that had to
    /// change (one sentence however many servers it concerns). Duplicate server ids or labels
    /// are dropped, labels are cleaned, numbers are clamped, pins past a server's virtual
    /// nodes are dropped, a ring too large for the point budget gets fewer virtual nodes, and
    /// the load factor is rounded to the thousandths a link holds. The result builds a router
    /// for every algorithm, survives [`LabState::encode`] and [`LabState::decode`] exactly, and
    /// clamping it again changes nothing and says nothing.
    ///
    /// ```
    /// use hashhalo_core::lab::{LabState, Limits};
    ///
    /// let mut hostile = LabState::default();
    /// hostile.router.vnodes = 1_000_000_000;
    /// hostile.keys.count = 100_000_000;
    /// let (safe, notes) = hostile.clamped(&Limits::default());
    /// assert_eq!(safe.router.vnodes, 1000);
    /// assert_eq!(safe.keys.count, 1_000_000);
    /// assert_eq!(notes.len(), 2);
    /// assert_eq!(LabState::default().clamped(&Limits::default()).1, Vec::<String>::new());
    /// ```
    pub fn clamped(&self, limits: &Limits) -> (LabState, Vec<String>) {
        let mut s = self.clone();
        let mut notes = Vec::new();
        let mut clamp_u32 = |value: &mut u32, lo: u32, hi: u32, what: &str| {
            let clamped = (*value).clamp(lo, hi);
            if clamped != *value {
                notes.push(format!(
                    "{what} {} is out of range; using {}",
                    crate::format::count(u64::from(*value)),
                    crate::format::count(u64::from(clamped))
                ));
                *value = clamped;
            }
        };
        clamp_u32(
            &mut s.router.vnodes,
            1,
            limits.max_vnodes,
            "virtual nodes per server",
        );
        clamp_u32(&mut s.keys.count, limits.keys.0, limits.keys.1, "key count");
        clamp_u32(&mut s.router.probes, 1, limits.max_probes, "probe count");
        clamp_u32(&mut s.router.anchor_capacity, 1, 1024, "anchor capacity");
        let replicas = s.replicas.clamp(1, limits.max_replicas);
        if replicas != s.replicas {
            notes.push(format!(
                "replication factor {} is out of range; using {replicas}",
                s.replicas
            ));
            s.replicas = replicas;
        }
        let c = s.router.load_factor;
        if !(c.is_finite() && (1.01..=10.0).contains(&c)) {
            let fixed = if c.is_finite() {
                c.clamp(1.01, 10.0)
            } else {
                1.25
            };
            notes.push(format!(
                "load factor {} is out of range; using {}",
                crate::format::given(c, 6),
                crate::format::decimal(fixed, 3)
            ));
            s.router.load_factor = fixed;
        }
        // A link holds the factor in thousandths; a state from elsewhere is rounded to them
        // (silently: no link can hold the difference), so the clamped state round-trips.
        s.router.load_factor = (s.router.load_factor * 1000.0).round() / 1000.0;
        let mut seen_ids = std::collections::HashSet::new();
        let mut seen_labels = std::collections::HashSet::new();
        let mut servers: Vec<Server> = Vec::new();
        // Per-server problems are counted and reported once each, with an example, so a link
        // of a million servers still gives a handful of sentences.
        let mut cleaned = Tally::default();
        let mut reweighed = Tally::default();
        let mut unusable = 0usize;
        let mut over_limit = 0usize;
        for mut server in std::mem::take(&mut s.servers) {
            if servers.len() == limits.max_servers {
                over_limit += 1;
                continue;
            }
            let label = clean_label(&server.label, limits.max_label);
            if label != server.label {
                cleaned.add(|| server.label.chars().take(40).collect());
                server.label = label;
            }
            // A server is kept only if its label and its id are both new; neither is recorded
            // for a server that is left out.
            if server.label.is_empty()
                || seen_ids.contains(&server.id)
                || seen_labels.contains(&server.label)
            {
                unusable += 1;
                continue;
            }
            seen_ids.insert(server.id);
            seen_labels.insert(server.label.clone());
            let weight = server.weight.clamp(1, limits.max_weight);
            if weight != server.weight {
                reweighed.add(|| format!("{} of {}", server.weight, server.label));
                server.weight = weight;
            }
            servers.push(server);
        }
        if let Some(example) = cleaned.example {
            notes.push(format!(
                "{} had control characters, spaces at an end or more than {} characters, and \
                 {} cleaned (such as {})",
                plural(cleaned.count, "server label", "server labels"),
                limits.max_label,
                if cleaned.count == 1 { "was" } else { "were" },
                crate::format::quoted(&example),
            ));
        }
        if let Some(example) = reweighed.example {
            notes.push(format!(
                "{} out of range and {} set within 1–{} (such as weight {example})",
                plural(reweighed.count, "weight was", "weights were"),
                if reweighed.count == 1 { "was" } else { "were" },
                limits.max_weight,
            ));
        }
        if unusable > 0 {
            notes.push(format!(
                "{} unnamed or repeated and left out",
                plural(unusable, "server was", "servers were")
            ));
        }
        if over_limit > 0 {
            notes.push(format!(
                "{} {} left out: the lab holds at most {} servers",
                crate::format::count(over_limit as u64),
                if over_limit == 1 {
                    "more server was"
                } else {
                    "more servers were"
                },
                limits.max_servers
            ));
        }
        if servers.is_empty() {
            notes.push("the link has no usable servers; showing A, B and C".into());
            servers = LabState::default().servers;
        }
        if servers.iter().any(|s| s.id.0 >= MAX_ID) {
            notes.push(format!(
                "server ids of {MAX_ID} or more were renumbered from 0"
            ));
            for (i, server) in servers.iter_mut().enumerate() {
                server.id = ServerId(i as u32);
            }
        }
        let weight_total: u64 = servers.iter().map(|s| u64::from(s.weight)).sum();
        if weight_total * u64::from(s.router.vnodes) > limits.max_points {
            let vnodes = (limits.max_points / weight_total).max(1) as u32;
            notes.push(format!(
                "{} servers × {} virtual nodes is too many points; using {} virtual nodes",
                servers.len(),
                crate::format::count(u64::from(s.router.vnodes)),
                crate::format::count(u64::from(vnodes))
            ));
            s.router.vnodes = vnodes;
        }
        let mut repinned = Tally::default();
        for server in &mut servers {
            let count = server.weight * s.router.vnodes;
            let before = server.pins.len();
            // The last pin of an index wins, as `Ring::build` reads unsorted pins.
            server.pins.reverse();
            crate::order::sort_by_key(&mut server.pins, |p| u128::from(p.index));
            server.pins.dedup_by_key(|p| p.index);
            server.pins.retain(|p| p.index < count);
            if server.pins.len() != before {
                repinned.add(|| server.label.clone());
            }
        }
        if let Some(example) = repinned.example {
            notes.push(format!(
                "dragged positions of {} did not fit and were reset (such as {example}'s)",
                plural(repinned.count, "server", "servers")
            ));
        }
        // Maglev's table needs at least a slot per server.
        let m = s.router.maglev_table_size;
        if m > limits.max_table_size || m < servers.len() as u64 || !crate::algorithms::is_prime(m)
        {
            notes.push(format!(
                "Maglev table size {} is not a prime from the number of servers up to {}; \
                 using 65,537",
                crate::format::count(m),
                crate::format::count(limits.max_table_size)
            ));
            s.router.maglev_table_size = 65_537;
        }
        s.servers = servers;
        // The algorithms whose cost grows with the servers or the probes hold fewer keys.
        let most = crate::work::max_keys_of(&s, limits.keys.1);
        if s.keys.count > most {
            notes.push(crate::work::too_many_keys_of(&s, most, "using as many"));
            s.keys.count = most;
        }
        // A link made with more pasted keys than that cannot be given them back.
        if s.pasted.is_some_and(|p| p.count > most) {
            notes.push(crate::work::too_many_keys_of(
                &s,
                most,
                "the pasted keys this link was made with are left out",
            ));
            s.pasted = None;
        }
        (s, notes)
    }
}
