//! Rate limits: an officer who reads person records faster than the ceiling is refused (429,
//! Retry-After) and audited once, not once per refusal; other officers carry on; the web pages
//! refuse the same way; login attempts from one address are limited whatever the username.

use serde_json::Value;
use sijil_server::{ServerConfig, limits::RateLimits};

use crate::helpers::{person, spawn_configured};

#[tokio::test]
async fn reading_persons_faster_than_the_ceiling_is_refused_and_audited_once() {
    let config = ServerConfig {
        rate_limits: RateLimits {
            person_reads_per_minute: 5,
            logins_per_minute: 0,
            ..RateLimits::default()
        },
        ..ServerConfig::default()
    };
    let (app, _) = spawn_configured(false, config).await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let other = app.user_with_role("clerk.two", "clerk").await;
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let reg: Value = app
        .register(&clerk, person("سامر", "M", "1990-04-12"))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/persons/{}", reg["person_id"].as_str().unwrap());

    for i in 0..5 {
        assert_eq!(app.get(&path, &clerk).await.status(), 200, "read {i}");
    }
    let refused = app.get(&path, &clerk).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(
        body["error"]["message_ar"]
            .as_str()
            .unwrap()
            .contains("ثانية")
    );
    // Searching counts against the same ceiling; so does the web page.
    assert_eq!(
        app.get("/api/v1/search?names=Samer", &clerk).await.status(),
        429
    );
    let page = app
        .client
        .get(app.url(&format!("/people/{}", reg["person_id"].as_str().unwrap())))
        .header("cookie", format!("sijil_session={clerk}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 429);
    assert!(page.headers().contains_key("retry-after"));
    assert!(page.text().await.unwrap().contains("طلبات كثيرة"));

    // Another officer is not held up.
    assert_eq!(app.get(&path, &other).await.status(), 200);
    // One audit entry for the burst of refusals, naming the officer.
    let log: Value = app
        .get("/api/v1/audit?action=limit.person_reads", &auditor)
        .await
        .json()
        .await
        .unwrap();
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{log}");
    assert_eq!(entries[0]["actor"], "clerk.one");
}

#[tokio::test]
async fn login_attempts_from_one_address_are_limited_whatever_the_username() {
    let config = ServerConfig {
        rate_limits: RateLimits {
            person_reads_per_minute: 0,
            logins_per_minute: 4,
            ..RateLimits::default()
        },
        ..ServerConfig::default()
    };
    let (app, _) = spawn_configured(false, config).await;
    for name in ["a.one", "b.two", "c.three"] {
        assert_eq!(app.login(name, "guess").await.status(), 401);
    }
    assert_eq!(
        app.login("admin", &app.admin_password).await.status(),
        200,
        "the fourth attempt is still allowed"
    );
    let r = app.login("admin", &app.admin_password).await;
    assert_eq!(
        r.status(),
        429,
        "password spraying from one address stops here"
    );
    assert!(r.headers().contains_key("retry-after"));
}

/// Logs in as nobody in particular, as forwarded by a proxy for `client`.
async fn attempt_from(app: &crate::helpers::TestApp, client: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", client)
        .json(&serde_json::json!({ "username": "nobody", "password": "guess" }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// A server allowing two logins a minute per client, trusting `proxies`.
async fn two_logins_a_minute(proxies: &[&str]) -> crate::helpers::TestApp {
    let limits = RateLimits {
        person_reads_per_minute: 0,
        logins_per_minute: 2,
        trusted_proxies: proxies.iter().map(|p| p.parse().unwrap()).collect(),
    };
    let config = ServerConfig {
        rate_limits: limits,
        ..ServerConfig::default()
    };
    spawn_configured(false, config).await.0
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_login_limit() {
    let app = two_logins_a_minute(&["127.0.0.1"]).await;
    // What a client writes before the proxy's own entry proves nothing.
    assert_eq!(attempt_from(&app, "198.51.100.9, 203.0.113.1").await, 401);
    assert_eq!(attempt_from(&app, "198.51.100.8, 203.0.113.1").await, 401);
    assert_eq!(attempt_from(&app, "203.0.113.1").await, 429);
    // Another client behind the same proxy still may.
    assert_eq!(attempt_from(&app, "203.0.113.2").await, 401);
}

#[tokio::test]
async fn without_a_trusted_proxy_a_forged_header_does_not_escape_the_limit() {
    let app = two_logins_a_minute(&[]).await;
    assert_eq!(attempt_from(&app, "203.0.113.1").await, 401);
    assert_eq!(attempt_from(&app, "203.0.113.2").await, 401);
    assert_eq!(attempt_from(&app, "203.0.113.3").await, 429);
}
