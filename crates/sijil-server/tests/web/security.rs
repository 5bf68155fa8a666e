//! Sessions, CSRF, headers, escaping, roles: what keeps the web application safe.

use reqwest::{StatusCode, header};
use sijil_server::ServerConfig;

use crate::helpers::{csrf_of, person_form, person_link, register, spawn_app, spawn_app_with};

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_secure_when_configured() {
    let app = spawn_app().await;
    let mut s = app.session();
    let r = s.login("admin", &app.admin_password).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("sijil_session="))
        .expect("a session cookie");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert!(
        !cookie.contains("Secure"),
        "off by default for plain-HTTP offices"
    );

    let app = spawn_app_with(ServerConfig {
        secure_cookies: true,
        ..Default::default()
    })
    .await;
    let mut s = app.session();
    let r = s.login("admin", &app.admin_password).await;
    let cookie = r
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("sijil_session="))
        .unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn a_form_posted_without_its_csrf_token_is_refused() {
    let app = spawn_app().await;
    // Login without the double-submit pair.
    let mut s = app.session();
    let r = s
        .post(
            "/login",
            &[
                ("username", "admin"),
                ("password", app.admin_password.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!s.cookies.contains_key("sijil_session"));

    // A signed-in form without, or with another session's, token.
    let mut admin = app.admin().await;
    let mut fields: Vec<(&str, String)> = person_form("سامر");
    fields.push(("record_id", "X-1".into()));
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = admin.post("/register", &borrowed).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("انتهت صلاحية النموذج"));

    let mut other = app.admin().await;
    let foreign = csrf_of(&other.page("/register").await);
    let mut with_foreign = borrowed.clone();
    with_foreign.push(("csrf", foreign.as_str()));
    assert_eq!(
        admin.post("/register", &with_foreign).await.status(),
        StatusCode::FORBIDDEN
    );
    let stats = admin.page("/").await;
    assert!(
        stats.contains("<span class=\"num\">0</span>"),
        "nothing was registered"
    );

    // Logout too is a form.
    assert_eq!(
        admin.post("/logout", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn pages_carry_a_strict_content_security_policy_and_nothing_inline() {
    let app = spawn_app().await;
    let mut admin = app.admin().await;
    for path in ["/login", "/", "/register", "/admin/users", "/admin/offices"] {
        let r = admin.get(path).await;
        let csp = r.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'") && csp.contains("style-src 'self'"));
        assert!(!csp.contains("unsafe"), "{csp}");
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store", "{path}");
        let html = r.text().await.unwrap();
        assert!(!html.contains(" style="), "{path} has an inline style");
        assert!(!html.contains("<style"), "{path} has a style element");
        for script in html.split("<script").skip(1) {
            assert!(
                script.trim_start().starts_with("src=\"/assets/"),
                "{path}: inline script"
            );
        }
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "{path} loads from outside"
        );
    }
}

#[tokio::test]
async fn assets_are_fingerprinted_and_cached_for_a_year() {
    let app = spawn_app().await;
    let mut s = app.session();
    let html = s.page("/login").await;
    let start = html.find("href=\"/assets/app.").unwrap() + 6;
    let href = &html[start..start + html[start..].find('"').unwrap()];
    let r = s.get(href).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(
        r.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(
        s.get("/assets/app.0000.css").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn hostile_names_are_escaped_and_isolated() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let mut fields = person_form("<script>alert(1)</script>");
    // RLM and ZWJ are honest Arabic typing and are kept; they must display isolated.
    fields[3].1 = "الحم\u{200F}صي\u{200D}".into();
    let r = register(&mut clerk, &fields).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        !html.contains("<script>alert(1)"),
        "escaped on the result page"
    );
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    let person = clerk.page(&person_link(&html)).await;
    assert!(!person.contains("<script>alert(1)"));
    assert!(
        person.contains("<bdi>&#60;script&#62;") || person.contains("<bdi>&lt;script&gt;"),
        "names sit in <bdi>"
    );
    assert!(person.contains("الحم\u{200F}صي\u{200D}"));

    // A bidi override is refused, with the domain's own message beside the field.
    let mut fields = person_form("سامر");
    fields[0].1 = "سامر\u{202E}gnissim".into();
    let r = register(&mut clerk, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("U+202E\u{2069} في الموضع 5 غير مسموح"),
        "{html}"
    );
}

#[tokio::test]
async fn a_clerk_cannot_open_administration_or_the_audit_log() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    for path in ["/admin/users", "/admin/offices", "/audit"] {
        let r = clerk.get(path).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(r.text().await.unwrap().contains("غير مسموح"));
    }
    let csrf = csrf_of(&clerk.page("/").await);
    let r = clerk
        .post(
            "/admin/offices",
            &[
                ("csrf", csrf.as_str()),
                ("code", "EVIL-1"),
                ("name_ar", "x"),
                ("name_en", "x"),
                ("governorate", "1"),
                ("secretariat", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let home = clerk.page("/").await;
    assert!(
        !home.contains("href=\"/admin/users\""),
        "no link to what the role cannot open"
    );

    let mut auditor = app.user_with_role("auditor.one", "auditor").await;
    assert_eq!(
        auditor.get("/register").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn pages_need_a_session_and_logout_ends_it() {
    let app = spawn_app().await;
    let mut anon = app.session();
    for path in [
        "/",
        "/register",
        "/audit",
        "/people/0190a5d2-0000-7000-8000-000000000000",
    ] {
        let r = anon.get(path).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.headers()[header::LOCATION], "/login");
    }
    let mut admin = app.admin().await;
    let r = admin.get("/login").await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "signed in: no login form"
    );
    let csrf = csrf_of(&admin.page("/").await);
    let token = admin.cookies["sijil_session"].clone();
    let r = admin.post("/logout", &[("csrf", csrf.as_str())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!admin.cookies.contains_key("sijil_session"));
    // The old token no longer works even if replayed.
    admin.cookies.insert("sijil_session".into(), token);
    assert_eq!(admin.get("/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_the_pages_language() {
    let app = spawn_app().await;
    let mut s = app.session();
    let r = s.login("admin", "not the password").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("اسم المستخدم أو كلمة المرور غير صحيحة")
    );
    let html = s.page("/login?lang=en").await;
    let csrf = csrf_of(&html);
    let r = s
        .post(
            "/login?lang=en",
            &[
                ("csrf", csrf.as_str()),
                ("username", "nobody"),
                ("password", "x"),
            ],
        )
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Wrong username or password")
    );
}

#[tokio::test]
async fn the_language_switch_only_returns_to_local_pages() {
    let app = spawn_app().await;
    let mut s = app.session();
    let r = s.get("/lang/en?next=/login%3Flang%3Dar").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[header::LOCATION], "/login");
    assert_eq!(s.cookies["sijil_lang"], "en");
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let r = s
            .get(&format!(
                "/lang/ar?next={}",
                evil.replace('/', "%2F")
                    .replace('\\', "%5C")
                    .replace(':', "%3A")
            ))
            .await;
        assert_eq!(r.headers()[header::LOCATION], "/", "{evil}");
    }
}
