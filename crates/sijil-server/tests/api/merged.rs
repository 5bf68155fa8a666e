//! A merged person is whole on the survivor's side, through the API (issues 3 and 4
//! follow-up): `GET /api/v1/persons/{id}` names who was merged in, and the events and
//! documents of the merged-away person come with the survivor's; an undone merge parts them.

use serde_json::{Value, json};
use sijil_docs::{AlertList, TrustList};

use crate::helpers::{TestApp, person, spawn_app};

async fn registered(app: &TestApp, token: &str, record: Value) -> (String, String) {
    let r = app.register(token, record).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let reg: Value = r.json().await.unwrap();
    (
        reg["person_id"].as_str().unwrap().to_owned(),
        reg["national_number"].as_str().unwrap().to_owned(),
    )
}

async fn json_of(app: &TestApp, path: &str, token: &str) -> Value {
    let r = app.get(path, token).await;
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_survivor_of_a_merge_shows_the_events_and_documents_of_the_merged_person() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (a, _) = registered(&app, &admin, person("سامر", "M", "1990-04-12")).await;
    let mut other = person("نزار", "M", "1971-09-30");
    other["father_name"] = json!("يوسف");
    other["family_name"] = json!("الدمشقي");
    other["mother_name"] = json!("ريم");
    other["registry_place"] = json!("دمشق");
    let (b, b_number) = registered(&app, &admin, other).await;
    assert_ne!(a, b);

    let r = app
        .post(
            &format!("/api/v1/persons/{b}/events"),
            &admin,
            &json!({ "kind": "birth", "date": "1971-09-30", "place": "دمشق" }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let birth: Value = r.json().await.unwrap();
    let r = app
        .post(&format!("/api/v1/persons/{b}/id-card"), &admin, &json!({}))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let card: Value = r.json().await.unwrap();

    let r = app
        .post(
            &format!("/api/v1/persons/{b}/merge"),
            &admin,
            &json!({ "into": a, "reason": "one person, two registrations" }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let merge: Value = r.json().await.unwrap();

    let seen = json_of(&app, &format!("/api/v1/persons/{a}"), &admin).await;
    assert_eq!(seen["merged_from"][0]["person_id"], json!(b));
    assert_eq!(seen["merged_from"][0]["national_number"], json!(b_number));
    assert_eq!(seen["merged_from"][0]["decision_id"], merge["decision_id"]);
    assert_eq!(seen["merged_from"][0]["decision_kind"], json!("merge"));
    let events = json_of(&app, &format!("/api/v1/persons/{a}/events"), &admin).await;
    assert_eq!(ids(&events), vec![birth["id"].as_str().unwrap().to_owned()]);
    assert_eq!(
        events[0]["person_id"],
        json!(b),
        "marked as the merged person's"
    );
    let docs = json_of(&app, &format!("/api/v1/persons/{a}/documents"), &admin).await;
    assert_eq!(ids(&docs), vec![card["id"].as_str().unwrap().to_owned()]);

    // The merged-away person says where they went, and takes no new event.
    let gone = json_of(&app, &format!("/api/v1/persons/{b}"), &admin).await;
    assert_eq!(gone["merged_into"], json!(a));
    let r = app
        .post(
            &format!("/api/v1/persons/{b}/events"),
            &admin,
            &json!({ "kind": "death", "date": "2020-01-01" }),
        )
        .await;
    assert_eq!(r.status(), 409);
    let r = app
        .post(&format!("/api/v1/persons/{b}/id-card"), &admin, &json!({}))
        .await;
    assert_eq!(r.status(), 409);
    let body: Value = r.json().await.unwrap();
    let a_number = seen["national_number"].as_str().unwrap();
    assert!(body.to_string().contains(a_number), "{body}");

    // An alert on B's number reaches checkpoints under A's number too (A's card after the
    // merge carries only A's number).
    let r = app
        .post(
            "/api/v1/alerts",
            &admin,
            &json!({ "national_number": b_number, "code": "wanted" }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let listed = json_of(&app, "/api/v1/alerts", &admin).await;
    assert_eq!(listed[0]["survivor_number"], seen["national_number"]);
    let trust = app.get("/api/v1/lists/trust-list.json", &admin).await;
    let trust = TrustList::from_json(&trust.text().await.unwrap()).unwrap();
    let cose = app.get("/api/v1/lists/alerts.cose", &admin).await;
    let alerts = AlertList::open(&cose.bytes().await.unwrap(), &trust).unwrap();
    assert_eq!(alerts.for_person(a_number).len(), 1);
    assert_eq!(alerts.for_person(&b_number).len(), 1);

    // Undone: apart again.
    let r = app
        .post(
            &format!(
                "/api/v1/decisions/{}/undo",
                merge["decision_id"].as_str().unwrap()
            ),
            &admin,
            &json!({ "reason": "two people after all" }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let seen = json_of(&app, &format!("/api/v1/persons/{a}"), &admin).await;
    assert_eq!(seen["merged_from"], json!([]));
    let events = json_of(&app, &format!("/api/v1/persons/{a}/events"), &admin).await;
    assert_eq!(events, json!([]));
    let docs = json_of(&app, &format!("/api/v1/persons/{a}/documents"), &admin).await;
    assert_eq!(docs, json!([]));
    let cose = app.get("/api/v1/lists/alerts.cose", &admin).await;
    let alerts = AlertList::open(&cose.bytes().await.unwrap(), &trust).unwrap();
    assert!(alerts.for_person(a_number).is_empty());
    assert_eq!(alerts.for_person(&b_number).len(), 1);
}
