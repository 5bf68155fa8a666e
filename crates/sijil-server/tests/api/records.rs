//! Registering source records and reading persons and family registers.

use serde_json::{Value, json};

use crate::helpers::{person, spawn_app};

#[tokio::test]
async fn a_registered_record_becomes_a_person_that_can_be_read() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let r = app
        .register(&clerk, person("سامر", "M", "1990-04-12"))
        .await;
    assert_eq!(r.status(), 201);
    let reg: Value = r.json().await.unwrap();
    assert_eq!(reg["new_person"], true);
    let nn = reg["national_number"].as_str().unwrap();
    assert_eq!(nn.len(), 11);
    assert!(sijil_core::NationalNumber::parse(nn).is_ok());

    let id = reg["person_id"].as_str().unwrap();
    let p: Value = app
        .get(&format!("/api/v1/persons/{id}"), &clerk)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["view"]["first_name"], "سامر");
    assert_eq!(
        p["view"]["registry_number"], "157",
        "Arabic-Indic digits are folded"
    );
    assert_eq!(p["records"][0]["capture"]["officer"], "clerk.one");
    assert_eq!(
        p["records"][0]["capture"]["evidence"][0]["kind"],
        "family_booklet"
    );

    // The read is in the audit log, attributed to the clerk.
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let log: Value = app
        .get(&format!("/api/v1/audit?subject=person:{id}"), &auditor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log[0]["action"], "person.read");
    assert_eq!(log[0]["actor"], "clerk.one");
}

#[tokio::test]
async fn a_second_record_with_the_same_national_number_joins_the_person() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let first: Value = app
        .register(&clerk, person("سامر", "M", "1990"))
        .await
        .json()
        .await
        .unwrap();
    let mut again = person("Samer", "M", "1990-04-12");
    again["national_number"] = first["national_number"].clone();
    let second: Value = app.register(&clerk, again).await.json().await.unwrap();
    assert_eq!(second["new_person"], false);
    assert_eq!(second["person_id"], first["person_id"]);
    let p: Value = app
        .get(
            &format!("/api/v1/persons/{}", first["person_id"].as_str().unwrap()),
            &clerk,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["records"].as_array().unwrap().len(), 2);
    assert_eq!(
        p["view"]["birth_date"], "1990-04-12",
        "the precise date refines the year"
    );
}

#[tokio::test]
async fn family_register_members_are_listed() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    for (name, sex) in [("سامر", "M"), ("ريم", "F"), ("باسل", "M")] {
        assert_eq!(
            app.register(&clerk, person(name, sex, "2000"))
                .await
                .status(),
            201
        );
    }
    let r = app
        .get(
            "/api/v1/registers/%D8%AD%D9%85%D8%B5/%D9%A1%D9%A5%D9%A7/members",
            &clerk,
        )
        .await;
    assert_eq!(r.status(), 200);
    let members: Value = r.json().await.unwrap();
    assert_eq!(members.as_array().unwrap().len(), 3);
    let r = app.get("/api/v1/registers/x/999/members", &clerk).await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!([]));
}

#[tokio::test]
async fn an_unknown_person_is_not_found() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    for id in ["00000000-0000-0000-0000-000000000000", "not-a-uuid"] {
        assert_eq!(
            app.get(&format!("/api/v1/persons/{id}"), &clerk)
                .await
                .status(),
            404
        );
    }
}
