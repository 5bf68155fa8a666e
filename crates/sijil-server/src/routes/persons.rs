//! Reading persons, their civil events and their family registers; recording events.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use sijil_core::{CivilEvent, EventInput, Permission, RegisterKey};
use sijil_store::{PersonDetail, RegisterMember, Store};
use time::OffsetDateTime;

use super::parse_id;
use crate::{AppError, AppState, auth::CurrentUser, json::ApiJson};

pub(super) async fn person<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<PersonDetail>, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    Ok(Json(
        state
            .store
            .person(parse_id(&id)?, &user.user.actor())
            .await?,
    ))
}

pub(super) async fn events<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<CivilEvent>>, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    Ok(Json(
        state
            .store
            .events(parse_id(&id)?, &user.user.actor())
            .await?,
    ))
}

pub(super) async fn record_event<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<CivilEvent>), AppError> {
    user.require(Permission::RecordEvent)?;
    let id = parse_id(&id)?;
    let event = input.validate(OffsetDateTime::now_utc().date())?;
    let recorded = state
        .store
        .record_event(id, event, &user.user.actor())
        .await?;
    Ok((StatusCode::CREATED, Json(recorded)))
}

pub(super) async fn register_members<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path((place, number)): Path<(String, String)>,
) -> Result<Json<Vec<RegisterMember>>, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let number = sijil_core::digits::fold_digits(&number);
    let key = RegisterKey::new(&place, &number).ok_or(AppError::NotFound("family register"))?;
    Ok(Json(
        state
            .store
            .register_members(&key, &user.user.actor())
            .await?,
    ))
}
