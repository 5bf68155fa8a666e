//! What the resolver reads and keeps: records in registry order, record moves, match models,
//! and the decision (with its explanation) and review item written with a new record.

use serde_json::json;
use sijil_core::PersonRecord;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteStore, access::entry, commit_audited, db, parse_ts, rows, ts};
use crate::{
    Actor, Decision, IndexedRecord, ModelSource, NewModel, RecordMove, StoreError, StoreResult,
    StoredModel,
};

pub(super) async fn index_records(
    pool: &SqlitePool,
    after_seq: i64,
    limit: u32,
) -> StoreResult<Vec<IndexedRecord>> {
    let rows = sqlx::query(
        "SELECT r.seq, r.fields, l.person_id FROM source_records r
         JOIN record_links l ON l.record_seq = r.seq
         WHERE r.seq > ? ORDER BY r.seq LIMIT ?",
    )
    .bind(after_seq)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|row| {
            let fields: String = row.try_get("fields").map_err(db)?;
            let person: String = row.try_get("person_id").map_err(db)?;
            Ok(IndexedRecord {
                seq: row.try_get("seq").map_err(db)?,
                record: serde_json::from_str::<PersonRecord>(&fields)
                    .map_err(|e| StoreError::Corrupt(format!("record fields: {e}")))?,
                person_id: rows::uuid(&person)?,
            })
        })
        .collect()
}

pub(super) async fn record_moves(
    pool: &SqlitePool,
    after_seq: i64,
    limit: u32,
) -> StoreResult<Vec<RecordMove>> {
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT seq, record_seq, from_person, to_person FROM record_moves
         WHERE seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(after_seq)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db)?;
    rows.into_iter().map(rows::record_move).collect()
}

pub(super) async fn latest_model(pool: &SqlitePool) -> StoreResult<Option<StoredModel>> {
    let row = sqlx::query(
        "SELECT id, source, records, model, created_at FROM match_models
         ORDER BY created_at DESC, rowid DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await
    .map_err(db)?;
    row.map(|row| {
        let source: String = row.try_get("source").map_err(db)?;
        Ok(StoredModel {
            id: rows::uuid(&row.try_get::<String, _>("id").map_err(db)?)?,
            source: match source.as_str() {
                "registry" => ModelSource::Registry,
                "synthetic" => ModelSource::Synthetic,
                other => return Err(StoreError::Corrupt(format!("model source {other:?}"))),
            },
            records: row.try_get("records").map_err(db)?,
            json: row.try_get("model").map_err(db)?,
            created_at: parse_ts(&row.try_get::<String, _>("created_at").map_err(db)?)?,
        })
    })
    .transpose()
}

pub(super) async fn save_model(
    s: &SqliteStore,
    model: NewModel,
    actor: &Actor,
) -> StoreResult<StoredModel> {
    let id = Uuid::now_v7();
    let now = OffsetDateTime::now_utc();
    let mut tx = s.begin().await?;
    sqlx::query(
        "INSERT INTO match_models (id, source, records, model, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(model.source.as_str())
    .bind(model.records)
    .bind(&model.json)
    .bind(ts(now))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let detail = json!({ "source": model.source.as_str(), "records": model.records });
    commit_audited(
        tx,
        entry(actor, "model.save", format!("model:{id}"), detail),
    )
    .await?;
    Ok(StoredModel {
        id,
        source: model.source,
        records: model.records,
        json: model.json,
        created_at: now,
    })
}

/// Keeps what a model decided about a new record (its explanation) and opens its review
/// item, if any; returns the item's id. Records decided without a model leave no row: their
/// link's reason says it all.
pub(super) async fn keep_resolution(
    conn: &mut SqliteConnection,
    record_seq: i64,
    decision: &Decision,
    actor: &Actor,
    now: &str,
) -> StoreResult<Option<Uuid>> {
    Ok(
        keep_resolutions(conn, &[(record_seq, decision)], actor, now)
            .await?
            .pop()
            .flatten(),
    )
}

/// [`keep_resolution`] for many records, in multi-row statements (an import writes tens of
/// thousands). Returns each record's review item id.
pub(super) async fn keep_resolutions(
    conn: &mut SqliteConnection,
    items: &[(i64, &Decision)],
    actor: &Actor,
    now: &str,
) -> StoreResult<Vec<Option<Uuid>>> {
    /// Rows per statement (SQLite allows 32766 bound values; a decision row binds 9).
    const CHUNK: usize = 1000;
    let review_ids: Vec<Option<Uuid>> = items
        .iter()
        .map(|(_, d)| d.review.as_ref().map(|_| Uuid::now_v7()))
        .collect();
    let kept: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].1.explanation.is_some() || review_ids[i].is_some())
        .collect();
    for chunk in kept.chunks(CHUNK) {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO link_decisions (id, kind, record_seq, review_id, reason, explanation, model_id, decided_by, office_code, decided_at) ",
        );
        b.push_values(chunk, |mut row, &i| {
            let (seq, d) = items[i];
            row.push_bind(Uuid::now_v7().to_string())
                .push_bind("resolution")
                .push_bind(seq)
                .push_bind(review_ids[i].map(|r| r.to_string()))
                .push_bind(d.reason)
                .push_bind(d.explanation.as_ref().map(|e| e.to_string()))
                .push_bind(d.model_id.map(|m| m.to_string()))
                .push_bind(actor.username.as_str().to_owned())
                .push_bind(actor.office.as_str().to_owned())
                .push_bind(now.to_owned());
        });
        b.build().execute(&mut *conn).await.map_err(db)?;
    }
    let opened: Vec<usize> = (0..items.len())
        .filter(|&i| review_ids[i].is_some())
        .collect();
    for chunk in opened.chunks(CHUNK) {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO review_items (id, kind, record_seq, candidates, created_at) ",
        );
        b.push_values(chunk, |mut row, &i| {
            let (seq, d) = items[i];
            let review = d.review.as_ref().expect("opened only with a review");
            row.push_bind(review_ids[i].expect("opened").to_string())
                .push_bind(review.kind.as_str())
                .push_bind(seq)
                .push_bind(serde_json::to_string(&review.candidates).expect("candidates serialise"))
                .push_bind(now.to_owned());
        });
        b.build().execute(&mut *conn).await.map_err(db)?;
    }
    Ok(review_ids)
}
