//! The office node's side: seal local registrations into the outbox, push the outbox to the
//! central when it can be reached, pull the downlink, and keep doing it with backoff.
//!
//! The outbox is filled from the registry itself: every source record captured at this
//! office without a packet gets one. So the registration path needs no hook, and a crash
//! between "registered" and "sealed" loses nothing: the next pass seals what is missing.
//! Marking follows the central's word only: a packet becomes `sent` when it goes on the wire
//! and `acknowledged` when the central's upload offset passes it (the central moves its offset
//! only after applying or quarantining every packet before it). A `sent` packet that was
//! never acknowledged is simply sent again.

use std::time::Duration;

use ed25519_dalek::Verifier;
use sijil_store::{Actor, NewOutboxPacket, OutboxState, StoreError, SyncStore};
use sijil_sync::{
    CentralPublicKey, PacketHeader, PacketId, Registration, SealedPacket,
    transfer::{UploadSender, next_request_size},
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    CentralPublicKeys, SyncContext,
    client::{CentralClient, ClientError, DownlinkBody, ReceiptsBody, ReceiptsRequest},
    downlink_message, receipts_message,
};

/// Setting: the central's public keys (JSON), learnt at enrolment.
pub const SETTING_CENTRAL_KEYS: &str = "central_keys";
/// Setting: the last downlink version stored.
pub const SETTING_DOWNLINK_VERSION: &str = "downlink_version";

/// Why a sync pass stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The central could not be reached or refused.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// This node has not enrolled (no central keys yet).
    #[error("this office node is not enrolled: run `sijil office enrol`")]
    NotEnrolled,
    /// A receipts answer did not open for this device or its signature did not verify.
    #[error("the receipts answer does not open for this device or its signature does not verify")]
    BadReceipts,
    /// The central's keys changed since enrolment.
    #[error("the central's keys differ from those recorded at enrolment; refusing to trust them")]
    KeysChanged,
    /// A downlink answer did not open for this node or its signature did not verify.
    #[error("the downlink answer does not open or its signature does not verify")]
    BadDownlink,
    /// Not an office node.
    #[error("not an office node")]
    NotOffice,
}

/// The smallest request after cuts shrank them (2 s of a 64 kbit/s link).
const MIN_REQUEST: usize = 16 * 1024;

/// Tuning of the push.
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// Packets per upload. Each upload costs a round trip to create and one for its last
    /// answer, so it is large: a day's backlog of an office goes up in a few.
    pub batch: u32,
    /// Bytes per `PATCH`. Large, because each request waits a round trip for its answer; the
    /// central applies packets as they stream and stores its offset after each, so a cut
    /// keeps everything that arrived whatever the request's size.
    pub chunk: usize,
    /// How many resumes in a row without progress before the pass gives up.
    pub resume_attempts: u32,
    /// Base pause between resumes that made no progress (doubled each time). The first
    /// resume after progress does not wait: on a link that was up a moment ago a cut is most
    /// likely just that, and every second waited is link time lost.
    pub resume_pause: Duration,
}

impl Default for PushConfig {
    fn default() -> Self {
        Self {
            batch: 5000,
            chunk: 256 * 1024,
            resume_attempts: 5,
            resume_pause: Duration::from_millis(500),
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Packets sealed.
    pub sealed: usize,
    /// Packets now acknowledged.
    pub acknowledged: u64,
    /// Bytes the central confirmed.
    pub bytes: u64,
    /// Cuts survived.
    pub resumes: u32,
}

/// The office node's actor for its own sync writes.
pub fn sync_actor(ctx: &SyncContext) -> Result<Actor, SyncError> {
    let node = ctx.office().ok_or(SyncError::NotOffice)?;
    Ok(Actor::system(node.office.clone()))
}

/// The central's keys recorded at enrolment.
pub async fn central_keys(store: &dyn SyncStore) -> Result<CentralPublicKeys, SyncError> {
    let text = store
        .sync_setting(SETTING_CENTRAL_KEYS)
        .await?
        .ok_or(SyncError::NotEnrolled)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()).into())
}

/// Asks the central to enrol this node's device key and records the central's keys (trust on
/// first use: later answers must carry the same keys). Returns the enrolment status.
pub async fn enrol(
    ctx: &SyncContext,
    client: &CentralClient,
    label: &str,
) -> Result<String, SyncError> {
    let node = ctx.office().ok_or(SyncError::NotOffice)?;
    let public = hex::encode(node.device.verifying_key().as_bytes());
    let resp = client.enrol(node.office.as_str(), &public, label).await?;
    if resp.central.parse().is_none() {
        return Err(ClientError::Protocol("the central's keys do not parse".into()).into());
    }
    match central_keys(ctx.store.as_ref()).await {
        Ok(known) if known != resp.central => return Err(SyncError::KeysChanged),
        Ok(_) => {}
        Err(SyncError::NotEnrolled) => {
            let json = serde_json::to_string(&resp.central).expect("serialises");
            ctx.store
                .set_sync_setting(SETTING_CENTRAL_KEYS, &json, &sync_actor(ctx)?)
                .await?;
        }
        Err(e) => return Err(e),
    }
    Ok(resp.status)
}

/// Seals every local record without a packet into the outbox; returns how many.
pub async fn seal_pending(
    ctx: &SyncContext,
    central: &CentralPublicKey,
) -> Result<usize, SyncError> {
    let node = ctx.office().ok_or(SyncError::NotOffice)?;
    let actor = sync_actor(ctx)?;
    let key_hex = node.device.id().to_string();
    let mut total = 0;
    loop {
        let records = ctx.store.unsealed_records(&node.office, 500).await?;
        if records.is_empty() {
            return Ok(total);
        }
        let mut sequence = ctx.store.next_sequence(&key_hex).await?;
        let now = OffsetDateTime::now_utc();
        let mut batch = Vec::with_capacity(records.len());
        for r in records {
            let header = PacketHeader {
                id: PacketId::new(now),
                office: node.office.clone(),
                sequence,
                created_at: now,
                key_id: node.device.id().clone(),
            };
            let registration = Registration {
                record: r.record,
                capture: r.capture,
            };
            match SealedPacket::seal(header, &registration, &node.device, central) {
                Ok(p) => {
                    batch.push(NewOutboxPacket {
                        record_seq: r.record_seq,
                        key_id: key_hex.clone(),
                        sequence,
                        packet_id: Uuid::from_bytes(p.header().id.0),
                        bytes: p.as_bytes().to_vec(),
                    });
                    sequence += 1;
                }
                Err(e) => {
                    // Stays unsealed and visible as such; an operator must look at it.
                    tracing::error!(record_seq = r.record_seq, error = %e, "cannot seal a record");
                }
            }
        }
        if batch.is_empty() {
            return Ok(total);
        }
        total += batch.len();
        ctx.store.add_to_outbox(batch, &actor).await?;
    }
}

/// One pass: seal, settle packets already sent, upload the pending ones (resuming after cuts),
/// pull the downlink.
pub async fn push_once(
    ctx: &SyncContext,
    client: &CentralClient,
    config: &PushConfig,
) -> Result<PushReport, SyncError> {
    let node = ctx.office().ok_or(SyncError::NotOffice)?;
    let actor = sync_actor(ctx)?;
    let (central, _) = central_keys(ctx.store.as_ref())
        .await?
        .parse()
        .ok_or(SyncError::NotEnrolled)?;
    let key_hex = node.device.id().to_string();
    let mut report = PushReport {
        sealed: seal_pending(ctx, &central).await?,
        ..PushReport::default()
    };

    loop {
        // Packets already on the wire once (their answer was lost, or the node restarted)
        // go again first: a duplicate costs the central nothing, a loss is not allowed.
        let mut pending = ctx.store.outbox(OutboxState::Sent, config.batch).await?;
        let room = config.batch.saturating_sub(pending.len() as u32);
        pending.extend(ctx.store.outbox(OutboxState::Pending, room).await?);
        if pending.is_empty() {
            break;
        }
        let packets = pending
            .iter()
            .map(|p| SealedPacket::parse(&p.bytes))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Corrupt(format!("outbox packet: {e}")))?;
        upload(ctx, client, config, &packets, &key_hex, &actor, &mut report).await?;
    }
    pull_downlink(ctx, client).await?;
    match pull_receipts(ctx, client).await {
        // A central from before receipts: uploads go on, the office just learns no outcomes.
        Err(SyncError::Client(ClientError::Refused(s, _)))
            if s == reqwest::StatusCode::NOT_FOUND
                || s == reqwest::StatusCode::METHOD_NOT_ALLOWED => {}
        other => {
            other?;
        }
    }
    Ok(report)
}

/// How long a receipt that may still change (review, quarantine) waits before it is asked for
/// again: each question costs link time.
const RECHECK: Duration = Duration::from_secs(3600);
/// Packets asked about in one question.
const RECEIPTS_PER_QUESTION: u32 = 500;

/// Asks the central what it made of acknowledged packets (the central's national number, a
/// link to a person it already had, review, quarantine) and stores the verified answers.
/// Returns how many receipts changed.
pub async fn pull_receipts(ctx: &SyncContext, client: &CentralClient) -> Result<u64, SyncError> {
    let node = ctx.office().ok_or(SyncError::NotOffice)?;
    let actor = sync_actor(ctx)?;
    let (_, verifying) = central_keys(ctx.store.as_ref())
        .await?
        .parse()
        .ok_or(SyncError::NotEnrolled)?;
    let mut changed = 0;
    // A few questions a pass at most, so the upload of new packets is never held up long.
    for _ in 0..4 {
        let recheck = OffsetDateTime::now_utc() - RECHECK;
        let asked = ctx
            .store
            .receipts_wanted(recheck, RECEIPTS_PER_QUESTION)
            .await?;
        if asked.is_empty() {
            break;
        }
        let body = serde_json::to_vec(&ReceiptsRequest {
            key_id: node.device.id().to_string(),
            packet_ids: asked.clone(),
            nonce: Uuid::now_v7(),
        })
        .expect("serialises");
        let sig = hex::encode(node.device.sign_request(&body).to_bytes());
        let (sealed, sig) = client.receipts(body.clone(), &sig).await?;
        let answer = sijil_sync::downlink::open_receipts(&node.device, &body, &sealed)
            .map_err(|_| SyncError::BadReceipts)?;
        let sig: [u8; 64] = hex::decode(&sig)
            .ok()
            .and_then(|s| s.try_into().ok())
            .ok_or(SyncError::BadReceipts)?;
        verifying
            .verify(
                &receipts_message(&body, &answer),
                &ed25519_dalek::Signature::from_bytes(&sig),
            )
            .map_err(|_| SyncError::BadReceipts)?;
        let answer: ReceiptsBody = serde_json::from_slice(&answer)
            .map_err(|e| ClientError::Protocol(format!("receipts: {e}")))?;
        let answered = answer.receipts.len();
        changed += ctx
            .store
            .store_receipts(&asked, &answer.receipts, &actor)
            .await?;
        // Packets the central has not finished are asked again a minute later.
        if answered < asked.len() {
            break;
        }
    }
    Ok(changed)
}

async fn upload(
    ctx: &SyncContext,
    client: &CentralClient,
    config: &PushConfig,
    packets: &[SealedPacket],
    key_hex: &str,
    actor: &Actor,
    report: &mut PushReport,
) -> Result<(), SyncError> {
    let mut sender = UploadSender::new(packets, config.chunk);
    let node = ctx.office().ok_or(SyncError::NotOffice)?;
    let counts = ctx.store.outbox_counts(&node.office).await?;
    let waiting = counts.unsealed + counts.pending + counts.sent;
    let id = client.create_upload(key_hex, sender.len(), waiting).await?;
    let ids: Vec<Uuid> = packets
        .iter()
        .map(|p| Uuid::from_bytes(p.header().id.0))
        .collect();
    ctx.store
        .mark_outbox(&ids, OutboxState::Sent, actor)
        .await?;
    // Resumes in a row that moved nothing.
    let mut failures = 0u32;
    let mut size = config.chunk;
    while let Some((offset, chunk)) = sender.next_chunk() {
        let sent = chunk.len();
        let outcome = client.patch(id, offset, chunk.to_vec()).await;
        let cut = outcome.as_ref().is_err_and(|e| e.is_transient());
        // The central stores its offset only after applying (or quarantining) every packet
        // wholly before it: the offset, from an answer or from `HEAD`, is its acknowledgement.
        let central_offset = match outcome {
            Ok(resp) => resp.offset,
            Err(ClientError::Offset(o)) => o,
            Err(e) if e.is_transient() && failures < config.resume_attempts => {
                if failures > 0 {
                    tokio::time::sleep(config.resume_pause * 2u32.pow(failures - 1)).await;
                }
                failures += 1;
                report.resumes += 1;
                match client.offset(id).await {
                    Ok(o) => o,
                    Err(e) if e.is_transient() => continue,
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        };
        if central_offset > sender.confirmed() {
            failures = 0;
        }
        size = next_request_size(
            size,
            sent,
            central_offset.saturating_sub(offset),
            cut,
            MIN_REQUEST,
            config.chunk,
        );
        sender.set_chunk_size(size);
        let newly = sender
            .confirm(central_offset)
            .map_err(|e| ClientError::Protocol(e.to_string()))?;
        report.bytes = report.bytes.max(central_offset);
        if !newly.is_empty() {
            let ids: Vec<Uuid> = newly.iter().map(|p| Uuid::from_bytes(p.0)).collect();
            report.acknowledged += ctx
                .store
                .mark_outbox(&ids, OutboxState::Acknowledged, actor)
                .await?;
        }
    }
    Ok(())
}

/// Fetches and verifies downlink entries after the last one held, and stores them.
pub async fn pull_downlink(ctx: &SyncContext, client: &CentralClient) -> Result<usize, SyncError> {
    let since = downlink_version(ctx).await?;
    let node = ctx.office().ok_or(SyncError::NotOffice)?;
    let counts = ctx.store.outbox_counts(&node.office).await?;
    let waiting = counts.unsealed + counts.pending + counts.sent;
    let key_hex = node.device.id().to_string();
    let held = ctx.lists.held_state();
    let (sealed, sig) = client.downlink(since, &key_hex, waiting, &held).await?;
    take_downlink(ctx, since, &held, &sealed, &sig).await
}

/// The version of the last downlink entry this node holds.
pub async fn downlink_version(ctx: &SyncContext) -> Result<i64, SyncError> {
    Ok(ctx
        .store
        .sync_setting(SETTING_DOWNLINK_VERSION)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Opens a downlink answer to the question "after `since`, holding the lists `held`" (from the
/// network or from a file carried by hand), checks the central's signature, and stores and
/// applies the entries newer than those held and the list updates that pass their checks.
/// Returns how many entries were new plus how many lists changed.
pub async fn take_downlink(
    ctx: &SyncContext,
    since: i64,
    held_lists: &super::list_deltas::ListsHeld,
    sealed: &[u8],
    sig: &str,
) -> Result<usize, SyncError> {
    let actor = sync_actor(ctx)?;
    let (_, verifying) = central_keys(ctx.store.as_ref())
        .await?
        .parse()
        .ok_or(SyncError::NotEnrolled)?;
    let node = ctx.office().ok_or(SyncError::NotOffice)?;
    let key_hex = node.device.id().to_string();
    let open = |held: &super::list_deltas::ListsHeld| {
        sijil_sync::downlink::open_as_device(
            &node.device,
            &super::downlink_context_for(since, &key_hex, held),
            sealed,
        )
    };
    // A central from before deltas ignores the list versions asked and binds only `since` and
    // the key; its answer carries whole lists, which pass the same checks.
    let body = open(held_lists)
        .or_else(|_| open(&super::list_deltas::ListsHeld::default()))
        .map_err(|_| SyncError::BadDownlink)?;
    let sig: [u8; 64] = hex::decode(sig)
        .ok()
        .and_then(|s| s.try_into().ok())
        .ok_or(SyncError::BadDownlink)?;
    verifying
        .verify(
            &downlink_message(&body),
            &ed25519_dalek::Signature::from_bytes(&sig),
        )
        .map_err(|_| SyncError::BadDownlink)?;
    let body: DownlinkBody = serde_json::from_slice(&body)
        .map_err(|e| ClientError::Protocol(format!("downlink: {e}")))?;
    let held = downlink_version(ctx).await?;
    let entries: Vec<_> = body
        .entries
        .into_iter()
        .filter(|e| e.version > held)
        .collect();
    if let Some(top) = entries.iter().map(|e| e.version).max() {
        ctx.store.store_downlink(&entries, &actor).await?;
        ctx.store
            .set_sync_setting(SETTING_DOWNLINK_VERSION, &top.to_string(), &actor)
            .await?;
        super::lists::take_entries(&ctx.lists, &entries);
    }
    let lists =
        super::list_deltas::take_updates(ctx.store.as_ref(), &ctx.lists, &body.lists, &actor)
            .await?;
    Ok(entries.len() + lists)
}

/// Runs sync passes for ever: right away, then every `interval`. A pass that fails after
/// moving packets (the link was up a moment ago) is retried after `interval`; one that moved
/// nothing waits twice as long each time (up to `max_backoff`), so a dead link costs nothing.
/// Enrols first if the node has no central keys yet.
pub async fn run(
    ctx: std::sync::Arc<SyncContext>,
    client: CentralClient,
    config: PushConfig,
    interval: Duration,
    max_backoff: Duration,
) {
    let mut wait = interval;
    loop {
        // Lists may also arrive by hand (`sijil sync take-downlink` beside the running node).
        if let Err(e) = super::lists::load_held(ctx.store.as_ref(), &ctx.lists).await {
            tracing::warn!(error = %e, "the received lists could not be read");
        }
        let acknowledged = acknowledged_count(&ctx).await;
        let outcome = async {
            if matches!(
                central_keys(ctx.store.as_ref()).await,
                Err(SyncError::NotEnrolled)
            ) {
                enrol(&ctx, &client, "").await?;
            }
            push_once(&ctx, &client, &config).await
        }
        .await;
        match outcome {
            Ok(r) => {
                if r.sealed > 0 || r.acknowledged > 0 {
                    tracing::info!(
                        sealed = r.sealed,
                        acknowledged = r.acknowledged,
                        resumes = r.resumes,
                        "sync pass"
                    );
                }
                wait = interval;
            }
            Err(e) => {
                if acknowledged_count(&ctx).await > acknowledged {
                    wait = interval;
                }
                tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "sync pass failed");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(max_backoff);
                continue;
            }
        }
        tokio::time::sleep(wait).await;
    }
}

/// Packets the central has acknowledged so far (0 if the store cannot say).
async fn acknowledged_count(ctx: &SyncContext) -> i64 {
    let Some(node) = ctx.office() else { return 0 };
    ctx.store
        .outbox_counts(&node.office)
        .await
        .map_or(0, |c| c.acknowledged)
}
