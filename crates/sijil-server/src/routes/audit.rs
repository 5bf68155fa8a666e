//! The audit log, for auditors.

use axum::{
    Json,
    extract::{Query, State},
};
use serde::Deserialize;
use sijil_core::Permission;
use sijil_store::{AuditEntry, AuditQuery, AuditVerification, Store};

use crate::{AppError, AppState, auth::CurrentUser};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct AuditParams {
    actor: Option<String>,
    subject: Option<String>,
    action: Option<String>,
    since: Option<String>,
    until: Option<String>,
    before: Option<i64>,
    limit: Option<u32>,
}

pub(super) async fn entries<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Query(p): Query<AuditParams>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    user.require(Permission::ReadAudit)?;
    let query = AuditQuery {
        actor: p.actor,
        subject: p.subject,
        action: p.action,
        since: p.since,
        until: p.until,
        before_seq: p.before,
        limit: p.limit.unwrap_or(100),
    };
    Ok(Json(state.store.audit_entries(&query).await?))
}

pub(super) async fn verify<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
) -> Result<Json<AuditVerification>, AppError> {
    user.require(Permission::ReadAudit)?;
    Ok(Json(state.store.verify_audit().await?))
}
