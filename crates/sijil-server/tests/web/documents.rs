//! Identity documents in the web application (issue 6): a card issued from the person's page,
//! its printable view with the QR code served by Sijil, a status change, verification by
//! pasting the code, and a passport that a second officer must approve.

use reqwest::StatusCode;

use crate::helpers::*;

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_owned()
}

/// The text between `start` and the next `end` in `html`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).expect(start) + start.len();
    let to = html[from..].find(end).unwrap();
    &html[from..from + to]
}

#[tokio::test]
async fn a_clerk_issues_prints_and_reports_a_card_and_verifies_its_code() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let r = register(&mut clerk, &person_form("سامر")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let person = person_link(&r.text().await.unwrap());

    let page = clerk.page(&person).await;
    assert!(
        page.contains(&format!("action=\"{person}/id-card\"")),
        "issue form on the person page"
    );
    let r = clerk
        .submit(&person, &format!("{person}/id-card"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let card_path = location(&r);
    assert!(card_path.starts_with("/documents/"));

    let page = clerk.page(&person).await;
    assert!(
        page.contains(&format!("href=\"{card_path}\"")),
        "the person page lists the card"
    );
    let card = clerk.page(&card_path).await;
    assert!(card.contains("class=\"idcard front\""));
    assert!(card.contains("سامر خالد الحمصي"), "Arabic name on the card");
    let qr_src = between(&card, "class=\"idcard-qr\" src=\"", "\"").to_owned();
    let svg = clerk.get(&qr_src).await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    let mrz = between(&card, "<pre class=\"mrz\"", "</pre>");
    let mrz = mrz[mrz.find('>').unwrap() + 1..].replace("&#60;", "<");
    let mrz = mrz.as_str();
    assert_eq!(mrz.lines().filter(|l| l.len() == 30).count(), 3, "{mrz}");

    // A zone pasted into the verification page is consistent; a changed digit is not.
    let r = clerk.submit("/verify", "/verify", &[("code", mrz)]).await;
    let verdict = r.text().await.unwrap();
    assert!(verdict.contains("verdict valid"), "{verdict}");
    let bad = mrz.replacen('1', "2", 1);
    let verdict = clerk
        .submit("/verify", "/verify", &[("code", &bad)])
        .await
        .text()
        .await
        .unwrap();
    assert!(verdict.contains("verdict invalid"));

    // Reported stolen: the card page and the verification page say so.
    let r = clerk
        .submit(
            &card_path,
            &format!("{card_path}/status"),
            &[("status", "stolen"), ("note", "بلاغ شرطة")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let card = clerk.page(&card_path).await;
    assert!(card.contains("مبلَّغ عن سرقتها"));
    let verdict = clerk
        .submit("/verify", "/verify", &[("code", mrz)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        verdict.contains("verdict invalid") && verdict.contains("سرقتها"),
        "{verdict}"
    );

    // Forms without the session's CSRF token are refused.
    let r = clerk
        .post(&format!("{card_path}/status"), &[("status", "cancelled")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_passport_application_needs_a_second_officer() {
    let app = spawn_app().await;
    let mut one = app.user_with_role("clerk.one", "clerk").await;
    let mut two = app.user_with_role("clerk.two", "clerk").await;
    let registered = register(&mut one, &person_form("سامر"))
        .await
        .text()
        .await
        .unwrap();
    let nn = between(&registered, "class=\"nn\" dir=\"ltr\">", "<").to_owned();

    let r = one
        .submit("/passports", "/passports", &[("national_number", &nn)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{nn}");
    let app_path = location(&r);
    let r = one
        .submit(&app_path, &format!("{app_path}/check"), &[])
        .await;
    assert_eq!(location(&r), app_path);
    let r = one
        .submit(&app_path, &format!("{app_path}/approve"), &[("note", "")])
        .await;
    assert!(location(&r).ends_with("error=second-officer"));
    let refused = one.page(&location(&r)).await;
    assert!(refused.contains("يجب أن يوافق موظف ثانٍ"));
    let r = two
        .submit(&app_path, &format!("{app_path}/approve"), &[("note", "")])
        .await;
    assert_eq!(location(&r), app_path);
    let r = one
        .submit(&app_path, &format!("{app_path}/issue"), &[])
        .await;
    let passport = one.page(&location(&r)).await;
    assert!(passport.contains("class=\"mrz td3\""));
    assert!(passport.contains("P&#60;SYR"), "{passport}");

    let r = one
        .submit("/passports", "/passports", &[("national_number", "12345")])
        .await;
    assert_eq!(location(&r), "/passports?error=person");
}

#[tokio::test]
async fn an_office_page_says_which_lists_it_verifies_with_or_that_it_has_none() {
    use sijil_docs::{AlertList, KeyUsage, RevocationList};
    use sijil_server::{AppState, ServerConfig, bootstrap, verification::HeldLists};
    use sijil_store::sqlite::SqliteStore;
    use time::macros::datetime;

    // An office node: no signing keys, lists only as received.
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("sijil.db"))
        .await
        .unwrap();
    let password = bootstrap::ensure_admin(&store).await.unwrap().unwrap();
    let state = AppState::load(store, ServerConfig::default())
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(sijil_server::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    let app = TestApp::from_parts(address, password, tempfile::tempdir().unwrap());
    let mut admin = app.admin().await;

    let page = admin.page("/verify").await;
    assert!(page.contains("لم يتلقَّ هذا المكتب قوائم"), "{page}");
    assert!(
        !page.contains("action=\"/verify\""),
        "no form without lists"
    );

    let signed_at = datetime!(2026-11-29 09:30 UTC);
    let mut ring = sijil_server::keyring::Keyring::open(&dir.path().join("keys")).unwrap();
    let (kid, key) = ring.signing_key(KeyUsage::Lists, signed_at).unwrap();
    let revocations = RevocationList::new(1, signed_at).sign(&key, &kid);
    let alerts = AlertList::new(1, signed_at).sign(&key, &kid);
    state.hold_lists(HeldLists::open(&ring.trust_list().to_json(), &revocations, &alerts).unwrap());
    let page = admin.page("/verify").await;
    let line = between(&page, "id=\"lists-in-use\">", "</p>");
    assert!(
        line.contains("2026-11-29") && line.contains("09:30"),
        "{line}"
    );
    assert!(page.contains("action=\"/verify\""));
}
