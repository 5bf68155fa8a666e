//! Least privilege: each role can do its own work and nothing more.

use serde_json::json;

use crate::helpers::{person, spawn_app};

#[tokio::test]
async fn a_clerk_cannot_do_an_administrators_work() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let r = app
        .post(
            "/api/v1/users",
            &clerk,
            &json!({ "username": "mallory", "display_name": "M", "role": "administrator", "office": "CENTRAL", "password": "a long enough password" }),
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = app
        .post("/api/v1/offices", &clerk, &json!({ "code": "X-1", "name_ar": "س", "name_en": "X", "governorate": 1, "secretariat": 1 }))
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(app.get("/api/v1/users", &clerk).await.status(), 403);
    assert_eq!(app.get("/api/v1/audit", &clerk).await.status(), 403);
    assert_eq!(app.get("/metrics", &clerk).await.status(), 403);
    // …but can do a clerk's.
    assert_eq!(
        app.register(&clerk, person("سامر", "M", "1990"))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn an_auditor_reads_but_cannot_register() {
    let app = spawn_app().await;
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    assert_eq!(
        app.register(&auditor, person("سامر", "M", "1990"))
            .await
            .status(),
        403
    );
    assert_eq!(app.get("/api/v1/audit", &auditor).await.status(), 200);
    assert_eq!(
        app.get("/api/v1/audit/verify", &auditor).await.status(),
        200
    );
}

#[tokio::test]
async fn an_administrator_creates_offices_and_users() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app
        .post("/api/v1/offices", &admin, &json!({ "code": "HMS-01", "name_ar": "حمص", "name_en": "Homs", "governorate": 4, "secretariat": 1 }))
        .await;
    assert_eq!(r.status(), 201);
    let r = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({ "username": "clerk.homs", "display_name": "Homs clerk", "role": "clerk", "office": "HMS-01", "password": "a long enough password" }),
        )
        .await;
    assert_eq!(r.status(), 201);
    // A clerk of Homs issues Homs national numbers.
    let clerk = app.token("clerk.homs", "a long enough password").await;
    let reg: serde_json::Value = app
        .register(&clerk, person("سامر", "M", "1990"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        reg["national_number"].as_str().unwrap().starts_with("0401"),
        "{reg}"
    );
    // The same username cannot be taken twice; an unknown office is a field error.
    let again = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({ "username": "clerk.homs", "display_name": "x", "role": "clerk", "office": "HMS-01", "password": "a long enough password" }),
        )
        .await;
    assert_eq!(again.status(), 409);
    let bad = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({ "username": "clerk.two", "display_name": "x", "role": "clerk", "office": "NOPE", "password": "short" }),
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(crate::helpers::error_fields(bad).await, ["password"]);
}

#[tokio::test]
async fn an_adjudicator_settles_the_review_queue_and_nothing_else() {
    let app = spawn_app().await;
    let adjudicator = app.user_with_role("adj.one", "adjudicator").await;
    assert_eq!(app.get("/api/v1/review", &adjudicator).await.status(), 200);
    assert_eq!(
        app.get("/api/v1/search?names=Samer", &adjudicator)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.register(&adjudicator, person("سامر", "M", "1990"))
            .await
            .status(),
        403
    );
    assert_eq!(app.get("/api/v1/users", &adjudicator).await.status(), 403);
    assert_eq!(app.get("/api/v1/audit", &adjudicator).await.status(), 403);
    // …and a clerk may not adjudicate.
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    assert_eq!(app.get("/api/v1/review", &clerk).await.status(), 403);
    // An unknown role is refused with the roles there are.
    let admin = app.admin_token().await;
    let r = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({ "username": "x.one", "display_name": "X", "role": "root", "office": "CENTRAL", "password": "a long enough password" }),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("adjudicator"));
}

#[tokio::test]
async fn an_auditors_reading_of_the_log_is_itself_on_the_record() {
    let app = spawn_app().await;
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let first: serde_json::Value = app
        .get("/api/v1/audit?actor=admin&limit=3", &auditor)
        .await
        .json()
        .await
        .unwrap();
    let reads: serde_json::Value = app
        .get("/api/v1/audit?action=audit.read", &auditor)
        .await
        .json()
        .await
        .unwrap();
    let read = &reads[0];
    assert_eq!(read["actor"], "auditor.one");
    assert_eq!(read["subject"], "audit:log");
    let detail: serde_json::Value = serde_json::from_str(read["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["actor"], "admin");
    assert_eq!(detail["shown"], first.as_array().unwrap().len());
}
