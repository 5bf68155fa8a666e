//! The central's side of [`crate::SyncStore`] in SQLite: devices, inbox, quarantine, uploads,
//! contact counters, the downlink series.

use serde_json::json;
use sijil_core::OfficeCode;
use sqlx::{Row, SqlitePool, sqlite::SqliteRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteStore, access::entry, append_audit, commit_audited, db, parse_ts, rows, ts};
use crate::{
    Actor, ContactDelta, Device, DeviceStatus, DownlinkEntry, InboxClaim, InboxEntry, InboxState,
    NewDevice, NewQuarantine, OfficeContact, Quarantined, Resolution, StoreError, StoreResult,
    Upload,
};

fn get<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r SqliteRow,
    col: &str,
) -> StoreResult<T> {
    row.try_get(col).map_err(db)
}

fn device_row(row: &SqliteRow) -> StoreResult<Device> {
    let status: String = get(row, "status")?;
    let ahead: String = get(row, "received_ahead")?;
    Ok(Device {
        key_id: get(row, "key_id")?,
        office: OfficeCode::parse(&get::<String>(row, "office_code")?)
            .map_err(|_| StoreError::Corrupt("device office".into()))?,
        public_key: get(row, "public_key")?,
        scope: get(row, "scope")?,
        label: get(row, "label")?,
        status: match status.as_str() {
            "requested" => DeviceStatus::Requested,
            "approved" => DeviceStatus::Approved,
            "revoked" => DeviceStatus::Revoked,
            other => return Err(StoreError::Corrupt(format!("device status {other:?}"))),
        },
        requested_at: parse_ts(&get::<String>(row, "requested_at")?)?,
        decided_by: get(row, "decided_by")?,
        received_contiguous: get::<i64>(row, "received_contiguous")? as u64,
        received_ahead: serde_json::from_str(&ahead)
            .map_err(|e| StoreError::Corrupt(format!("received_ahead: {e}")))?,
    })
}

pub(super) async fn request_device(
    s: &SqliteStore,
    d: NewDevice,
    actor: &Actor,
) -> StoreResult<Device> {
    if let Some(existing) = device(&s.writer, &d.key_id).await? {
        return if existing.office == d.office && existing.public_key == d.public_key {
            Ok(existing)
        } else {
            Err(StoreError::Conflict(format!(
                "device key {} is already enrolled for another office",
                d.key_id
            )))
        };
    }
    let mut tx = s.begin().await?;
    sqlx::query(
        "INSERT INTO sync_devices (key_id, office_code, public_key, label, status, requested_at)
         VALUES (?, ?, ?, ?, 'requested', ?)",
    )
    .bind(&d.key_id)
    .bind(d.office.as_str())
    .bind(&d.public_key)
    .bind(&d.label)
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    commit_audited(
        tx,
        entry(
            actor,
            "sync.device.request",
            format!("device:{}", d.key_id),
            json!({ "office": d.office.as_str() }),
        ),
    )
    .await?;
    device(&s.writer, &d.key_id)
        .await?
        .ok_or(StoreError::NotFound("device"))
}

pub(super) async fn device(pool: &SqlitePool, key_id: &str) -> StoreResult<Option<Device>> {
    sqlx::query("SELECT * FROM sync_devices WHERE key_id = ?")
        .bind(key_id)
        .fetch_optional(pool)
        .await
        .map_err(db)?
        .as_ref()
        .map(device_row)
        .transpose()
}

pub(super) async fn devices(pool: &SqlitePool) -> StoreResult<Vec<Device>> {
    let rows = sqlx::query("SELECT * FROM sync_devices ORDER BY office_code, requested_at")
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows.iter().map(device_row).collect()
}

pub(super) async fn decide_device(
    s: &SqliteStore,
    key_id: &str,
    status: DeviceStatus,
    actor: &Actor,
) -> StoreResult<Device> {
    let mut tx = s.begin().await?;
    let done = sqlx::query(
        "UPDATE sync_devices SET status = ?, decided_by = ?, decided_at = ? WHERE key_id = ?",
    )
    .bind(status.as_str())
    .bind(actor.username.as_str())
    .bind(ts(OffsetDateTime::now_utc()))
    .bind(key_id)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let audit = entry(
        actor,
        "sync.device.decide",
        format!("device:{key_id}"),
        json!({ "status": status.as_str() }),
    );
    device_changed(s, tx, done.rows_affected(), key_id, audit).await
}

pub(super) async fn set_device_scope(
    s: &SqliteStore,
    key_id: &str,
    scope: &str,
    actor: &Actor,
) -> StoreResult<Device> {
    let mut tx = s.begin().await?;
    let done = sqlx::query("UPDATE sync_devices SET scope = ? WHERE key_id = ?")
        .bind(scope)
        .bind(key_id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    let audit = entry(
        actor,
        "sync.device.scope",
        format!("device:{key_id}"),
        json!({ "scope": scope }),
    );
    device_changed(s, tx, done.rows_affected(), key_id, audit).await
}

/// Ends a change of one device row: none changed is an unknown key; else the audit entry and
/// the commit together, and the device as it now stands.
async fn device_changed(
    s: &SqliteStore,
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    rows: u64,
    key_id: &str,
    audit: crate::NewAuditEntry,
) -> StoreResult<Device> {
    if rows == 0 {
        return Err(StoreError::NotFound("device"));
    }
    commit_audited(tx, audit).await?;
    device(&s.writer, key_id)
        .await?
        .ok_or(StoreError::NotFound("device"))
}

pub(super) async fn inbox_entry(
    pool: &SqlitePool,
    packet_id: Uuid,
    key_id: &str,
    sequence: u64,
) -> StoreResult<Option<InboxEntry>> {
    let row = sqlx::query(
        "SELECT * FROM sync_inbox WHERE packet_id = ? OR (key_id = ? AND sequence = ?) LIMIT 1",
    )
    .bind(packet_id.to_string())
    .bind(key_id)
    .bind(sequence as i64)
    .fetch_optional(pool)
    .await
    .map_err(db)?;
    let Some(row) = row else { return Ok(None) };
    let state: String = get(&row, "state")?;
    Ok(Some(InboxEntry {
        packet_id: rows::uuid(&get::<String>(&row, "packet_id")?)?,
        key_id: get(&row, "key_id")?,
        sequence: get::<i64>(&row, "sequence")? as u64,
        record_id: get(&row, "record_id")?,
        state: match state.as_str() {
            "applying" => InboxState::Applying,
            "accepted" => InboxState::Accepted,
            "quarantined" => InboxState::Quarantined,
            other => return Err(StoreError::Corrupt(format!("inbox state {other:?}"))),
        },
    }))
}

pub(super) async fn claim_inbox(s: &SqliteStore, c: InboxClaim, actor: &Actor) -> StoreResult<()> {
    let mut tx = s.begin().await?;
    sqlx::query(
        "INSERT INTO sync_inbox (packet_id, key_id, sequence, office_code, record_id, state, via, bytes, received_at)
         VALUES (?, ?, ?, ?, ?, 'applying', ?, ?, ?)",
    )
    .bind(c.packet_id.to_string())
    .bind(&c.key_id)
    .bind(c.sequence as i64)
    .bind(c.office.as_str())
    .bind(&c.record_id)
    .bind(c.via.as_str())
    .bind(c.bytes as i64)
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let (contiguous, ahead) = &c.received;
    sqlx::query(
        "UPDATE sync_devices SET received_contiguous = ?, received_ahead = ? WHERE key_id = ?",
    )
    .bind(*contiguous as i64)
    .bind(serde_json::to_string(ahead).expect("numbers serialise"))
    .bind(&c.key_id)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    commit_audited(
        tx,
        entry(
            actor,
            "sync.inbox.claim",
            format!("packet:{}", c.packet_id),
            json!({ "key_id": c.key_id, "sequence": c.sequence, "office": c.office.as_str(), "via": c.via.as_str() }),
        ),
    )
    .await
}

pub(super) async fn finish_inbox(
    s: &SqliteStore,
    packet_id: Uuid,
    state: InboxState,
    source_record: Option<Uuid>,
    actor: &Actor,
) -> StoreResult<()> {
    let state = match state {
        InboxState::Accepted => "accepted",
        InboxState::Quarantined => "quarantined",
        InboxState::Applying => return Ok(()),
    };
    let mut tx = s.begin().await?;
    sqlx::query(
        "UPDATE sync_inbox SET state = ?, source_record_id = ?, applied_at = ?
         WHERE packet_id = ? AND state = 'applying'",
    )
    .bind(state)
    .bind(source_record.map(|u| u.to_string()))
    .bind(ts(OffsetDateTime::now_utc()))
    .bind(packet_id.to_string())
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    commit_audited(
        tx,
        entry(
            actor,
            "sync.inbox.finish",
            format!("packet:{packet_id}"),
            json!({ "state": state, "record": source_record }),
        ),
    )
    .await
}

pub(super) async fn quarantine(
    s: &SqliteStore,
    q: NewQuarantine,
    actor: &Actor,
) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    let mut tx = s.begin().await?;
    sqlx::query(
        "INSERT INTO sync_quarantine (id, received_at, via, office_code, key_id, packet_id, sequence, reason_code, reason, bytes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(ts(OffsetDateTime::now_utc()))
    .bind(q.via.as_str())
    .bind(&q.office)
    .bind(&q.key_id)
    .bind(q.packet_id.map(|p| p.to_string()))
    .bind(q.sequence.map(|s| s as i64))
    .bind(q.reason_code)
    .bind(&q.reason)
    .bind(&q.bytes)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    commit_audited(
        tx,
        entry(
            actor,
            "sync.quarantine.add",
            format!("quarantine:{id}"),
            json!({ "reason": q.reason_code, "office": q.office, "key_id": q.key_id, "bytes": q.bytes.len() }),
        ),
    )
    .await?;
    Ok(id)
}

fn quarantined_row(row: &SqliteRow) -> StoreResult<Quarantined> {
    Ok(Quarantined {
        id: rows::uuid(&get::<String>(row, "id")?)?,
        received_at: parse_ts(&get::<String>(row, "received_at")?)?,
        via: get(row, "via")?,
        office: get(row, "office_code")?,
        key_id: get(row, "key_id")?,
        packet_id: get::<Option<String>>(row, "packet_id")?
            .as_deref()
            .map(rows::uuid)
            .transpose()?,
        sequence: get::<Option<i64>>(row, "sequence")?.map(|s| s as u64),
        reason_code: get(row, "reason_code")?,
        reason: get(row, "reason")?,
        size: get::<i64>(row, "size")? as usize,
        resolution: get(row, "resolution")?,
        resolved_by: get(row, "resolved_by")?,
        note: get(row, "note")?,
    })
}

const QUARANTINE_COLUMNS: &str = "id, received_at, via, office_code, key_id, packet_id, sequence, reason_code, reason, LENGTH(bytes) AS size, resolution, resolved_by, note";

pub(super) async fn quarantined(
    pool: &SqlitePool,
    all: bool,
    limit: u32,
) -> StoreResult<Vec<Quarantined>> {
    let filter = if all { "" } else { "WHERE resolution IS NULL" };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {QUARANTINE_COLUMNS} FROM sync_quarantine {filter} ORDER BY received_at DESC, id DESC LIMIT ?"
    )))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db)?;
    rows.iter().map(quarantined_row).collect()
}

pub(super) async fn packet_quarantined(pool: &SqlitePool, packet_id: Uuid) -> StoreResult<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT 1 FROM sync_quarantine WHERE packet_id = ? LIMIT 1")
            .bind(packet_id.to_string())
            .fetch_optional(pool)
            .await
            .map_err(db)?
            .is_some(),
    )
}

pub(super) async fn quarantined_bytes(pool: &SqlitePool, id: Uuid) -> StoreResult<Vec<u8>> {
    sqlx::query_scalar("SELECT bytes FROM sync_quarantine WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("quarantined packet"))
}

pub(super) async fn resolve_quarantine(
    s: &SqliteStore,
    id: Uuid,
    resolution: Resolution,
    note: &str,
    actor: &Actor,
) -> StoreResult<Quarantined> {
    let mut tx = s.begin().await?;
    let done = sqlx::query(
        "UPDATE sync_quarantine SET resolution = ?, resolved_by = ?, resolved_at = ?, note = ?
         WHERE id = ? AND resolution IS NULL",
    )
    .bind(resolution.as_str())
    .bind(actor.username.as_str())
    .bind(ts(OffsetDateTime::now_utc()))
    .bind(note)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sync_quarantine WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        return Err(match exists {
            Some(_) => StoreError::Conflict("this quarantined packet was already decided".into()),
            None => StoreError::NotFound("quarantined packet"),
        });
    }
    append_audit(
        &mut tx,
        entry(
            actor,
            "sync.quarantine.resolve",
            format!("quarantine:{id}"),
            json!({ "resolution": resolution.as_str() }),
        ),
    )
    .await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {QUARANTINE_COLUMNS} FROM sync_quarantine WHERE id = ?"
    )))
    .bind(id.to_string())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let out = quarantined_row(&row)?;
    tx.commit().await.map_err(db)?;
    Ok(out)
}

pub(super) async fn create_upload(
    s: &SqliteStore,
    key_id: &str,
    length: u64,
    actor: &Actor,
) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    let now = ts(OffsetDateTime::now_utc());
    let mut tx = s.begin().await?;
    sqlx::query(
        "INSERT INTO sync_uploads (id, key_id, length, offset, partial, created_at, updated_at)
         VALUES (?, ?, ?, 0, x'', ?, ?)",
    )
    .bind(id.to_string())
    .bind(key_id)
    .bind(length as i64)
    .bind(&now)
    .bind(&now)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    commit_audited(
        tx,
        entry(
            actor,
            "sync.upload.create",
            format!("upload:{id}"),
            json!({ "key_id": key_id, "length": length }),
        ),
    )
    .await?;
    Ok(id)
}

pub(super) async fn upload(pool: &SqlitePool, id: Uuid) -> StoreResult<Upload> {
    let row = sqlx::query("SELECT * FROM sync_uploads WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("upload"))?;
    Ok(Upload {
        id,
        key_id: get(&row, "key_id")?,
        length: get::<i64>(&row, "length")? as u64,
        offset: get::<i64>(&row, "offset")? as u64,
        partial: get(&row, "partial")?,
    })
}

pub(super) async fn save_upload(
    s: &SqliteStore,
    id: Uuid,
    offset: u64,
    partial: &[u8],
    actor: &Actor,
) -> StoreResult<()> {
    let mut tx = s.begin().await?;
    // Offsets only move forward: a stale writer cannot take the upload back.
    let done = sqlx::query(
        "UPDATE sync_uploads SET offset = ?, partial = ?, updated_at = ? WHERE id = ? AND offset <= ?",
    )
    .bind(offset as i64)
    .bind(partial)
    .bind(ts(OffsetDateTime::now_utc()))
    .bind(id.to_string())
    .bind(offset as i64)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("upload offset went back".into()));
    }
    commit_audited(
        tx,
        entry(
            actor,
            "sync.upload.progress",
            format!("upload:{id}"),
            json!({ "offset": offset }),
        ),
    )
    .await
}

/// Counters, not registry data: not audited (each packet they count is).
pub(super) async fn record_contact(
    s: &SqliteStore,
    office: &str,
    d: ContactDelta,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sync_contacts (office_code, last_contact, packets, duplicates, quarantined, bytes, failures, pending)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, COALESCE(?8, 0))
         ON CONFLICT (office_code) DO UPDATE SET last_contact = ?2, packets = packets + ?3,
           duplicates = duplicates + ?4, quarantined = quarantined + ?5, bytes = bytes + ?6,
           failures = failures + ?7, pending = COALESCE(?8, pending)",
    )
    .bind(office)
    .bind(ts(OffsetDateTime::now_utc()))
    .bind(d.packets)
    .bind(d.duplicates)
    .bind(d.quarantined)
    .bind(d.bytes)
    .bind(d.failures)
    .bind(d.pending)
    .execute(&s.writer)
    .await
    .map_err(db)?;
    Ok(())
}

pub(super) async fn contacts(pool: &SqlitePool) -> StoreResult<Vec<OfficeContact>> {
    let rows = sqlx::query("SELECT * FROM sync_contacts ORDER BY office_code")
        .fetch_all(pool)
        .await
        .map_err(db)?;
    let devices = devices(pool).await?;
    rows.iter()
        .map(|row| {
            let office: String = get(row, "office_code")?;
            let missing = devices
                .iter()
                .filter(|d| d.office.as_str() == office)
                .map(|d| match d.received_ahead.iter().max() {
                    Some(&top) => top - d.received_contiguous - d.received_ahead.len() as u64,
                    None => 0,
                })
                .sum();
            Ok(OfficeContact {
                last_contact: parse_ts(&get::<String>(row, "last_contact")?)?,
                packets: get(row, "packets")?,
                duplicates: get(row, "duplicates")?,
                quarantined: get(row, "quarantined")?,
                bytes: get(row, "bytes")?,
                failures: get(row, "failures")?,
                pending: get(row, "pending")?,
                missing,
                office,
            })
        })
        .collect()
}

pub(super) async fn publish_downlink(
    s: &SqliteStore,
    kind: &str,
    payload: serde_json::Value,
    actor: &Actor,
) -> StoreResult<i64> {
    let mut tx = s.begin().await?;
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO sync_downlink (kind, payload, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING version",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(actor.username.as_str())
    .bind(ts(OffsetDateTime::now_utc()))
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    commit_audited(
        tx,
        entry(
            actor,
            "sync.downlink.publish",
            format!("downlink:{version}"),
            json!({ "kind": kind }),
        ),
    )
    .await?;
    Ok(version)
}

pub(super) async fn downlink_since(
    pool: &SqlitePool,
    version: i64,
    limit: u32,
) -> StoreResult<Vec<DownlinkEntry>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT version, kind, payload FROM sync_downlink d WHERE version > ?
         AND (kind NOT IN ('revocation', 'alert')
              OR version = (SELECT MAX(version) FROM sync_downlink n WHERE n.kind = d.kind))
         ORDER BY version LIMIT ?",
    )
    .bind(version)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db)?;
    rows.into_iter().map(rows::downlink_entry).collect()
}

pub(super) async fn latest_published(
    pool: &SqlitePool,
    kind: &str,
) -> StoreResult<Option<DownlinkEntry>> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT version, kind, payload FROM sync_downlink WHERE kind = ? ORDER BY version DESC LIMIT 1",
    )
    .bind(kind)
    .fetch_optional(pool)
    .await
    .map_err(db)?;
    row.map(rows::downlink_entry).transpose()
}
