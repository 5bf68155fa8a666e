//! The central's sync endpoints for office nodes: enrolment, resumable uploads (after tus:
//! `POST` creates, `HEAD` tells the offset, `PATCH` appends at the offset), acknowledgements and
//! the signed downlink. None of them takes a user session: a node authenticates by its device
//! key (approved by an administrator) and every packet by its signature.

use axum::{
    Json,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::StreamExt;
use serde::Deserialize;
use sijil_core::OfficeCode;
use sijil_store::{ContactDelta, DeviceStatus, InboxState, NewDevice, Store, Via};

use sijil_sync::{DeviceKeyId, transfer::UploadReceiver};
use uuid::Uuid;

use crate::{
    AppError, AppState,
    json::ApiJson,
    sync::{
        SyncContext,
        client::{
            AckWire, EnrolResponse, PatchResponse, ReceiptsBody, ReceiptsRequest, SIGNATURE_HEADER,
        },
        ingest::{self, ingest_actor},
    },
};

/// The central's sync context, or 404 on a server that is not a central.
pub(super) fn central<S>(state: &AppState<S>) -> Result<&SyncContext, AppError> {
    state
        .sync
        .as_deref()
        .filter(|c| c.central().is_some())
        .ok_or(AppError::NotFound("sync"))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct EnrolRequest {
    office: String,
    public_key: String,
    #[serde(default)]
    label: String,
}

/// `POST /api/v1/sync/enrol`: an office node asks for its device key to be approved.
pub(super) async fn enrol<S: Store>(
    State(state): State<AppState<S>>,
    ApiJson(req): ApiJson<EnrolRequest>,
) -> Result<(StatusCode, Json<EnrolResponse>), AppError> {
    let ctx = central(&state)?;
    let office = OfficeCode::parse(&req.office)
        .map_err(|_| AppError::Malformed("office: not an office code".into()))?;
    let key: [u8; 32] = hex::decode(&req.public_key)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| AppError::Malformed("public_key: 64 hex digits".into()))?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&key)
        .map_err(|_| AppError::Malformed("public_key: not an Ed25519 key".into()))?;
    let label: String = req
        .label
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let device = ctx
        .store
        .request_device(
            NewDevice {
                key_id: DeviceKeyId::of(&key).to_string(),
                office,
                public_key: req.public_key.to_ascii_lowercase(),
                label,
            },
            &ingest_actor(),
        )
        .await?;
    let keys = ctx.central().expect("central").public();
    Ok((
        StatusCode::ACCEPTED,
        Json(EnrolResponse {
            key_id: device.key_id,
            status: device.status.as_str().into(),
            central: keys,
        }),
    ))
}

/// `GET /api/v1/sync/keys`: the central's public keys (also given at enrolment).
pub(super) async fn keys<S: Store>(
    State(state): State<AppState<S>>,
) -> Result<Json<crate::sync::CentralPublicKeys>, AppError> {
    let ctx = central(&state)?;
    Ok(Json(ctx.central().expect("central").public()))
}

fn tus_headers(resp: &mut Response, offset: u64, length: u64) {
    let h = resp.headers_mut();
    h.insert("tus-resumable", HeaderValue::from_static("1.0.0"));
    h.insert("upload-offset", HeaderValue::from(offset));
    h.insert("upload-length", HeaderValue::from(length));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn header_u64(headers: &HeaderMap, name: &str) -> Result<u64, AppError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::Malformed(format!("{name}: a whole number is required")))
}

/// `POST /api/v1/sync/uploads`: creates an upload for an approved device key.
pub(super) async fn create_upload<S: Store>(
    State(state): State<AppState<S>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let ctx = central(&state)?;
    let key_id = headers
        .get(crate::sync::client::DEVICE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let length = header_u64(&headers, "upload-length")?;
    UploadReceiver::new(length).map_err(|_| AppError::TooLarge)?;
    let device = ctx.store.device(&key_id).await?;
    match device {
        Some(d) if d.status == DeviceStatus::Approved => {
            record_node_contact(ctx, &headers).await?;
        }
        // Not enrolled, not yet approved, or revoked: nothing may be submitted.
        _ => return Err(AppError::Forbidden),
    }
    let id = ctx
        .store
        .create_upload(&key_id, length, &ingest_actor())
        .await?;
    let mut resp = StatusCode::CREATED.into_response();
    tus_headers(&mut resp, 0, length);
    resp.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(&format!("/api/v1/sync/uploads/{id}")).expect("ascii"),
    );
    Ok(resp)
}

/// Notes a contact from an approved node, with the backlog it reports (its packets waiting,
/// so operators see offices whose link is slow). Unknown or unapproved keys are ignored.
async fn record_node_contact(ctx: &SyncContext, headers: &HeaderMap) -> Result<(), AppError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let Some(key_id) = header(crate::sync::client::DEVICE_HEADER) else {
        return Ok(());
    };
    let Some(device) = ctx.store.device(key_id).await? else {
        return Ok(());
    };
    if device.status != DeviceStatus::Approved {
        return Ok(());
    }
    let pending = header(crate::sync::client::PENDING_HEADER)
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|n| *n >= 0);
    let delta = ContactDelta {
        pending,
        ..ContactDelta::default()
    };
    ctx.store
        .record_contact(device.office.as_str(), delta)
        .await?;
    Ok(())
}

fn upload_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound("upload"))
}

/// `HEAD /api/v1/sync/uploads/{id}`: where to resume.
pub(super) async fn upload_offset<S: Store>(
    State(state): State<AppState<S>>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let ctx = central(&state)?;
    let up = ctx.store.upload(upload_id(&id)?).await?;
    let mut resp = StatusCode::OK.into_response();
    tus_headers(&mut resp, up.offset, up.length);
    Ok(resp)
}

/// `PATCH /api/v1/sync/uploads/{id}`: bytes at `Upload-Offset`. The body is read as it comes:
/// each packet is applied as soon as its last byte arrives and the offset stored after it, so
/// a cut in the middle keeps everything before the cut.
pub(super) async fn upload_chunk<S: Store>(
    State(state): State<AppState<S>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let ctx = central(&state)?;
    let sync = state.sync.clone().expect("central");
    let id = upload_id(&id)?;
    let mut busy = ctx.upload_lock(id).lock_owned().await;
    let up = ctx.store.upload(id).await?;
    let office = ingest::office_of(ctx, &up.key_id).await;
    let office = office.as_ref().map_or("-", |o| o.as_str()).to_owned();
    let offset = header_u64(&headers, "upload-offset")?;
    let mut rx = UploadReceiver::resume(up.length, up.offset, up.partial)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored upload: {e}")))?;
    if offset != rx.offset() {
        let mut resp =
            AppError::Conflict(format!("the upload is at offset {}", rx.offset())).into_response();
        tus_headers(&mut resp, rx.offset(), up.length);
        return Ok(resp);
    }
    let mut acks = Vec::new();
    let mut stream = body.into_data_stream();
    let mut delta = ContactDelta::default();
    let mut refused = None;
    while let Some(next) = stream.next().await {
        let Ok(data) = next else {
            // The link was cut: keep what arrived, the office resumes from it.
            delta.failures += 1;
            break;
        };
        let at = rx.offset();
        let packets = match rx.accept(at, &data) {
            Ok(p) => p,
            Err(e) => {
                delta.failures += 1;
                refused = Some(e);
                break;
            }
        };
        // Applied in a task of its own, which finishes even if the request is dropped (a cut
        // connection, a timeout): a packet is never left half-applied by a cancellation. The
        // upload's lock goes with it, so a retry waits for it.
        let (state2, sync2) = (state.clone(), sync.clone());
        let (new_offset, partial) = (rx.offset(), rx.partial().to_vec());
        let task = tokio::spawn(async move {
            let mut acks = Vec::new();
            for p in packets {
                let ack = ingest::ingest_packet(&state2, &sync2, &p, Via::Upload).await?;
                // The offset acknowledges every packet before it; the answer names only those
                // that were not simply applied, so a 64 kbit/s downlink is not spent on them.
                if ack.status != ingest::AckStatus::Accepted {
                    acks.push(AckWire::from(&ack));
                }
            }
            sync2
                .store
                .save_upload(id, new_offset, &partial, &ingest_actor())
                .await?;
            Ok::<_, sijil_store::StoreError>((acks, busy))
        });
        let (done, guard) = task
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("ingest task: {e}")))??;
        busy = guard;
        acks.extend(done);
        delta.bytes += data.len() as i64;
    }
    drop(busy);
    ctx.store.record_contact(&office, delta).await?;
    if let Some(e) = refused {
        return Err(AppError::Malformed(format!("upload refused: {e}")));
    }
    let mut resp = Json(PatchResponse {
        offset: rx.offset(),
        acks,
    })
    .into_response();
    tus_headers(&mut resp, rx.offset(), up.length);
    Ok(resp)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AcksRequest {
    key_id: String,
    packet_ids: Vec<Uuid>,
}

/// `POST /api/v1/sync/acks`: which of these packets the central holds.
pub(super) async fn acks<S: Store>(
    State(state): State<AppState<S>>,
    ApiJson(req): ApiJson<AcksRequest>,
) -> Result<Json<Vec<AckWire>>, AppError> {
    let ctx = central(&state)?;
    if req.packet_ids.len() > 1000 {
        return Err(AppError::TooLarge);
    }
    let mut out = Vec::with_capacity(req.packet_ids.len());
    for id in req.packet_ids {
        // A sequence that cannot match (0) makes the lookup by packet id alone.
        let entry = ctx.store.inbox_entry(id, &req.key_id, 0).await?;
        let status = match entry.map(|e| e.state) {
            Some(InboxState::Accepted) => "accepted",
            Some(InboxState::Quarantined) => "quarantined",
            Some(InboxState::Applying) => "unknown",
            None if ctx.store.packet_quarantined(id).await? => "quarantined",
            None => "unknown",
        };
        out.push(AckWire {
            packet_id: Some(id),
            status: status.into(),
        });
    }
    Ok(Json(out))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct DownlinkQuery {
    /// The last version the node holds (0: everything).
    #[serde(default)]
    since: i64,
    /// What the node holds of the revocation list (`V:DIGEST`, `0`); absent from older nodes.
    revocation: Option<String>,
    /// What it holds of the alert list.
    alert: Option<String>,
}

/// How often a downlink request may make the central look for changed document lists.
const LISTS_REFRESH: std::time::Duration = std::time::Duration::from_secs(5);

/// `GET /api/v1/sync/downlink?since=N`: entries after version N, for an approved node (named by
/// `Sijil-Device-Key`): the JSON body signed with the central's downlink key
/// (`Sijil-Signature`, hex Ed25519 over the plain body), then sealed to the node's key.
pub(super) async fn downlink<S: Store>(
    State(state): State<AppState<S>>,
    Query(q): Query<DownlinkQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let ctx = central(&state)?;
    // The downlink carries the alert list: only an approved node may ask, and the answer is
    // sealed to its key.
    let key_id = headers
        .get(crate::sync::client::DEVICE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if !matches!(ctx.store.device(&key_id).await?, Some(d) if d.status == DeviceStatus::Approved) {
        return Err(AppError::Forbidden);
    }
    record_node_contact(ctx, &headers).await?;
    // Lists change with the registry (a card reported stolen, an alert lifted); publishing on
    // demand, at most every few seconds, needs no hook in every place that changes them.
    if let Err(e) = crate::sync::lists::publish(&state, LISTS_REFRESH).await {
        tracing::warn!(error = %e, "the document lists could not be published");
    }
    let held = crate::sync::list_deltas::ListsHeld {
        revocation: q.revocation,
        alert: q.alert,
    };
    let (sealed, sig) = crate::sync::downlink_answer(ctx, &key_id, q.since, &held).await?;
    let mut resp = ([(header::CONTENT_TYPE, "application/octet-stream")], sealed).into_response();
    resp.headers_mut()
        .insert(SIGNATURE_HEADER, HeaderValue::from_str(&sig).expect("hex"));
    Ok(resp)
}

/// `POST /api/v1/sync/receipts`: what the central made of a node's packets (linked to which
/// person's national number, new, in review, quarantined and why). The question must be
/// signed by an approved device key and names only that key's packets; the answer is signed
/// with the central's downlink key and sealed to the asking device (the numbers are personal
/// data, and the link may be watched).
pub(super) async fn receipts<S: Store>(
    State(state): State<AppState<S>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let ctx = central(&state)?;
    let req: ReceiptsRequest = serde_json::from_slice(&body)
        .map_err(|e| AppError::Malformed(format!("receipts request: {e}")))?;
    if req.packet_ids.len() > 1000 {
        return Err(AppError::TooLarge);
    }
    let sig: [u8; 64] = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| hex::decode(v).ok())
        .and_then(|v| v.try_into().ok())
        .ok_or(AppError::Forbidden)?;
    let device = ctx
        .store
        .device(&req.key_id)
        .await?
        .filter(|d| d.status == DeviceStatus::Approved)
        .ok_or(AppError::Forbidden)?;
    let key = ingest::parse_verifying_key(&device.public_key).ok_or(AppError::Forbidden)?;
    key.verify_strict(
        &sijil_sync::keys::request_message(&body),
        &ed25519_dalek::Signature::from_bytes(&sig),
    )
    .map_err(|_| AppError::Forbidden)?;
    let receipts = ctx
        .store
        .central_receipts(&req.key_id, &req.packet_ids)
        .await?;
    let answer = serde_json::to_vec(&ReceiptsBody { receipts }).expect("serialises");
    let sig = ctx
        .central()
        .expect("central")
        .sign_receipts(&body, &answer);
    let sealed = sijil_sync::downlink::seal_receipts(&key, &body, &answer);
    let mut resp = ([(header::CONTENT_TYPE, "application/octet-stream")], sealed).into_response();
    resp.headers_mut()
        .insert(SIGNATURE_HEADER, HeaderValue::from_str(&sig).expect("hex"));
    Ok(resp)
}
