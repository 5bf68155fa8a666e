//! Signed deltas of the revocation and alert lists: what changed between two versions, so an
//! office that holds version V receives a few hundred bytes when one card is reported stolen
//! instead of the whole list (about 1 MB for 100,000 cards).
//!
//! Wire form (do not change casually: offices and checkpoints read it): a tagged COSE_Sign1,
//! EdDSA, `kid` in the protected header, signed by a key trusted for [`KeyUsage::Lists`] (the
//! same keys as the whole lists), whose payload is the CBOR map
//!
//! | key | value |
//! |---|---|
//! | 1 | version the delta produces (as a whole list's key 1) |
//! | 2 | issued at (Unix seconds) |
//! | 10 | kind: `"revocations-delta"` or `"alerts-delta"` |
//! | 11 | base: the list version it applies to |
//! | 12 | digest of the base list's content (32 bytes, BLAKE3, [`content_digest`]) |
//! | 13 | digest of the resulting list's content |
//! | 14 | entries added (array) |
//! | 15 | entries removed (array) |
//!
//! Revocation entries: a card number (text), a card number with its reason
//! (`[text, code]`), or a credential id (bytes); a card whose reason changed is removed and
//! added again. Alert entries: `[national number, code]`.
//!
//! A delta has no key 3: a reader of whole lists (old ones included) refuses it rather than
//! taking the additions alone for the whole list, and the whole-list readers here also refuse a
//! map with key 10. Applying checks, in order: newer than the list held (else a replay), based
//! on exactly the version held (else one was missed or came out of order), the held content is
//! the base content (digest), every removal is held and every addition is not, and the result's
//! digest is the central's. Any failure leaves the held list as it was; the node then needs the
//! whole list, which its next question to the central gets it (see the server's `sync::lists`).

use std::collections::BTreeSet;

use ciborium::Value;
use ed25519_dalek::SigningKey;
use time::OffsetDateTime;

use super::{
    KeyId, RevocationListError, TrustList, cose,
    signed_list::{self, ListBody},
};

/// A digest of a list's content (its entries, not its version or signing time).
pub type ContentDigest = [u8; 32];

/// A list that travels as a whole signed list and as signed deltas between versions.
pub trait DeltaList: Sized + Clone {
    /// One entry of the list; the list is the set of its entries.
    type Item: Ord + Clone + std::fmt::Debug;
    /// The delta's kind (key 10), so a revocation delta is never applied to the alert list.
    const DELTA_KIND: &'static str;
    /// The name used in error messages.
    const LABEL: &'static str;
    /// The list's version.
    fn list_version(&self) -> u64;
    /// When the list was signed.
    fn list_issued_at(&self) -> OffsetDateTime;
    /// Every entry.
    fn items(&self) -> BTreeSet<Self::Item>;
    /// The list with these entries.
    fn from_items(
        version: u64,
        issued_at: OffsetDateTime,
        items: impl IntoIterator<Item = Self::Item>,
    ) -> Self;
    /// An entry's CBOR form.
    fn encode_item(item: &Self::Item) -> Value;
    /// An entry from its CBOR form.
    fn decode_item(value: &Value) -> Option<Self::Item>;
    /// Opens a whole signed list.
    fn open_whole(bytes: &[u8], trust: &TrustList) -> Result<Self, RevocationListError>;
}

/// BLAKE3 over the list's kind and its entries in order (each entry's CBOR, length-prefixed):
/// what a node compares to prove it rebuilt exactly the central's list.
pub fn content_digest<L: DeltaList>(list: &L) -> ContentDigest {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"sijil list content v1\0");
    hasher.update(L::DELTA_KIND.as_bytes());
    hasher.update(b"\0");
    let mut buf = Vec::new();
    for item in list.items() {
        buf.clear();
        ciborium::into_writer(&L::encode_item(&item), &mut buf)
            .expect("writing CBOR to memory cannot fail");
        hasher.update(&(buf.len() as u32).to_be_bytes());
        hasher.update(&buf);
    }
    *hasher.finalize().as_bytes()
}

/// What changed between two versions of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDelta<L: DeltaList> {
    /// The version it applies to.
    pub base_version: u64,
    /// The content digest of that version.
    pub base_digest: ContentDigest,
    /// The version it produces.
    pub version: u64,
    /// When the central signed it (the produced version's signing time).
    pub issued_at: OffsetDateTime,
    /// The content digest of the produced version.
    pub digest: ContentDigest,
    /// Entries added, in order.
    pub added: Vec<L::Item>,
    /// Entries removed, in order.
    pub removed: Vec<L::Item>,
}

impl<L: DeltaList> ListDelta<L> {
    /// The delta from `old` to `new` (the central builds it when a list changes).
    pub fn between(old: &L, new: &L) -> Self {
        let (before, after) = (old.items(), new.items());
        Self {
            base_version: old.list_version(),
            base_digest: content_digest(old),
            version: new.list_version(),
            issued_at: new.list_issued_at(),
            digest: content_digest(new),
            added: after.difference(&before).cloned().collect(),
            removed: before.difference(&after).cloned().collect(),
        }
    }

    /// The signed wire form.
    pub fn sign(&self, key: &SigningKey, kid: &KeyId) -> Vec<u8> {
        let int = |k: u64| Value::Integer(k.into());
        let items = |v: &[L::Item]| Value::Array(v.iter().map(L::encode_item).collect());
        let payload = Value::Map(vec![
            (int(1), int(self.version)),
            (
                int(2),
                Value::Integer(self.issued_at.unix_timestamp().into()),
            ),
            (int(10), Value::Text(L::DELTA_KIND.into())),
            (int(11), int(self.base_version)),
            (int(12), Value::Bytes(self.base_digest.to_vec())),
            (int(13), Value::Bytes(self.digest.to_vec())),
            (int(14), items(&self.added)),
            (int(15), items(&self.removed)),
        ]);
        let mut bytes = Vec::new();
        ciborium::into_writer(&payload, &mut bytes).expect("writing CBOR to memory cannot fail");
        cose::sign(bytes, key, kid)
    }

    /// Checks the signature (a key trusted for lists) and reads the delta.
    pub fn open(bytes: &[u8], trust: &TrustList) -> Result<Self, RevocationListError> {
        let body = ListBody::open(bytes, trust, Some(L::LABEL))?;
        let bad = |what: &str| body.bad(&format!("delta: {what}"));
        match body.get(10) {
            Some(Value::Text(k)) if k == L::DELTA_KIND => {}
            Some(Value::Text(k)) => return Err(bad(&format!("a {k:?}, not a {}", L::DELTA_KIND))),
            _ => return Err(bad("not a delta (no kind, 10)")),
        }
        let base_version = match body.get(11) {
            Some(Value::Integer(i)) => u64::try_from(i128::from(*i)).map_err(|_| bad("base"))?,
            _ => return Err(bad("missing base version (11)")),
        };
        let digest = |key: u8, what: &str| match body.get(key) {
            Some(Value::Bytes(b)) => {
                ContentDigest::try_from(b.as_slice()).map_err(|_| bad(&format!("{what} length")))
            }
            _ => Err(bad(&format!("missing {what} ({key})"))),
        };
        let items = |key: u8, what: &str| -> Result<Vec<L::Item>, RevocationListError> {
            let Some(Value::Array(values)) = body.get(key) else {
                return Err(bad(&format!("missing {what} ({key})")));
            };
            values
                .iter()
                .map(|v| {
                    L::decode_item(v)
                        .ok_or_else(|| bad(&format!("an entry {what} ({key}) is malformed")))
                })
                .collect()
        };
        Ok(Self {
            base_version,
            base_digest: digest(12, "base digest")?,
            version: body.version,
            issued_at: body.issued_at,
            digest: digest(13, "digest")?,
            added: items(14, "added")?,
            removed: items(15, "removed")?,
        })
    }

    /// The list this delta makes of `held`, checked; `held` is not touched, so a refused
    /// delta changes nothing.
    pub fn apply(&self, held: &L) -> Result<L, RevocationListError> {
        signed_list::newer_than(held.list_version(), self.version)?;
        if self.base_version != held.list_version() {
            return Err(RevocationListError::DeltaBase {
                held: held.list_version(),
                base: self.base_version,
            });
        }
        if content_digest(held) != self.base_digest {
            return Err(RevocationListError::DeltaBaseDiffers {
                version: held.list_version(),
            });
        }
        let mut items = held.items();
        // Messages name the entry by its place, never by its content: they are logged, and an
        // entry holds a card or national number.
        for (i, item) in self.removed.iter().enumerate() {
            if !items.remove(item) {
                return Err(RevocationListError::DeltaInconsistent(format!(
                    "removes entry {} of {}, which is not held",
                    i + 1,
                    self.removed.len()
                )));
            }
        }
        for (i, item) in self.added.iter().enumerate() {
            if !items.insert(item.clone()) {
                return Err(RevocationListError::DeltaInconsistent(format!(
                    "adds entry {} of {}, which is held already",
                    i + 1,
                    self.added.len()
                )));
            }
        }
        let list = L::from_items(self.version, self.issued_at, items);
        if content_digest(&list) != self.digest {
            return Err(RevocationListError::DeltaDigest {
                version: self.version,
            });
        }
        Ok(list)
    }
}

/// Opens a whole signed list and applies the signed deltas after it, in order: what a node
/// keeps on disk (`revocations.cose` and the deltas beside it) read back from the trust list
/// alone. Deltas the whole list already contains (version not above it) are skipped, so a
/// whole list written before its old deltas were cleared still reads; any other delta must
/// chain, or the whole read fails.
pub fn open_chain<L: DeltaList, B: AsRef<[u8]>>(
    whole: &[u8],
    deltas: &[B],
    trust: &TrustList,
) -> Result<L, RevocationListError> {
    let mut list = L::open_whole(whole, trust)?;
    for bytes in deltas {
        let delta = ListDelta::<L>::open(bytes.as_ref(), trust)?;
        if delta.version <= list.list_version() {
            continue;
        }
        list = delta.apply(&list)?;
    }
    Ok(list)
}

/// Reads a file of deltas: a CBOR array of byte strings, each one signed delta.
pub fn read_delta_file(bytes: &[u8]) -> Result<Vec<Vec<u8>>, RevocationListError> {
    let bad = || RevocationListError::Malformed("delta file: not an array of byte strings".into());
    match ciborium::from_reader::<Value, _>(bytes).map_err(|_| bad())? {
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::Bytes(b) => Ok(b),
                _ => Err(bad()),
            })
            .collect(),
        _ => Err(bad()),
    }
}

/// Writes a file of deltas ([`read_delta_file`]'s form).
pub fn write_delta_file<B: AsRef<[u8]>>(deltas: &[B]) -> Vec<u8> {
    let value = Value::Array(
        deltas
            .iter()
            .map(|d| Value::Bytes(d.as_ref().to_vec()))
            .collect(),
    );
    let mut out = Vec::new();
    ciborium::into_writer(&value, &mut out).expect("writing CBOR to memory cannot fail");
    out
}
