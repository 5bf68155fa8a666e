//! Signed deltas of the document lists in SQLite (`sync_list_deltas`), and dropping whole
//! lists that a newer one replaces, so neither the central nor a node grows with every change.

use serde_json::json;
use sqlx::SqlitePool;
use time::OffsetDateTime;

use super::{SqliteStore, access::entry, commit_audited, commit_audited_if_changed, db, ts};
use crate::{Actor, ListDeltaRow, StoreResult};

pub(super) async fn add_list_delta(
    s: &SqliteStore,
    delta: ListDeltaRow,
    actor: &Actor,
) -> StoreResult<()> {
    let mut tx = s.begin().await?;
    let stored = sqlx::query(
        "INSERT INTO sync_list_deltas (kind, version, base_version, base_digest, bytes, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, version) DO NOTHING",
    )
    .bind(&delta.kind)
    .bind(delta.version)
    .bind(delta.base_version)
    .bind(&delta.base_digest)
    .bind(&delta.bytes)
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *tx)
    .await
    .map_err(db)?
    .rows_affected();
    commit_audited(
        tx,
        entry(
            actor,
            "sync.list_delta.store",
            format!("list:{}:{}", delta.kind, delta.version),
            json!({ "base": delta.base_version, "bytes": delta.bytes.len(), "stored": stored }),
        ),
    )
    .await
}

pub(super) async fn list_deltas(
    pool: &SqlitePool,
    kind: &str,
    after: i64,
) -> StoreResult<Vec<ListDeltaRow>> {
    let rows: Vec<(String, i64, i64, String, Vec<u8>)> = sqlx::query_as(
        "SELECT kind, version, base_version, base_digest, bytes FROM sync_list_deltas
         WHERE kind = ? AND version > ? ORDER BY version",
    )
    .bind(kind)
    .bind(after)
    .fetch_all(pool)
    .await
    .map_err(db)?;
    Ok(rows
        .into_iter()
        .map(
            |(kind, version, base_version, base_digest, bytes)| ListDeltaRow {
                kind,
                version,
                base_version,
                base_digest,
                bytes,
            },
        )
        .collect())
}

pub(super) async fn prune_list_deltas(
    s: &SqliteStore,
    kind: &str,
    through: i64,
    actor: &Actor,
) -> StoreResult<u64> {
    let mut tx = s.begin().await?;
    let dropped = sqlx::query("DELETE FROM sync_list_deltas WHERE kind = ? AND version <= ?")
        .bind(kind)
        .bind(through)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
    commit_audited_if_changed(tx, dropped, || {
        entry(
            actor,
            "sync.list_delta.prune",
            format!("list:{kind}"),
            json!({ "through": through, "dropped": dropped }),
        )
    })
    .await
}

pub(super) async fn drop_superseded_lists(
    s: &SqliteStore,
    kind: &str,
    actor: &Actor,
) -> StoreResult<u64> {
    let mut tx = s.begin().await?;
    let mut dropped = 0;
    for sql in [
        "DELETE FROM sync_downlink WHERE kind = ?1
         AND version < (SELECT MAX(version) FROM sync_downlink WHERE kind = ?1)",
        "DELETE FROM sync_downlink_received WHERE kind = ?1
         AND version < (SELECT MAX(version) FROM sync_downlink_received WHERE kind = ?1)",
    ] {
        dropped += sqlx::query(sql)
            .bind(kind)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
    }
    commit_audited_if_changed(tx, dropped, || {
        entry(
            actor,
            "sync.list.drop_superseded",
            format!("list:{kind}"),
            json!({ "dropped": dropped }),
        )
    })
    .await
}

pub(super) async fn latest_published_version(
    pool: &SqlitePool,
    kind: &str,
) -> StoreResult<Option<i64>> {
    sqlx::query_scalar("SELECT MAX(version) FROM sync_downlink WHERE kind = ?")
        .bind(kind)
        .fetch_one(pool)
        .await
        .map_err(db)
}
