//! The person page of a merge's survivor shows who was merged in and marks what came from
//! them; the merged-away person's page says where they went (issues 3 and 4 follow-up).

use reqwest::StatusCode;

use crate::helpers::{claimant, csrf_of, first_link, nn_of, person_form, register, spawn_app};

#[tokio::test]
async fn a_merged_persons_events_show_on_the_survivors_page_marked_until_the_merge_is_undone() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let first = register(&mut clerk, &person_form("سامر"))
        .await
        .text()
        .await
        .unwrap();
    let nn = nn_of(&first);
    let second = register(&mut clerk, &claimant(&nn))
        .await
        .text()
        .await
        .unwrap();
    let b_page = crate::helpers::person_link(&second);
    let html = clerk.page(&b_page).await;
    let b_nn = nn_of(&html);
    assert_ne!(b_nn, nn);
    let r = clerk
        .post(
            &format!("{b_page}/events"),
            &[
                ("csrf", &csrf_of(&html)),
                ("kind", "birth"),
                ("date", "1961-03-01"),
                ("place", "حمص"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let mut admin = app.admin().await;
    let html = admin.page(&b_page).await;
    let r = admin
        .post(
            &format!("{b_page}/merge"),
            &[
                ("csrf", &csrf_of(&html)),
                ("into", &nn),
                ("reason", "نفس الشخص بعد التحقق"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let a_page = location.split('?').next().unwrap().to_owned();

    // The survivor: "merged from" with the merged number, the birth marked as theirs.
    let html = admin.page(&a_page).await;
    assert!(html.contains("مدموج من"), "{html}");
    assert!(html.contains(&format!("href=\"{b_page}\"")), "{html}");
    assert!(html.contains(&b_nn));
    assert!(
        html.contains("1961-03-01"),
        "the merged person's birth is listed: {html}"
    );
    assert!(html.contains("من شخص مدموج"), "{html}");
    let english = admin.page(&format!("{a_page}?lang=en")).await;
    assert!(english.contains("Merged from") && english.contains("from merged"));

    // The merged-away person: where they went, and no form to record or issue on them.
    let html = admin.page(&b_page).await;
    assert!(html.contains("class=\"alert merged-away\""), "{html}");
    assert_eq!(
        first_link(&html[html.find("merged-away").unwrap()..], "/people/"),
        a_page
    );
    assert!(html.contains("يبقى هذا الرقم الوطني محفوظًا"));
    assert!(!html.contains("id=\"ev-kind\"") && !html.contains("/id-card\""));
    let english = admin.page(&format!("{b_page}?lang=en")).await;
    assert!(english.contains("is kept and is never given to anyone else"));
    // A card asked for anyway (an old form) is refused with the reason, and nothing issued.
    let r = clerk
        .submit(&a_page, &format!("{b_page}/id-card"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.ends_with("document_error=merged"), "{back}");
    let html = clerk.page(&back).await;
    assert!(html.contains("دُمج هذا الشخص في شخص آخر"), "{html}");
    assert!(!clerk.page(&a_page).await.contains("href=\"/documents/"));

    // Undone from the survivor's page: apart again.
    let html = admin.page(&a_page).await;
    let undo = first_link(
        &html.replace("action=\"/decisions/", "href=\"/decisions/"),
        "/decisions/",
    );
    let person = a_page.trim_start_matches("/people/");
    let r = admin
        .post(
            &undo,
            &[
                ("csrf", &csrf_of(&html)),
                ("person", person),
                ("reason", "شخصان"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = admin.page(&a_page).await;
    assert!(
        !html.contains("مدموج من") && !html.contains("1961-03-01"),
        "{html}"
    );
}
