//! The central registry's signing keys, as files in the data directory.
//!
//! `DIR/keys/trust-list.json` is the public half (the trust-list file that offices and
//! checkpoints install, see [`sijil_docs::TrustList::from_json`]); each private key is
//! `DIR/keys/<kid>.secret` (hexadecimal, mode 0600, created once and never rewritten). Keys are
//! files rather than rows so that a copy of the database alone cannot sign anything, and so that
//! an operator can move them to a hardware token later without touching the schema.
//!
//! Rotation adds a key and ends the old one's period of use; the old key stays on the trust
//! list so that the cards it signed stay good until they expire. Revoking a lost key marks it
//! revoked on the list (nothing it signed is accepted any more) and ends its use; the next
//! signature makes a new key.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use ed25519_dalek::SigningKey;
use sijil_docs::{KeyId, KeyUsage, TrustList, TrustedKey};
use time::OffsetDateTime;

/// Why a key operation failed.
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    /// A file could not be read or written.
    #[error("key file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The trust list on disk is not valid.
    #[error("{path}: {source}")]
    TrustList {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        source: sijil_docs::TrustFileError,
    },
    /// A secret key file is not 64 hexadecimal digits, or does not match the trust list.
    #[error("secret key {0} is damaged or does not match its public key")]
    BadSecret(String),
    /// No such key.
    #[error("no key {0} on the trust list")]
    UnknownKey(String),
    /// The random source failed.
    #[error("no randomness for a new key: {0}")]
    Random(String),
}

/// The signing keys in a directory.
#[derive(Debug)]
pub struct Keyring {
    dir: PathBuf,
    trust: TrustList,
}

const TRUST_FILE: &str = "trust-list.json";

impl Keyring {
    /// Opens (creating the directory if needed) the keys in `dir`.
    pub fn open(dir: &Path) -> Result<Self, KeyringError> {
        fs::create_dir_all(dir).map_err(|source| KeyringError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let mut ring = Self {
            dir: dir.to_owned(),
            trust: TrustList::new(),
        };
        ring.reload()?;
        Ok(ring)
    }

    /// Reads the trust list from disk again, so that a rotation or revocation made by
    /// `sijil keys` while the server runs takes effect at the server's next signature (a
    /// server that kept signing with a retired key would issue cards no verifier accepts).
    pub fn reload(&mut self) -> Result<(), KeyringError> {
        let path = self.dir.join(TRUST_FILE);
        self.trust = match fs::read_to_string(&path) {
            Ok(text) => TrustList::from_json(&text)
                .map_err(|source| KeyringError::TrustList { path, source })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => TrustList::new(),
            Err(source) => return Err(KeyringError::Io { path, source }),
        };
        Ok(())
    }

    /// The public keys: what `sijil keys publish` hands to offices.
    pub fn trust_list(&self) -> &TrustList {
        &self.trust
    }

    /// The key in use for `usage`, if any: not revoked, not retired, the newest.
    pub fn active(&self, usage: KeyUsage) -> Option<&TrustedKey> {
        self.trust
            .iter()
            .filter(|k| k.usage == usage && !k.revoked && k.not_after.is_none())
            .max_by_key(|k| k.not_before)
    }

    /// The key in use for `usage`, made on first need.
    pub fn ensure(&mut self, usage: KeyUsage, now: OffsetDateTime) -> Result<KeyId, KeyringError> {
        match self.active(usage) {
            Some(k) => Ok(k.kid.clone()),
            None => self.rotate(usage, now),
        }
    }

    /// Makes sure a card key and a list key are in use, so that a trust list handed out now
    /// covers everything this registry will sign next.
    pub fn ensure_all(&mut self, now: OffsetDateTime) -> Result<(), KeyringError> {
        self.reload()?;
        self.ensure(KeyUsage::Credentials, now)?;
        self.ensure(KeyUsage::Lists, now)?;
        Ok(())
    }

    /// Makes a new key for `usage` and ends the period of use of the one it replaces.
    pub fn rotate(&mut self, usage: KeyUsage, now: OffsetDateTime) -> Result<KeyId, KeyringError> {
        // Whole seconds: a credential's `iat` is in seconds, and one signed in the key's first
        // second must not look older than the key.
        let now = now
            .replace_nanosecond(0)
            .expect("zero is a valid nanosecond");
        self.reload()?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyringError::Random(e.to_string()))?;
        let key = SigningKey::from_bytes(&seed);
        let n = self.trust.iter().filter(|k| k.usage == usage).count() + 1;
        let prefix = match usage {
            KeyUsage::Credentials => "SY-ID",
            KeyUsage::Lists => "SY-LIST",
        };
        let (y, m, d) = (now.year(), now.month() as u8, now.day());
        let kid = KeyId::new(format!("{prefix}-{y:04}{m:02}{d:02}-{n}").into_bytes())
            .expect("a short key id");
        self.write_secret(&kid, &key)?;
        if let Some(old) = self.active(usage).map(|k| k.kid.clone()) {
            self.trust.retire(&old, now);
        }
        self.trust.insert(TrustedKey::new(
            kid.clone(),
            key.verifying_key(),
            usage,
            now,
        ));
        self.save()?;
        Ok(kid)
    }

    /// Marks a key lost or compromised and ends its use.
    pub fn revoke(&mut self, kid: &str, now: OffsetDateTime) -> Result<(), KeyringError> {
        self.reload()?;
        let id = KeyId::new(kid.as_bytes().to_vec())
            .map_err(|_| KeyringError::UnknownKey(kid.into()))?;
        let key = self
            .trust
            .get(&id)
            .ok_or_else(|| KeyringError::UnknownKey(kid.into()))?;
        if key.not_after.is_none() {
            self.trust.retire(&id, now);
        }
        self.trust.revoke(&id);
        self.save()
    }

    /// The private key in use for `usage` (made on first need).
    pub fn signing_key(
        &mut self,
        usage: KeyUsage,
        now: OffsetDateTime,
    ) -> Result<(KeyId, SigningKey), KeyringError> {
        self.reload()?;
        let kid = self.ensure(usage, now)?;
        let name = kid.to_string();
        let path = self.dir.join(format!("{name}.secret"));
        let text = fs::read_to_string(&path).map_err(|source| KeyringError::Io { path, source })?;
        let bytes: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| KeyringError::BadSecret(name.clone()))?;
        let key = SigningKey::from_bytes(&bytes);
        let public = self.trust.get(&kid).map(|k| k.key);
        if public != Some(key.verifying_key()) {
            return Err(KeyringError::BadSecret(name));
        }
        Ok((kid, key))
    }

    fn write_secret(&self, kid: &KeyId, key: &SigningKey) -> Result<(), KeyringError> {
        let path = self.dir.join(format!("{kid}.secret"));
        let io = |source| KeyringError::Io {
            path: path.clone(),
            source,
        };
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path).map_err(io)?;
        file.write_all(hex::encode(key.to_bytes()).as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(io)
    }

    /// Writes the trust list atomically (a temporary file renamed over the old one).
    fn save(&self) -> Result<(), KeyringError> {
        let path = self.dir.join(TRUST_FILE);
        let tmp = self.dir.join(format!("{TRUST_FILE}.tmp"));
        fs::write(&tmp, self.trust.to_json())
            .and_then(|()| fs::rename(&tmp, &path))
            .map_err(|source| KeyringError::Io { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn keys_rotate_and_revoke_and_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let now = datetime!(2026-11-29 10:00 UTC);
        let mut ring = Keyring::open(dir.path()).unwrap();
        let (first, _) = ring.signing_key(KeyUsage::Credentials, now).unwrap();
        assert_eq!(first.to_string(), "SY-ID-20261129-1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("SY-ID-20261129-1.secret"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let second = ring.rotate(KeyUsage::Credentials, now).unwrap();
        assert_ne!(first, second);
        ring.revoke("SY-ID-20261129-2", now).unwrap();
        let again = Keyring::open(dir.path()).unwrap();
        let old = again.trust_list().get(&first).unwrap();
        assert!(
            old.not_after.is_some() && !old.revoked,
            "rotated, still trusted"
        );
        assert!(again.trust_list().get(&second).unwrap().revoked);
        assert!(again.active(KeyUsage::Credentials).is_none());
        assert!(matches!(
            ring.revoke("SY-NOPE", now),
            Err(KeyringError::UnknownKey(_))
        ));
        // Another process (sijil keys) rotating the key is seen at the next signature.
        let mut other = Keyring::open(dir.path()).unwrap();
        let (before, _) = ring.signing_key(KeyUsage::Lists, now).unwrap();
        let rotated = other.rotate(KeyUsage::Lists, now).unwrap();
        let (after, _) = ring.signing_key(KeyUsage::Lists, now).unwrap();
        assert_ne!(before, after);
        assert_eq!(after, rotated);
        // A damaged secret is refused rather than signing with the wrong key.
        let mut ring = again;
        let (third, _) = ring.signing_key(KeyUsage::Credentials, now).unwrap();
        fs::write(dir.path().join(format!("{third}.secret")), "00".repeat(32)).unwrap();
        assert!(matches!(
            ring.signing_key(KeyUsage::Credentials, now),
            Err(KeyringError::BadSecret(_))
        ));
    }
}
