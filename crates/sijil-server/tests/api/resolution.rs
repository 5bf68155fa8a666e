//! Identity resolution through the API: registrations linked with explanations, search in
//! either script, the review queue and adjudicators' decisions, each audited and reversible.

use serde_json::{Value, json};

use crate::helpers::{person, spawn_app};

#[tokio::test]
async fn a_latin_spelling_is_linked_to_the_arabic_record_and_found_by_search() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let first: Value = app
        .register(&clerk, person("سامر", "M", "1990-04-12"))
        .await
        .json()
        .await
        .unwrap();
    let latin = json!({
        "first_name": "Samer", "father_name": "Khaled", "grandfather_name": "Mahmoud",
        "family_name": "Al-Homsi", "mother_name": "Souad", "sex": "M", "birth_date": "1990-04-12",
        "birth_place": "Homs", "source": "passport"
    });
    let r = app.register(&clerk, latin).await;
    assert_eq!(r.status(), 201);
    let second: Value = r.json().await.unwrap();
    assert_eq!(second["person_id"], first["person_id"], "{second}");
    assert_eq!(second["reason"], "match");
    assert_eq!(second["new_person"], false);

    // Why: the decision is kept with each field's weight.
    let id = first["person_id"].as_str().unwrap();
    let history: Value = app
        .get(&format!("/api/v1/persons/{id}/decisions"), &clerk)
        .await
        .json()
        .await
        .unwrap();
    let terms = history[0]["explanation"]["terms"].as_array().unwrap();
    assert!(terms.iter().any(|t| t["comparison"] == "first_name"));

    // Search in Latin letters finds the person registered in Arabic, with a score.
    let r = app
        .get("/api/v1/search?names=Samer%20Homsi&birth_year=1990", &clerk)
        .await;
    assert_eq!(r.status(), 200);
    let hits: Value = r.json().await.unwrap();
    assert_eq!(hits[0]["person_id"], first["person_id"], "{hits}");
    assert!(hits[0]["score"].as_f64().unwrap() > 0.0);
    assert_eq!(hits[0]["national_number"], first["national_number"]);
    assert_eq!(
        hits[0]["view"]["first_name"], "سامر",
        "the view stays in Arabic"
    );
    // Arabic-Indic digits are years too.
    let r = app
        .get(
            "/api/v1/search?names=Samer&birth_year=%D9%A1%D9%A9%D9%A9%D9%A0",
            &clerk,
        )
        .await;
    assert_eq!(r.status(), 200);
    // And in Arabic.
    let hits: Value = app
        .get(
            "/api/v1/search?names=%D8%B3%D8%A7%D9%85%D8%B1%20%D8%A7%D9%84%D8%AD%D9%85%D8%B5%D9%8A",
            &clerk,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hits[0]["person_id"], first["person_id"], "{hits}");

    // The search is audited, naming who searched and whom it showed.
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let log: Value = app
        .get("/api/v1/audit?action=person.search", &auditor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log[0]["actor"], "clerk.one");
    let detail: Value = serde_json::from_str(log[0]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["persons"][0], first["person_id"], "{log}");

    // Bad searches are refused field by field.
    let r = app
        .get("/api/v1/search?names=&birth_year=3000", &clerk)
        .await;
    assert_eq!(r.status(), 422);
    let fields = crate::helpers::error_fields(r).await;
    assert_eq!(fields, ["names", "birth_year"]);
}

#[tokio::test]
async fn an_adjudicator_settles_a_review_item_and_can_undo_it() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let admin = app.admin_token().await;
    let nn = sijil_core::NationalNumber::from_parts(1, 0, 777).unwrap();
    let mut woman = person("هند", "F", "1985-02-03");
    woman["national_number"] = json!(nn.as_str());
    let her: Value = app.register(&clerk, woman).await.json().await.unwrap();
    // Someone else with her number: kept apart, and sent to review.
    let mut man = person("وائل", "M", "1961");
    man["national_number"] = json!(nn.as_str());
    let r = app.register(&clerk, man).await;
    assert_eq!(r.status(), 201);
    let him: Value = r.json().await.unwrap();
    assert_eq!(him["reason"], "national_number_held");
    let review = him["review_id"].as_str().unwrap().to_owned();

    // Clerks do not adjudicate.
    assert_eq!(app.get("/api/v1/review", &clerk).await.status(), 403);

    let queue: Value = app
        .get("/api/v1/review", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(queue[0]["id"], review.as_str());
    let item: Value = app
        .get(&format!("/api/v1/review/{review}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(item["candidates"][0]["person"]["id"], her["person_id"]);
    assert!(item["candidates"][0]["explanation"]["terms"].is_array());

    // A decision needs a reason.
    let path = format!("/api/v1/review/{review}/decision");
    let r = app
        .post(
            &path,
            &admin,
            &json!({ "action": "separate", "reason": "  " }),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post(
            &path,
            &admin,
            &json!({ "action": "separate", "reason": "different people; her number was copied wrongly" }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let settled: Value = r.json().await.unwrap();
    let queue: Value = app
        .get("/api/v1/review", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert!(queue.as_array().unwrap().is_empty());
    // Settled once only.
    let r = app
        .post(
            &path,
            &admin,
            &json!({ "action": "separate", "reason": "again" }),
        )
        .await;
    assert_eq!(r.status(), 409);

    // Undo reopens it; then link it to her instead: his record moves to her.
    let undo = format!(
        "/api/v1/decisions/{}/undo",
        settled["decision_id"].as_str().unwrap()
    );
    let r = app
        .post(&undo, &admin, &json!({ "reason": "settled too fast" }))
        .await;
    assert_eq!(r.status(), 201);
    let queue: Value = app
        .get("/api/v1/review", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue.as_array().unwrap().len(), 1);
    let r = app
        .post(
            &path,
            &admin,
            &json!({ "action": "link", "person": her["person_id"], "reason": "same booklet page" }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let linked: Value = r.json().await.unwrap();
    assert_eq!(linked["moves"][0]["to"], her["person_id"]);
    let hers: Value = app
        .get(
            &format!("/api/v1/persons/{}", her["person_id"].as_str().unwrap()),
            &admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hers["records"].as_array().unwrap().len(), 2);
    let his: Value = app
        .get(
            &format!("/api/v1/persons/{}", him["person_id"].as_str().unwrap()),
            &admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(his["merged_into"], her["person_id"]);

    // Each decision is in the audit log with the adjudicator's name.
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let log: Value = app
        .get(&format!("/api/v1/audit?subject=review:{review}"), &auditor)
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "decision.separate",
        "decision.undo",
        "decision.link",
        "review.read",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"] != "clerk.one")
    );
}
