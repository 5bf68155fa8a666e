//! Receipts in SQLite: the central's answer computed from its registry as it stands, and the
//! office's copy of the answers (`sync_receipts`, migration 20261129000005).

use serde_json::json;
use sijil_core::NationalNumber;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteStore, access::entry, commit_audited, db, parse_ts, ts};
use crate::{Actor, HeldReceipt, Receipt, ReceiptOutcome, StoreError, StoreResult};

/// Most packet ids in one question (bound values stay far below SQLite's limit).
pub(super) const MAX_ASKED: usize = 1000;

pub(super) async fn central_receipts(
    pool: &SqlitePool,
    key_id: &str,
    packet_ids: &[Uuid],
) -> StoreResult<Vec<Receipt>> {
    if packet_ids.is_empty() {
        return Ok(vec![]);
    }
    if packet_ids.len() > MAX_ASKED {
        return Err(StoreError::Conflict(format!(
            "at most {MAX_ASKED} packets a question"
        )));
    }
    // One row per packet of this key. "new": no record of the same person is older than this
    // one (the person's number was issued for it); "review": a review item about the record is
    // still open, whatever person it sits with meanwhile.
    let mut b = QueryBuilder::<Sqlite>::new(
        "SELECT i.packet_id, i.state, p.national_number,
            EXISTS (SELECT 1 FROM review_items ri WHERE ri.record_seq = r.seq AND ri.settled_by IS NULL) AS in_review,
            NOT EXISTS (SELECT 1 FROM record_links l2 WHERE l2.person_id = l.person_id AND l2.record_seq < r.seq) AS first,
            (SELECT q.reason_code FROM sync_quarantine q WHERE q.packet_id = i.packet_id
               ORDER BY q.received_at DESC LIMIT 1) AS reason_code
         FROM sync_inbox i
         LEFT JOIN source_records r ON r.id = i.source_record_id
         LEFT JOIN record_links l ON l.record_seq = r.seq
         LEFT JOIN persons p ON p.id = l.person_id
         WHERE i.key_id = ",
    );
    b.push_bind(key_id).push(" AND i.packet_id IN (");
    let mut sep = b.separated(", ");
    for id in packet_ids {
        sep.push_bind(id.to_string());
    }
    b.push(")");
    let rows = b.build().fetch_all(pool).await.map_err(db)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let packet_id: String = row.try_get("packet_id").map_err(db)?;
        let packet_id =
            Uuid::parse_str(&packet_id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let state: String = row.try_get("state").map_err(db)?;
        let number: Option<String> = row.try_get("national_number").map_err(db)?;
        let in_review: bool = row.try_get("in_review").map_err(db)?;
        let first: bool = row.try_get("first").map_err(db)?;
        let reason_code: Option<String> = row.try_get("reason_code").map_err(db)?;
        let receipt = match (state.as_str(), number) {
            ("quarantined", _) => Receipt {
                packet_id,
                outcome: ReceiptOutcome::Quarantined,
                national_number: None,
                reason_code,
            },
            ("accepted", Some(_)) if in_review => Receipt {
                packet_id,
                outcome: ReceiptOutcome::Review,
                national_number: None,
                reason_code: None,
            },
            ("accepted", Some(n)) => Receipt {
                packet_id,
                outcome: if first {
                    ReceiptOutcome::New
                } else {
                    ReceiptOutcome::Linked
                },
                national_number: Some(
                    NationalNumber::parse(&n).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                ),
                reason_code: None,
            },
            // Still applying, or a record without a person (cannot happen): no answer yet.
            _ => continue,
        };
        out.push(receipt);
    }
    // Packets refused before they were claimed (a replayed sequence, a record id already
    // registered, failed validation, …) have no inbox entry, only their quarantine row; the
    // header's key names the device, so a key still learns only about its own packets.
    let mut b = QueryBuilder::<Sqlite>::new(
        "SELECT q.packet_id, q.reason_code FROM sync_quarantine q
         WHERE q.key_id = ",
    );
    b.push_bind(key_id).push(" AND q.packet_id IN (");
    let mut sep = b.separated(", ");
    for id in packet_ids {
        sep.push_bind(id.to_string());
    }
    b.push(
        ") AND NOT EXISTS (SELECT 1 FROM sync_inbox i WHERE i.packet_id = q.packet_id)
         ORDER BY q.received_at",
    );
    let mut seen = std::collections::HashSet::new();
    for row in b.build().fetch_all(pool).await.map_err(db)?.iter().rev() {
        let packet_id: String = row.try_get("packet_id").map_err(db)?;
        let packet_id =
            Uuid::parse_str(&packet_id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        // The latest refusal of a packet sent more than once.
        if seen.insert(packet_id) {
            out.push(Receipt {
                packet_id,
                outcome: ReceiptOutcome::Quarantined,
                national_number: None,
                reason_code: row.try_get("reason_code").map_err(db)?,
            });
        }
    }
    Ok(out)
}

pub(super) async fn receipts_wanted(
    pool: &SqlitePool,
    recheck: OffsetDateTime,
    limit: u32,
) -> StoreResult<Vec<Uuid>> {
    // Unanswered ones (`pending`) are asked again a minute later; answers that may still
    // change (review, quarantine) at `recheck`.
    let soon = OffsetDateTime::now_utc() - time::Duration::minutes(1);
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT o.packet_id FROM sync_outbox o LEFT JOIN sync_receipts s ON s.packet_id = o.packet_id
         WHERE o.state = 'acknowledged'
           AND (s.packet_id IS NULL
                OR (s.outcome = 'pending' AND s.checked_at < ?)
                OR (s.outcome IN ('review', 'quarantined') AND s.checked_at < ?))
         ORDER BY s.packet_id IS NOT NULL, o.key_id, o.sequence LIMIT ?",
    )
    .bind(ts(soon))
    .bind(ts(recheck))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db)?;
    ids.iter()
        .map(|id| Uuid::parse_str(id).map_err(|e| StoreError::Corrupt(e.to_string())))
        .collect()
}

pub(super) async fn store_receipts(
    s: &SqliteStore,
    asked: &[Uuid],
    receipts: &[Receipt],
    actor: &Actor,
) -> StoreResult<u64> {
    let now = ts(OffsetDateTime::now_utc());
    let mut tx = s.begin().await?;
    let mut changed = 0u64;
    for r in receipts {
        // Only packets this node sent; a receipt for anything else is the central's mistake.
        let done = sqlx::query(
            "INSERT INTO sync_receipts (packet_id, outcome, national_number, reason_code, received_at, checked_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?5 WHERE EXISTS (SELECT 1 FROM sync_outbox WHERE packet_id = ?1)
             ON CONFLICT (packet_id) DO UPDATE SET outcome = excluded.outcome,
                national_number = excluded.national_number, reason_code = excluded.reason_code,
                received_at = excluded.received_at, checked_at = excluded.checked_at
             WHERE outcome IS NOT excluded.outcome OR national_number IS NOT excluded.national_number
                OR reason_code IS NOT excluded.reason_code",
        )
        .bind(r.packet_id.to_string())
        .bind(r.outcome.as_str())
        .bind(r.national_number.as_ref().map(|n| n.as_str().to_owned()))
        .bind(r.reason_code.as_deref())
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        changed += done.rows_affected();
    }
    // Asked but not answered (the central is still applying it, or never had it): kept as
    // `pending`, so it is asked again a little later rather than on every pass.
    let answered: std::collections::HashSet<Uuid> = receipts.iter().map(|r| r.packet_id).collect();
    for id in asked.iter().filter(|id| !answered.contains(id)) {
        sqlx::query(
            "INSERT INTO sync_receipts (packet_id, outcome, received_at, checked_at)
             SELECT ?1, 'pending', ?2, ?2 WHERE EXISTS (SELECT 1 FROM sync_outbox WHERE packet_id = ?1)
             ON CONFLICT (packet_id) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    for chunk in asked.chunks(MAX_ASKED) {
        let mut b = QueryBuilder::<Sqlite>::new("UPDATE sync_receipts SET checked_at = ");
        b.push_bind(now.clone()).push(" WHERE packet_id IN (");
        let mut sep = b.separated(", ");
        for id in chunk {
            sep.push_bind(id.to_string());
        }
        b.push(")");
        b.build().execute(&mut *tx).await.map_err(db)?;
    }
    commit_audited(
        tx,
        entry(
            actor,
            "sync.receipts",
            "sync_receipts".to_owned(),
            json!({ "asked": asked.len(), "answered": receipts.len(), "changed": changed }),
        ),
    )
    .await?;
    Ok(changed)
}

pub(super) async fn held_receipts(
    pool: &SqlitePool,
    record_ids: Option<&[String]>,
    limit: u32,
) -> StoreResult<Vec<HeldReceipt>> {
    let mut b = QueryBuilder::<Sqlite>::new(
        "SELECT s.packet_id, s.outcome, s.national_number, s.reason_code, s.received_at,
                r.record_id, p.national_number AS local_number
         FROM sync_receipts s
         JOIN sync_outbox o ON o.packet_id = s.packet_id
         JOIN source_records r ON r.seq = o.record_seq
         LEFT JOIN record_links l ON l.record_seq = r.seq
         LEFT JOIN persons p ON p.id = l.person_id",
    );
    if let Some(ids) = record_ids {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        b.push(" WHERE r.record_id IN (");
        let mut sep = b.separated(", ");
        for id in ids.iter().take(MAX_ASKED) {
            sep.push_bind(id.clone());
        }
        b.push(")");
    }
    b.push(" ORDER BY s.received_at DESC, o.sequence DESC LIMIT ")
        .push_bind(i64::from(limit));
    let rows = b.build().fetch_all(pool).await.map_err(db)?;
    rows.iter()
        .map(|row| {
            let corrupt = |e: String| StoreError::Corrupt(format!("receipt: {e}"));
            let packet_id: String = row.try_get("packet_id").map_err(db)?;
            let outcome: String = row.try_get("outcome").map_err(db)?;
            let number: Option<String> = row.try_get("national_number").map_err(db)?;
            Ok(HeldReceipt {
                receipt: Receipt {
                    packet_id: Uuid::parse_str(&packet_id).map_err(|e| corrupt(e.to_string()))?,
                    outcome: ReceiptOutcome::parse(&outcome).ok_or_else(|| corrupt(outcome))?,
                    national_number: number
                        .map(|n| NationalNumber::parse(&n))
                        .transpose()
                        .map_err(|e| corrupt(e.to_string()))?,
                    reason_code: row.try_get("reason_code").map_err(db)?,
                },
                record_id: row.try_get("record_id").map_err(db)?,
                local_national_number: row.try_get("local_number").map_err(db)?,
                received_at: parse_ts(&row.try_get::<String, _>("received_at").map_err(db)?)?,
            })
        })
        .collect()
}
