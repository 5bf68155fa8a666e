//! One story through the storage interface, run against SQLite. A PostgreSQL backend must pass
//! the same story: keep the test generic over `Store`.

use std::sync::atomic::{AtomicUsize, Ordering};

use sijil_core::{
    Capture, EventInput, EventKind, NationalNumber, OfficeCode, RecordRow, RegisterKey, Role,
    Username,
};
use sijil_store::{
    Actor, AuditQuery, Decision, ImportMeta, Link, NewOffice, NewSourceRecord, NewUser, Store,
    StoreError, bootstrap, sqlite::SqliteStore,
};
use time::{OffsetDateTime, macros::date};

const TODAY: time::Date = date!(2026 - 11 - 29);

fn row(id: &str, first: &str, sex: &str, born: &str, nn: &str) -> RecordRow {
    RecordRow {
        record_id: id.into(),
        first_name: first.into(),
        father_name: "أحمد".into(),
        family_name: "الحلبي".into(),
        sex: sex.into(),
        birth_date: born.into(),
        registry_place: "حلب".into(),
        registry_number: "42".into(),
        national_number: nn.into(),
        ..Default::default()
    }
}

fn new_record(actor: &Actor, r: RecordRow) -> NewSourceRecord {
    NewSourceRecord {
        record: r.validate(TODAY).unwrap(),
        capture: Capture {
            office: actor.office.clone(),
            officer: actor.username.clone(),
            captured_at: OffsetDateTime::now_utc(),
            evidence: vec![],
        },
    }
}

async fn setup<S: Store>(store: &S) -> Actor {
    let office = OfficeCode::parse("ALP-01").unwrap();
    let system = Actor::system(office.clone());
    store
        .create_office(
            NewOffice {
                code: office.clone(),
                name_ar: "حلب".into(),
                name_en: "Aleppo".into(),
                governorate: 2,
                secretariat: 1,
            },
            &system,
        )
        .await
        .unwrap();
    let user = store
        .create_user(
            NewUser {
                username: Username::parse("clerk.one").unwrap(),
                display_name: "Clerk".into(),
                role: Role::Clerk,
                office,
                password_hash: "$argon2id$placeholder".into(),
            },
            &system,
        )
        .await
        .unwrap();
    user.actor()
}

async fn story<S: Store>(store: S) {
    let clerk = setup(&store).await;

    // Registering a record creates a person with a freshly issued national number.
    let reg = store
        .register_record(
            new_record(&clerk, row("A1", "محمد", "M", "1980", "")),
            Decision::plain(Link::NewPerson, "test"),
            &clerk,
        )
        .await
        .unwrap();
    assert!(reg.new_person);
    assert!(reg.national_number.as_str().starts_with("0201"));

    // An import is all or nothing: a duplicate record_id anywhere refuses the whole batch.
    let before = store.stats().await.unwrap();
    let batch = vec![
        (
            new_record(&clerk, row("B1", "علي", "M", "1990", "")),
            Decision::plain(Link::NewPerson, "t"),
        ),
        (
            new_record(&clerk, row("A1", "علي", "M", "1990", "")),
            Decision::plain(Link::NewPerson, "t"),
        ),
    ];
    let meta = ImportMeta {
        file_name: "x.csv".into(),
        digest: "d".into(),
    };
    assert!(matches!(
        store
            .import_records(&batch, meta.clone(), &clerk, &|_| {})
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.stats().await.unwrap(), before);

    // A valid import, with records linked through their national number.
    let nn = NationalNumber::from_parts(2, 1, 900_000).unwrap();
    let rows = [
        row("C1", "فاطمة", "F", "1992-03-04", nn.as_str()),
        row("C2", "فاطمه", "F", "1992", nn.as_str()),
    ];
    let records: Vec<NewSourceRecord> = rows.into_iter().map(|r| new_record(&clerk, r)).collect();
    let decisions = vec![
        Decision::plain(Link::NewPerson, "test"),
        Decision::plain(Link::SameAsItem(0), "test"),
    ];
    let written = AtomicUsize::new(0);
    let receipt = store
        .import_records(
            &records.into_iter().zip(decisions).collect::<Vec<_>>(),
            meta,
            &clerk,
            &|n| written.store(n, Ordering::Relaxed),
        )
        .await
        .unwrap();
    assert_eq!((receipt.records, receipt.new_persons), (2, 1));
    assert_eq!(written.load(Ordering::Relaxed), 2);
    let fatima = store
        .person_id_by_national_number(&nn)
        .await
        .unwrap()
        .unwrap();

    // Reading the person shows both records and the most precise birth date, and is audited.
    let detail = store.person(fatima, &clerk).await.unwrap();
    assert_eq!(detail.records.len(), 2);
    assert_eq!(
        detail.person.view.birth_date.unwrap().to_string(),
        "1992-03-04"
    );
    let reads = store
        .audit_entries(&AuditQuery {
            subject: Some(format!("person:{fatima}")),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(reads[0].action, "person.read");
    assert_eq!(reads[0].actor, "clerk.one");

    // Family register members.
    let members = store
        .register_members(&RegisterKey::new("حلب", "42").unwrap(), &clerk)
        .await
        .unwrap();
    assert_eq!(members.len(), 2);

    // Civil events obey the rules inside the store.
    let marriage = EventInput {
        kind: EventKind::Marriage,
        date: "2015-06-01".into(),
        place: None,
        spouse_id: Some(fatima),
        court_record: None,
    }
    .validate(TODAY)
    .unwrap();
    store
        .record_event(reg.person_id, marriage.clone(), &clerk)
        .await
        .unwrap();
    let again = store
        .record_event(reg.person_id, marriage, &clerk)
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Invalid(_)), "{again:?}");
    let events = store.events(fatima, &clerk).await.unwrap();
    assert_eq!(events.len(), 1);

    let v = store.verify_audit().await.unwrap();
    assert!(v.broken.is_none(), "{v:?}");
    assert!(v.verified >= 8);
}

#[tokio::test]
async fn the_sqlite_store_passes_the_story() {
    let dir = tempfile::tempdir().unwrap();
    story(
        SqliteStore::open(&dir.path().join("sijil.db"))
            .await
            .unwrap(),
    )
    .await;
}

#[tokio::test]
async fn source_records_and_the_audit_log_refuse_updates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sijil.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let clerk = setup(&store).await;
    store
        .register_record(
            new_record(&clerk, row("A1", "محمد", "M", "1980", "")),
            Decision::plain(Link::NewPerson, "t"),
            &clerk,
        )
        .await
        .unwrap();
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    for sql in [
        "UPDATE source_records SET fields = '{}'",
        "DELETE FROM source_records",
        "UPDATE audit_log SET actor = 'nobody'",
        "DELETE FROM audit_log",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
}

#[tokio::test]
async fn verify_finds_the_first_entry_changed_behind_the_triggers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sijil.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let clerk = setup(&store).await;
    for i in 0..5 {
        let r = row(&format!("A{i}"), "محمد", "M", "1980", "");
        store
            .register_record(
                new_record(&clerk, r),
                Decision::plain(Link::NewPerson, "t"),
                &clerk,
            )
            .await
            .unwrap();
    }
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET actor = 'someone.else' WHERE seq = 4")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = SqliteStore::open(&path).await.unwrap();
    let v = store.verify_audit().await.unwrap();
    assert_eq!(v.verified, 3);
    assert_eq!(v.broken.unwrap().seq, 4);
}

#[tokio::test]
async fn the_central_office_is_created_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("sijil.db"))
        .await
        .unwrap();
    let first = bootstrap::ensure_central_office(&store).await.unwrap();
    let again = bootstrap::ensure_central_office(&store).await.unwrap();
    assert_eq!(first.code, again.code);
    assert_eq!(first.code.as_str(), bootstrap::CENTRAL_OFFICE);
    assert_eq!((first.governorate, first.secretariat), (1, 0));
    assert_eq!(store.offices().await.unwrap().len(), 1);
    let creations = store
        .audit_entries(&AuditQuery {
            action: Some("office.create".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(creations.len(), 1);
}
