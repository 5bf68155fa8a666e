//! `spawn_app()` starts Sijil on 127.0.0.1:0 over a fresh SQLite file and returns typed helpers.

use reqwest::{Client, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use sijil_server::{
    AppState, ServerConfig, bootstrap,
    sync::{CentralKeys, SyncContext, SyncMode},
};
use sijil_store::sqlite::SqliteStore;

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub admin_password: String,
    _dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_central(false).await.0
}

/// A central registry with signing keys; with `sync`, also taking part in sync (its keys in the
/// data directory). Returns the state as well, for what a test drives from inside.
pub async fn spawn_central(sync: bool) -> (TestApp, AppState<SqliteStore>) {
    spawn_configured(sync, ServerConfig::default()).await
}

/// [`spawn_central`] with `config`.
pub async fn spawn_configured(
    sync: bool,
    config: ServerConfig,
) -> (TestApp, AppState<SqliteStore>) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("sijil.db"))
        .await
        .unwrap();
    let admin_password = bootstrap::ensure_admin(&store)
        .await
        .unwrap()
        .expect("fresh registry");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let keys = sijil_server::keyring::Keyring::open(&dir.path().join("keys")).unwrap();
    let mut state = AppState::load(store.clone(), config)
        .await
        .unwrap()
        .with_keyring(keys);
    if sync {
        let keys = CentralKeys::load_or_create(dir.path()).unwrap();
        let ctx = SyncContext::new(Arc::new(store), SyncMode::Central(keys));
        state = state.with_sync(Arc::new(ctx));
    }
    tokio::spawn(sijil_server::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    let app = TestApp {
        address,
        client: Client::new(),
        admin_password,
        _dir: dir,
    };
    (app, state)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap()
    }

    /// Logs in and returns the bearer token, panicking on failure.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let r = self.login(username, password).await;
        assert_eq!(r.status(), 200, "login of {username}");
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.token("admin", &self.admin_password).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Posts raw bytes as JSON (for malformed bodies).
    pub async fn post_raw(
        &self,
        path: &str,
        token: &str,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Creates a user with `role` at the central office and returns their token.
    pub async fn user_with_role(&self, username: &str, role: &str) -> String {
        self.user_at(username, role, "CENTRAL").await
    }

    /// Creates a user with `role` at `office` (which must exist) and returns their token.
    pub async fn user_at(&self, username: &str, role: &str, office: &str) -> String {
        let admin = self.admin_token().await;
        let password = "a long enough password";
        let r = self
            .post(
                "/api/v1/users",
                &admin,
                &json!({ "username": username, "display_name": username, "role": role, "office": office, "password": password }),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        self.token(username, password).await
    }

    /// Registers a person (a man born 1990-04-12) and issues an ID card for them; returns the
    /// registration's answer and the card.
    pub async fn person_with_card(&self, token: &str) -> (Value, Value) {
        let reg: Value = self
            .register(token, person("سامر", "M", "1990-04-12"))
            .await
            .json()
            .await
            .unwrap();
        let person_id = reg["person_id"].as_str().unwrap();
        let r = self
            .post(
                &format!("/api/v1/persons/{person_id}/id-card"),
                token,
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let card: Value = r.json().await.unwrap();
        for day in ["issued_on", "expires_on"] {
            let text = card[day]
                .as_str()
                .expect("a document's dates are YYYY-MM-DD");
            assert!(
                time::Date::parse(
                    text,
                    time::macros::format_description!("[year]-[month]-[day]")
                )
                .is_ok(),
                "{day}: {text}"
            );
        }
        (reg, card)
    }

    pub async fn register(&self, token: &str, record: Value) -> Response {
        self.post("/api/v1/records", token, &json!({ "record": record, "evidence": [{ "kind": "family_booklet", "reference": "FB-1" }] }))
            .await
    }
}

/// The `error.fields[*].field` values of an error response.
pub async fn error_fields(r: Response) -> Vec<String> {
    let body: Value = r.json().await.unwrap();
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect()
}

pub fn person(first: &str, sex: &str, born: &str) -> Value {
    json!({
        "first_name": first, "father_name": "خالد", "grandfather_name": "محمود", "family_name": "الحمصي",
        "mother_name": "سعاد", "sex": sex, "birth_date": born, "birth_place": "حمص",
        "registry_place": "حمص", "registry_number": "١٥٧"
    })
}
