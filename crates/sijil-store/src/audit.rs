//! The hash chain of the audit log, as pure functions.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so changing,
//! removing or reordering any entry breaks every link after it. Fields are length-prefixed
//! before hashing so that no two different entries can encode to the same bytes.

use serde::Serialize;

/// `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Position in the chain, starting at 1, without gaps.
    pub seq: i64,
    /// When, as the exact RFC 3339 text stored (the hash covers this text).
    pub at: String,
    /// The acting username (or `system`).
    pub actor: String,
    /// The actor's office.
    pub office: String,
    /// What was done, e.g. `person.read`.
    pub action: String,
    /// What it was done to, e.g. `person:0190…`.
    pub subject: String,
    /// JSON details: ids and counts, never names or national numbers.
    pub detail: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

/// An entry to append; the store fills in sequence, time and hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// The acting username (or `system`).
    pub actor: String,
    /// The actor's office.
    pub office: String,
    /// What was done.
    pub action: &'static str,
    /// What it was done to.
    pub subject: String,
    /// JSON details (ids and counts only).
    pub detail: serde_json::Value,
}

/// The hash of an entry given its predecessor's hash.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    office: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> String {
    let mut h = blake3::Hasher::new();
    h.update(b"sijil-audit-v1");
    for field in [
        prev_hash.as_bytes(),
        &seq.to_le_bytes(),
        at.as_bytes(),
        actor.as_bytes(),
    ]
    .into_iter()
    .chain([
        office.as_bytes(),
        action.as_bytes(),
        subject.as_bytes(),
        detail.as_bytes(),
    ]) {
        h.update(&(field.len() as u64).to_le_bytes());
        h.update(field);
    }
    h.finalize().to_hex().to_string()
}

impl AuditEntry {
    /// Recomputes this entry's hash from its fields.
    pub fn computed_hash(&self) -> String {
        entry_hash(
            &self.prev_hash,
            self.seq,
            &self.at,
            &self.actor,
            &self.office,
            &self.action,
            &self.subject,
            &self.detail,
        )
    }
}

/// The first entry at which the chain is broken, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("audit entry {seq} is broken: {reason}")]
pub struct BrokenEntry {
    /// Sequence number of the first bad entry (or the one expected where one is missing).
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Walks the chain in sequence order and checks every link.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next entry; entries must be fed in ascending `seq`.
    pub fn check(&mut self, e: &AuditEntry) -> Result<(), BrokenEntry> {
        if e.seq != self.expected_seq {
            return Err(BrokenEntry {
                seq: self.expected_seq,
                reason: format!(
                    "entry {} is missing (next stored entry is {})",
                    self.expected_seq, e.seq
                ),
            });
        }
        if e.prev_hash != self.prev_hash {
            return Err(BrokenEntry {
                seq: e.seq,
                reason: "its link to the previous entry does not match (an entry before it was changed, removed or reordered)".into(),
            });
        }
        if e.computed_hash() != e.hash {
            return Err(BrokenEntry {
                seq: e.seq,
                reason: "its contents do not match its hash (the entry was changed)".into(),
            });
        }
        self.expected_seq += 1;
        self.prev_hash.clone_from(&e.hash);
        Ok(())
    }

    /// Number of entries checked so far.
    pub fn checked(&self) -> i64 {
        self.expected_seq - 1
    }

    /// The hash of the last entry checked (the chain head).
    pub fn head(&self) -> &str {
        &self.prev_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: format!("2026-01-01T00:00:{seq:02}Z"),
                    actor: "clerk".into(),
                    office: "DAM-01".into(),
                    action: "person.read".into(),
                    subject: format!("person:{seq}"),
                    detail: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.computed_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry]) -> Result<i64, BrokenEntry> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.check(e)?;
        }
        Ok(v.checked())
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
    }

    #[test]
    fn a_changed_entry_is_found() {
        let mut c = chain(5);
        c[2].subject = "person:99".into();
        assert_eq!(verify(&c).unwrap_err().seq, 3);
    }

    #[test]
    fn a_removed_entry_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).unwrap_err().seq, 2);
    }

    #[test]
    fn reordered_entries_are_found_even_when_renumbered() {
        let mut c = chain(5);
        c.swap(1, 2);
        c[1].seq = 2;
        c[2].seq = 3;
        assert_eq!(verify(&c).unwrap_err().seq, 2);
    }

    #[test]
    fn fields_cannot_be_shifted_between_each_other() {
        let a = entry_hash("p", 1, "t", "ab", "c", "x", "s", "{}");
        let b = entry_hash("p", 1, "t", "a", "bc", "x", "s", "{}");
        assert_ne!(a, b);
    }
}
