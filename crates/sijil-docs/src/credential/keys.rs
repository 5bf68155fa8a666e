//! The trust list: which public keys a verifier accepts, for what, and for which period.
//!
//! Rotation: a new key is added with its start date; the old one gets an end date (`not_after`)
//! and stays on the list, so the cards it signed remain valid until they expire, while anything
//! it signs after its end date is refused. A lost or stolen key is marked `revoked`: whoever
//! holds it can write any date into a credential, so nothing it ever signed is accepted, and the
//! cards it signed are reissued.

use std::collections::BTreeMap;

use ed25519_dalek::VerifyingKey;
use time::OffsetDateTime;

use super::KeyId;

/// What a key is trusted to sign. A card-signing key cannot sign a revocation list and the
/// reverse, so the compromise of an office's card key does not let anyone rewrite revocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyUsage {
    /// ID-card credentials.
    Credentials,
    /// Revocation lists (the central registry's key).
    Lists,
}

/// A public key on the trust list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    /// Its id, as written in the `kid` header.
    pub kid: KeyId,
    /// The Ed25519 public key.
    pub key: VerifyingKey,
    /// What it may sign.
    pub usage: KeyUsage,
    /// First moment it may sign.
    pub not_before: OffsetDateTime,
    /// Last moment it may sign (`None`: still in use).
    pub not_after: Option<OffsetDateTime>,
    /// Lost or compromised: nothing it signed is accepted.
    pub revoked: bool,
}

impl TrustedKey {
    /// A key in use from `not_before` on, with no end date.
    pub fn new(kid: KeyId, key: VerifyingKey, usage: KeyUsage, not_before: OffsetDateTime) -> Self {
        Self {
            kid,
            key,
            usage,
            not_before,
            not_after: None,
            revoked: false,
        }
    }

    /// Whether the key was in use at `t`.
    pub fn in_use_at(&self, t: OffsetDateTime) -> bool {
        t >= self.not_before && self.not_after.is_none_or(|end| t <= end)
    }
}

/// Public keys by key id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustList {
    keys: BTreeMap<KeyId, TrustedKey>,
}

impl TrustList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a key; returns the one it replaced.
    pub fn insert(&mut self, key: TrustedKey) -> Option<TrustedKey> {
        self.keys.insert(key.kid.clone(), key)
    }

    /// The key with this id.
    pub fn get(&self, kid: &KeyId) -> Option<&TrustedKey> {
        self.keys.get(kid)
    }

    /// Ends a key's period of use (rotation). Returns false when the key is unknown.
    pub fn retire(&mut self, kid: &KeyId, at: OffsetDateTime) -> bool {
        self.keys
            .get_mut(kid)
            .map(|k| k.not_after = Some(at))
            .is_some()
    }

    /// Marks a key lost or compromised. Returns false when the key is unknown.
    pub fn revoke(&mut self, kid: &KeyId) -> bool {
        self.keys.get_mut(kid).map(|k| k.revoked = true).is_some()
    }

    /// All keys, by id.
    pub fn iter(&self) -> impl Iterator<Item = &TrustedKey> {
        self.keys.values()
    }
}
