//! Administrators change officers: role, suspension, a new password. Each change ends the
//! officer's sessions and is audited; nobody changes their own account.

use serde_json::{Value, json};

use crate::helpers::{error_fields, spawn_app};

const PASSWORD: &str = "a long enough password";

#[tokio::test]
async fn a_suspended_officer_is_out_at_once_and_back_when_restored() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    assert_eq!(app.get("/api/v1/auth/me", &clerk).await.status(), 200);

    let r = app
        .client
        .patch(app.url("/api/v1/users/clerk.one"))
        .bearer_auth(&admin)
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["active"], false);
    assert_eq!(changed["role"], "clerk");
    assert_eq!(app.get("/api/v1/auth/me", &clerk).await.status(), 401);
    assert_eq!(app.login("clerk.one", PASSWORD).await.status(), 401);

    let r = app
        .client
        .patch(app.url("/api/v1/users/clerk.one"))
        .bearer_auth(&admin)
        .json(&json!({ "active": true, "role": "auditor" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let auditor = app.token("clerk.one", PASSWORD).await;
    assert_eq!(app.get("/api/v1/audit", &auditor).await.status(), 200);
    let trail: Value = app
        .get("/api/v1/audit?action=user.changed", &auditor)
        .await
        .json()
        .await
        .unwrap();
    let last = &trail[0];
    assert_eq!(last["actor"], "admin");
    let detail: Value = serde_json::from_str(last["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        detail["role"],
        json!({ "from": "clerk", "to": "auditor" }),
        "{detail}"
    );
    assert_eq!(detail["active"], json!({ "from": false, "to": true }));
}

#[tokio::test]
async fn a_new_password_replaces_the_old_and_ends_the_sessions() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let path = "/api/v1/users/clerk.one/password";
    let r = app
        .post(path, &admin, &json!({ "password": "short" }))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(error_fields(r).await, ["password"]);
    assert_eq!(
        app.get("/api/v1/auth/me", &clerk).await.status(),
        200,
        "nothing changed"
    );

    let fresh = "another long enough password";
    let r = app.post(path, &admin, &json!({ "password": fresh })).await;
    assert_eq!(r.status(), 204);
    assert_eq!(app.get("/api/v1/auth/me", &clerk).await.status(), 401);
    assert_eq!(app.login("clerk.one", PASSWORD).await.status(), 401);
    assert_eq!(app.login("clerk.one", fresh).await.status(), 200);
}

#[tokio::test]
async fn changes_are_checked_and_nobody_changes_their_own_account() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.user_with_role("clerk.one", "clerk").await;
    let patch = |who: &str, token: &str, body: Value| {
        app.client
            .patch(app.url(&format!("/api/v1/users/{who}")))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let r = patch("clerk.one", &admin, json!({ "role": "emperor" }))
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(error_fields(r).await, ["role"]);
    let r = patch("nobody", &admin, json!({ "active": false }))
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = patch("admin", &admin, json!({ "active": false }))
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        409,
        "an administrator does not lock themselves out"
    );
    let r = patch("clerk.one", &admin, json!({ "shoe_size": 44 }))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    // Only administrators, and a district's only for its own officers.
    let clerk = app.token("clerk.one", PASSWORD).await;
    let r = patch("admin", &clerk, json!({ "active": false }))
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .post("/api/v1/offices", &admin, &json!({ "code": "HMS-01", "name_ar": "حمص", "name_en": "Homs", "governorate": 4, "secretariat": 1 }))
        .await;
    assert_eq!(r.status(), 201);
    let homs = app.user_at("admin.homs", "administrator", "HMS-01").await;
    app.user_at("clerk.homs", "clerk", "HMS-01").await;
    let r = patch("clerk.one", &homs, json!({ "active": false }))
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .post(
            "/api/v1/users/clerk.one/password",
            &homs,
            &json!({ "password": "taken over by homs" }),
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = patch("clerk.homs", &homs, json!({ "role": "adjudicator" }))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn an_administrator_ends_an_officers_sessions_and_nothing_else_changes() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let clerk = app.user_with_role("clerk.one", "clerk").await;
    let second = app.token("clerk.one", PASSWORD).await;
    let r = app
        .client
        .delete(app.url("/api/v1/users/clerk.one/sessions"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["ended"], 2);
    for token in [&clerk, &second] {
        assert_eq!(app.get("/api/v1/auth/me", token).await.status(), 401);
    }
    // The same password still works: only the sessions ended.
    assert_eq!(app.login("clerk.one", PASSWORD).await.status(), 200);
    let r = app
        .client
        .delete(app.url("/api/v1/users/admin/sessions"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "not one's own");
}
