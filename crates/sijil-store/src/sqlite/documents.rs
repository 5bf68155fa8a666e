//! Documents and alerts on SQLite. Issuing allocates the number, prints, and writes the
//! document, its first status and the audit entry in one transaction.

use serde_json::json;
use sijil_core::NationalNumber;
use sqlx::{Row, SqliteConnection, sqlite::SqliteRow};
use time::{Date, OffsetDateTime, macros::format_description};
use uuid::Uuid;

use super::{
    SqliteStore, access::entry, append_audit, commit_audited, db, merged, parse_ts, rows::uuid, ts,
};
use crate::{
    Actor, StoreError, StoreResult,
    documents::{
        AlertRecord, Document, DocumentKind, DocumentStatus, NewDocument, Printer, StatusChange,
    },
};

const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

pub(super) fn day(d: Date) -> String {
    d.format(DAY).expect("a date formats")
}

fn parse_day(s: &str) -> StoreResult<Date> {
    Date::parse(s, DAY).map_err(|e| StoreError::Corrupt(format!("date {s:?}: {e}")))
}

fn kind(s: &str) -> StoreResult<DocumentKind> {
    match s {
        "id_card" => Ok(DocumentKind::IdCard),
        "passport" => Ok(DocumentKind::Passport),
        _ => Err(StoreError::Corrupt(format!("document kind {s:?}"))),
    }
}

async fn history(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<Vec<StatusChange>> {
    let rows = sqlx::query(
        "SELECT status, note, by_user, at FROM document_status WHERE document_id = ? ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status").map_err(db)?;
            Ok(StatusChange {
                status: DocumentStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?,
                note: r.try_get("note").map_err(db)?,
                by: r.try_get("by_user").map_err(db)?,
                at: parse_ts(&r.try_get::<String, _>("at").map_err(db)?)?,
            })
        })
        .collect()
}

async fn document_row(conn: &mut SqliteConnection, row: &SqliteRow) -> StoreResult<Document> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db);
    let opt = |c: &str| row.try_get::<Option<String>, _>(c).map_err(db);
    let id = uuid(&text("id")?)?;
    Ok(Document {
        id,
        number: text("number")?,
        kind: kind(&text("kind")?)?,
        person_id: uuid(&text("person_id")?)?,
        issued_on: parse_day(&text("issued_on")?)?,
        expires_on: parse_day(&text("expires_on")?)?,
        credential: opt("credential")?,
        key_id: opt("key_id")?,
        application_id: opt("application_id")?.as_deref().map(uuid).transpose()?,
        mrz: text("mrz")?,
        history: history(conn, id).await?,
    })
}

pub(super) async fn load(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<Document> {
    let row = sqlx::query("SELECT * FROM documents WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("document"))?;
    document_row(conn, &row).await
}

async fn next_number(conn: &mut SqliteConnection, kind: DocumentKind) -> StoreResult<String> {
    let serial: i64 = sqlx::query_scalar(
        "INSERT INTO document_serials (kind, next_serial) VALUES (?1, 2)
         ON CONFLICT (kind) DO UPDATE SET next_serial = next_serial + 1
         RETURNING next_serial - 1",
    )
    .bind(kind.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    Ok(format!("{}{serial:08}", kind.prefix()))
}

pub(super) async fn append_status(
    conn: &mut SqliteConnection,
    id: Uuid,
    status: DocumentStatus,
    note: Option<&str>,
    actor: &Actor,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO document_status (document_id, status, note, by_user, office_code, at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(status.as_str())
    .bind(note)
    .bind(actor.username.as_str())
    .bind(actor.office.as_str())
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    append_audit(
        conn,
        entry(
            actor,
            "document.status",
            format!("document:{id}"),
            json!({"status": status.as_str()}),
        ),
    )
    .await
}

/// Writes a new document inside the caller's transaction (shared with passport issuing).
pub(super) async fn insert(
    conn: &mut SqliteConnection,
    new: &NewDocument,
    application_id: Option<Uuid>,
    print: &dyn Printer,
    actor: &Actor,
) -> StoreResult<Document> {
    if new.expires_on <= new.issued_on {
        return Err(StoreError::Conflict(
            "the date of expiry must come after the date of issue".into(),
        ));
    }
    let person: Option<Option<String>> =
        sqlx::query_scalar("SELECT merged_into FROM persons WHERE id = ?")
            .bind(new.person_id.to_string())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    match person {
        None => return Err(StoreError::NotFound("person")),
        // A merged-away number is kept only to be recognised: documents go to the survivor.
        Some(Some(_)) => return Err(merged::merged_away(conn, new.person_id).await),
        Some(None) => {}
    }
    let number = next_number(conn, new.kind).await?;
    let printed = print
        .print(&number)
        .map_err(|e| StoreError::Conflict(format!("cannot print: {e}")))?;
    let id = Uuid::now_v7();
    let (credential, credential_id, key_id) = match printed.credential {
        Some((c, i, k)) => (Some(c), Some(i), Some(k)),
        None => (None, None, None),
    };
    sqlx::query(
        "INSERT INTO documents (id, number, kind, person_id, issued_on, expires_on, credential,
                                credential_id, key_id, application_id, mrz, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(&number)
    .bind(new.kind.as_str())
    .bind(new.person_id.to_string())
    .bind(day(new.issued_on))
    .bind(day(new.expires_on))
    .bind(credential)
    .bind(credential_id)
    .bind(&key_id)
    .bind(application_id.map(|a| a.to_string()))
    .bind(&printed.mrz)
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    append_audit(
        conn,
        entry(
            actor,
            "document.issue",
            format!("document:{id}"),
            json!({"kind": new.kind.as_str(), "person": new.person_id.to_string(),
                   "key_id": key_id, "application": application_id.map(|a| a.to_string())}),
        ),
    )
    .await?;
    append_status(conn, id, DocumentStatus::Issued, None, actor).await?;
    load(conn, id).await
}

pub(super) async fn issue(
    s: &SqliteStore,
    new: NewDocument,
    print: &dyn Printer,
    actor: &Actor,
) -> StoreResult<Document> {
    if new.kind == DocumentKind::Passport {
        return Err(StoreError::Conflict(
            "a passport is issued from an approved application".into(),
        ));
    }
    let mut tx = s.begin().await?;
    // One valid card per person: the new one replaces the others.
    let earlier = of_person(&mut tx, new.person_id).await?;
    for old in earlier
        .iter()
        .filter(|d| d.kind == DocumentKind::IdCard && !d.status().is_revoked())
    {
        append_status(
            &mut tx,
            old.id,
            DocumentStatus::Cancelled,
            Some("replaced by a new card"),
            actor,
        )
        .await?;
    }
    let doc = insert(&mut tx, &new, None, print, actor).await?;
    tx.commit().await.map_err(db)?;
    Ok(doc)
}

/// The documents of a person and of everyone merged into them, newest first: one person
/// holds them all (so a new card replaces a card issued to a merged-away number too).
async fn of_person(conn: &mut SqliteConnection, person: Uuid) -> StoreResult<Vec<Document>> {
    let lineage = merged::lineage(conn, person).await?;
    let mut b = sqlx::QueryBuilder::new("SELECT * FROM documents WHERE person_id IN ");
    merged::push_ids(&mut b, &lineage);
    b.push(" ORDER BY id DESC");
    let rows = b.build().fetch_all(&mut *conn).await.map_err(db)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(document_row(conn, row).await?);
    }
    Ok(out)
}

async fn audit_read(
    conn: &mut SqliteConnection,
    actor: &Actor,
    subject: String,
) -> StoreResult<()> {
    append_audit(conn, entry(actor, "document.read", subject, json!({}))).await
}

pub(super) async fn get(s: &SqliteStore, id: Uuid, actor: &Actor) -> StoreResult<Document> {
    let mut tx = s.begin().await?;
    let doc = load(&mut tx, id).await?;
    audit_read(&mut tx, actor, format!("document:{id}")).await?;
    tx.commit().await.map_err(db)?;
    Ok(doc)
}

pub(super) async fn by_number(
    s: &SqliteStore,
    number: &str,
    actor: &Actor,
) -> StoreResult<Document> {
    let mut tx = s.begin().await?;
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM documents WHERE number = ?")
        .bind(number)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    let id = uuid(&id.ok_or(StoreError::NotFound("document"))?)?;
    let doc = load(&mut tx, id).await?;
    audit_read(&mut tx, actor, format!("document:{id}")).await?;
    tx.commit().await.map_err(db)?;
    Ok(doc)
}

pub(super) async fn list_of_person(
    s: &SqliteStore,
    person: Uuid,
    actor: &Actor,
) -> StoreResult<Vec<Document>> {
    let mut tx = s.begin().await?;
    let docs = of_person(&mut tx, person).await?;
    audit_read(&mut tx, actor, format!("person:{person}")).await?;
    tx.commit().await.map_err(db)?;
    Ok(docs)
}

pub(super) async fn change_status(
    s: &SqliteStore,
    id: Uuid,
    status: DocumentStatus,
    note: Option<String>,
    actor: &Actor,
) -> StoreResult<Document> {
    let mut tx = s.begin().await?;
    let doc = load(&mut tx, id).await?;
    let current = doc.status();
    if !current.may_become(status) {
        return Err(StoreError::Conflict(format!(
            "a document that is {} cannot become {}",
            current.as_str(),
            status.as_str()
        )));
    }
    append_status(&mut tx, id, status, note.as_deref(), actor).await?;
    let doc = load(&mut tx, id).await?;
    tx.commit().await.map_err(db)?;
    Ok(doc)
}

pub(super) async fn revoked(s: &SqliteStore) -> StoreResult<Vec<(String, DocumentStatus)>> {
    // The latest status of each document, kept when it is a revoking one.
    let rows = sqlx::query(
        "SELECT d.number, st.status FROM documents d
         JOIN document_status st ON st.seq =
              (SELECT MAX(seq) FROM document_status WHERE document_id = d.id)
         WHERE st.status IN ('lost', 'stolen', 'cancelled')
         ORDER BY d.number",
    )
    .fetch_all(&s.reader)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status").map_err(db)?;
            Ok((
                r.try_get("number").map_err(db)?,
                DocumentStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?,
            ))
        })
        .collect()
}

fn alert(row: &SqliteRow) -> StoreResult<AlertRecord> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db);
    Ok(AlertRecord {
        id: uuid(&text("id")?)?,
        national_number: text("national_number")?,
        code: text("code")?,
        created_by: text("created_by")?,
        created_at: parse_ts(&text("created_at")?)?,
        lifted_at: row
            .try_get::<Option<String>, _>("lifted_at")
            .map_err(db)?
            .as_deref()
            .map(parse_ts)
            .transpose()?,
        survivor_number: None,
    })
}

/// Fills [`AlertRecord::survivor_number`] when the alerted number was merged away.
async fn with_survivor(
    conn: &mut SqliteConnection,
    mut a: AlertRecord,
) -> StoreResult<AlertRecord> {
    let holder: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT id, merged_into FROM persons WHERE national_number = ?")
            .bind(&a.national_number)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    if let Some((id, Some(_))) = holder {
        let to = merged::survivor(conn, uuid(&id)?).await?;
        let number: String = sqlx::query_scalar("SELECT national_number FROM persons WHERE id = ?")
            .bind(to.to_string())
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        a.survivor_number = Some(number);
    }
    Ok(a)
}

/// The codes of alerts on a national number that are not lifted.
pub(super) async fn active_codes(
    conn: &mut SqliteConnection,
    national_number: &str,
) -> StoreResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT code FROM alerts WHERE national_number = ? AND lifted_at IS NULL ORDER BY code",
    )
    .bind(national_number)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)
}

pub(super) async fn add_alert(
    s: &SqliteStore,
    national_number: &NationalNumber,
    code: &str,
    actor: &Actor,
) -> StoreResult<AlertRecord> {
    let code = code.trim();
    if code.is_empty()
        || code.len() > 32
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(StoreError::Conflict(
            "an alert code is 1 to 32 lowercase letters, digits or hyphens".into(),
        ));
    }
    let mut tx = s.begin().await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO alerts (id, national_number, code, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(national_number.as_str())
    .bind(code)
    .bind(actor.username.as_str())
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    append_audit(
        &mut tx,
        entry(
            actor,
            "alert.add",
            format!("alert:{id}"),
            json!({"code": code}),
        ),
    )
    .await?;
    let row = sqlx::query("SELECT * FROM alerts WHERE id = ?")
        .bind(id.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
    let out = with_survivor(&mut tx, alert(&row)?).await?;
    tx.commit().await.map_err(db)?;
    Ok(out)
}

pub(super) async fn lift_alert(s: &SqliteStore, id: Uuid, actor: &Actor) -> StoreResult<()> {
    let mut tx = s.begin().await?;
    let done = sqlx::query(
        "UPDATE alerts SET lifted_by = ?, lifted_at = ? WHERE id = ? AND lifted_at IS NULL",
    )
    .bind(actor.username.as_str())
    .bind(ts(OffsetDateTime::now_utc()))
    .bind(id.to_string())
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("active alert"));
    }
    commit_audited(
        tx,
        entry(actor, "alert.lift", format!("alert:{id}"), json!({})),
    )
    .await
}

pub(super) async fn active_alerts(s: &SqliteStore) -> StoreResult<Vec<AlertRecord>> {
    let mut conn = s.reader.acquire().await.map_err(db)?;
    // Only alerts whose number was merged away need a second look (for the survivor).
    let rows = sqlx::query(
        "SELECT a.*, p.merged_into IS NOT NULL AS merged FROM alerts a
         LEFT JOIN persons p ON p.national_number = a.national_number
         WHERE a.lifted_at IS NULL ORDER BY a.national_number",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let a = alert(row)?;
        if row.try_get::<Option<bool>, _>("merged").map_err(db)? == Some(true) {
            out.push(with_survivor(&mut conn, a).await?);
        } else {
            out.push(a);
        }
    }
    Ok(out)
}
