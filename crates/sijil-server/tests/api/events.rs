//! Civil events through the API, with the registrar's rules.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, person, spawn_app};

async fn register(app: &TestApp, token: &str, first: &str, sex: &str, born: &str) -> String {
    let r: Value = app
        .register(token, person(first, sex, born))
        .await
        .json()
        .await
        .unwrap();
    r["person_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_marriage_is_recorded_and_listed_for_both_spouses() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let man = register(&app, &clerk, "سامر", "M", "1990").await;
    let woman = register(&app, &clerk, "ريم", "F", "1993").await;
    let r = app
        .post(&format!("/api/v1/persons/{man}/events"), &clerk, &json!({ "kind": "marriage", "date": "2018-07-01", "spouse_id": woman, "place": "حمص" }))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let hers: Value = app
        .get(&format!("/api/v1/persons/{woman}/events"), &clerk)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hers[0]["kind"], "marriage");
    assert_eq!(
        hers[0]["date"], "2018-07-01",
        "a date goes out as it came in"
    );
}

#[tokio::test]
async fn a_minor_cannot_marry_without_a_court_record() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let man = register(&app, &clerk, "سامر", "M", "1990").await;
    let girl = register(&app, &clerk, "ريم", "F", "2010-01-01").await;
    let body = json!({ "kind": "marriage", "date": "2026-06-01", "spouse_id": girl });
    let r = app
        .post(&format!("/api/v1/persons/{man}/events"), &clerk, &body)
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "court_record");
    assert!(
        body["error"]["fields"][0]["message_ar"]
            .as_str()
            .unwrap()
            .contains("المحكمة")
    );
}

#[tokio::test]
async fn no_death_before_birth_and_nothing_after_death() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let p = register(&app, &clerk, "سامر", "M", "1990-05-05").await;
    let path = format!("/api/v1/persons/{p}/events");
    let r = app
        .post(
            &path,
            &clerk,
            &json!({ "kind": "death", "date": "1980-01-01" }),
        )
        .await;
    assert_eq!(error_fields(r).await, ["date"]);
    let r = app
        .post(
            &path,
            &clerk,
            &json!({ "kind": "death", "date": "2020-01-01" }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let spouse = register(&app, &clerk, "ريم", "F", "1993").await;
    let r = app
        .post(
            &path,
            &clerk,
            &json!({ "kind": "marriage", "date": "2021-01-01", "spouse_id": spouse }),
        )
        .await;
    assert_eq!(r.status(), 422);
}
