//! An administrator changes an officer from the officer's page.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, csrf_of, spawn_app};

#[tokio::test]
async fn an_administrator_suspends_an_officer_and_sets_a_new_password_from_the_officers_page() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let mut admin = app.admin().await;
    let list = admin.page("/admin/users").await;
    assert!(list.contains("href=\"/admin/users/clerk.one\""));
    assert!(
        !list.contains("href=\"/admin/users/admin\""),
        "not one's own account"
    );

    let page = admin.page("/admin/users/clerk.one").await;
    assert!(page.contains("<label for=\"role\">") && page.contains("value=\"adjudicator\""));
    let csrf = csrf_of(&page);
    let r = admin
        .post(
            "/admin/users/clerk.one",
            &[
                ("csrf", csrf.as_str()),
                ("role", "auditor"),
                ("active", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/admin/users?changed=1");
    let list = admin.page("/admin/users?changed=1").await;
    assert!(list.contains("حُفظ التغيير"));
    // The officer's open session ended with the change.
    let r = clerk.get("/").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // A password too short is refused beside its field; a good one replaces the old.
    let r = admin
        .post(
            "/admin/users/clerk.one/password",
            &[("csrf", csrf.as_str()), ("password", "short")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("class=\"error\""));
    let r = admin
        .post(
            "/admin/users/clerk.one",
            &[
                ("csrf", csrf.as_str()),
                ("role", "auditor"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let fresh = "another long enough password";
    let r = admin
        .post(
            "/admin/users/clerk.one/password",
            &[("csrf", csrf.as_str()), ("password", fresh)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut again = app.session();
    assert_eq!(
        again.login("clerk.one", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED,
        "the old password no longer opens a session"
    );
    let mut again = app.session();
    assert_eq!(
        again.login("clerk.one", fresh).await.status(),
        StatusCode::SEE_OTHER
    );
    // Ending the officer's sessions logs that session out and nothing else.
    let r = admin
        .post(
            "/admin/users/clerk.one/sessions",
            &[("csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        again.get("/").await.status(),
        StatusCode::SEE_OTHER,
        "logged out"
    );
    let mut after = app.session();
    assert_eq!(
        after.login("clerk.one", fresh).await.status(),
        StatusCode::SEE_OTHER
    );
    // Without the form's token nothing changes.
    let r = admin
        .post(
            "/admin/users/clerk.one",
            &[("role", "administrator"), ("active", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
