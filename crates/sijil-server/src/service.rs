//! What the JSON API and the web pages both do, written once: logging in, and registering a
//! source record. Each front end only turns its own input into these calls and the outcome
//! into its own answer (JSON or a page).

use serde_json::json;
use sijil_core::{Capture, Evidence, PersonRecord};
use sijil_store::{
    Actor, NewAuditEntry, NewSourceRecord, Registration, Store, StoreError, StoreResult, User,
};
use time::OffsetDateTime;

use crate::{AppState, auth};

/// A session opened by [`login`].
pub(crate) struct Session {
    /// The user now logged in.
    pub user: User,
    /// The bearer token (shown to the client once; stored only as a hash).
    pub token: String,
    /// When the session ends.
    pub expires_at: OffsetDateTime,
}

/// Why a login was refused.
pub(crate) enum LoginRefused {
    /// Wrong username or password, or an inactive account (deliberately not told apart).
    BadCredentials,
    /// Too many recent failures for this username.
    LockedOut,
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for LoginRefused {
    fn from(e: StoreError) -> Self {
        LoginRefused::Store(e)
    }
}

/// Checks a username and password and opens a session. Unknown users cost the same time as
/// wrong passwords; failures count towards the lockout and are audited; `via` says which front
/// end asked (`api` or `web`).
pub(crate) async fn login<S: Store>(
    state: &AppState<S>,
    username: &str,
    password: String,
    via: &'static str,
) -> Result<Session, LoginRefused> {
    if username.is_empty() || username.len() > 64 || password.len() > 1024 {
        return Err(LoginRefused::BadCredentials);
    }
    if state.lockout.is_locked(username) {
        return Err(LoginRefused::LockedOut);
    }
    let user = match state.store.user_by_name(username).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let hash = user.as_ref().map_or_else(
        || auth::decoy_hash().to_owned(),
        |u| u.password_hash.clone(),
    );
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| LoginRefused::Store(StoreError::Database(Box::new(e))))?;
    let user = match user {
        Some(u) if ok && u.active => u,
        other => {
            state.lockout.failed(username);
            let subject =
                other.map_or_else(|| "user:unknown".to_owned(), |u| format!("user:{}", u.id));
            state
                .store
                .audit(NewAuditEntry {
                    actor: Actor::SYSTEM.into(),
                    office: "-".into(),
                    action: "auth.login_failed",
                    subject,
                    detail: json!({ "via": via }),
                })
                .await?;
            return Err(LoginRefused::BadCredentials);
        }
    };
    state.lockout.succeeded(username);
    let token = auth::random_hex(32);
    let now = OffsetDateTime::now_utc();
    let expires_at = now + state.config.session_ttl;
    state
        .store
        .create_session(
            &auth::token_hash(&token),
            &user,
            expires_at,
            now + state.config.session_idle,
        )
        .await?;
    Ok(Session {
        user,
        token,
        expires_at,
    })
}

/// Registers a validated record captured now by `user` at their office, with `evidence`.
pub(crate) async fn register<S: Store>(
    state: &AppState<S>,
    user: &User,
    record: PersonRecord,
    evidence: Vec<Evidence>,
    now: OffsetDateTime,
) -> StoreResult<Registration> {
    let capture = Capture {
        office: user.office.clone(),
        officer: user.username.clone(),
        captured_at: now,
        evidence,
    };
    register_capture(state, record, capture, &user.actor()).await
}

/// The one way a record enters the registry, whoever captured it (a clerk here, an office
/// through sync): resolved against everyone registered, then stored as decided — linked, a
/// new person, or a new person with a review item — with its explanation.
pub(crate) async fn register_capture<S: Store>(
    state: &AppState<S>,
    record: PersonRecord,
    capture: Capture,
    actor: &Actor,
) -> StoreResult<Registration> {
    state
        .resolver
        .register(&state.store, NewSourceRecord { record, capture }, actor)
        .await
}

/// Shortest accepted password.
pub(crate) const MIN_PASSWORD_CHARS: usize = 12;
/// Longest accepted password.
pub(crate) const MAX_PASSWORD_CHARS: usize = 256;

/// A new user as typed into a form or a JSON body.
pub(crate) struct UserInput<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub office: &'a str,
    pub password: String,
}

/// Checks every field (all problems at once), hashes the password off the async workers and
/// creates the user. An unknown office is a field error; a taken username is a conflict.
pub(crate) async fn create_user<S: Store>(
    state: &AppState<S>,
    actor: &Actor,
    input: UserInput<'_>,
) -> StoreResult<User> {
    use sijil_core::{
        OfficeCode, Problem, Role, Username, ValidationErrors,
        validation::{Collector, clean_text},
    };
    let mut c = Collector::default();
    let username = c.check("username", Username::parse(input.username));
    let display_name = c.check(
        "display_name",
        clean_text(input.display_name).and_then(|v| v.ok_or(Problem::Required)),
    );
    let role = c.check("role", Role::parse(input.role));
    let office = c.check(
        "office",
        OfficeCode::parse(input.office).and_then(|office| {
            // An administrator of another office than the central creates its users only.
            if sijil_core::Scope::of(&actor.office).covers(&office) {
                Ok(office)
            } else {
                Err(Problem::OutsideScope)
            }
        }),
    );
    let chars = input.password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        c.push(
            "password",
            Problem::TooShort {
                min: MIN_PASSWORD_CHARS,
            },
        );
    } else if chars > MAX_PASSWORD_CHARS {
        c.push(
            "password",
            Problem::TooLong {
                max: MAX_PASSWORD_CHARS,
            },
        );
    }
    let (username, display_name, role, office) = c.finish(|| {
        let checked = "checked above";
        (
            username.expect(checked),
            display_name.expect(checked),
            role.expect(checked),
            office.expect(checked),
        )
    })?;
    let password = input.password;
    let password_hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| StoreError::Database(Box::new(e)))?
        .map_err(|e| StoreError::Database(e.into()))?;
    let new = sijil_store::NewUser {
        username,
        display_name,
        role,
        office,
        password_hash,
    };
    match state.store.create_user(new, actor).await {
        Err(StoreError::NotFound("office")) => {
            Err(ValidationErrors::single("office", Problem::NotFound).into())
        }
        other => other,
    }
}
