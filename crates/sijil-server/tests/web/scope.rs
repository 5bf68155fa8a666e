//! Authority by office in the web pages: an administrator of a district office manages its
//! users and sees no national work.

use reqwest::StatusCode;

use crate::helpers::{TestApp, csrf_of, person_form, register, spawn_app};

/// A registry with a second office, Homs (`HMS-01`), made through the offices form.
async fn with_homs() -> TestApp {
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
    app
}

#[tokio::test]
async fn an_administrator_of_an_office_sees_and_manages_its_users_only() {
    let app = with_homs().await;
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
    let csrf = csrf_of(&homs.page("/").await);
    let r = homs
        .post(
            "/admin/offices",
            &[("csrf", csrf.as_str()), ("code", "HMS-02")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_adjudicator_of_an_office_sees_its_own_queue_on_the_home_page() {
    let app = with_homs().await;
    // Two people with one national number, registered at the central: one review item there.
    let mut clerk = app.user_with_role("clerk.central", "clerk").await;
    let number = sijil_core::NationalNumber::from_parts(4, 1, 702).unwrap();
    for (first, sex, born) in [("هند", "F", "1985-02-03"), ("وائل", "M", "1961")] {
        let mut form = person_form(first);
        for (name, value) in form.iter_mut() {
            match *name {
                "sex" => *value = sex.into(),
                "birth_date" => *value = born.into(),
                "national_number" => *value = number.as_str().into(),
                _ => {}
            }
        }
        let r = register(&mut clerk, &form).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let mut central_judge = app.user_with_role("judge.central", "adjudicator").await;
    let mut homs_judge = app.user_at("judge.homs", "adjudicator", "HMS-01").await;
    let (central_home, homs_home) = (central_judge.page("/").await, homs_judge.page("/").await);
    assert_eq!(open_reviews(&central_home), 1);
    assert_eq!(open_reviews(&homs_home), 0);
    // Today's registrations likewise: the central's two, none at Homs.
    assert_eq!(first_figure(&central_home), 2);
    assert_eq!(first_figure(&homs_home), 0);
    assert!(!homs_judge.page("/review").await.contains("href=\"/review/"));
    let queue = central_judge.page("/review").await;
    assert!(queue.contains("href=\"/review/") && queue.contains("<select id=\"office\""));
    let homs_part = central_judge.page("/review?office=HMS-01").await;
    assert!(!homs_part.contains("href=\"/review/"));
    let central_part = central_judge.page("/review?office=CENTRAL").await;
    assert!(central_part.contains("href=\"/review/"));
}

/// The first figure of the home page: today's registrations.
fn first_figure(home: &str) -> i64 {
    let at = home.find("class=\"num\">").expect("a figure") + "class=\"num\">".len();
    let figure = &home[at..];
    figure[..figure.find('<').unwrap()].trim().parse().unwrap()
}

/// The open review items the home page counts: the figure just before its link to the queue.
fn open_reviews(home: &str) -> i64 {
    let before = &home[..home
        .find("class=\"button\" href=\"/review\">")
        .expect("the queue's link")];
    let at = before.rfind("class=\"num\">").expect("a count") + "class=\"num\">".len();
    let figure = &before[at..];
    figure[..figure.find('<').unwrap()].trim().parse().unwrap()
}

#[tokio::test]
async fn an_auditor_of_an_office_reads_its_trail_and_the_centrals_chooses_an_office() {
    let app = with_homs().await;
    let mut homs_clerk = app.user_at("clerk.homs", "clerk", "HMS-01").await;
    assert_eq!(
        register(&mut homs_clerk, &person_form("نزار"))
            .await
            .status(),
        StatusCode::OK
    );
    let mut homs_auditor = app.user_at("auditor.homs", "auditor", "HMS-01").await;
    let mut central_auditor = app.user_with_role("auditor.central", "auditor").await;

    // Each row's office cell: `<td><bdi dir="ltr">CODE</bdi></td>` after the officer's.
    let offices_shown = |html: &str| -> Vec<String> {
        html.split("<tr>")
            .skip(2)
            .filter_map(|row| {
                let cells: Vec<&str> = row.split("<td").collect();
                let cell = cells.get(4)?;
                let text = cell.split("dir=\"ltr\">").nth(1)?;
                Some(text[..text.find('<')?].to_owned())
            })
            .collect()
    };
    let own = homs_auditor.page("/audit?office=CENTRAL").await;
    assert!(
        !own.contains("<select id=\"office\""),
        "no choice of office"
    );
    let shown = offices_shown(&own);
    assert!(
        !shown.is_empty() && shown.iter().all(|o| o == "HMS-01"),
        "{shown:?}"
    );

    let all = central_auditor.page("/audit").await;
    assert!(all.contains("<select id=\"office\""));
    assert!(offices_shown(&all).iter().any(|o| o == "CENTRAL"));
    let chosen = central_auditor.page("/audit?office=HMS-01").await;
    let shown = offices_shown(&chosen);
    assert!(
        !shown.is_empty() && shown.iter().all(|o| o == "HMS-01"),
        "{shown:?}"
    );
}
