//! What users do: register a person, read them, record an event, audit, administer; in Arabic
//! first and in English; and what it weighs on a poor link.

use reqwest::{StatusCode, header};

use crate::helpers::{csrf_of, person_form, person_link, register, spawn_app};

#[tokio::test]
async fn pages_are_arabic_and_right_to_left_unless_english_is_chosen() {
    let app = spawn_app().await;
    let mut s = app.session();
    let html = s.page("/login").await;
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains("تسجيل الدخول"));
    let html = s.page("/login?lang=en").await;
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(html.contains("Log in"));
    // The switch remembers the choice in a cookie.
    s.get("/lang/en?next=/login").await;
    let html = s.page("/login").await;
    assert!(html.contains("lang=\"en\""));
    assert!(
        html.contains("href=\"/lang/ar?next=/login\""),
        "offers the way back"
    );
}

#[tokio::test]
async fn a_clerk_registers_a_person_through_the_form_and_opens_their_page() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let r = register(&mut clerk, &person_form("سامر")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("أُنشئ شخص جديد"), "says what happened");
    assert!(html.contains("سامر خالد محمود الحمصي"));
    let nn_start = html.find("class=\"nn\" dir=\"ltr\">").unwrap() + 21;
    let nn = &html[nn_start..nn_start + 11];
    assert!(sijil_core::NationalNumber::parse(nn).is_ok(), "{nn}");

    let page = clerk.page(&person_link(&html)).await;
    assert!(page.contains("سامر خالد محمود الحمصي"));
    assert!(page.contains(nn));
    assert!(
        page.contains("دفتر العائلة") && page.contains("FB-2231"),
        "evidence shown"
    );
    assert!(page.contains("أحمد الحمصي، عم"), "witness shown");
    assert!(page.contains("clerk.one"), "who captured it");
    assert!(
        page.contains(">157<"),
        "register number with its digits folded"
    );
    assert!(
        !page.contains("من اطلع على هذا السجل"),
        "views are for auditors"
    );

    // The home page counts it.
    let home = clerk.page("/").await;
    assert!(home.contains("<span class=\"num\">1</span><span class=\"lbl\">تسجيلات اليوم</span>"));

    // Opening by national number finds the same person.
    let r = clerk.get(&format!("/people/by-number?nn={nn}")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[header::LOCATION], person_link(&html).as_str());

    // A number nobody holds, or a malformed one, is said so beside the field.
    let r = clerk.get("/people/by-number?nn=12345").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("id=\"e-nn\">الرقم الوطني يتكون من 11 رقماً")
    );
    let unknown = sijil_core::NationalNumber::from_parts(99, 99, 12345).unwrap();
    let r = clerk.get(&format!("/people/by-number?nn={unknown}")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let text = r.text().await.unwrap();
    assert!(text.contains("لا يحمل أحد في السجل هذا الرقم الوطني"));
    assert!(
        text.contains(&format!("value=\"{unknown}\"")),
        "the number is kept"
    );

    // The print view has the extract without forms.
    let print = clerk.page(&format!("{}/print", person_link(&html))).await;
    assert!(print.contains("بيان قيد مدني") && print.contains(nn));
    assert!(!print.contains("action=\"/people/"));
}

#[tokio::test]
async fn a_second_registration_with_the_same_number_is_linked_and_the_form_cannot_be_sent_twice() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let html = register(&mut clerk, &person_form("سامر"))
        .await
        .text()
        .await
        .unwrap();
    let nn_start = html.find("class=\"nn\" dir=\"ltr\">").unwrap() + 21;
    let nn = html[nn_start..nn_start + 11].to_owned();
    let mut again = person_form("Samer");
    again
        .iter_mut()
        .find(|(k, _)| *k == "national_number")
        .unwrap()
        .1 = nn.clone();
    let second = register(&mut clerk, &again).await.text().await.unwrap();
    assert!(second.contains("رُبط التسجيل بشخص موجود"));
    assert_eq!(person_link(&second), person_link(&html));

    // The same form (same record id) posted twice is refused, not stored twice.
    let form = clerk.page("/register").await;
    let csrf = csrf_of(&form);
    let record_id = crate::helpers::hidden_value(&form, "record_id").unwrap();
    let mut fields: Vec<(&str, &str)> = vec![("csrf", &csrf), ("record_id", &record_id)];
    let person = person_form("رامي");
    fields.extend(person.iter().map(|(k, v)| (*k, v.as_str())));
    assert_eq!(
        clerk.post("/register", &fields).await.status(),
        StatusCode::OK
    );
    let r = clerk.post("/register", &fields).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("سبق حفظ هذا النموذج"));
}

#[tokio::test]
async fn validation_messages_sit_beside_their_fields_and_values_are_kept() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let mut fields = person_form("سامر");
    let set = |f: &mut Vec<(&'static str, String)>, k: &str, v: &str| {
        f.iter_mut().find(|(n, _)| *n == k).unwrap().1 = v.to_owned();
    };
    set(&mut fields, "birth_date", "1990-02-31");
    set(&mut fields, "family_name", "");
    set(&mut fields, "national_number", "123");
    set(&mut fields, "doc0_kind", "");
    let r = register(&mut clerk, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"سامر\""), "values are kept");
    assert!(html.contains("value=\"1990-02-31\""));
    assert!(html.contains("id=\"e-birth_date\">يجب أن يكون تاريخاً صحيحاً"));
    assert!(html.contains("id=\"e-family_name\">هذا الحقل مطلوب"));
    assert!(html.contains("id=\"e-national_number\">الرقم الوطني يتكون من 11 رقماً"));
    assert!(
        html.contains("اختر نوع الوثيقة"),
        "a document number without its kind"
    );
    assert!(html.contains("aria-invalid=\"true\""));

    // In English, the domain's English messages.
    let html = clerk.page("/register?lang=en").await;
    let csrf = csrf_of(&html);
    let record_id = crate::helpers::hidden_value(&html, "record_id").unwrap();
    let r = clerk
        .post(
            "/register?lang=en",
            &[
                ("csrf", csrf.as_str()),
                ("record_id", record_id.as_str()),
                ("first_name", "Samer"),
                ("sex", "X"),
            ],
        )
        .await;
    let html = r.text().await.unwrap();
    assert!(html.contains("must be M, F or empty"), "{html}");
    assert!(html.contains("Give at least one document or one witness."));
}

#[tokio::test]
async fn a_clerk_records_a_civil_event_from_the_persons_page() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let html = register(&mut clerk, &person_form("سامر"))
        .await
        .text()
        .await
        .unwrap();
    let link = person_link(&html);
    let page = clerk.page(&link).await;
    let csrf = csrf_of(&page);
    let r = clerk
        .post(
            &format!("{link}/events"),
            &[
                ("csrf", csrf.as_str()),
                ("kind", "death"),
                ("date", "2024-03-15"),
                ("place", "حمص"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = clerk
        .page(r.headers()[header::LOCATION].to_str().unwrap())
        .await;
    assert!(page.contains("حُفظت الواقعة"));
    assert!(page.contains("<td>وفاة</td>") && page.contains("2024-03-15"));

    // A rule of the registry, in Arabic, beside the form.
    let r = clerk
        .post(
            &format!("{link}/events"),
            &[
                ("csrf", csrf.as_str()),
                ("kind", "death"),
                ("date", "2024-03-16"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("سبق تسجيل وفاة هذا الشخص"));
}

#[tokio::test]
async fn an_auditor_sees_who_viewed_a_person_and_the_audit_log() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let html = register(&mut clerk, &person_form("سامر"))
        .await
        .text()
        .await
        .unwrap();
    let link = person_link(&html);
    clerk.page(&link).await;

    let mut auditor = app.user_with_role("auditor.one", "auditor").await;
    let page = auditor.page(&link).await;
    assert!(page.contains("من اطلع على هذا السجل"));
    assert!(page.contains("clerk.one"), "the clerk's view is listed");
    assert!(
        !page.contains("action=\"/people/"),
        "an auditor records nothing"
    );

    let audit = auditor
        .page("/audit?officer=clerk.one&action=person.read")
        .await;
    assert!(audit.contains("السلسلة سليمة"));
    assert!(audit.contains("اطلاع على سجل شخص"));
    assert!(audit.contains(&format!("href=\"{link}\"")));
    assert!(!audit.contains("auth.login<"), "filtered by action");
    let audit = auditor.page("/audit?lang=en").await;
    assert!(audit.contains("The chain is intact"));
}

#[tokio::test]
async fn an_administrator_creates_an_office_and_a_user_with_the_forms() {
    let app = spawn_app().await;
    let mut admin = app.admin().await;
    let csrf = csrf_of(&admin.page("/admin/offices").await);
    let r = admin
        .post(
            "/admin/offices",
            &[
                ("csrf", csrf.as_str()),
                ("code", "HMS-01"),
                ("name_ar", "حمص"),
                ("name_en", "Homs"),
                ("governorate", "05"),
                ("secretariat", "01"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = admin.page("/admin/offices").await;
    assert!(page.contains("HMS-01") && page.contains("حمص"));

    let r = admin
        .post(
            "/admin/offices",
            &[
                ("csrf", csrf.as_str()),
                ("code", "bad code"),
                ("name_ar", ""),
                ("name_en", "x"),
                ("governorate", "123"),
                ("secretariat", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"bad code\"") && html.contains("هذا الحقل مطلوب"));

    let r = admin
        .post(
            "/admin/users",
            &[
                ("csrf", csrf.as_str()),
                ("username", "clerk.homs"),
                ("display_name", "أمين سجل حمص"),
                ("role", "clerk"),
                ("office", "HMS-01"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("يجب ألا يقل عن 12 حرفاً"));
    let r = admin
        .post(
            "/admin/users",
            &[
                ("csrf", csrf.as_str()),
                ("username", "clerk.homs"),
                ("display_name", "أمين سجل حمص"),
                ("role", "clerk"),
                ("office", "HMS-01"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = admin.page("/admin/users").await;
    assert!(page.contains("clerk.homs") && page.contains("أمين سجل"));
    let mut homs = app.session();
    assert_eq!(
        homs.login("clerk.homs", crate::helpers::PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        homs.page("/").await.contains("HMS-01"),
        "the header names the office"
    );
}

/// Bytes on the wire for `path` when the browser accepts gzip, and without compression.
async fn weight(s: &crate::helpers::Session, path: &str) -> (usize, usize) {
    let client = reqwest::Client::new();
    let cookies = s
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut sizes = [0; 2];
    for (i, encoding) in ["gzip", "identity"].into_iter().enumerate() {
        let r = client
            .get(s.url(path))
            .header(header::COOKIE, &cookies)
            .header(header::ACCEPT_ENCODING, encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        sizes[i] = r.bytes().await.unwrap().len();
    }
    (sizes[0], sizes[1])
}

#[tokio::test]
async fn typical_pages_weigh_under_50_kb_on_the_wire() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let html = register(&mut clerk, &person_form("سامر"))
        .await
        .text()
        .await
        .unwrap();
    let link = person_link(&html);
    register(
        &mut clerk,
        &crate::helpers::claimant(&crate::helpers::nn_of(&html)),
    )
    .await;
    let mut auditor = app.user_with_role("auditor.one", "auditor").await;
    let mut admin = app.admin().await;
    let review = crate::helpers::first_link(&admin.page("/review").await, "/review/");
    let css = {
        let start = html.find("href=\"/assets/app.").unwrap() + 6;
        html[start..start + html[start..].find('"').unwrap()].to_owned()
    };
    auditor.page("/").await;
    let mut report = Vec::new();
    for (s, path) in [
        (&clerk, "/"),
        (&clerk, "/register"),
        (&clerk, link.as_str()),
        (&auditor, link.as_str()),
        (&auditor, "/audit"),
        (&admin, "/admin/users"),
        (&clerk, "/search?names=Samer+Homsi"),
        (&admin, "/review"),
        (&admin, review.as_str()),
        (&clerk, css.as_str()),
    ] {
        let (wire, raw) = weight(s, path).await;
        report.push(format!("{path}: {wire} B gzip ({raw} B raw)"));
        assert!(wire < 50 * 1024, "{path} weighs {wire} bytes");
    }
    eprintln!("page weights (gzip): {}", report.join(", "));
}

/// The `id` of every visible form control in a page, and whether a `<label for>` names it.
fn unlabelled_controls(html: &str) -> Vec<String> {
    let mut missing = Vec::new();
    for tag in ["<input", "<select"] {
        for part in html.split(tag).skip(1) {
            let element = &part[..part.find('>').unwrap_or(part.len())];
            if element.contains("type=\"hidden\"") {
                continue;
            }
            let id = element
                .split("id=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or("");
            if id.is_empty() || !html.contains(&format!("for=\"{id}\"")) {
                missing.push(format!("{tag} {element}"));
            }
        }
    }
    missing
}

#[tokio::test]
async fn every_field_on_every_page_has_a_label() {
    let app = spawn_app().await;
    let mut clerk = app.user_with_role("clerk.one", "clerk").await;
    let html = register(&mut clerk, &person_form("سامر"))
        .await
        .text()
        .await
        .unwrap();
    let link = person_link(&html);
    register(
        &mut clerk,
        &crate::helpers::claimant(&crate::helpers::nn_of(&html)),
    )
    .await;
    let mut auditor = app.user_with_role("auditor.one", "auditor").await;
    let mut admin = app.admin().await;
    let mut anon = app.session();
    let queue = admin.page("/review").await;
    let review = crate::helpers::first_link(&queue, "/review/");
    let pages = [
        anon.page("/login").await,
        clerk.page("/").await,
        clerk.page("/register").await,
        clerk.page(&link).await,
        auditor.page("/audit").await,
        admin.page("/admin/users").await,
        admin.page("/admin/users/auditor.one").await,
        admin.page("/admin/offices").await,
        clerk.page("/search?names=Samer").await,
        queue.clone(),
        admin.page(&review).await,
        admin.page(&link).await,
    ];
    for html in &pages {
        assert_eq!(unlabelled_controls(html), Vec::<String>::new());
        assert!(
            html.contains("class=\"skip\" href=\"#main\""),
            "a skip link for keyboards"
        );
    }
}
