//! Storage for sync between office nodes and the central ([`SyncStore`]), kept apart from the
//! registry's [`crate::Store`] so neither grows the other.
//!
//! The store holds bytes and ids, not cryptography: packets are sealed and opened by
//! `sijil-sync`, above this crate. Every write is audited in the same transaction, like every
//! other write of the registry.
//!
//! Office side: the outbox (one sealed packet per local source record, with its place in the
//! device key's series), small settings (the central's URL and keys), downlink entries received.
//! Central side: enrolled devices with their exactly-once state, the inbox, the quarantine,
//! resumable uploads, per-office contact counters, the downlink series.

use async_trait::async_trait;
use serde::Serialize;
use sijil_core::{Capture, OfficeCode, PersonRecord};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Actor, HeldReceipt, Receipt, StoreResult};

/// Where a packet in the outbox stands. States only move forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Sealed, not yet wholly received by the central.
    Pending,
    /// Wholly received by the central (its upload offset passed it); not yet acknowledged.
    Sent,
    /// The central acknowledged it (applied, duplicate, or quarantined there).
    Acknowledged,
}

impl OutboxState {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Acknowledged => "acknowledged",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "sent" => Some(Self::Sent),
            "acknowledged" => Some(Self::Acknowledged),
            _ => None,
        }
    }
}

/// A local source record not sealed yet, as the sealer needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsealedRecord {
    /// Its local storage sequence (the outbox refers to it).
    pub record_seq: i64,
    /// The record.
    pub record: PersonRecord,
    /// Its capture metadata.
    pub capture: Capture,
}

/// A sealed packet to put in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxPacket {
    /// The local record it carries.
    pub record_seq: i64,
    /// The signing device key's id (hex).
    pub key_id: String,
    /// Its place in the key's series.
    pub sequence: u64,
    /// The packet id.
    pub packet_id: Uuid,
    /// The sealed bytes.
    pub bytes: Vec<u8>,
}

/// A packet in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxPacket {
    /// The packet id.
    pub packet_id: Uuid,
    /// The signing key's id (hex).
    pub key_id: String,
    /// Its place in the key's series.
    pub sequence: u64,
    /// The local record it carries.
    pub record_seq: i64,
    /// Where it stands.
    pub state: OutboxState,
    /// Its size on the wire.
    pub size: usize,
    /// The sealed bytes.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// When it was sealed.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Outbox counts by state, and local records not yet sealed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxCounts {
    /// Local records captured here and not yet sealed.
    pub unsealed: i64,
    /// Pending packets.
    pub pending: i64,
    /// Sent, not acknowledged.
    pub sent: i64,
    /// Acknowledged.
    pub acknowledged: i64,
    /// Bytes of the packets not yet acknowledged.
    pub pending_bytes: i64,
}

/// Where a device key stands at the central.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    /// Asked for by the node; nothing it signs is accepted yet.
    Requested,
    /// Approved by an administrator.
    Approved,
    /// Revoked: nothing it signs is accepted any more.
    Revoked,
}

impl DeviceStatus {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Revoked => "revoked",
        }
    }
}

/// An enrolment request from an office node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    /// Key id (hex), derived from the public key.
    pub key_id: String,
    /// The office the node says it serves.
    pub office: OfficeCode,
    /// The Ed25519 public key (hex).
    pub public_key: String,
    /// A free label (the node's host name, a team name).
    pub label: String,
}

/// A device key as the central knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Device {
    /// Key id (hex).
    pub key_id: String,
    /// Its office.
    pub office: OfficeCode,
    /// The Ed25519 public key (hex).
    pub public_key: String,
    /// What it may do (`register`).
    pub scope: String,
    /// Free label.
    pub label: String,
    /// Where it stands.
    pub status: DeviceStatus,
    /// When the node asked.
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    /// Who approved or revoked it.
    pub decided_by: Option<String>,
    /// Every sequence up to this one was received.
    pub received_contiguous: u64,
    /// Sequences received beyond that.
    pub received_ahead: Vec<u64>,
}

/// How a packet reached the central.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// A network upload.
    Upload,
    /// A file carried by hand (`sijil sync import`).
    File,
}

impl Via {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upload => "upload",
            Self::File => "file",
        }
    }
}

/// A packet the central is about to apply: claimed in the inbox first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxClaim {
    /// The packet id.
    pub packet_id: Uuid,
    /// The device key (hex).
    pub key_id: String,
    /// Its sequence.
    pub sequence: u64,
    /// Its office.
    pub office: OfficeCode,
    /// The record id it carries.
    pub record_id: String,
    /// How it came.
    pub via: Via,
    /// Its size.
    pub bytes: usize,
    /// The device's exactly-once state after this packet: (contiguous, ahead).
    pub received: (u64, Vec<u64>),
}

/// Where an inbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InboxState {
    /// Claimed; the record may or may not be stored yet.
    Applying,
    /// The record is stored.
    Accepted,
    /// It failed after the claim (validation at registration) and went to quarantine.
    Quarantined,
}

/// A packet in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxEntry {
    /// The packet id.
    pub packet_id: Uuid,
    /// The device key (hex).
    pub key_id: String,
    /// Its sequence.
    pub sequence: u64,
    /// The record id it carried.
    pub record_id: String,
    /// Where it stands.
    pub state: InboxState,
}

/// A refused packet to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuarantine {
    /// How it came.
    pub via: Via,
    /// Office, key, packet id and sequence, when its header could be read (unauthenticated).
    pub office: Option<String>,
    /// See `office`.
    pub key_id: Option<String>,
    /// See `office`.
    pub packet_id: Option<Uuid>,
    /// See `office`.
    pub sequence: Option<u64>,
    /// A short code (`bad_signature`, `unknown_key`, `replay`, …).
    pub reason_code: &'static str,
    /// The reason in words (English; the code is translated on screens).
    pub reason: String,
    /// The bytes exactly as received.
    pub bytes: Vec<u8>,
}

/// A quarantined packet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quarantined {
    /// Its id.
    pub id: Uuid,
    /// When it arrived.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// How it came.
    pub via: String,
    /// Claimed office (unauthenticated).
    pub office: Option<String>,
    /// Claimed key id.
    pub key_id: Option<String>,
    /// Claimed packet id.
    pub packet_id: Option<Uuid>,
    /// Claimed sequence.
    pub sequence: Option<u64>,
    /// Reason code.
    pub reason_code: String,
    /// Reason in words.
    pub reason: String,
    /// Its size.
    pub size: usize,
    /// `discarded` or `released`, once decided.
    pub resolution: Option<String>,
    /// Who decided.
    pub resolved_by: Option<String>,
    /// The administrator's note.
    pub note: Option<String>,
}

/// An administrator's decision on a quarantined packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Judged bad: kept for the record, never applied.
    Discarded,
    /// Judged fit to try again (e.g. its key has since been approved).
    Released,
}

impl Resolution {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Discarded => "discarded",
            Self::Released => "released",
        }
    }
}

/// A resumable upload's stored state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Its id.
    pub id: Uuid,
    /// The device key that created it (hex).
    pub key_id: String,
    /// Announced length.
    pub length: u64,
    /// Bytes received.
    pub offset: u64,
    /// The bytes of an unfinished frame.
    pub partial: Vec<u8>,
}

/// Per-office counters for operators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficeContact {
    /// The office.
    pub office: String,
    /// Last time any of its nodes reached the central.
    #[serde(with = "time::serde::rfc3339")]
    pub last_contact: OffsetDateTime,
    /// Packets applied.
    pub packets: i64,
    /// Packets received again (retries).
    pub duplicates: i64,
    /// Packets quarantined.
    pub quarantined: i64,
    /// Bytes received.
    pub bytes: i64,
    /// Failed transfers (cut, refused chunks).
    pub failures: i64,
    /// Packets waiting at the office, as it reported at its last upload.
    pub pending: i64,
    /// Sequences known to be missing (gaps in its keys' series).
    pub missing: u64,
}

/// What one contact adds to an office's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContactDelta {
    /// Packets applied.
    pub packets: i64,
    /// Duplicates.
    pub duplicates: i64,
    /// Quarantined.
    pub quarantined: i64,
    /// Bytes.
    pub bytes: i64,
    /// Failures.
    pub failures: i64,
    /// The office's own count of packets waiting, when it reported one (replaces the last).
    pub pending: Option<i64>,
}

impl ContactDelta {
    /// One packet applied.
    pub fn applied() -> Self {
        Self {
            packets: 1,
            ..Self::default()
        }
    }

    /// One packet received again.
    pub fn duplicate() -> Self {
        Self {
            duplicates: 1,
            ..Self::default()
        }
    }

    /// One packet quarantined.
    pub fn quarantined() -> Self {
        Self {
            quarantined: 1,
            ..Self::default()
        }
    }
}

/// One entry of the central's downlink series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DownlinkEntry {
    /// Its version (ascending, from 1).
    pub version: i64,
    /// `code_list`, `alert`, `revocation` or `key`.
    pub kind: String,
    /// The content (JSON).
    pub payload: serde_json::Value,
}

/// One signed delta of a document list (`revocation` or `alert`), as stored at the central
/// (published) or at an office node (received after the whole list it holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDeltaRow {
    /// `revocation` or `alert`.
    pub kind: String,
    /// The list version it produces.
    pub version: i64,
    /// The list version it applies to.
    pub base_version: i64,
    /// Hex content digest of the base list.
    pub base_digest: String,
    /// The signed delta (COSE_Sign1).
    pub bytes: Vec<u8>,
}

/// Storage for sync. Implementations are cheap to clone (a pool handle); the trait is object
/// safe so the server can hold it beside its generic [`crate::Store`].
#[async_trait]
pub trait SyncStore: Send + Sync + 'static {
    // Office node.

    /// Local records captured at `office` that have no packet yet, oldest first.
    async fn unsealed_records(
        &self,
        office: &OfficeCode,
        limit: u32,
    ) -> StoreResult<Vec<UnsealedRecord>>;
    /// The next sequence number of a device key's series (1 for a new key).
    async fn next_sequence(&self, key_id: &str) -> StoreResult<u64>;
    /// Adds sealed packets to the outbox as pending, all or none; audited.
    async fn add_to_outbox(&self, packets: Vec<NewOutboxPacket>, actor: &Actor) -> StoreResult<()>;
    /// Packets in `state`, in series order, at most `limit`.
    async fn outbox(&self, state: OutboxState, limit: u32) -> StoreResult<Vec<OutboxPacket>>;
    /// Moves these packets forward to `state` (never back); returns how many moved; audited.
    async fn mark_outbox(
        &self,
        packet_ids: &[Uuid],
        state: OutboxState,
        actor: &Actor,
    ) -> StoreResult<u64>;
    /// Counts by state.
    async fn outbox_counts(&self, office: &OfficeCode) -> StoreResult<OutboxCounts>;
    /// A named setting.
    async fn sync_setting(&self, name: &str) -> StoreResult<Option<String>>;
    /// Sets a named setting; audited.
    async fn set_sync_setting(&self, name: &str, value: &str, actor: &Actor) -> StoreResult<()>;
    /// Stores verified downlink entries (ignoring versions already held); audited.
    async fn store_downlink(&self, entries: &[DownlinkEntry], actor: &Actor) -> StoreResult<()>;
    /// The newest downlink entry held of a kind (a node keeps the newest list of each kind).
    async fn latest_received(&self, kind: &str) -> StoreResult<Option<DownlinkEntry>>;

    // Both sides: list deltas (published at the central, received at a node).

    /// Stores a signed list delta (a version already stored is left as it is); audited.
    async fn add_list_delta(&self, delta: ListDeltaRow, actor: &Actor) -> StoreResult<()>;
    /// The deltas of `kind` producing a version above `after`, in version order.
    async fn list_deltas(&self, kind: &str, after: i64) -> StoreResult<Vec<ListDeltaRow>>;
    /// Drops the deltas of `kind` producing `through` or an earlier version; audited with the
    /// count. Returns how many were dropped.
    async fn prune_list_deltas(&self, kind: &str, through: i64, actor: &Actor) -> StoreResult<u64>;
    /// The downlink version of the newest published entry of `kind` (a small query, to tell
    /// whether what a central remembers of it is still current).
    async fn latest_published_version(&self, kind: &str) -> StoreResult<Option<i64>>;
    /// Drops whole lists of `kind` that a newer one replaces: published downlink entries at the
    /// central (never sent: the downlink gives the newest list of each kind) and received
    /// entries at a node; audited with the count. Returns how many were dropped.
    async fn drop_superseded_lists(&self, kind: &str, actor: &Actor) -> StoreResult<u64>;
    /// Acknowledged packets to ask the central about, oldest first, at most `limit`: those
    /// without a receipt, then those in review or quarantine last asked before `recheck`.
    async fn receipts_wanted(&self, recheck: OffsetDateTime, limit: u32) -> StoreResult<Vec<Uuid>>;
    /// Stores the central's receipts (replacing older answers for the same packets) and marks
    /// the packets asked about as checked now; audited. Returns how many receipts changed.
    async fn store_receipts(
        &self,
        asked: &[Uuid],
        receipts: &[Receipt],
        actor: &Actor,
    ) -> StoreResult<u64>;
    /// Receipts held for these local record ids (every record id when `None`), newest first,
    /// at most `limit`.
    async fn held_receipts(
        &self,
        record_ids: Option<&[String]>,
        limit: u32,
    ) -> StoreResult<Vec<HeldReceipt>>;

    // Central.

    /// Records an enrolment request (idempotent for the same key and office); audited.
    async fn request_device(&self, device: NewDevice, actor: &Actor) -> StoreResult<Device>;
    /// A device key by id.
    async fn device(&self, key_id: &str) -> StoreResult<Option<Device>>;
    /// Every device key.
    async fn devices(&self) -> StoreResult<Vec<Device>>;
    /// Approves or revokes a device key; audited with who decided.
    async fn decide_device(
        &self,
        key_id: &str,
        status: DeviceStatus,
        actor: &Actor,
    ) -> StoreResult<Device>;
    /// Sets what a device key may submit (its scope, checked by the central's ingest);
    /// audited with who set it.
    async fn set_device_scope(
        &self,
        key_id: &str,
        scope: &str,
        actor: &Actor,
    ) -> StoreResult<Device>;
    /// The inbox entry of a packet id, or of a key's sequence.
    async fn inbox_entry(
        &self,
        packet_id: Uuid,
        key_id: &str,
        sequence: u64,
    ) -> StoreResult<Option<InboxEntry>>;
    /// Claims a packet (state `applying`) and stores the device's new exactly-once state, in
    /// one transaction; a conflict if the packet id or (key, sequence) is already there.
    async fn claim_inbox(&self, claim: InboxClaim, actor: &Actor) -> StoreResult<()>;
    /// Finishes a claimed packet: `accepted` with the stored record's id, or `quarantined`.
    async fn finish_inbox(
        &self,
        packet_id: Uuid,
        state: InboxState,
        source_record: Option<Uuid>,
        actor: &Actor,
    ) -> StoreResult<()>;
    /// Keeps a refused packet; audited.
    async fn quarantine(&self, q: NewQuarantine, actor: &Actor) -> StoreResult<Uuid>;
    /// Quarantined packets, newest first; only undecided ones unless `all`.
    async fn quarantined(&self, all: bool, limit: u32) -> StoreResult<Vec<Quarantined>>;
    /// Whether a packet with this id was ever quarantined (for acknowledgements).
    async fn packet_quarantined(&self, packet_id: Uuid) -> StoreResult<bool>;
    /// The bytes of a quarantined packet.
    async fn quarantined_bytes(&self, id: Uuid) -> StoreResult<Vec<u8>>;
    /// An administrator's decision on a quarantined packet; audited.
    async fn resolve_quarantine(
        &self,
        id: Uuid,
        resolution: Resolution,
        note: &str,
        actor: &Actor,
    ) -> StoreResult<Quarantined>;
    /// Creates an upload; audited.
    async fn create_upload(&self, key_id: &str, length: u64, actor: &Actor) -> StoreResult<Uuid>;
    /// An upload's state.
    async fn upload(&self, id: Uuid) -> StoreResult<Upload>;
    /// Stores an upload's new offset and partial frame; audited with the bytes taken.
    async fn save_upload(
        &self,
        id: Uuid,
        offset: u64,
        partial: &[u8],
        actor: &Actor,
    ) -> StoreResult<()>;
    /// Adds to an office's contact counters and sets its last contact to now.
    async fn record_contact(&self, office: &str, delta: ContactDelta) -> StoreResult<()>;
    /// Every office's counters.
    async fn contacts(&self) -> StoreResult<Vec<OfficeContact>>;
    /// Appends to the downlink series; audited. Returns the new version.
    async fn publish_downlink(
        &self,
        kind: &str,
        payload: serde_json::Value,
        actor: &Actor,
    ) -> StoreResult<i64>;
    /// Downlink entries after `version`, at most `limit`. A revocation or alert entry that a
    /// later one of its kind replaces is left out: each carries a whole list, and a node that
    /// was away for a month needs only the newest, not every list between.
    async fn downlink_since(&self, version: i64, limit: u32) -> StoreResult<Vec<DownlinkEntry>>;
    /// The newest downlink entry published of a kind.
    async fn latest_published(&self, kind: &str) -> StoreResult<Option<DownlinkEntry>>;
    /// The receipts of these packets of one device key, as they stand now (packets the
    /// central does not hold, or is still applying, are left out).
    async fn central_receipts(
        &self,
        key_id: &str,
        packet_ids: &[Uuid],
    ) -> StoreResult<Vec<Receipt>>;
}
