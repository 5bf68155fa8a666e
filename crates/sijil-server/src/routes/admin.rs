//! Users and offices, for administrators.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;
use sijil_core::{
    OfficeCode, Permission,
    validation::{Collector, Problem, clean_text},
};
use sijil_store::{NewOffice, Office, Stats, Store, User};

use crate::{AppError, AppState, auth::CurrentUser, json::ApiJson, service};

pub(super) async fn users<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
) -> Result<Json<Vec<User>>, AppError> {
    user.require(Permission::ManageUsers)?;
    let scope = user.scope();
    let mut users = state.store.users().await?;
    users.retain(|u| scope.covers(&u.office));
    Ok(Json(users))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateUser {
    username: String,
    display_name: String,
    role: String,
    office: String,
    password: String,
}

pub(super) async fn create_user<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateUser>,
) -> Result<(StatusCode, Json<User>), AppError> {
    user.require(Permission::ManageUsers)?;
    let input = service::UserInput {
        username: &req.username,
        display_name: &req.display_name,
        role: &req.role,
        office: &req.office,
        password: req.password,
    };
    let created = service::create_user(&state, &user.user.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ChangeUser {
    /// A new role: `administrator`, `clerk`, `adjudicator` or `auditor`.
    role: Option<String>,
    /// Whether the user may log in.
    active: Option<bool>,
}

/// `PATCH /api/v1/users/{username}`
pub(super) async fn change_user<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(username): Path<String>,
    ApiJson(req): ApiJson<ChangeUser>,
) -> Result<Json<User>, AppError> {
    let target = service::user_to_manage(&state, &user.user, &username).await?;
    let changed = service::change_user(
        &state,
        &user.user.actor(),
        &target,
        req.role.as_deref(),
        req.active,
    )
    .await?;
    Ok(Json(changed))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewPassword {
    /// At least 12 characters.
    password: String,
}

/// `POST /api/v1/users/{username}/password`
pub(super) async fn reset_password<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(username): Path<String>,
    ApiJson(req): ApiJson<NewPassword>,
) -> Result<StatusCode, AppError> {
    let target = service::user_to_manage(&state, &user.user, &username).await?;
    service::reset_password(&state, &user.user.actor(), &target, req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct SessionsEnded {
    /// How many sessions there were.
    ended: u64,
}

/// `DELETE /api/v1/users/{username}/sessions`
pub(super) async fn end_sessions<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(username): Path<String>,
) -> Result<Json<SessionsEnded>, AppError> {
    let target = service::user_to_manage(&state, &user.user, &username).await?;
    let ended = state
        .store
        .end_user_sessions(target.username.as_str(), &user.user.actor())
        .await?;
    Ok(Json(SessionsEnded { ended }))
}

pub(super) async fn offices<S: Store>(
    State(state): State<AppState<S>>,
    _user: CurrentUser,
) -> Result<Json<Vec<Office>>, AppError> {
    Ok(Json(state.store.offices().await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateOffice {
    code: String,
    name_ar: String,
    name_en: String,
    governorate: u8,
    secretariat: u8,
}

pub(super) async fn create_office<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateOffice>,
) -> Result<(StatusCode, Json<Office>), AppError> {
    user.require_national(Permission::ManageOffices)?;
    let mut c = Collector::default();
    let code = c.check("code", OfficeCode::parse(&req.code));
    let name_ar = c.check(
        "name_ar",
        clean_text(&req.name_ar).and_then(|v| v.ok_or(Problem::Required)),
    );
    let name_en = c.check(
        "name_en",
        clean_text(&req.name_en).and_then(|v| v.ok_or(Problem::Required)),
    );
    if req.governorate > 99 {
        c.push("governorate", Problem::TooLong { max: 2 });
    }
    if req.secretariat > 99 {
        c.push("secretariat", Problem::TooLong { max: 2 });
    }
    let (code, name_ar, name_en) =
        c.finish(|| (code.unwrap(), name_ar.unwrap(), name_en.unwrap()))?;
    let office = NewOffice {
        code,
        name_ar,
        name_en,
        governorate: req.governorate,
        secretariat: req.secretariat,
    };
    let created = state
        .store
        .create_office(office, &user.user.actor())
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub(super) async fn stats<S: Store>(
    State(state): State<AppState<S>>,
    _user: CurrentUser,
) -> Result<Json<Stats>, AppError> {
    Ok(Json(state.store.stats().await?))
}
