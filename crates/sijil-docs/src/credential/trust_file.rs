//! The trust list as a file: what the centre exports (`sijil keys export`) and every office and
//! checkpoint installs.
//!
//! The file is plain JSON so that an officer can read which keys it trusts, and it is *not*
//! signed: it is the root of trust, carried by hand or installed with the software, and a
//! signature by a key it itself lists would prove nothing. Do not change the field names
//! casually: devices in the field read them.
//!
//! ```json
//! {"format": "sijil-trust-list/1",
//!  "keys": [{"kid": "SY-ID-2026-1", "usage": "credentials",
//!            "public_key": "<64 hex digits: the Ed25519 public key>",
//!            "not_before": "2026-01-01T00:00:00Z", "not_after": null, "revoked": false}]}
//! ```

use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{KeyId, KeyUsage, TrustList, TrustedKey};

/// The format tag a trust-list file must carry.
pub const TRUST_LIST_FORMAT: &str = "sijil-trust-list/1";

/// Why a trust-list file was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustFileError {
    /// Not JSON of the expected shape.
    #[error("trust list is not valid: {0}")]
    Syntax(String),
    /// Another format or version.
    #[error("trust list format is {0:?}, expected {TRUST_LIST_FORMAT:?}")]
    Format(String),
    /// One key entry is wrong.
    #[error("trust list key {index} ({kid}): {reason}")]
    Key {
        /// Zero-based position in `keys`.
        index: usize,
        /// Its key id as written.
        kid: String,
        /// What is wrong.
        reason: String,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    keys: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    kid: String,
    usage: String,
    public_key: String,
    not_before: String,
    not_after: Option<String>,
    revoked: bool,
}

impl TrustList {
    /// The list as a trust-list file (pretty JSON). Key ids are written as text; Sijil only
    /// makes text key ids, and one that is not UTF-8 is written lossily (and would not read
    /// back), which [`TrustList::from_json`] then reports.
    pub fn to_json(&self) -> String {
        let stamp = |t: OffsetDateTime| t.format(&Rfc3339).expect("a valid date formats");
        let file = File {
            format: TRUST_LIST_FORMAT.into(),
            keys: self
                .iter()
                .map(|k| Entry {
                    kid: String::from_utf8_lossy(k.kid.as_bytes()).into_owned(),
                    usage: usage_name(k.usage).into(),
                    public_key: hex::encode(k.key.as_bytes()),
                    not_before: stamp(k.not_before),
                    not_after: k.not_after.map(stamp),
                    revoked: k.revoked,
                })
                .collect(),
        };
        serde_json::to_string_pretty(&file).expect("serialising plain data cannot fail")
    }

    /// Reads a trust-list file, checking every key: a list with one bad entry is refused
    /// whole, so a checkpoint never runs on half a list.
    pub fn from_json(text: &str) -> Result<Self, TrustFileError> {
        let file: File =
            serde_json::from_str(text).map_err(|e| TrustFileError::Syntax(e.to_string()))?;
        if file.format != TRUST_LIST_FORMAT {
            return Err(TrustFileError::Format(file.format));
        }
        let mut list = TrustList::new();
        for (index, e) in file.keys.into_iter().enumerate() {
            let bad = |reason: String| TrustFileError::Key {
                index,
                kid: e.kid.clone(),
                reason,
            };
            let kid = KeyId::new(e.kid.as_bytes().to_vec()).map_err(|x| bad(x.to_string()))?;
            let usage = match e.usage.as_str() {
                "credentials" => KeyUsage::Credentials,
                "lists" => KeyUsage::Lists,
                other => return Err(bad(format!("usage {other:?} is not credentials or lists"))),
            };
            let bytes: [u8; 32] = hex::decode(&e.public_key)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| bad("public_key is not 64 hexadecimal digits".into()))?;
            let key = VerifyingKey::from_bytes(&bytes)
                .map_err(|_| bad("public_key is not an Ed25519 point".into()))?;
            let time = |s: &str, what: &str| {
                OffsetDateTime::parse(s, &Rfc3339)
                    .map_err(|x| bad(format!("{what} {s:?} is not an RFC 3339 time: {x}")))
            };
            let not_before = time(&e.not_before, "not_before")?;
            let not_after = e
                .not_after
                .as_deref()
                .map(|s| time(s, "not_after"))
                .transpose()?;
            if not_after.is_some_and(|end| end < not_before) {
                return Err(bad("not_after is before not_before".into()));
            }
            let trusted = TrustedKey {
                kid,
                key,
                usage,
                not_before,
                not_after,
                revoked: e.revoked,
            };
            if list.insert(trusted).is_some() {
                return Err(bad("the key id appears twice".into()));
            }
        }
        Ok(list)
    }
}

fn usage_name(usage: KeyUsage) -> &'static str {
    match usage {
        KeyUsage::Credentials => "credentials",
        KeyUsage::Lists => "lists",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;
    use time::macros::datetime;

    #[test]
    fn a_trust_list_file_round_trips_and_bad_entries_are_named() {
        let mut list = TrustList::new();
        list.insert(TrustedKey::new(
            KeyId::new(b"SY-ID-1".to_vec()).unwrap(),
            SigningKey::from_bytes(&[1; 32]).verifying_key(),
            KeyUsage::Credentials,
            datetime!(2026-01-01 0:00 UTC),
        ));
        list.insert(TrustedKey::new(
            KeyId::new(b"SY-LIST-1".to_vec()).unwrap(),
            SigningKey::from_bytes(&[9; 32]).verifying_key(),
            KeyUsage::Lists,
            datetime!(2026-01-01 0:00 UTC),
        ));
        list.retire(
            &KeyId::new(b"SY-ID-1".to_vec()).unwrap(),
            datetime!(2026-06-01 0:00 UTC),
        );
        list.revoke(&KeyId::new(b"SY-LIST-1".to_vec()).unwrap());
        let text = list.to_json();
        assert_eq!(TrustList::from_json(&text).unwrap(), list);

        let broken = text.replacen("\"lists\"", "\"everything\"", 1);
        let err = TrustList::from_json(&broken).unwrap_err();
        assert!(
            matches!(&err, TrustFileError::Key { index: 1, kid, .. } if kid == "SY-LIST-1"),
            "{err}"
        );
        let short_key = text.replacen("\"public_key\": \"", "\"public_key\": \"00", 1);
        assert!(matches!(
            TrustList::from_json(&short_key),
            Err(TrustFileError::Key { index: 0, .. })
        ));
        assert!(matches!(
            TrustList::from_json(&text.replace("sijil-trust-list/1", "other/2")),
            Err(TrustFileError::Format(_))
        ));
        assert!(matches!(
            TrustList::from_json("{"),
            Err(TrustFileError::Syntax(_))
        ));
    }
}
