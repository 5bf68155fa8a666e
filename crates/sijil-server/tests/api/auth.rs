//! Login, logout, sessions, and the routes that need none.

use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_needs_no_login_and_everything_else_does() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    for path in [
        "/metrics",
        "/api/v1/stats",
        "/api/v1/users",
        "/api/v1/audit",
        "/api/v1/persons/00000000-0000-0000-0000-000000000000",
    ] {
        let r = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 401, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthenticated");
        assert!(!body["error"]["message_ar"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_audited() {
    let app = spawn_app().await;
    let r = app.login("admin", "not the password").await;
    assert_eq!(r.status(), 401);
    let r = app.login("nobody", "whatever").await;
    assert_eq!(r.status(), 401);
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let log: Value = app
        .get("/api/v1/audit?action=auth.login_failed", &auditor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(app.login("admin", "wrong").await.status(), 401);
    }
    // Even the right password is refused during the lockout.
    assert_eq!(app.login("admin", &app.admin_password).await.status(), 429);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    assert_eq!(app.get("/api/v1/auth/me", &token).await.status(), 200);
    let r = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.get("/api/v1/auth/me", &token).await.status(), 401);
}

#[tokio::test]
async fn metrics_are_served_in_prometheus_format() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    app.get("/api/v1/stats", &token).await;
    let text = app.get("/metrics", &token).await.text().await.unwrap();
    assert!(text.contains("sijil_http_requests_total"), "{text}");
    assert!(text.contains("sijil_persons"));
}

#[tokio::test]
async fn a_session_left_unused_ends_and_one_in_use_does_not() {
    let config = sijil_server::ServerConfig {
        session_idle: std::time::Duration::from_secs(3),
        ..Default::default()
    };
    let (app, _) = crate::helpers::spawn_configured(false, config).await;
    let token = app.admin_token().await;
    // In use every half second for 5 s: longer than the idle time, and still signed in
    // (a request may take up to 2 s on a loaded machine without failing this).
    for _ in 0..10 {
        assert_eq!(app.get("/api/v1/auth/me", &token).await.status(), 200);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    // Left alone longer than the idle time: over.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    assert_eq!(app.get("/api/v1/auth/me", &token).await.status(), 401);
    // In the web application the clerk lands on the login page, which says why.
    let page = app
        .client
        .get(app.url("/"))
        .header("cookie", format!("sijil_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.url().path(), "/login");
    assert!(page.text().await.unwrap().contains("انتهت جلستك"));
    let fresh = app.client.get(app.url("/")).send().await.unwrap();
    assert!(
        !fresh.text().await.unwrap().contains("انتهت جلستك"),
        "no session at all is not an ended one"
    );
    // A new login works.
    let again = app.admin_token().await;
    assert_eq!(app.get("/api/v1/auth/me", &again).await.status(), 200);
}
