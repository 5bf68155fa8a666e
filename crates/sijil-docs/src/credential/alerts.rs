//! The signed alert list: people a checkpoint must stop or refer, whatever document they carry.
//!
//! A revocation says a *document* is no longer good; an alert says something about its
//! *holder* (wanted, travel ban, missing person…), so it is keyed by national number, the one
//! identifier that a card's credential and both machine-readable zones carry.
//!
//! Wire form (do not change casually: verifiers in the field read it): a tagged COSE_Sign1,
//! EdDSA, `kid` in the protected header, signed by a key trusted for [`KeyUsage::Lists`], whose
//! payload is the CBOR map
//!
//! | key | value |
//! |---|---|
//! | 1 | version (unsigned integer, grows with every list) |
//! | 2 | issued at (Unix seconds) |
//! | 3 | alerts: array of `[national number, code]` (text, text), sorted |
//!
//! The code is a short machine word (`wanted`, `travel-ban`, `missing`) that the verifier shows
//! as it is; the details stay at the centre. Like the revocation list, it is complete, and an
//! update must be newer than the list held, so an old list cannot be replayed to lift an alert.

use std::collections::{BTreeMap, BTreeSet};

use ciborium::Value;
use ed25519_dalek::SigningKey;
use time::OffsetDateTime;

use super::{
    KeyId, RevocationListError, TrustList, cose,
    delta::DeltaList,
    signed_list::{self, ListBody},
};

/// One alert: who, and what kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alert {
    /// The holder's national number.
    pub national_number: String,
    /// The kind of alert, e.g. `wanted`.
    pub code: String,
}

/// Alerts on people, as of one version of the central registry's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertList {
    /// Grows with every list the centre signs.
    pub version: u64,
    /// When the centre signed it.
    pub issued_at: OffsetDateTime,
    alerts: BTreeMap<String, Vec<String>>,
}

impl AlertList {
    /// An empty list with this version and date, to fill and sign.
    pub fn new(version: u64, issued_at: OffsetDateTime) -> Self {
        Self {
            version,
            issued_at,
            alerts: BTreeMap::new(),
        }
    }

    /// Adds an alert (a person may have several, each code once).
    pub fn add(&mut self, national_number: impl Into<String>, code: impl Into<String>) {
        let codes = self.alerts.entry(national_number.into()).or_default();
        let code = code.into();
        if !codes.contains(&code) {
            codes.push(code);
            codes.sort();
        }
    }

    /// The alerts on a national number.
    pub fn for_person(&self, national_number: &str) -> Vec<Alert> {
        self.alerts
            .get(national_number)
            .map(|codes| {
                codes
                    .iter()
                    .map(|code| Alert {
                        national_number: national_number.to_owned(),
                        code: code.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Number of people under an alert.
    pub fn len(&self) -> usize {
        self.alerts.len()
    }

    /// Whether nobody is under an alert.
    pub fn is_empty(&self) -> bool {
        self.alerts.is_empty()
    }

    /// The signed wire form.
    pub fn sign(&self, key: &SigningKey, kid: &KeyId) -> Vec<u8> {
        let int = |k: u64| Value::Integer(k.into());
        let entries = self
            .alerts
            .iter()
            .flat_map(|(nn, codes)| {
                codes.iter().map(move |c| {
                    Value::Array(vec![Value::Text(nn.clone()), Value::Text(c.clone())])
                })
            })
            .collect();
        let payload = Value::Map(vec![
            (int(1), int(self.version)),
            (
                int(2),
                Value::Integer(self.issued_at.unix_timestamp().into()),
            ),
            (int(3), Value::Array(entries)),
        ]);
        let mut bytes = Vec::new();
        ciborium::into_writer(&payload, &mut bytes).expect("writing CBOR to memory cannot fail");
        cose::sign(bytes, key, kid)
    }

    /// Checks the signature (a key trusted for lists) and reads the list.
    pub fn open(bytes: &[u8], trust: &TrustList) -> Result<Self, RevocationListError> {
        let body = ListBody::open(bytes, trust, Some("alert list"))?;
        let bad = |what: &str| body.bad(what);
        // Key 10 marks a delta, key 4 a revocation list (whose empty card array would
        // otherwise read as an empty alert list, lifting every alert).
        if body.get(10).is_some() {
            return Err(bad("this is a list delta, not a whole list"));
        }
        if body.get(4).is_some() {
            return Err(bad("this is a revocation list, not an alert list"));
        }
        let mut list = Self::new(body.version, body.issued_at);
        let Some(Value::Array(items)) = body.get(3) else {
            return Err(bad("missing alerts (3)"));
        };
        for item in items {
            match item {
                Value::Array(pair) => match pair.as_slice() {
                    [Value::Text(nn), Value::Text(code)] if !nn.is_empty() && !code.is_empty() => {
                        list.add(nn.clone(), code.clone())
                    }
                    _ => return Err(bad("an alert (3) is not [national number, code]")),
                },
                _ => return Err(bad("an alert (3) is not an array")),
            }
        }
        Ok(list)
    }

    /// Opens a list received to replace `current`, refusing one that is not newer.
    pub fn open_update(
        current: &AlertList,
        bytes: &[u8],
        trust: &TrustList,
    ) -> Result<Self, RevocationListError> {
        let list = Self::open(bytes, trust)?;
        signed_list::newer_than(current.version, list.version)?;
        Ok(list)
    }
}

impl DeltaList for AlertList {
    /// `(national number, code)`.
    type Item = (String, String);
    const DELTA_KIND: &'static str = "alerts-delta";
    const LABEL: &'static str = "alert list";

    fn list_version(&self) -> u64 {
        self.version
    }

    fn list_issued_at(&self) -> OffsetDateTime {
        self.issued_at
    }

    fn items(&self) -> BTreeSet<(String, String)> {
        self.alerts
            .iter()
            .flat_map(|(nn, codes)| codes.iter().map(move |c| (nn.clone(), c.clone())))
            .collect()
    }

    fn from_items(
        version: u64,
        issued_at: OffsetDateTime,
        items: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        let mut list = Self::new(version, issued_at);
        for (nn, code) in items {
            list.add(nn, code);
        }
        list
    }

    fn encode_item((nn, code): &(String, String)) -> Value {
        Value::Array(vec![Value::Text(nn.clone()), Value::Text(code.clone())])
    }

    fn decode_item(value: &Value) -> Option<(String, String)> {
        match value {
            Value::Array(pair) => match pair.as_slice() {
                [Value::Text(nn), Value::Text(code)] if !nn.is_empty() && !code.is_empty() => {
                    Some((nn.clone(), code.clone()))
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn open_whole(bytes: &[u8], trust: &TrustList) -> Result<Self, RevocationListError> {
        Self::open(bytes, trust)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::{KeyUsage, TrustedKey};
    use time::macros::datetime;

    fn trust() -> (TrustList, SigningKey, KeyId) {
        let key = SigningKey::from_bytes(&[9; 32]);
        let kid = KeyId::new(b"SY-LIST-1".to_vec()).unwrap();
        let mut t = TrustList::new();
        t.insert(TrustedKey::new(
            kid.clone(),
            key.verifying_key(),
            KeyUsage::Lists,
            datetime!(2026-01-01 0:00 UTC),
        ));
        (t, key, kid)
    }

    #[test]
    fn a_signed_alert_list_reads_back_and_refuses_tampering_and_replay() {
        let (trust, key, kid) = trust();
        let mut list = AlertList::new(3, datetime!(2026-11-29 10:00 UTC));
        list.add("01002123456", "wanted");
        list.add("01002123456", "travel-ban");
        list.add("01002123456", "wanted");
        let bytes = list.sign(&key, &kid);
        let back = AlertList::open(&bytes, &trust).unwrap();
        assert_eq!(back, list);
        assert_eq!(back.for_person("01002123456").len(), 2);
        assert!(back.for_person("01002999999").is_empty());

        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x01;
            assert!(AlertList::open(&bad, &trust).is_err(), "byte {i} flipped");
        }
        let newer = AlertList::new(2, datetime!(2026-11-29 11:00 UTC));
        assert!(matches!(
            AlertList::open_update(&back, &newer.sign(&key, &kid), &trust),
            Err(RevocationListError::Stale { have: 3, got: 2 })
        ));
    }
}
