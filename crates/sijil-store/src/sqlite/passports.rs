//! Passport applications on SQLite: apply → check → approve (a second officer) → issue, each
//! step a new row and an audit entry in the same transaction.

use serde_json::{Value, json};
use sqlx::{Row, SqliteConnection};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{
    SqliteStore, access::entry, append_audit, db, documents, merged, parse_ts, rows::uuid, ts,
};
use crate::{
    Actor, StoreError, StoreResult,
    documents::{
        ApplicationStep, Document, DocumentKind, NewDocument, PassportApplication, Printer,
        StepEntry,
    },
};

async fn load(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<PassportApplication> {
    let row = sqlx::query("SELECT * FROM passport_applications WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("passport application"))?;
    let steps = sqlx::query(
        "SELECT step, detail, by_user, at FROM passport_application_steps
         WHERE application_id = ? ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let steps = steps
        .iter()
        .map(|r| {
            let step: String = r.try_get("step").map_err(db)?;
            let detail: String = r.try_get("detail").map_err(db)?;
            Ok(StepEntry {
                step: ApplicationStep::parse(&step)
                    .ok_or_else(|| StoreError::Corrupt(format!("step {step:?}")))?,
                detail: serde_json::from_str(&detail)
                    .map_err(|e| StoreError::Corrupt(format!("step detail: {e}")))?,
                by: r.try_get("by_user").map_err(db)?,
                at: parse_ts(&r.try_get::<String, _>("at").map_err(db)?)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(PassportApplication {
        id,
        person_id: uuid(&row.try_get::<String, _>("person_id").map_err(db)?)?,
        applied_by: row.try_get("applied_by").map_err(db)?,
        office: super::rows::office_code(&row.try_get::<String, _>("office_code").map_err(db)?)?,
        steps,
    })
}

async fn step(
    conn: &mut SqliteConnection,
    id: Uuid,
    step: ApplicationStep,
    detail: Value,
    actor: &Actor,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO passport_application_steps (application_id, step, detail, by_user, at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(step.as_str())
    .bind(detail.to_string())
    .bind(actor.username.as_str())
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    append_audit(
        conn,
        entry(
            actor,
            "passport.application",
            format!("passport_application:{id}"),
            json!({"step": step.as_str()}),
        ),
    )
    .await
}

/// Records `step` (see [`step`]), then commits and returns the application as it now stands.
async fn record_step(
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    id: Uuid,
    next: ApplicationStep,
    detail: Value,
    actor: &Actor,
) -> StoreResult<PassportApplication> {
    step(&mut tx, id, next, detail, actor).await?;
    let app = load(&mut tx, id).await?;
    tx.commit().await.map_err(db)?;
    Ok(app)
}

fn wrong_step(app: &PassportApplication, wanted: &str) -> StoreError {
    StoreError::Conflict(format!(
        "the application is {}; it must be {wanted}",
        app.step().as_str()
    ))
}

pub(super) async fn apply(
    s: &SqliteStore,
    person: Uuid,
    actor: &Actor,
) -> StoreResult<PassportApplication> {
    let mut tx = s.begin().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM persons WHERE id = ?")
        .bind(person.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    if exists.is_none() {
        return Err(StoreError::NotFound("person"));
    }
    merged::refuse_merged(&mut tx, person).await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO passport_applications (id, person_id, applied_by, applied_at, office_code)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(person.to_string())
    .bind(actor.username.as_str())
    .bind(ts(OffsetDateTime::now_utc()))
    .bind(actor.office.as_str())
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    record_step(
        tx,
        id,
        ApplicationStep::Applied,
        json!({"person": person.to_string()}),
        actor,
    )
    .await
}

pub(super) async fn get(s: &SqliteStore, id: Uuid) -> StoreResult<PassportApplication> {
    let mut conn = s.reader.acquire().await.map_err(db)?;
    load(&mut conn, id).await
}

pub(super) async fn list(s: &SqliteStore, limit: u32) -> StoreResult<Vec<PassportApplication>> {
    let mut conn = s.reader.acquire().await.map_err(db)?;
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM passport_applications ORDER BY id DESC LIMIT ?")
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(load(&mut conn, uuid(&id)?).await?);
    }
    Ok(out)
}

pub(super) async fn check(
    s: &SqliteStore,
    id: Uuid,
    today: Date,
    actor: &Actor,
) -> StoreResult<PassportApplication> {
    let mut tx = s.begin().await?;
    let app = load(&mut tx, id).await?;
    if !matches!(app.step(), ApplicationStep::Applied | ApplicationStep::Held) {
        return Err(wrong_step(&app, "applied or held"));
    }
    // The applicant is seen whole: a valid passport or an alert held under the number of
    // anyone merged into them holds the application as if it were theirs.
    let lineage = merged::lineage(&mut tx, app.person_id).await?;
    let mut b = sqlx::QueryBuilder::new(
        "SELECT d.id FROM documents d
         JOIN document_status st ON st.seq =
              (SELECT MAX(seq) FROM document_status WHERE document_id = d.id)
         WHERE d.kind = 'passport' AND st.status IN ('issued', 'delivered') AND d.expires_on >= ",
    );
    b.push_bind(documents::day(today));
    b.push(" AND d.person_id IN ");
    merged::push_ids(&mut b, &lineage);
    let valid_passports: Vec<String> = b
        .build_query_scalar()
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
    let mut alerts = Vec::new();
    for nn in merged::numbers_of(&mut tx, &lineage).await? {
        alerts.extend(documents::active_codes(&mut tx, &nn).await?);
    }
    let clear = valid_passports.is_empty() && alerts.is_empty();
    record_step(
        tx,
        id,
        if clear {
            ApplicationStep::Checked
        } else {
            ApplicationStep::Held
        },
        json!({"valid_passports": valid_passports, "alerts": alerts}),
        actor,
    )
    .await
}

pub(super) async fn approve(
    s: &SqliteStore,
    id: Uuid,
    note: Option<String>,
    actor: &Actor,
) -> StoreResult<PassportApplication> {
    let mut tx = s.begin().await?;
    let app = load(&mut tx, id).await?;
    if app.applied_by == actor.username.as_str() {
        return Err(StoreError::Conflict(
            "a second officer must approve: the officer who took the application cannot".into(),
        ));
    }
    match app.step() {
        ApplicationStep::Checked => {}
        ApplicationStep::Held if note.as_deref().is_some_and(|n| !n.trim().is_empty()) => {}
        ApplicationStep::Held => {
            return Err(StoreError::Conflict(
                "the checks held this application: approving it needs a note saying why".into(),
            ));
        }
        _ => return Err(wrong_step(&app, "checked")),
    }
    record_step(
        tx,
        id,
        ApplicationStep::Approved,
        json!({"note": note}),
        actor,
    )
    .await
}

pub(super) async fn refuse(
    s: &SqliteStore,
    id: Uuid,
    note: String,
    actor: &Actor,
) -> StoreResult<PassportApplication> {
    let mut tx = s.begin().await?;
    let app = load(&mut tx, id).await?;
    if matches!(
        app.step(),
        ApplicationStep::Issued | ApplicationStep::Refused
    ) {
        return Err(wrong_step(&app, "open"));
    }
    record_step(
        tx,
        id,
        ApplicationStep::Refused,
        json!({"note": note}),
        actor,
    )
    .await
}

pub(super) async fn issue(
    s: &SqliteStore,
    id: Uuid,
    issued_on: Date,
    expires_on: Date,
    print: &dyn Printer,
    actor: &Actor,
) -> StoreResult<Document> {
    let mut tx = s.begin().await?;
    let app = load(&mut tx, id).await?;
    if app.step() != ApplicationStep::Approved {
        return Err(wrong_step(&app, "approved"));
    }
    let new = NewDocument {
        kind: DocumentKind::Passport,
        person_id: app.person_id,
        issued_on,
        expires_on,
    };
    let doc = documents::insert(&mut tx, &new, Some(id), print, actor).await?;
    step(
        &mut tx,
        id,
        ApplicationStep::Issued,
        json!({"document": doc.id.to_string()}),
        actor,
    )
    .await?;
    tx.commit().await.map_err(db)?;
    Ok(doc)
}
