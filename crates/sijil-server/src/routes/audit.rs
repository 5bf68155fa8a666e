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
    /// Only this actor's entries (a username).
    actor: Option<String>,
    /// Only entries of this office's officers. An auditor of another office than the central
    /// sees their own office's entries only (naming another office is refused).
    office: Option<String>,
    /// Only entries about this subject (e.g. `person:<id>`, `review:<id>`).
    subject: Option<String>,
    /// Only this action (e.g. `person.read`).
    action: Option<String>,
    /// From this time: compared with the entries' RFC 3339 times as text, so `2026-11-29` or
    /// `2026-11-29T10:00:00Z` both work.
    since: Option<String>,
    /// Before this time (same form).
    until: Option<String>,
    /// Entries before this sequence number (to page back).
    before: Option<i64>,
    /// At most this many, newest first (default 100, at most 1000).
    limit: Option<u32>,
}

pub(super) async fn entries<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Query(p): Query<AuditParams>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    user.require(Permission::ReadAudit)?;
    let office =
        crate::auth::office_filter(&user.user, p.office.as_deref())?.map(|o| o.to_string());
    let query = AuditQuery {
        actor: p.actor,
        office,
        subject: p.subject,
        action: p.action,
        since: p.since,
        until: p.until,
        before_seq: p.before,
        limit: p.limit.unwrap_or(100),
    };
    Ok(Json(
        crate::auth::read_audit(&state, &user.user, &query).await?,
    ))
}

pub(super) async fn verify<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
) -> Result<Json<AuditVerification>, AppError> {
    user.require(Permission::ReadAudit)?;
    Ok(Json(state.store.verify_audit().await?))
}
