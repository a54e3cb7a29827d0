/// A server's stable identity. Ids survive renames and reordering, so they are what movement
/// accounting compares.
///
/// ```
/// use hashhalo_core::ServerId;
///
/// assert_eq!(ServerId(3).0, 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
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

/// A virtual node placed by hand: virtual node `index` sits at `position` instead of where its
/// hash would put it.
///
/// ```
/// use hashhalo_core::Pin;
///
/// let pin = Pin { index: 0, position: 1 << 63 }; // virtual node 0 at 6 o'clock
/// assert_eq!(pin.index, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Pin {
    /// Which virtual node, counting from 0.
    pub index: u32,
    /// Its ring position.
    pub position: u64,
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
/// assert!(s.pins.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Server {
    /// Stable identity.
    pub id: ServerId,
    /// The name hashed to place the server's virtual nodes.
    pub label: String,
    /// Relative capacity, at least 1: on a ring a server of weight `w` gets `w` times the
    /// configured virtual nodes; the other algorithms weigh it `w` where they can.
    pub weight: u32,
    /// Up or down.
    pub status: Status,
    /// How far clockwise every hashed virtual node of this server is turned, in positions:
    /// dragging a whole server. 0 leaves the hashes where they are.
    #[cfg_attr(feature = "serde", serde(default))]
    pub shift: u64,
    /// Virtual nodes placed by hand, sorted by index, at most one per index (as
    /// [`Server::pin`] keeps them). A pin for an index the server does not have is ignored;
    /// when several pins name one index, the last of them counts.
    #[cfg_attr(feature = "serde", serde(default))]
    pub pins: Vec<Pin>,
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
            shift: 0,
            pins: Vec::new(),
        }
    }

    /// The same server with weight `weight`.
    ///
    /// ```
    /// use hashhalo_core::Server;
    ///
    /// assert_eq!(Server::new(0, "A").with_weight(3).weight, 3);
    /// ```
    pub fn with_weight(mut self, weight: u32) -> Server {
        self.weight = weight;
        self
    }

    /// Whether the server takes keys.
    ///
    /// ```
    /// use hashhalo_core::{Server, Status};
    ///
    /// let mut s = Server::new(0, "A");
    /// assert!(s.is_up());
    /// s.status = Status::Down;
    /// assert!(!s.is_up());
    /// ```
    pub fn is_up(&self) -> bool {
        self.status == Status::Up
    }

    /// Places virtual node `index` at `position` by hand, replacing an earlier pin of it.
    ///
    /// ```
    /// use hashhalo_core::Server;
    ///
    /// let mut s = Server::new(0, "A");
    /// s.pin(2, 100);
    /// s.pin(0, 7);
    /// s.pin(2, 5);
    /// let pins: Vec<_> = s.pins.iter().map(|p| (p.index, p.position)).collect();
    /// assert_eq!(pins, [(0, 7), (2, 5)]);
    /// ```
    pub fn pin(&mut self, index: u32, position: u64) {
        match self.pins.binary_search_by_key(&index, |p| p.index) {
            Ok(i) => self.pins[i].position = position,
            Err(i) => self.pins.insert(i, Pin { index, position }),
        }
    }

    /// Puts virtual node `index` back where its hash places it. Returns whether it was pinned.
    ///
    /// ```
    /// use hashhalo_core::Server;
    ///
    /// let mut s = Server::new(0, "A");
    /// s.pin(1, 9);
    /// assert!(s.unpin(1));
    /// assert!(!s.unpin(1));
    /// ```
    pub fn unpin(&mut self, index: u32) -> bool {
        match self.pins.binary_search_by_key(&index, |p| p.index) {
            Ok(i) => {
                self.pins.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// The server with no pins: its id, label, weight, status and turn.
    ///
    /// ```
    /// use hashhalo_core::Server;
    ///
    /// let mut s = Server::new(0, "A");
    /// s.pin(1, 9);
    /// assert!(s.without_pins().pins.is_empty());
    /// ```
    pub fn without_pins(&self) -> Server {
        Server {
            id: self.id,
            label: self.label.clone(),
            weight: self.weight,
            status: self.status,
            shift: self.shift,
            pins: Vec::new(),
        }
    }

    /// Unpins every virtual node from `index` on (they no longer exist when the server has
    /// fewer). The pins are kept sorted by index, so this is a search and a cut, not a pass
    /// over every pin: an edit costs the same whatever a scenario pinned.
    ///
    /// ```
    /// use hashhalo_core::Server;
    ///
    /// let mut s = Server::new(0, "A");
    /// s.pin(1, 9);
    /// s.pin(5, 7);
    /// s.drop_pins_from(2);
    /// assert_eq!(s.pins.len(), 1);
    /// ```
    pub fn drop_pins_from(&mut self, index: u32) {
        let keep = self.pins.partition_point(|p| p.index < index);
        self.pins.truncate(keep);
    }
}
