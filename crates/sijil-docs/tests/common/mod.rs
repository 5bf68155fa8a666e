//! Fixtures shared by the integration tests: fixed keys and a typical Syrian card.
#![allow(dead_code)]

use ed25519_dalek::SigningKey;
use sijil_docs::{CardClaims, KeyId, KeyUsage, TrustList, TrustedKey};
use time::{OffsetDateTime, macros::datetime};

/// A deterministic key (tests must not depend on a random source).
pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

pub fn kid(name: &str) -> KeyId {
    KeyId::new(name.as_bytes().to_vec()).unwrap()
}

/// The moment cards are issued in these tests.
pub fn issued_at() -> OffsetDateTime {
    datetime!(2026-11-29 09:30 UTC)
}

/// A trust list with the card key `SY-ID-1` (seed 1) and the list key `SY-LIST-1` (seed 9),
/// both in use since 2026-01-01.
pub fn trust() -> TrustList {
    let mut t = TrustList::new();
    t.insert(TrustedKey::new(
        kid("SY-ID-1"),
        key(1).verifying_key(),
        KeyUsage::Credentials,
        datetime!(2026-01-01 0:00 UTC),
    ));
    t.insert(TrustedKey::new(
        kid("SY-LIST-1"),
        key(9).verifying_key(),
        KeyUsage::Lists,
        datetime!(2026-01-01 0:00 UTC),
    ));
    t
}

/// A typical Syrian ID card: full Arabic and Latin names, mother, place of birth, registry.
pub fn typical_claims() -> CardClaims {
    CardClaims::specimen()
}
