//! Appending to, reading and verifying the audit chain in SQLite.

use sqlx::{QueryBuilder, Row, SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use super::{db, ts};
use crate::{
    AuditEntry, AuditQuery, AuditVerification, NewAuditEntry, StoreResult,
    audit::{ChainVerifier, GENESIS_HASH, entry_hash},
};

pub(super) async fn append(
    conn: &mut SqliteConnection,
    e: NewAuditEntry,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS_HASH.to_owned()),
    };
    let at = ts(now);
    let detail = e.detail.to_string();
    let hash = entry_hash(
        &prev_hash, seq, &at, &e.actor, &e.office, e.action, &e.subject, &detail,
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, office, action, subject, detail, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(seq)
    .bind(at)
    .bind(&e.actor)
    .bind(&e.office)
    .bind(e.action)
    .bind(&e.subject)
    .bind(detail)
    .bind(prev_hash)
    .bind(hash)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

fn entry(row: &sqlx::sqlite::SqliteRow) -> Result<AuditEntry, sqlx::Error> {
    Ok(AuditEntry {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        office: row.try_get("office")?,
        action: row.try_get("action")?,
        subject: row.try_get("subject")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

pub(super) async fn entries(pool: &SqlitePool, q: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
    let mut b = QueryBuilder::new("SELECT * FROM audit_log WHERE 1 = 1");
    if let Some(v) = &q.actor {
        b.push(" AND actor = ").push_bind(v.clone());
    }
    if let Some(v) = &q.office {
        b.push(" AND office = ").push_bind(v.clone());
    }
    if let Some(v) = &q.subject {
        b.push(" AND subject = ").push_bind(v.clone());
    }
    if let Some(v) = &q.action {
        b.push(" AND action = ").push_bind(v.clone());
    }
    if let Some(v) = &q.since {
        b.push(" AND at >= ").push_bind(v.clone());
    }
    if let Some(v) = &q.until {
        b.push(" AND at < ").push_bind(v.clone());
    }
    if let Some(v) = q.before_seq {
        b.push(" AND seq < ").push_bind(v);
    }
    b.push(" ORDER BY seq DESC LIMIT ")
        .push_bind(i64::from(q.limit.clamp(1, 1000)));
    let rows = b.build().fetch_all(pool).await.map_err(db)?;
    rows.iter().map(|r| entry(r).map_err(db)).collect()
}

/// Streams the whole log in order; memory stays flat however long the chain is.
pub(super) async fn verify(pool: &SqlitePool) -> StoreResult<AuditVerification> {
    use futures_util::StreamExt;
    let mut v = ChainVerifier::default();
    let mut rows = sqlx::query("SELECT * FROM audit_log ORDER BY seq").fetch(pool);
    while let Some(row) = rows.next().await {
        let row = row.map_err(db)?;
        let e = entry(&row).map_err(db)?;
        if let Err(broken) = v.check(&e) {
            return Ok(AuditVerification {
                verified: v.checked(),
                head: v.head().to_owned(),
                broken: Some(broken),
            });
        }
    }
    Ok(AuditVerification {
        verified: v.checked(),
        head: v.head().to_owned(),
        broken: None,
    })
}
