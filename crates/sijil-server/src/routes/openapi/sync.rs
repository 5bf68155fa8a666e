//! Operations of sync between office nodes and the central (see `docs/sync.md`): the nodes'
//! endpoints (device keys, no session; uploads follow tus: `POST` creates, `HEAD` tells the
//! offset, `PATCH` appends) and the administrators' views. Each function only carries its
//! `#[utoipa::path]`; the handlers are in `routes/sync.rs` and `routes/sync_admin.rs`.

#![allow(dead_code)] // Carriers for the path attributes, never called.

use sijil_store::{Device, HeldReceipt, OfficeContact, Quarantined};
use utoipa::OpenApi;

use crate::{
    routes::{sync as node, sync_admin as admin},
    sync::{
        CentralPublicKeys,
        client::{AckWire, EnrolResponse, PatchResponse, ReceiptsRequest},
    },
};

#[derive(OpenApi)]
#[openapi(paths(
    sync_keys,
    sync_enrol,
    sync_create_upload,
    sync_upload_offset,
    sync_upload_chunk,
    sync_acks,
    sync_receipts_question,
    sync_receipts,
    sync_downlink,
    sync_devices,
    sync_decide_device,
    sync_quarantine,
    sync_resolve_quarantine,
    sync_offices,
    sync_outbox,
))]
pub(super) struct Sync;

#[utoipa::path(get, path = "/api/v1/sync/keys", tag = "sync", operation_id = "sync_keys",
    summary = "The central's public keys (packet encryption, downlink signatures)",
    responses((status = 200, description = "the keys, hex", body = CentralPublicKeys)))]
fn sync_keys() {}

#[utoipa::path(post, path = "/api/v1/sync/enrol", tag = "sync", operation_id = "sync_enrol",
    summary = "An office node asks for its device key to be approved",
    request_body = node::EnrolRequest,
    responses((status = 202, description = "the key's state (`requested` until approved)", body = EnrolResponse)))]
fn sync_enrol() {}

#[utoipa::path(post, path = "/api/v1/sync/uploads", tag = "sync", operation_id = "sync_create_upload",
    summary = "Create a resumable upload of sealed packets",
    params(
        ("Sijil-Device-Key" = String, Header, description = "the approved device key's id"),
        ("Upload-Length" = u64, Header, description = "total bytes"),
    ),
    responses((status = 201, description = "created",
        headers(
            ("Location" = String, description = "the upload's path, for `HEAD` and `PATCH`"),
            ("Upload-Offset" = u64, description = "0"),
            ("Upload-Length" = u64, description = "total bytes"),
        ))))]
fn sync_create_upload() {}

#[utoipa::path(head, path = "/api/v1/sync/uploads/{id}", tag = "sync", operation_id = "sync_upload_offset",
    summary = "Where to resume an upload (`Upload-Offset`, `Upload-Length`)",
    params(("id" = uuid::Uuid, Path, description = "the upload")),
    responses((status = 200, description = "where the central stands",
        headers(
            ("Upload-Offset" = u64, description = "bytes received and kept: resume here"),
            ("Upload-Length" = u64, description = "total bytes"),
        ))))]
fn sync_upload_offset() {}

#[utoipa::path(patch, path = "/api/v1/sync/uploads/{id}", tag = "sync", operation_id = "sync_upload_chunk",
    summary = "Append bytes at `Upload-Offset`; each packet is applied as its last byte arrives",
    params(
        ("id" = uuid::Uuid, Path, description = "the upload"),
        ("Upload-Offset" = u64, Header, description = "where these bytes start"),
    ),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses(
        (status = 200, description = "the new offset, and packets not simply applied", body = PatchResponse,
            headers(("Upload-Offset" = u64, description = "the new offset"))),
        (status = 409, description = "`Upload-Offset` is not where the upload stands (`conflict`); \
            the header says where it does", body = super::schemas::Error,
            headers(("Upload-Offset" = u64, description = "where to resume"))),
    ))]
fn sync_upload_chunk() {}

#[utoipa::path(post, path = "/api/v1/sync/acks", tag = "sync", operation_id = "sync_acks",
    summary = "Which of these packets the central holds",
    request_body = node::AcksRequest,
    responses((status = 200, description = "one status per packet", body = Vec<AckWire>)))]
fn sync_acks() {}

#[utoipa::path(post, path = "/api/v1/sync/receipts", tag = "sync", operation_id = "sync_receipts_question",
    summary = "What the central made of a node's packets (signed question, sealed answer)",
    description = "The question is signed by the device key (`Sijil-Signature`, hex Ed25519); the \
        answer is signed with the central's downlink key and sealed (HPKE) to the device, since it \
        carries national numbers.",
    params(("Sijil-Signature" = String, Header, description = "hex Ed25519 signature of the question")),
    request_body = ReceiptsRequest,
    responses((status = 200, description = "the sealed answer", content_type = "application/octet-stream", body = Vec<u8>)))]
fn sync_receipts_question() {}

#[utoipa::path(get, path = "/api/v1/sync/receipts", tag = "sync", operation_id = "sync_receipts",
    summary = "At an office node: what the central made of the packets sent (audited read)",
    params(admin::ReceiptsQuery),
    responses((status = 200, description = "receipts held", body = Vec<HeldReceipt>)))]
fn sync_receipts() {}

#[utoipa::path(get, path = "/api/v1/sync/downlink", tag = "sync", operation_id = "sync_downlink",
    summary = "Reference data after a version: signed (`Sijil-Signature`), then sealed to the node",
    params(node::DownlinkQuery, ("Sijil-Device-Key" = String, Header, description = "the approved device key's id")),
    responses((status = 200, description = "the sealed entries", content_type = "application/octet-stream", body = Vec<u8>)))]
fn sync_downlink() {}

#[utoipa::path(get, path = "/api/v1/sync/devices", tag = "sync", operation_id = "sync_devices",
    summary = "Office nodes' device keys and their state",
    responses((status = 200, description = "devices", body = Vec<Device>)))]
fn sync_devices() {}

#[utoipa::path(post, path = "/api/v1/sync/devices/{key_id}/{decision}", tag = "sync",
    operation_id = "sync_decide_device",
    summary = "Approve or revoke a device key, or set what it may submit (audited)",
    params(
        ("key_id" = String, Path, description = "the device key's id"),
        ("decision" = String, Path, description = "`approve`, `revoke` or `scope`",
            pattern = "^(approve|revoke|scope)$"),
        admin::ScopeQuery,
    ),
    responses((status = 200, description = "the device", body = Device)))]
fn sync_decide_device() {}

#[utoipa::path(get, path = "/api/v1/sync/quarantine", tag = "sync", operation_id = "sync_quarantine",
    summary = "Packets that failed a check, with their reasons (never dropped)",
    params(admin::QuarantineQuery),
    responses((status = 200, description = "quarantined packets", body = Vec<Quarantined>)))]
fn sync_quarantine() {}

#[utoipa::path(post, path = "/api/v1/sync/quarantine/{id}/resolve", tag = "sync",
    operation_id = "sync_resolve_quarantine",
    summary = "Discard a quarantined packet, or release it through every check again (audited)",
    params(("id" = uuid::Uuid, Path, description = "the quarantine entry")),
    request_body = admin::ResolveRequest,
    responses((status = 200, description = "the entry, and for a release the new attempt", body = admin::Resolved)))]
fn sync_resolve_quarantine() {}

#[utoipa::path(get, path = "/api/v1/sync/offices", tag = "sync", operation_id = "sync_offices",
    summary = "Each office's last contact and reported backlog",
    responses((status = 200, description = "contacts", body = Vec<OfficeContact>)))]
fn sync_offices() {}

#[utoipa::path(get, path = "/api/v1/sync/outbox", tag = "sync", operation_id = "sync_outbox",
    summary = "At an office node: what waits to be sent, and what was sent",
    responses((status = 200, description = "the outbox", body = admin::OutboxView)))]
fn sync_outbox() {}
