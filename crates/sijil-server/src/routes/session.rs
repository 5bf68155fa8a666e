//! Login, logout, and who am I.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use sijil_store::Store;

use crate::{
    AppError, AppState,
    auth::CurrentUser,
    json::ApiJson,
    service::{self, LoginRefused},
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct LoginRequest {
    username: String,
    password: String,
}

pub(super) async fn login<S: Store>(
    State(state): State<AppState<S>>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<Value>, AppError> {
    let session = service::login(&state, &req.username, req.password, "api")
        .await
        .map_err(|refused| match refused {
            LoginRefused::BadCredentials => AppError::BadCredentials,
            LoginRefused::LockedOut => AppError::LockedOut,
            LoginRefused::Store(e) => e.into(),
        })?;
    Ok(Json(json!({
        "token": session.token,
        "expires_at": session.expires_at.format(&time::format_description::well_known::Rfc3339).ok(),
        "user": session.user,
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
