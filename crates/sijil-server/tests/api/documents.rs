//! Identity documents through the API (issue 6): a card issued from the registry verifies
//! offline with the published lists; the passport workflow needs a second officer.

use serde_json::{Value, json};
use sijil_docs::{AlertList, RevocationList, TrustList, Verifier, decode_qr_image};
use time::OffsetDateTime;

use crate::helpers::{TestApp, person, spawn_app};

async fn registered(app: &TestApp, clerk: &str) -> (String, String) {
    let reg: Value = app
        .register(clerk, person("سامر", "M", "1990-04-12"))
        .await
        .json()
        .await
        .unwrap();
    (
        reg["person_id"].as_str().unwrap().to_owned(),
        reg["national_number"].as_str().unwrap().to_owned(),
    )
}

async fn bytes(app: &TestApp, path: &str, token: &str) -> Vec<u8> {
    let r = app.get(path, token).await;
    assert_eq!(r.status(), 200, "{path}");
    r.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn an_issued_card_verifies_offline_until_it_is_reported_stolen() {
    let app = spawn_app().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let (person_id, nn) = registered(&app, &clerk).await;

    let r = app
        .post(
            &format!("/api/v1/persons/{person_id}/id-card"),
            &clerk,
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let card: Value = r.json().await.unwrap();
    let doc_id = card["id"].as_str().unwrap();
    assert!(card["number"].as_str().unwrap().starts_with('A'));
    assert_eq!(card["mrz"].as_str().unwrap().lines().count(), 3);

    // The PNG the server draws decodes back to the stored credential.
    let png = bytes(&app, &format!("/api/v1/documents/{doc_id}/qr.png"), &clerk).await;
    let text = decode_qr_image(&png).unwrap();
    assert_eq!(text, card["credential"].as_str().unwrap());
    let svg = bytes(&app, &format!("/api/v1/documents/{doc_id}/qr.svg"), &clerk).await;
    assert!(String::from_utf8(svg).unwrap().contains("<svg"));

    // A checkpoint with only the published files accepts it.
    let trust = TrustList::from_json(
        &String::from_utf8(bytes(&app, "/api/v1/lists/trust-list.json", &clerk).await).unwrap(),
    )
    .unwrap();
    let lists = |rev: Vec<u8>, alerts: Vec<u8>| {
        (
            RevocationList::open(&rev, &trust).unwrap(),
            AlertList::open(&alerts, &trust).unwrap(),
        )
    };
    let (rev, alerts) = lists(
        bytes(&app, "/api/v1/lists/revocations.cose", &clerk).await,
        bytes(&app, "/api/v1/lists/alerts.cose", &clerk).await,
    );
    let now = OffsetDateTime::now_utc();
    let v = Verifier {
        trust: &trust,
        revocations: &rev,
        alerts: &alerts,
    };
    let verdict = v.check_qr(&text, now);
    assert!(verdict.is_valid(), "{:?}", verdict);
    assert_eq!(
        verdict.holder.unwrap().national_number.as_deref(),
        Some(nn.as_str())
    );

    // Reported stolen, and the holder put under an alert: the next lists say so.
    let r = app
        .post(
            &format!("/api/v1/documents/{doc_id}/status"),
            &clerk,
            &json!({"status": "stolen", "note": "police report"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let admin = app.admin_token().await;
    let r = app
        .post(
            "/api/v1/alerts",
            &admin,
            &json!({"national_number": nn, "code": "wanted"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        app.post(
            "/api/v1/alerts",
            &clerk,
            &json!({"national_number": nn, "code": "x"})
        )
        .await
        .status(),
        403,
        "clerks do not raise alerts"
    );
    let (rev2, alerts2) = lists(
        bytes(&app, "/api/v1/lists/revocations.cose", &clerk).await,
        bytes(&app, "/api/v1/lists/alerts.cose", &clerk).await,
    );
    assert!(rev2.version > rev.version);
    let v = Verifier {
        trust: &trust,
        revocations: &rev2,
        alerts: &alerts2,
    };
    let json = v.check_qr(&text, now).to_json();
    assert_eq!(json["valid"], false);
    let codes: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["reported_stolen", "under_alert"]);

    // The server's own verification agrees, for the QR and for the zone.
    let server: Value = app
        .post("/api/v1/verify", &clerk, &json!({"qr": text}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(server["findings"][0]["code"], "reported_stolen");
    let zone: Value = app
        .post("/api/v1/verify", &clerk, &json!({"mrz": card["mrz"]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(zone["checked"], "mrz_td1");
    assert_eq!(zone["authenticity"]["status"], "consistent_zone");
    let stolen_again = app
        .post(
            &format!("/api/v1/documents/{doc_id}/status"),
            &clerk,
            &json!({"status": "delivered"}),
        )
        .await;
    assert_eq!(stolen_again.status(), 409);
}

#[tokio::test]
async fn a_passport_is_approved_by_a_second_officer_and_carries_a_td3_zone() {
    let app = spawn_app().await;
    let one = app.user_with_role("clerk.one", "clerk").await;
    let two = app.user_with_role("clerk.two", "clerk").await;
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let (person_id, _) = registered(&app, &one).await;

    let r = app
        .post(
            "/api/v1/passport-applications",
            &one,
            &json!({"person_id": person_id}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let step = |who: &'static str, token: String, step: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            let r = app
                .post(
                    &format!("/api/v1/passport-applications/{id}/{step}"),
                    &token,
                    &json!({}),
                )
                .await;
            (r.status().as_u16(), r.json::<Value>().await.unwrap(), who)
        }
    };
    assert_eq!(step("auditor", auditor.clone(), "check").await.0, 403);
    let (status, body, _) = step("one", one.clone(), "check").await;
    assert_eq!(
        (status, body["steps"][1]["step"].as_str()),
        (200, Some("checked"))
    );
    let (status, body, _) = step("one", one.clone(), "approve").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(step("two", two.clone(), "approve").await.0, 200);
    let (status, passport, _) = step("one", one.clone(), "issue").await;
    assert_eq!(status, 201, "{passport}");
    let zone = passport["mrz"].as_str().unwrap();
    assert_eq!(zone.lines().map(str::len).collect::<Vec<_>>(), [44, 44]);
    assert!(zone.starts_with("P<SYR"));
    let parsed = sijil_docs::mrz::parse_mrz(zone).unwrap();
    assert_eq!(
        parsed.data.document_number,
        passport["number"].as_str().unwrap()
    );
}

/// An office node holds no keys: it verifies with the lists it last received, and says so
/// clearly before it has any.
#[tokio::test]
async fn an_office_without_keys_verifies_with_the_lists_it_received() {
    let central = spawn_app().await;
    let clerk = central.user_with_role("clerk.one", "clerk").await;
    let (person_id, _) = registered(&central, &clerk).await;
    let card: Value = central
        .post(
            &format!("/api/v1/persons/{person_id}/id-card"),
            &clerk,
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let trust = bytes(&central, "/api/v1/lists/trust-list.json", &clerk).await;
    let rev = bytes(&central, "/api/v1/lists/revocations.cose", &clerk).await;
    let alerts = bytes(&central, "/api/v1/lists/alerts.cose", &clerk).await;

    let dir = tempfile::tempdir().unwrap();
    let store = sijil_store::sqlite::SqliteStore::open(&dir.path().join("office.db"))
        .await
        .unwrap();
    let password = sijil_server::bootstrap::ensure_admin(&store)
        .await
        .unwrap()
        .unwrap();
    let state = sijil_server::AppState::load(store, sijil_server::ServerConfig::default())
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let office = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(sijil_server::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    let client = reqwest::Client::new();
    let token: Value = client
        .post(format!("{office}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let verify = || async {
        client
            .post(format!("{office}/api/v1/verify"))
            .bearer_auth(&token)
            .json(&json!({"qr": card["credential"]}))
            .send()
            .await
            .unwrap()
    };
    assert_eq!(verify().await.status(), 409, "no lists yet");
    let held = sijil_server::verification::HeldLists::open(
        std::str::from_utf8(&trust).unwrap(),
        &rev,
        &alerts,
    )
    .unwrap();
    assert!(
        sijil_server::verification::HeldLists::open(
            std::str::from_utf8(&trust).unwrap(),
            &alerts[..alerts.len() - 1],
            &alerts
        )
        .is_err(),
        "a damaged list is refused"
    );
    state.hold_lists(held);
    let verdict: Value = verify().await.json().await.unwrap();
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["document_number"], card["number"]);
    assert_eq!(
        client
            .post(format!("{office}/api/v1/persons/{person_id}/id-card"))
            .bearer_auth(&token)
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .status(),
        409,
        "an office issues nothing"
    );
}
