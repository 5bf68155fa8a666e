//! `spawn_app()` starts Sijil on 127.0.0.1:0 over a fresh SQLite file; `Session` is a small
//! cookie-keeping client that follows no redirects, so tests see exactly what the server sent.

use std::collections::HashMap;

use reqwest::{Client, Response, StatusCode, header};
use sijil_server::{AppState, ServerConfig, bootstrap};
use sijil_store::sqlite::SqliteStore;

pub struct TestApp {
    pub address: String,
    pub admin_password: String,
    _dir: tempfile::TempDir,
}

pub const PASSWORD: &str = "a long enough password";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(ServerConfig::default()).await
}

pub async fn spawn_app_with(config: ServerConfig) -> TestApp {
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
    let state = AppState::load(store, config)
        .await
        .unwrap()
        .with_keyring(keys);
    tokio::spawn(sijil_server::serve(listener, state, std::future::pending()));
    TestApp {
        address,
        admin_password,
        _dir: dir,
    }
}

impl TestApp {
    /// A test app already started elsewhere (over a temporary directory it keeps alive).
    pub fn from_parts(address: String, admin_password: String, dir: tempfile::TempDir) -> Self {
        Self {
            address,
            admin_password,
            _dir: dir,
        }
    }
}

/// A browser-like client: keeps cookies, sends forms, does not follow redirects.
pub struct Session {
    pub base: String,
    client: Client,
    pub cookies: HashMap<String, String>,
}

impl TestApp {
    pub fn session(&self) -> Session {
        Session {
            base: self.address.clone(),
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    /// A session logged in as the administrator.
    pub async fn admin(&self) -> Session {
        let mut s = self.session();
        let r = s.login("admin", &self.admin_password).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        s
    }

    /// Creates a user with `role` through the administration form, and logs them in.
    pub async fn user_with_role(&self, username: &str, role: &str) -> Session {
        self.user_at(username, role, "CENTRAL").await
    }

    /// Creates a user with `role` at `office` (which must exist) through the administration
    /// form, and logs them in.
    pub async fn user_at(&self, username: &str, role: &str, office: &str) -> Session {
        let mut admin = self.admin().await;
        let page = admin.get("/admin/users").await;
        let csrf = csrf_of(&page.text().await.unwrap());
        let r = admin
            .post(
                "/admin/users",
                &[
                    ("csrf", csrf.as_str()),
                    ("username", username),
                    ("display_name", username),
                    ("role", role),
                    ("office", office),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}",
            r.text().await.unwrap()
        );
        let mut s = self.session();
        let r = s.login(username, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        s
    }
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, r: &Response) {
        for v in r.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if val.is_empty() || v.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), val.to_owned());
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let r = self
            .client
            .get(self.url(path))
            .header(header::COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep_cookies(&r);
        r
    }

    /// The page's HTML, asserting a 200.
    pub async fn page(&mut self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.text().await.unwrap()
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let r = self
            .client
            .post(self.url(path))
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(encode_form(form))
            .send()
            .await
            .unwrap();
        self.keep_cookies(&r);
        r
    }

    /// Fetches the login form (for its CSRF cookie and field) and submits it.
    pub async fn login(&mut self, username: &str, password: &str) -> Response {
        let html = self.page("/login").await;
        let csrf = csrf_of(&html);
        self.post(
            "/login",
            &[
                ("csrf", csrf.as_str()),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    /// Opens `form_page`, then posts `fields` plus its CSRF token (and its record id) to `action`.
    pub async fn submit(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let html = self.page(form_page).await;
        let csrf = csrf_of(&html);
        let record_id = hidden_value(&html, "record_id");
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        if let Some(id) = record_id.as_deref() {
            all.push(("record_id", id));
        }
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }
}

/// The value of the hidden `csrf` field in a page.
pub fn csrf_of(html: &str) -> String {
    hidden_value(html, "csrf").expect("the page has a CSRF field")
}

/// The value of a named hidden input.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// A person as a registrar fills the form.
pub fn person_form(first: &str) -> Vec<(&'static str, String)> {
    vec![
        ("first_name", first.to_owned()),
        ("father_name", "خالد".into()),
        ("grandfather_name", "محمود".into()),
        ("family_name", "الحمصي".into()),
        ("mother_name", "سعاد".into()),
        ("mother_family_name", "العلي".into()),
        ("sex", "M".into()),
        ("birth_date", "1990-04-12".into()),
        ("birth_place", "حمص".into()),
        ("registry_place", "حمص".into()),
        ("registry_number", "١٥٧".into()),
        ("national_number", String::new()),
        ("doc0_kind", "family_booklet".into()),
        ("doc0_ref", "FB-2231".into()),
        ("wit0_name", "أحمد الحمصي، عم".into()),
        ("wit0_ref", String::new()),
    ]
}

/// Registers `fields` through the form; returns the response.
pub async fn register(s: &mut Session, fields: &[(&'static str, String)]) -> Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.submit("/register", "/register", &borrowed).await
}

/// The first `/people/<id>` link in a page.
pub fn person_link(html: &str) -> String {
    first_link(html, "/people/")
}

/// The first link in a page whose address starts with `prefix`.
pub fn first_link(html: &str, prefix: &str) -> String {
    let marker = format!("href=\"{prefix}");
    let start = html.find(&marker).expect("a link") + 6;
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_owned()
}

/// `application/x-www-form-urlencoded`, as a browser writes it.
pub fn encode_form(form: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A man who gives `nn`, someone else's national number: registering him opens a review item.
pub fn claimant(nn: &str) -> Vec<(&'static str, String)> {
    let mut form = person_form("وائل");
    for (k, v) in form.iter_mut() {
        match *k {
            "national_number" => *v = nn.to_owned(),
            "birth_date" => *v = "1961".into(),
            "mother_name" => *v = "هدى".into(),
            _ => {}
        }
    }
    form
}

/// The national number shown on a page.
pub fn nn_of(html: &str) -> String {
    let start = html.find("class=\"nn\" dir=\"ltr\">").unwrap() + "class=\"nn\" dir=\"ltr\">".len();
    html[start..start + 11].to_owned()
}
