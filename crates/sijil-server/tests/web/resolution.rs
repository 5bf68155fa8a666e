//! Search and the review queue in the web application, over HTTP with cookies.

use reqwest::StatusCode;

use crate::helpers::{claimant, csrf_of, nn_of, person_form, register, spawn_app};

#[tokio::test]
async fn a_clerk_finds_an_arabic_name_by_its_latin_spelling() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let r = register(&mut clerk, &person_form("سامر")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = clerk
        .page("/search?names=Samer+al-Homsi&birth_year=1990")
        .await;
    assert!(page.contains("سامر خالد محمود الحمصي"), "{page}");
    assert!(page.contains("href=\"/people/"));
    // Nothing found is said so; a bad year is refused beside its field.
    let page = clerk.page("/search?names=Zzyzx+Qwerty").await;
    assert!(page.contains("لا أحد في السجل يطابق"), "{page}");
    let r = clerk.get("/search?names=Samer&birth_year=abc").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"e-birth_year\""));
    // A hostile query is shown escaped.
    let page = clerk
        .page("/search?names=%3Cscript%3Ealert(1)%3C/script%3E")
        .await;
    assert!(!page.contains("<script>alert"), "{page}");
    // Clerks search but do not adjudicate.
    assert_eq!(clerk.get("/review").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_administrator_settles_a_review_item_with_a_reason_and_undoes_it() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let r = register(&mut clerk, &person_form("سامر")).await;
    let nn = nn_of(&r.text().await.unwrap());
    let r = register(&mut clerk, &claimant(&nn)).await;
    let html = r.text().await.unwrap();
    assert!(html.contains("أُرسل إلى قائمة المراجعة"), "{html}");

    let mut admin = app.admin().await;
    let home = admin.page("/").await;
    assert!(home.contains("<span class=\"num\">1</span>"), "{home}");
    let queue = admin.page("/review").await;
    let start = queue.find("href=\"/review/").expect("an item") + 6;
    let item = queue[start..start + queue[start..].find('"').unwrap()].to_owned();
    let page = admin.page(&item).await;
    // Side by side, each field marked as agreeing or not, with its weight.
    assert!(page.contains("class=\"agree\"") && page.contains("class=\"disagree\""));
    assert!(page.contains("وائل") && page.contains("سامر"));

    // No reason: refused, nothing decided.
    let csrf = csrf_of(&page);
    let r = admin
        .post(
            &item,
            &[("csrf", &csrf), ("action", "separate"), ("reason", " ")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Without the CSRF token: refused.
    let r = admin
        .post(&item, &[("action", "separate"), ("reason", "x")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = admin
        .post(
            &item,
            &[
                ("csrf", &csrf),
                ("action", "separate"),
                ("reason", "أخوان بالرقم نفسه خطأً"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let queue = admin.page("/review?done=1").await;
    assert!(queue.contains("سُجّل القرار") && !queue.contains("href=\"/review/"));

    // The decision is on the claimant's page (the second person link: the first is the
    // candidate's), where it can be undone.
    let person = {
        let first = page.find("href=\"/people/").unwrap() + 6;
        let start = first + page[first..].find("href=\"/people/").unwrap() + 6;
        page[start..start + page[start..].find('"').unwrap()].to_owned()
    };
    let html = admin.page(&person).await;
    assert!(
        html.contains("أبقاه مراجع منفصلاً") || html.contains("أخوان بالرقم"),
        "{html}"
    );
    let form_at = html.find("/undo\"").expect("an undo form");
    let action_start = html[..form_at].rfind("action=\"").unwrap() + 8;
    let action = html[action_start..form_at + 5].to_owned();
    let person_id = person.trim_start_matches("/people/");
    let r = admin
        .post(
            &action,
            &[
                ("csrf", &csrf_of(&html)),
                ("person", person_id),
                ("reason", "تسرعت"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = admin.page(&format!("{person}?undo=done")).await;
    assert!(html.contains("تم التراجع عن القرار"), "{html}");
    assert!(admin.page("/review").await.contains("href=\"/review/"));
}

#[tokio::test]
async fn an_administrator_merges_two_persons_and_splits_a_record_off_again() {
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
    let claimant_page = crate::helpers::person_link(&second);
    let mut admin = app.admin().await;
    let html = admin.page(&claimant_page).await;
    let csrf = csrf_of(&html);
    // A wrong national number: said so, nothing merged.
    let r = admin
        .post(
            &format!("{claimant_page}/merge"),
            &[("csrf", &csrf), ("into", "12345678901"), ("reason", "x")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = admin
        .post(
            &format!("{claimant_page}/merge"),
            &[
                ("csrf", &csrf),
                ("into", &nn),
                ("reason", "نفس الشخص بعد التحقق"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let survivor = r.headers()["location"].to_str().unwrap().to_owned();
    let html = admin.page(&survivor).await;
    assert!(html.contains("دُمج الشخصان"), "{html}");
    assert!(html.contains(&nn));
    // Both records are now there; split the claimant's back off.
    let value_of = |html: &str, marker: &str| {
        let at = html.find(marker).unwrap();
        let v = html[..at].rfind("value=\"").unwrap() + 7;
        html[v..v + html[v..].find('"').unwrap()].to_owned()
    };
    let record = value_of(&html, "> <bdi>وائل");
    let person = survivor.split('?').next().unwrap();
    let r = admin
        .post(
            &format!("{person}/split"),
            &[
                ("csrf", &csrf_of(&html)),
                ("record", &record),
                ("reason", "شخصان"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let new = r.headers()["location"].to_str().unwrap().to_owned();
    let html = admin.page(&new).await;
    assert!(
        html.contains("فُصلت السجلات") && html.contains("وائل"),
        "{html}"
    );
}
