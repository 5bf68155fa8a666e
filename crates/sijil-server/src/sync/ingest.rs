//! The central's ingest: every packet is applied exactly once, or quarantined with its reason.
//!
//! Order of checks for one packet: header syntax; the inbox (a packet already taken is
//! acknowledged again and changes nothing; another packet reusing a taken sequence is a
//! replay); the device key (known, approved, not revoked, of the header's office), decryption
//! and signature ([`SealedPacket::open`]); the series ([`Received`]); validation of the record
//! by the central's own rules; then registration.
//!
//! Exactly once across crashes: the packet is first *claimed* in the inbox (with the device's
//! new series state, one transaction), then registered, then marked accepted. If the central
//! dies between claim and accept, the office gets no acknowledgement and sends the packet
//! again; the claim is found, and the record is registered only if it is not already stored
//! (its record id is unique).

use std::collections::HashMap;

use serde::Serialize;
use sijil_core::{Capture, OfficeCode, PersonRecord};
use sijil_store::{
    Actor, ContactDelta, DeviceStatus, InboxClaim, InboxState, NewQuarantine, Registration, Store,
    StoreError, StoreResult, Via,
};
use sijil_sync::{
    Decision, DeviceKey, OpenError, Received, SealedPacket, packet::MAX_PACKET_BYTES,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::SyncContext;
use crate::AppState;

/// What the central did with one packet: the acknowledgement the office gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Ack {
    /// The packet's id, when its header could be read.
    pub packet_id: Option<Uuid>,
    /// Its sequence, when its header could be read.
    pub sequence: Option<u64>,
    /// What happened.
    pub status: AckStatus,
    /// The quarantine reason code, if quarantined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// What happened to a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AckStatus {
    /// Applied now.
    Accepted,
    /// Applied before; nothing changed.
    Duplicate,
    /// Kept in quarantine for an administrator.
    Quarantined,
}

/// The one place a packet's registration enters the registry. When the registration service
/// with identity resolution lands (`service::register_capture`), this body becomes that call.
async fn apply_registration<S: Store>(
    state: &AppState<S>,
    record: PersonRecord,
    capture: Capture,
    actor: &Actor,
) -> StoreResult<Registration> {
    crate::service::register_capture(state, record, capture, actor).await
}

/// The actor the central's ingest writes as.
pub fn ingest_actor() -> Actor {
    Actor::system(sijil_store::bootstrap::central_office_code())
}

/// Every quarantine reason code the central writes (screens translate each one).
pub const REASON_CODES: [&str; 17] = [
    "truncated",
    "malformed",
    "unsupported_version",
    "oversize",
    "unknown_key",
    "revoked_key",
    "foreign_key",
    "decryption",
    "bad_signature",
    "header_mismatch",
    "malformed_payload",
    "replay",
    "out_of_range",
    "record_exists",
    "validation",
    "registration",
    "out_of_scope",
];

/// A short code for a refusal (stored with the packet, translated on screens).
pub fn reason_code(e: &OpenError) -> &'static str {
    match e {
        OpenError::Truncated => "truncated",
        OpenError::Malformed(_) => "malformed",
        OpenError::UnsupportedVersion(_) => "unsupported_version",
        OpenError::Oversize { .. } => "oversize",
        OpenError::UnknownKey(_) => "unknown_key",
        OpenError::RevokedKey(_) => "revoked_key",
        OpenError::ForeignKey { .. } => "foreign_key",
        OpenError::Decryption => "decryption",
        OpenError::BadSignature => "bad_signature",
        OpenError::HeaderMismatch(_) => "header_mismatch",
        OpenError::Payload(_) => "malformed_payload",
        _ => "refused",
    }
}

/// Takes in one packet: applies it, acknowledges a duplicate, or quarantines it. Errors are
/// only the store's own failures (the packet is then neither acknowledged nor quarantined, and
/// the office sends it again).
pub async fn ingest_packet<S: Store>(
    state: &AppState<S>,
    ctx: &SyncContext,
    bytes: &[u8],
    via: Via,
) -> StoreResult<Ack> {
    let keys = ctx
        .central()
        .ok_or(StoreError::NotFound("central sync keys"))?;
    let actor = ingest_actor();
    let sealed = match SealedPacket::parse(bytes) {
        Ok(p) => p,
        Err(e) => {
            return quarantine(ctx, via, None, reason_code(&e), e.to_string(), bytes).await;
        }
    };
    let h = sealed.header().clone();
    let packet_id = Uuid::from_bytes(h.id.0);
    let key_hex = h.key_id.to_string();
    let _guard = ctx.ingest_lock.lock().await;

    let existing = ctx
        .store
        .inbox_entry(packet_id, &key_hex, h.sequence)
        .await?;
    if let Some(e) = &existing {
        if e.packet_id != packet_id {
            let reason = format!(
                "sequence {} of key {key_hex} was already used by packet {}",
                h.sequence, e.packet_id
            );
            return quarantine(ctx, via, Some(&sealed), "replay", reason, bytes).await;
        }
        if e.state != InboxState::Applying {
            ctx.store
                .record_contact(h.office.as_str(), ContactDelta::duplicate())
                .await?;
            return Ok(ack(&sealed, AckStatus::Duplicate, None));
        }
    }

    let device = ctx.store.device(&key_hex).await?;
    let mut directory = HashMap::new();
    if let Some(d) = &device
        && d.status != DeviceStatus::Requested
        && let Some(key) = parse_verifying_key(&d.public_key)
    {
        directory.insert(
            h.key_id.clone(),
            DeviceKey {
                office: d.office.clone(),
                key,
                revoked: d.status == DeviceStatus::Revoked,
            },
        );
    }
    let open = match sealed.open(&keys.hpke, &directory) {
        Ok(open) => open,
        Err(e) => {
            return quarantine(
                ctx,
                via,
                Some(&sealed),
                reason_code(&e),
                e.to_string(),
                bytes,
            )
            .await;
        }
    };
    let device = device.expect("opened, so the key is known");
    // What an administrator allowed this device to submit (checked once the packet is known to
    // be its own). Every packet today is a registration.
    if !super::scope_allows(&device.scope, "register") {
        let reason = format!(
            "the device's scope {:?} does not allow registrations",
            device.scope
        );
        return quarantine(ctx, via, Some(&sealed), "out_of_scope", reason, bytes).await;
    }
    let registration = open.into_registration();
    let record_id = registration.record.record_id.clone();

    // The central's own rules, as for a clerk's registration here.
    let record = match registration
        .record
        .to_row()
        .validate(OffsetDateTime::now_utc().date())
    {
        Ok(r) => r,
        Err(v) => {
            let fields: Vec<&str> = v.0.iter().map(|f| f.field.as_str()).collect();
            let reason = format!("record fails validation: {}", fields.join(", "));
            return quarantine(ctx, via, Some(&sealed), "validation", reason, bytes).await;
        }
    };

    let recovering = existing.is_some();
    if recovering {
        // Claimed before a crash: finish it, registering only if that did not happen.
        if !state
            .store
            .existing_record_ids(std::slice::from_ref(&record_id))
            .await?
            .is_empty()
        {
            ctx.store
                .finish_inbox(packet_id, InboxState::Accepted, None, &actor)
                .await?;
            ctx.store
                .record_contact(h.office.as_str(), ContactDelta::applied())
                .await?;
            return Ok(ack(&sealed, AckStatus::Accepted, None));
        }
    } else {
        let mut received =
            Received::from_parts(device.received_contiguous, device.received_ahead.clone())
                .ok_or_else(|| StoreError::Corrupt(format!("series state of key {key_hex}")))?;
        match received.decide(h.sequence) {
            Decision::Accept | Decision::Gap { .. } => {
                received.mark(h.sequence);
            }
            Decision::Duplicate => {
                let reason = format!("sequence {} was already applied", h.sequence);
                return quarantine(ctx, via, Some(&sealed), "replay", reason, bytes).await;
            }
            Decision::OutOfRange => {
                let reason = format!("sequence {} is out of range", h.sequence);
                return quarantine(ctx, via, Some(&sealed), "out_of_range", reason, bytes).await;
            }
        }
        if !state
            .store
            .existing_record_ids(std::slice::from_ref(&record_id))
            .await?
            .is_empty()
        {
            let reason = "its record id is already registered by another packet".to_owned();
            return quarantine(ctx, via, Some(&sealed), "record_exists", reason, bytes).await;
        }
        ctx.store
            .claim_inbox(
                InboxClaim {
                    packet_id,
                    key_id: key_hex.clone(),
                    sequence: h.sequence,
                    office: h.office.clone(),
                    record_id,
                    via,
                    bytes: bytes.len(),
                    received: (received.contiguous(), received.ahead().collect()),
                },
                &actor,
            )
            .await?;
    }

    match apply_registration(state, record, registration.capture, &actor).await {
        Ok(r) => {
            ctx.store
                .finish_inbox(packet_id, InboxState::Accepted, Some(r.record_uuid), &actor)
                .await?;
            ctx.store
                .record_contact(h.office.as_str(), ContactDelta::applied())
                .await?;
            Ok(ack(&sealed, AckStatus::Accepted, None))
        }
        Err(e @ (StoreError::Invalid(_) | StoreError::Conflict(_))) => {
            ctx.store
                .finish_inbox(packet_id, InboxState::Quarantined, None, &actor)
                .await?;
            quarantine(
                ctx,
                via,
                Some(&sealed),
                "registration",
                e.to_string(),
                bytes,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub(crate) fn parse_verifying_key(hex_key: &str) -> Option<ed25519_dalek::VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_key).ok()?.try_into().ok()?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok()
}

fn ack(p: &SealedPacket, status: AckStatus, reason: Option<&'static str>) -> Ack {
    Ack {
        packet_id: Some(Uuid::from_bytes(p.header().id.0)),
        sequence: Some(p.header().sequence),
        status,
        reason,
    }
}

async fn quarantine(
    ctx: &SyncContext,
    via: Via,
    packet: Option<&SealedPacket>,
    code: &'static str,
    reason: String,
    bytes: &[u8],
) -> StoreResult<Ack> {
    let h = packet.map(|p| p.header());
    tracing::warn!(reason = code, "packet quarantined");
    ctx.store
        .quarantine(
            NewQuarantine {
                via,
                office: h.map(|h| h.office.to_string()),
                key_id: h.map(|h| h.key_id.to_string()),
                packet_id: h.map(|h| Uuid::from_bytes(h.id.0)),
                sequence: h.map(|h| h.sequence),
                reason_code: code,
                reason,
                bytes: bytes.to_vec(),
            },
            &ingest_actor(),
        )
        .await?;
    if let Some(h) = h {
        ctx.store
            .record_contact(h.office.as_str(), ContactDelta::quarantined())
            .await?;
    }
    Ok(match packet {
        Some(p) => ack(p, AckStatus::Quarantined, Some(code)),
        None => Ack {
            packet_id: None,
            sequence: None,
            status: AckStatus::Quarantined,
            reason: Some(code),
        },
    })
}

/// Splits a batch file (length-prefixed sealed packets, as uploads carry them) into packets.
/// A damaged tail (an impossible length, or a last frame cut short) comes back as the bytes
/// that could not be framed, to be quarantined whole.
pub fn split_frames(data: &[u8]) -> (Vec<&[u8]>, Option<&[u8]>) {
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let Some(head) = data.get(at..at + 4) else {
            return (out, Some(&data[at..]));
        };
        let len = u32::from_be_bytes(head.try_into().expect("4 bytes")) as usize;
        if len == 0 || len > MAX_PACKET_BYTES || at + 4 + len > data.len() {
            return (out, Some(&data[at..]));
        }
        out.push(&data[at + 4..at + 4 + len]);
        at += 4 + len;
    }
    (out, None)
}

/// Counts of one file import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Applied now.
    pub accepted: usize,
    /// Already applied before.
    pub duplicates: usize,
    /// Quarantined (a damaged tail counts as one).
    pub quarantined: usize,
}

/// Takes in a batch file carried by hand: the same checks and the same exactly-once as an
/// upload.
pub async fn ingest_file<S: Store>(
    state: &AppState<S>,
    ctx: &SyncContext,
    data: &[u8],
) -> StoreResult<ImportSummary> {
    let (frames, tail) = split_frames(data);
    let mut s = ImportSummary::default();
    for frame in frames {
        match ingest_packet(state, ctx, frame, Via::File).await?.status {
            AckStatus::Accepted => s.accepted += 1,
            AckStatus::Duplicate => s.duplicates += 1,
            AckStatus::Quarantined => s.quarantined += 1,
        }
    }
    if let Some(tail) = tail {
        quarantine(
            ctx,
            Via::File,
            None,
            "truncated",
            "the file ends inside a packet".into(),
            tail,
        )
        .await?;
        s.quarantined += 1;
    }
    Ok(s)
}

/// The office named by a device key, for contact counters of refused transfers.
pub(crate) async fn office_of(ctx: &SyncContext, key_id: &str) -> Option<OfficeCode> {
    ctx.store
        .device(key_id)
        .await
        .ok()
        .flatten()
        .map(|d| d.office)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_and_a_cut_tail_is_kept_apart() {
        let mut data = Vec::new();
        for p in [&b"abc"[..], b"de"] {
            data.extend_from_slice(&(p.len() as u32).to_be_bytes());
            data.extend_from_slice(p);
        }
        assert_eq!(split_frames(&data), (vec![&b"abc"[..], b"de"], None));
        let cut = &data[..data.len() - 1];
        assert_eq!(split_frames(cut), (vec![&b"abc"[..]], Some(&data[7..12])));
        assert_eq!(split_frames(&[0, 0]), (vec![], Some(&[0u8, 0][..])));
    }
}
