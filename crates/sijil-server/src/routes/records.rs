//! Registering a source record.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use sijil_core::{Evidence, Permission, RecordRow, ValidationErrors, validation::FieldError};
use sijil_store::{Registration, Store};
use time::OffsetDateTime;

use crate::{AppError, AppState, auth::CurrentUser, json::ApiJson, service};

/// `{"record": {interchange fields}, "evidence": [{"kind": "family_booklet", "reference": "…"}]}`
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RegisterRequest {
    record: RecordRow,
    #[serde(default)]
    evidence: Vec<Evidence>,
}

pub(super) async fn register<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<Registration>), AppError> {
    user.require(Permission::RegisterRecord)?;
    let now = OffsetDateTime::now_utc();
    let mut row = req.record;
    if row.record_id.trim().is_empty() {
        row.record_id = format!("{}-{}", user.user.office, uuid::Uuid::now_v7());
    }
    // Check the record and the evidence together so the clerk sees every problem at once.
    let record = row.validate(now.date());
    let evidence = Evidence::validate_list(&req.evidence);
    let (record, evidence) = match (record, evidence) {
        (Ok(r), Ok(e)) => (r, e),
        (r, e) => {
            let mut all: Vec<FieldError> = Vec::new();
            if let Err(v) = r {
                all.extend(v.0.into_iter().map(|f| FieldError {
                    field: format!("record.{}", f.field),
                    ..f
                }));
            }
            if let Err(v) = e {
                all.extend(v.0);
            }
            return Err(ValidationErrors(all).into());
        }
    };
    let registration = service::register(&state, &user.user, record, evidence, now).await?;
    Ok((StatusCode::CREATED, Json(registration)))
}
