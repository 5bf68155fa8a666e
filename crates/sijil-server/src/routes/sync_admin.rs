//! Sync for people: administrators approve and revoke device keys and decide on quarantined
//! packets; operators see each office's last contact and counters; at an office node, staff
//! see what waits to be sent.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use serde::{Deserialize, Serialize};
use sijil_core::Permission;
use sijil_store::{
    Device, DeviceStatus, HeldReceipt, NewAuditEntry, OfficeContact, OutboxCounts, OutboxPacket,
    OutboxState, Quarantined, Resolution, Store, Via,
};
use uuid::Uuid;

use super::sync::central;
use crate::{
    AppError, AppState,
    auth::CurrentUser,
    json::ApiJson,
    sync::ingest::{self, Ack},
};

pub(super) async fn devices<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
) -> Result<Json<Vec<Device>>, AppError> {
    user.require_national(Permission::ManageOffices)?;
    Ok(Json(central(&state)?.store.devices().await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ScopeQuery {
    /// Packet kinds the device may submit, comma-separated (`register`); empty: none.
    scope: Option<String>,
}

/// `POST …/devices/{key}/approve|revoke|scope[?scope=register]`: an approval may set the
/// scope too; `scope` sets only the scope.
pub(super) async fn decide_device<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path((key_id, decision)): Path<(String, String)>,
    Query(q): Query<ScopeQuery>,
) -> Result<Json<Device>, AppError> {
    user.require_national(Permission::ManageOffices)?;
    let status = match decision.as_str() {
        "approve" => Some(DeviceStatus::Approved),
        "revoke" => Some(DeviceStatus::Revoked),
        "scope" => None,
        _ => return Err(AppError::NotFound("route")),
    };
    let ctx = central(&state)?;
    let actor = user.user.actor();
    let scope = match (q.scope, status) {
        (Some(s), Some(DeviceStatus::Approved) | None) => {
            Some(crate::sync::parse_scope(&s).map_err(AppError::Malformed)?)
        }
        (None, None) => return Err(AppError::Malformed("scope: missing".into())),
        (Some(_), _) => return Err(AppError::Malformed("scope: only with approve".into())),
        (None, Some(_)) => None,
    };
    let mut device = match &scope {
        Some(s) => ctx.store.set_device_scope(&key_id, s, &actor).await?,
        None => ctx
            .store
            .device(&key_id)
            .await?
            .ok_or(AppError::NotFound("device"))?,
    };
    if let Some(status) = status {
        device = ctx.store.decide_device(&key_id, status, &actor).await?;
    }
    Ok(Json(device))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct QuarantineQuery {
    /// Resolved entries too.
    #[serde(default)]
    all: bool,
}

pub(super) async fn quarantine<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Query(q): Query<QuarantineQuery>,
) -> Result<Json<Vec<Quarantined>>, AppError> {
    user.require_national(Permission::ManageOffices)?;
    Ok(Json(central(&state)?.store.quarantined(q.all, 500).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ResolveRequest {
    /// `discard` or `release`.
    resolution: String,
    #[serde(default)]
    note: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Resolved {
    quarantined: Quarantined,
    /// For a release: what the new attempt did.
    #[serde(skip_serializing_if = "Option::is_none")]
    retry: Option<Ack>,
}

/// An administrator's audited decision. `release` takes the packet in again through every
/// check (e.g. after its key was approved); if it fails again it is quarantined anew.
pub(super) async fn resolve<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ResolveRequest>,
) -> Result<Json<Resolved>, AppError> {
    user.require_national(Permission::ManageOffices)?;
    let ctx = central(&state)?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound("quarantined packet"))?;
    let resolution = match req.resolution.as_str() {
        "discard" => Resolution::Discarded,
        "release" => Resolution::Released,
        _ => {
            return Err(AppError::Malformed(
                "resolution: `discard` or `release`".into(),
            ));
        }
    };
    let note: String = req.note.chars().take(500).collect();
    let quarantined = ctx
        .store
        .resolve_quarantine(id, resolution, &note, &user.user.actor())
        .await?;
    let retry = if resolution == Resolution::Released {
        let bytes = ctx.store.quarantined_bytes(id).await?;
        let via = if quarantined.via == "file" {
            Via::File
        } else {
            Via::Upload
        };
        Some(ingest::ingest_packet(&state, ctx, &bytes, via).await?)
    } else {
        None
    };
    Ok(Json(Resolved { quarantined, retry }))
}

pub(super) async fn offices<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
) -> Result<Json<Vec<OfficeContact>>, AppError> {
    user.require(Permission::ViewMetrics)?;
    let scope = user.scope();
    let mut contacts = central(&state)?.store.contacts().await?;
    contacts.retain(|c| scope.covers_code(&c.office));
    Ok(Json(contacts))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct OutboxView {
    counts: OutboxCounts,
    pending: Vec<OutboxPacket>,
    sent: Vec<OutboxPacket>,
}

/// At an office node: what waits to be sent.
pub(super) async fn outbox<S: Store>(
    State(state): State<AppState<S>>,
    _user: CurrentUser,
) -> Result<Json<OutboxView>, AppError> {
    let ctx = state
        .sync
        .as_deref()
        .filter(|c| c.office().is_some())
        .ok_or(AppError::NotFound("sync"))?;
    let office = &ctx.office().expect("office").office;
    Ok(Json(OutboxView {
        counts: ctx.store.outbox_counts(office).await?,
        pending: ctx.store.outbox(OutboxState::Pending, 200).await?,
        sent: ctx.store.outbox(OutboxState::Sent, 200).await?,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ReceiptsQuery {
    /// Only this local record's receipt.
    record_id: Option<String>,
}

/// At an office node: what the central made of the packets sent (`GET`; the central answers
/// the node's signed `POST` on the same path). Carries national numbers, so it needs the
/// right to read persons and is audited like a read of them.
pub(super) async fn receipts<S: Store>(
    State(state): State<AppState<S>>,
    user: CurrentUser,
    Query(q): Query<ReceiptsQuery>,
) -> Result<Json<Vec<HeldReceipt>>, AppError> {
    user.read_persons(&state, Permission::ReadPerson).await?;
    let ctx = state
        .sync
        .as_deref()
        .filter(|c| c.office().is_some())
        .ok_or(AppError::NotFound("sync"))?;
    let ids = q.record_id.map(|r| vec![r]);
    let held = ctx.store.held_receipts(ids.as_deref(), 500).await?;
    let actor = user.user.actor();
    state
        .store
        .audit(NewAuditEntry {
            actor: actor.username.to_string(),
            office: actor.office.to_string(),
            action: "sync.receipts.read",
            subject: "sync_receipts".into(),
            detail: serde_json::json!({ "receipts": held.len() }),
        })
        .await?;
    Ok(Json(held))
}
