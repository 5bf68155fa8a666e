//! The review queue and adjudicators' decisions: link, separate, merge, split, undo.
//!
//! A decision is a row of `link_decisions` and the `record_moves` it made; `record_links`
//! holds the result. Undoing replays the moves backwards as a new decision, so nothing is
//! ever rewritten and every state can be explained from the history.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;
use sijil_core::{PersonRecord, PersonView};
use sqlx::{Row, SqliteConnection, sqlite::SqliteRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    SqliteStore, access::entry, append_audit, commit_audited, db, parse_ts, records, rows, ts,
};
use crate::{
    Actor, Adjudication, CandidateDetail, DecisionEntry, DecisionReceipt, Person, RecordMove,
    ReviewCandidate, ReviewItem, ReviewKind, ReviewQuery, ReviewSummary, StoreError, StoreResult,
    StoredRecord,
};

/// A record's full name as captured, for lists.
fn display_name(r: &PersonRecord) -> String {
    [
        &r.first_name,
        &r.father_name,
        &r.grandfather_name,
        &r.family_name,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join(" ")
}

fn fields(row: &SqliteRow) -> StoreResult<PersonRecord> {
    let f: String = row.try_get("fields").map_err(db)?;
    serde_json::from_str(&f).map_err(|e| StoreError::Corrupt(format!("record fields: {e}")))
}

fn candidates(json: &str) -> StoreResult<Vec<ReviewCandidate>> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("review candidates: {e}")))
}

fn best_weight(c: &[ReviewCandidate]) -> f64 {
    c.iter().map(|c| c.weight).fold(f64::NEG_INFINITY, f64::max)
}

pub(super) async fn review_queue(
    s: &SqliteStore,
    q: &ReviewQuery,
    actor: &Actor,
) -> StoreResult<Vec<ReviewSummary>> {
    let limit = if q.limit == 0 { 50 } else { q.limit.min(500) };
    let mut tx = s.begin().await?;
    let found = sqlx::query(
        "SELECT i.id, i.kind, i.candidates, i.created_at, i.settled_by, r.fields, r.office_code,
                l.person_id
         FROM review_items i JOIN source_records r ON r.seq = i.record_seq
         JOIN record_links l ON l.record_seq = i.record_seq
         WHERE (?1 OR i.settled_by IS NULL) AND (?2 IS NULL OR r.office_code = ?2)
         ORDER BY i.created_at, i.id LIMIT ?3",
    )
    .bind(q.include_settled)
    .bind(q.office.as_ref().map(|o| o.as_str()))
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let items = found
        .iter()
        .map(|row| {
            let kind: String = row.try_get("kind").map_err(db)?;
            let cands = candidates(&row.try_get::<String, _>("candidates").map_err(db)?)?;
            Ok(ReviewSummary {
                id: rows::uuid(&row.try_get::<String, _>("id").map_err(db)?)?,
                kind: ReviewKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("review kind {kind:?}")))?,
                person_id: rows::uuid(&row.try_get::<String, _>("person_id").map_err(db)?)?,
                name: display_name(&fields(row)?),
                office: rows::office_code(&row.try_get::<String, _>("office_code").map_err(db)?)?,
                candidates: cands.len(),
                best_weight: best_weight(&cands),
                created_at: parse_ts(&row.try_get::<String, _>("created_at").map_err(db)?)?,
                settled_by: rows::opt_uuid(row, "settled_by")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    commit_audited(
        tx,
        entry(
            actor,
            "review.list",
            "review:queue".into(),
            json!({ "items": ids }),
        ),
    )
    .await?;
    Ok(items)
}

/// Open review items, of one office's captures when given; reads no person, so not audited.
pub(super) async fn open_count(
    s: &SqliteStore,
    office: Option<&sijil_core::OfficeCode>,
) -> StoreResult<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM review_items i JOIN source_records r ON r.seq = i.record_seq
         WHERE i.settled_by IS NULL AND (?1 IS NULL OR r.office_code = ?1)",
    )
    .bind(office.map(|o| o.as_str()))
    .fetch_one(&s.reader)
    .await
    .map_err(db)
}

/// The office whose capture opened a review item; reads no person, so not audited.
pub(super) async fn review_office(
    s: &SqliteStore,
    id: Uuid,
) -> StoreResult<sijil_core::OfficeCode> {
    let office: Option<String> = sqlx::query_scalar(
        "SELECT r.office_code FROM review_items i JOIN source_records r ON r.seq = i.record_seq
         WHERE i.id = ?",
    )
    .bind(id.to_string())
    .fetch_optional(&s.reader)
    .await
    .map_err(db)?;
    rows::office_code(&office.ok_or(StoreError::NotFound("review item"))?)
}

async fn person_row(conn: &mut SqliteConnection, id: &str) -> StoreResult<Person> {
    let row = sqlx::query("SELECT * FROM persons WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("person"))?;
    rows::person(&row)
}

async fn record_row(conn: &mut SqliteConnection, seq: i64) -> StoreResult<StoredRecord> {
    let row = sqlx::query(
        "SELECT r.*, l.person_id FROM source_records r JOIN record_links l ON l.record_seq = r.seq
         WHERE r.seq = ?",
    )
    .bind(seq)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound("record"))?;
    rows::record(&row)
}

/// A review item's stored columns.
struct ItemRow {
    kind: ReviewKind,
    record_seq: i64,
    candidates: Vec<ReviewCandidate>,
    created_at: OffsetDateTime,
    settled_by: Option<Uuid>,
}

async fn item_row(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<ItemRow> {
    let row = sqlx::query(
        "SELECT kind, record_seq, candidates, created_at, settled_by FROM review_items WHERE id = ?",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound("review item"))?;
    let kind: String = row.try_get("kind").map_err(db)?;
    Ok(ItemRow {
        kind: ReviewKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("review kind {kind:?}")))?,
        record_seq: row.try_get("record_seq").map_err(db)?,
        candidates: candidates(&row.try_get::<String, _>("candidates").map_err(db)?)?,
        created_at: parse_ts(&row.try_get::<String, _>("created_at").map_err(db)?)?,
        settled_by: rows::opt_uuid(&row, "settled_by")?,
    })
}

pub(super) async fn review_item(
    s: &SqliteStore,
    id: Uuid,
    actor: &Actor,
) -> StoreResult<ReviewItem> {
    let mut tx = s.begin().await?;
    let item = item_row(&mut tx, id).await?;
    let record = record_row(&mut tx, item.record_seq).await?;
    let person_id = record.person_id.ok_or(StoreError::NotFound("person"))?;
    let person = person_row(&mut tx, &person_id.to_string()).await?;
    let mut shown = vec![person.id];
    let mut cands = Vec::with_capacity(item.candidates.len());
    for c in &item.candidates {
        let cand_record = record_row(&mut tx, c.record_seq).await?;
        // The candidate's record may have moved since: show the person it belongs to now.
        let now_of = cand_record.person_id.unwrap_or(c.person_id);
        let cand_person = person_row(&mut tx, &now_of.to_string()).await?;
        shown.push(cand_person.id);
        cands.push(CandidateDetail {
            person: cand_person,
            record: cand_record,
            weight: c.weight,
            explanation: c.explanation.clone(),
        });
    }
    commit_audited(
        tx,
        entry(
            actor,
            "review.read",
            format!("review:{id}"),
            json!({ "persons": shown }),
        ),
    )
    .await?;
    Ok(ReviewItem {
        id,
        kind: item.kind,
        record,
        person,
        candidates: cands,
        created_at: item.created_at,
        settled_by: item.settled_by,
    })
}

async fn person_of_record(conn: &mut SqliteConnection, seq: i64) -> StoreResult<Uuid> {
    let p: String = sqlx::query_scalar("SELECT person_id FROM record_links WHERE record_seq = ?")
        .bind(seq)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("record"))?;
    rows::uuid(&p)
}

async fn records_of(conn: &mut SqliteConnection, person: Uuid) -> StoreResult<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT record_seq FROM record_links WHERE person_id = ? ORDER BY record_seq",
    )
    .bind(person.to_string())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)
}

/// The person someone was merged into, followed to the end (a merged person's records are
/// all with the survivor).
async fn survivor(conn: &mut SqliteConnection, mut person: Uuid) -> StoreResult<Uuid> {
    for _ in 0..64 {
        let row: Option<Option<String>> =
            sqlx::query_scalar("SELECT merged_into FROM persons WHERE id = ?")
                .bind(person.to_string())
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
        match row {
            None => return Err(StoreError::NotFound("person")),
            Some(None) => return Ok(person),
            Some(Some(next)) => person = rows::uuid(&next)?,
        }
    }
    Err(StoreError::Corrupt("merge chain longer than 64".into()))
}

fn conflict(msg: &str) -> StoreError {
    StoreError::Conflict(msg.to_owned())
}

/// Records to move, as (record, to), and what else the decision does.
struct Plan {
    moves: Vec<(i64, Uuid)>,
    record_seq: Option<i64>,
    review: Option<Uuid>,
    settles: bool,
    reverses: Option<Uuid>,
    new_person: Option<Uuid>,
}

impl Plan {
    fn new(moves: Vec<(i64, Uuid)>) -> Self {
        Plan {
            moves,
            record_seq: None,
            review: None,
            settles: false,
            reverses: None,
            new_person: None,
        }
    }
}

async fn open_item(conn: &mut SqliteConnection, review: Uuid) -> StoreResult<ItemRow> {
    let item = item_row(conn, review).await?;
    if item.settled_by.is_some() {
        return Err(conflict("the review item is already settled"));
    }
    Ok(item)
}

async fn plan(
    conn: &mut SqliteConnection,
    decision: &Adjudication,
    actor: &Actor,
    now: &str,
) -> StoreResult<Plan> {
    Ok(match decision {
        Adjudication::Link { review, person } => {
            let item = open_item(conn, *review).await?;
            let mut chosen = None;
            for c in &item.candidates {
                let now_of = person_of_record(conn, c.record_seq).await?;
                if c.person_id == *person || now_of == *person {
                    chosen = Some(now_of);
                }
            }
            let target = chosen.ok_or_else(|| conflict("that person is not a candidate"))?;
            let target = survivor(conn, target).await?;
            let current = person_of_record(conn, item.record_seq).await?;
            if current == target {
                return Err(conflict("the record already belongs to that person"));
            }
            let moves = match item.kind {
                ReviewKind::PossibleMatch => vec![(item.record_seq, target)],
                // One person after all: the candidate's records join the record's person.
                ReviewKind::Merge => records_of(conn, target)
                    .await?
                    .into_iter()
                    .map(|r| (r, current))
                    .collect(),
            };
            Plan {
                record_seq: Some(item.record_seq),
                review: Some(*review),
                settles: true,
                ..Plan::new(moves)
            }
        }
        Adjudication::Separate { review } => {
            let item = open_item(conn, *review).await?;
            Plan {
                record_seq: Some(item.record_seq),
                review: Some(*review),
                settles: true,
                ..Plan::new(Vec::new())
            }
        }
        Adjudication::Merge { from, into } => {
            if from == into {
                return Err(conflict("a person cannot be merged into themselves"));
            }
            let into = survivor(conn, *into).await?;
            if survivor(conn, *from).await? != *from {
                return Err(conflict("that person was already merged"));
            }
            let moves: Vec<_> = records_of(conn, *from)
                .await?
                .into_iter()
                .map(|r| (r, into))
                .collect();
            if moves.is_empty() {
                return Err(conflict("that person has no records"));
            }
            Plan::new(moves)
        }
        Adjudication::Split { person, records } => {
            if records.is_empty() {
                return Err(conflict("choose the records that leave"));
            }
            let held = records_of(conn, *person).await?;
            let mut leaving = Vec::with_capacity(records.len());
            for id in records {
                let seq: Option<i64> =
                    sqlx::query_scalar("SELECT seq FROM source_records WHERE id = ?")
                        .bind(id.to_string())
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(db)?;
                match seq {
                    Some(seq) if held.contains(&seq) => leaving.push(seq),
                    _ => return Err(conflict("a chosen record does not belong to that person")),
                }
            }
            leaving.sort_unstable();
            leaving.dedup();
            if leaving.len() == held.len() {
                return Err(conflict(
                    "a split must leave the person at least one record",
                ));
            }
            let new_person = new_person(conn, &leaving, actor, now).await?;
            Plan {
                new_person: Some(new_person),
                ..Plan::new(leaving.into_iter().map(|r| (r, new_person)).collect())
            }
        }
        Adjudication::Undo { decision } => {
            let row: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
                "SELECT review_id, record_seq FROM link_decisions WHERE id = ? AND kind != 'resolution'",
            )
            .bind(decision.to_string())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
            let (review, record_seq) = row.ok_or(StoreError::NotFound("adjudicator's decision"))?;
            let undone: Option<String> =
                sqlx::query_scalar("SELECT id FROM link_decisions WHERE reverses = ?")
                    .bind(decision.to_string())
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?;
            if undone.is_some() {
                return Err(conflict("that decision was already undone"));
            }
            let moved: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT record_seq, from_person, to_person FROM record_moves WHERE decision_id = ? ORDER BY seq DESC",
            )
            .bind(decision.to_string())
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            let mut moves = Vec::with_capacity(moved.len());
            for (seq, from, to) in moved {
                if person_of_record(conn, seq).await?.to_string() != to {
                    return Err(conflict(
                        "a record of that decision was moved again since: undo the later decision first",
                    ));
                }
                moves.push((seq, rows::uuid(&from)?));
            }
            let review = review.as_deref().map(rows::uuid).transpose()?;
            if let Some(r) = review {
                let item = item_row(conn, r).await?;
                if item.settled_by != Some(*decision) {
                    return Err(conflict("the review item was settled again since"));
                }
            }
            Plan {
                record_seq,
                review,
                reverses: Some(*decision),
                ..Plan::new(moves)
            }
        }
    })
}

/// Creates a person for records split off, with a new national number from the actor's
/// office and a view from those records.
async fn new_person(
    conn: &mut SqliteConnection,
    seqs: &[i64],
    actor: &Actor,
    now: &str,
) -> StoreResult<Uuid> {
    let mut recs = Vec::with_capacity(seqs.len());
    for &seq in seqs {
        let f: String = sqlx::query_scalar("SELECT fields FROM source_records WHERE seq = ?")
            .bind(seq)
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        recs.push(
            serde_json::from_str::<PersonRecord>(&f)
                .map_err(|e| StoreError::Corrupt(format!("record fields: {e}")))?,
        );
    }
    let mut issuer = records::Issuer::for_office(conn, actor.office.as_str()).await?;
    let number = issuer.issue(conn).await?;
    issuer.save(conn).await?;
    let id = Uuid::now_v7();
    records::insert_person(conn, id, &number, &PersonView::derive(&recs), now).await?;
    Ok(id)
}

pub(super) async fn adjudicate(
    s: &SqliteStore,
    decision: Adjudication,
    reason: &str,
    actor: &Actor,
) -> StoreResult<DecisionReceipt> {
    let now = ts(OffsetDateTime::now_utc());
    let mut tx = s.begin().await?;
    let plan = plan(&mut tx, &decision, actor, &now).await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO link_decisions (id, kind, record_seq, review_id, reverses, reason, decided_by, office_code, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(decision.kind())
    .bind(plan.record_seq)
    .bind(plan.review.map(|r| r.to_string()))
    .bind(plan.reverses.map(|r| r.to_string()))
    .bind(reason)
    .bind(actor.username.as_str())
    .bind(actor.office.as_str())
    .bind(&now)
    .execute(&mut *tx)
    .await
    .map_err(db)?;

    let mut moves = Vec::with_capacity(plan.moves.len());
    let mut touched: BTreeMap<Uuid, Option<Uuid>> = BTreeMap::new();
    for &(record_seq, to) in &plan.moves {
        let from = person_of_record(&mut tx, record_seq).await?;
        sqlx::query("UPDATE record_links SET person_id = ?, decision = ?, linked_at = ? WHERE record_seq = ?")
            .bind(to.to_string())
            .bind(decision.kind())
            .bind(&now)
            .bind(record_seq)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO record_moves (decision_id, record_seq, from_person, to_person) VALUES (?, ?, ?, ?) RETURNING seq",
        )
        .bind(id.to_string())
        .bind(record_seq)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        moves.push(RecordMove {
            seq,
            record_seq,
            from,
            to,
        });
        touched.insert(from, Some(to));
        touched.entry(to).or_insert(None);
    }
    // Persons left without records point to where their records went; persons who have
    // records again (an undone merge) point nowhere.
    for (&person, &went_to) in &touched {
        let left = records_of(&mut tx, person).await?;
        if left.is_empty() {
            sqlx::query("UPDATE persons SET merged_into = ?, updated_at = ? WHERE id = ?")
                .bind(went_to.map(|t| t.to_string()))
                .bind(&now)
                .bind(person.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        } else {
            sqlx::query("UPDATE persons SET merged_into = NULL WHERE id = ?")
                .bind(person.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            records::refresh_view(&mut tx, person, &now).await?;
        }
    }
    if let Some(review) = plan.review {
        let settled_by = plan.settles.then(|| id.to_string());
        sqlx::query("UPDATE review_items SET settled_by = ? WHERE id = ?")
            .bind(settled_by)
            .bind(review.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    let persons: BTreeSet<Uuid> = touched.keys().copied().collect();
    let subject = match plan.review {
        Some(r) => format!("review:{r}"),
        None => format!("decision:{id}"),
    };
    let detail = json!({
        "decision": id,
        "kind": decision.kind(),
        "moves": moves.len(),
        "persons": persons,
        "reverses": plan.reverses,
    });
    let action = match decision {
        Adjudication::Link { .. } => "decision.link",
        Adjudication::Separate { .. } => "decision.separate",
        Adjudication::Merge { .. } => "decision.merge",
        Adjudication::Split { .. } => "decision.split",
        Adjudication::Undo { .. } => "decision.undo",
    };
    append_audit(&mut tx, entry(actor, action, subject, detail)).await?;
    tx.commit().await.map_err(db)?;
    Ok(DecisionReceipt {
        decision_id: id,
        moves,
        new_person: plan.new_person,
    })
}

pub(super) async fn decisions_of(
    s: &SqliteStore,
    person: Uuid,
    actor: &Actor,
) -> StoreResult<Vec<DecisionEntry>> {
    let mut tx = s.begin().await?;
    let p = person.to_string();
    let found = sqlx::query(
        "SELECT d.*, r.id AS record_id FROM link_decisions d
         LEFT JOIN source_records r ON r.seq = d.record_seq
         WHERE d.id IN (SELECT decision_id FROM record_moves WHERE from_person = ? OR to_person = ?)
            OR d.record_seq IN (SELECT record_seq FROM record_links WHERE person_id = ?)
         ORDER BY d.seq DESC LIMIT 200",
    )
    .bind(&p)
    .bind(&p)
    .bind(&p)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let mut out = Vec::with_capacity(found.len());
    for row in &found {
        let id: String = row.try_get("id").map_err(db)?;
        let moved: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT seq, record_seq, from_person, to_person FROM record_moves WHERE decision_id = ? ORDER BY seq",
        )
        .bind(&id)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let opt_uuid = |col: &str| rows::opt_uuid(row, col);
        out.push(DecisionEntry {
            id: rows::uuid(&id)?,
            kind: row.try_get("kind").map_err(db)?,
            record_id: opt_uuid("record_id")?,
            review_id: opt_uuid("review_id")?,
            reverses: opt_uuid("reverses")?,
            reason: row.try_get("reason").map_err(db)?,
            explanation: row
                .try_get::<Option<String>, _>("explanation")
                .map_err(db)?
                .map(|e| {
                    serde_json::from_str(&e)
                        .map_err(|e| StoreError::Corrupt(format!("explanation: {e}")))
                })
                .transpose()?,
            decided_by: row.try_get("decided_by").map_err(db)?,
            decided_at: parse_ts(&row.try_get::<String, _>("decided_at").map_err(db)?)?,
            moves: moved
                .into_iter()
                .map(rows::record_move)
                .collect::<StoreResult<_>>()?,
        });
    }
    commit_audited(
        tx,
        entry(
            actor,
            "person.decisions.read",
            format!("person:{person}"),
            json!({}),
        ),
    )
    .await?;
    Ok(out)
}
