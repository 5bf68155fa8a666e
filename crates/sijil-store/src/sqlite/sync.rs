//! [`SyncStore`] for [`SqliteStore`]: office side in `sync_office`, central side in
//! `sync_central`. One SQLite file can hold both (a central that also registers locally
//! simply has an empty outbox).

use async_trait::async_trait;
use sijil_core::OfficeCode;
use uuid::Uuid;

use super::{
    SqliteStore, sync_central as central, sync_lists, sync_office as office, sync_receipts,
};
use crate::{
    Actor, ContactDelta, Device, DeviceStatus, DownlinkEntry, InboxClaim, InboxEntry, InboxState,
    NewDevice, NewOutboxPacket, NewQuarantine, OfficeContact, OutboxCounts, OutboxPacket,
    OutboxState, Quarantined, Resolution, StoreResult, SyncStore, UnsealedRecord, Upload,
};
use crate::{HeldReceipt, ListDeltaRow, Receipt};
use time::OffsetDateTime;

#[async_trait]
impl SyncStore for SqliteStore {
    async fn unsealed_records(
        &self,
        office_code: &OfficeCode,
        limit: u32,
    ) -> StoreResult<Vec<UnsealedRecord>> {
        office::unsealed_records(&self.reader, office_code, limit).await
    }
    async fn next_sequence(&self, key_id: &str) -> StoreResult<u64> {
        // The writer: the sealer reads this just before it writes, and must see its own writes.
        office::next_sequence(&self.writer, key_id).await
    }
    async fn add_to_outbox(&self, packets: Vec<NewOutboxPacket>, actor: &Actor) -> StoreResult<()> {
        office::add_to_outbox(self, packets, actor).await
    }
    async fn outbox(&self, state: OutboxState, limit: u32) -> StoreResult<Vec<OutboxPacket>> {
        office::outbox(&self.reader, state, limit).await
    }
    async fn mark_outbox(
        &self,
        packet_ids: &[Uuid],
        state: OutboxState,
        actor: &Actor,
    ) -> StoreResult<u64> {
        office::mark_outbox(self, packet_ids, state, actor).await
    }
    async fn outbox_counts(&self, office_code: &OfficeCode) -> StoreResult<OutboxCounts> {
        office::outbox_counts(&self.reader, office_code).await
    }
    async fn sync_setting(&self, name: &str) -> StoreResult<Option<String>> {
        office::setting(&self.reader, name).await
    }
    async fn set_sync_setting(&self, name: &str, value: &str, actor: &Actor) -> StoreResult<()> {
        office::set_setting(self, name, value, actor).await
    }
    async fn store_downlink(&self, entries: &[DownlinkEntry], actor: &Actor) -> StoreResult<()> {
        office::store_downlink(self, entries, actor).await
    }
    async fn latest_received(&self, kind: &str) -> StoreResult<Option<DownlinkEntry>> {
        office::latest_received(&self.reader, kind).await
    }
    async fn add_list_delta(&self, delta: ListDeltaRow, actor: &Actor) -> StoreResult<()> {
        sync_lists::add_list_delta(self, delta, actor).await
    }
    async fn list_deltas(&self, kind: &str, after: i64) -> StoreResult<Vec<ListDeltaRow>> {
        // The writer: the central reads what it has just published to build an answer.
        sync_lists::list_deltas(&self.writer, kind, after).await
    }
    async fn prune_list_deltas(&self, kind: &str, through: i64, actor: &Actor) -> StoreResult<u64> {
        sync_lists::prune_list_deltas(self, kind, through, actor).await
    }
    async fn latest_published_version(&self, kind: &str) -> StoreResult<Option<i64>> {
        sync_lists::latest_published_version(&self.writer, kind).await
    }
    async fn drop_superseded_lists(&self, kind: &str, actor: &Actor) -> StoreResult<u64> {
        sync_lists::drop_superseded_lists(self, kind, actor).await
    }
    async fn set_device_scope(
        &self,
        key_id: &str,
        scope: &str,
        actor: &Actor,
    ) -> StoreResult<Device> {
        central::set_device_scope(self, key_id, scope, actor).await
    }
    async fn receipts_wanted(&self, recheck: OffsetDateTime, limit: u32) -> StoreResult<Vec<Uuid>> {
        sync_receipts::receipts_wanted(&self.reader, recheck, limit).await
    }
    async fn store_receipts(
        &self,
        asked: &[Uuid],
        receipts: &[Receipt],
        actor: &Actor,
    ) -> StoreResult<u64> {
        sync_receipts::store_receipts(self, asked, receipts, actor).await
    }
    async fn held_receipts(
        &self,
        record_ids: Option<&[String]>,
        limit: u32,
    ) -> StoreResult<Vec<HeldReceipt>> {
        sync_receipts::held_receipts(&self.reader, record_ids, limit).await
    }

    async fn request_device(&self, device: NewDevice, actor: &Actor) -> StoreResult<Device> {
        central::request_device(self, device, actor).await
    }
    async fn device(&self, key_id: &str) -> StoreResult<Option<Device>> {
        central::device(&self.reader, key_id).await
    }
    async fn devices(&self) -> StoreResult<Vec<Device>> {
        central::devices(&self.reader).await
    }
    async fn decide_device(
        &self,
        key_id: &str,
        status: DeviceStatus,
        actor: &Actor,
    ) -> StoreResult<Device> {
        central::decide_device(self, key_id, status, actor).await
    }
    async fn inbox_entry(
        &self,
        packet_id: Uuid,
        key_id: &str,
        sequence: u64,
    ) -> StoreResult<Option<InboxEntry>> {
        // The writer: ingest decides on it right before it writes.
        central::inbox_entry(&self.writer, packet_id, key_id, sequence).await
    }
    async fn claim_inbox(&self, claim: InboxClaim, actor: &Actor) -> StoreResult<()> {
        central::claim_inbox(self, claim, actor).await
    }
    async fn finish_inbox(
        &self,
        packet_id: Uuid,
        state: InboxState,
        source_record: Option<Uuid>,
        actor: &Actor,
    ) -> StoreResult<()> {
        central::finish_inbox(self, packet_id, state, source_record, actor).await
    }
    async fn quarantine(&self, q: NewQuarantine, actor: &Actor) -> StoreResult<Uuid> {
        central::quarantine(self, q, actor).await
    }
    async fn quarantined(&self, all: bool, limit: u32) -> StoreResult<Vec<Quarantined>> {
        central::quarantined(&self.reader, all, limit).await
    }
    async fn packet_quarantined(&self, packet_id: Uuid) -> StoreResult<bool> {
        central::packet_quarantined(&self.reader, packet_id).await
    }
    async fn quarantined_bytes(&self, id: Uuid) -> StoreResult<Vec<u8>> {
        central::quarantined_bytes(&self.reader, id).await
    }
    async fn resolve_quarantine(
        &self,
        id: Uuid,
        resolution: Resolution,
        note: &str,
        actor: &Actor,
    ) -> StoreResult<Quarantined> {
        central::resolve_quarantine(self, id, resolution, note, actor).await
    }
    async fn create_upload(&self, key_id: &str, length: u64, actor: &Actor) -> StoreResult<Uuid> {
        central::create_upload(self, key_id, length, actor).await
    }
    async fn upload(&self, id: Uuid) -> StoreResult<Upload> {
        central::upload(&self.writer, id).await
    }
    async fn save_upload(
        &self,
        id: Uuid,
        offset: u64,
        partial: &[u8],
        actor: &Actor,
    ) -> StoreResult<()> {
        central::save_upload(self, id, offset, partial, actor).await
    }
    async fn record_contact(&self, office_code: &str, delta: ContactDelta) -> StoreResult<()> {
        central::record_contact(self, office_code, delta).await
    }
    async fn contacts(&self) -> StoreResult<Vec<OfficeContact>> {
        central::contacts(&self.reader).await
    }
    async fn publish_downlink(
        &self,
        kind: &str,
        payload: serde_json::Value,
        actor: &Actor,
    ) -> StoreResult<i64> {
        central::publish_downlink(self, kind, payload, actor).await
    }
    async fn downlink_since(&self, version: i64, limit: u32) -> StoreResult<Vec<DownlinkEntry>> {
        central::downlink_since(&self.reader, version, limit).await
    }
    async fn central_receipts(
        &self,
        key_id: &str,
        packet_ids: &[Uuid],
    ) -> StoreResult<Vec<Receipt>> {
        sync_receipts::central_receipts(&self.reader, key_id, packet_ids).await
    }
    async fn latest_published(&self, kind: &str) -> StoreResult<Option<DownlinkEntry>> {
        central::latest_published(&self.reader, kind).await
    }
}
