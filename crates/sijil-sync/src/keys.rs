//! Keys: the office device's Ed25519 signing key, the central's X25519 (HPKE) key pair, and
//! the central's directory of approved device keys.

use std::{collections::HashMap, fmt};

use ed25519_dalek::{SigningKey, VerifyingKey};
use hpke::{Deserializable, Kem as _, Serializable};
use sijil_core::OfficeCode;

/// The HPKE KEM: DHKEM(X25519, HKDF-SHA256).
pub(crate) type Kem = hpke::kem::X25519HkdfSha256;

/// Names an office device key on the wire: 1 to 32 bytes. [`DeviceKeyId::of`] derives the
/// usual 8-byte id from the public key, so an id cannot silently point at another key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceKeyId(Vec<u8>);

impl DeviceKeyId {
    /// Longest id accepted.
    pub const MAX_LEN: usize = 32;

    /// An id from its bytes (1 to 32).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Option<Self> {
        let bytes = bytes.into();
        (1..=Self::MAX_LEN)
            .contains(&bytes.len())
            .then_some(Self(bytes))
    }

    /// The first 8 bytes of the BLAKE3 hash of the public key, domain-separated.
    pub fn of(key: &VerifyingKey) -> Self {
        let mut h = blake3::Hasher::new_derive_key("sijil-sync device key id v1");
        h.update(key.as_bytes());
        Self(h.finalize().as_bytes()[..8].to_vec())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for DeviceKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// An office device's signing key, made on the device and never sent anywhere.
pub struct DeviceSigningKey {
    id: DeviceKeyId,
    key: SigningKey,
}

impl DeviceSigningKey {
    /// A key from a 32-byte secret seed (kept by the office node's store).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let key = SigningKey::from_bytes(seed);
        Self {
            id: DeviceKeyId::of(&key.verifying_key()),
            key,
        }
    }

    /// A fresh key from the operating system's random source.
    pub fn generate() -> Self {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).expect("the operating system has a random source");
        Self::from_seed(&seed)
    }

    /// Its id.
    pub fn id(&self) -> &DeviceKeyId {
        &self.id
    }

    /// The public half, which the central registers at enrolment.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// Signs a request the node makes of the central (asking for receipts): Ed25519 over
    /// [`REQUEST_CONTEXT`] then `body`, so such a signature can never pass for a packet's.
    pub fn sign_request(&self, body: &[u8]) -> ed25519_dalek::Signature {
        use ed25519_dalek::Signer;
        self.key.sign(&request_message(body))
    }
}

/// Domain separation of the node's signed requests (distinct from the packet signature's).
pub const REQUEST_CONTEXT: &[u8] = b"sijil-sync request v1\0";

/// The message a node's request signature covers.
pub fn request_message(body: &[u8]) -> Vec<u8> {
    let mut m = REQUEST_CONTEXT.to_vec();
    m.extend_from_slice(body);
    m
}

impl fmt::Debug for DeviceSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceSigningKey({}, secret hidden)", self.id)
    }
}

/// The central's public encryption key, which every office holds.
#[derive(Clone, PartialEq, Eq)]
pub struct CentralPublicKey(pub(crate) <Kem as hpke::Kem>::PublicKey);

impl CentralPublicKey {
    /// From its 32 bytes; `None` if they are not a valid X25519 key.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        <Kem as hpke::Kem>::PublicKey::from_bytes(bytes)
            .ok()
            .map(Self)
    }

    /// Its 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0; 32];
        out.copy_from_slice(&self.0.to_bytes());
        out
    }
}

impl fmt::Debug for CentralPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CentralPublicKey(")?;
        self.to_bytes()
            .iter()
            .try_for_each(|b| write!(f, "{b:02x}"))?;
        write!(f, ")")
    }
}

/// The central's private decryption key.
pub struct CentralSecretKey {
    pub(crate) secret: <Kem as hpke::Kem>::PrivateKey,
    public: CentralPublicKey,
}

impl CentralSecretKey {
    /// The key pair derived from 32 bytes of secret seed (RFC 9180 `DeriveKeyPair`).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let (secret, public) = Kem::derive_keypair(seed);
        Self {
            secret,
            public: CentralPublicKey(public),
        }
    }

    /// A fresh key pair from the operating system's random source.
    pub fn generate() -> Self {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).expect("the operating system has a random source");
        Self::from_seed(&seed)
    }

    /// The public half, given to every office.
    pub fn public_key(&self) -> &CentralPublicKey {
        &self.public
    }
}

impl fmt::Debug for CentralSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CentralSecretKey({:?}, secret hidden)", self.public)
    }
}

/// An approved device key as the central knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceKey {
    /// The office it was approved for; it may sign for no other.
    pub office: OfficeCode,
    /// The public key.
    pub key: VerifyingKey,
    /// Revoked (lost, stolen, replaced): nothing it signs is accepted any more.
    pub revoked: bool,
}

/// Where the central looks up device keys (its store, or a map in tests).
pub trait DeviceKeys {
    /// The key with this id, revoked or not; `None` if it was never approved.
    fn device_key(&self, id: &DeviceKeyId) -> Option<DeviceKey>;
}

impl<F: Fn(&DeviceKeyId) -> Option<DeviceKey>> DeviceKeys for F {
    fn device_key(&self, id: &DeviceKeyId) -> Option<DeviceKey> {
        self(id)
    }
}

impl DeviceKeys for HashMap<DeviceKeyId, DeviceKey> {
    fn device_key(&self, id: &DeviceKeyId) -> Option<DeviceKey> {
        self.get(id).cloned()
    }
}
