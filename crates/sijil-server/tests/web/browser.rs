//! Real-browser tests: Debian's chromium driven through chromedriver (WebDriver) with
//! fantoccini, against the real server.
//!
//! Skipped, with a note on stderr, when chromium or chromedriver is missing, unless
//! `SIJIL_REQUIRE_BROWSER=1` (as in CI), which makes their absence a failure. They are looked
//! for in /usr/bin and on PATH, or exactly at `$SIJIL_CHROMIUM` and `$SIJIL_CHROMEDRIVER`. Screenshots of the
//! main pages are written to `$SIJIL_SCREENSHOTS_DIR` when it is set (the committed ones under
//! `docs/screenshots/` were made so).

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

const CHROMIUM: [&str; 2] = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

fn find_program(candidates: &[&str], name: &str, env: &str) -> Option<PathBuf> {
    if let Some(exact) = std::env::var_os(env) {
        return Some(PathBuf::from(exact)).filter(|p| p.is_file());
    }
    candidates
        .iter()
        .map(PathBuf::from)
        .chain(
            std::env::var_os("PATH")
                .iter()
                .flat_map(std::env::split_paths)
                .map(|d| d.join(name)),
        )
        .find(|p| p.is_file())
}

/// chromedriver and a browser session; the driver is stopped when this is dropped.
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Starts chromedriver and a headless chromium, or says why not (and fails if required).
async fn browser(javascript: bool) -> Option<Browser> {
    let required = std::env::var("SIJIL_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let chromium = find_program(&CHROMIUM, "chromium", "SIJIL_CHROMIUM");
    let driver = find_program(
        &["/usr/bin/chromedriver"],
        "chromedriver",
        "SIJIL_CHROMEDRIVER",
    );
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        assert!(
            !required,
            "SIJIL_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed \
             (apt-get install -y chromium chromium-driver)"
        );
        eprintln!("skipped: chromium or chromedriver is not installed");
        return None;
    };
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().unwrap();
    // Flags for a sandboxed root user on a machine with no outside network (see the
    // machine notes): no sandbox, no GPU, and none of Chromium's background connections.
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--hide-scrollbars".into(),
        "--force-device-scale-factor=1".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    if !javascript {
        args.push("--blink-settings=scriptEnabled=false".into());
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": chromium, "args": args }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = None;
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                return Some(Browser {
                    client,
                    driver: child,
                    _profile: profile,
                });
            }
            Err(e) => {
                last_error = Some(e);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("could not start a browser session: {last_error:?}");
}

impl Browser {
    async fn goto(&self, app: &TestApp, path: &str) {
        self.client
            .goto(&format!("{}{}", app.address, path))
            .await
            .unwrap();
    }

    async fn fill(&self, css: &str, text: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn choose(&self, css: &str, value: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }

    /// Clicks, and when that leaves the page, waits until the next one has loaded.
    async fn click(&self, css: &str) {
        let before = self.client.current_url().await.unwrap().to_string();
        let element = self.client.find(Locator::Css(css)).await.unwrap();
        let navigates = element
            .attr("type")
            .await
            .unwrap()
            .is_some_and(|t| t == "submit")
            || element.tag_name().await.unwrap() == "a";
        element.click().await.unwrap();
        if navigates {
            self.settle(&before).await;
        }
    }

    /// Waits for a navigation away from `before` (or a reload of it) to finish.
    async fn settle(&self, before: &str) {
        for _ in 0..100 {
            let ready = self
                .client
                .execute("return document.readyState", vec![])
                .await
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned));
            let now = self.client.current_url().await.ok().map(|u| u.to_string());
            if ready.as_deref() == Some("complete") && now.as_deref() != Some(before) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // A form refused back to the same address: by now it has loaded.
    }

    /// The element's text, retried while the page is being replaced.
    async fn text(&self, css: &str) -> String {
        let mut last = None;
        for _ in 0..50 {
            match self.client.find(Locator::Css(css)).await {
                Ok(e) => match e.text().await {
                    Ok(t) => return t,
                    Err(err) => last = Some(err),
                },
                Err(err) => last = Some(err),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no text for {css}: {last:?}");
    }

    async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    async fn login(&self, app: &TestApp, username: &str, password: &str) {
        self.goto(app, "/login").await;
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        self.click("form[action='/login'] button[type=submit]")
            .await;
        assert_eq!(self.path().await, "/", "logged in as {username}");
    }

    async fn logout(&self) {
        self.click("form[action='/logout'] button").await;
        assert_eq!(self.path().await, "/login");
    }

    /// Fills the registration form as a clerk would and submits it.
    async fn register(&self, app: &TestApp, first: &str) {
        self.register_with(app, first, &[]).await;
    }

    /// Like `register`, with some fields given other values.
    async fn register_with(&self, app: &TestApp, first: &str, other: &[(&str, &str)]) {
        self.goto(app, "/register").await;
        let mut fields = vec![
            ("first_name", first),
            ("father_name", "خالد"),
            ("grandfather_name", "محمود"),
            ("family_name", "الحمصي"),
            ("mother_name", "سعاد"),
            ("mother_family_name", "العلي"),
            ("birth_date", "1990-04-12"),
            ("birth_place", "حمص"),
            ("registry_place", "حمص"),
            ("registry_number", "157"),
        ];
        fields.extend_from_slice(other);
        for (field, value) in fields {
            self.fill(&format!("#f-{field}"), value).await;
        }
        self.choose("#f-sex", "M").await;
        self.choose("#doc0_kind", "family_booklet").await;
        self.fill("#doc0_ref", "FB-2231").await;
        self.fill("#wit0_name", "أحمد الحمصي، عم").await;
        self.click("form.register button[type=submit]").await;
    }

    async fn screenshot(&self, dir: Option<&Path>, name: &str, height: u32) {
        let Some(dir) = dir else { return };
        // The full page: WebDriver photographs the viewport, so make it as tall as the page.
        let body = self
            .client
            .execute("return document.documentElement.scrollHeight", vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(u64::from(height)) as u32;
        self.client
            .set_window_size(1280, body.clamp(600, 4000) + 140)
            .await
            .unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        self.client.set_window_size(1280, 900).await.unwrap();
    }
}

async fn users(app: &TestApp) {
    app.user_with_role("clerk.one", "clerk").await;
    app.user_with_role("auditor.one", "auditor").await;
}

#[tokio::test]
async fn a_clerk_registers_a_person_in_the_browser_and_an_auditor_sees_the_view() {
    let Some(b) = browser(true).await else { return };
    let app = spawn_app().await;
    users(&app).await;

    b.login(&app, "clerk.one", PASSWORD).await;
    assert_eq!(
        b.client
            .find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("dir")
            .await
            .unwrap()
            .as_deref(),
        Some("rtl")
    );
    b.click("nav a[href='/register']").await;
    b.register(&app, "سامر").await;
    assert!(b.text("main h1").await.contains("تم التسجيل"));
    let nn = b.text("bdi.nn").await;
    assert_eq!(nn.len(), 11, "{nn}");
    b.click("a.button.primary").await;
    let person_path = b.path().await;
    assert!(person_path.starts_with("/people/"));
    assert_eq!(b.text("main h1").await, "سامر خالد محمود الحمصي");
    assert!(b.text("main").await.contains("FB-2231"));
    b.logout().await;

    b.login(&app, "auditor.one", PASSWORD).await;
    b.goto(&app, &person_path).await;
    let main = b.text("main").await;
    assert!(main.contains("من اطلع على هذا السجل") && main.contains("clerk.one"));
    b.goto(&app, "/audit").await;
    b.fill("#officer", "clerk.one").await;
    b.choose("#action", "record.register").await;
    b.click("form.filters button[type=submit]").await;
    let table = b.text("table.audit").await;
    assert!(
        table.contains("تسجيل سجل") && table.contains("clerk.one"),
        "{table}"
    );
    assert!(b.text("p.chain").await.contains("السلسلة سليمة"));
    b.logout().await;
    b.client.clone().close().await.unwrap();
}

/// Registers, as the signed-in clerk, a man who gives someone else's national number.
async fn claimant(b: &Browser, app: &TestApp, nn: &str) {
    let other = [
        ("national_number", nn),
        ("birth_date", "1961"),
        ("mother_name", "هدى"),
    ];
    b.register_with(app, "وائل", &other).await;
}

#[tokio::test]
async fn a_person_is_found_by_a_latin_spelling_and_a_review_item_is_settled_and_audited() {
    let Some(b) = browser(true).await else { return };
    let app = spawn_app().await;
    users(&app).await;
    b.login(&app, "clerk.one", PASSWORD).await;
    b.register(&app, "سامر").await;
    let nn = b.text("bdi.nn").await;
    b.click("nav a[href='/search']").await;
    b.fill("#names", "Samer al-Homsi").await;
    b.click("form[role=search] button[type=submit]").await;
    let results = b.text("table.results").await;
    assert!(results.contains("سامر خالد محمود الحمصي"), "{results}");
    claimant(&b, &app, &nn).await;
    assert!(b.text("main").await.contains("أُرسل إلى قائمة المراجعة"));
    b.logout().await;

    b.login(&app, "admin", &app.admin_password).await;
    b.click("nav a[href='/review']").await;
    b.click("table a[href^='/review/']").await;
    assert!(b.text("table.compare").await.contains("وائل"));
    b.fill("#reason-separate", "شخصان مختلفان، خطأ في نسخ الرقم")
        .await;
    b.click("main section:last-of-type form.decide button[type=submit]")
        .await;
    assert!(b.text("main").await.contains("سُجّل القرار"));
    b.logout().await;

    b.login(&app, "auditor.one", PASSWORD).await;
    b.goto(&app, "/audit").await;
    b.choose("#action", "decision.separate").await;
    b.click("form.filters button[type=submit]").await;
    let table = b.text("table.audit").await;
    assert!(table.contains("admin"), "{table}");
    b.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn the_core_flow_works_with_javascript_off() {
    let Some(b) = browser(false).await else {
        return;
    };
    let app = spawn_app().await;
    users(&app).await;
    b.login(&app, "clerk.one", PASSWORD).await;
    b.register(&app, "رامي").await;
    assert!(b.text("main h1").await.contains("تم التسجيل"));
    b.click("a.button.primary").await;
    assert_eq!(b.text("main h1").await, "رامي خالد محمود الحمصي");
    // Record a death through the event form (a <details> opens without script).
    b.click("details summary").await;
    b.choose("#ev-kind", "death").await;
    b.fill("#ev-date", "2024-03-15").await;
    b.click("form.event-form button[type=submit]").await;
    assert!(b.text("main").await.contains("حُفظت الواقعة"));
    // The print button needs script, so it stays hidden; the page itself is there.
    b.click("a.button[href$='/print']").await;
    let button = b.client.find(Locator::Css("#print-button")).await.unwrap();
    assert!(
        button.attr("hidden").await.unwrap().is_some(),
        "no script ran to reveal it"
    );
    assert!(!button.is_displayed().await.unwrap());
    b.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn screenshots_of_the_main_pages_in_arabic_and_english() {
    let dir = std::env::var_os("SIJIL_SCREENSHOTS_DIR").map(PathBuf::from);
    let Some(b) = browser(true).await else { return };
    let app = spawn_app().await;
    users(&app).await;
    let dir = dir.as_deref();
    let mut person_path = String::new();
    for lang in ["ar", "en"] {
        b.goto(&app, &format!("/lang/{lang}?next=/login")).await;
        b.screenshot(dir, &format!("login-{lang}"), 700).await;
        b.login(&app, "clerk.one", PASSWORD).await;
        if lang == "ar" {
            b.register(&app, "سامر").await;
            b.screenshot(dir, "registered-ar", 700).await;
            b.click("a.button.primary").await;
            person_path = b.path().await;
            // A second member of the same family register, and an event, for a fuller page.
            b.register(&app, "ليلى").await;
            b.goto(&app, &person_path).await;
            b.click("details summary").await;
            b.choose("#ev-kind", "birth").await;
            b.fill("#ev-date", "1990-04-12").await;
            b.click("form.event-form button[type=submit]").await;
        }
        if lang == "ar" {
            let nn = {
                b.goto(&app, &person_path).await;
                b.text("bdi.nn").await
            };
            claimant(&b, &app, &nn).await;
        }
        b.goto(&app, "/search?names=Samer+Homsi").await;
        b.screenshot(dir, &format!("search-{lang}"), 900).await;
        b.goto(&app, "/").await;
        b.screenshot(dir, &format!("home-clerk-{lang}"), 900).await;
        b.goto(&app, "/register").await;
        b.screenshot(dir, &format!("register-{lang}"), 1800).await;
        // The same form refused, with messages beside the fields.
        b.fill("#f-first_name", "سامر").await;
        b.fill("#f-birth_date", "1990-02-31").await;
        b.fill("#f-national_number", "123").await;
        b.click("form.register button[type=submit]").await;
        b.screenshot(dir, &format!("register-errors-{lang}"), 1800)
            .await;
        b.goto(&app, &person_path).await;
        b.click("details summary").await;
        b.screenshot(dir, &format!("person-{lang}"), 1600).await;
        b.goto(&app, &format!("{person_path}/print")).await;
        b.screenshot(dir, &format!("print-{lang}"), 1000).await;
        b.logout().await;

        b.login(&app, "auditor.one", PASSWORD).await;
        b.goto(&app, &person_path).await;
        b.screenshot(dir, &format!("person-auditor-{lang}"), 1600)
            .await;
        b.goto(&app, "/audit").await;
        b.screenshot(dir, &format!("audit-{lang}"), 1600).await;
        b.logout().await;

        b.login(&app, "admin", &app.admin_password).await;
        b.screenshot(dir, &format!("home-admin-{lang}"), 900).await;
        b.goto(&app, "/review").await;
        b.screenshot(dir, &format!("review-queue-{lang}"), 800)
            .await;
        b.click("table a[href^='/review/']").await;
        b.screenshot(dir, &format!("review-item-{lang}"), 1600)
            .await;
        b.goto(&app, "/admin/users").await;
        b.screenshot(dir, &format!("users-{lang}"), 1000).await;
        b.goto(&app, "/admin/users/clerk.one").await;
        b.screenshot(dir, &format!("user-{lang}"), 1000).await;
        b.goto(&app, "/passports").await;
        b.screenshot(dir, &format!("passports-{lang}"), 900).await;
        b.goto(&app, "/verify").await;
        b.screenshot(dir, &format!("verify-{lang}"), 900).await;
        b.logout().await;
    }
    b.client.clone().close().await.unwrap();
}
