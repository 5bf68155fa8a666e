//! Passwords, session tokens, and the extractor that turns a bearer token into a user.
//!
//! Tokens are 32 random bytes shown to the client once; the store keeps only their BLAKE3
//! hash, so a copy of the database cannot be used to log in.

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use axum::{extract::FromRequestParts, http::request::Parts};
use sijil_core::{OfficeCode, Permission, Scope};
use sijil_store::{Store, StoreError, User};

use crate::{AppState, error::AppError};

/// Hashes a password with Argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
}

/// Checks a password against a PHC string; a malformed hash never verifies.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the user does not exist, so that a wrong username takes as
/// long as a wrong password and does not reveal which accounts exist.
pub(crate) fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password").expect("hashing works"))
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).expect("the operating system provides randomness");
    hex::encode(buf)
}

/// A random password for a new account: 20 characters from an alphabet without look-alikes.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 20];
    getrandom::fill(&mut buf).expect("the operating system provides randomness");
    // 256 is not a multiple of the alphabet's length; the bias is below 1% per character,
    // which leaves well over 100 bits of entropy.
    buf.iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// The stored form of a session token.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

/// The authenticated user of a request.
pub struct CurrentUser {
    /// The user.
    pub user: User,
    /// The hash of the token used (to end this session on logout).
    pub token_hash: String,
}

/// Refuses unless `user`'s role allows `permission` and the work is within their scope: for
/// `office` when one is named, national work when none is ([`Scope`]). One rule for the API
/// and the web pages.
pub(crate) fn require_within(
    user: &User,
    permission: Permission,
    office: Option<&OfficeCode>,
) -> Result<(), AppError> {
    if !user.role.allows(permission) {
        return Err(AppError::Forbidden);
    }
    let scope = Scope::of(&user.office);
    let within = match office {
        Some(office) => scope.covers(office),
        None => scope.is_national(),
    };
    if within {
        Ok(())
    } else {
        Err(AppError::OutsideScope)
    }
}

/// The office a list is limited to, for an officer who `asked` for one (or not): their own
/// when they act for one office (asking for another is refused), the one asked for (or none:
/// every office) at the central. An unknown code is a field error on `office`.
pub(crate) fn office_filter(
    user: &User,
    asked: Option<&str>,
) -> Result<Option<OfficeCode>, AppError> {
    let asked = asked
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            OfficeCode::parse(s).map_err(|p| sijil_core::ValidationErrors::single("office", p))
        })
        .transpose()?;
    match (Scope::of(&user.office), asked) {
        (Scope::National, asked) => Ok(asked),
        (Scope::Office(own), None) => Ok(Some(own)),
        (Scope::Office(own), Some(asked)) if asked == own => Ok(Some(own)),
        (Scope::Office(_), Some(_)) => Err(AppError::OutsideScope),
    }
}

impl CurrentUser {
    /// Refuses the request unless the user's role allows `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.user.role.allows(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// How far this officer's authority reaches.
    pub fn scope(&self) -> Scope {
        Scope::of(&self.user.office)
    }

    /// Refuses unless the role allows `permission` and the officer acts nationally (an
    /// officer of the central office): work on the country's shared state.
    pub fn require_national(&self, permission: Permission) -> Result<(), AppError> {
        require_within(&self.user, permission, None)
    }

    /// Refuses unless the role allows `permission` and `office` is within the officer's scope.
    pub fn require_for(&self, permission: Permission, office: &OfficeCode) -> Result<(), AppError> {
        require_within(&self.user, permission, Some(office))
    }

    /// Refuses unless the role allows `permission` (reading or searching persons) and this
    /// officer is under the ceiling of person reads ([`crate::limits`]).
    pub async fn read_persons<S: Store>(
        &self,
        state: &AppState<S>,
        permission: Permission,
    ) -> Result<(), AppError> {
        self.require(permission)?;
        crate::limits::take_person_read(state, &self.user).await
    }
}

impl<S: Store> FromRequestParts<AppState<S>> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 128)
            .ok_or(AppError::Unauthenticated)?;
        let token_hash = token_hash(token);
        match state
            .store
            .session_user(&token_hash, state.config.session_idle)
            .await
        {
            Ok(user) => Ok(CurrentUser { user, token_hash }),
            Err(StoreError::NotFound(_)) => Err(AppError::Unauthenticated),
            Err(e) => Err(e.into()),
        }
    }
}

/// Reads audit entries for `auditor`, and writes that reading into the log itself (the
/// filter, and how many entries were shown): who looked at whom is sensitive too, so the
/// auditors' own reading is on the record.
pub(crate) async fn read_audit<S: Store>(
    state: &AppState<S>,
    auditor: &User,
    query: &sijil_store::AuditQuery,
) -> Result<Vec<sijil_store::AuditEntry>, AppError> {
    let entries = state.store.audit_entries(query).await?;
    let detail = serde_json::json!({
        "actor": query.actor,
        "office": query.office,
        "subject": query.subject,
        "action": query.action,
        "since": query.since,
        "until": query.until,
        "before": query.before_seq,
        "shown": entries.len(),
    });
    let actor = auditor.actor();
    state
        .store
        .audit(sijil_store::NewAuditEntry {
            actor: actor.username.to_string(),
            office: actor.office.to_string(),
            action: "audit.read",
            subject: "audit:log".into(),
            detail,
        })
        .await?;
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_bad_hashes_do_not() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn generated_secrets_differ() {
        assert_ne!(generate_password(), generate_password());
        assert_eq!(random_hex(32).len(), 64);
    }
}
