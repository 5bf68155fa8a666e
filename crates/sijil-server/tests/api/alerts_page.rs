//! The alerts page of the web application (HTTP, no browser): an administrator raises an alert
//! on a national number, sees it listed, and lifts it; a bad number or code is refused on the
//! form; a clerk cannot open the page; both changes are audited.

use serde_json::Value;

use crate::helpers::{TestApp, person, spawn_app};

async fn page(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let r = app
        .client
        .get(app.url(path))
        .header("cookie", format!("sijil_session={token}"))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post_form(app: &TestApp, token: &str, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let body: String = form
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let r = app
        .client
        .post(app.url(path))
        .header("cookie", format!("sijil_session={token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn csrf(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page has a CSRF field")
        .to_owned()
}

#[tokio::test]
async fn an_administrator_raises_and_lifts_an_alert_on_the_web_page() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let reg: Value = app
        .register(&clerk, person("سامر", "M", "1990-04-12"))
        .await
        .json()
        .await
        .unwrap();
    let nn = reg["national_number"].as_str().unwrap().to_owned();

    assert_eq!(page(&app, &clerk, "/alerts").await.0, 403);
    let (status, html) = page(&app, &admin, "/alerts").await;
    assert_eq!(status, 200);
    assert!(html.contains("لا تنبيهات قائمة"), "empty at first");
    let token = csrf(&html);

    // A bad number and a bad code are refused on the form, nothing raised.
    let (status, html) = post_form(
        &app,
        &admin,
        "/alerts",
        &[
            ("csrf", &token),
            ("national_number", "123"),
            ("code", "wanted"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("class=\"error\""), "{html}");
    let (status, _) = post_form(
        &app,
        &admin,
        "/alerts",
        &[
            ("csrf", &token),
            ("national_number", &nn),
            ("code", "Wanted!"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    // Without the form's token: refused.
    let (status, _) = post_form(
        &app,
        &admin,
        "/alerts",
        &[
            ("csrf", "nope"),
            ("national_number", &nn),
            ("code", "wanted"),
        ],
    )
    .await;
    assert_eq!(status, 403);

    let (status, html) = post_form(
        &app,
        &admin,
        "/alerts",
        &[
            ("csrf", &token),
            ("national_number", &nn),
            ("code", "wanted"),
        ],
    )
    .await;
    assert_eq!(status, 200, "redirected back to the list");
    assert!(html.contains(&nn) && html.contains("wanted"), "{html}");
    let api: Value = app
        .get("/api/v1/alerts", &admin)
        .await
        .json()
        .await
        .unwrap();
    let id = api[0]["id"].as_str().unwrap().to_owned();

    let (status, html) = post_form(
        &app,
        &admin,
        &format!("/alerts/{id}/lift"),
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("لا تنبيهات قائمة"), "lifted");
    let api: Value = app
        .get("/api/v1/alerts", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api, serde_json::json!([]));

    let auditor = app.user_with_role("auditor.one", "auditor").await;
    for action in ["alert.add", "alert.lift"] {
        let log: Value = app
            .get(&format!("/api/v1/audit?action={action}"), &auditor)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(log.as_array().unwrap().len(), 1, "{action}");
    }
}
