//! Search, the review queue and adjudicators' decisions (link, separate, merge, split, undo).

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::Deserialize;
use sijil_core::Permission;
use sijil_store::{
    Adjudication, DecisionEntry, DecisionReceipt, ReviewItem, ReviewQuery, ReviewSummary, Store,
};
use uuid::Uuid;

use crate::{
    AppError, AppState,
    auth::CurrentUser,
    json::ApiJson,
    resolution::{self, SearchInput, SearchResult},
};

fn parse(id: &str, what: &'static str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound(what))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct SearchParams {
    /// Any name parts, in Arabic or Latin letters (required).
    #[serde(default)]
    names: String,
    /// A birth year, to narrow the search.
    #[serde(default)]
    birth_year: String,
    /// A birth or register place, to narrow the search.
    #[serde(default)]
    place: String,
    /// At most this many persons.
    limit: Option<usize>,
}

/// `GET /api/v1/search?names=…&birth_year=…&place=…&limit=…`
pub(super) async fn search<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Query(p): Query<SearchParams>,
) -> Result<Json<Vec<SearchResult>>, AppError> {
    user.read_persons(&state, Permission::SearchPersons).await?;
    let input = SearchInput {
        names: &p.names,
        birth_year: &p.birth_year,
        place: &p.place,
        limit: p.limit,
    };
    Ok(Json(
        resolution::search(&state, &user.user.actor(), input).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct QueueParams {
    /// Settled items too.
    #[serde(default)]
    settled: bool,
    /// At most this many, oldest first (0 or absent: 50).
    #[serde(default)]
    limit: u32,
    /// Only items opened by this office's captures. An adjudicator of another office than the
    /// central always gets their own office's (naming another is refused).
    office: Option<String>,
}

/// `GET /api/v1/review?settled=true&limit=…`
pub(super) async fn queue<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Query(p): Query<QueueParams>,
) -> Result<Json<Vec<ReviewSummary>>, AppError> {
    user.require(Permission::Adjudicate)?;
    let q = ReviewQuery {
        include_settled: p.settled,
        office: crate::auth::office_filter(&user.user, p.office.as_deref())?,
        limit: p.limit,
    };
    Ok(Json(
        state.store.review_queue(&q, &user.user.actor()).await?,
    ))
}

/// `GET /api/v1/review/{id}`
pub(super) async fn item<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ReviewItem>, AppError> {
    let id = parse(&id, "review item")?;
    crate::resolution::require_review_in_scope(&state, &user.user, id).await?;
    Ok(Json(state.store.review_item(id, &user.user.actor()).await?))
}

/// What an adjudicator decides about a review item.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case", tag = "action")]
pub(super) enum Settle {
    /// The record belongs to this candidate.
    Link { person: Uuid, reason: String },
    /// The record's person is nobody else.
    Separate { reason: String },
}

/// `POST /api/v1/review/{id}/decision` with `{"action": "link", "person": …, "reason": …}`
/// or `{"action": "separate", "reason": …}`.
pub(super) async fn settle<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Settle>,
) -> Result<(StatusCode, Json<DecisionReceipt>), AppError> {
    let review = parse(&id, "review item")?;
    crate::resolution::require_review_in_scope(&state, &user.user, review).await?;
    let (decision, reason) = match body {
        Settle::Link { person, reason } => (Adjudication::Link { review, person }, reason),
        Settle::Separate { reason } => (Adjudication::Separate { review }, reason),
    };
    decide(&state, &user, decision, &reason).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct MergeBody {
    into: Uuid,
    reason: String,
}

/// `POST /api/v1/persons/{id}/merge` with `{"into": …, "reason": …}`
pub(super) async fn merge<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MergeBody>,
) -> Result<(StatusCode, Json<DecisionReceipt>), AppError> {
    user.require_national(Permission::Adjudicate)?;
    let from = parse(&id, "person")?;
    let decision = Adjudication::Merge {
        from,
        into: body.into,
    };
    decide(&state, &user, decision, &body.reason).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SplitBody {
    records: Vec<Uuid>,
    reason: String,
}

/// `POST /api/v1/persons/{id}/split` with `{"records": [record ids], "reason": …}`
pub(super) async fn split<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SplitBody>,
) -> Result<(StatusCode, Json<DecisionReceipt>), AppError> {
    user.require_national(Permission::Adjudicate)?;
    let person = parse(&id, "person")?;
    let decision = Adjudication::Split {
        person,
        records: body.records,
    };
    decide(&state, &user, decision, &body.reason).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct UndoBody {
    reason: String,
}

/// `POST /api/v1/decisions/{id}/undo` with `{"reason": …}`
pub(super) async fn undo<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UndoBody>,
) -> Result<(StatusCode, Json<DecisionReceipt>), AppError> {
    user.require_national(Permission::Adjudicate)?;
    let decision = Adjudication::Undo {
        decision: parse(&id, "decision")?,
    };
    decide(&state, &user, decision, &body.reason).await
}

/// `GET /api/v1/persons/{id}/decisions`
pub(super) async fn decisions<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<DecisionEntry>>, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let person = parse(&id, "person")?;
    Ok(Json(
        state.store.decisions_of(person, &user.user.actor()).await?,
    ))
}

async fn decide<S: Store>(
    state: &AppState<S>,
    user: &CurrentUser,
    decision: Adjudication,
    reason: &str,
) -> Result<(StatusCode, Json<DecisionReceipt>), AppError> {
    let reason = resolution::reason(reason)?;
    let receipt = resolution::adjudicate(state, &user.user.actor(), decision, &reason).await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}
