//! Authority by office: officers of the central office act for the whole country, every other
//! officer for their own office only (`sijil_core::Scope`).

use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::{TestApp, person, spawn_app};

const PASSWORD: &str = "a long enough password";

/// A registry with a second office, Homs (`HMS-01`).
async fn with_homs() -> TestApp {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app
        .post("/api/v1/offices", &admin, &json!({ "code": "HMS-01", "name_ar": "حمص", "name_en": "Homs", "governorate": 4, "secretariat": 1 }))
        .await;
    assert_eq!(r.status(), 201);
    app
}

async fn error_code(r: Response) -> String {
    let body: Value = r.json().await.unwrap();
    body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Registers two people with the same national number through `clerk`: the second goes to
/// review. Returns the review item's id.
async fn review_item(app: &TestApp, clerk: &str, sequence: u32) -> String {
    let nn = sijil_core::NationalNumber::from_parts(4, 1, sequence).unwrap();
    let mut woman = person("هند", "F", "1985-02-03");
    woman["national_number"] = json!(nn.as_str());
    assert_eq!(app.register(clerk, woman).await.status(), 201);
    let mut man = person("وائل", "M", "1961");
    man["national_number"] = json!(nn.as_str());
    let him: Value = app.register(clerk, man).await.json().await.unwrap();
    assert_eq!(him["reason"], "national_number_held", "{him}");
    him["review_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_administrator_of_an_office_manages_its_users_only_and_no_national_work() {
    let app = with_homs().await;
    let homs_admin = app.user_at("admin.homs", "administrator", "HMS-01").await;

    let r = app
        .post("/api/v1/users", &homs_admin, &json!({ "username": "clerk.homs", "display_name": "Homs clerk", "role": "clerk", "office": "HMS-01", "password": PASSWORD }))
        .await;
    assert_eq!(r.status(), 201);
    // Not a user of another office: a field error naming the office.
    let r = app
        .post("/api/v1/users", &homs_admin, &json!({ "username": "mallory", "display_name": "M", "role": "administrator", "office": "CENTRAL", "password": PASSWORD }))
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "office", "{body}");
    assert_eq!(
        body["error"]["fields"][0]["code"], "outside_scope",
        "{body}"
    );

    // The list holds Homs's users only; the central's administrator sees everyone.
    let users: Value = app
        .get("/api/v1/users", &homs_admin)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"admin.homs") && names.contains(&"clerk.homs"));
    let all: Value = app
        .get("/api/v1/users", &app.admin_token().await)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|u| u["username"] == "admin")
    );

    // Offices, devices and alerts are national work.
    let r = app
        .post("/api/v1/offices", &homs_admin, &json!({ "code": "HMS-02", "name_ar": "حمص ٢", "name_en": "Homs 2", "governorate": 4, "secretariat": 2 }))
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "outside_scope");
    let r = app.get("/api/v1/alerts", &homs_admin).await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "outside_scope");
    let r = app.get("/api/v1/sync/devices", &homs_admin).await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "outside_scope");
}

#[tokio::test]
async fn an_adjudicator_of_an_office_settles_its_own_queue_and_corrects_nothing_national() {
    let app = with_homs().await;
    let central_clerk = app.user_with_role("clerk.central", "clerk").await;
    let homs_clerk = app.user_at("clerk.homs", "clerk", "HMS-01").await;
    let homs_judge = app.user_at("judge.homs", "adjudicator", "HMS-01").await;
    let central_judge = app.user_with_role("judge.central", "adjudicator").await;
    let central_item = review_item(&app, &central_clerk, 701).await;
    let homs_item = review_item(&app, &homs_clerk, 702).await;

    let queue: Value = app
        .get("/api/v1/review", &homs_judge)
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [homs_item.as_str()]);
    assert_eq!(queue[0]["office"], "HMS-01");
    let all: Value = app
        .get("/api/v1/review", &central_judge)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    // The central shares its queue out by office; an office asks for no other's.
    let homs_only: Value = app
        .get("/api/v1/review?office=HMS-01", &central_judge)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(homs_only.as_array().unwrap().len(), 1);
    assert_eq!(homs_only[0]["id"], homs_item.as_str());
    let r = app.get("/api/v1/review?office=CENTRAL", &homs_judge).await;
    assert_eq!(r.status(), 403);
    let r = app
        .get("/api/v1/review?office=bad%20code", &central_judge)
        .await;
    assert_eq!(r.status(), 422);

    // Another office's item can be neither read nor settled…
    let r = app
        .get(&format!("/api/v1/review/{central_item}"), &homs_judge)
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "outside_scope");
    let decide = |item: &str| format!("/api/v1/review/{item}/decision");
    let separate =
        json!({ "action": "separate", "reason": "two people; the number was copied wrongly" });
    let r = app
        .post(&decide(&central_item), &homs_judge, &separate)
        .await;
    assert_eq!(r.status(), 403);
    // …and that refusal read nothing: no audit entry names the item for the Homs adjudicator.
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let trail: Value = app
        .get(
            "/api/v1/audit?actor=judge.homs&action=review.read",
            &auditor,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(trail.as_array().unwrap().is_empty(), "{trail}");

    // Their own is theirs to settle.
    assert_eq!(
        app.get(&format!("/api/v1/review/{homs_item}"), &homs_judge)
            .await
            .status(),
        200
    );
    let r = app.post(&decide(&homs_item), &homs_judge, &separate).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let settled: Value = r.json().await.unwrap();

    // Undoing, merging and splitting change persons nationally: the central's adjudicators.
    let undo = format!(
        "/api/v1/decisions/{}/undo",
        settled["decision_id"].as_str().unwrap()
    );
    let r = app
        .post(&undo, &homs_judge, &json!({ "reason": "settled too fast" }))
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "outside_scope");
    let someone: Value = app
        .register(&homs_clerk, person("سامر", "M", "1990"))
        .await
        .json()
        .await
        .unwrap();
    let other: Value = app
        .register(&homs_clerk, person("نزار", "M", "1970"))
        .await
        .json()
        .await
        .unwrap();
    let merge = format!(
        "/api/v1/persons/{}/merge",
        someone["person_id"].as_str().unwrap()
    );
    let r = app
        .post(
            &merge,
            &homs_judge,
            &json!({ "into": other["person_id"], "reason": "one man" }),
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = app
        .post(
            &undo,
            &central_judge,
            &json!({ "reason": "settled too fast" }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn an_auditor_of_an_office_reads_its_own_trail() {
    let app = with_homs().await;
    let central_clerk = app.user_with_role("clerk.central", "clerk").await;
    let homs_clerk = app.user_at("clerk.homs", "clerk", "HMS-01").await;
    assert_eq!(
        app.register(&central_clerk, person("سامر", "M", "1990"))
            .await
            .status(),
        201
    );
    assert_eq!(
        app.register(&homs_clerk, person("نزار", "M", "1970"))
            .await
            .status(),
        201
    );
    let homs_auditor = app.user_at("auditor.homs", "auditor", "HMS-01").await;
    let trail: Value = app
        .get("/api/v1/audit", &homs_auditor)
        .await
        .json()
        .await
        .unwrap();
    let entries = trail.as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|e| e["office"] == "HMS-01"), "{trail}");
    assert!(entries.iter().any(|e| e["actor"] == "clerk.homs"));
    let r = app.get("/api/v1/audit?office=CENTRAL", &homs_auditor).await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "outside_scope");
    // The chain's state is the same for every auditor.
    assert_eq!(
        app.get("/api/v1/audit/verify", &homs_auditor)
            .await
            .status(),
        200
    );
    // The central's auditor filters by office at will.
    let central_auditor = app.user_with_role("auditor.central", "auditor").await;
    let central: Value = app
        .get("/api/v1/audit?office=CENTRAL", &central_auditor)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        central
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["office"] == "CENTRAL")
    );
    assert!(
        central
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"] == "clerk.central")
    );
}

#[tokio::test]
async fn another_office_cannot_approve_a_passport_application() {
    let app = with_homs().await;
    let taker = app.user_with_role("clerk.central", "clerk").await;
    let homs = app.user_at("clerk.homs", "clerk", "HMS-01").await;
    let reg: Value = app
        .register(&taker, person("سامر", "M", "1990-04-12"))
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .post(
            "/api/v1/passport-applications",
            &homs,
            &json!({ "person_id": reg["person_id"] }),
        )
        .await;
    assert_eq!(r.status(), 201, "an application may be taken at any office");
    let taken_at_homs: Value = r.json().await.unwrap();
    assert_eq!(taken_at_homs["office"], "HMS-01");
    let r = app
        .post(
            "/api/v1/passport-applications",
            &taker,
            &json!({ "person_id": reg["person_id"] }),
        )
        .await;
    let taken_centrally: Value = r.json().await.unwrap();
    let step = |id: &Value, step: &str| {
        format!(
            "/api/v1/passport-applications/{}/{step}",
            id["id"].as_str().unwrap()
        )
    };
    let r = app
        .post(&step(&taken_centrally, "check"), &homs, &json!({}))
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "outside_scope");
    // The central's officers may take the next step of Homs's application.
    let r = app
        .post(&step(&taken_at_homs, "check"), &taker, &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}
