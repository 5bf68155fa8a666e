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
    if let Some(problem) = password_problem(&input.password) {
        c.push("password", problem);
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
    let password_hash = hash_off_workers(input.password).await?;
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

/// What is wrong with a new password, if anything: its length (a passphrase is welcome).
fn password_problem(password: &str) -> Option<sijil_core::Problem> {
    use sijil_core::Problem;
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Some(Problem::TooShort {
            min: MIN_PASSWORD_CHARS,
        })
    } else if chars > MAX_PASSWORD_CHARS {
        Some(Problem::TooLong {
            max: MAX_PASSWORD_CHARS,
        })
    } else {
        None
    }
}

/// Argon2id takes tens of milliseconds of one processor: never on the async workers.
async fn hash_off_workers(password: String) -> StoreResult<String> {
    tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| StoreError::Database(Box::new(e)))?
        .map_err(|e| StoreError::Database(e.into()))
}

/// The user `username`, if `manager` may change them: an administrator, of the user's office
/// or of the central, and not changing their own account (another administrator does that,
/// so nobody locks themselves out or raises their own role).
pub(crate) async fn user_to_manage<S: Store>(
    state: &AppState<S>,
    manager: &sijil_store::User,
    username: &str,
) -> Result<sijil_store::User, crate::AppError> {
    use crate::AppError;
    if !manager.role.allows(sijil_core::Permission::ManageUsers) {
        return Err(AppError::Forbidden);
    }
    let target = state.store.user_by_name(username).await?;
    if !sijil_core::Scope::of(&manager.office).covers(&target.office) {
        return Err(AppError::OutsideScope);
    }
    if target.id == manager.id {
        return Err(AppError::Conflict(
            "an administrator's own account is changed by another administrator".into(),
        ));
    }
    Ok(target)
}

/// Changes `target`'s role (a role's name, checked) or whether they may log in; every session
/// of theirs ends.
pub(crate) async fn change_user<S: Store>(
    state: &AppState<S>,
    actor: &Actor,
    target: &sijil_store::User,
    role: Option<&str>,
    active: Option<bool>,
) -> StoreResult<sijil_store::User> {
    let role = role
        .map(sijil_core::Role::parse)
        .transpose()
        .map_err(|p| sijil_core::ValidationErrors::single("role", p))?;
    let change = sijil_store::UserChange { role, active };
    state
        .store
        .change_user(target.username.as_str(), change, actor)
        .await
}

/// Gives `target` a new password (checked, then hashed); every session of theirs ends.
pub(crate) async fn reset_password<S: Store>(
    state: &AppState<S>,
    actor: &Actor,
    target: &sijil_store::User,
    password: String,
) -> StoreResult<()> {
    if let Some(problem) = password_problem(&password) {
        return Err(sijil_core::ValidationErrors::single("password", problem).into());
    }
    let hash = hash_off_workers(password).await?;
    state
        .store
        .set_password(target.username.as_str(), &hash, actor)
        .await
}
