//! The drag state machine: a press picks a server or a virtual node, each move is one edit,
//! and the release ends the gesture (the app state keeps the "before" of the whole gesture).

use hashhalo_core::ServerId;
use hashhalo_core::edit::Edit;

/// What a pointer is dragging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drag {
    /// A whole server, turned by its shift: the position first pressed, and the shift then.
    Server {
        /// The server.
        id: ServerId,
        /// The ring position the press landed on.
        grab: u64,
        /// The server's shift at the press.
        start_shift: u64,
    },
    /// One virtual node, pinned wherever it is dropped.
    Token {
        /// The server.
        id: ServerId,
        /// Which of its virtual nodes.
        index: u32,
    },
}

impl Drag {
    /// The edit for the pointer at ring position `position`.
    ///
    /// ```
    /// use hashhalo_core::ServerId;
    /// use hashhalo_core::edit::Edit;
    /// use hashhalo_web::ring::drag::Drag;
    ///
    /// let turn = Drag::Server { id: ServerId(1), grab: 100, start_shift: 5 };
    /// // Moving the pointer 30 positions on turns the server 30 positions from where it was.
    /// assert_eq!(turn.step(130), Edit::TurnServer { server: ServerId(1), shift: 35 });
    /// // Back past the press point, it wraps round the ring.
    /// assert_eq!(turn.step(90), Edit::TurnServer { server: ServerId(1), shift: u64::MAX - 4 });
    /// let pin = Drag::Token { id: ServerId(0), index: 7 };
    /// assert_eq!(pin.step(42), Edit::PinVnode { server: ServerId(0), index: 7, position: 42 });
    /// ```
    pub fn step(self, position: u64) -> Edit {
        match self {
            Drag::Server {
                id,
                grab,
                start_shift,
            } => Edit::TurnServer {
                server: id,
                shift: start_shift.wrapping_add(position.wrapping_sub(grab)),
            },
            Drag::Token { id, index } => Edit::PinVnode {
                server: id,
                index,
                position,
            },
        }
    }

    /// The server being dragged.
    ///
    /// ```
    /// use hashhalo_core::ServerId;
    /// use hashhalo_web::ring::drag::Drag;
    ///
    /// assert_eq!(Drag::Token { id: ServerId(2), index: 0 }.server(), ServerId(2));
    /// ```
    pub fn server(self) -> ServerId {
        match self {
            Drag::Server { id, .. } | Drag::Token { id, .. } => id,
        }
    }
}
