//! Fixtures shared by the integration tests: fixed keys and a typical Syrian card.
#![allow(dead_code)]

use ed25519_dalek::SigningKey;
use sijil_core::{NationalNumber, PartialDate, Sex};
use sijil_docs::{CardClaims, CredentialId, KeyId, KeyUsage, PersonName, TrustList, TrustedKey};
use time::{OffsetDateTime, macros::date, macros::datetime};

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
    CardClaims {
        issuer: "https://id.sijil.example".into(),
        // 8 random bytes are unique enough for a country (a 16-byte UUID costs 12 more
        // characters of QR text).
        credential_id: CredentialId::new(*b"\x93\x7a\x2b\x4c\x5d\x7e\x8f\x90").unwrap(),
        document_number: "A12345678".into(),
        national_number: NationalNumber::from_parts(1, 2, 123_456).unwrap(),
        name_ar: PersonName {
            first: "محمد".into(),
            father: "عبد الرحمن".into(),
            family: "الحلبي".into(),
        },
        name_latin: Some("Mohammad Abdulrahman Al-Halabi".into()),
        mother_name_ar: Some("فاطمة الزهراء الشامي".into()),
        birth_date: PartialDate::parse_unchecked("1985-03-17").unwrap(),
        birth_place_ar: Some("دمشق".into()),
        sex: Some(Sex::Male),
        registry_ar: Some("دمشق - الميدان 245".into()),
        nationality: "SYR".into(),
        issued_on: date!(2026 - 11 - 29),
        expires_on: date!(2036 - 11 - 28),
    }
}
