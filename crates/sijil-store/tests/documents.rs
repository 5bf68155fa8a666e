//! Documents through the storage interface (issue 6): cards replace cards, statuses only move
//! forward, the passport workflow needs a second officer, and every step is audited.

use sijil_core::{Capture, OfficeCode, RecordRow, Role, Username};
use sijil_store::{
    Actor, Decision, DocumentStore, Link, NewOffice, NewSourceRecord, NewUser, Store, StoreError,
    documents::{ApplicationStep, DocumentKind, DocumentStatus, NewDocument, Printed},
    sqlite::SqliteStore,
};
use time::{OffsetDateTime, macros::date};

const TODAY: time::Date = date!(2026 - 11 - 29);

async fn setup(store: &SqliteStore) -> (Actor, Actor, uuid::Uuid) {
    let office = OfficeCode::parse("DAM-01").unwrap();
    let system = Actor::system(office.clone());
    store
        .create_office(
            NewOffice {
                code: office.clone(),
                name_ar: "دمشق".into(),
                name_en: "Damascus".into(),
                governorate: 1,
                secretariat: 2,
            },
            &system,
        )
        .await
        .unwrap();
    let mut actors = Vec::new();
    for name in ["clerk.one", "clerk.two"] {
        let user = store
            .create_user(
                NewUser {
                    username: Username::parse(name).unwrap(),
                    display_name: name.into(),
                    role: Role::Clerk,
                    office: office.clone(),
                    password_hash: "$argon2id$placeholder".into(),
                },
                &system,
            )
            .await
            .unwrap();
        actors.push(user.actor());
    }
    let record = RecordRow {
        record_id: "R1".into(),
        first_name: "محمد".into(),
        father_name: "عبد الرحمن".into(),
        family_name: "الحلبي".into(),
        sex: "M".into(),
        birth_date: "1985-03-17".into(),
        ..Default::default()
    };
    let reg = store
        .register_record(
            NewSourceRecord {
                record: record.validate(TODAY).unwrap(),
                capture: Capture {
                    office: office.clone(),
                    officer: actors[0].username.clone(),
                    captured_at: OffsetDateTime::now_utc(),
                    evidence: vec![],
                },
            },
            Decision::plain(Link::NewPerson, "test"),
            &actors[0],
        )
        .await
        .unwrap();
    let two = actors.pop().unwrap();
    (actors.pop().unwrap(), two, reg.person_id)
}

fn printer(number: &str) -> Result<Printed, String> {
    Ok(Printed {
        mrz: format!("ZONE FOR {number}"),
        credential: Some((format!("QR {number}"), "00ff".into(), "SY-ID-1".into())),
    })
}

#[tokio::test]
async fn cards_replace_cards_and_statuses_only_move_forward() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).await.unwrap();
    let (clerk, _, person) = setup(&store).await;
    let card = |_| NewDocument {
        kind: DocumentKind::IdCard,
        person_id: person,
        issued_on: TODAY,
        expires_on: date!(2036 - 11 - 28),
    };
    let first = store
        .issue_document(card(()), &printer, &clerk)
        .await
        .unwrap();
    assert_eq!(first.number, "A00000001");
    assert_eq!(first.credential.as_deref(), Some("QR A00000001"));
    assert_eq!(first.status(), DocumentStatus::Issued);

    let delivered = store
        .change_document_status(first.id, DocumentStatus::Delivered, None, &clerk)
        .await
        .unwrap();
    assert_eq!(delivered.history.len(), 2);

    // A second card cancels the first: one valid card per person.
    let second = store
        .issue_document(card(()), &printer, &clerk)
        .await
        .unwrap();
    assert_eq!(second.number, "A00000002");
    let first = store.document(first.id, &clerk).await.unwrap();
    assert_eq!(first.status(), DocumentStatus::Cancelled);

    // A cancelled card cannot be delivered again; a failed printer writes nothing.
    assert!(matches!(
        store
            .change_document_status(first.id, DocumentStatus::Delivered, None, &clerk)
            .await,
        Err(StoreError::Conflict(_))
    ));
    let failing = |_: &str| -> Result<Printed, String> { Err("no key".into()) };
    assert!(
        store
            .issue_document(card(()), &failing, &clerk)
            .await
            .is_err()
    );
    assert_eq!(store.documents_of(person, &clerk).await.unwrap().len(), 2);
    assert_eq!(
        store
            .document_by_number("A00000002", &clerk)
            .await
            .unwrap()
            .status(),
        DocumentStatus::Issued,
        "the failed issue did not cancel the valid card"
    );

    store
        .change_document_status(
            second.id,
            DocumentStatus::Stolen,
            Some("police report 17".into()),
            &clerk,
        )
        .await
        .unwrap();
    assert_eq!(
        store.revoked_documents().await.unwrap(),
        [
            ("A00000001".to_owned(), DocumentStatus::Cancelled),
            ("A00000002".to_owned(), DocumentStatus::Stolen)
        ]
    );

    // The history is append-only underneath the interface too.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    assert!(
        sqlx::query("UPDATE document_status SET status = 'issued'")
            .execute(&pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM documents")
            .execute(&pool)
            .await
            .is_err()
    );
    pool.close().await;

    let audit = store.verify_audit().await.unwrap();
    assert!(audit.broken.is_none());
}

#[tokio::test]
async fn a_passport_needs_checks_and_a_second_officer() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).await.unwrap();
    let (one, two, person) = setup(&store).await;

    let app = store.apply_passport(person, &one).await.unwrap();
    assert_eq!(app.step(), ApplicationStep::Applied);
    // Not approvable before the checks, and never by the officer who took it.
    assert!(
        store
            .approve_passport_application(app.id, None, &two)
            .await
            .is_err()
    );
    let app = store
        .check_passport_application(app.id, TODAY, &one)
        .await
        .unwrap();
    assert_eq!(app.step(), ApplicationStep::Checked);
    let err = store
        .approve_passport_application(app.id, None, &one)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("second officer"), "{err}");
    let app = store
        .approve_passport_application(app.id, None, &two)
        .await
        .unwrap();
    assert_eq!(app.step(), ApplicationStep::Approved);
    let passport = store
        .issue_passport(app.id, TODAY, date!(2032 - 11 - 28), &printer, &one)
        .await
        .unwrap();
    assert_eq!(passport.number, "N00000001");
    assert_eq!(passport.kind, DocumentKind::Passport);
    assert_eq!(passport.application_id, Some(app.id));
    assert!(
        store
            .issue_passport(app.id, TODAY, date!(2032 - 11 - 28), &printer, &one)
            .await
            .is_err(),
        "an application issues one passport"
    );

    // A second application is held: a valid passport exists, and now an alert too.
    let nn = store
        .person(person, &one)
        .await
        .unwrap()
        .person
        .national_number;
    let alert = store.add_alert(&nn, "travel-ban", &two).await.unwrap();
    let again = store.apply_passport(person, &one).await.unwrap();
    let held = store
        .check_passport_application(again.id, TODAY, &one)
        .await
        .unwrap();
    assert_eq!(held.step(), ApplicationStep::Held);
    let found = &held.steps.last().unwrap().detail;
    assert_eq!(found["alerts"][0], "travel-ban");
    assert_eq!(found["valid_passports"].as_array().unwrap().len(), 1);
    assert!(
        store
            .approve_passport_application(again.id, None, &two)
            .await
            .is_err()
    );
    store
        .refuse_passport_application(again.id, "already holds a passport".into(), &two)
        .await
        .unwrap();

    assert_eq!(store.active_alerts().await.unwrap().len(), 1);
    store.lift_alert(alert.id, &two).await.unwrap();
    assert!(store.active_alerts().await.unwrap().is_empty());
    assert!(store.add_alert(&nn, "Wanted!", &two).await.is_err());

    let steps = store
        .audit_entries(&sijil_store::AuditQuery {
            action: Some("passport.application".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        steps.len(),
        7,
        "apply, check, approve, issue; apply, check, refuse"
    );
}
