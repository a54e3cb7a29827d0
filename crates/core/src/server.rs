/// A server's stable identity. Ids survive renames and reordering, so they are what movement
/// accounting compares.
///
/// ```
/// use hashhalo_core::ServerId;
///
/// assert_eq!(ServerId(3).0, 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ServerId(pub u32);

/// Whether a server takes keys.
///
/// ```
/// use hashhalo_core::Status;
///
/// assert_eq!(Status::default(), Status::Up);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Status {
    /// The server is in service.
    #[default]
    Up,
    /// The server has failed; it keeps its ring points but its keys fail over.
    Down,
}

/// A server on the ring.
///
/// ```
/// use hashhalo_core::{Server, ServerId, Status};
///
/// let s = Server::new(7, "cache-7");
/// assert_eq!(s.id, ServerId(7));
/// assert_eq!(s.label, "cache-7");
/// assert_eq!(s.weight, 1);
/// assert_eq!(s.status, Status::Up);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Server {
    /// Stable identity.
    pub id: ServerId,
    /// The name hashed to place the server's virtual nodes.
    pub label: String,
    /// Relative capacity: a server of weight `w` gets `w` times the configured virtual nodes.
    pub weight: u32,
    /// Up or down.
    pub status: Status,
}

impl Server {
    /// An up server of weight 1.
    ///
    /// ```
    /// use hashhalo_core::Server;
    ///
    /// assert_eq!(Server::new(0, "A").weight, 1);
    /// ```
    pub fn new(id: u32, label: impl Into<String>) -> Server {
        Server {
            id: ServerId(id),
            label: label.into(),
            weight: 1,
            status: Status::Up,
        }
    }
}
