//! Hostile and broken input never panics the server: it gets a clear, structured error.

use serde_json::{Value, json};

use crate::helpers::{error_fields, person, spawn_app};

#[tokio::test]
async fn malformed_json_is_a_400_with_a_message() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    for body in ["{", "null", "[]", "{\"record\": ", "\u{0}\u{1}", ""] {
        let r = app
            .post_raw("/api/v1/records", &clerk, body.to_owned())
            .await;
        assert_eq!(r.status(), 400, "{body:?}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "malformed");
    }
    // Not JSON at all.
    let r = app
        .client
        .post(app.url("/api/v1/records"))
        .bearer_auth(&clerk)
        .body("first_name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn wrong_types_name_the_field() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let r = app
        .post(
            "/api/v1/records",
            &clerk,
            &json!({ "record": { "first_name": 5 } }),
        )
        .await;
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("record.first_name"),
        "{e}"
    );
    let r = app
        .post(
            "/api/v1/records",
            &clerk,
            &json!({ "record": {}, "evidence": [{ "kind": "rumour" }] }),
        )
        .await;
    assert_eq!(r.status(), 400);
    let r = app
        .post(
            "/api/v1/records",
            &clerk,
            &json!({ "record": {}, "surprise": true }),
        )
        .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn invalid_dates_and_overlong_strings_are_field_errors() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let mut p = person("سامر", "M", "1990-02-30");
    p["family_name"] = json!("ا".repeat(201));
    p["sex"] = json!("X");
    p["national_number"] = json!("12345678901");
    p["first_name"] = json!("سامر\u{202E}");
    let r = app.register(&clerk, p).await;
    assert_eq!(r.status(), 422);
    let fields = error_fields(r).await;
    assert_eq!(
        fields,
        [
            "record.first_name",
            "record.family_name",
            "record.sex",
            "record.birth_date",
            "record.national_number"
        ]
    );
    let r = app
        .register(&clerk, person("سامر", "M", "2999-01-01"))
        .await;
    assert_eq!(error_fields(r).await, ["record.birth_date"]);
}

#[tokio::test]
async fn a_huge_body_is_refused_without_harm() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let body = format!(
        "{{\"record\": {{\"first_name\": \"{}\"}}}}",
        "x".repeat(200_000)
    );
    let r = app.post_raw("/api/v1/records", &clerk, body).await;
    assert_eq!(r.status(), 413);
    // The server is still fine.
    assert_eq!(
        app.register(&clerk, person("سامر", "M", "1990"))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn a_duplicate_record_id_is_a_conflict() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let mut p = person("سامر", "M", "1990");
    p["record_id"] = json!("OLD-REG-1");
    assert_eq!(app.register(&clerk, p.clone()).await.status(), 201);
    assert_eq!(app.register(&clerk, p).await.status(), 409);
}
