//! The office node's side of [`crate::SyncStore`] in SQLite: outbox, settings, downlink held.

use serde_json::json;
use sijil_core::OfficeCode;
use sqlx::{QueryBuilder, Row, SqlitePool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteStore, access::entry, append_audit, commit_audited, db, parse_ts, rows, ts};
use crate::{
    Actor, DownlinkEntry, NewOutboxPacket, OutboxCounts, OutboxPacket, OutboxState, StoreError,
    StoreResult, UnsealedRecord,
};

pub(super) async fn unsealed_records(
    pool: &SqlitePool,
    office: &OfficeCode,
    limit: u32,
) -> StoreResult<Vec<UnsealedRecord>> {
    let rows = sqlx::query(
        "SELECT r.*, NULL AS person_id FROM source_records r
         LEFT JOIN sync_outbox o ON o.record_seq = r.seq
         WHERE o.record_seq IS NULL AND r.office_code = ?
         ORDER BY r.seq LIMIT ?",
    )
    .bind(office.as_str())
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|row| {
            let stored = rows::record(row)?;
            Ok(UnsealedRecord {
                record_seq: row.try_get("seq").map_err(db)?,
                record: stored.record,
                capture: stored.capture,
            })
        })
        .collect()
}

pub(super) async fn next_sequence(pool: &SqlitePool, key_id: &str) -> StoreResult<u64> {
    let max: Option<i64> =
        sqlx::query_scalar("SELECT MAX(sequence) FROM sync_outbox WHERE key_id = ?")
            .bind(key_id)
            .fetch_one(pool)
            .await
            .map_err(db)?;
    Ok(max.unwrap_or(0) as u64 + 1)
}

pub(super) async fn add_to_outbox(
    s: &SqliteStore,
    packets: Vec<NewOutboxPacket>,
    actor: &Actor,
) -> StoreResult<()> {
    if packets.is_empty() {
        return Ok(());
    }
    let now = ts(OffsetDateTime::now_utc());
    let mut tx = s.begin().await?;
    for p in &packets {
        sqlx::query(
            "INSERT INTO sync_outbox (key_id, sequence, packet_id, record_seq, bytes, state, created_at)
             VALUES (?, ?, ?, ?, ?, 'pending', ?)",
        )
        .bind(&p.key_id)
        .bind(p.sequence as i64)
        .bind(p.packet_id.to_string())
        .bind(p.record_seq)
        .bind(&p.bytes)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        append_audit(
            &mut tx,
            entry(
                actor,
                "sync.outbox.seal",
                format!("packet:{}", p.packet_id),
                json!({ "key_id": p.key_id, "sequence": p.sequence, "record_seq": p.record_seq, "bytes": p.bytes.len() }),
            ),
        )
        .await?;
    }
    tx.commit().await.map_err(db)
}

fn outbox_row(row: &sqlx::sqlite::SqliteRow) -> StoreResult<OutboxPacket> {
    let state: String = row.try_get("state").map_err(db)?;
    let bytes: Vec<u8> = row.try_get("bytes").map_err(db)?;
    Ok(OutboxPacket {
        packet_id: rows::uuid(&row.try_get::<String, _>("packet_id").map_err(db)?)?,
        key_id: row.try_get("key_id").map_err(db)?,
        sequence: row.try_get::<i64, _>("sequence").map_err(db)? as u64,
        record_seq: row.try_get("record_seq").map_err(db)?,
        state: OutboxState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("outbox state {state:?}")))?,
        size: bytes.len(),
        bytes,
        created_at: parse_ts(&row.try_get::<String, _>("created_at").map_err(db)?)?,
    })
}

pub(super) async fn outbox(
    pool: &SqlitePool,
    state: OutboxState,
    limit: u32,
) -> StoreResult<Vec<OutboxPacket>> {
    let rows =
        sqlx::query("SELECT * FROM sync_outbox WHERE state = ? ORDER BY key_id, sequence LIMIT ?")
            .bind(state.as_str())
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
            .map_err(db)?;
    rows.iter().map(outbox_row).collect()
}

pub(super) async fn mark_outbox(
    s: &SqliteStore,
    ids: &[Uuid],
    state: OutboxState,
    actor: &Actor,
) -> StoreResult<u64> {
    if ids.is_empty() || state == OutboxState::Pending {
        return Ok(0);
    }
    let now = ts(OffsetDateTime::now_utc());
    let mut tx = s.begin().await?;
    let mut moved = 0;
    // A few hundred ids at most per call; chunks keep the statement under SQLite's limits.
    for chunk in ids.chunks(400) {
        let mut b = QueryBuilder::new("UPDATE sync_outbox SET state = ");
        b.push_bind(state.as_str());
        match state {
            OutboxState::Sent => b.push(", sent_at = ").push_bind(now.clone()),
            _ => b
                .push(", acked_at = ")
                .push_bind(now.clone())
                .push(", sent_at = COALESCE(sent_at, ")
                .push_bind(now.clone())
                .push(")"),
        };
        // Forward only: pending -> sent -> acknowledged.
        b.push(" WHERE state IN (");
        let earlier: &[&str] = match state {
            OutboxState::Sent => &["pending"],
            _ => &["pending", "sent"],
        };
        let mut sep = b.separated(", ");
        for e in earlier {
            sep.push_bind(*e);
        }
        b.push(") AND packet_id IN (");
        let mut sep = b.separated(", ");
        for id in chunk {
            sep.push_bind(id.to_string());
        }
        b.push(")");
        moved += b
            .build()
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
    }
    if moved > 0 {
        append_audit(
            &mut tx,
            entry(
                actor,
                "sync.outbox.mark",
                "outbox".into(),
                json!({ "state": state.as_str(), "packets": moved }),
            ),
        )
        .await?;
    }
    tx.commit().await.map_err(db)?;
    Ok(moved)
}

pub(super) async fn outbox_counts(
    pool: &SqlitePool,
    office: &OfficeCode,
) -> StoreResult<OutboxCounts> {
    let mut c = OutboxCounts::default();
    // One read transaction: both counts from the same snapshot, or a record sealed between
    // the two queries would be counted in neither.
    let mut tx = pool.begin().await.map_err(db)?;
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT state, COUNT(*), COALESCE(SUM(LENGTH(bytes)), 0) FROM sync_outbox GROUP BY state",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    for (state, n, bytes) in rows {
        match OutboxState::parse(&state) {
            Some(OutboxState::Pending) => c.pending = n,
            Some(OutboxState::Sent) => c.sent = n,
            Some(OutboxState::Acknowledged) => c.acknowledged = n,
            None => return Err(StoreError::Corrupt(format!("outbox state {state:?}"))),
        }
        if state != "acknowledged" {
            c.pending_bytes += bytes;
        }
    }
    c.unsealed = sqlx::query_scalar(
        "SELECT COUNT(*) FROM source_records r LEFT JOIN sync_outbox o ON o.record_seq = r.seq
         WHERE o.record_seq IS NULL AND r.office_code = ?",
    )
    .bind(office.as_str())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(c)
}

pub(super) async fn setting(pool: &SqlitePool, name: &str) -> StoreResult<Option<String>> {
    sqlx::query_scalar("SELECT value FROM sync_settings WHERE name = ?")
        .bind(name)
        .fetch_optional(pool)
        .await
        .map_err(db)
}

pub(super) async fn set_setting(
    s: &SqliteStore,
    name: &str,
    value: &str,
    actor: &Actor,
) -> StoreResult<()> {
    let mut tx = s.begin().await?;
    sqlx::query(
        "INSERT INTO sync_settings (name, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(name)
    .bind(value)
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    commit_audited(
        tx,
        entry(
            actor,
            "sync.setting",
            format!("sync_setting:{name}"),
            json!({}),
        ),
    )
    .await
}

pub(super) async fn store_downlink(
    s: &SqliteStore,
    entries: &[DownlinkEntry],
    actor: &Actor,
) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let now = ts(OffsetDateTime::now_utc());
    let mut tx = s.begin().await?;
    let mut stored = 0u64;
    for e in entries {
        stored += sqlx::query(
            "INSERT INTO sync_downlink_received (version, kind, payload, received_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (version) DO NOTHING",
        )
        .bind(e.version)
        .bind(&e.kind)
        .bind(e.payload.to_string())
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
    }
    let top = entries.iter().map(|e| e.version).max().unwrap_or(0);
    commit_audited(
        tx,
        entry(
            actor,
            "sync.downlink.store",
            "downlink".into(),
            json!({ "entries": stored, "version": top }),
        ),
    )
    .await
}

pub(super) async fn latest_received(
    pool: &SqlitePool,
    kind: &str,
) -> StoreResult<Option<DownlinkEntry>> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT version, kind, payload FROM sync_downlink_received
         WHERE kind = ? ORDER BY version DESC LIMIT 1",
    )
    .bind(kind)
    .fetch_optional(pool)
    .await
    .map_err(db)?;
    row.map(rows::downlink_entry).transpose()
}
