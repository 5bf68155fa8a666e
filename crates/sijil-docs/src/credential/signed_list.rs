//! What the revocation list and the alert list share: a COSE_Sign1 by a key trusted for lists,
//! over a CBOR map with the list's version (key 1) and signing time (key 2); each list reads its
//! own entries from the other keys.

use ciborium::Value;
use time::OffsetDateTime;

use super::{KeyUsage, RevocationListError, TrustList, cose};

/// A signed list's opened body.
pub(super) struct ListBody {
    pub version: u64,
    pub issued_at: OffsetDateTime,
    entries: Vec<(Value, Value)>,
    label: Option<&'static str>,
}

impl ListBody {
    /// Checks the signature and reads the header; `label` names the list in errors
    /// (`None`: the revocation list, whose messages predate the alert list).
    pub fn open(
        bytes: &[u8],
        trust: &TrustList,
        label: Option<&'static str>,
    ) -> Result<Self, RevocationListError> {
        let opened = cose::open(bytes, trust, KeyUsage::Lists)?;
        let value: Value = ciborium::from_reader(&opened.payload[..]).map_err(|e| {
            RevocationListError::Malformed(match label {
                Some(l) => format!("{l} is not CBOR: {e}"),
                None => format!("not CBOR: {e}"),
            })
        })?;
        let Value::Map(entries) = value else {
            return Err(malformed(label, "not a map"));
        };
        let mut body = Self {
            version: 0,
            issued_at: OffsetDateTime::UNIX_EPOCH,
            entries,
            label,
        };
        body.version = match body.get(1) {
            Some(Value::Integer(i)) => {
                u64::try_from(i128::from(*i)).map_err(|_| body.bad("version"))?
            }
            _ => return Err(body.bad("missing version (1)")),
        };
        body.issued_at = match body.get(2) {
            Some(Value::Integer(i)) => i64::try_from(i128::from(*i))
                .ok()
                .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
                .ok_or_else(|| body.bad("issued at (2) out of range"))?,
            _ => return Err(body.bad("missing issued at (2)")),
        };
        Ok(body)
    }

    /// The value under integer `key`.
    pub fn get(&self, key: u8) -> Option<&Value> {
        self.entries.iter().find_map(|(k, v)| match k {
            Value::Integer(i) if i128::from(*i) == i128::from(key) => Some(v),
            _ => None,
        })
    }

    /// A malformation of this list, said as its own messages say it.
    pub fn bad(&self, what: &str) -> RevocationListError {
        malformed(self.label, what)
    }
}

fn malformed(label: Option<&str>, what: &str) -> RevocationListError {
    RevocationListError::Malformed(match label {
        Some(l) => format!("{l}: {what}"),
        None => what.to_owned(),
    })
}

/// Refuses a list that is not newer than the one held (an old list replayed).
pub(super) fn newer_than(have: u64, got: u64) -> Result<(), RevocationListError> {
    if got <= have {
        return Err(RevocationListError::Stale { have, got });
    }
    Ok(())
}
