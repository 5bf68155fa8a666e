//! Authority by office in the web pages: an administrator of a district office manages its
//! users and sees no national work.

use reqwest::StatusCode;

use crate::helpers::{csrf_of, spawn_app};

#[tokio::test]
async fn an_administrator_of_an_office_sees_and_manages_its_users_only() {
    let app = spawn_app().await;
    let mut admin = app.admin().await;
    let csrf = csrf_of(&admin.page("/admin/offices").await);
    let office = [
        ("csrf", csrf.as_str()),
        ("code", "HMS-01"),
        ("name_ar", "حمص"),
        ("name_en", "Homs"),
        ("governorate", "05"),
        ("secretariat", "01"),
    ];
    assert_eq!(
        admin.post("/admin/offices", &office).await.status(),
        StatusCode::SEE_OTHER
    );
    app.user_with_role("clerk.central", "clerk").await;
    let mut homs = app.user_at("admin.homs", "administrator", "HMS-01").await;

    let home = homs.page("/").await;
    assert!(home.contains("href=\"/admin/users\""));
    assert!(
        !home.contains("href=\"/admin/offices\""),
        "no office management"
    );
    assert!(!home.contains("href=\"/alerts\""), "no alerts");

    let users = homs.page("/admin/users").await;
    assert!(users.contains("admin.homs"));
    assert!(
        !users.contains("clerk.central"),
        "another office's users are not listed"
    );
    assert!(users.contains("value=\"HMS-01\"") && !users.contains("value=\"CENTRAL\""));
    // Adjudicators can be created from the form too.
    assert!(users.contains("value=\"adjudicator\""));

    let csrf = csrf_of(&users);
    let r = homs
        .post(
            "/admin/users",
            &[
                ("csrf", csrf.as_str()),
                ("username", "mallory"),
                ("display_name", "M"),
                ("role", "administrator"),
                ("office", "CENTRAL"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("لا يحق لك العمل إلا لمكتبك"));

    for page in ["/admin/offices", "/alerts"] {
        let r = homs.get(page).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{page}");
        assert!(
            r.text().await.unwrap().contains("خارج نطاق مكتبك"),
            "{page}"
        );
    }
    let r = homs.post("/admin/offices", &office).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
