//! Persons merged into others: a merge leaves the merged-away person's row in place (its
//! national number is never reissued) with `merged_into` naming where its records went. What
//! still names that row (civil events, documents, passport applications, alerts on its
//! number) belongs to the survivor too; the helpers here find, in one query each, every person
//! merged into a survivor (transitively) and the survivor of a merged-away person, so that
//! reads and rules see one person whole. An undone merge clears `merged_into`, and then the
//! two are apart again with no other change.

use sqlx::{Row, SqliteConnection};
use uuid::Uuid;

use super::{db, parse_ts, rows};
use crate::{MergedFrom, StoreError, StoreResult};

/// `id` followed by every person merged into it, directly or through others. `UNION` (not
/// `UNION ALL`) stops at a repeated id, so even a corrupt cycle cannot loop.
pub(super) async fn lineage(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<Vec<Uuid>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "WITH RECURSIVE lineage(id) AS (
             SELECT ?1
             UNION SELECT p.id FROM persons p JOIN lineage l ON p.merged_into = l.id
         )
         SELECT id FROM lineage",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut out: Vec<Uuid> = ids
        .iter()
        .map(|s| rows::uuid(s))
        .collect::<StoreResult<_>>()?;
    // The survivor first, whatever order SQLite walked in.
    out.sort_by_key(|p| *p != id);
    Ok(out)
}

/// The person `id` now is: itself unless it was merged away, else the end of its
/// `merged_into` chain.
pub(super) async fn survivor(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<Uuid> {
    let last: Option<String> = sqlx::query_scalar(
        "WITH RECURSIVE up(id, depth) AS (
             SELECT ?1, 0
             UNION SELECT p.merged_into, up.depth + 1 FROM persons p JOIN up ON p.id = up.id
                   WHERE p.merged_into IS NOT NULL AND up.depth < 64
         )
         SELECT id FROM up ORDER BY depth DESC LIMIT 1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    last.as_deref()
        .map(rows::uuid)
        .transpose()
        .map(|s| s.unwrap_or(id))
}

/// The national numbers of a set of persons (for alerts, which name numbers, not ids).
pub(super) async fn numbers_of(
    conn: &mut SqliteConnection,
    ids: &[Uuid],
) -> StoreResult<Vec<String>> {
    let mut b = sqlx::QueryBuilder::new("SELECT national_number FROM persons WHERE id IN (");
    let mut sep = b.separated(", ");
    for id in ids {
        sep.push_bind(id.to_string());
    }
    b.push(") ORDER BY national_number");
    b.build_query_scalar()
        .fetch_all(&mut *conn)
        .await
        .map_err(db)
}

/// `IN (?, ?, …)` over these ids, for a query built with [`sqlx::QueryBuilder`].
pub(super) fn push_ids(b: &mut sqlx::QueryBuilder<sqlx::Sqlite>, ids: &[Uuid]) {
    b.push("(");
    let mut sep = b.separated(", ");
    for id in ids {
        sep.push_bind(id.to_string());
    }
    b.push(")");
}

/// Every person merged into `id` (transitively), each with the decision that emptied it:
/// the last move of its records to the person it points to.
pub(super) async fn merged_from(
    conn: &mut SqliteConnection,
    id: Uuid,
) -> StoreResult<Vec<MergedFrom>> {
    let found = sqlx::query(
        "WITH RECURSIVE lineage(id) AS (
             SELECT ?1
             UNION SELECT p.id FROM persons p JOIN lineage l ON p.merged_into = l.id
         )
         SELECT p.id, p.national_number, p.merged_into,
                d.id AS decision_id, d.kind, d.decided_by, d.decided_at
         FROM lineage l JOIN persons p ON p.id = l.id
         LEFT JOIN link_decisions d ON d.id = (
             SELECT m.decision_id FROM record_moves m
             WHERE m.from_person = p.id AND m.to_person = p.merged_into
             ORDER BY m.seq DESC LIMIT 1)
         WHERE p.id <> ?1
         ORDER BY d.decided_at, p.national_number",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    found
        .iter()
        .map(|row| {
            let text = |c: &str| row.try_get::<Option<String>, _>(c).map_err(db);
            Ok(MergedFrom {
                person_id: rows::uuid(&row.try_get::<String, _>("id").map_err(db)?)?,
                national_number: row.try_get("national_number").map_err(db)?,
                into: text("merged_into")?
                    .as_deref()
                    .map(rows::uuid)
                    .transpose()?
                    .unwrap_or(id),
                decision_id: text("decision_id")?
                    .as_deref()
                    .map(rows::uuid)
                    .transpose()?,
                decision_kind: text("kind")?,
                decided_by: text("decided_by")?,
                decided_at: text("decided_at")?.as_deref().map(parse_ts).transpose()?,
            })
        })
        .collect()
}

/// Refuses to write on a person who was merged away (an event, a document, an application):
/// it belongs on the survivor, whose national number the error names.
pub(super) async fn refuse_merged(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<()> {
    let into: Option<Option<String>> =
        sqlx::query_scalar("SELECT merged_into FROM persons WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    match into.flatten() {
        Some(_) => Err(merged_away(conn, id).await),
        None => Ok(()),
    }
}

/// The error for a write on merged-away `id`, naming the survivor's national number.
pub(super) async fn merged_away(conn: &mut SqliteConnection, id: Uuid) -> StoreError {
    let number: StoreResult<String> = async {
        let to = survivor(conn, id).await?;
        sqlx::query_scalar("SELECT national_number FROM persons WHERE id = ?")
            .bind(to.to_string())
            .fetch_one(&mut *conn)
            .await
            .map_err(db)
    }
    .await;
    match number {
        Ok(number) => StoreError::Conflict(format!(
            "this person was merged into the person with national number {number}: use that person"
        )),
        Err(e) => e,
    }
}
