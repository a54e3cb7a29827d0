use std::fmt;

/// Why a ring could not be built.
///
/// ```
/// use hashhalo_core::{Ring, RingConfig, RingError};
///
/// let err = Ring::build(&[], &RingConfig::default()).unwrap_err();
/// assert_eq!(err, RingError::NoServers);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RingError {
    /// The server list is empty.
    NoServers,
    /// Two servers share one id.
    DuplicateId(u32),
    /// Two servers share one label, so their virtual nodes would land on the same points.
    DuplicateLabel(String),
    /// The configuration asks for zero virtual nodes per server.
    ZeroVnodes,
    /// A server has weight zero, so it would have no point on the ring.
    ZeroWeight(String),
    /// No server has this id.
    UnknownServer(u32),
    /// A point names a server slot past the end of the server list.
    UnknownSlot(usize),
    /// The configuration asks for more virtual nodes in total than [`crate::Ring::MAX_POINTS`].
    TooManyPoints(u64),
}

impl fmt::Display for RingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RingError::NoServers => write!(f, "the ring has no servers"),
            RingError::DuplicateId(id) => write!(f, "two servers share the id {id}"),
            RingError::DuplicateLabel(label) => write!(
                f,
                "two servers share the label {}",
                crate::format::quoted(label)
            ),
            RingError::ZeroVnodes => write!(f, "a server needs at least one virtual node"),
            RingError::ZeroWeight(label) => {
                write!(
                    f,
                    "server {} has weight 0; weights start at 1",
                    crate::format::quoted(label)
                )
            }
            RingError::UnknownServer(id) => write!(f, "no server has the id {id}"),
            RingError::UnknownSlot(slot) => {
                write!(f, "a point names server slot {slot}, past the list")
            }
            RingError::TooManyPoints(n) => write!(
                f,
                "{n} virtual nodes in total is more than the limit of {}",
                crate::ring::MAX_POINTS
            ),
        }
    }
}

impl std::error::Error for RingError {}
