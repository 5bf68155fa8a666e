//! Offices, users and sessions.

use serde_json::json;
use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteStore, commit_audited, db, rows, ts};
use crate::{Actor, NewAuditEntry, NewOffice, NewUser, Office, StoreError, StoreResult, User};

pub(super) async fn create_office(
    s: &SqliteStore,
    o: NewOffice,
    actor: &Actor,
) -> StoreResult<Office> {
    let now = OffsetDateTime::now_utc();
    let mut tx = s.begin().await?;
    sqlx::query(
        "INSERT INTO offices (code, name_ar, name_en, governorate, secretariat, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(o.code.as_str())
    .bind(&o.name_ar)
    .bind(&o.name_en)
    .bind(i64::from(o.governorate))
    .bind(i64::from(o.secretariat))
    .bind(ts(now))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    commit_audited(
        tx,
        entry(
            actor,
            "office.create",
            format!("office:{}", o.code),
            json!({}),
        ),
    )
    .await?;
    Ok(Office {
        code: o.code,
        name_ar: o.name_ar,
        name_en: o.name_en,
        governorate: o.governorate,
        secretariat: o.secretariat,
        created_at: now,
    })
}

pub(super) async fn offices(pool: &SqlitePool) -> StoreResult<Vec<Office>> {
    let rows = sqlx::query("SELECT * FROM offices ORDER BY code")
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows.iter().map(rows::office).collect()
}

pub(super) async fn create_user(s: &SqliteStore, u: NewUser, actor: &Actor) -> StoreResult<User> {
    if u.username.as_str() == Actor::SYSTEM {
        return Err(StoreError::Conflict(format!(
            "username {} is reserved",
            Actor::SYSTEM
        )));
    }
    let now = OffsetDateTime::now_utc();
    let id = Uuid::now_v7();
    let mut tx = s.begin().await?;
    let office_exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM offices WHERE code = ?")
        .bind(u.office.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    if office_exists.is_none() {
        return Err(StoreError::NotFound("office"));
    }
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, office_code, password_hash, active, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
    )
    .bind(id.to_string())
    .bind(u.username.as_str())
    .bind(&u.display_name)
    .bind(u.role.as_str())
    .bind(u.office.as_str())
    .bind(&u.password_hash)
    .bind(ts(now))
    .execute(&mut *tx)
    .await
    .map_err(|e| match db(e) {
        StoreError::Conflict(_) => StoreError::Conflict(format!("username {} is taken", u.username)),
        other => other,
    })?;
    let detail = json!({ "role": u.role.as_str(), "office": u.office.as_str() });
    commit_audited(
        tx,
        entry(actor, "user.create", format!("user:{id}"), detail),
    )
    .await?;
    Ok(User {
        id,
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        office: u.office,
        password_hash: u.password_hash,
        active: true,
        created_at: now,
    })
}

pub(super) async fn user_by_name(pool: &SqlitePool, username: &str) -> StoreResult<User> {
    let row = sqlx::query("SELECT * FROM users WHERE username = ?")
        .bind(username)
        .fetch_optional(pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("user"))?;
    rows::user(&row)
}

pub(super) async fn users(pool: &SqlitePool) -> StoreResult<Vec<User>> {
    let rows = sqlx::query("SELECT * FROM users ORDER BY username")
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows.iter().map(rows::user).collect()
}

pub(super) async fn create_session(
    s: &SqliteStore,
    token_hash: &str,
    user: &User,
    expires_at: OffsetDateTime,
    idle_until: OffsetDateTime,
) -> StoreResult<()> {
    let mut tx = s.begin().await?;
    let now = OffsetDateTime::now_utc();
    // Ended sessions are of no use to anyone; sweep them while we hold the write lock.
    sqlx::query("DELETE FROM sessions WHERE expires_at < ? OR idle_until < ?")
        .bind(ts(now))
        .bind(ts(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, idle_until)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user.id.to_string())
    .bind(ts(now))
    .bind(ts(expires_at))
    .bind(ts(idle_until.min(expires_at)))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    commit_audited(
        tx,
        entry(
            &user.actor(),
            "auth.login",
            format!("user:{}", user.id),
            json!({}),
        ),
    )
    .await
}

pub(super) async fn session_user(
    s: &SqliteStore,
    token_hash: &str,
    idle: std::time::Duration,
) -> StoreResult<User> {
    let now = OffsetDateTime::now_utc();
    let row = sqlx::query(
        "SELECT users.*, sessions.idle_until FROM sessions JOIN users ON users.id = sessions.user_id
         WHERE sessions.token_hash = ? AND sessions.expires_at > ? AND sessions.idle_until > ?
           AND users.active = 1",
    )
    .bind(token_hash)
    .bind(ts(now))
    .bind(ts(now))
    .fetch_optional(&s.reader)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound("session"))?;
    // Move the idle deadline on, but write at most once a minute (or a quarter of the idle
    // time, if shorter) per session: a page load is several requests, and every write takes
    // the one writer.
    let idle = time::Duration::try_from(idle).unwrap_or(time::Duration::MINUTE);
    let deadline = now + idle;
    let step = (idle / 4_i32).min(time::Duration::MINUTE);
    let held: String = row.try_get("idle_until").map_err(db)?;
    if held < ts(deadline - step) {
        sqlx::query("UPDATE sessions SET idle_until = ? WHERE token_hash = ?")
            .bind(ts(deadline))
            .bind(token_hash)
            .execute(&s.writer)
            .await
            .map_err(db)?;
    }
    rows::user(&row)
}

pub(super) async fn change_user(
    s: &SqliteStore,
    username: &str,
    change: crate::UserChange,
    actor: &Actor,
) -> StoreResult<User> {
    let mut tx = s.begin().await?;
    let row = sqlx::query("SELECT * FROM users WHERE username = ?")
        .bind(username)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("user"))?;
    let before = rows::user(&row)?;
    let role = change.role.unwrap_or(before.role);
    let active = change.active.unwrap_or(before.active);
    if role == before.role && active == before.active {
        tx.rollback().await.map_err(db)?;
        return Ok(before);
    }
    let id = before.id.to_string();
    sqlx::query("UPDATE users SET role = ?, active = ? WHERE id = ?")
        .bind(role.as_str())
        .bind(active)
        .bind(&id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    // The change holds from the next request: no session keeps what was taken away.
    let ended = end_sessions(&mut tx, &id).await?;
    let detail = json!({
        "role": { "from": before.role.as_str(), "to": role.as_str() },
        "active": { "from": before.active, "to": active },
        "sessions_ended": ended,
    });
    commit_audited(
        tx,
        entry(actor, "user.changed", format!("user:{id}"), detail),
    )
    .await?;
    Ok(User {
        role,
        active,
        ..before
    })
}

/// Ends every session of the user `id`; how many there were.
async fn end_sessions(conn: &mut sqlx::SqliteConnection, id: &str) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = ?")
        .bind(id)
        .execute(conn)
        .await
        .map_err(db)?
        .rows_affected())
}

/// The id of the user `username`, inside the caller's transaction.
async fn user_id(conn: &mut sqlx::SqliteConnection, username: &str) -> StoreResult<String> {
    sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
        .bind(username)
        .fetch_optional(conn)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound("user"))
}

pub(super) async fn end_user_sessions(
    s: &SqliteStore,
    username: &str,
    actor: &Actor,
) -> StoreResult<u64> {
    let mut tx = s.begin().await?;
    let id = user_id(&mut tx, username).await?;
    let ended = end_sessions(&mut tx, &id).await?;
    let detail = json!({ "sessions_ended": ended });
    commit_audited(
        tx,
        entry(actor, "user.sessions_ended", format!("user:{id}"), detail),
    )
    .await?;
    Ok(ended)
}

pub(super) async fn set_password(
    s: &SqliteStore,
    username: &str,
    password_hash: &str,
    actor: &Actor,
) -> StoreResult<()> {
    let mut tx = s.begin().await?;
    let id = user_id(&mut tx, username).await?;
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(password_hash)
        .bind(&id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    // A new password ends every session opened with the old one.
    let ended = end_sessions(&mut tx, &id).await?;
    let detail = json!({ "sessions_ended": ended });
    commit_audited(
        tx,
        entry(actor, "user.password_set", format!("user:{id}"), detail),
    )
    .await
}

pub(super) async fn delete_session(
    s: &SqliteStore,
    token_hash: &str,
    actor: &Actor,
) -> StoreResult<()> {
    let mut tx = s.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    commit_audited(
        tx,
        entry(
            actor,
            "auth.logout",
            format!("user:{}", actor.user_id),
            json!({}),
        ),
    )
    .await
}

/// An audit entry by `actor`.
pub(super) fn entry(
    actor: &Actor,
    action: &'static str,
    subject: String,
    detail: serde_json::Value,
) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.username.to_string(),
        office: actor.office.to_string(),
        action,
        subject,
        detail,
    }
}
