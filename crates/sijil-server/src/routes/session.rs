//! Login, logout, and who am I.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use sijil_store::{Actor, NewAuditEntry, Store, StoreError};
use time::OffsetDateTime;

use crate::{
    AppError, AppState,
    auth::{self, CurrentUser},
    json::ApiJson,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LoginRequest {
    username: String,
    password: String,
}

pub(super) async fn login<S: Store>(
    State(state): State<AppState<S>>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<Value>, AppError> {
    if req.username.len() > 64 || req.password.len() > 1024 {
        return Err(AppError::BadCredentials);
    }
    if state.lockout.is_locked(&req.username) {
        return Err(AppError::LockedOut);
    }
    let user = match state.store.user_by_name(&req.username).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let hash = user.as_ref().map_or_else(
        || auth::decoy_hash().to_owned(),
        |u| u.password_hash.clone(),
    );
    let password = req.password;
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let user = match user {
        Some(u) if ok && u.active => u,
        other => {
            state.lockout.failed(&req.username);
            let subject =
                other.map_or_else(|| "user:unknown".to_owned(), |u| format!("user:{}", u.id));
            state
                .store
                .audit(NewAuditEntry {
                    actor: Actor::SYSTEM.into(),
                    office: "-".into(),
                    action: "auth.login_failed",
                    subject,
                    detail: json!({}),
                })
                .await?;
            return Err(AppError::BadCredentials);
        }
    };
    state.lockout.succeeded(&req.username);
    let token = auth::random_hex(32);
    let expires_at = OffsetDateTime::now_utc() + state.config.session_ttl;
    state
        .store
        .create_session(&auth::token_hash(&token), &user, expires_at)
        .await?;
    Ok(Json(json!({
        "token": token,
        "expires_at": expires_at.format(&time::format_description::well_known::Rfc3339).ok(),
        "user": user,
    })))
}

pub(super) async fn logout<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
) -> Result<StatusCode, AppError> {
    state
        .store
        .delete_session(&user.token_hash, &user.user.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn me(user: CurrentUser) -> Json<Value> {
    Json(json!({ "user": user.user }))
}
