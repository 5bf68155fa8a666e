//! A batch import must leave the registry exactly as registering its records one by one, in
//! order, would: same persons, same national numbers, same views. Generic over `Store`.

use sijil_core::{Capture, NationalNumber, OfficeCode, RecordRow};
use sijil_store::{
    Actor, Decision, ImportMeta, Link, NewOffice, NewSourceRecord, Store, StoreError,
    sqlite::SqliteStore,
};
use time::{OffsetDateTime, macros::date};
use uuid::Uuid;

fn record(actor: &Actor, id: &str, first: &str, born: &str, nn: Option<u32>) -> NewSourceRecord {
    let row = RecordRow {
        record_id: id.into(),
        first_name: first.into(),
        family_name: "الحلبي".into(),
        birth_date: born.into(),
        registry_place: "حلب".into(),
        registry_number: id.into(),
        national_number: nn.map(number).unwrap_or_default(),
        ..Default::default()
    };
    NewSourceRecord {
        record: row.validate(date!(2026 - 11 - 29)).unwrap(),
        capture: Capture {
            office: actor.office.clone(),
            officer: actor.username.clone(),
            captured_at: OffsetDateTime::now_utc(),
            evidence: vec![],
        },
    }
}

/// The office's national number with this serial.
fn number(serial: u32) -> String {
    NationalNumber::from_parts(2, 1, serial)
        .unwrap()
        .to_string()
}

fn decision(link: Link) -> Decision {
    Decision::plain(link, "test")
}

/// An office and two persons: one with an issued number (serial 1), one who brought serial 5
/// from an older register, so issuing must step over it.
async fn setup<S: Store>(store: &S) -> (Actor, Uuid, Uuid) {
    let office = OfficeCode::parse("ALP-01").unwrap();
    let actor = Actor::system(office.clone());
    let new_office = NewOffice {
        code: office,
        name_ar: "حلب".into(),
        name_en: "Aleppo".into(),
        governorate: 2,
        secretariat: 1,
    };
    store.create_office(new_office, &actor).await.unwrap();
    let issued = store
        .register_record(
            record(&actor, "OLD1", "محمد", "1950", None),
            decision(Link::NewPerson),
            &actor,
        )
        .await
        .unwrap();
    let brought = store
        .register_record(
            record(&actor, "OLD2", "علي", "1960", Some(5)),
            decision(Link::NewPerson),
            &actor,
        )
        .await
        .unwrap();
    assert_eq!(brought.national_number.as_str(), number(5));
    (actor, issued.person_id, brought.person_id)
}

fn batch(actor: &Actor, issued: Uuid, brought: Uuid) -> Vec<(NewSourceRecord, Decision)> {
    use Link::*;
    vec![
        (
            record(actor, "B0", "عمر", "1980", None),
            decision(NewPerson),
        ),
        // Claims a free number inside the office's range: issuing must skip it.
        (
            record(actor, "B1", "ليلى", "1990", Some(3)),
            decision(NewPerson),
        ),
        // Claims a number someone holds: gets a fresh one.
        (
            record(actor, "B2", "هدى", "1991", Some(5)),
            decision(NewPerson),
        ),
        (
            record(actor, "B3", "عمر", "1980-04-02", None),
            decision(SameAsItem(0)),
        ),
        (
            record(actor, "B4", "على", "1960-01", None),
            decision(Person(brought)),
        ),
        (
            record(actor, "B5", "على", "1960-01-09", None),
            decision(Person(brought)),
        ),
        (
            record(actor, "B6", "محمد", "1950-07", None),
            decision(Person(issued)),
        ),
        (
            record(actor, "B7", "سامر", "2001", None),
            decision(NewPerson),
        ),
        (
            record(actor, "B8", "رنا", "2002", Some(900)),
            decision(NewPerson),
        ),
        (
            record(actor, "B9", "ليلا", "1990-06", None),
            decision(SameAsItem(1)),
        ),
        (
            record(actor, "B10", "عمر", "1980-04", None),
            decision(SameAsItem(3)),
        ),
    ]
}

/// Every person holding one of the office's first numbers (or 900): number, view, records.
async fn registry<S: Store>(store: &S, actor: &Actor) -> Vec<(String, String, Vec<String>)> {
    let mut out = vec![];
    for serial in (1..=12).chain([900]) {
        let nn = NationalNumber::parse(&number(serial)).unwrap();
        let Some(id) = store.person_id_by_national_number(&nn).await.unwrap() else {
            continue;
        };
        let p = store.person(id, actor).await.unwrap();
        let mut records: Vec<String> = p
            .records
            .iter()
            .map(|r| r.record.record_id.clone())
            .collect();
        records.sort();
        out.push((
            number(serial),
            serde_json::to_string(&p.person.view).unwrap(),
            records,
        ));
    }
    out
}

async fn same_as_one_by_one<S: Store>(batched: S, sequential: S) {
    let (actor, issued, brought) = setup(&batched).await;
    let (actor_b, issued_b, brought_b) = setup(&sequential).await;

    let meta = ImportMeta {
        file_name: "b.csv".into(),
        digest: "d".into(),
    };
    let receipt = batched
        .import_records(&batch(&actor, issued, brought), meta, &actor, &|_| {})
        .await
        .unwrap();
    assert_eq!((receipt.records, receipt.new_persons), (11, 5));

    let mut persons: Vec<Uuid> = vec![];
    for (item, d) in batch(&actor_b, issued_b, brought_b) {
        let link = match d.link {
            Link::SameAsItem(j) => Link::Person(persons[j]),
            other => other,
        };
        let reg = sequential
            .register_record(item, decision(link), &actor_b)
            .await
            .unwrap();
        persons.push(reg.person_id);
    }

    let a = registry(&batched, &actor).await;
    assert_eq!(a, registry(&sequential, &actor_b).await);
    let numbers: Vec<&str> = a.iter().map(|(n, _, _)| n.as_str()).collect();
    let expected: Vec<String> = [1, 2, 3, 4, 5, 6, 900].map(number).to_vec();
    assert_eq!(numbers, expected);
    let (a, b) = (
        batched.stats().await.unwrap(),
        sequential.stats().await.unwrap(),
    );
    assert_eq!((a.persons, a.source_records), (b.persons, b.source_records));
    assert!(batched.verify_audit().await.unwrap().broken.is_none());

    // Numbering goes on after the batch as it would have.
    let next = batched
        .register_record(
            record(&actor, "C1", "نور", "2010", None),
            decision(Link::NewPerson),
            &actor,
        )
        .await
        .unwrap();
    assert_eq!(next.national_number.as_str(), number(7));
}

async fn bad_batches_change_nothing<S: Store>(store: S) {
    let (actor, issued, _) = setup(&store).await;
    let before = store.stats().await.unwrap();
    let meta = ImportMeta {
        file_name: "b.csv".into(),
        digest: "d".into(),
    };
    let cases: Vec<(Vec<(NewSourceRecord, Decision)>, &str)> = vec![
        (
            vec![(
                record(&actor, "X1", "a", "", None),
                decision(Link::Person(Uuid::now_v7())),
            )],
            "not found",
        ),
        (
            vec![
                (
                    record(&actor, "X1", "a", "", None),
                    decision(Link::SameAsItem(1)),
                ),
                (
                    record(&actor, "X2", "a", "", None),
                    decision(Link::NewPerson),
                ),
            ],
            "does not precede",
        ),
        (
            vec![
                (
                    record(&actor, "X1", "a", "", None),
                    decision(Link::NewPerson),
                ),
                (
                    record(&actor, "OLD2", "a", "", None),
                    decision(Link::Person(issued)),
                ),
            ],
            "\"OLD2\" is already registered",
        ),
        (
            vec![
                (
                    record(&actor, "X1", "a", "", None),
                    decision(Link::NewPerson),
                ),
                (
                    record(&actor, "X1", "a", "", None),
                    decision(Link::NewPerson),
                ),
            ],
            "twice",
        ),
    ];
    for (batch, message) in cases {
        let err = store
            .import_records(&batch, meta.clone(), &actor, &|_| {})
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound(_) | StoreError::Conflict(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains(message), "{err}");
        assert_eq!(store.stats().await.unwrap(), before);
    }
}

async fn open(dir: &tempfile::TempDir, name: &str) -> SqliteStore {
    SqliteStore::open(&dir.path().join(name)).await.unwrap()
}

#[tokio::test]
async fn a_batch_import_equals_registering_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    same_as_one_by_one(open(&dir, "a.db").await, open(&dir, "b.db").await).await;
}

#[tokio::test]
async fn a_bad_batch_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    bad_batches_change_nothing(open(&dir, "a.db").await).await;
}

#[tokio::test]
async fn a_large_batch_spans_many_statements() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "a.db").await;
    let (actor, issued, _) = setup(&store).await;
    let batch: Vec<_> = (0..1_234)
        .map(|i| {
            let link = match i % 4 {
                0 => Link::NewPerson,
                1 => Link::SameAsItem(i - 1),
                2 => Link::Person(issued),
                _ => Link::NewPerson,
            };
            (
                record(&actor, &format!("L{i}"), "محمد", "1970", None),
                decision(link),
            )
        })
        .collect();
    let meta = ImportMeta {
        file_name: "big.csv".into(),
        digest: "d".into(),
    };
    let seen = std::sync::Mutex::new(vec![]);
    let receipt = store
        .import_records(&batch, meta, &actor, &|n| seen.lock().unwrap().push(n))
        .await
        .unwrap();
    assert_eq!(receipt.new_persons, 617);
    assert_eq!(*seen.lock().unwrap().last().unwrap(), 1_234);
    let stats = store.stats().await.unwrap();
    assert_eq!((stats.source_records, stats.persons), (1_236, 619));
    let issued = store.person(issued, &actor).await.unwrap();
    assert_eq!(issued.records.len(), 1 + 308);
}
