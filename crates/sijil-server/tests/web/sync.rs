//! The sync page at a central: an administrator sees an office's enrolment request, approves
//! it with the form, and the decision is the store's; a clerk may not.

use std::sync::Arc;

use reqwest::StatusCode;
use sijil_server::{
    AppState, ServerConfig, bootstrap,
    sync::{CentralKeys, SyncContext, SyncMode},
};
use sijil_store::sqlite::SqliteStore;

use crate::helpers::{TestApp, csrf_of};

async fn spawn_central() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("sijil.db"))
        .await
        .unwrap();
    let admin_password = bootstrap::ensure_admin(&store).await.unwrap().unwrap();
    let keys = CentralKeys::load_or_create(dir.path()).unwrap();
    let ctx = SyncContext::new(Arc::new(store.clone()), SyncMode::Central(keys));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::load(store, ServerConfig::default())
        .await
        .unwrap()
        .with_sync(Arc::new(ctx));
    tokio::spawn(sijil_server::serve(listener, state, std::future::pending()));
    TestApp::from_parts(address, admin_password, dir)
}

#[tokio::test]
async fn an_administrator_approves_an_office_device_from_the_sync_page() {
    let app = spawn_central().await;
    let device = sijil_sync::DeviceSigningKey::generate();
    let enrol = reqwest::Client::new()
        .post(format!("{}/api/v1/sync/enrol", app.address))
        .json(&serde_json::json!({
            "office": "DAM-01",
            "public_key": hex::encode(device.verifying_key().as_bytes()),
            "label": "فريق متنقل"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(enrol.status(), StatusCode::ACCEPTED);
    let key_id = device.id().to_string();

    let mut admin = app.admin().await;
    // The home page says a key waits, and leads to the sync page.
    let home = admin.page("/").await;
    assert!(
        home.contains("<span class=\"num\">1</span> مفاتيح مكاتب تنتظر الموافقة"),
        "{home}"
    );
    assert!(home.contains("href=\"/sync\""));
    let page = admin.page("/sync").await;
    assert!(page.contains(&key_id), "the request is listed");
    assert!(page.contains("بانتظار الموافقة"), "in Arabic first");
    let csrf = csrf_of(&page);
    let r = admin
        .post(
            &format!("/sync/devices/{key_id}/approve"),
            &[("csrf", "wrong")],
        )
        .await;
    assert_ne!(
        r.status(),
        StatusCode::SEE_OTHER,
        "no approval without the form's token"
    );
    let r = admin
        .post(
            &format!("/sync/devices/{key_id}/approve"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = admin.page("/sync").await;
    assert!(page.contains("موافق عليه"), "now approved");

    let mut clerk = app.user_with_role("clerk.huda", "clerk").await;
    assert_eq!(clerk.get("/sync").await.status(), StatusCode::FORBIDDEN);
}
