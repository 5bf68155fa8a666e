//! The document lists reach an office node through the downlink (issues 5 and 6): a card
//! reported stolen at the central is refused at the office once it has synced, with no other
//! link; an alert likewise; an old or tampered list is not taken; a restarted node keeps them.

use std::{sync::Arc, time::Duration};

use reqwest::Client;
use serde_json::{Value, json};
use sijil_core::OfficeCode;
use sijil_server::{
    AppState, ServerConfig, bootstrap,
    sync::{
        OfficeNode, SyncContext, SyncMode,
        client::CentralClient,
        lists::{self, Lists},
        office,
    },
};
use sijil_store::{NewOffice, SyncStore, sqlite::SqliteStore};
use sijil_sync::DeviceSigningKey;

use crate::helpers::{TestApp, spawn_central};

pub(crate) struct Office {
    address: String,
    token: String,
    pub(crate) ctx: Arc<SyncContext>,
    pub(crate) store: SqliteStore,
    pub(crate) dir: tempfile::TempDir,
}

pub(crate) async fn spawn_office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("sijil.db"))
        .await
        .unwrap();
    let code = OfficeCode::parse("DAM-01").unwrap();
    let password = bootstrap::ensure_office_admin(
        &store,
        NewOffice {
            code: code.clone(),
            name_ar: "مكتب دمشق".into(),
            name_en: "Damascus office".into(),
            governorate: 1,
            secretariat: 2,
        },
    )
    .await
    .unwrap()
    .unwrap();
    let ctx = Arc::new(
        SyncContext::new(
            Arc::new(store.clone()),
            SyncMode::Office(OfficeNode {
                office: code,
                device: DeviceSigningKey::generate(),
            }),
        )
        .with_lists(Lists::writing_files_to(dir.path())),
    );
    let state = AppState::load(store.clone(), ServerConfig::default())
        .await
        .unwrap()
        .with_sync(ctx.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(sijil_server::serve(listener, state, std::future::pending()));
    let login: Value = Client::new()
        .post(format!("{address}/api/v1/auth/login"))
        .json(&json!({ "username": bootstrap::ADMIN_USERNAME, "password": password }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Office {
        address,
        token: login["token"].as_str().unwrap().to_owned(),
        ctx,
        store,
        dir,
    }
}

/// An office node that asked `central` for enrolment and was approved by `admin`; with its
/// client of the central and its device key id.
pub async fn enrolled_office(central: &TestApp, admin: &str) -> (Office, CentralClient, String) {
    let node = spawn_office().await;
    let client = CentralClient::new(&central.address, Duration::from_secs(10));
    office::enrol(&node.ctx, &client, "test node")
        .await
        .unwrap();
    let key_id = node.ctx.office().unwrap().device.id().to_string();
    let r = central
        .post(
            &format!("/api/v1/sync/devices/{key_id}/approve"),
            admin,
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    (node, client, key_id)
}

impl Office {
    pub(crate) async fn verify(&self, qr: &str) -> (u16, Value) {
        let r = Client::new()
            .post(format!("{}/api/v1/verify", self.address))
            .bearer_auth(&self.token)
            .json(&json!({ "qr": qr }))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

pub(crate) fn finding_codes(verdict: &Value) -> Vec<String> {
    verdict["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn issued_card(central: &TestApp, clerk: &str) -> (String, String, String) {
    let (reg, card) = central.person_with_card(clerk).await;
    (
        card["id"].as_str().unwrap().to_owned(),
        card["credential"].as_str().unwrap().to_owned(),
        reg["national_number"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn an_office_verifies_with_the_lists_it_received_and_refuses_old_or_forged_ones() {
    let (central, central_state) = spawn_central(true).await;
    let clerk = central.user_with_role("clerk.one", "clerk").await;
    let admin = central.admin_token().await;
    let (node, client, key_id) = enrolled_office(&central, &admin).await;
    let (doc_id, qr, nn) = issued_card(&central, &clerk).await;

    // Before any list arrived the office says so rather than guessing.
    let (status, _) = node.verify(&qr).await;
    assert_eq!(status, 409);

    office::pull_downlink(&node.ctx, &client).await.unwrap();
    let (status, verdict) = node.verify(&qr).await;
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["holder"]["national_number"], nn.as_str());
    for file in [
        lists::TRUST_FILE,
        lists::REVOCATIONS_FILE,
        lists::ALERTS_FILE,
    ] {
        assert!(node.dir.path().join(file).exists(), "{file} written");
    }
    let first_revocations = node
        .store
        .latest_received(lists::REVOCATION_KIND)
        .await
        .unwrap()
        .unwrap();

    // Nothing changed: asking again publishes nothing new.
    assert_eq!(
        lists::publish(&central_state, Duration::ZERO)
            .await
            .unwrap(),
        0
    );

    // The card is reported stolen and the person put under an alert, at the central only.
    let r = central
        .post(
            &format!("/api/v1/documents/{doc_id}/status"),
            &clerk,
            &json!({"status": "stolen", "note": "police report 77"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = central
        .post(
            "/api/v1/alerts",
            &admin,
            &json!({"national_number": nn, "code": "wanted"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let (_, verdict) = node.verify(&qr).await;
    assert_eq!(verdict["valid"], true, "the office has not heard yet");

    assert_eq!(
        lists::publish(&central_state, Duration::ZERO)
            .await
            .unwrap(),
        2
    );
    // The alert list travels sealed to the approved node: nobody else may ask, and what the
    // link carries does not show who is under an alert.
    let downlink = |key: Option<String>| {
        let mut r = Client::new().get(format!("{}/api/v1/sync/downlink?since=0", central.address));
        if let Some(k) = key {
            r = r.header("sijil-device-key", k);
        }
        r.send()
    };
    assert_eq!(downlink(None).await.unwrap().status(), 403);
    let stranger = DeviceSigningKey::generate().id().to_string();
    assert_eq!(downlink(Some(stranger)).await.unwrap().status(), 403);
    let raw = downlink(Some(key_id.clone())).await.unwrap();
    assert_eq!(raw.status(), 200);
    let raw = raw.bytes().await.unwrap();
    assert!(
        serde_json::from_slice::<Value>(&raw).is_err(),
        "not in clear"
    );
    assert!(!raw.windows(7).any(|w| w == b"entries"));
    let device = &node.ctx.office().unwrap().device;
    let context = sijil_server::sync::downlink_context(0, &key_id);
    let plain = sijil_sync::downlink::open_as_device(device, &context, &raw).unwrap();
    let plain: Value = serde_json::from_slice(&plain).unwrap();
    let kinds: Vec<&str> = plain["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "alert").count(),
        1,
        "only the newest alert list: {kinds:?}"
    );
    assert!(
        sijil_sync::downlink::open_as_device(
            device,
            &sijil_server::sync::downlink_context(1, &key_id),
            &raw
        )
        .is_err(),
        "an answer to another question does not open"
    );

    office::pull_downlink(&node.ctx, &client).await.unwrap();
    let (_, verdict) = node.verify(&qr).await;
    assert_eq!(verdict["valid"], false, "{verdict}");
    let codes = finding_codes(&verdict);
    assert!(codes.contains(&"reported_stolen".to_owned()), "{codes:?}");
    assert!(codes.iter().any(|c| c.contains("alert")), "{codes:?}");

    // The older list, offered again, is not taken: a replay cannot un-revoke the card.
    assert!(!lists::take_entries(
        &node.ctx.lists,
        std::slice::from_ref(&first_revocations)
    ));
    // Nor is a list whose bytes were changed, however new its entry.
    let mut forged = first_revocations;
    forged.version += 100;
    let text = forged.payload["list"].as_str().unwrap().to_owned();
    let mut chars: Vec<char> = text.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    forged.payload["list"] = Value::String(chars.into_iter().collect());
    assert!(!lists::take_entries(&node.ctx.lists, &[forged]));
    let (_, verdict) = node.verify(&qr).await;
    assert_eq!(verdict["valid"], false);

    // A node that restarts verifies with what it received before, without the central.
    let restarted = Lists::default();
    assert!(
        lists::load_held(&node.store, &restarted).await.unwrap(),
        "lists read back"
    );
    let held = restarted.held().unwrap();
    assert!(
        held.revocations
            .is_document_revoked(&verdict_number(&verdict))
    );
}

fn verdict_number(verdict: &Value) -> String {
    verdict["document_number"].as_str().unwrap().to_owned()
}
