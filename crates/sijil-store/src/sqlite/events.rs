//! Civil events: the registry rules are checked inside the same transaction that records the
//! event, so two clerks cannot both marry the same woman at the same moment.

use serde_json::json;
use sijil_core::{
    CivilEvent, EventKind, NewEvent, PersonFacts, PersonView, Problem, ValidationErrors,
    event::check_event,
};
use sqlx::{Row, SqliteConnection, sqlite::SqliteRow};
use time::{Date, OffsetDateTime, macros::format_description};
use uuid::Uuid;

use super::{SqliteStore, access::entry, commit_audited, db, merged, parse_ts, rows::uuid, ts};
use crate::{Actor, StoreError, StoreResult};

const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

fn event(row: &SqliteRow) -> StoreResult<CivilEvent> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db);
    let opt = |c: &str| row.try_get::<Option<String>, _>(c).map_err(db);
    let date = text("date")?;
    Ok(CivilEvent {
        id: uuid(&text("id")?)?,
        kind: EventKind::parse(&text("kind")?).map_err(|p| StoreError::Corrupt(p.message_en()))?,
        person_id: uuid(&text("person_id")?)?,
        spouse_id: opt("spouse_id")?.as_deref().map(uuid).transpose()?,
        date: Date::parse(&date, DAY)
            .map_err(|e| StoreError::Corrupt(format!("date {date:?}: {e}")))?,
        place: opt("place")?,
        court_record: opt("court_record")?,
        recorded_by: text("recorded_by")?,
        recorded_at: parse_ts(&text("recorded_at")?)?,
    })
}

/// Events naming any of `persons` (as subject or spouse), by date.
async fn events_of(conn: &mut SqliteConnection, persons: &[Uuid]) -> StoreResult<Vec<CivilEvent>> {
    let mut b = sqlx::QueryBuilder::new("SELECT * FROM civil_events WHERE person_id IN ");
    merged::push_ids(&mut b, persons);
    b.push(" OR spouse_id IN ");
    merged::push_ids(&mut b, persons);
    b.push(" ORDER BY date, recorded_at");
    let rows = b.build().fetch_all(&mut *conn).await.map_err(db)?;
    rows.iter().map(event).collect()
}

/// Everything the rules need to know about one person; `None` if there is no such person.
///
/// A person is seen whole: the events of every person merged into them count as theirs (a
/// death recorded on a merged-away person means the survivor is dead), and a partner who was
/// merged away is seen as the partner's survivor.
async fn facts(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<Option<PersonFacts>> {
    let view: Option<String> = sqlx::query_scalar("SELECT view FROM persons WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    let Some(view) = view else { return Ok(None) };
    let view: PersonView =
        serde_json::from_str(&view).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let lineage = merged::lineage(conn, id).await?;
    let mut events = events_of(conn, &lineage).await?;
    for e in &mut events {
        e.person_id = as_seen(conn, &lineage, id, e.person_id).await?;
        e.spouse_id = match e.spouse_id {
            Some(s) => Some(as_seen(conn, &lineage, id, s).await?),
            None => None,
        };
    }
    let mut deceased_spouses = Vec::new();
    for partner in events.iter().filter_map(|e| e.partner_of(id)) {
        if deceased_spouses.iter().any(|(p, _)| *p == partner) {
            continue;
        }
        let theirs = merged::lineage(conn, partner).await?;
        let mut b = sqlx::QueryBuilder::new(
            "SELECT MIN(date) FROM civil_events WHERE kind = 'death' AND person_id IN ",
        );
        merged::push_ids(&mut b, &theirs);
        let death: Option<String> = b
            .build_query_scalar::<Option<String>>()
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        if let Some(d) = death {
            let d = Date::parse(&d, DAY).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            deceased_spouses.push((partner, d));
        }
    }
    Ok(Some(PersonFacts {
        id,
        sex: view.sex,
        birth_date: view.birth_date,
        events,
        deceased_spouses,
    }))
}

/// The id the rules see for `other` in the events of `id`: `id` for anyone merged into it,
/// the survivor for anyone else merged away.
async fn as_seen(
    conn: &mut SqliteConnection,
    lineage: &[Uuid],
    id: Uuid,
    other: Uuid,
) -> StoreResult<Uuid> {
    if lineage.contains(&other) {
        Ok(id)
    } else {
        merged::survivor(conn, other).await
    }
}

pub(super) async fn list(
    s: &SqliteStore,
    person: Uuid,
    actor: &Actor,
) -> StoreResult<Vec<CivilEvent>> {
    let mut tx = s.begin().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM persons WHERE id = ?")
        .bind(person.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    if exists.is_none() {
        return Err(StoreError::NotFound("person"));
    }
    let lineage = merged::lineage(&mut tx, person).await?;
    let events = events_of(&mut tx, &lineage).await?;
    commit_audited(
        tx,
        entry(
            actor,
            "person.events.read",
            format!("person:{person}"),
            json!({}),
        ),
    )
    .await?;
    Ok(events)
}

pub(super) async fn record(
    s: &SqliteStore,
    person: Uuid,
    e: NewEvent,
    actor: &Actor,
) -> StoreResult<CivilEvent> {
    let mut tx = s.begin().await?;
    let subject = facts(&mut tx, person)
        .await?
        .ok_or(StoreError::NotFound("person"))?;
    merged::refuse_merged(&mut tx, person).await?;
    // A spouse named by a merged-away number is the person it was merged into.
    let mut e = e;
    if let Some(sp) = e.spouse_id {
        e.spouse_id = Some(merged::survivor(&mut tx, sp).await?);
    }
    let spouse = match e.spouse_id {
        Some(id) => Some(
            facts(&mut tx, id)
                .await?
                .ok_or_else(|| ValidationErrors::single("spouse_id", Problem::UnknownPerson))?,
        ),
        None => None,
    };
    check_event(&e, &subject, spouse.as_ref())?;
    let now = OffsetDateTime::now_utc();
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO civil_events (id, kind, person_id, spouse_id, date, place, court_record, recorded_by, office_code, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(e.kind.as_str())
    .bind(person.to_string())
    .bind(e.spouse_id.map(|s| s.to_string()))
    .bind(e.date.format(DAY).map_err(|x| StoreError::Corrupt(x.to_string()))?)
    .bind(&e.place)
    .bind(&e.court_record)
    .bind(actor.username.as_str())
    .bind(actor.office.as_str())
    .bind(ts(now))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let detail = json!({ "event": id, "kind": e.kind.as_str(), "spouse": e.spouse_id });
    commit_audited(
        tx,
        entry(actor, "event.record", format!("person:{person}"), detail),
    )
    .await?;
    Ok(CivilEvent {
        id,
        kind: e.kind,
        person_id: person,
        spouse_id: e.spouse_id,
        date: e.date,
        place: e.place,
        court_record: e.court_record,
        recorded_by: actor.username.to_string(),
        recorded_at: now,
    })
}
