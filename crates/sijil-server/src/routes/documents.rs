//! Identity documents in the JSON API: issuing ID cards, the passport workflow, statuses,
//! alerts, the published lists (trust, revocation, alerts) and verification.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::Value;
use sijil_core::{NationalNumber, Permission, Problem, ValidationErrors};
use sijil_docs::{qr_png, qr_svg};
use sijil_store::{
    Store,
    documents::{AlertRecord, Document, DocumentStatus, PassportApplication},
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    AppError, AppState, auth::CurrentUser, issuance, json::ApiJson, verification, web::card_image,
};

fn id(s: &str, what: &'static str) -> Result<Uuid, AppError> {
    Uuid::parse_str(s).map_err(|_| AppError::NotFound(what))
}

pub(super) async fn issue_id_card<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(person): Path<String>,
) -> Result<(StatusCode, Json<Document>), AppError> {
    user.require(Permission::IssueDocuments)?;
    let doc = issuance::issue_id_card(
        &state.store,
        state.keys()?,
        id(&person, "person")?,
        &user.user.actor(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(doc)))
}

pub(super) async fn documents_of<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(person): Path<String>,
) -> Result<Json<Vec<Document>>, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let person = id(&person, "person")?;
    Ok(Json(
        state.store.documents_of(person, &user.user.actor()).await?,
    ))
}

pub(super) async fn document<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(doc): Path<String>,
) -> Result<Json<Document>, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let doc = id(&doc, "document")?;
    Ok(Json(state.store.document(doc, &user.user.actor()).await?))
}

/// The card drawn as a PNG image for print: `?side=front|back|both&dpi=150..600` (see
/// [`crate::web::card_image`]).
pub(super) async fn card_png<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(doc): Path<String>,
    Query(q): Query<card_image::CardQuery>,
) -> Result<Response, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let doc = id(&doc, "document")?;
    let (side, dpi) = q.parse()?;
    let png = card_image::card_png(&state.store, doc, &user.user.actor(), side, dpi).await?;
    Ok(card_image::png_response(png))
}

/// The card's QR code, as `qr.svg` or `qr.png` (8 pixels a module).
pub(super) async fn document_qr<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path((doc, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let doc = state
        .store
        .document(id(&doc, "document")?, &user.user.actor())
        .await?;
    let text = doc.credential.ok_or(AppError::NotFound("QR code"))?;
    let qr_error = |e: sijil_docs::qr::QrError| AppError::Internal(e.into());
    let private = (header::CACHE_CONTROL, "private, no-store");
    match file.as_str() {
        "qr.svg" => Ok((
            [(header::CONTENT_TYPE, "image/svg+xml"), private],
            qr_svg(&text, 1).map_err(qr_error)?,
        )
            .into_response()),
        "qr.png" => Ok((
            [(header::CONTENT_TYPE, "image/png"), private],
            qr_png(&text, 8).map_err(qr_error)?,
        )
            .into_response()),
        _ => Err(AppError::NotFound("route")),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusInput {
    status: String,
    note: Option<String>,
}

pub(super) async fn change_status<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(doc): Path<String>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<Document>, AppError> {
    user.require(Permission::IssueDocuments)?;
    let status = DocumentStatus::parse(&input.status)
        .filter(|s| *s != DocumentStatus::Issued)
        .ok_or_else(|| {
            ValidationErrors::single(
                "status",
                Problem::NotOneOf(&["delivered", "lost", "stolen", "cancelled"]),
            )
        })?;
    let note = input.note.filter(|n| !n.trim().is_empty());
    Ok(Json(
        state
            .store
            .change_document_status(id(&doc, "document")?, status, note, &user.user.actor())
            .await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ApplyInput {
    person_id: Uuid,
}

pub(super) async fn apply<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    ApiJson(input): ApiJson<ApplyInput>,
) -> Result<(StatusCode, Json<PassportApplication>), AppError> {
    user.require(Permission::IssueDocuments)?;
    let app = state
        .store
        .apply_passport(input.person_id, &user.user.actor())
        .await?;
    Ok((StatusCode::CREATED, Json(app)))
}

pub(super) async fn applications<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
) -> Result<Json<Vec<PassportApplication>>, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    Ok(Json(state.store.passport_applications(200).await?))
}

pub(super) async fn application<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(app): Path<String>,
) -> Result<Json<PassportApplication>, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let app = id(&app, "passport application")?;
    Ok(Json(state.store.passport_application(app).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NoteInput {
    note: Option<String>,
}

/// `check`, `approve`, `refuse` or `issue` an application.
pub(super) async fn application_step<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path((app, step)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    user.require(Permission::IssueDocuments)?;
    let app = id(&app, "passport application")?;
    // The office that took an application (or the central) checks, approves and issues it.
    let office = state.store.passport_application(app).await?.office;
    user.require_for(Permission::IssueDocuments, &office)?;
    let input: NoteInput = if body.is_empty() {
        NoteInput::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| AppError::Malformed(e.to_string()))?
    };
    let note = input.note.filter(|n| !n.trim().is_empty());
    let actor = user.user.actor();
    let store = &state.store;
    let app = match step.as_str() {
        "check" => {
            let today = OffsetDateTime::now_utc().date();
            store.check_passport_application(app, today, &actor).await?
        }
        "approve" => {
            store
                .approve_passport_application(app, note, &actor)
                .await?
        }
        "refuse" => {
            let note = note.ok_or_else(|| ValidationErrors::single("note", Problem::Required))?;
            store.refuse_passport_application(app, note, &actor).await?
        }
        "issue" => {
            let doc = issuance::issue_passport(store, app, &actor).await?;
            return Ok((StatusCode::CREATED, Json(doc)).into_response());
        }
        _ => return Err(AppError::NotFound("route")),
    };
    Ok(Json(app).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AlertInput {
    national_number: String,
    code: String,
}

pub(super) async fn add_alert<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    ApiJson(input): ApiJson<AlertInput>,
) -> Result<(StatusCode, Json<AlertRecord>), AppError> {
    user.require_national(Permission::ManageAlerts)?;
    let nn = NationalNumber::parse(&input.national_number).map_err(|e| {
        ValidationErrors::single("national_number", Problem::InvalidNationalNumber(e))
    })?;
    let alert = state
        .store
        .add_alert(&nn, &input.code, &user.user.actor())
        .await?;
    Ok((StatusCode::CREATED, Json(alert)))
}

pub(super) async fn alerts<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
) -> Result<Json<Vec<AlertRecord>>, AppError> {
    user.require_national(Permission::ManageAlerts)?;
    Ok(Json(state.store.active_alerts().await?))
}

pub(super) async fn lift_alert<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(alert): Path<String>,
) -> Result<StatusCode, AppError> {
    user.require_national(Permission::ManageAlerts)?;
    let alert = id(&alert, "alert")?;
    state.store.lift_alert(alert, &user.user.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The trust list, revocation list or alert list, as offices install them.
pub(super) async fn published<S: Store>(
    State(state): State<AppState<S>>,
    _user: CurrentUser,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let keys = state.keys()?;
    let cose = |bytes: Vec<u8>| {
        (
            [(
                header::CONTENT_TYPE,
                "application/cose; cose-type=\"cose-sign1\"",
            )],
            bytes,
        )
            .into_response()
    };
    match file.as_str() {
        "trust-list.json" => {
            let mut ring = keys
                .lock()
                .map_err(|_| AppError::Internal(anyhow::anyhow!("keyring lock poisoned")))?;
            ring.ensure_all(OffsetDateTime::now_utc())
                .map_err(|e| AppError::Internal(e.into()))?;
            let text = ring.trust_list().to_json();
            Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response())
        }
        "revocations.cose" => Ok(cose(issuance::revocation_list(&state.store, keys).await?)),
        "alerts.cose" => Ok(cose(issuance::alert_list(&state.store, keys).await?)),
        _ => Err(AppError::NotFound("list")),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct VerifyInput {
    qr: Option<String>,
    mrz: Option<String>,
}

/// Checks a QR payload or a zone: against the keys and current lists at the central, against
/// the lists last received at an office.
pub(super) async fn verify<S: Store>(
    State(state): State<AppState<S>>,
    _user: CurrentUser,
    ApiJson(input): ApiJson<VerifyInput>,
) -> Result<Json<Value>, AppError> {
    let verdict = match (input.qr, input.mrz) {
        (Some(qr), None) => verification::verify(&state, &qr, false).await?,
        (None, Some(mrz)) => verification::verify(&state, &mrz, true).await?,
        _ => {
            return Err(AppError::Malformed(
                "give exactly one of \"qr\" and \"mrz\"".into(),
            ));
        }
    };
    Ok(Json(verdict.to_json()))
}
