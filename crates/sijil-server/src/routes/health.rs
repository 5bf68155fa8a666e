//! Liveness and metrics.

use axum::{Json, extract::State, http::header, response::IntoResponse};
use serde_json::{Value, json};
use sijil_core::Permission;
use sijil_store::Store;

use crate::{AppError, AppState, auth::CurrentUser};

/// Open to all: load balancers and monitors call it without credentials.
pub(super) async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Prometheus text format; needs a session (Prometheus sends it as a bearer token).
pub(super) async fn metrics<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
) -> Result<impl IntoResponse, AppError> {
    user.require(Permission::ViewMetrics)?;
    let stats = state.store.stats().await?;
    metrics::gauge!("sijil_persons").set(stats.persons as f64);
    metrics::gauge!("sijil_source_records").set(stats.source_records as f64);
    metrics::gauge!("sijil_civil_events").set(stats.events as f64);
    metrics::gauge!("sijil_audit_entries").set(stats.audit_entries as f64);
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    ))
}
