//! Sealed and open packets: the wire format, sealing at the office, opening at the central.
//!
//! **Wire format: do not edit casually.** Every byte laid out here is signed and
//! authenticated, and packets may wait weeks in an office's queue or on a USB stick: a change
//! needs a new [`FORMAT_VERSION`], and the central must keep opening the old one.
//!
//! ```text
//! header (authenticated as HPKE associated data, and signed):
//!   "SJP"            3  magic
//!   version          1  FORMAT_VERSION
//!   packet id       16  UUIDv7
//!   sequence         8  big-endian, per device key, from 1
//!   created at       8  big-endian signed Unix seconds
//!   office           1 + n (2..=32 ASCII)
//!   key id           1 + n (1..=32)
//! body:
//!   enc             32  HPKE encapsulated key
//!   ciphertext    rest  HPKE(method 1 | Ed25519 signature 64 | compressed CBOR payload) + tag 16
//! ```
//!
//! The signature is over `SIGNATURE_CONTEXT | u16 header length | header | method | compressed
//! payload`, so it binds the header (a packet cannot be re-labelled with another sequence or
//! office even by someone who can encrypt to the central, which anyone can) and is checked
//! before a single byte is decompressed or decoded.

use ed25519_dalek::{Signature, Signer};
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};
use sijil_core::OfficeCode;
use time::OffsetDateTime;

use crate::{
    compress,
    keys::{CentralPublicKey, CentralSecretKey, DeviceKeyId, DeviceKeys, DeviceSigningKey, Kem},
    payload::{PayloadError, Registration},
};

type Aead = hpke::aead::ChaCha20Poly1305;
type Kdf = hpke::kdf::HkdfSha256;

/// The format this crate writes and reads.
pub const FORMAT_VERSION: u8 = 1;
/// Largest sealed packet accepted (a registration without photos is under 1 KiB).
pub const MAX_PACKET_BYTES: usize = 16 * 1024;
/// Largest payload accepted after decompression.
pub const MAX_PAYLOAD_BYTES: usize = 32 * 1024;

const MAGIC: &[u8; 3] = b"SJP";
const HPKE_INFO: &[u8] = b"sijil-sync packet v1";
const SIGNATURE_CONTEXT: &[u8] = b"sijil-sync packet v1 signature\0";
const ENC_LEN: usize = 32;
const TAG_LEN: usize = 16;
const SIG_LEN: usize = 64;
const FIXED_HEADER: usize = 3 + 1 + 16 + 8 + 8;

/// A packet id: 16 bytes, a UUIDv7 made from the creation time, so ids sort by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PacketId(pub [u8; 16]);

impl PacketId {
    /// A new UUIDv7 for a packet created at `at` (random in its other bits).
    pub fn new(at: OffsetDateTime) -> Self {
        let nanos = at.unix_timestamp_nanos().max(0);
        let ts = uuid::Timestamp::from_unix(
            uuid::NoContext,
            (nanos / 1_000_000_000) as u64,
            (nanos % 1_000_000_000) as u32,
        );
        Self(*uuid::Uuid::new_v7(ts).as_bytes())
    }
}

impl std::fmt::Display for PacketId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        uuid::Uuid::from_bytes(self.0).fmt(f)
    }
}

/// The clear header of a packet: what the central needs to route, dedupe and pick the key.
///
/// Wire format: do not edit casually (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacketHeader {
    /// Unique id of the packet.
    pub id: PacketId,
    /// The office that sealed it.
    pub office: OfficeCode,
    /// Its place in the series of its device key, from 1, with no gaps at the office.
    pub sequence: u64,
    /// When it was sealed (office clock, whole seconds).
    pub created_at: OffsetDateTime,
    /// The device key that signed it.
    pub key_id: DeviceKeyId,
}

impl PacketHeader {
    fn encode(&self) -> Vec<u8> {
        let office = self.office.as_str().as_bytes();
        let kid = self.key_id.as_bytes();
        let mut out = Vec::with_capacity(FIXED_HEADER + 2 + office.len() + kid.len());
        out.extend_from_slice(MAGIC);
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&self.id.0);
        out.extend_from_slice(&self.sequence.to_be_bytes());
        out.extend_from_slice(&self.created_at.unix_timestamp().to_be_bytes());
        out.push(office.len() as u8);
        out.extend_from_slice(office);
        out.push(kid.len() as u8);
        out.extend_from_slice(kid);
        out
    }

    /// Parses a header at the start of `bytes`; returns it and its length.
    fn decode(bytes: &[u8]) -> Result<(Self, usize), OpenError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(3)? != MAGIC {
            return Err(OpenError::Malformed("magic"));
        }
        let version = r.take(1)?[0];
        if version != FORMAT_VERSION {
            return Err(OpenError::UnsupportedVersion(version));
        }
        let id = PacketId(r.take(16)?.try_into().expect("16 bytes"));
        let sequence = u64::from_be_bytes(r.take(8)?.try_into().expect("8 bytes"));
        if sequence == 0 {
            return Err(OpenError::Malformed("sequence"));
        }
        let secs = i64::from_be_bytes(r.take(8)?.try_into().expect("8 bytes"));
        let created_at = OffsetDateTime::from_unix_timestamp(secs)
            .map_err(|_| OpenError::Malformed("created_at"))?;
        let len = r.take(1)?[0] as usize;
        let office = std::str::from_utf8(r.take(len)?)
            .ok()
            .and_then(|s| OfficeCode::parse(s).ok())
            .filter(|o| o.as_str().len() == len)
            .ok_or(OpenError::Malformed("office"))?;
        let len = r.take(1)?[0] as usize;
        let key_id = DeviceKeyId::new(r.take(len)?).ok_or(OpenError::Malformed("key_id"))?;
        let header = Self {
            id,
            office,
            sequence,
            created_at,
            key_id,
        };
        Ok((header, r.at))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], OpenError> {
        let out = self
            .bytes
            .get(self.at..self.at + n)
            .ok_or(OpenError::Truncated)?;
        self.at += n;
        Ok(out)
    }
}

/// State of a packet still sealed: its bytes as received, header parsed, nothing verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    bytes: Vec<u8>,
    header_len: usize,
}

/// State of an opened packet: decrypted, signature verified, payload decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    registration: Registration,
}

/// A packet in state `S` ([`Sealed`] or [`Open`]); the type says whether it was verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet<S> {
    header: PacketHeader,
    state: S,
}

/// A packet as it travels: bytes whose header has been parsed, nothing more.
pub type SealedPacket = Packet<Sealed>;
/// A packet the central opened: decrypted, signature verified, payload decoded.
pub type OpenPacket = Packet<Open>;

impl<S> Packet<S> {
    /// The header (for a sealed packet: parsed but not yet authenticated).
    pub fn header(&self) -> &PacketHeader {
        &self.header
    }
}

/// Why a packet was refused. Every variant is a quarantine reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// Shorter than its own layout says.
    #[error("packet truncated")]
    Truncated,
    /// A header field is not valid.
    #[error("packet header malformed: {0}")]
    Malformed(&'static str),
    /// A format this build does not read.
    #[error("packet format version {0} not supported")]
    UnsupportedVersion(u8),
    /// Larger than [`MAX_PACKET_BYTES`] (or its payload than [`MAX_PAYLOAD_BYTES`]).
    #[error("packet too large: over {max} bytes")]
    Oversize {
        /// The bound exceeded.
        max: usize,
    },
    /// The signing key was never approved.
    #[error("unknown device key {0}")]
    UnknownKey(DeviceKeyId),
    /// The signing key was revoked.
    #[error("device key {0} is revoked")]
    RevokedKey(DeviceKeyId),
    /// The key belongs to another office than the header names.
    #[error("device key {key_id} belongs to office {key_office}, not {packet_office}")]
    ForeignKey {
        /// The key.
        key_id: DeviceKeyId,
        /// Its office.
        key_office: OfficeCode,
        /// The office the packet claims.
        packet_office: OfficeCode,
    },
    /// HPKE refused it: wrong central key, or header or ciphertext changed.
    #[error("packet cannot be decrypted (wrong central key, or changed on the way)")]
    Decryption,
    /// The device key's signature does not verify.
    #[error("bad signature")]
    BadSignature,
    /// The header and the signed payload disagree.
    #[error("header and payload disagree on {0}")]
    HeaderMismatch(&'static str),
    /// The payload does not decode.
    #[error(transparent)]
    Payload(#[from] PayloadError),
}

/// Why the office could not seal a packet (a programming or configuration error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// The header names another key than the one signing.
    #[error("header key id is not the signing key's")]
    KeyMismatch,
    /// The registration was captured at another office than the header names.
    #[error("registration office differs from the packet office")]
    OfficeMismatch,
    /// Sequence 0 is reserved.
    #[error("sequence numbers start at 1")]
    ZeroSequence,
    /// The packet would exceed [`MAX_PACKET_BYTES`].
    #[error("packet too large")]
    Oversize,
}

fn signed_message(header: &[u8], method: u8, body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNATURE_CONTEXT.len() + 3 + header.len() + body.len());
    m.extend_from_slice(SIGNATURE_CONTEXT);
    m.extend_from_slice(&(header.len() as u16).to_be_bytes());
    m.extend_from_slice(header);
    m.push(method);
    m.extend_from_slice(body);
    m
}

impl SealedPacket {
    /// Seals a registration at the office: compress, sign with the device key, encrypt to the
    /// central with the header as associated data.
    ///
    /// The header's `created_at` is kept to the whole second, as the wire carries it.
    pub fn seal(
        mut header: PacketHeader,
        registration: &Registration,
        device: &DeviceSigningKey,
        central: &CentralPublicKey,
    ) -> Result<Self, SealError> {
        if &header.key_id != device.id() {
            return Err(SealError::KeyMismatch);
        }
        if header.office != registration.capture.office {
            return Err(SealError::OfficeMismatch);
        }
        if header.sequence == 0 {
            return Err(SealError::ZeroSequence);
        }
        header.created_at = OffsetDateTime::from_unix_timestamp(header.created_at.unix_timestamp())
            .expect("a valid time stays valid to the second");
        let (method, body) = compress::compress_best(&registration.to_cbor());
        Self::seal_body(header, method, &body, device, central)
    }

    /// Signs and encrypts an already compressed body (tests use it to build packets that an
    /// honest office would never seal).
    fn seal_body(
        header: PacketHeader,
        method: u8,
        body: &[u8],
        device: &DeviceSigningKey,
        central: &CentralPublicKey,
    ) -> Result<Self, SealError> {
        let head = header.encode();
        let signature = device
            .signing_key()
            .sign(&signed_message(&head, method, body));
        let mut plain = Vec::with_capacity(1 + SIG_LEN + body.len());
        plain.push(method);
        plain.extend_from_slice(&signature.to_bytes());
        plain.extend_from_slice(body);
        let (enc, ciphertext) = hpke::single_shot_seal::<Aead, Kdf, Kem>(
            &OpModeS::Base,
            &central.0,
            HPKE_INFO,
            &plain,
            &head,
        )
        .expect("sealing to a valid X25519 key does not fail");
        let mut bytes = head;
        let header_len = bytes.len();
        bytes.extend_from_slice(&enc.to_bytes());
        bytes.extend_from_slice(&ciphertext);
        if bytes.len() > MAX_PACKET_BYTES {
            return Err(SealError::Oversize);
        }
        Ok(Self {
            header,
            state: Sealed { bytes, header_len },
        })
    }

    /// Parses received bytes: size bound, header fields, room for key, tag and signature.
    /// Nothing is authenticated yet; call [`SealedPacket::open`].
    pub fn parse(bytes: &[u8]) -> Result<Self, OpenError> {
        if bytes.len() > MAX_PACKET_BYTES {
            return Err(OpenError::Oversize {
                max: MAX_PACKET_BYTES,
            });
        }
        let (header, header_len) = PacketHeader::decode(bytes)?;
        if bytes.len() < header_len + ENC_LEN + TAG_LEN + 1 + SIG_LEN {
            return Err(OpenError::Truncated);
        }
        Ok(Self {
            header,
            state: Sealed {
                bytes: bytes.to_vec(),
                header_len,
            },
        })
    }

    /// The bytes to send or store.
    pub fn as_bytes(&self) -> &[u8] {
        &self.state.bytes
    }

    /// Opens at the central: checks the key (known, not revoked, this office's), decrypts,
    /// verifies the signature, then decompresses and decodes the payload.
    pub fn open(
        &self,
        central: &CentralSecretKey,
        keys: &impl DeviceKeys,
    ) -> Result<OpenPacket, OpenError> {
        let h = &self.header;
        let device = keys
            .device_key(&h.key_id)
            .ok_or_else(|| OpenError::UnknownKey(h.key_id.clone()))?;
        if device.revoked {
            return Err(OpenError::RevokedKey(h.key_id.clone()));
        }
        if device.office != h.office {
            return Err(OpenError::ForeignKey {
                key_id: h.key_id.clone(),
                key_office: device.office,
                packet_office: h.office.clone(),
            });
        }
        let (head, rest) = self.state.bytes.split_at(self.state.header_len);
        let (enc, ciphertext) = rest.split_at(ENC_LEN);
        let enc =
            <Kem as hpke::Kem>::EncappedKey::from_bytes(enc).map_err(|_| OpenError::Decryption)?;
        let plain = hpke::single_shot_open::<Aead, Kdf, Kem>(
            &OpModeR::Base,
            &central.secret,
            &enc,
            HPKE_INFO,
            ciphertext,
            head,
        )
        .map_err(|_| OpenError::Decryption)?;
        let (&method, rest) = plain.split_first().ok_or(OpenError::Truncated)?;
        let (sig, body) = rest.split_at_checked(SIG_LEN).ok_or(OpenError::Truncated)?;
        let sig = Signature::from_bytes(sig.try_into().expect("64 bytes"));
        device
            .key
            .verify_strict(&signed_message(head, method, body), &sig)
            .map_err(|_| OpenError::BadSignature)?;
        let cbor = compress::decompress(method, body, MAX_PAYLOAD_BYTES).map_err(|e| match e {
            compress::DecompressError::Oversize => OpenError::Oversize {
                max: MAX_PAYLOAD_BYTES,
            },
            compress::DecompressError::Invalid => OpenError::Payload(PayloadError {
                field: "payload".into(),
                problem: format!("cannot decompress (method {method})"),
            }),
        })?;
        let registration = Registration::from_cbor(&cbor)?;
        if registration.capture.office != h.office {
            return Err(OpenError::HeaderMismatch("office"));
        }
        Ok(Packet {
            header: h.clone(),
            state: Open { registration },
        })
    }
}

impl OpenPacket {
    /// The registration it carried.
    pub fn registration(&self) -> &Registration {
        &self.state.registration
    }

    /// The registration, consuming the packet.
    pub fn into_registration(self) -> Registration {
        self.state.registration
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::{DeviceKey, sample::registration};

    /// A device that signs whatever it is given: what a buggy or subverted office build could
    /// send. The central must still refuse it with a precise reason.
    fn open_signed(method: u8, body: &[u8], office: &str) -> Result<OpenPacket, OpenError> {
        let central = CentralSecretKey::from_seed(&[1; 32]);
        let device = DeviceSigningKey::from_seed(&[2; 32]);
        let office = OfficeCode::parse(office).unwrap();
        let mut keys = HashMap::new();
        keys.insert(
            device.id().clone(),
            DeviceKey {
                office: office.clone(),
                key: device.verifying_key(),
                revoked: false,
            },
        );
        let header = PacketHeader {
            id: PacketId([3; 16]),
            office,
            sequence: 1,
            created_at: OffsetDateTime::UNIX_EPOCH,
            key_id: device.id().clone(),
        };
        let p =
            SealedPacket::seal_body(header, method, body, &device, central.public_key()).unwrap();
        SealedPacket::parse(p.as_bytes())?.open(&central, &keys)
    }

    #[test]
    fn a_signed_payload_from_another_office_is_a_header_mismatch() {
        let cbor = registration(1).to_cbor();
        assert!(open_signed(compress::METHOD_NONE, &cbor, "DAM-01").is_ok());
        assert_eq!(
            open_signed(compress::METHOD_NONE, &cbor, "ALP-02").unwrap_err(),
            OpenError::HeaderMismatch("office")
        );
    }

    #[test]
    fn a_signed_but_malformed_payload_names_its_field() {
        let mut r = registration(1);
        r.record.first_name = Some(" padded".into());
        let err = open_signed(compress::METHOD_NONE, &r.to_cbor(), "DAM-01").unwrap_err();
        assert!(
            matches!(err, OpenError::Payload(ref e) if e.field == "first_name"),
            "{err}"
        );
        let err = open_signed(9, b"xx", "DAM-01").unwrap_err();
        assert!(
            matches!(err, OpenError::Payload(ref e) if e.field == "payload"),
            "{err}"
        );
    }

    #[test]
    fn a_signed_decompression_bomb_is_oversize() {
        let bomb = compress::compress(compress::METHOD_ZSTD, &vec![0xa0; 4 << 20]);
        assert_eq!(
            open_signed(compress::METHOD_ZSTD, &bomb, "DAM-01").unwrap_err(),
            OpenError::Oversize {
                max: MAX_PAYLOAD_BYTES
            }
        );
    }
}
