//! Identity documents that a checkpoint can check with no network: the signed credential in an
//! ID card's QR code, and the machine-readable zones (MRZ) of passports and ID cards.
//!
//! Pure computation: no files, no network, no clock. Every function that depends on the time
//! takes `now`; keys, trust lists and revocation lists are passed in by the caller.
//!
//! # The ID-card credential
//!
//! The QR code carries MOSIP's **Claim 169** (an IANA-registered CWT claim for identity data)
//! in a CBOR Web Token, signed as a COSE_Sign1 with Ed25519, compressed with zlib and written
//! in Base45 so that the QR code uses its compact alphanumeric mode:
//!
//! ```text
//! CardClaims -> CBOR (CWT claims: iss, iat, nbf, exp, cti, 169, Sijil extension)
//!            -> COSE_Sign1 (EdDSA, kid) -> zlib -> Base45 -> QR (error correction M)
//! ```
//!
//! A published format means that any Claim 169 verifier holding the ministry's public key can
//! read the card; the tests check this with an independent implementation (pycose, cbor2 and
//! base45 from PyPI). See [`credential`] for the mapping of fields to claim keys,
//! [`credential::issue_card_credential`] and [`credential::verify_credential`], the trust list
//! (public keys by key id, with validity periods, so keys rotate and a lost key is revoked) and
//! the signed revocation list.
//!
//! # Machine-readable zones
//!
//! [`mrz`] writes and reads the TD3 zone of a passport and the TD1 zone of an ID card per ICAO
//! Doc 9303, with every check digit and the document-number overflow of TD1, and transliterates
//! Arabic names by the ICAO table in a way that can be read back into Arabic.
//!
//! # QR codes
//!
//! [`qr`] renders the credential text as SVG or PNG at error correction M and reports the QR
//! version it needs, and reads the code back from a PNG image.
//!
//! # Verification at a checkpoint
//!
//! [`verify::Verifier`] answers, for a QR payload or a zone, everything a checkpoint asks
//! offline: genuine or not (and why not), expired, revoked (lost, stolen, cancelled), holder
//! under an alert, and who the holder is, from the trust list ([`TrustList::from_json`]) and
//! the signed revocation and alert lists the device last received.
#![deny(missing_docs)]

pub mod credential;
pub mod mrz;
pub mod qr;
pub mod verify;

pub use credential::{
    Alert, AlertList, CardClaims, CredentialId, KeyId, KeyUsage, PersonName, RevocationItem,
    RevocationList, RevocationListError, RevocationReason, TrustFileError, TrustList, TrustedKey,
    VerifiedCredential, VerifyError, issue_card_credential, verify_credential,
};
pub use qr::{QrModules, decode_qr_image, qr_modules, qr_png, qr_svg, qr_version};
pub use verify::{Verdict, Verifier};
