//! Sync pages. At the central, administrators approve or revoke office device keys, decide on
//! quarantined packets, and see each office's last contact and counters. At an office node,
//! everyone sees what waits to be sent.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use sijil_core::Permission;
use sijil_store::{
    Device, DeviceStatus, HeldReceipt, OfficeContact, OutboxCounts, OutboxPacket, OutboxState,
    Quarantined, ReceiptOutcome, Resolution, Store, Via,
};
use uuid::Uuid;

use super::{Ctx, WebError, WebUser, forms::FormData, html, person::when};
use crate::{AppState, sync::ingest};

#[derive(Template)]
#[template(path = "sync.html")]
struct SyncPage {
    ctx: Ctx,
    central: bool,
    devices: Vec<Device>,
    quarantined: Vec<Quarantined>,
    contacts: Vec<OfficeContact>,
    counts: OutboxCounts,
    packets: Vec<OutboxPacket>,
    /// At an office: the central's latest receipts (people with the right to read persons).
    receipts: Vec<HeldReceipt>,
}

impl SyncPage {
    fn at(&self, t: &time::OffsetDateTime) -> String {
        when(*t)
    }

    fn status(&self, d: &Device) -> String {
        self.ctx.t.code("device", d.status.as_str())
    }

    fn requested(&self, d: &Device) -> bool {
        d.status == DeviceStatus::Requested
    }

    fn approved(&self, d: &Device) -> bool {
        d.status == DeviceStatus::Approved
    }

    fn state(&self, p: &OutboxPacket) -> String {
        self.ctx.t.code("outbox", p.state.as_str())
    }

    fn outcome(&self, r: &HeldReceipt) -> String {
        self.ctx.t.code("receipt", r.receipt.outcome.as_str())
    }

    /// The central's number, or the quarantine reason.
    fn central_detail(&self, r: &HeldReceipt) -> String {
        match (&r.receipt.national_number, &r.receipt.reason_code) {
            (Some(n), _) => n.to_string(),
            (None, Some(code)) if r.receipt.outcome == ReceiptOutcome::Quarantined => {
                self.ctx.t.code("reason", code)
            }
            _ => String::new(),
        }
    }
}

/// What the person page at an office says of a record sent to the central: its outcome there
/// and the central's number or quarantine reason.
pub(super) fn receipt_line(t: &super::i18n::Tr, r: &HeldReceipt) -> String {
    let outcome = t.code("receipt", r.receipt.outcome.as_str());
    let detail = match (&r.receipt.national_number, &r.receipt.reason_code) {
        (Some(n), _) => n.to_string(),
        (None, Some(code)) => t.code("reason", code),
        _ => String::new(),
    };
    format!("{} · {outcome} {detail}", r.record_id)
        .trim_end()
        .to_owned()
}

pub(super) async fn page<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
) -> Result<Response, WebError> {
    let ctx = state.sync.as_deref().ok_or(WebError::NotFound)?;
    let mut page = SyncPage {
        ctx: user.ctx(),
        central: ctx.central().is_some(),
        devices: vec![],
        quarantined: vec![],
        contacts: vec![],
        counts: OutboxCounts::default(),
        packets: vec![],
        receipts: vec![],
    };
    if let Some(node) = ctx.office() {
        page.counts = ctx.store.outbox_counts(&node.office).await?;
        page.packets = ctx.store.outbox(OutboxState::Pending, 100).await?;
        page.packets
            .extend(ctx.store.outbox(OutboxState::Sent, 100).await?);
        if user.user.role.allows(Permission::ReadPerson) {
            page.receipts = ctx.store.held_receipts(None, 100).await?;
        }
    } else {
        // Administrators of another office see their own office's devices and contacts;
        // deciding on devices and quarantined packets is the central's.
        user.require(Permission::ManageOffices)?;
        let scope = user.scope();
        page.devices = ctx.store.devices().await?;
        page.devices.retain(|d| scope.covers(&d.office));
        page.contacts = ctx.store.contacts().await?;
        page.contacts.retain(|c| scope.covers_code(&c.office));
        if scope.is_national() {
            page.quarantined = ctx.store.quarantined(false, 200).await?;
        }
    }
    html(&page)
}

/// Approve or revoke a device key.
pub(super) async fn decide_device<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path((key_id, decision)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, WebError> {
    user.require_national(Permission::ManageOffices)?;
    user.check_csrf(form.csrf())?;
    let ctx = state
        .sync
        .as_deref()
        .filter(|c| c.central().is_some())
        .ok_or(WebError::NotFound)?;
    let status = match decision.as_str() {
        "approve" => DeviceStatus::Approved,
        "revoke" => DeviceStatus::Revoked,
        _ => return Err(WebError::NotFound),
    };
    ctx.store
        .decide_device(&key_id, status, &user.user.actor())
        .await?;
    Ok(Redirect::to("/sync").into_response())
}

/// Discard or release a quarantined packet (audited; a release runs every check again).
pub(super) async fn resolve<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
    Path((id, decision)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, WebError> {
    user.require_national(Permission::ManageOffices)?;
    user.check_csrf(form.csrf())?;
    let ctx = state
        .sync
        .as_deref()
        .filter(|c| c.central().is_some())
        .ok_or(WebError::NotFound)?;
    let id = Uuid::parse_str(&id).map_err(|_| WebError::NotFound)?;
    let resolution = match decision.as_str() {
        "discard" => Resolution::Discarded,
        "release" => Resolution::Released,
        _ => return Err(WebError::NotFound),
    };
    let note: String = form.get("note").chars().take(500).collect();
    let q = ctx
        .store
        .resolve_quarantine(id, resolution, &note, &user.user.actor())
        .await?;
    if resolution == Resolution::Released {
        let bytes = ctx.store.quarantined_bytes(id).await?;
        let via = if q.via == "file" {
            Via::File
        } else {
            Via::Upload
        };
        ingest::ingest_packet(&state, ctx, &bytes, via).await?;
    }
    Ok(Redirect::to("/sync").into_response())
}

#[cfg(test)]
mod tests {
    use super::super::i18n::{Lang, Tr};
    use crate::sync::ingest::REASON_CODES;

    #[test]
    fn every_sync_code_shown_on_the_page_has_a_message_in_both_languages() {
        let families: [(&str, &[&str]); 4] = [
            ("reason", &REASON_CODES),
            ("device", &["requested", "approved", "revoked"]),
            ("outbox", &["pending", "sent", "acknowledged"]),
            (
                "receipt",
                &["pending", "linked", "new", "review", "quarantined"],
            ),
        ];
        for lang in [Lang::Ar, Lang::En] {
            for (prefix, codes) in families {
                for code in codes {
                    let shown = Tr(lang).code(prefix, code);
                    assert_ne!(&shown, code, "{lang:?} lacks {prefix}-{code}");
                }
            }
        }
    }
}
