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
//! The list is complete: the newest version replaces the one held, and
//! [`RevocationList::open_update`] refuses an older or equal version, so an old list replayed
//! by an attacker cannot un-revoke a card. Between whole lists, offices receive signed deltas
//! ([`super::delta`]), checked against the version and content held.

use std::collections::{BTreeMap, BTreeSet};

use ciborium::Value;
use ed25519_dalek::SigningKey;
use time::OffsetDateTime;

use super::{
    CredentialId, KeyId, TrustList, VerifyError, cose,
    delta::DeltaList,
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
    /// A delta for another version than the one held: one was missed or came out of order.
    #[error(
        "list delta applies to version {base}, but version {held} is held (a delta was missed or came out of order; the whole list is needed)"
    )]
    DeltaBase {
        /// Version held.
        held: u64,
        /// Version the delta applies to.
        base: u64,
    },
    /// The list held differs from the central's list of the same version.
    #[error(
        "the list held as version {version} differs from the central's (content digest); the whole list is needed"
    )]
    DeltaBaseDiffers {
        /// Version held.
        version: u64,
    },
    /// Applying the delta did not give the central's list.
    #[error(
        "applying the list delta did not give the central's version {version} (content digest); the whole list is needed"
    )]
    DeltaDigest {
        /// Version the delta produces.
        version: u64,
    },
    /// A delta removes an entry not held, or adds one already held.
    #[error("list delta does not fit the list held: it {0}")]
    DeltaInconsistent(String),
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
        if body.get(10).is_some() {
            return Err(bad("this is a list delta, not a whole list"));
        }
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

/// One entry of the revocation list, as a delta adds or removes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RevocationItem {
    /// A revoked card, with its reason code when the list says.
    Card(String, Option<u64>),
    /// A revoked credential.
    Credential(CredentialId),
}

impl DeltaList for RevocationList {
    type Item = RevocationItem;
    const DELTA_KIND: &'static str = "revocations-delta";
    const LABEL: &'static str = "revocation list";

    fn list_version(&self) -> u64 {
        self.version
    }

    fn list_issued_at(&self) -> OffsetDateTime {
        self.issued_at
    }

    fn items(&self) -> BTreeSet<RevocationItem> {
        self.documents
            .iter()
            .map(|n| RevocationItem::Card(n.clone(), self.reasons.get(n).map(|r| r.code())))
            .chain(
                self.credentials
                    .iter()
                    .cloned()
                    .map(RevocationItem::Credential),
            )
            .collect()
    }

    fn from_items(
        version: u64,
        issued_at: OffsetDateTime,
        items: impl IntoIterator<Item = RevocationItem>,
    ) -> Self {
        let mut list = Self::new(version, issued_at);
        for item in items {
            match item {
                RevocationItem::Card(n, None) => list.revoke_document(n),
                RevocationItem::Card(n, Some(code)) => {
                    list.revoke_document_for(n, RevocationReason::from_code(code))
                }
                RevocationItem::Credential(id) => list.revoke_credential(id),
            }
        }
        list
    }

    fn encode_item(item: &RevocationItem) -> Value {
        match item {
            RevocationItem::Card(n, None) => Value::Text(n.clone()),
            RevocationItem::Card(n, Some(code)) => {
                Value::Array(vec![Value::Text(n.clone()), Value::Integer((*code).into())])
            }
            RevocationItem::Credential(id) => Value::Bytes(id.as_bytes().to_vec()),
        }
    }

    fn decode_item(value: &Value) -> Option<RevocationItem> {
        match value {
            Value::Text(n) => Some(RevocationItem::Card(n.clone(), None)),
            Value::Array(pair) => match pair.as_slice() {
                [Value::Text(n), Value::Integer(code)] => Some(RevocationItem::Card(
                    n.clone(),
                    Some(u64::try_from(i128::from(*code)).ok()?),
                )),
                _ => None,
            },
            Value::Bytes(b) => CredentialId::new(b.clone())
                .ok()
                .map(RevocationItem::Credential),
            _ => None,
        }
    }

    fn open_whole(bytes: &[u8], trust: &TrustList) -> Result<Self, RevocationListError> {
        Self::open(bytes, trust)
    }
}
