//! The signed revocation list that offices and checkpoints receive through sync.
//!
//! Wire form (do not change casually: verifiers in the field read it): a tagged COSE_Sign1,
//! EdDSA, `kid` in the protected header, signed by a key trusted for [`KeyUsage::Lists`], whose
//! payload is the CBOR map
//!
//! | key | value |
//! |---|---|
//! | 1 | version (unsigned integer, grows with every list) |
//! | 2 | issued at (Unix seconds) |
//! | 3 | revoked card numbers (array of text, sorted) |
//! | 4 | revoked credential ids (array of byte strings, sorted) |
//! | 5 | why cards were revoked (map: card number → reason code; optional) |
//!
//! Reason codes: 1 lost, 2 stolen, 3 cancelled. Key 5 came after the first lists: a reader
//! takes a list without it (every card is then simply "revoked"), and keeps an unknown code
//! as [`RevocationReason::Other`] so that a newer centre does not lock out older verifiers.
//!
//! The list is complete, not a delta: the newest version replaces the one held, and
//! [`RevocationList::open_update`] refuses an older or equal version, so an old list replayed
//! by an attacker cannot un-revoke a card.

use std::collections::{BTreeMap, BTreeSet};

use ciborium::Value;
use ed25519_dalek::SigningKey;
use time::OffsetDateTime;

use super::{
    CredentialId, KeyId, TrustList, VerifyError, cose,
    signed_list::{self, ListBody},
};

/// Why a revocation list was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevocationListError {
    /// The signature layer failed (not COSE, unknown or revoked key, bad signature…).
    #[error("revocation list signature: {0}")]
    Signature(#[from] VerifyError),
    /// The signed content is not a revocation list.
    #[error("malformed revocation list: {0}")]
    Malformed(String),
    /// Not newer than the list already held.
    #[error("revocation list version {got} is not newer than the version {have} already held")]
    Stale {
        /// Version held.
        have: u64,
        /// Version received.
        got: u64,
    },
}

/// Why a card is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RevocationReason {
    /// Reported lost by its holder.
    Lost,
    /// Reported stolen.
    Stolen,
    /// Cancelled by the registry (replaced, holder deceased, issued in error…).
    Cancelled,
    /// A code this version does not know.
    Other(u64),
}

impl RevocationReason {
    /// The wire code.
    pub fn code(self) -> u64 {
        match self {
            RevocationReason::Lost => 1,
            RevocationReason::Stolen => 2,
            RevocationReason::Cancelled => 3,
            RevocationReason::Other(c) => c,
        }
    }

    /// The reason of a wire code.
    pub fn from_code(code: u64) -> Self {
        match code {
            1 => RevocationReason::Lost,
            2 => RevocationReason::Stolen,
            3 => RevocationReason::Cancelled,
            c => RevocationReason::Other(c),
        }
    }
}

impl std::fmt::Display for RevocationReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RevocationReason::Lost => f.write_str("reported lost"),
            RevocationReason::Stolen => f.write_str("reported stolen"),
            RevocationReason::Cancelled => f.write_str("cancelled"),
            RevocationReason::Other(c) => write!(f, "revoked (reason code {c})"),
        }
    }
}

/// Revoked cards and credentials, as of one version of the central registry's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    /// Grows with every list the centre signs.
    pub version: u64,
    /// When the centre signed it.
    pub issued_at: OffsetDateTime,
    documents: BTreeSet<String>,
    credentials: BTreeSet<CredentialId>,
    reasons: BTreeMap<String, RevocationReason>,
}

impl RevocationList {
    /// An empty list: what a verifier holds before it has received any (version 0).
    pub fn empty() -> Self {
        Self::new(0, OffsetDateTime::UNIX_EPOCH)
    }

    /// An empty list with this version and date, to fill and sign.
    pub fn new(version: u64, issued_at: OffsetDateTime) -> Self {
        Self {
            version,
            issued_at,
            documents: BTreeSet::new(),
            credentials: BTreeSet::new(),
            reasons: BTreeMap::new(),
        }
    }

    /// Revokes a card: every credential with this card number.
    pub fn revoke_document(&mut self, number: impl Into<String>) {
        self.documents.insert(number.into());
    }

    /// Revokes a card and says why (lost, stolen, cancelled).
    pub fn revoke_document_for(&mut self, number: impl Into<String>, reason: RevocationReason) {
        let number = number.into();
        self.documents.insert(number.clone());
        self.reasons.insert(number, reason);
    }

    /// Why a card was revoked, when the list says.
    pub fn document_reason(&self, number: &str) -> Option<RevocationReason> {
        self.reasons.get(number).copied()
    }

    /// Revokes one credential.
    pub fn revoke_credential(&mut self, id: CredentialId) {
        self.credentials.insert(id);
    }

    /// Whether the card is revoked.
    pub fn is_document_revoked(&self, number: &str) -> bool {
        self.documents.contains(number)
    }

    /// Whether the credential is revoked.
    pub fn is_credential_revoked(&self, id: &CredentialId) -> bool {
        self.credentials.contains(id)
    }

    /// Number of revoked cards and of revoked credentials.
    pub fn len(&self) -> (usize, usize) {
        (self.documents.len(), self.credentials.len())
    }

    /// Whether nothing is revoked.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.credentials.is_empty()
    }

    /// The signed wire form.
    pub fn sign(&self, key: &SigningKey, kid: &KeyId) -> Vec<u8> {
        let int = |k: u64| Value::Integer(k.into());
        let payload = Value::Map(vec![
            (int(1), int(self.version)),
            (
                int(2),
                Value::Integer(self.issued_at.unix_timestamp().into()),
            ),
            (
                int(3),
                Value::Array(self.documents.iter().cloned().map(Value::Text).collect()),
            ),
            (
                int(4),
                Value::Array(
                    self.credentials
                        .iter()
                        .map(|c| Value::Bytes(c.as_bytes().to_vec()))
                        .collect(),
                ),
            ),
            (
                int(5),
                Value::Map(
                    self.reasons
                        .iter()
                        .map(|(n, r)| (Value::Text(n.clone()), int(r.code())))
                        .collect(),
                ),
            ),
        ]);
        let mut bytes = Vec::new();
        ciborium::into_writer(&payload, &mut bytes).expect("writing CBOR to memory cannot fail");
        cose::sign(bytes, key, kid)
    }

    /// Checks the signature (a key trusted for lists) and reads the list.
    pub fn open(bytes: &[u8], trust: &TrustList) -> Result<Self, RevocationListError> {
        let body = ListBody::open(bytes, trust, None)?;
        let bad = |what: &str| body.bad(what);
        let mut list = Self::new(body.version, body.issued_at);
        match body.get(3) {
            Some(Value::Array(items)) => {
                for item in items {
                    match item {
                        Value::Text(t) => list.revoke_document(t.clone()),
                        _ => return Err(bad("a card number (3) is not text")),
                    }
                }
            }
            _ => return Err(bad("missing card numbers (3)")),
        }
        match body.get(4) {
            Some(Value::Array(items)) => {
                for item in items {
                    match item {
                        Value::Bytes(b) => list.revoke_credential(
                            CredentialId::new(b.clone())
                                .map_err(|e| RevocationListError::Malformed(e.to_string()))?,
                        ),
                        _ => return Err(bad("a credential id (4) is not a byte string")),
                    }
                }
            }
            _ => return Err(bad("missing credential ids (4)")),
        }
        match body.get(5) {
            None => {}
            Some(Value::Map(items)) => {
                for (number, code) in items {
                    let (Value::Text(number), Value::Integer(code)) = (number, code) else {
                        return Err(bad("a reason (5) is not card number → code"));
                    };
                    let code = u64::try_from(i128::from(*code)).map_err(|_| bad("reason code"))?;
                    if !list.documents.contains(number) {
                        return Err(bad("a reason (5) names a card that is not revoked (3)"));
                    }
                    list.reasons
                        .insert(number.clone(), RevocationReason::from_code(code));
                }
            }
            Some(_) => return Err(bad("reasons (5) are not a map")),
        }
        Ok(list)
    }

    /// Opens a list received to replace `current`, refusing one that is not newer.
    pub fn open_update(
        current: &RevocationList,
        bytes: &[u8],
        trust: &TrustList,
    ) -> Result<Self, RevocationListError> {
        let list = Self::open(bytes, trust)?;
        signed_list::newer_than(current.version, list.version)?;
        Ok(list)
    }
}
