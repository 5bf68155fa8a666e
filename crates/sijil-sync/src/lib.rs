//! Packets from field offices to the central registry, and the bookkeeping that applies each
//! one exactly once.
//!
//! Pure: no sockets, no files, no clock. Times are passed in; randomness (packet ids, HPKE
//! ephemeral keys, new key pairs) comes from the operating system. The office node, the
//! central's ingest and the transport build on this crate and keep their I/O to themselves.
//!
//! # A packet
//!
//! One registration (validated [`sijil_core::PersonRecord`] + [`sijil_core::Capture`] with its
//! evidence) is one packet, so a packet is applied, refused or quarantined on its own, and a
//! cut link loses at most the packet in flight.
//!
//! 1. **Payload**: CBOR with small integer keys ([`payload`]); a partial date is one integer.
//! 2. **Compression** ([`compress`]): the smallest of none, zstd, and zstd with a frozen
//!    dictionary of common Syrian names, places and evidence words. On ~200–250-byte payloads
//!    plain zstd and deflate gain 0–10%; the dictionary gains 24–40% (see below).
//! 3. **Signature**: Ed25519 by the office's device key over a domain-separated message that
//!    includes the clear header, so the header cannot be changed or swapped even by someone
//!    who can encrypt to the central (anyone can: its key is public).
//! 4. **Encryption**: HPKE (RFC 9180), mode base, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//!    ChaCha20-Poly1305, to the central's public key, with the header (packet id, office,
//!    sequence, created-at, key id) as associated data. Sign-then-encrypt hides who registered
//!    whom from anyone on the path; only the header is visible, which the central needs to
//!    pick the key and deduplicate before decrypting.
//!
//! The layout is in [`packet`]. Types keep the states apart: a [`SealedPacket`] is bytes with a
//! parsed but unauthenticated header; only [`SealedPacket::open`] makes an [`OpenPacket`], and
//! it needs the central's secret key and a [`DeviceKeys`] lookup. Opening checks, in order:
//! size bound, header syntax, key known / not revoked / of this office (cheap, before any
//! cryptography), decryption, signature, and only then decompression (bounded) and strict
//! decoding. Each failure is its own [`OpenError`] variant: a quarantine reason.
//!
//! Measured (`cargo run --release -p sijil-sync --example packet_size`, 2 cores): a sealed
//! packet is **313 bytes on average, 345 at most** (target: under 600). Payloads: sample
//! records 247 bytes of CBOR → 222 deflate, 230 zstd, 150 zstd with the dictionary; records
//! from `sijil-gen` 193 → 189 deflate, 194 zstd, 147 with the dictionary. Fixed overhead is
//! about 165 bytes: header ~50, HPKE encapsulated key 32 and tag 16, signature 64, method 1.
//! Sealing takes ~0.3 ms and opening ~0.2 ms per packet.
//!
//! # Exactly once
//!
//! [`Received`] is the central's state per device key: highest contiguous sequence plus the set
//! seen beyond it. [`Received::decide`] says Accept, Gap (accept, but earlier ones are
//! missing), Duplicate (acknowledge again, change nothing) or OutOfRange; the caller stores
//! the records and the new state in one transaction. The packet id is unique too, but the
//! (office, sequence) pair is what makes "nothing lost" checkable: a gap is visible.
//!
//! # Resumable transfer
//!
//! [`transfer`] models a tus-style upload of a batch of sealed packets (length-prefixed
//! frames; not compressed again, as they are encrypted): the central creates an upload with
//! its length (`POST`), the office sends chunks at an offset (`PATCH`), and after a cut asks
//! for the central's offset (`HEAD`) and resumes at exactly that byte. The receiver takes a
//! chunk only at its own offset (tus's 409 otherwise) and yields each packet as its last byte
//! arrives; the sender turns a confirmed offset into the ids of the packets now wholly stored,
//! which the office marks as sent. A proptest drives both over a link that loses chunks,
//! loses answers and repeats stale chunks: every packet arrives and is confirmed exactly once.
//!
//! # Where the edges are
//!
//! This crate stays pure. The office outbox, the central's devices, inbox and quarantine are
//! `sijil_store::SyncStore`; the central's endpoints, its ingest (exactly once across crashes)
//! and the office node's sealer and push loop are in `sijil-server` (`sync`, `routes/sync.rs`);
//! `sijil office` and `sijil sync export|import` are the commands (see `docs/sync.md`).
#![deny(missing_docs)]

pub mod compress;
pub mod downlink;
pub mod keys;
pub mod packet;
pub mod payload;
pub mod received;
pub mod sample;
pub mod transfer;

pub use keys::{
    CentralPublicKey, CentralSecretKey, DeviceKey, DeviceKeyId, DeviceKeys, DeviceSigningKey,
};
pub use packet::{OpenError, OpenPacket, Packet, PacketHeader, PacketId, SealError, SealedPacket};
pub use payload::{PayloadError, Registration};
pub use received::{Decision, Received};
