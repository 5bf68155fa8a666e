//! Packets from field offices to the central registry, and the bookkeeping that applies each
//! exactly once. Pure: no sockets, no files, no clock (times are passed in).
#![deny(missing_docs)]

pub mod compress;
pub mod keys;
pub mod packet;
pub mod payload;
pub mod received;
pub mod sample;

pub use keys::{
    CentralPublicKey, CentralSecretKey, DeviceKey, DeviceKeyId, DeviceKeys, DeviceSigningKey,
};
pub use packet::{OpenError, OpenPacket, Packet, PacketHeader, PacketId, SealError, SealedPacket};
pub use payload::{PayloadError, Registration};
pub use received::{Decision, Received};
