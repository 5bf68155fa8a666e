//! The ID card's signed credential: MOSIP Claim 169 in a CWT, COSE_Sign1 with Ed25519, zlib,
//! Base45.
//!
//! # What the credential holds
//!
//! Do not change this mapping casually: cards in circulation carry it, and other Claim 169
//! verifiers read it. The CWT claims map (deterministic CBOR, keys in this order):
//!
//! | key | claim | value |
//! |---|---|---|
//! | 1 | `iss` | issuer URI ([`CardClaims::issuer`]) |
//! | 4 | `exp` | 00:00 UTC of the day after [`CardClaims::expires_on`] |
//! | 5 | `nbf` | 00:00 UTC of [`CardClaims::issued_on`] |
//! | 6 | `iat` | the moment of signing (`now`) |
//! | 7 | `cti` | [`CardClaims::credential_id`] |
//! | 169 | identity data | the Claim 169 map below |
//! | -65537 | Sijil extension | private-use claim (RFC 8392 §9.1), map below |
//!
//! Claim 169 map. Arabic is the primary language, because the Arabic name is the legal one
//! and its parts are what the registry matches on; the Latin name is the secondary-language
//! full name.
//!
//! | key | field | value |
//! |---|---|---|
//! | 1 | ID | national number |
//! | 3 | language | `ara` |
//! | 4 | full name | Arabic: first, father, family |
//! | 5 / 6 / 7 | first / middle / last name | Arabic first name / father's name / family name |
//! | 8 | date of birth | `YYYYMMDD`; an unknown month or day is `00` |
//! | 9 | gender | 1 male, 2 female |
//! | 13 | nationality | `SYR` |
//! | 19 | full name, secondary language | Latin full name |
//! | 20 | secondary language | `eng` (ISO 639-3 has no code for a Latin rendering of Arabic) |
//!
//! Sijil extension map (fields a Syrian card shows that Claim 169 has no key for; keys 24–99
//! of Claim 169 are reserved for the working group, so they are kept out of it):
//!
//! | key | field |
//! |---|---|
//! | 1 | document (card) number |
//! | 2 | mother's name (Arabic) |
//! | 3 | place of birth (Arabic) |
//! | 4 | civil registry, place and number (القيد) |
//!
//! The COSE_Sign1 is tagged (18); its protected header holds `alg` = EdDSA (-8) and `kid`.
//! A reader also accepts the CWT tag (61) around it and a `kid` in the unprotected header, as
//! other Claim 169 issuers write them.

mod alerts;
mod claims;
mod cose;
pub mod delta;
mod keys;
mod pipeline;
mod revocation;
mod signed_list;
mod trust_file;

use std::fmt;

use sijil_core::{NationalNumber, PartialDate, Sex};
use time::{Date, OffsetDateTime};

use crate::mrz::{MrzData, MrzDate, MrzError, MrzName};

pub use alerts::{Alert, AlertList};
pub use keys::{KeyUsage, TrustList, TrustedKey};
pub use pipeline::{
    MAX_DECOMPRESSED, MAX_TEXT, PayloadSizes, ReadCredential, credential_payload_sizes,
    issue_card_credential, read_credential, verify_credential,
};
pub use revocation::{RevocationItem, RevocationList, RevocationListError, RevocationReason};
pub use trust_file::{TRUST_LIST_FORMAT, TrustFileError};

/// Identifies a signing key (COSE `kid`): 1 to 32 bytes, usually short readable text such as
/// `SY-ID-2026-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(Vec<u8>);

impl KeyId {
    /// A key id from its bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, IdError> {
        let bytes = bytes.into();
        if bytes.is_empty() || bytes.len() > 32 {
            return Err(IdError {
                what: "key id",
                len: bytes.len(),
                max: 32,
            });
        }
        Ok(Self(bytes))
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for KeyId {
    /// Readable text as is; anything else in hexadecimal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        show_bytes(&self.0, f)
    }
}

/// Identifies one issued credential (CWT `cti`): 1 to 32 bytes, chosen by the issuer (for
/// example the 16 bytes of a UUID), so a single credential can be revoked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CredentialId(Vec<u8>);

impl CredentialId {
    /// A credential id from its bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, IdError> {
        let bytes = bytes.into();
        if bytes.is_empty() || bytes.len() > 32 {
            return Err(IdError {
                what: "credential id",
                len: bytes.len(),
                max: 32,
            });
        }
        Ok(Self(bytes))
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for CredentialId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        show_bytes(&self.0, f)
    }
}

fn show_bytes(bytes: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if bytes.iter().all(|b| b.is_ascii_graphic()) {
        f.write_str(&String::from_utf8_lossy(bytes))
    } else {
        bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// An identifier of the wrong length.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {what} has 1 to {max} bytes, not {len}")]
pub struct IdError {
    what: &'static str,
    len: usize,
    max: usize,
}

/// A name as a Syrian card prints it: first name, father's name, family name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName {
    /// First name.
    pub first: String,
    /// Father's name.
    pub father: String,
    /// Family name.
    pub family: String,
}

impl PersonName {
    /// The three parts joined by spaces.
    pub fn full(&self) -> String {
        format!("{} {} {}", self.first, self.father, self.family)
    }
}

/// What an ID card's credential says about its holder and itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardClaims {
    /// Issuer URI (CWT `iss`).
    pub issuer: String,
    /// This credential's id (CWT `cti`).
    pub credential_id: CredentialId,
    /// Card number.
    pub document_number: String,
    /// The holder's national number.
    pub national_number: NationalNumber,
    /// The name in Arabic (the legal name).
    pub name_ar: PersonName,
    /// The full name in Latin letters, as printed on the card.
    pub name_latin: Option<String>,
    /// Mother's name in Arabic.
    pub mother_name_ar: Option<String>,
    /// Date of birth, as precise as the registry knows it.
    pub birth_date: PartialDate,
    /// Place of birth in Arabic.
    pub birth_place_ar: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Civil registry place and number (محل ونمرة القيد), in Arabic.
    pub registry_ar: Option<String>,
    /// Nationality, ISO 3166 three-letter code.
    pub nationality: String,
    /// Date of issue: the credential is valid from 00:00 UTC that day.
    pub issued_on: Date,
    /// Date of expiry: the credential is valid through that day (until 00:00 UTC the next).
    pub expires_on: Date,
}

impl CardClaims {
    /// A specimen card (a made-up man from Damascus, with every field a typical Syrian card
    /// has), as ICAO publishes specimen documents: for examples, benchmarks and the tests of
    /// whatever reads, sizes or draws a card. Its figures are the ones docs/documents.md quotes.
    pub fn specimen() -> Self {
        use time::macros::date;
        CardClaims {
            issuer: "https://id.sijil.example".into(),
            // 8 random bytes are unique enough for a country (a 16-byte UUID costs 12 more
            // characters of QR text).
            credential_id: CredentialId::new(*b"\x93\x7a\x2b\x4c\x5d\x7e\x8f\x90")
                .expect("8 bytes"),
            document_number: "A12345678".into(),
            national_number: NationalNumber::from_parts(1, 2, 123_456).expect("in range"),
            name_ar: PersonName {
                first: "محمد".into(),
                father: "عبد الرحمن".into(),
                family: "الحلبي".into(),
            },
            name_latin: Some("Mohammad Abdulrahman Al-Halabi".into()),
            mother_name_ar: Some("فاطمة الزهراء الشامي".into()),
            birth_date: PartialDate::parse_unchecked("1985-03-17").expect("a date"),
            birth_place_ar: Some("دمشق".into()),
            sex: Some(Sex::Male),
            registry_ar: Some("دمشق - الميدان 245".into()),
            nationality: "SYR".into(),
            issued_on: date!(2026 - 11 - 29),
            expires_on: date!(2036 - 11 - 28),
        }
    }

    /// The card's TD1 machine-readable zone: Arabic names transliterated by the ICAO table
    /// (family name, then first name), the card number, and the national number in the
    /// optional data of line 1.
    pub fn td1_zone(&self) -> Result<String, MrzError> {
        MrzData {
            document_code: "I<".into(),
            issuing_state: "SYR".into(),
            name: MrzName::transliterate(&self.name_ar.family, &self.name_ar.first)?,
            document_number: self.document_number.clone(),
            nationality: self.nationality.clone(),
            birth_date: MrzDate::from_partial(&self.birth_date),
            sex: self.sex,
            expiry_date: MrzDate::from_date(self.expires_on),
            optional_data: self.national_number.as_str().to_owned(),
            optional_data_2: String::new(),
        }
        .to_td1()
    }
}

/// A credential whose signature, validity and revocation status were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCredential {
    /// What the credential says.
    pub claims: CardClaims,
    /// The key that signed it.
    pub key_id: KeyId,
    /// When it was signed (CWT `iat`).
    pub signed_at: OffsetDateTime,
}

/// An item found on the revocation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokedItem {
    /// The card (every credential for it).
    Document(String),
    /// This one credential.
    Credential(CredentialId),
}

/// Why a credential is not accepted. Each variant is one precise reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Longer than any QR code can hold.
    #[error("credential text has {len} characters, more than a QR code holds ({max})")]
    TooLong {
        /// Characters given.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The text is not Base45.
    #[error("not Base45 at character {position}: {reason}")]
    NotBase45 {
        /// One-based position of the first bad character or group.
        position: usize,
        /// What is wrong there.
        reason: &'static str,
    },
    /// The bytes are not zlib data.
    #[error("not zlib-compressed: {0}")]
    NotZlib(String),
    /// Decompression would exceed the bound, as a crafted "zip bomb" does.
    #[error("decompressed credential exceeds {limit} bytes (decompression bomb?)")]
    DecompressionBomb {
        /// The bound in bytes.
        limit: usize,
    },
    /// The decompressed bytes are not a COSE_Sign1 structure.
    #[error("not a COSE_Sign1 structure: {0}")]
    NotCoseSign1(String),
    /// Signed with an algorithm other than EdDSA.
    #[error("unsupported signature algorithm {0} (only EdDSA is accepted)")]
    UnsupportedAlgorithm(String),
    /// The signature names no key.
    #[error("the signature has no key id (kid)")]
    MissingKeyId,
    /// The key id is not on the trust list.
    #[error("key {0} is not on the trust list")]
    UnknownKeyId(KeyId),
    /// The key was revoked (lost or compromised): nothing it signed is trusted.
    #[error("key {0} has been revoked; nothing it signed is accepted")]
    KeyRevoked(KeyId),
    /// The key is trusted for something else (e.g. signing lists, not cards).
    #[error("key {0} is not trusted to sign {1}")]
    WrongKeyUsage(KeyId, KeyUsage),
    /// The signature does not match the content: tampered, or signed by another key.
    #[error("bad signature for key {0}: the credential was altered or not signed by that key")]
    BadSignature(KeyId),
    /// Signed outside the key's period of use.
    #[error("key {kid} was not in use on {signed_at} when this credential was signed")]
    KeyNotValidWhenSigned {
        /// The key.
        kid: KeyId,
        /// The credential's `iat`.
        signed_at: OffsetDateTime,
    },
    /// Past its expiry.
    #[error("expired: valid until {expired_at}")]
    Expired {
        /// The credential's `exp`.
        expired_at: OffsetDateTime,
    },
    /// Before its start of validity.
    #[error("not yet valid: valid from {valid_from}")]
    NotYetValid {
        /// The credential's `nbf`.
        valid_from: OffsetDateTime,
    },
    /// On the revocation list.
    #[error("revoked ({item:?}, revocation list version {list_version})")]
    Revoked {
        /// What matched.
        item: RevokedItem,
        /// Version of the list that revoked it.
        list_version: u64,
    },
    /// A claim is missing or has the wrong form.
    #[error("malformed claim {claim}: {reason}")]
    MalformedClaim {
        /// Which claim, e.g. `169/8 (date of birth)`.
        claim: String,
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for KeyUsage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyUsage::Credentials => "credentials",
            KeyUsage::Lists => "revocation lists",
        })
    }
}
