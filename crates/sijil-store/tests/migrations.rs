//! Migrations that rebuild a table keep every row and every reference: a registry made before
//! them upgrades in place.

use sqlx::{Connection, SqliteConnection};

const BEFORE_ROLES: [&str; 4] = [
    include_str!("../migrations/sqlite/20261129000001_init.sql"),
    include_str!("../migrations/sqlite/20261129000002_resolution.sql"),
    include_str!("../migrations/sqlite/20261129000003_sync.sql"),
    include_str!("../migrations/sqlite/20261129000004_documents.sql"),
];
const ROLES: &str = include_str!("../migrations/sqlite/20261129000006_roles.sql");

#[tokio::test]
async fn the_roles_migration_keeps_users_and_their_sessions_and_checks_roles() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let mut conn = SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("PRAGMA foreign_keys = ON")
        .execute(&mut conn)
        .await
        .unwrap();
    for sql in BEFORE_ROLES {
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    }
    sqlx::raw_sql(
        "INSERT INTO offices (code, name_ar, name_en, governorate, secretariat, created_at)
             VALUES ('CENTRAL', 'المركز', 'Central', 1, 1, '2026-11-29T00:00:00Z');
         INSERT INTO users (id, username, display_name, role, office_code, password_hash, created_at)
             VALUES ('u1', 'admin', 'Admin', 'administrator', 'CENTRAL', 'x', '2026-11-29T00:00:00Z'),
                    ('u2', 'clerk.one', 'Clerk', 'clerk', 'CENTRAL', 'y', '2026-11-29T00:00:00Z');
         INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
             VALUES ('t1', 'u2', '2026-11-29T00:00:00Z', '2026-11-30T00:00:00Z');",
    )
    .execute(&mut conn)
    .await
    .unwrap();

    sqlx::raw_sql(ROLES).execute(&mut conn).await.unwrap();

    let users: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, username, role FROM users ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(
        users,
        vec![
            ("u1".into(), "admin".into(), "administrator".into()),
            ("u2".into(), "clerk.one".into(), "clerk".into())
        ]
    );
    let fk: bool = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(fk, "foreign keys are on again");
    // The session still refers to its user: deleting the user is refused.
    assert!(
        sqlx::query("DELETE FROM users WHERE id = 'u2'")
            .execute(&mut conn)
            .await
            .is_err()
    );
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, office_code, password_hash, created_at)
         VALUES ('u3', 'adj', 'Adj', 'adjudicator', 'CENTRAL', 'z', '2026-11-29T00:00:00Z')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let bad = sqlx::query("UPDATE users SET role = 'superuser' WHERE id = 'u3'")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("unknown role"), "{bad}");
    let bad = sqlx::query(
        "INSERT INTO users (id, username, display_name, role, office_code, password_hash, created_at)
         VALUES ('u4', 'x', 'X', 'root', 'CENTRAL', 'z', '2026-11-29T00:00:00Z')",
    )
    .execute(&mut conn)
    .await
    .unwrap_err();
    assert!(bad.to_string().contains("unknown role"), "{bad}");
}
